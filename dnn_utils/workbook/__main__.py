"""Command line: ``python -m dnn_utils.workbook release|check|number|new-exercise|new-question|grade|execute|import|export ...``.

Exit status: 0 when the command completed (for ``grade``, whatever the score); 1 when a
notebook or folder is unusable, a file would be overwritten, ``check`` found problems, or
the sandbox could not run; 2 for a usage error; 3 when the kernel could not start; 130
when interrupted by Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..files import write_bytes_atomically
from ..validation import parse_positive_number
from .authoring.check import PLACEHOLDER, convention_problems, placeholder_problems
from .authoring.conventions import WorkbookError, read_notebook
from .authoring.execute import execute
from .authoring.numbering import renumber, written_numbers
from .authoring.release import default_source_dir, notebook_bytes, release
from .authoring.scaffold import new_exercise
from .authoring.scaffold_question import KINDS, new_question
from .classroom.cli import add_class_arguments, class_options_given, run_class
from .classroom.lms_cli import add_lms_parsers, run_lms
from .grading.grader import DEFAULT_OVERALL_TIMEOUT, DEFAULT_TIMEOUT, format_report, grade
from .grading.skip_proof import prove_marks
from .grading.time_limits import MARGIN, MIN_CELL_SECONDS, STARTUP_SECONDS
from .sandbox.kernel import INTERRUPTED_MESSAGE, GradingInterrupted, KernelStartError
from .sandbox.session import SandboxError


def _positive_seconds(text: str) -> float:
    try:
        return parse_positive_number(text, example="60 (seconds)")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _add_scaffold_arguments(parser, what: str, example: str) -> None:
    """The options new-exercise and new-question share."""
    parser.add_argument("--notebook", required=True, metavar="N",
                        help=f"the solution notebook's number ({example}) or name")
    parser.add_argument("--points", type=int, default=1, metavar="P",
                        help=f"the {what}'s points (default: 1)")
    parser.add_argument("--after", default=None, metavar="EXERCISE",
                        help=f"the {what} after which the new one goes (default: the last)")
    parser.add_argument(
        "--source", type=Path, default=None,
        help=f"folder of solution notebooks (default: {default_source_dir()})",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dnn_utils.workbook",
        description="Release the learner edition of the workbook, or grade a notebook.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    rel = commands.add_parser(
        "release", help="write the learner edition of the solution notebooks"
    )
    rel.add_argument("out_dir", metavar="OUT_DIR", type=Path, help="folder for the learner edition")
    rel.add_argument(
        "--source", type=Path, default=None,
        help=f"folder of solution notebooks (default: {default_source_dir()})",
    )
    rel.add_argument("--force", action="store_true", help="overwrite existing notebooks")

    chk = commands.add_parser(
        "check", help="check the solution notebooks follow the workbook's conventions"
    )
    chk.add_argument(
        "--source", type=Path, default=None,
        help=f"folder of solution notebooks (default: {default_source_dir()})",
    )
    chk.add_argument("--grade", action="store_true",
                     help="also grade every solution notebook and its learner edition with "
                     "the cells tagged 'grader-may-skip' skipped: full marks and 0 prove "
                     "the marks safe (slow: a grading per notebook and edition)")
    chk.add_argument("--no-sandbox", action="store_true",
                     help="with --grade: grade without the bubblewrap sandbox")

    num = commands.add_parser(
        "number", help="renumber the exercise headings and rewrite numbered cross-references"
    )
    num.add_argument(
        "--source", type=Path, default=None,
        help=f"folder of solution notebooks (default: {default_source_dir()})",
    )

    new = commands.add_parser(
        "new-exercise", help="add an exercise's cells to a solution notebook and a graded-test "
        "module for it, with placeholders that check reports until they are written")
    new.add_argument("name", metavar="NAME", help="the learner's function, e.g. tanh_forward")
    new.add_argument("--signature", default="Z", metavar="PARAMETERS",
                     help="the parameters of the function's def line, e.g. \"Z, slope=0.01\" "
                     "(default: Z)")
    _add_scaffold_arguments(new, "exercise", "02")

    que = commands.add_parser(
        "new-question", help="add a quiz question's three cells to a solution notebook and "
        "a graded-test module for it, with placeholders that check reports until written")
    que.add_argument("name", metavar="NAME", help="the learner's variable, e.g. tanh_range")
    que.add_argument("--kind", required=True, choices=KINDS,
                     help="one letter among --options, a whole number, or a shape tuple")
    que.add_argument("--answer", required=True, metavar="ANSWER",
                     help="the right answer: a letter (b), a number (7) or a shape (5,3)")
    que.add_argument("--options", default="abcd", metavar="LETTERS",
                     help="the letters of a choice question's options (default: abcd)")
    _add_scaffold_arguments(que, "question", "06")

    grd = commands.add_parser("grade", help="run a notebook in a fresh kernel and score it")
    grd.add_argument("notebook", metavar="NOTEBOOK", type=Path, nargs="?",
                     help="the .ipynb file to grade, or a folder of submissions")
    grd.add_argument("--json", type=Path, default=None, metavar="FILE",
                     help="also write the report as JSON to FILE")
    grd.add_argument("--timeout", type=_positive_seconds, default=None,
                     metavar="SECONDS",
                     help="seconds each cell, and each call of an exercise, may run "
                     f"(default: {MARGIN} x the solution notebook's slowest cell as measured "
                     f"by 'execute', at least {MIN_CELL_SECONDS:g}; {DEFAULT_TIMEOUT:g} "
                     "without a measurement)")
    grd.add_argument("--overall-timeout", type=_positive_seconds,
                     default=None, metavar="SECONDS",
                     help="seconds the whole grading of the notebook may take "
                     f"(default: {MARGIN} x the solution notebook's measured time + "
                     f"{STARTUP_SECONDS:g}; {DEFAULT_OVERALL_TIMEOUT:g} without a measurement)")
    grd.add_argument("--kernel", default="python3", metavar="NAME",
                     help="Jupyter kernel to run the notebook in (default: python3)")
    grd.add_argument("--solutions", type=Path, default=None, metavar="DIR",
                     help="folder of the solution notebooks, which say which exercises count "
                     f"and their points (default: {default_source_dir()})")
    grd.add_argument("--no-sandbox", action="store_true",
                     help="run the notebook without the bubblewrap sandbox (only for "
                     "notebooks you trust, e.g. your own)")
    grd.add_argument("--no-skip", action="store_true",
                     help="run every cell, also those the solution notebooks tag "
                     "'grader-may-skip' as not needed for the grade")
    add_class_arguments(grd)
    exe = commands.add_parser(
        "execute", help="re-execute solution notebooks in place (fresh outputs for nbval)"
    )
    exe.add_argument("notebooks", metavar="NOTEBOOK", type=Path, nargs="*",
                     help=f"notebooks to run (default: every one in {default_source_dir()})")
    exe.add_argument("--timeout", type=_positive_seconds, default=600.0, metavar="SECONDS",
                     help="seconds each cell may run (default: 600)")
    add_lms_parsers(commands)
    return parser


def _check(source) -> int:
    from dnn_utils import graded

    try:
        graded.__all__  # imports every module of graded tests, once
    except Exception as exc:  # an author's module that does not import: say which and why
        print(f"error: the graded tests could not be loaded: {type(exc).__name__}: {exc}. "
              "Fix that module of dnn_utils/graded/, then run check again.", file=sys.stderr)
        return 1
    source = Path(default_source_dir() if source is None else source)
    notebooks = sorted(source.glob("*.ipynb"))
    if not notebooks:
        print(f"error: no *.ipynb notebooks in {source}", file=sys.stderr)
        return 1
    failed = 0
    books = {path.stem: read_notebook(path) for path in notebooks}
    workbook = {stem.split("_", 1)[0]: written_numbers(nb) for stem, nb in books.items()}
    for path in notebooks:
        problems = convention_problems(books[path.stem], path.stem, graded, workbook)
        for problem in problems:
            print(f"{path}: {problem}")
        failed += bool(problems)
    print(f"{len(notebooks) - failed} of {len(notebooks)} notebook(s) follow the conventions")
    # A graded test that new-exercise scaffolded is unfinished until its placeholder goes.
    unfinished = 0
    for module in sorted(Path(graded.__file__).parent.glob("*.py")):
        problems = placeholder_problems(module.read_text(encoding="utf-8"), str(module))
        for problem in problems:
            print(problem)
        unfinished += bool(problems)
    if unfinished:
        print(f"{unfinished} graded-test module(s) hold placeholders")
    return 1 if failed or unfinished else 0


def _number(source) -> int:
    source = Path(default_source_dir() if source is None else source)
    paths = sorted(source.glob("*.ipynb"))
    books = {path.stem: read_notebook(path) for path in paths}
    changes = renumber(books)
    for change in changes:
        print(change)
    for path in paths:
        if any(change.startswith(f"{path.stem},") for change in changes):
            write_bytes_atomically(path, notebook_bytes(books[path.stem]))
            print(f"wrote {path}")
    print(f"{len(changes)} label(s) and reference(s) rewritten in {source}")
    return 0


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "release":
            written = release(args.source, args.out_dir, force=args.force)
            for path in written:
                print(f"wrote {path}")
            print(f"Released {len(written)} learner notebook(s) to {args.out_dir}")
            return 0
        if args.command == "check":
            status = _check(args.source)
            if args.grade:
                status = max(status, 1 if prove_marks(args.source,
                                                      sandbox=not args.no_sandbox) else 0)
            return status
        if args.command == "number":
            return _number(args.source)
        if args.command in ("new-exercise", "new-question"):
            lines = (new_exercise(args.name, args.notebook, args.points, args.after,
                                  args.source, signature=args.signature)
                     if args.command == "new-exercise" else
                     new_question(args.name, args.notebook, args.kind, args.answer,
                                  args.options, args.points, args.after, args.source))
            for line in lines:
                print(line)
            print(f"Next: write the placeholders ({PLACEHOLDER}), then run "
                  "'python -m dnn_utils.workbook check'")
            return 0
        if args.command in ("import", "export"):
            return run_lms(args)
        if args.command == "execute":
            for path in execute(args.notebooks, timeout=args.timeout):
                print(f"executed {path}")
            return 0
        if args.no_sandbox:
            print("warning: --no-sandbox: the notebook's code runs with your rights and can "
                  "read, change or delete your files and change its own score. Grade only "
                  "notebooks you trust this way.", file=sys.stderr)
        if args.notebook is None or args.notebook.is_dir() or (
                class_options_given(args) and not args.notebook.exists()):
            return run_class(args)
        if class_options_given(args):
            build_parser().error(f"{', '.join(class_options_given(args))} only apply when "
                                 "grading a folder of submissions; NOTEBOOK is a file")
        report = grade(args.notebook, timeout=args.timeout, kernel_name=args.kernel,
                       sandbox=not args.no_sandbox, overall_timeout=args.overall_timeout,
                       reference_dir=args.solutions, skip=not args.no_skip)
    except KeyboardInterrupt:
        print(f"error: {INTERRUPTED_MESSAGE}", file=sys.stderr)
        return 130
    except GradingInterrupted as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 130
    except KernelStartError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except (WorkbookError, SandboxError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(format_report(args.notebook, report))
    if args.json is not None:
        try:
            args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        except OSError as exc:
            print(f"error: could not write the JSON report to {args.json}: {exc.strerror}. "
                  "Pass --json a file in an existing, writable folder.", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
