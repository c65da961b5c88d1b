#!/usr/bin/env bash
# C10K against Concurrent Servers' reference epoll server (issue 12): Ricochet as a user gets it
# (`--engine netty`, started by the launcher with its JVM defaults) and epoll-server.c of
# Concurrent Servers (docs/protocol.md; one thread, level-triggered epoll, 1 KiB buffers per
# connection), side by side on this machine, loopback only. Each round starts each server
# afresh, in alternating order, and drives it with the project's load generator (every reply
# byte checked), three phases on the same server:
#   1. idle: CONNECTIONS connections opened and held; the server's RSS with them all up (at the
#      end of the load generator's measurement window) and before they came;
#   2. echo, closed loop: CONNECTIONS connections, one MESSAGE_SIZE-byte request outstanding
#      each, DURATION after a WARMUP that starts once every connection is up: requests/s,
#      p50 / p99, errors, the server's CPU per request over that exact measurement window,
#      its RSS at the window's end and at most within it;
#   3. streaming: STREAM_CONNECTIONS connections, STREAM_PIPELINE frames of
#      STREAM_MESSAGE_SIZE bytes outstanding each, STREAM_DURATION: bytes/s each way.
# After each round, iperf3 measures the machine's loopback ceiling for IPERF_SECONDS each: one
# stream client to server, one server to client (-R), then both at once (--bidir). Writes
# bench/results/c10k-vs-reference.md and .json, with the machine's load before and after, and
# c10k-vs-reference.html, their page with charts.
#
# The reference is built from ../shared/reference/async-socket-server (or REFERENCE_SRC=DIR) in
# a temporary folder, with the reset-survival patch (RESET_PATCH=FILE, by default the one beside
# the sources or in ../shared/reference/async-socket-server) applied and its bind moved to
# 127.0.0.1; never copied into the project. Without a source it says so and exits 0. Debian's
# iperf3 is installed when missing (as root).
#
# Usage: [CONNECTIONS=10000] [DURATION=15s] [WARMUP=5s] [ROUNDS=2] [MESSAGE_SIZE=64]
#        [STREAM_CONNECTIONS=100] [STREAM_MESSAGE_SIZE=1024] [STREAM_PIPELINE=64]
#        [STREAM_DURATION=5s] [IPERF_SECONDS=5] [REFERENCE_SRC=DIR] [RESET_PATCH=FILE]
#        [SERVER_JVM_OPTS=] bench/c10k-vs-reference.sh
# A smoke run: CONNECTIONS=2000 DURATION=5s WARMUP=2s ROUNDS=1 bench/c10k-vs-reference.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

CONNECTIONS="${CONNECTIONS:-10000}"
DURATION="${DURATION:-15s}"
WARMUP="${WARMUP:-5s}"
ROUNDS="${ROUNDS:-2}"
MESSAGE_SIZE="${MESSAGE_SIZE:-64}"
STREAM_CONNECTIONS="${STREAM_CONNECTIONS:-100}"
# 1 KiB frames, 64 outstanding: the most bytes the load generator, which checks each one,
# moved on this machine (16 KiB and 64 KiB frames moved fewer: it verifies per frame).
STREAM_MESSAGE_SIZE="${STREAM_MESSAGE_SIZE:-1024}"
STREAM_PIPELINE="${STREAM_PIPELINE:-64}"
STREAM_DURATION="${STREAM_DURATION:-5s}"
IPERF_SECONDS="${IPERF_SECONDS:-5}"
SERVER_JVM_OPTS="${SERVER_JVM_OPTS:-}" # empty: the launcher's defaults, what a user gets
IDLE_DURATION=3s
STREAM_WARMUP=2s
TIMEOUT=30s         # a request's limit in the load generator
CONNECT_TIMEOUT=15s # connect and greeting; the reference's backlog is 64: connects past it wait for SYN retries
CONNECT_RATE=5000   # the load generator's default, stated for the time bounds below
STOP_LIMIT=10       # seconds a server may take to stop after SIGTERM before it is killed
PORT=19490
IPERF_PORT=19491
RESULTS=bench/results
# shellcheck source=bench/lib.sh
source bench/lib.sh
reference_sources

if [[ ! -f "$REFERENCE_SRC/epoll-server.c" ]]; then
    echo "c10k-vs-reference: no reference source at $REFERENCE_SRC (set REFERENCE_SRC to Concurrent Servers'" \
        "2017/async-socket-server folder); nothing measured" >&2
    exit 0
fi
if [[ ! -f "$RESET_PATCH" ]]; then
    echo "c10k-vs-reference: no reset-survival.patch for the reference (set RESET_PATCH): as published," \
        "it exits on the first peer reset; nothing measured" >&2
    exit 0
fi
require_reference_capacity "$CONNECTIONS"
# Runs must differ only in the server: no RICOCHET_* variable from the caller's environment.
while read -r variable; do unset "$variable"; done < <(compgen -v RICOCHET_ || true)

# One descriptor per connection on each side, each in its own process, plus the JVM's own.
raise_open_files $((CONNECTIONS + 1000))
[[ "$DURATION" =~ ^[0-9]+$ ]] && DURATION+=s
[[ "$WARMUP" =~ ^[0-9]+$ ]] && WARMUP+=s
[[ "$STREAM_DURATION" =~ ^[0-9]+$ ]] && STREAM_DURATION+=s
for duration in "$DURATION" "$WARMUP" "$STREAM_DURATION"; do seconds_of "$duration" > /dev/null; done
ensure_debian_package iperf3 /usr/bin/iperf3 || exit 2

bench_setup
WORK="$(mktemp -d)"
trap 'kill "${SERVER:-}" "${SAMPLER:-}" "${COUNTER:-}" "${IPERF:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
build_reference "$REFERENCE_SRC" epoll-server "$RESET_PATCH"

# run_loadgen NAME CONNECTIONS WARMUP DURATION [LOADGEN OPTIONS...]: one load generator run on
# the server under test, ended from outside past its connect phase, warmup, measurement and
# timeouts; its exit code goes to NAME.rc. Exits when it writes no report.
run_loadgen() {
    local name="$1" connections="$2" warmup="$3" duration="$4"; shift 4
    local rc=0 limit
    limit=$(( (connections + CONNECT_RATE - 1) / CONNECT_RATE + $(seconds_of "$CONNECT_TIMEOUT") \
        + $(seconds_of "$TIMEOUT") + $(seconds_of "$warmup") + $(seconds_of "$duration") + 30 ))
    timeout --kill-after=5s "$limit" "$JAVA" --enable-native-access=ALL-UNNAMED \
        -jar client-loadgen/target/ricochet-loadgen.jar --target "127.0.0.1:$PORT" \
        --connections "$connections" --warmup "$warmup" --duration "$duration" \
        --connect-timeout "$CONNECT_TIMEOUT" --json "$WORK/$name.json" "$@" \
        > "$WORK/$name.txt" 2> "$WORK/$name.progress" || rc=$?
    echo "$rc" > "$WORK/$name.rc"
    if [[ ! -s "$WORK/$name.json" ]]; then
        cat "$WORK/$name.txt" "$WORK/$name.progress" >&2
        echo "c10k-vs-reference: the load generator wrote no report for $name (exit $rc)" >&2
        exit 1
    fi
}

# sample_server_connections FILE: writes "epoch-milliseconds connections" every 2 s, in the
# background, until the server exits: the connections the server side holds on PORT, as the
# kernel sees them. A connection the load generator counts as open may have none: a server
# whose accept queue overflows drops the handshake's last ACK, and with SYN cookies keeps no
# trace of it, while the client sees an established connection waiting for its greeting.
sample_server_connections() {
    (while server_running; do
        echo "$(( ${EPOCHREALTIME/./} / 1000 )) $(ss -Htn state established "( sport = :$PORT )" | wc -l)"
        sleep 2
    done) > "$1" &
    COUNTER=$!
}

# measure NAME KIND ROUND POSITION: the three phases against a freshly started server (KIND
# reference or ricochet); writes NAME.run.json.
measure() {
    local name="$1" kind="$2" round="$3" position="$4" before peak cpu_echo cpu_echo_user cpu_stream
    echo "$(date -u +%H:%M:%S) round $round, $kind: idle, echo and streaming ..." >&2
    case "$kind" in
        reference) start_reference "$PORT" ;;
        ricochet) start_server "$WORK/$name.log" --engine netty --echo-port "$PORT" --prime-port 0 \
            --shutdown-delay 0s --shutdown-grace 1s ;;
    esac
    sample_server_cpu "$WORK/$name.samples"
    sample_server_connections "$WORK/$name.connections"
    sleep 0.3 # a sample of the fresh server before any connection
    before="$(( ${EPOCHREALTIME/./} / 1000 ))"
    run_loadgen "$name-idle" "$CONNECTIONS" 1s "$IDLE_DURATION" --workload idle
    run_loadgen "$name-echo" "$CONNECTIONS" "$WARMUP" "$DURATION" --workload echo --pipeline 1 \
        --message-size "$MESSAGE_SIZE" --timeout "$TIMEOUT"
    run_loadgen "$name-stream" "$STREAM_CONNECTIONS" "$STREAM_WARMUP" "$STREAM_DURATION" --workload echo \
        --pipeline "$STREAM_PIPELINE" --message-size "$STREAM_MESSAGE_SIZE" --timeout "$TIMEOUT"
    sleep 0.2 # one more sample after the last window
    peak="$(server_peak_rss_mib)"
    cpu_echo="$(server_cpu_over_report "$WORK/$name.samples" "$WORK/$name-echo.json")"
    cpu_echo_user="$(server_cpu_over_report "$WORK/$name.samples" "$WORK/$name-echo.json" 5)"
    cpu_stream="$(server_cpu_over_report "$WORK/$name.samples" "$WORK/$name-stream.json")"
    stop_server_within "$STOP_LIMIT"
    kill "$SAMPLER" "$COUNTER" 2>/dev/null || true
    wait "$SAMPLER" "$COUNTER" 2>/dev/null || true
    python3 - "$WORK" "$name" "$kind" "$round" "$position" "$before" "$peak" "$cpu_echo" "$cpu_echo_user" "$cpu_stream" \
        "$STOPPED_BY" "$(peak_server_threads "$WORK/$name.samples")" <<'PY'
import json, sys
work, name, kind, rnd, position, before, peak, cpu_echo, cpu_echo_user, cpu_stream, stopped_by, threads = sys.argv[1:]
samples = [tuple(map(float, line.split())) for line in open(f"{work}/{name}.samples") if len(line.split()) >= 4]
def rss_at(ms):  # MiB at the last sample taken at or before wall-clock ms
    rows = [s[3] for s in samples if s[0] / 1000 <= ms]
    return rows[-1] / 1024 if rows else None
def rss_max(start, end):
    rows = [s[3] for s in samples if start <= s[0] / 1000 <= end]
    return max(rows) / 1024 if rows else None
held = [tuple(map(int, line.split())) for line in open(f"{work}/{name}.connections") if len(line.split()) == 2]
def held_in(r):  # the fewest and the most connections the server side held within a report's window
    counts = [c for t, c in held if r["measure_start_epoch_ms"] <= t <= r["measure_end_epoch_ms"]]
    return {"min": min(counts), "max": max(counts), "samples": len(counts)} if counts else None
def phase(suffix):
    r = json.load(open(f"{work}/{name}-{suffix}.json"))
    r["exit_code"] = int(open(f"{work}/{name}-{suffix}.rc").read())
    return r
idle, echo, stream = phase("idle"), phase("echo"), phase("stream")
for r in (idle, echo, stream):
    r["server_connections_held"] = held_in(r)
    # Little's law: the requests outstanding on average, which closed loop with pipeline k
    # keeps at k per connection served.
    r["requests_in_flight_mean"] = r["requests_per_second"] * r["latency_uncorrected_ms"].get("mean", 0) / 1e3
base = rss_at(float(before))
idle_rss = rss_at(idle["measure_end_epoch_ms"])
echo["server_cpu_seconds"] = float(cpu_echo)
echo["server_cpu_us_per_request"] = float(cpu_echo) * 1e6 / max(1, echo["requests"])
# the part spent in user space (the rest is the kernel's: system calls, the loopback TCP path)
echo["server_user_cpu_us_per_request"] = float(cpu_echo_user) * 1e6 / max(1, echo["requests"])
echo["server_rss_mib_at_end"] = rss_at(echo["measure_end_epoch_ms"])
echo["server_rss_mib_max"] = rss_max(echo["measure_start_epoch_ms"], echo["measure_end_epoch_ms"])
stream["server_cpu_seconds"] = float(cpu_stream)
stream["server_cpu_cores"] = float(cpu_stream) / stream["seconds"]
stream["client_to_server_bytes_per_second"] = stream["bytes_sent"] / stream["seconds"]
stream["server_to_client_bytes_per_second"] = stream["bytes_received"] / stream["seconds"]
run = {
    "server": kind, "round": int(rnd), "position_in_round": int(position),
    "server_rss_mib_fresh": base,
    "server_rss_mib_idle": idle_rss,
    # per connection the server held (the load generator may count more open than it has)
    "server_rss_kib_per_idle_connection": (idle_rss - base) * 1024
        / max(1, (idle["server_connections_held"] or {}).get("min") or idle["connections_established"])
        if idle_rss is not None and base is not None else None,
    "server_rss_peak_mib": float(peak) if peak else None,
    "server_threads_peak": int(threads),
    "server_stopped_by": stopped_by,
    "idle": idle, "echo": echo, "stream": stream,
}
json.dump(run, open(f"{work}/{name}.run.json", "w"), indent=2)
lat = echo["latency_corrected_ms"]
print(f"  {kind:9} {echo['requests_per_second']:9.0f} req/s  {echo['server_cpu_us_per_request']:5.1f} us CPU/req"
      f" ({echo['server_user_cpu_us_per_request']:.1f} user)"
      f"  p50 {lat.get('p50', float('nan')):.2f} p99 {lat.get('p99', float('nan')):.2f} ms"
      f"  errors {sum(echo['errors'].values())}  held {(echo['server_connections_held'] or {}).get('min')}"
      f" in flight {echo['requests_in_flight_mean']:.0f}  RSS idle {idle_rss or 0:.0f} busy {echo['server_rss_mib_at_end'] or 0:.0f} MiB"
      f"  | stream {stream['client_to_server_bytes_per_second'] / 1e6:.0f} / {stream['server_to_client_bytes_per_second'] / 1e6:.0f} MB/s",
      file=sys.stderr)
PY
    sleep 1 # let the closed connections of this run go before the next server starts
}

# iperf_ceiling ROUND: the loopback ceiling, one iperf3 stream each way alone and then both at
# once, into iperf-ROUND-{up,down,bidir}.json.
iperf_ceiling() {
    local mode
    echo "$(date -u +%H:%M:%S) round $1, iperf3 on 127.0.0.1 ..." >&2
    timeout $((3 * (IPERF_SECONDS + 15))) iperf3 -s -B 127.0.0.1 -p "$IPERF_PORT" > "$WORK/iperf-server-$1.log" 2>&1 &
    IPERF=$!
    for _ in $(seq 1 50); do
        [[ -n "$(ss -Hltn "sport = :$IPERF_PORT")" ]] && break
        sleep 0.1
    done
    for mode in up down bidir; do
        local flags=()
        [[ "$mode" == down ]] && flags=(-R)
        [[ "$mode" == bidir ]] && flags=(--bidir)
        timeout $((IPERF_SECONDS + 15)) iperf3 -c 127.0.0.1 -p "$IPERF_PORT" -t "$IPERF_SECONDS" -J "${flags[@]}" \
            > "$WORK/iperf-$1-$mode.json" 2>&1 || true
    done
    kill "$IPERF" 2>/dev/null || true
    wait "$IPERF" 2>/dev/null || true
}

RUNS=()
for round in $(seq 1 "$ROUNDS"); do
    order=(reference ricochet)
    (( round % 2 == 0 )) && order=(ricochet reference)
    position=1
    for kind in "${order[@]}"; do
        measure "$kind-$round" "$kind" "$round" "$position"
        RUNS+=("$kind-$round")
        position=$((position + 1))
    done
    iperf_ceiling "$round"
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

export CONNECTIONS DURATION WARMUP ROUNDS MESSAGE_SIZE STREAM_CONNECTIONS STREAM_MESSAGE_SIZE STREAM_PIPELINE \
    STREAM_DURATION STREAM_WARMUP IDLE_DURATION IPERF_SECONDS SERVER_JVM_OPTS TIMEOUT CONNECT_TIMEOUT \
    REFERENCE_SRC RESET_PATCH
# The launcher's JVM defaults (G1's, then the others), for the report.
SERVER_JVM_DEFAULTS="$(sed -n 's/^SERVER_G1_DEFAULTS="\(.*\)"$/\1/p' ricochet) $(sed -n 's/^SERVER_JVM_DEFAULTS="\(.*\)"$/\1/p' ricochet)"
export SERVER_JVM_DEFAULTS
python3 - "$WORK" "$RESULTS" "$STARTED" "$(date -u +%Y-%m-%dT%H:%MZ)" "$LOAD_BEFORE" "$LOAD_AFTER" "$(nproc)" \
    "$("$JAVA" -version 2>&1 | head -n 1)" "$(uname -r)" "$ROUNDS" "${RUNS[@]}" <<'PY'
import json, os, statistics, sys
work, out, started, finished, load_before, load_after, cpus, java, kernel, rounds, *names = sys.argv[1:]
runs = [json.load(open(f"{work}/{name}.run.json")) for name in names]

def iperf(rnd, mode):
    try:
        end = json.load(open(f"{work}/iperf-{rnd}-{mode}.json"))["end"]
    except (OSError, ValueError, KeyError):
        return None
    # What arrived, in bytes/s: -R runs the data from the server to this client.
    up = end.get("sum_received", {}).get("bits_per_second", 0) / 8
    if mode == "up":
        return {"client_to_server_bytes_per_second": up, "server_to_client_bytes_per_second": None}
    if mode == "down":
        return {"client_to_server_bytes_per_second": None, "server_to_client_bytes_per_second": up}
    return {"client_to_server_bytes_per_second": up,
            "server_to_client_bytes_per_second": end.get("sum_received_bidir_reverse", {}).get("bits_per_second", 0) / 8}
ceilings = [{"round": r, **{mode: iperf(r, mode) for mode in ("up", "down", "bidir")}} for r in range(1, int(rounds) + 1)]

def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None
def of(kind, key):
    return med([key(r) for r in runs if r["server"] == kind])
def ceiling(mode, way):
    return med([c[mode][way] for c in ceilings if c[mode] and c[mode][way] is not None])
errors = lambda phase: lambda r: sum(r[phase]["errors"].values())
figures = {
    "requests_per_second": lambda r: r["echo"]["requests_per_second"],
    "server_cpu_us_per_request": lambda r: r["echo"]["server_cpu_us_per_request"],
    "server_user_cpu_us_per_request": lambda r: r["echo"].get("server_user_cpu_us_per_request"),
    "p50_ms": lambda r: r["echo"]["latency_corrected_ms"].get("p50"),
    "p99_ms": lambda r: r["echo"]["latency_corrected_ms"].get("p99"),
    "connections_held_idle": lambda r: (r["idle"]["server_connections_held"] or {}).get("min"),
    "connections_held_echo": lambda r: (r["echo"]["server_connections_held"] or {}).get("min"),
    "requests_in_flight_mean": lambda r: r["echo"]["requests_in_flight_mean"],
    "server_rss_mib_fresh": lambda r: r["server_rss_mib_fresh"],
    "server_rss_mib_idle": lambda r: r["server_rss_mib_idle"],
    "server_rss_kib_per_idle_connection": lambda r: r["server_rss_kib_per_idle_connection"],
    "server_rss_mib_busy_at_end": lambda r: r["echo"]["server_rss_mib_at_end"],
    "server_rss_mib_busy_max": lambda r: r["echo"]["server_rss_mib_max"],
    "server_rss_peak_mib": lambda r: r["server_rss_peak_mib"],
    "stream_client_to_server_bytes_per_second": lambda r: r["stream"]["client_to_server_bytes_per_second"],
    "stream_server_to_client_bytes_per_second": lambda r: r["stream"]["server_to_client_bytes_per_second"],
    "stream_server_cpu_cores": lambda r: r["stream"]["server_cpu_cores"],
}
summary = {kind: {key: of(kind, f) for key, f in figures.items()} for kind in ("reference", "ricochet")}
for kind in summary:
    summary[kind]["echo_errors_all_rounds"] = sum(errors("echo")(r) for r in runs if r["server"] == kind)
    summary[kind]["stream_errors_all_rounds"] = sum(errors("stream")(r) for r in runs if r["server"] == kind)
ref, ric = summary["reference"], summary["ricochet"]
ratio = lambda key: ric[key] / ref[key] if ric[key] is not None and ref[key] else None
summary["ratio_ricochet_to_reference"] = {key: ratio(key) for key in figures}
summary["loopback_ceiling_iperf3"] = {mode: {way: ceiling(mode, way) for way in
    ("client_to_server_bytes_per_second", "server_to_client_bytes_per_second")} for mode in ("up", "down", "bidir")}
options = {k.lower(): os.environ.get(k, "") for k in ("CONNECTIONS", "DURATION", "WARMUP", "ROUNDS", "MESSAGE_SIZE",
    "STREAM_CONNECTIONS", "STREAM_MESSAGE_SIZE", "STREAM_PIPELINE", "STREAM_DURATION", "STREAM_WARMUP", "IDLE_DURATION",
    "IPERF_SECONDS", "SERVER_JVM_OPTS", "TIMEOUT", "CONNECT_TIMEOUT")}
report = {
    "started": started, "finished": finished, "load_before": load_before, "load_after": load_after,
    "cpus": int(cpus), "java": java, "kernel": kernel, "options": options,
    "ricochet": {"options": "--engine netty (and its defaults)", "jvm_options": " ".join(filter(None, (os.environ["SERVER_JVM_DEFAULTS"], options["server_jvm_opts"])))},
    "reference": {"program": "epoll-server", "source": os.environ["REFERENCE_SRC"], "patch": os.environ["RESET_PATCH"],
                  "build": "gcc -std=gnu99 -O3 -DNDEBUG (its Makefile), bound to 127.0.0.1"},
    "medians_over_rounds": summary, "iperf3": ceilings, "runs": runs,
}
json.dump(report, open(f"{out}/c10k-vs-reference.json", "w"), indent=2)

def fmt(v, spec=".0f"):
    return "-" if v is None else format(v, spec)
def mbs(v):
    return "-" if v is None else f"{v / 1e6:,.0f}"
n = int(options["connections"])
sets = " ".join(f"{k.upper()}={v}" for k, v in options.items() if k in ("connections", "duration", "warmup", "rounds"))
with open(f"{out}/c10k-vs-reference.md", "w") as md:
    md.write("# C10K: Ricochet against the reference epoll server\n\n")
    md.write(f"{started} to {finished}, {cpus} cores shared by the servers, the load generator and anything else on "
             f"the machine; load average before {load_before}, after {load_after}. {java}, kernel {kernel}.\n\n")
    md.write(f"Command: `{sets} bench/c10k-vs-reference.sh`. Ricochet: `--engine netty`, otherwise its defaults, with "
             f"the launcher's JVM defaults (`{os.environ['SERVER_JVM_DEFAULTS']}`"
             + (f", then `{options['server_jvm_opts']}`" if options['server_jvm_opts'] else "") + "). Reference: Concurrent Servers' "
             "`epoll-server.c` (one thread, level-triggered epoll, 1 KiB buffers), built with its Makefile (`-O3`) "
             "with the reset-survival patch, bound to 127.0.0.1. Each round starts each server afresh, the order "
             "alternating round by round, and runs on it: idle connections, then the closed-loop echo, then "
             "streaming. Every reply byte is checked by the load generator.\n\n")
    md.write(f"## {n:,} connections, closed loop, one {options['message_size']}-byte request outstanding each\n\n")
    md.write(f"Medians over {rounds} round(s) (with two rounds, their mean); measured for {options['duration']} after a "
             f"{options['warmup']} warmup that began once every connection was up. Server CPU is read from /proc over "
             "the load generator's exact measurement window. Closed loop: the corrected latency is the uncorrected "
             "one.\n\n")
    md.write("| | reference epoll server | Ricochet | Ricochet / reference |\n|---|---|---|---|\n")
    rows = [
        ("requests/s", "requests_per_second", ".0f"),
        ("server CPU per request, µs", "server_cpu_us_per_request", ".1f"),
        ("of which user space (the rest is the kernel's), µs", "server_user_cpu_us_per_request", ".2f"),
        ("p50 latency, ms", "p50_ms", ".2f"),
        ("p99 latency, ms", "p99_ms", ".2f"),
        ("connections the server held in the echo window (fewest, `ss`)", "connections_held_echo", ".0f"),
        ("requests in flight on average (requests/s × mean latency)", "requests_in_flight_mean", ".0f"),
        ("connections the server held in the idle window (fewest, `ss`)", "connections_held_idle", ".0f"),
        ("server RSS fresh, MiB", "server_rss_mib_fresh", ".1f"),
        (f"server RSS at {n:,} idle connections, MiB", "server_rss_mib_idle", ".1f"),
        ("server RSS per idle connection (idle - fresh), KiB", "server_rss_kib_per_idle_connection", ".2f"),
        (f"server RSS at {n:,} busy connections (end of window), MiB", "server_rss_mib_busy_at_end", ".1f"),
        ("server RSS most within the window, MiB", "server_rss_mib_busy_max", ".1f"),
        ("server peak RSS over the run (VmHWM), MiB", "server_rss_peak_mib", ".1f"),
    ]
    for label, key, spec in rows:
        md.write(f"| {label} | {fmt(ref[key], spec)} | {fmt(ric[key], spec)} | {fmt(ratio(key), '.2f')} |\n")
    md.write(f"| errors, all rounds (warmup included) | {ref['echo_errors_all_rounds']} | {ric['echo_errors_all_rounds']} | |\n\n")
    md.write("A requests/s ratio above 1 and a CPU ratio below 1 favour Ricochet.\n\n")
    for label, key in (("reference epoll server", "reference"), ("Ricochet", "ricochet")):
        short = [r for r in runs if r["server"] == key and ((r["echo"]["server_connections_held"] or {}).get("min") or 0) < n]
        if short:
            held = ", ".join(str(r["echo"]["server_connections_held"]["min"]) if r["echo"]["server_connections_held"]
                             else "?" for r in short)
            md.write(f"**The {label} did not hold all {n:,} connections** while measured (fewest held, per run: {held}), "
                     "although the load generator's TCP connects all completed: its figures are for the connections it served. "
                     "A server that accepts too slowly overflows its accept queue; the kernel then drops the handshake's "
                     "last ACK and, with SYN cookies, keeps nothing of it, while the client holds an established connection "
                     "that waits for its greeting (the load generator counts such a connection as up only once greeted, "
                     "and reports those that never were). See docs/benchmarks.md.\n\n")
    md.write(f"## Streaming against the loopback ceiling\n\n{options['stream_connections']} connections, "
             f"{options['stream_pipeline']} frames of {options['stream_message_size']} bytes outstanding each, "
             f"{options['stream_duration']} after a {options['stream_warmup']} warmup; iperf3 with one stream, "
             f"{options['iperf_seconds']} s each (iperf3 before 3.16 runs one thread: with --bidir both directions "
             "share it). Bytes that arrived, per second, in MB/s (10^6 bytes); medians over the rounds.\n\n")
    md.write("| | client → server MB/s | server → client MB/s | server CPU, cores |\n|---|---|---|---|\n")
    c = summary["loopback_ceiling_iperf3"]
    md.write(f"| iperf3, client → server alone | {mbs(c['up']['client_to_server_bytes_per_second'])} | | |\n")
    md.write(f"| iperf3, server → client alone (-R) | | {mbs(c['down']['server_to_client_bytes_per_second'])} | |\n")
    md.write(f"| iperf3, both at once (--bidir) | {mbs(c['bidir']['client_to_server_bytes_per_second'])} "
             f"| {mbs(c['bidir']['server_to_client_bytes_per_second'])} | |\n")
    for label, s in (("reference epoll server, echo", ref), ("Ricochet, echo", ric)):
        md.write(f"| {label} | {mbs(s['stream_client_to_server_bytes_per_second'])} "
                 f"| {mbs(s['stream_server_to_client_bytes_per_second'])} | {fmt(s['stream_server_cpu_cores'], '.2f')} |\n")
    echo_back = ric["stream_server_to_client_bytes_per_second"]
    bidir = c["bidir"]["server_to_client_bytes_per_second"]
    md.write(f"\nRicochet / reference, bytes echoed per second: "
             f"{fmt(ratio('stream_server_to_client_bytes_per_second'), '.2f')}; Ricochet's echo against iperf3's "
             f"server → client with both directions busy: "
             f"{fmt(echo_back / bidir if echo_back and bidir else None, '.2f')}. Streaming errors, all rounds: "
             f"reference {ref['stream_errors_all_rounds']}, Ricochet {ric['stream_errors_all_rounds']}.\n\n")
    md.write("## Every run\n\n| round | server | order | requests/s | server CPU µs/request | connections held idle / echo "
             "| p50 / p99 ms | errors | "
             "loadgen exit | RSS fresh / idle / busy / peak MiB | peak threads | stream MB/s in / out | "
             "stream server CPU cores |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
    for r in runs:
        e, s = r["echo"], r["stream"]
        lat = e["latency_corrected_ms"]
        md.write(f"| {r['round']} | {r['server']} | {r['position_in_round']} | {e['requests_per_second']:.0f} "
                 f"| {e['server_cpu_us_per_request']:.1f} | {fmt((r['idle']['server_connections_held'] or {}).get('min'))} "
                 f"/ {fmt((e['server_connections_held'] or {}).get('min'))} | {fmt(lat.get('p50'), '.2f')} / {fmt(lat.get('p99'), '.2f')} "
                 f"| {sum(e['errors'].values())} + {sum(s['errors'].values())} streaming "
                 f"| {r['idle']['exit_code']} / {e['exit_code']} / {s['exit_code']} "
                 f"| {fmt(r['server_rss_mib_fresh'], '.1f')} / {fmt(r['server_rss_mib_idle'], '.1f')} / "
                 f"{fmt(e['server_rss_mib_at_end'], '.1f')} / {fmt(r['server_rss_peak_mib'], '.1f')} "
                 f"| {r['server_threads_peak']} | {mbs(s['client_to_server_bytes_per_second'])} / "
                 f"{mbs(s['server_to_client_bytes_per_second'])} | {s['server_cpu_cores']:.2f} |\n")
    md.write("\nLoad generator exit codes: idle / echo / streaming (0: every reply right, no error).\n\n"
             "| round | iperf3 up MB/s | iperf3 down (-R) MB/s | iperf3 --bidir MB/s up / down |\n"
             "|---|---|---|---|\n")
    for cl in ceilings:
        get = lambda mode, way: cl[mode][way] if cl[mode] else None
        md.write(f"| {cl['round']} | {mbs(get('up', 'client_to_server_bytes_per_second'))} "
                 f"| {mbs(get('down', 'server_to_client_bytes_per_second'))} "
                 f"| {mbs(get('bidir', 'client_to_server_bytes_per_second'))} / "
                 f"{mbs(get('bidir', 'server_to_client_bytes_per_second'))} |\n")
print(open(f"{out}/c10k-vs-reference.md").read())
PY

# c10k-vs-reference.html: the same results as a page, its charts drawn from the JSON, then the Markdown.
write_page c10k-vs-reference "$RESULTS" c10k-vs-reference
write_headline
