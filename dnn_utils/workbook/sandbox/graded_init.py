"""``dnn_utils.graded`` inside the grader's sandbox (copied there as ``graded/__init__.py``).

The grader's sandbox: the graded tests run outside it, with the answers they hold.

Only ``see_result`` (for the "see your result" cells) and ``uses_exercise`` (for the cells
that run an exercise) are here; any ``<name>_test`` is a
stand-in that says where the grading happens.
"""

from .failure import GradedTestFailure
from .results import see_result
from .unfinished import uses_exercise

__all__ = ["GradedTestFailure", "see_result", "uses_exercise"]


def __getattr__(name):
    """A ``<name>_test`` stand-in that prints where the grading happens."""
    if name.endswith("_test"):
        def stand_in(*args, **kwargs):
            print(f"{name}: graded by the grader, outside this sandbox.")
        stand_in.__name__ = name
        return stand_in
    raise AttributeError(f"module 'dnn_utils.graded' has no attribute {name!r} in the sandbox")
