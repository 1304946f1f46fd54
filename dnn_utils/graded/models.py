"""Graded tests of the training loops written in notebook 03 (the cat classifier).

The learner's ``two_layer_model`` and ``L_layer_model`` are trained for a few
hundred iterations on a small seeded dataset, and their costs and parameters
are compared with the reference :func:`dnn_utils.two_layer_model` and
:func:`dnn_utils.L_layer_model`. A wrong loop is diagnosed from what it returns:
the number of recorded costs, their values (constant, shifted by one iteration,
those of another learning rate, another start or another model) and the returned
parameters; where one run does not tell, the test runs the loop again with another
argument (:mod:`.training`): an argument the loop ignores, costs recorded only when
printed.
"""

import numpy as np

from ..initialization import initialize_parameters, initialize_parameters_deep
from ..models import L_layer_model, two_layer_model
from .course import fail_only_parameters
from .diagnosis import cost_history, rehint, wrong_count_hint
from .failure import GradedTestFailure
from .feedback import call, expect_array, expect_keys, expect_tuple, fail, graded_test, named
from .orders import same_value
from .training import (
    LEARNING_RATE,
    NUM_ITERATIONS,
    expect_costs_recorded,
    expect_learning_rate_used,
    expect_num_iterations_used,
    small_start_costs,
)

_ARGUMENTS = ("X", "Y", "layer_dims")
_RECORDED = np.arange(0, NUM_ITERATIONS, 100)


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
             hint="start with costs = [] and costs.append(cost) every 100 iterations.",
             mistake="costs-not-a-list")
    try:
        return np.array([float(np.squeeze(c)) for c in costs])
    except (TypeError, ValueError):
        fail(name, "costs holds something other than numbers.",
             hint="append the value of compute_cost(AL, Y), a number, to costs.",
             mistake="costs-not-numbers")


def _train(name, target, X, Y, layer_dims, output_hint):
    """Run the learner's loop; a non-finite value at iteration 0 gets ``output_hint``."""
    kwargs = dict(learning_rate=LEARNING_RATE, print_cost=False)
    try:
        return call(target, name, X, Y, list(layer_dims), num_iterations=NUM_ITERATIONS,
                    **kwargs)
    except GradedTestFailure as failure:
        if output_hint is None or "non-finite" not in str(failure):
            raise
        # Before any update a learning rate cannot have diverged: is the first iteration
        # alone already broken?
        try:
            call(target, name, X, Y, list(layer_dims), num_iterations=1, **kwargs)
        except GradedTestFailure:
            raise rehint(failure, output_hint) from None
        raise


def _check_model(name, target, X, Y, layer_dims, initial, reference, wrong,
                 output_hint=None):
    """Train the learner's model on X, Y and compare costs, then parameters, with ``reference``.

    ``initial`` are the reference's initial parameters; ``wrong()`` returns a list of
    (costs, hint): the costs of known wrong training runs, computed only when the
    learner's costs are wrong.
    """
    got = _train(name, target, X, Y, layer_dims, output_hint)
    expected = reference(X, Y, layer_dims, learning_rate=LEARNING_RATE,
                         num_iterations=NUM_ITERATIONS)
    if isinstance(got, dict) and set(got) == set(expected[0]):
        fail_only_parameters(name, same_value(got, expected[0]))
    parameters, costs = expect_tuple(name, got, ("parameters", "costs"), expected)
    expected_parameters, expected_costs = expected[0], np.array(expected[1])
    costs = _as_costs(name, costs)
    if costs.shape != expected_costs.shape:
        run = (target, X, Y, list(layer_dims))
        if len(costs) == 0:
            expect_costs_recorded(name, run, len(expected_costs))
        count_hint = wrong_count_hint(len(costs), NUM_ITERATIONS)
        if count_hint is None:
            expect_num_iterations_used(name, run, len(costs))
        fail(name, f"costs has {len(costs)} entries after {NUM_ITERATIONS} iterations, "
             f"expected {len(expected_costs)} (iterations 0, 100, 200).",
             hint=count_hint or (
                 "record the cost once every 100 iterations: "
                 "`if i % 100 == 0: costs.append(cost)`, inside the loop."))
    if np.allclose(costs, expected_costs, rtol=1e-5, atol=1e-7):
        wrong = []
    else:
        history = cost_history(initial, X, Y, LEARNING_RATE, NUM_ITERATIONS)
        wrong = _usual_wrong_costs(history, len(costs)) + wrong()
        expect_learning_rate_used(name, (target, X, Y, list(layer_dims)), costs, wrong)
    expect_array(name, "costs", costs, expected_costs, wrong=wrong,
                 hint="each iteration runs forward, cost, backward and update, in that "
                 "order, and records the cost before the update.")
    expect_keys(name, "parameters", parameters, expected_parameters)
    for key, value in expected_parameters.items():
        expect_array(name, f"parameters['{key}']", parameters[key], value,
                     wrong=[(initial[key], named(
                         "initial-parameters-returned", "the costs are right but these are "
                         "the initial parameters: return the dict the last update_parameters "
                         "call returned (parameters = update_parameters(...))."))])


def _usual_wrong_costs(history, count):
    """The costs of a loop that never updates, or records the cost after the update."""
    return [
        (np.full(count, history[0]), named(
            "parameters-not-updated", "the cost never changes: the parameters are not "
            "updated. Assign the result of the update, "
            "parameters = update_parameters(parameters, grads, learning_rate).")),
        (history[_RECORDED + 1], named(
            "cost-after-update", "each recorded cost is that of the *next* iteration's "
            "parameters: compute the cost right after the forward pass, before the update.")),
    ]


def _fixed_rate(model, X, Y, dims):
    """The costs of ``model`` at the default learning rate 0.0075, with their hint."""
    return (model(X, Y, dims, num_iterations=NUM_ITERATIONS)[1],
            named("learning_rate-ignored", "these are the costs of learning rate 0.0075: pass "
                  "learning_rate on to update_parameters instead of a fixed number."))


def _two_layer_wrong(X, Y, dims, initial):
    """The costs of the usual wrong 2-layer loops, each with its hint."""
    slipped = cost_history(initial, X, Y, LEARNING_RATE, NUM_ITERATIONS,
                           dAL=lambda AL, Y: AL - Y)
    deep = L_layer_model(X, Y, dims, learning_rate=LEARNING_RATE,
                         num_iterations=NUM_ITERATIONS)[1]
    return [
        _fixed_rate(two_layer_model, X, Y, dims),
        (deep, named("deep-initialization", "these are the costs of another model's start: "
                     "two_layer_model initializes with initialize_parameters(n_x, n_h, n_y) "
                     "(weights times 0.01), not initialize_parameters_deep.")),
        (slipped[_RECORDED], named(
            "A2-minus-Y-as-dA2", "these are the costs of a loop that starts the backward "
            "pass from dA2 = A2 - Y: that is dZ2, the sigmoid's derivative already "
            "included, and linear_activation_backward(dA2, cache2, 'sigmoid') applies it a "
            "second time. Use dA2 = -(np.divide(Y, A2) - np.divide(1 - Y, 1 - A2)).")),
    ]


def _deep_wrong(X, Y, dims):
    """The costs of the usual wrong L-layer loops, each with its hint."""
    shallow = two_layer_model(X, Y, (dims[0], dims[1], dims[-1]), learning_rate=LEARNING_RATE,
                              num_iterations=NUM_ITERATIONS)[1]
    return [
        _fixed_rate(L_layer_model, X, Y, dims),
        (shallow, named("two-layer-model", "these are the costs of a 2-layer model: "
                        "initialize every layer of layer_dims with "
                        "initialize_parameters_deep(layer_dims) and use L_model_forward / "
                        "L_model_backward.")),
    ] + small_start_costs(X, Y, dims)


@graded_test("two_layer_model", arguments=_ARGUMENTS)
def two_layer_model_test(target):
    """Graded test of ``two_layer_model(X, Y, layer_dims, learning_rate, num_iterations, ...)``."""
    name = "two_layer_model"
    dims = (5, 4, 1)
    X, Y = _dataset(21, dims[0], 30)
    initial = initialize_parameters(*dims)
    output_hint = named("relu-output", (
        "already at iteration 0, before any update, a value is infinite or NaN, so this is "
        "not the learning rate. Most likely layer 2 uses 'relu': it gives A2 = 0 for many "
        "examples, log(0) in the cost and a division by zero in dA2. Layer 2 is the output: "
        "linear_activation_forward(A1, W2, b2, 'sigmoid') and "
        "linear_activation_backward(dA2, cache2, 'sigmoid'); only layer 1 uses 'relu'."))
    _check_model(name, target, X, Y, dims, initial, two_layer_model,
                 lambda: _two_layer_wrong(X, Y, dims, initial), output_hint)


@graded_test("L_layer_model", arguments=_ARGUMENTS)
def L_layer_model_test(target):
    """Graded test of ``L_layer_model(X, Y, layer_dims, learning_rate, num_iterations, ...)``."""
    name = "L_layer_model"
    dims = (5, 4, 3, 1)
    X, Y = _dataset(22, dims[0], 30)
    _check_model(name, target, X, Y, dims, initialize_parameters_deep(dims), L_layer_model,
                 lambda: _deep_wrong(X, Y, dims))
