# Protocol and admin checks against a running Ricochet, shared by deploy/container-test.sh and
# deploy/k8s/kube-play-test.sh. Source it; every check prints one line and returns non-zero
# on failure. Clients are bash's /dev/tcp and curl, on loopback only; every read is bounded
# by `timeout`, so a server that does not answer fails the check instead of hanging it.

check_fail() { echo "FAIL: $*" >&2; return 1; }

# A free loopback port, for a port to publish.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null \
        || shuf -i 20000-29999 -n 1
}

# Waits until GET $1 answers 200, for at most $2 seconds.
wait_http_ok() {
    local url="$1" seconds="$2" deadline=$((SECONDS + $2))
    while (( SECONDS < deadline )); do
        [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" 2>/dev/null)" == 200 ]] && return 0
        sleep 0.3
    done
    check_fail "$url did not answer 200 within ${seconds}s"
}

# Sends the parts $4.. to the echo port $2 of host $1 (a pause between parts, so that they
# arrive as separate reads) and expects exactly the greeting plus $3 back before EOF.
echo_case() {
    local host="$1" port="$2" expected="$3" fd got
    shift 3
    exec {fd}<>"/dev/tcp/$host/$port" || { check_fail "echo: cannot connect to $host:$port"; return 1; }
    got="$(timeout 3 head -c 1 <&"$fd")"
    local part
    for part in "$@"; do printf '%s' "$part" >&"$fd"; sleep 0.1; done
    # Half-close is not possible from bash, so read exactly what is expected; then check
    # that nothing more arrives.
    got+="$(timeout 3 head -c "${#expected}" <&"$fd")"
    local extra
    extra="$(timeout 0.3 head -c 1 <&"$fd")" || true
    exec {fd}>&-
    [[ "$got" == "*$expected" && -z "$extra" ]] \
        || { check_fail "echo: sent $* and got '$got$extra' (expected: '*$expected')"; return 1; }
}

# The reference cases of docs/protocol.md.
check_echo() {
    local host="$1" port="$2"
    echo_case "$host" "$port" 'bcdbcuf' '^abc$de^abte$f' || return 1
    echo_case "$host" "$port" 'bclm91' '^ab$^kl$^80$50' || return 1
    echo_case "$host" "$port" '' '^$^$^$$^$$$$foobar^$$' || return 1
    echo_case "$host" "$port" '23436bc1111' 'xyz^123' '25$^ab0000$abab' || return 1
    echo "ok: echo reference cases on $host:$port"
}

check_prime() {
    local host="$1" port="$2" fd got expected=$'prime\nprime\ncomposite\ncomposite\ncomposite\nerror'
    exec {fd}<>"/dev/tcp/$host/$port" || { check_fail "prime: cannot connect to $host:$port"; return 1; }
    printf '97\n2305843009213693951\n100\n0\n1\nabc\n' >&"$fd"
    got="$(timeout 30 head -n 6 <&"$fd")"
    exec {fd}>&-
    # The last reply is "error: <reason>": compare up to its colon.
    [[ "${got%%:*}" == "$expected" ]] \
        || { check_fail "prime: got '$got' (expected: '$expected: ...')"; return 1; }
    echo "ok: prime reference cases on $host:$port"
}

# /health/live and /health/ready answer 200; /metrics has Ricochet's series and counts the
# connections the checks above made.
check_admin() {
    local host="$1" port="$2" code metrics
    for path in /health/live /health/ready; do
        code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://$host:$port$path")"
        [[ "$code" == 200 ]] || { check_fail "GET $path answered $code (expected: 200)"; return 1; }
    done
    metrics="$(curl -s --max-time 5 "http://$host:$port/metrics")" || { check_fail "GET /metrics failed"; return 1; }
    local name
    for name in 'ricochet_connections_accepted_total{engine="netty",protocol="echo"}' \
                'ricochet_connections_accepted_total{engine="netty",protocol="prime"}' \
                'ricochet_prime_requests_total{engine="netty",result="prime"}' 'ricochet_direct_memory_max_bytes' \
                'jvm_memory_max_bytes{area="heap"'; do
        grep -q -F "$name" <<< "$metrics" || { check_fail "/metrics has no $name"; return 1; }
    done
    local accepted
    accepted="$(awk '/^ricochet_connections_accepted_total\{engine="netty",protocol="echo"/ { print int($2) }' <<< "$metrics")"
    (( accepted >= 4 )) || { check_fail "/metrics counts $accepted echo connections (expected: >= 4)"; return 1; }
    echo "ok: /health/live, /health/ready and /metrics ($(grep -c '^ricochet_' <<< "$metrics") ricochet_ samples, $accepted echo connections counted)"
}

# Drain, part 1: opens an echo conversation left in the middle of a frame and a prime request
# that takes a while (trial division of 2^61-1), before the caller sends SIGTERM. Sets
# DRAIN_ECHO_FD and DRAIN_PRIME_FD.
drain_begin() {
    local host="$1" echo_port="$2" prime_port="$3" got
    exec {DRAIN_ECHO_FD}<>"/dev/tcp/$host/$echo_port" || { check_fail "drain: cannot connect"; return 1; }
    printf '^ab' >&"$DRAIN_ECHO_FD"
    got="$(timeout 3 head -c 3 <&"$DRAIN_ECHO_FD")"
    [[ "$got" == '*bc' ]] || { check_fail "drain: mid-frame echo got '$got' (expected: '*bc')"; return 1; }
    exec {DRAIN_PRIME_FD}<>"/dev/tcp/$host/$prime_port" || { check_fail "drain: cannot connect"; return 1; }
    printf '2305843009213693951\n' >&"$DRAIN_PRIME_FD"
}

# Drain, part 2 (after SIGTERM): readiness 503 at once while the echo port still accepts;
# after the shutdown delay ($4 seconds) the listeners are closed and the drain begins: the
# echo client finishes its frame and gets its answer and the end of the stream (what it sent
# after the '$' is discarded), and the prime client gets its reply and the end of the stream.
drain_finish() {
    local host="$1" admin_port="$2" echo_port="$3" delay="$4" code got fd
    # The signal may still be on its way (podman stop in the background): poll for 3 s.
    local deadline=$((SECONDS + 3))
    while :; do
        code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://$host:$admin_port/health/ready")"
        [[ "$code" == 503 ]] && break
        (( SECONDS < deadline )) || { check_fail "drain: /health/ready answered $code after SIGTERM (expected: 503)"; return 1; }
        sleep 0.1
    done
    exec {fd}<>"/dev/tcp/$host/$echo_port" \
        || { check_fail "drain: the echo port refused a connect during the shutdown delay"; return 1; }
    got="$(timeout 3 head -c 1 <&"$fd")"
    exec {fd}>&-
    [[ "$got" == '*' ]] || { check_fail "drain: a connect during the shutdown delay got '$got' (expected: '*')"; return 1; }
    sleep "$(echo "$delay + 1" | bc)"
    if (exec {fd}<>"/dev/tcp/$host/$echo_port") 2>/dev/null; then
        check_fail "drain: the echo port still accepts after the shutdown delay"; return 1
    fi
    printf 'c$^zz' >&"$DRAIN_ECHO_FD"
    got="$(timeout 60 cat <&"$DRAIN_ECHO_FD")"
    exec {DRAIN_ECHO_FD}>&-
    [[ "$got" == 'd' ]] || { check_fail "drain: the echo client got '$got' then the end (expected: 'd')"; return 1; }
    got="$(timeout 60 cat <&"$DRAIN_PRIME_FD")"
    exec {DRAIN_PRIME_FD}>&-
    [[ "$got" == 'prime' ]] || { check_fail "drain: the prime client got '$got' then the end (expected: 'prime')"; return 1; }
    echo "ok: drain: readiness 503 at once while still accepting, listeners closed after the delay, the frame under way finished ('d', '^zz' after its '$' discarded), the prime reply owed sent, then the end of both streams"
}
