"""Graded tests of the building blocks of notebook 02, one ``<name>_test`` per exercise.

Each test runs the learner's function on fixed-seed inputs (drawn from private
``RandomState`` generators, so the learner's global random state is left alone),
and compares with the reference implementation in :mod:`dnn_utils`, the single
source of truth. The first case of each test is the one whose expected output
is printed in the notebook. Known wrong results are computed from the same
inputs so that a matching mistake gets its own hint.
"""

import numpy as np

from ..activations import ACTIVATIONS, layer_activation, relu_backward, sigmoid, sigmoid_backward
from ..backward import (
    L_model_backward,
    linear_activation_backward,
    linear_backward,
    output_gradient,
)
from ..cost import compute_cost
from ..forward import L_model_forward, linear_activation_forward, linear_forward
from ..update import update_parameters
from .diagnosis import backward_cache_offset_hint, rehint
from .failure import GradedTestFailure
from .feedback import (
    call,
    expect_activation_cache,
    expect_array,
    expect_keys,
    expect_linear_cache,
    expect_scalar,
    expect_tuple,
    fail,
    graded_test,
    named,
)

_OTHER = {"relu": "sigmoid", "sigmoid": "relu"}


def _activation_output(forward):
    """``g(Z) -> A`` from an activation's ``forward(Z) -> (A, cache)``."""
    return lambda Z: forward(Z, check=False)[0]


_G = {name: _activation_output(activation.forward) for name, activation in ACTIVATIONS.items()}


def _product(a, b):
    """a @ b, or None when the shapes do not allow it (for wrong results)."""
    return a @ b if a.shape[1] == b.shape[0] else None


def _draw(seed, *shapes):
    """Standard normal arrays drawn in order, as after ``np.random.seed(seed)``."""
    rng = np.random.RandomState(seed)
    return [rng.randn(*shape) for shape in shapes]


def _random_parameters(seed, layer_dims):
    rng = np.random.RandomState(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = rng.randn(layer_dims[l], layer_dims[l - 1])
        parameters[f"b{l}"] = rng.randn(layer_dims[l], 1)
    return parameters


# ------------------------------------------------------------------ forward


def _linear_forward_cases():
    yield _draw(1, (3, 2), (1, 3), (1, 1))  # the notebook's case
    yield _draw(2, (4, 5), (3, 4), (3, 1))


@graded_test("linear_forward")
def linear_forward_test(target):
    """Graded test of ``linear_forward(A, W, b)`` -> ``(Z, cache)``."""
    name = "linear_forward"
    for A, W, b in _linear_forward_cases():
        got = call(target, name, A, W, b)
        Z, cache = expect_tuple(name, got, ("Z", "cache"))
        expect_array(name, "Z", Z, linear_forward(A, W, b)[0],
                     wrong=[(W @ A, named("missing-bias", "you forgot to add the bias: Z = W @ A + b.")),
                            (W @ A - b, named("bias-subtracted", "add the bias b, do not subtract it."))])
        expect_linear_cache(name, "cache", cache, (A, W, b), labels=("A", "W", "b"))


def _layer_cases():
    yield _draw(2, (3, 2), (1, 3), (1, 1))  # the notebook's case
    yield _draw(3, (4, 5), (3, 4), (3, 1))


@graded_test("linear_activation_forward")
def linear_activation_forward_test(target):
    """Graded test of ``linear_activation_forward(A_prev, W, b, activation)``."""
    name = "linear_activation_forward"
    for A_prev, W, b in _layer_cases():
        Z = W @ A_prev + b
        for activation in ("sigmoid", "relu"):
            where = f"{name} (activation={activation!r})"
            got = call(target, name, A_prev, W, b, activation)
            A, cache = expect_tuple(where, got, ("A", "cache"))
            expected = linear_activation_forward(A_prev, W, b, activation)[0]
            other = _OTHER[activation]
            expect_array(where, "A", A, expected, wrong=[
                (_G[other](Z), named("wrong-activation", f"your A is {other}(Z): with activation == '{activation}' "
                               f"use {activation}(Z). Check the strings of your if/elif.")),
                (Z, named("no-activation", f"your A is Z itself: apply the activation, "
                    f"A, activation_cache = {activation}(Z).")),
            ])
            expect_activation_cache(where, "cache", cache, (A_prev, W, b), Z)


def _forward_with(X, parameters, hidden, output):
    """AL of the network with the given activation names (to build wrong results)."""
    L = len(parameters) // 2
    A = X
    for l in range(1, L + 1):
        A = _G[layer_activation(l, L, hidden, output)](
            parameters[f"W{l}"] @ A + parameters[f"b{l}"])
    return A


def _network_cases():
    # The notebook's case: X (5, 4), then layers of 4, 3 and 1 units, all from seed 6.
    rng = np.random.RandomState(6)
    X = rng.randn(5, 4)
    parameters = {}
    for l, (n, n_prev) in enumerate([(4, 5), (3, 4), (1, 3)], start=1):
        parameters[f"W{l}"] = rng.randn(n, n_prev)
        parameters[f"b{l}"] = rng.randn(n, 1)
    yield X, parameters
    yield _draw(7, (3, 5))[0], _random_parameters(8, [3, 4, 1])
    yield _draw(9, (6, 3))[0], _random_parameters(10, [6, 5, 4, 3, 1])


@graded_test("L_model_forward")
def L_model_forward_test(target):
    """Graded test of ``L_model_forward(X, parameters)`` -> ``(AL, caches)``."""
    name = "L_model_forward"
    for X, parameters in _network_cases():
        L = len(parameters) // 2
        got = call(target, name, X, parameters)
        AL, caches = expect_tuple(name, got, ("AL", "caches"))
        AL_expected, caches_expected = L_model_forward(X, parameters)
        expect_array(name, "AL", AL, AL_expected, wrong=[
            (_forward_with(X, parameters, "relu", "relu"),
             named("relu-output", "the output layer L uses 'sigmoid', not 'relu'.")),
            (_forward_with(X, parameters, "sigmoid", "sigmoid"),
             named("sigmoid-hidden", "the hidden layers 1..L-1 use 'relu', only the output layer uses 'sigmoid'.")),
        ])
        if not isinstance(caches, (list, tuple)):
            fail(name, f"caches is a {type(caches).__name__}, expected a list of L = {L} "
                 "caches, one per layer.", hint="start with caches = [] and "
                 "caches.append(cache) once per layer.")
        if len(caches) != L:
            fail(name, f"caches has {len(caches)} entries, expected L = {L}, one per layer.",
                 hint="append the cache of every layer, the output layer's too: "
                 "caches.append(cache) after the sigmoid layer, and once per hidden layer.")
        for l, (cache, expected) in enumerate(zip(caches, caches_expected), start=1):
            (A_prev, W, b), Z = expected
            expect_activation_cache(name, f"caches[{l - 1}] (layer {l})", cache,
                                    (A_prev, W, b), Z)


# --------------------------------------------------------------------- cost


def _cost_cases():
    yield np.array([[0.8, 0.9, 0.4]]), np.array([[1, 1, 0]])  # the notebook's case
    rng = np.random.RandomState(11)
    AL = rng.uniform(0.05, 0.95, size=(1, 6))
    Y = np.array([[1.0, 0.0, 1.0, 1.0, 0.0, 0.0]])
    yield AL, Y


@graded_test("compute_cost")
def compute_cost_test(target):
    """Graded test of ``compute_cost(AL, Y)`` -> a number."""
    name = "compute_cost"
    for AL, Y in _cost_cases():
        m = Y.shape[1]
        got = call(target, name, AL, Y)
        first = -np.sum(Y * np.log(AL)) / m
        second = -np.sum((1 - Y) * np.log(1 - AL)) / m
        expect_scalar(name, "cost", got, compute_cost(AL, Y), m=m, wrong=[
            (first, named("missing-second-term", "you left out the second term, (1 - Y) * log(1 - AL).")),
            (second, named("missing-first-term", "you left out the first term, Y * log(AL).")),
            ((first + second) / np.log(10), named("log10", "use the natural logarithm np.log, not np.log10.")),
        ])


# ----------------------------------------------------------------- backward


def _linear_backward_cases():
    yield _draw(1, (3, 4), (5, 4), (3, 5), (3, 1))  # the notebook's case: dZ, A_prev, W, b
    yield _draw(1, (1, 2), (3, 2), (1, 3), (1, 1))
    # All square, so that a missing transpose gives wrong values instead of an error.
    yield _draw(4, (3, 3), (3, 3), (3, 3), (3, 1))


def _check_gradients(name, got, expected, m, wrong=()):
    """Check the tuple (dA_prev, dW, db) against ``expected``; ``wrong`` are tuples too."""
    got = expect_tuple(name, got, ("dA_prev", "dW", "db"))
    for i, var in enumerate(("dA_prev", "dW", "db")):
        expect_array(name, var, got[i], expected[i], m=m,
                     wrong=[(w[i], hint) for w, hint in wrong])


@graded_test("linear_backward")
def linear_backward_test(target):
    """Graded test of ``linear_backward(dZ, cache)`` -> ``(dA_prev, dW, db)``."""
    name = "linear_backward"
    for dZ, A_prev, W, b in _linear_backward_cases():
        m = A_prev.shape[1]
        got = call(target, name, dZ, (A_prev, W, b))
        dA_prev, dW, db = linear_backward(dZ, (A_prev, W, b))
        got = expect_tuple(name, got, ("dA_prev", "dW", "db"))
        expect_array(name, "dA_prev", got[0], dA_prev, m=m, wrong=[
            (_product(W, dZ), named("W-not-transposed", "dA_prev = W.T @ dZ: transpose W.")),
        ])
        expect_array(name, "dW", got[1], dW, m=m, wrong=[
            (_product(dZ, A_prev / m), named("A_prev-not-transposed", "dW = dZ @ A_prev.T / m: transpose A_prev.")),
            (A_prev @ dZ.T / m, named("dW-factors-swapped", "dW = dZ @ A_prev.T / m, not A_prev @ dZ.T.")),
        ])
        expect_array(name, "db", got[2], db, m=m, wrong=[
            (np.sum(dZ, axis=0, keepdims=True) / m,
             named("db-axis", "db sums dZ over the examples, the columns: np.sum(dZ, axis=1, keepdims=True).")),
        ])


def _activation_backward_cases():
    yield _draw(2, (1, 2), (3, 2), (1, 3), (1, 1), (1, 2))  # the notebook's case
    yield _draw(5, (3, 4), (5, 4), (3, 5), (3, 1), (3, 4))


def _wrong_dZ(dA, Z, activation):
    """Wrong dZ that learners often compute, each with its hint."""
    s, _ = sigmoid(Z, check=False)
    other = _OTHER[activation]
    wrong = [
        ((sigmoid_backward if other == "sigmoid" else relu_backward)(dA, Z),
         named("wrong-activation-backward", f"with activation == '{activation}' use {activation}_backward(dA, activation_cache), "
         f"not {other}_backward. Check the strings of your if/elif.")),
        (dA, named("no-activation-derivative", f"you skipped the activation's derivative: "
             f"dZ = {activation}_backward(dA, activation_cache).")),
    ]
    if activation == "sigmoid":
        wrong += [
            (dA * s, named("sigmoid-derivative", "the sigmoid's derivative is s * (1 - s): dZ = dA * s * (1 - s), "
                     "or use sigmoid_backward(dA, activation_cache).")),
            (dA * (1 - s), named("sigmoid-derivative", "the sigmoid's derivative is s * (1 - s): dZ = dA * s * (1 - s), "
                           "or use sigmoid_backward(dA, activation_cache).")),
        ]
    else:
        wrong.append((np.where(dA > 0, dA, 0.0),
                      named("relu-derivative-of-dA", "ReLU's derivative depends on Z (the activation cache), not on dA: dZ "
                      "is dA where Z > 0 and 0 elsewhere; use relu_backward(dA, "
                      "activation_cache).")))
    return wrong


@graded_test("linear_activation_backward")
def linear_activation_backward_test(target):
    """Graded test of ``linear_activation_backward(dA, cache, activation)``."""
    name = "linear_activation_backward"
    for dA, A_prev, W, b, Z in _activation_backward_cases():
        cache = ((A_prev, W, b), Z)
        m = A_prev.shape[1]
        for activation in ("sigmoid", "relu"):
            where = f"{name} (activation={activation!r})"
            got = call(target, name, dA, cache, activation)
            expected = linear_activation_backward(dA, cache, activation)
            wrong = [(linear_backward(dZ, (A_prev, W, b)), hint)
                     for dZ, hint in _wrong_dZ(dA, Z, activation)]
            _check_gradients(where, got, expected, m, wrong)


def _backward_cases():
    for seed, layer_dims, m in ((12, [4, 3, 1], 3), (13, [5, 4, 3, 1], 4)):
        parameters = _random_parameters(seed, layer_dims)
        rng = np.random.RandomState(seed + 100)
        X = rng.randn(layer_dims[0], m)
        Y = (rng.rand(1, m) > 0.5).astype(float)
        Y[0, :2] = [1.0, 0.0]  # both labels present
        AL, caches = L_model_forward(X, parameters)
        yield AL, Y, caches


def _backward_with(AL, Y, caches, hidden, output, sign=1.0):
    """grads with the given activations and sign of dAL (to build wrong results)."""
    grads = {}
    L = len(caches)
    dA = sign * output_gradient(AL, Y)
    for l in range(L, 0, -1):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(
            dA, caches[l - 1], layer_activation(l, L, hidden, output))
        grads[f"dA{l - 1}"] = dA
    return grads


@graded_test("L_model_backward")
def L_model_backward_test(target):
    """Graded test of ``L_model_backward(AL, Y, caches)`` -> ``grads``."""
    name = "L_model_backward"
    for AL, Y, caches in _backward_cases():
        L = len(caches)
        m = Y.shape[1]
        try:
            got = call(target, name, AL, Y, caches)
        except GradedTestFailure as failure:  # caches[l] for layer l: a shape error
            hint = backward_cache_offset_hint(failure)
            raise (rehint(failure, hint) if hint else failure) from None
        expected = L_model_backward(AL, Y, caches)
        expect_keys(name, "grads", got, expected, hint=(
            f"grads holds exactly dA0..dA{L - 1}, dW1..dW{L} and db1..db{L}; dAL itself "
            "is not stored."))
        wrong = [
            (_backward_with(AL, Y, caches, "relu", "sigmoid", sign=-1.0),
             named("dAL-sign", "check the sign of dAL: dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL)).")),
            (_backward_with(AL, Y, caches, "relu", "relu"),
             named("relu-output", "the output layer L goes back through 'sigmoid', the hidden layers through "
             "'relu'.")),
            (_backward_with(AL, Y, caches, "sigmoid", "sigmoid"),
             named("sigmoid-hidden", "only the output layer uses 'sigmoid'; the hidden layers 1..L-1 use 'relu'.")),
        ]
        # From the output layer down, so the first mismatch is nearest its cause.
        for l in range(L, 0, -1):
            for key in (f"dA{l - 1}", f"dW{l}", f"db{l}"):
                expect_array(name, f"grads['{key}']", got[key], expected[key], m=m,
                             wrong=[(w[key], hint) for w, hint in wrong])


# ------------------------------------------------------------------- update


def _update_cases():
    # The notebook's case: parameters from seed 2, gradients from seed 3.
    rng = np.random.RandomState(2)
    parameters = {"W1": rng.randn(3, 4), "b1": rng.randn(3, 1),
                  "W2": rng.randn(1, 3), "b2": rng.randn(1, 1)}
    rng = np.random.RandomState(3)
    grads = {"dW1": rng.randn(3, 4), "db1": rng.randn(3, 1),
             "dW2": rng.randn(1, 3), "db2": rng.randn(1, 1)}
    yield parameters, grads, 0.1
    parameters = _random_parameters(14, [4, 3, 2, 1])
    grads = {f"d{k}": v for k, v in _random_parameters(15, [4, 3, 2, 1]).items()}
    grads.update({f"dA{l}": np.ones((n, 2)) for l, n in enumerate([4, 3, 2])})
    yield parameters, grads, 0.5


@graded_test("update_parameters")
def update_parameters_test(target):
    """Graded test of ``update_parameters(parameters, grads, learning_rate)``."""
    name = "update_parameters"
    for parameters, grads, learning_rate in _update_cases():
        got = call(target, name, parameters, grads, learning_rate)
        expected = update_parameters(parameters, grads, learning_rate)
        expect_keys(name, "the returned parameters", got, expected)
        for key in expected:
            old, g = parameters[key], grads[f"d{key}"]
            expect_array(name, f"parameters['{key}']", got[key], expected[key], wrong=[
                (old + learning_rate * g, named("gradient-ascent", "gradient descent steps against the gradient: "
                                          f"{key} = {key} - learning_rate * d{key}.")),
                (old - g, named("no-learning-rate", f"multiply the gradient by the learning rate: "
                          f"{key} = {key} - learning_rate * d{key}.")),
                (old, named("not-updated", f"parameters['{key}'] was not updated: does your loop reach every "
                      "layer l = 1..L (with `for l in range(L)`, use l + 1), and update both "
                      "W and b?")),
            ])
