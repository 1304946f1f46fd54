"""Control groups that cap a whole sandbox: its number of processes and its memory.

``setrlimit`` caps each process; a learner's cell that forks many processes, or children
that each stay under their own address-space limit, needs a cap on the group, as Docker
gives a container. :func:`create` makes one fresh group per controller (cgroup v1) or one
group with both (cgroup v2), below the grader's own group when it can, so the machine's
limits on the grader still hold, else at the root of the hierarchy. Where neither can be
made (no permission, controller not enabled), the cap is missing and :func:`limit_notes`
says so, once per grading.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import threading
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")


def _own_paths(proc_cgroup: Path = Path("/proc/self/cgroup")) -> dict[str, str]:
    """This process's group per controller (``""`` keys the unified v2 hierarchy)."""
    paths = {}
    with contextlib.suppress(OSError):
        for line in proc_cgroup.read_text().splitlines():
            _, controllers, path = line.split(":", 2)
            for controller in controllers.split(","):
                paths[controller] = path
    return paths


def _candidates(controller: str, own: dict[str, str]) -> list[tuple[Path, bool]]:
    """(folder to make the group in, is cgroup v2) for ``controller``, best first."""
    found = []
    if (ROOT / "cgroup.controllers").is_file():  # the unified hierarchy, mounted alone
        mounts = [(ROOT, own.get("", "/"), True)]
    else:
        mounts = [(ROOT / controller, own.get(controller, "/"), False)]
    for mount, path, v2 in mounts:
        for parent in (mount / path.lstrip("/"), mount):
            if (parent / "cgroup.procs").is_file() and (parent, v2) not in found:
                found.append((parent, v2))
    return found


def _make(controller: str, settings: dict[str, int], own) -> Path | None:
    """A fresh group with ``controller`` and its ``settings`` written, or None."""
    for parent, v2 in _candidates(controller, own):
        group = parent / f"dnn-workbook-{secrets.token_hex(6)}"
        try:
            group.mkdir()
        except OSError:
            continue
        try:
            if v2 and controller not in (group / "cgroup.controllers").read_text().split():
                raise OSError(f"{controller} is not enabled below {parent}")
            for name, value in settings.items():
                (group / name).write_text(str(value))
            return group
        except OSError:
            with contextlib.suppress(OSError):
                group.rmdir()
    return None


@dataclass
class Groups:
    """The groups of one sandbox: join them from the child, read them, remove them."""

    pids: Path | None = None
    memory: Path | None = None
    memory_bytes: int = 0
    made: list[Path] = field(default_factory=list)

    def join(self) -> None:
        """Move the calling process into every group (runs in the child before exec)."""
        for group in self.made:
            (group / "cgroup.procs").write_text(str(os.getpid()))

    def oom_kills(self) -> int:
        """How many processes the memory cap has killed so far (0 when unknown)."""
        if self.memory is None:
            return 0
        for name in ("memory.events", "memory.oom_control"):
            with contextlib.suppress(OSError, ValueError):
                for line in (self.memory / name).read_text().splitlines():
                    key, _, value = line.partition(" ")
                    if key == "oom_kill":
                        return int(value)
        return 0

    def remove(self) -> None:
        """Kill what is left in the groups and remove them."""
        for group in self.made:
            for _ in range(50):
                try:
                    group.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    # Tasks still exiting: kill any left, then try again.
                    with contextlib.suppress(OSError):
                        for pid in (group / "cgroup.procs").read_text().split():
                            with contextlib.suppress(ProcessLookupError, ValueError):
                                os.kill(int(pid), signal.SIGKILL)
                    threading.Event().wait(0.1)


def create(max_processes: int, max_memory_bytes: int) -> Groups:
    """Groups capping the processes and the memory of whatever joins them (see the module
    docstring); a cap that cannot be made is left out (``Groups.pids`` or ``.memory`` None)."""
    own = _own_paths()
    v2 = (ROOT / "cgroup.controllers").is_file()
    groups = Groups(memory_bytes=max_memory_bytes)
    groups.memory = _make("memory", {"memory.max" if v2 else "memory.limit_in_bytes":
                                     max_memory_bytes}, own)
    if groups.memory is not None:
        groups.made.append(groups.memory)
        # Swap must not extend the cap, where swap is accounted.
        with contextlib.suppress(OSError):
            if v2:
                (groups.memory / "memory.swap.max").write_text("0")
            else:
                (groups.memory / "memory.memsw.limit_in_bytes").write_text(str(max_memory_bytes))
    if v2 and groups.memory is not None and "pids" in (
            groups.memory / "cgroup.controllers").read_text().split():
        with contextlib.suppress(OSError):
            (groups.memory / "pids.max").write_text(str(max_processes))
            groups.pids = groups.memory
    if groups.pids is None:
        groups.pids = _make("pids", {"pids.max": max_processes}, own)
        if groups.pids is not None:
            groups.made.append(groups.pids)
    return groups


def limit_notes(groups: Groups, *, root: bool) -> list[str]:
    """Notes on the caps that could not be made (once per grading), and on memory kills."""
    notes = []
    if groups.pids is None and root:
        notes.append("the number of processes in the sandbox was not limited: the grader runs "
                     "as root and no pids cgroup could be created")
    if groups.memory is None:
        notes.append("the sandbox's total memory was not capped (no memory cgroup could be "
                     "created here); each of its processes is still limited on its own")
    return notes
