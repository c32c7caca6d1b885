#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# ais_gpsd_sample.sh - gpsd's hand-annotated sample.aivdm decoded by
# `orbat decode` must equal gpsd release-3.22's expected outputs byte for
# byte (after stripping the CRs of the .chk files): .ju.chk for
# --format gpsd (gpsdecode -u -j) and .js.chk for --format gpsd-scaled.
set -u
D=$SHARED/testdata/ais/gpsd
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
for pair in "gpsd ju" "gpsd-scaled js"; do
    set -- $pair
    tr -d '\r' < "$D/release-3.22/sample.aivdm.$2.chk" > "$T/want"
    "$ORBAT" decode --format "$1" "$D/sample.aivdm" | tr -d '\r' > "$T/got"
    n=$(wc -l < "$T/want")
    if cmp -s "$T/want" "$T/got"; then
        echo "ok - sample.aivdm --format $1 equals release-3.22 .$2.chk ($n objects)"
    else
        echo "not ok - sample.aivdm --format $1 differs from .$2.chk"
        diff "$T/want" "$T/got" | head -n 10 >&2
    fi
done
# gpsdecode writes CRLF; so must we, byte for byte.
"$ORBAT" decode "$D/sample.aivdm" > "$T/crlf"
if cmp -s "$D/release-3.22/sample.aivdm.ju.chk" "$T/crlf"; then
    echo "ok - sample.aivdm --format gpsd is byte-identical to .ju.chk including CRLF"
else
    echo "not ok - sample.aivdm CRLF output differs from .ju.chk"
fi
# The default format is gpsd.
"$ORBAT" decode --format gpsd "$D/sample.aivdm" > "$T/explicit"
if cmp -s "$T/crlf" "$T/explicit"; then
    echo "ok - default format is --format gpsd"
else
    echo "not ok - default format differs from --format gpsd"
fi
