"""How each place submissions come from names its files, and who each file belongs to.

Each layout turns the entries of a :class:`~dnn_utils.workbook.classroom.intake_sources.Source` into
:class:`Candidate` files (a learner, that learner's identity in the LMS, the learner's own
file name) and :class:`Ignored` entries with the reason:

- ``canvas``: the zip of "Download Submissions": every file at the top, named
  ``<name>[_late]_<user id>_<attachment id>_<file name>`` (Canvas adds ``-1``, ``-2`` to a
  file name the learner submitted again).
- ``moodle``: "Download all submissions": ``<Full name>_<participant id>_assignsubmission_file_/
  <file name>`` (a folder per learner, the default), or the same prefix on each file
  (``..._assignsubmission_file_<file name>``) when folders are turned off. Other
  submission plugins (``assignsubmission_onlinetext_``) are not files to grade.
- ``nbgrader``: the course's ``submitted/<student>/<assignment>/<notebook>.ipynb``, or the
  exchange's ``inbound/<student>+<assignment>+<timestamp>[+<random>]/<notebook>.ipynb``,
  where the latest submission of each student and assignment counts (as ``nbgrader
  collect`` decides).
- ``github``: one cloned repository per learner (GitHub Classroom names them
  ``<assignment>-<username>``; ``prefix`` strips the assignment part); notebooks anywhere
  in the repository except in hidden folders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath

from .intake_sources import FILE, FOLDER, Entry, Source

LAYOUTS = ("canvas", "moodle", "nbgrader", "github")

_CANVAS = re.compile(r"(?P<name>.+?)(?P<late>_late)?_(?P<user>\d+)_(?P<attachment>\d+)_"
                     r"(?P<file>.+)", re.IGNORECASE)
_MOODLE = re.compile(r"(?P<name>.+)_(?P<id>\d+)_assignsubmission_(?P<plugin>[a-z0-9]+)_"
                     r"(?P<rest>.*)")
_NBGRADER_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?")


@dataclass(frozen=True)
class Candidate:
    """A file that belongs to a learner: maybe one of the workbook's notebooks."""

    learner: str
    identity: dict = field(hash=False)
    entry: Entry
    file_name: str
    note: str = ""


@dataclass(frozen=True)
class Ignored:
    """An entry not taken, and why."""

    entry: Entry
    reason: str


def safe_name(text: str) -> str:
    """A folder name for a learner: letters, digits, ``-``, ``_`` and ``.`` only, never
    hidden, at most 80 characters (``"Ann O'Neil"`` -> ``"Ann-O-Neil"``)."""
    name = re.sub(r"[^\w.-]+", "-", text).strip("-._")[:80].strip("-._")
    return name or "learner"


def _hidden(entry: Entry) -> bool:
    return any(part.startswith(".") for part in entry.path.parts)


def _files(source: Source):
    """The source's files, except hidden ones and those in hidden folders."""
    return [entry for entry in source.entries if entry.kind == FILE and not _hidden(entry)]


def _not_files(source: Source) -> list[Ignored]:
    """Every entry that is not a file to look at, with the reason."""
    reasons = {"link": "a link: not followed", "other": "not a regular file",
               "hidden folder": "a hidden folder: not looked into"}
    ignored = [Ignored(e, reasons[e.kind]) for e in source.entries if e.kind in reasons]
    return ignored + [Ignored(e, "hidden, or in a hidden folder") for e in source.entries
                      if e.kind == FILE and _hidden(e)]


def canvas(source: Source, options) -> tuple[list[Candidate], list[Ignored]]:
    taken, ignored = [], _not_files(source)
    for entry in _files(source):
        match = _CANVAS.fullmatch(entry.path.name)
        if len(entry.path.parts) > 1:
            ignored.append(Ignored(entry, "inside a folder: Canvas puts every file at the top "
                                   "of the zip"))
        elif match is None:
            ignored.append(Ignored(entry, "not named <name>_<user id>_<attachment id>_<file> "
                                   "as Canvas names a submitted file (a text entry or a "
                                   "link submission has no file to grade)"))
        else:
            learner = f"{safe_name(match['name'])}_{match['user']}"
            identity = {"canvas_user_id": match["user"], "canvas_name": match["name"]}
            taken.append(Candidate(learner, identity, entry, match["file"],
                                   "late" if match["late"] else ""))
    return taken, ignored


def moodle(source: Source, options) -> tuple[list[Candidate], list[Ignored]]:
    taken, ignored = [], _not_files(source)
    for entry in _files(source):
        match = _MOODLE.fullmatch(entry.path.parts[0])
        folders = len(entry.path.parts) > 1
        if match is None or (folders and match["rest"]) or (not folders and not match["rest"]):
            ignored.append(Ignored(entry, "not under a <Full name>_<participant id>_"
                                   "assignsubmission_file_ name as Moodle's download names a "
                                   "learner's files"))
        elif match["plugin"] != "file":
            ignored.append(Ignored(entry, f"Moodle's {match['plugin']} submission, not a "
                                   "submitted file"))
        else:
            learner = f"{safe_name(match['name'])}_{match['id']}"
            identity = {"moodle_participant_id": match["id"], "moodle_full_name": match["name"]}
            name = entry.path.name if folders else match["rest"]
            taken.append(Candidate(learner, identity, entry, name))
    return taken, ignored


def _nbgrader_top(source: Source) -> PurePosixPath:
    """The folder holding the students: SOURCE, or its ``submitted``/``inbound`` folder."""
    names = {e.path for e in source.entries if e.kind == FOLDER and len(e.path.parts) == 1}
    for top in ("submitted", "inbound"):
        if PurePosixPath(top) in names:
            return PurePosixPath(top)
    return PurePosixPath()


def _inbound_name(name: str):
    """``(student, assignment, timestamp)`` of an exchange folder name, or None."""
    parts = name.split("+")
    if len(parts) not in (3, 4) or not all(parts[:3]):
        return None
    found = _NBGRADER_TIME.match(parts[2])
    if found is None:
        return None
    return parts[0], parts[1], datetime.fromisoformat(found[0])


def nbgrader(source: Source, options) -> tuple[list[Candidate], list[Ignored]]:
    top = _nbgrader_top(source)
    depth = len(top.parts)
    taken, ignored = [], _not_files(source)
    rows = []
    for entry in _files(source):
        parts = entry.path.parts[depth:]
        if entry.path.parts[:depth] != top.parts or len(parts) < 2:
            ignored.append(Ignored(entry, f"not inside a student's folder of {top or 'SOURCE'}"))
            continue
        inbound = _inbound_name(parts[0])
        if inbound is not None:
            student, assignment, when = inbound
            inner = parts[1:]
        elif len(parts) >= 3 and "+" not in parts[0]:
            student, assignment, when, inner = parts[0], parts[1], None, parts[2:]
        else:
            ignored.append(Ignored(entry, "not at submitted/<student>/<assignment>/<file> nor "
                                   "inbound/<student>+<assignment>+<timestamp>/<file>"))
            continue
        if options.assignment is not None and assignment != options.assignment:
            ignored.append(Ignored(entry, f"assignment {assignment!r}, not --assignment "
                                   f"{options.assignment!r}"))
        elif len(inner) > 1:
            ignored.append(Ignored(entry, "in a subfolder of the assignment: nbgrader grades "
                                   "the notebooks at its top only"))
        else:
            rows.append((student, assignment, when, entry))
    latest = {}
    for student, assignment, when, _ in rows:
        if when is not None and (student, assignment) in latest:
            latest[student, assignment] = max(latest[student, assignment], when)
        else:
            latest[student, assignment] = when
    for student, assignment, when, entry in rows:
        if when is not None and when != latest[student, assignment]:
            ignored.append(Ignored(entry, f"an earlier submission of {student}'s "
                                   f"{assignment} ({when}); the latest "
                                   f"({latest[student, assignment]}) counts, as nbgrader "
                                   "collect decides"))
            continue
        taken.append(Candidate(safe_name(student), {"nbgrader_student_id": student}, entry,
                               entry.path.name, "" if when is None else f"submitted {when}"))
    return taken, ignored


def github(source: Source, options) -> tuple[list[Candidate], list[Ignored]]:
    prefix = options.prefix or ""
    taken, ignored = [], _not_files(source)
    for entry in _files(source):
        repository = entry.path.parts[0]
        if len(entry.path.parts) == 1:
            ignored.append(Ignored(entry, "not inside a repository's folder"))
        elif not repository.startswith(prefix) or repository == prefix:
            ignored.append(Ignored(entry, f"its repository's name does not start with "
                                   f"--prefix {prefix!r}"))
        else:
            taken.append(Candidate(safe_name(repository[len(prefix):]),
                                   {"github_repository": repository}, entry, entry.path.name))
    return taken, ignored


READERS = {"canvas": canvas, "moodle": moodle, "nbgrader": nbgrader, "github": github}


def looks_like(source: Source) -> dict[str, int]:
    """How many files each layout recognizes as a learner's (for ``import auto``)."""
    counts = {}
    files = _files(source)
    counts["canvas"] = sum(len(e.path.parts) == 1 and bool(_CANVAS.fullmatch(e.path.name))
                           for e in files)
    counts["moodle"] = sum(bool(_MOODLE.fullmatch(e.path.parts[0])) for e in files)
    top = _nbgrader_top(source)
    depth = len(top.parts)
    # A submitted/ folder is told apart from cloned repositories by its name or by the
    # timestamp.txt nbgrader writes into every submission.
    stamped = {e.path.parent for e in files if e.path.name == "timestamp.txt"}
    counts["nbgrader"] = sum(
        e.path.parts[:depth] == top.parts and len(e.path.parts) > depth + 1
        and (_inbound_name(e.path.parts[depth]) is not None
             or (len(e.path.parts) == depth + 3
                 and (top.parts == ("submitted",) or e.path.parent in stamped)))
        for e in files)
    repositories = {e.path.parts[0] for e in source.entries
                    if len(e.path.parts) >= 2 and e.path.parts[1] == ".git"}
    counts["github"] = sum(e.path.parts[0] in repositories for e in files)
    return counts
