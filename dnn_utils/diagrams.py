"""Diagrams of the network: the lecture's forward/backward blocks and the layers.

Every function returns a :class:`matplotlib.figure.Figure` and never call
``plt.show()``: in a notebook with ``%matplotlib inline`` the figure is shown
once when the cell ends; in a script, save it with ``fig.savefig(...)``. The cat
classifier's diagrams (its architecture, how a picture becomes a column) are in
:mod:`dnn_utils.cat_diagrams` and importable from here too.
"""

from matplotlib.patches import Circle, FancyBboxPatch

from .activations import layer_activation
from .cat_diagrams import draw_architecture, draw_flattening
from .drawing import COST, EDGE, FORWARD, MAX_BLOCKS, arrow, canvas, rounded_box
from .validation import check_layer_dims, require_count

__all__ = ["draw_architecture", "draw_blocks", "draw_flattening", "draw_network"]

_DISPLAY_NAMES = {"relu": "ReLU"}

_BACKWARD = "#f8dcc8"
_CACHE = "#7a5c99"


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
    if L > MAX_BLOCKS:
        raise ValueError(
            f"draw_blocks: L is {L}, expected at most {MAX_BLOCKS} so the blocks stay "
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
    fig, ax, text = canvas((x_min, x_max), (y_min, y_max), 0.8, 10.0)

    def box(x, y, w, h, color, lines, size=10):
        rounded_box(ax, text, x, y, w, h, color, lines, size, rounding=0.12)

    text(x_min + 0.05, y_max - 0.2, "forward propagation  \u2192", color="#1f4e79",
         fontweight="bold", ha="left")

    # Input X = A[0] enters the first forward block.
    left = xs[0] - box_w / 2
    text(0.1, y_fwd + 0.18, r"$X = A^{[0]}$", 11, ha="left")
    arrow(ax, (0.1, y_fwd), (left, y_fwd))

    for l, x in enumerate(xs, start=1):
        activation = _DISPLAY_NAMES.get(layer_activation(l, L), layer_activation(l, L))
        box(x, y_fwd, box_w, box_h, FORWARD, [
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
        arrow(ax, (x, y_fwd - box_h / 2), (x, y_bwd + box_h / 2), color=_CACHE,
               linestyle=(0, (4, 3)))
        text(x + 0.08, (y_fwd + y_bwd) / 2, rf"cache$^{{[{l}]}}$", 9, color=_CACHE, ha="left")
        # This layer's gradients feed the parameter update.
        arrow(ax, (x, y_bwd - box_h / 2), (x, y_upd + 0.22), color="#555555")
        if l < L:
            x_next = xs[l]
            arrow(ax, (x + box_w / 2, y_fwd), (x_next - box_w / 2, y_fwd))
            text((x + x_next) / 2, y_fwd + 0.18, rf"$A^{{[{l}]}}$")
            arrow(ax, (x_next - box_w / 2, y_bwd), (x + box_w / 2, y_bwd))
            text((x + x_next) / 2, y_bwd + 0.18, rf"$dA^{{[{l}]}}$")

    # dA[0] is computed but nothing uses it: X is data, not a parameter.
    arrow(ax, (left, y_bwd), (0.1, y_bwd), color="#999999")
    text(0.1, y_bwd + 0.18, r"$dA^{[0]}$", 9, color="#777777", ha="left")
    text(0.1, y_bwd - 0.2, "(unused)", 8, color="#777777", ha="left")

    # The cost joins the two rows: forward ends in it, backward starts from it.
    y_cost = (y_fwd + y_bwd) / 2
    cost_w, cost_h = 1.45, 1.35
    right = xs[-1] + box_w / 2
    box(x_cost, y_cost, cost_w, cost_h, COST, [
        r"cost $\mathcal{J}$",
        rf"compares $A^{{[{L}]}}$",
        r"with labels $Y$",
    ], size=9.5)
    arrow(ax, (right, y_fwd), (x_cost, y_cost + cost_h / 2),
           connection="angle,angleA=0,angleB=90,rad=0")
    text((right + x_cost) / 2, y_fwd + 0.2, rf"$A^{{[{L}]}} = \hat{{Y}}$")
    arrow(ax, (x_cost, y_cost - cost_h / 2), (right, y_bwd),
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
    fig, ax, text = canvas((x_min, x_max), (y_min, y_max), 0.6, 11.0)

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
        color = "#e0e0e0" if l == 0 else (COST if l == L else FORWARD)
        for unit, (x, y) in zip(units, points, strict=True):
            if unit is None:
                text(x, y, "\u22ee", 16, fontweight="bold")
                left_out = dims[l] - (len(units) - 1)
                text(x + radius - 0.05, y, f"{left_out:,} more", 8, ha="left",
                     color="#555555", zorder=3,
                     bbox={"boxstyle": "round,pad=0.15", "facecolor": "white",
                           "edgecolor": "none", "alpha": 0.9})
            else:
                ax.add_patch(Circle((x, y), radius, facecolor=color, edgecolor=EDGE,
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


