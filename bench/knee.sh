#!/usr/bin/env bash
# The open-loop knee: the highest request rate at which CONNECTIONS echo connections keep a
# corrected p99 under P99_MS (issue 12). One server (the launcher's defaults, plus
# SERVER_OPTIONS and SERVER_JVM_OPTS when given) serves a fresh load generator per rate, in
# ascending order: CONNECTIONS connections, open loop, 32-byte frames, latency corrected for
# coordinated omission, measured for DURATION seconds after a WARMUP that starts once every
# connection is up. Each rate reports the corrected and uncorrected percentiles and the CPU per
# request of the server and of the load generator over the same window; the two share this
# machine's cores, so the knee is the pair's. Loopback only. Writes bench/results/knee.md and
# knee.json (or knee-LABEL.* with LABEL set, to compare server settings side by side).
#
# Usage: [RATES="30000 40000 50000 60000"] [CONNECTIONS=10000] [DURATION=20] [WARMUP=10] [P99_MS=5]
#        [SERVER_OPTIONS="--transport io_uring"] [LABEL=io_uring] bench/knee.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

RATES="${RATES:-30000 40000 50000 60000}"
CONNECTIONS="${CONNECTIONS:-10000}"
DURATION="${DURATION:-20}"
WARMUP="${WARMUP:-10}"
P99_MS="${P99_MS:-5}"
RESULTS=bench/results
NAME="knee${LABEL:+-$LABEL}"
ECHO_PORT=19391

for value in $RATES "$CONNECTIONS" "$DURATION" "$WARMUP"; do
    if [[ ! "$value" =~ ^[1-9][0-9]*$ ]]; then
        echo "knee: '$value' is not a positive whole number (RATES, CONNECTIONS, DURATION, WARMUP)" >&2
        exit 2
    fi
done

# shellcheck source=bench/lib.sh
source bench/lib.sh
raise_open_files $((CONNECTIONS + 1000))
bench_setup
WORK="$(mktemp -d)"
trap 'kill "${SERVER:-}" "${SAMPLER:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

# shellcheck disable=SC2086  # SERVER_OPTIONS is a list of options
start_server "$WORK/server.log" --echo-port "$ECHO_PORT" --prime-port 0 --shutdown-delay 0s \
    --shutdown-grace 2s ${SERVER_OPTIONS:-}
sample_server_cpu "$WORK/server-cpu.txt"

for rate in $RATES; do
    echo "$(date -u +%H:%M:%S) $rate requests/s over $CONNECTIONS connections ..." >&2
    rc=0
    "$JAVA" --enable-native-access=ALL-UNNAMED -Xmx2g -jar client-loadgen/target/ricochet-loadgen.jar \
        --target "127.0.0.1:$ECHO_PORT" --workload echo --connections "$CONNECTIONS" --connect-rate 5000 \
        --rate "$rate" --message-size 32 --duration "${DURATION}s" --warmup "${WARMUP}s" --timeout 30s \
        --json "$WORK/$rate.json" > "$WORK/$rate.txt" 2>&1 || rc=$?
    sleep 0.2 # one more CPU sample after the window
    require_report "$WORK/$rate.json" "$WORK/$rate.txt" "$rc" "$rate requests/s"
    echo "$rc" > "$WORK/$rate.rc"
    server_cpu_over_report "$WORK/server-cpu.txt" "$WORK/$rate.json" > "$WORK/$rate.cpu"
done
stop_server

# shellcheck disable=SC2086  # RATES is a list
python3 - "$WORK" "$RESULTS" "$NAME" "$STARTED" "$LOAD_BEFORE" "$(cut -d' ' -f1-3 /proc/loadavg)" "$P99_MS" \
    "${SERVER_OPTIONS:-}" "${SERVER_JVM_OPTS:-}" $RATES <<'PY'
import json, sys
work, out, name, started, load_before, load_after, p99_limit, server_options, jvm_options, *rates = sys.argv[1:]
p99_limit = float(p99_limit)
rows = []
for rate in rates:
    r = json.load(open(f"{work}/{rate}.json"))
    cpu = float(open(f"{work}/{rate}.cpu").read() or 0)
    rows.append({
        "offered_per_second": int(rate),
        "requests_per_second": r["requests_per_second"],
        "latency_corrected_ms": r["latency_corrected_ms"],
        "latency_uncorrected_ms": r["latency_uncorrected_ms"],
        "errors": sum(r["errors"].values()),
        "connections_open_at_end": r["connections_open_at_end"],
        "server_cpu_us_per_request": cpu * 1e6 / max(1, r["requests"]),
        "loadgen_cpu_us_per_request": r["loadgen_cpu_us_per_request"],
        "exit_code": int(open(f"{work}/{rate}.rc").read()),
    })
def holds(row):
    return row["errors"] == 0 and row["latency_corrected_ms"].get("p99", float("inf")) < p99_limit
knee = max((row["offered_per_second"] for row in rows if holds(row)), default=None)
report = {"started": started, "load_before": load_before, "load_after": load_after, "p99_limit_ms": p99_limit,
          "server_options": server_options, "server_jvm_options": jvm_options, "knee_per_second": knee, "rates": rows}
json.dump(report, open(f"{out}/{name}.json", "w"), indent=2)
pct = lambda h: " / ".join(f"{h.get(p, float('nan')):.2f}" for p in ("p50", "p90", "p99", "p99.9"))
with open(f"{out}/{name}.md", "w") as md:
    md.write("# The open-loop knee\n\n")
    md.write(f"{started}, load average {load_before} before and {load_after} after. Server: the launcher's defaults"
             + (f", `{server_options}`" if server_options else "") + (f", JVM `{jvm_options}`" if jvm_options else "")
             + f". Each rate: a fresh load generator, {rows and json.load(open(f'{work}/{rates[0]}.json'))['options']['connections']} "
             "connections, open loop, 32-byte frames, after a warmup that starts once every connection is up.\n\n")
    md.write(f"**Knee (highest rate with corrected p99 under {p99_limit:g} ms and no error): "
             + (f"{knee:,} requests/s" if knee else "none of the rates tried") + "**\n\n")
    md.write("| offered/s | served/s | corrected p50 / p90 / p99 / p99.9 ms | uncorrected p50 / p90 / p99 / p99.9 ms "
             "| errors | server CPU µs/request | load generator CPU µs/request |\n|---|---|---|---|---|---|---|\n")
    for row in rows:
        md.write(f"| {row['offered_per_second']:,} | {row['requests_per_second']:,.0f} | {pct(row['latency_corrected_ms'])} "
                 f"| {pct(row['latency_uncorrected_ms'])} | {row['errors']} | {row['server_cpu_us_per_request']:.1f} "
                 f"| {row['loadgen_cpu_us_per_request']:.1f} |\n")
print(open(f"{out}/{name}.md").read())
PY
