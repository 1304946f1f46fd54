"""The workbook tool: release the learner edition and autograde notebooks.

``python -m dnn_utils.workbook release OUT_DIR [--source DIR] [--force]`` writes the learner
edition of the solution notebooks; ``python -m dnn_utils.workbook grade NOTEBOOK [--json FILE]
[--timeout SECONDS] [--kernel NAME]`` scores a learner's notebook; ``python -m
dnn_utils.workbook check [--source DIR]`` checks the solution notebooks follow the
conventions of :mod:`dnn_utils.workbook.conventions`.
"""

from .check import convention_problems
from .conventions import NotAWorkbookError, NotebookFormatError, WorkbookError
from .grader import format_report, grade
from .kernel import GradingInterrupted, KernelStartError
from .release import OverwriteError, SolutionMarkerError, release, strip_solutions

__all__ = [
    "GradingInterrupted",
    "KernelStartError",
    "NotAWorkbookError",
    "NotebookFormatError",
    "OverwriteError",
    "SolutionMarkerError",
    "WorkbookError",
    "convention_problems",
    "format_report",
    "grade",
    "release",
    "strip_solutions",
]
