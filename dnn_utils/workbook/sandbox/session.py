"""Run one submission in an operating-system sandbox (bubblewrap) and talk to it as data.

:func:`start` prepares a private folder holding a copy of the notebook alone and a copy
of the ``dnn_utils`` package in which the reference of every exercise of the notebook
being graded is replaced by a stub that raises a plain note (see :func:`~dnn_utils.workbook.sandbox.package_copy.reference_stub`),
then starts :mod:`dnn_utils.workbook.sandbox.driver` inside ``bwrap``:

- read-only: ``/usr``, ``/lib*``, ``/bin``, the interpreter's prefix and the virtual
  environment, and the package copy (at ``/opt/dnn_workbook``); nothing else of the host,
  so neither the repository (solution notebooks, the installed package, the graded tests
  the verdict uses) nor other submissions are visible;
- writable: the notebook's private folder (``/submission``) and a fresh ``/tmp``;
- every namespace unshared (no network, own process tree), an unprivileged uid inside,
  no capabilities, a new session (no terminal injection), killed with the grader;
- limits: address space and CPU time of each process (``setrlimit``); the memory of the
  whole sandbox and its number of processes (cgroups, :mod:`~dnn_utils.workbook.sandbox.cgroups`,
  when they can be created; else ``RLIMIT_NPROC`` when the grader is not root, and a note);
- an overall wall-clock limit, enforced from outside by killing the process group.

With ``sandboxed=False`` (``grade --no-sandbox``) the same driver runs as a plain child
process: same protocol and stubs, no isolation.
"""

from __future__ import annotations

import contextlib
import os
import resource
import secrets
import select
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from time import monotonic

from ..authoring.conventions import WorkbookError
from . import cgroups, process_tree
from .package_copy import copy_font_cache, copy_package
from .wire import WireError, pack, read_frame, write_all

#: Address-space limit of every process in the sandbox (the kernel, NumPy's threads).
MEMORY_LIMIT_BYTES = 6 * 1024**3
#: Memory the whole sandbox may use (its memory cgroup, where one can be made). Measured:
#: grading each solution notebook and each learner edition peaked at 115-226 MiB (03).
SANDBOX_MEMORY_BYTES = 3 * 1024**3
#: Processes and threads the sandbox may hold at once.
PROCESS_LIMIT = 256
#: Where the package copy and the notebook appear inside the sandbox.
PACKAGE_MOUNT = "/opt/dnn_workbook"
SUBMISSION_MOUNT = "/submission"
INSTALL_HINT = (
    "install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap; Fedora: sudo dnf "
    "install bubblewrap), or pass --no-sandbox to run the notebook without isolation "
    "(only for notebooks you trust, e.g. a learner checking their own work)"
)


class SandboxError(WorkbookError):
    """The sandbox could not be started, or it stopped answering."""


class _Stopped(Exception):
    """The driver or its kernel is in the stopped state (SIGSTOP, or held by a tracer)."""


#: Seconds between two checks that the driver and the kernel are not stopped.
STOP_CHECK_SECONDS = 2.0
#: The module the sandbox runs (``python -m``).
DRIVER_MODULE = "dnn_utils.workbook.sandbox.driver"
#: Words of the command lines of the processes whose stop ends a grading: the driver and
#: the kernel (a learner's own child process may stop without harm).
WATCHED_COMMANDS = (DRIVER_MODULE, "ipykernel")


#: Environment variable that overrides where bubblewrap is looked for: a path, a name looked up
#: on PATH, or ``none`` to act as on a machine without it (how the suite checks its skips).
BWRAP_VARIABLE = "DNN_WORKBOOK_BWRAP"


def find_bwrap() -> str | None:
    """The path of the bubblewrap executable, or None when it is not installed.

    ``$DNN_WORKBOOK_BWRAP`` overrides the look-up; ``none`` (or an empty value) means "not
    installed".
    """
    chosen = os.environ.get(BWRAP_VARIABLE)
    if chosen is None:
        return shutil.which("bwrap")
    if chosen.strip().lower() in ("", "none"):
        return None
    return shutil.which(chosen)


def _limit_child(cpu_seconds: int, groups: cgroups.Groups) -> None:
    """Runs in the child before exec: join the cgroups and set the resource limits."""
    groups.join()
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if groups.pids is None and os.geteuid() != 0:
        resource.setrlimit(resource.RLIMIT_NPROC, (PROCESS_LIMIT, PROCESS_LIMIT))


# ------------------------------------------------------------------ commands


def bwrap_command(bwrap: str, package_dir: Path, submission_dir: Path,
                  font_cache: Path) -> list[str]:
    """The bubblewrap command line that runs the driver (see the module docstring)."""
    command = [
        bwrap, "--unshare-all", "--unshare-user", "--uid", "65534", "--gid", "65534",
        "--hostname", "sandbox",
        "--die-with-parent", "--new-session", "--cap-drop", "ALL",
        # The fresh /tmp comes first: an environment that lives under /tmp (a CI
        # checkout, say) is bound over it below instead of being hidden by it.
        "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
        "--ro-bind", "/usr", "/usr",
    ]
    for folder in ("/lib", "/lib64", "/lib32", "/bin", "/sbin"):
        command += ["--ro-bind-try", folder, folder]
    for prefix in sorted({sys.prefix, sys.base_prefix, sys.exec_prefix}):
        command += ["--ro-bind", prefix, prefix]
    executable = os.path.realpath(sys.executable)
    command += [
        "--ro-bind", executable, executable,
        "--ro-bind", str(package_dir), PACKAGE_MOUNT,
        "--bind", str(submission_dir), SUBMISSION_MOUNT,
        "--bind", str(font_cache), "/tmp/matplotlib",
        "--chdir", SUBMISSION_MOUNT,
        "--", sys.executable, "-m", DRIVER_MODULE,
    ]
    return command


def _sandbox_environment(package_path: str, token: str) -> dict:
    """A minimal environment: no variable of the instructor's leaks in.

    ``DNN_WORKBOOK_SESSION`` carries a random token that marks the session's processes
    (the tests use it to check that none outlives the grading).
    """
    env = {
        "DNN_WORKBOOK_SESSION": token,
        "PATH": os.path.dirname(sys.executable) + ":/usr/bin:/bin",
        "PYTHONPATH": package_path,
        "PYTHONDONTWRITEBYTECODE": "1",
        "HOME": "/tmp",
        "MPLCONFIGDIR": "/tmp/matplotlib",
        "MPLBACKEND": "agg",
        "JUPYTER_RUNTIME_DIR": "/tmp/jupyter-runtime",
        "IPYTHONDIR": "/tmp/ipython",
        "LANG": "C.UTF-8",
    }
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_CORETYPE"):
        if name in os.environ:
            env[name] = os.environ[name]
    return env


# ------------------------------------------------------------------- session


class Sandbox:
    """A running driver: send requests, receive answers, kill it all at the end.

    Use :func:`start` to make one, and ``with`` to be sure it is stopped.
    """

    def __init__(self, process, stderr, folder, groups, deadline, call_grace, token):
        self.token = token
        self.process = process
        self.stderr = stderr
        self.folder = folder
        self.groups = groups
        self.deadline = deadline
        self.call_grace = call_grace
        self.broken: str | None = None
        self._timer = threading.Timer(max(0.0, deadline - monotonic()), self.kill)
        self._timer.daemon = True
        self._timer.start()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def receive(self, seconds: float) -> tuple[dict, list[bytes]]:
        """The next frame, waiting at most ``seconds`` (and never past the overall limit).

        Raises
        ------
        SandboxError
            When the sandbox stopped, timed out or sent garbage; the sandbox is then
            killed and every later request fails the same way.
        """
        if self.broken:
            raise SandboxError(self.broken)
        deadline = min(monotonic() + seconds, self.deadline)
        try:
            self._wait_readable(deadline)
            return read_frame(self.process.stdout.fileno(), deadline)
        except _Stopped as stopped:
            self.broken = (f"the sandbox was stopped ({stopped}), e.g. by a cell sending "
                           f"SIGSTOP; it can never answer, so grading ended")
        except TimeoutError:
            overall = deadline >= self.deadline
            self.broken = ("the overall time limit for grading this notebook ran out"
                           if overall else "the sandbox stopped answering")
        except EOFError:
            # The timer that enforces the overall limit kills the sandbox, which the read
            # sees as an end: say which it was.
            self.broken = (
                "the overall time limit for grading this notebook ran out"
                if monotonic() >= self.deadline - 0.5 else
                "the sandbox ended unexpectedly (a cell killed it, or it ran out of memory or "
                "CPU time)")
        except WireError as exc:
            self.broken = f"the sandbox sent a malformed answer ({exc})"
        self.kill()
        raise SandboxError(self.broken)

    def _wait_readable(self, deadline: float) -> None:
        """Wait until the driver has written something, checking every few seconds that
        neither it nor its kernel is stopped (a stopped process never answers, and would
        hold this grading until its cell limit)."""
        fd = self.process.stdout.fileno()
        while True:
            remaining = deadline - monotonic()
            if remaining <= 0:
                raise TimeoutError("no answer in time")
            readable, _, _ = select.select([fd], [], [], min(remaining, STOP_CHECK_SECONDS))
            if readable:
                return
            stopped = process_tree.stopped_member(self.process.pid, WATCHED_COMMANDS)
            if stopped:
                raise _Stopped(stopped)

    def send(self, header: dict, buffers=()) -> None:
        """Send one frame to the driver."""
        if self.broken:
            raise SandboxError(self.broken)
        try:
            write_all(self.process.stdin.fileno(), pack(header, buffers))
        except OSError:
            self.broken = "the sandbox ended unexpectedly"
            self.kill()
            raise SandboxError(self.broken) from None

    def request(self, header: dict, buffers=(), seconds: float = 60.0):
        """Send one request frame and return the answer frame."""
        self.send(header, buffers)
        return self.receive(seconds + self.call_grace)

    def kill(self) -> None:
        """Kill every process of the sandbox (its process group and its whole tree)."""
        process_tree.kill_tree(self.process.pid)

    def stop(self) -> None:
        """Ask the driver to quit, then kill what is left and remove the private folder."""
        self._timer.cancel()
        if self.process.poll() is None and not self.broken:
            with contextlib.suppress(OSError, WireError):
                write_all(self.process.stdin.fileno(), pack({"op": "quit"}))
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=5)
        self.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        for stream in (self.process.stdin, self.process.stdout, self.stderr):
            with contextlib.suppress(OSError):
                stream.close()
        self.groups.remove()
        shutil.rmtree(self.folder, ignore_errors=True)

    def stderr_tail(self) -> str:
        """The last lines the driver (or bwrap) wrote to stderr."""
        try:
            self.stderr.seek(0)
            return self.stderr.read()[-1500:].decode("utf-8", "replace").strip()
        except (OSError, ValueError):
            return ""

    def memory_notes(self) -> list[str]:
        """A note when the sandbox's memory cap killed a process of the notebook."""
        kills = self.groups.oom_kills()
        if not kills:
            return []
        return [f"the notebook reached the sandbox's memory limit of "
                f"{self.groups.memory_bytes / 1024**3:g} GB: {kills} of its processes "
                "were killed (a cell or a call that holds too much memory?)"]


def start(notebook_bytes: bytes, exercises, *, sandboxed: bool, overall_seconds: float,
          call_grace: float = 30.0, unavailable=()) -> tuple[Sandbox, list[str], str]:
    """Start the driver on a private copy of the notebook.

    Parameters
    ----------
    notebook_bytes : bytes
        The notebook's file content (the learner's file itself is never used again).
    exercises : list of str
        The exercises of the notebook being graded: their package references are stubbed.
    unavailable : collection of str, optional
        The other functions of the package stubbed too, as ``"module.function"`` (see
        :func:`~dnn_utils.workbook.grading.package_rules.unavailable`).
    sandboxed : bool
        Use bubblewrap (True) or a plain child process (False).
    overall_seconds : float
        Wall-clock limit of the whole session; the process group is killed after it.
    call_grace : float, optional
        Seconds a request may take beyond its own limit before the sandbox is given up.

    Returns
    -------
    (Sandbox, list of str, str)
        The running session, notes on limits that could not be applied, and the path of
        the notebook as the driver sees it.
    """
    bwrap = find_bwrap() if sandboxed else None
    if sandboxed and bwrap is None:
        raise SandboxError(f"grading needs the bubblewrap sandbox (bwrap), which is not "
                           f"installed: {INSTALL_HINT}.")
    folder = Path(tempfile.mkdtemp(prefix="dnn-workbook-grade-"))
    folder.chmod(0o755)
    package_dir = copy_package(folder / "package", exercises, unavailable)
    submission = folder / "submission"
    submission.mkdir()
    (submission / "notebook.ipynb").write_bytes(notebook_bytes)
    font_cache = copy_font_cache(folder / "matplotlib")
    token = secrets.token_hex(16)
    groups = cgroups.create(PROCESS_LIMIT, SANDBOX_MEMORY_BYTES)
    if sandboxed:
        # Inside, the learner's uid maps to the grader's own, without capabilities;
        # outside, anyone may then write only this throw-away copy.
        (submission / "notebook.ipynb").chmod(0o666)
        submission.chmod(0o777)
        command = bwrap_command(bwrap, package_dir, submission, font_cache)
        env, cwd, notebook = _sandbox_environment(PACKAGE_MOUNT, token), None, \
            f"{SUBMISSION_MOUNT}/notebook.ipynb"
    else:
        command = [sys.executable, "-m", DRIVER_MODULE]
        env = dict(os.environ, PYTHONPATH=str(package_dir), PYTHONDONTWRITEBYTECODE="1",
                   MPLCONFIGDIR=str(font_cache), DNN_WORKBOOK_SESSION=token)
        cwd, notebook = submission, str(submission / "notebook.ipynb")
    cpu_seconds = max(1, int(overall_seconds) * 2)
    stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed by Sandbox.stop
    try:
        process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, env=env,
            cwd=cwd, start_new_session=True,
            preexec_fn=lambda: _limit_child(cpu_seconds, groups),
        )
    except (OSError, subprocess.SubprocessError) as exc:
        stderr.close()
        shutil.rmtree(folder, ignore_errors=True)
        groups.remove()
        raise SandboxError(f"the sandbox could not start: {exc}") from None
    session = Sandbox(process, stderr, folder, groups, monotonic() + overall_seconds,
                      call_grace, token)
    return session, cgroups.limit_notes(groups, root=os.geteuid() == 0), notebook
