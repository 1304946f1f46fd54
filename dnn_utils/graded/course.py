"""Learners who come from the course: its conventions, recognised and explained at once.

A function written the course's way can be right by the course and wrong by this
workbook: the course's seed and scale in ``initialize_parameters_deep``, the older
template's ``grads`` keys ``dA1..dAL``, an ``update_parameters`` that writes into the
caller's dict, a training loop that returns only ``parameters`` or records costs only
``if print_cost``. Each is recognised from the values (or by a second call), and one
message says that this is the course's convention, what this workbook asks instead,
and why: every difference at once, not one per run. The mistake id is
``course-convention``.
"""

import numpy as np

from .failure import fail, split_key
from .orders import same_value

COURSE = "course-convention"

_WHY_SEED = ("np.random.seed(1), as the template has it, so that your numbers are the ones "
             "printed in the notebook")
_WHY_SCALE = ("W[l] = np.random.randn(n[l], n[l-1]) / np.sqrt(n[l-1]): dividing by "
              "sqrt(n[l-1]) keeps Z[l] about as large as the activations that go in, "
              "whatever the width, while 0.01 shrinks them at every layer, so a deep "
              "network's output starts near 0.5 for every example and its first layers "
              "hardly learn (the aside after this exercise measures it)")


def course_initialization(layer_dims, seed, scaled):
    """The weights of ``initialize_parameters_deep`` drawn after ``np.random.seed(seed)``,
    times 0.01 when ``scaled`` (the course's way) or divided by sqrt(n[l-1])."""
    rng = np.random.RandomState(seed)
    weights = {}
    for l in range(1, len(layer_dims)):
        W = rng.randn(layer_dims[l], layer_dims[l - 1])
        weights[f"W{l}"] = W * 0.01 if scaled else W / np.sqrt(layer_dims[l - 1])
    return weights


def expect_own_initialization(name, got, layer_dims):
    """Fail with one message when ``got``'s weights are those of the course's seed (3)
    or scale (0.01) or both; return otherwise."""
    if not isinstance(got, dict):
        return
    for seed, scaled in ((3, True), (3, False), (1, True)):
        weights = course_initialization(layer_dims, seed, scaled)
        if not all(same_value(got.get(key), value) for key, value in weights.items()):
            continue
        ways = ([f"np.random.seed({seed})"] if seed != 1 else []) + (
            ["randn(...) * 0.01"] if scaled else [])
        asks = ([_WHY_SEED] if seed != 1 else []) + ([_WHY_SCALE] if scaled else [])
        what = " and ".join(ways)
        fail(name, f"its weights are drawn with {what}, the course's convention.",
             hint="this workbook asks for " + "; and ".join(asks) + ".",
             mistake=COURSE if seed != 1 else "scaled-by-0_01")


def expect_current_grads_keys(name, got, expected):
    """Fail with one message when ``got`` is keyed ``dA1..dAL`` as in the course's older
    template (grads['dA' + str(l)] holding the gradient of A[l-1]); return otherwise."""
    if not isinstance(got, dict):
        return
    shifted = {f"dA{split_key(k)[1] + 1}" if split_key(k)[0] == "dA" else k for k in expected}
    if set(got) != shifted or shifted == set(expected):
        return
    L = len(expected) // 3
    dA_fit = all(same_value(got[f"dA{l}"], expected[f"dA{l - 1}"]) for l in range(1, L + 1))
    if not dA_fit:
        return
    rest_fit = all(same_value(got[k], v) for k, v in expected.items() if k[:2] != "dA")
    fail(name, f"grads holds dA1, ..., dA{L}, where grads['dA' + str(l)] is the gradient of "
         "A[l-1]: the keys of the course's older template"
         + (", and your gradients are right." if rest_fit else "."),
         hint="this workbook (like the course's newer template) files each gradient under "
         "the activation it belongs to, as the lecture writes dA[l]: grads['dA' + str(l)] is "
         f"the gradient of A[l], so the keys run from dA0 (the gradient of X) to dA{L - 1}. "
         "Store layer l's dA_prev as grads['dA' + str(l - 1)] and read its dA from "
         "grads['dA' + str(l)]; in the course's loop for l in reversed(range(L - 1)), "
         "where the layer is l + 1, that is grads['dA' + str(l)] and "
         "grads['dA' + str(l + 1)].", mistake=COURSE)


def fail_update_into_callers_dict(name, where):
    """Fail with one message: ``update_parameters`` wrote its right results into the
    caller's dict (``where`` was replaced), as the course's older template does."""
    fail(name, f"it changed its input {where}: this entry of the caller's dict was "
         "replaced, as the course's older update_parameters does; the new values "
         "themselves are right.",
         hint="this workbook asks for a new dict and leaves the given one as it was, "
         "because another name for the same dict (a saved copy of the initial parameters, "
         "the previous step's parameters) would change with it. Fill new_parameters = {} "
         "as the template does (or start from copy.deepcopy(parameters)) and return it.",
         mistake=COURSE)


def fail_only_parameters(name, right):
    """Fail with one message: the training loop returned only ``parameters``, as the
    course's older templates do (``right`` says whether they are the expected ones)."""
    fail(name, "it returned only parameters, as the course's older template does"
         + ("; the parameters themselves are right." if right else "."),
         hint="this workbook asks for return parameters, costs, with costs recorded at "
         "every i % 100 == 0 whatever print_cost is (the course records them only if "
         "print_cost is True): costs is the learning curve that notebook 03 draws with plot_costs "
         "after training and that this test checks, while print_cost only decides what "
         "is printed.", mistake=COURSE)


def fail_costs_only_if_printed(name):
    """Fail with one message: costs are recorded only ``if print_cost``, as in the course
    (seen by a second call with ``print_cost=True``)."""
    fail(name, "costs is empty with print_cost=False and filled with print_cost=True: it "
         "records the costs only if print_cost is True, the course's convention.",
         hint="this workbook records the cost at every i % 100 == 0 whatever print_cost "
         "is: costs is the learning curve that notebook 03 draws with plot_costs and that "
         "this test checks, while print_cost only decides what is printed. Append under "
         "if i % 100 == 0: alone, and print under a condition of its own.", mistake=COURSE)
