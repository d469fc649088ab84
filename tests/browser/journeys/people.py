"""The people and the data around a journey: accounts of each role, an establishment, and the department's
other work of the year (the report's data set, plus an overdue sanction), so that every figure a journey
reads is already above zero and the journey asserts what it added, read before and after."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask
from sqlalchemy import select

from cases.db import db
from cases.models import Case, Establishment, Finding, User, Violation
from tests import report_support


@dataclass(frozen=True)
class Person:
    username: str
    full_name: str
    id: int


def person(make_user: Callable[..., User], username: str, role: str, full_name: str, **kw: Any) -> Person:
    user = make_user(username, role, full_name=full_name, **kw)
    return Person(username, full_name, user.id)


def department_at_work(app: Flask, colleague: Person) -> None:
    """What the rest of the department recorded this year (tests/report_support.py's cases and activities),
    and a fine decided long ago whose deadline has passed unpaid: the managers' "overdue" badge is lit."""
    with app.app_context():
        author = db.session.get(User, colleague.id)
        data = report_support.build(author)
        db.session.flush()
        finding = db.session.scalars(
            select(Finding).where(Finding.case_id == data.cases["c2"].id, Finding.status == "confirmed")
        ).one()
        finding.decision_number = "08/QĐ-XPHC"
        finding.decision_date = dt.date(dt.date.today().year, 5, 10)
        finding.deadline = dt.date.today() - dt.timedelta(days=20)
        db.session.commit()


def establishment(app: Flask, name: str, tax_code: str, commune: str, address: str) -> int:
    with app.app_context():
        est = Establishment(name=name, tax_code=tax_code, commune_code=commune, address=address)
        db.session.add(est)
        db.session.commit()
        return est.id


def case_id(app: Flask, number: str) -> int:
    with app.app_context():
        return db.session.scalars(select(Case.id).where(Case.number == number)).one()


def violation_code(app: Flask, code: str) -> Violation:
    with app.app_context():
        found = db.session.scalars(select(Violation).where(Violation.code == code)).one()
        db.session.expunge(found)
        return found
