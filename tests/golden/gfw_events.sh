#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# tests/golden/gfw_events.sh - Global Fishing Watch events beside orbat's own.
# Crafted AIS (python3, below: ships A and B drift together 10:00-14:00 on
# 2025-10-15 far offshore -> orbat loiter x2 + encounter; ship C is silent
# 02:00-16:00 -> orbat ais_gap) is ingested without a theatre; a GFW API v3
# events list made for the same MMSIs is imported (`orbat import` when the
# binary has it, else the test_gfw --import bridge); then `orbat events`,
# `--external` and `--compare` (table and JSON, tolerance 1 h and 2 h) are
# checked line by line: agree / GFW only / orbat only.
set -u
ORBAT=${ORBAT:-build/orbat}
BUILD=${BUILD:-build}
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
DB=$T/gfw.db

check() { # description, then a command whose status decides
    d=$1
    shift
    if "$@" >"$T/check.out" 2>&1; then
        echo "ok - $d"
    else
        echo "not ok - $d"
        head -n 20 "$T/check.out" >&2
    fi
}
# has FILE PATTERN: a line of FILE matches the extended regex
has() { grep -Eq "$2" "$1"; }
lines() { grep -Ec "$2" "$1"; }

command -v python3 >/dev/null 2>&1 || { echo "not ok - python3 is needed to craft the AIS"; exit 1; }
cat >"$T/gen.py" <<'PY'
import sys, math
def armor(bits):
    bits += '0' * (-len(bits) % 6)
    out = ''
    for i in range(0, len(bits), 6):
        v = int(bits[i:i+6], 2)
        v += 48
        if v > 87: v += 8
        out += chr(v)
    return out
def u(v, n): return format(v & ((1 << n) - 1), '0%db' % n)
def cks(s):
    c = 0
    for ch in s: c ^= ord(ch)
    return '%02X' % c
def pos(t, mmsi, lat, lon, sog, cog):
    b = u(1,6)+u(0,2)+u(mmsi,30)+u(0,4)+u(-128,8)+u(int(round(sog*10)),10)+u(0,1)
    b += u(int(round(lon*600000)),28)+u(int(round(lat*600000)),27)+u(int(round(cog*10)),12)
    b += u(511,9)+u(t % 60,6)+u(0,2)+u(0,3)+u(0,1)+u(0,19)
    body = 'AIVDM,1,1,,A,%s,0' % armor(b)
    tag = 'c:%d' % t
    return '\\%s*%s\\!%s*%s' % (tag, cks(tag), body, cks(body))
T0 = 1760486400  # 2025-10-15T00:00:00Z
lines = []
# Ships A and B: drift together 10:00-14:00 (0.5 kn, ~100 m apart), then leave at 10 kn.
for k in range(0, 12*6 + 1):   # every 5 min from 09:00 to 15:00
    t = T0 + 9*3600 + k*300
    h = (t - T0) / 3600.0
    for mmsi, dlat in ((211000001, 0.0), (211000002, 0.0009)):
        if h < 10 or h > 14:
            sog = 10.0
            # move east before/after at 10 kn (1/6 nm per minute)
            off = (h - 10) * 10 / 60 if h < 10 else (h - 14) * 10 / 60
            lat, lon = 30.0 + dlat, -40.0 + off / math.cos(math.radians(30))
            cog = 90
        else:
            sog = 0.5
            lat, lon = 30.0 + dlat, -40.0 + 0.0005 * (h - 10)
            cog = 90
        lines.append((t, pos(t, mmsi, lat, lon, sog, cog)))
# Ship C: under way 00:00-02:00, silent until 16:00 (14 h gap), then under way to 17:00.
for k in range(0, 25):
    t = T0 + k * 300
    lines.append((t, pos(t, 211000003, 25.0, -45.0 + k * 0.0096, 10.0, 90)))
for k in range(0, 13):
    t = T0 + 16*3600 + k * 300
    lines.append((t, pos(t, 211000003, 25.3, -44.0 + k * 0.0096, 10.0, 90)))
lines.sort()
sys.stdout.write(''.join(l + '\n' for _, l in lines))
PY
cat >"$T/gfw.json" <<'JSON'
{"entries":[
{"start":"2025-10-15T00:30:00.000Z","end":"2025-10-15T03:00:00.000Z","id":"gfw-fish-d","type":"fishing","position":{"lat":26.0,"lon":-46.0},"vessel":{"id":"vd","ssvid":"211000009","name":"DELTA","flag":"DEU","type":"fishing"},"fishing":{"totalDistanceKm":20.5,"averageSpeedKnots":3.1}},
{"start":"2025-10-15T02:05:00.000Z","end":"2025-10-15T15:55:00.000Z","id":"gfw-gap-c","type":"gap","position":{"lat":25.0,"lon":-44.77},"vessel":{"id":"vc","ssvid":"211000003","name":"CHARLIE","flag":"DEU","type":"carrier"},"gap":{"durationHours":13.8,"distanceKm":"84.4","intentionalDisabling":true}},
{"start":"2025-10-15T05:00:00.000Z","end":"2025-10-15T08:00:00.000Z","id":"gfw-loi-c","type":"loitering","position":{"lat":25.1,"lon":-44.5},"vessel":{"id":"vc","ssvid":"211000003","name":"CHARLIE","flag":"DEU","type":"carrier"},"loitering":{"totalTimeHours":3,"averageSpeedKnots":0.8}},
{"start":"2025-10-15T10:10:00.000Z","end":"2025-10-15T13:50:00.000Z","id":"gfw-enc-a","type":"encounter","position":{"lat":30.0,"lon":-40.0},"vessel":{"id":"va","ssvid":"211000001","name":"ALPHA","flag":"DEU","type":"carrier"},"encounter":{"vessel":{"id":"vb","ssvid":"211000002","name":"BRAVO","flag":"PAN"},"medianDistanceKilometers":0.1,"medianSpeedKnots":0.5}},
{"start":"2025-10-15T10:10:00.000Z","end":"2025-10-15T13:50:00.000Z","id":"gfw-enc-b","type":"encounter","position":{"lat":30.0,"lon":-40.0},"vessel":{"id":"vb","ssvid":"211000002","name":"BRAVO","flag":"PAN","type":"fishing"},"encounter":{"vessel":{"id":"va","ssvid":"211000001","name":"ALPHA","flag":"DEU"},"medianDistanceKilometers":0.1,"medianSpeedKnots":0.5}},
{"start":"2025-10-15T10:00:00.000Z","end":"2025-10-15T14:00:00.000Z","id":"gfw-loi-a","type":"loitering","position":{"lat":30.0,"lon":-40.0},"vessel":{"id":"va","ssvid":"211000001","name":"ALPHA","flag":"DEU","type":"carrier"},"loitering":{"totalTimeHours":4,"averageSpeedKnots":0.5}},
{"start":"2025-10-15T15:30:00.000Z","end":"2025-10-15T17:00:00.000Z","id":"gfw-loi-b","type":"loitering","position":{"lat":30.0,"lon":-39.7},"vessel":{"id":"vb","ssvid":"211000002","name":"BRAVO","flag":"PAN","type":"fishing"},"loitering":{"totalTimeHours":1.5,"averageSpeedKnots":1.2}},
{"start":"2025-10-16T08:00:00.000Z","end":"2025-10-16T20:00:00.000Z","id":"gfw-pv-c","type":"port_visit","position":{"lat":12.1,"lon":-68.9},"vessel":{"id":"vc","ssvid":"211000003","name":"CHARLIE","flag":"DEU","type":"carrier"},"port_visit":{"durationHrs":12,"startAnchorage":{"name":"WILLEMSTAD","id":"cuw-willemstad","flag":"CUW"}}}
],"total":8,"limit":99,"offset":0,"nextOffset":null}
JSON

python3 "$T/gen.py" >"$T/own.nmea" || { echo "not ok - crafting AIS failed"; exit 1; }
check "ingest the crafted AIS (no theatre)" "$ORBAT" ingest -q --theatre none --db "$DB" "$T/own.nmea"
"$ORBAT" events --db "$DB" >"$T/own.txt" 2>&1
check "orbat: ais_gap of C 02:00" has "$T/own.txt" '^2025-10-15T02:00:00Z +ais_gap +- +211000003 '
check "orbat: encounter A-B 10:00" has "$T/own.txt" '^2025-10-15T10:00:00Z +encounter +.*with 211000002; duration 4.0 h'
check "orbat: loiter of A and of B" test "$(lines "$T/own.txt" ' loiter ')" = 2

IMPORT="$ORBAT import -q --db $DB"
check "import the GFW events" $IMPORT "$T/gfw.json"
check "import again: no duplicates" $IMPORT "$T/gfw.json"
gzip -c "$T/gfw.json" >"$T/gfw2.json.gz"
check "import a gzip copy: no duplicates either" $IMPORT "$T/gfw2.json.gz"

"$ORBAT" events --db "$DB" >"$T/own2.txt" 2>&1
check "plain events: orbat's only, unchanged by the import" cmp -s "$T/own.txt" "$T/own2.txt"

"$ORBAT" events --db "$DB" --external >"$T/ext.txt" 2>&1
check "--external: SOURCE column" has "$T/ext.txt" '^TIME +SOURCE +TYPE '
check "--external: 7 orbat lines" test "$(lines "$T/ext.txt" '^2025-[^ ]+  orbat ')" = 7
check "--external: 8 GFW lines, each once" test "$(lines "$T/ext.txt" '^2025-[^ ]+  GFW \(CC BY-NC 4\.0\) ')" = 8
check "--external: GFW gap of CHARLIE with its end" has "$T/ext.txt" '^2025-10-15T02:05:00Z  GFW \(CC BY-NC 4\.0\) gap +- +CHARLIE +211000003 until 2025-10-15T15:55:00Z; duration 13.80 h; distance 84.40 km; intentional disabling$'
check "--external: port visit detail" has "$T/ext.txt" 'port_visit .*port WILLEMSTAD \(cuw-willemstad\) CUW'
check "--external: a vessel orbat never saw is listed" has "$T/ext.txt" 'fishing +- +DELTA +211000009 '
check "--external: time order (orbat gap before GFW gap)" test "$(grep -n 'ais_gap\| gap ' "$T/ext.txt" | cut -d: -f1 | tr '\n' ' ')" = "$(grep -n 'ais_gap' "$T/ext.txt" | cut -d: -f1) $(grep -n ' gap ' "$T/ext.txt" | cut -d: -f1) "
check "--external: attribution in the total line" has "$T/ext.txt" '^7 orbat events, 8 external events \(external events: Global Fishing Watch .*CC BY-NC 4\.0\)$'
"$ORBAT" events --db "$DB" --external --type gap >"$T/gap.txt" 2>&1
check "--external --type gap: the GFW gap only" test "$(lines "$T/gap.txt" '^2025-')" = 1
"$ORBAT" events --db "$DB" --external --format json >"$T/ext.json" 2>&1
check "--external json: valid, 15 events, GFW licence and file" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
ev = d["events"]
g = [e for e in ev if e["source"] != "orbat"]
assert len(ev) == 15 and len(g) == 8, len(ev)
assert all(e["licence"] == "CC BY-NC 4.0" and e["provider"] == "gfw" for e in g)
assert {e["file"] for e in g} == {sys.argv[2]}, {e["file"] for e in g}
assert "Global Fishing Watch" in d["attribution"]
a = [e for e in g if e["mmsi"] == "211000001"]
assert all(e["asset_id"] > 0 for e in a), a
assert [e["asset_id"] for e in g if e["mmsi"] == "211000009"] == [0]
' "$T/ext.json" "$T/gfw2.json.gz"
"$ORBAT" events --db "$DB" --external --format csv >"$T/ext.csv" 2>&1
check "--external csv: header + 15 rows" test "$(wc -l <"$T/ext.csv")" = 16

"$ORBAT" events --db "$DB" --compare >"$T/cmp.txt" 2>&1
cat >"$T/cmp.want" <<'WANT'
agree       211000001 ALPHA                loitering  2025-10-15T10:00:00Z 2025-10-15T14:00:00Z loiter    2025-10-15T10:00:00Z 2025-10-15T14:00:00Z
agree       211000001 ALPHA                encounter  2025-10-15T10:10:00Z 2025-10-15T13:50:00Z encounter 2025-10-15T10:00:00Z 2025-10-15T14:00:00Z
orbat only  211000002 BRAVO                -          -                    -                    loiter    2025-10-15T10:00:00Z 2025-10-15T14:00:00Z
agree       211000002 BRAVO                encounter  2025-10-15T10:10:00Z 2025-10-15T13:50:00Z encounter 2025-10-15T10:00:00Z 2025-10-15T14:00:00Z
GFW only    211000002 BRAVO                loitering  2025-10-15T15:30:00Z 2025-10-15T17:00:00Z -         -                    -
agree       211000003 CHARLIE              gap        2025-10-15T02:05:00Z 2025-10-15T15:55:00Z ais_gap   2025-10-15T02:00:00Z 2025-10-15T16:00:00Z
GFW only    211000003 CHARLIE              loitering  2025-10-15T05:00:00Z 2025-10-15T08:00:00Z -         -                    -
GFW only    211000003 CHARLIE              port_visit 2025-10-16T08:00:00Z 2025-10-16T20:00:00Z -         -                    -
WANT
grep -E '^(agree|GFW only|orbat only) ' "$T/cmp.txt" >"$T/cmp.got"
check "--compare: the expected agree / GFW only / orbat only lines" cmp -s "$T/cmp.want" "$T/cmp.got"
[ -s "$T/cmp.got" ] && ! cmp -s "$T/cmp.want" "$T/cmp.got" && diff "$T/cmp.want" "$T/cmp.got" >&2
check "--compare: summary" has "$T/cmp.txt" '^4 agree, 3 GFW only, 1 orbat only \(tolerance 1 h; .*CC BY-NC 4\.0\)$'
check "--compare: a vessel orbat never saw is not compared" sh -c "! grep -q 211000009 '$T/cmp.txt'"
"$ORBAT" events --db "$DB" --compare --tolerance 2h >"$T/cmp2.txt" 2>&1
check "--compare --tolerance 2h: B's loitering 1.5 h after now agrees" has "$T/cmp2.txt" '^agree +211000002 BRAVO +loitering +2025-10-15T15:30:00Z .* loiter '
check "--compare --tolerance 2h: summary" has "$T/cmp2.txt" '^5 agree, 2 GFW only, 0 orbat only \(tolerance 2 h;'
"$ORBAT" events --db "$DB" --compare --tolerance 0 >"$T/cmp0.txt" 2>&1
check "--compare --tolerance 0: still 4 agree (they overlap)" has "$T/cmp0.txt" '^4 agree, 3 GFW only, 1 orbat only \(tolerance 0 h;'
"$ORBAT" events --db "$DB" --compare --format json >"$T/cmp.json" 2>&1
check "--compare json: rows and summary" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["summary"] == {"agree": 4, "gfw_only": 3, "orbat_only": 1}, d["summary"]
assert d["tolerance_s"] == 3600
r = d["rows"]
assert [x["result"] for x in r].count("agree") == 4
o = [x for x in r if x["result"] == "orbat_only"][0]
assert o["gfw"] is None and o["orbat"]["type"] == "loiter" and o["mmsi"] == "211000002"
g = [x for x in r if x["result"] == "gfw_only"]
assert all(x["orbat"] is None and x["gfw"]["source"] == "GFW (CC BY-NC 4.0)" for x in g)
' "$T/cmp.json"
"$ORBAT" events --db "$DB" --compare --since 2025-10-16 >"$T/cmp16.txt" 2>&1
check "--compare --since: only the port visit left" has "$T/cmp16.txt" '^0 agree, 1 GFW only, 0 orbat only'
check "--external with --compare refused" sh -c "! '$ORBAT' events --db '$DB' --external --compare 2>/dev/null"
check "--compare csv refused" sh -c "! '$ORBAT' events --db '$DB' --compare --format csv 2>/dev/null"
check "--tolerance junk refused" sh -c "! '$ORBAT' events --db '$DB' --compare --tolerance soon 2>/dev/null"
check "ext_events table: 8 rows, provider gfw, licence CC BY-NC 4.0" test \
    "$(sqlite3 "$DB" "SELECT count(*), min(provider), max(licence) FROM ext_events" 2>/dev/null)" = "8|gfw|CC BY-NC 4.0"
