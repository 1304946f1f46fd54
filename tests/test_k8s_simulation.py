"""The Kubernetes recipe, run here: each indexed pod's command, then the merge's.

The manifests are those ``deploy/k8s/grade.sh run 3`` applies. Each grading pod's command
and arguments run exactly as the manifest states them (``/bin/sh -c`` and its script), with
the manifest's environment and ``JOB_COMPLETION_INDEX`` set per pod as Kubernetes sets it,
all three at once; the claim mounted at ``/data`` is a temporary folder (its mount path
is replaced in the commands), filled as ``grade.sh copy-in`` fills it. Then the merge pod's
command runs with a stand-in ``kubectl`` that answers the Job's status as the API server
would: ``Failed`` first (the merge must stop and write nothing), then ``Complete``. The
merged gradebook, mistakes and feedback pages must be the one-machine ones, byte for byte.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from k8s_manifests import by_kind, pod, render

pytestmark = [pytest.mark.slow, pytest.mark.needs_bwrap]

SHARDS = 3
OPTIONS = ("--timeout", "120", "--limit", "600")  # the one-machine run's (conftest.py)
FAKE_KUBECTL = """#!/bin/sh
# Answers `kubectl get job NAME -o jsonpath=...` as the API server would, from $JOB_STATE.
[ "$1 $2" = "get job" ] && [ "$3" = "$EXPECTED_JOB" ] && [ "$4" = "-o" ] || {
  echo "fake kubectl: unexpected call: $*" >&2; exit 1; }
echo "$@" >> "$KUBECTL_CALLS"
printf '%s' "$JOB_STATE"
"""


def pod_command(job, data: Path, index=None, extra_env=None):
    """The container's command, arguments and environment, the volume at ``data``."""
    spec = pod(job)
    container = spec["containers"][0]
    (mount,) = container["volumeMounts"]
    assert [v["persistentVolumeClaim"]["claimName"] for v in spec["volumes"]] == ["dnn-grading"]
    words = container["command"] + container["args"]
    paths = re.findall(r"(?<![\w.$-])/[\w./-]+", " ".join(words))
    inside = [p for p in paths if p == mount["mountPath"] or p.startswith(mount["mountPath"] + "/")]
    assert [p for p in paths if p not in inside] == ["/bin/sh"], paths  # all data is on the volume
    words = [re.sub(rf"(?<![\w.-]){re.escape(mount['mountPath'])}(?=/|\b)", str(data), w)
             for w in words]
    env = {**os.environ, **{e["name"]: e["value"] for e in container["env"]}, **(extra_env or {})}
    if index is not None:
        env["JOB_COMPLETION_INDEX"] = str(index)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env["PATH"]])
    return words, env


def test_the_pods_commands_grade_the_class_as_one_machine_does(tmp_path, small_graded_class):
    found = by_kind(render(SHARDS, *OPTIONS))
    grade, merge = found["Job", "dnn-grade"], found["Job", "dnn-grade-merge"]
    data = tmp_path / "data"
    shutil.copytree(small_graded_class["subs"], data / "submissions")  # grade.sh copy-in
    (data / "results").mkdir()

    pods = []
    for index in range(grade["spec"]["completions"]):
        words, env = pod_command(grade, data, index)
        pods.append(subprocess.Popen(words, env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True))
    for index, process in enumerate(pods):
        output = process.communicate(timeout=1800)[0]
        assert process.returncode == 0, f"pod {index}: {output[-3000:]}"
        assert f"shard {index + 1}/{SHARDS}:" in output
    assert sorted(p.name for p in (data / "results" / "shards").iterdir()) == [
        f"shard-{k}-of-{SHARDS}.json" for k in range(1, SHARDS + 1)]

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "kubectl").write_text(FAKE_KUBECTL)
    (bin_dir / "kubectl").chmod(0o755)
    calls = tmp_path / "kubectl-calls"
    answers = {"EXPECTED_JOB": grade["metadata"]["name"], "KUBECTL_CALLS": str(calls)}
    for state, code in (("Failed", 1), ("SuccessCriteriaMet Complete", 0)):
        words, env = pod_command(merge, data, extra_env={**answers, "JOB_STATE": state})
        env["PATH"] = os.pathsep.join([str(bin_dir), env["PATH"]])
        done = subprocess.run(words, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == code, done.stdout + done.stderr
        if code:
            assert "job/dnn-grade failed" in done.stderr
            assert not (data / "output").exists()
    assert len(calls.read_text().splitlines()) == 2

    out, one = data / "output", small_graded_class["one"]
    for name in ("gradebook.csv", "mistakes.csv"):
        assert (out / name).read_text() == (one / name).read_text(), name
    pages = {p.name: p.read_bytes() for p in (out / "feedback").glob("*.html")}
    assert pages == {p.name: p.read_bytes() for p in (one / "feedback").glob("*.html")}
    assert len(pages) == len(small_graded_class["made"])
    assert (out / "class.html").stat().st_size > 0
