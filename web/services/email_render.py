"""Render emails in the recipient's language; Italian and English together when it is missing.

Each email is three templates under web/templates/email/: <name>.subject.txt, <name>.txt and
<name>.html, written with {{ _("English msgid") }} like every page. A language counts as
available for an email when its catalogue translates every string the email uses;
otherwise the recipient gets the Italian and the English text in one email.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.extract import extract
from babel.support import Translations
from flask import current_app, render_template
from flask_babel import force_locale
from jinja2 import meta
from jinja2.ext import babel_extract
from markupsafe import Markup

from web.models import Notification
from web.services.bidi import text_direction
from web.services.contacts import Contact, deployment_contact
from web.services.optout import opt_out_url

WEB_DIR = Path(__file__).resolve().parents[1]
EMAIL_DIR = WEB_DIR / "templates" / "email"
TRANSLATIONS_DIR = WEB_DIR / "translations"
SOURCE_LANGUAGE = "en"  # msgids are English: always complete
FALLBACK_LANGUAGES = ("it", "en")
EMAIL_LANGUAGES = ("it", "en", "fr", "ar")
PARTS = (".subject.txt", ".txt", ".html")
LAYOUTS = ("_layout.html", "_layout.txt")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}
BLANK_RUNS = re.compile(r"\n{3,}")
BODY = re.compile(r"<body[^>]*>(.*)</body>", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True)
class RenderedEmail:
    """An email ready to send: subject, plain text, HTML and the language(s) it is in."""

    subject: str
    text: str
    html: str
    language: str
    reply_to: str = ""


def normalise_language(code: str | None) -> str:
    """Reduce a locale such as "ar_EG" or "fr-BE" to its language ("ar", "fr")."""
    language = (code or "").replace("-", "_").split("_")[0].strip().lower()
    return language if language.isalpha() else "it"


def email_templates() -> list[str]:
    """List the email names (templates whose name does not start with "_")."""
    names = (path.name.removesuffix(".subject.txt") for path in EMAIL_DIR.glob("*.subject.txt"))
    return sorted(name for name in names if not name.startswith("_"))


@cache
def template_msgids(template: str) -> frozenset[str]:
    """Return the English msgids an email uses (its three parts and the layouts)."""
    msgids: set[str] = set()
    files = [EMAIL_DIR / f"{template}{part}" for part in PARTS]
    files += [EMAIL_DIR / name for name in LAYOUTS]
    for path in files:
        if not path.exists():
            continue
        with path.open("rb") as source:
            for _line, message, _comments, _context in extract(babel_extract, source, KEYWORDS):
                msgids.update([message] if isinstance(message, str) else message[:1])
    return frozenset(msgids)


@cache
def _catalogue(language: str) -> Translations | None:
    if not (TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.mo").exists():
        return None
    return Translations.load(str(TRANSLATIONS_DIR), [language])


def is_available(template: str, language: str) -> bool:
    """Tell whether this email can be written entirely in this language."""
    if language == SOURCE_LANGUAGE:
        return True
    catalogue = _catalogue(language)
    if catalogue is None:
        return False
    # A compiled catalogue only holds translated entries (GNUTranslations._catalog);
    # a plural entry is held under (msgid, 0), (msgid, 1)...
    translated = catalogue._catalog  # type: ignore[attr-defined]
    return all(
        msgid in translated or (msgid, 0) in translated for msgid in template_msgids(template)
    )


def _render_one(template: str, language: str, context: dict[str, Any]) -> RenderedEmail:
    values = {**context, "email_lang": language, "email_dir": text_direction(language)}
    with force_locale(language):
        subject = render_template(f"email/{template}.subject.txt", **values)
        text = render_template(f"email/{template}.txt", **values)
        html = render_template(f"email/{template}.html", **values)
    return RenderedEmail(" ".join(subject.split()), tidy_text(text), html, language)


def tidy_text(text: str) -> str:
    """Trim each line's trailing spaces and keep at most one blank line between paragraphs.

    Optional parts of a template ({% if %}) leave empty lines behind; a reader sees holes.
    """
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return BLANK_RUNS.sub("\n\n", "\n".join(lines)) + "\n"


def _body(html: str) -> Markup:
    found = BODY.search(html)
    return Markup(found.group(1) if found else html)  # noqa: S704 - our own rendered HTML


def render_email(template: str, language: str, context: dict[str, Any]) -> RenderedEmail:
    """Render an email in one language, or in Italian + English when it is not available."""
    language = normalise_language(language)
    if is_available(template, language):
        return _render_one(template, language, context)
    parts = [_render_one(template, code, context) for code in FALLBACK_LANGUAGES]
    subject = " / ".join(part.subject for part in parts)
    text = "\n\n----------\n\n".join(part.text.strip() for part in parts) + "\n"
    with force_locale("it"):
        html = render_template(
            "email/_bilingual.html",
            subject=subject,
            parts=[(part.language, _body(part.html)) for part in parts],
        )
    return RenderedEmail(subject, text, html, ", ".join(FALLBACK_LANGUAGES))


def render_notification(notification: Notification) -> RenderedEmail:
    """Render an outbox row: the contact named in it answers replies; opt-out link if any.

    Rows written before emails named a contact get the deployment-wide one.
    """
    context = dict(notification.context or {})
    contact = Contact.from_context(context.get("contact")) or deployment_contact()
    context["contact"] = contact.as_context()
    if not notification.essential and notification.recipient_user_id is not None:
        context["opt_out_url"] = opt_out_url(notification.recipient_user_id)
    rendered = render_email(notification.template, notification.locale, context)
    return replace(rendered, reply_to=contact.reply_to)


class Placeholder:
    """Stands for a value a preview has no sample for: prints [name], iterates as empty."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __str__(self) -> str:
        return f"[{self.name}]"

    def __html__(self) -> str:
        return f"[{self.name}]"

    def __iter__(self):
        return iter(())

    def __getattr__(self, attribute: str) -> Placeholder:
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return Placeholder(f"{self.name}.{attribute}")

    def __getitem__(self, key: Any) -> Placeholder:
        return Placeholder(f"{self.name}.{key}")


def sample_context(template: str) -> dict[str, Any]:
    """Sample values for a preview: <name>.sample.json, with placeholders for the rest."""
    sample_file = EMAIL_DIR / f"{template}.sample.json"
    sample = json.loads(sample_file.read_text(encoding="utf-8")) if sample_file.exists() else {}
    environment = current_app.jinja_env
    names: set[str] = set()
    for part in PARTS:
        source = (EMAIL_DIR / f"{template}{part}").read_text(encoding="utf-8")
        names |= meta.find_undeclared_variables(environment.parse(source))
    missing = names - set(sample) - set(environment.globals) - {"email_lang", "email_dir"}
    defaults = {"contact": deployment_contact().as_context()}  # what the layout names
    return {**{name: Placeholder(name) for name in missing}, **defaults, **sample}


def render_preview(template: str, language: str) -> RenderedEmail:
    """Render an email with sample data, as a recipient in this language would get it."""
    return render_email(template, language, sample_context(template))
