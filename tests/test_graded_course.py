"""Learners who come from the course: each of its conventions gets one message that says it
is the course's, what this workbook asks instead and why, every difference at once.

The functions below are written the course's way (its templates' loops, seeds and keys);
each is right by the course and wrong by this workbook.
"""

import numpy as np
import pytest
from graded_failures import failure_of

from dnn_utils import (
    L_model_backward,
    L_model_forward,
    compute_cost,
    graded,
    initialize_parameters_deep,
    linear_activation_backward,
    update_parameters,
)


def course_initialize_parameters_deep(seed, scale):
    def initialize_parameters_deep(layer_dims):
        np.random.seed(seed)
        parameters = {}
        L = len(layer_dims)
        for l in range(1, L):
            W = np.random.randn(layer_dims[l], layer_dims[l - 1])
            parameters["W" + str(l)] = W * 0.01 if scale else W / np.sqrt(layer_dims[l - 1])
            parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
        return parameters
    return initialize_parameters_deep


def test_the_courses_seed_alone():
    failure = failure_of("initialize_parameters_deep",
                         course_initialize_parameters_deep(3, False))
    assert str(failure).splitlines()[0] == (
        "initialize_parameters_deep: its weights are drawn with np.random.seed(3), the "
        "course's convention.")
    assert "np.sqrt" not in str(failure).split("Hint: ")[1]
    assert failure.mistake == "course-convention"


def test_the_courses_scale_alone_keeps_its_id():
    failure = failure_of("initialize_parameters_deep",
                         course_initialize_parameters_deep(1, True))
    assert "randn(...) * 0.01, the course's convention" in str(failure)
    assert "np.random.seed" not in str(failure).split("Hint: ")[1]
    assert failure.mistake == "scaled-by-0_01"


def older_course_L_model_backward(AL, Y, caches):
    # The older template: grads["dA" + str(l + 1)] holds the gradient of A[l].
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    current_cache = caches[L - 1]
    grads["dA" + str(L)], grads["dW" + str(L)], grads["db" + str(L)] = \
        linear_activation_backward(dAL, current_cache, "sigmoid")
    for l in reversed(range(L - 1)):
        current_cache = caches[l]
        dA_prev_temp, dW_temp, db_temp = linear_activation_backward(
            grads["dA" + str(l + 2)], current_cache, "relu")
        grads["dA" + str(l + 1)] = dA_prev_temp
        grads["dW" + str(l + 1)] = dW_temp
        grads["db" + str(l + 1)] = db_temp
    return grads


def course_update_parameters(copy_first):
    """The course's update_parameters: the older template writes into the dict it is given,
    the newer one into a shallow copy of it (which leaves the caller's dict alone)."""
    def update_parameters(parameters, grads, learning_rate):
        new = parameters.copy() if copy_first else parameters
        L = len(parameters) // 2
        for l in range(L):
            new["W" + str(l + 1)] = parameters["W" + str(l + 1)] - \
                learning_rate * grads["dW" + str(l + 1)]
            new["b" + str(l + 1)] = parameters["b" + str(l + 1)] - \
                learning_rate * grads["db" + str(l + 1)]
        return new
    return update_parameters


@pytest.mark.parametrize("exercise, target, line, reasons", [
    ("initialize_parameters_deep", course_initialize_parameters_deep(3, True),
     "initialize_parameters_deep: its weights are drawn with np.random.seed(3) and "
     "randn(...) * 0.01, the course's convention.",
     # Both differences, what is asked instead, and why.
     ["np.random.seed(1)", "the ones printed in the notebook", "/ np.sqrt(n[l-1])",
      "first layers hardly learn"]),
    ("L_model_backward", older_course_L_model_backward,
     "L_model_backward: grads holds dA1, ..., dA2, where grads['dA' + str(l)] is the "
     "gradient of A[l-1]: the keys of the course's older template, and your gradients are "
     "right.", ["from dA0 (the gradient of X) to dA1", "as the lecture writes"]),
    ("update_parameters", course_update_parameters(copy_first=False),
     "update_parameters: it changed its input parameters['W1']: this entry of the "
     "caller's dict was replaced, as the course's older update_parameters does; the new "
     "values themselves are right.", ["a saved copy of the initial parameters"]),
    ("L_layer_model", "only parameters",
     "L_layer_model: it returned only parameters, as the course's older template does; "
     "the parameters themselves are right.",
     # The print_cost convention is in the same message, not the next run's.
     ["return parameters, costs", "only if print_cost is True", "plot_costs"]),
])
def test_the_courses_convention_in_one_message(exercise, target, line, reasons):
    if target == "only parameters":
        target = course_L_layer_model(False, False)
    failure = failure_of(exercise, target)
    assert str(failure).splitlines()[0] == line
    hint = str(failure).split("Hint: ")[1]
    assert all(reason in hint for reason in reasons), hint
    assert failure.mistake == "course-convention"


def test_a_wrong_update_into_the_callers_dict_is_not_called_the_courses():
    def update(parameters, grads, learning_rate):
        for key in list(parameters):
            parameters[key] = parameters[key] + learning_rate * grads["d" + key]
        return parameters

    failure = failure_of("update_parameters", update)
    assert "the course's" not in str(failure)
    assert failure.mistake == "input-entry-replaced"


def course_L_layer_model(returns_costs, records_always):
    def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000,
                      print_cost=False):
        costs = []
        parameters = initialize_parameters_deep(layers_dims)
        for i in range(0, num_iterations):
            AL, caches = L_model_forward(X, parameters)
            cost = compute_cost(AL, Y)
            grads = L_model_backward(AL, Y, caches)
            parameters = update_parameters(parameters, grads, learning_rate)
            if print_cost and i % 100 == 0:
                print(f"Cost after iteration {i}: {cost:f}")
            if (records_always or print_cost) and i % 100 == 0:
                costs.append(cost)
        return (parameters, costs) if returns_costs else parameters
    return L_layer_model


def test_a_loop_that_records_costs_only_when_printing(capsys):
    failure = failure_of("L_layer_model", course_L_layer_model(True, False))
    assert str(failure).splitlines()[0] == (
        "L_layer_model: costs is empty with print_cost=False and filled with "
        "print_cost=True: it records the costs only if print_cost is True, the course's "
        "convention.")
    assert failure.mistake == "course-convention"
    assert capsys.readouterr().out == ""  # the second run's printing is not shown


def test_the_courses_newer_loop_passes(capsys):
    graded.L_layer_model_test(course_L_layer_model(True, True))
    assert capsys.readouterr().out == "L_layer_model_test: all tests passed.\n"


def test_the_courses_newer_update_passes(capsys):
    graded.update_parameters_test(course_update_parameters(copy_first=True))
    assert capsys.readouterr().out == "update_parameters_test: all tests passed.\n"
