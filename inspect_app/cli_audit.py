"""``flask --app inspect_app audit verify``: check the audit trail's hash chain, the report snapshots and the
issued documents."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from cases.audit import chain as audit_chain

audit = AppGroup("audit", help="The audit trail.")


@audit.command("verify")
def verify() -> None:
    """Walk the hash chain; name every altered or removed entry, altered report and altered document. Exit 1
    when broken."""
    result = audit_chain.verify()
    for problem in result.problems:
        thing = {"report_altered": "report", "document_altered": "document"}.get(problem.kind, "entry")
        where = f"{thing} #{problem.entry_id}"
        click.echo(f"BROKEN {problem.kind}: {where}: {problem.detail}")
    summary = (
        f"{result.entries} audit entries, {result.reports} finalised report snapshot(s), "
        f"{result.documents} issued document(s) checked"
    )
    if result.intact:
        click.echo(f"OK: {summary}; the chain is intact.")
        return
    click.echo(f"FAILED: {summary}; {len(result.problems)} problem(s).", err=True)
    sys.exit(1)
