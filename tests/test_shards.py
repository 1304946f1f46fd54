"""Shards of a class: which submission goes where, bad --shard values, and the merge's checks."""

import json
import random

import pytest

from dnn_utils.workbook.__main__ import main
from dnn_utils.workbook.classroom.batch import workbook_fingerprint as fingerprint
from dnn_utils.workbook.classroom.shards import (
    ShardError,
    grade_shard,
    merge_shards,
    parse_shard,
    shard_of,
    summary_path,
)


def test_parse_shard_accepts_k_of_n():
    assert parse_shard("1/4") == (1, 4)
    assert parse_shard("4/4") == (4, 4)


@pytest.mark.parametrize("text, message", [
    ("3/2", "K must be between 1 and N = 2; got 3"),
    ("0/0", "N must be at least 1; got 0"),
    ("0/3", "K must be between 1 and N = 3; got 0"),
    ("x", "--shard must be K/N, e.g. --shard 1/4"),
    ("1/", "--shard must be K/N"),
])
def test_parse_shard_refuses_bad_values(text, message):
    with pytest.raises(ShardError, match=message.replace("(", r"\(").replace("/", "/")):
        parse_shard(text)


@pytest.mark.parametrize("text", ["3/2", "0/0", "x"])
def test_the_cli_refuses_bad_shards_and_writes_nothing(tmp_path, capsys, text):
    (tmp_path / "subs" / "ann").mkdir(parents=True)
    (tmp_path / "subs" / "ann" / "02.ipynb").write_text("{}")
    code = main(["grade", str(tmp_path / "subs"), "--shard", text, "--out",
                 str(tmp_path / "results")])
    assert code == 2
    assert "--shard" in capsys.readouterr().err
    assert not (tmp_path / "results").exists()


def test_every_submission_is_in_exactly_one_shard_whatever_the_order():
    names = [(f"learner{i:03d}", nb) for i in range(300) for nb in ("01_a", "02_b")]
    for n in (1, 2, 4, 7):
        shards = {name: shard_of(*name, n) for name in names}
        shuffled = names[:]
        random.Random(n).shuffle(shuffled)
        assert {name: shard_of(*name, n) for name in shuffled} == shards
        assert set(shards.values()) == set(range(1, n + 1))
        counts = [list(shards.values()).count(k) for k in range(1, n + 1)]
        assert min(counts) > len(names) / n / 2  # no shard starved


def _record(learner, notebook="02_b"):
    return {"learner": learner, "notebook": notebook, "status": "graded",
            "key": {"sha256": "1" * 64, "workbook": fingerprint()},
            "report": {"score": 1, "max_score": 1, "exercises": [], "notes": []}}


def write_shards(results, learners, n, workbook=None, listing="L" * 64, skip=()):
    """Shard summaries as grade_shard writes them, for made-up records."""
    workbook = workbook or fingerprint()
    for k in range(1, n + 1):
        if k in skip:
            continue
        records = [_record(learner) for learner in learners if shard_of(learner, "02_b", n) == k]
        path = summary_path(results, k, n)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"format": "dnn-workbook-shard", "version": 1, "shard": k,
                                    "shards": n, "workbook": workbook, "listing": listing,
                                    "records": records}))


LEARNERS = [f"l{i:02d}" for i in range(12)]


def test_merge_gathers_every_record_in_class_order(tmp_path):
    write_shards(tmp_path, LEARNERS, 3)
    assert [r["learner"] for r in merge_shards(tmp_path)] == sorted(LEARNERS)


def test_merge_refuses_a_missing_shard(tmp_path):
    write_shards(tmp_path, LEARNERS, 3, skip=(2,))
    with pytest.raises(ShardError, match=r"shard\(s\) 2 of 3 are missing .*--shard 2/3"):
        merge_shards(tmp_path)


def test_merge_refuses_an_empty_results_folder(tmp_path):
    with pytest.raises(ShardError, match="found no shard results"):
        merge_shards(tmp_path)


def test_merge_refuses_shards_that_disagree_about_the_tests(tmp_path):
    write_shards(tmp_path, LEARNERS, 2)
    path = summary_path(tmp_path, 2, 2)
    summary = json.loads(path.read_text())
    summary["workbook"] = "f" * 64
    path.write_text(json.dumps(summary))
    with pytest.raises(ShardError, match="shards disagree about the tests' SHA-256: .*shard-2-of-2"):
        merge_shards(tmp_path)


def test_merge_refuses_results_of_another_version_of_the_tests(tmp_path):
    write_shards(tmp_path, LEARNERS, 2, workbook="e" * 64)
    with pytest.raises(ShardError, match="another version of the tests .*eeeeeeee"):
        merge_shards(tmp_path)


def test_merge_refuses_shards_of_different_runs(tmp_path):
    write_shards(tmp_path, LEARNERS, 2)
    write_shards(tmp_path, LEARNERS, 3)
    with pytest.raises(ShardError, match="different runs .*N = 2, 3"):
        merge_shards(tmp_path)


@pytest.mark.parametrize("damage", [
    lambda text: text[: len(text) // 2],
    lambda text: "[]",
    lambda text: text.replace('"learner"', '"learnr"', 1),
])
def test_merge_refuses_a_corrupt_summary_naming_it(tmp_path, damage):
    write_shards(tmp_path, LEARNERS, 2)
    path = summary_path(tmp_path, 1, 2)
    path.write_text(damage(path.read_text()))
    with pytest.raises(ShardError, match=r"shard-1-of-2\.json is corrupt.*--shard 1/2"):
        merge_shards(tmp_path)


def test_merge_refuses_a_corrupt_record_file(tmp_path):
    write_shards(tmp_path, LEARNERS, 2)
    record = json.loads(summary_path(tmp_path, 1, 2).read_text())["records"][0]
    stored = tmp_path / ".results" / record["learner"] / "02_b.json"
    stored.parent.mkdir(parents=True)
    stored.write_text(json.dumps(record)[:-5])
    with pytest.raises(ShardError, match=r"02_b\.json is corrupt or was changed"):
        merge_shards(tmp_path)


def test_the_merge_cli_writes_nothing_when_it_refuses(tmp_path, capsys):
    write_shards(tmp_path / "results", LEARNERS, 3, skip=(3,))
    code = main(["grade", "--merge", str(tmp_path / "results"), "--csv",
                 str(tmp_path / "gradebook.csv"), "--report", str(tmp_path / "class.html")])
    assert code == 1
    assert "shard(s) 3 of 3 are missing" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results"]


@pytest.mark.slow
@pytest.mark.needs_bwrap
def test_merged_shards_equal_one_run_row_for_row(tmp_path, small_graded_class):
    subs, one, settings = (small_graded_class[k] for k in ("subs", "one", "settings"))
    for k in (1, 2, 3):
        grade_shard(subs, tmp_path / "results", (k, 3), settings=settings, progress=False)
    code = main(["grade", "--merge", str(tmp_path / "results"), "--out", str(tmp_path / "out")])
    assert code == 0
    assert (tmp_path / "out" / "gradebook.csv").read_text() == \
        (one / "gradebook.csv").read_text()
    assert (tmp_path / "out" / "mistakes.csv").read_text() == (one / "mistakes.csv").read_text()
    pages = {p.name: p.read_bytes() for p in (tmp_path / "out" / "feedback").glob("*.html")}
    assert pages == {p.name: p.read_bytes() for p in (one / "feedback").glob("*.html")}
    assert sorted(pages) == sorted(f"{learner}.html" for learner in small_graded_class["made"])
    # Resumable: a shard run again grades nothing.
    again = grade_shard(subs, tmp_path / "results", (1, 3), settings=settings, progress=False)
    assert again["graded"] == 0 and again["skipped"] == len(again["records"])
