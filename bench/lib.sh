# Shared by the benchmark scripts (source it from the repository root): builds once, finds
# the JDK, and starts, reads and stops a server on loopback. Every port it is not told about
# is a free one (admin included), so a benchmark never listens beyond 127.0.0.1.

# Builds if needed and sets JAVA, STARTED and LOAD_BEFORE.
bench_setup() {
    ./ricochet build
    JAVA="$(./ricochet jdk | cut -d' ' -f1)/bin/java"
    # The launcher then takes this JDK without searching for one at every server start.
    JAVA_HOME="$(dirname "$(dirname "$JAVA")")"
    export JAVA_HOME
    STARTED="$(date -u +%Y-%m-%dT%H:%MZ)"
    LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
    mkdir -p bench/results
}

# write_page KIND DIR NAME: DIR/NAME.html, the results' page (bench-report's page command: the
# charts drawn from DIR/NAME.json, then DIR/NAME.md whole), beside them. A page that cannot be
# written leaves the results as they are and says so: the figures matter more than their page.
write_page() {
    local kind="$1" dir="$2" name="$3"
    if "$JAVA" -Djava.awt.headless=true -jar bench-report/target/ricochet-bench-report.jar page "$kind" \
        "$dir/$name.json" "$dir/$name.md" "$dir/$name.html" > /dev/null; then
        echo "$(basename "$0"): the page: $dir/$name.html" >&2
    else
        echo "$(basename "$0"): $dir/$name.html could not be written (see above); $name.json and $name.md are written" >&2
    fi
}

# write_headline: rewrites the README's headline table from bench/results/*.json (bench-report's
# `headline` command), so that the README never shows a figure the results just written do not
# hold. Run last by the scripts whose results the table reads; a failure leaves the results as
# they are and says so (the build's ReadmeHeadlineTest then fails until it is rewritten).
write_headline() {
    "$JAVA" -jar bench-report/target/ricochet-bench-report.jar headline bench/results README.md \
        || echo "bench: the README's headline table was not rewritten (see above)" >&2
}

# start_server LOG [SERVER OPTIONS...]: starts the server as a user does, with the launcher
# (so with its JVM defaults; JVM options from SERVER_JVM_OPTS come after them and win), sets
# SERVER to its pid, and returns once it listens; exits with its log if it does not.
start_server() {
    try_start_server "$@" && return 0
    cat "$1" >&2
    exit 1
}

# try_start_server LOG [SERVER OPTIONS...]: as start_server, but returns 1 when the server does
# not listen within 10 s (it is killed, its log kept), for a script that goes on without it.
try_start_server() {
    local log="$1"; shift
    # The launcher execs the JVM: its pid is the server's. Built once by bench_setup: a jar
    # gone stale since (sources edited mid-run) fails the start instead of being rebuilt.
    JAVA_OPTS="${SERVER_JVM_OPTS:-}" RICOCHET_NO_BUILD=1 ./ricochet server \
        --bind 127.0.0.1 --admin-bind 127.0.0.1 --admin-port 0 "$@" >"$log" 2>&1 &
    SERVER=$!
    for _ in $(seq 1 100); do
        grep -q Listening "$log" && return 0
        server_running || break # it exited (bad usage, port taken): no point waiting
        sleep 0.1
    done
    kill -KILL "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
    return 1
}

# Whether the server still runs. A server that exited stays a zombie until it is waited for,
# and kill -0 succeeds on a zombie, so this reads its state instead.
server_running() {
    local stat
    read -r -a stat 2>/dev/null < "/proc/$SERVER/stat" || return 1
    [[ "${stat[2]}" != Z ]]
}

stop_server() {
    kill -TERM "$SERVER"
    wait "$SERVER" || true
}

# stop_server_within SECONDS: SIGTERM, then SIGKILL when the server still runs SECONDS later
# (a blocking engine stuck on a connection must not hang the benchmark); sets STOPPED_BY to
# sigterm, sigkill, or exited (it had stopped by itself before).
stop_server_within() {
    STOPPED_BY=sigterm
    server_running || STOPPED_BY=exited
    kill -TERM "$SERVER" 2>/dev/null || true
    for _ in $(seq 1 $(($1 * 10))); do
        server_running || break
        sleep 0.1
    done
    if server_running; then
        STOPPED_BY=sigkill
        kill -KILL "$SERVER" 2>/dev/null || true
    fi
    wait "$SERVER" 2>/dev/null || true
}

# CPU seconds (user + system) the server has used so far.
server_cpu_seconds() {
    awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$SERVER/stat"
}

# sample_server_cpu FILE: writes "epoch-microseconds cpu-microseconds threads rss-KiB
# user-microseconds system-microseconds" lines for
# the server every 100 ms, in the background, until it exits; sets SAMPLER. server_cpu_between
# and peak_server_threads read it.
sample_server_cpu() {
    local hz page_kib
    hz="$(getconf CLK_TCK)"
    page_kib=$(( $(getconf PAGESIZE) / 1024 ))
    # Builtins but for sleep: processes started per sample would share the benchmark's cores.
    (while read -r -a stat 2>/dev/null < "/proc/$SERVER/stat"; do
        # Fields 14 and 15 (user, system), 20 (threads) and 24 (resident pages); the command
        # name in field 2 has no spaces here ("(java)", "(epoll-server)").
        echo "${EPOCHREALTIME/./} $(( (stat[13] + stat[14]) * 1000000 / hz )) ${stat[19]} $(( stat[23] * page_kib ))" \
            "$(( stat[13] * 1000000 / hz )) $(( stat[14] * 1000000 / hz ))"
        sleep 0.1
    done) > "$1" &
    SAMPLER=$!
}

# peak_server_threads FILE: the most threads the server had at one sample of sample_server_cpu.
peak_server_threads() {
    awk 'NF >= 3 && $3 > peak { peak = $3 } END { print peak + 0 }' "$1"
}

# The server's peak RSS in MiB so far (VmHWM: for a fresh server, the most it has held);
# nothing when it is gone.
server_peak_rss_mib() {
    awk '/^VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$SERVER/status" 2>/dev/null || true
}

# server_cpu_between FILE FROM-MS TO-MS [COLUMN=2]: the server's CPU seconds between two
# wall-clock times (a load generator's measurement window), interpolated between samples;
# COLUMN 5 gives the user part alone, 6 the system (kernel) part.
server_cpu_between() {
    python3 - "$@" <<'PY'
import bisect, sys
path, start, end = sys.argv[1], float(sys.argv[2]) * 1000, float(sys.argv[3]) * 1000  # ms -> us
column = int(sys.argv[4]) - 1 if len(sys.argv) > 4 else 1
rows = [(float(f[0]), float(f[column])) for f in (line.split() for line in open(path)) if len(f) > column]
times = [t for t, _ in rows]
def at(t):
    i = min(max(bisect.bisect_left(times, t), 1), len(rows) - 1)
    (t0, c0), (t1, c1) = rows[i - 1], rows[i]
    return c0 + (c1 - c0) * min(1.0, max(0.0, (t - t0) / max(1.0, t1 - t0)))
print(f"{(at(end) - at(start)) / 1e6:.3f}")
PY
}

# TCP segments this machine has sent so far (all sockets; on a quiet machine, the benchmark's).
tcp_out_segments() {
    awk '/^Tcp:/ { if (!header) { for (i = 1; i <= NF; i++) if ($i == "OutSegs") col = i; header = 1 } else print $col }' /proc/net/snmp
}

# seconds_between BEFORE AFTER: AFTER - BEFORE, two decimals.
seconds_between() {
    awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'
}

# raise_open_files N: raises this shell's open-file limit to N (inherited by the processes it
# starts) when the hard limit allows; exits 2 when it does not.
raise_open_files() {
    [[ "$(ulimit -n)" == unlimited ]] || (( $(ulimit -n) >= $1 )) && return 0
    ulimit -Sn "$1" 2>/dev/null && return 0
    echo "$(basename "$0" .sh): open-file limit $(ulimit -n) (hard $(ulimit -Hn)) is below $1" >&2
    exit 2
}

# require_report REPORT OUTPUT EXIT WHAT: returns when the load generator wrote its JSON report
# REPORT; otherwise prints its OUTPUT and exits 1, naming the run (WHAT) and its EXIT code.
require_report() {
    [[ -s "$1" ]] && return 0
    cat "$2" >&2
    echo "$(basename "$0" .sh): the load generator wrote no report for $4 (exit $3)" >&2
    exit 1
}

# measurement_window REPORT: the start and end (epoch milliseconds) of the measurement of a load
# generator's JSON report, on one line.
measurement_window() {
    python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(r["measure_start_epoch_ms"], r["measure_end_epoch_ms"])' "$1"
}

# server_cpu_over_report FILE REPORT [COLUMN]: the server's CPU seconds over the measurement
# window of load generator report REPORT (CPU samples of sample_server_cpu in FILE; COLUMN as
# for server_cpu_between); nothing when there is no report.
server_cpu_over_report() {
    [[ -s "$2" ]] || return 0
    # shellcheck disable=SC2046  # two numbers
    server_cpu_between "$1" $(measurement_window "$2") "${3:-2}"
}

# seconds_of DURATION: whole seconds, rounded up, of 500ms, 20s or 2m; exits on anything else.
seconds_of() {
    if [[ ! "$1" =~ ^([0-9]+)(ms|s|m)$ ]]; then
        echo "$(basename "$0" .sh): '$1' is not a duration such as 500ms, 20s or 2m" >&2
        exit 2
    fi
    case "${BASH_REMATCH[2]}" in
        ms) echo $(( (BASH_REMATCH[1] + 999) / 1000 )) ;;
        s) echo "${BASH_REMATCH[1]}" ;;
        m) echo $(( BASH_REMATCH[1] * 60 )) ;;
    esac
}

# ensure_debian_package PACKAGE FILE: installs Debian's PACKAGE (as root, with apt-get) when
# FILE, which it provides, is missing; returns 1 with a hint when it cannot.
ensure_debian_package() {
    [[ -e "$2" ]] && return 0
    if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null; then
        echo "$(basename "$0" .sh): installing Debian's $1 ..." >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >&2 && [[ -e "$2" ]] && return 0
    fi
    echo "$(basename "$0" .sh): $2 is missing: apt-get install $1" >&2
    return 1
}

# reference_sources: where Concurrent Servers' C servers and their reset patch are, unless the caller
# set REFERENCE_SRC and RESET_PATCH: ../shared/reference/async-socket-server, and the patch
# beside the sources or else the shared one. Sets both; checks neither.
reference_sources() {
    local shared
    shared="$(cd .. && pwd)/shared/reference/async-socket-server"
    REFERENCE_SRC="${REFERENCE_SRC:-$shared}"
    if [[ -z "${RESET_PATCH:-}" ]]; then
        RESET_PATCH="$REFERENCE_SRC/reset-survival.patch"
        [[ -f "$RESET_PATCH" ]] || RESET_PATCH="$shared/reset-survival.patch"
    fi
}

# require_reference_capacity N: exits 2, with a message, when N connections are more than the
# reference holds: it keeps its connections in an array indexed by file descriptor, of 16,384.
require_reference_capacity() {
    if (( $1 > 16000 )); then
        echo "$(basename "$0" .sh): CONNECTIONS $1 is more than the reference holds (fds below 16,384)" >&2
        exit 2
    fi
}

# build_reference SOURCE-DIR TARGET [PATCH]: builds program TARGET of Concurrent Servers' C servers
# (2017/async-socket-server) in $WORK/ref, a copy of SOURCE-DIR with PATCH applied (patch -p0),
# never in the project; sets REFERENCE to the program. The copy binds 127.0.0.1 instead of every
# interface (its only other change), so that a benchmark listens on loopback alone; the
# loadgen's traffic is the same. Exits when the build fails.
build_reference() {
    rm -rf "$WORK/ref"
    cp -r "$1" "$WORK/ref"
    chmod -R u+w "$WORK/ref" # a read-only source folder gives a read-only copy
    if [[ -n "${3:-}" ]]; then
        patch -s -p0 --batch --forward -d "$WORK/ref" < "$3" >&2
    fi
    local file
    for file in "$WORK/ref"/*.c; do
        sed -i -e 's/s_addr = INADDR_ANY;/s_addr = htonl(INADDR_LOOPBACK);/' \
            -e 's/uv_ip4_addr("0\.0\.0\.0"/uv_ip4_addr("127.0.0.1"/' "$file"
    done
    timeout 300 make -s -C "$WORK/ref" "$2" >&2
    REFERENCE="$WORK/ref/$2"
}

# start_reference PORT: starts $REFERENCE on PORT, sets SERVER to its pid and returns once it
# accepts a connection; exits if it does not within 10 s, or if something else already
# listens on PORT (whose connections would be taken for the reference's). Its output goes to
# /dev/null, as its own documentation runs it (it prints a line per connection or request).
start_reference() {
    if [[ -n "$(ss -Hltn "sport = :$1")" ]]; then
        echo "$(basename "$0" .sh): port $1 is taken by another program; the reference was not started" >&2
        exit 1
    fi
    "$REFERENCE" "$1" > /dev/null 2>&1 &
    SERVER=$!
    for _ in $(seq 1 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
            # Bound by build_reference to loopback; a source it could not change says so here.
            if ss -Hltn "sport = :$1" | awk '{ print $4 }' | grep -qv '^127\.0\.0\.1:'; then
                echo "$(basename "$0" .sh): the reference server listens beyond 127.0.0.1; not run" >&2
                exit 1
            fi
            return 0
        fi
        server_running || break
        sleep 0.1
    done
    echo "$(basename "$0" .sh): the reference server ($REFERENCE) did not start on port $1" >&2
    exit 1
}

# tcpkali_sources: where tcpkali's sources are, unless the caller set TCPKALI_SRC:
# ../shared/reference/tcpkali/tcpkali-src. Sets SHARED_TCPKALI and TCPKALI_SRC; checks neither.
tcpkali_sources() {
    SHARED_TCPKALI="$(cd .. && pwd)/shared/reference/tcpkali"
    TCPKALI_SRC="${TCPKALI_SRC:-$SHARED_TCPKALI/tcpkali-src}"
}

# build_tcpkali: sets TCPKALI to a tcpkali built from TCPKALI_SRC in $WORK/tcpkali, unless the
# caller gave one; the script defines fail_usage. Exits 2 when the sources cannot be built here.
build_tcpkali() {
    if [[ -n "${TCPKALI:-}" ]]; then
        [[ -x "$TCPKALI" ]] || fail_usage "TCPKALI=$TCPKALI is not an executable"
        return 0
    fi
    [[ -f "$TCPKALI_SRC/configure.ac" ]] || fail_usage "no tcpkali sources at $TCPKALI_SRC (set TCPKALI_SRC, or TCPKALI to a built tcpkali)"
    if [[ ! -f "$TCPKALI_SRC/m4/ax_make_optional_include.m4" || ! -f "$TCPKALI_SRC/deps/libstatsd/libstatsd.m4" ]]; then
        fail_usage "$TCPKALI_SRC lacks the m4/ folder and deps/libstatsd/libstatsd.m4 of tcpkali's repository, which" \
            "autoreconf needs: set TCPKALI_SRC to a clone of satori-com/tcpkali (commit 3c3175e4, tcpkali 1.2.0)"
    fi
    local package
    for package in autoconf:/usr/bin/autoreconf automake:/usr/bin/automake libtool:/usr/bin/libtoolize \
        bison:/usr/bin/bison flex:/usr/bin/flex; do
        ensure_debian_package "${package%%:*}" "${package#*:}" || exit 2
    done
    echo "$(date -u +%H:%M:%S) building tcpkali from $TCPKALI_SRC ..." >&2
    cp -r "$TCPKALI_SRC" "$WORK/tcpkali"
    chmod -R u+w "$WORK/tcpkali"
    # glibc 2.32 and later have no <sys/sysctl.h>; the patch guards that one include.
    local fix="$SHARED_TCPKALI/sysctl-include.patch"
    if [[ -f "$fix" ]] && ! patch --dry-run -R -s -f -p0 -d "$WORK/tcpkali" < "$fix" >/dev/null 2>&1; then
        patch -s -f -p0 -d "$WORK/tcpkali" < "$fix" >&2 # unless a copy has it already
    fi
    (cd "$WORK/tcpkali" && autoreconf -i && ./configure && make -j2) > "$WORK/tcpkali-build.log" 2>&1 || {
        tail -n 30 "$WORK/tcpkali-build.log" >&2
        echo "$(basename "$0" .sh): tcpkali did not build (log above)" >&2
        exit 1
    }
    TCPKALI="$WORK/tcpkali/src/tcpkali"
}

# make_certificates: in $WORK/pki, a CA (sets CA to its file) and two server certificates for
# 127.0.0.1 and localhost, first.pem and second.pem (the one a rotation swaps in) with their
# keys first-key.pem and second-key.pem (PKCS#8, as the server reads them), EC P-256 as a
# cert-manager default would be; first-haproxy.pem holds a certificate and its key together,
# as HAProxy wants them.
make_certificates() {
    local pki="$WORK/pki" name
    mkdir -p "$pki"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=ricochet bench CA" \
        -keyout "$pki/ca-key.pem" -out "$pki/ca.pem" 2>/dev/null
    for name in first second; do
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
            -keyout "$pki/$name-key.pem" -out "$pki/$name.csr" 2>/dev/null
        printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > "$pki/$name.ext"
        openssl x509 -req -in "$pki/$name.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca-key.pem" -CAcreateserial \
            -days 2 -extfile "$pki/$name.ext" -out "$pki/$name.pem" 2>/dev/null
        cat "$pki/$name.pem" "$pki/$name-key.pem" > "$pki/$name-haproxy.pem"
    done
    CA="$pki/ca.pem"
}
