"""Where the test suite's time goes: wall-clock and CPU seconds per test, summed per file.

A pytest plugin. Wall-clock time on a shared machine moves with its load; CPU time (this
process's, and that of every process it started, kernels and sandboxes included) moves
much less, so it is the figure to compare between two runs. Usage (works under xdist too:
each worker appends its own lines)::

    PYTHONPATH=benchmarks pytest -p suite_times --suite-times times.jsonl [...]
    python benchmarks/suite_times.py times.jsonl [--top 10]

The second command prints per file: tests, wall seconds (the sum of its tests' set-up,
call and tear-down), CPU seconds; then the slowest tests. Not counted: processes that
leave the process tree (a Slurm job runs under slurmd), whose time shows as wall only.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from collections import defaultdict

import psutil


def _cpu_seconds() -> float:
    """CPU seconds of this process, of its reaped children, and of every live descendant."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    for child in psutil.Process().children(recursive=True):
        try:
            t = child.cpu_times()
        except psutil.Error:  # ended between the listing and the look
            continue
        # Including what its own reaped children used (a forkserver's grading processes).
        total += t.user + t.system + t.children_user + t.children_system
    return total


def pytest_addoption(parser):
    parser.addoption("--suite-times", metavar="FILE", default=None,
                     help="append one JSON line per test (wall and CPU seconds) to FILE")


_started: dict[str, tuple[float, float]] = {}
_outcomes: dict[str, str] = {}


def pytest_runtest_logreport(report):
    # The test's outcome: its call's, or a failed or skipped set-up's or tear-down's.
    if report.when == "call" or report.outcome != "passed":
        _outcomes.setdefault(report.nodeid, report.outcome)


def pytest_runtest_logstart(nodeid, location):
    _started[nodeid] = (time.perf_counter(), _cpu_seconds())


def pytest_runtest_logfinish(nodeid, location):
    path = _config.getoption("--suite-times") if _config else None
    # Under xdist the controller hears of every test too; only the worker that ran it writes.
    if not path or nodeid not in _started or _config.pluginmanager.has_plugin("dsession"):
        return
    wall0, cpu0 = _started.pop(nodeid)
    line = {"test": nodeid, "wall": time.perf_counter() - wall0, "cpu": _cpu_seconds() - cpu0,
            "outcome": _outcomes.pop(nodeid, "passed"),
            "worker": os.environ.get("PYTEST_XDIST_WORKER", "main")}
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(line) + "\n")


_config = None


def pytest_configure(config):
    global _config
    _config = config


def summarise(path: str, top: int) -> None:
    """Print per-file totals and the ``top`` slowest tests of a --suite-times file."""
    tests = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    files = defaultdict(lambda: [0, 0.0, 0.0])
    for t in tests:
        entry = files[t["test"].split("::", 1)[0]]
        entry[0] += 1
        entry[1] += t["wall"]
        entry[2] += t["cpu"]
    print(f"{'file':55} {'tests':>5} {'wall s':>8} {'CPU s':>8}")
    for name, (count, wall, cpu) in sorted(files.items(), key=lambda kv: -kv[1][1]):
        print(f"{name:55} {count:5d} {wall:8.1f} {cpu:8.1f}")
    print(f"{'total':55} {len(tests):5d} {sum(t['wall'] for t in tests):8.1f} "
          f"{sum(t['cpu'] for t in tests):8.1f}")
    print(f"\nslowest {top} (wall s, CPU s):")
    for t in sorted(tests, key=lambda t: -t["wall"])[:top]:
        print(f"{t['wall']:8.1f} {t['cpu']:8.1f}  {t['test']}")


def main(argv=None) -> None:
    """``python benchmarks/suite_times.py FILE [--top N]``: print :func:`summarise`."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("file", help="the --suite-times file a pytest run wrote")
    parser.add_argument("--top", type=int, default=10, help="how many slowest tests to list")
    args = parser.parse_args(argv)
    summarise(args.file, args.top)


if __name__ == "__main__":
    main()
