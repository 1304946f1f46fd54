"""The diagrams (blocks, network, architecture, flattening): what they draw, and how
they refuse bad input."""

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from dnn_utils.diagrams import draw_architecture, draw_blocks, draw_flattening, draw_network


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def patches(fig, kind):
    return [p for ax in fig.axes for p in ax.patches if isinstance(p, kind)]


def renders(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue().startswith(b"\x89PNG")


@pytest.mark.parametrize("L", [1, 3, 5])
def test_draw_blocks_has_a_forward_and_a_backward_block_per_layer(L):
    fig = draw_blocks(L)
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    labels = texts(fig)
    # 2 blocks per layer, the cost box and the update band.
    assert len(patches(fig, FancyBboxPatch)) == 2 * L + 2
    for l in range(1, L + 1):
        activation = "sigmoid" if l == L else "ReLU"
        assert f"layer {l} ({activation})" in labels
        assert rf"$dA^{{[{l}]}} \rightarrow dA^{{[{l - 1}]}}$" in labels
        assert rf"cache$^{{[{l}]}}$" in labels
    # The cost box hands dA[L] to the last backward block.
    assert rf"$dA^{{[{L}]}}$" in labels
    assert rf"$A^{{[{L}]}} = \hat{{Y}}$" in labels
    assert any("cache$^{[l]}$ = $((A^{[l-1]}, W^{[l]}, b^{[l]}), Z^{[l]})$" in t for t in labels)
    assert any("update" in t and r"\alpha" in t for t in labels)
    # Arrows: per layer a cache arrow and a gradient arrow, L-1 forward and L-1 backward
    # links, plus input, dA[0], into the cost and out of the cost.
    assert len(patches(fig, FancyArrowPatch)) == 2 * L + 2 * (L - 1) + 4
    assert renders(fig)


def test_draw_blocks_default_is_three_layers():
    assert "layer 3 (sigmoid)" in texts(draw_blocks())


@pytest.mark.parametrize("L, error", [
    (0, ValueError), (9, ValueError), (-1, ValueError),
    (2.5, TypeError), ("3", TypeError), (True, TypeError), (None, TypeError),
])
def test_draw_blocks_rejects_bad_L(L, error):
    with pytest.raises(error, match=r"draw_blocks: L"):
        draw_blocks(L)


def test_draw_network_draws_every_unit_of_a_small_network():
    dims = [5, 4, 3, 1]
    fig = draw_network(dims)
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    assert len(patches(fig, Circle)) == sum(dims)
    edges = [line for ax in fig.axes for line in ax.lines if isinstance(line, Line2D)]
    assert len(edges) == 5 * 4 + 4 * 3 + 3 * 1
    labels = texts(fig)
    for l, n in enumerate(dims):
        assert rf"$n^{{[{l}]}} = {n}$" in labels
    assert "layer 0 (input)" in labels and r"$x = a^{[0]}$" in labels
    assert "layer 3 (output)" in labels and r"$\hat{y} = a^{[3]}$" in labels
    assert "layer 1 (hidden)" in labels
    assert "$W^{[1]}$: (4, 5)" in labels and "$b^{[2]}$: (3, 1)" in labels
    assert not any("more" in t for t in labels)
    assert renders(fig)


def test_draw_network_shortens_wide_layers_with_an_ellipsis_and_a_count():
    fig = draw_network([12288, 20, 7, 5, 1], max_units=8)
    # Wide layers show max_units - 1 nodes plus the ellipsis.
    assert len(patches(fig, Circle)) == 7 + 7 + 7 + 5 + 1
    labels = texts(fig)
    assert "12,281 more" in labels and "13 more" in labels
    assert "$W^{[1]}$: (20, 12288)" in labels
    assert r"$n^{[0]} = 12288$" in labels
    assert renders(fig)


def test_draw_network_can_hide_the_shapes():
    labels = texts(draw_network([3, 2, 1], show_shapes=False))
    assert not any("W^" in t for t in labels)
    assert r"$n^{[1]} = 2$" in labels


@pytest.mark.parametrize("layer_dims, error, fragment", [
    ([5], ValueError, "at least 2"),
    ([5, 0, 1], ValueError, r"layer_dims\[1\] is 0"),
    ([5, 2.5, 1], TypeError, r"layer_dims\[1\] is 2.5"),
    ([5, True, 1], TypeError, r"layer_dims\[1\]"),
    (None, TypeError, "layer_dims is None"),
    (list(range(1, 15)), ValueError, "at most 12"),
])
def test_draw_network_rejects_bad_layer_dims(layer_dims, error, fragment):
    with pytest.raises(error, match=fragment) as info:
        draw_network(layer_dims)
    assert "draw_network" in str(info.value)


@pytest.mark.parametrize("kwargs, error, fragment", [
    ({"max_units": 2}, ValueError, "max_units"),
    ({"max_units": 4.0}, TypeError, "max_units"),
    ({"show_shapes": "yes"}, TypeError, "show_shapes"),
])
def test_draw_network_rejects_bad_options(kwargs, error, fragment):
    with pytest.raises(error, match=fragment):
        draw_network([3, 2, 1], **kwargs)


# ------------------------------------------------------------ draw_architecture


@pytest.mark.parametrize("dims", [[12288, 7, 1], [12288, 20, 7, 5, 1]])
def test_draw_architecture_has_one_box_per_layer_with_its_shapes(dims):
    fig = draw_architecture(dims)
    L = len(dims) - 1
    labels = texts(fig)
    # One box per layer; the column and the three channels of the picture are squares.
    boxes = [p for p in patches(fig, FancyBboxPatch) if p.get_boxstyle().__class__.__name__ == "Round"]
    assert len(boxes) == L
    for l in range(1, L + 1):
        assert f"layer {l}" in labels
        assert rf"$W^{{[{l}]}}$: ({dims[l]}, {dims[l - 1]})" in labels
        assert rf"$b^{{[{l}]}}$: ({dims[l]}, 1)" in labels
    assert labels.count("LINEAR \u2192 RELU") == L - 1
    assert labels.count("LINEAR \u2192 SIGMOID") == 1
    assert rf"$\hat{{y}} = a^{{[{L}]}}$: (1, 1)" in labels
    assert "(12288, 1)" in labels and "picture\n64 x 64 x 3" in labels
    assert any(t.startswith(f"{L}-layer network: 12288") for t in labels)
    assert renders(fig)


def test_draw_architecture_follows_num_px():
    labels = texts(draw_architecture([4 * 4 * 3, 2, 1], num_px=4))
    assert "picture\n4 x 4 x 3" in labels and "(48, 1)" in labels


@pytest.mark.parametrize("dims, kwargs, error, fragment", [
    ([12288, 7, 2], {}, ValueError, r"layer_dims\[-1\] is 2, expected 1"),
    ([1000, 7, 1], {}, ValueError, r"layer_dims\[0\] is 1000.*flattens into 12288"),
    ([48, 2, 1], {"num_px": 0}, ValueError, "num_px"),
    ([12288] + [3] * 8 + [1], {}, ValueError, "at most 8"),
    ([12288, 0, 1], {}, ValueError, r"layer_dims\[1\] is 0"),
    (None, {}, TypeError, "layer_dims is None"),
])
def test_draw_architecture_rejects_bad_input(dims, kwargs, error, fragment):
    with pytest.raises(error, match=fragment) as info:
        draw_architecture(dims, **kwargs)
    assert "draw_architecture" in str(info.value)


# -------------------------------------------------------------- draw_flattening


def test_draw_flattening_lists_the_column_that_flatten_images_computes():
    from dnn_utils.data import flatten_images

    rng = np.random.RandomState(0)
    image = rng.randint(0, 256, size=(5, 5, 3)).astype(np.uint8)
    column = flatten_images(image[None])[:, 0]
    fig = draw_flattening(image, shown=6)
    labels = texts(fig)
    # Entries 0..5: pixels (0, 0) and (0, 1), red, green, blue; then the last entry.
    expected = [(0, "red", 0, 0), (1, "green", 0, 0), (2, "blue", 0, 0),
                (3, "red", 0, 1), (4, "green", 0, 1), (5, "blue", 0, 1), (74, "blue", 4, 4)]
    for i, channel, r, c in expected:
        assert f"x[{i}] = {channel} of pixel ({r}, {c}) / 255" in labels
        assert f"{column[i]:.3f}" in labels
    assert any("(75, 1)" in t for t in labels)
    assert renders(fig)


@pytest.mark.parametrize("image, kwargs, fragment", [
    (np.zeros((3, 64, 64, 3)), {}, r"shape \(3, 64, 64, 3\).*train_x_orig\[0\]"),
    (np.zeros((64, 32, 3)), {}, r"shape \(64, 32, 3\)"),
    ([[0]], {}, "list"),
    (np.zeros((8, 8, 3)), {"shown": 2}, "shown"),
    (np.zeros((8, 8, 3)), {"shown": 13}, "at most 12"),
])
def test_draw_flattening_rejects_bad_input(image, kwargs, fragment):
    with pytest.raises((ValueError, TypeError), match=fragment) as info:
        draw_flattening(image, **kwargs)
    assert "draw_flattening" in str(info.value)
