"""How the crawl covers each rule of the URL map, and how it finds real ids for it.

Every rule must be listed here: a new route without an entry fails the crawl test, so the
crawl grows with the app. Kinds:
  Get    GET with ids of the role's own territory; roles in `reach` must get 200, the others
         a redirect to sign in, 403 or 404 (never a 500).
  Token  GET with a token made for a real account (the links people receive by email).
  Form   POST-only: checked through the forms the pages render (a rendered form must post to
         it, unless `rendered_when` says which demo state the form needs).
  Links  reached through the links pages render (static files).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, url_for
from sqlalchemy import select

from tests.web.crawl_world import ROLES, Person, sign_in
from tests.web.crawler import Crawler, CrawlReport
from web.extensions import db
from web.models import (
    Beneficiary,
    Match,
    MatchRun,
    Notification,
    Territory,
    TutorProfile,
    User,
)
from web.models.common import utcnow
from web.services import account, tokens
from web.services.email_render import email_templates
from web.services.optout import opt_out_token
from web.services.tutor_profile import STEPS

# Pages that show an email as sent: its links are for its recipient, not for the admin.
EMAIL_PAGES = frozenset(
    {
        "admin_notifications.html",
        "admin_notifications.mailbox_html",
        "admin_notifications.preview_html",
    }
)
ANONYMOUS = frozenset({"anonymous"})
TUTORS = frozenset({"tutor_matched", "tutor_free"})
COORDINATORS = frozenset({"coordinator_PR", "coordinator_BG"})
ADMIN = frozenset({"admin"})
STAFF = COORDINATORS | ADMIN
SIGNED_IN = TUTORS | STAFF
EVERYONE = frozenset(ROLES)


class Ids:
    """Real ids of objects in one territory (the role's own, or another's for 404 checks)."""

    def __init__(self, territory_code: str, tutor_user_id: int | None = None) -> None:
        self.territory = db.session.scalars(
            select(Territory).where(Territory.code == territory_code)
        ).one()
        self.tutor_user_id = tutor_user_id

    def territory_id(self) -> int:
        return self.territory.id

    def beneficiary_id(self) -> int:
        """A waiting person of the territory (every beneficiary page accepts one)."""
        return self._first(
            select(Beneficiary.id).where(
                Beneficiary.territory_id == self.territory.id, Beneficiary.status == "waiting"
            )
        )

    def match_id(self) -> int:
        """The signed-in tutor's active match; otherwise an active match of the territory."""
        if self.tutor_user_id is not None:
            own = db.session.scalar(
                select(Match.id)
                .join(TutorProfile, TutorProfile.id == Match.tutor_id)
                .where(TutorProfile.user_id == self.tutor_user_id, Match.status == "active")
                .limit(1)
            )
            if own is not None:
                return own
        return self._first(
            select(Match.id)
            .join(Beneficiary, Beneficiary.id == Match.beneficiary_id)
            .where(Beneficiary.territory_id == self.territory.id, Match.status == "active")
        )

    def run_id(self) -> int:
        """A published run of the territory."""
        return self._first(
            select(MatchRun.id).where(
                MatchRun.territory_id == self.territory.id, MatchRun.status == "published"
            )
        )

    def tutor_id(self) -> int:
        """A tutor of the territory, one waiting for vetting if there is one."""
        waiting = TutorProfile.status == "pending"
        found = db.session.scalar(
            select(TutorProfile.id)
            .where(TutorProfile.territory_id == self.territory.id)
            .order_by(waiting.desc(), TutorProfile.id)
            .limit(1)
        )
        assert found is not None, f"the demo has no tutor in {self.territory.code}"
        return found

    def notification_id(self) -> int:
        """An email in the outbox (admins see every one)."""
        return self._first(select(Notification.id))

    @staticmethod
    def _first(query) -> int:
        found = db.session.scalar(query.order_by(query.selected_columns[0]).limit(1))
        assert found is not None, f"the crawl's demo has no row for {query}"
        return int(found)


Args = Callable[[Ids], dict[str, Any]]


@dataclass(frozen=True)
class Get:
    """Crawled with GET as every role; `reach` roles must see the page."""

    reach: frozenset[str]
    args: Args = field(default=lambda ids: {})
    query: str = ""
    note: str = ""  # why a rule has fewer roles than it seems


@dataclass(frozen=True)
class Token:
    """Crawled with a real token from `make` (opened by an anonymous visitor)."""

    make: Callable[[], dict[str, Any]]


@dataclass(frozen=True)
class Form:
    """POST-only; a rendered form must post to it unless `rendered_when` explains otherwise."""

    rendered_when: str = ""


@dataclass(frozen=True)
class Links:
    """Reached through rendered links only."""

    why: str


def _throwaway(email: str, verified: bool) -> User:
    """An account of its own for links that change it (so the crawl's people stay intact)."""
    user = User(email=email, role="tutor", full_name="Prova Link", locale="it")
    user.set_password("a-long-enough-password")
    user.verified_at = utcnow() if verified else None
    db.session.add(user)
    db.session.commit()
    return user


def _verify_token() -> dict[str, Any]:
    user = _throwaway("verify@crawl.example", False)
    return {"token": tokens.make_token(user, tokens.VERIFY_EMAIL).token}


def _reset_token() -> dict[str, Any]:
    user = _throwaway("reset@crawl.example", True)
    return {"token": tokens.make_token(user, tokens.RESET_PASSWORD).token}


def _email_change_token() -> dict[str, Any]:
    user = _throwaway("change@crawl.example", True)
    account.request_email_change(user, "a-long-enough-password", "changed@crawl.example")
    link = db.session.scalars(
        select(Notification).where(Notification.template == "email_change_verify")
    ).one()
    return {"token": str(link.context["link"]).rsplit("/", 1)[1]}


def _opt_out_token() -> dict[str, Any]:
    tutor = db.session.scalars(select(User).where(User.role == "tutor").order_by(User.id)).first()
    assert tutor is not None
    return {"token": opt_out_token(tutor.id)}


def _first_template() -> dict[str, Any]:
    return {"template": email_templates()[0], "language": "it"}


COVERAGE: dict[str, Get | Token | Form | Links] = {
    "account.change_email": Form(),
    "account.change_password": Form(),
    "account.check_email": Get(EVERYONE),
    "account.confirm_email": Token(_email_change_token),
    "account.erase": Get(TUTORS),
    "account.export": Form(),
    "account.forgot_password": Get(EVERYONE),
    "account.privacy": Get(EVERYONE),
    "account.resend": Get(ANONYMOUS),
    "account.reset_password": Token(_reset_token),
    "account.settings": Get(SIGNED_IN),
    "account.sign_out_everywhere": Form(),
    "account.signup": Get(ANONYMOUS),
    "account.verify_email": Token(_verify_token),
    "account.verify_pending": Get(frozenset(), note="only right after signing up, unverified"),
    "admin_notifications.html": Get(ADMIN, lambda ids: {"notification_id": ids.notification_id()}),
    "admin_notifications.index": Get(ADMIN),
    "admin_notifications.mailbox": Get(ADMIN),
    "admin_notifications.mailbox_html": Get(
        ADMIN, lambda ids: {"notification_id": ids.notification_id()}
    ),
    "admin_notifications.mailbox_message": Get(
        ADMIN, lambda ids: {"notification_id": ids.notification_id()}
    ),
    "admin_notifications.preview": Get(ADMIN, lambda ids: _first_template()),
    "admin_notifications.preview_html": Get(ADMIN, lambda ids: _first_template()),
    "admin_notifications.previews": Get(ADMIN),
    "admin_notifications.retry": Form("an email that failed (the demo sends every one)"),
    "admin_notifications.send_test": Form(),
    "admin_notifications.show": Get(ADMIN, lambda ids: {"notification_id": ids.notification_id()}),
    "audit.index": Get(STAFF),
    "auth.login": Get(ANONYMOUS),
    "auth.logout": Form(),
    "beneficiaries.close": Get(STAFF, lambda ids: {"beneficiary_id": ids.beneficiary_id()}),
    "beneficiaries.detail": Get(STAFF, lambda ids: {"beneficiary_id": ids.beneficiary_id()}),
    "beneficiaries.edit": Get(STAFF, lambda ids: {"beneficiary_id": ids.beneficiary_id()}),
    "beneficiaries.export": Get(STAFF),
    "beneficiaries.import_cancel": Form("an uploaded spreadsheet waiting for confirmation"),
    "beneficiaries.import_preview": Get(frozenset(), note="only with an uploaded spreadsheet"),
    "beneficiaries.import_template": Get(STAFF, lambda ids: {"file_format": "csv"}),
    "beneficiaries.import_upload": Get(STAFF),
    "beneficiaries.index": Get(STAFF),
    "beneficiaries.new": Get(STAFF),
    "dashboard.index": Get(STAFF),
    "dashboard.report": Get(STAFF),
    "email_prefs.opt_out": Token(_opt_out_token),
    "follow.end": Form(),
    "follow.index": Get(STAFF, lambda ids: {"territory_id": ids.territory_id()}),
    "follow.log_meeting": Get(STAFF | {"tutor_matched"}, lambda ids: {"match_id": ids.match_id()}),
    "follow.show": Get(STAFF, lambda ids: {"match_id": ids.match_id()}),
    "main.healthz": Get(EVERYONE),
    "main.home": Get(SIGNED_IN),
    "main.index": Get(EVERYONE),
    "main.places": Get(EVERYONE, query="q=Par"),
    "main.set_language": Form(),
    "proposals.approve": Form(),
    "proposals.approve_many": Form(),
    "proposals.manual": Get(STAFF, lambda ids: {"beneficiary_id": ids.beneficiary_id()}),
    "proposals.reject": Form(),
    "proposals.review": Get(STAFF, lambda ids: {"territory_id": ids.territory_id()}),
    "runs.index": Get(STAFF),
    "runs.progress": Get(STAFF, lambda ids: {"run_id": ids.run_id()}),
    "runs.publish": Form("a finished dry run (the demo's runs are published)"),
    "runs.show": Get(STAFF, lambda ids: {"run_id": ids.run_id()}),
    "runs.start": Form(),
    "runs.territory": Get(STAFF, lambda ids: {"territory_id": ids.territory_id()}),
    "static": Links("stylesheets, scripts and icons: every one a page links is requested"),
    "territories.settings": Get(STAFF, lambda ids: {"territory_id": ids.territory_id()}),
    "tutors.accept": Form(),
    "tutors.change_status": Form(),
    "tutors.dashboard": Get(TUTORS),
    "tutors.decline": Form(),
    "tutors.match": Get(frozenset({"tutor_matched"}), lambda ids: {"match_id": ids.match_id()}),
    "tutors.matches": Get(TUTORS),
    "tutors.step": Get(TUTORS, lambda ids: {"step": STEPS[0]}),
    "vetting.approve": Form(),
    "vetting.decline": Form(),
    "vetting.queue": Get(STAFF),
    "vetting.tutor": Get(STAFF, lambda ids: {"tutor_id": ids.tutor_id()}),
}


@dataclass
class RoleCrawl:
    """What one person saw in one language: the rules' answers and the crawl."""

    person: Person
    language: str
    rule_status: dict[str, tuple[str, int, str]]  # endpoint -> (url, status, redirect target)
    report: CrawlReport


def rule_url(endpoint: str, rule: Get, ids: Ids) -> str:
    """Build the URL of a rule with real ids."""
    with_ids = url_for(endpoint, **rule.args(ids))
    return f"{with_ids}?{rule.query}" if rule.query else with_ids


def crawl_as(app: Flask, person: Person, language: str) -> RoleCrawl:
    """Sign in, choose the language, GET every rule, then crawl what the pages link."""
    client = app.test_client()
    sign_in(client, person)
    client.post(f"/language/{language}", data={"next": "/"})
    ids = Ids(person.territory_code, person.user_id if person.role.startswith("tutor") else None)
    with app.test_request_context():
        urls = {
            endpoint: rule_url(endpoint, rule, ids)
            for endpoint, rule in COVERAGE.items()
            if isinstance(rule, Get)
        }
    crawler = Crawler(
        app,
        client,
        origins=("http://localhost", app.config["PUBLIC_URL"]),
        email_pages=EMAIL_PAGES,
    )
    rule_status, linked = {}, []
    for endpoint, url in urls.items():
        linked += crawler.visit(url, None)  # links of pages the role may not see count too
        visit = crawler.report.visits[url]
        rule_status[endpoint] = (url, visit.status, visit.location)
    crawler.crawl([("/", None), *linked])
    return RoleCrawl(person, language, rule_status, crawler.report)
