#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# reliability_run.sh - issue 17 F9: SIGHUP to `orbat run` with a broken
# registry file keeps the registries it had (docs/server.md), and a fixed
# file is then loaded by the next SIGHUP. No feeds, no server: seconds.
set -u
cd "${ROOT:-.}" || exit 1
O=${ORBAT:-build/orbat}
TMP=$(mktemp -d)
PID=
cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT

good='icao_hex,registration,icao_type,type_description,db_flags,military
AE1460,05-5140,C17,Boeing C-17A Globemaster III,1,1'
printf '%s\n' "$good" >"$TMP/reg.csv"
"$O" run --db "$TMP/r.db" --no-server --registry "$TMP/reg.csv" --spool-dir "$TMP/spool" \
    2>"$TMP/err" &
PID=$!
wait_for() { # pattern, count
    i=0
    while [ $i -lt 100 ]; do
        n=$(grep -c "$1" "$TMP/err" 2>/dev/null)
        [ "${n:-0}" -ge "$2" ] && break
        sleep 0.1
        i=$((i + 1))
    done
}
wait_for "feed(s)" 1
if grep -q "could not be loaded" "$TMP/err"; then
    echo "not ok - the good registry file did not load: $(cat "$TMP/err")"
fi
printf 'garbage header\n"unterminated\n' >"$TMP/reg.csv"
kill -HUP $PID
wait_for "SIGHUP" 1
if grep -q "SIGHUP: registries and theatre NOT reloaded (kept the old ones)" "$TMP/err"; then
    echo "ok - SIGHUP with a broken registry file keeps the old registries"
else
    echo "not ok - SIGHUP with a broken registry file: $(grep SIGHUP "$TMP/err")"
fi
printf '%s\n' "$good" >"$TMP/reg.csv"
kill -HUP $PID
wait_for "SIGHUP" 2
if [ "$(grep SIGHUP "$TMP/err" | tail -n 1)" = "orbat run: SIGHUP: registries and theatre reloaded" ]; then
    echo "ok - SIGHUP after the file is fixed reloads"
else
    echo "not ok - SIGHUP after the fix: $(grep SIGHUP "$TMP/err" | tail -n 1)"
fi
kill $PID
wait $PID
rc=$?
PID=
if [ $rc -eq 0 ]; then
    echo "ok - orbat run exits 0 on SIGTERM"
else
    echo "not ok - orbat run exited $rc on SIGTERM"
fi

# F4: kill -9 of `orbat run` loses nothing the feed delivered more than 1 s
# before the kill: the spool is flushed twice a second, and the next start
# ingests the spool file the killed run left.
if ! command -v python3 >/dev/null; then
    echo "not ok - python3 is needed (apt-get install python3)"
    exit 0
fi
if ! "$O" simulate scenarios/caribbean-2025.json --from 2025-10-20 --to 2025-10-21 \
    --out-ais "$TMP/s.nmea" >"$TMP/sim.out" 2>&1; then
    echo "not ok - simulate the fixture: $(head -c 200 "$TMP/sim.out")"
    exit 0
fi
cat >"$TMP/feed.py" <<'PY'
import socket, sys, time
data = open(sys.argv[1], "rb").read()
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(1)
open(sys.argv[2] + ".tmp", "w").write(str(s.getsockname()[1]))
import os
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
c, _ = s.accept()
c.sendall(data)
open(sys.argv[3], "w").write("sent")
time.sleep(60)
PY
python3 "$TMP/feed.py" "$TMP/s.nmea" "$TMP/feed.port" "$TMP/feed.sent" &
FEEDPID=$!
i=0
while [ ! -s "$TMP/feed.port" ] && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
rm -f "$TMP/err"
"$O" run --db "$TMP/k.db" --no-server --spool-dir "$TMP/kspool" --spool-secs 3600 \
    --feed "sim=tcp://127.0.0.1:$(cat "$TMP/feed.port")/nmea" 2>"$TMP/err" &
PID=$!
i=0
while [ ! -s "$TMP/feed.sent" ] && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
sleep 1.5
kill -9 $PID
wait $PID 2>/dev/null
PID=
kill $FEEDPID 2>/dev/null
sent=$(wc -l <"$TMP/s.nmea")
spooled=$(cat "$TMP"/kspool/* 2>/dev/null | wc -l)
if [ "$sent" -gt 0 ] && [ "$spooled" -eq "$sent" ]; then
    echo "ok - kill -9: all $sent lines delivered 1.5 s before are in the spool file"
else
    echo "not ok - kill -9: $spooled of $sent delivered lines in the spool"
fi
"$O" run --db "$TMP/k.db" --no-server --spool-dir "$TMP/kspool" 2>"$TMP/err" &
PID=$!
wait_for "feed(s)" 1
kill $PID
wait $PID
PID=
if grep -q "ingested 1 spool file(s) left by an earlier run" "$TMP/err"; then
    echo "ok - the next start ingests the spool file the killed run left"
else
    echo "not ok - the spool file was not ingested at start-up: $(cat "$TMP/err")"
fi
"$O" ingest --db "$TMP/ref.db" -q "$TMP"/kspool/* 2>/dev/null
n1=$("$O" db migrate --db "$TMP/k.db" 2>&1 | grep -o '[0-9]* observations' | head -n 1)
n2=$("$O" db migrate --db "$TMP/ref.db" 2>&1 | grep -o '[0-9]* observations' | head -n 1)
if [ -n "$n1" ] && [ "$n1" = "$n2" ] && [ "$n1" != "0 observations" ]; then
    echo "ok - the recovered database holds what the spool holds ($n1)"
else
    echo "not ok - recovered '$n1', the spool ingested directly '$n2'"
fi
"$O" run --db "$TMP/k.db" --no-server --spool-dir "$TMP/kspool" 2>"$TMP/err" &
PID=$!
wait_for "feed(s)" 1
kill $PID
wait $PID
PID=
if grep -q "left by an earlier run" "$TMP/err"; then
    echo "not ok - a spool file already ingested was ingested again"
else
    echo "ok - a spool file already ingested is not ingested again"
fi

# F3 (the part that does not need a full disk): a database error in `orbat
# run` (here the write lock held by another process past the 5 s busy
# timeout) is logged with SQLite's message, and ingest resumes by itself
# once the cause is gone: the failed spool file is retried.
"$O" db migrate --db "$TMP/l.db" >/dev/null 2>&1
cat >"$TMP/lock.py" <<'PY'
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").write("locked")
time.sleep(float(sys.argv[3]))
c.execute("ROLLBACK")
PY
python3 "$TMP/lock.py" "$TMP/l.db" "$TMP/locked" 9 &
LOCKPID=$!
rm -f "$TMP/feed.port" "$TMP/feed.sent"
python3 "$TMP/feed.py" "$TMP/s.nmea" "$TMP/feed.port" "$TMP/feed.sent" &
FEEDPID=$!
i=0
while { [ ! -s "$TMP/feed.port" ] || [ ! -s "$TMP/locked" ]; } && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
rm -f "$TMP/err"
"$O" run --db "$TMP/l.db" --no-server --spool-dir "$TMP/lspool" --spool-secs 1 \
    --feed "sim=tcp://127.0.0.1:$(cat "$TMP/feed.port")/nmea" 2>"$TMP/err" &
PID=$!
i=0
while ! grep -q "on retry" "$TMP/err" 2>/dev/null && [ $i -lt 200 ]; do
    sleep 0.1
    i=$((i + 1))
done
kill $PID
wait $PID
PID=
kill $FEEDPID 2>/dev/null
wait $LOCKPID 2>/dev/null
if grep -q "ingest .*: database error: .*database is locked" "$TMP/err"; then
    echo "ok - a database error in orbat run is logged with SQLite's message"
else
    echo "not ok - no SQLite message in the log: $(head -c 300 "$TMP/err")"
fi
if grep -q "on retry" "$TMP/err"; then
    echo "ok - the failed spool file is ingested on retry once the lock is gone"
else
    echo "not ok - no retry after the database error: $(tail -n 3 "$TMP/err")"
fi
"$O" ingest --db "$TMP/lref.db" -q "$TMP"/lspool/* 2>/dev/null
n1=$("$O" db migrate --db "$TMP/l.db" 2>&1 | grep -o '[0-9]* observations' | head -n 1)
n2=$("$O" db migrate --db "$TMP/lref.db" 2>&1 | grep -o '[0-9]* observations' | head -n 1)
if [ -n "$n1" ] && [ "$n1" = "$n2" ] && [ "$n1" != "0 observations" ]; then
    echo "ok - after recovery the database holds every spooled line ($n1)"
else
    echo "not ok - after recovery '$n1', the spool ingested directly '$n2'"
fi

# F3 with a real full disk: the database on a small tmpfs filled to the
# last byte (the spool stays on the normal disk). `orbat run` logs SQLite's
# "database or disk is full", keeps the spool file, and once space is freed
# ingests it by itself: the database then holds every spooled line. Needs
# root for the mount (CI runs as root).
FULL=$TMP/full
mkdir -p "$FULL"
if mount -t tmpfs -o size=4m tmpfs "$FULL" 2>/dev/null; then
    "$O" db migrate --db "$FULL/f.db" >/dev/null 2>&1
    # The feed sends once "$TMP/go" exists: the run opens the database
    # first, then the disk fills, then the data comes.
    cat >"$TMP/feed_go.py" <<'PY'
import os, socket, sys, time
data = open(sys.argv[1], "rb").read()
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(1)
open(sys.argv[2] + ".tmp", "w").write(str(s.getsockname()[1]))
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
c, _ = s.accept()
t0 = time.time()
while not os.path.exists(sys.argv[3]) and time.time() - t0 < 30:
    time.sleep(0.05)
c.sendall(data)
time.sleep(60)
PY
    rm -f "$TMP/feed.port" "$TMP/go"
    python3 "$TMP/feed_go.py" "$TMP/s.nmea" "$TMP/feed.port" "$TMP/go" &
    FEEDPID=$!
    i=0
    while [ ! -s "$TMP/feed.port" ] && [ $i -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    rm -f "$TMP/err"
    "$O" run --db "$FULL/f.db" --no-server --spool-dir "$TMP/fspool" --spool-secs 1 \
        --feed "sim=tcp://127.0.0.1:$(cat "$TMP/feed.port")/nmea" 2>"$TMP/err" &
    PID=$!
    sleep 1
    dd if=/dev/zero of="$FULL/filler" bs=4k >/dev/null 2>&1 # until the disk is full
    touch "$TMP/go"
    i=0
    while ! grep -q "disk is full" "$TMP/err" 2>/dev/null && [ $i -lt 200 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    if grep -q "database error: .*disk is full" "$TMP/err"; then
        echo "ok - full disk: orbat run logs SQLite's message (database or disk is full)"
    else
        echo "not ok - full disk: no SQLite message: $(head -c 300 "$TMP/err")"
    fi
    rm -f "$FULL/filler" # space comes back
    i=0
    while ! grep -q "on retry" "$TMP/err" 2>/dev/null && [ $i -lt 200 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    sleep 1.5 # let the retry commit
    kill $PID
    wait $PID
    PID=
    kill $FEEDPID 2>/dev/null
    if grep -q "on retry" "$TMP/err"; then
        echo "ok - full disk: once space is freed the failed spool file is ingested by itself"
    else
        echo "not ok - full disk: no retry after space came back: $(tail -n 3 "$TMP/err")"
    fi
    "$O" ingest --db "$TMP/fref.db" -q "$TMP"/fspool/* 2>/dev/null
    n1=$("$O" db migrate --db "$FULL/f.db" 2>&1 | grep -o '[0-9]* observations' | head -n 1)
    n2=$("$O" db migrate --db "$TMP/fref.db" 2>&1 | grep -o '[0-9]* observations' | head -n 1)
    if [ -n "$n1" ] && [ "$n1" = "$n2" ] && [ "$n1" != "0 observations" ]; then
        echo "ok - full disk: after recovery the database holds every spooled line ($n1)"
    else
        echo "not ok - full disk: after recovery '$n1', the spool ingested directly '$n2'"
    fi
    umount "$FULL" 2>/dev/null || umount -l "$FULL"
elif [ "$(id -u)" = 0 ]; then
    echo "not ok - full disk: could not mount a tmpfs as root"
else
    echo "ok - full disk test skipped: mounting a tmpfs needs root (CI runs it)"
fi
