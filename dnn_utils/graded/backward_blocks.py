"""Graded tests of notebook 02's backward blocks, one ``<name>_test`` per exercise.

Each slip is named where the learner made it: a wrong activation derivative as a wrong
dZ (not as "dA_prev has the wrong values", which points at the linear step), AL - Y
passed as dA[L] as a wrong dAL, another layer's cache as such, with a fix written for
the learner's own loop (:mod:`.loops`).
"""

import numpy as np

from ..activations import ACTIVATIONS
from ..backward import (
    L_model_backward,
    linear_activation_backward,
    linear_backward,
    output_gradient,
)
from .cases import activation_backward_cases, backward_cases, linear_backward_cases
from .comparing import expected_vs_got
from .course import expect_current_grads_keys
from .diagnosis import backward_cache_offset_hint, rehint
from .failure import GradedTestFailure
from .feedback import (
    attempt,
    call,
    expect_array,
    expect_keys,
    expect_tuple,
    fail,
    graded_test,
    named,
)
from .hints import value_hint
from .loops import BOTH_LOOPS, cache_index_fix, learner_source, quoted_lines
from .orders import same_value
from .slips import backward_with, dZ_behind, narrow_network, wrong_dZ
from .tolerance import close, match_wrong

_GRADIENTS = ("dA_prev", "dW", "db")


def _product(a, b):
    """a @ b, or None when the shapes do not allow it (for wrong results)."""
    return a @ b if a.shape[1] == b.shape[0] else None


@graded_test("linear_backward", arguments=("dZ", "cache"))
def linear_backward_test(target):
    """Graded test of ``linear_backward(dZ, cache)`` -> ``(dA_prev, dW, db)``."""
    name = "linear_backward"
    for dZ, A_prev, W, b in linear_backward_cases():
        m = A_prev.shape[1]
        got = call(target, name, dZ, (A_prev, W, b))
        expected = linear_backward(dZ, (A_prev, W, b))
        got = expect_tuple(name, got, _GRADIENTS, expected)
        expect_array(name, "dA_prev", got[0], expected[0], m=m, wrong=[
            (_product(W, dZ), named("W-not-transposed", "dA_prev = W.T @ dZ: transpose W.")),
        ])
        expect_array(name, "dW", got[1], expected[1], m=m, wrong=[
            (_product(dZ, A_prev / m), named("A_prev-not-transposed",
                                             "dW = dZ @ A_prev.T / m: transpose A_prev.")),
            (A_prev @ dZ.T / m, named("dW-factors-swapped",
                                      "dW = dZ @ A_prev.T / m, not A_prev @ dZ.T.")),
        ])
        expect_array(name, "db", got[2], expected[2], m=m, wrong=[
            (np.sum(dZ, axis=0, keepdims=True) / m,
             named("db-axis", "db sums dZ over the examples, the columns: "
                   "np.sum(dZ, axis=1, keepdims=True).")),
        ])


def _check_gradients(name, got, expected, m, wrong=()):
    """Check the tuple (dA_prev, dW, db) against ``expected``; ``wrong`` are tuples too."""
    for i, var in enumerate(_GRADIENTS):
        expect_array(name, var, got[i], expected[i], m=m,
                     wrong=[(w[i], hint) for w, hint in wrong])


def _expect_dZ(where, got, linear_cache, dA, Z, activation):
    """When the learner's linear step is right for some wrong dZ, fail naming dZ."""
    dZ = dZ_behind(got, linear_cache)
    right = ACTIVATIONS[activation].backward(dA, Z, check=False)
    if dZ is None or close(dZ, right):
        return
    fail(where, "dZ has the wrong values: your dA_prev, dW and db are right for the dZ "
         "you computed, so the slip is in dZ = dA * g'(Z), the activation's derivative.",
         details=expected_vs_got(dZ, right),
         hint=match_wrong(dZ, wrong_dZ(dA, Z, activation)) or value_hint("dZ", dZ, right, None)
         or f"dZ = dA * g'(Z), with g' the derivative of {activation} taken at the layer's Z "
         f"(the activation cache): {activation}_backward(dA, activation_cache).")


@graded_test("linear_activation_backward", arguments=("dA", "cache", "activation"))
def linear_activation_backward_test(target):
    """Graded test of ``linear_activation_backward(dA, cache, activation)``."""
    name = "linear_activation_backward"
    for dA, A_prev, W, b, Z in activation_backward_cases():
        linear_cache = (A_prev, W, b)
        cache = (linear_cache, Z)
        m = A_prev.shape[1]
        for activation in ("sigmoid", "relu"):
            where = f"{name} (activation={activation!r})"
            got = call(target, name, dA, cache, activation)
            expected = linear_activation_backward(dA, cache, activation)
            got = expect_tuple(where, got, _GRADIENTS, expected)
            if same_value(got, expected):
                continue
            _expect_dZ(where, got, linear_cache, dA, Z, activation)
            wrong = [(linear_backward(dZ, linear_cache), hint)
                     for dZ, hint in wrong_dZ(dA, Z, activation)]
            _check_gradients(where, got, expected, m, wrong)


def _expect_own_caches(name, target, failure=None):
    """Run the learner's function on a network where any layer's cache fits any layer;
    fail if its hidden layers went back through the next (or previous) layer's cache."""
    AL, Y, caches = narrow_network()
    got = attempt(target, AL, Y, caches)
    if not isinstance(got, dict):
        return
    L = len(caches)
    for offset, which in ((1, "next"), (-1, "previous")):
        wrong = backward_with(AL, Y, caches, offset=offset)
        keys = [f"{p}{l}" for l in range(1, L + 1) for p in ("dW", "db")]
        if not all(same_value(got.get(key), wrong[key]) for key in keys):
            continue
        fix = cache_index_fix(offset, learner_source(target),
                              quoted_lines(failure) if failure else None)
        sign = "+" if offset > 0 else "-"
        hint = (f"in your loop, {fix[0]} is the cache of the {which} layer: use {fix[1]}."
                if fix else BOTH_LOOPS)
        fail(name, f"each hidden layer went back through the {which} layer's cache "
             f"(layer l {sign} 1's, not layer l's). (Seen on a network of one unit per "
             "layer, where any layer's cache fits any layer: there your grads are exactly "
             "those of this slip.)",
             hint=named(f"cache-of-{which}-layer", hint))


def _expect_dAL(name, got, AL, Y, caches):
    """Fail if the output layer started from AL - Y (which is dZ[L]) as dA[L]."""
    L = len(caches)
    wrong = backward_with(AL, Y, caches, dAL=AL - Y)
    keys = (f"dA{L - 1}", f"dW{L}", f"db{L}")
    if all(same_value(got.get(key), wrong[key]) for key in keys):
        fail(name, "dAL, the gradient the output layer's backward step starts from, is "
             "AL - Y: that is dZ[L], not dA[L], so "
             + ", ".join(f"grads['{key}']" for key in keys) + " and every gradient below "
             "them are wrong.",
             hint=named("AL-minus-Y-as-dAL", "AL - Y is dZ[L], the sigmoid's derivative "
                        "already included; passed as dA[L] to linear_activation_backward(..., "
                        "'sigmoid'), it goes through that derivative a second time. Start "
                        "from dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL)); or, to "
                        "use the shortcut, give dZ = AL - Y straight to the output layer's "
                        "linear_backward(dZ, linear_cache)."))


@graded_test("L_model_backward", arguments=("AL", "Y", "caches"))
def L_model_backward_test(target):
    """Graded test of ``L_model_backward(AL, Y, caches)`` -> ``grads``."""
    name = "L_model_backward"
    for AL, Y, caches in backward_cases():
        L = len(caches)
        m = Y.shape[1]
        try:
            got = call(target, name, AL, Y, caches)
        except GradedTestFailure as failure:  # another layer's cache: a shape error
            if failure.mistake != "raised-error":
                raise
            _expect_own_caches(name, target, failure)
            hint = backward_cache_offset_hint(failure)
            raise (rehint(failure, hint) if hint else failure) from None
        expected = L_model_backward(AL, Y, caches)
        expect_current_grads_keys(name, got, expected)
        expect_keys(name, "grads", got, expected, hint=(
            f"grads holds exactly dA0..dA{L - 1}, dW1..dW{L} and db1..db{L}; dAL itself "
            "is not stored."))
        if same_value(got, expected):
            continue
        _expect_own_caches(name, target)
        _expect_dAL(name, got, AL, Y, caches)
        wrong = [
            (backward_with(AL, Y, caches, dAL=-output_gradient(AL, Y)),
             named("dAL-sign", "check the sign of dAL: dAL = -(np.divide(Y, AL) - "
                   "np.divide(1 - Y, 1 - AL)).")),
            (backward_with(AL, Y, caches, "relu", "relu"),
             named("relu-output", "the output layer L goes back through 'sigmoid', the "
                   "hidden layers through 'relu'.")),
            (backward_with(AL, Y, caches, "sigmoid", "sigmoid"),
             named("sigmoid-hidden", "only the output layer uses 'sigmoid'; the hidden "
                   "layers 1..L-1 use 'relu'.")),
        ]
        # From the output layer down, so the first mismatch is nearest its cause.
        for l in range(L, 0, -1):
            for key in (f"dA{l - 1}", f"dW{l}", f"db{l}"):
                expect_array(name, f"grads['{key}']", got[key], expected[key], m=m,
                             wrong=[(w[key], hint) for w, hint in wrong])

