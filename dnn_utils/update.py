"""One step of gradient descent."""

from .validation import (
    ParameterKeyError,
    as_matrix,
    check_parameters,
    require_finite,
    require_positive_number,
)


def _update_parameters(parameters, grads, learning_rate, L):
    new = {}
    for l in range(1, L + 1):
        new[f"W{l}"] = parameters[f"W{l}"] - learning_rate * grads[f"dW{l}"]
        new[f"b{l}"] = parameters[f"b{l}"] - learning_rate * grads[f"db{l}"]
    return new


def check_grads(grads, parameters, L, where):
    """Check that grads has dWl and dbl of the shapes of Wl and bl, l = 1..L."""
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
    L = check_parameters(parameters, where)
    check_grads(grads, parameters, L, where)
    require_positive_number(learning_rate, "learning_rate", where)
    return _update_parameters(parameters, grads, learning_rate, L)
