#!/bin/sh
# tests/golden/track_captures.sh - `orbat track` on real captures: the
# events of a Beast recording (ulss7) against a reviewed golden file, the
# event counts of an AIS stream (dma-aislib), and the same output whether
# the input comes as a file or through stdin in a pipe (chunking).
# Env: ORBAT, ROOT, SHARED (from tests/run.sh).
set -u
G=$ROOT/tests/golden/track
BEAST=testdata/adsb/captures/beastblackbox_ulss7/ulss7-beast-bin-utc--1522782148.136310917--.log
AIS=testdata/ais/dma-aislib/stream_example.txt
case $ORBAT in /*) ;; *) ORBAT=$PWD/$ORBAT ;; esac
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
if [ ! -f "$SHARED/$BEAST" ] || [ ! -f "$SHARED/$AIS" ]; then
    echo "not ok - captures missing under $SHARED"
    exit 0
fi
cd "$SHARED" || exit 1
if "$ORBAT" track --theatre none "$BEAST" >"$TMP/beast.jsonl" && diff -u "$G/ulss7_beast.jsonl" "$TMP/beast.jsonl" >"$TMP/d1"; then
    echo "ok - ulss7 Beast capture: events match the golden file"
else
    echo "not ok - ulss7 Beast capture differs from tests/golden/track/ulss7_beast.jsonl"
    head -n 20 "$TMP/d1"
fi
# Through a pipe in small writes: the same events (source renamed "-").
dd if="$BEAST" bs=333 2>/dev/null | "$ORBAT" track --theatre none - |
    sed "s|\"source\":\"-\"|\"source\":\"$BEAST\"|g" >"$TMP/pipe.jsonl"
if cmp -s "$TMP/beast.jsonl" "$TMP/pipe.jsonl"; then
    echo "ok - stdin in 333-byte writes gives the same events as the file"
else
    echo "not ok - stdin chunking changed the events"
fi
"$ORBAT" track --theatre none --format table "$AIS" | awk '{print $2}' | sort | uniq -c >"$TMP/counts"
if diff -u "$G/dma_stream_counts.txt" "$TMP/counts" >"$TMP/d2"; then
    echo "ok - dma-aislib AIS stream: event counts match"
else
    echo "not ok - dma-aislib AIS stream event counts differ"
    cat "$TMP/d2"
fi
"$ORBAT" track --theatre none "$AIS" >"$TMP/ais.jsonl"
rc=$?
n=$(grep -c '"type":"ais_gap"' "$TMP/ais.jsonl")
if [ "$rc" -eq 0 ] && [ "$n" -eq 0 ] && [ -s "$TMP/ais.jsonl" ]; then
    echo "ok - no AIS gaps invented from messages before the first time tag"
else
    echo "not ok - $n AIS gaps from untimed messages"
fi
