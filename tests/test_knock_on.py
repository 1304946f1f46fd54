"""Each mistake counted once, at its root (:mod:`dnn_utils.workbook.grading.knock_on`): which exercise
calls which comes from the solution notebook; a failed exercise that passes with the correct
blocks is a knock-on of their mistake, its points unchanged; the learner's names come back.
"""

import csv
import re
from pathlib import Path

import pytest
from sample_class import DEFAULT_NOTEBOOK, exercises_depending_on

from dnn_utils import graded
from dnn_utils.workbook.authoring.conventions import read_notebook
from dnn_utils.workbook.classroom.report import write_mistakes, write_report
from dnn_utils.workbook.grading.grader import run_graded_test
from dnn_utils.workbook.grading.knock_on import (
    callees,
    exercise_calls,
    exercise_sources,
    label_knock_ons,
)
from dnn_utils.workbook.sandbox import kernel_call, knock_on_kernel, wire
from dnn_utils.workbook.sandbox.proxy import exercise_target

SOLUTIONS = Path(__file__).resolve().parents[1] / "notebooks" / "solutions"
NB02 = read_notebook(SOLUTIONS / f"{DEFAULT_NOTEBOOK}.ipynb")


@pytest.mark.parametrize("path", sorted(SOLUTIONS.glob("*.ipynb")), ids=lambda p: p.stem)
def test_which_exercise_calls_which_is_derived_from_the_solution(path):
    # Two derivations agree: the names an exercise cell's code reads (ast), and the sample
    # class's search for "name(" in the cells.
    nb = read_notebook(path)
    calls = exercise_calls(nb)
    for name in calls:
        callers = {other for other in calls if name in callees(calls, other)}
        assert callers == exercises_depending_on(nb, {name}), name


def test_notebook_02_has_blocks_that_other_exercises_call():
    calls = exercise_calls(NB02)
    assert "linear_forward" in callees(calls, "L_model_forward")
    assert "linear_backward" in callees(calls, "L_model_backward")
    assert not callees(calls, "linear_forward")


def test_the_kernel_puts_every_name_back():
    def learners_f(x):
        return x

    namespace = {"f": learners_f, "kept": 3}
    before = dict(namespace)
    answer = knock_on_kernel.answer(namespace, {"op": "define", "source":
                                                "def f(x):\n    return 2 * x\nHELPER = 1"})
    assert answer == {"status": "defined"}
    assert namespace["f"](2) == 4 and namespace["HELPER"] == 1
    namespace["kept"] = 4  # the re-test itself changed a name: put back too
    assert knock_on_kernel.answer(namespace, {"op": "restore"}) == {"status": "restored"}
    assert namespace == before and namespace["f"] is learners_f
    # A definition that fails leaves nothing behind; a request without source is refused.
    failed = knock_on_kernel.answer(namespace, {"op": "define", "source": "g = 1\nnope()"})
    assert failed["status"] == "failed" and "NameError" in failed["message"]
    assert namespace == before
    assert knock_on_kernel.answer(namespace, {"op": "define"}) == {"status": "bad_request"}


class InProcess:
    """The sandbox's protocol answered by :func:`kernel_call.serve` in this process, on a
    namespace standing in for the learner's kernel (fast: no kernel, same requests)."""

    broken = None

    def __init__(self, namespace, folder):
        self.namespace, self.folder = namespace, folder

    def request(self, header, buffers=(), seconds=60.0):
        request, response = self.folder / "request.bin", self.folder / "response.bin"
        request.write_bytes(wire.pack(header, buffers))
        kernel_call.serve(self.namespace, str(request), str(response))
        return wire.read_frame_bytes(response.read_bytes())


def learner_namespace(wrong_source):
    """Notebook 02's solution as a learner's kernel would hold it, one block replaced."""
    namespace = {}
    exec("import numpy as np\nfrom dnn_utils import relu, relu_backward, sigmoid, "
         "sigmoid_backward", namespace)
    for source in exercise_sources(NB02).values():
        exec(source, namespace)
    exec(wrong_source, namespace)
    return namespace


def grade_in_process(session, names):
    results = []
    for name in names:
        verdict = run_graded_test(name, exercise_target(session, name, 60), graded)
        results.append({"name": name, "passed": verdict["passed"], "points": 0,
                        "feedback": verdict["feedback"], "mistake": verdict.get("mistake")})
    return results


def test_a_caller_of_a_wrong_block_is_its_knock_on_and_keeps_its_verdict(tmp_path):
    wrong = ("def linear_forward(A, W, b):\n    Z = W @ A\n    return Z, (A, W, b)\n")
    session = InProcess(learner_namespace(wrong), tmp_path)
    names = ["linear_forward", "linear_activation_forward", "L_model_forward", "compute_cost"]
    results = grade_in_process(session, names)
    assert [r["passed"] for r in results] == [False, False, False, True]
    learners_block = session.namespace["linear_forward"]
    label_knock_ons(session, NB02, results, timeout=60)
    by_name = {r["name"]: r for r in results}
    assert "knock_on" not in by_name["linear_forward"]
    root = by_name["linear_forward"]["mistake"]
    assert root == "linear_forward/missing-bias"
    for name in ("linear_activation_forward", "L_model_forward"):
        assert by_name[name]["knock_on"] == root
        assert by_name[name]["passed"] is False  # the label changes no verdict
        assert (f"your {name} is right given a correct linear_forward"
                in by_name[name]["feedback"])
    assert session.namespace["linear_forward"] is learners_block


def test_a_caller_with_its_own_mistake_is_not_a_knock_on(tmp_path):
    wrong = ("def linear_forward(A, W, b):\n    Z = W @ A\n    return Z, (A, W, b)\n\n\n"
             "def L_model_forward(X, parameters):\n"
             "    AL, caches = _right_L_model_forward(X, parameters)\n"
             "    return AL * 1.5, caches\n")
    namespace = learner_namespace("_right_L_model_forward = L_model_forward\n" + wrong)
    session = InProcess(namespace, tmp_path)
    results = grade_in_process(session, ["linear_forward", "linear_activation_forward",
                                         "L_model_forward"])
    label_knock_ons(session, NB02, results, timeout=60)
    by_name = {r["name"]: r for r in results}
    assert by_name["linear_activation_forward"]["knock_on"] == "linear_forward/missing-bias"
    assert "knock_on" not in by_name["L_model_forward"]


@pytest.mark.slow
def test_each_learners_single_slip_is_counted_once_at_its_root(graded_class, tmp_path):
    root, made, _, result = graded_class
    records = {r["learner"]: r for r in result["records"]}
    write_mistakes(result["records"], tmp_path / "mistakes.csv")
    rows = list(csv.DictReader((tmp_path / "mistakes.csv").open(encoding="utf-8")))
    write_report(result["records"], tmp_path / "class.html")
    page = (tmp_path / "class.html").read_text(encoding="utf-8")
    checked = 0
    for learner, m in made.items():
        if m["kind"] not in ("single_slip", "partly_wrong"):
            continue
        # The exercises the learner's own code got wrong: the cells that differ from the
        # solution's (the sample class changes only those).
        own = m["changed"]
        exercises = records[learner]["report"]["exercises"]
        failed = {e["name"]: e for e in exercises if not e["passed"]}
        assert sum(e["points"] for e in exercises) == m["score"]  # the verdict is unchanged
        assert {n for n, e in failed.items() if not e.get("knock_on")} == own, learner
        knock_ons = {n for n, e in failed.items() if e.get("knock_on")}
        assert knock_ons == set(failed) - own, learner
        mine = [r for r in rows if r["learner"] == learner]
        assert sorted(r["exercise"] for r in mine if not r["knock_on_of"]) == sorted(own)
        assert {r["exercise"] for r in mine if r["knock_on_of"]} == knock_ons
        if m["kind"] == "single_slip":
            (slip,) = own
            assert knock_ons and all(failed[n]["knock_on"] == failed[slip]["mistake"]
                                     for n in knock_ons)
            # In the report: the slip once among the mistakes, its callers as knock-ons.
            anchor = re.search(rf'<tr id="(learner-\d+)"><td>{learner}</td>', page)[1]
            top = page[page.index('<h2 id="top">'):page.index("<h2>Per notebook</h2>")]
            slip_rows = [row for row in re.findall(r"<tr class=\"(?:mistake|raised)\".*?</tr>",
                                                   top, re.S) if f'href="#{anchor}"' in row]
            assert len(slip_rows) == 1 and slip in slip_rows[0], slip_rows
            knock_rows = re.findall(r'<tr class="knock-on" data-exercise="(\w+)" '
                                    r'data-root="([^"]+)">.*?</tr>', top, re.S)
            assert {e for e, r in knock_rows if r == failed[slip]["mistake"]} >= knock_ons
        checked += 1
    assert checked == 2
