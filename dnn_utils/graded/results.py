"""``see_result``: run an exercise on a small example and print what it returns.

The "see your result" cells of the workbook call the learner's function through
:func:`see_result` instead of directly. With a finished exercise the cell prints
each returned value under its name, so the learner can compare with the expected
output written above the cell. Before the exercise is done, the stub's
``NotImplementedError`` (or a forgotten ``return``) becomes one friendly line
instead of a traceback, and since the cell assigns no variable, no later cell can
fail with a ``NameError`` because of it. Any other error of the learner's function
is explained as its graded cell explains it (the error in one line, the learner's
line that raised it, the likely mistake), again without a traceback.
Every printed line of feedback is wrapped at word boundaries to 80 columns.

Costs and other floats are printed with 8 decimals and arrays with NumPy's
8-digit precision, so the printed numbers do not depend on the CPU or BLAS.
"""

import numbers

import numpy as np

from .failure import explain_exception, wrap_feedback

__all__ = ["see_result"]

_PRECISION = 8


def _function_name(function):
    return getattr(function, "__name__", type(function).__name__)


def _natural_key(key):
    """``"dW12"`` -> ``("dW", 12, "")``, so that layer 2 sorts before layer 10."""
    text = str(key)
    head = text.rstrip("0123456789")
    digits = text[len(head):]
    return (head, int(digits) if digits else -1, text)


def _format(name, value):
    """The printed form of one returned value, under its name."""
    if isinstance(value, np.ndarray):
        body = np.array2string(value, precision=_PRECISION, separator=" ")
        return f"{name} = {body}" if value.ndim < 2 or value.shape[0] == 1 \
            else f"{name} =\n{body}"
    if isinstance(value, dict):
        # Sorted by name, then layer number (dA0, dA1, dW1, ...), whatever order the
        # function filled the dict in, so the printout always reads the same.
        return "\n".join(_format(f"{name}[{key!r}]", value[key])
                         for key in sorted(value, key=_natural_key))
    if isinstance(value, (list, tuple)) and not all(
            isinstance(item, numbers.Number) for item in value):
        return f"{name}: a {type(value).__name__} of {len(value)} items"
    if isinstance(value, (float, np.floating)):
        return f"{name} = {float(value):.{_PRECISION}f}"
    return f"{name} = {value!r}"


def _say(feedback):
    """Print feedback wrapped at word boundaries; return None (what see_result returns)."""
    print("\n".join(wrap_feedback(feedback)))


def _parse_names(names, where):
    if not isinstance(names, str) or not names.strip():
        raise TypeError(
            f"{where}: names is {names!r}, expected a string naming the returned values, "
            "e.g. names=\"Z, _\" (a name written _ is not printed)."
        )
    return [name.strip() for name in names.split(",")]


def see_result(function, *args, names):
    """Call ``function(*args)`` and print its result, or one line saying why not.

    Parameters
    ----------
    function : callable
        The learner's function, e.g. ``linear_forward``.
    *args
        Its arguments, plain data (arrays, dicts, lists, numbers). They are passed
        as given.
    names : str
        The names of the returned values, separated by commas, in order: ``"Z, _"``
        for a function returning ``(Z, cache)``, ``"cost"`` for one value. A value
        named ``_`` is not printed. A dict is printed entry by entry, sorted by name
        and layer number.

    Returns
    -------
    None
        Nothing: the result is printed, never stored, so no later cell depends on it.

    Notes
    -----
    Prints exactly one line, and nothing else, when the function raises
    ``NotImplementedError`` (the exercise is not done yet), returns None (a
    forgotten ``return``), or returns a different number of values than ``names``
    lists. Any other exception is a real bug in the function: it is printed as the
    graded cell shows it (the error, the learner's line, the likely mistake), not
    raised, so Run All goes on.
    """
    where = "see_result"
    labels = _parse_names(names, where)
    if not callable(function):
        raise TypeError(
            f"{where}: the first argument is {type(function).__name__}, expected the "
            "function itself. Fix: write see_result(linear_forward, ...), without "
            "parentheses after the function's name."
        )
    name = _function_name(function)
    try:
        result = function(*args)
    except NotImplementedError:
        return _say(f"{name} is not written yet: do its exercise first.")
    except Exception as exc:  # the learner's bug, explained as the graded cell would
        return _say(explain_exception(name, exc))
    if result is None:
        return _say(f"{name} returned None: did you forget `return`?")
    values = list(result) if len(labels) > 1 and isinstance(result, tuple) else [result]
    if len(values) != len(labels):
        return _say(f"{name} returned {len(values)} value{'s' if len(values) != 1 else ''}, "
                    f"expected {len(labels)} ({', '.join(labels)}): check what it returns.")
    with np.printoptions(precision=_PRECISION, suppress=False):
        for label, value in zip(labels, values, strict=True):
            if label != "_":
                print(_format(label, value))
    return None
