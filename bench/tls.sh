#!/usr/bin/env bash
# TLS at the edge (issue 27): what TLS costs the server side, Ricochet's own TLS beside the usual
# alternative, TLS terminated by HAProxy in front of a plaintext server. Targets, each started
# afresh per round, in an order that alternates round by round:
#   ricochet-plain     Ricochet, plaintext (the baseline);
#   ricochet-tls       Ricochet with --tls-cert/--tls-key (its provider: OpenSSL when it loads);
#   haproxy-ricochet   Debian's HAProxy terminating TLS in front of Ricochet, plaintext behind;
#   haproxy-reference  the same HAProxy in front of Concurrent Servers' reference epoll server.
# HAProxy runs as two processes of one thread sharing the port (SO_REUSEPORT, its default on
# Linux): one process would need two descriptors per connection, 20,000 for C10K, and this
# machine caps a process at 20,000. Phases on each target:
#   1. C10K: CONNECTIONS connections, closed loop, one MESSAGE_SIZE-byte request outstanding each;
#   2. the same connections at an equal open-loop RATE, so that CPU per request compares at
#      equal load;
#   3. handshakes: the load generator's --churn opening and closing HANDSHAKE_RATE connections/s
#      (each: connect, TLS handshake, greeting, one request checked, close);
#   4. streaming: tcpkali (--ssl on TLS targets), STREAM_CONNECTIONS connections sending
#      STREAM_MESSAGE_SIZE-byte frames as fast as it can for STREAM_SECONDS: bytes/s back.
# The server side's CPU is the server's plus HAProxy's (both processes), read from /proc over
# each phase's window. Then a rotation under load on ricochet-tls: the certificate directory,
# laid out as a Kubernetes Secret volume (..data -> a timestamped folder), is swapped mid-run
# while closed-loop clients and churn run; it reports failed handshakes, errors, lost replies and
# which certificate new connections got. Certificates are made with openssl for the run (a CA
# and two server certificates for 127.0.0.1), never kept.
#
# Writes bench/results/tls.md and .json. Loopback only; about 15 minutes with the defaults.
# tcpkali is built as bench/loadgen-vs-tcpkali.sh builds it (TCPKALI_SRC or TCPKALI); without
# one the streaming phase is skipped and says so.
#
# Usage: [CONNECTIONS=10000] [RATE=20000] [DURATION=15s] [WARMUP=5s] [ROUNDS=2] [MESSAGE_SIZE=64]
#        [HANDSHAKE_RATE=500] [HANDSHAKE_DURATION=10s] [STREAM_CONNECTIONS=100]
#        [STREAM_MESSAGE_SIZE=1024] [STREAM_SECONDS=10] [ROTATION=yes]
#        [TARGETS="ricochet-plain ricochet-tls haproxy-ricochet haproxy-reference"]
#        [TCPKALI_SRC=DIR | TCPKALI=BINARY] [REFERENCE_SRC=DIR] [RESET_PATCH=FILE] bench/tls.sh
# A smoke run: CONNECTIONS=1000 RATE=5000 DURATION=5s WARMUP=2s ROUNDS=1 HANDSHAKE_DURATION=3s \
#              STREAM_SECONDS=3 bench/tls.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

CONNECTIONS="${CONNECTIONS:-10000}"
RATE="${RATE:-20000}"
DURATION="${DURATION:-15s}"
WARMUP="${WARMUP:-5s}"
ROUNDS="${ROUNDS:-2}"
MESSAGE_SIZE="${MESSAGE_SIZE:-64}"
HANDSHAKE_RATE="${HANDSHAKE_RATE:-500}"
HANDSHAKE_DURATION="${HANDSHAKE_DURATION:-10s}"
STREAM_CONNECTIONS="${STREAM_CONNECTIONS:-100}"
STREAM_MESSAGE_SIZE="${STREAM_MESSAGE_SIZE:-1024}"
STREAM_SECONDS="${STREAM_SECONDS:-10}"
ROTATION="${ROTATION:-yes}"
TARGETS="${TARGETS:-ricochet-plain ricochet-tls haproxy-ricochet haproxy-reference}"
TIMEOUT=30s
CONNECT_TIMEOUT=15s
# The reference's accept backlog is 64 and HAProxy connects to it as clients come: 1,000/s
# keeps it from dropping connects (see bench/knee.sh); every target gets the same.
CONNECT_RATE=1000
STOP_LIMIT=10
PORT=19580          # what the load generator and tcpkali connect to
BACKEND_PORT=19581  # the plaintext server behind HAProxy
RESULTS=bench/results
# shellcheck source=bench/lib.sh
source bench/lib.sh
reference_sources
tcpkali_sources

fail_usage() {
    echo "tls: $*" >&2
    exit 2
}
for value in "$CONNECTIONS" "$RATE" "$ROUNDS" "$MESSAGE_SIZE" "$HANDSHAKE_RATE" "$STREAM_CONNECTIONS" \
    "$STREAM_MESSAGE_SIZE" "$STREAM_SECONDS"; do
    [[ "$value" =~ ^[1-9][0-9]*$ ]] || fail_usage "'$value' is not a positive whole number (CONNECTIONS, RATE," \
        "ROUNDS, MESSAGE_SIZE, HANDSHAKE_RATE, STREAM_CONNECTIONS, STREAM_MESSAGE_SIZE, STREAM_SECONDS)"
done
for duration in "$DURATION" "$WARMUP" "$HANDSHAKE_DURATION"; do seconds_of "$duration" > /dev/null; done
for target in $TARGETS; do
    case "$target" in
        ricochet-plain | ricochet-tls | haproxy-ricochet | haproxy-reference) ;;
        *) fail_usage "TARGETS may name ricochet-plain, ricochet-tls, haproxy-ricochet and haproxy-reference, not '$target'" ;;
    esac
done
[[ "$ROTATION" == yes || "$ROTATION" == no ]] || fail_usage "ROTATION is yes or no, not '$ROTATION'"
require_reference_capacity "$CONNECTIONS"
if [[ " $TARGETS " == *" haproxy-reference "* ]]; then
    [[ -f "$REFERENCE_SRC/epoll-server.c" && -f "$RESET_PATCH" ]] \
        || fail_usage "no reference source and reset patch at $REFERENCE_SRC (set REFERENCE_SRC and RESET_PATCH," \
            "or leave haproxy-reference out of TARGETS)"
fi
while read -r variable; do unset "$variable"; done < <(compgen -v RICOCHET_ || true)
raise_open_files $((CONNECTIONS + 1000))
ensure_debian_package haproxy /usr/sbin/haproxy || exit 2
ensure_debian_package openssl /usr/bin/openssl || exit 2
ensure_debian_package iproute2 /usr/bin/ss || exit 2

bench_setup
WORK="$(mktemp -d)"
HAPROXY_PIDS=()
trap 'kill "${SERVER:-}" "${SAMPLER:-}" "${HAPROXY_PIDS[@]}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
[[ " $TARGETS " == *" haproxy-reference "* ]] && build_reference "$REFERENCE_SRC" epoll-server "$RESET_PATCH"
STREAMING=yes
if [[ -n "${TCPKALI:-}" || -f "$TCPKALI_SRC/m4/ax_make_optional_include.m4" ]]; then
    build_tcpkali
else
    STREAMING="no: no tcpkali (set TCPKALI, or TCPKALI_SRC to a full clone of satori-com/tcpkali)"
    echo "tls: streaming skipped, $STREAMING" >&2
fi

make_certificates

# start_haproxy BACKEND-PORT: two HAProxy processes terminating TLS on PORT, forwarding to
# 127.0.0.1:BACKEND-PORT; sets HAPROXY_PIDS; exits when they do not listen within 10 s.
start_haproxy() {
    cat > "$WORK/haproxy.cfg" <<EOF
global
    nbthread 1
    maxconn 9500
defaults
    mode tcp
    timeout connect 5s
    timeout client 120s
    timeout server 120s
frontend tls
    bind 127.0.0.1:$PORT ssl crt $WORK/pki/first-haproxy.pem
    maxconn 9500
    default_backend target
backend target
    server target 127.0.0.1:$1 maxconn 9500
EOF
    haproxy -c -q -f "$WORK/haproxy.cfg" || { echo "tls: HAProxy refused its configuration" >&2; exit 1; }
    HAPROXY_PIDS=()
    local i
    for i in 1 2; do
        haproxy -db -f "$WORK/haproxy.cfg" > "$WORK/haproxy-$i.log" 2>&1 &
        HAPROXY_PIDS+=($!)
    done
    for _ in $(seq 1 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && return 0
        sleep 0.1
    done
    cat "$WORK"/haproxy-*.log >&2
    echo "tls: HAProxy did not listen on $PORT" >&2
    exit 1
}

stop_haproxy() {
    ((${#HAPROXY_PIDS[@]})) || return 0
    kill "${HAPROXY_PIDS[@]}" 2>/dev/null || true
    wait "${HAPROXY_PIDS[@]}" 2>/dev/null || true
    HAPROXY_PIDS=()
}

# sample_cpu FILE PID...: as sample_server_cpu (bench/lib.sh), for the sum of several processes:
# "epoch-microseconds cpu-microseconds 0 0 user-microseconds system-microseconds" every 100 ms,
# in the background, until the first of them exits; sets SAMPLER.
sample_cpu() {
    local file="$1" hz; shift
    hz="$(getconf CLK_TCK)"
    (while true; do
        local user=0 system=0 pid stat
        for pid in "$@"; do
            read -r -a stat 2>/dev/null < "/proc/$pid/stat" || exit 0
            user=$((user + stat[13])) system=$((system + stat[14]))
        done
        echo "${EPOCHREALTIME/./} $(( (user + system) * 1000000 / hz )) 0 0 $(( user * 1000000 / hz )) $(( system * 1000000 / hz ))"
        sleep 0.1
    done) > "$file" &
    SAMPLER=$!
}

# start_target TARGET NAME: the server side of TARGET, listening on PORT; sets SERVER (the
# echo server's pid) and SIDE (every pid whose CPU is the server side's).
start_target() {
    local target="$1" name="$2" tls=()
    [[ "$target" == ricochet-tls ]] && tls=(--tls-cert "$WORK/pki/first.pem" --tls-key "$WORK/pki/first-key.pem")
    case "$target" in
        ricochet-plain | ricochet-tls)
            start_server "$WORK/$name.log" --engine netty --echo-port "$PORT" --prime-port 0 \
                --shutdown-delay 0s --shutdown-grace 1s "${tls[@]}"
            SIDE=("$SERVER") ;;
        haproxy-ricochet)
            start_server "$WORK/$name.log" --engine netty --echo-port "$BACKEND_PORT" --prime-port 0 \
                --shutdown-delay 0s --shutdown-grace 1s
            start_haproxy "$BACKEND_PORT"
            SIDE=("$SERVER" "${HAPROXY_PIDS[@]}") ;;
        haproxy-reference)
            start_reference "$BACKEND_PORT"
            start_haproxy "$BACKEND_PORT"
            SIDE=("$SERVER" "${HAPROXY_PIDS[@]}") ;;
    esac
}

stop_target() {
    stop_haproxy
    stop_server_within "$STOP_LIMIT"
    kill "$SAMPLER" 2>/dev/null || true
    wait "$SAMPLER" 2>/dev/null || true
}

# loadgen_tls TARGET: the load generator's TLS options for TARGET (none for plaintext).
loadgen_tls() {
    [[ "$1" == ricochet-plain ]] || echo "--tls --tls-ca $CA"
}

# run_loadgen NAME TARGET [LOADGEN OPTIONS...]: one load generator run against PORT, bounded
# from outside; its exit code goes to NAME.rc. Exits when it writes no report.
run_loadgen() {
    local name="$1" target="$2" rc=0; shift 2
    # shellcheck disable=SC2046  # its words
    timeout --kill-after=5s 300 "$JAVA" --enable-native-access=ALL-UNNAMED \
        -jar client-loadgen/target/ricochet-loadgen.jar --target "127.0.0.1:$PORT" $(loadgen_tls "$target") \
        --connect-timeout "$CONNECT_TIMEOUT" --timeout "$TIMEOUT" \
        --json "$WORK/$name.json" "$@" > "$WORK/$name.txt" 2> "$WORK/$name.progress" || rc=$?
    echo "$rc" > "$WORK/$name.rc"
    [[ -s "$WORK/$name.json" ]] || tail -n 5 "$WORK/$name.progress" >&2
    require_report "$WORK/$name.json" "$WORK/$name.txt" "$rc" "$name"
}

# run_tcpkali NAME TARGET: tcpkali streaming frames against PORT; its output to NAME.tcpkali,
# its window (epoch ms) to NAME.window.
run_tcpkali() {
    local name="$1" target="$2" ssl=() payload start
    [[ "$target" == ricochet-plain ]] || ssl=(--ssl)
    payload="$(head -c $((STREAM_MESSAGE_SIZE - 2)) /dev/zero | tr '\0' 'a')"
    start="$(( ${EPOCHREALTIME/./} / 1000 ))"
    timeout --kill-after=5s $((STREAM_SECONDS + 60)) "$TCPKALI" "${ssl[@]}" -c "$STREAM_CONNECTIONS" \
        --connect-rate "$CONNECT_RATE" -m "^$payload\$" -T "${STREAM_SECONDS}s" "127.0.0.1:$PORT" \
        > "$WORK/$name.tcpkali" 2>&1 || true
    echo "$start $(( ${EPOCHREALTIME/./} / 1000 ))" > "$WORK/$name.window"
}

# measure NAME TARGET ROUND POSITION: the four phases on a freshly started TARGET; writes
# NAME.run.json.
measure() {
    local name="$1" target="$2" round="$3" position="$4" cpu_closed cpu_rate cpu_churn cpu_stream=""
    echo "$(date -u +%H:%M:%S) round $round, $target ..." >&2
    start_target "$target" "$name"
    sample_cpu "$WORK/$name.samples" "${SIDE[@]}"
    run_loadgen "$name-closed" "$target" --connections "$CONNECTIONS" --connect-rate "$CONNECT_RATE" --warmup "$WARMUP" --duration "$DURATION" \
        --workload echo --pipeline 1 --message-size "$MESSAGE_SIZE"
    run_loadgen "$name-rate" "$target" --connections "$CONNECTIONS" --connect-rate "$CONNECT_RATE" --warmup "$WARMUP" --duration "$DURATION" \
        --workload echo --rate "$RATE" --message-size "$MESSAGE_SIZE"
    run_loadgen "$name-churn" "$target" --churn "$HANDSHAKE_RATE" --warmup 2s --duration "$HANDSHAKE_DURATION" \
        --message-size "$MESSAGE_SIZE"
    cpu_closed="$(server_cpu_over_report "$WORK/$name.samples" "$WORK/$name-closed.json")"
    cpu_rate="$(server_cpu_over_report "$WORK/$name.samples" "$WORK/$name-rate.json")"
    cpu_churn="$(server_cpu_over_report "$WORK/$name.samples" "$WORK/$name-churn.json")"
    if [[ "$STREAMING" == yes ]]; then
        run_tcpkali "$name-stream" "$target"
        # shellcheck disable=SC2046  # two numbers
        cpu_stream="$(server_cpu_between "$WORK/$name.samples" $(cat "$WORK/$name-stream.window"))"
    fi
    stop_target
    python3 - "$WORK" "$name" "$target" "$round" "$position" "$cpu_closed" "$cpu_rate" "$cpu_churn" "$cpu_stream" <<'PY'
import json, re, sys
work, name, target, rnd, position, cpu_closed, cpu_rate, cpu_churn, cpu_stream = sys.argv[1:]
def report(phase):
    r = json.load(open(f"{work}/{name}-{phase}.json"))
    r["exit_code"] = int(open(f"{work}/{name}-{phase}.rc").read())
    return r
closed, rate, churn = report("closed"), report("rate"), report("churn")
for r, cpu in ((closed, cpu_closed), (rate, cpu_rate)):
    r["server_side_cpu_seconds"] = float(cpu)
    r["server_side_cpu_us_per_request"] = float(cpu) * 1e6 / max(1, r["requests"])
churn["server_side_cpu_seconds"] = float(cpu_churn)
churn["server_side_cpu_us_per_connection"] = float(cpu_churn) * 1e6 / max(1, churn["churn"]["done"])
stream = None
if cpu_stream:
    text = open(f"{work}/{name}-stream.tcpkali").read()
    start, end = map(int, open(f"{work}/{name}-stream.window").read().split())
    # tcpkali: "Aggregate bandwidth: 1234.567↓, 1234.567↑ Mbps" (received, sent)
    m = re.search(r"Aggregate bandwidth:\s*([0-9.]+)\D+([0-9.]+)\D+Mbps", text)
    down = float(m.group(1)) * 1e6 / 8 if m else None
    stream = {"server_to_client_bytes_per_second": down, "server_side_cpu_seconds": float(cpu_stream),
              "seconds": (end - start) / 1e3, "tcpkali_tail": text.strip().splitlines()[-6:]}
    stream["server_side_cpu_us_per_megabyte"] = float(cpu_stream) * 1e6 / (down * stream["seconds"] / 1e6) if down else None
json.dump({"target": target, "round": int(rnd), "position_in_round": int(position),
           "closed": closed, "rate": rate, "churn": churn, "stream": stream}, open(f"{work}/{name}.run.json", "w"), indent=2)
errors = lambda r: sum(r["errors"].values())
print(f"  {target:17} closed {closed['requests_per_second']:8.0f} req/s {closed['server_side_cpu_us_per_request']:5.1f} us"
      f" | {rate['requests_per_second']:6.0f}/s {rate['server_side_cpu_us_per_request']:5.1f} us"
      f" | churn {churn['churn']['done_per_second']:6.0f}/s {churn['server_side_cpu_us_per_connection']:6.0f} us"
      f" | errors {errors(closed)}/{errors(rate)}/{errors(churn)}"
      + (f" | stream {stream['server_to_client_bytes_per_second'] / 1e6:.0f} MB/s" if stream and stream['server_to_client_bytes_per_second'] else ""),
      file=sys.stderr)
PY
    sleep 1
}

RUNS=()
for round in $(seq 1 "$ROUNDS"); do
    # shellcheck disable=SC2206  # the targets' words
    order=($TARGETS)
    if (( round % 2 == 0 )); then
        order=($(printf '%s\n' "${order[@]}" | tac))
    fi
    position=1
    for target in "${order[@]}"; do
        measure "$target-$round" "$target" "$round" "$position"
        RUNS+=("$target-$round")
        position=$((position + 1))
    done
done

# A rotation under load: ricochet-tls serving a Secret-like folder (..data -> a timestamped
# folder, tls.crt -> ..data/tls.crt), swapped as the kubelet swaps it, mid-run, while
# ROTATION_CONNECTIONS closed-loop connections and a churn of new handshakes run.
ROTATION_CONNECTIONS=1000
ROTATION_CHURN=200
ROTATION_SECONDS=20
rotate_under_load() {
    local secret="$WORK/secret" name=rotation admin served="" swapped_at seen_at="" rc
    echo "$(date -u +%H:%M:%S) rotation under load ..." >&2
    mkdir -p "$secret/..2026_12_07_first" "$secret/..2026_12_07_second"
    cp "$WORK/pki/first.pem" "$secret/..2026_12_07_first/tls.crt"
    cp "$WORK/pki/first-key.pem" "$secret/..2026_12_07_first/tls.key"
    cp "$WORK/pki/second.pem" "$secret/..2026_12_07_second/tls.crt"
    cp "$WORK/pki/second-key.pem" "$secret/..2026_12_07_second/tls.key"
    ln -s ..2026_12_07_first "$secret/..data"
    ln -s ..data/tls.crt "$secret/tls.crt"
    ln -s ..data/tls.key "$secret/tls.key"
    start_server "$WORK/$name.log" --engine netty --echo-port "$PORT" --prime-port 0 --shutdown-delay 0s \
        --shutdown-grace 1s --tls-cert "$secret/tls.crt" --tls-key "$secret/tls.key" --tls-reload-interval 1s
    admin="$(sed -n 's/.*admin on [^:]*:\([0-9]*\).*/\1/p' "$WORK/$name.log" | head -n 1)"
    run_loadgen "$name-closed" ricochet-tls --connections "$ROTATION_CONNECTIONS" --connect-rate "$CONNECT_RATE" --warmup 2s \
        --duration "${ROTATION_SECONDS}s" --workload echo --pipeline 1 --message-size "$MESSAGE_SIZE" &
    local closed=$!
    run_loadgen "$name-churn" ricochet-tls --churn "$ROTATION_CHURN" --warmup 2s --duration "${ROTATION_SECONDS}s" \
        --message-size "$MESSAGE_SIZE" &
    local churn=$!
    sleep $((ROTATION_SECONDS / 2 + 3))
    # The kubelet's swap: a new symlink renamed over ..data, atomically.
    ln -s ..2026_12_07_second "$secret/..data_tmp"
    mv -T "$secret/..data_tmp" "$secret/..data"
    swapped_at="$(( ${EPOCHREALTIME/./} / 1000 ))"
    local want
    want="$(openssl x509 -noout -serial -in "$WORK/pki/second.pem")"
    for _ in $(seq 1 100); do
        served="$(openssl s_client -connect "127.0.0.1:$PORT" -CAfile "$CA" < /dev/null 2>/dev/null \
            | openssl x509 -noout -serial 2>/dev/null || true)"
        if [[ "$served" == "$want" ]]; then
            seen_at="$(( ${EPOCHREALTIME/./} / 1000 ))"
            break
        fi
        sleep 0.1
    done
    rc=0; wait "$closed" || rc=$?
    rc=0; wait "$churn" || rc=$?
    curl -sf "http://127.0.0.1:$admin/metrics" > "$WORK/$name.metrics" || true
    stop_server_within "$STOP_LIMIT"
    python3 - "$WORK" "$swapped_at" "${seen_at:-}" "$served" "$want" <<'PY'
import json, re, sys
work, swapped_at, seen_at, served, want = sys.argv[1:]
def report(phase):
    r = json.load(open(f"{work}/rotation-{phase}.json"))
    r["exit_code"] = int(open(f"{work}/rotation-{phase}.rc").read())
    return r
closed, churn = report("closed"), report("churn")
metrics = open(f"{work}/rotation.metrics").read()
def samples(name):
    return {m.group(1): float(m.group(2)) for m in re.finditer(rf"^{name}\{{(.*?)\}} ([0-9.eE+-]+)$", metrics, re.M)}
rotation = {
    "closed": closed, "churn": churn,
    "new_certificate_served": served == want,
    "new_certificate_seen_after_seconds": (int(seen_at) - int(swapped_at)) / 1e3 if seen_at else None,
    "server_tls_reloads": samples("ricochet_tls_reloads_total"),
    "server_tls_handshakes": samples("ricochet_tls_handshakes_total"),
}
json.dump(rotation, open(f"{work}/rotation.run.json", "w"), indent=2)
errors = lambda r: sum(r["errors"].values())
print(f"  rotation: new certificate served {served == want} after {rotation['new_certificate_seen_after_seconds']} s;"
      f" closed loop errors {errors(closed)}, churn errors {errors(churn)}", file=sys.stderr)
PY
}
[[ "$ROTATION" == yes ]] && rotate_under_load
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

export CONNECTIONS RATE DURATION WARMUP ROUNDS MESSAGE_SIZE HANDSHAKE_RATE HANDSHAKE_DURATION STREAM_CONNECTIONS \
    STREAM_MESSAGE_SIZE STREAM_SECONDS STREAMING ROTATION TARGETS
python3 - "$WORK" "$RESULTS" "$STARTED" "$(date -u +%Y-%m-%dT%H:%MZ)" "$LOAD_BEFORE" "$LOAD_AFTER" "$(nproc)" \
    "$("$JAVA" -version 2>&1 | head -n 1)" "$(haproxy -v | head -n 1)" "$(grep -ho 'TLS[^,]*' "$WORK"/ricochet-tls-1.log | head -n 1)" \
    "${RUNS[@]}" <<'PY'
import json, os, statistics, sys
work, out, started, finished, load_before, load_after, cpus, java, haproxy, provider, *names = sys.argv[1:]
runs = [json.load(open(f"{work}/{name}.run.json")) for name in names]
rotation = json.load(open(f"{work}/rotation.run.json")) if os.environ["ROTATION"] == "yes" else None
targets = [t for t in os.environ["TARGETS"].split()]
def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None
def of(target, key):
    return med([key(r) for r in runs if r["target"] == target])
errors = lambda phase: lambda r: sum(r[phase]["errors"].values())
figures = {
    "closed_requests_per_second": lambda r: r["closed"]["requests_per_second"],
    "closed_cpu_us_per_request": lambda r: r["closed"]["server_side_cpu_us_per_request"],
    "closed_p99_ms": lambda r: r["closed"]["latency_corrected_ms"].get("p99"),
    "rate_requests_per_second": lambda r: r["rate"]["requests_per_second"],
    "rate_cpu_us_per_request": lambda r: r["rate"]["server_side_cpu_us_per_request"],
    "rate_p99_ms": lambda r: r["rate"]["latency_corrected_ms"].get("p99"),
    "churn_connections_per_second": lambda r: r["churn"]["churn"]["done_per_second"],
    "churn_cpu_us_per_connection": lambda r: r["churn"]["server_side_cpu_us_per_connection"],
    "churn_connect_p99_ms": lambda r: r["churn"]["connect_time_ms"].get("p99"),
    "stream_bytes_per_second": lambda r: (r["stream"] or {}).get("server_to_client_bytes_per_second"),
    "stream_cpu_us_per_megabyte": lambda r: (r["stream"] or {}).get("server_side_cpu_us_per_megabyte"),
}
summary = {t: {key: of(t, f) for key, f in figures.items()} for t in targets}
for t in targets:
    for phase in ("closed", "rate", "churn"):
        summary[t][f"{phase}_errors_all_rounds"] = sum(errors(phase)(r) for r in runs if r["target"] == t)
def ratio(a, b, key):
    if a not in summary or b not in summary:
        return None
    x, y = summary[a][key], summary[b][key]
    return x / y if x is not None and y else None
goals = {
    "tls_over_plaintext_cpu_per_request_at_rate": ratio("ricochet-tls", "ricochet-plain", "rate_cpu_us_per_request"),
    "tls_over_plaintext_cpu_per_request_closed": ratio("ricochet-tls", "ricochet-plain", "closed_cpu_us_per_request"),
    "tls_over_haproxy_reference_cpu_per_request_at_rate": ratio("ricochet-tls", "haproxy-reference", "rate_cpu_us_per_request"),
    "tls_over_haproxy_reference_cpu_per_request_closed": ratio("ricochet-tls", "haproxy-reference", "closed_cpu_us_per_request"),
    "tls_over_haproxy_ricochet_cpu_per_request_at_rate": ratio("ricochet-tls", "haproxy-ricochet", "rate_cpu_us_per_request"),
}
options = {k.lower(): os.environ[k] for k in ("CONNECTIONS", "RATE", "DURATION", "WARMUP", "ROUNDS", "MESSAGE_SIZE",
    "HANDSHAKE_RATE", "HANDSHAKE_DURATION", "STREAM_CONNECTIONS", "STREAM_MESSAGE_SIZE", "STREAM_SECONDS", "TARGETS")}
report = {"started": started, "finished": finished, "load_before": load_before, "load_after": load_after,
          "cpus": int(cpus), "java": java, "haproxy": haproxy, "ricochet_tls": provider, "options": options,
          "streaming": os.environ["STREAMING"], "medians_over_rounds": summary, "ratios": goals,
          "rotation": rotation, "runs": runs}
json.dump(report, open(f"{out}/tls.json", "w"), indent=2)

def fmt(v, spec=".1f"):
    return "-" if v is None else format(v, spec)
sets = " ".join(f"{k.upper()}={v}" for k, v in options.items() if k != "targets")
with open(f"{out}/tls.md", "w") as md:
    md.write("# TLS: Ricochet's own, beside TLS terminated by HAProxy\n\n")
    md.write(f"{started} to {finished}, {cpus} cores shared by the server side, the clients and anything else on the "
             f"machine; load average before {load_before}, after {load_after}. {java}; {haproxy} (two processes of one "
             f"thread sharing the port); Ricochet's startup line: `{provider}`.\n\n")
    md.write(f"Command: `{sets} bench/tls.sh`. Each round starts each target afresh, the order alternating round by "
             "round. Server-side CPU is the server's plus HAProxy's, read from /proc over each load generator's "
             "measurement window. Every reply byte is checked by the load generator (tcpkali checks none). Medians "
             f"over {options['rounds']} round(s) (with two, their mean). Certificates: EC P-256, made for the run.\n\n")
    md.write("| | " + " | ".join(targets) + " |\n|---|" + "---|" * len(targets) + "\n")
    rows = [
        (f"C10K closed loop ({options['connections']} connections, {options['message_size']} B): requests/s", "closed_requests_per_second", ",.0f"),
        ("… server-side CPU per request, µs", "closed_cpu_us_per_request", ".1f"),
        ("… p99, ms", "closed_p99_ms", ".2f"),
        (f"open loop at {int(options['rate']):,}/s on the same connections: achieved/s", "rate_requests_per_second", ",.0f"),
        ("… server-side CPU per request, µs", "rate_cpu_us_per_request", ".1f"),
        ("… p99 (corrected), ms", "rate_p99_ms", ".2f"),
        (f"churn at {options['handshake_rate']}/s: connections/s achieved", "churn_connections_per_second", ",.0f"),
        ("… server-side CPU per connection (handshake, greeting, one request, close), µs", "churn_cpu_us_per_connection", ",.0f"),
        ("… connect (TCP + TLS handshake) p99, ms", "churn_connect_p99_ms", ".2f"),
        (f"streaming (tcpkali, {options['stream_connections']} connections, {options['stream_message_size']} B frames): MB/s back", "stream_bytes_per_second", None),
        ("… server-side CPU per MB, µs", "stream_cpu_us_per_megabyte", ",.0f"),
    ]
    for label, key, spec in rows:
        cells = [("-" if summary[t][key] is None else f"{summary[t][key] / 1e6:,.0f}") if spec is None
                 else fmt(summary[t][key], spec) for t in targets]
        md.write(f"| {label} | " + " | ".join(cells) + " |\n")
    md.write("| errors (closed / rate / churn, all rounds) | " + " | ".join(
        f"{summary[t]['closed_errors_all_rounds']} / {summary[t]['rate_errors_all_rounds']} / {summary[t]['churn_errors_all_rounds']}"
        for t in targets) + " |\n\n")
    if os.environ["STREAMING"] != "yes":
        md.write(f"Streaming: {os.environ['STREAMING']}.\n\n")
    md.write("## Against the goals\n\n")
    md.write(f"- TLS over plaintext, CPU per request at equal load ({int(options['rate']):,}/s): "
             f"**{fmt(goals['tls_over_plaintext_cpu_per_request_at_rate'], '.2f')}** (goal at most 1.5); closed loop: "
             f"{fmt(goals['tls_over_plaintext_cpu_per_request_closed'], '.2f')}.\n")
    md.write(f"- Ricochet with TLS over HAProxy + the reference epoll server, CPU per request at equal load: "
             f"**{fmt(goals['tls_over_haproxy_reference_cpu_per_request_at_rate'], '.2f')}** (goal at most 1.0); closed "
             f"loop: {fmt(goals['tls_over_haproxy_reference_cpu_per_request_closed'], '.2f')}; over HAProxy + Ricochet: "
             f"{fmt(goals['tls_over_haproxy_ricochet_cpu_per_request_at_rate'], '.2f')}.\n")
    if rotation:
        e = lambda r: sum(r["errors"].values())
        md.write(f"\n## A rotation under load\n\nRicochet with TLS, its certificate folder laid out as a Kubernetes "
                 "Secret volume and swapped (a new `..data` symlink renamed over the old) halfway through "
                 f"{rotation['closed']['connections_established'] if 'connections_established' in rotation['closed'] else ''} "
                 "closed-loop connections and a churn of new handshakes:\n\n")
        md.write(f"- new connections got the new certificate: {rotation['new_certificate_served']}, "
                 f"{fmt(rotation['new_certificate_seen_after_seconds'], '.1f')} s after the swap;\n")
        md.write(f"- closed loop: {rotation['closed']['requests']:,} requests, errors {e(rotation['closed'])}, "
                 f"exit {rotation['closed']['exit_code']}; churn: {rotation['churn']['churn']['done']:,} "
                 f"connections, errors {e(rotation['churn'])}, exit {rotation['churn']['exit_code']};\n")
        def by(counts, label, where=""):
            totals = {}
            for labels, value in counts.items():
                if where in labels:
                    key = dict(kv.split("=", 1) for kv in labels.split(","))[label].strip('"')
                    totals[key] = totals.get(key, 0) + int(value)
            return ", ".join(f"{k} {v:,}" for k, v in sorted(totals.items(), key=lambda kv: -kv[1])) or "none"
        reloads = by(rotation["server_tls_reloads"], "result")
        echo_handshakes = by(rotation["server_tls_handshakes"], "result", 'protocol="echo"')
        md.write(f"- the server's counters at the end: reloads {reloads}; echo handshakes {echo_handshakes}.\n")
print(open(f"{out}/tls.md").read())
PY
write_headline
