#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# nats_beast.sh - Beast binary through `orbat publish` (docs/scale-out.md,
# issue 16) on a real 3-node NATS JetStream cluster on 127.0.0.1
# (nats_cluster.inc):
#  1. A Beast file without --start is refused (exit 2): its frames carry a
#     relative 12 MHz counter.
#  2. A real Beast capture published with --start, read by two drained shard
#     workers: the same observations (asset, time, position, altitude), assets
#     and raw frames as `orbat ingest --start` of the file in one process.
#  3. A live Beast feed (tcp://HOST:PORT/beast, a local server sending the
#     capture): every frame published and acknowledged, timed on receipt;
#     the workers store the same aircraft as one process.
set -u
cd "${ROOT:-.}" || exit 1
O=${ORBAT:-build/orbat}
SHARED=${SHARED:-../shared}
. tests/integration/nats_cluster.inc
nats_require
BEAST=$SHARED/testdata/adsb/captures/beastblackbox_ulss7/ulss7-beast-bin-utc--1522782148.136310917--.log
if [ ! -r "$BEAST" ]; then
    echo "ok - SKIP Beast through the cluster ($BEAST not found)"
    exit 0
fi
# The capture's file name gives its start: unix 1522782148.136.
START=2018-04-03T19:02:28Z
TMP=$(mktemp -d)
BG=""
cleanup() {
    for p in $BG; do kill -9 "$p" 2>/dev/null; done
    nats_stop
    rm -rf "$TMP"
}
trap cleanup EXIT

# Observations as (asset key, time, position, altitude), and the raw frames.
obs() { sqlite3 "$1" "SELECT a.key, o.t_ms, printf('%.6f %.6f', o.lat, o.lon), o.alt_ft FROM observations o JOIN assets a ON a.id = o.asset_id ORDER BY 1, 2"; }
raws() { sqlite3 "$1" "SELECT CAST(data AS TEXT) FROM raw ORDER BY 1"; }
keys() { sqlite3 "$1" "SELECT key FROM assets ORDER BY 1"; }
# The publisher's summary: lines published, batches, acknowledged, lines acknowledged, dropped.
summary() {
    sed -n 's/^orbat publish: \([0-9]*\) lines ([0-9]* not AIS\/SBS\/AVR, not sent), \([0-9]*\) batches, \([0-9]*\) acknowledged (\([0-9]*\) lines.* \([0-9]*\) dropped.*/\1 \2 \3 \4 \5/p' "$1"
}

# --- 1. no --start ---------------------------------------------------------
"$O" publish --nats nats://127.0.0.1:1 "$BEAST" >"$TMP/r.out" 2>&1
rc=$?
check "publish of a Beast file without --start: exit 2, asks for --start" \
    sh -c "[ $rc = 2 ] && grep -q 'is Beast binary.*--start TIME' '$TMP/r.out'"

# --- 2. a Beast file with --start ------------------------------------------
if ! nats_start "$TMP/nats"; then
    exit 1
fi
U=$NATS_URLS
check "cluster init (2 shards)" "$O" cluster init -q --nats "$U" --shards 2
"$O" publish --nats "$U" --receiver bx --shards 2 --batch-lines 100 --start "$START" "$BEAST" \
    2>"$TMP/pub.err"
rc=$?
set -- $(summary "$TMP/pub.err") x x x x x
check "publish --start of the Beast capture: exit 0, $1 frames in $2 batches, all acknowledged" \
    sh -c "[ $rc = 0 ] && [ '$1' -gt 1000 ] && [ '$2' -gt 2 ] && [ '$3' = '$2' ] && [ '$4' = '$1' ] && [ '$5' = 0 ]"
FRAMES=$1
"$O" ingest -q --nats "$U" --shard 0/2 --drain --db "$TMP/clu.db" &&
    "$O" ingest -q --nats "$U" --shard 1/2 --drain --db "$TMP/clu.db"
check "two shard workers drain, exit 0" test $? = 0
"$O" ingest -q --start "$START" --db "$TMP/ref.db" "$BEAST"
obs "$TMP/ref.db" >"$TMP/ref.obs"
obs "$TMP/clu.db" >"$TMP/clu.obs"
check "observations (asset, time, position, altitude) equal one process with --start ($(wc -l <"$TMP/ref.obs") rows)" \
    same "$TMP/ref.obs" "$TMP/clu.obs"
check "observations have absolute times from --start (2018-04-03)" \
    test "$(sqlite3 "$TMP/clu.db" "SELECT min(t_ms) >= 1522782148000 AND max(t_ms) < 1522782148000 + 86400000 FROM observations")" = 1
keys "$TMP/ref.db" >"$TMP/ref.keys"
keys "$TMP/clu.db" >"$TMP/clu.keys"
check "assets equal one process ($(wc -l <"$TMP/ref.keys"))" same "$TMP/ref.keys" "$TMP/clu.keys"
raws "$TMP/ref.db" >"$TMP/ref.raw"
raws "$TMP/clu.db" >"$TMP/clu.raw"
check "raw frames kept as provenance: the same frames as one process ($(wc -l <"$TMP/ref.raw"))" \
    same "$TMP/ref.raw" "$TMP/clu.raw"
check "every observation points at its raw frame" \
    test "$(sqlite3 "$TMP/clu.db" "SELECT count(*) FROM observations o JOIN raw r ON r.id = o.raw_id")" = \
    "$(sqlite3 "$TMP/clu.db" "SELECT count(*) FROM observations")"

# --- 3. a live Beast feed ----------------------------------------------------
TP=$(nats_free_ports | cut -d' ' -f1)
python3 -c "
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', $TP)); s.listen(1)
c, _ = s.accept()
data = open('$BEAST', 'rb').read()
for i in range(0, len(data), 3001):
    c.sendall(data[i:i + 3001]); time.sleep(0.002)
open('$TMP/tcp.done', 'w').close()
time.sleep(60)" &
BG="$BG $!"
sleep 0.3
"$O" publish --nats "$U" --receiver live --shards 2 --batch-lines 200 "tcp://127.0.0.1:$TP/beast" \
    2>"$TMP/live.err" &
PUB=$!
BG="$BG $PUB"
i=0
while [ ! -e "$TMP/tcp.done" ] && [ $i -lt 200 ]; do
    sleep 0.1
    i=$((i + 1))
done
sleep 1
kill -INT "$PUB"
wait "$PUB"
rc=$?
set -- $(summary "$TMP/live.err") x x x x x
check "live tcp://.../beast: SIGINT ends it, exit 0, all $FRAMES frames published and acknowledged" \
    sh -c "[ $rc = 0 ] && [ '$1' = '$FRAMES' ] && [ '$3' = '$2' ] && [ '$4' = '$1' ] && [ '$5' = 0 ]"
# --no-warm-up: only what came after run 2 (the durables read that already).
"$O" ingest -q --nats "$U" --shard 0/2 --drain --no-warm-up --db "$TMP/live.db" &&
    "$O" ingest -q --nats "$U" --shard 1/2 --drain --no-warm-up --db "$TMP/live.db"
check "live Beast: workers drain, exit 0" test $? = 0
# All frames came within seconds: times are receive times (now), so the
# per-minute thinning keeps fewer points; the aircraft are the same.
keys "$TMP/live.db" >"$TMP/live.keys"
check "live Beast: the same aircraft as one process" same "$TMP/ref.keys" "$TMP/live.keys"
check "live Beast: observations timed on receipt (within the last hour)" \
    test "$(sqlite3 "$TMP/live.db" "SELECT count(*) > 0 AND min(t_ms) > (strftime('%s','now') - 3600) * 1000 AND max(t_ms) <= (strftime('%s','now') + 60) * 1000 FROM observations")" = 1
