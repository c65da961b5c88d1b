# Podman for Ricochet's container tests: the configuration this machine needs, and the
# packages, installed with apt-get when missing (as root). Source it.

# deploy/podman/containers.conf: explicit ulimits, runc, cgroupfs, netavark (see its comments).
export CONTAINERS_CONF="${CONTAINERS_CONF:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../podman" && pwd)/containers.conf}"

# The packages the tests were proven with on Debian bookworm: podman 4.3 with runc (the
# runtime containers.conf names), netavark and aardvark-dns (networks), iptables (port
# publishing), catatonit (the pods' infra process), debootstrap (the base image), and
# buildah, uidmap, slirp4netns and fuse-overlayfs, which podman's packaging expects.
PODMAN_PACKAGES=(podman runc netavark aardvark-dns iptables catatonit debootstrap buildah uidmap slirp4netns fuse-overlayfs)

ensure_podman() {
    local missing=() tool
    for tool in podman runc netavark debootstrap; do
        command -v "$tool" >/dev/null 2>&1 || [[ -x "/usr/lib/podman/$tool" ]] || missing+=("$tool")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    if [[ "$(id -u)" -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
        echo "missing ${missing[*]}: install ${PODMAN_PACKAGES[*]} (Debian/Ubuntu package names)" >&2
        return 1
    fi
    echo "installing ${PODMAN_PACKAGES[*]} with apt-get (missing: ${missing[*]}) ..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 \
        && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${PODMAN_PACKAGES[@]}" >&2
}

# Removes the named containers where they exist; never fails (for an EXIT trap).
remove_containers() {
    local name
    for name in "$@"; do
        podman container exists "$name" && podman rm -f -t 0 "$name" >/dev/null 2>&1
    done
    return 0
}

# Whether podman can run a container of image $1 at all here; on failure prints podman's
# last error line (for the caller's one-line SKIP).
podman_can_run() {
    local err
    if ! err="$(podman run --rm --network none --entrypoint /bin/true "$1" 2>&1 >/dev/null)"; then
        tail -n 1 <<< "$err"
        return 1
    fi
}

# Builds deploy/docker/Dockerfile as image $1 on base $2 (extra podman build arguments
# after), then removes the image that tag named before, so that reruns leave no untagged
# images behind.
build_image() {
    local image="$1" base="$2" old new
    shift 2
    old="$(podman image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)"
    podman build -q --layers=false -f deploy/docker/Dockerfile --build-arg "BASE_IMAGE=$base" -t "$image" "$@" . >/dev/null \
        || return 1
    new="$(podman image inspect --format '{{.Id}}' "$image")"
    if [[ -n "$old" && "$old" != "$new" ]]; then podman rmi "$old" >/dev/null 2>&1 || true; fi
}
