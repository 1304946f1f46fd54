"""The Kubernetes recipe: valid manifests, N in one place, a merge that waits on the Job.

No cluster runs here. ``deploy/k8s/grade.sh render N`` (the manifests ``grade.sh run``
applies) and the claim and helper pod are checked against Kubernetes' own published
schemas with kubernetes-validate (its wheel ships the schemas of every release, so nothing
is fetched), in strict mode (no unknown field), for Kubernetes 1.33, the first release
with user-namespaced pods on by default. What the schema leaves to the API server (the
enumerated values, and that an unmasked /proc needs a user namespace) is checked by
:func:`api_rules`. ``tests/test_k8s_simulation.py`` runs the pods' commands.
"""

import copy
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from ci_skip import skip_or_fail
from k8s_manifests import K8S, ROOT, by_kind, pod, render

from dnn_utils.workbook.sandbox.session import MEMORY_LIMIT_BYTES

try:
    import kubernetes_validate
except ImportError:
    _REASON = ("kubernetes-validate is not installed: "
               "pip install -r requirements-instructor.txt")
    skip_or_fail(_REASON, module=True)

KUBERNETES_VERSION = "1.33.0"


def jobs(n=4, *options):
    found = by_kind(render(n, *options))
    return found["Job", "dnn-grade"], found["Job", "dnn-grade-merge"]


def api_rules(document):
    """What the API server refuses though the schema allows it (plain strings there)."""
    problems = []
    spec = document.get("spec", {})
    if document["kind"] == "Job":
        if spec.get("completionMode", "NonIndexed") not in ("Indexed", "NonIndexed"):
            problems.append(f"completionMode {spec['completionMode']!r} is not one of "
                            "['Indexed', 'NonIndexed']")
        spec = spec["template"]["spec"]
    if spec.get("restartPolicy") not in ("Never", "OnFailure", None):
        problems.append(f"restartPolicy {spec['restartPolicy']!r} is not one of ['Never', "
                        "'OnFailure']")
    for container in spec.get("containers", []):
        proc = container.get("securityContext", {}).get("procMount", "Default")
        if proc not in ("Default", "Unmasked"):
            problems.append(f"procMount {proc!r} is not one of ['Default', 'Unmasked']")
        if proc == "Unmasked" and spec.get("hostUsers", True):
            problems.append("procMount Unmasked needs hostUsers: false")
    for profile in ("seccompProfile", "appArmorProfile"):
        kind = spec.get("securityContext", {}).get(profile, {}).get("type", "RuntimeDefault")
        if kind not in ("RuntimeDefault", "Unconfined", "Localhost"):
            problems.append(f"{profile} type {kind!r} is not one of ['RuntimeDefault', "
                            "'Unconfined', 'Localhost']")
    return problems


def errors(document):
    try:
        kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)
    except kubernetes_validate.ValidationError as error:
        return [str(error)]
    return api_rules(document)


def test_every_manifest_passes_kubernetes_schemas_in_strict_mode():
    documents = render(3, "--limit", "1800")
    documents.append(yaml.safe_load((K8S / "claim.yaml").read_text()))
    documents.append(yaml.safe_load((K8S / "files-pod.yaml").read_text()
                                    .replace("__IMAGE__", "dnn-workbook-grader:latest")))
    assert sorted(by_kind(documents)) == [
        ("Job", "dnn-grade"), ("Job", "dnn-grade-merge"),
        ("PersistentVolumeClaim", "dnn-grading"), ("Pod", "dnn-grading-files"),
        ("Role", "dnn-grade-merge"), ("RoleBinding", "dnn-grade-merge"),
        ("ServiceAccount", "dnn-grade-merge")]
    for document in documents:
        assert errors(document) == [], document["metadata"]["name"]


@pytest.mark.parametrize("n", [1, 3, 7])
def test_the_shard_count_is_set_in_one_place(n):
    grade, _ = jobs(n)
    assert grade["spec"]["completionMode"] == "Indexed"
    assert grade["spec"]["completions"] == grade["spec"]["parallelism"] == n
    env = {e["name"]: e["value"] for e in pod(grade)["containers"][0]["env"]}
    assert env["SHARDS"] == str(n)
    command = " ".join(pod(grade)["containers"][0]["args"])
    assert '--shard "$((JOB_COMPLETION_INDEX + 1))/$SHARDS"' in command
    # The template holds no count of its own: only grade.sh's argument.
    template = by_kind(yaml.safe_load_all((K8S / "grade-jobs.yaml").read_text()))
    spec = template["Job", "dnn-grade"]["spec"]
    assert spec["completions"] == spec["parallelism"] == "__SHARDS__"
    assert {"name": "SHARDS", "value": "__SHARDS__"} in pod(template["Job", "dnn-grade"])[
        "containers"][0]["env"]


def test_the_merge_waits_on_the_grading_jobs_status_with_just_that_permission():
    grade, merge = jobs(4)
    found = by_kind(render(4))
    script = pod(merge)["containers"][0]["args"][0]
    assert "kubectl get job dnn-grade" in script and "Complete" in script and "Failed" in script
    assert "ls " not in script and "shard-" not in script
    assert "--merge /data/results --out /data/output" in script
    account = pod(merge)["serviceAccountName"]
    role = found["Role", account]
    assert role["rules"] == [{"apiGroups": ["batch"], "resources": ["jobs"],
                              "resourceNames": [grade["metadata"]["name"]],
                              "verbs": ["get", "watch"]}]
    binding = found["RoleBinding", account]
    assert binding["roleRef"]["name"] == role["metadata"]["name"]
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": account}]
    assert pod(grade)["automountServiceAccountToken"] is False  # learners' code runs there


def test_the_grade_options_reach_the_shards_and_the_merge():
    grade, merge = jobs(2, "--timeout", "900", "--solutions", "/opt/s")
    for job in (grade, merge):
        container = pod(job)["containers"][0]
        env = {e["name"]: e["value"] for e in container["env"]}
        assert env["GRADE_OPTIONS"] == "--timeout 900 --solutions /opt/s"
        assert "$GRADE_OPTIONS" in container["args"][0]


def test_bubblewraps_needs_and_the_memory_above_the_sandboxs_limit():
    grade, _ = jobs(2)
    spec = pod(grade)
    assert spec["hostUsers"] is False
    assert spec["securityContext"]["seccompProfile"] == {"type": "Unconfined"}
    assert spec["securityContext"]["appArmorProfile"] == {"type": "Unconfined"}
    container = spec["containers"][0]
    assert container["securityContext"]["procMount"] == "Unmasked"
    limit = container["resources"]["limits"]["memory"]
    assert limit.endswith("Mi") and int(limit[:-2]) * 2**20 > MEMORY_LIMIT_BYTES


@pytest.mark.parametrize("argv, message", [
    (["render", "0"], "N must be the number of shards"),
    (["render", "4", "--limit", "9;rm"], "grade options may hold only"),
    (["copy-in", "/no/such/folder"], "copy-in needs SUBMISSIONS_DIR"),
])
def test_grade_sh_refuses_bad_arguments(argv, message):
    done = subprocess.run(["bash", str(K8S / "grade.sh"), *argv], capture_output=True,
                          text=True, env={"PATH": "/usr/bin:/bin"})
    assert done.returncode == 2 and message in done.stderr


@pytest.mark.parametrize("change, expected", [
    (lambda d: d["spec"].__setitem__("completionMode", "indexed"), "is not one of"),
    (lambda d: pod(d).__setitem__("restartPolicy", "Always"), "is not one of"),
    (lambda d: d["spec"].pop("template"), "'template' is a required property"),
    (lambda d: d["spec"].__setitem__("completion", 4), "Additional properties"),
    (lambda d: d["spec"].__setitem__("completions", "4"), "is not of type 'integer'"),
    (lambda d: pod(d).__setitem__("hostUsers", True), "needs hostUsers: false"),
])
def test_the_checks_refuse_a_broken_job(change, expected):
    # The validator must be able to fail: each mistake a person could make is caught.
    document = copy.deepcopy(jobs(4)[0])
    change(document)
    found = errors(document)
    assert any(expected in message for message in found), found


def test_the_grader_image_recipe_copies_what_exists_and_installs_requirements():
    recipe = (K8S / "Containerfile").read_text()
    lines = [line for line in re.sub(r"\\\n", " ", recipe).splitlines()
             if line and not line.startswith("#")]
    assert lines[0] == "FROM python:3.11-slim"
    ignored = [p.strip() for p in (ROOT / ".dockerignore").read_text().splitlines()
               if p.strip() and not p.startswith("#")]
    copied, install = [], None
    for line in lines:
        if line.startswith("COPY "):
            *sources, _ = line.split()[1:]
            for source in sources:
                assert (ROOT / source).exists(), f"COPY {source}: no such file"
                assert not any(Path(source.rstrip("/")).match(p.lstrip("*/")) for p in ignored)
                copied.append(source.rstrip("/"))
        if line.startswith("RUN") and "bubblewrap" in line:
            assert re.search(r"apt-get install [^&]*\bbubblewrap\b", line)
        if line.startswith("RUN") and "pip install" in line:
            install = line
            needed = {"requirements.txt"}
            if "-e ." in (ROOT / "requirements.txt").read_text().splitlines():
                needed |= {"pyproject.toml", "README.md", "dnn_utils"}
            assert needed <= set(copied), needed - set(copied)
    assert install is not None and "-r requirements.txt" in install
    assert {"notebooks", "datasets"} <= set(copied)  # solution notebooks, the cat data
    assert "dnn-workbook-grader:latest" in recipe
    assert "image=${IMAGE:-dnn-workbook-grader:latest}" in (K8S / "grade.sh").read_text()
