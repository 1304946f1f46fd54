"""The class report and mistakes.csv: counts, escaping, and the page in headless Chromium."""

import csv
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from ci_skip import skip_or_fail

from dnn_utils.workbook.class_report import mistake_rows, write_mistakes, write_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
HOSTILE = "<script>alert(1)</script>"


def _exercise(name, passed, mistake=None, feedback="passed", points=1):
    return {"name": name, "points": points if passed else 0, "max_points": points,
            "passed": passed, "feedback": feedback, "mistake": mistake}


def _record(learner, exercises, notebook="02_building_your_deep_network", status="graded"):
    report = {"score": sum(e["points"] for e in exercises),
              "max_score": sum(e["max_points"] for e in exercises),
              "exercises": exercises, "notes": []}
    record = {"learner": learner, "notebook": notebook, "status": status,
              "key": {"sha256": "0" * 64}}
    if status == "graded":
        record["report"] = report
    else:
        record["error"] = "the grader crashed"
    return record


def made_up_class():
    """Five learners; db-axis made by three, not-implemented by one, one not graded."""
    db = "linear_backward: db has shape (1, 4), expected (3, 1)."
    return [
        _record("ann", [_exercise("linear_forward", True),
                        _exercise("linear_backward", False, "linear_backward/db-axis", db)]),
        _record("bob", [_exercise("linear_forward", True),
                        _exercise("linear_backward", False, "linear_backward/db-axis", db)]),
        _record(HOSTILE, [_exercise("linear_forward", False, "linear_forward/not-implemented",
                                    "<b>not implemented</b>"),
                          _exercise("linear_backward", False, "linear_backward/db-axis",
                                    "=HYPERLINK(\"x\") " + HOSTILE)]),
        _record("dan", [_exercise("linear_forward", True), _exercise("linear_backward", True)]),
        _record("eve", [], status="failed"),
    ]


def test_mistakes_csv_has_one_row_per_failed_exercise(tmp_path):
    path = tmp_path / "mistakes.csv"
    write_mistakes(made_up_class(), path)
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert rows[0] == ["learner", "notebook", "exercise", "mistake", "message"]
    assert Counter(r[3] for r in rows[1:]) == {"linear_backward/db-axis": 3,
                                               "linear_forward/not-implemented": 1}
    # A message a spreadsheet would run as a formula is defused.
    assert any(r[4].startswith("'=HYPERLINK") for r in rows[1:])


def test_a_record_without_a_mistake_id_counts_as_other():
    record = _record("ann", [_exercise("compute_cost", False, None, "wrong")])
    assert mistake_rows([record])[1][3] == "compute_cost/other"


def test_report_counts_shares_and_links_every_learner(tmp_path):
    path = tmp_path / "class.html"
    write_report(made_up_class(), path)
    page = path.read_text(encoding="utf-8")
    row = re.search(r'data-mistake="linear_backward/db-axis">.*?</tr>', page, re.S)[0]
    assert '<td class="count">3</td>' in row
    assert "75 %" in row  # 3 of the 4 graded submissions
    links = re.findall(r'href="#(learner-\d+)"', row)
    assert len(links) == 3
    for anchor in links:
        assert f'id="{anchor}"' in page
    assert "1 without a score" in page


def test_no_learner_text_reaches_the_page_unescaped(tmp_path):
    path = tmp_path / "class.html"
    write_report(made_up_class(), path)
    page = path.read_text(encoding="utf-8")
    assert "<script" not in page
    assert "<b>not implemented</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def check_in_chromium(page: Path, tmp_path: Path) -> None:
    """Load ``page`` in headless Chromium: no console error, every image decoded."""
    if CHROMIUM is None:
        skip_or_fail("chromium is not installed (Debian: apt-get install chromium)")
    flags = [CHROMIUM, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
             f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=5000"]
    logged = subprocess.run(flags + ["--enable-logging=stderr", "--v=0", "--dump-dom",
                                     page.as_uri()],
                            capture_output=True, text=True, timeout=120)
    assert "<h1>" in logged.stdout, logged.stderr[-2000:]
    console = [line for line in logged.stderr.splitlines() if "CONSOLE" in line]
    assert console == [], console
    # A copy with a probe that writes each image's decoded width into the DOM.
    probe = tmp_path / "probe.html"
    probe.write_text(page.read_text(encoding="utf-8").replace(
        "</body>", "<script>window.addEventListener('load', () => {"
        "document.body.setAttribute('data-widths', Array.from(document.images)"
        ".map(i => i.complete ? i.naturalWidth : -1).join(','));});</script></body>"),
        encoding="utf-8")
    dumped = subprocess.run(flags + ["--dump-dom", probe.as_uri()], capture_output=True,
                            text=True, timeout=120)
    widths = re.search(r'data-widths="([^"]*)"', dumped.stdout)
    assert widths is not None, dumped.stderr[-2000:]
    values = [int(w) for w in widths[1].split(",")]
    assert len(values) == page.read_text(encoding="utf-8").count("<img ")
    assert values and all(w > 0 for w in values), values


def test_the_page_loads_in_chromium_with_every_plot(tmp_path):
    path = tmp_path / "class.html"
    write_report(made_up_class(), path)
    check_in_chromium(path, tmp_path)


def test_the_chromium_check_fails_on_a_broken_image(tmp_path):
    # The browser check can fail: a page with an image that does not decode is caught.
    path = tmp_path / "class.html"
    write_report(made_up_class(), path)
    broken = path.read_text(encoding="utf-8").replace("base64,iVBOR", "base64,AAAA", 1)
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(AssertionError):
        check_in_chromium(path, tmp_path)


# ------------------------------------------------------------------ mistake ids


def _linear_backward_with_db_over_rows(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    return W.T @ dZ, dZ @ A_prev.T / m, np.sum(dZ, axis=0, keepdims=True) / m


@pytest.mark.parametrize("name, target, expected", [
    ("linear_backward", _linear_backward_with_db_over_rows, "linear_backward/db-axis"),
    ("linear_forward", lambda A, W, b: (W @ A, (A, W, b)), "linear_forward/missing-bias"),
    ("compute_cost", lambda AL, Y: float(-np.sum(Y * np.log(AL)) / Y.shape[1]),
     "compute_cost/missing-second-term"),
    ("compute_cost", lambda AL, Y: float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))),
     "compute_cost/missing-1-over-m"),
    ("compute_cost", lambda AL, Y: 0.123, "compute_cost/other"),
    ("linear_forward", lambda A, W, b: (_ for _ in ()).throw(NotImplementedError()),
     "linear_forward/not-implemented"),
])
def test_the_grader_reports_the_graded_tests_mistake_id(name, target, expected):
    from dnn_utils import graded
    from dnn_utils.workbook.grader import run_graded_test

    verdict = run_graded_test(name, target, graded)
    assert verdict["passed"] is False and verdict["mistake"] == expected, verdict


def _update_that_raises(parameters, grads, learning_rate):
    L = len(parameters) // 2
    new = {}
    for l in range(1, L + 1):
        new["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)].T
        new["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return new


def test_a_function_that_raises_is_a_raised_error_with_its_type():
    from dnn_utils import graded
    from dnn_utils.graded.failure import GradedTestFailure
    from dnn_utils.workbook.grader import run_graded_test

    verdict = run_graded_test("update_parameters", _update_that_raises, graded)
    assert verdict["mistake"] == "update_parameters/raised-error", verdict
    # The type is the first line's, and the failure's detail for whoever counts them.
    assert verdict["feedback"].startswith("update_parameters raised ValueError: ")
    with pytest.raises(GradedTestFailure) as failure:
        graded.update_parameters_test(_update_that_raises)
    assert failure.value.mistake == "raised-error" and failure.value.detail == "ValueError"


@pytest.mark.parametrize("name, target, expected", [
    ("update_parameters", lambda parameters, learning_rate, grads: {},
     "update_parameters/arguments-order"),
    ("linear_backward", lambda dZ, cache: (lambda r: (r[1], r[2], r[0]))(
        __import__("dnn_utils").linear_backward(dZ, cache)), "linear_backward/results-order"),
    ("linear_forward", lambda A, W, b: "Z", "linear_forward/not-a-tuple"),
])
def test_the_machinerys_failures_have_ids_of_their_own(name, target, expected):
    # "other" is left for a wrong result no named mistake matched.
    from dnn_utils import graded
    from dnn_utils.workbook.grader import run_graded_test

    assert run_graded_test(name, target, graded)["mistake"] == expected


def test_a_wrong_entry_names_its_mistake_in_one_line():
    from dnn_utils.graded.comparing import expect_array
    from dnn_utils.graded.failure import GradedTestFailure, named

    expected = np.ones((2, 1))
    for wrong in ([(2 * expected, "doubled", "you doubled it.")],
                  [(2 * expected, named("doubled", "you doubled it."))]):
        with pytest.raises(GradedTestFailure, match="Hint: you doubled it.") as failure:
            expect_array("f", "x", 2 * expected, expected, wrong=wrong)
        assert failure.value.mistake == "doubled"
    with pytest.raises(GradedTestFailure) as failure:
        expect_array("f", "x", 3 * expected, expected, wrong=wrong)
    assert failure.value.mistake is None
    with pytest.raises(ValueError, match="mistake id must be words"):
        named("db keepdims", "a hint")
