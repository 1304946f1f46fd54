"""Inside the sandbox: run the learner's cells in a kernel, then answer the grader's requests.

Started by :mod:`dnn_utils.workbook.sandbox.session` as ``python -m dnn_utils.workbook.sandbox.driver``
with pipes for stdin and stdout. The protocol is frames of :mod:`dnn_utils.workbook.sandbox.wire`:

1. The grader sends ``{"notebook", "timeout", "kernel", "skip"}``, ``skip`` being the
   indices of the cells the solution marks as not needed for the grade.
2. The driver runs every code cell of the notebook except the graded cells (which hold
   the grader's tests, run outside) and the ``skip`` cells that none of the notebook's
   running cells needs (:func:`dnn_utils.workbook.grading.skipping.cells_to_skip`), then sends
   ``{"status": "ready", "notes", "cell_errors", "skipped"}``: notes on cells that hung or
   stopped the kernel, the error each exercise cell raised, and the cells not run.
3. The grader sends ``{"op": "get" | "call", "name", ...}``; the driver has the kernel
   answer it with :func:`dnn_utils.workbook.sandbox.kernel_call.serve` and forwards the answer
   unchanged, or sends ``{"status": "timeout" | "dead" | "broken"}`` when the kernel did
   not answer. ``{"op": "quit"}`` ends the session; the driver answers ``{"status": "bye",
   "notes"}`` with the notes made since it was ready (e.g. a call that stopped the kernel).

Everything here runs with the learner's code and can be tampered with; the grader treats
every answer as untrusted data.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from time import monotonic

if __name__ == "__main__":
    # Started for one grading. nbformat imports jsonschema, whose optional IRI format
    # check (rfc3987_syntax) compiles a grammar on import: 0.66 s of a notebook's 2.5 s.
    # Notebook schemas never use that format, so the driver does without it.
    sys.modules.setdefault("rfc3987_syntax", None)

from ..authoring.conventions import (  # noqa: E402
    is_exercise_cell,
    is_graded_cell,
    nbgrader_metadata,
    read_notebook,
)
from ..grading.skipping import cells_to_skip  # noqa: E402
from .kernel import DEAD, ERROR, OK, TIMEOUT, KernelSession  # noqa: E402
from .wire import MAX_BUFFER_BYTES, MAX_HEADER_BYTES, pack, read_frame, write_all  # noqa: E402

# No request waits longer than a day: the grader outside enforces the real limits.
_FOREVER = 24 * 3600.0
# The protocol's output; main() moves it off file descriptor 1, so a stray print of any
# library cannot garble a frame.
_channel = {"out": 1}


def _send(header: dict, buffers=()) -> None:
    write_all(_channel["out"], pack(header, buffers))


def _exercise_cell_errors(nb, results) -> dict[str, str]:
    """Map an exercise name to what went wrong in its exercise cell, if anything did."""
    errors = {}
    for index, cell in enumerate(nb.cells):
        grade_id = nbgrader_metadata(cell).get("grade_id", "")
        if is_exercise_cell(cell) and isinstance(grade_id, str) and index in results:
            result = results[index]
            name = grade_id.removesuffix("_solution")
            if result.status == TIMEOUT:
                errors[name] = "its exercise cell timed out"
            elif result.status == DEAD:
                errors[name] = "its exercise cell crashed the kernel"
            elif result.error:
                errors[name] = f"its exercise cell raised {result.error}"[:500]
    return errors


async def run_learner_cells(session: KernelSession, nb, skip=frozenset()) -> dict:
    """Run every non-empty code cell except the graded ones and those in ``skip``; return
    {index: CellResult}."""
    results = {}
    for index, cell in enumerate(nb.cells):
        if (cell.cell_type == "code" and not is_graded_cell(cell) and cell.source.strip()
                and index not in skip):
            results[index] = await session.run(index)
    return results


def _cells_to_skip(nb, requested) -> set[int]:
    """The requested cells this notebook's own cells do not need (none when in doubt)."""
    if not isinstance(requested, list):
        return set()
    candidates = {i for i in requested
                  if isinstance(i, int) and not isinstance(i, bool) and 0 <= i < len(nb.cells)}
    try:
        return cells_to_skip(nb, candidates)
    except Exception as exc:  # the learner's code is analysed: in doubt, run every cell
        print(f"sandbox driver: every cell runs, the skip analysis failed: {exc!r}"[:500],
              file=sys.stderr)
        return set()


async def answer(session: KernelSession, request: bytes, workdir: str) -> bytes:
    """Have the kernel answer one request frame; return the answer frame."""
    request_path = os.path.join(workdir, "request.bin")
    response_path = os.path.join(workdir, "response.bin")
    with open(request_path, "wb") as file:
        file.write(request)
    if os.path.exists(response_path):
        os.unlink(response_path)
    index = session.add_cell(
        "__import__('dnn_utils.workbook.sandbox.kernel_call', fromlist=['serve']).serve("
        f"globals(), {request_path!r}, {response_path!r})"
    )
    result = await session.run(index, store_history=False, label="a call of the grader")
    if result.status == TIMEOUT:
        return pack({"status": "timeout"})
    if result.status == DEAD or session.needs_restart:
        return pack({"status": "dead"})
    if result.status == ERROR or result.status != OK:
        return pack({"status": "broken", "message": (result.error or "")[:500]})
    try:
        size = os.path.getsize(response_path)
        if size > MAX_HEADER_BYTES + MAX_BUFFER_BYTES + 8:
            return pack({"status": "broken", "message": "the answer is too large"})
        with open(response_path, "rb") as file:
            return file.read()
    except OSError as exc:
        return pack({"status": "broken", "message": f"no answer ({exc.strerror})"})


async def serve(config: dict) -> None:
    """Run the notebook named in ``config``, then answer requests until told to quit."""
    nb = read_notebook(config["notebook"])
    cwd = os.path.dirname(os.path.abspath(config["notebook"]))
    session = KernelSession(nb, cwd, float(config["timeout"]), str(config["kernel"]))
    with tempfile.TemporaryDirectory(prefix="dnn-grade-") as workdir:
        skip = _cells_to_skip(nb, config.get("skip"))
        async with session:
            results = await run_learner_cells(session, nb, skip)
            _send({"status": "ready", "notes": list(session.notes),
                   "cell_errors": _exercise_cell_errors(nb, results), "skipped": sorted(skip)})
            stdin = sys.stdin.fileno()
            notes_at_ready = len(session.notes)
            while True:
                try:
                    header, buffers = read_frame(stdin, monotonic() + _FOREVER)
                except EOFError:
                    return
                if header.get("op") == "quit":
                    _send({"status": "bye", "notes": list(session.notes[notes_at_ready:])})
                    return
                notes_before = len(session.notes)
                reply = await answer(session, pack(header, buffers), workdir)
                for note in session.notes[notes_before:]:
                    print(note, file=sys.stderr)
                write_all(_channel["out"], reply)


def main() -> int:
    """Read the configuration frame from stdin and serve (see the module docstring)."""
    _channel["out"] = os.dup(1)
    os.dup2(2, 1)
    try:
        config, _ = read_frame(sys.stdin.fileno(), monotonic() + _FOREVER)
    except (EOFError, ValueError) as exc:
        print(f"sandbox driver: no configuration ({exc})", file=sys.stderr)
        return 2
    try:
        asyncio.run(serve(config))
    except Exception as exc:  # reported to the grader, which explains it to the instructor
        _send({"status": "failed", "message": f"{type(exc).__name__}: {exc}"[:2000]})
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
