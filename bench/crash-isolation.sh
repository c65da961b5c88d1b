#!/usr/bin/env bash
# Crash isolation of --processes (issue 29): a master with WORKERS worker processes on one echo
# port, under a load of long-lived echo connections (CONNECTIONS of them, RATE frames a second
# each, plus CHURN new short connections a second: bench/crash_clients.py); KILL_AT seconds in,
# one worker is killed with SIGKILL. Which worker held each connection is read from the kernel
# (ss) just before the kill. Expected: every connection of the killed worker fails once (and
# its client reconnects), every other connection sees 0 errors, and the master starts a
# replacement, whose first served connection the script times from the master's /metrics.
# Loopback only, bounded by DURATION seconds; every process stops by itself.
# Writes bench/results/crash-isolation.md and .json.
#
# Usage: [WORKERS=2] [CONNECTIONS=40] [RATE=20] [CHURN=20] [DURATION=20] [KILL_AT=8]
#        [SERVER_OPTIONS="--engine netty --io-threads 1"] bench/crash-isolation.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

WORKERS="${WORKERS:-2}"
CONNECTIONS="${CONNECTIONS:-40}"
RATE="${RATE:-20}"
CHURN="${CHURN:-20}"
DURATION="${DURATION:-20}"
KILL_AT="${KILL_AT:-8}"
SERVER_OPTIONS="${SERVER_OPTIONS:---engine netty --io-threads 1}"
ECHO_PORT=19690
PRIME_PORT=19691
VICTIM=0 # the worker killed

# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_setup
WORK="$(mktemp -d)"
cleanup() {
    if [[ -n "${SERVER:-}" ]] && server_running; then
        local pid
        for pid in $(pgrep -P "$SERVER"); do kill -KILL "$pid" 2>/dev/null || true; done # its workers
        kill -KILL "$SERVER" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

LOG="$WORK/master.log"
# shellcheck disable=SC2086 # SERVER_OPTIONS is a list of words
JAVA_OPTS="${SERVER_JVM_OPTS:--Xmx256m}" RICOCHET_NO_BUILD=1 ./ricochet server --processes "$WORKERS" \
    --bind 127.0.0.1 --admin-bind 127.0.0.1 --admin-port 0 --echo-port "$ECHO_PORT" --prime-port "$PRIME_PORT" \
    --shutdown-delay 0s --shutdown-grace 5s $SERVER_OPTIONS > "$LOG" 2>&1 &
SERVER=$!
for _ in $(seq 1 300); do
    grep -q "Listening with" "$LOG" && break
    server_running || { cat "$LOG" >&2; exit 1; }
    sleep 0.1
done
grep -q "Listening with" "$LOG" || { cat "$LOG" >&2; echo "crash-isolation: the workers did not start" >&2; exit 1; }
ADMIN_PORT="$(grep -o "Listening with .*admin on 127.0.0.1:[0-9]*" "$LOG" | grep -o "[0-9]*$")"

# worker_pid INDEX: the pid of worker INDEX now (its command line carries -Dricochet.worker=INDEX).
worker_pid() {
    local pid
    for pid in $(pgrep -P "$SERVER"); do
        if tr '\0' '\n' < "/proc/$pid/cmdline" 2>/dev/null | grep -qx -- "-Dricochet.worker=$1"; then
            echo "$pid"
            return 0
        fi
    done
    return 1
}

echo "$(date -u +%H:%M:%S) $WORKERS workers ($SERVER_OPTIONS); $CONNECTIONS connections at $RATE frames/s each," \
    "$CHURN new connections/s, ${DURATION}s; worker $VICTIM killed at ${KILL_AT}s ..." >&2
python3 bench/crash_clients.py 127.0.0.1 "$ECHO_PORT" "$CONNECTIONS" "$RATE" "$DURATION" "$CHURN" \
    > "$WORK/clients.json" &
CLIENTS=$!
sleep "$KILL_AT"
VICTIM_PID="$(worker_pid "$VICTIM")"
for index in $(seq 0 $((WORKERS - 1))); do
    echo "$index $(worker_pid "$index")"
done > "$WORK/workers.txt"
# Which process holds each established echo connection: "client-port pid" lines.
# The peer is the fourth column (127.0.0.1:PORT, or [::ffff:127.0.0.1]:PORT on a dual-stack socket).
ss -Htnp state established "( sport = :$ECHO_PORT )" \
    | awk 'match($0, /pid=[0-9]+/) { n = split($4, peer, ":"); print peer[n], substr($0, RSTART + 4, RLENGTH - 4) }' \
    > "$WORK/holders.txt"
KILLED_AT="$(date +%s.%N)"
kill -KILL "$VICTIM_PID"
# The replacement has served once its accepted counter, on the master's page, is above 0.
FIRST_SERVED=""
REPLACEMENT=""
DEADLINE=$(( $(date +%s) + DURATION ))
while (( $(date +%s) < DEADLINE )); do
    REPLACEMENT="$(worker_pid "$VICTIM" || true)"
    if [[ -n "$REPLACEMENT" && "$REPLACEMENT" != "$VICTIM_PID" ]] && curl -s "127.0.0.1:$ADMIN_PORT/metrics" \
        | grep -Eq "^ricochet_connections_accepted_total\{worker=\"$VICTIM\",.*protocol=\"echo\"\} [1-9]"; then
        FIRST_SERVED="$(date +%s.%N)"
        break
    fi
    sleep 0.05
done
wait "$CLIENTS"
METRICS_AFTER="$(curl -s "127.0.0.1:$ADMIN_PORT/metrics" | grep -E "^ricochet_worker_(restarts_total|ready)" || true)"
stop_server_within 30
grep -E "Master - (Worker|SIG|Stopped)" "$LOG" > "$WORK/supervision.txt" || true

python3 - "$WORK" "$STARTED" "$LOAD_BEFORE" "$(cut -d' ' -f1-3 /proc/loadavg)" "$KILLED_AT" "${FIRST_SERVED:-}" \
    "$VICTIM" "$VICTIM_PID" "${REPLACEMENT:-}" "$STOPPED_BY" "$METRICS_AFTER" \
    "WORKERS=$WORKERS CONNECTIONS=$CONNECTIONS RATE=$RATE CHURN=$CHURN DURATION=$DURATION KILL_AT=$KILL_AT SERVER_OPTIONS=\"$SERVER_OPTIONS\"" <<'PY'
import collections, json, sys
(work, started, load_before, load_after, killed_at, first_served, victim, victim_pid, replacement, stopped_by,
 metrics_after, settings) = sys.argv[1:]
killed_at = float(killed_at)
clients = json.load(open(f"{work}/clients.json"))
holders = dict(line.split() for line in open(f"{work}/holders.txt") if line.strip())
workers = dict(line.split() for line in open(f"{work}/workers.txt") if line.strip())
by_pid = {pid: index for index, pid in workers.items()}
supervision = [line.rstrip("\n") for line in open(f"{work}/supervision.txt")]

groups = collections.OrderedDict()
def group(name):
    return groups.setdefault(name, {"connections": 0, "replies": 0, "errors": collections.Counter(),
                                    "replies_after_kill": 0})
for c in clients["connections"]:
    if c["opened"] < killed_at and c["closed"] > killed_at and c["port"] is not None:
        pid = holders.get(str(c["port"]))
        name = (f"worker {by_pid[pid]} (killed)" if pid == victim_pid else f"worker {by_pid[pid]}") if pid in by_pid \
            else "unknown worker"
    elif c["opened"] >= killed_at:
        name = "opened after the kill"
    else:
        name = "closed before the kill"
    g = group(name)
    g["connections"] += 1
    g["replies"] += c["replies"]
    if c["error"]:
        g["errors"][c["error"]] += 1
served_after = None if not first_served else float(first_served) - killed_at
result = {"started": started, "settings": settings, "load_before": load_before, "load_after": load_after,
          "victim": int(victim), "victim_pid": int(victim_pid), "replacement_pid": int(replacement) if replacement else None,
          "replacement_first_served_seconds": served_after, "groups": groups, "churn": clients["churn"],
          "master_metrics_after": metrics_after.splitlines(), "supervision_log": supervision,
          "master_stopped_by": stopped_by}
json.dump(result, open("bench/results/crash-isolation.json", "w"), indent=1, default=dict)
lines = ["# Crash isolation: one worker of a master killed under load", "",
         f"{started}, 2 cores shared by the master, its workers and the clients; load average before {load_before},"
         f" after {load_after}.", "",
         f"Command: `{settings} bench/crash-isolation.sh`. Long-lived echo connections (one frame `^ab$` and its"
         " reply at a time, at the rate given) and a churn of short ones run against the shared echo port; worker"
         f" {victim} (pid {victim_pid}) is killed with SIGKILL in the middle. Which worker held each connection"
         " is read from the kernel (`ss -tnp`) just before the kill.", "",
         "| connections | count | replies | errors |", "|---|---|---|---|"]
for name, g in groups.items():
    errors = sum(g["errors"].values())
    detail = f" ({', '.join(f'{k}: {v}' for k, v in sorted(g['errors'].items()))})" if errors else ""
    lines.append(f"| {name} | {g['connections']} | {g['replies']:,} | {errors}{detail} |")
churn = clients["churn"]
lines += ["", f"Short connections (churn): {', '.join(f'{k}: {v:,}' for k, v in sorted(churn.items()))}.", "",
          ("The replacement (pid %s) served its first connection %.2f s after the kill." % (replacement, served_after))
          if served_after is not None else "The replacement served no connection before the end of the run.",
          "", "The master's log of it:", "", "```"] + supervision + ["```", "",
          "The master's series after the run:", "", "```"] + metrics_after.splitlines() + ["```"]
open("bench/results/crash-isolation.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
