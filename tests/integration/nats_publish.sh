#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# nats_publish.sh - orbat publish / ingest --nats / cluster at their edges
# (docs/scale-out.md, issue 16), on a real 3-node NATS JetStream cluster on
# 127.0.0.1 started with the shipped one-host recipe:
#  1. --nats URLs checked before connecting: unknown schemes, no port, bad
#     port refused with exit 2; an unreachable server: a clear message with
#     no library source location; a worker that cannot connect exits 1,
#     creates no database and prints no summary.
#  2. scripts/nats-local.sh start|stop DIR with etc/nats/local/node*.conf
#     (the doc's commands, on free ports): JetStream up, stores under DIR,
#     `cluster init` works, stop ends the nodes.
#  3. Live feeds: publish reads tcp://HOST:PORT/sbs (a local server sending
#     a real SBS capture) and udp://HOST:PORT/nmea (AIS datagrams) at once
#     until SIGINT, then flushes: every line acknowledged, exit 0; the
#     workers store the same observations as one process over the files.
set -u
cd "${ROOT:-.}" || exit 1
O=${ORBAT:-build/orbat}
SHARED=${SHARED:-../shared}
. tests/integration/nats_cluster.inc # check
NATS_SERVER=${NATS_SERVER:-$(command -v nats-server || echo /usr/sbin/nats-server)}
if [ ! -x "$NATS_SERVER" ]; then
    echo "not ok - nats-server is needed (apt-get install nats-server)"
    exit 1
fi
export NATS_SERVER
TMP=$(mktemp -d)
BG=""
LOCAL_PORTS=""
cleanup() {
    for p in $BG; do kill -9 "$p" 2>/dev/null; done
    if [ -n "$LOCAL_PORTS" ]; then
        NATS_LOCAL_PORTS=$LOCAL_PORTS sh scripts/nats-local.sh stop "$TMP/local" >/dev/null 2>&1
    fi
    for f in "$TMP"/local/n*.pid; do
        [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null
    done
    rm -rf "$TMP"
}
trap cleanup EXIT

free_ports() { # N free TCP ports on 127.0.0.1
    python3 -c "
import socket
ss = []
for _ in range($1):
    s = socket.socket(); s.bind(('127.0.0.1', 0)); ss.append(s)
print(' '.join(str(s.getsockname()[1]) for s in ss))
for s in ss: s.close()"
}
# refused DESC EXPECTED-RC PATTERN CMD...: exit status and one message line
refused() {
    d=$1 want=$2 pat=$3
    shift 3
    "$@" >"$TMP/r.out" 2>&1
    rc=$?
    if [ "$rc" = "$want" ] && grep -q "$pat" "$TMP/r.out" && ! grep -q '\.c:[0-9]' "$TMP/r.out" &&
        [ "$(wc -l <"$TMP/r.out")" -le 2 ]; then
        echo "ok - $d"
    else
        echo "not ok - $d (rc $rc)"
        head -n 5 "$TMP/r.out" >&2
    fi
}

# --- 1. URLs ---------------------------------------------------------------
: >"$TMP/empty.sbs"
refused "publish --nats bogus://x:1: unsupported scheme, exit 2" 2 "unsupported URL scheme 'bogus'" \
    "$O" publish --nats bogus://x:1 "$TMP/empty.sbs"
refused "publish --nats http://127.0.0.1:4222: unsupported scheme, exit 2" 2 "unsupported URL scheme 'http'" \
    "$O" publish --nats http://127.0.0.1:4222 "$TMP/empty.sbs"
refused "publish --nats nats://host (no port): exit 2" 2 "is not a NATS server URL" \
    "$O" publish --nats nats://host "$TMP/empty.sbs"
refused "publish: a bad URL in a list, port 70000: exit 2" 2 "'nats://b:70000' is not a NATS" \
    "$O" publish --nats nats://a:4222,nats://b:70000 "$TMP/empty.sbs"
refused "ingest --nats ftp://h:1: exit 2" 2 "unsupported URL scheme 'ftp'" \
    "$O" ingest --nats ftp://h:1 --shard 0/2 --db "$TMP/u.db"
refused "cluster status --nats bogus://x:1: exit 2" 2 "unsupported URL scheme 'bogus'" \
    "$O" cluster status --nats bogus://x:1
DEAD=$(free_ports 1)
refused "publish to an unreachable server: exit 1, no source location in the message" 1 \
    "cannot connect to nats://127.0.0.1:$DEAD: No server available for connection$" \
    "$O" publish --nats "nats://127.0.0.1:$DEAD" "$TMP/empty.sbs"
refused "ingest --nats to an unreachable server: exit 1, one line, no summary" 1 \
    "cannot connect to" "$O" ingest --nats "127.0.0.1:$DEAD" --shard 0/2 --drain --db "$TMP/x.db"
check "ingest --nats to an unreachable server creates no database" test ! -e "$TMP/x.db"
check "tls://[::1]:PORT and user:password@host:port pass the URL check (then cannot connect)" \
    sh -c "\"$O\" publish --nats 'tls://[::1]:$DEAD,u:p@127.0.0.1:$DEAD' '$TMP/empty.sbs' 2>&1 | grep -q 'cannot connect'"

# --- 2. the one-host recipe ------------------------------------------------
LOCAL_PORTS=$(free_ports 9)
set -- $LOCAL_PORTS
U=$(NATS_LOCAL_PORTS=$LOCAL_PORTS sh scripts/nats-local.sh start "$TMP/local" 2>"$TMP/local.err")
check "scripts/nats-local.sh start DIR: exit 0, prints the --nats list" \
    test "$U" = "nats://127.0.0.1:$1,nats://127.0.0.1:$2,nats://127.0.0.1:$3"
check "nats-local: each node's JetStream store is under DIR" \
    sh -c "ls -d '$TMP'/local/n1/jetstream '$TMP'/local/n2/jetstream '$TMP'/local/n3/jetstream"
check "nats-local: a second start refuses (nodes already run)" \
    sh -c "! NATS_LOCAL_PORTS='$LOCAL_PORTS' sh scripts/nats-local.sh start '$TMP/local'"
check "orbat cluster init on the one-host cluster" "$O" cluster init -q --nats "$U" --shards 2
check "cluster status: stream with 3 replicas" \
    sh -c "\"$O\" cluster status --nats '$U' | grep -q 'replicas'"

# --- 3. live feeds -----------------------------------------------------------
SBS=$SHARED/testdata/adsb/captures/ulss7_via_dump1090-mutability/ulss7.sbs
AISGZ=$SHARED/testdata/ais/amsa-risky/ais.txt.gz
if [ -r "$SBS" ] && [ -r "$AISGZ" ]; then
    head -n 3000 "$SBS" >"$TMP/live.sbs"
    gzip -dc "$AISGZ" | head -n 1500 >"$TMP/live.nmea"
    set -- $(free_ports 2)
    TP=$1 UP=$2
    # A TCP server that sends the SBS lines in chunks, then keeps the
    # connection open (a receiver that is merely quiet).
    python3 -c "
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', $TP)); s.listen(1)
c, _ = s.accept()
data = open('$TMP/live.sbs', 'rb').read()
for i in range(0, len(data), 4000):
    c.sendall(data[i:i + 4000]); time.sleep(0.002)
open('$TMP/tcp.done', 'w').close()
time.sleep(60)" &
    BG="$BG $!"
    "$O" publish --nats "$U" --receiver live --shards 2 --batch-lines 200 \
        "tcp://127.0.0.1:$TP/sbs" "udp://127.0.0.1:$UP/nmea" 2>"$TMP/pub.err" &
    PUB=$!
    BG="$BG $PUB"
    i=0
    # Both feeds up (the TCP one connected, the UDP one bound).
    while [ "$(grep -c 'connected$' "$TMP/pub.err" 2>/dev/null)" != 2 ] && [ $i -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    sleep 0.3
    # AIS datagrams, one sentence each, no end of line.
    python3 -c "
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for n, line in enumerate(open('$TMP/live.nmea', 'rb')):
    s.sendto(line.rstrip(b'\r\n'), ('127.0.0.1', $UP))
    if n % 20 == 0: time.sleep(0.002)
open('$TMP/udp.done', 'w').close()"
    i=0
    while [ ! -e "$TMP/tcp.done" ] && [ $i -lt 200 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    sleep 1
    kill -INT "$PUB"
    wait "$PUB"
    rc=$?
    check "publish tcp:// + udp:// feeds: SIGINT ends it, exit 0 ($(tail -n 1 "$TMP/pub.err"))" test $rc = 0
    want=$(($(wc -l <"$TMP/live.sbs") + $(wc -l <"$TMP/live.nmea")))
    # lines published + lines of no known kind ($BSALR...) = lines sent;
    # every batch and line acknowledged, none dropped.
    set -- $(sed -n 's/^orbat publish: \([0-9]*\) lines (\([0-9]*\) not AIS\/SBS\/AVR, not sent), \([0-9]*\) batches, \([0-9]*\) acknowledged (\([0-9]*\) lines.* \([0-9]*\) dropped.*/\1 \2 \3 \4 \5 \6/p' "$TMP/pub.err") x x x x x x
    check "live feeds: all $want lines read ($1 + $2 not AIS/SBS/AVR), $3 batches all acknowledged, none dropped" \
        test "$(($1 + $2))/$3/$5/$6" = "$want/$4/$1/0"
    "$O" ingest -q --nats "$U" --shard 0/2 --drain --db "$TMP/live.db" &&
        "$O" ingest -q --nats "$U" --shard 1/2 --drain --db "$TMP/live.db"
    check "live feeds: both workers drain, exit 0" test $? = 0
    "$O" ingest -q --db "$TMP/ref.db" "$TMP/live.nmea" "$TMP/live.sbs"
    q() { sqlite3 "$1" "SELECT (SELECT count(*) FROM observations) || ' ' || (SELECT count(*) FROM assets)"; }
    check "live feeds: observations and assets equal one process over the files ($(q "$TMP/ref.db"))" \
        test "$(q "$TMP/live.db")" = "$(q "$TMP/ref.db")"
    check "live feeds: a websocket service (aisstream) is refused, exit 2" \
        sh -c "\"$O\" publish --nats '$U' aisstream+ws://127.0.0.1:1/x; test \$? = 2"
else
    echo "ok - SKIP live feeds ($SBS, $AISGZ not found)"
fi

NATS_LOCAL_PORTS=$LOCAL_PORTS sh scripts/nats-local.sh stop "$TMP/local"
check "nats-local.sh stop DIR: every node ended" \
    sh -c "for f in '$TMP'/local/n*.conf; do pgrep -f \"\$f\" && exit 1; done; exit 0"
LOCAL_PORTS=""
