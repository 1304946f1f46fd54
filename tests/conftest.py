"""Shared fixtures: the real dataset (loaded once), a graded class, headless matplotlib."""

import matplotlib
import pytest
from ci_skip import skip_or_fail

matplotlib.use("Agg")


@pytest.fixture(scope="session")
def graded_class(tmp_path_factory):
    """One made-up class of notebook 02 graded two at a time, shared by every test that needs
    a graded class: honest, partly wrong, a grader killer, a vandal and a learner with a
    single slip in a block others call. ``(root, made, hashes, result)``: the folder, what
    :func:`sample_class.make_class` made, each notebook's SHA-256 before grading, and what
    :func:`~dnn_utils.workbook.batch.grade_class` returned. A test may grade the folder
    again (resumption) but reads the first grading from ``result`` only."""
    from sample_class import make_class

    from dnn_utils.workbook.batch import Settings, file_sha256, grade_class

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


@pytest.fixture(scope="session")
def small_graded_class(tmp_path_factory):
    """Four made-up submissions of notebook 02 (honest, partly wrong, empty, crasher),
    graded sandboxed on one machine: the outputs sharded and cluster runs must reproduce.

    Returns ``{"subs": SUBMISSIONS_DIR, "one": its output folder (gradebook.csv,
    mistakes.csv, feedback/, .results/), "made": make_class's answer, "settings": the
    Settings it was graded with}``.
    """
    from sample_class import make_class

    from dnn_utils.workbook.__main__ import main
    from dnn_utils.workbook.batch import Settings

    root = tmp_path_factory.mktemp("small-class")
    made = make_class(root / "subs", ["honest", "partly_wrong", "empty", "crasher"], seed=3)
    settings = Settings(timeout=120, limit=600)
    # The one-machine command of docs/GRADING.md.
    assert main(["grade", str(root / "subs"), "--out", str(root / "one"), "--jobs", "2",
                 "--timeout", "120", "--limit", "600"]) == 0
    return {"subs": root / "subs", "one": root / "one", "made": made, "settings": settings}


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
