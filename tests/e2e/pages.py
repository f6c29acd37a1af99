"""What the browser tests check on every page, and how they read the app's outbox."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import select

from tests.factories import PASSWORD
from web.extensions import db
from web.models import Notification


@dataclass
class LiveServer:
    """The app served over HTTP on loopback."""

    app: Flask
    url: str

    def path(self, url: str) -> str:
        """Return the path (and query) of a URL this server serves."""
        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")


@contextmanager
def app_context(server: LiveServer) -> Iterator[None]:
    """A short app context of the served app (its own database session, removed on exit)."""
    with server.app.app_context():
        yield


FITS = "document.documentElement.scrollWidth <= window.innerWidth"


def assert_fits(page) -> None:
    """Fail when the page scrolls sideways (it must work at 390 px)."""
    sizes = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert page.evaluate(FITS), f"{page.url} scrolls sideways: {sizes[0]} px in {sizes[1]} px"


def email_link(server: LiveServer, template: str, key: str = "link") -> str:
    """Return the path of the link in the newest email of a template (as a person clicks it)."""
    with app_context(server):
        sent = db.session.scalars(
            select(Notification)
            .where(Notification.template == template)
            .order_by(Notification.id.desc())
        ).first()
        assert sent is not None, f"no {template} email in the outbox"
        return server.path(sent.context[key])


TAP_PX = 24  # WCAG 2.2 target size (minimum); our buttons aim for 44


def assert_tappable(targets) -> None:
    """Fail when a visible button or link is smaller than a finger can hit reliably."""
    count = targets.count()
    assert count > 0, "nothing to tap"
    for index in range(count):
        box = targets.nth(index).bounding_box()
        assert box is not None, f"target {index} is not displayed"
        assert box["width"] >= TAP_PX and box["height"] >= TAP_PX, (
            f"target {index} ({targets.nth(index).inner_text()!r}) is {box['width']:.0f}"
            f"×{box['height']:.0f} px"
        )


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    """Sign in through the login form and land on the home page."""
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.locator("main").get_by_role("button").click()
    expect(page).to_have_url(re.compile(r"/home$"))


def open_menu(page) -> None:
    """Open the header's menu when it is folded (on a phone)."""
    toggle = page.locator(".site-header .menu-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false":
        toggle.click()


BLOCKING = {"serious", "critical"}  # axe-core impacts no page may have
EVERY_IMPACT = {"minor", "moderate", *BLOCKING}
axe = Axe()  # axe-core bundled in the wheel: nothing is fetched


def serious_violations(page, impacts: set[str] = BLOCKING) -> list[str]:
    """Run axe-core on the page as it stands; describe its violations of these impacts."""
    found = []
    for rule in axe.run(page).response["violations"]:
        if rule["impact"] in impacts:
            targets = [" ".join(map(str, node["target"])) for node in rule["nodes"]]
            found.append(f"{rule['id']} ({rule['impact']}) {rule['help']} at {targets[:3]}")
    return found
