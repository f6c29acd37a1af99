"""The command line on CSV files: good files, bad files, the benchmark."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from matching.__main__ import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
TUTORS_HEADER = "id,municipality,lat,lon,max_km,capacity,free_slots,skills,languages,availability\n"
BENEFICIARIES_HEADER = (
    "id,municipality,lat,lon,needs,languages,first_language,availability,waiting_since\n"
)


def run(*args: str) -> int:
    return main(list(args))


def test_examples_match(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Do the example files run, write proposals, and explain the unmatched?"""
    out = tmp_path / "proposals.csv"
    code = run(
        "match",
        "--tutors",
        str(EXAMPLES / "tutors.csv"),
        "--beneficiaries",
        str(EXAMPLES / "beneficiaries.csv"),
        "--out",
        str(out),
        "--now",
        "2025-01-15",
    )
    assert code == 0
    assert "13 of 16 beneficiaries matched" in capsys.readouterr().out
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    statuses = {row["status"] for row in rows}
    assert statuses >= {"assigned", "unmatched"}
    unmatched = {
        row["beneficiary_id"]: row["reasons"] for row in rows if row["status"] == "unmatched"
    }
    # Tigrinya and Italian A1: Italian at A1 counts, so a tutor was possible (taken by another)
    assert unmatched["15"].startswith("all_candidates_taken(candidates=1")
    alternative = next(row for row in rows if row["beneficiary_id"] == "15" and row["tutor_id"])
    assert "italian_only(level=A1)" in alternative["reasons"]
    assert unmatched["8"].startswith("no_tutor_within_reach(")
    assigned = [row for row in rows if row["status"] == "assigned"]
    assert all(0 < float(row["score"]) <= 1 for row in assigned)
    assert "needs_covered(" in assigned[0]["reasons"]


def test_exclude_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Does --exclude drop a pair, and --json print the run statistics?"""
    exclude = tmp_path / "exclude.csv"
    exclude.write_text("beneficiary_id,tutor_id\n1,101\n")
    out = tmp_path / "p.csv"
    code = run(
        "match",
        "--tutors",
        str(EXAMPLES / "tutors.csv"),
        "--beneficiaries",
        str(EXAMPLES / "beneficiaries.csv"),
        "--out",
        str(out),
        "--exclude",
        str(exclude),
        "--json",
        "--now",
        "2025-01-15",
    )
    assert code == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["beneficiaries"] == 16 and "phase_seconds" in stats
    pairs = {
        (row["beneficiary_id"], row["tutor_id"])
        for row in csv.DictReader(out.read_text(encoding="utf-8").splitlines())
    }
    assert ("1", "101") not in pairs


GOOD_TUTOR = "1,Parma,,,10,1,1,work_cv,it:native,mon_evening\n"
GOOD_BENEFICIARY = "1,Parma,,,work_cv:3,it:B1,it,mon_evening,2024-10-01\n"


@pytest.mark.parametrize(
    ("which", "content", "expected"),
    [
        (
            "tutors",
            TUTORS_HEADER + "1,Parma,,,10,5,1,work_cv,it:native,\n",
            ":2: capacity: 5 must be between 1 and 3",
        ),
        (
            "tutors",
            TUTORS_HEADER + "1,Parma,,,ten,1,1,work_cv,it:native,\n",
            ":2: max_km: 'ten' is not a number",
        ),
        (
            "tutors",
            TUTORS_HEADER + GOOD_TUTOR + "2,Parma,,,10,1,1,cooking,it:native,\n",
            ":3: skills: unknown skill 'cooking'",
        ),
        (
            "tutors",
            TUTORS_HEADER + "1,Atlantide,,,10,1,1,work_cv,it:native,\n",
            ":2: municipality: unknown municipality 'Atlantide'",
        ),
        (
            "tutors",
            TUTORS_HEADER + "1,Calliano,,,10,1,1,work_cv,it:native,\n",
            ":2: municipality: ambiguous municipality",
        ),
        (
            "tutors",
            TUTORS_HEADER + "1,Parma,,,10,1,1,work_cv,it:fluent,\n",
            ":2: languages: level 'fluent' of 'it' is not one of",
        ),
        (
            "tutors",
            TUTORS_HEADER + "1,Parma,,,10,1,1,work_cv,it:native,noon\n",
            ":2: availability: unknown slot 'noon'",
        ),
        (
            "tutors",
            TUTORS_HEADER + "1,,95,10,10,1,1,work_cv,it:native,\n",
            ":2: lat: 95 must be between -90 and 90",
        ),
        (
            "tutors",
            TUTORS_HEADER + "1,,,,10,1,1,work_cv,it:native,\n",
            ":2: municipality: a place is required",
        ),
        (
            "tutors",
            TUTORS_HEADER + GOOD_TUTOR + GOOD_TUTOR,
            ":3: id: '1' appears twice (first on line 2)",
        ),
        ("tutors", "id,shoe_size\n1,42\n", ":1: shoe_size: unknown column"),
        ("tutors", "", ": -: the file is empty"),
        (
            "tutors",
            TUTORS_HEADER + "1,Parma,,,10,1,1,work_cv,it:native,mon_evening,extra\n",
            ":2: -: column K has a value but no name in the header",
        ),
        (
            "beneficiaries",
            BENEFICIARIES_HEADER + "1,Parma,,,work_cv:7,it:B1,it,,2024-10-01\n",
            ":2: needs: 7 must be between 1 and 3",
        ),
        (
            "beneficiaries",
            BENEFICIARIES_HEADER + "1,Parma,,,work_cv,it:B1,it,,yesterday\n",
            ":2: waiting_since: 'yesterday' is not a date",
        ),
        (
            "beneficiaries",
            BENEFICIARIES_HEADER + "1,Parma,,,work_cv,it:B1,ar,,2024-10-01\n",
            ":2: first_language: 'ar' is not among",
        ),
        (
            "beneficiaries",
            BENEFICIARIES_HEADER + "1,Parma,,,,it:B1,it,,2024-10-01\n",
            ":2: needs: a value is required",
        ),
        ("beneficiaries", "id,municipality\n1,Parma\n", ":1: needs: required column is missing"),
    ],
)
def test_bad_rows_are_reported_by_file_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], which: str, content: str, expected: str
) -> None:
    """Does a bad file give `file:line: column: problem` and exit 2, never a traceback?"""
    files = {
        "tutors": TUTORS_HEADER + GOOD_TUTOR,
        "beneficiaries": BENEFICIARIES_HEADER + GOOD_BENEFICIARY,
    }
    files[which] = content
    for name, text in files.items():
        (tmp_path / f"{name}.csv").write_text(text, encoding="utf-8")
    code = run(
        "match",
        "--tutors",
        str(tmp_path / "tutors.csv"),
        "--beneficiaries",
        str(tmp_path / "beneficiaries.csv"),
        "--out",
        str(tmp_path / "out.csv"),
    )
    err = capsys.readouterr().err
    assert code == 2
    assert f"{tmp_path / (which + '.csv')}{expected}" in err or expected in err, err
    assert "Traceback" not in err


def test_missing_file_and_bad_weights(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Do a missing input and a bad weights file give a one-line error and exit 2?"""
    good = [
        "--tutors",
        str(EXAMPLES / "tutors.csv"),
        "--beneficiaries",
        str(EXAMPLES / "beneficiaries.csv"),
    ]
    assert (
        run(
            "match",
            "--tutors",
            str(tmp_path / "none.csv"),
            *good[2:],
            "--out",
            str(tmp_path / "o.csv"),
        )
        == 2
    )
    assert "no such file" in capsys.readouterr().err
    weights = tmp_path / "w.toml"
    weights.write_text("[components]\nproximity = -2\n")
    assert run("match", *good, "--out", str(tmp_path / "o.csv"), "--weights", str(weights)) == 2
    assert "proximity" in capsys.readouterr().err
    weights.write_text("not toml [")
    assert run("match", *good, "--out", str(tmp_path / "o.csv"), "--weights", str(weights)) == 2


def test_bad_arguments_exit_with_usage(capsys: pytest.CaptureFixture[str]) -> None:
    """Is a malformed --sizes refused by argparse (exit 2) with a clear message?"""
    with pytest.raises(SystemExit) as exit_info:
        run("bench", "--sizes", "400by600")
    assert exit_info.value.code == 2
    assert "BENEFICIARIESxTUTORS" in capsys.readouterr().err


def test_cli_as_a_process(tmp_path: Path) -> None:
    """Does `python -m matching` run as a process, and the benchmark print its table?"""
    bad = tmp_path / "t.csv"
    bad.write_text(TUTORS_HEADER + "1,Parma,,,10,1,1,work_cv,it:native,sometimes\n")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "matching",
            "match",
            "--tutors",
            str(bad),
            "--beneficiaries",
            str(EXAMPLES / "beneficiaries.csv"),
            "--out",
            str(tmp_path / "o.csv"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 2
    assert (
        done.stderr.strip()
        == f"{bad}:2: availability: unknown slot 'sometimes' (e.g. mon_morning … sun_evening)"
    )
    bench = subprocess.run(
        [sys.executable, "-m", "matching", "bench", "--sizes", "40x60"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert bench.returncode == 0, bench.stderr
    assert bench.stdout.splitlines()[1].startswith("40x60 |")
    assert "exclude interpreter start-up" in bench.stdout
