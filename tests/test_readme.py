"""What the README promises about running the tests is what pytest does."""

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text()


def test_the_test_command_is_plain_pytest_and_says_how_long_it_takes():
    after_marker = README.split("<!-- test-command -->", 1)[1].splitlines()
    assert after_marker[1:3] == ["```bash", "pytest"], after_marker[:4]
    section = README.split("## Run the tests", 1)[1].split("\n## ", 1)[0]
    assert re.search(r"2-core machine the whole suite takes about [^.]*minutes", section), (
        "the README should say how long `pytest` takes on a 2-core machine")


def test_the_quick_subset_leaves_out_every_notebook_and_keeps_the_unit_tests():
    assert 'pytest -m "not slow"' in README
    listed = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         "-m", "not slow"],
        cwd=REPO, capture_output=True, text=True, timeout=300)
    assert listed.returncode == 0, listed.stdout[-2000:] + listed.stderr[-2000:]
    node_ids = [line for line in listed.stdout.splitlines() if "::" in line]
    files = {n.split("::", 1)[0] for n in node_ids}
    assert not [f for f in files if f.endswith(".ipynb")], "a notebook check is in the quick subset"
    assert not [n for n in node_ids if "test_portability" in n or "test_application" in n]
    assert len(node_ids) > 300, f"only {len(node_ids)} tests in the quick subset"
