"""``flask --app inspect_app report annual --year Y --output FILE.pdf|FILE.xlsx`` and
``flask --app inspect_app report finalise --year Y [--as USERNAME]``.

``annual`` writes the year's finalised report (its frozen snapshot) when there is one, otherwise the live
figures with the draft's text, and says which — for a draft, with what it still lacks before it can be
finalised. ``finalise`` freezes the draft as the page's button does, and refuses in the same way, naming
everything still missing. The same code as the page.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from cases.accounts import permissions
from cases.db import db
from cases.errors import ValidationFailed
from cases.models import User
from cases.reporting import annual_report as ar


@click.group("report")
def report() -> None:
    """The annual plan report."""


@report.command("annual")
@with_appcontext
@click.option("--year", type=int, required=True, help="The year reported on.")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True,
    help="FILE.pdf or FILE.xlsx",
)
@click.option("--revision", type=int, default=None, help="A given revision instead of the one in force.")
def annual(year: int, output: Path, revision: int | None) -> None:
    """Write the annual report of YEAR as PDF or Excel."""
    from inspect_app import report_output

    suffix = output.suffix.lower()
    if suffix not in {".pdf", ".xlsx"}:
        raise click.BadParameter("the file must end in .pdf or .xlsx", param_hint="--output")
    try:
        ar.check_year(year)
    except ValidationFailed as exc:
        raise click.BadParameter(
            f"choose a year from {exc.params['first']} to {exc.params['last']}", param_hint="--year"
        ) from exc
    if revision is not None:
        report = next((r for r in ar.revisions(year) if r.revision == revision), None)
        if report is None:
            raise click.BadParameter(
                f"the report of {year} has no revision {revision}", param_hint="--revision"
            )
    else:
        report = ar.final_of(year) or ar.draft_of(year)
    doc = ar.document(year, report)
    data = report_output.annual_pdf(doc) if suffix == ".pdf" else report_output.annual_workbook(doc)
    output.write_bytes(data)
    if doc["is_final"]:
        state = f"finalised report, revision {doc['revision']} ({doc['status']}), SHA-256 {doc['sha256']}"
    elif report is not None:
        state = f"DRAFT revision {report.revision} with live figures (not finalised)"
    else:
        state = "live figures, no report text written yet (not finalised)"
    click.echo(f"{output}: {len(data):,} bytes — {state}")
    if report is not None and not doc["is_final"]:
        missing = ar.missing_for_finalising(report)
        if missing:
            click.echo(_missing_lines(missing))


def _missing_lines(missing: list[str]) -> str:
    """The page's list of what is missing (in English, as the commands speak)."""
    from flask_babel import force_locale

    from inspect_app.labels.fields import report_field_label

    with force_locale("en"):
        labels = [f"  - {report_field_label(name)}" for name in missing]
    return "\n".join(
        ["Before finalising, fill in (or mark “nothing to report” where the section allows it):", *labels]
    )


@report.command("finalise")
@with_appcontext
@click.option("--year", type=int, required=True, help="The year whose draft is finalised.")
@click.option("--as", "username", required=True, help="The manager who finalises it.")
def finalise(year: int, username: str) -> None:
    """Finalise the draft report of YEAR; names everything still missing (exit status 1) otherwise."""
    actor = db.session.scalar(db.select(User).where(User.username == username))
    if actor is None or not actor.active:
        raise click.ClickException(f"No active account named {username}.")
    if not permissions.can_write_report(actor):
        raise click.ClickException(f"{username} may not finalise the report (managers only).")
    report = ar.draft_of(year)
    if report is None:
        raise click.ClickException(f"The report of {year} has no draft to finalise.")
    try:
        ar.finalise(report, actor)
    except ValidationFailed as exc:
        db.session.rollback()
        if exc.code == "report_incomplete":
            click.echo(_missing_lines(exc.params["missing"]), err=True)
            raise SystemExit(1) from exc
        raise
    db.session.commit()
    click.echo(
        f"The report of {year}, revision {report.revision}, is finalised; SHA-256 {report.snapshot_sha256}."
    )
