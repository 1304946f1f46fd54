"""The cross-entropy cost of the network's predictions."""

import numpy as np

from .validation import as_matrix, require_finite, require_labels, require_shape

# The largest double below 1: clipping to it changes only probabilities that are
# exactly 0 or 1 (where log would give -inf), so every other value is untouched.
_ONE_BELOW = np.nextafter(1.0, 0.0)
_TINY = np.finfo(np.float64).tiny


def _clip_probabilities(AL):
    return np.clip(AL, _TINY, _ONE_BELOW)


def _compute_cost(AL, Y):
    m = Y.shape[1]
    AL = _clip_probabilities(AL)
    cost = (1.0 / m) * (-(Y @ np.log(AL).T) - (1 - Y) @ np.log(1 - AL).T)
    return float(np.squeeze(cost))


def check_predictions(AL, Y, where):
    """Check AL (probabilities) and Y (0/1 labels) of the same shape (1, m)."""
    AL = as_matrix(AL, "AL", where)
    Y = as_matrix(Y, "Y", where)
    require_shape(
        Y, "Y", AL.shape, where,
        "Y and AL must both be rows (1, m); reshape Y with Y.reshape(1, -1).",
    )
    if AL.shape[0] != 1:
        raise ValueError(
            f"{where}: AL has shape {AL.shape}, expected a row (1, m) of probabilities. "
            "Fix: the last layer of this binary classifier has one unit (layer_dims[-1] = 1)."
        )
    require_finite(AL, "AL", where)
    if AL.min() < 0 or AL.max() > 1:
        raise ValueError(
            f"{where}: AL has values in [{AL.min():.3g}, {AL.max():.3g}], expected "
            "probabilities in [0, 1]. Fix: the last layer must use the sigmoid activation."
        )
    require_labels(Y, "Y", where)
    return AL, Y


def compute_cost(AL, Y):
    """Cross-entropy cost, J = -(1/m) sum(Y log(AL) + (1 - Y) log(1 - AL)).

    Parameters
    ----------
    AL : numpy.ndarray, shape (1, m)
        Predicted probabilities of the label 1.
    Y : numpy.ndarray, shape (1, m)
        True labels, 0 or 1.

    Returns
    -------
    cost : float
        A Python float, finite even where AL is exactly 0 or 1.
    """
    AL, Y = check_predictions(AL, Y, "compute_cost")
    return _compute_cost(AL, Y)
