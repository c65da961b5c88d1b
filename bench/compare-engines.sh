#!/usr/bin/env bash
# Concurrency models compared (issue 11): every server engine (`--engine`) under the same
# loads, loopback only, each run against a freshly started server:
#   1. echo, closed loop, one request outstanding per connection, at each of CONNECTIONS;
#   2. echo, open loop: OPEN_CONNECTIONS connections at OPEN_RATE requests/s in total, a load
#      that every engine serving its connections at once keeps up with;
#   2b. echo, closed loop over TLS, at each of TLS_CONNECTIONS (default 1000; empty: none): the
#      same load, each server with --tls-cert/--tls-key (a certificate made with openssl in the
#      script's temporary folder) and the load generator with --tls --tls-ca; the handshakes are
#      in the connect phase, before the measurement, so this is the cost of TLS on held
#      connections, in each concurrency model (netty: OpenSSL when it loads; the blocking
#      engines: the JDK's JSSE sockets);
#   3. mixed prime load: PRIME_CONNECTIONS closed-loop connections sending PRIME_NUMBERS
#      (mostly cheap numbers, a few heavy ones) while a second load generator sends echo
#      requests at PROBE_RATE over PROBE_CONNECTIONS and times them: does heavy work hold up
#      everything else?
# Per run: requests/s, corrected p50 / p99 / p99.9, errors by kind, the server's CPU per
# request over the load generator's measurement window, its peak RSS (VmHWM of the fresh
# process) and its peak thread count (sampled every 100 ms), and what its /metrics says about
# connections. Every run is bounded: the load generator by its own --timeout and by `timeout`
# around it, the server's start and stop by hard limits. An engine that cannot hold a load
# shows up as errors (timeouts, refused connects) and exit codes in the figures, never as a
# hung script. Writes bench/results/engines.json and engines.md, and draws the charts
# (bench-report/) next to them, and engines.html, the page of them all.
#
# Usage: [ENGINES="netty sequential ..."] [CONNECTIONS="100 1000 5000"] [TLS_CONNECTIONS=1000] [DURATION=20s] [WARMUP=5s]
#        [TIMEOUT=2s] [OPEN_CONNECTIONS=100] [OPEN_RATE=2000] [PRIME_CONNECTIONS=50]
#        [PRIME_NUMBERS=6d:999,17d:1] [PROBE_CONNECTIONS=10] [PROBE_RATE=100] [POOL_THREADS=] [POOL_QUEUE=]
#        [SERVER_JVM_OPTS=-Xmx1g] [LOADGEN_JVM_OPTS=-Xmx1g] bench/compare-engines.sh
# A smoke run: ENGINES=netty CONNECTIONS="100 1000" TLS_CONNECTIONS=100 DURATION=5s WARMUP=1s bench/compare-engines.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

read -r -a ENGINE_LIST <<< "${ENGINES:-netty sequential thread-per-connection thread-pool virtual-threads}"
read -r -a CONNECTION_COUNTS <<< "${CONNECTIONS:-100 1000 5000}"
read -r -a TLS_CONNECTION_COUNTS <<< "${TLS_CONNECTIONS-1000}"
DURATION="${DURATION:-20s}"
WARMUP="${WARMUP:-5s}"
# Each request's (and each connect's and greeting's) limit in the load generator: short, so
# that an engine that leaves connections waiting shows it as timeouts within the run.
TIMEOUT="${TIMEOUT:-2s}"
OPEN_CONNECTIONS="${OPEN_CONNECTIONS:-100}"
OPEN_RATE="${OPEN_RATE:-2000}"
PRIME_CONNECTIONS="${PRIME_CONNECTIONS:-50}"
# One request in 1,000 has 17 digits: most of those are cheap composites, but a 17-digit prime
# costs about 0.3 s of trial division, long enough to show what it holds up. One in 100 kept
# both offload workers of 2 cores busy (timeouts even on netty); 19 digits cost seconds each.
PRIME_NUMBERS="${PRIME_NUMBERS:-6d:999,17d:1}"
PROBE_CONNECTIONS="${PROBE_CONNECTIONS:-10}"
PROBE_RATE="${PROBE_RATE:-100}"
# thread-pool's --threads and --pool-queue; empty: the server's defaults
POOL_THREADS="${POOL_THREADS:-}"
POOL_QUEUE="${POOL_QUEUE:-}"
SERVER_JVM_OPTS="${SERVER_JVM_OPTS:--Xmx1g}"
LOADGEN_JVM_OPTS="${LOADGEN_JVM_OPTS:--Xmx1g}"
ECHO_PORT=19890
PRIME_PORT=18870
CONNECT_RATE=5000 # the load generator's default, stated for the time bound below
STOP_LIMIT=10     # seconds a server may take to stop after SIGTERM before it is killed
RESULTS=bench/results
REPORT_JAR=bench-report/target/ricochet-bench-report.jar

# Every server option has a RICOCHET_* variable: runs must differ only in what this script
# passes (RICOCHET_ENGINE would override nothing, but a blocking engine refuses RICOCHET_IO_THREADS).
while read -r variable; do unset "$variable"; done < <(compgen -v RICOCHET_ || true)

# A bare number of seconds is accepted, as the load generator wants a unit.
[[ "$DURATION" =~ ^[0-9]+$ ]] && DURATION+=s
[[ "$WARMUP" =~ ^[0-9]+$ ]] && WARMUP+=s
[[ "$TIMEOUT" =~ ^[0-9]+$ ]] && TIMEOUT+=s

# shellcheck source=bench/lib.sh
source bench/lib.sh

for duration in "$DURATION" "$WARMUP" "$TIMEOUT"; do seconds_of "$duration" > /dev/null; done

# loadgen_limit CONNECTIONS: seconds after which a load generator run is stopped from outside:
# its connect phase (pacing, then a connect and a greeting timeout), warmup and measurement,
# plus room for the JVM, drawing the numbers and the report. Its own timeouts end it sooner.
loadgen_limit() {
    echo $(( ($1 + CONNECT_RATE - 1) / CONNECT_RATE + 2 * $(seconds_of "$TIMEOUT") \
        + $(seconds_of "$WARMUP") + $(seconds_of "$DURATION") + 30 ))
}

largest_connections() {
    printf '%s\n' "${CONNECTION_COUNTS[@]}" "${TLS_CONNECTION_COUNTS[@]}" "$OPEN_CONNECTIONS" "$((PRIME_CONNECTIONS + PROBE_CONNECTIONS))" \
        | sort -n | tail -n 1
}

if [[ "$(ulimit -n)" -lt $(( $(largest_connections) + 1000 )) ]]; then
    echo "compare-engines: open-file limit $(ulimit -n) is below $(( $(largest_connections) + 1000 )); lower CONNECTIONS" >&2
    exit 2
fi

bench_setup
if [[ ! -f "$REPORT_JAR" ]]; then
    echo "compare-engines: $REPORT_JAR is missing after the build (is bench-report in the root pom's modules?)" >&2
    exit 1
fi
WORK="$(mktemp -d)"
trap 'kill "${SERVER:-}" "${SAMPLER:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
SERVER_OPTIONS=(--echo-port "$ECHO_PORT" --prime-port "$PRIME_PORT" --shutdown-delay 0s --shutdown-grace 1s
    --prime-cache-size 0) # every prime request computed: the pool of numbers is small enough to cache
if ((${#TLS_CONNECTION_COUNTS[@]})); then
    make_certificates # sets CA
    TLS_SERVER_OPTIONS=(--tls-cert "$WORK/pki/first.pem" --tls-key "$WORK/pki/first-key.pem")
fi

# engine_options ENGINE: sets ENGINE_OPTIONS, the server options that choose it.
engine_options() {
    ENGINE_OPTIONS=(--engine "$1")
    if [[ "$1" == thread-pool && -n "$POOL_THREADS" ]]; then ENGINE_OPTIONS+=(--threads "$POOL_THREADS"); fi
    if [[ "$1" == thread-pool && -n "$POOL_QUEUE" ]]; then ENGINE_OPTIONS+=(--pool-queue "$POOL_QUEUE"); fi
}

# run_loadgen NAME LIMIT-SECONDS [LOADGEN OPTIONS...]: one load generator run; its exit code
# (1 when it counted errors, 124 or 137 when `timeout` ended it) goes to NAME.rc, not to set -e.
run_loadgen() {
    local name="$1" limit="$2"; shift 2
    local rc=0
    # shellcheck disable=SC2086  # LOADGEN_JVM_OPTS is a list of options
    timeout --kill-after=5s "$limit" "$JAVA" --enable-native-access=ALL-UNNAMED $LOADGEN_JVM_OPTS \
        -jar client-loadgen/target/ricochet-loadgen.jar "$@" --duration "$DURATION" --warmup "$WARMUP" \
        --timeout "$TIMEOUT" --connect-timeout "$TIMEOUT" --json "$WORK/$name.json" \
        > "$WORK/$name.txt" 2> "$WORK/$name.progress" || rc=$?
    echo "$rc" > "$WORK/$name.rc"
}

# scrape_metrics LOG FILE: the server's /metrics page into FILE (empty when it does not answer),
# from the admin port its Listening line names.
scrape_metrics() {
    local port
    port="$(grep -o 'admin on [0-9.]*:[0-9]*' "$1" | head -n 1 | cut -d: -f2 || true)"
    : > "$2"
    if [[ -n "$port" ]]; then curl -s -m 2 "http://127.0.0.1:$port/metrics" > "$2" || true; fi
}

# record_run NAME ENGINE SCENARIO CONNECTIONS STARTED [RSS THREADS STOPPED-BY CPU]: writes NAME.run.json.
record_run() {
    python3 - "$WORK" "$@" <<'PY'
import json, os, re, sys
work, name, engine, scenario, connections, started, *server = sys.argv[1:]
rss, threads, stopped_by, cpu = (server + [""] * 4)[:4]

def number(text, kind=float):
    return kind(text) if text else None

def loadgen(run):
    """The figures of one load generator run, or their absence when it wrote no report."""
    rc_path, report_path = f"{work}/{run}.rc", f"{work}/{run}.json"
    rc = int(open(rc_path).read()) if os.path.exists(rc_path) else None
    report = None
    if os.path.exists(report_path) and os.path.getsize(report_path) > 0:
        try:
            report = json.load(open(report_path))
        except ValueError:
            pass  # cut short while writing: counts as no report
    figures = {"loadgen_exit_code": rc, "loadgen_timed_out": rc in (124, 137)}
    if report is None:
        return figures | {"requests": None, "requests_per_second": None, "latency_ms": None, "errors": None,
                          "errors_total": None, "loadgen_report": None}
    latency = report["latency_corrected_ms"]
    return figures | {
        "requests": report["requests"],
        "requests_per_second": report["requests_per_second"],
        "planned_requests_per_second": report["planned_requests_per_second"],
        "achieved_ratio": report["achieved_ratio"],
        "latency_ms": {p: latency.get(p) for p in ("p50", "p99", "p99.9", "max")},
        "errors": report["errors"],
        "errors_total": sum(report["errors"].values()),
        "error_rate": report["error_rate"],
        "shed": report["whole_run"]["shed"],
        "unanswered_at_end": report["measured"]["unanswered_at_end"],
        "connections_established": report["connections_established"],
        "connections_open_at_end": report["connections_open_at_end"],
        "connect_failures": report["connections"]["connect_failures"],
        "connections_lost": report["connections"]["lost"],
        "loadgen_report": report,  # every figure the load generator gave
    }

def server_metrics():
    """The engine label and the connection counters of the server's /metrics, when it answered:
    accepted, closed by reason, and refused by a full thread pool."""
    path = f"{work}/{name}.metrics"
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return None
    engines, closed, handshakes, totals = set(), {}, {}, {"ricochet_connections_accepted_total": 0.0,
                                          "ricochet_thread_pool_refused_total": None}
    for line in open(path):
        m = re.match(r'(ricochet_\w+)(?:\{(.*)\})? (\S+)', line)
        if not m:
            continue
        metric, labels, value = m.group(1), dict(re.findall(r'(\w+)="([^"]*)"', m.group(2) or "")), float(m.group(3))
        if "engine" in labels:
            engines.add(labels["engine"])
        if metric == "ricochet_connections_closed_total":
            closed[labels.get("reason", "")] = closed.get(labels.get("reason", ""), 0) + value
        elif metric == "ricochet_tls_handshakes_total":
            handshakes[labels.get("result", "")] = handshakes.get(labels.get("result", ""), 0) + value
        elif metric in totals:
            totals[metric] = (totals[metric] or 0) + value
    return {"engine_label": sorted(engines), "connections_accepted": totals["ricochet_connections_accepted_total"],
            "connections_closed_by_reason": closed, "tls_handshakes_by_result": handshakes,
            "thread_pool_refused": totals["ricochet_thread_pool_refused_total"]}

run = {"engine": engine, "scenario": scenario, "connections": int(connections), "server_started": started == "1"}
if started != "1":
    log = open(f"{work}/{name}.log", errors="replace").read().splitlines()
    run["server_start_failure"] = " / ".join(log[-3:]) or "no output"
run |= loadgen(name)
cpu = number(cpu)
run |= {
    "server_cpu_seconds": cpu,
    "server_cpu_us_per_request": cpu * 1e6 / run["requests"] if cpu is not None and run["requests"] else None,
    "server_rss_peak_mib": number(rss),
    "server_threads_peak": number(threads, int),
    "server_stopped_by": stopped_by or None,
    "server_metrics": server_metrics(),
    "echo_probe": loadgen(f"{name}-probe") if scenario == "prime_mixed" and started == "1" else None,
}
json.dump(run, open(f"{work}/{name}.run.json", "w"), indent=2)
def show(r):
    lat = r["latency_ms"] or {}
    return (f"{r['requests_per_second'] or 0:9.0f} req/s  p99 {lat.get('p99') or float('nan'):8.2f} ms  "
            f"errors {r['errors_total'] if r['errors_total'] is not None else 'no report'}  exit {r['loadgen_exit_code']}")
print(f"  {engine} {scenario} {connections}: " + (show(run) if started == "1" else "did not start: " + run["server_start_failure"])
      + (f"  | echo probe {show(run['echo_probe'])}" if run["echo_probe"] else ""), file=sys.stderr)
PY
}

# measure NAME ENGINE SCENARIO CONNECTIONS [LOADGEN OPTIONS...]: one run against a fresh server;
# the prime_mixed scenario runs the echo probe beside the main load.
measure() {
    local name="$1" engine="$2" scenario="$3" connections="$4"; shift 4
    local limit rss threads cpu probe
    echo "$(date -u +%H:%M:%S) $engine, $scenario, $connections connections ..." >&2
    engine_options "$engine"
    local security=()
    if [[ "$scenario" == *_tls ]]; then security=("${TLS_SERVER_OPTIONS[@]}"); fi
    if ! try_start_server "$WORK/$name.log" "${ENGINE_OPTIONS[@]}" "${SERVER_OPTIONS[@]}" "${security[@]}"; then
        record_run "$name" "$engine" "$scenario" "$connections" 0
        return 0
    fi
    sample_server_cpu "$WORK/$name.cpu"
    limit="$(loadgen_limit "$connections")"
    if [[ "$scenario" == prime_mixed ]]; then
        run_loadgen "$name-probe" "$limit" --target "127.0.0.1:$ECHO_PORT" --workload echo \
            --connections "$PROBE_CONNECTIONS" --rate "$PROBE_RATE" &
        probe=$!
        run_loadgen "$name" "$limit" "$@"
        wait "$probe" || true
    else
        run_loadgen "$name" "$limit" "$@"
    fi
    sleep 0.2 # one more CPU sample after the window
    scrape_metrics "$WORK/$name.log" "$WORK/$name.metrics"
    rss="$(server_peak_rss_mib)" # before the stop: a fresh server's high-water mark is this run's
    stop_server_within "$STOP_LIMIT"
    wait "$SAMPLER" 2>/dev/null || true
    threads="$(peak_server_threads "$WORK/$name.cpu")"
    cpu="$(server_cpu_over_report "$WORK/$name.cpu" "$WORK/$name.json" || true)"
    record_run "$name" "$engine" "$scenario" "$connections" 1 "$rss" "$threads" "$STOPPED_BY" "$cpu"
    sleep 1 # let the closed connections of this run go before the next server starts
}

RUNS=()
for engine in "${ENGINE_LIST[@]}"; do
    for connections in "${CONNECTION_COUNTS[@]}"; do
        measure "$engine-closed-$connections" "$engine" echo_closed_loop "$connections" \
            --target "127.0.0.1:$ECHO_PORT" --workload echo --connections "$connections" --pipeline 1
        RUNS+=("$engine-closed-$connections")
    done
    for connections in "${TLS_CONNECTION_COUNTS[@]}"; do
        measure "$engine-tls-$connections" "$engine" echo_closed_loop_tls "$connections" \
            --target "127.0.0.1:$ECHO_PORT" --workload echo --connections "$connections" --pipeline 1 \
            --tls --tls-ca "$CA"
        RUNS+=("$engine-tls-$connections")
    done
    measure "$engine-open" "$engine" echo_open_loop "$OPEN_CONNECTIONS" \
        --target "127.0.0.1:$ECHO_PORT" --workload echo --connections "$OPEN_CONNECTIONS" --rate "$OPEN_RATE"
    RUNS+=("$engine-open")
    measure "$engine-prime" "$engine" prime_mixed "$PRIME_CONNECTIONS" \
        --target "127.0.0.1:$PRIME_PORT" --workload prime --connections "$PRIME_CONNECTIONS" --pipeline 1 \
        --numbers "$PRIME_NUMBERS"
    RUNS+=("$engine-prime")
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# engines.json: every figure, the machine's load and every option.
export DURATION WARMUP TIMEOUT OPEN_CONNECTIONS OPEN_RATE PRIME_CONNECTIONS PRIME_NUMBERS PROBE_CONNECTIONS \
    PROBE_RATE POOL_THREADS POOL_QUEUE SERVER_JVM_OPTS LOADGEN_JVM_OPTS
ENGINES_RUN="${ENGINE_LIST[*]}" CONNECTIONS_RUN="${CONNECTION_COUNTS[*]}" TLS_CONNECTIONS_RUN="${TLS_CONNECTION_COUNTS[*]}" \
    SERVER_OPTIONS_RUN="${SERVER_OPTIONS[*]}" \
python3 - "$WORK" "$RESULTS/engines.json" "$STARTED" "$(date -u +%Y-%m-%dT%H:%MZ)" "$LOAD_BEFORE" "$LOAD_AFTER" \
    "$(nproc)" "$("$JAVA" -version 2>&1 | head -n 1)" "${RUNS[@]}" <<'PY'
import json, os, sys
work, out, started, finished, load_before, load_after, cores, java, *runs = sys.argv[1:]
env = os.environ
options = {
    "engines": env["ENGINES_RUN"].split(), "connections": [int(c) for c in env["CONNECTIONS_RUN"].split()],
    "tls_connections": [int(c) for c in env["TLS_CONNECTIONS_RUN"].split()],
    "duration": env["DURATION"], "warmup": env["WARMUP"], "timeout": env["TIMEOUT"],
    "open_connections": int(env["OPEN_CONNECTIONS"]), "open_rate": float(env["OPEN_RATE"]),
    "prime_connections": int(env["PRIME_CONNECTIONS"]), "prime_numbers": env["PRIME_NUMBERS"],
    "probe_connections": int(env["PROBE_CONNECTIONS"]), "probe_rate": float(env["PROBE_RATE"]),
    "pool_threads": int(env["POOL_THREADS"]) if env["POOL_THREADS"] else None,
    "pool_queue": int(env["POOL_QUEUE"]) if env["POOL_QUEUE"] else None,
    "server_options": env["SERVER_OPTIONS_RUN"], "server_jvm_options": env["SERVER_JVM_OPTS"],
    "loadgen_jvm_options": env["LOADGEN_JVM_OPTS"],
}
json.dump({"started": started, "finished": finished, "load_before": load_before, "load_after": load_after,
           "machine": {"cores": int(cores), "java": java}, "options": options, "engines": options["engines"],
           "runs": [json.load(open(f"{work}/{name}.run.json")) for name in runs]},
          open(out, "w"), indent=2)
PY

# The charts, drawn from engines.json; a failure here leaves the figures and says so.
CHARTS="$WORK/charts.txt"
if ! "$JAVA" -Djava.awt.headless=true -jar "$REPORT_JAR" "$RESULTS/engines.json" "$RESULTS" > "$CHARTS"; then
    echo "compare-engines: the charts could not be drawn (see above); engines.json and engines.md are written" >&2
    : > "$CHARTS"
fi

# engines.md: the tables, and the charts that were drawn.
python3 - "$RESULTS" "$CHARTS" <<'PY'
import json, os, sys
out, charts = sys.argv[1:]
data = json.load(open(f"{out}/engines.json"))
o = data["options"]

def lat(r):
    l = r.get("latency_ms") or {}
    return " / ".join("-" if l.get(p) is None else f"{l[p]:.2f}" for p in ("p50", "p99", "p99.9"))

def errors(r):
    """The load generator's errors by kind, and the connections a full thread pool refused."""
    if r.get("errors") is None:
        return "no report"
    kinds = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in r["errors"].items() if v) or "0"
    metrics = r.get("server_metrics") or {}
    refused = metrics.get("thread_pool_refused")
    failed = ", ".join(f"{k.replace('_', ' ')} {v:.0f}" for k, v in (metrics.get("tls_handshakes_by_result") or {}).items()
                       if v and k != "success")
    return (kinds + (f" (server: {refused:.0f} refused by the pool)" if refused else "")
            + (f" (server: handshakes failed: {failed})" if failed else ""))

def figure(value, fmt):
    return "-" if value is None else format(value, fmt)

def outcome(r):
    text = "timed out" if r["loadgen_timed_out"] else str(r["loadgen_exit_code"])
    stop = {"sigkill": ", server killed after the stop limit", "exited": ", server exited during the run"}
    return text + stop.get(r.get("server_stopped_by"), "")

def rate(r):
    """Requests/s, and in open loop the share of the plan answered."""
    ratio = r.get("achieved_ratio")
    return figure(r["requests_per_second"], ",.0f") + ("" if ratio is None else f" ({ratio:.0%})")

def server(r):
    return (f"{figure(r['server_cpu_us_per_request'], '.1f')} | {figure(r['server_rss_peak_mib'], '.0f')} "
            f"| {figure(r['server_threads_peak'], 'd')}")

def row(r, first):
    if not r["server_started"]:
        return f"| {first} | did not start: {r['server_start_failure'][:160]} |"
    return f"| {first} | {rate(r)} | {lat(r)} | {errors(r)} | {server(r)} | {outcome(r)} |"

runs = data["runs"]
by = lambda scenario: [r for r in runs if r["scenario"] == scenario]
with open(f"{out}/engines.md", "w") as md:
    md.write("# Concurrency models compared\n\n")
    md.write(f"{data['started']} to {data['finished']}, {data['machine']['cores']} cores shared by the server and the "
             f"load generators, load average before: {data['load_before']}, after: {data['load_after']}; "
             f"{data['machine']['java']}.\n")
    md.write(f"Command: `ENGINES=\"{' '.join(o['engines'])}\" CONNECTIONS=\"{' '.join(map(str, o['connections']))}\" "
             f"TLS_CONNECTIONS=\"{' '.join(map(str, o.get('tls_connections', [])))}\" "
             f"DURATION={o['duration']} WARMUP={o['warmup']} bench/compare-engines.sh` (every option in engines.json). "
             f"Each run against a freshly started server (`{o['server_options']}`, JVM `{o['server_jvm_options']}`), "
             f"measured for {o['duration']} after a {o['warmup']} warmup, the load generator's timeout {o['timeout']}.\n\n")
    md.write("Latency in ms, corrected for coordinated omission (open loop: from the planned send time), p50 / p99 / "
             "p99.9. Errors over the whole run, by kind. Server CPU per request over the load generator's measurement "
             "window; peak RSS is the fresh server's VmHWM; peak threads the most seen in samples every 100 ms. "
             "Exit: the load generator's (1: it counted errors or fell behind its plan; timed out: stopped from outside).\n\n")
    columns = "| p50 / p99 / p99.9 ms | errors | server CPU us/request | peak RSS MiB | peak threads | exit |\n"
    rule = "|---|---|---|---|---|---|---|---|\n"
    md.write("## Echo, closed loop (one request outstanding per connection)\n\n"
             "| engine, connections | requests/s " + columns + rule)
    for r in by("echo_closed_loop"):
        md.write(row(r, f"{r['engine']}, {r['connections']:,}") + "\n")
    tls_runs = by("echo_closed_loop_tls")
    if tls_runs:
        plaintext = {(r["engine"], r["connections"]): r for r in by("echo_closed_loop")}

        def versus(r):
            """Server CPU per request over TLS against the plaintext run of the same engine and connections."""
            p = plaintext.get((r["engine"], r["connections"]))
            if not p or not p.get("server_cpu_us_per_request") or r.get("server_cpu_us_per_request") is None:
                return "-"
            return f"{r['server_cpu_us_per_request'] / p['server_cpu_us_per_request']:.2f}x"

        md.write("\n## Echo, closed loop over TLS (one request outstanding per connection)\n\n"
                 "The same load over TLS: netty with its provider (OpenSSL when it loads), the blocking engines on the "
                 "JDK's JSSE sockets, the handshake on each connection's own thread. The handshakes happen in the "
                 "connect phase, before the measurement: these are the costs of TLS on held connections. Last column: "
                 "server CPU per request against the plaintext run of the same engine and connections, when there is one.\n\n"
                 "| engine, connections | requests/s " + columns.rstrip("\n") + " CPU vs plaintext |\n"
                 + rule.rstrip("\n") + "---|\n")
        for r in tls_runs:
            line = row(r, f"{r['engine']}, {r['connections']:,}")
            md.write(line + (f" {versus(r)} |" if r["server_started"] else "") + "\n")
    md.write(f"\n## Echo, open loop: {o['open_connections']:,} connections at {o['open_rate']:,.0f} requests/s\n\n"
             "| engine | requests/s (share of the plan) " + columns + rule)
    for r in by("echo_open_loop"):
        md.write(row(r, r["engine"]) + "\n")
    md.write(f"\n## Mixed prime load: {o['prime_connections']} connections, closed loop, numbers `{o['prime_numbers']}`, "
             f"beside an echo probe of {o['probe_connections']} connections at {o['probe_rate']:,.0f} requests/s\n\n"
             "Server CPU per prime request (the probe's requests are a small share of the work).\n\n"
             "| engine | prime requests/s | prime p50 / p99 / p99.9 ms | prime errors | echo probe p50 / p99 / p99.9 ms "
             "| echo probe errors | server CPU us/request | peak RSS MiB | peak threads | exit (prime, probe) |\n"
             "|---|---|---|---|---|---|---|---|---|---|\n")
    for r in by("prime_mixed"):
        if not r["server_started"]:
            md.write(row(r, r["engine"]) + "\n")
            continue
        p = r["echo_probe"]
        md.write(f"| {r['engine']} | {figure(r['requests_per_second'], ',.0f')} | {lat(r)} | {errors(r)} | {lat(p)} "
                 f"| {errors(p)} | {server(r)} | {outcome(r)}, {outcome(p)} |\n")
    drawn = [os.path.basename(line.strip()) for line in open(charts) if line.strip()]
    md.write("\n## Charts\n\n" + ("".join(f"![{name}]({name})\n\n" for name in drawn) or "None drawn (see the script's output).\n"))
print(open(f"{out}/engines.md").read())
PY

# engines.html: the same results as a page, its charts drawn from engines.json, then engines.md.
write_page engines "$RESULTS" engines
