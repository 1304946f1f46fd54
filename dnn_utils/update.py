"""One step of gradient descent."""

import numpy as np

from .validation import (
    ParameterKeyError,
    as_matrix,
    check_parameters,
    quiet_nonfinite,
    require_finite,
    require_finite_result,
    require_positive_number,
)


def _update_parameters(parameters, grads, learning_rate, L):
    new = {}
    for l in range(1, L + 1):
        new[f"W{l}"] = parameters[f"W{l}"] - learning_rate * grads[f"dW{l}"]
        new[f"b{l}"] = parameters[f"b{l}"] - learning_rate * grads[f"db{l}"]
    return new


def check_grads(grads, parameters, L, where, values=True):
    """Check that grads has dWl and dbl of the shapes of Wl and bl, l = 1..L.

    With ``values=True`` they must also be finite.
    """
    if not isinstance(grads, dict):
        raise TypeError(
            f"{where}: grads is a {type(grads).__name__}, expected the dict returned by "
            "L_model_backward."
        )
    for l in range(1, L + 1):
        for p in "Wb":
            key = f"d{p}{l}"
            if key not in grads:
                raise ParameterKeyError(
                    f"{where}: grads has no {key!r} (it has {sorted(grads, key=str)}). "
                    f"Fix: grads needs 'dW1', 'db1', ..., 'dW{L}', 'db{L}' to match parameters."
                )
            g = as_matrix(grads[key], f"grads[{key!r}]", where)
            shape = parameters[f"{p}{l}"].shape
            if g.shape != shape:
                raise ValueError(
                    f"{where}: grads[{key!r}] has shape {g.shape}, expected {shape} like "
                    f"parameters['{p}{l}']. Fix: a gradient has the shape of its parameter; "
                    "look for a missing transpose or a sum without keepdims=True."
                )
            if values:
                require_finite(g, f"grads[{key!r}]", where)


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
        new = _update_parameters(parameters, grads, learning_rate, L)
    for key, value in new.items():
        sources = [(np.asarray(parameters[key]), f"parameters[{key!r}]"),
                   (np.asarray(grads["d" + key]), f"grads['d{key}']")]
        require_finite_result(value, f"the new {key}", where, sources)
    return new
