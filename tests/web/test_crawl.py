"""Every screen as every role, on the demo, in Italian and English: no 500, no dead link.

The crawl signs in as each kind of person (anonymous, a tutor with an active match, a tutor
without one, the coordinator of each demo territory, admin), GETs every rule of the URL map
with real ids (tests/web/crawl_rules.py says how, rule by rule), then follows every
same-origin link the pages render, breadth first, and checks every form's action.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from flask import Flask, url_for

from tests.web.crawl_rules import (
    COVERAGE,
    Form,
    Get,
    Ids,
    Links,
    RoleCrawl,
    Token,
    crawl_as,
    rule_url,
)
from tests.web.crawl_world import ROLES, demo_world, people, sign_in

pytestmark = pytest.mark.postgres
LANGUAGES = ("it", "en")
DENIED = (302, 403, 404)  # sign in first, not yours, or not in your territory


@pytest.fixture(scope="module")
def world(postgres_url: str) -> Iterator[Flask]:
    """The demo with a history, on PostgreSQL, for the whole module."""
    with demo_world(postgres_url) as app:
        yield app


@pytest.fixture(scope="module")
def crawls(world: Flask) -> dict[tuple[str, str], RoleCrawl]:
    """Crawl as every role in every language (once for all the tests below)."""
    with world.app_context():
        cast = people()
        return {
            (role, language): crawl_as(world, cast[role], language)
            for role in ROLES
            for language in LANGUAGES
        }


def test_every_rule_of_the_url_map_is_in_the_coverage_list(world):
    """Does the crawl know how to cover every route (so a new route cannot slip past it)?"""
    rules = {rule.endpoint for rule in world.url_map.iter_rules()}
    assert sorted(rules - set(COVERAGE)) == [], "add these rules to tests/web/crawl_rules.py"
    assert sorted(set(COVERAGE) - rules) == [], "these rules no longer exist"


def test_no_page_answers_a_server_error_or_a_dead_link(crawls):
    """Does any URL, rendered link or form of any role in any language fail?"""
    findings = [
        f"{role} [{language}] {finding}"
        for (role, language), crawl in crawls.items()
        for finding in crawl.report.findings
    ]
    assert not findings, "\n".join(findings)


def test_each_role_reaches_its_pages_and_no_others(crawls):
    """Does each role get 200 on its own rules, and a sign-in, 403 or 404 on the others?"""
    wrong = []
    for (role, language), crawl in crawls.items():
        for endpoint, (url, status, location) in crawl.rule_status.items():
            rule = COVERAGE[endpoint]
            assert isinstance(rule, Get)
            if role in rule.reach and status != 200:
                wrong.append(f"{role} [{language}] {url}: {status} {location}, expected 200")
            if role not in rule.reach and status not in DENIED:
                wrong.append(f"{role} [{language}] {url}: {status}, expected one of {DENIED}")
    assert not wrong, "\n".join(wrong)


def test_coordinators_get_404_for_the_other_territory(world, crawls):
    """Does a coordinator opening the other territory's objects get 404, never 500 or a page?"""
    leaks = []
    with world.app_context():
        cast = people()
        for role, other in (("coordinator_PR", "BG"), ("coordinator_BG", "PR")):
            client = world.test_client()
            sign_in(client, cast[role])
            ids = Ids(other)
            with world.test_request_context():
                urls = [
                    rule_url(endpoint, rule, ids)
                    for endpoint, rule in COVERAGE.items()
                    if isinstance(rule, Get) and rule.reach & {role} and _has_ids(endpoint, world)
                ]
            for url in urls:
                status = client.get(url).status_code
                if status != 404:
                    leaks.append(f"{role} {url}: {status}")
    assert not leaks, "\n".join(leaks)


def _has_ids(endpoint: str, app: Flask) -> bool:
    rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)
    return any(name.endswith("_id") for name in rule.arguments)


def test_links_people_receive_by_email_open(world):
    """Do the token links of emails (verify, reset, email change, opt-out) open a page?"""
    answers = {}
    with world.app_context(), world.test_request_context():
        for endpoint, rule in COVERAGE.items():
            if isinstance(rule, Token):
                url = url_for(endpoint, **rule.make())
                answers[endpoint] = world.test_client().get(url).status_code
    assert answers and all(status in (200, 302) for status in answers.values()), answers


def test_post_only_rules_are_reached_through_rendered_forms(crawls):
    """Does some page render a form for each POST-only rule (unless the demo lacks its state)?"""
    posted = set().union(*(crawl.report.form_endpoints for crawl in crawls.values()))
    expected = {
        endpoint
        for endpoint, rule in COVERAGE.items()
        if isinstance(rule, Form) and not rule.rendered_when
    }
    assert sorted(expected - posted) == []


def test_static_files_are_reached_through_links(crawls):
    """Are the stylesheets and scripts the pages link all served?"""
    assert isinstance(COVERAGE["static"], Links)
    served = {
        visit.url
        for crawl in crawls.values()
        for visit in crawl.report.visits.values()
        if visit.endpoint == "static" and visit.status == 200
    }
    assert any(urlsplit(url).path.endswith(".css") for url in served)


def test_the_crawl_stayed_within_its_bounds_and_saw_every_role(crawls):
    """Did every crawl finish (no bound hit) and visit pages?"""
    for (role, language), crawl in crawls.items():
        assert not crawl.report.truncated, f"{role} [{language}] hit the crawl bound"
        assert crawl.report.pages, f"{role} [{language}] saw no page"
    rules = sum(len(crawl.rule_status) for crawl in crawls.values())
    print(  # the crawl's figures, shown with pytest -s
        f"\ncrawl: {rules} rule GETs ({len(crawls)} role-language pairs), "
        f"{sum(len(c.report.visits) for c in crawls.values())} URLs requested, "
        f"{sum(len(c.report.pages) for c in crawls.values())} pages read, "
        f"{sum(c.report.links_checked for c in crawls.values())} rendered links checked, "
        f"{sum(len(c.report.forms) for c in crawls.values())} forms checked"
    )
