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

The pieces live in small modules, one idea each, and are all importable from here:
:mod:`.failure` (the failure and its message), :mod:`.calling` (running the learner's
function), :mod:`.comparing` (checking what it returned), :mod:`.hints` (the likely
mistake) and :mod:`.tolerance` (when numbers count as equal).
"""

import functools

import numpy as np

from .calling import attempt, call, expect_argument_order, expect_callable
from .comparing import (
    expect_activation_cache,
    expect_array,
    expect_keys,
    expect_linear_cache,
    expect_scalar,
    expect_tuple,
)
from .failure import GradedTestFailure, fail, is_unanswered, named, not_answered, success
from .tolerance import ATOL, RTOL

__all__ = [
    "ATOL",
    "RTOL",
    "GradedTestFailure",
    "attempt",
    "call",
    "expect_activation_cache",
    "expect_array",
    "expect_argument_order",
    "expect_callable",
    "expect_keys",
    "expect_linear_cache",
    "expect_scalar",
    "expect_tuple",
    "fail",
    "graded_test",
    "named",
    "success",
]


def graded_test(name, expects_function=True, arguments=None):
    """Decorate ``check(target)`` into the graded test ``<name>_test(target)``.

    The decorated test answers the learner edition's placeholder ``...`` with the
    one line "not answered yet", checks that ``target`` is a function (unless
    ``expects_function`` is False), leaves NumPy's global random state as it
    found it (the learner's code may call ``np.random.seed``), and prints the
    success line when ``check`` returns.

    ``arguments`` are the names of the positional arguments of the template's ``def``
    line, e.g. ``("dZ", "cache")``: when ``check`` fails and the learner's ``def`` line
    takes them in another order, the failure says that instead (``arguments-order``).
    A function that passes is never failed for the names of its arguments.
    """
    def decorate(check):
        @functools.wraps(check)
        def run(target):
            if is_unanswered(target):
                not_answered(name)
            if expects_function:
                expect_callable(target, name)
            state = np.random.get_state()
            try:
                check(target)
            except GradedTestFailure as failure:
                if arguments and failure.mistake != "not-implemented":
                    try:
                        expect_argument_order(target, name, arguments)
                    except GradedTestFailure as order:
                        raise order from None
                raise
            finally:
                np.random.set_state(state)
            success(name)
        return run
    return decorate
