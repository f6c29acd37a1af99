"""Load the offline gazetteer and search it for autocomplete."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

from sqlalchemy import insert, select

from config import DATA_DIR
from matching.gazetteer import load_gazetteer, name_key, read_municipalities
from matching.problems import Problem
from web.extensions import db
from web.models import Place

GAZETTEER_FILE = DATA_DIR / "comuni.csv.gz"


def read_gazetteer(path: Path = GAZETTEER_FILE) -> Iterator[dict]:
    """Yield the gazetteer's rows as Place columns (the file is checked as it is read)."""
    for municipality in read_municipalities(path):
        row = asdict(municipality)
        yield {**row, "search_key": name_key(row["name"]), "country": "IT"}


def load_places(path: Path = GAZETTEER_FILE) -> tuple[int, int]:
    """Insert new municipalities and update changed ones; return (added, updated)."""
    existing = {place.istat_code: place for place in db.session.scalars(select(Place))}
    new_rows, updated = [], 0
    for row in read_gazetteer(path):
        place = existing.get(row["istat_code"])
        if place is None:
            new_rows.append(row)
            continue
        changed = False
        for field, value in row.items():
            if getattr(place, field) != value:
                setattr(place, field, value)
                changed = True
        updated += changed
    if new_rows:
        db.session.execute(insert(Place), new_rows)
    db.session.commit()
    return len(new_rows), updated


def places_loaded() -> bool:
    """Tell whether the gazetteer has been loaded."""
    return db.session.scalar(select(Place.id).limit(1)) is not None


def search_places(query: str, limit: int = 10) -> list[Place]:
    """Return the best matches for what a person types, as the command line resolves names:
    names (and other names: "Reggio Emilia", "Bozen") starting with it, then word starts."""
    codes = [m.istat_code for m in load_gazetteer().search(query, limit)]
    if not codes:
        return []
    found = {
        p.istat_code: p
        for p in db.session.scalars(select(Place).where(Place.istat_code.in_(codes)))
    }
    return [found[code] for code in codes if code in found]


def place_by_label(label: str) -> Place | None:
    """Find the place a form submitted: "Name (PR)" as autocomplete shows it, a name people
    use ("Reggio Emilia") or an ISTAT code; None when unknown or ambiguous."""
    try:
        municipality = load_gazetteer().resolve(label)
    except Problem:
        return None
    return place_for(municipality.istat_code)


def place_for(istat_code: str) -> Place | None:
    """The loaded place with an ISTAT code."""
    return db.session.scalar(select(Place).where(Place.istat_code == istat_code))
