"""The dashboard's figures and charts, and the funder report on the page, in XLSX and CSV."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests import factories
from tests.web.benef_helpers import bergamo, days_ago, match, meeting, sign_in
from web.extensions import db
from web.models import AuditEvent


@pytest.fixture
def parma_activity(app):
    """Parma: 2 waiting, 1 proposed, 1 active (matched after 10 days), 1 ended; 2 tutors."""
    parma = factories.territory()
    giulia = factories.tutor(parma, capacity=2, skills=("work_cv",))
    marco = factories.tutor(parma, capacity=2, skills=("housing_search",), display_name="Marco")
    factories.beneficiary(parma, needs={"work_cv": 3, "italian_conversation": 1})
    proposed = factories.beneficiary(parma, needs={"housing_search": 2})
    match(proposed, marco, status="proposed")
    active = factories.beneficiary(parma, status="matched", waiting_since=days_ago(40))
    started = match(active, giulia, status="active", started=days_ago(30))
    meeting(started, days_ago(20), 60)
    meeting(started, days_ago(5), 120)
    ended = factories.beneficiary(parma, status="matched", waiting_since=days_ago(100))
    match(ended, marco, status="ended", started=days_ago(80), ended_at=None)
    return parma


def test_dashboard_shows_figures_and_svg_charts(client, parma_activity):
    """Does the dashboard count each stage, the median wait, capacity and coverage, as SVG?"""
    sign_in(client, territories=[parma_activity])
    client.post("/language/en", data={"next": "/"})
    page = client.get("/dashboard")
    assert page.status_code == 200
    text = page.text
    assert "<svg" in text and "http://" not in text.replace("http://www.w3.org", "")
    from web.services.reports import dashboard

    parts, _total = dashboard(factories.user("admin"))
    (parma,) = parts
    assert (parma.waiting, parma.proposed, parma.active, parma.ended) == (1, 1, 1, 1)
    assert parma.median_days == 15  # 10 and 20 days from waiting to match
    assert parma.tutors_active == 2 and parma.capacity_used == 1 / 4
    # Waiting needs: work_cv, italian_conversation, housing_search → 2 of 3 offered.
    assert parma.coverage == pytest.approx(2 / 3)
    assert "1 people have a proposal to review." in text or "proposal to review" in text


def test_dashboard_is_per_territory(client, parma_activity):
    """Does a Bergamo coordinator see none of Parma's figures?"""
    sign_in(client, territories=[bergamo()])
    page = client.get("/dashboard")
    assert page.status_code == 200 and "Parma" not in page.text


def test_funder_report_counts_the_period(client, parma_activity):
    """Are people reached, matches started/ended, meetings and hours counted within dates?"""
    sign_in(client, territories=[parma_activity])
    since, until = days_ago(35).isoformat(), date.today().isoformat()
    page = client.get(f"/dashboard/report?since={since}&until={until}")
    assert page.status_code == 200
    from web.services.reports import funder_report

    rows = funder_report(factories.user("admin"), days_ago(35), date.today())
    parma, total = rows
    assert (parma.people_reached, parma.matches_started, parma.meetings, parma.hours) == (
        2,
        1,
        2,
        3.0,
    )
    assert total.people_reached == 2


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_funder_report_downloads_and_is_audited(client, parma_activity, file_format):
    """Can the report be downloaded as CSV and XLSX, with an audit event?"""
    sign_in(client, territories=[parma_activity])
    reply = client.get(
        f"/dashboard/report?since=2020-01-01&until={date.today().isoformat()}&format={file_format}"
    )
    assert reply.status_code == 200
    if file_format == "xlsx":
        sheet = load_workbook(io.BytesIO(reply.data))["report"]
        assert sheet["A1"].value == "territory" and sheet["G2"].value == 3.0
    else:
        lines = reply.data.decode("utf-8-sig").splitlines()
        assert lines[0].startswith("territory,people_reached") and lines[-1].startswith("TOTAL")
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.object_type == "funder_report"))


@pytest.mark.parametrize(
    "query",
    [
        "since=2026-13-01&until=2026-12-31",
        "since=2026-05-01&until=2026-01-01",
        "since=&until=2026-01-01",
        "since=1900-01-01&until=2026-01-01",
        "since=2026-01-01&until=2026-02-01&format=pdf",
    ],
)
def test_bad_periods_get_a_message(client, query):
    """Do impossible or reversed dates get a 400 page with a message, never a 500?"""
    sign_in(client, territories=[factories.territory()])
    reply = client.get(f"/dashboard/report?{query}")
    assert reply.status_code == 400 and 'class="error"' in reply.text


def test_home_points_to_the_dashboard(client):
    """Does the coordinator's home link to the dashboard and to registering people?"""
    sign_in(client, territories=[factories.territory()])
    page = client.get("/home").text
    assert "/dashboard" in page and "/beneficiaries/new" in page


def test_funder_report_without_parameters_shows_this_year(client, parma_activity):
    """Does the report opened from the dashboard (no period given) show this year's figures?"""
    sign_in(client, territories=[parma_activity])
    client.post("/language/en", data={"next": "/"})
    page = client.get("/dashboard/report")
    assert page.status_code == 200
    today = date.today()
    assert f"From 1 Jan {today.year} to {today.day} {today.strftime('%b %Y')}" in page.text
    assert f'value="{today.year}-01-01"' in page.text  # the form shows the period it used
    # Parma's row: people reached, tutors, started, ended, meetings, hours of this year.
    cells = re.search(r'<th scope="row">PR Parma</th>((?:<td>[^<]*</td>)+)', page.text)
    assert cells is not None
    held = [day for day in (days_ago(20), days_ago(5)) if day.year == today.year]
    hours = {0: "0", 1: "2", 2: "3"}[len(held)]
    meetings, hours_cell = re.findall(r"<td>([^<]*)</td>", cells.group(1))[4:6]
    assert (meetings, hours_cell) == (str(len(held)), hours)


@pytest.fixture
def first_meetings(parma_activity):
    """Days from waiting to the first meeting: Parma 20 and 30, Bergamo 4 (one person each)."""
    marco = factories.tutor(parma_activity, capacity=3, display_name="Marco")
    twice = factories.beneficiary(parma_activity, status="matched", waiting_since=days_ago(90))
    meeting(match(twice, marco, status="ended", started=days_ago(65)), days_ago(60))  # first
    meeting(match(twice, marco, status="active", started=days_ago(12)), days_ago(10))
    place = ("Bergamo", "BG")
    anna = factories.tutor(bergamo(), *place, display_name="Anna")
    quick = factories.beneficiary(bergamo(), *place, status="matched", waiting_since=days_ago(30))
    meeting(match(quick, anna, status="active", started=days_ago(28)), days_ago(26))
    return parma_activity


def test_dashboard_shows_the_median_days_to_a_first_meeting(client, first_meetings):
    """Is the median wait until the first meeting shown per territory and overall?"""
    sign_in(client, territories=[first_meetings, bergamo()])
    client.post("/language/en", data={"next": "/"})
    from web.services.reports import dashboard

    parts, total = dashboard(factories.user("admin"))
    by_code = {part.code: part.median_days_to_first_meeting for part in parts}
    assert by_code == {"PR": 25, "BG": 4} and total.median_days_to_first_meeting == 20
    text = client.get("/dashboard").text
    assert "median wait until the first meeting" in text
    parma_row = re.search(r'<th scope="row">Parma</th>(.*?)</tr>', text, re.S)
    assert parma_row is not None and ">25 days (over 2 people)</td>" in parma_row.group(1)


@pytest.mark.parametrize("file_format", ["", "csv", "xlsx"])
def test_funder_report_has_the_median_days_to_a_first_meeting(client, first_meetings, file_format):
    """Does the report give, for people first met in the period, the median days they waited?"""
    sign_in(client, territories=[first_meetings, bergamo()])
    client.post("/language/en", data={"next": "/"})
    since, until = days_ago(35).isoformat(), date.today().isoformat()
    reply = client.get(f"/dashboard/report?since={since}&until={until}&format={file_format}")
    assert reply.status_code == 200
    # In the period: Parma's first meeting after 20 days (the other one was before), BG 4.
    expected = {"PR Parma": 20, "BG Bergamo": 4, "TOTAL": 12}
    if file_format == "xlsx":
        sheet = load_workbook(io.BytesIO(reply.data))["report"]
        rows = list(sheet.iter_rows(values_only=True))
    elif file_format == "csv":
        lines = reply.data.decode("utf-8-sig").splitlines()
        rows = [tuple(line.split(",")) for line in lines]
    else:
        assert "Median days to a first meeting" in reply.text
        cells = re.findall(r'<th scope="row">([^<]*)</th>((?:<td>[^<]*</td>)+)', reply.text)
        rows = [("territory", "median_days_to_first_meeting")] + [
            (name, re.findall(r"<td>([^<]*)</td>", tds)[-1]) for name, tds in cells
        ]
        expected["Total"] = expected.pop("TOTAL")
    column = rows[0].index("median_days_to_first_meeting")
    found = {row[0]: float(row[column]) for row in rows[1:]}
    assert found == expected
