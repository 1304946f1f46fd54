"""The machinery of the graded tests: call the learner's function, compare, explain.

Every failure is a :class:`GradedTestFailure` whose message names the learner's
function and the variable at fault, shows what was expected and what came back,
and, when the mistake is a common one, says which one and how to fix it.

A graded test is written with these pieces::

    @graded_test("linear_forward")
    def linear_forward_test(target):
        got = call(target, "linear_forward", A, W, b)
        Z, cache = expect_tuple("linear_forward", got, ("Z", "cache"))
        expect_array("linear_forward", "Z", Z, Z_expected,
                     wrong=[(W @ A, "you forgot to add b.")])

The learner's function always receives copies of the test's inputs, and
:func:`call` fails if it changed them.
"""

import copy
import functools
import inspect
import os
import re
import sys
import sysconfig
import traceback

import numpy as np

RTOL = 1e-5
ATOL = 1e-7
# Arrays up to this many entries are printed in full in a failure message.
_PRINT_IN_FULL = 30


class GradedTestFailure(AssertionError):
    """A graded test found a mistake; the message says which and how to fix it."""

    def _render_traceback_(self):
        # IPython asks exceptions for this: the message alone, without the traceback
        # through the test's machinery (used when no custom handler is registered).
        return _failure_lines(self)


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


def graded_test(name, expects_function=True):
    """Decorate ``check(target)`` into the graded test ``<name>_test(target)``.

    The decorated test checks that ``target`` is a function (unless
    ``expects_function`` is False), leaves NumPy's global random state as it
    found it (the learner's code may call ``np.random.seed``), and prints the
    success line when ``check`` returns.
    """
    def decorate(check):
        @functools.wraps(check)
        def run(target):
            if expects_function:
                expect_callable(target, name)
            state = np.random.get_state()
            try:
                check(target)
            finally:
                np.random.set_state(state)
            success(name)
        return run
    return decorate


# ---------------------------------------------------------------- calling


def expect_callable(target, name):
    """Fail unless ``target`` is a function (the learner passed ``f(...)`` or a value)."""
    if not callable(target):
        fail(
            name,
            f"{name}_test expects the function {name} itself, but got "
            f"{_type_name(target)}.",
            hint=f"write {name}_test({name}), without parentheses or arguments after "
            f"{name}; and run the cell that defines {name} first.",
        )


def call(target, name, *args, **kwargs):
    """Call the learner's ``target`` on copies of the arguments and return its result.

    Fails with a clear message if the function is not implemented yet (raises
    ``NotImplementedError`` or returns None), raises any other exception, or
    changes one of its inputs (checked against the state before the call).
    """
    expect_callable(target, name)
    args, kwargs = copy.deepcopy((args, kwargs))
    labels = _argument_labels(target, args, kwargs)
    records = [(_record(value), label) for value, label in zip(
        list(args) + list(kwargs.values()), labels)]
    try:
        result = target(*args, **kwargs)
    except NotImplementedError:
        _not_implemented(name)
    except GradedTestFailure:
        raise
    except Exception as exc:  # any error of the learner's code is explained
        _report_exception(name, exc)
    if result is None:
        _not_implemented(name)
    for record, label in records:
        change = _find_change(record, label)
        if change:
            what, where, in_dict = change
            fail(name, f"it changed its input {where}: {what}.",
                 hint=_mutation_hint(where, in_dict))
    return result


def _not_implemented(name):
    raise GradedTestFailure(
        f"{name} is not implemented yet: replace the lines `# YOUR CODE HERE` and "
        "`raise NotImplementedError(...)` with your code, and make sure the function ends "
        "with `return ...` (a function without a return gives None)."
    ) from None


def _argument_labels(target, args, kwargs):
    """Names of the arguments as the learner's ``def`` line spells them."""
    try:
        bound = inspect.signature(target).bind(*args, **kwargs)
        names = list(bound.arguments)
    except (TypeError, ValueError):
        names = []
    positional = names[:len(args)] + [f"argument {i + 1}" for i in range(len(names), len(args))]
    return positional + list(kwargs)


def _record(x):
    """Remember ``x``: which objects it holds and copies of its arrays' values."""
    if isinstance(x, np.ndarray):
        return x, x.copy()
    if isinstance(x, dict):
        return x, {k: _record(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return x, [_record(v) for v in x]
    return x, None


def _find_change(record, label, in_dict=False):
    """Return ``(what, where, in_dict)`` for the first change since ``_record``, or None."""
    obj, saved = record
    if isinstance(obj, np.ndarray):
        if obj.shape != saved.shape or not np.array_equal(obj, saved, equal_nan=True):
            return "its values were changed in place", label, in_dict
    elif isinstance(obj, dict):
        if obj.keys() != saved.keys():
            added = sorted(set(obj) - set(saved), key=str)
            removed = sorted(set(saved) - set(obj), key=str)
            return f"keys were added {added} or removed {removed}", label, True
        for key, sub in saved.items():
            where = f"{label}[{key!r}]"
            if obj[key] is not sub[0]:
                return "this entry of the caller's dict was replaced", where, True
            change = _find_change(sub, where, True)
            if change:
                return change
    elif isinstance(obj, list) and len(obj) != len(saved):
        return f"its length went from {len(saved)} to {len(obj)}", label, in_dict
    elif isinstance(obj, (list, tuple)):
        for i, sub in enumerate(saved):
            where = f"{label}[{i}]"
            if obj[i] is not sub[0]:
                return "this entry of the caller's list was replaced", where, in_dict
            change = _find_change(sub, where, in_dict)
            if change:
                return change
    return None


def _mutation_hint(where, in_dict):
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


# Where the learner's code is not: frames from these folders are skipped when
# looking for the line that raised.
_NOT_LEARNER = tuple(
    os.path.dirname(p) + os.sep
    for p in (os.path.dirname(__file__), np.__file__)
) + (sysconfig.get_paths()["stdlib"] + os.sep,)


def _learner_frame(tb):
    frames = [f for f in traceback.extract_tb(tb)
              if not os.path.abspath(f.filename).startswith(_NOT_LEARNER)]
    return frames[-1] if frames else None


def _report_exception(name, exc):
    details = []
    frame = _learner_frame(exc.__traceback__)
    if frame is not None and frame.line:
        details.append(f"at line {frame.lineno} of {frame.name}: {frame.line.strip()}")
    cause = _likely_cause(exc)
    lines = [f"{name} raised {type(exc).__name__}: {exc}"] + ["    " + d for d in details]
    raise GradedTestFailure("\n".join(lines + ([f"Hint: {cause}"] if cause else []))) from None


def _likely_cause(exc):
    """A sentence on the usual reason for this kind of error, or None."""
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
            "an index out of range: layers are numbered 1..L (range(1, L + 1)), caches[l - 1] "
            "is the cache of layer l, and shape[1] needs a 2-D array."
        )
    if "argument" in text and isinstance(exc, TypeError):
        return "keep the `def` line of the exercise's template: the test calls the " \
               "function with the arguments it names, in that order."
    return None


# ------------------------------------------------------------- comparing


def expect_tuple(name, got, parts):
    """Check that ``got`` is a tuple (or list) of ``len(parts)`` values; return it.

    Parameters
    ----------
    parts : sequence of str
        The names of the values, e.g. ``("Z", "cache")``, used in the message.
    """
    what = ", ".join(parts)
    if not isinstance(got, (tuple, list)):
        fail(name, f"it returned {_type_name(got)}, expected the tuple ({what}).",
             hint=f"end the function with `return {what}`.")
    if len(got) != len(parts):
        fail(name, f"it returned a tuple of {len(got)} values, expected {len(parts)}: ({what}).",
             hint=f"end the function with `return {what}`.")
    return tuple(got)


def expect_array(name, var, got, expected, *, wrong=(), m=None, hint=None):
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
    wrong : sequence of (numpy.ndarray, str)
        Known wrong results computed from the same inputs, each with the hint
        to give when ``got`` matches it (a None result is skipped).
    m : int, optional
        Number of examples; enables the "missing 1/m" and "extra 1/m" hints.
    hint : str, optional
        Hint to give for wrong values when no known mistake matches.
    """
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
        fail(name, f"{var} is {_type_name(got)}, expected a NumPy array of shape "
             f"{expected.shape}.", hint=tip)
    if got.dtype.kind not in "biuf":
        fail(name, f"{var} has dtype {got.dtype}, expected numbers (float).")
    if got.shape != expected.shape:
        fail(name, f"{var} has shape {got.shape}, expected {expected.shape}.",
             hint=_match_wrong(got, wrong) or _shape_hint(var, got.shape, expected.shape))
    if not _close(got, expected):
        fail(name, f"{var} has the wrong values.", details=_expected_vs_got(got, expected),
             hint=_match_wrong(got, wrong) or _value_hint(var, got, expected, m) or hint)


def expect_scalar(name, var, got, expected, *, wrong=(), m=None, hint=None):
    """Check that ``got`` is a single real number close to ``expected``.

    Python numbers, NumPy scalars and 0-d arrays are accepted; a (1, 1) array
    is not (the learner should ``np.squeeze`` it).
    """
    if isinstance(got, np.ndarray) and got.shape != ():
        tip = ("np.squeeze(cost) turns the (1, 1) array into a number." if got.size == 1
               else "sum over the examples to get one number.")
        fail(name, f"{var} is an array of shape {got.shape}, expected a single number.",
             hint=tip)
    if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, float, np.number,
                                                               np.ndarray)):
        fail(name, f"{var} is {_type_name(got)}, expected a number.")
    value = float(got)
    if not _close(value, expected):
        fail(name, f"{var} has the wrong value.",
             details=[f"expected: {expected!r}", f"got:      {value!r}"],
             hint=_match_wrong(value, wrong) or _value_hint(var, value, expected, m) or hint)


def expect_keys(name, var, got, expected_keys, hint=None):
    """Check that ``got`` is a dict with exactly ``expected_keys``.

    When the learner's keys are the expected ones with their layer numbers off
    by one (``dA1..dAL`` for ``dA0..dA{L-1}``), the hint says so.
    """
    if not isinstance(got, dict):
        fail(name, f"{var} is {_type_name(got)}, expected a dict with keys "
             f"{_sorted_keys(expected_keys)}.")
    expected = set(expected_keys)
    if set(got) == expected:
        return
    missing = _sorted_keys(expected - set(got))
    extra = _sorted_keys(set(got) - expected)
    details = [f"expected keys: {_sorted_keys(expected)}", f"got keys:      {_sorted_keys(got)}"]
    what = ([f"missing {missing}"] if missing else []) + ([f"unexpected {extra}"] if extra else [])
    fail(name, f"{var} has the wrong keys ({', '.join(what)}).", details=details, hint=_keys_hint(set(got), expected) or hint)


def _keys_hint(got, expected):
    for prefix in sorted({_split_key(k)[0] for k in expected}):
        want = {_split_key(k)[1] for k in expected if _split_key(k)[0] == prefix}
        have = {_split_key(k)[1] for k in got if _split_key(k)[0] == prefix} - {None}
        for shift in (1, -1):
            if want and have != want and have == {n + shift for n in want}:
                if prefix == "dA":
                    return (
                        "your dA keys are off by one. Layer l's backward step returns "
                        "dA_prev, the gradient of layer l - 1: store it as "
                        "grads['dA' + str(l - 1)], so the keys run from dA0 to dA{L-1}."
                    )
                return (
                    f"your {prefix} keys are off by one: layers are numbered from 1 "
                    f"({prefix}1, ..., {prefix}L); with `for l in range(L)` use l + 1."
                )
    return None


def _split_key(key):
    match = re.fullmatch(r"(\D+)(\d+)", str(key))
    return (match[1], int(match[2])) if match else (str(key), None)


def _sorted_keys(keys):
    return sorted(keys, key=lambda k: (_split_key(k)[0], _split_key(k)[1] or 0))


def expect_linear_cache(name, var, got, expected, labels=("A_prev", "W", "b")):
    """Check that ``got`` is the linear cache ``(A_prev, W, b)``, in that order."""
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        fail(name, f"{var} is {_type_name(got)}, expected the tuple ({', '.join(labels)}).",
             hint=f"the linear cache is `cache = ({', '.join(labels)})`.")
    for i, (item, want, label) in enumerate(zip(got, expected, labels)):
        if _same_array(item, want):
            continue
        order = [next((lab for w, lab in zip(expected, labels) if _same_array(x, w)), None)
                 for x in got]
        if None not in order:
            fail(name, f"{var} holds ({', '.join(order)}), expected ({', '.join(labels)}).",
                 hint="keep the order of the lecture: the backward step unpacks it as "
                 f"`{', '.join(labels)} = cache`.")
        fail(name, f"{var}[{i}] should be {label} (the input, unchanged), but it is "
             f"{_describe(item)}.", hint=f"the linear cache is `({', '.join(labels)})`, "
             "the inputs exactly as they were given.")


def expect_activation_cache(name, var, got, linear, Z, labels=("A_prev", "W", "b")):
    """Check that ``got`` is ``((A_prev, W, b), Z)`` as linear_activation_forward returns."""
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        fail(name, f"{var} is {_type_name(got)}, expected the tuple "
             "(linear_cache, activation_cache).",
             hint="cache = (linear_cache, activation_cache), where linear_cache comes from "
             "linear_forward and activation_cache from sigmoid or relu.")
    if isinstance(got[0], np.ndarray) and isinstance(got[1], (tuple, list)):
        fail(name, f"{var} holds (activation_cache, linear_cache), expected "
             "(linear_cache, activation_cache).",
             hint="put linear_cache first: cache = (linear_cache, activation_cache); the "
             "backward step unpacks it as `linear_cache, activation_cache = cache`.")
    expect_linear_cache(name, f"{var}[0] (linear_cache)", got[0], linear, labels)
    expect_array(name, f"{var}[1] (activation_cache)", got[1], Z,
                 hint="the activation cache is Z = W @ A_prev + b, as returned by "
                 "sigmoid(Z) or relu(Z) next to A.")


# --------------------------------------------------------------- helpers


def _close(got, expected):
    return bool(np.allclose(got, expected, rtol=RTOL, atol=ATOL))


def _same_array(x, want):
    return isinstance(x, np.ndarray) and x.shape == want.shape and _close(x, want)


def _match_wrong(got, wrong):
    got_shape = np.shape(got)
    for value, hint in wrong:
        if value is not None and np.shape(value) == got_shape and _close(got, value):
            return hint
    return None


def _shape_hint(var, got, expected):
    if len(got) == 2 and got == expected[::-1]:
        return (f"the shape of {var} is the transpose of the expected one: a missing .T, "
                "or the two factors of a matrix product in the wrong order.")
    if len(expected) == 2 and expected[1] == 1 and got == (expected[0],):
        return (f"{var} is 1-D; it must be a column of shape {expected}. Use "
                "np.sum(..., axis=1, keepdims=True), or np.zeros((n, 1)) with two "
                "pairs of parentheses.")
    if len(expected) == 2 and expected[1] == 1 and len(got) == 2 and got[0] == 1:
        return (f"{var} was summed over the wrong axis: sum over the examples (the "
                "columns), np.sum(..., axis=1, keepdims=True).")
    if got == ():
        return f"{var} is a single number: sum with axis=1, keepdims=True."
    return f"print the shapes of the arrays that make {var}: it must have shape {expected}."


def _value_hint(var, got, expected, m):
    got = np.asarray(got, dtype=float)
    if not np.isfinite(got).all():
        return (f"{var} contains NaN or inf: look for a log of 0, a division by 0 or "
                "an overflow.")
    if _close(got, -np.asarray(expected)):
        return f"{var} has the opposite sign: check the minus signs of your formula."
    if m and m > 1 and _close(got, m * np.asarray(expected)):
        return f"{var} is m = {m} times too large: divide by the number of examples m " \
               "(multiply by 1/m)."
    if m and m > 1 and _close(got, np.asarray(expected) / m):
        return f"{var} is divided by m = {m} once too often."
    return None


def _expected_vs_got(got, expected):
    if expected.size <= _PRINT_IN_FULL:
        return [
            "expected:\n" + _indent(np.array2string(expected, precision=8)),
            "got:\n" + _indent(np.array2string(got, precision=8)),
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


def _indent(text):
    return "\n".join("  " + line for line in text.splitlines())


def _describe(x):
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape} with other values"
    return _type_name(x)


def _type_name(x):
    if x is None:
        return "None"
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape}"
    if isinstance(x, (tuple, list)):
        return f"a {type(x).__name__} of {len(x)} values"
    if isinstance(x, dict):
        return f"a dict with keys {_sorted_keys(x)}"
    return f"{type(x).__name__} {x!r:.60}"


# ---------------------------------------------------------- IPython display


def _failure_lines(failure):
    return [f"{type(failure).__name__}: {failure}"]


def _show_failure(shell, etype, value, tb, tb_offset=None):
    """IPython custom exception handler: show the failure's message, no traceback.

    IPython's ``run_code`` ignores what a handler returns, so the handler shows
    the message itself, through the shell (in Jupyter, as the cell's error output).
    """
    shell._showtraceback(etype, value, _failure_lines(value))


def _current_ipython():
    # IPython is imported only inside IPython; outside it, importing it just to
    # find no shell would cost a noticeable fraction of a second.
    ipython = sys.modules.get("IPython")
    return ipython.get_ipython() if ipython is not None else None


def install_ipython_handler(shell=None):
    """Make IPython show a :class:`GradedTestFailure` as its message only.

    Parameters
    ----------
    shell : IPython InteractiveShell, optional
        Defaults to the running one; outside IPython nothing happens.

    Returns
    -------
    bool
        True if a handler was registered.
    """
    shell = shell if shell is not None else _current_ipython()
    if shell is None:
        return False
    shell.set_custom_exc((GradedTestFailure,), _show_failure)
    return True
