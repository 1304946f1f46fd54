"""Grades out: the gradebook as Canvas's and Moodle's import files, from samples made here.

The gradebook is written by :func:`~dnn_utils.workbook.classroom.gradebook.write_gradebook` from
made-up records (as ``grade`` writes it), the learner mapping by ``import`` from a Canvas
or Moodle download made with ``zipfile``, so the ids travel the whole way.
"""

import csv
import re
import time
import zipfile

import pytest
from test_intake import notebook

from dnn_utils.workbook.__main__ import main
from dnn_utils.workbook.classroom.gradebook import write_gradebook
from dnn_utils.workbook.classroom.intake import import_submissions, workbook_notebooks
from dnn_utils.workbook.classroom.lms_export import (
    CANVAS_COLUMNS,
    MOODLE_WORKSHEET,
    ExportError,
    export_grades,
)

NB01, NB02 = workbook_notebooks()[:2]


def record(learner, nb, score=None, max_score=10, error=None):
    graded = error is None
    return {"learner": learner, "notebook": nb, "status": "graded" if graded else "failed",
            "key": {"sha256": "0" * 64},
            **({"report": {"score": score, "max_score": max_score, "exercises": [],
                           "notes": []}} if graded else {"error": error})}


def rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


@pytest.fixture
def canvas_class(tmp_path):
    """A Canvas download imported, and a gradebook of its learners."""
    with zipfile.ZipFile(tmp_path / "s.zip", "w") as archive:
        archive.writestr(f"smithann_123_9001_{NB02}.ipynb", notebook(NB02))
        archive.writestr(f"smithann_123_9002_{NB01}.ipynb", notebook(NB01))
        archive.writestr(f"leebo_456_9003_{NB02}.ipynb", notebook(NB02))
        archive.writestr(f"kimcy_789_9004_{NB02}.ipynb", notebook(NB02))
    import_submissions("canvas", [tmp_path / "s.zip"], tmp_path / "class")
    write_gradebook([record("kimcy_789", NB02, error="the overall time limit ran out"),
                     record("leebo_456", NB02, 7.5),
                     record("smithann_123", NB01, 4, 4), record("smithann_123", NB02, 10)],
                    tmp_path / "gradebook.csv")
    return tmp_path


def test_canvas_export_has_canvas_columns_and_the_ids_the_download_carried(canvas_class,
                                                                          capsys):
    out = canvas_class / "canvas.csv"
    code = main(["export", "canvas", str(canvas_class / "gradebook.csv"), str(out),
                 "--learners", str(canvas_class / "class" / "learners.csv"),
                 "--title", f"{NB02[:2]}=Notebook 2 (4521)"])
    printed = capsys.readouterr().out
    assert code == 0
    assert rows(out) == [CANVAS_COLUMNS + ["Notebook 2 (4521)", NB01],
                         ["leebo", "456", "", "", "", "7.5", ""],
                         ["smithann", "123", "", "", "", "10", "4"]]
    # kimcy's grading failed: no row (Canvas keeps its grade), and the reason is printed.
    assert f"no grade: kimcy_789/{NB02}: failed, the overall time limit ran out" in printed
    assert f"no grade: leebo_456/{NB01}: no submission" in printed


def test_canvas_export_copies_student_columns_from_a_canvas_roster(canvas_class):
    roster = canvas_class / "roster.csv"
    roster.write_text("\ufeffStudent,ID,SIS User ID,SIS Login ID,Section,Notebook 2 (4521)\n"
                      "    Points Possible,,,,,10\n"
                      '"Smith, Ann",123,S123,ann@uni.example,Section A,\n'
                      '"Lee, Bo",456,S456,bo@uni.example,Section B,\n', encoding="utf-8")
    export_grades("canvas", canvas_class / "gradebook.csv", canvas_class / "c.csv",
                  canvas_class / "class" / "learners.csv", roster=roster, notebooks=["02"])
    assert rows(canvas_class / "c.csv") == [
        CANVAS_COLUMNS + [NB02],
        ["Lee, Bo", "456", "S456", "bo@uni.example", "Section B", "7.5"],
        ["Smith, Ann", "123", "S123", "ann@uni.example", "Section A", "10"]]


def test_a_learner_missing_from_the_roster_is_an_error_naming_both_files(canvas_class):
    roster = canvas_class / "roster.csv"
    roster.write_text("Student,ID,SIS User ID,SIS Login ID,Section\n\"Smith, Ann\",123,,,\n")
    with pytest.raises(ExportError, match=rf"--roster {roster} has no student with ID 456 "
                       r"\(learner 'leebo_456' in --learners .*learners\.csv\)"):
        export_grades("canvas", canvas_class / "gradebook.csv", canvas_class / "c.csv",
                      canvas_class / "class" / "learners.csv", roster=roster)
    assert not (canvas_class / "c.csv").exists()


@pytest.mark.parametrize("text, message", [
    ("learner,email\nsmithann_123,a@x\n", r"has no column 'canvas_user_id' \(its columns: "
     r"learner, email\)"),
    ("learner,canvas_user_id\nsmithann_123,123\n", r"has no row for learner 'kimcy_789' of the gradebook"),
    ("learner,canvas_user_id\nsmithann_123,123\nleebo_456,\nkimcy_789,789\n",
     r"learner 'leebo_456' has an empty canvas_user_id"),
])
def test_a_bad_learner_mapping_is_an_error_naming_the_file(canvas_class, capsys, text,
                                                           message):
    mapping = canvas_class / "mapping.csv"
    mapping.write_text(text)
    code = main(["export", "canvas", str(canvas_class / "gradebook.csv"),
                 str(canvas_class / "c.csv"), "--learners", str(mapping)])
    err = capsys.readouterr().err
    assert code == 1
    assert f"--learners {mapping}" in err
    assert re.search(message, err), err
    assert not (canvas_class / "c.csv").exists()


def test_a_gradebook_without_its_columns_is_an_error_naming_it(tmp_path):
    (tmp_path / "g.csv").write_text("name,points\nann,3\n")
    (tmp_path / "l.csv").write_text("learner,canvas_user_id\nann,1\n")
    with pytest.raises(ExportError, match=r"GRADEBOOK .*g\.csv has no column 'learner', "
                       "'notebook', 'status', 'score', 'max_score'"):
        export_grades("canvas", tmp_path / "g.csv", tmp_path / "o.csv", tmp_path / "l.csv")


def test_moodle_worksheet_uses_the_participant_ids_of_the_download(tmp_path):
    with zipfile.ZipFile(tmp_path / "m.zip", "w") as archive:
        archive.writestr(f"Ann Lee_101_assignsubmission_file_/{NB02}.ipynb", notebook(NB02))
        archive.writestr(f"=cmd Bo_102_assignsubmission_file_/{NB02}.ipynb", notebook(NB02))
    import_submissions("moodle", [tmp_path / "m.zip"], tmp_path / "class")
    write_gradebook([record("Ann-Lee_101", NB02, 9), record("cmd-Bo_102", NB02, 3)],
                    tmp_path / "gradebook.csv")
    export_grades("moodle", tmp_path / "gradebook.csv", tmp_path / "w.csv",
                  tmp_path / "class" / "learners.csv", now=0)
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(0))
    assert rows(tmp_path / "w.csv") == [
        MOODLE_WORKSHEET,
        ["Participant 101", "Ann Lee", "9", "10", stamp],
        # A name a spreadsheet would run as a formula is escaped.
        ["Participant 102", "'=cmd Bo", "3", "10", stamp]]


def test_moodle_worksheet_needs_one_notebook(canvas_class):
    mapping = canvas_class / "m.csv"
    mapping.write_text("learner,moodle_participant_id\nsmithann_123,1\nleebo_456,2\n"
                       "kimcy_789,3\n")
    with pytest.raises(ExportError, match=f"one grade per learner: pass --notebook with one "
                       f"of {NB02}, {NB01}"):
        export_grades("moodle", canvas_class / "gradebook.csv", canvas_class / "w.csv", mapping)


def test_moodle_gradebook_import_with_the_instructors_roster(canvas_class):
    roster = canvas_class / "roster.csv"
    roster.write_text("learner,email\nsmithann_123,ann@uni.example\nleebo_456,bo@uni.example\n"
                      "kimcy_789,cy@uni.example\n")
    export_grades("moodle-gradebook", canvas_class / "gradebook.csv", canvas_class / "g.csv",
                  roster, id_column="email")
    assert rows(canvas_class / "g.csv") == [["email", NB02, NB01],
                                            ["bo@uni.example", "7.5", ""],
                                            ["ann@uni.example", "10", "4"]]
    with pytest.raises(ExportError, match="needs --id-column"):
        export_grades("moodle-gradebook", canvas_class / "gradebook.csv",
                      canvas_class / "g2.csv", roster)
