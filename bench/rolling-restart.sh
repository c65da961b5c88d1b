#!/usr/bin/env bash
# Rolling restart of replicas on one port (issue 25): two server processes share the echo and
# prime ports with --reuse-port while a churn of short echo connections (bench/churn.py:
# connect, greeting, one frame, its reply, close, from THREADS threads) runs against the port;
# each replica in turn is replaced the way an operator would: start the new process, wait
# until it listens, SIGTERM the old one (its --shutdown-delay keeps accepting, then it drains).
# Every attempt must end ok: no refused or reset connect, no missing greeting or reply.
#
# Linux resets the connections still in a closing listener's accept queue unless
# net.ipv4.tcp_migrate_req is 1 (Linux 5.14+), which moves them to another listener of the
# port. The script measures ROUNDS rolling restarts with it 0 and ROUNDS with it 1, restoring
# the original value at the end (as root; without root it measures the current value only).
# Loopback only; every process stops by itself. Writes bench/results/rolling-restart.md/.json.
#
# Usage: [ROUNDS=5] [THREADS=8] [SHUTDOWN_DELAY=1s] [SERVER_OPTIONS="--engine thread-pool"]
#        bench/rolling-restart.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ROUNDS="${ROUNDS:-5}"
THREADS="${THREADS:-8}"
SHUTDOWN_DELAY="${SHUTDOWN_DELAY:-1s}"
SERVER_OPTIONS="${SERVER_OPTIONS:-}" # more options for every replica, such as another engine or transport
ECHO_PORT=19590
PRIME_PORT=19591
SETTLE=2 # seconds of churn before, between and after the two replacements

# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_setup
WORK="$(mktemp -d)"
MIGRATE_FILE=/proc/sys/net/ipv4/tcp_migrate_req
ORIGINAL_MIGRATE="$(cat "$MIGRATE_FILE" 2>/dev/null || echo unknown)"
REPLICAS=()
cleanup() {
    for pid in "${REPLICAS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    [[ "$ORIGINAL_MIGRATE" != unknown ]] && echo "$ORIGINAL_MIGRATE" > "$MIGRATE_FILE" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

# replica NAME: starts a replica on the shared ports and sets SERVER to its pid.
replica() {
    # shellcheck disable=SC2086 # SERVER_OPTIONS is a list of words
    start_server "$WORK/$1.log" --reuse-port --echo-port "$ECHO_PORT" --prime-port "$PRIME_PORT" \
        --shutdown-delay "$SHUTDOWN_DELAY" --shutdown-grace 5s $SERVER_OPTIONS
    REPLICAS+=("$SERVER")
}

# replace OLD-PID NEW-NAME: starts the new replica, then stops the old one; sets SERVER to the new.
replace() {
    local old="$1"
    replica "$2"
    local new="$SERVER"
    SERVER="$old"
    stop_server_within 30
    SERVER="$new"
}

# one_round MIGRATE N: two replicas, churn, replace each; prints the churn's JSON.
one_round() {
    local a b
    replica "r$2-a"; a="$SERVER"
    replica "r$2-b"; b="$SERVER"
    local seconds=$((SETTLE * 3 + 8)) # room for two starts (a few seconds each) and two delays
    python3 bench/churn.py 127.0.0.1 "$ECHO_PORT" "$THREADS" "$seconds" > "$WORK/churn-$1-$2.json" &
    local churn=$!
    sleep "$SETTLE"
    replace "$a" "r$2-a2"; a="$SERVER"
    sleep "$SETTLE"
    replace "$b" "r$2-b2"; b="$SERVER"
    wait "$churn"
    SERVER="$a"; stop_server_within 30
    SERVER="$b"; stop_server_within 30
    REPLICAS=()
    cat "$WORK/churn-$1-$2.json"
}

SETTINGS=("$ORIGINAL_MIGRATE")
if [[ -w "$MIGRATE_FILE" ]]; then
    SETTINGS=(0 1)
fi
RESULTS_JSON="$WORK/rounds.jsonl"
for migrate in "${SETTINGS[@]}"; do
    [[ -w "$MIGRATE_FILE" ]] && echo "$migrate" > "$MIGRATE_FILE"
    for round in $(seq 1 "$ROUNDS"); do
        outcome="$(one_round "$migrate" "$round")"
        echo "$(date -u +%H:%M:%S) tcp_migrate_req=$migrate round $round: $outcome"
        echo "{\"tcp_migrate_req\": \"$migrate\", \"round\": $round, \"outcome\": $outcome}" >> "$RESULTS_JSON"
    done
done

LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$RESULTS_JSON" "$STARTED" "$LOAD_BEFORE" "$LOAD_AFTER" "$ROUNDS" "$THREADS" "$SHUTDOWN_DELAY" \
    "$(uname -r)" "$SERVER_OPTIONS" <<'PY'
import collections, json, sys
path, started, load_before, load_after, rounds, threads, delay, kernel, server_options = sys.argv[1:]
rows = [json.loads(line) for line in open(path)]
by_setting = collections.OrderedDict()
for row in rows:
    total = by_setting.setdefault(row["tcp_migrate_req"], collections.Counter())
    total.update(row["outcome"])
kinds = sorted({k for total in by_setting.values() for k in total} | {"ok"}, key=lambda k: (k != "ok", k))
lines = ["# Rolling restart of two replicas on one port", "",
         f"{started}, kernel {kernel}, 2 cores shared by the replicas and the client; load average before "
         f"{load_before}, after {load_after}.", "",
         f"Command: `ROUNDS={rounds} THREADS={threads} SHUTDOWN_DELAY={delay}"
         + (f" SERVER_OPTIONS=\"{server_options}\"" if server_options else "") + " bench/rolling-restart.sh`. Each round: two"
         " replicas with `--reuse-port` on one port; a churn of short echo connections from"
         f" {threads} threads (connect, greeting, one frame, its reply, close); each replica in turn"
         " replaced (the new one started and listening, then SIGTERM to the old one, which keeps"
         f" accepting for its --shutdown-delay {delay} and then drains). Every attempt should be ok.", "",
         "| net.ipv4.tcp_migrate_req | rounds | " + " | ".join(kinds) + " | not ok per 100,000 |",
         "|---|---|" + "---|" * len(kinds) + "---|"]
for setting, total in by_setting.items():
    attempts = sum(total.values())
    bad = attempts - total["ok"]
    n = sum(1 for r in rows if r["tcp_migrate_req"] == setting)
    lines.append(f"| {setting} | {n} | " + " | ".join(f"{total[k]:,}" for k in kinds)
                 + f" | {100000 * bad / attempts:.1f} |")
lines += ["", "Per round:", "", "| tcp_migrate_req | round | outcome |", "|---|---|---|"]
lines += [f"| {r['tcp_migrate_req']} | {r['round']} | {json.dumps(r['outcome'])} |" for r in rows]
open("bench/results/rolling-restart.md", "w").write("\n".join(lines) + "\n")
json.dump({"started": started, "kernel": kernel, "load_before": load_before, "load_after": load_after,
           "rounds": rows}, open("bench/results/rolling-restart.json", "w"), indent=1)
print("\n".join(lines))
PY
