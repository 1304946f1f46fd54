"""The Kubernetes manifest of class grading is valid batch/v1 Jobs that run the shards.

No cluster runs here: the manifest is checked against the vendored, trimmed Job schema
(deploy/k8s/job-schema.json) with jsonschema, and its commands against the CLI.
"""

import copy
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "deploy" / "k8s" / "grade-indexed-job.yaml"
SCHEMA = json.loads((ROOT / "deploy" / "k8s" / "job-schema.json").read_text())


def jobs():
    return list(yaml.safe_load_all(MANIFEST.read_text()))


def errors(document):
    validator = jsonschema.Draft202012Validator(SCHEMA)
    return [e.message for e in validator.iter_errors(document)]


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
    (lambda d: d["spec"].pop("completionMode"), "'completionMode' is a required property"),
])
def test_the_schema_refuses_a_broken_job(change, expected):
    # The validator must be able to fail: each mistake a person could make is caught.
    document = copy.deepcopy(jobs()[0])
    change(document)
    found = errors(document)
    assert any(expected in message for message in found), found
