"""The workbook tool: release the learner edition and autograde notebooks.

``python -m dnn_utils.workbook release OUT_DIR [--source DIR] [--force]`` writes the learner
edition of the solution notebooks; ``python -m dnn_utils.workbook grade NOTEBOOK [--json FILE]
[--timeout SECONDS] [--no-sandbox]`` scores a learner's notebook; ``python -m
dnn_utils.workbook check [--source DIR]`` checks the solution notebooks follow the
conventions of :mod:`dnn_utils.workbook.conventions`.

The names below are imported on first use, so the small modules that run inside a
learner's kernel (:mod:`~dnn_utils.workbook.kernel_call`, :mod:`~dnn_utils.workbook.wire`)
do not pay for importing nbformat and nbclient.

``dnn_utils.workbook.release`` is the submodule; the function that writes the learner
edition is ``dnn_utils.workbook.release.release``.
"""

from importlib import import_module

# Public name -> the submodule that defines it.
_EXPORTS = {
    "GradingInterrupted": "kernel",
    "KernelStartError": "kernel",
    "NotAWorkbookError": "conventions",
    "NotebookFormatError": "conventions",
    "OverwriteError": "release",
    "SandboxError": "sandbox",
    "SolutionMarkerError": "release",
    "WorkbookError": "conventions",
    "convention_problems": "check",
    "format_report": "grader",
    "grade": "grader",
    "strip_solutions": "release",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))
