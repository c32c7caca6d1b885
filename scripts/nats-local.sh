#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# scripts/nats-local.sh - run the 3-node NATS JetStream cluster of
# etc/nats/local/ on this one host, for trying orbat's scale-out
# (docs/scale-out.md, "All three nodes on one host").
#
# Usage: sh scripts/nats-local.sh start DIR   copy the configs into DIR (store_dir
#                                             DIR/nK), start the nodes, wait until
#                                             JetStream is up, print the --nats list
#        sh scripts/nats-local.sh stop DIR    stop the nodes started in DIR
# Ports: clients 4222-4224, routes 6222-6224, monitoring 8222-8224 on
# 127.0.0.1; to move them set NATS_LOCAL_PORTS="C1 C2 C3 R1 R2 R3 M1 M2 M3".
# nats-server: $NATS_SERVER, or the one on PATH (apt-get install nats-server).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
NATS_SERVER=${NATS_SERVER:-$(command -v nats-server || echo /usr/sbin/nats-server)}
usage() {
    echo "usage: sh scripts/nats-local.sh start|stop DIR" >&2
    exit 2
}
[ $# -eq 2 ] || usage
cmd=$1
mkdir -p "$2"
DIR=$(cd "$2" && pwd)
set -- ${NATS_LOCAL_PORTS:-4222 4223 4224 6222 6223 6224 8222 8223 8224}
[ $# -eq 9 ] || {
    echo "nats-local: NATS_LOCAL_PORTS needs 9 ports" >&2
    exit 2
}
C1=$1 C2=$2 C3=$3 R1=$4 R2=$5 R3=$6 M1=$7 M2=$8 M3=$9

# healthy PORT: the monitoring endpoint says JetStream is current.
healthy() {
    if command -v curl >/dev/null 2>&1; then
        curl -sf "http://127.0.0.1:$1/healthz" 2>/dev/null | grep -q ok
    else
        python3 -c "import urllib.request,sys; sys.exit(0 if b'ok' in urllib.request.urlopen('http://127.0.0.1:$1/healthz', timeout=1).read() else 1)" 2>/dev/null
    fi
}

case $cmd in
start)
    [ -x "$NATS_SERVER" ] || {
        echo "nats-local: nats-server not found (apt-get install nats-server)" >&2
        exit 1
    }
    for k in 1 2 3; do
        if [ -f "$DIR/n$k.pid" ] && kill -0 "$(cat "$DIR/n$k.pid")" 2>/dev/null; then
            echo "nats-local: node $k already runs (pid $(cat "$DIR/n$k.pid")); stop it first" >&2
            exit 1
        fi
        mkdir -p "$DIR/n$k"
        # Ports through placeholders, so a new port never matches an old one.
        sed -e "s|\"\./nats-local/n$k\"|\"$DIR/n$k\"|" \
            -e 's/:4222\b/:@C1@/g; s/:4223\b/:@C2@/g; s/:4224\b/:@C3@/g' \
            -e 's/:6222\b/:@R1@/g; s/:6223\b/:@R2@/g; s/:6224\b/:@R3@/g' \
            -e 's/:8222\b/:@M1@/g; s/:8223\b/:@M2@/g; s/:8224\b/:@M3@/g' \
            -e "s/@C1@/$C1/g; s/@C2@/$C2/g; s/@C3@/$C3/g; s/@R1@/$R1/g; s/@R2@/$R2/g" \
            -e "s/@R3@/$R3/g; s/@M1@/$M1/g; s/@M2@/$M2/g; s/@M3@/$M3/g" \
            "$ROOT/etc/nats/local/node$k.conf" >"$DIR/node$k.conf"
        "$NATS_SERVER" -c "$DIR/node$k.conf" -P "$DIR/n$k.pid" >"$DIR/n$k.log" 2>&1 &
    done
    i=0
    until healthy "$M1" && healthy "$M2" && healthy "$M3"; do
        i=$((i + 1))
        if [ $i -gt 300 ]; then
            echo "nats-local: JetStream not up after 30 s; see $DIR/n*.log" >&2
            exit 1
        fi
        sleep 0.1
    done
    echo "nats://127.0.0.1:$C1,nats://127.0.0.1:$C2,nats://127.0.0.1:$C3"
    ;;
stop)
    for k in 1 2 3; do
        [ -f "$DIR/n$k.pid" ] || continue
        pid=$(cat "$DIR/n$k.pid")
        kill "$pid" 2>/dev/null || true
        i=0
        while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
            sleep 0.1
            i=$((i + 1))
        done
        rm -f "$DIR/n$k.pid"
    done
    ;;
*) usage ;;
esac
