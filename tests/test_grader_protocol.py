"""The grader's data path without a kernel: wire encoding, the in-kernel answers, the proxy.

:class:`LocalSandbox` answers requests by running :func:`kernel_call.serve` in this process
on a namespace of functions, the way the kernel does inside the sandbox, so the graded
tests run on proxies exactly as in a real grading, in milliseconds.
"""

import os
import re
import stat
import subprocess
import sys
from time import monotonic

import nbformat
import numpy as np
import pytest
from nbformat.v4 import new_code_cell, new_notebook

import dnn_utils
from dnn_utils import graded
from dnn_utils.workbook.__main__ import main
from dnn_utils.workbook.authoring.conventions import NotebookFormatError, read_notebook
from dnn_utils.workbook.authoring.release import release
from dnn_utils.workbook.grading import grader
from dnn_utils.workbook.sandbox import kernel_call, wire
from dnn_utils.workbook.sandbox import package_copy as sandbox_package
from dnn_utils.workbook.sandbox import session as sandbox
from dnn_utils.workbook.sandbox.proxy import MISSING, exercise_target


class LocalSandbox:
    """Answers like the sandbox driver, from ``namespace``, in this process."""

    def __init__(self, namespace, tmp_path):
        self.namespace = namespace
        self.request_path = tmp_path / "request.bin"
        self.response_path = tmp_path / "response.bin"

    def request(self, header, buffers=(), seconds=60.0):
        self.request_path.write_bytes(wire.pack(header, buffers))
        kernel_call.serve(self.namespace, str(self.request_path), str(self.response_path))
        return wire.read_frame_bytes(self.response_path.read_bytes())


def verdict(namespace, name, tmp_path):
    target = exercise_target(LocalSandbox(namespace, tmp_path), name, 60)
    return grader.run_graded_test(name, target, graded)


# -------------------------------------------------------------------- wire


def test_values_round_trip_with_their_types():
    value = {"W1": np.arange(6.0).reshape(2, 3), "n": 3, "ok": True, "none": None,
             "cache": ((np.ones((2, 1)), np.zeros((1, 2), dtype=np.int32)), np.float64(0.5)),
             "costs": [0.7, float("nan"), float("inf")], 2: "two", "big": 2**70}
    structure, buffers = wire.encode(value)
    header, out = wire.read_frame_bytes(wire.pack({"value": structure}, buffers))
    back = wire.decode(header["value"], out)
    assert back.keys() == value.keys()
    assert np.array_equal(back["W1"], value["W1"]) and back["W1"].dtype == np.float64
    assert isinstance(back["cache"], tuple) and back["cache"][0][1].dtype == np.int32
    assert isinstance(back["cache"][1], np.float64) and back["cache"][1] == 0.5
    assert back["costs"][0] == 0.7 and np.isnan(back["costs"][1]) and back["costs"][2] == np.inf
    assert back[2] == "two" and back["n"] == 3 and back["ok"] is True and back["none"] is None
    assert back["big"] == float(2**70)


def test_other_types_arrive_as_named_stand_ins():
    structure, buffers = wire.encode({1, 2})
    back = wire.decode(structure, buffers)
    assert type(back).__name__ == "set" and repr(back) == "{1, 2}"
    structure, buffers = wire.encode(np.array(["a"], dtype=object))
    assert type(wire.decode(structure, buffers)).__name__ == "ndarray"


@pytest.mark.parametrize("structure, buffers, message", [
    ({"array": {"dtype": "|O", "shape": [1], "buffer": 0}}, [b"x" * 8], "dtype"),
    ({"array": {"dtype": "<f8", "shape": [10**6, 10**6], "buffer": 0}}, [b""], "needs"),
    ({"array": {"dtype": "<f8", "shape": [2], "buffer": 3}}, [b"x" * 16], "index"),
    ({"array": {"dtype": "<f8", "shape": [-1], "buffer": 0}}, [b""], "shape"),
    ({"object": "a b", "repr": "x"}, [], "type name"),
    ({"dict": [[None, 1]]}, [], "key"),
    ({"eval": "1"}, [], "unknown"),
])
def test_malformed_values_are_refused(structure, buffers, message):
    with pytest.raises(wire.WireError, match=message):
        wire.decode(structure, buffers)


def test_deep_nesting_is_refused_both_ways():
    deep = []
    for _ in range(wire.MAX_DEPTH + 5):
        deep = [deep]
    with pytest.raises(wire.WireError, match="nested"):
        wire.encode(deep)
    structure = {"list": []}
    for _ in range(wire.MAX_DEPTH + 5):
        structure = {"list": [structure]}
    with pytest.raises(wire.WireError, match="nested"):
        wire.decode(structure, [])
    # A header nested 100,000 levels deep is refused, not a RecursionError.
    text = ("[" * 100_000 + "]" * 100_000).encode()
    frame = wire.MAGIC + len(text).to_bytes(4, "big") + text
    with pytest.raises(wire.WireError, match="not valid JSON"):
        wire.read_frame_bytes(frame)


def test_frames_are_bounded_and_time_out():
    with pytest.raises(wire.WireError, match="marker"):
        wire.read_frame_bytes(b"XXXX\x00\x00\x00\x02{}")
    huge = wire.MAGIC + (wire.MAX_HEADER_BYTES + 1).to_bytes(4, "big")
    with pytest.raises(wire.WireError, match="header"):
        wire.read_frame_bytes(huge)
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, wire.MAGIC)
        began = monotonic()
        with pytest.raises(TimeoutError):
            wire.read_frame(read_end, monotonic() + 0.3)
        assert monotonic() - began < 2
        os.close(write_end)
        write_end = None
        with pytest.raises(EOFError):
            wire.read_frame(read_end, monotonic() + 1)
    finally:
        os.close(read_end)
        if write_end is not None:
            os.close(write_end)


# ------------------------------------------------------------ graded tests on proxies


def _linear_forward(A, W, b):
    return W @ A + b, (A, W, b)


def test_a_right_function_passes_through_the_proxy(tmp_path):
    result = verdict({"linear_forward": _linear_forward}, "linear_forward", tmp_path)
    assert result == {"passed": True, "feedback": "linear_forward_test: all tests passed.",
                      "mistake": None}


def test_feedback_through_the_proxy_is_as_precise_as_in_the_notebook(tmp_path):
    def no_bias(A, W, b):
        return W @ A, (A, W, b)

    result = verdict({"linear_forward": no_bias}, "linear_forward", tmp_path)
    assert not result["passed"] and "forgot to add the bias" in result["feedback"]

    def key_error(parameters, grads, learning_rate):
        return {"W1": parameters["W9"]}

    result = verdict({"update_parameters": key_error}, "update_parameters", tmp_path)
    assert "update_parameters raised KeyError: 'W9'" in result["feedback"]
    assert re.search(r'at line \d+ of key_error: return \{"W1": parameters\["W9"\]\}',
                     result["feedback"]), result["feedback"]
    assert "a dictionary key is missing" in result["feedback"]


def test_changing_an_input_in_place_is_caught_through_the_proxy(tmp_path):
    def in_place(parameters, grads, learning_rate):
        L = len(parameters) // 2
        for l in range(1, L + 1):
            parameters[f"W{l}"] -= learning_rate * grads[f"dW{l}"]
            parameters[f"b{l}"] -= learning_rate * grads[f"db{l}"]
        return parameters

    result = verdict({"update_parameters": in_place}, "update_parameters", tmp_path)
    assert not result["passed"]
    assert "it changed its input parameters['W1']" in result["feedback"]

    def replaces_entry(parameters, grads, learning_rate):
        new = parameters
        for key in list(parameters):
            new[key] = parameters[key] - learning_rate * grads["d" + key]
        return new

    result = verdict({"update_parameters": replaces_entry}, "update_parameters", tmp_path)
    assert "this entry of the caller's dict was replaced" in result["feedback"]


def test_not_implemented_none_missing_and_values(tmp_path):
    def stub(A, W, b):
        raise NotImplementedError("Replace this line with your code")

    result = verdict({"linear_forward": stub}, "linear_forward", tmp_path)
    assert result["feedback"].startswith("linear_forward is not implemented yet")

    def no_return(A, W, b):
        W @ A + b

    result = verdict({"linear_forward": no_return}, "linear_forward", tmp_path)
    assert "returned None: did you forget `return`?" in result["feedback"]

    sandbox_ = LocalSandbox({}, tmp_path)
    assert exercise_target(sandbox_, "linear_forward", 60) is MISSING
    result = grader.run_graded_test("linear_forward", MISSING, graded)
    assert result["feedback"].startswith("not implemented yet: linear_forward is not defined")

    value = exercise_target(LocalSandbox({"answer": {"a": np.ones(2)}}, tmp_path),
                            "answer", 60)
    assert np.array_equal(value["a"], np.ones(2))


def test_the_stubbed_reference_gives_a_plain_note(tmp_path):
    namespace = {}
    exec(sandbox_package.reference_stub("linear_forward"), namespace)  # noqa: S102 - our own source
    result = verdict({"linear_forward": namespace["linear_forward"]}, "linear_forward",
                     tmp_path)
    assert not result["passed"]
    assert "linear_forward is the package's reference of this exercise; write your own" in \
        result["feedback"]


def test_the_package_copy_stubs_only_the_notebooks_exercises(tmp_path):
    sandbox_package.copy_package(tmp_path, ["linear_forward", "two_layer_model"])
    forward = (tmp_path / "dnn_utils" / "forward.py").read_text()
    assert forward.count("put here by the grader's sandbox") == 1
    assert "def L_model_forward" in forward and "def linear_forward(*args" in forward
    # The reference's own lines are gone, and so is its compiled file.
    original = open(os.path.join(os.path.dirname(dnn_utils.__file__), "forward.py")).read()
    assert "def linear_forward(A" in original and "def linear_forward(A" not in forward
    assert not list((tmp_path / "dnn_utils" / "__pycache__").glob("forward.*.pyc"))
    # The graded tests (and the references they hold) stay outside the sandbox.
    assert not (tmp_path / "dnn_utils" / "graded" / "blocks.py").exists()
    result = subprocess.run(
        [sys.executable, "-c", "import dnn_utils, numpy as np\n"
         "try:\n    dnn_utils.linear_forward(np.ones((1, 1)), np.ones((1, 1)), np.ones((1, 1)))\n"
         "except RuntimeError as e:\n    print(e)\n"
         "print(dnn_utils.relu(np.ones((1, 1)))[0])"],
        env=dict(os.environ, PYTHONPATH=str(tmp_path)), capture_output=True, text=True,
        cwd=tmp_path, timeout=120, check=False)
    assert "linear_forward is the package's reference of this exercise" in result.stdout
    assert "[[1.]]" in result.stdout


# ----------------------------------------------------------------- bad inputs


def test_devices_fifos_and_deep_json_are_clear_errors(tmp_path):
    with pytest.raises(NotebookFormatError, match="a device or socket"):
        read_notebook("/dev/zero")
    fifo = tmp_path / "fifo.ipynb"
    os.mkfifo(fifo)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    with pytest.raises(NotebookFormatError, match="FIFO"):
        read_notebook(fifo)
    deep = tmp_path / "deep.ipynb"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(NotebookFormatError, match="nested too deeply"):
        read_notebook(deep)
    assert main(["grade", str(fifo)]) == 1


@pytest.mark.parametrize("metadata", ["x", {"notebook": "../../etc/passwd"}, {"notebook": 3},
                                      {"notebook": "no_such_notebook"}])
def test_bad_workbook_metadata_is_an_error_naming_the_notebook(tmp_path, metadata):
    nb = new_notebook(cells=[new_code_cell("1")])
    nb.metadata["dnn_workbook"] = metadata
    path = tmp_path / "odd.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(NotebookFormatError, match="dnn_workbook") as info:
        grader.grade(path)
    assert str(path) in str(info.value)


def test_grade_refuses_without_bubblewrap_and_says_how_to_install(tmp_path, monkeypatch,
                                                                  capsys):
    monkeypatch.setattr(sandbox, "find_bwrap", lambda: None)
    nb = nbformat.read(os.path.join(os.path.dirname(dnn_utils.__file__), "..", "notebooks",
                                    "02_building_your_deep_network.ipynb"), as_version=4)
    path = tmp_path / "learner.ipynb"
    nbformat.write(nb, path)
    assert main(["grade", str(path)]) == 1
    err = capsys.readouterr().err
    assert "bubblewrap" in err and "apt-get install bubblewrap" in err and "--no-sandbox" in err


def test_no_sandbox_warns(tmp_path, capsys):
    assert main(["grade", str(tmp_path / "missing.ipynb"), "--no-sandbox"]) == 1
    err = capsys.readouterr().err
    assert "warning: --no-sandbox" in err and "does not exist" in err


@pytest.mark.parametrize("value", ["inf", "nan", "-1", "0", "soon"])
def test_cli_timeouts_must_be_finite_and_positive(value, capsys):
    with pytest.raises(SystemExit):
        main(["grade", "x.ipynb", "--timeout", value])
    err = capsys.readouterr().err
    assert f"argument --timeout: got '{value}', expected a" in err
    assert "finite number greater than 0" in err or value == "soon"


def test_release_into_an_impossible_folder_is_a_clear_error(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("")
    for out in (afile / "learner", "/proc/dnn-workbook-learner"):
        with pytest.raises(Exception, match="cannot write the learner edition to OUT_DIR"):
            release(None, out, force=True)
    assert main(["release", str(afile / "learner")]) == 1


def test_the_sandbox_driver_starts_without_jsonschemas_slow_iri_grammar():
    # Every grading starts a driver; building rfc3987_syntax's grammar cost 0.66 s of it
    # (benchmarks/bench_grading.py measures the whole). The driver must still import
    # nbformat and say clearly that it got no configuration.
    started = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "dnn_utils.workbook.sandbox.driver"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    imported = {line.rsplit("|", 1)[-1].strip() for line in started.stderr.splitlines()
                if line.startswith("import time:")}
    assert "nbformat" in imported and "jsonschema" in imported
    assert "rfc3987_syntax.syntax_helpers" not in imported
    assert started.returncode == 2 and "sandbox driver: no configuration" in started.stderr


# ------------------------------------------------------------ what leaves the sandbox


def test_host_paths_are_replaced_and_system_folders_kept():
    from dnn_utils.workbook.sandbox.redact import host_paths, redact, redact_report

    sandbox_folder = "/tmp/dnn-workbook-grade-abc123"
    pairs = host_paths([sandbox_folder])
    repo = os.path.dirname(os.path.dirname(os.path.abspath(dnn_utils.__file__)))
    text = (f"{sys.prefix}/lib/x.py {repo}/dnn_utils {sandbox_folder}/package "
            f"{os.path.realpath(sys.executable)} /usr/lib/python3 /tmp/other \ud800")
    cleaned = redact(text, pairs)
    for path in (sys.prefix, repo, sandbox_folder, os.path.realpath(sys.executable)):
        assert path not in cleaned, (path, cleaned)
    assert "<python>/lib/x.py" in cleaned and "<sandbox>/package" in cleaned
    assert "/usr/lib/python3 /tmp/other ?" in cleaned  # a lone surrogate prints as ?
    report = redact_report({"exercises": [{"feedback": text}], "notes": [text]},
                           [sandbox_folder])
    assert report["exercises"][0]["feedback"] == report["notes"][0] == cleaned


@pytest.mark.parametrize("file_name, metadata, graded_as, note", [
    ("02_building_your_deep_network", "02_building_your_deep_network", "02", None),
    ("02_building_your_deep_network", "01_notation_and_dimensions", "02",
     "its metadata says it is notebook 01_notation_and_dimensions: it was graded as 02"),
    ("02_building_your_deep_network", None, "02", "has no valid 'dnn_workbook' metadata"),
    ("alice_hw", "01_notation_and_dimensions", "01", None),
])
def test_a_file_named_like_a_workbook_notebook_is_graded_as_that_notebook(
        file_name, metadata, graded_as, note):
    from dnn_utils.workbook.grading.identity import graded_as as identify

    solutions = os.path.join(os.path.dirname(dnn_utils.__file__), "..", "notebooks",
                             "solutions")
    nb = new_notebook()
    if metadata:
        nb.metadata["dnn_workbook"] = {"notebook": metadata}
    stem, claimed, notes = identify(nb, f"/class/eve/{file_name}.ipynb", solutions)
    assert stem.startswith(graded_as)
    assert (claimed is None) == (note is None)
    assert (notes == []) if note is None else (note in notes[0])
