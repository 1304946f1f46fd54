"""Grading a class: the submissions folder, the gradebook, feedback pages and resumption.

The slow tests grade a few made-up submissions of notebook 02
(:mod:`sample_class` (tests/sample_class.py)); each grading runs the notebook in a kernel.
"""

import csv
import os
import shutil
import time
from pathlib import Path

import pytest
from sample_class import DEFAULT_NOTEBOOK, make_class

from dnn_utils.workbook.__main__ import main
from dnn_utils.workbook.authoring.conventions import graded_cells, read_notebook
from dnn_utils.workbook.classroom.batch import (
    BatchInputError,
    Settings,
    check_output_locations,
    file_sha256,
    grade_class,
)
from dnn_utils.workbook.classroom.gradebook import feedback_html, gradebook_rows

# The exercises, points and total of the sample class's notebook, from its solution.
_SOLUTION = Path(__file__).resolve().parents[1] / "notebooks" / "solutions" / (
    f"{DEFAULT_NOTEBOOK}.ipynb")
POINTS = {e.name: e.points for e in graded_cells(read_notebook(_SOLUTION), DEFAULT_NOTEBOOK)}
MAX_SCORE = sum(POINTS.values())


def record(learner, notebook, exercises, status="graded", notes=(), error=None):
    """A batch record as grade_class keeps it, with a report of (name, points, max) tuples."""
    report = None
    if status == "graded":
        report = {
            "score": sum(e[1] for e in exercises),
            "max_score": sum(e[2] for e in exercises),
            "exercises": [
                {"name": n, "points": p, "max_points": m, "passed": p == m,
                 "feedback": "passed" if p == m else f"{n} is wrong"}
                for n, p, m in exercises
            ],
            "notes": list(notes),
        }
    found = {"learner": learner, "notebook": notebook, "status": status,
             "key": {"sha256": "ab" * 32}, "report": report}
    if error:
        found["error"] = error
    return found


# --- the submissions folder and the output locations ------------------------------------


NB01 = "01_notation_and_dimensions"


def test_output_locations_are_checked_before_grading(tmp_path):
    check_output_locations(tmp_path / "gradebook.csv", tmp_path / "feedback")  # fine
    with pytest.raises(BatchInputError, match=r"--csv .*nowhere does not exist"):
        check_output_locations(tmp_path / "nowhere" / "g.csv", tmp_path / "feedback")
    with pytest.raises(BatchInputError, match="--csv .* is a folder"):
        check_output_locations(tmp_path, tmp_path / "feedback")
    (tmp_path / "file").write_text("")
    with pytest.raises(BatchInputError, match="--out .* is a file"):
        check_output_locations(tmp_path / "g.csv", tmp_path / "file")
    with pytest.raises(BatchInputError, match="--out .* does not exist"):
        check_output_locations(tmp_path / "g.csv", tmp_path / "no" / "feedback")
    # /proc refuses new files even to root, as a read-only or foreign folder would.
    if os.path.isdir("/proc"):
        with pytest.raises(BatchInputError, match="--csv /proc/g.csv cannot be written: creating"):
            check_output_locations(Path("/proc/g.csv"), tmp_path / "feedback")
        with pytest.raises(BatchInputError, match="--out /proc/feedback cannot be written"):
            check_output_locations(tmp_path / "g.csv", Path("/proc/feedback"))


def test_cli_rejects_bad_class_arguments_with_clear_errors(tmp_path, capsys):
    (tmp_path / "alice").mkdir()
    (tmp_path / "alice" / f"{NB01}.ipynb").write_text("{}")
    with pytest.raises(SystemExit) as exit_info:
        main(["grade", str(tmp_path), "--jobs", "0"])
    assert exit_info.value.code == 2
    assert "--jobs: got 0, expected a whole number >= 1 (the number of submissions graded " \
        "at once)" in capsys.readouterr().err

    assert main(["grade", str(tmp_path / "missing_dir"), "--jobs", "2"]) == 1
    assert "does not exist" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["grade", str(empty), "--csv", str(tmp_path / "g.csv")]) == 1
    assert "has no submissions" in capsys.readouterr().err
    assert main(["grade", str(tmp_path), "--csv", str(tmp_path / "no" / "g.csv")]) == 1
    assert "the folder" in capsys.readouterr().err and not (tmp_path / "no").exists()
    with pytest.raises(SystemExit) as exit_info:
        main(["grade", str(tmp_path / "alice" / f"{NB01}.ipynb"), "--jobs", "2"])
    assert exit_info.value.code == 2
    assert "--jobs only apply when grading a folder" in capsys.readouterr().err


def test_grade_class_rejects_jobs_below_one(tmp_path):
    with pytest.raises(BatchInputError, match="--jobs must be a whole number of at least 1; got 0"):
        grade_class(tmp_path, tmp_path / "g.csv", jobs=0)


# --- the gradebook and the feedback pages (no grading) ----------------------------------


def test_gradebook_has_a_column_per_exercise_and_the_totals():
    records = [
        record("alice", "01", [("f", 1, 1), ("g", 0, 2)]),
        record("alice", "03", [("h", 1, 1)], notes=["a cell\ntimed out"]),
        record("=bob", "01", [], status="failed", error="the grader was killed by SIGKILL"),
    ]
    rows = gradebook_rows(records)
    assert rows[0] == ["learner", "notebook", "status", "score", "max_score", "f", "g", "h",
                       "notes", "sha256"]
    assert rows[1][:8] == ["alice", "01", "graded", 1, 3, 1, 0, ""]
    assert rows[2][:9] == ["alice", "03", "graded", 1, 1, "", "", 1, "a cell timed out"]
    # A failed row has no score; a learner-chosen name cannot become a spreadsheet formula.
    assert rows[3][:8] == ["'=bob", "01", "failed", "", "", "", "", ""]
    assert rows[3][8] == "the grader was killed by SIGKILL"


def test_feedback_page_escapes_every_message():
    hostile = '<script>alert("x")</script> & </pre>'
    graded = record("<b>eve</b>", "01", [("f", 0, 1), ("g", 1, 1)], notes=[hostile])
    graded["report"]["exercises"][0]["feedback"] = hostile
    failed = record("<b>eve</b>", "03", [], status="failed", error=hostile)
    page = feedback_html("<b>eve</b>", [graded, failed])
    assert "<script>" not in page and "<b>" not in page
    escaped = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;/pre&gt;"
    assert page.count(escaped) == 3  # the feedback, the note and the failure
    assert "Feedback for &lt;b&gt;eve&lt;/b&gt;" in page
    assert "Score: 1 / 2" in page
    assert '<td class="failed">failed</td><td><pre>' + escaped in page
    assert page.count('<td class="passed">passed</td>') == 1


# --- grading a class for real -----------------------------------------------------------


def read_gradebook(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return {row["learner"]: row for row in csv.DictReader(handle)}


# graded_class: the class graded once for the whole session (tests/conftest.py).


@pytest.mark.slow
def test_gradebook_of_a_class_scores_each_learner_on_their_own(graded_class):
    root, made, hashes, result = graded_class
    errors = {r["learner"]: r.get("error") for r in result["records"]}
    # Sandboxed, the killer's SIGKILL reaches only the sandbox's own process tree: it is
    # graded like everyone else, with the score its (empty) work earns.
    assert (result["graded"], result["skipped"], result["failed"]) == (len(made), 0, 0), errors
    rows = read_gradebook(root / "gradebook.csv")
    assert sorted(rows) == sorted(made)
    for learner, m in made.items():
        row = rows[learner]
        assert row["notebook"] == DEFAULT_NOTEBOOK
        assert row["sha256"] == hashes[learner]
        passed = {name for name in m["passed"]}
        exercises = [c for c in row if c not in (
            "learner", "notebook", "status", "score", "max_score", "notes", "sha256")]
        assert len(exercises) == len(POINTS)
        assert {c for c in exercises if row[c] == str(POINTS[c])} == passed
        assert int(row["score"]) == m["score"] == sum(int(row[c]) for c in exercises)
        assert row["max_score"] == str(MAX_SCORE)
    # The vandal overwrote notebooks in its private copy only.
    assert {learner: file_sha256(m["path"]) for learner, m in made.items()} == hashes


@pytest.mark.slow
def test_feedback_page_per_learner_has_each_verdict(graded_class):
    root, made, _, _ = graded_class
    assert sorted(p.stem for p in (root / "feedback").glob("*.html")) == sorted(made)
    wrong = next(learner for learner, m in made.items() if m["kind"] == "partly_wrong")
    page = (root / "feedback" / f"{wrong}.html").read_text(encoding="utf-8")
    assert f"Score: {made[wrong]['score']} / {MAX_SCORE}" in page
    assert page.count('<td class="passed">passed</td>') == len(made[wrong]["passed"])
    assert page.count('<td class="failed">failed</td>') == len(POINTS) - len(made[wrong]["passed"])
    killer = next(learner for learner, m in made.items() if m["kind"] == "killer")
    assert f"Score: 0 / {MAX_SCORE}" in (root / "feedback" / f"{killer}.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_resumption_skips_unchanged_regrades_changed_and_force_regrades_all(graded_class):
    root, made, _, _ = graded_class
    for learner, m in made.items():
        if m["kind"] in ("killer", "vandal"):
            shutil.rmtree(m["path"].parent)
    honest = next(learner for learner, m in made.items() if m["kind"] == "honest")
    wrong = next(learner for learner, m in made.items() if m["kind"] == "partly_wrong")
    kept = (root / ".results" / honest / f"{DEFAULT_NOTEBOOK}.json").stat()
    # The partly wrong learner hands in a corrected notebook.
    shutil.copyfile(made[honest]["path"], made[wrong]["path"])
    os.utime(made[wrong]["path"], (1, 1))

    again = grade_class(root / "submissions", root / "gradebook.csv", root,
                        jobs=2, settings=Settings(timeout=120, limit=600, sandbox=False), progress=False)
    left = [learner for learner, m in made.items() if m["kind"] not in ("killer", "vandal")]
    assert (again["graded"], again["skipped"], again["failed"]) == (1, len(left) - 1, 0)
    rows = read_gradebook(root / "gradebook.csv")
    assert sorted(rows) == sorted(left)
    assert rows[wrong]["score"] == rows[honest]["score"] == str(MAX_SCORE)
    stored = root / ".results" / honest / f"{DEFAULT_NOTEBOOK}.json"
    assert stored.stat().st_mtime_ns == kept.st_mtime_ns

    forced = grade_class(root / "submissions", root / "gradebook.csv", root,
                         jobs=2, settings=Settings(timeout=120, limit=600, sandbox=False), force=True,
                         progress=False)
    assert (forced["graded"], forced["skipped"]) == (len(left), 0)
    assert stored.stat().st_mtime_ns != kept.st_mtime_ns


def _processes_in(prefix: str) -> list[int]:
    """Processes whose working directory is under a grading scratch folder."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cwd = os.readlink(f"/proc/{entry}/cwd")
            except OSError:
                continue
            if Path(cwd).name.startswith(prefix) or f"/{prefix}" in cwd:
                found.append(int(entry))
    return found


@pytest.mark.slow
@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc to look for leftovers")
def test_a_hanging_notebook_is_stopped_at_the_limit_and_leaves_nothing_behind(tmp_path):
    # The hanger sleeps in a cell far past the submission's limit: its grading stops in
    # time, scores what it could (nothing, here) and says why.
    made = make_class(tmp_path / "submissions", ["hanger"])
    started = time.monotonic()
    result = grade_class(tmp_path / "submissions", tmp_path / "g.csv", jobs=1,
                         settings=Settings(timeout=60, limit=25, sandbox=False), progress=False)
    assert time.monotonic() - started < 25 + 15
    (row,) = result["records"]
    assert row["status"] == "graded" and row["report"]["score"] == 0
    notes = row["report"]["notes"]
    assert any("time limit" in note for note in notes), notes
    assert _processes_in("dnn-grade-") == []
    assert made["learner01"]["path"].exists()


def test_sample_class_has_twenty_learners_of_every_kind(tmp_path):
    made = make_class(tmp_path, seed=1)
    assert len(made) == 20
    assert {m["kind"] for m in made.values()} == {
        "honest", "partly_wrong", "empty", "forger", "vandal", "killer", "crasher"}
    for learner, m in made.items():
        assert m["path"] == tmp_path / learner / f"{DEFAULT_NOTEBOOK}.ipynb"
        assert m["path"].is_file()
    wrong = [m for m in made.values() if m["kind"] == "partly_wrong"]
    assert all(0 <= m["score"] < MAX_SCORE for m in wrong)
    assert {m["score"] for m in made.values() if m["kind"] == "honest"} == {MAX_SCORE}


def test_a_wrong_block_also_fails_the_exercises_built_on_it():
    from sample_class import exercises_depending_on

    from dnn_utils.workbook.authoring.conventions import read_notebook

    solution = read_notebook(Path(__file__).resolve().parents[1] / "notebooks" / "solutions"
                             / f"{DEFAULT_NOTEBOOK}.ipynb")
    assert exercises_depending_on(solution, {"linear_forward"}) == {
        "linear_activation_forward", "L_model_forward"}
    assert exercises_depending_on(solution, {"update_parameters"}) == set()


def test_an_unreadable_submission_gets_a_failed_row_naming_its_file(tmp_path):
    (tmp_path / "subs" / "zoe").mkdir(parents=True)
    bad = tmp_path / "subs" / "zoe" / f"{NB01}.ipynb"
    bad.write_text("not a notebook")
    result = grade_class(tmp_path / "subs", tmp_path / "g.csv", jobs=1, progress=False)
    assert (result["graded"], result["failed"]) == (1, 1)
    row = read_gradebook(tmp_path / "g.csv")["zoe"]
    assert row["status"] == "failed" and row["score"] == ""
    # Named within the class folder: the learner's page shows none of the grader's paths.
    assert row["notes"].startswith(f"zoe/{NB01}.ipynb is not a Jupyter notebook: it is not "
                                   "valid JSON")
    page = (tmp_path / "feedback" / "zoe.html").read_text()
    assert "is not a Jupyter notebook" in page and str(tmp_path) not in page
    # The verdict on an unchanged file is kept: the next run grades nothing.
    assert grade_class(tmp_path / "subs", tmp_path / "g.csv", progress=False)["skipped"] == 1
