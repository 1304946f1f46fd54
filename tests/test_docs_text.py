"""The user docs' links resolve, the README stays short, and the docs say what is true now.

The README's length is counted as its whitespace-separated words that hold a letter or digit
(so table rules ``|`` and ``---`` and arrows do not count); the limit is README_MAX_WORDS.
A user doc says what is true now: the phrases of a development log in LOG_PHRASES, and
"issue N", belong in commit messages. A test a doc cites as proof must exist, and each
defended claim of the threat model must cite one.
"""

import re
from pathlib import Path

import pytest
from user_docs import DOCS, REPO, anchors, markdown_links

README_MAX_WORDS = 1500
#: Phrases of a development log, which belongs in commit messages, not in user docs.
LOG_PHRASES = ["this session", "until this session", "after issue", "before issue",
               "earlier version", "until now", "used to take"]


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: str(d.relative_to(REPO)))
def test_every_relative_link_resolves(doc):
    broken = []
    for target in markdown_links(doc.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target):
            continue  # https:, mailto:
        path, _, anchor = target.partition("#")
        resolved = (doc.parent / path).resolve() if path else doc
        if not resolved.is_relative_to(REPO) or not resolved.exists():
            broken.append(f"{target} (no such file)")
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            broken.append(f"{target} (no heading #{anchor} in {resolved.name})")
    assert not broken, f"{doc.relative_to(REPO)}: broken links: {broken}"


def test_the_docs_are_linked_from_the_readme_or_the_index():
    linked = set()
    for index in (REPO / "README.md", REPO / "docs" / "README.md"):
        linked |= {(index.parent / t.partition("#")[0]).resolve()
                   for t in markdown_links(index.read_text(encoding="utf-8"))}
    orphans = [d.name for d in DOCS if d.resolve() not in linked and d.name != "README.md"]
    assert not orphans, f"docs/ files nobody links to: {orphans}"


def readme_words():
    return [w for w in (REPO / "README.md").read_text(encoding="utf-8").split()
            if re.search(r"\w", w)]


def test_the_readme_reads_in_three_minutes():
    assert len(readme_words()) <= README_MAX_WORDS, (
        f"README.md has {len(readme_words())} words; keep it to {README_MAX_WORDS} and move "
        "the rest to docs/")


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: str(d.relative_to(REPO)))
def test_user_docs_hold_no_development_log(doc):
    text = doc.read_text(encoding="utf-8").lower()
    found = [p for p in LOG_PHRASES if p in text] + re.findall(r"\bissue \d+", text)
    assert not found, (f"{doc.relative_to(REPO)} reads like a development log ({found}); "
                       "say what is true now, and put the history in commit messages")


def test_every_test_the_docs_cite_exists():
    """A doc that says `tests/test_x.py` or `test_name` proves a claim points at real tests."""
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "tests").glob("*.py"))
    missing = []
    # datasets/README.md names the HDF5 data sets test_set_x and test_set_y, not tests.
    for doc in [d for d in DOCS if d.parent.name != "datasets"]:
        text = doc.read_text(encoding="utf-8")
        where = doc.relative_to(REPO)
        for path in re.findall(r"`((?:tests/)?test_\w+\.py)`", text):
            if not (REPO / "tests" / Path(path).name).is_file():
                missing.append(f"{where}: {path}")
        for name in re.findall(r"`(test_\w+)`", text):
            if not re.search(rf"^(async )?def {name}\(", sources, flags=re.M):
                missing.append(f"{where}: {name}")
    assert not missing, f"cited but not in tests/: {missing}"


def test_every_defended_claim_of_the_threat_model_names_its_test():
    text = (REPO / "docs" / "THREAT_MODEL.md").read_text(encoding="utf-8")
    defended = text.split("## What it defends", 1)[1].split("\n## ", 1)[0]
    claims = re.split(r"^- ", defended, flags=re.M)[1:]
    assert claims, "THREAT_MODEL.md lists no defended claim"
    unproved = [c.split(".", 1)[0] for c in claims if not re.search(r"`(tests/)?test_\w+", c)]
    assert not unproved, f"claims without the test that proves them: {unproved}"
