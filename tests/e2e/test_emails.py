"""Emails as a phone shows them: long links wrap inside the card."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.pages import app_context, assert_fits
from tests.e2e.test_coordinator import sign_in
from web.extensions import db
from web.services.notifications import notify

LONG_TOKEN = "eyJ1IjoxLCJuIjoiYWJjIn0." + "Zm9vYmFy" * 60  # no break opportunity in 500 chars


@pytest.mark.parametrize("language", ["it", "ar"])
def test_a_reset_email_with_a_long_link_fits_a_phone(page, live_server, tmp_path, language):
    """Does a reset email whose link is a 500-character token stay inside a 390 px screen,
    in a left-to-right and a right-to-left language?"""
    with app_context(live_server):
        admin = factories.user("admin", locale="en")
        email = notify(
            key=f"long-link-{language}",
            to="giulia@example.org",
            template="reset_password",
            locale=language,
            context={
                "name": "Giulia",
                "link": f"{live_server.url}/password/reset/{LONG_TOKEN}",
                "minutes": 60,
            },
        )
        db.session.commit()
        email_id, admin_email = email.id, admin.email
    sign_in(page, admin_email)
    page.goto(f"/admin/notifications/{email_id}/html")
    link = page.locator("a", has_text=LONG_TOKEN[:40])
    expect(link).to_be_visible()
    assert_fits(page)
    box = link.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    shot = tmp_path / f"reset-email-{language}-390.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 0
