"""Backward propagation: one linear step, one layer, the whole L-layer model.

Each function takes the gradient flowing in from the layer above and the cache
its forward twin kept, ``(dout, cache)`` as in CS231n's layers, and returns the
gradients ``(dA_prev, dW, db)``. Each checks its inputs
(:mod:`dnn_utils.contracts`), computes the lecture's formulas, then checks that
dW is finite. ``check=False`` skips both checks (the training loop of
:mod:`dnn_utils.models` checks its data once per run).
"""

import numpy as np

from .activations import ACTIVATIONS, check_activation, layer_activation
from .contracts import (
    CACHED_A_PREV,
    check_activation_cache,
    check_caches,
    check_gradient_in,
    check_linear_cache,
    check_predictions,
)
from .cost import clip_probabilities
from .validation import quiet_nonfinite, require_finite_result


def linear_backward(dZ, cache, *, check=True):
    """Backward pass of the linear step Z = W A_prev + b.

    Parameters
    ----------
    dZ : numpy.ndarray, shape (n[l], m)
        Gradient of the cost with respect to Z[l].
    cache : tuple
        ``(A_prev, W, b)`` from :func:`linear_forward`: shapes (n[l-1], m),
        (n[l], n[l-1]) and (n[l], 1).
    check : bool, optional
        False skips the checks of the inputs and of dW.

    Returns
    -------
    dA_prev : numpy.ndarray, shape (n[l-1], m)
        Gradient with respect to A[l-1].
    dW : numpy.ndarray, shape (n[l], n[l-1])
    db : numpy.ndarray, shape (n[l], 1)
    """
    where = "linear_backward"
    if check:
        cache = check_linear_cache(cache, where)
    A_prev, W, b = cache
    if check:
        dZ = check_gradient_in(dZ, "dZ", (W.shape[0], A_prev.shape[1]), where)
    m = A_prev.shape[1]
    with quiet_nonfinite():
        # Left to right, as the lecture writes it: the small dZ is scaled before the
        # product, not the large dW after it (for the cat model's layer 1, 2 MB).
        dW = (1 / m) * dZ @ A_prev.T
        db = (1 / m) * np.sum(dZ, axis=1, keepdims=True)
        dA_prev = W.T @ dZ
    if check:
        require_finite_result(dW, "dW", where, [(A_prev, CACHED_A_PREV)])
    return dA_prev, dW, db


def linear_activation_backward(dA, cache, activation, *, check=True):
    """Backward pass of one layer: dZ = dA * g'(Z), then :func:`linear_backward`.

    Parameters
    ----------
    dA : numpy.ndarray, shape (n[l], m)
        Gradient of the cost with respect to A[l].
    cache : tuple
        ``((A_prev, W, b), Z)`` from :func:`linear_activation_forward`.
    activation : str
        A name in ``activations.ACTIVATIONS``, as used by this layer in the forward pass.
    check : bool, optional
        False skips the checks of the inputs and of dW.

    Returns
    -------
    dA_prev : numpy.ndarray, shape (n[l-1], m)
    dW : numpy.ndarray, shape (n[l], n[l-1])
    db : numpy.ndarray, shape (n[l], 1)
    """
    where = "linear_activation_backward"
    if check:
        check_activation(activation, where)
        cache = check_activation_cache(cache, where)
    linear_cache, activation_cache = cache
    if check:
        dA = check_gradient_in(dA, "dA", activation_cache.shape, where)
    with quiet_nonfinite():
        dZ = ACTIVATIONS[activation].backward(dA, activation_cache, check=False)
    dA_prev, dW, db = linear_backward(dZ, linear_cache, check=False)
    if check:
        require_finite_result(dW, "dW", where, [(linear_cache[0], CACHED_A_PREV)])
    return dA_prev, dW, db


def output_gradient(AL, Y):
    """Gradient of the cost with respect to the output, dA[L] = -(Y / AL - (1 - Y) / (1 - AL)).

    Unchecked: :func:`L_model_backward` checks AL and Y first. Exact 0s and 1s of AL
    are moved inside (0, 1) first (:func:`dnn_utils.cost.clip_probabilities`), so dA[L]
    stays finite.

    Parameters
    ----------
    AL : numpy.ndarray, shape (1, m)
        Predicted probabilities.
    Y : numpy.ndarray, shape (1, m)
        True labels, 0 or 1.

    Returns
    -------
    dAL : numpy.ndarray, shape (1, m)
    """
    AL = clip_probabilities(AL)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    return dAL


def L_model_backward(AL, Y, caches, *, check=True):
    """Backward pass of the whole network.

    Starts from dA[L] (:func:`output_gradient`), then goes through the sigmoid layer L
    and the ReLU layers L-1, ..., 1.

    Parameters
    ----------
    AL : numpy.ndarray, shape (1, m)
        Output of :func:`L_model_forward`.
    Y : numpy.ndarray, shape (1, m)
        True labels, 0 or 1.
    caches : list of tuple, length L
        As returned by :func:`L_model_forward`.
    check : bool, optional
        False skips the checks of the inputs and of every dW.

    Returns
    -------
    grads : dict
        ``"dAl"``: (n[l], m) for l = 0..L-1, ``"dWl"``: (n[l], n[l-1]) and
        ``"dbl"``: (n[l], 1) for l = 1..L.
    """
    where = "L_model_backward"
    if check:
        AL, Y = check_predictions(AL, Y, where)
        check_caches(caches, AL, where)
    grads = {}
    L = len(caches)
    with quiet_nonfinite():
        dA = output_gradient(AL, Y)
    for l in range(L, 0, -1):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(
            dA, caches[l - 1], layer_activation(l, L), check=False)
        grads[f"dA{l - 1}"] = dA
    if check:
        for l, ((A_prev, _, _), _) in enumerate(caches, start=1):
            require_finite_result(grads[f"dW{l}"], f"dW{l}", f"{where} (caches[{l - 1}])",
                                  [(np.asarray(A_prev), CACHED_A_PREV)])
    return grads
