#!/usr/bin/env bash
# Checks the production pod size for real: the server image under a 1 GiB memory limit and 2
# CPUs with the production overlay's JVM options and settings, 10,000 echo connections from
# the loadgen image (in the server container's network namespace: loopback only) in closed
# loop for DURATION seconds, every reply verified; then the container's peak memory (cgroup),
# RSS, heap and direct memory. Not in CI (CPU-heavy for about a minute); run by hand after
# changing the sizing, and the result goes to deploy/results/container-sizing.txt.
# Usage: deploy/container-sizing.sh [DURATION_SECONDS=20]      (as root)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=deploy/lib/podman.sh
source "$ROOT/deploy/lib/podman.sh"
DURATION="${1:-20}"
NAME="ricochet-sizing-$$"
die() { echo "container-sizing: $*" >&2; exit 1; }
[[ "$(id -u)" -eq 0 ]] || die "needs root"
ensure_podman || die "podman is needed"
trap 'remove_containers "$NAME" "$NAME-loadgen"' EXIT INT TERM
podman image exists localhost/ricochet:test && podman image exists localhost/ricochet-loadgen:test \
    || die "run deploy/container-test.sh first (it builds the images)"

# The production overlay's JVM options, memory and CPU limits, and settings.
RENDER="$(kubectl kustomize deploy/k8s/overlays/production)"
ENV_ARGS=()
while IFS= read -r line; do ENV_ARGS+=(-e "$line"); done \
    < <(node deploy/k8s/tools/check.mjs --print-env <(echo "$RENDER") | grep '^RICOCHET_')
JAVA_OPTS_PROD="$(node -e '
    const YAML = require(process.argv[1]);
    const docs = YAML.parseAllDocuments(require("fs").readFileSync(0, "utf8")).map((d) => d.toJS());
    const c = docs.find((d) => d.kind === "Deployment").spec.template.spec.containers[0];
    console.log(c.env.find((e) => e.name === "JDK_JAVA_OPTIONS").value + "\t" + c.resources.limits.memory + "\t" + c.resources.limits.cpu);
' "$ROOT/deploy/k8s/tools/node_modules/yaml/dist/index.js" <<< "$RENDER")"
IFS=$'\t' read -r JVM_OPTIONS MEMORY CPUS <<< "$JAVA_OPTS_PROD"
MEMORY_PODMAN="$(sed 's/Gi$/g/; s/Mi$/m/' <<< "$MEMORY")"

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
podman run -d --name "$NAME" --memory "$MEMORY_PODMAN" --cpus "$CPUS" --read-only --tmpfs /tmp:rw,exec,size=64m \
    "${ENV_ARGS[@]}" -e "JDK_JAVA_OPTIONS=$JVM_OPTIONS" localhost/ricochet:test >/dev/null
for _ in $(seq 1 60); do
    podman logs "$NAME" 2>&1 | grep -q Listening && break
    sleep 0.5
done
podman run --rm --name "$NAME-loadgen" --network "container:$NAME" localhost/ricochet-loadgen:test \
    --target 127.0.0.1:9090 --connections 10000 --pipeline 1 --warmup 5s --duration "${DURATION}s" \
    > "/tmp/$NAME.loadgen" 2>&1 || { cat "/tmp/$NAME.loadgen" >&2; die "the load generator failed"; }
CGROUP_PEAK="$(podman exec "$NAME" sh -c 'cat /sys/fs/cgroup/memory.peak 2>/dev/null || cat /sys/fs/cgroup/memory/memory.max_usage_in_bytes')"
RSS_KB="$(podman exec "$NAME" awk '/^VmHWM/ { print $2 }' /proc/1/status)"
METRICS="$(podman exec "$NAME" bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080; printf "GET /metrics HTTP/1.0\r\n\r\n" >&3; cat <&3' 2>/dev/null || true)"
podman stop -t 60 "$NAME" >/dev/null
EXIT="$(podman inspect --format '{{.State.ExitCode}}' "$NAME")"
OOM="$(podman inspect --format '{{.State.OOMKilled}}' "$NAME")"
REQ="$(grep -m1 'Requests/sec' "/tmp/$NAME.loadgen" | tr -s ' ' || true)"
mkdir -p deploy/results
{
    echo "deploy/container-sizing.sh $DURATION: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores shared by server and load generator"
    echo "limits: memory $MEMORY, cpus $CPUS; JDK_JAVA_OPTIONS=$JVM_OPTIONS"
    echo "10,000 echo connections, closed loop, ${DURATION}s measured:${REQ:- see the load generator report}; load average before: $LOAD_BEFORE"
    echo "server container: cgroup peak $((CGROUP_PEAK / 1048576)) MiB, RSS peak $((RSS_KB / 1024)) MiB, OOM-killed $OOM, exit after SIGTERM $EXIT"
    grep -E '^(jvm_memory_max_bytes\{area="heap"|jvm_memory_used_bytes\{area="heap"|ricochet_direct_memory_max_bytes|netty_allocator_memory_used_bytes|jvm_gc_pause_seconds_(count|sum)|ricochet_connections_closed_total)' <<< "$METRICS" || true
    echo "load generator report (without its progress lines):"
    grep -v '^\[' "/tmp/$NAME.loadgen"
} > deploy/results/container-sizing.txt
rm -f "/tmp/$NAME.loadgen"
cat deploy/results/container-sizing.txt
[[ "$EXIT" == 0 && "$OOM" == false ]] || die "the server did not survive: exit $EXIT, OOM-killed $OOM"
