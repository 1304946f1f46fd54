"""One rule for a test whose tool is missing: skip on a learner's machine, fail in CI.

A fresh machine may lack bubblewrap, Slurm, chromium or the instructor extra; there those
tests skip with a reason that says how to install what is missing. CI (``CI`` set, as
``.ci/run`` does) installs all of them, so there a skip would hide an untested path: it fails.
"""

import os

import pytest


def in_ci() -> bool:
    """True when the ``CI`` environment variable is set (and not "0" or "false")."""
    return os.environ.get("CI", "").lower() not in ("", "0", "false")


def skip_or_fail(reason: str, *, module: bool = False) -> None:
    """Skip with ``reason`` (the whole module when ``module``); in CI, fail instead."""
    if in_ci():
        pytest.fail(f"{reason}. CI must run this test: .ci/run installs and starts what it "
                    "needs.", pytrace=False)
    pytest.skip(reason, allow_module_level=module)
