"""Each mistake counted once, at its root: which failed exercises are knock-ons of a block's.

Which exercise calls which is derived from the solution notebook, never written by hand:
an exercise's callees are the other exercises of its notebook whose names its exercise
cell's code reads (:func:`exercise_calls`), followed transitively.

After the learner's own tests of every exercise have run, each failed exercise whose
callees include failed exercises is tested once more, in the sandbox, with the correct
blocks in place of the learner's failed ones: the solution notebook's cells of those blocks
are run in the learner's kernel (:mod:`dnn_utils.workbook.sandbox.knock_on_kernel`), the unchanged
graded test runs on the learner's own function, and the learner's blocks are put back. If
it passes then, its failure is a knock-on: its result gets ``knock_on``, the id of the root
mistake (the first failed callee that is not itself a knock-on), and its feedback tells the
learner that their function is right given correct blocks. The re-test only labels: the
exercise's points stay what its own test gave (none). The solution cells sent into the
sandbox are trusted code, and public anyway.
"""

from __future__ import annotations

from pathlib import Path

from ..authoring.conventions import is_exercise_cell, nbgrader_metadata, read_notebook
from ..authoring.notebook_rules import loaded_names
from ..authoring.release import default_source_dir
from ..sandbox.session import SandboxError


def solution_notebook(nb, reference_dir=None):
    """The solution notebook of the graded notebook ``nb`` (whose metadata the grader checked)."""
    stem = nb.metadata["dnn_workbook"]["notebook"]
    folder = Path(default_source_dir() if reference_dir is None else reference_dir)
    return read_notebook(folder / f"{stem}.ipynb")


def exercise_sources(nb) -> dict[str, str]:
    """``{exercise: the source of its exercise cell}`` of a solution notebook."""
    sources = {}
    for cell in nb.cells:
        grade_id = nbgrader_metadata(cell).get("grade_id")
        if is_exercise_cell(cell) and isinstance(grade_id, str):
            sources[grade_id.removesuffix("_solution")] = cell.source
    return sources


def exercise_calls(nb) -> dict[str, set[str]]:
    """``{exercise: the other exercises its solution cell calls}`` (directly)."""
    sources = exercise_sources(nb)
    return {name: (loaded_names(source) & set(sources)) - {name}
            for name, source in sources.items()}


def callees(calls: dict, name: str) -> set[str]:
    """Every exercise ``name`` calls, directly or through others (never itself)."""
    found: set[str] = set()
    todo = list(calls.get(name, ()))
    while todo:
        callee = todo.pop()
        if callee not in found and callee != name:
            found.add(callee)
            todo += calls.get(callee, ())
    return found


def _retest(session, name: str, source: str, timeout: float) -> bool:
    """Whether the learner's ``name`` passes its test with ``source`` defined in the kernel."""
    from dnn_utils import graded

    from ..sandbox.proxy import exercise_target
    from .grader import run_graded_test  # the grader calls this module: import when used

    try:
        defined, _ = session.request({"op": "define", "name": name, "source": source},
                                     seconds=timeout)
    except SandboxError:
        return False
    if defined.get("status") != "defined":
        return False
    try:
        target = exercise_target(session, name, timeout)
        return run_graded_test(name, target, graded)["passed"] is True
    except AssertionError:  # the sandbox could not answer: not a knock-on
        return False
    finally:
        try:
            session.request({"op": "restore", "name": name}, seconds=timeout)
        except SandboxError:
            pass


def label_knock_ons(session, solution, results: list[dict], timeout: float) -> None:
    """Mark each failed result that passes with correct blocks as a knock-on, in place.

    Parameters
    ----------
    session : sandbox session
        The learner's sandbox, after every exercise was tested.
    solution : nbformat.NotebookNode
        The solution notebook (its exercise cells are the correct blocks).
    results : list of dict
        The grader's results (``name``, ``passed``, ``feedback``, ``mistake``), in the
        notebook's order; a knock-on gets ``knock_on`` and a sentence in ``feedback``.
    timeout : float
        Seconds each request may take.
    """
    sources = exercise_sources(solution)
    calls = exercise_calls(solution)
    failed = {r["name"]: r for r in results if not r["passed"]}
    order = [r["name"] for r in results]
    # Callees first: an exercise calls strictly fewer exercises than any of its callers.
    for name in sorted(failed, key=lambda n: (len(callees(calls, n)), order.index(n))):
        broken = [n for n in order if n in failed and n in callees(calls, name) and n in sources]
        if not broken or getattr(session, "broken", None):
            continue
        source = "\n\n".join(sources[n] for n in broken)
        if not _retest(session, name, source, timeout):
            continue
        roots = [n for n in broken if "knock_on" not in failed[n]] or broken[:1]
        result = failed[name]
        result["knock_on"] = failed[roots[0]].get("mistake") or f"{roots[0]}/other"
        blocks = " and ".join(roots)
        result["feedback"] += (
            f"\nKnock-on: your {name} is right given a correct {blocks}; its test fails "
            f"because {blocks} fails its own. Fix {blocks} first.")
