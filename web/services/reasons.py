"""Render the engine's reason codes and parameters as sentences in the reader's language."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from babel.dates import get_day_names
from babel.lists import format_list
from flask_babel import get_locale, gettext, lazy_gettext, ngettext

from config.taxonomy import load_taxonomy
from web.services import display, formats

log = logging.getLogger(__name__)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_PARTS = {
    "morning": lazy_gettext("morning"),
    "afternoon": lazy_gettext("afternoon"),
    "evening": lazy_gettext("evening"),
}
GENDER_WORDS = {
    "f": lazy_gettext("a woman"),
    "m": lazy_gettext("a man"),
    "x": lazy_gettext("a non-binary person"),
}
COMPONENT_LABELS = {
    "need_coverage": lazy_gettext("Needs"),
    "language": lazy_gettext("Language"),
    "proximity": lazy_gettext("Distance"),
    "availability": lazy_gettext("Availability"),
    "interests": lazy_gettext("Interests"),
}


def _locale() -> str:
    return str(get_locale() or "it").split("_")[0]


def language(code: Any) -> str:
    """Name a language in the UI language ("ar" -> "arabo")."""
    return display.language(str(code)) if code else "?"


def languages(codes: Any, style: str = "standard") -> str:
    """Name several languages as a list in the UI language ("arabo e italiano"; with
    style="or": "arabo o italiano")."""
    names = [language(code) for code in (codes or [])]
    return format_list(names, style=style, locale=_locale()) if names else ""


def skill(code: Any) -> str:
    """Label a skill code from the taxonomy (the code itself when unknown)."""
    return display.skill(str(code))


def skills(codes: Any) -> str:
    """Label several skills, comma separated."""
    return ", ".join(skill(code) for code in (codes or []))


def document(code: Any) -> str:
    """Label a document code from the taxonomy."""
    found = load_taxonomy().documents.get(str(code))
    return str(found.get(_locale()) or found.get("it") or code) if found else str(code)


def slots(names: Any) -> str:
    """Describe weekly slots compactly: "Tue/Thu evening, Sat morning"."""
    day_names = get_day_names("abbreviated", locale=_locale())
    by_part: dict[str, list[str]] = {}
    for name in names or []:
        day, _, part = str(name).partition("_")
        if day in DAYS and part in DAY_PARTS:
            by_part.setdefault(part, []).append(day_names[DAYS.index(day)])
    return ", ".join(f"{'/'.join(days)} {DAY_PARTS[part]}" for part, days in by_part.items())


def km(value: Any) -> str:
    """Format a distance in km in the reader's style (8,7 in Italian; 22 from 10 km up)."""
    return formats.km(value)


def _day(value: Any) -> str:
    """Format a date stored as ISO text (reasons are JSON) as the reader writes dates."""
    try:
        return formats.day(date.fromisoformat(str(value)[:10]))
    except ValueError:
        return str(value)


def distance(p: Mapping[str, Any]) -> str:
    """Say how far apart two people are; places are municipalities, so 0 km is the same one."""
    if float(p.get("km", 0)) < 0.05:
        return gettext("in the same municipality")
    return gettext("%(km)s km away", km=km(p.get("km", 0)))


def _count(params: Mapping[str, Any], key: str) -> int:
    value = params.get(key)
    return int(value) if isinstance(value, int | float) else 0


def _needs_covered(p: Mapping[str, Any]) -> str:
    covered, total = _count(p, "covered"), _count(p, "total")
    missing = skills(p.get("missing"))
    if total == 0:
        return gettext("no needs recorded")
    if covered == 0:
        return ngettext(
            "does not cover the need: %(skills)s",
            "covers none of the %(num)d needs: %(skills)s",
            total,
            skills=missing or "-",
        )
    text = ngettext(
        "covers %(covered)d of %(num)d need",
        "covers %(covered)d of %(num)d needs",
        total,
        covered=covered,
    )
    if p.get("skills"):
        text = f"{text}: {skills(p.get('skills'))}"
    if not missing:
        return text
    return "; ".join((text, gettext("not: %(skills)s", skills=missing)))


def _language_shared(p: Mapping[str, Any]) -> str:
    text = gettext(
        "speaks %(language)s %(level)s", language=language(p.get("lang")), level=p.get("level", "")
    )
    return text + (" " + gettext("(first language)") if p.get("first_language") else "")


def _italian_only(p: Mapping[str, Any]) -> str:
    return gettext("shares only Italian, at %(level)s", level=p.get("level") or "?")


def _no_shared_language(p: Mapping[str, Any]) -> str:
    if "tutor_languages" in p:
        return gettext(
            "no shared language: the person speaks %(languages)s, the tutor %(tutor)s",
            languages=languages(p.get("languages")) or gettext("no language at a usable level"),
            tutor=languages(p.get("tutor_languages")) or "-",
        )
    spoken = languages(p.get("languages"), "or") or gettext("no language at a usable level")
    if isinstance(p.get("within_km"), int | float) and p["within_km"] >= 1:
        return gettext(
            "no tutor within %(km)s km speaks %(languages)s",
            km=km(p["within_km"]),
            languages=spoken,
        )
    return gettext("no tutor within reach speaks %(languages)s", languages=spoken)


def _gender(p: Mapping[str, Any]) -> str:
    preferred = GENDER_WORDS.get(str(p.get("preferred")), "?")
    if "tutors" in p:
        return ngettext(
            "prefers %(gender)s as tutor; the tutor in reach is not",
            "prefers %(gender)s as tutor; none of the %(num)d tutors in reach is",
            _count(p, "tutors"),
            gender=preferred,
        )
    if "tutor_gender" in p and not p["tutor_gender"]:  # a pair: say why it cannot be checked
        return gettext(
            "prefers %(gender)s as tutor; the tutor's gender is not recorded", gender=preferred
        )
    return gettext("prefers %(gender)s as tutor", gender=preferred)


def _document(p: Mapping[str, Any]) -> str:
    text = gettext(
        "needs a tutor with a valid %(document)s for: %(skills)s",
        document=", ".join(document(d) for d in p.get("documents") or []) or "?",
        skills=skills(p.get("skills")),
    )
    if p.get("expired_on"):
        text += " " + gettext("(the tutor's expired on %(date)s)", date=_day(p["expired_on"]))
    return text


def _no_tutor_within_reach(p: Mapping[str, Any]) -> str:
    if p.get("nearest_km") is None:
        return gettext("no active tutor with a free place in this territory")
    return gettext(
        "no tutor within reach: the nearest is %(km)s km away and travels up to %(max)s km",
        km=km(p["nearest_km"]),
        max=km(p.get("nearest_max_km") or 0),
    )


# What the tutors a reason speaks of have in common, when earlier rules left others out
# ("narrowed_by"): singular and plural, as the count of those tutors needs.
CONDITIONS: dict[str, Callable[[int], str]] = {
    "no_free_slot": lambda n: ngettext("has a free place", "have a free place", n),
    "no_shared_language": lambda n: ngettext(
        "shares a language with them", "share a language with them", n
    ),
    "gender_preference_unmet": lambda n: ngettext(
        "is of the preferred gender", "are of the preferred gender", n
    ),
    "document_required": lambda n: ngettext(
        "holds the required documents", "hold the required documents", n
    ),
    "no_need_covered": lambda n: ngettext(
        "helps with one of the needs", "help with one of the needs", n
    ),
}


def _narrowed(p: Mapping[str, Any]) -> str:
    """Which tutors a reason speaks of, when earlier rules already left others out."""
    count = next((_count(p, key) for key in ("tutors", "tutors_in_reach", "count") if key in p), 0)
    conditions = [
        CONDITIONS[code](count) for code in p.get("narrowed_by") or [] if code in CONDITIONS
    ]
    if not conditions:
        return ""
    return ngettext(
        "(considering only the %(num)d tutor within reach who %(conditions)s)",
        "(considering only the %(num)d tutors within reach who %(conditions)s)",
        count,
        conditions=format_list(conditions, locale=_locale()),
    )


def _score(value: Any) -> str:
    return formats.percent(value) if isinstance(value, int | float) else "-"


RENDERERS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "needs_covered": _needs_covered,
    "language_shared": _language_shared,
    "italian_only": _italian_only,
    "italian_practice": lambda p: gettext(
        "can practise Italian with them (level %(level)s)", level=p.get("level", "")
    ),
    "distance_km": distance,
    "remote": lambda p: gettext(
        "helps at a distance (%(km)s km away, travels up to %(max)s km)",
        km=km(p.get("km", 0)),
        max=km(p.get("max_km", 0)),
    ),
    "availability_overlap": lambda p: gettext("both free %(slots)s", slots=slots(p.get("slots"))),
    "no_common_availability": lambda p: gettext("no common free time in the week"),
    "interests_shared": lambda p: gettext(
        "shared interests: %(terms)s", terms=", ".join(map(str, p.get("terms") or []))
    ),
    "waiting_days": lambda p: ngettext(
        "waiting for %(num)d day", "waiting for %(num)d days", _count(p, "days")
    ),
    "too_far": lambda p: gettext(
        "too far: %(km)s km away, the tutor travels up to %(max)s km",
        km=km(p.get("km", 0)),
        max=km(p.get("max_km", 0)),
    ),
    "no_free_slot": lambda p: ngettext(
        "the tutor has no free place (capacity %(num)d)",
        "the tutor has no free place (capacity %(num)d)",
        _count(p, "capacity"),
    ),
    "no_shared_language": _no_shared_language,
    "gender_preference_unmet": _gender,
    "document_required": _document,
    "no_need_covered": lambda p: (
        gettext("no tutor in reach covers: %(skills)s", skills=skills(p.get("needs")))
        if "tutors" in p
        else gettext("covers none of: %(skills)s", skills=skills(p.get("needs")))
    ),
    "excluded_pair": lambda p: gettext("this pair was rejected or ended before"),
    "score_below_minimum": lambda p: gettext(
        "score %(score)s is below the minimum %(minimum)s",
        score=_score(p.get("score")),
        minimum=_score(p.get("min_score")),
    ),
    "no_tutor_within_reach": _no_tutor_within_reach,
    "no_free_tutor": lambda p: ngettext(
        "the tutor within reach has no free place",
        "the %(num)d tutors within reach have no free place",
        _count(p, "tutors_in_reach"),
    ),
    "excluded_pairs": lambda p: ngettext(
        "the only suitable tutor was rejected or ended before",
        "all %(num)d suitable tutors were rejected or ended before",
        _count(p, "count"),
    ),
    "only_weak_candidates": lambda p: gettext(
        "only weak candidates (best score %(score)s, minimum %(minimum)s)",
        score=_score(p.get("best_score")),
        minimum=_score(p.get("min_score")),
    ),
    "all_candidates_taken": lambda p: ngettext(
        "their possible tutor went to someone waiting longer or to a better pair",
        "their %(num)d possible tutors went to people waiting longer or to better pairs",
        _count(p, "candidates"),
    ),
}


def render(reason: Mapping[str, Any] | Any) -> str:
    """Render one reason ({"code", "params"} or a matching.Reason) as a sentence."""
    code = str(reason.get("code") if isinstance(reason, Mapping) else getattr(reason, "code", ""))
    raw = reason.get("params") if isinstance(reason, Mapping) else getattr(reason, "params", {})
    params: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    renderer = RENDERERS.get(code)
    if renderer is not None:
        try:
            sentence = str(renderer(params))
            narrowed = _narrowed(params) if params.get("narrowed_by") else ""
            return f"{sentence} {narrowed}" if narrowed else sentence
        except (KeyError, TypeError, ValueError, IndexError):
            log.warning("reason %s has unexpected parameters", code)
    return gettext("other reason (%(code)s)", code=code or "?")


def render_all(reasons: Any) -> list[str]:
    """Render a list of reasons, skipping nothing and never failing."""
    return [render(reason) for reason in (reasons or []) if reason is not None]


def as_json(reasons: Any) -> list[dict[str, Any]]:
    """Store engine reasons as JSON-ready {"code", "params"} dicts."""
    return [{"code": r.code, "params": _plain(dict(r.params))} for r in reasons]


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def component_label(name: str) -> str:
    """Label a score component ("need_coverage" -> "Needs")."""
    return str(COMPONENT_LABELS.get(name, name))
