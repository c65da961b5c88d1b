#!/usr/bin/env bash
# C10K benchmark: a server and the load generator on this machine, loopback only.
#   1. echo: 10,000 connections, 10 requests/s each (100,000 requests/s in total, open loop,
#      latency corrected for coordinated omission), DURATION seconds (default 60);
#   2. echo, closed loop: as many connections again (a new load generator), one request
#      outstanding each, PRIME_DURATION seconds (default 30): the most the two processes
#      deliver over that many connections;
#   3. prime: 1,000 connections, closed loop, a mix of light and heavy numbers (6d:95,12d:5),
#      PRIME_DURATION seconds.
# Each phase measures for its duration after a WARMUP (default 10 s) that starts once every
# connection is up. Writes bench/results/c10k.md and c10k.json with connect times, throughput,
# latency percentiles, errors, the server's RSS, and the CPU per request of the server and of
# the load generator, both over the same measurement window, and the TCP segments per request.
#
# Usage: bench/c10k.sh [DURATION=60] [PRIME_DURATION=30] [CONNECTIONS=10000] [RATE_PER_CONNECTION=10] [WARMUP=10]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DURATION="${1:-60}"
PRIME_DURATION="${2:-30}"
CONNECTIONS="${3:-10000}"
PER_CONNECTION="${4:-10}"
WARMUP="${5:-10}"
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
trap 'kill "${SERVER:-}" "${SAMPLER:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

# The launcher's JVM defaults, as a user gets them (SERVER_JVM_OPTS adds to them); runs
# before 2026-11-30 used -Xms512m -Xmx2g, hence their RSS of 428 to 467 MiB.
start_server "$WORK/server.log" \
    --echo-port "$ECHO_PORT" --prime-port "$PRIME_PORT" --shutdown-delay 0s --shutdown-grace 2s

sample_server_cpu "$WORK/server-cpu.txt"

server_rss_mib() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER/status"; }
server_hwm_mib() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER/status"; }

run_phase() {
    local name="$1"; shift
    local rc=0 window cpu segments_before segments_after
    segments_before="$(tcp_out_segments)"
    "$JAVA" --enable-native-access=ALL-UNNAMED -Xmx2g -jar client-loadgen/target/ricochet-loadgen.jar "$@" \
        --warmup "${WARMUP}s" --json "$WORK/$name.json" > "$WORK/$name.txt" 2> "$WORK/$name.progress" || rc=$?
    segments_after="$(tcp_out_segments)"
    sleep 0.2 # one more CPU sample after the window
    if [[ ! -s "$WORK/$name.json" ]]; then
        cat "$WORK/$name.txt" "$WORK/$name.progress" >&2
        echo "c10k: the load generator wrote no report for the $name phase (exit $rc)" >&2
        exit 1
    fi
    window="$(python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(r["measure_start_epoch_ms"], r["measure_end_epoch_ms"])' "$WORK/$name.json")"
    # shellcheck disable=SC2086  # two numbers
    cpu="$(server_cpu_between "$WORK/server-cpu.txt" $window)"
    python3 - "$WORK/$name.json" "$cpu" "$(server_rss_mib)" "$(server_hwm_mib)" "$rc" \
        "$((segments_after - segments_before))" <<'PY'
import json, sys
path, cpu, rss, hwm, rc, segments = sys.argv[1:]
r = json.load(open(path))
r["exit_code"] = int(rc)
r["server_cpu_seconds"] = float(cpu)
r["server_rss_mib_after"] = int(rss)
r["server_rss_peak_mib"] = int(hwm)
r["server_cpu_us_per_request"] = float(cpu) * 1e6 / max(1, r["requests"])
# Both directions, over the whole phase (connects and closes are a few per connection).
r["tcp_segments_per_request"] = int(segments) / max(1, r["replies_including_warmup"])
json.dump(r, open(path, "w"), indent=2)
PY
    cat "$WORK/$name.txt" >&2
}

echo "echo: $CONNECTIONS connections x $PER_CONNECTION requests/s for ${DURATION}s ..." >&2
run_phase echo --target "127.0.0.1:$ECHO_PORT" --workload echo --connections "$CONNECTIONS" \
    --connect-rate 5000 --rate $((CONNECTIONS * PER_CONNECTION)) --duration "${DURATION}s" \
    --message-size 32 --timeout 30s
echo "echo, closed loop: $CONNECTIONS connections, one request outstanding each, ${PRIME_DURATION}s ..." >&2
run_phase echo-closed --target "127.0.0.1:$ECHO_PORT" --workload echo --connections "$CONNECTIONS" \
    --connect-rate 5000 --pipeline 1 --duration "${PRIME_DURATION}s" --message-size 32 --timeout 30s
echo "prime: 1000 connections, mixed numbers, ${PRIME_DURATION}s ..." >&2
run_phase prime --target "127.0.0.1:$PRIME_PORT" --workload prime --connections 1000 --connect-rate 5000 \
    --numbers 6d:95,12d:5 --duration "${PRIME_DURATION}s" --timeout 30s

python3 - "$WORK" "$RESULTS" "$STARTED" "$LOAD_BEFORE" "$*" <<'PY'
import json, sys
work, out, started, load, args = sys.argv[1:]
echo = json.load(open(f"{work}/echo.json")); closed = json.load(open(f"{work}/echo-closed.json"))
prime = json.load(open(f"{work}/prime.json"))
json.dump({"started": started, "load_before": load, "echo": echo, "echo_closed_loop": closed, "prime": prime},
          open(f"{out}/c10k.json", "w"), indent=2)
per_connection = echo["options"]["rate"] / echo["options"]["connections"]
def row(name, r):
    c = r["latency_corrected_ms"]; u = r["latency_uncorrected_ms"]; k = r["connect_time_ms"]
    errors = sum(r["errors"].values())
    lat = lambda h: " / ".join(f"{h.get(p, float('nan')):.2f}" for p in ("p50", "p90", "p99", "p99.9", "p99.99", "max"))
    return (f"| {name} | {r['options']['connections']} ({r['connections_established']} up, connect phase {r['connect_phase_seconds']:.1f} s, "
            f"{r['connections_open_at_end']} open at end) "
            f"| {k.get('p50', 0):.1f} / {k.get('p99', 0):.1f} / {k.get('max', 0):.1f} "
            f"| {r['requests_per_second']:.0f} | {lat(c)} | {lat(u)} | {errors} "
            f"| {r['server_cpu_us_per_request']:.1f} | {r['loadgen_cpu_us_per_request']:.1f} | {r['tcp_segments_per_request']:.2f} "
            f"| {r['server_rss_mib_after']} (peak {r['server_rss_peak_mib']}) |")
with open(f"{out}/c10k.md", "w") as md:
    md.write("# C10K benchmark\n\n")
    md.write(f"{started}, 2 cores shared by server and load generator, load average before: {load}.\n")
    md.write(f"Command: `bench/c10k.sh {args}`.\n\n")
    md.write("Latencies in ms, p50 / p90 / p99 / p99.9 / p99.99 / max. The first echo phase is open loop (corrected = from the planned send time); the others are closed loop (both columns the same). "
             f"Each phase measured after a {echo['options']['warmup'].removeprefix('PT').lower()} warmup that began once every connection was up; "
             "server and load generator CPU per request are read over that same measurement window.\n\n")
    md.write("| phase | connections | connect ms p50 / p99 / max | requests/s | latency corrected | latency uncorrected | errors | server CPU us/request | loadgen CPU us/request | TCP segments/request | server RSS MiB |\n")
    md.write("|---|---|---|---|---|---|---|---|---|---|---|\n")
    md.write(row(f"echo, {per_connection:g} req/s per connection", echo) + "\n")
    md.write(row("echo, closed loop, 1 outstanding per connection", closed) + "\n")
    md.write(row("prime, 6d:95,12d:5", prime) + "\n")
print(open(f"{out}/c10k.md").read())
PY
