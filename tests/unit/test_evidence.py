"""Evidence in the domain: type by content, size limit, hashes, EXIF time, thumbnails, all or nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import re
import unicodedata
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from cases.db import db
from cases.errors import NotFound, ValidationFailed
from cases.models import Case, EvidenceFile, Finding, Violation
from cases.recording import evidence
from inspect_app.config import STATIC_FOLDER, load_config
from tests import evidence_samples as samples

MAX = 20 * 1024 * 1024
_numbers = itertools.count(1)


@pytest.fixture
def inspector(make_user):
    return make_user("thanhtra1", "inspector")


@pytest.fixture
def case(app_ctx, inspector):
    return _case(inspector)


def _case(user, *, status: str = "draft") -> Case:
    case = Case(
        number=f"KT-U{next(_numbers):04d}/2026",
        kind="inspection",
        status=status,
        opened_on=dt.date(2026, 3, 14),
        commune_code="30307",
        created_by_id=user.id,
    )
    db.session.add(case)
    db.session.flush()
    return case


def _finding(case: Case) -> Finding:
    violation = db.session.scalars(select(Violation).order_by(Violation.id).limit(1)).one()
    finding = Finding(case=case, violation_id=violation.id, offender_type="organisation")
    db.session.add(finding)
    db.session.flush()
    return finding


def _store(case, folder, files, **kwargs):
    kwargs.setdefault("max_bytes", MAX)
    return evidence.store_many(case=case, actor=None, files=files, upload_folder=folder, **kwargs)


def _files_on_disk(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _evidence_count() -> int:
    return db.session.scalar(select(func.count(EvidenceFile.id))) or 0


def test_several_files_are_stored_by_sniffed_type_with_hashes_and_thumbnails(case, tmp_path):
    photo, picture, web, document = samples.jpeg(), samples.png(), samples.webp(), samples.pdf()
    stored = _store(
        case,
        tmp_path,
        [("IMG_0001.JPG", io.BytesIO(photo)), ("nhan.png", picture), ("sp.webp", web), ("bb.pdf", document)],
        note="  Quầy xăng số 2  ",
    )
    assert [ev.content_type for ev in stored] == ["image/jpeg", "image/png", "image/webp", "application/pdf"]
    assert [ev.original_name for ev in stored] == ["IMG_0001.JPG", "nhan.png", "sp.webp", "bb.pdf"]
    for ev, data in zip(stored, [photo, picture, web, document], strict=True):
        assert ev.id is not None and ev.case_id == case.id and ev.note == "Quầy xăng số 2"
        assert re.fullmatch(r"[0-9a-f]{32}\.(jpg|png|webp|pdf)", ev.stored_name)
        assert ev.stored_name.endswith(evidence.EXTENSIONS[ev.content_type])
        path = evidence.evidence_path(ev, tmp_path)
        assert path == tmp_path.resolve() / ev.stored_name[:2] / ev.stored_name
        assert path.read_bytes() == data
        assert ev.size_bytes == len(data)
        assert ev.sha256 == hashlib.sha256(data).hexdigest()
    assert [ev.has_thumbnail for ev in stored] == [True, True, True, False]
    for ev in stored[:3]:
        with Image.open(evidence.thumbnail_path(ev, tmp_path)) as thumb:
            assert thumb.format == "JPEG" and max(thumb.size) == 320
    with pytest.raises(NotFound):
        evidence.thumbnail_path(stored[3], tmp_path)
    assert len(_files_on_disk(tmp_path)) == 7
    assert case.evidence == stored


def test_the_type_comes_from_the_content_not_the_name(case, tmp_path):
    photo, document = _store(case, tmp_path, [("bien-ban.pdf", samples.jpeg()), ("anh.jpg", samples.pdf())])
    assert photo.content_type == "image/jpeg" and photo.stored_name.endswith(".jpg")
    assert document.content_type == "application/pdf" and document.stored_name.endswith(".pdf")
    assert photo.original_name == "bien-ban.pdf"  # shown as given, never used for the type or the path


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("anh.jpg", samples.TEXT, "file_type_not_allowed"),
        ("anh.png", samples.HTML, "file_type_not_allowed"),
        ("logo.svg", samples.SVG, "file_type_not_allowed"),
        ("anh.heic", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "file_type_not_allowed"),
        ("anh.jpg", samples.FAKE_JPEG, "file_invalid"),
        ("anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "file_invalid"),
        ("cut.jpg", samples.truncated_jpeg(), "file_invalid"),
        ("empty.jpg", b"", "file_empty"),
    ],
)
def test_files_that_are_not_what_we_accept_are_refused(case, tmp_path, name, data, code):
    with pytest.raises(ValidationFailed) as info:
        _store(case, tmp_path, [(name, data)])
    assert info.value.code == code and info.value.params["name"] == name
    assert _files_on_disk(tmp_path) == [] and _evidence_count() == 0


def test_a_jpeg_saved_as_png_by_its_content_must_still_be_that_format(case, tmp_path):
    # PNG magic bytes followed by a JPEG: Pillow would open it as neither → refused.
    with pytest.raises(ValidationFailed) as info:
        _store(case, tmp_path, [("x.png", b"\x89PNG\r\n\x1a\n" + samples.jpeg())])
    assert info.value.code == "file_invalid"


class _CountingStream(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


def test_a_file_over_the_limit_is_refused_without_reading_it_all(case, tmp_path):
    stream = _CountingStream(b"%PDF-1.4\n" + b"0" * 5_000_000)
    with pytest.raises(ValidationFailed) as info:
        _store(case, tmp_path, [("lon.pdf", stream)], max_bytes=1024 * 1024)
    assert info.value.code == "file_too_large" and info.value.params["max_mb"] == "1"
    assert stream.bytes_read == 1024 * 1024 + 1
    exactly = b"%PDF-1.4\n" + b"0" * (1024 * 1024 - 9)
    (ev,) = _store(case, tmp_path, [("vua.pdf", exactly)], max_bytes=1024 * 1024)
    assert ev.size_bytes == 1024 * 1024


def test_max_mb_for_messages():
    assert evidence.max_mb(20 * 1024 * 1024) == "20"
    assert evidence.max_mb(1536 * 1024) == "1.5"


# 20,000 pixels: above a limit of 15,000 Pillow warns, above twice a limit of 9,000 it raises
@pytest.mark.parametrize("limit", [15_000, 9_000])
def test_decompression_bombs_are_refused(case, tmp_path, monkeypatch, limit):
    bomb = io.BytesIO()
    Image.new("L", (200, 100)).save(bomb, format="PNG")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", limit)
    with pytest.raises(ValidationFailed) as info:
        _store(case, tmp_path, [("bom.png", bomb.getvalue())])
    assert info.value.code == "image_too_many_pixels"  # said as such since issue 15 (was file_invalid)
    assert _files_on_disk(tmp_path) == []


def test_one_bad_file_among_good_ones_stores_nothing(case, tmp_path):
    files = [
        ("a.jpg", samples.jpeg()),
        ("b.pdf", samples.pdf()),
        ("c.jpg", samples.TEXT),
        ("d.png", samples.png()),
    ]
    with pytest.raises(ValidationFailed) as info:
        _store(case, tmp_path, files)
    assert info.value.code == "file_type_not_allowed" and info.value.params["name"] == "c.jpg"
    db.session.flush()
    assert _evidence_count() == 0 and case.evidence == []
    assert _files_on_disk(tmp_path) == []


def test_a_failure_while_writing_removes_the_files_already_written(case, tmp_path, monkeypatch):
    real_write = evidence._write
    calls = []

    def failing_write(folder, prepared, written):
        calls.append(prepared.original_name)
        if len(calls) == 3:
            raise OSError("disk full")
        return real_write(folder, prepared, written)

    monkeypatch.setattr(evidence, "_write", failing_write)
    with pytest.raises(OSError):
        _store(
            case, tmp_path, [("a.jpg", samples.jpeg()), ("b.pdf", samples.pdf()), ("c.png", samples.png())]
        )
    assert calls == ["a.jpg", "b.pdf", "c.png"]
    assert _files_on_disk(tmp_path) == []
    assert case.evidence == [] and _evidence_count() == 0  # no row left pending in the session


def test_a_failing_flush_removes_the_files(case, tmp_path, monkeypatch):
    def broken_flush(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(db.session, "flush", broken_flush)
    with pytest.raises(RuntimeError):
        _store(case, tmp_path, [("a.jpg", samples.jpeg())])
    monkeypatch.undo()
    db.session.rollback()
    assert _files_on_disk(tmp_path) == []


def test_no_files_is_an_error(case, tmp_path):
    with pytest.raises(ValidationFailed) as info:
        _store(case, tmp_path, [])
    assert info.value.code == "no_files"


def test_captured_at_comes_from_exif_then_the_given_value_then_now(case, tmp_path):
    given = dt.datetime(2026, 3, 10, 8, 0, tzinfo=dt.UTC)
    before = dt.datetime.now(dt.UTC)
    photo, with_offset, document, no_exif, pdf_now = _store(
        case,
        tmp_path,
        [
            ("a.jpg", samples.jpeg(taken="2026:03:14 09:30:00")),  # camera in Vietnam's local time
            ("b.jpg", samples.jpeg(taken="2026:03:14 09:30:00", offset="+09:00")),
            ("c.pdf", samples.pdf()),
            ("d.jpg", samples.jpeg(taken=None)),
        ],
        captured_at=given,
    ) + _store(case, tmp_path, [("e.pdf", samples.pdf())])

    def utc(value: dt.datetime) -> dt.datetime:  # SQLite gives naive UTC back
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)

    db.session.expire_all()
    assert utc(photo.captured_at) == dt.datetime(2026, 3, 14, 2, 30, tzinfo=dt.UTC)
    assert utc(with_offset.captured_at) == dt.datetime(2026, 3, 14, 0, 30, tzinfo=dt.UTC)
    assert utc(document.captured_at) == given
    assert utc(no_exif.captured_at) == given
    assert before <= utc(pdf_now.captured_at) <= dt.datetime.now(dt.UTC)


@pytest.mark.parametrize(
    "taken", ["0000:00:00 00:00:00", "garbage", "2099:01:01 00:00:00", "1970:01:01 00:00:00"]
)
def test_unusable_exif_dates_are_ignored(case, tmp_path, taken):
    given = dt.datetime(2026, 3, 10, 8, 0, tzinfo=dt.UTC)
    (ev,) = _store(case, tmp_path, [("a.jpg", samples.jpeg(taken=taken))], captured_at=given)
    assert ev.captured_at == given


def test_a_naive_given_time_is_local_time(case, tmp_path):
    (ev,) = _store(case, tmp_path, [("a.pdf", samples.pdf())], captured_at=dt.datetime(2026, 3, 10, 15, 0))
    assert ev.captured_at == dt.datetime(2026, 3, 10, 8, 0, tzinfo=dt.UTC)


def test_the_thumbnail_is_upright_by_exif_orientation(case, tmp_path):
    # a 400×200 sensor image that the camera marks "rotate 90°": shown as 200×400 (portrait)
    (ev,) = _store(case, tmp_path, [("xoay.jpg", samples.jpeg(size=(400, 200), orientation=6))])
    with Image.open(evidence.thumbnail_path(ev, tmp_path)) as thumb:
        assert thumb.size == (160, 320)


def test_a_transparent_png_gets_a_white_background_in_its_thumbnail(case, tmp_path):
    (ev,) = _store(case, tmp_path, [("nhan.png", samples.png(size=(640, 640)))])
    with Image.open(evidence.thumbnail_path(ev, tmp_path)) as thumb:
        assert thumb.mode == "RGB" and thumb.size == (320, 320)
        r, g, b = thumb.getpixel((310, 310))
        assert min(r, g, b) > 240  # transparent corner → white, not black


def test_store_evidence_attaches_one_file_to_a_finding_of_the_case(case, tmp_path, inspector):
    finding = _finding(case)
    ev = evidence.store_evidence(
        case=case,
        actor=db.session.get(type(inspector), inspector.id),
        filename="vi-pham.jpg",
        stream=samples.jpeg(),
        finding=finding,
        upload_folder=tmp_path,
        max_bytes=MAX,
    )
    assert ev.finding is finding and ev.case is case and ev.uploaded_by_id == inspector.id
    assert finding.evidence == [ev]


def test_a_finding_of_another_case_is_refused(case, tmp_path, inspector):
    other = _finding(_case(inspector))
    with pytest.raises(ValidationFailed) as info:
        _store(case, tmp_path, [("a.jpg", samples.jpeg())], finding=other)
    assert info.value.code == "finding_not_in_case"
    assert _files_on_disk(tmp_path) == []


def test_a_long_note_is_refused(case, tmp_path):
    with pytest.raises(ValidationFailed) as info:
        _store(case, tmp_path, [("a.pdf", samples.pdf())], note="x" * 301)
    assert info.value.code == "note_too_long" and info.value.field == "note"


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("C:\\Users\\An\\Pictures\\anh 1.jpg", "anh 1.jpg"),
        ("../../etc/passwd", "passwd"),
        ("a\x00b\r\n.jpg", "ab.jpg"),
        (unicodedata.normalize("NFD", "Ảnh cửa hàng.jpg"), "Ảnh cửa hàng.jpg"),
        ("", "evidence.jpg"),
        ("..", "evidence.jpg"),
        ("x" * 300 + ".jpeg", "x" * 250 + ".jpeg"),
        ("y" * 300, "y" * 255),
    ],
)
def test_display_names_are_sanitised(given, shown):
    assert evidence.display_name(given, "image/jpeg") == shown
    assert unicodedata.is_normalized("NFC", evidence.display_name(given, "image/jpeg"))


@pytest.mark.parametrize(
    "stored_name",
    [
        "../../etc/passwd",
        "/etc/passwd",
        "ab/../../x.jpg",
        "0123456789abcdef0123456789abcdef.html",
        "0123456789abcdef0123456789abcdef.svg",
        "0123456789ABCDEF0123456789ABCDEF.jpg",
        "0123456789abcdef0123456789abcdef.jpg/../../../etc/passwd",
        "",
    ],
)
def test_paths_never_leave_the_upload_folder(tmp_path, stored_name):
    ev = EvidenceFile(stored_name=stored_name, content_type="image/jpeg", has_thumbnail=True)
    with pytest.raises(NotFound):
        evidence.evidence_path(ev, tmp_path)
    with pytest.raises(NotFound):
        evidence.thumbnail_path(ev, tmp_path)
    assert evidence.files_of(ev, tmp_path) == []


def test_the_served_type_must_agree_with_the_stored_name():
    good = EvidenceFile(stored_name="0123456789abcdef0123456789abcdef.jpg", content_type="image/jpeg")
    assert evidence.served_content_type(good) == "image/jpeg"
    for stored_name, content_type in [
        ("0123456789abcdef0123456789abcdef.jpg", "text/html"),
        ("0123456789abcdef0123456789abcdef.pdf", "image/jpeg"),
        ("0123456789abcdef0123456789abcdef.jpg", "image/svg+xml"),
    ]:
        with pytest.raises(NotFound):
            evidence.served_content_type(EvidenceFile(stored_name=stored_name, content_type=content_type))


def test_delete_evidence_of_a_draft_returns_the_files_to_remove(case, tmp_path):
    photo, document = _store(case, tmp_path, [("a.jpg", samples.jpeg()), ("b.pdf", samples.pdf())])
    paths = evidence.delete_evidence(photo, tmp_path)
    assert paths == [evidence.evidence_path(photo, tmp_path), evidence.thumbnail_path(photo, tmp_path)]
    assert all(p.exists() for p in paths)  # removed by the caller once the deletion is committed
    evidence.remove_files(paths)
    evidence.remove_files(paths)  # already gone: no error
    assert _evidence_count() == 1 and case.evidence == [document]
    assert _files_on_disk(tmp_path) == [evidence.evidence_path(document, tmp_path)]


@pytest.mark.parametrize("status", ["submitted", "returned", "approved", "closed", "cancelled"])
def test_evidence_of_a_case_past_draft_stays(app_ctx, inspector, tmp_path, status):
    case = _case(inspector)
    (ev,) = _store(case, tmp_path, [("a.pdf", samples.pdf())])
    case.status = status
    db.session.flush()
    with pytest.raises(ValidationFailed) as info:
        evidence.delete_evidence(ev, tmp_path)
    assert info.value.code == "evidence_locked"
    assert _evidence_count() == 1


# --- configuration ---------------------------------------------------------------------------------


def test_upload_settings_default_to_the_instance_folder(tmp_path):
    config = load_config(tmp_path, environ={})
    assert config["UPLOAD_FOLDER"] == str(tmp_path / "evidence")
    assert config["EVIDENCE_MAX_BYTES"] == 20 * 1024 * 1024
    assert config["MAX_CONTENT_LENGTH"] == 64 * 1024 * 1024


def test_upload_settings_from_the_environment(tmp_path):
    config = load_config(
        tmp_path, environ={"UPLOAD_FOLDER": "/srv/evidence", "EVIDENCE_MAX_BYTES": "1048576"}
    )
    assert config["UPLOAD_FOLDER"] == "/srv/evidence" and config["EVIDENCE_MAX_BYTES"] == 1048576
    with pytest.raises(ValueError, match="EVIDENCE_MAX_BYTES"):
        load_config(tmp_path, environ={"EVIDENCE_MAX_BYTES": "20MB"})


def test_the_upload_folder_may_not_be_in_the_static_folder(tmp_path):
    with pytest.raises(ValueError, match="static"):
        load_config(tmp_path, environ={"UPLOAD_FOLDER": str(STATIC_FOLDER / "evidence")})


def test_a_truncated_photo_is_refused_even_after_a_pdf_was_made(case, tmp_path):
    """WeasyPrint, once imported, tells Pillow to accept truncated images process-wide."""
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = True  # what importing WeasyPrint does
    try:
        with pytest.raises(ValidationFailed) as info:
            _store(case, tmp_path, [("cut.jpg", samples.truncated_jpeg())])
        assert info.value.code == "file_invalid"
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = False
