"""Import beneficiaries from CSV/XLSX: validate every row, preview, then create on confirm."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from matching.problems import Code, RowError
from matching.rows import check_header, rows
from matching.sheets import Table
from web.extensions import db
from web.models import Territory, User
from web.services.beneficiaries import (
    create_beneficiaries,
    find_duplicate,
    phone_key,
)
from web.services.import_rows import ImportCheck, ImportRow, check_row
from web.services.spreadsheets import write_csv, write_xlsx

# (column, required, what to write) — the import page documents exactly this list.
COLUMNS = (
    ("first_name", True, _l("First name (required).")),
    ("email", False, _l("Contact email. Give an email or a phone, at least one.")),
    ("phone", False, _l("Contact phone, digits and + only.")),
    ("preferred_language", False,
     _l("Language for messages: ISO code or name (ar, en, arabo…); Italian if empty.")),
    ("municipality", True,
     _l("Municipality: “Name (PR)”, the name alone (Reggio Emilia, Bolzano…), or the ISTAT code.")),
    ("first_language", True, _l("First language: ISO code or name (ar, ti, arabo, tigrino…).")),
    ("first_language_level", True,
     _l("Level of the first language: A1…C2 or native (madrelingua).")),
    ("italian_level", False, _l("Italian level: A1…C2 or native; empty if none.")),
    ("other_languages", False, _l("Other languages with level, e.g. “en:B1; francese:A2”.")),
    ("needs", True,
     _l("Needs with priority 1–3 (3 = most urgent), e.g. “work_cv:3; housing_search:2”.")),
    ("availability", False,
     _l("Free slots, e.g. “mon_morning; thu_evening” (mon…sun; morning, afternoon, evening).")),
    ("gender", False, _l("Gender: f, m, x or empty.")),
    ("preferred_tutor_gender", False, _l("Preferred tutor gender: f, m, x or empty.")),
    ("remote_ok", False, _l("Help at a distance is fine: yes or no (sì/no).")),
    ("waiting_since", False, _l("Waiting since: YYYY-MM-DD or DD/MM/YYYY; today if empty.")),
    ("interests", False, _l("Interests, free text.")),
)  # fmt: skip
COLUMN_NAMES = tuple(name for name, _required, _help in COLUMNS)
EXAMPLE_ROW = (
    "Amina", "amina@example.org", "+39 333 1234567", "ar", "Parma (PR)", "ar", "native", "A2",
    "en:B1; fr:A2", "work_cv:3; italian_conversation:2", "mon_morning; wed_evening", "f", "f",
    "yes", "2026-01-15", "cooking, football",
)  # fmt: skip


def template_csv() -> bytes:
    """Return the CSV template: header and one example row."""
    return write_csv(COLUMN_NAMES, [EXAMPLE_ROW])


def template_xlsx() -> bytes:
    """Return the XLSX template: header and one example row."""
    return write_xlsx([("beneficiaries", COLUMN_NAMES, [EXAMPLE_ROW])])


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
    required = [name for name, is_required, _help in COLUMNS if is_required]
    header, errors = check_header(table, COLUMN_NAMES, required)
    missing = [error.column for error in errors if error.code == Code.MISSING_COLUMN]
    if missing:
        check.errors.append(
            _(
                "line 1: missing columns: %(columns)s (download the template)",
                columns=", ".join(missing),
            )
        )
        errors = [error for error in errors if error.code != Code.MISSING_COLUMN]
    if any(error.code == Code.NO_ROWS for error in errors):
        check.errors.append(_("The file has no rows under the header."))
    else:
        check.add(errors)
    if check.errors:
        check.bad_lines.add(1)
        return check
    unnamed: list[RowError] = []  # values under no column, in line order with the rest
    for cells in rows(table, header, unnamed):
        check.add(unnamed)
        unnamed.clear()
        found = check_row(cells.line, cells.values, user, check)
        if found is not None:
            check.rows.append(found)
    check.add(unnamed)
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
