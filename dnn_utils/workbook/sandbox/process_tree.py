"""One process tree, seen through psutil: kill all of it, or find a stopped member.

The grader starts trees of processes it cannot trust (a batch's grading process, the sandbox
driver under bubblewrap, the kernel, whatever a learner's cell forks). Both places that end
such a tree (a batch killing a submission past its limit, a grading session ending its
sandbox) use :func:`kill_tree`, so there is one killer to get right.
"""

from __future__ import annotations

import contextlib
import os
import signal

import psutil

#: psutil statuses of a process that will not run again until someone sends it SIGCONT.
STOPPED_STATUSES = (psutil.STATUS_STOPPED, psutil.STATUS_TRACING_STOP)


def _tree(pid: int) -> list[psutil.Process]:
    """The process ``pid`` (if alive) and every process below it."""
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def kill_tree(pid: int, *, group: bool = True) -> None:
    """SIGKILL process ``pid``, everything below it and, with ``group``, its process group.

    The children are listed before any is killed, so none is re-parented out of reach;
    the process group catches a child that left the tree by a double fork. A stopped
    process is killed too: SIGKILL needs no SIGCONT.
    """
    members = _tree(pid)
    if group:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
    for member in members:
        with contextlib.suppress(psutil.Error):
            member.kill()


def stopped_member(pid: int, names=()) -> str | None:
    """A description of a stopped process in the tree of ``pid``, or None.

    Parameters
    ----------
    pid : int
        Root of the tree (e.g. the bwrap process, or the unsandboxed driver).
    names : tuple of str, optional
        Only processes whose command line contains one of these words count (the driver
        and the kernel); an empty tuple means every process of the tree.
    """
    for member in _tree(pid):
        try:
            status = member.status()
            if status not in STOPPED_STATUSES:
                continue
            command = " ".join(member.cmdline())
        except psutil.Error:
            continue
        if names and not any(name in command for name in names):
            continue
        return f"process {member.pid} ({command[:80] or member.name()}) is {status}"
    return None
