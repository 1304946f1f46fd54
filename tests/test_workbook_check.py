"""The convention check: the graded import, numbering, see-your-result cells, asides."""

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from dnn_utils import graded
from dnn_utils.workbook.authoring.check import convention_problems, imports_graded
from dnn_utils.workbook.authoring.numbering import numbering_problems, renumber


def test_imports_graded_forms():
    assert imports_graded("from dnn_utils import graded")
    assert imports_graded("import numpy as np\n\nfrom dnn_utils import (\n    L_model_forward,\n"
                          "    graded,\n)\n%matplotlib inline")
    assert not imports_graded("from dnn_utils import L_model_forward")
    assert not imports_graded("from dnn_utils import graded as g")
    assert not imports_graded("# from dnn_utils import graded")


def exercise(name, number):
    heading = new_markdown_cell(f"### Exercise {number} - `{name}`\n\nWrite it.")
    solution = new_code_cell(f"def {name}(x):\n    ### BEGIN SOLUTION\n    return x\n"
                             "    ### END SOLUTION")
    solution.metadata["nbgrader"] = {"solution": True, "grade": False, "locked": False,
                                     "grade_id": f"{name}_solution", "schema_version": 3}
    test = new_code_cell(f"graded.{name}_test({name})")
    test.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True,
                                 "grade_id": name, "points": 1, "schema_version": 3}
    return [heading, solution, test]


def notebook(*cells):
    nb = new_notebook(cells=[new_markdown_cell("# Title"),
                             new_code_cell("from dnn_utils import graded"), *cells])
    nb.metadata["dnn_workbook"] = {"notebook": "02_tiny"}
    return nb


def test_a_new_first_exercise_is_renumbered_and_references_name_the_function():
    # A new exercise inserted first, its heading's number not yet right.
    nb = notebook(*exercise("linear_backward", 9), *exercise("linear_forward", 1),
                  new_markdown_cell("As in exercise 1, and (notebook 02, exercise 1)."))
    problems = numbering_problems(nb, "02_tiny")
    assert any("cell 6: 'Exercise 1' should be 'Exercise 2'" in p for p in problems), problems
    assert any("cell 3: 'Exercise 9' should be 'Exercise 1'" in p for p in problems), problems
    assert any("cell 9: 'exercise 1'" in p and "`linear_forward`" in p for p in problems)
    changes = renumber({"02_tiny": nb})
    assert nb.cells[5].source.startswith("### Exercise 2 - `linear_forward`"), changes
    assert nb.cells[2].source.startswith("### Exercise 1 - `linear_backward`"), changes
    assert nb.cells[8].source == ("As in exercise `linear_forward`, and "
                                  "(notebook 02, exercise `linear_forward`).")
    assert numbering_problems(nb, "02_tiny") == []
    assert convention_problems(nb, "02_tiny", graded) == []


def test_a_heading_naming_another_function_is_reported():
    cells = exercise("linear_forward", 1)
    cells[0].source = "### Exercise 1 - `linear_backward`"
    problems = numbering_problems(notebook(*cells))
    assert problems == ["cell 3: the heading names `linear_backward` but the exercise after it "
                        "is `linear_forward`; write '### Exercise 1 - `linear_forward`'"]


def test_see_your_result_cell_needs_its_expected_output_above():
    see = new_code_cell("graded.see_result(linear_forward, 1)")
    see.outputs = [{"output_type": "stream", "name": "stdout", "text": "1\n"}]
    good = new_markdown_cell("**See your result.** Expected:\n\n```text\n1\n```")
    assert convention_problems(notebook(*exercise("linear_forward", 1), good, see),
                               "02_tiny", graded) == []
    wrong = new_markdown_cell("**See your result.**\n\n```text\n2\n```")
    problems = convention_problems(notebook(*exercise("linear_forward", 1), wrong, see),
                                   "02_tiny", graded)
    assert len(problems) == 1 and "is not what cell 7 prints" in problems[0], problems
    plain = new_markdown_cell("Look:")
    problems = convention_problems(notebook(*exercise("linear_forward", 1), plain, see),
                                   "02_tiny", graded)
    assert len(problems) == 1 and "'**See your result.**'" in problems[0], problems


def test_asides_are_tagged_and_say_they_are_optional():
    tagged = new_markdown_cell("### Aside (optional): more\n\nDetails.")
    tagged.metadata["tags"] = ["aside"]
    tagged.metadata["jp-MarkdownHeadingCollapsed"] = True
    code = new_code_cell("x = 1")
    code.metadata["tags"] = ["aside"]
    # An aside's own code cell is tagged too.
    assert convention_problems(notebook(tagged, code), "02_tiny", graded) == []
    tagged.source = "### More details."
    assert convention_problems(notebook(tagged, code), "02_tiny", graded) == [
        "cell 3: a cell tagged 'aside' must start with 'Aside (optional)'; found 'More details.'"]
    # A code cell tagged 'aside' outside an aside, or an exercise in one, is refused.
    assert "outside any aside" in convention_problems(notebook(code), "02_tiny", graded)[0]
    cells = exercise("linear_forward", 1)
    cells[1].metadata["tags"] = ["aside"]
    assert any("an exercise or a graded cell cannot be in an aside" in p
               for p in convention_problems(notebook(*cells), "02_tiny", graded))


# ------------------------------------------------------------------ counts in prose


def test_a_count_in_prose_is_checked_and_rewritten_by_number():
    nb = notebook(*exercise("linear_forward", 1), *exercise("linear_backward", 2))
    nb.cells[0].source = ("# Title\n\nThree graded exercises, about an hour for the 3 "
                          "exercises; write one function at a time.")
    problems = convention_problems(nb, "02_tiny", graded)
    assert problems == [
        "cell 1: 'Three graded exercises' says 3, but the notebook has 2 graded exercise(s); "
        "run 'python -m dnn_utils.workbook number' to rewrite it, or write the sentence "
        "without a count",
        "cell 1: '3 exercises' says 3, but the notebook has 2 graded exercise(s); run "
        "'python -m dnn_utils.workbook number' to rewrite it, or write the sentence without "
        "a count"]
    changes = renumber({"02_tiny": nb})
    assert nb.cells[0].source == ("# Title\n\nTwo graded exercises, about an hour for the 2 "
                                  "exercises; write one function at a time.")
    assert len(changes) == 2 and convention_problems(nb, "02_tiny", graded) == []


def test_a_question_referred_to_by_its_number_is_reported():
    nb = notebook(new_markdown_cell("Questions 1 to 3 are about this network."))
    assert numbering_problems(nb) == [
        "cell 3: 'Questions 1' refers to a question by a number written by hand, which goes "
        "stale when a question is inserted; say what it is about instead (e.g. 'the "
        "questions of this section')"]


# ------------------------------------------------------------------ what the tests require


def see(name, printed="1\n"):
    markdown = new_markdown_cell(f"**See your result.**\n\n```text\n{printed}```")
    cell = new_code_cell(f"graded.see_result({name}, 1, names='x')")
    cell.outputs = [{"output_type": "stream", "name": "stdout", "text": printed}]
    return [markdown, cell]


def test_a_notebook_that_shows_one_result_shows_every_exercises():
    nb = notebook(*exercise("linear_forward", 1), *see("linear_forward"),
                  *exercise("linear_backward", 2))
    assert convention_problems(nb, "02_tiny", graded) == [
        "cell 10: exercise `linear_backward` has no see-your-result cell after its graded "
        "cell, and this notebook shows every exercise's result: add a markdown cell starting "
        "'**See your result.**' with the expected output in a ```text block, then a code cell "
        "'graded.see_result(linear_backward, <example arguments>, names=\"...\")' "
        "(new-exercise writes both)"]
    nb.cells += see("linear_backward")
    assert convention_problems(nb, "02_tiny", graded) == []
    # A notebook that shows no result at all is not asked to.
    assert convention_problems(notebook(*exercise("linear_forward", 1)), "02_tiny", graded) == []


def test_a_reading_budget_is_kept_and_the_first_cell_says_how_long():
    nb = notebook(new_markdown_cell("word " * 30))
    nb.metadata["dnn_workbook"]["reading_budget"] = 20
    problems = convention_problems(nb, "02_tiny", graded)
    assert len(problems) == 2, problems
    assert problems[0].startswith("the notebook asks for 32 words of required reading "
                                  "(markdown outside asides), over its budget of 20")
    assert problems[1].startswith("cell 1: the first cell of a notebook with a reading budget")
    nb.cells[2].metadata["tags"] = ["aside"]
    nb.cells[2].source = "### Aside (optional): " + "word " * 30
    nb.cells[2].metadata["jp-MarkdownHeadingCollapsed"] = True
    nb.cells[0].source = "# Title\n\n**What you will do:** x. **About 5 minutes**."
    assert convention_problems(nb, "02_tiny", graded) == []
    nb.metadata["dnn_workbook"]["reading_budget"] = "many"
    assert "should be a positive number of words" in convention_problems(
        nb, "02_tiny", graded)[0]


def test_a_cell_calling_an_exercise_keeps_no_output_for_the_learner():
    shows = new_code_cell("%matplotlib inline\nprint(linear_forward(1))")
    problems = convention_problems(notebook(*exercise("linear_forward", 1), shows),
                                   "02_tiny", graded)
    assert problems == [
        "cell 6: it calls the exercise `linear_forward`, so its stored output is the "
        "solution's result, which the learner edition would show as the learner's: show it "
        "with graded.see_result, or tag the cell 'learner-edition-no-output'"]
    shows.metadata["tags"] = ["learner-edition-no-output"]
    assert convention_problems(notebook(*exercise("linear_forward", 1), shows),
                               "02_tiny", graded) == []


def test_a_cell_added_to_an_executed_notebook_must_be_run():
    nb = notebook(*exercise("linear_forward", 1))
    for count, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        cell.execution_count = count + 1
    assert convention_problems(nb, "02_tiny", graded) == []
    nb.cells.append(new_code_cell("x = 1"))
    assert convention_problems(nb, "02_tiny", graded) == [
        "cell 6: it was never run, and the notebook's outputs are stored for nbval to "
        "compare: run 'python -m dnn_utils.workbook execute "
        "notebooks/solutions/02_tiny.ipynb'"]


# ------------------------------------------------------------------ quiz questions


def question(name, answer, label):
    """A question's three cells: its label, the answer cell, the graded cell."""
    _, cell, test = exercise(name, 1)
    cell.source = f"# {name} = ...\n### BEGIN SOLUTION\n{name} = {answer}\n### END SOLUTION"
    return [new_markdown_cell(label), cell, test]


def test_a_questions_answer_passes_its_test_and_its_options_are_listed():
    label = "**Question 1.** What does the cache hold?\n\n" + "\n".join(
        f"* ({c}) option {c}" for c in "abcd")
    # cache_content is a real question of the quiz: its test is graded.cache_content_test.
    nb = notebook(*question("cache_content", '"a"', label))
    assert convention_problems(nb, "02_tiny", graded) == []
    wrong = notebook(*question("cache_content", '"b"', label.split("\n\n")[0]))
    problems = convention_problems(wrong, "02_tiny", graded)
    assert len(problems) == 2, problems
    assert problems[0].startswith("cell 4: the solution's answer 'b' fails "
                                  "graded.cache_content_test (cache_content: 'b' is not")
    assert problems[1].startswith("cell 3: list the options of question `cache_content` one "
                                  "per line, '* (a) ...'")
    loose = notebook(*question("cache_content", "some_name", label))
    assert convention_problems(loose, "02_tiny", graded) == [
        "cell 4: the answer of cache_content should be a Python literal (a letter in quotes, "
        "a whole number or a shape tuple), e.g. 'cache_content = \"b\"'"]


def test_the_right_options_must_not_give_themselves_away():
    from dnn_utils.workbook.authoring.quiz_rules import balance_problems

    cells = []
    for number in range(1, 5):
        label = (f"**Question {number}.** ?\n\n* (a) the long right answer\n* (b) short\n"
                 "* (c) short\n* (d) short")
        cells += question(f"q{number}", '"a"', label)
    problems = balance_problems(notebook(*cells))
    assert len(problems) == 2, problems
    assert problems[0].startswith("the right option is the strictly longest one in 4 of 4 "
                                  "one-letter questions (q1, q2, q3, q4)")
    assert problems[1].startswith("'a' is the answer of 4 of 4 one-letter questions, more than 2")


# ------------------------------------------------------------------ finding graded tests


def test_a_graded_test_is_found_however_its_module_exports_it(tmp_path):
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    package = Path(graded.__file__).resolve().parents[1]
    shutil.copytree(package, tmp_path / "dnn_utils",
                    ignore=shutil.ignore_patterns("__pycache__", "workbook"))
    (tmp_path / "dnn_utils" / "graded" / "my_questions.py").write_text(
        "from .questions import choice_question\n\n"
        "my_range_test = choice_question('my_range', 'ab', 'b', why_right='bounded',\n"
        "                                  why_wrong={'a': 'tanh is negative too'},\n"
        "                                  nudge='look at large z')\n", encoding="utf-8")
    (tmp_path / "dnn_utils" / "graded" / "listed.py").write_text(
        "from .feedback import graded_test\n\n__all__ = []\n\n\n"
        "@graded_test('my_forward')\ndef my_forward_test(target):\n    pass\n",
        encoding="utf-8")
    code = ("from dnn_utils import graded\ngraded.my_range_test('b')\n"
            "print(graded.my_forward_test.__module__)\n"
            "try:\n    graded.my_backward_test\nexcept AttributeError as e:\n    print(e)")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, env=dict(os.environ, PYTHONPATH=str(tmp_path)))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "my_range_test: all tests passed."
    assert lines[1] == "dnn_utils.graded.listed"  # defined there, though not in its __all__
    assert "no module of" in lines[2] and "binds 'my_backward_test' at its top level" in lines[2]


def test_execute_writes_the_expected_output_above_a_see_your_result_cell():
    from dnn_utils.workbook.authoring.execute import write_expected_outputs

    markdown, cell = see("linear_forward", printed="Z = [[1.]]\n")
    markdown.source = "**See your result.** An example:\n\n```text\nstale\n```\n\nMore text."
    nb = notebook(*exercise("linear_forward", 1), markdown, cell)
    assert "is not what cell 7 prints" in convention_problems(nb, "02_tiny", graded)[0]
    assert write_expected_outputs(nb) == [5]
    assert markdown.source == ("**See your result.** An example:\n\n```text\nZ = [[1.]]\n```"
                               "\n\nMore text.")
    assert convention_problems(nb, "02_tiny", graded) == []
    assert write_expected_outputs(nb) == []


def test_check_names_a_graded_module_that_does_not_import(tmp_path):
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    package = Path(graded.__file__).resolve().parents[1]
    shutil.copytree(package, tmp_path / "dnn_utils", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "dnn_utils" / "graded" / "broken_questions.py").write_text(
        "from .questions import choice_question\n\n"
        "my_range_test = choice_question('my_range', 'ab', 'b', why_right='bounded',\n"
        "                                  why_wrong={'a': 'not (b)'}, nudge='look')\n",
        encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "dnn_utils.workbook", "check", "--source",
                           str(package.parent / "notebooks" / "solutions")], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, PYTHONPATH=str(tmp_path)))
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr.startswith(
        "error: the graded tests could not be loaded: ValueError: question 'my_range': "
        "why_wrong['a'] gives the right answer 'b' away"), done.stderr


def test_execute_joins_each_streams_pieces_so_a_rerun_stores_the_same_output():
    from nbformat.v4 import new_output

    from dnn_utils.workbook.authoring.execute import join_streams

    cell = new_code_cell("print('a'); print('b', file=sys.stderr); print('c')")
    pieces = [("stdout", "a"), ("stdout", "b\n"), ("stderr", "e"), ("stdout", "c\n")]
    cell.outputs = [new_output("stream", name=n, text=t) for n, t in pieces]
    cell.outputs.insert(2, new_output("execute_result", data={"text/plain": "1"}))
    join_streams(cell)
    assert [(o.output_type, o.get("name"), o.get("text")) for o in cell.outputs] == [
        ("stream", "stdout", "ab\n"), ("execute_result", None, None),
        ("stream", "stderr", "e"), ("stream", "stdout", "c\n")]


def test_execute_names_a_cell_that_runs_out_of_time_and_leaves_the_file(tmp_path):
    import pytest

    from dnn_utils.workbook.authoring.conventions import WorkbookError
    from dnn_utils.workbook.authoring.execute import execute
    from dnn_utils.workbook.authoring.release import notebook_bytes

    path = tmp_path / "slow.ipynb"
    path.write_bytes(notebook_bytes(new_notebook(cells=[new_code_cell("import time\n"
                                                                       "time.sleep(30)")])))
    before = path.read_bytes()
    with pytest.raises(WorkbookError, match=r"slow.ipynb: a cell ran longer than 2 s"):
        execute([path], timeout=2)
    assert path.read_bytes() == before
