"""Fixtures for the matching engine's unit tests: plain records, no app, no database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from matching import Beneficiary, Tutor, Weights, load_weights
from tests.unit.match_factories import NOW, beneficiary, tutor


@pytest.fixture
def weights() -> Weights:
    return load_weights()


@pytest.fixture
def now() -> date:
    return NOW


@pytest.fixture
def make_tutor() -> Callable[..., Tutor]:
    return tutor


@pytest.fixture
def make_beneficiary() -> Callable[..., Beneficiary]:
    return beneficiary
