#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# import_samples.sh - `orbat import` of the real public-archive samples in
# ../shared/testdata/archives (readsb trace examples in both layouts, the
# adsb.lol globe_history layout mock, MarineCadastre rows of both layouts,
# DMA aisdk rows): every stored observation is checked field by field
# against an independent reading of the same file with python3's json, gzip
# and csv modules (the store keeps the earliest position per asset and UTC
# minute; the checker applies the same rule).
set -u
cd "${ROOT:-.}" || exit 1
O=${ORBAT:-build/orbat}
SHARED=${SHARED:-../shared}
S=$SHARED/testdata/archives
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
for f in "$S/readsb_traces/trace_full_3c66b0_readsb_doc_example_14field.json" \
    "$S/marinecadastre/csv2_rows_2026.csv" "$S/dma_ais/aisdk_rows_quoted.csv"; do
    if [ ! -r "$f" ]; then
        echo "not ok - sample $f missing"
        exit 0
    fi
done

cat >"$TMP/expect.py" <<'EOF'
import csv, datetime, gzip, json, sys

def fmt(v, nd):
    return "" if v is None else ("%.*f" % (nd, v))

rows = {}
def keep(ident, t_ms, lat, lon, sog, cog, alt):
    key = (ident, t_ms // 60000)
    if key not in rows or t_ms < rows[key][0]:
        rows[key] = (t_ms, lat, lon, sog, cog, alt)

for path in sys.argv[1:]:
    data = open(path, "rb").read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if path.endswith(".json"):
        d = json.loads(data)
        ident = int(d["icao"], 16)
        for p in d["trace"]:
            t_ms = round((d["timestamp"] + p[0]) * 1000)
            alt = p[3] if isinstance(p[3], int) else None
            keep(ident, t_ms, p[1], p[2], p[4], p[5], alt)
        continue
    text = data.decode().splitlines()
    if text[0].startswith("# "):
        text[0] = text[0][2:]
    for r in csv.DictReader(text):
        if "mmsi" in r:      # MarineCadastre 2025+
            t = datetime.datetime.strptime(r["base_date_time"], "%Y-%m-%d %H:%M:%S")
            lat, lon, sog, cog = r["latitude"], r["longitude"], r["sog"], r["cog"]
            mmsi = r["mmsi"]
        elif "MMSI" in r and "BaseDateTime" in r:  # MarineCadastre before 2025
            t = datetime.datetime.strptime(r["BaseDateTime"], "%Y-%m-%dT%H:%M:%S")
            lat, lon, sog, cog = r["LAT"], r["LON"], r["SOG"], r["COG"]
            mmsi = r["MMSI"]
        else:                # DMA aisdk
            if r["Type of mobile"] != "Class A" and r["Type of mobile"] != "Class B":
                continue     # base stations are not vessel tracks
            t = datetime.datetime.strptime(r["Timestamp"], "%d/%m/%Y %H:%M:%S")
            lat, lon, sog, cog = r["Latitude"], r["Longitude"], r["SOG"], r["COG"]
            mmsi = r["MMSI"]
        t_ms = int(t.replace(tzinfo=datetime.timezone.utc).timestamp() * 1000)
        sog = float(sog) if sog not in ("", None) and float(sog) < 102.3 else None
        cog = float(cog) if cog not in ("", None) and float(cog) < 360 else None
        keep(int(mmsi), t_ms, float(lat), float(lon), sog, cog, None)

for (ident, _), (t_ms, lat, lon, sog, cog, alt) in sorted(rows.items()):
    print("|".join([str(ident), str(t_ms), fmt(lat, 6), fmt(lon, 6), fmt(sog, 1), fmt(cog, 1),
                    "" if alt is None else str(alt)]))
EOF

stored() { # db -> the same fields from the store
    sqlite3 "$1" "SELECT a.ident, o.t_ms, printf('%.6f', o.lat), printf('%.6f', o.lon),
        CASE WHEN o.sog IS NULL THEN '' ELSE printf('%.1f', o.sog) END,
        CASE WHEN o.cog IS NULL THEN '' ELSE printf('%.1f', o.cog) END,
        CASE WHEN o.alt_ft IS NULL THEN '' ELSE o.alt_ft END
        FROM observations o JOIN assets a ON a.id = o.asset_id ORDER BY a.ident, o.t_ms"
}

n=0
for f in readsb_traces/trace_full_0d8300_readsb_doc_example_9field.json \
    readsb_traces/trace_full_3c66b0_readsb_doc_example_14field.json \
    adsblol_globe_history/layout_mock/traces/b0/trace_full_3c66b0.json \
    marinecadastre/csv2_rows_2026.csv marinecadastre/legacy_csv_rows_2022_2023.csv \
    dma_ais/aisdk_rows_quoted.csv; do
    n=$((n + 1))
    db=$TMP/s$n.db
    $O import --db "$db" --theatre none "$S/$f" >"$TMP/imp$n.out" 2>&1
    rc=$?
    python3 "$TMP/expect.py" "$S/$f" >"$TMP/want$n"
    stored "$db" >"$TMP/got$n"
    check "$f: imported (rc 0)" test "$rc" = 0
    check "$f: $(wc -l <"$TMP/want$n") observations, every field as python3 reads the file" \
        sh -c "[ -s '$TMP/want$n' ] && diff '$TMP/want$n' '$TMP/got$n'"
done

# Identity from the archive's own header (r, t, desc; no operator).
$O evidence --db "$TMP/s2.db" 3c66b0 >"$TMP/ev" 2>&1
check "14-field sample: registration and type from the header (A.ARCHIVE_DB)" \
    grep -q 'A.ARCHIVE_DB: archive aircraft database: D-AIUP A320 (AIRBUS A-320)' "$TMP/ev"
check "14-field sample: call sign from the point's aircraft object" grep -q 'call sign DLH7YA' "$TMP/ev"
check "9-field sample: ground speed and altitude of point 4" \
    test "$(sqlite3 "$TMP/s1.db" "SELECT alt_ft || ' ' || sog FROM observations WHERE t_ms = 1609276152895")" = "525 37.8"
check "MarineCadastre names and call signs stored as identity" \
    sh -c "$O evidence --db '$TMP/s4.db' 366996430 | grep -q 'CAPT JEFF IRBY'"
check "DMA base station skipped, not a vessel" grep -q '2 base station/AtoN' "$TMP/imp6.out"
