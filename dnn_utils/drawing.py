"""What every diagram is drawn with: an axis-free canvas whose text shrinks with it,
arrows, rounded boxes of stacked text, and the colours of the lecture's blocks.

The diagrams themselves are in :mod:`dnn_utils.diagrams` (the network and its blocks)
and :mod:`dnn_utils.cat_diagrams` (the cat classifier and its pictures).
"""

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

#: Fill of a forward block (and of a hidden layer).
FORWARD = "#d6e6f5"
#: Fill of the cost, and of the output layer.
COST = "#d9efd3"
#: Outline of every box and arrow.
EDGE = "#333333"
#: Most layers a row of blocks shows and stays readable.
MAX_BLOCKS = 8


def arrow(ax, start, end, color=EDGE, style="-|>", linestyle="-", connection="arc3"):
    """Draw an arrow on ``ax`` from ``start`` to ``end`` (data coordinates).

    ``style``, ``linestyle`` and ``connection`` are matplotlib's arrow style, line
    style and connection style (``"arc3"``: straight; ``"angle,..."``: one bend).
    """
    ax.add_patch(FancyArrowPatch(
        start, end, arrowstyle=style, mutation_scale=14, color=color, linewidth=1.4,
        linestyle=linestyle, connectionstyle=connection, shrinkA=0, shrinkB=0,
    ))


def canvas(x_range, y_range, scale, max_width):
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


def rounded_box(ax, text, x, y, w, h, color, lines, size=9.5, rounding=0.1):
    """Draw a rounded box centered at (x, y) with ``lines`` of text stacked inside.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    text : callable
        The ``text`` function :func:`canvas` returned with ``ax``.
    x, y, w, h : float
        Center, width and height of the box, in data coordinates.
    color : str
        Fill colour.
    lines : list of str
        The lines of text, top to bottom, spread evenly over the box's height.
    size : float, optional
        Font size before the canvas's shrinking.
    rounding : float, optional
        Radius of the rounded corners, in data coordinates.
    """
    ax.add_patch(FancyBboxPatch(
        (x - w / 2, y - h / 2), w, h, boxstyle=f"round,pad=0.02,rounding_size={rounding}",
        facecolor=color, edgecolor=EDGE, linewidth=1.2,
    ))
    step = h / (len(lines) + 1)
    for i, line in enumerate(lines):
        text(x, y + h / 2 - step * (i + 1), line, size)
