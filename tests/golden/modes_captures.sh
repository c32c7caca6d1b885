#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# modes_captures.sh - `orbat decode` on the real Mode S recordings under
# $SHARED/testdata/adsb/captures against the peers' renditions of them
# (comparisons in modes_compare.py):
#   - the Beast recording (beastblackbox_ulss7) vs beastblackbox's dump1090
#     text decode: the same 8,922 verified frames in order, the 11 aircraft
#     of ICAOs.txt, and every printed field and position per frame
#     (positions within 6e-6 deg: dump1090 prints 5 decimals);
#   - `--format sbs` of the Beast recording vs beastblackbox's SBS output,
#     and of the AVR file vs dump1090-mutability's port 30003 output: every
#     column except the date/time ones equal;
#   - dump1090-mutability's AVR-MLAT and AVR renditions vs the Beast decode:
#     same frames (paired by raw+timestamp / raw), same fields; positions
#     identical where both have one; AVR-MLAT must have every Beast position,
#     plain AVR (no timestamps, mutability's order) may lack at most 5%;
#   - the SBS rendition (decoded by orbat's SBS input) vs the AVR decode;
#   - antirez's modes1 AVR: 217 frames, all verified, one aircraft 4D2023;
#   - auto-detection picks the framing of each file (same output as with
#     --input), stdin and gzip give the same output, and --stats counts
#     the Beast frame types of SOURCES.md.
set -u
ORBAT=${ORBAT:-build/orbat}
SHARED=${SHARED:-../shared}
ROOT=${ROOT:-.}
C=$SHARED/testdata/adsb/captures
BB=$C/beastblackbox_ulss7
BEAST=$BB/ulss7-beast-bin-utc--1522782148.136310917--.log
MU=$C/ulss7_via_dump1090-mutability
CMP="python3 $ROOT/tests/golden/modes_compare.py"
if ! command -v python3 >/dev/null 2>&1; then
    echo "not ok - python3 is required for the Mode S capture comparisons"
    exit 0
fi
if [ ! -f "$BEAST" ]; then
    echo "not ok - $BEAST missing"
    exit 0
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

"$ORBAT" decode --input beast --stats "$BEAST" >"$TMP/beast.jsonl" 2>"$TMP/beast.stats"
$CMP dump1090 "$TMP/beast.jsonl" "$BB/beast_decoded_dump1090.txt" "$BB/ICAOs.txt"
python3 - "$TMP/beast.jsonl" <<'EOF'
import json, sys
bad = n = 0
def once(pairs):
    global bad
    keys = [k for k, v in pairs]
    bad += len(keys) != len(set(keys))
    return dict(pairs)
for l in open(sys.argv[1]):
    json.loads(l, object_pairs_hook=once)
    n += 1
print("%s - beast jsonl: %d lines of valid JSON, %d with duplicate keys"
      % ("ok" if n == 8928 and not bad else "not ok", n, bad))
EOF

# SOURCES.md: 13,954 frames: 5,026 Mode A/C, 4,942 short, 3,986 long.
if grep -q 'beast frames *13954$' "$TMP/beast.stats" &&
    grep -q 'mode A/C frames (not decoded) *5026$' "$TMP/beast.stats" &&
    grep -q 'mode S frames *8928$' "$TMP/beast.stats" &&
    ! grep -q 'beast garbage\|beast unknown\|beast truncated\|resync' "$TMP/beast.stats"; then
    echo "ok - beast --stats: 13954 frames, 5026 mode A/C, 8928 mode S, no framing errors"
else
    echo "not ok - beast --stats counts"
    cat "$TMP/beast.stats"
fi

"$ORBAT" decode --format sbs "$BEAST" >"$TMP/beast.sbs"
$CMP sbsout "$TMP/beast.sbs" "$BB/beast_decoded_sbs.txt" | sed 's/^\(n*o*t* *ok - \)/\1beast vs beastblackbox: /'

for f in avr avrmlat; do
    "$ORBAT" decode --input avr "$MU/ulss7.$f" >"$TMP/$f.jsonl"
done
$CMP frames "$TMP/beast.jsonl" "$TMP/avrmlat.jsonl" avrmlat 1e-9 0
$CMP frames "$TMP/beast.jsonl" "$TMP/avr.jsonl" avr 1e-9 5
"$ORBAT" decode --input sbs "$MU/ulss7.sbs" >"$TMP/sbs.jsonl"
$CMP sbs "$TMP/avr.jsonl" "$TMP/sbs.jsonl"
"$ORBAT" decode --format sbs "$MU/ulss7.avr" >"$TMP/avr.sbs"
$CMP sbsout "$TMP/avr.sbs" "$MU/ulss7.sbs" | sed 's/^\(n*o*t* *ok - \)/\1avr vs dump1090-mutability: /'

# antirez dump1090 --raw of modes1.bin
A=$C/antirez_modes1/modes1_antirez-dump1090_raw.avr
"$ORBAT" decode "$A" >"$TMP/antirez.jsonl"
python3 - "$TMP/antirez.jsonl" <<'EOF'
import json, sys
L = [json.loads(l) for l in open(sys.argv[1])]
good = [o for o in L if o.get("crc_ok")]
icaos = sorted(set(o["icao"] for o in good))
pos = [o for o in good if "lat" in o]
ok = len(L) == 217 and len(good) == 217 and icaos == ["4d2023"] and pos
print("%s - antirez modes1: %d frames, %d verified, aircraft %s, %d positions"
      % ("ok" if ok else "not ok", len(L), len(good), icaos, len(pos)))
EOF

# Auto-detection: the default --input auto must give the same output as
# naming the framing.
for pair in "beast:$BEAST" "avr:$MU/ulss7.avr" "avr:$MU/ulss7.avrmlat" "sbs:$MU/ulss7.sbs" \
    "sbs:$BB/beast_decoded_sbs.txt" "avr:$A"; do
    kind=${pair%%:*}
    file=${pair#*:}
    "$ORBAT" decode "$file" >"$TMP/auto.out" 2>/dev/null
    "$ORBAT" decode --input "$kind" "$file" >"$TMP/named.out" 2>/dev/null
    if [ -s "$TMP/auto.out" ] && cmp -s "$TMP/auto.out" "$TMP/named.out"; then
        echo "ok - auto-detects $kind: $(basename "$file")"
    else
        echo "not ok - auto-detection of $(basename "$file") (expected $kind)"
    fi
done

# stdin and gzip give the same bytes as the file.
"$ORBAT" decode <"$BEAST" >"$TMP/stdin.jsonl"
gzip -c "$BEAST" >"$TMP/beast.log.gz"
"$ORBAT" decode "$TMP/beast.log.gz" >"$TMP/gz.jsonl"
if cmp -s "$TMP/stdin.jsonl" "$TMP/beast.jsonl" && cmp -s "$TMP/gz.jsonl" "$TMP/beast.jsonl"; then
    echo "ok - beast from stdin and from .gz decode identically"
else
    echo "not ok - beast from stdin / .gz differs from the file decode"
fi
exit 0
