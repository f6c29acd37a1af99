"""Read tutors and beneficiaries from CSV files (errors as `file:line: column: problem`),
write proposals to CSV. Lists inside a cell are separated by `;`."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from .gazetteer import Gazetteer, load_gazetteer
from .model import GENDERS, LEVEL_RANK, SLOT_BIT, Beneficiary, MatchResult, Reason, Tutor
from .taxonomy import Taxonomy, load_taxonomy
from .weights import COMPONENTS

TUTOR_COLUMNS = (
    "id", "municipality", "lat", "lon", "max_km", "capacity", "free_slots", "skills",
    "languages", "availability", "interests", "gender", "remote_ok", "documents",
)  # fmt: skip
BENEFICIARY_COLUMNS = (
    "id", "municipality", "lat", "lon", "needs", "languages", "first_language",
    "availability", "waiting_since", "interests", "gender", "preferred_tutor_gender",
    "remote_ok",
)  # fmt: skip
TUTOR_REQUIRED = ("id", "max_km", "capacity", "skills", "languages")
BENEFICIARY_REQUIRED = ("id", "needs", "languages", "waiting_since")
EXCLUDE_COLUMNS = ("beneficiary_id", "tutor_id")
TRUE = {"1", "true", "yes", "y", "si", "sì", "x"}
FALSE = {"", "0", "false", "no", "n"}
MAX_ERRORS = 50


class CsvError(Exception):
    """One or more rows are invalid; `errors` holds `file:line: column: problem` lines."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


class _Problem(ValueError):
    pass


def _items(text: str) -> list[str]:
    return [item.strip() for item in text.split(";") if item.strip()]


def _pairs(text: str, what: str) -> Iterator[tuple[str, str]]:
    for item in _items(text):
        key, sep, value = item.partition(":")
        if not sep or not key.strip() or not value.strip():
            raise _Problem(f"{item!r} is not {what}")
        yield key.strip(), value.strip()


def _int(text: str, low: int, high: int | None = None) -> int:
    try:
        value = int(text)
    except ValueError:
        raise _Problem(f"{text!r} is not a whole number") from None
    if value < low or (high is not None and value > high):
        span = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise _Problem(f"{value} must be {span}")
    return value


def _float(text: str, low: float, high: float) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise _Problem(f"{text!r} is not a number") from None
    if not low <= value <= high:
        raise _Problem(f"{value:g} must be between {low:g} and {high:g}")
    return value


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _Problem(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _bool(text: str) -> bool:
    value = text.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise _Problem(f"{text!r} is not yes/no")


def _gender(text: str) -> str | None:
    value = text.strip().lower()
    if value and value not in GENDERS:
        raise _Problem(f"{text!r} is not one of f, m, x (or empty)")
    return value or None


def _languages(text: str) -> dict[str, str]:
    languages: dict[str, str] = {}
    for code, level in _pairs(text, "language:level (e.g. it:B1)"):
        level = "native" if level.lower() in {"native", "madrelingua", "l1"} else level.upper()
        if level not in LEVEL_RANK:
            raise _Problem(f"level {level!r} of {code!r} is not one of {', '.join(LEVEL_RANK)}")
        languages[code.lower()] = level
    if not languages:
        raise _Problem("at least one language is required")
    return languages


def _availability(text: str) -> int:
    if text.strip().lower() == "all":
        return (1 << len(SLOT_BIT)) - 1
    mask = 0
    for slot in _items(text):
        bit = SLOT_BIT.get(slot.lower())
        if bit is None:
            raise _Problem(f"unknown slot {slot!r} (e.g. mon_morning … sun_evening)")
        mask |= bit
    return mask


def _skills(text: str, taxonomy: Taxonomy) -> frozenset[str]:
    codes = frozenset(_items(text))
    unknown = sorted(codes - set(taxonomy.codes))
    if unknown:
        raise _Problem(f"unknown skill {unknown[0]!r} (see config/taxonomy.toml)")
    if not codes:
        raise _Problem("at least one skill is required")
    return codes


def _needs(text: str, taxonomy: Taxonomy) -> dict[str, int]:
    needs: dict[str, int] = {}
    for item in _items(text):
        code, _, priority = item.partition(":")
        code = code.strip()
        if code not in taxonomy.codes:
            raise _Problem(f"unknown skill {code!r} (see config/taxonomy.toml)")
        needs[code] = _int(priority.strip(), 1, 3) if priority.strip() else 2
    if not needs:
        raise _Problem("at least one need is required")
    return needs


def _documents(text: str, taxonomy: Taxonomy) -> dict[str, date]:
    documents: dict[str, date] = {}
    for code, expiry in _pairs(text, "document:expiry (e.g. background_check:2026-03-31)"):
        if code not in taxonomy.documents:
            raise _Problem(f"unknown document {code!r} (known: {', '.join(taxonomy.documents)})")
        documents[code] = _date(expiry)
    return documents


class _Rows:
    """Iterate the rows of a CSV file, collecting `file:line: column: problem` errors."""

    def __init__(
        self, path: Path, known: tuple[str, ...], required: tuple[str, ...], place: bool = True
    ) -> None:
        self.path, self.known, self.required, self.place = path, known, required, place
        self.errors: list[str] = []

    def fail(self, line: int, column: str, problem: str) -> None:
        self.errors.append(f"{self.path}:{line}: {column}: {problem}")

    def read(self, build: Callable[[_Cells, int], Any]) -> list[Any]:
        if not self.path.is_file():
            raise CsvError([f"{self.path}: -: no such file"])
        records: list[Any] = []
        with open(self.path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            try:
                header = [name.strip().lower() for name in reader.fieldnames or []]
                reader.fieldnames = header
                self._check_header(header)
                if self.errors:
                    raise CsvError(self.errors)
                for row in reader:
                    if None in row:
                        self.fail(reader.line_num, "-", "more cells than columns")
                        continue
                    records.append(build(_Cells(self, row, reader.line_num), reader.line_num))
                    if len(self.errors) >= MAX_ERRORS:
                        break
            except UnicodeDecodeError:
                self.fail(reader.line_num + 1, "-", "the file is not UTF-8 text")
            except csv.Error as exc:
                self.fail(reader.line_num, "-", str(exc))
        if self.errors:
            raise CsvError(self.errors)
        return records

    def _check_header(self, header: list[str]) -> None:
        if not header:
            self.fail(1, "-", "the file is empty (a header row is required)")
            return
        for name in header:
            if name not in self.known:
                self.fail(1, name or "-", f"unknown column (known: {', '.join(self.known)})")
        for name in self.required:
            if name not in header:
                self.fail(1, name, "required column is missing")
        if self.place and "municipality" not in header and not {"lat", "lon"} <= set(header):
            self.fail(1, "municipality", "give either a municipality column or lat and lon")


class _Cells:
    """The cells of one row: parse each with a clear error instead of an exception."""

    def __init__(self, rows: _Rows, row: dict[str, str | None], line: int) -> None:
        self.rows, self.row, self.line = rows, row, line

    def text(self, column: str) -> str:
        return (self.row.get(column) or "").strip()

    def fail(self, column: str, problem: str) -> None:
        self.rows.fail(self.line, column, problem)

    def __call__(self, column: str, parse: Callable[[str], Any], default: Any = None) -> Any:
        text = self.text(column)
        if not text:
            if column in self.rows.required:
                self.fail(column, "a value is required")
            return default
        try:
            return parse(text)
        except _Problem as exc:
            self.fail(column, str(exc))
            return default


def _place(get: _Cells, gazetteer: Callable[[], Gazetteer]) -> tuple[float, float]:
    if get.text("lat") or get.text("lon"):
        lat = get("lat", lambda s: _float(s, -90, 90))
        lon = get("lon", lambda s: _float(s, -180, 180))
        if lat is None or lon is None:
            get.fail("lat" if lat is None else "lon", "give both lat and lon")
            return 0.0, 0.0
        return lat, lon
    name = get.text("municipality")
    if not name:
        get.fail("municipality", "a place is required (municipality, or lat and lon)")
        return 0.0, 0.0
    try:
        place = gazetteer().resolve(name)
    except LookupError as exc:
        get.fail("municipality", str(exc))
        return 0.0, 0.0
    return place.lat, place.lon


def read_tutors(
    path: str | Path, *, taxonomy: Taxonomy | None = None, gazetteer: Gazetteer | None = None
) -> list[Tutor]:
    """Read tutors from CSV; raise CsvError listing every bad cell."""
    tax = taxonomy or load_taxonomy()
    places = (lambda: gazetteer) if gazetteer else load_gazetteer
    rows = _Rows(Path(path), TUTOR_COLUMNS, TUTOR_REQUIRED)

    def build(get: _Cells, line: int) -> Tutor:
        lat, lon = _place(get, places)
        capacity = get("capacity", lambda s: _int(s, 1, 3), 1)
        free = get("free_slots", lambda s: _int(s, 0, capacity), capacity)
        return Tutor(
            id=get("id", lambda s: _int(s, 0), 0), lat=lat, lon=lon,
            max_km=get("max_km", lambda s: _float(s, 0, 500), 0.0),
            capacity=capacity, free_slots=free,
            skills=get("skills", lambda s: _skills(s, tax), frozenset()),
            languages=get("languages", _languages, {}),
            availability=get("availability", _availability, 0),
            interests=get("interests", str, ""), gender=get("gender", _gender),
            remote_ok=get("remote_ok", _bool, False),
            documents=get("documents", lambda s: _documents(s, tax), {}),
        )  # fmt: skip

    return _unique(rows, rows.read(build), "tutor")


def read_beneficiaries(
    path: str | Path, *, taxonomy: Taxonomy | None = None, gazetteer: Gazetteer | None = None
) -> list[Beneficiary]:
    """Read beneficiaries from CSV; raise CsvError listing every bad cell."""
    tax = taxonomy or load_taxonomy()
    places = (lambda: gazetteer) if gazetteer else load_gazetteer
    rows = _Rows(Path(path), BENEFICIARY_COLUMNS, BENEFICIARY_REQUIRED)

    def build(get: _Cells, line: int) -> Beneficiary:
        lat, lon = _place(get, places)
        languages = get("languages", _languages, {})
        first = get("first_language", lambda s: s.lower())
        if first and languages and first not in languages:
            get.fail("first_language", f"{first!r} is not among the languages")
        return Beneficiary(
            id=get("id", lambda s: _int(s, 0), 0), lat=lat, lon=lon,
            needs=get("needs", lambda s: _needs(s, tax), {}), languages=languages,
            first_language=first, availability=get("availability", _availability, 0),
            waiting_since=get("waiting_since", _date, date.min),
            interests=get("interests", str, ""), gender=get("gender", _gender),
            preferred_tutor_gender=get("preferred_tutor_gender", _gender),
            remote_ok=get("remote_ok", _bool, False),
        )  # fmt: skip

    return _unique(rows, rows.read(build), "beneficiary")


def read_excluded(path: str | Path) -> list[tuple[int, int]]:
    """Read (beneficiary_id, tutor_id) pairs that must not be proposed again."""
    rows = _Rows(Path(path), EXCLUDE_COLUMNS, EXCLUDE_COLUMNS, place=False)

    def build(get: _Cells, line: int) -> tuple[int, int]:
        return get("beneficiary_id", lambda s: _int(s, 0), 0), get(
            "tutor_id", lambda s: _int(s, 0), 0
        )

    return rows.read(build)


def _unique(rows: _Rows, records: list[Any], kind: str) -> list[Any]:
    seen: set[int] = set()
    for index, record in enumerate(records):
        if record.id in seen:
            rows.errors.append(
                f"{rows.path}: id: {kind} {record.id} appears twice (row {index + 1})"
            )
        seen.add(record.id)
    if rows.errors:
        raise CsvError(rows.errors)
    return records


def write_proposals(path: str | Path, result: MatchResult) -> int:
    """Write assigned pairs, alternatives and unmatched beneficiaries; return rows written."""
    header = [
        "beneficiary_id",
        "tutor_id",
        "status",
        "rank",
        "score",
        "gain",
        *COMPONENTS,
        "reasons",
    ]
    rows = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        by_beneficiary = {p.beneficiary_id: p for p in result.assignment}
        ids = sorted({*by_beneficiary, *result.alternatives, *result.unmatched})
        for beneficiary_id in ids:
            assigned = by_beneficiary.get(beneficiary_id)
            listed = ([assigned] if assigned else []) + result.alternatives.get(beneficiary_id, [])
            if beneficiary_id in result.unmatched:
                writer.writerow(
                    [beneficiary_id, "", "unmatched", "", "", "", *[""] * len(COMPONENTS),
                     _reasons(result.unmatched[beneficiary_id])]
                )  # fmt: skip
                rows += 1
            for proposal in listed:
                status = "assigned" if proposal.rank == 0 else "alternative"
                writer.writerow(
                    [proposal.beneficiary_id, proposal.tutor_id, status, proposal.rank,
                     f"{proposal.score:.4f}", f"{proposal.gain:.4f}",
                     *(f"{proposal.components[c]:.4f}" for c in COMPONENTS),
                     _reasons(proposal.reasons)]
                )  # fmt: skip
                rows += 1
    return rows


def _reasons(reasons: list[Reason] | tuple[Reason, ...]) -> str:
    return " | ".join(str(reason) for reason in reasons)
