"""Re-execute solution notebooks in place, so their stored outputs are fresh for nbval.

Unlike ``jupyter nbconvert --execute``, no run timestamps are written into the cell
metadata, and consecutive pieces of one stream are joined (a busy kernel sends a ``print``
in several messages), so re-executing an unchanged notebook gives an unchanged file.
"""

from __future__ import annotations

from pathlib import Path

from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from ..files import write_bytes_atomically
from .conventions import WorkbookError, read_notebook
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
        the kernelspec JupyterLab writes (:data:`~dnn_utils.workbook.release.KERNELSPEC`). A notebook whose run fails is
        left as it was, and the error names it and the failing cell.
    """
    if not paths:
        paths = sorted(default_source_dir().glob("*.ipynb"))
    written = []
    for path in map(Path, paths):
        nb = read_notebook(path)
        for cell in nb.cells:
            cell.metadata.pop("execution", None)  # timestamps of an earlier nbconvert run
        client = NotebookClient(
            nb, timeout=timeout, kernel_name=kernel_name, record_timing=False,
            resources={"metadata": {"path": str(path.resolve().parent)}},
        )
        try:
            client.execute()
            for cell in nb.cells:
                if cell.cell_type == "code":
                    cell.outputs = coalesce_streams(cell.outputs)
        except CellExecutionError as exc:
            raise WorkbookError(
                f"{path}: a cell failed, so the notebook was not rewritten:\n{exc}"
            ) from None
        if kernel_name == "python3":  # the default kernel, under JupyterLab's name for it
            set_kernelspec(nb)
        write_bytes_atomically(path, notebook_bytes(nb))
        written.append(path)
    return written


def coalesce_streams(outputs: list) -> list:
    """Join each run of consecutive stream outputs of the same name (stdout, stderr) into one.

    What a cell printed is the same text; only how the kernel happened to split it into
    messages, which depends on the machine's load, is gone.
    """
    joined = []
    for output in outputs:
        previous = joined[-1] if joined else None
        if (output.get("output_type") == "stream" and previous is not None
                and previous.get("output_type") == "stream"
                and previous.get("name") == output.get("name")):
            previous["text"] = previous["text"] + output["text"]
        else:
            joined.append(output)
    return joined
