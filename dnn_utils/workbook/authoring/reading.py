"""How long a notebook's required reading takes, and the first cell saying so.

Required reading is the words of the markdown cells outside asides
(:func:`required_words`). A first cell that says "N min of reading" (or "N of reading", "N
minutes of required reading") says what that takes at :data:`WORDS_PER_MINUTE`, to half a
minute: :func:`reading_time_problems` reports it otherwise, and
:func:`rewrite_reading_time` (run by ``number`` and ``execute``) rewrites it.
"""

from __future__ import annotations

import re

from .conventions import ASIDE_TAG, cell_tags
from .prose_counts import NUMBER_COMMAND

#: The reading speed the notebooks' stated reading times assume.
WORDS_PER_MINUTE = 200
_READING = re.compile(
    r"(?P<minutes>\d+(?:\.\d+)?)\s+(?:min(?:utes)?\s+)?of\s+(?:required\s+)?reading")



def required_words(nb) -> int:
    """Words of the markdown cells outside asides: what every learner reads."""
    return sum(len(cell.source.split()) for cell in nb.cells
               if cell.cell_type == "markdown" and ASIDE_TAG not in cell_tags(cell))


def reading_time_problems(nb) -> list[str]:
    """A problem when the first cell's "N min of reading" is not the reading time."""
    if not nb.cells:
        return []
    match = _READING.search(nb.cells[0].source)
    if match is None:
        return []
    words = required_words(nb)
    if _reading_time_holds(float(match["minutes"]), words):
        return []
    return [f"cell 1: says {match['minutes']} min of reading, but the required reading (markdown "
            f"outside asides) is {words} words, {_minutes(words):g} min at {WORDS_PER_MINUTE} "
            f"words a minute; run '{NUMBER_COMMAND}' (or execute the notebook) to rewrite it"]


def _minutes(words: int) -> float:
    """The reading time of ``words``, to the nearest half minute."""
    return round(2 * words / WORDS_PER_MINUTE) / 2


def _reading_time_holds(claimed: float, words: int) -> bool:
    return abs(claimed - words / WORDS_PER_MINUTE) <= 0.5


def rewrite_reading_time(nb, stem: str) -> list[str]:
    """Rewrite the first cell's "N min of reading" when it is not true, in place.

    Run by ``number`` and ``execute`` (the expected outputs it writes are read too), so
    the stated time is derived like the counts (:mod:`.prose_counts`); a time that holds
    is left as written.

    Returns
    -------
    list of str
        One line for the change, ``"<stem>, cell 1: '10 min' -> '10.5 min'"``, if any.
    """
    if not nb.cells:
        return []
    cell = nb.cells[0]
    match = _READING.search(cell.source)
    words = required_words(nb)
    if match is None or _reading_time_holds(float(match["minutes"]), words):
        return []
    new = f"{_minutes(words):g}"
    cell.source = cell.source[:match.start("minutes")] + new + cell.source[match.end("minutes"):]
    return [f"{stem}, cell 1: '{match['minutes']} min' -> '{new} min'"]
