"""What ``check`` verifies in a notebook's text: sections cited exist, the stated reading time
is true, a quiz's right option does not stand out, asides collapse and hold their own cells;
and, across notebooks, every "notebook NN, section N" a notebook or a graded message cites."""

import re
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from dnn_utils import graded
from dnn_utils.workbook.authoring import prose, reading
from dnn_utils.workbook.authoring.check import convention_problems
from dnn_utils.workbook.authoring.conventions import read_notebook
from dnn_utils.workbook.authoring.numbering import renumber

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((ROOT / "notebooks" / "solutions").glob("*.ipynb"))


def notebook(*cells):
    return new_notebook(cells=list(cells))


def aside(source, collapsed=True):
    cell = new_markdown_cell(source)
    cell.metadata["tags"] = ["aside"]
    if collapsed:
        cell.metadata["jp-MarkdownHeadingCollapsed"] = True
    return cell


def tagged_code(source):
    cell = new_code_cell(source)
    cell.metadata["tags"] = ["aside"]
    return cell


# ----------------------------------------------------------------------- sections


def test_citations_are_read_in_their_usual_forms():
    assert prose.section_citations("as section 4 does; Section 2's rule; sections 3 and 5") == [
        (None, 4), (None, 2), (None, 3), (None, 5)]
    assert prose.section_citations("see notebook 01, section 2 and notebook 04's section 5") == [
        ("01", 2), ("04", 5)]
    assert prose.section_citations("a cross-section 3 of nothing") == []


def test_a_section_cited_must_exist():
    nb = notebook(new_markdown_cell("# T"), new_markdown_cell("## 1. One\n\nSee section 2."),
                  new_code_cell("# as section 1 does"), new_markdown_cell("## 2. Two"))
    assert prose.section_problems(nb) == []
    nb.cells[2].source = "# as section 4 does"
    assert prose.section_problems(nb) == [
        "cell 3: cites section 4, but the notebook's numbered headings are [1, 2]; cite the "
        "section that says it (or name it by its title)"]
    # Another notebook's section is not this notebook's business.
    nb.cells[2].source = "# notebook 01, section 9"
    assert prose.section_problems(nb) == []


# ----------------------------------------------------------------------- reading time


def test_the_stated_reading_time_must_match_the_required_words():
    required = " ".join(["word"] * (3 * reading.WORDS_PER_MINUTE))  # 3 minutes
    nb = notebook(new_markdown_cell("# T\n\n**About 10 minutes**: 3 of reading."),
                  new_markdown_cell(required), aside("### Aside (optional): " + required))
    assert reading.reading_time_problems(nb) == []
    nb.cells[0].source = "# T\n\n(measured: 5 min of\nrequired reading at 200 words a minute)"
    [problem] = reading.reading_time_problems(nb)
    assert problem.startswith("cell 1: says 5 min of reading") and "3 min at 200" in problem
    assert "run 'python -m dnn_utils.workbook number'" in problem, problem
    nb.cells[0].source = "# T\n\nNo time stated."
    assert reading.reading_time_problems(nb) == []


def test_number_rewrites_a_stale_reading_time_and_leaves_a_true_one():
    required = " ".join(["word"] * (3 * reading.WORDS_PER_MINUTE + 110))  # 3.55 minutes
    nb = notebook(new_markdown_cell("# T\n\n**About 20 minutes**: 5 min of reading."),
                  new_markdown_cell(required))
    nb.metadata["dnn_workbook"] = {"notebook": "99_t"}
    assert renumber({"99_t": nb}) == ["99_t, cell 1: '5 min' -> '3.5 min'"]
    assert nb.cells[0].source == "# T\n\n**About 20 minutes**: 3.5 min of reading."
    assert reading.reading_time_problems(nb) == []
    # 4 is within half a minute of 3.55: a true time is left as the author wrote it.
    nb.cells[0].source = "# T\n\n**About 20 minutes**: 4 min of reading."
    assert reading.rewrite_reading_time(nb, "99_t") == []
    assert nb.cells[0].source.endswith("4 min of reading.")


# ----------------------------------------------------------------------- quiz options


def question(options, answer):
    text = "**Question 1.** Which?\n\n" + "\n".join(
        f"* ({letter}) {option}" for letter, option in zip("abcd", options))
    cell = new_code_cell(f"# q = ...\n### BEGIN SOLUTION\nq = {answer!r}\n### END SOLUTION")
    cell.metadata["nbgrader"] = {"solution": True, "grade": False, "grade_id": "q_solution"}
    return [new_markdown_cell(text), cell]


def test_shown_length_drops_latex_markup():
    assert prose.shown_length("$W^{[l]}$ and $\\dfrac{1}{m}$") == len("W[l] and 1m")


def test_the_right_option_must_not_be_visibly_longer_or_the_only_formula():
    even = ["the first option, of a length", "the second option, of a length",
            "the third option, of a length", "the fourth option, same length"]
    assert prose.quiz_option_problems(notebook(*question(even, "b"))) == []
    long = list(even)
    long[1] = "the second option, much longer than all of the others"
    [problem] = prose.quiz_option_problems(notebook(*question(long, "b")))
    assert problem.startswith("cell 1: the right option (b) is visibly longer"), problem
    # The same long option as a distractor is not a give-away.
    assert prose.quiz_option_problems(notebook(*question(long, "a"))) == []
    formula = list(even)
    formula[2] = "$W^{[l]}$, the third option"
    [problem] = prose.quiz_option_problems(notebook(*question(formula, "c")))
    assert "the only one with a formula" in problem


def test_the_workbooks_quiz_passes_and_would_fail_with_the_old_cache_question():
    quiz = read_notebook(next(p for p in SOLUTIONS if p.stem.startswith("06")))
    assert prose.quiz_option_problems(quiz) == []
    old = ["$Z^{[l]}$ for $g'(Z^{[l]})$, and $A^{[l-1]}$, $W^{[l]}$, $b^{[l]}$ for $dW^{[l]}$ "
           "and $dA^{[l-1]}$;",
           "the gradients dW and db, for the update step that follows it;",
           "only the layer's output A, since the next forward step needs it;",
           "a compressed copy of the layer's input, to save memory during the backward pass."]
    assert prose.quiz_option_problems(notebook(*question(old, "a")))


# ----------------------------------------------------------------------- asides


def test_an_aside_is_a_collapsed_heading_and_holds_the_cells_it_hides():
    nb = notebook(new_markdown_cell("## 1. Required"),
                  aside("### Aside (optional): more"), tagged_code("x = 1"),
                  aside("Aside (optional), continued."),
                  new_markdown_cell("### 2. Required again"), new_code_cell("y = 2"))
    assert prose.aside_problems(nb) == []
    nb.cells[2].metadata["tags"] = []
    assert prose.aside_problems(nb) == [
        "cell 3: the aside heading of cell 2 hides this cell in JupyterLab; tag it 'aside', "
        "or end the aside before it with a heading of ### or fewer"]
    nb.cells[2].metadata["tags"] = ["aside"]
    nb.cells[5].metadata["tags"] = ["aside"]
    assert prose.aside_problems(nb) == [
        "cell 6: tagged 'aside' outside any aside; remove the tag, or move the cell under an "
        "aside's heading"]
    nb.cells[5].metadata["tags"] = []
    del nb.cells[1].metadata["jp-MarkdownHeadingCollapsed"]
    assert "set its metadata 'jp-MarkdownHeadingCollapsed': true" in prose.aside_problems(nb)[0]
    nb.cells[1] = aside("**Aside (optional):** no heading", collapsed=False)
    assert "an aside starts with a heading" in prose.aside_problems(nb)[0]


def test_check_reports_the_prose_problems_with_the_others():
    nb = notebook(new_markdown_cell("# Title\n\nAs section 3 says."))
    nb.metadata["dnn_workbook"] = {"notebook": "07_tiny"}
    problems = convention_problems(nb, "07_tiny", graded)
    assert any("cites section 3" in p for p in problems), problems


# ----------------------------------------------------------------------- the workbook


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_every_solution_notebook_passes(path):
    assert prose.prose_problems(read_notebook(path)) == []


def test_every_cross_notebook_citation_exists():
    """In the notebooks and in the graded tests' messages, "notebook NN, section N" exists."""
    books = {path.stem[:2]: read_notebook(path) for path in SOLUTIONS}
    texts = [(path.name, cell.source) for path in SOLUTIONS for cell in books[path.stem[:2]].cells]
    texts += [(module.name, module.read_text(encoding="utf-8"))
              for module in sorted((ROOT / "dnn_utils" / "graded").glob("*.py"))]
    cited = [(where, notebook, number) for where, text in texts
             for notebook, number in prose.section_citations(re.sub(r'"\s*\n\s*"', "", text))
             if notebook is not None]
    assert cited, "the graded messages cite sections of the notebooks"
    for where, notebook, number in cited:
        assert number in prose.section_headings(books[notebook]), (where, notebook, number)
