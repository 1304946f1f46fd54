"""Graded tests of notebook 02's initialization exercises, one ``<name>_test`` each.

The reference is the package's own initialization, drawn with the same seed as the
template's ``np.random.seed(1)``. A weight matrix scaled wrongly (not at all, by 0.01 where
1/sqrt(n[l-1]) is meant, by the wrong layer's size) gets its own hint and mistake id; other
wrong draws get the hint on the seed and the order of the draws.
"""

import numpy as np

from ..initialization import initialize_parameters, initialize_parameters_deep
from .course import expect_own_initialization
from .feedback import call, expect_array, expect_keys, graded_test, named

_BIAS_ZEROS = "the biases start at zero: np.zeros((n, 1))."


def _bias_shape_tip(var):
    """The hint for a bias of the wrong shape: how np.zeros makes a column."""
    return named("b-not-a-column", f"{var} must be the column np.zeros((n, 1)), with two "
                 "pairs of parentheses: np.zeros(n) is 1-D and np.zeros((1, n)) a row.")


def _check_initialization(name, got, expected, wrong_W, W_hint):
    """Compare a parameters dict with the reference, W then b, layer by layer."""
    expect_keys(name, "parameters", got, expected)
    for l in range(1, len(expected) // 2 + 1):
        W, b = f"W{l}", f"b{l}"
        expect_array(name, f"parameters['{W}']", got[W], expected[W],
                     wrong=wrong_W(l, expected[W]), hint=W_hint)
        expect_array(name, f"parameters['{b}']", got[b], expected[b], hint=_BIAS_ZEROS,
                     shape_tip=_bias_shape_tip(f"parameters['{b}']"))


def _check_shapes_only(name, got, layer_dims):
    expected_keys = [f"{p}{l}" for l in range(1, len(layer_dims)) for p in "Wb"]
    expect_keys(name, "parameters", got, expected_keys)
    for l in range(1, len(layer_dims)):
        W, b = got[f"W{l}"], got[f"b{l}"]
        shape = (layer_dims[l], layer_dims[l - 1])
        if not isinstance(W, np.ndarray) or W.shape != shape:
            expect_array(name, f"parameters['W{l}']", W, np.zeros(shape))
        expect_array(name, f"parameters['b{l}']", b, np.zeros((layer_dims[l], 1)),
                     hint=_BIAS_ZEROS, shape_tip=_bias_shape_tip(f"parameters['b{l}']"))


_SEED_HINT = (
    "the weights come from np.random.randn right after np.random.seed(1) (already in the "
    "template), drawn in the order W1, W2, ..., each of shape (n[l], n[l-1]); the biases "
    "are not drawn."
)


@graded_test("initialize_parameters", arguments=("n_x", "n_h", "n_y"))
def initialize_parameters_test(target):
    """Graded test of ``initialize_parameters(n_x, n_h, n_y)``."""
    name = "initialize_parameters"
    for dims in ((3, 2, 1), (4, 5, 2)):
        got = call(target, name, *dims)
        expected = initialize_parameters(*dims, seed=1)
        _check_initialization(
            name, got, expected,
            lambda l, W: [(W * 100, "missing-scale",
                           "multiply the random weights by 0.01 to keep them small.")],
            _SEED_HINT,
        )


@graded_test("initialize_parameters_deep", arguments=("layer_dims",))
def initialize_parameters_deep_test(target):
    """Graded test of ``initialize_parameters_deep(layer_dims)``.

    In this workbook W[l] = np.random.randn(n[l], n[l-1]) / np.sqrt(n[l-1]).
    """
    name = "initialize_parameters_deep"
    for dims in ([5, 4, 3], [4, 3, 2, 1]):
        got = call(target, name, dims)
        expected = initialize_parameters_deep(dims, seed=1)
        expect_own_initialization(name, got, dims)

        def wrong_W(l, W, dims=dims):
            raw = W * np.sqrt(dims[l - 1])  # the unscaled draw
            return [
                (raw * 0.01, "scaled-by-0_01", ("this workbook scales W[l] by 1 / "
                                                "np.sqrt(layer_dims[l-1]), not by 0.01.")),
                (raw, "missing-scale", "divide the random weights by np.sqrt(layer_dims[l-1])."),
                (raw / np.sqrt(dims[l]), "scaled-by-wrong-layer", ("divide by the square root of the size of the "
                                         "previous layer, layer_dims[l-1], not layer_dims[l].")),
            ]

        _check_initialization(name, got, expected, wrong_W, _SEED_HINT)
    big = [12288, 20, 7, 5, 1]
    _check_shapes_only(name, call(target, name, big), big)
