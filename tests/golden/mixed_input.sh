#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# mixed_input.sh - issue 18 item 3: one text file that holds AVR Mode S
# lines with AIS NMEA sentences interleaved, then SBS lines, loses nothing:
# `orbat decode` and the pipeline (`orbat track`, as ingest) decode each
# line with its own framing. Inputs: the shared captures (see
# $SHARED/testdata/*/SOURCES.md): ulss7 via dump1090-mutability (AVR, SBS)
# and gfw-ais-tools mixed_types.nmea.
set -u
C=$SHARED/testdata/adsb/captures/ulss7_via_dump1090-mutability
A=$SHARED/testdata/ais/gfw-ais-tools/mixed_types.nmea
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# one NMEA line after every 10th AVR line, then 300 SBS lines
awk -v A="$A" 'NR % 10 == 0 { if ((getline l < A) > 0) print l } { print }' "$C/ulss7.avr" >"$T/mix"
head -n 300 "$C/ulss7.sbs" >>"$T/mix"
head -n 300 "$C/ulss7.sbs" >"$T/sbs"

count() { # file pattern
    "$ORBAT" decode "$1" | grep -c "$2"
}
for k in 'AIS:"class":"AIS":A' 'AVR:"df":C/ulss7.avr' 'SBS:"sbs":T/sbs'; do
    name=${k%%:*}
    rest=${k#*:}
    pat=${rest%:*}
    src=${rest##*:}
    case $src in A) src=$A ;; C/*) src=$C/${src#C/} ;; T/*) src=$T/${src#T/} ;; esac
    want=$(count "$src" "$pat")
    got=$(count "$T/mix" "$pat")
    if [ "$got" -eq "$want" ] && [ "$want" -gt 0 ]; then
        echo "ok - decode mixed file: $got $name objects, as from the $name input alone"
    else
        echo "not ok - decode mixed file: $got $name objects, $want from the $name input alone"
    fi
done
# the same through stdin (other read chunking)
got=$(cat "$T/mix" | "$ORBAT" decode | wc -l)
want=$("$ORBAT" decode "$T/mix" | wc -l)
if [ "$got" -eq "$want" ]; then
    echo "ok - decode mixed stdin: $got objects"
else
    echo "not ok - decode mixed stdin: $got objects, $want from the file"
fi
# pipeline: observations of the mixed file = sum of the parts
obs() {
    "$ORBAT" track --theatre none --stats "$@" 2>&1 >/dev/null | sed -n 's/^input: [0-9]* bytes, \([0-9]*\) observations.*/\1/p'
}
m=$(obs "$T/mix")
a=$(obs "$A")
v=$(obs "$C/ulss7.avr")
s=$(obs "$T/sbs")
if [ -n "$m" ] && [ "$m" -eq $((a + v + s)) ] && [ "$a" -gt 0 ]; then
    echo "ok - track mixed file: $m observations = AIS $a + AVR $v + SBS $s"
else
    echo "not ok - track mixed file: $m observations, parts AIS $a + AVR $v + SBS $s"
fi
