"""Command line: `python -m matching match ...` on spreadsheets, `python -m matching bench`."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date

from . import bench


def _size(text: str) -> str:
    parts = text.lower().split("x")
    if len(parts) != 2 or not all(p.isdigit() and int(p) > 0 for p in parts):
        raise argparse.ArgumentTypeError(f"{text!r} is not BENEFICIARIESxTUTORS, e.g. 400x600")
    return text.lower()


def _sizes(text: str) -> str:
    return ",".join(_size(part.strip()) for part in text.split(","))


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def parser() -> argparse.ArgumentParser:
    """Build the argument parser."""
    top = argparse.ArgumentParser(prog="python -m matching", description=__doc__)
    commands = top.add_subparsers(dest="command", required=True)
    run = commands.add_parser("match", help="match tutors and beneficiaries from CSV files")
    run.add_argument("--tutors", required=True, help="tutors CSV or XLSX (see docs/matching.md)")
    run.add_argument("--beneficiaries", required=True, help="beneficiaries CSV or XLSX")
    run.add_argument("--out", required=True, help="proposals CSV to write")
    run.add_argument("--weights", help="weights TOML (default: config/weights.toml)")
    run.add_argument(
        "--exclude", help="CSV or XLSX of beneficiary_id,tutor_id pairs never to propose"
    )
    run.add_argument("--now", type=_date, default=None, help="today's date (YYYY-MM-DD)")
    run.add_argument("--json", action="store_true", help="print the run statistics as JSON")
    timing = commands.add_parser("bench", help="benchmark on synthetic instances")
    timing.add_argument("--sizes", type=_sizes, default=bench.DEFAULT_SIZES)
    timing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    timing.add_argument("--no-full", action="store_true", help="skip the unpruned optimum")
    timing.add_argument("--one", type=_size, help=argparse.SUPPRESS)  # one size, this process
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = parser().parse_args(argv)
    if args.command == "bench":
        if args.one:
            n_b, n_t = (int(x) for x in args.one.split("x"))
            print(json.dumps(bench.run_size(n_b, n_t, full=not args.no_full)))
            return 0
        return bench.run(args.sizes, as_json=args.json, full=not args.no_full)
    # Imported here: the benchmark's processes need no spreadsheet reader (openpyxl).
    from .match_command import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
