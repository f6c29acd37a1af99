"""Browser fixtures: the real app served on loopback, Debian's Chromium, a phone-sized page.

The app runs on PostgreSQL (the production database) with CSRF on, in a werkzeug server
thread; every page blocks and records requests that leave 127.0.0.1.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from tests.conftest import clear_rows, make_config
from tests.e2e.pages import LiveServer
from tests.services import unavailable
from web import create_app
from web.extensions import db
from web.services.tasks import wait_for_inprocess_tasks

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
WAIT_MS = 10_000  # every Playwright wait is bounded; nothing here should take seconds


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this folder as a browser test."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_server(postgres_url: str) -> Iterator[LiveServer]:
    """Serve the real app (PostgreSQL, CSRF on, tasks in-process) on a free loopback port."""
    config = make_config(postgres_url, WTF_CSRF_ENABLED=True, TASK_MODE="inprocess")
    app = create_app(config)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_URL"] = url  # links in emails point here
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app=app, url=url)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        wait_for_inprocess_tasks(app)
        executor = app.extensions.get("inprocess_executor")
        if executor is not None:
            executor.shutdown()
        with app.app_context():
            db.engine.dispose()  # close pooled connections before the database is dropped


@pytest.fixture(autouse=True)
def fresh_rows(live_server: LiveServer) -> Iterator[None]:
    """Give each test empty tables (the gazetteer stays)."""
    yield
    wait_for_inprocess_tasks(live_server.app)
    clear_rows(live_server.app)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, launched once per session."""
    if not CHROMIUM.exists():
        unavailable("Chromium", f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    except Exception as exc:
        playwright.stop()
        unavailable("Chromium", f"it did not start: {exc.__class__.__name__}: {exc}")
    try:
        yield launched
    finally:
        launched.close()
        playwright.stop()


@dataclass
class Watch:
    """What a page did that it must not: leave loopback, fail a script, answer 5xx."""

    outside: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)

    def check(self) -> None:
        """Fail with what went wrong, if anything."""
        assert self.outside == [], f"third-party requests attempted: {self.outside}"
        assert self.script_errors == [], f"JavaScript errors: {self.script_errors}"
        assert self.server_errors == [], f"server errors: {self.server_errors}"


def is_local(url: str) -> bool:
    """Tell whether a request stays on the loopback server (data: and blob: are local)."""
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about"}:
        return True
    return parts.scheme in {"http", "https"} and parts.hostname == "127.0.0.1"


@pytest.fixture
def open_page(browser, live_server: LiveServer) -> Iterator:
    """Return a factory of pages (phone size unless told) that refuse to leave loopback."""
    contexts = []
    watches: list[Watch] = []

    def factory(viewport: dict | None = None, locale: str = "it-IT"):
        context = browser.new_context(
            viewport=viewport or PHONE, locale=locale, base_url=live_server.url
        )
        context.set_default_timeout(WAIT_MS)
        contexts.append(context)
        watch = Watch()
        watches.append(watch)

        def guard(route) -> None:
            if is_local(route.request.url):
                route.continue_()
            else:
                watch.outside.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        page = context.new_page()
        page.on("pageerror", lambda error: watch.script_errors.append(str(error)))
        page.on(
            "response",
            lambda reply: reply.status >= 500 and watch.server_errors.append(reply.url),
        )
        page.watch = watch
        return page

    yield factory
    for context in contexts:
        context.close()
    for watch in watches:
        watch.check()


@pytest.fixture
def page(open_page):
    """A phone-sized page (390×844) on the live server."""
    return open_page()
