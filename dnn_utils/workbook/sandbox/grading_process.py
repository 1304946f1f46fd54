"""Grade one notebook in a process of its own, with a wall-clock limit.

:func:`grade_in_child` is the one place class grading calls :func:`grader.grade
<dnn_utils.workbook.grading.grader.grade>`. The call runs in a fresh process forked from a
``multiprocessing`` fork server that imported the grader once, so a process costs
milliseconds instead of the seconds of a new Python's imports. The process makes itself a
session leader; the report comes back as a JSON file, the last error line through a
stderr file. When the limit passes, the process, its group and every process below it
(the kernel runs in a session of its own) are killed.

A cell that kills or stops its grader only ends that process: the caller gets a
``failed`` result saying so.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sys
import threading
from pathlib import Path

from . import process_tree

FAILED = "failed"
GRADED = "graded"
# Exit statuses of the grading process, as ``python -m dnn_utils.workbook grade`` uses them.
EXIT_UNUSABLE, EXIT_KERNEL, EXIT_GRADER_FAILED, EXIT_INTERRUPTED = 1, 3, 4, 130

_CONTEXT_LOCK = threading.Lock()
_context = None


def _grading_context():
    """The fork-server context, its server preloaded with the grader (made once)."""
    global _context
    with _CONTEXT_LOCK:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["dnn_utils.workbook.grading.grader"])
            _context = context
        return _context


def _grade_to_files(path, report_path, stderr_path, options, environment):
    """The grading process: grade ``path``, write the report; errors go to ``stderr_path``."""
    os.setsid()
    os.environ.update(environment)
    error_fd = os.open(stderr_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    null_fd = os.open(os.devnull, os.O_RDWR)
    os.dup2(null_fd, 0)
    os.dup2(null_fd, 1)
    os.dup2(error_fd, 2)

    from ..authoring.conventions import WorkbookError
    from ..grading.grader import grade
    from .kernel import GradingInterrupted, KernelStartError

    try:
        report = grade(path, **options)
    except (GradingInterrupted, KeyboardInterrupt):
        sys.exit(EXIT_INTERRUPTED)
    except KernelStartError as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        sys.exit(EXIT_KERNEL)
    except WorkbookError as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        sys.exit(EXIT_UNUSABLE)
    except Exception as exc:  # a bug of the grader: not the notebook's fault, so retried
        print(f"error: the grader failed: {type(exc).__name__}: {exc}", file=sys.stderr,
              flush=True)
        sys.exit(EXIT_GRADER_FAILED)
    Path(report_path).write_text(json.dumps(report) + "\n", encoding="utf-8")


def kill_tree(process) -> None:
    """SIGKILL a grading process (not yet joined), its process group and everything below
    it, then wait for it."""
    process_tree.kill_tree(process.pid)
    process.join()


class Running:
    """The grading processes alive now, so an interrupted batch can kill them all."""

    def __init__(self):
        self.lock = threading.Lock()
        self.processes: set = set()
        self.stopping = False

    def kill_all(self) -> None:
        """Kill every registered process and refuse to register new ones."""
        with self.lock:
            self.stopping = True
            processes = list(self.processes)
        for process in processes:
            kill_tree(process)


def grade_in_child(path, report_path, *, options: dict, limit: float,
                   environment=None, running: Running | None = None) -> dict:
    """Grade one notebook in a process of its own: the one place a batch calls ``grade``.

    Parameters
    ----------
    path : Path
        The notebook (a private copy; the grader never writes it).
    report_path : Path
        Where the grading process writes the JSON report (outside the notebook's folder);
        its errors go to the same name with the suffix ``.stderr``.
    options : dict
        Keyword arguments of :func:`dnn_utils.workbook.grading.grader.grade` (``timeout``,
        ``kernel_name``, ``sandbox``, ``reference_dir``, ``overall_timeout``, ``skip``).
    limit : float
        Wall-clock seconds for the whole grading, after which the process is killed.
    environment : dict, optional
        Variables set in the grading process (and so in its kernel).
    running : Running, optional
        Registry of live grading processes (for Ctrl-C).

    Returns
    -------
    dict
        ``{"status": "graded", "report": <grade()'s report>}``, or ``{"status": "failed",
        "error": str, "retry": bool}``; ``retry`` is true when the failure may not happen
        again (timeout, killed grader, kernel that would not start).
    """
    report_path = Path(report_path)
    stderr_path = report_path.with_suffix(".stderr")
    process = _grading_context().Process(
        target=_grade_to_files,
        args=(str(path), str(report_path), str(stderr_path), dict(options),
              dict(environment or {})),
        name=f"grade {Path(path).name}",
    )
    if running is not None:
        with running.lock:
            if running.stopping:
                raise KeyboardInterrupt
            process.start()
            running.processes.add(process)
    else:
        process.start()
    try:
        process.join(timeout=limit)
        if process.exitcode is None:
            kill_tree(process)
            return {
                "status": FAILED, "retry": True,
                "error": f"grading took longer than the limit of {limit:g} s and was "
                "stopped (a cell that hangs the grader, or a very slow notebook); no score",
            }
    finally:
        if running is not None:
            with running.lock:
                running.processes.discard(process)
    return _result(process.exitcode, report_path, stderr_path)


def _result(exitcode: int, report_path: Path, stderr_path: Path) -> dict:
    last = _last_line(stderr_path)
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return {"status": FAILED, "retry": True,
                "error": f"the grader was killed by {name} (by a cell of the notebook?); no score"}
    if exitcode != 0:
        return {
            "status": FAILED, "retry": exitcode != EXIT_UNUSABLE,
            "error": last.removeprefix("error: ") or f"the grader exited with status {exitcode}",
        }
    try:
        report = json.loads(report_path.read_text(encoding="utf-8"))
        _check_report(report)
    except (OSError, ValueError) as exc:
        return {"status": FAILED, "retry": True,
                "error": f"the grader's report could not be read ({exc}); no score"}
    return {"status": GRADED, "report": report}


def _last_line(path: Path, tail: int = 4096) -> str:
    """The last non-empty line of a text file, read from its last ``tail`` bytes."""
    try:
        with open(path, "rb") as handle:
            handle.seek(max(0, handle.seek(0, os.SEEK_END) - tail))
            lines = handle.read().decode("utf-8", "replace").strip().splitlines()
    except OSError:
        return ""
    return lines[-1].strip() if lines else ""


def _check_report(report) -> None:
    """Raise ValueError unless ``report`` has the shape :func:`grader.grade` returns."""
    if not isinstance(report, dict) or not isinstance(report.get("exercises"), list):
        raise ValueError("not a grading report")
    for exercise in report["exercises"]:
        if not isinstance(exercise, dict) or not {"name", "points", "max_points", "passed",
                                                  "feedback"} <= exercise.keys():
            raise ValueError("an exercise entry is incomplete")
    for key in ("score", "max_score"):
        if isinstance(report.get(key), bool) or not isinstance(report.get(key), (int, float)):
            raise ValueError(f"{key} is not a number")
    if not isinstance(report.get("notes", []), list):
        raise ValueError("notes is not a list")
    skipped = report.get("skipped", [])
    if not isinstance(skipped, list) or not all(
            isinstance(s, dict) and {"cell", "id", "first_line"} <= s.keys() for s in skipped):
        raise ValueError("skipped is not a list of cells")
