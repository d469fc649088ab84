"""The timeline shows stored values the way people read them."""

from __future__ import annotations

from inspect_app.views.review import audit_value


def test_values_are_shown_in_vietnamese_formats(app, make_user):
    user = make_user("lanhdao9", "manager", full_name="Trần Lãnh Đạo")
    with app.test_request_context():
        assert audit_value("2026-11-23", "decision_date") == "23/11/2026"
        assert audit_value("2026-11-24T02:29:38.214161+00:00", "reviewed_at") == "24/11/2026 09:29"
        assert audit_value(15000000, "decided_fine_vnd") == "15.000.000\u00a0₫"
        assert audit_value(user.id, "reviewed_by_id") == "Trần Lãnh Đạo"
        assert (
            audit_value(["fuel", "gold"], "fields")
            == "Kinh doanh xăng dầu, Kinh doanh vàng trang sức, mỹ nghệ"
        )
        assert audit_value("unscheduled", "mode") == "Đột xuất"
        assert audit_value(None, "notes") == "—"
        assert audit_value("Số 2026-11-23 không phải ngày", "notes") == "Số 2026-11-23 không phải ngày"
