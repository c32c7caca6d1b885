#!/bin/sh
# tests/integration/aishub.sh - the aishub: feed of orbat run against a local
# fake AISHub web service on 127.0.0.1 (answers in the documented JSON shape,
# shared/testdata/archives/aishub/aishub_api_notes.md, built from the
# simulator's vessels): one request a minute at most, the theatre box and
# the username in the query, the vessels stored with their positions and
# names, the AISHub record kept as raw evidence; an ERROR answer is told and
# survived; a missing username is a clear error.
set -u
ORBAT=${ORBAT:-build/orbat}
ROOT=${ROOT:-.}
T=$(mktemp -d)
PIDS=""
cleanup() {
    for p in $PIDS; do kill "$p" 2>/dev/null; done
    [ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
if ! command -v python3 >/dev/null 2>&1 || ! command -v sqlite3 >/dev/null 2>&1; then
    echo "not ok - python3 and sqlite3 are needed for the AISHub fixture"
    exit 0
fi
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1"; }
check() { if eval "$2"; then ok "$1"; else nok "$1"; fi; }

"$ORBAT" simulate "$ROOT/scenarios/caribbean-2025.json" --from 2025-10-20 --to 2025-10-21 \
    --out-ais "$T/s.nmea" 2>/dev/null || { nok "simulate"; exit 0; }
"$ORBAT" decode --format jsonl "$T/s.nmea" >"$T/s.jsonl"
cat >"$T/hub.py" <<'PY'
import http.server, json, os, sys, threading, time
# one record per vessel: its first class A position, with its type 5 name
pos, names = {}, {}
for l in open(sys.argv[1]):
    d = json.loads(l)
    if d["type"] == 5:
        names.setdefault(d["mmsi"], d)
    elif d["type"] == 1 and d["mmsi"] not in pos:
        pos[d["mmsi"]] = d
recs = []
for m, d in sorted(pos.items()):
    s = names.get(m, {})
    recs.append({"MMSI": m, "TIME": time.strftime("%Y-%m-%d %H:%M:%S GMT", time.gmtime(d["time_ms"] // 1000)),
                 "LONGITUDE": round(d["lon"] / 600000, 5), "LATITUDE": round(d["lat"] / 600000, 5),
                 "COG": d["course"] / 10, "SOG": d["speed"] / 10, "HEADING": d["heading"],
                 "ROT": 0, "NAVSTAT": d["status"], "IMO": s.get("imo", 0), "NAME": s.get("shipname", ""),
                 "CALLSIGN": s.get("callsign", ""), "TYPE": s.get("shiptype", 0), "A": 10, "B": 20,
                 "C": 5, "D": 5, "DRAUGHT": 3.2, "DEST": "CARIBBEAN", "ETA": "10-21 06:00"})
json.dump(recs, open(sys.argv[4], "w"))
mode = sys.argv[5]
log = open(sys.argv[2], "a", buffering=1)
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        log.write("%.3f %s\n" % (time.monotonic(), self.path))
        if mode == "error":
            body = [{"ERROR": True, "ERROR_MESSAGE": "Too frequent requests!"}]
        else:
            body = [{"ERROR": False, "USERNAME": "tester", "FORMAT": "HUMAN", "RECORDS": len(recs)}, recs]
        b = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(b)))
        self.end_headers()
        self.wfile.write(b)
    def log_message(self, *a): pass
srv = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[3] + ".tmp", "w").write(str(srv.server_address[1]))
os.rename(sys.argv[3] + ".tmp", sys.argv[3])
threading.Timer(120, lambda: os._exit(0)).start()
srv.serve_forever()
PY
start_hub() {
    rm -f "$T/hub.port"
    python3 "$T/hub.py" "$T/s.jsonl" "$T/$1.log" "$T/hub.port" "$T/recs.json" "$1" &
    PIDS="$PIDS $!"
    i=0
    while [ ! -s "$T/hub.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    P=$(cat "$T/hub.port")
}

start_hub ok
mkdir -p "$T/spool"
"$ORBAT" run --db "$T/hub.db" --no-server --spool-dir "$T/spool" --spool-secs 1 \
    --set aishub.username=tester --feed "hub=aishub+http://127.0.0.1:$P/ws.php" \
    >/dev/null 2>"$T/run.err" &
OP=$!
PIDS="$PIDS $OP"
sleep 6
kill -TERM $OP
wait $OP
rc=$?
check "run exits cleanly (rc $rc)" '[ $rc -eq 0 ]'
check "one request in 6 s (AISHub allows one a minute)" '[ "$(wc -l <"$T/ok.log")" -eq 1 ]'
check "query: username, format 1, JSON, the theatre box" \
    'grep -q "/ws.php?username=tester&format=1&output=json&compress=0&latmin=8\.[0-9]*&latmax=22\.[0-9]*&lonmin=-88\.[0-9]*&lonmax=-59\.[0-9]*$" "$T/ok.log"'
check "AISHub attribution printed" 'grep -q "Vessel data: AISHub" "$T/run.err"'
sqlite3 "$T/hub.db" "SELECT a.ident, a.name, o.lat, o.lon FROM observations o JOIN assets a ON a.id = o.asset_id ORDER BY a.ident" >"$T/got"
# positions as sent; names: the AIS name, or what identification made of it
# (a registry name such as "USS Iwo Jima" for IWO JIMA)
python3 - "$T/recs.json" "$T/got" >"$T/cmp" <<'PY'
import json, sys
want = {r["MMSI"]: r for r in json.load(open(sys.argv[1]))}
got = {}
for l in open(sys.argv[2]):
    m, name, lat, lon = l.rstrip("\n").split("|")
    got[int(m)] = (name, float(lat), float(lon))
bad = [m for m, r in want.items() if m not in got
       or abs(got[m][1] - r["LATITUDE"]) > 1e-4 or abs(got[m][2] - r["LONGITUDE"]) > 1e-4
       or (r["NAME"] and not got[m][0])]
print(len(want), len(got), len(bad))
PY
check "every vessel stored with its position and a name ($(cat "$T/cmp"): sent, stored, wrong)" \
    '[ "$(cut -d" " -f3 "$T/cmp")" = 0 ] && [ "$(cut -d" " -f1 "$T/cmp")" = "$(cut -d" " -f2 "$T/cmp")" ] && [ "$(cut -d" " -f1 "$T/cmp")" -gt 10 ]'
check "the AISHub record is the raw evidence" \
    '[ "$(sqlite3 "$T/hub.db" "SELECT count(*) FROM raw WHERE CAST(data AS TEXT) LIKE \"%\"\"AISHub\"\":{%\"")" -gt 0 ]'

start_hub error
"$ORBAT" run --db "$T/err.db" --no-server --spool-dir "$T/spool" --spool-secs 1 \
    --set aishub.username=tester --feed "aishub+http://127.0.0.1:$P/ws.php?bbox=10,-70,12,-60" \
    >/dev/null 2>"$T/err.err" &
OP=$!
PIDS="$PIDS $OP"
sleep 3
kill -TERM $OP
wait $OP
rc=$?
check "an ERROR answer is told and survived (rc $rc)" \
    '[ $rc -eq 0 ] && grep -q "AISHub: Too frequent requests!" "$T/err.err"'
check "bbox= replaces the theatre box" 'grep -q "latmin=10.0000&latmax=12.0000&lonmin=-70.0000&lonmax=-60.0000" "$T/error.log"'
env -u ORBAT_AISHUB_USER "$ORBAT" run --db "$T/x.db" --no-server --feed "aishub:" >/dev/null 2>"$T/nouser.err"
rc=$?
check "no username: a clear error (rc $rc)" '[ $rc -ne 0 ] && grep -q "no AISHub username" "$T/nouser.err"'
