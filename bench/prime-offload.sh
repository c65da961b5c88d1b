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
mkdir -p "$RESULTS"

./ricochet build
JAVA="$(./ricochet jdk | cut -d' ' -f1)/bin/java"

run_case() {
    local offload="$1" log json
    log="$(mktemp)"
    "$JAVA" --enable-native-access=ALL-UNNAMED -jar server/target/ricochet-server.jar \
        --bind 127.0.0.1 --echo-port "$ECHO_PORT" --prime-port "$PRIME_PORT" \
        --offload-threads "$offload" --prime-cache-size 0 --shutdown-grace 1s >"$log" 2>&1 &
    local server=$!
    for _ in $(seq 1 100); do grep -q Listening "$log" && break; sleep 0.1; done
    grep -q Listening "$log" || { cat "$log" >&2; kill "$server"; exit 1; }
    local cpu_before; cpu_before="$(awk '{print $14 + $15}' "/proc/$server/stat")"
    json="$("$JAVA" bench/PrimeOffloadBench.java "$PRIME_PORT" "$ECHO_PORT" "$CLIENTS" "$DURATION" "$DIGITS")"
    local cpu_after; cpu_after="$(awk '{print $14 + $15}' "/proc/$server/stat")"
    kill -TERM "$server"; wait "$server" || true
    rm -f "$log"
    local server_cpu_s; server_cpu_s="$(awk -v a="$cpu_before" -v b="$cpu_after" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", (b - a) / hz }')"
    echo "{\"offload_threads\": $offload, \"server_cpu_seconds\": $server_cpu_s, \"result\": $json}"
}

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
STARTED="$(date -u +%Y-%m-%dT%H:%MZ)"
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
