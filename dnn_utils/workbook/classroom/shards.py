"""Grade a class in shards (one per node of a cluster), then merge the shards' results.

``grade DIR --shard K/N --out RESULTS`` grades the submissions whose relative path
``learner/notebook`` hashes (SHA-256, as a number, modulo N) to ``K - 1``: every
submission falls in exactly one shard, whatever order the folder is listed in, and a
submission keeps its shard from one run to the next. Each shard stores its records in
``RESULTS/.results/`` like any class run (so it is resumable) and, when it is done, a
summary ``RESULTS/shards/shard-K-of-N.json`` holding its records, the tests' SHA-256 and
the SHA-256 of the folder's listing.

``grade --merge RESULTS`` reads the N summaries and checks them before anything is
written: every shard present, all of one N, all graded with the same tests, and those the
tests installed here, all from the same submissions folder, each record whole and equal to
the record file it was stored in.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from ...files import write_atomically
from .batch import (
    RESULTS_FOLDER,
    BatchInputError,
    Settings,
    find_submissions,
    grade_class,
    workbook_fingerprint,
)

SHARDS_FOLDER = "shards"
FORMAT = "dnn-workbook-shard"
SHARD_FORMAT_VERSION = 1
_NAME = re.compile(r"shard-(\d+)-of-(\d+)\.json")


class ShardError(BatchInputError):
    """A shard cannot be graded as asked, or the shards' results cannot be merged."""


def parse_shard(text) -> tuple[int, int]:
    """``"K/N"`` -> ``(K, N)`` with ``1 <= K <= N``; anything else raises ShardError."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", str(text))
    if match is None:
        raise ShardError(f"--shard must be K/N, e.g. --shard 1/4 (the first of four shards); "
                         f"got {text!r}.")
    k, n = int(match[1]), int(match[2])
    if n < 1:
        raise ShardError(f"--shard {text}: the number of shards N must be at least 1; got "
                         f"{n}. Use e.g. --shard 1/4.")
    if not 1 <= k <= n:
        raise ShardError(f"--shard {text}: the shard number K must be between 1 and N = {n}; "
                         f"got {k}. Shards are numbered 1..{n}.")
    return k, n


def shard_of(learner: str, notebook: str, shards: int) -> int:
    """The shard (1..``shards``) of the submission ``learner/notebook``."""
    digest = hashlib.sha256(f"{learner}/{notebook}".encode()).digest()
    return int.from_bytes(digest, "big") % shards + 1


def _listing_sha256(folder) -> str:
    """SHA-256 of the sorted ``learner/notebook`` names of a submissions folder."""
    names = sorted(f"{s.learner}/{s.notebook}" for s in find_submissions(folder))
    return hashlib.sha256("\n".join(names).encode("utf-8")).hexdigest()


def summary_path(results_dir, k: int, n: int) -> Path:
    """Where shard ``k`` of ``n`` writes its summary."""
    return Path(results_dir) / SHARDS_FOLDER / f"shard-{k}-of-{n}.json"


def grade_shard(folder, results_dir, shard: tuple[int, int], *, jobs: int = 1,
                settings: Settings = Settings(), force: bool = False,
                progress: bool = True) -> dict:
    """Grade shard ``K`` of ``N`` of ``folder`` into ``results_dir``; write its summary.

    Returns
    -------
    dict
        :func:`~dnn_utils.workbook.classroom.batch.grade_class`'s result.
    """
    k, n = shard
    results_dir = Path(results_dir)
    if results_dir.exists() and not results_dir.is_dir():
        raise ShardError(f"--out {results_dir} is a file. Pass a folder for the shards' results.")
    if not results_dir.parent.is_dir():
        raise ShardError(f"--out {results_dir}: the folder {results_dir.parent} does not exist. "
                         "Create it, or pass a folder inside an existing one.")
    listing = _listing_sha256(folder)
    result = grade_class(folder, None, results_dir, jobs=jobs, settings=settings, force=force,
                         progress=progress,
                         select=lambda s: shard_of(s.learner, s.notebook, n) == k)
    summary = {"format": FORMAT, "version": SHARD_FORMAT_VERSION, "shard": k, "shards": n,
               "workbook": workbook_fingerprint(settings.solutions), "listing": listing,
               "records": result["records"]}
    path = summary_path(results_dir, k, n)
    path.parent.mkdir(exist_ok=True)
    data = json.dumps(summary, indent=1).encode("utf-8")
    write_atomically(path, lambda handle: handle.write(data))
    return result


def _again(results_dir, k, n) -> str:
    return f"grade SUBMISSIONS_DIR --shard {k}/{n} --out {results_dir}"


def _read_summary(path: Path) -> dict:
    """A shard's summary, or ShardError naming the file when it is not one."""
    k, n = (int(x) for x in _NAME.fullmatch(path.name).groups())
    fix = (f"Delete it and grade that shard again: {_again(path.parent.parent, k, n)}.")
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ShardError(f"{path} is corrupt: it is not readable JSON ({exc}). {fix}") from None
    expected = {"format": FORMAT, "version": SHARD_FORMAT_VERSION, "shard": k, "shards": n}
    seen = {key: summary.get(key) for key in expected} if isinstance(summary, dict) else summary
    if seen != expected or not isinstance(summary.get("records"), list) or not all(
            isinstance(summary.get(key), str) for key in ("workbook", "listing")):
        raise ShardError(f"{path} is corrupt: expected a shard summary with {expected} and its "
                         f"records, found {str(seen)[:200]}. {fix}")
    for record in summary["records"]:
        if not (isinstance(record, dict) and isinstance(record.get("key"), dict)
                and all(isinstance(record.get(f), str) for f in ("learner", "notebook",
                                                                 "status"))):
            raise ShardError(f"{path} is corrupt: a record is {str(record)[:200]}, expected "
                             f"{{'learner', 'notebook', 'status', 'key', ...}}. {fix}")
    return summary


def _check_record_file(results_dir: Path, record: dict, k: int, n: int) -> None:
    """A record a shard stored must still be in its file, unchanged."""
    path = results_dir / RESULTS_FOLDER / record["learner"] / f"{record['notebook']}.json"
    if not path.exists():
        return  # a failure to retry is not stored (see batch.grade_class)
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        stored = f"unreadable JSON ({exc})"
    if stored != record:
        raise ShardError(
            f"{path} is corrupt or was changed after shard {k}/{n} finished: it holds "
            f"{str(stored)[:120]}, expected the record in {summary_path(results_dir, k, n)}. "
            f"Delete it and grade that shard again: {_again(results_dir, k, n)}.")


def merge_shards(results_dir, solutions=None) -> list[dict]:
    """Check and gather the records of every shard in ``results_dir``.

    Parameters
    ----------
    results_dir : str or Path
        The ``--out`` folder every shard wrote to.
    solutions : str or Path, optional
        Folder of the solution notebooks the shards were graded against.

    Returns
    -------
    list of dict
        Every submission's record, sorted by learner then notebook, as one
        ``grade DIR`` run orders them.
    """
    results_dir = Path(results_dir)
    folder = results_dir / SHARDS_FOLDER
    paths = sorted(p for p in folder.glob("shard-*-of-*.json") if _NAME.fullmatch(p.name)) \
        if folder.is_dir() else []
    if not paths:
        raise ShardError(f"--merge {results_dir}: found no shard results ({folder}/shard-K-of-N"
                         ".json). Grade the shards first: "
                         f"{_again(results_dir, 'K', 'N')} for K = 1..N.")
    summaries = {}
    for path in paths:
        summary = _read_summary(path)
        summaries[summary["shard"], summary["shards"]] = (path, summary)
    counts = sorted({n for _, n in summaries})
    if len(counts) > 1:
        raise ShardError(f"--merge {results_dir}: {folder} holds shards of different runs "
                         f"(N = {', '.join(map(str, counts))}). Delete the summaries of the "
                         "runs you do not want, keep one N.")
    n = counts[0]
    missing = [k for k in range(1, n + 1) if (k, n) not in summaries]
    if missing:
        raise ShardError(f"--merge {results_dir}: shard(s) {', '.join(map(str, missing))} of "
                         f"{n} are missing (no {summary_path(results_dir, missing[0], n)}): "
                         "not graded yet or not finished. Grade them: "
                         f"{_again(results_dir, missing[0], n)}.")
    ordered = [summaries[k, n] for k in range(1, n + 1)]
    first_path, first = ordered[0]
    for path, summary in ordered[1:]:
        for field, what in (("workbook", "the tests' SHA-256"),
                            ("listing", "the submissions folder's listing SHA-256")):
            if summary[field] != first[field]:
                raise ShardError(
                    f"--merge {results_dir}: shards disagree about {what}: {path} has "
                    f"{summary[field][:16]}..., {first_path} has {first[field][:16]}.... "
                    "Grade every shard with the same tests and the same submissions folder, "
                    "then merge.")
    current = workbook_fingerprint(solutions)
    if first["workbook"] != current:
        raise ShardError(
            f"--merge {results_dir}: its results come from another version of the tests "
            f"(SHA-256 {first['workbook'][:16]}..., the tests here are {current[:16]}...). "
            "Merge with the version they were graded with, or grade the shards again.")
    records = {}
    for path, summary in ordered:
        k = summary["shard"]
        for record in summary["records"]:
            name = (record["learner"], record["notebook"])
            if name in records or shard_of(*name, n) != k:
                raise ShardError(f"{path} is corrupt: it holds {'/'.join(name)}, which "
                                 f"belongs to shard {shard_of(*name, n)}. Delete it and grade "
                                 f"that shard again: {_again(results_dir, k, n)}.")
            _check_record_file(results_dir, record, k, n)
            records[name] = record
    # The order of batch.find_submissions: learner folders, then notebook file names.
    return [records[name] for name in sorted(records, key=lambda x: (x[0], x[1] + ".ipynb"))]
