"""How long grading a notebook may take, derived from how long its solution notebook took.

A notebook that is quick for its learner but hangs whenever the grader calls it holds a
grading slot until its limits run out, so the limits are sized per notebook:
``python -m dnn_utils.workbook execute`` measures the CPU time the kernel spends on every
cell of each solution notebook it runs and keeps the slowest cell and the total in
:data:`TIMES_FILE` (a committed file beside this module, keyed by notebook, with the
SHA-256 of the notebook's code so a changed notebook is not graded on the times of its
former self). CPU time, not wall-clock time: it hardly depends on what else the machine
was doing while ``execute`` ran. The default limits, in wall-clock seconds, are

- per cell, and per call of an exercise by its graded test: :data:`MARGIN` times the
  slowest cell, at least :data:`MIN_CELL_SECONDS`;
- in all: :data:`MARGIN` times the whole notebook, plus :data:`STARTUP_SECONDS` for the
  sandbox and its kernel to start;

each at most :data:`FALLBACK_SECONDS`, the fixed limits sized for the slowest notebook on
a loaded machine, so a heavy notebook keeps those and a light one gets far less.

The whole notebook is timed, graded cells included, though grading runs each graded test
from outside and may skip cells: the limits stay an upper bound. A cell that waits rather
than computes (a download, a sleep) is not covered: pass ``--timeout``. ``--timeout`` and
``--overall-timeout`` (``--limit`` for a class) override the defaults. A notebook without
a measured time gets :data:`FALLBACK_SECONDS`, and the report says so.

The file changes only when a measurement leaves the factor-2 band around what it holds,
so re-running ``execute`` on a machine like the last one leaves it byte-identical.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path

import psutil

from ...files import write_bytes_atomically

#: The measured times of the solution notebooks.
TIMES_FILE = Path(__file__).with_name("solution_times.json")
#: Wall-clock seconds a grading may take per CPU second of the solution. A CPU-bound cell
#: with one thread, on a machine with a load average of L on C cores, runs about L / C
#: wall-clock seconds per CPU second (a batch gives each job C / jobs BLAS threads).
#: Measured with execute (2 BLAS threads): 2.5 to 5 at a load of 10 to 17 on 2 cores.
#: 20 leaves twice what one thread needs at a load of 20 on 2 cores.
MARGIN = 20
#: The least time a cell or a call gets, however quick its solution.
MIN_CELL_SECONDS = 60.0
#: Time for the sandbox and its kernel to start, on top of the notebook's cells.
STARTUP_SECONDS = 120.0
#: (per cell, in all) when no time was measured: sized for the slowest notebook on a
#: loaded machine.
FALLBACK_SECONDS = (1500.0, 3600.0)
# A stored time is kept while a new measurement stays within this factor of it.
_BAND = 2.0


@dataclass(frozen=True)
class Limits:
    """The limits of one grading and how they were set (``basis``, for the report)."""

    timeout: float
    overall: float
    basis: str

    def as_dict(self) -> dict:
        return {"timeout": self.timeout, "overall_timeout": self.overall, "basis": self.basis}


def code_sha256(nb) -> str:
    """SHA-256 of a notebook's code cells: what its running time depends on."""
    digest = hashlib.sha256()
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            digest.update(("".join(source) if isinstance(source, list) else source).encode())
            digest.update(b"\0")
    return digest.hexdigest()


def _stored(times_file: Path = TIMES_FILE) -> dict:
    try:
        data = json.loads(times_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _round_up(seconds: float) -> float:
    """``seconds`` rounded up to two significant digits (at least 0.1)."""
    if seconds <= 0.1:
        return 0.1
    scale = 10 ** (math.floor(math.log10(seconds)) - 1)
    return round(math.ceil(seconds / scale) * scale, 6)


def limits_for(stem: str, solution_nb, timeout=None, overall=None,
               times_file: Path = TIMES_FILE) -> Limits:
    """The limits of grading notebook ``stem`` (see the module docstring).

    Parameters
    ----------
    stem : str
        The solution notebook's name.
    solution_nb : dict
        The solution notebook (its code decides whether the stored times still apply).
    timeout, overall : float, optional
        Given limits (the command-line flags); they override the derived ones.
    """
    entry = _stored(times_file).get(stem)
    fits = isinstance(entry, dict) and entry.get("code_sha256") == code_sha256(solution_nb)
    if fits:
        try:
            slowest = float(entry["slowest_cell_cpu_seconds"])
            total = float(entry["total_cpu_seconds"])
        except (KeyError, TypeError, ValueError):
            fits = False
    if fits:
        wanted = (max(MIN_CELL_SECONDS, math.ceil(MARGIN * slowest)),
                  math.ceil(MARGIN * total + STARTUP_SECONDS))
        derived = tuple(min(w, cap) for w, cap in zip(wanted, FALLBACK_SECONDS))
        basis = (f"{MARGIN} x the solution's measured CPU times (slowest cell {slowest:g} s, "
                 f"all cells {total:g} s) + {STARTUP_SECONDS:g} s to start"
                 + (", at most the fallback limits" if derived != wanted else ""))
    else:
        derived = FALLBACK_SECONDS
        basis = (f"no measured time of this version of {stem}: the fallback limits (run "
                 "'python -m dnn_utils.workbook execute' on the solution notebook)")
    if timeout is not None or overall is not None:
        basis = "given" if timeout is not None and overall is not None else f"partly given; {basis}"
    return Limits(float(derived[0] if timeout is None else timeout),
                  float(derived[1] if overall is None else overall), basis)


class CellTimer:
    """nbclient hooks that measure the CPU time of the kernel on each cell.

    Pass ``on_cell_execute`` and ``on_cell_executed`` to the ``NotebookClient``;
    ``kernel_pid`` returns the kernel's process id (its threads and child processes
    count). A kernel whose process cannot be seen leaves ``seconds`` empty.
    """

    def __init__(self, kernel_pid):
        self.kernel_pid = kernel_pid
        self.seconds: list[float] = []
        self._started = None

    def _cpu(self) -> float | None:
        try:
            pid = self.kernel_pid()
            if pid is None:  # (psutil would take None for this process)
                return None
            times = psutil.Process(pid).cpu_times()
        except (psutil.Error, AttributeError, TypeError, ValueError):
            return None
        return times.user + times.system + times.children_user + times.children_system

    def on_cell_execute(self, **_):
        self._started = self._cpu()

    def on_cell_executed(self, **_):
        now = self._cpu()
        if self._started is not None and now is not None:
            self.seconds.append(max(0.0, now - self._started))
        self._started = None


def record(stem: str, nb, cell_seconds, times_file: Path = TIMES_FILE) -> bool:
    """Store a run's cell CPU times for ``stem`` unless the stored ones still hold; True when
    the file was rewritten (see the module docstring)."""
    cell_seconds = list(cell_seconds)
    if not cell_seconds:
        return False
    new = {"code_sha256": code_sha256(nb),
           "slowest_cell_cpu_seconds": _round_up(max(cell_seconds)),
           "total_cpu_seconds": _round_up(sum(cell_seconds))}
    data = _stored(times_file)
    old = data.get(stem)
    if isinstance(old, dict) and old.get("code_sha256") == new["code_sha256"] and all(
            isinstance(old.get(key), (int, float)) and old[key] > 0
            and 1 / _BAND <= new[key] / old[key] <= _BAND
            for key in ("slowest_cell_cpu_seconds", "total_cpu_seconds")):
        return False
    data[stem] = new
    text = json.dumps(dict(sorted(data.items())), indent=1, sort_keys=True) + "\n"
    write_bytes_atomically(times_file, text.encode("utf-8"))
    return True
