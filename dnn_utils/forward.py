"""Checked forward propagation: one linear step, one layer, the whole L-layer model.

Each function returns ``(output, cache)``; the cache holds what the matching
backward function needs. Each checks its inputs (:mod:`dnn_utils.contracts`),
computes with :mod:`dnn_utils.kernels`, then checks that its result is finite.
"""

import numpy as np

from . import kernels
from .contracts import check_activation, check_linear_inputs, check_model_input
from .validation import check_parameters, quiet_nonfinite, require_finite_result


def linear_forward(A, W, b):
    """Linear part of a layer's forward step, Z = W A + b.

    Parameters
    ----------
    A : numpy.ndarray, shape (n[l-1], m)
        Activations of the previous layer (or the input X).
    W : numpy.ndarray, shape (n[l], n[l-1])
        Weights of layer l.
    b : numpy.ndarray, shape (n[l], 1)
        Biases of layer l, broadcast over the m examples.

    Returns
    -------
    Z : numpy.ndarray, shape (n[l], m)
        Input of the activation function.
    cache : tuple
        ``(A, W, b)`` with the shapes above.
    """
    A, W, b = check_linear_inputs(A, W, b, "linear_forward")
    with quiet_nonfinite():
        Z, cache = kernels.linear_forward(A, W, b)
    require_finite_result(Z, "Z", "linear_forward", [(A, "A")])
    return Z, cache


def linear_activation_forward(A_prev, W, b, activation):
    """Forward step of one layer, LINEAR -> ACTIVATION.

    Parameters
    ----------
    A_prev : numpy.ndarray, shape (n[l-1], m)
        Activations of the previous layer (or the input X).
    W : numpy.ndarray, shape (n[l], n[l-1])
    b : numpy.ndarray, shape (n[l], 1)
    activation : str
        A name in ``kernels.ACTIVATIONS``: "relu" or "sigmoid".

    Returns
    -------
    A : numpy.ndarray, shape (n[l], m)
        Activations of layer l.
    cache : tuple
        ``(linear_cache, activation_cache)``: ``((A_prev, W, b), Z)`` with
        Z of shape (n[l], m).
    """
    where = "linear_activation_forward"
    check_activation(activation, where)
    A_prev, W, b = check_linear_inputs(A_prev, W, b, where, "A_prev")
    with quiet_nonfinite():
        A, cache = kernels.linear_activation_forward(A_prev, W, b, activation)
    # Z, not A: ReLU turns -inf into 0 and sigmoid turns +-inf into 1 and 0.
    require_finite_result(cache[1], "Z", where, [(A_prev, "A_prev")])
    return A, cache


def L_model_forward(X, parameters):
    """Forward pass of the whole network, [LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID.

    Parameters
    ----------
    X : numpy.ndarray, shape (n[0], m)
        Input data, one example per column.
    parameters : dict
        ``"Wl"``: (n[l], n[l-1]) and ``"bl"``: (n[l], 1) for l = 1..L.

    Returns
    -------
    AL : numpy.ndarray, shape (n[L], m)
        Output of the sigmoid layer: the predicted probabilities.
    caches : list of tuple, length L
        ``caches[l - 1]`` is the cache of layer l, as returned by
        :func:`linear_activation_forward`.
    """
    L = check_parameters(parameters, "L_model_forward", values=False)
    X = check_model_input(X, parameters, "L_model_forward")
    with quiet_nonfinite():
        AL, caches = kernels.model_forward(X, parameters, L)
    for l, (_, Z) in enumerate(caches, start=1):
        # Zl is computed from Wl, bl and A[l-1]; of those only X (for Z1) was not
        # itself computed from checked values.
        sources = [(np.asarray(parameters[f"{p}{l}"]), f"parameters['{p}{l}']") for p in "Wb"]
        if l == 1:
            sources.append((X, "X"))
        require_finite_result(Z, f"Z{l}", "L_model_forward", sources)
    return AL, caches
