"""A coordinator on a phone finds the territory settings by clicking and changes them."""

from __future__ import annotations

from playwright.sync_api import expect

from tests import factories
from tests.e2e.pages import app_context, assert_fits, open_menu, sign_in
from web.extensions import db
from web.models import Territory


def test_coordinator_reaches_and_saves_the_territory_settings_on_a_phone(page, live_server):
    """From the Matching menu, can a coordinator at 390 px open Parma's settings, set the
    contact and a level, and see them saved (and a bad address refused at the field)?"""
    with app_context(live_server):
        parma = factories.territory()
        coordinator = factories.user("coordinator", territories=[parma], locale="en")
        parma_id, email = parma.id, coordinator.email
    sign_in(page, email)
    open_menu(page)
    page.get_by_role("navigation").get_by_role("link", name="Matching").click()
    page.locator("main").get_by_role("link", name="Territory settings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Settings of Parma")
    assert_fits(page)

    page.select_option("select[name=min_level]", "B1")
    page.fill("input[name=contact_name]", "Carla Verdi")
    page.fill("input[name=contact_email]", "carla@")
    page.get_by_role("button", name="Save the settings").click()
    expect(page.locator("#contact_email-error")).to_contain_text("Invalid email address")
    assert_fits(page)
    page.fill("input[name=contact_email]", "carla.verdi@parma.example.org")
    page.get_by_role("button", name="Save the settings").click()
    expect(page.locator(".flash-success")).to_have_text("Settings saved.")
    expect(page.locator("select[name=min_level]")).to_have_value("B1")
    with app_context(live_server):
        saved = db.session.get(Territory, parma_id)
        assert saved.weights == {"min_level": "B1"}
        assert saved.contact_email == "carla.verdi@parma.example.org"
