"""Parameter files: saving a trained cat classifier to ``.npz`` and loading it back.

A file holds ``W1, b1, ..., WL, bL``, ``layer_dims`` and ``classes``. Loading
checks, before anything is read into memory, that the file is a regular file and
an ``.npz`` archive whose arrays are what their headers declare and fit in memory;
then that the arrays form the network ``layer_dims`` describes
(:func:`dnn_utils.validation.check_parameters`).
"""

import math
import re
import zipfile
from pathlib import Path

import numpy as np
from numpy.lib import format as npy_format

from .files import require_regular_file, write_atomically
from .resources import available_memory, format_bytes
from .validation import check_layer_dims, check_parameters

#: Inputs of the cat data: 64 x 64 RGB pictures, flattened.
CAT_N_X = 64 * 64 * 3

#: More members than this is not a parameters file (a 100-layer network has 202).
_MAX_MEMBERS = 1000

_RETRAIN = ("Fix: train again with `python -m dnn_utils train`, which writes "
            "runs/deep_params.npz.")


class ParamsFileError(ValueError):
    """A parameters file that is missing, unreadable, too large or inconsistent."""


def save_parameters(path, parameters, layer_dims, classes):
    """Save trained parameters to an ``.npz`` file, atomically.

    Parameters
    ----------
    path : str or os.PathLike
    parameters : dict
        ``"Wl"``: (n[l], n[l-1]) and ``"bl"``: (n[l], 1) for l = 1..L.
    layer_dims : sequence of int, length L + 1
    classes : numpy.ndarray, shape (2,)
        Names of label 0 and 1, e.g. ``array([b'non-cat', b'cat'])``.
    """
    arrays = dict(parameters)
    arrays["layer_dims"] = np.asarray(layer_dims, dtype=np.int64)
    # Plain byte strings: h5py's string dtype carries metadata that .npz cannot store.
    arrays["classes"] = np.array(
        [c if isinstance(c, bytes) else str(c).encode("utf-8") for c in classes], dtype="S"
    )
    write_atomically(path, lambda f: np.savez(f, **arrays))


def _bad(path, problem, fix=_RETRAIN):
    return ParamsFileError(f"parameters file {path}: {problem}. {fix}")


def _read_header(member, version):
    if version == (1, 0):
        return npy_format.read_array_header_1_0(member)
    if version == (2, 0):
        return npy_format.read_array_header_2_0(member)
    raise ValueError(f"NumPy file format version {version[0]}.{version[1]} is not supported")


def check_archive(path, available=None):
    """Check every array of an ``.npz`` archive from its header, without loading it.

    Each member must be a ``.npy`` array of numbers whose header's shape and dtype
    account exactly for the bytes the member holds, and all of them together must
    fit in memory. A forged header (a (10**6, 10**6) array in a small file) or an
    archive that would inflate to more than the memory available is refused.

    Parameters
    ----------
    path : pathlib.Path
        A regular file that is a zip archive.
    available : int, optional
        Memory limit in bytes (default: what the machine has available).

    Raises
    ------
    ParamsFileError
    """
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        if len(infos) > _MAX_MEMBERS:
            raise _bad(path, f"holds {len(infos)} members, more than the {_MAX_MEMBERS} a "
                       "parameters file can have")
        total = sum(info.file_size for info in infos)
        limit = available_memory() if available is None else available
        if limit is not None and total > limit:
            raise _bad(path, f"inflates to {format_bytes(total)} when loaded, more than the "
                       f"{format_bytes(limit)} of memory available on this machine")
        for info in infos:
            name = info.filename
            if not name.endswith(".npy"):
                raise _bad(path, f"holds {name!r}, which is not a NumPy array (.npy)")
            with archive.open(info) as member:
                try:
                    shape, _, dtype = _read_header(member, npy_format.read_magic(member))
                except ValueError as exc:
                    raise _bad(path, f"{name} has no valid array header ({exc})") from None
                data_bytes = info.file_size - member.tell()
            if dtype.hasobject:
                raise _bad(path, f"{name} holds Python objects (dtype {dtype}), expected "
                           "numbers or names")
            declared = math.prod(shape) * dtype.itemsize
            if declared != data_bytes:
                raise _bad(
                    path, f"{name[:-4]} declares shape {shape} of {dtype} "
                    f"({format_bytes(declared)}) but holds {format_bytes(data_bytes)}: "
                    "the file is damaged or was not written by save_parameters",
                )


def load_parameters(path):
    """Load and check a parameters file written by :func:`save_parameters`.

    Parameters
    ----------
    path : str or os.PathLike
        A relative path is relative to the current folder.

    Returns
    -------
    parameters : dict
        ``"Wl"``: (n[l], n[l-1]) and ``"bl"``: (n[l], 1) float arrays for l = 1..L.
    layer_dims : list of int, length L + 1
        With n[0] = 12288 and n[L] = 1.
    classes : numpy.ndarray, shape (2,)

    Raises
    ------
    ParamsFileError
        The file is missing, not a regular file, not an ``.npz`` archive, larger than
        the memory available, lacks a key, or its arrays do not agree with
        ``layer_dims`` or with the cat pictures.
    """
    path = Path(path)
    try:
        require_regular_file(path, "parameters file", _RETRAIN)
    except IsADirectoryError:
        raise _bad(path, "is a folder, expected an .npz file") from None
    except (FileNotFoundError, ValueError) as exc:
        raise ParamsFileError(str(exc)) from None
    try:
        # Recognize other kinds of file first: np.load would call a picture "pickled data".
        with open(path, "rb") as f:
            start = f.read(6)
        if start == b"\x93NUMPY":
            raise _bad(path, "is a single NumPy array (.npy), expected an .npz archive")
        if not zipfile.is_zipfile(path):
            raise _bad(path, "is not an .npz archive (it is not even a zip file)")
        check_archive(path)
        archive = np.load(path, allow_pickle=False)
        with archive:
            contents = {key: archive[key] for key in archive.files}
    except ParamsFileError:
        raise
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        # np.load reports a file of another kind, or a damaged archive, in varied ways.
        raise _bad(path, f"is not a readable .npz archive ({exc})") from None
    return _parameters_from(path, contents)


def _parameters_from(path, contents):
    """The checked ``(parameters, layer_dims, classes)`` of a loaded archive."""
    missing = [key for key in ("layer_dims", "classes") if key not in contents]
    if missing:
        raise _bad(path, f"lacks {missing} (it has {sorted(contents)})")
    dims = contents["layer_dims"]
    if dims.ndim != 1 or dims.dtype.kind not in "iu":
        raise _bad(path, f"layer_dims is {dims!r}, expected a 1-D array of whole numbers")
    try:
        dims = check_layer_dims(dims.tolist(), "layer_dims")
    except (TypeError, ValueError) as exc:
        raise _bad(path, str(exc)) from None
    if dims[0] != CAT_N_X or dims[-1] != 1:
        raise _bad(
            path, f"layer_dims is {dims}, expected n[0] = {CAT_N_X} (64 x 64 x 3 pixels) "
            "and n[L] = 1 (one output unit)",
        )
    L = len(dims) - 1
    expected = [f"{p}{l}" for l in range(1, L + 1) for p in "Wb"]
    missing = [key for key in expected if key not in contents]
    if missing:
        raise _bad(path, f"lacks {missing}, needed by layer_dims = {dims}")
    extra = sorted(k for k in contents if re.fullmatch(r"[Wb]\d+", k) and k not in expected)
    if extra:
        raise _bad(path, f"has {extra}, more layers than layer_dims = {dims} describes")
    parameters = {}
    for l in range(1, L + 1):
        for name, shape in ((f"W{l}", (dims[l], dims[l - 1])), (f"b{l}", (dims[l], 1))):
            array = contents[name]
            if array.shape != shape:
                raise _bad(
                    path, f"{name} has shape {array.shape}, expected {shape} from "
                    f"layer_dims = {dims}",
                )
            if array.dtype.kind != "f":
                raise _bad(path, f"{name} has dtype {array.dtype}, expected floats")
            parameters[name] = array
    try:
        check_parameters(parameters, "load_parameters")
    except (TypeError, ValueError, KeyError) as exc:
        raise _bad(path, str(exc)) from None
    classes = contents["classes"]
    if classes.shape != (2,) or classes.dtype.kind not in "SU":
        raise _bad(path, f"classes is {classes!r}, expected two names such as "
                   "[b'non-cat', b'cat']")
    return parameters, dims, classes
