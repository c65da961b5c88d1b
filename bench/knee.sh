#!/usr/bin/env bash
# The open-loop knee: the highest request rate at which CONNECTIONS echo connections keep a
# corrected p99 under P99_MS (issue 12), for Ricochet (the launcher's defaults, plus
# SERVER_OPTIONS and SERVER_JVM_OPTS when given) and, side by side, Concurrent Servers' reference epoll
# server (built as bench/c10k-vs-reference.sh builds it, from ../shared/reference or
# REFERENCE_SRC; left out, with a note, when no copy is there). Both servers run throughout.
# CONNECTIONS connections, open loop, 32-byte frames, latency corrected for coordinated
# omission. The server and the load generator share this machine's cores, so a knee is the
# pair's, and the reference's knee, measured with the same load generator in the same run,
# says what this machine allows. Loopback only.
#
# Two modes:
# - The search (default): one load generator per server and round runs
#   `ricochet loadgen --find-rate "p99<${P99_MS}ms"` on its CONNECTIONS connections: steps
#   from FROM (default: the connections, at least 1,000/s), doubling until one fails, then
#   bisecting to within PRECISION (default 0.05), at most MAX_STEPS (default 12), then the
#   answer repeated; each step a WARMUP (default 5 s), a DURATION window (default 10 s) and a
#   short settle at its rate. A step holds when its window's corrected p99 is under P99_MS,
#   none of its requests was shed, 95% were answered, and no error happened and no connection
#   was lost (either ends the search); the knee is the answer, confirmed when it held twice.
#   ROUNDS rounds (default 1), the servers' order alternating from round to round. The steps
#   tables, each step's server CPU per request over its window, and the knees side by side.
# - Rate by rate (RATES set): each rate, in ascending order, gets a fresh load generator
#   against each server, the order alternating from rate to rate, measured for DURATION
#   seconds (default 20) after a WARMUP (default 10) that starts once every connection is up;
#   the corrected and uncorrected percentiles and the CPU per request of the server and of the
#   load generator over the same window. A rate holds when its corrected p99 is under P99_MS,
#   no request failed or was shed, no connection was lost and every connection was up at the
#   end.
# Connects that failed in the connect phase and were retried (the reference's accept backlog
# is 64) are counted beside the knee, since they end before the load starts.
# Writes bench/results/knee.md, knee.json and knee.html, their page with charts (or knee-LABEL.*
# with LABEL set, to compare server settings side by side).
#
# Usage: [CONNECTIONS=10000] [P99_MS=5] [FROM=rate] [PRECISION=0.05] [MAX_STEPS=12] [ROUNDS=1]
#        [DURATION=10] [WARMUP=5] [RATES="30000 40000 50000 60000"]
#        [SERVERS="ricochet reference"] [SERVER_OPTIONS="--transport io_uring"] [LABEL=io_uring]
#        [LOADGEN_OPTIONS="--io-threads 1"] (added to every load generator run)
#        [REFERENCE_SRC=DIR] [RESET_PATCH=FILE] bench/knee.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

RATES="${RATES:-}"
if [[ -n "$RATES" ]]; then
    MODE=rates
    DURATION="${DURATION:-20}"
    WARMUP="${WARMUP:-10}"
else
    MODE=search
    DURATION="${DURATION:-10}"
    WARMUP="${WARMUP:-5}"
fi
CONNECTIONS="${CONNECTIONS:-10000}"
P99_MS="${P99_MS:-5}"
FROM="${FROM:-}"
PRECISION="${PRECISION:-0.05}"
MAX_STEPS="${MAX_STEPS:-12}"
ROUNDS="${ROUNDS:-1}"
SERVERS="${SERVERS:-ricochet reference}"
RESULTS=bench/results
NAME="knee${LABEL:+-$LABEL}"
ECHO_PORT=19391
REFERENCE_PORT=19392
# shellcheck source=bench/lib.sh
source bench/lib.sh
reference_sources

for value in $RATES "$CONNECTIONS" "$DURATION" "$WARMUP" $FROM "$MAX_STEPS" "$ROUNDS"; do
    if [[ ! "$value" =~ ^[1-9][0-9]*$ ]]; then
        echo "knee: '$value' is not a positive whole number (RATES, CONNECTIONS, DURATION, WARMUP, FROM, MAX_STEPS," \
            "ROUNDS)" >&2
        exit 2
    fi
done
if [[ ! "$PRECISION" =~ ^0?[.][0-9]+$ ]]; then
    echo "knee: PRECISION '$PRECISION' is not a fraction such as 0.05 (the load generator takes 0.001 to 0.5)" >&2
    exit 2
fi
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

LOADGEN_OPTIONS="${LOADGEN_OPTIONS:-}"
export LOADGEN_OPTIONS
raise_open_files $((CONNECTIONS + 1000))
bench_setup
WORK="$(mktemp -d)"
declare -A PID PORT_OF SAMPLER_OF
# A search ends on its first error, and a connect the reference's accept backlog (64) dropped
# is one, retried during the load: the reference is connected at 1,000/s, which its backlog
# takes (bench/c10k-vs-reference.sh), Ricochet at the load generator's 5,000/s.
declare -A CONNECT_RATE_OF=([ricochet]=5000 [reference]=1000)
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

# search_round ROUND: one search per server, in the order of the round.
search_round() {
    local round="$1" order server run rc
    order=("${SERVER_LIST[@]}")
    (( round % 2 == 0 )) && order=("${SERVER_LIST[@]:1}" "${SERVER_LIST[0]}")
    for server in "${order[@]}"; do
        echo "$(date -u +%H:%M:%S) $server: round $round, a search for the highest rate with corrected p99 <" \
            "${P99_MS} ms over $CONNECTIONS connections ..." >&2
        run="$server-round$round"
        rc=0
        # The connect timeout covers the reference's SYN retries past its backlog of 64; exit 1
        # (no confirmed answer) still writes the report, and the steps say why.
        "$JAVA" --enable-native-access=ALL-UNNAMED -Xmx2g -jar client-loadgen/target/ricochet-loadgen.jar \
            --target "127.0.0.1:${PORT_OF[$server]}" --workload echo --connections "$CONNECTIONS" \
            --connect-rate "${CONNECT_RATE_OF[$server]}" --connect-timeout 15s --find-rate "p99<${P99_MS}ms" \
            ${FROM:+--find-rate-from "$FROM"} \
            --find-rate-precision "$PRECISION" --find-rate-max-steps "$MAX_STEPS" --message-size 32 \
            --duration "${DURATION}s" --warmup "${WARMUP}s" --timeout 30s \
            --json "$WORK/$run.json" ${LOADGEN_OPTIONS:-} > "$WORK/$run.txt" 2>&1 || rc=$?
        sleep 0.2 # one more CPU sample after the last window
        require_report "$WORK/$run.json" "$WORK/$run.txt" "$rc" "$server, round $round"
        echo "$rc" > "$WORK/$run.rc"
    done
}

if [[ "$MODE" == search ]]; then
    for (( round = 1; round <= ROUNDS; round++ )); do
        search_round "$round"
    done
fi

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
            --json "$WORK/$run.json" ${LOADGEN_OPTIONS:-} > "$WORK/$run.txt" 2>&1 || rc=$?
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

if [[ "$MODE" == search ]]; then
    python3 - "$WORK" "$RESULTS" "$NAME" "$STARTED" "$LOAD_BEFORE" "$(cut -d' ' -f1-3 /proc/loadavg)" "$P99_MS" \
        "${SERVER_OPTIONS:-}" "${SERVER_JVM_OPTS:-}" "$CONNECTIONS" "$SERVERS" "$ROUNDS" "$WARMUP" "$DURATION" <<'PY'
import bisect, json, os, sys
(work, out, name, started, load_before, load_after, p99_limit, server_options, jvm_options, connections, servers,
 rounds, warmup, duration) = sys.argv[1:]
p99_limit, servers, rounds = float(p99_limit), servers.split(), int(rounds)

def cpu_seconds(server, start_ms, end_ms):
    """The server's CPU seconds between two wall-clock times, from sample_server_cpu's samples, interpolated."""
    rows = [(float(f[0]), float(f[1])) for f in (l.split() for l in open(f"{work}/{server}-cpu.txt")) if len(f) > 1]
    times = [t for t, _ in rows]
    def at(ms):
        t = ms * 1000
        i = min(max(bisect.bisect_left(times, t), 1), len(rows) - 1)
        (t0, c0), (t1, c1) = rows[i - 1], rows[i]
        return c0 + (c1 - c0) * min(1.0, max(0.0, (t - t0) / max(1.0, t1 - t0)))
    return (at(end_ms) - at(start_ms)) / 1e6

def search(server, round_):
    r = json.load(open(f"{work}/{server}-round{round_}.json"))
    f, link = r["find_rate"], r["connections"]
    steps = []
    for s in f["steps"]:
        cpu = cpu_seconds(server, s["window_start_epoch_ms"], s["window_end_epoch_ms"])
        steps.append({k: s[k] for k in ("step", "rate_per_second", "repeat", "planned", "answered",
                                        "requests_per_second", "shed", "failed", "unanswered_at_judgement",
                                        "connections_lost", "outcome", "reason", "latency_corrected_ms",
                                        "latency_uncorrected_ms")}
                     | {"server_cpu_us_per_request": cpu * 1e6 / max(1, s["answered"])})
    a = f["answer"]
    return {"knee_per_second": a["rate_per_second"] if a["confirmed"] else None,
            "answer_per_second": a["rate_per_second"], "confirmed": a["confirmed"],
            "lowest_missed_per_second": a["lowest_missed_per_second"], "ending": a["ending"], "answer": a["text"],
            "connects_failed_and_retried": sum(link["connect_failures"].values()),
            "connections_not_up_at_end": link["not_up_at_end"]["total"],
            "loadgen_cpu_us_per_request": r["loadgen_cpu_us_per_request"],
            "seconds": r["seconds"], "exit_code": int(open(f"{work}/{server}-round{round_}.rc").read()),
            "steps": steps}

results = {s: {"rounds": [search(s, n) for n in range(1, rounds + 1)]} for s in servers}
first = json.load(open(f"{work}/{servers[0]}-round1.json"))["find_rate"]
report = {"mode": "find-rate", "started": started, "load_before": load_before, "load_after": load_after,
          "p99_limit_ms": p99_limit, "connections": int(connections), "server_options": server_options,
          "loadgen_options": os.environ.get("LOADGEN_OPTIONS", ""),
          "server_jvm_options": jvm_options,
          "search": {k: first[k] for k in ("goal", "from_per_second", "precision", "max_steps", "warmup_seconds",
                                           "window_seconds", "settle_seconds")},
          "servers": results}
json.dump(report, open(f"{out}/{name}.json", "w"), indent=2)

label = {"ricochet": "Ricochet", "reference": "reference epoll server"}
def knee_text(r):
    if r["confirmed"]:
        return f"{r['answer_per_second']:,} requests/s"
    if r["answer_per_second"]:
        return f"not confirmed ({r['answer_per_second']:,} requests/s held once)"
    return "none (no rate held)"
ms = lambda h, p: f"{h[p]:.2f}" if p in h else "-"
s = report["search"]
with open(f"{out}/{name}.md", "w") as md:
    md.write("# The open-loop knee, searched\n\n")
    md.write(f"{started}, load average {load_before} before and {load_after} after."
             + ((" Ricochet: the launcher's defaults" + (f", `{server_options}`" if server_options else "")
                 + (f", JVM `{jvm_options}`" if jvm_options else "") + ".") if "ricochet" in servers else "")
             + (" The reference: Concurrent Servers' epoll-server.c with the reset patch." if "reference" in servers else "")
             + (f" Load generator options added: `{os.environ['LOADGEN_OPTIONS']}`." if os.environ.get("LOADGEN_OPTIONS") else "")
             + f" One `ricochet loadgen --find-rate \"{s['goal']}\"` per server and round, the order alternating from"
             f" round to round, on {connections} connections kept for the whole search (open loop, 32-byte frames):"
             f" steps from {s['from_per_second']:,}/s, doubling until one fails, then bisecting to within"
             f" {100 * s['precision']:g}%, at most {s['max_steps']} steps, then the answer repeated; each step a"
             f" {s['warmup_seconds']:g} s warmup, a {s['window_seconds']:g} s window and a {s['settle_seconds']:g} s"
             " settle at its rate. A step holds when its window's corrected p99 (requests unanswered at the"
             f" judgement counted with their latency so far) is under {p99_limit:g} ms, none of its requests was shed,"
             " 95% were answered, and no error happened and no connection was lost (either ends the search). The"
             " knee is the answer when it held twice.\n\n")
    md.write("| | " + " | ".join(label[sv] for sv in servers) + " |\n|---|" + "---|" * len(servers) + "\n")
    for n in range(rounds):
        md.write(f"| knee{'' if rounds == 1 else f', round {n + 1}'} | "
                 + " | ".join(f"**{knee_text(results[sv]['rounds'][n])}**" for sv in servers) + " |\n")
        md.write(f"| steps, search time{'' if rounds == 1 else f', round {n + 1}'} | "
                 + " | ".join(f"{len(results[sv]['rounds'][n]['steps'])}, {results[sv]['rounds'][n]['seconds']:.0f} s"
                              f" ({results[sv]['rounds'][n]['ending'].replace('_', ' ')})" for sv in servers) + " |\n")
    md.write("| connects retried in the connect phase | "
             + " | ".join(" / ".join(str(r["connects_failed_and_retried"]) for r in results[sv]["rounds"])
                          for sv in servers) + " |\n\n")
    for sv in servers:
        for n, r in enumerate(results[sv]["rounds"]):
            md.write(f"## {label[sv]}{'' if rounds == 1 else f', round {n + 1}'}\n\n{r['answer']}\n\n")
            md.write("| step | rate/s | answered/s | corrected p50 / p99 / p99.9 / max ms | uncorrected p99 ms "
                     "| failed / shed / lost | server CPU µs/request | outcome |\n|---|---|---|---|---|---|---|---|\n")
            for st in r["steps"]:
                c = st["latency_corrected_ms"]
                outcome = "held" if st["outcome"] == "held" else f"{st['outcome']}: {st['reason']}"
                md.write(f"| {st['step']}{' (repeat)' if st['repeat'] else ''} | {st['rate_per_second']:,} "
                         f"| {st['requests_per_second']:,.0f} | {ms(c, 'p50')} / {ms(c, 'p99')} / {ms(c, 'p99.9')} / "
                         f"{ms(c, 'max')} | {ms(st['latency_uncorrected_ms'], 'p99')} "
                         f"| {st['failed']} / {st['shed']} / {st['connections_lost']} "
                         f"| {st['server_cpu_us_per_request']:.1f} | {outcome} |\n")
            md.write(f"\nLoad generator CPU over the whole search: {r['loadgen_cpu_us_per_request']:.1f} µs per"
                     " request.\n\n")
print(open(f"{out}/{name}.md").read())
PY
    write_page knee "$RESULTS" "$NAME"
    if [[ "$NAME" == knee ]]; then write_headline; fi # a labelled run is set beside it, not in the headline
    exit 0
fi

python3 - "$WORK" "$RESULTS" "$NAME" "$STARTED" "$LOAD_BEFORE" "$(cut -d' ' -f1-3 /proc/loadavg)" "$P99_MS" \
    "${SERVER_OPTIONS:-}" "${SERVER_JVM_OPTS:-}" "$CONNECTIONS" "$SERVERS" "$RATES" <<'PY'
import json, os, sys
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
report = {"mode": "rates", "started": started, "load_before": load_before, "load_after": load_after, "p99_limit_ms": p99_limit,
          "connections": int(connections), "server_options": server_options, "server_jvm_options": jvm_options,
          "loadgen_options": os.environ.get("LOADGEN_OPTIONS", ""),
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
write_page knee "$RESULTS" "$NAME"
if [[ "$NAME" == knee ]]; then write_headline; fi # a labelled run is set beside it, not in the headline
