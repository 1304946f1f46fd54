"""``new-exercise`` scaffolds an exercise on a copy of the repository: the solution
notebook and one new graded-test module are the only files it writes, and ``check`` keeps
failing, naming each placeholder, until the author has written them."""

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
NB02 = "02_building_your_deep_network"
GUIDE = (REPO / "docs" / "AUTHORING.md").read_text(encoding="utf-8")


def guide_new_exercise():
    """The arguments of the authoring guide's new-exercise command, so the two cannot drift."""
    for block in re.findall(r"```bash\n(.*?)```", GUIDE, flags=re.S):
        for line in block.splitlines():
            words = line.split()
            if words[:4] == ["python", "-m", "dnn_utils.workbook", "new-exercise"]:
                return words[4:]
    raise AssertionError("docs/AUTHORING.md has no bash block running new-exercise")

WRITTEN_TEST = '''"""Graded test of `tanh_forward` (notebook 02)."""

import numpy as np

from .feedback import expect_array, graded_test


@graded_test("tanh_forward")
def tanh_forward_test(target):
    """Graded test of ``tanh_forward(Z)`` -> A, same shape as Z."""
    Z = np.linspace(-2.0, 2.0, 6).reshape(2, 3)
    expect_array("tanh_forward", "A", target(Z), np.tanh(Z))
'''


def workbook(copy, *args):
    env = dict(os.environ, PYTHONPATH=str(copy))
    return subprocess.run([sys.executable, "-m", "dnn_utils.workbook", *args], cwd=copy,
                          env=env, capture_output=True, text=True, timeout=300)


def run_test(copy, function):
    """Run the copy's tanh_forward_test on ``function`` (Python source) in a fresh process."""
    code = (f"import numpy as np\nfrom dnn_utils import graded\n{function}\n"
            "graded.tanh_forward_test(tanh_forward)")
    env = dict(os.environ, PYTHONPATH=str(copy))
    return subprocess.run([sys.executable, "-c", code], cwd=copy, env=env,
                          capture_output=True, text=True, timeout=120)


def digests(root):
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


@pytest.fixture
def copy(repo_copy):
    return repo_copy


def test_new_exercise_writes_the_notebook_and_one_module_with_placeholders(copy):
    args = guide_new_exercise()
    assert args[:3] == ["tanh_forward", "--notebook", "02"], args
    after_exercise = args[args.index("--after") + 1]
    points = int(args[args.index("--points") + 1])
    before = digests(copy)
    done = workbook(copy, "new-exercise", *args)
    assert done.returncode == 0, done.stdout + done.stderr
    after = digests(copy)
    changed = sorted(k for k in after if before.get(k) != after[k])
    assert changed == ["dnn_utils/graded/tanh_forward.py",
                       f"notebooks/solutions/{NB02}.ipynb"], changed

    nb = nbformat.read(copy / "notebooks" / "solutions" / f"{NB02}.ipynb", as_version=4)
    graded_ids = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells
                  if c.get("metadata", {}).get("nbgrader", {}).get("grade")]
    # Right after --after's exercise (and its see-your-result cells), numbered from the notebook.
    new = graded_ids.index("tanh_forward")
    assert graded_ids[new - 1] == after_exercise
    headings = [c.source for c in nb.cells if c.cell_type == "markdown"
                and f"### Exercise {new + 1} - `tanh_forward`" in c.source]
    assert len(headings) == 1
    assert any(f"### Exercise {new + 2} - `{graded_ids[new + 1]}`" in c.source
               for c in nb.cells if c.cell_type == "markdown")
    cell = next(c for c in nb.cells
                if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "tanh_forward")
    assert cell.metadata["nbgrader"]["points"] == points

    # Unfinished: check names every placeholder, and the scaffolded test passes nothing.
    checked = workbook(copy, "check")
    assert checked.returncode == 1
    assert "still holds the placeholder 'TODO(new-exercise)'" in checked.stdout
    assert "dnn_utils/graded/tanh_forward.py, line" in checked.stdout
    assert f"{NB02}.ipynb: cell" in checked.stdout
    right = "def tanh_forward(Z):\n    return np.tanh(Z)"
    assert run_test(copy, right).returncode != 0

    # Written: the heading's text, the solution, the test. Then check passes, the test
    # tells a right answer from a wrong one, and the learner edition holds no solution.
    path = copy / "notebooks" / "solutions" / f"{NB02}.ipynb"
    nb = nbformat.read(path, as_version=4)
    for c in nb.cells:
        if c.cell_type == "markdown" and "`tanh_forward`" in c.source:
            c.source = c.source.split("\n")[0] + "\n\n$A = \\tanh(Z)$, elementwise."
        if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "tanh_forward_solution":
            c.source = ('def tanh_forward(Z):\n    """Z: (n, m) -> A: (n, m)."""\n'
                        "    ### BEGIN SOLUTION\n    A = np.tanh(Z)\n    ### END SOLUTION\n"
                        "    return A")
    nbformat.write(nb, path)
    (copy / "dnn_utils" / "graded" / "tanh_forward.py").write_text(WRITTEN_TEST, "utf-8")
    checked = workbook(copy, "check")
    assert checked.returncode == 0, checked.stdout
    assert run_test(copy, right).returncode == 0
    wrong = run_test(copy, "def tanh_forward(Z):\n    return np.tanh(Z) / 2")
    assert wrong.returncode != 0 and "tanh_forward" in wrong.stderr
    released = workbook(copy, "release", "notebooks", "--force")
    assert released.returncode == 0, released.stderr
    learner = nbformat.read(copy / "notebooks" / f"{NB02}.ipynb", as_version=4)
    code = "\n".join(c.source for c in learner.cells if c.cell_type == "code")
    assert "graded.tanh_forward_test(tanh_forward)" in code and "np.tanh(Z)" not in code


@pytest.mark.parametrize("args, message", [
    (["linear_forward", "--notebook", "02"], r"already has an exercise of that name"),
    (["feedback", "--notebook", "02"], r"already has feedback.py"),
    (["tanh forward", "--notebook", "02"], r"NAME 'tanh forward': expected a Python function"),
    (["tanh_forward", "--notebook", "09"], r"--notebook '09': expected the number or the name"),
    (["tanh_forward", "--notebook", "02", "--after", "nope"],
     r"--after 'nope': 02_building_your_deep_network.ipynb has no exercise"),
    (["tanh_forward", "--notebook", "02", "--points", "0"], r"--points 0: expected a positive"),
])
def test_new_exercise_refuses_bad_input_and_writes_nothing(copy, args, message):
    before = digests(copy)
    done = workbook(copy, "new-exercise", *args)
    assert done.returncode == 1, done.stdout + done.stderr
    assert re.search(message, done.stderr), done.stderr
    assert digests(copy) == before


def test_a_notebook_that_cannot_be_written_leaves_no_orphan_module(tmp_path, monkeypatch):
    from dnn_utils.workbook import scaffold
    from dnn_utils.workbook.conventions import WorkbookError

    source, graded_dir = tmp_path / "solutions", tmp_path / "graded"
    shutil.copytree(REPO / "notebooks" / "solutions", source)
    graded_dir.mkdir()
    before = digests(tmp_path)
    real_write = scaffold.write_bytes_atomically

    def refuse_notebooks(path, data):
        if Path(path).suffix == ".ipynb":
            raise PermissionError(13, "Permission denied", str(path))
        real_write(path, data)

    monkeypatch.setattr(scaffold, "write_bytes_atomically", refuse_notebooks)
    with pytest.raises(WorkbookError, match=r"could not write .*02_building_your_deep_network"
                       r"\.ipynb: Permission denied; nothing of tanh_forward was added"):
        scaffold.new_exercise("tanh_forward", "02", source=source, graded_dir=graded_dir)
    assert digests(tmp_path) == before
