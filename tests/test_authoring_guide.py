"""Follow docs/AUTHORING.md on a copy of the repository, as an instructor adapting it would:
add the exercise `tanh_forward` to notebook 02, change its points, add a quiz question to
notebook 06, then check, release and grade.

The commands run are the ones the guide's ``bash`` blocks write, so the guide cannot drift
from the tool; the quiz question's module is the guide's own ``python`` example. The only
files written are the solution notebooks and one graded-test module per addition.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell

REPO = Path(__file__).resolve().parents[1]
GUIDE = (REPO / "docs" / "AUTHORING.md").read_text(encoding="utf-8")
NB02 = "02_building_your_deep_network"
NB06 = "06_key_concepts"

TANH_TESTS = '''"""Graded test of the tanh exercise (an instructor's addition)."""

import numpy as np

from .feedback import expect_array, graded_test


@graded_test("tanh_forward")
def tanh_forward_test(target):
    Z = np.linspace(-2.0, 2.0, 6).reshape(2, 3)
    expect_array("tanh_forward", "A", target(Z), np.tanh(Z))
'''


def guide_command(subcommand):
    """The guide's command line for a workbook subcommand, split into arguments."""
    blocks = re.findall(r"```bash\n(.*?)```", GUIDE, flags=re.S)
    for line in "\n".join(blocks).splitlines():
        words = line.strip().split()
        if words[:4] == ["python", "-m", "dnn_utils.workbook", subcommand]:
            return [sys.executable, *words[1:]]
    raise AssertionError(f"the guide has no bash block running '{subcommand}'")


def guide_python_example():
    """The guide's ``python`` block: the module of a new quiz question."""
    blocks = re.findall(r"```python\n(.*?)```", GUIDE, flags=re.S)
    assert len(blocks) == 1, "the guide should show one python example, the quiz question's"
    return blocks[0].replace('"..."', '"not this one: tanh is bounded."')


def run(copy, subcommand, *extra):
    env = dict(os.environ, PYTHONPATH=str(copy))
    return subprocess.run(guide_command(subcommand) + list(extra), cwd=copy, env=env,
                          capture_output=True, text=True, timeout=600)


def grade(copy, notebook, report):
    """The guide's grade command on ``notebook``, sandboxed where bubblewrap is installed."""
    command = guide_command("grade")
    extra = ["--json", str(report)]
    if shutil.which("bwrap") is None or os.environ.get("DNN_WORKBOOK_BWRAP") == "none":
        extra.append("--no-sandbox")
    env = dict(os.environ, PYTHONPATH=str(copy))
    done = subprocess.run([*command[:-1], str(notebook), *extra], cwd=copy, env=env,
                          capture_output=True, text=True, timeout=900)
    assert report.exists(), done.stdout + done.stderr
    scores = json.loads(report.read_text(encoding="utf-8"))
    return scores, {e["name"]: (e["points"], e["max_points"]) for e in scores["exercises"]}


def nb02_problems(output):
    return [line for line in output.splitlines() if f"{NB02}.ipynb:" in line]


@pytest.mark.slow
def test_adding_an_exercise_as_the_guide_says(tmp_path, repo_copy):
    copy = repo_copy
    assert run(copy, "number").returncode == 0
    path = copy / "notebooks" / "solutions" / f"{NB02}.ipynb"
    nb = nbformat.read(path, as_version=4)
    first = next(i for i, c in enumerate(nb.cells) if "### Exercise 3 - `linear_forward`"
                 in c.source)
    solution = new_code_cell("def tanh_forward(Z):\n    ### BEGIN SOLUTION\n"
                             "    A = np.tanh(Z)\n    ### END SOLUTION\n    return A")
    solution.metadata["nbgrader"] = {"solution": True, "grade": False, "locked": False,
                                     "grade_id": "tanh_forward_solution", "schema_version": 3}
    test = new_code_cell("graded.tanh_forward_test(tanh_forward)")
    test.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True,
                                 "grade_id": "tanh_forward", "points": 1, "schema_version": 3}
    nb.cells[first:first] = [new_markdown_cell("### Exercise 99 - `tanh_forward`"),
                             solution, test]
    nbformat.write(nb, path)

    missing = nb02_problems(run(copy, "check").stdout)
    heading = f"cell {first + 1}: 'Exercise 99' should be 'Exercise 3'"
    assert any(heading in p for p in missing), missing
    assert any(f"cell {first + 3}: dnn_utils.graded has no tanh_forward_test" in p
               for p in missing), missing

    (copy / "dnn_utils" / "graded" / "tanh.py").write_text(TANH_TESTS, encoding="utf-8")
    assert run(copy, "number").returncode == 0
    checked = run(copy, "check")
    assert nb02_problems(checked.stdout) == [], checked.stdout
    renumbered = nbformat.read(path, as_version=4)
    assert "### Exercise 4 - `linear_forward`" in renumbered.cells[first + 3].source

    released = run(copy, "release")
    assert released.returncode == 0, released.stderr
    learner = nbformat.read(copy / "notebooks" / f"{NB02}.ipynb", as_version=4)
    code = [c.source for c in learner.cells if c.cell_type == "code"]
    assert "graded.tanh_forward_test(tanh_forward)" in code
    assert not any("np.tanh(Z)" in c for c in code)

    # Change points: the graded cell's nbgrader points, nothing else.
    nb = nbformat.read(path, as_version=4)
    graded_cell = next(c for c in nb.cells
                       if c.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                       == "tanh_forward")
    graded_cell.metadata["nbgrader"]["points"] = 2
    nbformat.write(nb, path)

    # Add a quiz question: the guide's module, three cells in notebook 06.
    (copy / "dnn_utils" / "graded" / "tanh_questions.py").write_text(
        guide_python_example(), encoding="utf-8")
    quiz_path = copy / "notebooks" / "solutions" / f"{NB06}.ipynb"
    quiz = nbformat.read(quiz_path, as_version=4)
    answer = new_code_cell('# tanh_range = ...\n### BEGIN SOLUTION\ntanh_range = "b"\n'
                           "### END SOLUTION")
    answer.metadata["nbgrader"] = {"solution": True, "grade": False, "locked": False,
                                   "grade_id": "tanh_range_solution", "schema_version": 3}
    question_test = new_code_cell("graded.tanh_range_test(tanh_range)")
    question_test.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True,
                                          "grade_id": "tanh_range", "points": 1,
                                          "schema_version": 3}
    quiz.cells += [new_markdown_cell("**Question 1.** Between which values does tanh(z) lie? "
                                     "(a) 0 and 1 (b) -1 and 1 (c) 0 and infinity "
                                     "(d) -infinity and infinity"), answer, question_test]
    nbformat.write(quiz, quiz_path)
    assert run(copy, "number").returncode == 0
    checked = run(copy, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    labels = [c.source for c in nbformat.read(quiz_path, as_version=4).cells
              if c.cell_type == "markdown" and "tanh(z) lie" in c.source]
    questions = sum(1 for c in quiz.cells if c.get("metadata", {}).get("nbgrader", {})
                    .get("grade"))
    assert labels == [labels[0]] and labels[0].startswith(f"**Question {questions}.**"), labels

    released = run(copy, "release")
    assert released.returncode == 0, released.stderr

    # Grade: the released learner edition scores nothing, the solutions every point, with
    # the new exercise at its new points and the new question counted.
    solution_02 = nbformat.read(path, as_version=4)
    total_02 = sum(c.metadata["nbgrader"]["points"] for c in solution_02.cells
                   if c.get("metadata", {}).get("nbgrader", {}).get("grade"))
    scores, points = grade(copy, copy / "notebooks" / f"{NB02}.ipynb", tmp_path / "l02.json")
    assert (scores["score"], scores["max_score"]) == (0, total_02), scores
    assert points["tanh_forward"] == (0, 2)
    scores, points = grade(copy, path, tmp_path / "s02.json")
    assert (scores["score"], scores["max_score"]) == (total_02, total_02), scores
    assert points["tanh_forward"] == (2, 2)
    scores, points = grade(copy, quiz_path, tmp_path / "s06.json")
    assert scores["score"] == scores["max_score"] == questions, scores
    assert points["tanh_range"] == (1, 1)
