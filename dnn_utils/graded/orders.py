"""Right values in the wrong order: results returned, or arguments taken, in another order.

:func:`results_order` compares what the learner's function returned with the reference's
values, by value first and then by kind and shape (a dict, a list, an array of this
shape); :func:`argument_order` reads the learner's ``def`` line. A graded test turns
either into the mistakes ``results-order`` and ``arguments-order``.
"""

import inspect
import itertools

import numpy as np

from .tolerance import close

# Names learners give the same argument, reduced to lowercase letters and digits.
_SAME_ARGUMENT = {
    "aprev": "a", "x": "a", "yhat": "al", "ahat": "al", "params": "parameters",
    "lr": "learningrate", "alpha": "learningrate", "layersdims": "layerdims",
    "numiter": "numiterations", "iterations": "numiterations",
}

_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def same_value(got, want):
    """True when ``got`` holds the reference value ``want`` (arrays within tolerance).

    ``got`` is the learner's and may be anything: what cannot be compared is not the same.
    """
    if isinstance(want, np.ndarray):
        if not (isinstance(got, np.ndarray) and got.shape == want.shape
                and got.dtype.kind in "biuf"):
            return False
        return close(got, want)
    if isinstance(want, dict):
        return (isinstance(got, dict) and set(got) == set(want)
                and all(same_value(got[k], want[k]) for k in want))
    if isinstance(want, (list, tuple)):
        return (isinstance(got, (list, tuple)) and len(got) == len(want)
                and all(same_value(g, w) for g, w in zip(got, want)))
    try:
        return not isinstance(got, (bool, np.bool_)) and close(float(got), float(want))
    except (TypeError, ValueError):
        return False


def _kind(x):
    """What kind of value ``x`` is, to tell results apart when their values are wrong."""
    if isinstance(x, np.ndarray):
        return ("array", x.shape)
    if isinstance(x, dict):
        return ("dict",)
    if isinstance(x, (list, tuple)):
        return ("sequence",)
    if isinstance(x, (int, float, np.number)) and not isinstance(x, (bool, np.bool_)):
        return ("number",)
    return ("other", type(x).__name__)


def results_order(got, expected):
    """The order in which ``got`` holds the reference's results ``expected``, or None.

    Parameters
    ----------
    got, expected : sequence
        What the learner's function returned and what the reference returns, of the
        same length.

    Returns
    -------
    tuple of int or None
        ``order[i]`` is the position in ``expected`` of the value at ``got[i]``, when
        that is not the expected order: every value matches the reference's in another
        order, or, their values being wrong, their kinds (dict, list, array shape) fit
        only another order. None when the order is right or cannot be told.
    """
    n = len(expected)
    if len(got) != n or n < 2:
        return None
    for fits in (same_value, lambda g, w: _kind(g) == _kind(w)):
        if all(fits(g, w) for g, w in zip(got, expected)):
            return None
        orders = [order for order in itertools.permutations(range(n))
                  if all(fits(got[i], expected[j]) for i, j in enumerate(order))]
        if len(orders) == 1:
            return orders[0]
        if orders:
            return None
    return None


def _canonical(name):
    letters = "".join(c for c in name.lower() if c.isalnum())
    return _SAME_ARGUMENT.get(letters, letters)


def argument_order(target, expected):
    """The learner's argument names when they are ``expected`` in another order, or None.

    Parameters
    ----------
    target : callable
        The learner's function (the grader's proxy carries the learner's signature).
    expected : sequence of str
        The template's positional arguments, in order, e.g. ``("dZ", "cache")``.

    Returns
    -------
    list of str or None
        The names of the learner's first ``len(expected)`` positional arguments, as
        written, when they are the expected ones (or their usual variants: ``params``,
        ``A_prev`` for ``A``, ``lr``...) in another order; None otherwise.
    """
    try:
        parameters = inspect.signature(target).parameters.values()
    except (TypeError, ValueError):
        return None
    names = [p.name for p in parameters if p.kind in _POSITIONAL][:len(expected)]
    if len(names) != len(expected):
        return None
    mine = [_canonical(n) for n in names]
    theirs = [_canonical(n) for n in expected]
    if mine != theirs and sorted(mine) == sorted(theirs) and len(set(mine)) == len(mine):
        return names
    return None
