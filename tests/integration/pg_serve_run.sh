#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# pg_serve_run.sh - the server commands on the PostgreSQL backend (issue 9),
# against a real server started here (initdb + pg_ctl on a Unix socket in a
# temp dir, as the postgres user when run as root; stopped on exit):
#   1. `orbat serve --db postgresql://...` answers the JSON API (order of
#      battle, assets, single assets, events, tracks, timeline) byte
#      for byte as `orbat serve` on an SQLite file holding the same data;
#   2. `orbat run --db postgresql://...` with a TCP feed on 127.0.0.1 (a
#      fixture server replaying simulated AIS) ingests through its spool
#      files into PostgreSQL, serves them while it runs, exits 0 on SIGTERM,
#      and leaves a database that passes the integrity check and reports
#      the same as an SQLite ingest of the same spool files.
# Skips only when the PostgreSQL 15 / PostGIS server binaries are absent,
# and fails instead when CI=true.
set -u
cd "${ROOT:-.}" || exit 1
O=${ORBAT:-build/orbat}

. tests/integration/pg_server.inc
pg_require
if ! command -v python3 >/dev/null; then
    echo "not ok - python3 is needed (apt-get install python3)"
    exit 1
fi

pg_start 7919
PIDS=
cleanup() {
    for p in $PIDS; do kill "$p" 2>/dev/null; done
    pg_stop
    rm -rf "$TMP"
}
trap cleanup EXIT

# Start `orbat serve` on DB; sets SPORT. $2: a name for its files.
serve() {
    rm -f "$TMP/$2.port"
    "$O" serve --db "$1" --listen 127.0.0.1:0 --cache-ms 0 --port-file "$TMP/$2.port" \
        >"$TMP/$2.out" 2>&1 &
    PIDS="$PIDS $!"
    i=0
    while [ ! -s "$TMP/$2.port" ] && [ $i -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    SPORT=$(cat "$TMP/$2.port" 2>/dev/null)
    [ -n "$SPORT" ]
}

# --- 1. orbat serve: the same answers from both backends -------------------
S=$TMP/sim
mkdir -p "$S"
if ! "$O" simulate scenarios/caribbean-2025.json --from 2025-10-20 --to 2025-10-23 \
    --out-ais "$S/c.ais" --out-sbs "$S/c.sbs" --sightings "$S/s.tsv" >"$S/err" 2>&1; then
    echo "not ok - simulate failed: $(head -3 "$S/err")"
    exit 1
fi
newdb serve
PG=$(url serve)
SQ=$TMP/serve.db
tab=$(printf '\t')
for db in "$SQ" "$PG"; do
    "$O" ingest -q --db "$db" "$S/c.ais" "$S/c.sbs" >"$S/ingest.out" 2>&1 ||
        echo "ingest failed: $(tail -2 "$S/ingest.out")"
    tail -n +2 "$S/s.tsv" | while IFS="$tab" read -r name time lat lon src note; do
        "$O" sighting add --db "$db" --name "$name" --time "$time" --lat "$lat" --lon "$lon" \
            --source "$src" --note "$note" >/dev/null 2>&1 || echo "sighting add failed: $name"
    done
done >"$S/fail.txt"
if [ -s "$S/fail.txt" ]; then
    echo "not ok - simulated data into both backends: $(head -2 "$S/fail.txt")"
else
    echo "ok - simulated data and sightings into SQLite and PostgreSQL"
fi
if serve "$SQ" sq && SQPORT=$SPORT && serve "$PG" pg && PGPORT=$SPORT; then
    echo "ok - orbat serve on SQLite (:$SQPORT) and on PostgreSQL (:$PGPORT)"
    python3 - "$SQPORT" "$PGPORT" <<'EOF'
import json, sys, urllib.request
sq, pg = sys.argv[1], sys.argv[2]
def get(port, path):
    with urllib.request.urlopen("http://127.0.0.1:%s%s" % (port, path), timeout=60) as r:
        return r.status, r.read()
fails = 0
def check(c, what):
    global fails
    print(("ok - " if c else "not ok - ") + what)
    fails += 0 if c else 1
W = "as_of=2025-10-23T00:00Z&window=3d"
paths = ["/api/oob", "/api/oob?" + W, "/api/oob?as_of=2025-10-22T12:00Z&window=2d",
         "/api/oob?theatre=caribbean&all=1&" + W, "/api/assets", "/api/assets?" + W,
         "/api/assets?military=0&" + W, "/api/events", "/api/events?" + W,
         "/api/events?type=enter&" + W, "/api/tracks?" + W, "/api/timeline",
         "/api/timeline?from=2025-10-20&to=2025-10-23"]
st, body = get(pg, "/api/assets?" + W)
assets = json.loads(body)
lst = assets.get("assets", []) if isinstance(assets, dict) else []
ids = [a["asset_id"] for a in lst[:3] if isinstance(a, dict) and "asset_id" in a]
check(len(ids) > 0, "PostgreSQL /api/assets lists assets (%d)" % len(lst))
paths += ["/api/assets/%d" % i for i in ids]
for p in paths:
    try:
        s1, b1 = get(sq, p)
        s2, b2 = get(pg, p)
    except Exception as e:
        check(False, "%s: %s" % (p, e))
        continue
    same = s1 == s2 == 200 and b1 == b2
    # (The default windows end at the newest data or now: some are short.)
    check(same and (len(b1) > 100 or "?" not in p), "GET %s: same answer from both backends (%d bytes)" % (p, len(b2)))
    if not same:
        for i in range(min(len(b1), len(b2))):
            if b1[i] != b2[i]:
                print("# first difference at byte %d:\n# sqlite %r\n# pg     %r" %
                      (i, b1[max(0, i - 80):i + 80], b2[max(0, i - 80):i + 80]))
                break
        else:
            print("# status %d / %d, lengths %d / %d" % (s1, s2, len(b1), len(b2)))
oob = json.loads(get(pg, "/api/oob")[1])
check(oob.get("total", 0) > 0, "PostgreSQL order of battle is not empty (%d assets)" % oob.get("total", 0))
sys.exit(3 if fails else 0)  # 3: checks failed (printed); 1: a crash
EOF
    rc=$?
    [ $rc -eq 0 ] || [ $rc -eq 3 ] || echo "not ok - the serve comparison script failed (exit $rc)"
else
    echo "not ok - orbat serve did not start: $(tail -n 3 "$TMP/sq.out" "$TMP/pg.out" 2>/dev/null)"
fi

# --- 2. orbat run: a live TCP feed into PostgreSQL ----------------------------
# About 4 s of feed, so that several spool files (1 s each) are ingested.
"$O" simulate scenarios/caribbean-2025.json --from 2025-10-20 --to 2025-10-21 \
    --out-ais "$S/live.nmea" >/dev/null 2>&1
cat >"$TMP/feed.py" <<'EOF'
import socket, sys, time
data = open(sys.argv[1], "rb").read()
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(4)
open(sys.argv[2], "w").write(str(s.getsockname()[1]))
while True:
    c, _ = s.accept()
    for i in range(0, len(data), 4096):
        c.sendall(data[i:i + 4096])
        time.sleep(0.1)
    time.sleep(600)
EOF
python3 "$TMP/feed.py" "$S/live.nmea" "$TMP/feed.port" &
PIDS="$PIDS $!"
i=0
while [ ! -s "$TMP/feed.port" ] && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
FEEDPORT=$(cat "$TMP/feed.port")
newdb live
PGL=$(url live)
"$O" run --db "$PGL" --feed "sim=tcp://127.0.0.1:$FEEDPORT/nmea" --listen 127.0.0.1:0 \
    --spool-dir "$TMP/spool" --spool-secs 1 --port-file "$TMP/run.port" \
    >"$TMP/run.out" 2>"$TMP/run.err" &
RPID=$!
PIDS="$PIDS $RPID"
i=0
while [ ! -s "$TMP/run.port" ] && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
if [ ! -s "$TMP/run.port" ]; then
    echo "not ok - orbat run on PostgreSQL did not start: $(tail -n 3 "$TMP/run.err")"
    exit 1
fi
RPORT=$(cat "$TMP/run.port")
echo "ok - orbat run --db postgresql://... serves on 127.0.0.1:$RPORT with a TCP feed"
python3 - "$RPORT" "$(wc -c <"$S/live.nmea")" <<'EOF'
import json, sys, time, urllib.request
port, size = sys.argv[1], int(sys.argv[2])
def getj(p):
    with urllib.request.urlopen("http://127.0.0.1:%s%s" % (port, p), timeout=30) as r:
        return json.load(r)
fails = 0
def check(c, what):
    global fails
    print(("ok - " if c else "not ok - ") + what)
    fails += 0 if c else 1
# The whole capture read, then two more spool periods for the last ingest.
src = {}
for _ in range(1200):
    src = getj("/api/sources")
    f = src.get("feeds", [])
    if f and f[0].get("bytes", 0) >= size:
        break
    time.sleep(0.1)
f = src.get("feeds", [])
check(bool(f) and f[0].get("bytes", 0) >= size,
      "the feed delivered the whole capture (%d of %d bytes)" % (f[0].get("bytes", 0) if f else -1, size))
time.sleep(2.5)
src = getj("/api/sources")
check(src["counts"]["observations"] > 0 and len(src["sources"]) > 0,
      "live data in PostgreSQL: %d spool files, %d observations" %
      (len(src["sources"]), src["counts"]["observations"]))
oob = getj("/api/oob")
check(oob.get("total", 0) > 0, "order of battle from PostgreSQL while running: %d assets" % oob.get("total", 0))
sys.exit(3 if fails else 0)  # 3: checks failed (printed); 1: a crash
EOF
rc=$?
[ $rc -eq 0 ] || [ $rc -eq 3 ] || echo "not ok - the live check script failed (exit $rc)"
kill -TERM $RPID
i=0
while kill -0 $RPID 2>/dev/null && [ $i -lt 200 ]; do
    sleep 0.1
    i=$((i + 1))
done
if kill -0 $RPID 2>/dev/null; then
    echo "not ok - SIGTERM stops orbat run"
else
    wait $RPID
    rc=$?
    if [ $rc -eq 0 ]; then
        echo "ok - SIGTERM stops orbat run on PostgreSQL (exit 0)"
    else
        echo "not ok - orbat run exit status $rc: $(tail -n 3 "$TMP/run.err")"
    fi
fi
if "$O" db migrate --db "$PGL" >"$TMP/migrate.out" 2>&1; then
    echo "ok - the live database passes the integrity check ($(tail -n 1 "$TMP/migrate.out"))"
else
    echo "not ok - integrity check of the live database: $(tail -n 2 "$TMP/migrate.out")"
fi
n=$(psq live "SELECT count(*) FROM orbat.sources WHERE complete = 1")
m=$(ls "$TMP"/spool/sim-*.nmea 2>/dev/null | wc -l)
if [ "$n" -gt 0 ] && [ "$n" = "$m" ]; then
    echo "ok - every spool file ($m) is a complete source in PostgreSQL"
else
    echo "not ok - $n complete sources in PostgreSQL for $m spool files"
fi
# The same spool files ingested into SQLite, in order: the same report.
SQL=$TMP/live.db
# shellcheck disable=SC2046 # spool file names have no spaces
"$O" ingest -q --db "$SQL" $(ls "$TMP"/spool/sim-*.nmea | sort) >/dev/null 2>&1
for a in "$SQL" "$PGL"; do
    if [ "$a" = "$SQL" ]; then d=sq; else d=pg; fi
    "$O" report --db "$a" --as-of 2025-10-21 --format json >"$TMP/live-$d.json" 2>&1
    "$O" export --db "$a" --format csv -o "$TMP/live-$d.csv" >/dev/null 2>&1
done
if cmp -s "$TMP/live-sq.json" "$TMP/live-pg.json" && cmp -s "$TMP/live-sq.csv" "$TMP/live-pg.csv" &&
    grep -q '"total":[1-9]' "$TMP/live-pg.json"; then
    echo "ok - orbat run into PostgreSQL: report and export equal an SQLite ingest of its spool files"
else
    echo "not ok - orbat run into PostgreSQL differs from an SQLite ingest of its spool files"
    diff "$TMP/live-sq.json" "$TMP/live-pg.json" | head -n 6 >&2
    diff "$TMP/live-sq.csv" "$TMP/live-pg.csv" | head -n 6 >&2
fi
