"""One checked step of gradient descent (the formula is in :mod:`dnn_utils.kernels`)."""

import numpy as np

from . import kernels
from .contracts import check_grads
from .validation import (
    check_parameters,
    quiet_nonfinite,
    require_finite_result,
    require_positive_number,
)


def update_parameters(parameters, grads, learning_rate):
    """Gradient descent, W[l] := W[l] - learning_rate * dW[l] (and likewise b).

    The caller's dict and arrays are left untouched; a new dict is returned.

    Parameters
    ----------
    parameters : dict
        ``"Wl"``: (n[l], n[l-1]) and ``"bl"``: (n[l], 1) for l = 1..L.
    grads : dict
        ``"dWl"``: (n[l], n[l-1]) and ``"dbl"``: (n[l], 1) for l = 1..L (``"dAl"``
        entries are ignored).
    learning_rate : float
        Step size alpha, > 0.

    Returns
    -------
    parameters : dict
        New arrays with the shapes above.
    """
    where = "update_parameters"
    # Values are checked in the result: a NaN or inf in W or dW always reaches
    # W - learning_rate * dW, and checking one array is cheaper than checking two.
    L = check_parameters(parameters, where, values=False)
    check_grads(grads, parameters, L, where, values=False)
    require_positive_number(learning_rate, "learning_rate", where)
    with quiet_nonfinite():
        new = kernels.update_parameters(parameters, grads, learning_rate)
    for key, value in new.items():
        sources = [(np.asarray(parameters[key]), f"parameters[{key!r}]"),
                   (np.asarray(grads["d" + key]), f"grads['d{key}']")]
        require_finite_result(value, f"the new {key}", where, sources)
    return new
