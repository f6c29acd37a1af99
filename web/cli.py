"""Flask CLI commands: places, taxonomy, users, demo data, first-run setup."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from flask_migrate import upgrade

from config.taxonomy import TaxonomyError, load_taxonomy
from matching.gazetteer import GazetteerError
from web.models.common import ROLES
from web.services.demo import DEMO_PASSWORD, demo_accounts, seed_demo
from web.services.errors import ServiceError
from web.services.places import load_places, places_loaded
from web.services.users import create_user

places_cli = AppGroup("places", help="Manage the offline gazetteer of municipalities.")
taxonomy_cli = AppGroup("taxonomy", help="Check the skills taxonomy.")


@places_cli.command("load")
def places_load() -> None:
    """Load (or update) every Italian municipality from the shipped data file."""
    try:
        added, updated = load_places()
    except GazetteerError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"places: {added} added, {updated} updated")


@taxonomy_cli.command("check")
def taxonomy_check() -> None:
    """Validate config/taxonomy.toml and print what it holds."""
    try:
        taxonomy = load_taxonomy()
    except (TaxonomyError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"taxonomy v{taxonomy.version}: {len(taxonomy.paths)} paths, {len(taxonomy.skills)} skills"
    )


@click.command("create-user")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the account may do.")
@click.option("--email", required=True, help="Login email (case-insensitive, unique).")
@click.option("--territory", "territories", multiple=True, help="Province code, e.g. PR (repeat).")
@click.option("--name", default="", help="Full name shown in the app.")
@click.password_option(help="Prompted when not given (at least 12 characters).")
def create_user_command(
    role: str, email: str, territories: tuple[str, ...], name: str, password: str
) -> None:
    """Create an admin, coordinator or tutor account."""
    try:
        user = create_user(email, password, role, full_name=name, territory_codes=territories)
    except ServiceError as exc:
        raise click.ClickException(
            "\n".join(f"{field or 'error'}: {msg}" for field, msg in exc.errors.items())
        ) from exc
    click.echo(f"created {user.role} {user.email}")


@click.command("seed-demo")
@click.option("--tutors", default=40, show_default=True, type=click.IntRange(0, 1000))
@click.option("--beneficiaries", default=30, show_default=True, type=click.IntRange(0, 1000))
def seed_demo_command(tutors: int, beneficiaries: int) -> None:
    """Create fictitious demo data (idempotent)."""
    report = seed_demo(tutors, beneficiaries)
    click.echo(
        f"demo: {report.territories} territories, {report.users} users, "
        f"{report.tutors} tutors, {report.beneficiaries} beneficiaries created; "
        f"history: {report.runs} match runs, {report.decisions} decisions, "
        f"{report.meetings} meetings"
    )
    print_demo_logins()


def print_demo_logins() -> None:
    """Print the demo accounts and their password."""
    click.echo(f"demo logins (password: {DEMO_PASSWORD}):")
    for role, email, note in demo_accounts():
        click.echo(f"  {role:<12} {email}" + (f"  ({note})" if note else ""))


@click.command("setup")
@click.option("--demo/--no-demo", default=True, help="Create demo data on first run.")
def setup_command(demo: bool) -> None:
    """Apply migrations, load places and taxonomy, and seed demo data on first run."""
    upgrade()
    first_run = not places_loaded()
    places_load.callback()  # type: ignore[misc]
    taxonomy_check.callback()  # type: ignore[misc]
    if demo and first_run:
        seed_demo_command.callback(40, 30)  # type: ignore[misc]
    elif demo:
        print_demo_logins()


def register(app: Flask) -> None:
    """Attach the commands to the app's CLI."""
    for command in (
        places_cli,
        taxonomy_cli,
        create_user_command,
        seed_demo_command,
        setup_command,
    ):
        app.cli.add_command(command)
