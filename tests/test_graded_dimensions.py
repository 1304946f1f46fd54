"""The graded tests of notebook 01 pass right answers and name each usual mistake."""

import re

import numpy as np
import pytest
from graded_failures import expect_failure

from dnn_utils.graded import dimensions
from dnn_utils.graded.failure import GradedTestFailure


def not_implemented(*args):
    raise NotImplementedError


def returns_none(*args):
    return None


# ----------------------------------------------------------- network_shapes


def network_right(layer_dims, m, first=1, stop=None, W=None, b=None, Z=None):
    """A right network_shapes, or a wrong one when one of the rules is replaced."""
    stop = len(layer_dims) if stop is None else stop
    W = W or (lambda d, l, m: (d[l], d[l - 1]))
    b = b or (lambda d, l, m: (d[l], 1))
    Z = Z or (lambda d, l, m: (d[l], m))
    shapes = {}
    for l in range(first, stop):
        shapes[f"W{l}"] = W(layer_dims, l, m)
        shapes[f"b{l}"] = b(layer_dims, l, m)
        shapes[f"Z{l}"] = Z(layer_dims, l, m)
        shapes[f"A{l}"] = Z(layer_dims, l, m)
    return shapes


def network_with(**rules):
    return lambda layer_dims, m: network_right(layer_dims, m, **rules)


# ------------------------------------------------- the rules for W[l] and b[l]
# Each usual mistake in the shape of W[l] or b[l], made in every layer of network_shapes,
# gets its own hint.

W_MISTAKES = {
    "transposed": (lambda d, l: (d[l - 1], d[l]), r"transposed"),
    "index up": (lambda d, l: (d[l + 1], d[l]) if l + 1 < len(d) else (d[l], d[l - 1]), r"off by one layer: you used layer_dims\[l \+ 1\]"),
    "index down": (lambda d, l: (d[l - 1], d[l - 2]),
                   r"off by one layer: you used layer_dims\[l - 1\] for n\[l\].*wraps around"),
    "l to l+1": (lambda d, l: (d[l], d[l + 1]) if l + 1 < len(d) else (d[l], d[l - 1]), r"connects layer l-1 to layer l"),
    "always layer 1": (lambda d, l: (d[1], d[0]), r"shape of W\[1\] whatever l is"),
    "square": (lambda d, l: (d[l], d[l]), r"both sizes are n\[l\]"),
    "list": (lambda d, l: [d[l], d[l - 1]], r"is a list, expected a tuple"),
    "array": (lambda d, l: np.array([d[l], d[l - 1]]), r"is a ndarray, expected a tuple"),
    "floats": (lambda d, l: (d[l] / 1, d[l - 1] / 1), r"whole numbers"),
    "single number": (lambda d, l: d[l] * d[l - 1], r"single number"),
}


B_MISTAKES = {
    "row": (lambda d, l: (1, d[l]), r"b\[l\] is a row"),
    "1-D": (lambda d, l: (d[l],), r"1-D shape"),
    "W shape": (lambda d, l: (d[l], d[l - 1]), r"shape of W\[l\]"),
    "index down": (lambda d, l: (d[l - 1], 1), r"off by one layer: that is n\[l-1\]"),
    "index up": (lambda d, l: (d[l + 1], 1) if l + 1 < len(d) else (d[l], 1), r"off by one layer: that is n\[l\+1\]"),
    "always layer 1": (lambda d, l: (d[1], 1), r"shape of b\[1\] whatever l is"),
    "single number": (lambda d, l: d[l], r"single number"),
}


@pytest.mark.parametrize("mistake", sorted(W_MISTAKES))
def test_network_shapes_names_the_W_mistake(mistake):
    rule, pattern = W_MISTAKES[mistake]
    target = network_with(W=lambda d, l, m: rule(d, l))
    message = expect_failure(dimensions.network_shapes_test, target, r"^network_shapes: ",
                             r"shapes\['W\d'\]", pattern)
    assert "expected: (" in message


@pytest.mark.parametrize("mistake", sorted(B_MISTAKES))
def test_network_shapes_names_the_b_mistake(mistake):
    rule, pattern = B_MISTAKES[mistake]
    target = network_with(b=lambda d, l, m: rule(d, l))
    expect_failure(dimensions.network_shapes_test, target, r"^network_shapes: ",
                   r"shapes\['b\d'\]", pattern)


def test_network_shapes_checks_a_one_layer_network():
    def wrong_when_L_is_1(layer_dims, m):
        shapes = network_right(layer_dims, m)
        if len(layer_dims) == 2:
            shapes["W1"] = (0, 0)
        return shapes

    expect_failure(dimensions.network_shapes_test, wrong_when_L_is_1,
                   r"layer_dims=\[4, 3\], m=1, layer l=1")


def test_network_shapes_checks_W_of_the_last_layer():
    # Right everywhere except W[L]: only a test that reaches l = L finds it.
    def wrong_last(layer_dims, m):
        shapes = network_right(layer_dims, m)
        L = len(layer_dims) - 1
        shapes[f"W{L}"] = (layer_dims[L - 1], layer_dims[L])
        return shapes

    expect_failure(dimensions.network_shapes_test, wrong_last, r"shapes\['W4'\]", r"transposed")


NETWORK_MISTAKES = {
    "W uses m": (network_with(W=lambda d, l, m: (d[l], m)), r"shapes\['W1'\]",
                 r"W\[l\] does not depend on the number of examples m"),
    "W transposed": (network_with(W=lambda d, l, m: (d[l - 1], d[l])), r"shapes\['W1'\]",
                     r"transposed"),
    "W index up": (network_with(W=lambda d, l, m: (d[l + 1], d[l]) if l + 1 < len(d)
                                else (d[l], d[l - 1])),
                   r"shapes\['W1'\]", r"off by one layer"),
    "b row": (network_with(b=lambda d, l, m: (1, d[l])), r"shapes\['b1'\]", r"b\[l\] is a row"),
    "b 1-D": (network_with(b=lambda d, l, m: (d[l],)), r"shapes\['b1'\]", r"1-D shape"),
    "b uses m": (network_with(b=lambda d, l, m: (d[l], m)), r"shapes\['b1'\]",
                 r"b\[l\] does not depend on the number of examples m"),
    "Z transposed": (network_with(Z=lambda d, l, m: (m, d[l])), r"shapes\['Z1'\]",
                     r"Z\[l\] is transposed: examples are columns"),
    "Z without m": (network_with(Z=lambda d, l, m: (d[l], 1)), r"shapes\['Z1'\]",
                    r"one column per example"),
    "Z index down": (network_with(Z=lambda d, l, m: (d[l - 1], m)), r"shapes\['Z1'\]",
                     r"off by one layer: that is n\[l-1\] rows"),
    "starts at layer 0": (network_with(first=0), r"unexpected \['A0', 'W0', 'Z0', 'b0'\]",
                          r"layer 0 is the input X"),
    "misses layer L": (lambda d, m: network_right(d, m, stop=len(d) - 1),
                       r"missing \['A4', 'W4', 'Z4', 'b4'\]", r"the last layer \(l = L = 4\)"),
    "keys off by one": (lambda d, m: {f"{k[0]}{int(k[1:]) - 1}": v
                                      for k, v in network_right(d, m).items()},
                        r"wrong keys", r"off by one"),
    "not a dict": (lambda d, m: list(network_right(d, m).values()), r"expected a dict", r""),
}


def test_network_shapes_passes_a_right_answer(capsys):
    dimensions.network_shapes_test(network_right)
    assert capsys.readouterr().out.strip() == "network_shapes_test: all tests passed."


@pytest.mark.parametrize("mistake", sorted(NETWORK_MISTAKES))
def test_network_shapes_names_the_mistake(mistake):
    target, where, pattern = NETWORK_MISTAKES[mistake]
    expect_failure(dimensions.network_shapes_test, target, r"^network_shapes: ", where, pattern)


def test_network_shapes_checks_every_layer():
    # Only the last layer's A is wrong.
    def wrong_AL(layer_dims, m):
        shapes = network_right(layer_dims, m)
        L = len(layer_dims) - 1
        shapes[f"A{L}"] = (m, layer_dims[L])
        return shapes

    expect_failure(dimensions.network_shapes_test, wrong_AL, r"shapes\['A4'\]",
                   r"A\[l\] is transposed")


@pytest.mark.parametrize("target", [not_implemented])
def test_network_shapes_not_implemented(target):
    expect_failure(dimensions.network_shapes_test, target,
                   r"network_shapes is not implemented yet")


def test_network_shapes_returning_none_is_asked_about_return():
    expect_failure(dimensions.network_shapes_test, returns_none,
                   r"network_shapes: returned None: did you forget `return`\?")


# --------------------------------------------------------- count_parameters


def count_right(layer_dims):
    return sum(layer_dims[l] * layer_dims[l - 1] + layer_dims[l]
               for l in range(1, len(layer_dims)))


def count_with_loop(layer_dims, start, stop_offset=0, bias=lambda d, l: d[l]):
    return sum(layer_dims[l] * layer_dims[l - 1] + bias(layer_dims, l)
               for l in range(start, len(layer_dims) - stop_offset))


COUNT_MISTAKES = {
    "no biases": (lambda d: count_with_loop(d, 1, bias=lambda d, l: 0),
                  r"you counted only the weights"),
    "input biases": (lambda d: count_right(d) + d[0], r"input layer 0 has no biases"),
    "biases of layer l-1": (lambda d: count_with_loop(d, 1, bias=lambda d, l: d[l - 1]),
                            r"not n\[l-1\]"),
    "loop from 0": (lambda d: count_with_loop(d, 0), r"your loop starts at l = 0"),
    "misses layer L": (lambda d: count_with_loop(d, 1, stop_offset=1),
                       r"the last layer is missing"),
    "counts units": (lambda d: sum(d), r"number of units, not of parameters"),
    "tuple like the reference": (lambda d: ([1], count_right(d)), r"expected one int"),
    "float": (lambda d: count_right(d) / 1, r"expected an int.*\n(.*\n)*Hint: .*`/`"),
}


def test_count_parameters_passes_a_right_answer(capsys):
    dimensions.count_parameters_test(count_right)
    assert capsys.readouterr().out.strip() == "count_parameters_test: all tests passed."


def test_count_parameters_accepts_numpy_integers():
    dimensions.count_parameters_test(lambda d: np.int64(count_right(d)))


@pytest.mark.parametrize("mistake", sorted(COUNT_MISTAKES))
def test_count_parameters_names_the_mistake(mistake):
    target, pattern = COUNT_MISTAKES[mistake]
    expect_failure(dimensions.count_parameters_test, target, r"^count_parameters: ", pattern)


def test_count_parameters_unknown_mistake_shows_the_count_per_layer():
    expect_failure(dimensions.count_parameters_test, lambda d: count_right(d) + 1,
                   r"expected: \d+", r"per layer \(l = 1\.\.L\): \[")


@pytest.mark.parametrize("target", [not_implemented])
def test_count_parameters_not_implemented(target):
    expect_failure(dimensions.count_parameters_test, target,
                   r"count_parameters is not implemented yet")


def test_count_parameters_returning_none_is_asked_about_return():
    expect_failure(dimensions.count_parameters_test, returns_none,
                   r"count_parameters: returned None: did you forget `return`\?")


def test_graded_tests_do_not_change_numpy_random_state():
    np.random.seed(0)
    before = np.random.get_state()[1].copy()
    dimensions.network_shapes_test(network_right)
    dimensions.count_parameters_test(count_right)
    assert np.array_equal(np.random.get_state()[1], before)


def test_module_exports_the_three_tests():
    assert sorted(dimensions.__all__) == sorted(
        ["network_shapes_test", "count_parameters_test", "layer_dims_from_parameters_test"])
    for name in dimensions.__all__:
        assert callable(getattr(dimensions, name))


# -------------------------------------------------- layer_dims_from_parameters


def dims_right(parameters):
    L = len(parameters) // 2
    return [parameters["W1"].shape[1]] + [parameters[f"W{l}"].shape[0] for l in range(1, L + 1)]


def dims_in_dict_order(parameters):
    # Right only when the keys come layer by layer (W1, b1, W2, b2, ...).
    values = list(parameters.values())
    return [values[0].shape[1]] + [values[i].shape[0] for i in range(0, len(values), 2)]


def dims_in_key_order(parameters):
    # Right for layer-by-layer and for a saved file's order (W1, W2, ..., b1, ...), wrong
    # when the keys come in any other order.
    weights = [value for key, value in parameters.items() if key.startswith("W")]
    return [weights[0].shape[1]] + [W.shape[0] for W in weights]


DIMS_MISTAKES = {
    "no n[0]": (lambda p: [p[f"W{l}"].shape[0] for l in range(1, len(p) // 2 + 1)],
                r"n\[0\], the input size, is missing.*shape\[1\]"),
    "columns only": (lambda p: [p[f"W{l}"].shape[1] for l in range(1, len(p) // 2 + 1)],
                     r"n\[L\], the size of the output layer, is missing"),
    "n[0] from rows": (lambda p: [p["W1"].shape[0]]
                       + [p[f"W{l}"].shape[0] for l in range(1, len(p) // 2 + 1)],
                       r"n\[0\] is wrong: you took the rows of W1"),
    "swapped": (lambda p: [p["W1"].shape[0], p["W1"].shape[1]]
                + [p[f"W{l}"].shape[0] for l in range(2, len(p) // 2 + 1)],
                r"first two sizes are swapped"),
    "range(1, L)": (lambda p: [p["W1"].shape[1]]
                    + [p[f"W{l}"].shape[0] for l in range(1, len(p) // 2)],
                    r"n\[L\], the size of the output layer, is missing.*range\(1, L \+ 1\)"),
    "tuple": (lambda p: tuple(dims_right(p)), r"returned a tuple, expected a list"),
    "array": (lambda p: np.array(dims_right(p)), r"returned a ndarray, expected a list"),
    "floats": (lambda p: [float(n) for n in dims_right(p)], r"whole numbers"),
    "dict order": (dims_in_dict_order, r"order a saved file lists them.*parameters\['W' \+ str\(l\)\]"),
    "W keys in dict order": (dims_in_key_order,
                             r"keys come shuffled \(b4, W4, .*\) and your sizes follow that "
                             r"order.*parameters\['W' \+ str\(l\)\]"),
}


def test_layer_dims_from_parameters_passes_a_right_answer(capsys):
    dimensions.layer_dims_from_parameters_test(dims_right)
    assert capsys.readouterr().out.strip() == "layer_dims_from_parameters_test: all tests passed."


@pytest.mark.parametrize("mistake", sorted(DIMS_MISTAKES))
def test_layer_dims_from_parameters_names_the_mistake(mistake):
    target, pattern = DIMS_MISTAKES[mistake]
    message = expect_failure(dimensions.layer_dims_from_parameters_test, target,
                             r"^layer_dims_from_parameters: ", pattern)
    if mistake not in ("tuple", "array", "floats"):
        # Which input, what was expected and what came back.
        assert re.search(r"layer_dims is wrong for parameters with keys [Wb]\d", message)
        assert re.search(r"expected: \[\d+(, \d+)+\]\n\s*got: ", message), message


def test_layer_dims_from_parameters_tries_logistic_regression():
    def wrong_for_one_layer(parameters):
        return [0, 0] if parameters["W1"].shape == (1, 5) else dims_right(parameters)

    expect_failure(dimensions.layer_dims_from_parameters_test, wrong_for_one_layer,
                   r"keys W1, b1 and shapes W1 \(1, 5\), b1 \(1, 1\)")


def test_layer_dims_from_parameters_gets_only_plain_data():
    seen = []

    def spy(parameters):
        seen.append(parameters)
        return dims_right(parameters)

    dimensions.layer_dims_from_parameters_test(spy)
    for parameters in seen:
        assert type(parameters) is dict
        assert all(type(v) is np.ndarray for v in parameters.values())


def test_layer_dims_from_parameters_not_implemented():
    expect_failure(dimensions.layer_dims_from_parameters_test, not_implemented,
                   r"layer_dims_from_parameters is not implemented yet")


def test_layer_dims_from_parameters_returning_none_is_asked_about_return():
    expect_failure(dimensions.layer_dims_from_parameters_test, returns_none,
                   r"layer_dims_from_parameters: returned None: did you forget `return`\?")


# ------------------------------------------------------------- the mistake ids
# The class report counts mistakes by id (<exercise>/<id>); each usual mistake above
# has its own, the same in every layer and network.

MISTAKE_IDS = {
    "network_shapes": (dimensions.network_shapes_test, {
        **{("W", k): v for k, v in {
            "transposed": "W-transposed", "index up": "W-next-layer",
            "index down": "W-previous-layer", "l to l+1": "W-connects-next-layer",
            "always layer 1": "W-always-W1", "square": "W-square",
            "list": "shape-not-a-tuple", "array": "shape-not-a-tuple",
            "floats": "shape-not-ints", "single number": "shape-is-a-number"}.items()},
        **{("b", k): v for k, v in {
            "row": "b-row", "1-D": "b-1d", "W shape": "b-is-W-shape",
            "index down": "b-previous-layer", "index up": "b-next-layer",
            "always layer 1": "b-always-b1", "single number": "shape-is-a-number"}.items()},
        **{("network", k): v for k, v in {
            "W uses m": "W-uses-m", "W transposed": "W-transposed",
            "W index up": "W-next-layer", "b row": "b-row", "b 1-D": "b-1d",
            "b uses m": "b-uses-m", "Z transposed": "Z-transposed",
            "Z without m": "Z-one-column", "Z index down": "Z-previous-layer",
            "starts at layer 0": "layer-0-included",
            "misses layer L": "last-layer-missing"}.items()},
    }),
    "count_parameters": (dimensions.count_parameters_test, {
        ("count", k): v for k, v in {
            "no biases": "weights-only", "input biases": "input-layer-counted",
            "biases of layer l-1": "biases-of-previous-layer", "loop from 0": "loop-from-0",
            "misses layer L": "last-layer-missing", "counts units": "units-not-parameters",
            "tuple like the reference": "returned-a-sequence", "float": "not-an-int"}.items()}),
    "layer_dims_from_parameters": (dimensions.layer_dims_from_parameters_test, {
        ("dims", k): v for k, v in {
            "no n[0]": "n0-missing", "columns only": "nL-missing",
            "n[0] from rows": "n0-from-rows", "swapped": "first-two-swapped",
            "range(1, L)": "nL-missing", "tuple": "not-a-list", "array": "not-a-list",
            "floats": "sizes-not-ints", "dict order": "key-order",
            "W keys in dict order": "key-order"}.items()}),
}


def _mistaken_target(kind, mistake):
    if kind == "W":
        return network_with(W=lambda d, l, m: W_MISTAKES[mistake][0](d, l))
    if kind == "b":
        return network_with(b=lambda d, l, m: B_MISTAKES[mistake][0](d, l))
    tables = {"network": NETWORK_MISTAKES, "count": COUNT_MISTAKES, "dims": DIMS_MISTAKES}
    return tables[kind][mistake][0]


@pytest.mark.parametrize("exercise, kind, mistake",
                         [(e, k, m) for e, (_, ids) in MISTAKE_IDS.items() for k, m in ids])
def test_each_usual_mistake_has_its_id(exercise, kind, mistake):
    test, ids = MISTAKE_IDS[exercise]
    with pytest.raises(GradedTestFailure) as failure:
        test(_mistaken_target(kind, mistake))
    assert failure.value.mistake == ids[kind, mistake], str(failure.value)


def test_the_id_table_covers_every_usual_mistake():
    tables = {"W": W_MISTAKES, "b": B_MISTAKES, "network": NETWORK_MISTAKES,
              "count": COUNT_MISTAKES, "dims": DIMS_MISTAKES}
    listed = {key for _, ids in MISTAKE_IDS.values() for key in ids}
    # Two network mistakes are found by the generic key check, whose hint has no id.
    unnamed = {("network", "keys off by one"), ("network", "not a dict")}
    assert listed | unnamed == {(kind, m) for kind, table in tables.items() for m in table}
