#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# http_run.sh - `orbat run` end to end on 127.0.0.1: a fixture TCP server
# replays simulated AIS (NMEA) to orbat's feed, which spools and ingests
# it; alert rules from the INI config (asset enters theatre, more than N
# warships, destroyer within N nm of a coastline, AIS gap) fire to a
# JSON-lines file and to a local webhook receiver that fails the first
# POST (retry with backoff); each alert's evidence URL resolves on orbat's
# own server; /api/sources shows the feed; /metrics shows feed counters;
# SIGHUP reloads; SIGTERM flushes the store and exits 0.
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
if ! "$O" simulate scenarios/caribbean-2025.json --from 2025-10-20 --to 2025-10-22 \
    --out-ais "$TMP/s.nmea" 2>"$TMP/sim.err"; then
    echo "not ok - simulate the fixture"
    cat "$TMP/sim.err" >&2
    exit 0
fi

# Feed server: replays the capture to each client, then keeps it open.
cat >"$TMP/feed.py" <<'EOF'
import socket, sys, time
data = open(sys.argv[1], "rb").read()
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(4)
open(sys.argv[2], "w").write(str(s.getsockname()[1]))
while True:
    c, _ = s.accept()
    for i in range(0, len(data), 8192):
        c.sendall(data[i:i + 8192])
        time.sleep(0.002)
    time.sleep(600)
EOF
# Webhook receiver: 503 on the first POST, 204 after; one JSON body a line.
cat >"$TMP/hook.py" <<'EOF'
import http.server, sys
n = [0]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        n[0] += 1
        if n[0] == 1:
            self.send_response(503); self.end_headers(); return
        with open(sys.argv[1], "ab") as f:
            f.write(body + b"\n")
        self.send_response(204); self.end_headers()
    def log_message(self, *a): pass
srv = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[2], "w").write(str(srv.server_address[1]))
srv.serve_forever()
EOF
python3 "$TMP/feed.py" "$TMP/s.nmea" "$TMP/feed.port" &
PIDS="$PIDS $!"
python3 "$TMP/hook.py" "$TMP/hook.jsonl" "$TMP/hook.port" &
PIDS="$PIDS $!"
i=0
while { [ ! -s "$TMP/feed.port" ] || [ ! -s "$TMP/hook.port" ]; } && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
FEEDPORT=$(cat "$TMP/feed.port")
HOOKPORT=$(cat "$TMP/hook.port")

cat >"$TMP/orbat.conf" <<EOF
; orbat run test configuration
[database]
path = $TMP/live.db

[server]
listen = 127.0.0.1:0
token = t0ken

[spool]
dir = $TMP/spool
seconds = 1

[feed sim]
url = tcp://127.0.0.1:$FEEDPORT/nmea

[alerts]
stdout = true
file = $TMP/alerts.jsonl
webhook = http://127.0.0.1:$HOOKPORT/hook
webhook_retries = 4
webhook_backoff_ms = 200

[alert gravely]
rule = enter
asset = USS Gravely
theatre = caribbean

[alert fleet]
rule = count
category = warship
theatre = caribbean
threshold = 2

[alert coast]
rule = near
role = destroyer
nm = 300
coastline = data/geo/venezuela_coastline.geojson

[alert quiet]
rule = gap
asset = USS Iwo Jima
gap = 10m
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
PORT=$(cat "$TMP/http.port")
echo "ok - orbat run serves on 127.0.0.1:$PORT with a live feed"

python3 - "$PORT" "$TMP" <<'EOF'
import json, os, sys, time, urllib.request
port, tmp = sys.argv[1], sys.argv[2]
base = "http://127.0.0.1:%s" % port
fails = 0
def check(c, what):
    global fails
    print(("ok - " if c else "not ok - ") + what)
    fails += 0 if c else 1
def getj(p):
    return json.load(urllib.request.urlopen(base + p, timeout=20))
def lines(path):
    try:
        return [json.loads(l) for l in open(path) if l.strip()]
    except FileNotFoundError:
        return []
# wait for ingest and alerts (up to 60 s)
kinds = set()
for _ in range(600):
    al = lines(tmp + "/alerts.jsonl")
    kinds = {a["kind"] for a in al}
    hook = lines(tmp + "/hook.jsonl")
    if {"enter", "count", "near"} <= kinds and len(hook) >= len(al) > 0:
        break
    time.sleep(0.1)
src = getj("/api/sources")
feeds = src["feeds"]
check(len(feeds) == 1 and feeds[0]["name"] == "sim" and feeds[0]["bytes"] > 0,
      "/api/sources shows the feed with %d bytes" % (feeds[0]["bytes"] if feeds else -1))
check(src["counts"]["observations"] > 0 and len(src["sources"]) > 0,
      "live data ingested through %d spool files (%d observations)" %
      (len(src["sources"]), src["counts"]["observations"]))
oob = getj("/api/oob")
check(oob["total"] > 0, "order of battle from the live feed: %d assets" % oob["total"])
al = lines(tmp + "/alerts.jsonl")
check("enter" in kinds, "alert: asset enters theatre")
check("count" in kinds, "alert: more than N warships in theatre")
check("near" in kinds, "alert: destroyer within N nm of the coastline")
gap = [a for a in al if a["kind"] == "gap"]
check(len(gap) == 1 and gap[0]["asset"]["name"] == "USS Iwo Jima", "alert: AIS gap of a watched ship")
g = [a for a in al if a["rule"] == "gravely"]
check(len(g) >= 1 and g[0]["asset"]["name"] == "USS Gravely" and g[0]["theatre"] == "caribbean",
      "enter alert names the asset and theatre")
check(all(a.get("evidence", {}).get("url", "").startswith(base) for a in al),
      "every alert links to its evidence on this server")
okurls = 0
for a in al:
    u = a["evidence"]["url"][len(base):]
    try:
        getj(u)
        okurls += 1
    except Exception as e:
        print("# evidence", u, e)
check(okurls == len(al) > 0, "all %d evidence links resolve" % len(al))
check(all(a["evidence"].get("event_id", 0) > 0 for a in g), "enter alerts cite their event id")
counts = [a for a in al if a["kind"] == "count"]
check(len(counts) == 1, "threshold alert is edge-triggered (fired %d time(s))" % len(counts))
hook = lines(tmp + "/hook.jsonl")
check(len(hook) == len(al), "webhook received every alert (%d of %d) after a 503" % (len(hook), len(al)))
m = urllib.request.urlopen(base + "/metrics", timeout=20).read().decode()
vals = dict(l.rsplit(" ", 1) for l in m.splitlines() if l and not l.startswith("#"))
check(float(vals.get('orbat_feed_bytes_total{feed="sim"}', 0)) > 0, "metrics: bytes by feed")
check(float(vals.get('orbat_messages_total{kind="ais"}', 0)) > 0, "metrics: messages by kind")
check(float(vals.get("orbat_alert_webhook_failed_attempts_total", 0)) >= 1 and
      float(vals.get("orbat_alert_webhook_sent_total", 0)) == len(al),
      "metrics: webhook retried after the failure")
out = open(tmp + "/run.out").read()
check(out.count("orbat alert: ") == len(al), "alerts logged on stdout")
sys.exit(1 if fails else 0)
EOF
[ $? -eq 0 ] || echo "not ok - live checks (see above)"

kill -HUP $RPID
i=0
while ! grep -q "SIGHUP" "$TMP/run.err" && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
grep -q "SIGHUP: registries and theatre reloaded" "$TMP/run.err" &&
    echo "ok - SIGHUP reloads registries and theatre" ||
    echo "not ok - SIGHUP reloads registries and theatre"
kill -TERM $RPID
i=0
while kill -0 $RPID 2>/dev/null && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
if kill -0 $RPID 2>/dev/null; then
    echo "not ok - SIGTERM stops orbat run"
else
    wait $RPID
    rc=$?
    [ $rc -eq 0 ] && echo "ok - SIGTERM stops orbat run (exit 0)" ||
        { echo "not ok - orbat run exit status $rc"; tail -5 "$TMP/run.err" >&2; }
fi
n=$("$O" report --db "$TMP/live.db" --format json 2>/dev/null |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])' 2>/dev/null)
[ "${n:-0}" -gt 0 ] && echo "ok - the flushed store reports $n assets after shutdown" ||
    echo "not ok - the store is readable after shutdown"
ls "$TMP"/spool/sim-*.nmea >/dev/null 2>&1 && echo "ok - spool files kept as evidence" ||
    echo "not ok - spool files kept as evidence"
