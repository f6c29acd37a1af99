"""Matching weights and parameters: defaults in config/weights.toml, overridable per territory."""

from __future__ import annotations

import dataclasses
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import ITALIAN, LEVEL_RANK
from .taxonomy import CONFIG_DIR

WEIGHTS_FILE = CONFIG_DIR / "weights.toml"
COMPONENTS = ("need_coverage", "language", "proximity", "availability", "interests")


@dataclass(frozen=True)
class Weights:
    """Component weights (normalised to sum 1) and the engine's parameters."""

    need_coverage: float = 0.40
    language: float = 0.20
    proximity: float = 0.15
    availability: float = 0.15
    interests: float = 0.10
    waiting_weight: float = 0.25
    waiting_horizon_days: float = 365.0
    min_level: str = "A2"
    italian_min_level: str = "A1"
    first_language_bonus: float = 0.30
    italian_practice_share: float = 0.30
    decay_km: float = 10.0
    remote_max_km: float = 60.0
    target_slots: int = 3
    min_score: float = 0.20
    top_k: int = 3
    candidates_per_beneficiary: int = 12
    candidates_per_tutor: int = 12

    @property
    def component_weights(self) -> dict[str, float]:
        """Component name -> weight, in COMPONENTS order."""
        return {name: getattr(self, name) for name in COMPONENTS}

    @property
    def min_rank(self) -> int:
        """The minimum usable language level as a number (A1=1 … native=7)."""
        return LEVEL_RANK[self.min_level]

    def usable_rank(self, language: str) -> int:
        """The lowest level rank at which a language counts as shared by a pair: `min_level`
        for every language, and for Italian also `italian_min_level` when lower.

        The one rule of language feasibility; `score.language_pairs_ok` applies it to arrays.
        """
        if language == ITALIAN:
            return min(self.min_rank, LEVEL_RANK[self.italian_min_level])
        return self.min_rank

    def to_dict(self) -> dict[str, Any]:
        """Return the weights as a flat dict (what a match run stores)."""
        return dataclasses.asdict(self)


_FIELDS = {f.name: f for f in dataclasses.fields(Weights)}
_LEVELS = {"min_level", "italian_min_level"}
_INTEGERS = {"target_slots", "top_k", "candidates_per_beneficiary", "candidates_per_tutor"}


def load_weights(
    path: str | Path | None = None, overrides: Mapping[str, Any] | None = None
) -> Weights:
    """Read weights from TOML (config/weights.toml by default), then apply overrides."""
    with open(path or WEIGHTS_FILE, "rb") as handle:
        values = _flatten(tomllib.load(handle), str(path or WEIGHTS_FILE))
    if overrides:
        values.update(_flatten(overrides, "overrides"))
    return _build(values)


def _flatten(data: Mapping[str, Any], source: str) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, Mapping):
            flat.update(_flatten(value, source))
        else:
            name = key.rpartition(".")[2]
            if name not in _FIELDS:
                raise ValueError(f"{source}: unknown weight {key!r}")
            flat[name] = value
    return flat


def _build(values: dict[str, Any]) -> Weights:
    clean: dict[str, Any] = {}
    for name, value in values.items():
        if name in _LEVELS:
            if not isinstance(value, str) or value not in LEVEL_RANK:
                raise ValueError(f"{name}: {value!r} is not one of {', '.join(LEVEL_RANK)}")
            clean[name] = value
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{name}: expected a number, got {value!r}")
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"{name}: must be a finite number ≥ 0, got {value!r}")
        if name in _INTEGERS:
            if value != int(value) or value < 1:
                raise ValueError(f"{name}: expected a whole number ≥ 1, got {value!r}")
            value = int(value)
        clean[name] = float(value) if name not in _INTEGERS else value
    for name in ("first_language_bonus", "italian_practice_share", "min_score"):
        if clean.get(name, 0.0) > 1:
            raise ValueError(f"{name}: must be between 0 and 1")
    for name in ("decay_km", "waiting_horizon_days"):
        if name in clean and clean[name] <= 0:
            raise ValueError(f"{name}: must be > 0")
    merged = {**dataclasses.asdict(Weights()), **clean}
    total = sum(merged[name] for name in COMPONENTS)
    if total <= 0:
        raise ValueError("component weights must not all be zero")
    for name in COMPONENTS:
        merged[name] = merged[name] / total
    merged["candidates_per_beneficiary"] = max(
        merged["candidates_per_beneficiary"], merged["top_k"] + 1
    )
    return Weights(**merged)
