"""The two activation functions g(Z) of the network and their derivatives.

Forward functions return ``(A, cache)`` with ``cache = Z``; backward functions
take ``(dA, cache)`` and return ``dZ = dA * g'(Z)``. None of them modifies its
inputs.
"""

import numpy as np

from .validation import as_matrix, require_finite, require_shape


def _sigmoid(Z):
    # exp(-Z) overflows to inf for Z < -709, and 1 / (1 + inf) is exactly the right
    # limit 0; only the warning is silenced. Same arithmetic as the textbook formula,
    # so published figures are reproduced to the last digit.
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-Z))


def _relu(Z):
    return np.maximum(0, Z)


def _sigmoid_backward(dA, Z):
    s = _sigmoid(Z)
    return dA * s * (1 - s)


def _relu_backward(dA, Z):
    # g'(Z) is 1 where Z > 0 and 0 elsewhere (we take 0 at Z = 0).
    return np.where(Z > 0, dA, 0.0)


def sigmoid(Z):
    """Sigmoid activation, A = 1 / (1 + exp(-Z)).

    Parameters
    ----------
    Z : numpy.ndarray, shape (n[l], m)
        Linear output of the layer.

    Returns
    -------
    A : numpy.ndarray, shape (n[l], m)
        Values in [0, 1].
    cache : numpy.ndarray, shape (n[l], m)
        ``Z`` itself, kept for the backward pass.
    """
    Z = as_matrix(Z, "Z", "sigmoid")
    require_finite(Z, "Z", "sigmoid")
    return _sigmoid(Z), Z


def relu(Z):
    """ReLU activation, A = max(0, Z).

    Parameters
    ----------
    Z : numpy.ndarray, shape (n[l], m)

    Returns
    -------
    A : numpy.ndarray, shape (n[l], m)
    cache : numpy.ndarray, shape (n[l], m)
        ``Z`` itself, kept for the backward pass.
    """
    Z = as_matrix(Z, "Z", "relu")
    require_finite(Z, "Z", "relu")
    return _relu(Z), Z


def _check_backward(dA, cache, where):
    dA = as_matrix(dA, "dA", where)
    Z = as_matrix(cache, "cache (Z)", where)
    require_shape(dA, "dA", Z.shape, where, "dA must have the shape of the Z stored in the cache.")
    require_finite(dA, "dA", where)
    require_finite(Z, "cache (Z)", where)
    return dA, Z


def sigmoid_backward(dA, cache):
    """Backward pass of the sigmoid: dZ = dA * s * (1 - s) with s = sigmoid(Z).

    Parameters
    ----------
    dA : numpy.ndarray, shape (n[l], m)
        Gradient of the cost with respect to the activation A[l].
    cache : numpy.ndarray, shape (n[l], m)
        The ``Z`` returned by :func:`sigmoid`.

    Returns
    -------
    dZ : numpy.ndarray, shape (n[l], m)
        Gradient of the cost with respect to Z[l] (a new array).
    """
    dA, Z = _check_backward(dA, cache, "sigmoid_backward")
    return _sigmoid_backward(dA, Z)


def relu_backward(dA, cache):
    """Backward pass of ReLU: dZ = dA where Z > 0, else 0.

    Parameters
    ----------
    dA : numpy.ndarray, shape (n[l], m)
        Gradient of the cost with respect to the activation A[l].
    cache : numpy.ndarray, shape (n[l], m)
        The ``Z`` returned by :func:`relu`.

    Returns
    -------
    dZ : numpy.ndarray, shape (n[l], m)
        Gradient of the cost with respect to Z[l] (a new array).
    """
    dA, Z = _check_backward(dA, cache, "relu_backward")
    return _relu_backward(dA, Z)
