"""Command-line interface: ``flask --app inspect_app <command>``."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import click
from flask import Flask
from flask.cli import with_appcontext
from flask_babel import force_locale
from sqlalchemy import select

from cases.accounts import permissions, security_log
from cases.accounts import users as accounts
from cases.enums import CASE_FIELDS, CaseKind, CaseStatus, Role, SecurityEventKind
from cases.errors import ValidationFailed
from cases.geography import reference
from cases.models import User
from cases.recording.queries import CaseFilters
from cases.transfer import exporter, importer
from inspect_app.extensions import db


def register_cli(app: Flask) -> None:
    app.cli.add_command(seed_reference)
    app.cli.add_command(create_user)
    app.cli.add_command(ensure_admin)
    app.cli.add_command(reset_password)
    app.cli.add_command(import_cases)
    app.cli.add_command(import_agency_checks)
    app.cli.add_command(export_cases)
    app.cli.add_command(demo_data_command)
    from inspect_app.cli_audit import audit
    from inspect_app.cli_backup import backup, restore
    from inspect_app.cli_document import document
    from inspect_app.cli_report import report

    app.cli.add_command(report)
    app.cli.add_command(document)
    app.cli.add_command(audit)
    app.cli.add_command(backup)
    app.cli.add_command(restore)


@click.command("seed-reference")
@with_appcontext
@click.option(
    "--update",
    is_flag=True,
    help="Also refresh existing catalog and plan rows from the project's files (admin-set amounts kept).",
)
def seed_reference(update: bool) -> None:
    """Load administrative units, the violation catalog and the plan's tasks (idempotent)."""
    result = reference.load_all(update=update)
    db.session.commit()
    for table in result.tables():
        click.echo(
            f"{table:<22} inserted {result.inserted.get(table, 0):>4}  "
            f"updated {result.updated.get(table, 0):>4}  unchanged {result.unchanged.get(table, 0):>4}"
        )
    click.echo("Reference data loaded." if result.changed else "Reference data already up to date.")


@click.command("create-user")
@with_appcontext
@click.argument("username")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]), help="The account's role.")
@click.option("--password", help="The password (generated and printed when not given).")
@click.option("--name", "full_name", help="Full name (defaults to the user name).")
@click.option("--commune", "communes", multiple=True, help="Commune code (for a liaison; repeatable).")
def create_user(
    username: str, role: str, password: str | None, full_name: str | None, communes: tuple[str]
) -> None:
    """Create an account."""
    try:
        user, pw = accounts.create_user(
            username=username,
            full_name=full_name or username,
            role=role,
            password=password,
            commune_codes=communes,
        )
    except ValidationFailed as exc:
        db.session.rollback()
        raise click.ClickException(f"{exc.code} {exc.params or ''}".strip()) from None
    db.session.commit()
    click.echo(f"Created {user.username} ({user.role}).")
    if password is None:
        click.echo("The generated password below must be changed at the first sign-in.")
        click.echo(f"Password: {pw}")


@click.command("ensure-admin")
@with_appcontext
def ensure_admin() -> None:
    """Create the first administrator ``admin`` if there is no administrator yet, and print its password."""
    if accounts.admin_exists():
        click.echo("An administrator account already exists.")
        return
    user, pw = accounts.create_user(username="admin", full_name="Quản trị hệ thống", role=Role.ADMIN.value)
    db.session.commit()
    _password_box("First administrator account created (the password is shown only once):", user.username, pw)


def _password_box(title: str, username: str, password: str) -> None:
    click.echo("")
    click.echo("=" * 64)
    click.echo(title)
    click.echo(f"  user name: {username}")
    click.echo(f"  password:  {password}")
    click.echo("Sign in with it, then choose a new password (the app asks for one first).")
    click.echo("=" * 64)


@click.command("reset-password")
@with_appcontext
@click.argument("username")
def reset_password(username: str) -> None:
    """Give USERNAME a new generated password (a lost administrator password): printed once, to be
    changed at the next sign-in; every session of the account ends."""
    user = db.session.scalar(select(User).where(User.username == accounts.normalise_username(username)))
    if user is None:
        raise click.ClickException(f"No account named {username}.")
    password = accounts.reset_password(user)
    security_log.record(SecurityEventKind.PASSWORD_RESET, user=user, detail="cli")
    db.session.commit()
    _password_box(f"New password of {user.username} ({user.role}), shown only once:", user.username, password)
    if not user.active:
        click.echo(f"Note: {user.username} is deactivated; an administrator must reactivate it to sign in.")


def _acting_user(username: str | None) -> User:
    if username:
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None:
            raise click.ClickException(f"No account named {username}.")
    else:
        user = db.session.scalar(
            select(User)
            .where(User.role == Role.ADMIN.value, User.active.is_(True))
            .order_by(User.id)
            .limit(1)
        )
        if user is None:
            raise click.ClickException("No active administrator; create one with ensure-admin or pass --as.")
    if not permissions.can_import_cases(user):
        raise click.ClickException(
            f"{user.username} may not import cases (managers and administrators only)."
        )
    return user


@click.command("import-cases")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--valid-only", is_flag=True, help="Import the valid rows and report the others.")
@click.option("--as", "username", help="The acting account (default: the first active administrator).")
@click.option(
    "--max-rows", type=click.IntRange(min=1), help="The most case rows (default: IMPORT_MAX_ROWS, 10000)."
)
@click.option(
    "--recognise-headers",
    is_flag=True,
    help="Read a sheet in its own shape: find its header row below title rows, recognise its headers "
    "(e.g. 'Tên cơ sở', 'Mã số thuế', 'Ngày kiểm tra') and ignore the other columns.",
)
@click.option(
    "--set",
    "constants",
    multiple=True,
    metavar="COLUMN=VALUE",
    help="A value for every row that leaves COLUMN empty, e.g. --set case_type=inspection (repeatable).",
)
@click.option(
    "--mapping",
    "mapping_name",
    metavar="NAME",
    help="Read the sheet with the mapping saved under NAME on the mapping page (its headers and constants; "
    "--set adds or overrides constants).",
)
def import_cases(
    file: Path,
    valid_only: bool,
    username: str | None,
    max_rows: int | None,
    recognise_headers: bool,
    constants: tuple[str, ...],
    mapping_name: str | None,
) -> None:
    """Import cases from a CSV or .xlsx FILE (docs/import-export.md); exit status 1 if nothing imported.

    The upload page's limits hold here too: at most 10 MB, at most IMPORT_MAX_ROWS case rows.
    """
    from flask import current_app

    from forms.transfer import MAX_IMPORT_BYTES
    from inspect_app.labels.transfer import import_error_line, value_words

    fixed: dict[str, str] = {}
    for pair in constants:
        column, sep, value = pair.partition("=")
        if not sep or column.strip() not in importer.COLUMNS:
            raise click.BadParameter(
                f"{pair!r}: give COLUMN=VALUE with one of {', '.join(importer.COLUMNS)}", param_hint="--set"
            )
        fixed[column.strip()] = value.strip()
    shape = None
    if mapping_name is not None:
        from cases.transfer import saved_mappings

        saved = saved_mappings.find(mapping_name)
        if saved is None:
            names = ", ".join(m.name for m in saved_mappings.all_mappings()) or "none"
            raise click.ClickException(f"No saved mapping named {mapping_name!r} (saved: {names}).")
        shape = saved_mappings.as_header_mapping(saved)
    actor = _acting_user(username)
    with file.open("rb") as fh:
        data = fh.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise click.ClickException(
            f"{file.name} is larger than {MAX_IMPORT_BYTES // 1048576} MB; split it into several files."
        )
    max_rows = max_rows or current_app.config["IMPORT_MAX_ROWS"]
    with click.progressbar(length=1, label="Importing", file=sys.stderr) as bar:

        def progress(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        report = importer.import_cases(
            data,
            filename=file.name,
            actor=actor,
            valid_only=valid_only,
            progress=progress,
            max_rows=max_rows,
            words=value_words(),
            recognise=recognise_headers or bool(fixed),
            constants=fixed or None,
            shape=shape,
        )
    if report.imported:
        db.session.commit()
    else:
        db.session.rollback()
    if report.mapping is not None:
        click.echo(f"Header row: {report.mapping.header_row}", err=True)
        for position, column in sorted(report.mapping.columns.items()):
            header = report.headers[position] if position < len(report.headers) else f"#{position + 1}"
            click.echo(f"  {header!r} -> {column}", err=True)
        for column, value in report.mapping.constants.items():
            click.echo(f"  {column} = {value!r} (every row that leaves it empty)", err=True)
        if report.ignored_headers:
            click.echo(f"  ignored: {', '.join(repr(h) for h in report.ignored_headers)}", err=True)
        if report.missing_headers:
            click.echo(
                f"  not found in the sheet: {', '.join(repr(h) for h in report.missing_headers)}", err=True
            )
    with force_locale("vi"):
        for error in report.errors:
            click.echo(import_error_line(error))
    click.echo(
        f"Rows: {report.total_rows}; created: {report.created}; already imported: "
        f"{len(report.already_imported)}; errors: {report.errors.total}"
        + (f" (the first {len(report.errors)} listed)." if report.errors.not_shown else ".")
    )
    if report.already_imported:
        click.echo("Already imported: " + ", ".join(report.already_imported))
    if not report.imported:
        click.echo("Nothing was imported.", err=True)
        raise SystemExit(1)


@click.command("import-agency-checks")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "username", help="The acting account (default: the first active administrator).")
def import_agency_checks(file: Path, username: str | None) -> None:
    """Import other agencies' checks from a CSV FILE (tax_code or establishment_id, agency, checked_on,
    content; docs/planning.md): all the rows or none; every bad row is listed. They count for the
    once-a-year rule and the risk score."""
    from cases.planning import agency_checks
    from inspect_app.labels.errors import domain_message

    actor = _acting_user(username)
    result = agency_checks.import_agency_checks(actor=actor, content=file.read_bytes())
    if result.problems:
        db.session.rollback()
        with force_locale("vi"):
            for problem in result.problems:
                words = domain_message(ValidationFailed(problem.code))
                click.echo(f"Dòng {problem.row}, cột {problem.column or '—'}: {words}")
        click.echo("Nothing was imported.", err=True)
        raise SystemExit(1)
    db.session.commit()
    click.echo(f"Imported: {result.imported} check(s) by other agencies.")


#: The export acts as an administrator: it sees every commune.
_EXPORT_ACTOR: Any = SimpleNamespace(is_authenticated=True, is_active=True, role=Role.ADMIN.value, id=None)


@click.command("export-cases")
@with_appcontext
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="FILE.csv or FILE.xlsx",
)
@click.option("--kind", type=click.Choice([k.value for k in CaseKind]))
@click.option("--status", type=click.Choice([s.value for s in CaseStatus]))
@click.option("--field", type=click.Choice([f.value for f in CASE_FIELDS]))
@click.option("--commune", help="Commune code.")
@click.option(
    "--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), help="Opened on or after (YYYY-MM-DD)."
)
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), help="Opened on or before (YYYY-MM-DD).")
@click.option("--q", help="Search text, as in the case list.")
@click.option(
    "--readable",
    is_flag=True,
    help="A spreadsheet to read (.xlsx only): words, names, DD/MM/YYYY dates, amounts in đồng.",
)
@click.option("--details", is_flag=True, help="With --readable: add the sheets of items and findings.")
def export_cases(
    output: Path,
    kind: str | None,
    status: str | None,
    field: str | None,
    commune: str | None,
    date_from: dt.datetime | None,
    date_to: dt.datetime | None,
    q: str | None,
    readable: bool,
    details: bool,
) -> None:
    """Export the cases matching the filters in the import format (CSV with a BOM, or Excel), or with
    --readable as the readable spreadsheet of the case list's menu."""
    suffix = output.suffix.lower()
    if suffix not in {".csv", ".xlsx"}:
        raise click.BadParameter("the output file must end in .csv or .xlsx", param_hint="--output")
    if readable and suffix != ".xlsx":
        raise click.BadParameter("the readable spreadsheet is an .xlsx workbook", param_hint="--output")
    if details and not readable:
        raise click.BadParameter("--details goes with --readable", param_hint="--details")
    filters = CaseFilters(
        q=(q or "").strip() or None,
        kind=kind,
        status=status,
        field=field,
        commune_code=(commune or "").strip() or None,
        date_from=date_from.date() if date_from else None,
        date_to=date_to.date() if date_to else None,
    )
    if readable:
        from flask import current_app

        from inspect_app import spreadsheet

        locale = current_app.config["BABEL_DEFAULT_LOCALE"]
        count = spreadsheet.write_workbook(filters, _EXPORT_ACTOR, output, locale=locale, details=details)
        click.echo(f"Exported {count} cases to {output} (readable spreadsheet).")
        return
    rows = exporter.export_rows(filters, _EXPORT_ACTOR)
    if suffix == ".csv":
        with output.open("w", encoding="utf-8", newline="") as fh:
            count = exporter.write_csv(rows, fh)
    else:
        count = exporter.write_xlsx(rows, output)
    click.echo(f"Exported {count} cases to {output}.")


@click.command("demo-data")
@with_appcontext
@click.option("--cases", "count", type=click.IntRange(min=1), default=2000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True, help="The same seed gives the same data.")
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    help="The last day of the data (default: today; YYYY-MM-DD).",
)
@click.option(
    "--append", is_flag=True, help="Add to a database that already has cases (numbering continues)."
)
def demo_data_command(count: int, seed: int, today: dt.datetime | None, append: bool) -> None:
    """Fill the database with realistic demo data: accounts, establishments, cases, findings, activities,
    and evidence with its files in UPLOAD_FOLDER."""
    import time

    from flask import current_app

    from cases.demo import generator as demo_data

    started = time.perf_counter()
    with click.progressbar(length=count, label="Generating cases", file=sys.stderr) as bar:

        def progress(done: int, total: int) -> None:
            bar.update(done - bar.pos)

        try:
            result = demo_data.generate(
                cases=count,
                seed=seed,
                today=today.date() if today else None,
                append=append,
                progress=progress,
                upload_folder=current_app.config["UPLOAD_FOLDER"],
            )
        except demo_data.DemoDataRefused as exc:
            db.session.rollback()
            if str(exc) == "no_reference_data":
                raise click.ClickException("No reference data: run `flask seed-reference` first.") from None
            raise click.ClickException(
                "The database already has cases; use --append to add more, or start from an empty database."
            ) from None
    db.session.commit()
    elapsed = time.perf_counter() - started
    for table, rows in sorted(result.counts.items()):
        click.echo(f"  {table:<22} {rows:>9}")
    click.echo(f"Wrote {count} cases in {elapsed:.1f} s. First numbers: {', '.join(result.first_numbers)}")
    click.echo("Demo accounts (user name / role / password):")
    for username, role, password in result.accounts:
        click.echo(f"  {username:<12} {role:<10} {password}")
