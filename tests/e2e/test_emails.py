"""Emails as people see them: long links wrap inside the card; the dev mailbox shows all."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import DESKTOP
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


def test_the_dev_mailbox_shows_a_whole_arabic_email_and_its_text_right_to_left(
    open_page, live_server
):
    """On the dev mailbox at 1280 px, does the frame show the whole Arabic "You have a tutor"
    down to its footer (no cropped end), with the phone number kept in reading order and the
    plain text read right to left?"""
    with app_context(live_server):
        admin = factories.user("admin", locale="en")
        parma = factories.territory()
        parma.contact_name, parma.contact_email = "Carla Verdi", "carla@parma.example.org"
        parma.contact_phone = "+39 0521 123456"
        db.session.commit()
        email = notify(
            key="tutor-ar",
            to="amina@example.org",
            template="match_approved_beneficiary",
            locale="ar",
            context={"first_name": "Amina", "tutor_name": "Giulia"},
            territory_id=parma.id,
        )
        db.session.commit()
        email_id, admin_email = email.id, admin.email
    page = open_page(DESKTOP)
    sign_in(page, admin_email)
    page.goto(f"/dev/mailbox/{email_id}")
    frame = page.locator("iframe.email-frame")
    footer = page.frame_locator("iframe.email-frame").get_by_text("مرشدون محليون من أجل الاندماج")
    expect(footer).to_be_visible()
    page.wait_for_function(
        "f => f.contentDocument.readyState === 'complete'"
        " && f.clientHeight >= f.contentDocument.documentElement.scrollHeight",
        arg=frame.element_handle(),
    )
    frame_box, footer_box = frame.bounding_box(), footer.bounding_box()
    assert frame_box and footer_box
    assert footer_box["y"] + footer_box["height"] <= frame_box["y"] + frame_box["height"]
    phone = page.frame_locator("iframe.email-frame").locator("bdi", has_text="+39 0521 123456")
    parts = phone.evaluate(
        """bdi => ["+39", "123456"].map(part => {
            const range = document.createRange(), text = bdi.firstChild;
            const start = text.data.indexOf(part);
            range.setStart(text, start); range.setEnd(text, start + part.length);
            return range.getBoundingClientRect().x;
        })"""
    )
    assert parts[0] < parts[1], "the phone number is shown reversed"
    expect(page.locator("pre[dir=rtl]")).to_contain_text("+39 0521 123456")
