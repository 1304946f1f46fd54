"""The graded tests of notebook 4 pass right answers and name each usual mistake."""

import re
from pathlib import Path

import pytest
from graded_failures import expect_failure

from dnn_utils.graded import hyperparameters
from dnn_utils.graded.failure import GradedTestFailure

ROOT = Path(__file__).resolve().parents[1]

RIGHT_KINDS = {
    "W1": "parameter", "b3": "parameter", "learning_rate": "hyperparameter",
    "num_iterations": "hyperparameter", "layer_dims": "hyperparameter",
    "hidden_activation": "hyperparameter", "seed": "hyperparameter", "Z2": "neither",
    "dW1": "neither", "cost": "neither",
}


def test_quantity_kinds_passes_a_right_answer(capsys):
    hyperparameters.quantity_kinds_test(dict(RIGHT_KINDS))
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == "quantity_kinds_test: all tests passed."
    assert out[0].startswith("note on seed: both 'hyperparameter' and 'neither' are accepted")
    # spelling in capitals or with spaces is forgiven
    hyperparameters.quantity_kinds_test({k: f" {v.upper()} " for k, v in RIGHT_KINDS.items()})


def test_the_seed_is_a_hyperparameter_or_neither_but_not_a_parameter(capsys):
    hyperparameters.quantity_kinds_test(dict(RIGHT_KINDS, seed="neither"))
    assert capsys.readouterr().out.strip().endswith("all tests passed.")
    expect_failure(hyperparameters.quantity_kinds_test, dict(RIGHT_KINDS, seed="parameter"),
                   r"the first is quantity_kinds\['seed'\]",
                   r"expected: 'hyperparameter' or 'neither'",
                   r"Hint: the seed decides where gradient descent starts.*both 'hyperparameter' "
                   r"and 'neither' are accepted")


def test_best_checkpoint_reference_is_the_package_rule():
    from dnn_utils import experiments

    assert hyperparameters.reference_best_checkpoint is experiments.best_checkpoint
    assert experiments.best_checkpoint([0, 100, 200], [0.5, 0.8, 0.8], [0.4, 0.6, 0.5]) == 200
    with pytest.raises(ValueError, match="one entry per checkpoint"):
        experiments.best_checkpoint([0, 100], [0.5], [0.4, 0.3])


def test_quantity_kinds_names_each_wrong_entry_and_explains_it():
    answer = dict(RIGHT_KINDS, b3="hyperparameter", Z2="parameter")
    expect_failure(hyperparameters.quantity_kinds_test, answer,
                   r"2 of 10 quantities are sorted wrongly; the first is quantity_kinds\['b3'\]",
                   r"expected: 'parameter'\n\s+got:\s+'hyperparameter'",
                   r"also wrong: Z2", r"Hint: b\[3\] is learned")


def test_quantity_kinds_rejects_unfilled_and_misspelt_answers():
    expect_failure(hyperparameters.quantity_kinds_test, dict(RIGHT_KINDS, W1="?", Z2=" ? "),
                   r"2 of 10 quantities are not answered yet: W1, Z2\.",
                   r"Hint: replace each '\?' by 'parameter', 'hyperparameter' or 'neither'")
    expect_failure(hyperparameters.quantity_kinds_test, dict(RIGHT_KINDS, seed="hyper"),
                   r"quantity_kinds\['seed'\] is 'hyper'")
    missing = dict(RIGHT_KINDS)
    del missing["cost"]
    expect_failure(hyperparameters.quantity_kinds_test, missing, r"missing \['cost'\]")
    expect_failure(hyperparameters.quantity_kinds_test, ["W1"], r"expected a dict")


def best_right(iterations, acc, cost):
    best = max(acc)
    tied = [k for k in range(len(acc)) if acc[k] >= best - 1e-9]
    return int(iterations[min(tied, key=lambda k: (cost[k], k))])


def test_best_checkpoint_passes_a_right_answer(capsys):
    hyperparameters.best_checkpoint_test(best_right)
    assert capsys.readouterr().out.strip() == "best_checkpoint_test: all tests passed."


def _first_argmax(acc):
    return max(range(len(acc)), key=lambda k: (acc[k], -k))


def _exact_ties(iterations, acc, cost):
    tied = [k for k in range(len(acc)) if acc[k] == max(acc)]
    return int(iterations[min(tied, key=lambda k: (cost[k], k))])


def _last_best(iterations, acc, cost):
    best = max(acc)
    tied = [k for k in range(len(acc)) if acc[k] >= best - 1e-9]
    return int(iterations[max(tied, key=lambda k: (-cost[k], k))])


CHECKPOINT_MISTAKES = {
    "lowest cost": (lambda it, a, c: int(it[min(range(len(c)), key=c.__getitem__)]),
                    r"accuracy first"),
    "position": (lambda it, a, c: _first_argmax(a), r"a position in the lists, not the iteration"),
    "no tie-break": (lambda it, a, c: int(it[_first_argmax(a)]), r"ignored the tie-break"),
    "exact ties": (_exact_ties, r"compared accuracies with ==.*within 1e-9"),
    "last of the ties": (_last_best, r"kept the last best checkpoint"),
    "last iteration": (lambda it, a, c: int(it[-1]), r"early stopping keeps the best"),
    "float": (lambda it, a, c: float(best_right(it, a, c)), r"expected one of the iterations, an int"),
}


@pytest.mark.parametrize("mistake", CHECKPOINT_MISTAKES)
def test_best_checkpoint_names_the_mistake(mistake):
    target, pattern = CHECKPOINT_MISTAKES[mistake]
    message = expect_failure(hyperparameters.best_checkpoint_test, target,
                             r"^best_checkpoint: ", pattern)
    if mistake != "float":
        assert re.search(r"expected: \d+\n\s+got:\s+\d+", message), message
        assert "validation_accuracy =" in message


def test_the_learner_editions_template_is_not_answered_yet_in_one_line():
    # The exercise cell of the learner edition keeps the dict of "?" (see the notebook).
    template = {key: "?" for key in RIGHT_KINDS}
    with pytest.raises(GradedTestFailure) as failure:
        hyperparameters.quantity_kinds_test(template)
    assert str(failure.value) == "quantity_kinds: not answered yet — replace each '?' above."
    assert failure.value.mistake == "not-answered"


def test_the_seed_note_cites_the_section_that_varies_the_seed():
    from dnn_utils.workbook.authoring.conventions import read_notebook
    from dnn_utils.workbook.authoring.prose import section_citations, section_headings

    notebook = read_notebook(next((ROOT / "notebooks" / "solutions").glob("04_*.ipynb")))
    headings = section_headings(notebook)
    cited = [number for notebook, number in section_citations(hyperparameters.SEED_NOTE)
             if notebook is None]
    assert cited, hyperparameters.SEED_NOTE
    for number in cited:
        section = headings[number]
        # The cited section trains from several seeds.
        assert "seed" in section.source, (number, section.source[:80])
