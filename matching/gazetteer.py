"""Italian municipalities (config/data/comuni.csv.gz): names as people write them, to places.

One resolution serves the command line, the web import, the forms and the autocomplete:
case, accents, apostrophes and hyphens do not matter ("Forli'" is Forlì), each half of a
bilingual name counts ("Bolzano", "Bozen"), and so does a name without its linking words
("Reggio Emilia" is Reggio nell'Emilia). An unknown name gets the closest names.
"""

from __future__ import annotations

import bisect
import csv
import difflib
import gzip
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from .problems import Code, Problem
from .taxonomy import CONFIG_DIR

GAZETTEER_FILE = CONFIG_DIR / "data" / "comuni.csv.gz"
GAZETTEER_COLUMNS = (
    "istat_code", "name", "province_code", "province_name", "region", "lat", "lon", "population",
)  # fmt: skip
# Words people leave out: "Reggio di Calabria" is "Reggio Calabria" to most.
LINKING_WORDS = frozenset((
    "d", "di", "de", "del", "dei", "degli", "della", "delle", "dello", "nel", "nell", "nella",
    "nelle", "nello", "nei", "negli", "in", "sul", "sull", "sulla", "sulle", "sullo",
))  # fmt: skip
MARGIN_DEGREES = 0.5  # around the municipalities' points: homes near a border are still in


class GazetteerError(ValueError):
    """The gazetteer file is missing or malformed (the message names the line)."""


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

    @property
    def label(self) -> str:
        """The name a person recognises: "Fidenza (PR)"."""
        return f"{self.name} ({self.province_code})"


def name_key(text: str) -> str:
    """Fold a name for comparison: "Forli'", "FORLÌ" and "forli" give "forli"."""
    plain = unicodedata.normalize("NFKD", text)
    letters = "".join(ch if ch.isalnum() else " " for ch in plain if not unicodedata.combining(ch))
    return " ".join(letters.casefold().split())


def other_keys(name: str) -> set[str]:
    """The other names people use: each half of "Bolzano/Bozen", names without linking words."""
    keys = {name_key(part) for part in name.split("/")} if "/" in name else set()
    for key in [name_key(name), *keys]:
        keys.add(" ".join(word for word in key.split() if word not in LINKING_WORDS))
    return keys - {name_key(name), ""}


class Gazetteer:
    """Look municipalities up by ISTAT code, name, other name, or "Name (PR)"."""

    def __init__(self, municipalities: list[Municipality]) -> None:
        self.municipalities = municipalities
        self.by_code = {m.istat_code: m for m in municipalities}
        self.by_name: dict[str, list[Municipality]] = {}
        self.by_other_name: dict[str, list[Municipality]] = {}
        for m in municipalities:
            self.by_name.setdefault(name_key(m.name), []).append(m)
            for key in other_keys(m.name):
                self.by_other_name.setdefault(key, []).append(m)

    def resolve(self, text: str) -> Municipality:
        """Return the municipality meant by `text`; raise Problem saying why not."""
        written = " ".join(text.split())
        if written.isdigit():
            found = self.by_code.get(written.zfill(6))
            if found is None:
                raise Problem(Code.UNKNOWN_ISTAT_CODE, value=written)
            return found
        name, province = written, ""
        if written.endswith(")") and "(" in written:
            name, _, province = written[:-1].rpartition("(")
            province = province.strip().upper()
        key = name_key(name)
        matches = [
            m
            for m in self.by_name.get(key) or self.by_other_name.get(key, [])
            if m.province_code == province or not province
        ]
        if not matches:
            raise Problem(Code.UNKNOWN_PLACE, value=written, suggestions=self.suggestions(name))
        if len(matches) > 1:
            options = sorted(m.label for m in matches)
            raise Problem(Code.AMBIGUOUS_PLACE, value=written, options=options)
        return matches[0]

    def search(self, query: str, limit: int = 10, words: bool = True) -> list[Municipality]:
        """Names starting with `query` (exact first, larger first), then (with `words`) names
        with a later word starting with it: the autocomplete."""
        key = name_key(query)
        if not key:
            return []
        starts = self._starting(self._names, key)
        later = self._starting(self._word_starts, key) - starts if words else set()
        found: list[Municipality] = []
        for group in (starts, later):
            found += sorted(
                (self.municipalities[i] for i in group),
                key=lambda m: (key not in self._keys_of(m), -m.population, m.name, m.istat_code),
            )
        return found[:limit]

    def suggestions(self, text: str, limit: int = 3) -> list[str]:
        """The labels of the names closest to an unknown one."""
        key = name_key(text)
        close = difflib.get_close_matches(key, self._all_keys, n=10, cutoff=0.8)
        similar = [m for name in close for m in self.by_name.get(name) or self.by_other_name[name]]
        similar.sort(key=lambda m: (-_similarity(key, m), -m.population))
        labels = [m.label for m in [*self.search(text, limit, words=False), *similar]]
        return list(dict.fromkeys(labels))[:limit]

    def contains(self, lat: float, lon: float) -> bool:
        """Tell whether a point lies in the country of the gazetteer (its box, with a margin)."""
        south, north, west, east = self._bounds
        return south <= lat <= north and west <= lon <= east

    @cached_property
    def _bounds(self) -> tuple[float, float, float, float]:
        lats = [m.lat for m in self.municipalities]
        lons = [m.lon for m in self.municipalities]
        return (
            min(lats) - MARGIN_DEGREES,
            max(lats) + MARGIN_DEGREES,
            min(lons) - MARGIN_DEGREES,
            max(lons) + MARGIN_DEGREES,
        )

    def _keys_of(self, municipality: Municipality) -> set[str]:
        return {name_key(municipality.name), *other_keys(municipality.name)}

    @cached_property
    def _all_keys(self) -> list[str]:
        return [*self.by_name, *self.by_other_name]

    @cached_property
    def _names(self) -> list[tuple[str, int]]:
        """Every name and other name, sorted, with the municipality's index."""
        entries = []
        for index, m in enumerate(self.municipalities):
            entries += [(key, index) for key in self._keys_of(m)]
        return sorted(entries)

    @cached_property
    def _word_starts(self) -> list[tuple[str, int]]:
        """Every name from its second word on ("emilia" of "reggio nell emilia"), sorted."""
        entries = []
        for index, m in enumerate(self.municipalities):
            for key in self._keys_of(m):
                words = key.split()
                entries += [(" ".join(words[at:]), index) for at in range(1, len(words))]
        return sorted(entries)

    @staticmethod
    def _starting(entries: list[tuple[str, int]], prefix: str) -> set[int]:
        found = set()
        for key, index in entries[bisect.bisect_left(entries, (prefix, -1)) :]:
            if not key.startswith(prefix):
                break
            found.add(index)
        return found


def _similarity(key: str, municipality: Municipality) -> float:
    names = {name_key(municipality.name), *other_keys(municipality.name)}
    return max(difflib.SequenceMatcher(None, key, name).ratio() for name in names)


def read_municipalities(path: str | Path = GAZETTEER_FILE) -> Iterator[Municipality]:
    """Yield the rows of a gazetteer file, checked; GazetteerError names a bad line."""
    try:
        with gzip.open(path, "rb") if str(path).endswith(".gz") else open(path, "rb") as handle:
            raw = handle.read()
    except (OSError, EOFError) as exc:
        raise GazetteerError(f"{path}: cannot read the gazetteer: {exc}") from exc
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8"), newline=""))
    if tuple(reader.fieldnames or ()) != GAZETTEER_COLUMNS:
        raise GazetteerError(f"{path}:1: expected columns {','.join(GAZETTEER_COLUMNS)}")
    for line, row in enumerate(reader, start=2):
        try:
            yield Municipality(
                istat_code=row["istat_code"],
                name=row["name"],
                province_code=row["province_code"],
                province_name=row["province_name"],
                region=row["region"],
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                population=int(row["population"] or 0),
            )
        except (TypeError, ValueError) as exc:
            raise GazetteerError(f"{path}:{line}: {exc}") from exc


def load_gazetteer(path: str | Path | None = None) -> Gazetteer:
    """Read the gazetteer file once per process (config/data/comuni.csv.gz by default)."""
    return _load(str(path or GAZETTEER_FILE))


@cache
def _load(path: str) -> Gazetteer:
    return Gazetteer(list(read_municipalities(path)))
