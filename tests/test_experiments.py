"""The experiment helpers: accuracy, recorded training runs, parameter counts, rings, weight images."""

import numpy as np
import pytest

from dnn_utils import L_layer_model, initialize_parameters_deep
from dnn_utils.experiments import (
    accuracy,
    activation_patterns,
    boundary_distances,
    count_pieces_1d,
    first_layer_through,
    make_rings,
    train_from,
    train_with_history,
    weights_as_images,
)


def small_problem(m=40, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.randn(3, m)
    Y = (X[0:1] + 0.5 * X[1:2] > 0).astype(float)
    return X, Y


def test_accuracy_counts_correct_predictions():
    # One sigmoid unit with weight 1 on the only feature: probability > 0.5 exactly where x > 0.
    parameters = {"W1": np.array([[1.0]]), "b1": np.array([[0.0]])}
    X = np.array([[-2.0, -1.0, 1.0, 2.0]])
    assert accuracy(X, np.array([[0, 0, 1, 1]]), parameters) == 1.0
    assert accuracy(X, np.array([[0, 1, 1, 1]]), parameters) == 0.75
    assert accuracy(X, np.array([[1, 1, 0, 0]]), parameters) == 0.0


def test_accuracy_rejects_mismatched_labels():
    parameters = {"W1": np.array([[1.0]]), "b1": np.array([[0.0]])}
    with pytest.raises(ValueError, match=r"accuracy: Y has shape \(1, 3\), expected \(1, 4\)"):
        accuracy(np.zeros((1, 4)), np.zeros((1, 3)), parameters)
    with pytest.raises(ValueError, match=r"accuracy: Y must hold only labels 0 and 1"):
        accuracy(np.zeros((1, 2)), np.array([[0, 2]]), parameters)


def test_train_with_history_matches_L_layer_model():
    X, Y = small_problem()
    X_val, Y_val = small_problem(m=15, seed=1)
    dims = [3, 4, 1]
    parameters, history = train_with_history(X, Y, X_val, Y_val, dims, learning_rate=0.1,
                                              num_iterations=250, seed=3)
    reference, costs = L_layer_model(X, Y, dims, learning_rate=0.1, num_iterations=250, seed=3)
    # Checkpoints at 0, 100, 200 and the last iteration (249).
    assert history["iteration"] == [0, 100, 200, 249]
    assert history["cost"][:3] == costs
    for key in reference:
        np.testing.assert_array_equal(parameters[key], reference[key])
    for key in ("validation_cost", "train_accuracy", "validation_accuracy"):
        assert len(history[key]) == 4
    # The first checkpoint is the initialization, before any update.
    start = initialize_parameters_deep(dims, seed=3)
    assert history["train_accuracy"][0] == accuracy(X, Y, start)
    assert history["validation_accuracy"][0] == accuracy(X_val, Y_val, start)
    # This separable problem is learned: the final accuracy beats the start.
    assert accuracy(X, Y, parameters) > history["train_accuracy"][0]
    assert history["validation_cost"][-1] < history["validation_cost"][0]


def test_train_with_history_checks_the_validation_set():
    X, Y = small_problem()
    with pytest.raises(ValueError, match=r"train_with_history: X_val has shape \(2, 5\), "
                       r"expected \(3, 5\)"):
        train_with_history(X, Y, np.zeros((2, 5)), np.zeros((1, 5)), [3, 2, 1])
    with pytest.raises(ValueError, match=r"train_with_history: Y_val has shape \(5, 1\)"):
        train_with_history(X, Y, np.zeros((3, 5)), np.zeros((5, 1)), [3, 2, 1])


def test_make_rings_labels_follow_the_radius():
    X, Y = make_rings(500, n_rings=3, seed=4)
    assert X.shape == (2, 500) and Y.shape == (1, 500)
    assert np.all(np.abs(X) <= 1.0)
    r = np.hypot(X[0], X[1])
    assert np.all(Y[0, r < 1 / 3] == 0)
    assert np.all(Y[0, (r > 1 / 3) & (r < 2 / 3)] == 1)
    assert np.all(Y[0, (r > 2 / 3) & (r < 1)] == 0)
    assert 0.2 < Y.mean() < 0.8
    X2, Y2 = make_rings(500, n_rings=3, seed=4)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(Y, Y2)
    assert not np.array_equal(make_rings(500, seed=5)[0], X)


def test_make_rings_rejects_bad_arguments():
    with pytest.raises(ValueError, match=r"make_rings: m is 0"):
        make_rings(0)
    with pytest.raises(TypeError, match=r"make_rings: n_rings is 2.5"):
        make_rings(10, n_rings=2.5)
    with pytest.raises(ValueError, match=r"make_rings: seed is -1"):
        make_rings(10, seed=-1)


def test_weights_as_images_scales_each_unit():
    rng = np.random.RandomState(0)
    W1 = rng.randn(3, 4 * 4 * 3) * np.array([[1.0], [100.0], [0.01]])
    W1[2] = 7.0  # a unit with no pattern at all
    images = weights_as_images(W1, num_px=4)
    assert images.shape == (3, 4, 4, 3)
    for unit in (0, 1):
        assert images[unit].min() == 0.0 and images[unit].max() == 1.0
        # Unflattening follows flatten_images: row order is (pixel row, pixel column, channel).
        k = int(np.argmax(W1[unit]))
        assert images[unit].reshape(-1)[k] == 1.0
    np.testing.assert_array_equal(images[2], 0.5)


def test_weights_as_images_rejects_wrong_width():
    with pytest.raises(ValueError, match=r"weights_as_images: W1 has shape \(2, 10\), "
                       r"expected \(n\[1\], 48\)"):
        weights_as_images(np.ones((2, 10)), num_px=4)
    with pytest.raises(ValueError, match=r"weights_as_images: W1 .* non-finite"):
        weights_as_images(np.full((1, 48), np.nan), num_px=4)


def test_first_layer_through_moves_each_boundary_to_its_point():
    start = initialize_parameters_deep([2, 5, 3, 1], seed=2)
    points = np.random.RandomState(0).uniform(-1, 1, size=(2, 5))
    moved = first_layer_through(start, points)
    # W1[j] @ points[:, j] + b1[j] = 0: unit j's line passes through its point
    np.testing.assert_allclose(np.sum(moved["W1"] * points.T, axis=1) + moved["b1"][:, 0], 0,
                               atol=1e-15)
    assert np.all(start["b1"] == 0)  # the start is not changed
    for key in ("W1", "W2", "b2", "W3", "b3"):
        np.testing.assert_array_equal(moved[key], start[key])
    # the distance of each line from the origin is that of its point along W1[j]
    expected = np.abs(np.sum(moved["W1"] * points.T, axis=1)) / np.linalg.norm(moved["W1"], axis=1)
    np.testing.assert_allclose(boundary_distances(moved), expected, rtol=1e-12)
    assert np.all(boundary_distances(start) == 0)
    with pytest.raises(ValueError, match=r"first_layer_through: points has shape \(5, 2\), "
                                         r"expected \(2, 5\)"):
        first_layer_through(start, points.T)


def test_train_from_runs_the_same_steps_as_L_layer_model():
    X, Y = small_problem()
    dims = [3, 4, 1]
    reference, _ = L_layer_model(X, Y, dims, learning_rate=0.1, num_iterations=50, seed=3)
    start = initialize_parameters_deep(dims, seed=3)
    trained = train_from(X, Y, start, 0.1, 50)
    for key in reference:
        np.testing.assert_allclose(trained[key], reference[key], rtol=1e-12, atol=1e-15)
    assert np.all(start["b1"] == 0)
    with pytest.raises(ValueError, match="train_from: learning_rate is -1"):
        train_from(X, Y, start, -1, 5)


def test_count_pieces_1d_counts_the_kinks_of_a_known_network():
    # relu(x), relu(x - 1), relu(x - 2) feeding one output: kinks at 0, 1, 2 -> 4 pieces on [-1, 3]
    shallow = {"W1": np.ones((3, 1)), "b1": np.array([[0.0], [-1.0], [-2.0]]),
               "W2": np.array([[1.0, -2.0, 3.0]]), "b2": np.zeros((1, 1))}
    assert count_pieces_1d(shallow, np.linspace(-1, 3, 1000)) == 4
    assert count_pieces_1d(shallow, np.linspace(0.5, 1.5, 100)) == 2
    # two tents composed (two layers of two units): 4 pieces on [0, 1]
    tent = {"W1": np.array([[1.0], [1.0]]), "b1": np.array([[0.0], [-0.5]]),
            "W2": np.array([[2.0, -4.0], [2.0, -4.0]]), "b2": np.array([[0.0], [-0.5]]),
            "W3": np.array([[2.0, -4.0]]), "b3": np.zeros((1, 1))}
    assert count_pieces_1d(tent, np.linspace(0.001, 0.999, 999)) == 4
    # every bias zero: kinks only at 0
    deep = initialize_parameters_deep([1, 6, 6, 1], seed=4)
    assert count_pieces_1d(deep, np.linspace(-2, 2, 1000)) <= 2
    with pytest.raises(ValueError, match="count_pieces_1d: x must be a 1-D increasing array"):
        count_pieces_1d(deep, np.array([1.0, 0.0]))


def test_activation_patterns_lists_hidden_units_layer_by_layer():
    parameters = initialize_parameters_deep([2, 3, 4, 1], seed=1)
    X = np.random.RandomState(0).randn(2, 7)
    patterns = activation_patterns(parameters, X)
    assert patterns.shape == (7, 7) and patterns.dtype == bool
    Z1 = parameters["W1"] @ X + parameters["b1"]
    np.testing.assert_array_equal(patterns[:3], Z1 > 0)
    Z2 = parameters["W2"] @ np.maximum(0, Z1) + parameters["b2"]
    np.testing.assert_array_equal(patterns[3:], Z2 > 0)
