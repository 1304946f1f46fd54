"""Grades out: the class gradebook as the CSV file Canvas or Moodle imports.

``python -m dnn_utils.workbook export FORMAT GRADEBOOK OUTPUT --learners FILE`` reads the
gradebook ``grade`` wrote (one row per learner and notebook) and a learner mapping (a CSV
with a ``learner`` column, the class folder's names, and the LMS's id for each: the
``learners.csv`` that ``import`` writes, or a roster the instructor made), and writes:

- ``canvas``: Canvas's gradebook import: ``Student, ID, SIS User ID, SIS Login ID,
  Section``, then one column per notebook (its title: the notebook's name, or ``--title``).
  ``ID`` is the Canvas user id (``canvas_user_id`` in the mapping). With ``--roster``, a
  gradebook exported from Canvas, the five columns are copied from the roster's row with
  that ID.
- ``moodle``: the "grading worksheet" of a Moodle assignment (Grading action: Upload
  grading worksheet): ``Identifier`` (``Participant <id>``, the participant id the
  download's folder names carry, ``moodle_participant_id``), ``Full name``, ``Grade``,
  ``Maximum Grade``, ``Last modified (grade)`` (the export's time). One notebook: the
  worksheet holds one grade per learner.
- ``moodle-gradebook``: Moodle's gradebook import (Grades, Import, CSV file): the
  identifier column ``--id-column`` (e.g. ``email``, ``username`` or ``idnumber``, from
  the mapping), then one column per notebook; Moodle's import page maps them.

A submission the grader could not score (status ``failed``) or that is missing gets an
empty cell (the LMS keeps what it has), and is listed. A missing column, a learner the
mapping does not know, or an id missing from the roster is an error naming the file.
"""

from __future__ import annotations

import csv
import io
import re
import time
from pathlib import Path

from ...files import require_regular_file
from ..authoring.conventions import WorkbookError
from .gradebook import GRADED, spreadsheet_safe, write_csv

FORMATS = ("canvas", "moodle", "moodle-gradebook")
CANVAS_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_WORKSHEET = ["Identifier", "Full name", "Grade", "Maximum Grade", "Last modified (grade)"]
#: The identity column each format needs in the learner mapping.
ID_COLUMNS = {"canvas": "canvas_user_id", "moodle": "moodle_participant_id"}
#: Bytes a CSV file given to ``export`` may hold.
MAX_CSV_BYTES = 64 * 1024**2


class ExportError(WorkbookError):
    """A gradebook, mapping or roster cannot be used (the message names the file)."""


def read_table(path, what: str, required) -> list[dict]:
    """The rows of a UTF-8 CSV file as dicts, after checking its columns.

    Raises
    ------
    ExportError
        Naming ``what`` and the file, when it is missing, too big, not UTF-8 CSV, or
        lacks a column of ``required``.
    """
    path = Path(path)
    try:
        require_regular_file(path, what, f"Pass the {what} file.")
    except (OSError, ValueError) as exc:
        raise ExportError(str(exc)) from None
    if path.stat().st_size > MAX_CSV_BYTES:
        raise ExportError(f"{what} {path} holds more than {MAX_CSV_BYTES} bytes; a class's "
                          "CSV file is far smaller. Pass the right file.")
    try:
        text = path.read_text(encoding="utf-8-sig")  # Excel and Canvas write a BOM
        reader = csv.DictReader(io.StringIO(text, newline=""))
        rows = list(reader)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ExportError(f"{what} {path} is not a UTF-8 CSV file ({exc}). Save it as CSV "
                          "UTF-8 and pass it again.") from None
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in required if name not in header]
    if missing:
        raise ExportError(f"{what} {path} has no column {', '.join(map(repr, missing))} (its "
                          f"columns: {', '.join(header) or 'none'}). Add the column, or pass "
                          "the right file.")
    return [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in rows]


def _unescape(text: str) -> str:
    """Undo :func:`~dnn_utils.workbook.classroom.gradebook.spreadsheet_safe`."""
    return text[1:] if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@", "\t", "\r") \
        else text


def read_gradebook(path) -> dict[tuple[str, str], dict]:
    """``{(learner, notebook): row}`` of a gradebook ``grade`` wrote, in its order."""
    rows = read_table(path, "GRADEBOOK", ["learner", "notebook", "status", "score",
                                          "max_score"])
    found: dict[tuple[str, str], dict] = {}
    for row in rows:
        key = (_unescape(row["learner"]), _unescape(row["notebook"]))
        if key in found:
            raise ExportError(f"GRADEBOOK {path} has two rows for learner {key[0]!r} and "
                              f"notebook {key[1]}. Pass the gradebook grade wrote.")
        found[key] = row
    if not found:
        raise ExportError(f"GRADEBOOK {path} has no rows. Grade the class first.")
    return found


def read_learners(path, column: str) -> dict[str, dict]:
    """``{learner: row}`` of a learner mapping that has ``column`` for every learner."""
    rows = read_table(path, "--learners", ["learner", column])
    found: dict[str, dict] = {}
    for row in rows:
        if row["learner"] in found:
            raise ExportError(f"--learners {path} has two rows for learner "
                              f"{row['learner']!r}. Keep one.")
        found[row["learner"]] = row
    return found


def choose_notebooks(gradebook, wanted) -> list[str]:
    """The gradebook's notebooks (in order), or those ``wanted`` names (``02`` or a name)."""
    present = list(dict.fromkeys(notebook for _, notebook in gradebook))
    if not wanted:
        return present
    chosen = []
    for name in wanted:
        matches = [n for n in present if n == name or re.fullmatch(rf"{re.escape(name)}_.*", n)]
        if len(matches) != 1:
            raise ExportError(f"--notebook {name}: the gradebook has "
                              f"{'no' if not matches else 'more than one'} such notebook; it "
                              f"has {', '.join(present)}.")
        chosen.append(matches[0])
    return chosen


def parse_titles(pairs, notebooks) -> dict[str, str]:
    """``--title NOTEBOOK=TITLE`` options as ``{notebook: title}``."""
    titles = {notebook: notebook for notebook in notebooks}
    for pair in pairs or []:
        name, sep, title = pair.partition("=")
        if not sep or not title.strip():
            raise ExportError(f"--title must be NOTEBOOK=TITLE, e.g. --title '02=Notebook 2 "
                              f"(4521)'; got {pair!r}.")
        titles[choose_notebooks({("", n): None for n in notebooks}, [name.strip()])[0]] = \
            title.strip()
    return titles


def _grades(gradebook, notebooks, learner, skipped) -> dict[str, str]:
    """The learner's score per notebook; "" (and a line in ``skipped``) where there is none."""
    grades = {}
    for notebook in notebooks:
        row = gradebook.get((learner, notebook))
        if row is None:
            skipped.append(f"{learner}/{notebook}: no submission")
        elif row["status"] != GRADED or row["score"] == "":
            skipped.append(f"{learner}/{notebook}: {row['status']}, {row.get('notes', '')}"[:200])
        grades[notebook] = "" if row is None or row["status"] != GRADED else row["score"]
    return grades


def _known(learners, learner, path, column):
    if learner not in learners:
        raise ExportError(f"--learners {path} has no row for learner {learner!r} of the "
                          f"gradebook. Add it with its {column}, or import the class again.")
    value = learners[learner][column]
    if not value:
        raise ExportError(f"--learners {path}: learner {learner!r} has an empty {column}. Fill "
                          "it in.")
    return learners[learner]


def export_grades(fmt: str, gradebook_path, output, learners_path, *, roster=None,
                  notebooks=None, titles=None, id_column=None, now=None) -> dict:
    """Write the LMS import file ``output`` (see the module docstring).

    Returns
    -------
    dict
        ``{"rows": learners written, "skipped": ["learner/notebook: why", ...]}``.
    """
    if fmt not in FORMATS:
        raise ExportError(f"FORMAT must be one of {', '.join(FORMATS)}; got {fmt!r}.")
    column = id_column if fmt == "moodle-gradebook" else ID_COLUMNS[fmt]
    if column is None:
        raise ExportError("moodle-gradebook needs --id-column, the mapping's column Moodle "
                          "identifies users by (e.g. email, username or idnumber).")
    gradebook = read_gradebook(gradebook_path)
    learners = read_learners(learners_path, column)
    chosen = choose_notebooks(gradebook, notebooks)
    if fmt == "moodle" and len(chosen) != 1:
        raise ExportError(f"a Moodle grading worksheet holds one grade per learner: pass "
                          f"--notebook with one of {', '.join(chosen)}.")
    names = parse_titles(titles, chosen)
    by_id = None
    if roster is not None and fmt == "canvas":
        by_id = {row["ID"]: row for row in read_table(roster, "--roster", CANVAS_COLUMNS)
                 if row["ID"]}
    header = {"canvas": CANVAS_COLUMNS + [names[n] for n in chosen],
              "moodle": MOODLE_WORKSHEET,
              "moodle-gradebook": [column] + [names[n] for n in chosen]}[fmt]
    rows, skipped = [header], []
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(now))
    for learner in sorted({learner for learner, _ in gradebook}):
        mapped = _known(learners, learner, learners_path, column)
        grades = _grades(gradebook, chosen, learner, skipped)
        if not any(grades.values()):
            continue
        if fmt == "canvas":
            user = mapped[column]
            if by_id is not None and user not in by_id:
                raise ExportError(f"--roster {roster} has no student with ID {user} (learner "
                                  f"{learner!r} in --learners {learners_path}). Export the "
                                  "gradebook from Canvas again, or fix the mapping.")
            known = by_id[user] if by_id is not None else {
                "Student": spreadsheet_safe(mapped.get("canvas_name") or learner), "ID": user}
            rows.append([known.get(c, "") for c in CANVAS_COLUMNS] + [grades[n] for n in chosen])
        elif fmt == "moodle":
            notebook = chosen[0]
            rows.append([f"Participant {mapped[column]}",
                         spreadsheet_safe(mapped.get("moodle_full_name") or learner),
                         grades[notebook], gradebook[learner, notebook]["max_score"],
                         stamp])
        else:
            rows.append([mapped[column]] + [grades[n] for n in chosen])
    write_csv(rows, output)
    return {"rows": len(rows) - 1, "skipped": skipped}
