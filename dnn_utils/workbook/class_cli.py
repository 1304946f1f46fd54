"""The class-grading options of ``python -m dnn_utils.workbook grade``.

``grade SUBMISSIONS_DIR [--jobs N] [--csv FILE] [--out DIR] [--force] [--limit SECONDS]``
grades every ``SUBMISSIONS_DIR/<learner>/<notebook>.ipynb`` (see
:mod:`dnn_utils.workbook.batch`); given a notebook file instead, ``grade`` grades that one.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..validation import parse_count, parse_positive_number
from .batch import BatchInputError, Settings, grade_class, summary

CLASS_OPTIONS = ("jobs", "csv", "out", "force", "limit")


def _jobs(text: str) -> int:
    try:
        return parse_count(text, minimum=1)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"{exc} (the number of submissions graded at once)") from None


def _seconds(text: str) -> float:
    try:
        return parse_positive_number(text, example="900 (seconds)")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_class_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options that only apply when ``grade`` is given a folder."""
    group = parser.add_argument_group(
        "grading a class (NOTEBOOK is a folder SUBMISSIONS_DIR/<learner>/<notebook>.ipynb)"
    )
    group.add_argument("--jobs", type=_jobs, default=None, metavar="N",
                       help="submissions graded at the same time, each in its own process "
                       "(default: 1)")
    group.add_argument("--csv", type=Path, default=None, metavar="FILE",
                       help="the gradebook to write (default: gradebook.csv)")
    group.add_argument("--out", type=Path, default=None, metavar="DIR",
                       help="folder for each learner's feedback page and the stored results "
                       "(default: feedback/ beside the gradebook)")
    group.add_argument("--force", action="store_true", default=None,
                       help="re-grade submissions that are unchanged since the last run")
    group.add_argument("--limit", type=_seconds, default=None, metavar="SECONDS",
                       help="wall-clock seconds one submission may take in all (default: "
                       f"{Settings.limit:g})")


def class_options_given(args) -> list[str]:
    """The class-only options given on the command line (for a usage error with a file)."""
    return ["--" + name for name in CLASS_OPTIONS if getattr(args, name, None) is not None]


def run_class(args) -> int:
    """Grade a class folder from parsed arguments; return the exit status."""
    if args.json is not None:
        print("error: --json writes one notebook's report; a class folder gets --csv (the "
              "gradebook) and --out (feedback pages). Drop --json.", file=sys.stderr)
        return 2
    csv_path = Path("gradebook.csv") if args.csv is None else args.csv
    out_dir = csv_path.parent / "feedback" if args.out is None else args.out
    settings = Settings(timeout=args.timeout, kernel_name=args.kernel,
                        sandbox=not args.no_sandbox,
                        solutions=None if args.solutions is None else str(args.solutions),
                        **({} if args.limit is None else {"limit": args.limit}))
    try:
        result = grade_class(args.notebook, csv_path, out_dir, jobs=args.jobs or 1,
                             settings=settings, force=bool(args.force))
    except KeyboardInterrupt:
        print("error: interrupted (Ctrl-C); the graders were stopped. The submissions graded "
              "so far are stored: run the same command again to grade the rest.",
              file=sys.stderr)
        return 130
    except BatchInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: could not write the gradebook or feedback ({exc}). Pass --csv and "
              "--out locations you can write to.", file=sys.stderr)
        return 1
    print(summary(result, csv_path, out_dir))
    return 0
