"""Builders for test data, going through the domain's own services where there is one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cases.db import db
from cases.models import Case, Establishment, User
from cases.recording import service as case_service
from cases.recording.rules import CaseInput


def establishment(name: str = "Cửa hàng xăng dầu Rạch Giá", **kwargs: Any) -> Establishment:
    est = Establishment(name=name, commune_code=kwargs.pop("commune_code", "30742"), **kwargs)
    db.session.add(est)
    db.session.flush()
    return est


def case_input(kind: str = "inspection", **overrides: Any) -> CaseInput:
    values: dict[str, Any] = {
        "kind": kind,
        "opened_on": dt.date(2026, 3, 10),
        "commune_code": "30742",
    }
    if kind in {"inspection", "survey"} and "establishment_id" not in overrides:
        values["establishment_id"] = establishment(name=f"Cơ sở {kind} {dt.datetime.now().timestamp()}").id
    if kind == "inspection":
        values.update(mode="planned", fields=["fuel"])
    elif kind == "survey":
        values.update(fields=["fuel"])
    elif kind == "ecommerce":
        values.update(
            platform="shopee", listing_url="https://shopee.vn/product/1/2", seller_name="Shop Hàng Hiệu"
        )
    values.update(overrides)
    return CaseInput(**values)


def case(actor: User, kind: str = "inspection", **overrides: Any) -> Case:
    return case_service.create_case(
        actor=actor, data=case_input(kind, **overrides), today=dt.date(2026, 11, 24)
    )
