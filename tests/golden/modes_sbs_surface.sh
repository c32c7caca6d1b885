#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# modes_sbs_surface.sh - issue 18 item 2: `decode --format sbs` of ADS-B
# surface positions (TC 5-8) fills ground speed (column 13) and track
# (column 14) as dump1090 does: its integer movement table
# (decodeMovementField) and track (7-bit code * 45) >> 4. The first frame
# is the one from the issue; the others were written for this test (same
# aircraft, movement codes 10, 45, 100, 124, 0, 125; track status on/off).
# The expected columns are what dump1090-mutability 1.15~20180310 wrote on
# its port 30003 for these frames, fed to its raw input port.
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cat > "$T/in" <<'IN'
*8CA426E0381964D3DE133A0F86AC;
*8CA426E038AE44D3DE133A3D41C7;
*8CA426E03ADFF4D3DE133A1AAE11;
*8CA426E03E4054D3DE133A2E6FD0;
*8CA426E03FCC04D3DE133AEC5DD6;
*8CA426E0380804D3DE133AF48B96;
*8CA426E03FD814D3DE133A5A4004;
IN
cat > "$T/want" <<'WANT'
MSG,2,1,1,A426E0,1,,,0,61,,,,,,,,-1
MSG,2,1,1,A426E0,1,,,2,281,,,,,,,,-1
MSG,2,1,1,A426E0,1,,,22,357,,,,,,,,-1
MSG,2,1,1,A426E0,1,,,84,,,,,,,,,-1
MSG,2,1,1,A426E0,1,,,199,180,,,,,,,,-1
MSG,2,1,1,A426E0,1,,,,0,,,,,,,,-1
MSG,2,1,1,A426E0,1,,,,2,,,,,,,,-1
WANT
"$ORBAT" decode --format sbs "$T/in" | tr -d '\r' | cut -d, -f1-6,11-22 > "$T/got"
if cmp -s "$T/got" "$T/want"; then
    echo "ok - sbs surface positions: speed and track as dump1090-mutability (7 frames)"
else
    echo "not ok - sbs surface positions differ from dump1090-mutability"
    diff "$T/want" "$T/got" | head -n 10
fi
