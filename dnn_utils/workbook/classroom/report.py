"""What a whole class got wrong: the instructor's ``class.html`` (and ``mistakes.csv``).

Both are made from the records of :mod:`dnn_utils.workbook.classroom.batch` (or of merged shards,
:mod:`dnn_utils.workbook.classroom.shards`). The page opens with the class's top mistakes across all
exercises (learners affected, share, who), then apart: the errors the learners' code
raised (by exception type), the work not done yet, the knock-ons (an exercise that fails
only because a block it calls is wrong, counted under that block's mistake) and what was
not graded and why; per-notebook details follow, one row per distinct mistake, and the
learners' rows are folded away. So the page grows with the number of distinct mistakes,
not with the number of exercises or learners.

What the class folder walk set aside (links, stray files, misnamed notebooks, learners
without a notebook) is passed as ``set_aside``: an iterable of dicts or objects with
``path`` and ``reason`` (and ``learner``, or None), as :func:`not_graded_lines` reads them.

The page is one self-contained HTML file (its plots are PNG images inside it, drawn by
matplotlib), rendered by Jinja2 with autoescape on, so no learner's folder name or message
reaches it as markup. Written atomically, like the gradebook.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

from ...files import write_atomically
from .mistakes import (
    GRADED,
    KNOCK_ON,
    MISTAKE,
    MISTAKE_COLUMNS,
    RAISED,
    UNFINISHED,
    exception_type,
    failed_exercises,
    hint_of,
    kind,
    knock_on_of,
    mistake_id,
    mistake_rows,
    write_mistakes,
)

__all__ = ["MISTAKE_COLUMNS", "class_summary", "mistake_rows", "not_graded_lines",
           "write_mistakes", "write_report"]

#: Mistakes listed at the top of the page, the most frequent first.
TOP_MISTAKES = 10
#: Learners named in a row before the rest are folded away.
WHO_SHOWN = 5


def _field(item, name):
    return item.get(name) if isinstance(item, dict) else getattr(item, name, None)


def set_aside_rows(set_aside) -> list[dict]:
    """``[{"path", "reason", "learner"}]`` of what the folder walk did not grade."""
    rows = []
    for item in set_aside or ():
        learner = _field(item, "learner")
        rows.append({"path": str(_field(item, "path") or ""),
                     "reason": str(_field(item, "reason") or ""),
                     "learner": None if learner is None else str(learner)})
    return rows


def _first_line(text) -> str:
    return (str(text or "").strip().splitlines() or [""])[0][:300]


def not_graded_lines(records, set_aside=()) -> list[str]:
    """One line per submission without a score and per item set aside, saying why."""
    lines = [f"without a score: {r['learner']}/{r['notebook']}: {_first_line(r.get('error'))}"
             for r in records if r.get("status") != GRADED]
    lines += [f"not graded: {row['path']}: {row['reason']}" for row in set_aside_rows(set_aside)]
    return lines


def _entry(key, people, graded, anchors, hint=""):
    kind_, notebook, exercise, label = key
    who = [{"name": name, "anchor": anchors[name]} for name in sorted(set(people))]
    return {"kind": kind_, "notebook": notebook, "exercise": exercise, "label": label,
            "count": len(who), "share": f"{100 * len(who) / max(graded, 1):.0f} %",
            "who": who[:WHO_SHOWN], "more": who[WHO_SHOWN:], "hint": hint}


def _groups(records):
    """``{(kind, notebook, exercise, label): [learner, ...]}`` and a hint per key."""
    groups: dict[tuple, list] = {}
    hints: dict[tuple, str] = {}
    for record, exercise in failed_exercises(records):
        what = kind(exercise)
        label = {KNOCK_ON: knock_on_of(exercise), RAISED: exception_type(exercise) or
                 "an exception"}.get(what, mistake_id(exercise))
        key = (what, record["notebook"], exercise["name"], label)
        groups.setdefault(key, []).append(record["learner"])
        hints.setdefault(key, hint_of(exercise.get("feedback", "")))
    return groups, hints


def _notebooks(records, entries) -> list[dict]:
    books: dict[str, dict] = {}
    for record in records:
        if record.get("status") != GRADED:
            continue
        report = record.get("report") or {}
        book = books.setdefault(record["notebook"], {
            "name": record["notebook"], "scores": [], "max_score": 0, "exercises": {}})
        book["scores"].append(report.get("score", 0))
        book["max_score"] = max(book["max_score"], report.get("max_score", 0))
        for exercise in report.get("exercises", []):
            row = book["exercises"].setdefault(exercise["name"], {
                "name": exercise["name"], "graded": 0, "passed": 0, "rows": []})
            row["graded"] += 1
            row["passed"] += exercise.get("passed") is True
    order = {MISTAKE: 0, RAISED: 1, UNFINISHED: 2, KNOCK_ON: 3}
    for entry in sorted(entries, key=lambda e: (order[e["kind"]], -e["count"], e["label"])):
        books[entry["notebook"]]["exercises"][entry["exercise"]]["rows"].append(entry)
    result = []
    for i, book in enumerate(books.values()):
        exercises = list(book.pop("exercises").values())
        graded = len(book["scores"])
        result.append({**book, "anchor": f"notebook-{i}", "graded": graded,
                       "mean": f"{sum(book['scores']) / graded:.2f}" if graded else "-",
                       "failing": [e for e in exercises if e["rows"]],
                       "all_passed": [e["name"] for e in exercises if not e["rows"]]})
    return result


def _learners(records, names, anchors) -> list[dict]:
    rows = {name: [] for name in names}
    for record in records:
        report = record.get("report") or {}
        graded = record.get("status") == GRADED
        slips = [{"id": mistake_id(e), "root": knock_on_of(e), "hint": hint_of(e.get("feedback"))}
                 for e in report.get("exercises", []) if graded and e.get("passed") is not True]
        rows[record["learner"]].append({
            "notebook": record["notebook"], "slips": slips,
            "score": (f"{report.get('score')} / {report.get('max_score')}" if graded
                      else "not graded")})
    return [{"name": name, "anchor": anchors[name], "rows": rows[name]} for name in names]


def class_summary(records, set_aside=()) -> dict:
    """The data of the page (no pictures yet).

    Returns
    -------
    dict
        ``{"top", "raised", "unfinished", "knock_ons"}``: lists of entries ``{"kind",
        "notebook", "exercise", "label", "count", "share", "who", "more", "hint"}`` (the
        label is the mistake id, the exception type, or the root mistake of a knock-on; the
        share is the count over the notebook's graded submissions); ``"notebooks"``
        (``name, graded, mean, max_score, scores, failing`` exercises with their entries,
        ``all_passed``); ``"learners"``; ``"without_score"`` and ``"set_aside"`` (what was
        not graded, and why); ``"submissions"``, ``"mistakes"`` (distinct mistake ids).
    """
    aside = set_aside_rows(set_aside)
    names = sorted({r["learner"] for r in records} | {a["learner"] for a in aside
                                                       if a["learner"] is not None})
    anchors = {name: f"learner-{i}" for i, name in enumerate(names, start=1)}
    graded = {}
    for record in records:
        graded[record["notebook"]] = graded.get(record["notebook"], 0) + (
            record.get("status") == GRADED)
    groups, hints = _groups(records)
    entries = [_entry(key, people, graded[key[1]], anchors, hints[key])
               for key, people in groups.items()]
    by_kind = {k: sorted((e for e in entries if e["kind"] == k),
                         key=lambda e: (-e["count"], e["notebook"], e["label"]))
               for k in (MISTAKE, RAISED, UNFINISHED, KNOCK_ON)}
    without = [{"learner": r["learner"], "anchor": anchors[r["learner"]],
                "notebook": r["notebook"], "why": _first_line(r.get("error"))}
               for r in records if r.get("status") != GRADED]
    return {"top": by_kind[MISTAKE][:TOP_MISTAKES], "more_mistakes": len(by_kind[MISTAKE]),
            "raised": by_kind[RAISED], "unfinished": by_kind[UNFINISHED],
            "knock_ons": by_kind[KNOCK_ON], "notebooks": _notebooks(records, entries),
            "learners": _learners(records, names, anchors), "without_score": without,
            "set_aside": aside, "submissions": len(records),
            "mistakes": len(by_kind[MISTAKE])}


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=80, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _figure(width, height):
    # A Figure of its own (no pyplot): safe beside other threads and leaves no window.
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height))


def _draw_plots(summary: dict) -> None:
    """Add the PNG pictures (base64): the top mistakes, and each notebook's scores."""
    top = summary["top"]
    summary["top_png"] = None
    if len(top) > 1:  # a chart of one bar says nothing the table does not
        axes = (figure := _figure(6.4, 0.6 + 0.28 * len(top))).subplots()
        axes.barh([e["label"] for e in top], [e["count"] for e in top], color="#c00000")
        axes.invert_yaxis()
        axes.xaxis.get_major_locator().set_params(integer=True)  # whole learners
        axes.set_xlabel("learners")
        summary["top_png"] = _png(figure)
    for book in summary["notebooks"]:
        axes = (figure := _figure(4.0, 1.6)).subplots()
        ceiling = max([book["max_score"], *book["scores"], 1])
        axes.hist(book["scores"], bins=min(20, max(5, int(ceiling) + 1)), range=(0, ceiling),
                  color="#4472c4", edgecolor="white")
        axes.set_xlabel(f"score (of {book['max_score']})")
        axes.set_ylabel("submissions")
        axes.yaxis.get_major_locator().set_params(integer=True)
        book["scores_png"] = _png(figure)


def _report_html(records, title: str = "class", set_aside=()) -> str:
    """The class report page (see the module docstring) as a string."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    summary = class_summary(records, set_aside)
    _draw_plots(summary)
    environment = Environment(
        loader=FileSystemLoader(Path(__file__).parents[1] / "templates"),
        autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return environment.get_template("class_report.html.j2").render(title=title, **summary)


def write_report(records, path, title: str = "class", set_aside=()) -> None:
    """Write the class report to ``path`` atomically."""
    data = _report_html(records, title, set_aside).encode("utf-8")
    write_atomically(path, lambda handle: handle.write(data))
