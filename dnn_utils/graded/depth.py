"""Graded tests of notebook 5 (why deep representations): the tent map and its pieces.

``tent_composition(x, k)`` composes the tent t(x) = 2 relu(x) - 4 relu(x - 0.5) with
itself k times, which is what a network of k hidden layers of two ReLU units computes;
``count_linear_pieces(x, y)`` counts the linear pieces of a piecewise linear function
sampled at points that include all its kinks. Both tests pass plain lists and numbers
to the learner's function and accept a list or a 1-D array back. A wrong answer is
compared with the usual mistakes (one composition too many or too few, the tent
applied to x every time, kinks counted instead of pieces, slopes compared with ``==``)
so the hint can name the mistake.
"""

import numbers

import numpy as np

from .feedback import call, fail, graded_test

__all__ = ["tent_composition_test", "count_linear_pieces_test"]

# Relative tolerance for two slopes to count as equal (see count_linear_pieces).
SLOPE_RTOL = 1e-9


def tent(x):
    """The tent map on an array: 2 relu(x) - 4 relu(x - 0.5); up on [0, 0.5], down on [0.5, 1].

    Parameters
    ----------
    x : numpy.ndarray, any shape

    Returns
    -------
    numpy.ndarray, the shape of x
    """
    return 2 * np.maximum(0, x) - 4 * np.maximum(0, x - 0.5)


def reference_tent_composition(x, k):
    """t(t(...t(x))) with k tents (x itself for k = 0).

    Parameters
    ----------
    x : sequence of float, length n
    k : int, k >= 0

    Returns
    -------
    numpy.ndarray, shape (n,)
    """
    a = np.asarray(x, dtype=float)
    for _ in range(k):
        a = tent(a)
    return a


def reference_count_linear_pieces(x, y, rtol=SLOPE_RTOL):
    """Number of linear pieces of the polyline through the points (x[i], y[i]).

    A new piece starts wherever the slope changes by more than ``rtol`` times the
    larger of the two slopes (and 1), so rounding errors do not count as kinks.

    Parameters
    ----------
    x : sequence of float, length n >= 2, strictly increasing
    y : sequence of float, length n

    Returns
    -------
    int
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    slopes = np.diff(y) / np.diff(x)
    scale = np.maximum(1.0, np.maximum(np.abs(slopes[1:]), np.abs(slopes[:-1])))
    return 1 + int(np.sum(np.abs(np.diff(slopes)) > rtol * scale))


def _as_vector(name, got, n):
    """The learner's sequence of n numbers as a float array, or a clear failure."""
    if isinstance(got, (list, tuple)):
        try:
            got = np.array(got, dtype=float)
        except (TypeError, ValueError):
            fail(name, "it returned a list that does not hold only numbers.",
                 hint="return one number per entry of x, e.g. a NumPy array a built with "
                 "a = np.asarray(x, dtype=float) and updated in the loop.")
    if not isinstance(got, np.ndarray) or got.dtype.kind not in "biuf":
        fail(name, f"it returned {type(got).__name__}, expected {n} numbers (a list or a "
             "1-D NumPy array), one per entry of x.",
             hint="return the array of values, not a function or a single number.")
    if got.shape != (n,):
        tip = ("a (1, n) or (n, 1) array: keep x's shape, e.g. start from "
               "a = np.asarray(x, dtype=float), which is 1-D." if got.size == n else
               "one value per entry of x is expected: apply the tent to every entry at once "
               "(NumPy works element-wise).")
        fail(name, f"it returned shape {got.shape}, expected ({n},).", hint=tip)
    return got


@graded_test("tent_composition")
def tent_composition_test(target):
    x = np.linspace(0, 1, 33).tolist()
    # k = 3 first: there every usual mistake gives a different wrong result.
    for k in (3, 2, 1, 0, 5):
        got = _as_vector("tent_composition", call(target, "tent_composition", list(x), k),
                         len(x))
        expected = reference_tent_composition(x, k)
        if np.allclose(got, expected, rtol=1e-9, atol=1e-12):
            continue
        wrong = [
            (got if k == 0 else None, "with k = 0 nothing is composed: the result is x itself "
             "(the identity). Start from a = x and apply the tent k times, so that zero times "
             "leaves a = x."),
            (np.asarray(x), "the values are x unchanged: the tent was never applied. Loop k "
             "times and update the running value: a = 2 * relu(a) - 4 * relu(a - 0.5)."),
            (reference_tent_composition(x, k - 1) if k >= 1 else None,
             "one tent too few: with k = 3 you must apply t three times "
             "(for _ in range(k)), starting from a = x."),
            (reference_tent_composition(x, k + 1),
             "one tent too many: start from a = x (not from t(x)) and apply t exactly k times."),
            (reference_tent_composition(x, 1) if k != 1 else None,
             "every tent was applied to x instead of to the previous result: inside the loop "
             "use the running value, a = tent(a), not tent(x). Composition means the "
             "output of one layer is the input of the next."),
            (2 * np.maximum(0, reference_tent_composition(x, k - 1))
             - 2 * np.maximum(0, reference_tent_composition(x, k - 1) - 0.5) if k >= 1 else None,
             "the second unit's weight is wrong: the slope must go from +2 to -2 at 0.5, a "
             "change of -4, so t(x) = 2 relu(x) - 4 relu(x - 0.5)."),
        ]
        hint = next((h for w, h in wrong if w is not None and np.allclose(got, w, atol=1e-12)),
                    "t(x) = 2 relu(x) - 4 relu(x - 0.5) rises from 0 to 1 on [0, 0.5] and falls "
                    "back to 0 on [0.5, 1]; apply it k times to the running value.")
        worst = int(np.argmax(np.abs(got - expected)))
        fail("tent_composition", f"the values are wrong for k = {k} (x = 33 points from 0 "
             "to 1).",
             details=[f"at x = {x[worst]}: expected {float(expected[worst])!r}, "
                      f"got {float(got[worst])!r}",
                      f"expected (first 5): {np.round(expected[:5], 6).tolist()}",
                      f"got (first 5):      {np.round(got[:5], 6).tolist()}"],
             hint=hint)


def _count_cases():
    """(description, x, y) cases whose kinks all lie on sample points."""
    x17 = np.linspace(0, 1, 17)
    x33 = np.linspace(0, 1, 33)
    x11 = np.linspace(0, 1, 11)
    return [
        ("a straight line y = 3x - 1", x17, 3 * x17 - 1),
        ("a V, y = |x - 0.5|", x17, np.abs(x17 - 0.5)),
        ("three tents composed (the sawtooth)", x33, reference_tent_composition(x33, 3)),
        ("y = relu(x - 0.25) + relu(x - 0.5), slopes 0, 1, 2", x17,
         np.maximum(0, x17 - 0.25) + np.maximum(0, x17 - 0.5)),
        ("y = 0.1 x + 0.7 on 11 points (the slopes differ by rounding only)", x11,
         0.1 * x11 + 0.7),
        ("a line sampled at uneven points, y = -2x", np.array([0.0, 0.1, 0.15, 0.6, 1.0]),
         -2 * np.array([0.0, 0.1, 0.15, 0.6, 1.0])),
    ]


def _wrong_counts(x, y):
    """Known wrong counts for (x, y), each with its hint."""
    slopes = np.diff(y) / np.diff(x)
    exact_changes = int(np.sum(slopes[1:] != slopes[:-1]))
    true = reference_count_linear_pieces(x, y)
    extrema = int(np.sum(np.sign(slopes[1:]) * np.sign(slopes[:-1]) < 0))
    crossings = int(np.sum(np.sign(y[1:]) != np.sign(y[:-1])))
    return [
        (true - 1, "you counted the kinks, not the pieces: k kinks cut the line into k + 1 "
         "pieces."),
        (1 + exact_changes, "you compared slopes with == or !=. Slopes computed from rounded "
         "numbers differ in their last digits even on a straight line: treat two slopes as "
         "equal when they are close, e.g. np.isclose(s1, s2, rtol=1e-9, atol=1e-9)."),
        (exact_changes, "you compared slopes with == (use a tolerance, np.isclose) and "
         "counted kinks instead of pieces (pieces = kinks + 1)."),
        (1 + extrema, "you counted where the function turns (up to down), but a kink where "
         "the slope changes and keeps its sign is a kink too: compare consecutive slopes."),
        (len(slopes), "that is the number of segments between sample points; neighboring "
         "segments with the same slope belong to the same linear piece."),
        (crossings, "you counted sign changes of y; the pieces are where the *slope* "
         "changes: compare consecutive slopes (y[i+1] - y[i]) / (x[i+1] - x[i])."),
    ]


@graded_test("count_linear_pieces")
def count_linear_pieces_test(target):
    for description, x, y in _count_cases():
        got = call(target, "count_linear_pieces", x.tolist(), y.tolist())
        if isinstance(got, np.ndarray) and got.shape == ():
            got = got.item()
        if isinstance(got, bool) or not isinstance(got, numbers.Integral):
            fail("count_linear_pieces", f"it returned {got!r} ({type(got).__name__}) for "
                 f"{description}, expected a whole number (int).",
                 hint="return an int, e.g. return 1 + int(np.sum(changes)).")
        expected = reference_count_linear_pieces(x, y)
        if got == expected:
            continue
        hint = next((h for w, h in _wrong_counts(x, y) if w == got and w != expected),
                    "compute the slope of every segment, (y[i+1] - y[i]) / (x[i+1] - x[i]), "
                    "and start a new piece wherever a slope differs (beyond rounding) from "
                    "the one before.")
        fail("count_linear_pieces", f"wrong number of pieces for {description}.",
             details=[f"x = {np.round(x, 4).tolist()}", f"expected: {expected}",
                      f"got:      {got}"], hint=hint)
