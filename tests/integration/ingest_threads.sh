#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# ingest_threads.sh - `orbat ingest` runs reading+decoding, identification+
# events, and the database writer on three threads (src/store/ingest.c).
# The result must not depend on it: the same inputs ingested with
# --threads 1 and with the default give identical sources, raw messages,
# assets, observations, presence, events (with their raw references), the
# same summary and report, on real AIS (NMEA), Mode S (Beast with --start,
# and SBS) captures, two files in one run, and a small batch size (many
# commits handed to the writer). Also: a failure in the writer is
# reported, not hung on.
set -u
cd "${ROOT:-.}" || exit 1
O=${ORBAT:-build/orbat}
SHARED=${SHARED:-../shared}
AIS=$SHARED/testdata/ais/amsa-risky/ais.txt.gz
AIS2=$SHARED/testdata/ais/kystverket/Ais1000Lines.nm4
SBS=$SHARED/testdata/adsb/captures/ulss7_via_dump1090-mutability/ulss7.sbs
BEAST="$SHARED/testdata/adsb/captures/beastblackbox_ulss7/ulss7-beast-bin-utc--1522782148.136310917--.log"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

for f in "$AIS" "$AIS2" "$SBS" "$BEAST"; do
    if [ ! -r "$f" ]; then
        echo "not ok - test data $f missing"
        exit 0
    fi
done
if ! command -v sqlite3 >/dev/null; then
    echo "not ok - sqlite3 is needed (apt-get install sqlite3)"
    exit 0
fi

# Everything stored, by natural keys (row ids may differ only if the order
# of writes differed, so they are compared too, through the raw table).
dump() {
    sqlite3 "$1" "SELECT name, sha256, bytes, t_first_ms, t_last_ms, messages, complete, simulated FROM sources ORDER BY sha256;
SELECT id, source_id, offset, hash, hex(data) FROM raw ORDER BY id;
SELECT id, key, name, callsign, hull, country, category, role, confidence, military, reasons, first_ms, last_ms, raw_id FROM assets ORDER BY id;
SELECT asset_id, bucket, t_ms, lat, lon, sog, cog, alt_ft, theatre, raw_id, source_id FROM observations ORDER BY 1, 2;
SELECT theatre, day, asset_id, first_ms, last_ms, n_obs FROM presence ORDER BY 1, 2, 3;
SELECT id, asset_id, t_ms, type, theatre, lat, lon, detail, raw_id FROM events ORDER BY id;"
}

n=0
same() { # description, ingest arguments...
    d=$1
    shift
    n=$((n + 1))
    rm -f "$TMP/a$n.db"* "$TMP/b$n.db"*
    "$O" ingest --db "$TMP/a$n.db" --threads 1 "$@" 2>"$TMP/a$n.sum" >/dev/null
    ra=$?
    "$O" ingest --db "$TMP/b$n.db" "$@" 2>"$TMP/b$n.sum" >/dev/null
    rb=$?
    dump "$TMP/a$n.db" >"$TMP/a$n.dump"
    dump "$TMP/b$n.db" >"$TMP/b$n.dump"
    rows=$(wc -l <"$TMP/a$n.dump")
    if [ $ra -eq 0 ] && [ $rb -eq 0 ] && [ "$rows" -gt 10 ] && cmp -s "$TMP/a$n.dump" "$TMP/b$n.dump"; then
        echo "ok - $d: one thread and three threads store the same $rows rows"
    else
        echo "not ok - $d: one thread and three threads differ (status $ra/$rb, $rows rows)"
        diff "$TMP/a$n.dump" "$TMP/b$n.dump" | head -n 10 >&2
    fi
    # The summary: the same counts (the number of commits and the CPU
    # time of the threads may differ).
    grep -v '^stored:\|^threads:' "$TMP/a$n.sum" >"$TMP/a$n.s1"
    grep -v '^stored:\|^threads:' "$TMP/b$n.sum" >"$TMP/b$n.s1"
    sa=$(sed -n 's/^stored: \(.*\), [0-9]* commits.*/\1/p' "$TMP/a$n.sum")
    sb=$(sed -n 's/^stored: \(.*\), [0-9]* commits.*/\1/p' "$TMP/b$n.sum")
    if [ -n "$sa" ] && [ "$sa" = "$sb" ] && cmp -s "$TMP/a$n.s1" "$TMP/b$n.s1"; then
        echo "ok - $d: the same summary ($sa)"
    else
        echo "not ok - $d: summaries differ: '$sa' vs '$sb'"
    fi
}

same "real AIS recording" "$AIS"
same "two AIS files in one run, commits every 1 ms" --batch-ms 1 "$AIS2" "$AIS"
same "Mode S SBS capture" "$SBS"
same "Mode S Beast capture" --start @1522782148 --theatre none "$BEAST"

"$O" report --db "$TMP/a1.db" --all --format csv >"$TMP/a1.rep"
"$O" report --db "$TMP/b1.db" --all --format csv >"$TMP/b1.rep"
if [ "$(wc -l <"$TMP/a1.rep")" -gt 1 ] && cmp -s "$TMP/a1.rep" "$TMP/b1.rep"; then
    echo "ok - and the same report"
else
    echo "not ok - the reports differ"
fi

# Idempotent: ingesting the same file again with --force stores nothing new.
"$O" ingest -q --force --db "$TMP/b1.db" "$AIS"
dump "$TMP/b1.db" >"$TMP/b1.again"
if cmp -s "$TMP/b1.dump" "$TMP/b1.again"; then
    echo "ok - re-ingest with --force (three threads) changes nothing"
else
    echo "not ok - re-ingest with --force changed the database"
fi

# A write that fails in the writer thread (a trigger refuses new
# observations): the error reaches the command (exit 1, a message), no hang.
rm -f "$TMP/ro.db"*
"$O" ingest -q --db "$TMP/ro.db" "$AIS2" >/dev/null 2>&1
sqlite3 "$TMP/ro.db" "CREATE TRIGGER no_obs BEFORE INSERT ON observations BEGIN SELECT RAISE(ABORT, 'no writes'); END;"
timeout 60 "$O" ingest -q --db "$TMP/ro.db" "$AIS" >/dev/null 2>"$TMP/ro.err"
rc=$?
if [ $rc -eq 1 ] && [ -s "$TMP/ro.err" ]; then
    echo "ok - a write error in the writer thread fails the ingest (exit 1: $(head -n 1 "$TMP/ro.err" | cut -c1-60))"
else
    echo "not ok - a write error in the writer thread: exit $rc"
    cat "$TMP/ro.err" >&2
fi
