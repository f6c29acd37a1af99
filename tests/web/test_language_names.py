"""Every language offered has a name in both UI languages, never its raw code."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from config.taxonomy import COMMON_LANGUAGES, language_choices, language_name
from tests.web.tutor_journey import verified_tutor
from web.extensions import db
from web.models import TutorProfile
from web.services.reasons import render


@pytest.mark.parametrize("locale", ["it", "en"])
def test_every_offered_language_has_a_name(locale):
    """Does each code of the language pickers get a real name (not the code, not empty)?"""
    names = dict(language_choices(locale))
    assert set(names) == set(COMMON_LANGUAGES)
    raw = {code: name for code, name in names.items() if not name.strip() or name == code}
    assert raw == {}


def test_italian_names_are_italian_and_english_names_english():
    """Are the Italian names written the Italian way (lower case), not English fallbacks?"""
    for code in COMMON_LANGUAGES:
        italian, english = language_name(code, "it"), language_name(code, "en")
        assert italian[0].islower(), f"{code}: {italian!r} looks like an English name"
        assert english[0].isupper(), f"{code}: {english!r}"


@pytest.mark.parametrize(
    ("code", "italian", "english"),
    [("prs", "dari", "Dari"), ("mnk", "mandinka", "Mandinka"), ("ar", "arabo", "Arabic")],
)
def test_codes_cldr_lacks_are_named(code, italian, english):
    """Are Dari and Mandinka (once shown raw) named like the languages CLDR knows?"""
    assert (language_name(code, "it"), language_name(code, "en")) == (italian, english)


def test_emails_and_reasons_name_the_language(app):
    """Does a reason about Dari name it in the reader's language (as emails and cards do)?"""
    reason = {"code": "language_shared", "params": {"lang": "prs", "level": "B2"}}
    with app.test_request_context():
        assert "dari" in render(reason)


def test_a_tutor_can_choose_every_offered_language(client):
    """Can a tutor save Dari and Mandinka, which the picker offers?"""
    verified_tutor(client)
    form = {"languages-0-lang": "prs", "languages-0-level": "B2"}
    form |= {"languages-1-lang": "mnk", "languages-1-level": "native"}
    reply = client.post("/tutor/profile/languages", data=form)
    assert reply.status_code == 302, html.unescape(reply.text)
    saved = db.session.scalar(select(TutorProfile))
    assert {language.lang for language in saved.languages} == {"prs", "mnk"}
    page = client.get("/tutor/").text
    assert "dari" in page and "mandinka" in page
