#!/usr/bin/env bash
# One load-generator process against N shards at the same total load (issue 25): the same
# open-loop echo run (CONNECTIONS connections, RATE requests/s in all) is made by one process,
# then by SHARDS processes started together with --shard I/N and one --start-at, whose reports
# `ricochet loadgen merge` adds up; ROUNDS rounds, the order alternated, against one server.
# The merged figures must agree with the single process's within the machine's noise (the
# spread between rounds of the same kind says how much that is). Loopback only; every process
# stops by itself. Writes bench/results/merge-vs-single.md and .json.
#
# On a machine with fewer cores than processes, N load generators compete with each other and
# with the server for the cores (and each JIT-compiles on its own): the single process gets
# IO_THREADS event loops, each shard IO_THREADS / SHARDS (at least 1), so that both offer the
# load with about as many threads.
#
# Usage: [CONNECTIONS=3000] [RATE=15000] [SHARDS=2] [WARMUP=10s] [DURATION=20s] [ROUNDS=2]
#        [IO_THREADS=2] bench/merge-vs-single.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

CONNECTIONS="${CONNECTIONS:-3000}"
RATE="${RATE:-15000}"
SHARDS="${SHARDS:-2}"
WARMUP="${WARMUP:-10s}"
DURATION="${DURATION:-20s}"
ROUNDS="${ROUNDS:-2}"
IO_THREADS="${IO_THREADS:-2}"
SHARD_IO_THREADS=$(( IO_THREADS / SHARDS > 0 ? IO_THREADS / SHARDS : 1 ))
ECHO_PORT=19690
PRIME_PORT=19691
# Seconds from launching the shards to their common start: time for N JVMs to start and
# connect on a busy machine, plus the warmup, which the load runs before the start.
LEAD=$((10 + ${WARMUP%s}))

# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_setup
WORK="$(mktemp -d)"
cleanup() {
    [[ -n "${SERVER:-}" ]] && kill -KILL "$SERVER" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

RUN=(--target "127.0.0.1:$ECHO_PORT" --connections "$CONNECTIONS" --rate "$RATE" --warmup "$WARMUP"
    --duration "$DURATION")

loadgen() {
    RICOCHET_NO_BUILD=1 ./ricochet loadgen "$@"
}

single() {
    echo "round $1: one process" >&2
    loadgen "${RUN[@]}" --io-threads "$IO_THREADS" --json "$WORK/single-$1.json" > "$WORK/single-$1.txt" 2>&1 \
        || echo "round $1: the single run failed (its verdict is in the table)" >&2
}

sharded() {
    echo "round $1: $SHARDS shards" >&2
    local start_at pids=() i
    start_at="$(date -u -d "+$LEAD sec" +%FT%TZ)"
    for ((i = 0; i < SHARDS; i++)); do
        loadgen "${RUN[@]}" --io-threads "$SHARD_IO_THREADS" --shard "$i/$SHARDS" --start-at "$start_at" --json - > "$WORK/shard-$1-$i.log" 2>&1 &
        pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid" || true; done
    loadgen merge --json "$WORK/merged-$1.json" "$WORK"/shard-"$1"-*.log > "$WORK/merged-$1.txt" 2>&1 \
        || echo "round $1: the merge failed or refused (see the table)" >&2
    tail -n "$((SHARDS + 1))" "$WORK/merged-$1.txt" >&2
}

start_server "$WORK/server.log" --echo-port "$ECHO_PORT" --prime-port "$PRIME_PORT"
for ((round = 1; round <= ROUNDS; round++)); do
    if ((round % 2)); then single "$round"; sharded "$round"; else sharded "$round"; single "$round"; fi
done
stop_server

python3 - "$WORK" "$ROUNDS" "$SHARDS" "$CONNECTIONS" "$RATE" "$WARMUP" "$DURATION" "$STARTED" "$LOAD_BEFORE" \
    "$(cut -d' ' -f1-3 /proc/loadavg)" "$IO_THREADS" "$SHARD_IO_THREADS" <<'PY'
import json, os, sys
(work, rounds, shards, connections, rate, warmup, duration, started, load_before, load_after, io_threads,
 shard_io_threads) = sys.argv[1:]
rows = []
def figures(kind, round_, path):
    if not os.path.exists(path):
        return {"kind": kind, "round": round_, "missing": True}
    r = json.load(open(path))
    c, u = r["latency_corrected_ms"], r["latency_uncorrected_ms"]
    return {"kind": kind, "round": round_, "requests_per_second": r["requests_per_second"],
            "achieved_ratio": r["achieved_ratio"], "p50_ms": c.get("p50"), "p99_ms": c.get("p99"),
            "p99_9_ms": c.get("p99.9"), "max_ms": c.get("max"), "uncorrected_p99_ms": u.get("p99"),
            "errors": sum(r["errors"].values()), "loadgen_cpu_us_per_request": r["loadgen_cpu_us_per_request"],
            "start_skew_ms": r.get("merged", {}).get("start_skew_ms"),
            "common_fraction": r.get("merged", {}).get("common_fraction")}
for n in range(1, int(rounds) + 1):
    rows.append(figures("1 process", n, f"{work}/single-{n}.json"))
    rows.append(figures(f"{shards} shards, merged", n, f"{work}/merged-{n}.json"))
json.dump({"started": started, "connections": int(connections), "rate": float(rate), "shards": int(shards),
           "warmup": warmup, "duration": duration, "load_before": load_before, "load_after": load_after,
           "io_threads": int(io_threads), "shard_io_threads": int(shard_io_threads),
           "rows": rows}, open("bench/results/merge-vs-single.json", "w"), indent=2)
def cell(v, fmt):
    return "-" if v is None else format(v, fmt)
lines = [f"# One process against {shards} merged shards (`bench/merge-vs-single.sh`)", "",
         f"{started}, load average {load_before} before, {load_after} after; open-loop echo, {connections} "
         f"connections, {float(rate):.0f} requests/s in all, {warmup} warmup, {duration} measured; "
         f"the single process on {io_threads} I/O threads, each shard on {shard_io_threads}; "
         f"rounds alternate which goes first.", "",
         "| run | round | requests/s | achieved | p50 ms | p99 ms | p99.9 ms | max ms | uncorrected p99 ms "
         "| errors | loadgen µs/request | starts apart ms |",
         "|---|---|---|---|---|---|---|---|---|---|---|---|"]
for r in rows:
    if r.get("missing"):
        lines.append(f"| {r['kind']} | {r['round']} | no report |  |  |  |  |  |  |  |  |  |")
        continue
    lines.append(f"| {r['kind']} | {r['round']} | {r['requests_per_second']:.1f} | {r['achieved_ratio']:.4f} "
                 f"| {cell(r['p50_ms'], '.3f')} | {cell(r['p99_ms'], '.3f')} | {cell(r['p99_9_ms'], '.3f')} "
                 f"| {cell(r['max_ms'], '.3f')} | {cell(r['uncorrected_p99_ms'], '.3f')} | {r['errors']} "
                 f"| {r['loadgen_cpu_us_per_request']:.1f} | {cell(r['start_skew_ms'], 'd')} |")
open("bench/results/merge-vs-single.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
