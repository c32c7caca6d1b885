#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# reliability_store.sh - issue 17's store and file regressions: several
# processes creating one new database do not race on migration 1 (F11); a
# truncated .gz is a read error and its source stays incomplete (F10); after
# a database error the ingest summary counts the source as failed; `orbat
# report` reads a database in a directory it cannot write. The last two run
# as an unprivileged user (setpriv to nobody when root, whom permissions do
# not stop).
set -u
cd "${ROOT:-.}" || exit 1
O=${ORBAT:-build/orbat}
case $O in /*) ;; *) O=$PWD/$O ;; esac
TMP=$(mktemp -d)
trap 'chmod -R u+w "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT

# The fixture: one day of simulated SBS, gzipped, and a copy cut in half.
if ! "$O" simulate scenarios/caribbean-2025.json --from 2025-10-20 --to 2025-10-21 \
    --out-sbs "$TMP/s.sbs" >"$TMP/sim.out" 2>&1; then
    echo "not ok - fixture (simulate)"
    cat "$TMP/sim.out" >&2
    exit 0
fi
gzip -k "$TMP/s.sbs"
size=$(wc -c <"$TMP/s.sbs.gz")
head -c $((size / 2)) "$TMP/s.sbs.gz" >"$TMP/cut.sbs.gz"

# F11: 8 processes create the same new database at once, three times.
bad=0
for round in 1 2 3; do
    pids=
    for k in 1 2 3 4 5 6 7 8; do
        "$O" db migrate --db "$TMP/race$round.db" >"$TMP/race$round.$k" 2>&1 &
        pids="$pids $!"
    done
    for p in $pids; do
        wait "$p" || bad=$((bad + 1))
    done
done
if [ $bad -eq 0 ]; then
    echo "ok - 8 concurrent migrations of a new database, 3 rounds: all succeed"
else
    echo "not ok - $bad of 24 concurrent migrations failed: $(cat "$TMP"/race*.* | grep -m1 -i error)"
fi

# F10: a truncated .gz is a read error, and the source is not complete.
"$O" ingest --db "$TMP/t.db" "$TMP/cut.sbs.gz" >"$TMP/cut.out" 2>&1
rc=$?
if [ $rc -ne 0 ] && grep -q "cut.sbs.gz: .*incomplete" "$TMP/cut.out" &&
    grep -q "1 failed" "$TMP/cut.out"; then
    echo "ok - a truncated .gz is reported as a read error (exit $rc)"
else
    echo "not ok - a truncated .gz (exit $rc): $(head -c 300 "$TMP/cut.out")"
fi
"$O" ingest --db "$TMP/t.db" "$TMP/cut.sbs.gz" >"$TMP/cut2.out" 2>&1
if grep -q " 1 skipped" "$TMP/cut2.out" || ! grep -q " 1 failed" "$TMP/cut2.out"; then
    echo "not ok - the truncated source was recorded as complete"
else
    echo "ok - the truncated source stays incomplete (a re-run reads it again)"
fi
"$O" ingest --db "$TMP/g.db" "$TMP/s.sbs.gz" >"$TMP/whole.out" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q "1 ingested" "$TMP/whole.out"; then
    echo "ok - the whole .gz still ingests"
else
    echo "not ok - the whole .gz (exit $rc): $(head -c 300 "$TMP/whole.out")"
fi
# Two gzip members (concatenated files) are one complete stream.
cat "$TMP/s.sbs.gz" "$TMP/s.sbs.gz" >"$TMP/two.sbs.gz"
"$O" ingest --db "$TMP/g2.db" "$TMP/two.sbs.gz" >"$TMP/two.out" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q "1 ingested" "$TMP/two.out"; then
    echo "ok - a .gz of two members ingests"
else
    echo "not ok - a .gz of two members (exit $rc): $(head -c 300 "$TMP/two.out")"
fi

if [ "$(id -u)" = 0 ]; then
    if ! command -v setpriv >/dev/null; then
        echo "ok - # SKIP permission checks: running as root without setpriv"
        exit 0
    fi
    AS="setpriv --reuid=65534 --regid=65534 --clear-groups"
else
    AS=
fi
chmod 755 "$TMP"

# After a database error (the file is read-only) the summary says 1 failed.
mkdir "$TMP/w" && chmod 777 "$TMP/w"
cp "$TMP/g.db" "$TMP/w/f.db" && chmod 444 "$TMP/w/f.db"
$AS "$O" ingest --db "$TMP/w/f.db" "$TMP/cut.sbs.gz" >"$TMP/ro.out" 2>&1
rc=$?
if [ $rc -ne 0 ] && grep -q "database error" "$TMP/ro.out" && grep -q " 1 failed" "$TMP/ro.out"; then
    echo "ok - after a database error the summary counts the source as failed"
else
    echo "not ok - summary after a database error (exit $rc): $(grep -m1 sources: "$TMP/ro.out")"
fi

# A reader needs no write access: the database in a read-only directory.
mkdir "$TMP/ro"
cp "$TMP/g.db" "$TMP/ro/f.db"
chmod 444 "$TMP/ro/f.db"
chmod 555 "$TMP/ro"
$AS "$O" report --db "$TMP/ro/f.db" --format json >"$TMP/rep.out" 2>"$TMP/rep.err"
rc=$?
if [ $rc -eq 0 ] && grep -q '"assets"' "$TMP/rep.out"; then
    echo "ok - report reads a database in a read-only directory"
else
    echo "not ok - report in a read-only directory (exit $rc): $(head -c 200 "$TMP/rep.err")"
fi
$AS "$O" timeline --db "$TMP/ro/f.db" --format json >"$TMP/tl.out" 2>"$TMP/tl.err"
rc=$?
if [ $rc -eq 0 ]; then
    echo "ok - timeline reads a database in a read-only directory"
else
    echo "not ok - timeline in a read-only directory (exit $rc): $(head -c 200 "$TMP/tl.err")"
fi
ls "$TMP/ro" >"$TMP/ro.ls"
if [ "$(cat "$TMP/ro.ls")" = "f.db" ]; then
    echo "ok - the reader left no -wal/-shm files behind"
else
    echo "not ok - files in the read-only directory: $(cat "$TMP/ro.ls")"
fi
