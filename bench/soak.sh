#!/usr/bin/env bash
# Soak: DURATION seconds (default 1800) of open-loop echo load at CONNECTIONS connections
# (default 5000) and half the measured capacity, with the load generator restarted halfway
# (every connection closed and opened again). Every SAMPLE seconds (default 60): RSS, heap
# after a full GC (jcmd GC.run, then GC.heap_info: one forced collection per sample),
# Netty's direct memory, open file descriptors and connections. Reports errors of both
# halves and the slope of each memory series (least squares, MiB per hour), in
# bench/results/soak.md and .json. Not for CI. Loopback only; stops by itself.
#
# Usage: bench/soak.sh [DURATION=1800] [CONNECTIONS=5000] [RATE=half the measured capacity] [SAMPLE=60]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DURATION="${1:-1800}"
CONNECTIONS="${2:-5000}"
RATE="${3:-}"
SAMPLE="${4:-60}"
ECHO_PORT=19690
PRIME_PORT=18670

if [[ "$(ulimit -n)" -lt $((CONNECTIONS * 2 + 1000)) ]]; then
    echo "soak: open-file limit $(ulimit -n) is below $((CONNECTIONS * 2 + 1000)); raise it (ulimit -n)" >&2
    exit 2
fi

# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_setup
JCMD="$(dirname "$JAVA")/jcmd"
WORK="$(mktemp -d)"
trap 'kill "${SERVER:-}" "${SAMPLER:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

# Leak detection on (the server turns it off unless asked), for the leak count reported below.
SERVER_JVM_OPTS="-Xms256m -Xmx1g -XX:MaxDirectMemorySize=512m -Dio.netty.leakDetection.level=simple" start_server "$WORK/server.log" \
    --echo-port "$ECHO_PORT" --prime-port "$PRIME_PORT" --shutdown-delay 0s --shutdown-grace 5s
ADMIN_PORT="$(grep -o 'admin on 127.0.0.1:[0-9]*' "$WORK/server.log" | cut -d: -f2)"

loadgen() {
    local name="$1"; shift
    local rc=0
    "$JAVA" --enable-native-access=ALL-UNNAMED -Xmx1g -jar client-loadgen/target/ricochet-loadgen.jar \
        --target "127.0.0.1:$ECHO_PORT" --workload echo --connections "$CONNECTIONS" --message-size 32 \
        --timeout 10s --json "$WORK/$name.json" "$@" > "$WORK/$name.txt" 2> "$WORK/$name.progress" || rc=$?
    echo "$rc" > "$WORK/$name.rc"
}

if [[ -z "$RATE" ]]; then
    echo "$(date -u +%H:%M:%S) capacity: closed loop, $CONNECTIONS connections, 15s ..." >&2
    loadgen capacity --pipeline 1 --duration 15s --warmup 3s
    RATE="$(python3 -c 'import json, sys; print(int(json.load(open(sys.argv[1]))["requests_per_second"] / 2))' "$WORK/capacity.json")"
fi
echo "$(date -u +%H:%M:%S) soak: $CONNECTIONS connections at $RATE requests/s for ${DURATION}s, load generator restarted halfway ..." >&2

# Samples: epoch-seconds rss-KiB heap-after-gc-bytes direct-bytes fds connections
(while kill -0 "$SERVER" 2>/dev/null; do
    "$JCMD" "$SERVER" GC.run > /dev/null 2>&1 || true
    heap="$("$JCMD" "$SERVER" GC.heap_info 2>/dev/null | awk '/ total .*used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); print v * 1024; exit } }')"
    page="$(curl -s -m 5 "http://127.0.0.1:$ADMIN_PORT/metrics" || true)"
    direct="$(awk '/^netty_allocator_memory_used_bytes.*memory_type="direct"/ { print $2 }' <<< "$page")"
    conns="$(awk '/^ricochet_connections_active/ { s += $2 } END { print s + 0 }' <<< "$page")"
    echo "$(date +%s) $(awk '/VmRSS/ { print $2 }' "/proc/$SERVER/status") ${heap:-nan} ${direct:-nan} $(ls "/proc/$SERVER/fd" | wc -l) $conns"
    sleep "$SAMPLE"
done) > "$WORK/samples.txt" &
SAMPLER=$!

HALF=$((DURATION / 2))
loadgen first --rate "$RATE" --duration "${HALF}s" --warmup 2s
echo "$(date -u +%H:%M:%S) restarting the load generator ..." >&2
loadgen second --rate "$RATE" --duration "$((DURATION - HALF))s" --warmup 2s
sleep 1
kill "$SAMPLER" 2>/dev/null || true
stop_server
LEAKS="$(grep -c 'LEAK:' "$WORK/server.log" || true)"

python3 - "$WORK" bench/results "$STARTED" "$LOAD_BEFORE" "$RATE" "$LEAKS" "$*" <<'PY'
import json, sys
work, out, started, load, rate, leaks, args = sys.argv[1:]
rows = [l.split() for l in open(f"{work}/samples.txt") if len(l.split()) == 6]
t0 = int(rows[0][0]) if rows else 0
samples = [{"minute": round((int(r[0]) - t0) / 60, 2), "rss_mib": int(r[1]) / 1024,
            "heap_after_gc_mib": float(r[2]) / 2**20, "direct_mib": float(r[3]) / 2**20,
            "fds": int(r[4]), "connections": float(r[5])} for r in rows]
# From the first sample under load: the idle server before it says nothing about growth.
loaded = next((i for i, s in enumerate(samples) if s["connections"] > 0), 0)
def slope(key):
    pts = [(s["minute"] / 60, s[key]) for s in samples[loaded:] if s[key] == s[key]]
    if len(pts) < 2:
        return float("nan")
    n = len(pts); mx = sum(x for x, _ in pts) / n; my = sum(y for _, y in pts) / n
    den = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / den if den else float("nan")
halves = {}
for name in ("first", "second"):
    j = json.load(open(f"{work}/{name}.json")); j["exit_code"] = int(open(f"{work}/{name}.rc").read())
    halves[name] = j
result = {"started": started, "load_before": load, "rate": int(rate), "samples": samples, "leak_reports": int(leaks),
          "slope_mib_per_hour": {k: slope(k) for k in ("rss_mib", "heap_after_gc_mib", "direct_mib")}, **halves}
json.dump(result, open(f"{out}/soak.json", "w"), indent=2)
with open(f"{out}/soak.md", "w") as md:
    md.write("# Soak\n\n")
    md.write(f"{started}, 2 cores shared by server and load generator, load average before: {load}. Command: `bench/soak.sh {args}`; "
             f"{rate} requests/s (half the capacity measured just before, unless given), the load generator restarted halfway.\n\n")
    md.write("| half | requests | requests/s | corrected ms p50 / p99 / max | errors | reconnects | exit |\n|---|---|---|---|---|---|---|\n")
    for name, j in halves.items():
        c = j["latency_corrected_ms"]
        md.write(f"| {name} | {j['requests']} | {j['requests_per_second']:.0f} | {c['p50']:.2f} / {c['p99']:.2f} / {c['max']:.0f} "
                 f"| {sum(j['errors'].values())} | {j['connections']['reconnects']} | {j['exit_code']} |\n")
    s = result["slope_mib_per_hour"]
    md.write(f"\nSlope (least squares over the samples from the first under load; a forced full GC precedes each sample): RSS {s['rss_mib']:+.1f} MiB/h, heap after GC {s['heap_after_gc_mib']:+.2f} MiB/h, "
             f"direct memory {s['direct_mib']:+.1f} MiB/h. Leak reports in the server log: {leaks}.\n\n")
    md.write("| minute | RSS MiB | heap after GC MiB | direct MiB | fds | connections |\n|---|---|---|---|---|---|\n")
    for x in samples:
        md.write(f"| {x['minute']} | {x['rss_mib']:.0f} | {x['heap_after_gc_mib']:.1f} | {x['direct_mib']:.1f} | {x['fds']} | {x['connections']:.0f} |\n")
PY
cat bench/results/soak.md
