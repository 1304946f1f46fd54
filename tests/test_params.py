"""Parameter files: what is checked before anything is loaded (issue 12)."""

import io
import zipfile

import numpy as np
import pytest
from numpy.lib import format as npy_format

from dnn_utils import initialize_parameters_deep
from dnn_utils.params import ParamsFileError, check_archive, load_parameters, save_parameters

CLASSES = np.array([b"non-cat", b"cat"])


def _npy_bytes(header, data=b""):
    """A .npy member: the magic, a header dict, then ``data``."""
    buffer = io.BytesIO()
    npy_format.write_array_header_1_0(buffer, header)
    return buffer.getvalue() + data


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "p.npz"
    save_parameters(path, initialize_parameters_deep([12288, 4, 1], seed=2), [12288, 4, 1],
                    CLASSES)
    return path


def test_a_good_file_passes_the_archive_check(saved):
    check_archive(saved)
    parameters, dims, _ = load_parameters(saved)
    assert dims == [12288, 4, 1] and parameters["W1"].shape == (4, 12288)


def test_a_header_declaring_a_huge_array_is_refused_before_loading(saved, tmp_path):
    forged = tmp_path / "forged.npz"
    with zipfile.ZipFile(saved) as good, zipfile.ZipFile(forged, "w") as out:
        for name in good.namelist():
            out.writestr(name, good.read(name))
        header = {"descr": "<f8", "fortran_order": False, "shape": (10**6, 10**6)}
        out.writestr("W9.npy", _npy_bytes(header, b"\0" * 64))
    with pytest.raises(ParamsFileError) as info:
        load_parameters(forged)
    message = str(info.value)
    assert "W9 declares shape (1000000, 1000000) of float64 (7.28 TB)" in message
    assert "holds 64 B" in message and "Fix:" in message


def test_an_archive_that_inflates_beyond_the_memory_is_refused(tmp_path):
    path = tmp_path / "bomb.npz"
    zeros = np.zeros(2**20)  # 8 MB of zeros: a few kB compressed
    np.savez_compressed(path, W1=zeros)
    assert path.stat().st_size < 100_000
    with pytest.raises(ParamsFileError, match=r"inflates to 8 MB when loaded, more than the "
                                              r"1 MB of memory available"):
        check_archive(path, available=2**20)


@pytest.mark.parametrize(
    ("member", "data", "words"),
    [
        ("notes.txt", b"hello", "'notes.txt', which is not a NumPy array"),
        ("W1.npy", _npy_bytes({"descr": "|O", "fortran_order": False, "shape": (2,)}),
         "Python objects"),
        ("W1.npy", b"\x93NUMPY\x07\x00junk", "no valid array header"),
    ],
)
def test_other_members_are_refused(tmp_path, member, data, words):
    path = tmp_path / "odd.npz"
    with zipfile.ZipFile(path, "w") as out:
        out.writestr(member, data)
    with pytest.raises(ParamsFileError, match=words):
        load_parameters(path)


def test_a_device_is_refused_without_reading_it():
    with pytest.raises(ParamsFileError, match=r"/dev/zero: is a device, expected a regular"):
        load_parameters("/dev/zero")
