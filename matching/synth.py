"""Synthetic but realistic instances for the benchmark: people spread over Italy's
municipalities in proportion to population, a few km around each centroid, with skills,
languages, availability and interests drawn from plausible distributions."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from .gazetteer import load_gazetteer
from .model import SLOTS, Beneficiary, Tutor
from .taxonomy import load_taxonomy

# Relative demand for each integration path (needs) and supply (tutors' skills).
NEED_WEIGHT = {
    "housing": 5, "work": 6, "italian": 6, "documents": 5, "health": 3, "school": 2,
    "digital": 2, "money": 2, "mobility": 2, "social": 1, "legal": 2,
}  # fmt: skip
SKILL_WEIGHT = {
    "housing": 2, "work": 5, "italian": 6, "documents": 3, "health": 2, "school": 3,
    "digital": 4, "money": 2, "mobility": 2, "social": 4, "legal": 1,
}  # fmt: skip
# Beneficiaries' language profiles: (weight, first language, other languages with levels).
PROFILES = [
    (12, "ar", [("en", "A2")]), (6, "ar", [("fr", "B2")]), (5, "ti", [("ar", "B1"), ("en", "A2")]),
    (5, "so", [("ar", "A2"), ("en", "B1")]), (6, "fa", [("en", "B1")]), (3, "ps", [("fa", "B2")]),
    (8, "en", [("yo", "native")]), (6, "en", [("ig", "native")]), (6, "bn", [("en", "B1")]),
    (6, "ur", [("en", "B2"), ("pa", "native")]), (8, "uk", [("ru", "C1"), ("en", "B1")]),
    (5, "fr", [("bm", "native")]), (4, "fr", [("wo", "native")]), (3, "ff", [("fr", "B1")]),
    (3, "es", []), (3, "ka", [("ru", "B2")]), (2, "tr", [("en", "A2")]), (2, "sq", [("it", "B1")]),
]  # fmt: skip
ITALIAN_LEVELS = (["A1", "A2", "B1", "B2"], [0.3, 0.35, 0.25, 0.1])
TUTOR_EXTRA = [("en", 0.6, ["B1", "B2", "C1"]), ("fr", 0.25, ["A2", "B1", "B2"]),
               ("es", 0.12, ["A2", "B1", "B2"]), ("de", 0.08, ["A2", "B1"]),
               ("ar", 0.03, ["B1", "native"]), ("ru", 0.02, ["B2", "native"])]  # fmt: skip
INTERESTS = (  # noqa: SIM905
    "calcio cucina musica lettura escursioni cinema teatro fotografia giardinaggio pittura "
    "corsa ciclismo nuoto basket pallavolo scacchi danza chitarra informatica storia arte "
    "viaggi volontariato montagna mare yoga ballo cucito artigianato poesia film animali "
    "teatro canto pesca fumetti videogiochi natura"
).split()
MAX_KM = ([5, 10, 15, 20, 25, 30, 50], [0.1, 0.2, 0.2, 0.2, 0.1, 0.15, 0.05])


def _skills_by_path() -> tuple[list[str], np.ndarray, np.ndarray]:
    taxonomy = load_taxonomy()
    codes = [s.code for s in taxonomy.skills]
    need = np.array([NEED_WEIGHT.get(s.path, 1) for s in taxonomy.skills], dtype=float)
    offer = np.array([SKILL_WEIGHT.get(s.path, 1) for s in taxonomy.skills], dtype=float)
    return codes, need / need.sum(), offer / offer.sum()


def _places(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    places = load_gazetteer().municipalities
    population = np.array([max(m.population, 1) for m in places], dtype=float)
    pick = rng.choice(len(places), size=n, p=population / population.sum())
    lat = np.array([m.lat for m in places])[pick]
    lon = np.array([m.lon for m in places])[pick]
    radius = np.abs(rng.normal(0, 2.0, n))  # km around the centroid
    angle = rng.uniform(0, 2 * np.pi, n)
    lat = lat + radius * np.sin(angle) / 111.0
    lon = lon + radius * np.cos(angle) / (111.0 * np.cos(np.radians(lat)))
    return lat, lon


def _availability(rng: np.random.Generator, n: int, daytime: float) -> np.ndarray:
    parts = np.array([daytime, daytime, 0.45] * 5 + [0.35, 0.35, 0.2] * 2)
    bits = rng.random((n, len(SLOTS))) < parts
    return (bits * (1 << np.arange(len(SLOTS)))).sum(axis=1)


def _interests(rng: np.random.Generator) -> str:
    terms = rng.choice(INTERESTS, size=int(rng.integers(1, 5)), replace=False)
    return "Mi piace " + ", ".join(str(t) for t in terms)


def generate(
    n_beneficiaries: int, n_tutors: int, *, seed: int = 0, now: date | None = None
) -> tuple[list[Tutor], list[Beneficiary]]:
    """Return a reproducible synthetic instance of the given size."""
    rng = np.random.default_rng(seed)
    now = now or date(2025, 1, 1)
    codes, need_p, offer_p = _skills_by_path()
    tutors: list[Tutor] = []
    lat, lon = _places(rng, n_tutors)
    avail = _availability(rng, n_tutors, 0.2)
    capacity = rng.choice([1, 2, 3], size=n_tutors, p=[0.5, 0.35, 0.15])
    for i in range(n_tutors):
        skills = rng.choice(codes, size=int(rng.integers(2, 7)), replace=False, p=offer_p)
        languages = {"it": "native"} if rng.random() > 0.05 else {"it": "C1", "ro": "native"}
        for code, share, levels in TUTOR_EXTRA:
            if rng.random() < share:
                languages.setdefault(code, str(rng.choice(levels)))
        documents = {}
        if rng.random() < 0.45:
            documents["background_check"] = now + timedelta(days=int(rng.integers(-60, 365)))
        used = int(rng.random() < 0.2 and capacity[i] > 1)
        tutors.append(
            Tutor(
                id=i + 1, lat=float(lat[i]), lon=float(lon[i]),
                max_km=float(rng.choice(MAX_KM[0], p=MAX_KM[1])),
                capacity=int(capacity[i]), free_slots=int(capacity[i]) - used,
                skills=frozenset(str(s) for s in skills), languages=languages,
                availability=int(avail[i]), interests=_interests(rng),
                gender=str(rng.choice(["f", "m", "x"], p=[0.6, 0.38, 0.02])),
                remote_ok=bool(rng.random() < 0.3), documents=documents,
            )
        )  # fmt: skip
    beneficiaries: list[Beneficiary] = []
    lat, lon = _places(rng, n_beneficiaries)
    avail = _availability(rng, n_beneficiaries, 0.45)
    weights = np.array([p[0] for p in PROFILES], dtype=float)
    profile = rng.choice(len(PROFILES), size=n_beneficiaries, p=weights / weights.sum())
    for i in range(n_beneficiaries):
        _, first, others = PROFILES[profile[i]]
        languages = {first: "native", **dict(others)}
        if rng.random() > 0.05:
            languages.setdefault("it", str(rng.choice(ITALIAN_LEVELS[0], p=ITALIAN_LEVELS[1])))
        needs = rng.choice(codes, size=int(rng.integers(1, 5)), replace=False, p=need_p)
        gender = str(rng.choice(["m", "f", "x"], p=[0.65, 0.34, 0.01]))
        preferred = "f" if gender == "f" and rng.random() < 0.25 else None
        beneficiaries.append(
            Beneficiary(
                id=i + 1, lat=float(lat[i]), lon=float(lon[i]),
                needs={str(n): int(rng.integers(1, 4)) for n in needs},
                languages=languages, first_language=first, availability=int(avail[i]),
                waiting_since=now - timedelta(days=int(rng.exponential(90))),
                interests=_interests(rng), gender=gender, preferred_tutor_gender=preferred,
                remote_ok=bool(rng.random() < 0.35),
            )
        )  # fmt: skip
    return tutors, beneficiaries
