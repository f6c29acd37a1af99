"""One label per value of every vocabulary shown to people, in Italian and in English.

The values come from where the codes live: the models' value tuples, the engine's reason
codes and phases, the audit events the services record, the email templates.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator
from datetime import date

import pytest
from flask import Flask
from flask_babel import force_locale

import matching
from matching.explain import ALL_REASONS
from matching.synth import generate
from tests import factories
from tests.conftest import make_config
from tests.web.benef_helpers import sign_in
from tests.web.test_import import csv_bytes, upload
from tests.worker_process import ROOT
from web import create_app, models
from web.models.beneficiary import BENEFICIARY_STATUSES
from web.models.common import GENDERS, LEVELS, ROLES
from web.models.matching import MATCH_STATUSES, RUN_STATUSES
from web.models.notification import CANCEL_REASONS, NOTIFICATION_STATUSES
from web.models.tutor import TUTOR_STATUSES
from web.services import display, reasons
from web.services.decisions import REJECT_REASONS
from web.services.email_render import email_templates
from web.services.follow import OUTCOMES
from web.services.runs import ENGINE_PHASES, PHASES

PRIORITIES = (1, 2, 3)  # BeneficiaryNeed.priority: CHECK BETWEEN 1 AND 3
SAME_WORD = {"Tutor", "Email", "Account"}  # words Italian borrowed from English


@pytest.fixture(scope="module")
def ui() -> Iterator[Flask]:
    """An app to render labels in (no database needed)."""
    app = create_app(make_config("sqlite://"))
    with app.test_request_context():
        yield app


def labels(name: Callable, values: Iterable) -> dict[str, dict]:
    """Label every value in Italian and English."""
    found: dict[str, dict] = {"it": {}, "en": {}}
    for locale in found:
        with force_locale(locale):
            found[locale] = {value: name(value) for value in values}
    return found


def assert_words(name: Callable, values: Iterable, codes: Iterable = ()) -> None:
    """Each value has words in both languages: Italian ones, and English ones for codes.

    A code that is itself an English word ("native", "queued") may be its English label;
    a code such as "goals_reached" or "tutor.approved" may not.
    """
    found = labels(name, values)
    for value in found["it"]:
        italian, english = found["it"][value], found["en"][value]
        if value in codes:  # international codes are their own label
            assert italian == english == value
            continue
        plain_word = str(value).isalpha()
        assert italian and italian != str(value), f"{value}: no Italian label"
        assert english and (plain_word or english != str(value)), f"{value}: no English label"
        assert italian != english or italian in SAME_WORD, f"{value}: Italian is {italian!r}"


VOCABULARIES = {
    "level": (display.level, LEVELS, set(LEVELS) - {"native"}),
    "gender": (display.gender, GENDERS, ()),
    "priority": (display.priority, PRIORITIES, ()),
    "beneficiary status": (display.beneficiary_status, BENEFICIARY_STATUSES, ()),
    "match status": (display.match_status, MATCH_STATUSES, ()),
    "tutor status": (display.tutor_status, TUTOR_STATUSES, ()),
    "run status": (display.run_status, RUN_STATUSES, ()),
    "notification status": (display.notification_status, NOTIFICATION_STATUSES, ()),
    "cancel reason": (display.cancel_reason, CANCEL_REASONS, ()),
    "role": (display.role, ROLES, ()),
    "decision reason": (display.decision_reason, REJECT_REASONS, ()),
    "outcome": (display.outcome, OUTCOMES, ()),
    "email": (display.email, email_templates(), ()),
}


@pytest.mark.parametrize("vocabulary", sorted(VOCABULARIES))
def test_every_value_has_an_italian_and_an_english_label(ui, vocabulary):
    """Does each value of the vocabulary read as a word in both UI languages?"""
    name, values, codes = VOCABULARIES[vocabulary]
    assert_words(name, values, codes)


def test_native_is_madrelingua(ui):
    """Is the level `native` shown as «madrelingua» to Italian readers?"""
    with force_locale("it"):
        assert display.level("native") == "madrelingua"


def engine_phases() -> set[str]:
    """Run the engine on a small instance and collect every phase it reports or times."""
    tutors, people = generate(30, 12, seed=1)
    seen: set[str] = set()
    result = matching.match(
        tutors,
        people,
        weights=matching.load_weights(),
        now=date(2025, 1, 1),
        progress=lambda phase, fraction: seen.add(phase),
    )
    return seen | set(result.stats.phase_seconds) | {ENGINE_PHASES.get(p, p) for p in seen}


def test_every_run_phase_has_a_label(ui):
    """Is every phase a run page may show (progress, time per phase) named in words?"""
    assert_words(display.run_phase, engine_phases() | set(PHASES) | {"queued"})


def test_every_engine_reason_code_is_put_in_words(ui):
    """Does every reason code of the engine render as a sentence, not 'other reason'?"""
    found = labels(lambda code: reasons.render({"code": code, "params": {}}), ALL_REASONS)
    for code in ALL_REASONS:
        with force_locale("en"):
            fallback = reasons.render({"code": "no-such-code", "params": {}})
        assert found["en"][code] and found["en"][code] != fallback.replace("no-such-code", code)
        assert found["it"][code] != found["en"][code], code


def audit_calls() -> Iterator[ast.Call]:
    """Every audit.record(...) call in the web package."""
    for path in (ROOT / "web").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            func = node.func if isinstance(node, ast.Call) else None
            called = isinstance(func, ast.Attribute) and ast.unparse(func) == "audit.record"
            if called and isinstance(node, ast.Call):
                yield node


def test_every_audit_action_has_a_label(ui):
    """Does every action the services record (and shows in the audit log) have a label?"""
    actions, patterns = set(), []
    for call in audit_calls():
        first = call.args[0]
        if isinstance(first, ast.Constant):
            actions.add(first.value)
        else:  # f"match_{status}": some labelled action must fit it
            assert isinstance(first, ast.JoinedStr)
            prefix = "".join(p.value for p in first.values if isinstance(p, ast.Constant))
            patterns.append(prefix)
    unlabelled = {a for a in actions if a not in display.AUDIT_ACTION_LABELS}
    assert unlabelled == set(), "add them to web/services/vocabulary.py"
    for prefix in patterns:
        assert any(key.startswith(prefix) for key in display.AUDIT_ACTION_LABELS), prefix
    assert_words(display.audit_action, display.AUDIT_ACTION_LABELS)


def object_types(expression: ast.expr) -> set[str]:
    """The object types an audit.record argument may hold (constants, a choice, a table)."""
    if isinstance(expression, ast.Constant):
        return {expression.value}
    if isinstance(expression, ast.IfExp):
        return object_types(expression.body) | object_types(expression.orelse)
    assert ast.unparse(expression) == "model.__tablename__", ast.unparse(expression)
    return set()


def test_every_audit_object_type_has_a_label(ui):
    """Does every kind of object an audit event names have a label?"""
    kinds = set().union(*(object_types(call.args[1]) for call in audit_calls()))
    scoped = ("Beneficiary", "Match", "MatchRun", "Territory")  # get_in_scope_or_404 models
    kinds |= {getattr(models, name).__tablename__ for name in scoped}
    assert kinds - set(display.AUDIT_OBJECT_LABELS) == set()
    assert_words(display.audit_object, display.AUDIT_OBJECT_LABELS)


def test_import_preview_names_levels_and_priorities(client):
    """Does the import preview show «Alta» and «madrelingua», not 3 and native?"""
    sign_in(client, territories=[factories.territory()])
    assert upload(client, csv_bytes([{}])).status_code == 302
    row = client.get("/beneficiaries/import/preview").text.split("<tbody>")[1]
    assert "Scrivere il curriculum (Alta)" in row and "madrelingua" in row
