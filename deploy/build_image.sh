#!/bin/sh
# Build the image with no daemon and no Docker Hub: Debian's buildah (vfs storage, chroot
# isolation), on a base made from Debian's packages (deploy/base.sh), then start it once and
# ask its health endpoint. Run as root from the project root:
#
#   sh deploy/build_image.sh [SOURCE]     # SOURCE: the data folder (default ../shared/data)
#
# The host's CA bundle is mounted while pip runs (never copied into the image), for machines
# whose route to PyPI re-signs TLS with a local authority.
set -eu
SOURCE=${1:-../shared/data}
STORE="--storage-driver vfs"
command -v buildah >/dev/null || apt-get install -y --no-install-recommends buildah
command -v debootstrap >/dev/null || apt-get install -y --no-install-recommends debootstrap
buildah $STORE inspect localhost/jsna-base >/dev/null 2>&1 || sh deploy/base.sh
CA=/etc/ssl/certs/ca-certificates.crt
MOUNT=""
[ -f "$CA" ] && MOUNT="--volume $CA:$CA:ro"
# shellcheck disable=SC2086
buildah bud $STORE --isolation chroot $MOUNT --build-arg BASE=localhost/jsna-base \
    --build-context source="$SOURCE" -f deploy/Dockerfile -t jsna-explorer .
# Run it: a container from the image, serving on a free port on loopback, until it is healthy.
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
CTR=$(buildah $STORE from jsna-explorer)
trap 'kill "$PID" 2>/dev/null || true; buildah $STORE rm "$CTR" >/dev/null' EXIT
buildah $STORE run --isolation chroot --env PORT="$PORT" --env ADDRESS=127.0.0.1 "$CTR" /app/deploy/entrypoint.sh &
PID=$!
for _ in $(seq 60); do
    if python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/_stcore/health', timeout=2)" 2>/dev/null; then
        echo "image jsna-explorer built and serving on 127.0.0.1:$PORT"
        exit 0
    fi
    sleep 2
done
echo "the container did not answer its health check in 120 s" >&2
exit 1
