"""Inside the learner's kernel: look up or call an exercise and write back what happened, as data.

The sandbox driver (:mod:`dnn_utils.workbook.sandbox.driver`) writes a request frame to a
file and runs one line in the kernel, ``serve(globals(), request_path, response_path)``.
Whatever this module answers is only data for the trusted grader outside the sandbox,
which decides the verdict itself; a learner's cell that tampers with this module can only
make its own answers wrong.
"""

from __future__ import annotations

import builtins
import inspect
import os
import re
import sysconfig
import traceback

import numpy as np

from . import knock_on_kernel, wire

# Part of the plain note a stubbed package reference raises (see sandbox.reference_stub).
REFERENCE_NOTE = "is the package's reference of this exercise; write your own"
NOT_IMPLEMENTED_MESSAGE = "Replace this line with your code"
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,80}$")

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_PACKAGE_DIR += os.sep  # dnn_utils/, this module being dnn_utils/workbook/sandbox/
_NOT_LEARNER = (_PACKAGE_DIR, os.path.dirname(os.path.dirname(np.__file__)) + os.sep,
                sysconfig.get_paths()["stdlib"] + os.sep)


def serve(namespace: dict, request_path: str, response_path: str) -> None:
    """Answer the request in ``request_path`` about ``namespace`` into ``response_path``."""
    with open(request_path, "rb") as file:
        header, buffers = wire.read_frame_bytes(file.read())
    name = header.get("name")
    if header.get("op") in knock_on_kernel.OPS:  # the correct blocks in, or the learner's back
        answer, out = knock_on_kernel.answer(namespace, header), []
    elif not isinstance(name, str) or not _IDENTIFIER.match(name):
        answer, out = {"status": "bad_request"}, []
    elif name not in namespace:
        answer, out = {"status": "missing"}, []
    elif header.get("op") == "get":
        answer, out = describe(namespace[name])
    else:
        args = wire.decode(header.get("args"), buffers)
        kwargs = wire.decode(header.get("kwargs"), buffers)
        answer, out = call(namespace[name], list(args), dict(kwargs))
    data = wire.pack(answer, out)
    with open(response_path, "wb") as file:
        file.write(data)


def describe(target) -> tuple[dict, list[bytes]]:
    """A callable's parameters, or a value's encoding."""
    if callable(target):
        return {"status": "callable", "parameters": _parameters(target)}, []
    value, buffers = wire.encode(target)
    return {"status": "value", "value": value}, buffers


def _parameters(target) -> list:
    try:
        signature = inspect.signature(target)
    except (TypeError, ValueError):
        return []
    return [[p.name, int(p.kind), p.default is not inspect.Parameter.empty]
            for p in signature.parameters.values() if _IDENTIFIER.match(p.name)]


def call(target, args: list, kwargs: dict) -> tuple[dict, list[bytes]]:
    """Call ``target(*args, **kwargs)``; report its result and its arguments afterwards."""
    before = _identities((args, kwargs))
    try:
        result = target(*args, **kwargs)
    except BaseException as exc:  # the learner's code may raise anything, even SystemExit
        return {"status": "error", **_describe_exception(exc)}, []
    value, buffers = wire.encode({"result": result, "args": args, "kwargs": kwargs})
    replaced = _replaced((args, kwargs), before, [])
    return {"status": "ok", "value": value, "replaced": replaced[:1000]}, buffers


def _identities(x):
    """(x, identities of its children, recursively) for containers; None otherwise."""
    if isinstance(x, dict):
        return {k: (v, _identities(v)) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [(v, _identities(v)) for v in x]
    return None


def _replaced(x, before, path) -> list:
    """Paths of container entries that are no longer the object they were before the call."""
    found = []
    if isinstance(before, dict) and isinstance(x, dict):
        items = [(k, x[k], before[k]) for k in before if k in x]
    elif isinstance(before, list) and isinstance(x, (list, tuple)):
        items = [(i, x[i], before[i]) for i in range(min(len(x), len(before)))]
    else:
        return found
    for key, now, (was, sub) in items:
        if now is not was:
            found.append(path + [key])
        else:
            found += _replaced(now, sub, path + [key])
    return found


def _describe_exception(exc: BaseException) -> dict:
    """Type, message, the learner's line that raised, and what kind of failure it is."""
    base = next(c for c in type(exc).__mro__ if getattr(builtins, c.__name__, None) is c)
    message = _safe_str(exc)
    chain, seen = exc, []
    while chain is not None and chain not in seen and len(seen) < 20:
        seen.append(chain)
        chain = chain.__cause__ or chain.__context__
    return {
        "type": type(exc).__name__[:80],
        "base": base.__name__,
        "message": message[:2000],
        "line": _learner_line(exc.__traceback__),
        "not_implemented": any(isinstance(e, NotImplementedError)
                               or NOT_IMPLEMENTED_MESSAGE in _safe_str(e) for e in seen),
        "reference": any(REFERENCE_NOTE in _safe_str(e) for e in seen),
    }


def _safe_str(exc) -> str:
    try:
        return str(exc)
    except Exception:  # a learner's __str__ may raise anything
        return ""


def _learner_line(tb) -> str | None:
    frames = [f for f in traceback.extract_tb(tb)
              if not os.path.abspath(f.filename).startswith(_NOT_LEARNER)]
    if not frames or not frames[-1].line:
        return None
    frame = frames[-1]
    return f"at line {frame.lineno} of {frame.name}: {frame.line.strip()}"[:500]
