"""Backward propagation: one linear step, one layer, and the whole L-layer model.

Each function takes the gradient flowing in from the layer above and the cache
its forward twin kept, and returns the gradients ``(dA_prev, dW, db)``.
"""

import numpy as np

from .activations import _relu_backward, _sigmoid_backward
from .cost import _clip_probabilities, check_predictions
from .forward import check_linear_inputs
from .validation import (
    as_matrix,
    quiet_nonfinite,
    require_activation,
    require_finite,
    require_finite_result,
    require_shape,
)

_DERIVATIVES = {"relu": _relu_backward, "sigmoid": _sigmoid_backward}

# A_prev is not scanned for NaN or inf when a cache is checked (it can be the whole
# data set); it reaches dW = dZ @ A_prev.T / m, which is checked after the step.
_CACHED_A_PREV = "A_prev (from the cache)"


def _linear_backward(dZ, cache, need_dA_prev=True):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = dZ @ A_prev.T
    dW *= 1.0 / m  # in place: for layer 1 this array is 2 MB; same digits as (1/m) * (...)
    db = (1.0 / m) * np.sum(dZ, axis=1, keepdims=True)
    # Training never uses dA0 (the gradient with respect to X): skipping it saves
    # one of the three large matrix products of an iteration.
    dA_prev = W.T @ dZ if need_dA_prev else None
    return dA_prev, dW, db


def _linear_activation_backward(dA, cache, activation, need_dA_prev=True):
    linear_cache, Z = cache
    dZ = _DERIVATIVES[activation](dA, Z)
    return _linear_backward(dZ, linear_cache, need_dA_prev)


def _model_backward(AL, Y, caches, need_dA0=True):
    grads = {}
    L = len(caches)
    AL = _clip_probabilities(AL)  # keeps dAL finite where AL is exactly 0 or 1
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    dA = dAL
    for l in range(L, 0, -1):
        activation = "sigmoid" if l == L else "relu"
        need_dA_prev = need_dA0 or l > 1
        dA, grads[f"dW{l}"], grads[f"db{l}"] = _linear_activation_backward(
            dA, caches[l - 1], activation, need_dA_prev
        )
        if need_dA_prev:
            grads[f"dA{l - 1}"] = dA
    return grads


def _check_linear_cache(cache, where):
    if not isinstance(cache, (tuple, list)) or len(cache) != 3:
        raise TypeError(
            f"{where}: the linear cache must be the tuple (A_prev, W, b) returned by "
            f"linear_forward, got {type(cache).__name__}"
            f"{' of length ' + str(len(cache)) if isinstance(cache, (tuple, list)) else ''}."
        )
    return check_linear_inputs(*cache, where, A_name=_CACHED_A_PREV)


def _check_activation_cache(cache, where):
    if not isinstance(cache, (tuple, list)) or len(cache) != 2:
        raise TypeError(
            f"{where}: cache must be the tuple (linear_cache, activation_cache) returned "
            f"by linear_activation_forward, got {type(cache).__name__}"
            f"{' of length ' + str(len(cache)) if isinstance(cache, (tuple, list)) else ''}."
        )
    A_prev, W, b = _check_linear_cache(cache[0], where)
    Z = as_matrix(cache[1], "Z (from the cache)", where)
    require_shape(
        Z, "Z (from the cache)", (W.shape[0], A_prev.shape[1]), where,
        "the cache must be ((A_prev, W, b), Z) as returned by linear_activation_forward.",
    )
    require_finite(Z, "Z (from the cache)", where)
    return (A_prev, W, b), Z


def _check_gradient_in(dX, name, shape, where):
    dX = as_matrix(dX, name, where)
    require_shape(
        dX, name, shape, where,
        f"{name} has the shape of this layer's output, (n[l], m), as stored in the cache.",
    )
    require_finite(dX, name, where)
    return dX


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
    A_prev, W, b = _check_linear_cache(cache, where)
    dZ = _check_gradient_in(dZ, "dZ", (W.shape[0], A_prev.shape[1]), where)
    with quiet_nonfinite():
        dA_prev, dW, db = _linear_backward(dZ, (A_prev, W, b))
    require_finite_result(dW, "dW", where, [(A_prev, _CACHED_A_PREV)])
    return dA_prev, dW, db


def linear_activation_backward(dA, cache, activation):
    """Backward pass of one layer, LINEAR -> ACTIVATION.

    Parameters
    ----------
    dA : numpy.ndarray, shape (n[l], m)
        Gradient of the cost with respect to A[l].
    cache : tuple
        ``((A_prev, W, b), Z)`` from :func:`linear_activation_forward`.
    activation : {"relu", "sigmoid"}
        The activation used by this layer in the forward pass.

    Returns
    -------
    dA_prev : numpy.ndarray, shape (n[l-1], m)
    dW : numpy.ndarray, shape (n[l], n[l-1])
    db : numpy.ndarray, shape (n[l], 1)
    """
    where = "linear_activation_backward"
    require_activation(activation, where)
    linear_cache, Z = _check_activation_cache(cache, where)
    dA = _check_gradient_in(dA, "dA", Z.shape, where)
    with quiet_nonfinite():
        dA_prev, dW, db = _linear_activation_backward(dA, (linear_cache, Z), activation)
    require_finite_result(dW, "dW", where, [(linear_cache[0], _CACHED_A_PREV)])
    return dA_prev, dW, db


def check_caches(caches, AL, where):
    """Check that ``caches`` is one valid layer cache per layer, ending at AL's shape."""
    if not isinstance(caches, (list, tuple)) or len(caches) == 0:
        raise TypeError(
            f"{where}: caches must be the non-empty list returned by L_model_forward, "
            f"got {caches!r:.60}."
        )
    prev_units = None
    for l, cache in enumerate(caches, start=1):
        (A_prev, W, _), Z = _check_activation_cache(cache, f"{where} (caches[{l - 1}])")
        if Z.shape[1] != AL.shape[1] or (prev_units is not None and W.shape[1] != prev_units):
            raise ValueError(
                f"{where}: caches[{l - 1}] holds W of shape {W.shape} and Z of shape {Z.shape}, "
                f"which does not chain with the layer before it or with AL {AL.shape}. "
                "Fix: pass the caches that L_model_forward returned with this AL, in order."
            )
        prev_units = W.shape[0]
    if Z.shape != AL.shape:
        raise ValueError(
            f"{where}: the last cache has Z of shape {Z.shape}, expected AL's shape {AL.shape}. "
            "Fix: pass the caches that L_model_forward returned with this AL."
        )


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
        grads = _model_backward(AL, Y, caches)
    for l, ((A_prev, _, _), _) in enumerate(caches, start=1):
        require_finite_result(grads[f"dW{l}"], f"dW{l}", f"{where} (caches[{l - 1}])",
                              [(np.asarray(A_prev), _CACHED_A_PREV)])
    return grads
