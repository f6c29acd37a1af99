"""A volunteer on a phone: from the landing page to a complete profile, in a real browser."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import func, select

from tests import factories
from tests.e2e.pages import app_context, assert_fits, assert_tappable, email_link
from web.extensions import db
from web.models import TutorProfile, User

PASSWORD = "a quiet walk by the river"


def open_sign_up(page) -> None:
    """Go from the landing page (Italian) to the sign-up form."""
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "it")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tutor Territoriale")
    assert_fits(page)
    page.locator(".hero").get_by_role("link", name="Iscriviti").click()
    expect(page).to_have_url(re.compile(r"/signup$"))
    assert_fits(page)


def fill_sign_up(page, password: str = PASSWORD) -> None:
    """Type name, email and password, accept the notice and send the form."""
    page.fill("input[name=full_name]", "Giulia Rossi")
    page.fill("input[name=email]", "giulia@example.org")
    page.fill("input[name=password]", password)
    page.check("input[name=accept_privacy]")
    page.locator("main").get_by_role("button", name="Iscriviti").click()


def save_step(page, next_heading: str) -> None:
    """Press the wizard's button and land on the next step, which fits the phone."""
    page.get_by_role("button", name="Salva e continua").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(next_heading)
    assert_fits(page)


def test_volunteer_signs_up_verifies_and_completes_the_profile_on_a_phone(
    page, live_server, tmp_path
):
    """Can a volunteer on a 390 px phone sign up, verify, and fill every step of the profile?"""
    with app_context(live_server):
        factories.territory()
    open_sign_up(page)
    fill_sign_up(page)
    expect(page).to_have_url(re.compile(r"/signup/check-email$"))
    assert_fits(page)

    page.goto(email_link(live_server, "verify_email"))  # straight on to the first step
    expect(page.get_by_role("heading", level=1)).to_have_text("Dove sei")
    expect(page.locator(".flash-success")).to_contain_text("Ora raccontaci di te")
    assert_fits(page)

    place = page.locator("input[name=place]")
    place.press_sequentially("Parm", delay=40)
    suggestions = page.locator("datalist#place-options option")
    expect(suggestions.and_(page.locator("[value='Parma (PR)']"))).to_have_count(1)
    place.fill("Parma (PR)")  # what choosing the suggestion puts in the field
    page.fill("input[name=max_travel_km]", "12")
    save_step(page, "In cosa puoi aiutare")

    page.check("input[name=skills][value=work_cv]")
    page.check("input[name=skills][value=housing_search]")
    save_step(page, "Lingue che parli")

    page.select_option("select[name=languages-0-lang]", "it")
    page.select_option("select[name=languages-0-level]", "native")
    page.select_option("select[name=languages-1-lang]", "ar")
    page.select_option("select[name=languages-1-level]", "B1")
    save_step(page, "Quando sei disponibile")

    for slot in ("mon_evening", "thu_evening", "sat_morning"):
        page.check(f"input[name=slots][value={slot}]")
    page.check("input[name=capacity][value='2']")
    assert_tappable(page.locator("input[name=slots]"))
    page.screenshot(path=str(tmp_path / "availability-390.png"), full_page=True)
    save_step(page, "Su di te")

    page.fill("input[name=display_name]", "Giulia")
    page.fill("textarea[name=motivation]", "Sono stata nuova in una città anch'io.")
    page.fill("textarea[name=interests]", "cucina, calcio")
    page.get_by_role("button", name="Salva e continua").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Il tuo profilo")
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Parma (PR)")
    assert_fits(page)

    with app_context(live_server):
        profile = db.session.scalar(select(TutorProfile))
        assert profile.place.label == "Parma (PR)" and profile.max_travel_km == 12
        assert {s.skill_code for s in profile.skills} == {"work_cv", "housing_search"}
        assert {(x.lang, x.level) for x in profile.languages} == {("it", "native"), ("ar", "B1")}
        assert profile.capacity == 2 and bin(profile.availability).count("1") == 3
        assert profile.status == "pending" and profile.user.verified_at is not None


def test_short_password_is_explained_next_to_the_field_and_other_values_kept(page, live_server):
    """Does a short password get its message next to the field, with name and email kept?"""
    open_sign_up(page)
    fill_sign_up(page, password="short pass")
    password = page.locator("input[name=password]")
    error = page.locator("#password-error")
    expect(error).to_have_text("La password deve avere almeno 12 caratteri.")
    expect(password).to_have_attribute("aria-invalid", "true")
    # the message sits in the password's own field block, right under it
    expect(page.locator(".field.has-error").filter(has=password)).to_contain_text("12 caratteri")
    expect(page.locator("input[name=full_name]")).to_have_value("Giulia Rossi")
    expect(page.locator("input[name=email]")).to_have_value("giulia@example.org")
    expect(page.locator("input[name=accept_privacy]")).to_be_checked()
    assert_fits(page)
    with app_context(live_server):
        assert db.session.scalar(select(func.count(User.id))) == 0
