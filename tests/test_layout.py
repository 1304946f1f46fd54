"""What a learner sees in notebooks/: the notebooks, and nothing of the tooling."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _tracked_files_under(folder):
    import subprocess

    out = subprocess.run(["git", "ls-files", folder], cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:  # not a git checkout: look at the files themselves
        return [p.relative_to(ROOT).as_posix() for p in (ROOT / folder).rglob("*") if p.is_file()]
    return out.stdout.split()


def test_the_learners_folder_holds_only_notebooks():
    files = _tracked_files_under("notebooks")
    assert files, "notebooks/ is empty"
    tooling = [f for f in files if not f.endswith(".ipynb")]
    assert tooling == [], f"not a notebook, in the learner's folder: {tooling}"


def test_the_nbval_sanitizer_is_where_pytest_is_told_it_is():
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert "--nbval-sanitize-with tests/nbval_sanitize.cfg" in pyproject
    assert (ROOT / "tests" / "nbval_sanitize.cfg").is_file()
