"""What a class folder holds: the submissions to grade, and what is refused or ignored, and why.

A submission is a regular file ``SUBMISSIONS_DIR/<learner>/<notebook>.ipynb``, ``<learner>``
a real folder (not a link) and ``<notebook>`` the name of one of the workbook's notebooks.
Unpacked zips and cloned repositories keep symbolic links, so a class folder can hold a
link to the solution notebooks or to a classmate's work: the folder is read without
following any link inside it (``os.scandir`` entries, ``lstat``, ``O_NOFOLLOW`` opens
relative to the folder already opened), and a notebook is read only through
:func:`read_submission`, which refuses anything but a regular file.

- **refused**: what stands where a learner's submission would be but cannot be graded (a
  learner folder that is a link; a link, folder, FIFO or device named like a notebook).
  Each gets a row in the gradebook saying why.
- **ignored**: everything else that is not graded (hidden entries, files directly in the
  class folder, files that are not one of the workbook's notebooks, learners without a
  notebook). Listed with a reason in the output.
"""

from __future__ import annotations

import contextlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..authoring.conventions import MAX_NOTEBOOK_BYTES, WorkbookError

SUFFIX = ".ipynb"
#: ``status`` of a gradebook row of a refused submission.
REFUSED = "refused"
_OPEN_DIRECTORY = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
# O_NONBLOCK: opening a FIFO must not wait for a writer; the file type is checked next.
_OPEN_FILE = (os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY
              | getattr(os, "O_CLOEXEC", 0))


class SubmissionReadError(WorkbookError):
    """A submission could not be read as a regular file of its learner's own folder."""


@dataclass(frozen=True)
class Submission:
    """One learner's notebook: ``SUBMISSIONS_DIR/<learner>/<notebook>.ipynb``."""

    learner: str
    notebook: str
    path: Path


@dataclass(frozen=True)
class Skipped:
    """An entry of the class folder that is not graded, and why.

    ``learner`` and ``notebook`` name the gradebook row of a refused entry (``notebook``
    is empty when the whole learner folder is refused); for an ignored entry ``learner``
    is None when the entry is not inside a learner's folder.
    """

    path: Path
    reason: str
    learner: str | None = None
    notebook: str = ""


@dataclass
class ClassFolder:
    """The listing of a class folder; iterating over it gives the submissions.

    Attributes
    ----------
    folder : Path
    submissions : list of Submission
        Sorted by learner, then notebook.
    refused : list of Skipped
        Entries that stand for a submission but are not regular files in a real folder.
    ignored : list of Skipped
        Everything else that is not graded.
    """

    folder: Path
    submissions: list[Submission] = field(default_factory=list)
    refused: list[Skipped] = field(default_factory=list)
    ignored: list[Skipped] = field(default_factory=list)

    def __iter__(self):
        return iter(self.submissions)

    def __len__(self):
        return len(self.submissions)


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _link_target(name: str, dir_fd: int) -> str:
    with contextlib.suppress(OSError):
        return f" (to {os.readlink(name, dir_fd=dir_fd)})"
    return ""


def _open_folder(folder: Path) -> int:
    try:
        return os.open(folder, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise SubmissionReadError(f"SUBMISSIONS_DIR {folder} cannot be read "
                                  f"({exc.strerror}).") from None


def scan(folder, notebooks) -> ClassFolder:
    """List a class folder without following any link in it (see the module docstring).

    Parameters
    ----------
    folder : str or Path
        ``SUBMISSIONS_DIR`` (the instructor's own path: it may itself be a link).
    notebooks : collection of str
        The workbook's notebook names (the solution notebooks' stems).

    Returns
    -------
    ClassFolder
    """
    folder = Path(folder)
    expected = sorted(notebooks)
    listing = ClassFolder(folder)
    root = _open_folder(folder)
    try:
        with os.scandir(root) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                _scan_entry(listing, root, entry, expected)
    finally:
        os.close(root)
    return listing


def _scan_entry(listing: ClassFolder, root: int, entry, expected) -> None:
    """Sort one entry of the class folder into submissions, refused or ignored."""
    path = listing.folder / entry.name
    if entry.name.startswith("."):
        listing.ignored.append(Skipped(path, "hidden"))
    elif entry.is_symlink():
        if entry.name.endswith(SUFFIX):
            listing.ignored.append(Skipped(
                path, f"a link in the class folder{_link_target(entry.name, root)}, not "
                "followed; a notebook belongs in its learner's folder"))
        else:
            listing.refused.append(Skipped(
                path, f"the learner folder {entry.name} is a symbolic link"
                f"{_link_target(entry.name, root)}; a learner's notebooks must be regular "
                "files in a real folder: copy them in, do not link them", entry.name))
    elif not entry.is_dir(follow_symlinks=False):
        listing.ignored.append(Skipped(
            path, "a file directly in the class folder; expected one folder per learner, "
            f"e.g. {listing.folder / 'alice' / (expected[0] + SUFFIX) if expected else ''}"))
    else:
        _scan_learner(listing, root, entry.name, expected)


def _scan_learner(listing: ClassFolder, root: int, learner: str, expected) -> None:
    folder = listing.folder / learner
    try:
        fd = os.open(learner, _OPEN_DIRECTORY, dir_fd=root)
    except OSError as exc:
        listing.refused.append(Skipped(folder, f"the learner folder {learner} cannot be "
                                       f"opened ({exc.strerror})", learner))
        return
    found = False
    try:
        with os.scandir(fd) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                found |= _scan_file(listing, fd, learner, entry, expected)
    finally:
        os.close(fd)
    if not found:
        listing.ignored.append(Skipped(
            folder, f"learner {learner} has no notebook of the workbook (expected one of "
            f"{', '.join(name + SUFFIX for name in expected)})", learner))


def _scan_file(listing: ClassFolder, fd: int, learner: str, entry, expected) -> bool:
    """Sort one entry of a learner's folder; True when it is a submission or refused."""
    path = listing.folder / learner / entry.name
    stem = entry.name[: -len(SUFFIX)] if entry.name.endswith(SUFFIX) else None
    if entry.name.startswith("."):
        listing.ignored.append(Skipped(path, "hidden", learner))
        return False
    if stem is None or stem not in expected:
        what = "not a notebook" if stem is None else "not one of the workbook's notebooks"
        link = f", and a link{_link_target(entry.name, fd)}" if entry.is_symlink() else ""
        listing.ignored.append(Skipped(path, f"{what}{link}", learner))
        return False
    mode = entry.stat(follow_symlinks=False).st_mode
    if stat.S_ISREG(mode):
        listing.submissions.append(Submission(learner, stem, path))
        return True
    target = _link_target(entry.name, fd) if stat.S_ISLNK(mode) else ""
    listing.refused.append(Skipped(
        path, f"{learner}/{entry.name} is {_kind(mode)}{target}, not a regular file; a "
        "submission must be the notebook file itself, in the learner's own folder",
        learner, stem))
    return True


def read_submission(submission: Submission) -> bytes:
    """The bytes of a submission, read without following any link below the class folder.

    Raises
    ------
    SubmissionReadError
        When the learner folder or the file is a link (or became one), the file is not a
        regular file, is larger than a notebook can be, or cannot be read.
    """
    path = submission.path
    root = _open_folder(path.parent.parent)
    try:
        learner = os.open(submission.learner, _OPEN_DIRECTORY, dir_fd=root)
    except OSError as exc:
        os.close(root)
        raise SubmissionReadError(f"{path.parent} cannot be opened as a real folder "
                                  f"({exc.strerror}); a link is not followed") from None
    try:
        fd = os.open(path.name, _OPEN_FILE, dir_fd=learner)
    except OSError as exc:
        raise SubmissionReadError(f"{path} cannot be opened as a regular file "
                                  f"({exc.strerror}); a link is not followed") from None
    finally:
        os.close(learner)
        os.close(root)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise SubmissionReadError(f"{path} is {_kind(info.st_mode)}, not a notebook file")
        if info.st_size > MAX_NOTEBOOK_BYTES:
            raise SubmissionReadError(
                f"{path} is {info.st_size} bytes, more than a notebook of this workbook can "
                f"be ({MAX_NOTEBOOK_BYTES} bytes). Clear its outputs, or restore it from the "
                "repository.")
        data = handle.read(MAX_NOTEBOOK_BYTES + 1)
    if len(data) > MAX_NOTEBOOK_BYTES:
        raise SubmissionReadError(f"{path} grew beyond {MAX_NOTEBOOK_BYTES} bytes while read.")
    return data


def describe(listing: ClassFolder, limit: int = 20, refused: bool = True) -> list[str]:
    """Lines naming what was refused (unless ``refused`` is False) and ignored, and why,
    at most ``limit`` of each."""
    lines = []
    groups = ((("refused", listing.refused),) if refused else ()) + (
        ("ignored", listing.ignored),)
    for title, items in groups:
        if not items:
            continue
        lines.append(f"{title} ({len(items)}):")
        lines += [f"  {item.path}: {item.reason}" for item in items[:limit]]
        if len(items) > limit:
            lines.append(f"  ... and {len(items) - limit} more")
    return lines
