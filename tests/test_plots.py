"""The plotting helpers return Figures (headless) with the expected axes and titles."""

import io

import numpy as np
import pytest
from matplotlib.figure import Figure

from dnn_utils.data import flatten_images
from dnn_utils.plots import plot_costs, plot_examples, print_mislabeled_images

CLASSES = np.array([b"non-cat", b"cat"])


def _titles(fig):
    return [ax.get_title() for ax in fig.axes]


def test_plot_examples(cat_data):
    train_x, train_y = cat_data[0], cat_data[1]
    fig = plot_examples(train_x, train_y, cat_data[4], n=10)
    assert isinstance(fig, Figure) and len(fig.axes) == 10
    expected = [f"y = {y} ({'cat' if y else 'non-cat'})" for y in train_y[0, :10]]
    assert _titles(fig) == expected
    np.testing.assert_array_equal(fig.axes[3].images[0].get_array(), train_x[3])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")  # renders without a display
    assert buffer.getvalue().startswith(b"\x89PNG")


def test_plot_examples_with_indices_and_flat_labels(cat_data):
    fig = plot_examples(cat_data[0], cat_data[1][0], cat_data[4], indices=[2, 5, 7])
    labels = [cat_data[1][0, i] for i in (2, 5, 7)]
    assert _titles(fig) == [f"y = {y} ({'cat' if y else 'non-cat'})" for y in labels]


@pytest.mark.parametrize("kwargs, match", [
    ({"images": np.zeros((4, 8, 8), np.uint8)}, r"images has shape \(4, 8, 8\)"),
    ({"labels": np.zeros((1, 3))}, "3 entries for 4 images"),
    ({"labels": np.array([[0, 1, 2, 0]])}, "only labels 0 and 1"),
    ({"n": 5}, "n is 5"),
    ({"classes": ["cat"]}, "classes has 1 entries"),
])
def test_plot_examples_bad_input(kwargs, match):
    args = {"images": np.zeros((4, 8, 8, 3), np.uint8), "labels": np.zeros((1, 4)),
            "classes": CLASSES, "n": 2}
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        plot_examples(**args)


def test_plot_costs():
    costs = [0.69, 0.5, 0.3, 0.2]
    fig = plot_costs(costs, 0.0075)
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    ax = fig.axes[0]
    assert ax.get_title() == "Learning rate = 0.0075"
    assert ax.get_xlabel() == "iterations (per hundreds)" and ax.get_ylabel() == "cost"
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), costs)
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [0, 1, 2, 3])


@pytest.mark.parametrize("costs, lr, error", [
    ([], 0.01, ValueError), ([[1, 2]], 0.01, ValueError), (["a"], 0.01, TypeError),
    ([0.5], 0, ValueError), ([0.5], "fast", TypeError),
])
def test_plot_costs_bad_input(costs, lr, error):
    with pytest.raises(error):
        plot_costs(costs, lr)


def test_print_mislabeled_images(cat_data):
    X = flatten_images(cat_data[2][:6])
    y = np.array([[1, 0, 1, 0, 1, 1]])
    p = np.array([[1, 1, 0, 0, 1, 0]])
    fig = print_mislabeled_images(CLASSES, X, y, p)
    assert isinstance(fig, Figure) and len(fig.axes) == 3
    assert _titles(fig) == [
        "Prediction: cat\nClass: non-cat",
        "Prediction: non-cat\nClass: cat",
        "Prediction: non-cat\nClass: cat",
    ]
    np.testing.assert_array_equal(fig.axes[0].images[0].get_array(), cat_data[2][1] / 255)


def test_print_mislabeled_images_none_wrong(cat_data):
    X = flatten_images(cat_data[2][:2])
    fig = print_mislabeled_images(CLASSES, X, np.array([[0, 1]]), np.array([[0.0, 1.0]]))
    assert len(fig.axes) == 0 and fig.get_suptitle() == "No mislabeled images"


@pytest.mark.parametrize("X, y, p, match", [
    (np.zeros((12288, 3)), np.zeros((1, 2)), np.zeros((1, 3)), r"y has shape \(1, 2\)"),
    (np.zeros((12288, 3)), np.zeros((1, 3)), np.zeros((3,)), "p has shape"),
    (np.zeros((100, 3)), np.zeros((1, 3)), np.zeros((1, 3)), "100 rows"),
    (np.full((12288, 3), 255.0), np.zeros((1, 3)), np.ones((1, 3)), r"in \[0, 1\]"),
    (np.zeros((12288, 3)), np.zeros((1, 3)), np.full((1, 3), 0.7), "only labels 0 and 1"),
])
def test_print_mislabeled_images_bad_input(X, y, p, match):
    with pytest.raises(ValueError, match=match):
        print_mislabeled_images(CLASSES, X, y, p)
