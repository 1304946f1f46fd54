"""The learner's path through notebooks 01-05 (issues 19, 28): focused reading, marked asides,
no result shown before the learner has produced it, names that survive out-of-order runs.

Everything is read from the solution notebooks and their learner edition as released now.
"""

import re
from pathlib import Path

import pytest

from dnn_utils.workbook.authoring.conventions import read_notebook, shows_learner_result
from dnn_utils.workbook.authoring.notebook_rules import learner_output_problems, reading_problems
from dnn_utils.workbook.authoring.reading import required_words
from dnn_utils.workbook.authoring.release import strip_solutions

SOLUTIONS = Path(__file__).resolve().parents[1] / "notebooks" / "solutions"
# The notebooks of the learner's timed path (issue 19: 02 + 03 no more than the course's two
# assignments, about 5,600 words; issue 28: 01-05 together at most 6,000). Each states its
# budget of required reading in its metadata, and check applies the rules below
# (dnn_utils.workbook.authoring.notebook_rules).
TIMED = sorted(path.stem for path in SOLUTIONS.glob("0[1-5]_*.ipynb"))
TOTAL_BUDGET = 6000


def notebook(stem):
    return read_notebook(SOLUTIONS / f"{stem}.ipynb")


def tags(cell):
    return cell.get("metadata", {}).get("tags", [])


@pytest.mark.parametrize("stem", TIMED)
def test_required_reading_stays_within_its_budget_and_the_first_cell_says_how_long(stem):
    nb = notebook(stem)
    assert nb.metadata["dnn_workbook"]["reading_budget"] > 0  # so the rule applies
    assert reading_problems(nb) == []


def test_notebooks_01_to_05_ask_for_at_most_6000_words_together():
    assert len(TIMED) == 5, TIMED
    # Their budgets add up to at most 6,000, so check holds the total with each notebook.
    budgets = [notebook(stem).metadata["dnn_workbook"]["reading_budget"] for stem in TIMED]
    assert sum(budgets) <= TOTAL_BUDGET, budgets
    total = sum(required_words(notebook(stem)) for stem in TIMED)
    assert total <= TOTAL_BUDGET, f"{total} words of required reading in 01-05"


@pytest.mark.parametrize("stem", TIMED)
def test_asides_are_marked_collapsed_and_hold_no_exercise(stem):
    # (dnn_utils.workbook.authoring.prose checks the same for `check`, naming the fix.)
    cells = notebook(stem).cells
    for i, cell in enumerate(cells):
        if "aside" not in tags(cell):
            continue
        assert "nbgrader" not in cell.metadata, f"{stem} [{i}]: a graded cell in an aside"
        if cell.cell_type != "markdown":
            continue
        assert cell.source.lstrip("# ").startswith("Aside (optional)"), f"{stem} [{i}]"
        # An aside starts where the markdown before it (its code cells aside) is not one.
        previous = [c for c in cells[:i] if c.cell_type == "markdown"]
        starts = not previous or "aside" not in tags(previous[-1])
        if starts:
            assert cell.source.startswith("#"), f"{stem} [{i}]: an aside starts with a heading"
            assert cell.metadata.get("jp-MarkdownHeadingCollapsed") is True, f"{stem} [{i}]"
            # Collapsing the heading hides every cell up to the next heading of its level
            # or higher: those must all be part of the aside.
            level = len(cell.source) - len(cell.source.lstrip("#"))
            for j in range(i + 1, len(cells)):
                heading = re.match(r"(#+) ", cells[j].source)
                if cells[j].cell_type == "markdown" and heading and len(heading.group(1)) <= level:
                    break
                # Markdown and code alike: the aside's own cells, never an exercise.
                assert "aside" in tags(cells[j]), f"{stem} [{j}] hidden by the aside at [{i}]"
                assert "nbgrader" not in cells[j].metadata, f"{stem} [{j}] in an aside"


def exercise_uses(solution):
    """Whether a cell's source uses one of the notebook's exercise functions (by name: a
    call, or a ``graded.uses_exercise("name")`` guard over a result of one)."""
    exercises = {name for c in solution.cells if c.get("metadata", {}).get("nbgrader", {}).get(
        "solution") for name in re.findall(r"^def (\w+)\(", c.source, flags=re.M)}
    pattern = re.compile(r"\b(" + "|".join(sorted(exercises)) + r")\b(?!_test)")
    # (an import of the package's function of the same name is no use of the exercise)
    return lambda source: pattern.search(re.sub(r"^from \S+ import .*$", "", source, flags=re.M))


@pytest.mark.parametrize("stem", sorted(p.stem for p in SOLUTIONS.glob("*.ipynb")))
def test_no_stored_output_of_the_learners_functions(stem):
    solution = notebook(stem)
    assert learner_output_problems(solution) == []
    # And the learner edition indeed keeps no output of a cell that shows a learner's result.
    learner = strip_solutions(solution)
    for i, cell in enumerate(learner.cells):
        if shows_learner_result(cell):
            assert cell.outputs == [], f"{stem} [{i}] shows the reference's result"


@pytest.mark.parametrize("stem", TIMED)
def test_only_the_learners_results_are_cleared(stem):
    # A result the package computes stays in the learner edition, like the chart beside it
    # (04's table of architectures, picked with the package's best_checkpoint).
    solution = notebook(stem)
    uses = exercise_uses(solution)
    for i, cell in enumerate(solution.cells):
        if shows_learner_result(cell) and "graded.see_result(" not in cell.source:
            assert uses(cell.source), f"{stem} [{i}] clears a result of the package"


def unguarded(source):
    """``source`` with the body of each ``with graded.uses_exercise(...):`` dedented: its
    names are the cell's top-level names."""
    lines, inside = [], False
    for line in source.splitlines():
        if line.startswith("with graded.uses_exercise("):
            inside = True
            continue
        if inside and line.startswith("    "):
            line = line[4:]
        elif line.strip():
            inside = False
        lines.append(line)
    return "\n".join(lines)


def test_notebook_03_gives_each_model_its_own_names():
    sources = [c.source for c in notebook("03_cat_classifier_application").cells
               if c.cell_type == "code"]
    top_level = "\n".join(line for s in sources for line in unguarded(s).splitlines()
                          if not line.startswith((" ", "def ")))
    assert not re.search(r"^(layer_dims|parameters|costs)\b.*=", top_level, flags=re.M)
    for name in ("two_layer_dims", "layers_dims_deep", "parameters_2layer", "parameters_deep"):
        assert re.search(rf"^{name}\b.*=|, {name} =", top_level, flags=re.M), name


def test_notebook_03_training_loops_start_from_a_commented_plan():
    learner = strip_solutions(notebook("03_cat_classifier_application"))
    for name in ("two_layer_model", "L_layer_model"):
        cell = next(c for c in learner.cells if c.source.startswith(f"def {name}("))
        plan = re.findall(r"# .*\(≈ \d+ lines?\)", cell.source)
        assert len(plan) >= 3, (name, plan)
        # Each planned step is followed by its own place to write code.
        assert cell.source.count("# YOUR CODE HERE") == len(plan), name
