"""The flask CLI: users, places, demo data; bad input gets a message, never a traceback."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests import factories
from web.extensions import db
from web.models import Beneficiary, Place, TutorProfile, User


@pytest.fixture
def cli(app):
    return app.test_cli_runner()


def test_create_coordinator_prompts_for_the_password(cli):
    """Can an admin create a coordinator of Parma, typing the password twice?"""
    factories.territory()
    password = "a-long-enough-password"
    result = cli.invoke(
        args=[
            "create-user",
            "--role",
            "coordinator",
            "--email",
            "Carla@Example.org",
            "--territory",
            "pr",
        ],
        input=f"{password}\n{password}\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "carla@example.org"))
    assert user.role == "coordinator" and [t.code for t in user.territories] == ["PR"]
    assert user.check_password(password)


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (
            ["--role", "coordinator", "--email", "x@example.org", "--territory", "ZZ"],
            "long-enough-pass",
            "ZZ",
        ),
        (["--role", "coordinator", "--email", "x@example.org"], "long-enough-pass", "territor"),
        (["--role", "tutor", "--email", "not-an-email"], "long-enough-pass", "email"),
        (["--role", "tutor", "--email", "x@example.org"], "short", "12"),
        (["--role", "wizard", "--email", "x@example.org"], "long-enough-pass", "wizard"),
    ],
)
def test_create_user_bad_input_is_explained(cli, args, password, message):
    """Does each kind of bad input say what is wrong, with exit code != 0 and no traceback?"""
    factories.territory()
    result = cli.invoke(args=["create-user", *args], input=f"{password}\n{password}\n")
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_create_user_refuses_a_duplicate_email_in_any_case(cli):
    """Does a second account with the same email (other case) get refused clearly?"""
    factories.user("tutor", email="dup@example.org")
    result = cli.invoke(
        args=["create-user", "--role", "tutor", "--email", "DUP@example.org"],
        input="long-enough-pass\n" * 2,
    )
    assert result.exit_code != 0 and "Esiste già un account" in result.output


def test_seed_demo_is_idempotent(cli):
    """Does seed-demo create two territories with people once, and nothing the second time?"""
    first = cli.invoke(args=["seed-demo", "--tutors", "8", "--beneficiaries", "6"])
    assert first.exit_code == 0, first.output
    assert "coordinatore.parma@demo.tutormatch.example" in first.output
    counts = (
        db.session.scalar(select(func.count(TutorProfile.id))),
        db.session.scalar(select(func.count(Beneficiary.id))),
    )
    assert counts == (8, 6)
    second = cli.invoke(args=["seed-demo", "--tutors", "8", "--beneficiaries", "6"])
    assert "0 tutors, 0 beneficiaries created" in second.output
    assert db.session.scalar(select(func.count(TutorProfile.id))) == 8
    codes = set(db.session.scalars(select(Beneficiary.code)))
    assert {"PR-0001", "BG-0001"} <= codes


def test_places_load_is_idempotent(cli):
    """Does loading the gazetteer again add nothing and keep every municipality?"""
    result = cli.invoke(args=["places", "load"])
    assert result.exit_code == 0 and "0 added" in result.output
    assert db.session.scalar(select(func.count(Place.id))) > 7800


def test_taxonomy_check_reports_the_paths(cli):
    """Does the taxonomy check read the shipped file?"""
    result = cli.invoke(args=["taxonomy", "check"])
    assert result.exit_code == 0 and "11 paths" in result.output
