"""Quiz questions in one call each: a letter, a whole number or a shape.

An instructor adds a question to notebook 06 with one call, e.g.::

    cache_content_test = choice_question(
        "cache_content", "abcd", answer="a",
        why_right="the backward step needs Z[l] for g'(Z[l]) ...",
        why_wrong={"b": "...", "c": "...", "d": "..."},
        nudge="ask what the backward step computes first.")

and the learner answers ``cache_content = "..."`` and runs ``graded.cache_content_test(cache_content)``.

A quiz makes the learner think before it tells. So a wrong answer is answered in two steps,
counted per question in the learner's kernel (module-level state, :data:`MISSES`):

* **first miss**: why that choice is wrong (``why_wrong``) and a nudge (``nudge``), without the
  right answer: ``why_wrong`` and ``nudge`` must not contain it (the tests check);
* **second miss** (any wrong answer, after a first one): the right answer and ``why_right``.

A malformed answer (a number where a letter is expected, ...) is explained but not counted.
The verdict never depends on the count: a wrong answer fails every time, so an instructor who
grades a notebook (in a fresh process) gets the same verdict, only the first-miss message.
"""

import numbers
import re

from .feedback import fail, graded_test

__all__ = [
    "MISSES",
    "choice_question",
    "gives_answer",
    "letters_of",
    "miss",
    "number_question",
    "reset_misses",
    "shape_question",
]

#: Wrong answers given so far in this kernel, by question name.
MISSES = {}

SECOND_TRY = "Think it over and run the cells again; a second wrong answer shows the answer."


def reset_misses(name=None):
    """Forget the wrong answers given so far (for question ``name``, or for all questions)."""
    if name is None:
        MISSES.clear()
    else:
        MISSES.pop(name, None)


def miss(name, problem, why_wrong, nudge, answer_text, why_right):
    """Count a wrong answer to ``name`` and fail with the message its count calls for.

    Parameters
    ----------
    name : str
        The question (the learner's variable).
    problem : str
        One sentence naming the wrong answer, e.g. ``"'b' is not the best answer."``.
    why_wrong : str or None
        Why this answer is wrong; must not give the right answer.
    nudge : str
        Where to look; must not give the right answer.
    answer_text : str
        The right answer as the learner would write it, e.g. ``"'c'"`` or ``"(3, 5)"``.
    why_right : str
        The explanation shown with the right answer after the second miss.
    """
    MISSES[name] = MISSES.get(name, 0) + 1
    details = [why_wrong] if why_wrong else []
    if MISSES[name] == 1:
        fail(name, problem, details=details + [SECOND_TRY], hint=nudge)
    fail(name, problem, details=details, hint=f"the answer is {answer_text}: {why_right}")


def letters_of(name, got, options):
    """The learner's answer as a set of lowercase letters among ``options``.

    ``"b"``, ``" B "``, ``"b, d"`` and ``["b", "d"]`` are all accepted; anything else
    fails with an example of the expected form.
    """
    if isinstance(got, str):
        letters = [c for c in got.lower() if not c.isspace() and c not in ",;"]
    elif isinstance(got, (set, list, tuple, frozenset)) and all(isinstance(c, str) for c in got):
        letters = [c.strip().lower() for c in got]
    else:
        fail(name, f"{name} is {got!r} ({type(got).__name__}), expected a string of letters "
             f"among {', '.join(options)}.",
             hint=f'write the letter in quotes, e.g. {name} = "x" with x one of the letters.')
    bad = [c for c in letters if c not in options]
    if bad or not letters:
        fail(name, f"{name} is {got!r}, expected letters among {', '.join(options)}.",
             hint="write the letter(s) in quotes, one of the options' letters.")
    return set(letters)


def _named(name, test, doc, wrong_answers):
    test.__name__ = test.__qualname__ = f"{name}_test"
    test.__doc__ = doc
    # The wrong answers that get their own reason (for the tests of the questions).
    test.wrong_answers = tuple(wrong_answers)
    return test


def gives_answer(text, answer):
    """True when ``text`` states ``answer`` (a letter in quotes or parentheses, a whole
    number standing alone, or a shape tuple)."""
    if isinstance(answer, tuple):
        pattern = r"\(\s*" + r"\s*,\s*".join(map(str, answer)) + r"\s*\)"
        return re.search(pattern, text) is not None
    if isinstance(answer, int):
        return re.search(rf"(?<![\w.\[]){answer}(?![\w.\]])", text) is not None
    return any(f"{q}{answer}{q}" in text for q in ("'", '"')) or f"({answer})" in text


def _check_reasons(name, why_wrong, answer, nudge):
    """Refuse a question whose first-miss texts would give the answer away or repeat."""
    if answer in why_wrong:
        raise ValueError(f"why_wrong of question {name!r} explains the right answer {answer!r}; "
                         "give reasons for the wrong answers only.")
    for label, text in [("nudge", nudge), *((f"why_wrong[{k!r}]", v) for k, v in why_wrong.items())]:
        if gives_answer(str(text), answer):
            raise ValueError(f"question {name!r}: {label} gives the right answer {answer!r} "
                             "away; a first wrong answer must not show it. Rephrase it.")
    seen = {}
    for wrong, text in why_wrong.items():
        if text in seen:
            raise ValueError(f"question {name!r}: why_wrong gives the same reason for "
                             f"{seen[text]!r} and {wrong!r}; give each wrong answer its own.")
        seen[text] = wrong


def choice_question(name, options, answer, why_right, why_wrong, nudge):
    """The graded test ``<name>_test(got)`` of a question with one right letter.

    Parameters
    ----------
    name : str
        The learner's variable, e.g. ``"cache_content"``.
    options : str
        The letters of the options, e.g. ``"abcd"``.
    answer : str
        The right letter, one of ``options``.
    why_right : str
        Why the right option is right (shown after the second miss).
    why_wrong : dict of str to str
        For every wrong letter, why it is wrong, without naming the right option.
    nudge : str
        A hint that helps without giving the answer (shown after the first miss).

    Returns
    -------
    callable
        The graded test, to be named ``<name>_test`` in the module that defines it.
    """
    if answer not in options or set(why_wrong) != set(options) - {answer}:
        raise ValueError(f"question {name!r}: answer must be one of {options!r} and why_wrong "
                         f"must explain every other letter; got answer {answer!r} and "
                         f"why_wrong for {sorted(why_wrong)}.")
    _check_reasons(name, why_wrong, answer, nudge)

    @graded_test(name, expects_function=False)
    def check(got):
        letters = letters_of(name, got, options)
        if len(letters) != 1:
            fail(name, f"{name} is {got!r}: pick exactly one letter.",
                 hint="one option is the best answer; write its letter alone, in quotes.")
        (letter,) = letters
        if letter != answer:
            miss(name, f"{letter!r} is not the best answer.", why_wrong[letter], nudge,
                 repr(answer), why_right)

    return _named(name, check, f"Graded test of the quiz question ``{name}`` (one letter).",
                  why_wrong)


def number_question(name, answer, why_right, why_wrong, nudge):
    """The graded test ``<name>_test(got)`` of a question whose answer is a whole number.

    Parameters
    ----------
    name : str
        The learner's variable, e.g. ``"number_of_layers"``.
    answer : int
        The right number.
    why_right : str
        The reasoning that gives it (shown after the second miss).
    why_wrong : dict of int to str
        The usual wrong numbers and what each one counts, without the right number.
    nudge : str
        What to count, without the right number (shown after the first miss).
    """
    _check_reasons(name, why_wrong, answer, nudge)

    @graded_test(name, expects_function=False)
    def check(got):
        if isinstance(got, bool) or not isinstance(got, numbers.Integral):
            fail(name, f"{name} is {got!r} ({type(got).__name__}), expected a whole number.",
                 hint=f"write the number without quotes, e.g. {name} = 0.")
        if got != answer:
            miss(name, f"{name} = {got} is wrong.", why_wrong.get(int(got)), nudge,
                 str(answer), why_right)

    return _named(name, check, f"Graded test of the quiz question ``{name}`` (a number).",
                  why_wrong)


def shape_question(name, answer, why_right, why_wrong, nudge):
    """The graded test ``<name>_test(got)`` of a question whose answer is a shape tuple.

    Parameters
    ----------
    name : str
        The learner's variable, e.g. ``"W2_shape"``.
    answer : tuple of int
        The right shape, e.g. ``(5, 3)``.
    why_right : str
        The reasoning that gives it (shown after the second miss).
    why_wrong : dict of tuple to str
        The usual wrong shapes and what each one is, without the right shape.
    nudge : str
        Where rows and columns come from, without the right shape (after the first miss).
    """
    answer = tuple(answer)
    _check_reasons(name, why_wrong, answer, nudge)

    @graded_test(name, expects_function=False)
    def check(got):
        if isinstance(got, list):
            got = tuple(got)
        if not isinstance(got, tuple) or not all(
            isinstance(n, numbers.Integral) and not isinstance(n, bool) for n in got
        ):
            fail(name, f"{name} is {got!r}, expected a shape tuple of whole numbers.",
                 hint=f"write the shape as a tuple, e.g. {name} = (rows, columns) with numbers.")
        if got != answer:
            miss(name, f"{name} = {got} is wrong.", why_wrong.get(got), nudge,
                 str(answer), why_right)

    return _named(name, check, f"Graded test of the quiz question ``{name}`` (a shape).",
                  why_wrong)
