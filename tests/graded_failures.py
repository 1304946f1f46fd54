"""What the graded-test suites share: run a graded test that must fail, and read its message."""

import re

import pytest

from dnn_utils.graded.failure import GradedTestFailure


def expect_failure(test, target, *patterns):
    """Run ``test(target)``, require a GradedTestFailure, and return its message.

    Each of ``patterns`` (a regular expression) must occur in the message.
    """
    with pytest.raises(GradedTestFailure) as info:
        test(target)
    message = str(info.value)
    for pattern in patterns:
        assert re.search(pattern, message), f"{pattern!r} not in:\n{message}"
    return message


def failure_of(exercise, target):
    """The GradedTestFailure of ``graded.<exercise>_test(target)`` (it must fail)."""
    from dnn_utils import graded

    with pytest.raises(GradedTestFailure) as info:
        getattr(graded, f"{exercise}_test")(target)
    return info.value
