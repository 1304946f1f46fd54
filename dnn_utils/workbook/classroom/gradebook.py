"""The outputs of class grading: the gradebook CSV and each learner's HTML feedback page.

Both are written from the records of :mod:`dnn_utils.workbook.classroom.batch` (``{"learner",
"notebook", "status", "report" or "error", "key": {"sha256", ...}}``), atomically, so an
interrupted run leaves the previous file whole.
"""

from __future__ import annotations

import csv
import functools
import io
from pathlib import Path

import jinja2

from ...files import write_atomically

GRADED = "graded"
#: The folder of the learners' feedback pages, inside the output folder (``grade --out``).
FEEDBACK_FOLDER = "feedback"


def _exercise_columns(records) -> list[str]:
    """Exercise names in the order they first appear (notebook by notebook)."""
    columns: list[str] = []
    for record in records:
        for exercise in (record.get("report") or {}).get("exercises", []):
            if exercise["name"] not in columns:
                columns.append(exercise["name"])
    return columns


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet will not run as a formula (a learner chooses folder names and
    error messages)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def gradebook_rows(records) -> list[list]:
    """The gradebook as rows: a header, then one row per learner and notebook.

    Columns: learner, notebook, status (graded or failed), score, max_score, the points of
    each exercise (empty where the notebook has no such exercise or was not graded), notes
    (joined with " | "), sha256 of the notebook graded.
    """
    columns = _exercise_columns(records)
    rows = [["learner", "notebook", "status", "score", "max_score", *columns, "notes", "sha256"]]
    for record in records:
        report = record.get("report") or {}
        points = {e["name"]: e["points"] for e in report.get("exercises", [])}
        notes = list(report.get("notes", []))
        if record["status"] != GRADED:
            notes.insert(0, record.get("error", ""))
        rows.append([
            spreadsheet_safe(record["learner"]),
            spreadsheet_safe(record["notebook"]),
            record["status"],
            report.get("score", ""),
            report.get("max_score", ""),
            *[points.get(name, "") for name in columns],
            spreadsheet_safe(" | ".join(" ".join(str(n).split()) for n in notes)),
            record["key"]["sha256"] or "",
        ])
    return rows


def write_csv(rows, csv_path) -> None:
    """Write ``rows`` (lists of cells) as a UTF-8 CSV file, atomically."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    write_atomically(csv_path, lambda handle: handle.write(data))


def write_gradebook(records, csv_path) -> None:
    """Write the gradebook CSV (see :func:`gradebook_rows`) atomically."""
    write_csv(gradebook_rows(records), csv_path)


@functools.cache
def _feedback_template() -> jinja2.Template:
    # Autoescape: every learner-controlled string (names, feedback, notes) is escaped.
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parents[1] / "templates"),
        autoescape=True, trim_blocks=True, lstrip_blocks=True,
        undefined=jinja2.StrictUndefined)
    return environment.get_template("feedback.html.j2")


def feedback_html(learner: str, records) -> str:
    """One learner's feedback page: per notebook, the score, each exercise's verdict and
    message, and the notes. Rendered from ``templates/feedback.html.j2`` with autoescape,
    so every piece of text is HTML-escaped."""
    rows = [{"notebook": r["notebook"], "status": r["status"], "report": r.get("report"),
             "error": r.get("error", "")} for r in records]
    return _feedback_template().render(learner=learner, records=rows)


def write_feedback(records, out_dir) -> list[Path]:
    """Write ``out_dir/<learner>.html`` for every learner; return the paths written.

    ``grade`` passes the :data:`FEEDBACK_FOLDER` of its output folder (created here)."""
    Path(out_dir).mkdir(exist_ok=True)
    by_learner: dict[str, list] = {}
    for record in records:
        by_learner.setdefault(record["learner"], []).append(record)
    written = []
    for learner, own in by_learner.items():
        path = Path(out_dir) / f"{learner}.html"
        data = feedback_html(learner, own).encode("utf-8")
        write_atomically(path, lambda handle, data=data: handle.write(data))
        written.append(path)
    return written
