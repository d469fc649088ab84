"""Evidence files: photos and PDFs attached to a case or to one of its findings.

The type is decided by the content (magic bytes, then Pillow for images), never by the name the browser
sent; that name is kept only for display. Files live outside the static folder under random names
(``<32 hex>.<ext>``, the extension chosen from the sniffed type) in subfolders named by the first two
characters, with a JPEG thumbnail ``<name>_thumb.jpg`` beside each image.

:func:`store_files`, :func:`delete_stored` and the path helpers serve the evidence of cases and of
activities (``cases/plan/activities.py``) alike: they take any row with the columns of
``cases.models.StoredFile``, and an :class:`Owner` says what the new rows are attached to.

Like the rest of ``cases``, these functions flush and never commit, and know nothing of Flask's request:
the caller passes the upload folder and the size limit (``app.config["UPLOAD_FOLDER"]`` and
``["EVIDENCE_MAX_BYTES"]``). A view that fails to commit after :func:`store_many` removes the files with
:func:`remove_files`; after :func:`delete_evidence` it removes them once the deletion is committed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import secrets
import unicodedata
import warnings
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from PIL import ExifTags, Image, ImageFile, UnidentifiedImageError

from cases.audit import trail as audit
from cases.db import db
from cases.enums import CaseStatus
from cases.errors import NotFound, ValidationFailed
from cases.models import Case, EvidenceFile, Finding, StoredFile, User
from cases.rendering.formatting import LOCAL_TZ

#: Sniffed content type → extension of the stored file.
EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "application/pdf": ".pdf",
}
CONTENT_TYPES = {ext: content_type for content_type, ext in EXTENSIONS.items()}
IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp"}
#: What Pillow must recognise for each sniffed image type (phones write multi-picture JPEGs as MPO).
PILLOW_FORMATS = {"image/jpeg": {"JPEG", "MPO"}, "image/png": {"PNG"}, "image/webp": {"WEBP"}}

#: The most pixels an evidence photo may have (the caller passes ``app.config["EVIDENCE_MAX_PIXELS"]``).
#: 64 MP admits what every phone saves in its normal mode (12, 24, 48 or 50 MP, binned from 48-200 MP
#: sensors) and refuses the 108/200 MP full-resolution modes, whose decoding alone needs 0.3-0.8 GB. It is
#: checked from the header, before anything is decoded (docs/security.md has the measured cost).
MAX_PIXELS = 64_000_000
#: What decoding costs per pixel, by format, as measured with Pillow 13: a JPEG is decoded at 1/8 scale
#: (``draft``), a PNG in full (4 bytes a pixel: RGB is stored as RGBX), a WebP in full through libwebp's
#: RGBA buffer and two copies of it (about 16 bytes a pixel).
DECODE_BYTES_PER_PIXEL = {"JPEG": 0, "MPO": 0, "PNG": 4, "WEBP": 16}
#: The memory decoding one image may take (64 MP of PNG; 16 MP of WebP): fewer pixels for a costlier format.
DECODE_BUDGET_BYTES = 256 * 1024 * 1024
THUMBNAIL_SIZE = 320
THUMBNAIL_SUFFIX = "_thumb.jpg"
MAX_NAME_LENGTH = 255
MAX_NOTE_LENGTH = 300
_STORED_NAME = re.compile(r"^[0-9a-f]{32}\.(?:jpg|png|webp|pdf)$")
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class PreparedFile:
    """A file that passed every check, ready to be written (nothing is on disk yet)."""

    original_name: str
    content_type: str
    data: bytes
    sha256: str
    captured_at: dt.datetime | None
    thumbnail: bytes | None


# --- checking --------------------------------------------------------------------------------------


def sniff_content_type(head: bytes) -> str | None:
    """The content type from the first bytes, or ``None`` for anything we do not accept."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def display_name(filename: str | None, content_type: str | None = None) -> str:
    """The name the user gave, made safe to show: base name only, no control characters, ≤ 255 chars.

    An empty name becomes ``evidence.<ext>`` when the type is known, else ``""``.
    """
    name = unicodedata.normalize("NFC", filename or "")  # macOS browsers send decomposed Vietnamese
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if name in {"", ".", ".."}:
        return "evidence" + EXTENSIONS[content_type] if content_type else ""
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, suffix = name.rpartition(".")
        if dot and stem and len(suffix) <= 10:
            name = stem[: MAX_NAME_LENGTH - len(suffix) - 1].rstrip() + "." + suffix
        else:
            name = name[:MAX_NAME_LENGTH]
    return name


def max_mb(max_bytes: int) -> str:
    """``20971520`` → ``"20"``; ``1572864`` → ``"1.5"`` (for messages)."""
    value = max_bytes / (1024 * 1024)
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def _read_limited(stream: BinaryIO | bytes, max_bytes: int, name: str) -> bytes:
    if isinstance(stream, bytes | bytearray | memoryview):
        data = bytes(stream)
    else:
        buffer = bytearray()
        while len(buffer) <= max_bytes:
            chunk = stream.read(min(_CHUNK, max_bytes + 1 - len(buffer)))
            if not chunk:
                break
            buffer += chunk
        data = bytes(buffer)
    if len(data) > max_bytes:
        raise ValidationFailed("file_too_large", field="files", name=name, max_mb=max_mb(max_bytes))
    if not data:
        raise ValidationFailed("file_empty", field="files", name=name)
    return data


def _open_image(data: bytes, content_type: str, name: str, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """Open and fully decode an image, refusing anything damaged, disguised or with too many pixels.

    The size comes from the header (``Image.open`` reads no pixel data): more than ``max_pixels`` (fewer for
    a format that is dear to decode, :data:`DECODE_BUDGET_BYTES`) is refused before anything is decoded. A
    JPEG is then decoded at a reduced scale (``draft``: every byte is still read, so a cut file fails, in
    1/64 of the memory); a PNG or a WebP in full.
    """
    invalid = ValidationFailed("file_invalid", field="files", name=name)
    ImageFile.LOAD_TRUNCATED_IMAGES = False  # some libraries (WeasyPrint) switch it on when imported
    try:
        with warnings.catch_warnings():
            # our own limit, far below Pillow's, says how many pixels there are; past twice Pillow's
            # (179 MP) Image.open refuses without telling: "far too many" then
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            try:
                probe = Image.open(io.BytesIO(data))
            except Image.DecompressionBombError:
                raise ValidationFailed(
                    "image_too_many_pixels",
                    field="files",
                    name=name,
                    megapixels=None,
                    max_megapixels=_megapixels(max_pixels),
                ) from None
            with probe:
                if probe.format not in PILLOW_FORMATS[content_type]:
                    raise invalid
                width, height = probe.size
                if width < 1 or height < 1:
                    raise invalid
                max_pixels = min(max_pixels, Image.MAX_IMAGE_PIXELS or max_pixels)  # Pillow's, if lower
                per_pixel = DECODE_BYTES_PER_PIXEL.get(probe.format or "", 16)
                if per_pixel:
                    max_pixels = min(max_pixels, DECODE_BUDGET_BYTES // per_pixel)
                if width * height > max_pixels:
                    raise ValidationFailed(
                        "image_too_many_pixels",
                        field="files",
                        name=name,
                        megapixels=_megapixels(width * height),
                        max_megapixels=_megapixels(max_pixels),
                        width=width,
                        height=height,
                    )
                probe.verify()
            image = Image.open(io.BytesIO(data))
            try:
                if image.size != (width, height):
                    raise invalid
                if image.format in {"JPEG", "MPO"}:  # decode at reduced scale: all the data, less memory
                    image.draft("RGB", (2 * THUMBNAIL_SIZE, 2 * THUMBNAIL_SIZE))
                image.load()  # a truncated file fails here (verify() does not decode JPEG data)
            except BaseException:
                image.close()
                raise
    except ValidationFailed:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
        MemoryError,
    ) as exc:
        raise invalid from exc
    return image


def _megapixels(pixels: int) -> str:
    """``64_000_000`` → ``"64"``, ``89_472_681`` → ``"89,5"`` (Vietnamese decimal comma)."""
    value = pixels / 1_000_000
    return f"{value:.0f}" if value >= 100 or value == int(value) else f"{value:.1f}".replace(".", ",")


#: PDF names that make a reader run something: scripts, actions on events, launching a program.
_PDF_ACTIVE = re.compile(rb"/(?:JS|JavaScript|AA|Launch)(?![^\s/<>\[\]()%{}])|/OpenAction\s*<<")
#: A name written with ``#xx`` escapes (``/J#61vaScript`` is ``/JavaScript``).
_PDF_ESCAPED_NAME = re.compile(rb"/[^\s/<>\[\]()%{}]*#[0-9A-Fa-f]{2}[^\s/<>\[\]()%{}]*")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
#: Names no honest PDF escapes: one that does hides what it says from this check.
_PDF_KEYWORDS = {b"JS", b"JavaScript", b"AA", b"Launch", b"OpenAction", b"ObjStm", b"Type", b"Filter"}
_PDF_KEYWORDS |= {b"FlateDecode", b"Fl", b"S"}
_PDF_OBJSTM = re.compile(rb"/ObjStm(?![^\s/<>\[\]()%{}])")
_PDF_STREAM_START = re.compile(rb"stream\r?\n")
_PDF_OTHER_FILTERS = re.compile(
    rb"/(?:ASCIIHexDecode|AHx|ASCII85Decode|A85|LZWDecode|LZW|RunLengthDecode|RL|Crypt)\b"
)
#: What object streams may inflate to, in all (they hold a PDF's dictionaries: small).
_PDF_INFLATE_BUDGET = 64 * 1024 * 1024


def _pdf_active(chunk: bytes) -> bool:
    if _PDF_ACTIVE.search(chunk):
        return True
    for match in _PDF_ESCAPED_NAME.finditer(chunk):
        name = _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group()[1:])
        if name in _PDF_KEYWORDS:
            return True
    return False


def pdf_active_content(data: bytes) -> bool:
    """Whether a PDF would run something when opened: JavaScript (``/JS``, ``/JavaScript``), an action on
    opening (``/OpenAction << … >>``) or on events (``/AA``), launching a program (``/Launch``).

    The whole file is searched (linear regular expressions, no parsing to exploit), names written with
    ``#xx`` escapes decoded, and so is every object stream (``/Type /ObjStm``, where PDF 1.5 files keep
    their dictionaries, compressed), inflated within a budget. What cannot be checked counts as active and is
    not stored: an escaped keyword, an object stream with another filter than Flate (or encrypted, damaged,
    over the budget). An action named by reference (``/OpenAction 5 0 R``) is caught by what it holds
    (``/S /JavaScript /JS …``); a destination (``/OpenAction [3 0 R /Fit]``) only shows a page. A scan or a
    word processor's PDF has none of these.
    """
    if _pdf_active(data):
        return True
    budget = _PDF_INFLATE_BUDGET
    for match in _PDF_OBJSTM.finditer(data):
        start = _PDF_STREAM_START.search(data, match.end(), match.end() + 4096)
        if start is None:
            continue  # a name in passing, not a stream's dictionary
        dictionary = data[max(0, match.start() - 2048) : start.start()]
        if _PDF_OTHER_FILTERS.search(dictionary):
            return True
        end = data.find(b"endstream", start.end())
        body = data[start.end() : end if end >= 0 else len(data)]
        if b"/Fl" in dictionary:  # FlateDecode (or its abbreviation), the only filter left
            inflater = zlib.decompressobj()
            try:
                body = inflater.decompress(body, max(budget, 1))
            except zlib.error:
                return True
            if inflater.unconsumed_tail:
                return True  # over the budget
        budget -= len(body)
        if _pdf_active(body):
            return True
    return False


def _exif_captured_at(image: Image.Image) -> dt.datetime | None:
    """EXIF DateTimeOriginal (with OffsetTimeOriginal when present, else local time), in UTC."""
    try:
        exif = image.getexif().get_ifd(ExifTags.IFD.Exif)
        raw = exif.get(ExifTags.Base.DateTimeOriginal)
        offset = exif.get(ExifTags.Base.OffsetTimeOriginal)
    except Exception:  # damaged EXIF is no reason to refuse the photo
        return None
    if not isinstance(raw, str):
        return None
    try:
        taken = dt.datetime.strptime(raw.strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    tz: dt.tzinfo = LOCAL_TZ
    offset = offset.strip("\x00 ") if isinstance(offset, str) else ""
    if re.fullmatch(r"[+-]\d\d:\d\d", offset):
        sign = -1 if offset.startswith("-") else 1
        hours, minutes = int(offset[1:3]), int(offset[4:6])
        tz = dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
    taken = taken.replace(tzinfo=tz).astimezone(dt.UTC)
    if taken.year < 1990 or taken > dt.datetime.now(dt.UTC) + dt.timedelta(days=1):
        return None  # an unset or wrong camera clock
    return taken


#: EXIF orientation → the turn that makes the picture upright (what ``ImageOps.exif_transpose`` does).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
#: Rows shrunk at a time: a strip is the only copy made at full width.
_STRIP_ROWS = 256


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in {"RGBA", "LA", "PA", "RGBa", "La"} or (
        image.mode == "P" and "transparency" in image.info
    )


def _shrunk(image: Image.Image) -> Image.Image:
    """The decoded image reduced (box filter) to about twice the thumbnail, strip by strip, in RGB(A).

    Pillow's ``thumbnail`` and ``reduce`` copy the whole image first for RGBA (premultiplied) and P
    (converted): a second full-size copy, 256 MB more for a 64 MP PNG. Here only one strip of
    about :data:`_STRIP_ROWS` rows is copied at full width at a time.
    """
    width, height = image.size
    factor = max(1, min(width, height) // (2 * THUMBNAIL_SIZE))
    mode = "RGBA" if _has_alpha(image) else "RGB"
    out = Image.new(mode, (-(-width // factor), -(-height // factor)), "white")
    rows = factor * max(1, _STRIP_ROWS // factor)  # a whole number of reduced rows per strip
    for top in range(0, height, rows):
        strip = image.crop((0, top, width, min(height, top + rows)))
        if strip.mode != mode:
            strip = strip.convert(mode)
        out.paste(strip.reduce(factor) if factor > 1 else strip, (0, top // factor))
    return out


def _thumbnail(image: Image.Image) -> bytes | None:
    """A JPEG of at most 320 px, upright (EXIF orientation applied), transparency on white.

    Made from :func:`_shrunk`, so that no second copy of the full image is ever made (turning it upright
    before shrinking it would be one too).
    """
    try:
        orientation = image.getexif().get(ExifTags.Base.Orientation)
        thumb = _shrunk(image)
        thumb.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE))
        if orientation in _UPRIGHT:
            thumb = thumb.transpose(_UPRIGHT[orientation])
        if thumb.mode == "RGBA":
            flat = Image.new("RGB", thumb.size, "white")
            flat.paste(thumb, mask=thumb.getchannel("A"))
            thumb = flat
        out = io.BytesIO()
        thumb.save(out, format="JPEG", quality=82, optimize=True)
    except (OSError, ValueError, SyntaxError):
        return None
    return out.getvalue()


def _prepare(
    filename: str | None, stream: BinaryIO | bytes, *, max_bytes: int, max_pixels: int = MAX_PIXELS
) -> PreparedFile:
    shown = display_name(filename) or "?"
    data = _read_limited(stream, max_bytes, shown)
    content_type = sniff_content_type(data[:16])
    if content_type is None:
        raise ValidationFailed("file_type_not_allowed", field="files", name=shown)
    name = display_name(filename, content_type)
    captured_at = thumbnail = None
    if content_type == "application/pdf" and pdf_active_content(data):
        raise ValidationFailed("pdf_active_content", field="files", name=name)
    if content_type in IMAGE_TYPES:
        image = _open_image(data, content_type, name, max_pixels)
        try:
            captured_at = _exif_captured_at(image)
            thumbnail = _thumbnail(image)
        finally:
            image.close()
    return PreparedFile(
        original_name=name,
        content_type=content_type,
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        captured_at=captured_at,
        thumbnail=thumbnail,
    )


def _clean_note(note: str | None) -> str | None:
    note = (note or "").strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise ValidationFailed("note_too_long", field="note", max=MAX_NOTE_LENGTH)
    return note or None


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    """Aware UTC (a naive value is taken as local time); SQLite keeps no zone, so always store UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=LOCAL_TZ)
    return value.astimezone(dt.UTC)


# --- storing ---------------------------------------------------------------------------------------


def _folder(upload_folder: str | Path) -> Path:
    return Path(upload_folder).resolve()


def _inside(folder: Path, stored_name: str, suffix: str = "") -> Path:
    """The path of a stored name, refusing any name that is not ours or would leave the folder."""
    if not isinstance(stored_name, str) or not _STORED_NAME.fullmatch(stored_name):
        raise NotFound("evidence_file_missing")
    name = stored_name if not suffix else stored_name.rsplit(".", 1)[0] + suffix
    path = (folder / stored_name[:2] / name).resolve()
    if not path.is_relative_to(folder) or path.parent.parent != folder:
        raise NotFound("evidence_file_missing")
    return path


def evidence_path(ev: StoredFile, upload_folder: str | Path) -> Path:
    """Where the file of ``ev`` lives; raises ``NotFound`` for a name we could not have given."""
    return _inside(_folder(upload_folder), ev.stored_name)


def thumbnail_path(ev: StoredFile, upload_folder: str | Path) -> Path:
    """Where the thumbnail of ``ev`` lives; raises ``NotFound`` when it has none."""
    if not ev.has_thumbnail:
        raise NotFound("evidence_file_missing")
    return _inside(_folder(upload_folder), ev.stored_name, THUMBNAIL_SUFFIX)


def served_content_type(ev: StoredFile) -> str:
    """The type to send: the sniffed one, and only if it agrees with the stored name's extension."""
    ext = "." + ev.stored_name.rsplit(".", 1)[-1] if "." in (ev.stored_name or "") else ""
    if ev.content_type not in EXTENSIONS or CONTENT_TYPES.get(ext) != ev.content_type:
        raise NotFound("evidence_file_missing")
    return ev.content_type


def files_of(ev: StoredFile, upload_folder: str | Path) -> list[Path]:
    """The file and thumbnail of ``ev`` (the ones a tampered name would point to are left out)."""
    paths = []
    try:
        paths.append(evidence_path(ev, upload_folder))
        if ev.has_thumbnail:
            paths.append(thumbnail_path(ev, upload_folder))
    except NotFound:
        pass
    return paths


def remove_files(paths: Iterable[Path]) -> None:
    """Remove files, ignoring those already gone."""
    for path in paths:
        path.unlink(missing_ok=True)


def _write(folder: Path, prepared: PreparedFile, written: list[Path]) -> str:
    stored_name = secrets.token_hex(16) + EXTENSIONS[prepared.content_type]
    path = _inside(folder, stored_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("xb") as fh:  # never overwrite
        written.append(path)
        fh.write(prepared.data)
    if prepared.thumbnail is not None:
        thumb = _inside(folder, stored_name, THUMBNAIL_SUFFIX)
        with thumb.open("xb") as fh:
            written.append(thumb)
            fh.write(prepared.thumbnail)
    return stored_name


def write_copies(
    upload_folder: str | Path, prepared: PreparedFile, stored_names: Sequence[str], written: list[Path]
) -> None:
    """Store one checked file under several stored names (each a row's own, as :func:`write_files` gives
    them: ``<32 hex>.<ext>``), with its thumbnail beside each: the first written, the others hard links to
    it where the file system allows (the same bytes on disk once), else copies. Used by the demo data
    (``cases/demo/files.py``), whose many evidence rows share a few files. Never overwrites; every path
    created is appended to ``written``."""
    folder = _folder(upload_folder)
    first: dict[str, Path] = {}
    for stored_name in stored_names:
        if not stored_name.endswith(EXTENSIONS[prepared.content_type]):
            raise ValueError(f"{stored_name}: not a {prepared.content_type} name")
        parts = [("", prepared.data)]
        if prepared.thumbnail is not None:
            parts.append((THUMBNAIL_SUFFIX, prepared.thumbnail))
        for suffix, data in parts:
            path = _inside(folder, stored_name, suffix)
            path.parent.mkdir(parents=True, exist_ok=True)
            source = first.get(suffix)
            try:
                if source is None:
                    raise OSError("the first copy is written")
                os.link(source, path)
            except FileExistsError:
                raise
            except OSError:
                with path.open("xb") as fh:
                    fh.write(data)
            written.append(path)
            first.setdefault(suffix, path)


def prepare_files(
    files: Sequence[tuple[str | None, BinaryIO | bytes]], *, max_bytes: int, max_pixels: int = MAX_PIXELS
) -> list[PreparedFile]:
    """Check every file (size, sniffed type, a decodable image of at most ``max_pixels``, a PDF without
    scripts or actions) before anything is written.

    Raises ``ValidationFailed`` (field ``files``) for the first file refused, or ``no_files``.
    """
    if not files:
        raise ValidationFailed("no_files", field="files")
    return [_prepare(name, stream, max_bytes=max_bytes, max_pixels=max_pixels) for name, stream in files]


def write_files(
    upload_folder: str | Path, prepared: Sequence[PreparedFile], written: list[Path]
) -> list[str]:
    """Write checked files under random names; returns the stored names.

    Every path written is appended to ``written`` as it is created, so that the caller can remove them
    all (:func:`remove_files`) when anything later fails.
    """
    folder = _folder(upload_folder)
    return [_write(folder, item, written) for item in prepared]


@dataclass(frozen=True)
class Owner:
    """What stored files are attached to: the row class, the owner's columns of every row, and how the
    audit trail records an upload (the row's fields it shows, under which case, with which reason)."""

    model: Callable[..., StoredFile]  # EvidenceFile or ActivityFile
    columns: dict[str, Any]
    audited: tuple[str, ...]
    case: Case | None = None
    reason: str | None = None
    #: more columns of each row, from its checked file (e.g. when a photo was taken)
    per_file: Callable[[PreparedFile], dict[str, Any]] | None = None


def store_files(
    owner: Owner,
    *,
    actor: User | None,
    files: Sequence[tuple[str | None, BinaryIO | bytes]],
    upload_folder: str | Path,
    max_bytes: int,
    max_pixels: int = MAX_PIXELS,
) -> list[Any]:
    """Check every file, then store them all as rows of ``owner``; if any is refused, nothing is stored
    (no row, no file).

    ``files`` are ``(name the browser sent, bytes or a binary stream)``. Raises ``ValidationFailed``
    (field ``files``) as :func:`prepare_files` does. A caller that fails to commit afterwards removes the
    files with :func:`remove_files`.
    """
    prepared = prepare_files(files, max_bytes=max_bytes, max_pixels=max_pixels)
    written: list[Path] = []
    try:
        stored_names = write_files(upload_folder, prepared, written)  # every file, then the rows
        created = [
            owner.model(
                **owner.columns,
                **(owner.per_file(item) if owner.per_file is not None else {}),
                original_name=item.original_name,
                stored_name=stored_name,
                content_type=item.content_type,
                size_bytes=len(item.data),
                sha256=item.sha256,
                has_thumbnail=item.thumbnail is not None,
                uploaded_by=actor,
            )
            for item, stored_name in zip(prepared, stored_names, strict=True)
        ]
        db.session.add_all(created)
        db.session.flush()
        for row in created:
            audit.record(
                actor,
                "upload",
                case=owner.case,
                entity=row,
                changes=audit.diff({}, {name: getattr(row, name) for name in owner.audited}),
                reason=owner.reason,
            )
    except BaseException:
        remove_files(written)
        raise
    return created


def delete_stored(
    row: StoredFile, upload_folder: str | Path, *, actor: User | None, case: Case | None = None
) -> list[Path]:
    """Delete a stored file's row (whether it may be deleted is the caller's question); returns its files,
    to remove once the deletion is committed (:func:`remove_files`)."""
    paths = files_of(row, upload_folder)
    audit.record(actor, "delete", case=case, entity=row, changes=audit.diff(audit.snapshot(row), {}))
    db.session.delete(row)
    db.session.flush()
    return paths


def store_many(
    *,
    case: Case,
    actor: User | None,
    files: Sequence[tuple[str | None, BinaryIO | bytes]],
    upload_folder: str | Path,
    max_bytes: int,
    max_pixels: int = MAX_PIXELS,
    finding: Finding | None = None,
    note: str | None = None,
    captured_at: dt.datetime | None = None,
) -> list[EvidenceFile]:
    """Check every file, then store them all as evidence of ``case`` (and ``finding``); if any is refused,
    nothing is stored (no row, no file).

    Raises ``ValidationFailed`` with ``file_too_large``, ``file_empty``, ``file_type_not_allowed``,
    ``file_invalid`` (each with the file's ``name``), ``no_files``, ``note_too_long`` or
    ``finding_not_in_case``. A photo without its own time taken gets ``captured_at``, else now.
    """
    if not files:
        raise ValidationFailed("no_files", field="files")
    if finding is not None and (finding.case_id != case.id or case.id is None):
        raise ValidationFailed("finding_not_in_case", field="finding_id")
    note = _clean_note(note)
    fallback_time = _utc(captured_at) or dt.datetime.now(dt.UTC)
    owner = Owner(
        EvidenceFile,
        {"case": case, "finding": finding, "note": note},
        audited=("original_name", "finding_id"),
        case=case,
        reason=note,
        per_file=lambda item: {"captured_at": item.captured_at or fallback_time},
    )
    return store_files(
        owner,
        actor=actor,
        files=files,
        upload_folder=upload_folder,
        max_bytes=max_bytes,
        max_pixels=max_pixels,
    )


def store_evidence(
    *,
    case: Case,
    actor: User | None,
    filename: str | None,
    stream: BinaryIO | bytes,
    upload_folder: str | Path,
    max_bytes: int,
    max_pixels: int = MAX_PIXELS,
    finding: Finding | None = None,
    note: str | None = None,
    captured_at: dt.datetime | None = None,
) -> EvidenceFile:
    """Check and store one file (see :func:`store_many`)."""
    (ev,) = store_many(
        case=case,
        actor=actor,
        files=[(filename, stream)],
        upload_folder=upload_folder,
        max_bytes=max_bytes,
        max_pixels=max_pixels,
        finding=finding,
        note=note,
        captured_at=captured_at,
    )
    return ev


def delete_evidence(ev: EvidenceFile, upload_folder: str | Path, *, actor: User | None = None) -> list[Path]:
    """Delete an evidence row of a draft case; returns its files, to remove once the deletion is committed.

    Whether the user may do it is the caller's question (``permissions.can_add_evidence``); here only the
    case's state counts: once a case has been submitted its evidence stays.
    """
    if ev.case.status != CaseStatus.DRAFT:
        raise ValidationFailed("evidence_locked")
    return delete_stored(ev, upload_folder, actor=actor, case=ev.case)
