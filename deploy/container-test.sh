#!/usr/bin/env bash
# The container image, tested for real with podman: builds the local base image (cached),
# builds the server and load generator images on it, runs the server with its ports
# published on 127.0.0.1 only, runs the echo and prime reference cases, the health endpoints
# and a /metrics scrape against them, a short load generator run from the loadgen image,
# then sends SIGTERM with conversations under way and checks that the server drained them
# and exited 0 within the grace time; then runs it with the production overlay's settings
# (TLS from a read-only mount, JSON logs).
#
# Usage: deploy/container-test.sh [--publish]   (as root; rerunnable; about 35 s, 45 s more
#                                                 the first time for the base image)
# Prints one SKIP line and exits 0 only where podman cannot run containers at all.
# Writes its result to target/deploy/container-test.txt (ignored by git: ./ricochet test and
# CI run it, and a test run leaves the work tree as it found it); with --publish, run on
# purpose to commit a new result, also to deploy/results/container-test.txt, which the docs
# quote. Leaves no container behind.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=deploy/lib/podman.sh
source "$ROOT/deploy/lib/podman.sh"
# shellcheck source=deploy/lib/checks.sh
source "$ROOT/deploy/lib/checks.sh"
# shellcheck source=deploy/lib/results.sh
source "$ROOT/deploy/lib/results.sh"

case "$#:${1:-}" in
    0:) PUBLISH=no ;;
    1:--publish) PUBLISH=publish ;;
    *) echo "usage: deploy/container-test.sh [--publish]" >&2; exit 2 ;;
esac

SHUTDOWN_DELAY_S=2
SHUTDOWN_GRACE_S=20
IMAGE=localhost/ricochet:test
LOADGEN_IMAGE=localhost/ricochet-loadgen:test
NAME="ricochet-container-test-$$"
START=$SECONDS

die() { echo "container-test: $*" >&2; exit 1; }
[[ "$(id -u)" -eq 0 ]] || die "needs root (podman runs as root here)"
ensure_podman || die "podman is needed"

trap 'remove_containers "$NAME" "$NAME-loadgen"' EXIT INT TERM

BASE="$("$ROOT/deploy/docker/build-base-image.sh" | tail -n 1)"
# The one case that is skipped (with one line): podman cannot run any container here.
if ! reason="$(podman_can_run "$BASE")"; then
    echo "SKIP: podman cannot run containers on this machine: $reason"
    exit 0
fi
./ricochet build --if-stale

echo "container-test: building $IMAGE and $LOADGEN_IMAGE on $BASE ..." >&2
build_image "$IMAGE" "$BASE" || die "podman build of $IMAGE failed"
build_image "$LOADGEN_IMAGE" "$BASE" --target loadgen || die "podman build of $LOADGEN_IMAGE failed"
IMAGE_SIZE="$(podman image inspect --format '{{.Size}}' "$IMAGE")"
echo "ok: built $IMAGE ($((IMAGE_SIZE / 1000000)) MB)"
# The image's metadata: the server's default ports exposed, a numeric non-root user.
EXPOSED="$(podman image inspect --format '{{range $p, $_ := .Config.ExposedPorts}}{{$p}} {{end}}' "$IMAGE")"
HELP="$(podman run --rm --network none "$IMAGE" --help 2>/dev/null | tr -s ' \n' ' ')"
for option in ECHO_PORT PRIME_PORT ADMIN_PORT; do
    port="$(grep -oE "Default: [0-9]+\. Env: RICOCHET_$option" <<< "$HELP" | grep -oE '[0-9]+' | head -n 1)"
    [[ -n "$port" && " $EXPOSED" == *" $port/tcp "* ]] \
        || die "the image exposes '$EXPOSED' but the server's default for RICOCHET_$option is '$port'"
done
[[ "$(podman image inspect --format '{{.Config.User}}' "$IMAGE")" == 10001:10001 ]] || die "the image's user is not 10001:10001"
echo "ok: the image exposes the server's default ports (${EXPOSED% }) and runs as 10001:10001"

# Free loopback ports for the three published ports.
ECHO_PORT=$(free_port); PRIME_PORT=$(free_port); ADMIN_PORT=$(free_port)

# The same hardening as the Kubernetes manifests: read-only root file system with a
# writable /tmp (Netty unpacks its native transport there), no capabilities, a memory limit.
podman run -d --name "$NAME" --memory 1g --read-only --tmpfs /tmp:rw,exec,size=64m --cap-drop ALL \
    --security-opt no-new-privileges \
    -e RICOCHET_SHUTDOWN_DELAY=${SHUTDOWN_DELAY_S}s -e RICOCHET_SHUTDOWN_GRACE=${SHUTDOWN_GRACE_S}s \
    -p "127.0.0.1:$ECHO_PORT:9090" -p "127.0.0.1:$PRIME_PORT:8070" -p "127.0.0.1:$ADMIN_PORT:8080" \
    "$IMAGE" >/dev/null
if ! wait_http_ok "http://127.0.0.1:$ADMIN_PORT/health/ready" 30; then
    podman logs "$NAME" >&2 || true
    exit 1
fi
podman logs "$NAME" 2>&1 | grep -q 'transport epoll' \
    || { podman logs "$NAME" >&2; die "the server did not take native epoll in the container"; }
echo "ok: started as $(podman exec "$NAME" id -u):$(podman exec "$NAME" id -g) on native epoll, ready"

check_echo 127.0.0.1 "$ECHO_PORT"
check_prime 127.0.0.1 "$PRIME_PORT"
check_admin 127.0.0.1 "$ADMIN_PORT"

# The load generator image, in the server container's network namespace (loopback only).
podman run --rm --name "$NAME-loadgen" --network "container:$NAME" "$LOADGEN_IMAGE" \
    --target 127.0.0.1:9090 --connections 50 --rate 2000 --warmup 1s --duration 3s > "/tmp/$NAME-loadgen.txt" 2>&1 \
    || { cat "/tmp/$NAME-loadgen.txt" >&2; die "the load generator image's run failed"; }
rm -f "/tmp/$NAME-loadgen.txt"
echo "ok: the loadgen image drove 50 echo connections for 3 s with every reply verified"

RSS_KB="$(podman exec "$NAME" awk '/^VmRSS/ { print $2 }' /proc/1/status)"

# SIGTERM with a frame under way and a reply owed.
drain_begin 127.0.0.1 "$ECHO_PORT" "$PRIME_PORT"
sleep 0.3
STOP_START=$(date +%s.%N)
podman kill --signal TERM "$NAME" >/dev/null
drain_finish 127.0.0.1 "$ADMIN_PORT" "$ECHO_PORT" "$SHUTDOWN_DELAY_S"
EXIT_CODE="$(timeout $((SHUTDOWN_DELAY_S + SHUTDOWN_GRACE_S + 10)) podman wait "$NAME")" \
    || die "the container did not exit within delay + grace + 10 s"
STOP_S="$(printf '%.1f' "$(echo "$(date +%s.%N) - $STOP_START" | bc)")"
LOGS="$(podman logs "$NAME" 2>&1)"
[[ "$EXIT_CODE" == 0 ]] || { echo "$LOGS" >&2; die "the container exited $EXIT_CODE after SIGTERM (expected: 0)"; }
grep -q 'Draining:' <<< "$LOGS" && grep -q 'Stopped' <<< "$LOGS" \
    || { echo "$LOGS" >&2; die "the log shows no drain"; }
if grep -q 'Shutdown grace of' <<< "$LOGS"; then
    echo "$LOGS" >&2; die "the grace ran out: connections were cut instead of finished"
fi
(( $(echo "$STOP_S < $SHUTDOWN_DELAY_S + $SHUTDOWN_GRACE_S" | bc) )) \
    || die "stopping took ${STOP_S}s (expected: less than delay + grace)"
echo "ok: SIGTERM: drained and exited 0 in ${STOP_S}s (delay ${SHUTDOWN_DELAY_S}s, grace ${SHUTDOWN_GRACE_S}s)"

# A client that stalls in the middle of a frame: the grace (here 2 s) ends the drain, the
# connection is cut and counted, and the server still exits 0, on time.
podman rm "$NAME" >/dev/null
podman run -d --name "$NAME" --memory 1g --read-only --tmpfs /tmp:rw,exec,size=64m --cap-drop ALL \
    -e RICOCHET_SHUTDOWN_DELAY=0s -e RICOCHET_SHUTDOWN_GRACE=2s \
    -p "127.0.0.1:$ECHO_PORT:9090" -p "127.0.0.1:$ADMIN_PORT:8080" "$IMAGE" >/dev/null
wait_http_ok "http://127.0.0.1:$ADMIN_PORT/health/ready" 30 || { podman logs "$NAME" >&2; exit 1; }
exec {STALLED}<>"/dev/tcp/127.0.0.1/$ECHO_PORT"
printf '^ab' >&"$STALLED"
[[ "$(timeout 3 head -c 3 <&"$STALLED")" == '*bc' ]] || die "stalled client: no answer before the stop"
STOP_START=$(date +%s.%N)
podman kill --signal TERM "$NAME" >/dev/null
EXIT_CODE="$(timeout 15 podman wait "$NAME")" || die "the container did not exit within 15 s of SIGTERM (grace 2 s)"
STALL_S="$(printf '%.1f' "$(echo "$(date +%s.%N) - $STOP_START" | bc)")"
exec {STALLED}>&-
LOGS="$(podman logs "$NAME" 2>&1)"
[[ "$EXIT_CODE" == 0 ]] || { echo "$LOGS" >&2; die "exit $EXIT_CODE after the grace (expected: 0)"; }
grep -q 'Shutdown grace of PT2S is over: closing 1 connection(s): 1 still owing' <<< "$LOGS" \
    || { echo "$LOGS" >&2; die "the log does not show the stalled connection cut at the grace"; }
(( $(echo "$STALL_S < 2 + 3" | bc) )) || die "stopping with a stalled client took ${STALL_S}s (grace 2 s)"
echo "ok: a client stalled mid-frame is cut at the end of the grace (reason=shutdown) and the server exits 0 in ${STALL_S}s"

# The production overlay's settings: TLS from a read-only mounted folder (as its Secret
# volume is) and JSON logs; every line the run writes must be one JSON object.
podman rm "$NAME" >/dev/null
TLS_DIR="$(mktemp -d /tmp/ricochet-container-tls.XXXXXX)"
trap 'remove_containers "$NAME" "$NAME-loadgen"; rm -rf "$TLS_DIR"' EXIT INT TERM
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1" -keyout "$TLS_DIR/tls.key" -out "$TLS_DIR/tls.crt" 2>/dev/null \
    || die "openssl could not make a certificate"
chmod 0755 "$TLS_DIR"; chmod 0644 "$TLS_DIR/tls.crt" "$TLS_DIR/tls.key"
podman run -d --name "$NAME" --memory 1g --read-only --tmpfs /tmp:rw,exec,size=64m --cap-drop ALL \
    -v "$TLS_DIR:/etc/ricochet/tls:ro" -e RICOCHET_TLS_CERT=/etc/ricochet/tls/tls.crt \
    -e RICOCHET_TLS_KEY=/etc/ricochet/tls/tls.key -e RICOCHET_LOG_FORMAT=json -e RICOCHET_SHUTDOWN_DELAY=0s \
    -p "127.0.0.1:$ECHO_PORT:9090" -p "127.0.0.1:$ADMIN_PORT:8080" "$IMAGE" >/dev/null
wait_http_ok "http://127.0.0.1:$ADMIN_PORT/health/ready" 30 || { podman logs "$NAME" >&2; exit 1; }
# head ends the pipe early, so openssl's exit status (SIGPIPE) says nothing: the reply does.
TLS_REPLY="$( (printf '^abc$'; sleep 1) | timeout 10 openssl s_client -quiet -verify_return_error \
    -connect "127.0.0.1:$ECHO_PORT" -CAfile "$TLS_DIR/tls.crt" 2>/dev/null | head -c 4 || true)"
[[ "$TLS_REPLY" == '*bcd' ]] || { podman logs "$NAME" >&2; die "echo over TLS answered '$TLS_REPLY' (expected: *bcd)"; }
podman kill --signal TERM "$NAME" >/dev/null
EXIT_CODE="$(timeout 15 podman wait "$NAME")" || die "the TLS container did not exit within 15 s of SIGTERM"
LOGS="$(podman logs "$NAME" 2>&1)"
[[ "$EXIT_CODE" == 0 ]] || { echo "$LOGS" >&2; die "the TLS container exited $EXIT_CODE (expected: 0)"; }
TLS_PROVIDER="$(python3 -c '
import json, sys
events = [json.loads(line) for line in sys.stdin if line.strip() and not line.startswith("NOTE: Picked up JDK_JAVA_OPTIONS")]
assert events and all(isinstance(e, dict) and "@timestamp" in e and "message" in e for e in events), "not JSON events"
listening = [e["message"] for e in events if e["message"].startswith("Listening:")]
assert listening and events[-1]["message"] == "Stopped", "no Listening or Stopped event"
print(listening[0].split("TLS ", 1)[1].split(", prime method")[0])
' <<< "$LOGS")" || { echo "$LOGS" >&2; die "the JSON log run wrote a line that is not a JSON event"; }
echo "ok: production settings: echo over verified TLS ($TLS_PROVIDER) from a read-only mount, every log line a JSON event, exit 0"

ELAPSED=$((SECONDS - START))
WHERE="$(save_result container-test.txt "$PUBLISH" <<RESULT
deploy/container-test.sh: passed $(date -u +%Y-%m-%dT%H:%MZ) in ${ELAPSED}s on $(uname -m), podman $(podman version --format '{{.Client.Version}}')
base image: $BASE
server image: $((IMAGE_SIZE / 1000000)) MB; RSS after the checks: $((RSS_KB / 1024)) MiB (limit 1 GiB)
checks: echo and prime reference cases, /health/live, /health/ready, /metrics, loadgen image (50 connections, 3 s),
SIGTERM mid-frame and with a prime reply owed: drained, exit 0 in ${STOP_S}s;
a client stalled mid-frame cut at the end of a 2 s grace, exit 0 in ${STALL_S}s;
production settings: echo over TLS ($TLS_PROVIDER) from a read-only mount, JSON logs
RESULT
)"
echo "container-test: passed in ${ELAPSED}s (result in $WHERE)"
