"""The tutor's profile, saved one wizard step at a time, and their availability status."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from config.taxonomy import known_language, load_taxonomy
from web.extensions import db
from web.models import Territory, TutorLanguage, TutorProfile, TutorSkill
from web.models.common import GENDERS, LEVELS, utcnow
from web.services import audit
from web.services.display import SLOT_BIT, mask_from_slots
from web.services.errors import ServiceError
from web.services.places import place_by_label
from web.services.tasks import enqueue
from web.services.tutor_matches import close_open_matches

STEPS = ("place", "skills", "languages", "availability", "about")
MAX_TEXT = 2000
MAX_LANGUAGES = 8


def territory_for_province(province_code: str) -> Territory | None:
    """Return the programme's territory for a province code, if it runs there."""
    return db.session.scalar(select(Territory).where(Territory.code == province_code))


def steps_done(profile: TutorProfile) -> dict[str, bool]:
    """Tell which wizard steps hold saved data."""
    return {
        "place": profile.place_id is not None,
        "skills": bool(profile.skills),
        "languages": bool(profile.languages),
        "availability": profile.availability > 0,
        "about": bool(profile.motivation.strip()),
    }


def next_step(profile: TutorProfile) -> str | None:
    """Return the first step still to fill, or None when the profile is complete."""
    return next((step for step, done in steps_done(profile).items() if not done), None)


def _saved(profile: TutorProfile, step: str) -> None:
    if profile.profile_completed_at is None and next_step(profile) is None:
        profile.profile_completed_at = utcnow()
    audit.record(
        "tutor.profile_saved", "tutor", profile.id, territory_id=profile.territory_id, step=step
    )
    db.session.commit()


def save_place(
    profile: TutorProfile, place_label: str, max_travel_km: int, remote_ok: bool
) -> None:
    """Save where the tutor lives, how far they travel and whether they help remotely."""
    errors = {}
    place = place_by_label(place_label or "")
    if place is None:
        errors["place"] = str(_l("Choose a municipality from the list."))
    if not isinstance(max_travel_km, int) or not 0 <= max_travel_km <= 200:
        errors["max_travel_km"] = str(_l("Enter a distance between 0 and 200 km."))
    if errors:
        raise ServiceError(errors)
    assert place is not None
    profile.place = place
    territory = territory_for_province(place.province_code)
    profile.territory_id = territory.id if territory else None
    profile.max_travel_km = max_travel_km
    profile.remote_ok = bool(remote_ok)
    _saved(profile, "place")


def save_skills(profile: TutorProfile, codes: list[str]) -> None:
    """Replace the skills the tutor offers with these taxonomy codes."""
    known = load_taxonomy().skills
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ServiceError({"skills": str(_l("Unknown skill: %(code)s.", code=unknown[0][:40]))})
    if not codes:
        raise ServiceError({"skills": str(_l("Choose at least one thing you can help with."))})
    wanted = set(codes)
    profile.skills = [s for s in profile.skills if s.skill_code in wanted]
    have = {s.skill_code for s in profile.skills}
    profile.skills += [TutorSkill(skill_code=code) for code in sorted(wanted - have)]
    _saved(profile, "skills")


def save_languages(profile: TutorProfile, rows: list[tuple[str, str]]) -> None:
    """Replace the tutor's languages with (code, level) rows; blank rows are ignored."""
    errors: dict[str, str] = {}
    chosen: dict[str, str] = {}
    for index, (code, level) in enumerate(rows):
        code, level = (code or "").strip(), (level or "").strip()
        if not code and not level:
            continue
        where = f"languages-{index}"
        if not code or not known_language(code) or len(code) > 8:
            errors[f"{where}-lang"] = str(_l("Choose a language from the list."))
        elif level not in LEVELS:
            errors[f"{where}-level"] = str(_l("Choose your level for this language."))
        elif code in chosen:
            errors[f"{where}-lang"] = str(_l("This language is already in the list."))
        else:
            chosen[code] = level
    if not errors and not chosen:
        errors["languages"] = str(_l("Add at least one language with its level."))
    if len(chosen) > MAX_LANGUAGES:
        errors["languages"] = str(_l("At most %(n)d languages.", n=MAX_LANGUAGES))
    if errors:
        raise ServiceError(errors)
    current = {language.lang: language for language in profile.languages}
    profile.languages = [
        current[code] if code in current else TutorLanguage(lang=code, level=level)
        for code, level in sorted(chosen.items())
    ]
    for language in profile.languages:
        language.level = chosen[language.lang]
    _saved(profile, "languages")


def save_availability(profile: TutorProfile, slots: list[str], capacity: int) -> None:
    """Save the weekly availability grid and how many people the tutor can follow."""
    errors = {}
    unknown = [slot for slot in slots if slot not in SLOT_BIT]
    if unknown:
        errors["slots"] = str(_l("Unknown time slot."))
    elif not slots:
        errors["slots"] = str(_l("Tick at least one time of the week when you are free."))
    if not isinstance(capacity, int) or not 1 <= capacity <= 3:
        errors["capacity"] = str(_l("Choose 1, 2 or 3 people."))
    elif capacity < profile.open_matches:
        errors["capacity"] = ngettext(
            "You already follow %(num)d person: the number cannot be lower.",
            "You already follow %(num)d people: the number cannot be lower.",
            profile.open_matches,
        )
    if errors:
        raise ServiceError(errors)
    profile.availability = mask_from_slots(slots)
    profile.capacity = capacity
    _saved(profile, "availability")


def save_about(
    profile: TutorProfile, display_name: str, interests: str, motivation: str, gender: str | None
) -> None:
    """Save the tutor's name as shown, interests, motivation and optional gender."""
    errors = {}
    display_name = " ".join((display_name or "").split())
    if not display_name:
        errors["display_name"] = str(_l("Enter the name coordinators will see."))
    elif len(display_name) > 120:
        errors["display_name"] = str(_l("At most %(max)d characters.", max=120))
    for field, text in (("interests", interests), ("motivation", motivation)):
        if len(text or "") > MAX_TEXT:
            errors[field] = str(_l("At most %(max)d characters.", max=MAX_TEXT))
    if not (motivation or "").strip() and "motivation" not in errors:
        errors["motivation"] = str(_l("Tell us in a few words why you want to be a tutor."))
    if gender not in (None, "", *GENDERS):
        errors["gender"] = str(_l("Choose one of the options."))
    if errors:
        raise ServiceError(errors)
    profile.display_name = display_name
    profile.interests = (interests or "").strip()
    profile.motivation = (motivation or "").strip()
    profile.gender = gender or None
    _saved(profile, "about")


def pause(profile: TutorProfile) -> None:
    """Stop new proposals for an active tutor (current matches go on)."""
    if profile.status != "active":
        raise ServiceError(str(_l("Only an active profile can be paused.")))
    profile.status = "paused"
    audit.record("tutor.paused", "tutor", profile.id, territory_id=profile.territory_id)
    db.session.commit()


def resume(profile: TutorProfile) -> None:
    """Make a paused tutor available for proposals again."""
    if profile.status != "paused":
        raise ServiceError(str(_l("Only a paused profile can be resumed.")))
    profile.status = "active"
    audit.record("tutor.resumed", "tutor", profile.id, territory_id=profile.territory_id)
    db.session.commit()
    enqueue("matching.incremental_tutor", profile.id)


def withdraw(profile: TutorProfile) -> int:
    """Leave the programme: no more proposals, open matches closed; return how many."""
    if profile.status in ("withdrawn", "declined"):
        raise ServiceError(str(_l("This profile is no longer in the programme.")))
    closed = close_open_matches(profile, outcome="tutor_withdrew")
    profile.status = "withdrawn"
    audit.record("tutor.withdrawn", "tutor", profile.id, territory_id=profile.territory_id)
    db.session.commit()
    return closed
