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
# SIGHUP reloads; SIGTERM flushes the store and exits 0. Then tar1090 under
# orbat run: receiver.json and aircraft.json (clock, site, registry fields)
# from a Mode S feed, also after SIGHUP reloads of a changed registry file.
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

# ---- tar1090 under orbat run ----
# A second daemon on simulated Mode S (SBS over TCP, 2025-10-23, when
# BARB21/22 fly) with tar1090's settings from the [server] section
# (replay_start, site, tar1090) and --replay-speed from the command line:
# receiver.json and aircraft.json carry the clock, the site and the
# registry's t/desc/ownOp. Then the [registry] file is changed and SIGHUP
# reloads it twice while clients read aircraft.json: the answers show the
# reloaded entry (the api reads the registry the reload swapped in, under
# the store lock; ASan catches a freed one), and SIGTERM still exits 0.
A=$TMP/air
mkdir -p "$A/t1090" "$A/spool"
if ! "$O" simulate scenarios/caribbean-2025.json --from 2025-10-23 --to 2025-10-24 \
    --out-sbs "$A/s.sbs" 2>"$A/sim.err"; then
    echo "not ok - simulate the Mode S fixture"
    exit 0
fi
python3 "$TMP/feed.py" "$A/s.sbs" "$A/feed.port" &
PIDS="$PIDS $!"
i=0
while [ ! -s "$A/feed.port" ] && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
echo '<!DOCTYPE html><title>tar1090 fixture</title>' >"$A/t1090/index.html"
REGHDR=icao,registration,type,icao_type,operator,country,category,role
printf '%s\nAE0001,60-0001,B-52H,B52,USAF,United States,military aircraft,bomber\n' "$REGHDR" \
    >"$A/extra.csv"
cat >"$A/orbat.conf" <<EOF
[database]
path = $A/air.db
[server]
listen = 127.0.0.1:0
replay_start = 2025-10-23T15:00Z
site = 18.5,-66.1
tar1090 = $A/t1090
[theatre]
name = none
[registry]
file = $A/extra.csv
[spool]
dir = $A/spool
seconds = 1
[feed adsb]
url = tcp://127.0.0.1:$(cat "$A/feed.port")/sbs
EOF
"$O" run --config "$A/orbat.conf" --replay-speed 20 --port-file "$A/http.port" \
    >"$A/run.out" 2>"$A/run.err" &
APID=$!
PIDS="$PIDS $APID"
i=0
while [ ! -s "$A/http.port" ] && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
if [ ! -s "$A/http.port" ]; then
    echo "not ok - orbat run with [server] replay_start/site/tar1090 did not start"
    cat "$A/run.err" >&2
    exit 0
fi
APORT=$(cat "$A/http.port")
grep -q "replays from 2025-10-23T15:00:00Z at 20x" "$A/run.err" &&
    echo "ok - orbat run: replay clock from the file's replay_start and --replay-speed" ||
    echo "not ok - orbat run: replay clock from the file's replay_start and --replay-speed"

# air.py PORT SBS PHASE: PHASE "shipped" (B1 from plane-alert-db) or
# "reloaded" (the changed [registry] file).
cat >"$A/air.py" <<'PY'
import json, sys, time, urllib.request
port, sbs, phase = sys.argv[1], sys.argv[2], sys.argv[3]
base = "http://127.0.0.1:%s" % port
fails = 0
def check(c, what):
    global fails
    print(("ok - " if c else "not ok - ") + what)
    fails += not c
def getj(p):
    with urllib.request.urlopen(base + p, timeout=20) as r:
        return json.loads(r.read())
# a time when BARB21 (AE6BD1) has a position, from the fixture itself
pos = [l.split(",") for l in open(sbs) if l.startswith("MSG,3,") and ",AE6BD1," in l]
d, t = pos[len(pos) // 2][6], pos[len(pos) // 2][7]
as_of = "%sT%sZ" % (d.replace("/", "-"), t[:8])
want = {"shipped": ("B1", "Rockwell B-1B Lancer", None),
        "reloaded": ("B52", "Reloaded Test Type", "Test Wing")}[phase]
ac = {}
for _ in range(300):  # ingest (spool every second), up to 30 s
    doc = getj("/data/aircraft.json?as_of=" + as_of)
    ac = {a["hex"]: a for a in doc["aircraft"]}
    if "ae6bd1" in ac and (phase == "shipped" or ac["ae6bd1"].get("t") == want[0]):
        break
    time.sleep(0.1)
b = ac.get("ae6bd1", {})
check(b.get("t") == want[0] and b.get("desc") == want[1] and b.get("dbFlags", 0) & 1
      and (want[2] is None or b.get("ownOp") == want[2]),
      "orbat run aircraft.json (%s registry): ae6bd1 t=%s desc=%s ownOp=%s dbFlags=%s"
      % (phase, b.get("t"), b.get("desc"), b.get("ownOp"), b.get("dbFlags")))
if phase == "shipped":
    rc = getj("/data/receiver.json")
    check(rc.get("lat") == 18.5 and rc.get("lon") == -66.1 and rc.get("orbat_clock") == "replay",
          "orbat run receiver.json: the file's site (%s, %s), replay clock"
          % (rc.get("lat"), rc.get("lon")))
    doc = getj("/tar1090/data/aircraft.json")
    check(doc.get("orbat_clock") == "replay" and doc.get("orbat_replay_speed") == 20
          and doc.get("orbat_time", "").startswith("2025-10-23T15:"),
          "orbat run /tar1090/data/aircraft.json follows the clock (%s)" % doc.get("orbat_time"))
    with urllib.request.urlopen(base + "/tar1090/", timeout=20) as r:
        check(b"tar1090 fixture" in r.read(), "orbat run serves the [server] tar1090 directory")
else:
    s = getj("/api/assets?all=1&kind=aircraft").get("assets", [])
    check(len(s) > 0, "orbat run API answers after the reloads (%d aircraft)" % len(s))
sys.exit(1 if fails else 0)
PY
python3 "$A/air.py" "$APORT" "$A/s.sbs" shipped || echo "not ok - orbat run tar1090 checks"

# Change the registry file, then reload twice while clients read aircraft.json.
printf '%s\nAE6BD1,85-0060,Reloaded Test Type,B52,Test Wing,United States,military aircraft,bomber\n' \
    "$REGHDR" >"$A/extra.csv"
python3 - "$APORT" >"$A/hammer.out" 2>&1 <<'PY' &
import sys, time, urllib.request
end, n = time.time() + 3, 0
while time.time() < end:
    for p in ("/data/aircraft.json", "/data/aircraft.json?as_of=2025-10-23T16:00Z",
              "/data/receiver.json"):
        urllib.request.urlopen("http://127.0.0.1:%s%s" % (sys.argv[1], p), timeout=20).read()
        n += 1
print(n)
PY
HPID=$!
sleep 0.5
kill -HUP $APID
sleep 1
kill -HUP $APID
wait $HPID && echo "ok - aircraft.json answered $(cat "$A/hammer.out") requests during two reloads" ||
    echo "not ok - aircraft.json during the reloads: $(tail -2 "$A/hammer.out")"
i=0
while [ "$(grep -c "SIGHUP: registries and theatre reloaded" "$A/run.err")" -lt 2 ] && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
[ "$(grep -c "SIGHUP: registries and theatre reloaded" "$A/run.err")" -eq 2 ] &&
    echo "ok - two SIGHUP reloads of the changed registry file" ||
    echo "not ok - two SIGHUP reloads of the changed registry file"
python3 "$A/air.py" "$APORT" "$A/s.sbs" reloaded || echo "not ok - orbat run checks after SIGHUP"
kill -TERM $APID
i=0
while kill -0 $APID 2>/dev/null && [ $i -lt 200 ]; do
    sleep 0.1
    i=$((i + 1))
done
if kill -0 $APID 2>/dev/null; then
    echo "not ok - SIGTERM stops the tar1090 orbat run"
else
    wait $APID
    rc=$?
    [ $rc -eq 0 ] && ! grep -q "Sanitizer" "$A/run.err" &&
        echo "ok - the tar1090 orbat run exits 0 after the reloads" ||
        { echo "not ok - the tar1090 orbat run exit status $rc"; tail -20 "$A/run.err" >&2; }
fi
