"""Grading limits derived from the solution notebooks' measured times (issue 27).

A notebook that hangs whenever the grader calls it held a grading slot for the fixed
3,600 s (1,500 s a call). The limits now come from ``dnn_utils/workbook/grading/solution_times.json``,
which ``python -m dnn_utils.workbook execute`` writes; these tests check the file is
current for every solution notebook, the derivation, and that the flags still win.
"""

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from dnn_utils.workbook.authoring.conventions import read_notebook
from dnn_utils.workbook.classroom.batch import Settings, summary
from dnn_utils.workbook.grading.grader import format_report
from dnn_utils.workbook.grading.time_limits import (
    FALLBACK_SECONDS,
    MARGIN,
    MIN_CELL_SECONDS,
    STARTUP_SECONDS,
    TIMES_FILE,
    CellTimer,
    code_sha256,
    limits_for,
    record,
)

SOLUTIONS = Path(__file__).resolve().parents[1] / "notebooks" / "solutions"
NOTEBOOKS = sorted(SOLUTIONS.glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_solution_notebook_has_measured_times_of_its_current_code(path):
    stored = json.loads(TIMES_FILE.read_text(encoding="utf-8")).get(path.stem)
    fix = (f"run 'python -m dnn_utils.workbook execute {path}' to measure it (it writes "
           f"{TIMES_FILE.name})")
    assert stored is not None, f"{path.stem} has no measured time: {fix}"
    assert stored["code_sha256"] == code_sha256(read_notebook(path)), \
        f"the measured time of {path.stem} is of an older version of its code: {fix}"
    limits = limits_for(path.stem, read_notebook(path))
    assert limits.basis.startswith(f"{MARGIN} x the solution's measured CPU times"), limits


def test_the_limits_are_the_margin_times_the_measurement_and_flags_override(tmp_path):
    nb = {"cells": [{"cell_type": "code", "source": "x = 1"}]}
    times = tmp_path / "times.json"
    assert record("nb", nb, [2.0, 30.04, 5.0], times_file=times)
    stored = json.loads(times.read_text())["nb"]
    assert (stored["slowest_cell_cpu_seconds"], stored["total_cpu_seconds"]) == (31, 38)
    derived = limits_for("nb", nb, times_file=times)
    assert (derived.timeout, derived.overall) == (MARGIN * 31, MARGIN * 38 + STARTUP_SECONDS)
    assert derived.basis == (f"{MARGIN} x the solution's measured CPU times (slowest cell 31 s, "
                             f"all cells 38 s) + {STARTUP_SECONDS:g} s to start")
    quick = limits_for("nb", nb, times_file=times, overall=50)
    assert (quick.timeout, quick.overall) == (MARGIN * 31, 50)
    assert quick.basis.startswith("partly given; ")
    given = limits_for("nb", nb, 7, 9, times_file=times)
    assert (given.timeout, given.overall, given.basis) == (7, 9, "given")
    record("tiny", nb, [0.01], times_file=times)
    assert limits_for("tiny", nb, times_file=times).timeout == MIN_CELL_SECONDS
    record("heavy", nb, [100.0, 200.0], times_file=times)
    heavy = limits_for("heavy", nb, times_file=times)
    assert (heavy.timeout, heavy.overall) == FALLBACK_SECONDS  # never above the fallback
    assert heavy.basis.endswith(", at most the fallback limits")


def test_without_a_fitting_measurement_the_fallback_is_used_and_said(tmp_path):
    nb = {"cells": [{"cell_type": "code", "source": "x = 1"}]}
    times = tmp_path / "times.json"
    record("nb", nb, [3.0], times_file=times)
    changed = {"cells": [{"cell_type": "code", "source": "x = 2"}]}
    for stem, notebook in (("nb", changed), ("other", nb)):
        limits = limits_for(stem, notebook, times_file=times)
        assert (limits.timeout, limits.overall) == FALLBACK_SECONDS
        assert limits.basis.startswith(f"no measured time of this version of {stem}")


def test_re_recording_a_similar_run_leaves_the_file_byte_identical(tmp_path):
    nb = {"cells": [{"cell_type": "code", "source": "x = 1"}]}
    times = tmp_path / "times.json"
    record("nb", nb, [10.0, 20.0], times_file=times)
    before = times.read_bytes()
    assert not record("nb", nb, [13.0, 31.0], times_file=times)   # within a factor 2
    assert times.read_bytes() == before
    assert record("nb", nb, [10.0, 90.0], times_file=times)       # 3x slower: rewritten
    assert json.loads(times.read_text())["nb"]["slowest_cell_cpu_seconds"] == 90


def test_the_cell_timer_measures_the_cpu_time_of_the_kernel_process():
    timer = CellTimer(os.getpid)  # this process stands for the kernel
    timer.on_cell_execute(cell=None)
    deadline = time.process_time() + 0.3
    while time.process_time() < deadline:
        pass
    timer.on_cell_executed(cell=None)
    timer.on_cell_execute(cell=None)
    time.sleep(0.3)  # waiting costs no CPU time
    timer.on_cell_executed(cell=None)
    busy, idle = timer.seconds
    assert busy >= 0.25 and idle < 0.1, timer.seconds
    gone = CellTimer(lambda: None)
    gone.on_cell_execute(cell=None)
    gone.on_cell_executed(cell=None)
    assert gone.seconds == []


def test_the_report_and_a_class_print_the_limits(tmp_path):
    report = {"score": 0, "max_score": 0, "exercises": [], "notes": [],
              "limits": {"timeout": 90, "overall_timeout": 400, "basis": "given"}}
    assert "limits: 90 s per cell and per call, 400 s in all (given)" in format_report(
        "x.ipynb", report)
    stem = NOTEBOOKS[1].stem
    derived = Settings().limits(stem)
    assert derived == limits_for(stem, read_notebook(NOTEBOOKS[1]))
    assert Settings(timeout=5, limit=60).limits(stem).basis == "given"
    # A folder of solutions other than the repository's: same notebooks, same times.
    shutil.copytree(SOLUTIONS, tmp_path / "mine")
    assert Settings(solutions=str(tmp_path / "mine")).limits(stem) == derived
    printed = summary({"records": [], "graded": 0, "skipped": 0, "failed": 0,
                       "limits": {stem: derived}}, "g.csv", "feedback")
    assert (f"limits of {stem}: {derived.timeout:g} s per cell and per call, "
            f"{derived.overall:g} s in all ({derived.basis})") in printed
