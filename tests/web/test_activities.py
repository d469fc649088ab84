"""Activity pages: list with filters and totals, the form's errors, permissions per role, evidence files."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cases.db import db
from cases.models import Activity, ActivityFile, User
from cases.plan import activities
from cases.plan.activities import ActivityInput
from tests import evidence_samples as samples


def _make(app, user, **overrides) -> int:
    values = {
        "task_code": "1.1",
        "activity_type": "media",
        "held_on": dt.date(2026, 3, 15),
        "title": "Phóng sự đo lường trên Đài An Giang",
        "quantity": 1,
    }
    values.update(overrides)
    with app.app_context():
        actor = db.session.get(User, user.id)
        activity = activities.create_activity(
            actor=actor, data=ActivityInput(**values), today=dt.date(2026, 11, 24)
        )
        db.session.commit()
        return activity.id


def _form(**overrides) -> dict[str, str]:
    data = {
        "task_code": "2.2",
        "activity_type": "enterprise_support",
        "title": "Hỗ trợ doanh nghiệp áp dụng mã số mã vạch",
        "held_on": "20/05/2026",
        "end_on": "",
        "quantity": "12",
        "unit": "doanh nghiệp",
        "participants": "30",
        "responsible_unit": "Phòng Quản lý chuyên ngành",
        "commune_code": "30742",
        "location": "Hội trường Sở",
        "description": "Hỗ trợ 12 doanh nghiệp",
    }
    data.update(overrides)
    return data


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Activity.id))) or 0


@pytest.fixture
def inspector(make_user):
    return make_user("thanhtra1", "inspector")


def test_empty_list_says_what_to_do(client, login, inspector):
    login(inspector)
    page = client.get("/activities/").get_data(as_text=True)
    assert "Chưa có hoạt động nào được ghi nhận" in page
    assert 'href="/activities/new"' in page
    assert "Hoạt động" in page  # the nav link


def test_record_an_activity_with_a_file_and_see_it_in_the_list_with_totals(app, client, login, inspector):
    login(inspector)
    form = client.get("/activities/new").get_data(as_text=True)
    assert '<optgroup label="2. Rà soát, hoàn thiện cơ chế, chính sách">' in form
    assert "2.2 — Hỗ trợ doanh nghiệp về TCĐLCL, mã số mã vạch" in form
    assert 'value="5.2"' not in form and 'value="II.1.a"' not in form
    data = _form()
    data["files"] = (io.BytesIO(samples.pdf()), "Danh sách doanh nghiệp.pdf")
    resp = client.post("/activities/new", data=data, content_type="multipart/form-data")
    assert resp.status_code == 302
    show = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Đã ghi nhận hoạt động: Hỗ trợ doanh nghiệp áp dụng mã số mã vạch." in show
    assert "Danh sách doanh nghiệp.pdf" in show and "12 doanh nghiệp" in show
    _make(
        app,
        inspector,
        held_on=dt.date(2026, 6, 1),
        task_code="2.2",
        activity_type="enterprise_support",
        quantity=3,
        unit="doanh nghiệp",
        title="Hỗ trợ ISO",
    )
    _make(app, inspector, held_on=dt.date(2025, 6, 1), title="Phóng sự năm trước")

    page = client.get("/activities/?year=2026").get_data(as_text=True)
    totals = re.search(r'data-testid="task-totals".*?</section>', page, re.S).group(0)
    assert "Tổng theo nhiệm vụ, năm 2026" in totals
    assert re.search(r'data-task="2.2">.*?<td class="text-end">2</td>.*?15 doanh nghiệp', totals, re.S)
    assert "1.1" not in totals  # the 2025 broadcast is another year
    assert "Phóng sự năm trước" not in page
    every_year = client.get("/activities/?year=all").get_data(as_text=True)
    assert "Phóng sự năm trước" in every_year and "Tổng theo nhiệm vụ, tất cả các năm" in every_year


def test_filters_keep_their_values_and_an_empty_result_says_so(app, client, login, inspector):
    _make(app, inspector, title="Tọa đàm chất lượng xăng dầu")
    login(inspector)
    page = client.get("/activities/?year=2026&q=XANG+dau&task=1.1&type=media").get_data(as_text=True)
    assert "Tọa đàm chất lượng xăng dầu" in page
    assert 'value="XANG dau"' in page and '<option value="1.1" selected>' in page
    none = client.get("/activities/?year=2026&q=khong+co").get_data(as_text=True)
    assert "Không có hoạt động nào khớp với bộ lọc" in none
    # nonsense in the query string is ignored, never a 500
    assert client.get("/activities/?year=abc&page=x&task=%00&q=%00").status_code == 200
    assert client.get("/activities/?year=%C2%B2%C2%B2%C2%B2%C2%B2").status_code == 200
    resp = client.post(
        "/activities/new", data=_form(task_code="1.1", activity_type="media", title="Tọa\x00 đàm")
    )
    assert resp.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Activity.title).order_by(Activity.id.desc())).first() == "Tọa đàm"


def test_errors_come_back_beside_the_fields_with_everything_typed_kept(client, login, inspector, app):
    login(inspector)
    resp = client.post(
        "/activities/new",
        data=_form(task_code="5.2", quantity="0", held_on="31/12/2024", participants="-5", end_on="abc"),
    )
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    assert re.search(r'id="task_code-error">Kết quả của nhiệm vụ 5.2 lấy từ các vụ việc', page)
    assert re.search(r'id="quantity-error">[^<]*ít nhất 1', page)
    assert re.search(r'id="held_on-error">[^<]*01/01/2025', page)
    assert 'id="participants-error"' in page and 'id="end_on-error"' in page
    assert 'value="Hỗ trợ doanh nghiệp áp dụng mã số mã vạch"' in page
    assert 'value="abc"' in page and 'value="-5"' in page and "Hỗ trợ 12 doanh nghiệp</textarea>" in page
    assert _count(app) == 0
    not_a_number = client.post("/activities/new", data=_form(quantity="mười"))
    assert not_a_number.status_code == 400 and 'value="mười"' in not_a_number.get_data(as_text=True)


def test_a_refused_file_saves_nothing_and_says_why_beside_the_files(client, login, inspector, app):
    login(inspector)
    data = _form()
    data["files"] = (io.BytesIO(b"<script>alert(1)</script>"), "x.html")
    resp = client.post("/activities/new", data=data, content_type="multipart/form-data")
    assert resp.status_code == 400
    assert re.search(r'id="files-error">[^<]*x.html', resp.get_data(as_text=True))
    assert _count(app) == 0


def test_edit_keeps_the_version_and_refuses_a_stale_save(app, client, login, inspector):
    activity_id = _make(app, inspector)
    login(inspector)
    page = client.get(f"/activities/{activity_id}/edit").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    data = _form(task_code="1.1", activity_type="media", quantity="2", unit="lượt", version=version)
    assert client.post(f"/activities/{activity_id}/edit", data=data).status_code == 302
    stale = client.post(f"/activities/{activity_id}/edit", data=_form(version=version))
    assert stale.status_code == 400 and "Người khác đã lưu hoạt động này" in stale.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Activity, activity_id).quantity == 2


def test_delete_asks_first_then_deletes_with_the_files(app, client, login, inspector):
    activity_id = _make(app, inspector)
    login(inspector)
    client.post(
        f"/activities/{activity_id}/files",
        data={"files": (io.BytesIO(samples.jpeg()), "anh.jpg")},
        content_type="multipart/form-data",
    )
    with app.app_context():
        stored_name = db.session.scalars(select(ActivityFile.stored_name)).one()
    assert len(list(Path(app.config["UPLOAD_FOLDER"]).rglob(stored_name[:-4] + "*"))) == 2  # photo, thumbnail
    confirm = client.get(f"/activities/{activity_id}/delete").get_data(as_text=True)
    assert "Xóa hẳn" in confirm and "1 tệp" in confirm
    resp = client.post(f"/activities/{activity_id}/delete", follow_redirects=True)
    assert "Đã xóa hoạt động" in resp.get_data(as_text=True)
    assert _count(app) == 0
    with app.app_context():
        assert db.session.scalar(select(func.count(ActivityFile.id))) == 0
    assert not list(Path(app.config["UPLOAD_FOLDER"]).rglob(stored_name[:-4] + "*"))


@pytest.mark.parametrize(
    ("role", "list_status", "new_status"),
    [("inspector", 200, 200), ("manager", 200, 200), ("admin", 200, 200), ("liaison", 403, 403)],
)
def test_who_sees_and_records_activities(client, login, make_user, role, list_status, new_status):
    user = make_user("nguoidung", role, communes=("30742",) if role == "liaison" else ())
    login(user)
    assert client.get("/activities/").status_code == list_status
    assert client.get("/activities/new").status_code == new_status
    nav = client.get("/").get_data(as_text=True)
    assert ('href="/activities/"' in nav) == (role != "liaison")


def test_another_inspector_sees_but_cannot_change_an_activity(app, client, login, inspector, make_user):
    activity_id = _make(app, inspector)
    other = make_user("thanhtra2", "inspector")
    login(other)
    page = client.get(f"/activities/{activity_id}").get_data(as_text=True)
    assert "Phóng sự đo lường trên Đài An Giang" in page and f"/activities/{activity_id}/edit" not in page
    assert client.get(f"/activities/{activity_id}/edit").status_code == 403
    assert client.post(f"/activities/{activity_id}/edit", data=_form()).status_code == 403
    assert client.post(f"/activities/{activity_id}/delete").status_code == 403
    assert client.post(f"/activities/{activity_id}/files", data={}).status_code == 403
    assert client.get("/activities/999999").status_code == 404
    assert client.get("/activities/files/999999").status_code == 404


def test_a_manager_edits_anyones_activity(app, client, login, inspector, make_user):
    activity_id = _make(app, inspector)
    login(make_user("lanhdao", "manager"))
    resp = client.post(f"/activities/{activity_id}/edit", data=_form(task_code="1.1", activity_type="media"))
    assert resp.status_code == 302


def test_files_download_as_attachments_with_safe_headers(app, client, login, inspector, make_user):
    activity_id = _make(app, inspector)
    login(inspector)
    client.post(
        f"/activities/{activity_id}/files",
        data={
            "files": [
                (io.BytesIO(samples.jpeg()), "ảnh hội nghị.jpg"),
                (io.BytesIO(samples.pdf()), "giấy mời.pdf"),
            ]
        },
        content_type="multipart/form-data",
    )
    with app.app_context():
        files = {f.original_name: f.id for f in db.session.scalars(select(ActivityFile))}
    pdf = client.get(f"/activities/files/{files['giấy mời.pdf']}")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.headers["Content-Disposition"].startswith("attachment")
    assert pdf.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in pdf.headers["Content-Security-Policy"]
    assert pdf.data == samples.pdf()
    pdf.close()
    photo = client.get(f"/activities/files/{files['ảnh hội nghị.jpg']}")
    assert photo.mimetype == "image/jpeg" and photo.headers["Content-Disposition"].startswith("attachment")
    photo.close()
    thumb = client.get(f"/activities/files/{files['ảnh hội nghị.jpg']}/thumbnail")
    assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"
    thumb.close()
    assert client.get(f"/activities/files/{files['giấy mời.pdf']}/thumbnail").status_code == 404

    client.post("/logout")
    login(make_user("daumoi", "liaison", communes=("30742",)))
    assert client.get(f"/activities/files/{files['giấy mời.pdf']}").status_code == 403
    client.post("/logout")
    login(make_user("thanhtra2", "inspector"))
    other = client.get(f"/activities/files/{files['giấy mời.pdf']}")
    assert other.status_code == 200
    other.close()
    assert client.post(f"/activities/files/{files['giấy mời.pdf']}/delete").status_code == 403
    client.post("/logout")
    login(inspector)
    resp = client.post(f"/activities/files/{files['giấy mời.pdf']}/delete", follow_redirects=True)
    assert "Đã xóa tệp giấy mời.pdf." in resp.get_data(as_text=True)
