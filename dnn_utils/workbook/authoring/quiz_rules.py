"""Rules for quiz questions, for ``check`` to report before a test fails.

A question is a graded exercise whose label is ``**Question N.**`` (the markdown cell right
above its answer cell). Its answer cell holds one line between the solution markers,
``name = <a Python literal>``, so the tests read the right answers from the notebook (no
answer table). Then:

* the solution's answer passes its graded test (:func:`answer_problems`);
* a one-letter question lists its options in its label's cell, one line each,
  ``* (a) ...``, the right letter among them (:func:`answer_problems`);
* over the notebook, the right option is not a give-away: it is the strictly longest one
  (as rendered, LaTeX markup left out) in at most a quarter of the one-letter questions,
  and no letter is the answer of more than a third of them plus one (:func:`balance_problems`).
"""

from __future__ import annotations

import ast
import contextlib
import io
import re

from .conventions import is_exercise_cell, nbgrader_metadata, solution_regions
from .numbering import labels

_OPTION = re.compile(r"^\* \(([a-g])\) (.+)$", re.MULTILINE)


def questions(nb):
    """(label cell index, answer cell index, name) of every question of the notebook."""
    label_cells = {label.index for label in labels(nb) if label.kind == "Question"}
    for index, cell in enumerate(nb.cells):
        if is_exercise_cell(cell) and index - 1 in label_cells:
            grade_id = str(nbgrader_metadata(cell).get("grade_id", ""))
            yield index - 1, index, grade_id.removesuffix("_solution")


def answer_of(source: str, name: str):
    """The literal a question's answer cell assigns to ``name`` between the markers.

    Raises
    ------
    ValueError
        When the solution region is not one line ``name = <literal>``.
    """
    lines = source.splitlines()
    regions = solution_regions(source)
    body = [lines[b + 1:e] for b, e, _ in regions]
    if len(body) != 1 or len(body[0]) != 1 or not body[0][0].startswith(f"{name} = "):
        raise ValueError(f"its solution region should be one line '{name} = <answer>'")
    try:
        return ast.literal_eval(body[0][0].split(" = ", 1)[1])
    except (ValueError, SyntaxError):
        raise ValueError(f"the answer of {name} should be a Python literal (a letter in "
                         "quotes, a whole number or a shape tuple)") from None


def shown_length(option: str) -> int:
    """Characters of an option as the reader sees it: LaTeX commands and braces dropped."""
    return len(re.sub(r"\\[a-zA-Z]+|[${}^_]", "", option))


def options_of(markdown: str) -> dict[str, str]:
    """``{letter: text}`` of the ``* (a) text`` lines of a question's label cell."""
    return dict(_OPTION.findall(markdown))


def _run_test(graded, name: str, answer) -> str | None:
    """The first line of the failure of ``graded.<name>_test(answer)``, or None."""
    from ...graded.questions import reset_misses

    test = getattr(graded, f"{name}_test", None)
    if test is None:
        return None  # check reports the missing test itself
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            test(answer)
    except AssertionError as failure:
        return (str(failure).splitlines() or [""])[0]
    finally:
        reset_misses(name)  # a check leaves no wrong answer counted
    return None


def answer_problems(nb, graded) -> list[str]:
    """Each question's answer is a literal that passes its test; its options are listed."""
    problems = []
    for label_index, index, name in questions(nb):
        try:
            answer = answer_of(nb.cells[index].source, name)
        except ValueError as exc:
            problems.append(f"cell {index + 1}: {exc}, e.g. '{name} = \"b\"'")
            continue
        failure = _run_test(graded, name, answer)
        if failure is not None:
            problems.append(f"cell {index + 1}: the solution's answer {answer!r} fails "
                            f"graded.{name}_test ({failure}); fix the answer or the test")
        if isinstance(answer, str) and len(answer) == 1:
            options = options_of(nb.cells[label_index].source)
            if answer not in options:
                problems.append(
                    f"cell {label_index + 1}: list the options of question `{name}` one per "
                    "line, '* (a) ...', '* (b) ...', with the right letter "
                    f"{answer!r} among them")
    return problems


def balance_problems(nb) -> list[str]:
    """The right options, over the notebook, are neither the longest nor one letter."""
    single = {}
    for label_index, index, name in questions(nb):
        try:
            answer = answer_of(nb.cells[index].source, name)
        except ValueError:
            continue
        options = options_of(nb.cells[label_index].source)
        if isinstance(answer, str) and answer in options:
            single[name] = (answer, options)
    if not single:
        return []
    longest = sorted(name for name, (answer, options) in single.items()
                     if all(shown_length(options[answer]) > shown_length(text)
                            for letter, text in options.items() if letter != answer))
    problems = []
    if len(longest) > len(single) // 4:
        problems.append(
            f"the right option is the strictly longest one in {len(longest)} of "
            f"{len(single)} one-letter questions ({', '.join(longest)}), more than a quarter: "
            "a learner could guess it; lengthen a wrong option or shorten the right one")
    letters = [answer for answer, _ in single.values()]
    most = max(set(letters), key=letters.count)
    if letters.count(most) > len(single) // 3 + 1:
        problems.append(
            f"{most!r} is the answer of {letters.count(most)} of {len(single)} one-letter "
            f"questions, more than {len(single) // 3 + 1}: reorder some questions' options")
    return problems


def quiz_problems(nb, graded) -> list[str]:
    """Every problem of the quiz rules (see the module docstring)."""
    return answer_problems(nb, graded) + balance_problems(nb)
