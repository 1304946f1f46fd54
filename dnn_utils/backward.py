"""Checked backward propagation: one linear step, one layer, the whole L-layer model.

Each function takes the gradient flowing in from the layer above and the cache
its forward twin kept, and returns the gradients ``(dA_prev, dW, db)``. Each checks
its inputs (:mod:`dnn_utils.contracts`), computes with :mod:`dnn_utils.kernels`,
then checks that dW is finite.
"""

import numpy as np

from . import kernels
from .contracts import (
    CACHED_A_PREV,
    check_activation,
    check_activation_cache,
    check_caches,
    check_gradient_in,
    check_linear_cache,
    check_predictions,
)
from .validation import quiet_nonfinite, require_finite_result


def linear_backward(dZ, cache):
    """Backward pass of the linear step Z = W A_prev + b.

    Parameters
    ----------
    dZ : numpy.ndarray, shape (n[l], m)
        Gradient of the cost with respect to Z[l].
    cache : tuple
        ``(A_prev, W, b)`` from :func:`linear_forward`: shapes (n[l-1], m),
        (n[l], n[l-1]) and (n[l], 1).

    Returns
    -------
    dA_prev : numpy.ndarray, shape (n[l-1], m)
        ``W.T @ dZ``, the gradient with respect to A[l-1].
    dW : numpy.ndarray, shape (n[l], n[l-1])
        ``dZ @ A_prev.T / m``.
    db : numpy.ndarray, shape (n[l], 1)
        ``dZ`` summed over the examples, divided by m.
    """
    where = "linear_backward"
    A_prev, W, b = check_linear_cache(cache, where)
    dZ = check_gradient_in(dZ, "dZ", (W.shape[0], A_prev.shape[1]), where)
    with quiet_nonfinite():
        dA_prev, dW, db = kernels.linear_backward(dZ, (A_prev, W, b))
    require_finite_result(dW, "dW", where, [(A_prev, CACHED_A_PREV)])
    return dA_prev, dW, db


def linear_activation_backward(dA, cache, activation):
    """Backward pass of one layer, LINEAR -> ACTIVATION.

    Parameters
    ----------
    dA : numpy.ndarray, shape (n[l], m)
        Gradient of the cost with respect to A[l].
    cache : tuple
        ``((A_prev, W, b), Z)`` from :func:`linear_activation_forward`.
    activation : str
        A name in ``kernels.ACTIVATIONS``, as used by this layer in the forward pass.

    Returns
    -------
    dA_prev : numpy.ndarray, shape (n[l-1], m)
    dW : numpy.ndarray, shape (n[l], n[l-1])
    db : numpy.ndarray, shape (n[l], 1)
    """
    where = "linear_activation_backward"
    check_activation(activation, where)
    linear_cache, Z = check_activation_cache(cache, where)
    dA = check_gradient_in(dA, "dA", Z.shape, where)
    with quiet_nonfinite():
        dA_prev, dW, db = kernels.linear_activation_backward(dA, (linear_cache, Z), activation)
    require_finite_result(dW, "dW", where, [(linear_cache[0], CACHED_A_PREV)])
    return dA_prev, dW, db


def L_model_backward(AL, Y, caches):
    """Backward pass of the whole network.

    Starts from dA[L] = -(Y / AL - (1 - Y) / (1 - AL)), then goes through the
    sigmoid layer L and the ReLU layers L-1, ..., 1.

    Parameters
    ----------
    AL : numpy.ndarray, shape (1, m)
        Output of :func:`L_model_forward`.
    Y : numpy.ndarray, shape (1, m)
        True labels, 0 or 1.
    caches : list of tuple, length L
        As returned by :func:`L_model_forward`.

    Returns
    -------
    grads : dict
        ``"dAl"``: (n[l], m) for l = 0..L-1, ``"dWl"``: (n[l], n[l-1]) and
        ``"dbl"``: (n[l], 1) for l = 1..L.
    """
    where = "L_model_backward"
    AL, Y = check_predictions(AL, Y, where)
    check_caches(caches, AL, where)
    with quiet_nonfinite():
        grads = kernels.model_backward(AL, Y, caches)
    for l, ((A_prev, _, _), _) in enumerate(caches, start=1):
        require_finite_result(grads[f"dW{l}"], f"dW{l}", f"{where} (caches[{l - 1}])",
                              [(np.asarray(A_prev), CACHED_A_PREV)])
    return grads
