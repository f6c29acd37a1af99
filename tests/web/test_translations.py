"""Every user-visible string is translated: Italian fully, French and Arabic for emails."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from tests.worker_process import ROOT

CATALOGUES = ROOT / "web" / "translations"


def extracted_msgids(tmp_path) -> set:
    """Extract the strings marked for translation in the code and templates right now."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [str(Path(sys.executable).with_name("pybabel")), "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "--no-location", "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    with pot.open("rb") as handle:
        return {message.id for message in read_po(handle) if message.id}


def untranslated(locale: str) -> dict:
    """Map each msgid of a catalogue to whether it lacks a translation."""
    with (CATALOGUES / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    return {
        message.id: not (
            all(message.string) if isinstance(message.string, tuple) else message.string
        )
        for message in catalogue
        if message.id
    }


def test_every_string_in_the_code_has_an_italian_translation(tmp_path):
    """Is every string the code marks for translation present and translated in Italian?"""
    italian = untranslated("it")
    missing = sorted(str(msgid) for msgid in extracted_msgids(tmp_path) if italian.get(msgid, True))
    assert missing == [], (
        f"{len(missing)} strings lack Italian (run `make messages`): {missing[:10]}"
    )
