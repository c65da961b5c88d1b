#!/usr/bin/env bash
# Metrics overhead on the echo hot path: the same echo load against the server with
# --metrics=true and --metrics=false, interleaved (on, off, on, off, ...) so that the
# machine's drift hits both alike. Reports each run, the medians and their ratio.
# Loopback only; stops by itself. Writes bench/results/metrics-overhead.md and .json.
#
# Usage: bench/metrics-overhead.sh [ROUNDS=3] [SECONDS=20] [CLIENTS=32] [PAYLOAD=1024]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ROUNDS="${1:-3}"
DURATION="${2:-20}"
CLIENTS="${3:-32}"
PAYLOAD="${4:-1024}"
ECHO_PORT=19190
RESULTS=bench/results
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_setup

run_case() {
    local metrics="$1" log json before after
    log="$(mktemp)"
    start_server "$log" --echo-port "$ECHO_PORT" --prime-port 0 --metrics "$metrics" --shutdown-delay 0s --shutdown-grace 1s
    before="$(server_cpu_seconds)"
    json="$("$JAVA" bench/EchoThroughputBench.java "$ECHO_PORT" "$CLIENTS" "$DURATION" "$PAYLOAD")"
    after="$(server_cpu_seconds)"
    stop_server
    rm -f "$log"
    echo "{\"metrics\": $metrics, \"server_cpu_seconds\": $(seconds_between "$before" "$after"), \"result\": $json}"
}

results=()
for round in $(seq 1 "$ROUNDS"); do
    for metrics in true false; do
        echo "round $round, --metrics=$metrics ..." >&2
        results+=("$(run_case "$metrics")")
        echo "${results[-1]}" >&2
    done
done

RUNS_FILE="$(mktemp)"
printf '%s\n' "${results[@]}" > "$RUNS_FILE"
python3 - "$RESULTS" "$STARTED" "$LOAD_BEFORE" "$ROUNDS" "$DURATION" "$CLIENTS" "$PAYLOAD" "$RUNS_FILE" <<'PY'
import json, statistics, sys
out, started, load, rounds, duration, clients, payload, runs_file = sys.argv[1:]
runs = [json.loads(line) for line in open(runs_file) if line.strip()]
on = [r["result"]["frames_per_second"] for r in runs if r["metrics"]]
off = [r["result"]["frames_per_second"] for r in runs if not r["metrics"]]
cpu = lambda r: r["server_cpu_seconds"] * 1e6 / max(1, r["result"]["frames"])
cpu_on = [cpu(r) for r in runs if r["metrics"]]
cpu_off = [cpu(r) for r in runs if not r["metrics"]]
summary = {"started": started, "load_before": load, "runs": runs,
           "median_on": statistics.median(on), "median_off": statistics.median(off),
           "ratio_on_over_off": statistics.median(on) / statistics.median(off),
           "server_cpu_us_per_frame_on": statistics.median(cpu_on),
           "server_cpu_us_per_frame_off": statistics.median(cpu_off)}
json.dump(summary, open(f"{out}/metrics-overhead.json", "w"), indent=2)
with open(f"{out}/metrics-overhead.md", "w") as md:
    md.write("# Metrics overhead on the echo path\n\n")
    md.write(f"{started}, 2 cores shared by server and clients, load average before: {load}.\n")
    md.write(f"Command: `bench/metrics-overhead.sh {rounds} {duration} {clients} {payload}` "
             f"({clients} closed-loop clients, {payload}-byte frames, {duration} s per run, interleaved).\n\n")
    md.write("| run | --metrics | frames/s | reply MB/s | server CPU us/frame | mismatches | errors |\n|---|---|---|---|---|---|---|\n")
    for i, r in enumerate(runs, 1):
        x = r["result"]
        md.write(f"| {i} | {str(r['metrics']).lower()} | {x['frames_per_second']:.0f} | {x['reply_megabytes_per_second']:.1f} | {cpu(r):.2f} | {x['mismatches']} | {x['errors']} |\n")
    md.write(f"\nMedian frames/s: metrics on {summary['median_on']:.0f}, off {summary['median_off']:.0f}; "
             f"ratio on/off = {summary['ratio_on_over_off']:.3f} "
             f"({(1 - summary['ratio_on_over_off']) * 100:+.1f}% lost with metrics on; negative means on was faster, i.e. noise).\n")
    md.write(f"Median server CPU per frame: on {summary['server_cpu_us_per_frame_on']:.2f} us, off {summary['server_cpu_us_per_frame_off']:.2f} us "
             f"(ratio {summary['server_cpu_us_per_frame_on'] / summary['server_cpu_us_per_frame_off']:.3f}).\n")
print(open(f"{out}/metrics-overhead.md").read())
PY
rm -f "$RUNS_FILE"
