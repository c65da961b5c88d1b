#!/usr/bin/env bash
# The prime service against Concurrent Servers' libuv server (uv-isprime-server.c: libuv's event
# loop with its work queue), side by side on this machine, loopback only.
#
# For each number mix (6d: per-request overhead; 12d: compute dominates; 6d:95,17d:5: mixed),
# each round starts each server afresh, in alternating order, and drives it with
# `./ricochet loadgen --workload prime` closed loop (one request outstanding per connection),
# measuring SECONDS after a WARMUP. Ricochet runs with its defaults but --prime-cache-size 0,
# so that both compute every request; a last run per mix shows Ricochet with its cache on.
# Reported per run: requests/s, corrected p99, errors, and the server's CPU per request over
# the load generator's exact measurement window. Writes bench/results/prime-vs-reference.md
# and .json.
#
# The reference is built from ../shared/reference/async-socket-server (or REFERENCE_SRC=DIR)
# in a temporary folder (bound to 127.0.0.1), never copied into the project; Debian's libuv1-dev
# is installed when missing (as root). Without a reference source the script says so and exits 0.
#
# The warmup (10 s by default) lets the JIT finish: with 2 s, a fresh JVM still compiles during
# the window, which costs it about 6% of CPU per request in the mixed load (measured).
#
# Usage: [MIXES="6d 12d 6d:95,17d:5"] bench/prime-vs-reference.sh [SECONDS=10] [ROUNDS=2] [CONNECTIONS=100] [WARMUP=10]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SECONDS_PER_RUN="${1:-10}"
ROUNDS="${2:-2}"
CONNECTIONS="${3:-100}"
WARMUP="${4:-10}"
read -r -a MIXES <<< "${MIXES:-6d 12d 6d:95,17d:5}" # MIXES="12d" for one mix only
RESULTS=bench/results
PORT=18470
REFERENCE_SRC="${REFERENCE_SRC:-$(cd .. && pwd)/shared/reference/async-socket-server}"

if [[ ! -f "$REFERENCE_SRC/uv-isprime-server.c" ]]; then
    echo "prime-vs-reference: no reference source at $REFERENCE_SRC (set REFERENCE_SRC to Concurrent Servers'" \
        "2017/async-socket-server folder); nothing measured" >&2
    exit 0
fi
# shellcheck source=bench/lib.sh
source bench/lib.sh
ensure_debian_package libuv1-dev /usr/include/uv.h || exit 2
bench_setup
WORK="$(mktemp -d)"
trap 'kill "${SERVER:-}" "${SAMPLER:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
build_reference "$REFERENCE_SRC" uv-isprime-server

stop_any() {
    kill -TERM "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
    kill "$SAMPLER" 2>/dev/null || true
    wait "$SAMPLER" 2>/dev/null || true
}

# measure NAME SERVER-KIND MIX: one run against a freshly started server; writes $WORK/NAME.json.
measure() {
    local name="$1" kind="$2" mix="$3" rc=0 cpu
    case "$kind" in
        reference) start_reference "$PORT" ;;
        ricochet) start_server "$WORK/$name.log" --echo-port 0 --prime-port "$PORT" --prime-cache-size 0 \
            --shutdown-delay 0s --shutdown-grace 1s ;;
        ricochet-cache) start_server "$WORK/$name.log" --echo-port 0 --prime-port "$PORT" \
            --shutdown-delay 0s --shutdown-grace 1s ;;
    esac
    sample_server_cpu "$WORK/$name.cpu"
    "$JAVA" --enable-native-access=ALL-UNNAMED -jar client-loadgen/target/ricochet-loadgen.jar \
        --target "127.0.0.1:$PORT" --workload prime --numbers "$mix" --connections "$CONNECTIONS" \
        --pipeline 1 --duration "${SECONDS_PER_RUN}s" --warmup "${WARMUP}s" --timeout 60s \
        --json "$WORK/$name.json" > "$WORK/$name.txt" 2>&1 || rc=$?
    sleep 0.2 # one more CPU sample after the window
    require_report "$WORK/$name.json" "$WORK/$name.txt" "$rc" "$name"
    cpu="$(server_cpu_over_report "$WORK/$name.cpu" "$WORK/$name.json")"
    stop_any
    python3 - "$WORK/$name.json" "$kind" "$mix" "$cpu" "$rc" <<'PY'
import json, sys
path, kind, mix, cpu, rc = sys.argv[1:]
r = json.load(open(path))
r.update(server=kind, mix=mix, exit_code=int(rc), server_cpu_seconds=float(cpu),
         server_cpu_us_per_request=float(cpu) * 1e6 / max(1, r["requests"]))
json.dump(r, open(path, "w"), indent=2)
print(f"  {kind:15} {mix:12} {r['requests_per_second']:9.0f} req/s  p50 {r['latency_corrected_ms'].get('p50', float('nan')):7.2f} ms  p99 {r['latency_corrected_ms'].get('p99', float('nan')):8.2f} ms"
      f"  {r['server_cpu_us_per_request']:6.1f} us CPU/req  errors {sum(r['errors'].values())}", file=sys.stderr)
PY
}

RUNS=()
for mix in "${MIXES[@]}"; do
    tag="${mix//[:,]/_}"
    for round in $(seq 1 "$ROUNDS"); do
        order=(reference ricochet)
        (( round % 2 == 0 )) && order=(ricochet reference)
        for kind in "${order[@]}"; do
            echo "round $round, $mix, $kind ..." >&2
            measure "$kind-$tag-$round" "$kind" "$mix"
            RUNS+=("$kind-$tag-$round")
        done
    done
    echo "$mix, Ricochet with its cache on ..." >&2
    measure "ricochet-cache-$tag" ricochet-cache "$mix"
    RUNS+=("ricochet-cache-$tag")
done

python3 - "$WORK" "$RESULTS" "$STARTED" "$LOAD_BEFORE" "$*" "$CONNECTIONS" "${RUNS[@]}" <<'PY'
import json, statistics, sys
work, out, started, load, args, connections, *runs = sys.argv[1:]
rows = [json.load(open(f"{work}/{name}.json")) for name in runs]
json.dump({"started": started, "load_before": load, "runs": rows}, open(f"{out}/prime-vs-reference.json", "w"), indent=2)
def med(kind, mix, key):
    values = [key(r) for r in rows if r["server"] == kind and r["mix"] == mix]
    return statistics.median(values) if values else float("nan")
rps = lambda r: r["requests_per_second"]
cpu = lambda r: r["server_cpu_us_per_request"]
p50 = lambda r: r["latency_corrected_ms"].get("p50", float("nan"))
p99 = lambda r: r["latency_corrected_ms"].get("p99", float("nan"))
with open(f"{out}/prime-vs-reference.md", "w") as md:
    md.write("# Prime service against the libuv reference (uv-isprime-server)\n\n")
    md.write(f"{started}, 2 cores shared by server and load generator, load average before: {load}.\n")
    md.write(f"Command: `bench/prime-vs-reference.sh {args}`: {connections} connections, closed loop, one request "
             "outstanding each; each server started afresh per run, in alternating order; server CPU per request over "
             "the load generator's measurement window. Ricochet with its defaults and `--prime-cache-size 0` (both compute "
             "every request); the reference with libuv's default work queue (4 threads).\n\n")
    md.write("Medians over the rounds:\n\n")
    md.write("| numbers | reference req/s | Ricochet req/s | throughput ratio | reference CPU us/req | Ricochet CPU us/req | CPU ratio | reference p50 / p99 ms | Ricochet p50 / p99 ms | Ricochet with cache req/s |\n")
    md.write("|---|---|---|---|---|---|---|---|---|---|\n")
    for mix in dict.fromkeys(r["mix"] for r in rows):
        ref, ric = med("reference", mix, rps), med("ricochet", mix, rps)
        rc, cc = med("reference", mix, cpu), med("ricochet", mix, cpu)
        md.write(f"| `{mix}` | {ref:.0f} | {ric:.0f} | {ric / ref:.2f} | {rc:.1f} | {cc:.1f} | {cc / rc:.2f} "
                 f"| {med('reference', mix, p50):.2f} / {med('reference', mix, p99):.2f} "
                 f"| {med('ricochet', mix, p50):.2f} / {med('ricochet', mix, p99):.2f} | {med('ricochet-cache', mix, rps):.0f} |\n")
    md.write("\nEvery run:\n\n| server | numbers | requests/s | p50 / p99 ms | server CPU us/request | errors | exit |\n|---|---|---|---|---|---|---|\n")
    for r in rows:
        md.write(f"| {r['server']} | `{r['mix']}` | {rps(r):.0f} | {p50(r):.2f} / {p99(r):.2f} | {cpu(r):.1f} | {sum(r['errors'].values())} | {r['exit_code']} |\n")
print(open(f"{out}/prime-vs-reference.md").read())
PY
write_headline
