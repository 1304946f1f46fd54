"""What a learner meets in JupyterLab, checked without a browser (tests/test_browser.py
checks it in one): the learner edition's tags, counts and kernelspec, the placeholder
answer ``...``, and feedback that wraps at word boundaries.
"""

import io
import json
import re
import shutil
from contextlib import redirect_stdout
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from dnn_utils import graded
from dnn_utils.graded.failure import (
    FEEDBACK_WIDTH,
    GradedTestFailure,
    fail,
    wrap_feedback,
)
from dnn_utils.workbook import grade, strip_solutions
from dnn_utils.workbook.authoring.conventions import (
    STUB_RAISE,
    YOUR_CODE_HERE,
    is_graded_cell,
    read_notebook,
    solution_regions,
)
from dnn_utils.workbook.authoring.execute import execute
from dnn_utils.workbook.authoring.release import (
    KERNELSPEC,
    RAISES_TAG,
    kernelspec_problem,
    release,
)
from dnn_utils.workbook.sandbox import wire

REPO = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((REPO / "notebooks" / "solutions").glob("*.ipynb"))
GRADED_TESTS = sorted(name for name in graded.__all__ if name.endswith("_test"))
LONG_HINT = ("the number of names on the left of `=` does not match what comes back: "
             "linear_forward returns (Z, cache), NotImplementedError, transpose, return "
             "and more words so that the line is far wider than the feedback width.")


def words(lines):
    return " ".join(lines).split()


# ------------------------------------------------------------------ wrapping


def test_wrap_feedback_breaks_only_between_words_and_keeps_blocks():
    block = "    expected: [[ 0.12345678  0.23456789  0.34567891  0.45678912  0.56789123  0.6]]"
    text = f"f: Z has the wrong values.\n{block}\nHint: {LONG_HINT}"
    lines = wrap_feedback(text)
    assert block in lines, "an indented block (an array, a line of code) is kept whole"
    prose = [line for line in lines if line != block]
    assert all(len(line) <= FEEDBACK_WIDTH for line in prose)
    assert len(prose) > 2, "the hint was wrapped"
    # No word was split: the words read the same as before wrapping.
    assert words(prose) == words([text.splitlines()[0], text.splitlines()[2]])
    assert all(line.startswith("  ") for line in prose[2:])


def test_a_word_longer_than_the_width_is_not_split():
    word = "x" * 100
    assert wrap_feedback(f"Hint: {word} end") == ["Hint:", f"  {word}", "  end"]


def test_a_graded_failure_renders_wrapped_for_ipython():
    with pytest.raises(GradedTestFailure) as failure:
        fail("linear_forward", "Z has the wrong values.", details=["expected: 1", "got: 2"],
             hint=LONG_HINT)
    rendered = failure.value._render_traceback_()
    assert rendered[:3] == ["linear_forward: Z has the wrong values.", "    expected: 1",
                            "    got: 2"]
    assert all(len(line) <= FEEDBACK_WIDTH for line in rendered)
    assert words(rendered[3:]) == ["Hint:"] + LONG_HINT.split()


# ------------------------------------------------------------------ not answered yet


@pytest.mark.parametrize("name", GRADED_TESTS)
def test_every_graded_test_says_not_answered_yet_in_one_line(name):
    test = getattr(graded, name)
    for placeholder in (..., wire.decode(*wire.encode(...))):  # in the kernel, in the grader
        with redirect_stdout(io.StringIO()) as printed, pytest.raises(GradedTestFailure) as failure:
            test(placeholder)
        assert printed.getvalue() == ""
        rendered = failure.value._render_traceback_()
        assert len(rendered) == 1 and len(rendered[0]) <= FEEDBACK_WIDTH, rendered
        assert f"`{name[:-len('_test')]}`: not answered yet" in rendered[0]


@pytest.mark.parametrize("name", ["linear_activation_backward", "layer_dims_from_parameters"])
def test_an_unfinished_function_says_so_in_one_line(name):
    def stub(*args, **kwargs):
        raise NotImplementedError("Replace this line with your code")

    with pytest.raises(GradedTestFailure) as failure:
        graded.feedback.call(stub, name)
    assert failure.value._render_traceback_() == [
        f"{name} is not implemented yet: write it above."]


# ------------------------------------------------------------------ the learner edition


def tiny_solution():
    cells = [
        new_markdown_cell("# Tiny"),
        new_code_cell("import numpy as np", execution_count=1, outputs=[
            nbformat.v4.new_output("execute_result", data={"text/plain": "1"},
                                   execution_count=1)]),
        new_code_cell("# answer = ...\n### BEGIN SOLUTION\nanswer = 3\nshape = (2, 1)\n"
                      "### END SOLUTION", execution_count=2,
                      metadata={"nbgrader": {"solution": True, "grade": False,
                                             "grade_id": "answer_solution"}}),
        new_code_cell("graded.answer_test(answer)", execution_count=3, metadata={
            "nbgrader": {"grade": True, "solution": False, "grade_id": "answer", "points": 1},
            "tags": ["keep-me"]}),
        new_code_cell("kinds = {'W1': '?'}\n### BEGIN SOLUTION\nkinds = {'W1': 'parameter'}\n"
                      "### END SOLUTION", metadata={"nbgrader": {"solution": True}}),
        new_code_cell("def f(x):\n    ### BEGIN SOLUTION\n    y = 2 * x\n    ### END SOLUTION\n"
                      "    return y", metadata={"nbgrader": {"solution": True}}),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    return nb


def test_release_stubs_an_answer_as_the_placeholder_and_a_function_as_raise():
    learner = strip_solutions(tiny_solution())
    assert learner.cells[2].source == f"# answer = ...\n{YOUR_CODE_HERE}\nanswer = ...\nshape = ..."
    # A template given above the region is what the learner edits: it is not overwritten.
    assert learner.cells[4].source == f"kinds = {{'W1': '?'}}\n{YOUR_CODE_HERE}"
    # Inside a function the stub raises, so the function never goes on with a placeholder.
    assert learner.cells[5].source == f"def f(x):\n    {YOUR_CODE_HERE}\n    {STUB_RAISE}\n" \
                                      "    return y"


def test_release_tags_graded_cells_clears_counts_and_stores_the_kernelspec():
    solution = tiny_solution()
    learner = strip_solutions(solution)
    assert learner.cells[3].metadata.tags == ["keep-me", RAISES_TAG]
    assert "tags" not in learner.cells[2].metadata
    code = [cell for cell in learner.cells if cell.cell_type == "code"]
    assert all(cell.execution_count is None for cell in code)
    assert learner.cells[1].outputs[0].execution_count is None
    assert learner.cells[1].outputs[0].data == {"text/plain": "1"}, "the output itself stays"
    assert learner.metadata.kernelspec == KERNELSPEC
    assert kernelspec_problem(learner) is None
    assert solution.cells[1].execution_count == 1, "the solution notebook is not changed"
    assert solution.metadata.kernelspec.display_name == "Python 3"


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_the_workbook_learner_edition_follows_the_rules(path):
    solution = read_notebook(path)
    learner = strip_solutions(solution, path.name)
    assert learner.metadata.kernelspec == KERNELSPEC
    for index, (before, after) in enumerate(zip(solution.cells, learner.cells)):
        if after.cell_type != "code":
            continue
        assert after.execution_count is None, index
        assert all(o.get("execution_count") is None for o in after.outputs), index
        assert (RAISES_TAG in after.metadata.get("tags", [])) == is_graded_cell(after), index
        for begin, end, indent in solution_regions(before.source):
            body = before.source.splitlines()[begin + 1:end]
            answer = re.fullmatch(r"(\w+) = .*", body[0]) if not indent else None
            if answer and len(body) == 1 and f"{answer[1]} = " not in \
                    "\n".join(before.source.splitlines()[:begin]):
                assert f"{answer[1]} = ..." in after.source.splitlines(), (index, after.source)


def test_kernelspec_problem_names_what_is_stored_and_the_fix():
    nb = tiny_solution()
    message = kernelspec_problem(nb)
    assert "'Python 3'" in message and "Python 3 (ipykernel)" in message and "execute" in message
    nb.metadata.pop("kernelspec")
    assert "None" in kernelspec_problem(nb)


def test_execute_stores_jupyterlabs_kernelspec(tmp_path):
    path = tmp_path / "plain.ipynb"
    nb = new_notebook(cells=[new_code_cell("print(1 + 1)")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, str(path))
    execute([path], timeout=120)
    stored = json.loads(path.read_text())
    assert stored["metadata"]["kernelspec"] == KERNELSPEC
    assert "".join(stored["cells"][0]["outputs"][0]["text"]) == "2\n"


@pytest.mark.slow
@pytest.mark.parametrize("sandbox", [pytest.param(True, marks=pytest.mark.needs_bwrap), False],
                         ids=["sandbox", "no-sandbox"])
def test_the_unanswered_quiz_scores_nothing_and_says_not_answered(tmp_path, sandbox):
    quiz = next(p for p in SOLUTIONS if p.stem.startswith("06"))
    release(quiz.parent, tmp_path / "learner")
    copy = tmp_path / "mine" / quiz.name
    copy.parent.mkdir()
    shutil.copyfile(tmp_path / "learner" / quiz.name, copy)
    report = grade(copy, timeout=120, sandbox=sandbox)
    assert report["exercises"] and report["score"] == 0
    for exercise in report["exercises"]:
        assert exercise["points"] == 0 and not exercise["passed"]
        assert "not answered yet" in exercise["feedback"], exercise
