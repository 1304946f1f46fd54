"""Stand-ins for the learner's exercises, outside the sandbox: every call is forwarded as data.

The trusted grader runs the unchanged graded test ``graded.<name>_test(target)`` on the
object :func:`exercise_target` returns. For a function, that is a proxy with the learner's
signature: calling it sends the arguments into the sandbox, where the learner's function
runs, and returns its result, decoded and checked by :mod:`dnn_utils.workbook.sandbox.wire`. The
arguments as the learner's function left them are copied back onto the caller's objects,
so the graded tests' "you changed your input" checks still work. An exception of the
learner's code is raised again here with the same type name, message and line, so the
feedback is as precise as when the test runs in the notebook.
"""

from __future__ import annotations

import builtins
import inspect
import re

import numpy as np

from ...graded.feedback import GradedTestFailure
from .session import SandboxError
from .wire import WireError, decode, encode

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,80}$")
# inspect.Parameter kinds in the order of their integer values.
_KINDS = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD,
          inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.KEYWORD_ONLY,
          inspect.Parameter.VAR_KEYWORD)
MISSING = object()


def exercise_target(sandbox, name: str, timeout: float):
    """The learner's ``name`` as the graded test should see it, or :data:`MISSING`.

    Raises
    ------
    GradedTestFailure
        When the sandbox cannot answer (it hung, died or sent garbage).
    """
    answer, buffers = _ask(sandbox, name, {"op": "get", "name": name}, (), timeout)
    status = answer.get("status")
    if status == "missing":
        return MISSING
    if status == "value":
        return _decode(name, answer.get("value"), buffers)
    if status == "callable":
        return _make_proxy(sandbox, name, answer.get("parameters"), timeout)
    raise _trouble_failure(name, answer, timeout)


def _make_proxy(sandbox, name: str, parameters, timeout: float):
    """A function that calls the learner's ``name`` in the sandbox (see the module docstring)."""

    def proxy(*args, **kwargs):
        structure, buffers = encode({"args": list(args), "kwargs": kwargs})
        answer, out = _ask(sandbox, name, {"op": "call", "name": name,
                                           "args": structure["dict"][0][1],
                                           "kwargs": structure["dict"][1][1]},
                           buffers, timeout)
        status = answer.get("status")
        if status == "ok":
            value = _decode(name, answer.get("value"), out)
            if not isinstance(value, dict) or set(value) != {"result", "args", "kwargs"}:
                raise GradedTestFailure(f"{name}: the sandbox's answer was garbled.",
                                        mistake="garbled-answer")
            _copy_back(list(args), value["args"], answer.get("replaced"), 0)
            _copy_back(kwargs, value["kwargs"], answer.get("replaced"), 1)
            return value["result"]
        if status == "error":
            raise _rebuild_exception(name, answer)
        raise _trouble_failure(name, answer, timeout)

    proxy.__name__ = proxy.__qualname__ = name
    proxy.__signature__ = _signature(parameters)
    return proxy


def _ask(sandbox, name, header, buffers, timeout):
    try:
        return sandbox.request(header, buffers, seconds=timeout)
    except SandboxError as exc:
        raise GradedTestFailure(f"{name}: could not be graded: {exc}.",
                                mistake="sandbox-stopped") from None


def _decode(name, structure, buffers):
    try:
        return decode(structure, buffers)
    except WireError as exc:
        raise GradedTestFailure(f"{name}: the sandbox's answer was malformed ({exc}).",
                                mistake="garbled-answer") from None


#: The mistake id of each way a call can fail without an answer from the learner's code.
_TROUBLE_MISTAKES = {"timeout": "timed-out", "dead": "kernel-stopped", "broken": "call-broken",
                     "failed": "sandbox-failed"}


def _trouble_failure(name: str, answer: dict, timeout: float) -> GradedTestFailure:
    """The failure of a call the sandbox could not answer, with its mistake id."""
    return GradedTestFailure(f"{name}: {_trouble(answer, timeout)}",
                             mistake=_TROUBLE_MISTAKES.get(answer.get("status"),
                                                           "garbled-answer"))


def _trouble(answer: dict, timeout: float) -> str:
    status = answer.get("status")
    if status == "timeout":
        return (f"a call ran longer than {timeout:g} s and was stopped (an infinite loop, or "
                "far too much work?).")
    if status == "dead":
        return "a call crashed or stopped the kernel (exit(), os._exit, out of memory?)."
    if status == "broken":
        return ("the grader could not call it in the kernel: did a cell change "
                f"sys.modules or builtins? ({str(answer.get('message', ''))[:200]})")
    if status == "failed":
        return f"the sandbox failed: {str(answer.get('message', ''))[:300]}"
    return "the sandbox's answer was garbled."


def _signature(parameters) -> inspect.Signature:
    """Rebuild the learner's signature from ``[[name, kind, has_default], ...]``."""
    result = []
    try:
        for name, kind, has_default in parameters:
            if not (isinstance(name, str) and _IDENTIFIER.match(name)):
                raise ValueError
            default = None if has_default else inspect.Parameter.empty
            result.append(inspect.Parameter(name, _KINDS[int(kind)], default=default))
        return inspect.Signature(result)
    except (TypeError, ValueError, IndexError, OverflowError):
        return inspect.Signature([
            inspect.Parameter("args", inspect.Parameter.VAR_POSITIONAL),
            inspect.Parameter("kwargs", inspect.Parameter.VAR_KEYWORD),
        ])


def _rebuild_exception(name: str, answer: dict) -> BaseException:
    """An exception like the one the learner's code raised: same type name and message.

    A note of the stubbed reference becomes a plain failure; ``NotImplementedError``
    stays one, so the test says "not implemented yet".
    """
    message = str(answer.get("message", ""))[:2000]
    if answer.get("reference") is True:
        return GradedTestFailure(
            f"{name}: it uses the package's reference instead of your own code: {message} "
            "Write the exercise yourself, with the blocks of the notebook.",
            mistake="uses-package-reference")
    if answer.get("not_implemented") is True:
        return NotImplementedError(message)
    base = getattr(builtins, str(answer.get("base", "")), None)
    if not (isinstance(base, type) and issubclass(base, Exception)):
        base = Exception
    type_name = str(answer.get("type", ""))
    type_name = type_name if _IDENTIFIER.match(type_name) else base.__name__
    try:
        cls = type(type_name, (base,), {"__str__": lambda self: message,
                                        "__module__": "builtins"})
        error = cls(message)
    except TypeError:
        error = Exception(message)
    line = answer.get("line")
    error.learner_line = line if isinstance(line, str) else None
    return error


def _copy_back(local, remote, replaced, root: int) -> None:
    """Make ``local`` (the caller's objects) look as the learner's function left them."""
    if not isinstance(replaced, list):
        replaced = []
    _mirror(local, remote)
    for path in replaced:
        if isinstance(path, list) and len(path) >= 2 and path[0] == root:
            _replace(local, remote, path[1:])


def _mirror(local, remote):
    if isinstance(local, np.ndarray):
        if (isinstance(remote, np.ndarray) and remote.shape == local.shape
                and not np.array_equal(local, remote, equal_nan=True)):
            np.copyto(local, remote, casting="unsafe")
    elif isinstance(local, dict) and isinstance(remote, dict):
        for key in [k for k in local if k not in remote]:
            del local[key]
        for key, value in remote.items():
            if key in local:
                _mirror(local[key], value)
            else:
                local[key] = value
    elif isinstance(local, list) and isinstance(remote, list) and len(local) != len(remote):
        local[:] = remote
    elif isinstance(local, (list, tuple)) and isinstance(remote, (list, tuple)):
        for mine, theirs in zip(local, remote):
            _mirror(mine, theirs)


def _replace(local, remote, path):
    """Put the learner's new object at ``path``, so the entry is no longer the caller's."""
    for key in path[:-1]:
        try:
            local, remote = local[key], remote[key]
        except (KeyError, IndexError, TypeError):
            return
    key = path[-1]
    try:
        if isinstance(local, (dict, list)):
            value = remote[key]
            local[key] = value.copy() if isinstance(value, np.ndarray) else value
    except (KeyError, IndexError, TypeError):
        return
