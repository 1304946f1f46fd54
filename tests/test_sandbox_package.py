"""The package copy a sandboxed submission sees: no graded tests, references or answers."""

import os
import subprocess
import sys

from dnn_utils.workbook.sandbox.package_copy import copy_package


def _run_inside(package_root, code):
    env = dict(os.environ, PYTHONPATH=str(package_root))
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=120, cwd=package_root)


def test_graded_keeps_only_see_result_and_stand_ins(tmp_path):
    root = copy_package(tmp_path / "copy", ["linear_forward"])
    graded_dir = root / "dnn_utils" / "graded"
    assert sorted(p.name for p in graded_dir.glob("*.py")) == [
        "__init__.py", "failure.py", "results.py", "unfinished.py"]
    out = _run_inside(root, (
        "import dnn_utils, dnn_utils.graded as g\n"
        f"assert dnn_utils.__file__.startswith({str(root)!r}), dnn_utils.__file__\n"
        "g.linear_forward_test(None)\n"
        "g.see_result(lambda x: 2 * x, 21, names='y')\n"
        "def stub():\n    raise NotImplementedError\n"
        "with g.uses_exercise('stub'):\n    stub()\n"))
    assert out.returncode == 0, out.stderr
    assert "graded by the grader, outside this sandbox" in out.stdout
    assert "42" in out.stdout
    assert "stub is not written yet: do its exercise first." in out.stdout


def test_answers_and_references_of_the_graded_tests_cannot_be_imported(tmp_path):
    root = copy_package(tmp_path / "copy", [])
    for module in ("concepts", "depth", "hyperparameters", "blocks", "models", "dimensions",
                   "feedback"):
        out = _run_inside(root, f"import dnn_utils.graded.{module}")
        assert out.returncode != 0 and "ModuleNotFoundError" in out.stderr, module
    assert not list(root.rglob("graded/__pycache__/concepts*"))


def test_the_exercise_reference_is_a_stub_and_others_stay_real(tmp_path):
    root = copy_package(tmp_path / "copy", ["linear_forward"])
    out = _run_inside(root, (
        "import numpy as np\n"
        "from dnn_utils import relu\n"
        "print(relu(np.array([[-1.0, 2.0]]))[0])\n"
        "from dnn_utils import linear_forward\n"
        "linear_forward(np.ones((2, 1)), np.ones((1, 2)), np.ones((1, 1)))\n"))
    assert "[[0. 2.]]" in out.stdout
    assert out.returncode != 0 and "package's reference" in out.stderr


def test_a_python_environment_under_tmp_is_not_hidden_by_the_fresh_tmp(tmp_path):
    # bwrap applies its mounts in order: the fresh /tmp must come before the binds of
    # the Python environment, or an environment under /tmp (a CI checkout) vanishes.
    from dnn_utils.workbook.sandbox.session import bwrap_command

    command = bwrap_command("bwrap", tmp_path / "pkg", tmp_path / "sub", tmp_path / "fonts")
    tmpfs = command.index("--tmpfs")
    assert command[tmpfs + 1] == "/tmp"
    for i, word in enumerate(command[:command.index("--")]):
        if word in ("--ro-bind", "--bind", "--ro-bind-try"):
            assert i > tmpfs, f"{word} {command[i + 1]} comes before the fresh /tmp"
