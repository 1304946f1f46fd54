"""What a whole class got wrong: ``mistakes.csv`` and the instructor's ``class.html``.

Both are made from the records of :mod:`dnn_utils.workbook.batch` (or of merged shards,
:mod:`dnn_utils.workbook.shards`): every failed exercise of a graded submission carries its
mistake id ``<exercise>/<mistake>`` (``<exercise>/other`` when no named mistake matched).

The page is one self-contained HTML file (its plots are PNG images inside it, drawn by
matplotlib), rendered by Jinja2 with autoescape on, so no learner's folder name or message
reaches it as markup. Written atomically, like the gradebook.
"""

from __future__ import annotations

import base64
import io
from collections import Counter
from pathlib import Path

from ..files import write_atomically
from .gradebook import spreadsheet_safe, write_csv

GRADED = "graded"
MISTAKE_COLUMNS = ["learner", "notebook", "exercise", "mistake", "message"]
#: Mistakes drawn and listed per exercise, the most frequent first.
TOP_MISTAKES = 8


def _failed_exercises(records):
    """``(record, exercise)`` for every failed exercise of every graded submission."""
    for record in records:
        if record.get("status") != GRADED:
            continue
        for exercise in (record.get("report") or {}).get("exercises", []):
            if exercise.get("passed") is not True:
                yield record, exercise


def mistake_id(exercise: dict) -> str:
    """The failed exercise's id; ``<exercise>/other`` for a record made before ids existed."""
    return exercise.get("mistake") or f"{exercise['name']}/other"


def mistake_rows(records) -> list[list[str]]:
    """``mistakes.csv`` as rows: the header, then one row per failed exercise."""
    rows = [list(MISTAKE_COLUMNS)]
    for record, exercise in _failed_exercises(records):
        rows.append([spreadsheet_safe(record["learner"]), spreadsheet_safe(record["notebook"]),
                     exercise["name"], mistake_id(exercise),
                     spreadsheet_safe(str(exercise.get("feedback", "")))])
    return rows


def write_mistakes(records, path) -> None:
    """Write ``mistakes.csv`` (see :func:`mistake_rows`) atomically."""
    write_csv(mistake_rows(records), path)


def _class_summary(records) -> dict:
    """Counts per notebook and exercise, the data of the page (no pictures yet).

    Returns
    -------
    dict
        ``{"learners": [{"name", "anchor", "rows"}], "notebooks": [{"name", "scores",
        "max_score", "exercises": [{"name", "graded", "passed", "mistakes": [{"id",
        "count", "share", "learners"}]}]}], "submissions", "not_graded"}``; a mistake's
        ``share`` is its count over the notebook's graded submissions.
    """
    names = sorted({r["learner"] for r in records})
    anchors = {name: f"learner-{i}" for i, name in enumerate(names, start=1)}
    learners = {name: {"name": name, "anchor": anchors[name], "rows": []} for name in names}
    notebooks: dict[str, dict] = {}
    for record in records:
        report = record.get("report") or {}
        row = {"notebook": record["notebook"], "mistakes": [],
               "score": (f"{report.get('score')} / {report.get('max_score')}"
                         if record.get("status") == GRADED else "not graded")}
        learners[record["learner"]]["rows"].append(row)
        if record.get("status") != GRADED:
            continue
        book = notebooks.setdefault(record["notebook"], {
            "name": record["notebook"], "scores": [], "max_score": 0, "exercises": {}})
        book["scores"].append(report.get("score", 0))
        book["max_score"] = max(book["max_score"], report.get("max_score", 0))
        for exercise in report.get("exercises", []):
            entry = book["exercises"].setdefault(
                exercise["name"], {"name": exercise["name"], "graded": 0, "passed": 0,
                                   "who": {}})
            entry["graded"] += 1
            if exercise.get("passed") is True:
                entry["passed"] += 1
                continue
            mistake = mistake_id(exercise)
            entry["who"].setdefault(mistake, []).append(learners[record["learner"]])
            row["mistakes"].append({"id": mistake, "message": exercise.get("feedback", "")})
    for i, book in enumerate(notebooks.values()):
        book["anchor"] = f"notebook-{i}"
        exercises = list(book.pop("exercises").values())
        graded = len(book["scores"])
        for j, entry in enumerate(exercises):
            entry["anchor"] = f"{book['anchor']}-exercise-{j}"
            who = entry.pop("who")
            counts = Counter({mistake: len(people) for mistake, people in who.items()})
            entry["mistakes"] = [
                {"id": mistake, "count": count, "share": f"{100 * count / graded:.0f} %",
                 "learners": who[mistake]}
                for mistake, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            ][:TOP_MISTAKES]
        book["exercises"] = exercises
        book["graded"] = graded
        book["mean"] = f"{sum(book['scores']) / graded:.2f}" if graded else "-"
    return {"learners": [learners[name] for name in names],
            "notebooks": list(notebooks.values()), "submissions": len(records),
            "not_graded": sum(r.get("status") != GRADED for r in records)}


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=80, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _figure(height):
    # A Figure of its own (no pyplot): safe beside other threads and leaves no window.
    from matplotlib.figure import Figure

    return Figure(figsize=(6.4, height))


def _draw_plots(summary: dict) -> None:
    """Add the PNG pictures (base64) to ``summary``'s notebooks and exercises, in place."""
    for book in summary["notebooks"]:
        figure = _figure(2.6)
        axes = figure.subplots()
        top = max([book["max_score"], *book["scores"], 1])
        axes.hist(book["scores"], bins=min(20, max(5, int(top) + 1)), range=(0, top),
                  color="#4472c4", edgecolor="white")
        axes.set_xlabel(f"score (of {book['max_score']})")
        axes.set_ylabel("submissions")
        axes.yaxis.get_major_locator().set_params(integer=True)
        book["scores_png"] = _png(figure)
        exercises = book["exercises"]
        figure = _figure(0.8 + 0.3 * len(exercises))
        axes = figure.subplots()
        rates = [100 * e["passed"] / e["graded"] if e["graded"] else 0 for e in exercises]
        axes.barh([e["name"] for e in exercises], rates, color="#70ad47")
        axes.invert_yaxis()
        axes.set_xlim(0, 100)
        axes.set_xlabel("passed (% of the graded submissions)")
        book["pass_png"] = _png(figure)
        for entry in exercises:
            if not entry["mistakes"]:
                continue
            figure = _figure(0.7 + 0.3 * len(entry["mistakes"]))
            axes = figure.subplots()
            axes.barh([m["id"].split("/", 1)[-1] for m in entry["mistakes"]],
                      [m["count"] for m in entry["mistakes"]], color="#c00000")
            axes.invert_yaxis()
            axes.xaxis.get_major_locator().set_params(integer=True)  # whole learners
            axes.set_xlabel("learners")
            entry["mistakes_png"] = _png(figure)


def _report_html(records, title: str = "class") -> str:
    """The class report page (see the module docstring) as a string."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    summary = _class_summary(records)
    _draw_plots(summary)
    environment = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True, undefined=StrictUndefined)
    return environment.get_template("class_report.html.j2").render(title=title, **summary)


def write_report(records, path, title: str = "class") -> None:
    """Write the class report to ``path`` atomically."""
    data = _report_html(records, title).encode("utf-8")
    write_atomically(path, lambda handle: handle.write(data))
