#!/usr/bin/env bash
# Memory per idle connection: the server (the launcher's default JVM settings), then N idle
# echo connections from the load generator; the live heap per connection is the difference of
# two class histograms (jcmd GC.class_histogram, live objects only, after a full GC), counting
# the classes that gained at least 0.9 instances per connection (the connections' own objects,
# not the JVM's unrelated churn). Deterministic, unlike the RSS, which the histograms' full GCs
# shrink (bench/c10k.sh reports the RSS under load). Loopback only. Writes
# bench/results/footprint.md.
#
# Usage: bench/footprint.sh [CONNECTIONS=5000]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

CONNECTIONS="${1:-5000}"
ECHO_PORT=19790
RESULTS=bench/results
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_setup
JCMD="$(dirname "$JAVA")/jcmd"
WORK="$(mktemp -d)"
trap 'kill "${SERVER:-}" "${LOADGEN:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

start_server "$WORK/server.log" --echo-port "$ECHO_PORT" --prime-port 0 --shutdown-delay 0s --shutdown-grace 1s
sleep 2 # let start-up settle before the first histogram
"$JCMD" "$SERVER" GC.class_histogram > "$WORK/before.txt"
"$JAVA" --enable-native-access=ALL-UNNAMED -jar client-loadgen/target/ricochet-loadgen.jar \
    --target "127.0.0.1:$ECHO_PORT" --workload idle --connections "$CONNECTIONS" --duration 60s --warmup 0s \
    > "$WORK/loadgen.txt" 2>&1 &
LOADGEN=$!
for _ in $(seq 1 600); do
    open="$(grep -c . <(ss -tnH state established "( sport = :$ECHO_PORT )") || true)"
    [[ "$open" -ge "$CONNECTIONS" ]] && break
    sleep 0.1
done
sleep 2
"$JCMD" "$SERVER" GC.class_histogram > "$WORK/after.txt"
kill "$LOADGEN" 2>/dev/null || true
stop_server

python3 - "$WORK" "$RESULTS" "$CONNECTIONS" "$STARTED" "$LOAD_BEFORE" "$(git rev-parse --short HEAD)" <<'PY'
import re, sys
work, out, n, started, load, commit = sys.argv[1:]
n = int(n)
def histogram(path):
    rows = {}
    for line in open(path):
        m = re.match(r"\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)", line)
        if m:
            rows[m.group(3)] = (int(m.group(1)), int(m.group(2)))
    return rows
before, after = histogram(f"{work}/before.txt"), histogram(f"{work}/after.txt")
gained = sorted(((b - before.get(k, (0, 0))[1], c - before.get(k, (0, 0))[0], k) for k, (c, b) in after.items()
                 if c - before.get(k, (0, 0))[0] >= 0.9 * n), reverse=True)
per_connection = sum(g[0] for g in gained) / n
with open(f"{out}/footprint.md", "w") as md:
    md.write("# Memory per idle connection\n\n")
    md.write(f"{started}, commit {commit}, load average before: {load}. Command: `bench/footprint.sh {n}` "
             "(the server with the launcher's default JVM settings, N idle echo connections from the load generator).\n\n")
    md.write(f"Live heap per connection: **{per_connection:.0f} bytes** (classes that gained at least 0.9 instances per connection).\n\n")
    md.write("| bytes per connection | instances per connection | class |\n|---|---|---|\n")
    for size, count, name in gained:
        md.write(f"| {size / n:.0f} | {count / n:.2f} | `{name}` |\n")
print(open(f"{out}/footprint.md").read())
PY
