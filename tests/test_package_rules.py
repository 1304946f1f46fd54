"""What the learner's code may use of the package while a notebook is graded (issue 27).

``two_layer_model`` written as a one-line wrapper around ``dnn_utils.models.train`` scored
4/4 in notebook 03, and ``update_parameters`` through ``models.update_in_place`` earned its
point in notebook 02. :mod:`dnn_utils.workbook.grading.package_rules` derives what the sandbox
stubs; these tests pin the rule and make every public function of the package classified,
so a new helper cannot slip through unnoticed. The sandboxed attacks themselves are in
``tests/test_grader_edges.py``.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from dnn_utils.workbook.grading import package_rules
from dnn_utils.workbook.grading.package_rules import (
    STANDS_IN,
    exercises_by_notebook,
    helpers,
    public_functions,
    unavailable,
    unclassified,
)
from dnn_utils.workbook.sandbox.package_copy import copy_package

SOLUTIONS = Path(__file__).resolve().parents[1] / "notebooks" / "solutions"
EXERCISES = exercises_by_notebook(SOLUTIONS)
NB02, NB03 = "02_building_your_deep_network", "03_cat_classifier_application"


def stubbed(stem):
    return unavailable(stem, EXERCISES[stem], SOLUTIONS)


def test_every_public_function_of_the_package_is_classified():
    missing = unclassified(SOLUTIONS)
    assert missing == [], (
        f"{missing}: a public function of the package must be classified, so the grader "
        "knows whether the learner's code may use it. Add each to HELPERS (it does no "
        "exercise's work) or to STANDS_IN (the exercises whose work it does) in "
        "dnn_utils/workbook/grading/package_rules.py.")


def test_the_declared_data_names_what_exists_and_never_both_ways():
    functions = set(public_functions())
    assert sorted(helpers() - functions) == [], "HELPERS names functions that do not exist"
    assert sorted(set(STANDS_IN) - functions) == [], "STANDS_IN names missing functions"
    all_exercises = {e for names in EXERCISES.values() for e in names}
    for function, exercises in STANDS_IN.items():
        assert set(exercises) <= all_exercises, (function, exercises)
    derived, earlier = set(), []
    for names in EXERCISES.values():
        derived |= package_rules.stand_ins(names, earlier)
        earlier += names
    assert sorted(helpers() & derived) == [], "a helper is also a stand-in"
    assert sorted(helpers() & set(STANDS_IN)) == [], "declared both a helper and a stand-in"


def test_a_new_helper_fails_the_walk_until_it_is_classified(tmp_path):
    copy = tmp_path / "dnn_utils"
    shutil.copytree(package_rules.package_dir(), copy,
                    ignore=shutil.ignore_patterns("__pycache__"))
    with open(copy / "experiments.py", "a", encoding="utf-8") as module:
        module.write("\n\ndef fit_quickly(X, Y, layer_dims):\n    return X\n")
    assert unclassified(SOLUTIONS, root=copy) == ["experiments.fit_quickly"]


def test_what_a_reference_delegates_to_is_derived_from_its_code():
    # train: two_layer_model and L_layer_model call it (read by ast, not listed).
    assert {"models.two_layer_model", "models.L_layer_model", "models.train",
            "experiments.train_from"} <= stubbed(NB03)
    # output_gradient: the first step of the package's L_model_backward.
    assert {"backward.output_gradient", "models.update_in_place"} <= stubbed(NB02)
    # Notebook 02's blocks are what notebook 03's loops build on: usable there.
    assert not stubbed(NB03) & {"forward.L_model_forward", "backward.L_model_backward",
                                "update.update_parameters", "models.update_in_place",
                                "backward.output_gradient", "models.predict"}


def run_inside(package_root, code):
    env = dict(os.environ, PYTHONPATH=str(package_root))
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=120, cwd=package_root)


def test_in_notebook_03_the_loops_and_their_wrappers_raise_the_note_and_the_rest_works(
        tmp_path):
    root = copy_package(tmp_path / "copy", EXERCISES[NB03], stubbed(NB03))
    out = run_inside(root, (
        "import numpy as np, dnn_utils\n"
        "from dnn_utils import models, experiments\n"
        "from dnn_utils.data import load_data, flatten_images\n"
        "from dnn_utils.plots import plot_costs\n"
        "X = flatten_images(load_data()[0][:5]); Y = np.array([[0., 1., 0., 1., 1.]])\n"
        "p = dnn_utils.initialize_parameters_deep([X.shape[0], 3, 1])\n"
        "calls = {'train': lambda: models.train(X, Y, p, 0.01, 2),\n"
        "         'two_layer_model': lambda: models.two_layer_model(X, Y, (X.shape[0], 2, 1)),\n"
        "         'train_from': lambda: experiments.train_from(X, Y, p, 0.01, 2),\n"
        "         'train_with_history': lambda: experiments.train_with_history(\n"
        "             X, Y, X, Y, [X.shape[0], 2, 1], num_iterations=2)}\n"
        "for name, call in calls.items():\n"
        "    try:\n"
        "        call()\n"
        "    except RuntimeError as e:\n"
        "        print(name, 'stubbed:', e)\n"
        "AL, caches = dnn_utils.L_model_forward(X, p)\n"
        "grads = dnn_utils.L_model_backward(AL, Y, caches)\n"
        "p = dnn_utils.update_parameters(p, grads, 0.01)\n"
        "p = models.update_in_place(p, {k: 0 * v for k, v in grads.items()})\n"
        "print('predict', dnn_utils.predict(X, Y, p).shape)\n"
        "plot_costs([0.7, 0.6], 0.01)\n"
        "print('blocks work')\n"))
    assert out.returncode == 0, out.stderr
    for name in ("train", "two_layer_model", "train_from", "train_with_history"):
        assert f"{name} stubbed:" in out.stdout and "package's reference" in out.stdout, name
    assert "predict (1, 5)" in out.stdout and "blocks work" in out.stdout


def test_a_block_the_notebook_itself_imports_stays_usable(tmp_path):
    # A workbook whose only notebook asks for L_model_backward: the package's reference
    # delegates to linear_activation_backward, which stays usable when the notebook hands
    # it to the learner (imports it), as a one-notebook workbook of tests does.
    def notebook(first_cell):
        cells = [{"cell_type": "code", "metadata": {}, "source": first_cell, "outputs": [],
                  "execution_count": None},
                 {"cell_type": "code", "source": "graded.L_model_backward_test(L_model_backward)",
                  "metadata": {"nbgrader": {"grade": True, "grade_id": "L_model_backward",
                                            "points": 1}}, "outputs": [],
                  "execution_count": None}]
        return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                           "nbformat_minor": 5})

    (tmp_path / "02_tiny.ipynb").write_text(notebook("import numpy as np"))
    assert "backward.linear_activation_backward" in unavailable(
        "02_tiny", ["L_model_backward"], tmp_path)
    (tmp_path / "02_tiny.ipynb").write_text(notebook(
        "%matplotlib inline\nfrom dnn_utils import graded, linear_activation_backward"))
    stubbed_here = unavailable("02_tiny", ["L_model_backward"], tmp_path)
    assert "backward.linear_activation_backward" not in stubbed_here
    assert {"backward.L_model_backward", "backward.output_gradient"} <= stubbed_here
