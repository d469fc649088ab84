"""What hostile uploads cost (issue 15, items 3 and 4): each file posted to the real import page, or stored as
evidence, in a fresh interpreter; its wall time, the peak memory it added and the size of the answer.

    .venv/bin/python -m benchmarks.hostile_inputs            # every file, a table for docs/security.md
    .venv/bin/python -m benchmarks.hostile_inputs --json     # the same as JSON lines

The import runs against a throwaway SQLite database (migrations and reference data, one manager), built once.
``tests/unit/test_import_bounds.py`` runs :func:`measure_import` on the worst files and asserts the bound.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Matkhau-2026"

_CHILD = r"""
import io, json, re, sys, time
from inspect_app import create_app
from benchmarks.hostile_inputs import peak_rss_kb, reset_peak_rss
database, upload, username, password, *paths = sys.argv[1:]
app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": database,
                  "WTF_CSRF_ENABLED": False, "UPLOAD_FOLDER": upload})
client = app.test_client()
assert client.post("/login", data={"username": username, "password": password}).status_code == 302
client.get("/cases/import")
for path in paths:
    data = open(path, "rb").read()
    reset_peak_rss()
    base = peak_rss_kb()
    start = time.perf_counter()
    resp = client.post("/cases/import", data={"file": (io.BytesIO(data), path.rsplit("/", 1)[-1])},
                       content_type="multipart/form-data")
    seconds = time.perf_counter() - start
    body = resp.get_data()
    peak = peak_rss_kb()
    codes = sorted(set(re.findall(r'data-code="([a-z_]+)"', body.decode())))
    print(json.dumps({"status": resp.status_code, "seconds": round(seconds, 2),
                      "page_kb": len(body) // 1024, "added_mb": round((peak - base) / 1024),
                      "peak_mb": round(peak / 1024), "codes": codes}))
    del data, resp, body
"""


def reset_peak_rss() -> None:
    """Start this process's peak memory (VmHWM) again from what it holds now (Linux: ``clear_refs`` 5), so
    that the peak measured is the one of what follows, not of starting the app."""
    Path("/proc/self/clear_refs").write_text("5")


def peak_rss_kb() -> int:
    """This process's peak resident memory since the last :func:`reset_peak_rss`, in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def prepare_database(folder: Path) -> str:
    """A SQLite database with the migrations, the reference data and one manager (``lanhdao``)."""
    url = f"sqlite:///{folder / 'bench.db'}"
    script = f"""
from flask_migrate import upgrade
from cases.accounts import users as accounts
from cases.geography import reference
from cases.db import db
from inspect_app import create_app
app = create_app({{"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": {url!r},
                  "UPLOAD_FOLDER": {str(folder / "uploads")!r}}})
with app.app_context():
    upgrade()
    reference.load_all()
    accounts.create_user(username="lanhdao", full_name="Lãnh Đạo", role="manager", password={PASSWORD!r})
    db.session.commit()
"""
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, capture_output=True)
    return url


def measure_import(
    database: str,
    folder: Path,
    files: dict[str, bytes],
    username: str = "lanhdao",
    password: str = PASSWORD,
) -> list[dict[str, Any]]:
    """Post each of ``files`` (name → content) to the import page, signed in as ``username`` (a manager or
    an administrator), one after the other in one fresh interpreter; their figures, in order."""
    paths = []
    for name, data in files.items():
        (folder / name).write_bytes(data)
        paths.append(str(folder / name))
    (folder / "uploads").mkdir(exist_ok=True)
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, database, str(folder / "uploads"), username, password, *paths],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return [json.loads(line) for line in result.stdout.strip().splitlines() if line.startswith("{")]


_IMAGE_CHILD = r"""
import json, resource, sys, time
from cases.recording import evidence
from benchmarks.hostile_inputs import peak_rss_kb, reset_peak_rss
files = [(path, open(path, "rb").read()) for path in sys.argv[1:]]
reset_peak_rss()
base = peak_rss_kb()
start = time.perf_counter()
try:
    evidence.prepare_files(files, max_bytes=20 << 20)
    outcome = "accepted"
except Exception as exc:
    outcome = getattr(exc, "code", type(exc).__name__)
print(json.dumps({"outcome": outcome, "seconds": round(time.perf_counter() - start, 2),
                  "added_mb": round((peak_rss_kb() - base) / 1024), "peak_mb": round(peak_rss_kb() / 1024)}))
"""


def measure_images(paths: list[Path]) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", _IMAGE_CHILD, *map(str, paths)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _import_files() -> dict[str, tuple[bytes, str]]:
    from tests import hostile_files as h

    return {
        "1,000,000 empty rows (the attack)": (h.a_million_empty_rows(), "trong.xlsx"),
        "dimension claims 1,000,000 rows": (h.claims_a_million_rows(), "kich-thuoc.xlsx"),
        "50 MB of shared strings (zip bomb)": (h.huge_shared_strings(), "bom.xlsx"),
        "215,000 one-letter shared strings (at the limit)": (h.huge_shared_strings(215_000, 1), "chuoi.xlsx"),
        "30,000 case rows": (h.many_data_rows(30_000), "qua-nhieu.xlsx"),
        "10,000 rows with errors in every row (worst error report)": (h.error_rows_csv(10_000), "loi.csv"),
        "10,000 valid rows (worst accepted)": (h.valid_rows_xlsx(10_000), "du.xlsx"),
    }


def _image_files(folder: Path) -> dict[str, list[Path]]:
    from PIL import Image

    from tests.unit.test_evidence_bounds import flat_png  # type: ignore[attr-defined]

    made: dict[str, list[Path]] = {}

    def write(name: str, data: bytes) -> Path:
        (folder / name).write_bytes(data)
        return folder / name

    attack = write("9459.png", flat_png(9459, 9459, 2))
    png = write("64mp-rgba.png", flat_png(8000, 8000, 6))
    webp = folder / "16mp.webp"
    Image.new("RGB", (4000, 4000), (120, 60, 30)).save(webp, format="WEBP", quality=80)
    jpeg = folder / "64mp.jpg"
    Image.effect_noise((8000, 8000), 64).convert("RGB").save(jpeg, format="JPEG", quality=40)
    made["PNG 9459×9459, 350 KB (the attack)"] = [attack]
    made["PNG 8000×8000 RGBA (worst accepted PNG)"] = [png]
    made["WebP 4000×4000 (worst accepted WebP)"] = [webp]
    made[f"JPEG 8000×8000, {jpeg.stat().st_size // 1048576} MB of noise"] = [jpeg]
    made["five PNG 8000×8000 in one upload"] = [png] * 5
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        database = prepare_database(folder)
        files = _import_files()
        measured = measure_import(database, folder, {name: data for data, name in files.values()})
        for (label, (data, _name)), figures in zip(files.items(), measured, strict=True):
            figures = {"import": label, "file_kb": len(data) // 1024, **figures}
            print(json.dumps(figures, ensure_ascii=False) if args.json else _line(figures))
        for label, paths in _image_files(folder).items():
            figures = {"evidence": label, **measure_images(paths)}
            print(json.dumps(figures, ensure_ascii=False) if args.json else _line(figures))


def _line(figures: dict[str, Any]) -> str:
    return " | ".join(f"{k}: {v}" for k, v in figures.items())


if __name__ == "__main__":
    main()
