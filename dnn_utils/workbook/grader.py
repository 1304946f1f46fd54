"""Autograde a workbook notebook: run it in a fresh kernel, then score its exercises.

The learner's cells run first (on an in-memory copy; the file is never written). Then, for
each graded cell, one extra cell runs in the same kernel. It forgets every ``dnn_utils``
module the learner's cells may have patched, imports ``dnn_utils.graded`` afresh and calls
``<name>_test`` on the learner's ``<name>``. Its verdict is printed between markers that
carry a random nonce chosen now, so nothing a learner's cell printed earlier can pose as a
verdict, and a learner's cell that replaces a test function changes nothing.

In-process grading trusts the Python process: it cannot defend against code written to
subvert it (e.g. patching ``json`` or builtins), only against honest mistakes and casual
shortcuts.
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
from pathlib import Path

from nbclient.util import run_sync

from .conventions import (
    NOT_IMPLEMENTED_MESSAGE,
    GradedCell,
    NotAWorkbookError,
    WorkbookError,
    graded_cells,
    is_exercise_cell,
    is_workbook_notebook,
    nbgrader_metadata,
    read_notebook,
)
from .kernel import DEAD, TIMEOUT, GradingInterrupted, KernelSession
from .release import default_source_dir

GRADED_MODULE = "dnn_utils.graded"

# Runs in the learner's kernel, inside a function so it leaves no names behind. The
# placeholders are filled with repr() of host-side values.
_GRADING_CELL = '''\
def _dnn_workbook_grade_{nonce}():
    import contextlib, importlib, io, json, os, sys
    namespace = sys._getframe(0).f_globals
    for module in [m for m in sys.modules if m == {package!r} or m.startswith({prefix!r})]:
        del sys.modules[module]
    importlib.invalidate_caches()
    name, result = {name!r}, {{"passed": False}}
    # The notebook's folder comes first on sys.path; a folder there named like the
    # package must not stand in for the installed one.
    saved_path = sys.path[:]
    here = os.path.realpath(os.getcwd())
    sys.path[:] = [p for p in sys.path if os.path.realpath(p or ".") != here]
    try:
        try:
            graded = importlib.import_module({module!r})
        finally:
            sys.path[:] = saved_path
        test = getattr(graded, name + "_test", None)
        if test is None:
            result["feedback"] = (
                "the workbook has no graded test called " + name + "_test; update dnn_utils "
                "(git pull) or restore this notebook from the repository"
            )
        elif name not in namespace:
            result["feedback"] = (
                "not implemented yet: " + name + " is not defined. Complete the exercise "
                "cell above its graded cell and make sure it runs without an error"
            )
        else:
            captured = io.StringIO()
            try:
                with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
                    test(namespace[name])
                result = {{"passed": True, "feedback": captured.getvalue().strip() or "passed"}}
            except BaseException as error:
                chain, seen = error, []
                while chain is not None and chain not in seen:
                    seen.append(chain)
                    chain = chain.__cause__ or chain.__context__
                if isinstance(error, AssertionError) and str(error):
                    result["feedback"] = str(error)
                elif any(isinstance(e, NotImplementedError) for e in seen) or any(
                    {stub_message!r} in str(e) for e in seen
                ):
                    result["feedback"] = (
                        "not implemented yet: replace the 'raise NotImplementedError' line in "
                        "the exercise cell with your code"
                    )
                else:
                    result["feedback"] = (
                        "your code raised " + type(error).__name__ + ": " + str(error)
                    )
    except BaseException as error:
        result["feedback"] = "the grader failed: " + type(error).__name__ + ": " + str(error)
    sys.stdout.write({begin!r} + json.dumps(result) + {end!r} + "\\n")
    sys.stdout.flush()


try:
    _dnn_workbook_grade_{nonce}()
finally:
    del _dnn_workbook_grade_{nonce}
'''


def grading_cell_source(name: str, nonce: str, module: str = GRADED_MODULE) -> str:
    """The source of the cell that grades exercise ``name`` (see the module docstring)."""
    package = module.split(".")[0]
    begin, end = _markers(nonce)
    return _GRADING_CELL.format(
        nonce=nonce,
        name=name,
        module=module,
        package=package,
        prefix=package + ".",
        stub_message=NOT_IMPLEMENTED_MESSAGE,
        begin=begin,
        end=end,
    )


def _markers(nonce: str) -> tuple[str, str]:
    return f"<<dnn-workbook-result {nonce}>>", f"<<end dnn-workbook-result {nonce}>>"


def parse_verdict(outputs, nonce: str) -> dict:
    """Read the verdict a grading cell printed; a missing or doubled one fails the exercise."""
    text = "".join(
        o.get("text", "") for o in outputs if o.get("output_type") == "stream"
    )
    begin, end = _markers(nonce)
    found = re.findall(re.escape(begin) + "(.*?)" + re.escape(end), text, flags=re.DOTALL)
    if len(found) != 1:
        return {
            "passed": False,
            "feedback": f"the grader could not read a verdict (found {len(found)}); did a "
            "cell replace sys.stdout, or leave a thread printing?",
        }
    try:
        verdict = json.loads(found[0])
    except json.JSONDecodeError:
        return {"passed": False, "feedback": "the grader's verdict was garbled"}
    if not isinstance(verdict, dict) or not isinstance(verdict.get("passed"), bool):
        return {"passed": False, "feedback": "the grader's verdict was garbled"}
    return {"passed": verdict["passed"], "feedback": str(verdict.get("feedback", ""))}


def _exercise_cell_errors(nb, results) -> dict[str, str]:
    """Map an exercise name to the error its exercise cell raised (if it did)."""
    errors = {}
    for index, cell in enumerate(nb.cells):
        grade_id = nbgrader_metadata(cell).get("grade_id", "")
        if is_exercise_cell(cell) and isinstance(grade_id, str) and index in results:
            result = results[index]
            name = grade_id.removesuffix("_solution")
            if result.status == TIMEOUT:
                errors[name] = "its exercise cell timed out"
            elif result.status == DEAD:
                errors[name] = "its exercise cell crashed the kernel"
            elif result.error:
                errors[name] = f"its exercise cell raised {result.error}"
    return errors


def _number(value):
    return int(value) if float(value).is_integer() else value


async def _grade_async(nb, exercises, cwd: Path, timeout: float, kernel_name: str) -> dict:
    session = KernelSession(nb, cwd, timeout, kernel_name)
    try:
        return await _run_and_score(session, nb, exercises, timeout)
    except asyncio.CancelledError:
        if session.cancelled:
            raise GradingInterrupted(
                "grading was interrupted (Ctrl-C); the kernel was shut down and no score "
                "was given."
            ) from None
        raise


async def _run_and_score(session, nb, exercises, timeout) -> dict:
    learner_cells = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"]
    results = {}
    async with session:
        for index in learner_cells:
            if nb.cells[index].source.strip():
                results[index] = await session.run(index)
        cell_errors = _exercise_cell_errors(nb, results)
        graded = []
        for exercise in exercises:
            nonce = secrets.token_hex(16)
            index = session.add_cell(grading_cell_source(exercise.name, nonce))
            result = await session.run(
                index, store_history=False, label=f"the graded test of {exercise.name}"
            )
            if result.status == TIMEOUT:
                verdict = {
                    "passed": False,
                    "feedback": f"the graded test ran longer than {timeout:g} s (an infinite "
                    "loop in your code?) and was stopped",
                }
            elif result.status == DEAD:
                verdict = {"passed": False, "feedback": "the graded test crashed the kernel"}
            else:
                verdict = parse_verdict(result.outputs, nonce)
            feedback = verdict["feedback"]
            if not verdict["passed"] and exercise.name in cell_errors:
                feedback += f" ({cell_errors[exercise.name]})"
            graded.append(
                {
                    "name": exercise.name,
                    "points": _number(exercise.points) if verdict["passed"] else 0,
                    "max_points": _number(exercise.points),
                    "passed": verdict["passed"],
                    "feedback": feedback,
                }
            )
        notes = list(session.notes)
    return {
        "score": _number(sum(e["points"] for e in graded)),
        "max_score": _number(sum(e["max_points"] for e in graded)),
        "exercises": graded,
        "notes": notes,
    }


def expected_exercises(nb, label: str, reference_dir=None) -> tuple[list[GradedCell], list[str]]:
    """The exercises to score, taken from the solution notebook when it is available.

    A learner may delete a graded cell or edit its points; the repository's solution
    notebook with the same ``dnn_workbook.notebook`` name says which exercises and how
    many points count. Without it, the notebook's own graded cells are used.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook being graded.
    label : str
        How to name it in error messages.
    reference_dir : str or Path, optional
        Folder of solution notebooks; the repository's ``notebooks/solutions`` by default.

    Returns
    -------
    (list of GradedCell, list of str)
        The exercises in the solution's order, and notes on what differed.
    """
    own = graded_cells(nb, label)
    stem = nb.metadata.get("dnn_workbook", {}).get("notebook")
    reference_dir = Path(default_source_dir() if reference_dir is None else reference_dir)
    reference_path = reference_dir / f"{stem}.ipynb" if isinstance(stem, str) else None
    if reference_path is None or not reference_path.is_file():
        return own, []
    try:
        reference = graded_cells(read_notebook(reference_path), str(reference_path))
    except WorkbookError:
        return own, []
    own_by_name = {e.name: e for e in own}
    reference_names = {e.name for e in reference}
    notes = [
        f"the graded cell of {e.name} is missing from the notebook; it was graded anyway"
        for e in reference if e.name not in own_by_name
    ]
    notes += [
        f"the graded cell of {e.name} is not part of the workbook's {stem}; it was ignored"
        for e in own if e.name not in reference_names
    ]
    notes += [
        f"the points of {e.name} were changed in the notebook; the workbook's "
        f"{_number(e.points)} count"
        for e in reference
        if e.name in own_by_name and own_by_name[e.name].points != e.points
    ]
    return reference, notes


def grade(path, timeout: float = 60, kernel_name: str = "python3", *,
          reference_dir=None) -> dict:
    """Run a workbook notebook in a fresh kernel and score its graded exercises.

    Parameters
    ----------
    path : str or Path
        The notebook (never written).
    timeout : float, optional
        Seconds each cell may run before it is interrupted.
    kernel_name : str, optional
        Jupyter kernel to use; ``python3`` is the current Python environment.
    reference_dir : str or Path, optional
        Folder of solution notebooks that says which exercises count (see
        :func:`expected_exercises`); the repository's ``notebooks/solutions`` by default.

    Returns
    -------
    dict
        ``{"score", "max_score", "exercises": [{"name", "points", "max_points", "passed",
        "feedback"}], "notes": [str]}``; ``notes`` tells about cells that timed out or
        crashed the kernel, and graded cells that were missing or changed.
    """
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout <= 0:
        raise ValueError(f"timeout must be a positive number of seconds; got {timeout!r}.")
    path = Path(path)
    nb = read_notebook(path)
    if not is_workbook_notebook(nb):
        raise NotAWorkbookError(
            f"{path} is not one of this workbook's notebooks: it has no 'dnn_workbook' "
            "metadata and no graded cells. Pass a notebook from the workbook's notebooks/ "
            "folder."
        )
    exercises, notes = expected_exercises(nb, str(path), reference_dir)
    report = run_sync(_grade_async)(nb, exercises, path.resolve().parent, timeout, kernel_name)
    report["notes"] = notes + report["notes"]
    return report


def format_report(path, report: dict) -> str:
    """A plain-text table of the grading report (one line per exercise, then the score)."""
    rows = [("exercise", "points", "result", "feedback")]
    for exercise in report["exercises"]:
        first_line = (exercise["feedback"].splitlines() or [""])[0]
        rows.append(
            (
                exercise["name"],
                f"{exercise['points']}/{exercise['max_points']}",
                "passed" if exercise["passed"] else "FAILED",
                first_line,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [f"Grading {path}"]
    for row in rows:
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3])) + "  "
                     + row[3])
    if len(rows) == 1:
        lines.append("(this notebook has no graded exercises)")
    for note in report.get("notes", []):
        lines.append(f"note: {note}")
    lines.append(f"Score: {report['score']} / {report['max_score']}")
    return "\n".join(line.rstrip() for line in lines)
