"""``check --grade``: prove a workbook's skip marks on the real grader.

The static check (:func:`dnn_utils.workbook.grading.skipping.mark_problems`) sees names; this
sees results. For every solution notebook with graded exercises:

- grading the solution notebook itself, with its marked cells skipped, scores full marks
  and skips every marked cell;
- grading its learner edition (released afresh into a temporary folder) scores 0, with
  the same cells skipped;
- the committed learner edition, when there is one beside the solutions, has a cell with
  the id of every marked cell (the grader matches the learner's copy by cell id).

Each grading runs in the bubblewrap sandbox (``sandbox=False`` for ``--no-sandbox``).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from ..authoring.conventions import WorkbookError, graded_cells, read_notebook
from ..authoring.release import default_source_dir, notebook_bytes, strip_solutions
from .grader import DEFAULT_OVERALL_TIMEOUT, DEFAULT_TIMEOUT, grade
from .skipping import marked_ids, skip_candidates


def _skipped_ids(report) -> set[str]:
    return {entry["id"] for entry in report.get("skipped", [])}


def _missing_skips(marks, report, what: str) -> list[str]:
    """A problem when a marked cell ran while grading ``what``."""
    ran = sorted(marks - _skipped_ids(report))
    if not ran:
        return []
    return [f"grading {what}, the marked cell(s) with id {', '.join(ran)} ran all the same "
            "(a cell left running needs them; see the notes: "
            f"{'; '.join(report.get('notes', []))[:300]})"]


def prove_notebook(path, *, sandbox: bool = True, timeout: float = DEFAULT_TIMEOUT,
                   learner_dir=None) -> tuple[list[str], str]:
    """Grade one solution notebook and its learner edition with the marked cells skipped.

    Parameters
    ----------
    path : str or Path
        A solution notebook; the folder it is in is the reference of both gradings.
    sandbox : bool, optional
        Grade in the bubblewrap sandbox.
    timeout : float, optional
        Seconds each cell may run.
    learner_dir : str or Path, optional
        The folder of the committed learner edition, whose cell ids are checked; by
        default the solutions folder's parent, when it holds the notebook.

    Returns
    -------
    (list of str, str)
        The problems (empty when the marks are safe) and a one-line summary.
    """
    path = Path(path)
    solution = read_notebook(path)
    maximum = sum(e.points for e in graded_cells(solution, str(path)))
    if not maximum:
        return [], f"{path.stem}: no graded exercise, not graded"
    marks = marked_ids(solution)
    problems = []
    committed = Path(path.parent.parent if learner_dir is None else learner_dir) / path.name
    if committed.is_file():
        edition = read_notebook(committed)
        found = {edition.cells[i].get("id") for i in skip_candidates(edition, marks)}
        if found != marks:
            problems.append(f"the learner edition {committed} lacks the marked cell id(s) "
                            f"{', '.join(sorted(marks - found))}: release it again "
                            "('python -m dnn_utils.workbook release notebooks --force')")
    options = {"reference_dir": path.parent, "sandbox": sandbox, "timeout": timeout,
               "overall_timeout": DEFAULT_OVERALL_TIMEOUT}
    started = time.perf_counter()
    solved = grade(path, **options)
    solved_seconds = time.perf_counter() - started
    if solved["score"] != maximum:
        failed = [e["name"] for e in solved["exercises"] if not e["passed"]]
        problems.append(f"the solution notebook scores {solved['score']}/{maximum} with its "
                        f"marked cells skipped (failed: {', '.join(failed)}): a marked cell "
                        "is needed; grade it with --no-skip to compare")
    problems += _missing_skips(marks, solved, "the solution notebook")
    with tempfile.TemporaryDirectory(prefix="dnn-skip-proof-") as scratch:
        learner = Path(scratch) / path.name
        learner.write_bytes(notebook_bytes(strip_solutions(solution, str(path))))
        started = time.perf_counter()
        released = grade(learner, **options)
        learner_seconds = time.perf_counter() - started
    if released["score"] != 0:
        problems.append(f"the learner edition scores {released['score']}/{maximum} with the "
                        "marked cells skipped, expected 0")
    problems += _missing_skips(marks, released, "the learner edition")
    summary = (f"{path.stem}: solution {solved['score']}/{maximum} in {solved_seconds:.1f} s, "
               f"learner edition {released['score']}/{maximum} in {learner_seconds:.1f} s, "
               f"{len(_skipped_ids(solved))} of {len(marks)} marked cell(s) skipped")
    return problems, summary


def prove_marks(source_dir=None, *, sandbox: bool = True,
                timeout: float = DEFAULT_TIMEOUT) -> int:
    """Run :func:`prove_notebook` on every solution notebook, printing as it goes.

    Returns
    -------
    int
        The number of notebooks with a problem.
    """
    source_dir = Path(default_source_dir() if source_dir is None else source_dir)
    failed = 0
    for path in sorted(source_dir.glob("*.ipynb")):
        try:
            problems, summary = prove_notebook(path, sandbox=sandbox, timeout=timeout)
        except WorkbookError as exc:
            problems, summary = [str(exc)], f"{path.stem}: could not be graded"
        print(summary, flush=True)
        for problem in problems:
            print(f"{path}: {problem}", flush=True)
        failed += bool(problems)
    return failed
