"""Re-execute solution notebooks in place, so their stored outputs are fresh for nbval.

Unlike ``jupyter nbconvert --execute``, no run timestamps are written into the cell
metadata, and consecutive pieces of one stream are joined (a busy kernel sends a ``print``
in several messages), so re-executing an unchanged notebook gives an unchanged file. The
expected output written above each see-your-result cell (its ```` ```text ```` block) is
rewritten from what the cell printed, so the author never copies it by hand. The cells are timed
(the kernel's CPU time), and for the repository's solution notebooks the times are kept
for the grader's default limits (:mod:`~dnn_utils.workbook.grading.time_limits`).
"""

from __future__ import annotations

import re
from pathlib import Path

from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

from ...files import write_bytes_atomically
from ..grading.time_limits import CellTimer, record
from .check import SEE_RESULT
from .conventions import WorkbookError, read_notebook
from .notebook_rules import stdout_of
from .reading import rewrite_reading_time
from .release import default_source_dir, notebook_bytes, set_kernelspec


def execute(paths=None, timeout: float = 600, kernel_name: str = "python3") -> list[Path]:
    """Run each notebook top to bottom in a fresh kernel and store its new outputs.

    Parameters
    ----------
    paths : list of str or Path, optional
        Notebooks to run; default every ``*.ipynb`` in ``notebooks/solutions``.
    timeout : float, optional
        Seconds one cell may run.
    kernel_name : str, optional

    Returns
    -------
    list of Path
        The notebooks rewritten; run by the default kernel ``python3``, each stores
        the kernelspec JupyterLab writes (:data:`~dnn_utils.workbook.authoring.release.KERNELSPEC`). A notebook whose run fails is
        left as it was, and the error names it and the failing cell.
    """
    if not paths:
        paths = sorted(default_source_dir().glob("*.ipynb"))
    written = []
    for path in map(Path, paths):
        nb = read_notebook(path)
        for cell in nb.cells:
            cell.metadata.pop("execution", None)  # timestamps of an earlier nbconvert run
        timer = CellTimer(lambda: client.km.provisioner.pid)
        client = NotebookClient(
            nb, timeout=timeout, kernel_name=kernel_name, record_timing=False,
            resources={"metadata": {"path": str(path.resolve().parent)}},
            on_cell_execute=timer.on_cell_execute, on_cell_executed=timer.on_cell_executed,
        )
        try:
            client.execute()
        except CellTimeoutError:
            raise WorkbookError(
                f"{path}: a cell ran longer than {timeout:g} s, so the notebook was not "
                "rewritten. Pass a larger --timeout, or make the cell faster."
            ) from None
        except CellExecutionError as exc:
            raise WorkbookError(
                f"{path}: a cell failed, so the notebook was not rewritten:\n{exc}"
            ) from None
        for cell in nb.cells:
            join_streams(cell)
        write_expected_outputs(nb)
        rewrite_reading_time(nb, path.stem)  # the expected outputs are read too
        if kernel_name == "python3":  # the default kernel, under JupyterLab's name for it
            set_kernelspec(nb)
        write_bytes_atomically(path, notebook_bytes(nb))
        if path.resolve().parent == default_source_dir().resolve():
            record(path.stem, nb, timer.seconds)
        written.append(path)
    return written


def join_streams(cell) -> None:
    """Join consecutive outputs of one stream (stdout, stderr) of a code cell, in place.

    How a kernel splits what a cell prints into messages depends on timing (a loaded
    machine sends more, smaller pieces); joined, the stored output is the same on every run.
    """
    joined = []
    for output in cell.get("outputs", []):
        previous = joined[-1] if joined else None
        if (output.get("output_type") == "stream" and previous is not None
                and previous.get("output_type") == "stream"
                and previous.get("name") == output.get("name")):
            previous["text"] += output["text"]
        else:
            joined.append(output)
    if "outputs" in cell:
        cell["outputs"] = joined


def write_expected_outputs(nb) -> list[int]:
    """Rewrite each see-your-result cell's expected output from what it printed, in place.

    The block is the first ```` ```text ```` block of the markdown cell right above a cell
    that calls ``graded.see_result``, when that cell starts with ``**See your result.**``.

    Returns
    -------
    list of int
        The indices of the markdown cells changed.
    """
    changed = []
    for index, cell in enumerate(nb.cells[1:], start=1):
        above = nb.cells[index - 1]
        if (cell.cell_type != "code" or "graded.see_result(" not in cell.source
                or above.cell_type != "markdown" or not above.source.startswith(SEE_RESULT)):
            continue
        printed = stdout_of(cell)
        new = re.sub(r"```text\n.*?```", lambda _: f"```text\n{printed}```", above.source,
                     count=1, flags=re.S)
        if new != above.source:
            above.source = new
            changed.append(index - 1)
    return changed
