"""The workbook tool: release the learner edition and autograde notebooks.

``python -m dnn_utils.workbook release OUT_DIR [--source DIR] [--force]`` writes the learner
edition of the solution notebooks; ``python -m dnn_utils.workbook grade NOTEBOOK [--json FILE]
[--timeout SECONDS] [--no-sandbox]`` scores a learner's notebook; ``python -m
dnn_utils.workbook check [--source DIR]`` checks the solution notebooks follow the
conventions of :mod:`dnn_utils.workbook.authoring.conventions`.

The names below are imported on first use, so the small modules that run inside a
learner's kernel (:mod:`~dnn_utils.workbook.sandbox.kernel_call`, :mod:`~dnn_utils.workbook.sandbox.wire`)
do not pay for importing nbformat and nbclient.

``dnn_utils.workbook.authoring.release`` is the submodule; the function that writes the learner
edition is ``dnn_utils.workbook.authoring.release.release``.
"""

from importlib import import_module

# Public name -> the module (of a sub-package) that defines it.
_EXPORTS = {
    "GradingInterrupted": "sandbox.kernel",
    "KernelStartError": "sandbox.kernel",
    "NotAWorkbookError": "authoring.conventions",
    "NotebookFormatError": "authoring.conventions",
    "OverwriteError": "authoring.release",
    "SandboxError": "sandbox.session",
    "SolutionMarkerError": "authoring.release",
    "WorkbookError": "authoring.conventions",
    "convention_problems": "authoring.check",
    "format_report": "grading.grader",
    "grade": "grading.grader",
    "strip_solutions": "authoring.release",
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
