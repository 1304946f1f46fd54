#!/usr/bin/env bash
# Grade a class on Kubernetes with kubectl's current context and namespace:
#   deploy/k8s/grade.sh claim                  # once: the volume claim "dnn-grading"
#   deploy/k8s/grade.sh copy-in SUBMISSIONS_DIR
#   deploy/k8s/grade.sh run N [grade options]  # N shards, then the merge
#   kubectl wait --for=condition=complete --timeout=48h job/dnn-grade-merge
#   deploy/k8s/grade.sh copy-out OUTPUT_DIR
#   deploy/k8s/grade.sh render N [grade options]   # print the manifests run applies
#
# copy-in empties /data/submissions, the shard summaries (/data/results/shards) and
# /data/output on the claim, keeping the stored results (/data/results/.results), so a
# later run grades only new or changed notebooks; it then copies SUBMISSIONS_DIR/<learner>/
# <notebook>.ipynb in (tar through kubectl exec, as kubectl cp does). run deletes the
# previous run's Jobs (dnn-grade, dnn-grade-merge: Jobs cannot be changed once created) and
# applies new ones. copy-in and copy-out go through a helper pod, dnn-grading-files, which
# they start and delete.
# IMAGE (default dnn-workbook-grader:latest) is the grader image built from
# deploy/k8s/Containerfile, as your cluster pulls it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
image=${IMAGE:-dnn-workbook-grader:latest}
helper=dnn-grading-files

usage() {
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

render() {
  local n=${1:-}
  shift || true
  if ! [[ $n =~ ^[1-9][0-9]*$ ]]; then
    echo "error: N must be the number of shards, a whole number of at least 1; got '$n'." >&2
    exit 2
  fi
  local options="$*"
  if ! [[ $options =~ ^[A-Za-z0-9\ ./_=:-]*$ ]]; then
    echo "error: grade options may hold only letters, digits, spaces and - . / _ = :;" \
      "got '$options'." >&2
    exit 2
  fi
  sed -e "s|__SHARDS__|$n|g" -e "s|__IMAGE__|$image|g" -e "s|__GRADE_OPTIONS__|$options|g" \
    "$here/grade-jobs.yaml"
}

start_helper() {
  kubectl delete pod "$helper" --ignore-not-found --wait=true >/dev/null
  sed -e "s|__IMAGE__|$image|g" "$here/files-pod.yaml" | kubectl apply -f - >/dev/null
  kubectl wait --for=condition=Ready --timeout=10m "pod/$helper" >/dev/null
}

stop_helper() {
  kubectl delete pod "$helper" --ignore-not-found --wait=false >/dev/null
}

command=${1:-}
shift || true
case $command in
  claim)
    kubectl apply -f "$here/claim.yaml" ;;
  render)
    render "$@" ;;
  run)
    manifests=$(render "$@")
    kubectl delete job dnn-grade dnn-grade-merge --ignore-not-found --wait=true
    printf '%s\n' "$manifests" | kubectl apply -f - ;;
  copy-in)
    [ $# -eq 1 ] && [ -d "$1" ] || { echo "error: copy-in needs SUBMISSIONS_DIR, a folder" \
      "of <learner>/<notebook>.ipynb; got '${1:-}'." >&2; exit 2; }
    start_helper
    trap stop_helper EXIT
    kubectl exec "$helper" -- sh -c \
      'rm -rf /data/submissions /data/results/shards /data/output && mkdir -p /data/submissions /data/results'
    tar -C "$1" -cf - . | kubectl exec -i "$helper" -- tar -C /data/submissions -xf -
    echo "copied $1 to /data/submissions on the claim dnn-grading" ;;
  copy-out)
    [ $# -eq 1 ] || usage
    start_helper
    trap stop_helper EXIT
    mkdir -p "$1"
    kubectl exec "$helper" -- tar -C /data/output -cf - . | tar -C "$1" -xf -
    echo "copied /data/output (gradebook.csv, mistakes.csv, feedback/, class.html) to $1" ;;
  *)
    usage ;;
esac
