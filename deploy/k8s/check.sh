#!/usr/bin/env bash
# Offline checks of the Kubernetes manifests (run by .ci/run; about 30 s):
#  - `kubectl kustomize` renders every overlay and the load generator Job;
#  - every rendered object validates against the Kubernetes and prometheus-operator schemas
#    (npm: kubernetes-models, @kubernetes-models/prometheus-operator; see tools/check.mjs);
#  - the manifests agree with the server: ConfigMap keys, ports, probes, grace period,
#    memory, autoscaler, PrometheusRule = deploy/prometheus/rules/ (tools/check.mjs);
#  - the load generator's Indexed Job can be merged: completions = parallelism = --shards,
#    --json=-, --start-at from a ConfigMap, no retry of a shard (tools/check.mjs);
#  - the probe paths answer on a real server started with each overlay's ConfigMap, in a
#    network namespace of its own (so the ConfigMap's real ports never collide with anything).
# Usage: deploy/k8s/check.sh        (needs kubectl, node and npm; root for the namespace)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
TOOLS="$ROOT/deploy/k8s/tools"
START=$SECONDS

die() { echo "k8s-check: $*" >&2; exit 1; }
command -v kubectl >/dev/null 2>&1 || die "kubectl (1.27+, with kustomize) is needed to render the manifests"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1 || die "node and npm are needed (apt-get install nodejs npm)"
    echo "k8s-check: installing nodejs and npm ..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >&2
fi
# The validators, pinned by package-lock.json.
if [[ ! -d "$TOOLS/node_modules" || "$TOOLS/package-lock.json" -nt "$TOOLS/node_modules/.package-lock.json" ]]; then
    (cd "$TOOLS" && npm ci --no-audit --no-fund --loglevel=error >&2) || die "npm ci failed in $TOOLS"
fi

WORK="$(mktemp -d /tmp/ricochet-k8s-check.XXXXXX)"
SERVER_PID=""
cleanup() {
    [[ -n "$SERVER_PID" ]] && kill -KILL "$SERVER_PID" 2>/dev/null
    rm -rf "$WORK"
    return 0
}
trap cleanup EXIT INT TERM

# The server's own list of variables (the jar is rebuilt when stale, as ./ricochet does).
JDK="$("$ROOT/ricochet" jdk | awk '{ print $1 }')"
if [[ ! -f server/target/ricochet-server.jar \
        || -n "$(find pom.xml server/pom.xml server/src/main -newer server/target/ricochet-server.jar -print -quit)" ]]; then
    ./ricochet build
fi
env -i PATH="$PATH" "$JDK/bin/java" -jar server/target/ricochet-server.jar --help > "$WORK/help.txt"

RENDERINGS=()
for overlay in dev production monitoring; do
    kubectl kustomize "deploy/k8s/overlays/$overlay" > "$WORK/$overlay.yaml" \
        || die "kubectl kustomize deploy/k8s/overlays/$overlay failed"
    RENDERINGS+=("$overlay=$WORK/$overlay.yaml")
done
kubectl kustomize deploy/k8s/loadgen > "$WORK/loadgen.yaml" || die "kubectl kustomize deploy/k8s/loadgen failed"
RENDERINGS+=("loadgen=$WORK/loadgen.yaml")
echo "ok: kubectl kustomize renders overlays dev, production, monitoring and the loadgen Job"

RICOCHET_SERVICE_RENDER="$WORK/production.yaml" node "$TOOLS/check.mjs" --help-text "$WORK/help.txt" "${RENDERINGS[@]}"

# The probes against a real server started with each overlay's settings.
[[ "$(id -u)" -eq 0 ]] || die "the probe check needs root (a network namespace of its own)"
probe_overlay() {
    local overlay="$1" env_file="$WORK/$1.env" paths=() line
    node "$TOOLS/check.mjs" --print-env "$WORK/$overlay.yaml" > "$WORK/$overlay.print"
    grep '^RICOCHET_' "$WORK/$overlay.print" > "$env_file" || true
    while read -r line; do paths+=("${line#probe }"); done < <(grep '^probe ' "$WORK/$overlay.print")
    local admin_port
    admin_port="$(awk -F= '$1 == "RICOCHET_ADMIN_PORT" { print $2 }' "$env_file")"
    admin_port="${admin_port:-8080}"
    # In a new network namespace (only its own loopback): start the server with exactly
    # these variables, wait until ready, ask every probe path, then SIGTERM: readiness must
    # turn 503; a second SIGTERM ends the delay at once and the server exits 0.
    unshare --net bash -s "$JDK" "$env_file" "$admin_port" "${paths[@]}" > "$WORK/$overlay.probe" 2>&1 <<'INNER' \
        || { cat "$WORK/$overlay.probe" >&2; die "$overlay: the probes did not answer as expected on a server started with its ConfigMap"; }
set -euo pipefail
jdk="$1" env_file="$2" admin_port="$3"; shift 3
ip link set lo up
mapfile -t vars < "$env_file"
env -i PATH="$PATH" "${vars[@]}" "$jdk/bin/java" --enable-native-access=ALL-UNNAMED -jar server/target/ricochet-server.jar &
pid=$!
for _ in $(seq 1 100); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$admin_port/health/ready")" == 200 ]] && break
    kill -0 "$pid" 2>/dev/null || { echo "the server exited"; wait "$pid"; exit 1; }
    sleep 0.2
done
for path in "$@"; do
    code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$admin_port$path")"
    echo "GET $path -> $code"
    [[ "$code" == 200 ]] || { kill -KILL "$pid"; exit 1; }
done
kill -TERM "$pid"; sleep 0.5
code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$admin_port/health/ready")"
echo "after SIGTERM: GET /health/ready -> $code"
[[ "$code" == 503 ]] || { kill -KILL "$pid"; exit 1; }
kill -TERM "$pid"
rc=0; wait "$pid" || rc=$?
echo "exit $rc"
exit "$rc"
INNER
    echo "ok: $overlay: probe paths $(printf '%s ' "${paths[@]}")answer 200 on a server started with its ConfigMap ($(wc -l < "$env_file") settings), /health/ready 503 after SIGTERM, exit 0"
}
probe_overlay dev
probe_overlay production
echo "k8s-check: passed in $((SECONDS - START))s"
