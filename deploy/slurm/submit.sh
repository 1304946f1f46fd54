#!/usr/bin/env bash
# Grade a class on Slurm in N shards, then merge:
#   deploy/slurm/submit.sh N SUBMISSIONS_DIR RESULTS_DIR OUTPUT_DIR [grade options]
# The grade options go to every shard and to the merge. The array's --time is computed from
# the shards' actual submissions, the measured figures (deploy/sizing.json) and the grade
# options (--no-skip runs every cell: its own figures), --mem from
# the figures too; SBATCH_OPTIONS (given to both sbatch calls, after those) overrides them.
# Prints the merge job's id. Add `--wait` to SBATCH_MERGE_OPTIONS to block until it ends.
set -euo pipefail
if [ $# -lt 4 ]; then
  echo "usage: $0 N SUBMISSIONS_DIR RESULTS_DIR OUTPUT_DIR [grade options]" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
n=$1 submissions=$2 results=$3 output=$4
shift 4
sizing=$("${DNN_PYTHON:-python3}" -m dnn_utils.workbook.classroom.sizing "$submissions" "$n" "$@")
# shellcheck disable=SC2086
array=$(sbatch --parsable --array="1-$n" $sizing ${SBATCH_OPTIONS:-} \
  "$here/grade_array.sbatch" "$submissions" "$results" "$@")
array=${array%%;*}
# shellcheck disable=SC2086
sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes \
  ${SBATCH_OPTIONS:-} ${SBATCH_MERGE_OPTIONS:-} "$here/merge.sbatch" "$results" "$output" "$@"
