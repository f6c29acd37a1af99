"""The web import on files as coordinators keep them: the cases of issue 7, through the upload.

The rows are read by the same module as `python -m matching match` (matching/sheets.py,
matching/rows.py, matching/cells.py, matching/gazetteer.py); the messages are the web's.
"""

from __future__ import annotations

import csv
import html
import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from matching.problems import Code
from tests import factories
from tests.web.benef_helpers import sign_in
from tests.web.test_import import GOOD, count, csv_bytes, token, upload
from web.extensions import db
from web.models import Beneficiary
from web.services.beneficiary_import import COLUMN_NAMES
from web.services.row_messages import MESSAGES, ImportCode


@pytest.fixture
def coordinator(client):
    """A logged-in coordinator of Parma, reading the pages in English."""
    account = sign_in(client, territories=[factories.territory()])
    client.post("/language/en", data={"next": "/"})
    return account


def preview(client) -> str:
    """The preview page's text, unescaped."""
    return html.unescape(client.get("/beneficiaries/import/preview").text)


def confirm(client) -> Beneficiary:
    """Confirm the checked file and return the one person it created."""
    done = client.post(
        "/beneficiaries/import/preview", data={"token": token(client), "consent": "y"}
    )
    assert done.status_code == 302, html.unescape(done.text)
    return db.session.scalar(select(Beneficiary))


def xlsx_with_excel_values(row: dict) -> bytes:
    """A workbook as Excel saves it: a real date, blank rows in the middle and at the end."""
    book = Workbook()
    sheet = book.active
    sheet.append(list(COLUMN_NAMES))
    sheet.append([])
    cells = {**GOOD, **row, "waiting_since": datetime(2025, 1, 15)}
    sheet.append([cells[column] for column in COLUMN_NAMES])
    sheet.append([None] * len(COLUMN_NAMES))
    sheet.append([None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def tab_separated(rows: list[dict], encoding: str) -> bytes:
    """Excel's "Unicode text": tab-separated UTF-16 with a byte-order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\r\n")
    writer.writerow(COLUMN_NAMES)
    writer.writerows([{**GOOD, **row}[c] for c in COLUMN_NAMES] for row in rows)
    return buffer.getvalue().encode(encoding)


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (csv_bytes([{"first_name": "Zoë"}], encoding="cp1252"), "windows-1252.csv"),
        (csv_bytes([{"first_name": "Zoë"}], encoding="latin-1"), "latin-1.csv"),
        (tab_separated([{"first_name": "Zoë"}], "utf-16"), "unicode-text.txt"),
        (csv_bytes([{"first_name": "Zoë"}], delimiter=";") + b";;;;\r\n\r\n;;;\r\n", "trail.csv"),
        (xlsx_with_excel_values({"first_name": "Zoë"}), "excel.xlsx"),
    ],
    ids=["windows-1252", "latin-1", "utf-16-with-bom", "blank-trailing-rows", "xlsx"],
)
def test_files_as_spreadsheets_save_them_are_read(client, coordinator, content, name):
    """Are Windows-1252, Latin-1, UTF-16 text and workbooks with blank rows read as typed,
    with no problem reported for the blank rows?"""
    assert upload(client, content, name).status_code == 302
    page = preview(client)
    assert "Zoë" in page
    assert "1 row can be created;" in page and "0 problems found." in page


def mixed_encodings() -> bytes:
    """Two rows, the first saved as UTF-8, the second pasted in as Windows-1252."""
    utf8 = csv_bytes([{"first_name": "Zoë"}, {"first_name": "Zoë"}])
    at = utf8.rindex("Zoë".encode())
    return utf8[:at] + "Zoë".encode("cp1252") + utf8[at + len("Zoë".encode()) :]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            csv_bytes([{}, {"first_name": "Zo\x81"}], encoding="latin-1"),
            "Line 3 is neither UTF-8 nor Windows-1252 (Latin-1) text (byte 0x81). "
            "Save it as “CSV UTF-8” and upload it again.",
        ),
        (
            mixed_encodings(),
            "Line 3 is not UTF-8 text although other lines are: the file mixes two encodings.",
        ),
        (
            csv_bytes([{}], encoding="utf-16-le"),
            "The file is saved as UTF-16 (Excel's “Unicode text”).",
        ),
    ],
    ids=["undefined-byte", "mixed", "utf-16-without-bom"],
)
def test_unreadable_text_names_the_encoding_and_the_line(client, coordinator, content, message):
    """Is text in no encoding we can tell refused, naming the encoding and the line?"""
    reply = upload(client, content, "people.csv")
    assert reply.status_code == 400
    assert message in html.unescape(reply.text)


def test_values_people_write_are_understood(client, coordinator):
    """Are language names and 3-letter codes, madrelingua, dd/mm/yyyy dates and sì read as the
    values they mean (none dropped)?"""
    row = {
        "preferred_language": "English", "first_language": "arabo",
        "first_language_level": "madrelingua", "italian_level": "a2",
        "other_languages": "inglese:B1; fra:A2; tir:native", "waiting_since": "15/01/2025",
        "remote_ok": "sì", "municipality": "Fidenza",
    }  # fmt: skip
    upload(client, csv_bytes([row], delimiter=";"))
    assert "0 problems found" in preview(client)
    created = confirm(client)
    assert {(lang.lang, lang.level, lang.is_first) for lang in created.languages} == {
        ("ar", "native", True), ("it", "A2", False), ("en", "B1", False),
        ("fr", "A2", False), ("ti", "native", False),
    }  # fmt: skip
    assert created.preferred_language == "en"
    assert created.waiting_since == date(2025, 1, 15)
    assert created.remote_ok is True


@pytest.mark.parametrize(
    ("written", "code", "province", "label"),
    [
        ("Reggio Emilia", "RE", "Reggio Emilia", "Reggio nell'Emilia (RE)"),
        ("Bolzano", "BZ", "Bolzano", "Bolzano/Bozen (BZ)"),
        ("Reggio Calabria", "RC", "Reggio Calabria", "Reggio di Calabria (RC)"),
        ("Forli'", "FC", "Forlì-Cesena", "Forlì (FC)"),
    ],
)
def test_names_people_use_find_the_municipality(client, written, code, province, label):
    """Does a common name ("Reggio Emilia", "Bolzano", "Forli'") find the municipality?"""
    sign_in(client, territories=[factories.territory(code, province, "")])
    client.post("/language/en", data={"next": "/"})
    upload(client, csv_bytes([{"municipality": written}]))
    assert label in preview(client)
    assert confirm(client).place.label == label


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            {"first_language": "arbo"},
            "line 2, column first_language: unknown language “arbo”; did you mean arabo (ar)?",
        ),
        (
            {"municipality": "Parme"},
            "line 2, column municipality: unknown municipality “Parme”; did you mean Parma (PR) "
            "or Parre (BG)?",
        ),
        (
            {"needs": "work_cvv:3"},
            "line 2, column needs: unknown skill code “work_cvv”; did you mean work_cv?",
        ),
        (
            {"other_languages": "inglese"},
            "line 2, column other_languages: give a level for “inglese”, e.g. inglese:B1",
        ),
        (
            {"waiting_since": "2999-01-01"},
            "line 2, column waiting_since: the date is in the future",
        ),
    ],
    ids=["unknown-language", "unknown-municipality", "unknown-skill", "no-level", "future-date"],
)
def test_bad_values_are_reported_with_a_suggestion(client, coordinator, row, message):
    """Is a value we cannot read reported at its line and column, with the closest values?"""
    upload(client, csv_bytes([row]))
    assert message in preview(client)
    assert count() == 0


def test_a_header_only_file_says_so(client, coordinator):
    """Does a file with only a header say it has no rows?"""
    upload(client, csv_bytes([]))
    assert "The file has no rows under the header." in preview(client)


def test_messages_are_in_italian_for_an_italian_coordinator(client):
    """Does an Italian coordinator read the same problem in Italian?"""
    sign_in(client, territories=[factories.territory()])
    client.post("/language/it", data={"next": "/"})
    upload(client, csv_bytes([{"first_language": "arbo", "municipality": "Reggio"}]))
    page = preview(client)
    assert (
        "riga 2, colonna first_language: lingua sconosciuta “arbo”; forse intendevi arabo (ar)?"
        in page
    )
    assert (
        "riga 2, colonna municipality: comune sconosciuto “Reggio”; forse intendevi "
        "Reggio di Calabria (RC), Reggio nell'Emilia (RE) o Reggiolo (RE)?" in page
    )


def test_every_problem_has_words_in_the_web():
    """Does each problem the shared reader can report have a message in the catalogues?"""
    assert set(Code) | set(ImportCode) == set(MESSAGES)
