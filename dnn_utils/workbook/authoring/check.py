"""Check that a solution notebook follows the workbook's notebook conventions.

The conventions (see :mod:`dnn_utils.workbook.authoring.conventions`): notebook metadata
``dnn_workbook.notebook`` is the file stem; every exercise cell (nbgrader solution,
``grade_id`` ``<name>_solution``) has a solution region and is immediately followed by its
graded cell (nbgrader grade, ``grade_id`` ``<name>``, positive integer points, locked) whose
source is exactly ``graded.<name>_test(<name>)``, after ``from dnn_utils import graded``;
and ``dnn_utils.graded`` has that test; a cell tagged ``grader-may-skip`` is one the grade
can do without (:func:`dnn_utils.workbook.grading.skipping.mark_problems`).
"""

from __future__ import annotations

import ast
import re

from ..grading.skipping import mark_problems
from .conventions import (
    ASIDE_TAG,
    cell_tags,
    is_exercise_cell,
    is_graded_cell,
    nbgrader_metadata,
    solution_regions,
)
from .notebook_rules import notebook_rule_problems, python_source, stdout_of
from .numbering import numbering_problems
from .prose import prose_problems
from .prose_counts import count_problems
from .quiz_rules import quiz_problems

#: First words of the markdown cell above a "see your result" cell.
SEE_RESULT = "**See your result.**"
#: The words an optional markdown cell (tagged ``aside``) starts with.
ASIDE_START = "Aside (optional)"

GRADED_IMPORT = "from dnn_utils import graded"
#: The mark of a placeholder that ``new-exercise`` and ``new-question`` write for the
#: author to fill in.
PLACEHOLDER = "TODO(new-exercise)"


def placeholder_problems(text: str, where: str) -> list[str]:
    """One problem per line of ``text`` that still holds the scaffold's placeholder."""
    return [f"{where}, line {number}: still holds the placeholder '{PLACEHOLDER}' that "
            "new-exercise or new-question wrote; replace it with the real text or code"
            for number, line in enumerate(text.splitlines(), start=1) if PLACEHOLDER in line]


def imports_graded(source: str) -> bool:
    """Whether a code cell binds the name ``graded`` to ``dnn_utils.graded``.

    Accepts ``from dnn_utils import graded`` alone or among other names (as an import
    sorter writes it); IPython magics and shell lines are skipped.
    """
    python = python_source(source)
    try:
        tree = ast.parse(python)
    except SyntaxError:
        return GRADED_IMPORT in source
    return any(
        isinstance(node, ast.ImportFrom) and node.module == "dnn_utils"
        and any(alias.name == "graded" and alias.asname in (None, "graded")
                for alias in node.names)
        for node in ast.walk(tree)
    )


def see_result_problems(index, cell, previous) -> list[str]:
    """Problems of a "see your result" cell (code calling ``graded.see_result``).

    The markdown cell right above it starts with ``**See your result.**`` and holds the
    expected output in a ```` ```text ```` block equal to what the cell stored.
    """
    if previous is None or previous.cell_type != "markdown" or not (
            previous.source.startswith(SEE_RESULT)):
        return [f"cell {index + 1}: a see-your-result cell needs a markdown cell right above "
                f"it starting with '{SEE_RESULT}' and the expected output in a ```text block"]
    written = re.search(r"```text\n(.*?)```", previous.source, flags=re.S)
    printed = stdout_of(cell)
    if written is None:
        return [f"cell {index}: add a ```text block for the expected output of cell "
                f"{index + 1} ('python -m dnn_utils.workbook execute' writes the output into "
                "it)"]
    if written.group(1) != printed:
        return [f"cell {index}: the expected output in the ```text block is not what cell "
                f"{index + 1} prints ({printed!r}); run 'python -m dnn_utils.workbook "
                "execute' on the notebook, which writes the cell's output into the block"]
    return []


def _aside_problems(index, cell) -> list[str]:
    """A cell tagged ``aside`` is no exercise; a markdown one starts with 'Aside (optional)'."""
    tagged = ASIDE_TAG in cell_tags(cell)
    words = cell.source.lstrip("#*_> \n")
    if tagged and (is_exercise_cell(cell) or is_graded_cell(cell)):
        return [f"cell {index + 1}: an exercise or a graded cell cannot be in an aside "
                f"(tagged '{ASIDE_TAG}'); remove the tag"]
    if tagged and cell.cell_type == "markdown" and not words.startswith(ASIDE_START):
        return [f"cell {index + 1}: a cell tagged '{ASIDE_TAG}' must start with "
                f"'{ASIDE_START}'; found {words[:30]!r}"]
    return []


def convention_problems(nb, stem: str, graded, workbook=None) -> list[str]:
    """List every way the solution notebook breaks the conventions (empty when it is fine).

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A solution notebook.
    stem : str
        Its file name without ``.ipynb``.
    graded : module
        The graded tests module (``dnn_utils.graded``).
    workbook : dict, optional
        ``{"02": numbering.written_numbers(notebook 02), ...}``: the folder's exercise
        numbers, so a problem can name the function a cross-reference to another
        notebook means.

    Returns
    -------
    list of str
        One sentence per problem, naming the cell index.
    """
    problems = []
    meta = nb.metadata.get("dnn_workbook")
    if not isinstance(meta, dict) or meta.get("notebook") != stem:
        problems.append(
            f"notebook metadata 'dnn_workbook' should be {{'notebook': {stem!r}}}; found {meta!r}"
        )
    imported = False
    cells = nb.cells
    problems += numbering_problems(nb, stem, workbook)
    problems += mark_problems(nb)
    problems += prose_problems(nb)  # sections cited, reading time, quiz options, asides
    if not cells or cells[0].cell_type != "markdown" or not cells[0].source.lstrip().startswith("# "):
        problems.append("cell 1: a notebook starts with a markdown cell '# <title>'")
    for index, cell in enumerate(cells):
        problems += _aside_problems(index, cell)
        problems += placeholder_problems(cell.source, f"cell {index + 1}")
        if cell.cell_type == "code" and "graded.see_result(" in cell.source:
            problems += see_result_problems(index, cell, cells[index - 1] if index else None)
        if cell.cell_type == "code" and imports_graded(cell.source):
            imported = True
        nbg = nbgrader_metadata(cell)
        if is_exercise_cell(cell):
            problems += _exercise_problems(index, cell, cells[index + 1 : index + 2])
        elif is_graded_cell(cell):
            problems += _graded_problems(index, cell, nbg, imported, graded)
            previous = cells[index - 1] if index else None
            expected = f"{nbg.get('grade_id')}_solution"
            if previous is None or nbgrader_metadata(previous).get("grade_id") != expected:
                problems.append(
                    f"cell {index + 1}: a graded cell must directly follow its exercise cell "
                    f"(grade_id {expected!r})"
                )
    # What the repository's tests require of a notebook, said here first.
    problems += count_problems(nb)
    problems += notebook_rule_problems(nb, stem)
    problems += quiz_problems(nb, graded)
    return problems


def _exercise_problems(index, cell, following) -> list[str]:
    nbg = nbgrader_metadata(cell)
    grade_id = nbg.get("grade_id", "")
    problems = []
    if cell.cell_type != "code":
        problems.append(f"cell {index + 1}: an exercise cell must be a code cell")
    if not (isinstance(grade_id, str) and grade_id.endswith("_solution")):
        problems.append(f"cell {index + 1}: exercise grade_id must be '<name>_solution'; "
                        f"found {grade_id!r}")
    expected = {"solution": True, "grade": False, "locked": False, "schema_version": 3}
    for key, value in expected.items():
        if nbg.get(key) != value:
            problems.append(f"cell {index + 1}: exercise nbgrader {key!r} should be {value!r}")
    try:
        if not solution_regions(cell.source):
            problems.append(f"cell {index + 1}: exercise cell has no solution region")
    except ValueError as exc:
        problems.append(f"cell {index + 1}: {exc}")
    if not following or not is_graded_cell(following[0]):
        problems.append(f"cell {index + 1}: an exercise cell must be followed by its graded cell")
    return problems


def _graded_problems(index, cell, nbg, imported, graded) -> list[str]:
    name = nbg.get("grade_id")
    problems = []
    expected = {"grade": True, "solution": False, "locked": True, "schema_version": 3}
    for key, value in expected.items():
        if nbg.get(key) != value:
            problems.append(f"cell {index + 1}: graded nbgrader {key!r} should be {value!r}")
    points = nbg.get("points")
    if isinstance(points, bool) or not isinstance(points, int) or points <= 0:
        problems.append(f"cell {index + 1}: graded cell points should be a positive int; "
                        f"found {points!r}")
    if cell.source.strip() != f"graded.{name}_test({name})":
        problems.append(f"cell {index + 1}: graded cell source should be exactly "
                        f"'graded.{name}_test({name})'; found {cell.source!r}")
    if not imported:
        problems.append(f"cell {index + 1}: '{GRADED_IMPORT}' must come in a code cell before "
                        "the first graded cell")
    if not callable(getattr(graded, f"{name}_test", None)):
        problems.append(f"cell {index + 1}: dnn_utils.graded has no {name}_test; write "
                        f"'def {name}_test(target):' at the top level of a module of "
                        "dnn_utils/graded/ (a new module is fine; see docs/AUTHORING.md)")
    return problems
