"""Weights and taxonomy loading."""

from __future__ import annotations

import pytest

from matching import COMPONENTS, load_taxonomy, load_weights


def test_default_weights_are_normalised() -> None:
    """Do the default component weights sum to 1, so that scores stay in [0, 1]?"""
    weights = load_weights()
    assert sum(weights.component_weights.values()) == pytest.approx(1.0)
    assert weights.min_level == "A2"
    assert weights.italian_min_level == "A1"
    assert weights.top_k == 3


@pytest.mark.parametrize(
    "overrides",
    [
        {"need_coverage": 3.0},
        {"components": {"need_coverage": 3.0}},
        {"components.need_coverage": 3.0},
    ],
)
def test_overrides_flat_or_nested(overrides: dict) -> None:
    """Can a territory override a weight by name, by section, or by dotted key?"""
    weights = load_weights(overrides=overrides)
    assert weights.need_coverage > load_weights().need_coverage
    assert sum(weights.component_weights[c] for c in COMPONENTS) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"nonsense": 1}, "unknown weight"),
        ({"min_level": "Z9"}, "min_level"),
        ({"italian_min_level": "Z9"}, "italian_min_level"),
        ({"italian_min_level": "a1"}, "italian_min_level"),
        ({"italian_min_level": 1}, "italian_min_level"),
        ({"italian_min_level": None}, "italian_min_level"),
        ({"language.italian_min_level": ["A1"]}, "italian_min_level"),
        ({"min_level": ["A2"]}, "min_level"),
        ({"proximity": -1}, "≥ 0"),
        ({"top_k": 0}, "whole number"),
        ({"decay_km": 0}, "> 0"),
        ({"language": "high"}, "expected a number"),
    ],
)
def test_bad_overrides_are_refused(overrides: dict, message: str) -> None:
    """Is a bad weight refused with a message naming it?"""
    with pytest.raises(ValueError, match=message):
        load_weights(overrides=overrides)


def test_weights_file_roundtrip(tmp_path) -> None:
    """Does a custom TOML file replace the defaults it names?"""
    path = tmp_path / "w.toml"
    path.write_text(
        '[assignment]\nmin_score = 0.5\n[language]\nmin_level = "B1"\nitalian_min_level = "A2"\n'
    )
    weights = load_weights(path)
    assert weights.min_score == 0.5
    assert weights.min_rank == 3
    assert weights.to_dict()["min_level"] == "B1"
    assert weights.to_dict()["italian_min_level"] == "A2"
    assert weights.usable_rank("it") == 2 and weights.usable_rank("ar") == 3


def test_taxonomy_reads_remote_and_documents() -> None:
    """Does the taxonomy expose skill codes, remote help and required documents?"""
    taxonomy = load_taxonomy()
    assert "housing_search" in taxonomy.codes
    assert "work_cv" in taxonomy.remote_ok and "housing_search" not in taxonomy.remote_ok
    assert taxonomy.requires_document == {"school_homework": "background_check"}
    assert "background_check" in taxonomy.documents
    assert "italian_conversation" in taxonomy.italian_skills
