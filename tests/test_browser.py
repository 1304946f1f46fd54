"""The six learner notebooks, unfinished, in a real JupyterLab driven by Debian's chromium.

One JupyterLab server is started on 127.0.0.1 (a free port, a random token) in a temporary
folder that holds a fresh release of the solution notebooks (one exercise of 02 answered
wrongly); Playwright drives ``/usr/bin/chromium`` headless at 1024 x 768 through every
notebook in turn: open it, Run All, save it (so the test reads the outputs JupyterLab
recorded), shut its kernel down. Each notebook must open unmodified, and Run All must reach
its last cell although its exercises are unfinished: the graded cells carry the
``raises-exception`` tag and fail in one line each, a cell that runs an unfinished
exercise prints one line (``graded.uses_exercise``), and no output holds a traceback. In
02, a wrong answer's hint must wrap between words (JupyterLab styles error output with
``word-break: break-all``), and a formula must be rendered by MathJax.

Running every cell takes a few minutes (04 and 05 train networks that do not depend on the
exercises); the test is marked slow.

Needs the instructor extra (``pip install -r requirements-instructor.txt``: Playwright, a
Python package whose wheel bundles its driver) and Debian's chromium
(``apt-get install chromium``); no browser is downloaded. Without them the test is skipped
with the reason, except in CI (``CI=true``), where it fails instead.
"""

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from ci_skip import skip_or_fail

from dnn_utils.graded.failure import FEEDBACK_WIDTH
from dnn_utils.workbook.authoring.conventions import STUB_RAISE
from dnn_utils.workbook.authoring.release import release

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = "02_building_your_deep_network.ipynb"  # the one with a wrong answer
SOLUTIONS = REPO / "notebooks" / "solutions"
#: Every learner notebook, as the release names them.
NOTEBOOKS = sorted(path.name for path in SOLUTIONS.glob("*.ipynb"))
#: How long Run All of one notebook may take (04 trains networks for minutes; a busy machine).
RUN_ALL_MS = 40 * 60 * 1000
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


_RUN_ALL_OVER = """
() => {
  const indicator = document.querySelector(".jp-Notebook-ExecutionIndicator");
  const prompts = [...document.querySelectorAll(".jp-CodeCell .jp-InputPrompt")]
    .map(element => element.innerText.trim());
  return indicator !== null && indicator.dataset.status === "idle" && prompts.length > 0
    && !prompts.includes("[*]:") && prompts.some(p => /^\\[\\d+\\]:$/.test(p));
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
def sessions(jupyterlab):
    """For each notebook, what the page showed after opening it and after Run All, and the
    notebook JupyterLab saved."""
    from playwright.sync_api import sync_playwright

    url, token, notebooks = jupyterlab
    seen = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox"])
        try:
            for name in NOTEBOOKS:
                page = browser.new_page(viewport={"width": 1024, "height": 768})
                try:
                    seen[name] = run_all(page, url, token, name)
                finally:
                    page.close()
                    shut_down_kernels(url, token)
                seen[name]["saved"] = json.loads((notebooks / name).read_text(encoding="utf-8"))
        finally:
            browser.close()
    return seen


def run_all(page, url, token, name):
    """Open notebook ``name``, Run All, save it; what the page showed."""
    seen = {}
    # ?reset: a fresh workspace, so the notebooks opened before are not opened again.
    page.goto(f"{url}/lab/tree/{urllib.parse.quote(name)}?reset&token={token}")
    wait_idle(page, 90_000)  # the kernel has started and answered
    page.wait_for_timeout(3000)  # time for JupyterLab to rewrite what it wants
    seen["dirty tabs"] = page.locator(".lm-TabBar-tab.jp-mod-dirty").count()
    seen["tab title"] = page.locator(".lm-TabBar-tab.jp-mod-current").inner_text()
    seen["formulas"] = page.locator(".jp-MarkdownCell mjx-container").count()

    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.locator("li.lm-Menu-item", has_text="Run All Cells").first.click()
    # Run All marks every cell [*] at once; it is over when none is left and the kernel is
    # idle (a busy phase can be too short to see, and idle shows between two cells).
    page.wait_for_function(_RUN_ALL_OVER, timeout=RUN_ALL_MS, polling=1000)
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
        seen["cells"].append((source, shown, cell.locator(".jp-OutputArea").inner_text()))
    page.locator(".lm-MenuBar-item", has_text="File").first.click()
    page.locator("li.lm-Menu-item[data-command='docmanager:save']").first.click()
    page.wait_for_selector(".lm-TabBar-tab.jp-mod-current:not(.jp-mod-dirty)",
                           state="attached", timeout=30_000)
    return seen


def shut_down_kernels(url, token):
    """Shut down every kernel of the server (one notebook's kernel at a time stays up)."""
    with urllib.request.urlopen(f"{url}/api/sessions?token={token}", timeout=30) as answer:
        running = json.load(answer)
    for session in running:
        request = urllib.request.Request(f"{url}/api/sessions/{session['id']}?token={token}",
                                         method="DELETE")
        urllib.request.urlopen(request, timeout=60).close()


def code_cells(notebook):
    return [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]


def text_of(output):
    if output["output_type"] == "stream":
        return "".join(output["text"])
    if output["output_type"] == "error":
        return "\n".join(output.get("traceback", [])) + output.get("evalue", "")
    return "".join(output.get("data", {}).get("text/plain", ""))


def is_graded(cell):
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade", False)


def errors_of(session, source_start):
    return [shown for source, shown, _ in session["cells"]
            if source.strip().startswith(source_start)][0]


@pytest.fixture(params=NOTEBOOKS, ids=lambda name: name[:2])
def notebook(request, sessions):
    return sessions[request.param]


def test_every_learner_notebook_is_tested():
    assert len(NOTEBOOKS) == 6, NOTEBOOKS


def test_the_learner_edition_opens_unmodified(notebook):
    assert notebook["dirty tabs"] == 0, notebook["tab title"]


def test_a_formula_is_rendered_by_mathjax(sessions):
    assert sessions[NOTEBOOK]["formulas"] > 0


def test_run_all_reaches_the_last_cell(notebook):
    prompts = [p.strip() for p in notebook["prompts"]]
    not_run = [(p, source[:60]) for p, (source, _, _) in zip(prompts, notebook["cells"])
               if not p[1:-2].isdigit()]
    assert prompts and not not_run, not_run
    numbers = [int(p[1:-2]) for p in prompts]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers), numbers
    saved = code_cells(notebook["saved"])
    assert len(saved) == len(prompts) and all(c["execution_count"] for c in saved)


def test_no_output_holds_a_traceback(notebook):
    for cell in code_cells(notebook["saved"]):
        for output in cell["outputs"]:
            text = text_of(output)
            assert "Traceback" not in text and "most recent call last" not in text, (
                cell["source"], text)
            # Only a graded cell fails, and it says why in its own words.
            assert output["output_type"] != "error" or is_graded(cell), (cell["source"], text)
    for source, _, shown in notebook["cells"]:
        assert "Traceback" not in shown, (source, shown)


def test_graded_cells_fail_in_one_line(notebook):
    graded_cells = [(source, shown) for source, shown, _ in notebook["cells"]
                    if source.startswith("graded.") and "_test(" in source]
    assert graded_cells
    for source, shown in graded_cells:
        if source.startswith("graded.linear_forward_test("):
            continue  # answered wrongly on purpose: its hint (see below)
        assert len(shown) == 1 and shown[0]["lines"] == 1, (source, shown)


def test_a_cell_that_runs_an_unfinished_exercise_says_so_in_one_line(sessions):
    guarded = [cell for notebook in sessions.values() for cell in code_cells(notebook["saved"])
               if "graded.uses_exercise(" in "".join(cell["source"])]
    assert len(guarded) >= 10
    for cell in guarded:
        # One line and nothing else: no half-printed table, no empty plot.
        assert [o["output_type"] for o in cell["outputs"]] == ["stream"], cell["outputs"]
        printed = "".join(text_of(o) for o in cell["outputs"] if o["output_type"] == "stream")
        assert re.fullmatch(r"\w+ is (not written yet: do its exercise first|missing: \w+ is "
                            r"not written yet)\.\n", printed), ("".join(cell["source"]), printed)


def test_an_unfinished_exercise_says_so_in_one_line(sessions):
    [shown] = errors_of(sessions[NOTEBOOK], "graded.initialize_parameters_test(")
    assert shown["text"].strip() == "initialize_parameters is not implemented yet: write it above."
    assert shown["lines"] == 1, shown


def test_a_wrong_answers_hint_wraps_between_words(sessions):
    [shown] = errors_of(sessions[NOTEBOOK], "graded.linear_forward_test(")
    text = shown["text"]
    assert text.startswith("linear_forward: Z has shape (2, 1), expected (1, 2)."), text
    assert "Hint: the shape of Z is the transpose" in text
    assert shown["lines"] >= 2 and shown["splits"] == [], shown
    # Feedback lines are as wide as the output area allows at 1024 px, and no wider.
    assert FEEDBACK_WIDTH <= shown["columns"] < FEEDBACK_WIDTH + 8, shown["columns"]
