"""The slips' diagnoses hold when the learner's functions run in the grader's kernel.

There the graded test sees a proxy of each function (its signature, not its source), and
the evidence a test gathers (a second call, a narrow network) is a call into the kernel
too. One tiny workbook, graded once without the sandbox (tests/test_grader_attacks.py
covers the sandbox itself); starting its kernel takes a few seconds.
"""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from dnn_utils.workbook import grade

# The package's blocks these use are not exercises of this workbook, so the kernel's copy
# of dnn_utils keeps them.
RIGHT = {
    "compute_cost": """\
def compute_cost(AL, Y):
    return dnn_utils.compute_cost(AL, Y)""",
    "L_model_backward": """\
def L_model_backward(AL, Y, caches):
    return dnn_utils.L_model_backward(AL, Y, caches)""",
    "update_parameters": """\
def update_parameters(parameters, grads, learning_rate):
    return dnn_utils.update_parameters(parameters, grads, learning_rate)""",
}

SLIPPED = {
    "compute_cost": """\
def compute_cost(Y, AL):
    return float(-np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))""",
    "L_model_backward": """\
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = \\
        linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    for l in reversed(range(L - 1)):
        dA_prev, dW, db = linear_activation_backward(grads["dA" + str(l + 1)], caches[l + 1], "relu")
        grads["dA" + str(l)] = dA_prev
        grads["dW" + str(l + 1)] = dW
        grads["db" + str(l + 1)] = db
    return grads""",
    "update_parameters": """\
def update_parameters(parameters, grads, learning_rate):
    new = {}
    for l in range(1, len(parameters) // 2 + 1):
        new["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)].T
        new["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return new""",
}


def _notebook(sources):
    cells = [new_code_cell("import numpy as np\nimport dnn_utils\n"
                           "from dnn_utils import graded, linear_activation_backward")]
    for name, source in sources.items():
        exercise = new_code_cell(source)
        exercise.metadata["nbgrader"] = {"solution": True, "grade": False, "locked": False,
                                         "grade_id": f"{name}_solution", "schema_version": 3}
        test = new_code_cell(f"graded.{name}_test({name})")
        test.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True,
                                     "grade_id": name, "points": 1, "schema_version": 3}
        cells += [exercise, test]
    nb = new_notebook(cells=cells)
    nb.metadata["dnn_workbook"] = {"notebook": "02_tiny_backward"}
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    return nb


@pytest.fixture(scope="module")
def graded_slips(tmp_path_factory):
    folder = tmp_path_factory.mktemp("class")
    (folder / "solutions").mkdir()
    nbformat.write(_notebook(RIGHT), folder / "solutions" / "02_tiny_backward.ipynb")
    nbformat.write(_notebook(SLIPPED), folder / "learner.ipynb")
    report = grade(folder / "learner.ipynb", reference_dir=folder / "solutions",
                   sandbox=False, timeout=60)
    return {e["name"]: e for e in report["exercises"]}


def test_the_argument_order_is_read_from_the_proxys_signature(graded_slips):
    exercise = graded_slips["compute_cost"]
    assert exercise["mistake"] == "compute_cost/arguments-order"
    assert exercise["feedback"].startswith("compute_cost: its def line takes (Y, AL)")


def test_the_cache_offset_is_found_by_a_second_call_and_fixed_for_the_learners_loop(
        graded_slips):
    # No source in the grader: the fix comes from the learner's line the kernel quoted.
    exercise = graded_slips["L_model_backward"]
    assert exercise["mistake"] == "L_model_backward/cache-of-next-layer"
    assert ("Hint: in your loop, caches[l + 1] is the cache of the next layer: use "
            "caches[l].") in exercise["feedback"]


def test_an_error_is_a_raised_error_with_its_type(graded_slips):
    exercise = graded_slips["update_parameters"]
    assert exercise["mistake"] == "update_parameters/raised-error"
    assert exercise["exception"] == "ValueError", exercise  # in the report, through the proxy
    assert exercise["feedback"].startswith("update_parameters raised ValueError: ")
