"""``deploy/k8s/grade.sh``: what it asks kubectl to do, with a stand-in kubectl.

The stand-in records every call and runs ``kubectl exec POD -- COMMAND`` here, with the
claim's ``/data`` as a temporary folder, so copy-in and copy-out move real files.
"""

import subprocess

from k8s_manifests import K8S

FAKE_KUBECTL = r"""#!/usr/bin/env bash
printf '%s\n' "$*" >> "$CALLS"
if [ "$1" = exec ]; then
  shift; [ "$1" = -i ] && shift; shift; shift   # POD --
  args=()
  for word in "$@"; do args+=("${word//\/data/$DATA}"); done
  exec "${args[@]}"
fi
[ "$1 $2" = "apply -f" ] && cat > "$APPLIED"
exit 0
"""


def run(tmp_path, *argv):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "kubectl").write_text(FAKE_KUBECTL)
    (bin_dir / "kubectl").chmod(0o755)
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "CALLS": str(tmp_path / "calls"),
           "DATA": str(tmp_path / "data"), "APPLIED": str(tmp_path / "applied.yaml"),
           "IMAGE": "registry.example.org/grader:1"}
    done = subprocess.run(["bash", str(K8S / "grade.sh"), *argv], env=env,
                          capture_output=True, text=True, timeout=60)
    calls = (tmp_path / "calls").read_text().splitlines() if (tmp_path / "calls").exists() \
        else []
    (tmp_path / "calls").unlink(missing_ok=True)
    return done, calls


def test_copy_in_replaces_the_submissions_and_keeps_the_stored_results(tmp_path):
    data = tmp_path / "data"
    for old in ("submissions/old/02.ipynb", "results/shards/shard-1-of-2.json",
                "results/.results/ann/02.json", "output/gradebook.csv"):
        (data / old).parent.mkdir(parents=True, exist_ok=True)
        (data / old).write_text("old")
    (tmp_path / "class" / "ann").mkdir(parents=True)
    (tmp_path / "class" / "ann" / "02.ipynb").write_text("{}")
    done, calls = run(tmp_path, "copy-in", str(tmp_path / "class"))
    assert done.returncode == 0, done.stderr
    files = sorted(str(p.relative_to(data)) for p in data.rglob("*") if p.is_file())
    assert files == ["results/.results/ann/02.json", "submissions/ann/02.ipynb"]
    assert calls[0] == "delete pod dnn-grading-files --ignore-not-found --wait=true"
    assert calls[1] == "apply -f -"
    assert calls[-1] == "delete pod dnn-grading-files --ignore-not-found --wait=false"
    assert "image: registry.example.org/grader:1" in (tmp_path / "applied.yaml").read_text()


def test_copy_out_brings_the_merged_output_back(tmp_path):
    (tmp_path / "data" / "output" / "feedback").mkdir(parents=True)
    (tmp_path / "data" / "output" / "gradebook.csv").write_text("learner\n")
    (tmp_path / "data" / "output" / "feedback" / "ann.html").write_text("<p>")
    done, _ = run(tmp_path, "copy-out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "gradebook.csv").read_text() == "learner\n"
    assert (tmp_path / "out" / "feedback" / "ann.html").exists()


def test_run_deletes_the_previous_jobs_then_applies_the_rendered_ones(tmp_path):
    done, calls = run(tmp_path, "run", "3", "--limit", "1800")
    assert done.returncode == 0, done.stderr
    assert calls == ["delete job dnn-grade dnn-grade-merge --ignore-not-found --wait=true",
                     "apply -f -"]
    applied = (tmp_path / "applied.yaml").read_text()
    assert "completions: 3" in applied and 'value: "--limit 1800"' in applied
    assert "__" not in applied
