"""Coordinator pages measured in Chromium: reasons readable on a phone, figures labelled,
language rows usable with an error, the end-match form in line with its page."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.pages import app_context, assert_fits, sign_in
from web.extensions import db
from web.models import Match, MatchRun
from web.models.common import utcnow

NEEDS = ("work_cv", "housing_search", "legal_rights", "documents_health_card")
REASONS = [
    {"code": "needs_covered", "params": {"covered": 3, "total": 4, "skills": list(NEEDS[:3]),
                                         "missing": [NEEDS[3]]}},
    {"code": "language_shared", "params": {"lang": "ar", "level": "C1", "first_language": True}},
    {"code": "distance_km", "params": {"km": 8.7}},
    {"code": "availability_overlap", "params": {"slots": ["tue_evening", "thu_evening"]}},
]  # fmt: skip

# Each element's text length and the number of lines its words sit on.
LENGTH_AND_LINES = """items => items.map(item => {
  const range = document.createRange();
  range.selectNodeContents(item);
  const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
  return [item.textContent.trim().length, lines];
})"""


def seed_run(server) -> dict:
    """Parma with a finished dry run proposing three pairs, each with four reasons."""
    with app_context(server):
        parma = factories.territory()
        coordinator = factories.user("coordinator", territories=[parma])
        tutor = factories.tutor(parma, display_name="Giulia Rossi", capacity=3)
        rows = [
            [factories.beneficiary(parma, first_name=name).id, tutor.id, 0, 0.62, [], REASONS]
            for name in ("Mohammed", "Khadija", "Oluwaseun")
        ]
        run = MatchRun(
            territory_id=parma.id, status="done", progress=1.0,
            stats={"kpis": {"would_match": 3, "beneficiaries": 3}, "proposals": rows},
        )  # fmt: skip
        db.session.add(run)
        db.session.commit()
        return {"email": coordinator.email, "run_id": run.id}


def test_run_reasons_stay_readable_on_a_phone(open_page, live_server):
    """At 390 px, is every reason of a run's pairs on screen, at 12 characters a line or more?"""
    seeded = seed_run(live_server)
    page = open_page(PHONE)
    sign_in(page, seeded["email"])
    page.goto(f"/runs/{seeded['run_id']}")
    reasons = page.locator("table.pairs ul.reasons li")
    expect(reasons).to_have_count(3 * len(REASONS))
    measured = reasons.evaluate_all(LENGTH_AND_LINES)
    per_line = [length / lines for length, lines in measured if lines > 1]  # reasons that wrap
    assert per_line, "no reason wraps at 390 px: nothing was measured"
    assert min(per_line) >= 12, f"reasons squeezed to {min(per_line):.1f} characters a line"
    for index in range(reasons.count()):  # on screen, not past the edge of a sideways scroll
        box = reasons.nth(index).bounding_box()
        assert box and box["x"] + box["width"] <= PHONE["width"], f"reason {index} is off screen"
    assert_fits(page)


def test_dashboard_figures_have_no_tall_empty_header_on_a_phone(open_page, live_server):
    """At 390 px, is each territory's figure labelled and on screen, with no tall header block?"""
    with app_context(live_server):
        parma = factories.territory()
        coordinator = factories.user("coordinator", territories=[parma])
        factories.tutor(parma)
        factories.beneficiary(parma)
        email = coordinator.email
    page = open_page(PHONE)
    sign_in(page, email)
    page.goto("/dashboard")
    table = page.locator("table.figures")
    header = table.locator("thead tr").bounding_box()
    assert header is None or header["height"] <= 48, f"a header {header} px tall"
    cells = table.locator("tbody td")
    for index in range(cells.count()):
        box = cells.nth(index).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], index
        label = cells.nth(index).evaluate("c => getComputedStyle(c, '::before').content")
        assert label not in ("none", "normal", '""'), f"cell {index} has no label"
    assert_fits(page)


def assert_language_row_usable(page, language: str, level: str) -> None:
    """Fail when an error under the level squeezes the language select (e.g. to "ingle")."""
    row = page.locator(".language-row").filter(has=page.locator(f"select[name='{language}']"))
    expect(row.locator(".error")).to_be_visible()
    lang_box = page.locator(f"select[name='{language}']").bounding_box()
    level_box = page.locator(f"select[name='{level}']").bounding_box()
    assert lang_box and level_box
    assert lang_box["width"] >= 150, f"the language select is {lang_box['width']:.0f} px wide"
    assert level_box["width"] >= 100, f"the level select is {level_box['width']:.0f} px wide"
    assert_fits(page)


def test_wizard_language_row_stays_usable_with_a_level_error(open_page, live_server):
    """In the tutor's languages step at 390 px, does a level error leave the language readable?"""
    with app_context(live_server):
        email = factories.tutor().user.email
    page = open_page(PHONE)
    sign_in(page, email)
    page.goto("/tutor/profile/languages")
    page.select_option("select[name='languages-0-level']", "")
    page.locator("main form button[type=submit]").click()
    assert_language_row_usable(page, "languages-0-lang", "languages-0-level")


def test_person_form_language_row_stays_usable_with_a_level_error(open_page, live_server):
    """In the person form at 390 px, does a level error (a stale choice) leave both usable?"""
    with app_context(live_server):
        email = factories.user("coordinator", territories=[factories.territory()]).email
    page = open_page(PHONE)
    sign_in(page, email)
    page.goto("/beneficiaries/new")
    page.select_option("select[name=other_lang_0]", "en")
    # A level the list no longer offers (the page was open while the list changed).
    page.locator("select[name=other_level_0]").evaluate(
        "s => { s.add(new Option('Z9', 'Z9')); s.value = 'Z9'; }"
    )
    page.locator("form.stack button[type=submit]").last.click()
    assert_language_row_usable(page, "other_lang_0", "other_level_0")


def test_end_match_form_lines_up_with_the_page(open_page, live_server):
    """At 1280 px, does the end-match form start at the page's left edge, like its heading?"""
    with app_context(live_server):
        parma = factories.territory()
        coordinator = factories.user("coordinator", territories=[parma])
        tutor = factories.tutor(parma)
        person = factories.beneficiary(parma, status="matched")
        match = Match(
            beneficiary_id=person.id, tutor_id=tutor.id, score=0.7, status="active",
            decided_at=utcnow() - timedelta(days=20), accepted_at=utcnow() - timedelta(days=19),
        )  # fmt: skip
        db.session.add(match)
        db.session.commit()
        email, match_id = coordinator.email, match.id
    page = open_page(DESKTOP)
    sign_in(page, email)
    page.goto(f"/matches/{match_id}")
    heading = page.get_by_role("heading", name="Chiudi questo abbinamento").bounding_box()
    form = page.locator("form[action$='/end']").bounding_box()
    assert heading and form
    assert abs(form["x"] - heading["x"]) <= 1, f"form at {form['x']} px, heading at {heading['x']}"
