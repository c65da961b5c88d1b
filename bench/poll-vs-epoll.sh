#!/usr/bin/env bash
# poll against epoll at many mostly idle connections (issue 29). poll(2) is the select-like
# model: every wait hands the kernel every descriptor, and the kernel and the JDK's selector
# scan them all for the few that are ready; epoll returns only the ready ones. The server runs
# netty on `--transport epoll`, then on `--transport poll` (NIO on the JDK's poll selector),
# each freshly started, and holds CONNECTIONS connections of which ACTIVE carry echo requests
# at RATE requests/s in total (open loop, latency corrected for coordinated omission); a
# second load generator holds the other CONNECTIONS - ACTIVE and sends nothing
# (`--workload idle`). The figure is the server's CPU per request (user and kernel apart) over
# the active load generator's measurement window, and the ratio of poll's to epoll's. Rounds
# alternate the order. Loopback only; every run bounded in time. Writes
# bench/results/poll-vs-epoll.json (every figure) and poll-vs-epoll.md.
#
# Usage: [CONNECTIONS=10000] [ACTIVE=100] [RATE=2000] [DURATION=15s] [WARMUP=5s] [ROUNDS=1]
#        [TRANSPORTS="epoll poll"] [SERVER_JVM_OPTS=] [LOADGEN_JVM_OPTS=-Xmx1g] bench/poll-vs-epoll.sh
# About (DURATION + WARMUP + 15 s) per transport and round: 1 min 10 s with the defaults.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

CONNECTIONS="${CONNECTIONS:-10000}"
ACTIVE="${ACTIVE:-100}"
RATE="${RATE:-2000}"
DURATION="${DURATION:-15s}"
WARMUP="${WARMUP:-5s}"
ROUNDS="${ROUNDS:-1}"
read -r -a TRANSPORT_LIST <<< "${TRANSPORTS:-epoll poll}"
SERVER_JVM_OPTS="${SERVER_JVM_OPTS:-}"
LOADGEN_JVM_OPTS="${LOADGEN_JVM_OPTS:--Xmx1g}"
TIMEOUT=2s
ECHO_PORT=19690
PRIME_PORT=18670
RESULTS=bench/results

fail_usage() {
    echo "poll-vs-epoll: $*" >&2
    exit 2
}

[[ "$DURATION" =~ ^[0-9]+$ ]] && DURATION+=s
[[ "$WARMUP" =~ ^[0-9]+$ ]] && WARMUP+=s
for number in "$CONNECTIONS" "$ACTIVE" "$RATE" "$ROUNDS"; do
    [[ "$number" =~ ^[1-9][0-9]*$ ]] || fail_usage "'$number' is not a whole number above 0"
done
(( ACTIVE < CONNECTIONS )) || fail_usage "ACTIVE $ACTIVE must be below CONNECTIONS $CONNECTIONS"

# Every server option has a RICOCHET_* variable: the runs must differ only in --transport.
while read -r variable; do unset "$variable"; done < <(compgen -v RICOCHET_ || true)

# shellcheck source=bench/lib.sh
source bench/lib.sh
for duration in "$DURATION" "$WARMUP"; do seconds_of "$duration" > /dev/null; done
# The server holds every connection (one descriptor each); each load generator its share.
raise_open_files $((CONNECTIONS + 1000))

bench_setup
WORK="$(mktemp -d)"
trap 'release_idle_connections; kill "${SERVER:-}" "${SAMPLER:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

IDLE=$((CONNECTIONS - ACTIVE))
# The idle connections outlast the active run: its JVM, connect phase, warmup and measurement.
HOLD=$(( $(seconds_of "$WARMUP") + $(seconds_of "$DURATION") + 30 ))
LIMIT=$(( $(seconds_of "$WARMUP") + $(seconds_of "$DURATION") + 30 ))

# measure NAME TRANSPORT: one run against a fresh server on TRANSPORT; writes NAME.run.json.
measure() {
    local name="$1" transport="$2" rc=0 cpu user system held active
    echo "$(date -u +%H:%M:%S) $transport: $IDLE idle + $ACTIVE active connections, $RATE requests/s ..." >&2
    start_server "$WORK/$name.log" --transport "$transport" \
        --echo-port "$ECHO_PORT" --prime-port "$PRIME_PORT" --shutdown-delay 0s --shutdown-grace 1s
    sample_server_cpu "$WORK/$name.cpu"
    if ! hold_idle_connections "$ECHO_PORT" "$IDLE" "$HOLD" "$WORK/$name-idle.txt"; then
        tail -n 5 "$WORK/$name-idle.txt" >&2
        echo "poll-vs-epoll: the server did not come to hold $IDLE idle connections on $transport" >&2
        exit 1
    fi
    # shellcheck disable=SC2086  # LOADGEN_JVM_OPTS is a list of options
    timeout --kill-after=5s "$LIMIT" "$JAVA" --enable-native-access=ALL-UNNAMED $LOADGEN_JVM_OPTS \
        -jar client-loadgen/target/ricochet-loadgen.jar --target "127.0.0.1:$ECHO_PORT" --workload echo \
        --connections "$ACTIVE" --rate "$RATE" --warmup "$WARMUP" --duration "$DURATION" --timeout "$TIMEOUT" \
        --connect-timeout "$TIMEOUT" --json "$WORK/$name.json" > "$WORK/$name.txt" 2> "$WORK/$name.progress" &
    active=$!
    # Into the measurement (JVM start and connect phase, about 2 s, then the warmup): the
    # connections the server holds then, idle and active together.
    sleep $(( 3 + $(seconds_of "$WARMUP") + $(seconds_of "$DURATION") / 2 ))
    held="$(established_on "$ECHO_PORT")"
    wait "$active" || rc=$?
    sleep 0.2 # one more CPU sample after the window
    require_report "$WORK/$name.json" "$WORK/$name.txt" "$rc" "$transport"
    cpu="$(server_cpu_over_report "$WORK/$name.cpu" "$WORK/$name.json")"
    user="$(server_cpu_over_report "$WORK/$name.cpu" "$WORK/$name.json" 5)"
    system="$(server_cpu_over_report "$WORK/$name.cpu" "$WORK/$name.json" 6)"
    release_idle_connections
    stop_server_within 10
    wait "$SAMPLER" 2>/dev/null || true
    python3 - "$WORK/$name" "$transport" "$rc" "$cpu" "$user" "$system" "$held" \
        "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, sys
path, transport, rc, cpu, user, system, held, load = sys.argv[1:]
r = json.load(open(f"{path}.json"))
requests = r["requests"]
per_request = lambda seconds: float(seconds) * 1e6 / requests if requests else None
run = {
    "transport": transport, "loadgen_exit_code": int(rc), "requests": requests,
    "requests_per_second": r["requests_per_second"], "achieved_ratio": r["achieved_ratio"],
    "latency_ms": {p: r["latency_corrected_ms"].get(p) for p in ("p50", "p99", "p99.9", "max")},
    "errors": r["errors"], "errors_total": sum(r["errors"].values()),
    "connections_held_mid_run": int(held),
    "server_cpu_seconds": float(cpu), "server_user_seconds": float(user), "server_system_seconds": float(system),
    "server_cpu_us_per_request": per_request(cpu), "server_user_us_per_request": per_request(user),
    "server_system_us_per_request": per_request(system), "load_average_after": load,
    "loadgen_report": r,
}
json.dump(run, open(f"{path}.run.json", "w"), indent=2)
print(f"  {transport}: {run['requests_per_second']:.0f} req/s, p99 {run['latency_ms']['p99']:.2f} ms, "
      f"errors {run['errors_total']}, server CPU {run['server_cpu_us_per_request']:.1f} us/request "
      f"(user {run['server_user_us_per_request']:.1f}, kernel {run['server_system_us_per_request']:.1f}), "
      f"{held} connections held mid-run", file=sys.stderr)
PY
    sleep 1 # let the closed connections go before the next server starts
}

RUNS=()
for ((round = 1; round <= ROUNDS; round++)); do
    order=("${TRANSPORT_LIST[@]}")
    if (( round % 2 == 0 )); then # alternate: neither transport always runs on a warmer machine
        order=()
        for ((i = ${#TRANSPORT_LIST[@]} - 1; i >= 0; i--)); do order+=("${TRANSPORT_LIST[i]}"); done
    fi
    for transport in "${order[@]}"; do
        measure "$transport-$round" "$transport"
        RUNS+=("$transport-$round")
    done
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

COMMAND="CONNECTIONS=$CONNECTIONS ACTIVE=$ACTIVE RATE=$RATE DURATION=$DURATION WARMUP=$WARMUP ROUNDS=$ROUNDS"
COMMAND+=" TRANSPORTS=\"${TRANSPORT_LIST[*]}\" bench/poll-vs-epoll.sh"
python3 - "$WORK" "$RESULTS" "$STARTED" "$(date -u +%Y-%m-%dT%H:%MZ)" "$LOAD_BEFORE" "$LOAD_AFTER" "$(nproc)" \
    "$("$JAVA" -version 2>&1 | head -n 1)" "$COMMAND" "$CONNECTIONS" "$ACTIVE" "$RATE" "$DURATION" "$WARMUP" \
    "${RUNS[@]}" <<'PY'
import json, statistics, sys
(work, out, started, finished, load_before, load_after, cores, java, command, connections, active, rate,
 duration, warmup, *names) = sys.argv[1:]
runs = [json.load(open(f"{work}/{name}.run.json")) for name in names]
transports = list(dict.fromkeys(r["transport"] for r in runs))

def median(transport, key):
    values = [r[key] for r in runs if r["transport"] == transport and r[key] is not None]
    return statistics.median(values) if values else None

summary = {t: {k: median(t, k) for k in ("server_cpu_us_per_request", "server_user_us_per_request",
                                          "server_system_us_per_request", "requests_per_second")}
           for t in transports}
ratio = None
if "poll" in summary and "epoll" in summary and summary["epoll"]["server_cpu_us_per_request"]:
    ratio = summary["poll"]["server_cpu_us_per_request"] / summary["epoll"]["server_cpu_us_per_request"]
data = {"started": started, "finished": finished, "load_before": load_before, "load_after": load_after,
        "machine": {"cores": int(cores), "java": java}, "command": command,
        "options": {"connections": int(connections), "active": int(active), "rate": float(rate),
                    "duration": duration, "warmup": warmup},
        "median_by_transport": summary, "cpu_per_request_ratio_poll_over_epoll": ratio, "runs": runs}
# The load generators' own reports are in the runs; the summary needs none of them.
json.dump(data, open(f"{out}/poll-vs-epoll.json", "w"), indent=2)

fmt = lambda v, f=".1f": "-" if v is None else format(v, f)
with open(f"{out}/poll-vs-epoll.md", "w") as md:
    md.write("# poll against epoll at many mostly idle connections\n\n")
    md.write(f"{started} to {finished}, {cores} cores shared by the server and both load generators, load average "
             f"before: {load_before}, after: {load_after}; {java}.\n")
    md.write(f"Command: `{command}`. Each run against a freshly started server (netty, its default "
             f"`--io-threads`), {int(connections):,} connections held, of which {int(active):,} send echo requests at "
             f"{float(rate):,.0f} requests/s in total (open loop, measured for {duration} after a {warmup} warmup); the "
             "others, held by a second load generator, send nothing. Server CPU (user + kernel, and each apart) per "
             "request over the active load generator's measurement window; latency in ms, corrected for coordinated "
             "omission.\n\n")
    if ratio is not None:
        md.write(f"**Server CPU per request, poll / epoll: {ratio:.2f}x** (medians over the rounds).\n\n")
    md.write("| transport, run | requests/s (share of the plan) | p50 / p99 / p99.9 ms | errors | connections held mid-run "
             "| server CPU us/request | of it user / kernel | load average after |\n|---|---|---|---|---|---|---|---|\n")
    for name, r in zip(names, runs):
        lat = " / ".join(fmt(r["latency_ms"].get(p), ".2f") for p in ("p50", "p99", "p99.9"))
        md.write(f"| {name} | {r['requests_per_second']:,.0f} ({r['achieved_ratio']:.0%}) | {lat} | {r['errors_total']} "
                 f"| {r['connections_held_mid_run']:,} | {fmt(r['server_cpu_us_per_request'])} "
                 f"| {fmt(r['server_user_us_per_request'])} / {fmt(r['server_system_us_per_request'])} "
                 f"| {r['load_average_after']} |\n")
print(open(f"{out}/poll-vs-epoll.md").read())
PY
