"""Every bad input gets an error naming the argument, what was seen and expected, and a fix."""

import warnings

import numpy as np
import pytest

from dnn_utils import (
    L_layer_model,
    L_model_backward,
    L_model_forward,
    TrainingDivergedError,
    compute_cost,
    initialize_parameters,
    initialize_parameters_deep,
    linear_activation_backward,
    linear_activation_forward,
    linear_backward,
    linear_forward,
    predict,
    relu,
    relu_backward,
    sigmoid,
    two_layer_model,
    update_parameters,
)


def network(layer_dims=(4, 3, 1), m=5):
    rng = np.random.RandomState(0)
    X = rng.randn(layer_dims[0], m)
    Y = (rng.rand(1, m) > 0.5).astype(float)
    return X, Y, initialize_parameters_deep(list(layer_dims))


def test_W_does_not_match_A():
    A, W, b = np.ones((3, 2)), np.ones((1, 4)), np.ones((1, 1))
    with pytest.raises(ValueError, match=r"linear_forward: W has shape \(1, 4\) but A has shape "
                       r"\(3, 2\).*expected W of shape \(1, 3\).*Fix"):
        linear_forward(A, W, b)
    with pytest.raises(ValueError, match=r"linear_activation_forward: W has shape .* A_prev"):
        linear_activation_forward(A, W, b, "relu")


@pytest.mark.parametrize("b_shape", [(1,), (1, 4), (4, 2)])
def test_b_must_be_a_column(b_shape):
    A, W = np.ones((3, 2)), np.ones((4, 3))
    b = np.ones(b_shape)
    with pytest.raises(ValueError, match=r"b has shape \(" + ", ".join(map(str, b_shape))):
        linear_forward(A, W, b)


def test_one_dimensional_input_is_refused():
    with pytest.raises(ValueError, match=r"A has shape \(3,\) \(1-D\), expected a 2-D array.*reshape"):
        linear_forward(np.ones(3), np.ones((1, 3)), np.ones((1, 1)))


def test_non_numeric_and_none():
    with pytest.raises(TypeError, match="dtype <U1, expected numbers"):
        relu(np.array([["a"]]))
    with pytest.raises(TypeError, match="Z is None"):
        sigmoid(None)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_inputs(bad):
    A = np.ones((3, 2))
    A[1, 1] = bad
    with pytest.raises(ValueError, match=r"A \(shape \(3, 2\)\) contains 1 non-finite value\(s\) "
                       rf"\(NaN or inf\), the first at A\[1, 1\] = {bad}; expected finite"):
        linear_forward(A, np.ones((1, 3)), np.ones((1, 1)))
    with pytest.raises(ValueError, match="non-finite"):
        relu(A)
    with pytest.raises(ValueError, match="dA .*non-finite"):
        relu_backward(A, np.ones((3, 2)))
    X, Y, parameters = network()
    X[0, 0] = bad
    with pytest.raises(ValueError, match="L_model_forward: X .*non-finite"):
        L_model_forward(X, parameters)
    with pytest.raises(ValueError, match="L_layer_model: X .*non-finite"):
        L_layer_model(X, Y, [4, 3, 1], num_iterations=1)


@pytest.fixture
def no_warnings():
    # A NaN or inf must come out as one clear ValueError, not a NumPy warning first.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_A_prev_in_a_cache_is_named(bad, no_warnings):
    # A_prev is checked through dW = (1 / m) * dZ @ A_prev.T. The ReLU layer here has
    # Z <= 0 everywhere, so dZ is all zeros: 0 * NaN and 0 * inf must still count.
    A_prev, W, b = np.ones((3, 2)), -np.ones((1, 3)), np.zeros((1, 1))
    A_prev[2, 1] = bad
    message = r"A_prev \(from the cache\) \(shape \(3, 2\)\) contains 1 non-finite value"
    with pytest.raises(ValueError, match="linear_backward: " + message):
        linear_backward(np.ones((1, 2)), (A_prev, W, b))
    with pytest.raises(ValueError, match="linear_activation_backward: " + message):
        linear_activation_backward(np.ones((1, 2)), ((A_prev, W, b), -np.ones((1, 2))), "relu")
    X, Y, parameters = network()
    AL, caches = L_model_forward(X, parameters)
    caches[0][0][0][1, 3] = bad  # X, as the first layer's cache holds it
    with pytest.raises(ValueError, match=r"L_model_backward \(caches\[0\]\): A_prev \(from"):
        L_model_backward(AL, Y, caches)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_parameters_and_grads_are_named(bad, no_warnings):
    X, Y, parameters = network((4, 3, 2, 1))
    for key in ("W2", "b3"):
        broken = {k: v.copy() for k, v in parameters.items()}
        broken[key][0, 0] = bad
        with pytest.raises(ValueError, match=rf"L_model_forward: parameters\['{key}'\] .*1 non-finite"):
            L_model_forward(X, broken)
    AL, caches = L_model_forward(X, parameters)
    grads = L_model_backward(AL, Y, caches)
    grads["dW1"][1, 1] = bad
    with pytest.raises(ValueError, match=r"update_parameters: grads\['dW1'\] .*1 non-finite"):
        update_parameters(parameters, grads, 0.1)
    grads["dW1"][1, 1] = 0.0
    parameters["b2"][1, 0] = bad
    with pytest.raises(ValueError, match=r"update_parameters: parameters\['b2'\] .*1 non-finite"):
        update_parameters(parameters, grads, 0.1)


def test_overflow_from_finite_inputs_is_called_an_overflow(no_warnings):
    A, W, b = np.full((3, 2), 1e200), np.full((1, 3), 1e200), np.zeros((1, 1))
    with pytest.raises(ValueError, match=r"linear_forward: Z .*although every input is finite: "
                       r"the computation overflowed.*Fix: scale"):
        linear_forward(A, W, b)
    X, _, parameters = network()
    parameters["W1"] = parameters["W1"] * 1e307
    with pytest.raises(ValueError, match=r"L_model_forward: Z1 .*overflowed"):
        L_model_forward(X * 1e10, parameters)
    grads = {"dW1": -np.full((3, 4), 1e308), "db1": np.zeros((3, 1))}
    with pytest.raises(ValueError, match=r"update_parameters: the new W1 .*overflowed"):
        update_parameters({"W1": np.full((3, 4), 1e308), "b1": np.zeros((3, 1))}, grads, 10.0)


def test_unknown_activation():
    A, W, b = np.ones((3, 2)), np.ones((1, 3)), np.ones((1, 1))
    with pytest.raises(ValueError, match=r"activation is 'tanh', expected 'relu' or 'sigmoid'"):
        linear_activation_forward(A, W, b, "tanh")
    with pytest.raises(ValueError, match=r"activation is 'Relu'"):
        linear_activation_backward(np.ones((1, 2)), ((A, W, b), np.ones((1, 2))), "Relu")


def test_AL_and_Y_shapes_must_match():
    with pytest.raises(ValueError, match=r"compute_cost: Y has shape \(3,\).*2-D"):
        compute_cost(np.array([[0.5, 0.5, 0.5]]), np.array([1, 0, 1]))
    with pytest.raises(ValueError, match=r"compute_cost: Y has shape \(1, 2\), expected \(1, 3\)"):
        compute_cost(np.array([[0.5, 0.5, 0.5]]), np.array([[1, 0]]))
    with pytest.raises(ValueError, match=r"Y has shape \(3, 1\), expected \(1, 3\).*reshape"):
        compute_cost(np.array([[0.5, 0.5, 0.5]]), np.array([[1], [0], [1]]))


def test_labels_must_be_zero_or_one():
    with pytest.raises(ValueError, match=r"Y must hold only labels 0 and 1, but it contains \[2\]"):
        compute_cost(np.array([[0.5, 0.5]]), np.array([[1, 2]]))
    X, Y, _ = network()
    Y[0, 0] = -1
    with pytest.raises(ValueError, match=r"contains \[-1.0\]"):
        L_layer_model(X, Y, [4, 3, 1], num_iterations=1)


def test_probabilities_must_be_in_range():
    with pytest.raises(ValueError, match=r"AL has values in \[-0.5, 0.5\].*sigmoid"):
        compute_cost(np.array([[-0.5, 0.5]]), np.array([[1, 0]]))


def test_caches_must_match_AL_and_each_other():
    X, Y, parameters = network((4, 3, 1), 5)
    AL, caches = L_model_forward(X, parameters)
    X2, Y2, parameters2 = network((4, 3, 1), 6)
    AL2, caches2 = L_model_forward(X2, parameters2)
    with pytest.raises(ValueError, match=r"L_model_backward: caches\[0\] holds .*AL \(1, 5\)"):
        L_model_backward(AL, Y, caches2)
    with pytest.raises(TypeError, match="caches must be the non-empty list"):
        L_model_backward(AL, Y, [])
    with pytest.raises(TypeError, match=r"cache must be the tuple \(linear_cache, activation_cache\)"):
        L_model_backward(AL, Y, [caches[0][0], caches[1]])
    with pytest.raises(ValueError, match=r"Z \(from the cache\) has shape"):
        L_model_backward(AL, Y, [(caches[0][0], caches[1][1]), caches[1]])


def test_backward_caches_in_the_wrong_order():
    dZ, A, W, b = np.ones((1, 2)), np.ones((3, 2)), np.ones((1, 3)), np.ones((1, 1))
    with pytest.raises(ValueError, match="linear_backward"):
        linear_backward(dZ, (W, A, b))
    with pytest.raises(TypeError, match=r"linear cache must be the tuple \(A_prev, W, b\)"):
        linear_backward(dZ, (A, W))
    with pytest.raises(ValueError, match=r"dZ has shape \(2, 1\), expected \(1, 2\)"):
        linear_backward(dZ.T, (A, W, b))
    with pytest.raises(TypeError, match="linear cache must be the tuple"):
        linear_activation_backward(dZ, (np.ones((1, 2)), (A, W, b)), "relu")


def test_parameters_with_missing_or_extra_keys():
    X, Y, parameters = network()
    missing = dict(parameters)
    del missing["b2"]
    with pytest.raises(KeyError, match=r"parameters is missing \['W1'\]|is missing \['b2'\]") as err:
        L_model_forward(X, missing)
    assert str(err.value).startswith("L_model_forward:")  # plain text, not a quoted key
    extra = dict(parameters, W3=np.ones((1, 1)), gamma=1.0)
    with pytest.raises((ValueError, KeyError), match="parameters"):
        L_model_forward(X, extra)
    renamed = {k.lower(): v for k, v in parameters.items()}
    with pytest.raises(KeyError, match="is missing"):
        update_parameters(renamed, {}, 0.1)
    with pytest.raises(ValueError, match=r"unexpected key\(s\) \['cost', 'lr'\]"):
        L_model_forward(X, dict(parameters, cost=1.0, lr=2.0))


def test_parameters_with_inconsistent_shapes():
    X, Y, parameters = network((4, 3, 1))
    bad = dict(parameters, W2=np.ones((1, 4)))
    with pytest.raises(ValueError, match=r"parameters\['W2'\] has shape \(1, 4\), expected \(1, 3\)"):
        L_model_forward(X, bad)
    bad = dict(parameters, b1=np.zeros((1, 3)))
    with pytest.raises(ValueError, match=r"parameters\['b1'\] has shape \(1, 3\), expected \(3, 1\)"):
        L_model_forward(X, bad)
    with pytest.raises(ValueError, match=r"X has shape \(5, 5\) but W1 has shape \(3, 4\)"):
        L_model_forward(np.ones((5, 5)), parameters)


def test_grads_must_match_parameters():
    X, Y, parameters = network()
    AL, caches = L_model_forward(X, parameters)
    grads = L_model_backward(AL, Y, caches)
    with pytest.raises(KeyError, match="grads has no 'db2'"):
        update_parameters(parameters, {k: v for k, v in grads.items() if k != "db2"}, 0.1)
    with pytest.raises(ValueError, match=r"grads\['db1'\] has shape \(3,\)|grads\['db1'\] has shape"):
        update_parameters(parameters, dict(grads, db1=grads["db1"].ravel()[None, :]), 0.1)
    for rate in (0, -0.1, float("nan")):
        with pytest.raises(ValueError, match="learning_rate"):
            update_parameters(parameters, grads, rate)
    with pytest.raises(TypeError, match="learning_rate"):
        update_parameters(parameters, grads, "0.1")


@pytest.mark.parametrize("dims, pattern", [
    ([5], "at least 2"),
    ([], "at least 2"),
    ([5, 0, 1], r"layer_dims\[1\] is 0, expected a positive"),
    ([5, -3, 1], r"layer_dims\[1\] is -3"),
])
def test_layer_dims_errors(dims, pattern):
    with pytest.raises(ValueError, match=pattern):
        initialize_parameters_deep(dims)


def test_layer_dims_type_errors():
    with pytest.raises(TypeError, match=r"layer_dims\[1\] is 2.5"):
        initialize_parameters_deep([3, 2.5, 1])
    with pytest.raises(TypeError, match="layer_dims is 5"):
        initialize_parameters_deep(5)
    with pytest.raises(ValueError, match=r"layer_dims\[0\] is 0"):
        initialize_parameters(0, 2, 1)


def test_model_argument_errors():
    X, Y, _ = network()
    with pytest.raises(ValueError, match=r"X has shape \(4, 5\) but layer_dims\[0\] is 3"):
        L_layer_model(X, Y, [3, 1])
    with pytest.raises(ValueError, match=r"Y has shape \(1, 4\), expected \(1, 5\)"):
        L_layer_model(X, Y[:, :4], [4, 1])
    with pytest.raises(ValueError, match=r"layer_dims\[-1\] is 2, expected 1"):
        L_layer_model(X, Y, [4, 2])
    with pytest.raises(ValueError, match="expected 3 sizes"):
        two_layer_model(X, Y, [4, 3, 2, 1])
    with pytest.raises(ValueError, match="num_iterations is 0"):
        L_layer_model(X, Y, [4, 1], num_iterations=0)
    with pytest.raises(ValueError, match=r"predict: y has shape \(1, 2\), expected \(1, 5\)"):
        predict(X, np.array([[1, 0]]), initialize_parameters_deep([4, 1]))


def test_divergence_stops_with_a_clear_error():
    X, Y, _ = network((4, 8, 1), 20)
    X = X * 100
    with pytest.raises(TrainingDivergedError, match=r"diverged at iteration \d+.*too large.*smaller"):
        L_layer_model(X, Y, [4, 8, 1], learning_rate=1e6, num_iterations=500)


def test_transposed_W_and_flat_b_get_specific_hints():
    A = np.ones((3, 4))
    with pytest.raises(ValueError, match=r"W looks transposed \(W.T has shape \(5, 3\)\)"):
        linear_forward(A, np.ones((3, 5)), np.ones((5, 1)))
    with pytest.raises(ValueError, match=r"b has shape \(5,\) \(1-D\), expected a column \(5, 1\)"):
        linear_forward(A, np.ones((5, 3)), np.ones(5))
