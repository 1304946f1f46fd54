"""Every usual slip of notebooks 02 and 03 is named where the learner made it, with an id.

Each function below is written as a learner would write it, with one slip; the graded test
must fail with the slip's own message and mistake id (so the class report counts it). The
last tests check that right functions written in other loop styles still pass.
"""

import importlib.util
import re

import numpy as np
import pytest
from graded_failures import failure_of

from dnn_utils import (
    L_model_backward,
    L_model_forward,
    compute_cost,
    graded,
    initialize_parameters,
    linear_activation_backward,
    linear_activation_forward,
    linear_backward,
    relu_backward,
    sigmoid_backward,
    update_parameters,
)


def first_line(failure):
    return str(failure).splitlines()[0]


# ------------------------------------------------------------ activation derivatives

def backward_with_dZ(relu_dZ=None, sigmoid_dZ=None):
    """linear_activation_backward that computes dZ itself, one of them with a slip."""
    def linear_activation_backward(dA, cache, activation):
        linear_cache, activation_cache = cache
        Z = activation_cache
        if activation == "relu":
            dZ = relu_dZ(dA, Z) if relu_dZ else relu_backward(dA, activation_cache)
        else:
            dZ = sigmoid_dZ(dA, Z) if sigmoid_dZ else sigmoid_backward(dA, activation_cache)
        dA_prev, dW, db = linear_backward(dZ, linear_cache)
        return dA_prev, dW, db
    return linear_activation_backward


def relu_mask_inverted(dA, Z):
    dZ = np.array(dA, copy=True)
    dZ[Z > 0] = 0
    return dZ


def sigmoid_of(Z):
    return 1 / (1 + np.exp(-Z))


DERIVATIVE_SLIPS = {
    "relu-mask-inverted": (backward_with_dZ(relu_dZ=relu_mask_inverted), "relu",
                           "your mask is inverted"),
    "activation-not-derivative": (backward_with_dZ(relu_dZ=lambda dA, Z: dA * np.maximum(0, Z)),
                                  "relu", r"multiplied dA by the activation relu\(Z\)"),
    "sigmoid-derivative-of-Z": (backward_with_dZ(sigmoid_dZ=lambda dA, Z: dA * Z * (1 - Z)),
                                "sigmoid", "you took the sigmoid's derivative on Z"),
    "sigmoid-times-activation": (backward_with_dZ(sigmoid_dZ=lambda dA, Z: dA * sigmoid_of(Z)),
                                 "sigmoid", r"multiplied dA by the activation s = sigmoid\(Z\)"),
}


@pytest.mark.parametrize("slip", sorted(DERIVATIVE_SLIPS))
def test_an_activation_derivative_slip_is_named_as_dZ(slip):
    target, activation, hint = DERIVATIVE_SLIPS[slip]
    failure = failure_of("linear_activation_backward", target)
    assert first_line(failure) == (
        f"linear_activation_backward (activation='{activation}'): dZ has the wrong values: "
        "your dA_prev, dW and db are right for the dZ you computed, so the slip is in "
        "dZ = dA * g'(Z), the activation's derivative.")
    assert "dA_prev has the wrong values" not in str(failure)
    assert re.search(hint, str(failure).split("Hint: ")[1])
    expected = "activation-not-derivative" if slip == "sigmoid-times-activation" else slip
    assert failure.mistake == expected


def test_a_wrong_dZ_no_slip_explains_is_still_named_as_dZ():
    target = backward_with_dZ(relu_dZ=lambda dA, Z: 0.5 * relu_backward(dA, Z))
    failure = failure_of("linear_activation_backward", target)
    assert "dZ has the wrong values" in first_line(failure)
    assert "relu_backward(dA, activation_cache)" in str(failure)
    assert failure.mistake is None


# ------------------------------------------------------------------- AL - Y as dA[L]

def backward_from_AL_minus_Y(AL, Y, caches):
    grads = {}
    L = len(caches)
    dAL = AL - Y  # notebook 02's shortcut, but that is dZ[L]
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = \
        linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    for l in reversed(range(1, L)):
        grads["dA" + str(l - 1)], grads["dW" + str(l)], grads["db" + str(l)] = \
            linear_activation_backward(grads["dA" + str(l)], caches[l - 1], "relu")
    return grads


def test_AL_minus_Y_passed_as_dAL_is_named():
    failure = failure_of("L_model_backward", backward_from_AL_minus_Y)
    assert first_line(failure).startswith(
        "L_model_backward: dAL, the gradient the output layer's backward step starts "
        "from, is AL - Y: that is dZ[L], not dA[L]")
    assert "goes through that derivative a second time" in str(failure)
    assert failure.mistake == "AL-minus-Y-as-dAL"


def two_layer_from_A2_minus_Y(X, Y, layer_dims, learning_rate=0.0075, num_iterations=3000,
                              print_cost=False):
    parameters = initialize_parameters(*layer_dims)
    costs = []
    for i in range(num_iterations):
        A1, cache1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")
        A2, cache2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"],
                                               "sigmoid")
        cost = compute_cost(A2, Y)
        dA2 = A2 - Y
        dA1, dW2, db2 = linear_activation_backward(dA2, cache2, "sigmoid")
        _, dW1, db1 = linear_activation_backward(dA1, cache1, "relu")
        parameters = update_parameters(
            parameters, {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}, learning_rate)
        if i % 100 == 0:
            costs.append(cost)
    return parameters, costs


def test_A2_minus_Y_in_the_two_layer_loop_is_named():
    failure = failure_of("two_layer_model", two_layer_from_A2_minus_Y)
    assert first_line(failure) == "two_layer_model: costs has the wrong values."
    assert "starts the backward pass from dA2 = A2 - Y: that is dZ2" in str(failure)
    assert failure.mistake == "A2-minus-Y-as-dA2"


# ---------------------------------------------------------------- L_model_forward

def test_the_slipped_forward_is_right_without_its_slips(capsys):
    graded.L_model_forward_test(slipped_forward())
    assert capsys.readouterr().out == "L_model_forward_test: all tests passed.\n"


def slipped_forward(hidden_input="A", output_input="A", output_appends=1):
    """An L_model_forward a learner wrote, with the slips chosen by the arguments: each
    layer's input ("A", the previous layer's output, or "X"), the output cache appended
    ``output_appends`` times."""
    def L_model_forward(X, parameters):
        caches = []
        A = X
        L = len(parameters) // 2
        for l in range(1, L):
            A_prev = X if hidden_input == "X" else A
            A, cache = linear_activation_forward(A_prev, parameters["W" + str(l)],
                                                 parameters["b" + str(l)], "relu")
            caches.append(cache)
        AL, cache = linear_activation_forward(X if output_input == "X" else A,
                                              parameters["W" + str(L)],
                                              parameters["b" + str(L)], "sigmoid")
        caches += [cache] * output_appends
        return AL, caches
    return L_model_forward


def test_the_output_cache_appended_twice_is_named_and_not_asked_for_again():
    failure = failure_of("L_model_forward", slipped_forward(output_appends=2))
    assert first_line(failure) == ("L_model_forward: caches has 4 entries, expected L = 3, "
                                   "one per layer: the output layer's cache is in it twice.")
    assert "the output layer's too" not in str(failure)
    assert failure.mistake == "output-cache-twice"


@pytest.mark.parametrize("output_input", ["A", "X"])
def test_X_fed_to_every_layer_is_named(output_input):
    failure = failure_of("L_model_forward", slipped_forward("X", output_input))
    assert first_line(failure).startswith(
        "L_model_forward: every hidden layer gets X as its input; layer l's input is A[l-1], "
        "the previous layer's output. (Seen on a network where X fits every layer's W")
    assert "raised" not in str(failure)
    assert failure.mistake == "X-to-every-layer"


# ------------------------------------------------------------------ caches offset

COURSE_LOOP = """\
import numpy as np
from dnn_utils import linear_activation_backward


def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    current_cache = caches[L - 1]
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = \\
        linear_activation_backward(dAL, current_cache, "sigmoid")
    for l in reversed(range(L - 1)):
        current_cache = caches[INDEX]
        dA_prev, dW, db = linear_activation_backward(grads["dA" + str(l + 1)],
                                                     current_cache, "relu")
        grads["dA" + str(l)] = dA_prev
        grads["dW" + str(l + 1)] = dW
        grads["db" + str(l + 1)] = db
    return grads
"""


def learner_module(tmp_path, source, name="learner_cell"):
    """The learner's code in a file of its own, as a notebook cell is: its source can be read."""
    path = tmp_path / f"{name}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_cache_offset_in_the_courses_loop_gets_a_fix_for_that_loop(tmp_path):
    # caches[l + 1] in the course's loop: the fix there is caches[l], not caches[l - 1].
    module = learner_module(tmp_path, COURSE_LOOP.replace("INDEX", "l + 1"))
    failure = failure_of("L_model_backward", module.L_model_backward)
    assert first_line(failure).startswith(
        "L_model_backward: each hidden layer went back through the next layer's cache "
        "(layer l + 1's, not layer l's). (Seen on a network of one unit per layer")
    hint = str(failure).split("Hint: ")[1]
    assert hint == "in your loop, caches[l + 1] is the cache of the next layer: use caches[l]."
    assert failure.mistake == "cache-of-next-layer"


def test_the_courses_loop_written_right_passes(tmp_path, capsys):
    module = learner_module(tmp_path, COURSE_LOOP.replace("INDEX", "l"))
    graded.L_model_backward_test(module.L_model_backward)
    assert capsys.readouterr().out == "L_model_backward_test: all tests passed.\n"


def test_the_previous_layers_cache_is_named_too(tmp_path):
    module = learner_module(tmp_path, COURSE_LOOP.replace("INDEX", "l - 1"))
    failure = failure_of("L_model_backward", module.L_model_backward)
    assert "went back through the previous layer's cache (layer l - 1's" in first_line(failure)
    assert str(failure).split("Hint: ")[1] == (
        "in your loop, caches[l - 1] is the cache of the previous layer: use caches[l].")
    assert failure.mistake == "cache-of-previous-layer"


# ------------------------------------------------------------- order of results

def linear_backward_in_another_order(dZ, cache):
    dA_prev, dW, db = linear_backward(dZ, cache)
    return dW, db, dA_prev


def two_layer_returning_costs_first(X, Y, layer_dims, learning_rate=0.0075,
                                    num_iterations=3000, print_cost=False):
    parameters, costs = graded_reference_two_layer(X, Y, layer_dims, learning_rate,
                                                   num_iterations)
    return costs, parameters


def graded_reference_two_layer(X, Y, layer_dims, learning_rate, num_iterations):
    parameters = initialize_parameters(*layer_dims)
    costs = []
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters)
        if i % 100 == 0:
            costs.append(compute_cost(AL, Y))
        parameters = update_parameters(parameters, L_model_backward(AL, Y, caches),
                                       learning_rate)
    return parameters, costs


RESULTS_ORDER = [
    ("linear_backward", linear_backward_in_another_order,
     "linear_backward: it returned (dW, db, dA_prev), expected (dA_prev, dW, db): the "
     "results in another order."),
    ("linear_forward", lambda A, W, b: (W @ A + b + 1, (A, W, b))[::-1],
     "linear_forward: it returned (cache, Z), expected (Z, cache): the results in another "
     "order."),
    ("L_model_forward", lambda X, parameters: L_model_forward(X, parameters)[::-1],
     "L_model_forward: it returned (caches, AL), expected (AL, caches): the results in "
     "another order."),
    ("two_layer_model", two_layer_returning_costs_first,
     "two_layer_model: it returned (costs, parameters), expected (parameters, costs): the "
     "results in another order."),
]
# ----------------------------------------------------------- order of arguments

def linear_backward_taking_cache_first(cache, dZ):
    return linear_backward(dZ, cache)


def compute_cost_taking_Y_first(Y, AL):
    return compute_cost(AL, Y)


def update_taking_the_rate_second(params, learning_rate, grads):
    return update_parameters(params, grads, learning_rate)


ARGUMENTS_ORDER = [
    ("linear_backward", linear_backward_taking_cache_first,
     "linear_backward: its def line takes (cache, dZ); the workbook calls "
     "linear_backward(dZ, cache), with the arguments in this order."),
    ("compute_cost", compute_cost_taking_Y_first,
     "compute_cost: its def line takes (Y, AL); the workbook calls compute_cost(AL, Y), "
     "with the arguments in this order."),
    ("update_parameters", update_taking_the_rate_second,
     "update_parameters: its def line takes (params, learning_rate, grads); the workbook "
     "calls update_parameters(parameters, grads, learning_rate), with the arguments in this "
     "order."),
]


@pytest.mark.parametrize("exercise, target, line, mistake", [
    case + ("results-order",) for case in RESULTS_ORDER] + [
    case + ("arguments-order",) for case in ARGUMENTS_ORDER])
def test_results_and_arguments_in_another_order_are_named(exercise, target, line, mistake):
    failure = failure_of(exercise, target)
    assert first_line(failure) == line
    assert failure.mistake == mistake


def test_a_right_function_is_never_failed_for_its_argument_names(capsys):
    # The names are in another order, but the body uses them as the test passes them.
    def linear_forward(W, A, b):  # W receives the activations, A the weights
        return A @ W + b, (W, A, b)

    graded.linear_forward_test(linear_forward)
    assert capsys.readouterr().out == "linear_forward_test: all tests passed.\n"
