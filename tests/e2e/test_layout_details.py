"""Details a coordinator sees at 390 and 1280 px: import preview, run steps, record actions."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.pages import app_context, assert_fits, assert_tappable
from tests.e2e.test_coordinator import sign_in
from web.extensions import db
from web.models import MatchRun
from web.services.beneficiary_import import COLUMN_NAMES, EXAMPLE_ROW

WIDTHS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
LONG_NAMES = ("Mohammed Abdirahman", "Oluwaseun Adebayo", "Gebremedhin", "Khadija")

# Words of a cell that the browser broke over two lines (a word's range with two line boxes).
BROKEN_WORDS = """cells => cells.flatMap(cell => {
  const broken = [];
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.data.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      if (lines.size > 1) broken.push(match[0]);
    }
  }
  return broken;
})"""


def seed_coordinator(server) -> dict:
    """Parma with a coordinator (English UI), a tutor and one waiting person."""
    with app_context(server):
        parma = factories.territory()
        coordinator = factories.user("coordinator", territories=[parma], locale="en")
        factories.tutor(parma)
        person = factories.beneficiary(parma, first_name="Amina")
        return {"territory_id": parma.id, "email": coordinator.email, "person_id": person.id}


def import_file() -> bytes:
    """A CSV of people with long names and long addresses, as coordinators upload them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMN_NAMES)
    for index, name in enumerate(LONG_NAMES):
        row = dict(zip(COLUMN_NAMES, EXAMPLE_ROW, strict=True))
        row.update(first_name=name, email=f"{name.split()[0].lower()}.{index}@example.org")
        writer.writerow(row.values())
    return buffer.getvalue().encode()


@WIDTHS
def test_import_preview_keeps_words_whole_and_scrolls_inside_its_table(
    open_page, live_server, viewport, tmp_path
):
    """Does the preview keep names and dates whole, the page never scrolling sideways?"""
    seeded = seed_coordinator(live_server)
    page = open_page(viewport)
    sign_in(page, seeded["email"])
    page.goto("/beneficiaries/import")
    upload = {"name": "people.csv", "mimeType": "text/csv", "buffer": import_file()}
    page.set_input_files("input[type=file]", files=[upload])
    page.get_by_role("button", name="Check the file").click()
    table = page.locator("table.import-preview")
    expect(table.locator("tbody tr")).to_have_count(len(LONG_NAMES))
    page.screenshot(path=str(tmp_path / f"preview-{viewport['width']}.png"), full_page=True)
    assert_fits(page)
    assert table.locator("td").evaluate_all(BROKEN_WORDS) == []
    assert table.locator("th").evaluate_all(BROKEN_WORDS) == []
    if viewport == PHONE:  # too wide for a phone: the table scrolls inside its wrap
        wrap = page.locator(".table-wrap").filter(has=table)
        scroll, client = wrap.evaluate("box => [box.scrollWidth, box.clientWidth]")
        assert scroll > client


@WIDTHS
def test_run_steps_never_overlap(open_page, live_server, viewport, tmp_path):
    """Are the run's step labels (with their numbers) each in a box of its own, legible?"""
    seeded = seed_coordinator(live_server)
    with app_context(live_server):
        run = MatchRun(
            territory_id=seeded["territory_id"], status="running", phase="scoring", progress=0.4
        )
        db.session.add(run)
        db.session.commit()
        run_id = run.id
    page = open_page(viewport)
    sign_in(page, seeded["email"])
    page.goto(f"/runs/{run_id}")
    steps = page.locator("ol.phases li")
    expect(steps).to_have_count(5)
    page.screenshot(path=str(tmp_path / f"steps-{viewport['width']}.png"), full_page=True)
    boxes = [steps.nth(i).bounding_box() for i in range(5)]
    for i, one in enumerate(boxes):
        for other in boxes[i + 1 :]:
            apart = (
                one["x"] + one["width"] <= other["x"] + 0.5
                or other["x"] + other["width"] <= one["x"] + 0.5
                or one["y"] + one["height"] <= other["y"] + 0.5
                or other["y"] + other["height"] <= one["y"] + 0.5
            )
            assert apart, f"steps overlap: {one} and {other}"
    # Nothing is drawn outside a step's box: no list marker hanging into the previous label.
    markers = steps.evaluate_all(
        "items => items.map(li => [getComputedStyle(li).listStyleType,"
        " getComputedStyle(li).listStylePosition])"
    )
    assert all(kind == "none" or where == "inside" for kind, where in markers), markers
    assert steps.evaluate_all(BROKEN_WORDS) == []
    assert_fits(page)


@WIDTHS
def test_record_actions_are_buttons_not_banners(open_page, live_server, viewport, tmp_path):
    """Do "Edit" and "Close the record" look and act like buttons, side by side, easy to tap?"""
    seeded = seed_coordinator(live_server)
    page = open_page(viewport)
    sign_in(page, seeded["email"])
    page.goto(f"/beneficiaries/{seeded['person_id']}")
    edit = page.get_by_role("link", name="Edit", exact=True)
    close = page.get_by_role("link", name="Close the record")
    page.screenshot(path=str(tmp_path / f"record-{viewport['width']}.png"), full_page=True)
    assert "button" in edit.get_attribute("class").split()
    assert {"button", "danger"} <= set(close.get_attribute("class").split())
    row = edit.locator("xpath=..")
    assert_tappable(row.locator("a"))
    row_width = row.bounding_box()["width"]
    edit_box, close_box = edit.bounding_box(), close.bounding_box()
    assert edit_box["width"] < row_width * 0.6 and close_box["width"] < row_width * 0.6
    assert abs(edit_box["y"] - close_box["y"]) < 1, "the two buttons should share a row"
    assert_fits(page)
