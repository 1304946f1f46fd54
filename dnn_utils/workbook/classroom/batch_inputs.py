"""What a batch reads and writes, checked before any grading: the class folder, the outputs.

:func:`find_submissions` lists a class folder (see :mod:`~dnn_utils.workbook.classroom.folder`);
:func:`check_output_locations` makes sure the gradebook and the feedback can be written.
Both raise :class:`BatchInputError` with what was seen and how to fix it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..authoring.conventions import WorkbookError
from ..authoring.release import default_source_dir
from .folder import ClassFolder, SubmissionReadError, scan


class BatchInputError(WorkbookError):
    """The submissions folder or an output location cannot be used."""


def find_submissions(folder, notebooks=None) -> ClassFolder:
    """List a class folder: the submissions, and what is refused or ignored and why.

    Parameters
    ----------
    folder : str or Path
        ``SUBMISSIONS_DIR``, holding one folder per learner.
    notebooks : collection of str, optional
        The workbook's notebook names; by default the stems of the repository's solution
        notebooks. Only files named like one of them are submissions.

    Returns
    -------
    ClassFolder
        Iterating over it gives the submissions, sorted by learner then notebook; see
        :mod:`~dnn_utils.workbook.classroom.folder` for ``refused`` and ``ignored``.
    """
    folder = Path(folder)
    if not folder.exists():
        raise BatchInputError(
            f"SUBMISSIONS_DIR {folder} does not exist. Pass the folder that holds one folder "
            "per learner, e.g. submissions/alice/02_building_your_deep_network.ipynb."
        )
    if not folder.is_dir():
        raise BatchInputError(
            f"SUBMISSIONS_DIR {folder} is a file, not a folder. To grade one notebook, "
            "leave out --jobs, --csv, --out and --force; to grade a class, pass the folder "
            "that holds one folder per learner."
        )
    if notebooks is None:
        notebooks = notebook_names()
    try:
        listing = scan(folder, notebooks)
    except SubmissionReadError as exc:
        raise BatchInputError(str(exc)) from None
    if not listing.submissions and not listing.refused:
        stray = sorted(p.name for p in folder.glob("*.ipynb"))
        misnamed = [s.path for s in listing.ignored if s.learner and s.path.suffix == ".ipynb"]
        seen = (
            f"it holds notebooks directly ({', '.join(stray[:3])}{', ...' if len(stray) > 3 else ''})"
            if stray else f"no notebook in it is named like one of the workbook's "
            f"({', '.join(str(p.relative_to(folder)) for p in misnamed[:3])})" if misnamed
            else "it holds no learner folder with a notebook"
        )
        name = sorted(notebooks)[0] if notebooks else "02_building_your_deep_network"
        raise BatchInputError(
            f"SUBMISSIONS_DIR {folder} has no submissions: {seen}. Expected one folder per "
            "learner with that learner's notebooks in it, named like the workbook's, e.g. "
            f"{folder / 'alice' / (name + '.ipynb')}."
        )
    return listing


def notebook_names(source_dir=None) -> set[str]:
    """The workbook's notebook names: the stems of the solution notebooks."""
    return {p.stem for p in Path(default_source_dir() if source_dir is None
                                 else source_dir).glob("*.ipynb")}


def check_output_locations(csv_path, out_dir) -> None:
    """Fail before grading when the gradebook or the feedback folder cannot be written.

    Parameters
    ----------
    csv_path : str or Path
        The gradebook file; its folder must exist and be writable.
    out_dir : str or Path
        The output folder; it is created if its parent exists.
    """
    csv_path, out_dir = Path(csv_path), Path(out_dir)
    if csv_path.is_dir():
        raise BatchInputError(
            f"--csv {csv_path} is a folder. Pass a file name, e.g. --csv {csv_path / 'gradebook.csv'}."
        )
    parent = csv_path.parent
    if not parent.is_dir():
        raise BatchInputError(
            f"--csv {csv_path}: the folder {parent} does not exist. Create it, or pass a "
            "file in an existing folder."
        )
    problem = _cannot_create_in(parent)
    if problem:
        raise BatchInputError(
            f"--csv {csv_path} cannot be written: creating a file in {parent} failed "
            f"({problem}). Pass a file in a folder you can write to."
        )
    if out_dir.exists() and not out_dir.is_dir():
        raise BatchInputError(f"--out {out_dir} is a file. Pass a folder for the outputs.")
    if not out_dir.exists() and not out_dir.parent.is_dir():
        raise BatchInputError(
            f"--out {out_dir}: the folder {out_dir.parent} does not exist. Create it, or "
            "pass a folder inside an existing one."
        )
    writable = out_dir if out_dir.exists() else out_dir.parent
    problem = _cannot_create_in(writable)
    if problem:
        raise BatchInputError(
            f"--out {out_dir} cannot be written: creating a file in {writable} failed "
            f"({problem}). Pass a folder you can write to."
        )


def _cannot_create_in(folder: Path) -> str | None:
    """Why a file cannot be created in ``folder`` (by trying), or None when it can."""
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".dnn-grade-probe-"):
            return None
    except OSError as exc:
        return exc.strerror or str(exc)
