"""``grade --out`` is the output folder of every run: a class, a shard, a merge.

Where each output goes is decided before anything is graded (:func:`output_locations`);
the old form that passed the feedback folder as ``--out`` gets an error with the new one.
"""

from pathlib import Path

import pytest

from dnn_utils.workbook.__main__ import build_parser, main
from dnn_utils.workbook.classroom.batch import BatchInputError
from dnn_utils.workbook.classroom.cli import output_locations


def locations(*argv):
    return output_locations(build_parser().parse_args(["grade", *argv]))


@pytest.mark.parametrize("argv, gradebook, out", [
    (["subs"], "gradebook.csv", "."),
    (["subs", "--out", "run"], "run/gradebook.csv", "run"),
    (["subs", "--csv", "grades/g.csv"], "grades/g.csv", "grades"),
    (["subs", "--out", "run", "--csv", "g.csv"], "g.csv", "run"),
    (["subs", "--shard", "1/4", "--out", "results"], "results/gradebook.csv", "results"),
    (["--merge", "results"], "results/gradebook.csv", "results"),
    (["--merge", "results", "--out", "output"], "output/gradebook.csv", "output"),
])
def test_out_is_the_output_folder_of_every_kind_of_run(argv, gradebook, out):
    assert locations(*argv) == (Path(gradebook), Path(out))


def test_the_old_form_with_out_as_the_feedback_folder_says_the_new_one(tmp_path, capsys):
    (tmp_path / "feedback" / ".results").mkdir(parents=True)
    with pytest.raises(BatchInputError, match=r"--out is the output folder of the run .*"
                       rf"e\.g\. --out {tmp_path}\. Move {tmp_path}/feedback/\.results to "
                       rf"{tmp_path}/\.results"):
        locations(str(tmp_path / "subs"), "--csv", str(tmp_path / "g.csv"), "--out",
                  str(tmp_path / "feedback"))
    (tmp_path / "subs" / "ann").mkdir(parents=True)
    code = main(["grade", "--merge", str(tmp_path / "results"), "--csv",
                 str(tmp_path / "g.csv"), "--out", str(tmp_path / "feedback")])
    assert code == 2 and "--out is the output folder" in capsys.readouterr().err
    assert not (tmp_path / "g.csv").exists()


def test_a_merge_writes_into_the_folder_it_merges_and_points_at_old_pages(tmp_path, capsys):
    from test_shards import LEARNERS, write_shards

    write_shards(tmp_path / "results", LEARNERS, 2)
    (tmp_path / "results" / f"{LEARNERS[0]}.html").write_text("an earlier version's page")
    assert main(["grade", "--merge", str(tmp_path / "results")]) == 0
    err = capsys.readouterr().err
    assert f"also holds older feedback pages ({LEARNERS[0]}.html); the current ones are in " \
        f"{tmp_path / 'results' / 'feedback'}" in err
    assert sorted(p.name for p in (tmp_path / "results").iterdir()) == sorted(
        ["feedback", "gradebook.csv", "mistakes.csv", "shards", f"{LEARNERS[0]}.html"])
    assert sorted(p.stem for p in (tmp_path / "results" / "feedback").iterdir()) == LEARNERS
