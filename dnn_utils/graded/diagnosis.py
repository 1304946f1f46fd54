"""Diagnoses shared by the graded tests of the training loops and of ``L_model_backward``.

A graded test first compares the learner's result with the reference; when that fails
in a way the generic comparison explains badly (a shape error raised deep inside a
block, a list of costs of the wrong length), these helpers name the likely mistake.
"""

import re

import numpy as np

from ..backward import L_model_backward
from ..cost import compute_cost
from ..forward import L_model_forward
from ..update import update_parameters
from .failure import GradedTestFailure, named
from .loops import BOTH_LOOPS, quoted_lines
from .slips import backward_with


def rehint(failure, hint):
    """Return ``failure`` (a :class:`GradedTestFailure`) with its hint replaced by ``hint``.

    Parameters
    ----------
    failure : GradedTestFailure
        The failure raised by a graded check; its text is kept up to its "Hint:" line.
    hint : str
        The likely mistake and its fix; a :func:`~.failure.named` hint gives the failure
        its id, otherwise the failure keeps its own (and its ``detail``).
    """
    text = re.split(r"\nHint: ", str(failure), maxsplit=1)[0]
    own = getattr(hint, "mistake", None)
    return GradedTestFailure(f"{text}\nHint: {hint}", own or failure.mistake,
                             None if own else failure.detail)


def cost_history(parameters, X, Y, learning_rate, num_iterations, dAL=None):
    """The cost at every iteration of the reference gradient descent from ``parameters``.

    Parameters
    ----------
    parameters : dict
        "W{l}": (n[l], n[l-1]) and "b{l}": (n[l], 1) for l = 1..L (ReLU hidden layers,
        sigmoid output; a 2-layer network is the case L = 2).
    X : numpy.ndarray, shape (n[0], m)
    Y : numpy.ndarray, shape (1, m)
    learning_rate : float
    num_iterations : int
    dAL : callable, optional
        ``dAL(AL, Y)``, the gradient the backward pass starts from, for the history of a
        slip (e.g. ``AL - Y``); the right dA[L] by default.

    Returns
    -------
    costs : numpy.ndarray, shape (num_iterations + 1,)
        ``costs[i]`` is the cost of the parameters iteration ``i`` starts with;
        the last entry is the cost after the final update.
    """
    costs = []
    for _ in range(num_iterations + 1):
        AL, caches = L_model_forward(X, parameters)
        costs.append(compute_cost(AL, Y))
        grads = (L_model_backward(AL, Y, caches) if dAL is None
                 else backward_with(AL, Y, caches, dAL=dAL(AL, Y)))
        parameters = update_parameters(parameters, grads, learning_rate)
    return np.array(costs)


def wrong_count_hint(count, num_iterations):
    """Why a loop of ``num_iterations`` recorded ``count`` costs instead of one per 100.

    Returns a :func:`~.failure.named` hint, or None when no usual mistake gives ``count``.
    """
    expected = len(range(0, num_iterations, 100))
    if count == num_iterations:
        return named("cost-every-iteration", "costs holds one cost per iteration: append "
                     "only every 100 iterations, inside `if i % 100 == 0:`.")
    if count == 0:
        return named("costs-empty", "costs is empty: inside the loop, `if i % 100 == 0: "
                     "costs.append(cost)`.")
    if count == 1:
        return named("single-cost", "costs holds a single cost: the append runs once, "
                     "outside the loop (check its indentation) or under a condition that is "
                     "true only once.")
    if count == expected - 1:
        return named("cost-missing", "one recorded cost is missing: record at i = 0, 100, "
                     "200, ... with `if i % 100 == 0:`, for i in range(num_iterations), "
                     "starting at 0 (not `i > 0`, not range(1, ...)).")
    if count == expected + 1:
        return named("cost-too-many", "one cost too many: record only when i % 100 == 0, "
                     "not also after the loop or at the last iteration (that one is only "
                     "printed).")
    return None


def backward_cache_offset_hint(failure):
    """A hint for a shape error in ``L_model_backward`` that points at the caches, or None.

    Recognised from the learner's line quoted in ``failure`` (an index into caches) or a
    shape error raised inside ``linear_activation_backward``, the usual symptom of a layer
    given another layer's cache. The hint proposes no index: it cannot see the learner's
    loop (see :mod:`.loops`).
    """
    text = str(failure)
    fix = ("a layer got another layer's cache, whose Z and W do not fit its dA. " + BOTH_LOOPS)
    indexed = re.search(r"caches\[[^\[\]]+\](?!\s*\[)", quoted_lines(failure))
    if indexed and getattr(failure, "detail", None) == "ValueError":
        return fix
    if "linear_activation_backward" in text and "shape" in text:
        return ("a shape error inside linear_activation_backward means a layer got another "
                "layer's cache or dA. Most often " + fix)
    return None
