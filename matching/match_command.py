"""`python -m matching match`: check the output, read the spreadsheets, match, write CSV."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tomllib
from collections import Counter
from datetime import date
from pathlib import Path

from .csvio import (
    CsvError,
    Roster,
    describe,
    read_beneficiaries,
    read_excluded,
    read_tutors,
    write_proposals,
)
from .engine import match
from .model import Beneficiary, Tutor
from .weights import load_weights

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def run(args: argparse.Namespace) -> int:
    """Run the match command; return the exit status."""
    try:
        weights = load_weights(args.weights)
    except OSError as exc:
        print(f"{args.weights}: -: cannot read: {exc.strerror}", file=sys.stderr)
        return 2
    except (tomllib.TOMLDecodeError, ValueError) as exc:
        print(f"{args.weights}: -: {exc}", file=sys.stderr)
        return 2
    out = Path(args.out)
    problem = output_problem(out, {"tutors": args.tutors, "beneficiaries": args.beneficiaries})
    if problem:
        print(f"{out}: -: {problem}", file=sys.stderr)
        return 2
    today = args.now or date.today()
    inputs = read_inputs(args.tutors, args.beneficiaries, args.exclude, today)
    if isinstance(inputs, list):
        print(*inputs, sep="\n", file=sys.stderr)
        return 2
    tutors, beneficiaries, exclude = inputs
    result = match(
        tutors.records, beneficiaries.records, weights=weights, now=today, exclude=exclude
    )
    try:
        rows = write_proposals(out, result, tutors, beneficiaries)
    except OSError as exc:
        print(f"{out}: -: cannot write: {exc.strerror}", file=sys.stderr)
        return 2
    stats = result.stats
    if args.json:
        print(json.dumps(stats.__dict__, indent=2))
    else:
        reasons = Counter(reasons[0].code for reasons in result.unmatched.values() if reasons)
        print(
            f"{stats.matched} of {stats.beneficiaries} beneficiaries matched "
            f"({100 * stats.coverage:.0f} %), total score {stats.total_score:.2f}; "
            f"{rows} rows written to {args.out}"
        )
        for code, count in reasons.most_common():
            print(f"  unmatched: {count} × {code}")
    return 0


def read_inputs(
    tutors_path: str, beneficiaries_path: str, exclude_path: str | None, today: date
) -> tuple[Roster[Tutor], Roster[Beneficiary], list[tuple[int, int]]] | list[str]:
    """Read the three files; print --exclude's warnings; return the problems of both files."""
    errors: list[str] = []
    try:
        tutors = read_tutors(tutors_path)
    except CsvError as exc:
        errors += exc.lines
    try:
        beneficiaries = read_beneficiaries(beneficiaries_path, today=today)
    except CsvError as exc:
        errors += exc.lines
    if errors:
        return errors
    if not exclude_path:
        return tutors, beneficiaries, []
    try:
        exclude, warnings = read_excluded(exclude_path, tutors, beneficiaries)
    except CsvError as exc:
        return exc.lines
    for warning in warnings:
        print(describe(Path(exclude_path), warning), file=sys.stderr)
    return tutors, beneficiaries, exclude


def output_problem(out: Path, inputs: dict[str, str]) -> str | None:
    """Say what is wrong with the proposals file to write, before any matching runs."""
    if out.is_dir():
        return "is a folder: give a file name for the proposals"
    if out.suffix.lower() in WORKBOOK_SUFFIXES:
        return "proposals are written as CSV: give a file name ending in .csv"
    folder = out.parent
    if not folder.is_dir():
        return f"the folder {folder} does not exist"
    for kind, given in inputs.items():
        if Path(given).exists() and out.exists() and out.samefile(given):
            return f"this is the {kind} file: give another file name for the proposals"
    if not os.access(out if out.exists() else folder, os.W_OK):
        return "cannot write here (no permission)"
    return None
