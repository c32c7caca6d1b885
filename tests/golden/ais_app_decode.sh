#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# ais_app_decode.sh - AIS type 6/8 lines of `orbat decode --format gpsd` and
# `--format gpsd-scaled` end to end, on every real log under
# $SHARED/testdata/ais, against `gpsdecode -u -j` / `gpsdecode -j` (the
# oracle, Debian gpsd-clients): same lines, same order, byte for byte.
# Then the same on crafted messages of every DAC/FI (`test_ais_app
# --craft-nofill`: those whose output does not depend on fill bits, which
# ais_json_app_tail does not see), as whole decoder output.
set -u
ORBAT=${ORBAT:-build/orbat}
BUILD=${BUILD:-build}
T=$BUILD/tests/test_ais_app
SHARED=${SHARED:-../shared}
if ! command -v gpsdecode >/dev/null 2>&1; then
    echo "ok - SKIP gpsdecode not installed (apt-get install gpsd-clients)"
    exit 0
fi
if [ ! -x "$ORBAT" ]; then
    echo "not ok - $ORBAT not built"
    exit 0
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pat='^\{"class":"AIS","device":"stdin","type":(6|8),'
n=0
# bench/ holds generated benchmark input (concatenated copies of these logs)
for f in $(find "$SHARED/testdata/ais" -path '*/bench' -prune -o -type f \( -name '*.nmea' -o -name '*.txt' \
        -o -name '*.aivdm' -o -name '*.txt.gz' -o -name '*.nm4' -o -name '*.ais' \
        -o -name 'ais_test_messages' \) -print | sort); do
    case $f in
    *.gz) gzip -dc "$f" >"$TMP/in" ;;
    *) cp "$f" "$TMP/in" ;;
    esac
    name=${f#"$SHARED/testdata/ais/"}
    for mode in u s; do
        if [ $mode = u ]; then
            gpsdecode -u -j <"$TMP/in" 2>/dev/null | grep -E "$pat" >"$TMP/ref"
            "$ORBAT" decode --format gpsd "$TMP/in" 2>/dev/null | grep -E "$pat" >"$TMP/out"
        else
            gpsdecode -j <"$TMP/in" 2>/dev/null | grep -E "$pat" >"$TMP/ref"
            "$ORBAT" decode --format gpsd-scaled "$TMP/in" 2>/dev/null | grep -E "$pat" >"$TMP/out"
        fi
        cnt=$(wc -l <"$TMP/ref" | tr -d ' ')
        [ "$cnt" -eq 0 ] && [ ! -s "$TMP/out" ] && continue
        n=$((n + cnt))
        if cmp -s "$TMP/ref" "$TMP/out"; then
            echo "ok - orbat decode $name ($mode): $cnt type 6/8 messages equal gpsdecode"
        else
            echo "not ok - orbat decode $name ($mode): type 6/8 lines differ from gpsdecode"
            diff "$TMP/ref" "$TMP/out" | head -n 6
        fi
    done
done
if [ -x "$T" ]; then
    for seed in 1 2 3; do
        "$T" --craft-nofill $seed 1500 >"$TMP/in"
        for mode in u s; do
            if [ $mode = u ]; then
                gpsdecode -u -j <"$TMP/in" 2>/dev/null >"$TMP/ref"
                "$ORBAT" decode --format gpsd "$TMP/in" 2>/dev/null >"$TMP/out"
            else
                gpsdecode -j <"$TMP/in" 2>/dev/null >"$TMP/ref"
                "$ORBAT" decode --format gpsd-scaled "$TMP/in" 2>/dev/null >"$TMP/out"
            fi
            cnt=$(wc -l <"$TMP/ref" | tr -d ' ')
            if [ "$cnt" -ge 1000 ] && cmp -s "$TMP/ref" "$TMP/out"; then
                echo "ok - orbat decode crafted seed $seed ($mode): $cnt messages equal gpsdecode"
            else
                echo "not ok - orbat decode crafted seed $seed ($mode): $cnt from gpsdecode, output differs"
                diff "$TMP/ref" "$TMP/out" | head -n 6
            fi
        done
    done
else
    echo "not ok - $T not built"
fi
if [ "$n" -gt 0 ]; then
    echo "ok - orbat decode: $n type 6/8 lines compared"
else
    echo "not ok - no type 6/8 messages found under $SHARED/testdata/ais"
fi
