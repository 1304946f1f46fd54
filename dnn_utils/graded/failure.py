"""How a graded test reports: the failure, its message, and how values are named in it.

A :class:`GradedTestFailure` is shown by IPython (in Jupyter and in the terminal) as its
message alone, wrapped at word boundaries (:func:`wrap_feedback`), through IPython's
documented ``_render_traceback_`` hook: no traceback through the test's machinery, and
nothing to install.
"""

import re
import textwrap

import numpy as np

#: Feedback lines are wrapped to this many columns. JupyterLab styles error output with
#: ``word-break: break-all``, so a line wider than the output area is split mid-word.
FEEDBACK_WIDTH = 80


class GradedTestFailure(AssertionError):
    """A graded test found a mistake; the message says which and how to fix it."""

    def _render_traceback_(self):
        # IPython asks an exception for this hook and, when it exists, shows these
        # lines instead of a traceback.
        return wrap_feedback(str(self))


def wrap_feedback(text, width=FEEDBACK_WIDTH):
    """Split feedback into lines of at most ``width`` columns, breaking only between words.

    Parameters
    ----------
    text : str
        The feedback; it may hold several lines.
    width : int, optional
        The widest line wanted.

    Returns
    -------
    list of str
        The lines. A line that starts with a space (an indented detail: an array, the
        learner's line of code, expected vs got) is kept as it is, so code and arrays
        are never re-flowed; a word longer than ``width`` is never split. The other
        lines are wrapped, their continuation lines indented by two spaces.
    """
    lines = []
    for line in str(text).splitlines() or [""]:
        if not line.strip() or line[0].isspace() or len(line) <= width:
            lines.append(line.rstrip())
            continue
        lines += textwrap.wrap(line, width=width, subsequent_indent="  ",
                               break_long_words=False, break_on_hyphens=False)
    return lines


def fail(name, problem, details=(), hint=None):
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
        The likely mistake and its fix.
    """
    lines = [f"{name}: {problem}"]
    lines += ["    " + line for d in details for line in d.splitlines()]
    if hint:
        lines.append(f"Hint: {hint}")
    raise GradedTestFailure("\n".join(lines))


def success(name):
    """Print ``<name>_test: all tests passed.``, ``name`` being the exercise's name."""
    print(f"{name}_test: all tests passed.")


def not_implemented(name):
    """Fail with the one-line "not implemented yet" message of the exercise ``name``."""
    raise GradedTestFailure(f"{name} is not implemented yet: write it in the cell above.") \
        from None


def not_answered(name):
    """Fail with the one-line "not answered yet" message of the question ``name``.

    The learner edition's answer cell of a question assigns ``name = ...`` (Ellipsis)
    until the learner writes an answer.
    """
    raise GradedTestFailure(f"`{name}`: not answered yet — replace `...` with your answer.") \
        from None


def is_unanswered(value):
    """True for the learner edition's placeholder answer ``...`` (Ellipsis).

    The grader receives the learner's values as data, where an Ellipsis arrives as a
    stand-in whose type is named ``ellipsis``; that counts too (either way the answer
    scores nothing).
    """
    return value is Ellipsis or type(value).__name__ == "ellipsis"


def returned_none(name):
    """Fail because the function ``name`` returned None (usually a missing ``return``)."""
    fail(name, "returned None: did you forget `return`?",
         hint="end the function with `return ...` and the value(s) the exercise asks for; "
         "a function without a return statement gives None.")


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
