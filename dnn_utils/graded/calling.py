"""Calling the learner's function: on copies, explaining its errors, checking its inputs.

:func:`call` is how every graded test runs the learner's code. The grader's sandbox proxy
(:mod:`dnn_utils.workbook.sandbox.proxy`) raises the learner's errors again with a
``learner_line`` attribute (the learner's line that raised, found inside the sandbox),
which is used instead of a traceback when present.
"""

import contextlib
import copy
import inspect
import io

import numpy as np

from .failure import (
    GradedTestFailure,
    explain_exception,
    fail,
    not_implemented,
    returned_none,
    type_name,
)
from .hints import mutation_hint
from .orders import argument_order


def expect_callable(target, name):
    """Fail unless ``target`` is a function (the learner passed ``f(...)`` or a value)."""
    if not callable(target):
        fail(
            name,
            f"{name}_test expects the function {name} itself, but got "
            f"{type_name(target)}.",
            hint=f"write {name}_test({name}), without parentheses or arguments after "
            f"{name}; and run the cell that defines {name} first.",
            mistake="not-a-function",
        )


def expect_argument_order(target, name, arguments):
    """Fail (``arguments-order``) if the learner's ``def`` line takes ``arguments`` in
    another order (see :func:`~.orders.argument_order`); do nothing otherwise."""
    names = argument_order(target, arguments)
    if names is not None:
        expected = ", ".join(arguments)
        fail(name, f"its def line takes ({', '.join(names)}); the workbook calls "
             f"{name}({expected}), with the arguments in this order.",
             hint=f"keep the template's def line, def {name}({expected}): the test, the "
             "notebooks and your other functions pass these arguments by position, in this "
             "order.", mistake="arguments-order")


def call(target, name, *args, **kwargs):
    """Call the learner's ``target`` on copies of the arguments and return its result.

    Fails with a clear message if the function is not implemented yet (raises
    ``NotImplementedError``), returns None (a forgotten ``return``), raises any other
    exception (mistake ``raised-error``, the exception's type name as the failure's
    ``detail``), or changes one of its inputs (checked against the state before the
    call: ``input-entry-replaced`` when an entry of the caller's dict or list was
    replaced, ``changed-input`` otherwise; the input, e.g. ``parameters['W1']``, as the
    ``detail``).
    """
    expect_callable(target, name)
    args, kwargs = copy.deepcopy((args, kwargs))
    labels = _argument_labels(target, args, kwargs)
    records = [(_record(value), label) for value, label in zip(
        list(args) + list(kwargs.values()), labels)]
    try:
        result = target(*args, **kwargs)
    except NotImplementedError:
        not_implemented(name)
    except GradedTestFailure:
        raise
    except Exception as exc:  # any error of the learner's code is explained
        _report_exception(name, exc)
    if result is None:
        returned_none(name)
    for record, label in records:
        change = _find_change(record, label)
        if change:
            what, where, in_dict = change
            replaced = what.startswith("this entry")
            fail(name, f"it changed its input {where}: {what}.",
                 hint=mutation_hint(where, in_dict),
                 mistake="input-entry-replaced" if replaced else "changed-input",
                 detail=where)
    return result


def attempt(target, *args, **kwargs):
    """``target(*args, **kwargs)`` on copies of the arguments, or None if it raises.

    For the evidence a graded test gathers after a failure (the learner's function run
    on another input): nothing is checked, and what the function prints is discarded.
    """
    args, kwargs = copy.deepcopy((args, kwargs))
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            return target(*args, **kwargs)
    except Exception:  # any error of the learner's code means: no evidence
        return None


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


def _report_exception(name, exc):
    raise GradedTestFailure(explain_exception(name, exc), "raised-error",
                            type(exc).__name__) from None
