"""A coordinator on a phone: register a person, run matching, read the reasons, approve."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from tests import factories
from tests.e2e.pages import app_context, assert_fits, assert_tappable, open_menu, sign_in
from web.extensions import db
from web.models import Beneficiary, Match

RUN_WAIT_MS = 20_000  # a run of a handful of people takes well under a second in-process


def seed_parma(server) -> dict:
    """Parma with a coordinator (English UI), three active tutors and one waiting person."""
    with app_context(server):
        parma = factories.territory()
        coordinator = factories.user(
            "coordinator", territories=[parma], full_name="Carla", locale="en"
        )
        for name in ("Giulia Rossi", "Marco Bianchi", "Sara Greco"):
            factories.tutor(parma, display_name=name, max_travel_km=30)
        factories.beneficiary(parma, first_name="Yonas")
        return {"territory_id": parma.id, "email": coordinator.email}


def register_person(page) -> None:
    """Fill the registration form at phone width and save it."""
    page.locator("main").get_by_role("link", name="Register a person").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register a person")
    assert_fits(page)
    page.fill("input[name=first_name]", "Amina")
    page.fill("input[name=contact_email]", "amina@example.org")
    page.select_option("select[name=preferred_language]", "ar")
    place = page.locator("input[name=place]")
    place.press_sequentially("Fiden", delay=30)
    expect(page.locator("datalist#place-options option[value='Fidenza (PR)']")).to_have_count(1)
    place.fill("Fidenza (PR)")
    page.select_option("select[name=first_language]", "ar")
    page.select_option("select[name=first_language_level]", "native")
    page.select_option("select[name=italian_level]", "A2")
    need = page.locator("select[name=need_work_cv]")
    group = page.locator("details", has=need)
    if not group.evaluate("details => details.open"):
        group.locator("summary").click()  # needs are grouped in folding sections
    need.select_option("3")
    page.check("input[name=availability][value=mon_morning]")
    assert_tappable(page.locator("input[name=availability]"))
    page.check("input[name=consent]")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash-success")).to_contain_text("Registered as PR-")
    assert_fits(page)


def test_coordinator_registers_runs_matching_and_approves_on_a_phone(page, live_server, tmp_path):
    """Can a coordinator on a 390 px phone go from the list of people to an approved match?"""
    seeded = seed_parma(live_server)
    sign_in(page, seeded["email"])
    assert_fits(page)

    open_menu(page)
    page.get_by_role("navigation").get_by_role("link", name="Beneficiaries").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beneficiaries")
    expect(page.locator("table")).to_contain_text("Yonas")
    assert_fits(page)
    register_person(page)

    open_menu(page)
    page.get_by_role("navigation").get_by_role("link", name="Matching").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Matching")
    assert_fits(page)
    page.get_by_role("link", name="Matching runs", exact=True).click()
    assert_fits(page)
    page.get_by_role("button", name="Run matching").click()
    expect(page).to_have_url(re.compile(r"/runs/\d+$"))
    # The page polls while the run works, then reloads on its own: wait for the outcome.
    expect(page.locator("h1 .badge")).to_have_text("ready to publish", timeout=RUN_WAIT_MS)
    expect(page.locator("#run-progress")).to_have_count(0)
    expect(page.locator(".kpi").first).to_have_text("2 / 2")
    assert_fits(page)

    page.get_by_role("button", name="Publish the proposals").click()
    expect(page).to_have_url(re.compile(rf"/proposals/territory/{seeded['territory_id']}"))
    cards = page.locator("section.proposal")
    expect(cards).to_have_count(2)
    amina = cards.filter(has_text="Amina")
    reasons = amina.locator(".option").first.locator("ul.reasons li")
    expect(reasons.first).to_be_visible()
    expect(amina.locator("ul.reasons").first).to_contain_text(re.compile(r"covers 1 of 1 need"))
    expect(amina.locator("ul.reasons").first).to_contain_text("km")
    assert_fits(page)
    assert_tappable(amina.get_by_role("button", name="Approve", exact=True))
    open_menu(page)
    assert_tappable(page.get_by_role("navigation").get_by_role("link"))
    shot = tmp_path / "proposals-390.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 0

    amina.get_by_role("button", name="Approve", exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text("Approved: PR-")
    expect(page.locator("section.proposal")).to_have_count(1)
    assert_fits(page)

    with app_context(live_server):
        person = db.session.scalar(select(Beneficiary).where(Beneficiary.first_name == "Amina"))
        decided = db.session.scalars(
            select(Match).where(Match.beneficiary_id == person.id, Match.status == "approved")
        ).all()
        assert len(decided) == 1 and person.place.label == "Fidenza (PR)"
