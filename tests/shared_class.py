"""Things made once per test run and shared by every test that reads them.

Grading a class is the suite's costliest set-up, so the tests that only read a graded
class share one (the session fixture ``small_graded_class`` of ``tests/conftest.py``).
Under pytest-xdist each worker is a process of its own, so a session fixture alone would
build once per worker: :func:`once_per_run` builds in the
folder all workers share, the first worker under a file lock while the others wait, and
every worker reads back what was written. Shared results are read-only: a test that
changes a submission or an output copies it into its own ``tmp_path`` first.
"""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path

# The small class: what sharded and cluster runs must reproduce (tests/test_shards.py,
# tests/test_slurm.py), graded with these `grade` options.
SMALL_KINDS = ("honest", "partly_wrong", "empty", "crasher")
SMALL_SEED = 3
GRADE_OPTIONS = ["--timeout", "120", "--limit", "600"]


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


def _to_json(value):
    """A value of make_class's answer as JSON: a set as {"set": sorted}, a Path as {"path"}."""
    if isinstance(value, (set, frozenset)):
        return {"set": sorted(value)}
    if isinstance(value, Path):
        return {"path": str(value)}
    return value


def _from_json(value):
    if isinstance(value, dict) and list(value) == ["set"]:
        return set(value["set"])
    if isinstance(value, dict) and list(value) == ["path"]:
        return Path(value["path"])
    return value


def small_graded_class(tmp_path_factory) -> dict:
    """The small class made and graded once per run (the fixture ``small_graded_class``).

    Graded sandboxed on one machine with the one-machine command of docs/GRADING.md.
    Returns ``{"subs", "one", "made", "settings"}`` (see the fixture).
    """
    from sample_class import make_class

    from dnn_utils.workbook.__main__ import main
    from dnn_utils.workbook.classroom.batch import Settings

    def build(folder):
        made = make_class(folder / "subs", SMALL_KINDS, seed=SMALL_SEED)
        assert main(["grade", str(folder / "subs"), "--out", str(folder / "one"), "--jobs",
                     "2", *GRADE_OPTIONS]) == 0
        return {learner: {key: _to_json(value) for key, value in m.items()}
                for learner, m in made.items()}

    stored = once_per_run(tmp_path_factory, "small_class", build)
    folder = shared_root(tmp_path_factory) / "small_class"
    made = {learner: {key: _from_json(value) for key, value in m.items()}
            for learner, m in stored.items()}
    return {"subs": folder / "subs", "one": folder / "one", "made": made,
            "settings": Settings(timeout=120, limit=600)}
