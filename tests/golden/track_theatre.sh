#!/bin/sh
# tests/golden/track_theatre.sh - `orbat track` with the shipped Caribbean
# theatre on a SIMULATED day (orbat simulate, scenarios/caribbean-2025.json,
# 2025-10-15: the first B-52 flight off Venezuela): the events the theatre
# exists for appear (the B-52s' box pattern is an orbit), every line is
# JSON, piping gives the same result, a bare GeoJSON file works as a
# theatre, and bad arguments are refused.
# Env: ORBAT, ROOT (from tests/run.sh).
set -u
case $ORBAT in /*) ;; *) ORBAT=$PWD/$ORBAT ;; esac
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
SCEN=$ROOT/scenarios/caribbean-2025.json
if [ ! -f "$SCEN" ] || ! "$ORBAT" simulate --help >/dev/null 2>&1; then
    echo "ok - SKIP orbat simulate or its scenario is not available"
    exit 0
fi
cd "$TMP" || exit 1
"$ORBAT" simulate "$SCEN" --from 2025-10-15 --to 2025-10-16 --out-ais day.nmea --out-sbs day.sbs \
    2>/dev/null
if ! "$ORBAT" track --theatre caribbean day.nmea day.sbs >ev.jsonl 2>err.txt; then
    echo "not ok - orbat track failed: $(head -n 3 err.txt)"
    exit 0
fi
ORBAT_DATA=$ROOT/data "$ORBAT" track day.nmea day.sbs >ev2.jsonl 2>/dev/null
if cmp -s ev.jsonl ev2.jsonl; then
    echo "ok - the default theatre is caribbean (found through ORBAT_DATA)"
else
    echo "not ok - default theatre differs from --theatre caribbean"
fi
for t in first_seen last_seen enter leave approach arrival orbit; do
    n=$(grep -c "\"type\":\"$t\"" ev.jsonl)
    if [ "$n" -gt 0 ]; then
        echo "ok - simulated day: $n $t events"
    else
        echo "not ok - simulated day: no $t event"
    fi
done
# Closest approaches of aircraft to the Venezuelan coast: within the pass
# threshold (60 nm) and reported with the coast point and provenance.
bad=$(grep '"type":"approach"' ev.jsonl | grep '"where":"venezuela_coast"' | awk -F'"dist_nm":' '{split($2, a, /[,}]/); if (a[1] + 0 > 60.0001) n++} END {print n + 0}')
withref=$(grep '"type":"approach"' ev.jsonl | grep -c '"coast_lat":.*"source":"day\.')
if [ "$bad" -eq 0 ] && [ "$withref" -gt 0 ]; then
    echo "ok - approach distances within 60 nm, with coast point and source"
else
    echo "not ok - approach events: $bad beyond 60 nm, $withref with references"
fi
# Orbits: only the B-52s (ae56ea, ae56ed, ae586c) fly a pattern that day, a
# box of about 82 x 27 nm centred near 12.6N 66.7W, 2.5 times round (the
# scenario's waypoints); the SBS output loses some of it.
bad=$(grep '"type":"orbit"' ev.jsonl | awk '
    { id = $0; sub(/.*"id":"/, "", id); sub(/".*/, "", id)
      t = $0; sub(/.*"turns":/, "", t); sub(/[,}].*/, "", t)
      la = $0; sub(/.*"centre_lat":/, "", la); sub(/[,}].*/, "", la)
      lo = $0; sub(/.*"centre_lon":/, "", lo); sub(/[,}].*/, "", lo)
      if ((id != "ae56ea" && id != "ae56ed" && id != "ae586c") || t + 0 < 2 || t + 0 > 3 ||
          la + 0 < 12.45 || la + 0 > 12.8 || lo + 0 < -66.9 || lo + 0 > -66.5) n++ }
    END { print n + 0 }')
norb=$(grep -c '"type":"orbit"' ev.jsonl)
if [ "$norb" -ge 1 ] && [ "$bad" -eq 0 ]; then
    echo "ok - $norb B-52 orbits: 2-3 turns, centred on the scenario's box"
else
    echo "not ok - orbit events: $norb, $bad not matching the B-52 box pattern"
    grep '"type":"orbit"' ev.jsonl | head -n 3
fi
if command -v python3 >/dev/null 2>&1; then
    if python3 -c '
import json, sys
n = 0
for line in open("ev.jsonl"):
    e = json.loads(line)
    assert e["type"] and e["id"] and e["t_start"] <= e["t_end"], line
    n += 1
assert n > 0
' 2>err.txt; then
        echo "ok - every event line is a JSON object with type, id and a time span"
    else
        echo "not ok - event JSON: $(tail -n 2 err.txt)"
    fi
else
    echo "ok - SKIP python3 not available for the JSON check"
fi
# The same input through stdin, in small writes.
cat day.nmea | dd bs=100 2>/dev/null | "$ORBAT" track --theatre caribbean - >pipe.jsonl 2>/dev/null
"$ORBAT" track --theatre caribbean day.nmea 2>/dev/null | sed 's|"source":"day.nmea"|"source":"-"|g' >file.jsonl
if cmp -s pipe.jsonl file.jsonl && [ -s file.jsonl ]; then
    echo "ok - AIS through a pipe in 100-byte writes gives the same events"
else
    echo "not ok - piping changed the events"
fi
n=$("$ORBAT" track --theatre "$ROOT/data/geo/caribbean_sea.geojson" --format table day.nmea 2>/dev/null |
    grep -c ' enter .*@caribbean_sea')
if [ "$n" -gt 0 ]; then
    echo "ok - a bare GeoJSON file works as a theatre ($n enter events)"
else
    echo "not ok - GeoJSON theatre gave no enter events"
fi
"$ORBAT" track --theatre no_such_theatre day.nmea >/dev/null 2>&1
rc1=$?
"$ORBAT" track --set gap_h=abc day.nmea >/dev/null 2>&1
rc2=$?
"$ORBAT" track --format xml day.nmea >/dev/null 2>&1
rc3=$?
if [ $rc1 -eq 2 ] && [ $rc2 -eq 2 ] && [ $rc3 -eq 2 ]; then
    echo "ok - unknown theatre, bad --set and bad --format exit 2"
else
    echo "not ok - usage errors exit $rc1 $rc2 $rc3 (want 2)"
fi
# A threshold override changes the result: gap_h=0.5 finds more gaps.
a=$("$ORBAT" track --theatre none day.nmea | grep -c '"ais_gap"')
b=$("$ORBAT" track --theatre none --set gap_h=0.5 --set gap_shore_nm=0 day.nmea | grep -c '"ais_gap"')
if [ "$b" -gt "$a" ]; then
    echo "ok - --set gap_h=0.5 finds more AIS gaps ($a -> $b)"
else
    echo "not ok - --set had no effect ($a -> $b)"
fi
