"""Dates, times and numbers on the coordinator's and admin's pages, as each language writes them."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from tests import factories
from tests.web.matching_helpers import login
from web.extensions import db
from web.models import AuditEvent, Match, MatchRun, Meeting, Notification

WINTER = datetime(2025, 12, 2, 12, 15, tzinfo=UTC)  # 13:15 in Rome (CET)
SUMMER = datetime(2025, 7, 1, 12, 15, tzinfo=UTC)  # 14:15 in Rome (CEST)
REASONS = [{"code": "distance_km", "params": {"km": 8.7}}]
PARTS = {"need_coverage": 0.5, "language": 0.4, "proximity": 0.6, "availability": 0.3}


@pytest.fixture
def history(app):
    """Parma with a published run, a proposal at 0.487 and 8.7 km, a meeting, logged events."""
    parma = factories.territory()
    coordinator = factories.user("coordinator", territories=[parma])
    admin = factories.user("admin")
    giulia = factories.tutor(parma, display_name="Giulia")
    factories.tutor(parma, status="pending", display_name="Marco", profile_completed_at=WINTER)
    amina = factories.beneficiary(parma, waiting_since=date(2025, 3, 5))
    omar = factories.beneficiary(parma, first_name="Omar", status="matched")
    row = [amina.id, giulia.id, 0, 0.487, list(PARTS.values()), REASONS]
    kpis = {"would_match": 1, "beneficiaries": 1, "average_score": 0.487}
    run = MatchRun(
        territory_id=parma.id, created_at=WINTER, published_at=WINTER.replace(minute=20),
        status="published", dry_run=False, progress=1.0,
        stats={"kpis": {**kpis, "average_waiting_days": 55.7}, "proposals": [row]},
    )  # fmt: skip
    db.session.add(run)
    db.session.flush()
    db.session.add_all(
        [
            Match(beneficiary_id=amina.id, tutor_id=giulia.id, run_id=run.id, score=0.487,
                  components=PARTS, reasons=REASONS, status="proposed"),
            AuditEvent(at=SUMMER, actor_id=coordinator.id, action="view",
                       object_type="beneficiary", object_id=str(amina.id), territory_id=parma.id),
            Notification(idempotency_key="formats", recipient_email="x@example.org",
                         template="test_message", created_at=WINTER, next_attempt_at=WINTER),
        ]
    )  # fmt: skip
    active = Match(beneficiary_id=omar.id, tutor_id=giulia.id, score=0.7, status="active",
                   decided_at=WINTER, accepted_at=WINTER)  # fmt: skip
    db.session.add(active)
    db.session.flush()
    db.session.add(Meeting(match_id=active.id, held_on=date(2025, 3, 9), duration_minutes=90))
    db.session.commit()
    return parma, coordinator, admin, run, amina


def visible(page: str) -> str:
    """The text of the page's main part, without tags (attribute values are not shown)."""
    main = page.split('<main id="content"', 1)[1].split("</main>", 1)[0]
    main = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", main, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", main.split(">", 1)[1]).split())


EXPECTED = {  # page -> what it must show, in Italian and in English
    "runs": (["02/12/2025 13:15"], ["2 Dec 2025, 13:15"]),
    "run": (
        ["Esecuzione del 02/12/2025 13:15", "49%", "a 8,7 km", "55,7", "02/12/2025 13:20"],
        ["Run of 2 Dec 2025, 13:15", "49%", "8.7 km away", "55.7", "2 Dec 2025, 13:20"],
    ),
    "review": (["punteggio 49%", "a 8,7 km"], ["score 49%", "8.7 km away"]),
    "record": (["05/03/2025"], ["5 Mar 2025"]),
    "audit": (["01/07/2025 14:15"], ["1 Jul 2025, 14:15"]),
    "vetting": (["02/12/2025"], ["2 Dec 2025"]),
    "follow": (["09/03/2025"], ["9 Mar 2025"]),
    "report": (["1,5"], ["1.5"]),
    "outbox": (["02/12/2025 13:15"], ["2 Dec 2025, 13:15"]),
}


@pytest.mark.parametrize("language", ["it", "en"])
def test_pages_write_dates_times_and_numbers_as_the_language_does(client, history, language):
    """Do key pages show local times, dd/mm/yyyy (it) or "2 Dec 2025" (en), and decimal commas
    in Italian — never an ISO date, a UTC time or a decimal point in Italian?"""
    parma, coordinator, admin, run, amina = history
    until = date.today().isoformat()
    urls = {
        "runs": f"/runs/territory/{parma.id}",
        "run": f"/runs/{run.id}",
        "review": f"/proposals/territory/{parma.id}",
        "record": f"/beneficiaries/{amina.id}",
        "audit": "/audit",
        "vetting": "/vetting/",
        "follow": f"/matches/territory/{parma.id}",
        "report": f"/dashboard/report?since=2025-01-01&until={until}",
        "outbox": "/admin/notifications",
    }
    for name, url in urls.items():
        login(client, admin if name == "outbox" else coordinator)
        client.post(f"/language/{language}", data={"next": "/"})
        reply = client.get(url)
        assert reply.status_code == 200, f"{name}: {reply.status_code}"
        text = visible(reply.text)
        for expected in EXPECTED[name][language == "en"]:
            assert expected in text, f"{name} ({language}) does not show {expected!r}: {text}"
        assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text), f"{name}: an ISO date in {text}"
        assert "12:15" not in text, f"{name}: a time in UTC"
        if language == "it":  # (an IP address is not a number)
            decimal_point = re.search(r"(?<![\d.])\d+\.\d+(?![\d.])", text)
            assert not decimal_point, f"{name}: a decimal point in Italian: {text}"
        client.post("/logout")
