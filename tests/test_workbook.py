"""Tests of the workbook tool: learner edition release and the autograder.

The notebooks here are tiny workbooks built with nbformat in tmp_path; they are graded
with the real ``dnn_utils.graded`` tests. Each grading starts a kernel (~1-2 s).
"""

import json
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from dnn_utils.workbook import (
    KernelStartError,
    NotAWorkbookError,
    NotebookFormatError,
    OverwriteError,
    SolutionMarkerError,
    convention_problems,
    grade,
    strip_solutions,
)
from dnn_utils.workbook.__main__ import main
from dnn_utils.workbook.authoring.conventions import STUB_RAISE, YOUR_CODE_HERE, read_notebook
from dnn_utils.workbook.authoring.release import KERNELSPEC, release
from dnn_utils.workbook.grading.grader import format_report

REPO = Path(__file__).resolve().parents[1]
SOLUTIONS = REPO / "notebooks" / "solutions"

LINEAR_FORWARD = """\
def linear_forward(A, W, b):
    ### BEGIN SOLUTION
    Z = W @ A + b
    ### END SOLUTION
    cache = (A, W, b)
    return Z, cache"""

LINEAR_ACTIVATION_FORWARD = """\
def linear_activation_forward(A_prev, W, b, activation):
    ### BEGIN SOLUTION
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "sigmoid":
        A, activation_cache = sigmoid(Z)
    else:
        A, activation_cache = relu(Z)
    ### END SOLUTION
    return A, (linear_cache, activation_cache)"""

COMPUTE_COST = """\
def compute_cost(AL, Y):
    m = Y.shape[1]
    ### BEGIN SOLUTION
    cost = -np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m
    ### END SOLUTION
    return float(cost)"""

POINTS = {"linear_forward": 2, "linear_activation_forward": 3, "compute_cost": 1}
MAX_SCORE = sum(POINTS.values())
NOT_YET = "not implemented yet"


def exercise_cell(name, source):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"solution": True, "grade": False, "locked": False,
                                 "grade_id": f"{name}_solution", "schema_version": 3}
    return cell


def graded_cell(name):
    cell = new_code_cell(f"graded.{name}_test({name})")
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True,
                                 "grade_id": name, "points": POINTS[name], "schema_version": 3}
    return cell


def solution_notebook(stem="01_tiny", extra=(), replace=None):
    """A small solution workbook with three exercises; ``extra`` cells go before the last.

    ``replace`` maps an exercise name to the source to use instead of its solution.
    """
    replace = replace or {}
    sources = {"linear_forward": LINEAR_FORWARD,
               "linear_activation_forward": LINEAR_ACTIVATION_FORWARD,
               "compute_cost": COMPUTE_COST}
    imports = new_code_cell("import numpy as np\nfrom dnn_utils import graded, relu, sigmoid")
    imports.outputs = [new_output("stream", name="stdout", text="kept\n")]
    imports.execution_count = 1
    cells = [new_markdown_cell("# A tiny workbook\nIt has three exercises."), imports]
    for name in ("linear_forward", "linear_activation_forward", "compute_cost"):
        if name == "compute_cost":
            cells += list(extra)
        exercise = exercise_cell(name, replace.get(name, sources[name]))
        exercise.outputs = [new_output("stream", name="stdout", text="solution output\n")]
        exercise.execution_count = 2
        graded = graded_cell(name)
        graded.outputs = [new_output("stream", name="stdout", text=f"{name}_test: passed\n")]
        graded.execution_count = 3
        cells += [exercise, graded]
    nb = new_notebook(cells=cells)
    nb.metadata["dnn_workbook"] = {"notebook": stem}
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    return nb


def write(nb, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def learner_notebook(tmp_path, extra=(), name="learner.ipynb"):
    return write(strip_solutions(solution_notebook(extra=extra)), tmp_path / name)


def solutions(tmp_path):
    """The instructor's folder of solution notebooks for the tiny workbook."""
    return write(solution_notebook(), tmp_path / "solutions" / "01_tiny.ipynb").parent


def grade_tiny(path, **kwargs):
    """Grade against the tiny workbook's solution notebook (beside the learner's folder).

    Unsandboxed unless ``sandbox=True`` is passed: these tests are about grading, not about
    the sandbox (tests/test_grader_attacks.py is), so they also run without bubblewrap.
    """
    kwargs.setdefault("sandbox", False)
    return grade(path, reference_dir=solutions(Path(path).parent.parent), **kwargs)


def by_name(report):
    return {e["name"]: e for e in report["exercises"]}


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "dnn_utils.workbook", *map(str, args)],
                          check=False, capture_output=True, text=True, cwd=cwd,
                          timeout=120)


# ------------------------------------------------------------------ release


def test_strip_solutions_replaces_regions_and_keeps_everything_else():
    nb = solution_notebook()
    before = json.dumps(nb, sort_keys=True)
    learner = strip_solutions(nb)
    assert json.dumps(nb, sort_keys=True) == before, "the input notebook was modified"
    assert len(learner.cells) == len(nb.cells)

    cell = learner.cells[2]
    assert cell.source == (
        "def linear_forward(A, W, b):\n"
        f"    {YOUR_CODE_HERE}\n"
        f"    {STUB_RAISE}\n"
        "    cache = (A, W, b)\n"
        "    return Z, cache"
    )
    for solution, stripped in zip(nb.cells, learner.cells):
        nbgrader = solution.metadata.get("nbgrader", {})
        # Graded cells gain the tag with which Run All goes on (tests/test_release_jupyterlab.py).
        tags = ["raises-exception"] if nbgrader.get("grade") else []
        assert stripped.metadata == {**solution.metadata, **({"tags": tags} if tags else {})}
        assert "### BEGIN SOLUTION" not in stripped.source
        if nbgrader.get("solution") or nbgrader.get("grade"):
            assert stripped.outputs == [] and stripped.execution_count is None
        elif solution.cell_type == "code":
            assert stripped.outputs == solution.outputs
            assert stripped.execution_count is None
        if not nbgrader.get("solution"):
            assert stripped.source == solution.source
    assert "W @ A + b" not in json.dumps(learner)
    assert {**learner.metadata, "kernelspec": None} == {**nb.metadata, "kernelspec": None}


def test_strip_solutions_drops_the_output_of_a_cell_tagged_to_look_like_a_verdict():
    verdict = new_code_cell('print("Your backward pass passed the gradient check:", True)')
    verdict.metadata["tags"] = ["learner-edition-no-output"]
    verdict.outputs = [new_output("stream", name="stdout", text="... check: True\n")]
    verdict.execution_count = 7
    nb = solution_notebook(extra=[verdict])
    learner = strip_solutions(nb)
    index = next(i for i, c in enumerate(nb.cells) if c.source == verdict.source)
    stripped = learner.cells[index]
    assert stripped.outputs == [] and stripped.execution_count is None
    assert stripped.source == verdict.source and stripped.metadata == verdict.metadata
    assert learner.cells[1].outputs == nb.cells[1].outputs  # an untagged cell keeps its output


def test_strip_solutions_drops_the_stored_output_of_a_see_your_result_cell():
    see = new_code_cell('graded.see_result(linear_forward, 1, 2, 3, names="Z, _")')
    see.outputs = [new_output("stream", name="stdout", text="Z = [[1.]]\n")]
    see.execution_count = 8
    learner = strip_solutions(solution_notebook(extra=[see]))
    stripped = next(c for c in learner.cells if c.source == see.source)
    assert stripped.outputs == [] and stripped.execution_count is None


def test_the_learner_edition_shows_no_result_the_learner_has_not_produced():
    for name in ("01_notation_and_dimensions", "02_building_your_deep_network"):
        learner = read_notebook(REPO / "notebooks" / f"{name}.ipynb")
        see = [c for c in learner.cells if "graded.see_result(" in c.source]
        assert see and all(c.outputs == [] for c in see), name


def test_the_learner_edition_does_not_claim_the_learners_gradients_pass():
    learner = read_notebook(REPO / "notebooks" / "02_building_your_deep_network.ipynb")
    shown = json.dumps([c.get("outputs", []) for c in learner.cells])
    assert "passed the gradient check" not in shown and "Gradient check passed" not in shown


def test_strip_solutions_keeps_indentation_of_each_region_and_a_final_line():
    nb = new_notebook(cells=[exercise_cell("f", (
        "def f(x):\n"
        "    if x:\n"
        "        ### BEGIN SOLUTION\n"
        "        y = 1\n"
        "        ### END SOLUTION\n"
        "    ### BEGIN SOLUTION\n"
        "    return y\n"
        "    ### END SOLUTION"
    ))])
    assert strip_solutions(nb).cells[0].source == (
        "def f(x):\n"
        "    if x:\n"
        f"        {YOUR_CODE_HERE}\n"
        f"        {STUB_RAISE}\n"
        f"    {YOUR_CODE_HERE}\n"
        f"    {STUB_RAISE}"
    )


@pytest.mark.parametrize("source, expected", [
    ("### BEGIN SOLUTION\nx = 1", "never closed"),
    ("x = 1\n### END SOLUTION", "without a '### BEGIN SOLUTION'"),
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION", "cannot nest"),
    ("## BEGIN SOLUTION\nx = 1\n### END SOLUTION", "looks like a solution marker"),
    ("x = 1", "has no '### BEGIN SOLUTION'"),
])
def test_strip_solutions_rejects_bad_markers_naming_the_cell(source, expected):
    nb = new_notebook(cells=[new_markdown_cell("intro"), exercise_cell("f", source)])
    with pytest.raises(SolutionMarkerError, match=expected) as info:
        strip_solutions(nb, "nb.ipynb")
    assert "nb.ipynb, cell 2" in str(info.value)


def test_strip_solutions_rejects_markers_outside_code_cells():
    nb = new_notebook(cells=[new_markdown_cell("### BEGIN SOLUTION\nanswer\n### END SOLUTION")])
    with pytest.raises(SolutionMarkerError, match="cell 1: .*only work in code cells"):
        strip_solutions(nb)


def test_release_writes_every_notebook_and_a_rerelease_is_byte_identical(tmp_path):
    source = tmp_path / "solutions"
    write(solution_notebook("01_tiny"), source / "01_tiny.ipynb")
    plain = new_notebook(cells=[new_markdown_cell("no exercises"), new_code_cell("1 + 1")])
    plain.metadata["kernelspec"] = dict(KERNELSPEC)  # what release stores
    write(plain, source / "02_plain.ipynb")
    out = tmp_path / "learner"

    written = release(source, out)
    assert [p.name for p in written] == ["01_tiny.ipynb", "02_plain.ipynb"]
    first = {p.name: p.read_bytes() for p in written}
    learner = read_notebook(out / "01_tiny.ipynb")
    assert learner == strip_solutions(read_notebook(source / "01_tiny.ipynb"))
    # A notebook without exercises comes out exactly as it went in: same JSON formatting.
    assert first["02_plain.ipynb"] == (source / "02_plain.ipynb").read_bytes()

    release(source, out, force=True)
    assert {p.name: p.read_bytes() for p in written} == first
    assert sorted(p.name for p in out.iterdir()) == ["01_tiny.ipynb", "02_plain.ipynb"]


def test_release_refuses_to_overwrite_and_writes_nothing(tmp_path, capsys):
    source = tmp_path / "solutions"
    write(solution_notebook("01_tiny"), source / "01_tiny.ipynb")
    write(solution_notebook("02_more"), source / "02_more.ipynb")
    out = tmp_path / "learner"
    out.mkdir()
    work = out / "02_more.ipynb"
    work.write_text("a learner's work")

    with pytest.raises(OverwriteError, match="02_more.ipynb.*--force"):
        release(source, out)
    assert work.read_text() == "a learner's work"
    assert not (out / "01_tiny.ipynb").exists()

    assert main(["release", str(out), "--source", str(source)]) == 1
    err = capsys.readouterr().err
    assert "refusing to overwrite" in err and "Nothing was written" in err
    assert sorted(p.name for p in out.iterdir()) == ["02_more.ipynb"]

    assert main(["release", str(out), "--source", str(source), "--force"]) == 0
    assert "Released 2 learner notebook(s)" in capsys.readouterr().out
    assert read_notebook(work).metadata["dnn_workbook"] == {"notebook": "02_more"}


def test_release_with_a_bad_marker_names_it_and_writes_nothing(tmp_path):
    source = tmp_path / "solutions"
    write(solution_notebook("01_tiny"), source / "01_tiny.ipynb")
    broken = solution_notebook("02_broken")
    broken.cells[4].source = broken.cells[4].source.replace("    ### END SOLUTION\n", "")
    write(broken, source / "02_broken.ipynb")
    out = tmp_path / "learner"

    with pytest.raises(SolutionMarkerError, match=r"02_broken.ipynb, cell 5: .*never closed"):
        release(source, out, force=True)
    assert not out.exists() or list(out.iterdir()) == []


def test_release_refuses_odd_sources(tmp_path):
    with pytest.raises(Exception, match="does not exist"):
        release(tmp_path / "missing", tmp_path / "out")
    (tmp_path / "empty").mkdir()
    with pytest.raises(Exception, match="no \\*.ipynb"):
        release(tmp_path / "empty", tmp_path / "out")
    source = tmp_path / "solutions"
    path = write(solution_notebook(), source / "01_tiny.ipynb")
    with pytest.raises(Exception, match="source folder itself"):
        release(source, source, force=True)
    raw = json.loads(path.read_text())
    del raw["cells"][0]["id"]
    path.write_text(json.dumps(raw))
    with pytest.raises(NotebookFormatError, match="no 'id'"):
        release(source, tmp_path / "out")


# -------------------------------------------------------------------- grade


@pytest.mark.needs_bwrap
def test_solution_edition_scores_full_marks_and_the_learners_folder_is_untouched(tmp_path):
    # A relative path lands in the kernel's working directory: a private copy of the
    # notebook's folder, thrown away after grading.
    where = new_code_cell("import sys\nopen('kernel.txt', 'w').write(sys.executable)")
    path = write(solution_notebook(extra=[where]), tmp_path / "nb" / "solution.ipynb")
    report = grade_tiny(path, timeout=30, sandbox=True)
    assert sorted(p.name for p in path.parent.iterdir()) == ["solution.ipynb"]
    assert report["score"] == report["max_score"] == MAX_SCORE
    for name, exercise in by_name(report).items():
        assert exercise["passed"] and exercise["points"] == exercise["max_points"] == POINTS[name]
        assert exercise["feedback"] == f"{name}_test: all tests passed."
    assert report["notes"] == []


def test_no_sandbox_grades_the_same_with_a_warning(tmp_path):
    path = write(solution_notebook(), tmp_path / "nb" / "solution.ipynb")
    result = run_cli("grade", path, "--no-sandbox", "--timeout", 30,
                     "--solutions", solutions(tmp_path))
    assert result.returncode == 0, result.stderr
    assert f"Score: {MAX_SCORE} / {MAX_SCORE}" in result.stdout
    assert "warning: --no-sandbox" in result.stderr


def test_a_notebook_without_exercises_is_not_run(tmp_path):
    plain = new_notebook(cells=[new_code_cell("raise SystemExit('never run')")])
    plain.metadata["dnn_workbook"] = {"notebook": "02_plain"}
    reference = write(plain, tmp_path / "solutions" / "02_plain.ipynb").parent
    path = write(plain, tmp_path / "nb" / "plain.ipynb")
    report = grade(path, reference_dir=reference)
    assert report == {"score": 0, "max_score": 0, "exercises": [], "notes": [], "skipped": []}


def test_learner_edition_scores_zero_via_cli_and_writes_json(tmp_path):
    path = learner_notebook(tmp_path / "class")
    report_file = tmp_path / "report.json"
    result = run_cli("grade", path, "--no-sandbox", "--json", report_file, "--timeout", 30,
                     "--solutions", solutions(tmp_path))
    assert result.returncode == 0, result.stderr
    report = json.loads(report_file.read_text())
    assert set(report) == {"score", "max_score", "exercises", "notes", "skipped", "notebook",
                           "limits"}
    assert (report["score"], report["max_score"]) == (0, MAX_SCORE)
    assert [e["name"] for e in report["exercises"]] == list(POINTS)
    for exercise in report["exercises"]:
        assert set(exercise) == {"name", "points", "max_points", "passed", "feedback",
                                 "mistake"}
        assert exercise["mistake"] == f"{exercise['name']}/not-implemented"
        assert exercise["passed"] is False and exercise["points"] == 0
        assert exercise["max_points"] == POINTS[exercise["name"]]
        assert NOT_YET in exercise["feedback"]
    lines = result.stdout.splitlines()
    assert f"Score: 0 / {MAX_SCORE}" in lines
    row = next(line for line in lines if line.startswith("compute_cost "))
    assert "0/1" in row and "FAILED" in row and NOT_YET in row


def test_a_broken_exercise_fails_it_and_the_exercises_that_call_it(tmp_path):
    broken = LINEAR_FORWARD.replace("Z = W @ A + b", "Z = W @ A")
    nb = solution_notebook(replace={"linear_forward": broken})
    report = grade_tiny(write(nb, tmp_path / "nb" / "broken.ipynb"), timeout=30)
    exercises = by_name(report)
    assert not exercises["linear_forward"]["passed"]
    assert "forgot to add the bias" in exercises["linear_forward"]["feedback"]
    assert not exercises["linear_activation_forward"]["passed"]
    assert exercises["compute_cost"]["passed"]
    assert report["score"] == POINTS["compute_cost"]
    # grade's table names the mistake too: the hint line sits under the exercise's row.
    lines = format_report("broken.ipynb", report).splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("linear_forward "))
    assert "FAILED" in lines[row]
    assert lines[row + 1].strip().startswith("Hint:")
    assert "forgot to add the bias" in lines[row + 1]
    passed = next(i for i, line in enumerate(lines) if line.startswith("compute_cost "))
    assert not lines[passed + 1].strip().startswith("Hint:")


def test_the_error_of_an_exercise_cell_is_added_to_its_feedback(tmp_path):
    typo = "def compute_cost(AL, Y):\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\nnp.sqr"
    report = grade_tiny(write(solution_notebook(replace={"compute_cost": typo}),
                              tmp_path / "nb" / "typo.ipynb"), timeout=30)
    # The def ran before the error, so the function exists but is wrong; the cell's
    # error is added to the feedback.
    feedback = by_name(report)["compute_cost"]["feedback"]
    assert "its exercise cell raised AttributeError" in feedback
    assert report["score"] == MAX_SCORE - POINTS["compute_cost"]


def test_an_infinite_loop_is_cut_off_and_grading_finishes(tmp_path):
    path = write(solution_notebook(extra=[new_code_cell("while True:\n    pass")]),
                 tmp_path / "loop.ipynb")
    start = time.monotonic()
    result = run_cli("grade", path, "--no-sandbox", "--timeout", 3,
                     "--solutions", solutions(tmp_path))
    elapsed = time.monotonic() - start
    assert result.returncode == 0, result.stderr
    assert f"Score: {MAX_SCORE} / {MAX_SCORE}" in result.stdout
    assert "ran longer than 3 s and was interrupted" in result.stdout
    # Kernel start in the sandbox takes seconds on a loaded machine; the loop alone
    # would never end.
    assert elapsed < 90


def test_a_cell_still_printing_when_stopped_is_not_called_an_infinite_loop(tmp_path):
    busy = new_code_cell("import time\nfor i in range(1000):\n    print(i)\n    time.sleep(0.05)")
    silent = new_code_cell("while True:\n    pass")
    path = write(solution_notebook(extra=[busy, silent]), tmp_path / "nb" / "slow.ipynb")
    report = grade_tiny(path, timeout=2)
    assert report["score"] == MAX_SCORE
    busy_note, silent_note = [n for n in report["notes"] if "ran longer than 2 s" in n]
    assert "still producing output" in busy_note and "infinite loop" not in busy_note
    assert "printed nothing" in silent_note and "infinite loop" in silent_note


def test_a_kernel_that_ignores_interrupts_or_dies_is_restarted_and_replayed(tmp_path):
    stubborn = new_code_cell(
        "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"
    )
    dies = new_code_cell("import os\nos._exit(1)")
    path = write(solution_notebook(extra=[stubborn, dies]), tmp_path / "nb" / "crash.ipynb")
    report = grade_tiny(path, timeout=2)
    # The definitions made before the crash are replayed in the new kernel, and the
    # exercise after the crash still runs.
    assert report["score"] == MAX_SCORE
    notes = " | ".join(report["notes"])
    assert "did not respond to the interrupt; restarted it" in notes
    assert "the kernel died while running cell" in notes


def test_a_call_that_kills_the_kernel_fails_that_exercise_only(tmp_path):
    killer = "def compute_cost(AL, Y):\n    import os\n    os._exit(1)"
    path = write(solution_notebook(replace={"compute_cost": killer}), tmp_path / "nb" / "k.ipynb")
    report = grade_tiny(path, timeout=30)
    exercises = by_name(report)
    assert "a call crashed or stopped the kernel" in exercises["compute_cost"]["feedback"]
    # Counted as what happened, not as an unnamed wrong result.
    assert exercises["compute_cost"]["mistake"] == "compute_cost/kernel-stopped"
    assert report["score"] == MAX_SCORE - POINTS["compute_cost"]
    assert any("the kernel died while running a call of the grader" in note
               for note in report["notes"])


@pytest.mark.needs_bwrap
def test_learner_cells_cannot_change_the_verdict_and_the_file_is_not_written(tmp_path):
    cheats = [
        new_code_cell("graded.linear_forward_test = lambda f: print('All tests passed')\n"
                      "graded.compute_cost_test = lambda f: None\n"
                      "import dnn_utils.graded.blocks as blocks\n"
                      "blocks.compute_cost_test = lambda f: None"),
        new_code_cell("def linear_activation_forward_test(f):\n    return None\n"
                      "print('<<dnn-workbook-result 0>>{\"passed\": true}"
                      "<<end dnn-workbook-result 0>>')"),
    ]
    nb = strip_solutions(solution_notebook(extra=cheats))
    # Also delete the last graded cell and give linear_forward more points: the
    # solution notebook decides which exercises count, and for how much.
    assert nb.cells.pop().metadata["nbgrader"]["grade_id"] == "compute_cost"
    nb.cells[3].metadata["nbgrader"]["points"] = 100
    path = write(nb, tmp_path / "learner.ipynb")
    reference = write(solution_notebook(), tmp_path / "solutions" / "01_tiny.ipynb").parent
    # A package of the same name in the notebook's folder is not used for grading.
    fake = tmp_path / "dnn_utils"
    fake.mkdir()
    (fake / "__init__.py").write_text("")
    (fake / "graded.py").write_text("".join(
        f"def {name}_test(target):\n    print('all tests passed')\n" for name in POINTS))
    before, mtime = path.read_bytes(), path.stat().st_mtime_ns

    report = grade(path, timeout=30, reference_dir=reference)
    assert (report["score"], report["max_score"]) == (0, MAX_SCORE)
    assert [e["name"] for e in report["exercises"]] == list(POINTS)
    assert all(NOT_YET in e["feedback"] for e in report["exercises"])
    assert report["notes"] == [
        "the graded cell of compute_cost is missing from the notebook; it was graded anyway",
        "the points of linear_forward were changed in the notebook; the workbook's 2 count",
    ]
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime


def test_a_missing_name_is_not_defined_feedback(tmp_path):
    nb = strip_solutions(solution_notebook())
    del nb.cells[2:4]  # the linear_forward exercise cell and its graded cell ...
    nb.cells.append(graded_cell("linear_forward"))  # ... but a graded cell remains
    report = grade_tiny(write(nb, tmp_path / "nb" / "missing.ipynb"), timeout=30)
    feedback = by_name(report)["linear_forward"]["feedback"]
    assert feedback.startswith(NOT_YET) and "linear_forward is not defined" in feedback


def test_cli_rejects_files_that_are_not_workbook_notebooks(tmp_path, capsys):
    not_json = tmp_path / "notes.ipynb"
    not_json.write_text("this is not JSON")
    assert main(["grade", str(not_json)]) == 1
    captured = capsys.readouterr()
    assert "is not a Jupyter notebook: it is not valid JSON" in captured.err
    assert captured.out == ""

    not_nbformat = tmp_path / "data.ipynb"
    not_nbformat.write_text('{"hello": 1}')
    assert main(["grade", str(not_nbformat)]) == 1
    assert "not a Jupyter notebook in nbformat 4" in capsys.readouterr().err

    foreign = write(new_notebook(cells=[new_code_cell("print(1)")]), tmp_path / "other.ipynb")
    assert main(["grade", str(foreign)]) == 1
    assert "not one of this workbook's notebooks" in capsys.readouterr().err
    with pytest.raises(NotAWorkbookError):
        grade(foreign)

    assert main(["grade", str(tmp_path / "nowhere.ipynb")]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_cli_reports_a_kernel_that_cannot_start(tmp_path, capsys):
    path = learner_notebook(tmp_path / "nb")
    assert main(["grade", str(path), "--no-sandbox", "--kernel", "no-such-kernel",
                 "--solutions", str(solutions(tmp_path))]) == 3
    err = capsys.readouterr().err
    assert "no Jupyter kernel named 'no-such-kernel'" in err
    with pytest.raises(KernelStartError):
        grade_tiny(path, kernel_name="no-such-kernel")


def test_grade_rejects_a_bad_timeout(tmp_path):
    with pytest.raises(ValueError, match="timeout"):
        grade(learner_notebook(tmp_path), timeout=0)
    with pytest.raises(SystemExit):
        main(["grade", "x.ipynb", "--timeout", "-1"])
    for bad in (float("inf"), float("nan"), True, "60"):
        with pytest.raises(ValueError, match="timeout must be a finite, positive number"):
            grade(learner_notebook(tmp_path), timeout=bad)


# ------------------------------------------------- the repository's notebooks


def test_convention_checker_finds_problems():
    from dnn_utils import graded

    assert convention_problems(solution_notebook("01_tiny"), "01_tiny", graded) == []
    nb = solution_notebook("01_tiny")
    nb.cells[3].source = "graded.linear_forward_test(linear_forward())"
    nb.cells[5].metadata["nbgrader"]["points"] = 0
    nb.cells[6].metadata["nbgrader"]["grade_id"] = "compute_costs_solution"
    problems = "\n".join(convention_problems(nb, "other", graded))
    assert "'dnn_workbook' should be {'notebook': 'other'}" in problems
    assert "cell 4: graded cell source should be exactly" in problems
    assert "cell 6: graded cell points" in problems
    assert "cell 8: a graded cell must directly follow" in problems
    assert len(problems.splitlines()) == 4
    nb.cells[7].source = "graded.nothing_test(nothing)"
    nb.cells[7].metadata["nbgrader"]["grade_id"] = "nothing"
    assert any(p.startswith("cell 8: dnn_utils.graded has no nothing_test; write 'def "
                            "nothing_test(target):' at the top level of a module")
               for p in convention_problems(nb, "01_tiny", graded))


def _solution_notebooks():
    notebooks = sorted(SOLUTIONS.glob("*.ipynb"))
    if not notebooks:
        pytest.skip(f"no solution notebooks in {SOLUTIONS} yet")
    return notebooks


def test_solution_notebooks_follow_the_conventions():
    from dnn_utils import graded

    problems = []
    for path in _solution_notebooks():
        problems += [f"{path.name}: {p}" for p in
                     convention_problems(read_notebook(path), path.stem, graded)]
    assert problems == []


def test_committed_learner_edition_is_a_fresh_release(tmp_path):
    notebooks = _solution_notebooks()
    fresh = release(SOLUTIONS, tmp_path)
    stale = []
    for path in fresh:
        committed = REPO / "notebooks" / path.name
        # Compare the parsed JSON: all content counts, only the file's whitespace does not.
        if not committed.exists() or (
            json.loads(committed.read_text(encoding="utf-8"))
            != json.loads(path.read_text(encoding="utf-8"))
        ):
            stale.append(path.name)
    assert len(fresh) == len(notebooks)
    assert stale == [], (
        f"notebooks/{stale} differ from the solutions' learner edition: run "
        "`python -m dnn_utils.workbook release notebooks --force`"
    )
