"""Say in words why a match was proposed, from the engine's reason codes (tutor's view)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from web.services.reasons import distance, language, skills, slots


def reason_sentence(reason: dict[str, Any]) -> str | None:
    """Render one reason addressed to the tutor; None for codes a tutor need not read.

    Coordinators read the third-person wording of web.services.reasons; tutors read "you".
    """
    code = reason.get("code")
    params = reason.get("params") or {}
    if code == "needs_covered":
        return _needs(params)
    if code == "language_shared":
        return _(
            "You both speak %(language)s (%(level)s)",
            language=language(params.get("lang")),
            level=params.get("level", ""),
        )
    if code == "italian_only":
        return _("You share only Italian, at %(level)s", level=params.get("level") or "?")
    if code == "italian_practice":
        return _("You can help practise Italian")
    if code == "distance_km":
        return distance(params)
    if code == "remote":
        return _("Help possible at a distance: %(skills)s", skills=skills(params.get("skills")))
    if code == "availability_overlap":
        return _("Free time in common: %(slots)s", slots=slots(params.get("slots")))
    if code == "no_common_availability":
        return _("No common free time in the week yet: agree on one together")
    if code == "interests_shared":
        return _(
            "Shared interests: %(terms)s", terms=", ".join(map(str, params.get("terms") or []))
        )
    return None


def _needs(params: dict[str, Any]) -> str | None:
    """The needs the tutor can help with, and those left to others."""
    covered, total = params.get("covered"), params.get("total")
    if not isinstance(covered, int) or not isinstance(total, int) or covered < 1:
        return None
    text = ngettext(
        "You can help with %(covered)d of %(num)d need: %(skills)s",
        "You can help with %(covered)d of %(num)d needs: %(skills)s",
        total,
        covered=covered,
        skills=skills(params.get("skills")),
    )
    missing = params.get("missing")
    if not missing:
        return text
    return "; ".join((text, _("not with: %(skills)s", skills=skills(missing))))


def reason_sentences(reasons: list[dict[str, Any]]) -> list[str]:
    """Render the reasons a tutor may read, skipping unknown or internal ones."""
    sentences = []
    for reason in reasons:
        if isinstance(reason, dict):
            sentence = reason_sentence(reason)
            if sentence:
                sentences.append(sentence)
    return sentences
