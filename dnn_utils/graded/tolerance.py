"""When a learner's number counts as the reference's: one tolerance for every graded test."""

import numpy as np

RTOL = 1e-5
ATOL = 1e-7


def close(got, expected):
    """True when ``got`` equals ``expected`` within RTOL and ATOL (same broadcast shape)."""
    return bool(np.allclose(got, expected, rtol=RTOL, atol=ATOL))


def same_array(x, want):
    """True when ``x`` is an array of ``want``'s shape and values."""
    return isinstance(x, np.ndarray) and x.shape == want.shape and close(x, want)


def match_wrong(got, wrong):
    """The hint of the first known wrong result ``got`` matches, or None."""
    got_shape = np.shape(got)
    for value, hint in wrong:
        if value is not None and np.shape(value) == got_shape and close(got, value):
            return hint
    return None
