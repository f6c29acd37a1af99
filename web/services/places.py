"""Load the offline gazetteer and search it for autocomplete."""

from __future__ import annotations

import csv
import gzip
import io
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import insert, or_, select

from config import DATA_DIR
from web.extensions import db
from web.models import Place

GAZETTEER_FILE = DATA_DIR / "comuni.csv.gz"
GAZETTEER_COLUMNS = (
    "istat_code",
    "name",
    "province_code",
    "province_name",
    "region",
    "lat",
    "lon",
    "population",
)


class GazetteerError(ValueError):
    """The gazetteer file is missing or malformed (message names the line)."""


def search_key(text: str) -> str:
    """Fold a place name to lower-case ASCII: "Forlì" and "forli" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(ascii_only.casefold().replace("’", "'").split())


def read_gazetteer(path: Path = GAZETTEER_FILE) -> Iterator[dict]:
    """Yield validated rows of the gazetteer file."""
    try:
        with gzip.open(path, "rb") as compressed:
            raw = compressed.read()
    except (OSError, EOFError) as exc:
        raise GazetteerError(f"{path}: cannot read the gazetteer: {exc}") from exc
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8")))
    if tuple(reader.fieldnames or ()) != GAZETTEER_COLUMNS:
        raise GazetteerError(f"{path}:1: expected columns {','.join(GAZETTEER_COLUMNS)}")
    for line, row in enumerate(reader, start=2):
        try:
            yield {
                "istat_code": row["istat_code"],
                "name": row["name"],
                "search_key": search_key(row["name"]),
                "province_code": row["province_code"],
                "province_name": row["province_name"],
                "region": row["region"],
                "country": "IT",
                "lat": float(row["lat"]),
                "lon": float(row["lon"]),
                "population": int(row["population"] or 0),
            }
        except (TypeError, ValueError) as exc:
            raise GazetteerError(f"{path}:{line}: {exc}") from exc


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


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_places(query: str, limit: int = 10) -> list[Place]:
    """Return the best matches for a name prefix: names first, then word starts; larger first."""
    key = search_key(query)
    if not key:
        return []
    prefix = _like_escape(key)
    starts = Place.search_key.like(f"{prefix}%", escape="\\")
    inner_word = or_(
        Place.search_key.like(f"% {prefix}%", escape="\\"),
        Place.search_key.like(f"%'{prefix}%", escape="\\"),
        Place.search_key.like(f"%-{prefix}%", escape="\\"),
        Place.search_key.like(f"%/{prefix}%", escape="\\"),
    )
    order = (Place.population.desc(), Place.name, Place.id)
    found = list(db.session.scalars(select(Place).where(starts).order_by(*order).limit(limit)))
    if len(found) < limit:
        seen = [place.id for place in found]
        found += db.session.scalars(
            select(Place)
            .where(inner_word, Place.id.not_in(seen) if seen else True)
            .order_by(*order)
            .limit(limit - len(found))
        )
    return found


def place_by_label(label: str) -> Place | None:
    """Find the place a form submitted: an ISTAT code or "Name (PR)" as shown by autocomplete."""
    text = label.strip()
    if text.isdigit():
        return db.session.scalar(select(Place).where(Place.istat_code == text.zfill(6)))
    name, _, province = text.rpartition(" (")
    if province.endswith(")") and len(province) == 3:
        return db.session.scalar(
            select(Place).where(
                Place.search_key == search_key(name), Place.province_code == province[:2].upper()
            )
        )
    matches = list(
        db.session.scalars(select(Place).where(Place.search_key == search_key(text)).limit(2))
    )
    return matches[0] if len(matches) == 1 else None
