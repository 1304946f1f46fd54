"""Cells the grader may skip: marked in the solution notebook, proved safe, matched by cell id.

An instructor tags a code cell of a solution notebook ``grader-may-skip``
(:data:`SKIP_TAG`) when the grade does not need it: a training run, a plot or a print of
its results. The learner edition keeps the tag, but the grader trusts only the solution's
marks: :func:`marked_ids` reads them from the solution, and :func:`skip_candidates` finds
the learner's cells with those ids (nbformat 4.5 cell ids, which the release keeps). A
cell the learner added has an id of its own and runs; an exercise or graded cell is never
skipped, whatever its id.

Safety is static (:mod:`dnn_utils.workbook.grading.cell_names`): walking the cells in order, a
skipped cell's names are missing, so :func:`unsafe_skips` reports every name a skipped
cell binds that a cell still running reads, or that a graded test needs (the exercise,
and the globals its body reads when the test calls it). ``check`` refuses such marks
(:func:`mark_problems`); in the learner's notebook, :func:`cells_to_skip` runs a marked
cell after all when the learner's own cells need it (they may have changed the notebook).
``check --grade`` then proves the marks on the real thing
(:mod:`dnn_utils.workbook.grading.skip_proof`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..authoring.conventions import (
    cell_tags,
    is_exercise_cell,
    is_graded_cell,
    nbgrader_metadata,
    solution_regions,
)
from .cell_names import cell_names

#: The tag of a solution cell the grader may skip.
SKIP_TAG = "grader-may-skip"
#: Characters of a skipped cell's first line kept in a grading report.
FIRST_LINE_CHARS = 80


@dataclass(frozen=True)
class Unsafe:
    """A skip that would break a cell or a test.

    Attributes
    ----------
    skipped : int
        Index of the skipped cell.
    user : int or None
        Index of the running cell that reads ``names``; None for the graded tests, which
        run after every cell.
    names : tuple of str
        The names the skipped cell binds and ``user`` reads; empty when the skipped cell
        cannot be analysed at all.
    """

    skipped: int
    user: int | None
    names: tuple


def is_marked(cell) -> bool:
    """True when the cell carries :data:`SKIP_TAG`."""
    return SKIP_TAG in cell_tags(cell)


def _can_skip(cell) -> bool:
    """A code cell that is neither an exercise nor a graded cell, nor holds a solution."""
    if cell.get("cell_type") != "code" or is_exercise_cell(cell) or is_graded_cell(cell):
        return False
    try:
        return not solution_regions(cell.get("source", ""))
    except ValueError:
        return False


def marked_ids(nb) -> frozenset:
    """The ids of the cells a (solution) notebook marks, among those that can be skipped."""
    return frozenset(cell["id"] for cell in nb.cells
                     if is_marked(cell) and _can_skip(cell) and isinstance(cell.get("id"), str))


def skip_candidates(nb, marks) -> list[int]:
    """Indices of the cells of ``nb`` (a learner's copy) whose id the solution marks.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook being graded; its own tags are ignored.
    marks : set of str
        :func:`marked_ids` of the solution notebook.
    """
    return [index for index, cell in enumerate(nb.cells)
            if isinstance(cell.get("id"), str) and cell["id"] in marks and _can_skip(cell)]


def unsafe_skips(nb, skip) -> list[Unsafe]:
    """Every name a skipped cell binds that a cell still running, or a graded test, reads.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook, in the order its cells run.
    skip : set of int
        Indices of the cells not run.

    Returns
    -------
    list of Unsafe
        One per (skipped cell, reader), in notebook order; empty when skipping is safe.
    """
    found: dict[tuple, set] = {}
    origin: dict[str, int] = {}  # name -> the skipped cell that bound it last
    lazy: dict[str, frozenset] = {}  # function name -> the globals its body reads

    def resolve(names, user, seen) -> None:
        for name in names:
            if name in origin:
                found.setdefault((origin[name], user), set()).add(name)
            if name in lazy and name not in seen:
                seen.add(name)
                resolve(lazy[name], user, seen)

    needs = []
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        if is_graded_cell(cell):
            name = nbgrader_metadata(cell).get("grade_id")
            needs += [name] if isinstance(name, str) else []
            continue
        names = cell_names(cell.get("source", ""))
        if names.opaque:
            if index in skip:
                found.setdefault((index, None), set())
            else:  # it may read anything
                resolve(list(origin), index, set())
            continue
        if index not in skip:
            resolve(names.reads, index, set())
        for name in names.binds:
            lazy.pop(name, None)
            if index in skip:
                origin[name] = index
            else:
                origin.pop(name, None)
        lazy.update(names.functions)
    resolve(needs, None, set())
    return [Unsafe(skipped, user, tuple(sorted(names)))
            for (skipped, user), names in sorted(found.items(),
                                                 key=lambda item: (item[0][0], item[0][1] or 0))]


def cells_to_skip(nb, candidates) -> set[int]:
    """The candidates that can be skipped in this notebook: those no running cell needs.

    A candidate whose names a cell of the learner's notebook (or a graded test) needs runs
    after all, and so does every candidate that one then needs, and so on.
    """
    skip = {i for i in candidates if not cell_names(nb.cells[i].get("source", "")).opaque}
    while skip:
        needed = {unsafe.skipped for unsafe in unsafe_skips(nb, skip)}
        if not needed:
            break
        skip -= needed
    return skip


def _cell(nb, index: int) -> str:
    return f"cell {index + 1} (id {nb.cells[index].get('id', '?')})"


def _unsafe_message(nb, unsafe: Unsafe) -> str:
    where = _cell(nb, unsafe.skipped)
    if not unsafe.names:
        return (f"{where} is tagged '{SKIP_TAG}' but its code cannot be analysed (a cell "
                "magic, %run, %time, a star import, or too long): write it as plain Python, "
                "or remove the tag")
    names = ", ".join(f"`{name}`" for name in unsafe.names)
    if unsafe.user is None:
        return (f"{where} is tagged '{SKIP_TAG}' but binds {names}, which a graded test "
                "needs (the exercise, or a name its code reads): remove the tag")
    return (f"{where} is tagged '{SKIP_TAG}' but binds {names}, which "
            f"{_cell(nb, unsafe.user)} reads and that cell still runs: tag cell "
            f"{unsafe.user + 1} too if the grade does not need it, or remove the tag from cell "
            f"{unsafe.skipped + 1}")


def mark_problems(nb) -> list[str]:
    """Every unsafe or misplaced skip mark of a solution notebook (empty when all are safe).

    A mark is an error on a cell that is not a code cell, is an exercise or graded cell,
    holds a solution region, has no cell id (nbformat 4.5), or binds a name that a cell
    left running or a graded test reads (see :func:`unsafe_skips`).
    """
    problems, skip = [], set()
    for index, cell in enumerate(nb.cells):
        if not is_marked(cell):
            continue
        where = f"cell {index + 1}"
        if cell.get("cell_type") != "code":
            problems.append(f"{where}: only a code cell can be skipped; remove the tag "
                            f"'{SKIP_TAG}'")
        elif is_exercise_cell(cell) or is_graded_cell(cell) or not _can_skip(cell):
            problems.append(f"{where}: an exercise or graded cell (or one holding a solution "
                            f"region) always runs; remove the tag '{SKIP_TAG}'")
        elif not isinstance(cell.get("id"), str):
            problems.append(f"{where} is tagged '{SKIP_TAG}' but has no cell id, which the "
                            "grader matches the learner's copy by: save the notebook in "
                            "nbformat 4.5 or later (run 'python -m dnn_utils.workbook "
                            "execute' on it)")
        else:
            skip.add(index)
    return problems + [_unsafe_message(nb, unsafe) for unsafe in unsafe_skips(nb, skip)]


def describe_cells(nb, indices) -> list[dict]:
    """``[{"cell", "id", "first_line"}]`` of the given cells, for a grading report."""
    described = []
    for index in sorted(indices):
        cell = nb.cells[index]
        lines = [line.strip() for line in cell.get("source", "").splitlines() if line.strip()]
        described.append({"cell": index + 1, "id": str(cell.get("id", ""))[:64],
                          "first_line": (lines[0] if lines else "")[:FIRST_LINE_CHARS]})
    return described


def skipped_line(skipped: list[dict]) -> str:
    """One sentence naming the skipped cells, for the text report and the feedback page."""
    cells = ", ".join(str(entry["cell"]) for entry in skipped)
    return (f"cell(s) {cells} were not run: the workbook marks them as not needed for the "
            "grade (grade --no-skip runs every cell)")
