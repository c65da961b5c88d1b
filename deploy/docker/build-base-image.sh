#!/usr/bin/env bash
# Builds the local base image for machines without an image registry: a minimal Debian
# bookworm root filesystem (debootstrap, from the Debian mirror apt already uses) plus a
# jlink runtime of the local JDK holding only the modules Ricochet needs, at
# /opt/java/openjdk with java on PATH: the layout of the public eclipse-temurin images, so
# deploy/docker/Dockerfile builds the same way on either.
#
# Usage: deploy/docker/build-base-image.sh        prints the image name on its last line
# The image is kept and reused while this script and the JDK stay the same (about 40 s the
# first time). Needs root, podman and debootstrap (installed with apt-get when missing).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=deploy/lib/podman.sh
source "$ROOT/deploy/lib/podman.sh"

# java.xml: the log4j2.xml configuration; jdk.net: TCP keepalive options; jdk.management
# and java.management: JVM metrics; jdk.unsupported: Netty's fast paths; jdk.jfr: Netty's
# allocator events; java.naming: log4j's lookups. `jdeps --print-module-deps` lists more
# (java.desktop, java.sql, java.rmi, ...), all from optional code of log4j and Micrometer
# that Ricochet does not use; the container test proves this set serves every path.
MODULES="java.base,java.logging,java.xml,java.naming,java.management,jdk.management,jdk.net,jdk.unsupported,jdk.jfr"

die() { echo "build-base-image: $*" >&2; exit 1; }
[[ "$(id -u)" -eq 0 ]] || die "needs root (podman import and debootstrap run as root here)"

# The Debian mirror apt uses for bookworm (deb822 sources first, then sources.list).
debian_mirror() {
    local file uri
    for file in /etc/apt/sources.list.d/*.sources; do
        [[ -f "$file" ]] || continue
        uri="$(awk '
            /^URIs:/ { uris = $2 } /^Suites:/ { suites = $0 }
            /^$/ { if (suites ~ /(^|[ \t])bookworm([ \t]|$)/ && uris != "") { print uris; exit } uris = ""; suites = "" }
            END { if (suites ~ /(^|[ \t])bookworm([ \t]|$)/ && uris != "") print uris }' "$file" | head -n 1)"
        [[ -n "$uri" ]] && { echo "$uri"; return 0; }
    done
    for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [[ -f "$file" ]] || continue
        uri="$(awk '$1 == "deb" && $3 == "bookworm" { print ($2 ~ /^\[/ ? $3 : $2); exit }' "$file")"
        [[ -n "$uri" ]] && { echo "$uri"; return 0; }
    done
    return 1
}

ensure_podman || die "podman and debootstrap are needed"
JDK="$("$ROOT/ricochet" jdk | awk '{ print $1 }')"
[[ -x "$JDK/bin/jlink" ]] || die "the JDK at $JDK has no jlink"
JAVA_MAJOR="$(awk -F'"' '/^JAVA_VERSION=/ { split($2, v, "."); print v[1] }' "$JDK/release")"
# The cache key: this script and the exact JDK build.
KEY="$( { cat "${BASH_SOURCE[0]}"; cat "$JDK/release"; } | sha256sum | cut -c1-16)"
IMAGE="localhost/ricochet-base:bookworm-jre${JAVA_MAJOR}-${KEY}"

if podman image exists "$IMAGE"; then
    echo "build-base-image: $IMAGE is up to date" >&2
    echo "$IMAGE"
    exit 0
fi

MIRROR="$(debian_mirror)" || die "no bookworm mirror found in /etc/apt/sources.list{,.d}"
WORK="$(mktemp -d /tmp/ricochet-base.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
ROOTFS="$WORK/rootfs"

echo "build-base-image: debootstrap bookworm from $MIRROR ..." >&2
debootstrap --variant=minbase bookworm "$ROOTFS" "$MIRROR" > "$WORK/debootstrap.log" 2>&1 \
    || { tail -n 30 "$WORK/debootstrap.log" >&2; die "debootstrap failed (log above)"; }
# Nothing in the image installs packages at run time: drop apt's lists and caches, docs,
# manuals and locales.
rm -rf "$ROOTFS"/var/cache/apt/* "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/usr/share/doc/* \
    "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/* "$ROOTFS"/usr/share/locale/* \
    "$ROOTFS"/var/log/* "$ROOTFS"/tmp/*

echo "build-base-image: jlink from $JDK ($MODULES) ..." >&2
"$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files \
    --compress=zip-6 --output "$ROOTFS/opt/java/openjdk"
"$ROOTFS/opt/java/openjdk/bin/java" -version >/dev/null 2>&1 || die "the jlink runtime does not start"

echo "build-base-image: importing $IMAGE ..." >&2
tar -C "$ROOTFS" --numeric-owner -c . | podman import \
    --change "ENV JAVA_HOME=/opt/java/openjdk" \
    --change "ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change "LABEL org.opencontainers.image.description=Debian bookworm minbase with a jlink runtime of $(basename "$JDK")" \
    --change "LABEL dev.ricochet.base.key=$KEY" \
    --quiet - "$IMAGE" >/dev/null
# Older images of this script are no longer used by anything here.
podman images --format '{{.Repository}}:{{.Tag}}' | grep '^localhost/ricochet-base:' | grep -v -F -x "$IMAGE" \
    | xargs -r podman rmi >/dev/null 2>&1 || true
echo "$IMAGE"
