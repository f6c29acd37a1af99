"""Read tutors, beneficiaries and excluded pairs from spreadsheets (CSV or XLSX) for the
command line; write proposals to CSV. Problems come back as RowErrors with the spreadsheet's
line and column (CsvError), worded in English by `describe`."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Generic, TypeVar

from . import cells as read
from .gazetteer import Gazetteer, load_gazetteer
from .model import Beneficiary, MatchResult, Reason, Tutor
from .problems import Code, Problem, RowError, english
from .rows import Cells, check_header, rows
from .sheets import Table, read_table_file
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
MAX_ERRORS = 50
ID_LENGTH = 40
R = TypeVar("R")


class CsvError(Exception):
    """A file cannot be used; `errors` holds its problems, `lines` them in English."""

    def __init__(self, path: Path, errors: list[RowError]) -> None:
        self.path, self.errors = path, errors[:MAX_ERRORS]
        super().__init__("\n".join(self.lines))

    @property
    def lines(self) -> list[str]:
        """The problems as `file:line: column: what is wrong`."""
        return [describe(self.path, error) for error in self.errors]


def describe(path: Path, error: RowError) -> str:
    """Word a problem in English as `file:line: column: what is wrong`."""
    where = f"{path}:{error.line}:" if error.line is not None else f"{path}:"
    return f"{where} {error.column or '-'}: {english(error.code, error.params)}"


@dataclass
class Roster(Generic[R]):
    """Records numbered 1..n for the engine, with the ids as the file wrote them."""

    path: Path
    records: list[R]
    ids: list[str] = field(default_factory=list)

    def label(self, engine_id: int) -> str:
        """The id the file gave to a record."""
        return self.ids[engine_id - 1]

    def engine_id(self, label: str) -> int | None:
        """The engine's number for an id of the file (None when absent)."""
        return self._numbers.get(label)

    @cached_property
    def _numbers(self) -> dict[str, int]:
        return {label: number for number, label in enumerate(self.ids, start=1)}


def read_tutors(
    path: str | Path, *, taxonomy: Taxonomy | None = None, gazetteer: Gazetteer | None = None
) -> Roster[Tutor]:
    """Read tutors; raise CsvError listing every bad cell."""
    tax = taxonomy or load_taxonomy()
    places = (lambda: gazetteer) if gazetteer else load_gazetteer

    def build(get: Cells, number: int) -> Tutor:
        lat, lon = _place(get, places)
        capacity = get("capacity", lambda s: read.whole_number(s, 1, 3), 1)
        free = get("free_slots", lambda s: read.whole_number(s, 0, capacity), capacity)
        return Tutor(
            id=number, lat=lat, lon=lon,
            max_km=get("max_km", lambda s: read.number(s, 0, 500), 0.0),
            capacity=capacity, free_slots=free,
            skills=get("skills", lambda s: read.skills(s, tax.codes), frozenset()),
            languages=get("languages", read.languages, {}),
            availability=get("availability", read.slots, 0),
            interests=get.text("interests"), gender=get("gender", read.gender),
            remote_ok=get("remote_ok", read.yes_no, False),
            documents=get("documents", lambda s: read.documents(s, tax.documents), {}),
        )  # fmt: skip

    return _read(Path(path), TUTOR_COLUMNS, TUTOR_REQUIRED, build)


def read_beneficiaries(
    path: str | Path,
    *,
    today: date,
    taxonomy: Taxonomy | None = None,
    gazetteer: Gazetteer | None = None,
) -> Roster[Beneficiary]:
    """Read beneficiaries (waiting since no later than `today`); raise CsvError if any is bad."""
    tax = taxonomy or load_taxonomy()
    places = (lambda: gazetteer) if gazetteer else load_gazetteer

    def build(get: Cells, number: int) -> Beneficiary:
        lat, lon = _place(get, places)
        languages = get("languages", read.languages, {})
        first = get("first_language", read.language)
        if first and languages and first not in languages:
            get.fail("first_language", Code.NOT_AMONG_LANGUAGES, value=get.text("first_language"))
        return Beneficiary(
            id=number, lat=lat, lon=lon,
            needs=get("needs", lambda s: read.needs(s, tax.codes), {}), languages=languages,
            first_language=first, availability=get("availability", read.slots, 0),
            waiting_since=get("waiting_since", lambda s: read.past_day(s, today), date.min),
            interests=get.text("interests"), gender=get("gender", read.gender),
            preferred_tutor_gender=get("preferred_tutor_gender", read.gender),
            remote_ok=get("remote_ok", read.yes_no, False),
        )  # fmt: skip

    return _read(Path(path), BENEFICIARY_COLUMNS, BENEFICIARY_REQUIRED, build)


def read_excluded(
    path: str | Path, tutors: Roster[Tutor], beneficiaries: Roster[Beneficiary]
) -> tuple[list[tuple[int, int]], list[RowError]]:
    """Read (beneficiary, tutor) pairs never to propose; warn about ids in neither file."""
    table = _table(Path(path))
    header, errors = check_header(table, EXCLUDE_COLUMNS, EXCLUDE_COLUMNS)
    errors = [error for error in errors if error.code != Code.NO_ROWS]  # nothing to exclude
    pairs, warnings = [], []
    if not errors:
        for get in rows(table, header, errors, EXCLUDE_COLUMNS):
            numbers = []
            for column, roster, kind in (
                ("beneficiary_id", beneficiaries, "beneficiary"),
                ("tutor_id", tutors, "tutor"),
            ):
                label = get.text(column)
                numbers.append(roster.engine_id(label))
                if label and numbers[-1] is None:
                    params = {"kind": kind, "value": label, "file": str(roster.path)}
                    warnings.append(RowError(get.line, column, Code.UNKNOWN_EXCLUDED_ID, params))
                elif not label:
                    get.fail(column, Code.REQUIRED)
            beneficiary, tutor = numbers
            if beneficiary is not None and tutor is not None:
                pairs.append((beneficiary, tutor))
    if errors:
        raise CsvError(Path(path), errors)
    return pairs, warnings


def _table(path: Path) -> Table:
    try:
        return read_table_file(path)
    except Problem as problem:
        line = problem.params.get("line")
        error = RowError(line if isinstance(line, int) else None, "", problem.code, problem.params)
        raise CsvError(path, [error]) from None


def _read(
    path: Path,
    known: Sequence[str],
    required: Sequence[str],
    build: Callable[[Cells, int], R],
) -> Roster[R]:
    table = _table(path)
    header, errors = check_header(table, known, required)
    if "municipality" not in header and not {"lat", "lon"} <= set(header):
        errors.append(RowError(1, "municipality", Code.NO_PLACE_COLUMN))
    if errors:
        raise CsvError(path, errors)
    roster: Roster[R] = Roster(path, [])
    first_line: dict[str, int] = {}
    for get in rows(table, header, errors, required):
        label = get("id", lambda s: read.text_at_most(s, ID_LENGTH), "")
        if label in first_line:
            get.fail("id", Code.DUPLICATE_ID, value=label, first_line=first_line[label])
        elif label:
            first_line[label] = get.line
        roster.records.append(build(get, len(roster.records) + 1))
        roster.ids.append(label)
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise CsvError(path, errors)
    return roster


def _place(get: Cells, gazetteer: Callable[[], Gazetteer]) -> tuple[float, float]:
    """Where a person lives: lat and lon (in the country), or a municipality's point."""
    if get.text("lat") or get.text("lon"):
        for given, missing in (("lat", "lon"), ("lon", "lat")):
            if not get.text(missing):
                get.fail(missing, Code.MISSING_COORDINATE, given=given, missing=missing)
                return 0.0, 0.0
        lat = get("lat", lambda s: read.number(s, -90, 90))
        lon = get("lon", lambda s: read.number(s, -180, 180))
        if lat is None or lon is None:
            return 0.0, 0.0
        if not gazetteer().contains(lat, lon):
            swapped = gazetteer().contains(lon, lat)
            get.fail("lat", Code.SWAPPED_COORDINATES if swapped else Code.OUTSIDE_COUNTRY,
                     lat=lat, lon=lon)  # fmt: skip
        return lat, lon
    if not get.text("municipality"):
        get.fail("municipality", Code.NO_PLACE)
        return 0.0, 0.0
    place = get("municipality", lambda s: gazetteer().resolve(s))
    return (place.lat, place.lon) if place else (0.0, 0.0)


def write_proposals(
    path: str | Path,
    result: MatchResult,
    tutors: Roster[Tutor],
    beneficiaries: Roster[Beneficiary],
) -> int:
    """Write assigned pairs, alternatives and unmatched beneficiaries (ids as the files gave
    them, in the beneficiaries' file order); return rows written."""
    header = [
        "beneficiary_id", "tutor_id", "status", "rank", "score", "gain", *COMPONENTS, "reasons",
    ]  # fmt: skip
    rows_written = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        by_beneficiary = {p.beneficiary_id: p for p in result.assignment}
        numbers = sorted({*by_beneficiary, *result.alternatives, *result.unmatched})
        for number in numbers:
            assigned = by_beneficiary.get(number)
            listed = ([assigned] if assigned else []) + result.alternatives.get(number, [])
            beneficiary = beneficiaries.label(number)
            if number in result.unmatched:
                writer.writerow(
                    [beneficiary, "", "unmatched", "", "", "", *[""] * len(COMPONENTS),
                     _reasons(result.unmatched[number])]
                )  # fmt: skip
                rows_written += 1
            for proposal in listed:
                status = "assigned" if proposal.rank == 0 else "alternative"
                writer.writerow(
                    [beneficiary, tutors.label(proposal.tutor_id), status, proposal.rank,
                     f"{proposal.score:.4f}", f"{proposal.gain:.4f}",
                     *(f"{proposal.components[c]:.4f}" for c in COMPONENTS),
                     _reasons(proposal.reasons)]
                )  # fmt: skip
                rows_written += 1
    return rows_written


def _reasons(reasons: list[Reason] | tuple[Reason, ...]) -> str:
    return " | ".join(str(reason) for reason in reasons)
