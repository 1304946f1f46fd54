"""The class-grading options of ``python -m dnn_utils.workbook grade``.

``grade SUBMISSIONS_DIR [--out DIR] [--jobs N] [--csv FILE] [--force] [--limit SECONDS]
[--report FILE]`` grades every ``SUBMISSIONS_DIR/<learner>/<notebook>.ipynb`` (see
:mod:`dnn_utils.workbook.classroom.batch`); given a notebook file instead, ``grade`` grades that one.
``grade SUBMISSIONS_DIR --shard K/N --out DIR`` grades one shard, ``grade --merge DIR
[--out DIR2] [--report FILE]`` merges them (see :mod:`dnn_utils.workbook.classroom.shards`).

``--out`` is always the output folder of the run: ``gradebook.csv`` (unless ``--csv`` names
another file), ``mistakes.csv`` beside the gradebook, ``feedback/<learner>.html`` and the
stored results ``.results/`` (and a shard's summary in ``shards/``). By default it is the
folder of ``--csv``, else the current folder; for ``--merge DIR``, DIR itself.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ...validation import parse_count, parse_positive_number
from .batch import BatchInputError, Settings, check_output_locations, grade_class, summary
from .gradebook import FEEDBACK_FOLDER, write_feedback, write_gradebook
from .report import not_graded_lines, write_mistakes, write_report
from .shards import ShardError, grade_shard, merge_shards, parse_shard

CLASS_OPTIONS = ("jobs", "csv", "out", "force", "limit", "report", "shard", "merge")


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
    group.add_argument("--out", type=Path, default=None, metavar="DIR",
                       help="the output folder: gradebook.csv, mistakes.csv, feedback/ (a page "
                       "per learner) and the stored results .results/ (default: the folder "
                       "of --csv, else the current folder; for --merge, its folder)")
    group.add_argument("--csv", type=Path, default=None, metavar="FILE",
                       help="the gradebook to write, with mistakes.csv beside it (default: "
                       "OUT/gradebook.csv)")
    group.add_argument("--force", action="store_true", default=None,
                       help="re-grade submissions that are unchanged since the last run")
    group.add_argument("--limit", type=_seconds, default=None, metavar="SECONDS",
                       help="wall-clock seconds one submission may take in all (default: "
                       "derived per notebook, like --overall-timeout)")
    group.add_argument("--report", type=Path, default=None, metavar="FILE",
                       help="also write the class report (HTML: scores, pass rates, the most "
                       "frequent mistakes and who made them)")
    group.add_argument("--shard", default=None, metavar="K/N",
                       help="grade only shard K of N (e.g. 1/4), storing the results in --out "
                       "(the folder all shards share) for a later --merge")
    group.add_argument("--merge", type=Path, default=None, metavar="DIR",
                       help="build the gradebook, feedback and report from the shards' "
                       "results in DIR (the shards' --out; no NOTEBOOK then), into --out")


def class_options_given(args) -> list[str]:
    """The class-only options given on the command line (for a usage error with a file)."""
    return ["--" + name for name in CLASS_OPTIONS if getattr(args, name, None) is not None]


def run_class(args) -> int:
    """Grade a class folder from parsed arguments; return the exit status."""
    if args.json is not None:
        print("error: --json writes one notebook's report; a class folder gets --out (the "
              "output folder: gradebook, feedback pages). Drop --json.", file=sys.stderr)
        return 2
    try:
        shard = None if args.shard is None else parse_shard(args.shard)
        csv_path, out_dir = output_locations(args)
        if args.out is not None and not out_dir.exists():
            if not out_dir.parent.is_dir():
                raise BatchInputError(f"--out {out_dir}: the folder {out_dir.parent} does not "
                                      "exist. Create it, or pass a folder inside an existing "
                                      "one.")
            out_dir.mkdir(exist_ok=True)  # first, so --report may name a file in it
        _check_class_outputs(args, shard, csv_path)
    except BatchInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    settings = Settings(timeout=args.timeout, kernel_name=args.kernel,
                        sandbox=not args.no_sandbox, skip=not args.no_skip,
                        solutions=None if args.solutions is None else str(args.solutions),
                        **({} if args.limit is None else {"limit": args.limit}))
    try:
        if args.merge is not None:
            return _merge(args, csv_path, out_dir, settings)
        if shard is not None:
            result = grade_shard(args.notebook, args.out, shard, jobs=args.jobs or 1,
                                 settings=settings, force=bool(args.force))
            print(f"shard {shard[0]}/{shard[1]}: {len(result['records'])} submission(s), "
                  f"{result['graded']} graded now, {result['skipped']} unchanged and skipped, "
                  f"{result['failed']} without a score.\nresults: {args.out}")
            return 0
        result = grade_class(args.notebook, csv_path, out_dir, jobs=args.jobs or 1,
                             settings=settings, force=bool(args.force))
        # What the class folder walk ignored, with reasons (items with path, reason and
        # learner); a walk that reports none gives an empty list.
        set_aside = result.get("ignored", ())
        write_mistakes(result["records"], csv_path.parent / "mistakes.csv")
        if args.report is not None:
            write_report(result["records"], args.report, title=str(args.notebook),
                         set_aside=set_aside)
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
    for line in not_graded_lines(result["records"]):  # who has no score, and why
        print(line)
    print(f"mistakes:  {csv_path.parent / 'mistakes.csv'}"
          + (f"\nreport:    {args.report}" if args.report is not None else ""))
    _note_old_pages(result["records"], out_dir)
    return 0


def output_locations(args) -> tuple[Path, Path]:
    """The gradebook and the output folder of a class run, a shard or a merge."""
    if args.out is not None:
        out_dir = args.out
    else:
        out_dir = (args.csv.parent if args.csv is not None else
                   args.merge if args.merge is not None else Path("."))
    if args.out is not None and args.out.name == FEEDBACK_FOLDER and args.shard is None:
        keep = (f" Move {args.out / '.results'} to {args.out.parent / '.results'} to keep the "
                "results stored there." if (args.out / ".results").is_dir() else "")
        raise BatchInputError(
            f"--out {args.out}: --out is the output folder of the run (gradebook.csv, "
            f"mistakes.csv, {FEEDBACK_FOLDER}/ with a page per learner, .results/), so the "
            f"pages would go into {args.out / FEEDBACK_FOLDER}. Pass the folder that is to "
            f"hold {FEEDBACK_FOLDER}/, e.g. --out {args.out.parent}.{keep}")
    return (out_dir / "gradebook.csv" if args.csv is None else args.csv), out_dir


def _note_old_pages(records, out_dir) -> None:
    """Point at feedback pages an older version wrote directly into the output folder."""
    old = sorted({r["learner"] for r in records if (Path(out_dir) / f"{r['learner']}.html")
                  .is_file()})
    if old:
        print(f"note: {out_dir} also holds older feedback pages ({old[0]}.html"
              f"{', ...' if len(old) > 1 else ''}); the current ones are in "
              f"{Path(out_dir) / FEEDBACK_FOLDER}. Delete the older ones.", file=sys.stderr)


def _check_class_outputs(args, shard, csv_path) -> None:
    """Refuse combinations that cannot work, and unwritable files, before any grading."""
    if args.merge is not None and (args.notebook is not None or shard is not None):
        raise BatchInputError("--merge RESULTS builds the gradebook from shards already graded: "
                              "give no SUBMISSIONS_DIR and no --shard with it.")
    if args.merge is None and args.notebook is None:
        raise BatchInputError("grade needs a NOTEBOOK or SUBMISSIONS_DIR (or --merge RESULTS).")
    if shard is not None and (args.out is None or args.csv is not None or args.report):
        raise BatchInputError(f"--shard {args.shard} stores results only: pass --out RESULTS "
                              "(the folder shared by all shards), and --csv/--report to the "
                              "--merge that follows.")
    if csv_path.parent / "mistakes.csv" == csv_path:
        raise BatchInputError(f"--csv {csv_path}: mistakes.csv is written beside the gradebook; "
                              "name the gradebook otherwise, e.g. gradebook.csv.")
    report = args.report
    if report is not None and (report.is_dir() or not report.parent.is_dir()):
        raise BatchInputError(f"--report {report}: expected a file in an existing folder, e.g. "
                              "--report class.html.")


def _merge(args, csv_path, out_dir, settings) -> int:
    """``grade --merge RESULTS``: check every shard, then write the outputs."""
    try:
        records = merge_shards(args.merge, settings.solutions)
    except ShardError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    check_output_locations(csv_path, out_dir)
    out_dir.mkdir(exist_ok=True)
    write_gradebook(records, csv_path)
    write_feedback(records, out_dir / FEEDBACK_FOLDER)
    write_mistakes(records, csv_path.parent / "mistakes.csv")
    if args.report is not None:
        write_report(records, args.report, title=str(args.merge))
    for line in not_graded_lines(records):
        print(line)
    print(f"{len(records)} submission(s) merged from {args.merge}.\ngradebook: {csv_path}\n"
          f"feedback:  {out_dir / FEEDBACK_FOLDER}\nmistakes:  {csv_path.parent / 'mistakes.csv'}"
          + (f"\nreport:    {args.report}" if args.report is not None else ""))
    _note_old_pages(records, out_dir)
    return 0
