"""How a graded test reports: the failure, its message, and how values are named in it.

A :class:`GradedTestFailure` is shown by IPython (in Jupyter and in the terminal) as its
message alone, through IPython's documented ``_render_traceback_`` hook: no traceback
through the test's machinery, and nothing to install.
"""

import re

import numpy as np


class GradedTestFailure(AssertionError):
    """A graded test found a mistake; the message says which and how to fix it.

    ``mistake`` is the mistake's stable id within its exercise (``"db-axis"``), or None
    when no named mistake matched; the grader prefixes the exercise's name.
    """

    def __init__(self, message="", mistake=None):
        super().__init__(message)
        self.mistake = mistake

    def _render_traceback_(self):
        # IPython asks an exception for this hook and, when it exists, shows these
        # lines instead of a traceback.
        return [f"{type(self).__name__}: {self}"]


class NamedHint(str):
    """A hint that carries the stable id of the mistake it explains (see :func:`named`)."""

    mistake: str


def named(mistake, hint):
    """``hint`` labelled with the mistake id ``mistake`` (words joined by ``-``).

    ``(value, named("db-axis", "db sums dZ over ..."))`` in a ``wrong=`` list gives a
    failure whose id is ``<exercise>/db-axis``.
    """
    if not re.fullmatch(r"[A-Za-z0-9_]+(-[A-Za-z0-9_]+)*", str(mistake)):
        raise ValueError(f"mistake id must be words of letters, digits or _ joined by '-', e.g. "
                         f"'db-axis'; got {mistake!r}.")
    labelled = NamedHint(hint)
    labelled.mistake = mistake
    return labelled


def fail(name, problem, details=(), hint=None, mistake=None):
    """Raise a :class:`GradedTestFailure` for the learner's function ``name``.

    Parameters
    ----------
    name : str
        The learner's function (or value) being graded, e.g. ``"linear_forward"``.
    problem : str
        One sentence: what is wrong.
    details : sequence of str, optional
        Extra lines (expected vs got), indented in the message.
    hint : str, optional
        The likely mistake and its fix (a :func:`named` hint gives its id too).
    mistake : str, optional
        The mistake's id, when the hint does not carry one.
    """
    lines = [f"{name}: {problem}"]
    lines += ["    " + line for d in details for line in d.splitlines()]
    if hint:
        lines.append(f"Hint: {hint}")
    raise GradedTestFailure("\n".join(lines), mistake or getattr(hint, "mistake", None))


def success(name):
    """Print ``<name>_test: all tests passed.``, ``name`` being the exercise's name."""
    print(f"{name}_test: all tests passed.")


def not_implemented(name):
    """Fail with the "not implemented yet" message of the exercise ``name``."""
    raise GradedTestFailure(
        f"{name} is not implemented yet: replace the lines `# YOUR CODE HERE` and "
        "`raise NotImplementedError(...)` with your code, and make sure the function ends "
        "with `return ...` (a function without a return gives None).", "not-implemented"
    ) from None


def returned_none(name):
    """Fail because the function ``name`` returned None (usually a missing ``return``)."""
    fail(name, "returned None: did you forget `return`?",
         hint="end the function with `return ...` and the value(s) the exercise asks for; "
         "a function without a return statement gives None.", mistake="returned-none")


def describe(x):
    """A short description of ``x`` for a message about a cache entry."""
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape} with other values"
    return type_name(x)


def type_name(x):
    """``x`` described for a message: its type, and its shape or length or value."""
    if x is None:
        return "None"
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape}"
    if isinstance(x, (tuple, list)):
        return f"a {type(x).__name__} of {len(x)} values"
    if isinstance(x, dict):
        return f"a dict with keys {sorted_keys(x)}"
    return f"{type(x).__name__} {x!r:.60}"


def split_key(key):
    """``"dW12"`` -> ``("dW", 12)``; a key without a number -> ``(key, None)``."""
    match = re.fullmatch(r"(\D+)(\d+)", str(key))
    return (match[1], int(match[2])) if match else (str(key), None)


def sorted_keys(keys):
    """Keys in layer order: W1, W2, ..., W10 (not W1, W10, W2)."""
    return sorted(keys, key=lambda k: (split_key(k)[0], split_key(k)[1] or 0))
