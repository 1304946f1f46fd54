"""Which of the workbook's notebooks a learner's file is graded as: its name, else its metadata.

Both the file name and the notebook's ``dnn_workbook.notebook`` metadata are the learner's
to change, so neither is trusted more; the rule is the one an instructor's gradebook
needs. A file named like one of the workbook's notebooks (``02_building_your_deep_network.ipynb``)
fills that notebook's slot, so it is graded as that notebook, against that notebook's
exercises: notebook 01 saved under 02's name earns what its content deserves in notebook
02 (nothing), never notebook 01's points in 02's row. When the metadata names another
notebook (or none), the report says which, and a batch prints a warning. A file with any
other name (``alice_hw2.ipynb``) is graded as the notebook its metadata names.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..authoring.conventions import NotAWorkbookError, NotebookFormatError

_STEM = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,100}$")


def _metadata_stem(nb, label: str) -> str:
    """The notebook named by ``nb``'s metadata, or an error saying what is wrong with it."""
    metadata = nb.get("metadata", {})
    if "dnn_workbook" not in metadata:
        raise NotAWorkbookError(
            f"{label} is not one of this workbook's notebooks: it has no 'dnn_workbook' "
            "metadata. Pass a notebook from the workbook's notebooks/ folder."
        )
    entry = metadata["dnn_workbook"]
    stem = entry.get("notebook") if isinstance(entry, dict) else None
    if not isinstance(stem, str) or not _STEM.match(stem):
        raise NotebookFormatError(
            f"{label}: its 'dnn_workbook' metadata is {entry!r:.80}, expected "
            "{'notebook': '<name of a solution notebook>'}. Restore the notebook's metadata "
            "from the learner edition (e.g. copy it from notebooks/ in the repository)."
        )
    return stem


def graded_as(nb, path, reference_dir) -> tuple[str, str | None, list[str]]:
    """The solution notebook ``path`` is graded as (see the module docstring).

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The learner's notebook, read from ``path``.
    path : str or Path
        Its file (only the name is used).
    reference_dir : Path
        The folder of the solution notebooks.

    Returns
    -------
    (str, str or None, list of str)
        The stem of the solution notebook, the other notebook the metadata names when it
        disagrees with the file name (else None), and the note that says so.

    Raises
    ------
    NotAWorkbookError, NotebookFormatError
        For a file not named like a workbook notebook whose metadata is missing or
        malformed, or names no solution notebook.
    """
    path = Path(path)
    label = str(path)
    named = path.stem if _STEM.match(path.stem) and (
        Path(reference_dir) / f"{path.stem}.ipynb").is_file() else None
    if named is None:
        stem = _metadata_stem(nb, label)
        if not (Path(reference_dir) / f"{stem}.ipynb").is_file():
            raise NotebookFormatError(
                f"{label}: its 'dnn_workbook' metadata names the notebook {stem!r}, but there "
                f"is no solution notebook {Path(reference_dir) / f'{stem}.ipynb'}. Restore the "
                "notebook's metadata from the learner edition, or pass the folder of the "
                "solution notebooks.")
        return stem, None, []
    try:
        claimed = _metadata_stem(nb, label)
    except (NotAWorkbookError, NotebookFormatError):
        return named, "(none)", [
            f"this file has no valid 'dnn_workbook' metadata naming its notebook; it was "
            f"graded as {named}, its file name"]
    if claimed == named:
        return named, None, []
    return named, claimed, [
        f"this file is named {named}.ipynb, but its metadata says it is notebook {claimed}: "
        f"it was graded as {named}, its file name. If it is {claimed}, hand it in as "
        f"{claimed}.ipynb"]
