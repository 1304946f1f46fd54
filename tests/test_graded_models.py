"""Each usual mistake in notebook 03's training loops gets its own diagnosis.

Every wrong loop below is a complete function a learner could write; the graded test must
fail on it and name the mistake (not only "costs has the wrong values").
"""

import inspect
import re

import numpy as np
import pytest
from graded_failures import expect_failure

from dnn_utils import (
    L_model_backward,
    L_model_forward,
    compute_cost,
    initialize_parameters,
    initialize_parameters_deep,
    linear_activation_backward,
    linear_activation_forward,
    update_parameters,
)
from dnn_utils.graded import backward_blocks, models
from dnn_utils.graded.failure import GradedTestFailure


def two_layer(output="sigmoid", record=lambda i, n: i % 100 == 0, cost_after_update=False,
              return_initial=False):
    """A two_layer_model with one mistake chosen by the arguments."""
    def model(X, Y, layer_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
        parameters = initial = initialize_parameters(*layer_dims)
        costs = []
        for i in range(num_iterations):
            A1, cache1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")
            A2, cache2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"],
                                                   output)
            cost = compute_cost(A2, Y)
            dA2 = -(np.divide(Y, A2) - np.divide(1 - Y, 1 - A2))
            dA1, dW2, db2 = linear_activation_backward(dA2, cache2, output)
            _, dW1, db1 = linear_activation_backward(dA1, cache1, "relu")
            parameters = update_parameters(
                parameters, {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}, learning_rate)
            if cost_after_update:
                cost = compute_cost(L_model_forward(X, parameters)[0], Y)
            if record(i, num_iterations):
                costs.append(cost)
        return (initial if return_initial else parameters), costs
    return model


def deep(record=lambda i, n: i % 100 == 0, after_loop=False):
    def model(X, Y, layer_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
        parameters = initialize_parameters_deep(layer_dims)
        costs = []
        for i in range(num_iterations):
            AL, caches = L_model_forward(X, parameters)
            cost = compute_cost(AL, Y)
            parameters = update_parameters(parameters, L_model_backward(AL, Y, caches),
                                           learning_rate)
            if record(i, num_iterations):
                costs.append(cost)
        if after_loop:
            costs.append(cost)
        return parameters, costs
    return model


TWO_LAYER_MISTAKES = {
    "relu output": (two_layer(output="relu"),
                    r"(?s)already at iteration 0.*layer 2 uses 'relu'.*'sigmoid'"),
    "cost after the update": (two_layer(cost_after_update=True),
                              r"(?s)costs has the wrong values.*before the update"),
    "initial parameters returned": (two_layer(return_initial=True),
                                    r"(?s)parameters\['W1'\].*these are the initial parameters"),
    "record from i > 0": (two_layer(record=lambda i, n: i % 100 == 0 and i > 0),
                          r"(?s)costs has 2 entries.*one recorded cost is missing"),
    "record once": (two_layer(record=lambda i, n: i == 0), r"a single cost"),
}

DEEP_MISTAKES = {
    "every iteration": (deep(record=lambda i, n: True),
                        r"(?s)costs has 201 entries.*one cost per iteration"),
    "appended after the loop too": (deep(after_loop=True), r"one cost too many"),
    "nothing recorded": (deep(record=lambda i, n: False), r"costs is empty"),
}


@pytest.mark.parametrize("mistake", sorted(TWO_LAYER_MISTAKES))
def test_two_layer_model_names_the_mistake(mistake):
    target, pattern = TWO_LAYER_MISTAKES[mistake]
    message = expect_failure(models.two_layer_model_test, target, r"^two_layer_model", pattern)
    assert "L_model_forward" not in message.split("Hint:")[-1] or mistake == "relu output"


@pytest.mark.parametrize("mistake", sorted(DEEP_MISTAKES))
def test_L_layer_model_names_the_mistake(mistake):
    target, pattern = DEEP_MISTAKES[mistake]
    expect_failure(models.L_layer_model_test, target, r"^L_layer_model", pattern)


@pytest.mark.parametrize("test, target, mistake", [
    (models.two_layer_model_test, TWO_LAYER_MISTAKES["relu output"][0], "relu-output"),
    (models.two_layer_model_test, TWO_LAYER_MISTAKES["cost after the update"][0],
     "cost-after-update"),
    (models.two_layer_model_test, TWO_LAYER_MISTAKES["initial parameters returned"][0],
     "initial-parameters-returned"),
    (models.two_layer_model_test, TWO_LAYER_MISTAKES["record from i > 0"][0], "cost-missing"),
    (models.L_layer_model_test, DEEP_MISTAKES["every iteration"][0], "cost-every-iteration"),
    (models.L_layer_model_test, DEEP_MISTAKES["appended after the loop too"][0],
     "cost-too-many"),
])
def test_the_loops_mistakes_carry_their_ids(test, target, mistake):
    with pytest.raises(GradedTestFailure) as info:
        test(target)
    assert info.value.mistake == mistake


def test_right_loops_pass(capsys):
    models.two_layer_model_test(two_layer())
    models.L_layer_model_test(deep())
    assert capsys.readouterr().out.split() == [
        "two_layer_model_test:", "all", "tests", "passed.",
        "L_layer_model_test:", "all", "tests", "passed."]


def test_a_two_layer_hint_speaks_of_the_blocks_it_uses():
    # Constant costs (no update) in a 2-layer loop: the hint names the update, not
    # L_model_forward / L_model_backward, which two_layer_model does not use.
    def not_updated(X, Y, layer_dims, learning_rate=0.0075, num_iterations=3000,
                    print_cost=False):
        parameters = initialize_parameters(*layer_dims)
        A2 = linear_activation_forward(
            linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")[0],
            parameters["W2"], parameters["b2"], "sigmoid")[0]
        return parameters, [compute_cost(A2, Y)] * len(range(0, num_iterations, 100))

    message = expect_failure(models.two_layer_model_test, not_updated,
                             r"(?s)the cost never changes.*update_parameters")
    assert "L_model" not in message


def backward_with_cache_offset(AL, Y, caches):
    # caches[l] instead of caches[l - 1] for the hidden layers: layer l + 1's cache.
    L = len(caches)
    grads = {}
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    grads[f"dA{L - 1}"], grads[f"dW{L}"], grads[f"db{L}"] = linear_activation_backward(
        dAL, caches[L - 1], "sigmoid")
    for l in reversed(range(1, L)):
        grads[f"dA{l - 1}"], grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(
            grads[f"dA{l}"], caches[l], "relu")
    return grads


def backward_with_cache_offset_on_one_line(AL, Y, caches):
    L = len(caches)
    grads = {}
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    grads[f"dA{L - 1}"], grads[f"dW{L}"], grads[f"db{L}"] = linear_activation_backward(
        dAL, caches[L - 1], "sigmoid")
    for l in reversed(range(1, L)):
        dA_prev, dW, db = linear_activation_backward(grads[f"dA{l}"], caches[l], "relu")
        grads[f"dA{l - 1}"], grads[f"dW{l}"], grads[f"db{l}"] = dA_prev, dW, db
    return grads


def test_L_model_backward_names_the_cache_offset():
    # The quoted line shows caches[l] in a loop over the layer's number: the fix fits it.
    message = expect_failure(
        backward_blocks.L_model_backward_test, backward_with_cache_offset_on_one_line,
        r"^L_model_backward: each hidden layer went back through the next layer's cache",
        r"Hint: in your loop, caches\[l\] is the cache of the next layer: use caches\[l - 1\]\.")
    assert "Most often" not in message


def test_L_model_backward_cache_offset_hint_without_the_learners_code():
    # A call split over two lines, defined where Python cannot read its source: the
    # hint proposes no index of its own but gives both loops.
    namespace = {"np": np, "linear_activation_backward": linear_activation_backward}
    exec(compile(inspect.getsource(backward_with_cache_offset), "<no source>", "exec"),
         namespace)
    expect_failure(backward_blocks.L_model_backward_test,
                   namespace["backward_with_cache_offset"],
                   r"next layer's cache \(layer l \+ 1's, not layer l's\)",
                   r"caches\[l - 1\] in a loop over the layer numbers.*caches\[l\] in the "
                   r"course's loop")


# ------------------------------------------------- slips that need a second run

def deep_loop(start=initialize_parameters_deep, iterations=None, rate=None):
    """An L_layer_model with one slip: its own start, a fixed number of iterations or a
    fixed learning rate."""
    def L_layer_model(X, Y, layer_dims, learning_rate=0.0075, num_iterations=3000,
                      print_cost=False):
        parameters = start(layer_dims)
        costs = []
        for i in range(iterations or num_iterations):
            AL, caches = L_model_forward(X, parameters)
            cost = compute_cost(AL, Y)
            grads = L_model_backward(AL, Y, caches)
            parameters = update_parameters(parameters, grads, rate or learning_rate)
            if i % 100 == 0:
                costs.append(cost)
        return parameters, costs
    return L_layer_model


def start_times_0_01(layer_dims):
    np.random.seed(1)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


def start_at_zero(layer_dims):
    return {f"{p}{l}": np.zeros((layer_dims[l], layer_dims[l - 1] if p == "W" else 1))
            for l in range(1, len(layer_dims)) for p in "Wb"}


SECOND_RUN_SLIPS = {
    "weights times 0.01": (deep_loop(start=start_times_0_01), "initialization-too-small",
                           r"^L_layer_model: costs has the wrong values\.",
                           r"start at or near zero \(times 0\.01, say\)"),
    "weights all zero": (deep_loop(start=start_at_zero), "initialization-too-small",
                         r"^L_layer_model: costs has the wrong values\.", r"near log 2"),
    "num_iterations ignored": (deep_loop(iterations=500), "num_iterations-ignored",
                               r"^L_layer_model: costs has 5 entries after "
                               r"num_iterations=201, and 5 again after num_iterations=101: "
                               r"the loop ignores num_iterations\.", r"range\(num_iterations\)"),
    "learning_rate ignored": (deep_loop(rate=0.02), "learning_rate-ignored",
                              r"^L_layer_model: costs has the wrong values, and the same ones "
                              r"with learning_rate=0\.05 as with learning_rate=0\.1: the loop "
                              r"ignores learning_rate\.", r"not a fixed number"),
    "learning_rate fixed at the default": (deep_loop(rate=0.0075), "learning_rate-ignored",
                                           r"costs has the wrong values",
                                           r"costs of learning rate 0\.0075"),
}


@pytest.mark.parametrize("slip", sorted(SECOND_RUN_SLIPS))
def test_a_training_slip_gets_its_own_words_and_id(slip):
    target, mistake, first, hint = SECOND_RUN_SLIPS[slip]
    with pytest.raises(GradedTestFailure) as info:
        models.L_layer_model_test(target)
    message = str(info.value)
    assert re.search(first, message.splitlines()[0]), message
    assert re.search(hint, message.split("Hint: ")[1]), message
    assert info.value.mistake == mistake


def test_a_loop_that_prints_and_records_passes_quietly(capsys):
    # The second runs discard what the loop prints; a right loop is run once.
    def L_layer_model(X, Y, layer_dims, learning_rate=0.0075, num_iterations=3000,
                      print_cost=False):
        parameters, costs = deep_loop()(X, Y, layer_dims, learning_rate, num_iterations)
        print("Cost after iteration 0: ...")
        return parameters, costs

    models.L_layer_model_test(L_layer_model)
    assert capsys.readouterr().out == ("Cost after iteration 0: ...\n"
                                       "L_layer_model_test: all tests passed.\n")


def test_without_evidence_the_cache_hint_proposes_no_index():
    # When the one-unit network does not settle it, the hint names both usual loops.
    from dnn_utils.graded.diagnosis import backward_cache_offset_hint

    shape_error = GradedTestFailure(
        "L_model_backward raised ValueError: matmul: mismatch\n"
        "    at line 9 of L_model_backward: dA, dW, db = lab(dA, caches[l], 'relu')",
        "raised-error", "ValueError")
    hint = backward_cache_offset_hint(shape_error)
    assert hint.startswith("a layer got another layer's cache")
    assert "caches[l - 1] in a loop over the layer numbers" in hint
    assert "caches[l] in the course's loop" in hint
    unpacking = GradedTestFailure(
        "L_model_backward raised TypeError: cannot unpack\n"
        "    at line 9 of L_model_backward: A_prev, W, b = caches[l][0]",
        "raised-error", "TypeError")
    assert backward_cache_offset_hint(unpacking) is None
