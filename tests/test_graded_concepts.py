"""The key-concept questions of notebook 6: right answers pass, wrong ones are explained."""

import re

import pytest

from dnn_utils import graded
from dnn_utils.graded import concepts
from dnn_utils.graded.feedback import GradedTestFailure


def _answers():
    """{question: answer} from the answer cells of the solution notebook 06."""
    import ast
    from pathlib import Path

    from dnn_utils.workbook.conventions import is_exercise_cell, read_notebook

    path = Path(__file__).resolve().parents[1] / "notebooks" / "solutions" / "06_key_concepts.ipynb"
    answers = {}
    for cell in read_notebook(path).cells:
        if is_exercise_cell(cell):
            for node in ast.parse(cell.source).body:
                if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
                    answers[node.targets[0].id] = ast.literal_eval(node.value)
    return answers


# The right answers are the solution notebook's: changing one changes no line here.
RIGHT = _answers()


def run(name, answer):
    getattr(concepts, f"{name}_test")(answer)


def failure(name, answer):
    with pytest.raises(GradedTestFailure) as info:
        run(name, answer)
    return str(info.value)


def test_there_are_at_least_ten_questions_and_all_are_exported():
    assert len(RIGHT) >= 10
    assert set(concepts.__all__) == {f"{name}_test" for name in RIGHT}
    for name in RIGHT:
        assert callable(getattr(graded, f"{name}_test"))


@pytest.mark.parametrize("name", RIGHT)
def test_the_right_answer_passes(name, capsys):
    run(name, RIGHT[name])
    assert capsys.readouterr().out.strip() == f"{name}_test: all tests passed."


@pytest.mark.parametrize("name", [n for n, a in RIGHT.items() if isinstance(a, str)])
def test_every_wrong_letter_is_refused_with_the_reasoning(name):
    options = "abcdefg" if name == "hyperparameter_letters" else "abcd"
    for letter in options:
        if letter == RIGHT[name] or name == "hyperparameter_letters":
            continue
        message = failure(name, letter)
        assert message.startswith(f"{name}: {letter!r} is not the best answer.")
        # the hint gives the right letter and why; the wrong choice is explained first
        assert re.search(rf"Hint: the answer is '{RIGHT[name]}': \w", message), message
        assert len(message.splitlines()) >= 3, message


def test_letters_are_forgiving_about_case_and_spaces_but_not_about_type():
    run("cache_content", " C ")
    assert "pick exactly one letter" in failure("cache_content", "ab")
    assert "expected a string of letters" in failure("cache_content", 3)
    assert "expected letters among a, b, c, d" in failure("cache_content", "e")


def test_hyperparameter_letters_names_missing_and_extra_letters():
    message = failure("hyperparameter_letters", "abde")
    assert "missing g" in message and "should not include a" in message
    assert "W[1] is a parameter" in message and "activation" in message
    run("hyperparameter_letters", ["g", "e", "d", "b"])


@pytest.mark.parametrize(
    "name, answer, pattern",
    [
        ("number_of_layers", 4, r"counts the input layer"),
        ("number_of_layers", 2, r"counts only the hidden layers"),
        ("number_of_layers", "3", r"expected a whole number"),
        ("W2_shape", (5, 3), r"transposed"),
        ("W2_shape", [3, 5], None),
        ("W2_shape", "3, 5", r"expected a shape tuple"),
        ("A1_shape", (10, 5), r"examples are columns"),
        ("A1_shape", (5, 1), r"10 columns"),
        ("number_of_parameters", 38, r"weights only"),
        ("logistic_regression_layers", 2, r"counts the input"),
    ],
)
def test_numbers_and_shapes_explain_the_usual_mistakes(name, answer, pattern):
    if pattern is None:
        run(name, answer)
        return
    message = failure(name, answer)
    assert re.search(pattern, message), message
    if "expected a" not in pattern:
        assert "Hint:" in message


def test_the_learner_edition_does_not_show_the_answers():
    import json
    from pathlib import Path

    learner = Path(__file__).resolve().parent.parent / "notebooks" / "06_key_concepts.ipynb"
    cells = json.loads(learner.read_text(encoding="utf-8"))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    outputs = json.dumps([c.get("outputs", []) for c in cells])
    for name in RIGHT:
        assert f"graded.{name}_test({name})" in code
        assert not re.search(rf"^{name}\s*=", code, re.MULTILINE), name
        assert f"{name}_test: all tests passed" not in outputs
