"""Forward propagation: one linear step, one layer, and the whole L-layer model.

Each function returns ``(output, cache)``; the cache holds what the matching
backward function needs.
"""

import numpy as np

from .activations import _relu, _sigmoid
from .validation import (
    as_matrix,
    check_parameters,
    quiet_nonfinite,
    require_activation,
    require_finite,
    require_finite_result,
    require_shape,
)

_ACTIVATIONS = {"relu": _relu, "sigmoid": _sigmoid}


def _linear_forward(A, W, b):
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


def _linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = _linear_forward(A_prev, W, b)
    return _ACTIVATIONS[activation](Z), (linear_cache, Z)


def _model_forward(X, parameters, L):
    caches = []
    A = X
    for l in range(1, L + 1):
        activation = "sigmoid" if l == L else "relu"
        A, cache = _linear_activation_forward(
            A, parameters[f"W{l}"], parameters[f"b{l}"], activation
        )
        caches.append(cache)
    return A, caches


def check_linear_inputs(A, W, b, where, A_name="A"):
    """Check the three inputs of a linear step and return them as arrays.

    Shapes are checked, and W and b must be finite. A's values are not scanned: A can
    be the whole data set, so the caller checks what it computes from A with
    :func:`require_finite_result` instead.

    Parameters
    ----------
    A : array_like, shape (n[l-1], m)
    W : array_like, shape (n[l], n[l-1])
    b : array_like, shape (n[l], 1)
    """
    A = as_matrix(A, A_name, where)
    W = as_matrix(W, "W", where)
    if getattr(b, "ndim", None) == 1:
        raise ValueError(
            f"{where}: b has shape {b.shape} (1-D), expected a column ({b.shape[0]}, 1). "
            "Fix: b = b.reshape(-1, 1); a 1-D b would be broadcast along the wrong axis."
        )
    b = as_matrix(b, "b", where)
    if W.shape[1] != A.shape[0]:
        looks_transposed = W.shape[0] == A.shape[0]
        raise ValueError(
            f"{where}: W has shape {W.shape} but {A_name} has shape {A.shape}: W @ {A_name} "
            f"needs W to have {A.shape[0]} columns"
            + (f"; W looks transposed (W.T has shape {W.T.shape}). " if looks_transposed
               else f", expected W of shape ({W.shape[0]}, {A.shape[0]}). ")
            + f"Fix: W[l] is (n[l], n[l-1]) and {A_name} is (n[l-1], m); check layer_dims "
            "against the data, or a transposed W."
        )
    require_shape(
        b, "b", (W.shape[0], 1), where,
        "b[l] is a column (n[l], 1) with one bias per unit; a row or a vector would be "
        "silently broadcast to a wrong result.",
    )
    require_finite(W, "W", where)
    require_finite(b, "b", where)
    return A, W, b


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
        Z, cache = _linear_forward(A, W, b)
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
    activation : {"relu", "sigmoid"}

    Returns
    -------
    A : numpy.ndarray, shape (n[l], m)
        Activations of layer l.
    cache : tuple
        ``(linear_cache, activation_cache)``: ``((A_prev, W, b), Z)`` with
        Z of shape (n[l], m).
    """
    require_activation(activation, "linear_activation_forward")
    where = "linear_activation_forward"
    A_prev, W, b = check_linear_inputs(A_prev, W, b, where, "A_prev")
    with quiet_nonfinite():
        A, cache = _linear_activation_forward(A_prev, W, b, activation)
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
    X = as_matrix(X, "X", "L_model_forward")
    n_0 = parameters["W1"].shape[1]
    if X.shape[0] != n_0:
        raise ValueError(
            f"L_model_forward: X has shape {X.shape} but W1 has shape {parameters['W1'].shape}: "
            f"expected X of shape ({n_0}, m), one example per column. Fix: flatten each "
            "image into a column (X.reshape(m, -1).T), or make layer_dims[0] match X."
        )
    with quiet_nonfinite():
        AL, caches = _model_forward(X, parameters, L)
    for l, (_, Z) in enumerate(caches, start=1):
        # Zl is computed from Wl, bl and A[l-1]; of those only X (for Z1) was not
        # itself computed from checked values.
        sources = [(np.asarray(parameters[f"{p}{l}"]), f"parameters['{p}{l}']") for p in "Wb"]
        if l == 1:
            sources.append((X, "X"))
        require_finite_result(Z, f"Z{l}", "L_model_forward", sources)
    return AL, caches
