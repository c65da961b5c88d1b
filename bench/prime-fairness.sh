#!/usr/bin/env bash
# Fair share of the prime workers: HEAVY connections keep every worker busy with 17-digit
# primes (about 0.3 s of trial division each; the cache is off, so every one is computed),
# pipelining PIPELINE requests each, while 4 light connections send a 12-digit prime (about a
# millisecond of work) at 20 requests/s in open loop. The light clients' latency, corrected
# for coordinated omission, is reported apart from the heavy ones': with one first-come
# first-served queue it is the heavy backlog's; with the fair share, about one heavy request
# (the time for a worker to become free). Two load generators, one per class, against one
# server on loopback. Writes bench/results/prime-fairness.md and .json.
#
# Usage: bench/prime-fairness.sh [DURATION_SECONDS=20] [HEAVY=10] [PIPELINE=30]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DURATION="${1:-20}"
HEAVY="${2:-10}"
PIPELINE="${3:-30}"
PRIME_PORT=18072
ECHO_PORT=19092
HEAVY_NUMBER=100000000000000003
LIGHT_NUMBER=999999999989
RESULTS=bench/results
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_setup

work="$(mktemp -d)"
trap 'kill "${HEAVY_PID:-}" 2>/dev/null || true; server_running 2>/dev/null && stop_server; rm -rf "$work"' EXIT
start_server "$work/server.log" --echo-port "$ECHO_PORT" --prime-port "$PRIME_PORT" \
    --prime-cache-size 0 --shutdown-delay 0s --shutdown-grace 1s

loadgen() {
    RICOCHET_NO_BUILD=1 ./ricochet loadgen --target "127.0.0.1:$PRIME_PORT" --workload prime "$@"
}

echo "load before: $LOAD_BEFORE; $HEAVY heavy connections, pipeline $PIPELINE, then the light clients for ${DURATION}s ..." >&2
# The heavy clients run past the light ones' end; their replies are not all owed by then.
loadgen --numbers "$HEAVY_NUMBER" --connections "$HEAVY" --pipeline "$PIPELINE" \
    --warmup 0s --duration "$((DURATION + 15))s" --timeout 10m --max-error-rate 1 \
    --json "$work/heavy.json" >"$work/heavy.txt" 2>&1 &
HEAVY_PID=$!
sleep 5 # every worker busy and every heavy lane queued before the first light request
status=0
loadgen --numbers "$LIGHT_NUMBER" --connections 4 --rate 20 --warmup 2s --duration "${DURATION}s" \
    --timeout 5m --json "$work/light.json" >"$work/light.txt" 2>&1 || status=$?
kill "$HEAVY_PID" 2>/dev/null || true
wait "$HEAVY_PID" 2>/dev/null || true
require_report "$work/light.json" "$work/light.txt" "$status" "the light clients"

python3 - "$work/light.json" "$DURATION" "$HEAVY" "$PIPELINE" "$STARTED" "$LOAD_BEFORE" "$(cut -d' ' -f1-3 /proc/loadavg)" \
        "$RESULTS/prime-fairness.json" "$RESULTS/prime-fairness.md" <<'PY'
import json, sys
light, duration, heavy, pipeline, started, before, after, out_json, out_md = sys.argv[1:]
r = json.load(open(light))
lat = r["latency_corrected_ms"]
summary = {"started": started, "light": {"latency_corrected_ms": lat, "requests": r.get("requests"),
           "errors": r.get("errors")}, "heavy_connections": int(heavy), "pipeline": int(pipeline)}
json.dump(summary, open(out_json, "w"), indent=2)
def ms(key):
    v = lat.get(key)
    return "-" if v is None else f"{v:.1f}"
with open(out_md, "w") as md:
    md.write("# Fair share of the prime workers\n\n")
    md.write(f"{started}, load average before: {before}, after: {after}. Command: "
             f"`bench/prime-fairness.sh {duration} {heavy} {pipeline}` (server and both load generators on this machine).\n\n")
    md.write(f"{heavy} connections pipelining {pipeline} 17-digit primes each (cache off) hold every worker; "
             "4 light connections send 999999999989 at 20/s in open loop. Light clients' latency, corrected:\n\n")
    md.write("| p50 ms | p90 ms | p99 ms | max ms |\n|---|---|---|---|\n")
    md.write(f"| {ms('p50')} | {ms('p90')} | {ms('p99')} | {ms('max')} |\n")
print(open(out_md).read())
PY
