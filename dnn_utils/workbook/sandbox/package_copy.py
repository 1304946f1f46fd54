"""The sandbox's copy of ``dnn_utils``: every stand-in of the graded exercises stubbed.

:func:`copy_package` makes the copy the sandbox mounts read-only, with the functions
:mod:`~dnn_utils.workbook.grading.package_rules` says the learner's code may not use replaced by
stubs; :func:`copy_font_cache` spares it rebuilding matplotlib's font list.
"""

from __future__ import annotations

import ast
import contextlib
import shutil
from pathlib import Path

import dnn_utils

from ..grading.package_rules import GRADED_KEPT
from .kernel_call import REFERENCE_NOTE


def reference_stub(name: str) -> str:
    """Source of a function ``name`` that raises the plain note instead of computing."""
    return (
        f"def {name}(*args, **kwargs):  # put here by the grader's sandbox\n"
        f"    raise RuntimeError({name!r} + \" {REFERENCE_NOTE}.\")\n"
    )


def _stub_functions(source: str, names) -> tuple[str, list[str]]:
    """Replace each top-level ``def`` of ``names`` in ``source`` by its stub.

    The reference's own lines are removed, not just shadowed, so they cannot be read back
    from the copy. Returns the new source and the names replaced.
    """
    lines = source.splitlines(keepends=True)
    replaced = []
    nodes = [node for node in ast.parse(source).body
             if isinstance(node, ast.FunctionDef) and node.name in names]
    for node in sorted(nodes, key=lambda n: n.lineno, reverse=True):
        first = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
        lines[first:node.end_lineno] = [reference_stub(node.name)]
        replaced.append(node.name)
    return "".join(lines), sorted(replaced)


def copy_package(destination: Path, exercises, unavailable=()) -> Path:
    """Copy ``dnn_utils`` (and its datasets) into ``destination``, stubbing ``exercises``.

    ``graded/`` keeps only ``see_result`` and ``uses_exercise`` (the tests, their references and the answers
    stay outside). In every other module outside ``workbook/``, a top-level function named
    like an exercise, or named in ``unavailable`` (``"module.function"``, e.g.
    ``"models.train"``: :func:`~dnn_utils.workbook.grading.package_rules.unavailable`), is
    replaced by a stub (:func:`_stub_functions`), so it (and anything of the package that
    calls it) raises the plain note, and its compiled file is removed. Other notebooks'
    exercises stay real.

    Returns
    -------
    Path
        The folder to put on ``PYTHONPATH``.
    """
    source = Path(dnn_utils.__file__).resolve().parent
    target = destination / "dnn_utils"
    # The compiled files come along: they stay valid for the unchanged modules (same
    # size and modification time) and spare the sandbox compiling the package afresh.
    shutil.copytree(source, target)
    datasets = source.parent / "datasets"
    if datasets.is_dir():
        shutil.copytree(datasets, destination / "datasets")
    _replace_graded(target / "graded")
    names = set(exercises)
    for module in target.rglob("*.py"):
        relative = module.relative_to(target).parts
        if relative[0] in ("graded", "workbook"):
            continue
        dotted = ".".join(relative)[: -len(".py")]
        here = names | {f.rsplit(".", 1)[1] for f in unavailable if f.rsplit(".", 1)[0] == dotted}
        text, replaced = _stub_functions(module.read_text(encoding="utf-8"), here)
        if replaced:
            module.write_text(text, encoding="utf-8")
            for compiled in (module.parent / "__pycache__").glob(f"{module.stem}.*.pyc"):
                compiled.unlink()
    for path in [destination, *destination.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return destination


# The graded tests hold the references and the answers the verdict needs; they run
# outside. Inside, ``dnn_utils.graded`` keeps only what a notebook's own cells use.
#: The stand-in ``graded/__init__.py`` of the copy: a real file of this package.
_GRADED_STAND_IN = Path(__file__).with_name("graded_init.py")
def _replace_graded(graded_dir: Path) -> None:
    """Leave only :data:`~dnn_utils.workbook.grading.package_rules.GRADED_KEPT` and a stand-in
    ``__init__`` in the copied graded/."""
    for path in sorted(graded_dir.rglob("*"), reverse=True):
        if path.is_dir():
            if path.name == "__pycache__":
                shutil.rmtree(path)
        elif path.name not in GRADED_KEPT:
            path.unlink()
    shutil.copyfile(_GRADED_STAND_IN, graded_dir / "__init__.py")


def copy_font_cache(destination: Path) -> Path:
    """Copy matplotlib's font list, so the sandbox does not rebuild it (seconds) each time."""
    destination.mkdir()
    with contextlib.suppress(ImportError, OSError):
        import matplotlib

        for cache in Path(matplotlib.get_cachedir()).glob("fontlist-*.json"):
            shutil.copy(cache, destination / cache.name)
    for path in [destination, *destination.iterdir()]:
        path.chmod(0o777 if path.is_dir() else 0o666)
    return destination
