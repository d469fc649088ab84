"""The annual report of Plan 345/KH-UBND: drafts, the narrative, finalising and superseding.

- A year's report is written as a **draft**: its figures are live (computed when shown), its text (heading,
  narrative, signature, recipients) is saved as the manager writes it.
- **Finalising** freezes the figures and the text into ``snapshot`` (JSON) with its SHA-256; the finalised
  PDF and workbook come from the snapshot only, so later changes to cases cannot change a report that was
  sent.
- A finalised report is never edited: a **new revision** starts as a draft copied from it, with the reason;
  finalising that one marks the earlier one superseded.

:func:`document` gives what a page, a PDF or a workbook renders, the same way for a draft and a final.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select

from cases.audit import trail as audit
from cases.audit.integrity import canonical_sha256
from cases.db import db
from cases.enums import ReportStatus
from cases.errors import NotFound, ValidationFailed
from cases.models import AnnualReport, User
from cases.reporting.figures import Scope, task_52
from cases.reporting.plan_results import activities_by_task, task_results

FIRST_YEAR = 2024  # the first year with records worth reporting (the plan starts in 2025)
TASK_GROUPS = ("1", "2", "3", "4", "5", "6")
NARRATIVE_FIELDS = ("overall_assessment", "limitations", "directions", "recommendations")
# Every section of the narrative, in the document's order; finalising needs each written, or marked as
# having nothing to report where that can be true of a year: a task group with no work that year, no
# limitation worth reporting, no recommendation. The overall assessment and next year's directions are
# what the report is for (the plan runs to 2030): they are always written.
SECTIONS = (
    "overall_assessment",
    *(f"group_{g}" for g in TASK_GROUPS),
    "limitations",
    "directions",
    "recommendations",
)
MAY_BE_EMPTY = (*(f"group_{g}" for g in TASK_GROUPS), "limitations", "recommendations")
PLACEHOLDER_NUMBER = "…/BC-SKHCN"
MAX_TEXT = 20_000
NUMBER_SYMBOL = re.compile(r"^(…|\.{1,3}|\d{1,4})/[A-ZĐ]{1,6}(-[A-ZĐ0-9]{1,12})+$")

DEFAULT_RECIPIENTS = "\n".join(
    [
        "Bộ Khoa học và Công nghệ;",
        "UBND tỉnh;",
        "Giám đốc, các Phó Giám đốc Sở;",
        "Lưu: VT, TĐC.",
    ]
)


@dataclass
class ReportText:
    """What a manager writes: the document's heading and signature, and the narrative."""

    number_symbol: str | None = PLACEHOLDER_NUMBER
    report_date: dt.date | None = None
    signer_authority: str | None = "KT. GIÁM ĐỐC"
    signer_title: str | None = "PHÓ GIÁM ĐỐC"
    signer_name: str | None = None
    recipients: str | None = DEFAULT_RECIPIENTS
    overall_assessment: str | None = None
    group_results: dict[str, str] = field(default_factory=dict)
    limitations: str | None = None
    directions: str | None = None
    recommendations: str | None = None
    nothing_to_report: list[str] = field(default_factory=list)  # sections marked "nothing to report"

    def section(self, name: str) -> str | None:
        """The written text of a section of :data:`SECTIONS` ("group_5" is task group 5's)."""
        if name.startswith("group_"):
            return (self.group_results or {}).get(name.removeprefix("group_"))
        return getattr(self, name)

    def is_empty_by_choice(self, name: str) -> bool:
        return name in self.nothing_to_report

    @classmethod
    def of(cls, report: AnnualReport) -> ReportText:
        return cls(
            number_symbol=report.number_symbol,
            report_date=report.report_date,
            signer_authority=report.signer_authority,
            signer_title=report.signer_title,
            signer_name=report.signer_name,
            recipients=report.recipients,
            overall_assessment=report.overall_assessment,
            group_results=dict(report.group_results or {}),
            limitations=report.limitations,
            directions=report.directions,
            recommendations=report.recommendations,
            nothing_to_report=list(report.nothing_to_report or []),
        )

    def as_plain(self) -> dict[str, Any]:
        values = asdict(self)
        values["report_date"] = self.report_date.isoformat() if self.report_date else None
        return values

    @classmethod
    def from_plain(cls, values: dict[str, Any]) -> ReportText:
        values = dict(values)
        if values.get("report_date"):
            values["report_date"] = dt.date.fromisoformat(values["report_date"])
        return cls(**values)


# --- reading --------------------------------------------------------------------------------------


def check_year(year: int, today: dt.date | None = None) -> int:
    today = today or dt.date.today()
    if not FIRST_YEAR <= year <= today.year:
        raise ValidationFailed("report_year_out_of_range", field="year", first=FIRST_YEAR, last=today.year)
    return year


def revisions(year: int) -> list[AnnualReport]:
    """Every revision of a year's report, the newest first."""
    return list(
        db.session.scalars(
            select(AnnualReport).where(AnnualReport.year == year).order_by(AnnualReport.revision.desc())
        )
    )


def draft_of(year: int) -> AnnualReport | None:
    return db.session.scalars(
        select(AnnualReport).where(AnnualReport.year == year, AnnualReport.status == ReportStatus.DRAFT.value)
    ).first()


def final_of(year: int) -> AnnualReport | None:
    """The finalised report in force for the year (not superseded), if any."""
    return db.session.scalars(
        select(AnnualReport).where(AnnualReport.year == year, AnnualReport.status == ReportStatus.FINAL.value)
    ).first()


def get(report_id: int) -> AnnualReport:
    report = db.session.get(AnnualReport, report_id)
    if report is None:
        raise NotFound("report_not_found")
    return report


def compute(year: int) -> dict[str, Any]:
    """The report's live figures for a year, as plain data (what a snapshot freezes)."""
    task52 = task_52(Scope.of(year))
    return {
        "year": year,
        "tasks": task_results(year, counted_cases=task52["status"]["counted"]),
        "activities": activities_by_task(year),
        "task52": task52,
        "previous": task_52(Scope.of(year - 1)),
    }


def document(year: int, report: AnnualReport | None = None) -> dict[str, Any]:
    """What the page, the PDF and the workbook render.

    A finalised (or superseded) report gives its snapshot; a draft its text with live figures; no report
    at all the default text with live figures.
    """
    if report is not None and report.snapshot is not None:
        snap = report.snapshot
        return {
            "year": report.year,
            "revision": report.revision,
            "status": report.status,
            "is_final": True,
            "finalised_at": report.finalised_at,
            "sha256": report.snapshot_sha256,
            "text": ReportText.from_plain(snap["text"]),
            "figures": snap["figures"],
        }
    text = ReportText.of(report) if report is not None else ReportText()
    return {
        "year": year,
        "revision": report.revision if report is not None else None,
        "status": report.status if report is not None else None,
        "is_final": False,
        "finalised_at": None,
        "sha256": None,
        "text": text,
        "figures": compute(year),
    }


# --- writing --------------------------------------------------------------------------------------


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _clean(value: str | None, name: str, max_length: int = MAX_TEXT) -> str | None:
    value = (value or "").strip().replace("\r\n", "\n")
    if len(value) > max_length:
        raise ValidationFailed("text_too_long", field=name, max=max_length)
    return value or None


def _check_version(report: AnnualReport, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != report.version:
        raise ValidationFailed("report_changed_meanwhile", field=None)


def _check_draft(report: AnnualReport) -> None:
    if report.status != ReportStatus.DRAFT.value:
        raise ValidationFailed("report_not_draft", field=None)


def start_draft(year: int, actor: User, *, today: dt.date | None = None) -> AnnualReport:
    """The year's draft, created (revision 1) when the year has no report yet."""
    check_year(year, today)
    existing = draft_of(year)
    if existing is not None:
        return existing
    if revisions(year):
        raise ValidationFailed("report_already_finalised", field=None, year=year)
    text = ReportText()
    report = AnnualReport(year=year, revision=1, status=ReportStatus.DRAFT.value, updated_by_id=actor.id)
    _apply(report, text)
    db.session.add(report)
    db.session.flush()
    audit.record(actor, "create", entity=report, changes=audit.diff({}, _audited(report)))
    return report


def _apply(report: AnnualReport, text: ReportText) -> None:
    report.number_symbol = text.number_symbol
    report.report_date = text.report_date
    report.signer_authority = text.signer_authority
    report.signer_title = text.signer_title
    report.signer_name = text.signer_name
    report.recipients = text.recipients
    report.overall_assessment = text.overall_assessment
    report.group_results = {g: t for g, t in text.group_results.items() if t} or None
    report.limitations = text.limitations
    report.directions = text.directions
    report.recommendations = text.recommendations
    report.nothing_to_report = [s for s in MAY_BE_EMPTY if s in text.nothing_to_report] or None


def _audited(report: AnnualReport) -> dict[str, Any]:
    return {k: v for k, v in ReportText.of(report).as_plain().items()} | {"status": report.status}


def clean_text(text: ReportText, year: int) -> ReportText:
    """The text with blanks removed and lengths and formats checked (ValidationFailed per field)."""
    number = _clean(text.number_symbol, "number_symbol", 60)
    if number and not NUMBER_SYMBOL.match(number):
        raise ValidationFailed("report_number_symbol_invalid", field="number_symbol")
    if text.report_date and not (dt.date(year, 1, 1) <= text.report_date <= dt.date(year + 1, 12, 31)):
        raise ValidationFailed("report_date_out_of_range", field="report_date", year=year)
    groups = {}
    for group, value in (text.group_results or {}).items():
        if group not in TASK_GROUPS:
            continue
        written = _clean(value, f"group_{group}")
        if written:
            groups[group] = written
    marked = set(text.nothing_to_report or [])
    for section in SECTIONS:
        if section in marked and section not in MAY_BE_EMPTY:
            raise ValidationFailed("report_section_required", field=section)
    cleaned = ReportText(
        number_symbol=number,
        report_date=text.report_date,
        signer_authority=_clean(text.signer_authority, "signer_authority", 30),
        signer_title=_clean(text.signer_title, "signer_title", 100),
        signer_name=_clean(text.signer_name, "signer_name", 120),
        recipients=_clean(text.recipients, "recipients", 2_000),
        overall_assessment=_clean(text.overall_assessment, "overall_assessment"),
        group_results=groups,
        limitations=_clean(text.limitations, "limitations"),
        directions=_clean(text.directions, "directions"),
        recommendations=_clean(text.recommendations, "recommendations"),
        nothing_to_report=[s for s in MAY_BE_EMPTY if s in marked],
    )
    for section in cleaned.nothing_to_report:
        if cleaned.section(section):
            raise ValidationFailed("report_section_written_and_empty", field=f"{section}_none")
    return cleaned


def save_text(
    report: AnnualReport, text: ReportText, actor: User, *, expected_version: int | None = None
) -> AnnualReport:
    """Save the draft's heading, narrative and signature."""
    _check_draft(report)
    _check_version(report, expected_version)
    cleaned = clean_text(text, report.year)
    before = _audited(report)
    _apply(report, cleaned)
    report.updated_by_id = actor.id
    db.session.flush()
    changes = audit.diff(before, _audited(report))
    if changes:
        audit.record(actor, "update", entity=report, changes=changes)
    return report


def has_real_number(number_symbol: str | None) -> bool:
    """True when the number and symbol carries a number ("12/BC-SKHCN"), not the "…/BC-SKHCN" the draft
    keeps until the office numbers it."""
    return bool(number_symbol and number_symbol.split("/", 1)[0].isdigit())


def missing_for_finalising(report: AnnualReport) -> list[str]:
    """Everything a report must have before it is sent, in the document's order: a real number, the date,
    the signer's name, and every narrative section written or marked "nothing to report"."""
    text = ReportText.of(report)
    missing = [] if has_real_number(text.number_symbol) else ["number_symbol"]
    missing += [name for name in ("report_date", "signer_name") if not getattr(text, name)]
    missing += [s for s in SECTIONS if not text.section(s) and not text.is_empty_by_choice(s)]
    return missing


def finalise(
    report: AnnualReport, actor: User, *, expected_version: int | None = None, now: dt.datetime | None = None
) -> AnnualReport:
    """Freeze the draft: figures and text into the snapshot; the earlier final (if any) is superseded."""
    _check_draft(report)
    _check_version(report, expected_version)
    missing = missing_for_finalising(report)
    if missing:
        raise ValidationFailed("report_incomplete", field=missing[0], missing=missing)
    now = now or _now()
    previous = final_of(report.year)
    snapshot = {
        "figures": compute(report.year),
        "text": ReportText.of(report).as_plain(),
        "year": report.year,
        "revision": report.revision,
        "finalised_at": now.isoformat(),
        "finalised_by": actor.full_name,
    }
    if previous is not None:
        previous.status = ReportStatus.SUPERSEDED.value
        previous.superseded_at = now
        audit.record(actor, "supersede", entity=previous, reason=report.supersede_reason)
    report.snapshot = snapshot
    report.snapshot_sha256 = canonical_sha256(snapshot)
    report.status = ReportStatus.FINAL.value
    report.finalised_at = now
    report.finalised_by_id = actor.id
    report.updated_by_id = actor.id
    db.session.flush()
    audit.record(
        actor,
        "finalise",
        entity=report,
        changes=[{"field": "snapshot_sha256", "from": None, "to": report.snapshot_sha256}],
    )
    return report


def new_revision(year: int, actor: User, reason: str | None) -> AnnualReport:
    """Start a new draft from the finalised report, to supersede it once finalised."""
    reason = _clean(reason, "reason", 2_000)
    if not reason:
        raise ValidationFailed("required", field="reason")
    if draft_of(year) is not None:
        raise ValidationFailed("report_draft_exists", field=None)
    final = final_of(year)
    if final is None:
        raise ValidationFailed("report_not_finalised", field=None)
    report = AnnualReport(
        year=year,
        revision=max(r.revision for r in revisions(year)) + 1,
        status=ReportStatus.DRAFT.value,
        supersede_reason=reason,
        updated_by_id=actor.id,
    )
    _apply(report, ReportText.from_plain(final.snapshot["text"]) if final.snapshot else ReportText.of(final))
    db.session.add(report)
    db.session.flush()
    audit.record(actor, "create", entity=report, reason=reason, changes=audit.diff({}, _audited(report)))
    return report


def verify_snapshot(report: AnnualReport) -> bool:
    """True when a finalised report's snapshot still has the checksum taken when it was finalised."""
    return report.snapshot is not None and canonical_sha256(report.snapshot) == report.snapshot_sha256
