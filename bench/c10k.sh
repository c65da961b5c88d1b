#!/usr/bin/env bash
# C10K benchmark: a server and the load generator on this machine, loopback only.
#   1. echo: 10,000 connections, 10 requests/s each (100,000 requests/s in total, open loop,
#      latency corrected for coordinated omission), DURATION seconds (default 60);
#   2. prime: 1,000 connections, closed loop, a mix of light and heavy numbers (6d:95,12d:5),
#      PRIME_DURATION seconds (default 30).
# Writes bench/results/c10k.md and c10k.json with connect times, throughput, latency
# percentiles, errors, and the server's RSS and CPU, next to the load generator's CPU.
#
# Usage: bench/c10k.sh [DURATION=60] [PRIME_DURATION=30] [CONNECTIONS=10000] [RATE_PER_CONNECTION=10]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DURATION="${1:-60}"
PRIME_DURATION="${2:-30}"
CONNECTIONS="${3:-10000}"
PER_CONNECTION="${4:-10}"
RESULTS=bench/results
ECHO_PORT=19390
PRIME_PORT=18370

if [[ "$(ulimit -n)" -lt $((CONNECTIONS + 1000)) ]]; then
    echo "c10k: open-file limit $(ulimit -n) is below $((CONNECTIONS + 1000)); raise it (ulimit -n)" >&2
    exit 2
fi

# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_setup
WORK="$(mktemp -d)"
trap 'kill "${SERVER:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

SERVER_JVM_OPTS="-Xms512m -Xmx2g" start_server "$WORK/server.log" \
    --echo-port "$ECHO_PORT" --prime-port "$PRIME_PORT" --shutdown-grace 2s

server_rss_mib() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER/status"; }
server_hwm_mib() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER/status"; }

run_phase() {
    local name="$1"; shift
    local cpu_before cpu_after rc=0
    cpu_before="$(server_cpu_seconds)"
    "$JAVA" --enable-native-access=ALL-UNNAMED -Xmx2g -jar client-loadgen/target/ricochet-loadgen.jar "$@" \
        --json "$WORK/$name.json" > "$WORK/$name.txt" 2> "$WORK/$name.progress" || rc=$?
    cpu_after="$(server_cpu_seconds)"
    python3 - "$WORK/$name.json" "$cpu_before" "$cpu_after" "$(server_rss_mib)" "$(server_hwm_mib)" "$rc" <<'PY'
import json, sys
path, before, after, rss, hwm, rc = sys.argv[1:]
r = json.load(open(path))
r["exit_code"] = int(rc)
r["server_cpu_seconds"] = float(after) - float(before)
r["server_rss_mib_after"] = int(rss)
r["server_rss_peak_mib"] = int(hwm)
secs = r["seconds"] + 2  # the warmup is part of the window the server's CPU was read over
r["server_cpu_us_per_request"] = r["server_cpu_seconds"] * 1e6 / max(1, r["requests"]) * (r["seconds"] / secs)
json.dump(r, open(path, "w"), indent=2)
PY
    cat "$WORK/$name.txt" >&2
}

echo "echo: $CONNECTIONS connections x $PER_CONNECTION requests/s for ${DURATION}s ..." >&2
run_phase echo --target "127.0.0.1:$ECHO_PORT" --workload echo --connections "$CONNECTIONS" \
    --connect-rate 5000 --rate $((CONNECTIONS * PER_CONNECTION)) --duration "${DURATION}s" --warmup 2s \
    --message-size 32 --timeout 30s
echo "prime: 1000 connections, mixed numbers, ${PRIME_DURATION}s ..." >&2
run_phase prime --target "127.0.0.1:$PRIME_PORT" --workload prime --connections 1000 --connect-rate 5000 \
    --numbers 6d:95,12d:5 --duration "${PRIME_DURATION}s" --warmup 2s --timeout 30s

python3 - "$WORK" "$RESULTS" "$STARTED" "$LOAD_BEFORE" "$*" <<'PY'
import json, sys
work, out, started, load, args = sys.argv[1:]
echo = json.load(open(f"{work}/echo.json")); prime = json.load(open(f"{work}/prime.json"))
json.dump({"started": started, "load_before": load, "echo": echo, "prime": prime}, open(f"{out}/c10k.json", "w"), indent=2)
def row(name, r):
    c = r["latency_corrected_ms"]; u = r["latency_uncorrected_ms"]; k = r["connect_time_ms"]
    errors = sum(r["errors"].values())
    lat = lambda h: " / ".join(f"{h.get(p, float('nan')):.2f}" for p in ("p50", "p90", "p99", "p99.9", "p99.99", "max"))
    return (f"| {name} | {r['options']['connections']} ({r['connections_established']} up, {r['connections_open_at_end']} open at end) "
            f"| {k.get('p50', 0):.1f} / {k.get('p99', 0):.1f} / {k.get('max', 0):.1f} "
            f"| {r['requests_per_second']:.0f} | {lat(c)} | {lat(u)} | {errors} "
            f"| {r['server_cpu_us_per_request']:.1f} | {r['loadgen_cpu_us_per_request']:.1f} "
            f"| {r['server_rss_mib_after']} (peak {r['server_rss_peak_mib']}) |")
with open(f"{out}/c10k.md", "w") as md:
    md.write("# C10K benchmark\n\n")
    md.write(f"{started}, 2 cores shared by server and load generator, load average before: {load}.\n")
    md.write(f"Command: `bench/c10k.sh {args}`.\n\n")
    md.write("Latencies in ms, p50 / p90 / p99 / p99.9 / p99.99 / max. Echo is open loop (corrected = from the planned send time); prime is closed loop (both columns the same).\n\n")
    md.write("| phase | connections | connect ms p50 / p99 / max | requests/s | latency corrected | latency uncorrected | errors | server CPU us/request | loadgen CPU us/request | server RSS MiB |\n")
    md.write("|---|---|---|---|---|---|---|---|---|---|\n")
    md.write(row("echo, 10 req/s per connection", echo) + "\n")
    md.write(row("prime, 6d:95,12d:5", prime) + "\n")
print(open(f"{out}/c10k.md").read())
PY
