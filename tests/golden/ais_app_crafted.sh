#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# ais_app_crafted.sh - every DAC/FI payload gpsd 3.22 decodes in AIS types
# 6 and 8, on crafted messages: `test_ais_app --craft SEED N` writes random
# messages (exact, natural and random lengths, random fill bits, one to
# three fragments) as AIVDM sentences; gpsdecode (the oracle, Debian
# gpsd-clients) and the test_ais_app filter must print the same lines in
# both unscaled (-u -j) and scaled (-j) modes.
set -u
BUILD=${BUILD:-build}
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
for seed in 1 2 3; do
    "$T" --craft $seed 1500 >"$TMP/in"
    for mode in u s; do
        if [ $mode = u ]; then
            gpsdecode -u -j <"$TMP/in" 2>/dev/null >"$TMP/ref"
            "$T" --tails <"$TMP/in" >"$TMP/out"
        else
            gpsdecode -j <"$TMP/in" 2>/dev/null >"$TMP/ref"
            "$T" --tails -s <"$TMP/in" >"$TMP/out"
        fi
        cnt=$(wc -l <"$TMP/ref" | tr -d ' ')
        dec=$(grep -vc '"data":' "$TMP/ref")
        if [ "$cnt" -ge 1500 ] && cmp -s "$TMP/ref" "$TMP/out"; then
            echo "ok - crafted seed $seed ($mode): $cnt messages ($dec decoded payloads) equal gpsdecode"
        else
            echo "not ok - crafted seed $seed ($mode): $cnt messages from gpsdecode, output differs"
            diff "$TMP/ref" "$TMP/out" | head -n 6
        fi
    done
done
