# Shared by the benchmark scripts (source it from the repository root): builds once, finds
# the JDK, and starts, reads and stops a server on loopback. Every port it is not told about
# is a free one (admin included), so a benchmark never listens beyond 127.0.0.1.

# Builds if needed and sets JAVA, STARTED and LOAD_BEFORE.
bench_setup() {
    ./ricochet build
    JAVA="$(./ricochet jdk | cut -d' ' -f1)/bin/java"
    STARTED="$(date -u +%Y-%m-%dT%H:%MZ)"
    LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
    mkdir -p bench/results
}

# start_server LOG [SERVER OPTIONS...]: starts the server (JVM options from SERVER_JVM_OPTS),
# sets SERVER to its pid, and returns once it listens; exits with its log if it does not.
start_server() {
    local log="$1"; shift
    # shellcheck disable=SC2086  # SERVER_JVM_OPTS is a list of options
    "$JAVA" --enable-native-access=ALL-UNNAMED ${SERVER_JVM_OPTS:-} -jar server/target/ricochet-server.jar \
        --bind 127.0.0.1 --admin-bind 127.0.0.1 --admin-port 0 "$@" >"$log" 2>&1 &
    SERVER=$!
    for _ in $(seq 1 100); do grep -q Listening "$log" && return 0; sleep 0.1; done
    cat "$log" >&2
    kill "$SERVER"
    exit 1
}

stop_server() {
    kill -TERM "$SERVER"
    wait "$SERVER" || true
}

# CPU seconds (user + system) the server has used so far.
server_cpu_seconds() {
    awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$SERVER/stat"
}

# seconds_between BEFORE AFTER: AFTER - BEFORE, two decimals.
seconds_between() {
    awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'
}
