"""Pictures of the data and of training: examples, the cost curve, mislabeled images.

Every function builds a :class:`matplotlib.figure.Figure` directly (not through
pyplot), so it works without a display and never shows anything by itself. In a
notebook, make the returned figure the cell's last expression (or call
``display(fig)``) to see it exactly once; elsewhere, ``fig.savefig("name.png")``.
"""

import math
import numbers

import numpy as np
from matplotlib.figure import Figure

from .contracts import check_classes, check_label_row
from .data import class_name
from .validation import as_matrix, require_labels, require_positive_number


def _grid(n, ncols, cell):
    """A figure with ``n`` image axes laid out ``ncols`` per row, ticks off."""
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    fig = Figure(figsize=(cell * ncols, cell * 1.25 * nrows), layout="constrained")
    axes = [fig.add_subplot(nrows, ncols, k + 1) for k in range(n)]
    for ax in axes:
        ax.axis("off")
    return fig, axes


def plot_examples(images, labels, classes, n=10, *, indices=None, ncols=5):
    """Show a grid of example images with their labels.

    Parameters
    ----------
    images : numpy.ndarray, shape (m, num_px, num_px, 3), uint8
        E.g. ``train_x_orig``.
    labels : numpy.ndarray, shape (1, m) or (m,)
        0 / 1 labels, e.g. ``train_y``.
    classes : numpy.ndarray, shape (2,)
        Names of label 0 and 1.
    n : int, optional
        How many images to show (the first ``n``), when ``indices`` is not given.
    indices : sequence of int, optional
        Exactly which images to show.
    ncols : int, optional
        Images per row.

    Returns
    -------
    matplotlib.figure.Figure
        One axes per image, titled ``"y = 1 (cat)"`` and so on.
    """
    where = "plot_examples"
    images = np.asarray(images)
    if images.ndim != 4 or images.shape[-1] != 3:
        raise ValueError(
            f"{where}: images has shape {images.shape}, expected (m, num_px, num_px, 3), "
            "e.g. train_x_orig from load_data()."
        )
    labels = np.asarray(labels).reshape(-1)
    m = images.shape[0]
    if labels.shape != (m,):
        raise ValueError(
            f"{where}: labels has {labels.size} entries for {m} images, expected one label "
            "per image (shape (1, m) or (m,))."
        )
    require_labels(labels, "labels", where)
    check_classes(classes, where)
    if indices is None:
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or not 1 <= n <= m:
            raise ValueError(f"{where}: n is {n!r}, expected a whole number from 1 to {m}.")
        indices = range(n)
    indices = [int(i) for i in indices]
    if not indices or not all(-m <= i < m for i in indices):
        raise ValueError(
            f"{where}: indices are {indices}, expected at least one index from 0 to {m - 1}."
        )
    fig, axes = _grid(len(indices), ncols, 2.0)
    for ax, i in zip(axes, indices):
        ax.imshow(images[i])
        ax.set_title(f"y = {int(labels[i])} ({class_name(classes, labels[i])})", fontsize=9)
    return fig


def plot_costs(costs, learning_rate):
    """Plot the cost recorded every 100 iterations.

    Parameters
    ----------
    costs : sequence of float, length k
        The costs at iterations 0, 100, ..., 100 * (k - 1), as returned by the models.
    learning_rate : float
        Shown in the title.

    Returns
    -------
    matplotlib.figure.Figure
        One axes: cost against iterations (per hundreds).
    """
    where = "plot_costs"
    try:
        values = np.asarray(costs, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"{where}: costs is {type(costs).__name__}, expected a list of numbers, "
            "e.g. the costs returned by L_layer_model."
        ) from None
    if values.ndim != 1 or values.size == 0:
        raise ValueError(
            f"{where}: costs has shape {values.shape}, expected a non-empty list of numbers "
            "(one cost per 100 iterations)."
        )
    require_positive_number(learning_rate, "learning_rate", where)
    fig = Figure(figsize=(6, 4), layout="constrained")
    ax = fig.add_subplot()
    ax.plot(np.arange(values.size), values)
    ax.set_xlabel("iterations (per hundreds)")
    ax.set_ylabel("cost")
    ax.set_title(f"Learning rate = {learning_rate}")
    return fig


def print_mislabeled_images(classes, X, y, p, *, ncols=5):
    """Show every image whose prediction differs from its true label.

    Parameters
    ----------
    classes : numpy.ndarray, shape (2,)
        Names of label 0 and 1.
    X : numpy.ndarray, shape (num_px * num_px * 3, m)
        Flattened images in [0, 1], one per column (as from ``flatten_images``).
    y : numpy.ndarray, shape (1, m)
        True labels.
    p : numpy.ndarray, shape (1, m)
        Predicted labels (as from ``predict``).
    ncols : int, optional
        Images per row.

    Returns
    -------
    matplotlib.figure.Figure
        One axes per mislabeled image, titled ``"Prediction: cat\\nClass: non-cat"``;
        no axes and the title "No mislabeled images" when every prediction is right.
    """
    where = "print_mislabeled_images"
    check_classes(classes, where)
    X = as_matrix(X, "X", where)
    y = as_matrix(y, "y", where)
    p = as_matrix(p, "p", where)
    m = X.shape[1]
    for name, arr in (("y", y), ("p", p)):
        check_label_row(arr, name, m, where)
    num_px = math.isqrt(X.shape[0] // 3)
    if num_px * num_px * 3 != X.shape[0]:
        raise ValueError(
            f"{where}: X has {X.shape[0]} rows, expected num_px * num_px * 3 (e.g. 12288 for "
            "64 x 64 RGB images). Fix: pass the flattened images, one per column."
        )
    if X.size and (np.nanmin(X) < 0 or np.nanmax(X) > 1 or not np.isfinite(X).all()):
        raise ValueError(
            f"{where}: X holds values from {np.nanmin(X)} to {np.nanmax(X)}, expected numbers "
            "in [0, 1]. Fix: pass flatten_images(...) (pixels divided by 255)."
        )
    wrong = np.flatnonzero(y[0] != p[0])
    if wrong.size == 0:
        fig = Figure(figsize=(4, 1), layout="constrained")
        fig.suptitle("No mislabeled images")
        return fig
    fig, axes = _grid(wrong.size, ncols, 2.2)
    for ax, i in zip(axes, wrong):
        ax.imshow(X[:, i].reshape(num_px, num_px, 3))
        ax.set_title(
            f"Prediction: {class_name(classes, p[0, i])}\n"
            f"Class: {class_name(classes, y[0, i])}",
            fontsize=9,
        )
    return fig
