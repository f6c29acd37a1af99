"""Words about people whose gender we do not know stay neutral in it, fr and ar."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from web.services.email_render import (
    TRANSLATIONS_DIR,
    email_templates,
    render_email,
    sample_context,
)

# Forms that give a gender to a person the sentence is about (the reader, a tutor, a
# beneficiary, a coordinator), found in earlier versions of the catalogues.
GENDERED = {
    "it": [
        r"\bsei (stat|uscit|abbinat|registrat|iscritt|collegat)[oa]\b",
        r"\bsarà (più )?(propost|inclus)[oa]\b",
        r"\bessere (abbinat|propost)[oa]\b",
        r"\bti ha abbinat[oa]\b",
        r"\bti è stat[oa] propost[oa]\b",
        r"\b(esserti|ti sei) registrat[oa]\b",
        r"(^|[.:!]\s*)ben(venut|tornat)[oa]\b",
        r"\bresta collegat[oa]\b",
        r"(^|già )registrat[oa] come\b",
        r"\b(volontario|coordinatore|beneficiario|tutor) (è stato|si è|sarà) \w+",
        r"\bcoordinatore avvisato\b",
        r"\bsi è (trasferit|ritirat)[oa]\b",
        r"\bvi siete incontrat[ie]\b",
        r"\bchi viene abbinat[oa]\b",
        r"\bentrambi\b",
    ],
    "fr": [
        r"\bavez été (mis|accepté|refusé|inscrit|choisi)e?s?\b",
        r"\bêtes (maintenant )?(tuteur|inscrit|connecté|prêt)",
        r"\b(inscrit|connecté|prêt|sûr)\(?e\)?\b",
        r"\b(il|elle) n'avait\b",
    ],
    "ar": [
        r"%\(tutor\)s (قبل|رفض)\b",
        r"وسيُدرج",
        r"(حذف|غادر) (أحد )?المرشد",
        r"إذا لم (تكن|تقم)",
        r"لم تكن لديه",
    ],
}


def translations(language: str) -> list[tuple[str, str]]:
    """Return (msgid, translation) for every translated entry of a catalogue."""
    path = TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as source:
        catalogue = read_po(source, locale=language)
    pairs = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        pairs += [(ids[0], text) for text in strings if text]
    return pairs


def gendered_in(language: str, text: str) -> list[str]:
    """Return the gendered patterns this text matches."""
    return [p for p in GENDERED[language] if re.search(p, text, re.IGNORECASE)]


@pytest.mark.parametrize("language", sorted(GENDERED))
def test_catalogues_have_no_gendered_forms_about_people(language):
    """Does any translation give a gender to someone whose gender is unknown?"""
    found = [
        (msgid, text, gendered_in(language, text))
        for msgid, text in translations(language)
        if gendered_in(language, text)
    ]
    assert found == []


@pytest.mark.parametrize("language", sorted(GENDERED))
def test_rendered_emails_have_no_gendered_forms_about_people(app, language):
    """Does any email, as rendered with sample data, give a gender to its reader or others?"""
    for template in email_templates():
        rendered = render_email(template, language, sample_context(template))
        for part in (rendered.subject, rendered.text):
            assert gendered_in(language, part) == [], (template, part)


def test_the_known_examples_are_now_neutral(app):
    """Are "Sei stato abbinato" and "non sarà più proposto" gone from what people read?"""
    subject = render_email("match_approved_tutor", "it", {"first_name": "Amina"}).subject
    assert "stato abbinato" not in subject and "Amina" in subject
    italian = dict(translations("it"))
    rejected = italian["Rejected: %(name)s will not be proposed again for %(code)s."]
    assert "proposto" not in rejected.replace("proposta", "")
