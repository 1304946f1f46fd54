"""Training the 2-layer and the L-layer model, and predicting with them."""

import numpy as np

from .backward import _model_backward
from .cost import _compute_cost
from .forward import L_model_forward, _model_forward
from .initialization import initialize_parameters, initialize_parameters_deep
from .validation import (
    as_matrix,
    check_layer_dims,
    require_count,
    require_finite,
    require_labels,
    require_positive_number,
)


class TrainingDivergedError(FloatingPointError):
    """Raised when the parameters of a training run stop being finite numbers."""


def _check_training_data(X, Y, layers_dims, where):
    X = as_matrix(X, "X", where)
    Y = as_matrix(Y, "Y", where)
    dims = check_layer_dims(layers_dims, where, "layers_dims")
    if X.shape[0] != dims[0]:
        raise ValueError(
            f"{where}: X has shape {X.shape} but layers_dims[0] is {dims[0]}: expected X of "
            f"shape ({dims[0]}, m), one example per column. Fix: flatten the images "
            "(X.reshape(m, -1).T) or set layers_dims[0] = X.shape[0]."
        )
    if Y.shape != (1, X.shape[1]):
        raise ValueError(
            f"{where}: Y has shape {Y.shape}, expected (1, {X.shape[1]}): one label per "
            "column of X. Fix: Y.reshape(1, -1), and check X and Y come from the same set."
        )
    if dims[-1] != 1:
        raise ValueError(
            f"{where}: layers_dims[-1] is {dims[-1]}, expected 1: this binary classifier "
            "has one sigmoid output unit."
        )
    require_finite(X, "X", where)
    require_labels(Y, "Y", where)
    # Column-major X (what flatten_images gives: X.T is contiguous) is the faster
    # layout for both large products, W1 @ X (which linear_forward then computes as
    # (X.T @ W1.T).T) and dZ1 @ X.T; converting costs one copy per training run, and
    # none when X already is float64 in that layout.
    return np.asfortranarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64), dims


def _check_not_diverged(AL, Y, i, learning_rate, where):
    """Raise TrainingDivergedError if the cost at iteration i is NaN or infinite."""
    if not np.isfinite(AL).all():
        reason = "the predictions became NaN (the weights grew without bound)"
    elif ((AL == 1) & (Y == 0)).any() or ((AL == 0) & (Y == 1)).any():
        # A wrong prediction that is exactly 0 or 1 has an infinite cross-entropy;
        # compute_cost clips it to stay finite, but training has gone off the rails.
        reason = ("the cost became infinite (a prediction is exactly 0 or 1 on the wrong "
                  "side: the weights grew far too large)")
    else:
        return
    raise TrainingDivergedError(
        f"{where}: training diverged at iteration {i}: {reason}. learning_rate = "
        f"{learning_rate} is too large for this network; try a smaller one, e.g. "
        f"{learning_rate / 10:g}."
    )


def _update_in_place(parameters, grads, learning_rate):
    """W := W - learning_rate * dW for every parameter, writing into the arrays.

    Only for the training loop, which owns its parameters: W1 and dW1 are 2 MB each
    for the cat model, and not allocating new ones every iteration is measurably
    faster. The public update_parameters never modifies its inputs.
    """
    for key, value in parameters.items():
        step = grads["d" + key]
        step *= learning_rate  # the gradient arrays are the loop's own too
        value -= step


def _train(X, Y, parameters, learning_rate, num_iterations, print_cost, callback, where):
    """Gradient descent from ``parameters``; inputs were checked by the caller.

    Returns
    -------
    parameters : dict
    costs : list of float
        The cost at iterations 0, 100, 200, ...
    """
    require_positive_number(learning_rate, "learning_rate", where)
    require_count(num_iterations, "num_iterations", where)
    L = len(parameters) // 2
    costs = []
    last = num_iterations - 1
    for i in range(num_iterations):
        AL, caches = _model_forward(X, parameters, L)
        _check_not_diverged(AL, Y, i, learning_rate, where)
        if i % 100 == 0 or i == last:
            cost = _compute_cost(AL, Y)
            if i % 100 == 0:
                costs.append(cost)
            if print_cost:
                print(f"Cost after iteration {i}: {cost}")
            if callback is not None:
                callback(i, cost, {key: value.copy() for key, value in parameters.items()})
        grads = _model_backward(AL, Y, caches, need_dA0=False)
        _update_in_place(parameters, grads, learning_rate)
    for key, value in parameters.items():
        if not np.isfinite(value).all():
            raise TrainingDivergedError(
                f"{where}: training diverged at the last iteration ({last}): {key} is no "
                f"longer finite. learning_rate = {learning_rate} is too large; try a "
                f"smaller one, e.g. {learning_rate / 10:g}."
            )
    return parameters, costs


def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000,
                    print_cost=False, *, seed=1, callback=None):
    """Train LINEAR -> RELU -> LINEAR -> SIGMOID with gradient descent.

    Parameters
    ----------
    X : numpy.ndarray, shape (n_x, m)
        Training inputs, one example per column.
    Y : numpy.ndarray, shape (1, m)
        Labels, 0 or 1.
    layers_dims : sequence of int
        ``(n_x, n_h, n_y)``.
    learning_rate : float, optional
    num_iterations : int, optional
    print_cost : bool, optional
        Print ``Cost after iteration i: c`` every 100 iterations and at the last one.
    seed : int, optional
        Seed of :func:`initialize_parameters` (default 1, the published one).
    callback : callable, optional
        Called as ``callback(i, cost, parameters)`` at every iteration whose cost is
        computed (every 100, and the last), with the parameters before that update.

    Returns
    -------
    parameters : dict
        ``"W1"``: (n_h, n_x), ``"b1"``: (n_h, 1), ``"W2"``: (n_y, n_h), ``"b2"``: (n_y, 1).
    costs : list of float
        The cost at iterations 0, 100, 200, ...
    """
    where = "two_layer_model"
    X, Y, dims = _check_training_data(X, Y, layers_dims, where)
    if len(dims) != 3:
        raise ValueError(
            f"{where}: layers_dims is {dims}, expected 3 sizes (n_x, n_h, n_y). "
            "Fix: use L_layer_model for deeper networks."
        )
    parameters = initialize_parameters(*dims, seed=seed)
    return _train(X, Y, parameters, learning_rate, num_iterations, print_cost, callback, where)


def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000,
                  print_cost=False, *, seed=1, callback=None):
    """Train [LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID with gradient descent.

    Parameters
    ----------
    X : numpy.ndarray, shape (n[0], m)
        Training inputs, one example per column.
    Y : numpy.ndarray, shape (1, m)
        Labels, 0 or 1.
    layers_dims : sequence of int, length L + 1
        ``[n[0], n[1], ..., n[L]]`` with n[L] = 1.
    learning_rate : float, optional
    num_iterations : int, optional
    print_cost : bool, optional
        Print ``Cost after iteration i: c`` every 100 iterations and at the last one.
    seed : int, optional
        Seed of :func:`initialize_parameters_deep` (default 1, the published one).
    callback : callable, optional
        Called as ``callback(i, cost, parameters)`` at every iteration whose cost is
        computed (every 100, and the last), with the parameters before that update.

    Returns
    -------
    parameters : dict
        ``"Wl"``: (n[l], n[l-1]) and ``"bl"``: (n[l], 1) for l = 1..L.
    costs : list of float
        The cost at iterations 0, 100, 200, ...
    """
    where = "L_layer_model"
    X, Y, dims = _check_training_data(X, Y, layers_dims, where)
    parameters = initialize_parameters_deep(dims, seed=seed)
    return _train(X, Y, parameters, learning_rate, num_iterations, print_cost, callback, where)


def predict(X, y, parameters):
    """Predict 0/1 labels with a trained network, printing the accuracy.

    Parameters
    ----------
    X : numpy.ndarray, shape (n[0], m)
        Inputs, one example per column.
    y : numpy.ndarray, shape (1, m), or None
        True labels; when given, the accuracy is printed.
    parameters : dict
        Trained parameters, ``"Wl"``: (n[l], n[l-1]) and ``"bl"``: (n[l], 1).

    Returns
    -------
    p : numpy.ndarray, shape (1, m)
        1.0 where the predicted probability is > 0.5, else 0.0.
    """
    probas, _ = L_model_forward(X, parameters)
    p = (probas > 0.5).astype(np.float64)
    if y is not None:
        y = as_matrix(y, "y", "predict")
        if y.shape != p.shape:
            raise ValueError(
                f"predict: y has shape {y.shape}, expected {p.shape}: one label per column "
                "of X. Fix: y.reshape(1, -1), and check X and y come from the same set."
            )
        require_labels(y, "y", "predict")
        print(f"Accuracy: {float(np.mean(p == y))}")
    return p
