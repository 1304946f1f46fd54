"""Graded tests of the workbook's exercises: ``graded.<name>_test(<name>)``.

Each test prints one line when the learner's function is right, and raises
:class:`~dnn_utils.graded.feedback.GradedTestFailure` with a precise message
(what is wrong, expected vs got, the likely mistake) when it is not; IPython shows
such a failure as its message alone.

``graded.see_result(function, *args, names=...)`` runs an exercise on an example
for the "see your result" cells (see :mod:`dnn_utils.graded.results`), and
``with graded.uses_exercise(name):`` turns an unfinished exercise in an ungraded cell into
one line (see :mod:`dnn_utils.graded.unfinished`).

Tests are found by name: ``graded.<name>_test`` is the function of that name in any
module of this package. A module's tests are the public names ending in ``_test`` that it
binds at its top level, by ``def`` or by assignment (``x_test = choice_question(...)``),
whether or not it has an ``__all__``, plus any such name its ``__all__`` lists;
``feedback.graded_test``, the decorator that makes tests, is not one. A new test, or a new
module of tests, needs no edit here. The modules are imported on the first look-up of a
test, once; the same name in two modules is an error naming both.
"""

import ast
import importlib
import pkgutil
from pathlib import Path

from .feedback import GradedTestFailure as GradedTestFailure
from .feedback import graded_test as _decorator
from .results import see_result as see_result
from .unfinished import uses_exercise as uses_exercise

_TEST_SUFFIX = "_test"
_index: dict | None = None


def _top_level_names(path) -> list[str]:
    """Names a module's source binds at its top level by ``def`` or assignment (not import)."""
    tree = ast.parse(Path(path).read_text(encoding="utf-8"), filename=str(path))
    names = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.append(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names += [target.id for target in targets if isinstance(target, ast.Name)]
    return names


def _module_tests(module) -> list[str]:
    """The names of the graded tests a module defines (see the package docstring)."""
    exported = list(getattr(module, "__all__", None) or [])
    names = dict.fromkeys(_top_level_names(module.__file__) + exported)
    return [name for name in names
            if name.endswith(_TEST_SUFFIX) and not name.startswith("_")
            and callable(getattr(module, name, None))
            # the decorator that makes tests is not one (its name ends in _test too)
            and getattr(module, name) is not _decorator]


def _test_index() -> dict:
    """Map the name of every graded test to the module that defines it.

    Returns
    -------
    dict of str to str
        ``{"linear_forward_test": "dnn_utils.graded.blocks", ...}``.

    Raises
    ------
    ImportError
        When two modules of ``dnn_utils.graded`` define a test of the same name (the
        message names both: rename or delete one of them).
    """
    global _index
    if _index is None:
        found: dict[str, str] = {}
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
            if info.name.startswith("_") or info.ispkg:
                continue
            module = importlib.import_module(f"{__name__}.{info.name}")
            for name in _module_tests(module):
                if name in found and getattr(importlib.import_module(found[name]), name) is \
                        getattr(module, name):
                    continue  # the same test, imported and listed again (a re-export)
                if name in found and found[name] != module.__name__:
                    raise ImportError(
                        f"dnn_utils.graded: the graded test {name!r} is defined in both "
                        f"{found[name]} and {module.__name__}; a test's name must be unique. "
                        "Rename or delete one of them.")
                found[name] = module.__name__
        _index = found
    return dict(_index)


def __getattr__(name):
    # ``__all__`` (for ``from dnn_utils.graded import *``) is built on first use only.
    if name == "__all__":
        return ["GradedTestFailure", "see_result", "uses_exercise", *sorted(_test_index())]
    if name.endswith(_TEST_SUFFIX) and not name.startswith("_"):
        module = _test_index().get(name)
        if module is not None:
            value = getattr(importlib.import_module(module), name)
            globals()[name] = value  # later look-ups are plain attribute reads
            return value
    if name.endswith(_TEST_SUFFIX) and not name.startswith("_"):
        raise AttributeError(
            f"module 'dnn_utils.graded' has no attribute {name!r}: no module of "
            f"{Path(__file__).parent} binds {name!r} at its top level. Write "
            f"'def {name}(target):' (or '{name} = choice_question(...)') at the top level "
            "of any module there; a new module is fine, with no import to add.")
    raise AttributeError(f"module 'dnn_utils.graded' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_test_index()))
