"""Check one row of a beneficiary import: every cell, with "line N, column X" messages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from config.taxonomy import load_taxonomy
from matching import cells as read
from matching.gazetteer import load_gazetteer
from matching.problems import RowError
from matching.rows import Cells
from web.models import User
from web.services.beneficiaries import BeneficiaryData, territory_for_place
from web.services.places import place_for
from web.services.row_messages import ImportCode, describe_row

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
REQUIRED = ("first_name", "municipality", "needs")


@dataclass
class ImportRow:
    """A row ready to be created."""

    line: int
    data: BeneficiaryData
    territory_id: int
    place_label: str


@dataclass
class ImportCheck:
    """The outcome of checking a file: rows to create and errors by line."""

    rows: list[ImportRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    bad_lines: set[int] = field(default_factory=set)

    def add(self, errors: list[RowError]) -> None:
        """Record problems, worded in the UI language, and the lines they are on."""
        self.errors += [describe_row(error) for error in errors]
        self.bad_lines.update(error.line or 1 for error in errors)


def contact(row: Cells) -> tuple[str, str]:
    """Read the email and the phone; at least one is needed."""
    email, phone = row.text("email").lower(), row.text("phone")
    if email and not EMAIL_RE.match(email):
        row.fail("email", ImportCode.NOT_EMAIL, value=email)
    if phone and (len(phone) > 32 or not all(c.isdigit() or c in "+ ()-./" for c in phone)):
        row.fail("phone", ImportCode.BAD_PHONE)
    if not email and not phone:
        row.fail("email", ImportCode.CONTACT_REQUIRED)
    return email, phone


def languages(row: Cells) -> dict[str, tuple[str, bool]]:
    """Read the first language with its level, Italian, and the other languages."""
    found: dict[str, tuple[str, bool]] = {}
    if not row.text("first_language") or not row.text("first_language_level"):
        row.fail("first_language", ImportCode.FIRST_LANGUAGE_REQUIRED)
    else:
        code = row("first_language", read.language)
        level = row("first_language_level", read.level)
        if code and level:
            found[code] = (level, True)
    italian = row("italian_level", read.level)
    if italian and "it" not in found:
        found["it"] = (italian, False)
    for code, level in row("other_languages", read.languages, {}).items():
        found.setdefault(code, (level, False))
    return found


def check_row(line: int, cells: dict[str, str], user: User, check: ImportCheck) -> ImportRow | None:
    """Validate one row; return it ready to create, or None with errors recorded."""
    errors: list[RowError] = []
    row = Cells(line, cells, errors, REQUIRED)
    first_name = row("first_name", lambda s: read.text_at_most(s, 80), "")
    email, phone = contact(row)
    preferred = row("preferred_language", read.language) or "it"
    municipality = row("municipality", load_gazetteer().resolve)
    place = place_for(municipality.istat_code) if municipality else None
    territory = territory_for_place(place, user) if place else None
    if place and territory is None:
        row.fail("municipality", ImportCode.NOT_IN_TERRITORIES, name=place.label)
    spoken = languages(row)
    needs = row("needs", lambda s: read.needs(s, load_taxonomy().skills), {})
    availability = row("availability", read.slots, 0)
    gender = row("gender", read.gender)
    tutor_gender = row("preferred_tutor_gender", read.gender)
    remote_ok = row("remote_ok", read.yes_no, False)
    today = date.today()
    waiting_since = row("waiting_since", lambda s: read.past_day(s, today), today)
    interests = row("interests", lambda s: read.text_at_most(s, 2000), "")
    check.add(errors)
    if errors or place is None or territory is None:
        return None
    data = BeneficiaryData(
        first_name=first_name,
        contact_email=email or None,
        contact_phone=phone or None,
        preferred_language=preferred,
        place_id=place.id,
        languages=[(code, level, is_first) for code, (level, is_first) in spoken.items()],
        needs=needs,
        availability=availability,
        gender=gender,
        preferred_tutor_gender=tutor_gender,
        remote_ok=remote_ok,
        waiting_since=waiting_since,
        interests=interests,
    )
    return ImportRow(line, data, territory.id, place.label)
