"""The graded tests pass the reference blocks and explain each usual mistake.

Every deliberately broken implementation below makes one mistake that learners
make; the test checks that the graded test fails with the hint naming it.
"""

import copy
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import dnn_utils
from dnn_utils import graded
from dnn_utils.graded import cases, feedback, slips
from dnn_utils.graded.feedback import GradedTestFailure

NAMES = [
    "initialize_parameters", "initialize_parameters_deep", "linear_forward",
    "linear_activation_forward", "L_model_forward", "compute_cost", "linear_backward",
    "linear_activation_backward", "L_model_backward", "update_parameters",
    "two_layer_model", "L_layer_model",
]


def _graded(name):
    return getattr(graded, f"{name}_test")


def _failure(name, target):
    """Run the graded test of ``name`` on ``target`` and return its failure message."""
    with pytest.raises(GradedTestFailure) as info:
        _graded(name)(target)
    return str(info.value)


# ----------------------------------------------- learner-style implementations
# Written the way the notebook's learners write them (global np.random.seed, np.dot).


def learner_initialize_parameters(n_x, n_h, n_y):
    np.random.seed(1)
    W1 = np.random.randn(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h) * 0.01
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


def learner_initialize_parameters_deep(layer_dims, scale=None, key_shift=0, skip_last=False):
    np.random.seed(1)
    parameters = {}
    L = len(layer_dims)
    for l in range(1, L - 1 if skip_last else L):
        W = np.random.randn(layer_dims[l], layer_dims[l - 1])
        W = W * scale if scale is not None else W / np.sqrt(layer_dims[l - 1])
        parameters["W" + str(l - key_shift)] = W
        parameters["b" + str(l - key_shift)] = np.zeros((layer_dims[l], 1))
    return parameters


def learner_linear_activation_forward(A_prev, W, b, activation):
    Z = np.dot(W, A_prev) + b
    A = 1 / (1 + np.exp(-Z)) if activation == "sigmoid" else np.maximum(0, Z)
    return A, ((A_prev, W, b), Z)


def learner_L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A, cache = learner_linear_activation_forward(
            A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(cache)
    AL, cache = learner_linear_activation_forward(
        A, parameters["W" + str(L)], parameters["b" + str(L)], "sigmoid")
    caches.append(cache)
    return AL, caches


def learner_compute_cost(AL, Y):
    m = Y.shape[1]
    cost = -1 / m * (np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T))
    return np.squeeze(cost)


def learner_update_parameters(params, grads, learning_rate):
    parameters = copy.deepcopy(params)
    L = len(parameters) // 2
    for l in range(L):
        parameters["W" + str(l + 1)] = params["W" + str(l + 1)] - learning_rate * grads[
            "dW" + str(l + 1)]
        parameters["b" + str(l + 1)] = params["b" + str(l + 1)] - learning_rate * grads[
            "db" + str(l + 1)]
    return parameters


LEARNER_STYLE = {
    "initialize_parameters": learner_initialize_parameters,
    "initialize_parameters_deep": learner_initialize_parameters_deep,
    "linear_activation_forward": learner_linear_activation_forward,
    "L_model_forward": learner_L_model_forward,
    "compute_cost": learner_compute_cost,
    "update_parameters": learner_update_parameters,
}


@pytest.mark.parametrize("name", NAMES)
def test_reference_implementation_passes(name, capsys):
    _graded(name)(getattr(dnn_utils, name))
    assert capsys.readouterr().out == f"{name}_test: all tests passed.\n"


@pytest.mark.parametrize("name", sorted(LEARNER_STYLE))
def test_learner_style_implementation_passes(name, capsys):
    _graded(name)(LEARNER_STYLE[name])
    assert capsys.readouterr().out == f"{name}_test: all tests passed.\n"


def test_package_exports_every_test():
    for name in NAMES:
        assert callable(_graded(name))
        assert f"{name}_test" in graded.__all__


# ------------------------------------------------------------ broken versions


def _linear_backward_with(dW=None, db=None, dA_prev=None):
    """The reference linear_backward with some outputs computed another way."""
    def broken(dZ, cache):
        A_prev, W, b = cache
        m = A_prev.shape[1]
        good = dnn_utils.linear_backward(dZ, cache)
        return (dA_prev(dZ, A_prev, W, m) if dA_prev else good[0],
                dW(dZ, A_prev, W, m) if dW else good[1],
                db(dZ, A_prev, W, m) if db else good[2])
    return broken


def _activation_backward_with(derivative):
    """linear_activation_backward with dZ = derivative(dA, Z, activation)."""
    def broken(dA, cache, activation):
        linear_cache, Z = cache
        return dnn_utils.linear_backward(derivative(dA, Z, activation), linear_cache)
    return broken


def _sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def _true_dZ(dA, Z, activation):
    s = _sigmoid(Z)
    return dA * s * (1 - s) if activation == "sigmoid" else np.where(Z > 0, dA, 0.0)


def _relu_backward_in_place(dA, cache, activation):
    linear_cache, Z = cache
    if activation == "relu":
        dZ = dA  # not a copy: the next line writes into the caller's dA
        dZ[Z <= 0] = 0
    else:
        dZ = _true_dZ(dA, Z, activation)
    return dnn_utils.linear_backward(dZ, linear_cache)


def _unpacked_wrongly(dA, cache, activation):
    activation_cache, linear_cache = cache
    dZ = dnn_utils.relu_backward(dA, activation_cache)
    return dnn_utils.linear_backward(dZ, linear_cache)


def _model_backward(AL, Y, caches, sign=1.0, dA_shift=0, dW_shift=0, last="sigmoid"):
    grads = {}
    L = len(caches)
    dA = sign * -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    for l in reversed(range(1, L + 1)):
        dA, dW, db = dnn_utils.linear_activation_backward(
            dA, caches[l - 1], last if l == L else "relu")
        grads["dA" + str(l - 1 + dA_shift)] = dA
        grads["dW" + str(l - dW_shift)] = dW
        grads["db" + str(l - dW_shift)] = db
    return grads


def _update_in_place(parameters, grads, learning_rate):
    for l in range(1, len(parameters) // 2 + 1):
        parameters["W" + str(l)] -= learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] -= learning_rate * grads["db" + str(l)]
    return parameters


def _update_caller_dict(parameters, grads, learning_rate):
    for l in range(1, len(parameters) // 2 + 1):
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return parameters


def _update_with(step, layers=None):
    def broken(parameters, grads, learning_rate):
        new = dict(parameters)
        L = len(parameters) // 2
        for l in range(1, (layers or L) + 1):
            for p in "Wb":
                new[f"{p}{l}"] = step(parameters[f"{p}{l}"], grads[f"d{p}{l}"], learning_rate)
        return new
    return broken


def _model(initialize, update=True, fixed_rate=None, every_iteration=False, scale_X=False):
    """A learner's training loop over the dnn_utils blocks, with one optional mistake."""
    def train(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
        if scale_X:
            X /= 2
        parameters = initialize(layers_dims)
        costs = []
        for i in range(num_iterations):
            AL, caches = dnn_utils.L_model_forward(X, parameters)
            cost = dnn_utils.compute_cost(AL, Y)
            grads = dnn_utils.L_model_backward(AL, Y, caches)
            rate = fixed_rate or learning_rate
            new = dnn_utils.update_parameters(parameters, grads, rate)
            if update:
                parameters = new
            if every_iteration or i % 100 == 0:
                costs.append(cost)
        return parameters, costs
    return train


def _two_layer_init(dims):
    return dnn_utils.initialize_parameters(*dims)


def _deep_init(dims):
    return dnn_utils.initialize_parameters_deep(dims)


BROKEN = [
    # (graded test, broken implementation, substrings of the expected message)
    ("initialize_parameters",
     lambda n_x, n_h, n_y: {k: v * 100 if k[0] == "W" else v
                            for k, v in learner_initialize_parameters(n_x, n_h, n_y).items()},
     ["parameters['W1'] has the wrong values", "multiply the random weights by 0.01"]),
    ("initialize_parameters",
     lambda n_x, n_h, n_y: {k: v.ravel() if k[0] == "b" else v
                            for k, v in learner_initialize_parameters(n_x, n_h, n_y).items()},
     ["parameters['b1'] has shape (2,), expected (2, 1)", "np.zeros((n, 1))"]),
    ("initialize_parameters",
     lambda n_x, n_h, n_y: {"W1": np.random.randn(n_x, n_h) * 0.01, "b1": np.zeros((n_h, 1)),
                            "W2": np.random.randn(n_h, n_y) * 0.01, "b2": np.zeros((n_y, 1))},
     ["parameters['W1'] has shape (3, 2), expected (2, 3)", "transpose"]),
    ("initialize_parameters",
     lambda n_x, n_h, n_y: {"W1": np.random.randn(n_h, n_x) * 0.01, "b1": np.zeros((n_h, 1)),
                            "W2": np.random.randn(n_y, n_h) * 0.01, "b2": np.zeros((n_y, 1))},
     ["parameters['W1'] has the wrong values", "np.random.seed(1)"]),
    ("initialize_parameters_deep",
     lambda dims: learner_initialize_parameters_deep(dims, scale=0.01),
     ["its weights are drawn with randn(...) * 0.01, the course's convention",
      "/ np.sqrt(n[l-1])"]),
    ("initialize_parameters_deep",
     lambda dims: learner_initialize_parameters_deep(dims, scale=1.0),
     ["divide the random weights by np.sqrt(layer_dims[l-1])"]),
    ("initialize_parameters_deep",
     lambda dims: learner_initialize_parameters_deep(dims, key_shift=1),
     ["parameters has the wrong keys", "off by one"]),
    ("initialize_parameters_deep",
     lambda dims: learner_initialize_parameters_deep(dims, skip_last=True),
     ["missing ['W2', 'b2']"]),
    ("linear_forward", lambda A, W, b: np.dot(W, A) + b,
     ["returned an array of shape (1, 2), expected the tuple (Z, cache)", "return Z, cache"]),
    ("linear_forward", lambda A, W, b: (np.dot(W, A), (A, W, b)),
     ["Z has the wrong values", "[[ 3.26295337 -1.23429987]]", "forgot to add the bias"]),
    ("linear_forward", lambda A, W, b: (W @ A + b, (W, A, b)),
     ["cache holds (W, A, b), expected (A, W, b)"]),
    ("linear_activation_forward",
     lambda A_prev, W, b, activation: learner_linear_activation_forward(
         A_prev, W, b, {"relu": "sigmoid", "sigmoid": "relu"}[activation]),
     ["activation='sigmoid'", "your A is relu(Z)", "if/elif"]),
    ("linear_activation_forward",
     lambda A_prev, W, b, activation: (
         dnn_utils.sigmoid(W @ A_prev + b) if activation == "sigmoid"
         else dnn_utils.relu(W @ A_prev + b), ((A_prev, W, b), W @ A_prev + b)),
     ["A is a tuple of 2 values", "A, activation_cache = relu(Z)"]),
    ("linear_activation_forward",
     lambda A_prev, W, b, activation: (
         learner_linear_activation_forward(A_prev, W, b, activation)[0],
         (W @ A_prev + b, (A_prev, W, b))),
     ["holds (activation_cache, linear_cache)"]),
    ("linear_activation_forward",
     lambda A_prev, W, b, activation: (W @ A_prev + b, ((A_prev, W, b), W @ A_prev + b)),
     ["your A is Z itself"]),
    ("L_model_forward",
     lambda X, parameters: (learner_L_model_forward(X, parameters)[0],
                            learner_L_model_forward(X, parameters)[1][:-1]),
     ["caches has 2 entries, expected L = 3", "caches.append(cache) after the sigmoid layer"]),
    ("L_model_forward",
     lambda X, p: (slips.forward_with(X, p, "relu", "relu"), learner_L_model_forward(X, p)[1]),
     ["AL has the wrong values", "the output layer L uses 'sigmoid'"]),
    ("L_model_forward",
     lambda X, p: (learner_L_model_forward(X, p)[0],
                   [(c[1], c[0]) for c in learner_L_model_forward(X, p)[1]]),
     ["caches[0] (layer 1) holds (activation_cache, linear_cache)"]),
    ("compute_cost", lambda AL, Y: learner_compute_cost(AL, Y) * Y.shape[1],
     ["cost has the wrong value", "expected: 0.2797765635793422", "m = 3 times too large"]),
    ("compute_cost", lambda AL, Y: -np.dot(Y, np.log(AL).T) / Y.shape[1],
     ["array of shape (1, 1)", "np.squeeze(cost)"]),
    ("compute_cost", lambda AL, Y: float(-np.sum(Y * np.log(AL)) / Y.shape[1]),
     ["left out the second term"]),
    ("compute_cost", lambda AL, Y: -learner_compute_cost(AL, Y), ["opposite sign"]),
    ("linear_backward", _linear_backward_with(dW=lambda dZ, A, W, m: dZ @ A.T),
     ["dW has the wrong values", "m = 4 times too large"]),
    ("linear_backward", _linear_backward_with(db=lambda dZ, A, W, m: np.sum(dZ, axis=1) / m),
     ["db has shape (3,), expected (3, 1)", "keepdims=True"]),
    ("linear_backward",
     _linear_backward_with(db=lambda dZ, A, W, m: np.sum(dZ, axis=0, keepdims=True) / m),
     ["db has shape (1, 4), expected (3, 1)", "axis=1"]),
    ("linear_backward", _linear_backward_with(dW=lambda dZ, A, W, m: A @ dZ.T / m),
     ["dW has shape (5, 3), expected (3, 5)", "not A_prev @ dZ.T"]),
    ("linear_backward", _linear_backward_with(dA_prev=lambda dZ, A, W, m: np.dot(W, dZ)),
     ["linear_backward raised ValueError", "np.dot(W, dZ)", "missing transpose"]),
    ("linear_backward", lambda dZ, cache: dnn_utils.linear_backward(dZ, cache)[1:],
     ["returned a tuple of 2 values, expected 3: (dA_prev, dW, db)"]),
    ("linear_activation_backward",
     _activation_backward_with(
         lambda dA, Z, a: _true_dZ(dA, Z, {"relu": "sigmoid", "sigmoid": "relu"}[a])),
     ["activation='sigmoid'", "use sigmoid_backward(dA, activation_cache), not relu_backward"]),
    ("linear_activation_backward",
     _activation_backward_with(
         lambda dA, Z, a: dA * _sigmoid(Z) if a == "sigmoid" else _true_dZ(dA, Z, a)),
     ["dZ has the wrong values", "not by its derivative s * (1 - s)"]),
    ("linear_activation_backward",
     _activation_backward_with(
         lambda dA, Z, a: dA * (1 - _sigmoid(Z)) if a == "sigmoid" else _true_dZ(dA, Z, a)),
     ["dZ has the wrong values", "the sigmoid's derivative is s * (1 - s)"]),
    ("linear_activation_backward",
     _activation_backward_with(
         lambda dA, Z, a: np.where(dA > 0, dA, 0.0) if a == "relu" else _true_dZ(dA, Z, a)),
     ["activation='relu'", "depends on Z (the activation cache), not on dA"]),
    ("linear_activation_backward", _relu_backward_in_place,
     ["changed its input dA", "np.array(dA, copy=True)"]),
    ("linear_activation_backward", _unpacked_wrongly,
     ["linear_activation_backward raised", "linear_cache, activation_cache = cache"]),
    ("L_model_backward", lambda AL, Y, caches: _model_backward(AL, Y, caches, sign=-1.0),
     ["grads['dA1'] has the wrong values", "check the sign of dAL"]),
    ("L_model_backward", lambda AL, Y, caches: _model_backward(AL, Y, caches, dA_shift=1),
     ["grads holds dA1, ..., dA2", "the course's older template", "grads['dA' + str(l - 1)]"]),
    ("L_model_backward", lambda AL, Y, caches: _model_backward(AL, Y, caches, dW_shift=1),
     ["grads has the wrong keys", "your dW keys are off by one"]),
    ("L_model_backward", lambda AL, Y, caches: _model_backward(AL, Y, caches, last="relu"),
     ["the output layer L goes back through 'sigmoid'"]),
    ("update_parameters", _update_in_place,
     ["changed its input parameters['W1']: its values were changed in place", "copy.deepcopy"]),
    ("update_parameters", _update_caller_dict,
     ["changed its input parameters['W1']: this entry of the caller's dict was replaced",
      "as the course's older update_parameters does", "copy.deepcopy"]),
    ("update_parameters", _update_with(lambda p, g, lr: p + lr * g),
     ["parameters['W1'] has the wrong values", "steps against the gradient"]),
    ("update_parameters", _update_with(lambda p, g, lr: p - g),
     ["multiply the gradient by the learning rate"]),
    ("update_parameters", _update_with(lambda p, g, lr: p - lr * g, layers=1),
     ["parameters['W2'] was not updated"]),
    ("two_layer_model", _model(_two_layer_init, update=False),
     ["costs has the wrong values", "parameters = update_parameters("]),
    ("two_layer_model", _model(_two_layer_init, fixed_rate=0.0075),
     ["pass learning_rate on to update_parameters"]),
    ("two_layer_model", _model(_two_layer_init, every_iteration=True),
     ["costs has 201 entries after 201 iterations, expected 3", "i % 100 == 0"]),
    ("two_layer_model", _model(_deep_init),
     ["initializes with initialize_parameters(n_x, n_h, n_y)"]),
    ("two_layer_model", _model(_two_layer_init, scale_X=True),
     ["changed its input X: its values were changed in place"]),
    ("L_layer_model", _model(_deep_init, update=False),
     ["the cost never changes: the parameters are not updated"]),
    ("L_layer_model", _model(_deep_init, fixed_rate=0.0075),
     ["pass learning_rate on to update_parameters"]),
]


@pytest.mark.parametrize(
    "name, broken, expected", BROKEN,
    ids=[f"{name}-{i}" for i, (name, _, _) in enumerate(BROKEN)],
)
def test_broken_implementation_gets_its_hint(name, broken, expected, capsys):
    message = _failure(name, broken)
    for text in expected:
        assert text in message, f"{text!r} not in:\n{message}"
    assert message.startswith(name)
    assert "all tests passed" not in capsys.readouterr().out


# ------------------------------------------------------------- generic failures


def _not_implemented(*args, **kwargs):
    raise NotImplementedError


def _returns_nothing(*args, **kwargs):
    pass


@pytest.mark.parametrize("name", NAMES)
def test_unimplemented_function(name):
    message = _failure(name, _not_implemented)
    # One line that fits JupyterLab's output area (tests/test_see_result.py).
    assert message.startswith(f"{name} is not implemented yet")
    assert "\n" not in message and len(message) <= 72 and "write it above" in message


@pytest.mark.parametrize("name", NAMES)
def test_a_function_that_returns_none_is_asked_about_return(name):
    message = _failure(name, _returns_nothing)
    assert message.startswith(f"{name}: returned None: did you forget `return`?")
    assert "not implemented" not in message


def test_error_inside_names_function_error_and_line():
    def linear_forward_int(A, W, b):
        m = int(A.shape[1]) * 0
        scale = 1 / m
        return scale * (W @ A + b), (A, W, b)

    message = _failure("linear_forward", linear_forward_int)
    assert message.startswith("linear_forward raised ZeroDivisionError: division by zero")
    assert "of linear_forward_int: scale = 1 / m" in message
    assert "Hint: a division by zero: m is the number of examples" in message


def test_key_error_gets_the_key_names():
    def L_model_forward(X, parameters):
        return learner_L_model_forward(X, {k.lower(): v for k, v in parameters.items()})

    message = _failure("L_model_forward", L_model_forward)
    assert "L_model_forward raised KeyError: 'W1'" in message
    assert "'W' + str(l)" in message


def test_error_in_dnn_utils_points_at_the_learners_line():
    def linear_activation_forward(A_prev, W, b, activation):
        A, cache = dnn_utils.linear_activation_forward(A_prev, W.T, b, activation)
        return A, cache

    message = _failure("linear_activation_forward", linear_activation_forward)
    assert "linear_activation_forward raised ValueError" in message
    assert "dnn_utils.linear_activation_forward(A_prev, W.T, b, activation)" in message


@pytest.mark.parametrize("value", [(np.ones((1, 2)), ()), None, 3.0])
def test_non_callable_target(value):
    message = _failure("linear_forward", value)
    assert "linear_forward_test expects the function linear_forward itself" in message
    assert "without parentheses" in message


@pytest.mark.parametrize("name, target", [
    ("initialize_parameters", learner_initialize_parameters),
    ("initialize_parameters_deep", learner_initialize_parameters_deep),
    ("initialize_parameters", lambda *dims: {"W1": np.random.randn(2, 2)}),
])
def test_global_random_state_is_left_alone(name, target):
    np.random.seed(12345)
    before = np.random.get_state()
    try:
        _graded(name)(target)
    except GradedTestFailure:
        pass
    after = np.random.get_state()
    assert after[0] == before[0] and np.array_equal(after[1], before[1])
    assert after[2:] == before[2:]


def test_graded_tests_do_not_change_their_fixed_inputs():
    # Mutating learners get copies: a second run of a passing test still passes.
    with pytest.raises(GradedTestFailure):
        graded.update_parameters_test(_update_in_place)
    graded.update_parameters_test(dnn_utils.update_parameters)


# ------------------------------------------------------- published values


def test_cases_reproduce_the_published_values():
    A, W, b = next(cases.linear_forward_cases())
    np.testing.assert_allclose(dnn_utils.linear_forward(A, W, b)[0],
                               [[3.26295337, -1.23429987]], atol=1e-8)
    AL, Y = next(cases.cost_cases())
    assert dnn_utils.compute_cost(AL, Y) == pytest.approx(0.27977656, abs=1e-8)
    A_prev, W, b = next(cases.layer_cases())
    np.testing.assert_allclose(dnn_utils.linear_activation_forward(A_prev, W, b, "sigmoid")[0],
                               [[0.96890023, 0.11013289]], atol=1e-8)
    np.testing.assert_allclose(dnn_utils.linear_activation_forward(A_prev, W, b, "relu")[0],
                               [[3.43896131, 0.0]], atol=1e-8)
    X, parameters = next(cases.network_cases())
    np.testing.assert_allclose(dnn_utils.L_model_forward(X, parameters)[0],
                               [[0.03921668, 0.70498921, 0.19734387, 0.04728177]], atol=1e-8)
    dZ, A_prev, W, b = list(cases.linear_backward_cases())[1]
    dA_prev, dW, db = dnn_utils.linear_backward(dZ, (A_prev, W, b))
    np.testing.assert_allclose(dA_prev, [[0.51822968, -0.19517421], [-0.40506361, 0.15255393],
                                         [2.37496825, -0.89445391]], atol=1e-8)
    np.testing.assert_allclose(dW, [[-0.10076895, 1.40685096, 1.64992505]], atol=1e-8)
    np.testing.assert_allclose(db, [[0.50629448]], atol=1e-8)
    dA, A_prev, W, b, Z = next(cases.activation_backward_cases())
    dA_prev, dW, db = dnn_utils.linear_activation_backward(dA, ((A_prev, W, b), Z), "relu")
    np.testing.assert_allclose(dW, [[0.44513824, 0.37371418, -0.10478989]], atol=1e-8)
    np.testing.assert_allclose(db, [[-0.20837892]], atol=1e-8)
    parameters, grads, rate = next(cases.update_cases())
    new = dnn_utils.update_parameters(parameters, grads, rate)
    np.testing.assert_allclose(new["W2"], [[-0.55569196, 0.0354055, 1.32964895]], atol=1e-8)
    np.testing.assert_allclose(new["b2"], [[-0.84610769]], atol=1e-8)
    new = learner_initialize_parameters(3, 2, 1)
    np.testing.assert_allclose(new["W1"], [[0.01624345, -0.00611756, -0.00528172],
                                           [-0.01072969, 0.00865408, -0.02301539]], atol=1e-8)
    np.testing.assert_allclose(new["W2"], [[0.01744812, -0.00761207]], atol=1e-8)


# ------------------------------------------------------------ message helpers


def test_large_arrays_show_first_entries_and_largest_difference():
    expected = np.arange(40.0).reshape(4, 10)
    got = expected.copy()
    got[2, 3] += 0.5
    with pytest.raises(GradedTestFailure) as info:
        feedback.expect_array("f", "A", got, expected)
    message = str(info.value)
    assert "first entries expected: [0. 1. 2. 3.]" in message
    assert "largest difference |got - expected| = 0.5 at index (2, 3)" in message


def test_values_within_tolerance_pass():
    expected = np.array([[1.0, -2.0]])
    feedback.expect_array("f", "A", expected * (1 + 1e-9), expected)
    feedback.expect_scalar("f", "cost", np.float64(0.5 + 1e-10), 0.5)


def test_failure_is_an_assertion_error():
    assert issubclass(GradedTestFailure, AssertionError)


# ------------------------------------------------------------------- IPython


def test_failure_renders_as_its_message_for_ipython():
    # IPython's documented hook: the lines shown instead of a traceback.
    error = GradedTestFailure("linear_forward: Z has the wrong values.")
    assert error._render_traceback_() == ["linear_forward: Z has the wrong values."]


def test_the_package_installs_no_ipython_handler():
    assert not hasattr(feedback, "install_ipython_handler")
    for module in ("failure", "calling", "comparing", "hints", "tolerance", "feedback"):
        text = (Path(dnn_utils.__file__).parent / "graded" / f"{module}.py").read_text()
        assert "_showtraceback" not in text and "set_custom_exc" not in text


def test_real_ipython_shows_message_without_traceback():
    ipython = Path(sys.executable).with_name("ipython")
    if not ipython.exists():
        pytest.skip("ipython is not installed")
    code = ("from dnn_utils import graded\n"
            "def linear_forward(A, W, b):\n"
            "    raise NotImplementedError\n"
            "graded.linear_forward_test(linear_forward)\n")
    result = subprocess.run(
        [str(ipython), "--colors=NoColor", "--no-banner", "--quick", "-c", code],
        capture_output=True, text=True, timeout=120,
    )
    output = result.stdout + result.stderr
    assert "linear_forward is not implemented yet" in output
    assert "Traceback" not in output and "feedback.py" not in output


# ------------------------------------------- hints that must not point elsewhere

def test_an_added_transpose_is_not_called_a_missing_one():
    def linear_forward(A, W, b):
        Z = W.T @ A + b
        return Z, (A, W, b)

    message = _failure("linear_forward", linear_forward)
    assert message.startswith("linear_forward raised ValueError: matmul")
    assert " of linear_forward: Z = W.T @ A + b" in message
    assert "missing transpose" not in message
    assert "on a line that transposes: check that each .T belongs there" in message


def test_a_1d_bias_at_initialization_is_told_about_np_zeros_not_np_sum():
    def initialize_parameters(n_x, n_h, n_y):
        parameters = learner_initialize_parameters(n_x, n_h, n_y)
        parameters["b1"] = np.zeros(n_h)
        return parameters

    with pytest.raises(GradedTestFailure) as info:
        graded.initialize_parameters_test(initialize_parameters)
    message = str(info.value)
    assert message.startswith("initialize_parameters: parameters['b1'] has shape (2,), "
                              "expected (2, 1).")
    assert "np.zeros((n, 1)), with two pairs of parentheses" in message
    assert "np.sum" not in message and "keepdims" not in message
    assert info.value.mistake == "b-not-a-column"
