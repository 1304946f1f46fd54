"""Follow docs/AUTHORING.md on a copy of the repository: add `tanh_forward` to notebook 02.

The commands run are the ones the guide's ``bash`` blocks write, so the guide cannot drift
from the tool. Grading the edited notebook is not done here (it runs all of notebook 02).
"""

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


def run(copy, subcommand):
    env = dict(os.environ, PYTHONPATH=str(copy))
    return subprocess.run(guide_command(subcommand), cwd=copy, env=env, capture_output=True,
                          text=True, timeout=300)


def nb02_problems(output):
    return [line for line in output.splitlines() if f"{NB02}.ipynb:" in line]


@pytest.mark.slow
def test_adding_an_exercise_as_the_guide_says(tmp_path):
    copy = tmp_path / "repo"
    shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(".git", ".venv", "__pycache__"))
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
