"""Diagrams of the cat classifier: its architecture, and how a picture becomes a column.

Every function returns a :class:`matplotlib.figure.Figure` and never call
``plt.show()`` (see :mod:`dnn_utils.diagrams`).
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyBboxPatch

from .drawing import COST, EDGE, FORWARD, MAX_BLOCKS, arrow, canvas, rounded_box
from .validation import check_layer_dims, require_count


def draw_architecture(layer_dims, num_px=64):
    """Draw the cat classifier's architecture: picture, column, layers, decision.

    From left to right: a ``num_px`` x ``num_px`` x 3 picture, flattened into the
    column x of n[0] numbers; one box per layer (LINEAR -> RELU for the hidden
    layers, LINEAR -> SIGMOID for the output), with the shapes of W[l], b[l] and of
    the activation a[l] it gives for one picture; and the decision y_hat > 0.5.

    Parameters
    ----------
    layer_dims : sequence of int, length L + 1, 2 <= L + 1 <= 8
        ``[n[0], n[1], ..., n[L]]`` with ``n[0] = num_px * num_px * 3`` and ``n[L] = 1``,
        e.g. ``[12288, 7, 1]`` or ``[12288, 20, 7, 5, 1]``.
    num_px : int, optional
        Height and width of the pictures in pixels (default 64).

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    where = "draw_architecture"
    dims = check_layer_dims(layer_dims, where)
    require_count(num_px, "num_px", where, of="of pixels")
    if len(dims) > MAX_BLOCKS:
        raise ValueError(
            f"{where}: layer_dims has {len(dims)} entries, expected at most {MAX_BLOCKS} "
            "so the boxes stay readable. Fix: draw a network of at most 7 layers."
        )
    if dims[0] != num_px * num_px * 3:
        raise ValueError(
            f"{where}: layer_dims[0] is {dims[0]}, but a {num_px} x {num_px} x 3 picture "
            f"flattens into {num_px * num_px * 3} numbers. Fix: pass layer_dims[0] = "
            f"num_px * num_px * 3, or the num_px of your pictures."
        )
    if dims[-1] != 1:
        raise ValueError(
            f"{where}: layer_dims[-1] is {dims[-1]}, expected 1: the cat classifier has "
            "one sigmoid output unit, the probability of a cat. Fix: end layer_dims with 1."
        )

    L = len(dims) - 1
    box_w, box_h, pitch = 1.9, 1.7, 2.45
    x_pic, x_col = 0.75, 2.45
    xs = [x_col + 1.9 + (l - 1) * pitch for l in range(1, L + 1)]
    x_out = xs[-1] + box_w / 2 + 1.25
    x_min, x_max = 0.0, x_out + 0.9
    fig, ax, text = canvas((x_min, x_max), (-1.55, 1.85), 0.75, 11.0)

    # The picture: a small grid standing for num_px x num_px pixels, 3 channels deep.
    for depth, color in enumerate(("#4c72b0", "#55a868", "#c44e52")[::-1]):
        offset = 0.12 * (2 - depth)
        ax.add_patch(FancyBboxPatch(
            (x_pic - 0.5 + offset, -0.5 + offset), 1.0, 1.0, boxstyle="square,pad=0",
            facecolor=color, alpha=0.55, edgecolor=EDGE, linewidth=0.8,
        ))
    text(x_pic, -1.0, f"picture\n{num_px} x {num_px} x 3", 9)
    arrow(ax, (x_pic + 0.8, 0.0), (x_col - 0.3, 0.0))
    text((x_pic + x_col) / 2 + 0.2, 0.3, "flatten", 8.5)

    # The column x = a[0].
    ax.add_patch(FancyBboxPatch(
        (x_col - 0.17, -1.0), 0.34, 2.0, boxstyle="square,pad=0",
        facecolor="#e0e0e0", edgecolor=EDGE, linewidth=1.0,
    ))
    text(x_col, 1.2, r"$x = a^{[0]}$", 10)
    text(x_col, -1.3, f"({dims[0]}, 1)", 8.5)

    previous = x_col + 0.17
    for l, x in enumerate(xs, start=1):
        last = l == L
        arrow(ax, (previous, 0.0), (x - box_w / 2, 0.0))
        rounded_box(ax, text, x, 0.0, box_w, box_h, COST if last else FORWARD, [
            f"layer {l}",
            "LINEAR \u2192 " + ("SIGMOID" if last else "RELU"),
            rf"$W^{{[{l}]}}$: ({dims[l]}, {dims[l - 1]})",
            rf"$b^{{[{l}]}}$: ({dims[l]}, 1)",
        ], size=9)
        output = rf"$\hat{{y}} = a^{{[{l}]}}$" if last else rf"$a^{{[{l}]}}$"
        text(x, -1.2, f"{output}: ({dims[l]}, 1)", 8.5)
        previous = x + box_w / 2

    arrow(ax, (previous, 0.0), (x_out - 0.55, 0.0))
    text(x_out + 0.1, 0.35, r"$\hat{y} > 0.5$ ?", 9.5)
    text(x_out + 0.1, -0.2, "yes: cat\nno: non-cat", 9)
    title = (f"{L}-layer network: " + " \u2192 ".join(str(n) for n in dims)
             + f"   (L = {L}; shapes for one picture, m columns for m pictures)")
    text(x_min + 0.05, 1.65, title, 9.5, ha="left", fontweight="bold")
    fig.subplots_adjust(left=0.005, right=0.995, bottom=0.005, top=0.995)
    return fig


def draw_flattening(image, shown=6):
    """Draw how one picture becomes the column x: pixel by pixel, red, green, blue.

    The left panel shows the picture. The right panel lists the first ``shown``
    entries of its column, ``image.reshape(-1) / 255`` (what ``flatten_images``
    computes for every picture), each labeled with the pixel (row, column) and
    channel it comes from and colored by that channel, then the last entry.

    Parameters
    ----------
    image : numpy.ndarray, shape (num_px, num_px, 3), values 0..255
        One picture, e.g. ``train_x_orig[0]``.
    shown : int, optional
        How many of the first entries to list, 3 to 12 (default 6).

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    where = "draw_flattening"
    if not isinstance(image, np.ndarray) or image.ndim != 3 or image.shape[2] != 3 \
            or image.shape[0] != image.shape[1]:
        seen = f"shape {image.shape}" if isinstance(image, np.ndarray) else type(image).__name__
        raise ValueError(
            f"{where}: image is {seen}, expected one square RGB picture of shape "
            "(num_px, num_px, 3). Fix: pass a single picture, e.g. train_x_orig[0], "
            "not the whole set train_x_orig."
        )
    require_count(shown, "shown", where, minimum=3, of="of entries")
    if shown > 12:
        raise ValueError(f"{where}: shown is {shown}, expected at most 12 so the column "
                         "stays readable. Fix: shown=6.")
    num_px = image.shape[0]
    column = image.reshape(-1) / 255
    n = column.size

    fig, (left, right) = plt.subplots(1, 2, figsize=(8.0, 3.6), dpi=90,
                                      gridspec_kw={"width_ratios": [1, 1.35]})
    left.imshow(image.astype(np.uint8) if image.dtype != np.uint8 else image)
    left.set_title(f"picture: ({num_px}, {num_px}, 3)", fontsize=10)
    left.set_xticks([0, num_px - 1])
    left.set_yticks([0, num_px - 1])
    left.set_xlabel("column of pixels", fontsize=9)
    left.set_ylabel("row of pixels", fontsize=9)

    right.set_xlim(0, 10)
    right.set_ylim(-(shown + 2.2), 1.2)
    right.axis("off")
    right.text(0.2, 0.5, rf"column $x$: ({n}, 1) = ({num_px} $\cdot$ {num_px} $\cdot$ 3, 1)",
               fontsize=10, va="center")
    channels = (("red", "#c44e52"), ("green", "#55a868"), ("blue", "#4c72b0"))
    rows = [(i, i // 3 // num_px, i // 3 % num_px, i % 3) for i in range(shown)]
    rows.append(None)
    last = n - 1
    rows.append((last, num_px - 1, num_px - 1, 2))
    for k, row in enumerate(rows):
        y = -(k + 0.6)
        if row is None:
            right.text(1.2, y, "\u22ee", fontsize=12, va="center", ha="center")
            continue
        i, r, c, channel = row
        name, color = channels[channel]
        right.add_patch(FancyBboxPatch((0.6, y - 0.35), 1.2, 0.7, boxstyle="square,pad=0",
                                       facecolor=color, alpha=0.35, edgecolor=EDGE))
        right.text(1.2, y, f"{column[i]:.3f}", fontsize=8.5, va="center", ha="center")
        right.text(2.1, y, f"x[{i}] = {name} of pixel ({r}, {c}) / 255", fontsize=8.5,
                   va="center")
    fig.suptitle("flatten: read the picture row by row, pixel by pixel, red-green-blue",
                 fontsize=10)
    fig.subplots_adjust(left=0.08, right=0.99, bottom=0.12, top=0.86, wspace=0.15)
    return fig
