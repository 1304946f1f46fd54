"""The user docs (README.md, docs/*.md, datasets/README.md) as tests/test_docs*.py read them."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md")), REPO / "datasets" / "README.md"]


def without_code_blocks(text):
    """The markdown without its fenced blocks (a fence starts a line; ```text in prose does not)."""
    return re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)


def markdown_links(text):
    """The targets of [text](target) links, code spans and blocks left out."""
    text = without_code_blocks(text)
    text = re.sub(r"`[^`\n]*`", "", text)
    return re.findall(r"\]\(([^)\s]+)\)", text)


def anchors(path):
    """GitHub's anchors of a markdown file's headings."""
    text = without_code_blocks(path.read_text(encoding="utf-8"))
    return {re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
            for heading in re.findall(r"^#+ (.*)$", text, flags=re.M)}
