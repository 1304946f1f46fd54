"""The cat / non-cat dataset: finding it, checking it, loading it and reshaping it.

The two HDF5 files ship with the repository, in ``datasets/``, so a clone needs no
set-up. :func:`find_data_dir` uses

1. the ``data_dir`` argument, when given;
2. else ``$DNN_DATA_DIR``, when set (authoritative: nothing else is tried), to use
   another copy;
3. else ``datasets/`` in the repository (the folder beside the ``dnn_utils`` package).

A folder holds the data when both files are there. Every file is checked against
its published SHA-256 digest and then its content (keys, shapes, dtypes, labels)
before anything is returned, so a truncated or altered copy stops with a message
saying which file is corrupt, and is never silently replaced by another copy.
See ``datasets/README.md`` for the format and how to put the files in place.
"""

import hashlib
import os
from pathlib import Path

import h5py
import numpy as np

from .contracts import check_label_row

TRAIN_FILE = "train_catvnoncat.h5"
TEST_FILE = "test_catvnoncat.h5"

#: The published SHA-256 digests; ``datasets/SHA256SUMS`` holds the same two lines
#: (a test checks that they agree). Kept here too so that the package finds them
#: however it is installed.
EXPECTED_SHA256 = {
    TEST_FILE: "6a9d39ce52fa85953c5834695b8534a30ed8cfd54971fb2f080b5a24d002b951",
    TRAIN_FILE: "fbe56ab67c3ae28d564e3a644189117976d6b31af0a3ce9bb17dbf22908af242",
}

ENV_VAR = "DNN_DATA_DIR"

_REPO_ROOT = Path(__file__).resolve().parent.parent
REPO_DATA_DIR = _REPO_ROOT / "datasets"

# (x key, y key) of each file; both files also hold "list_classes".
_KEYS = {TRAIN_FILE: ("train_set_x", "train_set_y"), TEST_FILE: ("test_set_x", "test_set_y")}
_EXPECTED_CLASSES = [b"non-cat", b"cat"]

# (resolved path, mtime_ns, size) -> hex digest, so each file is hashed once per process.
_digest_cache = {}


class DatasetError(ValueError):
    """A dataset file is there but corrupt: wrong checksum, unreadable or wrong content."""


def _has_data(folder):
    return (folder / TRAIN_FILE).is_file() and (folder / TEST_FILE).is_file()


def _describe(folder):
    """One line saying what a searched folder holds, for the not-found message."""
    if not folder.exists():
        return "does not exist"
    if not folder.is_dir():
        return "is not a folder"
    present = [name for name in (TRAIN_FILE, TEST_FILE) if (folder / name).is_file()]
    if not present:
        return "has neither file"
    missing = [name for name in (TRAIN_FILE, TEST_FILE) if name not in present]
    return f"has {present[0]} but not {missing[0]}"


def _not_found(searched, note=""):
    lines = [f"  - {folder}  ({how}): {_describe(folder)}" for folder, how in searched]
    return FileNotFoundError(
        f"Could not find the cat dataset ({TRAIN_FILE} and {TEST_FILE}, both in one "
        "folder). Looked in:\n" + "\n".join(lines) + "\n" + note +
        f"Fix: the files ship with the repository; restore them with `git checkout "
        f"datasets/` (run inside the repository, {_REPO_ROOT}). To use another copy, set "
        f"the environment variable {ENV_VAR} to its folder (e.g. "
        f"`export {ENV_VAR}=/path/to/folder`) or pass load_data(data_dir=...). "
        f"See {REPO_DATA_DIR / 'README.md'} for the files' format and checksums."
    )


def _fresh_copy_fix(path):
    """How to replace a bad dataset file: git for the repository's copy, else a fresh copy."""
    if path.resolve().parent == REPO_DATA_DIR.resolve():
        return (
            "Fix: restore the repository's copy with `git checkout datasets/` (run inside "
            f"the repository, {_REPO_ROOT})."
        )
    return (
        "Fix: replace it with a fresh copy of the original file, e.g. the one in the "
        f"repository's datasets/ folder ({REPO_DATA_DIR})."
    )


def find_data_dir(data_dir=None):
    """Return the folder holding both dataset files, or raise ``FileNotFoundError``.

    Parameters
    ----------
    data_dir : str or os.PathLike, optional
        Use this folder and nothing else.

    Returns
    -------
    pathlib.Path
        A folder containing ``train_catvnoncat.h5`` and ``test_catvnoncat.h5``.

    Raises
    ------
    FileNotFoundError
        Listing every folder searched, what each one holds, and how to fix it.
    """
    note = ""
    if data_dir is not None:
        candidates = [(Path(data_dir).expanduser(), "the data_dir argument")]
    elif os.environ.get(ENV_VAR):
        # Authoritative: a user who set it wants exactly that folder, and a silent
        # fallback would hide a typo in it.
        candidates = [(Path(os.environ[ENV_VAR]).expanduser(), f"${ENV_VAR}")]
        note = (
            f"{ENV_VAR} is set, so no other folder was searched; unset it "
            f"(`unset {ENV_VAR}`) to use the default places.\n"
        )
    else:
        candidates = [(REPO_DATA_DIR, "datasets/ in the repository")]
    for folder, _ in candidates:
        if _has_data(folder):
            return folder
    raise _not_found(candidates, note)


def sha256_of(path):
    """Return the SHA-256 hex digest of the file at ``path`` (cached per path, mtime, size)."""
    path = Path(path).resolve()
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _digest_cache:
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        _digest_cache[key] = digest.hexdigest()
    return _digest_cache[key]


def _check_checksum(path):
    expected = EXPECTED_SHA256[path.name]
    try:
        got = sha256_of(path)
    except OSError as exc:
        raise DatasetError(
            f"{path.name} at {path} cannot be read ({exc.strerror or exc}). Fix: check its "
            "permissions, or copy it to a folder you can read and point DNN_DATA_DIR there."
        ) from None
    if got != expected:
        raise DatasetError(
            f"{path.name} at {path} is corrupt: its SHA-256 checksum does not match.\n"
            f"  expected {expected}\n  got      {got}\n"
            "It was probably truncated (an interrupted download or copy) or altered. "
            + _fresh_copy_fix(path) + " No other copy is tried once a bad one is found."
        )


def _read_file(path):
    """Read one dataset file and check its content.

    Returns
    -------
    x : numpy.ndarray, shape (m, num_px, num_px, 3), uint8
    y : numpy.ndarray, shape (1, m), int64
    classes : numpy.ndarray, shape (2,), bytes
    """
    x_key, y_key = _KEYS[path.name]
    bad = f"{path.name} at {path} is corrupt or not the cat dataset"
    fix = _fresh_copy_fix(path)
    try:
        with h5py.File(path, "r") as h:
            missing = [k for k in (x_key, y_key, "list_classes") if k not in h]
            if missing:
                raise DatasetError(
                    f"{bad}: it has the keys {sorted(h.keys())} but lacks {missing}; "
                    f"expected {x_key!r}, {y_key!r} and 'list_classes'. {fix}"
                )
            x, y, classes = h[x_key][()], h[y_key][()], h["list_classes"][()]
    except DatasetError:
        raise
    except (OSError, KeyError, TypeError, ValueError) as exc:
        # h5py reports damage as assorted low-level errors; one clear message instead.
        raise DatasetError(f"{bad}: it is not a readable HDF5 file ({exc}). {fix}") from None
    if x.ndim != 4 or x.shape[-1] != 3 or x.dtype != np.uint8:
        raise DatasetError(
            f"{bad}: {x_key!r} has shape {x.shape} and dtype {x.dtype}, expected "
            f"(m, num_px, num_px, 3) uint8 RGB images. {fix}"
        )
    if y.shape not in ((x.shape[0],), (1, x.shape[0])) or y.dtype.kind not in "iub":
        raise DatasetError(
            f"{bad}: {y_key!r} has shape {y.shape} and dtype {y.dtype}, expected "
            f"({x.shape[0]},) integers, one label per image of {x_key!r}. {fix}"
        )
    labels = np.unique(y)
    if not np.isin(labels, (0, 1)).all():
        raise DatasetError(
            f"{bad}: {y_key!r} holds the labels {labels.tolist()[:10]}, expected only 0 "
            f"(non-cat) and 1 (cat). {fix}"
        )
    if classes.shape != (2,) or classes.dtype.kind != "S":
        raise DatasetError(
            f"{bad}: 'list_classes' is {classes!r}, expected two byte strings "
            f"{_EXPECTED_CLASSES}. {fix}"
        )
    return x, y.reshape(1, -1).astype(np.int64), classes


def load_data(data_dir=None, *, verify_checksum=True):
    """Load the cat / non-cat dataset, checked.

    Parameters
    ----------
    data_dir : str or os.PathLike, optional
        Folder holding the two files; by default see :func:`find_data_dir`.
    verify_checksum : bool, optional
        Compare each file with its published SHA-256 digest (default). Only turn it
        off for a dataset of your own in the same format; the content checks still run.

    Returns
    -------
    train_x_orig : numpy.ndarray, shape (209, 64, 64, 3), uint8
        Training images.
    train_y : numpy.ndarray, shape (1, 209), int64
        Training labels, 1 = cat, 0 = non-cat.
    test_x_orig : numpy.ndarray, shape (50, 64, 64, 3), uint8
        Test images.
    test_y : numpy.ndarray, shape (1, 50), int64
        Test labels.
    classes : numpy.ndarray, shape (2,)
        ``array([b'non-cat', b'cat'])``: ``classes[label]`` names a label.

    Raises
    ------
    FileNotFoundError
        The files are not where :func:`find_data_dir` looks.
    DatasetError
        A file is truncated, altered or not in the expected format.
    """
    folder = find_data_dir(data_dir)
    loaded = []
    for name in (TRAIN_FILE, TEST_FILE):
        path = folder / name
        if verify_checksum:
            _check_checksum(path)
        loaded.append(_read_file(path))
    (train_x, train_y, classes), (test_x, test_y, test_classes) = loaded
    if train_x.shape[1:] != test_x.shape[1:]:
        raise DatasetError(
            f"The images in {folder / TRAIN_FILE} are {train_x.shape[1:]} but those in "
            f"{folder / TEST_FILE} are {test_x.shape[1:]}; both sets need the same image size."
        )
    if not np.array_equal(classes, test_classes):
        raise DatasetError(
            f"{TRAIN_FILE} and {TEST_FILE} in {folder} disagree on 'list_classes' "
            f"({classes.tolist()} vs {test_classes.tolist()})."
        )
    return train_x, train_y, test_x, test_y, classes


def class_name(classes, label):
    """The name of 0/1 ``label`` as text, e.g. ``class_name(classes, 1) == "cat"``."""
    name = classes[int(label)]
    return name.decode("utf-8") if isinstance(name, bytes) else str(name)


def flatten_images(images):
    """Turn a stack of RGB images into columns of numbers in [0, 1].

    Parameters
    ----------
    images : numpy.ndarray, shape (m, num_px, num_px, 3), uint8

    Returns
    -------
    X : numpy.ndarray, shape (num_px * num_px * 3, m), float64
        Column ``i`` is image ``i`` read row by row, pixel by pixel, R G B, divided
        by 255 so that every value lies in [0, 1].
    """
    where = "flatten_images"
    if not isinstance(images, np.ndarray):
        raise TypeError(
            f"{where}: images is a {type(images).__name__}, expected a NumPy array of shape "
            "(m, num_px, num_px, 3), such as train_x_orig from load_data()."
        )
    if images.ndim != 4 or images.shape[-1] != 3:
        raise ValueError(
            f"{where}: images has shape {images.shape}, expected (m, num_px, num_px, 3): "
            "a stack of RGB images. Fix: pass train_x_orig or test_x_orig as loaded; for a "
            "single image use image[np.newaxis]."
        )
    if images.dtype != np.uint8:
        raise TypeError(
            f"{where}: images has dtype {images.dtype}, expected uint8 (0..255). "
            "Fix: pass the images as loaded; already-scaled images must not be divided by "
            "255 again."
        )
    m = images.shape[0]
    if m == 0:
        raise ValueError(f"{where}: images holds no images (shape {images.shape}).")
    return images.reshape(m, -1).T / 255.0


def split_train_validation(X, Y, validation_fraction=0.2, seed=0, *, stratify=False):
    """Hold out a random share of the examples as a validation set.

    With ``stratify=True`` each class is split on its own, so the validation set and
    the training part keep the class shares of Y (up to one example per class). With
    few examples this matters: a plain random 20% of the 209 cat pictures can hold 26%
    cats while the rest holds 36.5%, and every accuracy is then compared with a
    different "always non-cat" baseline.

    Parameters
    ----------
    X : numpy.ndarray, shape (n, m)
        Examples, one per column.
    Y : numpy.ndarray, shape (1, m)
        Their labels.
    validation_fraction : float, optional
        Share of the m examples to hold out, strictly between 0 and 1.
    seed : int, optional
        Seed of the shuffle (a private generator: NumPy's global state is untouched).
    stratify : bool, optional
        Split every class (every distinct value of Y) separately, holding out
        ``round(validation_fraction * m_c)`` of its ``m_c`` examples.

    Returns
    -------
    X_train : numpy.ndarray, shape (n, m_train)
    Y_train : numpy.ndarray, shape (1, m_train)
    X_val : numpy.ndarray, shape (n, m_val)
    Y_val : numpy.ndarray, shape (1, m_val)
        ``m_val = round(validation_fraction * m)`` (stratified: the sum of the classes'
        rounded shares) and ``m_train = m - m_val``. Without ``stratify`` the examples
        come in shuffled order; with it, in their order in X.
    """
    where = "split_train_validation"
    if not isinstance(X, np.ndarray) or X.ndim != 2:
        raise ValueError(
            f"{where}: X has shape {np.shape(X)}, expected a 2-D array (n, m) with one "
            "example per column. Fix: flatten the images first (flatten_images)."
        )
    if not isinstance(Y, np.ndarray):
        raise ValueError(
            f"{where}: Y is a {type(Y).__name__}, expected a NumPy array of shape "
            f"(1, {X.shape[1]}): one label per column of X."
        )
    check_label_row(Y, "Y", X.shape[1], where, labels=False)
    if isinstance(validation_fraction, bool) or not isinstance(
        validation_fraction, (int, float, np.floating)
    ) or not 0 < validation_fraction < 1:
        raise ValueError(
            f"{where}: validation_fraction is {validation_fraction!r}, expected a number "
            "strictly between 0 and 1, such as 0.2."
        )
    m = X.shape[1]
    m_val = round(float(validation_fraction) * m)
    if not 1 <= m_val <= m - 1:
        raise ValueError(
            f"{where}: validation_fraction = {validation_fraction} of m = {m} examples gives "
            f"{m_val} validation examples, expected at least 1 in each set. Fix: use more "
            "examples or a fraction nearer 0.5."
        )
    if not isinstance(stratify, bool):
        raise TypeError(f"{where}: stratify is {stratify!r}, expected True or False.")
    rng = np.random.RandomState(seed)
    if not stratify:
        order = rng.permutation(m)
        val, train = order[:m_val], order[m_val:]
        return X[:, train], Y[:, train], X[:, val], Y[:, val]
    is_val = np.zeros(m, dtype=bool)
    for label in np.unique(Y[0]):
        members = np.flatnonzero(Y[0] == label)
        share = round(float(validation_fraction) * members.size)
        is_val[rng.permutation(members)[:share]] = True
    if is_val.all() or not is_val.any():
        raise ValueError(
            f"{where}: a stratified validation_fraction = {validation_fraction} of the classes "
            f"of Y (sizes {[int(np.sum(Y[0] == c)) for c in np.unique(Y[0])]}) leaves one set "
            "empty. Fix: use more examples or a fraction nearer 0.5."
        )
    return X[:, ~is_val], Y[:, ~is_val], X[:, is_val], Y[:, is_val]
