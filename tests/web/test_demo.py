"""The demo data (`make run`, `flask seed-demo`): a true history per territory, written once."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.web.test_pages import login
from web.extensions import db
from web.models import Match, MatchRun, Meeting, Notification, Territory, User
from web.services import follow, reports, tutor_matches, vetting
from web.services.demo import DEMO_PASSWORD, SeedReport, demo_accounts, seed_demo
from web.services.tasks import wait_for_inprocess_tasks


@pytest.fixture
def demo(app) -> SeedReport:
    """The full demo, as `make run` seeds it."""
    return seed_demo()


def coordinators() -> list[User]:
    """The demo's coordinators, one per territory."""
    return list(db.session.scalars(select(User).where(User.role == "coordinator")))


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table but the gazetteer."""
    return {
        table.name: [
            tuple(row)
            for row in db.session.execute(select(table).order_by(*table.primary_key.columns))
        ]
        for table in db.metadata.sorted_tables
        if table.name != "place"
    }


def test_seeding_again_creates_and_changes_nothing(demo):
    """Does a second seed-demo leave every row as the first one wrote it?"""
    assert (demo.runs, demo.tutors, demo.beneficiaries) == (4, 40, 30)
    assert demo.decisions > 0 and demo.meetings > 0
    before = snapshot()
    assert seed_demo() == SeedReport()
    db.session.expire_all()
    assert snapshot() == before


def test_each_territory_has_every_kind_of_history(demo):
    """Does each territory show a published run, proposals, every match stage and meetings?"""
    today = date.today()
    for coordinator in coordinators():
        (territory,) = coordinator.territories
        (figures,), _total = reports.dashboard(coordinator)
        assert figures.proposed >= 1, f"{territory.code}: no proposal waiting for review"
        assert figures.active >= 2 and figures.ended >= 1, territory.code
        assert figures.waiting >= 1, f"{territory.code}: nobody left unmatched"
        assert figures.tutors_active >= 1 and vetting.vetting_queue(coordinator), territory.code
        followed = follow.open_matches(territory.id)
        assert {f.match.status for f in followed} == {"approved", "active"}, territory.code
        assert any(f.flagged for f in followed), f"{territory.code}: no follow-up flag"
        assert any(f.meetings and not f.flagged for f in followed), territory.code
        ended = matches_of(territory, "ended")
        assert ended and all(m.outcome in follow.OUTCOMES for m in ended), territory.code
        row, _total_row = reports.funder_report(coordinator, date(today.year, 1, 1), today)
        assert row.meetings > 0 and row.hours > 0, f"{territory.code}: no meeting this year"
        latest = db.session.scalars(
            select(MatchRun).where(MatchRun.territory_id == territory.id).order_by(MatchRun.id)
        ).all()[-1]
        assert latest.status == "published"
        # The people left unmatched have the engine's reasons, in codes the pages translate.
        unmatched = latest.stats["unmatched"]
        assert unmatched and all(reasons and reasons[0]["code"] for _id, reasons in unmatched)


def matches_of(territory: Territory, status: str) -> list[Match]:
    """The territory's matches in a status."""
    return [
        match
        for match in db.session.scalars(select(Match).where(Match.status == status))
        if match.beneficiary.territory_id == territory.id
    ]


def test_the_history_reads_in_order(demo):
    """Registered, run, decided, accepted, met, ended: are the dates in that order, all past?"""
    today = date.today()
    for run in db.session.scalars(select(MatchRun)):
        assert run.created_at <= run.started_at <= run.finished_at <= run.published_at
        assert run.published_at.date() < today
    decided = db.session.scalars(select(Match).where(Match.decided_by_id.is_not(None)))
    for match in decided:
        assert match.run is not None and match.decided_at is not None
        assert match.beneficiary.waiting_since <= match.run.created_at.date()
        assert match.run.published_at < match.decided_at
        if match.accepted_at is not None:
            assert match.decided_at < match.accepted_at
        last_day = match.ended_at.date() if match.ended_at else today
        for meeting in match.meetings:
            assert match.accepted_at is not None
            assert match.accepted_at.date() < meeting.held_on <= last_day
            assert meeting.created_at.date() == meeting.held_on  # logged that evening
    assert db.session.scalar(select(Meeting.id)) is not None


def test_emails_written_while_seeding_are_kept_never_sent(app, client, demo):
    """Do the history's emails (approvals, answers) stay in the outbox, cancelled, unsent,
    and does the admin's outbox call them demo history (not "the person opted out")?"""
    wait_for_inprocess_tasks(app)
    emails = db.session.scalars(select(Notification)).all()
    assert {email.template for email in emails} >= {
        "match_approved_tutor",
        "match_answer_to_coordinator",
        "match_ended_tutor",
    }
    assert {(email.status, email.sent_at) for email in emails} == {("cancelled", None)}
    assert {(email.cancel_reason, email.last_error) for email in emails} == {("demo_history", None)}
    assert login(client, "admin@demo.tutormatch.example", DEMO_PASSWORD).status_code == 302
    outbox = client.get("/admin/notifications").text
    assert "Annullata (storico della demo, mai inviata)" in outbox
    assert "chiesto di non ricever" not in outbox


def test_demo_territories_name_a_contact_without_overwriting_one_set_by_hand(app):
    """Does each demo territory name a contact (emails then name a person), also on an
    install seeded before contacts existed, while a contact set on the settings page stays?"""
    parma = Territory(code="PR", name="Parma", region="Emilia-Romagna", weights={})
    bergamo = Territory(code="BG", name="Bergamo", region="Lombardia", weights={})
    bergamo.contact_name, bergamo.contact_email = "Ufficio Bergamo", "ufficio@bergamo.example"
    db.session.add_all([parma, bergamo])
    db.session.commit()
    seed_demo(tutors=0, beneficiaries=0)
    db.session.expire_all()
    assert (parma.contact_name, parma.contact_phone) == ("Chiara Ferrari", "+39 0521 123456")
    assert parma.contact_email.endswith("@demo.tutormatch.example")
    assert (bergamo.contact_name, bergamo.contact_phone) == ("Ufficio Bergamo", None)


def test_demo_logins_lead_to_tutors_with_and_without_a_match(client, demo):
    """Do the printed logins name a tutor with an active match and one without, all working?"""
    accounts = demo_accounts()
    assert [a.role for a in accounts].count("coordinator") == 2
    tutors = {account.note: account.email for account in accounts if account.role == "tutor"}
    expected = {
        "with an active match": {"active"},
        "with a match to answer": {"approved"},
        "vetted, without a match": set(),
    }
    for note, statuses in expected.items():
        profile = db.session.scalar(select(User).where(User.email == tutors[note])).tutor_profile
        assert profile.status == "active"
        shown = {m.status for m in tutor_matches.matches_for(profile)}
        assert statuses <= shown and (statuses or not shown), note
    for account in accounts:
        reply = login(client, account.email, DEMO_PASSWORD)
        assert reply.status_code == 302 and reply.headers["Location"].endswith("/home")
        client.post("/logout")
