#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# track_untimed.sh - issue 18 item 4: `orbat track` on data with no time at
# all (NMEA without tag blocks: pyais ais_test_messages; AVR without
# timestamps: antirez modes1 --raw; see $SHARED/testdata/*/SOURCES.md)
# warns and points to --start, and --start dates such data so that its
# positions are tracked.
set -u
N=$SHARED/testdata/ais/pyais/ais_test_messages
V=$SHARED/testdata/adsb/captures/antirez_modes1/modes1_antirez-dump1090_raw.avr
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
for f in "$N" "$V"; do
    b=$(basename "$f")
    "$ORBAT" track --theatre none --stats "$f" >"$T/out" 2>"$T/err"
    if grep -q 'warning: [0-9]* observations carry no time.*give --start' "$T/err"; then
        echo "ok - $b: untimed data warns and points to --start"
    else
        echo "not ok - $b: no warning about untimed data"
        cat "$T/err"
    fi
    "$ORBAT" track --theatre none --stats --start 2025-10-23T12:00Z "$f" >"$T/out" 2>"$T/err"
    pos=$(sed -n 's/^tracks: .* \([0-9]*\) positions.*/\1/p' "$T/err")
    if ! grep -q 'carry no time' "$T/err" && [ "${pos:-0}" -gt 0 ] &&
        grep -q '"t_start":"2025-10-23T12:00' "$T/out" && ! grep -q '1970-01-01' "$T/out"; then
        echo "ok - $b: --start dates untimed data ($pos positions tracked)"
    else
        echo "not ok - $b: --start did not date untimed data (${pos:-?} positions)"
        head -n 3 "$T/err"
    fi
done
