"""Say in words why a match was proposed, from the engine's reason codes (tutor's view)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from web.services.reasons import language, skills


def reason_sentence(reason: dict[str, Any]) -> str | None:
    """Render one reason addressed to the tutor; None for codes a tutor need not read.

    Coordinators read the third-person wording of web.services.reasons; tutors read "you".
    """
    code = reason.get("code")
    params = reason.get("params") or {}
    if code == "needs_covered":
        return _(
            "You can help with %(covered)s of %(total)s needs: %(skills)s",
            covered=params.get("covered", "?"),
            total=params.get("total", "?"),
            skills=skills(params.get("skills")),
        )
    if code == "language_shared":
        return _(
            "You both speak %(language)s (%(level)s)",
            language=language(params.get("lang")),
            level=params.get("level", ""),
        )
    if code == "italian_practice":
        return _("You can help practise Italian")
    if code == "distance_km":
        return _("%(km)s km away", km=params.get("km", "?"))
    if code == "remote":
        return _("Help possible at a distance: %(skills)s", skills=skills(params.get("skills")))
    if code == "availability_overlap":
        return _("You are both free at %(n)s times of the week", n=len(params.get("slots") or []))
    if code == "interests_shared":
        return _(
            "Shared interests: %(terms)s", terms=", ".join(map(str, params.get("terms") or []))
        )
    return None


def reason_sentences(reasons: list[dict[str, Any]]) -> list[str]:
    """Render the reasons a tutor may read, skipping unknown or internal ones."""
    sentences = []
    for reason in reasons:
        if isinstance(reason, dict):
            sentence = reason_sentence(reason)
            if sentence:
                sentences.append(sentence)
    return sentences
