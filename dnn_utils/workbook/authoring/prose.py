"""What a program can check in a solution notebook's text, for ``check``.

* **Sections cited exist.** "section 5", "Section 2's", "sections 3 and 4" in a cell (markdown
  or code) name a numbered heading of the same notebook (``## 5. Depth and width``). A
  citation of another notebook ("notebook 01, section 2") is left to the tests, which read
  every notebook.
* **The reading time is true** (:mod:`.reading`).
* **A quiz does not give its answer away.** For a one-letter question (read as
  :mod:`.quiz_rules` reads it: a ``**Question N.**`` label listing ``* (a) ...`` options,
  then its answer cell), the right option is neither visibly longer than every other one
  (:data:`LONGER`, measured as rendered: LaTeX markup dropped) nor the only option with a
  formula; :mod:`.quiz_rules` keeps the balance over the whole quiz.
* **Asides collapse, and hold their own cells.** An aside starts with a markdown heading
  ``Aside (optional)...`` tagged ``aside`` and marked collapsed
  (``jp-MarkdownHeadingCollapsed``, which JupyterLab honours); every cell its heading hides,
  up to the next heading of its level or higher, code cells included, is tagged ``aside``;
  and no cell is tagged ``aside`` outside one.

Every problem is one sentence naming the cell (numbered from 1) and the fix.
"""

from __future__ import annotations

import re

from .conventions import ASIDE_TAG, cell_tags
from .quiz_rules import answer_of, options_of, questions, shown_length
from .reading import reading_time_problems

COLLAPSED = "jp-MarkdownHeadingCollapsed"
#: The right option may be at most this many times as long as the longest other one.
LONGER = 1.1

_HEADING = re.compile(r"^(#{1,6})\s+(\d+)\.\s", flags=re.M)
_ANY_HEADING = re.compile(r"^(#{1,6})\s")
_CITATION = re.compile(
    r"(?P<other>notebook (?P<notebook>\d\d)(?:,|'s) )?(?<![\w-])[Ss]ections? "
    r"(?P<numbers>\d+(?:(?:, | and |, and )\d+)*)")


def prose_problems(nb) -> list[str]:
    """Every problem :mod:`this module <dnn_utils.workbook.authoring.prose>` finds in notebook ``nb``."""
    return (section_problems(nb) + reading_time_problems(nb) + quiz_option_problems(nb)
            + aside_problems(nb))


# ----------------------------------------------------------------------- sections


def section_headings(nb) -> dict:
    """``{number: cell}`` for every numbered heading (``## 5. Title``) of the notebook."""
    return {int(match[2]): cell for cell in nb.cells if cell.cell_type == "markdown"
            for match in _HEADING.finditer(cell.source)}


def section_citations(text: str) -> list[tuple[str | None, int]]:
    """The sections ``text`` cites, as ``(notebook, number)``; notebook None for its own."""
    return [(match["notebook"], int(number)) for match in _CITATION.finditer(text)
            for number in re.findall(r"\d+", match["numbers"])]


def section_problems(nb) -> list[str]:
    """A problem for each section a cell cites that the notebook has no heading for."""
    numbers = section_headings(nb)
    problems = []
    for index, cell in enumerate(nb.cells):
        for notebook, number in section_citations(cell.source):
            if notebook is None and number not in numbers:
                problems.append(
                    f"cell {index + 1}: cites section {number}, but the notebook's numbered "
                    f"headings are {sorted(numbers) or 'none'}; cite the section that says it "
                    "(or name it by its title)")
    return problems


# ----------------------------------------------------------------------- quiz options


def quiz_option_problems(nb) -> list[str]:
    """A problem for each question whose right option stands out from the others."""
    problems = []
    for label, index, name in questions(nb):
        try:
            key = answer_of(nb.cells[index].source, name)
        except ValueError:
            continue  # quiz_rules reports the answer cell
        options = options_of(nb.cells[label].source)
        if not isinstance(key, str) or len(options) < 2 or key not in options:
            continue
        others = {letter: text for letter, text in options.items() if letter != key}
        longest = max(shown_length(text) for text in others.values())
        length = shown_length(options[key])
        if length > LONGER * longest:
            problems.append(
                f"cell {label + 1}: the right option ({key}) is visibly longer than every other "
                f"one ({length} characters as shown, the longest other {longest}); shorten it "
                "or lengthen the others")
        if "$" in options[key] and not any("$" in text for text in others.values()):
            problems.append(
                f"cell {label + 1}: the right option ({key}) is the only one with a formula; "
                "give the others formulas too, or write the right one in words")
    return problems


# ----------------------------------------------------------------------- asides


def _heading_level(cell):
    match = _ANY_HEADING.match(cell.source) if cell.cell_type == "markdown" else None
    return len(match[1]) if match else None


def aside_problems(nb) -> list[str]:
    """Problems of the asides' structure (see the module's docstring)."""
    problems = []
    cells = nb.cells
    inside = set()
    previous_markdown = None
    for index, cell in enumerate(cells):
        # An aside starts at a tagged heading, or at a tagged cell after required text.
        starts = cell.cell_type == "markdown" and ASIDE_TAG in cell_tags(cell) and (
            _heading_level(cell) is not None or previous_markdown is None
            or ASIDE_TAG not in cell_tags(previous_markdown))
        if cell.cell_type == "markdown":
            previous_markdown = cell
        if not starts:
            continue
        level = _heading_level(cell)
        if level is None:
            problems.append(f"cell {index + 1}: an aside starts with a heading, e.g. '### Aside "
                            "(optional): ...', so that JupyterLab can collapse it")
            inside.add(index)
            continue
        if cell.metadata.get(COLLAPSED) is not True:
            problems.append(f"cell {index + 1}: an aside's heading is collapsed; set its metadata "
                            f"'{COLLAPSED}': true (in JupyterLab, collapse the heading and save)")
        inside.add(index)
        for later in range(index + 1, len(cells)):
            below = _heading_level(cells[later])
            if below is not None and below <= level:
                break
            inside.add(later)
            if ASIDE_TAG not in cell_tags(cells[later]):
                problems.append(
                    f"cell {later + 1}: the aside heading of cell {index + 1} hides this cell in "
                    f"JupyterLab; tag it '{ASIDE_TAG}', or end the aside before it with a "
                    f"heading of {'#' * level} or fewer")
    for index, cell in enumerate(cells):
        if ASIDE_TAG in cell_tags(cell) and index not in inside:
            problems.append(f"cell {index + 1}: tagged '{ASIDE_TAG}' outside any aside; remove "
                            "the tag, or move the cell under an aside's heading")
    return problems
