#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# import_archives.sh - `orbat import` on hand-made archives with known
# content (tests/integration/mkarchive.py): a globe_history-like tar of
# readsb traces, the same split in two parts with the split inside a member,
# the same as a directory tree, a missing second part, a truncated gzip
# member, filters (--mil decided before the points are read, --theatre
# keeping whole passes, --bbox, --hex, --callsign, --from/--to), provenance
# in `orbat evidence`, the licence footer, re-import as a no-op, and a
# MarineCadastre CSV (plain and zstd, truncated zstd) with the two-pass area
# filter. Real samples of the public formats: import_samples.sh.
set -u
cd "${ROOT:-.}" || exit 1
O=${ORBAT:-build/orbat}
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
q() { sqlite3 "$1" "$2"; }
nobs() { # db, hex/mmsi -> observations of that asset
    q "$1" "SELECT count(*) FROM observations o JOIN assets a ON a.id = o.asset_id WHERE printf('%06x', a.ident) = '$2' OR a.ident = '$2'"
}
rows() { # db -> every observation as text, sorted
    q "$1" "SELECT a.ident, o.t_ms, round(o.lat, 5), round(o.lon, 5) FROM observations o JOIN assets a ON a.id = o.asset_id ORDER BY 1, 2"
}

if ! command -v sqlite3 >/dev/null || ! command -v python3 >/dev/null; then
    echo "not ok - sqlite3 and python3 are needed"
    exit 0
fi
python3 tests/integration/mkarchive.py "$TMP/a" >"$TMP/expect" || {
    echo "not ok - mkarchive.py failed"
    exit 0
}
ex() { awk -v k="$1" '$1 == k { print $2 }' "$TMP/expect"; }
A=$TMP/a
TAG=v2025.10.15-planes-readsb-prod-0

# 1. The whole tar, no filter.
$O import --db "$TMP/full.db" "$A/day.tar" >"$TMP/full.out" 2>&1
rc=$?
check "full import exits 1 (one member is malformed) and says which" \
    sh -c "[ $rc -eq 1 ] && grep -q 'trace_full_a11111.json: malformed trace JSON after 2 points' '$TMP/full.out'"
for h in ae1234 a0b1c2 a11111 ae5678 a22222; do
    check "full import: $h has its $(ex $h) points" test "$(nobs "$TMP/full.db" $h)" = "$(ex $h)"
done
check "non-ICAO trace skipped" test "$(q "$TMP/full.db" "SELECT count(*) FROM assets WHERE ident = 1193046")" = 0
check "heatmap/ and acas/ are not position data" grep -q '2 not position data' "$TMP/full.out"
check "heatmap/ and acas/ skipped by path, unread and without a message" \
    sh -c "! grep -q 'heatmap\|acas' '$TMP/full.out'"
check "a malformed member is final for these bytes: the source is complete" \
    test "$(q "$TMP/full.db" "SELECT complete FROM sources")" = 1

# 2. The same tar split in two parts, the split inside a member: the same
# rows, and the parts make one source named after both.
split_at=$(ex split_at)
mkdir -p "$TMP/s"
head -c "$split_at" "$A/day.tar" >"$TMP/s/$TAG.tar.aa"
tail -c +"$((split_at + 1))" "$A/day.tar" >"$TMP/s/$TAG.tar.ab"
$O import --db "$TMP/split.db" "$TMP/s/$TAG.tar.ab" >"$TMP/split.out" 2>&1
rows "$TMP/full.db" >"$TMP/rows.full"
rows "$TMP/split.db" >"$TMP/rows.split"
check "split tar (given by its second part) imports the same rows as the tar" \
    sh -c "[ -s '$TMP/rows.full' ] && cmp '$TMP/rows.full' '$TMP/rows.split'"
check "split tar is one source named aa+ab" \
    test "$(q "$TMP/split.db" "SELECT count(*) FROM sources WHERE name LIKE '%$TAG.tar.aa+ab'")" = 1
check "adsb.lol release: ODbL attribution in the report footer" \
    sh -c "$O report --db '$TMP/split.db' --as-of 2025-10-16 --all | grep -q 'adsb.lol globe_history, ODbL 1.0'"
$O evidence --db "$TMP/split.db" ae1234 >"$TMP/ev" 2>&1
check "evidence names archive, member and point" \
    grep -q "$TAG.tar.aa+ab@[0-9]*  traces/34/trace_full_ae1234.json point 3: \[360," "$TMP/ev"
$O import --db "$TMP/split.db" "$TMP/s/$TAG.tar.aa" "$TMP/s/$TAG.tar.ab" >"$TMP/again.out" 2>&1
check "re-import of the same parts (both given) is a no-op" grep -q 'already imported' "$TMP/again.out"
check "re-import: still one source" test "$(q "$TMP/split.db" 'SELECT count(*) FROM sources')" = 1
check "identification uses the archive's database (A.ARCHIVE_MIL, registration)" \
    sh -c "$O evidence --db '$TMP/split.db' ae1234 | grep -q 'A.ARCHIVE_MIL' && $O evidence --db '$TMP/split.db' ae1234 | grep -q '61-0010'"

# 3. A missing second part: a clear error, what was read is kept.
mkdir -p "$TMP/m"
cp "$TMP/s/$TAG.tar.aa" "$TMP/m/"
$O import --db "$TMP/miss.db" "$TMP/m/$TAG.tar.aa" >"$TMP/miss.out" 2>&1
rc=$?
check "missing .tar.ab: exit 1 and a message that names the missing part" \
    sh -c "[ $rc -eq 1 ] && grep -q 'is a part of the split tar missing' '$TMP/miss.out'"
check "missing .tar.ab: the members before the cut are kept" \
    test "$(nobs "$TMP/miss.db" a11111)" = "$(ex a11111)"
check "missing .tar.ab: the members after the cut are not there" \
    test "$(nobs "$TMP/miss.db" a0b1c2)" = 0

# 3b. A damaged tar: a header block overwritten in the middle.
python3 - "$A/day.tar" "$TMP/damaged.tar" <<'EOF'
import sys, tarfile
src, dst = sys.argv[1], sys.argv[2]
data = bytearray(open(src, "rb").read())
with tarfile.open(src) as t:
    m = [x for x in t.getmembers() if x.name.endswith("ae5678.json")][0]
data[m.offset:m.offset + 512] = b"\xff" * 512   # its header block
open(dst, "wb").write(bytes(data))
EOF
$O import --db "$TMP/dmg.db" "$TMP/damaged.tar" >"$TMP/dmg.out" 2>&1
rc=$?
check "damaged tar: exit 1, the damage reported with what was read" \
    sh -c "[ $rc -eq 1 ] && grep -q 'damaged.tar: .*what was read is kept' '$TMP/dmg.out'"
check "damaged tar: the members before the damage are kept" \
    test "$(nobs "$TMP/dmg.db" ae1234)" = "$(ex ae1234)"

# 4. A directory tree: the same rows as the tar.
$O import --db "$TMP/tree.db" "$A/tree" >/dev/null 2>&1
rows "$TMP/tree.db" >"$TMP/rows.tree"
check "directory tree imports the same rows as the tar" cmp "$TMP/rows.full" "$TMP/rows.tree"
$O import --db "$TMP/tree.db" "$A/tree/" >"$TMP/tree2.out" 2>&1
check "re-import of the tree is a no-op" grep -q 'already imported' "$TMP/tree2.out"

# 5. A truncated gzip member: reported by name, the other member imported.
$O import --db "$TMP/bad.db" "$A/badtree" >"$TMP/bad.out" 2>&1
rc=$?
check "truncated gzip member: exit 1, named" \
    sh -c "[ $rc -eq 1 ] && grep -q 'traces/34/trace_full_ae1234.json: corrupt or truncated gzip' '$TMP/bad.out'"
check "truncated gzip member: the other member is imported" \
    test "$(nobs "$TMP/bad.db" a0b1c2)" = "$(ex a0b1c2)"

# 6. --mil: decided from the name and header; C's broken points never read.
$O import --db "$TMP/mil.db" --mil "$A/day.tar" >"$TMP/mil.out" 2>&1
rc=$?
check "--mil exits 0: the malformed civil member was never inflated" \
    sh -c "[ $rc -eq 0 ] && ! grep -q 'malformed trace JSON' '$TMP/mil.out'"
check "--mil keeps the dbFlags and address-block military aircraft only" \
    test "$(q "$TMP/mil.db" "SELECT group_concat(printf('%06x', ident), ' ') FROM (SELECT ident FROM assets ORDER BY ident)")" = "a22222 ae1234 ae5678"
check "--mil counts members left out before inflating" grep -q '3 left out by --mil/--hex' "$TMP/mil.out"

# 7. --theatre keeps whole passes that touch the area.
$O import --db "$TMP/th.db" --theatre caribbean "$A/day.tar" >/dev/null 2>&1
check "--theatre: B-52 leg into the Caribbean kept whole ($(ex ae1234_leg1) points, Louisiana included)" \
    test "$(nobs "$TMP/th.db" ae1234)" = "$(ex ae1234_leg1)"
check "--theatre: the Louisiana end of the leg is there" \
    test "$(q "$TMP/th.db" "SELECT count(*) FROM observations WHERE lat > 30")" -ge 1
check "--theatre: aircraft never in the area left out" test "$(nobs "$TMP/th.db" a11111)" = 0
check "--theatre: a leg that starts at readsb's new-leg flag (no gap) is a pass of its own" \
    test "$(nobs "$TMP/th.db" a22222)" = 5
$O import --db "$TMP/bb.db" --bbox 30,-100,33,-96 "$A/day.tar" >/dev/null 2>&1
check "--bbox keeps the Texas leg only" test "$(nobs "$TMP/bb.db" ae1234)" = 10
$O import --db "$TMP/hex.db" --hex ae5678,a0b1c2 "$A/day.tar" >/dev/null 2>&1
check "--hex" test "$(q "$TMP/hex.db" "SELECT count(*) FROM assets")" = 2
$O import --db "$TMP/cs.db" --callsign 'bunny02' "$A/day.tar" >/dev/null 2>&1
check "--callsign keeps the matching pass only" test "$(nobs "$TMP/cs.db" ae1234)" = 10
$O import --db "$TMP/ft.db" --from 2025-10-15T00:10Z --to 2025-10-15T00:20Z "$A/day.tar" >/dev/null 2>&1
check "--from/--to" test "$(nobs "$TMP/ft.db" ae1234)" = 5

# 8. MarineCadastre CSV: plain and zstd, two-pass area filter, bad rows.
CSV=$A/ais-2025-10-15.csv
$O import --db "$TMP/mc.db" --theatre caribbean "$CSV" >"$TMP/mc.out" 2>&1
check "CSV --theatre keeps the whole day of the vessel that enters the area (6 rows)" \
    test "$(nobs "$TMP/mc.db" 369970001)" = 6
check "CSV --theatre leaves out the vessel that never does" test "$(nobs "$TMP/mc.db" 366000002)" = 0
$O import --db "$TMP/mc2.db" "$CSV" >"$TMP/mc2.out" 2>&1
check "CSV malformed row reported by line" grep -q 'ais-2025-10-15.csv: line 12: ' "$TMP/mc2.out"
check "CSV malformed row counted" grep -q '(1 malformed)' "$TMP/mc2.out"
check "CSV sentinels: SOG 102.3 is not available" \
    test "$(q "$TMP/mc2.db" "SELECT count(*) FROM observations WHERE sog IS NULL")" = 4
check "MarineCadastre attribution in the footer" \
    sh -c "$O report --db '$TMP/mc2.db' --as-of 2025-10-16 --all | grep -q 'MarineCadastre AIS, public domain'"
if command -v zstd >/dev/null; then
    zstd -q -19 "$CSV" -o "$TMP/ais.csv.zst"
    $O import --db "$TMP/zst.db" --theatre caribbean "$TMP/ais.csv.zst" >/dev/null 2>&1
    check "zstd CSV imports as the plain one" test "$(nobs "$TMP/zst.db" 369970001)" = 6
    zstd -q -1 "$A/big.csv" -o "$TMP/big.csv.zst"
    head -c $(($(wc -c <"$TMP/big.csv.zst") / 2)) "$TMP/big.csv.zst" >"$TMP/cut.csv.zst"
    $O import --db "$TMP/cut.db" "$TMP/cut.csv.zst" >"$TMP/cut.out" 2>&1
    rc=$?
    check "truncated zstd: exit 1 with a clear error" \
        sh -c "[ $rc -eq 1 ] && grep -q 'truncated zstd data' '$TMP/cut.out'"
    gzip -c "$A/big.csv" | head -c 100000 >"$TMP/cut.csv.gz"
    $O import --db "$TMP/cutgz.db" "$TMP/cut.csv.gz" >"$TMP/cutgz.out" 2>&1
    rc=$?
    check "truncated gzip CSV: exit 1 with a clear error" \
        sh -c "[ $rc -eq 1 ] && grep -q 'truncated gzip data' '$TMP/cutgz.out'"
    check "truncated gzip CSV: the rows before the cut are kept" \
        test "$(nobs "$TMP/cutgz.db" 367000001)" -gt 1000
    n=$(nobs "$TMP/cut.db" 367000001)
    check "truncated zstd: the rows before the cut are kept ($n of 20000)" \
        test "$n" -gt 1000 -a "$n" -lt 20000
    head -c 200 "$TMP/big.csv.zst" >"$TMP/cut2.csv.zst"
    $O import --db "$TMP/cut2.db" "$TMP/cut2.csv.zst" >"$TMP/cut2.out" 2>&1
    rc=$?
    check "zstd cut inside its first block: exit 1, says so" \
        sh -c "[ $rc -eq 1 ] && grep -q 'truncated zstd data' '$TMP/cut2.out'"
else
    echo "not ok - zstd (Debian zstd) is needed"
fi

# 9. A file that is no known format at all.
head -c 5000 /dev/urandom >"$TMP/noise.bin"
$O import --db "$TMP/noise.db" "$TMP/noise.bin" >"$TMP/noise.out" 2>&1
rc=$?
check "import of noise: exit 1, 'no known format found in it'" \
    sh -c "[ $rc -eq 1 ] && grep -q 'no known format found' '$TMP/noise.out'"
check "noise: not stored as data (no observations)" \
    test "$(q "$TMP/noise.db" "SELECT count(*) FROM observations")" = 0
# orbat ingest (issue 18 #5): a file with no known format is said so per
# file; nothing readable at all is exit 1; an archive points to orbat import.
$O ingest --db "$TMP/ing.db" "$TMP/noise.bin" >"$TMP/ing.out" 2>&1
rc=$?
check "ingest of noise: exit 1 and 'no known format found in it'" \
    sh -c "[ $rc -eq 1 ] && grep -q 'noise.bin: no known format found in it' '$TMP/ing.out' && grep -q 'nothing could be read' '$TMP/ing.out'"
$O ingest --db "$TMP/ing2.db" "$A/tree/traces/78/trace_full_ae5678.json" >"$TMP/ing2.out" 2>&1
rc=$?
check "ingest of a readsb trace: exit 1, pointing to orbat import" \
    sh -c "[ $rc -eq 1 ] && grep -q 'by orbat import' '$TMP/ing2.out'"
