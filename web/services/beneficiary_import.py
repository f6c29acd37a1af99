"""Import beneficiaries from CSV/XLSX: validate every row, preview, then create on confirm."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from config.taxonomy import known_language, load_taxonomy
from web.extensions import db
from web.models import Territory, User
from web.models.common import GENDERS, LEVELS
from web.services.beneficiaries import (
    BeneficiaryData,
    create_beneficiaries,
    find_duplicate,
    phone_key,
    territory_for_place,
)
from web.services.display import SLOT_BIT
from web.services.places import place_by_label
from web.services.spreadsheets import Table, write_csv, write_xlsx

# (column, required, what to write) — the import page documents exactly this list.
COLUMNS = (
    ("first_name", True, _l("First name (required).")),
    ("email", False, _l("Contact email. Give an email or a phone, at least one.")),
    ("phone", False, _l("Contact phone, digits and + only.")),
    ("preferred_language", False,
     _l("Language for messages, ISO code (ar, en, fr…); it if empty.")),
    ("municipality", True, _l("Municipality: “Name (PR)”, the name alone, or the ISTAT code.")),
    ("first_language", True, _l("First language, ISO code (ar, ti, so…).")),
    ("first_language_level", True, _l("Level of the first language: A1…C2 or native.")),
    ("italian_level", False, _l("Italian level: A1…C2 or native; empty if none.")),
    ("other_languages", False, _l("Other languages with level, e.g. “en:B1; fr:A2”.")),
    ("needs", True,
     _l("Needs with priority 1–3 (3 = most urgent), e.g. “work_cv:3; housing_search:2”.")),
    ("availability", False,
     _l("Free slots, e.g. “mon_morning; thu_evening” (mon…sun; morning, afternoon, evening).")),
    ("gender", False, _l("Gender: f, m, x or empty.")),
    ("preferred_tutor_gender", False, _l("Preferred tutor gender: f, m, x or empty.")),
    ("remote_ok", False, _l("Help at a distance is fine: yes or no.")),
    ("waiting_since", False, _l("Waiting since: YYYY-MM-DD or DD/MM/YYYY; today if empty.")),
    ("interests", False, _l("Interests, free text.")),
)  # fmt: skip
COLUMN_NAMES = tuple(name for name, _required, _help in COLUMNS)
EXAMPLE_ROW = (
    "Amina", "amina@example.org", "+39 333 1234567", "ar", "Parma (PR)", "ar", "native", "A2",
    "en:B1; fr:A2", "work_cv:3; italian_conversation:2", "mon_morning; wed_evening", "f", "f",
    "yes", "2026-01-15", "cooking, football",
)  # fmt: skip
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


def template_csv() -> bytes:
    """Return the CSV template: header and one example row."""
    return write_csv(COLUMN_NAMES, [EXAMPLE_ROW])


def template_xlsx() -> bytes:
    """Return the XLSX template: header and one example row."""
    return write_xlsx([("beneficiaries", COLUMN_NAMES, [EXAMPLE_ROW])])


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


def check_duplicates(check: ImportCheck) -> None:
    """Flag rows repeating an earlier row of the file or an open record of the territory."""
    seen: dict[tuple, int] = {}
    kept = []
    for item in check.rows:
        data, name = item.data, item.data.first_name.strip().lower()
        keys = []
        if data.contact_email:
            keys.append((item.territory_id, name, "email", data.contact_email.lower()))
        if phone_key(data.contact_phone):
            keys.append((item.territory_id, name, "phone", phone_key(data.contact_phone)))
        earlier = next((seen[key] for key in keys if key in seen), None)
        if earlier is not None:
            check.errors.append(
                _(
                    "line %(line)d, column first_name: same person as line %(other)d "
                    "(same name and contact)",
                    line=item.line,
                    other=earlier,
                )
            )
            check.bad_lines.add(item.line)
            continue
        existing = find_duplicate(
            item.territory_id, data.first_name, data.contact_email, data.contact_phone
        )
        if existing is not None:
            check.errors.append(
                _(
                    "line %(line)d, column first_name: already registered as %(code)s "
                    "(same name and contact)",
                    line=item.line,
                    code=existing.code,
                )
            )
            check.bad_lines.add(item.line)
            continue
        for key in keys:
            seen[key] = item.line
        kept.append(item)
    check.rows = kept


def check_table(table: Table, user: User) -> ImportCheck:
    """Check a whole table: header first, then every row, then duplicates."""
    check = ImportCheck()
    header = [name.strip().lower() for name in table.header]
    missing = [name for name, required, _help in COLUMNS if required and name not in header]
    unknown = [name for name in header if name and name not in COLUMN_NAMES]
    if missing:
        check.errors.append(
            _(
                "line 1: missing columns: %(columns)s (download the template)",
                columns=", ".join(missing),
            )
        )
    if unknown:
        check.errors.append(_("line 1: unknown columns: %(columns)s", columns=", ".join(unknown)))
    if missing or unknown:
        check.bad_lines.add(1)
        return check
    if not table.rows:
        check.errors.append(_("The file has no rows under the header."))
        return check
    for line, values in table.rows:
        cells = dict(zip(header, values, strict=False))
        found = check_row(line, cells, user, check)
        if found is not None:
            check.rows.append(found)
    check_duplicates(check)
    return check


def recheck(rows: list[ImportRow]) -> ImportCheck:
    """Check the kept rows again against the database just before creating them."""
    check = ImportCheck(rows=list(rows))
    check_duplicates(check)
    return check


def import_rows(rows: list[ImportRow], actor: User) -> list[int]:
    """Create the checked rows (consent collected by the actor) and audit the import."""
    from web.services import audit

    territories = {t.id: t for t in db.session.scalars(select(Territory))}
    ids = create_beneficiaries(
        [(row.data, territories[row.territory_id]) for row in rows], actor, source="import"
    )
    for territory_id in sorted({row.territory_id for row in rows}):
        count = sum(1 for row in rows if row.territory_id == territory_id)
        audit.record("import", "beneficiary", None, territory_id=territory_id, rows=count)
    db.session.commit()
    return ids
