"""Finite-difference checks of every backward block and of whole networks."""

import numpy as np
import pytest

from dnn_utils import (
    L_model_backward,
    initialize_parameters_deep,
    linear_activation_backward,
    linear_activation_forward,
    linear_backward,
    relu,
    relu_backward,
    sigmoid,
    sigmoid_backward,
)
from dnn_utils.gradient_check import gradient_check, numerical_gradient, relative_difference


@pytest.fixture
def rng():
    return np.random.RandomState(7)


def away_from_zero(rng, shape):
    # ReLU is not differentiable at 0: keep test points clear of the kink.
    Z = rng.randn(*shape)
    return Z + np.sign(Z) * 0.1


def test_sigmoid_backward_matches_finite_differences(rng):
    Z, dA = rng.randn(3, 4), rng.randn(3, 4)
    expected = numerical_gradient(lambda z: sigmoid(z)[0], Z, dA)
    assert relative_difference(sigmoid_backward(dA, Z), expected) < 1e-9


def test_relu_backward_matches_finite_differences(rng):
    Z, dA = away_from_zero(rng, (3, 4)), rng.randn(3, 4)
    expected = numerical_gradient(lambda z: relu(z)[0], Z, dA)
    assert relative_difference(relu_backward(dA, Z), expected) < 1e-9


def test_linear_backward_matches_finite_differences(rng):
    A, W, b, dZ = rng.randn(4, 5), rng.randn(3, 4), rng.randn(3, 1), rng.randn(3, 5)
    m = A.shape[1]
    dA_prev, dW, db = linear_backward(dZ, (A, W, b))
    # dW and db average over the m examples; dA_prev is per example (the lecture's convention).
    assert relative_difference(dA_prev, numerical_gradient(lambda a: W @ a + b, A, dZ)) < 1e-9
    assert relative_difference(dW, numerical_gradient(lambda w: w @ A + b, W, dZ) / m) < 1e-9
    assert relative_difference(db, numerical_gradient(lambda c: W @ A + c, b, dZ) / m) < 1e-9


@pytest.mark.parametrize("activation", ["relu", "sigmoid"])
def test_linear_activation_backward_matches_finite_differences(rng, activation):
    A, W, b = rng.randn(4, 5), rng.randn(3, 4), rng.randn(3, 1)
    dA = rng.randn(3, 5)
    _, cache = linear_activation_forward(A, W, b, activation)
    m = A.shape[1]

    def out(a=A, w=W, c=b):
        return linear_activation_forward(a, w, c, activation)[0]

    dA_prev, dW, db = linear_activation_backward(dA, cache, activation)
    assert relative_difference(dA_prev, numerical_gradient(lambda a: out(a=a), A.copy(), dA)) < 1e-8
    assert relative_difference(dW, numerical_gradient(lambda w: out(w=w), W.copy(), dA) / m) < 1e-8
    assert relative_difference(db, numerical_gradient(lambda c: out(c=c), b.copy(), dA) / m) < 1e-8


@pytest.mark.parametrize("layer_dims", [[5, 1], [5, 4, 1], [5, 4, 3, 1], [6, 5, 4, 3, 2, 1]])
def test_whole_network_gradients(layer_dims, capsys):
    rng = np.random.RandomState(len(layer_dims))
    X = rng.randn(layer_dims[0], 8)
    Y = (rng.rand(1, 8) > 0.5).astype(float)
    parameters = initialize_parameters_deep(layer_dims, seed=3)
    # Non-zero biases keep every Z off ReLU's kink at 0 (with zero biases, an example
    # whose layer-1 units are all off gives Z2 = 0 exactly, where no derivative exists).
    for l in range(1, len(layer_dims)):
        parameters[f"b{l}"] = rng.uniform(0.1, 0.3, size=parameters[f"b{l}"].shape)
    snapshot = {k: v.copy() for k, v in parameters.items()}
    result = gradient_check(parameters, X, Y)
    assert result["passed"] and result["relative_difference"] < 1e-7
    assert set(result["differences"]) == {f"d{p}{l}" for l in range(1, len(layer_dims)) for p in "Wb"}
    assert "Gradient check passed" in capsys.readouterr().out
    for key, value in snapshot.items():
        np.testing.assert_array_equal(parameters[key], value)


def test_gradient_check_finds_the_wrong_parameter(capsys):
    rng = np.random.RandomState(0)
    X, Y = rng.randn(4, 6), np.array([[1, 0, 1, 1, 0, 0]])
    parameters = initialize_parameters_deep([4, 5, 3, 1], seed=2)

    def backward_forgetting_relu_derivative_in_layer_2(AL, Y, caches):
        grads = L_model_backward(AL, Y, caches)
        (A1, W2, _), Z2 = caches[1]
        # A typical mistake: skip g'(Z2), so dZ2 = dA2.
        dZ2 = grads["dA2"]
        grads["dW2"] = dZ2 @ A1.T / A1.shape[1]
        return grads

    result = gradient_check(parameters, X, Y, backward=backward_forgetting_relu_derivative_in_layer_2)
    assert not result["passed"]
    assert result["worst_parameter"] == "dW2"
    assert "FAILED" in capsys.readouterr().out


def test_gradient_check_refuses_huge_networks():
    parameters = initialize_parameters_deep([12288, 20, 1])
    with pytest.raises(ValueError, match=r"has \d+ parameters, more than max_parameters = 20000"):
        gradient_check(parameters, np.zeros((12288, 2)), np.array([[0, 1]]))
