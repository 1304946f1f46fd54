"""Comparing what the learner's function returned with the reference, with hints."""

import numpy as np

from .failure import describe, fail, named, sorted_keys, type_name
from .hints import keys_hint, shape_hint, value_hint
from .orders import results_order
from .tolerance import close, match_wrong, same_array

# Arrays up to this many entries are printed in full in a failure message.
PRINT_IN_FULL = 30


def expect_tuple(name, got, parts, expected=None):
    """Check that ``got`` is a tuple (or list) of ``len(parts)`` values; return it.

    Parameters
    ----------
    parts : sequence of str
        The names of the values, e.g. ``("Z", "cache")``, used in the message.
    expected : sequence, optional
        The reference's values: when ``got`` holds them in another order (by value, or
        by kind and shape when the values are wrong too), the failure says so
        (mistake ``results-order``).
    """
    what = ", ".join(parts)
    if not isinstance(got, (tuple, list)):
        fail(name, f"it returned {type_name(got)}, expected the tuple ({what}).",
             hint=f"end the function with `return {what}`.", mistake="not-a-tuple")
    if len(got) != len(parts):
        fail(name, f"it returned a tuple of {len(got)} values, expected {len(parts)}: ({what}).",
             hint=f"end the function with `return {what}`.", mistake="tuple-length")
    order = results_order(got, expected) if expected is not None else None
    if order is not None:
        mine = ", ".join(parts[j] for j in order)
        fail(name, f"it returned ({mine}), expected ({what}): the results in another order.",
             hint=f"end the function with return {what}, in this order: the code that "
             f"calls {name} unpacks its results as {what} = {name}(...).",
             mistake="results-order")
    return tuple(got)


def expect_array(name, var, got, expected, *, wrong=(), m=None, hint=None, shape_tip=None):
    """Check type, shape and values of the array ``got`` against ``expected``.

    Parameters
    ----------
    name : str
        The learner's function, for the message.
    var : str
        The name of the value checked, e.g. ``"dW"`` or ``"parameters['W1']"``.
    got : object
        What the learner's function produced.
    expected : numpy.ndarray, shape (rows, columns)
        The reference value.
    wrong : sequence of (numpy.ndarray, str) or (numpy.ndarray, str, str)
        Known wrong results computed from the same inputs, each with the hint
        to give when ``got`` matches it (a None result is skipped); a middle entry
        ``(value, "db-axis", hint)``, or a :func:`~.failure.named` hint, gives the
        mistake its stable id.
    m : int, optional
        Number of examples; enables the "missing 1/m" and "extra 1/m" hints.
    hint : str, optional
        Hint to give for wrong values when no known mistake matches.
    shape_tip : str, optional
        Hint to give for a wrong shape when no known mistake matches, instead of the
        generic one (:func:`~.hints.shape_hint`).
    """
    wrong = _labelled(wrong)
    if not isinstance(got, np.ndarray):
        tip = None
        if isinstance(got, tuple):
            tip = (
                "sigmoid(Z), relu(Z) and linear_forward(...) return a pair (value, cache): "
                "unpack it, e.g. `A, activation_cache = relu(Z)`."
            )
        elif np.isscalar(got):
            tip = "a single number came back where an array was expected: " \
                  "sum with axis=1, keepdims=True (not over all entries)."
        fail(name, f"{var} is {type_name(got)}, expected a NumPy array of shape "
             f"{expected.shape}.", hint=tip, mistake="not-an-array")
    if got.dtype.kind not in "biuf":
        fail(name, f"{var} has dtype {got.dtype}, expected numbers (float).",
             mistake="not-numbers")
    if got.shape != expected.shape:
        fail(name, f"{var} has shape {got.shape}, expected {expected.shape}.",
             hint=match_wrong(got, wrong) or shape_tip
             or shape_hint(var, got.shape, expected.shape))
    if not close(got, expected):
        fail(name, f"{var} has the wrong values.", details=expected_vs_got(got, expected),
             hint=match_wrong(got, wrong) or value_hint(var, got, expected, m) or hint)


def expect_scalar(name, var, got, expected, *, wrong=(), m=None, hint=None):
    """Check that ``got`` is a single real number close to ``expected``.

    Python numbers, NumPy scalars and 0-d arrays are accepted; a (1, 1) array
    is not (the learner should ``np.squeeze`` it).
    """
    if isinstance(got, np.ndarray) and got.shape != ():
        tip = ("np.squeeze(cost) turns the (1, 1) array into a number." if got.size == 1
               else "sum over the examples to get one number.")
        fail(name, f"{var} is an array of shape {got.shape}, expected a single number.",
             hint=tip, mistake="array-not-a-number")
    if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, float, np.number,
                                                               np.ndarray)):
        fail(name, f"{var} is {type_name(got)}, expected a number.", mistake="not-a-number")
    value = float(got)
    wrong = _labelled(wrong)
    if not close(value, expected):
        fail(name, f"{var} has the wrong value.",
             details=[f"expected: {expected!r}", f"got:      {value!r}"],
             hint=match_wrong(value, wrong) or value_hint(var, value, expected, m) or hint)


def _labelled(wrong):
    """``wrong`` as (value, hint) pairs, a ``(value, id, hint)`` entry's id put in its hint."""
    return [(entry[0], named(entry[1], entry[2])) if len(entry) == 3 else tuple(entry)
            for entry in wrong]


def expect_keys(name, var, got, expected_keys, hint=None):
    """Check that ``got`` is a dict with exactly ``expected_keys``.

    When the learner's keys are the expected ones with their layer numbers off
    by one (``dA1..dAL`` for ``dA0..dA{L-1}``), the hint says so.
    """
    if not isinstance(got, dict):
        fail(name, f"{var} is {type_name(got)}, expected a dict with keys "
             f"{sorted_keys(expected_keys)}.", mistake="not-a-dict")
    expected = set(expected_keys)
    if set(got) == expected:
        return
    missing = sorted_keys(expected - set(got))
    extra = sorted_keys(set(got) - expected)
    details = [f"expected keys: {sorted_keys(expected)}", f"got keys:      {sorted_keys(got)}"]
    what = ([f"missing {missing}"] if missing else []) + ([f"unexpected {extra}"] if extra else [])
    fail(name, f"{var} has the wrong keys ({', '.join(what)}).", details=details,
         hint=keys_hint(set(got), expected) or hint, mistake="wrong-keys")


def expect_linear_cache(name, var, got, expected, labels=("A_prev", "W", "b")):
    """Check that ``got`` is the linear cache ``(A_prev, W, b)``, in that order."""
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        fail(name, f"{var} is {type_name(got)}, expected the tuple ({', '.join(labels)}).",
             hint=f"the linear cache is `cache = ({', '.join(labels)})`.")
    for i, (item, want, label) in enumerate(zip(got, expected, labels)):
        if same_array(item, want):
            continue
        order = [next((lab for w, lab in zip(expected, labels) if same_array(x, w)), None)
                 for x in got]
        if None not in order:
            fail(name, f"{var} holds ({', '.join(order)}), expected ({', '.join(labels)}).",
                 hint="keep the order of the lecture: the backward step unpacks it as "
                 f"`{', '.join(labels)} = cache`.", mistake="cache-order")
        fail(name, f"{var}[{i}] should be {label} (the input, unchanged), but it is "
             f"{describe(item)}.", hint=f"the linear cache is `({', '.join(labels)})`, "
             "the inputs exactly as they were given.")


def expect_activation_cache(name, var, got, linear, Z, labels=("A_prev", "W", "b")):
    """Check that ``got`` is ``((A_prev, W, b), Z)`` as linear_activation_forward returns."""
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        fail(name, f"{var} is {type_name(got)}, expected the tuple "
             "(linear_cache, activation_cache).",
             hint="cache = (linear_cache, activation_cache), where linear_cache comes from "
             "linear_forward and activation_cache from sigmoid or relu.")
    if isinstance(got[0], np.ndarray) and isinstance(got[1], (tuple, list)):
        fail(name, f"{var} holds (activation_cache, linear_cache), expected "
             "(linear_cache, activation_cache).",
             hint="put linear_cache first: cache = (linear_cache, activation_cache); the "
             "backward step unpacks it as `linear_cache, activation_cache = cache`.",
             mistake="cache-order")
    expect_linear_cache(name, f"{var}[0] (linear_cache)", got[0], linear, labels)
    expect_array(name, f"{var}[1] (activation_cache)", got[1], Z,
                 hint="the activation cache is Z = W @ A_prev + b, as returned by "
                 "sigmoid(Z) or relu(Z) next to A.")


def expected_vs_got(got, expected):
    """Detail lines of a failure: both arrays in full when small, else their first entries
    and where they differ most."""
    if expected.size <= PRINT_IN_FULL:
        return [
            "expected:\n" + indent(np.array2string(expected, precision=8)),
            "got:\n" + indent(np.array2string(got, precision=8)),
        ]
    diff = np.abs(got - expected)
    where = np.unravel_index(np.nanargmax(np.where(np.isnan(diff), np.inf, diff)), diff.shape)
    head = slice(0, 4)
    return [
        f"first entries expected: {np.array2string(expected.ravel()[head], precision=8)}",
        f"first entries got:      {np.array2string(got.ravel()[head], precision=8)}",
        (f"largest difference |got - expected| = {diff[where]:.3g} at index "
        f"{tuple(int(i) for i in where)}"),
    ]


def indent(text):
    return "\n".join("  " + line for line in text.splitlines())
