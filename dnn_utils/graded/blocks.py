"""Graded tests of notebook 02's forward blocks and cost, one ``<name>_test`` per exercise.

Each test runs the learner's function on fixed-seed inputs (:mod:`.cases`) and compares
with the reference implementation in :mod:`dnn_utils`, the single source of truth.
Known wrong results are computed from the same inputs (:mod:`.slips`) so that a matching
mistake gets its own hint. The backward blocks are in :mod:`.backward_blocks`, the
update in :mod:`.updating`.
"""

import numpy as np

from ..cost import compute_cost
from ..forward import L_model_forward, linear_activation_forward, linear_forward
from .cases import cost_cases, layer_cases, linear_forward_cases, network_cases
from .failure import GradedTestFailure
from .feedback import (
    attempt,
    call,
    expect_activation_cache,
    expect_array,
    expect_linear_cache,
    expect_scalar,
    expect_tuple,
    fail,
    graded_test,
    named,
)
from .orders import same_value
from .slips import activation_output, forward_feeding_X, forward_with, square_network

_OTHER = {"relu": "sigmoid", "sigmoid": "relu"}


@graded_test("linear_forward", arguments=("A", "W", "b"))
def linear_forward_test(target):
    """Graded test of ``linear_forward(A, W, b)`` -> ``(Z, cache)``."""
    name = "linear_forward"
    for A, W, b in linear_forward_cases():
        got = call(target, name, A, W, b)
        expected = linear_forward(A, W, b)
        Z, cache = expect_tuple(name, got, ("Z", "cache"), expected)
        expect_array(name, "Z", Z, expected[0], wrong=[
            (W @ A, named("missing-bias", "you forgot to add the bias: Z = W @ A + b.")),
            (W @ A - b, named("bias-subtracted", "add the bias b, do not subtract it."))])
        expect_linear_cache(name, "cache", cache, (A, W, b), labels=("A", "W", "b"))


@graded_test("linear_activation_forward", arguments=("A_prev", "W", "b", "activation"))
def linear_activation_forward_test(target):
    """Graded test of ``linear_activation_forward(A_prev, W, b, activation)``."""
    name = "linear_activation_forward"
    for A_prev, W, b in layer_cases():
        Z = W @ A_prev + b
        for activation in ("sigmoid", "relu"):
            where = f"{name} (activation={activation!r})"
            got = call(target, name, A_prev, W, b, activation)
            expected = linear_activation_forward(A_prev, W, b, activation)
            A, cache = expect_tuple(where, got, ("A", "cache"), expected)
            other = _OTHER[activation]
            expect_array(where, "A", A, expected[0], wrong=[
                (activation_output(other)(Z), named(
                    "wrong-activation", f"your A is {other}(Z): with activation == "
                    f"'{activation}' use {activation}(Z). Check the strings of your if/elif.")),
                (Z, named("no-activation", "your A is Z itself: apply the activation, "
                          f"A, activation_cache = {activation}(Z).")),
            ])
            expect_activation_cache(where, "cache", cache, (A_prev, W, b), Z)


def _expect_A_prev_fed(name, target):
    """Run the learner's function on a network where X fits every layer; fail if its
    layers were fed X instead of the previous layer's A."""
    X, parameters = square_network()
    got = attempt(target, X, parameters)
    if not isinstance(got, (tuple, list)) or not got:
        return
    if any(same_value(got[0], AL) for AL in forward_feeding_X(X, parameters)):
        fail(name, "every hidden layer gets X as its input; layer l's input is A[l-1], the "
             "previous layer's output. (Seen on a network where X fits every layer's W: "
             "there your AL is exactly that of this slip.)",
             hint=named("X-to-every-layer", "only layer 1 gets X (A = X before the loop); "
                        "in the loop, A_prev = A, then linear_activation_forward(A_prev, "
                        "W, b, 'relu'), and the output layer gets the last A."))


def _cache_layers(caches, expected):
    """For each entry of the learner's ``caches``, the layer (1..L) whose cache it is,
    or None."""
    return [next((l for l, want in enumerate(expected, start=1) if same_value(cache, want)),
                 None) for cache in caches]


def _expect_cache_count(name, caches, expected):
    """Fail when ``caches`` does not hold one cache per layer, saying which is extra or
    missing."""
    L = len(expected)
    if not isinstance(caches, (list, tuple)):
        fail(name, f"caches is a {type(caches).__name__}, expected a list of L = {L} "
             "caches, one per layer.", hint="start with caches = [] and "
             "caches.append(cache) once per layer.", mistake="caches-not-a-list")
    if len(caches) == L:
        return
    layers = _cache_layers(caches, expected)
    problem = f"caches has {len(caches)} entries, expected L = {L}, one per layer"
    if len(caches) > L and layers.count(L) > 1:
        fail(name, f"{problem}: the output layer's cache is in it twice.",
             hint=named("output-cache-twice", "append the output layer's cache once: "
                        "remove the second caches.append(cache) after the sigmoid layer (or "
                        "the append that also runs for it inside the loop)."))
    missing = [l for l in range(1, L + 1) if l not in layers]
    if len(caches) < L and missing == [L] and None not in layers:
        fail(name, f"{problem}: the output layer's cache is missing.",
             hint=named("output-cache-missing", "append the cache of every layer, the "
                        "output layer's too: caches.append(cache) after the sigmoid layer, "
                        "and once per hidden layer."))
    if len(caches) < L and None not in layers:
        which = ", ".join(str(l) for l in missing)
        fail(name, f"{problem}: the cache of layer {which} is missing.",
             hint=named("hidden-cache-missing", "append each hidden layer's cache inside "
                        "the loop, caches.append(cache) after its linear_activation_forward,"
                        " for l = 1..L-1."))
    fail(name, f"{problem}.", hint="append each layer's cache once, in order: once per "
         "hidden layer inside the loop, once after the sigmoid layer.",
         mistake="caches-count")


@graded_test("L_model_forward", arguments=("X", "parameters"))
def L_model_forward_test(target):
    """Graded test of ``L_model_forward(X, parameters)`` -> ``(AL, caches)``."""
    name = "L_model_forward"
    for X, parameters in network_cases():
        try:
            got = call(target, name, X, parameters)
        except GradedTestFailure as failure:  # X into layer 2: a shape error
            if failure.mistake == "raised-error":
                _expect_A_prev_fed(name, target)
            raise
        expected = L_model_forward(X, parameters)
        AL, caches = expect_tuple(name, got, ("AL", "caches"), expected)
        if not same_value(AL, expected[0]):
            _expect_A_prev_fed(name, target)
        expect_array(name, "AL", AL, expected[0], wrong=[
            (forward_with(X, parameters, "relu", "relu"),
             named("relu-output", "the output layer L uses 'sigmoid', not 'relu'.")),
            (forward_with(X, parameters, "sigmoid", "sigmoid"),
             named("sigmoid-hidden", "the hidden layers 1..L-1 use 'relu', only the output "
                   "layer uses 'sigmoid'.")),
        ])
        _expect_cache_count(name, caches, expected[1])
        for l, (cache, want) in enumerate(zip(caches, expected[1]), start=1):
            (A_prev, W, b), Z = want
            expect_activation_cache(name, f"caches[{l - 1}] (layer {l})", cache,
                                    (A_prev, W, b), Z)


@graded_test("compute_cost", arguments=("AL", "Y"))
def compute_cost_test(target):
    """Graded test of ``compute_cost(AL, Y)`` -> a number."""
    name = "compute_cost"
    for AL, Y in cost_cases():
        m = Y.shape[1]
        got = call(target, name, AL, Y)
        first = -np.sum(Y * np.log(AL)) / m
        second = -np.sum((1 - Y) * np.log(1 - AL)) / m
        expect_scalar(name, "cost", got, compute_cost(AL, Y), m=m, wrong=[
            (first, named("missing-second-term",
                          "you left out the second term, (1 - Y) * log(1 - AL).")),
            (second, named("missing-first-term", "you left out the first term, Y * log(AL).")),
            ((first + second) / np.log(10),
             named("log10", "use the natural logarithm np.log, not np.log10.")),
        ])
