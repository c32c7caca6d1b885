#!/bin/sh
# scripts/deps.sh - make sure the Debian packages orbat builds against are
# installed; install them with apt-get when they are not (as root, or via sudo).
# Used by `make demo` so that it works on a fresh Debian machine.
set -eu
PKGS="build-essential pkg-config zlib1g-dev libsqlite3-dev libjansson-dev libpq-dev libmicrohttpd-dev libcurl4-openssl-dev libinih-dev librsvg2-dev fonts-dejavu-core libarchive-dev libzstd-dev libdeflate-dev libssl-dev libwebsockets-dev libnats-dev"
missing=""
command -v cc >/dev/null 2>&1 || missing="$missing build-essential"
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
if command -v pkg-config >/dev/null 2>&1; then
    pkg-config --exists zlib || missing="$missing zlib1g-dev"
    pkg-config --exists sqlite3 || missing="$missing libsqlite3-dev"
    pkg-config --exists jansson || missing="$missing libjansson-dev"
    pkg-config --exists libpq || missing="$missing libpq-dev"
    pkg-config --exists libmicrohttpd || missing="$missing libmicrohttpd-dev"
    pkg-config --exists libcurl || missing="$missing libcurl4-openssl-dev"
    pkg-config --exists inih || missing="$missing libinih-dev"
    pkg-config --exists librsvg-2.0 cairo || missing="$missing librsvg2-dev"
    pkg-config --exists libarchive || missing="$missing libarchive-dev"
    pkg-config --exists libzstd || missing="$missing libzstd-dev"
    pkg-config --exists libdeflate || missing="$missing libdeflate-dev"
    pkg-config --exists libcrypto || missing="$missing libssl-dev"
    pkg-config --exists libwebsockets || missing="$missing libwebsockets-dev"
    pkg-config --exists libnats || missing="$missing libnats-dev"
else
    missing="$PKGS"
fi
# The chart's font (timeline --png); a font package has no pkg-config file.
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$missing fonts-dejavu-core"
[ -z "$missing" ] && exit 0
echo "orbat: installing missing Debian packages:$missing" >&2
if [ "$(id -u)" = 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "orbat: please run as root: apt-get install -y$missing" >&2
    exit 1
fi
$SUDO apt-get update
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $missing
