"""Every command the user docs show runs as shown, and every command and option is shown.

The user docs are README.md, docs/*.md and datasets/README.md. Each line of a ```bash
block is a command a reader may paste, so each is checked against what it calls:

- ``python -m dnn_utils ...`` and ``python -m dnn_utils.workbook ...``: parsed by the real
  argparse parser of that command (a usage error fails the test with argparse's message);
  ``grade --shard`` values by the grader's own ``parse_shard``.
- ``python benchmarks/X.py ...``: the script exists and its own parser accepts the
  arguments (its ``main`` runs only up to ``parse_args``).
- ``pytest``/``python -m pytest``: every option is one the running pytest knows, every
  marker of ``-m`` is registered, every path exists.
- ``pip``, ``bash``, ``deploy/...`` scripts, ``kubectl``, ``podman``/``docker``, ``jupyter``,
  ``git``: the files they name exist (for kubectl, the Job it waits for is one the
  manifests define).
- A program this file does not know fails the test: add a check for it here.

In every command, a word whose first path component names an entry of the repository
(``notebooks/...``, ``deploy/...``) must exist. Placeholders are allowed only where listed in
``PLACEHOLDERS`` (``K/N`` and ``N``, the shard notation), and are replaced by the example
value before parsing; ``[optional]`` brackets are refused: show a command that runs.

Also: every subcommand of both command-line tools appears in some bash block, and every
long option of each appears somewhere in the user docs, so a new command or option cannot
ship undocumented. Links, length and wording are checked in test_docs_text.py.
"""

import argparse
import importlib.util
import re
import shlex
import sys
import tomllib
from pathlib import Path

import pytest
from user_docs import DOCS, REPO, without_code_blocks

from dnn_utils.cli import build_parser as dnn_utils_parser
from dnn_utils.workbook.__main__ import build_parser as workbook_parser
from dnn_utils.workbook.classroom.cli import class_options_given
from dnn_utils.workbook.classroom.shards import ShardError, parse_shard

#: The placeholders a shown command may hold, and the example value each stands for.
PLACEHOLDERS = {"K/N": "1/4", "N": "4"}
#: pytest options that take a value (the next word), as shown in the docs.
PYTEST_VALUE_OPTIONS = {"-m", "-k", "-p", "--deselect", "--ignore", "-c", "--rootdir"}
PYTHONS = {"python", "python3", "python3.11"}
APT_PACKAGES = {"bubblewrap", "chromium", "slurm-wlm", "munge"}


def bash_commands():
    """(doc, line, words) for every command in a ```bash block of the user docs."""
    found = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for block in re.finditer(r"```bash\n(.*?)```", text, flags=re.S):
            first_line = text[:block.start()].count("\n") + 2
            body = block[1].replace("\\\n", " ")
            for offset, line in enumerate(body.splitlines()):
                words = shlex.split(line, comments=True)
                # `a && b`: each part is a command of its own.
                while words:
                    cut = words.index("&&") if "&&" in words else len(words)
                    found.append((doc.relative_to(REPO), first_line + offset, words[:cut]))
                    words = words[cut + 1:]
    return found


COMMANDS = bash_commands()


def command_id(item):
    doc, line, words = item
    return f"{doc}:{line}:{' '.join(words)[:60]}"


def substitute(words):
    """The words with each placeholder replaced by its example; brackets refused."""
    bracketed = [w for w in words if w.startswith("[") or (w.endswith("]") and "[" not in w)]
    assert not bracketed, (f"{bracketed}: show a command that runs as written; say what is "
                           "optional in the prose")
    return [PLACEHOLDERS.get(w, w) for w in words]


def check_repository_paths(words):
    """A word whose first path component is an entry of the repository must exist."""
    entries = {p.name for p in REPO.iterdir()}
    for word in words:
        value = word.split("=", 1)[1] if word.startswith("--") and "=" in word else word
        if value.split("/", 1)[0] in entries:
            assert (REPO / value).exists(), f"{value} does not exist in the repository"


def parse(parser, args, capsys, parse_args=argparse.ArgumentParser.parse_args):
    """``parser.parse_args(args)``; a usage error fails the test with argparse's message.

    ``parse_args`` is argparse's own, bound here, so it stays the real one while a
    benchmark's is replaced (see :func:`check_benchmark`).
    """
    try:
        return parse_args(parser, args)
    except SystemExit as exc:
        if exc.code:
            pytest.fail(f"`{parser.prog} {' '.join(args)}` is refused: "
                        f"{capsys.readouterr().err.strip().splitlines()[-1]}")
        return None


def check_workbook(args, capsys):
    parsed = parse(workbook_parser(), args, capsys)
    if parsed is None or parsed.command != "grade":
        return
    if parsed.shard is not None:
        try:
            parse_shard(parsed.shard)
        except ShardError as exc:
            pytest.fail(str(exc))
    given = class_options_given(parsed)
    if parsed.notebook is not None and parsed.notebook.suffix == ".ipynb":
        assert not given, f"{given} only apply to a folder of submissions, not a notebook"
    else:
        assert parsed.json is None, "--json writes one notebook's report, not a class's"
        assert not (parsed.merge and (parsed.notebook or parsed.shard)), (
            "--merge takes no SUBMISSIONS_DIR and no --shard")


class ParsedArguments(Exception):
    """Raised in place of running a benchmark once its parser accepted the arguments."""


def check_benchmark(script, args, monkeypatch, capsys):
    path = REPO / script
    assert path.is_file(), f"{script} does not exist"
    spec = importlib.util.spec_from_file_location(f"docs_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def parse_then_stop(parser, _args=None, namespace=None):
        parse(parser, args, capsys)
        raise ParsedArguments

    monkeypatch.setattr(argparse.ArgumentParser, "parse_args", parse_then_stop)
    monkeypatch.setattr(sys, "argv", [str(path), *args])
    with pytest.raises(ParsedArguments):
        module.main()


class _OptionRecorder:
    """Stands in for pytest's parser: records the options a plugin's pytest_addoption adds."""

    def __init__(self):
        self.options: dict[str, bool] = {}  # option -> whether it takes a value

    def addoption(self, *names, action="store", **_):
        self.options.update(dict.fromkeys(names, action in ("store", "append")))

    def getgroup(self, *_, **__):
        return self


def plugin_options(name) -> dict[str, bool]:
    """The options of the plugin ``-p NAME`` loads: a module of benchmarks/ (as the docs'
    ``PYTHONPATH=benchmarks`` makes it importable)."""
    path = REPO / "benchmarks" / f"{name}.py"
    assert path.is_file(), f"-p {name}: no plugin benchmarks/{name}.py"
    spec = importlib.util.spec_from_file_location(f"docs_plugin_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    recorder = _OptionRecorder()
    getattr(module, "pytest_addoption", lambda parser: None)(recorder)
    return recorder.options


def check_pytest(args, pytestconfig):
    markers = {line.split(":", 1)[0].split("(", 1)[0].strip()
               for line in pytestconfig.getini("markers")}
    plugins: dict[str, bool] = {}
    words = iter(args)
    for word in words:
        if word == "-p":
            name = next(words)
            if not name.startswith("no:"):  # -p no:NAME switches a plugin off
                plugins.update(plugin_options(name))
            continue
        if word.startswith("-"):
            flag = word.split("=", 1)[0]
            # A plugin's option first: this run may have loaded the plugin too.
            if flag in plugins:
                if plugins[flag] and "=" not in word:
                    next(words)  # the plugin option's value (a file it writes, say)
                continue
            try:
                pytestconfig.getoption(flag)
            except ValueError:
                pytest.fail(f"pytest has no option {flag}")
            if flag in PYTEST_VALUE_OPTIONS and "=" not in word:
                value = next(words)
                if flag == "-m":
                    names = set(re.findall(r"[A-Za-z_]\w*", value)) - {"and", "or", "not"}
                    assert names <= markers, f"-m {value!r}: {names - markers} not registered"
        else:
            assert (REPO / word.split("::", 1)[0]).exists(), f"pytest path {word} is missing"


def check_kubectl(args):
    manifests = "\n".join(p.read_text() for p in (REPO / "deploy").rglob("*.yaml"))
    if args[0] == "apply":
        files = [args[i + 1] for i, a in enumerate(args) if a == "-f"]
        assert files and all((REPO / f).is_file() for f in files), args
    elif args[0] == "wait":
        jobs = [a.split("/", 1)[1] for a in args if a.startswith("job/")]
        assert jobs, args
        for job in jobs:
            assert re.search(rf"^kind: Job\nmetadata:\n  name: {re.escape(job)}$", manifests,
                             flags=re.M), f"no Job named {job} in deploy/"
    else:
        pytest.fail(f"kubectl {args[0]}: add a check for it to {Path(__file__).name}")


@pytest.mark.parametrize("item", COMMANDS, ids=command_id)
def test_every_command_the_docs_show_runs_as_shown(item, capsys, monkeypatch, pytestconfig):
    doc, line, words = item
    while words and re.fullmatch(r"[A-Z_]+=\S*", words[0]):  # VAR=value before a command
        words = words[1:]
    words = substitute(words)
    check_repository_paths(words)
    program, args = words[0], words[1:]
    if program in PYTHONS and args[:2] == ["-m", "dnn_utils"]:
        parse(dnn_utils_parser(), args[2:], capsys)
    elif program in PYTHONS and args[:2] == ["-m", "dnn_utils.workbook"]:
        check_workbook(args[2:], capsys)
    elif program in PYTHONS and args[:2] == ["-m", "pytest"]:
        check_pytest(args[2:], pytestconfig)
    elif program in PYTHONS and args[:2] == ["-m", "venv"]:
        assert len(args) == 3, "python -m venv takes one folder"
    elif program in PYTHONS and args and args[0].startswith("benchmarks/"):
        check_benchmark(args[0], args[1:], monkeypatch, capsys)
    elif program == "pytest":
        check_pytest(args, pytestconfig)
    elif program == "pip":
        assert args[0] == "install", args
        for i, word in enumerate(args):
            if word == "-r":
                assert (REPO / args[i + 1]).is_file(), args[i + 1]
            if word.startswith(".["):  # pip install -e ".[extra]"
                project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
                assert word[2:-1] in project["optional-dependencies"], f"no extra {word}"
    elif program == "source":
        assert args == [".venv/bin/activate"], args
    elif program == "bash" or program.startswith("deploy/"):
        script = REPO / (args[0] if program == "bash" else program)
        assert script.is_file(), f"{script} does not exist"
        usage = re.search(r"usage: \$0 (.*?)\"", script.read_text())
        if usage:  # the script's own usage line: its required words are its minimum
            required = [w for w in usage[1].split() if not w.startswith("[")]
            assert len(args) >= len(required), f"{program} needs {' '.join(required)}"
    elif program == "kubectl":
        check_kubectl(args)
    elif program in ("podman", "docker"):  # the grader image of deploy/k8s/Containerfile
        assert args[0] in ("build", "push"), args
        if args[0] == "build":
            assert "-f" in args and (REPO / args[args.index("-f") + 1]).is_file(), args
            assert args[-1] == ".", "build from the repository's root (context .)"
    elif program == "jupyter":
        assert args[0] == "lab" and all((REPO / a).exists() for a in args[1:]), args
    elif program in ("sudo", "apt-get"):
        rest = args[1:] if program == "sudo" else args  # sudo apt-get install PACKAGE
        assert (program == "apt-get" or args[0] == "apt-get") and rest[0] == "install", words
        assert set(rest[1:]) <= APT_PACKAGES, f"{words}: not a package the project needs"
    elif program == "git":
        assert args[0] == "checkout" and all((REPO / a).exists() for a in args[1:]), args
    else:
        pytest.fail(f"{doc}:{line}: `{' '.join(words)}`: {Path(__file__).name} does not "
                    f"know how to check {program!r}; add a check for it")


def inline_commands():
    """(doc, words) for every `python -m dnn_utils... SUBCOMMAND ...` code span in prose."""
    found = []
    for doc in DOCS:
        text = without_code_blocks(doc.read_text(encoding="utf-8"))
        for span in re.findall(r"`(python -m dnn_utils[^`]*)`", text):
            words = shlex.split(span)
            if len(words) > 3:
                found.append((doc.relative_to(REPO), words))
    return found


@pytest.mark.parametrize("item", inline_commands(), ids=lambda i: f"{i[0]}:{' '.join(i[1])}")
def test_every_command_named_in_the_prose_parses(item, capsys):
    """A span in a sentence may name an example file (NB.ipynb), so only its syntax counts."""
    doc, words = item
    words = substitute(words)
    if words[2] == "dnn_utils":
        parse(dnn_utils_parser(), words[3:], capsys)
    else:
        assert words[2] == "dnn_utils.workbook", words
        check_workbook(words[3:], capsys)


def subcommands(parser):
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return action.choices


@pytest.mark.parametrize("tool", [dnn_utils_parser, workbook_parser],
                         ids=["dnn_utils", "dnn_utils.workbook"])
def test_every_subcommand_is_shown_and_every_option_documented(tool):
    parser = tool()
    module = parser.prog.split()[-1]
    text = "\n".join(doc.read_text(encoding="utf-8") for doc in DOCS)
    shown = {words[3] for _, _, words in COMMANDS
             if words[:3] in (["python", "-m", module], ["python3", "-m", module])
             and len(words) > 3}
    missing = []
    for name, sub in subcommands(parser).items():
        if name not in shown:
            missing.append(f"{module} {name} (no ```bash block shows it)")
        for action in sub._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help" and not re.search(
                        re.escape(option) + r"(?![\w-])", text):
                    missing.append(f"{module} {name} {option}")
    assert not missing, "not in the user docs: " + "; ".join(missing)


def test_the_checks_above_can_fail(capsys, pytestconfig):
    """Each checker refuses a wrong command, so a passing run means something."""
    with pytest.raises(pytest.fail.Exception, match="no-such-option"):
        check_workbook(["grade", "x.ipynb", "--no-such-option"], capsys)
    with pytest.raises(pytest.fail.Exception, match="shard"):
        check_workbook(["grade", "subs/", "--shard", "5/4", "--out", "r/"], capsys)
    with pytest.raises(AssertionError, match="only apply to a folder"):
        check_workbook(["grade", "a.ipynb", "--csv", "g.csv"], capsys)
    with pytest.raises(pytest.fail.Exception, match="invalid choice"):
        parse(dnn_utils_parser(), ["tran"], capsys)
    with pytest.raises(AssertionError, match="not registered"):
        check_pytest(["-m", "not slowly"], pytestconfig)
    with pytest.raises(pytest.fail.Exception, match="no option"):
        check_pytest(["--no-such-option"], pytestconfig)
    with pytest.raises(AssertionError, match="does not exist"):
        check_repository_paths(["deploy/slurm/no_such_script.sh"])
    with pytest.raises(AssertionError, match="runs as written"):
        substitute(["grade", "x.ipynb", "[--timeout", "1500]"])
    assert substitute(["install", "-e", ".[instructor]"]) == ["install", "-e", ".[instructor]"]
    assert substitute(["--shard", "K/N"]) == ["--shard", "1/4"]


def test_a_benchmark_option_it_does_not_know_is_refused(capsys, monkeypatch):
    with pytest.raises(pytest.fail.Exception, match="unrecognized arguments: --no-such"):
        check_benchmark("benchmarks/bench_training.py", ["--no-such"], monkeypatch, capsys)


@pytest.mark.parametrize("line", [
    'pytest -q -x -p no:cacheprovider -m "slow and not needs_bwrap" tests/test_docs.py',
    'pip install -e ".[instructor]"',
    "kubectl wait --for=condition=complete job/{job}",
])
def test_the_checks_accept_what_runs(line, capsys, monkeypatch, pytestconfig):
    """Commands that work pass the same checks the docs' commands pass."""
    manifests = "\n".join(p.read_text() for p in (REPO / "deploy").rglob("*.yaml"))
    job = re.search(r"^kind: Job\nmetadata:\n  name: (\S+)$", manifests, flags=re.M)[1]
    test_every_command_the_docs_show_runs_as_shown(
        (Path("example"), 1, shlex.split(line.format(job=job))), capsys, monkeypatch,
        pytestconfig)


def test_a_kubectl_wait_for_a_job_nobody_defines_is_refused(capsys, monkeypatch, pytestconfig):
    with pytest.raises(AssertionError, match="no Job named dnn-nope"):
        test_every_command_the_docs_show_runs_as_shown(
            (Path("example"), 1, ["kubectl", "wait", "job/dnn-nope"]), capsys, monkeypatch,
            pytestconfig)
