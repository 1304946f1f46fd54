"""Make a folder of made-up submissions to try class grading on (tests and benchmark).

Every submission is a copy of one solution notebook, changed the way a learner would (or
an attacker): ``SUBMISSIONS_DIR/<learner>/<notebook>.ipynb``, the layout
``python -m dnn_utils.workbook grade SUBMISSIONS_DIR`` reads. The kinds:

- ``honest``: every exercise solved (the solution, outputs cleared).
- ``partly_wrong``: some exercises left as the stub, some returning a wrong result (every
  array the function returns multiplied by 1.5), the rest solved.
- ``empty``: the learner edition as released, nothing done.
- ``forger``: the learner edition plus a cell printing things shaped like verdicts.
- ``vandal``: solved, plus a cell that overwrites every notebook in its own and its
  neighbors' folders (a classmate's, in a shared folder) with an empty one.
- ``killer``: the learner edition plus a cell that SIGKILLs the process that runs its
  kernel (the grader, when grading is not sandboxed).
- ``crasher``: solved, plus a cell after the first exercise that raises, and a last cell
  that kills its own kernel with ``os._exit(1)``.
- ``hanger``: the learner edition plus a cell that sleeps for an hour (longer than the
  batch's wall-clock limit, which then stops its grading). Not among the default twenty.
- ``single_slip``: solved, but one block that other exercises call returns a wrong result
  (times 1.5), so its callers fail too: one slip, counted once at its root. Not among the
  default twenty.

The points each kind earns from an honest grader are in :func:`honest_score`.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell

from dnn_utils.workbook.authoring.conventions import graded_cells, is_exercise_cell, read_notebook
from dnn_utils.workbook.authoring.release import default_source_dir, strip_solutions

DEFAULT_NOTEBOOK = "02_building_your_deep_network"
# The twenty of the benchmark: most learners honest or partly wrong, a few hostile.
DEFAULT_KINDS = (
    ["honest"] * 6 + ["partly_wrong"] * 7 + ["empty"] * 2
    + ["forger", "vandal", "killer", "crasher", "crasher"]
)

_WRONG_RESULT = '''
def _times_one_and_a_half(value):
    import numpy as np
    if isinstance(value, np.ndarray) or isinstance(value, float):
        return value * 1.5
    if isinstance(value, tuple):
        return tuple(_times_one_and_a_half(v) for v in value)
    if isinstance(value, dict):
        return {{k: _times_one_and_a_half(v) for k, v in value.items()}}
    return value

def _make_wrong(function):
    def wrong(*args, **kwargs):
        return _times_one_and_a_half(function(*args, **kwargs))
    return wrong

{name} = _make_wrong({name})
'''

_HOSTILE_CELLS = {
    "forger": (
        'for nonce in ["", "0" * 32]:\n'
        '    print(f"<<dnn-workbook-result {nonce}>>{{\\"passed\\": true}}'
        '<<end dnn-workbook-result {nonce}>>")\n'
    ),
    "vandal": (
        "from pathlib import Path\n"
        "for target in list(Path('.').glob('*.ipynb')) + list(Path('..').glob('*/*.ipynb')):\n"
        "    try:\n"
        "        target.write_text('{}')\n"
        "    except OSError:\n"
        "        pass\n"
    ),
    "killer": "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n",
    "hanger": "import time\ntime.sleep(3600)\n",
}


def _clear_outputs(nb):
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def _exercise_indices(nb) -> list[int]:
    return [i for i, cell in enumerate(nb.cells) if is_exercise_cell(cell)]


def _exercise_name(cell) -> str:
    return cell.metadata["nbgrader"]["grade_id"].removesuffix("_solution")


def exercises_depending_on(nb, broken: set) -> set:
    """Exercises whose solution calls a broken one, directly or through others."""
    names = {_exercise_name(nb.cells[i]) for i in _exercise_indices(nb)}
    calls = {}
    for index in _exercise_indices(nb):
        cell = nb.cells[index]
        own = _exercise_name(cell)
        calls[own] = {n for n in names - {own} if re.search(rf"\b{n}\(", cell.source)}
    found = set(broken)
    while True:
        more = {name for name, used in calls.items() if used & found} - found
        if not more:
            return found - broken
        found |= more


def _changed_exercises(solution, nb) -> set:
    """The exercises whose cell ``nb`` holds otherwise than the solution (the learner's own)."""
    def cells(book):
        return {_exercise_name(book.cells[i]): book.cells[i].source
                for i in _exercise_indices(book)}

    mine = cells(nb)
    return {name for name, source in cells(solution).items() if mine.get(name) != source}


def make_submission(kind: str, solution, rng: random.Random):
    """One made-up learner notebook of the given kind.

    Parameters
    ----------
    kind : str
        One of the kinds in the module docstring.
    solution : nbformat.NotebookNode
        The solution notebook it is made from (not modified).
    rng : random.Random
        Chooses which exercises a ``partly_wrong`` learner got wrong.

    Returns
    -------
    (nbformat.NotebookNode, set of str)
        The notebook, and the names of the exercises an honest grader passes.
    """
    solved = _clear_outputs(nbformat.from_dict(solution))
    released = strip_solutions(solved, "sample")
    all_names = {_exercise_name(solved.cells[i]) for i in _exercise_indices(solved)}
    if kind == "honest":
        return solved, all_names
    if kind == "empty":
        return released, set()
    if kind in ("forger", "killer", "hanger"):
        released.cells.append(new_code_cell(_HOSTILE_CELLS[kind]))
        return released, set()
    if kind == "vandal":
        solved.cells.append(new_code_cell(_HOSTILE_CELLS[kind]))
        return solved, all_names
    if kind == "crasher":
        first = _exercise_indices(solved)[0]
        solved.cells.insert(first + 1, new_code_cell("raise RuntimeError('my own bug')"))
        solved.cells.append(new_code_cell("import os\nos._exit(1)"))
        return solved, all_names
    if kind == "single_slip":
        blocks = [i for i in _exercise_indices(solved)
                  if exercises_depending_on(solved, {_exercise_name(solved.cells[i])})]
        index = rng.choice(blocks)
        name = _exercise_name(solved.cells[index])
        solved.cells[index].source += "\n" + _WRONG_RESULT.format(name=name)
        return solved, all_names - {name} - exercises_depending_on(solved, {name})
    if kind == "partly_wrong":
        indices = _exercise_indices(solved)
        chosen = rng.sample(indices, rng.randint(1, max(1, len(indices) // 2)))
        passed = set(all_names)
        for index in chosen:
            name = _exercise_name(solved.cells[index])
            passed.discard(name)
            if rng.random() < 0.5:
                solved.cells[index] = released.cells[index]
            else:
                cell = solved.cells[index]
                cell.source = cell.source + "\n" + _WRONG_RESULT.format(name=name)
        return solved, passed - exercises_depending_on(solved, all_names - passed)
    raise ValueError(
        f"kind must be one of honest, partly_wrong, empty, forger, vandal, killer, crasher, "
        f"hanger, single_slip; got {kind!r}."
    )


def make_class(folder, kinds=DEFAULT_KINDS, notebook: str = DEFAULT_NOTEBOOK, *, seed: int = 0,
               source_dir=None) -> dict[str, dict]:
    """Write one made-up submission per kind into ``folder/<learner>/<notebook>.ipynb``.

    Parameters
    ----------
    folder : str or Path
        Created if missing; learners are named ``learner01``, ``learner02``, ...
    kinds : sequence of str, optional
        The kind of each learner (default: :data:`DEFAULT_KINDS`, twenty learners).
    notebook : str, optional
        The solution notebook to start from (its stem).
    seed : int, optional
        Seeds the choice of wrong exercises.
    source_dir : str or Path, optional
        Folder of solution notebooks (the repository's by default).

    Returns
    -------
    dict
        ``{learner: {"kind", "path", "passed": set of exercise names, "score", "changed"}}``,
        where ``score`` is what an honest grader gives (``None`` for a ``hanger``, whose
        grading the batch's limit stops before it scores) and ``changed`` the exercises
        whose cell differs from the solution's (the learner's own slips and stubs).
    """
    folder = Path(folder)
    source = Path(default_source_dir() if source_dir is None else source_dir)
    solution = read_notebook(source / f"{notebook}.ipynb")
    points = {e.name: e.points for e in graded_cells(solution, notebook)}
    rng = random.Random(seed)
    made = {}
    for number, kind in enumerate(kinds, start=1):
        learner = f"learner{number:02d}"
        nb, passed = make_submission(kind, solution, rng)
        path = folder / learner / f"{notebook}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, str(path))
        score = None if kind == "hanger" else sum(points[n] for n in passed)
        made[learner] = {"kind": kind, "path": path, "passed": passed, "score": score,
                         "changed": _changed_exercises(solution, nb)}
    return made
