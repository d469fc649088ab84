"""Bounded evidence files (issue 15, items 4 and 10).

The attack: a 340 KB PNG of 9459×9459 pixels (under Pillow's bomb limit of 89.5 MP) was accepted, and
decoding it took a worker to 1.18 GB for 4-8 s (five in one request: 22 s). Now the pixels are checked
from the header, before anything is decoded (``EVIDENCE_MAX_PIXELS``, 64 MP; 16 MP for WebP, whose
decoding costs four times as much), and the thumbnail of an accepted image is made without a second
full-size copy: the memory test runs the worst accepted files in a fresh interpreter and reads its peak.

A PDF with JavaScript or actions that run on opening was stored unflagged; it is refused now.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from cases.db import db
from cases.errors import ValidationFailed
from cases.models import Case, EvidenceFile
from cases.recording import evidence
from inspect_app.config import load_config
from tests import evidence_samples as samples

MAX = 20 * 1024 * 1024
ROOT = Path(__file__).resolve().parents[2]

#: Writes a PNG of flat colour row by row (kilobytes for millions of pixels, as the attack's file was).
FLAT_PNG = """
import struct, zlib
def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
def flat_png(width, height, color_type=6):
    channels = {0: 1, 2: 3, 3: 1, 6: 4}[color_type]
    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    parts = [b"\\x89PNG\\r\\n\\x1a\\n", _chunk(b"IHDR", header)]
    if color_type == 3:
        parts.append(_chunk(b"PLTE", b"\\x00\\x00\\x00"))
    packer, row, data = zlib.compressobj(6), b"\\x00" + b"\\x7f" * (width * channels), bytearray()
    for _ in range(height):
        data += packer.compress(row)
    data += packer.flush()
    return b"".join([*parts, _chunk(b"IDAT", bytes(data)), _chunk(b"IEND", b"")])
"""
exec(FLAT_PNG)  # noqa: S102 - the same helper here and in the measuring interpreter


def _prepare(data: bytes, name: str = "tep", **kwargs) -> evidence.PreparedFile:
    return evidence.prepare_files([(name, data)], max_bytes=MAX, **kwargs)[0]


def _refusal(data: bytes, name: str = "tep", **kwargs) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as refused:
        _prepare(data, name, **kwargs)
    return refused.value


def _jpeg_claiming(width: int, height: int) -> bytes:
    """A small JPEG whose frame header (SOF0) claims ``width``×``height``: only the header says so."""
    out = io.BytesIO()
    Image.new("RGB", (16, 16), "red").save(out, format="JPEG")
    data = bytearray(out.getvalue())
    sof = data.index(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, height, width)
    return bytes(data)


def _webp_claiming(width: int, height: int) -> bytes:
    """A lossless WebP of one pixel whose VP8L header is changed to claim ``width``×``height``."""
    out = io.BytesIO()
    Image.new("RGB", (1, 1), "red").save(out, format="WEBP", lossless=True)
    data = bytearray(out.getvalue())
    at = data.index(b"VP8L") + 9  # chunk name, size, signature byte 0x2f
    bits = struct.unpack_from("<I", data, at)[0] & ~((1 << 28) - 1)
    struct.pack_into("<I", data, at, bits | (width - 1) | ((height - 1) << 14))
    return bytes(data)


# --- pixels ----------------------------------------------------------------------------------------


def test_the_attacks_png_of_9459_by_9459_is_refused_from_its_header():
    data = flat_png(9459, 9459, 2)  # noqa: F821 - defined by FLAT_PNG
    assert len(data) < 400 * 1024  # a few hundred kilobytes, like the attack's file
    refused = _refusal(data)
    assert refused.code == "image_too_many_pixels" and refused.field == "files"
    assert refused.params["megapixels"] == "89,5" and refused.params["max_megapixels"] == "64"


def test_a_header_claiming_too_many_pixels_is_refused_before_any_decoding():
    # the data behind these headers is 16×16 or 1×1: decoding it would fail as damaged (file_invalid), so
    # refusing it as too large proves that only the header was read
    assert _refusal(_jpeg_claiming(12_000, 9_000)).code == "image_too_many_pixels"  # 108 MP mode
    assert _refusal(_webp_claiming(5_000, 4_000)).code == "image_too_many_pixels"  # 20 MP of WebP


def test_what_phones_save_is_accepted():
    photo = _prepare(samples.jpeg(size=(4000, 3000)))  # 12 MP
    assert photo.thumbnail is not None and Image.open(io.BytesIO(photo.thumbnail)).size == (320, 240)
    png = _prepare(flat_png(1080, 9000, 6))  # noqa: F821 - a long scrolling screenshot
    assert Image.open(io.BytesIO(png.thumbnail)).size == (38, 320)


def test_the_limit_is_a_setting(tmp_path):
    assert load_config(tmp_path, environ={})["EVIDENCE_MAX_PIXELS"] == 64_000_000
    config = load_config(tmp_path, environ={"EVIDENCE_MAX_PIXELS": "12000000"})
    assert config["EVIDENCE_MAX_PIXELS"] == 12_000_000
    refused = _refusal(samples.jpeg(size=(4000, 3001)), max_pixels=config["EVIDENCE_MAX_PIXELS"])
    assert refused.code == "image_too_many_pixels" and refused.params["max_megapixels"] == "12"


MEASURE = """
import json, resource, sys, time
from cases.recording import evidence
files = [(path, open(path, "rb").read()) for path in sys.argv[1:]]
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
prepared = evidence.prepare_files(files, max_bytes=20 << 20)
assert all(p.thumbnail for p in prepared)
print(json.dumps({"base_kb": base, "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "seconds": time.perf_counter() - start}))
"""


def test_the_worst_accepted_images_decode_in_bounded_memory(tmp_path):
    """The dearest PNG (64 MP, RGBA) and WebP (16 MP) accepted, one after the other, in a fresh
    interpreter that only reads them: decoding them and making their thumbnails adds under 300 MB to its
    peak. Before the fix the PNG alone added 480 MB (the thumbnail and the turn upright each copied the
    full image), the WebP of 16 MP 960 MB, and the attack's image was accepted at all."""
    png, webp = tmp_path / "64mp.png", tmp_path / "16mp.webp"
    png.write_bytes(flat_png(8000, 8000, 6))  # noqa: F821
    Image.new("RGB", (4000, 4000), (120, 60, 30)).save(webp, format="WEBP", quality=80)
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(png), str(webp)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    added_mb = (figures["peak_kb"] - figures["base_kb"]) / 1024
    assert added_mb < 300, figures


# --- PDFs that run something -----------------------------------------------------------------------

JS_ACTION = b"<< /S /JavaScript /JS (app.alert\\(document.cookie\\)) >>"


def _object_stream(body: bytes, *, filters: bytes = b"/FlateDecode") -> bytes:
    packed = zlib.compress(b"6 0 " + body) if filters == b"/FlateDecode" else body
    head = b"<< /Type /ObjStm /N 1 /First 4 /Filter %s /Length %d >>\nstream\n" % (filters, len(packed))
    return head + packed + b"\nendstream"


ACTIVE_PDFS = {
    "javascript on opening": samples.pdf(b"/OpenAction " + JS_ACTION + b" "),
    "javascript by reference": samples.pdf(b"/OpenAction 5 0 R ", (JS_ACTION,)),
    "additional actions": samples.pdf(b"/AA << /WC 5 0 R >> ", (b"<< /S /GoTo /D [3 0 R /Fit] >>",)),
    "launch a program": samples.pdf(b"/OpenAction 5 0 R ", (b"<< /S /Launch /F (cmd.exe) >>",)),
    "escaped names": samples.pdf(b"/OpenAction 5 0 R ", (b"<< /S /J#61vaScript /J#53 (x) >>",)),
    "javascript in an object stream": samples.pdf(b"/Names 6 0 R ", (_object_stream(JS_ACTION),)),
    "an object stream it cannot read": samples.pdf(
        b"", (_object_stream(b"<< >>", filters=b"[/ASCIIHexDecode /FlateDecode]"),)
    ),
}


@pytest.mark.parametrize("data", ACTIVE_PDFS.values(), ids=ACTIVE_PDFS.keys())
def test_a_pdf_that_runs_something_is_refused(data):
    refused = _refusal(data, "hop-dong.pdf")
    assert (refused.code, refused.field) == ("pdf_active_content", "files")
    assert refused.params == {"name": "hop-dong.pdf"}


def test_plain_pdfs_are_accepted():
    assert _prepare(samples.pdf()).content_type == "application/pdf"
    # opening at a page, fitted, is a destination, not an action; a compressed object stream of plain
    # dictionaries is read and passes
    assert _prepare(samples.pdf(b"/OpenAction [3 0 R /Fit] ")).content_type == "application/pdf"
    plain = samples.pdf(b"", (_object_stream(b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>"),))
    assert _prepare(plain).content_type == "application/pdf"


def test_nothing_is_stored_when_a_pdf_runs_something(app_ctx, make_user, tmp_path):
    user = make_user("kiemtra.pdf", "inspector")
    case = Case(
        number="KT-PDF/2026",
        kind="inspection",
        status="draft",
        opened_on=dt.date(2026, 3, 14),
        commune_code="30307",
        created_by_id=user.id,
    )
    db.session.add(case)
    db.session.flush()
    with pytest.raises(ValidationFailed):
        evidence.store_many(
            case=case,
            actor=None,
            files=[("bien-ban.pdf", samples.pdf()), ("hop-dong.pdf", ACTIVE_PDFS["javascript on opening"])],
            upload_folder=tmp_path,
            max_bytes=MAX,
        )
    assert db.session.scalar(select(func.count(EvidenceFile.id))) == 0
    assert not any(p.is_file() for p in tmp_path.rglob("*"))
