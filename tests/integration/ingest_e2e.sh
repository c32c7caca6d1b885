#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# ingest_e2e.sh - end to end on real captures: ingest an AIS recording
# (AMSA, 2012) and a Mode S SBS capture into a fresh database, then check
# the report, idempotent re-ingest, exports validated by real parsers
# (python3 json, xml.etree, csv), evidence back to the raw bytes, the SVG
# timeline, and that two overlapping parts of a file ingested separately
# give the same observations and report as the whole file.
set -u
cd "${ROOT:-.}" || exit 1
O=${ORBAT:-build/orbat}
SHARED=${SHARED:-../shared}
AIS=$SHARED/testdata/ais/amsa-risky/ais.txt.gz
SBS=$SHARED/testdata/adsb/captures/ulss7_via_dump1090-mutability/ulss7.sbs
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

check() { # description, then a command whose status decides
    d=$1
    shift
    if "$@" >"$TMP/check.out" 2>&1; then
        echo "ok - $d"
    else
        echo "not ok - $d"
        head -n 20 "$TMP/check.out" >&2
    fi
}

for f in "$AIS" "$SBS"; do
    if [ ! -r "$f" ]; then
        echo "not ok - test data $f missing"
        exit 0
    fi
done
if ! command -v sqlite3 >/dev/null || ! command -v python3 >/dev/null; then
    echo "not ok - sqlite3 and python3 are needed (apt-get install sqlite3 python3)"
    exit 0
fi
q() { sqlite3 "$1" "$2"; }

DB=$TMP/a.db
check "ingest AIS + SBS captures" "$O" ingest -q --db "$DB" "$AIS" "$SBS"
check "two complete sources" test "$(q "$DB" 'SELECT count(*) FROM sources WHERE complete=1')" = 2
NOBS=$(q "$DB" 'SELECT count(*) FROM observations')
NRAW=$(q "$DB" 'SELECT count(*) FROM raw')
check "observations stored ($NOBS)" test "$NOBS" -gt 1000
check "every observation has its raw message" \
    test "$(q "$DB" 'SELECT count(*) FROM observations o JOIN raw r ON r.id=o.raw_id')" = "$NOBS"
check "integrity_check" test "$(q "$DB" 'PRAGMA integrity_check')" = ok
check "WAL mode" test "$(q "$DB" 'PRAGMA journal_mode')" = wal
check "schema version 6" test "$(q "$DB" 'PRAGMA user_version')" = 6
check "real captures are not marked simulated" test "$(q "$DB" 'SELECT sum(simulated) FROM sources')" = 0

# The SBS capture carries 2026 dates: reports look at the AIS recording.
ASOF=2012-01-28
"$O" report --db "$DB" --as-of $ASOF --format json >"$TMP/r1.json"
check "report json is valid and consistent" python3 - "$TMP/r1.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["total"] == len(r["assets"]) > 0, r["total"]
names = {a["name"] for a in r["assets"]}
assert "WARSHIP BATHURST" in names, names
for a in r["assets"]:
    assert a["category"] in ("warship", "military aircraft", "law enforcement"), a
    assert a["observations"] + a["sightings"] > 0 and a["first_seen"] <= a["last_seen"], a
    assert -90 <= a["last_position"]["lat"] <= 90 and -180 <= a["last_position"]["lon"] <= 180
n = sum(int(line.split()[0]) for line in r["counts"])
assert n == r["total"], (n, r["counts"])
EOF
"$O" report --db "$DB" --as-of $ASOF >"$TMP/r1.txt"
check "table report has the counts line" grep -Eq '^  [0-9]+ warships?: ' "$TMP/r1.txt"

# Idempotency: the same file again adds nothing.
"$O" ingest --db "$DB" "$AIS" 2>"$TMP/again.err"
check "re-ingest is skipped by checksum" grep -q 'already ingested' "$TMP/again.err"
check "re-ingest adds no observation" test "$(q "$DB" 'SELECT count(*) FROM observations')" = "$NOBS"
check "re-ingest adds no raw message" test "$(q "$DB" 'SELECT count(*) FROM raw')" = "$NRAW"
"$O" ingest -q --force --db "$DB" "$AIS"
check "forced re-ingest adds no observation" \
    test "$(q "$DB" 'SELECT count(*) FROM observations')" = "$NOBS"
"$O" report --db "$DB" --as-of $ASOF --format json >"$TMP/r2.json"
check "report unchanged after re-ingest" cmp "$TMP/r1.json" "$TMP/r2.json"

# Exports, each through a real parser.
"$O" export --db "$DB" --format geojson -o "$TMP/x.geojson"
MILOBS=$(q "$DB" 'SELECT count(DISTINCT o.asset_id) FROM observations o JOIN assets a ON a.id=o.asset_id WHERE a.military=1')
check "geojson parses as RFC 7946 features ($MILOBS assets)" python3 - "$TMP/x.geojson" "$MILOBS" <<'EOF'
import json, sys
g = json.load(open(sys.argv[1]))
assert g["type"] == "FeatureCollection"
kinds = {}
for f in g["features"]:
    assert f["type"] == "Feature" and "properties" in f
    geom = f["geometry"]
    if geom is not None:
        assert geom["type"] in ("Point", "LineString")
        pts = [geom["coordinates"]] if geom["type"] == "Point" else geom["coordinates"]
        assert geom["type"] == "Point" or len(pts) >= 2
        for lon, lat in pts:
            assert -180 <= lon <= 180 and -90 <= lat <= 90
    k = f["properties"]["feature"]
    kinds[k] = kinds.get(k, 0) + 1
assert kinds.get("last_position", 0) == int(sys.argv[2]), kinds
EOF
"$O" export --db "$DB" --format kml -o "$TMP/x.kml"
check "kml parses as KML 2.2" python3 - "$TMP/x.kml" "$MILOBS" <<'EOF'
import sys, xml.etree.ElementTree as ET
ns = {"k": "http://www.opengis.net/kml/2.2"}
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "{http://www.opengis.net/kml/2.2}kml"
doc = root.find("k:Document", ns)
pms = doc.findall(".//k:Placemark", ns)
points = doc.findall(".//k:Placemark/k:Point", ns)
assert len(points) >= int(sys.argv[2]), (len(points), sys.argv[2])
for c in doc.iter("{http://www.opengis.net/kml/2.2}coordinates"):
    for tup in c.text.split():
        lon, lat, alt = map(float, tup.split(","))
        assert -180 <= lon <= 180 and -90 <= lat <= 90
EOF
"$O" export --db "$DB" --format csv -o "$TMP/x.csv"
MILPTS=$(q "$DB" 'SELECT count(*) FROM observations o JOIN assets a ON a.id=o.asset_id WHERE a.military=1')
check "csv export has one row per track point ($MILPTS)" python3 - "$TMP/x.csv" "$MILPTS" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
pts = [r for r in rows if r["feature"] == "track_point"]
assert len(pts) == int(sys.argv[2]), (len(pts), sys.argv[2])
assert all(r["source"].endswith("ais.txt.gz") or r["source"].endswith(".sbs") for r in pts)
EOF

# Evidence: every observation behind the asset, with source and raw bytes.
N503=$(q "$DB" "SELECT count(*) FROM observations o JOIN assets a ON a.id=o.asset_id WHERE a.key='ship:503202000'")
"$O" evidence --db "$DB" --limit 0 --format csv 503202000 >"$TMP/ev.csv"
check "evidence lists the $N503 observations with raw AIVDM bytes" \
    test "$(grep -c ',observation,.*ais.txt.gz,[0-9]*,"*!AIVDM' "$TMP/ev.csv")" = "$N503"
"$O" evidence --db "$DB" "WARSHIP BATHURST" >"$TMP/ev.txt"
check "evidence by name shows the identification reasons" grep -q 'reasons: ' "$TMP/ev.txt"
check "evidence of an unknown asset fails" sh -c "! '$O' evidence --db '$DB' 'NO SUCH SHIP' 2>/dev/null"

"$O" timeline --db "$DB" --from 2012-01-20 --to 2012-01-28 --svg "$TMP/t.svg" >"$TMP/t.txt"
check "timeline svg is well-formed SVG" python3 -c "
import sys, xml.etree.ElementTree as ET
r = ET.parse('$TMP/t.svg').getroot()
assert r.tag == '{http://www.w3.org/2000/svg}svg'
assert len(r.findall('{http://www.w3.org/2000/svg}rect')) >= 2
"
check "timeline table" grep -q '^2012-01-27 ' "$TMP/t.txt"
check "events command" "$O" events --db "$DB" --format csv
check "diff command" "$O" diff --db "$DB" --from 2012-01-20 --to 2012-01-28

# Two overlapping parts ingested separately == the whole file.
gzip -dc "$AIS" >"$TMP/all.nmea"
L=$(wc -l <"$TMP/all.nmea")
head -n $((L * 6 / 10)) "$TMP/all.nmea" >"$TMP/p1.nmea"
tail -n +$((L * 4 / 10)) "$TMP/all.nmea" >"$TMP/p2.nmea"
"$O" ingest -q --db "$TMP/parts.db" "$TMP/p2.nmea"
"$O" ingest -q --db "$TMP/parts.db" "$TMP/p1.nmea"
"$O" ingest -q --db "$TMP/whole.db" "$TMP/all.nmea"
OBSQ="SELECT a.key, o.t_ms, o.lat, o.lon, o.theatre FROM observations o JOIN assets a ON a.id=o.asset_id ORDER BY 1, 2"
q "$TMP/parts.db" "$OBSQ" >"$TMP/parts.obs"
q "$TMP/whole.db" "$OBSQ" >"$TMP/whole.obs"
check "overlapping parts give the same observations as the whole ($(wc -l <"$TMP/whole.obs"))" \
    cmp "$TMP/parts.obs" "$TMP/whole.obs"
"$O" report --db "$TMP/parts.db" --all --format csv >"$TMP/parts.rep"
"$O" report --db "$TMP/whole.db" --all --format csv >"$TMP/whole.rep"
check "and the same report (--all)" cmp "$TMP/parts.rep" "$TMP/whole.rep"

# Manual sightings join the order of battle with their own confidence.
SA="sighting add --db $DB --name USS_Gerald_R._Ford --time 2012-01-27T06:00Z --lat 17.6 --lon -64.9 --source https://example.org/imagery --confidence 0.6 --role carrier --note imagery"
# shellcheck disable=SC2086
check "sighting add" "$O" $SA
# shellcheck disable=SC2086
check "the same sighting again is idempotent" "$O" $SA
check "one sighting stored" test "$(q "$DB" 'SELECT count(*) FROM sightings')" = 1
check "a sighting needs a valid latitude" sh -c "! '$O' sighting add --db '$DB' --name X --time 2012-01-27 --lat 91 --lon 0 --source u 2>/dev/null"
"$O" report --db "$DB" --as-of $ASOF --format json >"$TMP/r3.json"
check "the sighted carrier is in the order of battle, as a sighting" python3 - "$TMP/r3.json" "$TMP/r1.json" <<'PYEOF'
import json, sys
r, before = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
ford = [a for a in r["assets"] if a["name"] == "USS_Gerald_R._Ford"]
assert len(ford) == 1, ford
f = ford[0]
assert f["basis"] == "sighting" and f["confidence"] == 0.6 and f["sightings"] == 1, f
assert f["observations"] == 0 and f["sighting_source"] == "https://example.org/imagery", f
assert f["role"] == "carrier" and f["category"] == "warship", f
assert r["total"] == before["total"] + 1
PYEOF
