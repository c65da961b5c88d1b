#!/usr/bin/env bash
# Hostile mix: well-behaved clients while others attack. Two runs of the same well-behaved
# load, without and then with attackers (after a short unrecorded one that warms the server):
#   - ./ricochet loadgen: CONNECTIONS echo connections at RATE requests/s, open loop;
#   - ./ricochet loadgen: 20 prime connections, 200 requests/s, numbers 6d:90,12d:10;
#   - (second run only) bench/attackers.py for the measured time: resets mid-frame (300/s),
#     slowloris on every port, 100 slow readers streaming 64 KB frames, garbage (random bytes,
#     HTTP, TLS ClientHello, 1 MB of NULs, 10,000-digit numbers), oversized and unfinished
#     admin requests, and three waves of MAX_CONNECTIONS + 500 connections.
# Throughout: /health/ready every 100 ms (its worst time), RSS, direct memory and open file
# descriptors every second. Loopback only; everything stops by itself. Prints and writes
# bench/results/hostile-mix.md and .json.
#
# Usage: bench/hostile-mix.sh [DURATION=30] [CONNECTIONS=1000] [RATE=5000] [MAX_CONNECTIONS=2500]
#        LEAK_LEVEL=paranoid|advanced|simple (default advanced: paranoid halves capacity here)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DURATION="${1:-30}"
CONNECTIONS="${2:-1000}"
RATE="${3:-5000}"
MAX_CONNECTIONS="${4:-2500}"
WARMUP=3
ECHO_PORT=19590
PRIME_PORT=18570
MAX_DIRECT_MIB=256

# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_setup
WORK="$(mktemp -d)"
trap 'kill "${SERVER:-}" "${SAMPLER_PIDS[@]:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

SERVER_JVM_OPTS="-Xmx512m -XX:MaxDirectMemorySize=${MAX_DIRECT_MIB}m -Dio.netty.leakDetection.level=${LEAK_LEVEL:-advanced} ${EXTRA_SERVER_JVM_OPTS:-}" \
    start_server "$WORK/server.log" --echo-port "$ECHO_PORT" --prime-port "$PRIME_PORT" \
    --max-connections "$MAX_CONNECTIONS" --shutdown-delay 0s --shutdown-grace 5s
ADMIN_PORT="$(grep -o 'admin on 127.0.0.1:[0-9]*' "$WORK/server.log" | cut -d: -f2)"
FDS_START="$(ls "/proc/$SERVER/fd" | wc -l)"

# Samplers: readiness every 100 ms (curl's total time, or "fail"), resources every second.
SAMPLER_PIDS=()
(while kill -0 "$SERVER" 2>/dev/null; do
    t="$(curl -s -o /dev/null -m 1 -w '%{http_code} %{time_total}' "http://127.0.0.1:$ADMIN_PORT/health/ready" || true)"
    echo "${EPOCHREALTIME/./} ${t:-000 1}"
    sleep 0.1
done) > "$WORK/ready.txt" &
SAMPLER_PIDS+=($!)
(while kill -0 "$SERVER" 2>/dev/null; do
    direct="$(curl -s -m 2 "http://127.0.0.1:$ADMIN_PORT/metrics" \
        | awk '/^netty_allocator_memory_used_bytes.*memory_type="direct"/ { print $2 }' || true)"
    echo "${EPOCHREALTIME/./} $(awk '/VmRSS/ { print $2 }' "/proc/$SERVER/status") ${direct:-nan} $(ls "/proc/$SERVER/fd" | wc -l)"
    sleep 1
done) > "$WORK/resources.txt" &
SAMPLER_PIDS+=($!)

loadgen() {
    local name="$1"; shift
    local rc=0
    "$JAVA" --enable-native-access=ALL-UNNAMED -Xmx512m -jar client-loadgen/target/ricochet-loadgen.jar "$@" \
        --duration "${DURATION}s" --warmup "${WARMUP}s" --json "$WORK/$name.json" \
        > "$WORK/$name.txt" 2> "$WORK/$name.progress" || rc=$?
    echo "$rc" > "$WORK/$name.rc"
}

run() {
    local phase="$1"
    echo "$(date -u +%H:%M:%S) $phase: $CONNECTIONS echo connections at $RATE/s and 20 prime connections at 200/s for ${DURATION}s ..." >&2
    date +%s%3N > "$WORK/$phase.start"
    loadgen "$phase-echo" --target "127.0.0.1:$ECHO_PORT" --workload echo --connections "$CONNECTIONS" \
        --rate "$RATE" --message-size 32 --timeout 10s &
    local echo_pid=$!
    loadgen "$phase-prime" --target "127.0.0.1:$PRIME_PORT" --workload prime --connections 20 --rate 200 \
        --numbers 6d:90,12d:10 --timeout 10s &
    local prime_pid=$!
    if [[ "$phase" == attacked ]]; then
        # The well-behaved connect first (the flood would otherwise turn them away at the
        # limit, as it should); the attack then covers their warmup and measurement.
        for _ in $(seq 1 300); do
            active="$(curl -s -m 2 "http://127.0.0.1:$ADMIN_PORT/metrics" \
                | awk '/^ricochet_connections_active/ { s += $2 } END { print s + 0 }')"
            [[ "${active%.*}" -ge $((CONNECTIONS + 20)) ]] && break
            sleep 0.1
        done
        python3 bench/attackers.py 127.0.0.1 "$ECHO_PORT" "$PRIME_PORT" "$ADMIN_PORT" $((WARMUP + DURATION)) \
            "$MAX_CONNECTIONS" > "$WORK/attackers.txt" 2>&1 || echo "attackers exited $?" >> "$WORK/attackers.txt"
    fi
    wait "$echo_pid" "$prime_pid"
    date +%s%3N > "$WORK/$phase.end"
}

# A server in production has been running: warm its JIT with the same load first, so that
# the quiet run measures the server and not its first seconds of compilation (unrecorded).
DURATION=5 run warmup
sleep 1
run quiet
sleep 3
FDS_BETWEEN="$(ls "/proc/$SERVER/fd" | wc -l)"
run attacked
# Every attacker has stopped; what the server held for them must be gone.
sleep 5
FDS_AFTER="$(ls "/proc/$SERVER/fd" | wc -l)"
RSS_PEAK_KIB="$(awk '/VmHWM/ { print $2 }' "/proc/$SERVER/status")"
kill "${SAMPLER_PIDS[@]}" 2>/dev/null || true
stop_server
LEAKS="$(grep -c 'LEAK:' "$WORK/server.log" || true)"
grep -E 'WARN|ERROR' "$WORK/server.log" | cut -c1-220 > "$WORK/warnings.txt" || true

python3 - "$WORK" bench/results "$STARTED" "$LOAD_BEFORE" "$FDS_START" "$FDS_BETWEEN" "$FDS_AFTER" "$RSS_PEAK_KIB" \
    "$LEAKS" "$MAX_DIRECT_MIB" "$*" "${LEAK_LEVEL:-advanced}" <<'PY'
import json, sys
work, out, started, load, fds_start, fds_between, fds_after, rss_peak, leaks, max_direct, args, leak_level = sys.argv[1:]
def window(phase):
    return int(open(f"{work}/{phase}.start").read()) * 1000, int(open(f"{work}/{phase}.end").read()) * 1000
ready = [l.split() for l in open(f"{work}/ready.txt") if len(l.split()) == 3]
res = [l.split() for l in open(f"{work}/resources.txt") if len(l.split()) == 4]
result = {"started": started, "load_before": load, "fds_at_start": int(fds_start), "fds_between_runs": int(fds_between),
          "fds_after_attack": int(fds_after), "rss_peak_mib": int(rss_peak) // 1024, "leak_reports": int(leaks),
          "max_direct_memory_mib": int(max_direct), "leak_detection": leak_level}
for phase in ("quiet", "attacked"):
    lo, hi = window(phase)
    r = [(int(c), float(t), (int(ts) - lo) / 1e6) for ts, c, t in ready if lo <= int(ts) <= hi]
    m = [(int(rss), float(d), int(f)) for ts, rss, d, f in res if lo <= int(ts) <= hi]
    worst = max(r, key=lambda x: x[1], default=(0, float("nan"), float("nan")))
    p = {"ready_probes": len(r), "ready_not_200": sum(1 for c, _, _ in r if c != 200),
         "ready_worst_ms": round(worst[1] * 1000, 1), "ready_worst_at_s": round(worst[2], 1),
         "ready_over_100ms": sum(1 for _, t, _ in r if t > 0.1),
         "rss_peak_mib": max((x[0] for x in m), default=0) // 1024,
         "direct_peak_mib": round(max((x[1] for x in m if x[1] == x[1]), default=float("nan")) / 2**20, 1),
         "fds_peak": max((x[2] for x in m), default=0)}
    for kind in ("echo", "prime"):
        j = json.load(open(f"{work}/{phase}-{kind}.json"))
        j["exit_code"] = int(open(f"{work}/{phase}-{kind}.rc").read())
        p[kind] = j
    result[phase] = p
result["attackers"] = open(f"{work}/attackers.txt").read()
result["server_warnings"] = open(f"{work}/warnings.txt").read().splitlines()[-40:]
json.dump(result, open(f"{out}/hostile-mix.json", "w"), indent=2)
def lg(j):
    c = j["latency_corrected_ms"]
    return (f"{j['requests_per_second']:.0f}/s, corrected p50 {c['p50']:.2f} p99 {c['p99']:.2f} max {c['max']:.0f} ms, "
            f"errors {sum(j['errors'].values())} (mismatch {j['errors']['mismatch']}), shed {j['measured']['shed']}, "
            f"reconnects {j['connections']['reconnects']}, exit {j['exit_code']}")
with open(f"{out}/hostile-mix.md", "w") as md:
    md.write("# Hostile mix\n\n")
    md.write(f"{started}, 2 cores shared by the server, both load generators and the attackers (and other work on the machine), "
             f"load average before: {load}. Command: `bench/hostile-mix.sh {args}` (leak detection {leak_level}, "
             f"-XX:MaxDirectMemorySize={max_direct}m).\n\n")
    md.write("| | quiet | attacked |\n|---|---|---|\n")
    q, a = result["quiet"], result["attacked"]
    md.write(f"| echo (well-behaved) | {lg(q['echo'])} | {lg(a['echo'])} |\n")
    md.write(f"| prime (well-behaved) | {lg(q['prime'])} | {lg(a['prime'])} |\n")
    md.write(f"| /health/ready | {q['ready_probes']} probes, worst {q['ready_worst_ms']} ms ({q['ready_worst_at_s']} s in), {q['ready_over_100ms']} over 100 ms, {q['ready_not_200']} not 200 "
             f"| {a['ready_probes']} probes, worst {a['ready_worst_ms']} ms ({a['ready_worst_at_s']} s in), {a['ready_over_100ms']} over 100 ms, {a['ready_not_200']} not 200 |\n")
    md.write(f"| RSS peak (sampled) | {q['rss_peak_mib']} MiB | {a['rss_peak_mib']} MiB |\n")
    md.write(f"| direct memory peak (sampled) | {q['direct_peak_mib']} MiB | {a['direct_peak_mib']} MiB |\n")
    md.write(f"| open file descriptors peak | {q['fds_peak']} | {a['fds_peak']} |\n\n")
    md.write("Water-mark arithmetic for the slow readers: 100 x (64 KiB high-water mark + one read of at most 64 KiB) = 12.5 MiB "
             "of direct memory at most, on top of the well-behaved connections' buffers.\n\n")
    md.write(f"File descriptors: {fds_start} at start, {fds_between} between the runs, {fds_after} five seconds after the attackers stopped. "
             f"RSS high-water mark of the process: {int(rss_peak) // 1024} MiB. Leak reports in the server log: {leaks}.\n\n")
    md.write("Attackers (what each did):\n\n```\n" + result["attackers"] + "```\n\nServer warnings (last 40):\n\n```\n"
             + "\n".join(result["server_warnings"]) + "\n```\n")
PY
cat bench/results/hostile-mix.md
