"""Autograde a workbook notebook: the learner's code runs sandboxed, the verdict outside.

1. The exercises and their points come from the instructor's solution notebook named by
   the file's name or, for another name, the notebook's ``dnn_workbook`` metadata
   (:mod:`dnn_utils.workbook.grading.identity`), never from the learner's file.
2. The learner's cells (all but the graded ones, and those the solution tags
   ``grader-may-skip``: :mod:`dnn_utils.workbook.grading.skipping`) run in a fresh kernel inside a
   bubblewrap sandbox (:mod:`dnn_utils.workbook.sandbox.session`), on a private copy of the
   notebook, with every stand-in of the notebook's exercises in the package (its
   reference, what that delegates to: :mod:`dnn_utils.workbook.grading.package_rules`) replaced
   by a stub.
3. Here, in the grader's own process, each exercise's unchanged graded test
   ``dnn_utils.graded.<name>_test`` runs on a proxy (:mod:`dnn_utils.workbook.sandbox.proxy`) that
   forwards every call into the sandbox and gets the learner's results back as data.

Nothing the notebook does (patching builtins, json, numpy, IPython, stdout; editing files;
signalling processes) reaches the process that compares results and writes the report,
and the host's paths are taken out of the feedback (:mod:`dnn_utils.workbook.sandbox.redact`).
"""

from __future__ import annotations

import contextlib
import io
import math
import warnings
from pathlib import Path

from ..authoring.conventions import WorkbookError, graded_cells, read_notebook, read_notebook_bytes
from ..authoring.release import default_source_dir
from ..sandbox.kernel import KernelStartError
from ..sandbox.proxy import MISSING, exercise_target
from ..sandbox.redact import redact_report
from ..sandbox.session import SandboxError, start
from .identity import graded_as
from .knock_on import label_knock_ons
from .package_rules import unavailable
from .skipping import describe_cells, marked_ids, skip_candidates, skipped_line
from .time_limits import FALLBACK_SECONDS, limits_for

#: The limits of a notebook without measured times (see time_limits): seconds each cell
#: (and each call of an exercise) may run, and the whole grading may take.
DEFAULT_TIMEOUT, DEFAULT_OVERALL_TIMEOUT = FALLBACK_SECONDS


def _check_seconds(value, name: str) -> float:
    """Return ``value`` as seconds, or raise ValueError naming ``name`` and the fix."""
    if (isinstance(value, bool) or not isinstance(value, (int, float))
            or not math.isfinite(value) or value <= 0):
        raise ValueError(f"{name} must be a finite, positive number of seconds; got "
                         f"{value!r}. Pass e.g. {name}=300.")
    return float(value)


def _number(value):
    return int(value) if float(value).is_integer() else value


def _expected_exercises(nb, label: str, reference_dir=None) -> tuple[list, list[str], dict, dict]:
    """The exercises to score and their points, read from the instructor's solution notebook.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook being graded; only its ``dnn_workbook.notebook`` name is used.
    label : str
        Its path: a file named like a solution notebook is graded as that notebook
        (:func:`~dnn_utils.workbook.grading.identity.graded_as`); the name is used in messages.
    reference_dir : str or Path, optional
        Folder of solution notebooks; the repository's ``notebooks/solutions`` by default.

    Returns
    -------
    (list of GradedCell, list of str, dict, nbformat.NotebookNode)
        The solution's exercises in order; notes on graded cells the learner's copy
        lacks or changed and on a file name its metadata contradicts (for information:
        they change nothing); the report's ``notebook`` (and ``metadata_notebook`` when
        the metadata names another); and the solution notebook.

    Raises
    ------
    NotAWorkbookError, NotebookFormatError
        When the metadata is missing or malformed, or names no solution notebook.
    """
    reference_dir = Path(default_source_dir() if reference_dir is None else reference_dir)
    stem, claimed, notes = graded_as(nb, label, reference_dir)
    reference_path = reference_dir / f"{stem}.ipynb"
    solution = read_notebook(reference_path)
    reference = graded_cells(solution, str(reference_path))
    identity = {"notebook": stem, **({"metadata_notebook": claimed} if claimed else {})}
    return reference, notes + _differences(nb, label, stem, reference), identity, solution


def _differences(nb, label, stem, reference) -> list[str]:
    try:
        own = graded_cells(nb, label)
    except WorkbookError:
        return ["the notebook's graded cells are malformed; the workbook's exercises and "
                "points were used"]
    own_by_name = {e.name: e for e in own}
    names = {e.name for e in reference}
    notes = [f"the graded cell of {e.name} is missing from the notebook; it was graded anyway"
             for e in reference if e.name not in own_by_name]
    notes += [f"the graded cell of {e.name} is not part of the workbook's {stem}; it was "
              "ignored" for e in own if e.name not in names]
    notes += [f"the points of {e.name} were changed in the notebook; the workbook's "
              f"{_number(e.points)} count"
              for e in reference if e.name in own_by_name and own_by_name[e.name].points != e.points]
    return notes


def run_graded_test(name: str, target, graded) -> dict:
    """Run ``graded.<name>_test(target)`` here, in the trusted process; return the verdict."""
    test = getattr(graded, f"{name}_test", None)
    if test is None:
        return {"passed": False, "feedback": f"the workbook has no graded test called "
                f"{name}_test; update dnn_utils (git pull)"}
    if target is MISSING:
        return {"passed": False, "feedback": (
            f"not implemented yet: {name} is not defined. Complete the exercise cell above "
            "its graded cell and make sure it runs without an error"),
            "mistake": f"{name}/not-implemented"}
    captured = io.StringIO()
    try:
        with contextlib.redirect_stdout(captured), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            test(target)
    except AssertionError as error:
        verdict = {"passed": False, "feedback": str(error) or f"{name} failed its test",
                   "mistake": mistake_id(name, error)}
        detail = getattr(error, "detail", None)
        if verdict["mistake"].endswith("/raised-error") and isinstance(detail, str):
            verdict["exception"] = detail[:80]  # the type the learner's code raised
        return verdict
    except NotImplementedError:
        return {"passed": False, "feedback": (
            "not implemented yet: replace the 'raise NotImplementedError' line in the "
            "exercise cell with your code"), "mistake": f"{name}/not-implemented"}
    except Exception as error:  # the learner's value can make a test trip anywhere
        return {"passed": False, "feedback": f"your code raised {type(error).__name__}: {error}",
                "mistake": f"{name}/raised-error", "exception": type(error).__name__}
    return {"passed": True, "feedback": captured.getvalue().strip() or "passed", "mistake": None}


def mistake_id(name: str, error) -> str:
    """``<exercise>/<id>`` of a graded test's failure; ``<exercise>/other`` when unnamed."""
    own = getattr(error, "mistake", None)
    return f"{name}/{own if isinstance(own, str) and own else 'other'}"


def _ready(sandbox, seconds: float) -> tuple[list[str], dict, list | None]:
    """Wait until the learner's cells have run; return the driver's notes, cell errors and
    the indices of the cells it skipped (None when it never got ready).

    A sandbox that ends, hangs or sends garbage meanwhile (the learner's cells can do
    that) gives a note, and every exercise then fails; a driver that could not start the
    kernel at all is an error for the instructor.
    """
    try:
        header, _ = sandbox.receive(seconds)
    except SandboxError as exc:
        tail = sandbox.stderr_tail()
        if tail.startswith("bwrap:"):
            raise SandboxError(f"bubblewrap could not start the sandbox: {tail}. Check that "
                               "unprivileged user namespaces are enabled, or pass "
                               "--no-sandbox for a notebook you trust.") from None
        return [f"the notebook's cells did not finish: {exc}"], {}, None
    if header.get("status") == "failed":
        message = str(header.get("message", ""))
        if "KernelStartError" in message:
            raise KernelStartError(message.split(": ", 1)[-1])
        raise SandboxError(f"the notebook could not be run in the sandbox: {message}")
    if header.get("status") != "ready":
        raise SandboxError("the sandbox sent a garbled answer before running the notebook")
    notes = header.get("notes")
    notes = [str(n)[:500] for n in notes[:100]] if isinstance(notes, list) else []
    errors = header.get("cell_errors")
    errors = {str(k): str(v)[:500] for k, v in errors.items()} if isinstance(errors, dict) else {}
    skipped = header.get("skipped")
    skipped = skipped[:10_000] if isinstance(skipped, list) else []
    return notes, errors, [i for i in skipped if isinstance(i, int) and not isinstance(i, bool)]


def _last_notes(sandbox) -> list[str]:
    """Ask the driver to quit; return its notes on what happened during the tests."""
    if sandbox.broken:
        return []
    try:
        header, _ = sandbox.request({"op": "quit"}, seconds=10)
    except SandboxError:
        return []
    notes = header.get("notes") if header.get("status") == "bye" else None
    return [str(n)[:500] for n in notes[:100]] if isinstance(notes, list) else []


def grade(path, timeout: float | None = None, kernel_name: str = "python3", *,
          reference_dir=None, sandbox: bool = True,
          overall_timeout: float | None = None, skip: bool = True) -> dict:
    """Run a workbook notebook sandboxed and score its exercises (see the module docstring).

    Parameters
    ----------
    path : str or Path
        The notebook (read once, never written).
    timeout : float, optional
        Seconds each cell, and each call of an exercise by its test, may run; by default
        derived from the solution notebook's measured times
        (:func:`~dnn_utils.workbook.grading.time_limits.limits_for`).
    kernel_name : str, optional
        Jupyter kernel to use; ``python3`` is the current Python environment.
    reference_dir : str or Path, optional
        Folder of solution notebooks that says which exercises count, and their points;
        the repository's ``notebooks/solutions`` by default.
    sandbox : bool, optional
        False runs the notebook without isolation (``grade --no-sandbox``).
    overall_timeout : float, optional
        Seconds the whole grading may take; the sandbox is killed after that. Derived
        like ``timeout`` by default.
    skip : bool, optional
        Leave out the cells the solution notebook tags ``grader-may-skip`` (matched by
        cell id; see :mod:`dnn_utils.workbook.grading.skipping`); False runs every cell
        (``grade --no-skip``).

    Returns
    -------
    dict
        ``{"score", "max_score", "exercises": [{"name", "points", "max_points", "passed",
        "feedback", "mistake"}], "notes": [str], "skipped": [{"cell", "id",
        "first_line"}], "notebook", "limits"}``, ``mistake`` being
        the failed exercise's ``<exercise>/<id>`` (None when it passed), and ``knock_on``
        the root mistake's id when the exercise passes with the correct blocks
        (:mod:`~dnn_utils.workbook.grading.knock_on`), ``exception`` the type the learner's code
        raised for a ``raised-error``; ``notes`` tells about cells that timed out or
        stopped the kernel, and graded cells that were missing or changed; ``skipped``
        lists the cells not run (numbered from 1); ``notebook`` is the solution notebook
        graded against (``metadata_notebook`` the other one the metadata names, if any);
        ``limits`` the time limits applied and how they were set. A notebook without
        exercises is not run: its report has only the first five keys.
    """
    timeout = None if timeout is None else _check_seconds(timeout, "timeout")
    overall_timeout = (None if overall_timeout is None
                       else _check_seconds(overall_timeout, "overall_timeout"))
    path = Path(path)
    nb, data = read_notebook_bytes(path)
    exercises, notes, identity, solution = _expected_exercises(nb, str(path), reference_dir)
    limits = limits_for(identity["notebook"], solution, timeout, overall_timeout)
    timeout, overall_timeout = limits.timeout, limits.overall
    identity["limits"] = limits.as_dict()
    if not exercises:
        # Nothing to score: the notebook's code is not run at all (so no limit applies).
        return {"score": 0, "max_score": 0, "exercises": [], "notes": notes, "skipped": []}
    candidates = skip_candidates(nb, marked_ids(solution)) if skip else []
    from dnn_utils import graded  # the grader's own, trusted copy

    names = [e.name for e in exercises]
    stubbed = unavailable(identity["notebook"], names,
                          default_source_dir() if reference_dir is None else reference_dir)
    session, limit_notes, notebook = start(
        data, names, sandboxed=sandbox, overall_seconds=overall_timeout, unavailable=stubbed)
    with session:
        session.send({"notebook": notebook, "timeout": timeout, "kernel": kernel_name,
                      "skip": candidates})
        run_notes, cell_errors, reported = _ready(session, overall_timeout)
        # The driver runs the learner's code: of what it says it skipped, only cells the
        # solution marks count.
        skipped = sorted(set(candidates) & set(reported or []))
        ran = sorted(set(candidates) - set(skipped)) if reported is not None else []
        if ran:
            run_notes.append(f"cell(s) {', '.join(str(i + 1) for i in ran)} ran although "
                             "the workbook marks them as not needed for the grade: this "
                             "notebook's own cells use what they define")
        results = []
        for exercise in exercises:
            try:
                target = exercise_target(session, exercise.name, timeout)
            except AssertionError as error:
                verdict = {"passed": False, "feedback": str(error),
                           "mistake": mistake_id(exercise.name, error)}
            else:
                verdict = run_graded_test(exercise.name, target, graded)
            feedback = verdict["feedback"]
            if not verdict["passed"] and exercise.name in cell_errors:
                feedback += f" ({cell_errors[exercise.name]})"
            results.append({
                "name": exercise.name,
                "points": _number(exercise.points) if verdict["passed"] else 0,
                "max_points": _number(exercise.points),
                "passed": verdict["passed"],
                "feedback": feedback,
                "mistake": verdict.get("mistake"),
                **({"exception": verdict["exception"]} if "exception" in verdict else {}),
            })
        # Each mistake counted once: label the failures that only a wrong block caused.
        label_knock_ons(session, solution, results, timeout)
        run_notes += _last_notes(session) + session.memory_notes()
        if session.broken:
            run_notes.append(f"grading stopped early: {session.broken}")
    # Feedback quotes what the sandbox sent: the host's paths are taken out of it.
    return redact_report({
        "score": _number(sum(e["points"] for e in results)),
        "max_score": _number(sum(e["max_points"] for e in results)),
        "exercises": results,
        "notes": notes + limit_notes + run_notes,
        "skipped": describe_cells(nb, skipped),
        **identity,
    }, extra=[session.folder])


def _hint_lines(feedback: str) -> list[str]:
    """The ``Hint: ...`` lines of a feedback text (the likely mistake, named by its test)."""
    return [line.strip() for line in feedback.splitlines() if line.strip().startswith("Hint:")]


def format_report(path, report: dict) -> str:
    """A plain-text table of the grading report (one line per exercise, then the score).

    A failed exercise shows the first line of its feedback and, under it, the hint that
    names the likely mistake; the whole feedback is in the JSON report.
    """
    rows = [("exercise", "points", "result", "feedback")]
    hints = [[]]
    for exercise in report["exercises"]:
        feedback = exercise["feedback"]
        rows.append(
            (
                exercise["name"],
                f"{exercise['points']}/{exercise['max_points']}",
                "passed" if exercise["passed"] else "FAILED",
                (feedback.splitlines() or [""])[0],
            )
        )
        hint = [] if exercise["passed"] else _hint_lines(feedback)
        hints.append([line for line in hint if line != rows[-1][3].strip()])
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    indent = " " * (sum(widths) + 2 * 3)
    lines = [f"Grading {path}"]
    for row, hint in zip(rows, hints):
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3])) + "  "
                     + row[3])
        lines.extend(indent + line for line in hint)
    if len(rows) == 1:
        lines.append("(this notebook has no graded exercises)")
    for note in report.get("notes", []):
        lines.append(f"note: {note}")
    if report.get("skipped"):
        lines.append(f"skipped: {skipped_line(report['skipped'])}")
    limits = report.get("limits")
    if isinstance(limits, dict):
        lines.append(f"limits: {limits['timeout']:g} s per cell and per call, "
                     f"{limits['overall_timeout']:g} s in all ({limits['basis']})")
    lines.append(f"Score: {report['score']} / {report['max_score']}")
    return "\n".join(line.rstrip() for line in lines)
