#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# http_poll.sh - `orbat run` polling readsb / tar1090 aircraft.json and a
# readsb v2 API endpoint (/v2/mil) served by a local fixture HTTP server:
# aircraft with positions enter the store through SBS and show up in the
# API, non-ICAO and position-less records are skipped and counted, a dead
# poll URL is counted as errors without stopping anything.
set -u
cd "${ROOT:-.}" || exit 1
O=${ORBAT:-build/orbat}
TMP=$(mktemp -d)
PIDS=
cleanup() {
    for p in $PIDS; do kill "$p" 2>/dev/null; done
    rm -rf "$TMP"
}
trap cleanup EXIT
if ! command -v python3 >/dev/null; then
    echo "not ok - python3 is needed (apt-get install python3)"
    exit 0
fi
cat >"$TMP/srv.py" <<'EOF'
import http.server, json, sys, time
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        now = time.time()
        if self.path == "/data/aircraft.json":
            doc = {"now": now, "messages": 1234, "aircraft": [
                {"hex": "ae1460", "flight": "RCH123  ", "alt_baro": 31000, "gs": 455.2,
                 "track": 181.5, "lat": 18.43, "lon": -66.01, "seen_pos": 0.8, "seen": 0.2,
                 "squawk": "4521", "type": "adsb_icao"},
                {"hex": "~2a0001", "lat": 18.0, "lon": -66.0, "seen_pos": 1.0},
                {"hex": "a1b2c3", "flight": "NOPOS", "alt_baro": 12000},
                {"hex": "a00001", "flight": "OLDPOS", "lat": 17.0, "lon": -65.0, "seen_pos": 300},
            ]}
            body = json.dumps(doc).encode()
            chunked = False
        elif self.path == "/v2/mil":
            doc = {"ac": [{"hex": "ae5c2b", "flight": "PELICAN5", "alt_baro": "ground",
                           "lat": 18.49, "lon": -67.13, "seen_pos": 2.0}],
                   "now": int(now * 1000), "total": 1, "ctime": int(now * 1000)}
            body = json.dumps(doc).encode()
            chunked = True
        else:
            self.send_response(404); self.send_header("Content-Length", "0"); self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked"); self.end_headers()
            for i in range(0, len(body), 50):
                part = body[i:i + 50]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.send_header("Content-Length", str(len(body))); self.end_headers()
            self.wfile.write(body)
    def log_message(self, *a): pass
srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(srv.server_address[1]))
srv.serve_forever()
EOF
python3 "$TMP/srv.py" "$TMP/srv.port" &
PIDS="$PIDS $!"
i=0
while [ ! -s "$TMP/srv.port" ] && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
SP=$(cat "$TMP/srv.port")
cat >"$TMP/orbat.conf" <<EOF
[database]
path = $TMP/poll.db
[server]
listen = 127.0.0.1:0
cache_ms = 0
[spool]
dir = $TMP/spool
seconds = 1
[feed local]
url = http://127.0.0.1:$SP/data/aircraft.json
interval = 1
[feed mil]
url = http://127.0.0.1:$SP/v2/mil
interval = 1
[feed dead]
url = http://127.0.0.1:1/data/aircraft.json
interval = 1
EOF
"$O" run --config "$TMP/orbat.conf" --port-file "$TMP/http.port" >"$TMP/run.out" 2>"$TMP/run.err" &
RPID=$!
PIDS="$PIDS $RPID"
i=0
while [ ! -s "$TMP/http.port" ] && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
if [ ! -s "$TMP/http.port" ]; then
    echo "not ok - orbat run did not start"
    cat "$TMP/run.err" >&2
    exit 0
fi
python3 - "$(cat "$TMP/http.port")" <<'EOF'
import json, sys, time, urllib.request
base = "http://127.0.0.1:%s" % sys.argv[1]
fails = 0
def check(c, what):
    global fails
    print(("ok - " if c else "not ok - ") + what)
    fails += 0 if c else 1
def getj(p):
    return json.load(urllib.request.urlopen(base + p, timeout=20))
hexes = set()
for _ in range(150):
    a = getj("/api/assets?kind=aircraft&all=1")
    hexes = {x["id"] for x in a["assets"]}
    if {"ae1460", "ae5c2b"} <= hexes:
        break
    time.sleep(0.1)
check("ae1460" in hexes, "aircraft.json poll: ae1460 stored and listed")
check("ae5c2b" in hexes, "readsb v2 (/v2/mil, chunked) poll: ae5c2b stored and listed")
check(not ({"a1b2c3", "a00001", "2a0001"} & hexes), "records without a fresh position are not stored")
ac = [x for x in a["assets"] if x["id"] == "ae1460"]
check(ac and ac[0]["callsign"] == "RCH123" and ac[0]["category"] == "military aircraft",
      "call sign kept and US military block identified (%s)" % (ac[0]["category"] if ac else "-"))
ev = getj("/api/assets/%d" % ac[0]["asset_id"]) if ac else {"assets": [{}]}
raws = [o.get("raw", "") for o in ev["assets"][0].get("observations", [])]
check(raws and raws[0].startswith("MSG,3,1,1,AE1460,"), "evidence is the SBS line made from the poll")
feeds = {f["name"]: f for f in getj("/api/sources")["feeds"]}
check(feeds.get("local", {}).get("requests", 0) >= 1 and feeds["local"]["last_status"] == 200,
      "/api/sources shows the poller")
check(feeds.get("dead", {}).get("errors", 0) >= 1, "a dead poll URL is counted as errors")
m = urllib.request.urlopen(base + "/metrics", timeout=20).read().decode()
v = dict(l.rsplit(" ", 1) for l in m.splitlines() if l and not l.startswith("#"))
check(float(v.get('orbat_poll_skipped_total{feed="local",reason="non_icao"}', 0)) >= 1,
      "metrics: non-ICAO records skipped")
check(float(v.get('orbat_poll_skipped_total{feed="local",reason="no_position"}', 0)) >= 2,
      "metrics: records without a fresh position skipped")
sys.exit(1 if fails else 0)
EOF
[ $? -eq 0 ] || echo "not ok - poll checks (see above)"
kill -TERM $RPID
wait $RPID
rc=$?
[ $rc -eq 0 ] && echo "ok - orbat run with pollers stops on SIGTERM" ||
    echo "not ok - orbat run exit status $rc"
