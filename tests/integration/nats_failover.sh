#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# nats_failover.sh - failures that nats_cluster.sh does not wait out, on a
# real 3-node NATS JetStream cluster on 127.0.0.1 (nats_cluster.inc);
# workers write SQLite (one file per shard: the shards' assets are
# disjoint). docs/scale-out.md, issue 16.
#  A. Two failures back to back: the stream leader killed (-9) during
#     publish (3-line batches: ~4,700 messages, so that catching up takes
#     a while), restarted, and the next stream leader killed 0.2 s later,
#     before the restarted server is current again, while two workers
#     consume with --drain. Every acknowledged batch is in the stream
#     afterwards, and the drained workers stored every observation (before
#     the drain check was fixed, a worker whose consumer leader was the
#     restarted server exited 0 with ~1,100 messages not stored).
#     FAILOVER_SLEEP and A_BATCH change the gap and the batch size.
#  B. Active/standby: two workers on one shard; the active (lease holder)
#     killed (-9) mid-stream; the standby takes over: observations and
#     events equal one worker's, no duplicate.
set -u
cd "${ROOT:-.}" || exit 1
O=${ORBAT:-build/orbat}
. tests/integration/nats_cluster.inc
nats_require
TMP=$(mktemp -d)
BG=""
cleanup() {
    for p in $BG; do kill -9 "$p" 2>/dev/null; done
    nats_stop
    if [ -n "${KEEP:-}" ]; then echo "# kept $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM


if ! nats_start "$TMP/nats"; then
    exit 1
fi
echo "ok - 3-node NATS JetStream cluster started on 127.0.0.1"
U=$NATS_URLS

"$O" simulate scenarios/caribbean-2025.json --from 2025-10-14 --to 2025-10-17 \
    --out-ais "$TMP/ais.nmea" --out-sbs "$TMP/adsb.sbs" 2>"$TMP/sim.err" || {
    echo "not ok - simulate failed"
    cat "$TMP/sim.err" >&2
    exit 1
}
"$O" ingest -q --db "$TMP/ref.db" "$TMP/ais.nmea" "$TMP/adsb.sbs"
obs_of() { "$O" export --db "$1" --format csv 2>/dev/null | grep '^track_point,' | cut -d, -f1,3-13,16,17 | sort; }
events_of() { "$O" events --db "$1" --format csv 2>/dev/null | cut -d, -f2-4,6- | sort; }
obs_of "$TMP/ref.db" >"$TMP/ref.obs"
leader() { "$O" cluster status --nats "$U" 2>/dev/null | sed -n 's/.*leader n\([123]\),.*/\1/p'; }
paced() { awk '{ print; fflush(); if (NR % 50 == 0) system("sleep 0.01") }' "$1"; }
batches() { sed -n 's/.*, \([0-9]*\) batches, \([0-9]*\) acknowledged.* \([0-9]*\) dropped.*/\1 \2 \3/p' "$1"; }
all_acked() { # publisher summaries: made = acknowledged, none dropped, more than 10
    set -- $(batches "$1") $(batches "$2")
    [ "${1:-0}" -gt 10 ] && [ "$1" = "$2" ] && [ "$3" = 0 ] && [ "${4:-0}" -gt 10 ] &&
        [ "$4" = "$5" ] && [ "$6" = 0 ]
}
all_current() {
    i=0
    while [ $i -lt 150 ]; do
        "$O" cluster status --nats "$U" 2>/dev/null |
            grep -q 'leader n[123], replica n[123] current, replica n[123] current' && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

"$O" cluster init -q --nats "$U" --shards 2 --ack-wait-ms 1000 >/dev/null
# --- A. two failures back to back ----------------------------------------------
if [ "${PARTS:-AB}" != B ]; then
paced "$TMP/ais.nmea" | "$O" publish --nats "$U" --receiver rx1 --batch-lines ${A_BATCH:-3} --batch-ms 20 - 2>"$TMP/p1.err" &
P1=$!
paced "$TMP/adsb.sbs" | "$O" publish --nats "$U" --receiver rx2 --batch-lines ${A_BATCH:-3} --batch-ms 20 - 2>"$TMP/p2.err" &
P2=$!
BG="$P1 $P2"
sleep 0.6
L=$(leader)
[ -n "$L" ] && nats_node_kill "$L"
wait $P1
wait $P2
check "A: stream leader n$L killed during publish: every batch acknowledged" \
    all_acked "$TMP/p1.err" "$TMP/p2.err"
NK=$(($(batches "$TMP/p1.err" | cut -d' ' -f1) + $(batches "$TMP/p2.err" | cut -d' ' -f1)))
[ -n "$L" ] && nats_node_start "$L"
"$O" cluster status --nats "$U" >"$TMP/a-status0.out" 2>&1
"$O" ingest --nats "$U" --shard 0/2 --durable a-0 --ack-wait-ms 1000 --drain --fetch 8 \
    --connect-wait-ms 5000 --db "$TMP/a0.db" 2>"$TMP/a0.err" &
W0=$!
"$O" ingest --nats "$U" --shard 1/2 --durable a-1 --ack-wait-ms 1000 --drain --fetch 8 \
    --connect-wait-ms 5000 --db "$TMP/a1.db" 2>"$TMP/a1.err" &
W1=$!
BG="$W0 $W1"
sleep ${FAILOVER_SLEEP:-0.2}
"$O" cluster status --nats "$U" >"$TMP/a-status1.out" 2>&1
L2=$(leader)
[ -n "$L2" ] && [ "$L2" != "$L" ] && nats_node_kill "$L2"
wait $W0
r0=$?
wait $W1
r1=$?
"$O" cluster status --nats "$U" >"$TMP/a-status2.out" 2>&1
sed 's/^/# /' "$TMP/a-status0.out" "$TMP/a-status1.out" "$TMP/a-status2.out" "$TMP/a0.err" "$TMP/a1.err"
check "A: n$L restarted, n$L2 killed ${FAILOVER_SLEEP:-0.2} s later: both workers drain, exit 0" test "$r0$r1" = 00
{ obs_of "$TMP/a0.db"; obs_of "$TMP/a1.db"; } | sort >"$TMP/a.obs"
echo "# A: $(wc -l <"$TMP/a.obs") observations stored by the drained workers, $(wc -l <"$TMP/ref.obs") in one process"
check "A: the drained workers stored every observation" same "$TMP/ref.obs" "$TMP/a.obs"
[ -n "$L2" ] && [ "$L2" != "$L" ] && nats_node_start "$L2"
check "A: all three servers current again" all_current
"$O" cluster status --nats "$U" >"$TMP/a-status3.out" 2>&1
sed 's/^/# /' "$TMP/a-status3.out"
check "A: the stream holds every acknowledged batch ($NK)" \
    grep -q "stream ORBAT_RAW: $NK messages" "$TMP/a-status3.out"
check "A: both durables have nothing pending once all servers are current" \
    sh -c "grep -c '^a-[01] .* 0 \+0 \+[0-9]\+ \+[0-9]\+\$' '$TMP/a-status3.out' | grep -qx 2"

else
    "$O" publish -q --nats "$U" --receiver rx1 --batch-lines 20 "$TMP/ais.nmea"
    "$O" publish -q --nats "$U" --receiver rx2 --batch-lines 20 "$TMP/adsb.sbs"
fi

# --- B. active/standby on one shard ------------------------------------------------
# (PARTS=A: part A alone; PARTS=B: part B alone)
[ "${PARTS:-AB}" = A ] && exit 0
# Reference: one worker alone reads shard 0 (the AIS receiver and part of
# the aircraft) into its own file.
"$O" ingest -q --nats "$U" --shard 0/2 --durable bref-0 --drain --db "$TMP/bref.db"
obs_of "$TMP/bref.db" >"$TMP/bref.obs"
events_of "$TMP/bref.db" >"$TMP/bref.events"
# Two workers on one durable: the first takes the lease; the hook kills it
# (SIGKILL) after its 20th commit, before the ack; the second waits as a
# standby and takes over once the lease is not renewed for 1 s.
: >"$TMP/b1.err"
ORBAT_NATS_DIE_BEFORE_ACK=20 "$O" ingest --nats "$U" --shard 0/2 --durable b-0 --drain \
    --fetch 4 --ack-wait-ms 1000 --lease-ms 1000 --db "$TMP/b.db" 2>"$TMP/b1.err" &
B1=$!
BG="$B1"
i=0
while [ $i -lt 100 ] && ! grep -q 'lease b-0: active' "$TMP/b1.err"; do
    sleep 0.1
    i=$((i + 1))
done
"$O" ingest --nats "$U" --shard 0/2 --durable b-0 --drain --fetch 4 --lease-ms 1000 \
    --db "$TMP/b.db" 2>"$TMP/b2.err" &
B2=$!
BG="$B1 $B2"
"$O" cluster status --nats "$U" >"$TMP/b-status.out" 2>&1
holder=$(sed -n 's/^lease b-0: held by \([^ ]*\) (revision [0-9]*)$/\1/p' "$TMP/b-status.out")
wait $B1
rb1=$?
t1=$(date +%s.%N)
wait $B2
rb2=$?
sed 's/^/# /' "$TMP/b1.err" "$TMP/b2.err"
check "B: the first worker took the lease and was killed (-9) mid-stream" \
    sh -c "test $rb1 = 137 && grep -q 'lease b-0: active as .* (free)' '$TMP/b1.err'"
check "B: the second worker waited as a standby" grep -q 'lease b-0: standby (held by ' "$TMP/b2.err"
check "B: cluster status showed the lease's holder ($holder), one of the two workers" \
    grep -q "lease b-0: active as ${holder:-NONE} " "$TMP/b1.err" "$TMP/b2.err"
check "B: the standby took over and drained (exit 0)" \
    sh -c "test $rb2 = 0 && grep -q 'lease b-0: active as .* (took over from ' '$TMP/b2.err'"
check "B: the standby replayed the acknowledged batches (warm-up) and got the unacknowledged one again" \
    grep -q '([1-9][0-9]* redelivered, 0 malformed, [1-9][0-9]* replayed at start)' "$TMP/b2.err"
obs_of "$TMP/b.db" >"$TMP/b.obs"
events_of "$TMP/b.db" >"$TMP/b.events"
check "B: observations equal one worker's ($(wc -l <"$TMP/bref.obs"))" same "$TMP/bref.obs" "$TMP/b.obs"
check "B: events equal one worker's ($(wc -l <"$TMP/bref.events"))" same "$TMP/bref.events" "$TMP/b.events"
check "B: no duplicated raw (source, offset, hash) or event (asset, type, time)" \
    test "$(sqlite3 "$TMP/b.db" 'SELECT (SELECT count(*) FROM (SELECT 1 FROM raw GROUP BY source_id, offset, hash HAVING count(*) > 1)) + (SELECT count(*) FROM (SELECT 1 FROM events GROUP BY asset_id, type, t_ms HAVING count(*) > 1))')" = 0
check "B: SQLite integrity_check ok" test "$(sqlite3 "$TMP/b.db" 'PRAGMA integrity_check')" = ok

# Two live workers on one shard: the standby does not fetch while the
# active runs; when the active exits (drained) it releases the lease and the
# standby takes over at once, finds nothing pending and exits.
: >"$TMP/c1.err"
"$O" ingest --nats "$U" --shard 0/2 --durable c-0 --drain --fetch 4 --db "$TMP/c.db" 2>"$TMP/c1.err" &
C1=$!
BG="$C1"
i=0
while [ $i -lt 100 ] && ! grep -q 'lease c-0: active' "$TMP/c1.err"; do
    sleep 0.1
    i=$((i + 1))
done
"$O" ingest --nats "$U" --shard 0/2 --durable c-0 --drain --fetch 4 --db "$TMP/c.db" 2>"$TMP/c2.err" &
C2=$!
BG="$C1 $C2"
wait $C1
rc1=$?
wait $C2
rc2=$?
check "B: two live workers on one shard: both exit 0" test "$rc1$rc2" = 00
check "B: the standby fetched nothing (0 batches) and took over after the release" \
    sh -c "grep -q 'standby (held by' '$TMP/c2.err' && grep -q 'active as .* (free)' '$TMP/c2.err' && grep -q ': 0 batches, 0 messages' '$TMP/c2.err'"
events_of "$TMP/c.db" >"$TMP/c.events"
check "B: events equal one worker's" same "$TMP/bref.events" "$TMP/c.events"
