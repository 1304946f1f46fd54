"""Shared fixtures: the real dataset (loaded once), graded classes (the small one graded
once per run, see shared_class.py), headless matplotlib; one BLAS thread per core under
xdist."""

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
def graded_class(tmp_path_factory):
    """One made-up class of notebook 02 graded two at a time, shared by every test that needs
    a graded class: honest, partly wrong, a grader killer, a vandal and a learner with a
    single slip in a block others call. ``(root, made, hashes, result)``: the folder, what
    :func:`sample_class.make_class` made, each notebook's SHA-256 before grading, and what
    :func:`~dnn_utils.workbook.classroom.batch.grade_class` returned. A test may grade the folder
    again (resumption) but reads the first grading from ``result`` only."""
    from sample_class import make_class

    from dnn_utils.workbook.classroom.batch import Settings, file_sha256, grade_class

    root = tmp_path_factory.mktemp("class")
    made = make_class(root / "submissions",
                      ["honest", "partly_wrong", "killer", "vandal", "single_slip"], seed=4)
    hashes = {learner: file_sha256(m["path"]) for learner, m in made.items()}
    result = grade_class(root / "submissions", root / "gradebook.csv", root,
                         jobs=2, settings=Settings(timeout=120, limit=600, sandbox=False),
                         progress=False)
    return root, made, hashes, result


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
def small_graded_class(tmp_path_factory):
    """Four made-up submissions of notebook 02 (honest, partly wrong, empty, crasher),
    graded sandboxed on one machine: the outputs sharded and cluster runs must reproduce.
    Graded once per run, also under xdist (tests/shared_class.py). Read-only.

    Returns ``{"subs": SUBMISSIONS_DIR, "one": its output folder (gradebook.csv,
    mistakes.csv, feedback/, .results/), "made": make_class's answer, "settings": the
    Settings it was graded with}``.
    """
    from shared_class import small_graded_class

    return small_graded_class(tmp_path_factory)


def pytest_collection_modifyitems(items):
    """Every notebook check (nbval re-runs a whole notebook) counts as slow."""
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)


def pytest_runtest_setup(item):
    """Skip a sandbox test without bubblewrap, naming how to install it; in CI, fail it."""
    if item.get_closest_marker("needs_bwrap") is None:
        return
    from dnn_utils.workbook.sandbox.session import find_bwrap

    if find_bwrap() is not None:
        return
    reason = ("needs bubblewrap, the grader's sandbox, which is not installed "
              "(Debian/Ubuntu: sudo apt-get install bubblewrap; Fedora: sudo dnf install "
              "bubblewrap)")
    skip_or_fail(reason)
