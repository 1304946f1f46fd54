"""A hostile learner against the grader: every attack of issue 12 on an empty notebook 02.

Each test grades the learner edition of notebook 02 (no exercise done: the honest score is
0/10) with attack cells added, against the repository's solution notebooks, in the
bubblewrap sandbox (:mod:`attack_kit`). It checks the score, that no process of the grading survives it, and
that the whole grading stays within its overall limit. The honest solution notebook with
a trailing ``exit()`` keeps its 10/10.

To stay fast, the notebooks keep only the import cell and the exercise and graded cells.
Each grading starts a sandboxed kernel (several seconds on a loaded machine).
"""

import json
import os
import subprocess
import sys
import time

import nbformat
import pytest
from attack_kit import (
    OVERALL,
    REPO,
    SOLUTIONS,
    STEM,
    empty_notebook,
    grading,
    points,
    solved_notebook,
)

from dnn_utils.workbook.authoring.conventions import is_graded_cell
from dnn_utils.workbook.grading.grader import DEFAULT_OVERALL_TIMEOUT, DEFAULT_TIMEOUT, grade

# The points of each exercise and the total, from the solution notebook.
POINTS = points()
MAX_SCORE = sum(POINTS.values())

pytestmark = [
    pytest.mark.slow,
    pytest.mark.needs_bwrap,
]


@pytest.fixture
def graded(tmp_path, monkeypatch):
    return grading(tmp_path, monkeypatch)


def assert_zero(report):
    assert (report["score"], report["max_score"]) == (0, MAX_SCORE), report
    assert all(not e["passed"] for e in report["exercises"])


# ----------------------------------------------------------- the learner's own work


def test_importing_the_package_references_gets_zero_with_a_plain_note(graded):
    names = ("initialize_parameters, initialize_parameters_deep, linear_forward, "
             "linear_activation_forward, L_model_forward, compute_cost, linear_backward, "
             "linear_activation_backward, L_model_backward, update_parameters")
    report = graded(empty_notebook([f"from dnn_utils import {names}"]))
    assert_zero(report)
    for exercise in report["exercises"]:
        assert "is the package's reference of this exercise; write your own" in \
            exercise["feedback"], exercise


def test_a_function_that_calls_the_reference_gets_zero(graded):
    cheat = ("import dnn_utils.forward\n"
             "def linear_forward(A, W, b):\n"
             "    return dnn_utils.forward.linear_forward(A, W, b)")
    report = graded(empty_notebook([cheat]))
    assert_zero(report)
    exercise = {e["name"]: e for e in report["exercises"]}["linear_forward"]
    assert "package's reference" in exercise["feedback"]
    assert exercise["mistake"] == "linear_forward/uses-package-reference", exercise


def test_the_solution_notebooks_are_not_visible(graded):
    cheat = ("import dnn_utils, pathlib, json\n"
             "root = pathlib.Path(dnn_utils.__file__).parents[1]\n"
             f"nb = json.load(open(root / 'notebooks/solutions/{STEM}.ipynb'))\n"
             "for cell in nb['cells']:\n"
             "    if cell['metadata'].get('nbgrader', {}).get('solution'):\n"
             "        exec(''.join(cell['source']))")
    searcher = ("import glob\n"
                "hits = glob.glob('/**/solutions/*.ipynb', recursive=True)\n"
                "assert not hits, hits")
    report = graded(empty_notebook([cheat, searcher]))
    assert_zero(report)


# ------------------------------------------------------------ tampering with the verdict


def test_patching_json_builtins_and_importlib_changes_nothing(graded):
    cheat = ("import json, builtins, importlib\n"
             "real = json.dumps\n"
             "json.dumps = lambda obj, *a, **k: real({**obj, 'passed': True} "
             "if isinstance(obj, dict) else obj, *a, **k)\n"
             "real_getattr = builtins.getattr\n"
             "builtins.getattr = lambda o, n, *d: (lambda f: print('all tests passed')) "
             "if str(n).endswith('_test') else real_getattr(o, n, *d)\n"
             "importlib.import_module = lambda *a, **k: None")
    assert_zero(graded(empty_notebook([cheat])))


def test_an_input_transformer_and_a_stdout_wrapper_change_nothing(graded):
    cheat = ("import sys, io\n"
             "ip = get_ipython()\n"
             "ip.input_transformers_post.append(lambda lines: "
             "[l.replace('test(', 'print(') for l in lines])\n"
             "class Fake(io.TextIOBase):\n"
             "    def write(self, s):\n"
             "        return sys.__stdout__.write(s.replace('false', 'true'))\n"
             "sys.stdout = Fake()")
    assert_zero(graded(empty_notebook([cheat])))


def test_a_fake_graded_package_on_the_path_changes_nothing(graded):
    cheat = ("import os, sys, types\n"
             "os.makedirs('fake/dnn_utils/graded', exist_ok=True)\n"
             "open('fake/dnn_utils/__init__.py', 'w').write('')\n"
             "open('fake/dnn_utils/graded/__init__.py', 'w').write("
             "'def __getattr__(n):\\n    return lambda f: print(\"all tests passed\")\\n')\n"
             "sys.path.insert(0, 'fake')\n"
             "class Finder:\n"
             "    def find_spec(self, name, path=None, target=None):\n"
             "        return None\n"
             "sys.meta_path.insert(0, Finder())\n"
             "for m in [m for m in sys.modules if m.startswith('dnn_utils')]:\n"
             "    del sys.modules[m]")
    assert_zero(graded(empty_notebook([cheat])))


def test_the_installed_package_cannot_be_edited(graded):
    feedback = REPO / "dnn_utils" / "graded" / "feedback.py"
    before = feedback.read_bytes()
    cheat = ("import dnn_utils.graded.feedback as f, pathlib\n"
             "p = pathlib.Path(f.__file__)\n"
             "try:\n"
             "    p.write_text('def graded_test(*a, **k):\\n    return lambda c: c\\n')\n"
             "except OSError as e:\n"
             "    print('refused:', e)\n"
             f"open({str(feedback)!r}, 'a').write('# tampered\\n')")
    try:
        assert_zero(graded(empty_notebook([cheat])))
        assert feedback.read_bytes() == before
    finally:
        feedback.write_bytes(before)
    # The next notebook graded is unaffected: the honest solution keeps its marks.
    assert graded(solved_notebook(), name="honest.ipynb")["score"] == MAX_SCORE


def test_edited_metadata_and_graded_cells_change_nothing(graded, tmp_path):
    nb = empty_notebook()
    kept = [c for c in nb.cells if not is_graded_cell(c)]
    last = [c for c in nb.cells if is_graded_cell(c)][-1]
    last.metadata["nbgrader"]["points"] = 10
    nb.cells = kept + [last]
    report = graded(nb)
    assert_zero(report)
    assert len(report["exercises"]) == len(POINTS)
    for broken in ({"notebook": "nope"}, "x", {}):
        nb.metadata["dnn_workbook"] = broken
        path = tmp_path / "meta.ipynb"
        nbformat.write(nb, path)
        with pytest.raises(Exception, match="dnn_workbook") as info:
            grade(path, reference_dir=SOLUTIONS)
        assert str(path) in str(info.value)
    del nb.metadata["dnn_workbook"]
    nbformat.write(nb, path)
    with pytest.raises(Exception, match="not one of this workbook's notebooks"):
        grade(path, reference_dir=SOLUTIONS)


# ------------------------------------------------------------------ the report, processes


def test_a_detached_child_cannot_touch_the_report(tmp_path):
    path = tmp_path / "class" / "learner.ipynb"
    path.parent.mkdir()
    report_file = tmp_path / "report.json"
    marker = f"dnn-attack-{os.getpid()}"
    child = ("import subprocess, sys, os, signal\n"
             f"code = 'import time; time.sleep(3); open({str(report_file)!r}, \"w\")"
             f".write(\"tampered\")  # {marker}'\n"
             "subprocess.Popen([sys.executable, '-c', code], start_new_session=True)\n"
             "try:\n"
             f"    open({str(report_file)!r}, 'w').write('tampered')\n"
             "except OSError as e:\n"
             "    print(e)\n"
             "os.kill(os.getppid(), signal.SIGKILL)")
    nbformat.write(empty_notebook([child]), path)
    result = subprocess.run(
        [sys.executable, "-m", "dnn_utils.workbook", "grade", str(path), "--json",
         str(report_file), "--solutions", str(SOLUTIONS), "--timeout", "30",
         "--overall-timeout", str(OVERALL)],
        capture_output=True, text=True, timeout=OVERALL + 30, check=False)
    assert result.returncode == 0, result.stderr
    written = report_file.read_text()
    time.sleep(5)
    assert report_file.read_text() == written
    assert json.loads(written)["score"] == 0
    survivors = subprocess.run(["pgrep", "-f", marker], capture_output=True, text=True)
    assert survivors.stdout == ""


def test_stopping_the_driver_cannot_freeze_the_grader(graded):
    cheat = "import os, signal\nos.kill(os.getppid(), signal.SIGSTOP)"
    began = time.monotonic()
    report = graded(empty_notebook([cheat]), overall_timeout=40)
    assert time.monotonic() - began < 60
    assert_zero(report)
    assert any("time limit" in note or "did not finish" in note for note in report["notes"])


@pytest.mark.parametrize("whom", ["os.getppid()", "os.getpid()"], ids=["driver", "kernel"])
def test_a_stopped_driver_or_kernel_ends_the_grade_within_seconds_at_default_limits(graded,
                                                                                     whom):
    # With the default limits (1,500 s a cell) nothing would end this grade for half an
    # hour: the stopped state itself must be noticed. The solved exercises run first, so
    # the zero is the stop's doing.
    cheat = f"import os, signal\nos.kill({whom}, signal.SIGSTOP)"
    began = time.monotonic()
    report = graded(solved_notebook([cheat]), timeout=DEFAULT_TIMEOUT,
                    overall_timeout=DEFAULT_OVERALL_TIMEOUT)
    assert time.monotonic() - began < 60
    assert_zero(report)
    assert any("the sandbox was stopped" in note and "SIGSTOP" in note
               for note in report["notes"]), report["notes"]


def test_a_classmates_notebook_is_neither_visible_nor_writable(graded, tmp_path):
    classmate = tmp_path / "class" / "classmate.ipynb"
    classmate.parent.mkdir(exist_ok=True)
    nbformat.write(solved_notebook(), classmate)
    before = classmate.read_bytes()
    cheat = ("import os, glob\n"
             "print(os.listdir('.'))\n"
             "assert os.listdir('.') == ['notebook.ipynb'], os.listdir('.')\n"
             "for p in glob.glob('/**/classmate.ipynb', recursive=True):\n"
             "    open(p, 'w').write('{}')")
    report = graded(empty_notebook([cheat]))
    assert_zero(report)
    assert classmate.read_bytes() == before


def test_a_fork_bomb_is_contained(graded):
    cheat = ("import os\n"
             "children = 0\n"
             "try:\n"
             "    for _ in range(2000):\n"
             "        if os.fork() == 0:\n"
             "            import time; time.sleep(30); os._exit(0)\n"
             "        children += 1\n"
             "except OSError as e:\n"
             "    print('fork refused after', children, e)\n"
             "assert children < 2000")
    assert_zero(graded(empty_notebook([cheat])))


def test_memory_is_limited_and_a_crash_in_an_unrelated_cell_costs_nothing(graded):
    hog = ("def compute_cost(AL, Y):\n"
           "    block = bytearray(8 * 1024**3)  # over the sandbox's 6 GB address space\n"
           "    return 0.0")
    report = graded(solved_notebook([hog, "raise ValueError('an unrelated crash')"]))
    assert (report["score"], report["max_score"]) == (MAX_SCORE - POINTS["compute_cost"], MAX_SCORE), report
    feedback = {e["name"]: e["feedback"] for e in report["exercises"]}["compute_cost"]
    assert "compute_cost raised MemoryError" in feedback


# ------------------------------------------------------------- an honest notebook keeps marks


@pytest.mark.parametrize("ending", ["exit()", "quit()", "import sys\nsys.exit()"])
def test_an_honest_notebook_ending_in_exit_keeps_its_marks(graded, ending):
    report = graded(solved_notebook([ending]))
    assert (report["score"], report["max_score"]) == (MAX_SCORE, MAX_SCORE), report


def test_cells_that_each_kill_the_kernel_cost_one_restart_each(graded):
    killers = ["import time, os\ntime.sleep(2.5)\nos._exit(1)"] * 5
    began = time.monotonic()
    report = graded(solved_notebook(killers))
    elapsed = time.monotonic() - began
    assert (report["score"], report["max_score"]) == (MAX_SCORE, MAX_SCORE), report
    died = [n for n in report["notes"] if "the kernel died while running cell" in n]
    assert len(died) == 5
    # Five 2.5 s cells and five restarts, not a replay of everything for every cell.
    assert elapsed < 120
