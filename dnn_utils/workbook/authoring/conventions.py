"""How the workbook marks exercises and graded cells, and how to read its notebooks.

One place for the notebook conventions shared by the solution notebooks, the learner
edition generator (:mod:`dnn_utils.workbook.authoring.release`) and the autograder
(:mod:`dnn_utils.workbook.grading.grader`), so the three can never disagree.

Messages number cells from 1, markdown cells included, the way a reader counts them.
"""

from __future__ import annotations

import json
import os
import re
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path

import nbformat

from ..sandbox.kernel_call import NOT_IMPLEMENTED_MESSAGE
from .json_bounds import MAX_JSON_VALUES, count_values

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
YOUR_CODE_HERE = "# YOUR CODE HERE"
#: Tag of a cell whose stored output the learner edition drops (see shows_learner_result).
NO_OUTPUT_TAG = "learner-edition-no-output"
#: The tag of an optional cell (an aside: skippable depth, collapsed in JupyterLab).
ASIDE_TAG = "aside"
# NOT_IMPLEMENTED_MESSAGE (the stub's message) is defined in kernel_call, which reads it
# inside the learner's kernel without importing nbformat.
STUB_RAISE = f'raise NotImplementedError("{NOT_IMPLEMENTED_MESSAGE}")'

# A line that mentions a marker without being exactly that marker would slip through
# and leak a solution into the learner edition, so it is an error rather than text.
_NEAR_MARKER = re.compile(r"(BEGIN|END)\s*SOLUTION", re.IGNORECASE)
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: The largest notebook file read (the workbook's own are well under 5 MB).
MAX_NOTEBOOK_BYTES = 64 * 1024 * 1024


class WorkbookError(Exception):
    """Base class of every error the workbook tool reports to its user."""


class NotebookFormatError(WorkbookError):
    """The file is not a readable Jupyter notebook."""


class NotAWorkbookError(WorkbookError):
    """The notebook is valid but is not one of this workbook's notebooks."""


@dataclass(frozen=True)
class GradedCell:
    """One graded test cell: the learner's ``name`` is scored ``points`` by ``graded.<name>_test``."""

    index: int
    name: str
    points: float


def cell_tags(cell) -> list:
    """The cell's tags (an empty list when it has none or they are malformed)."""
    found = cell.get("metadata", {}).get("tags", [])
    return found if isinstance(found, list) else []


def nbgrader_metadata(cell) -> dict:
    """Return the cell's ``nbgrader`` metadata (an empty dict when it has none)."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def is_exercise_cell(cell) -> bool:
    """True for an nbgrader solution cell (``"solution": true``)."""
    return bool(nbgrader_metadata(cell).get("solution", False))


def is_graded_cell(cell) -> bool:
    """True for an nbgrader graded test cell (``"grade": true``)."""
    return bool(nbgrader_metadata(cell).get("grade", False))


def shows_learner_result(cell) -> bool:
    """True for a code cell whose output is a result of the learner's own code.

    That is a "see your result" cell (it calls ``graded.see_result``), or any cell tagged
    ``learner-edition-no-output`` (e.g. a gradient check of the learner's backward pass).
    The learner edition drops their outputs: a stored one would read as the learner's.
    """
    return cell.get("cell_type") == "code" and (
        "graded.see_result(" in cell.get("source", "") or NO_OUTPUT_TAG in cell_tags(cell))


def read_notebook_text(text: str, label: str) -> nbformat.NotebookNode:
    """Parse notebook JSON, with a clear error when it is not a version-4 notebook.

    A text of more than :data:`~dnn_utils.workbook.authoring.json_bounds.MAX_JSON_VALUES` values is
    refused before it is parsed, so reading a hostile notebook takes bounded memory.

    Parameters
    ----------
    text : str
        The file's content.
    label : str
        How to name the file in error messages (usually its path).

    Returns
    -------
    nbformat.NotebookNode
        The notebook (cell sources joined into strings, as nbformat does).
    """
    values = count_values(text)
    if values > MAX_JSON_VALUES:
        raise NotebookFormatError(
            f"{label} holds about {values:,} JSON values (lists, numbers, strings, keys), "
            f"more than a notebook of this workbook can (at most {MAX_JSON_VALUES:,}; the "
            "workbook's own hold a few thousand), so it was not parsed: reading it would "
            "take gigabytes. Clear its outputs and metadata, or restore it from the "
            "repository."
        )
    try:
        raw = json.loads(text)
    except ValueError as exc:  # bad JSON, or a number of more digits than Python converts
        raise NotebookFormatError(
            f"{label} is not a Jupyter notebook: it is not valid JSON ({exc}). "
            "Pass the .ipynb file of a notebook, or restore it from the repository."
        ) from None
    except RecursionError:
        raise NotebookFormatError(
            f"{label} is not a Jupyter notebook: its JSON is nested too deeply to read "
            "(a notebook is a few levels deep). Restore it from the repository."
        ) from None
    if not isinstance(raw, dict) or raw.get("nbformat") != 4 or not isinstance(
        raw.get("cells"), list
    ):
        seen = raw.get("nbformat") if isinstance(raw, dict) else type(raw).__name__
        raise NotebookFormatError(
            f"{label} is not a Jupyter notebook in nbformat 4 (found nbformat={seen!r}, "
            "expected 4 with a 'cells' list). Pass the .ipynb file of a notebook."
        )
    with warnings.catch_warnings():
        # nbformat warns about (and invents ids for) cells without an id; the release
        # checks ids itself, and the grader does not care about them.
        warnings.simplefilter("ignore")
        try:
            nb = nbformat.reads(text, as_version=4)
            nbformat.validate(nb)
        except nbformat.ValidationError as exc:
            first = str(exc).splitlines()[0]
            raise NotebookFormatError(
                f"{label} is not a valid Jupyter notebook: {first}. "
                "Open and save it in Jupyter, or restore it from the repository."
            ) from None
        except RecursionError:
            raise NotebookFormatError(
                f"{label} is not a Jupyter notebook: it is nested too deeply to read."
            ) from None
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            # nbformat raises a variety of errors on odd input.
            raise NotebookFormatError(
                f"{label} could not be read as a Jupyter notebook "
                f"({type(exc).__name__}: {exc})."
            ) from None
    return nb


def read_notebook_bytes(path) -> tuple[nbformat.NotebookNode, bytes]:
    """Read the notebook at ``path``: the notebook and the file's exact bytes.

    Only a regular file of at most :data:`MAX_NOTEBOOK_BYTES` is read, so a device such as
    ``/dev/zero`` or a FIFO gets a clear error instead of a hang or an endless read.
    """
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise NotebookFormatError(
            f"{path} does not exist. Pass the path of a notebook (.ipynb file)."
        ) from None
    except OSError as exc:
        raise NotebookFormatError(f"{path} cannot be read ({exc.strerror}).") from None
    if stat.S_ISDIR(info.st_mode):
        raise NotebookFormatError(
            f"{path} is a folder, not a notebook. Pass the path of a .ipynb file."
        )
    if not stat.S_ISREG(info.st_mode):
        kind = "a FIFO (named pipe)" if stat.S_ISFIFO(info.st_mode) else "a device or socket"
        raise NotebookFormatError(
            f"{path} is {kind}, not a notebook file. Pass the path of a .ipynb file."
        )
    if info.st_size > MAX_NOTEBOOK_BYTES:
        raise NotebookFormatError(
            f"{path} is {info.st_size} bytes, more than a notebook of this workbook can be "
            f"({MAX_NOTEBOOK_BYTES} bytes). Clear its outputs, or restore it from the "
            "repository."
        )
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_NOTEBOOK_BYTES + 1)
    except OSError as exc:
        raise NotebookFormatError(f"{path} cannot be read ({exc.strerror}).") from None
    if len(data) > MAX_NOTEBOOK_BYTES:
        raise NotebookFormatError(f"{path} grew beyond {MAX_NOTEBOOK_BYTES} bytes while read.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise NotebookFormatError(
            f"{path} is not a Jupyter notebook: it is not UTF-8 text."
        ) from None
    return read_notebook_text(text, str(path)), data


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """Read the notebook at ``path`` (see :func:`read_notebook_bytes`)."""
    return read_notebook_bytes(path)[0]


def graded_cells(nb, label: str) -> list[GradedCell]:
    """List the notebook's graded cells, checking each names a unique exercise.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook.
    label : str
        How to name the notebook in error messages.

    Returns
    -------
    list of GradedCell
        In notebook order.
    """
    found: list[GradedCell] = []
    seen: set[str] = set()
    for index, cell in enumerate(nb.cells):
        if not is_graded_cell(cell):
            continue
        meta = nbgrader_metadata(cell)
        name = meta.get("grade_id")
        if not isinstance(name, str) or not _IDENTIFIER.match(name):
            raise NotebookFormatError(
                f"{label}, cell {index + 1}: a graded cell needs an nbgrader 'grade_id' that is a "
                f"Python name (the exercise's name); found {name!r}. Restore the cell from "
                "the repository."
            )
        if name in seen:
            raise NotebookFormatError(
                f"{label}, cell {index + 1}: the graded exercise {name!r} appears twice. "
                "Delete the duplicated cell, or restore the notebook from the repository."
            )
        points = meta.get("points", 0)
        if isinstance(points, bool) or not isinstance(points, (int, float)) or points < 0:
            raise NotebookFormatError(
                f"{label}, cell {index + 1}: the nbgrader 'points' of {name!r} must be a "
                f"non-negative number; found {points!r}."
            )
        seen.add(name)
        found.append(GradedCell(index=index, name=name, points=points))
    return found


def solution_regions(source: str) -> list[tuple[int, int, str]]:
    """Find the solution regions of a cell source.

    Parameters
    ----------
    source : str
        The cell's source.

    Returns
    -------
    list of (begin_line, end_line, indent)
        0-based line numbers of each ``### BEGIN SOLUTION`` / ``### END SOLUTION`` pair and
        the BEGIN line's indentation.

    Raises
    ------
    ValueError
        For an unbalanced or nested marker, or a line that looks like a marker but is not
        exactly one; the message names the 1-based line.
    """
    regions = []
    begin: int | None = None
    indent = ""
    for number, line in enumerate(source.splitlines()):
        stripped = line.strip()
        if stripped == BEGIN_SOLUTION:
            if begin is not None:
                raise ValueError(
                    f"line {number + 1} opens a solution region inside the one opened on "
                    f"line {begin + 1}; regions cannot nest. Add '{END_SOLUTION}' before it."
                )
            begin, indent = number, line[: len(line) - len(line.lstrip())]
        elif stripped == END_SOLUTION:
            if begin is None:
                raise ValueError(
                    f"line {number + 1} has '{END_SOLUTION}' without a '{BEGIN_SOLUTION}' "
                    "before it."
                )
            regions.append((begin, number, indent))
            begin = None
        elif _NEAR_MARKER.search(stripped) and stripped.startswith("#"):
            raise ValueError(
                f"line {number + 1} looks like a solution marker but is not exactly "
                f"'{BEGIN_SOLUTION}' or '{END_SOLUTION}': {stripped!r}. Fix its spelling."
            )
    if begin is not None:
        raise ValueError(
            f"line {begin + 1} opens a solution region that is never closed. "
            f"Add a line '{END_SOLUTION}' after the solution."
        )
    return regions
