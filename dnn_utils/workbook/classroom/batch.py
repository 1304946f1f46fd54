"""Grade a whole class: every ``SUBMISSIONS_DIR/<learner>/<notebook>.ipynb`` at once.

Layout: one folder per learner directly inside ``SUBMISSIONS_DIR``, named after the learner,
holding that learner's notebooks, each named like one of the workbook's
(``alice/02_building_your_deep_network.ipynb``). No link inside the class folder is
followed: a learner folder that is a link, or a link, FIFO or device named like a notebook,
is refused and gets a row saying why; everything else not graded (hidden files such as
``.ipynb_checkpoints``, other names, other depths) is listed as ignored, with the reason
(:mod:`~dnn_utils.workbook.classroom.folder`).

Each submission is graded in a process of its own
(:func:`dnn_utils.workbook.sandbox.grading_process.grade_in_child`, the one place that calls the
grader), on a private copy of the notebook's bytes, with a wall-clock limit. A submission
that crashes, hangs or kills its grader gets a row with a note; it cannot change another
submission's result, because no two share a process, and no learner's cell sees a
classmate's file.

Results are kept in ``OUT_DIR/.results/<learner>/<notebook>.json`` (``OUT_DIR``: the output
folder, ``grade --out``) with the SHA-256 of the notebook's bytes and of what decides the
verdict (the graded tests and the exercises and points of the solution notebooks). A later
run skips a submission whose record matches and re-grades the others; ``force`` re-grades
everything. The gradebook (CSV, one row per learner and notebook) and one HTML feedback
file per learner (``OUT_DIR/feedback/<learner>.html``) are rewritten at every run's end.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from ...files import write_atomically
from ..authoring.conventions import WorkbookError, graded_cells, read_notebook
from ..authoring.release import default_source_dir
from ..grading.skipping import marked_ids
from ..grading.time_limits import Limits, limits_for
from ..sandbox.grading_process import FAILED, GRADED, Running, grade_in_child
from ..sandbox.redact import host_paths, redact
from .batch_inputs import (  # noqa: F401 - part of this module's interface
    BatchInputError,
    check_output_locations,
    find_submissions,
    notebook_names,
)
from .folder import REFUSED, Submission, SubmissionReadError, describe, read_submission
from .gradebook import FEEDBACK_FOLDER, write_feedback, write_gradebook

RESULTS_FOLDER = ".results"
# Bumped when the layout of a result record changes, so old records are re-graded.
RECORD_VERSION = 1


@dataclass(frozen=True)
class Settings:
    """How every submission of a run is graded.

    Parameters
    ----------
    timeout : float or None
        Seconds each cell may run (``grade --timeout``); None derives it per notebook from
        its solution's measured times (:mod:`~dnn_utils.workbook.grading.time_limits`).
    kernel_name : str
        Jupyter kernel to run the notebooks in.
    limit : float or None
        Wall-clock seconds one submission's grading may take in all; then its grader and
        everything it started are killed and the row says so. None derives it like
        ``timeout``.
    sandbox : bool
        Run each notebook in the bubblewrap sandbox (``grade --no-sandbox`` turns it off).
    solutions : str or None
        Folder of the solution notebooks (which exercises count, and their points).
    skip : bool
        Leave out the cells the solutions mark as not needed for the grade
        (``grade --no-skip`` runs every cell).
    """

    timeout: float | None = None
    kernel_name: str = "python3"
    limit: float | None = None
    sandbox: bool = True
    solutions: str | None = None
    skip: bool = True

    def limits(self, notebook: str) -> Limits:
        """The limits of grading ``notebook``: the given ones, else derived from it."""
        source = Path(default_source_dir() if self.solutions is None else self.solutions)
        return limits_for(notebook, _solution(source / f"{notebook}.ipynb"), self.timeout,
                          self.limit)

    def grade_options(self, limits: Limits | None = None) -> dict:
        """The keyword arguments of :func:`~dnn_utils.workbook.grading.grader.grade` for a submission
        graded with ``limits`` (by default the given ones, which must then be set)."""
        limits = limits or Limits(self.timeout, self.limit, "given")
        return {"timeout": limits.timeout, "kernel_name": self.kernel_name,
                "sandbox": self.sandbox, "reference_dir": self.solutions, "skip": self.skip,
                # The grader stops itself a little before the batch kills its process.
                "overall_timeout": max(limits.overall - 10, limits.overall / 2)}


@functools.lru_cache(maxsize=64)
def _solution(path: Path):
    """A solution notebook (the instructor's), read once per batch; {} when unreadable."""
    try:
        return read_notebook(path)
    except WorkbookError:
        return {}


def file_sha256(path) -> str:
    """SHA-256 (hex) of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def workbook_fingerprint(source_dir=None) -> str:
    """SHA-256 of what decides a verdict besides the submission itself.

    That is the source of ``dnn_utils.graded`` and, for every solution notebook, its
    exercises and their points and the cells it marks as not needed for the grade.
    Re-executing a solution notebook leaves it unchanged; editing a graded test, a point
    value or a mark changes it, so every submission is re-graded.
    """
    from ... import graded

    digest = hashlib.sha256()
    for path in sorted(Path(graded.__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    source_dir = Path(default_source_dir() if source_dir is None else source_dir)
    for path in sorted(source_dir.glob("*.ipynb")):
        try:
            nb = read_notebook(path)
            exercises = [(e.name, e.points) for e in graded_cells(nb, str(path))]
            marks = sorted(marked_ids(nb))
        except WorkbookError as exc:
            exercises, marks = [("unreadable", str(exc))], []
        digest.update(json.dumps([path.name, exercises, marks]).encode() + b"\0")
    return digest.hexdigest()


def _grading_environment(jobs: int) -> dict:
    """BLAS threads split between the parallel graders' kernels, unless the caller set them."""
    threads = str(max(1, (os.cpu_count() or 1) // max(1, jobs)))
    return {name: threads
            for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
            if name not in os.environ}


def _record_path(out_dir: Path, submission: Submission) -> Path:
    return out_dir / RESULTS_FOLDER / submission.learner / f"{submission.notebook}.json"


def _cache_key(sha256: str, settings: Settings, fingerprint: str, limits: Limits) -> dict:
    return {"version": RECORD_VERSION, "sha256": sha256, "workbook": fingerprint,
            "timeout": float(limits.timeout), "kernel": settings.kernel_name,
            "sandbox": settings.sandbox, "solutions": settings.solutions, "skip": settings.skip}


def _load_record(out_dir, submission: Submission) -> dict | None:
    """The stored result of a submission, or None when there is none (or it is unreadable)."""
    try:
        record = json.loads(_record_path(Path(out_dir), submission).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and isinstance(record.get("key"), dict) else None


def _grade_submission(submission: Submission, settings: Settings, limits: Limits, *,
                      environment=None, running=None) -> dict:
    """Grade one submission from a private copy of its file (read without following links).

    Returns
    -------
    dict
        ``grade_in_child``'s result plus ``sha256`` (of the bytes graded) and ``seconds``.
    """
    started = time.monotonic()
    try:
        data = read_submission(submission)
    except SubmissionReadError as exc:
        return {"status": FAILED, "sha256": None, "seconds": time.monotonic() - started,
                "error": _shown_to_learner(str(exc), submission)}
    with tempfile.TemporaryDirectory(prefix="dnn-grade-") as scratch:
        scratch = Path(scratch)
        # The copy keeps the file's name: a file named like a workbook notebook is graded
        # as that notebook (see grader.grade).
        copy = scratch / "work" / submission.learner / submission.path.name
        copy.parent.mkdir(parents=True)
        copy.write_bytes(data)
        result = grade_in_child(
            copy, scratch / "report.json", options=settings.grade_options(limits),
            limit=limits.overall, environment=environment,
            running=running,
        )
    if "error" in result:
        # Name the learner's file, not the private copy that was graded.
        result["error"] = _shown_to_learner(
            result["error"].replace(str(copy), str(submission.path)), submission, scratch)
    result["sha256"] = hashlib.sha256(data).hexdigest()
    result["seconds"] = round(time.monotonic() - started, 3)
    return result


def _shown_to_learner(error: str, submission: Submission, scratch=None) -> str:
    """A failed row's error as the learner's feedback page may show it: the file named
    within the class folder (``alice/02_....ipynb``), no host path of the grader's."""
    error = error.replace(str(submission.path.parent.parent) + os.sep, "")
    return redact(error, host_paths([scratch] if scratch is not None else []))


def _refused_record(skipped) -> dict:
    """The gradebook row of a refused entry: no score, the reason as its note."""
    return {"learner": skipped.learner, "notebook": skipped.notebook, "key": {"sha256": None},
            "status": REFUSED, "error": skipped.reason, "seconds": 0}


def _submission_sha256(submission: Submission) -> str | None:
    """SHA-256 of a submission's bytes, or None when it cannot be read (grading says why)."""
    try:
        return hashlib.sha256(read_submission(submission)).hexdigest()
    except SubmissionReadError:
        return None


def _store(out_dir: Path, submission: Submission, record: dict) -> None:
    path = _record_path(out_dir, submission)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(record, indent=1).encode("utf-8")
    write_atomically(path, lambda handle: handle.write(text))


def grade_class(folder, csv_path, out_dir=None, *, jobs: int = 1, settings: Settings = Settings(),
                force: bool = False, progress: bool = True, select=None) -> dict:
    """Grade every submission in ``folder``; write the gradebook and the feedback files.

    Parameters
    ----------
    folder : str or Path
        ``SUBMISSIONS_DIR`` (see the module docstring for its layout).
    csv_path : str or Path or None
        The gradebook to write; None stores the results only (one shard).
    out_dir : str or Path, optional
        The output folder: the stored results go into ``out_dir/.results/`` and the
        feedback pages into ``out_dir/feedback/``; by default the gradebook's folder.
    jobs : int, optional
        How many submissions are graded at the same time (each in its own process).
    settings : Settings, optional
        Cell timeout, kernel and wall-clock limit per submission.
    force : bool, optional
        Re-grade submissions whose stored result is still valid.
    progress : bool, optional
        Show a progress bar on stderr.
    select : callable, optional
        ``select(submission) -> bool``: grade only the submissions it accepts.

    Returns
    -------
    dict
        ``{"records": [record per submission], "graded": int, "skipped": int,
        "failed": int}``; a record is ``{"learner", "notebook", "key", "status",
        "report" or "error", "seconds"}``.
    """
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise BatchInputError(
            f"--jobs must be a whole number of at least 1; got {jobs!r}. Use --jobs 2 on a "
            "2-core machine."
        )
    csv_path = None if csv_path is None else Path(csv_path)
    out_dir = Path(csv_path.parent if out_dir is None else out_dir)
    listing = find_submissions(folder, notebook_names(settings.solutions))
    submissions = [s for s in listing if select is None or select(s)]
    refused = [_refused_record(r) for r in listing.refused if select is None or select(r)]
    if csv_path is not None:
        check_output_locations(csv_path, out_dir)
    out_dir.mkdir(exist_ok=True)
    fingerprint = workbook_fingerprint(settings.solutions)
    limits = {name: settings.limits(name) for name in sorted({s.notebook for s in submissions})}

    records: dict[Submission, dict] = {}
    todo = []
    for submission in submissions:
        record = None if force else _load_record(out_dir, submission)
        key = _cache_key(_submission_sha256(submission), settings, fingerprint,
                         limits[submission.notebook])
        if record is not None and key["sha256"] is not None and record["key"] == key:
            records[submission] = record
        else:
            todo.append(submission)
    skipped = len(records)

    from tqdm.auto import tqdm

    environment = _grading_environment(jobs)
    running = Running()
    bar = tqdm(total=len(submissions), initial=skipped, unit="notebook", desc="grading",
               disable=not progress, file=sys.stderr)
    pool = ThreadPoolExecutor(max_workers=jobs)
    try:
        futures = {
            pool.submit(_grade_submission, s, settings, limits[s.notebook],
                        environment=environment, running=running): s
            for s in todo
        }
        for future in as_completed(futures):
            submission = futures[future]
            result = future.result()
            record = {
                "learner": submission.learner,
                "notebook": submission.notebook,
                "key": _cache_key(result.pop("sha256"), settings, fingerprint,
                                  limits[submission.notebook]),
                **result,
            }
            retry = record.pop("retry", False)
            if record["key"]["sha256"] is not None and not retry:
                _store(out_dir, submission, record)
            records[submission] = record
            bar.set_postfix_str(f"{submission.learner}/{submission.notebook}", refresh=False)
            bar.update()
    except BaseException:
        running.kill_all()
        pool.shutdown(wait=True, cancel_futures=True)
        bar.close()
        raise
    pool.shutdown()
    bar.close()

    # The order of the class folder: learners, then notebook file names.
    ordered = sorted([records[s] for s in submissions] + refused,
                     key=lambda r: (r["learner"], r["notebook"] + ".ipynb"))
    if csv_path is not None:
        write_gradebook(ordered, csv_path)
        write_feedback(ordered, out_dir / FEEDBACK_FOLDER)
    return {
        "records": ordered,
        "graded": len(todo), "skipped": skipped,
        "failed": sum(r["status"] != GRADED for r in ordered),
        "refused": len(refused), "ignored": listing.ignored, "listing": listing,
        "limits": limits,
    }


def summary(result: dict, csv_path, out_dir) -> str:
    """The closing lines a batch prints: counts, what was ignored and why, the submissions
    whose file name and metadata name different notebooks, the limits, and the outputs."""
    refused = result.get("refused", 0)
    lines = [
        f"{len(result['records'])} submission(s): {result['graded']} graded now, "
        f"{result['skipped']} unchanged and skipped, {result['failed']} without a score"
        + (f" ({refused} refused)." if refused else ".")]
    if result.get("listing") is not None:
        # The refused entries are rows without a score: the command lists those after.
        lines += describe(result["listing"], refused=False)
    for record in result["records"]:
        other = (record.get("report") or {}).get("metadata_notebook")
        if other:
            lines.append(f"warning: {record['learner']}/{record['notebook']}.ipynb holds "
                         f"notebook {other} (its metadata); it was graded as "
                         f"{record['notebook']}, its file name")
    for notebook, limits in (result.get("limits") or {}).items():
        lines.append(f"limits of {notebook}: {limits.timeout:g} s per cell and per call, "
                     f"{limits.overall:g} s in all ({limits.basis})")
    lines += [f"gradebook: {csv_path}", f"feedback:  {Path(out_dir) / FEEDBACK_FOLDER}"]
    return "\n".join(lines)
