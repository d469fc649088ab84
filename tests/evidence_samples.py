"""Evidence files made in memory for the tests: photos with EXIF, a PDF, and files to refuse."""

from __future__ import annotations

import io
import random

from PIL import ExifTags, Image


def _noise_rgb(width: int, height: int, seed: int = 1) -> Image.Image:
    """A photo-like image whose JPEG has plenty of entropy-coded data (so a cut file is really cut)."""
    rng = random.Random(seed)
    return Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))


def jpeg(
    *,
    size: tuple[int, int] = (800, 600),
    taken: str | None = "2026:03:14 09:30:00",
    offset: str | None = None,
    orientation: int | None = None,
    seed: int = 1,
) -> bytes:
    """A JPEG photo, with EXIF DateTimeOriginal ``taken`` (camera local time) unless ``None``."""
    exif = Image.Exif()
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    if taken is not None:
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken
        if offset is not None:
            exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.OffsetTimeOriginal] = offset
    out = io.BytesIO()
    _noise_rgb(*size, seed=seed).save(out, format="JPEG", quality=85, exif=exif)
    return out.getvalue()


def png(size: tuple[int, int] = (500, 400)) -> bytes:
    """A PNG with transparency."""
    image = Image.new("RGBA", size, (0, 128, 255, 0))
    image.paste((255, 0, 0, 255), (10, 10, size[0] // 2, size[1] // 2))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def webp(size: tuple[int, int] = (600, 400)) -> bytes:
    out = io.BytesIO()
    _noise_rgb(*size, seed=3).save(out, format="WEBP", quality=70)
    return out.getvalue()


def pdf(catalog: bytes = b"", extra: tuple[bytes, ...] = ()) -> bytes:
    """A minimal valid one-page PDF (correct cross-reference table); ``catalog`` goes into the catalog's
    dictionary, ``extra`` are more objects (numbered from 5)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << >> >>",
        b"<< /Length 0 >>\nstream\n\nendstream",
        *extra,
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def truncated_jpeg() -> bytes:
    data = jpeg(taken=None, size=(400, 300), seed=7)
    return data[: len(data) // 2]


TEXT = "Biên bản kiểm tra — không phải ảnh.\n".encode()
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'
FAKE_JPEG = b"\xff\xd8\xff\xe0" + b"not really a jpeg" * 20
