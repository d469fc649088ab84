"""Command-line interface: ``flask --app inspect_app <command>``."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from cases import accounts, reference
from cases.enums import Role
from cases.errors import ValidationFailed
from inspect_app.extensions import db


def register_cli(app: Flask) -> None:
    app.cli.add_command(seed_reference)
    app.cli.add_command(create_user)
    app.cli.add_command(ensure_admin)


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
    click.echo("=" * 60)
    click.echo("First administrator account created (shown only once):")
    click.echo(f"  user name: {user.username}")
    click.echo(f"  password:  {pw}")
    click.echo("=" * 60)
