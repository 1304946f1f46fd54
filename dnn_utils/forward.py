"""Forward propagation: one linear step, one layer, the whole L-layer model.

Each function returns ``(output, cache)``; the cache holds what the matching
backward function needs (CS231n's convention). Each checks its inputs
(:mod:`dnn_utils.contracts`), computes the lecture's formula, then checks that its
result is finite. ``check=False`` skips both checks: the training loop of
:mod:`dnn_utils.models` checks its data once per run and then calls these same
functions unchecked.
"""

import numpy as np

from .activations import ACTIVATIONS, check_activation, layer_activation
from .contracts import check_linear_inputs, check_model_input
from .validation import check_parameters, quiet_nonfinite, require_finite_result


def linear_forward(A, W, b, *, check=True):
    """Linear part of a layer's forward step, Z = W A + b (A is A[l-1], or X).

    The parameters are named as in notebook 02's exercise.

    Parameters
    ----------
    A : numpy.ndarray, shape (n[l-1], m)
        Activations of the previous layer (or the input X).
    W : numpy.ndarray, shape (n[l], n[l-1])
        Weights of layer l.
    b : numpy.ndarray, shape (n[l], 1)
        Biases of layer l, broadcast over the m examples.
    check : bool, optional
        False skips the checks of the inputs and of Z.

    Returns
    -------
    Z : numpy.ndarray, shape (n[l], m)
        Input of the activation function.
    cache : tuple
        ``(A, W, b)`` with the shapes above.
    """
    if check:
        A, W, b = check_linear_inputs(A, W, b, "linear_forward")
    with quiet_nonfinite():
        Z = W @ A + b
    if check:
        require_finite_result(Z, "Z", "linear_forward", [(A, "A")])
    return Z, (A, W, b)


def linear_activation_forward(A_prev, W, b, activation, *, check=True):
    """Forward step of one layer, A = g(Z) with Z = W A_prev + b.

    Parameters
    ----------
    A_prev : numpy.ndarray, shape (n[l-1], m)
        Activations of the previous layer (or the input X).
    W : numpy.ndarray, shape (n[l], n[l-1])
    b : numpy.ndarray, shape (n[l], 1)
    activation : str
        A name in ``activations.ACTIVATIONS``: "relu" or "sigmoid".
    check : bool, optional
        False skips the checks of the inputs and of Z.

    Returns
    -------
    A : numpy.ndarray, shape (n[l], m)
        Activations of layer l.
    cache : tuple
        ``(linear_cache, activation_cache)``: ``((A_prev, W, b), Z)`` with
        Z of shape (n[l], m).
    """
    where = "linear_activation_forward"
    if check:
        check_activation(activation, where)
        A_prev, W, b = check_linear_inputs(A_prev, W, b, where, "A_prev")
    Z, linear_cache = linear_forward(A_prev, W, b, check=False)
    if check:
        # Z, not A: ReLU turns -inf into 0 and sigmoid turns +-inf into 1 and 0.
        require_finite_result(Z, "Z", where, [(A_prev, "A_prev")])
    A, activation_cache = ACTIVATIONS[activation].forward(Z, check=False)
    return A, (linear_cache, activation_cache)


def L_model_forward(X, parameters, *, check=True):
    """Forward pass of the whole network, [LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID.

    Parameters
    ----------
    X : numpy.ndarray, shape (n[0], m)
        Input data, one example per column.
    parameters : dict
        ``"Wl"``: (n[l], n[l-1]) and ``"bl"``: (n[l], 1) for l = 1..L.
    check : bool, optional
        False skips the checks of the inputs and of every Z.

    Returns
    -------
    AL : numpy.ndarray, shape (n[L], m)
        Output of the sigmoid layer: the predicted probabilities.
    caches : list of tuple, length L
        ``caches[l - 1]`` is the cache of layer l, as returned by
        :func:`linear_activation_forward`.
    """
    where = "L_model_forward"
    if check:
        L = check_parameters(parameters, where, values=False)
        X = check_model_input(X, parameters, where)
    else:
        L = len(parameters) // 2
    caches = []
    A = X
    for l in range(1, L + 1):
        A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"],
                                             layer_activation(l, L), check=False)
        caches.append(cache)
    if check:
        for l, (_, Z) in enumerate(caches, start=1):
            # Zl is computed from Wl, bl and A[l-1]; of those only X (for Z1) was not
            # itself computed from checked values.
            sources = [(np.asarray(parameters[f"{p}{l}"]), f"parameters['{p}{l}']")
                       for p in "Wb"]
            if l == 1:
                sources.append((X, "X"))
            require_finite_result(Z, f"Z{l}", where, sources)
    return A, caches
