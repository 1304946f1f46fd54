"""Issue 27: a hostile learner against the trusted code around the sandbox.

Each attack got marks it did not earn, a traceback instead of a report, or gigabytes of
the grader's own memory; each test grades an attack notebook (:mod:`attack_kit`: small
notebooks, graded in the bubblewrap sandbox, no process left behind) and checks the score
it deserves, and that a report comes back. The class-folder attacks (links, FIFOs, a
notebook under another's name) are in ``tests/test_class_folder.py`` and
``tests/test_batch.py``; the decoder's fuzz test in ``tests/test_wire_fuzz.py``.
"""

import os
import subprocess
import sys
import tempfile
import textwrap

import pytest
from attack_kit import SOLUTIONS, empty_notebook, grading, points, solved_notebook
from ci_skip import skip_or_fail

from dnn_utils.workbook.authoring.conventions import is_exercise_cell

NB02, NB03 = "02_building_your_deep_network", "03_cat_classifier_application"
POINTS02, POINTS03 = points(NB02), points(NB03)

pytestmark = [pytest.mark.slow, pytest.mark.needs_bwrap]


@pytest.fixture
def graded(tmp_path, monkeypatch):
    return grading(tmp_path, monkeypatch)


def exercise_cell(nb, name):
    """The exercise cell of ``name`` in ``nb``."""
    return next(c for c in nb.cells if is_exercise_cell(c)
                and c.metadata["nbgrader"]["grade_id"] == f"{name}_solution")


def feedback_of(report, name):
    return {e["name"]: e["feedback"] for e in report["exercises"]}[name]


# ------------------------------------------------------------- forged protocol frames


FORGED_ANSWER = textwrap.dedent('''
    import struct
    import dnn_utils.workbook.sandbox.kernel_call as kernel_call

    def serve(namespace, request_path, response_path):
        header = b'{"status": "value", "buffers": [], "value": ' + b"1" * 5000 + b"}"
        with open(response_path, "wb") as file:
            file.write(b"DNNW" + struct.pack(">I", len(header)) + header)

    kernel_call.serve = serve
''')


def test_a_5000_digit_integer_in_an_answer_is_a_failed_exercise_with_a_note(graded):
    # It raised Python's int-digit ValueError out of grade(): no report at all.
    report = graded(solved_notebook([FORGED_ANSWER]))
    assert (report["score"], report["max_score"]) == (0, sum(POINTS02.values()))
    first = report["exercises"][0]["feedback"]
    assert "the sandbox sent a malformed answer (the message header is not valid JSON" in first
    assert any(note.startswith("grading stopped early") for note in report["notes"])


# ------------------------------------------------- the package's helpers as exercises


def test_loops_written_with_the_packages_training_helpers_get_zero(graded):
    # models.train (what the reference two_layer_model delegates to) and
    # experiments.train_with_history (a wrapper of L_layer_model) each scored full marks.
    wrappers = textwrap.dedent('''
        from dnn_utils import initialize_parameters
        from dnn_utils.experiments import train_with_history
        from dnn_utils.models import train

        def two_layer_model(X, Y, layer_dims, learning_rate=0.0075, num_iterations=3000,
                            print_cost=False):
            return train(X, Y, initialize_parameters(*layer_dims), learning_rate,
                         num_iterations, print_cost=print_cost)

        def L_layer_model(X, Y, layer_dims, learning_rate=0.0075, num_iterations=3000,
                          print_cost=False):
            parameters, history = train_with_history(X, Y, X, Y, layer_dims, learning_rate,
                                                     num_iterations)
            return parameters, history["cost"]
    ''')
    report = graded(empty_notebook([wrappers], stem=NB03))
    assert (report["score"], report["max_score"]) == (0, sum(POINTS03.values())), report
    for name in POINTS03:
        assert "it uses the package's reference instead of your own code" in \
            feedback_of(report, name), name


def test_the_honest_loops_keep_their_marks_with_the_blocks_of_notebook_02(graded):
    report = graded(solved_notebook(stem=NB03))
    assert (report["score"], report["max_score"]) == (sum(POINTS03.values()),) * 2, report


def test_an_update_through_update_in_place_gets_zero_and_the_rest_keeps_its_marks(graded):
    # With the default limits, derived from the solution notebook's measured times.
    cheat = textwrap.dedent('''
        from dnn_utils.models import update_in_place

        def update_parameters(parameters, grads, learning_rate):
            steps = {"d" + key: learning_rate * grads["d" + key] for key in parameters}
            return update_in_place({k: v.copy() for k, v in parameters.items()}, steps)
    ''')
    report = graded(solved_notebook([cheat]), timeout=None, overall_timeout=None)
    total = sum(POINTS02.values())
    assert (report["score"], report["max_score"]) == (total - POINTS02["update_parameters"],
                                                      total), report
    assert "uses the package's reference" in feedback_of(report, "update_parameters")
    limits = report["limits"]
    assert limits["basis"].startswith("20 x the solution's measured CPU times"), limits
    assert limits["timeout"] < 1500 and limits["overall_timeout"] < 3600, limits


# ------------------------------------------------------------------ memory, host paths


HOLD_TOGETHER = textwrap.dedent('''
    import os, select, time

    readers, children = [], []
    for _ in range(3):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            block = bytes([1]) * (1536 * 1024 ** 2)  # 1.5 GB, every page written
            os.write(write_end, b"x")
            time.sleep(120)
            os._exit(0)
        os.close(write_end)
        readers.append(read_end)
        children.append(pid)
    waiting, deadline = list(readers), time.monotonic() + 90
    while waiting and time.monotonic() < deadline:
        ready, _, _ = select.select(waiting, [], [], 1)
        for fd in ready:
            os.read(fd, 1)  # b"x" when the child holds its block, b"" when it was killed
            waiting.remove(fd)
    time.sleep(2)
    alive = sum(os.waitpid(pid, os.WNOHANG) == (0, 0) for pid in children)
    for pid in children:
        try:
            os.kill(pid, 9)
        except ProcessLookupError:
            pass
    raise RuntimeError(f"{alive} of 3 children of 1.5 GB held their memory together")
''')


def test_three_children_of_1_5_gb_cannot_hold_4_5_gb_together(graded):
    nb = empty_notebook()
    exercise_cell(nb, "linear_forward").source = HOLD_TOGETHER
    report = graded(nb, timeout=120)
    if any("total memory was not capped" in note for note in report["notes"]):
        skip_or_fail("no memory cgroup can be created on this machine (the grader says so "
                     "in its notes); the sandbox's total memory is then not capped")
    assert report["score"] == 0
    feedback = feedback_of(report, "linear_forward")
    held = int(feedback.split("RuntimeError: ")[1].split(" of 3")[0])
    assert held < 3, feedback
    assert any("reached the sandbox's memory limit of 3 GB" in n for n in report["notes"]), \
        report["notes"]


LEAK = textwrap.dedent('''
    import glob, os, sys

    def linear_forward(A, W, b):
        roots = " ".join(line.split()[3] for line in open("/proc/self/mountinfo"))
        pth = " ".join(open(p).read() for p in glob.glob(
            os.path.join(sys.prefix, "lib", "python*", "site-packages", "*.pth")))
        raise ValueError(" | ".join([roots, sys.prefix, sys.base_prefix,
                                     os.path.realpath(sys.executable), repr(sys.path), pth,
                                     os.uname().nodename]))
''')


def host_paths():
    """Paths of this machine a learner must not read in feedback."""
    import dnn_utils

    found = {sys.prefix, os.path.realpath(sys.executable),
             os.path.dirname(os.path.dirname(os.path.abspath(dnn_utils.__file__))),
             os.path.join(tempfile.gettempdir(), "dnn-workbook-grade-"), os.uname().nodename}
    if sys.base_prefix not in ("/usr", "/usr/local"):
        found.add(sys.base_prefix)
    return found


NETWORK = textwrap.dedent('''
    import socket
    try:
        socket.create_connection(("1.1.1.1", 53), timeout=3).close()
        outcome = "reached the network"
    except OSError as error:
        outcome = f"no network ({type(error).__name__})"
    raise RuntimeError(outcome)
''')


def test_feedback_quoting_the_mount_table_shows_no_host_path(graded):
    nb = empty_notebook([LEAK])
    exercise_cell(nb, "compute_cost").source = (
        "raise ValueError(open('/proc/self/mountinfo').read()[:450])")
    exercise_cell(nb, "initialize_parameters").source = NETWORK
    report = graded(nb)
    assert "its exercise cell raised RuntimeError: no network (" in feedback_of(
        report, "initialize_parameters")
    leaked = feedback_of(report, "linear_forward")
    crashed = feedback_of(report, "compute_cost")
    assert "<python>" in leaked and "/opt/dnn_workbook" in leaked, leaked  # it got through
    assert "its exercise cell raised ValueError" in crashed, crashed
    for text in [leaked, crashed, *report["notes"]]:
        for path in host_paths():
            assert path not in text, (path, text)


# ------------------------------------------------------------- the grader's own memory


def test_a_notebook_of_15_million_empty_lists_is_refused_in_bounded_memory(tmp_path):
    # 62 MB of valid JSON: the grader peaked at 3.48 GB parsing it.
    path = tmp_path / f"{NB02}.ipynb"
    with open(path, "w", encoding="utf-8") as file:
        file.write('{"cells": [{"cell_type": "code", "execution_count": null, "id": "a", '
                   '"metadata": {"x": [')
        file.write("[], " * 15_499_999 + "[]")
        file.write(']}, "outputs": [], "source": ""}], "metadata": {"dnn_workbook": '
                   f'{{"notebook": "{NB02}"}}}}, "nbformat": 4, "nbformat_minor": 5}}')
    code = ("import resource, sys\n"
            "from dnn_utils.workbook.__main__ import main\n"
            f"status = main(['grade', {str(path)!r}, '--solutions', {str(SOLUTIONS)!r}])\n"
            "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "print('peak', peak, 'status', status, file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)
    peak_kb = int(done.stderr.split("peak ")[1].split()[0])
    assert peak_kb < 1.2 * 1024 ** 2, f"the grader peaked at {peak_kb / 1024:.0f} MB"
    assert "status 1" in done.stderr
    assert f"{path} holds about 31,000,0" in done.stderr
    assert "more than a notebook of this workbook can (at most 1,000,000" in done.stderr
    assert "Traceback" not in done.stderr
