#!/usr/bin/env bash
# C100K on one host (issue 25): 100,000 concurrent echo connections, every reply verified,
# over REPLICAS server processes sharing the echo port (--reuse-port) and SHARDS load-generator
# processes (--shard I/N) whose reports `ricochet loadgen merge` adds up. One process may hold
# 20,000 open files here, hence several of each; one source address has about 28,000
# ephemeral ports, hence --source-addresses over SOURCES. Three phases:
#   1. connect and hold: idle connections, the time until every replica together holds
#      CONNECTIONS, and the memory per connection of each replica (RSS held - RSS fresh);
#   2. open loop: RATE echo requests/s over all of them (0.2 per connection by default), the
#      merged corrected p99;
#   3. the same, while the replicas are replaced one by one (start the new one with
#      --reuse-port, SIGTERM the old: it drains, and its clients reconnect to the others),
#      with net.ipv4.tcp_migrate_req=1 (docs/operations.md, "Replicas on one port"): refused
#      connects, lost replies, and connections the drains closed, counted apart.
# Also reported: how evenly the kernel spread the connections over the replicas (each one's
# ricochet_connections_active). Loopback only; every process stops by itself. Writes
# bench/results/c100k.md and c100k.json.
#
# Usage: [CONNECTIONS=100000] [REPLICAS=7] [SHARDS=6] [RATE=20000] [SOURCES=127.0.0.1-127.0.0.16]
#        [CONNECT_RATE=1000 per shard] [HOLD=20s] [WARMUP=10s] [DURATION=30s] [LEAD=seconds]
#        bench/c100k.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

CONNECTIONS="${CONNECTIONS:-100000}"
REPLICAS="${REPLICAS:-7}"
SHARDS="${SHARDS:-6}"
RATE="${RATE:-20000}"
SOURCES="${SOURCES:-127.0.0.1-127.0.0.16}"
CONNECT_RATE="${CONNECT_RATE:-1000}"
HOLD="${HOLD:-20s}"
WARMUP="${WARMUP:-10s}"
DURATION="${DURATION:-30s}"
ECHO_PORT=19790
PRIME_PORT=19791
LOADGEN_HEAP="${LOADGEN_HEAP:-1g}"
# Seconds from launching the shards to their common start: JVMs starting and connecting
# CONNECTIONS / SHARDS each at CONNECT_RATE on a busy machine (where a connect phase takes
# about twice as long as its pace), then the warmup, which must not overlap a connect phase.
LEAD="${LEAD:-$((30 + 2 * CONNECTIONS / SHARDS / CONNECT_RATE + ${WARMUP%s}))}"

per_process=$(( (CONNECTIONS + SHARDS - 1) / SHARDS ))
if (( per_process + 500 > $(ulimit -n) )); then
    echo "c100k: $per_process connections per shard do not fit the open-file limit $(ulimit -n): raise SHARDS" >&2
    exit 2
fi
if (( CONNECTIONS * 13 / (REPLICAS * 10) + 500 > $(ulimit -n) )); then
    echo "c100k: $REPLICAS replicas leave no room, after a replica's clients reconnect to the others, under the" \
        "open-file limit $(ulimit -n): raise REPLICAS" >&2
    exit 2
fi

# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_setup
WORK="$(mktemp -d)"
MIGRATE_FILE=/proc/sys/net/ipv4/tcp_migrate_req
ORIGINAL_MIGRATE="$(cat "$MIGRATE_FILE" 2>/dev/null || echo unknown)"
declare -A ADMIN=()      # replica pid -> admin port
declare -A FRESH_RSS=()  # replica pid -> RSS (KiB) once it listens, before any connection
LOADGENS=()
cleanup() {
    for pid in "${!ADMIN[@]}" "${LOADGENS[@]}" "${CPU_SAMPLER:-}"; do kill -KILL "$pid" 2>/dev/null || true; done
    [[ "$ORIGINAL_MIGRATE" != unknown ]] && echo "$ORIGINAL_MIGRATE" > "$MIGRATE_FILE" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
echo 1 > "$MIGRATE_FILE" 2>/dev/null || echo "c100k: cannot set $MIGRATE_FILE (not root?): it stays $ORIGINAL_MIGRATE" >&2

REPLICA_COUNT=0
# replica: starts one more replica on the shared ports; sets SERVER to its pid.
replica() {
    REPLICA_COUNT=$((REPLICA_COUNT + 1))
    local log="$WORK/replica-$REPLICA_COUNT.log"
    start_server "$log" --reuse-port --echo-port "$ECHO_PORT" --prime-port "$PRIME_PORT" \
        --shutdown-delay 1s --shutdown-grace 10s
    ADMIN[$SERVER]="$(grep -o 'admin on [0-9.]*:[0-9]*' "$log" | head -n 1 | cut -d: -f2)"
    FRESH_RSS[$SERVER]="$(awk '/^VmRSS/ { print $2 }' "/proc/$SERVER/status")"
}

# active PID: the replica's open connections, as its metrics say.
active() {
    curl -fsS "http://127.0.0.1:${ADMIN[$1]}/metrics" | awk '/^ricochet_connections_active/ { n += $2 } END { print n + 0 }'
}

# spread FILE: one line per replica: pid, open connections, RSS KiB, fresh RSS KiB.
spread() {
    local pid
    for pid in "${!ADMIN[@]}"; do
        echo "$pid $(active "$pid") $(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status") ${FRESH_RSS[$pid]}"
    done > "$1"
}

total_active() {
    local pid total=0
    for pid in "${!ADMIN[@]}"; do total=$((total + $(active "$pid"))); done
    echo "$total"
}

# shards NAME [LOADGEN OPTIONS...]: runs the SHARDS load generators of one run, started
# together with one --start-at (their logs in WORK/NAME-I.log), in the background; LOADGENS
# holds their pids.
shards() {
    local name="$1" i start_at
    shift
    start_at="$(date -u -d "+$LEAD sec" +%FT%TZ)"
    LOADGENS=()
    for ((i = 0; i < SHARDS; i++)); do
        JAVA_OPTS="-Xmx$LOADGEN_HEAP" RICOCHET_NO_BUILD=1 ./ricochet loadgen --target "127.0.0.1:$ECHO_PORT" \
            --connections "$CONNECTIONS" --connect-rate "$CONNECT_RATE" --source-addresses "$SOURCES" \
            --connect-timeout 30s --io-threads 1 --shard "$i/$SHARDS" --start-at "$start_at" --json - "$@" \
            > "$WORK/$name-$i.log" 2>&1 &
        LOADGENS+=($!)
    done
}

# merge NAME: waits for the shards, then merges their logs into WORK/NAME.json (and .txt).
merge() {
    local pid
    for pid in "${LOADGENS[@]}"; do wait "$pid" || true; done
    LOADGENS=()
    RICOCHET_NO_BUILD=1 ./ricochet loadgen merge --json "$WORK/$1.json" "$WORK/$1"-*.log > "$WORK/$1.txt" 2>&1 \
        || echo "c100k: the $1 phase's merge says: $(tail -n 1 "$WORK/$1.txt")" >&2
    cat "$WORK/$1.txt" >&2
}

# The machine's CPU, every half second: epoch ms, busy and total jiffies over all cores (what
# says whether the two cores were the limit), until the script ends.
(while read -r -a cpu < /proc/stat; do
    echo "${EPOCHREALTIME/./} $(( cpu[1] + cpu[2] + cpu[3] + cpu[6] + cpu[7] + cpu[8] )) \
$(( cpu[1] + cpu[2] + cpu[3] + cpu[4] + cpu[5] + cpu[6] + cpu[7] + cpu[8] ))"
    sleep 0.5
done) > "$WORK/machine-cpu.txt" &
CPU_SAMPLER=$!

for ((r = 0; r < REPLICAS; r++)); do replica; done
echo "c100k: $REPLICAS replicas on 127.0.0.1:$ECHO_PORT; phase 1, connect and hold $CONNECTIONS" >&2

# Phase 1: idle connections, held HOLD after each shard's connect phase.
launched=$EPOCHREALTIME
shards hold --workload idle --warmup 0s --duration "$HOLD"
up_seconds=""
while (( ${#LOADGENS[@]} )) && kill -0 "${LOADGENS[0]}" 2>/dev/null; do
    if [[ -z "$up_seconds" ]] && (( $(total_active) >= CONNECTIONS )); then
        up_seconds="$(python3 -c "import sys; print(round(float(sys.argv[2]) - float(sys.argv[1]), 1))" \
            "$launched" "$EPOCHREALTIME")"
        echo "c100k: $CONNECTIONS up after $up_seconds s (from launching the shards' JVMs)" >&2
        sleep 3 # settled: the replicas' RSS with every connection held
        spread "$WORK/hold-spread.txt"
    fi
    sleep 0.5
done
[[ -f "$WORK/hold-spread.txt" ]] || spread "$WORK/hold-spread.txt"
merge hold

# Phase 2: open loop over all of them.
echo "c100k: phase 2, $RATE requests/s over $CONNECTIONS connections" >&2
shards open --workload echo --rate "$RATE" --warmup "$WARMUP" --duration "$DURATION" --timeout 30s
sleep $((LEAD + ${DURATION%s} / 2))
spread "$WORK/open-spread.txt" # mid-measurement, every connection held
merge open

# Phase 3: the same while each replica is replaced, one after the other, inside the
# measurement (which is long enough for all of them). Drained connections reconnect and are
# counted as lost (closed early) by the load generator: the limits let the run go on.
restart_gap=4
restart_duration=$(( REPLICAS * (restart_gap + 11) + 10 ))
echo "c100k: phase 3, the same for ${restart_duration}s while each replica is replaced" >&2
shards restart --workload echo --rate "$RATE" --warmup "$WARMUP" --duration "${restart_duration}s" --timeout 30s \
    --max-error-rate 1 --min-achieved-rate 0
sleep "$LEAD"
sleep 5
old_replicas=("${!ADMIN[@]}")
for old in "${old_replicas[@]}"; do
    replica
    new="$SERVER"
    SERVER="$old"
    stop_server_within 30
    echo "c100k: replica $old replaced by $new ($STOPPED_BY)" >&2
    unset "ADMIN[$old]"
    SERVER="$new"
    sleep "$restart_gap"
    # The spread after this replacement, kept while the shards still run (the last ones may
    # outlast the measurement).
    if kill -0 "${LOADGENS[0]}" 2>/dev/null; then spread "$WORK/restart-spread.txt"; fi
done
merge restart
for pid in "${!ADMIN[@]}"; do SERVER="$pid"; stop_server_within 30; done
ADMIN=()

python3 - "$WORK" "$STARTED" "$LOAD_BEFORE" "$(cut -d' ' -f1-3 /proc/loadavg)" "$up_seconds" "$CONNECTIONS" \
    "$REPLICAS" "$SHARDS" "$RATE" "$SOURCES" "$ORIGINAL_MIGRATE" "$(nproc)" <<'PY'
import json, statistics, sys
work, started, load_before, load_after, up, connections, replicas, shards, rate, sources, migrate, cores = sys.argv[1:]
samples = [tuple(int(x) for x in line.split()) for line in open(f"{work}/machine-cpu.txt") if len(line.split()) == 3]
def busy_cores(r):
    """Cores the whole machine kept busy over the merged window (its busy share times the cores)."""
    if not r or "merged" not in r:
        return None
    start, end = r["merged"]["common_start_epoch_ms"] * 1000, r["merged"]["common_end_epoch_ms"] * 1000
    inside = [s for s in samples if start <= s[0] <= end]
    if len(inside) < 2:
        return None
    (_, b0, t0), (_, b1, t1) = inside[0], inside[-1]
    return int(cores) * (b1 - b0) / (t1 - t0)
def spread(name):
    rows = [line.split() for line in open(f"{work}/{name}-spread.txt") if line.strip()]
    return [{"pid": int(p), "connections": int(c), "rss_kib": int(r), "fresh_rss_kib": int(f)} for p, c, r, f in rows]
def phase(name):
    try:
        return json.load(open(f"{work}/{name}.json"))
    except (OSError, ValueError):
        return None
hold, open_, restart = phase("hold"), phase("open"), phase("restart")
held = spread("hold")
result = {"started": started, "load_before": load_before, "load_after": load_after, "connections": int(connections),
          "replicas": int(replicas), "shards": int(shards), "rate": float(rate), "sources": sources,
          "tcp_migrate_req_before": migrate, "up_seconds": float(up) if up else None,
          "spread_hold": held, "spread_open": spread("open"), "spread_restart": spread("restart"),
          "hold": hold, "open": open_, "restart": restart}
json.dump(result, open("bench/results/c100k.json", "w"), indent=2)
def ms(r, p):
    v = r["latency_corrected_ms"].get(p) if r else None
    return "-" if v is None else f"{v:.2f}"
counts = [s["connections"] for s in held]
lines = ["# C100K on one host (`bench/c100k.sh`)", "",
         f"{started}, load average {load_before} before, {load_after} after; 2 cores shared by {replicas} server "
         f"replicas on one port (--reuse-port) and {shards} load-generator shards (--source-addresses {sources});"
         f" net.ipv4.tcp_migrate_req=1 during the run (was {migrate}).", "",
         "| phase | connections up | time | requests/s (planned) | corrected p50 / p99 / p99.9 / max ms | errors "
         "| requests failed | refused or reset connects | connections the server closed | reconnects |",
         "|---|---|---|---|---|---|---|---|---|---|"]
def row(name, r, time):
    if r is None:
        return f"| {name} | no merged report | | | | | | | | |"
    c = r["connections"]
    errors = sum(r["errors"].values())
    lost = r["whole_run"]["failed_total"]
    refused = c["connect_failures"].get("refused", 0) + c["connect_failures"].get("reset", 0)
    drained = c["lost"].get("closed_early", 0)
    planned = r.get("planned_requests_per_second") or 0
    return (f"| {name} | {r['connections_established'] - c['reconnects']} of {r['options']['connections']} "
            f"({r['connections_open_at_end']} at the end) | {time} | {r['requests_per_second']:.0f} ({planned:.0f}) "
            f"| {ms(r, 'p50')} / {ms(r, 'p99')} / {ms(r, 'p99.9')} / {ms(r, 'max')} | {errors} | {lost} | {refused} "
            f"| {drained} | {c['reconnects']} |")
lines.append(row("1. connect and hold (idle)", hold, (f"{up} s to all up" if up else "never all up")
                 + (f" (connect phase {hold['connect_phase_seconds']:.1f} s)" if hold else "")))
lines.append(row(f"2. open loop", open_, f"{open_['seconds']:.0f} s measured" if open_ else ""))
lines.append(row(f"3. open loop, replicas replaced", restart, f"{restart['seconds']:.0f} s measured" if restart else ""))
lines += ["", "Connections per replica while holding (the kernel's SO_REUSEPORT spread), with memory per "
          "connection ((RSS held - RSS fresh) / connections):", "",
          "| replica pid | connections | RSS fresh MiB | RSS held MiB | KiB per connection |", "|---|---|---|---|---|"]
for s in held:
    per = (s["rss_kib"] - s["fresh_rss_kib"]) / s["connections"] if s["connections"] else float("nan")
    lines.append(f"| {s['pid']} | {s['connections']} | {s['fresh_rss_kib'] / 1024:.0f} | {s['rss_kib'] / 1024:.0f} "
                 f"| {per:.2f} |")
if counts:
    lines += ["", f"Spread: mean {statistics.mean(counts):.0f}, min {min(counts)}, max {max(counts)}, "
              f"standard deviation {statistics.pstdev(counts):.0f} connections "
              f"({100 * statistics.pstdev(counts) / statistics.mean(counts):.1f}% of the mean)."]
for name, r in (("open", open_), ("restart", restart)):
    if r and "merged" in r:
        m = r["merged"]
        busy = busy_cores(r)
        loadgen = r["loadgen_cpu_seconds"] / r["seconds"]
        result[f"{name}_busy_cores"] = busy
        lines.append(f"Phase {name}: shards measured in common {m['common_seconds']:.3f} s, starts "
                     f"{m['start_skew_ms']} ms apart, ends {m['end_skew_ms']} ms apart; the machine kept "
                     + (f"{busy:.2f}" if busy is not None else "?") + f" of its {cores} cores busy, the load "
                     f"generators {loadgen:.2f} of them ({r['loadgen_cpu_us_per_request']:.1f} µs per request),"
                     f" the replicas and the kernel the rest.")
json.dump(result, open("bench/results/c100k.json", "w"), indent=2)
open("bench/results/c100k.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
