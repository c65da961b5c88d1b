#!/usr/bin/env bash
# Prime offload benchmark: 100 closed-loop clients send random 12-digit numbers (trial
# division) for DURATION seconds, while a second client times echo round trips, against the
# server with --offload-threads 1, 2 and 0 (computing on the event loops, for comparison
# only). Server and clients share this machine; loopback only. Writes
# bench/results/prime-offload.md and .json.
#
# Usage: bench/prime-offload.sh [DURATION_SECONDS=30] [CLIENTS=100] [DIGITS=12]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DURATION="${1:-30}"
CLIENTS="${2:-100}"
DIGITS="${3:-12}"
PRIME_PORT=18070
ECHO_PORT=19090
RESULTS=bench/results
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_setup

run_case() {
    local offload="$1" log json before after
    log="$(mktemp)"
    start_server "$log" --echo-port "$ECHO_PORT" --prime-port "$PRIME_PORT" \
        --offload-threads "$offload" --prime-cache-size 0 --shutdown-delay 0s --shutdown-grace 1s
    before="$(server_cpu_seconds)"
    json="$("$JAVA" bench/PrimeOffloadBench.java "$PRIME_PORT" "$ECHO_PORT" "$CLIENTS" "$DURATION" "$DIGITS")"
    after="$(server_cpu_seconds)"
    stop_server
    rm -f "$log"
    echo "{\"offload_threads\": $offload, \"server_cpu_seconds\": $(seconds_between "$before" "$after"), \"result\": $json}"
}

echo "load before: $LOAD_BEFORE" >&2
results=()
for offload in 1 2 0; do
    echo "offload-threads $offload: ${CLIENTS} clients, ${DIGITS}-digit numbers, ${DURATION}s ..." >&2
    results+=("$(run_case "$offload")")
    echo "${results[-1]}" >&2
done

{
    echo "["
    (IFS=$',\n'; echo "${results[*]}")
    echo "]"
} > "$RESULTS/prime-offload.json"

{
    echo "# Prime offload benchmark"
    echo
    echo "$STARTED, $(nproc) cores, load average before the run: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo "Command: \`bench/prime-offload.sh $DURATION $CLIENTS $DIGITS\` (server and clients on this machine, loopback)."
    echo
    echo "| --offload-threads | requests/s | busy | wrong | errors | echo RTT p50 ms | echo RTT p99 ms | echo RTT max ms | server CPU s |"
    echo "|---|---|---|---|---|---|---|---|---|"
    for r in "${results[@]}"; do
        python3 - "$r" <<'PY'
import json, sys
r = json.loads(sys.argv[1]); x = r["result"]; e = x["echo_rtt_ms"]
name = str(r["offload_threads"]) + (" (on the event loops)" if r["offload_threads"] == 0 else "")
print(f"| {name} | {x['requests_per_second']:.0f} | {x['busy']} | {x['wrong']} | {x['errors']} | {e['p50']:.2f} | {e['p99']:.2f} | {e['max']:.2f} | {r['server_cpu_seconds']} |")
PY
    done
} > "$RESULTS/prime-offload.md"
cat "$RESULTS/prime-offload.md"
