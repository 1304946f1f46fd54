"""Shared fixtures: the real dataset (loaded once), a graded sample class (graded once per
run, see shared_class.py) and headless matplotlib; one BLAS thread per core under xdist."""

import os
import shutil
from pathlib import Path

import matplotlib
import pytest
from ci_skip import skip_or_fail

matplotlib.use("Agg")

REPO = Path(__file__).resolve().parents[1]
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def pytest_configure(config):
    """Under pytest-xdist, share the cores between the workers' BLAS threads.

    Each worker (and each kernel it starts) would otherwise start one BLAS thread per
    core: two workers on two cores then run four, and OpenBLAS's threads, which wait by
    spinning, slow each other down (twice as slow on a busy 2-core machine). The
    variables are set before the workers start; one set by the user is kept. Thread
    counts cannot change a stored output: tests/test_portability.py checks that, and
    .ci/run checks the notebooks again with other thread counts.
    """
    workers = len(getattr(config.option, "tx", None) or ())  # xdist's, once resolved
    if workers > 1 and "PYTEST_XDIST_WORKER" not in os.environ:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
            os.cpu_count() or 1)
        for variable in BLAS_THREADS:
            os.environ.setdefault(variable, str(max(1, cores // workers)))


@pytest.fixture(scope="session")
def cat_data():
    """``load_data()`` on the real files: (train_x_orig, train_y, test_x_orig, test_y, classes)."""
    from dnn_utils.data import load_data

    return load_data()


@pytest.fixture
def repo_copy(tmp_path):
    """A copy of the repository in ``tmp_path/repo``, without what is not its content: git,
    virtual environments (CI's is .ci/venv, some 800 MB), caches and build metadata."""
    copy = tmp_path / "repo"
    shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(
        ".git", ".venv", "venv", "__pycache__", "*.egg-info", ".pytest_cache"))
    return copy


@pytest.fixture(scope="session")
def sample_class(tmp_path_factory):
    """The shared made-up class (one submission of each kind, tests/shared_class.py), made
    once per run: (submissions folder, ``make_class``'s dict). Read-only."""
    from shared_class import make_shared_class

    return make_shared_class(tmp_path_factory)


@pytest.fixture(scope="session")
def sample_class_graded(tmp_path_factory, sample_class):
    """``sample_class`` graded once per run on one machine, sandboxed (needs bubblewrap:
    mark the test ``needs_bwrap``). ``{"csv", "feedback", "counts"}``. Read-only."""
    from shared_class import grade_shared_class

    return grade_shared_class(tmp_path_factory, sample_class[0])


def pytest_collection_modifyitems(items):
    """Every notebook check (nbval re-runs a whole notebook) counts as slow."""
    for item in items:
        if item.path.suffix == ".ipynb":
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
