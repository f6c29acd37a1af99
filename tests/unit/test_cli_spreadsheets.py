"""The command line on files as coordinators keep them: every case of issue 7, with its message.

Each test writes files in tmp_path and runs `python -m matching match` through main() (one
test as a real process); the rows are read by matching/sheets.py and matching/cells.py, the
module the web import uses too.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

import matching.match_command as command
from matching.__main__ import main
from matching.problems import ENGLISH, Code

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
NOW = "2025-01-15"
TUTORS_HEADER = "id,municipality,lat,lon,max_km,capacity,free_slots,skills,languages,availability\n"
BENEFICIARIES_HEADER = (
    "id,municipality,lat,lon,needs,languages,first_language,availability,waiting_since\n"
)
GOOD_TUTOR = "1,Parma,,,10,1,1,work_cv,it:native,mon_evening\n"
GOOD_BENEFICIARY = "1,Parma,,,work_cv:3,it:B1,it,mon_evening,2024-10-01\n"
FOURTEEN_TUTORS = "".join(f"{i},Parma,,,10,1,1,work_cv,it:native,\n" for i in range(1, 15))
ITALIAN_NAMES = {
    "ar": "arabo", "en": "inglese", "it": "italiano", "ti": "tigrino", "yo": "yoruba",
    "fr": "francese", "wo": "wolof", "uk": "ucraino", "ru": "russo", "fa": "persiano",
    "bn": "bengalese", "bm": "bambara", "ka": "georgiano", "ur": "urdu", "pa": "punjabi",
    "so": "somalo", "ps": "pashto", "es": "spagnolo",
}  # fmt: skip
THREE_LETTERS = {
    "ar": "ara", "en": "eng", "it": "ita", "ti": "tir", "yo": "yor", "fr": "fra", "wo": "wol",
    "uk": "ukr", "ru": "rus", "fa": "fas", "bn": "ben", "bm": "bam", "ka": "kat", "ur": "urd",
    "pa": "pan", "so": "som", "ps": "pus", "es": "spa",
}  # fmt: skip


def examples(name: str) -> list[list[str]]:
    """The rows (header first) of an example file."""
    return list(csv.reader((EXAMPLES / f"{name}.csv").read_text(encoding="utf-8").splitlines()))


def text(rows: list[list[str]], delimiter: str = ",", newline: str = "\n") -> str:
    """Write rows as CSV text the way a spreadsheet program would."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return buffer.getvalue()


def rename_languages(rows: list[list[str]], names: dict[str, str]) -> list[list[str]]:
    """Write the languages (and first language) with other words for the same codes."""
    header = rows[0]
    renamed = [header]
    for row in rows[1:]:
        cells = dict(zip(header, row, strict=True))
        cells["languages"] = ";".join(
            f"{names[code]}:{'madrelingua' if level == 'native' else level}"
            for code, _, level in (pair.partition(":") for pair in cells["languages"].split(";"))
        )
        if cells.get("first_language"):
            cells["first_language"] = names[cells["first_language"]]
        renamed.append([cells[column] for column in header])
    return renamed


def with_column(rows: list[list[str]], column: str, change: Callable[[str], str]):
    """Change every value of one column."""
    at = rows[0].index(column)
    return [rows[0]] + [[change(v) if i == at else v for i, v in enumerate(r)] for r in rows[1:]]


def italian_dates(rows: list[list[str]]) -> list[list[str]]:
    """Write waiting_since as dd/mm/yyyy."""
    return with_column(rows, "waiting_since", lambda v: date.fromisoformat(v).strftime("%d/%m/%Y"))


def text_ids(rows: list[list[str]], prefix: str) -> list[list[str]]:
    """Write ids like B-001."""
    return with_column(rows, "id", lambda v: f"{prefix}-{int(v):03d}")


def yes_no_in_italian(rows: list[list[str]]) -> list[list[str]]:
    """Write remote_ok as sì / no."""
    return with_column(rows, "remote_ok", lambda v: "sì" if v == "yes" else v)


def xlsx(rows: list[list[str]]) -> bytes:
    """Save rows as a workbook with numbers as numbers and dates as dates, as Excel would."""
    book = Workbook()
    sheet = book.active
    for index, row in enumerate(rows):
        values: list[object] = []
        for column, value in zip(rows[0], row, strict=True):
            if index and column in {"id", "max_km", "capacity", "free_slots"} and value:
                values.append(int(value))
            elif index and column == "waiting_since":
                values.append(datetime.fromisoformat(value))
            else:
                values.append(value or None)
        sheet.append(values)
    sheet.append([])
    sheet.append([None, None, None])  # the formatted but empty rows Excel leaves at the end
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run_match(
    tmp_path: Path,
    tutors: str | bytes,
    beneficiaries: str | bytes,
    *extra: str,
    suffix: str = ".csv",
) -> int:
    """Write both files (text as UTF-8) and run the match command on them."""
    paths = {}
    for name, content in (("tutors", tutors), ("beneficiaries", beneficiaries)):
        path = tmp_path / f"{name}{suffix}"
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        paths[name] = str(path)
    return main(
        [
            "match", "--tutors", paths["tutors"], "--beneficiaries", paths["beneficiaries"],
            "--out", str(tmp_path / "proposals.csv"), "--now", NOW, *extra,
        ]
    )  # fmt: skip


def proposals(tmp_path: Path) -> list[dict[str, str]]:
    """The rows of the proposals file."""
    return list(
        csv.DictReader((tmp_path / "proposals.csv").read_text(encoding="utf-8").splitlines())
    )


SAVED_AS = {
    "semicolons": lambda t, b: (text(t, ";"), text(b, ";")),
    "utf8-bom": lambda t, b: ("\ufeff" + text(t), "\ufeff" + text(b)),
    "windows-line-ends": lambda t, b: (text(t, newline="\r\n"), text(b, newline="\r\n")),
    "blank-trailing-rows": lambda t, b: (text(t) + ",,,,\n\n" * 3, text(b, ";") + ";;;\r\n" * 4),
    "dd-mm-yyyy": lambda t, b: (text(t), text(italian_dates(b))),
    "si-no": lambda t, b: (text(yes_no_in_italian(t)), text(yes_no_in_italian(b))),
    "language-names": lambda t, b: (
        text(rename_languages(t, {code: code for code in ITALIAN_NAMES} | {"en": "English"})),
        text(rename_languages(b, ITALIAN_NAMES)),
    ),
    "three-letter-codes": lambda t, b: (text(t), text(rename_languages(b, THREE_LETTERS))),
    "text-ids": lambda t, b: (text(text_ids(t, "T")), text(text_ids(b, "B"))),
    "windows-1252": lambda t, b: (
        text(t).replace("cinema", "cinéma").encode("cp1252"),
        text(b).encode("cp1252"),
    ),
}


@pytest.mark.parametrize("saved_as", SAVED_AS)
def test_example_files_as_spreadsheets_save_them_match_the_same(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], saved_as: str
) -> None:
    """Do the examples, saved the way spreadsheets save them, still match 13 of 16 (no value
    dropped: language names once matched only 8)?"""
    tutors, beneficiaries = SAVED_AS[saved_as](examples("tutors"), examples("beneficiaries"))
    code = run_match(tmp_path, tutors, beneficiaries)
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "13 of 16 beneficiaries matched" in out
    assert err == ""


def test_text_ids_are_written_back_as_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Are ids like B-001 accepted and written back as given in the proposals?"""
    tutors, beneficiaries = SAVED_AS["text-ids"](examples("tutors"), examples("beneficiaries"))
    assert run_match(tmp_path, tutors, beneficiaries) == 0
    rows = proposals(tmp_path)
    assert {row["beneficiary_id"] for row in rows} == {f"B-{i:03d}" for i in range(1, 17)}
    assert all(re.fullmatch(r"T-1\d\d", row["tutor_id"]) for row in rows if row["tutor_id"])


def test_xlsx_workbooks_are_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Are XLSX workbooks (numbers, Excel dates, trailing empty rows) read like the CSV files?"""
    code = run_match(
        tmp_path, xlsx(examples("tutors")), xlsx(examples("beneficiaries")), suffix=".xlsx"
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "13 of 16 beneficiaries matched" in out


def test_xlsx_errors_name_the_sheet_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Is a bad cell of a workbook reported at the line the spreadsheet shows?"""
    rows = examples("tutors")
    rows[4][rows[0].index("capacity")] = "5"
    assert run_match(tmp_path, xlsx(rows), xlsx(examples("beneficiaries")), suffix=".xlsx") == 2
    assert capsys.readouterr().err == (
        f"{tmp_path / 'tutors.xlsx'}:5: capacity: 5 must be between 1 and 3\n"
    )


def test_windows_1252_names_resolve(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Is a Windows-1252 file read as such, so that Forlì is Forlì?"""
    tutors = (TUTORS_HEADER + "1,Forlì,,,1,1,1,work_cv,it:native,mon_evening\n").encode("cp1252")
    beneficiaries = BENEFICIARIES_HEADER + "1,040012,,,work_cv:3,it:B1,it,mon_evening,2024-10-01\n"
    assert run_match(tmp_path, tutors, beneficiaries) == 0, capsys.readouterr().err
    assert "1 of 1 beneficiaries matched" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            (TUTORS_HEADER + GOOD_TUTOR).encode() + b"2,Parma,,,10,1,1,work_cv,it:native,\x81\n",
            ":3: -: byte 0x81 is neither UTF-8 nor Windows-1252 (Latin-1) text: "
            "save the file as CSV UTF-8",
        ),
        (
            (TUTORS_HEADER + "1,Forlì,,,10,1,1,work_cv,it:native,\n").encode()
            + "2,Forlì,,,10,1,1,work_cv,it:native,\n".encode("cp1252"),
            ":3: -: this line is not UTF-8 text although other lines are: the file "
            "mixes two encodings; save it as CSV UTF-8",
        ),
    ],
    ids=["undefined-byte", "mixed"],
)
def test_unreadable_text_names_the_encoding_and_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, expected: str
) -> None:
    """Is text that is neither UTF-8 nor Windows-1252 refused, naming the encoding and line?"""
    assert run_match(tmp_path, content, BENEFICIARIES_HEADER + GOOD_BENEFICIARY) == 2
    assert capsys.readouterr().err == f"{tmp_path / 'tutors.csv'}{expected}\n"


@pytest.mark.parametrize(
    ("tutors", "beneficiaries", "expected"),
    [
        (
            TUTORS_HEADER + "1,,200,10,10,1,1,work_cv,it:native,\n",
            BENEFICIARIES_HEADER + GOOD_BENEFICIARY,
            "tutors.csv:2: lat: 200 must be between -90 and 90\n",
        ),
        (
            TUTORS_HEADER + "1,,44.8,,10,1,1,work_cv,it:native,\n",
            BENEFICIARIES_HEADER + GOOD_BENEFICIARY,
            "tutors.csv:2: lon: lat is given but lon is empty: give both\n",
        ),
        (
            TUTORS_HEADER + "1,,\"10,33\",\"44,80\",10,1,1,work_cv,it:native,\n",
            BENEFICIARIES_HEADER + GOOD_BENEFICIARY,
            "tutors.csv:2: lat: 10.33, 44.8 is outside Italy: lat and lon look swapped "
            "(lat 44.8, lon 10.33 is in Italy)\n",
        ),
        (
            TUTORS_HEADER + "1,,48.85,2.35,10,1,1,work_cv,it:native,\n",
            BENEFICIARIES_HEADER + GOOD_BENEFICIARY,
            "tutors.csv:2: lat: 48.85, 2.35 is outside Italy\n",
        ),
        (
            TUTORS_HEADER + GOOD_TUTOR,
            BENEFICIARIES_HEADER + "1,Parma,,,work_cv:3,it:B1,it,,16/01/2025\n",
            "beneficiaries.csv:2: waiting_since: '16/01/2025' is in the future (today is "
            "2025-01-15)\n",
        ),
        (
            TUTORS_HEADER,
            BENEFICIARIES_HEADER + GOOD_BENEFICIARY,
            "tutors.csv:1: -: the file has a header but no rows\n",
        ),
        (
            TUTORS_HEADER + FOURTEEN_TUTORS + "7,Parma,,,10,1,1,work_cv,it:native,\n",
            BENEFICIARIES_HEADER + GOOD_BENEFICIARY,
            "tutors.csv:16: id: '7' appears twice (first on line 8)\n",
        ),
        (
            TUTORS_HEADER + GOOD_TUTOR,
            BENEFICIARIES_HEADER + "1,Parma,,,work_cv:3,italiano:B1;arbo:native,it,,2024-10-01\n",
            "beneficiaries.csv:2: languages: unknown language 'arbo'; did you mean arabo (ar)?\n",
        ),
        (
            TUTORS_HEADER + "1,Parme,,,10,1,1,work_cv,it:native,\n",
            BENEFICIARIES_HEADER + GOOD_BENEFICIARY,
            "tutors.csv:2: municipality: unknown municipality 'Parme'; did you mean Parma (PR) or "
            "Parre (BG)?\n",
        ),
        (
            TUTORS_HEADER + "1,Reggio,,,10,1,1,work_cv,it:native,\n",
            BENEFICIARIES_HEADER + GOOD_BENEFICIARY,
            "tutors.csv:2: municipality: unknown municipality 'Reggio'; did you mean "
            "Reggio di Calabria (RC), Reggio nell'Emilia (RE) or Reggiolo (RE)?\n",
        ),
        (
            TUTORS_HEADER.replace("languages", "lingue") + GOOD_TUTOR,
            BENEFICIARIES_HEADER + GOOD_BENEFICIARY,
            "tutors.csv:1: lingue: unknown column; did you mean languages? (known: id, "
            "municipality, lat, lon, max_km, capacity, free_slots, skills, languages, "
            "availability, interests, gender, remote_ok, documents)\n"
            "tutors.csv:1: languages: required column is missing\n",
        ),
    ],
    ids=[
        "lat-200", "lat-without-lon", "swapped-lat-lon", "outside-italy", "future-waiting-since",
        "header-only", "duplicate-id-at-line", "unknown-language", "unknown-municipality",
        "ambiguous-prefix", "unknown-column",
    ],
)  # fmt: skip
def test_bad_values_are_errors_with_the_words_a_coordinator_reads(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    tutors: str,
    beneficiaries: str,
    expected: str,
) -> None:
    """Does each value that used to pass silently, or with a misleading message, now stop the
    run with exactly one clear message at its spreadsheet line?"""
    assert run_match(tmp_path, tutors, beneficiaries) == 2
    err = capsys.readouterr().err
    assert err == "".join(f"{tmp_path}/{line}\n" for line in expected.splitlines())


@pytest.mark.parametrize(
    ("written", "istat_code"),
    [
        ("Bolzano", "021008"),
        ("Bozen", "021008"),
        ("Reggio Emilia", "035033"),
        ("reggio-emilia", "035033"),
        ("Reggio Calabria", "080063"),
        ("Forli'", "040012"),
        ("FORLI", "040012"),
        ("Reggio Emilia (RE)", "035033"),
    ],
)
def test_names_people_use_resolve_to_the_municipality(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], written: str, istat_code: str
) -> None:
    """Does a common name find the municipality (a tutor there reaches a beneficiary placed by
    ISTAT code within 1 km)?"""
    tutors = TUTORS_HEADER + f'1,"{written}",,,1,1,1,work_cv,it:native,mon_evening\n'
    beneficiaries = (
        BENEFICIARIES_HEADER + f"1,{istat_code},,,work_cv:3,it:B1,it,mon_evening,2024-10-01\n"
    )
    assert run_match(tmp_path, tutors, beneficiaries) == 0, capsys.readouterr().err
    assert "1 of 1 beneficiaries matched" in capsys.readouterr().out


def test_unknown_ids_in_exclude_are_a_warning_naming_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Does --exclude warn about ids that are in neither file (a rejected pair could come back),
    and still exclude the pairs it knows?"""
    exclude = tmp_path / "exclude.csv"
    exclude.write_text("beneficiary_id;tutor_id\n1;101\n99;101\n1;777\n\n", encoding="utf-8")
    code = run_match(
        tmp_path,
        text(examples("tutors")),
        text(examples("beneficiaries")),
        "--exclude",
        str(exclude),
    )
    out, err = capsys.readouterr()
    assert code == 0
    assert err == (
        f"{exclude}:3: beneficiary_id: warning: no beneficiary '99' in "
        f"{tmp_path / 'beneficiaries.csv'}: this pair excludes nothing\n"
        f"{exclude}:4: tutor_id: warning: no tutor '777' in "
        f"{tmp_path / 'tutors.csv'}: this pair excludes nothing\n"
    )
    assert "beneficiaries matched" in out
    assert ("1", "101") not in {
        (row["beneficiary_id"], row["tutor_id"]) for row in proposals(tmp_path)
    }


@pytest.mark.parametrize(
    ("out", "expected"),
    [
        ("missing/proposals.csv", "the folder {folder} does not exist"),
        ("proposals.xlsx", "proposals are written as CSV: give a file name ending in .csv"),
        ("tutors.csv", "this is the tutors file: give another file name for the proposals"),
        (".", "is a folder: give a file name for the proposals"),
    ],
)
def test_output_is_checked_before_matching_starts(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    out: str,
    expected: str,
) -> None:
    """Is a bad --out refused before any matching runs (not after the whole match)?"""

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("matching ran before the output was checked")

    monkeypatch.setattr(command, "match", never)
    (tmp_path / "tutors.csv").write_text(TUTORS_HEADER + GOOD_TUTOR, encoding="utf-8")
    (tmp_path / "beneficiaries.csv").write_text(
        BENEFICIARIES_HEADER + GOOD_BENEFICIARY, encoding="utf-8"
    )
    target = tmp_path / out
    code = main(
        [
            "match", "--tutors", str(tmp_path / "tutors.csv"),
            "--beneficiaries", str(tmp_path / "beneficiaries.csv"), "--out", str(target),
        ]
    )  # fmt: skip
    assert code == 2
    message = expected.format(folder=target.parent)
    assert capsys.readouterr().err == f"{target}: -: {message}\n"


def test_a_semicolon_file_as_a_process(tmp_path: Path) -> None:
    """Does `python -m matching match` read a semicolon, Windows-1252 file with language names
    as a process, and say why a bad one fails?"""
    tutors = tmp_path / "volontari.csv"
    tutors.write_bytes(
        text(rename_languages(examples("tutors"), ITALIAN_NAMES), ";").encode("cp1252")
    )
    beneficiaries = tmp_path / "beneficiari.csv"
    beneficiaries.write_text(text(italian_dates(examples("beneficiaries")), ";"))
    command = [
        sys.executable, "-m", "matching", "match", "--tutors", str(tutors),
        "--beneficiaries", str(beneficiaries), "--out", str(tmp_path / "out.csv"), "--now", NOW,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("13 of 16 beneficiaries matched")
    tutors.write_text("id;municipality;max_km;capacity;skills;languages\n")
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 2
    assert done.stderr == f"{tutors}:1: -: the file has a header but no rows\n"


def test_every_problem_has_words_on_the_command_line() -> None:
    """Does each problem the reader can report have an English message?"""
    assert set(ENGLISH) == set(Code)
