"""The structure of the building blocks (issues 11 and 17).

One table of activations; each block's formula written once, in the block's own
body, as the lecture writes it; no two same-named functions in two modules; no
module importing another's private names.
"""

import ast
import importlib
import inspect
import pkgutil
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

import dnn_utils
from dnn_utils import (
    L_model_backward,
    L_model_forward,
    activations,
    backward,
    cost,
    forward,
    initialization,
    initialize_parameters_deep,
    linear_activation_backward,
    linear_activation_forward,
    models,
    update,
    update_parameters,
)

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "dnn_utils"


def _tanh(Z, *, check=True):
    return np.tanh(Z), Z


def _tanh_backward(dA, cache, *, check=True):
    return dA * (1 - np.tanh(cache) ** 2)


@pytest.fixture
def with_tanh(monkeypatch):
    """Register a tanh activation for one test: one entry in activations.ACTIVATIONS."""
    monkeypatch.setitem(activations.ACTIVATIONS, "tanh",
                        activations.Activation(_tanh, _tanh_backward))


def test_every_activation_has_a_forward_and_a_backward():
    assert set(activations.ACTIVATIONS) >= {"relu", "sigmoid"}
    Z = np.array([[-2.0, 0.5], [3.0, -0.1]])
    for name, activation in activations.ACTIVATIONS.items():
        A, cache = activation.forward(Z)
        assert A.shape == Z.shape and cache is Z, name
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


def _recording_table(monkeypatch):
    """Replace every entry of the table with a wrapper that records its calls."""
    calls = []
    for name, activation in list(activations.ACTIVATIONS.items()):
        def forward(Z, *, check=True, _f=activation.forward, _name=name):
            calls.append(("forward", _name))
            return _f(Z, check=check)

        def backward(dA, cache, *, check=True, _b=activation.backward, _name=name):
            calls.append(("backward", _name))
            return _b(dA, cache, check=check)

        monkeypatch.setitem(activations.ACTIVATIONS, name,
                            activations.Activation(forward, backward))
    return calls


LECTURE_CALLS = [("forward", "relu"), ("forward", "relu"), ("forward", "sigmoid"),
                 ("backward", "sigmoid"), ("backward", "relu"), ("backward", "relu")]


def test_the_whole_model_dispatches_through_the_table(monkeypatch):
    calls = _recording_table(monkeypatch)
    parameters = initialize_parameters_deep([5, 4, 3, 1], seed=1)
    X = np.random.RandomState(1).randn(5, 6)
    AL, caches = L_model_forward(X, parameters)
    L_model_backward(AL, np.array([[0, 1, 0, 1, 1, 0]]), caches)
    assert calls == LECTURE_CALLS


def test_the_training_loop_dispatches_through_the_same_table(monkeypatch):
    # The training loop uses the same activation functions as the public blocks.
    calls = _recording_table(monkeypatch)
    X = np.asfortranarray(np.random.RandomState(1).randn(5, 6))
    Y = np.array([[0.0, 1, 0, 1, 1, 0]])
    models.train(X, Y, initialize_parameters_deep([5, 4, 3, 1], seed=1), 0.01, 1)
    assert calls == LECTURE_CALLS


def test_layer_activation_is_the_lecture_network():
    assert [activations.layer_activation(l, 4) for l in range(1, 5)] == \
        ["relu", "relu", "relu", "sigmoid"]
    assert activations.layer_activation(2, 2, "sigmoid", "relu") == "relu"


def test_output_gradient_is_dAL_and_finite_at_0_and_1():
    AL, Y = np.array([[0.2, 0.7, 0.0, 1.0]]), np.array([[1, 0, 0, 1]])
    dAL = backward.output_gradient(AL, Y)
    np.testing.assert_array_equal(dAL[:, :2], -(Y[:, :2] / AL[:, :2]
                                                - (1 - Y[:, :2]) / (1 - AL[:, :2])))
    assert np.isfinite(dAL).all()


def test_update_in_place_gives_the_same_bits_as_the_public_update_of_a_step():
    # train's backward pass returns learning_rate * dW as the step; subtracting it in
    # place is the public update with a learning rate of 1, bit for bit.
    parameters = initialize_parameters_deep([5, 4, 1], seed=3)
    rng = np.random.RandomState(3)
    steps = {f"d{k}": 0.05 * rng.randn(*v.shape) for k, v in parameters.items()}
    expected = update_parameters(parameters, steps, 1.0)
    own = {k: v.copy() for k, v in parameters.items()}
    result = models.update_in_place(own, steps)
    assert result is own
    for key, value in expected.items():
        np.testing.assert_array_equal(own[key], value)


def test_a_backward_pass_from_a_scaled_dAL_gives_the_scaled_gradients():
    # Speed trick 4 of train: the backward blocks are linear in the gradient given.
    rng = np.random.RandomState(5)
    parameters = initialize_parameters_deep([6, 4, 3, 1], seed=5)
    X, Y = rng.randn(6, 7), (rng.rand(1, 7) > 0.5).astype(float)
    AL, caches = L_model_forward(X, parameters)
    grads = L_model_backward(AL, Y, caches)
    dA, L = 0.05 * backward.output_gradient(AL, Y), len(caches)
    for l in range(L, 0, -1):
        dA, dW, db = backward.linear_activation_backward(
            dA, caches[l - 1], activations.layer_activation(l, L))
        np.testing.assert_allclose(dW, 0.05 * grads[f"dW{l}"], rtol=1e-14, atol=1e-17)
        np.testing.assert_allclose(db, 0.05 * grads[f"db{l}"], rtol=1e-14, atol=1e-17)


def test_check_false_gives_the_same_results_as_the_checked_blocks():
    rng = np.random.RandomState(4)
    parameters = initialize_parameters_deep([6, 4, 3, 1], seed=4)
    X, Y = rng.randn(6, 7), (rng.rand(1, 7) > 0.5).astype(float)
    AL, caches = L_model_forward(X, parameters)
    AL_u, caches_u = L_model_forward(X, parameters, check=False)
    np.testing.assert_array_equal(AL, AL_u)
    grads = L_model_backward(AL, Y, caches)
    grads_u = L_model_backward(AL_u, Y, caches_u, check=False)
    assert grads.keys() == grads_u.keys()
    for key in grads:
        np.testing.assert_array_equal(grads[key], grads_u[key])
    assert dnn_utils.compute_cost(AL, Y) == dnn_utils.compute_cost(AL, Y, check=False)


# ------------------------------------------------- each formula once, in its block

#: (module, function, the lecture's formula as written in the function's body)
FORMULAS = [
    (forward, "linear_forward", "Z = W @ A + b"),
    (activations, "sigmoid", "A = 1 / (1 + np.exp(-Z))"),
    (activations, "relu", "A = np.maximum(0, Z)"),
    (activations, "sigmoid_backward", "dZ = dA * s * (1 - s)"),
    (activations, "relu_backward", "dZ = np.where(Z > 0, dA, 0.0)"),
    (cost, "compute_cost", "cost = -(1 / m) * (Y @ np.log(AL).T + (1 - Y) @ np.log(1 - AL).T)"),
    (backward, "linear_backward", "dW = (1 / m) * dZ @ A_prev.T"),
    (backward, "linear_backward", "db = (1 / m) * np.sum(dZ, axis=1, keepdims=True)"),
    (backward, "linear_backward", "dA_prev = W.T @ dZ"),
    (backward, "output_gradient", "dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))"),
    (update, "update_parameters", "W = W - learning_rate * dW"),
    (initialization, "initialize_parameters", "W1 = rng.randn(n_h, n_x) * 0.01"),
    (initialization, "initialize_parameters_deep",
     "parameters[f'W{l}'] = rng.randn(dims[l], dims[l - 1]) / np.sqrt(dims[l - 1])"),
]


def _package_sources():
    """Every module of dnn_utils outside graded/ and workbook/ (the grading machinery,
    whose feedback recomputes the formulas with named mistakes on purpose)."""
    return {p: p.read_text(encoding="utf-8") for p in sorted(PACKAGE.glob("*.py"))}


def _expressions(source):
    """ast.unparse of every expression (sub-expressions included) in ``source``."""
    return [ast.unparse(node) for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.expr)]


@pytest.mark.parametrize("module, name, formula", FORMULAS,
                         ids=[f"{m.__name__.split('.')[-1]}.{n}: {f}" for m, n, f in FORMULAS])
def test_the_formula_is_in_the_blocks_own_body(module, name, formula):
    function = getattr(module, name)
    body = [ast.unparse(node) for node in ast.walk(ast.parse(inspect.getsource(function)))
            if isinstance(node, ast.Assign)]
    assert ast.unparse(ast.parse(formula).body[0]) in body, inspect.getsource(function)


@pytest.mark.parametrize("module, name, formula", FORMULAS,
                         ids=[f"{m.__name__.split('.')[-1]}.{n}: {f}" for m, n, f in FORMULAS])
def test_the_formula_is_written_once_in_the_package(module, name, formula):
    right_side = ast.unparse(ast.parse(formula).body[0].value)
    where = [path.name for path, source in _package_sources().items()
             for expression in _expressions(source) if expression == right_side]
    expected = [Path(module.__file__).name]
    if name == "relu":
        # The one known second copy: experiments.activation_patterns (notebook 05) writes
        # ReLU out because notebook 05 has a relu exercise, and the grader's sandbox
        # replaces every package function named relu by a stub while grading it.
        expected.append("experiments.py")
    assert sorted(where) == sorted(expected), where


def test_the_blocks_call_no_other_module_for_their_maths():
    # The issue 17 complaint: linear_forward was a check and a call to kernels.
    assert not (PACKAGE / "kernels.py").exists()
    for module, name, _ in FORMULAS:
        source = inspect.getsource(getattr(module, name))
        assert "kernels" not in source, name


# ------------------------------------------------- one name, one function

def _package_modules():
    for info in pkgutil.walk_packages(dnn_utils.__path__, "dnn_utils."):
        if info.name.split(".")[1] in ("graded", "workbook") or info.name.endswith("__main__"):
            continue
        yield importlib.import_module(info.name)


def test_no_two_modules_define_a_function_of_the_same_name():
    # e.g. kernels.sigmoid(Z) -> A next to dnn_utils.sigmoid(Z) -> (A, Z), as before
    # issue 17. A name imported from elsewhere is the same object, and allowed.
    defined = defaultdict(set)
    modules = list(_package_modules())
    assert len(modules) > 10
    for module in [dnn_utils, *modules]:
        for name, obj in vars(module).items():
            if (inspect.isfunction(obj) or inspect.isclass(obj)) and \
                    getattr(obj, "__module__", "").startswith("dnn_utils"):
                defined[name].add(f"{obj.__module__}.{obj.__qualname__}")
    twins = {name: sorted(where) for name, where in defined.items() if len(where) > 1}
    assert twins == {}


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
