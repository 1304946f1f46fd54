"""The dataset loader: where it looks, what it checks, and the reshaping helpers."""

import hashlib
import re
import subprocess
from pathlib import Path

import h5py
import numpy as np
import pytest

from dnn_utils import data
from dnn_utils.data import (
    DatasetError,
    find_data_dir,
    flatten_images,
    load_data,
    split_train_validation,
)

REPO = Path(__file__).resolve().parent.parent


# --- the real data ---------------------------------------------------------------------

def test_canonical_shapes_counts_and_classes(cat_data):
    train_x, train_y, test_x, test_y, classes = cat_data
    assert train_x.shape == (209, 64, 64, 3) and train_x.dtype == np.uint8
    assert test_x.shape == (50, 64, 64, 3) and test_x.dtype == np.uint8
    assert train_y.shape == (1, 209) and test_y.shape == (1, 50)
    assert int(train_y.sum()) == 72
    assert set(np.unique(train_y)) | set(np.unique(test_y)) == {0, 1}
    assert classes.tolist() == [b"non-cat", b"cat"]


def test_checksums_in_code_agree_with_committed_sums_file():
    lines = (REPO / "datasets" / "SHA256SUMS").read_text().split("\n")
    committed = dict(reversed(line.split()) for line in lines if line.strip())
    assert committed == data.EXPECTED_SHA256
    readme = (REPO / "datasets" / "README.md").read_text()
    for digest in committed.values():
        assert digest in readme


def test_real_files_hash_to_the_published_digests(cat_data):
    folder = find_data_dir()
    for name, digest in data.EXPECTED_SHA256.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest


def test_each_file_is_hashed_once(monkeypatch, cat_data):
    calls = []
    real = hashlib.sha256
    monkeypatch.setattr(data.hashlib, "sha256", lambda: calls.append(1) or real())
    load_data()
    load_data()
    assert calls == []  # already hashed by the cat_data fixture, in this process


def test_a_clone_finds_the_repository_copy(monkeypatch):
    # The dataset ships in datasets/: with no variable and no argument, that copy is used.
    monkeypatch.delenv("DNN_DATA_DIR", raising=False)
    assert find_data_dir() == data.REPO_DATA_DIR
    assert load_data()[0].shape == (209, 64, 64, 3)


def test_the_repository_copy_is_committed_and_matches_SHA256SUMS():
    root = data.REPO_DATA_DIR.parent
    if not (root / ".git").exists():
        pytest.skip("not a git checkout")
    tracked = subprocess.run(
        ["git", "ls-files", "datasets"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.split()
    assert f"datasets/{data.TRAIN_FILE}" in tracked and f"datasets/{data.TEST_FILE}" in tracked
    for name in (data.TRAIN_FILE, data.TEST_FILE):
        assert data.sha256_of(data.REPO_DATA_DIR / name) == data.EXPECTED_SHA256[name]


def test_nothing_refers_to_a_folder_outside_the_checkout():
    root = data.REPO_DATA_DIR.parent
    outside = "../" + "shared"  # spelled in two parts so this file does not match itself
    for path in [*root.glob("dnn_utils/**/*.py"), *root.glob("tests/*.py"), root / "README.md",
                 root / "pyproject.toml", root / ".ci" / "run", *root.glob("datasets/*.md")]:
        assert outside not in path.read_text(), f"{path} refers to {outside}"


# --- where it looks --------------------------------------------------------------------

def _real_dir():
    return find_data_dir()


def test_env_var_is_authoritative(monkeypatch, tmp_path):
    monkeypatch.setenv("DNN_DATA_DIR", str(tmp_path))
    assert (data.REPO_DATA_DIR / data.TRAIN_FILE).is_file()  # a fallback would find data there
    with pytest.raises(FileNotFoundError) as err:
        load_data()
    message = str(err.value)
    assert str(tmp_path) in message and "$DNN_DATA_DIR" in message
    assert "no other folder was searched" in message
    assert str(data.REPO_DATA_DIR) not in message.split("Fix:")[0]


def test_env_var_pointing_at_another_copy_is_used(monkeypatch, tmp_path):
    for name in (data.TRAIN_FILE, data.TEST_FILE):
        (tmp_path / name).write_bytes((data.REPO_DATA_DIR / name).read_bytes())
    monkeypatch.setenv("DNN_DATA_DIR", str(tmp_path))
    assert find_data_dir() == tmp_path
    assert load_data()[1].shape == (1, 209)


def test_explicit_argument_wins_over_env_var(monkeypatch, tmp_path):
    real = _real_dir()
    monkeypatch.setenv("DNN_DATA_DIR", str(tmp_path))
    assert find_data_dir(real) == real
    assert load_data(real)[0].shape == (209, 64, 64, 3)
    monkeypatch.setenv("DNN_DATA_DIR", str(real))
    with pytest.raises(FileNotFoundError, match="data_dir argument"):
        find_data_dir(tmp_path)


def test_half_a_dataset_is_not_a_dataset(monkeypatch, tmp_path):
    monkeypatch.delenv("DNN_DATA_DIR", raising=False)
    repo = tmp_path / "repo"
    repo.mkdir()
    monkeypatch.setattr(data, "REPO_DATA_DIR", repo)
    (repo / data.TRAIN_FILE).write_bytes(b"x")
    with pytest.raises(FileNotFoundError):
        find_data_dir()
    (repo / data.TEST_FILE).write_bytes(b"x")
    assert find_data_dir() == repo


def test_missing_files_say_how_to_restore_them(monkeypatch, tmp_path):
    monkeypatch.delenv("DNN_DATA_DIR", raising=False)
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / data.TRAIN_FILE).write_bytes(b"x")
    monkeypatch.setattr(data, "REPO_DATA_DIR", repo)
    with pytest.raises(FileNotFoundError) as err:
        load_data()
    message = str(err.value)
    assert str(repo) in message
    assert f"has {data.TRAIN_FILE} but not {data.TEST_FILE}" in message
    assert "git checkout datasets/" in message
    for needed in (data.TRAIN_FILE, data.TEST_FILE, "DNN_DATA_DIR", "README.md"):
        assert needed in message


def test_a_corrupt_repository_copy_says_git_checkout(monkeypatch, tmp_path):
    repo = tmp_path / "datasets"
    repo.mkdir()
    for name in (data.TRAIN_FILE, data.TEST_FILE):
        (repo / name).write_bytes((data.REPO_DATA_DIR / name).read_bytes())
    (repo / data.TEST_FILE).write_bytes(b"not the file")
    monkeypatch.setattr(data, "REPO_DATA_DIR", repo)
    monkeypatch.delenv("DNN_DATA_DIR", raising=False)
    with pytest.raises(DatasetError) as err:
        load_data()
    assert "corrupt" in str(err.value) and "git checkout datasets/" in str(err.value)


def test_empty_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="has neither file"):
        load_data(tmp_path)


# --- corrupt files ---------------------------------------------------------------------

def _copy_real(tmp_path):
    real = _real_dir()
    for name in (data.TRAIN_FILE, data.TEST_FILE):
        (tmp_path / name).write_bytes((real / name).read_bytes())
    return tmp_path


def test_truncated_file_is_reported_with_both_digests(tmp_path):
    folder = _copy_real(tmp_path)
    path = folder / data.TRAIN_FILE
    path.write_bytes(path.read_bytes()[:100_000])
    with pytest.raises(DatasetError) as err:
        load_data(folder)
    message = str(err.value)
    assert data.TRAIN_FILE in message and "corrupt" in message
    assert data.EXPECTED_SHA256[data.TRAIN_FILE] in message
    assert hashlib.sha256(path.read_bytes()).hexdigest() in message


def test_one_flipped_byte_is_reported(tmp_path):
    folder = _copy_real(tmp_path)
    path = folder / data.TEST_FILE
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    path.write_bytes(bytes(raw))
    with pytest.raises(DatasetError, match=rf"{re.escape(data.TEST_FILE)} .* is corrupt"):
        load_data(folder)


def test_truncated_file_without_checksum_gets_a_clear_error(tmp_path):
    folder = _copy_real(tmp_path)
    path = folder / data.TRAIN_FILE
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(DatasetError, match="not a readable HDF5 file"):
        load_data(folder, verify_checksum=False)


def _write_fake(folder, train=None, test=None):
    """Write a small well-formed dataset, with keys overridden by ``train``/``test``."""
    rng = np.random.RandomState(0)
    for name, prefix, m, over in (
        (data.TRAIN_FILE, "train", 6, train or {}),
        (data.TEST_FILE, "test", 4, test or {}),
    ):
        content = {
            f"{prefix}_set_x": rng.randint(0, 256, (m, 8, 8, 3)).astype(np.uint8),
            f"{prefix}_set_y": np.array([0, 1] * (m // 2), dtype=np.int64),
            "list_classes": np.array([b"non-cat", b"cat"]),
        }
        content.update(over)
        with h5py.File(folder / name, "w") as h:
            for key, value in content.items():
                if value is not None:
                    h[key] = value
    return folder


def test_well_formed_file_with_another_checksum_is_rejected(tmp_path):
    with pytest.raises(DatasetError, match="checksum does not match"):
        load_data(_write_fake(tmp_path))


def test_own_dataset_loads_without_checksum(tmp_path):
    train_x, train_y, test_x, test_y, classes = load_data(
        _write_fake(tmp_path), verify_checksum=False
    )
    assert classes.tolist() == [b"non-cat", b"cat"]
    assert train_x.shape == (6, 8, 8, 3) and train_y.shape == (1, 6)
    assert test_x.shape == (4, 8, 8, 3) and test_y.shape == (1, 4)


@pytest.mark.parametrize(
    "train, match",
    [
        ({"train_set_x": None}, r"lacks \['train_set_x'\]"),
        ({"list_classes": None}, r"lacks \['list_classes'\]"),
        ({"train_set_x": np.zeros((6, 8, 8), np.uint8)}, r"'train_set_x' has shape \(6, 8, 8\)"),
        ({"train_set_x": np.zeros((6, 8, 8, 3))}, "dtype float64"),
        ({"train_set_y": np.zeros(5, np.int64)}, r"'train_set_y' has shape \(5,\)"),
        ({"train_set_y": np.array([0, 1, 2, 0, 1, 2])}, r"labels \[0, 1, 2\]"),
        ({"list_classes": np.array([b"a", b"b", b"c"])}, "'list_classes' is"),
    ],
)
def test_wrong_content_is_named(tmp_path, train, match):
    _write_fake(tmp_path, train=train)
    with pytest.raises(DatasetError, match=match) as err:
        load_data(tmp_path, verify_checksum=False)
    assert data.TRAIN_FILE in str(err.value)


def test_train_and_test_image_sizes_must_agree(tmp_path):
    _write_fake(tmp_path, test={"test_set_x": np.zeros((4, 9, 9, 3), np.uint8)})
    with pytest.raises(DatasetError, match="same image size"):
        load_data(tmp_path, verify_checksum=False)


def test_wrong_keys_with_checksum_check_patched(monkeypatch, tmp_path):
    _write_fake(tmp_path, test={"test_set_y": None, "labels": np.zeros(4, np.int64)})
    monkeypatch.setattr(data, "EXPECTED_SHA256", {
        name: data.sha256_of(tmp_path / name) for name in (data.TRAIN_FILE, data.TEST_FILE)
    })
    with pytest.raises(DatasetError, match=r"test_catvnoncat.h5 .* lacks \['test_set_y'\]"):
        load_data(tmp_path)


# --- flatten_images and split_train_validation ----------------------------------------

def test_flatten_images_layout_and_range(cat_data):
    train_x = cat_data[0]
    X = flatten_images(train_x)
    assert X.shape == (12288, 209) and X.dtype == np.float64
    assert 0.0 <= X.min() and X.max() <= 1.0
    # column 3 is image 3, read row by row, pixel by pixel, R G B
    assert X[0, 3] == train_x[3, 0, 0, 0] / 255
    assert X[2, 3] == train_x[3, 0, 0, 2] / 255
    assert X[3 * 64, 3] == train_x[3, 1, 0, 0] / 255
    np.testing.assert_array_equal(X[:, 3].reshape(64, 64, 3) * 255, train_x[3])


@pytest.mark.parametrize(
    "images, error, match",
    [
        ([[1, 2]], TypeError, "expected a NumPy array"),
        (np.zeros((64, 64, 3), np.uint8), ValueError, r"shape \(64, 64, 3\)"),
        (np.zeros((2, 64, 64, 4), np.uint8), ValueError, "RGB"),
        (np.zeros((2, 4, 4, 3)), TypeError, "dtype float64, expected uint8"),
        (np.zeros((0, 4, 4, 3), np.uint8), ValueError, "no images"),
    ],
)
def test_flatten_images_rejects_bad_input(images, error, match):
    with pytest.raises(error, match=match):
        flatten_images(images)


def test_split_train_validation_is_a_seeded_partition():
    X = np.arange(3 * 10, dtype=float).reshape(3, 10)
    Y = (np.arange(10) % 2).reshape(1, 10)
    state = np.random.get_state()
    X_train, Y_train, X_val, Y_val = split_train_validation(X, Y, 0.3, seed=4)
    assert np.array_equal(np.random.get_state()[1], state[1])
    assert X_train.shape == (3, 7) and Y_train.shape == (1, 7)
    assert X_val.shape == (3, 3) and Y_val.shape == (1, 3)
    # every example exactly once, with its own label
    columns = np.concatenate([X_train, X_val], axis=1)
    assert sorted(columns[0].tolist()) == X[0].tolist()
    assert np.array_equal(np.concatenate([Y_train, Y_val], axis=1)[0], (columns[0] % 2))
    again = split_train_validation(X, Y, 0.3, seed=4)
    assert all(np.array_equal(a, b) for a, b in zip(again, (X_train, Y_train, X_val, Y_val)))
    other = split_train_validation(X, Y, 0.3, seed=5)
    assert not np.array_equal(other[2], X_val)


@pytest.mark.parametrize(
    "X, Y, fraction, match",
    [
        (np.zeros((3, 10)), np.zeros((1, 9)), 0.2, r"Y has shape \(1, 9\)"),
        (np.zeros(10), np.zeros((1, 10)), 0.2, "X has shape"),
        (np.zeros((3, 10)), np.zeros((1, 10)), 1.0, "strictly between 0 and 1"),
        (np.zeros((3, 10)), np.zeros((1, 10)), 0.01, "at least 1"),
    ],
)
def test_split_rejects_bad_input(X, Y, fraction, match):
    with pytest.raises(ValueError, match=match):
        split_train_validation(X, Y, fraction)


def test_unreadable_file_is_named(monkeypatch, tmp_path):
    folder = _write_fake(tmp_path)

    def refuse(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(data, "sha256_of", refuse)
    with pytest.raises(DatasetError, match="train_catvnoncat.h5 .* cannot be read"):
        load_data(folder)


def test_stratified_split_keeps_each_class_share():
    Y = np.array([[1] * 30 + [0] * 70])
    X = np.arange(100, dtype=float).reshape(1, 100)
    state = np.random.get_state()
    X_train, Y_train, X_val, Y_val = split_train_validation(X, Y, 0.2, seed=3, stratify=True)
    assert np.array_equal(np.random.get_state()[1], state[1])
    # round(0.2 * 30) = 6 cats and round(0.2 * 70) = 14 non-cats held out: 30% in both sets.
    assert Y_val.shape == (1, 20) and int(Y_val.sum()) == 6
    assert Y_train.shape == (1, 80) and int(Y_train.sum()) == 24
    # a partition, each example with its own label, in the order of X
    assert sorted(np.concatenate([X_train, X_val], axis=1)[0].tolist()) == X[0].tolist()
    assert np.array_equal(Y_val[0], (X_val[0] < 30).astype(int))
    assert np.all(np.diff(X_val[0]) > 0) and np.all(np.diff(X_train[0]) > 0)
    again = split_train_validation(X, Y, 0.2, seed=3, stratify=True)
    assert all(np.array_equal(a, b) for a, b in zip(again, (X_train, Y_train, X_val, Y_val)))
    assert not np.array_equal(split_train_validation(X, Y, 0.2, seed=4, stratify=True)[2], X_val)


def test_stratified_split_of_the_cat_data_matches_its_share(cat_data):
    train_x, train_y = flatten_images(cat_data[0]), cat_data[1]
    for seed in range(5):
        _, Y_train, _, Y_val = split_train_validation(train_x, train_y, 0.2, seed=seed,
                                                      stratify=True)
        assert abs(Y_val.mean() - train_y.mean()) < 0.02
        assert abs(Y_train.mean() - train_y.mean()) < 0.02


@pytest.mark.parametrize(
    "Y, stratify, error, match",
    [
        (np.array([[1, 0, 0, 0, 0]]), "yes", TypeError, "stratify is 'yes', expected True or False"),
        # 6 * 0.15 rounds to 1 example in all, but 3 * 0.15 rounds to 0 in each class
        (np.array([[1, 1, 1, 0, 0, 0]]), True, ValueError, "leaves one set empty"),
    ],
)
def test_stratified_split_rejects_bad_input(Y, stratify, error, match):
    with pytest.raises(error, match=match):
        split_train_validation(np.zeros((2, Y.shape[1])), Y, 0.15, stratify=stratify)
