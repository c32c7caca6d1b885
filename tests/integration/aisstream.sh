#!/bin/sh
# tests/integration/aisstream.sh - the aisstream.io feed against a local fake
# (tests/integration/fake_aisstream.py on 127.0.0.1; nothing else is
# contacted). The simulator's AIS is turned into aisstream JSON messages; over
# the websocket, after a garbage frame and a dropped connection, orbat decode
# gives the same messages as the NMEA file, and orbat run stores the same
# assets and positions as orbat ingest of the NMEA. A wrong key, a missing key
# and bad specs give clear errors and retries, never a crash.
set -u
ORBAT=${ORBAT:-build/orbat}
ROOT=${ROOT:-.}
T=$(mktemp -d)
PIDS=""
cleanup() {
    for p in $PIDS; do kill "$p" 2>/dev/null; done
    rm -rf "$T"
}
trap cleanup EXIT
FAKE="$ROOT/tests/integration/fake_aisstream.py"
if ! command -v python3 >/dev/null 2>&1 || ! command -v sqlite3 >/dev/null 2>&1; then
    echo "not ok - python3 and sqlite3 are needed for the aisstream fixture"
    exit 0
fi
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1"; }
check() { if eval "$2"; then ok "$1"; else nok "$1"; fi; }

"$ORBAT" simulate "$ROOT/scenarios/caribbean-2025.json" --from 2025-10-20 --to 2025-10-21 \
    --out-ais "$T/s.nmea" 2>"$T/sim.err" || { nok "simulate"; cat "$T/sim.err"; exit 0; }
"$ORBAT" decode --format jsonl "$T/s.nmea" >"$T/s.jsonl"
python3 "$FAKE" convert "$T/s.jsonl" "$T/msgs.jsonl"
check "scenario converted to aisstream JSON ($(wc -l <"$T/msgs.jsonl") messages)" \
    '[ "$(wc -l <"$T/msgs.jsonl")" -gt 1000 ]'

# start_fake NAME PLAN BOXES: a fake server; its port in $T/NAME.port
start_fake() {
    rm -f "$T/$1.port" "$T/$1.log" "$T/$1.done"
    python3 "$FAKE" serve "$T/$1.port" "$T/$1.log" "$T/msgs.jsonl" testkey-123 "$3" "$2" \
        "$T/$1.done" &
    PIDS="$PIDS $!"
    i=0
    while [ ! -s "$T/$1.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
}
wait_file() {
    i=0
    while [ ! -s "$1" ] && [ $i -lt "$2" ]; do sleep 0.1; i=$((i + 1)); done
}
# drop msg22: aisstream's published schema has no field for it
nomsg22() { sed 's/"msg22":[a-z]*,//' "$1"; }

# 1. decode over the websocket: garbage frame, dropped connection, then the stream
BOX='[[[10.5, -90.0], [20.0, -60.25]]]'
start_fake dec garbage,close,ok "$BOX"
P=$(cat "$T/dec.port")
ORBAT_AISSTREAM_KEY=testkey-123 "$ORBAT" decode --stats \
    "aisstream+ws://127.0.0.1:$P/v0/stream?bbox=10.5,-90,20,-60.25" >"$T/live.gpsd" 2>"$T/live.err" &
OP=$!
PIDS="$PIDS $OP"
wait_file "$T/dec.done" 200
sleep 1
kill -TERM $OP
wait $OP
rc=$?
check "decode exits cleanly on SIGTERM (rc $rc)" '[ $rc -eq 0 ]'
check "three connections, each subscribed with the key and the boxes" \
    '[ "$(grep -c "key_ok True box_ok True op 1" "$T/dec.log")" -eq 3 ]'
check "garbage frame and dropped connection: reason and retry told" \
    '[ "$(grep -c "retrying in" "$T/live.err")" -ge 2 ] && grep -q "connection closed before any message" "$T/live.err"'
check "reconnected after the failures" 'grep -q ": connected" "$T/live.err"'
"$ORBAT" decode "$T/s.nmea" >"$T/file.gpsd"
nomsg22 "$T/file.gpsd" >"$T/a"
nomsg22 "$T/live.gpsd" >"$T/b"
check "messages over the websocket decode as the NMEA file does ($(wc -l <"$T/b") objects)" \
    'cmp -s "$T/a" "$T/b" && [ -s "$T/a" ]'
check "malformed JSON and an unsupported type are counted and skipped" \
    'grep -q "unsupported 1 format 1" "$T/live.err"'
check "the API key never reaches the output" '! grep -q testkey "$T/live.err" "$T/live.gpsd"'

# 2. a wrong key: the server's error is told, and retried with backoff
start_fake bad ok "$BOX"
P=$(cat "$T/bad.port")
ORBAT_AISSTREAM_KEY=wrong-key "$ORBAT" decode \
    "aisstream+ws://127.0.0.1:$P/v0/stream?bbox=10.5,-90,20,-60.25&mmsi=123456789,987654321&types=PositionReport,ShipStaticData" \
    >/dev/null 2>"$T/bad.err" &
OP=$!
PIDS="$PIDS $OP"
sleep 3
kill -0 $OP 2>/dev/null
alive=$?
kill -TERM $OP
wait $OP
rc=$?
check "wrong key: still running after 3 s, clean exit (rc $rc)" '[ $alive -eq 0 ] && [ $rc -eq 0 ]'
check "wrong key: the server's refusal is told with a retry" \
    'grep -q "server refused: Api Key Is Not Valid; retrying in" "$T/bad.err"'
check "wrong key: backoff (at most 4 attempts in 3 s)" \
    '[ "$(wc -l <"$T/bad.log")" -ge 2 ] && [ "$(wc -l <"$T/bad.log")" -le 4 ]'
check "MMSI and message-type filters are subscribed" \
    'grep -q "{\"FilterMessageTypes\": \[\"PositionReport\", \"ShipStaticData\"\], \"FiltersShipMMSI\": \[\"123456789\", \"987654321\"\]}" "$T/bad.log"'

# 3. no key at all, and bad specs
env -u ORBAT_AISSTREAM_KEY "$ORBAT" decode "aisstream+ws://127.0.0.1:$P/?bbox=1,2,3,4" \
    >/dev/null 2>"$T/nokey.err" &
OP=$!
sleep 1
kill -TERM $OP
wait $OP
check "no key: says where to put it" 'grep -q "no aisstream API key: set ORBAT_AISSTREAM_KEY" "$T/nokey.err"'
for bad in "aisstream:?bbox=1,2" "aisstream:?bbox=20,0,10,5" "aisstream:?mmsi=12" \
    "aisstream:?key=abc" "aisstream+ws://127.0.0.1:0/" "aisstream:x"; do
    "$ORBAT" decode "$bad" >/dev/null 2>"$T/spec.err"
    rc=$?
    check "bad spec '$bad' refused (rc $rc)" '[ $rc -eq 2 ] && [ -s "$T/spec.err" ]'
done

# 4. orbat run: the stream is spooled and stored like the NMEA ingest
start_fake run ok any
P=$(cat "$T/run.port")
cat >"$T/orbat.conf" <<EOF
[aisstream]
key = testkey-123
[feed live]
url = aisstream+ws://127.0.0.1:$P/v0/stream
[spool]
dir = $T/spool
seconds = 1
[server]
enabled = false
EOF
mkdir -p "$T/spool"
"$ORBAT" run --config "$T/orbat.conf" --db "$T/live.db" >"$T/run.out" 2>"$T/run.err" &
OP=$!
PIDS="$PIDS $OP"
wait_file "$T/run.done" 300
sleep 3
kill -TERM $OP
wait $OP
rc=$?
check "run exits cleanly (rc $rc)" '[ $rc -eq 0 ]'
check "run subscribes with the theatre's box" \
    'python3 -c "import json,sys; b=json.loads(open(sys.argv[1]).read().split(\"boxes \")[1]); (s,w),(n,e)=b[0]; sys.exit(not (5<s<12 and 18<n<25 and -92<w<-80 and -65<e<-55))" "$T/run.log"'
"$ORBAT" ingest --db "$T/nmea.db" "$T/s.nmea" >/dev/null 2>"$T/ingest.err"
Q="SELECT a.key, a.name, a.callsign, a.country, a.category, o.t_ms, round(o.lat,6), round(o.lon,6), o.sog, o.cog FROM observations o JOIN assets a ON a.id = o.asset_id ORDER BY 1, 6"
sqlite3 "$T/nmea.db" "$Q" >"$T/nmea.rows"
sqlite3 "$T/live.db" "$Q" >"$T/live.rows"
check "run stores the assets and positions the NMEA ingest stores ($(wc -l <"$T/live.rows") positions)" \
    'cmp -s "$T/nmea.rows" "$T/live.rows" && [ -s "$T/nmea.rows" ]'
check "the aisstream JSON is the stored raw evidence" \
    '[ "$(sqlite3 "$T/live.db" "SELECT count(*) FROM raw WHERE CAST(data AS TEXT) LIKE \"{\"\"Message\"\"%\"")" -gt 0 ]'
