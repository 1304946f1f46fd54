"""Values as data: the encoding used between the trusted grader and the sandbox.

Nothing that crosses the sandbox's boundary is ever unpickled or evaluated. A value is
encoded as JSON for its structure plus raw byte buffers for NumPy arrays, whose dtype and
shape are declared in the JSON and checked against the buffer's length when decoded.
Sizes, the number of items and the nesting depth are bounded, so a hostile peer can make a
decode fail but not hang it or exhaust memory; every failure to read a frame or rebuild a
value, whatever Python or NumPy raised underneath (a 5,000-digit integer, a shape NumPy
cannot make, ...), is a :class:`WireError`.

Supported values: None, bool, int, float (NaN and infinities included), str, list, tuple,
dict (str or int keys), NumPy arrays and scalars of bool, integer or float dtype. Anything
else is sent as an :class:`Opaque` stand-in that keeps its type name and a short repr, so a
graded test can still say "it returned a set".

A frame on a byte stream is ``MAGIC``, the 4-byte big-endian length of a UTF-8 JSON header,
the header, then the buffers whose lengths the header's ``"buffers"`` list declares.
"""

from __future__ import annotations

import json
import math
import os
import re
import select
import struct
from time import monotonic

import numpy as np

MAGIC = b"DNNW"
MAX_HEADER_BYTES = 8 * 1024 * 1024
MAX_BUFFER_BYTES = 256 * 1024 * 1024
MAX_DEPTH = 24
MAX_ITEMS = 200_000
MAX_STRING = 100_000
MAX_NDIM = 8
_DTYPE = re.compile(r"^[<>|=]?(b1|[iu][1248]|f[248])$")
_TYPE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]{0,80}$")


class WireError(ValueError):
    """The peer sent something that is not a well-formed, bounded value or frame."""


class Opaque:
    """Stands for a value of a type the wire does not carry (its type name and repr)."""

    def __init__(self, type_name: str, text: str):
        self.type_name = type_name
        self.text = text

    def __repr__(self):
        return self.text

    def __eq__(self, other):
        return isinstance(other, Opaque) and (self.type_name, self.text) == (
            other.type_name, other.text)

    __hash__ = None


def _opaque_type(type_name: str) -> type:
    """A class named like the original type, so ``type(x).__name__`` reads right."""
    return type(type_name.rsplit(".", 1)[-1], (Opaque,), {})


# ------------------------------------------------------------------ encoding


def encode(value) -> tuple[object, list[bytes]]:
    """Encode ``value`` as (JSON-able structure, list of buffers); see the module docstring."""
    buffers: list[bytes] = []
    counter = [0]
    return _encode(value, buffers, counter, 0), buffers


def _count_one(counter: list, depth: int) -> None:
    """Count one more item of a value; refuse a value too large or too deep to carry."""
    counter[0] += 1
    if counter[0] > MAX_ITEMS:
        raise WireError(f"the value holds more than {MAX_ITEMS} items")
    if depth > MAX_DEPTH:
        raise WireError(f"the value is nested more than {MAX_DEPTH} levels deep")


def _encode(value, buffers, counter, depth):
    _count_one(counter, depth)
    # NumPy first: np.float64 is also a Python float.
    if isinstance(value, (np.ndarray, np.generic)) and _DTYPE.match(np.dtype(value.dtype).str):
        array = np.array(value, order="C")  # keeps a 0-d value 0-d
        buffers.append(array.tobytes())
        kind = "array" if isinstance(value, np.ndarray) else "scalar"
        return {kind: {"dtype": array.dtype.str, "shape": list(array.shape),
                       "buffer": len(buffers) - 1}}
    if value is None or isinstance(value, (bool, str)):
        if isinstance(value, str) and len(value) > MAX_STRING:
            return {"str": value[:MAX_STRING]}
        return value
    if isinstance(value, int):
        return value if abs(value) < 2**63 else {"float": repr(float(value))}
    if isinstance(value, float):
        return {"float": repr(float(value))}
    if isinstance(value, (list, tuple)):
        key = "list" if isinstance(value, list) else "tuple"
        return {key: [_encode(v, buffers, counter, depth + 1) for v in value]}
    if isinstance(value, dict) and all(
            isinstance(k, (str, int)) and not isinstance(k, bool) for k in value):
        return {"dict": [[k, _encode(v, buffers, counter, depth + 1)] for k, v in value.items()]}
    return {"object": type(value).__name__[:80], "repr": _safe_repr(value)}


def _safe_repr(value) -> str:
    try:
        return repr(value)[:200]
    except Exception:  # a learner's __repr__ may raise anything
        return f"<{type(value).__name__[:80]} object>"


# ------------------------------------------------------------------ decoding


def decode(structure, buffers: list[bytes]):
    """Rebuild a value from :func:`encode`'s output, checking every bound and type.

    Raises
    ------
    WireError
        For anything that is not a well-formed, bounded encoding: the checks below name
        what is wrong, and any other error on the way is turned into a WireError too.
    """
    try:
        return _decode(structure, buffers, [0], 0)
    except WireError:
        raise
    except (ValueError, TypeError, OverflowError, RecursionError, MemoryError) as exc:
        raise WireError(f"the encoded value could not be rebuilt ({type(exc).__name__})") from None


def _decode(item, buffers, counter, depth):
    _count_one(counter, depth)
    if item is None or isinstance(item, (bool, int, str)):
        return item
    if not isinstance(item, dict) or len(item) not in (1, 2):
        raise WireError(f"unexpected {type(item).__name__} in the encoded value")
    if "float" in item and isinstance(item["float"], str):
        try:
            return float(item["float"])
        except ValueError:
            raise WireError(f"bad float {item['float'][:40]!r}") from None
    if "str" in item and isinstance(item["str"], str):
        return item["str"]
    if "list" in item and isinstance(item["list"], list):
        return [_decode(v, buffers, counter, depth + 1) for v in item["list"]]
    if "tuple" in item and isinstance(item["tuple"], list):
        return tuple(_decode(v, buffers, counter, depth + 1) for v in item["tuple"])
    if "dict" in item and isinstance(item["dict"], list):
        out = {}
        for pair in item["dict"]:
            if (not isinstance(pair, list) or len(pair) != 2 or isinstance(pair[0], bool)
                    or not isinstance(pair[0], (str, int))):
                raise WireError("a dict entry is not a [key, value] pair with a str or int key")
            out[pair[0]] = _decode(pair[1], buffers, counter, depth + 1)
        return out
    if "array" in item or "scalar" in item:
        array = _decode_array(item.get("array", item.get("scalar")), buffers)
        return array if "array" in item else array[()]
    if "object" in item:
        name, text = item.get("object"), item.get("repr")
        if not isinstance(name, str) or not _TYPE_NAME.match(name) or not isinstance(text, str):
            raise WireError("a stand-in object has a bad type name or repr")
        return _opaque_type(name)(name, text[:200])
    raise WireError(f"unknown encoded item with keys {sorted(item)[:4]}")


def _decode_array(spec, buffers):
    if not isinstance(spec, dict):
        raise WireError("an array's description is not an object")
    dtype, shape, index = spec.get("dtype"), spec.get("shape"), spec.get("buffer")
    if not isinstance(dtype, str) or not _DTYPE.match(dtype):
        raise WireError(f"array dtype {str(dtype)[:20]!r} is not a bool, integer or float dtype")
    if (not isinstance(shape, list) or len(shape) > MAX_NDIM
            or not all(isinstance(n, int) and not isinstance(n, bool)
                       and 0 <= n <= MAX_BUFFER_BYTES for n in shape)):
        raise WireError(f"array shape {str(shape)[:60]} is not a list of at most {MAX_NDIM} "
                        f"ints between 0 and {MAX_BUFFER_BYTES}")
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(buffers):
        raise WireError(f"array buffer index {index!r} is out of range")
    dtype = np.dtype(dtype)
    size = math.prod(shape)
    data = buffers[index]
    if size * dtype.itemsize != len(data):
        raise WireError(f"array of shape {tuple(shape)} and dtype {dtype} needs "
                        f"{size * dtype.itemsize} bytes, the buffer has {len(data)}")
    array = np.frombuffer(data, dtype=dtype).reshape(shape)
    # A bool byte other than 0 or 1 would make an array whose elements compare oddly.
    return array.view(np.uint8).astype(bool) if dtype.kind == "b" else array.copy()


# ------------------------------------------------------------------- frames


def pack(header: dict, buffers=()) -> bytes:
    """One frame: MAGIC, header length, JSON header (with the buffers' lengths), buffers."""
    header = dict(header, buffers=[len(b) for b in buffers])
    text = json.dumps(header, allow_nan=False).encode("utf-8")
    if len(text) > MAX_HEADER_BYTES:
        raise WireError(f"the message header is {len(text)} bytes, over {MAX_HEADER_BYTES}")
    if sum(len(b) for b in buffers) > MAX_BUFFER_BYTES:
        raise WireError(f"the message's arrays exceed {MAX_BUFFER_BYTES} bytes")
    return MAGIC + struct.pack(">I", len(text)) + text + b"".join(buffers)


def _no_constant(name: str):
    """``NaN`` and ``Infinity`` are not JSON: a header never holds them (floats travel as
    text, see :func:`encode`)."""
    raise WireError(f"the message header holds {name}, which is not JSON")


def _unpack_header(text: bytes) -> tuple[dict, list[int]]:
    """Parse a frame's header, checking it is an object with a valid ``buffers`` list."""
    try:
        header = json.loads(text.decode("utf-8"), parse_constant=_no_constant)
    except WireError:
        raise
    except (ValueError, RecursionError, MemoryError) as exc:
        # ValueError covers bad UTF-8, bad JSON and an integer of more digits than
        # Python converts (sys.get_int_max_str_digits).
        raise WireError(f"the message header is not valid JSON ({type(exc).__name__})") from None
    sizes = header.get("buffers") if isinstance(header, dict) else None
    if not isinstance(sizes, list) or len(sizes) > MAX_ITEMS or not all(
            isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in sizes):
        raise WireError("the message header has no valid 'buffers' list")
    if sum(sizes) > MAX_BUFFER_BYTES:
        # (The sum itself is not shown: it may have more digits than str() converts.)
        raise WireError(f"the message declares more than {MAX_BUFFER_BYTES} bytes of arrays")
    return header, sizes


def read_frame(fd: int, deadline: float) -> tuple[dict, list[bytes]]:
    """Read one frame from file descriptor ``fd`` before ``deadline`` (a monotonic time).

    Raises
    ------
    TimeoutError
        When the deadline passes first.
    EOFError
        When the peer closed the stream.
    WireError
        For a malformed or oversized frame.
    """
    start = _read_exact(fd, 8, deadline)
    if start[:4] != MAGIC:
        raise WireError("the message does not start with the expected marker")
    (length,) = struct.unpack(">I", start[4:])
    if length > MAX_HEADER_BYTES:
        raise WireError(f"the message header is {length} bytes, over {MAX_HEADER_BYTES}")
    header, sizes = _unpack_header(_read_exact(fd, length, deadline))
    return header, [_read_exact(fd, n, deadline) for n in sizes]


def read_frame_bytes(data: bytes) -> tuple[dict, list[bytes]]:
    """Parse one frame held in memory (the whole of ``data``)."""
    if data[:4] != MAGIC or len(data) < 8:
        raise WireError("the message does not start with the expected marker")
    (length,) = struct.unpack(">I", data[4:8])
    if length > MAX_HEADER_BYTES or 8 + length > len(data):
        raise WireError("the message header is truncated or oversized")
    header, sizes = _unpack_header(data[8:8 + length])
    buffers, at = [], 8 + length
    for n in sizes:
        if at + n > len(data):
            raise WireError("the message's arrays are truncated")
        buffers.append(data[at:at + n])
        at += n
    return header, buffers


def _read_exact(fd: int, n: int, deadline: float) -> bytes:
    chunks, left = [], n
    while left:
        remaining = deadline - monotonic()
        if remaining <= 0:
            raise TimeoutError("no answer in time")
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError("the stream was closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def write_all(fd: int, data: bytes) -> None:
    """Write every byte of ``data`` to ``fd`` (a pipe may take it in pieces)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
