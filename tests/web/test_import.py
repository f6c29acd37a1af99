"""Importing beneficiaries from CSV and XLSX: template, preview, errors, confirmation, limits."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from tests import factories
from tests.web.benef_helpers import bergamo, sign_in
from web.extensions import db
from web.models import AuditEvent, Beneficiary
from web.services.beneficiary_import import COLUMN_NAMES, EXAMPLE_ROW

GOOD = dict(zip(COLUMN_NAMES, EXAMPLE_ROW, strict=True))


def csv_bytes(rows: list[dict], delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    """Write rows (dicts by column) as CSV text in an encoding."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(COLUMN_NAMES)
    for row in rows:
        writer.writerow([{**GOOD, **row}[c] for c in COLUMN_NAMES])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[dict], formula_at: str | None = None) -> bytes:
    """Write rows as an XLSX workbook, optionally with a formula in one cell."""
    book = Workbook()
    sheet = book.active
    sheet.append(list(COLUMN_NAMES))
    for row in rows:
        sheet.append([{**GOOD, **row}[c] for c in COLUMN_NAMES])
    if formula_at:
        sheet[formula_at] = "=1+1"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, content: bytes, filename: str = "people.csv"):
    """Post a file to the import page."""
    return client.post(
        "/beneficiaries/import",
        data={"file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def count() -> int:
    return db.session.scalar(select(func.count(Beneficiary.id)))


@pytest.fixture
def coordinator(client):
    """A logged-in coordinator of Parma, reading the pages in English."""
    account = sign_in(client, territories=[factories.territory()])
    client.post("/language/en", data={"next": "/"})
    return account


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_template_downloads_and_imports_cleanly(client, coordinator, file_format):
    """Does the template have the documented header and an example that imports as is?"""
    reply = client.get(f"/beneficiaries/import/template.{file_format}")
    assert reply.status_code == 200
    if file_format == "xlsx":
        sheet = load_workbook(io.BytesIO(reply.data)).active
        assert [c.value for c in sheet[1]] == list(COLUMN_NAMES)
    else:
        assert reply.data.decode("utf-8-sig").splitlines()[0] == ",".join(COLUMN_NAMES)
    preview = upload(client, reply.data, f"template.{file_format}")
    assert preview.status_code == 302
    page = client.get("/beneficiaries/import/preview")
    assert "Amina" in page.text and "Parma (PR)" in page.text
    assert count() == 0  # nothing written before confirmation
    done = client.post(
        "/beneficiaries/import/preview", data={"token": token(client), "consent": "y"}
    )
    assert done.status_code == 302
    created = db.session.scalar(select(Beneficiary))
    assert created.code == "PR-0001" and created.consent_collected_by_id == coordinator.id
    assert {n.skill_code: n.priority for n in created.needs} == {
        "work_cv": 3,
        "italian_conversation": 2,
    }
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "import"))
    assert event.details["rows"] == 1


def token(client) -> str:
    """The preview token the page carries in its hidden field."""
    with client.session_transaction() as session:
        return session["import_token"]


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (csv_bytes([{}], delimiter=";"), "semicolons.csv"),
        (b"\xef\xbb\xbf" + csv_bytes([{}]), "bom.csv"),
        (csv_bytes([{}]).replace(b"\n", b"\r\n"), "windows.csv"),
    ],
)
def test_csv_dialects_and_bom_are_accepted(client, coordinator, content, name):
    """Are semicolons, a UTF-8 BOM and Windows line ends read correctly?"""
    assert upload(client, content, name).status_code == 302
    assert "Amina" in client.get("/beneficiaries/import/preview").text


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (csv_bytes([{}], encoding="utf-16-le"), "x.csv", "UTF-16"),
        (b"", "x.csv", "The file is empty."),
        (b"   \n", "x.csv", "empty"),
        (b"%PDF-1.4 ...", "x.pdf", ".csv or .xlsx"),
        (xlsx_bytes([{}]), "x.xlsm", "macros"),
        (b"not a zip", "x.xlsx", "not a valid XLSX"),
        (xlsx_bytes([{}], formula_at="C2"), "x.xlsx", "C2"),
        (xlsx_bytes([{}]), "x.csv", "rename it to .xlsx"),
        (b"name,city\nAmina,Parma\n", "x.csv", "missing columns"),
        (b'first_name,"municipality\nAmina,Parma\n', "x.csv", "missing columns"),
    ],
)
def test_unreadable_files_get_a_clear_message(client, coordinator, content, name, message):
    """Do wrong encodings, types, macros, formulas and bad headers explain what to do?"""
    reply = upload(client, content, name)
    if reply.status_code == 302:
        reply = client.get("/beneficiaries/import/preview")
    assert message in reply.text
    assert count() == 0


def test_posting_without_a_file_asks_for_one(client, coordinator):
    """Does submitting the form with no file say so?"""
    reply = client.post("/beneficiaries/import", data={}, content_type="multipart/form-data")
    assert reply.status_code == 400 and "Choose a file." in reply.text


def test_workbook_with_vba_project_is_refused_whatever_its_name(client, coordinator):
    """Is an .xlsx that hides a vbaProject.bin refused?"""
    buffer = io.BytesIO(xlsx_bytes([{}]))
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00macro")
    reply = upload(client, buffer.getvalue(), "innocent.xlsx")
    assert reply.status_code == 400 and "macros" in reply.text


def test_fifty_megabytes_get_the_friendly_413_page(client, coordinator):
    """Does a 50 MB upload get our 413 page and write nothing?"""
    head = b'--B\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n\r\n'
    body = head + b"a" * (50 * 1024 * 1024) + b"\r\n--B--\r\n"  # in memory, no temp file
    reply = client.post(
        "/beneficiaries/import", data=body, content_type="multipart/form-data; boundary=B"
    )
    assert reply.status_code == 413
    assert "The file is too large." in reply.text
    assert count() == 0


def test_too_many_rows_are_refused(app, client, coordinator):
    """Is a file over the row limit refused with the limit in the message?"""
    app.config["IMPORT_MAX_ROWS"] = 3
    reply = upload(client, csv_bytes([{"email": f"p{i}@x.org"} for i in range(4)]))
    assert reply.status_code == 400 and "3" in reply.text


def test_every_bad_cell_is_reported_by_line_and_column(client, coordinator):
    """Does the preview list each error as "line N, column X: ..." and keep the good rows?"""
    factories.beneficiary(factories.territory(), first_name="Yonas", contact_email="yonas@x.org")
    rows = [
        {"first_name": "Good", "email": "good@x.org"},
        {"first_name": "Bad1", "email": "b1@x.org", "needs": "cooking:3"},
        {"first_name": "Bad2", "email": "b2@x.org", "first_language": "zz9"},
        {"first_name": "Bad3", "email": "b3@x.org", "first_language_level": "D4"},
        {"first_name": "Bad4", "email": "b4@x.org", "municipality": "Atlantide"},
        {"first_name": "Bad5", "email": "b5@x.org", "municipality": "Bergamo (BG)"},
        {"first_name": "Bad6", "email": "b6@x.org", "waiting_since": "31/02/2026"},
        {"first_name": "Bad7", "email": "b7@x.org", "waiting_since": "2999-01-01"},
        {"first_name": "Good", "email": "good@x.org"},
        {"first_name": "Yonas", "email": "YONAS@x.org"},
        {"first_name": "Bad8", "email": "", "phone": ""},
        {"first_name": "Bad9", "email": "b9@x.org", "availability": "sun_night"},
    ]
    upload(client, csv_bytes(rows))
    page = client.get("/beneficiaries/import/preview").text
    for expected in [
        "line 3, column needs: unknown skill code “cooking”",
        "line 4, column first_language: unknown language “zz9”",
        "line 5, column first_language_level: unknown level “D4”",
        "line 6, column municipality: unknown municipality “Atlantide”",
        "line 7, column municipality: Bergamo (BG) is not in one of your territories",
        "line 8, column waiting_since: “31/02/2026” is not a date",
        "line 9, column waiting_since: the date is in the future",
        "line 10, column first_name: same person as line 2",
        "line 11, column first_name: already registered as PR-",
        "line 12, column email: give an email or a phone",
        "line 13, column availability: unknown slot “sun_night”",
    ]:
        assert expected in page.replace("&#34;", '"'), expected
    # Confirming without choosing to skip the bad rows imports nothing.
    refused = client.post(
        "/beneficiaries/import/preview", data={"token": token(client), "consent": "y"}
    )
    assert refused.status_code == 400 and count() == 1
    done = client.post(
        "/beneficiaries/import/preview",
        data={"token": token(client), "consent": "y", "skip_bad_rows": "y"},
    )
    assert done.status_code == 302
    names = set(db.session.scalars(select(Beneficiary.first_name)))
    assert names == {"Yonas", "Good"}


def test_confirmation_needs_consent_and_the_session_token(client, coordinator):
    """Is confirming refused without consent, and is a forged token useless?"""
    upload(client, csv_bytes([{}]))
    assert (
        client.post("/beneficiaries/import/preview", data={"token": token(client)}).status_code
        == 400
    )
    forged = client.post("/beneficiaries/import/preview", data={"token": "abc", "consent": "y"})
    assert forged.status_code == 302 and forged.headers["Location"].endswith(
        "/beneficiaries/import"
    )
    assert count() == 0


def test_other_coordinator_cannot_use_my_preview(app, client, coordinator):
    """Can another session confirm a preview by knowing its token? It must not."""
    upload(client, csv_bytes([{}]))
    mine = token(client)
    other = app.test_client()
    sign_in(other, territories=[factories.territory()])
    reply = other.post("/beneficiaries/import/preview", data={"token": mine, "consent": "y"})
    assert reply.status_code == 302 and count() == 0


def test_cancel_forgets_the_preview(client, coordinator):
    """Does cancelling delete the stored rows so they cannot be imported later?"""
    upload(client, csv_bytes([{}]))
    mine = token(client)
    client.post("/beneficiaries/import/cancel", data={"token": mine})
    reply = client.post("/beneficiaries/import/preview", data={"token": mine, "consent": "y"})
    assert reply.status_code == 302 and count() == 0


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("table", ["beneficiaries", "matches"])
def test_export_is_scoped_and_audited(client, file_format, table):
    """Does the export hold only my territory's rows, and write an audit event?"""
    from tests.web.benef_helpers import match

    parma = factories.territory()
    mine = factories.beneficiary(parma, first_name="Parmigiana")
    match(mine, factories.tutor(parma, display_name="Giulia"))
    other = factories.beneficiary(
        bergamo(), first_name="Bergamasca", place_name="Bergamo", province="BG"
    )
    match(
        other, factories.tutor(bergamo(), place_name="Bergamo", province="BG", display_name="Bepi")
    )
    sign_in(client, territories=[parma])
    reply = client.get(f"/beneficiaries/export?table={table}&format={file_format}")
    assert reply.status_code == 200
    if file_format == "xlsx":
        sheet = load_workbook(io.BytesIO(reply.data)).active
        text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row)
    else:
        text = reply.data.decode("utf-8-sig")
    assert mine.code in text and other.code not in text
    assert "Bepi" not in text and "Bergamasca" not in text
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export"))
    assert event.territory_id == parma.id and event.details["format"] == file_format


def test_export_neutralises_formulas(client):
    """Is a name starting with "=" exported as text, not as a formula?"""
    parma = factories.territory()
    factories.beneficiary(parma, first_name="=HYPERLINK(1)")
    sign_in(client, territories=[parma])
    reply = client.get("/beneficiaries/export?table=beneficiaries&format=xlsx")
    sheet = load_workbook(io.BytesIO(reply.data)).active
    assert sheet["D2"].value == "'=HYPERLINK(1)" and sheet["D2"].data_type == "s"
