#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# ais_gpsdecode.sh - every real AIS log in $SHARED/testdata/ais decoded by
# `orbat decode` (gpsd and gpsd-scaled formats) compared with gpsdecode
# 3.22 run now on the same input. gpsdecode's AIS objects must all appear,
# unchanged and in the same order; orbat may only ADD messages, and only
# the number listed below for each file, each explained by a documented
# deviation in docs/ais.md (D1..D4, each with its own test in
# ais_deviations.sh). gpsdecode's GPS (TPV/SKY) objects are not compared:
# orbat decode writes AIS only.
set -u
if ! command -v gpsdecode >/dev/null 2>&1; then
    echo "ok - SKIP gpsdecode (Debian gpsd-clients) is not installed"
    exit 0
fi
A=$SHARED/testdata/ais
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# file  extra-messages  deviations
cat > "$T/table" <<'TABLE'
amsa-risky/ais.txt.gz 2 D3
amsa-risky/exact-earth-augmented.txt 0 -
amsa-risky/exact-earth-augmented-2.txt 0 -
amsa-risky/exact-earth-augmented-3.txt 0 -
amsa-risky/exact-earth-with-tag-block.txt 1 D3
dma-aislib/ais250.txt 8 D2
dma-aislib/decode_encode_messages.txt 0 -
dma-aislib/stream_example.txt 15 D1
gfw-ais-tools/bad-tagblock-group.nmea 1 D3
gfw-ais-tools/bad-type5.nmea 2 D2
gfw-ais-tools/ee-multiline.nmea 0 -
gfw-ais-tools/errors.nmea 1 D3
gfw-ais-tools/mixed_types.nmea 1 D3
gfw-ais-tools/multi-part.nmea 0 -
gfw-ais-tools/sample.nmea 1 D3
gfw-ais-tools/single-message-type-5.nmea 0 -
gfw-ais-tools/spire-test.nmea 2 D2
gfw-ais-tools/type1-bad-bitcount.nmea 0 -
gfw-ais-tools/type8.nmea 0 -
gpsd/sample.aivdm 0 -
kystverket/Ais1000Lines.nm4 1 D3
libais/tagblock.nmea 0 -
libais/test.aivdm 0 -
libais/typeexamples.nmea 0 -
noaadata/test.ais 0 -
pyais/ais_test_messages 1 D3
pyais/gatehouse.nmea 0 -
pyais/messages.ais 1 D3
pyais/mixed.txt 0 -
pyais/nmea_data_sample.txt 1 D3
pyais/sample.ais 0 -
pyais/timestamped.ais 0 -
TABLE

while read -r f extra dev; do
    if [ ! -f "$A/$f" ]; then
        echo "not ok - $f: missing from shared test data"
        continue
    fi
    case $f in
    *.gz) gzip -dc "$A/$f" > "$T/in" ;;
    *) cat "$A/$f" > "$T/in" ;;
    esac
    for fmt in gpsd gpsd-scaled; do
        opt=-u
        [ $fmt = gpsd-scaled ] && opt=
        gpsdecode $opt -j < "$T/in" 2>/dev/null | grep '"class":"AIS"' > "$T/want"
        "$ORBAT" decode --format $fmt "$T/in" > "$T/got"
        diff "$T/want" "$T/got" > "$T/diff"
        missing=$(grep -c '^<' "$T/diff")
        added=$(grep -c '^>' "$T/diff")
        n=$(wc -l < "$T/want")
        if [ "$missing" -eq 0 ] && [ "$added" -eq "$extra" ]; then
            echo "ok - $f --format $fmt: all $n gpsdecode messages equal, +$added ($dev)"
        else
            echo "not ok - $f --format $fmt: $missing gpsdecode messages missing or different, +$added (expected +$extra)"
            head -n 6 "$T/diff" | cut -c1-200 >&2
        fi
    done
done < "$T/table"

# Every log in the shared directory must be in the table.
find "$A" -type f ! -name '*.md' ! -name '*.json' ! -name '*.chk' ! -name '*.sh' \
    ! -name '*.py' ! -name LICENSE ! -name '.*' ! -path '*/bench/*' | sed "s|^$A/||" | sort > "$T/files"
cut -d' ' -f1 "$T/table" | sort > "$T/listed"
if cmp -s "$T/files" "$T/listed"; then
    echo "ok - every AIS log in shared/testdata/ais is compared"
else
    echo "not ok - logs not compared: $(comm -23 "$T/files" "$T/listed" | tr '\n' ' ')"
fi
