"""Graded tests of the workbook's exercises: ``graded.<name>_test(<name>)``.

Each test prints one line when the learner's function is right, and raises
:class:`~dnn_utils.graded.feedback.GradedTestFailure` with a precise message
(what is wrong, expected vs got, the likely mistake) when it is not. Inside
IPython, importing this package makes such a failure show just its message.

``graded.see_result(function, *args, names=...)`` runs an exercise on an example
for the "see your result" cells (see :mod:`dnn_utils.graded.results`).
"""

from importlib import import_module

from .feedback import GradedTestFailure, install_ipython_handler
from .results import see_result

# Every ``*_test`` function of these submodules is exported here.
_TEST_MODULES = [
    "blocks",
    "models",
    "dimensions",
    "hyperparameters",
    "depth",
    "concepts",
]

__all__ = ["GradedTestFailure", "see_result"]
for _module_name in _TEST_MODULES:
    _module = import_module(f".{_module_name}", __name__)
    for _name in dir(_module):
        if _name.endswith("_test") and callable(getattr(_module, _name)):
            globals()[_name] = getattr(_module, _name)
            __all__.append(_name)
del _module_name, _module, _name

install_ipython_handler()
