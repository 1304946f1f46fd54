"""The repository's Slurm array job grades the small class in 2 shards, for real.

Four submissions (tests/shared_class.py) in two array tasks prove the path: every shard
has work, the merge job waits for both, and the merged gradebook equals the one-machine
grading of the same class (the fixture small_graded_class, shared with test_shards.py).

Needs a Slurm cluster that answers (CI starts a single-node one with .ci/start_slurm.sh)
and bubblewrap; skips with the reason elsewhere, and fails when skipped in CI.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ci_skip import skip_or_fail

sys.path.insert(0, str(Path(__file__).parent))
from shared_class import GRADE_OPTIONS  # noqa: E402
from test_class_report import check_in_chromium  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SUBMIT = ROOT / "deploy" / "slurm" / "submit.sh"
SHARDS = 2
pytestmark = pytest.mark.slow


def _skip(reason):
    skip_or_fail(reason)


def _cluster_answers() -> bool:
    try:
        states = subprocess.run(["sinfo", "-h", "-o", "%T"], capture_output=True, text=True,
                                timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return states.returncode == 0 and any(
        s.strip().rstrip("*") in ("idle", "mixed", "allocated") for s in states.stdout.split())


@pytest.mark.needs_bwrap
def test_the_array_job_merged_equals_one_machine(tmp_path, request):
    if shutil.which("sbatch") is None:
        _skip("Slurm is not installed (no sbatch; Debian: apt-get install slurm-wlm munge)")
    if not _cluster_answers():
        _skip("no Slurm cluster answers (sinfo shows no usable node; start one with "
              ".ci/start_slurm.sh)")
    if shutil.which("bwrap") is None:
        _skip("bubblewrap is not installed, and grading needs it")
    # The class is made and graded once per run; requested only now, so that on a machine
    # without Slurm the test skips before grading anything.
    small = request.getfixturevalue("small_graded_class")
    subs, made = small["subs"], small["made"]
    env = {**os.environ, "DNN_PYTHON": sys.executable,
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
           "SBATCH_MERGE_OPTIONS": "--wait",
           # The CI cluster declares no memory (slurm.conf has no RealMemory): --mem=0 asks
           # for the node's, instead of the measured --mem that no node there offers.
           "SBATCH_OPTIONS": "--mem=0"}
    done = subprocess.run(
        ["bash", str(SUBMIT), str(SHARDS), str(subs), str(tmp_path / "results"),
         str(tmp_path / "out"), *GRADE_OPTIONS],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=3000)
    logs = "\n".join(p.read_text(errors="replace")[-1500:] for p in tmp_path.glob("*.out"))
    assert done.returncode == 0, done.stdout + done.stderr + logs
    shards = tmp_path / "results" / "shards"
    summaries = sorted(p.name for p in shards.iterdir())
    assert summaries == [f"shard-{k}-of-{SHARDS}.json" for k in range(1, SHARDS + 1)]
    # Each array task graded part of the class: the merge really gathers from both.
    records = [len(json.loads((shards / name).read_text())["records"]) for name in summaries]
    assert all(records) and sum(records) == len(made), records

    single = (small["one"] / "gradebook.csv").read_text().splitlines()
    merged = (tmp_path / "out" / "gradebook.csv").read_text().splitlines()
    assert len(merged) == len(made) + 1
    assert merged == single
    check_known_mistakes(made, tmp_path / "out")
    check_in_chromium(tmp_path / "out" / "class.html", tmp_path)


def check_known_mistakes(made, out):
    """Each exercise the sample class left as a stub is counted as not-implemented, for the
    right learners, in mistakes.csv and in the class report; a stub's callers that are right
    given the correct block are its knock-ons, not counted again."""
    import csv
    import re

    import nbformat
    from sample_class import exercises_depending_on

    rows = list(csv.DictReader((out / "mistakes.csv").open(encoding="utf-8")))
    page = (out / "class.html").read_text(encoding="utf-8")
    stubs: dict[str, set] = {}
    callers: dict[str, set] = {}
    for learner, m in made.items():
        if m["kind"] == "killer":  # its kernel is killed: every exercise fails as other
            continue
        nb = nbformat.read(str(m["path"]), as_version=4)
        own = set()
        for cell in nb.cells:
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
            if grade_id.endswith("_solution") and "raise NotImplementedError" in cell.source:
                own.add(grade_id.removesuffix("_solution"))
        for exercise in own:
            stubs.setdefault(exercise, set()).add(learner)
        for exercise in exercises_depending_on(nb, own):
            callers.setdefault(exercise, set()).add(learner)
    assert stubs, "the sample class has no stubbed exercise"
    killer = {learner for learner, m in made.items() if m["kind"] == "killer"}
    for exercise in set(stubs) | set(callers):
        mistake = f"{exercise}/not-implemented"
        who = {r["learner"] for r in rows if r["mistake"] == mistake and not r["knock_on_of"]}
        expected = stubs.get(exercise, set())
        assert expected <= who - killer <= expected | callers.get(exercise, set()), (
            mistake, who, expected)
        counted = re.search(rf'data-mistake="{re.escape(mistake)}">.*?class="count">(\d+)<',
                            page, re.S)
        # Counted once per learner who made it; a mistake that is only a knock-on has no row.
        assert (int(counted[1]) if counted else 0) == len(who), mistake
