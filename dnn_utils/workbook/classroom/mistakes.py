"""What a failed exercise says about the learner: a mistake, unfinished work, a raised error,
or a knock-on of a block's mistake; and ``mistakes.csv``, one row per failed exercise.

Each failed exercise of a graded submission's report carries its mistake id
``<exercise>/<mistake>`` (``<exercise>/other`` when no named mistake matched). The
grader adds ``knock_on`` (the id of the root mistake, e.g. ``linear_backward/db-axis``)
when the exercise passes its test once the blocks it calls are the correct ones
(:mod:`dnn_utils.workbook.grading.knock_on`): it is then not a mistake of its own, and is counted
under its root. A raised error is ``<exercise>/raised-error``; its exception's type is the
record's ``exception`` (or ``detail``) when present, else read from the feedback's first
line (``<exercise> raised ValueError: ...``).
"""

from __future__ import annotations

import re

from .gradebook import spreadsheet_safe, write_csv

GRADED = "graded"
MISTAKE = "mistake"
UNFINISHED = "unfinished"
RAISED = "raised"
KNOCK_ON = "knock-on"
#: Mistake ids of work not done yet: an exercise not implemented, a question not answered.
UNFINISHED_IDS = ("not-implemented", "not-answered")
RAISED_ID = "raised-error"
MISTAKE_COLUMNS = ["learner", "notebook", "exercise", "mistake", "knock_on_of", "exception",
                   "message"]
_RAISED = re.compile(r"\braised ([A-Za-z_][A-Za-z0-9_.]{0,80})")


def failed_exercises(records):
    """``(record, exercise)`` for every failed exercise of every graded submission."""
    for record in records:
        if record.get("status") != GRADED:
            continue
        for exercise in (record.get("report") or {}).get("exercises", []):
            if exercise.get("passed") is not True:
                yield record, exercise


def mistake_id(exercise: dict) -> str:
    """The failed exercise's id; ``<exercise>/other`` for a record made before ids existed."""
    own = exercise.get("mistake")
    return own if isinstance(own, str) and own else f"{exercise['name']}/other"


def knock_on_of(exercise: dict) -> str | None:
    """The root mistake id a failed exercise is a knock-on of, or None."""
    root = exercise.get("knock_on")
    return root if isinstance(root, str) and root else None


def kind(exercise: dict) -> str:
    """:data:`KNOCK_ON`, :data:`UNFINISHED`, :data:`RAISED` or :data:`MISTAKE`."""
    if knock_on_of(exercise):
        return KNOCK_ON
    suffix = mistake_id(exercise).rsplit("/", 1)[-1]
    if suffix in UNFINISHED_IDS:
        return UNFINISHED
    return RAISED if suffix == RAISED_ID else MISTAKE


def exception_type(exercise: dict) -> str:
    """The type of the exception a raised-error exercise's code raised ("" when unknown)."""
    for key in ("exception", "detail"):  # a record may carry it; else the feedback says
        own = exercise.get(key)
        if isinstance(own, str) and own:
            return own[:80]
    first = (str(exercise.get("feedback", "")).splitlines() or [""])[0]
    match = _RAISED.search(first)
    return match.group(1) if match else ""


def hint_of(feedback: str) -> str:
    """The ``Hint:`` line of a feedback text (the likely mistake), else its first line."""
    lines = [line.strip() for line in str(feedback).splitlines() if line.strip()]
    hints = [line for line in lines if line.startswith("Hint:")]
    return (hints or lines or [""])[0][:300]


def mistake_rows(records) -> list[list[str]]:
    """``mistakes.csv`` as rows: the header, then one row per failed exercise.

    A knock-on row names its root mistake in ``knock_on_of``, so each learner's slip is
    counted once, at its root, by counting the rows whose ``knock_on_of`` is empty; a
    raised error names its exception's type in ``exception``.
    """
    rows = [list(MISTAKE_COLUMNS)]
    for record, exercise in failed_exercises(records):
        raised = exception_type(exercise) if kind(exercise) == RAISED else ""
        rows.append([spreadsheet_safe(record["learner"]), spreadsheet_safe(record["notebook"]),
                     exercise["name"], mistake_id(exercise), knock_on_of(exercise) or "",
                     raised, spreadsheet_safe(str(exercise.get("feedback", "")))])
    return rows


def write_mistakes(records, path) -> None:
    """Write ``mistakes.csv`` (see :func:`mistake_rows`) atomically."""
    write_csv(mistake_rows(records), path)
