#!/usr/bin/env bash
# The dev overlay, run for real: `podman kube play` of its rendered Deployment and ConfigMap
# (the image built by deploy/container-test.sh's steps, its ports published on 127.0.0.1
# only), the echo and prime reference cases, the health endpoints and /metrics against it,
# then a stop with conversations under way: SIGTERM, the manifest's
# terminationGracePeriodSeconds as the stop timeout, and a check that the server drained
# them and exited 0; `podman kube down` then removes the pod.
#
# Why not `kube down` alone: podman 4.3's kube down stops the pod's infra container first
# and the server dies with SIGKILL (exit 137, seen here), unlike the kubelet, which sends
# SIGTERM to the containers and waits for terminationGracePeriodSeconds. So the test stops
# the server container the kubelet's way (podman stop -t GRACE), then runs kube down.
#
# Usage: deploy/k8s/kube-play-test.sh   (as root; about 30 s once the images exist)
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
START=$SECONDS

die() { echo "kube-play-test: $*" >&2; exit 1; }
[[ "$(id -u)" -eq 0 ]] || die "needs root (podman runs as root here)"
ensure_podman || die "podman is needed"
[[ -d "$TOOLS/node_modules" ]] || (cd "$TOOLS" && npm ci --no-audit --no-fund --loglevel=error >&2)

WORK="$(mktemp -d /tmp/ricochet-kube-play.XXXXXX)"
PLAY="$WORK/play.yaml"
cleanup() {
    # Everything this test created goes, whatever happened.
    [[ -f "$PLAY" ]] && (cd "$WORK" && podman kube down "$PLAY" >/dev/null 2>&1)
    rm -rf "$WORK"
    return 0
}
trap cleanup EXIT INT TERM

# Can podman run a container at all here? (The one case that is skipped.)
if ! reason="$(podman_can_run "$("$ROOT/deploy/docker/build-base-image.sh" | tail -n 1)")"; then
    echo "SKIP: podman cannot run containers on this machine: $reason"
    exit 0
fi
# The image of this tree's jar (a second or two: the base image is cached).
BASE="$("$ROOT/deploy/docker/build-base-image.sh" | tail -n 1)"
./ricochet build --if-stale
build_image "$IMAGE" "$BASE" || die "podman build of $IMAGE failed"

kubectl kustomize deploy/k8s/overlays/dev > "$WORK/dev.yaml"
ECHO_PORT=$(free_port); PRIME_PORT=$(free_port); ADMIN_PORT=$(free_port)
DEPLOYMENT="ricochet-play-$$"
node "$TOOLS/kube-play-input.mjs" "$WORK/dev.yaml" "$IMAGE" "$ECHO_PORT" "$PRIME_PORT" "$ADMIN_PORT" "$DEPLOYMENT" > "$PLAY"
node "$TOOLS/check.mjs" --print-env "$WORK/dev.yaml" > "$WORK/dev.env"
DELAY="$(awk -F= '$1 == "RICOCHET_SHUTDOWN_DELAY" { sub(/s$/, "", $2); print $2 }' "$WORK/dev.env")"
GRACE_PERIOD="$(node -e '
    const YAML = require(process.argv[2]);
    const docs = YAML.parseAllDocuments(require("fs").readFileSync(process.argv[1], "utf8")).map((d) => d.toJS());
    console.log(docs.find((d) => d.kind === "Deployment").spec.template.spec.terminationGracePeriodSeconds ?? 30);
' "$PLAY" "$TOOLS/node_modules/yaml/dist/index.js")"
[[ "$DELAY" =~ ^[0-9]+$ ]] || die "the dev ConfigMap's RICOCHET_SHUTDOWN_DELAY ($DELAY) is not in whole seconds"

# --build=false: podman would otherwise try to build an image from a folder named like the
# image (./ricochet is the launcher); run from the work folder all the same.
(cd "$WORK" && podman kube play --build=false "$PLAY" > "$WORK/play.out" 2>&1) \
    || { cat "$WORK/play.out" >&2; die "podman kube play failed"; }
POD="$(podman pod ps --format '{{.Name}}' | grep "^$DEPLOYMENT-pod" | head -n 1)"
[[ -n "$POD" ]] || die "kube play made no pod $DEPLOYMENT-pod-*"
CONTAINER="$POD-ricochet"
podman container exists "$CONTAINER" || die "kube play made no container $CONTAINER"
if ! wait_http_ok "http://127.0.0.1:$ADMIN_PORT/health/ready" 30; then
    podman logs "$CONTAINER" >&2 || true
    exit 1
fi
echo "ok: podman kube play runs the dev overlay's Deployment ($(podman inspect "$CONTAINER" \
    --format 'user {{.Config.User}}, read-only root {{.HostConfig.ReadonlyRootfs}}, memory limit {{.HostConfig.Memory}} bytes')) and ConfigMap"
podman logs "$CONTAINER" 2>&1 | grep -q 'transport epoll' || { podman logs "$CONTAINER" >&2; die "no native epoll in the pod"; }

check_echo 127.0.0.1 "$ECHO_PORT"
check_prime 127.0.0.1 "$PRIME_PORT"
check_admin 127.0.0.1 "$ADMIN_PORT"

drain_begin 127.0.0.1 "$ECHO_PORT" "$PRIME_PORT"
sleep 0.3
STOP_START=$SECONDS
# In the background, without the clients' sockets (an inherited copy would keep them open
# after the clients close them, and the server would wait for it until the grace ends).
(exec {DRAIN_ECHO_FD}>&- {DRAIN_PRIME_FD}>&-; exec podman stop -t "$GRACE_PERIOD" "$CONTAINER" > /dev/null 2>"$WORK/stop.err") &
STOP_PID=$!
drain_finish 127.0.0.1 "$ADMIN_PORT" "$ECHO_PORT" "$DELAY"
wait "$STOP_PID" || { cat "$WORK/stop.err" >&2; die "podman stop failed"; }
EXIT_CODE="$(podman inspect --format '{{.State.ExitCode}}' "$CONTAINER")"
LOGS="$(podman logs "$CONTAINER" 2>&1)"
[[ "$EXIT_CODE" == 0 ]] || { echo "$LOGS" >&2; die "the server exited $EXIT_CODE (expected: 0)"; }
grep -q 'Stopped' <<< "$LOGS" && ! grep -q 'Shutdown grace of' <<< "$LOGS" \
    || { echo "$LOGS" >&2; die "the server did not drain"; }
echo "ok: SIGTERM with the manifest's grace period (${GRACE_PERIOD}s): drained, exit 0 in $((SECONDS - STOP_START))s"
(cd "$WORK" && podman kube down "$PLAY" > /dev/null 2>&1) || die "podman kube down failed"
rm -f "$PLAY"
podman pod exists "$POD" && die "the pod $POD is still there after kube down"
echo "ok: podman kube down removed the pod"
echo "kube-play-test: passed in $((SECONDS - START))s"
