"""Parameter initialization for the 2-layer and the L-layer network.

Each function draws from its own ``numpy.random.RandomState(seed)``: the same
numbers as ``np.random.seed(seed)`` followed by ``np.random.randn``, so the
published figures are reproduced, without touching the caller's global random
state.
"""

import numpy as np

from .validation import check_layer_dims, require_count


def initialize_parameters(n_x, n_h, n_y, seed=1):
    """Initialize a 2-layer network LINEAR -> RELU -> LINEAR -> SIGMOID.

    Weights are 0.01 * N(0, 1), biases are zeros.

    Parameters
    ----------
    n_x : int
        Size of the input layer, n[0].
    n_h : int
        Size of the hidden layer, n[1].
    n_y : int
        Size of the output layer, n[2].
    seed : int, optional
        Seed of the private random generator (default 1, the published one).

    Returns
    -------
    parameters : dict
        ``"W1"``: (n_h, n_x), ``"b1"``: (n_h, 1), ``"W2"``: (n_y, n_h),
        ``"b2"``: (n_y, 1).
    """
    n_x, n_h, n_y = check_layer_dims([n_x, n_h, n_y], "initialize_parameters")
    require_count(seed, "seed", "initialize_parameters", minimum=0)
    rng = np.random.RandomState(seed)
    W1 = rng.randn(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = rng.randn(n_y, n_h) * 0.01
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


def initialize_parameters_deep(layer_dims, seed=1):
    """Initialize an L-layer network.

    W[l] is N(0, 1) / sqrt(n[l-1]) (so the variance of Z[l] does not grow or shrink
    with the width of the previous layer), b[l] is zeros.

    Parameters
    ----------
    layer_dims : sequence of int, length L + 1
        ``[n[0], n[1], ..., n[L]]``.
    seed : int, optional
        Seed of the private random generator (default 1, the published one).

    Returns
    -------
    parameters : dict
        ``"Wl"``: (n[l], n[l-1]) and ``"bl"``: (n[l], 1) for l = 1..L.
    """
    dims = check_layer_dims(layer_dims, "initialize_parameters_deep")
    require_count(seed, "seed", "initialize_parameters_deep", minimum=0)
    rng = np.random.RandomState(seed)
    parameters = {}
    for l in range(1, len(dims)):
        parameters[f"W{l}"] = rng.randn(dims[l], dims[l - 1]) / np.sqrt(dims[l - 1])
        parameters[f"b{l}"] = np.zeros((dims[l], 1))
    return parameters
