"""Turn an LMS download into the class folder ``CLASS_DIR/<learner>/<notebook>.ipynb``.

``python -m dnn_utils.workbook import LAYOUT SOURCE [SOURCE ...] CLASS_DIR`` reads each
SOURCE (a zip archive or a folder, see :mod:`~dnn_utils.workbook.classroom.intake_sources`) as the
LAYOUT says (:mod:`~dnn_utils.workbook.classroom.intake_layouts`; ``auto`` picks the layout whose
naming the files follow), and takes every file that is one of the workbook's notebooks:
the notebook its ``dnn_workbook`` metadata names, else the one its file name names
(``02_building_your_deep_network.ipynb``, ``02_building_your_deep_network-1.ipynb``,
``02 (copy).ipynb``). The file is copied byte for byte to
``CLASS_DIR/<learner>/<notebook>.ipynb``.

Refused as a whole, with an error naming the files, before anything is written: an
archive with a link, an absolute or ``..`` path, or more bytes than it may hold; two files
of one learner for the same notebook; a SOURCE in which the layout finds no learner's file
(an unknown layout). Reported and not taken: anything else (not a notebook, not one of the
workbook's, larger than 50 MB, a link in a folder, an earlier nbgrader submission), each
with the reason.

The class folder is built in a temporary folder beside CLASS_DIR and moved into place at
the end, so CLASS_DIR is either untouched or complete. ``CLASS_DIR/learners.csv`` records
who each learner folder is in the LMS (Canvas user id, Moodle participant id, nbgrader
student id, repository): the learner mapping the gradebook export reads.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..authoring.release import default_source_dir
from . import intake_sources
from .intake_layouts import LAYOUTS, READERS, Candidate, Ignored, looks_like
from .intake_sources import IntakeError, Source, TooLarge

#: The learner mapping the import writes into the class folder.
LEARNERS_FILE = "learners.csv"


@dataclass
class ImportOptions:
    """What the command line passes to the layouts and to the import."""

    assignment: str | None = None
    prefix: str | None = None
    solutions: str | None = None
    force: bool = False


@dataclass
class ImportReport:
    """What an import took (``learner/notebook.ipynb`` and where from) and ignored (why)."""

    took: list[tuple[str, str, str]] = field(default_factory=list)
    ignored: list[tuple[str, str]] = field(default_factory=list)
    layouts: list[str] = field(default_factory=list)
    learners: int = 0


def workbook_notebooks(solutions=None) -> list[str]:
    """The names (stems) of the workbook's notebooks: the solution notebooks."""
    folder = Path(default_source_dir() if solutions is None else solutions)
    stems = sorted(path.stem for path in folder.glob("*.ipynb"))
    if not stems:
        raise IntakeError(f"--solutions {folder} holds no notebooks, so no file can be matched "
                          "to one of the workbook's. Pass the folder of the solution notebooks.")
    return stems


def which_notebook(data: bytes, file_name: str, known: list[str]) -> tuple[str | None, str]:
    """The workbook notebook a file is, and how that was decided (or None, the reason)."""
    named = None
    try:
        entry = json.loads(data).get("metadata", {}).get("dnn_workbook", {})
        named = entry.get("notebook") if isinstance(entry, dict) else None
    except (ValueError, RecursionError, AttributeError):
        pass
    if named in known:
        return named, "by its metadata"
    stem = re.sub(r"-\d+$", "", PurePosixPath(file_name).stem)  # Canvas's "-1" on a resubmission
    if stem in known:
        return stem, "by its file name"
    number = re.match(r"(\d\d)(?!\d)", stem)
    matching = [k for k in known if number and k.startswith(number[1] + "_")]
    if len(matching) == 1:
        return matching[0], f"by the number {number[1]} its file name starts with"
    return None, ("neither its dnn_workbook metadata nor its file name names one of the "
                  f"workbook's notebooks ({', '.join(known)})")


def _pick_layout(source: Source, layout: str) -> str:
    if layout != "auto":
        return layout
    counts = looks_like(source)
    best = max(counts, key=counts.get)
    if counts[best] == 0:
        raise IntakeError(_unknown(source, "any of the layouts " + ", ".join(LAYOUTS)))
    return best


def _unknown(source: Source, what: str) -> str:
    names = [str(e.path) for e in source.entries][:3]
    seen = ", ".join(names) + (", ..." if len(source.entries) > 3 else "") if names else "nothing"
    return (f"SOURCE {source.path} does not look like {what}: no file in it is named as that "
            f"layout names a learner's file (it holds {seen}). Pass the LAYOUT it came from "
            f"({', '.join(LAYOUTS)}, or auto), or the download itself rather than a folder "
            "around it.")


def _check_class_dir(class_dir: Path, sources: list[Path], force: bool) -> None:
    if class_dir.exists() and not class_dir.is_dir():
        raise IntakeError(f"CLASS_DIR {class_dir} is a file. Pass a folder for the class.")
    if not class_dir.parent.is_dir():
        raise IntakeError(f"CLASS_DIR {class_dir}: the folder {class_dir.parent} does not "
                          "exist. Create it, or pass a folder inside an existing one.")
    if class_dir.exists() and any(class_dir.iterdir()) and not force:
        raise IntakeError(f"CLASS_DIR {class_dir} already holds files. Pass --force to replace "
                          "it with this import (as a whole, at the end), or another folder.")
    target = class_dir.resolve()
    for source in sources:
        here = source.resolve()
        if here == target or target in here.parents or here in target.parents:
            raise IntakeError(f"CLASS_DIR {class_dir} and SOURCE {source} overlap. Import into "
                              "a folder outside the download.")


def _gather(sources, layout, options, known, report):
    """Every notebook to write: ``{(learner, notebook): (bytes, described, candidate)}``."""
    chosen: dict[tuple[str, str], tuple[bytes, str, Candidate]] = {}
    identities: dict[str, tuple[dict, str]] = {}
    for path in sources:
        with Source(path) as source:
            used = _pick_layout(source, layout)
            report.layouts.append(used)
            candidates, ignored = READERS[used](source, options)
            if not candidates:
                raise IntakeError(_unknown(source, f"a {used} download"))
            ignored = list(ignored)
            for candidate in candidates:
                where = source.describe(candidate.entry)
                known_id = identities.setdefault(candidate.learner, (candidate.identity, where))
                if known_id[0] != candidate.identity:
                    raise IntakeError(f"{where} and {known_id[1]} belong to two different "
                                      f"learners ({candidate.identity} and {known_id[0]}) who "
                                      f"map to the same folder {candidate.learner!r}. Rename "
                                      "one of them in the download, then import again.")
                if not candidate.file_name.lower().endswith(".ipynb"):
                    ignored.append(Ignored(candidate.entry, "not a notebook (.ipynb)"))
                    continue
                try:
                    data = source.read(candidate.entry)
                except TooLarge as size:
                    ignored.append(Ignored(candidate.entry, f"{size} bytes, more than the "
                                           f"{intake_sources.MAX_NOTEBOOK_BYTES} a notebook "
                                           "may hold"))
                    continue
                notebook, how = which_notebook(data, candidate.file_name, known)
                if notebook is None:
                    ignored.append(Ignored(candidate.entry, how))
                    continue
                key = (candidate.learner, notebook)
                if key in chosen:
                    raise IntakeError(f"two files of learner {candidate.learner!r} are notebook "
                                      f"{notebook}: {chosen[key][1]} and {where}. Keep one of "
                                      "them in the download (or in its folder), then import "
                                      "again.")
                chosen[key] = (data, where, candidate)
                note = "; ".join(filter(None, [how, candidate.note]))
                report.took.append((f"{candidate.learner}/{notebook}.ipynb", where, note))
            report.ignored += [(source.describe(i.entry), i.reason) for i in ignored]
    return chosen, {learner: identity for learner, (identity, _) in identities.items()
                    if any(key[0] == learner for key in chosen)}


def _learners_csv(identities: dict[str, dict]) -> bytes:
    columns = ["learner"]
    for identity in identities.values():
        columns += [key for key in identity if key not in columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for learner in sorted(identities):
        writer.writerow([learner, *(identities[learner].get(c, "") for c in columns[1:])])
    return buffer.getvalue().encode("utf-8")


def _move_into_place(built: Path, class_dir: Path) -> None:
    """Replace ``class_dir`` by ``built`` (two renames; the old one is kept on failure)."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(built, 0o777 & ~umask)
    if not class_dir.exists():
        os.rename(built, class_dir)
        return
    old = class_dir.parent / f".{class_dir.name}.replaced-{secrets.token_hex(4)}"
    os.rename(class_dir, old)
    try:
        os.rename(built, class_dir)
    except OSError:
        os.rename(old, class_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)


def import_submissions(layout: str, sources, class_dir, options=None) -> ImportReport:
    """Import every SOURCE as LAYOUT into ``class_dir`` (see the module docstring).

    Parameters
    ----------
    layout : str
        One of :data:`~dnn_utils.workbook.classroom.intake_layouts.LAYOUTS`, or ``"auto"``.
    sources : list of str or Path
        Zip archives or folders, as downloaded.
    class_dir : str or Path
        The class folder to create (or, with ``options.force``, to replace).
    options : ImportOptions, optional

    Returns
    -------
    ImportReport

    Raises
    ------
    IntakeError
        When a source or the class folder cannot be used; nothing is written then.
    """
    options = options or ImportOptions()
    if layout != "auto" and layout not in READERS:
        raise IntakeError(f"LAYOUT must be one of {', '.join(LAYOUTS)} or auto; got {layout!r}.")
    class_dir, sources = Path(class_dir), [Path(s) for s in sources]
    _check_class_dir(class_dir, sources, options.force)
    known = workbook_notebooks(options.solutions)
    report = ImportReport()
    chosen, identities = _gather(sources, layout, options, known, report)
    if not chosen:
        raise IntakeError(f"none of the files in {', '.join(map(str, sources))} is one of the "
                          "workbook's notebooks (see the files ignored above). Nothing was "
                          "written.")
    if LEARNERS_FILE in identities:
        raise IntakeError(f"a learner's folder would be named {LEARNERS_FILE}, the name of the "
                          "learner mapping. Rename that learner in the download.")
    built = Path(tempfile.mkdtemp(dir=class_dir.parent, prefix=f".{class_dir.name}.import-"))
    try:
        for (learner, notebook), (data, _, _) in chosen.items():
            (built / learner).mkdir(exist_ok=True)
            (built / learner / f"{notebook}.ipynb").write_bytes(data)
        (built / LEARNERS_FILE).write_bytes(_learners_csv(identities))
        _move_into_place(built, class_dir)
    except BaseException:
        with contextlib.suppress(OSError):
            shutil.rmtree(built)
        raise
    report.learners = len(identities)
    report.took.sort()
    return report


def format_report(report: ImportReport, class_dir, shown: int = 50) -> str:
    """The lines ``import`` prints: what it took, what it ignored and why, a summary."""
    lines = [f"took     {target}  <- {where} ({note})" for target, where, note in report.took]
    by_reason: dict[str, list[str]] = {}
    for where, reason in report.ignored:
        by_reason.setdefault(reason, []).append(where)
    for reason, places in by_reason.items():
        lines += [f"ignored  {where}: {reason}" for where in places[:shown]]
        if len(places) > shown:
            lines.append(f"ignored  ... and {len(places) - shown} more: {reason}")
    lines.append(f"imported {len(report.took)} notebook(s) of {report.learners} learner(s) "
                 f"({', '.join(sorted(set(report.layouts)))}) into {class_dir}; ignored "
                 f"{len(report.ignored)} entr{'y' if len(report.ignored) == 1 else 'ies'}.\n"
                 f"learners: {Path(class_dir) / LEARNERS_FILE}")
    return "\n".join(lines)
