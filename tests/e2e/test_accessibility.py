"""axe-core on the main page of each role, on a 390 px phone and a 1280 px desktop."""

from __future__ import annotations

from tests import factories
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.pages import app_context, open_menu, serious_violations, sign_in
from web.extensions import db
from web.models import MatchRun
from web.services import decisions, runs


def seed_programme(server) -> dict:
    """A territory with a published run, proposals, a match and a tutor to vet."""
    with app_context(server):
        parma = factories.territory()
        coordinator = factories.user("coordinator", territories=[parma], full_name="Carla")
        admin = factories.user("admin", full_name="Ada")
        matched = factories.tutor(parma, display_name="Giulia Rossi")
        for name in ("Marco Bianchi", "Sara Greco"):
            factories.tutor(parma, display_name=name, max_travel_km=30)
        factories.tutor(parma, display_name="Paolo Neri", status="pending")
        people = [factories.beneficiary(parma, first_name=n) for n in ("Yonas", "Amina", "Omar")]
        match = decisions.match_by_hand(people[0], matched, coordinator.id, "Same street.")
        run = runs.create_run(parma, coordinator.id)
        db.session.commit()
        runs.execute_run(run.id)
        runs.publish_run(db.session.get(MatchRun, run.id))  # its page still shows the result
        return {
            "territory": parma.id,
            "coordinator": coordinator.email,
            "admin": admin.email,
            "tutor": matched.user.email,
            "match": match.id,
            "beneficiary": people[1].id,
            "run": run.id,
        }


def blocking_violations(page, paths: list[str]) -> list[str]:
    """Visit each path at phone and desktop width; describe serious and critical violations."""
    found = []
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        for path in paths:
            reply = page.goto(path)
            assert reply is not None and reply.status == 200, f"{path}: {reply and reply.status}"
            open_menu(page)  # on a phone: check the folded links too
            found += [f"{viewport['width']} px {path}: {v}" for v in serious_violations(page)]
    return found


def test_anonymous_pages_have_no_serious_accessibility_violation(open_page):
    """Do the landing, sign-up and login pages pass axe-core at both widths?"""
    page = open_page()
    assert blocking_violations(page, ["/", "/signup", "/login"]) == []


def role_pages(seeded: dict) -> dict[str, list[str]]:
    """The main pages of each signed-in role, with ids from the seeded programme."""
    territory, match = seeded["territory"], seeded["match"]
    return {
        "tutor": ["/tutor/", "/tutor/profile/skills", "/tutor/matches", f"/tutor/matches/{match}"],
        "coordinator": [
            "/dashboard",
            "/beneficiaries",
            f"/beneficiaries/{seeded['beneficiary']}",
            "/runs/",
            f"/runs/territory/{territory}",
            f"/proposals/territory/{territory}",
            f"/runs/{seeded['run']}",
            f"/matches/{match}",
            "/vetting/",
        ],
        "admin": ["/admin/notifications"],
    }


def test_each_roles_main_pages_have_no_serious_accessibility_violation(open_page, live_server):
    """Do the tutor's, coordinator's and admin's main pages pass axe-core at both widths?"""
    seeded = seed_programme(live_server)
    found = {}
    for role, paths in role_pages(seeded).items():
        page = open_page()  # one browser context per role, signed in once
        sign_in(page, seeded[role])
        found[role] = blocking_violations(page, paths)
    assert found == {"tutor": [], "coordinator": [], "admin": []}
