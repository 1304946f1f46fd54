"""Inside the learner's kernel: put the workbook's correct blocks in place, then the learner's back.

For :mod:`dnn_utils.workbook.grading.knock_on`: ``{"op": "define", "source": ...}`` remembers the
kernel's namespace (references only) and runs the solution notebook's exercise cells in it,
so the learner's other functions call the correct blocks; ``{"op": "restore"}`` puts every
name back as it was. :func:`dnn_utils.workbook.sandbox.kernel_call.serve` passes these requests
here. Only the standard library is used: this runs in the learner's kernel.
"""

from __future__ import annotations

#: The requests handled here.
OPS = ("define", "restore")
_saved: dict = {}


def answer(namespace: dict, header: dict) -> dict:
    """Handle a ``define`` or ``restore`` request about ``namespace``; return the answer."""
    if header.get("op") == "restore":
        restore(namespace)
        return {"status": "restored"}
    source = header.get("source")
    if not isinstance(source, str):
        return {"status": "bad_request"}
    restore(namespace)  # never two definitions on top of each other
    _saved["namespace"] = dict(namespace)
    try:
        exec(compile(source, "<the workbook's solution>", "exec"), namespace)  # noqa: S102
    except BaseException as exc:  # the learner's kernel may lack what the solution uses
        restore(namespace)
        return {"status": "failed", "message": f"{type(exc).__name__}: {exc}"[:500]}
    return {"status": "defined"}


def restore(namespace: dict) -> None:
    """Put back every name of ``namespace`` as it was before the last definition."""
    before = _saved.pop("namespace", None)
    if before is None:
        return
    for name in [name for name in namespace if name not in before]:
        del namespace[name]
    for name, value in before.items():
        if namespace.get(name) is not value:
            namespace[name] = value
