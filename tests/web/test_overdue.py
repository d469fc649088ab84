"""Managers see the sanctions whose deadline has passed without compliance."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from cases.db import db
from cases.models import Finding, User, Violation
from cases.recording.queries import review_badge_counts
from tests import factories


def _finding(case, **values):
    violation = db.session.scalar(select(Violation).where(Violation.code == "MV-02"))
    finding = Finding(
        case_id=case.id, violation_id=violation.id, offender_type="organisation", status="confirmed"
    )
    for key, value in values.items():
        setattr(finding, key, value)
    db.session.add(finding)
    return finding


def test_overdue_sanctions_listed_counted_and_cleared(app, client, make_user, login):
    inspector = make_user("kiemtra1", "inspector")
    manager = make_user("lanhdao1", "manager")
    today = dt.date.today()
    with app.app_context():
        actor = db.session.get(User, inspector.id)
        case = factories.case(actor, "inspection")
        case.status = "approved"
        late_fine = _finding(case, decided_fine_vnd=12_000_000, deadline=today - dt.timedelta(days=5))
        _finding(case, decided_fine_vnd=12_000_000, deadline=today - dt.timedelta(days=5), fine_paid_on=today)
        _finding(case, decided_fine_vnd=12_000_000, deadline=today + dt.timedelta(days=5))
        _finding(case, remedies_decided="Buộc thu hồi", deadline=today - dt.timedelta(days=1))
        _finding(case, status="dismissed", decided_fine_vnd=5, deadline=today - dt.timedelta(days=9))
        db.session.commit()
        late_id, number = late_fine.id, case.number
        assert review_badge_counts(today=today)[1] == 2

    login(manager)
    home = client.get("/").get_data(as_text=True)
    assert 'data-testid="nav-overdue-count"' in home and ">2</span>" in home
    page = client.get("/review/overdue").get_data(as_text=True)
    assert number in page and "12.000.000\u00a0₫" in page and "trễ 5 ngày" in page
    assert "Chưa khắc phục hậu quả" in page
    with app.app_context():
        db.session.get(Finding, late_id).fine_paid_on = today
        db.session.commit()
        assert review_badge_counts(today=today)[1] == 1


def test_only_managers_see_overdue_sanctions(client, make_user, login):
    login(make_user("kiemtra2", "inspector"))
    assert client.get("/review/overdue").status_code == 403
    assert 'data-testid="nav-overdue-count"' not in client.get("/").get_data(as_text=True)


def test_empty_state(client, make_user, login):
    login(make_user("lanhdao2", "manager"))
    assert "Không có quyết định xử phạt nào quá hạn." in client.get("/review/overdue").get_data(as_text=True)
