"""The quiz of notebook 06: right answers pass; a first miss explains without the answer,
a second miss gives it; the questions and their answers come from the solution notebook,
read by the rules ``check`` applies (:mod:`dnn_utils.workbook.authoring.quiz_rules`), and each test is
found by name, in whatever module of dnn_utils/graded/ defines it."""

import json
import re
from pathlib import Path

import pytest

from dnn_utils import graded
from dnn_utils.graded import questions
from dnn_utils.graded.feedback import GradedTestFailure
from dnn_utils.graded.questions import gives_answer
from dnn_utils.workbook.authoring import quiz_rules
from dnn_utils.workbook.authoring.conventions import read_notebook
from dnn_utils.workbook.authoring.prose_counts import count_problems

ROOT = Path(__file__).resolve().parent.parent
SOLUTION = ROOT / "notebooks" / "solutions" / "06_key_concepts.ipynb"
LEARNER = ROOT / "notebooks" / "06_key_concepts.ipynb"
NOTEBOOK = read_notebook(SOLUTION)
QUESTIONS = list(quiz_rules.questions(NOTEBOOK))
# {name: right answer} and {name: {letter: option text}}, read from the solution notebook.
RIGHT = {name: quiz_rules.answer_of(NOTEBOOK.cells[index].source, name)
         for _, index, name in QUESTIONS}
OPTIONS = {name: quiz_rules.options_of(NOTEBOOK.cells[label].source)
           for label, _, name in QUESTIONS if quiz_rules.options_of(NOTEBOOK.cells[label].source)}
SINGLE = [n for n, a in RIGHT.items() if isinstance(a, str) and len(a) == 1]


@pytest.fixture(autouse=True)
def fresh_kernel():
    """Every test starts as a fresh kernel would: no wrong answer counted yet."""
    questions.reset_misses()
    yield
    questions.reset_misses()


def run(name, answer):
    getattr(graded, f"{name}_test")(answer)


def failure(name, answer):
    with pytest.raises(GradedTestFailure) as info:
        run(name, answer)
    return str(info.value)


def wrong_answers(name):
    answer = RIGHT[name]
    if isinstance(answer, str):
        options = "abcdefg" if name == "hyperparameter_letters" else "abcd"
        if name == "hyperparameter_letters":
            return ["abde", "b", "bdefg", "a"]
        return [c for c in options if c != answer]
    known = list(getattr(graded, f"{name}_test").wrong_answers)
    other = (answer[0] + 7, answer[1]) if isinstance(answer, tuple) else answer + 11
    return known + [other]


def test_the_quiz_has_at_least_18_questions_each_found_by_name():
    assert len(RIGHT) >= 18
    # graded finds every test by name (no list to keep in step with the notebook).
    assert {f"{name}_test" for name in RIGHT} <= set(graded.__all__)
    # Every count of the notebook's prose is its number of questions (check's rule).
    assert count_problems(NOTEBOOK) == []


@pytest.mark.parametrize("name", RIGHT)
def test_the_right_answer_passes(name, capsys):
    run(name, RIGHT[name])
    assert capsys.readouterr().out.strip() == f"{name}_test: all tests passed."


@pytest.mark.parametrize("name", RIGHT)
def test_a_first_miss_explains_without_the_answer_and_a_second_miss_gives_it(name):
    answer = RIGHT[name]
    for wrong in wrong_answers(name):
        questions.reset_misses(name)
        first = failure(name, wrong)
        assert not gives_answer(first, answer), first
        assert "Hint:" in first and "second wrong answer shows the answer" in first, first
        second = failure(name, wrong)
        assert gives_answer(second, answer), second
        assert "Hint: the answer is" in second, second


@pytest.mark.parametrize("name", SINGLE)
def test_every_wrong_letter_gets_its_own_reason(name):
    seen = set()
    for letter in wrong_answers(name):
        questions.reset_misses()
        message = failure(name, letter)
        assert message.startswith(f"{name}: {letter!r} is not the best answer.")
        reason = message.splitlines()[1].strip()
        assert reason not in seen, message
        seen.add(reason)


def test_the_count_is_per_question_and_malformed_answers_do_not_count():
    failure("cache_content", 3)                  # not a letter: explained, not counted
    failure("cache_content", "ab")               # two letters: explained, not counted
    assert questions.MISSES.get("cache_content", 0) == 0
    assert not gives_answer(failure("cache_content", "b"), RIGHT["cache_content"])
    assert not gives_answer(failure("layer_loop", "a"), RIGHT["layer_loop"])
    assert gives_answer(failure("cache_content", "c"), RIGHT["cache_content"])


def test_the_verdict_does_not_depend_on_the_count():
    # A grader runs each cell once in a fresh process: a wrong answer fails then too,
    # and stays failed however often it is repeated; the right answer passes after misses.
    for _ in range(3):
        failure("number_of_layers", 5)
    run("number_of_layers", RIGHT["number_of_layers"])


def test_letters_are_forgiving_about_case_and_spaces_but_not_about_type():
    run("cache_content", f" {RIGHT['cache_content'].upper()} ")
    assert "pick exactly one letter" in failure("cache_content", "ab")
    assert "expected a string of letters" in failure("cache_content", 3)
    assert "expected letters among a, b, c, d" in failure("cache_content", "e")
    run("hyperparameter_letters", list(RIGHT["hyperparameter_letters"]))


def test_numbers_and_shapes_refuse_the_wrong_types():
    assert "expected a whole number" in failure("number_of_layers", "4")
    assert "expected a whole number" in failure("number_of_layers", True)
    assert "expected a shape tuple" in failure("W2_shape", "5, 3")
    run("W2_shape", list(RIGHT["W2_shape"]))


def test_the_options_are_listed_and_balanced():
    # check's rules: every one-letter question lists its options and its answer passes its
    # test; the right option is rarely the longest and no letter is the answer too often.
    assert set(SINGLE) <= set(OPTIONS)
    assert quiz_rules.answer_problems(NOTEBOOK, graded) == []
    assert quiz_rules.balance_problems(NOTEBOOK) == []


def test_the_helpers_refuse_an_incomplete_question():
    with pytest.raises(ValueError, match="why_wrong"):
        questions.choice_question("q", "abcd", "a", "why", {"b": "x", "c": "y"}, "nudge")
    with pytest.raises(ValueError, match="right answer"):
        questions.number_question("q", 3, "why", {3: "x"}, "nudge")
    # The first-miss texts never give the answer away, and no two wrong answers share one.
    with pytest.raises(ValueError, match="nudge gives the right answer 'a' away"):
        questions.choice_question("q", "ab", "a", "why", {"b": "x"}, "think of (a)")
    with pytest.raises(ValueError, match="why_wrong\\[5\\] gives the right answer 4"):
        questions.number_question("q", 4, "why", {5: "not 4"}, "nudge")
    with pytest.raises(ValueError, match="same reason for 'b' and 'c'"):
        questions.choice_question("q", "abc", "a", "why", {"b": "x", "c": "x"}, "nudge")


def test_the_learner_edition_does_not_show_the_answers():
    cells = json.loads(LEARNER.read_text(encoding="utf-8"))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    outputs = json.dumps([c.get("outputs", []) for c in cells])
    for name in RIGHT:
        assert f"graded.{name}_test({name})" in code
        # The only assignment left is the placeholder `name = ...` (not answered yet).
        assignments = re.findall(rf"^{name}\s*=.*$", code, re.MULTILINE)
        assert assignments == [f"{name} = ..."], (name, assignments)
        assert f"{name}_test: all tests passed" not in outputs
