"""Cells the grader may skip: the static analysis, the check, the grader and the proof.

The grading tests use a tiny workbook of one exercise (``compute_cost``) whose marked cells
would write a file: the file's absence proves the cell did not run. They grade without the
sandbox (the skipping is the driver's, the same in both); the proof over the real
notebooks (``check --grade``) grades in the sandbox.
"""

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from dnn_utils import graded
from dnn_utils.workbook import grade, strip_solutions
from dnn_utils.workbook.authoring.check import convention_problems
from dnn_utils.workbook.authoring.conventions import graded_cells, read_notebook
from dnn_utils.workbook.classroom.batch import Settings, grade_class
from dnn_utils.workbook.grading.cell_names import cell_names
from dnn_utils.workbook.grading.grader import format_report
from dnn_utils.workbook.grading.skip_proof import prove_notebook
from dnn_utils.workbook.grading.skipping import (
    SKIP_TAG,
    cells_to_skip,
    is_marked,
    mark_problems,
    marked_ids,
    skip_candidates,
)

REPO = Path(__file__).resolve().parents[1]
SOLUTIONS = REPO / "notebooks" / "solutions"
GRADED_NOTEBOOKS = [p for p in sorted(SOLUTIONS.glob("*.ipynb"))
                    if graded_cells(read_notebook(p), p.stem)]

COMPUTE_COST = """\
def compute_cost(AL, Y):
    m = Y.shape[1]
    ### BEGIN SOLUTION
    cost = -np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m
    ### END SOLUTION
    return float(cost)"""


def code(source, cell_id, tags=(), nbgrader=None):
    cell = new_code_cell(source)
    cell.id = cell_id
    if tags:
        cell.metadata["tags"] = list(tags)
    if nbgrader:
        cell.metadata["nbgrader"] = {**nbgrader, "schema_version": 3}
    return cell


def tiny_solution(folder: Path):
    """A solution workbook whose two marked cells would write ``folder/skipped.txt``."""
    cells = [
        new_markdown_cell("# Tiny"),
        code("import numpy as np\nfrom dnn_utils import graded", "imports"),
        code(COMPUTE_COST, "exercise", nbgrader={"solution": True, "grade": False,
                                                 "locked": False,
                                                 "grade_id": "compute_cost_solution"}),
        code("graded.compute_cost_test(compute_cost)", "graded",
             nbgrader={"grade": True, "solution": False, "locked": True,
                       "grade_id": "compute_cost", "points": 2}),
        code(f"result = open({str(folder / 'skipped.txt')!r}, 'w').write('ran')",
             "trains", tags=[SKIP_TAG]),
        code("print(result)", "prints", tags=["learner-edition-no-output", SKIP_TAG]),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["dnn_workbook"] = {"notebook": "01_tiny"}
    return nb


def write(nb, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


@pytest.fixture
def workbook(tmp_path):
    """(solution notebook, folder of solutions) of the tiny workbook."""
    nb = tiny_solution(tmp_path)
    write(nb, tmp_path / "solutions" / "01_tiny.ipynb")
    return nb, tmp_path / "solutions"


# ------------------------------------------------------------ static analysis


def test_cell_names_reads_names_in_the_order_python_runs_them():
    names = cell_names("x = x + 1\nfor k in range(3):\n    y = k\nsquares = [i * i for i in w]\n"
                       "def f(a):\n    return helper(a) + z\nd[k] = 1\n%matplotlib inline")
    assert names.reads == {"x", "range", "w", "d", "get_ipython"}
    assert names.binds == {"x", "k", "y", "squares", "f", "d"}  # d changed in place
    assert dict(names.functions) == {"f": {"helper", "z"}}
    # A function of the cell called in the cell reads its globals then.
    assert "helper" in cell_names("def f():\n    return helper\nf()").reads
    assert cell_names("import a.b, c as d\nfrom e import f as g").binds == {"a", "d", "g"}
    assert cell_names("del m").reads == {"m"}
    for opaque in ("%%time\nx = 1", "%time x = 1", "%run other.py", "from m import *"):
        assert cell_names(opaque).opaque, opaque
    assert cell_names("def f(:").reads == set()  # a SyntaxError runs nothing


def marks(nb, *ids):
    for cell in nb.cells:
        if cell.get("id") in ids:
            cell.metadata["tags"] = [*cell.metadata.get("tags", []), SKIP_TAG]
    return nb


def test_the_tiny_workbooks_marks_are_safe(workbook):
    nb, _ = workbook
    assert mark_problems(nb) == []
    assert convention_problems(nb, "01_tiny", graded) == []


def test_a_mark_whose_names_a_running_cell_reads_is_an_error_naming_both(workbook):
    nb, _ = workbook
    nb.cells[5].metadata["tags"] = []  # print(result) now runs, but `result` is skipped
    assert mark_problems(nb) == [
        "cell 5 (id trains) is tagged 'grader-may-skip' but binds `result`, which cell 6 "
        "(id prints) reads and that cell still runs: tag cell 6 too if the grade does not "
        "need it, or remove the tag from cell 5"]


def test_a_mark_on_a_name_the_exercise_reads_when_called_is_an_error(workbook):
    nb, _ = workbook
    nb.cells.insert(2, code("def helper(Y):\n    return Y.shape[1]", "helper", tags=[SKIP_TAG]))
    nb.cells[3].source = nb.cells[3].source.replace("m = Y.shape[1]", "m = helper(Y)")
    assert mark_problems(nb) == [
        "cell 3 (id helper) is tagged 'grader-may-skip' but binds `helper`, which a graded "
        "test needs (the exercise, or a name its code reads): remove the tag"]


def test_marks_on_exercise_graded_markdown_or_id_less_cells_are_errors(workbook):
    nb, _ = workbook
    marks(nb, "exercise", "graded")
    nb.cells[0].metadata["tags"] = [SKIP_TAG]
    del nb.cells[4]["id"]
    problems = mark_problems(nb)
    assert problems[0] == "cell 1: only a code cell can be skipped; remove the tag " \
                          "'grader-may-skip'"
    for number in (3, 4):
        assert problems[number - 2].startswith(f"cell {number}: an exercise or graded cell")
    assert problems[3].startswith("cell 5 is tagged 'grader-may-skip' but has no cell id")
    assert len(problems) == 4  # cell 6 reads `result` of an id-less (so running) cell 5


def test_check_refuses_an_unsafe_mark_in_the_workbook(tmp_path):
    # Untag the cell that plots notebook 03's first training run: the run's cell is then
    # unsafe to skip, and check names both cells.
    source = tmp_path / "solutions"
    source.mkdir()
    for path in SOLUTIONS.glob("*.ipynb"):
        (source / path.name).write_bytes(path.read_bytes())
    path = source / "03_cat_classifier_application.ipynb"
    nb = nbformat.read(path, as_version=4)
    trains = next(i for i, c in enumerate(nb.cells)
                  if is_marked(c) and "two_layer_model(train_x" in c.source)
    plots = next(i for i, c in enumerate(nb.cells) if i > trains and is_marked(c))
    nb.cells[plots].metadata["tags"].remove(SKIP_TAG)
    nbformat.write(nb, path)
    done = subprocess.run([sys.executable, "-m", "dnn_utils.workbook", "check", "--source",
                           str(source)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stdout + done.stderr
    assert (f"{path}: cell {trains + 1} (id {nb.cells[trains].id}) is tagged "
            f"'grader-may-skip' but binds") in done.stdout
    assert f"which cell {plots + 1} (id {nb.cells[plots].id}) reads" in done.stdout


def test_only_the_solutions_marks_count_and_never_on_an_exercise(workbook):
    solution, _ = workbook
    learner = strip_solutions(solution)
    learner.cells[1].metadata["tags"] = [SKIP_TAG]  # a mark of the learner's own
    learner.cells[2].id, learner.cells[4].id = "trains", "renamed"  # ids swapped
    assert skip_candidates(learner, marked_ids(solution)) == [5]


def test_a_marked_cell_the_learners_own_cells_need_runs_after_all(workbook):
    solution, _ = workbook
    learner = strip_solutions(solution)
    learner.cells[4].source += "\nlearning_rate = 0.01"
    learner.cells.append(code("print(learning_rate)", "mine"))
    assert cells_to_skip(learner, [4, 5]) == {5}
    # ... and one whose name the learner's exercise reads when the test calls it.
    learner.cells[2].source = "def compute_cost(AL, Y):\n    return learning_rate"
    learner.cells.pop()
    assert cells_to_skip(learner, [4, 5]) == {5}


def test_the_learner_edition_keeps_the_solutions_marks():
    for path in SOLUTIONS.glob("*.ipynb"):
        learner = read_notebook(REPO / "notebooks" / path.name)
        solution_marks = marked_ids(read_notebook(path))
        assert {learner.cells[i].id for i in skip_candidates(learner, solution_marks)} == \
            solution_marks, path.name


def test_the_training_runs_of_notebook_03_are_marked():
    nb = read_notebook(SOLUTIONS / "03_cat_classifier_application.ipynb")
    runs = [c for c in nb.cells if c.cell_type == "code"
            and ("two_layer_model(train_x" in c.source or "L_layer_model(train_x" in c.source)]
    assert len(runs) == 2 and all(is_marked(c) for c in runs)


# ------------------------------------------------------------------- grading


@pytest.mark.slow
def test_marked_cells_do_not_run_but_added_and_learner_tagged_cells_do(tmp_path, workbook):
    solution, solutions = workbook
    learner = nbformat.from_dict(json.loads(json.dumps(solution)))
    learner.cells.append(code(f"open({str(tmp_path / 'added.txt')!r}, 'w').write('ran')",
                              "added-by-the-learner"))
    learner.cells.append(code(f"open({str(tmp_path / 'own.txt')!r}, 'w').write('ran')",
                              "tagged-by-the-learner", tags=[SKIP_TAG]))
    path = write(learner, tmp_path / "class" / "learner.ipynb")
    report = grade(path, reference_dir=solutions, sandbox=False, timeout=60)
    assert (report["score"], report["max_score"]) == (2, 2), report
    assert not (tmp_path / "skipped.txt").exists()
    assert (tmp_path / "added.txt").exists() and (tmp_path / "own.txt").exists()
    assert report["skipped"] == [
        {"cell": 5, "id": "trains", "first_line": solution.cells[4].source[:80]},
        {"cell": 6, "id": "prints", "first_line": "print(result)"}]
    assert "skipped: cell(s) 5, 6 were not run" in format_report(path, report)


@pytest.mark.slow
def test_a_needed_marked_cell_runs_with_a_note(tmp_path, workbook):
    solution, solutions = workbook
    learner = nbformat.from_dict(json.loads(json.dumps(solution)))
    learner.cells[4].source += "\nscale = 1.0"
    learner.cells[2].source = learner.cells[2].source.replace("/ m", "/ m * scale")
    report = grade(write(learner, tmp_path / "class" / "learner.ipynb"),
                   reference_dir=solutions, sandbox=False, timeout=60)
    assert report["score"] == 2 and (tmp_path / "skipped.txt").exists()
    assert [s["cell"] for s in report["skipped"]] == [6]
    assert "cell(s) 5 ran although the workbook marks them" in " ".join(report["notes"])


@pytest.mark.slow
def test_no_skip_runs_every_cell_for_one_notebook_and_a_class(tmp_path, workbook):
    solution, solutions = workbook
    path = write(solution, tmp_path / "one" / "01_tiny.ipynb")
    done = subprocess.run([sys.executable, "-m", "dnn_utils.workbook", "grade", str(path),
                           "--no-sandbox", "--no-skip", "--solutions", str(solutions),
                           "--json", str(tmp_path / "report.json")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "report.json").read_text())["skipped"] == []
    assert (tmp_path / "skipped.txt").exists() and "skipped:" not in done.stdout

    (tmp_path / "skipped.txt").unlink()
    write(solution, tmp_path / "class" / "alice" / "01_tiny.ipynb")
    settings = Settings(timeout=60, sandbox=False, solutions=str(solutions))
    first = grade_class(tmp_path / "class", tmp_path / "gradebook.csv", jobs=1,
                        settings=settings, progress=False)
    assert first["graded"] == 1 and not (tmp_path / "skipped.txt").exists()
    page = (tmp_path / "feedback" / "alice.html").read_text()
    assert "Not run by the grader" in page and "<li>cell 6: <code>print(result)</code>" in page
    again = grade_class(tmp_path / "class", tmp_path / "gradebook.csv", jobs=1,
                        settings=Settings(timeout=60, sandbox=False, solutions=str(solutions),
                                          skip=False), progress=False)
    assert again["graded"] == 1 and again["skipped"] == 0  # --no-skip is part of the key
    assert (tmp_path / "skipped.txt").exists()
    assert again["records"][0]["report"]["skipped"] == []


# ---------------------------------------------------- the proof: check --grade


@pytest.mark.slow
@pytest.mark.needs_bwrap
@pytest.mark.parametrize("path", GRADED_NOTEBOOKS, ids=[p.stem for p in GRADED_NOTEBOOKS])
def test_the_marks_are_proved_on_the_grader(path):
    problems, summary = prove_notebook(path)
    assert problems == [], summary
