"""How a graded test reports: the failure, its message, and how values are named in it.

It also explains an error the learner's code raised (:func:`explain_exception`, with
:func:`likely_cause`), for the graded tests and for ``see_result``; this module and
:mod:`.results` are all of ``dnn_utils.graded`` that the grader's sandbox keeps.

A :class:`GradedTestFailure` is shown by IPython (in Jupyter and in the terminal) as its
message alone, wrapped at word boundaries (:func:`wrap_feedback`), through IPython's
documented ``_render_traceback_`` hook: no traceback through the test's machinery, and
nothing to install.
"""

import os
import re
import sysconfig
import textwrap
import traceback

import numpy as np

#: Feedback lines are wrapped to this many columns. JupyterLab styles error output with
#: ``word-break: break-all``, so a line wider than the output area is split mid-word; at
#: 1024 px with the file browser open that area holds 74 columns (tests/test_browser.py).
FEEDBACK_WIDTH = 72


class GradedTestFailure(AssertionError):
    """A graded test found a mistake; the message says which and how to fix it.

    ``mistake`` is the mistake's stable id within its exercise (``"db-axis"``), or None
    when no named mistake matched; the grader prefixes the exercise's name. ``detail``
    says more about a mistake whose id is shared by many causes: for ``"raised-error"``
    (the learner's function raised), the exception's type name, e.g. ``"ValueError"``,
    which the message's first line also shows (``<exercise> raised ValueError: ...``).
    """

    def __init__(self, message="", mistake=None, detail=None):
        super().__init__(message)
        self.mistake = mistake
        self.detail = detail

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


def fail(name, problem, details=(), hint=None, mistake=None, detail=None):
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
    detail : str, optional
        More about the mistake (see :class:`GradedTestFailure`).
    """
    lines = [f"{name}: {problem}"]
    lines += ["    " + line for d in details for line in d.splitlines()]
    if hint:
        lines.append(f"Hint: {hint}")
    raise GradedTestFailure("\n".join(lines), getattr(hint, "mistake", None) or mistake,
                            detail)


def success(name):
    """Print ``<name>_test: all tests passed.``, ``name`` being the exercise's name."""
    print(f"{name}_test: all tests passed.")


def not_implemented(name):
    """Fail with the one-line "not implemented yet" message of the exercise ``name``."""
    raise GradedTestFailure(f"{name} is not implemented yet: write it above.",
                            "not-implemented") from None


def not_answered(name):
    """Fail with the one-line "not answered yet" message of the question ``name``.

    The learner edition's answer cell of a question assigns ``name = ...`` (Ellipsis)
    until the learner writes an answer.
    """
    raise GradedTestFailure(f"`{name}`: not answered yet — replace `...` above.",
                            "not-answered") from None


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


# Where the learner's code is not: frames from these folders are skipped when
# looking for the line that raised.
_NOT_LEARNER = tuple(
    os.path.dirname(p) + os.sep
    for p in (os.path.dirname(__file__), np.__file__)
) + (sysconfig.get_paths()["stdlib"] + os.sep,)


def is_learner_file(filename):
    """True when ``filename`` holds the learner's code, not this package's, NumPy's or
    Python's own."""
    return not os.path.abspath(str(filename)).startswith(_NOT_LEARNER)


def _learner_frame(tb):
    frames = [f for f in traceback.extract_tb(tb) if is_learner_file(f.filename)]
    return frames[-1] if frames else None


def learner_line(exc):
    """The learner's line that raised ``exc``, as the feedback quotes it, or None.

    The grader's sandbox proxy gives it as ``exc.learner_line``; otherwise it is the
    last frame of the traceback that is the learner's own code.
    """
    line = getattr(exc, "learner_line", None)
    if isinstance(line, str) and line:
        return line
    frame = _learner_frame(exc.__traceback__)
    if frame is not None and frame.line:
        return f"at line {frame.lineno} of {frame.name}: {frame.line.strip()}"
    return None


def explain_exception(name, exc):
    """The feedback on an error raised by the learner's function ``name``.

    Parameters
    ----------
    name : str
        The learner's function.
    exc : Exception
        What it raised.

    Returns
    -------
    str
        One line with the error (``name raised ValueError: ...``), the learner's line
        that raised it (indented, when it can be found) and, for a common mistake, a
        ``Hint:`` line: the same text a graded cell shows.
    """
    line = learner_line(exc)
    cause = likely_cause(exc, line)
    lines = [f"{name} raised {type(exc).__name__}: {exc}"] + (["    " + line] if line else [])
    return "\n".join(lines + ([f"Hint: {cause}"] if cause else []))


def likely_cause(exc, line=None):
    """A sentence on the usual reason for this kind of error, or None.

    ``line`` is the learner's line that raised it, when known: a matrix product of
    incompatible shapes on a line that already transposes (``.T``) is not called a
    missing transpose.
    """
    text = str(exc)
    if isinstance(exc, KeyError):
        return (
            "a dictionary key is missing. parameters has 'W1', 'b1', ..., 'WL', 'bL' "
            "(layers numbered from 1) and grads has 'dA0', ..., 'dA{L-1}', 'dW1', 'db1', ...; "
            "build keys with 'W' + str(l) and check the range of your loop."
        )
    if "unpack" in text:
        return (
            "the number of names on the left of `=` does not match what comes back: "
            "linear_forward returns (Z, cache), linear_activation_forward (A, cache), "
            "linear_backward and linear_activation_backward (dA_prev, dW, db); a layer's "
            "cache is (linear_cache, activation_cache) and a linear cache is (A_prev, W, b)."
        )
    if any(s in text for s in ("not aligned", "matmul", "core dimension")):
        if line and re.search(r"\.T\b|transpose", line):
            return (
                "a matrix product of incompatible shapes, on a line that transposes: check "
                "that each .T belongs there. Forward there is none (W @ A_prev + b); "
                "backward, dZ @ A_prev.T and W.T @ dZ. Print the shapes of both factors."
            )
        return (
            "a matrix product of incompatible shapes: most likely a missing transpose "
            "(.T) or the two factors in the wrong order, e.g. W @ A_prev (not A_prev @ W), "
            "dZ @ A_prev.T, W.T @ dZ. Print the shapes of both factors."
        )
    if "broadcast" in text:
        return (
            "two arrays of incompatible shapes in an element-wise operation. Print their "
            "shapes: b is a column (n[l], 1), and dA, Z and A of a layer are all (n[l], m)."
        )
    if "inhomogeneous" in text or "sequence" in text or (
            isinstance(exc, (TypeError, AttributeError)) and "tuple" in text):
        return (
            "a tuple was used where an array was expected (or the other way round). "
            "sigmoid(Z) and relu(Z) return (A, activation_cache) and linear_forward returns "
            "(Z, linear_cache): unpack them. A function asked to return a tuple ends with "
            "`return A, cache`, and a cache must be unpacked before use: "
            "linear_cache, activation_cache = cache."
        )
    if isinstance(exc, ZeroDivisionError):
        return "a division by zero: m is the number of examples, the number of columns, " \
               "A_prev.shape[1] (or Y.shape[1])."
    if isinstance(exc, NameError):
        return (
            "a name used in the function is not defined: check its spelling, define "
            "local values such as m = A_prev.shape[1] inside the function, and run the "
            "cells above this one."
        )
    if isinstance(exc, IndexError):
        return (
            "an index out of range: caches holds one cache per layer, caches[0] for layer 1 "
            "up to caches[L - 1] for layer L, while the keys of parameters and grads count "
            "layers from 1 (W1, ..., WL); and shape[1] needs a 2-D array."
        )
    if "argument" in text and isinstance(exc, TypeError):
        return "keep the `def` line of the exercise's template: the test calls the " \
               "function with the arguments it names, in that order."
    return None
