"""Evidence pages: upload, download, thumbnail and delete, with their permissions and safety headers."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
from pathlib import Path

import pytest
from flask import render_template_string, url_for
from sqlalchemy import select
from werkzeug.test import EnvironBuilder

from cases.db import db
from cases.models import Case, Commune, EvidenceFile, Finding, User, Violation
from cases.recording import evidence
from tests import evidence_samples as samples

_numbers = itertools.count(1)


def _make_case(app, user, *, status: str = "draft", commune: str = "30307", team=()) -> int:
    with app.app_context():
        case = Case(
            number=f"KT-W{next(_numbers):04d}/2026",
            kind="inspection",
            status=status,
            opened_on=dt.date(2026, 3, 14),
            commune_code=commune,
            created_by_id=user.id,
        )
        case.team = [db.session.get(User, member.id) for member in team]
        db.session.add(case)
        db.session.commit()
        return case.id


def _make_finding(app, case_id: int) -> int:
    with app.app_context():
        violation = db.session.scalars(select(Violation).order_by(Violation.id).limit(1)).one()
        finding = Finding(case_id=case_id, violation_id=violation.id, offender_type="individual")
        db.session.add(finding)
        db.session.commit()
        return finding.id


def _evidence(app, case_id: int | None = None) -> list[EvidenceFile]:
    with app.app_context():
        stmt = select(EvidenceFile).order_by(EvidenceFile.id)
        if case_id is not None:
            stmt = stmt.where(EvidenceFile.case_id == case_id)
        rows = list(db.session.scalars(stmt))
        for row in rows:
            db.session.expunge(row)
        return rows


def _files_on_disk(app) -> set[Path]:
    return {p for p in Path(app.config["UPLOAD_FOLDER"]).rglob("*") if p.is_file()}


def _upload(client, case_id: int, files, **form):
    data = {"files": [(io.BytesIO(content), name) for name, content in files], **form}
    return client.post(f"/evidence/case/{case_id}", data=data, content_type="multipart/form-data")


def _case_page(app, case_id: int) -> str:
    with app.test_request_context():
        if "cases.show" in app.view_functions:
            return url_for("cases.show", case_id=case_id)
        return "/"


@pytest.fixture
def inspector(make_user, login):
    user = make_user("thanhtra1", "inspector", full_name="Nguyễn Văn Thanh")
    login(user)
    return user


@pytest.fixture
def draft(app, inspector):
    return _make_case(app, inspector)


def _other_commune(app) -> str:
    with app.app_context():
        return db.session.scalar(select(Commune.code).where(Commune.code != "30307").order_by(Commune.code))


def test_several_files_are_uploaded_at_once(app, client, inspector, draft):
    photo, document, picture = samples.jpeg(), samples.pdf(), samples.png()
    before = _files_on_disk(app)
    resp = _upload(
        client,
        draft,
        [("IMG_0001.jpg", photo), ("Biên bản.pdf", document), ("nhãn.png", picture)],
        note="Cửa hàng xăng dầu",
        next="/cases/1?tab=evidence",
    )
    assert resp.status_code == 302 and resp.headers["Location"] == "/cases/1?tab=evidence"
    stored = _evidence(app, draft)
    assert [ev.original_name for ev in stored] == ["IMG_0001.jpg", "Biên bản.pdf", "nhãn.png"]
    assert [ev.content_type for ev in stored] == ["image/jpeg", "application/pdf", "image/png"]
    assert all(ev.uploaded_by_id == inspector.id and ev.note == "Cửa hàng xăng dầu" for ev in stored)
    folder = app.config["UPLOAD_FOLDER"]
    for ev, data in zip(stored, [photo, document, picture], strict=True):
        assert ev.sha256 == hashlib.sha256(data).hexdigest()
        assert evidence.evidence_path(ev, folder).read_bytes() == data
    assert [ev.has_thumbnail for ev in stored] == [True, False, True]
    assert evidence.thumbnail_path(stored[0], folder).is_file()
    assert len(_files_on_disk(app) - before) == 5
    page = client.get("/").get_data(as_text=True)
    assert "Đã đính kèm 3 tệp." in page


def test_without_next_the_upload_goes_back_to_the_case_page(app, client, inspector, draft):
    resp = _upload(client, draft, [("a.pdf", samples.pdf())], next="https://evil.example/")
    assert resp.status_code == 302 and resp.headers["Location"] == _case_page(app, draft)
    resp = _upload(client, draft, [("a.pdf", samples.pdf())], next="//evil.example/x")
    assert resp.headers["Location"] == _case_page(app, draft)


def test_a_bad_file_among_good_ones_stores_nothing(app, client, inspector, draft):
    before = _files_on_disk(app)
    resp = _upload(
        client,
        draft,
        [("a.jpg", samples.jpeg()), ("trang.png", samples.HTML), ("b.pdf", samples.pdf())],
        next="/",
    )
    assert resp.status_code == 302
    assert _evidence(app) == [] and _files_on_disk(app) == before
    page = client.get("/").get_data(as_text=True)
    assert "Tệp trang.png không phải ảnh JPEG, PNG, WebP hay tệp PDF; chưa tệp nào được lưu." in page


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("anh.jpg", samples.TEXT, "không phải ảnh JPEG"),
        ("logo.svg", samples.SVG, "không phải ảnh JPEG"),
        ("cut.jpg", samples.truncated_jpeg(), "bị hỏng hoặc không phải ảnh hợp lệ"),
    ],
)
def test_refused_files_are_explained_in_vietnamese(app, client, inspector, draft, name, data, message):
    before = _files_on_disk(app)
    _upload(client, draft, [(name, data)], next="/")
    assert _evidence(app) == [] and _files_on_disk(app) == before
    assert message in client.get("/").get_data(as_text=True)


def test_a_30_mb_file_is_refused(app, client, inspector, draft):
    big = b"%PDF-1.7\n" + bytes(30 * 1024 * 1024)
    before = _files_on_disk(app)
    # Built by hand so that the request body, spooled to a temporary file, is closed afterwards.
    builder = EnvironBuilder(
        path=f"/evidence/case/{draft}",
        method="POST",
        data={
            "files": [(io.BytesIO(big), "ho-so-lon.pdf"), (io.BytesIO(samples.jpeg()), "a.jpg")],
            "next": "/",
        },
        content_type="multipart/form-data",
    )
    del big
    environ = builder.get_environ()
    try:
        resp = client.open(environ)
    finally:
        environ["wsgi.input"].close()
        builder.close()
    assert resp.status_code == 302
    assert _evidence(app) == [] and _files_on_disk(app) == before
    assert "Tệp ho-so-lon.pdf lớn hơn 20 MB" in client.get("/").get_data(as_text=True)


def test_no_file_chosen(app, client, inspector, draft):
    resp = client.post(
        f"/evidence/case/{draft}",
        data={"files": [(io.BytesIO(b""), "")], "next": "/"},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302 and _evidence(app) == []
    assert "Hãy chọn ít nhất một ảnh hoặc tệp PDF." in client.get("/").get_data(as_text=True)


def test_files_attach_to_a_finding_of_the_case_only(app, client, inspector, draft):
    finding = _make_finding(app, draft)
    other_case = _make_case(app, inspector)
    other_finding = _make_finding(app, other_case)
    # another case's finding, not an id, an id of no finding, a Unicode digit, an id no column can hold:
    # refused with the reason (issue 15: an id from a form is an error the user reads, never a 404 or 500)
    for wrong in (str(other_finding), "abc", "999999", "²", "1" * 23):
        resp = _upload(client, draft, [("a.jpg", samples.jpeg())], finding_id=wrong, next="/")
        assert resp.status_code == 302, wrong
        assert "Vi phạm này không thuộc hồ sơ." in client.get("/").get_data(as_text=True), wrong
    assert _evidence(app) == []
    assert _upload(client, draft, [("a.jpg", samples.jpeg())], finding_id=str(finding)).status_code == 302
    (ev,) = _evidence(app)
    assert ev.finding_id == finding and ev.case_id == draft


def test_upload_to_a_missing_case_is_404(client, inspector):
    assert _upload(client, 999999, [("a.jpg", samples.jpeg())]).status_code == 404


def test_anonymous_users_are_sent_to_sign_in(app, client, make_user):
    author = make_user("thanhtra2", "inspector")
    case_id = _make_case(app, author)
    with app.app_context():
        ev = evidence.store_evidence(
            case=db.session.get(Case, case_id),
            actor=None,
            filename="a.jpg",
            stream=samples.jpeg(),
            upload_folder=app.config["UPLOAD_FOLDER"],
            max_bytes=app.config["EVIDENCE_MAX_BYTES"],
        )
        db.session.commit()
        ev_id = ev.id
    for resp in [
        _upload(client, case_id, [("a.jpg", samples.jpeg())]),
        client.get(buffered=True, path=f"/evidence/{ev_id}"),
        client.get(buffered=True, path=f"/evidence/{ev_id}/thumbnail"),
        client.post(f"/evidence/{ev_id}/delete"),
    ]:
        assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    assert len(_evidence(app)) == 1


def test_a_liaison_of_another_commune_can_neither_see_nor_add(
    app, client, make_user, login, inspector, draft
):
    _upload(client, draft, [("a.jpg", samples.jpeg())])
    (ev,) = _evidence(app)
    client.post("/logout")
    stranger = make_user("daumoi2", "liaison", communes=(_other_commune(app),))
    login(stranger)
    assert client.get(buffered=True, path=f"/evidence/{ev.id}").status_code == 403
    assert client.get(buffered=True, path=f"/evidence/{ev.id}/thumbnail").status_code == 403
    assert _upload(client, draft, [("b.jpg", samples.jpeg())]).status_code == 403
    assert client.post(f"/evidence/{ev.id}/delete").status_code == 403
    assert len(_evidence(app)) == 1
    client.post("/logout")
    local = make_user("daumoi1", "liaison", communes=("30307",))
    login(local)
    assert client.get(buffered=True, path=f"/evidence/{ev.id}").status_code == 200
    assert _upload(client, draft, [("b.jpg", samples.jpeg())]).status_code == 403  # not on the team


def test_downloads_carry_the_sniffed_type_and_nosniff(app, client, inspector, draft):
    photo, document = samples.jpeg(), samples.pdf()
    _upload(client, draft, [("anh.pdf", photo), ("bien ban.jpg", document)])
    image_ev, pdf_ev = _evidence(app)

    resp = client.get(buffered=True, path=f"/evidence/{image_ev.id}")
    assert resp.status_code == 200 and resp.data == photo
    assert resp.mimetype == "image/jpeg"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Content-Disposition"].startswith("inline")
    assert "sandbox" in resp.headers["Content-Security-Policy"]
    assert "private" in resp.headers["Cache-Control"]

    resp = client.get(buffered=True, path=f"/evidence/{pdf_ev.id}")
    assert resp.status_code == 200 and resp.data == document
    assert resp.mimetype == "application/pdf"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Content-Disposition"].startswith("attachment")
    assert "bien ban.jpg" in resp.headers["Content-Disposition"]

    thumb = client.get(buffered=True, path=f"/evidence/{image_ev.id}/thumbnail")
    assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"
    assert thumb.data.startswith(b"\xff\xd8\xff") and thumb.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get(buffered=True, path=f"/evidence/{pdf_ev.id}/thumbnail").status_code == 404
    assert client.get("/evidence/999999", buffered=True).status_code == 404


def test_a_vietnamese_file_name_survives_the_download_header(app, client, inspector, draft):
    _upload(client, draft, [("Biên bản kiểm tra.pdf", samples.pdf())])
    (ev,) = _evidence(app)
    disposition = client.get(buffered=True, path=f"/evidence/{ev.id}").headers["Content-Disposition"]
    assert "filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n%20ki%E1%BB%83m%20tra.pdf" in disposition


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("stored_name", "../../etc/passwd"),
        ("stored_name", "../../../../../../etc/passwd"),
        ("stored_name", "/etc/passwd"),
        ("stored_name", "0123456789abcdef0123456789abcdef.jpg"),  # ours in form, but no such file
        ("content_type", "text/html"),
        ("content_type", "image/svg+xml"),
    ],
)
def test_a_tampered_row_never_serves_another_file(app, client, inspector, draft, column, value):
    _upload(client, draft, [("a.jpg", samples.jpeg())])
    (ev,) = _evidence(app)
    with app.app_context():
        row = db.session.get(EvidenceFile, ev.id)
        setattr(row, column, value)
        db.session.commit()
    resp = client.get(buffered=True, path=f"/evidence/{ev.id}")
    assert resp.status_code == 404
    assert b"root:" not in resp.data
    if column == "stored_name":
        assert client.get(buffered=True, path=f"/evidence/{ev.id}/thumbnail").status_code == 404


def test_the_author_deletes_evidence_of_a_draft(app, client, inspector, draft):
    _upload(client, draft, [("a.jpg", samples.jpeg()), ("b.pdf", samples.pdf())])
    photo, document = _evidence(app)
    folder = app.config["UPLOAD_FOLDER"]
    paths = [evidence.evidence_path(photo, folder), evidence.thumbnail_path(photo, folder)]
    assert all(p.is_file() for p in paths)
    resp = client.post(f"/evidence/{photo.id}/delete", data={"next": "/"})
    assert resp.status_code == 302 and resp.headers["Location"] == "/"
    assert [ev.id for ev in _evidence(app)] == [document.id]
    assert not any(p.exists() for p in paths)
    assert "Đã xóa tệp a.jpg." in client.get("/").get_data(as_text=True)


def test_others_cannot_delete_and_nothing_is_deleted_past_draft(app, client, make_user, login, inspector):
    teammate = make_user("thanhtra3", "inspector")
    outsider = make_user("thanhtra4", "inspector")
    draft = _make_case(app, inspector, team=[teammate])
    returned = _make_case(app, inspector, status="returned")
    submitted = _make_case(app, inspector, status="submitted")
    with app.app_context():
        ids = {}
        for case_id in (draft, returned, submitted):
            ev = evidence.store_evidence(
                case=db.session.get(Case, case_id),
                actor=None,
                filename="a.pdf",
                stream=samples.pdf(),
                upload_folder=app.config["UPLOAD_FOLDER"],
                max_bytes=app.config["EVIDENCE_MAX_BYTES"],
            )
            db.session.flush()
            ids[case_id] = ev.id
        db.session.commit()

    assert client.post(f"/evidence/{ids[submitted]}/delete").status_code == 403
    resp = client.post(f"/evidence/{ids[returned]}/delete", data={"next": "/"})
    assert resp.status_code == 302
    assert "Chỉ được xóa chứng cứ khi hồ sơ còn là bản nháp." in client.get("/").get_data(as_text=True)
    client.post("/logout")

    login(outsider)
    assert client.post(f"/evidence/{ids[draft]}/delete").status_code == 403
    assert (
        client.get(buffered=True, path=f"/evidence/{ids[draft]}").status_code == 200
    )  # may see, may not change
    client.post("/logout")

    assert len(_evidence(app)) == 3
    login(teammate)
    assert client.post(f"/evidence/{ids[draft]}/delete").status_code == 302
    assert sorted(ev.id for ev in _evidence(app)) == sorted([ids[returned], ids[submitted]])


def test_upload_needs_an_editable_case_of_ones_own(app, client, make_user, login, inspector):
    submitted = _make_case(app, inspector, status="submitted")
    assert _upload(client, submitted, [("a.jpg", samples.jpeg())]).status_code == 403
    returned = _make_case(app, inspector, status="returned")
    assert _upload(client, returned, [("a.jpg", samples.jpeg())]).status_code == 302
    client.post("/logout")
    login(make_user("thanhtra5", "inspector"))
    draft = _make_case(app, inspector)
    assert _upload(client, draft, [("a.jpg", samples.jpeg())]).status_code == 403
    client.post("/logout")
    login(make_user("quanly1", "manager"))
    assert _upload(client, draft, [("a.jpg", samples.jpeg())]).status_code == 302
    assert len(_evidence(app)) == 2


# --- the partial included on the case page ----------------------------------------------------------


def _render_partial(app, case_id: int, *, can_add: bool, path: str = "/cases/7") -> str:
    with app.test_request_context(path):
        case = db.session.get(Case, case_id)
        html = render_template_string('{% include "evidence/_list.html" %}', case=case, can_add=can_add)
        db.session.remove()
        return html


def test_the_partial_lists_files_and_offers_the_upload_form(app, client, inspector, draft):
    finding = _make_finding(app, draft)
    _upload(client, draft, [("IMG_0001.jpg", samples.jpeg())], finding_id=str(finding))
    _upload(client, draft, [("Biên bản.pdf", samples.pdf())])
    photo, document = _evidence(app)
    html = _render_partial(app, draft, can_add=True)

    assert html.count('data-testid="evidence-item"') == 2
    assert f'src="/evidence/{photo.id}/thumbnail"' in html and f'href="/evidence/{photo.id}"' in html
    assert f'href="/evidence/{document.id}"' in html and "Biên bản.pdf" in html and ">PDF<" in html
    assert f'title="{photo.sha256}"' in html and f"{photo.sha256[:12]}…" in html
    assert "14/03/2026 09:30" in html  # EXIF time shown in Vietnam's time
    assert "KB" in html and "Nguyễn Văn Thanh" in html
    assert 'accept="image/jpeg,image/png,image/webp,application/pdf"' in html
    assert 'name="files" multiple' in html and "capture" not in html
    assert 'enctype="multipart/form-data"' in html and f'action="/evidence/case/{draft}"' in html
    assert 'name="csrf_token"' in html and 'name="next" value="/cases/7"' in html
    assert f'<option value="{finding}">' in html
    assert f'action="/evidence/{photo.id}/delete"' in html and "data-confirm=" in html
    assert "<script" not in html and " onclick=" not in html
    assert "mỗi tệp tối đa 20 MB" in html


def test_the_partial_without_upload_rights_only_lists(app, client, inspector, draft):
    _upload(client, draft, [("a.jpg", samples.jpeg())])
    html = _render_partial(app, draft, can_add=False)
    assert html.count('data-testid="evidence-item"') == 1
    assert 'data-testid="evidence-upload"' not in html and "/delete" not in html


def test_the_partial_of_a_case_without_files(app, inspector, draft):
    html = _render_partial(app, draft, can_add=True)
    assert "Chưa có tệp chứng cứ nào." in html and 'data-testid="evidence-upload"' in html


def test_the_case_page_includes_the_evidence(app, client, inspector, draft):
    _upload(client, draft, [("IMG_0001.jpg", samples.jpeg())])
    html = client.get(_case_page(app, draft)).get_data(as_text=True)
    assert html.count('data-testid="evidence-item"') == 1 and 'data-testid="evidence-upload"' in html
    assert f'name="next" value="{_case_page(app, draft)}"' in html


def test_an_image_with_too_many_pixels_and_a_pdf_with_javascript_get_a_clear_message(
    app, client, inspector, draft
):
    """Issue 15: the attack's 340 KB PNG of 9459×9459 and a PDF whose opening runs JavaScript are refused
    with the reason, nothing stored."""
    from tests.unit.test_evidence_bounds import ACTIVE_PDFS, flat_png

    before = _files_on_disk(app)
    resp = _upload(client, draft, [("anh-lon.png", flat_png(9459, 9459, 2))], next="/")
    assert resp.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "Ảnh anh-lon.png có 89,5 megapixel; chỉ nhận tối đa 64 megapixel." in page
    resp = _upload(client, draft, [("hop-dong.pdf", ACTIVE_PDFS["javascript on opening"])], next="/")
    assert resp.status_code == 302
    assert "Tệp PDF hop-dong.pdf chứa mã lệnh hoặc thao tác tự chạy khi mở" in client.get("/").get_data(
        as_text=True
    )
    assert _evidence(app) == [] and _files_on_disk(app) == before
