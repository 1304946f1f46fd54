"""What the sandboxed attack tests share: small notebooks, and a fixture that grades one.

A test grades the learner edition (nothing done: the honest score is 0) or the solution
of a notebook, cut down to its import cell and its exercise and graded cells, with attack
cells added, against the repository's solution notebooks, in the bubblewrap sandbox.
:func:`grading` checks that the grading stays within its overall limit and that no process
of it survives.
"""

import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell

from dnn_utils.workbook.authoring.conventions import (
    graded_cells,
    is_exercise_cell,
    is_graded_cell,
    read_notebook,
)
from dnn_utils.workbook.grading import grader as grader_module
from dnn_utils.workbook.grading.grader import grade

REPO = Path(__file__).resolve().parents[1]
SOLUTIONS = REPO / "notebooks" / "solutions"
STEM = "02_building_your_deep_network"
OVERALL = 150.0


def points(stem=STEM) -> dict:
    """The points of each exercise of ``stem``, from its solution notebook."""
    return {e.name: e.points
            for e in graded_cells(read_notebook(SOLUTIONS / f"{stem}.ipynb"), stem)}


def small(nb):
    """The import cell, the exercise cells and the graded cells of ``nb``, in order."""
    first = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    nb.cells = [c for i, c in enumerate(nb.cells)
                if i == first or is_exercise_cell(c) or is_graded_cell(c)]
    return nb


def empty_notebook(extra=(), stem=STEM):
    nb = small(nbformat.read(REPO / "notebooks" / f"{stem}.ipynb", as_version=4))
    nb.cells += [new_code_cell(source) for source in extra]
    return nb


def solved_notebook(extra=(), stem=STEM):
    nb = small(nbformat.read(SOLUTIONS / f"{stem}.ipynb", as_version=4))
    nb.cells += [new_code_cell(source) for source in extra]
    return nb


def session_processes(token):
    """PIDs of live processes whose environment carries the grading session's token."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            status = (entry / "status").read_text()
        except OSError:
            continue
        if token.encode() in environ and "State:\tZ" not in status:
            found.append(int(entry.name))
    return found


def grading(tmp_path, monkeypatch):
    """A function that grades a notebook, checking the time limit and that nothing of the
    session survives (each test module makes it its ``graded`` fixture)."""
    sessions = []
    real_start = grader_module.start

    def start(*args, **kwargs):
        result = real_start(*args, **kwargs)
        sessions.append(result[0])
        return result

    monkeypatch.setattr(grader_module, "start", start)

    def run(nb, name="learner.ipynb", **kwargs):
        path = tmp_path / "class" / name
        path.parent.mkdir(exist_ok=True)
        nbformat.write(nb, path)
        began = time.monotonic()
        report = grade(path, timeout=kwargs.pop("timeout", 30), reference_dir=SOLUTIONS,
                       overall_timeout=kwargs.pop("overall_timeout", OVERALL), **kwargs)
        elapsed = time.monotonic() - began
        assert elapsed < OVERALL + 15, f"grading took {elapsed:.0f} s"
        time.sleep(0.5)
        assert session_processes(sessions[-1].token) == [], "a sandbox process survived"
        return report

    return run
