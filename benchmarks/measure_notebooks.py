"""Time and memory of grading one honest submission of each notebook: the sizing figures.

For every solution notebook, an honest submission (the solution, outputs cleared: see
``tests/sample_class.py``) is graded by ``python -m dnn_utils.workbook grade`` in a process
of its own, sandboxed, one at a time: as ``grade`` runs by default (the skip marks honoured),
then with ``--no-skip``. While it runs, the resident memory (RSS) of the
grader and every process under it (bubblewrap, the sandbox's driver and kernel, the
graded tests' processes) is summed every 0.2 s; the peak of that sum is what a Slurm or
Kubernetes memory limit must hold. Wall-clock and CPU time (user + system seconds of
every process of the tree, as last sampled; a busy machine inflates it far less than the
wall-clock time) are printed too, with the load average
before and after, since the machine may be shared.

``--merge-size 6000`` measures the merge instead: a class of four made-up submissions of
notebook 02 is graded, its records are copied to that many learners (one shard), and
``grade --merge`` (gradebook, feedback pages, mistakes.csv, class report) is timed and its
peak memory sampled the same way.

With ``--write`` the figures go into ``deploy/sizing.json``, the one place the Slurm
scripts' ``#SBATCH --time``/``--mem``, the Kubernetes memory request/limit and the sizing
table in docs/CLUSTERS.md are derived from (``tests/test_deploy_sizing.py`` checks they
agree). Usage::

    python benchmarks/measure_notebooks.py [--notebook 03] [--repeats 1] [--write]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import nbformat
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from sample_class import make_submission  # noqa: E402

from dnn_utils.workbook.authoring.conventions import read_notebook  # noqa: E402
from dnn_utils.workbook.authoring.release import default_source_dir  # noqa: E402

SIZING = ROOT / "deploy" / "sizing.json"


def _sample_tree(pid: int, cpu: dict) -> int:
    """Bytes of resident memory of ``pid`` and all its descendants (0 once it is gone);
    records in ``cpu`` each process's latest user + system seconds."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for process in processes:
        try:
            with process.oneshot():
                total += process.memory_info().rss
                times = process.cpu_times()
                cpu[(process.pid, process.create_time())] = times.user + times.system
        except psutil.Error:
            pass
    return total


def _sampled_run(command) -> tuple[float, float, int]:
    """Run ``command``; its wall-clock seconds, CPU seconds and peak MiB (whole tree)."""
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True)
    peak, cpu, done = 0, {}, threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _sample_tree(process.pid, cpu))
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {stderr[-2000:]}")
    return time.monotonic() - started, sum(cpu.values()), round(peak / 2**20)


def measure(notebook: Path, folder: Path, skip: bool = True) -> dict:
    """Grade an honest copy of ``notebook`` once (``skip=False``: with ``--no-skip``); return
    its seconds, CPU seconds, peak MiB."""
    import random

    submission, _ = make_submission("honest", read_notebook(notebook), random.Random(0))
    path = folder / "honest" / notebook.name
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(submission, str(path))
    report = folder / f"{notebook.stem}.json"
    load = os.getloadavg()[0]
    seconds, cpu, peak = _sampled_run(
        [sys.executable, "-m", "dnn_utils.workbook", "grade", str(path), "--json", str(report),
         *([] if skip else ["--no-skip"])])
    result = json.loads(report.read_text())
    return {"seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1), "peak_mib": peak,
            "score": f"{result['score']}/{result['max_score']}",
            "load_before": round(load, 1), "load_after": round(os.getloadavg()[0], 1)}


def measure_merge(size: int, folder: Path) -> dict:
    """Grade four submissions, copy their records to ``size`` learners, time the merge."""
    from sample_class import make_class

    from dnn_utils.workbook.classroom.batch import Settings, grade_class, workbook_fingerprint
    from dnn_utils.workbook.classroom.shards import FORMAT, SHARD_FORMAT_VERSION, summary_path

    make_class(folder / "subs", ["honest", "partly_wrong", "empty", "crasher"], seed=3)
    graded = grade_class(folder / "subs", None, folder / "graded", settings=Settings(),
                         progress=False)["records"]
    records = []
    for i in range(size):
        record = {**graded[i % len(graded)], "learner": f"learner{i:05d}"}
        path = folder / "results" / ".results" / record["learner"] / f"{record['notebook']}.json"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(record, indent=1))
        records.append(record)
    summary = summary_path(folder / "results", 1, 1)
    summary.parent.mkdir()
    summary.write_text(json.dumps({"format": FORMAT, "version": SHARD_FORMAT_VERSION,
                                   "shard": 1, "shards": 1,
                                   "workbook": workbook_fingerprint(), "listing": "made up",
                                   "records": records}))
    seconds, cpu, peak = _sampled_run(
        [sys.executable, "-m", "dnn_utils.workbook", "grade", "--merge",
         str(folder / "results"), "--out", str(folder / "out"), "--report",
         str(folder / "out" / "class.html")])
    return {"submissions": size, "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1),
            "peak_mib": peak, "date": date.today().isoformat()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebook", action="append", default=None, metavar="NN",
                        help="only the notebook(s) whose name starts with NN (repeatable)")
    parser.add_argument("--repeats", type=int, default=1, help="gradings per notebook; the "
                        "largest time and memory are kept")
    parser.add_argument("--merge-size", type=int, default=None, metavar="N",
                        help="measure the merge of N graded submissions instead")
    parser.add_argument("--write", action="store_true",
                        help=f"store the figures in {SIZING.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    notebooks = sorted(Path(default_source_dir()).glob("*.ipynb"))
    if args.notebook:
        notebooks = [p for p in notebooks if any(p.name.startswith(n) for n in args.notebook)]
    figures = json.loads(SIZING.read_text()) if SIZING.exists() else {}
    if args.merge_size:
        with tempfile.TemporaryDirectory(prefix="dnn-measure-") as folder:
            figures["merge"] = measure_merge(args.merge_size, Path(folder))
        print(f"merge: {figures['merge']}")
        notebooks = []
    measured = figures.setdefault("notebooks", {})
    print(f"{os.cpu_count()} CPU(s); load average {os.getloadavg()[0]:.1f}")
    print(f"{'notebook':38} {'':10} {'seconds':>8} {'CPU s':>7} {'peak MiB':>9} {'score':>7} load")
    for notebook in notebooks:
        entry = {}
        for skip, mode, prefix in ((True, "", ""), (False, "--no-skip", "no_skip_")):
            runs = []
            for _ in range(args.repeats):
                with tempfile.TemporaryDirectory(prefix="dnn-measure-") as folder:
                    runs.append(measure(notebook, Path(folder), skip))
            worst = {key: max(run[key] for run in runs)
                     for key in ("seconds", "cpu_seconds", "peak_mib")}
            row = runs[-1]
            print(f"{notebook.stem:38} {mode:10} {worst['seconds']:8.1f} "
                  f"{worst['cpu_seconds']:7.1f} {worst['peak_mib']:9d} {row['score']:>7} "
                  f"{row['load_before']}->{row['load_after']}", flush=True)
            entry[f"{prefix}seconds"] = worst["seconds"]
            entry[f"{prefix}cpu_seconds"] = worst["cpu_seconds"]
            # One memory figure, for either way of grading: the larger peak.
            entry["peak_mib"] = max(entry.get("peak_mib", 0), worst["peak_mib"])
        measured[notebook.stem] = {**entry, "load": [row["load_before"], row["load_after"]],
                                   "date": date.today().isoformat()}
    if args.write:
        SIZING.write_text(json.dumps(figures, indent=2) + "\n")
        print(f"wrote {SIZING}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
