"""Evidence about a training loop that one run does not give: the loop run again.

The graded tests of notebook 03 (:mod:`.models`) train the learner's loop once with
``learning_rate=LEARNING_RATE, num_iterations=NUM_ITERATIONS, print_cost=False``. When the
result is wrong in a way one run cannot explain, these helpers run it again with one
argument changed: the same number of costs for another ``num_iterations`` means the loop
ignores it; the same costs for another ``learning_rate`` likewise; costs that appear
only with ``print_cost=True`` are the course's convention. What the loop prints in these
runs is discarded.
"""

import numpy as np

from .course import course_initialization, fail_costs_only_if_printed
from .diagnosis import cost_history
from .feedback import attempt, fail, named
from .tolerance import close, match_wrong

LEARNING_RATE = 0.1
# Iterations 0, 100 and 200 record a cost; the last iteration is 200 too, so a loop
# that also records the last iteration's cost gives the same list.
NUM_ITERATIONS = 201
#: The second run's values: two recorded costs (iterations 0 and 100), a smaller step.
OTHER_ITERATIONS = 101
OTHER_RATE = 0.05


def _rerun(run, **changes):
    """The costs of the learner's loop ``run = (target, X, Y, layer_dims)`` with some
    arguments changed, as floats; None when it raises or returns something else."""
    target, X, Y, layer_dims = run
    kwargs = dict(learning_rate=LEARNING_RATE, num_iterations=NUM_ITERATIONS,
                  print_cost=False)
    kwargs.update(changes)
    got = attempt(target, X, Y, list(layer_dims), **kwargs)
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return None
    try:
        return np.array([float(np.squeeze(c)) for c in got[1]])
    except (TypeError, ValueError):
        return None


def expect_costs_recorded(name, run, expected_count):
    """The loop recorded no cost: fail with the course's message if it records them
    with ``print_cost=True``."""
    costs = _rerun(run, print_cost=True)
    if costs is not None and len(costs) == expected_count:
        fail_costs_only_if_printed(name)


def expect_num_iterations_used(name, run, count):
    """The loop recorded ``count`` costs, no usual count: fail if it records as many for
    another ``num_iterations``."""
    costs = _rerun(run, num_iterations=OTHER_ITERATIONS)
    if costs is not None and len(costs) == count:
        fail(name, f"costs has {count} entries after num_iterations={NUM_ITERATIONS}, and "
             f"{count} again after num_iterations={OTHER_ITERATIONS}: the loop ignores "
             "num_iterations.",
             hint=named("num_iterations-ignored", "loop for i in range(num_iterations), "
                        "over the num_iterations the function is given, not a fixed "
                        "number."))


def expect_learning_rate_used(name, run, costs, wrong):
    """The costs are wrong and no known slip matches them: fail if the loop gives the
    same (changing) costs for another ``learning_rate``."""
    if match_wrong(costs, wrong) is not None or close(costs, costs[0]):
        return
    other = _rerun(run, learning_rate=OTHER_RATE)
    if other is not None and other.shape == costs.shape and close(other, costs):
        fail(name, f"costs has the wrong values, and the same ones with learning_rate="
             f"{OTHER_RATE} as with learning_rate={LEARNING_RATE}: the loop ignores "
             "learning_rate.",
             hint=named("learning_rate-ignored", "pass the learning_rate the function is "
                        "given on to update_parameters(parameters, grads, learning_rate), "
                        "not a fixed number."))


def small_start_costs(X, Y, layer_dims):
    """The recorded costs of the reference loop started from weights that are too small
    (times 0.01 after seed 1, or the course's seed 3, or all zero), each with its hint."""
    hint = named("initialization-too-small", "these are the costs of weights that start "
                 "at or near zero (times 0.01, say): in a deep network they shrink the "
                 "activations at every layer, so the output starts near 0.5 for every "
                 "example (a cost near log 2 = 0.693) and the first layers hardly learn. "
                 "Initialize with initialize_parameters_deep(layer_dims), which divides by "
                 "sqrt(n[l-1]).")
    recorded = np.arange(0, NUM_ITERATIONS, 100)
    dims = list(layer_dims)
    starts = [course_initialization(dims, seed, scaled=True) for seed in (1, 3)]
    starts.append({f"W{l}": np.zeros((dims[l], dims[l - 1])) for l in range(1, len(dims))})
    wrong = []
    for start in starts:
        start.update({f"b{l}": np.zeros((dims[l], 1)) for l in range(1, len(dims))})
        wrong.append((cost_history(start, X, Y, LEARNING_RATE, NUM_ITERATIONS)[recorded], hint))
    return wrong
