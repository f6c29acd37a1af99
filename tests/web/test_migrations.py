"""The Alembic migrations build the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import warnings

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from tests.conftest import make_config
from tests.services import scratch_postgres_database
from web import create_app
from web.extensions import db


def test_models_and_migrations_agree(app):
    """After `upgrade`, do the tables, columns, constraints and indexes match the models?"""
    with db.engine.connect() as connection, warnings.catch_warnings():
        # SQLite cannot reflect expression indexes (lower(email)); the case-insensitive
        # uniqueness they give is tested by behaviour in test_foundation.py.
        warnings.filterwarnings("ignore", message=".*expression-based index.*")
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []
        indexes = {index["name"] for index in inspect(connection).get_indexes("user")}
    if db.engine.dialect.name == "postgresql":
        assert "uq_user_email_lower" in indexes


def round_trip(url: str) -> None:
    """Upgrade a fresh database to head, down to nothing, and up again."""
    app = create_app(make_config(url))
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert "tutor_profile" in inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_migrations_round_trip_on_sqlite(tmp_path):
    """Do the migrations apply, revert and re-apply cleanly on SQLite?"""
    round_trip(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")


@pytest.mark.postgres
def test_migrations_round_trip_on_postgres():
    """Do the migrations apply, revert and re-apply cleanly on PostgreSQL?"""
    with scratch_postgres_database("tm_migrate") as url:
        round_trip(url)


def test_cancelled_emails_keep_their_reason_as_a_code(tmp_path):
    """Do emails cancelled before reasons were codes (the demo's history, opt-outs) get the
    right reason when the database is upgraded, instead of all reading as opt-outs?"""
    app = create_app(make_config(f"sqlite:///{tmp_path / 'old.sqlite3'}"))
    notes = {
        "demo_history": "Demo history: written while the demo was seeded, never sent.",
        "opted_out": "recipient opted out of non-essential emails",
    }
    with app.app_context():
        upgrade(revision="0003_territory_contact")
        for key, note in notes.items():
            db.session.execute(
                text(
                    "INSERT INTO notification (idempotency_key, recipient_email, template, locale,"
                    " context, essential, status, attempts, last_error, created_at,"
                    " next_attempt_at) VALUES (:key, 'a@example.org', 'test_message', 'it', '{}',"
                    " 1, 'cancelled', 0, :note, '2026-11-01', '2026-11-01')"
                ),
                {"key": key, "note": note},
            )
        db.session.commit()
        upgrade()
        rows = db.session.execute(
            text("SELECT idempotency_key, cancel_reason, last_error FROM notification")
        )
        assert {row[0]: (row[1], row[2]) for row in rows} == {
            "demo_history": ("demo_history", None),
            "opted_out": ("opted_out", None),
        }
        db.engine.dispose()
