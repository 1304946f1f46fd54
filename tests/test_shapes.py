"""layer_shapes / format_shapes / count_parameters against the arrays a real pass produces."""

import numpy as np
import pytest

from dnn_utils import L_model_backward, L_model_forward, initialize_parameters_deep
from dnn_utils.shapes import count_parameters, format_shapes, layer_shapes

CAT_DIMS = [12288, 20, 7, 5, 1]
CAT_M = 209


@pytest.fixture(scope="module")
def real_pass():
    """Parameters, caches and grads of one forward + backward pass on random cat-sized data."""
    rng = np.random.default_rng(0)
    X = rng.random((CAT_DIMS[0], CAT_M))
    Y = (rng.random((1, CAT_M)) > 0.5).astype(float)
    parameters = initialize_parameters_deep(CAT_DIMS, seed=1)
    AL, caches = L_model_forward(X, parameters)
    grads = L_model_backward(AL, Y, caches)
    return X, parameters, AL, caches, grads


def test_layer_shapes_match_a_real_forward_and_backward_pass(real_pass):
    X, parameters, AL, caches, grads = real_pass
    shapes = layer_shapes(CAT_DIMS, CAT_M)
    L = len(CAT_DIMS) - 1
    assert len(shapes) == L == len(caches)
    A_prev_shape = X.shape
    for l, (s, cache) in enumerate(zip(shapes, caches, strict=True), start=1):
        (A_prev, W, b), Z = cache
        assert s["layer"] == l
        assert A_prev.shape == A_prev_shape
        assert s["W"] == W.shape == parameters[f"W{l}"].shape
        assert s["b"] == b.shape == parameters[f"b{l}"].shape
        assert s["Z"] == Z.shape
        assert s["dW"] == grads[f"dW{l}"].shape
        assert s["db"] == grads[f"db{l}"].shape
        # A[l] is the A_prev of the next layer's cache, or AL for the last layer.
        A = caches[l][0][0] if l < L else AL
        assert s["A"] == A.shape
        # grads["dA{l}"] holds dA[l] for l < L; dA[L] has AL's shape.
        dA_shape = grads[f"dA{l}"].shape if l < L else AL.shape
        assert s["dA"] == dA_shape
        # dZ = dA * g'(Z) elementwise, so its shape is the shape of Z.
        assert s["dZ"] == Z.shape
        A_prev_shape = A.shape
    assert grads["dA0"].shape == X.shape


def test_layer_shapes_are_tuples_of_python_ints():
    for s in layer_shapes(np.array([4, 3, 1]), np.int64(10)):
        assert set(s) == {"layer", "W", "b", "Z", "A", "dZ", "dA", "dW", "db"}
        for key, shape in s.items():
            if key == "layer":
                assert type(shape) is int
            else:
                assert type(shape) is tuple and all(type(n) is int for n in shape)


@pytest.mark.parametrize(
    ("layer_dims", "m", "error", "words"),
    [
        ([12288, 20, "7", 1], 209, TypeError, "layer_dims[2]"),
        ([12288, 0, 1], 209, ValueError, "layer_dims[1]"),
        ([12288], 209, ValueError, "at least 2"),
        (12288, 209, TypeError, "layer_dims"),
        (CAT_DIMS, 0, ValueError, "m is 0"),
        (CAT_DIMS, -3, ValueError, "m is -3"),
        (CAT_DIMS, 2.5, TypeError, "m is 2.5"),
        (CAT_DIMS, True, TypeError, "m is True"),
        (CAT_DIMS, None, TypeError, "m is None"),
    ],
)
def test_bad_input_gives_a_clear_error(layer_dims, m, error, words):
    for function in (layer_shapes, format_shapes):
        with pytest.raises(error) as info:
            function(layer_dims, m)
        assert words in str(info.value)
        assert function.__name__ in str(info.value)


def test_count_parameters_matches_the_initialized_arrays():
    parameters = initialize_parameters_deep(CAT_DIMS, seed=1)
    per_layer, total = count_parameters(CAT_DIMS)
    L = len(CAT_DIMS) - 1
    assert per_layer == [
        parameters[f"W{l}"].size + parameters[f"b{l}"].size for l in range(1, L + 1)
    ]
    assert total == sum(p.size for p in parameters.values())
    with pytest.raises(ValueError, match="count_parameters"):
        count_parameters([5, -1])


def test_format_shapes_lists_every_shape_in_aligned_columns():
    text = format_shapes(CAT_DIMS, CAT_M)
    lines = text.splitlines()
    L = len(CAT_DIMS) - 1
    # header, rule, X row, one row per layer, total line
    assert len(lines) == 3 + L + 1
    assert "A[0] = X: (12288, 209)" in lines[2]
    for s, row in zip(layer_shapes(CAT_DIMS, CAT_M), lines[3:3 + L], strict=True):
        cells = row.split()
        assert cells[0] == str(s["layer"])
        for key in ("W", "b", "Z"):
            assert str(s[key]) in row
    _, total = count_parameters(CAT_DIMS)
    assert f"{total:,} parameters" in lines[-1]
    assert f"L = {L} layers" in lines[-1]
    # Aligned: every column starts at the same offset in the header and the rule.
    table = lines[:3 + L]
    assert len({len(line.rstrip()) for line in lines[:2]}) == 1
    b_column = lines[0].index("b, db")
    for row in table[3:]:
        assert row[b_column] == "(" and row[b_column - 2:b_column] == "  "
