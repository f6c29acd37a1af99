"""The coordinator's dashboard and funder report on the demo data, read on a phone and a desktop."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.pages import app_context, assert_fits
from web.services.demo import DEMO_PASSWORD, seed_demo

MIN_TEXT_PX = 12
# Effective size of each chart text in CSS px: its font size, times the SVG's scale if inside one.
CHART_TEXT_PX = """() => [...document.querySelectorAll(
    '.chart figcaption, .chart li > span, .chart svg text')].map(element => {
  const svg = element.closest('svg');
  const scale = svg ? svg.getBoundingClientRect().width / svg.viewBox.baseVal.width : 1;
  return [element.textContent.trim(), parseFloat(getComputedStyle(element).fontSize) * scale];
})"""


@pytest.fixture
def demo(live_server) -> None:
    """The demo data, as `make run` seeds it."""
    with app_context(live_server):
        seed_demo()


def sign_in(page, email: str) -> None:
    """Sign in through the login form with the demo password."""
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main").get_by_role("button").click()
    expect(page).to_have_url(re.compile(r"/home$"))


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_chart_text_is_legible(open_page, demo, viewport):
    """Is every chart's title, label and value at least 12 CSS px, at 390 and 1280 px?"""
    page = open_page(viewport)
    sign_in(page, "admin@demo.tutormatch.example")  # both territories: every chart shows
    for path in ("/dashboard", "/dashboard/report"):
        page.goto(path)
        expect(page.locator(".chart").first).to_be_visible()
        texts = page.evaluate(CHART_TEXT_PX)
        assert len(texts) >= 6, path
        small = [(text, round(size, 1)) for text, size in texts if size < MIN_TEXT_PX]
        assert small == [], (
            f"{path} at {viewport['width']} px: text below {MIN_TEXT_PX} px: {small}"
        )
        assert_fits(page)
