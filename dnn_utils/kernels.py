"""The unchecked mathematics of the network, in one place.

Every formula of the lecture lives here once: the activations and their
derivatives (registered in :data:`ACTIVATIONS`), the linear step, the forward and
backward passes, the cost, dA[L] and the parameter update. Nothing here checks its
inputs: the public blocks (``forward``, ``backward``, ``cost``, ``update``) check
them with :mod:`dnn_utils.contracts` and then call these functions, and the
training loop of :mod:`dnn_utils.models`, which checks its data once per run,
calls them directly at every iteration.

Shapes: ``A_prev`` (n[l-1], m), ``W`` (n[l], n[l-1]), ``b`` (n[l], 1), ``Z`` and
``A`` (n[l], m), ``AL`` and ``Y`` (1, m).
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

# The largest double below 1: clipping to it changes only probabilities that are
# exactly 0 or 1 (where log would give -inf), so every other value is untouched.
_ONE_BELOW = np.nextafter(1.0, 0.0)
_TINY = np.finfo(np.float64).tiny


# ------------------------------------------------------------------ activations

def sigmoid(Z):
    """A = 1 / (1 + exp(-Z)), Z and A of shape (n[l], m)."""
    # exp(-Z) overflows to inf for Z < -709, and 1 / (1 + inf) is exactly the right
    # limit 0; only the warning is silenced. Same arithmetic as the textbook formula,
    # so published figures are reproduced to the last digit.
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-Z))


def relu(Z):
    """A = max(0, Z), Z and A of shape (n[l], m)."""
    return np.maximum(0, Z)


def sigmoid_backward(dA, Z):
    """dZ = dA * s * (1 - s) with s = sigmoid(Z); all of shape (n[l], m)."""
    s = sigmoid(Z)
    return dA * s * (1 - s)


def relu_backward(dA, Z):
    """dZ = dA where Z > 0, else 0 (we take g'(0) = 0); all of shape (n[l], m)."""
    return np.where(Z > 0, dA, 0.0)


class Activation(NamedTuple):
    """One activation g: ``forward(Z) -> A`` and ``backward(dA, Z) -> dZ``."""

    forward: Callable
    backward: Callable


#: Every activation the blocks accept, by the name passed as ``activation``. A new
#: activation (e.g. tanh) is one entry here; forward, backward, their checks and
#: the graded feedback all look names up in this table.
ACTIVATIONS = {
    "relu": Activation(relu, relu_backward),
    "sigmoid": Activation(sigmoid, sigmoid_backward),
}

#: The activations of the lecture's network: [LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID.
HIDDEN_ACTIVATION = "relu"
OUTPUT_ACTIVATION = "sigmoid"


def layer_activation(l, L, hidden=HIDDEN_ACTIVATION, output=OUTPUT_ACTIVATION):
    """The activation of layer ``l`` (1..L) of an L-layer network: ``output`` for l == L.

    By default the lecture's network: "relu" for the hidden layers, "sigmoid" for the
    output layer. Other names describe a variant (e.g. the graded feedback's wrong
    networks).
    """
    return output if l == L else hidden


# ------------------------------------------------------------------ forward

def linear_forward(A, W, b):
    """Z = W A + b; returns ``(Z, (A, W, b))`` with Z of shape (n[l], m)."""
    if A.flags.f_contiguous and not A.flags.c_contiguous:
        # A is column-major, one contiguous column per example, as flatten_images gives
        # X. For that layout OpenBLAS computes the transposed product A.T @ W.T faster
        # than W @ A (the floor runs of benchmarks/bench_training.py: 5-25% faster).
        # The sums are the same, but some BLAS kernels add them in another order, so Z
        # equals W @ A + b to rounding (to the bit only with some kernels). Z is stored
        # row-major, as W @ A returns it, so every later layer runs the textbook code.
        Z = np.add((A.T @ W.T).T, b, order="C")
    else:
        Z = W @ A + b
    return Z, (A, W, b)


def linear_activation_forward(A_prev, W, b, activation):
    """A = g(W A_prev + b); returns ``(A, ((A_prev, W, b), Z))``."""
    Z, linear_cache = linear_forward(A_prev, W, b)
    return ACTIVATIONS[activation].forward(Z), (linear_cache, Z)


def model_forward(X, parameters, L):
    """Forward pass through layers 1..L; returns ``(AL, caches)`` (one cache per layer)."""
    caches = []
    A = X
    for l in range(1, L + 1):
        A, cache = linear_activation_forward(
            A, parameters[f"W{l}"], parameters[f"b{l}"], layer_activation(l, L)
        )
        caches.append(cache)
    return A, caches


# ------------------------------------------------------------------ cost

def clip_probabilities(AL):
    """AL with exact 0s and 1s moved to the nearest doubles inside (0, 1)."""
    return np.clip(AL, _TINY, _ONE_BELOW)


def compute_cost(AL, Y):
    """Cross-entropy -(1/m) sum(Y log AL + (1 - Y) log(1 - AL)) as a Python float."""
    m = Y.shape[1]
    AL = clip_probabilities(AL)
    cost = (1.0 / m) * (-(Y @ np.log(AL).T) - (1 - Y) @ np.log(1 - AL).T)
    return float(np.squeeze(cost))


def output_gradient(AL, Y):
    """dA[L] = -(Y / AL - (1 - Y) / (1 - AL)), shape (1, m), finite where AL is 0 or 1."""
    AL = clip_probabilities(AL)
    return -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))


# ------------------------------------------------------------------ backward

def linear_backward(dZ, cache, need_dA_prev=True):
    """Returns ``(dA_prev, dW, db)``; dA_prev is None when ``need_dA_prev`` is False."""
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = dZ @ A_prev.T
    dW *= 1.0 / m  # in place: for layer 1 this array is 2 MB; same digits as (1/m) * (...)
    db = (1.0 / m) * np.sum(dZ, axis=1, keepdims=True)
    # Training never uses dA0 (the gradient with respect to X): skipping it saves
    # one of the three large matrix products of an iteration.
    dA_prev = W.T @ dZ if need_dA_prev else None
    return dA_prev, dW, db


def linear_activation_backward(dA, cache, activation, need_dA_prev=True):
    """dZ = dA * g'(Z), then :func:`linear_backward`; returns ``(dA_prev, dW, db)``."""
    linear_cache, Z = cache
    dZ = ACTIVATIONS[activation].backward(dA, Z)
    return linear_backward(dZ, linear_cache, need_dA_prev)


def model_backward(AL, Y, caches, need_dA0=True):
    """Gradients of every layer: ``"dAl"`` (l = 0..L-1), ``"dWl"``, ``"dbl"`` (l = 1..L).

    With ``need_dA0=False`` (training) dA0, the gradient with respect to X, is skipped.
    """
    grads = {}
    L = len(caches)
    dA = output_gradient(AL, Y)
    for l in range(L, 0, -1):
        need_dA_prev = need_dA0 or l > 1
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(
            dA, caches[l - 1], layer_activation(l, L), need_dA_prev
        )
        if need_dA_prev:
            grads[f"dA{l - 1}"] = dA
    return grads


# ------------------------------------------------------------------ update

def update_parameters(parameters, grads, learning_rate, in_place=False):
    """Gradient descent, W := W - learning_rate * dW for every parameter.

    Parameters
    ----------
    parameters : dict
        ``"Wl"``: (n[l], n[l-1]) and ``"bl"``: (n[l], 1).
    grads : dict
        ``"dWl"`` and ``"dbl"`` of the same shapes.
    learning_rate : float
    in_place : bool, optional
        False (the public ``update_parameters``): a new dict of new arrays, inputs
        untouched. True (the training loop, which owns its arrays): the parameter
        arrays are overwritten and the gradient arrays are scaled by learning_rate on
        the way; W1 and dW1 are 2 MB each for the cat model, and not allocating new
        ones every iteration is measurably faster. Both give the same bits.

    Returns
    -------
    parameters : dict
        The new dict, or ``parameters`` itself when ``in_place``.
    """
    if in_place:
        for key, value in parameters.items():
            step = grads["d" + key]
            step *= learning_rate
            value -= step
        return parameters
    return {key: value - learning_rate * grads["d" + key] for key, value in parameters.items()}


def update_parameters_in_place(parameters, grads, learning_rate):
    """:func:`update_parameters` with ``in_place=True``: the training loop's default step."""
    return update_parameters(parameters, grads, learning_rate, in_place=True)
