"""Check that a solution notebook follows the workbook's notebook conventions.

The conventions (see :mod:`dnn_utils.workbook.conventions`): notebook metadata
``dnn_workbook.notebook`` is the file stem; every exercise cell (nbgrader solution,
``grade_id`` ``<name>_solution``) has a solution region and is immediately followed by its
graded cell (nbgrader grade, ``grade_id`` ``<name>``, positive integer points, locked) whose
source is exactly ``graded.<name>_test(<name>)``, after ``from dnn_utils import graded``;
and ``dnn_utils.graded`` has that test.
"""

from __future__ import annotations

import ast

from .conventions import is_exercise_cell, is_graded_cell, nbgrader_metadata, solution_regions

GRADED_IMPORT = "from dnn_utils import graded"


def imports_graded(source: str) -> bool:
    """Whether a code cell binds the name ``graded`` to ``dnn_utils.graded``.

    Accepts ``from dnn_utils import graded`` alone or among other names (as an import
    sorter writes it); IPython magics and shell lines are skipped.
    """
    python = "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()
    )
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


def convention_problems(nb, stem: str, graded) -> list[str]:
    """List every way the solution notebook breaks the conventions (empty when it is fine).

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A solution notebook.
    stem : str
        Its file name without ``.ipynb``.
    graded : module
        The graded tests module (``dnn_utils.graded``).

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
    for index, cell in enumerate(cells):
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
        problems.append(f"cell {index + 1}: dnn_utils.graded has no {name}_test")
    return problems
