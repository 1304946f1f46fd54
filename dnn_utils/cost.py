"""The checked cross-entropy cost of the network's predictions."""

from . import kernels
from .contracts import check_predictions


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
    return kernels.compute_cost(AL, Y)
