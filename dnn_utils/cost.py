"""The cross-entropy cost of the network's predictions."""

import numpy as np

from .contracts import check_predictions

# The largest double below 1: clipping to it changes only probabilities that are
# exactly 0 or 1 (where log would give -inf), so every other value is untouched.
_ONE_BELOW = np.nextafter(1.0, 0.0)
_TINY = np.finfo(np.float64).tiny


def clip_probabilities(AL):
    """AL with exact 0s and 1s moved to the nearest doubles inside (0, 1).

    Parameters
    ----------
    AL : numpy.ndarray, shape (1, m)

    Returns
    -------
    numpy.ndarray, shape (1, m)
        A new array, equal to AL wherever 0 < AL < 1.
    """
    return np.clip(AL, _TINY, _ONE_BELOW)


def compute_cost(AL, Y, *, check=True):
    """Cross-entropy cost, J = -(1/m) sum(Y log(AL) + (1 - Y) log(1 - AL)).

    Parameters
    ----------
    AL : numpy.ndarray, shape (1, m)
        Predicted probabilities of the label 1.
    Y : numpy.ndarray, shape (1, m)
        True labels, 0 or 1.
    check : bool, optional
        False skips the input check.

    Returns
    -------
    cost : float
        A Python float, finite even where AL is exactly 0 or 1 (those are moved inside
        (0, 1) by :func:`clip_probabilities`). The sums over the m examples are the
        products ``Y @ log(AL).T``, shape (1, 1).
    """
    if check:
        AL, Y = check_predictions(AL, Y, "compute_cost")
    m = Y.shape[1]
    AL = clip_probabilities(AL)
    cost = -(1 / m) * (Y @ np.log(AL).T + (1 - Y) @ np.log(1 - AL).T)
    return float(np.squeeze(cost))
