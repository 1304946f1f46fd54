"""The class folder as the grader reads it: submissions, and what is refused or ignored.

Unpacked zips and cloned repositories keep symbolic links (issue 27: a link to the
solution notebook scored 10/10). Nothing here grades a notebook: a refused entry gets its
gradebook row without running anything.
"""

import csv
import os
import shutil
import stat
from pathlib import Path

import pytest
from sample_class import DEFAULT_NOTEBOOK

from dnn_utils.workbook.classroom.batch import (
    BatchInputError,
    Settings,
    find_submissions,
    grade_class,
    summary,
)
from dnn_utils.workbook.classroom.folder import SubmissionReadError, read_submission
from dnn_utils.workbook.classroom.report import not_graded_lines

_SOLUTION = Path(__file__).resolve().parents[1] / "notebooks" / "solutions" / (
    f"{DEFAULT_NOTEBOOK}.ipynb")
NB01, NB03 = "01_notation_and_dimensions", "03_cat_classifier_application"


def test_find_submissions_reads_one_folder_per_learner(tmp_path):
    for path in [f"bob/{NB01}.ipynb", f"alice/{NB03}.ipynb", f"alice/{NB01}.ipynb",
                 f".hidden/{NB01}.ipynb", "alice/.ipynb_checkpoints/01-checkpoint.ipynb",
                 "alice/notes.txt", "alice/01.ipynb", "carol/notes.txt", "stray.ipynb"]:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("{}")
    listing = find_submissions(tmp_path)
    found = [(s.learner, s.notebook) for s in listing]
    assert found == [("alice", NB01), ("alice", NB03), ("bob", NB01)]
    assert listing.refused == []
    ignored = {str(s.path.relative_to(tmp_path)): s.reason for s in listing.ignored}
    assert ignored == {
        ".hidden": "hidden",
        "alice/.ipynb_checkpoints": "hidden",
        "alice/01.ipynb": "not one of the workbook's notebooks",
        "alice/notes.txt": "not a notebook",
        "carol/notes.txt": "not a notebook",
        "carol": "learner carol has no notebook of the workbook (expected one of "
                 + ", ".join(f"{p.stem}.ipynb" for p in sorted(_SOLUTION.parent.glob("*.ipynb")))
                 + ")",
        "stray.ipynb": "a file directly in the class folder; expected one folder per "
                       f"learner, e.g. {tmp_path / 'alice' / (NB01 + '.ipynb')}",
    }


def test_find_submissions_errors_name_the_folder_and_the_layout(tmp_path):
    with pytest.raises(BatchInputError, match=r"missing does not exist.*one folder per learner"):
        find_submissions(tmp_path / "missing")
    with pytest.raises(BatchInputError, match="no submissions: it holds no learner folder"):
        find_submissions(tmp_path)
    (tmp_path / "01.ipynb").write_text("{}")
    with pytest.raises(BatchInputError, match=r"holds notebooks directly \(01.ipynb\)"):
        find_submissions(tmp_path)
    with pytest.raises(BatchInputError, match="is a file, not a folder"):
        find_submissions(tmp_path / "01.ipynb")
    (tmp_path / "01.ipynb").unlink()
    (tmp_path / "zoe").mkdir()
    (tmp_path / "zoe" / "hw2.ipynb").write_text("{}")
    with pytest.raises(BatchInputError, match=r"no notebook in it is named like one of the "
                       r"workbook's \(zoe/hw2.ipynb\).*alice/01_notation_and_dimensions"):
        find_submissions(tmp_path)


def hostile_class(root):
    """A class folder whose every entry points at marks it did not earn, and one honest
    learner's notebook outside it (a classmate in another section)."""
    name = f"{DEFAULT_NOTEBOOK}.ipynb"
    subs = root / "submissions"
    classmate = root / "other_section" / "honest" / name
    classmate.parent.mkdir(parents=True)
    classmate.write_bytes(_SOLUTION.read_bytes())
    for learner in ("mallory", "copycat", "piper", "dora"):
        (subs / learner).mkdir(parents=True)
    (subs / "mallory" / name).symlink_to(_SOLUTION)          # the solution itself
    (subs / "trudy").symlink_to(_SOLUTION.parent, target_is_directory=True)
    (subs / "copycat" / name).symlink_to(classmate)          # a classmate's work
    os.mkfifo(subs / "piper" / name)                          # blocks a naive reader
    (subs / "dora" / name).mkdir()                            # a folder named like one
    return subs


def test_links_fifos_and_linked_learner_folders_are_refused_with_a_row_each(tmp_path):
    subs = hostile_class(tmp_path)
    listing = find_submissions(subs)
    assert list(listing) == []
    refused = {(s.learner, s.notebook): s.reason for s in listing.refused}
    assert sorted(refused) == [("copycat", DEFAULT_NOTEBOOK), ("dora", DEFAULT_NOTEBOOK),
                               ("mallory", DEFAULT_NOTEBOOK), ("piper", DEFAULT_NOTEBOOK),
                               ("trudy", "")]
    assert f"is a symbolic link (to {_SOLUTION})" in refused["mallory", DEFAULT_NOTEBOOK]
    assert "is a FIFO (named pipe)" in refused["piper", DEFAULT_NOTEBOOK]
    assert "is a folder" in refused["dora", DEFAULT_NOTEBOOK]
    assert refused["trudy", ""].startswith(
        f"the learner folder trudy is a symbolic link (to {_SOLUTION.parent})")

    result = grade_class(subs, tmp_path / "g.csv", jobs=1, progress=False)
    assert (result["graded"], result["failed"], result["refused"]) == (0, 5, 5)
    rows = list(csv.DictReader(open(tmp_path / "g.csv", newline="", encoding="utf-8")))
    assert [(r["learner"], r["notebook"], r["status"], r["score"]) for r in rows] == [
        ("copycat", DEFAULT_NOTEBOOK, "refused", ""), ("dora", DEFAULT_NOTEBOOK, "refused", ""),
        ("mallory", DEFAULT_NOTEBOOK, "refused", ""), ("piper", DEFAULT_NOTEBOOK, "refused", ""),
        ("trudy", "", "refused", "")]
    assert all("symbolic link" in r["notes"] for r in rows if r["learner"] in ("copycat",
                                                                               "mallory", "trudy"))
    page = (tmp_path / "feedback" / "mallory.html").read_text(encoding="utf-8")
    assert "Not graded: " in page and "symbolic link" in page
    printed = summary(result, tmp_path / "g.csv", tmp_path)
    assert "5 submission(s): 0 graded now, 0 unchanged and skipped, 5 without a score " \
        "(5 refused)." in printed
    # The command prints each row without a score, and why, after the summary.
    listed = "\n".join(not_graded_lines(result["records"]))
    for learner in ("copycat", "dora", "mallory", "piper"):
        assert f"without a score: {learner}/{DEFAULT_NOTEBOOK}: {learner}/" in listed
    assert "without a score: trudy/: the learner folder trudy is a symbolic link" in listed
    assert "refused (" not in printed  # not listed twice


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_device_named_like_a_notebook_is_refused(tmp_path):
    (tmp_path / "eve").mkdir()
    os.mknod(tmp_path / "eve" / f"{DEFAULT_NOTEBOOK}.ipynb", 0o666 | stat.S_IFCHR,
             os.makedev(1, 5))  # /dev/zero: an endless read
    (refused,) = find_submissions(tmp_path).refused
    assert "is a device, not a regular file" in refused.reason


def test_a_link_swapped_in_after_listing_is_never_read(tmp_path):
    (tmp_path / "subs" / "eve").mkdir(parents=True)
    path = tmp_path / "subs" / "eve" / f"{DEFAULT_NOTEBOOK}.ipynb"
    path.write_text("{}")
    (submission,) = find_submissions(tmp_path / "subs")
    assert read_submission(submission) == b"{}"
    path.unlink()
    path.symlink_to(_SOLUTION)
    with pytest.raises(SubmissionReadError, match="cannot be opened as a regular file .*a "
                       "link is not followed"):
        read_submission(submission)
    (tmp_path / "subs" / "eve").rename(tmp_path / "elsewhere")
    (tmp_path / "subs" / "eve").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(SubmissionReadError, match="cannot be opened as a real folder"):
        read_submission(submission)


@pytest.mark.slow
def test_a_link_and_a_notebook_under_another_name_among_graded_learners(tmp_path):
    # Issue 27: a link to the solution scored 10/10, and notebook 01 saved under notebook
    # 02's name gave 02's row notebook 01's 4/4.
    subs, name = tmp_path / "submissions", f"{DEFAULT_NOTEBOOK}.ipynb"
    (subs / "mallory").mkdir(parents=True)
    (subs / "mallory" / name).symlink_to(_SOLUTION)
    (subs / "swapper").mkdir()
    shutil.copyfile(_SOLUTION.parent / f"{NB01}.ipynb", subs / "swapper" / name)
    result = grade_class(subs, tmp_path / "gradebook.csv", tmp_path, jobs=1, progress=False,
                         settings=Settings(timeout=120, limit=600, sandbox=False))
    rows = {r["learner"]: r for r in csv.DictReader(
        open(tmp_path / "gradebook.csv", newline="", encoding="utf-8"))}
    assert (rows["mallory"]["status"], rows["mallory"]["score"]) == ("refused", "")
    swapper = rows["swapper"]
    assert (swapper["notebook"], swapper["status"], swapper["score"]) == (
        DEFAULT_NOTEBOOK, "graded", "0")
    assert (f"its metadata says it is notebook {NB01}: it was graded as {DEFAULT_NOTEBOOK}"
            in swapper["notes"])
    printed = summary(result, tmp_path / "gradebook.csv", tmp_path)
    assert (f"warning: swapper/{name} holds notebook {NB01} (its metadata); it was graded "
            f"as {DEFAULT_NOTEBOOK}, its file name") in printed
    assert f"without a score: mallory/{DEFAULT_NOTEBOOK}: mallory/{name} is a symbolic " \
        "link" in "\n".join(not_graded_lines(result["records"]))

