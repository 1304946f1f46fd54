"""Scaffold a new exercise: ``python -m dnn_utils.workbook new-exercise NAME --notebook N``.

It writes what docs/AUTHORING.md's "Add an exercise" asks for, with placeholders where only
the author can write: in the solution notebook, a heading, the exercise cell (its ``def``
line from ``--signature``, nbgrader metadata, a solution region), its graded cell and, in a
notebook that shows every exercise's result, a see-your-result pair; and a graded-test
module ``dnn_utils/graded/NAME.py`` whose test fails until it is written. Then it
renumbers the notebook's exercises and rewrites the counts in its prose. A question is
scaffolded the same way by :mod:`dnn_utils.workbook.authoring.scaffold_question`.

Every placeholder carries the marker ``TODO(new-exercise)``, and ``check`` reports each one
still there (:func:`dnn_utils.workbook.authoring.check.placeholder_problems`), so a scaffold cannot
be released half-written.
"""

from __future__ import annotations

import ast
import keyword
from importlib import resources
from pathlib import Path

from nbformat.v4 import new_code_cell, new_markdown_cell

from ...files import write_bytes_atomically
from .check import PLACEHOLDER, SEE_RESULT, imports_graded
from .conventions import WorkbookError, graded_cells, read_notebook
from .notebook_rules import SEE_RESULT_CALL
from .numbering import renumber
from .release import default_source_dir, notebook_bytes


def read_template(name: str) -> str:
    """The text of the file template ``templates/<name>`` of :mod:`dnn_utils.workbook`.

    Read as package data (it ships in the wheel), to be filled in with ``str.format``.
    """
    return resources.files("dnn_utils.workbook").joinpath("templates", name).read_text(
        encoding="utf-8")


def check_name(name: str) -> None:
    """Refuse ``name`` unless it is a Python name that can be an exercise's."""
    if not (isinstance(name, str) and name.isidentifier() and name[0].isalpha()
            and not keyword.iskeyword(name)):
        raise WorkbookError(f"NAME {name!r}: expected a Python function name such as "
                            "'tanh_forward' (letters, digits and _, starting with a letter)")


def check_points(points) -> None:
    """Refuse points that are not a positive whole number."""
    if isinstance(points, bool) or not isinstance(points, int) or points <= 0:
        raise WorkbookError(f"--points {points!r}: expected a positive whole number, e.g. 1")


def parse_signature(signature: str) -> list[str]:
    """The names of the required parameters of a ``def`` line's parameter list.

    Parameters
    ----------
    signature : str
        What goes between the parentheses, e.g. ``"Z, slope=0.01"``.

    Raises
    ------
    WorkbookError
        When it is not the parameter list of a Python function.
    """
    try:
        text = f"def f({signature}):\n    pass\n"
        compile(text, "<signature>", "exec")  # also refuses a repeated parameter name
        tree = ast.parse(text)
    except SyntaxError as exc:
        raise WorkbookError(f"--signature {signature!r}: expected the parameters of a Python "
                            "def line, e.g. 'Z, slope=0.01'; Python says: "
                            f"{exc.msg}") from None
    arguments = tree.body[0].args
    if ("\n" in signature or len(tree.body) != 1 or len(tree.body[0].body) != 1
            or arguments.vararg or arguments.kwarg):
        raise WorkbookError(f"--signature {signature!r}: expected named parameters on one "
                            "line, e.g. 'Z, slope=0.01' (no *args or **kwargs: the graded "
                            "test calls the function with the arguments the signature names)")
    positional = arguments.posonlyargs + arguments.args
    required = len(positional) - len(arguments.defaults)
    return [a.arg for a in positional[:required]] + [
        a.arg for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults) if d is None]


def find_notebook(source: Path, notebook: str) -> Path:
    """The solution notebook ``--notebook`` names (its number, stem or file name)."""
    paths = sorted(source.glob("*.ipynb"))
    found = [p for p in paths if notebook in (p.stem, p.name, p.stem.split("_", 1)[0])]
    if len(found) != 1:
        raise WorkbookError(
            f"--notebook {notebook!r}: expected the number or the name of one solution "
            f"notebook in {source}; found {len(found)} matching. The notebooks are: "
            f"{', '.join(p.stem for p in paths) or 'none'}.")
    return found[0]


def insert_at(nb, after: str | None, path: Path) -> int:
    """Index where the new cells go: past ``after``'s graded cell and its see-result cells."""
    graded = graded_cells(nb, path.name)
    if after is None:
        if not graded:
            return len(nb.cells)
        index = graded[-1].index
    else:
        matches = [cell.index for cell in graded if cell.name == after]
        if not matches:
            raise WorkbookError(
                f"--after {after!r}: {path.name} has no exercise of that name; expected one "
                f"of: {', '.join(c.name for c in graded) or 'none (leave out --after)'}.")
        index = matches[0]
    index += 1
    # A see-your-result pair (markdown, then its code cell) belongs to the exercise above.
    while (index + 1 < len(nb.cells) and nb.cells[index].cell_type == "markdown"
           and nb.cells[index].source.startswith(SEE_RESULT)):
        index += 2
    return index


def exercise_metadata(name: str) -> dict:
    """The nbgrader metadata of an exercise cell (the learner's answer goes there)."""
    return {"nbgrader": {"grade": False, "grade_id": f"{name}_solution", "locked": False,
                         "schema_version": 3, "solution": True}}


def graded_cell(name: str, points: int):
    """The graded cell ``graded.<name>_test(<name>)`` of an exercise."""
    return new_code_cell(
        f"graded.{name}_test({name})", id=f"{name}-graded"[:64],
        metadata={"nbgrader": {"grade": True, "grade_id": name, "locked": True,
                               "points": points, "schema_version": 3, "solution": False}})


def _see_result_cells(name: str, required: list[str]) -> list:
    examples = [f"{argument}_example" for argument in required]
    markdown = new_markdown_cell(
        f"{SEE_RESULT} {PLACEHOLDER}: describe the example.\n\n```text\n{PLACEHOLDER}: run "
        "the notebook with 'python -m dnn_utils.workbook execute' and copy here what the "
        "cell below prints\n```", id=f"{name}-see-text"[:64])
    code = new_code_cell(
        f"# {PLACEHOLDER}: example inputs, e.g. np.random.seed(1) and arrays of small shapes\n"
        + "".join(f"{example} = ...\n" for example in examples)
        + f"graded.see_result({', '.join([name, *examples])}, names=\"{PLACEHOLDER}\")",
        id=f"{name}-see"[:64])
    return [markdown, code]


def _cells(name: str, points: int, signature: str, see_result: bool) -> list:
    heading = new_markdown_cell(
        f"### Exercise 0 - `{name}`\n\n{PLACEHOLDER}: say what `{name}` takes and returns, "
        "with the shape of each array, and its formula as the lecture writes it.",
        id=f"{name}-heading"[:64])
    exercise = new_code_cell(
        f"def {name}({signature}):\n"
        f'    """{PLACEHOLDER}: the arguments and the return value, with their shapes."""\n'
        "    ### BEGIN SOLUTION\n"
        f'    raise NotImplementedError("{PLACEHOLDER}: the solution")\n'
        "    ### END SOLUTION",
        id=f"{name}-solution"[:64], metadata=exercise_metadata(name))
    cells = [heading, exercise, graded_cell(name, points)]
    if see_result:
        cells += _see_result_cells(name, parse_signature(signature))
    return cells


def refuse_taken(name: str, books: dict, graded_dir: Path, graded) -> Path:
    """The new module's path; refuse a name an exercise, module or test already has."""
    for stem, book in books.items():
        if any(cell.name == name for cell in graded_cells(book, stem)):
            raise WorkbookError(f"NAME {name!r}: notebook {stem} already has an exercise of "
                                "that name; choose another name")
    module = graded_dir / f"{name}.py"
    if module.exists() or hasattr(graded, f"{name}_test"):
        found = module.name if module.exists() else f"a test {name}_test"
        raise WorkbookError(f"NAME {name!r}: {graded_dir} already has {found}; choose "
                            "another name, or add the cells by hand as docs/AUTHORING.md says")
    return module


def prepare(name: str, points, notebook: str, source, graded_dir):
    """Check a new exercise's name and points; read the notebooks.

    Returns
    -------
    (Path, Path, dict, Path)
        The folder of solution notebooks, the notebook ``--notebook`` names, every notebook
        by stem, and the new graded-test module's path (refused when taken).
    """
    check_name(name)
    check_points(points)
    source = Path(default_source_dir() if source is None else source)
    from dnn_utils import graded  # the tests' index, only when scaffolding

    graded_dir = Path(graded.__file__).parent if graded_dir is None else Path(graded_dir)
    path = find_notebook(source, notebook)
    books = {p.stem: read_notebook(p) for p in sorted(source.glob("*.ipynb"))}
    return source, path, books, refuse_taken(name, books, graded_dir, graded)


def write_scaffold(name: str, module: Path, text: str, books: dict, path: Path,
                   source: Path) -> list[str]:
    """Write the test module, the notebook and any other notebook renumbering changed.

    Returns
    -------
    list of str
        One line per file written and per label or count rewritten.
    """
    changes = renumber(books)
    try:
        write_bytes_atomically(module, text.encode("utf-8"))
    except OSError as exc:
        raise WorkbookError(f"could not write {module}: {exc.strerror}; nothing of {name} "
                            "was added. Make the folder writable and run again.") from None
    written = [f"wrote {module}"]
    target = source / f"{path.stem}.ipynb"
    try:
        write_bytes_atomically(target, notebook_bytes(books[path.stem]))
    except OSError as exc:
        module.unlink(missing_ok=True)  # without its cells the module would be an orphan
        raise WorkbookError(f"could not write {target}: {exc.strerror}; nothing of {name} "
                            "was added. Make the notebook writable and run again.") from None
    written.append(f"wrote {target}")
    # Renumbering may also rewrite a cross-reference in another notebook.
    for stem, book in books.items():
        if stem != path.stem and any(change.startswith(f"{stem},") for change in changes):
            write_bytes_atomically(source / f"{stem}.ipynb", notebook_bytes(book))
            written.append(f"wrote {source / f'{stem}.ipynb'}")
    return written + changes


def insert_cells(nb, index: int, cells: list, name: str) -> None:
    """Put ``cells`` at ``index``, after an import of ``graded`` if none comes before."""
    if not any(c.cell_type == "code" and imports_graded(c.source) for c in nb.cells[:index]):
        cells = [new_code_cell("from dnn_utils import graded", id=f"{name}-import"[:64]),
                 *cells]
    nb.cells[index:index] = cells


def new_exercise(name: str, notebook: str, points: int = 1, after: str | None = None,
                 source=None, graded_dir=None, signature: str = "Z") -> list[str]:
    """Add the exercise ``name`` to a solution notebook and a graded-test module for it.

    Parameters
    ----------
    name : str
        The learner's function, e.g. ``"tanh_forward"``; its test is ``name_test``.
    notebook : str
        The notebook's number (``"02"``) or file stem.
    points : int, optional
        The exercise's points (a positive int).
    after : str, optional
        The exercise after which the new one goes; by default the notebook's last.
    source : path, optional
        The folder of solution notebooks (default: the repository's).
    graded_dir : path, optional
        The folder of graded-test modules (default: ``dnn_utils/graded``).
    signature : str, optional
        The parameters of the function's ``def`` line, e.g. ``"Z, slope=0.01"``.

    Returns
    -------
    list of str
        One line per file written and per label or count rewritten.

    Raises
    ------
    WorkbookError
        For a bad name, points, signature, notebook or ``after``, or a name already in
        use; nothing is written then.
    """
    parse_signature(signature)
    source, path, books, module = prepare(name, points, notebook, source, graded_dir)
    nb = books[path.stem]
    shows_results = any(c.cell_type == "code" and SEE_RESULT_CALL.search(c.source)
                        for c in nb.cells)
    insert_cells(nb, insert_at(nb, after, path),
                 _cells(name, points, signature, shows_results), name)
    text = read_template("graded_test.py.tmpl").format(
        name=name, number=path.stem.split("_", 1)[0], placeholder=PLACEHOLDER,
        signature=signature)
    return write_scaffold(name, module, text, books, path, source)
