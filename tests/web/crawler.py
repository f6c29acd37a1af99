"""Crawl the app as one person: every page, every link it renders, every form it shows."""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from flask import Flask
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import MapAdapter

# Attributes whose text people read (or hear, through a screen reader).
READ_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder")
LINK_ATTRIBUTES = {"a": "href", "link": "href", "script": "src", "img": "src", "iframe": "src"}
NOT_FETCHED = ("mailto:", "tel:", "javascript:", "data:", "sms:")
SKIPPED_TEXT = ("script", "style", "template", "code")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass(frozen=True)
class Form:
    """A form as rendered: where it posts, how, and on which page."""

    page: str
    action: str
    method: str


class PageParser(HTMLParser):
    """Collect the links, forms and visible text of one HTML page.

    `texts` holds what people read in the page's language: not scripts or styles, not
    <code> (what people type or copy: column names, codes, message ids), and not what an
    element declares to be in another language (an email shown as its recipient reads it).
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[tuple[str | None, str]] = []
        self.texts: list[str] = []
        self.language: str | None = None  # the <html lang> of the page
        self._open: list[tuple[str, bool]] = []  # open elements: (tag, hides its text?)
        self._form: dict | None = None  # the open form: its action, method and submitters

    def _hidden(self) -> bool:
        return any(hides for _, hides in self._open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in LINK_ATTRIBUTES and values.get(LINK_ATTRIBUTES[tag]):
            self.links.append(values[LINK_ATTRIBUTES[tag]])
        if tag == "form":
            self._form = {"action": values.get("action"), "method": values.get("method"), "to": []}
        submits = (tag == "button" and values.get("type", "submit") == "submit") or (
            tag == "input" and values.get("type") in ("submit", "image")
        )
        if submits and self._form is not None:  # a button may post elsewhere (formaction)
            self._form["to"].append((values.get("formaction"), values.get("formmethod")))
        if tag == "html":
            self.language = values.get("lang")
        foreign = bool(values.get("lang")) and values["lang"] != self.language
        hides = tag in SKIPPED_TEXT or foreign
        if tag not in VOID:
            self._open.append((tag, hides))
        if hides or self._hidden():
            return
        self.texts.extend(values[name] for name in READ_ATTRIBUTES if values.get(name))
        pressable = tag == "button" or values.get("type") in ("submit", "button", "reset")
        if tag == "input" and pressable and values.get("value"):
            self.texts.append(values["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            form, self._form = self._form, None
            for action, method in form["to"] or [(None, None)]:
                chosen = method or form["method"] or "get"
                self.forms.append((action or form["action"], chosen.upper()))
        for index in range(len(self._open) - 1, -1, -1):  # close it, and any left unclosed
            if self._open[index][0] == tag:
                del self._open[index:]
                break

    def handle_data(self, data: str) -> None:
        if not self._hidden() and data.strip():
            self.texts.append(data.strip())


@dataclass
class Visit:
    """One URL requested: its answer and the page that rendered it (None: from the URL map)."""

    url: str
    status: int
    source: str | None
    endpoint: str | None
    location: str = ""  # where a redirect leads


@dataclass
class CrawlReport:
    """What one crawl saw."""

    visits: dict[str, Visit] = field(default_factory=dict)
    pages: dict[str, list[str]] = field(default_factory=dict)  # url -> visible texts
    forms: set[Form] = field(default_factory=set)
    form_endpoints: set[str] = field(default_factory=set)
    findings: list[str] = field(default_factory=list)
    links_checked: int = 0
    truncated: bool = False

    def endpoints(self) -> Counter:
        """Count the visits per endpoint."""
        return Counter(v.endpoint for v in self.visits.values() if v.endpoint)


class Crawler:
    """Breadth-first crawl with a client already signed in (or not) and a language chosen."""

    def __init__(
        self,
        app: Flask,
        client,
        origins: tuple[str, ...],
        max_urls: int = 1500,
        max_pages_per_endpoint: int = 6,
        email_pages: frozenset[str] = frozenset(),
    ) -> None:
        self.client = client
        self.adapter: MapAdapter = app.url_map.bind("localhost")
        self.origins = origins
        self.max_urls = max_urls
        self.max_pages_per_endpoint = max_pages_per_endpoint
        self.email_pages = email_pages  # endpoints showing an email: its links are for another
        self.report = CrawlReport()
        self._parsed: Counter = Counter()

    def endpoint(self, path: str, method: str = "GET") -> str | None:
        """Name the rule a path and method reach, or None."""
        try:
            endpoint, _ = self.adapter.match(path, method=method)
        except (NotFound, MethodNotAllowed):
            return None
        except Exception:  # a redirect the routing itself asks for (e.g. a missing slash)
            return "<redirect>"
        return str(endpoint)

    def local(self, href: str, base: str) -> str | None:
        """Return the same-origin path and query of a link, or None for other sites."""
        if href.startswith(NOT_FETCHED):
            return None
        absolute, _ = urldefrag(urljoin("http://localhost" + base, href))
        parts = urlsplit(absolute)
        if f"{parts.scheme}://{parts.netloc}" not in self.origins:
            return None
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def crawl(self, start: list[tuple[str, str | None]]) -> CrawlReport:
        """Visit (url, linked from) pairs, then every link they render, breadth first."""
        queue = deque(start)
        while queue:
            url, source = queue.popleft()
            if url in self.report.visits:
                continue
            if len(self.report.visits) >= self.max_urls:
                self.report.truncated = True
                break
            queue.extend(self.visit(url, source))
        return self.report

    def visit(self, url: str, source: str | None) -> list[tuple[str, str | None]]:
        """Request one URL, record what it answered, return the links it leads to."""
        response = self.client.get(url)
        body = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        response.close()  # static files are streamed from an open file
        location = response.headers.get("Location", "")
        path = urlsplit(url).path
        visit = Visit(url, response.status_code, source, self.endpoint(path), location)
        self.report.visits[url] = visit
        if source is not None:
            self.report.links_checked += 1
        self.judge(visit)
        if response.status_code in (301, 302, 303, 307, 308):
            target = self.local(location, url)
            return [(target, url)] if target else []
        if not body:  # error pages are read too: people see them
            return []
        if self._parsed[visit.endpoint] >= self.max_pages_per_endpoint:
            return []
        self._parsed[visit.endpoint] += 1
        parser = PageParser()
        parser.feed(body)
        self.report.pages[url] = parser.texts
        for action, method in parser.forms:
            self.check_form(url, action, method)
        found = (self.local(href, url) for href in parser.links)
        return [(link, url) for link in found if link and link not in self.report.visits]

    def judge(self, visit: Visit) -> None:
        """Record a finding for a server error or a rendered dead link."""
        if visit.status >= 500:
            self.report.findings.append(f"{visit.status} {visit.url} (from {visit.source})")
        elif visit.source is not None and visit.status in self.dead(visit.source):
            self.report.findings.append(
                f"rendered link answers {visit.status}: {visit.url} (on {visit.source})"
            )

    def dead(self, source: str) -> tuple[int, ...]:
        """The answers that make a link dead: "not yours" is fine in someone else's email."""
        shown_in_email = self.report.visits[source].endpoint in self.email_pages
        return (404, 405) if shown_in_email else (403, 404, 405)

    def check_form(self, page: str, action: str | None, method: str) -> None:
        """Check that a rendered form's action has a rule accepting its method."""
        target = self.local(action, page) if action else page
        if target is None:
            self.report.findings.append(f"form on {page} posts off-site: {action}")
            return
        path = urlsplit(target).path
        form = Form(urlsplit(page).path, path, method)
        if form in self.report.forms:
            return
        self.report.forms.add(form)
        endpoint = self.endpoint(path, method)
        if endpoint is None:
            self.report.findings.append(f"form on {page}: no rule for {method} {path}")
        else:
            self.report.form_endpoints.add(endpoint)
