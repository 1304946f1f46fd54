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
from .failure import GradedTestFailure


def rehint(failure, hint):
    """Return ``failure`` (a :class:`GradedTestFailure`) with its hint replaced by ``hint``.

    Parameters
    ----------
    failure : GradedTestFailure
        The failure raised by a graded check; its text is kept up to its "Hint:" line.
    hint : str
        The likely mistake and its fix.
    """
    text = re.split(r"\nHint: ", str(failure), maxsplit=1)[0]
    return GradedTestFailure(f"{text}\nHint: {hint}")


def cost_history(parameters, X, Y, learning_rate, num_iterations):
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
        parameters = update_parameters(parameters, L_model_backward(AL, Y, caches),
                                       learning_rate)
    return np.array(costs)


def wrong_count_hint(count, num_iterations):
    """Why a loop of ``num_iterations`` recorded ``count`` costs instead of one per 100.

    Returns None when no usual mistake gives ``count``.
    """
    expected = len(range(0, num_iterations, 100))
    if count == num_iterations:
        return ("costs holds one cost per iteration: append only every 100 iterations, "
                "inside `if i % 100 == 0:`.")
    if count == 0:
        return ("costs is empty: inside the loop, `if i % 100 == 0: costs.append(cost)`.")
    if count == 1:
        return ("costs holds a single cost: the append runs once, outside the loop "
                "(check its indentation) or under a condition that is true only once.")
    if count == expected - 1:
        return ("one recorded cost is missing: record at i = 0, 100, 200, ... with "
                "`if i % 100 == 0:`, for i in range(num_iterations), starting at 0 "
                "(not `i > 0`, not range(1, ...)).")
    if count == expected + 1:
        return ("one cost too many: record only when i % 100 == 0, not also after the loop "
                "or at the last iteration (that one is only printed).")
    return None


def backward_cache_offset_hint(failure):
    """The hint for ``caches[l]`` used as layer l's cache in ``L_model_backward``, or None.

    Recognised from the learner's line quoted in ``failure`` (or a shape error raised
    inside ``linear_activation_backward``, the usual symptom).
    """
    text = str(failure)
    fix = ("layer l's cache is caches[l - 1]: the list starts with layer 1's cache at "
           "index 0, so caches[l] is the cache of layer l + 1, whose Z and W do not fit "
           "dA[l]. Use linear_activation_backward(grads['dA' + str(l)], caches[l - 1], "
           "'relu') for l = L-1, ..., 1.")
    if re.search(r"caches\[\s*l\s*\]", text):
        return fix
    if "linear_activation_backward" in text and "shape" in text:
        return ("a shape error inside linear_activation_backward means a layer got another "
                "layer's cache or dA. Most often: " + fix)
    return None
