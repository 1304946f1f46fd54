"""Keep the host's layout out of what a learner reads: host paths in feedback are replaced.

The sandbox mounts the Python installation at its own path (a virtual environment cannot
move), so a learner's cell can read host paths, from ``sys.prefix`` to the bind mounts
listed in ``/proc/self/mountinfo`` (whose "root" field is the source's path within its
file system). Nothing stops the cell from putting them in an exception message or a
returned string, which the feedback quotes. :func:`redact_report` replaces, in every
feedback and note of a report, the paths of this installation: the Python prefixes and
executable (``<python>``), the workbook's repository (``<workbook>``, named in the
editable install's files) and the sandbox's private folder (``<sandbox>``), each also in
the form a mount table shows it. System folders such as ``/usr`` are left alone.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from pathlib import Path

# Paths every Linux machine has: naming them reveals nothing, and text is full of them.
_NEUTRAL = {"/", "/usr", "/usr/local", "/usr/bin", "/usr/local/bin", "/bin", "/lib",
            "/opt", "/tmp", "/var", "/home", "/root"}


# The mount table writes a space as \040 (and likewise tab, newline, backslash).
_OCTAL = re.compile(r"\\([0-7]{3})")


def _mounts() -> list[tuple[str, str]]:
    """(mount point, root within its file system) of this process's mounts."""
    found = []
    try:
        lines = Path("/proc/self/mountinfo").read_text().splitlines()
    except OSError:
        return found
    for line in lines:
        fields = line.split()
        if len(fields) > 4:
            root, point = (_OCTAL.sub(lambda m: chr(int(m[1], 8)), f) for f in fields[3:5])
            found.append((point, root))
    return found


def _as_mounted(path: str, mounts) -> str:
    """``path`` as a mount table shows a bind mount of it: its mount's root, then the rest."""
    best = max((m for m in mounts if path == m[0] or path.startswith(m[0].rstrip("/") + "/")),
               key=lambda m: len(m[0]), default=None)
    if best is None:
        return path
    rest = path[len(best[0]):].lstrip("/")
    return os.path.normpath(os.path.join(best[1], rest)) if rest else best[1]


@functools.cache
def _installation() -> tuple[tuple[str, str], ...]:
    """This installation's paths and their stand-ins (computed once per process)."""
    import dnn_utils

    prefixes = [sys.prefix, sys.base_prefix, sys.exec_prefix]
    pairs = [(p, "<python>") for p in prefixes]
    for executable in (sys.executable, os.path.realpath(sys.executable)):
        if not any(executable.startswith(p.rstrip("/") + "/") for p in prefixes):
            pairs.append((os.path.dirname(executable), "<python-bin>"))
    pairs.append((str(Path(dnn_utils.__file__).resolve().parents[1]), "<workbook>"))
    return tuple(pairs)


def host_paths(extra=()) -> list[tuple[str, str]]:
    """(host path, stand-in) pairs to replace, longest first; ``extra`` are ``<sandbox>``."""
    mounts = _mounts()
    pairs = {}
    for path, stand_in in [*_installation(), *((str(p), "<sandbox>") for p in extra)]:
        for form in (path, os.path.realpath(path)):
            for shown in (form, _as_mounted(form, mounts)):
                shown = shown.rstrip("/") or "/"
                if shown not in _NEUTRAL and len(shown) > 4:
                    pairs.setdefault(shown, stand_in)
    return sorted(pairs.items(), key=lambda pair: -len(pair[0]))


def redact(text: str, pairs) -> str:
    """``text`` with each host path of ``pairs`` replaced, and printable as UTF-8 (a lone
    surrogate a learner's string may carry becomes ``?``)."""
    for path, stand_in in pairs:
        text = text.replace(path, stand_in)
    return text.encode("utf-8", "replace").decode("utf-8")


def redact_report(report: dict, extra=()) -> dict:
    """The report with host paths replaced in every exercise's feedback and every note."""
    pairs = host_paths(extra)
    for exercise in report.get("exercises", []):
        exercise["feedback"] = redact(str(exercise["feedback"]), pairs)
    report["notes"] = [redact(str(note), pairs) for note in report.get("notes", [])]
    return report
