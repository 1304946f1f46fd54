"""Shared fixtures: the real dataset (loaded once) and headless matplotlib."""

import matplotlib
import pytest
from ci_skip import skip_or_fail

matplotlib.use("Agg")


@pytest.fixture(scope="session")
def cat_data():
    """``load_data()`` on the real files: (train_x_orig, train_y, test_x_orig, test_y, classes)."""
    from dnn_utils.data import load_data

    return load_data()


def pytest_collection_modifyitems(items):
    """Every notebook check (nbval re-runs a whole notebook) counts as slow."""
    for item in items:
        if str(item.fspath).endswith(".ipynb"):
            item.add_marker(pytest.mark.slow)


def pytest_runtest_setup(item):
    """Skip a sandbox test without bubblewrap, naming how to install it; in CI, fail it."""
    if item.get_closest_marker("needs_bwrap") is None:
        return
    from dnn_utils.workbook.sandbox import find_bwrap

    if find_bwrap() is not None:
        return
    reason = ("needs bubblewrap, the grader's sandbox, which is not installed "
              "(Debian/Ubuntu: sudo apt-get install bubblewrap; Fedora: sudo dnf install "
              "bubblewrap)")
    skip_or_fail(reason)
