"""Every user-facing string has a Vietnamese translation, and the compiled catalog is current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "inspect_app" / "translations"


def _extract(tmp_path: Path) -> set[str]:
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "--ignore-dirs=.* __pycache__ .venv node_modules tests",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            "--no-location",
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as fh:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}


def test_every_string_in_the_code_has_a_vietnamese_translation(tmp_path):
    source_ids = _extract(tmp_path)
    assert len(source_ids) > 100
    with (TRANSLATIONS / "vi" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale="vi")
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog
        if m.id and (m.string if isinstance(m.string, str) else all(m.string)) and "fuzzy" not in m.flags
    }
    missing = sorted(source_ids - translated)
    assert missing == [], f"untranslated (run `make translations-update`, translate, compile): {missing}"


def test_compiled_catalog_matches_the_po_file():
    with (TRANSLATIONS / "vi" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        po = {m.id: m.string for m in read_po(fh, locale="vi") if m.id and m.string}
    with (TRANSLATIONS / "vi" / "LC_MESSAGES" / "messages.mo").open("rb") as fh:
        mo = {m.id: m.string for m in read_mo(fh) if m.id and m.string}
    assert mo == po, "run `make translations-compile`"
