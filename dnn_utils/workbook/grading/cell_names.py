"""Which names a notebook cell reads from the cells before it, and which it binds.

The static analysis behind the grader's skip marks (:mod:`dnn_utils.workbook.grading.skipping`):
a cell may be skipped only when no cell that still runs reads a name it binds. The cell is
read the way Python runs it: statement by statement, a value before the names it is
assigned to, a ``for`` loop's iterable before its target, a comprehension's variables
local to it. A name the cell binds before reading it is not read "from before"; a
function's body is read when the function is called (its global names are kept apart, by
the function's name, with :mod:`symtable`), so a helper may be defined after it.

Binding a name includes changing it in place through ``name[...] = ...``,
``name.attr = ...``, ``del name[...]`` and ``name += ...``: a later cell sees the change.
A change through a method call (``name.append(x)``) or global state (a random seed) is
invisible here; the grading check of :mod:`dnn_utils.workbook.grading.skipping` covers it.

IPython's syntax is turned into Python by IPython itself; a cell whose code a magic hides
(a cell magic such as ``%%time``, ``%run``, ``%time x = f()``) is *opaque*: it may read
and bind anything.
"""

from __future__ import annotations

import ast
import functools
import symtable
from dataclasses import dataclass

#: Line magics that neither run the cell's Python code nor bind names.
SAFE_MAGICS = frozenset({"matplotlib", "config", "load_ext", "reload_ext", "autoreload",
                         "precision", "xmode"})
#: Cells longer than this are not analysed (treated as opaque): a learner's cell is
#: untrusted, and the workbook's longest cell is a few kilobytes.
MAX_SOURCE_CHARS = 200_000


@dataclass(frozen=True)
class CellNames:
    """What one cell does with names (see the module docstring).

    Attributes
    ----------
    reads : frozenset of str
        Names the cell reads that it has not bound itself before.
    binds : frozenset of str
        Names it binds, deletes or changes in place at the top level (and the globals
        its functions assign).
    functions : tuple of (str, frozenset of str)
        For each function or class the cell defines, the global names its body reads
        when it is called.
    opaque : bool
        True when the cell's code cannot be read (see the module docstring).
    """

    reads: frozenset = frozenset()
    binds: frozenset = frozenset()
    functions: tuple = ()
    opaque: bool = False


OPAQUE = CellNames(opaque=True)


def _python_source(source: str) -> str | None:
    """The cell as plain Python, or None when a magic hides its code."""
    if source.lstrip().startswith("%%"):
        return None
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:  # without IPython, a magic or shell line is left out
        return "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                         for line in source.splitlines())
    return TransformerManager().transform_cell(source)


def _magic_name(node) -> str | None:
    """``name`` of a ``get_ipython().run_line_magic('name', ...)`` call, else None."""
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("run_line_magic", "run_cell_magic")):
        first = node.args[0] if node.args else None
        return first.value if isinstance(first, ast.Constant) else "?"
    return None


def _scope_globals(node) -> tuple[set[str], set[str]]:
    """Global names the body of a function, lambda or class reads, and those it assigns."""
    table = symtable.symtable(ast.unparse(node), "<cell>", "exec")
    reads, writes = set(), set()
    stack = list(table.get_children())
    while stack:
        scope = stack.pop()
        stack.extend(scope.get_children())
        for symbol in scope.get_symbols():
            if symbol.is_global() and symbol.is_referenced():
                reads.add(symbol.get_name())
            if symbol.is_declared_global() and symbol.is_assigned():
                writes.add(symbol.get_name())
    return reads, writes


class _Reader(ast.NodeVisitor):
    """Walks a cell's statements in the order Python runs them (see the module docstring)."""

    def __init__(self):
        self.bound: set[str] = set()
        self.reads: set[str] = set()
        self.binds: set[str] = set()
        self.functions: dict[str, frozenset] = {}
        self.scopes: list[set[str]] = []  # the variables of the comprehensions we are in
        self.opaque = False

    # -- names
    def load(self, name: str, seen=()) -> None:
        if any(name in scope for scope in self.scopes):
            return
        if name not in self.bound:
            self.reads.add(name)
        elif name in self.functions and name not in seen:
            # A function of this cell called in this cell reads its globals now.
            for read in self.functions[name]:
                self.load(read, (*seen, name))

    def store(self, name: str, top_level: bool = False) -> None:
        if self.scopes and not top_level:
            self.scopes[-1].add(name)
            return
        self.bound.add(name)
        self.binds.add(name)
        self.functions.pop(name, None)

    def changed(self, node) -> None:
        """``node[...] = ...`` or ``node.attr = ...``: the object ``node`` names changes."""
        while isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        if isinstance(node, ast.Name) and not self.scopes:
            self.binds.add(node.id)

    def visit_Name(self, node):
        if not isinstance(node.ctx, ast.Store):  # `del name` needs the name too
            self.load(node.id)
        if not isinstance(node.ctx, ast.Load):
            self.store(node.id)

    def visit_Subscript(self, node):
        self.visit(node.value)
        self.visit(node.slice)
        if not isinstance(node.ctx, ast.Load):
            self.changed(node.value)

    def visit_Attribute(self, node):
        self.visit(node.value)
        if not isinstance(node.ctx, ast.Load):
            self.changed(node.value)

    def visit_Starred(self, node):
        self.visit(node.value)

    # -- statements, in the order Python runs their parts
    def visit_Assign(self, node):
        self.visit(node.value)
        for target in node.targets:
            self.visit(target)

    def visit_AugAssign(self, node):
        self.visit(node.value)
        if isinstance(node.target, ast.Name):
            self.load(node.target.id)
        self.visit(node.target)

    def visit_AnnAssign(self, node):
        if node.value is not None:
            self.visit(node.value)
            self.visit(node.target)

    def visit_NamedExpr(self, node):
        self.visit(node.value)
        self.store(node.target.id, top_level=True)

    def visit_For(self, node):
        self.visit(node.iter)
        self.visit(node.target)
        for statement in node.body + node.orelse:
            self.visit(statement)

    visit_AsyncFor = visit_For

    def visit_Import(self, node):
        for alias in node.names:
            self.store(alias.asname or alias.name.split(".")[0])

    def visit_ImportFrom(self, node):
        for alias in node.names:
            if alias.name == "*":
                self.opaque = True
            else:
                self.store(alias.asname or alias.name)

    def visit_ExceptHandler(self, node):
        if node.type is not None:
            self.visit(node.type)
        if node.name:
            self.store(node.name)
        for statement in node.body:
            self.visit(statement)

    def visit_MatchAs(self, node):
        if node.pattern is not None:
            self.visit(node.pattern)
        if node.name:
            self.store(node.name)

    def visit_MatchStar(self, node):
        if node.name:
            self.store(node.name)

    def visit_MatchMapping(self, node):
        for part in node.keys + node.patterns:
            self.visit(part)
        if node.rest:
            self.store(node.rest)

    def visit_Global(self, node):
        pass

    visit_Nonlocal = visit_Global

    # -- scopes of their own
    def _arguments(self, arguments) -> None:
        for default in arguments.defaults + [d for d in arguments.kw_defaults if d]:
            self.visit(default)

    def visit_FunctionDef(self, node):
        for decorator in node.decorator_list:
            self.visit(decorator)
        self._arguments(node.args)
        reads, writes = _scope_globals(node)
        self.store(node.name)
        if not self.scopes:
            self.functions[node.name] = frozenset(reads)
        self.binds.update(writes)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node):
        self._arguments(node.args)
        reads, writes = _scope_globals(node)
        for name in reads:  # a lambda may run at once: its reads count now
            self.load(name)
        self.binds.update(writes)

    def visit_ClassDef(self, node):
        for part in node.decorator_list + node.bases + [k.value for k in node.keywords]:
            self.visit(part)
        reads, writes = _scope_globals(node)
        for name in reads:  # the class body runs at once
            self.load(name)
        self.store(node.name)
        self.binds.update(writes)

    def _comprehension(self, node, elements):
        first, *rest = node.generators
        self.visit(first.iter)  # evaluated in the enclosing scope
        self.scopes.append(set())
        self.visit(first.target)
        for condition in first.ifs:
            self.visit(condition)
        for generator in rest:
            self.visit(generator.iter)
            self.visit(generator.target)
            for condition in generator.ifs:
                self.visit(condition)
        for element in elements:
            self.visit(element)
        self.scopes.pop()

    def visit_ListComp(self, node):
        self._comprehension(node, [node.elt])

    visit_SetComp = visit_GeneratorExp = visit_ListComp

    def visit_DictComp(self, node):
        self._comprehension(node, [node.key, node.value])

    def visit_Call(self, node):
        magic = _magic_name(node)
        if magic is not None and magic not in SAFE_MAGICS:
            self.opaque = True
        self.generic_visit(node)


@functools.lru_cache(maxsize=512)
def cell_names(source: str) -> CellNames:
    """What the code cell ``source`` reads and binds (see the module docstring).

    A cell Python cannot parse binds and reads nothing (it stops at its SyntaxError); a
    cell too long or too deeply nested to analyse, or whose code a magic hides, is
    :data:`OPAQUE`.
    """
    if len(source) > MAX_SOURCE_CHARS:
        return OPAQUE
    try:
        python = _python_source(source)
        if python is None:
            return OPAQUE
        tree = ast.parse(python)
    except SyntaxError:
        return CellNames()
    except Exception:  # RecursionError, MemoryError, or IPython choking on odd input
        return OPAQUE
    reader = _Reader()
    try:
        for statement in tree.body:
            reader.visit(statement)
    except Exception:  # symtable's SyntaxError on what ast accepts, RecursionError, ...
        return OPAQUE
    if reader.opaque:
        return OPAQUE
    return CellNames(reads=frozenset(reader.reads), binds=frozenset(reader.binds),
                     functions=tuple(sorted(reader.functions.items())))
