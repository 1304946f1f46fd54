"""The checked activation blocks g(Z) of the lecture and their derivatives.

Forward functions return ``(A, cache)`` with ``cache = Z``; backward functions
take ``(dA, cache)`` and return ``dZ = dA * g'(Z)``. None of them modifies its
inputs. The formulas themselves, and the table of every activation the layers
accept, are in :mod:`dnn_utils.kernels`.
"""

from . import kernels
from .contracts import check_activation_backward
from .validation import as_matrix, require_finite


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
    return kernels.sigmoid(Z), Z


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
    return kernels.relu(Z), Z


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
    dA, Z = check_activation_backward(dA, cache, "sigmoid_backward")
    return kernels.sigmoid_backward(dA, Z)


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
    dA, Z = check_activation_backward(dA, cache, "relu_backward")
    return kernels.relu_backward(dA, Z)
