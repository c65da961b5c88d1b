#!/usr/bin/env bash
# The reports of the load generator's Indexed Job (job.yaml), collected from its pods' logs
# (no shared volume: each shard writes its JSON report to standard output, --json=-) and
# merged into the run's report by `ricochet loadgen merge`. See usage below.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"

usage() {
    cat <<'USAGE'
Usage: deploy/k8s/loadgen/collect.sh [-n NAMESPACE] [--job NAME] [--dir DIR] [--wait] [--json FILE] [--html FILE]
       deploy/k8s/loadgen/collect.sh --from-dir DIR [--json FILE] [--html FILE]

Fetches the log of each pod of the load generator's Indexed Job, one pod per shard (by the
labels batch.kubernetes.io/controller-uid and batch.kubernetes.io/job-completion-index),
into DIR/shard-I.log, then merges them with ./ricochet loadgen merge into the report of the
whole run: its figures, the window every shard measured (starts and ends apart), a line
per shard.

  -n, --namespace NS  the Job's namespace (default: ricochet)
  --job NAME          the Job (default: ricochet-loadgen)
  --dir DIR           where the logs go (default: ./NAME-UID, UID the Job's first 8)
  --wait              first wait until the Job has finished (complete or failed), at
                      most its activeDeadlineSeconds
  --json FILE         also write the merged report as JSON (-: standard output, after it)
  --html FILE         also write the merged report's page, one self-contained HTML file
                      (charts need a JDK with java.desktop: ./ricochet's has it, the image not)
  --from-dir DIR      fetch nothing, merge DIR/shard-*.log (written by an earlier run)
  -h, --help          this text

Every shard needs exactly one pod, finished, whose log carries its report: Succeeded, or
Failed after reporting (a shard whose checks fail exits 1 and still reports). Otherwise
nothing is merged, and each shard at fault is named with the reason (and the end of its
log). The merge needs a JDK 21+ (./ricochet finds it); without one, use the image:
  cat DIR/shard-*.log | docker run --rm -i REGISTRY/ricochet-loadgen:TAG merge /dev/stdin

Exit codes (the merge's, then this script's own):
  0 the run passed; 1 it failed (a mismatch, errors, too few requests answered);
  2 bad usage, or reports that are not of one run;
  3 not collected: a shard without a pod, unfinished, or without a report.
USAGE
}

bad_usage() { echo "collect: $*" >&2; echo "usage: deploy/k8s/loadgen/collect.sh --help" >&2; exit 2; }
not_collected() { echo "collect: $*" >&2; exit 3; }

NAMESPACE=ricochet
JOB=ricochet-loadgen
DIR=""
FROM_DIR=""
WAIT=no
JSON_OPTION=()
HTML_OPTION=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        -h|--help) usage; exit 0 ;;
        --wait) WAIT=yes; shift; continue ;;
        -n|--namespace|--job|--dir|--from-dir|--json|--html) [[ $# -ge 2 && -n "$2" ]] || bad_usage "$1 needs a value" ;;
        *) bad_usage "unknown argument '$1'" ;;
    esac
    case "$1" in
        -n|--namespace) NAMESPACE="$2" ;;
        --job) JOB="$2" ;;
        --dir) DIR="$2" ;;
        --from-dir) FROM_DIR="$2" ;;
        --json) JSON_OPTION=(--json "$2") ;;
        --html) HTML_OPTION=(--html "$2") ;;
    esac
    shift 2
done

# A shard's log must carry its report: the JSON that --json=- prints after the text, from a
# line that begins with '{' (what merge looks for). Prints why not, with the log's end.
has_report() {
    local log="$1" what="$2"
    grep -q '^{' "$log" && return 0
    echo "collect: $what wrote no report; the end of its log:" >&2
    tail -n 5 "$log" | sed 's/^/    /' >&2
    return 1
}

merge() {
    local rc=0
    "$ROOT/ricochet" loadgen merge "${JSON_OPTION[@]}" "${HTML_OPTION[@]}" "$@" || rc=$?
    exit "$rc"
}

if [[ -n "$FROM_DIR" ]]; then
    [[ "$WAIT" == no && -z "$DIR" ]] || bad_usage "--from-dir fetches nothing: no --wait or --dir with it"
    [[ -d "$FROM_DIR" ]] || not_collected "$FROM_DIR: no such folder"
    shopt -s nullglob
    logs=("$FROM_DIR"/shard-*.log)
    shopt -u nullglob
    [[ ${#logs[@]} -gt 0 ]] || not_collected "$FROM_DIR: no shard-*.log in it"
    faults=0
    for log in "${logs[@]}"; do has_report "$log" "$log" || faults=$((faults + 1)); done
    [[ "$faults" -eq 0 ]] || not_collected "$faults of ${#logs[@]} logs without a report: nothing merged"
    merge "${logs[@]}"
fi

command -v kubectl >/dev/null 2>&1 || bad_usage "kubectl is needed (or --from-dir DIR)"
kc() { kubectl -n "$NAMESPACE" "$@"; }

job="$(kc get job "$JOB" -o jsonpath='{.spec.completionMode} {.spec.completions} {.metadata.uid} {.spec.activeDeadlineSeconds}')" \
    || not_collected "could not get Job $JOB in namespace $NAMESPACE (see kubectl's message above; a finished Job is deleted after its ttlSecondsAfterFinished)"
read -r mode count uid deadline <<< "$job"
[[ "$mode" == Indexed ]] || not_collected "Job $JOB is not an Indexed Job (completionMode '$mode'): its pods carry no shard index"

if [[ "$WAIT" == yes ]]; then
    # Complete when every shard succeeded; Failed when a shard failed (once every other shard
    # has finished: backoffLimitPerIndex) or at the deadline.
    limit=$((SECONDS + ${deadline:-3600} + 60))
    echo "collect: waiting for Job $JOB to finish (at most $((limit - SECONDS)) s) ..." >&2
    until conditions="$(kc get job "$JOB" -o jsonpath='{range .status.conditions[?(@.status=="True")]}{.type} {end}')" \
            && [[ " $conditions" == *" Complete "* || " $conditions" == *" Failed "* ]]; do
        [[ $SECONDS -lt $limit ]] || not_collected "Job $JOB has not finished after its deadline (conditions: ${conditions:-none})"
        sleep 10
    done
    echo "collect: Job $JOB: ${conditions% }" >&2
fi

# index, name, phase and the loadgen container's exit code of every pod of this Job (its
# uid, not its name: a deleted Job of the same name may still have pods terminating).
pods="$(kc get pods -l "batch.kubernetes.io/controller-uid=$uid" -o jsonpath='{range .items[*]}{.metadata.labels.batch\.kubernetes\.io/job-completion-index} {.metadata.name} {.status.phase} {.status.containerStatuses[?(@.name=="loadgen")].state.terminated.exitCode}{"\n"}{end}')" \
    || not_collected "could not list the pods of Job $JOB (see kubectl's message above)"
DIR="${DIR:-$JOB-${uid:0:8}}"
mkdir -p "$DIR"
faults=0
logs=()
for ((i = 0; i < count; i++)); do
    mapfile -t mine < <(awk -v i="$i" '$1 == i { print $2, $3, $4 }' <<< "$pods")
    if [[ ${#mine[@]} -eq 0 ]]; then
        echo "collect: shard $i: no pod (not created, or deleted)" >&2
        faults=$((faults + 1)); continue
    fi
    if [[ ${#mine[@]} -gt 1 ]]; then
        echo "collect: shard $i: ${#mine[@]} pods ($(printf '%s\n' "${mine[@]}" | cut -d' ' -f1 | paste -sd' ')): expected one" >&2
        faults=$((faults + 1)); continue
    fi
    read -r name phase code <<< "${mine[0]}"
    case "$phase" in
        Succeeded|Failed) ;;
        *) echo "collect: shard $i: pod $name is $phase, not finished (wait for the Job: --wait)" >&2
           faults=$((faults + 1)); continue ;;
    esac
    log="$DIR/shard-$i.log"
    if ! kc logs "$name" -c loadgen > "$log"; then
        echo "collect: shard $i: no log from pod $name (see kubectl's message above)" >&2
        faults=$((faults + 1)); continue
    fi
    has_report "$log" "shard $i (pod $name, $phase, exit ${code:-unknown})" || { faults=$((faults + 1)); continue; }
    logs+=("$log")
done
[[ "$faults" -eq 0 ]] || not_collected "$faults of $count shards not collected: nothing merged (the logs fetched are in $DIR)"
echo "collect: the $count shards' logs are in $DIR; merging ..." >&2
merge "${logs[@]}"
