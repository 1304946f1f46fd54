"""Graded tests of notebook 4 (parameters vs hyperparameters).

``quantity_kinds`` is an answer given as a variable: a dict that sorts quantities of
the cat network into "parameter" (learned by gradient descent), "hyperparameter"
(chosen by you) and "neither" (computed from the others at every step). Every wrong
entry is named and explained.

``best_checkpoint(iterations, validation_accuracy, validation_cost)`` is the
early-stopping rule of the notebook: the iteration with the highest validation
accuracy, ties (to 1e-9) broken by the lower validation cost, then by the earlier
iteration. It receives plain lists and returns an int.
"""

import numbers

import numpy as np

from .. import experiments
from .feedback import call, fail, graded_test

__all__ = ["quantity_kinds_test", "best_checkpoint_test"]

KINDS = ("parameter", "hyperparameter", "neither")
#: The learner edition's placeholder for a kind not chosen yet.
UNANSWERED = "?"

# The seed is not in the lecture's list of hyperparameters, and both readings are defensible.
ALSO_ACCEPTED = {"seed": "neither"}
SEED_NOTE = ("note on seed: both 'hyperparameter' and 'neither' are accepted. It is chosen "
             "before training and changes the result, like a hyperparameter; but it is not a "
             "setting you tune for a better model (a seed that happens to score well on the "
             "validation set will not do better on new data), so it is also fair to call it "
             "neither: vary it to see how much of a result is luck, as section 5 does.")

# Each quantity, its kind, and why (shown when the learner's answer differs).
QUANTITIES = {
    "W1": ("parameter", "W[1] is changed by every step of gradient descent, "
           "W[1] := W[1] - learning_rate * dW[1]: it is learned."),
    "b3": ("parameter", "b[3] is learned like every weight: gradient descent updates it with "
           "db[3]. It starts at zero, but its value is not chosen by you."),
    "learning_rate": ("hyperparameter", "you choose the step size alpha before training; "
                      "gradient descent never changes it."),
    "num_iterations": ("hyperparameter", "how long gradient descent runs is decided before "
                       "(or, with early stopping, by a rule you chose), not by a gradient."),
    "layer_dims": ("hyperparameter", "the number of layers L and the units per layer n[l] fix "
                   "the shapes of the parameters; they are chosen, not learned."),
    "hidden_activation": ("hyperparameter", "ReLU for the hidden layers (and sigmoid at the "
                          "output) is a design choice; no gradient changes it."),
    "seed": ("hyperparameter", "the seed decides where gradient descent starts: you choose "
             "it, and it is never learned (the lecture's list does not name it)."),
    "Z2": ("neither", "Z[2] = W[2] A[1] + b[2] is computed from the parameters and the input "
           "at every forward pass; it is an intermediate value (kept in the cache), not "
           "something learned or chosen."),
    "dW1": ("neither", "dW[1] is the gradient, computed by the backward pass at every "
            "iteration; it is used to update W[1] but is itself neither learned nor chosen."),
    "cost": ("neither", "the cost J is what gradient descent makes small; it is computed from "
             "the predictions and the labels, not learned or chosen."),
}


@graded_test("quantity_kinds", expects_function=False)
def quantity_kinds_test(answer):
    name = "quantity_kinds"
    if not isinstance(answer, dict):
        fail(name, f"quantity_kinds is {type(answer).__name__}, expected a dict from each "
             "quantity's name to its kind.",
             hint="keep the dict of the exercise cell and replace each '?'.")
    missing = [key for key in QUANTITIES if key not in answer]
    extra = sorted(map(str, set(answer) - set(QUANTITIES)))
    if missing or extra:
        fail(name, "quantity_kinds has the wrong keys ("
             + "; ".join(([f"missing {missing}"] if missing else [])
                         + ([f"unexpected {extra}"] if extra else [])) + ").",
             details=[f"expected keys: {list(QUANTITIES)}"],
             hint="keep every key of the given dict and replace each '?' by one of "
             "'parameter', 'hyperparameter', 'neither'.")
    unanswered = [key for key, value in answer.items()
                  if isinstance(value, str) and value.strip() == UNANSWERED]
    if len(unanswered) == len(QUANTITIES):
        fail(name, f"not answered yet — replace each {UNANSWERED!r} above.",
             mistake="not-answered")
    if unanswered:
        fail(name, f"{len(unanswered)} of {len(QUANTITIES)} quantities are not answered yet: "
             f"{', '.join(unanswered)}.",
             hint=f"replace each {UNANSWERED!r} by 'parameter', 'hyperparameter' or 'neither'.",
             mistake="not-answered")
    for key, value in answer.items():
        if not isinstance(value, str) or value.strip().lower() not in KINDS:
            fail(name, f"quantity_kinds[{key!r}] is {value!r}, expected one of "
                 f"{', '.join(repr(k) for k in KINDS)}.",
                 hint="spell the kind exactly, e.g. quantity_kinds['W1'] = 'parameter'.")
    wrong = [(key, answer[key].strip().lower()) for key in QUANTITIES
             if answer[key].strip().lower() not in (QUANTITIES[key][0], ALSO_ACCEPTED.get(key))]
    if wrong:
        key, got = wrong[0]
        expected, why = QUANTITIES[key]
        expected = " or ".join(repr(k) for k in (expected, ALSO_ACCEPTED.get(key)) if k)
        if key in ALSO_ACCEPTED:
            why = f"{why} {SEED_NOTE}"
        others = [k for k, _ in wrong[1:]]
        fail(name, f"{len(wrong)} of {len(QUANTITIES)} quantities are sorted wrongly; the first "
             f"is quantity_kinds[{key!r}].",
             details=[f"expected: {expected}", f"got:      {got!r}"]
             + ([f"also wrong: {', '.join(others)}"] if others else []),
             hint=why)
    print(SEED_NOTE)


# The rule of the exercise is the package's own (see the module docstring).
reference_best_checkpoint = experiments.best_checkpoint


# (iterations, validation accuracy, validation cost, what the case checks)
_CHECKPOINT_CASES = [
    ([0, 100, 200, 300], [0.5, 0.6, 0.9, 0.7], [0.7, 0.6, 0.5, 0.55],
     "one clear best accuracy"),
    ([0, 100, 200, 300, 400], [0.5, 0.7, 0.9, 0.8, 0.9], [0.7, 0.6, 0.5, 0.55, 0.45],
     "two checkpoints tie on accuracy; the later one has the lower cost"),
    ([0, 50, 100, 150], [0.6, 0.8, 0.8, 0.7], [0.6, 0.5, 0.5, 0.4],
     "a tie on accuracy and on cost"),
    ([0, 100, 199], [0.5, 0.9, 0.7], [0.6, 0.5, 0.3],
     "the lowest cost is not at the best accuracy"),
    ([0, 100, 200, 300], [0.5, 0.8000000000000002, 0.8, 0.6], [0.7, 0.62, 0.58, 0.6],
     "accuracies 0.8000000000000002 (a mean over seeds) and 0.8 are equal up to rounding"),
]


def _wrong_checkpoints(iterations, acc, cost):
    """Known wrong choices for one case, each with its hint."""
    acc, cost = np.asarray(acc), np.asarray(cost)
    first_max = int(np.argmax(acc))
    last_max = len(acc) - 1 - int(np.argmax(acc[::-1]))
    exact_ties = [i for i in range(len(acc)) if acc[i] == acc.max()]
    return [
        (iterations[int(np.argmin(cost))], "you chose the lowest validation cost; the rule "
         "is accuracy first, and the cost only breaks ties."),
        (first_max, "you returned a position in the lists, not the iteration: return "
         "iterations[k]."),
        # Before the tie-break hint: by the last case, which is the only one where the two
        # coincide, a learner without a tie-break has already been told about it.
        (iterations[min(exact_ties, key=lambda i: (cost[i], i))], "you compared accuracies "
         "with ==. A mean over seeds can be 0.8000000000000002 where another is 0.8: treat "
         "accuracies within 1e-9 of the best as tied."),
        (iterations[first_max], "you took the first best accuracy (np.argmax) and ignored the "
         "tie-break: among checkpoints with the best accuracy, take the lowest validation "
         "cost."),
        (iterations[last_max], "you kept the last best checkpoint (a >= comparison); when "
         "accuracy and cost tie, keep the earlier iteration, which is cheaper to reach."),
        (iterations[-1], "you returned the last iteration: early stopping keeps the best "
         "checkpoint, not the last one."),
        (iterations[int(np.argmin(acc))], "you chose the lowest accuracy: take the highest."),
    ]


@graded_test("best_checkpoint")
def best_checkpoint_test(target):
    name = "best_checkpoint"
    for iterations, acc, cost, description in _CHECKPOINT_CASES:
        got = call(target, name, list(iterations), list(acc), list(cost))
        if isinstance(got, np.ndarray) and got.shape == ():
            got = got.item()
        if isinstance(got, bool) or not isinstance(got, numbers.Integral):
            fail(name, f"it returned {got!r} ({type(got).__name__}), expected one of the "
                 "iterations, an int.",
                 hint="return iterations[k] for the chosen position k, e.g. "
                 "return int(iterations[k]).")
        expected = reference_best_checkpoint(iterations, acc, cost)
        if got == expected:
            continue
        hint = next((h for w, h in _wrong_checkpoints(iterations, acc, cost)
                     if w == got and w != expected),
                    "take the highest validation accuracy; among ties (within 1e-9) the "
                    "lowest validation cost; among those, the earliest iteration.")
        fail(name, f"wrong checkpoint when {description}.",
             details=[f"iterations          = {iterations}",
                      f"validation_accuracy = {acc}",
                      f"validation_cost     = {cost}",
                      f"expected: {expected}", f"got:      {got}"],
             hint=hint)
