"""Nothing untranslated, nothing raw: the crawl once more, under a pseudo-locale.

Every catalogue string is wrapped in ⟦…⟧ (tests/web/pseudo_locale.py). Any visible text of
any page — text, title, alt, aria-label, placeholder, button values — that is neither
wrapped nor data (names, places, codes, emails, numbers, dates, the brand) was never
translated: a string missing `_()`, or a raw code shown to people.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from babel import Locale
from babel.dates import get_day_names, get_month_names
from flask import Flask
from sqlalchemy import select

from config.taxonomy import COMMON_LANGUAGES, language_name, load_taxonomy
from tests.web.crawl_rules import EMAIL_PAGES, crawl_as
from tests.web.crawl_world import ROLES, crawl_app, demo_world, people
from tests.web.pseudo_locale import build_catalogue, leftover
from web.extensions import babel, db
from web.models import (
    Beneficiary,
    Match,
    Meeting,
    Notification,
    Organisation,
    Place,
    Territory,
    TutorProfile,
    User,
)

pytestmark = pytest.mark.postgres
# The brand, the language switch (each language names itself), formats and the time zone.
PROPER_NAMES = ["Tutor Match", "Italiano", "English", "IT", "EN", "CSV", "XLSX", "UTC"]


def database_values() -> list[str]:
    """Names, places, codes, emails and free text people typed, as stored."""
    columns = (
        User.full_name, User.email, TutorProfile.display_name, TutorProfile.interests,
        TutorProfile.motivation, TutorProfile.decline_reason, Beneficiary.first_name,
        Beneficiary.code, Beneficiary.contact_email, Beneficiary.interests,
        Beneficiary.close_reason, Territory.name, Territory.code, Territory.region,
        Territory.contact_name, Territory.contact_email, Territory.contact_phone,
        Organisation.name, Meeting.topic, Match.decision_reason, Notification.recipient_email,
        Notification.message_id, Notification.last_error,
    )  # fmt: skip
    values = [str(v) for column in columns for v in db.session.scalars(select(column)) if v]
    used = select(TutorProfile.place_id).union(select(Beneficiary.place_id))
    for place in db.session.scalars(select(Place).where(Place.id.in_(used))):
        values += [place.name, place.province_code, place.province_name, place.region]
    return values


def vocabulary_words() -> list[str]:
    """Words that come from data files and CLDR, not from the catalogue."""
    taxonomy = load_taxonomy()
    labels = [label for path in taxonomy.paths for label in path.labels.values()]
    labels += [label for skill in taxonomy.skills.values() for label in skill.labels.values()]
    labels += [str(doc[lang]) for doc in taxonomy.documents.values() for lang in ("it", "en")]
    labels += list(Locale.parse("it").languages.values())
    labels += [language_name(code, "it") for code in COMMON_LANGUAGES]
    for width in ("wide", "abbreviated"):
        labels += list(get_day_names(width, locale="it").values())
        labels += list(get_month_names(width, locale="it").values())
    return labels


def data_pattern() -> re.Pattern[str]:
    """Match any data value as a whole word, longest first."""
    values = {v.strip() for v in database_values() + vocabulary_words() + PROPER_NAMES}
    ordered = sorted((v for v in values if v), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, ordered)) + r")(?!\w)")


@pytest.fixture(scope="module")
def pseudo_app(postgres_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The demo served with the pseudo catalogue in place of the Italian one."""
    catalogue = build_catalogue(tmp_path_factory.mktemp("pseudo"))
    # Flask-Babel caches catalogues per locale in the Babel object, shared by every app of
    # the process: empty it so this app loads the pseudo one, and so no later app keeps it.
    with demo_world(postgres_url) as app:
        with app.app_context():
            cache = babel.domain_instance.cache
        cache.clear()
        pseudo = crawl_app(postgres_url, BABEL_TRANSLATION_DIRECTORIES=str(catalogue))
        try:
            yield pseudo
        finally:
            cache.clear()
            with pseudo.app_context():
                db.engine.dispose()


def test_pseudo_catalogue_is_in_use(pseudo_app):
    """Does the app really serve the wrapped strings (else the test below proves nothing)?"""
    page = pseudo_app.test_client().get("/login").text
    assert "⟦" in page and "⟧" in page


def test_every_visible_text_is_translated_or_data(pseudo_app):
    """Does any page show, to any role, text that is neither translated nor data?"""
    untranslated: dict[str, set[str]] = {}
    with pseudo_app.app_context():
        pattern = data_pattern()
        cast = people()
        for role in ROLES:
            crawl = crawl_as(pseudo_app, cast[role], "it")
            for url, texts in crawl.report.pages.items():
                if crawl.report.visits[url].endpoint in EMAIL_PAGES:
                    continue  # an email as sent, in its recipient's language
                for text in texts:
                    if leftover(pattern.sub(" ", text)):
                        untranslated.setdefault(text[:160], set()).add(f"{role} {url}")
    found = [
        f"{text!r} on {min(pages)} (+{len(pages) - 1})" for text, pages in untranslated.items()
    ]
    assert not found, f"{len(found)} untranslated texts:\n" + "\n".join(sorted(found))
