"""Writing files so that an interrupted run never leaves half a file behind."""

import contextlib
import os
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
