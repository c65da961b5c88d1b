#!/usr/bin/env bash
# Fault: the server process paused (SIGSTOP) for PAUSE seconds under an open-loop echo load,
# then resumed (SIGCONT). Expected: every connection recovers, and the load generator reports
# the pause in its corrected latency (max about PAUSE) and nothing else: no error, no timeout
# (its --timeout is above the pause), no reconnect, no shortfall against its plan.
# Loopback only; every process stops by itself. Writes bench/results/sigstop.md and .json.
#
# Usage: bench/sigstop.sh [PAUSE=5] [CONNECTIONS=500] [RATE=5000] [DURATION=20]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PAUSE="${1:-5}"
CONNECTIONS="${2:-500}"
RATE="${3:-5000}"
DURATION="${4:-20}"
WARMUP=3
ECHO_PORT=19490
PRIME_PORT=18470

# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_setup
WORK="$(mktemp -d)"
trap 'kill -CONT "${SERVER:-}" 2>/dev/null; kill "${SERVER:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

SERVER_JVM_OPTS="-Xmx512m" start_server "$WORK/server.log" \
    --echo-port "$ECHO_PORT" --prime-port "$PRIME_PORT" --shutdown-delay 0s --shutdown-grace 2s

run_loadgen() {
    local name="$1" rc=0
    "$JAVA" --enable-native-access=ALL-UNNAMED -Xmx512m -jar client-loadgen/target/ricochet-loadgen.jar \
        --target "127.0.0.1:$ECHO_PORT" --workload echo --connections "$CONNECTIONS" --rate "$RATE" \
        --duration "${DURATION}s" --warmup "${WARMUP}s" --message-size 32 --timeout 15s \
        --json "$WORK/$name.json" > "$WORK/$name.txt" 2> "$WORK/$name.progress" || rc=$?
    echo "$rc" > "$WORK/$name.rc"
}

echo "baseline: $CONNECTIONS connections, $RATE requests/s, ${DURATION}s, no pause ..." >&2
run_loadgen baseline
echo "paused: the same load; the server is stopped for ${PAUSE}s in the middle of the measurement ..." >&2
run_loadgen paused &
LOADGEN=$!
# Connect phase (a second at most here) + warmup + a third of the measurement.
sleep $(( 2 + WARMUP + DURATION / 3 ))
PAUSED_AT="$(date -u +%H:%M:%S)"
kill -STOP "$SERVER"
sleep "$PAUSE"
kill -CONT "$SERVER"
wait "$LOADGEN"
FDS_AFTER="$(ls "/proc/$SERVER/fd" | wc -l)"
stop_server

python3 - "$WORK" bench/results "$STARTED" "$LOAD_BEFORE" "$PAUSE" "$PAUSED_AT" "$FDS_AFTER" "$*" <<'PY'
import json, sys
work, out, started, load, pause, paused_at, fds, args = sys.argv[1:]
runs = {}
for name in ("baseline", "paused"):
    r = json.load(open(f"{work}/{name}.json"))
    r["exit_code"] = int(open(f"{work}/{name}.rc").read())
    runs[name] = r
runs.update(started=started, load_before=load, pause_seconds=int(pause), paused_at=paused_at, server_fds_after=int(fds))
json.dump(runs, open(f"{out}/sigstop.json", "w"), indent=2)
def row(name, r):
    c, u = r["latency_corrected_ms"], r["latency_uncorrected_ms"]
    others = {"reconnects": r["connections"]["reconnects"], "shed": r["measured"]["shed"],
              "unanswered_at_end": r["measured"]["unanswered_at_end"], "achieved": round(r["achieved_ratio"], 4)}
    return (f"| {name} | {r['requests']} | {r['requests_per_second']:.0f} | {c['p50']:.2f} / {c['p99']:.2f} / {c['p99.9']:.1f} / {c['max']:.0f} "
            f"| {u['p99']:.2f} / {u['max']:.0f} | {sum(r['errors'].values())} {json.dumps(r['errors'])} "
            f"| {r['connections_open_at_end']} | {json.dumps(others)} | {r['exit_code']} |")
with open(f"{out}/sigstop.md", "w") as md:
    md.write("# Fault: the server paused with SIGSTOP under load\n\n")
    md.write(f"{started}, 2 cores shared by server and load generator (and other work), load average before: {load}.\n")
    md.write(f"Command: `bench/sigstop.sh {args}`. Echo, open loop, 32-byte frames; the server was stopped for {pause} s at {paused_at} UTC.\n\n")
    md.write("| run | requests | requests/s | corrected ms p50 / p99 / p99.9 / max | uncorrected ms p99 / max | errors | open at end | other | exit |\n")
    md.write("|---|---|---|---|---|---|---|---|---|\n")
    md.write(row("baseline", runs["baseline"]) + "\n")
    md.write(row(f"paused {pause} s", runs["paused"]) + "\n")
    md.write(f"\nServer file descriptors after the paused run: {fds}.\n")
PY
cat bench/results/sigstop.md
