"""``graded.uses_exercise``: an ungraded cell that runs an unfinished exercise says so in one
line and lets Run All go on; with the exercise done it changes nothing; nothing else is hidden."""

import re
import sys
from pathlib import Path

import pytest
from IPython.core.interactiveshell import InteractiveShell

from dnn_utils import graded
from dnn_utils.graded import unfinished
from dnn_utils.graded.failure import FEEDBACK_WIDTH
from dnn_utils.workbook.authoring.conventions import read_notebook

SOLUTIONS = Path(__file__).resolve().parents[1] / "notebooks" / "solutions"

STUB = 'def {name}(*args):\n    raise NotImplementedError("Replace this line with your code")\n'


@pytest.fixture(autouse=True)
def fresh_kernel():
    unfinished.UNFINISHED.clear()
    yield
    unfinished.UNFINISHED.clear()


@pytest.fixture(scope="module")
def ipython():
    """One real IPython shell for the module, and the interpreter as it was afterwards.

    A shell makes itself ``sys.modules["__main__"]`` (a module without ``__spec__``, which
    breaks ``multiprocessing`` in any later test of the same process) and installs its own
    display and exception hooks: all are put back.
    """
    saved = sys.modules["__main__"], sys.displayhook, sys.excepthook
    ip = InteractiveShell.instance()
    try:
        yield ip
    finally:
        InteractiveShell.clear_instance()
        sys.modules["__main__"], sys.displayhook, sys.excepthook = saved


@pytest.fixture()
def shell(ipython):
    """A real IPython shell: cells run as a notebook runs them (their own frames)."""
    ipython.run_cell("from dnn_utils import graded", store_history=False)
    yield ipython
    ipython.reset(new_session=False)


def run(shell, source, capsys):
    result = shell.run_cell(source, store_history=False)
    return result, capsys.readouterr()


def test_a_finished_exercise_changes_nothing(shell, capsys):
    result, out = run(shell, "def f(x):\n    return 2 * x\n"
                             "with graded.uses_exercise('f'):\n    y = f(21)\nprint(y)", capsys)
    assert result.success and out.out == "42\n" and out.err == ""


def test_an_unfinished_exercise_is_one_line_and_later_cells_cope(shell, capsys):
    run(shell, STUB.format(name="two_layer_model"), capsys)
    result, out = run(shell, "with graded.uses_exercise('two_layer_model'):\n"
                             "    parameters, costs = two_layer_model(1, 2)\n", capsys)
    assert result.success, result.error_in_exec
    assert out.out == "two_layer_model is not written yet: do its exercise first.\n"
    assert "Traceback" not in out.out + out.err
    # A later cell reads a result that was never made: one line too.
    result, out = run(shell, "with graded.uses_exercise('two_layer_model'):\n"
                             "    print(len(costs))\n", capsys)
    assert result.success, result.error_in_exec
    assert out.out == "costs is missing: two_layer_model is not written yet.\n"
    # Once the exercise is written, the same cells run as usual.
    run(shell, "def two_layer_model(*args):\n    return {}, [0.69]\n", capsys)
    result, out = run(shell, "with graded.uses_exercise('two_layer_model'):\n"
                             "    parameters, costs = two_layer_model(1, 2)\n"
                             "    print(len(costs))\n", capsys)
    assert result.success and out.out == "1\n"
    assert unfinished.UNFINISHED == {}


def test_the_line_names_the_function_that_raised(shell, capsys):
    # The learner's L_model_forward is written but calls their unfinished linear_forward:
    # that one is to write first.
    run(shell, STUB.format(name="linear_forward")
        + "def L_model_forward(X):\n    return linear_forward(X)\n", capsys)
    result, out = run(shell, "with graded.uses_exercise('L_model_forward', 'L_model_backward'):"
                             "\n    L_model_forward(1)\n", capsys)
    assert result.success
    assert out.out == "linear_forward is not written yet: do its exercise first.\n"
    assert unfinished.UNFINISHED == {"L_model_forward": "linear_forward",
                                     "L_model_backward": "linear_forward",
                                     "linear_forward": "linear_forward"}
    # A later cell missing the result names the function to write, not the one called.
    result, out = run(shell, "with graded.uses_exercise('L_model_forward', 'L_model_backward'):"
                             "\n    print(result)\n", capsys)
    assert result.success
    assert out.out == "result is missing: linear_forward is not written yet.\n"


def test_other_errors_are_not_hidden(shell, capsys):
    run(shell, STUB.format(name="f"), capsys)
    run(shell, "with graded.uses_exercise('f'):\n    f()\n", capsys)  # f is now known unfinished
    # A bug in a function the cell calls: a real error, shown as usual.
    run(shell, "def g():\n    return undefined_name\n", capsys)
    result, _ = run(shell, "with graded.uses_exercise('f'):\n    g()\n", capsys)
    assert isinstance(result.error_in_exec, NameError)
    result, _ = run(shell, "with graded.uses_exercise('f'):\n    1 / 0\n", capsys)
    assert isinstance(result.error_in_exec, ZeroDivisionError)


def test_a_missing_name_is_not_excused_when_every_exercise_is_finished(shell, capsys):
    # A misspelt name or a skipped cell, with nothing unfinished: the usual NameError.
    result, out = run(shell, "with graded.uses_exercise('f'):\n    print(never_defined)\n",
                      capsys)
    assert isinstance(result.error_in_exec, NameError) and "is missing" not in out.out


def guarded_cells():
    """The sources of the solution notebooks' cells that use ``graded.uses_exercise``."""
    return [cell.source for path in sorted(SOLUTIONS.glob("*.ipynb"))
            for cell in read_notebook(path).cells
            if cell.cell_type == "code" and "graded.uses_exercise(" in cell.source]


def test_the_workbooks_lines_fit_one_line():
    cells = guarded_cells()
    assert cells, "the workbook's notebooks use uses_exercise"
    exercises = {name for source in cells
                 for call in re.findall(r"uses_exercise\(([^)]*)\)", source)
                 for name in re.findall(r"[\"'](\w+)[\"']", call)}
    # Every name a guarded cell assigns may be missing in a later one.
    results = {name for source in cells
               for targets in re.findall(r"^\s*([\w, ]+?)\s*=[^=]", source, flags=re.M)
               for name in re.findall(r"\w+", targets)}
    # The function that raised may be any exercise the cell's exercises call.
    for exercise in exercises | {"layer_dims_from_parameters", "linear_activation_backward"}:
        line = f"{exercise} is not written yet: do its exercise first."
        assert len(line) <= FEEDBACK_WIDTH, line
    for exercise in exercises:
        for name in results:
            line = f"{name} is missing: {exercise} is not written yet."
            assert len(line) <= FEEDBACK_WIDTH, line


@pytest.mark.parametrize("names", [(), ("two layer",), (3,)])
def test_bad_names_are_refused(names):
    with pytest.raises(TypeError, match="expected the names of the exercises"):
        graded.uses_exercise(*names)


def test_it_is_exported_by_graded():
    assert "uses_exercise" in graded.__all__
