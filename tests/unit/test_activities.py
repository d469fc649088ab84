"""Activities: the rules of a record, audit, search key, the list query and the totals per task."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from cases.accounts import users as accounts
from cases.audit import trail as audit
from cases.db import db
from cases.errors import PermissionDenied, ValidationFailed
from cases.models import Activity, ActivityFile, AuditEvent, PlanTask, User
from cases.plan import activities
from cases.plan.activities import ActivityFilters, ActivityInput, ActivityInvalid, StaleActivity
from cases.plan.activity_tasks import TASK_DEFAULTS, defaults_map, task_label
from tests import evidence_samples as samples

TODAY = dt.date(2026, 11, 24)


def _user(username: str, role: str, **kwargs) -> User:
    user, _ = accounts.create_user(
        username=username, full_name=f"Cán bộ {username}", role=role, password="Matkhau-2026", **kwargs
    )
    db.session.flush()
    return user


@pytest.fixture
def inspector(app_ctx) -> User:
    return _user("thanhtra1", "inspector")


def _input(**overrides) -> ActivityInput:
    values = {
        "task_code": "1.1",
        "activity_type": "media",
        "held_on": dt.date(2026, 3, 15),
        "title": "Phóng sự về đo lường xăng dầu trên Đài An Giang",
        "quantity": 1,
    }
    values.update(overrides)
    return ActivityInput(**values)


def _create(actor: User, **overrides) -> Activity:
    return activities.create_activity(actor=actor, data=_input(**overrides), today=TODAY)


def _problems(actor: User, **overrides) -> dict[str, str]:
    with pytest.raises(ActivityInvalid) as info:
        _create(actor, **overrides)
    db.session.rollback()
    return {p.field: p.code for p in info.value.problems}


def test_a_valid_activity_is_recorded_with_defaults_search_key_and_audit(inspector):
    activity = _create(
        inspector,
        unit="",
        title="  Hội nghị   phổ biến Luật Đo lường ",
        responsible_unit="Phòng Quản lý chuyên ngành",
        location="Hội trường Sở",
        commune_code="30742",
    )
    assert activity.id is not None and activity.created_by_id == inspector.id
    assert activity.title == "Hội nghị phổ biến Luật Đo lường"
    assert activity.unit == "lượt"  # the task's usual unit when none is given
    assert "hoi nghi pho bien luat do luong" in activity.search_key
    assert "phong quan ly chuyen nganh" in activity.search_key
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "activity")).one()
    assert event.action == "create" and event.entity_id == activity.id and event.case_id is None
    assert {c["field"]: c["to"] for c in event.changes}["task_code"] == "1.1"


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"task_code": None}, "task_code", "required"),
        ({"task_code": "9.9"}, "task_code", "unknown_task"),
        ({"task_code": "5.2"}, "task_code", "task_from_cases"),
        ({"task_code": "II.1.a"}, "task_code", "task_is_objective"),
        ({"activity_type": "party"}, "activity_type", "unknown_activity_type"),
        ({"activity_type": ""}, "activity_type", "required"),
        ({"held_on": None}, "held_on", "required"),
        ({"held_on": dt.date(2026, 11, 25)}, "held_on", "date_in_future"),
        ({"held_on": dt.date(2024, 12, 31)}, "held_on", "before_plan"),
        ({"end_on": dt.date(2026, 3, 14)}, "end_on", "end_before_start"),
        ({"end_on": dt.date(2026, 12, 1)}, "end_on", "date_in_future"),
        ({"title": "   "}, "title", "required"),
        ({"title": "x" * 301}, "title", "too_long"),
        ({"quantity": 0}, "quantity", "below_minimum"),
        ({"quantity": None}, "quantity", "required"),
        ({"quantity": 100_001}, "quantity", "above_maximum"),
        ({"participants": -1}, "participants", "negative"),
        ({"commune_code": "99999"}, "commune_code", "unknown_commune"),
        ({"unit": "u" * 101}, "unit", "too_long"),
    ],
)
def test_each_rule_names_its_field(inspector, overrides, field, code):
    assert _problems(inspector, **overrides) == {field: code}


def test_every_problem_is_reported_at_once(inspector):
    problems = _problems(inspector, task_code="5.2", quantity=0, participants=-3, title="")
    assert problems == {
        "task_code": "task_from_cases",
        "quantity": "below_minimum",
        "participants": "negative",
        "title": "required",
    }
    assert db.session.scalar(select(Activity.id)) is None


def test_the_first_and_last_days_allowed(inspector):
    assert _create(inspector, held_on=dt.date(2025, 1, 1)).held_on == dt.date(2025, 1, 1)
    one_day = _create(inspector, held_on=TODAY, end_on=TODAY, participants=0)
    assert one_day.end_on == TODAY and one_day.participants == 0


def test_a_liaison_cannot_record(app_ctx):
    liaison = _user("daumoi1", "liaison", commune_codes=["30742"])
    with pytest.raises(PermissionDenied):
        _create(liaison)


def test_update_checks_the_version_and_audits_only_what_changed(inspector):
    activity = _create(inspector)
    opened = activity.version
    activities.update_activity(
        activity=activity,
        actor=inspector,
        data=_input(quantity=3, unit="lượt phát sóng"),
        expected_version=opened,
        today=TODAY,
    )
    db.session.flush()
    assert activity.version == opened + 1 and activity.quantity == 3
    assert "luot phat song" in activity.search_key
    update = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "update")).one()
    assert {c["field"] for c in update.changes} == {"quantity", "unit"}
    with pytest.raises(StaleActivity):
        activities.update_activity(
            activity=activity, actor=inspector, data=_input(quantity=4), expected_version=opened, today=TODAY
        )


def test_only_the_author_or_a_manager_edits_and_deletes(inspector, tmp_path):
    other = _user("thanhtra2", "inspector")
    manager = _user("lanhdao", "manager")
    activity = _create(inspector)
    with pytest.raises(PermissionDenied):
        activities.update_activity(
            activity=activity, actor=other, data=_input(), expected_version=None, today=TODAY
        )
    with pytest.raises(PermissionDenied):
        activities.delete_activity(activity=activity, actor=other, upload_folder=tmp_path)
    activities.update_activity(
        activity=activity, actor=manager, data=_input(quantity=2), expected_version=None, today=TODAY
    )
    activities.delete_activity(activity=activity, actor=manager, upload_folder=tmp_path)
    assert db.session.scalar(select(Activity.id)) is None
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.entity_type == "activity"))
    assert sorted(actions) == ["create", "delete", "update"]


def _files_on_disk(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.is_file())


def test_files_are_stored_like_case_evidence_and_removed_with_the_activity(inspector, tmp_path):
    activity = _create(inspector)
    stored = activities.store_files(
        activity=activity,
        actor=inspector,
        files=[("Giấy mời.pdf", samples.pdf()), ("Ảnh hội nghị.jpg", samples.jpeg())],
        upload_folder=tmp_path,
        max_bytes=5 * 1024 * 1024,
    )
    assert [f.content_type for f in stored] == ["application/pdf", "image/jpeg"]
    assert stored[1].has_thumbnail and not stored[0].has_thumbnail
    assert len(_files_on_disk(tmp_path)) == 3  # the PDF, the photo and its thumbnail
    uploads = db.session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "activity_file")).all()
    assert [e.action for e in uploads] == ["upload", "upload"]

    paths = activities.delete_activity(activity=activity, actor=inspector, upload_folder=tmp_path)
    assert db.session.scalar(select(ActivityFile.id)) is None
    from cases.recording.evidence import remove_files

    remove_files(paths)
    assert _files_on_disk(tmp_path) == []


def test_a_refused_file_stores_nothing(inspector, tmp_path):
    activity = _create(inspector)
    with pytest.raises(ValidationFailed) as info:
        activities.store_files(
            activity=activity,
            actor=inspector,
            files=[("ok.pdf", samples.pdf()), ("virus.exe", b"MZ\x90\x00 not a picture")],
            upload_folder=tmp_path,
            max_bytes=5 * 1024 * 1024,
        )
    assert info.value.code == "file_type_not_allowed" and info.value.field == "files"
    assert _files_on_disk(tmp_path) == []
    with pytest.raises(ValidationFailed) as too_big:
        activities.store_files(
            activity=activity,
            actor=inspector,
            files=[("big.pdf", samples.pdf())],
            upload_folder=tmp_path,
            max_bytes=100,
        )
    assert too_big.value.code == "file_too_large"


# --- list query and totals ---------------------------------------------------------------------------


@pytest.fixture
def recorded(inspector):
    made = {
        "broadcast": _create(inspector, held_on=dt.date(2026, 2, 1), title="Phóng sự đo lường"),
        "broadcast2": _create(inspector, held_on=dt.date(2026, 9, 1), title="Tọa đàm chất lượng xăng dầu"),
        "support": _create(
            inspector,
            task_code="2.2",
            activity_type="enterprise_support",
            held_on=dt.date(2026, 5, 20),
            quantity=12,
            unit="doanh nghiệp",
            title="Hỗ trợ áp dụng ISO 9001",
            responsible_unit="Trung tâm Ứng dụng tiến bộ KH&CN",
            commune_code="30742",
        ),
        "old": _create(
            inspector,
            task_code="3.2",
            activity_type="training",
            held_on=dt.date(2025, 12, 31),
            title="Lớp tập huấn đo lường",
            unit="lớp",
        ),
    }
    db.session.flush()
    return made


def _titles(filters: ActivityFilters) -> list[str]:
    return [a.title for a in db.session.scalars(activities.activity_list_query(filters))]


def test_the_list_is_newest_first_and_filters_by_year_task_type_commune_and_unit(recorded):
    assert _titles(ActivityFilters()) == [
        "Tọa đàm chất lượng xăng dầu",
        "Hỗ trợ áp dụng ISO 9001",
        "Phóng sự đo lường",
        "Lớp tập huấn đo lường",
    ]
    assert _titles(ActivityFilters(year=2025)) == ["Lớp tập huấn đo lường"]
    assert _titles(ActivityFilters(year=2026, task_code="1.1")) == [
        "Tọa đàm chất lượng xăng dầu",
        "Phóng sự đo lường",
    ]
    assert _titles(ActivityFilters(activity_type="enterprise_support")) == ["Hỗ trợ áp dụng ISO 9001"]
    assert _titles(ActivityFilters(commune_code="30742")) == ["Hỗ trợ áp dụng ISO 9001"]
    assert _titles(ActivityFilters(responsible_unit="trung tam ung dung")) == ["Hỗ trợ áp dụng ISO 9001"]


def test_text_search_ignores_diacritics_and_case_and_escapes_wildcards(recorded):
    assert _titles(ActivityFilters(q="XANG dau")) == ["Tọa đàm chất lượng xăng dầu"]
    assert _titles(ActivityFilters(q="đo lường")) == ["Phóng sự đo lường", "Lớp tập huấn đo lường"]
    assert _titles(ActivityFilters(q="100%")) == []
    assert _titles(ActivityFilters(q="_")) == []


def test_totals_per_task_add_quantities_in_the_plan_order(recorded):
    totals = activities.task_totals(ActivityFilters(year=2026))
    assert [(t.task_code, t.activities, t.quantity, t.unit) for t in totals] == [
        ("1.1", 2, 2, "lượt"),
        ("2.2", 1, 12, "doanh nghiệp"),
    ]
    assert totals[0].label == task_label("1.1") and totals[0].target_text
    every_year = activities.task_totals(ActivityFilters())
    assert [t.task_code for t in every_year] == ["1.1", "2.2", "3.2"]
    assert activities.task_totals(ActivityFilters(year=2026, q="iso")) == [
        activities.TaskTotal("2.2", task_label("2.2"), 1, 12, "doanh nghiệp", totals[1].target_text)
    ]
    assert activities.activity_years() == [2026, 2025]


def test_the_tasks_offered_leave_out_5_2_and_the_objective(app_ctx):
    codes = [code for _group, code, _label in activities.task_choices()]
    assert codes == [
        "1.1",
        "1.2",
        "2.1",
        "2.2",
        "2.3",
        "3.1",
        "3.2",
        "3.3",
        "4.1",
        "4.2",
        "5.1",
        "6.1",
        "6.2",
    ]
    assert set(defaults_map()) >= set(codes)
    assert defaults_map()["2.2"] == {"type": "enterprise_support", "unit": "doanh nghiệp"}
    assert defaults_map()["3.2"] == {"type": "training", "unit": "lớp"}
    every_task = set(db.session.scalars(select(PlanTask.code)))
    assert every_task == set(TASK_DEFAULTS)


def test_a_new_form_starts_with_the_tasks_usual_type_and_unit(app_ctx):
    data = activities.new_input("1.1", today=TODAY)
    assert (data.activity_type, data.unit, data.quantity, data.held_on) == ("media", "lượt", 1, TODAY)
    assert activities.new_input("5.2", today=TODAY).activity_type is None


def test_snapshot_of_an_activity_leaves_out_bookkeeping(inspector):
    activity = _create(inspector)
    values = audit.snapshot(activity)
    assert "search_key" not in values and "version" not in values and values["title"]
