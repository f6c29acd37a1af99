"""Regenerate the README's screenshots (`make screenshots`) from the demo data, in Chromium.

Seeds the demo into a scratch SQLite database in a temporary directory, serves the app on a
free loopback port from this process, and photographs each page as its user sees it. Pages
are found by endpoint and database id (not by clicking), so UI changes don't break the run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask
    from playwright.sync_api import ViewportSize

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
MAX_HEIGHT = 1600  # px of a full-page shot; longer pages are cut (keeps the PNGs small)


@dataclass(frozen=True)
class Shot:
    """One screenshot: file name, who looks, at which width, which page."""

    name: str
    login: str | None
    viewport: ViewportSize
    path: str


def prepare(scratch: Path) -> tuple[Flask, list[Shot]]:
    """Seed the demo into a scratch database; return the app and the pages to photograph."""
    os.environ.update(
        APP_ENV="development",
        INSTANCE_DIR=str(scratch),
        DATABASE_URL=f"sqlite:///{scratch / 'screenshots.sqlite3'}",
        TASK_MODE="inprocess",
        MAIL_SERVER="",
    )  # before the settings module reads them
    sys.path.insert(0, str(ROOT))
    from flask_migrate import upgrade

    from web import create_app
    from web.services.demo import seed_demo

    app = create_app()
    with app.app_context():
        upgrade()
        seed_demo()
        with app.test_request_context():
            return app, demo_pages()


def demo_pages() -> list[Shot]:
    """Name the pages to photograph, with the demo's real ids (Parma's coordinator, a tutor)."""
    from flask import url_for
    from sqlalchemy import select

    from web.extensions import db
    from web.models import MatchRun, Territory, User
    from web.services.demo import demo_accounts
    from web.services.tutor_matches import matches_for

    parma = db.session.scalars(select(Territory).where(Territory.code == "PR")).one()
    coordinator = db.session.scalars(
        select(User.email).where(User.role == "coordinator", User.territories.contains(parma))
    ).first()
    latest_run = db.session.scalars(
        select(MatchRun.id).where(MatchRun.territory_id == parma.id).order_by(MatchRun.id.desc())
    ).first()
    tutor_email = next(a.email for a in demo_accounts() if a.note == "with an active match")
    tutor = db.session.scalars(select(User).where(User.email == tutor_email)).one()
    assert tutor.tutor_profile is not None
    active = next(m.id for m in matches_for(tutor.tutor_profile) if m.status == "active")
    return [
        Shot("landing-phone", None, PHONE, url_for("main.index")),
        Shot("proposals-review", coordinator, DESKTOP,
             url_for("proposals.review", territory_id=parma.id)),
        Shot("run-result", coordinator, DESKTOP, url_for("runs.show", run_id=latest_run)),
        Shot("dashboard", coordinator, DESKTOP, url_for("dashboard.index")),
        Shot("tutor-match-phone", tutor_email, PHONE, url_for("tutors.match", match_id=active)),
    ]  # fmt: skip


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve the app on a free loopback port in a thread; yield its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def photograph(base_url: str, shots: list[Shot], password: str) -> list[Path]:
    """Take each screenshot in headless Chromium; return the files written."""
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            for shot in shots:
                context = browser.new_context(viewport=shot.viewport, locale="it-IT")
                context.set_default_timeout(15_000)
                try:
                    written.append(photograph_page(context.new_page(), base_url, shot, password))
                finally:
                    context.close()
        finally:
            browser.close()
    return written


def photograph_page(page, base_url: str, shot: Shot, password: str) -> Path:
    """Sign in if the shot needs it, open the page, and save its top part as a PNG."""
    if shot.login:
        page.goto(f"{base_url}/login")
        page.fill('input[name="email"]', shot.login)
        page.fill('input[name="password"]', password)
        with page.expect_navigation():
            page.press('input[name="password"]', "Enter")
        if page.url.endswith("/login"):
            raise SystemExit(f"{shot.name}: {shot.login} could not sign in")
    reply = page.goto(base_url + shot.path, wait_until="networkidle")
    if reply is None or reply.status != 200:
        raise SystemExit(f"{shot.name}: {shot.path} answered {reply and reply.status}")
    target = OUTPUT / f"{shot.name}.png"
    height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
    page.screenshot(
        path=str(target),
        clip={"x": 0, "y": 0, "width": shot.viewport["width"], "height": height},
        full_page=True,
    )
    return target


def main() -> int:
    """Seed, serve, photograph; print each file written and its size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only these screenshots (default: all)")
    names = set(parser.parse_args().names)
    started = time.perf_counter()
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tm-screenshots-") as scratch:
        app, shots = prepare(Path(scratch))
        from web.services.demo import DEMO_PASSWORD

        with serving(app) as base_url:
            chosen = [shot for shot in shots if not names or shot.name in names]
            written = photograph(base_url, chosen, DEMO_PASSWORD)
    for path in written:
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")
    print(f"{len(written)} screenshots in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
