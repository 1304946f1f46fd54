"""Rules the repository's tests place on a solution notebook, for ``check`` to report first.

Each function takes a notebook and returns one sentence per problem, naming the cell
(counted from 1) and the fix; :func:`dnn_utils.workbook.authoring.check.convention_problems` calls
them all. The tests then assert these same functions on the real notebooks, so there is
one rule, said by ``check`` before any test fails:

* a notebook that shows one exercise's result in a "see your result" cell shows every
  exercise's (:func:`see_result_coverage_problems`);
* a notebook with a reading budget (metadata ``dnn_workbook.reading_budget``, in words)
  keeps its required reading within it and says in its first cell what the learner does
  and how long it takes (:func:`reading_problems`);
* a cell that calls one of the notebook's exercises keeps no output in the learner edition
  (:func:`learner_output_problems`);
* a notebook is stored executed: no code cell left unrun among run ones
  (:func:`unexecuted_problems`).
"""

from __future__ import annotations

import ast
import re

from .conventions import (
    NO_OUTPUT_TAG,
    is_exercise_cell,
    is_graded_cell,
    nbgrader_metadata,
    shows_learner_result,
)
from .reading import required_words

SEE_RESULT_CALL = re.compile(r"graded\.see_result\(\s*(\w+)")
FIRST_CELL_WHAT = "**What you will do:**"
_FIRST_CELL_TIME = re.compile(r"\*\*About [^*]*minutes\*\*")
EXECUTE_COMMAND = "python -m dnn_utils.workbook execute notebooks/solutions/{stem}.ipynb"


def stdout_of(cell) -> str:
    """What a code cell printed, as its stored outputs hold it."""
    return "".join(o.get("text", "") for o in cell.get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == "stdout")


def _graded(nb) -> list[tuple[int, str]]:
    return [(i, nbgrader_metadata(c).get("grade_id")) for i, c in enumerate(nb.cells)
            if is_graded_cell(c)]


def see_result_coverage_problems(nb) -> list[str]:
    """In a notebook with any see-your-result cell, each exercise has one after its test."""
    shown = {}
    for index, cell in enumerate(nb.cells):
        match = SEE_RESULT_CALL.search(cell.source) if cell.cell_type == "code" else None
        if match:
            shown.setdefault(match.group(1), []).append(index)
    if not shown:
        return []
    problems = []
    for index, name in _graded(nb):
        if not any(at > index for at in shown.get(name, [])):
            problems.append(
                f"cell {index + 1}: exercise `{name}` has no see-your-result cell after its "
                "graded cell, and this notebook shows every exercise's result: add a markdown "
                "cell starting '**See your result.**' with the expected output in a ```text "
                f"block, then a code cell 'graded.see_result({name}, <example arguments>, "
                "names=\"...\")' (new-exercise writes both)")
    return problems


def reading_problems(nb) -> list[str]:
    """Required reading within ``dnn_workbook.reading_budget`` and a first cell that says
    what the learner does and how long it takes (for a notebook with a budget)."""
    meta = nb.metadata.get("dnn_workbook")
    budget = meta.get("reading_budget") if isinstance(meta, dict) else None
    if budget is None:
        return []
    if isinstance(budget, bool) or not isinstance(budget, int) or budget <= 0:
        return [f"notebook metadata 'dnn_workbook.reading_budget' should be a positive number "
                f"of words, e.g. 2000; found {budget!r}"]
    problems = []
    words = required_words(nb)
    if words > budget:
        problems.append(
            f"the notebook asks for {words} words of required reading (markdown outside "
            f"asides), over its budget of {budget} (metadata 'dnn_workbook.reading_budget'): "
            "cut words, move optional depth into asides, or raise the budget on purpose")
    first = nb.cells[0].source if nb.cells else ""
    if FIRST_CELL_WHAT not in first or not _FIRST_CELL_TIME.search(first):
        problems.append(
            f"cell 1: the first cell of a notebook with a reading budget says "
            f"'{FIRST_CELL_WHAT} ...' and '**About N minutes**' (how long it takes)")
    return problems


def python_source(source: str) -> str:
    """A code cell's source with its IPython magics and shell lines blanked out."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                     for line in source.splitlines())


def loaded_names(source: str) -> set[str]:
    """Names a code cell reads (IPython magics and shell lines left out)."""
    python = python_source(source)
    try:
        tree = ast.parse(python)
    except SyntaxError:
        return set(re.findall(r"\b\w+\b", python))
    return {node.id for node in ast.walk(tree)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}


def learner_output_problems(nb) -> list[str]:
    """A cell that calls one of the notebook's exercises shows no stored output to learners.

    Its stored output is the reference solution's result; the learner edition keeps it
    unless the cell is a see-your-result cell or is tagged ``learner-edition-no-output``.
    A cell of ``graded`` helpers that stores no output is fine too.
    """
    exercises = set()
    for cell in nb.cells:
        if is_exercise_cell(cell):
            exercises |= set(re.findall(r"^def (\w+)\(", cell.source, flags=re.M))
    problems = []
    for index, cell in enumerate(nb.cells):
        if (cell.cell_type != "code" or is_exercise_cell(cell) or is_graded_cell(cell)
                or shows_learner_result(cell)
                or ("graded." in cell.source and not cell.get("outputs"))):
            continue
        used = sorted(exercises & loaded_names(cell.source))
        if used:
            problems.append(
                f"cell {index + 1}: it calls the exercise `{used[0]}`, so its stored output is "
                "the solution's result, which the learner edition would show as the "
                f"learner's: show it with graded.see_result, or tag the cell '{NO_OUTPUT_TAG}'")
    return problems


def unexecuted_problems(nb, stem: str = "<notebook>") -> list[str]:
    """Once a notebook is executed, every non-empty code cell has been run."""
    code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.strip()]
    if not any(c.get("execution_count") is not None for _, c in code):
        return []
    return [f"cell {i + 1}: it was never run, and the notebook's outputs are stored for nbval "
            f"to compare: run '{EXECUTE_COMMAND.format(stem=stem)}'"
            for i, c in code if c.get("execution_count") is None]


def notebook_rule_problems(nb, stem: str = "<notebook>") -> list[str]:
    """Every problem of the rules above, in the order of the module docstring."""
    return (see_result_coverage_problems(nb) + reading_problems(nb)
            + learner_output_problems(nb)
            + unexecuted_problems(nb, stem))
