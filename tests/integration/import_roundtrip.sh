#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# import_roundtrip.sh - one simulated scenario, two ways in: the raw feeds
# (AIS NMEA + SBS) through `orbat ingest`, and the public-archive formats
# the simulator writes (adsb.lol-style split daily tars of readsb traces,
# MarineCadastre CSV in zstd, readsb-hist snapshots) through `orbat import`.
# Both must give the same assets and order of battle, the same events (type
# by type, times within a few minutes: traces keep a point every 4 s), the
# same ship positions (MarineCadastre keeps the first report of each minute,
# as the store does) and the aircraft positions of the feeds where both have
# one (within the precision of the formats). Everything stays labelled as
# simulated.
set -u
cd "${ROOT:-.}" || exit 1
O=${ORBAT:-build/orbat}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
check() {
    d=$1
    shift
    if "$@" >"$TMP/check.out" 2>&1; then
        echo "ok - $d"
    else
        echo "not ok - $d"
        head -n 20 "$TMP/check.out" >&2
    fi
}
q() { sqlite3 "$1" "$2"; }

$O simulate scenarios/caribbean-2025.json --from 2025-10-14 --to 2025-10-17 \
    --out-ais "$TMP/ais.nmea" --out-sbs "$TMP/adsb.sbs" --out-traces "$TMP/tr/x.tar" \
    --split-tar 20000 --out-marinecadastre "$TMP/mc.csv.zst" --out-snapshots "$TMP/snap" \
    --snapshot-interval 300 2>"$TMP/sim.err" || {
    echo "not ok - simulate failed"
    cat "$TMP/sim.err" >&2
    exit 0
}
check "the daily tars are split in parts" test "$(ls "$TMP"/tr/*.tar.ab | wc -l)" = 3

$O ingest -q --db "$TMP/feeds.db" "$TMP/ais.nmea" "$TMP/adsb.sbs"
$O import -q --db "$TMP/arch.db" "$TMP/mc.csv.zst" "$TMP"/tr/*.tar.aa
check "import of the archives exits 0" test $? = 0
$O import -q --db "$TMP/snap.db" "$TMP/mc.csv.zst" "$TMP/snap"
check "import of the snapshots exits 0" test $? = 0

oob() { $O report --db "$1" --as-of 2025-10-17 --window 3d --format csv 2>/dev/null | cut -d, -f1,3,4 | sort; }
oob "$TMP/feeds.db" >"$TMP/oob.feeds"
oob "$TMP/arch.db" >"$TMP/oob.arch"
oob "$TMP/snap.db" >"$TMP/oob.snap"
check "order of battle: $(($(wc -l <"$TMP/oob.feeds") - 1)) assets, the same from traces+CSV as from the feeds" \
    sh -c "[ \$(wc -l <'$TMP/oob.feeds') -gt 10 ] && cmp '$TMP/oob.feeds' '$TMP/oob.arch'"
check "order of battle: the same from snapshots+CSV" cmp "$TMP/oob.feeds" "$TMP/oob.snap"
assets() { q "$1" "SELECT kind, ident FROM assets ORDER BY 1, 2"; }
check "every asset (civil too) the same" sh -c "[ \"\$(sqlite3 '$TMP/feeds.db' 'SELECT kind, ident FROM assets ORDER BY 1, 2')\" = \"\$(sqlite3 '$TMP/arch.db' 'SELECT kind, ident FROM assets ORDER BY 1, 2')\" ]"

# Aircraft "dark" events (an aircraft not received for 5 min) are compared
# apart: the traces hold positions only, the SBS feed also the velocity and
# identification messages in between, so a simulated reception gap whose
# positions stop for >= 5 min while a MSG,4 still came is dark only in the
# traces (e.g. 3 of 42 on 14-17 Oct). Every dark event of the feeds must be
# in the traces (within 5 min). Until each class had its own events engine
# no aircraft went dark in either (the AIS data clock ran ahead of them).
evcount() { q "$1" "SELECT type || ' ' || count(*) FROM events WHERE type <> 'dark' GROUP BY type ORDER BY type"; }
evcount "$TMP/feeds.db" >"$TMP/ev.feeds"
evcount "$TMP/arch.db" >"$TMP/ev.arch"
check "events: the same count of each type ($(tr '\n' ' ' <"$TMP/ev.feeds"))" \
    sh -c "grep -q '^orbit 2' '$TMP/ev.feeds' && cmp '$TMP/ev.feeds' '$TMP/ev.arch'"
evlist() { q "$1" "SELECT a.ident, e.type, e.t_ms FROM events e JOIN assets a ON a.id = e.asset_id WHERE e.type <> 'dark' ORDER BY 1, 2, 3"; }
evlist "$TMP/feeds.db" >"$TMP/evl.feeds"
evlist "$TMP/arch.db" >"$TMP/evl.arch"
dark() { q "$1" "SELECT a.ident, e.t_ms FROM events e JOIN assets a ON a.id = e.asset_id WHERE e.type = 'dark' ORDER BY 1, 2"; }
dark "$TMP/feeds.db" >"$TMP/dark.feeds"
dark "$TMP/arch.db" >"$TMP/dark.arch"
check "dark: each of the feeds' $(wc -l <"$TMP/dark.feeds") is in the traces' $(wc -l <"$TMP/dark.arch") within 5 min, at most 10% more there" python3 - "$TMP/dark.feeds" "$TMP/dark.arch" <<'EOF'
import sys
a = [l.split("|") for l in open(sys.argv[1]).read().split()]
b = [l.split("|") for l in open(sys.argv[2]).read().split()]
assert len(a) > 10 and len(a) <= len(b) <= 1.1 * len(a), (len(a), len(b))
for x in a:
    assert any(y[0] == x[0] and abs(int(y[1]) - int(x[1])) <= 300000 for y in b), x
EOF
# first_seen of a ship is its first message of any kind in the feed (often
# a static report without position), but its first position row in the CSV:
# those times are not compared.
check "events: the same asset and type one by one, times within 5 min (first_seen aside)" python3 - "$TMP/evl.feeds" "$TMP/evl.arch" <<'EOF'
import sys
a = [l.split("|") for l in open(sys.argv[1]).read().split()]
b = [l.split("|") for l in open(sys.argv[2]).read().split()]
assert len(a) == len(b) > 100, (len(a), len(b))
worst = 0
for x, y in zip(a, b):
    assert x[:2] == y[:2], (x, y)
    if x[1] != "first_seen":
        worst = max(worst, abs(int(x[2]) - int(y[2])))
assert worst <= 300000, worst
print("largest time difference", worst / 1000, "s")
EOF

$O import -q --db "$TMP/small.db" --sort-mem 1 "$TMP/mc.csv.zst" "$TMP"/tr/*.tar.aa
evlist "$TMP/small.db" >"$TMP/evl.small"
check "--sort-mem 1 (time order through temporary files): the same events" cmp "$TMP/evl.arch" "$TMP/evl.small"
check "--sort-mem 1: the same observations" sh -c "[ \"\$(sqlite3 '$TMP/arch.db' 'SELECT count(*), sum(t_ms) FROM observations')\" = \"\$(sqlite3 '$TMP/small.db' 'SELECT count(*), sum(t_ms) FROM observations')\" ]"

pos() { q "$1" "SELECT a.ident, o.t_ms, o.lat, o.lon FROM observations o JOIN assets a ON a.id = o.asset_id WHERE a.kind = $2 ORDER BY 1, 2"; }
pos "$TMP/feeds.db" 1 >"$TMP/ship.feeds"
pos "$TMP/arch.db" 1 >"$TMP/ship.arch"
pos "$TMP/feeds.db" 2 >"$TMP/air.feeds"
pos "$TMP/arch.db" 2 >"$TMP/air.arch"
check "ship positions: the same rows, within the CSV's 5 decimals" python3 - "$TMP/ship.feeds" "$TMP/ship.arch" <<'EOF'
import sys
a = [l.split("|") for l in open(sys.argv[1]).read().split()]
b = [l.split("|") for l in open(sys.argv[2]).read().split()]
assert len(a) == len(b) > 1000, (len(a), len(b))
for x, y in zip(a, b):
    assert x[:2] == y[:2], (x, y)
    assert abs(float(x[2]) - float(y[2])) <= 6e-6 and abs(float(x[3]) - float(y[3])) <= 6e-6, (x, y)
EOF
check "aircraft positions: >= 98% of the feeds' stored fixes are in the traces, same time (5 ms) and position (1e-5 deg)" python3 - "$TMP/air.feeds" "$TMP/air.arch" <<'EOF'
import sys
a = [l.split("|") for l in open(sys.argv[1]).read().split()]
b = {}
for l in open(sys.argv[2]).read().split():
    x = l.split("|")
    b.setdefault(x[0], []).append((int(x[1]), float(x[2]), float(x[3])))
hit = 0
for x in a:
    for t, la, lo in b.get(x[0], []):
        if abs(t - int(x[1])) <= 5:
            assert abs(la - float(x[2])) <= 1e-5 and abs(lo - float(x[3])) <= 1e-5, (x, t, la, lo)
            hit += 1
            break
print(hit, "of", len(a))
assert len(a) > 1000 and hit >= 0.98 * len(a), (hit, len(a))
EOF

check "the archives' sources are labelled simulated" \
    test "$(q "$TMP/arch.db" "SELECT count(*) FROM sources WHERE simulated = 1")" = 4
check "the report says SIMULATED and names the simulator, not a real provider, as the source" \
    sh -c "$O report --db '$TMP/arch.db' --as-of 2025-10-17 | grep -q 'SIMULATED DATA' && $O report --db '$TMP/arch.db' --as-of 2025-10-17 | grep -q 'SIMULATION: written by orbat simulate' && ! $O report --db '$TMP/arch.db' --as-of 2025-10-17 | grep -q 'ODbL'"
