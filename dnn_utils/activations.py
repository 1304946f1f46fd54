"""The activations g(Z) of the lecture and their derivatives, with the table of them.

Forward functions return ``(A, cache)`` with ``cache = Z``; backward functions
take ``(dA, cache)`` and return ``dZ = dA * g'(Z)``, as in CS231n's layers. None of
them modifies its inputs. Each checks its inputs, then computes the formula.
``check=False`` skips the checks: the training loop of :mod:`dnn_utils.models`
checks its data once per run and then calls these same functions unchecked.

Shapes: ``Z``, ``A``, ``dA`` and ``dZ`` are all (n[l], m).
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from .contracts import check_activation_backward
from .validation import as_matrix, require_finite


def sigmoid(Z, *, check=True):
    """Sigmoid activation, A = 1 / (1 + exp(-Z)).

    Parameters
    ----------
    Z : numpy.ndarray, shape (n[l], m)
        Linear output of the layer.
    check : bool, optional
        False skips the input check (for callers that checked Z already).

    Returns
    -------
    A : numpy.ndarray, shape (n[l], m)
        Values in [0, 1].
    cache : numpy.ndarray, shape (n[l], m)
        ``Z`` itself, kept for the backward pass.
    """
    if check:
        Z = as_matrix(Z, "Z", "sigmoid")
        require_finite(Z, "Z", "sigmoid")
    # exp(-Z) overflows to inf for Z < -709, and 1 / (1 + inf) is exactly the right
    # limit 0: only the warning is silenced.
    with np.errstate(over="ignore"):
        A = 1 / (1 + np.exp(-Z))
    return A, Z


def relu(Z, *, check=True):
    """ReLU activation, A = max(0, Z).

    Parameters
    ----------
    Z : numpy.ndarray, shape (n[l], m)
    check : bool, optional
        False skips the input check.

    Returns
    -------
    A : numpy.ndarray, shape (n[l], m)
    cache : numpy.ndarray, shape (n[l], m)
        ``Z`` itself, kept for the backward pass.
    """
    if check:
        Z = as_matrix(Z, "Z", "relu")
        require_finite(Z, "Z", "relu")
    A = np.maximum(0, Z)
    return A, Z


def sigmoid_backward(dA, cache, *, check=True):
    """Backward pass of the sigmoid: dZ = dA * s * (1 - s) with s = sigmoid(Z).

    Parameters
    ----------
    dA : numpy.ndarray, shape (n[l], m)
        Gradient of the cost with respect to the activation A[l].
    cache : numpy.ndarray, shape (n[l], m)
        The ``Z`` returned by :func:`sigmoid`.
    check : bool, optional
        False skips the input check.

    Returns
    -------
    dZ : numpy.ndarray, shape (n[l], m)
        Gradient of the cost with respect to Z[l] (a new array).
    """
    if check:
        dA, cache = check_activation_backward(dA, cache, "sigmoid_backward")
    s, _ = sigmoid(cache, check=False)
    dZ = dA * s * (1 - s)
    return dZ


def relu_backward(dA, cache, *, check=True):
    """Backward pass of ReLU: dZ = dA where Z > 0, else 0 (we take g'(0) = 0).

    Parameters
    ----------
    dA : numpy.ndarray, shape (n[l], m)
        Gradient of the cost with respect to the activation A[l].
    cache : numpy.ndarray, shape (n[l], m)
        The ``Z`` returned by :func:`relu`.
    check : bool, optional
        False skips the input check.

    Returns
    -------
    dZ : numpy.ndarray, shape (n[l], m)
        Gradient of the cost with respect to Z[l] (a new array).
    """
    if check:
        dA, cache = check_activation_backward(dA, cache, "relu_backward")
    Z = cache
    dZ = np.where(Z > 0, dA, 0.0)
    return dZ


class Activation(NamedTuple):
    """One activation g: ``forward(Z) -> (A, Z)`` and ``backward(dA, Z) -> dZ``.

    Both take the keyword ``check`` of the functions above.
    """

    forward: Callable
    backward: Callable


#: Every activation the blocks accept, by the name passed as ``activation``. A new
#: activation (e.g. tanh) is one entry here; forward, backward, their checks and
#: the graded feedback all look names up in this table.
ACTIVATIONS = {
    "relu": Activation(relu, relu_backward),
    "sigmoid": Activation(sigmoid, sigmoid_backward),
}

def check_activation(activation, where):
    """Raise ``ValueError`` unless ``activation`` names an entry of :data:`ACTIVATIONS`."""
    if activation not in ACTIVATIONS:
        names = [repr(name) for name in ACTIVATIONS]
        listing = ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]
        raise ValueError(
            f"{where}: activation is {activation!r}, expected {listing}. "
            "Fix: hidden layers use 'relu' and the output layer uses 'sigmoid' "
            "(lower case)."
        )


#: The activations of the lecture's network: [LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID.
HIDDEN_ACTIVATION = "relu"
OUTPUT_ACTIVATION = "sigmoid"


def layer_activation(l, L, hidden=HIDDEN_ACTIVATION, output=OUTPUT_ACTIVATION):
    """The activation of layer ``l`` (1..L) of an L-layer network: ``output`` for l == L.

    By default the lecture's network: "relu" for the hidden layers, "sigmoid" for the
    output layer. Other names describe a variant (e.g. the graded feedback's wrong
    networks).

    Parameters
    ----------
    l, L : int
    hidden, output : str, optional
        Names in :data:`ACTIVATIONS`.

    Returns
    -------
    str
    """
    return output if l == L else hidden
