"""Things made once per test run and shared by every test that reads them.

Grading a class is the suite's costliest set-up, so the tests that only read a graded
sample class share one (the session fixtures ``sample_class`` and ``sample_class_graded``
of ``tests/conftest.py``). Under pytest-xdist each worker is a process of its own, so a
session fixture alone would build once per worker: :func:`once_per_run` builds in the
folder all workers share, the first worker under a file lock while the others wait, and
every worker reads back what was written. Shared results are read-only: a test that
changes a submission or an output copies it into its own ``tmp_path`` first.
"""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path

# One submission of each kind of tests/sample_class.py but the hanger (whose grading only
# stops at the limit): honest and partly wrong work, a stub for every exercise, and each
# hostile kind, so a sandboxed class grading meets all of them.
SHARED_KINDS = ("honest", "partly_wrong", "empty", "forger", "vandal", "killer", "crasher")
SHARED_SEED = 3
# The grading settings of the shared class, as `grade` options and as batch Settings.
TIMEOUT, LIMIT = 120, 600
GRADE_OPTIONS = ["--timeout", str(TIMEOUT), "--limit", str(LIMIT)]


def shared_root(tmp_path_factory) -> Path:
    """The temporary folder of this run that every xdist worker sees."""
    root = tmp_path_factory.getbasetemp()
    # Under xdist each worker's base is `<run>/popen-gwN`; the run's folder is shared.
    return root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root


def once_per_run(tmp_path_factory, name: str, build) -> dict:
    """``build(folder)`` once for the whole run (all workers); its JSON result, every time.

    Parameters
    ----------
    tmp_path_factory : pytest.TempPathFactory
    name : str
        The shared folder's name (one per thing built).
    build : callable
        ``build(folder) -> dict`` of JSON values; it writes what it makes into ``folder``.

    Returns
    -------
    dict
        What ``build`` returned, read back from ``folder/result.json``.
    """
    root = shared_root(tmp_path_factory)
    folder = root / name
    done = folder / "result.json"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if not done.exists():
            folder.mkdir(exist_ok=True)
            result = build(folder)
            done.write_text(json.dumps(result), encoding="utf-8")
    return json.loads(done.read_text(encoding="utf-8"))


def make_shared_class(tmp_path_factory) -> tuple[Path, dict]:
    """The shared sample class: (submissions folder, ``make_class``'s dict)."""
    from sample_class import make_class

    def build(folder):
        made = make_class(folder / "subs", SHARED_KINDS, seed=SHARED_SEED)
        return {learner: {**m, "path": str(m["path"]), "passed": sorted(m["passed"])}
                for learner, m in made.items()}

    stored = once_per_run(tmp_path_factory, "sample_class", build)
    made = {learner: {**m, "path": Path(m["path"]), "passed": set(m["passed"])}
            for learner, m in stored.items()}
    return shared_root(tmp_path_factory) / "sample_class" / "subs", made


def grade_shared_class(tmp_path_factory, submissions: Path) -> dict:
    """The shared class graded on one machine, sandboxed, two at a time.

    Returns ``{"csv": gradebook path, "feedback": folder of the feedback pages, "counts":
    {"graded", "skipped", "failed"}}``.
    """
    from dnn_utils.workbook.batch import Settings, grade_class

    def build(folder):
        result = grade_class(submissions, folder / "gradebook.csv", folder / "feedback",
                             jobs=2, settings=Settings(timeout=TIMEOUT, limit=LIMIT),
                             progress=False)
        return {key: result[key] for key in ("graded", "skipped", "failed")}

    counts = once_per_run(tmp_path_factory, "sample_class_graded", build)
    folder = shared_root(tmp_path_factory) / "sample_class_graded"
    return {"csv": folder / "gradebook.csv", "feedback": folder / "feedback", "counts": counts}
