"""Small helpers for the experiment notebooks (hyperparameters, depth).

Choosing hyperparameters is an empirical loop: train, measure on data the model
did not learn from, change one thing, repeat. These helpers keep that loop short
in a notebook: an accuracy without printing (re-exported from
:mod:`dnn_utils.models`), a training run that records train and validation accuracy
as it goes, a seeded 2-D dataset, and the first layer's weights as pictures.
"""

import numpy as np

from .backward import L_model_backward
from .contracts import check_label_row
from .cost import compute_cost
from .forward import L_model_forward
from .models import L_layer_model, accuracy
from .update import update_parameters
from .validation import (
    as_matrix,
    check_layer_dims,
    require_count,
    require_finite,
    require_positive_number,
    require_shape,
)

__all__ = ["accuracy", "best_checkpoint", "train_with_history", "make_rings", "weights_as_images"]


def train_with_history(X_train, Y_train, X_val, Y_val, layer_dims, learning_rate=0.0075,
                       num_iterations=3000, *, seed=1):
    """Train with :func:`dnn_utils.L_layer_model`, recording accuracies every 100 iterations.

    The recording uses L_layer_model's ``callback``: at iterations 0, 100, 200, ...
    and the last one, the cost and the train and validation accuracies of the
    parameters *before* that iteration's update are stored.

    Parameters
    ----------
    X_train : numpy.ndarray, shape (n[0], m_train)
    Y_train : numpy.ndarray, shape (1, m_train)
    X_val : numpy.ndarray, shape (n[0], m_val)
        Held-out inputs, never used for the gradient.
    Y_val : numpy.ndarray, shape (1, m_val)
    layer_dims : sequence of int, length L + 1
        ``[n[0], ..., n[L]]`` with n[L] = 1.
    learning_rate : float, optional
    num_iterations : int, optional
    seed : int, optional
        Seed of the initialization (see :func:`dnn_utils.initialize_parameters_deep`).

    Returns
    -------
    parameters : dict
        The trained parameters, as returned by L_layer_model.
    history : dict of lists, each of length k (one entry per checkpoint)
        ``"iteration"`` (int), ``"cost"`` (the training cost), ``"validation_cost"``,
        ``"train_accuracy"`` and ``"validation_accuracy"`` (float).
    """
    where = "train_with_history"
    X_val = as_matrix(X_val, "X_val", where)
    Y_val = as_matrix(Y_val, "Y_val", where)
    dims = check_layer_dims(layer_dims, where)
    require_shape(
        X_val, "X_val", (dims[0], X_val.shape[1]), where,
        f"X_val needs layer_dims[0] = {dims[0]} rows (one example per column), like X_train.",
    )
    check_label_row(Y_val, "Y_val", X_val.shape[1], where, X_name="X_val")
    require_finite(X_val, "X_val", where)

    history = {"iteration": [], "cost": [], "validation_cost": [], "train_accuracy": [],
               "validation_accuracy": []}

    def record(i, cost, parameters):
        history["iteration"].append(i)
        history["cost"].append(cost)
        AL_val, _ = L_model_forward(X_val, parameters)
        history["validation_cost"].append(compute_cost(AL_val, Y_val))
        history["train_accuracy"].append(accuracy(X_train, Y_train, parameters))
        history["validation_accuracy"].append(accuracy(X_val, Y_val, parameters))

    parameters, _ = L_layer_model(
        X_train, Y_train, dims, learning_rate=learning_rate, num_iterations=num_iterations,
        seed=seed, callback=record,
    )
    return parameters, history


def best_checkpoint(iterations, validation_accuracy, validation_cost, tol=1e-9):
    """The package's early-stopping rule (the reference of notebook 04's exercise 2).

    The iteration with the highest validation accuracy; accuracies within ``tol`` of the
    best count as tied; among tied checkpoints the lowest validation cost, then the
    earliest iteration.

    Parameters
    ----------
    iterations : sequence of int, length k
        The iteration of each checkpoint.
    validation_accuracy : sequence of float, length k
    validation_cost : sequence of float, length k
    tol : float, optional
        Accuracies within ``tol`` of the best are tied.

    Returns
    -------
    int
        The chosen entry of ``iterations``.
    """
    k = len(iterations)
    if k == 0 or len(validation_accuracy) != k or len(validation_cost) != k:
        raise ValueError(
            f"best_checkpoint: iterations, validation_accuracy and validation_cost must be "
            f"non-empty and of one length; got lengths {k}, {len(validation_accuracy)} and "
            f"{len(validation_cost)}. Pass one entry per checkpoint in each list.")
    best = max(validation_accuracy)
    tied = [i for i, a in enumerate(validation_accuracy) if a >= best - tol]
    chosen = min(tied, key=lambda i: (validation_cost[i], i))
    return int(iterations[chosen])


def make_rings(m, n_rings=3, seed=0):
    """Points in the square [-1, 1]^2 labeled by the ring their radius falls in.

    The label is 1 on alternate rings: ``floor(n_rings * r) mod 2`` with
    ``r = sqrt(x1**2 + x2**2)``, so the disc of radius 1/n_rings is class 0, the next
    ring class 1, and so on (the corners, r > 1, continue the pattern).

    Parameters
    ----------
    m : int
        Number of examples.
    n_rings : int, optional
        How many rings fit in the radius 1.
    seed : int, optional
        Seed of a private generator (NumPy's global state is untouched).

    Returns
    -------
    X : numpy.ndarray, shape (2, m)
        Uniform points, one per column.
    Y : numpy.ndarray, shape (1, m)
        Labels 0.0 or 1.0.
    """
    where = "make_rings"
    require_count(m, "m", where)
    require_count(n_rings, "n_rings", where)
    require_count(seed, "seed", where, minimum=0)
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1.0, 1.0, size=(2, m))
    r = np.sqrt(np.sum(X ** 2, axis=0, keepdims=True))
    Y = np.floor(n_rings * r) % 2
    return X, Y


def weights_as_images(W1, num_px=64):
    """Each row of W1 (one hidden unit) reshaped to an RGB image, scaled to [0, 1].

    Every unit is scaled on its own (its smallest weight -> 0, its largest -> 1),
    so the pictures show the *pattern* of each unit, not how large its weights are
    compared with another unit's. Gray (0.5) is not necessarily a weight of 0.

    Parameters
    ----------
    W1 : numpy.ndarray, shape (n[1], num_px * num_px * 3)
        First-layer weights of a network trained on flattened images
        (``images.reshape(m, -1).T``, so each row unflattens to (num_px, num_px, 3)).
    num_px : int, optional

    Returns
    -------
    images : numpy.ndarray, shape (n[1], num_px, num_px, 3), float64 in [0, 1]
    """
    where = "weights_as_images"
    W1 = as_matrix(W1, "W1", where)
    require_count(num_px, "num_px", where)
    n_x = num_px * num_px * 3
    if W1.shape[1] != n_x:
        raise ValueError(
            f"{where}: W1 has shape {W1.shape}, expected (n[1], {n_x}) = one row of "
            f"{num_px}*{num_px}*3 weights per unit. Fix: pass parameters['W1'] of a network "
            "trained on flattened images, and the images' num_px."
        )
    require_finite(W1, "W1", where)
    low = W1.min(axis=1, keepdims=True)
    span = W1.max(axis=1, keepdims=True) - low
    # A unit with all-equal weights has no pattern: show it as mid gray, not 0/0.
    scaled = np.where(span > 0, (W1 - low) / np.where(span > 0, span, 1.0), 0.5)
    return scaled.reshape(W1.shape[0], num_px, num_px, 3)


def first_layer_through(parameters, points):
    """Move each first-layer unit's boundary line so that it passes through a given point.

    Unit j of layer 1 switches on where ``W1[j] @ x + b1[j] = 0``. With
    ``b1[j] = -W1[j] @ points[:, j]`` that boundary passes through ``points[:, j]``; its
    direction (W1[j]) is unchanged. :func:`dnn_utils.initialize_parameters_deep` starts
    every bias at zero, which puts every boundary through the origin.

    Parameters
    ----------
    parameters : dict
        ``"Wl"``: (n[l], n[l-1]) and ``"bl"``: (n[l], 1) for l = 1..L.
    points : numpy.ndarray, shape (n[0], n[1])
        One point of the input space per first-layer unit.

    Returns
    -------
    parameters : dict
        A copy, with ``"b1"`` of shape (n[1], 1) replaced; the inputs are not changed.
    """
    where = "first_layer_through"
    if not isinstance(parameters, dict) or "W1" not in parameters:
        raise ValueError(f"{where}: parameters must be a dict with 'W1' and 'b1', as "
                         "initialize_parameters_deep returns.")
    W1 = as_matrix(parameters["W1"], "parameters['W1']", where)
    points = as_matrix(points, "points", where)
    require_shape(
        points, "points", (W1.shape[1], W1.shape[0]), where,
        "one column per first-layer unit, each a point of the input space: "
        "(n[0], n[1]) = W1.T's shape.",
    )
    require_finite(points, "points", where)
    moved = {key: value.copy() for key, value in parameters.items()}
    moved["b1"] = -np.sum(W1 * points.T, axis=1, keepdims=True)
    return moved


def train_from(X, Y, parameters, learning_rate, num_iterations):
    """Plain gradient descent from the given parameters (L_layer_model starts from its own).

    Every iteration runs the public blocks: :func:`dnn_utils.L_model_forward`,
    :func:`dnn_utils.L_model_backward` and :func:`dnn_utils.update_parameters`.

    Parameters
    ----------
    X : numpy.ndarray, shape (n[0], m)
    Y : numpy.ndarray, shape (1, m)
        Labels 0 or 1.
    parameters : dict
        The start: ``"Wl"``: (n[l], n[l-1]) and ``"bl"``: (n[l], 1) for l = 1..L.
    learning_rate : float
    num_iterations : int

    Returns
    -------
    parameters : dict
        After ``num_iterations`` updates (the start is not changed).
    """
    where = "train_from"
    require_count(num_iterations, "num_iterations", where)
    require_positive_number(learning_rate, "learning_rate", where)
    for _ in range(num_iterations):
        AL, caches = L_model_forward(X, parameters)
        grads = L_model_backward(AL, Y, caches)
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters


def boundary_distances(parameters):
    """Distance from the origin of each first-layer unit's boundary ``W1[j] @ x + b1[j] = 0``.

    Parameters
    ----------
    parameters : dict
        With ``"W1"``: (n[1], n[0]) and ``"b1"``: (n[1], 1).

    Returns
    -------
    distances : numpy.ndarray, shape (n[1],)
        ``|b1[j]| / ||W1[j]||`` (inf for a unit whose weights are all zero).
    """
    where = "boundary_distances"
    W1 = as_matrix(parameters["W1"], "parameters['W1']", where)
    b1 = as_matrix(parameters["b1"], "parameters['b1']", where)
    require_shape(b1, "parameters['b1']", (W1.shape[0], 1), where, "one bias per row of W1.")
    norms = np.linalg.norm(W1, axis=1)
    with np.errstate(divide="ignore"):
        return np.where(norms > 0, np.abs(b1[:, 0]) / np.where(norms > 0, norms, 1.0), np.inf)


def count_pieces_1d(parameters, x):
    """Number of linear pieces of a ReLU network's output along sorted 1-D inputs.

    The hidden layers are ReLU; the output of a network with fixed on/off pattern of
    its hidden units is linear in x, so a new piece starts wherever that pattern
    changes between two neighboring points of ``x``. Pieces narrower than the spacing
    of ``x`` can be missed; a unit that switches without changing the output (its
    outgoing weights are zero) would be counted.

    Parameters
    ----------
    parameters : dict
        ``"Wl"``: (n[l], n[l-1]), ``"bl"``: (n[l], 1) for l = 1..L, with n[0] = 1.
    x : numpy.ndarray, shape (k,)
        Increasing inputs.

    Returns
    -------
    pieces : int
    """
    where = "count_pieces_1d"
    x = np.asarray(x, dtype=float)
    if x.ndim != 1 or x.size < 2 or not np.all(np.diff(x) > 0):
        raise ValueError(f"{where}: x must be a 1-D increasing array of at least 2 points; "
                         f"got shape {x.shape}. Fix: np.linspace(low, high, 10001).")
    pattern = activation_patterns(parameters, x.reshape(1, -1))
    return 1 + int(np.sum(np.any(pattern[:, 1:] != pattern[:, :-1], axis=0)))


def activation_patterns(parameters, X):
    """Which hidden ReLU units are on (Z > 0) for each example.

    Where the pattern is the same, the network's output before the last activation is
    one linear function of the input, so the number of distinct patterns met by a set
    of points is the number of linear pieces those points see.

    Parameters
    ----------
    parameters : dict
        ``"Wl"``: (n[l], n[l-1]), ``"bl"``: (n[l], 1) for l = 1..L.
    X : numpy.ndarray, shape (n[0], m)

    Returns
    -------
    patterns : numpy.ndarray of bool, shape (n[1] + ... + n[L-1], m)
        Rows: the hidden units, layer 1 first; columns: the examples.
    """
    L = len(parameters) // 2
    A = as_matrix(X, "X", "activation_patterns")
    patterns = [np.zeros((0, A.shape[1]), dtype=bool)]
    for l in range(1, L):
        Z = parameters[f"W{l}"] @ A + parameters[f"b{l}"]
        patterns.append(Z > 0)
        A = np.maximum(0, Z)
    return np.concatenate(patterns, axis=0)
