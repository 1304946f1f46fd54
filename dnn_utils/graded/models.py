"""Graded tests of the training loops written in notebook 03 (the cat classifier).

The learner's ``two_layer_model`` and ``L_layer_model`` are trained for a few
hundred iterations on a small seeded dataset, and their costs and parameters
are compared with the reference :func:`dnn_utils.two_layer_model` and
:func:`dnn_utils.L_layer_model`.
"""

import numpy as np

from ..initialization import initialize_parameters, initialize_parameters_deep
from ..models import L_layer_model, two_layer_model
from .feedback import call, expect_array, expect_keys, expect_tuple, fail, graded_test

LEARNING_RATE = 0.1
# Iterations 0, 100 and 200 record a cost; the last iteration is 200 too, so a loop
# that also records the last iteration's cost gives the same list.
NUM_ITERATIONS = 201


def _dataset(seed, n_x, m):
    """A small linearly separable problem: X (n_x, m), Y (1, m) of 0/1 labels."""
    rng = np.random.RandomState(seed)
    X = rng.randn(n_x, m)
    w = rng.randn(1, n_x)
    Y = (w @ X > 0).astype(np.float64)
    return X, Y


def _as_costs(name, costs):
    if not isinstance(costs, (list, tuple, np.ndarray)):
        fail(name, f"costs is {type(costs).__name__}, expected a list of costs.",
             hint="start with costs = [] and costs.append(cost) every 100 iterations.")
    try:
        return np.array([float(np.squeeze(c)) for c in costs])
    except (TypeError, ValueError):
        fail(name, "costs holds something other than numbers.",
             hint="append the value of compute_cost(AL, Y), a number, to costs.")


def _check_model(name, target, X, Y, layer_dims, reference, wrong):
    """Train the learner's model on X, Y and compare costs, then parameters, with ``reference``.

    ``wrong`` is a list of ((parameters, costs), hint): known wrong training runs.
    """
    got = call(target, name, X, Y, list(layer_dims), learning_rate=LEARNING_RATE,
               num_iterations=NUM_ITERATIONS, print_cost=False)
    parameters, costs = expect_tuple(name, got, ("parameters", "costs"))
    expected_parameters, expected_costs = reference(
        X, Y, layer_dims, learning_rate=LEARNING_RATE, num_iterations=NUM_ITERATIONS)
    expected_costs = np.array(expected_costs)
    costs = _as_costs(name, costs)
    if costs.shape != expected_costs.shape:
        fail(name, f"costs has {len(costs)} entries after {NUM_ITERATIONS} iterations, "
             f"expected {len(expected_costs)} (iterations 0, 100, 200).",
             hint="record the cost once every 100 iterations: "
             "`if i % 100 == 0: costs.append(cost)`, inside the loop.")
    expect_array(name, "costs", costs, expected_costs,
                 wrong=[(np.array(c), hint) for (_, c), hint in wrong],
                 hint="each iteration runs L_model_forward, compute_cost, L_model_backward "
                 "and update_parameters, in that order, and records the cost before the "
                 "update.")
    expect_keys(name, "parameters", parameters, expected_parameters)
    for key, value in expected_parameters.items():
        expect_array(name, f"parameters['{key}']", parameters[key], value,
                     wrong=[(p[key], hint) for (p, _), hint in wrong])


def _not_updated(initial, costs):
    return (initial, [costs[0]] * len(costs)), (
        "the parameters never change: assign the result of the update, "
        "parameters = update_parameters(parameters, grads, learning_rate).")


@graded_test("two_layer_model")
def two_layer_model_test(target):
    """Graded test of ``two_layer_model(X, Y, layer_dims, learning_rate, num_iterations, ...)``."""
    name = "two_layer_model"
    dims = (5, 4, 1)
    X, Y = _dataset(21, dims[0], 30)
    costs = two_layer_model(X, Y, dims, learning_rate=LEARNING_RATE,
                            num_iterations=NUM_ITERATIONS)[1]
    wrong = [
        _not_updated(initialize_parameters(*dims), costs),
        (two_layer_model(X, Y, dims, num_iterations=NUM_ITERATIONS),
         "pass learning_rate on to update_parameters instead of a fixed number."),
        (L_layer_model(X, Y, dims, learning_rate=LEARNING_RATE, num_iterations=NUM_ITERATIONS),
         ("two_layer_model starts from initialize_parameters(n_x, n_h, n_y), not "
         "initialize_parameters_deep.")),
    ]
    _check_model(name, target, X, Y, dims, two_layer_model, wrong)


@graded_test("L_layer_model")
def L_layer_model_test(target):
    """Graded test of ``L_layer_model(X, Y, layer_dims, learning_rate, num_iterations, ...)``."""
    name = "L_layer_model"
    dims = (5, 4, 3, 1)
    X, Y = _dataset(22, dims[0], 30)
    costs = L_layer_model(X, Y, dims, learning_rate=LEARNING_RATE,
                          num_iterations=NUM_ITERATIONS)[1]
    wrong = [
        _not_updated(initialize_parameters_deep(dims), costs),
        (L_layer_model(X, Y, dims, num_iterations=NUM_ITERATIONS),
         "pass learning_rate on to update_parameters instead of a fixed number."),
    ]
    _check_model(name, target, X, Y, dims, L_layer_model, wrong)
