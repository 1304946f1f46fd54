"""One step of gradient descent."""

import numpy as np

from .contracts import check_grads
from .validation import (
    check_parameters,
    quiet_nonfinite,
    require_finite_result,
    require_positive_number,
)


def update_parameters(parameters, grads, learning_rate, *, check=True):
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
    check : bool, optional
        False skips the checks of the inputs and of the new parameters.

    Returns
    -------
    parameters : dict
        New arrays with the shapes above.
    """
    where = "update_parameters"
    if check:
        # Values are checked in the result: a NaN or inf in W or dW always reaches
        # W - learning_rate * dW, and checking one array is cheaper than checking two.
        L = check_parameters(parameters, where, values=False)
        check_grads(grads, parameters, L, where, values=False)
        require_positive_number(learning_rate, "learning_rate", where)
    new = {}
    with quiet_nonfinite():
        for key, W in parameters.items():  # W1, b1, W2, b2, ...: the same formula
            dW = grads["d" + key]
            W = W - learning_rate * dW
            new[key] = W
    if check:
        for key, value in new.items():
            sources = [(np.asarray(parameters[key]), f"parameters[{key!r}]"),
                       (np.asarray(grads["d" + key]), f"grads['d{key}']")]
            require_finite_result(value, f"the new {key}", where, sources)
    return new
