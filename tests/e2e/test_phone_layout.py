"""The header menu, tick boxes, level dropdowns and error summaries on a phone."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.pages import (
    EVERY_IMPACT,
    TAP_PX,
    app_context,
    assert_fits,
    assert_tappable,
    serious_violations,
    sign_in,
)


def assert_header_is_one_row(page) -> None:
    """Fail when the header's visible items stand on more than one row (they must all overlap)."""
    page.wait_for_load_state("load")  # the menu script has run (the URL changes before parsing)
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.site-header > *')]
            .map(el => [el.className || el.tagName, el.getBoundingClientRect()])
            .filter(([, box]) => box.width > 0 && box.height > 0)
            .map(([name, box]) => [name, box.top, box.bottom])"""
    )
    lowest_top = max(top for _, top, _ in boxes)
    highest_bottom = min(bottom for _, _, bottom in boxes)
    assert lowest_top < highest_bottom, f"the header wraps: {boxes}"
    height = page.locator(".site-header").bounding_box()["height"]
    assert height <= 72, f"the header is {height:.0f} px tall"


def test_phone_header_is_one_row_and_its_menu_opens_with_every_link(open_page, live_server):
    """Does a coordinator's header fit one row at 390 px, its menu open to big links?"""
    with app_context(live_server):
        parma = factories.territory()
        coordinator = factories.user("coordinator", territories=[parma], locale="en").email
    page = open_page(locale="en-GB")
    sign_in(page, coordinator)
    assert_header_is_one_row(page)
    toggle = page.locator(".site-header").get_by_role("button", name="Menu")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    nav = page.get_by_role("navigation", name="Main menu")
    expect(nav.get_by_role("link", name="Beneficiaries")).to_be_hidden()
    expect(page.locator(".lang-switch").get_by_role("button", name="IT")).to_be_visible()

    toggle.focus()
    page.keyboard.press("Enter")  # keyboard first: the button opens the menu
    expect(toggle).to_have_attribute("aria-expanded", "true")
    links = nav.get_by_role("link")
    expect(links.first).to_be_visible()
    assert links.count() >= 6  # home, dashboard, matching, people, audit, vetting, account…
    assert_tappable(links)
    assert_tappable(nav.get_by_role("button", name="Sign out"))
    assert_fits(page)
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()

    toggle.click()
    nav.get_by_role("link", name="Beneficiaries").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beneficiaries")
    expect(toggle).to_have_attribute("aria-expanded", "false")  # a new page starts closed

    page.set_viewport_size(DESKTOP)
    expect(toggle).to_be_hidden()
    expect(nav.get_by_role("link", name="Beneficiaries")).to_be_visible()
    assert_header_is_one_row(page)


def test_header_without_javascript_still_shows_every_link(browser, live_server):
    """Without JavaScript, is the whole navigation still there (no dead Menu button)?"""
    context = browser.new_context(
        viewport=PHONE, java_script_enabled=False, locale="it-IT", base_url=live_server.url
    )
    try:
        page = context.new_page()
        page.goto("/")
        expect(page.locator(".site-header").get_by_role("button", name="Menu")).to_be_hidden()
        expect(page.get_by_role("navigation").get_by_role("link", name="Accedi")).to_be_visible()
    finally:
        context.close()


def assert_boxes_at_least_24px(page) -> None:
    """Fail when a visible checkbox or radio of the page is smaller than 24×24 px."""
    inputs = page.locator("main input[type=checkbox]:visible, main input[type=radio]:visible")
    count = inputs.count()
    assert count > 0, f"no checkbox or radio on {page.url}"
    for index in range(count):
        box = inputs.nth(index).bounding_box()
        name = inputs.nth(index).get_attribute("name")
        assert box["width"] >= TAP_PX and box["height"] >= TAP_PX, (
            f"{page.url}: {name} is {box['width']:.0f}×{box['height']:.0f} px"
        )


def test_checkboxes_and_radios_are_at_least_24_px(page, live_server):
    """Are the tick boxes and radios of the profile wizard and the person form big enough?"""
    with app_context(live_server):
        parma = factories.territory()
        tutor = factories.tutor(parma).user.email
        coordinator = factories.user("coordinator", territories=[parma]).email
    sign_in(page, tutor)
    for step in ("place", "skills", "availability"):
        page.goto(f"/tutor/profile/{step}")
        assert_boxes_at_least_24px(page)
    page.context.clear_cookies()
    page.goto("/signup")
    assert_boxes_at_least_24px(page)
    sign_in(page, coordinator)
    page.goto("/beneficiaries/new")
    page.locator("details summary").first.click()  # no tick boxes inside; fold is harmless
    assert_boxes_at_least_24px(page)
    assert serious_violations(page, EVERY_IMPACT) == []  # e.g. the grid's corner header


LEVEL_FITS = """select => {
    /* the width the browser gives this select when nothing squeezes it: its longest option whole */
    const natural = select.cloneNode(true);
    Object.assign(natural.style, {width: 'auto', minWidth: '0', position: 'absolute'});
    document.body.append(natural);
    const needed = natural.getBoundingClientRect().width;
    natural.remove();
    const longest = [...select.options].map(o => o.text).sort((a, b) => b.length - a.length)[0];
    return [longest, needed, select.getBoundingClientRect().width];
}"""


def cut_level_dropdowns(page, path: str) -> list[str]:
    """Visit a page at phone and desktop width; describe each level dropdown too narrow."""
    cut = []
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        page.goto(path)
        for select in page.locator("select[name*=level]").all():
            text, needed, width = select.evaluate(LEVEL_FITS)
            if needed > width + 0.5:
                name = select.get_attribute("name")
                cut.append(f"{viewport['width']} px {path} {name}: {text!r} {needed}>{width}")
    return cut


def test_level_dropdowns_show_their_longest_option_whole(open_page, live_server):
    """Is every language-level dropdown wide enough for «madrelingua» and «native»?"""
    with app_context(live_server):
        parma = factories.territory()
        tutor = factories.tutor(parma).user.email
        coordinator = factories.user("coordinator", territories=[parma]).email
    cut = []
    for email, path in ((tutor, "/tutor/profile/languages"), (coordinator, "/beneficiaries/new")):
        page = open_page()
        sign_in(page, email)
        for language in ("EN", "IT"):
            page.goto(path)
            page.locator(".lang-switch").get_by_role("button", name=language).click()
            expect(page.locator("html")).to_have_attribute("lang", language.lower())
            cut += cut_level_dropdowns(page, path)
    assert cut == []


def test_failed_skills_step_focuses_a_summary_at_the_top_that_links_to_the_field(page, live_server):
    """After saving no skill at 390 px, is the error summary on screen, focused, and linked?"""
    with app_context(live_server):
        tutor = factories.tutor(factories.territory()).user.email
    sign_in(page, tutor)
    page.goto("/tutor/profile/skills")
    for code in ("work_cv", "housing_search"):  # the factory's skills
        page.uncheck(f"input[name=skills][value={code}]")
    page.get_by_role("button", name="Salva e continua").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary).to_have_attribute("tabindex", "-1")
    link = summary.get_by_role("link")
    expect(link).to_have_count(1)
    expect(link).to_have_attribute("href", "#skills")
    assert serious_violations(page) == []
    link.click()
    first = page.locator("input[name=skills]").first
    expect(first).to_be_focused()
    expect(first).to_be_in_viewport()
    assert re.search(r"#skills$", page.url)
