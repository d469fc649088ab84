"""``flask --app inspect_app report annual --year Y --output FILE.pdf|FILE.xlsx``.

Writes the year's finalised report (its frozen snapshot) when there is one, otherwise the live figures
with the draft's text, and says which. The same code as the page's download buttons.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from cases import annual_report as ar
from cases.errors import ValidationFailed


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
