"""Graded tests of the training loops written in notebook 03 (the cat classifier).

The learner's ``two_layer_model`` and ``L_layer_model`` are trained for a few
hundred iterations on a small seeded dataset, and their costs and parameters
are compared with the reference :func:`dnn_utils.two_layer_model` and
:func:`dnn_utils.L_layer_model`. A wrong loop is diagnosed from what it returns:
the number of recorded costs, their values (constant, shifted by one iteration,
those of another learning rate or another model) and the returned parameters.
"""

import numpy as np

from ..initialization import initialize_parameters, initialize_parameters_deep
from ..models import L_layer_model, two_layer_model
from .diagnosis import cost_history, rehint, wrong_count_hint
from .failure import GradedTestFailure
from .feedback import call, expect_array, expect_keys, expect_tuple, fail, graded_test

LEARNING_RATE = 0.1
# Iterations 0, 100 and 200 record a cost; the last iteration is 200 too, so a loop
# that also records the last iteration's cost gives the same list.
NUM_ITERATIONS = 201
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
             hint="start with costs = [] and costs.append(cost) every 100 iterations.")
    try:
        return np.array([float(np.squeeze(c)) for c in costs])
    except (TypeError, ValueError):
        fail(name, "costs holds something other than numbers.",
             hint="append the value of compute_cost(AL, Y), a number, to costs.")


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

    ``initial`` are the reference's initial parameters; ``wrong`` is a list of
    (costs, hint): the costs of known wrong training runs.
    """
    parameters, costs = expect_tuple(name, _train(name, target, X, Y, layer_dims, output_hint),
                                     ("parameters", "costs"))
    expected_parameters, expected_costs = reference(
        X, Y, layer_dims, learning_rate=LEARNING_RATE, num_iterations=NUM_ITERATIONS)
    expected_costs = np.array(expected_costs)
    costs = _as_costs(name, costs)
    if costs.shape != expected_costs.shape:
        fail(name, f"costs has {len(costs)} entries after {NUM_ITERATIONS} iterations, "
             f"expected {len(expected_costs)} (iterations 0, 100, 200).",
             hint=wrong_count_hint(len(costs), NUM_ITERATIONS) or (
                 "record the cost once every 100 iterations: "
                 "`if i % 100 == 0: costs.append(cost)`, inside the loop."))
    history = cost_history(initial, X, Y, LEARNING_RATE, NUM_ITERATIONS)
    wrong = [
        (np.full(len(costs), history[0]), "the cost never changes: the parameters are "
         "not updated. Assign the result of the update, "
         "parameters = update_parameters(parameters, grads, learning_rate)."),
        (history[_RECORDED + 1], "each recorded cost is that of the *next* iteration's "
         "parameters: compute the cost right after the forward pass, before the update."),
    ] + wrong
    expect_array(name, "costs", costs, expected_costs, wrong=wrong,
                 hint="each iteration runs forward, cost, backward and update, in that "
                 "order, and records the cost before the update.")
    expect_keys(name, "parameters", parameters, expected_parameters)
    for key, value in expected_parameters.items():
        expect_array(name, f"parameters['{key}']", parameters[key], value,
                     wrong=[(initial[key], "the costs are right but these are the initial "
                             "parameters: return the dict the last update_parameters call "
                             "returned (parameters = update_parameters(...)).")])


@graded_test("two_layer_model")
def two_layer_model_test(target):
    """Graded test of ``two_layer_model(X, Y, layer_dims, learning_rate, num_iterations, ...)``."""
    name = "two_layer_model"
    dims = (5, 4, 1)
    X, Y = _dataset(21, dims[0], 30)
    wrong = [
        (two_layer_model(X, Y, dims, num_iterations=NUM_ITERATIONS)[1],
         "these are the costs of learning rate 0.0075: pass learning_rate on to "
         "update_parameters instead of a fixed number."),
        (L_layer_model(X, Y, dims, learning_rate=LEARNING_RATE,
                       num_iterations=NUM_ITERATIONS)[1],
         "these are the costs of another model's start: two_layer_model initializes with "
         "initialize_parameters(n_x, n_h, n_y) (weights times 0.01), not "
         "initialize_parameters_deep."),
    ]
    output_hint = (
        "already at iteration 0, before any update, a value is infinite or NaN, so this is "
        "not the learning rate. Most likely layer 2 uses 'relu': it gives A2 = 0 for many "
        "examples, log(0) in the cost and a division by zero in dA2. Layer 2 is the output: "
        "linear_activation_forward(A1, W2, b2, 'sigmoid') and "
        "linear_activation_backward(dA2, cache2, 'sigmoid'); only layer 1 uses 'relu'.")
    _check_model(name, target, X, Y, dims, initialize_parameters(*dims), two_layer_model,
                 wrong, output_hint)


@graded_test("L_layer_model")
def L_layer_model_test(target):
    """Graded test of ``L_layer_model(X, Y, layer_dims, learning_rate, num_iterations, ...)``."""
    name = "L_layer_model"
    dims = (5, 4, 3, 1)
    X, Y = _dataset(22, dims[0], 30)
    wrong = [
        (L_layer_model(X, Y, dims, num_iterations=NUM_ITERATIONS)[1],
         "these are the costs of learning rate 0.0075: pass learning_rate on to "
         "update_parameters instead of a fixed number."),
        (two_layer_model(X, Y, (dims[0], dims[1], dims[-1]), learning_rate=LEARNING_RATE,
                         num_iterations=NUM_ITERATIONS)[1],
         "these are the costs of a 2-layer model: initialize every layer of layer_dims "
         "with initialize_parameters_deep(layer_dims) and use L_model_forward / "
         "L_model_backward."),
    ]
    _check_model(name, target, X, Y, dims, initialize_parameters_deep(dims), L_layer_model,
                 wrong)
