#!/usr/bin/env bash
# Crash isolation of --processes (issue 29): a master with WORKERS worker processes on one echo
# port, under a load of long-lived echo connections (CONNECTIONS of them, RATE frames a second
# each, plus CHURN new short connections a second: bench/crash_clients.py); KILL_AT seconds in,
# worker 0 is killed with SIGKILL. Which worker held each connection is read from the kernel
# (ss) just before the kill. Expected: every connection of the killed worker fails once (and
# its client reconnects), every other connection sees 0 errors, and the master puts another
# process in its place, whose readiness and first served connection the script times (from the
# master's log and its /metrics). One run per count of spare processes in SPARES (a new JVM
# against a spare that only binds the ports).
# Loopback only, each run bounded by DURATION seconds; every process stops by itself.
# Writes bench/results/crash-isolation.md and .json.
#
# Usage: [WORKERS=2] [CONNECTIONS=40] [RATE=20] [CHURN=20] [DURATION=20] [KILL_AT=8] [SPARES="0 1"]
#        [SERVER_OPTIONS="--engine netty --io-threads 1"] bench/crash-isolation.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

WORKERS="${WORKERS:-2}"
CONNECTIONS="${CONNECTIONS:-40}"
RATE="${RATE:-20}"
CHURN="${CHURN:-20}"
DURATION="${DURATION:-20}"
KILL_AT="${KILL_AT:-8}"
SPARES="${SPARES:-0 1}"
SERVER_OPTIONS="${SERVER_OPTIONS:---engine netty --io-threads 1}"
ECHO_PORT=19690
PRIME_PORT=19691

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

# worker_pid INDEX: the pid of the process started as worker INDEX (-Dricochet.worker=INDEX).
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

# one_run SPARES: a master with SPARES spares, the load, the kill; leaves its files in $WORK/SPARES/.
one_run() {
    local spares="$1" dir="$WORK/$1" log
    mkdir -p "$dir"
    log="$dir/master.log"
    # shellcheck disable=SC2086 # SERVER_OPTIONS is a list of words
    JAVA_OPTS="${SERVER_JVM_OPTS:--Xmx256m}" RICOCHET_NO_BUILD=1 ./ricochet server --processes "$WORKERS" \
        --spare-processes "$spares" --bind 127.0.0.1 --admin-bind 127.0.0.1 --admin-port 0 \
        --echo-port "$ECHO_PORT" --prime-port "$PRIME_PORT" --shutdown-delay 0s --shutdown-grace 5s \
        $SERVER_OPTIONS > "$log" 2>&1 &
    SERVER=$!
    local admin="" _
    for _ in $(seq 1 300); do
        grep -q "Listening with" "$log" && break
        server_running || break
        sleep 0.1
    done
    grep -q "Listening with" "$log" || { cat "$log" >&2; echo "crash-isolation: the workers did not start" >&2; exit 1; }
    admin="$(grep -o "Listening with .*admin on 127.0.0.1:[0-9]*" "$log" | grep -o "[0-9]*$")"
    if (( spares > 0 )); then # the spares take a little longer than the workers
        for _ in $(seq 1 300); do
            curl -s "127.0.0.1:$admin/metrics" | grep -Eq "^ricochet_worker_spares\{.*\} $spares" && break
            sleep 0.1
        done
    fi

    echo "$(date -u +%H:%M:%S) $WORKERS workers and $spares spare(s) ($SERVER_OPTIONS); $CONNECTIONS connections" \
        "at $RATE frames/s each, $CHURN new connections/s, ${DURATION}s; worker 0 killed at ${KILL_AT}s ..." >&2
    python3 bench/crash_clients.py 127.0.0.1 "$ECHO_PORT" "$CONNECTIONS" "$RATE" "$DURATION" "$CHURN" \
        > "$dir/clients.json" &
    local clients=$!
    sleep "$KILL_AT"
    local victim index
    victim="$(worker_pid 0)"
    for index in $(seq 0 $((WORKERS - 1))); do
        echo "$index $(worker_pid "$index")"
    done > "$dir/workers.txt"
    # Which process holds each established echo connection: "client-port pid" lines. The peer
    # is the fourth column (127.0.0.1:PORT, or [::ffff:127.0.0.1]:PORT on a dual-stack socket).
    ss -Htnp state established "( sport = :$ECHO_PORT )" \
        | awk 'match($0, /pid=[0-9]+/) { n = split($4, peer, ":"); print peer[n], substr($0, RSTART + 4, RLENGTH - 4) }' \
        > "$dir/holders.txt"
    date +%s.%N > "$dir/killed_at"
    echo "$victim" > "$dir/victim"
    kill -KILL "$victim"
    # The replacement has served once, on one page of the master's /metrics, worker 0 counts a
    # restart and an accepted connection (the dead worker's series are on no page after the kill).
    local deadline=$(( $(date +%s) + DURATION ))
    : > "$dir/first_served"
    while (( $(date +%s) < deadline )); do
        if curl -s "127.0.0.1:$admin/metrics" | awk '
            /^ricochet_worker_restarts_total\{.*worker="0"/ && $NF >= 1 { restarted = 1 }
            /^ricochet_connections_accepted_total\{worker="0",.*protocol="echo"/ && $NF >= 1 { served = 1 }
            END { exit !(restarted && served) }'; then
            date +%s.%N > "$dir/first_served"
            break
        fi
        sleep 0.05
    done
    wait "$clients"
    curl -s "127.0.0.1:$admin/metrics" | grep -E "^ricochet_worker_(restarts_total|ready|spares)" > "$dir/metrics_after" || true
    stop_server_within 30
    echo "$STOPPED_BY" > "$dir/stopped_by"
    grep -E "Master - " "$log" > "$dir/supervision.txt" || true
}

for spares in $SPARES; do
    one_run "$spares"
done

MIGRATE="$(cat /proc/sys/net/ipv4/tcp_migrate_req 2>/dev/null || echo unknown)"
python3 - "$WORK" "$STARTED" "$LOAD_BEFORE" "$(cut -d' ' -f1-3 /proc/loadavg)" "$SPARES" "$MIGRATE" \
    "WORKERS=$WORKERS CONNECTIONS=$CONNECTIONS RATE=$RATE CHURN=$CHURN DURATION=$DURATION KILL_AT=$KILL_AT SPARES=\"$SPARES\" SERVER_OPTIONS=\"$SERVER_OPTIONS\"" <<'PY'
import collections, datetime, json, re, sys
work, started, load_before, load_after, spare_counts, migrate, settings = sys.argv[1:]

def read(path):
    return open(path).read().strip()

def log_time(line):
    stamp = line.split(" ", 1)[0]
    return datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()

runs = []
for spares in spare_counts.split():
    d = f"{work}/{spares}"
    killed_at = float(read(f"{d}/killed_at"))
    victim = read(f"{d}/victim")
    clients = json.load(open(f"{d}/clients.json"))
    holders = dict(line.split() for line in open(f"{d}/holders.txt") if line.strip())
    by_pid = {pid: index for index, pid in (line.split() for line in open(f"{d}/workers.txt") if line.strip())}
    supervision = [line.rstrip("\n") for line in open(f"{d}/supervision.txt")]
    groups = collections.OrderedDict()
    for c in sorted(clients["connections"], key=lambda c: c["opened"]):
        if c["opened"] < killed_at < c["closed"] and c["port"] is not None:
            pid = holders.get(str(c["port"]))
            name = f"worker {by_pid[pid]}" + (" (killed)" if pid == victim else "") if pid in by_pid else "unknown"
        elif c["opened"] >= killed_at:
            name = "opened after the kill"
        else:
            name = "closed before the kill"
        g = groups.setdefault(name, {"connections": 0, "replies": 0, "errors": collections.Counter()})
        g["connections"] += 1
        g["replies"] += c["replies"]
        if c["error"]:
            g["errors"][c["error"]] += 1
    # The master's line saying worker 0 is ready again, after the kill.
    ready = [log_time(l) for l in supervision if re.search(r"Worker 0 \(pid \d+\) ready", l) and log_time(l) > killed_at]
    first_served = read(f"{d}/first_served")
    runs.append({"spares": int(spares), "victim_pid": int(victim), "groups": groups, "churn": clients["churn"],
                 "replacement_ready_seconds": round(ready[0] - killed_at, 3) if ready else None,
                 "replacement_first_served_seconds": round(float(first_served) - killed_at, 3) if first_served else None,
                 "master_metrics_after": read(f"{d}/metrics_after").splitlines(),
                 "master_stopped_by": read(f"{d}/stopped_by"), "supervision_log": supervision})
json.dump({"started": started, "settings": settings, "load_before": load_before, "load_after": load_after,
           "tcp_migrate_req": migrate, "runs": runs}, open("bench/results/crash-isolation.json", "w"), indent=1, default=dict)

def seconds(value):
    return "none within the run" if value is None else f"{value:.2f} s"

lines = ["# Crash isolation: one worker of a master killed under load", "",
         f"{started}, 2 cores shared by the master, its workers and the clients (and other work); load average"
         f" before {load_before}, after {load_after}.", "",
         f"Command: `{settings} bench/crash-isolation.sh`. Long-lived echo connections (one frame `^ab$` and its"
         " reply at a time, at the rate given) and a churn of short ones run against the shared echo port; worker 0"
         " is killed with SIGKILL in the middle of each run. Which worker held each connection is read from the"
         " kernel (`ss -tnp`) just before the kill; a client whose connection fails reconnects at once (counted"
         " among those opened after the kill).", "",
         "| spares | connections | count | replies | errors |", "|---|---|---|---|---|"]
for run in runs:
    for name, g in run["groups"].items():
        errors = sum(g["errors"].values())
        detail = f" ({', '.join(f'{k}: {v}' for k, v in sorted(g['errors'].items()))})" if errors else ""
        lines.append(f"| {run['spares']} | {name} | {g['connections']} | {g['replies']:,} | {errors}{detail} |")
lines += ["", "| spares | short connections (churn) | worker 0 ready again after the kill | its first connection served |",
          "|---|---|---|---|"]
for run in runs:
    churn = ", ".join(f"{k}: {v:,}" for k, v in sorted(run["churn"].items()))
    lines.append(f"| {run['spares']} | {churn} | {seconds(run['replacement_ready_seconds'])}"
                 f" | {seconds(run['replacement_first_served_seconds'])} |")
lines += ["", "Ready: the master's log line saying so (it asks a starting worker's readiness every 50 ms). First"
          " served: the first page of the master's `/metrics`, polled every 50 ms, on which the replacement has"
          " accepted a connection.", "",
          f"net.ipv4.tcp_migrate_req was {migrate}: with 0, a short connection that the kernel had queued on the"
          " killed worker's listener (its handshake done, not yet accepted) is reset with it, and counted as the"
          " churn's `reset`; with 1 it would move to another worker's queue.", ""]
for run in runs:
    lines += [f"The master's log, {run['spares']} spare(s):", "", "```"] + run["supervision_log"] + ["```", ""]
open("bench/results/crash-isolation.md", "w").write("\n".join(lines).rstrip("\n") + "\n")
print("\n".join(lines))
PY
