"""What every block expects of its inputs, one function per contract.

Each ``check_*`` function here states one contract of the lecture's blocks (the
inputs of a linear step, a layer's cache, a row of labels, predictions, gradients,
training data) in terms of the primitives of :mod:`dnn_utils.validation`, and is
called wherever that contract is checked. A broken contract raises an error
naming the function, the argument, what was seen, what was expected and the fix.
"""

import numpy as np

from .validation import (
    ParameterKeyError,
    as_matrix,
    check_layer_dims,
    require_finite,
    require_labels,
    require_shape,
)

#: A_prev is not scanned for NaN or inf when a cache is checked (it can be the whole
#: data set); it reaches dW = (1 / m) * dZ @ A_prev.T, which is checked after the step.
CACHED_A_PREV = "A_prev (from the cache)"


def check_label_row(Y, name, m, where, X_name="X", labels=True):
    """Return ``Y`` as a (1, m) array of 0/1 labels, one per column of ``X_name``.

    Parameters
    ----------
    Y : array_like, shape (1, m)
    name : str
        Y's name in the caller (``"Y"``, ``"y"``, ``"Y_val"``).
    m : int
        Number of examples (columns of the inputs).
    X_name : str, optional
        The inputs the labels belong to, for the message.
    labels : bool, optional
        Also require every entry to be 0 or 1 (default).

    Returns
    -------
    Y : numpy.ndarray, shape (1, m)
    """
    Y = as_matrix(Y, name, where)
    if Y.shape != (1, m):
        raise ValueError(
            f"{where}: {name} has shape {Y.shape}, expected (1, {m}): one label per column "
            f"of {X_name}. Fix: {name}.reshape(1, -1), and check {X_name} and {name} come "
            "from the same set."
        )
    if labels:
        require_labels(Y, name, where)
    return Y


def check_linear_inputs(A, W, b, where, A_name="A"):
    """Check the three inputs of a linear step and return them as arrays.

    Shapes are checked, and W and b must be finite. A's values are not scanned: A can
    be the whole data set, so the caller checks what it computes from A with
    :func:`dnn_utils.validation.require_finite_result` instead.

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


def check_model_input(X, parameters, where):
    """Return X as an (n[0], m) array matching ``parameters["W1"]``'s n[0] columns."""
    X = as_matrix(X, "X", where)
    n_0 = parameters["W1"].shape[1]
    if X.shape[0] != n_0:
        raise ValueError(
            f"{where}: X has shape {X.shape} but W1 has shape {parameters['W1'].shape}: "
            f"expected X of shape ({n_0}, m), one example per column. Fix: flatten each "
            "image into a column (X.reshape(m, -1).T), or make layer_dims[0] match X."
        )
    return X


def _check_tuple(cache, length, what, where):
    if not isinstance(cache, (tuple, list)) or len(cache) != length:
        raise TypeError(
            f"{where}: {what}, got {type(cache).__name__}"
            f"{' of length ' + str(len(cache)) if isinstance(cache, (tuple, list)) else ''}."
        )


def check_linear_cache(cache, where):
    """Check a linear cache ``(A_prev, W, b)`` and return its three arrays."""
    _check_tuple(cache, 3, "the linear cache must be the tuple (A_prev, W, b) returned by "
                 "linear_forward", where)
    return check_linear_inputs(*cache, where, A_name=CACHED_A_PREV)


def check_activation_cache(cache, where):
    """Check a layer cache ``((A_prev, W, b), Z)`` and return it as arrays."""
    _check_tuple(cache, 2, "cache must be the tuple (linear_cache, activation_cache) "
                 "returned by linear_activation_forward", where)
    A_prev, W, b = check_linear_cache(cache[0], where)
    Z = as_matrix(cache[1], "Z (from the cache)", where)
    require_shape(
        Z, "Z (from the cache)", (W.shape[0], A_prev.shape[1]), where,
        "the cache must be ((A_prev, W, b), Z) as returned by linear_activation_forward.",
    )
    require_finite(Z, "Z (from the cache)", where)
    return (A_prev, W, b), Z


def check_gradient_in(dX, name, shape, where):
    """Check a gradient flowing into a layer (dZ or dA) of this layer's output shape."""
    dX = as_matrix(dX, name, where)
    require_shape(
        dX, name, shape, where,
        f"{name} has the shape of this layer's output, (n[l], m), as stored in the cache.",
    )
    require_finite(dX, name, where)
    return dX


def check_activation_backward(dA, cache, where):
    """Check the inputs of an activation's backward step; returns ``(dA, Z)``."""
    dA = as_matrix(dA, "dA", where)
    Z = as_matrix(cache, "cache (Z)", where)
    require_shape(dA, "dA", Z.shape, where, "dA must have the shape of the Z stored in the cache.")
    require_finite(dA, "dA", where)
    require_finite(Z, "cache (Z)", where)
    return dA, Z


def check_caches(caches, AL, where):
    """Check that ``caches`` is one valid layer cache per layer, ending at AL's shape."""
    if not isinstance(caches, (list, tuple)) or len(caches) == 0:
        raise TypeError(
            f"{where}: caches must be the non-empty list returned by L_model_forward, "
            f"got {caches!r:.60}."
        )
    prev_units = None
    for l, cache in enumerate(caches, start=1):
        (A_prev, W, _), Z = check_activation_cache(cache, f"{where} (caches[{l - 1}])")
        if Z.shape[1] != AL.shape[1] or (prev_units is not None and W.shape[1] != prev_units):
            raise ValueError(
                f"{where}: caches[{l - 1}] holds W of shape {W.shape} and Z of shape {Z.shape}, "
                f"which does not chain with the layer before it or with AL {AL.shape}. "
                "Fix: pass the caches that L_model_forward returned with this AL, in order."
            )
        prev_units = W.shape[0]
    if Z.shape != AL.shape:
        raise ValueError(
            f"{where}: the last cache has Z of shape {Z.shape}, expected AL's shape {AL.shape}. "
            "Fix: pass the caches that L_model_forward returned with this AL."
        )


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


def check_training_data(X, Y, layer_dims, where):
    """Check the inputs of a training run; returns ``(X, Y, layer_dims)``.

    Parameters
    ----------
    X : array_like, shape (n[0], m)
    Y : array_like, shape (1, m)
    layer_dims : sequence of int, length L + 1, with n[L] = 1

    Returns
    -------
    X : numpy.ndarray, shape (n[0], m), float64, column-major
    Y : numpy.ndarray, shape (1, m), float64
    layer_dims : list of int
    """
    X = as_matrix(X, "X", where)
    Y = as_matrix(Y, "Y", where)
    dims = check_layer_dims(layer_dims, where, "layer_dims")
    if X.shape[0] != dims[0]:
        raise ValueError(
            f"{where}: X has shape {X.shape} but layer_dims[0] is {dims[0]}: expected X of "
            f"shape ({dims[0]}, m), one example per column. Fix: flatten the images "
            "(X.reshape(m, -1).T) or set layer_dims[0] = X.shape[0]."
        )
    check_label_row(Y, "Y", X.shape[1], where)
    if dims[-1] != 1:
        raise ValueError(
            f"{where}: layer_dims[-1] is {dims[-1]}, expected 1: this binary classifier "
            "has one sigmoid output unit."
        )
    require_finite(X, "X", where)
    # Column-major X (what flatten_images gives: X.T is contiguous) is the faster
    # layout for both large products, W1 @ X (which models.train then computes as
    # (X.T @ W1.T).T) and dZ1 @ X.T; converting costs one copy per
    # training run, and none when X already is float64 in that layout.
    return np.asfortranarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64), dims


def check_classes(classes, where):
    """Raise ``ValueError`` unless ``classes`` holds 2 names (label 0, label 1)."""
    if len(classes) != 2:
        raise ValueError(
            f"{where}: classes has {len(classes)} entries, expected 2 names (label 0, "
            "label 1), e.g. classes from load_data()."
        )
