"""Italian municipalities (config/data/comuni.csv.gz): names and ISTAT codes to coordinates."""

from __future__ import annotations

import csv
import gzip
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .taxonomy import CONFIG_DIR

GAZETTEER_FILE = CONFIG_DIR / "data" / "comuni.csv.gz"


@dataclass(frozen=True)
class Municipality:
    """One comune with its centroid and population."""

    istat_code: str
    name: str
    province_code: str
    province_name: str
    region: str
    lat: float
    lon: float
    population: int


def _fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced form used to compare names."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(plain.replace("’", "'").lower().split())


class Gazetteer:
    """Look municipalities up by ISTAT code, name, or "Name (PR)" when a name is ambiguous."""

    def __init__(self, municipalities: list[Municipality]) -> None:
        self.municipalities = municipalities
        self.by_code = {m.istat_code: m for m in municipalities}
        self.by_name: dict[str, list[Municipality]] = {}
        for m in municipalities:
            self.by_name.setdefault(_fold(m.name), []).append(m)

    def resolve(self, text: str) -> Municipality:
        """Return the municipality meant by `text`; raise LookupError saying why not."""
        key = text.strip()
        if key.isdigit():
            found = self.by_code.get(key.zfill(6))
            if found is None:
                raise LookupError(f"no municipality has ISTAT code {key}")
            return found
        province = None
        if key.endswith(")") and "(" in key:
            key, _, province = key[:-1].rpartition("(")
            province = province.strip().upper()
        matches = self.by_name.get(_fold(key), [])
        if province:
            matches = [m for m in matches if m.province_code == province]
        if not matches:
            raise LookupError(f"unknown municipality {text.strip()!r}")
        if len(matches) > 1:
            options = ", ".join(f"{m.name} ({m.province_code})" for m in matches)
            raise LookupError(f"ambiguous municipality {text.strip()!r}: write one of {options}")
        return matches[0]


def load_gazetteer(path: str | Path | None = None) -> Gazetteer:
    """Read the gazetteer file (config/data/comuni.csv.gz by default)."""
    return _load(str(path or GAZETTEER_FILE))


@cache
def _load(path: str) -> Gazetteer:
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        rows = [
            Municipality(
                istat_code=row["istat_code"],
                name=row["name"],
                province_code=row["province_code"],
                province_name=row["province_name"],
                region=row["region"],
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                population=int(row["population"] or 0),
            )
            for row in csv.DictReader(handle)
        ]
    return Gazetteer(rows)
