#!/usr/bin/env bash
# Offline checks of the Kubernetes manifests (run by .ci/run; about 30 s):
#  - `kubectl kustomize` renders every overlay and the load generator Job;
#  - every rendered object validates against the Kubernetes, prometheus-operator and
#    cert-manager schemas (npm: kubernetes-models, @kubernetes-models/prometheus-operator,
#    @kubernetes-models/cert-manager; see tools/check.mjs);
#  - the manifests agree with the server: ConfigMap keys, ports, probes, grace period,
#    memory, autoscaler, PrometheusRule = deploy/prometheus/rules/, TLS files in a Secret
#    volume and the cert-manager Certificate that writes it (tools/check.mjs);
#  - the load generator's Indexed Job can be merged: completions = parallelism = --shards,
#    --json=-, --start-at from a ConfigMap, no retry of a shard (tools/check.mjs);
#  - the probe paths answer on a real server started with each overlay's ConfigMap, in a
#    network namespace of its own (so the ConfigMap's real ports never collide with anything);
#    where the ConfigMap turns TLS on, the Secret volume is stood in for by a throwaway
#    certificate laid out as the kubelet does, the echo and prime ports must answer over
#    verified TLS, and a renewal (the kubelet's ..data symlink swap) must be served to new
#    connections without a restart.
# Usage: deploy/k8s/check.sh        (needs kubectl, node and npm; root for the namespace)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
TOOLS="$ROOT/deploy/k8s/tools"
START=$SECONDS

die() { echo "k8s-check: $*" >&2; exit 1; }
command -v kubectl >/dev/null 2>&1 || die "kubectl (1.27+, with kustomize) is needed to render the manifests"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1 || die "node and npm are needed (apt-get install nodejs npm)"
    echo "k8s-check: installing nodejs and npm ..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >&2
fi
# The validators, pinned by package-lock.json.
if [[ ! -d "$TOOLS/node_modules" || "$TOOLS/package-lock.json" -nt "$TOOLS/node_modules/.package-lock.json" ]]; then
    (cd "$TOOLS" && npm ci --no-audit --no-fund --loglevel=error >&2) || die "npm ci failed in $TOOLS"
fi

WORK="$(mktemp -d /tmp/ricochet-k8s-check.XXXXXX)"
SERVER_PID=""
cleanup() {
    [[ -n "$SERVER_PID" ]] && kill -KILL "$SERVER_PID" 2>/dev/null
    rm -rf "$WORK"
    return 0
}
trap cleanup EXIT INT TERM

# The server's own list of variables (the jar is rebuilt when stale, as ./ricochet does).
JDK="$("$ROOT/ricochet" jdk | awk '{ print $1 }')"
if [[ ! -f server/target/ricochet-server.jar \
        || -n "$(find pom.xml server/pom.xml server/src/main -newer server/target/ricochet-server.jar -print -quit)" ]]; then
    ./ricochet build
fi
env -i PATH="$PATH" "$JDK/bin/java" -jar server/target/ricochet-server.jar --help > "$WORK/help.txt"

RENDERINGS=()
for overlay in dev production monitoring cert-manager; do
    kubectl kustomize "deploy/k8s/overlays/$overlay" > "$WORK/$overlay.yaml" \
        || die "kubectl kustomize deploy/k8s/overlays/$overlay failed"
    RENDERINGS+=("$overlay=$WORK/$overlay.yaml")
done
kubectl kustomize deploy/k8s/loadgen > "$WORK/loadgen.yaml" || die "kubectl kustomize deploy/k8s/loadgen failed"
RENDERINGS+=("loadgen=$WORK/loadgen.yaml")
echo "ok: kubectl kustomize renders overlays dev, production, monitoring, cert-manager and the loadgen Job"

RICOCHET_SERVICE_RENDER="$WORK/production.yaml" node "$TOOLS/check.mjs" --help-text "$WORK/help.txt" "${RENDERINGS[@]}"

# A stand-in for a kubernetes.io/tls Secret volume at DIR, laid out as the kubelet's atomic
# writer lays one out and renews it: the files in a hidden timestamped directory, ..data a
# symlink to it, each key a symlink through ..data; a renewal writes a new directory and
# swaps ..data with a rename, then removes the old one. The certificate (ECDSA P-256, key in
# PKCS#8 as overlays/cert-manager asks for) is for the Service's name and 127.0.0.1, signed
# by a throwaway CA in $WORK/ca; each call writes a new key and certificate.
write_secret_volume() {
    local dir="$1" ca="$WORK/ca" stamp old
    stamp="..$(date -u +%Y_%m_%d_%H_%M_%S).$$$RANDOM"
    if [[ ! -f "$ca/ca.crt" ]]; then
        mkdir -p "$ca"
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=ricochet-check-ca \
            -keyout "$ca/ca.key" -out "$ca/ca.crt" 2>/dev/null
    fi
    mkdir -p "$dir/$stamp"
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=ricochet \
            -keyout "$dir/$stamp/tls.key" 2>/dev/null \
        | openssl x509 -req -CA "$ca/ca.crt" -CAkey "$ca/ca.key" -CAcreateserial -days 1 -out "$dir/$stamp/tls.crt" \
            -extfile <(printf 'subjectAltName=DNS:ricochet,DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n') 2>/dev/null
    cp "$ca/ca.crt" "$dir/$stamp/ca.crt"
    old="$(readlink "$dir/..data" 2>/dev/null || true)"
    ln -s "$stamp" "$dir/..data_tmp"
    mv -T "$dir/..data_tmp" "$dir/..data"
    for key in tls.crt tls.key ca.crt; do [[ -L "$dir/$key" ]] || ln -s "..data/$key" "$dir/$key"; done
    [[ -z "$old" ]] || rm -rf "${dir:?}/$old"
}
export -f write_secret_volume
export WORK

# The probes against a real server started with each overlay's settings.
[[ "$(id -u)" -eq 0 ]] || die "the probe check needs root (a network namespace of its own)"
probe_overlay() {
    local overlay="$1" env_file="$WORK/$1.env" paths=() mounts=() line tls_dir=""
    node "$TOOLS/check.mjs" --print-env "$WORK/$overlay.yaml" > "$WORK/$overlay.print"
    grep '^RICOCHET_' "$WORK/$overlay.print" > "$env_file" || true
    while read -r line; do paths+=("${line#probe }"); done < <(grep '^probe ' "$WORK/$overlay.print")
    while read -r line; do mounts+=("${line#tls-mount }"); done < <(grep '^tls-mount ' "$WORK/$overlay.print")
    if (( ${#mounts[@]} > 0 )); then
        (( ${#mounts[@]} == 1 )) || die "$overlay: TLS files in ${#mounts[@]} Secret volumes (this check stands in for one)"
        # The Secret volume's stand-in; the ConfigMap's paths under its mount point go there.
        tls_dir="$WORK/$overlay-tls"
        write_secret_volume "$tls_dir"
        sed -i "s#=${mounts[0]}/#=$tls_dir/#" "$env_file"
        # Files read again every second, not every 10 s: the renewal below is seen at once.
        sed -i '/^RICOCHET_TLS_RELOAD_INTERVAL=/d' "$env_file"
        echo "RICOCHET_TLS_RELOAD_INTERVAL=1s" >> "$env_file"
    fi
    local admin_port
    admin_port="$(awk -F= '$1 == "RICOCHET_ADMIN_PORT" { print $2 }' "$env_file")"
    admin_port="${admin_port:-8080}"
    # In a new network namespace (only its own loopback): start the server with exactly
    # these variables, wait until ready, ask every probe path (and, with TLS, the protocols
    # over TLS, before and after a renewal), then SIGTERM: readiness must turn 503; a second
    # SIGTERM ends the delay at once and the server exits 0.
    unshare --net bash -s "$JDK" "$env_file" "$admin_port" "$tls_dir" "${paths[@]}" > "$WORK/$overlay.probe" 2>&1 <<'INNER' \
        || { cat "$WORK/$overlay.probe" >&2; die "$overlay: the probes did not answer as expected on a server started with its ConfigMap"; }
set -euo pipefail
jdk="$1" env_file="$2" admin_port="$3" tls_dir="$4"; shift 4
ip link set lo up
mapfile -t vars < "$env_file"
env -i PATH="$PATH" "${vars[@]}" "$jdk/bin/java" --enable-native-access=ALL-UNNAMED -jar server/target/ricochet-server.jar &
pid=$!
for _ in $(seq 1 100); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$admin_port/health/ready")" == 200 ]] && break
    kill -0 "$pid" 2>/dev/null || { echo "the server exited"; wait "$pid"; exit 1; }
    sleep 0.2
done
for path in "$@"; do
    code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$admin_port$path")"
    echo "GET $path -> $code"
    [[ "$code" == 200 ]] || { kill -KILL "$pid"; exit 1; }
done
if [[ -n "$tls_dir" ]]; then
    setting() { awk -F= -v k="$1" '$1 == k { print $2 }' "$env_file"; }
    echo_port="$(setting RICOCHET_ECHO_PORT)" prime_port="$(setting RICOCHET_PRIME_PORT)"
    # A client that trusts the CA only and checks the name the Service is reached by.
    tls() { openssl s_client -quiet -no_ign_eof -connect "127.0.0.1:$1" -servername ricochet \
                -CAfile "$tls_dir/ca.crt" -verify_return_error -verify_hostname ricochet 2>/dev/null; }
    served() { openssl s_client -connect "127.0.0.1:${echo_port:-9090}" -servername ricochet < /dev/null 2>/dev/null \
                   | openssl x509 -noout -fingerprint -sha256 2>/dev/null; }
    reply="$( (printf '^ab$'; sleep 1) | tls "${echo_port:-9090}" || true)"
    echo "echo over TLS: ^ab\$ -> $reply"
    [[ "$reply" == '*bc' ]] || { kill -KILL "$pid"; exit 1; }
    reply="$( (printf '7\n'; sleep 1) | tls "${prime_port:-8070}" || true)"
    echo "prime over TLS: 7 -> $reply"
    [[ "$reply" == prime ]] || { kill -KILL "$pid"; exit 1; }
    # A renewal as the kubelet writes it: new connections must get the new certificate.
    write_secret_volume "$tls_dir"
    renewed="$(openssl x509 -noout -fingerprint -sha256 -in "$tls_dir/tls.crt")"
    # Read again every second (RICOCHET_TLS_RELOAD_INTERVAL=1s): 20 s leaves a busy machine room.
    for i in $(seq 1 40); do
        [[ "$(served)" == "$renewed" ]] && break
        (( i < 40 )) || { echo "the renewed certificate was not served within 20 s"; kill -KILL "$pid"; exit 1; }
        sleep 0.5
    done
    echo "renewal (..data swapped): served to new connections, server pid $pid unchanged"
    kill -0 "$pid"
fi
kill -TERM "$pid"; sleep 0.5
code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$admin_port/health/ready")"
echo "after SIGTERM: GET /health/ready -> $code"
[[ "$code" == 503 ]] || { kill -KILL "$pid"; exit 1; }
kill -TERM "$pid"
rc=0; wait "$pid" || rc=$?
echo "exit $rc"
exit "$rc"
INNER
    echo "ok: $overlay: probe paths $(printf '%s ' "${paths[@]}")answer 200 on a server started with its ConfigMap ($(wc -l < "$env_file") settings)${tls_dir:+, echo and prime over verified TLS, a renewal served without a restart}, /health/ready 503 after SIGTERM, exit 0"
}
probe_overlay dev
probe_overlay production
echo "k8s-check: passed in $((SECONDS - START))s"
