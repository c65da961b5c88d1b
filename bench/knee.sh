#!/usr/bin/env bash
# The open-loop knee: the highest request rate at which CONNECTIONS echo connections keep a
# corrected p99 under P99_MS (issue 12), for Ricochet (the launcher's defaults, plus
# SERVER_OPTIONS and SERVER_JVM_OPTS when given) and, side by side, Concurrent Servers' reference epoll
# server (built as bench/c10k-vs-reference.sh builds it, from ../shared/reference or
# REFERENCE_SRC; left out, with a note, when no copy is there). Both servers run throughout;
# each rate, in ascending order, gets a fresh load generator against each, the order
# alternating from rate to rate: CONNECTIONS connections, open loop, 32-byte frames, latency
# corrected for coordinated omission, measured for DURATION seconds after a WARMUP that starts
# once every connection is up. Each run reports the corrected and uncorrected percentiles and
# the CPU per request of the server and of the load generator over the same window; the two
# share this machine's cores, so a knee is the pair's, and the reference's knee, measured with
# the same load generator in the same run, says what this machine allows. A rate holds when
# its corrected p99 is under P99_MS, no request failed or was shed, no connection was lost and
# every connection was up at the end;
# connects that failed in the connect phase and were retried (the reference's accept backlog
# is 64) are counted beside it, since they end before the measurement starts. Loopback only.
# Writes bench/results/knee.md and knee.json (or knee-LABEL.* with LABEL set, to compare
# server settings side by side).
#
# Usage: [RATES="30000 40000 50000 60000"] [CONNECTIONS=10000] [DURATION=20] [WARMUP=10] [P99_MS=5]
#        [SERVERS="ricochet reference"] [SERVER_OPTIONS="--transport io_uring"] [LABEL=io_uring]
#        [REFERENCE_SRC=DIR] [RESET_PATCH=FILE] bench/knee.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

RATES="${RATES:-30000 40000 50000 60000}"
CONNECTIONS="${CONNECTIONS:-10000}"
DURATION="${DURATION:-20}"
WARMUP="${WARMUP:-10}"
P99_MS="${P99_MS:-5}"
SERVERS="${SERVERS:-ricochet reference}"
RESULTS=bench/results
NAME="knee${LABEL:+-$LABEL}"
ECHO_PORT=19391
REFERENCE_PORT=19392
# shellcheck source=bench/lib.sh
source bench/lib.sh
reference_sources

for value in $RATES "$CONNECTIONS" "$DURATION" "$WARMUP"; do
    if [[ ! "$value" =~ ^[1-9][0-9]*$ ]]; then
        echo "knee: '$value' is not a positive whole number (RATES, CONNECTIONS, DURATION, WARMUP)" >&2
        exit 2
    fi
done
if [[ ! "$P99_MS" =~ ^[0-9]+([.][0-9]+)?$ ]] || [[ "$P99_MS" =~ ^0+([.]0*)?$ ]]; then
    echo "knee: P99_MS '$P99_MS' is not a positive number of milliseconds" >&2
    exit 2
fi
seen=" "
for server in $SERVERS; do
    if [[ "$server" != ricochet && "$server" != reference ]]; then
        echo "knee: SERVERS may name ricochet and reference, not '$server'" >&2
        exit 2
    fi
    if [[ "$seen" == *" $server "* ]]; then
        echo "knee: SERVERS names $server twice" >&2
        exit 2
    fi
    seen+="$server "
done
if [[ " $SERVERS " == *" reference "* ]]; then
    if [[ ! -f "$REFERENCE_SRC/epoll-server.c" || ! -f "$RESET_PATCH" ]]; then
        SERVERS="${SERVERS//reference/}"
        echo "knee: no reference source and reset patch at $REFERENCE_SRC (set REFERENCE_SRC and RESET_PATCH);" \
            "$([[ -n "${SERVERS// /}" ]] && echo "measuring Ricochet alone" || echo "nothing measured")" >&2
        [[ -n "${SERVERS// /}" ]] || exit 0
    else
        require_reference_capacity "$CONNECTIONS"
    fi
fi
read -r -a SERVER_LIST <<< "$SERVERS"
if (( ${#SERVER_LIST[@]} == 0 )); then
    echo "knee: SERVERS names no server" >&2
    exit 2
fi

raise_open_files $((CONNECTIONS + 1000))
bench_setup
WORK="$(mktemp -d)"
declare -A PID PORT_OF SAMPLER_OF
# SERVER too: a server whose start failed is not in PID yet.
trap 'kill "${PID[@]}" "${SAMPLER_OF[@]}" "${SERVER:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

for server in "${SERVER_LIST[@]}"; do
    case "$server" in
        ricochet)
            # shellcheck disable=SC2086  # SERVER_OPTIONS is a list of options
            start_server "$WORK/server.log" --echo-port "$ECHO_PORT" --prime-port 0 --shutdown-delay 0s \
                --shutdown-grace 2s ${SERVER_OPTIONS:-}
            PORT_OF[$server]="$ECHO_PORT" ;;
        reference)
            build_reference "$REFERENCE_SRC" epoll-server "$RESET_PATCH"
            start_reference "$REFERENCE_PORT"
            PORT_OF[$server]="$REFERENCE_PORT" ;;
    esac
    PID[$server]="$SERVER"
    sample_server_cpu "$WORK/$server-cpu.txt"
    SAMPLER_OF[$server]="$SAMPLER"
done

index=0
for rate in $RATES; do
    order=("${SERVER_LIST[@]}")
    (( index++ % 2 == 1 )) && order=("${SERVER_LIST[@]:1}" "${SERVER_LIST[0]}")
    for server in "${order[@]}"; do
        echo "$(date -u +%H:%M:%S) $server: $rate requests/s over $CONNECTIONS connections ..." >&2
        run="$server-$rate"
        rc=0
        # The connect timeout covers the reference's SYN retries past its backlog of 64.
        "$JAVA" --enable-native-access=ALL-UNNAMED -Xmx2g -jar client-loadgen/target/ricochet-loadgen.jar \
            --target "127.0.0.1:${PORT_OF[$server]}" --workload echo --connections "$CONNECTIONS" \
            --connect-rate 5000 --connect-timeout 15s --rate "$rate" --message-size 32 \
            --duration "${DURATION}s" --warmup "${WARMUP}s" --timeout 30s \
            --json "$WORK/$run.json" > "$WORK/$run.txt" 2>&1 || rc=$?
        sleep 0.2 # one more CPU sample after the window
        require_report "$WORK/$run.json" "$WORK/$run.txt" "$rc" "$server at $rate requests/s"
        echo "$rc" > "$WORK/$run.rc"
        server_cpu_over_report "$WORK/$server-cpu.txt" "$WORK/$run.json" > "$WORK/$run.cpu"
    done
done
for server in "${SERVER_LIST[@]}"; do
    SERVER="${PID[$server]}"
    stop_server
done

python3 - "$WORK" "$RESULTS" "$NAME" "$STARTED" "$LOAD_BEFORE" "$(cut -d' ' -f1-3 /proc/loadavg)" "$P99_MS" \
    "${SERVER_OPTIONS:-}" "${SERVER_JVM_OPTS:-}" "$CONNECTIONS" "$SERVERS" "$RATES" <<'PY'
import json, sys
work, out, name, started, load_before, load_after, p99_limit, server_options, jvm_options, connections, servers, rates = sys.argv[1:]
p99_limit, servers, rates = float(p99_limit), servers.split(), [int(r) for r in rates.split()]
def row(server, rate):
    r = json.load(open(f"{work}/{server}-{rate}.json"))
    cpu = float(open(f"{work}/{server}-{rate}.cpu").read() or 0)
    link = r["connections"]
    return {
        "offered_per_second": rate,
        "requests_per_second": r["requests_per_second"],
        "latency_corrected_ms": r["latency_corrected_ms"],
        "latency_uncorrected_ms": r["latency_uncorrected_ms"],
        "requests_failed": r["whole_run"]["failed_total"],
        "requests_shed": r["whole_run"]["shed"],
        "connections_lost": sum(link["lost"].values()),
        "connects_failed_and_retried": sum(link["connect_failures"].values()),
        "connections_not_up_at_end": link["not_up_at_end"]["total"],
        "server_cpu_us_per_request": cpu * 1e6 / max(1, r["requests"]),
        "loadgen_cpu_us_per_request": r["loadgen_cpu_us_per_request"],
        "exit_code": int(open(f"{work}/{server}-{rate}.rc").read()),
    }
def holds(row):
    return (row["requests_failed"] == 0 and row["requests_shed"] == 0 and row["connections_lost"] == 0
            and row["connections_not_up_at_end"] == 0
            and row["latency_corrected_ms"].get("p99", float("inf")) < p99_limit)
results = {}
for server in servers:
    rows = [row(server, rate) for rate in rates]
    results[server] = {"knee_per_second": max((r["offered_per_second"] for r in rows if holds(r)), default=None),
                       "rates": rows}
report = {"started": started, "load_before": load_before, "load_after": load_after, "p99_limit_ms": p99_limit,
          "connections": int(connections), "server_options": server_options, "server_jvm_options": jvm_options,
          "servers": results}
json.dump(report, open(f"{out}/{name}.json", "w"), indent=2)
label = {"ricochet": "Ricochet", "reference": "reference epoll server"}
knee_text = lambda k: f"{k:,} requests/s" if k else "none of the rates tried"
pct = lambda h: " / ".join(f"{h.get(p, float('nan')):.2f}" for p in ("p50", "p90", "p99", "p99.9"))
with open(f"{out}/{name}.md", "w") as md:
    md.write("# The open-loop knee\n\n")
    md.write(f"{started}, load average {load_before} before and {load_after} after."
             + ((" Ricochet: the launcher's defaults" + (f", `{server_options}`" if server_options else "")
                 + (f", JVM `{jvm_options}`" if jvm_options else "") + ".") if "ricochet" in servers else "")
             + (" The reference: Concurrent Servers' epoll-server.c with the reset patch." if "reference" in servers else "")
             + f" Each rate: a fresh load generator per server, the order alternating from rate to rate, {connections} "
             "connections, open loop, 32-byte frames, after a warmup that starts once every connection is up. "
             f"A rate holds when the corrected p99 is under {p99_limit:g} ms, no request failed or was shed, no "
             "connection was lost and every connection was up at the end.\n\n")
    for server in servers:
        md.write(f"**Knee, {label[server]}: {knee_text(results[server]['knee_per_second'])}**\n\n")
    for server in servers:
        md.write(f"## {label[server]}\n\n")
        md.write("| offered/s | served/s | corrected p50 / p90 / p99 / p99.9 ms | uncorrected p50 / p90 / p99 / p99.9 ms "
                 "| requests failed / shed | connections lost | connects retried | server CPU µs/request "
                 "| load generator CPU µs/request |\n|---|---|---|---|---|---|---|---|---|\n")
        for r in results[server]["rates"]:
            md.write(f"| {r['offered_per_second']:,} | {r['requests_per_second']:,.0f} | {pct(r['latency_corrected_ms'])} "
                     f"| {pct(r['latency_uncorrected_ms'])} | {r['requests_failed']} / {r['requests_shed']} | {r['connections_lost']} "
                     f"| {r['connects_failed_and_retried']} "
                     f"| {r['server_cpu_us_per_request']:.1f} | {r['loadgen_cpu_us_per_request']:.1f} |\n")
        md.write("\n")
print(open(f"{out}/{name}.md").read())
PY
