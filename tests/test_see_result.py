"""graded.see_result: the "see your result" cells print the result, or one friendly line."""

import linecache

import numpy as np
import pytest

from dnn_utils import graded, linear_forward
from dnn_utils.graded.failure import FEEDBACK_WIDTH
from dnn_utils.graded.results import see_result


def stub(*args):
    raise NotImplementedError("Replace this line with your code")


def no_return(*args):
    _ = args


def test_prints_each_named_value_and_skips_underscore(capsys):
    A, W, b = np.ones((3, 2)), np.full((1, 3), 0.5), np.array([[0.25]])
    assert see_result(linear_forward, A, W, b, names="Z, _") is None
    assert capsys.readouterr().out == "Z = [[1.75 1.75]]\n"


def test_prints_dicts_entry_by_entry_and_floats_with_8_decimals(capsys):
    see_result(lambda: {"b1": np.zeros((2, 1)), "W1": np.eye(2)}, names="parameters")
    see_result(lambda: 0.2797765635793422, names="cost")
    out = capsys.readouterr().out.splitlines()
    assert out == ["parameters['W1'] =", "[[1. 0.]", " [0. 1.]]", "parameters['b1'] =",
                   "[[0.]", " [0.]]", "cost = 0.27977656"]


def test_a_list_of_caches_is_summarized(capsys):
    see_result(lambda: (np.array([[0.5]]), [((1, 2, 3), 4)] * 3), names="AL, caches")
    assert capsys.readouterr().out == "AL = [[0.5]]\ncaches: a list of 3 items\n"


@pytest.mark.parametrize("function, line", [
    (stub, "stub is not written yet: do its exercise first."),
    (no_return, "no_return returned None: did you forget `return`?"),
    (lambda *a: np.zeros((1, 2)), "<lambda> returned 1 value, expected 2 (Z, cache): "
                                  "check what it returns."),
])
def test_an_unfinished_exercise_prints_exactly_one_line(capsys, function, line):
    see_result(function, np.zeros((3, 2)), names="Z, cache")
    captured = capsys.readouterr()
    assert captured.out == line + "\n" and captured.err == ""


def test_the_one_line_fits_the_feedback_width_for_the_longest_exercise_name(capsys):
    def linear_activation_backward(*args):
        raise NotImplementedError("Replace this line with your code")

    see_result(linear_activation_backward, names="dA_prev, dW, db")
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and len(out) <= FEEDBACK_WIDTH + 1


def test_a_real_bug_is_explained_like_the_graded_cell_without_a_traceback(capsys):
    # The learner's code lives in a file of its own, as a notebook cell does, so its
    # line can be quoted.
    namespace = {}
    source = "def buggy(A):\n    Z = A @ np.ones((5, 5))\n    return Z\n"
    exec(compile(source, __file__.replace("test_see_result", "learner_cell"), "exec"),
         {"np": np}, namespace)
    buggy = namespace["buggy"]
    linecache.cache[buggy.__code__.co_filename] = (len(source), None,
                                                   source.splitlines(True), "x")
    try:
        assert see_result(buggy, np.ones((3, 2)), names="Z") is None
        with pytest.raises(graded.GradedTestFailure) as graded_failure:
            graded.feedback.call(buggy, "buggy", np.ones((3, 2)))
    finally:
        linecache.cache.pop(buggy.__code__.co_filename, None)
    out = capsys.readouterr().out
    assert "Traceback" not in out and "results.py" not in out
    lines = out.splitlines()
    # The same feedback as the graded cell: the error, the learner's line, the hint.
    assert lines[0].startswith("buggy raised ValueError: matmul")
    assert "    at line 2 of buggy: Z = A @ np.ones((5, 5))" in lines
    hint = [i for i, line in enumerate(lines) if line.startswith("Hint: ")]
    assert hint and "missing transpose" in " ".join(" ".join(lines[hint[0]:]).split())
    assert all(len(line) <= FEEDBACK_WIDTH for line in lines if not line.startswith("    at line"))
    assert out == "\n".join(graded_failure.value._render_traceback_()) + "\n"


@pytest.mark.parametrize("kwargs, fragment", [
    ({"names": ""}, "names is ''"),
    ({"names": 3}, "names is 3"),
])
def test_bad_names_are_refused(kwargs, fragment):
    with pytest.raises(TypeError, match=fragment):
        see_result(linear_forward, **kwargs)


def test_a_called_function_is_refused():
    with pytest.raises(TypeError, match="expected the function itself"):
        see_result(np.zeros((1, 1)), names="Z")


def test_it_is_exported_by_graded():
    assert graded.see_result is see_result


def test_dict_entries_come_in_layer_order_whatever_the_insertion_order(capsys):
    grads = {f"{p}{l}": np.zeros((1, 1)) for l in (10, 2, 1) for p in ("dW", "dA")}
    see_result(lambda: grads, names="grads")
    keys = [line.split("'")[1] for line in capsys.readouterr().out.splitlines()]
    assert keys == ["dA1", "dA2", "dA10", "dW1", "dW2", "dW10"]
