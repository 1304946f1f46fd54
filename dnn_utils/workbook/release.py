"""Generate the learner edition of the workbook from the solution notebooks.

Every solution region becomes a stub that raises ``NotImplementedError``; the nbgrader
metadata stays so an instructor can still import the notebooks into nbgrader.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import nbformat

from ..files import write_bytes_atomically
from .conventions import (
    STUB_RAISE,
    YOUR_CODE_HERE,
    NotebookFormatError,
    WorkbookError,
    is_exercise_cell,
    is_graded_cell,
    read_notebook_text,
    shows_learner_result,
    solution_regions,
)


class SolutionMarkerError(WorkbookError):
    """A solution region is unbalanced, nested, misspelt or missing."""


class OverwriteError(WorkbookError):
    """Releasing would overwrite existing files and ``force`` was not given."""


def default_source_dir() -> Path:
    """The repository's ``notebooks/solutions`` folder (the repo root holds ``dnn_utils``)."""
    return Path(__file__).resolve().parents[2] / "notebooks" / "solutions"


def _stub_source(source: str, label: str, index: int) -> str:
    try:
        regions = solution_regions(source)
    except ValueError as exc:
        raise SolutionMarkerError(f"{label}, cell {index + 1}: {exc}") from None
    lines = source.splitlines(keepends=True)
    # Replace from the last region backwards so earlier line numbers stay valid.
    for begin, end, indent in reversed(regions):
        ending = "\n" if lines[end].endswith("\n") else ""
        lines[begin : end + 1] = [f"{indent}{YOUR_CODE_HERE}\n", f"{indent}{STUB_RAISE}{ending}"]
    return "".join(lines)


def strip_solutions(nb, label: str = "notebook"):
    """Return the learner edition of a solution notebook (the input is not modified).

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A solution notebook.
    label : str, optional
        How to name the notebook in error messages.

    Returns
    -------
    nbformat.NotebookNode
        A copy in which every ``### BEGIN SOLUTION`` ... ``### END SOLUTION`` region of a
        code cell is replaced by a ``# YOUR CODE HERE`` line and a ``raise
        NotImplementedError(...)`` line at the region's indentation, and exercise cells,
        graded cells and cells that show the learner's result (see-your-result cells, cells
        tagged ``learner-edition-no-output``) have no outputs or execution count.
        Everything else is kept as it is.

    Raises
    ------
    SolutionMarkerError
        For unbalanced, nested or misspelt markers, markers outside code cells, or an
        exercise cell without a solution region; the message names the cell index.
    """
    learner = copy.deepcopy(nb)
    for index, cell in enumerate(learner.cells):
        has_regions = _has_regions(cell.source, label, index)
        if cell.cell_type != "code":
            if has_regions:
                raise SolutionMarkerError(
                    f"{label}, cell {index + 1}: solution markers only work in code cells, but "
                    f"this is a {cell.cell_type} cell, so its solution would be published. "
                    "Move the solution into a code cell."
                )
            continue
        if is_exercise_cell(cell) and not has_regions:
            raise SolutionMarkerError(
                f"{label}, cell {index + 1}: this exercise cell (nbgrader solution: true) has no "
                "'### BEGIN SOLUTION' / '### END SOLUTION' region, so the learner edition "
                "would publish its solution. Mark the solution lines."
            )
        if has_regions:
            cell.source = _stub_source(cell.source, label, index)
        # A cell with a region is an exercise even without metadata: its outputs would
        # give the solution away.
        if (has_regions or is_exercise_cell(cell) or is_graded_cell(cell)
                or shows_learner_result(cell)):
            cell.outputs = []
            cell.execution_count = None
    return learner


def _has_regions(source: str, label: str, index: int) -> bool:
    try:
        return bool(solution_regions(source))
    except ValueError as exc:
        raise SolutionMarkerError(f"{label}, cell {index + 1}: {exc}") from None


def notebook_bytes(nb) -> bytes:
    """Serialize a notebook exactly as ``nbformat.write`` does (so re-releases are identical)."""
    text = nbformat.writes(nb)
    if not text.endswith("\n"):
        text += "\n"
    return text.encode("utf-8")


def _check_cell_ids(text: str, label: str) -> None:
    raw = json.loads(text)
    if raw.get("nbformat_minor", 0) < 5:
        return
    missing = [i + 1 for i, cell in enumerate(raw["cells"]) if "id" not in cell]
    if missing:
        raise NotebookFormatError(
            f"{label}: cells {missing} have no 'id', so every release would invent new "
            "random ids. Open and save the notebook once in Jupyter (or read and write it "
            "with nbformat) to give every cell a fixed id."
        )



def release(source_dir, out_dir, force: bool = False) -> list[Path]:
    """Write the learner edition of every ``*.ipynb`` in ``source_dir`` to ``out_dir``.

    Parameters
    ----------
    source_dir : str, Path or None
        Folder of solution notebooks; None for the repository's ``notebooks/solutions``.
    out_dir : str or Path
        Folder for the learner edition (created if missing); files keep their names.
    force : bool, optional
        Overwrite existing files in ``out_dir``. Without it nothing is written when any
        target exists, so a learner's work is never lost.

    Returns
    -------
    list of Path
        The files written, in name order.
    """
    source_dir = Path(default_source_dir() if source_dir is None else source_dir)
    out_dir = Path(out_dir)
    if not source_dir.is_dir():
        raise WorkbookError(
            f"source folder {source_dir} does not exist. Pass --source with the folder of "
            "the solution notebooks."
        )
    sources = sorted(source_dir.glob("*.ipynb"))
    if not sources:
        raise WorkbookError(
            f"source folder {source_dir} holds no *.ipynb notebooks; nothing to release."
        )
    if out_dir.resolve() == source_dir.resolve():
        raise WorkbookError(
            f"OUT_DIR {out_dir} is the source folder itself; releasing there would replace "
            "the solutions with stubs. Pick another folder (usually 'notebooks')."
        )
    if out_dir.exists() and not out_dir.is_dir():
        raise WorkbookError(f"OUT_DIR {out_dir} exists and is not a folder.")

    # Build every learner notebook before writing any, so a bad marker anywhere leaves
    # the output folder untouched.
    planned: list[tuple[Path, bytes]] = []
    for source in sources:
        text = source.read_text(encoding="utf-8")
        nb = read_notebook_text(text, str(source))
        _check_cell_ids(text, str(source))
        planned.append((out_dir / source.name, notebook_bytes(strip_solutions(nb, str(source)))))

    existing = [target for target, _ in planned if target.exists()]
    if existing and not force:
        names = ", ".join(str(target) for target in existing)
        raise OverwriteError(
            f"refusing to overwrite {len(existing)} existing file(s): {names}. They may hold "
            "a learner's work; move them away, or pass --force to replace them. "
            "Nothing was written."
        )
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for target, data in planned:
            write_bytes_atomically(target, data)
    except OSError as exc:
        raise WorkbookError(
            f"cannot write the learner edition to OUT_DIR {out_dir}: {exc.strerror or exc} "
            f"({exc.filename or out_dir}). Pass a folder you can create and write to."
        ) from None
    return [target for target, _ in planned]
