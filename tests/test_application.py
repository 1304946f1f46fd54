"""The course's published results for the cat classifier, end to end on the real data."""

import numpy as np
import pytest

from dnn_utils.data import flatten_images
from dnn_utils.models import L_layer_model, predict, two_layer_model

# Each test trains on the cat data for 2500 iterations.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def flat(cat_data):
    train_x_orig, train_y, test_x_orig, test_y, _ = cat_data
    return flatten_images(train_x_orig), train_y, flatten_images(test_x_orig), test_y


def _accuracy(X, y, parameters):
    return float(np.mean(predict(X, y, parameters) == y))


def test_two_layer_model_published_results(flat, capsys):
    train_x, train_y, test_x, test_y = flat
    parameters, costs = two_layer_model(
        train_x, train_y, (12288, 7, 1), learning_rate=0.0075, num_iterations=2500
    )
    assert len(costs) == 25
    np.testing.assert_allclose(
        [costs[0], costs[1], costs[24]], [0.6930497, 0.6464321, 0.0485548], rtol=0, atol=1e-7
    )
    assert _accuracy(train_x, train_y, parameters) == 1.0
    assert _accuracy(test_x, test_y, parameters) == pytest.approx(0.72)
    assert "Accuracy: 0.72" in capsys.readouterr().out


def test_deep_model_published_results(flat):
    train_x, train_y, test_x, test_y = flat
    parameters, costs = L_layer_model(
        train_x, train_y, [12288, 20, 7, 5, 1], learning_rate=0.0075, num_iterations=2500
    )
    assert len(costs) == 25
    np.testing.assert_allclose(
        [costs[0], costs[1], costs[24]], [0.771749, 0.672053, 0.092878], rtol=0, atol=1e-6
    )
    p_train = predict(train_x, train_y, parameters)
    assert int((p_train == train_y).sum()) == 206
    assert _accuracy(test_x, test_y, parameters) == pytest.approx(0.80)
