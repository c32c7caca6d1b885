#!/bin/sh
# tests/golden/sim_gpsdecode.sh - AIS encoder output checked by an independent
# decoder: `orbat simulate` a tiny scenario (a moored class A ship at a known
# position, a moving class B ship), then gpsdecode -u -j (gpsd 3.22) must
# decode every sentence, agree with the ground-truth message count, report
# the exact raw position/identity we encoded, and print the same JSON as
# `orbat decode -f gpsd` for every message.
set -u
ORBAT=${ORBAT:-build/orbat}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
if ! command -v gpsdecode >/dev/null 2>&1; then
    echo "ok - SKIP gpsdecode not installed (gpsd-clients)"
    exit 0
fi
cat >"$T/tiny.json" <<'JSON'
{
 "name": "golden-tiny", "simulation": true,
 "start": "2025-10-26T12:00:00Z", "end": "2025-10-26T14:00:00Z", "seed": 7,
 "rates": {"ais_scale": 1, "adsb_scale": 1, "static_interval_s": 360},
 "loss": 0,
 "receivers": [{"name": "rx", "lat": 10.65, "lon": -61.52, "range_km": 200, "adsb": false}],
 "assets": [
  {"id": "moored", "kind": "ship", "mmsi": 366999001, "name": "SIM TEST ONE", "callsign": "NSIM1",
   "ship_type": 35, "length_m": 150, "beam_m": 20,
   "route": [{"t": "2025-10-26T12:00:00Z", "lat": 10.648, "lon": -61.517},
             {"t": "2025-10-26T13:00:00Z", "lat": 10.648, "lon": -61.517}]},
  {"id": "moving", "kind": "ship", "mmsi": 366999002, "name": "SIM TEST TWO", "callsign": "NSIM2",
   "ship_type": 37, "ais_class": "B", "length_m": 12, "beam_m": 4,
   "route": [{"t": "2025-10-26T12:00:00Z", "lat": 10.70, "lon": -61.60},
             {"lat": 10.90, "lon": -61.70, "speed_kn": 8}]}
 ]
}
JSON
if ! "$ORBAT" simulate "$T/tiny.json" --out-ais "$T/out.ais" --truth "$T/truth.json" 2>"$T/err"; then
    echo "not ok - orbat simulate failed: $(cat "$T/err")"
    exit 1
fi
echo "ok - orbat simulate wrote the tiny scenario"
gpsdecode -u -j <"$T/out.ais" >"$T/gpsd.json" 2>"$T/gpsd.err"
n_gpsd=$(grep -c '"class":"AIS"' "$T/gpsd.json")
n_truth=$(sed -n 's/.*"ais_messages": *\([0-9]*\).*/\1/p' "$T/truth.json")
# gpsdecode prints type 24 only when part A and B are paired: count pairs once.
n_24=$(grep -c '"type":24' "$T/gpsd.json")
n_expect=$((n_truth - n_24))
if [ -n "$n_truth" ] && [ "$n_gpsd" -eq "$n_expect" ] && [ "$n_gpsd" -gt 20 ]; then
    echo "ok - gpsdecode decoded all $n_gpsd messages ($n_truth encoded, $n_24 type 24 A+B pairs)"
else
    echo "not ok - gpsdecode decoded $n_gpsd messages, truth says $n_truth ($n_24 type 24 pairs)"
fi
if [ -s "$T/gpsd.err" ]; then
    echo "not ok - gpsdecode complained: $(head -3 "$T/gpsd.err")"
else
    echo "ok - gpsdecode reported no errors"
fi
# 10.648 N, 61.517 W in 1/10000 min: 6388800, -36910200.
n_pos=$(grep '"type":1,' "$T/gpsd.json" | grep -c '"mmsi":366999001,')
n_exact=$(grep '"type":1,' "$T/gpsd.json" | grep '"mmsi":366999001,' |
    grep '"lon":-36910200,"lat":6388800,' | grep -c '"speed":0,')
if [ "$n_pos" -gt 0 ] && [ "$n_pos" -eq "$n_exact" ]; then
    echo "ok - all $n_pos type 1 reports carry the exact encoded position and speed 0"
else
    echo "not ok - type 1 reports with exact position: $n_exact of $n_pos"
fi
if grep '"type":5,' "$T/gpsd.json" | grep '"mmsi":366999001,' | grep '"callsign":"NSIM1"' |
    grep '"shipname":"SIM TEST ONE"' | grep -q '"shiptype":35,'; then
    echo "ok - type 5 static data decoded by gpsdecode as encoded"
else
    echo "not ok - type 5 static data differs"
fi
if grep '"type":24,' "$T/gpsd.json" | grep '"mmsi":366999002,' | grep -q '"shipname":"SIM TEST TWO"'; then
    echo "ok - type 24 A+B decoded by gpsdecode as encoded"
else
    echo "not ok - type 24 static data differs"
fi
if grep '"type":18,' "$T/gpsd.json" | grep -q '"mmsi":366999002,'; then
    echo "ok - class B type 18 reports present"
else
    echo "not ok - no type 18 reports"
fi
# Same bytes through orbat's own decoder in gpsd format: identical JSON.
if "$ORBAT" decode -f gpsd "$T/out.ais" >"$T/orbat.json" 2>/dev/null &&
    diff "$T/gpsd.json" "$T/orbat.json" >"$T/diff"; then
    echo "ok - orbat decode -f gpsd prints the same $n_gpsd objects as gpsdecode"
else
    echo "not ok - orbat decode -f gpsd differs from gpsdecode: $(head -4 "$T/diff")"
fi
if head -1 "$T/out.ais" | grep -q '^# SIMULATION' && grep -q 's:SIMULATION' "$T/out.ais" &&
    grep -q '"simulation": true' "$T/truth.json"; then
    echo "ok - outputs are labelled as simulation"
else
    echo "not ok - simulation label missing"
fi
