"""Shared fixtures: the real dataset (loaded once) and headless matplotlib."""

import matplotlib
import pytest

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
