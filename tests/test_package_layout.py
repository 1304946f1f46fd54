"""The package's layout (issue 26): no import circle, no module over 400 lines, every
data file (templates, ...) declared as package data so an installed wheel ships it.

The import graph is read with :mod:`ast` from every module of ``dnn_utils`` (``graded/``
and ``workbook/`` included): an edge for each ``import dnn_utils...`` and ``from ...
import`` (relative or absolute) that runs when the module is imported, i.e. at module
level, inside ``if``/``try`` blocks too. An import inside a function or method is left
out: it runs when the function is called, after every module has finished loading, so
it cannot leave a module half-initialised (the package puts a few heavy or optional
imports there on purpose, e.g. tqdm and the plots in the command line's ``train``).
``from package import name`` points at the module ``package.name`` when there is one,
else at the package's ``__init__``; the parent packages a module implies are not
counted (every ``__init__`` would otherwise be in a circle with its own modules).
"""

import ast
import graphlib
import tomllib
from pathlib import Path

import pytest

import dnn_utils

PACKAGE = Path(dnn_utils.__file__).resolve().parent
MAX_LINES = 400


def module_names(root: Path) -> dict[str, Path]:
    """Dotted name -> file of every module of the package at ``root``."""
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = [root.name, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _module_level(body):
    """The import statements of ``body`` that run at import time (not in a def/class)."""
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for field in ("body", "orelse", "finalbody", "handlers"):
                yield from _module_level(getattr(node, field, []))


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the package's modules it imports at module level (see the docstring)."""
    modules = module_names(root)
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = set()
        for node in _module_level(ast.parse(path.read_text(encoding="utf-8")).body):
            if isinstance(node, ast.Import):
                bases, names = [alias.name for alias in node.names], []
            elif node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                bases = [".".join([*anchor, *([node.module] if node.module else [])])]
                names = [alias.name for alias in node.names]
            else:
                bases, names = [node.module], [alias.name for alias in node.names]
            for base in bases:
                if base in modules:
                    found = [f"{base}.{n}" for n in names if f"{base}.{n}" in modules]
                    # `from pkg import name` loads pkg's __init__ unless every name is a module.
                    if len(found) < len(names) or not names:
                        found.append(base)
                    targets.update(found)
        graph[name] = targets - {name}
    return graph


def import_circle(graph: dict[str, set[str]]) -> list[str]:
    """One circle of ``graph`` as ``[a, b, ..., a]``, or ``[]`` when there is none."""
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as error:
        return list(error.args[1])
    return []


def test_no_module_of_the_package_is_in_an_import_circle():
    graph = import_graph(PACKAGE)
    assert len(graph) > 50 and graph["dnn_utils.forward"] >= {"dnn_utils.activations"}
    circle = import_circle(graph)
    assert circle == [], (
        f"import circle: {' -> '.join(reversed(circle))}. Fix: move what both need into "
        "one of them, or into a module both import.")


def test_the_circle_check_finds_a_circle_and_follows_every_import_form(tmp_path):
    # activations <-> contracts, as it was before issue 26, through two import forms.
    root = tmp_path / "dnn_utils"
    (root / "sub").mkdir(parents=True)
    (root / "__init__.py").write_text("from .forward import f\n")
    (root / "forward.py").write_text("from .activations import relu\n\n"
                                     "def f():\n    from . import lazy\n")
    (root / "activations.py").write_text("from .contracts import check\n")
    (root / "contracts.py").write_text("from . import activations\n")
    (root / "lazy.py").write_text("import dnn_utils.forward\n")
    (root / "sub" / "__init__.py").write_text("")
    (root / "sub" / "a.py").write_text("try:\n    from ..sub import b\nexcept ImportError:\n"
                                       "    b = None\n")
    (root / "sub" / "b.py").write_text("from dnn_utils.sub.a import x\n")
    graph = import_graph(root)
    assert graph == {
        "dnn_utils": {"dnn_utils.forward"},
        "dnn_utils.forward": {"dnn_utils.activations"},  # the lazy import is left out
        "dnn_utils.activations": {"dnn_utils.contracts"},
        "dnn_utils.contracts": {"dnn_utils.activations"},
        "dnn_utils.lazy": {"dnn_utils.forward"},
        "dnn_utils.sub": set(),
        "dnn_utils.sub.a": {"dnn_utils.sub.b"},
        "dnn_utils.sub.b": {"dnn_utils.sub.a"},
    }
    assert set(import_circle(graph)) in ({"dnn_utils.activations", "dnn_utils.contracts"},
                                         {"dnn_utils.sub.a", "dnn_utils.sub.b"})
    del graph["dnn_utils.sub.b"]
    graph["dnn_utils.contracts"] = set()
    assert import_circle(graph) == []


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")),
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_is_over_400_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, (
        f"{path.relative_to(PACKAGE.parent)} has {lines} lines, more than {MAX_LINES}. "
        "Fix: split it by idea into modules of one idea each.")


def test_every_data_file_of_the_package_ships_in_the_wheel():
    # setuptools puts only .py files in a wheel, and the files package-data's globs find.
    pyproject = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = {path for package, patterns in
               pyproject["tool"]["setuptools"]["package-data"].items()
               for pattern in patterns
               for path in (PACKAGE.parent / package.replace(".", "/")).glob(pattern)}
    data = {p for p in PACKAGE.rglob("*")
            if p.is_file() and p.suffix not in (".py", ".pyc")}
    assert any(p.name.endswith(".tmpl") for p in data)  # the scaffold's file templates
    undeclared = sorted(str(p.relative_to(PACKAGE.parent)) for p in data - shipped)
    assert undeclared == [], (
        f"{undeclared}: not in [tool.setuptools.package-data] of pyproject.toml, so an "
        "installed (non-editable) wheel would not have it. Fix: add its pattern there.")
