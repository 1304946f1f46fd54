"""The "see your result" cells of notebooks 01 and 02.

In the solution notebooks, every exercise of the building-blocks notebook is followed
by one, and the expected output written above each cell is the output the cell
stored. In the released learner edition, run before any exercise is done, each such
cell prints exactly one friendly line, and no cell fails with a NameError.
"""

import contextlib
import io
import re
from pathlib import Path

import matplotlib
import nbformat
import pytest

from dnn_utils.workbook.authoring.check import see_result_problems
from dnn_utils.workbook.authoring.notebook_rules import see_result_coverage_problems

matplotlib.use("Agg")

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = ["01_notation_and_dimensions.ipynb", "02_building_your_deep_network.ipynb"]


def read(path):
    return nbformat.read(path, as_version=4)


def is_graded(cell):
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get("grade", False))


def see_cells(nb):
    """(index, markdown above, code cell) of every see-your-result cell."""
    return [(i, nb.cells[i - 1], cell) for i, cell in enumerate(nb.cells)
            if cell.cell_type == "code" and "graded.see_result(" in cell.source]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_exercise_of_the_notebook_has_a_see_your_result_cell(name):
    nb = read(REPO / "notebooks" / "solutions" / name)
    assert see_cells(nb), f"{name} shows no result"
    # The rule is check's: a notebook that shows one exercise's result shows every one's.
    assert see_result_coverage_problems(nb) == []
    exercises = {cell.metadata["nbgrader"]["grade_id"] for cell in nb.cells if is_graded(cell)}
    shown = {re.search(r"graded\.see_result\((\w+),", cell.source).group(1)
             for _, _, cell in see_cells(nb)}
    assert exercises and shown == exercises


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_the_expected_output_written_above_is_what_the_cell_prints(name):
    nb = read(REPO / "notebooks" / "solutions" / name)
    cells = see_cells(nb)
    assert cells
    # The rule is check's (the same sentence `python -m dnn_utils.workbook check` prints).
    for index, markdown, cell in cells:
        assert see_result_problems(index, cell, markdown) == []


def run_learner_edition(path):
    """Run the learner edition's code cells in order, in one namespace, like a learner who
    runs every cell without doing the exercises. Graded cells are skipped (their failure
    is the point of them). Returns [(cell index, printed text, exception or None)]."""
    namespace = {}
    results = []
    for index, cell in enumerate(read(path).cells):
        if cell.cell_type != "code" or is_graded(cell):
            continue
        source = "\n".join(line for line in cell.source.splitlines()
                           if not line.lstrip().startswith("%"))
        printed = io.StringIO()
        error = None
        with contextlib.redirect_stdout(printed):
            try:
                exec(compile(source, f"cell {index + 1}", "exec"), namespace)
            except Exception as exc:  # recorded, then judged by the test
                error = exc
        results.append((index, printed.getvalue(), error))
        matplotlib.pyplot.close("all")
    return results


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_in_the_learner_edition_a_see_cell_prints_one_friendly_line(name):
    path = REPO / "notebooks" / name
    see = {index for index, _, _ in see_cells(read(path))}
    assert see
    results = run_learner_edition(path)
    for index, printed, error in results:
        if index in see:
            assert error is None, f"cell {index + 1}: {error!r}"
            lines = printed.splitlines()
            assert len(lines) == 1 and "is not written yet" in lines[0], (index, printed)
        # Other cells may stop at an unfinished exercise, but never at a missing name.
        assert not isinstance(error, NameError), f"cell {index + 1}: {error!r}"
        assert error is None or isinstance(error, NotImplementedError), (index, error)
