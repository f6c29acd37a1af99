"""Check one row of a beneficiary import: every cell, with "line N, column X" messages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _

from config.taxonomy import known_language, load_taxonomy
from web.models import User
from web.models.common import GENDERS, LEVELS
from web.services.beneficiaries import BeneficiaryData, territory_for_place
from web.services.display import SLOT_BIT
from web.services.places import place_by_label

YES = {"yes", "y", "si", "sì", "true", "1", "x"}
NO = {"no", "n", "false", "0", ""}
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


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


def parse_date(text: str) -> date | None:
    """Read YYYY-MM-DD or DD/MM/YYYY; None when neither fits."""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def parse_pairs(text: str) -> list[tuple[str, str]]:
    """Split "a:1; b:2" into pairs (a value without colon gets an empty second part)."""
    pairs = []
    for chunk in re.split(r"[;,]", text):
        if chunk.strip():
            code, _sep, value = chunk.partition(":")
            pairs.append((code.strip().lower(), value.strip()))
    return pairs


def normalise_level(text: str) -> str:
    """Accept "b1", "B1", "Native", "madrelingua"."""
    cleaned = text.strip()
    if cleaned.lower() in {"native", "madrelingua", "l1"}:
        return "native"
    return cleaned.upper()


class RowChecker:
    """Check the cells of one row; collect messages as "line N, column X: ..."."""

    def __init__(self, line: int, cells: dict[str, str], check: ImportCheck) -> None:
        self.line, self.cells, self.check, self.ok = line, cells, check, True

    def fail(self, column: str, message: str) -> None:
        self.ok = False
        self.check.bad_lines.add(self.line)
        self.check.errors.append(
            _(
                "line %(line)d, column %(column)s: %(message)s",
                line=self.line,
                column=column,
                message=message,
            )
        )

    def get(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def language(self, column: str, code: str) -> str | None:
        code = code.strip().lower()
        if not known_language(code):
            self.fail(column, _("unknown language code “%(code)s”", code=code))
            return None
        return code

    def level(self, column: str, text: str) -> str | None:
        level = normalise_level(text)
        if level not in LEVELS:
            self.fail(column, _("unknown level “%(level)s” (use A1…C2 or native)", level=text))
            return None
        return level

    def choice(self, column: str, values: tuple[str, ...]) -> str | None:
        value = self.get(column).lower()
        if value and value not in values:
            self.fail(column, _("must be one of %(values)s or empty", values=", ".join(values)))
        return value or None


def check_row(line: int, cells: dict[str, str], user: User, check: ImportCheck) -> ImportRow | None:
    """Validate one row; return it ready to create, or None with errors recorded."""
    row = RowChecker(line, cells, check)
    first_name = row.get("first_name")
    if not first_name:
        row.fail("first_name", _("the first name is missing"))
    elif len(first_name) > 80:
        row.fail("first_name", _("at most 80 characters"))
    email, phone = row.get("email").lower(), row.get("phone")
    if email and not EMAIL_RE.match(email):
        row.fail("email", _("“%(value)s” is not an email address", value=email))
    if phone and (len(phone) > 32 or not all(c.isdigit() or c in "+ ()-./" for c in phone)):
        row.fail("phone", _("use digits, spaces and + only"))
    if not email and not phone:
        row.fail("email", _("give an email or a phone (at least one)"))
    preferred = row.language("preferred_language", row.get("preferred_language") or "it")
    place = territory = None
    label = row.get("municipality")
    if not label:
        row.fail("municipality", _("the municipality is missing"))
    else:
        place = place_by_label(label)
        if place is None:
            row.fail("municipality", _("unknown municipality “%(name)s”", name=label))
        else:
            territory = territory_for_place(place, user)
            if territory is None:
                row.fail(
                    "municipality",
                    _("%(name)s is not in one of your territories", name=place.label),
                )
    languages: dict[str, tuple[str, bool]] = {}
    first = row.get("first_language")
    first_level = row.get("first_language_level")
    if not first or not first_level:
        row.fail("first_language", _("give the first language and its level"))
    else:
        code, level = (
            row.language("first_language", first),
            row.level("first_language_level", first_level),
        )
        if code and level:
            languages[code] = (level, True)
    if row.get("italian_level") and "it" not in languages:
        level = row.level("italian_level", row.get("italian_level"))
        if level:
            languages["it"] = (level, False)
    for code, level_text in parse_pairs(row.get("other_languages")):
        code_ok = row.language("other_languages", code)
        level = row.level("other_languages", level_text) if level_text else None
        if not level_text:
            row.fail(
                "other_languages", _("give a level for “%(code)s”, e.g. %(code)s:B1", code=code)
            )
        if code_ok and level and code_ok not in languages:
            languages[code_ok] = (level, False)
    skills = load_taxonomy().skills
    needs: dict[str, int] = {}
    for code, priority in parse_pairs(row.get("needs")):
        if code not in skills:
            row.fail("needs", _("unknown skill code “%(code)s”", code=code))
        elif priority not in {"", "1", "2", "3"}:
            row.fail("needs", _("priority of “%(code)s” must be 1, 2 or 3", code=code))
        else:
            needs[code] = int(priority or 2)
    if not row.get("needs"):
        row.fail("needs", _("give at least one need"))
    availability = 0
    for slot, _unused in parse_pairs(row.get("availability")):
        if slot not in SLOT_BIT:
            row.fail("availability", _("unknown slot “%(slot)s” (e.g. mon_morning)", slot=slot))
        else:
            availability |= SLOT_BIT[slot]
    gender = row.choice("gender", GENDERS)
    tutor_gender = row.choice("preferred_tutor_gender", GENDERS)
    remote = row.get("remote_ok").lower()
    if remote not in YES | NO:
        row.fail("remote_ok", _("write yes or no"))
    waiting_since = date.today()
    if row.get("waiting_since"):
        parsed = parse_date(row.get("waiting_since"))
        if parsed is None:
            row.fail(
                "waiting_since",
                _("“%(value)s” is not a date (YYYY-MM-DD)", value=row.get("waiting_since")),
            )
        elif parsed > date.today():
            row.fail("waiting_since", _("the date is in the future"))
        else:
            waiting_since = parsed
    if len(row.get("interests")) > 2000:
        row.fail("interests", _("at most 2000 characters"))
    if not row.ok or place is None or territory is None or preferred is None:
        return None
    data = BeneficiaryData(
        first_name=first_name,
        contact_email=email or None,
        contact_phone=phone or None,
        preferred_language=preferred,
        place_id=place.id,
        languages=[(code, level, is_first) for code, (level, is_first) in languages.items()],
        needs=needs,
        availability=availability,
        gender=gender,
        preferred_tutor_gender=tutor_gender,
        remote_ok=remote in YES,
        waiting_since=waiting_since,
        interests=row.get("interests"),
    )
    return ImportRow(line, data, territory.id, place.label)
