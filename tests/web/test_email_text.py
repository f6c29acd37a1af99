"""Emails read right in every language: data kept whole inside Arabic, tidy plain text.

Rendered through the real path (render_email with each template's sample context); the
delivery test goes through the outbox, the in-process worker and an SMTP sink.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask

from tests import factories
from tests.conftest import make_config
from tests.web.test_email_contact import CARLA, bodies, give_contact, message_to
from web import create_app
from web.extensions import db
from web.services.bidi import ISOLATES, POP_DIRECTIONAL_ISOLATE
from web.services.email_render import (
    EMAIL_DIR,
    EMAIL_LANGUAGES,
    email_templates,
    render_email,
    sample_context,
)
from web.services.notifications import notify
from web.services.tasks import wait_for_inprocess_tasks

PHONE = CARLA.phone  # "+39 0521 123456"


@pytest.fixture(scope="module")
def ui() -> Iterator[Flask]:
    """An app to render emails in (no database needed)."""
    app = create_app(make_config("sqlite://"))
    with app.test_request_context():
        yield app


def sample(template: str) -> dict[str, Any]:
    """The template's sample context, naming a contact with a phone number."""
    return {**sample_context(template), "contact": CARLA.as_context()}


def shown_values(context: dict[str, Any]) -> set[str]:
    """The text values of a context (names, codes, addresses, links, reasons)."""
    values: set[str] = set()
    for value in context.values():
        items = value.values() if isinstance(value, dict) else value
        items = items if isinstance(items, list | tuple | type({}.values())) else [value]
        values |= {item for item in items if isinstance(item, str) and len(item) > 2}
    return values


def isolated_spans(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) of each outermost isolate (LRI or FSI … PDI) in a text."""
    spans, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char in ISOLATES:
            start = index if depth == 0 else start
            depth += 1
        elif char == POP_DIRECTIONAL_ISOLATE and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, index))
    return spans


def loose_in_text(text: str, value: str) -> list[str]:
    """Return the lines where a value stands outside an isolate (a link alone on its line
    needs none: it reads left to right by itself)."""
    spans = isolated_spans(text)
    loose = []
    for found in re.finditer(re.escape(value), text):
        line = text[text.rfind("\n", 0, found.start()) + 1 :].split("\n", 1)[0]
        if line.strip() == value and value.startswith("http"):
            continue
        if not any(start < found.start() and found.end() <= end for start, end in spans):
            loose.append(line)
    return loose


class IsolationReader(HTMLParser):
    """Collect the text of an HTML email that is not inside <bdi> or a dir="ltr" element."""

    VOID = {"br", "hr", "img", "meta", "input", "link"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []
        self.loose: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            isolating = tag == "bdi" or ("dir", "ltr") in attrs
            self.stack.append(isolating)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not any(self.stack):
            self.loose.append(data)


def loose_in_html(html: str) -> str:
    """Return the text of an HTML email that no isolating element holds."""
    reader = IsolationReader()
    reader.feed(html)
    return "\n".join(reader.loose)


@pytest.mark.parametrize("template", email_templates())
def test_data_inside_arabic_text_is_isolated_in_every_email(ui, template):
    """In an Arabic email, is every value (phone, address, code, name, link) isolated from
    the right-to-left text around it: <bdi>/dir="ltr" in HTML, Unicode isolates in text?"""
    context = sample(template)
    rendered = render_email(template, "ar", context)
    assert rendered.language == "ar"
    html_loose = loose_in_html(rendered.html)
    for value in shown_values(context):
        assert value not in html_loose, f"{template}: {value!r} not isolated in the HTML"
        for part in (rendered.text, rendered.subject):
            assert loose_in_text(part, value) == [], f"{template}: {value!r} in {part!r}"


def test_no_email_template_isolates_by_hand():
    """Do the templates leave isolation to the one helper (the `isolate` filter)?"""
    for path in EMAIL_DIR.iterdir():
        source = path.read_text(encoding="utf-8")
        assert "<bdi" not in source and "\u2066" not in source, path.name


def test_a_left_to_right_email_carries_no_invisible_isolates(ui):
    """Does an Italian plain-text email stay free of isolate characters (links and phone
    numbers copied from it stay clean)?"""
    rendered = render_email("match_approved_tutor", "it", sample("match_approved_tutor"))
    assert isolated_spans(rendered.text) == [] and PHONE in rendered.text


@pytest.mark.parametrize("language", [*EMAIL_LANGUAGES, "other"])
def test_plain_text_has_no_runs_of_blank_lines(ui, language):
    """Is every email's plain text free of runs of blank lines and lines of only spaces?"""
    for template in email_templates():
        text = render_email(template, language, sample(template)).text
        assert "\n\n\n" not in text, f"{template} ({language}): {text!r}"
        assert not re.search(r"(?m)^[ \t]+$", text), f"{template} ({language}): {text!r}"


def test_arabic_email_keeps_the_contact_phone_in_order(app, smtp_sink):
    """Does "You have a tutor" in Arabic, delivered over SMTP, keep the territory's phone
    "+39 0521 123456" in reading order in both parts (not "123456 0521 39+")?"""
    parma = give_contact(factories.territory())
    notify(
        key="approved-ar",
        to="amina@example.org",
        template="match_approved_beneficiary",
        locale="ar",
        territory_id=parma.id,
        context={"first_name": "Amina", "tutor_name": "Giulia"},
    )
    db.session.commit()
    wait_for_inprocess_tasks(app)
    html, text = bodies(message_to(smtp_sink, "amina@example.org"))
    assert f'<bdi dir="ltr">{PHONE}</bdi>' in html
    assert f"\u2066{PHONE}\u2069" in text and f"\u2066{CARLA.email}\u2069" in text
    assert "\u2068Giulia\u2069" in text
