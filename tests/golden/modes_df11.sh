#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# modes_df11.sh - issue 18 item 6: the DF11 rule of docs/modes.md, the same
# in `orbat decode` and in the pipeline (`orbat track`): a DF11 with II = 0
# is verified and confirms its address; one with a non-zero interrogator
# code (II6, SI6) counts only from an address already confirmed. Frames
# written for this test (CA 5, three addresses, three replies each).
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# A20001 II6 x3, A20002 II0 x3, A20003 SI6 x3, then A20002 II6 (confirmed)
cat >"$T/in" <<'IN'
*5DA200012FC31B;
*5DA200012FC31B;
*5DA200012FC31B;
*5DA20002D02B0F;
*5DA20002D02B0F;
*5DA20002D02B0F;
*5DA200032FDF10;
*5DA200032FDF10;
*5DA200032FDF10;
*5DA20002D02B09;
IN
got=$("$ORBAT" decode "$T/in" | sed -n 's/.*"icao":"\([0-9a-f]*\)","crc_ok":\([a-z]*\).*/\1:\2/p' | paste -sd' ' -)
want="a20001:false a20001:false a20001:false a20002:true a20002:true a20002:true a20003:false a20003:false a20003:false a20002:true"
if [ "$got" = "$want" ]; then
    echo "ok - decode: DF11 with II != 0 verified only from a confirmed address"
else
    echo "not ok - decode: DF11 crc_ok '$got', want '$want'"
fi
n=$("$ORBAT" decode --format sbs "$T/in" | grep -c '^MSG,8')
if [ "$n" -eq 4 ]; then
    echo "ok - decode --format sbs: 4 MSG,8 lines (A20002 only)"
else
    echo "not ok - decode --format sbs: $n MSG,8 lines, want 4"
fi
"$ORBAT" track --theatre none --stats --start 2025-10-23 "$T/in" >"$T/out" 2>"$T/err"
ids=$(grep '"type":"first_seen"' "$T/out" | sed 's/.*"id":"\([0-9a-f]*\)".*/\1/' | paste -sd' ' -)
if [ "$ids" = "a20002" ]; then
    echo "ok - track: only the confirmed DF11 address becomes an asset"
else
    echo "not ok - track: assets '$ids', want 'a20002'"
fi
