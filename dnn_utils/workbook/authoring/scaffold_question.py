"""Scaffold a quiz question: ``python -m dnn_utils.workbook new-question NAME --notebook 06
--kind choice --answer b``.

It writes the three cells of docs/AUTHORING.md's "Add a quiz question" into the solution
notebook (the label ``**Question N.**`` with the question and, for a choice, one line per
option; the answer cell ``NAME = <answer>`` between the solution markers; the graded cell)
and a module ``dnn_utils/graded/NAME.py`` with the test, one call of
:mod:`dnn_utils.graded.questions`. The texts only the author can write (the question, the
options, why each answer is right or wrong, the nudge) are placeholders that ``check``
reports until they are written. Then it numbers the questions and rewrites the counts in
the notebook's prose.
"""

from __future__ import annotations

from nbformat.v4 import new_code_cell, new_markdown_cell

from .check import PLACEHOLDER
from .conventions import WorkbookError
from .scaffold import (
    check_name,
    exercise_metadata,
    graded_cell,
    insert_at,
    insert_cells,
    prepare,
    read_template,
    write_scaffold,
)

KINDS = ("choice", "number", "shape")
_HELPER = {"choice": "choice_question", "number": "number_question", "shape": "shape_question"}
_FORM = {"number": "a whole number", "shape": "a shape tuple"}


def parse_answer(kind: str, answer: str, options: str):
    """The right answer as a Python value, from the command line's text.

    Raises
    ------
    WorkbookError
        When ``answer`` is not a letter among ``options`` (choice), a whole number
        (number) or a shape such as ``5,3`` (shape).
    """
    if kind not in KINDS:
        raise WorkbookError(f"--kind {kind!r}: expected one of {', '.join(KINDS)}")
    text = str(answer).strip()
    if kind == "choice":
        if not (options.isalpha() and options.islower() and len(set(options)) == len(options)
                and len(options) >= 2):
            raise WorkbookError(f"--options {options!r}: expected two or more different "
                                "lowercase letters, e.g. abcd")
        if len(text) != 1 or text not in options:
            raise WorkbookError(f"--answer {answer!r}: expected one letter among "
                                f"{', '.join(options)}, e.g. --answer {options[0]}")
        return text
    try:
        numbers = [int(part) for part in text.strip("()").split(",") if part.strip()]
    except ValueError:
        numbers = []
    if kind == "number" and len(numbers) == 1 and "," not in text:
        return numbers[0]
    if kind == "shape" and numbers and all(n > 0 for n in numbers):
        return tuple(numbers)
    example = "7" if kind == "number" else "5,3"
    raise WorkbookError(f"--answer {answer!r}: expected {_FORM[kind]}, e.g. --answer {example}")


def _literal(value) -> str:
    """The answer as the notebook writes it: a letter in double quotes, else its repr."""
    return f'"{value}"' if isinstance(value, str) else repr(value)


def _label(name: str, kind: str, options: str) -> str:
    if kind == "choice":
        lines = "\n".join(f"* ({letter}) {PLACEHOLDER}: option {letter}" for letter in options)
        return f"**Question 0.** {PLACEHOLDER}: the question.\n\n{lines}"
    return f"**Question 0.** {PLACEHOLDER}: the question. ({_FORM[kind]})"


def _module(name: str, kind: str, answer, options: str, number: str) -> str:
    if kind == "choice":
        arguments = f'"{name}", "{options}", {_literal(answer)}'
        reasons = "".join(f'        "{letter}": "{PLACEHOLDER}: why ({letter}) is wrong, '
                          'without the right answer.",\n'
                          for letter in options if letter != answer)
        why_wrong = "{\n" + reasons + "    }"
    else:
        arguments = f'"{name}", {_literal(answer)}'
        why_wrong = ("{}  # " + PLACEHOLDER + ": the usual wrong answers and what each "
                     "one is, e.g. {3: \"that counts the hidden layers only\"}")
    return read_template("quiz_question.py.tmpl").format(
        name=name, number=number, helper=_HELPER[kind], arguments=arguments,
        why_wrong=why_wrong, placeholder=PLACEHOLDER)


def new_question(name: str, notebook: str, kind: str, answer: str, options: str = "abcd",
                 points: int = 1, after: str | None = None, source=None,
                 graded_dir=None) -> list[str]:
    """Add the quiz question ``name`` to a solution notebook and a graded-test module for it.

    Parameters
    ----------
    name : str
        The learner's variable, e.g. ``"tanh_range"``; its test is ``name_test``.
    notebook : str
        The notebook's number (``"06"``) or file stem.
    kind : {"choice", "number", "shape"}
        One letter among ``options``, a whole number, or a shape tuple.
    answer : str
        The right answer as written on the command line: ``b``, ``7`` or ``5,3``.
    options : str, optional
        The letters of a choice question's options.
    points, after, source, graded_dir
        As for :func:`dnn_utils.workbook.authoring.scaffold.new_exercise`, which also says what is
        returned and raised (here also for a bad kind, answer or options).
    """
    check_name(name)
    value = parse_answer(kind, answer, options)
    source, path, books, module = prepare(name, points, notebook, source, graded_dir)
    nb = books[path.stem]
    answer_cell = new_code_cell(
        f"# {name} = ...\n### BEGIN SOLUTION\n{name} = {_literal(value)}\n### END SOLUTION",
        id=f"{name}-solution"[:64], metadata=exercise_metadata(name))
    cells = [new_markdown_cell(_label(name, kind, options), id=f"{name}-question"[:64]),
             answer_cell, graded_cell(name, points)]
    insert_cells(nb, insert_at(nb, after, path), cells, name)
    text = _module(name, kind, value, options, path.stem.split("_", 1)[0])
    return write_scaffold(name, module, text, books, path, source)
