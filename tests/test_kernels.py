"""The structure of issue 11: one table of activations, public kernels, no private imports."""

import ast
from pathlib import Path

import numpy as np
import pytest

from dnn_utils import (
    L_model_backward,
    L_model_forward,
    initialize_parameters_deep,
    kernels,
    linear_activation_backward,
    linear_activation_forward,
    update_parameters,
)

ROOT = Path(__file__).resolve().parent.parent


def _tanh_backward(dA, Z):
    return dA * (1 - np.tanh(Z) ** 2)


@pytest.fixture
def with_tanh(monkeypatch):
    """Register a tanh activation for one test: one entry in kernels.ACTIVATIONS."""
    monkeypatch.setitem(kernels.ACTIVATIONS, "tanh", kernels.Activation(np.tanh, _tanh_backward))


def test_every_activation_has_a_forward_and_a_backward():
    assert set(kernels.ACTIVATIONS) >= {"relu", "sigmoid"}
    Z = np.array([[-2.0, 0.5], [3.0, -0.1]])
    for name, activation in kernels.ACTIVATIONS.items():
        assert activation.forward(Z).shape == Z.shape, name
        assert activation.backward(np.ones_like(Z), Z).shape == Z.shape, name


def test_a_new_activation_is_one_table_entry(with_tanh):
    rng = np.random.RandomState(0)
    A_prev, W, b = rng.randn(3, 4), rng.randn(2, 3), rng.randn(2, 1)
    A, cache = linear_activation_forward(A_prev, W, b, "tanh")
    np.testing.assert_array_equal(A, np.tanh(W @ A_prev + b))
    dA = rng.randn(2, 4)
    dA_prev, dW, db = linear_activation_backward(dA, cache, "tanh")
    dZ = _tanh_backward(dA, cache[1])
    np.testing.assert_allclose(dW, dZ @ A_prev.T / 4, rtol=1e-12)
    np.testing.assert_allclose(db, dZ.sum(axis=1, keepdims=True) / 4, rtol=1e-12)
    np.testing.assert_allclose(dA_prev, W.T @ dZ, rtol=1e-12)


def test_unknown_activation_lists_the_table(with_tanh):
    with pytest.raises(ValueError, match=r"activation is 'softmax', expected 'relu', 'sigmoid' "
                                         r"or 'tanh'"):
        linear_activation_forward(np.ones((3, 2)), np.ones((1, 3)), np.ones((1, 1)), "softmax")


def test_the_whole_model_dispatches_through_the_table(monkeypatch):
    # Replace both entries with recording wrappers: L_model_forward/backward must use them.
    calls = []
    for name, activation in list(kernels.ACTIVATIONS.items()):
        def forward(Z, _f=activation.forward, _name=name):
            calls.append(("forward", _name))
            return _f(Z)

        def backward(dA, Z, _b=activation.backward, _name=name):
            calls.append(("backward", _name))
            return _b(dA, Z)

        monkeypatch.setitem(kernels.ACTIVATIONS, name, kernels.Activation(forward, backward))
    parameters = initialize_parameters_deep([5, 4, 3, 1], seed=1)
    X = np.random.RandomState(1).randn(5, 6)
    AL, caches = L_model_forward(X, parameters)
    L_model_backward(AL, np.array([[0, 1, 0, 1, 1, 0]]), caches)
    assert calls == [("forward", "relu"), ("forward", "relu"), ("forward", "sigmoid"),
                     ("backward", "sigmoid"), ("backward", "relu"), ("backward", "relu")]


def test_layer_activation_is_the_lecture_network():
    assert [kernels.layer_activation(l, 4) for l in range(1, 5)] == \
        ["relu", "relu", "relu", "sigmoid"]
    assert kernels.layer_activation(2, 2, "sigmoid", "relu") == "relu"


def test_output_gradient_is_dAL_and_finite_at_0_and_1():
    AL, Y = np.array([[0.2, 0.7, 0.0, 1.0]]), np.array([[1, 0, 0, 1]])
    dAL = kernels.output_gradient(AL, Y)
    np.testing.assert_array_equal(dAL[:, :2], -(Y[:, :2] / AL[:, :2]
                                                - (1 - Y[:, :2]) / (1 - AL[:, :2])))
    assert np.isfinite(dAL).all()


def test_update_in_place_gives_the_same_bits_as_the_public_update():
    parameters = initialize_parameters_deep([5, 4, 1], seed=3)
    rng = np.random.RandomState(3)
    grads = {f"d{k}": rng.randn(*v.shape) for k, v in parameters.items()}
    expected = update_parameters(parameters, grads, 0.05)
    own = {k: v.copy() for k, v in parameters.items()}
    own_grads = {k: v.copy() for k, v in grads.items()}
    result = kernels.update_parameters_in_place(own, own_grads, 0.05)
    assert result is own
    for key, value in expected.items():
        np.testing.assert_array_equal(own[key], value)


def _private_imports(path):
    """``from X import _name`` statements of one file (names starting with one _)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{path.relative_to(ROOT)}: from {node.module} import "
                                 f"{alias.name}")
    return found


def test_no_module_imports_a_private_name():
    files = [p for folder in ("dnn_utils", "benchmarks", "tests")
             for p in sorted((ROOT / folder).rglob("*.py"))]
    assert files
    assert [line for path in files for line in _private_imports(path)] == []
