"""Move the flat modules of cases/ into subpackages and rewrite every reference (issue 16 item 1).

Run from the repository's root: python /work/tools/move_modules.py
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

MOVES = {
    # old module: new dotted path under cases
    "ids": "db.ids",
    "sql_functions": "db.sql_functions",
    "bulk_rows": "db.bulk_rows",
    "accounts": "accounts.users",
    "permissions": "accounts.permissions",
    "sessions": "accounts.sessions",
    "security_log": "accounts.security_log",
    "case_service": "recording.service",
    "case_rules": "recording.rules",
    "case_queries": "recording.queries",
    "numbering": "recording.numbering",
    "campaigns": "recording.campaigns",
    "establishments": "recording.establishments",
    "taxcode": "recording.taxcode",
    "evidence": "recording.evidence",
    "takedown": "recording.takedown",
    "items": "inspection.items",
    "prepackaged": "inspection.prepackaged",
    "barcodes": "inspection.barcodes",
    "workflow": "review.workflow",
    "findings": "review.findings",
    "review": "review.decisions",
    "geography": "geography.places",
    "reference": "geography.reference",
    "activities": "plan.activities",
    "activity_tasks": "plan.activity_tasks",
    "plan_targets": "plan.targets",
    "plan_results": "reporting.plan_results",
    "report_figures": "reporting.figures",
    "annual_report": "reporting.annual_report",
    "dashboard": "reporting.dashboard",
    "commune_page": "reporting.commune_page",
    "formatting": "rendering.formatting",
    "svg_charts": "rendering.svg_charts",
    "commune_map": "rendering.commune_map",
    "projection": "rendering.projection",
    "importer": "transfer.importer",
    "import_writer": "transfer.writer",
    "exporter": "transfer.exporter",
    "readable_export": "transfer.readable_export",
    "audit": "audit.trail",
    "audit_chain": "audit.chain",
    "integrity": "audit.integrity",
    "demo_data": "demo.generator",
    "demo_vocab": "demo.vocabulary",
    "demo_files": "demo.files",
}

PACKAGES = {
    "db": "The database: the unbound Flask-SQLAlchemy ``db`` object and its declarative base (here), ids of new\n"
    "rows, the SQL functions each database needs (folding, the SQLite planner hint) and bulk row writing.\n"
    "Imported by every other package; imports none of them.",
    "accounts": "Who may do what: user accounts and the password policy (``users``), the permission rules\n"
    "(``permissions``, the one place of them), revocable sign-in sessions (``sessions``) and the security log\n"
    "(``security_log``).",
    "recording": "Recording cases: the case service (create, edit, delete), the rules a case must meet, the case\n"
    "list's queries, numbering, survey campaigns, establishments and their tax codes, evidence files and the\n"
    "takedown lifecycle of an e-commerce check.",
    "inspection": "What an inspection checks: the items of a case (instruments, prepackaged lots, goods,\n"
    "samples), the prepackaged-quantity rule (TT 21/2014, OIML R 87) and GS1 barcodes.",
    "review": "The manager's review: the workflow of a case (``workflow``, the one place of its states),\n"
    "proposed findings (``findings``) and the decisions on them: confirmation, dismissal, sanction, payment\n"
    "(``decisions``).",
    "geography": "Where things are: communes of today and former districts and wards, commune suggestions from\n"
    "addresses and GPS points (``places``), and loading the reference data (``reference``).",
    "plan": "The annual plan: activities that are not cases and their tasks, the plan's targets and what was\n"
    "achieved against them.",
    "reporting": "Figures as plain data: the report's figures (aggregated in SQL), the annual report, the\n"
    "dashboard and a commune's page.",
    "rendering": "Turning data into text and pictures without Flask: house formats (dates, money, numbers),\n"
    "SVG charts, the commune map and its projection.",
    "transfer": "Import and export of cases: the importer (every error by row and column, nothing\n"
    "half-imported), its writer, the import-format exporter and the readable spreadsheet.",
    "audit": "The audit trail: append-only entries (``trail``), their hash chain (``chain``) and the integrity\n"
    "check of the trail and of finalised reports (``integrity``).",
    "demo": "Demonstration data: the generator, its Vietnamese vocabulary and the small evidence files it\n"
    "attaches. Only the CLI imports it.",
}

ROOT = Path.cwd()
TEXT_SUFFIXES = {".py", ".md", ".toml", ".cfg", ".ini", ".sh", ".txt", ".html", ".js", ".yml", ".yaml"}
SKIP_DIRS = {".venv", ".git", "node_modules", "test-artifacts", "instance", "__pycache__", ".pytest_cache"}


def files() -> list[Path]:
    out = []
    for path in ROOT.rglob("*"):
        if any(part in SKIP_DIRS for part in path.relative_to(ROOT).parts):
            continue
        if path.is_file() and (path.suffix in TEXT_SUFFIXES or path.name in {"Makefile", "run"}):
            out.append(path)
    return out


OLD = "|".join(sorted(MOVES, key=len, reverse=True))
DOTTED = re.compile(rf"(?<![\w.])cases\.({OLD})\b")  # not data.cases.items()
PATHS = re.compile(rf"\bcases/({OLD})\.py\b")
FROM_CASES = re.compile(r"^(?P<indent>[ \t]*)from cases import (?P<names>\([^)]*\)|[^\n#]+)(?P<comment>[ \t]*#[^\n]*)?$", re.M)


def rewrite_from_cases(match: re.Match[str]) -> str:
    indent = match.group("indent")
    names_text = match.group("names").strip().strip("()")
    names = [n.strip() for n in re.sub(r"#[^\n]*", "", names_text).replace("\n", " ").split(",") if n.strip()]
    kept: list[str] = []
    moved: list[str] = []
    for item in names:
        parts = item.split(" as ")
        name = parts[0].strip()
        local = parts[1].strip() if len(parts) > 1 else name
        if name in MOVES:
            package, module = MOVES[name].rsplit(".", 1)
            alias = "" if module == local else f" as {local}"
            moved.append(f"{indent}from cases.{package} import {module}{alias}")
        else:
            kept.append(item)
    if not moved:
        return match.group(0)
    lines = []
    if kept:
        lines.append(f"{indent}from cases import {', '.join(kept)}")
    lines.extend(moved)
    if match.group("comment"):
        lines[0] += match.group("comment")
    return "\n".join(lines)


def rewrite(text: str) -> str:
    text = DOTTED.sub(lambda m: "cases." + MOVES[m.group(1)], text)
    text = PATHS.sub(lambda m: "cases/" + MOVES[m.group(1)].replace(".", "/") + ".py", text)
    text = re.sub(r"\bcases/db\.py\b", "cases/db/__init__.py", text)
    return FROM_CASES.sub(rewrite_from_cases, text)


def main() -> None:
    cases = ROOT / "cases"
    for package, doc in PACKAGES.items():
        (cases / package).mkdir(exist_ok=True)
    subprocess.run(["git", "mv", "cases/db.py", "cases/db/__init__.py"], check=True)
    for old, new in MOVES.items():
        target = cases / (new.replace(".", "/") + ".py")
        subprocess.run(["git", "mv", f"cases/{old}.py", str(target.relative_to(ROOT))], check=True)
    for package, doc in PACKAGES.items():
        init = cases / package / "__init__.py"
        if package == "db":
            body = init.read_text(encoding="utf-8")
            first, rest = body.split('"""', 2)[1], body.split('"""', 2)[2]
            init.write_text(f'"""{first.strip()}\n\n{doc}\n"""{rest}', encoding="utf-8")
        else:
            init.write_text(f'"""{doc}\n"""\n', encoding="utf-8")
    for path in files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        new = rewrite(text)
        if new != text:
            path.write_text(new, encoding="utf-8")
    # data files are found from the module's folder: one level further down now
    for module in ("accounts/users.py", "geography/reference.py"):
        path = cases / module
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('Path(__file__).parent / "data"', 'Path(__file__).parent.parent / "data"'), encoding="utf-8")
    subprocess.run(["git", "add", "-A", "cases"], check=True)


if __name__ == "__main__":
    main()
