#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# ais_classb_speed.sh - issue 18 item 1: `--format gpsd-scaled` of class B
# types 18 and 19 with speed 1023 (not available) and 1022 (102.2 kn or
# more). gpsd 3.22 applies the "nan"/"fast" legends to types 1-3 only and
# prints 18/19 as plain %.1f (102.3, 102.2). The sentences below were
# written for this test (MMSI 244060807, position 12.1 N 66.5 W); the
# expected speeds are what gpsdecode 3.22 printed for them, and when
# gpsdecode is installed the whole output is compared with it now.
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cat > "$T/in" <<'IN'
!AIVDM,1,1,,A,B3`hBQh3wnkqI@1fin1=8e?5h000,0*4E
!AIVDM,1,1,,A,C3`hBQh3wnkqI@1fin1=8e?0`:V`0000000000000000BP`2Q12P,0*3C
!AIVDM,1,1,,A,B3`hBQh3wVkqI@1fin1=8e?5h000,0*76
!AIVDM,1,1,,A,C3`hBQh3wVkqI@1fin1=8e?0`:V`0000000000000000BP`2Q12P,0*04
!AIVDM,1,1,,A,B3`hBQh0NnkqI@1fin1=8e?5h000,0*74
!AIVDM,1,1,,A,C3`hBQh0NnkqI@1fin1=8e?0`:V`0000000000000000BP`2Q12P,0*06
!AIVDO,1,1,,,B3`hBQh3wk?8mP=18D3Q3wv5kP06,0*5A
IN
"$ORBAT" decode --format gpsd-scaled "$T/in" > "$T/out"
got=$(grep -o '"type":[0-9]*\|"speed":[^,]*' "$T/out" | sed 's/"[a-z]*"://' | paste -sd' ' -)
want='18 102.3 19 102.3 18 102.2 19 102.2 18 12.3 19 12.3 18 102.3'
if [ "$got" = "$want" ]; then
    echo "ok - gpsd-scaled type 18/19 speeds 1023/1022/123: $got"
else
    echo "not ok - gpsd-scaled type 18/19 speeds: got '$got', want '$want'"
fi
if command -v gpsdecode >/dev/null 2>&1; then
    gpsdecode -j < "$T/in" > "$T/gpsd"
    if cmp -s "$T/out" "$T/gpsd"; then
        echo "ok - gpsd-scaled type 18/19 output equals gpsdecode -j byte for byte"
    else
        echo "not ok - gpsd-scaled type 18/19 output differs from gpsdecode -j"
        diff "$T/gpsd" "$T/out" | head -n 6
    fi
else
    echo "ok - SKIP gpsdecode (Debian gpsd-clients) is not installed"
fi
