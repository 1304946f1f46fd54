"""Run notebook cells in a fresh kernel, surviving cells that hang, exit or kill the kernel.

nbclient executes each cell. On a timeout, nbclient gives up waiting and raises
``CellTimeoutError`` but leaves the kernel busy, so this module interrupts the kernel
(SIGINT, like Jupyter's stop button) and checks it answers again. A cell that stops the
kernel (``exit()`` and ``quit()``, known from the kernel's reply; ``os._exit`` or a crash,
known from the dead kernel) is named in a note. A kernel that died, or ignores the interrupt, is restarted only when something needs
it next, and the cells that had completed and left it running are run again (never the
ones that hung or stopped it), so the remaining cells and the grading see the learner's
definitions, and each cell that kills the kernel costs one restart, not a replay of
everything before it for every later cell.
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty
from time import monotonic

import nbformat
from jupyter_client.kernelspec import NoSuchKernel
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import ensure_async

from ..authoring.conventions import WorkbookError

OK, ERROR, TIMEOUT, DEAD = "ok", "error", "timeout", "dead"

# How long an interrupted kernel gets to answer again before it is restarted.
INTERRUPT_GRACE_SECONDS = 5.0

# nbclient's per-cell polling coroutines; after a timeout they can outlive their cell and
# would swallow the next cell's messages, so they are cancelled.
_NBCLIENT_POLLERS = ("_async_poll_output_msg", "_async_poll_kernel_alive")


class KernelStartError(WorkbookError):
    """The kernel could not be started."""


class GradingInterrupted(WorkbookError):
    """The user pressed Ctrl-C while the notebook was being graded."""


INTERRUPTED_MESSAGE = (
    "grading was interrupted (Ctrl-C); the kernel was shut down and no score was given."
)


def _timeout_guess(outputs) -> str:
    """What a cell that ran out of time was probably doing, judged by its outputs."""
    if outputs:
        return ("it was still producing output, so it may just need more time: raise the "
                "time limit with --timeout")
    return "it printed nothing meanwhile: an infinite loop, or work too long for the limit?"


@dataclass
class CellResult:
    """What happened when one cell ran: ``status`` is ok, error, timeout or dead."""

    status: str
    outputs: list = field(default_factory=list)

    @property
    def error(self) -> str | None:
        """``"Name: message"`` of the cell's error output, if it raised."""
        for output in self.outputs:
            if output.get("output_type") == "error":
                return f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
        return None


class KernelSession:
    """A kernel running an in-memory notebook's cells one at a time.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook whose cells are executed (modified in memory only: outputs).
    cwd : Path
        Working directory of the kernel.
    timeout : float
        Seconds each cell may run.
    kernel_name : str
        Jupyter kernel to start (``python3`` resolves to the current Python).
    """

    def __init__(self, nb, cwd: Path, timeout: float, kernel_name: str = "python3"):
        self.nb = nb
        self.timeout = timeout
        self.kernel_name = kernel_name
        self.client = NotebookClient(
            nb,
            kernel_name=kernel_name,
            # timeout_func, unlike the integer timeout trait, keeps fractions of a second.
            timeout_func=lambda cell: timeout,
            allow_errors=True,
            interrupt_on_timeout=False,
            resources={"metadata": {"path": str(cwd)}},
        )
        # exit() and quit() do not end the kernel at once: its reply asks for the exit,
        # and the kernel stops a moment later. The reply is looked at to know.
        self.client.on_cell_executed = self._cell_executed
        self._asked_exit = False
        self.history: list[int] = []
        self.notes: list[str] = []
        self.cancelled = False
        self.needs_restart = False
        self._stderr = None
        self._handles_ctrl_c = False

    async def __aenter__(self):
        # The kernel's own log lines (e.g. the transport warning) are kept out of the
        # grader's output, but shown when the kernel fails to start.
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in __aexit__
        client = self.client
        self._catch_ctrl_c()
        try:
            client.create_kernel_manager()
            await client.async_start_new_kernel(stderr=self._stderr, stdout=subprocess.DEVNULL)
            await client.async_start_new_kernel_client()
        except NoSuchKernel:
            await self._shutdown()
            self._release_ctrl_c()
            raise KernelStartError(
                f"no Jupyter kernel named {self.kernel_name!r} is installed. Use --kernel "
                "python3 (the default), or list the kernels with 'jupyter kernelspec list'."
            ) from None
        except (RuntimeError, TimeoutError, OSError, ValueError) as exc:
            log = self._kernel_log()
            await self._shutdown()
            self._release_ctrl_c()
            raise KernelStartError(
                f"the {self.kernel_name!r} kernel could not start ({type(exc).__name__}: "
                f"{exc}).{log} Check that ipykernel is installed in this environment."
            ) from None
        except BaseException:
            # Ctrl-C while the kernel starts: do not leave a kernel process behind.
            await self._shutdown()
            self._release_ctrl_c()
            raise
        return self

    async def __aexit__(self, *exc_info):
        self._release_ctrl_c()
        await self._shutdown()

    async def _shutdown(self) -> None:
        km, kc = self.client.km, self.client.kc
        try:
            if kc is not None:
                kc.stop_channels()
            if km is not None and km.has_kernel:
                await ensure_async(km.shutdown_kernel(now=True))
            if km is not None:
                await ensure_async(km.cleanup_resources())
        finally:
            self.client.kc = self.client.km = None
            self._stderr.close()

    def _catch_ctrl_c(self) -> None:
        """Turn Ctrl-C into cancelling the grading, so the kernel is still shut down."""
        self._loop, task = asyncio.get_running_loop(), asyncio.current_task()

        def cancel():
            self.cancelled = True
            task.cancel()

        try:
            self._loop.add_signal_handler(signal.SIGINT, cancel)
            self._handles_ctrl_c = True
        except (RuntimeError, ValueError, NotImplementedError):
            # Not the main thread, or no signals on this platform: leave Ctrl-C alone.
            self._handles_ctrl_c = False

    def _release_ctrl_c(self) -> None:
        if self._handles_ctrl_c:
            self._loop.remove_signal_handler(signal.SIGINT)
            self._handles_ctrl_c = False

    def _check_cancelled(self) -> None:
        # nbclient reports a cancelled cell as a dead kernel, so look at the flag too.
        if self.cancelled:
            raise GradingInterrupted(INTERRUPTED_MESSAGE)

    def _kernel_log(self) -> str:
        self._stderr.seek(0)
        tail = self._stderr.read()[-2000:].decode("utf-8", "replace").strip()
        return f" Kernel output:\n{tail}\n" if tail else ""

    def add_cell(self, source: str) -> int:
        """Append a code cell to the in-memory notebook and return its index."""
        self.nb.cells.append(nbformat.v4.new_code_cell(source))
        return len(self.nb.cells) - 1

    async def run(self, index: int, *, store_history: bool = True, label: str = "") -> CellResult:
        """Run cell ``index``, recovering the kernel if it hangs, stops or dies.

        Cells that complete (with or without an error) and leave the kernel running are
        remembered so they can be replayed after a restart (unless ``store_history`` is
        False). ``label`` names the cell in notes; by default "cell N", counting every cell
        from 1 as Jupyter shows them.
        """
        await self.ensure_running()
        label = label or f"cell {index + 1}"
        result = await self._execute(index, store_history)
        self._check_cancelled()
        if result.status in (OK, ERROR):
            if await self._still_running():
                if store_history:
                    self.history.append(index)
            else:
                self.notes.append(
                    f"{label} stopped the kernel (exit(), quit() or os._exit?); what came "
                    "after it ran in a restarted kernel, without that cell"
                )
                self.needs_restart = True
        else:
            await self._recover(result, label)
        return result

    async def ensure_running(self) -> None:
        """Restart the kernel and replay the history if a cell stopped or hung it."""
        if self.needs_restart:
            await self._restart_and_replay()
            self.needs_restart = False

    def _cell_executed(self, cell=None, cell_index=None, execute_reply=None, **_):
        content = (execute_reply or {}).get("content", {})
        self._asked_exit = any(isinstance(p, dict) and p.get("source") == "ask_exit"
                               for p in content.get("payload", []) or [])

    async def _still_running(self) -> bool:
        """False when the cell asked the kernel to exit, or the kernel process is gone.

        (No round trip to the kernel: a cell that makes the kernel die later, after its
        reply, is noticed by the next cell, which is then the one named.)
        """
        if self._asked_exit:
            self._asked_exit = False
            return False
        return await ensure_async(self.client.km.is_alive())

    async def _execute(self, index: int, store_history: bool) -> CellResult:
        cell = self.nb.cells[index]
        self._asked_exit = False
        try:
            await self.client.async_execute_cell(cell, index, store_history=store_history)
        except CellTimeoutError:
            return CellResult(TIMEOUT, list(cell.get("outputs", [])))
        except DeadKernelError:
            return CellResult(DEAD, list(cell.get("outputs", [])))
        status = ERROR if any(o.output_type == "error" for o in cell.outputs) else OK
        return CellResult(status, list(cell.outputs))

    async def _recover(self, result: CellResult, label: str) -> None:
        if result.status == TIMEOUT:
            self.notes.append(f"{label} ran longer than {self.timeout:g} s and was interrupted "
                              f"({_timeout_guess(result.outputs)})")
            if await self._interrupt_and_ping():
                return
            self.notes.append("the kernel did not respond to the interrupt; restarted it")
        else:
            await self._cancel_pollers()
            self.notes.append(f"the kernel died while running {label}; restarted it")
        self.needs_restart = True

    async def _interrupt_and_ping(self) -> bool:
        km = self.client.km
        if not await ensure_async(km.is_alive()):
            await self._cancel_pollers()
            return False
        await ensure_async(km.interrupt_kernel())
        answered = await self._ping(INTERRUPT_GRACE_SECONDS)
        await self._cancel_pollers()
        return answered

    async def _ping(self, seconds: float) -> bool:
        """True when the kernel runs an empty cell within ``seconds`` (so it is idle)."""
        kc = self.client.kc
        msg_id = kc.execute("", silent=True, store_history=False)
        deadline = monotonic() + seconds
        while (left := deadline - monotonic()) > 0:
            try:
                msg = await ensure_async(kc.shell_channel.get_msg(timeout=left))
            except Empty:
                return False
            if msg["parent_header"].get("msg_id") == msg_id:
                return True
        return False

    async def _cancel_pollers(self) -> None:
        current = asyncio.current_task()
        stray = [
            task
            for task in asyncio.all_tasks()
            if task is not current
            and not task.done()
            and getattr(task.get_coro(), "__name__", "") in _NBCLIENT_POLLERS
        ]
        for task in stray:
            task.cancel()
        await asyncio.gather(*stray, return_exceptions=True)

    async def _restart_and_replay(self) -> None:
        while True:
            await ensure_async(self.client.km.restart_kernel(now=True))
            await ensure_async(self.client.kc.wait_for_ready(timeout=self.client.startup_timeout))
            for index in list(self.history):
                result = await self._execute(index, store_history=True)
                self._check_cancelled()
                if result.status in (OK, ERROR) and await self._still_running():
                    continue
                # A cell that completed before but not now is dropped from the replay.
                self.history.remove(index)
                self.notes.append(
                    f"cell {index + 1} did not complete when re-run after a restart; skipped it"
                )
                if result.status == TIMEOUT and await self._interrupt_and_ping():
                    continue
                await self._cancel_pollers()
                break
            else:
                return
