"""Memory: what a training run needs, and what the machine has available.

Used to refuse, before anything large is allocated, a network or a file that
would not fit in memory (a learner's laptop should get an error, not a frozen
machine).
"""

import os

_FLOAT64 = 8  # bytes


def available_memory():
    """Bytes of memory available to a new allocation, or None when it cannot be read.

    Linux's ``MemAvailable`` (free memory plus what the kernel can reclaim) first,
    then ``os.sysconf("SC_AVPHYS_PAGES")`` (free pages), then half the physical
    memory (``SC_PHYS_PAGES``, e.g. on macOS).

    Returns
    -------
    int or None
    """
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        page = os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None
    for name, share in (("SC_AVPHYS_PAGES", 1), ("SC_PHYS_PAGES", 2)):
        try:
            pages = os.sysconf(name)
        except (ValueError, OSError):
            continue
        if pages > 0:
            return pages * page // share
    return None


def training_memory(layer_dims, m):
    """Bytes of float64 arrays one gradient-descent run holds at its peak.

    The data X (n[0], m); the parameters and two sets of gradients (an iteration's
    gradients are computed before the previous iteration's are freed); and for every
    layer l >= 1 four (n[l], m) arrays: Z and A kept in the cache, dZ and dA in the
    backward pass.

    Parameters
    ----------
    layer_dims : sequence of int, length L + 1
    m : int
        Number of training examples.

    Returns
    -------
    int
    """
    dims = [int(n) for n in layer_dims]
    parameters = sum(n * n_prev + n for n_prev, n in zip(dims, dims[1:]))
    activations = 4 * sum(dims[1:]) * m
    return _FLOAT64 * (dims[0] * m + 3 * parameters + activations)


def format_bytes(n):
    """``1536`` -> ``"1.5 KB"``: a size in B, KB, MB, GB or TB (powers of 1024)."""
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024:
            return f"{size:.3g} {unit}"
        size /= 1024
    return f"{size:.3g} TB"


def require_memory(needed, what, fix, available=None):
    """Raise ``MemoryError`` if ``needed`` bytes exceed the memory available.

    Parameters
    ----------
    needed : int
        Bytes the operation would allocate.
    what : str
        What needs them, for the message (e.g. "training layers [12288, 100000, 1]").
    fix : str
        The way out, added to the message.
    available : int, optional
        The limit in bytes; by default :func:`available_memory` (no check when that
        cannot be read).
    """
    limit = available_memory() if available is None else available
    if limit is not None and needed > limit:
        raise MemoryError(
            f"{what} needs about {format_bytes(needed)} of memory, more than the "
            f"{format_bytes(limit)} available on this machine. {fix}"
        )
