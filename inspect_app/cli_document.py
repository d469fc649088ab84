"""``flask --app inspect_app document draft CASE_NUMBER --type TYPE --output FILE.pdf|FILE.docx``
``[--finding ID] [--on YYYY-MM-DD]``.

Writes a draft of one of a case's official documents, read from the case as it stands (marked DỰ THẢO, no
number): nothing is saved in the register. A violation record or a sanction decision is per finding: with
``--finding`` the one finding; without, one file per finding it can be made for (a violation record: each
finding not dismissed; a sanction decision: each confirmed finding), named ``FILE-<finding id>.pdf``. The
paths written are printed. The same code as the pages (``cases/documents/view.py``,
``inspect_app/document_output.py``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from cases.db import db
from cases.enums import DocumentType, FindingStatus
from cases.models import Case, Finding

SUFFIXES = {".pdf", ".docx"}


@click.group("document")
def document() -> None:
    """The official documents of a case."""


def _findings_for(case: Case, kind: DocumentType) -> list[Finding]:
    """The findings a per-finding document can be made for."""
    if kind == DocumentType.SANCTION_DECISION:
        return [f for f in case.findings if f.status == FindingStatus.CONFIRMED]
    return [f for f in case.findings if f.status != FindingStatus.DISMISSED]


def _chosen_finding(case: Case, kind: DocumentType, finding_id: int) -> Finding:
    finding = db.session.get(Finding, finding_id)
    if finding is None or finding.case_id != case.id:
        raise click.ClickException(f"Case {case.number} has no finding {finding_id}.")
    if finding.status == FindingStatus.DISMISSED:
        raise click.ClickException(f"Finding {finding_id} was dismissed: no {kind.value} is made for it.")
    if kind == DocumentType.SANCTION_DECISION and finding.status != FindingStatus.CONFIRMED:
        raise click.ClickException(
            f"Finding {finding_id} is not confirmed: a sanction decision needs a confirmed finding."
        )
    return finding


@document.command("draft")
@with_appcontext
@click.argument("case_number")
@click.option(
    "--type",
    "doc_type",
    required=True,
    type=click.Choice([t.value for t in DocumentType]),
    help="The document to draft.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="FILE.pdf or FILE.docx (per finding: FILE-<finding id>.pdf).",
)
@click.option("--finding", "finding_id", type=int, default=None, help="The finding (per-finding types).")
@click.option(
    "--on",
    "handling_date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The handling date that picks the template version (default: the case's start date, else today).",
)
def draft(
    case_number: str, doc_type: str, output: Path, finding_id: int | None, handling_date: dt.datetime | None
) -> None:
    """Write a draft of a document of CASE_NUMBER as PDF or Word (nothing saved in the register)."""
    from cases.documents.view import draft_view
    from inspect_app import document_output

    suffix = output.suffix.lower()
    if suffix not in SUFFIXES:
        raise click.BadParameter("the file must end in .pdf or .docx", param_hint="--output")
    if not output.parent.is_dir():
        raise click.BadParameter(f"no folder {output.parent}", param_hint="--output")
    case = db.session.scalar(select(Case).where(Case.number == case_number.strip()))
    if case is None:
        raise click.ClickException(f"No case numbered {case_number}.")
    kind = DocumentType(doc_type)
    on = handling_date.date() if handling_date is not None else None
    if not kind.per_finding:
        if finding_id is not None:
            raise click.BadParameter(f"a {kind.value} is not made per finding", param_hint="--finding")
        targets: list[tuple[Path, Finding | None]] = [(output, None)]
    elif finding_id is not None:
        targets = [(output, _chosen_finding(case, kind, finding_id))]
    else:
        findings = _findings_for(case, kind)
        if not findings:
            sanction = kind == DocumentType.SANCTION_DECISION
            wanted = "confirmed finding" if sanction else "finding not dismissed"
            raise click.ClickException(f"Case {case.number} has no {wanted}: no {kind.value} to draft.")
        targets = [(output.with_name(f"{output.stem}-{f.id}{output.suffix}"), f) for f in findings]
    render = document_output.document_pdf if suffix == ".pdf" else document_output.document_docx
    for path, finding in targets:
        data = render(draft_view(case, kind, finding, on=on))
        path.write_bytes(data)
        about = f" (finding {finding.id})" if finding is not None else ""
        click.echo(f"{path}: {len(data):,} bytes — DRAFT {kind.value} of {case.number}{about}")
