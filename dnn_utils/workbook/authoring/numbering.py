"""Exercise numbers come from the notebook: ``python -m dnn_utils.workbook number``.

An exercise's number is its place among the notebook's graded cells (1 for the first).
The number is written in two kinds of labels, which this module checks and rewrites:

* an exercise heading, a markdown line ``### Exercise N - `name```` (anything may follow
  the closing backquote, e.g. ``: a subtitle``), placed between the previous graded cell
  and the exercise cell;
* a question label, a markdown paragraph starting ``**Question N.**`` (the key-concepts
  notebook), placed the same way.

Counts in prose ("ten graded exercises") are rewritten too (:mod:`.prose_counts`).

A cross-reference names the function, never the number: ``exercise `compute_cost```. A
hand-written ``exercise 6`` (or ``notebook 02, exercise 2``) would go stale when an
exercise is inserted, so :func:`numbering_problems` reports it and :func:`renumber`
rewrites it to the name, reading the number as the headings wrote it before renumbering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .conventions import is_exercise_cell, is_graded_cell, nbgrader_metadata
from .prose_counts import rewrite_counts
from .reading import rewrite_reading_time

#: How a cell problem tells the author to fix every numbering problem at once.
NUMBER_COMMAND = "python -m dnn_utils.workbook number"

_HEADING = re.compile(r"^(###\s+Exercise\s+)(\d+)(\s+-\s+`(\w+)`)", re.MULTILINE)
_QUESTION = re.compile(r"^(\*\*Question\s+)(\d+)(\.\*\*)", re.MULTILINE)
# "exercise 6", "Exercise 6", "notebook 02, exercise 2": not a heading (no "### " before).
_CROSS_REF = re.compile(r"(?<!### )\b(?:(notebook\s+(\d+),?\s+))?([Ee]xercise)\s+(\d+)\b")
# "Questions 1 to 3", "question 4": not a label (no "**" before).
_QUESTION_REF = re.compile(r"(?<!\*\*)\b[Qq]uestions?\s+\d+\b")


@dataclass(frozen=True)
class Label:
    """An exercise heading or question label: in cell ``index``, written ``written``."""

    index: int
    kind: str  # "Exercise" or "Question"
    written: int
    name: str | None  # the function a heading names; None for a question label


def labels(nb) -> list[Label]:
    """Every exercise heading and question label of the notebook, in order."""
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for match in _HEADING.finditer(cell.source):
            found.append(Label(index, "Exercise", int(match.group(2)), match.group(4)))
        for match in _QUESTION.finditer(cell.source):
            found.append(Label(index, "Question", int(match.group(2)), None))
    return found


def _exercises(nb) -> list[tuple[int, str]]:
    """(cell index, name) of every graded cell, in order."""
    return [(index, nbgrader_metadata(cell).get("grade_id"))
            for index, cell in enumerate(nb.cells) if is_graded_cell(cell)]


def _label_of(nb) -> dict[int, tuple[int, str, Label | None]]:
    """For each graded exercise: its number, its name and the label before it (or None).

    The label of an exercise is the last one after the previous graded cell and before
    the exercise's own cell (its exercise cell, or the graded cell itself).
    """
    all_labels = labels(nb)
    result = {}
    start = 0
    for number, (index, name) in enumerate(_exercises(nb), start=1):
        first = index - 1 if index and is_exercise_cell(nb.cells[index - 1]) else index
        before = [label for label in all_labels if start <= label.index < first]
        result[index] = (number, name, before[-1] if before else None)
        start = index + 1
    return result


def written_numbers(nb) -> dict[int, str]:
    """{number as written in a heading: exercise name}, for resolving cross-references.

    A number two headings write is left out: a reference to it is ambiguous.
    """
    named = [label for label in labels(nb) if label.name]
    counts = [label.written for label in named]
    return {label.written: label.name for label in named if counts.count(label.written) == 1}


def numbering_problems(nb, stem: str = "", workbook: dict | None = None) -> list[str]:
    """Every exercise label with a wrong number or name, and every numbered cross-reference.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A solution notebook.
    stem : str, optional
        Its file stem, to resolve its own cross-references through ``workbook``.
    workbook : dict of str to dict, optional
        ``{"02": written_numbers(notebook 02), ...}`` for every notebook of the folder, so a
        problem can name the function a cross-reference means.

    Returns
    -------
    list of str
        One sentence per problem, naming the cell (counted from 1) and the fix.
    """
    problems = []
    owned = set()
    for number, name, label in _label_of(nb).values():
        if label is None:
            continue
        owned.add(label)
        if label.written != number:
            problems.append(
                f"cell {label.index + 1}: '{label.kind} {label.written}' should be "
                f"'{label.kind} {number}' (it is graded exercise {number} of the notebook); "
                f"run '{NUMBER_COMMAND}' to renumber every label")
        if label.name is not None and label.name != name:
            problems.append(
                f"cell {label.index + 1}: the heading names `{label.name}` but the exercise "
                f"after it is `{name}`; write '### {label.kind} {number} - `{name}`'")
    for label in labels(nb):
        if label not in owned:
            problems.append(
                f"cell {label.index + 1}: '{label.kind} {label.written}' is not directly "
                "before a graded exercise; move it to the markdown cell above the exercise "
                "cell, or delete it")
    workbook = dict(workbook or {})
    workbook.setdefault(stem.split("_", 1)[0], written_numbers(nb))
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for match in _CROSS_REF.finditer(cell.source):
            name = _resolve(match, stem, workbook)
            fix = (f"write '{match.group(3)} `{name}`' (run '{NUMBER_COMMAND}' to rewrite it)"
                   if name else "name the exercise's function instead, as in 'exercise "
                   "`compute_cost`' (no heading writes that number)")
            problems.append(f"cell {index + 1}: {match.group(0)!r} refers to an exercise by "
                            f"a number written by hand; {fix}")
        problems += [f"cell {index + 1}: {match.group(0)!r} refers to a question by a number "
                     "written by hand, which goes stale when a question is inserted; say what "
                     "it is about instead (e.g. 'the questions of this section')"
                     for match in _QUESTION_REF.finditer(cell.source)]
    return problems


def _resolve(match, stem: str, workbook: dict) -> str | None:
    """The exercise a cross-reference means, from the numbers the headings write."""
    prefix = stem.split("_", 1)[0] if match.group(2) is None else f"{int(match.group(2)):02d}"
    return workbook.get(prefix, {}).get(int(match.group(4)))


def renumber(notebooks: dict) -> list[str]:
    """Rewrite every label's number and every numbered cross-reference, in place.

    Parameters
    ----------
    notebooks : dict of str to nbformat.NotebookNode
        The workbook's notebooks by file stem (``"02_building_your_deep_network"``), so a
        reference ``notebook 02, exercise 2`` resolves against notebook 02.

    Returns
    -------
    list of str
        One line per change, ``"<stem>, cell N: 'old' -> 'new'"``. A cross-reference whose
        number no heading writes is left as it is (``check`` keeps reporting it).
    """
    # Cross-references mean the numbers as written, so read them all before any change.
    written = {stem.split("_", 1)[0]: written_numbers(nb) for stem, nb in notebooks.items()}
    changes = []
    for stem, nb in notebooks.items():

        def to_name(match, cell_label, stem=stem):
            name = _resolve(match, stem, written)
            if name is None:
                return match.group(0)
            new = f"{match.group(1) or ''}{match.group(3)} `{name}`"
            changes.append(f"{stem}, {cell_label}: {match.group(0)!r} -> {new!r}")
            return new

        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "markdown":
                cell.source = _CROSS_REF.sub(lambda m, i=index: to_name(m, f"cell {i + 1}"),
                                             cell.source)
        target = {label: number for number, _, label in _label_of(nb).values() if label}
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "markdown":
                continue
            mine = [label for label in labels(nb) if label.index == index]
            for kind, pattern in (("Exercise", _HEADING), ("Question", _QUESTION)):
                numbers = iter([target.get(label, label.written)
                                for label in mine if label.kind == kind])

                def swap(match, kind=kind, numbers=numbers, index=index):
                    new = next(numbers)
                    if new == int(match.group(2)):
                        return match.group(0)
                    changes.append(f"{stem}, cell {index + 1}: '{kind} {match.group(2)}' "
                                   f"-> '{kind} {new}'")
                    return f"{match.group(1)}{new}{match.group(3)}"

                cell.source = pattern.sub(swap, cell.source)
        changes += rewrite_counts(nb, stem)
        changes += rewrite_reading_time(nb, stem)
    return changes

