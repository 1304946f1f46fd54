"""(f) and (g) of ``bench_grading.py --skips``: what the skip marks save.

(f) For notebooks 03 and 04, side by side (alternating: nbclient, ``grade``, ``grade
--no-skip``, then again for the next repeat): the solution notebook executed plainly with
nbclient (a fresh kernel, every cell once), graded as ``grade`` does (sandboxed, the cells
tagged ``grader-may-skip`` skipped; full marks checked), and graded with every cell run.
Printed: the medians and the ratios grade / nbclient (goals: <= 0.2x for 03, <= 0.5x for
04).

(g) Every solution notebook graded once with and once without the skips (once when it has
no marks), and the projection for 1,000 learners x 6 notebooks on 1 and 10 nodes like this
one, before (``--no-skip``) and after, assuming two graders per 2-core node at full speed
(the class benchmarks measure 1.7x to 2.2x for two).
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from dnn_utils.workbook import grade
from dnn_utils.workbook.authoring.release import default_source_dir
from dnn_utils.workbook.grading.skipping import marked_ids

#: The notebooks of (f) and the goal of each ratio grade / nbclient.
GOALS = {"03": 0.2, "04": 0.5}
LEARNERS, NODES, GRADERS_PER_NODE = 1000, (1, 10), 2


def _solution(prefix: str) -> Path:
    return next(default_source_dir().glob(f"{prefix}_*.ipynb"))


def time_nbclient(path: Path, timeout: float = 1500) -> float:
    """Seconds to execute a notebook plainly: a fresh kernel, every cell once."""
    nb = nbformat.read(str(path), as_version=4)
    started = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return time.perf_counter() - started


def time_grade(path: Path, skip: bool) -> tuple[float, dict]:
    """Seconds to grade a solution notebook (sandboxed) and its report; exits unless full marks."""
    started = time.perf_counter()
    report = grade(path, timeout=1500, skip=skip)
    elapsed = time.perf_counter() - started
    if report["score"] != report["max_score"]:
        raise SystemExit(f"{path.name} scored {report['score']}/{report['max_score']} "
                         f"(skip={skip}): {report['notes']}")
    return elapsed, report


def side_by_side(repeats: int) -> dict:
    """(f): the medians of each measurement, per notebook of :data:`GOALS`."""
    medians = {}
    for prefix, goal in GOALS.items():
        path = _solution(prefix)
        runs: dict[str, list[float]] = {"nbclient": [], "grade": [], "no-skip": []}
        for _ in range(repeats):
            runs["nbclient"].append(time_nbclient(path))
            seconds, report = time_grade(path, skip=True)
            runs["grade"].append(seconds)
            runs["no-skip"].append(time_grade(path, skip=False)[0])
            print(f"  notebook {prefix}: nbclient {runs['nbclient'][-1]:.1f} s, grade "
                  f"{runs['grade'][-1]:.1f} s ({len(report['skipped'])} cells skipped), "
                  f"grade --no-skip {runs['no-skip'][-1]:.1f} s", flush=True)
        medians[prefix] = {name: statistics.median(values) for name, values in runs.items()}
        m = medians[prefix]
        print(f"(f) notebook {prefix}, full marks (medians of {repeats}): nbclient "
              f"{m['nbclient']:.1f} s, grade {m['grade']:.1f} s, grade --no-skip "
              f"{m['no-skip']:.1f} s\n    grade / nbclient {m['grade'] / m['nbclient']:.2f}x "
              f"(goal <= {goal}x); grade --no-skip / nbclient "
              f"{m['no-skip'] / m['nbclient']:.2f}x", flush=True)
    return medians


def projection(measured: dict) -> None:
    """(g): grade every other notebook both ways, then project a course's grading time."""
    before, after = {}, {}
    for path in sorted(default_source_dir().glob("*.ipynb")):
        prefix = path.name[:2]
        if prefix in measured:
            before[prefix], after[prefix] = measured[prefix]["no-skip"], measured[prefix]["grade"]
            continue
        after[prefix] = time_grade(path, skip=True)[0]
        marks = marked_ids(nbformat.read(str(path), as_version=4))
        before[prefix] = time_grade(path, skip=False)[0] if marks else after[prefix]
        print(f"  notebook {prefix}: grade {after[prefix]:.1f} s, grade --no-skip "
              f"{before[prefix]:.1f} s{'' if marks else ' (no marks: the same grading)'}",
              flush=True)
    print(f"(g) {LEARNERS:,} learners x {len(after)} notebooks, {GRADERS_PER_NODE} graders per "
          "2-core node, from one grading of each notebook:")
    for label, seconds in (("before (--no-skip)", before), ("after (skip marks)", after)):
        per_learner = sum(seconds.values())
        hours = [LEARNERS * per_learner / (GRADERS_PER_NODE * nodes) / 3600 for nodes in NODES]
        print(f"    {label}: {per_learner:.0f} s per learner's 6 notebooks; "
              + ", ".join(f"{n} node(s) {h:.1f} h" for n, h in zip(NODES, hours)))
