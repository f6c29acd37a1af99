"""A pseudo-locale: every catalogue string wrapped in ⟦…⟧, to see what escapes translation."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from tests.worker_process import ROOT

OPEN, CLOSE = "⟦", "⟧"
ITALIAN_PO = ROOT / "web" / "translations" / "it" / "LC_MESSAGES" / "messages.po"
WRAPPED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
URL = re.compile(r"https?://\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")  # links and email addresses
# What is not words: numbers, dates, times, CEFR codes, beneficiary codes (PR-0042) and tutor
# references (T-12), punctuation, symbols.
NOT_WORDS = re.compile(r"\b(?:[A-Z]{1,2}-\d+|[ABC][12]|\d+(?:[.,:/-]\d+)*)\b|[^\w]|_|\d")


def pseudo(text: str) -> str:
    """Wrap a message (placeholders such as %(name)s and {name} stay as they are)."""
    return f"{OPEN}{text}{CLOSE}" if text else text


def build_catalogue(directory: Path) -> Path:
    """Compile an 'it' catalogue whose every string is its msgid wrapped; return its folder."""
    with ITALIAN_PO.open("rb") as handle:
        catalogue = read_po(handle, locale="it")
    for message in catalogue:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):  # plural: one wrapped form per plural form
            forms = [message.id[0], *[message.id[1]] * (catalogue.num_plurals - 1)]
            message.string = tuple(pseudo(form) for form in forms)
        else:
            message.string = pseudo(message.id)
        message.flags.discard("fuzzy")
    target = directory / "it" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.mo").open("wb") as handle:
        write_mo(handle, catalogue)
    return directory


def leftover(text: str) -> str:
    """Return what of a text is not wrapped, a link, an email address, a number or a symbol."""
    previous = None
    while previous != text:  # wrapped messages may hold wrapped values: peel from inside out
        previous, text = text, WRAPPED.sub(" ", text)
    return " ".join(NOT_WORDS.sub(" ", URL.sub(" ", text)).split())
