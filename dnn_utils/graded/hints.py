"""The likely mistake behind a wrong result, in one sentence with its fix.

The likely cause of an error the learner's code raised is :func:`.failure.likely_cause`.
"""


import numpy as np

from .failure import named, split_key
from .tolerance import close


def mutation_hint(where, in_dict):
    """How to avoid changing the caller's input ``where``."""
    if in_dict:
        root = where.split("[")[0]
        return (
            "the caller's dict and its arrays must stay as they were. `x -= ...` and "
            "`d[key] = ...` write into the caller's objects: work on a copy "
            f"(`new = copy.deepcopy({root})`) and make new arrays, e.g. "
            "new['W1'] = new['W1'] - learning_rate * grads['dW1']."
        )
    hint = (
        "do not modify the arrays you are given: `x += ...`, `x -= ...`, `x /= ...` and "
        "`x[...] = ...` write into the caller's array. Write `x = x - ...`, which makes a "
        "new one."
    )
    if where.startswith("dA"):
        hint += (" Note that `dZ = dA` does not copy, so `dZ[Z <= 0] = 0` changes dA too: "
                 "use `dZ = np.array(dA, copy=True)`.")
    return hint


def keys_hint(got, expected):
    """A hint when the layer numbers of ``got``'s keys are off by one, else None."""
    for prefix in sorted({split_key(k)[0] for k in expected}):
        want = {split_key(k)[1] for k in expected if split_key(k)[0] == prefix}
        have = {split_key(k)[1] for k in got if split_key(k)[0] == prefix} - {None}
        for shift in (1, -1):
            if want and have != want and have == {n + shift for n in want}:
                if prefix == "dA":
                    return named("keys-off-by-one", (
                        "your dA keys are off by one. Layer l's backward step returns "
                        "dA_prev, the gradient of layer l - 1: store it as "
                        "grads['dA' + str(l - 1)], so the keys run from dA0 to dA{L-1} (in "
                        "the course's loop for l in reversed(range(L - 1)), where the "
                        "layer is l + 1, that is grads['dA' + str(l)])."))
                return named("keys-off-by-one", (
                    f"your {prefix} keys are off by one: layers are numbered from 1 "
                    f"({prefix}1, ..., {prefix}L); with `for l in range(L)` use l + 1."))
    return None


def shape_hint(var, got, expected):
    """The usual reason for a wrong shape of ``var``, a :func:`~.failure.named` hint."""
    if len(got) == 2 and got == expected[::-1]:
        return named("shape-transposed", f"the shape of {var} is the transpose of the "
                     "expected one: a missing .T, or the two factors of a matrix product "
                     "in the wrong order.")
    if len(expected) == 2 and expected[1] == 1 and got == (expected[0],):
        return named("column-is-1d", f"{var} is 1-D; it must be a column of shape "
                     f"{expected}. Use np.sum(..., axis=1, keepdims=True), or "
                     "np.zeros((n, 1)) with two pairs of parentheses.")
    if len(expected) == 2 and expected[1] == 1 and len(got) == 2 and got[0] == 1:
        return named("summed-over-wrong-axis", f"{var} was summed over the wrong axis: sum "
                     "over the examples (the columns), np.sum(..., axis=1, keepdims=True).")
    if got == ():
        return named("single-number",
                     f"{var} is a single number: sum with axis=1, keepdims=True.")
    return f"print the shapes of the arrays that make {var}: it must have shape {expected}."


def value_hint(var, got, expected, m):
    """The usual reason for wrong values (NaN, sign, a factor m), or None.

    Each reason is a :func:`~.failure.named` hint, so the class report can count it
    (``<exercise>/missing-1-over-m``, ...).
    """
    got = np.asarray(got, dtype=float)
    if not np.isfinite(got).all():
        return named("not-finite", f"{var} contains NaN or inf: look for a log of 0, a "
                     "division by 0 or an overflow.")
    if close(got, -np.asarray(expected)):
        return named("opposite-sign",
                     f"{var} has the opposite sign: check the minus signs of your formula.")
    if m and m > 1 and close(got, m * np.asarray(expected)):
        return named("missing-1-over-m", f"{var} is m = {m} times too large: divide by the "
                     "number of examples m (multiply by 1/m).")
    if m and m > 1 and close(got, np.asarray(expected) / m):
        return named("extra-1-over-m", f"{var} is divided by m = {m} once too often.")
    return None
