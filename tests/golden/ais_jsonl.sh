#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# ais_jsonl.sh - `orbat decode --format jsonl` provenance (raw sentences,
# tag-block/trailer time and source, group, channel) and `--stats` counts of
# every kind of bad input, on real lines from the shared logs.
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# A two-sentence type 5 with ORBCOMM tag blocks (libais tagblock.nmea).
cat > "$T/in" <<'IN'
\g:1-2-1604,s:rORBCOMM008,c:1418169601,T:2014-12-10 00.00.01*37\!AIVDM,2,1,6,A,53@o0E000001Q0CG37U8u<Tp4q@D00000000000018330400000000000000,0*63
\g:2-2-1604,s:rORBCOMM008,c:1418169601,T:2014-12-10 00.00.01*34\!AIVDM,2,2,6,A,00000000008,2*2A
!AIVDM,1,1,,A,14`qQb0000o?u?DK>Smo2E`v0404,0*1A,r003669987,1152921693
IN
"$ORBAT" decode --format jsonl "$T/in" > "$T/out"
n=$(wc -l < "$T/out")
[ "$n" -eq 2 ] && echo "ok - jsonl: two messages" || echo "not ok - jsonl: $n messages"
l1=$(sed -n 1p "$T/out")
l2=$(sed -n 2p "$T/out")
for want in '"type":5' '"mmsi":219005012' '"shipname":"ROSINANTE"' '"channel":"A"' \
    '"talker":"AI"' '"time_ms":1418169601000' '"source":"rORBCOMM008"' '"group":"1-2-1604"' \
    '"nbits":424' '"raw":["\\g:1-2-1604,s:rORBCOMM008,c:1418169601,T:2014-12-10 00.00.01*37\\!AIVDM,2,1,6,A,53@o0E000001Q0CG37U8u<Tp4q@D00000000000018330400000000000000,0*63","\\g:2-2-1604,'; do
    case $l1 in
    *"$want"*) echo "ok - jsonl type 5 has $want" ;;
    *) echo "not ok - jsonl type 5 lacks $want" ;;
    esac
done
for want in '"type":1' '"source":"r003669987"' '"time_ms":1152921693000' \
    '"raw":["!AIVDM,1,1,,A,14`qQb0000o?u?DK>Smo2E`v0404,0*1A,r003669987,1152921693"]}'; do
    case $l2 in
    *"$want"*) echo "ok - jsonl USCG line has $want" ;;
    *) echo "not ok - jsonl USCG line lacks $want" ;;
    esac
done
case $l1 in *'"device"'*) echo "not ok - jsonl has a device member" ;;
*) echo "ok - jsonl has no device member" ;; esac
if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$T/out" &&
        echo "ok - jsonl lines are valid JSON" || echo "not ok - jsonl is not valid JSON"
fi

# Type 24 parts come out one by one in jsonl, paired in gpsd format.
cat > "$T/in" <<'IN'
!AIVDM,1,1,,A,H42O55i18tMET00000000000000,2*6D
!AIVDM,1,1,,A,H42O55lti4hhhilD3nink000?050,0*40
IN
j=$("$ORBAT" decode --format jsonl "$T/in" | grep -c '"part":"[AB]"')
g=$("$ORBAT" decode --format gpsd "$T/in" | grep -c '"shipname":"PROGUY","shiptype":60')
[ "$j" -eq 2 ] && echo "ok - jsonl writes both type 24 parts" || echo "not ok - jsonl type 24 parts: $j"
[ "$g" -eq 1 ] && echo "ok - gpsd format writes one merged type 24" || echo "not ok - merged 24: $g"

# --stats: one line of each kind of bad input, each counted by reason (the
# unterminated tag block line is read from its "!" and fails its checksum).
cat > "$T/in" <<'IN'
!AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0*5D
!AIVDM,1,1,,Z,15M67FC000G?ufbE`FepT@3n00Sa,0*44
!AIVDM,1,1,,A,15M67FC000G?ufbE,0*17
!AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,7*58
!AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sx,0*46
!AIVDM,2,2,1,A,00,0*17
!AIVDM,1,3,,A,00,0*24
!AIVDM,1,1,,A,L5M67FC000G?ufbE`FepT@3n00Sa,0*22
\c:1*00!AIVDM,1,1,,A,1,0*00
\s:x,c:1*00\!AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0*5C
$GPGGA,114702.00,3351.0151,S,15117.2160,E,1,06,1.69,00093,M,021,M,,*76
# a comment
!AIVDM,2,1,3,B,55NBjP01mtGIL@CW;SM<D60P5Ld000000000000P0`<3557l0<50@kk@K5h@00,0*30
IN
"$ORBAT" decode --stats "$T/in" 2> "$T/stats" > /dev/null
for want in "13 lines" "11 sentences" "2 non-AIS lines" "1 messages" "messages by type: 1:1" \
    "checksum 2" "syntax 1" "bitcount 1" "padding 1" "armor 1" "orphan 1" "fragment 1" \
    "range 1" "tagblock 1" "incomplete at end 1"; do
    if grep -q "$want" "$T/stats"; then
        echo "ok - --stats reports $want"
    else
        echo "not ok - --stats lacks '$want'"
        cat "$T/stats" >&2
    fi
done
