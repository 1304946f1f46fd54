"""write_atomically: the old file survives a failed write; no temporary file is left."""

import os

import pytest

from dnn_utils.files import write_atomically


def test_write_atomically_keeps_the_old_file_when_writing_fails(tmp_path):
    target = tmp_path / "deep_params.npz"
    target.write_bytes(b"old")

    def failing(f):
        f.write(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, failing)
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["deep_params.npz"]
    write_atomically(target, lambda f: f.write(b"new"))
    assert target.read_bytes() == b"new"
    assert os.listdir(tmp_path) == ["deep_params.npz"]
