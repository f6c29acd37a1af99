"""Fixtures: an app per test on SQLite and PostgreSQL, a client, users, a real worker."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from config.settings import TestConfig, celery_settings
from tests.services import TEST_REDIS_URL, scratch_postgres_database
from web import create_app
from web.extensions import db
from web.services.places import load_places
from web.services.tasks import wait_for_inprocess_tasks

KEEP_TABLES = {"place", "alembic_version"}  # loaded once per session, never changed by tests


class IsolatedClient(FlaskClient):
    """A test client whose requests each get a fresh app context, as in production.

    Tests keep an app context open for factories and queries; without this, requests
    would share its `g` and database session and hide caching bugs.
    """

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            db.session.expire_all()  # see what the request committed
        return response


def make_config(database_url: str, **overrides) -> type[TestConfig]:
    """Build a settings class for one database (and any overrides)."""
    settings = {"SQLALCHEMY_DATABASE_URI": database_url, **overrides}
    return type("PerTestConfig", (TestConfig,), settings)


def migrate_and_load(database_url: str) -> None:
    """Build the schema with the real migrations and load the gazetteer once."""
    app = create_app(make_config(database_url))
    with app.app_context():
        upgrade()
        load_places()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated SQLite file shared by the session (rows are cleared after each test)."""
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('db')) / 'test.sqlite3'}"
    migrate_and_load(url)
    return url


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A migrated PostgreSQL database of its own for this test session."""
    with scratch_postgres_database() as url:
        migrate_and_load(url)
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """Run the test once on SQLite and once on PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_url")


def clear_rows(app: Flask) -> None:
    """Delete every row the test wrote, keeping the gazetteer."""
    with app.app_context():
        tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEEP_TABLES]
        if db.engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                db.session.execute(table.delete())
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def make_app(request: pytest.FixtureRequest) -> Iterator:
    """Return a factory of apps on a given database; rows are cleared afterwards."""
    apps: list[Flask] = []

    def factory(database_url: str, **overrides) -> Flask:
        app = create_app(make_config(database_url, **overrides))
        app.test_client_class = IsolatedClient
        apps.append(app)
        return app

    yield factory
    for app in apps:
        wait_for_inprocess_tasks(app)
    if apps:
        clear_rows(apps[0])


@pytest.fixture
def app(make_app, database_url: str) -> Iterator[Flask]:
    """The app on the database of this run (SQLite or PostgreSQL), inside an app context."""
    app = make_app(database_url)
    with app.app_context():
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser-like client of the app."""
    return app.test_client()


@pytest.fixture
def worker_config_overrides() -> dict:
    """Settings for an app that sends tasks to a real worker on a private queue."""
    import uuid

    queue = f"tm-test-{uuid.uuid4().hex[:8]}"
    celery = celery_settings(TEST_REDIS_URL)
    celery["task_default_queue"] = queue
    return {"TASK_MODE": "worker", "REDIS_URL": TEST_REDIS_URL, "CELERY": celery}
