#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# ais_app_gpsd.sh - AIS type 6/8 application payloads against gpsdecode
# 3.22 on every real log under $SHARED/testdata/ais: for each log, the type
# 6/8 lines of `gpsdecode -u -j` and `gpsdecode -j` must equal, byte for
# byte and in order, what the test_ais_app filter prints (its header is a
# minimal copy of gpsd's; everything after "fid" comes from
# ais_json_app_tail). Needs gpsdecode (Debian gpsd-clients) as the oracle.
set -u
BUILD=${BUILD:-build}
SHARED=${SHARED:-../shared}
T=$BUILD/tests/test_ais_app
if ! command -v gpsdecode >/dev/null 2>&1; then
    echo "ok - SKIP gpsdecode not installed (apt-get install gpsd-clients)"
    exit 0
fi
if [ ! -x "$T" ]; then
    echo "not ok - $T not built"
    exit 0
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
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
            gpsdecode -u -j <"$TMP/in" 2>/dev/null | grep -E '^\{"class":"AIS","device":"stdin","type":(6|8),' >"$TMP/ref"
            "$T" --tails <"$TMP/in" >"$TMP/out"
        else
            gpsdecode -j <"$TMP/in" 2>/dev/null | grep -E '^\{"class":"AIS","device":"stdin","type":(6|8),' >"$TMP/ref"
            "$T" --tails -s <"$TMP/in" >"$TMP/out"
        fi
        cnt=$(wc -l <"$TMP/ref" | tr -d ' ')
        [ "$cnt" -eq 0 ] && [ ! -s "$TMP/out" ] && continue
        n=$((n + cnt))
        if cmp -s "$TMP/ref" "$TMP/out"; then
            echo "ok - $name ($mode): $cnt type 6/8 messages equal gpsdecode"
        else
            echo "not ok - $name ($mode): differs from gpsdecode"
            diff "$TMP/ref" "$TMP/out" | head -n 6
        fi
    done
done
echo "ok - compared $n type 6/8 lines in total"
