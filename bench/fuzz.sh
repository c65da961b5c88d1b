#!/usr/bin/env bash
# The long fuzz run: the echo and prime decoders against their oracles (jqwik, random streams
# cut into random reads) for TRIES cases each, then the protocol fuzz over real loopback
# sockets for ROUNDS rounds of 100 concurrent connections. CI runs the same tests briefly
# (500 tries, 2 rounds). Reports the cases run and the seeds; a failure prints the shrunk case.
# Writes bench/results/fuzz.md.
#
# Usage: bench/fuzz.sh [TRIES=100000] [ROUNDS=50]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

TRIES="${1:-100000}"
ROUNDS="${2:-50}"
STARTED="$(date -u +%Y-%m-%dT%H:%MZ)"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
REPORTS=server/target/surefire-reports
JAVA_HOME="$(./ricochet jdk | cut -d' ' -f1)"
export JAVA_HOME

begin=$SECONDS
rc=0
./mvnw -q -B -pl server -am verify \
    -Dtest='EchoHandlerPropertyTest,PrimeRequestDecoderPropertyTest,ProtocolFuzzOverLoopbackTest' \
    -Dsurefire.failIfNoSpecifiedTests=false -Djqwik.tries.default="$TRIES" -Dricochet.fuzz.rounds="$ROUNDS" \
    -Dsurefire.timeout=3600 || rc=$?
elapsed=$((SECONDS - begin))

summary() {
    local test="$1"
    local out="$REPORTS/dev.ricochet.server.$test-output.txt"
    [[ -f "$out" ]] || { echo "no output"; return; }
    if [[ "$test" == *Protocol* ]]; then
        # One line per engine ("protocol fuzz on ENGINE: N connections' streams checked, seed S").
        grep -h "^protocol fuzz on " "$out" | sed 's/^protocol fuzz on //' | paste -sd ';' - | sed 's/;/; /g'
    else
        echo "$(awk '/^tries = / { t += $3 } END { print t + 0 }' "$out") cases, seed $(awk '/^seed = / { s = $3 } END { print s }' "$out")"
    fi
}
{
    echo "# Fuzzing"
    echo
    echo "$STARTED, 2 cores shared, load average before: $LOAD_BEFORE. Command: \`bench/fuzz.sh $TRIES $ROUNDS\`; ${elapsed} s in all (build included); exit $rc."
    echo
    echo "| fuzzer | against | run |"
    echo "|---|---|---|"
    echo "| echo handler, random streams cut into random reads (jqwik) | EchoOracle (regular expression) | $(summary echo.EchoHandlerPropertyTest) |"
    echo "| prime pipeline, random line-framed streams cut into random reads, half-closed (jqwik) | PrimeOracle (docs/protocol.md, BigInteger) | $(summary prime.PrimeRequestDecoderPropertyTest) |"
    echo "| both protocols over loopback, 100 concurrent connections per round, random pieces, half-close | EchoOracle, PrimeOracle | $(summary engine.ProtocolFuzzOverLoopbackTest) |"
} > bench/results/fuzz.md
cat bench/results/fuzz.md
exit "$rc"
