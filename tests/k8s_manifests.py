"""The Kubernetes manifests as ``deploy/k8s/grade.sh`` renders them, for the tests."""

import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
K8S = ROOT / "deploy" / "k8s"


def render(n=4, *options, image=None) -> list[dict]:
    """The documents ``grade.sh run N [options]`` applies."""
    env = {"PATH": "/usr/bin:/bin", **({"IMAGE": image} if image else {})}
    done = subprocess.run(["bash", str(K8S / "grade.sh"), "render", str(n), *options],
                          capture_output=True, text=True, env=env, check=True)
    return list(yaml.safe_load_all(done.stdout))


def by_kind(documents) -> dict:
    return {(d["kind"], d["metadata"]["name"]): d for d in documents}


def pod(job):
    return job["spec"]["template"]["spec"]
