"""Follow docs/AUTHORING.md on a copy of the repository, as a newcomer would: add the exercise
`leaky_relu_forward` (with a signature), change its points, add a quiz question, release and
grade; then `git status` in the copy shows only the files the guide says changed, and the
quick suite (``pytest -m "not slow"``) passes there.

Every command run is one of the guide's ``bash`` lines, section by section in the guide's
order; everything written by hand is one of the guide's marked blocks (``<!-- guide: NAME
-->``), so the guide cannot drift from the tools.
"""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
GUIDE = (REPO / "docs" / "AUTHORING.md").read_text(encoding="utf-8")
NB02 = "02_building_your_deep_network"
NB06 = "06_key_concepts"
GIT = {"GIT_AUTHOR_NAME": "guide", "GIT_AUTHOR_EMAIL": "guide@example.org",
       "GIT_COMMITTER_NAME": "guide", "GIT_COMMITTER_EMAIL": "guide@example.org"}


def _strip(text, indent):
    return "\n".join(line[len(indent):] if line.startswith(indent) else line.lstrip()
                     for line in text.splitlines())


def guide_blocks():
    """``{name: text}`` of the guide's marked blocks, unindented."""
    found = re.findall(r"^( *)<!-- guide: (\S+) -->\n\1```\w*\n(.*?)\n\1```", GUIDE,
                       flags=re.M | re.S)
    return {name: _strip(text, indent) + "\n" for indent, name, text in found}


def guide_commands(section):
    """The workbook command lines of a ``## section`` of the guide, in order, split."""
    body = GUIDE.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    lines = [line.strip() for block in re.findall(r"```bash\n(.*?)```", body, flags=re.S)
             for line in block.splitlines()]
    commands = [shlex.split(line) for line in lines if line.startswith("python -m ")]
    assert commands, f"the guide's section {section!r} runs no command"
    return [[sys.executable, *words[1:]] for words in commands]


def run(copy, command, timeout=900):
    env = dict(os.environ, PYTHONPATH=str(copy), **GIT)
    return subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True,
                          timeout=timeout)


def ok(done):
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


def edit(path, change):
    nb = nbformat.read(path, as_version=4)
    change(nb.cells)
    nbformat.write(nb, path)


def cell_of(cells, grade_id):
    return next(c for c in cells if c.get("metadata", {}).get("nbgrader", {})
                .get("grade_id") == grade_id)


def write_exercise(cells, blocks):
    """What step 2 of "Add an exercise" asks the author to write in notebook 02."""
    heading = next(c for c in cells if c.cell_type == "markdown"
                   and "### Exercise" in c.source and "`leaky_relu_forward`" in c.source)
    heading.source = blocks["heading"].strip()
    cell_of(cells, "leaky_relu_forward_solution").source = blocks["exercise"].strip()
    index = next(i for i, c in enumerate(cells) if c.cell_type == "code"
                 and "graded.see_result(leaky_relu_forward" in c.source)
    cells[index].source = blocks["see-result"].strip()
    above = cells[index - 1]
    above.source = "**See your result.** A 2 x 3 example:\n\n" + above.source.split("\n\n", 1)[1]


def write_question(cells, blocks):
    """What step 2 of "Add a quiz question" asks the author to write in notebook 06."""
    label = next(c for c in cells if c.cell_type == "markdown"
                 and c.source.startswith("**Question") and "TODO(new-exercise)" in c.source)
    label.source = blocks["question"].strip()


def change_points(cells):
    cell_of(cells, "leaky_relu_forward").metadata["nbgrader"]["points"] = 2


@pytest.mark.slow
def test_following_the_guide_adds_an_exercise_and_a_question_and_the_quick_suite_passes(
        tmp_path, repo_copy):
    blocks = guide_blocks()
    assert set(blocks) == {"heading", "exercise", "see-result", "exercise-test", "question",
                           "question-test", "changed-files"}, sorted(blocks)
    copy = repo_copy
    ok(run(copy, ["git", "init", "-q"]))
    ok(run(copy, ["git", "add", "-A"]))
    ok(run(copy, ["git", "commit", "-qm", "before the guide"]))
    graded_dir = copy / "dnn_utils" / "graded"
    nb02 = copy / "notebooks" / "solutions" / f"{NB02}.ipynb"
    nb06 = copy / "notebooks" / "solutions" / f"{NB06}.ipynb"

    # Add an exercise: the scaffold, then check names what is left to write.
    scaffold, *rest = guide_commands("Add an exercise")
    ok(run(copy, scaffold))
    checked = run(copy, guide_commands("Add an exercise")[-1])
    assert checked.returncode == 1
    assert f"{NB02}.ipynb: cell" in checked.stdout and "TODO(new-exercise)" in checked.stdout
    assert "dnn_utils/graded/leaky_relu_forward.py, line" in checked.stdout
    edit(nb02, lambda cells: write_exercise(cells, blocks))
    (graded_dir / "leaky_relu_forward.py").write_text(blocks["exercise-test"], "utf-8")
    for command in rest:  # execute, then check
        ok(run(copy, command))
    solution = nbformat.read(nb02, as_version=4)
    see = next(i for i, c in enumerate(solution.cells)
               if "graded.see_result(leaky_relu_forward" in c.source)
    printed = solution.cells[see].outputs[0]["text"]
    assert printed.startswith("A =") and f"```text\n{printed}```" in solution.cells[see - 1].source
    assert "eleven graded exercises" in solution.cells[0].source

    # Change points.
    edit(nb02, change_points)

    # Add a quiz question.
    scaffold, *rest = guide_commands("Add a quiz question")
    ok(run(copy, scaffold))
    edit(nb06, lambda cells: write_question(cells, blocks))
    (graded_dir / "tanh_range.py").write_text(blocks["question-test"], "utf-8")
    for command in rest:
        ok(run(copy, command))
    assert "20 short questions" in nbformat.read(nb06, as_version=4).cells[0].source

    # Release and grade: the new exercise counts, at its new points.
    release, grade = guide_commands("Release and grade")
    ok(run(copy, release))
    extra = ["--json", str(tmp_path / "report.json")]
    if shutil.which("bwrap") is None or os.environ.get("DNN_WORKBOOK_BWRAP") == "none":
        extra.append("--no-sandbox")
    ok(run(copy, grade + extra))
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    points = {e["name"]: (e["points"], e["max_points"]) for e in report["exercises"]}
    assert points["leaky_relu_forward"] == (2, 2)
    assert report["score"] == report["max_score"], report

    # Only the files the guide names changed.
    status = ok(run(copy, ["git", "status", "--short", "--untracked-files=all"])).stdout
    assert sorted(status.splitlines()) == sorted(blocks["changed-files"].splitlines())

    # The quick suite passes in the copy.
    suite = run(copy, [sys.executable, "-m", "pytest", "-m", "not slow", "-q", "-x",
                       "-p", "no:cacheprovider"], timeout=1800)
    assert suite.returncode == 0, suite.stdout[-5000:] + suite.stderr[-2000:]
