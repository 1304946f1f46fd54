"""The Kubernetes manifest of class grading is valid batch/v1 Jobs that run the shards.

No cluster runs here. The manifest is checked against Kubernetes' own published Job schema,
with kubernetes-validate (its wheel ships the schemas of every Kubernetes release, so nothing
is fetched), in strict mode (no unknown field). What the schema leaves to the API server (the
enumerated values) is checked by :func:`job_rules`; the commands are checked against the CLI.
"""

import copy
import re
from pathlib import Path

import pytest
import yaml
from ci_skip import skip_or_fail

try:
    import kubernetes_validate
except ImportError:
    _REASON = ("kubernetes-validate is not installed: "
               "pip install -r requirements-instructor.txt")
    skip_or_fail(_REASON, module=True)

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "deploy" / "k8s" / "grade-indexed-job.yaml"
#: The oldest Kubernetes release whose Indexed Jobs the manifest relies on (stable in 1.24).
KUBERNETES_VERSION = "1.30.0"


def jobs():
    return list(yaml.safe_load_all(MANIFEST.read_text()))


def job_rules(document):
    """What the API server refuses though the schema allows it (plain strings there)."""
    spec = document["spec"]
    problems = []
    if spec.get("completionMode", "NonIndexed") not in ("Indexed", "NonIndexed"):
        problems.append(f"completionMode {spec['completionMode']!r} is not one of "
                        "['Indexed', 'NonIndexed']")
    restart = spec["template"]["spec"].get("restartPolicy")
    if restart not in ("Never", "OnFailure"):
        problems.append(f"restartPolicy {restart!r} is not one of ['Never', 'OnFailure']")
    return problems


def errors(document):
    try:
        kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)
    except kubernetes_validate.ValidationError as error:
        return [str(error)]
    return job_rules(document)


def test_every_document_is_a_valid_batch_v1_job():
    documents = jobs()
    assert [d["metadata"]["name"] for d in documents] == ["dnn-grade", "dnn-grade-merge"]
    for document in documents:
        assert errors(document) == []


def test_the_grading_job_is_indexed_and_each_index_grades_its_shard():
    grade = jobs()[0]
    spec = grade["spec"]
    assert spec["completionMode"] == "Indexed"
    n = spec["completions"]
    assert spec["parallelism"] == n
    container = spec["template"]["spec"]["containers"][0]
    env = {e["name"]: e["value"] for e in container["env"]}
    assert int(env["SHARDS"]) == n
    command = " ".join(container["args"])
    assert '--shard "$((JOB_COMPLETION_INDEX + 1))/$SHARDS"' in command
    assert "--out /data/results" in command


def test_the_merge_waits_for_all_shards_and_merges_the_same_folder():
    merge = jobs()[1]
    container = merge["spec"]["template"]["spec"]["containers"][0]
    command = " ".join(container["args"])
    assert int({e["name"]: e["value"] for e in container["env"]}["SHARDS"]) == \
        jobs()[0]["spec"]["completions"]
    assert re.search(r"shard-\*-of-\$SHARDS\.json", command)
    assert "--merge /data/results" in command and "--report" in command


@pytest.mark.parametrize("change, expected", [
    (lambda d: d["spec"].__setitem__("completionMode", "indexed"), "is not one of"),
    (lambda d: d["spec"]["template"]["spec"].__setitem__("restartPolicy", "Always"),
     "is not one of"),
    (lambda d: d["spec"].pop("template"), "'template' is a required property"),
    (lambda d: d["spec"].__setitem__("completion", 4), "Additional properties"),
    (lambda d: d["spec"].__setitem__("completions", "4"), "is not of type 'integer'"),
])
def test_the_schema_refuses_a_broken_job(change, expected):
    # The validator must be able to fail: each mistake a person could make is caught.
    document = copy.deepcopy(jobs()[0])
    change(document)
    found = errors(document)
    assert any(expected in message for message in found), found
