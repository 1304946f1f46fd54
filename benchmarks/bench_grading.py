"""How fast a class is graded, and what grading costs over running a notebook.

Makes twenty made-up submissions of notebook 02 (honest, partly wrong, empty, hostile,
crashing: see ``tests/sample_class.py``) in a temporary folder, then prints, from
one run:

- (a) the wall-clock time of grading all twenty with ``--jobs 1`` and with ``--jobs 2``
  (every submission re-graded: ``force``), and the speed-up of 2 over 1 (goal >= 1.7x on 2
  cores);
- (b) for one honest notebook, the median time of executing it plainly with nbclient (a
  fresh kernel, every cell once), of ``grade()`` in this process, and of ``grade()`` in a process of its own as a batch
  runs it (``grading_process.grade_in_child``); and the ratios of
  the two gradings over plain execution (goal <= 1.3x).

Measurements alternate (jobs 1, jobs 2, jobs 1, ...; nbclient, grade(), own process, ...)
so a change in the machine's load hits both sides.

With ``--class-scale`` it measures instead a class of ``--class-size`` (200) generated
submissions (the twenty kinds, repeated): (c) graded as 1 shard, then as 2 shards run side
by side (two ``grade --shard K/2`` processes, one per core; goal >= 1.8x), (d) the merge of
the 2 shards into gradebook, feedback, mistakes.csv and class report (goal <= 2 % of the
grading time), and (e) the projection for 1,000 learners x 6 notebooks on 1, 10 and 100
nodes like this one, from the measured time per notebook.

With ``--skips`` it measures instead what the ``grader-may-skip`` marks save (see
``bench_skips.py``): (f) grading the solutions of notebooks 03 and 04 side by side with
executing them with nbclient (goals: <= 0.2x and <= 0.5x), (g) the projection for 1,000
learners x 6 notebooks on 1 and 10 nodes before (``--no-skip``) and after. Usage::

    python benchmarks/bench_grading.py [--repeats 1] [--single-repeats 3] [--keep DIR]
    python benchmarks/bench_grading.py --class-scale [--class-size 200] [--keep DIR]
    python benchmarks/bench_grading.py --skips [--repeats 1]
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dnn_utils.workbook import grade
from dnn_utils.workbook.classroom.batch import Settings, grade_class
from dnn_utils.workbook.sandbox.grading_process import grade_in_child

# The made-up class is a test fixture; it lives with the tests, not in the package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_skips  # noqa: E402
from bench_skips import time_nbclient  # noqa: E402
from sample_class import DEFAULT_KINDS, make_class  # noqa: E402


def time_class(folder: Path, scratch: Path, jobs: int) -> tuple[float, dict]:
    """Seconds to grade every submission with ``jobs`` at once, and the result."""
    started = time.perf_counter()
    result = grade_class(folder, scratch / f"gradebook_{jobs}.csv", scratch / f"feedback_{jobs}",
                         jobs=jobs, settings=Settings(timeout=120, limit=900), force=True,
                         progress=False)
    return time.perf_counter() - started, result


def scores_as_made(result: dict, made: dict) -> str:
    """How many scores are the ones the made-up submissions deserve, naming the others."""
    expected = {learner: m["score"] for learner, m in made.items() if m["score"] is not None}
    got = {r["learner"]: (r.get("report") or {}).get("score") for r in result["records"]}
    wrong = [f"{learner} ({made[learner]['kind']}) {got.get(learner)} instead of {score}"
             for learner, score in expected.items() if got.get(learner) != score]
    return f"{len(expected) - len(wrong)} of {len(expected)} scores as expected" + (
        ": " + ", ".join(wrong) if wrong else "")


def time_grade(path: Path) -> float:
    started = time.perf_counter()
    report = grade(path, timeout=120)
    elapsed = time.perf_counter() - started
    if report["score"] != report["max_score"]:
        sys.exit(f"the honest notebook scored {report['score']}/{report['max_score']}")
    return elapsed


def time_own_process(path: Path, scratch: Path) -> float:
    started = time.perf_counter()
    result = grade_in_child(path, scratch / "single.json",
                            options=Settings(timeout=120, limit=900).grade_options(), limit=900)
    elapsed = time.perf_counter() - started
    if result["status"] != "graded":
        sys.exit(f"grading the honest notebook failed: {result['error']}")
    return elapsed


def run_shards(folder: Path, results: Path, shards: int) -> float:
    """Seconds to grade ``folder`` as ``shards`` processes side by side, one per shard."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    command = [sys.executable, "-m", "dnn_utils.workbook", "grade", str(folder), "--out",
               str(results), "--timeout", "120", "--limit", "900", "--force"]
    started = time.perf_counter()
    running = [subprocess.Popen(command + ["--shard", f"{k}/{shards}"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
               for k in range(1, shards + 1)]
    for process in running:
        _, err = process.communicate()
        if process.returncode != 0:
            sys.exit(f"a shard failed: {err[-2000:]}")
    return time.perf_counter() - started


def class_scale(size: int, scratch: Path) -> None:
    """(c), (d) and (e) of the module docstring."""
    from dnn_utils.workbook.classroom.gradebook import write_feedback, write_gradebook
    from dnn_utils.workbook.classroom.report import write_mistakes, write_report
    from dnn_utils.workbook.classroom.shards import merge_shards

    kinds = [DEFAULT_KINDS[i % len(DEFAULT_KINDS)] for i in range(size)]
    made = make_class(scratch / "class", kinds)
    print(f"class of {len(made)} generated submissions of notebook 02; machine: "
          f"{os.cpu_count()} cores, load average "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()), flush=True)
    one = run_shards(scratch / "class", scratch / "results1", 1)
    print(f"  1 shard: {one:.1f} s", flush=True)
    two = run_shards(scratch / "class", scratch / "results2", 2)
    print(f"  2 shards side by side: {two:.1f} s", flush=True)
    started = time.perf_counter()
    records = merge_shards(scratch / "results2")
    (scratch / "merged").mkdir(exist_ok=True)
    write_gradebook(records, scratch / "merged" / "gradebook.csv")
    write_feedback(records, scratch / "merged")
    write_mistakes(records, scratch / "merged" / "mistakes.csv")
    write_report(records, scratch / "merged" / "class.html")
    merge = time.perf_counter() - started
    scored = {r["learner"]: (r.get("report") or {}).get("score") for r in records}
    wrong = [learner for learner, m in made.items() if scored.get(learner) != m["score"]]
    per_notebook = one / len(made)  # seconds of one core per submission
    print()
    print(f"(c) {len(made)} submissions: 1 shard {one:.1f} s, 2 shards side by side "
          f"{two:.1f} s; speed-up {one / two:.2f}x (goal >= 1.8x); "
          f"{len(made) - len(wrong)} of {len(made)} scores as deserved")
    print(f"(d) merge of the 2 shards (gradebook, feedback, mistakes.csv, class report): "
          f"{merge:.2f} s = {100 * merge / two:.2f} % of the grading time (goal <= 2 %)")
    total = 1000 * 6
    node_rate = len(made) / two  # submissions per second on one 2-core node
    print(f"(e) 1,000 learners x 6 notebooks = {total} submissions, at the measured "
          f"{per_notebook:.2f} s per notebook on one core ({node_rate:.2f} per second on "
          "one 2-core node, with 2 shards per node):")
    for nodes in (1, 10, 100):
        grading = math.ceil(total / (nodes * 2)) * (2 / node_rate)
        merging = merge * total / len(made)
        print(f"    {nodes:>3} node(s): grading {grading / 3600:.2f} h, then the merge "
              f"(at most {merging / 60:.1f} min if it grows linearly from the measured one)")
    print("    Notebook 02 was measured; a notebook that trains (03) takes far longer per "
          "submission, so scale these by its own measured time.")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=1,
                        help="class gradings per --jobs value (default: 1)")
    parser.add_argument("--single-repeats", type=int, default=3,
                        help="runs of each single-notebook measurement (default: 3)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="make the submissions and outputs in this folder and keep them")
    parser.add_argument("--class-scale", action="store_true",
                        help="measure shards and merge on a generated class instead")
    parser.add_argument("--class-size", type=int, default=200,
                        help="submissions of the --class-scale class (default: 200)")
    parser.add_argument("--skips", action="store_true",
                        help="measure what the grader-may-skip marks save (notebooks 03, 04)")
    args = parser.parse_args(argv)
    if args.class_size < 2:
        parser.error(f"--class-size must be at least 2; got {args.class_size}")
    if args.skips:
        if args.repeats < 1:
            parser.error(f"--repeats must be at least 1; got {args.repeats}")
        print(f"machine: {os.cpu_count()} cores, load average "
              + " ".join(f"{x:.2f}" for x in os.getloadavg()) + " at the start", flush=True)
        bench_skips.projection(bench_skips.side_by_side(args.repeats))
        print("load average at the end: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
        return 0
    if args.class_scale:
        with tempfile.TemporaryDirectory(prefix="bench-class-") as tmp:
            scratch = Path(tmp) if args.keep is None else args.keep
            scratch.mkdir(parents=True, exist_ok=True)
            class_scale(args.class_size, scratch)
        return 0
    for name in ("repeats", "single_repeats"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1; got "
                         f"{getattr(args, name)}")

    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        scratch = Path(tmp) if args.keep is None else args.keep
        scratch.mkdir(parents=True, exist_ok=True)
        made = make_class(scratch / "submissions", DEFAULT_KINDS)
        kinds = {}
        for m in made.values():
            kinds[m["kind"]] = kinds.get(m["kind"], 0) + 1
        print(f"{len(made)} submissions of notebook 02: "
              + ", ".join(f"{n} {k}" for k, n in kinds.items()))
        print(f"machine: {os.cpu_count()} cores, load average "
              + " ".join(f"{x:.2f}" for x in os.getloadavg()) + " at the start")

        times: dict[int, list[float]] = {1: [], 2: []}
        for _ in range(args.repeats):
            for jobs in (1, 2):
                elapsed, result = time_class(scratch / "submissions", scratch, jobs)
                times[jobs].append(elapsed)
                print(f"  --jobs {jobs}: {elapsed:.1f} s ({result['graded']} graded, "
                      f"{result['failed']} without a score; {scores_as_made(result, made)})",
                      flush=True)

        honest = next(m["path"] for m in made.values() if m["kind"] == "honest")
        single: dict[str, list[float]] = {"nbclient": [], "grade()": [], "own process": []}
        for _ in range(args.single_repeats):
            single["nbclient"].append(time_nbclient(honest, timeout=120))
            single["grade()"].append(time_grade(honest))
            single["own process"].append(time_own_process(honest, scratch))
            print("  one notebook: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in single.items()),
                  flush=True)

        one, two = statistics.median(times[1]), statistics.median(times[2])
        plain = statistics.median(single["nbclient"])
        print()
        print(f"(a) class of {len(made)}: --jobs 1 {one:.1f} s, --jobs 2 {two:.1f} s (medians "
              f"of {args.repeats}); speed-up {one / two:.2f}x (goal >= 1.7x)")
        print(f"(b) one honest notebook (medians of {args.single_repeats}): nbclient "
              f"{plain:.2f} s, grade() {statistics.median(single['grade()']):.2f} s, "
              f"in its own process as a batch runs it {statistics.median(single['own process']):.2f} s")
        print(f"    grade() / nbclient {statistics.median(single['grade()']) / plain:.2f}x, "
              f"own process / nbclient {statistics.median(single['own process']) / plain:.2f}x "
              "(goal <= 1.3x)")
        print("load average at the end: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
