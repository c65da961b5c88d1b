#!/usr/bin/env bash
# The README's picture: a short real load run against the server on loopback, written as an
# HTML report (--html), opened in headless Chromium at 1366x768 (the first screen, as a reader
# sees it) and kept as docs/images/loadgen-report.png, with the page itself beside it
# (loadgen-report.html, which the picture links to). CI's browser tests check pages of the
# same kind (LoadgenHtmlInBrowserTest); this script only refreshes the committed picture.
#
# Usage: [CONNECTIONS=100] [RATE=5000] [WARMUP=2s] [DURATION=10s] [ECHO_PORT=9090] [PRIME_PORT=8070]
#        bench/report-screenshot.sh  (the defaults are the README tour's run)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/lib.sh

CONNECTIONS="${CONNECTIONS:-100}"
RATE="${RATE:-5000}"
WARMUP="${WARMUP:-2s}"
DURATION="${DURATION:-10s}"
# The README's ports, so that the picture's title reads as the tour's command does.
ECHO_PORT="${ECHO_PORT:-9090}"
PRIME_PORT="${PRIME_PORT:-8070}"
OUT=docs/images
CHROMIUM="${RICOCHET_CHROMIUM:-$(command -v chromium || echo /usr/bin/chromium)}"
[[ -x "$CHROMIUM" ]] || { echo "report-screenshot: no chromium: install Debian's chromium (apt-get install chromium fonts-dejavu-core)" >&2; exit 2; }

bench_setup
WORK="$(mktemp -d)"
trap 'kill -TERM "${SERVER:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
start_server "$WORK/server.log" --echo-port "$ECHO_PORT" --prime-port "$PRIME_PORT"

mkdir -p "$OUT"
RICOCHET_NO_BUILD=1 ./ricochet loadgen --target "127.0.0.1:$ECHO_PORT" --connections "$CONNECTIONS" \
    --rate "$RATE" --warmup "$WARMUP" --duration "$DURATION" --html "$OUT/loadgen-report.html"
stop_server

# The flags of the tests' HeadlessChromium: a 1366x768 viewport (kiosk, or the window's frame
# takes 143 pixels), no sandbox (root), no network, a throwaway profile.
"$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --user-data-dir="$WORK/profile" \
    --kiosk --screen-info='{1366x768}' --window-size=1366,768 --force-device-scale-factor=1 --hide-scrollbars \
    --no-first-run --disable-background-networking --proxy-server=127.0.0.1:9 --host-resolver-rules='MAP * ~NOTFOUND' \
    --screenshot="$PWD/$OUT/loadgen-report.png" "file://$PWD/$OUT/loadgen-report.html" 2>/dev/null
echo "report-screenshot: $OUT/loadgen-report.png and $OUT/loadgen-report.html" >&2
