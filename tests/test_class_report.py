"""The class report and mistakes.csv: the class's top mistakes first, raised errors, unfinished
work and knock-ons apart, what was not graded and why, escaping, a page whose size grows with
the distinct mistakes only, and the page in headless Chromium."""

import csv
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from ci_skip import skip_or_fail

from dnn_utils.workbook.classroom.report import (
    class_summary,
    mistake_rows,
    not_graded_lines,
    write_mistakes,
    write_report,
)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
HOSTILE = "<script>alert(1)</script>"
DB = "linear_backward: db has shape (1, 4), expected (3, 1).\nHint: db sums dZ over the examples."


def _exercise(name, passed, mistake=None, feedback="passed", points=1, knock_on=None):
    exercise = {"name": name, "points": points if passed else 0, "max_points": points,
                "passed": passed, "feedback": feedback, "mistake": mistake}
    if knock_on:
        exercise["knock_on"] = knock_on
    return exercise


def _record(learner, exercises, notebook="02_building_your_deep_network", status="graded"):
    report = {"score": sum(e["points"] for e in exercises),
              "max_score": sum(e["max_points"] for e in exercises),
              "exercises": exercises, "notes": []}
    record = {"learner": learner, "notebook": notebook, "status": status,
              "key": {"sha256": "0" * 64}}
    if status == "graded":
        record["report"] = report
    else:
        record["error"] = "the grader crashed\nsecond line"
    return record


def made_up_class():
    """Six learners: db-axis made by three (one of whom also fails L_model_backward as its
    knock-on), not-implemented by one, a ValueError raised by one, one not graded."""
    return [
        _record("ann", [_exercise("linear_forward", True),
                        _exercise("linear_backward", False, "linear_backward/db-axis", DB),
                        _exercise("L_model_backward", False, "L_model_backward/other",
                                  "L_model_backward: grads['db1'] has the wrong values.",
                                  knock_on="linear_backward/db-axis")]),
        _record("bob", [_exercise("linear_forward", True),
                        _exercise("linear_backward", False, "linear_backward/db-axis", DB),
                        _exercise("L_model_backward", True)]),
        _record(HOSTILE, [_exercise("linear_forward", False, "linear_forward/not-implemented",
                                    "<b>not implemented</b>"),
                          _exercise("linear_backward", False, "linear_backward/db-axis",
                                    "=HYPERLINK(\"x\") " + HOSTILE),
                          _exercise("L_model_backward", True)]),
        _record("dan", [_exercise("linear_forward", True), _exercise("linear_backward", True),
                        _exercise("L_model_backward", False, "L_model_backward/raised-error",
                                  "L_model_backward raised ValueError: operands could not "
                                  "be broadcast\n    at line 3 of L_model_backward: ...")]),
        _record("eve", [], status="failed"),
    ]


# What the class folder walk set aside: dicts or objects with path, reason and learner.
SET_ASIDE = [{"path": "mallory/02_building_your_deep_network.ipynb", "learner": "mallory",
              "reason": "a link, not a file: refused"},
             SimpleNamespace(path=Path("notes.txt"), learner=None,
                             reason="a file beside the learners' folders: ignored")]


def test_mistakes_csv_has_one_row_per_failed_exercise_and_flags_knock_ons(tmp_path):
    path = tmp_path / "mistakes.csv"
    write_mistakes(made_up_class(), path)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert list(rows[0]) == ["learner", "notebook", "exercise", "mistake", "knock_on_of",
                             "exception", "message"]
    roots = [r for r in rows if not r["knock_on_of"]]
    assert Counter(r["mistake"] for r in roots) == {
        "linear_backward/db-axis": 3, "linear_forward/not-implemented": 1,
        "L_model_backward/raised-error": 1}
    # ann's single slip is counted once, at its root; its knock-on is flagged.
    (knock,) = [r for r in rows if r["knock_on_of"]]
    assert (knock["learner"], knock["exercise"], knock["knock_on_of"]) == (
        "ann", "L_model_backward", "linear_backward/db-axis")
    assert [r["exception"] for r in rows if r["exception"]] == ["ValueError"]
    # A message a spreadsheet would run as a formula is defused.
    assert any(r["message"].startswith("'=HYPERLINK") for r in rows)


def test_a_record_without_a_mistake_id_counts_as_other():
    record = _record("ann", [_exercise("compute_cost", False, None, "wrong")])
    assert mistake_rows([record])[1][3] == "compute_cost/other"


def first_table_after(page, heading):
    return re.search(rf'<h2 id="{heading}">.*?</table>', page, re.S)[0]


def test_the_report_opens_with_the_top_mistakes_and_sets_the_rest_apart(tmp_path):
    path = tmp_path / "class.html"
    write_report(made_up_class(), path, set_aside=SET_ASIDE)
    page = path.read_text(encoding="utf-8")
    # The first section is the class's top mistakes: db-axis only (the knock-on, the
    # unfinished exercise and the raised error are not mistakes of their own).
    assert page.index('<h2 id="top">') < min(page.index(f'<h2 id="{h}">') for h in
                                              ("raised", "unfinished", "knock-ons", "not-graded"))
    top = first_table_after(page, "top")
    assert re.findall(r'data-mistake="([^"]+)"', top) == ["linear_backward/db-axis"]
    row = re.search(r'data-mistake="linear_backward/db-axis">.*?</tr>', top, re.S)[0]
    assert '<td class="count">3</td>' in row and "75 %" in row  # 3 of the 4 graded
    assert "Hint: db sums dZ over the examples." in row
    links = re.findall(r'href="#(learner-\d+)"', row)
    assert len(links) == 3 and all(f'id="{anchor}"' in page for anchor in links)
    raised = first_table_after(page, "raised")
    assert 'data-exception="ValueError"' in raised and ">dan</a>" in raised
    assert 'data-mistake="linear_forward/not-implemented"' in first_table_after(page, "unfinished")
    knock = first_table_after(page, "knock-ons")
    assert 'data-exercise="L_model_backward" data-root="linear_backward/db-axis"' in knock
    assert ">ann</a>" in knock


def test_what_was_not_graded_is_named_with_why():
    summary = class_summary(made_up_class(), SET_ASIDE)
    assert [(r["learner"], r["why"]) for r in summary["without_score"]] == [
        ("eve", "the grader crashed")]
    assert "mallory" in [learner["name"] for learner in summary["learners"]]
    assert not_graded_lines(made_up_class(), SET_ASIDE) == [
        "without a score: eve/02_building_your_deep_network: the grader crashed",
        "not graded: mallory/02_building_your_deep_network.ipynb: a link, not a file: refused",
        "not graded: notes.txt: a file beside the learners' folders: ignored"]


def test_the_summary_says_who_is_without_a_score(tmp_path):
    path = tmp_path / "class.html"
    write_report(made_up_class(), path, set_aside=SET_ASIDE)
    page = path.read_text(encoding="utf-8")
    assert re.search(r'1 without a score \(<a href="#learner-\d+">eve</a>\)', page)
    assert "2 file(s) or folder(s) not graded" in page
    section = page[page.index('<h2 id="not-graded">'):]
    assert "the grader crashed" in section and "notes.txt</code>: a file beside" in section


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
    from dnn_utils.workbook.grading.grader import run_graded_test

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
    from dnn_utils.workbook.grading.grader import run_graded_test

    verdict = run_graded_test("update_parameters", _update_that_raises, graded)
    assert verdict["mistake"] == "update_parameters/raised-error", verdict
    # The type is the first line's, and the failure's detail for whoever counts them.
    assert verdict["feedback"].startswith("update_parameters raised ValueError: ")
    assert verdict["exception"] == "ValueError", verdict  # the report's and mistakes.csv's
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
    from dnn_utils.workbook.grading.grader import run_graded_test

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


# ------------------------------------------------------------------ the page's size


def synthetic_class(learners, exercises, distinct):
    """``learners`` learners of one notebook with ``exercises`` exercises; learner k makes
    the ``k % distinct``-th of ``distinct`` mistakes (a named one, an unnamed one, a raised
    error, unfinished work, ...), each a few times over the class."""
    kinds = [("db-axis", "Hint: sum over the examples."), ("other", "wrong values"),
             ("raised-error", "ex02 raised ValueError: shapes"), ("not-implemented", "todo")]
    records = []
    for k in range(learners):
        slip = k % distinct
        name = f"ex{slip:02d}"
        mistake, feedback = kinds[slip % len(kinds)]
        exercises_ = [_exercise(f"ex{i:02d}", i != slip, None if i != slip else
                                f"{name}/{mistake}", feedback) for i in range(exercises)]
        records.append(_record(f"learner{k:03d}", exercises_))
    return records


def page_height(page: Path, tmp_path: Path) -> int:
    """The rendered height of ``page`` in pixels, in headless Chromium 1280 px wide."""
    if CHROMIUM is None:
        skip_or_fail("chromium is not installed (Debian: apt-get install chromium)")
    probe = tmp_path / f"{page.stem}-probe.html"
    probe.write_text(page.read_text(encoding="utf-8").replace(
        "</body>", "<script>window.addEventListener('load', () => {document.body.setAttribute("
        "'data-height', document.documentElement.scrollHeight);});</script></body>"),
        encoding="utf-8")
    dumped = subprocess.run(
        [CHROMIUM, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
         f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,800",
         "--virtual-time-budget=5000", "--dump-dom", probe.as_uri()],
        capture_output=True, text=True, timeout=120)
    height = re.search(r'data-height="(\d+)"', dumped.stdout)
    assert height is not None, dumped.stderr[-2000:]
    return int(height[1])


def test_the_page_grows_with_the_distinct_mistakes_not_the_exercises(tmp_path):
    heights = {}
    for label, learners, exercises, distinct in [("small", 6, 10, 3), ("large", 60, 40, 3),
                                                 ("varied", 60, 40, 12)]:
        path = tmp_path / f"{label}.html"
        records = synthetic_class(learners, exercises, distinct)
        assert len(class_summary(records)["notebooks"][0]["failing"]) == distinct
        write_report(records, path)
        heights[label] = page_height(path, tmp_path)
    # Ten times the learners and four times the exercises, the same three mistakes: about
    # the same page. Four times the distinct mistakes: a longer page.
    assert heights["large"] <= 1.1 * heights["small"], heights
    assert heights["varied"] >= heights["large"] + 9 * 40, heights  # 9 more rows, twice
