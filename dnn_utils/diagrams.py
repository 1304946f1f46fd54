"""Diagrams of the network: the lecture's forward/backward blocks, the layers, the
cat classifier's architecture and how a picture becomes a column.

Every function returns a :class:`matplotlib.figure.Figure` and never call
``plt.show()``: in a notebook with ``%matplotlib inline`` the figure is shown
once when the cell ends; in a script, save it with ``fig.savefig(...)``.
"""


import matplotlib.pyplot as plt
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from .activations import layer_activation
from .validation import check_layer_dims, require_count

_DISPLAY_NAMES = {"relu": "ReLU"}

_FORWARD = "#d6e6f5"
_BACKWARD = "#f8dcc8"
_COST = "#d9efd3"
_EDGE = "#333333"
_CACHE = "#7a5c99"
_MAX_BLOCKS = 8


def _arrow(ax, start, end, color=_EDGE, style="-|>", linestyle="-", connection="arc3"):
    ax.add_patch(FancyArrowPatch(
        start, end, arrowstyle=style, mutation_scale=14, color=color, linewidth=1.4,
        linestyle=linestyle, connectionstyle=connection, shrinkA=0, shrinkB=0,
    ))


def _canvas(x_range, y_range, scale, max_width):
    """An empty, axis-free drawing of the given data ranges at ``scale`` inches per unit.

    The scale drops so the figure is at most ``max_width`` inches wide, and text
    shrinks with it: ``text(x, y, s, size=10, **kw)`` writes centered text.
    """
    width, height = x_range[1] - x_range[0], y_range[1] - y_range[0]
    fitted = min(scale, max_width / width)
    shrink = fitted / scale
    fig, ax = plt.subplots(figsize=(fitted * width, fitted * height), dpi=90)
    ax.set_xlim(*x_range)
    ax.set_ylim(*y_range)
    ax.set_aspect("equal")
    ax.axis("off")

    def text(x, y, s, size=10, **kwargs):
        kwargs.setdefault("ha", "center")
        kwargs.setdefault("va", "center")
        ax.text(x, y, s, fontsize=size * shrink, **kwargs)

    return fig, ax, text


def draw_blocks(L=3):
    """Draw the forward and backward blocks of an L-layer network and their caches.

    The top row is forward propagation (left to right), the bottom row is backward
    propagation (right to left). Each forward block hands its cache down to the
    backward block of the same layer, the cost joins the two rows, and each
    backward block's dW[l], db[l] feed the parameter update.

    Parameters
    ----------
    L : int, optional
        Number of layers to draw, 1 to 8 (default 3).

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    require_count(L, "L", "draw_blocks", minimum=1)
    if L > _MAX_BLOCKS:
        raise ValueError(
            f"draw_blocks: L is {L}, expected at most {_MAX_BLOCKS} so the blocks stay "
            "readable. Fix: draw a few layers (e.g. L=3); every layer repeats the same block."
        )

    box_w, box_h, gap = 1.9, 1.15, 0.95
    pitch = box_w + gap
    y_fwd, y_bwd, y_upd = 3.3, 0.95, -0.5
    narrow = L <= 2  # too narrow for the long labels on one line
    xs = [2.05 + (l - 1) * pitch for l in range(1, L + 1)]
    x_cost = xs[-1] + box_w / 2 + gap + 0.75
    x_min, x_max = 0.0, x_cost + 0.8
    y_min, y_max = (-1.75 if narrow else -1.3), 4.45
    # Keep the drawing's proportions, at most 10 inches wide; text shrinks with it.
    fig, ax, text = _canvas((x_min, x_max), (y_min, y_max), 0.8, 10.0)

    def box(x, y, w, h, color, lines, size=10):
        ax.add_patch(FancyBboxPatch(
            (x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.02,rounding_size=0.12",
            facecolor=color, edgecolor=_EDGE, linewidth=1.2,
        ))
        step = h / (len(lines) + 1)
        for i, line in enumerate(lines):
            text(x, y + h / 2 - step * (i + 1), line, size)

    text(x_min + 0.05, y_max - 0.2, "forward propagation  \u2192", color="#1f4e79",
         fontweight="bold", ha="left")

    # Input X = A[0] enters the first forward block.
    left = xs[0] - box_w / 2
    text(0.1, y_fwd + 0.18, r"$X = A^{[0]}$", 11, ha="left")
    _arrow(ax, (0.1, y_fwd), (left, y_fwd))

    for l, x in enumerate(xs, start=1):
        activation = _DISPLAY_NAMES.get(layer_activation(l, L), layer_activation(l, L))
        box(x, y_fwd, box_w, box_h, _FORWARD, [
            f"layer {l} ({activation})",
            rf"$A^{{[{l - 1}]}} \rightarrow A^{{[{l}]}}$",
            rf"uses $W^{{[{l}]}}, b^{{[{l}]}}$",
        ])
        box(x, y_bwd, box_w, box_h, _BACKWARD, [
            f"layer {l}",
            rf"$dA^{{[{l}]}} \rightarrow dA^{{[{l - 1}]}}$",
            rf"gives $dW^{{[{l}]}}, db^{{[{l}]}}$",
        ])
        # The cache travels from the forward block down to its backward twin.
        _arrow(ax, (x, y_fwd - box_h / 2), (x, y_bwd + box_h / 2), color=_CACHE,
               linestyle=(0, (4, 3)))
        text(x + 0.08, (y_fwd + y_bwd) / 2, rf"cache$^{{[{l}]}}$", 9, color=_CACHE, ha="left")
        # This layer's gradients feed the parameter update.
        _arrow(ax, (x, y_bwd - box_h / 2), (x, y_upd + 0.22), color="#555555")
        if l < L:
            x_next = xs[l]
            _arrow(ax, (x + box_w / 2, y_fwd), (x_next - box_w / 2, y_fwd))
            text((x + x_next) / 2, y_fwd + 0.18, rf"$A^{{[{l}]}}$")
            _arrow(ax, (x_next - box_w / 2, y_bwd), (x + box_w / 2, y_bwd))
            text((x + x_next) / 2, y_bwd + 0.18, rf"$dA^{{[{l}]}}$")

    # dA[0] is computed but nothing uses it: X is data, not a parameter.
    _arrow(ax, (left, y_bwd), (0.1, y_bwd), color="#999999")
    text(0.1, y_bwd + 0.18, r"$dA^{[0]}$", 9, color="#777777", ha="left")
    text(0.1, y_bwd - 0.2, "(unused)", 8, color="#777777", ha="left")

    # The cost joins the two rows: forward ends in it, backward starts from it.
    y_cost = (y_fwd + y_bwd) / 2
    cost_w, cost_h = 1.45, 1.35
    right = xs[-1] + box_w / 2
    box(x_cost, y_cost, cost_w, cost_h, _COST, [
        r"cost $\mathcal{J}$",
        rf"compares $A^{{[{L}]}}$",
        r"with labels $Y$",
    ], size=9.5)
    _arrow(ax, (right, y_fwd), (x_cost, y_cost + cost_h / 2),
           connection="angle,angleA=0,angleB=90,rad=0")
    text((right + x_cost) / 2, y_fwd + 0.2, rf"$A^{{[{L}]}} = \hat{{Y}}$")
    _arrow(ax, (x_cost, y_cost - cost_h / 2), (right, y_bwd),
           connection="angle,angleA=-90,angleB=0,rad=0")
    text((right + x_cost) / 2, y_bwd + 0.2, rf"$dA^{{[{L}]}}$")
    text(x_cost, y_bwd - 0.85, "\u2190 backward\npropagation", color="#9c4a12",
         fontweight="bold")

    # The gradient-descent step that uses every layer's dW, db.
    update_w = r"$W^{[l]} \leftarrow W^{[l]} - \alpha\, dW^{[l]}$"
    update_b = r"$b^{[l]} \leftarrow b^{[l]} - \alpha\, db^{[l]}$"
    band_h = 0.8 if narrow else 0.44
    band_left = 0.1 if narrow else left
    ax.add_patch(FancyBboxPatch(
        (band_left, y_upd + 0.22 - band_h), right - band_left, band_h,
        boxstyle="round,pad=0.02,rounding_size=0.1", facecolor="#f2f2f2", edgecolor="#999999",
    ))
    if narrow:
        text((band_left + right) / 2, y_upd + 0.02, "update: " + update_w)
        text((band_left + right) / 2, y_upd - 0.32, update_b)
    else:
        text((left + right) / 2, y_upd, f"update: {update_w},   {update_b}")

    legend = (r"dashed: cache$^{[l]}$ = $((A^{[l-1]}, W^{[l]}, b^{[l]}), Z^{[l]})$,"
              + ("\n" if narrow else " ") + "kept for the backward pass")
    text(0.1, y_min + (0.4 if narrow else 0.22), legend, 9, color=_CACHE, ha="left")
    fig.subplots_adjust(left=0.005, right=0.995, bottom=0.005, top=0.995)
    return fig


def _visible_units(n, max_units):
    """Which units of a layer of n units to draw, as a list of unit numbers (1..n).

    ``None`` marks the slot of the ellipsis standing for the units left out.
    """
    if n <= max_units:
        return list(range(1, n + 1))
    # The first few units, the ellipsis, and the last unit, in max_units slots.
    return list(range(1, max_units - 1)) + [None, n]


def draw_network(layer_dims, max_units=8, show_shapes=True):
    """Draw an L-layer network as nodes and edges, labeled with the lecture's notation.

    Layer 0 is the input x = a[0] (not counted in L); layer L is the output
    y_hat = a[L]. A layer with more than ``max_units`` units is drawn with a few
    nodes, an ellipsis and the number of units left out.

    Parameters
    ----------
    layer_dims : sequence of int, length L + 1
        ``[n[0], n[1], ..., n[L]]``, e.g. ``[5, 4, 3, 1]``; at most 12 entries.
    max_units : int, optional
        Largest number of nodes drawn for one layer, at least 3 (default 8).
    show_shapes : bool, optional
        Write the shapes of W[l] and b[l] above the edges between layers.

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    where = "draw_network"
    dims = check_layer_dims(layer_dims, where)
    if len(dims) > 12:
        raise ValueError(
            f"{where}: layer_dims has {len(dims)} entries, expected at most 12 so the "
            "drawing stays readable. Fix: draw the first few layers, e.g. layer_dims[:6]."
        )
    require_count(max_units, "max_units", where, minimum=3)
    if not isinstance(show_shapes, bool):
        raise TypeError(f"{where}: show_shapes is {show_shapes!r}, expected True or False.")

    L = len(dims) - 1
    dx, dy, radius = 2.3, 0.75, 0.24
    slots = [_visible_units(n, max_units) for n in dims]
    tallest = max(len(s) for s in slots)
    y_top = (tallest - 1) * dy / 2
    y_label = -y_top - 0.75
    x_min, x_max = -1.15, L * dx + 1.15
    y_min, y_max = y_label - 1.0, y_top + (1.35 if show_shapes else 0.75)
    fig, ax, text = _canvas((x_min, x_max), (y_min, y_max), 0.6, 11.0)

    # Center each layer's column of nodes vertically.
    positions = []
    for l, units in enumerate(slots):
        y0 = (len(units) - 1) * dy / 2
        positions.append([(l * dx, y0 - i * dy) for i in range(len(units))])

    # Edges first, so the nodes are drawn on top of them.
    for l in range(1, L + 1):
        for (x0, y0), u0 in zip(positions[l - 1], slots[l - 1], strict=True):
            for (x1, y1), u1 in zip(positions[l], slots[l], strict=True):
                if u0 is not None and u1 is not None:
                    ax.plot([x0, x1], [y0, y1], color="#b0b0b0", linewidth=0.7, zorder=1)

    for l, (units, points) in enumerate(zip(slots, positions, strict=True)):
        color = "#e0e0e0" if l == 0 else (_COST if l == L else _FORWARD)
        for unit, (x, y) in zip(units, points, strict=True):
            if unit is None:
                text(x, y, "\u22ee", 16, fontweight="bold")
                left_out = dims[l] - (len(units) - 1)
                text(x + radius - 0.05, y, f"{left_out:,} more", 8, ha="left",
                     color="#555555", zorder=3,
                     bbox={"boxstyle": "round,pad=0.15", "facecolor": "white",
                           "edgecolor": "none", "alpha": 0.9})
            else:
                ax.add_patch(Circle((x, y), radius, facecolor=color, edgecolor=_EDGE,
                                    linewidth=1.1, zorder=2))

        x = l * dx
        if l == 0:
            name, symbol = "layer 0 (input)", r"$x = a^{[0]}$"
        elif l == L:
            name, symbol = f"layer {l} (output)", rf"$\hat{{y}} = a^{{[{l}]}}$"
        else:
            name, symbol = f"layer {l} (hidden)", rf"$a^{{[{l}]}}$"
        text(x, y_label, name, 9.5)
        text(x, y_label - 0.42, symbol, 11)
        text(x, y_label - 0.84, rf"$n^{{[{l}]}} = {dims[l]}$", 10)

        if show_shapes and l >= 1:
            x_mid = (l - 0.5) * dx
            text(x_mid, y_top + 0.85, rf"$W^{{[{l}]}}$: ({dims[l]}, {dims[l - 1]})", 9.5,
                 color="#1f4e79")
            text(x_mid, y_top + 0.45, rf"$b^{{[{l}]}}$: ({dims[l]}, 1)", 9.5,
                 color="#1f4e79")

    fig.subplots_adjust(left=0.005, right=0.995, bottom=0.005, top=0.995)
    return fig


def _layer_box(ax, text, x, y, w, h, color, lines, size=9.5):
    """A rounded box centered at (x, y) with ``lines`` of text stacked inside."""
    ax.add_patch(FancyBboxPatch(
        (x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.02,rounding_size=0.1",
        facecolor=color, edgecolor=_EDGE, linewidth=1.2,
    ))
    step = h / (len(lines) + 1)
    for i, line in enumerate(lines):
        text(x, y + h / 2 - step * (i + 1), line, size)


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
    if len(dims) > _MAX_BLOCKS:
        raise ValueError(
            f"{where}: layer_dims has {len(dims)} entries, expected at most {_MAX_BLOCKS} "
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
    fig, ax, text = _canvas((x_min, x_max), (-1.55, 1.85), 0.75, 11.0)

    # The picture: a small grid standing for num_px x num_px pixels, 3 channels deep.
    for depth, color in enumerate(("#4c72b0", "#55a868", "#c44e52")[::-1]):
        offset = 0.12 * (2 - depth)
        ax.add_patch(FancyBboxPatch(
            (x_pic - 0.5 + offset, -0.5 + offset), 1.0, 1.0, boxstyle="square,pad=0",
            facecolor=color, alpha=0.55, edgecolor=_EDGE, linewidth=0.8,
        ))
    text(x_pic, -1.0, f"picture\n{num_px} x {num_px} x 3", 9)
    _arrow(ax, (x_pic + 0.8, 0.0), (x_col - 0.3, 0.0))
    text((x_pic + x_col) / 2 + 0.2, 0.3, "flatten", 8.5)

    # The column x = a[0].
    ax.add_patch(FancyBboxPatch(
        (x_col - 0.17, -1.0), 0.34, 2.0, boxstyle="square,pad=0",
        facecolor="#e0e0e0", edgecolor=_EDGE, linewidth=1.0,
    ))
    text(x_col, 1.2, r"$x = a^{[0]}$", 10)
    text(x_col, -1.3, f"({dims[0]}, 1)", 8.5)

    previous = x_col + 0.17
    for l, x in enumerate(xs, start=1):
        last = l == L
        _arrow(ax, (previous, 0.0), (x - box_w / 2, 0.0))
        _layer_box(ax, text, x, 0.0, box_w, box_h, _COST if last else _FORWARD, [
            f"layer {l}",
            "LINEAR \u2192 " + ("SIGMOID" if last else "RELU"),
            rf"$W^{{[{l}]}}$: ({dims[l]}, {dims[l - 1]})",
            rf"$b^{{[{l}]}}$: ({dims[l]}, 1)",
        ], size=9)
        output = rf"$\hat{{y}} = a^{{[{l}]}}$" if last else rf"$a^{{[{l}]}}$"
        text(x, -1.2, f"{output}: ({dims[l]}, 1)", 8.5)
        previous = x + box_w / 2

    _arrow(ax, (previous, 0.0), (x_out - 0.55, 0.0))
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
    import numpy as np

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
                                       facecolor=color, alpha=0.35, edgecolor=_EDGE))
        right.text(1.2, y, f"{column[i]:.3f}", fontsize=8.5, va="center", ha="center")
        right.text(2.1, y, f"x[{i}] = {name} of pixel ({r}, {c}) / 255", fontsize=8.5,
                   va="center")
    fig.suptitle("flatten: read the picture row by row, pixel by pixel, red-green-blue",
                 fontsize=10)
    fig.subplots_adjust(left=0.08, right=0.99, bottom=0.12, top=0.86, wspace=0.15)
    return fig
