"""Graded tests of notebook 01: the shapes of W, b, Z and A, layer_dims, the parameter count.

Each test runs the learner's function on several networks, always including the
first layer (l = 1) and the last one (l = L), and compares with
:func:`dnn_utils.shapes.layer_shapes`. A wrong answer is matched against the
usual mistakes (a transposed W, a bias stored as a row or as a 1-D array, m in
a parameter's shape, the size of the wrong layer, forgotten biases) so that the
hint can name the mistake instead of only showing two tuples.

``layer_dims_from_parameters`` reads the rules backwards: from a dict of parameters (logistic
regression, a saved file's key order and shuffled keys included) to ``layer_dims``.
"""

import numbers

import numpy as np

from ..shapes import count_parameters as _reference_count
from ..shapes import layer_shapes
from .feedback import call, expect_keys, fail, graded_test, named

__all__ = [
    "count_parameters_test",
    "layer_dims_from_parameters_test",
    "network_shapes_test",
]

# The first network has all-different layer sizes, so that every mistake below
# gives a different wrong tuple and the hint can tell them apart; the others add
# the cat model, repeated sizes and a one-layer network (where l = 1 = L).
_NETWORKS = (
    ([6, 5, 4, 3, 2], 9),
    ([12288, 20, 7, 5, 1], 209),
    ([3, 5, 5, 3, 2, 1], 4),
    ([4, 3], 1),
)


def _size(dims, i):
    """``dims[i]`` with Python's indexing (a negative index wraps, as in the learner's
    code), or None when the index is past the end (the learner's code would raise)."""
    return dims[i] if i < len(dims) else None


def _wrong_W(dims, l, m=None):
    """Known wrong shapes for W[l], each with its hint."""
    n, n_prev = dims[l], dims[l - 1]
    n_next = _size(dims, l + 1)
    wrong = [
        ((n_prev, n), named("W-transposed", f"it is transposed. W[l] has one row per unit of layer l and one "
         f"column per unit of layer l-1: (n[l], n[l-1]) = (layer_dims[l], layer_dims[l - 1]), "
         f"here ({n}, {n_prev}).")),
    ]
    if m is not None:
        wrong += [
            ((n, m), named("W-uses-m", "W[l] does not depend on the number of examples m: the same weights "
             "serve every example. Its columns match the previous layer: (n[l], n[l-1]).")),
            ((m, n_prev), named("W-uses-m", "W[l] does not depend on the number of examples m: its rows are "
             "the units of layer l, (n[l], n[l-1]).")),
        ]
    if n_next is not None:
        wrong += [
            ((n_next, n), named("W-next-layer", "off by one layer: you used layer_dims[l + 1] and layer_dims[l], "
             "the shape of W[l+1]. layer_dims[l] is n[l] because layer_dims starts with "
             "the input size n[0]: W[l] is (layer_dims[l], layer_dims[l - 1]).")),
            ((n, n_next), named("W-connects-next-layer", "W[l] connects layer l-1 to layer l, not layer l to layer l+1: "
             "use (layer_dims[l], layer_dims[l - 1]).")),
        ]
    wrong += [
        ((dims[1], dims[0]), named("W-always-W1", "this is the shape of W[1] whatever l is: use l, "
         "(layer_dims[l], layer_dims[l - 1]).")),
        ((n_prev, dims[l - 2]), named("W-previous-layer", "off by one layer: you used layer_dims[l - 1] for n[l] "
         "(that is n[l-1]). layer_dims[l] is already n[l], because layer_dims starts with "
         "n[0]; at l = 1, layer_dims[l - 2] is layer_dims[-1], which silently wraps around "
         "to the last layer. W[l] is (layer_dims[l], layer_dims[l - 1]).")),
        ((n, n), named("W-square", "both sizes are n[l]; the columns of W[l] are the units of the previous "
         "layer: (layer_dims[l], layer_dims[l - 1]).")),
        ((n, 1), named("W-is-b-shape", "this is the shape of b[l]; W[l] is (n[l], n[l-1]).")),
    ]
    return wrong


def _wrong_b(dims, l, m=None):
    """Known wrong shapes for b[l], each with its hint."""
    n, n_prev = dims[l], dims[l - 1]
    n_next = _size(dims, l + 1)
    wrong = [
        ((1, n), named("b-row", "b[l] is a row; it must be a column (n[l], 1), one bias per unit, so that "
         "NumPy adds it to each column (each example) of W[l] A[l-1]. A row would be added "
         "along the examples instead.")),
        ((n,), named("b-1d", "(n[l],) is a 1-D shape; b[l] must be the 2-D column (n[l], 1). A 1-D b is "
         "broadcast like a row and mixes units with examples.")),
    ]
    if m is not None:
        wrong += [
            ((n, m), named("b-uses-m", "b[l] does not depend on the number of examples m: it is one column "
             "(n[l], 1), and broadcasting adds it to all m columns.")),
        ]
    wrong += [
        ((n, n_prev), named("b-is-W-shape", "this is the shape of W[l]; b[l] has one bias per unit of layer l: "
         "(n[l], 1).")),
        ((dims[1], 1), named("b-always-b1", "this is the shape of b[1] whatever l is: use (layer_dims[l], 1).")),
        ((n_prev, 1), named("b-previous-layer", "off by one layer: that is n[l-1]. layer_dims[l] is n[l], because "
         "layer_dims starts with n[0]: b[l] is (layer_dims[l], 1).")),
        ((1, n_prev), named("b-row-previous-layer", "b[l] is (n[l], 1): a column, with n[l] = layer_dims[l].")),
    ]
    if n_next is not None:
        wrong += [
            ((n_next, 1), named("b-next-layer", "off by one layer: that is n[l+1]. layer_dims[l] is n[l], because "
             "layer_dims starts with n[0]: b[l] is (layer_dims[l], 1).")),
        ]
    return wrong


def _wrong_Z(dims, l, m, var):
    """Known wrong shapes for Z[l] or A[l], each with its hint."""
    n, n_prev = dims[l], dims[l - 1]
    n_next = _size(dims, l + 1)
    wrong = [
        ((m, n), named(f"{var}-transposed", f"{var}[l] is transposed: examples are columns, so {var}[l] is (n[l], m).")),
        ((n, 1), named(f"{var}-one-column", f"{var}[l] has one column per example: (n[l], m), not (n[l], 1).")),
        ((n_prev, m), named(f"{var}-previous-layer", f"off by one layer: that is n[l-1] rows. {var}[l] = ... is (n[l], m) "
         "with n[l] = layer_dims[l].")),
        ((n, n_prev), named(f"{var}-is-W-shape", f"this is the shape of W[l]; {var}[l] = W[l] A[l-1] (+ b[l]) has the "
         "rows of W[l] and the columns of A[l-1]: (n[l], m).")),
    ]
    if n_next is not None:
        wrong += [
            ((n_next, m), named(f"{var}-next-layer", f"off by one layer: that is n[l+1] rows. {var}[l] is (n[l], m) "
             "with n[l] = layer_dims[l].")),
        ]
    return wrong


def _expect_shape(name, var, got, expected, wrong, context):
    """Fail unless ``got`` is the shape tuple ``expected``; match known mistakes.

    Parameters
    ----------
    var : str
        What ``got`` is, e.g. ``"the result"`` or ``"shapes['W2']"``.
    expected : tuple of int
    wrong : sequence of (tuple, str)
        Known wrong shapes and their hints.
    context : str
        The inputs, e.g. ``"layer_dims=[6, 5, 4], l=2"``.
    """
    details = [f"expected: {expected}", f"got:      {got!r}"]
    wrong_for = f"{var} is wrong for {context}."
    if isinstance(got, numbers.Integral) and not isinstance(got, bool):
        fail(name, f"{var} is the single number {got!r}, expected the shape tuple "
             f"{expected}.", details=details,
             hint="a shape has two sizes, (rows, columns): return them as a tuple, "
             "e.g. `return (rows, columns)`.", mistake="shape-is-a-number")
    if isinstance(got, (list, np.ndarray)):
        as_tuple = tuple(np.asarray(got).ravel().tolist())
        if as_tuple == expected:
            fail(name, f"{var} is a {type(got).__name__}, expected a tuple ({context}).",
                 details=details, hint=f"shapes are tuples, like `array.shape`: return tuple(...), or write "
                 f"the two sizes in parentheses, ({expected[0]}, {expected[1]}).",
                 mistake="shape-not-a-tuple")
        got_cmp = as_tuple
    elif isinstance(got, tuple):
        got_cmp = got
    else:
        fail(name, f"{var} is {type(got).__name__} {got!r:.60}, expected the shape tuple "
             f"{expected}.", details=details)
    for size in got_cmp:
        if isinstance(size, bool) or not isinstance(size, numbers.Integral):
            fail(name, f"{var} holds {size!r} ({type(size).__name__}), but the sizes in a "
                 "shape are whole numbers (int).", details=details,
                 hint="take the sizes straight from layer_dims (and m); do not divide them "
                 "with `/`.", mistake="shape-not-ints")
    if tuple(got_cmp) == expected:
        if not isinstance(got, tuple):
            fail(name, f"{var} is a {type(got).__name__}, expected a tuple.", details=details,
                 hint="shapes are tuples, like `array.shape`: return tuple(...).",
                 mistake="shape-not-a-tuple")
        return
    for shape, hint in wrong:
        if tuple(got_cmp) == shape:
            fail(name, wrong_for, details=details, hint=hint)
    fail(name, wrong_for, details=details,
         hint="n[l] is layer_dims[l] and n[l-1] is layer_dims[l - 1]; print them for the "
         "inputs above and compare with the shape rules.")


def _layers(dims, m):
    """(l, expected shapes of layer l) for l = 1..L, from the reference."""
    return [(s["layer"], s) for s in layer_shapes(dims, m)]


def _keys_hint(got, L):
    numbers_seen = {int(k[1:]) for k in got if isinstance(k, str) and k[1:].isdigit()}
    if 0 in numbers_seen:
        return named("layer-0-included", "layer 0 is the input X: it has no W, b or Z, and A0 "
                     "is not included. Loop over l = 1..L: `for l in range(1, L + 1)`.")
    if numbers_seen and L not in numbers_seen:
        return named("last-layer-missing", f"the last layer (l = L = {L}) is missing: "
                     "range(1, L) stops at L - 1; use `for l in range(1, L + 1)` with "
                     "L = len(layer_dims) - 1.")
    return named("key-names", 'four keys per layer, "W{l}", "b{l}", "Z{l}" and "A{l}" '
                 '(capital W, Z, A, small b), for l = 1..L with L = len(layer_dims) - 1: '
                 'build them with f"W{l}".')


@graded_test("network_shapes")
def network_shapes_test(target):
    """Graded test of ``network_shapes(layer_dims, m)`` -> dict of shape tuples."""
    name = "network_shapes"
    for dims, m in _NETWORKS:
        got = call(target, name, list(dims), m)
        L = len(dims) - 1
        keys = [f"{p}{l}" for l in range(1, L + 1) for p in "WbZA"]
        expect_keys(name, "the returned dict", got, keys,
                    hint=_keys_hint(got, L) if isinstance(got, dict) else None)
        for l, expected in _layers(dims, m):
            context = f"layer_dims={dims}, m={m}, layer l={l}"
            checks = (
                ("W", _wrong_W(dims, l, m)),
                ("b", _wrong_b(dims, l, m)),
                ("Z", _wrong_Z(dims, l, m, "Z")),
                ("A", _wrong_Z(dims, l, m, "A")),
            )
            for key, wrong in checks:
                _expect_shape(name, f"shapes['{key}{l}']", got[f"{key}{l}"], expected[key],
                              wrong, context)


def _wrong_counts(dims):
    """Known wrong parameter counts, each with its hint."""
    L = len(dims) - 1
    weights = sum(dims[l] * dims[l - 1] for l in range(1, L + 1))
    biases = sum(dims[1:])
    return [
        (weights, named("weights-only", "you counted only the weights: each layer also has n[l] biases, "
         "so add n[l] for every layer l = 1..L.")),
        (weights + biases + dims[0], named("input-layer-counted", "the input layer 0 has no biases (and no weights): "
         "count n[l] * n[l-1] + n[l] for l = 1..L only.")),
        (weights + sum(dims[:-1]), named("biases-of-previous-layer", "layer l has n[l] biases (one per unit of layer l), "
         "not n[l-1].")),
        (weights + biases + dims[0] * dims[-1] + dims[0], named("loop-from-0", "your loop starts at l = 0: "
         "layer_dims[l - 1] is then layer_dims[-1], which wraps around to the last layer. "
         "Loop over l = 1..L: `for l in range(1, len(layer_dims))`.")),
        (sum(dims[l] * dims[l - 1] + dims[l] for l in range(1, L)), named("last-layer-missing", "the last layer is "
         "missing: range(1, L) stops at L - 1; loop over range(1, L + 1), i.e. "
         "range(1, len(layer_dims)).")),
        (sum(dims), named("units-not-parameters", "that is the number of units, not of parameters: layer l has "
         "n[l] * n[l-1] weights and n[l] biases.")),
    ]


@graded_test("count_parameters")
def count_parameters_test(target):
    """Graded test of ``count_parameters(layer_dims)`` -> int."""
    name = "count_parameters"
    for dims, _ in _NETWORKS:
        got = call(target, name, list(dims))
        per_layer, expected = _reference_count(dims)
        details = [f"expected: {expected}", f"got:      {got!r:.80}"]
        wrong_for = f"the count is wrong for layer_dims={dims}."
        if isinstance(got, (tuple, list)):
            fail(name, f"it returned a {type(got).__name__}, expected one int, the total.",
                 details=details,
                 hint="return only the total, the sum over the layers (dnn_utils' "
                 "reference also returns the count of each layer; the exercise does not).",
                 mistake="returned-a-sequence")
        if isinstance(got, bool) or not isinstance(got, numbers.Integral):
            tip = ("return an int: a count is a whole number; use `//` or int(...) rather "
                   "than `/`, which gives a float." if isinstance(got, (float, np.floating))
                   else None)
            fail(name, f"it returned {type(got).__name__} {got!r:.60}, expected an int.",
                 details=details, hint=tip, mistake="not-an-int")
        if got == expected:
            continue
        for value, hint in _wrong_counts(dims):
            if got == value:
                fail(name, wrong_for, details=details, hint=hint)
        fail(name, wrong_for,
             details=details + [f"per layer (l = 1..L): {per_layer}"],
             hint="layer l has n[l] * n[l-1] weights and n[l] biases; add them up for "
             "l = 1..L, where n[l] = layer_dims[l].")


def _dims_parameters(dims, order):
    """Zero-filled parameters of a network with these layer sizes (plain dict of arrays).

    ``order``: "layers" (W1, b1, W2, ...), "saved" (a saved file's W1, W2, ..., b1, ...)
    or "shuffled" (W keys out of layer order: only reading them by name works).
    """
    L = len(dims) - 1
    keys = [f"{p}{l}" for l in range(1, L + 1) for p in "Wb"]
    if order == "saved":
        keys = sorted(keys)
    elif order == "shuffled":
        keys = [f"{p}{l}" for l in range(L, 0, -1) for p in "bW"]  # b3, W3, ..., W1
        keys.insert(len(keys) // 2, keys.pop())
    shapes = {f"W{l}": (dims[l], dims[l - 1]) for l in range(1, L + 1)}
    shapes.update({f"b{l}": (dims[l], 1) for l in range(1, L + 1)})
    return {key: np.zeros(shapes[key]) for key in keys}


def _dims_in_key_order(parameters):
    """What code taking the W arrays in the dict's key order returns."""
    weights = [v for k, v in parameters.items() if k.startswith("W")]
    return [weights[0].shape[1]] + [W.shape[0] for W in weights]


def _wrong_dims(dims):
    """Known wrong answers of ``layer_dims_from_parameters``, each with its hint."""
    L = len(dims) - 1
    rows = list(dims[1:])
    columns = list(dims[:-1])
    return [
        (rows, named("n0-missing", "n[0], the input size, is missing: layer 0 has no W of its own, so read "
         "it from the columns of W1, parameters['W1'].shape[1]; then n[l] is the number "
         "of rows of W[l] for l = 1..L.")),
        (columns, named("nL-missing", f"n[L], the size of the output layer, is missing. Either the loop "
         f"stops one layer early (range(1, L) ends at L - 1; with L = len(parameters) // 2 "
         f"loop over range(1, L + 1)), or you read the columns of every W[l], which give "
         f"n[l-1] and so stop at n[L-1]: add the rows of W[L], "
         f"parameters['W{L}'].shape[0].")),
        ([dims[1]] + rows, named("n0-from-rows", "n[0] is wrong: you took the rows of W1, which are n[1]. W1 is "
         "(n[1], n[0]), rows for layer 1 and columns for the input: n[0] is "
         "parameters['W1'].shape[1].")),
        ([dims[1], dims[0]] + rows[1:], named("first-two-swapped", "the first two sizes are swapped: W1 is "
         "(n[1], n[0]), rows for layer 1 and columns for the input, so n[0] is "
         "parameters['W1'].shape[1].")),
        ([dims[0]] + [dims[0]] * L if L > 1 else None, named("all-n0", "every size is n[0]: read layer "
         "l's size from W[l] inside the loop, parameters['W' + str(l)].shape[0].")),
        (list(dims) + [1] if len(dims) > 2 else None, named("L-is-len-parameters", "L is the number of layers, "
         "len(parameters) // 2 (one W and one b per layer), not len(parameters).")),
    ]


@graded_test("layer_dims_from_parameters")
def layer_dims_from_parameters_test(target):
    """Graded test of ``layer_dims_from_parameters(parameters)`` -> [n[0], ..., n[L]]."""
    name = "layer_dims_from_parameters"
    cases = [(dims, "layers") for dims, _ in _NETWORKS]
    # Logistic regression, and keys in a saved file's order or shuffled ("any order").
    cases += [([5, 1], "layers"), ([6, 5, 4, 3, 2], "saved"), ([7, 6, 5, 4, 3], "shuffled")]
    for dims, key_order in cases:
        parameters = _dims_parameters(dims, key_order)
        got = call(target, name, parameters)
        order = ", ".join(parameters)
        context = (f"parameters with keys {order} and shapes "
                   + ", ".join(f"{k} {v.shape}" for k, v in parameters.items()))
        details = [f"expected: {list(dims)}", f"got:      {got!r:.120}"]
        if isinstance(got, (tuple, np.ndarray)):
            got_list = np.asarray(got).ravel().tolist()
            if got_list == list(dims):
                fail(name, f"it returned a {type(got).__name__}, expected a list.",
                     details=details, hint="layer_dims is a Python list: build it with "
                     "[...] and .append(...), or return list(...).", mistake="not-a-list")
            got = got_list
        if not isinstance(got, list):
            fail(name, f"it returned {type(got).__name__} {got!r:.60}, expected the list "
                 "layer_dims = [n[0], n[1], ..., n[L]].", details=details)
        for size in got:
            if isinstance(size, bool) or not isinstance(size, numbers.Integral):
                fail(name, f"the list holds {size!r} ({type(size).__name__}), but layer "
                     "sizes are whole numbers (int).", details=details,
                     hint="take each size from an array's .shape, which holds ints.",
                     mistake="sizes-not-ints")
        if got == list(dims):
            continue
        wrong_for = f"layer_dims is wrong for {context}."
        for value, hint in _wrong_dims(dims):
            if value is not None and got == value:
                fail(name, wrong_for, details=details, hint=hint)
        if key_order == "shuffled" and got == _dims_in_key_order(parameters):
            fail(name, wrong_for, details=details, hint=f"here the keys come shuffled "
                 f"({order}) and your sizes follow that order. Read W[l] by its name, "
                 "parameters['W' + str(l)], for l = 1..L, n[0] from parameters['W1'].shape[1].",
                 mistake="key-order")
        if key_order != "layers":
            fail(name, wrong_for, details=details,
                 hint="here the keys come in the order a saved file lists them (W1, W2, ..., "
                 "b1, b2, ...): read W[l] by its name, parameters['W' + str(l)], for "
                 "l = 1..L, instead of relying on the dict's order.", mistake="key-order")
        fail(name, wrong_for, details=details,
             hint="n[0] is the number of columns of W1; for l = 1..L, n[l] is the number "
             "of rows of W[l]; L is len(parameters) // 2. Print the shapes and compare.")
