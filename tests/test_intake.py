"""Importing submissions: Canvas, Moodle, nbgrader and GitHub Classroom downloads, made here.

Each sample is built in the test (zip archives with ``zipfile``, folders in ``tmp_path``)
the way each system names its files; bad input (links, absolute and ``..`` paths, lying
sizes, two files for one notebook, an unknown layout) must be refused with an error naming
the file, and leave nothing behind.
"""

import json
import os
import stat
import zipfile
from pathlib import Path

import pytest

from dnn_utils.workbook.__main__ import main
from dnn_utils.workbook.classroom import intake_sources
from dnn_utils.workbook.classroom.intake import (
    ImportOptions,
    IntakeError,
    import_submissions,
    which_notebook,
    workbook_notebooks,
)
from dnn_utils.workbook.classroom.intake_sources import Source

NB01, NB02, NB03 = (n for n in workbook_notebooks()[:3])


def notebook(name=None, marker="") -> bytes:
    """A small notebook; ``name`` goes in its dnn_workbook metadata (None: no metadata)."""
    metadata = {} if name is None else {"dnn_workbook": {"notebook": name}}
    return json.dumps({"cells": [{"cell_type": "markdown", "metadata": {}, "source": marker}],
                       "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}).encode()


def make_zip(path, members: dict) -> Path:
    """A zip of ``{name: bytes}``; a value ``("link", target)`` makes a symbolic link."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            if isinstance(data, tuple):
                info = zipfile.ZipInfo(name)
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
                archive.writestr(info, data[1])
            else:
                archive.writestr(name, data)
    return path


def tree(folder: Path) -> dict:
    """``{relative path: bytes}`` of every file under ``folder``."""
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(parent: Path, name: str) -> list:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(f".{name}."))


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------ Canvas
def canvas_zip(path):
    return make_zip(path, {
        f"smithann_123_9001_{NB02}.ipynb": notebook(NB02, "ann 02"),
        "smithann_123_9002_notes.txt": b"my notes",
        "leebo_late_456_9003_my_work.ipynb": notebook(NB01, "bo 01"),
        f"leebo_late_456_9004_{NB03}-1.ipynb": notebook(None, "bo 03"),
        "leebo_456_text.html": b"<p>online text</p>",
        "kimcy_789_9005_random.ipynb": notebook(None, "cy ?"),
    })


def test_canvas_zip_becomes_the_class_folder_with_its_learner_mapping(tmp_path, capsys):
    source = canvas_zip(tmp_path / "submissions.zip")
    code, out, err = run(["import", "canvas", str(source), str(tmp_path / "class")], capsys)
    assert code == 0, err
    files = tree(tmp_path / "class")
    assert sorted(files) == ["learners.csv", f"leebo_456/{NB01}.ipynb",
                             f"leebo_456/{NB03}.ipynb", f"smithann_123/{NB02}.ipynb"]
    # Byte for byte: the learner's file, whatever its name was.
    assert files[f"leebo_456/{NB01}.ipynb"] == notebook(NB01, "bo 01")
    assert files[f"leebo_456/{NB03}.ipynb"] == notebook(None, "bo 03")
    assert files["learners.csv"].decode().splitlines() == [
        "learner,canvas_user_id,canvas_name", "leebo_456,456,leebo", "smithann_123,123,smithann"]
    assert f"leebo_456/{NB01}.ipynb  <- {source}:leebo_late_456_9003_my_work.ipynb (by its " \
        "metadata; late)" in out
    assert f"leebo_456/{NB03}.ipynb  <- {source}:leebo_late_456_9004_{NB03}-1.ipynb (by its file " \
        "name; late)" in out
    assert "smithann_123_9002_notes.txt: not a notebook (.ipynb)" in out
    assert "leebo_456_text.html: not named <name>_<user id>_<attachment id>_<file>" in out
    assert "kimcy_789_9005_random.ipynb: neither its dnn_workbook metadata nor its file name" \
        in out
    assert "imported 3 notebook(s) of 2 learner(s) (canvas)" in out


def test_the_class_folder_grade_reads_is_what_import_wrote(tmp_path):
    from dnn_utils.workbook.classroom.batch import find_submissions

    import_submissions("canvas", [canvas_zip(tmp_path / "s.zip")], tmp_path / "class")
    assert [(s.learner, s.notebook) for s in find_submissions(tmp_path / "class")] == [
        ("leebo_456", NB01), ("leebo_456", NB03), ("smithann_123", NB02)]


# ------------------------------------------------------------------ Moodle
def test_moodle_download_in_folders_and_flat_and_online_text(tmp_path):
    source = make_zip(tmp_path / "moodle.zip", {
        f"Ann Lee_101_assignsubmission_file_/{NB02}.ipynb": notebook(NB02),
        "Ann Lee_101_assignsubmission_onlinetext_/onlinetext.html": b"<p>hi</p>",
        "Bo Kim_102_assignsubmission_file_/sub/bo.ipynb": notebook(NB01),
        f"Cy Wu_103_assignsubmission_file_{NB02}.ipynb": notebook(NB02, "flat"),
        "readme.txt": b"not a submission",
    })
    report = import_submissions("auto", [source], tmp_path / "class")
    assert report.layouts == ["moodle"]
    files = tree(tmp_path / "class")
    assert sorted(files) == ["Ann-Lee_101/" + f"{NB02}.ipynb", f"Bo-Kim_102/{NB01}.ipynb",
                             f"Cy-Wu_103/{NB02}.ipynb", "learners.csv"]
    assert files["learners.csv"].decode().splitlines()[1] == "Ann-Lee_101,101,Ann Lee"
    reasons = dict(report.ignored)
    assert reasons[f"{source}:Ann Lee_101_assignsubmission_onlinetext_/onlinetext.html"] == \
        "Moodle's onlinetext submission, not a submitted file"
    assert "assignsubmission_file_ name" in reasons[f"{source}:readme.txt"]


# ------------------------------------------------------------------ nbgrader
def test_nbgrader_submitted_folder(tmp_path):
    course = tmp_path / "course"
    for student, name in (("ann", NB01), ("bo", NB02)):
        folder = course / "submitted" / student / "ps1"
        folder.mkdir(parents=True)
        (folder / f"{name}.ipynb").write_bytes(notebook(name))
        (folder / "timestamp.txt").write_text("2026-01-30 10:30:47.524219 UTC")
    (course / "submitted" / "bo" / "ps1" / "extra").mkdir()
    (course / "submitted" / "bo" / "ps1" / "extra" / f"{NB03}.ipynb").write_bytes(notebook(NB03))
    report = import_submissions("auto", [course], tmp_path / "class")
    assert report.layouts == ["nbgrader"]
    assert sorted(tree(tmp_path / "class")) == [f"ann/{NB01}.ipynb", f"bo/{NB02}.ipynb",
                                                "learners.csv"]
    reasons = {Path(where).name: reason for where, reason in report.ignored}
    assert reasons["timestamp.txt"] == "not a notebook (.ipynb)"
    assert reasons[f"{NB03}.ipynb"].startswith("in a subfolder of the assignment")


def test_nbgrader_inbound_takes_each_students_latest_submission(tmp_path):
    inbound = tmp_path / "exchange" / "course101" / "inbound"
    for folder, marker in (("ann+ps1+2026-01-30 10:30:47.524219 UTC+AbC", "old"),
                           ("ann+ps1+2026-02-01 09:00:00.000001 UTC+dEf", "new"),
                           ("bo+ps1+2026-01-29 08:00:00.000000 UTC", "bo")):
        (inbound / folder).mkdir(parents=True)
        (inbound / folder / f"{NB02}.ipynb").write_bytes(notebook(NB02, marker))
    report = import_submissions("auto", [inbound.parent], tmp_path / "class")
    files = tree(tmp_path / "class")
    assert files[f"ann/{NB02}.ipynb"] == notebook(NB02, "new")
    assert files[f"bo/{NB02}.ipynb"] == notebook(NB02, "bo")
    assert report.layouts == ["nbgrader"]
    assert any("an earlier submission of ann's ps1 (2026-01-30 10:30:47.524219); the latest "
               "(2026-02-01 09:00:00.000001) counts" in reason for _, reason in report.ignored)


# ------------------------------------------------------------------ GitHub Classroom
def test_github_classroom_repositories_with_a_prefix_and_a_link(tmp_path):
    repos = tmp_path / "dnn-submissions"
    for user, name in (("ann", NB01), ("bo-lee", NB02)):
        repo = repos / f"dnn-workbook-{user}"
        (repo / ".git").mkdir(parents=True)
        (repo / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
        (repo / "notebooks").mkdir()
        (repo / "notebooks" / f"{name}.ipynb").write_bytes(notebook(name))
    secret = tmp_path / "secret.ipynb"
    secret.write_bytes(notebook(NB03))
    os.symlink(secret, repos / "dnn-workbook-ann" / "notebooks" / f"{NB03}.ipynb")
    report = import_submissions("auto", [repos], tmp_path / "class",
                                ImportOptions(prefix="dnn-workbook-"))
    assert report.layouts == ["github"]
    assert sorted(tree(tmp_path / "class")) == [f"ann/{NB01}.ipynb", f"bo-lee/{NB02}.ipynb",
                                                "learners.csv"]
    reasons = {Path(where).name: reason for where, reason in report.ignored}
    assert reasons[f"{NB03}.ipynb"] == "a link: not followed"
    assert reasons[".git"] == "a hidden folder: not looked into"


# ------------------------------------------------------------------ notebook names
@pytest.mark.parametrize("data, name, expected", [
    (notebook(NB02), "anything.ipynb", NB02),
    (notebook(None), f"{NB02}.ipynb", NB02),
    (notebook(None), f"{NB02}-3.ipynb", NB02),
    (notebook(None), f"{NB02[:2]} (copy).ipynb", NB02),
    (b"[" * 100000, f"{NB02}.ipynb", NB02),  # deeply nested JSON: no RecursionError
    (notebook("99_not_ours"), "mine.ipynb", None),
])
def test_which_notebook(data, name, expected):
    assert which_notebook(data, name, workbook_notebooks())[0] == expected


# ------------------------------------------------------------------ refusals
@pytest.mark.parametrize("member, message", [
    (("link.ipynb", ("link", "/etc/passwd")), "is a symbolic link"),
    (("/abs/smithann_1_2_x.ipynb", b"x"), "has an absolute path"),
    (("../smithann_1_2_x.ipynb", b"x"), "has a '..' part"),
    (("sub\\..\\..\\smithann_1_2_x.ipynb", b"x"), "has a backslash"),
])
def test_an_archive_with_a_link_or_an_escaping_path_is_refused_whole(tmp_path, capsys,
                                                                     member, message):
    name, data = member
    source = make_zip(tmp_path / "bad.zip", {f"smithann_123_9001_{NB02}.ipynb": notebook(NB02),
                                             name: data})
    code, out, err = run(["import", "canvas", str(source), str(tmp_path / "class")], capsys)
    assert code == 1
    assert f"{source}: the entry {name!r} {message}" in err
    assert not (tmp_path / "class").exists() and leftovers(tmp_path, "class") == []


def test_an_archive_with_two_entries_of_one_name_is_refused(tmp_path):
    source = tmp_path / "twice.zip"
    with zipfile.ZipFile(source, "w") as archive, pytest.warns(UserWarning, match="Duplicate"):
        archive.writestr(f"smithann_123_9001_{NB02}.ipynb", notebook(NB02, "one"))
        archive.writestr(f"smithann_123_9001_{NB02}.ipynb", notebook(NB02, "two"))
    with pytest.raises(IntakeError, match=r"twice\.zip holds two entries named"):
        import_submissions("canvas", [source], tmp_path / "class")
    assert not (tmp_path / "class").exists()


def test_two_files_for_one_learner_and_notebook_name_both(tmp_path, capsys):
    source = make_zip(tmp_path / "s.zip", {
        f"smithann_123_9001_{NB02}.ipynb": notebook(NB02),
        "smithann_123_9002_copy.ipynb": notebook(NB02)})
    code, _, err = run(["import", "auto", str(source), str(tmp_path / "class")], capsys)
    assert code == 1
    assert (f"two files of learner 'smithann_123' are notebook {NB02}: "
            f"{source}:smithann_123_9001_{NB02}.ipynb and {source}:smithann_123_9002_copy.ipynb"
            in err)
    assert not (tmp_path / "class").exists() and leftovers(tmp_path, "class") == []


def test_an_unknown_layout_is_refused(tmp_path, capsys):
    moodle = make_zip(tmp_path / "m.zip", {f"Ann_1_assignsubmission_file_/{NB02}.ipynb":
                                           notebook(NB02)})
    code, _, err = run(["import", "canvas", str(moodle), str(tmp_path / "c")], capsys)
    assert code == 1 and f"SOURCE {moodle} does not look like a canvas download" in err
    other = make_zip(tmp_path / "o.zip", {f"{NB02}.ipynb": notebook(NB02)})
    code, _, err = run(["import", "auto", str(other), str(tmp_path / "c")], capsys)
    assert code == 1 and "does not look like any of the layouts canvas, moodle" in err
    with pytest.raises(SystemExit) as stop:
        main(["import", "blackboard", str(other), str(tmp_path / "c")])
    assert stop.value.code == 2
    assert "invalid choice: 'blackboard'" in capsys.readouterr().err
    assert not (tmp_path / "c").exists()


def test_a_file_that_is_not_a_zip_is_refused(tmp_path, capsys):
    (tmp_path / "s.zip").write_bytes(b"PK\x03\x04 truncated")
    code, _, err = run(["import", "canvas", str(tmp_path / "s.zip"), str(tmp_path / "c")],
                       capsys)
    assert code == 1 and "is neither a folder nor a zip archive" in err


def test_a_zip_bomb_is_refused_by_its_declared_sizes(tmp_path):
    source = make_zip(tmp_path / "bomb.zip", {f"a_1_2_{i}.ipynb": b"0" * 1000 for i in range(5)})
    with pytest.raises(IntakeError, match=r"bomb\.zip: its files declare more than 4000 bytes"):
        Source(source, total_limit=4000)


def test_an_entry_holding_more_than_it_declares_is_refused(tmp_path):
    source = make_zip(tmp_path / "liar.zip", {"a_1_2_x.ipynb": notebook(NB02, "x" * 500)})
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as archive:
        info = archive.infolist()[0]
    size = info.file_size.to_bytes(4, "little")
    smaller = (info.file_size // 2).to_bytes(4, "little")
    for at in (22, data.rfind(b"PK\x01\x02") + 24):  # local header, central directory
        assert data[at:at + 4] == size
        data[at:at + 4] = smaller
    source.write_bytes(bytes(data))
    with Source(source) as opened, pytest.raises(IntakeError, match=r"liar\.zip:a_1_2_x\.ipynb "
                                                 r"is damaged|holds more bytes than"):
        opened.read(opened.entries[0])


def test_a_notebook_over_the_size_bound_is_reported_not_taken(tmp_path, monkeypatch):
    monkeypatch.setattr(intake_sources, "MAX_NOTEBOOK_BYTES", 300)
    source = make_zip(tmp_path / "s.zip", {
        f"smithann_123_9001_{NB02}.ipynb": notebook(NB02, "x" * 400),
        f"kimcy_789_9002_{NB02}.ipynb": notebook(NB02)})
    report = import_submissions("canvas", [source], tmp_path / "class")
    assert sorted(tree(tmp_path / "class")) == [f"kimcy_789/{NB02}.ipynb", "learners.csv"]
    assert any("more than the 300 a notebook may hold" in r for _, r in report.ignored)


def test_an_existing_class_folder_is_kept_unless_forced_then_replaced_whole(tmp_path, capsys):
    source = canvas_zip(tmp_path / "s.zip")
    (tmp_path / "class" / "old").mkdir(parents=True)
    (tmp_path / "class" / "old" / "x.ipynb").write_text("{}")
    code, _, err = run(["import", "canvas", str(source), str(tmp_path / "class")], capsys)
    assert code == 1 and "already holds files. Pass --force" in err
    assert tree(tmp_path / "class") == {"old/x.ipynb": b"{}"}
    code, _, _ = run(["import", "canvas", str(source), str(tmp_path / "class"), "--force"],
                     capsys)
    assert code == 0 and "old/x.ipynb" not in tree(tmp_path / "class")
    assert leftovers(tmp_path, "class") == []


def test_a_failure_while_writing_leaves_nothing_half_written(tmp_path, monkeypatch):
    import dnn_utils.workbook.classroom.intake as intake

    def broken(identities):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(intake, "_learners_csv", broken)
    with pytest.raises(OSError, match="No space left"):
        import_submissions("canvas", [canvas_zip(tmp_path / "s.zip")], tmp_path / "class")
    assert not (tmp_path / "class").exists() and leftovers(tmp_path, "class") == []


def test_the_class_folder_may_not_overlap_the_source(tmp_path):
    (tmp_path / "download" / "x").mkdir(parents=True)
    with pytest.raises(IntakeError, match="overlap"):
        import_submissions("nbgrader", [tmp_path / "download"], tmp_path / "download" / "class")
