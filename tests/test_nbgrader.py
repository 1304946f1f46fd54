"""The solution notebooks work in real nbgrader, and it scores them as ``grade`` does.

nbgrader is an instructor's tool, an optional extra (``pip install -r
requirements-instructor.txt``); without it these tests are skipped with the reason,
except in CI (``CI=true``), where they fail instead. They build a throwaway nbgrader
course in tmp_path: the solution notebooks are its source, unchanged. Each autograde and
each ``grade`` runs a notebook, so they are slow (see the README for how long).
"""

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from ci_skip import skip_or_fail

from dnn_utils.workbook import grade, strip_solutions
from dnn_utils.workbook.authoring.conventions import graded_cells, read_notebook

if importlib.util.find_spec("nbgrader") is None:
    _REASON = ("nbgrader is not installed; `pip install -r requirements-instructor.txt` to "
               "test that the notebooks work in nbgrader (an instructor's tool, optional)")
    skip_or_fail(_REASON, module=True)

REPO = Path(__file__).resolve().parents[1]
SOLUTIONS = REPO / "notebooks" / "solutions"
ASSIGNMENT = "workbook"
# The notebooks with graded exercises whose autograde is compared (03 trains two models
# for minutes, and is left out). In 06 an unanswered question is `name = ...`.
COMPARED = ["02_building_your_deep_network", "01_notation_and_dimensions", "06_key_concepts"]

pytestmark = pytest.mark.slow


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    """Run an nbgrader command in the course folder; fail the test with its log if it fails."""
    # nbgrader starts its tools (alembic, jupyter) by name from PATH: the ones of this
    # interpreter, also when its virtual environment is not activated.
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": os.pathsep.join([bin_dir, os.environ.get("PATH", "")])}
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args], cwd=course, capture_output=True, text=True,
        timeout=1800, env=env,
    )
    assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stderr[-4000:]}"
    return done


def make_course(root: Path, notebooks) -> Path:
    """An nbgrader course whose one assignment holds copies of the solution notebooks."""
    source = root / "source" / ASSIGNMENT
    source.mkdir(parents=True)
    for path in notebooks:
        shutil.copyfile(path, source / path.name)
    (root / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        "c.CourseDirectory.course_id = 'dnn_workbook'\n"
        f"c.CourseDirectory.root = {str(root)!r}\n"
        # A loaded machine can make a cell slower than nbgrader's default 30 s.
        "c.Execute.timeout = 600\n",
        encoding="utf-8",
    )
    return root


def nbgrader_scores(course: Path, notebook: str, student: str) -> dict:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submitted = gradebook.find_submission_notebook(notebook, ASSIGNMENT, student)
        return {g.name: g.score for g in submitted.grades}


def test_generate_assignment_accepts_every_solution_notebook_unchanged(tmp_path):
    notebooks = sorted(SOLUTIONS.glob("*.ipynb"))
    before = {p.name: p.read_bytes() for p in notebooks}
    course = make_course(tmp_path, notebooks)
    nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")

    for path in notebooks:
        released = read_notebook(course / "release" / ASSIGNMENT / path.name)
        solution = read_notebook(path)
        # nbgrader kept every graded cell with its points, and left no solution behind.
        assert [(e.name, e.points) for e in graded_cells(released, path.name)] == [
            (e.name, e.points) for e in graded_cells(solution, path.name)
        ]
        text = json.dumps(released)
        assert "### BEGIN SOLUTION" not in text
        assert (course / "source" / ASSIGNMENT / path.name).read_bytes() == before[path.name]
    assert {p.name: p.read_bytes() for p in notebooks} == before


@pytest.mark.needs_bwrap
def test_autograde_gives_the_same_scores_as_grade(tmp_path):
    course = make_course(tmp_path / "course", [SOLUTIONS / f"{n}.ipynb" for n in COMPARED])
    nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    learners = {}
    for name in COMPARED:
        solution = read_notebook(SOLUTIONS / f"{name}.ipynb")
        learners.setdefault("released", {})[name] = strip_solutions(solution, name)
        learners.setdefault("solved", {})[name] = solution
    graded_here = {}
    for student, notebooks in learners.items():
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        for name, nb in notebooks.items():
            nbformat.write(nb, str(folder / f"{name}.ipynb"))
            # grade() reads its own private copy, in a folder of its own.
            mine = tmp_path / "grade" / student / f"{name}.ipynb"
            mine.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, str(mine))
            report = grade(mine, timeout=600)
            graded_here[student, name] = {e["name"]: e["points"] for e in report["exercises"]}
    nbgrader(course, "autograde", ASSIGNMENT, "--create", "--force")

    for (student, name), points in graded_here.items():
        assert nbgrader_scores(course, name, student) == pytest.approx(points), (student, name)
    # Both ends of the scale were seen: nothing for the released edition, everything solved.
    for name in COMPARED:
        assert sum(graded_here["released", name].values()) == 0
        maximum = sum(e.points for e in graded_cells(read_notebook(SOLUTIONS / f"{name}.ipynb"),
                                                     name))
        assert sum(graded_here["solved", name].values()) == maximum > 0
