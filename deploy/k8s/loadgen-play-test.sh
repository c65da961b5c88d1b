#!/usr/bin/env bash
# The load generator's Indexed Job (deploy/k8s/loadgen), run for real with podman, at a
# small size: the dev overlay's server played as kube-play-test.sh plays it; the Job's pod
# template played as the Job's pods (tools/loadgen-play-input.mjs: podman 4.3's kube play
# plays no Job, "YAML document does not contain any supported kube kind"), one pod per
# index with JOB_COMPLETION_INDEX and the index label set as the Job controller sets them,
# the ConfigMap with one --start-at for all, the Service's name resolving to the server
# pod; 40 connections at 400 requests/s, 1 s warmup, 3 s measured instead of the Job's
# 10,000 / 50,000 / 10 s / 300 s, and plaintext (the Job's --tls and --tls-ca, with the Secret
# volume of its CA, dropped: the dev overlay's server speaks no TLS). Then each shard's log, selected by its
# batch.kubernetes.io/job-completion-index label, into a folder as collect.sh writes it, and
# collect.sh merges them: the merge must pass (exit 0) and report every shard, and write the
# merged page asked for with --html; the same logs
# merged by the loadgen image as the docs show; collect.sh must refuse a log without a
# report (exit 3) and merge must refuse a missing shard (exit 2).
#
# Usage: deploy/k8s/loadgen-play-test.sh   (as root; 45 to 80 s once the base image exists)
# Prints one SKIP line and exits 0 only where podman cannot run containers at all.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
# shellcheck source=deploy/lib/podman.sh
source "$ROOT/deploy/lib/podman.sh"
# shellcheck source=deploy/lib/checks.sh
source "$ROOT/deploy/lib/checks.sh"
TOOLS="$ROOT/deploy/k8s/tools"
IMAGE=localhost/ricochet:test
LOADGEN_IMAGE=localhost/ricochet-loadgen:test
# From the ConfigMap to --start-at: kube play makes the pods one after the other (3 to 14 s
# for 4 here), then every JVM starts, connects and warms up (1 s), side by side on two cores;
# 20 s was too short once, with the machine's load average at 28.
LEAD_SECONDS=30
START=$SECONDS

die() { echo "loadgen-play-test: $*" >&2; exit 1; }
[[ "$(id -u)" -eq 0 ]] || die "needs root (podman runs as root here)"
ensure_podman || die "podman is needed"
[[ -d "$TOOLS/node_modules" ]] || (cd "$TOOLS" && npm ci --no-audit --no-fund --loglevel=error >&2)

WORK="$(mktemp -d /tmp/ricochet-loadgen-play.XXXXXX)"
SERVER_PLAY="$WORK/server.yaml"
LOADGEN_PLAY="$WORK/loadgen.yaml"
cleanup() {
    # Everything this test created goes, whatever happened.
    local play
    for play in "$LOADGEN_PLAY" "$SERVER_PLAY"; do
        [[ -f "$play" ]] && (cd "$WORK" && podman kube down "$play" >/dev/null 2>&1)
    done
    rm -rf "$WORK"
    return 0
}
trap cleanup EXIT INT TERM

BASE="$("$ROOT/deploy/docker/build-base-image.sh" | tail -n 1)"
if ! reason="$(podman_can_run "$BASE")"; then
    echo "SKIP: podman cannot run containers on this machine: $reason"
    exit 0
fi
# The images of this tree's jars (a few seconds: the base image is cached).
./ricochet build --if-stale
build_image "$IMAGE" "$BASE" || die "podman build of $IMAGE failed"
build_image "$LOADGEN_IMAGE" "$BASE" --target loadgen || die "podman build of $LOADGEN_IMAGE failed"

# The server: the dev overlay's Deployment, its admin port published on 127.0.0.1.
kubectl kustomize deploy/k8s/overlays/dev > "$WORK/dev.yaml"
kubectl kustomize deploy/k8s/loadgen > "$WORK/job.yaml"
ECHO_PORT=$(free_port); PRIME_PORT=$(free_port); ADMIN_PORT=$(free_port)
NAME="ricochet-loadgen-play-$$"
node "$TOOLS/kube-play-input.mjs" "$WORK/dev.yaml" "$IMAGE" "$ECHO_PORT" "$PRIME_PORT" "$ADMIN_PORT" "$NAME-server" > "$SERVER_PLAY"
# The pods reach the server's pod address on the Service's port: it must be the container's.
# shellcheck disable=SC2016  # JavaScript, whose ${...} is its own
node -e '
    const YAML = require(process.argv[3]);
    const load = (f) => YAML.parseAllDocuments(require("fs").readFileSync(f, "utf8")).map((d) => d.toJS());
    const service = load(process.argv[1]).find((d) => d.kind === "Service").spec.ports.find((p) => p.name === "echo").port;
    const target = load(process.argv[2])[0].spec.template.spec.containers[0].args.find((a) => a.startsWith("--target="));
    const container = load(process.argv[1]).find((d) => d.kind === "Deployment").spec.template.spec.containers[0]
        .ports.find((p) => p.name === "echo").containerPort;
    if (!(target.endsWith(`:${service}`) && service === container)) {
        console.error(`${target}, Service port ${service}, container port ${container}: not one port`); process.exit(1);
    }
' "$WORK/dev.yaml" "$WORK/job.yaml" "$TOOLS/node_modules/yaml/dist/index.js" || die "the Job's --target port is not the server container's"

(cd "$WORK" && podman kube play --build=false "$SERVER_PLAY" > "$WORK/play.out" 2>&1) \
    || { cat "$WORK/play.out" >&2; die "podman kube play of the server failed"; }
SERVER_POD="$(podman pod ps --format '{{.Name}}' | grep "^$NAME-server-pod" | head -n 1)"
[[ -n "$SERVER_POD" ]] || die "kube play made no pod $NAME-server-pod-*"
wait_http_ok "http://127.0.0.1:$ADMIN_PORT/health/ready" 30 || { podman logs "$SERVER_POD-ricochet" >&2 || true; exit 1; }
SERVER_IP="$(podman inspect --format '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' \
    "$(podman pod inspect --format '{{.InfraContainerID}}' "$SERVER_POD")")"
[[ -n "$SERVER_IP" ]] || die "no address for the server pod $SERVER_POD"

# The Job's pods, one per index, all reading one --start-at.
SHARDS="$(node -e '
    const YAML = require(process.argv[2]);
    console.log(YAML.parse(require("fs").readFileSync(process.argv[1], "utf8")).spec.completions);
' "$WORK/job.yaml" "$TOOLS/node_modules/yaml/dist/index.js")"
START_AT="$(date -u -d "+$LEAD_SECONDS seconds" +%FT%TZ)"
# The dev overlay's server is plaintext (the Job's TLS is for production's): without --tls and
# its --tls-ca, whose Secret volume goes with it.
node "$TOOLS/loadgen-play-input.mjs" "$WORK/job.yaml" "$LOADGEN_IMAGE" "$SERVER_IP" "$START_AT" "$NAME" \
    --connections=40 --rate=400 --warmup=1s --duration=3s drop:--tls drop:--tls-ca > "$LOADGEN_PLAY"
PLAY_START=$SECONDS
(cd "$WORK" && podman kube play --build=false "$LOADGEN_PLAY" > "$WORK/play.out" 2>&1) \
    || { cat "$WORK/play.out" >&2; die "podman kube play of the Job's pods failed"; }
echo "ok: $SHARDS load generator pods played from the Job's template in $((SECONDS - PLAY_START)) s" \
    "(JOB_COMPLETION_INDEX 0-$((SHARDS - 1)), --start-at $START_AT), against the dev overlay's server"

# Each shard's log, selected by its index label, as collect.sh writes it; every pod must exit 0.
LOGS="$WORK/logs"
mkdir -p "$LOGS"
LAST_STARTED=0
for ((i = 0; i < SHARDS; i++)); do
    pod="$(podman pod ps --filter "label=ricochet.dev/play=$NAME" \
        --filter "label=batch.kubernetes.io/job-completion-index=$i" --format '{{.Name}}')"
    [[ -n "$pod" && "$pod" != *$'\n'* ]] || die "shard $i: expected one pod labelled batch.kubernetes.io/job-completion-index=$i, found '${pod//$'\n'/ }'"
    code="$(timeout $((LEAD_SECONDS + 40)) podman wait "$pod-loadgen")" || die "shard $i: pod $pod did not finish in time"
    podman logs "$pod-loadgen" > "$LOGS/shard-$i.log" 2>&1
    started="$(podman inspect --format '{{.State.StartedAt}}' "$pod-loadgen" | cut -d' ' -f1,2)"
    (( $(date -d "$started" +%s) > LAST_STARTED )) && LAST_STARTED="$(date -d "$started" +%s)"
    [[ "$code" == 0 ]] || { cat "$LOGS/shard-$i.log" >&2; die "shard $i: the load generator exited $code (started $started, --start-at $START_AT)"; }
done
echo "ok: every shard exited 0 (the last one started $(( $(date -d "$START_AT" +%s) - LAST_STARTED )) s before --start-at); their logs, by index label, in shard-0..$((SHARDS - 1)).log"

# The merge, as collect.sh runs it after fetching.
rc=0
deploy/k8s/loadgen/collect.sh --from-dir "$LOGS" --html "$WORK/merged.html" > "$WORK/merged.txt" 2> "$WORK/merged.err" || rc=$?
[[ "$rc" == 0 ]] || { cat "$WORK/merged.txt" "$WORK/merged.err" >&2; die "collect.sh --from-dir exited $rc (expected: 0)"; }
MERGED_LINE="$(grep -E "^ +Merged +$SHARDS shards; " "$WORK/merged.txt")" \
    || { cat "$WORK/merged.txt" >&2; die "the merged report does not say $SHARDS shards"; }
for ((i = 0; i < SHARDS; i++)); do
    grep -qE "^ +Shard $i +" "$WORK/merged.txt" || { cat "$WORK/merged.txt" >&2; die "no line for shard $i in the merged report"; }
done
grep -q ", $SHARDS shards merged</h1>" "$WORK/merged.html" && grep -q 'class="verdict passed"' "$WORK/merged.html" \
    || die "collect.sh --html wrote no page of the $SHARDS shards merged, passed, in $WORK/merged.html"
echo "ok: collect.sh merged them, exit 0:${MERGED_LINE#*Merged}; their page in merged.html"

# The docs' way without a JDK: the loadgen image merges the logs from its standard input.
rc=0
cat "$LOGS"/shard-*.log | podman run --rm -i --network none "$LOADGEN_IMAGE" merge /dev/stdin > "$WORK/image.txt" 2>&1 || rc=$?
if [[ "$rc" != 0 ]] || ! grep -qE "^ +Merged +$SHARDS shards; " "$WORK/image.txt"; then
    cat "$WORK/image.txt" >&2; die "the loadgen image's merge of the same logs exited $rc"
fi
echo "ok: the loadgen image merges the same logs from standard input, exit 0"

# What collect.sh and merge refuse: a log without its report, and a shard missing.
head -n 3 "$LOGS/shard-1.log" > "$WORK/cut.log" && mv "$WORK/cut.log" "$LOGS/shard-1.log"
rc=0; deploy/k8s/loadgen/collect.sh --from-dir "$LOGS" > /dev/null 2> "$WORK/refused.err" || rc=$?
if [[ "$rc" != 3 ]] || ! grep -q 'shard-1.log wrote no report' "$WORK/refused.err"; then
    cat "$WORK/refused.err" >&2; die "collect.sh exited $rc on a log without a report (expected: 3)"
fi
rm "$LOGS/shard-1.log"
rc=0; deploy/k8s/loadgen/collect.sh --from-dir "$LOGS" > /dev/null 2> "$WORK/refused.err" || rc=$?
if [[ "$rc" != 2 ]] || ! grep -q "shard 1 of $SHARDS missing" "$WORK/refused.err"; then
    cat "$WORK/refused.err" >&2; die "collect.sh exited $rc with shard 1 missing (expected: 2, from merge)"
fi
echo "ok: a log without its report is not collected (exit 3), a missing shard is not merged (exit 2)"

for play in "$LOADGEN_PLAY" "$SERVER_PLAY"; do
    (cd "$WORK" && podman kube down "$play" > /dev/null 2>&1) || die "podman kube down failed"
    rm -f "$play"
done
echo "loadgen-play-test: passed in $((SECONDS - START))s"
