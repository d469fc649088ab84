"""Small real files for the demo data's evidence (issue 14, item 16): site photos (JPEG), screenshots of
online listings (PNG) and scanned records (PDF), drawn with Pillow.

The demo data reuse this small pool for all their evidence rows: each row keeps a stored name of its own
(the storage's rule, ``cases/recording/evidence.py``), written as a hard link to the same content where the
file system allows it (``evidence.write_copies``), so a demo of 100,000 cases writes a few files, not tens of
thousands. Each file goes through the app's own checks (``evidence.prepare_files``: sniffed type, a
decodable image, its thumbnail). The drawings are deterministic: the same pool every time.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from cases.recording import evidence

PHOTO, SCREENSHOT, RECORD = "photo", "screenshot", "record"


@dataclass(frozen=True)
class PoolFile:
    kind: str  # PHOTO, SCREENSHOT or RECORD
    name: str  # the name it is shown with ("IMG_2041.jpg", "bien-ban-kiem-tra.pdf")
    prepared: evidence.PreparedFile
    subject: str = ""  # a screenshot's product; a record's kind of case ("inspection", "survey", "ecommerce")


@lru_cache(maxsize=32)
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont | None:
    """A font with the Vietnamese letters (Liberation, installed with the report's font; else DejaVu);
    ``None`` when neither is there: the files are drawn without words then."""
    for name in (
        "LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf",
        "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf",
    ):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return None


def _text(
    draw: ImageDraw.ImageDraw, xy: tuple[int, int], words: str, size: int, fill: str, bold: bool = False
) -> None:
    font = _font(size, bold)
    if font is not None:
        draw.text(xy, words, font=font, fill=fill)


def _photo(sky: str, wall: str, sign: str, caption: str) -> bytes:
    """A site photo: a shop front under the sky, its sign, a caption strip with the place and time."""
    image = Image.new("RGB", (640, 480), sky)
    draw = ImageDraw.Draw(image)
    for y in range(0, 200, 4):  # a sky that lightens towards the horizon
        shade = 255 - (200 - y) // 3
        draw.rectangle((0, y, 640, y + 4), fill=(shade // 2, shade // 2 + 60, shade))
    draw.rectangle((0, 330, 640, 480), fill="#8d8d85")  # the road
    draw.rectangle((60, 150, 580, 360), fill=wall)
    draw.rectangle((80, 120, 560, 185), fill=sign)
    draw.rectangle((250, 240, 390, 360), fill="#3b3b3b")  # the door
    for x in (110, 430):
        draw.rectangle((x, 220, x + 100, 300), fill="#cfe3f2", outline="#555")
    _text(draw, (100, 135), caption.split(" | ")[0], 30, "white", bold=True)
    draw.rectangle((0, 440, 640, 480), fill=(0, 0, 0))
    _text(draw, (12, 450), caption.split(" | ")[-1], 18, "#f2c14e")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=70)
    return out.getvalue()


def _screenshot(product: str) -> bytes:
    """A phone screenshot of a listing: the browser's bar, the product's picture, its name, the buy button
    (no platform, price or seller drawn: those are the case's own)."""
    image = Image.new("RGB", (360, 640), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 360, 56), fill="#37474f")
    draw.rounded_rectangle((12, 12, 348, 44), radius=12, fill="#eceff1")
    _text(draw, (26, 18), "Tin đăng bán hàng", 17, "#455a64")
    draw.rectangle((20, 76, 340, 356), fill="#f4e1d2", outline="#ccc")
    draw.ellipse((110, 150, 250, 290), fill="#e8a87c")
    _text(draw, (20, 372), product, 22, "#222", bold=True)
    _text(draw, (20, 412), "Hàng chính hãng 100% · Giao nhanh toàn quốc", 15, "#666")
    draw.rectangle((20, 560, 340, 610), fill="#e64a19")
    _text(draw, (120, 572), "Mua ngay", 22, "white", bold=True)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=3)
    return out.getvalue()


def _record(title: str) -> bytes:
    """A scanned one-page record with the national heading, its title, ruled lines and signatures."""
    page = Image.new("L", (620, 877), 250)  # A4 at 75 dpi, grey paper
    draw = ImageDraw.Draw(page)
    _text(draw, (330, 40), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 15, "black", bold=True)
    _text(draw, (380, 62), "Độc lập - Tự do - Hạnh phúc", 15, "black", bold=True)
    _text(draw, (40, 40), "SỞ KHOA HỌC VÀ CÔNG NGHỆ", 15, "black", bold=True)
    _text(draw, (40, 62), "Số: 125/BB-CCTĐC", 14, "black")
    _text(draw, (180, 130), title, 22, "black", bold=True)
    for y in range(190, 680, 26):
        draw.line((50, y, 570, y), fill=150)
    _text(draw, (60, 720), "ĐẠI DIỆN CƠ SỞ", 14, "black", bold=True)
    _text(draw, (390, 720), "TRƯỞNG ĐOÀN KIỂM TRA", 14, "black", bold=True)
    draw.line((70, 790, 200, 770), fill=40, width=2)  # the signatures
    draw.line((410, 785, 560, 765), fill=40, width=2)
    out = io.BytesIO()
    page.convert("RGB").save(out, format="PDF", resolution=75)
    return out.getvalue()


RECORDS = {
    "inspection": ("bien-ban-kiem-tra.pdf", "BIÊN BẢN KIỂM TRA"),
    "survey": ("bien-ban-lay-mau.pdf", "BIÊN BẢN LẤY MẪU"),
    "ecommerce": ("cong-van-de-nghi-go-tin-dang.pdf", "CÔNG VĂN ĐỀ NGHỊ GỠ BỎ TIN ĐĂNG"),
}


@lru_cache(maxsize=4)
def pool(listed_products: tuple[str, ...] = ()) -> tuple[PoolFile, ...]:
    """The pool, drawn once per process: four site photos, a scanned record per kind of case and a
    screenshot of each of ``listed_products``; each file checked by the app's evidence checks."""
    drawn = [
        (
            PHOTO,
            "IMG_2041.jpg",
            "",
            _photo("#87b5e5", "#f5f0e1", "#c62828", "CỬA HÀNG | 08:42 · Ảnh hiện trường"),
        ),
        (
            PHOTO,
            "IMG_2058.jpg",
            "",
            _photo("#9cc3e8", "#e9e4d4", "#1565c0", "CƠ SỞ KINH DOANH | 09:15 · Niêm phong"),
        ),
        (
            PHOTO,
            "IMG_2077.jpg",
            "",
            _photo("#a7c7e7", "#f0e6d2", "#2e7d32", "ĐIỂM KIỂM TRA | 14:03 · Lấy mẫu"),
        ),
        (
            PHOTO,
            "IMG_3120.jpg",
            "",
            _photo("#7fa8d4", "#ece2c6", "#ef6c00", "HÀNG HÓA | 15:27 · Nhãn hàng hóa"),
        ),
        *((RECORD, name, kind, _record(title)) for kind, (name, title) in RECORDS.items()),
        *(
            (SCREENSHOT, f"anh-chup-tin-dang-{n + 1}.png", product, _screenshot(product))
            for n, product in enumerate(listed_products)
        ),
    ]
    prepared = evidence.prepare_files(
        [(name, data) for _kind, name, _subject, data in drawn], max_bytes=10 * 1024 * 1024
    )
    return tuple(
        PoolFile(kind, name, p, subject)
        for (kind, name, subject, _data), p in zip(drawn, prepared, strict=True)
    )
