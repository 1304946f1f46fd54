"""The learner edition of notebook 02 in a real JupyterLab, driven by Debian's chromium.

A JupyterLab server is started on 127.0.0.1 (a free port, a random token) in a temporary
folder that holds a fresh release of the solution notebooks; Playwright drives
``/usr/bin/chromium`` headless at 1024 x 768. The notebook must open unmodified, Run All
must reach its last cell although its exercises are unfinished (the graded cells carry
the ``raises-exception`` tag), an unfinished exercise must say so in one line, a wrong
answer's hint must wrap between words (JupyterLab styles error output with
``word-break: break-all``), and a formula must be rendered by MathJax.

Needs the instructor extra (``pip install -r requirements-instructor.txt``: Playwright, a
Python package whose wheel bundles its driver) and Debian's chromium
(``apt-get install chromium``); no browser is downloaded. Without them the test is skipped
with the reason, except in CI (``CI=true``), where it fails instead.
"""

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from ci_skip import skip_or_fail

from dnn_utils.graded.failure import FEEDBACK_WIDTH
from dnn_utils.workbook.conventions import STUB_RAISE
from dnn_utils.workbook.release import release

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = "02_building_your_deep_network.ipynb"
CHROMIUM = "/usr/bin/chromium"
WRONG_ANSWER = "Z = A.T @ W.T + b  # a wrong answer, on purpose"
# In an output element: its text, how many lines the browser shows it on, every line
# break that does not fall between two words, and how many columns the element holds.
_VISUAL_LINES = """
(element) => {
  const text = element.innerText;
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const chars = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      chars.push([node.data[i], rect ? rect.top : null]);
    }
  }
  let lines = 0, top = null, splits = [];
  for (let i = 0; i < chars.length; i++) {
    const [c, y] = chars[i];
    if (y === null || c === "\\n") continue;
    if (top === null || y > top + 2) {
      lines += 1;
      const before = i > 0 ? chars[i - 1][0] : "\\n";
      if (top !== null && !/\\s/.test(before) && !/\\s/.test(c)) {
        splits.push(chars.slice(Math.max(0, i - 12), i + 12).map(x => x[0]).join(""));
      }
      top = y;
    }
  }
  const probe = document.createElement("span");
  probe.textContent = "x".repeat(10);
  element.querySelector("pre").appendChild(probe);
  const columns = element.querySelector("pre").clientWidth / (probe.getBoundingClientRect().width / 10);
  probe.remove();
  return {text, lines, splits, columns};
}
"""


def require(condition, reason):
    """Skip with ``reason`` when ``condition`` is false; in CI, fail instead."""
    if not condition:
        skip_or_fail(reason)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def learner_copy(folder: Path) -> None:
    """A fresh learner edition in ``folder``, with one exercise of 02 answered wrongly."""
    release(None, folder)
    path = folder / NOTEBOOK
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if "".join(c["source"]).startswith("def linear_forward("))
    source = "".join(cell["source"])
    assert STUB_RAISE in source
    cell["source"] = source.replace(STUB_RAISE, WRONG_ANSWER, 1)
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    """The URL and token of a JupyterLab server serving a learner copy; stopped afterwards."""
    require(Path(CHROMIUM).exists(), f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        require(False, "playwright is not installed (pip install -r "
                "requirements-instructor.txt)")
    require(_has_module("jupyterlab"), "jupyterlab is not installed")
    root = tmp_path_factory.mktemp("jupyterlab")
    notebooks, config = root / "notebooks", root / "config"
    learner_copy(notebooks)
    # Every cell in the page, so the test can read them all (JupyterLab otherwise leaves
    # cells far from the view out of the page); nothing else differs from the defaults.
    settings = config / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(REPO)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]),
        "JUPYTER_RUNTIME_DIR": str(root / "runtime"), "JUPYTER_CONFIG_DIR": str(config)}
    log = (root / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
         "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
         "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={notebooks}",
         f"--LabApp.user_settings_dir={config / 'settings'}",
         f"--LabApp.workspaces_dir={config / 'workspaces'}"],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=notebooks,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=5)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not start:\n"
                                + (root / "server.log").read_text()[-3000:])
                time.sleep(0.5)
        yield url, token, notebooks
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def _has_module(name):
    import importlib.util

    return importlib.util.find_spec(name) is not None


def wait_idle(page, timeout_ms):
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                           state="attached", timeout=timeout_ms)


@pytest.fixture(scope="module")
def session(jupyterlab):
    """What the page showed: after opening the notebook, and after Run All."""
    from playwright.sync_api import sync_playwright

    url, token, notebooks = jupyterlab
    seen = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1024, "height": 768})
            page.goto(f"{url}/lab/tree/{NOTEBOOK}?token={token}")
            wait_idle(page, 90_000)  # the kernel has started and answered
            page.wait_for_timeout(3000)  # time for JupyterLab to rewrite what it wants
            seen["dirty tabs"] = page.locator(".lm-TabBar-tab.jp-mod-dirty").count()
            seen["tab title"] = page.locator(".lm-TabBar-tab.jp-mod-current").inner_text()
            seen["formulas"] = page.locator(".jp-MarkdownCell mjx-container").count()

            page.locator(".lm-MenuBar-item", has_text="Run").first.click()
            page.locator("li.lm-Menu-item", has_text="Run All Cells").first.click()
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='busy']",
                                   state="attached", timeout=30_000)
            wait_idle(page, 120_000)
            # The indicator can read idle before the queue is done on a loaded machine (the
            # other xdist worker busy too): wait until no cell is still queued ([*]).
            page.wait_for_function(
                "() => { const p = document.querySelectorAll('.jp-CodeCell .jp-InputPrompt');"
                " return p.length > 0 && !Array.from(p).some(e => e.textContent.includes('*')); }",
                timeout=300_000)
            page.wait_for_timeout(1000)
            seen["prompts"] = page.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()
            cells = page.locator(".jp-Notebook .jp-CodeCell")
            seen["cells"] = []
            for i in range(cells.count()):
                cell = cells.nth(i)
                source = cell.locator(".jp-InputArea-editor").inner_text()
                errors = cell.locator(
                    ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
                shown = [errors.nth(j).evaluate(_VISUAL_LINES) for j in range(errors.count())]
                seen["cells"].append((source, shown))
        finally:
            browser.close()
    return seen


def errors_of(session, source_start):
    return [shown for source, shown in session["cells"]
            if source.strip().startswith(source_start)][0]


def test_the_learner_edition_opens_unmodified(session):
    assert session["dirty tabs"] == 0, session["tab title"]


def test_a_formula_is_rendered_by_mathjax(session):
    assert session["formulas"] > 0


def test_run_all_reaches_the_last_cell(session):
    prompts = [p.strip() for p in session["prompts"]]
    assert prompts and all(p[1:-2].isdigit() for p in prompts), prompts
    numbers = [int(p[1:-2]) for p in prompts]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers), numbers
    # Unfinished exercises did not stop it: several graded cells failed on the way.
    failed = [source for source, shown in session["cells"]
              if shown and source.startswith("graded.") and "_test(" in source]
    assert len(failed) >= 5, failed


def test_an_unfinished_exercise_says_so_in_one_line(session):
    [shown] = errors_of(session, "graded.initialize_parameters_test(")
    assert shown["text"].strip() == "initialize_parameters is not implemented yet: write it above."
    assert shown["lines"] == 1, shown


def test_a_wrong_answers_hint_wraps_between_words(session):
    [shown] = errors_of(session, "graded.linear_forward_test(")
    text = shown["text"]
    assert text.startswith("linear_forward: Z has shape (2, 1), expected (1, 2)."), text
    assert "Hint: the shape of Z is the transpose" in text
    assert shown["lines"] >= 2 and shown["splits"] == [], shown
    # Feedback lines are as wide as the output area allows at 1024 px, and no wider.
    assert FEEDBACK_WIDTH <= shown["columns"] < FEEDBACK_WIDTH + 8, shown["columns"]
