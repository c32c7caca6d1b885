#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# ingest_crash.sh - crash safety: kill -9 an ingest in the middle of a
# source, after some batches were committed. The database must pass
# PRAGMA integrity_check, keep every batch that was committed before the
# kill, show the source as incomplete, and running the same ingest again
# must complete it to exactly what an uninterrupted ingest stores.
set -u
cd "${ROOT:-.}" || exit 1
O=${ORBAT:-build/orbat}
SHARED=${SHARED:-../shared}
AIS=$SHARED/testdata/ais/amsa-risky/ais.txt.gz
TMP=$(mktemp -d)
PID=
trap '[ -n "$PID" ] && kill -9 $PID 2>/dev/null; rm -rf "$TMP"' EXIT

if [ ! -r "$AIS" ] || ! command -v sqlite3 >/dev/null; then
    echo "not ok - needs $AIS and sqlite3"
    exit 0
fi
q() { sqlite3 "$1" "$2"; }

# Six copies of the recording: long enough to be killed in the middle.
gzip -dc "$AIS" >"$TMP/one.nmea"
for i in 1 2 3 4 5 6; do cat "$TMP/one.nmea"; done >"$TMP/in.nmea"
DB=$TMP/crash.db

"$O" ingest -q --batch-ms 20 --db "$DB" "$TMP/in.nmea" &
PID=$!
# Wait for committed observations, note how many, then kill -9.
SEEN=0
i=0
while [ $i -lt 600 ]; do
    SEEN=$(q "$DB" 'SELECT count(*) FROM observations' 2>/dev/null || echo 0)
    [ "${SEEN:-0}" -gt 0 ] && break
    kill -0 $PID 2>/dev/null || break
    sleep 0.05
    i=$((i + 1))
done
kill -9 $PID 2>/dev/null
KILLED=$?
wait $PID 2>/dev/null
PID=
if [ $KILLED -ne 0 ] || [ "$(q "$DB" 'SELECT complete FROM sources')" = 1 ]; then
    echo "not ok - the ingest finished before it could be killed (make the input longer)"
    exit 0
fi
echo "ok - ingest killed with -9 after $SEEN observations were committed"

check() {
    d=$1
    shift
    if "$@"; then echo "ok - $d"; else echo "not ok - $d"; fi
}
check "integrity_check passes after kill -9" test "$(q "$DB" 'PRAGMA integrity_check')" = ok
AFTER=$(q "$DB" 'SELECT count(*) FROM observations')
check "committed batches survive ($AFTER >= $SEEN)" test "$AFTER" -ge "$SEEN"
check "the source is recorded as incomplete" test "$(q "$DB" 'SELECT complete FROM sources')" = 0

"$O" ingest -q --db "$DB" "$TMP/in.nmea"
check "re-running the ingest completes the source" \
    test "$(q "$DB" 'SELECT count(*) FROM sources WHERE complete = 1')" = 1
"$O" ingest -q --db "$TMP/clean.db" "$TMP/in.nmea"
OBSQ="SELECT a.key, o.t_ms, o.lat, o.lon, o.raw_id <> 0 FROM observations o JOIN assets a ON a.id=o.asset_id ORDER BY 1, 2"
q "$DB" "$OBSQ" >"$TMP/crash.obs"
q "$TMP/clean.db" "$OBSQ" >"$TMP/clean.obs"
check "completed database has the observations of an uninterrupted ingest" \
    cmp -s "$TMP/crash.obs" "$TMP/clean.obs"
PQ="SELECT p.theatre, p.day, a.key, p.first_ms, p.last_ms, p.n_obs FROM presence p JOIN assets a ON a.id=p.asset_id ORDER BY 1, 2, 3"
check "and the same presence summary" test "$(q "$DB" "$PQ" | md5sum)" = "$(q "$TMP/clean.db" "$PQ" | md5sum)"
EQ="SELECT a.key, e.type, e.t_ms FROM events e JOIN assets a ON a.id=e.asset_id ORDER BY 1, 2, 3"
check "and the same events" test "$(q "$DB" "$EQ" | md5sum)" = "$(q "$TMP/clean.db" "$EQ" | md5sum)"
"$O" report --db "$DB" --all --format csv >"$TMP/crash.rep"
"$O" report --db "$TMP/clean.db" --all --format csv >"$TMP/clean.rep"
check "and the same report" cmp -s "$TMP/crash.rep" "$TMP/clean.rep"
check "integrity_check after completion" test "$(q "$DB" 'PRAGMA integrity_check')" = ok
