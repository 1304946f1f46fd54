"""Safe file handling: atomic writes, and refusing what is not a regular file."""

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def write_atomically(path, write):
    """Call ``write(file)`` on a temporary file beside ``path``, then move it into place.

    The move is a single ``os.replace``, so ``path`` holds either the old content or
    the new one, never a mixture.

    Parameters
    ----------
    path : str or Path
        The file to create or replace; its folder must exist.
    write : callable
        Writes the content to the binary file object it is given.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private (0600); give it a normal file's permissions.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_bytes_atomically(path, data):
    """Replace ``path`` with the bytes ``data`` in one step (see :func:`write_atomically`)."""
    write_atomically(path, lambda handle: handle.write(data))


def require_regular_file(path, what, fix):
    """Raise unless ``path`` is an existing regular file, without opening it.

    A FIFO would block the first read forever and a device such as ``/dev/zero``
    never ends, so anything but a regular file is refused before it is opened.

    Parameters
    ----------
    path : pathlib.Path
    what : str
        What the file should be, for the message (e.g. "parameters file").
    fix : str
        The way out, added to the message.

    Raises
    ------
    FileNotFoundError, IsADirectoryError, ValueError
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise FileNotFoundError(
            f"{what} {path}: no such file (absolute: {path.absolute()}). {fix}"
        ) from None
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(f"{what} {path}: is a folder, expected a file. {fix}")
    if not stat.S_ISREG(mode):
        kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else
                "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else
                "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
        raise ValueError(
            f"{what} {path}: is {kind}, expected a regular file (reading it could block "
            f"or never end). {fix}"
        )
