#!/bin/sh
# A base image for deploy/Dockerfile made from Debian's packages alone, for machines that reach
# Debian's archive and PyPI but not Docker Hub (such as CI here). Daemonless: debootstrap and
# buildah with vfs storage, run as root.
#
#   sh deploy/base.sh                     # makes localhost/jsna-base (Debian 12, Python 3.11)
#   buildah bud --storage-driver vfs --isolation chroot --build-arg BASE=localhost/jsna-base \
#       --build-context source=../shared/data -f deploy/Dockerfile -t jsna-explorer .
set -eu
ROOTFS=${ROOTFS:-$(mktemp -d)/rootfs}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
debootstrap --variant=minbase --include=python3,python3-pip,python3-venv,ca-certificates \
    bookworm "$ROOTFS" "$MIRROR"
# What python:3.11-slim offers the Dockerfile: `python` and `pip`, and pip free to install
# into the image's own Python (this image is the application's, not a shared system).
rm -f "$ROOTFS"/usr/lib/python3*/EXTERNALLY-MANAGED
ln -sf /usr/bin/python3 "$ROOTFS/usr/local/bin/python"
ln -sf /usr/bin/pip3 "$ROOTFS/usr/local/bin/pip"
rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/*
CONTEXT=$(dirname "$ROOTFS")
tar -C "$ROOTFS" -cf "$CONTEXT/rootfs.tar" .
printf 'FROM scratch\nADD rootfs.tar /\nCMD ["python"]\n' > "$CONTEXT/Containerfile"
buildah bud --storage-driver vfs -f "$CONTEXT/Containerfile" -t jsna-base "$CONTEXT"
