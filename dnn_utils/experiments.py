"""Small helpers for the experiment notebooks (hyperparameters, depth).

Choosing hyperparameters is an empirical loop: train, measure on data the model
did not learn from, change one thing, repeat. These helpers keep that loop short
in a notebook: an accuracy without printing (re-exported from
:mod:`dnn_utils.models`), a training run that records train and validation accuracy
as it goes, a seeded 2-D dataset, and the first layer's weights as pictures.
"""

import numpy as np

from .contracts import check_label_row
from .cost import compute_cost
from .forward import L_model_forward
from .models import L_layer_model, accuracy
from .validation import (
    as_matrix,
    check_layer_dims,
    require_count,
    require_finite,
    require_shape,
)

__all__ = ["accuracy", "train_with_history", "make_rings", "weights_as_images"]


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


def make_rings(m, n_rings=3, seed=0):
    """Points in the square [-1, 1]^2 labelled by the ring their radius falls in.

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
