"""Hints that propose code fit the learner's own loop: reading how it indexes ``caches``.

A learner may loop over the layer's number (``for l in reversed(range(1, L))``, layer l's
cache is ``caches[l - 1]``) or, as the course does, over ``l = L-2, ..., 0``
(``for l in reversed(range(L - 1))``, layer l + 1's cache is ``caches[l]``). A fix written
for one loop is wrong in the other, so a hint that proposes an index starts from the
learner's own expression: read from the function's source when Python can find it (a
notebook cell, a file), or from the learner's line that raised.
"""

import ast
import inspect
import re
import textwrap

from .failure import is_learner_file

_INDEX = re.compile(r"\bcaches\s*\[([^\[\]]+)\]")
_NAME = re.compile(r"[A-Za-z_]\w*")
# Names an index of the output layer's cache is made of (caches[L - 1], caches[-1]).
_OUTPUT_NAMES = {"L", "len", "caches"}

#: For a learner whose code cannot be read: layer l's cache in both usual loops.
BOTH_LOOPS = (
    "caches holds layer 1's cache at index 0: layer l's cache is caches[l - 1] in a loop "
    "over the layer numbers (for l in reversed(range(1, L))), and caches[l] in the "
    "course's loop for l in reversed(range(L - 1)), where the layer is l + 1."
)


def quoted_lines(failure):
    """The learner's code quoted in a failure's message (its indented lines), or ""."""
    return "\n".join(line for line in str(failure).splitlines() if line.startswith("    "))


def learner_source(target):
    """The source of the learner's function ``target``, or None when it cannot be read
    (the grader's proxy, a function defined in ``exec``, a built-in)."""
    code = getattr(target, "__code__", None)
    if code is None or not is_learner_file(code.co_filename):
        return None
    try:
        return inspect.getsource(target)
    except (OSError, TypeError):
        return None


def _indexes_in_source(source):
    try:
        tree = ast.parse(textwrap.dedent(source))
    except SyntaxError:
        return []
    return [ast.unparse(node.slice) for node in ast.walk(tree)
            if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name)
            and node.value.id == "caches"]


def _shifted(expression, by):
    """``expression + by`` written simply (``"l + 1"``, -1 -> ``"l"``), or None."""
    match = re.fullmatch(r"([A-Za-z_]\w*)(?:\s*([+-])\s*(\d+))?", expression)
    if match is None:
        return None
    k = int(match[3] or 0) * (-1 if match[2] == "-" else 1) + by
    return match[1] if k == 0 else f"{match[1]} {'+' if k > 0 else '-'} {abs(k)}"


def hidden_cache_index(source=None, line=None):
    """The learner's index into ``caches`` for the hidden layers, e.g. ``"l + 1"``, or None.

    Parameters
    ----------
    source : str, optional
        The learner's function (comments and docstrings are not read).
    line : str, optional
        The learner's line that raised, as the feedback quotes it.

    Returns
    -------
    str or None
        The one index expression that is not the output layer's (``L - 1``, ``-1``,
        ``len(caches) - 1``), written with single spaces; None when there is none or more
        than one.
    """
    found = _indexes_in_source(source) if source else []
    if not found and line:
        found = _INDEX.findall(line.split(": ", 1)[-1])
    hidden = {" ".join(e.split()) for e in found
              if set(_NAME.findall(e)) - _OUTPUT_NAMES}
    return hidden.pop() if len(hidden) == 1 else None


def cache_index_fix(offset, source=None, line=None):
    """``(yours, fixed)``, e.g. ``("caches[l + 1]", "caches[l]")``, or None.

    ``offset`` is the slip found: +1 when each hidden layer went back through the next
    layer's cache, -1 through the previous one's. None when the learner's index cannot
    be read or is not ``<name> [+-] <number>``.
    """
    index = hidden_cache_index(source, line)
    fixed = _shifted(index, -offset) if index else None
    return (f"caches[{index}]", f"caches[{fixed}]") if fixed else None
