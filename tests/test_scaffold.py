"""``new-exercise`` and ``new-question`` scaffold on a copy of the repository: the solution
notebook and one new graded-test module are the only files each writes, and ``check`` keeps
failing, naming each placeholder, until the author has written them."""

import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from dnn_utils.workbook.authoring.prose_counts import count_problems

REPO = Path(__file__).resolve().parents[1]
NB02 = "02_building_your_deep_network"
NB06 = "06_key_concepts"
GUIDE = (REPO / "docs" / "AUTHORING.md").read_text(encoding="utf-8")


def guide_arguments(command, name):
    """The arguments of the authoring guide's ``command`` line, so the two cannot drift,
    for a NAME of this test's own (the guide's is taken once the guide has been followed,
    as tests/test_authoring_guide.py does before it runs this test in its copy)."""
    for block in re.findall(r"```bash\n(.*?)```", GUIDE, flags=re.S):
        for line in block.splitlines():
            words = shlex.split(line)
            if words[:4] == ["python", "-m", "dnn_utils.workbook", command]:
                return [name, *words[5:]]
    raise AssertionError(f"docs/AUTHORING.md has no bash block running {command}")


WRITTEN_TEST = '''"""Graded test of `my_leaky_relu` (notebook 02)."""

import numpy as np

from .feedback import call, expect_array, graded_test


@graded_test("my_leaky_relu")
def my_leaky_relu_test(target):
    """Graded test of ``my_leaky_relu(Z, slope=0.01)``."""
    Z = np.linspace(-2.0, 2.0, 6).reshape(2, 3)
    expect_array("my_leaky_relu", "A", call(target, "my_leaky_relu", Z, slope=0.1),
                 np.where(Z > 0, Z, 0.1 * Z))
'''


def workbook(copy, *args):
    env = dict(os.environ, PYTHONPATH=str(copy))
    return subprocess.run([sys.executable, "-m", "dnn_utils.workbook", *args], cwd=copy,
                          env=env, capture_output=True, text=True, timeout=300)


def run_test(copy, function):
    """Run the copy's my_leaky_relu_test on ``function`` (source) in a fresh process."""
    code = (f"import numpy as np\nfrom dnn_utils import graded\n{function}\n"
            "graded.my_leaky_relu_test(my_leaky_relu)")
    env = dict(os.environ, PYTHONPATH=str(copy))
    return subprocess.run([sys.executable, "-c", code], cwd=copy, env=env,
                          capture_output=True, text=True, timeout=120)


def digests(root):
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def changed(before, root):
    after = digests(root)
    return sorted(k for k in after if before.get(k) != after[k])


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """One copy shared by the tests that must leave it unchanged (each checks it does)."""
    copy = tmp_path_factory.mktemp("pristine") / "repo"
    shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(
        ".git", ".venv", "venv", "__pycache__", "*.egg-info", ".pytest_cache"))
    return copy


@pytest.fixture
def copy(repo_copy):
    return repo_copy


def grade_ids(nb):
    return [c.metadata["nbgrader"]["grade_id"] for c in nb.cells
            if c.get("metadata", {}).get("nbgrader", {}).get("grade")]


def test_new_exercise_writes_the_notebook_and_one_module_with_placeholders(copy):
    args = guide_arguments("new-exercise", "my_leaky_relu")
    assert args[1:3] == ["--notebook", "02"], args
    after_exercise = args[args.index("--after") + 1]
    points = int(args[args.index("--points") + 1])
    assert args[args.index("--signature") + 1] == "Z, slope=0.01"
    before = digests(copy)
    done = workbook(copy, "new-exercise", *args)
    assert done.returncode == 0, done.stdout + done.stderr
    assert changed(before, copy) == ["dnn_utils/graded/my_leaky_relu.py",
                                     f"notebooks/solutions/{NB02}.ipynb"]

    path = copy / "notebooks" / "solutions" / f"{NB02}.ipynb"
    nb = nbformat.read(path, as_version=4)
    graded_ids = grade_ids(nb)
    # Right after --after's exercise (and its see-your-result cells), numbered from the notebook.
    new = graded_ids.index("my_leaky_relu")
    assert graded_ids[new - 1] == after_exercise
    headings = [c.source for c in nb.cells if c.cell_type == "markdown"
                and f"### Exercise {new + 1} - `my_leaky_relu`" in c.source]
    assert len(headings) == 1
    assert any(f"### Exercise {new + 2} - `{graded_ids[new + 1]}`" in c.source
               for c in nb.cells if c.cell_type == "markdown")
    # The counts in the prose follow ("ten graded exercises" became "eleven ...").
    assert count_problems(nb) == []
    cell = next(c for c in nb.cells
                if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "my_leaky_relu")
    assert cell.metadata["nbgrader"]["points"] == points
    solution = next(c for c in nb.cells if c.get("metadata", {}).get("nbgrader", {})
                    .get("grade_id") == "my_leaky_relu_solution")
    assert solution.source.startswith("def my_leaky_relu(Z, slope=0.01):\n")
    # Notebook 02 shows every exercise's result: the scaffold writes the pair, with the
    # signature's required argument as the example.
    see = next(i for i, c in enumerate(nb.cells) if "graded.see_result(my_leaky_relu" in c.source)
    assert "graded.see_result(my_leaky_relu, Z_example, names=" in nb.cells[see].source
    assert nb.cells[see - 1].source.startswith("**See your result.**")

    # Unfinished: check names every placeholder, and the scaffolded test passes nothing.
    checked = workbook(copy, "check")
    assert checked.returncode == 1
    assert "still holds the placeholder 'TODO(new-exercise)'" in checked.stdout
    assert "dnn_utils/graded/my_leaky_relu.py, line" in checked.stdout
    assert f"{NB02}.ipynb: cell" in checked.stdout
    right = "def my_leaky_relu(Z, slope=0.01):\n    return np.where(Z > 0, Z, slope * Z)"
    assert run_test(copy, right).returncode != 0

    # Written: the heading's text, the solution, the example, the test. Then check names
    # only what `execute` does (run the new cells, write the expected output), the test
    # tells a right answer from a wrong one, and the learner edition holds no solution.
    for c in nb.cells:
        if c.cell_type == "markdown" and "`my_leaky_relu`" in c.source:
            c.source = c.source.split("\n")[0] + "\n\n$A = Z$ for $Z > 0$, slope times $Z$ else."
        if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "my_leaky_relu_solution":
            c.source = ('def my_leaky_relu(Z, slope=0.01):\n    """Z: (n, m) -> A."""\n'
                        "    ### BEGIN SOLUTION\n    A = np.where(Z > 0, Z, slope * Z)\n"
                        "    ### END SOLUTION\n    return A")
    nb.cells[see - 1].source = "**See your result.** Two by three:\n\n```text\n```"
    nb.cells[see].source = ("Z_example = np.arange(6.0).reshape(2, 3) - 3\n"
                            'graded.see_result(my_leaky_relu, Z_example, names="A")')
    nbformat.write(nb, path)
    (copy / "dnn_utils" / "graded" / "my_leaky_relu.py").write_text(WRITTEN_TEST, "utf-8")
    checked = workbook(copy, "check")
    left = [line for line in checked.stdout.splitlines() if f"{NB02}.ipynb:" in line]
    assert left and all("execute" in line for line in left), checked.stdout
    assert run_test(copy, right).returncode == 0
    wrong = run_test(copy, "def my_leaky_relu(Z, slope=0.01):\n    return np.maximum(Z, 0)")
    assert wrong.returncode != 0 and "my_leaky_relu" in wrong.stderr
    released = workbook(copy, "release", "notebooks", "--force")
    assert released.returncode == 0, released.stderr
    learner = nbformat.read(copy / "notebooks" / f"{NB02}.ipynb", as_version=4)
    code = "\n".join(c.source for c in learner.cells if c.cell_type == "code")
    assert "graded.my_leaky_relu_test(my_leaky_relu)" in code
    assert "np.where(Z > 0, Z, slope * Z)" not in code


def test_new_question_writes_three_cells_and_a_test_stub(copy):
    args = guide_arguments("new-question", "my_tanh_range")
    assert args[1:3] == ["--notebook", "06"], args
    before = digests(copy)
    done = workbook(copy, "new-question", *args)
    assert done.returncode == 0, done.stdout + done.stderr
    assert changed(before, copy) == ["dnn_utils/graded/my_tanh_range.py",
                                     f"notebooks/solutions/{NB06}.ipynb"]
    nb = nbformat.read(copy / "notebooks" / "solutions" / f"{NB06}.ipynb", as_version=4)
    ids = grade_ids(nb)
    assert ids[-1] == "my_tanh_range"
    answer = next(i for i, c in enumerate(nb.cells) if c.get("metadata", {}).get(
        "nbgrader", {}).get("grade_id") == "my_tanh_range_solution")
    label, cell, graded = nb.cells[answer - 1:answer + 2]
    assert label.source.startswith(f"**Question {len(ids)}.** TODO(new-exercise)")
    assert re.findall(r"^\* \(([a-d])\) ", label.source, flags=re.M) == list("abcd")
    assert cell.source == '# my_tanh_range = ...\n### BEGIN SOLUTION\nmy_tanh_range = "b"\n### END SOLUTION'
    assert graded.source == "graded.my_tanh_range_test(my_tanh_range)"
    assert f"answer {len(ids)} short questions" in nb.cells[0].source
    checked = workbook(copy, "check")
    assert checked.returncode == 1
    assert f"{NB06}.ipynb: cell {answer}, line 1: still holds the placeholder" in checked.stdout
    assert "dnn_utils/graded/my_tanh_range.py, line" in checked.stdout
    # The stub is a working test already: the answer passes, another letter fails.
    env = dict(os.environ, PYTHONPATH=str(copy))
    code = "from dnn_utils import graded\ngraded.my_tanh_range_test({})"
    passed = subprocess.run([sys.executable, "-c", code.format('"b"')], cwd=copy, env=env,
                            capture_output=True, text=True, timeout=120)
    assert passed.stdout.strip() == "my_tanh_range_test: all tests passed.", passed.stderr
    failed = subprocess.run([sys.executable, "-c", code.format('"c"')], cwd=copy, env=env,
                            capture_output=True, text=True, timeout=120)
    assert failed.returncode != 0 and "'c' is not the best answer" in failed.stderr


@pytest.mark.parametrize("args, message", [
    (["new-exercise", "linear_forward", "--notebook", "02"], r"already has an exercise of that name"),
    (["new-exercise", "feedback", "--notebook", "02"], r"already has feedback.py"),
    (["new-exercise", "tanh forward", "--notebook", "02"], r"NAME 'tanh forward': expected a Python function"),
    (["new-exercise", "tanh_forward", "--notebook", "09"], r"--notebook '09': expected the number or the name"),
    (["new-exercise", "tanh_forward", "--notebook", "02", "--after", "nope"],
     r"--after 'nope': 02_building_your_deep_network.ipynb has no exercise"),
    (["new-exercise", "tanh_forward", "--notebook", "02", "--points", "0"], r"--points 0: expected a positive"),
    (["new-exercise", "tanh_forward", "--notebook", "02", "--signature", "Z, slope="],
     r"--signature 'Z, slope=': expected the parameters of a Python def line, e.g. 'Z, slope=0.01'"),
    (["new-exercise", "tanh_forward", "--notebook", "02", "--signature", "*Z"],
     r"--signature '\*Z': expected named parameters on one line"),
    (["new-question", "tanh_range", "--notebook", "06", "--kind", "choice", "--answer", "e"],
     r"--answer 'e': expected one letter among a, b, c, d"),
    (["new-question", "tanh_range", "--notebook", "06", "--kind", "number", "--answer", "x"],
     r"--answer 'x': expected a whole number, e.g. --answer 7"),
    (["new-question", "tanh_range", "--notebook", "06", "--kind", "shape", "--answer", "5,-3"],
     r"--answer '5,-3': expected a shape tuple, e.g. --answer 5,3"),
    (["new-question", "cache_content", "--notebook", "06", "--kind", "choice", "--answer", "a"],
     r"already has an exercise of that name"),
])
def test_the_scaffolds_refuse_bad_input_and_write_nothing(pristine, args, message):
    copy = pristine
    before = digests(copy)
    done = workbook(copy, *args)
    assert done.returncode == 1, done.stdout + done.stderr
    assert re.search(message, done.stderr), done.stderr
    assert digests(copy) == before


def test_a_notebook_that_cannot_be_written_leaves_no_orphan_module(tmp_path, monkeypatch):
    from dnn_utils.workbook.authoring import scaffold
    from dnn_utils.workbook.authoring.conventions import WorkbookError

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
