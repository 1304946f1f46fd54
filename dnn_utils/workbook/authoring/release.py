"""Generate the learner edition of the workbook from the solution notebooks.

Every solution region becomes a stub: one that raises ``NotImplementedError`` inside a
function, or ``name = ...`` for an answer that assigns a value (a quiz question). The
nbgrader metadata stays so an instructor can still import the notebooks into nbgrader.

What a learner meets in JupyterLab is decided here too: every graded cell is tagged
``raises-exception``, so Run All goes past an unfinished exercise (the graded cell still
fails, and scores nothing); no cell keeps an execution count; and the notebook stores the
kernelspec JupyterLab writes, so it opens unmodified.
"""

from __future__ import annotations

import ast
import copy
import json
import textwrap
from pathlib import Path

import nbformat

from ...files import write_bytes_atomically
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


#: The kernelspec JupyterLab writes into a notebook run by the default ipykernel. A
#: notebook storing anything else is rewritten, and shown as unsaved, as soon as it opens.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
#: The cell tag with which JupyterLab's Run All (and nbclient, nbval) goes on past an error.
RAISES_TAG = "raises-exception"


def kernelspec_problem(nb) -> str | None:
    """Why the notebook's kernelspec would make JupyterLab open it as unsaved, or None.

    Parameters
    ----------
    nb : nbformat.NotebookNode or dict
        A notebook.

    Returns
    -------
    str or None
        None when ``metadata.kernelspec`` is :data:`KERNELSPEC`; otherwise a sentence
        saying what is stored, what is expected and how to fix it.
    """
    stored = nb.get("metadata", {}).get("kernelspec")
    if stored == KERNELSPEC:
        return None
    return (
        f"its kernelspec is {stored!r}, expected {KERNELSPEC!r} (what JupyterLab writes; "
        "anything else marks the notebook as unsaved as soon as it opens). Fix: run "
        "`python -m dnn_utils.workbook execute` on it, which stores that kernelspec."
    )


def set_kernelspec(nb) -> None:
    """Store :data:`KERNELSPEC` in ``nb``'s metadata (in place)."""
    nb.metadata["kernelspec"] = nbformat.from_dict(dict(KERNELSPEC))


def default_source_dir() -> Path:
    """The repository's ``notebooks/solutions`` folder (the repo root holds ``dnn_utils``)."""
    return Path(__file__).resolve().parents[3] / "notebooks" / "solutions"


def _assigned_names(body: str) -> list[str] | None:
    """The names a region assigns when it is only ``name = value`` lines, else None."""
    try:
        tree = ast.parse(textwrap.dedent(body))
    except SyntaxError:
        return None
    names = []
    for statement in tree.body:
        if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)):
            return None
        names.append(statement.targets[0].id)
    return names or None


def _assigned_anywhere(code: str) -> set[str]:
    """Names assigned anywhere in ``code`` (nothing when it does not parse)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    return {node.id for node in ast.walk(tree)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}


def _stub_source(source: str, label: str, index: int) -> str:
    try:
        regions = solution_regions(source)
    except ValueError as exc:
        raise SolutionMarkerError(f"{label}, cell {index + 1}: {exc}") from None
    lines = source.splitlines(keepends=True)
    # Replace from the last region backwards so earlier line numbers stay valid.
    for begin, end, indent in reversed(regions):
        ending = "\n" if lines[end].endswith("\n") else ""
        # A region of the notebook's top level that only assigns values is an answer
        # (a quiz question): its stub assigns the placeholder `...`, which the graded
        # test answers with "not answered yet". Inside a function the stub raises, so
        # the function never goes on with a half-made value.
        # When the cell already gives the answer a template above the region (a dict of
        # "?" to fill in), the template is what the learner edits: the stub is only the
        # marker comment, so the placeholder never overwrites the learner's answer.
        names = _assigned_names("".join(lines[begin + 1:end])) if not indent else None
        if names:
            given = _assigned_anywhere("".join(lines[:begin]))
            stub = [f"{name} = ..." for name in names if name not in given]
        else:
            stub = [f"{indent}{STUB_RAISE}"]
        body = [f"{indent}{YOUR_CODE_HERE}"] + stub
        lines[begin : end + 1] = [line + "\n" for line in body[:-1]] + [body[-1] + ending]
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
        NotImplementedError(...)`` line at the region's indentation; a region at the top
        level of a cell that only assigns names (``number_of_layers = 3``) is replaced by
        ``# YOUR CODE HERE`` and ``number_of_layers = ...`` instead (just the comment,
        when the cell assigns that name a template above the region). Exercise cells,
        graded cells and cells that show the learner's result (see-your-result cells,
        cells tagged ``learner-edition-no-output``) have no outputs; no code cell or
        output keeps an execution count; every graded cell is tagged
        ``raises-exception``; the kernelspec is :data:`KERNELSPEC`. Everything else is
        kept as it is.

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
        # A stored count reads as a half-run notebook.
        cell.execution_count = None
        for output in cell.outputs:
            if "execution_count" in output:
                output.execution_count = None
        if is_graded_cell(cell):
            _add_tag(cell, RAISES_TAG)
    set_kernelspec(learner)
    return learner


def _add_tag(cell, tag: str) -> None:
    tags = cell.metadata.get("tags", [])
    if tag not in tags:
        cell.metadata["tags"] = [*tags, tag]


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
