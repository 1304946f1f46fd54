"""How long grading takes and how much memory it needs: the cluster figures, in one place.

The figures are measured by ``python benchmarks/measure_notebooks.py --write`` and stored in
``deploy/sizing.json`` (per notebook: wall-clock and CPU seconds to grade one honest
submission, as ``grade`` runs by default and with ``--no-skip``, and the peak resident
memory of the grader and everything under it in either). From them, and only from them,
come:

- the memory a grading task needs: the sandbox lets a notebook's process take
  :data:`~dnn_utils.workbook.sandbox.session.MEMORY_LIMIT_BYTES` of address space, so a task's limit
  is that plus the largest measured peak (a hostile notebook may use all of it; an honest
  one needs the peak, the request);
- the time a shard needs: the CPU seconds of its submissions, notebook by notebook (on a
  cluster, a task has its core; the ``--no-skip`` figures when the grade options say
  ``--no-skip``), times :data:`MARGIN`; the merge's time and memory from
  its measured figures for :data:`MERGE_CLASS` submissions;
- the ``#SBATCH`` lines of ``deploy/slurm/*.sbatch``, the resources of
  ``deploy/k8s/grade-jobs.yaml`` and the sizing table of ``docs/CLUSTERS.md``, which
  ``tests/test_deploy_sizing.py`` checks against these functions.

``python -m dnn_utils.workbook.classroom.sizing SUBMISSIONS_DIR N [grade options]`` prints
the ``sbatch`` options (``--time``, ``--mem``) for grading that folder in N shards with
those options; ``deploy/slurm/submit.sh`` passes its grade options in and the result on.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

from ..authoring.conventions import WorkbookError
from ..sandbox.session import MEMORY_LIMIT_BYTES

SIZING = Path(__file__).resolve().parents[3] / "deploy" / "sizing.json"
#: Time allowed over the measured CPU time (a slower node, a busier file system).
MARGIN = 2.0
#: Submissions the ``#SBATCH --time`` default of grade_array.sbatch is sized for.
DEFAULT_SHARD = {"learners": 10, "per_learner": "every notebook once"}
#: The class the merge's figures are sized for: 1,000 learners x 6 notebooks.
MERGE_CLASS = 6000
MIB = 1024**2


#: The key of a notebook's CPU seconds, graded with the skip marks and with ``--no-skip``.
CPU_KEYS = {True: "cpu_seconds", False: "no_skip_cpu_seconds"}


def load(path=SIZING) -> dict:
    """The measured figures: ``{"notebooks": {name: {"seconds", "cpu_seconds",
    "no_skip_seconds", "no_skip_cpu_seconds", "peak_mib", ...}}, "merge": {...}}``."""
    try:
        figures = json.loads(Path(path).read_text(encoding="utf-8"))
        if figures["notebooks"] and figures["merge"]["submissions"] > 0:
            return figures
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise WorkbookError(f"{path} is unreadable ({exc}). Measure the figures again: "
                            "python benchmarks/measure_notebooks.py --write") from None
    raise WorkbookError(f"{path} holds no measured notebook. Measure them: python "
                        "benchmarks/measure_notebooks.py --write")


def _round_up(value: float, step: int) -> int:
    return int(math.ceil(value / step) * step)


def request_mib(figures=None) -> int:
    """Memory one grading task needs for an honest submission (the largest peak, +25 %)."""
    figures = figures or load()
    peak = max(n["peak_mib"] for n in figures["notebooks"].values())
    return _round_up(peak * 1.25, 128)


def limit_mib(figures=None) -> int:
    """Memory one grading task may use: the sandbox's address-space limit + the peak."""
    figures = figures or load()
    peak = max(n["peak_mib"] for n in figures["notebooks"].values())
    return _round_up(MEMORY_LIMIT_BYTES / MIB + peak, 128)


def notebook_seconds(notebook: str, figures=None, skip: bool = True) -> float:
    """CPU seconds to grade one submission of ``notebook`` (the slowest for an unknown one),
    with the skip marks or (``skip=False``) with ``--no-skip``."""
    measured = (figures or load())["notebooks"]
    key = CPU_KEYS[skip]
    if notebook in measured:
        return measured[notebook][key]
    return max(n[key] for n in measured.values())


def slurm_time(seconds: float) -> str:
    """``seconds`` x :data:`MARGIN`, rounded up to 5 minutes (10 at least), as Slurm's
    ``[days-]hours:minutes:seconds``."""
    minutes = max(10, _round_up(seconds * MARGIN / 60, 5))
    days, minutes = divmod(minutes, 24 * 60)
    text = f"{minutes // 60:02d}:{minutes % 60:02d}:00"
    return f"{days}-{text}" if days else text


def default_shard_time(figures=None) -> str:
    """``#SBATCH --time`` of grade_array.sbatch: a shard of :data:`DEFAULT_SHARD`."""
    figures = figures or load()
    learner = sum(n["cpu_seconds"] for n in figures["notebooks"].values())
    return slurm_time(DEFAULT_SHARD["learners"] * learner)


def merge_time(submissions: int, figures=None) -> str:
    """Slurm ``--time`` of the merge of ``submissions`` graded notebooks."""
    merge = (figures or load())["merge"]
    return slurm_time(merge["cpu_seconds"] * max(1.0, submissions / merge["submissions"]))


def merge_mib(figures=None) -> int:
    """Memory of the merge: twice its measured peak."""
    return _round_up((figures or load())["merge"]["peak_mib"] * 2, 512)


def shard_seconds(folder, shards: int, figures=None, skip: bool = True) -> float:
    """CPU seconds of the slowest of ``shards`` shards of the class ``folder`` (``skip``:
    see :func:`notebook_seconds`)."""
    from .batch import find_submissions
    from .shards import shard_of

    figures = figures or load()
    totals = [0.0] * shards
    for submission in find_submissions(folder):
        shard = shard_of(submission.learner, submission.notebook, shards)
        totals[shard - 1] += notebook_seconds(submission.notebook, figures, skip)
    return max(totals)


def table(figures=None) -> list[str]:
    """The sizing table of docs/CLUSTERS.md (Markdown lines)."""
    figures = figures or load()
    lines = ["| notebook | wall-clock s | CPU s | with `--no-skip`: wall-clock s | CPU s "
             "| peak memory (MiB) |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name, n in sorted(figures["notebooks"].items()):
        lines.append(f"| {name} | {n['seconds']:g} | {n['cpu_seconds']:g} "
                     f"| {n['no_skip_seconds']:g} | {n['no_skip_cpu_seconds']:g} "
                     f"| {n['peak_mib']} |")
    return lines


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) < 2 or not argv[1].isdigit() or int(argv[1]) < 1:
        print("usage: python -m dnn_utils.workbook.classroom.sizing SUBMISSIONS_DIR N "
              "[grade options] (N >= 1 shards)", file=sys.stderr)
        return 2
    try:
        # Of the grade options, only --no-skip changes how long a grading takes.
        seconds = shard_seconds(argv[0], int(argv[1]), skip="--no-skip" not in argv[2:])
    except WorkbookError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"--time={slurm_time(seconds)} --mem={limit_mib()}M")
    return 0


if __name__ == "__main__":
    sys.exit(main())
