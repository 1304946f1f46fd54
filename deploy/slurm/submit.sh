#!/usr/bin/env bash
# Grade a class on Slurm in N shards, then merge:
#   deploy/slurm/submit.sh N SUBMISSIONS_DIR RESULTS_DIR OUTPUT_DIR [grade options]
# Prints the merge job's id. Add `--wait` to SBATCH_MERGE_OPTIONS to block until it ends.
set -euo pipefail
if [ $# -lt 4 ]; then
  echo "usage: $0 N SUBMISSIONS_DIR RESULTS_DIR OUTPUT_DIR [grade options]" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
n=$1 submissions=$2 results=$3 output=$4
shift 4
array=$(sbatch --parsable --array="1-$n" ${SBATCH_OPTIONS:-} "$here/grade_array.sbatch" \
  "$submissions" "$results" "$@")
array=${array%%;*}
# shellcheck disable=SC2086
sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes \
  ${SBATCH_OPTIONS:-} ${SBATCH_MERGE_OPTIONS:-} "$here/merge.sbatch" "$results" "$output"
