"""The timeline shows stored values the way people read them."""

from __future__ import annotations

from inspect_app.labels.audit import format_value as audit_value


def test_values_are_shown_in_vietnamese_formats(app, make_user):
    user = make_user("lanhdao9", "manager", full_name="Trần Lãnh Đạo")
    with app.test_request_context():
        assert audit_value("2026-11-23", "decision_date", "finding") == "23/11/2026"
        assert audit_value("2026-11-24T02:29:38.214161+00:00", "reviewed_at", "finding") == "24/11/2026 09:29"
        assert audit_value(15000000, "decided_fine_vnd", "finding") == "15.000.000\u00a0₫"
        assert audit_value(user.id, "reviewed_by_id", "finding") == "Trần Lãnh Đạo"
        assert (
            audit_value(["fuel", "gold"], "fields", "case")
            == "Kinh doanh xăng dầu, Kinh doanh vàng trang sức, mỹ nghệ"
        )
        assert audit_value("unscheduled", "mode", "case") == "Đột xuất"
        assert audit_value(None, "notes", "case") == "—"
        not_a_date = "Số 2026-11-23 không phải ngày"
        assert audit_value(not_a_date, "notes", "case") == not_a_date
