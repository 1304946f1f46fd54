"""The convention check: the graded import, numbering, see-your-result cells, asides."""

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from dnn_utils import graded
from dnn_utils.workbook.check import convention_problems, imports_graded
from dnn_utils.workbook.numbering import numbering_problems, renumber


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
