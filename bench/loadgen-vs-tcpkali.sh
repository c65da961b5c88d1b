#!/usr/bin/env bash
# The load generator's own cost beside tcpkali's (issue 26): both clients drive the same cheap
# target, Concurrent Servers' reference epoll server (built as bench/c10k-vs-reference.sh builds
# it), at equal connections, rate and frame size, alternated round by round, and each client's
# CPU is read over the same steady window: perf stat on the client process for DURATION
# seconds, once every connection is up and a WARMUP has passed. Per request, for each client:
# CPU (and the kernel's part of it, from /proc), system calls and context switches (perf), and
# TCP segments (the client's sockets' segs_out from ss, and the machine's from
# /proc/net/snmp); a request is a reply that arrived in the window (the bytes its sockets
# received, from ss, over the reply's size), so a client that falls behind its rate is not
# flattered. tcpkali checks
# nothing it receives and has no closed loop; Ricochet's load generator checks every byte and
# times every request: the closed-loop cells ("closed" in RATES) run it alone.
#
# tcpkali is built from TCPKALI_SRC (default ../shared/reference/tcpkali/tcpkali-src, with
# ../shared/reference/tcpkali/sysctl-include.patch) in a temporary folder, never in the
# project, or taken as built from TCPKALI. Its build needs the m4/ folder of its repository
# (satori-com/tcpkali at 3c3175e4); a copy without it is refused with a hint.
#
# Writes bench/results/loadgen-vs-tcpkali.md and .json (or loadgen-vs-tcpkali-LABEL.* with
# LABEL set; LOADGEN_OPTIONS, e.g. "--io-threads 1", are added to every Ricochet run, and
# LOADGEN_JVM_OPTS to its JVM's). BASELINE_JAR, another build of the load generator (e.g. the
# commit before a change: its client-loadgen/target/ricochet-loadgen.jar), adds a third client,
# "baseline", run in the same rounds, with BASELINE_OPTIONS: a before and after in one run.
# Loopback only. About 15 minutes with the defaults.
#
# Usage: [CONNECTIONS="1000 10000"] [RATES="5000 20000 50000 closed"] [ROUNDS=2] [DURATION=15]
#        [WARMUP=5] [MESSAGE_SIZE=64] [CONNECT_RATE=1000] [CLIENTS="tcpkali ricochet [baseline]"]
#        [BASELINE_JAR=FILE] [BASELINE_OPTIONS=...]
#        [LOADGEN_OPTIONS=...] [LOADGEN_JVM_OPTS=...] [LABEL=...] [TCPKALI_SRC=DIR | TCPKALI=BINARY]
#        [REFERENCE_SRC=DIR] [RESET_PATCH=FILE] bench/loadgen-vs-tcpkali.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

CONNECTIONS="${CONNECTIONS:-1000 10000}"
RATES="${RATES:-5000 20000 50000 closed}"
ROUNDS="${ROUNDS:-2}"
DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-5}"
MESSAGE_SIZE="${MESSAGE_SIZE:-64}"
# The reference's accept backlog is 64: faster connects overflow it (see bench/knee.sh).
CONNECT_RATE="${CONNECT_RATE:-1000}"
BASELINE_JAR="${BASELINE_JAR:-}"
BASELINE_OPTIONS="${BASELINE_OPTIONS:-}"
CLIENTS="${CLIENTS:-tcpkali ricochet${BASELINE_JAR:+ baseline}}"
LOADGEN_OPTIONS="${LOADGEN_OPTIONS:-}"
NAME="loadgen-vs-tcpkali${LABEL:+-$LABEL}"
RESULTS=bench/results
PORT=19395
# shellcheck source=bench/lib.sh
source bench/lib.sh
reference_sources
tcpkali_sources

fail_usage() {
    echo "loadgen-vs-tcpkali: $*" >&2
    exit 2
}
for value in $CONNECTIONS "$ROUNDS" "$DURATION" "$WARMUP" "$MESSAGE_SIZE" "$CONNECT_RATE"; do
    [[ "$value" =~ ^[1-9][0-9]*$ ]] \
        || fail_usage "'$value' is not a positive whole number (CONNECTIONS, ROUNDS, DURATION, WARMUP, MESSAGE_SIZE, CONNECT_RATE)"
done
for rate in $RATES; do
    [[ "$rate" == closed || "$rate" =~ ^[1-9][0-9]*$ ]] || fail_usage "RATES: '$rate' is neither a rate per second nor 'closed'"
done
for client in $CLIENTS; do
    [[ "$client" == tcpkali || "$client" == ricochet || "$client" == baseline ]] \
        || fail_usage "CLIENTS may name tcpkali, ricochet and baseline, not '$client'"
done
if [[ " $CLIENTS " == *" baseline "* && ! -f "$BASELINE_JAR" ]]; then
    fail_usage "CLIENTS names baseline: set BASELINE_JAR to another build's ricochet-loadgen.jar"
fi
for connections in $CONNECTIONS; do
    require_reference_capacity "$connections"
done
[[ -f "$REFERENCE_SRC/epoll-server.c" && -f "$RESET_PATCH" ]] \
    || fail_usage "no reference source and reset patch at $REFERENCE_SRC (set REFERENCE_SRC and RESET_PATCH)"
max_connections=0
for connections in $CONNECTIONS; do
    (( connections > max_connections )) && max_connections=$connections
done
raise_open_files $((max_connections + 1000))
ensure_debian_package linux-perf /usr/bin/perf || exit 2
ensure_debian_package iproute2 /usr/bin/ss || exit 2

bench_setup
WORK="$(mktemp -d)"
trap 'kill "${SERVER:-}" "${CLIENT:-}" "${GUARD:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
build_reference "$REFERENCE_SRC" epoll-server "$RESET_PATCH"

build_tcpkali
TCPKALI_VERSION="$("$TCPKALI" --version 2>&1 | head -n 1)"

PAYLOAD="$(head -c "$MESSAGE_SIZE" /dev/zero | tr '\0' 'a')"
FRAME_BYTES=$((MESSAGE_SIZE + 2))   # ^ payload $
REPLY_BYTES=$MESSAGE_SIZE           # every payload byte answered; ^ and $ not

# snapshot PID FILE: the client's counters now, as "key value" lines: CPU ticks (user, system),
# its sockets' bytes sent and received and segments out, the machine's segments out.
snapshot() {
    local stat
    read -r -a stat < "/proc/$1/stat"
    {
        echo "utime ${stat[13]}"
        echo "stime ${stat[14]}"
        # Socket bytes, as the kernel counts them for the client's connections (/proc/PID/io
        # misses Netty's socket reads and writes).
        { ss -Htin state established "( dport = :$PORT )" | grep -oE '(bytes_sent|bytes_received|segs_out):[0-9]+' \
            || true; } | awk -F: '{ s[$1] += $2 } END { print "bytes_sent", s["bytes_sent"] + 0;
                print "bytes_received", s["bytes_received"] + 0; print "client_segs_out", s["segs_out"] + 0 }'
        echo "machine_segs_out $(tcp_out_segments)"
        echo "epoch_ms $(( ${EPOCHREALTIME/./} / 1000 ))"
    } > "$2"
}

# run_client NAME CLIENT CONNECTIONS RATE: one client run against the target; its counters over
# the steady window go to NAME.before, NAME.after and NAME.perf.
run_client() {
    local name="$1" client="$2" connections="$3" rate="$4"
    local ramp start_at wait_s total
    ramp=$(( (connections + CONNECT_RATE - 1) / CONNECT_RATE + 3 ))
    start_at=$(( $(date +%s) + ramp + WARMUP ))
    total=$(( ramp + WARMUP + DURATION + 3 ))
    case "$client" in
        tcpkali)
            # -r is per connection: the run's rate spread over its connections, as --rate spreads it.
            "$TCPKALI" -c "$connections" \
                -r "$(awk -v r="$rate" -v c="$connections" 'BEGIN { printf "%.6g", r / c }')" \
                -m "^${PAYLOAD}\$" -T "${total}s" --connect-rate "$CONNECT_RATE" "127.0.0.1:$PORT" \
                > "$WORK/$name.txt" 2>&1 &
            ;;
        ricochet | baseline)
            local jar=client-loadgen/target/ricochet-loadgen.jar options="$LOADGEN_OPTIONS"
            [[ "$client" == baseline ]] && jar="$BASELINE_JAR" && options="$BASELINE_OPTIONS"
            # Measures from the window's start to 3 s past its end, as tcpkali runs 3 s past it.
            local load=(--rate 0)
            [[ "$rate" != closed ]] && load=(--rate "$rate")
            # shellcheck disable=SC2086  # the options are lists of options
            "$JAVA" --enable-native-access=ALL-UNNAMED ${LOADGEN_JVM_OPTS:-} \
                -jar "$jar" --target "127.0.0.1:$PORT" \
                --connections "$connections" --connect-rate "$CONNECT_RATE" "${load[@]}" \
                --message-size "$MESSAGE_SIZE" --warmup "${WARMUP}s" --duration "$((DURATION + 3))s" \
                --start-at "$(date -u -d "@$start_at" +%Y-%m-%dT%H:%M:%SZ)" \
                --json "$WORK/$name.json" $options > "$WORK/$name.txt" 2>&1 &
            ;;
    esac
    CLIENT=$!
    # Measured directly (a timeout wrapper's pid would be measured instead): killed if it overstays.
    (sleep $((total + 60)); kill -KILL "$CLIENT" 2>/dev/null) &
    GUARD=$!
    wait_s=$(( start_at - $(date +%s) ))
    (( wait_s > 0 )) && sleep "$wait_s"
    if ! snapshot "$CLIENT" "$WORK/$name.before" 2>/dev/null; then
        cat "$WORK/$name.txt" >&2
        echo "loadgen-vs-tcpkali: $client ended before its window ($name)" >&2
        exit 1
    fi
    perf stat -x, -e task-clock,context-switches,raw_syscalls:sys_enter -p "$CLIENT" -o "$WORK/$name.perf" \
        -- sleep "$DURATION" 2>/dev/null
    if ! snapshot "$CLIENT" "$WORK/$name.after" 2>/dev/null || ! server_running; then
        cat "$WORK/$name.txt" >&2
        echo "loadgen-vs-tcpkali: $client or the target ended within its window ($name)" >&2
        exit 1
    fi
    local rc=0
    wait "$CLIENT" || rc=$?
    kill "$GUARD" 2>/dev/null || true
    wait "$GUARD" 2>/dev/null || true
    CLIENT=
    echo "$rc" > "$WORK/$name.rc"
}

# figures NAME CLIENT CONNECTIONS RATE ROUND POSITION: NAME.run.json from the run's counters.
figures() {
    python3 - "$WORK" "$@" "$FRAME_BYTES" "$REPLY_BYTES" "$(getconf CLK_TCK)" <<'PY'
import json, sys
work, name, client, connections, rate, rnd, position, frame, reply, hz = sys.argv[1:]
def counters(suffix):
    return {k: float(v) for k, v in (line.split() for line in open(f"{work}/{name}.{suffix}"))}
before, after = counters("before"), counters("after")
delta = {k: after[k] - before[k] for k in before}
perf = {}
for line in open(f"{work}/{name}.perf"):
    fields = line.strip().split(",")
    if len(fields) > 2 and fields[0] and fields[0][0].isdigit():
        perf[fields[2]] = float(fields[0])
replies = delta["bytes_received"] / int(reply)
seconds = delta["epoch_ms"] / 1e3
cpu_ms = perf.get("task-clock", 0.0)
ticks = delta["utime"] + delta["stime"]
run = {
    "client": client, "connections": int(connections), "rate": None if rate == "closed" else int(rate),
    "round": int(rnd), "position_in_round": int(position), "exit_code": int(open(f"{work}/{name}.rc").read()),
    "window_seconds": seconds, "replies": replies, "requests_sent": delta["bytes_sent"] / int(frame),
    "replies_per_second": replies / seconds if seconds else None,
    "cpu_seconds": cpu_ms / 1e3,
    "cpu_us_per_request": cpu_ms * 1e3 / replies if replies else None,
    "kernel_share_of_cpu": delta["stime"] / ticks if ticks else None,
    "context_switches_per_request": perf.get("context-switches", 0) / replies if replies else None,
    "syscalls_per_request": perf.get("raw_syscalls:sys_enter", 0) / replies if replies else None,
    "client_segments_out_per_request": delta["client_segs_out"] / replies if replies else None,
    "machine_segments_out_per_request": delta["machine_segs_out"] / replies if replies else None,
}
if client in ("ricochet", "baseline"):
    try:
        report = json.load(open(f"{work}/{name}.json"))
        run["own_report"] = {k: report.get(k) for k in ("requests_per_second", "loadgen_cpu_seconds", "seconds",
                                                         "requests", "errors", "io_threads", "verdict")}
        run["own_report"]["latency_corrected_ms"] = report.get("latency_corrected_ms")
        run["own_report"]["latency_uncorrected_ms"] = report.get("latency_uncorrected_ms")
        run["own_report"]["send_lag_ms"] = report.get("send_lag_ms") # the pacing; absent from older builds
    except (OSError, ValueError):
        run["own_report"] = None
json.dump(run, open(f"{work}/{name}.run.json", "w"), indent=2)
us = run["cpu_us_per_request"]
print(f"  {client:8} {run['replies_per_second'] or 0:9.0f} replies/s  {us or float('nan'):6.1f} us CPU/request"
      f"  kernel {100 * (run['kernel_share_of_cpu'] or 0):3.0f}%  syscalls {run['syscalls_per_request'] or 0:.2f}"
      f"  switches {run['context_switches_per_request'] or 0:.2f}  segs {run['client_segments_out_per_request'] or 0:.2f}"
      f"  exit {run['exit_code']}", file=sys.stderr)
PY
}

RUNS=()
for connections in $CONNECTIONS; do
    for rate in $RATES; do
        clients=()
        for client in $CLIENTS; do
            [[ "$client" == tcpkali && "$rate" == closed ]] && continue # tcpkali has no closed loop
            clients+=("$client")
        done
        (( ${#clients[@]} > 0 )) || continue
        for round in $(seq 1 "$ROUNDS"); do
            order=("${clients[@]}")
            if (( round % 2 == 0 )); then
                order=()
                for (( i = ${#clients[@]} - 1; i >= 0; i-- )); do order+=("${clients[i]}"); done
            fi
            position=1
            for client in "${order[@]}"; do
                name="$client-$connections-$rate-$round"
                echo "$(date -u +%H:%M:%S) $connections connections, rate $rate, round $round: $client ..." >&2
                # A fresh target for each run: the last client's connections, still closing,
                # would take the reference past its 16,384 file descriptors.
                start_reference "$PORT"
                run_client "$name" "$client" "$connections" "$rate"
                figures "$name" "$client" "$connections" "$rate" "$round" "$position"
                RUNS+=("$name")
                position=$((position + 1))
                kill "$SERVER" 2>/dev/null || true
                wait "$SERVER" 2>/dev/null || true
                SERVER=
                sleep 1
            done
        done
    done
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

LABEL="${LABEL:-}"
LOADGEN_JVM_OPTS="${LOADGEN_JVM_OPTS:-}"
export CONNECTIONS RATES ROUNDS DURATION WARMUP MESSAGE_SIZE CONNECT_RATE CLIENTS LOADGEN_OPTIONS LOADGEN_JVM_OPTS LABEL \
    BASELINE_JAR BASELINE_OPTIONS TCPKALI_VERSION
python3 - "$WORK" "$RESULTS" "$NAME" "$STARTED" "$(date -u +%Y-%m-%dT%H:%MZ)" "$LOAD_BEFORE" "$LOAD_AFTER" "$(nproc)" \
    "$("$JAVA" -version 2>&1 | head -n 1)" "$(uname -r)" "${RUNS[@]}" <<'PY'
import json, os, statistics, sys
work, out, name, started, finished, load_before, load_after, cpus, java, kernel, *names = sys.argv[1:]
runs = [json.load(open(f"{work}/{n}.run.json")) for n in names]
keys = ("cpu_us_per_request", "kernel_share_of_cpu", "syscalls_per_request", "context_switches_per_request",
        "client_segments_out_per_request", "machine_segments_out_per_request", "replies_per_second")
def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None
cells = []
for c in dict.fromkeys(r["connections"] for r in runs):
    for rate in dict.fromkeys(r["rate"] for r in runs if r["connections"] == c):
        cell = {"connections": c, "rate": rate}
        for client in ("tcpkali", "ricochet", "baseline"):
            mine = [r for r in runs if r["connections"] == c and r["rate"] == rate and r["client"] == client]
            if mine:
                cell[client] = {k: med([r[k] for r in mine]) for k in keys}
                cell[client]["runs"] = len(mine)
                cell[client]["failed_exits"] = sum(1 for r in mine if r["exit_code"] != 0)
                cell[client]["cpu_us_per_request_each_round"] = [r["cpu_us_per_request"] for r in mine]
        t = cell.get("tcpkali")
        for client in ("ricochet", "baseline"):
            r = cell.get(client)
            cell[f"ratio_{client}_to_tcpkali"] = (r["cpu_us_per_request"] / t["cpu_us_per_request"]
                                                  if t and r and t["cpu_us_per_request"] and r["cpu_us_per_request"] else None)
        cells.append(cell)
options = {k.lower(): os.environ.get(k, "") for k in ("CONNECTIONS", "RATES", "ROUNDS", "DURATION", "WARMUP",
                                                     "MESSAGE_SIZE", "CONNECT_RATE", "CLIENTS", "LOADGEN_OPTIONS", "LOADGEN_JVM_OPTS", "LABEL",
                                                     "BASELINE_JAR", "BASELINE_OPTIONS")}
report = {"started": started, "finished": finished, "load_before": load_before, "load_after": load_after,
          "cpus": int(cpus), "java": java, "kernel": kernel, "tcpkali": os.environ["TCPKALI_VERSION"],
          "target": "Concurrent Servers' reference epoll-server (reset-survival patch), 127.0.0.1",
          "options": options, "cells": cells, "runs": runs}
json.dump(report, open(f"{out}/{name}.json", "w"), indent=2)

def f(v, spec):
    return "-" if v is None else format(v, spec)
sets = " ".join(f"{k.upper()}=\"{v}\"" for k, v in options.items() if v)
with open(f"{out}/{name}.md", "w") as md:
    md.write("# The load generator's cost beside tcpkali's\n\n")
    md.write(f"{started} to {finished}, {cpus} cores shared by the target, the client and anything else on the "
             f"machine; load average before {load_before}, after {load_after}. {java}; {os.environ['TCPKALI_VERSION']}; "
             f"kernel {kernel}.\n\n")
    md.write(f"Command: `{sets} bench/loadgen-vs-tcpkali.sh`. Target: Concurrent "
             "Servers' reference epoll server (one thread), started afresh for each run. Both clients send "
             f"`^` + {options['message_size']} bytes + `$` frames at the same connections and rate (tcpkali `-r` = "
             "rate / connections), connected at "
             f"{options['connect_rate']}/s; each client's counters are read over the same {options['duration']} s "
             f"window, once every connection is up and {options['warmup']} s of load have passed. A request is a "
             "reply that arrived in the window. Medians over the rounds; the clients alternate within each round. "
             "tcpkali verifies nothing it receives; Ricochet's load generator checks every reply byte, times every "
             "request from its planned send and corrects for coordinated omission."
             + (f" `baseline` is another build of it, `{options['baseline_jar']}`"
                + (f", run with `{options['baseline_options']}`" if options["baseline_options"] else "") + "."
                if options["baseline_jar"] else "")
             + "\n\n")
    md.write("| connections | rate/s | client | replies/s | CPU µs/request | kernel's part | system calls/request "
             "| context switches/request | client TCP segments out/request | machine's segments out/request "
             "| CPU / tcpkali's |\n|---|---|---|---|---|---|---|---|---|---|---|\n")
    for cell in cells:
        for client in ("tcpkali", "ricochet", "baseline"):
            s = cell.get(client)
            if not s:
                continue
            ratio = f(cell[f"ratio_{client}_to_tcpkali"], ".2f") if client != "tcpkali" else ""
            md.write(f"| {cell['connections']:,} | {cell['rate'] or 'closed loop'} | {client}"
                     + (f" ({s['failed_exits']} failed exit)" if s["failed_exits"] else "")
                     + f" | {f(s['replies_per_second'], ',.0f')} | {f(s['cpu_us_per_request'], '.1f')}"
                     f" | {f(100 * s['kernel_share_of_cpu'] if s['kernel_share_of_cpu'] is not None else None, '.0f')}%"
                     f" | {f(s['syscalls_per_request'], '.2f')} | {f(s['context_switches_per_request'], '.2f')}"
                     f" | {f(s['client_segments_out_per_request'], '.2f')} | {f(s['machine_segments_out_per_request'], '.2f')}"
                     f" | {ratio} |\n")
    md.write("\nThe kernel's part is /proc's tick-sampled user/system split, which reads low for the JVM: a perf "
             "profile of Ricochet's load generator at 20,000/s put 75 to 82% of its samples in the kernel (issue 26). "
             "A ratio below 1 favours Ricochet's load generator. The machine's segments count both ends of the loopback (the target's "
             "replies and ACKs too).\n")
print(open(f"{out}/{name}.md").read())
PY
