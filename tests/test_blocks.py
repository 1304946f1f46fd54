"""The building blocks: published values, shapes, numerics and no mutation."""

import copy
import warnings

import numpy as np
import pytest

from dnn_utils import (
    L_model_backward,
    L_model_forward,
    compute_cost,
    initialize_parameters,
    initialize_parameters_deep,
    linear_activation_backward,
    linear_activation_forward,
    linear_backward,
    linear_forward,
    relu,
    relu_backward,
    sigmoid,
    sigmoid_backward,
    update_parameters,
)


def seeded(seed, *shapes):
    rng = np.random.RandomState(seed)  # same numbers as np.random.seed(seed); randn
    return [rng.randn(*shape) for shape in shapes]


# --- published values of the course's step-by-step exercises -----------------------

def test_initialize_parameters_published():
    p = initialize_parameters(3, 2, 1)
    np.testing.assert_allclose(
        p["W1"], [[0.01624345, -0.00611756, -0.00528172], [-0.01072969, 0.00865408, -0.02301539]],
        atol=1e-8,
    )
    np.testing.assert_allclose(p["W2"], [[0.01744812, -0.00761207]], atol=1e-8)
    assert p["b1"].shape == (2, 1) and not p["b1"].any()
    assert p["b2"].shape == (1, 1) and not p["b2"].any()


def test_initialize_parameters_deep_convention():
    dims = [5, 4, 3]
    p = initialize_parameters_deep(dims)
    rng = np.random.RandomState(1)
    W1 = rng.randn(4, 5) / np.sqrt(5)
    W2 = rng.randn(3, 4) / np.sqrt(4)
    np.testing.assert_array_equal(p["W1"], W1)
    np.testing.assert_array_equal(p["W2"], W2)
    assert sorted(p) == ["W1", "W2", "b1", "b2"]
    assert p["b1"].shape == (4, 1) and p["b2"].shape == (3, 1)


def test_initialization_leaves_global_random_state_alone():
    np.random.seed(123)
    expected = np.random.rand(3)
    np.random.seed(123)
    initialize_parameters(4, 3, 1)
    initialize_parameters_deep([4, 3, 1])
    np.testing.assert_array_equal(np.random.rand(3), expected)


def test_linear_forward_published():
    A, W, b = seeded(1, (3, 2), (1, 3), (1, 1))
    Z, cache = linear_forward(A, W, b)
    np.testing.assert_allclose(Z, [[3.26295337, -1.23429987]], atol=1e-8)
    assert cache[0] is A and cache[1] is W and cache[2] is b


def test_linear_activation_forward_published():
    A_prev, W, b = seeded(2, (3, 2), (1, 3), (1, 1))
    A, ((A_c, W_c, b_c), Z) = linear_activation_forward(A_prev, W, b, "sigmoid")
    np.testing.assert_allclose(A, [[0.96890023, 0.11013289]], atol=1e-8)
    np.testing.assert_array_equal(Z, W @ A_prev + b)
    A, _ = linear_activation_forward(A_prev, W, b, "relu")
    np.testing.assert_allclose(A, [[3.43896131, 0.0]], atol=1e-8)


def test_L_model_forward_published():
    X, W1, b1, W2, b2, W3, b3 = seeded(6, (5, 4), (4, 5), (4, 1), (3, 4), (3, 1), (1, 3), (1, 1))
    parameters = {"W1": W1, "b1": b1, "W2": W2, "b2": b2, "W3": W3, "b3": b3}
    AL, caches = L_model_forward(X, parameters)
    np.testing.assert_allclose(AL, [[0.03921668, 0.70498921, 0.19734387, 0.04728177]], atol=1e-8)
    assert len(caches) == 3
    (A_prev, W, b), Z = caches[2]
    assert W is W3 and Z.shape == (1, 4) and A_prev.shape == (3, 4)


@pytest.mark.parametrize("layer_dims", [[12288, 20, 7, 5, 1], [300, 4, 1], [50, 3, 3, 1]])
def test_L_model_forward_column_major_X_is_the_textbook_to_rounding(layer_dims):
    # A column-major X (as flatten_images returns it) takes the faster transposed
    # product in linear_forward. It computes the same sums as W @ A + b, but the BLAS
    # may add them in another order (whether it does depends on the CPU's kernel), so
    # the numbers agree to rounding, not always to the bit.
    rng = np.random.RandomState(7)
    X = rng.rand(209, layer_dims[0]).T
    assert X.flags.f_contiguous and not X.flags.c_contiguous
    parameters = initialize_parameters_deep(layer_dims)
    for key in parameters:
        parameters[key] = parameters[key] + rng.randn(*parameters[key].shape) * 0.01
    AL, caches = L_model_forward(X, parameters)
    A = X
    L = len(layer_dims) - 1
    for l in range(1, L + 1):
        (A_prev, W, b), Z_got = caches[l - 1]
        np.testing.assert_array_equal(A_prev, A)  # each layer reads the previous output
        Z = np.dot(W, A) + b
        # Rounding of a sum of n terms is bounded by about n * eps * sum(|terms|).
        bound = 1e-12 * (np.abs(W) @ np.abs(A) + np.abs(b))
        assert np.all(np.abs(Z_got - Z) <= bound), f"layer {l}: Z differs beyond rounding"
        assert Z_got.flags.c_contiguous  # the layout W @ A returns
        A = 1 / (1 + np.exp(-Z_got)) if l == L else np.maximum(0, Z_got)
    np.testing.assert_allclose(AL, A, rtol=1e-14)


def test_compute_cost_published():
    cost = compute_cost(np.array([[0.8, 0.9, 0.4]]), np.array([[1, 1, 0]]))
    assert isinstance(cost, float)
    assert cost == pytest.approx(0.27977656, abs=1e-8)
    assert compute_cost([[0.8, 0.9, 0.4]], [[1, 1, 0]]) == cost


def test_linear_backward_published():
    dZ, A, W, b = seeded(1, (3, 4), (5, 4), (3, 5), (3, 1))
    dA_prev, dW, db = linear_backward(dZ, (A, W, b))
    np.testing.assert_allclose(dA_prev[0], [-1.15171336, 0.06718465, -0.3204696, 2.09812712], atol=1e-8)
    np.testing.assert_allclose(dA_prev[4], [-2.52214926, 2.67882552, -0.67947465, 1.48119548], atol=1e-8)
    np.testing.assert_allclose(dW[0], [0.07313866, -0.0976715, -0.87585828, 0.73763362, 0.00785716], atol=1e-8)
    np.testing.assert_allclose(db, [[-0.14713786], [-0.11313155], [-0.13209101]], atol=1e-8)
    assert dA_prev.shape == (5, 4) and dW.shape == (3, 5) and db.shape == (3, 1)


def test_linear_activation_backward_published():
    dA, A, W, b, Z = seeded(2, (1, 2), (3, 2), (1, 3), (1, 1), (1, 2))
    dA_prev, dW, db = linear_activation_backward(dA, ((A, W, b), Z), "sigmoid")
    np.testing.assert_allclose(dA_prev, [[0.11017994, 0.01105339], [0.09466817, 0.00949723],
                                         [-0.05743092, -0.00576154]], atol=1e-8)
    np.testing.assert_allclose(dW, [[0.10266786, 0.09778551, -0.01968084]], atol=1e-8)
    np.testing.assert_allclose(db, [[-0.05729622]], atol=1e-8)
    dA_prev, dW, db = linear_activation_backward(dA, ((A, W, b), Z), "relu")
    np.testing.assert_allclose(dA_prev, [[0.44090989, 0.0], [0.37883606, 0.0], [-0.2298228, 0.0]],
                               atol=1e-8)
    np.testing.assert_allclose(dW, [[0.44513824, 0.37371418, -0.10478989]], atol=1e-8)
    np.testing.assert_allclose(db, [[-0.20837892]], atol=1e-8)


# --- structure ------------------------------------------------------------------------

def make_network(layer_dims, m, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.randn(layer_dims[0], m)
    Y = (rng.rand(1, m) > 0.5).astype(float)
    return X, Y, initialize_parameters_deep(layer_dims, seed=seed + 1)


@pytest.mark.parametrize("layer_dims", [[3, 1], [4, 5, 1], [6, 5, 4, 3, 1]])
def test_L_model_backward_keys_and_shapes(layer_dims):
    X, Y, parameters = make_network(layer_dims, 7)
    AL, caches = L_model_forward(X, parameters)
    grads = L_model_backward(AL, Y, caches)
    L = len(layer_dims) - 1
    expected = {f"dA{l}" for l in range(L)} | {f"d{p}{l}" for l in range(1, L + 1) for p in "Wb"}
    assert set(grads) == expected
    for l in range(1, L + 1):
        assert grads[f"dW{l}"].shape == parameters[f"W{l}"].shape
        assert grads[f"db{l}"].shape == parameters[f"b{l}"].shape
        assert grads[f"dA{l - 1}"].shape == (layer_dims[l - 1], 7)


def test_L_model_backward_starts_from_dAL():
    X, Y, parameters = make_network([4, 3, 1], 5)
    AL, caches = L_model_forward(X, parameters)
    grads = L_model_backward(AL, Y, caches)
    dAL = -(Y / AL - (1 - Y) / (1 - AL))
    expected = linear_activation_backward(dAL, caches[-1], "sigmoid")
    np.testing.assert_allclose(grads["dW2"], expected[1], rtol=1e-12)
    np.testing.assert_allclose(grads["dA1"], expected[0], rtol=1e-12)


def test_update_parameters_formula_and_no_mutation():
    X, Y, parameters = make_network([4, 3, 1], 5)
    AL, caches = L_model_forward(X, parameters)
    grads = L_model_backward(AL, Y, caches)
    before = copy.deepcopy(parameters)
    keys_before = list(parameters)
    new = update_parameters(parameters, grads, 0.1)
    assert new is not parameters and list(parameters) == keys_before
    for key in before:
        np.testing.assert_array_equal(parameters[key], before[key])
        assert new[key] is not parameters[key]
        np.testing.assert_allclose(new[key], before[key] - 0.1 * grads["d" + key], rtol=1e-15)


def test_nothing_mutates_its_inputs():
    X, Y, parameters = make_network([4, 3, 2, 1], 6)
    snapshot = copy.deepcopy((X, Y, parameters))
    AL, caches = L_model_forward(X, parameters)
    caches_snapshot = copy.deepcopy(caches)
    AL_snapshot = AL.copy()
    grads = L_model_backward(AL, Y, caches)
    compute_cost(AL, Y)
    dA = grads["dA2"].copy()
    Z = caches[1][1]
    relu_backward(dA, Z)
    sigmoid_backward(dA, Z)
    np.testing.assert_array_equal(dA, grads["dA2"])
    np.testing.assert_array_equal(AL, AL_snapshot)
    for a, b in zip(snapshot, (X, Y, parameters)):
        if isinstance(a, dict):
            for k in a:
                np.testing.assert_array_equal(a[k], b[k])
        else:
            np.testing.assert_array_equal(a, b)
    for (lin_a, Z_a), (lin_b, Z_b) in zip(caches_snapshot, caches):
        np.testing.assert_array_equal(Z_a, Z_b)
        for x, y in zip(lin_a, lin_b):
            np.testing.assert_array_equal(x, y)


# --- numerics ---------------------------------------------------------------------------

def test_sigmoid_no_overflow_warning_and_limits():
    Z = np.array([[-1000.0, -710.0, 0.0, 710.0, 1000.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any RuntimeWarning fails the test
        A, cache = sigmoid(Z)
        dZ = sigmoid_backward(np.ones_like(Z), Z)
    assert cache is Z
    np.testing.assert_array_equal(A, [[0.0, 0.0, 0.5, 1.0, 1.0]])
    assert np.isfinite(dZ).all() and dZ[0, 2] == 0.25


def test_relu_values_and_derivative():
    Z = np.array([[-2.0, 0.0, 3.0]])
    A, cache = relu(Z)
    np.testing.assert_array_equal(A, [[0.0, 0.0, 3.0]])
    np.testing.assert_array_equal(relu_backward(np.array([[5.0, 6.0, 7.0]]), cache), [[0, 0, 7.0]])


def test_cost_is_finite_at_exact_zero_and_one():
    AL = np.array([[0.0, 1.0, 0.0, 1.0]])
    assert compute_cost(AL, np.array([[0, 1, 0, 1]])) == pytest.approx(0.0, abs=1e-15)
    wrong = compute_cost(AL, np.array([[1, 0, 1, 0]]))
    assert np.isfinite(wrong) and wrong > 30  # confidently wrong costs a lot


def test_backward_finite_at_exact_zero_and_one():
    X, _, parameters = make_network([3, 1], 2)
    parameters["W1"] = np.array([[1000.0, 0.0, 0.0]])
    X = np.array([[1.0, -1.0], [0.0, 0.0], [0.0, 0.0]])
    AL, caches = L_model_forward(X, parameters)
    assert AL.tolist() == [[1.0, 0.0]]
    grads = L_model_backward(AL, np.array([[1, 0]]), caches)
    assert all(np.isfinite(g).all() for g in grads.values())
