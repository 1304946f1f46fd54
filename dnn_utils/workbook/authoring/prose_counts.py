"""Counts in prose: "ten graded exercises in all", "answer 19 short questions".

A notebook's markdown may say how many graded exercises it holds, in a phrase
``<count> [graded|short] exercises|questions|functions`` (singular after ``one graded`` or
``one short`` only: "one function at a time" is no count), the count written in digits
(``19``) or as a word (``ten``, ``Two``). That count is the notebook's number of graded
cells: :func:`count_problems` reports a phrase that says otherwise, naming the cell, and
:func:`rewrite_counts` (run by ``python -m dnn_utils.workbook number``) rewrites it, keeping
its form (a word stays a word, a capital stays a capital). To count something else, write
it without such a phrase ("both blocks", "each question of this section").
"""

from __future__ import annotations

import re

from .conventions import is_graded_cell

_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen", "twenty"]
PHRASE = re.compile(
    r"\b(?P<count>\d+|" + "|".join(_WORDS) + r")(?P<between>\s+(?:(?:graded|short)\s+)?)"
    r"(?P<noun>exercise|question|function)(?P<plural>s?)\b", re.IGNORECASE)
#: How ``check`` tells the author to fix every count at once.
NUMBER_COMMAND = "python -m dnn_utils.workbook number"


def graded_count(nb) -> int:
    """The number of graded cells of the notebook: what its prose may count."""
    return sum(1 for cell in nb.cells if is_graded_cell(cell))


def _value(word: str) -> int:
    return int(word) if word.isdigit() else _WORDS.index(word.lower())


def _written(count: int, like: str) -> str:
    """``count`` in the form of ``like``: digits, or a word (capitalized like it)."""
    if like.isdigit() or count >= len(_WORDS):
        return str(count)
    word = _WORDS[count]
    return word.capitalize() if like[:1].isupper() else word


def _phrases(nb):
    """(cell index, match) of every count phrase in the notebook's markdown."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            for match in PHRASE.finditer(cell.source):
                if _is_count(match):
                    yield index, match


def _is_count(match) -> bool:
    # "one function at a time" is not a count; "one graded function" and "functions" are.
    return bool(match["plural"]) or bool(match["between"].strip())


def count_problems(nb) -> list[str]:
    """One problem per count phrase that is not the notebook's number of graded cells."""
    count = graded_count(nb)
    return [f"cell {index + 1}: {match.group(0)!r} says {_value(match['count'])}, but the "
            f"notebook has {count} graded exercise(s); run '{NUMBER_COMMAND}' to rewrite "
            "it, or write the sentence without a count"
            for index, match in _phrases(nb) if _value(match["count"]) != count]


def rewrite_counts(nb, stem: str) -> list[str]:
    """Rewrite every count phrase to the notebook's number of graded cells, in place.

    Returns
    -------
    list of str
        One line per change, ``"<stem>, cell N: 'old' -> 'new'"``.
    """
    count = graded_count(nb)
    changes = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue

        def swap(match, index=index):
            if not _is_count(match) or _value(match["count"]) == count:
                return match.group(0)
            plural = "s" if count != 1 else ""
            new = (f"{_written(count, match['count'])}{match['between']}{match['noun']}"
                   f"{plural}")
            changes.append(f"{stem}, cell {index + 1}: {match.group(0)!r} -> {new!r}")
            return new

        cell.source = PHRASE.sub(swap, cell.source)
    return changes
