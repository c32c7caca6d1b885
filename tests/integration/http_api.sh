#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# http_api.sh - `orbat serve` on 127.0.0.1 over a fixture database (the
# simulated Caribbean scenario, ingested with `orbat ingest`): every API
# endpoint answers valid JSON consistent with the CLI reports, filters and
# time windows hold, tar1090's aircraft.json and Prometheus /metrics parse,
# bad requests get 4xx with a JSON error (malformed, oversized heads and
# bodies, path traversal, wrong method), the bearer token guards POST
# /api/sightings, one request per connection and HEAD work, and SIGTERM stops it cleanly.
# Uses python3's urllib and raw sockets (curl is not assumed).
set -u
cd "${ROOT:-.}" || exit 1
O=${ORBAT:-build/orbat}
# /api/timeline.png renders with librsvg: fontconfig's process-lifetime
# caches are not leaks of ours (see timeline_png.lsan) under `make SAN=1`.
LSAN_OPTIONS="suppressions=$PWD/tests/integration/timeline_png.lsan:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
TMP=$(mktemp -d)
PID=
cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT

if ! command -v python3 >/dev/null; then
    echo "not ok - python3 is needed (apt-get install python3)"
    exit 0
fi
if ! "$O" simulate scenarios/caribbean-2025.json --from 2025-10-20 --to 2025-10-22 \
    --out-ais "$TMP/s.nmea" --out-sbs "$TMP/s.sbs" 2>"$TMP/sim.err" ||
    ! "$O" ingest -q --db "$TMP/f.db" "$TMP/s.nmea" "$TMP/s.sbs" 2>"$TMP/ing.err"; then
    echo "not ok - fixture database (simulate + ingest)"
    cat "$TMP/sim.err" "$TMP/ing.err" >&2
    exit 0
fi
"$O" report --db "$TMP/f.db" --format json >"$TMP/report.json"
"$O" report --db "$TMP/f.db" --as-of 2025-10-21T12:00Z --theatre caribbean --format json \
    >"$TMP/report2.json"

start() { # extra serve options...
    rm -f "$TMP/port"
    "$O" serve --db "${DBF:-$TMP/f.db}" --listen 127.0.0.1:0 --port-file "$TMP/port" "$@" \
        2>>"$TMP/serve.err" &
    PID=$!
    i=0
    while [ ! -s "$TMP/port" ] && [ $i -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    PORT=$(cat "$TMP/port" 2>/dev/null)
}

start --token s3cret-token
if [ -z "${PORT:-}" ]; then
    echo "not ok - orbat serve did not start"
    cat "$TMP/serve.err" >&2
    exit 0
fi
echo "ok - orbat serve listens on 127.0.0.1:$PORT"

python3 - "$PORT" "$TMP" <<'EOF'
import json, re, socket, sys, time, urllib.request, urllib.error

port, tmp = int(sys.argv[1]), sys.argv[2]
base = "http://127.0.0.1:%d" % port
fails = 0

def check(cond, what):
    global fails
    print(("ok - " if cond else "not ok - ") + what)
    if not cond:
        fails += 1

def get(path, method="GET", data=None, headers=None):
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers or {})
    try:
        r = urllib.request.urlopen(req, timeout=20)
        return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()

def getj(path, **kw):
    s, h, b = get(path, **kw)
    try:
        return s, json.loads(b)
    except ValueError:
        return s, None

def raw(data, read_all=True):
    s = socket.create_connection(("127.0.0.1", port), timeout=20)
    s.sendall(data)
    out = b""
    while True:
        try:
            c = s.recv(65536)
        except (ConnectionResetError, socket.timeout):
            break
        if not c:
            break
        out += c
        if not read_all and b"\r\n\r\n" in out:
            break
    s.close()
    return out

def status_of(resp):
    m = re.match(rb"HTTP/1\.1 (\d{3}) ", resp)
    return int(m.group(1)) if m else 0

def body_of(resp):
    return resp.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in resp else b""

# --- the order of battle equals the CLI's ---
cli = open(tmp + "/report.json", "rb").read()
s, h, b = get("/api/oob")
check(s == 200 and b == cli, "/api/oob is byte-identical to `orbat report --format json`")
check(h.get("Content-Type", "").startswith("application/json"), "JSON content type")
cli2 = open(tmp + "/report2.json", "rb").read()
s, h, b = get("/api/oob?as_of=2025-10-21T12%3A00Z&theatre=caribbean")
check(s == 200 and b == cli2, "/api/oob?as_of&theatre matches the CLI with the same options")
oob = json.loads(cli)

# --- assets and filters ---
s, a = getj("/api/assets")
check(s == 200 and a["total"] == oob["total"] == len(a["assets"]) > 0,
      "/api/assets lists the order of battle (%d)" % (a or {}).get("total", -1))
ids = {x["asset_id"] for x in a["assets"]}
check(ids == {x["asset_id"] for x in oob["assets"]}, "same assets as the report")
check(all(isinstance(x.get("lat"), float) for x in a["assets"]), "every asset has a position")
s, w = getj("/api/assets?category=warship")
nw = sum(1 for x in a["assets"] if x["category"] == "warship")
check(s == 200 and w["total"] == nw > 0 and all(x["category"] == "warship" for x in w["assets"]),
      "category filter: %d warships" % nw)
s, d = getj("/api/assets?category=warship&role=destroyer")
check(s == 200 and d["total"] > 0 and all(x["role"] == "destroyer" for x in d["assets"]),
      "role filter: %d destroyers" % d["total"])
s, k = getj("/api/assets?kind=aircraft")
check(s == 200 and all(x["kind"] == "aircraft" for x in k["assets"]), "kind filter")
s, n = getj("/api/assets?theatre=nowhere")
check(s == 200 and n["total"] == 0, "unknown theatre: empty list")
s, civ = getj("/api/assets?all=1")
check(s == 200 and civ["total"] > a["total"], "all=1 adds civil assets (%d)" % civ["total"])

# --- asset detail with evidence ---
first = a["assets"][0]
s, e = getj("/api/assets/%d" % first["asset_id"])
ev = e["assets"][0] if e else {}
check(s == 200 and ev.get("asset_id") == first["asset_id"], "asset detail")
obs = ev.get("observations", [])
check(len(obs) > 0 and all(o.get("raw") and o.get("source") for o in obs),
      "asset evidence: %d observations, each with raw message and source" % len(obs))
check(ev.get("reasons", "") != "", "asset evidence carries the identification reasons")
s, e = getj("/api/assets/999999")
check(s == 404 and e and e["status"] == 404 and "error" in e, "unknown asset: 404 JSON error")
s, e = getj("/api/assets/abc")
check(s == 400 and e and "error" in e, "non-numeric asset id: 400 JSON error")

# --- tracks with a time window ---
s, t = getj("/api/tracks?asset=%d&from=2025-10-21&to=2025-10-21T12:00Z" % first["asset_id"])
pts = t["tracks"][0]["points"] if t and t["tracks"] else []
lo, hi = 1761004800000, 1761004800000 + 12 * 3600000
check(s == 200 and len(pts) > 0 and all(lo <= p[0] <= hi for p in pts),
      "track window holds (%d points in 2025-10-21 00-12Z)" % len(pts))
check(pts == sorted(pts, key=lambda p: p[0]), "track points in time order")
s, t = getj("/api/tracks")
check(s == 200 and len(t["tracks"]) == oob["total"] and t["points"] > 0,
      "all tracks of the order of battle (%d points)" % t["points"])
s, e = getj("/api/tracks?from=2025-10-22&to=2025-10-21")
check(s == 400 and e and "error" in e, "from after to: 400")

# --- events, timeline, sources ---
s, ev = getj("/api/events?type=enter")
check(s == 200 and all(x["type"] == "enter" for x in ev["events"]),
      "events filtered by type (%d enter)" % len(ev["events"]))
s, ev = getj("/api/events?from=2025-10-20&to=2025-10-23")
check(s == 200 and len(ev["events"]) > 0, "events in a window (%d)" % len(ev["events"]))
s, tl = getj("/api/timeline")
check(s == 200 and [d["day"] for d in tl["days"]][:2] == ["2025-10-20", "2025-10-21"],
      "timeline days")
check(all(d["total"] == sum(d["by_category"].values()) for d in tl["days"]),
      "timeline totals add up")
s, src = getj("/api/sources")
check(s == 200 and len(src["sources"]) == 2 and all(x["complete"] for x in src["sources"]),
      "sources: 2 complete")
check(src["counts"]["observations"] > 0 and isinstance(src["feeds"], list), "source counts")

# --- tar1090 aircraft.json ---
s, ac = getj("/data/aircraft.json?as_of=2025-10-21T04:00Z")
check(s == 200 and isinstance(ac.get("now"), float) and isinstance(ac.get("aircraft"), list),
      "aircraft.json has now and aircraft[]")
hx = [x["hex"] for x in ac["aircraft"]]
check(len(hx) > 0 and all(re.fullmatch(r"[0-9a-f]{6}", x) for x in hx),
      "aircraft.json: %d aircraft with 6-digit hex" % len(hx))
check(all(-90 <= x["lat"] <= 90 and 0 <= x["seen"] <= 600 for x in ac["aircraft"]),
      "aircraft.json positions and seen in range")
s, ac2 = getj("/data/aircraft.json?as_of=2025-10-21T04:00Z&mil=1")
check(s == 200 and all(x["dbFlags"] & 1 for x in ac2["aircraft"]) and
      len(ac2["aircraft"]) <= len(hx), "mil=1 keeps military aircraft only")

# --- tar1090: receiver.json, aircraft.json fields, the default clock ---
s, rc = getj("/data/receiver.json")
check(s == 200 and rc["refresh"] == 1000 and rc["history"] == 0 and rc["dbServer"] is True and
      rc["version"].startswith("orbat ") and isinstance(rc.get("lat"), float) and
      isinstance(rc.get("lon"), float), "receiver.json: version, refresh, history 0, lat/lon")
check(rc.get("simulated") is True and "SIMULATED" in rc.get("notice", ""),
      "receiver.json labels the simulated store")
# The fixture ends in 2025: a historical store, replayed (its last hour).
s, ac3 = getj("/data/aircraft.json")
t3 = ac3["now"] * 1000
newest = oob["as_of"]  # the newest data
check(ac3.get("orbat_clock") == "history" and
      ac3.get("orbat_time", "") <= newest and t3 >= int(__import__("calendar").timegm(
          time.strptime(newest, "%Y-%m-%dT%H:%M:%SZ"))) * 1000 - 3600e3 - 1000,
      "aircraft.json without as_of: the last hour replayed (%s, newest data %s)" %
      (ac3.get("orbat_time"), newest))
check(ac3.get("simulated") is True and "SIMULATED" in ac3.get("notice", "") and
      all(x.get("simulated") is True for x in ac["aircraft"]),
      "aircraft.json: SIMULATED at the top and on every aircraft")
check(all(x.get("desc") != x.get("flight") for x in ac["aircraft"] if x.get("desc")),
      "aircraft.json: desc is never the call sign")
s, ac4 = getj("/data/aircraft.json?as_of=2025-10-21T04:00Z")
check(ac4 == ac, "aircraft.json with as_of: the same answer twice")

# --- evidence limited to the requested time ---
aid = oob["assets"][0]["asset_id"]
s, ev_all = getj("/api/assets/%d" % aid)
s2, ev_cut = getj("/api/assets/%d?as_of=2025-10-21T00:00Z" % aid)
def obs_times(ev):
    out = []
    for a in ev["assets"]:
        out += [o["time"] for o in a["observations"]]
    return out
ta, tc = obs_times(ev_all), obs_times(ev_cut)
check(s == 200 and s2 == 200 and len(tc) < len(ta) and all(t <= "2025-10-21T00:00:00Z" for t in tc),
      "evidence as_of: %d of %d observations, none after as_of" % (len(tc), len(ta)))
s, e = getj("/api/assets/%d?as_of=nonsense" % aid)
check(s == 400, "evidence with a bad as_of: 400")

# --- SIMULATED on every API answer built from the simulated store ---
for path in ("/api/tracks?window=1d", "/api/sources", "/api/assets", "/api/events",
             "/api/timeline"):
    s, j = getj(path)
    check(s == 200 and j.get("simulated_sources") == 2, "%s carries simulated_sources" % path)
for path in ("/api/tracks?window=1d", "/api/sources", "/api/assets", "/api/events", "/api/claims"):
    s, j = getj(path)
    check("SIMULATED DATA" in j.get("notice", ""), "%s carries the SIMULATED notice" % path)
s, src2 = getj("/api/sources")
check(all(x.get("simulated") is True for x in src2["sources"]), "each simulated source says so")

# --- timeline chart downloads ---
s, h, b = get("/api/timeline.svg?from=2025-10-20&to=2025-10-22")
check(s == 200 and h.get("Content-Type") == "image/svg+xml" and b.lstrip().startswith(b"<") and
      b"<svg" in b and b"SIMULATED" in b, "/api/timeline.svg: an SVG chart, SIMULATED label")
s, h, b = get("/api/timeline.png?from=2025-10-20&to=2025-10-22")
check(s == 200 and h.get("Content-Type") == "image/png" and b[:8] == b"\x89PNG\r\n\x1a\n" and
      len(b) > 1000, "/api/timeline.png: a PNG (%d bytes)" % len(b))
s, h, b = get("/api/timeline.svg?from=2025-10-22&to=2025-10-20")
check(s == 400, "/api/timeline.svg with from after to: 400")

# --- metrics ---
s, h, b = get("/metrics")
txt = b.decode()
ok = s == 200 and h.get("Content-Type", "").startswith("text/plain")
line = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"'
                  r'(,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*")*\})? [-+0-9.eInf]+$')
bad = [l for l in txt.splitlines() if l and not l.startswith("#") and not line.match(l)]
check(ok and not bad, "/metrics is Prometheus text (%s)" % (bad[:2] or "all lines parse"))
m = dict((l.rsplit(" ", 1)[0], float(l.rsplit(" ", 1)[1])) for l in txt.splitlines()
         if l and not l.startswith("#"))
check(m.get('orbat_assets{category="warship"}', 0) >= nw, "metrics: assets by category")
check(m.get('orbat_http_requests_total{endpoint="oob"}') == 2, "metrics: requests by endpoint")
check(m.get("orbat_store_query_seconds_count", 0) > 10, "metrics: store latency histogram")
check(sum(v for k, v in m.items() if k.startswith("orbat_source_messages_total")) > 0,
      "metrics: messages by source")

# --- errors: 4xx with a JSON error ---
s, e = getj("/api/oob?as_of=yesterday-ish")
check(s == 400 and e and e["status"] == 400, "bad time: 400 JSON")
s, e = getj("/api/oob?window=-3d")
check(s == 400 and e and "error" in e, "bad window: 400 JSON")
s, e = getj("/api/nothing")
check(s == 404 and e and "error" in e, "unknown endpoint: 404 JSON")
s, e = getj("/api/oob", method="DELETE")
check(s == 405 and e and "error" in e, "DELETE: 405 JSON")
r = raw(b"GARBAGE\r\n\r\n")
# libmicrohttpd 0.9.75 closes such a connection without an answer.
check(r == b"" or (status_of(r) == 400 and b'"error"' in body_of(r)),
      "malformed request line: closed without an answer (libmicrohttpd) or 400 JSON")
r = raw(b"GET / HTTP/2.0\r\n\r\n")
check(status_of(r) == 505, "HTTP/2.0 request line: 505")
r = raw(b"GET /api/oob HTTP/1.1\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n")
check(status_of(r) == 431, "9000-byte header block: 431")
r = raw(b"POST /api/sightings HTTP/1.1\r\nContent-Length: 70000\r\n\r\n", read_all=False)
check(status_of(r) == 413, "70000-byte body announced: 413")
r = raw(b"POST /api/sightings HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
check(status_of(r) == 501, "chunked request body: 501")
r = raw(b"GET /api/oob?as_of=%zz HTTP/1.1\r\nConnection: close\r\n\r\n")
check(status_of(r) == 400, "bad percent-encoding in query: 400")

# --- static files, no traversal ---
s, h, b = get("/")
check(s == 200 and b"<title>orbat" in b and h.get("Content-Type", "").startswith("text/html"),
      "/ serves the web map")
s, h, b = get("/vendor/leaflet/leaflet.js")
check(s == 200 and b"Leaflet" in b[:200] and "javascript" in h.get("Content-Type", ""),
      "vendored Leaflet served")
s, h, b = get("/geo/caribbean_sea.geojson")
check(s == 200 and json.loads(b)["type"] == "FeatureCollection", "/geo/ serves base layers")
leaked = []
for p in ["/../Makefile", "/%2e%2e/Makefile", "/geo/../../Makefile", "/geo/%2e%2e/%2e%2e/Makefile",
          "/vendor/..%2f..%2fMakefile", "//etc/passwd", "/.%2e/.%2e/etc/passwd",
          "/geo/..\\..\\Makefile", "/%2fetc%2fpasswd"]:
    r = raw(("GET %s HTTP/1.1\r\nConnection: close\r\n\r\n" % p).encode())
    st = status_of(r)
    if not (400 <= st < 500) or b"root:" in r or b"CFLAGS" in r:
        leaked.append((p, st))
check(not leaked, "path traversal attempts all get 4xx (%s)" % leaked)

# --- HEAD and keep-alive ---
r = raw(b"HEAD /api/oob HTTP/1.1\r\nConnection: close\r\n\r\n")
check(status_of(r) == 200 and body_of(r) == b"" and b"Content-Length: %d" % len(cli) in r,
      "HEAD: headers with the length, no body")
sk = socket.create_connection(("127.0.0.1", port), timeout=20)
sk.sendall(b"GET /api/timeline HTTP/1.1\r\n\r\nGET /api/sources HTTP/1.1\r\nConnection: close\r\n\r\n")
buf = b""
while True:
    c = sk.recv(65536)
    if not c:
        break
    buf += c
sk.close()
check(buf.count(b"HTTP/1.1 200 OK") == 1 and b"Connection: close" in buf,
      "pipelined requests: one answered per connection, then closed (issue 17 F5)")

# --- connection cap: 300 idle connections, the ones over 256 get 503, then recovery ---
socks, busy = [], 0
for i in range(300):
    c = socket.create_connection(("127.0.0.1", port), timeout=5)
    socks.append(c)
time.sleep(0.5)
for c in socks[256:]:
    c.settimeout(5)
    try:
        if c.recv(200).startswith(b"HTTP/1.1 503"):
            busy += 1
    except (socket.timeout, ConnectionResetError):
        pass
for c in socks:
    c.close()
time.sleep(0.3)
s, h, b = get("/api/timeline")
check(busy >= 40 and s == 200, "over 256 connections: %d refused with 503, then serving again" % busy)

# --- bearer token on POST /api/sightings ---
sg = json.dumps({"name": "USS Test Sighting", "time": "2025-10-21T10:00Z", "lat": 12.1,
                 "lon": -66.9, "source_url": "https://example.org/photo", "confidence": 0.6,
                 "category": "warship", "role": "destroyer"}).encode()
js = {"Content-Type": "application/json"}
s, e = getj("/api/sightings", method="POST", data=sg, headers=js)
check(s == 401 and e and "error" in e, "POST without token: 401")
s, e = getj("/api/sightings", method="POST", data=sg,
            headers=dict(js, Authorization="Bearer wrong"))
check(s == 401, "POST with a wrong token: 401")
s, e = getj("/api/sightings", method="POST", data=b"{not json",
            headers=dict(js, Authorization="Bearer s3cret-token"))
check(s == 400 and e and "error" in e, "POST malformed JSON: 400")
s, e = getj("/api/sightings", method="POST", data=json.dumps({"name": "x"}).encode(),
            headers=dict(js, Authorization="Bearer s3cret-token"))
check(s == 400 and "source_url" in e["error"], "POST without evidence URL: 400")
s, e = getj("/api/sightings", method="POST", data=sg,
            headers=dict(js, Authorization="Bearer s3cret-token"))
check(s == 201 and e and e["id"] > 0, "POST with the token: 201 created")
s, src = getj("/api/sources")
check(src["counts"]["sightings"] == 1, "the sighting is stored")
s, a2 = getj("/api/assets?as_of=2025-10-21T12:00Z&all=1")
check(any(x["name"] == "USS Test Sighting" and x["basis"] == "sighting" for x in a2["assets"]),
      "the sighting joins the order of battle")
s, e = getj("/api/sightings")
check(s == 405, "GET /api/sightings: 405")
sys.exit(1 if fails else 0)
EOF
[ $? -eq 0 ] || echo "not ok - API checks (see above)"

kill -TERM "$PID"
i=0
while kill -0 "$PID" 2>/dev/null && [ $i -lt 50 ]; do
    sleep 0.1
    i=$((i + 1))
done
if kill -0 "$PID" 2>/dev/null; then
    echo "not ok - SIGTERM stops orbat serve"
else
    wait "$PID"
    rc=$?
    [ $rc -eq 0 ] && echo "ok - SIGTERM stops orbat serve (exit 0)" ||
        echo "not ok - orbat serve exit status $rc after SIGTERM"
fi
PID=

# Without a token the server is read-only.
start
python3 - "$PORT" <<'EOF'
import json, sys, urllib.request, urllib.error
req = urllib.request.Request("http://127.0.0.1:%s/api/sightings" % sys.argv[1], data=b"{}",
                             method="POST", headers={"Content-Type": "application/json",
                                                     "Authorization": "Bearer "})
try:
    urllib.request.urlopen(req, timeout=20)
    print("not ok - read-only server accepted a POST")
except urllib.error.HTTPError as e:
    print(("ok" if e.code == 403 else "not ok") + " - read-only server: POST gets %d" % e.code)
EOF
kill -TERM "$PID"
wait "$PID" 2>/dev/null
PID=

# The replay clock: two requests 3 s apart at 300x move `now` by ~15 min
# and AE5F01 (which flies from 02:00 on the 21st) along its stored track.
start --replay-start 2025-10-21T02:10Z --replay-speed 300
python3 - "$PORT" <<'EOF'
import json, sys, time, urllib.request
base = "http://127.0.0.1:%s" % sys.argv[1]
def getj(p):
    with urllib.request.urlopen(base + p, timeout=20) as r:
        return json.loads(r.read())
def check(c, what):
    print(("ok - " if c else "not ok - ") + what)
t_start = 1761012600.0  # 2025-10-21T02:10Z
a1 = getj("/data/aircraft.json")
time.sleep(3)
a2 = getj("/data/aircraft.json")
d = a2["now"] - a1["now"]
check(a1["orbat_clock"] == "replay" and a1["orbat_replay_speed"] == 300 and
      t_start <= a1["now"] < t_start + 600, "replay clock starts at --replay-start (%s)" %
      a1["orbat_time"])
check(3 * 300 * 0.9 <= d <= 3 * 300 * 1.6 + 300, "now advances at 300x: %.0f s of data in ~3 s" % d)
p1 = {x["hex"]: x for x in a1["aircraft"]}.get("ae5f01")
p2 = {x["hex"]: x for x in a2["aircraft"]}.get("ae5f01")
check(p1 is not None and p2 is not None and (p1["lat"], p1["lon"]) != (p2["lat"], p2["lon"]),
      "ae5f01 moves between the two answers (%s -> %s)" %
      (p1 and (p1["lat"], p1["lon"]), p2 and (p2["lat"], p2["lon"])))
if p1 and p2:
    tr = getj("/api/tracks?asset=%d&from=2025-10-21T02:00Z&to=2025-10-21T04:00Z" % p1["orbat_id"])
    pts = tr["tracks"][0]["points"]
    def on_track(p, now):
        # the stored track's last point at or before now, seen_pos before it
        before = [q for q in pts if q[0] <= now * 1000 + 1]
        q = before[-1] if before else None
        return q is not None and abs(q[1] - p["lat"]) < 1e-4 and abs(q[2] - p["lon"]) < 1e-4 and \
            abs((now * 1000 - q[0]) / 1000 - p["seen_pos"]) < 0.2
    check(on_track(p1, a1["now"]) and on_track(p2, a2["now"]),
          "both positions are the stored track's last point before the replay time")
r = getj("/data/receiver.json")
check(r["orbat_clock"] == "replay" and r["orbat_replay_start"] == "2025-10-21T02:10:00Z",
      "receiver.json names the replay")
a3 = getj("/data/aircraft.json?as_of=2025-10-21T04:00Z")
check(a3["orbat_clock"] == "as_of" and a3["now"] == 1761019200.0, "as_of still wins over the clock")
EOF
kill -TERM "$PID"
wait "$PID" 2>/dev/null
PID=
"$O" serve --db "$TMP/f.db" --listen 127.0.0.1:0 --replay-speed 10 2>"$TMP/bad.err"
[ $? -eq 2 ] && grep -q "needs --replay-start" "$TMP/bad.err" &&
    echo "ok - --replay-speed without --replay-start is refused" ||
    echo "not ok - --replay-speed without --replay-start is refused"
"$O" serve --db "$TMP/f.db" --listen 127.0.0.1:0 --replay-start yesterday 2>"$TMP/bad.err"
[ $? -eq 2 ] && echo "ok - a bad --replay-start is refused" ||
    echo "not ok - a bad --replay-start is refused"

# Per asset: the registry row's source link, the SIMULATED flag and the
# reported course. The fixture plus a real AIS sample (Kystverket, NLOD 2.0;
# see ../shared/testdata/ais/SOURCES.md) read in beside it: a store that
# mixes simulated and real sources.
REAL=${SHARED:-$ROOT/../shared}/testdata/ais/kystverket/Ais1000Lines.nm4
cp "$TMP/f.db" "$TMP/m.db"
if [ ! -f "$REAL" ] || ! "$O" ingest -q --db "$TMP/m.db" "$REAL" 2>"$TMP/ing2.err"; then
    echo "not ok - mixed database (fixture + $REAL)"
    cat "$TMP/ing2.err" >&2
else
    DBF="$TMP/m.db" start
    python3 - "$PORT" "$ROOT/data/registry/ships_seed.csv" <<'EOF'
import csv, json, re, sys, urllib.request
base = "http://127.0.0.1:%s" % sys.argv[1]
def getj(p):
    with urllib.request.urlopen(base + p, timeout=20) as r:
        return json.loads(r.read())
def check(c, what):
    print(("ok - " if c else "not ok - ") + what)

# The seed list as a CSV reader sees it: line number -> row.
rows = {}
with open(sys.argv[2], newline="") as f:
    rd = csv.DictReader(f)
    for row in rd:
        rows[rd.line_num] = row
srcs = getj("/api/sources")["sources"]
real = [x for x in srcs if "kystverket" in x["name"]]
check(len(real) == 1 and real[0]["simulated"] is False and
      all(x["simulated"] is True for x in srcs if x is not real[0]),
      "mixed store: the Kystverket sample is real, the scenario simulated")
# Both data sets in one list: a window from before 2019 to after the scenario.
lst = getj("/api/assets?all=1&as_of=2025-10-22T00:00Z&window=3000d")
old = [x for x in lst["assets"] if x["first_seen"].startswith("2019-")]
new = [x for x in lst["assets"] if x["first_seen"].startswith("2025-")]
check(len(old) > 100 and len(new) > 20 and len(old) + len(new) == lst["total"],
      "mixed store lists %d assets of 2019 and %d of the scenario" % (len(old), len(new)))
check(all(x.get("simulated") is False for x in old),
      "every asset of the real sample: simulated false (%d)" %
      sum(x.get("simulated") is False for x in old))
sighted = [x for x in new if x["basis"] == "sighting"]  # POSTed above: not simulations
new = [x for x in new if x["basis"] != "sighting"]
check(all(x.get("simulated") is True for x in new),
      "every scenario asset: simulated true (%d)" % sum(x.get("simulated") is True for x in new))
check(len(sighted) > 0 and all(x.get("simulated") is False for x in sighted),
      "assets known only from manual sightings: simulated false (%d)" % len(sighted))
for x in (old[0], new[0]):
    ev = getj("/api/assets/%d?as_of=2025-10-22T00:00Z" % x["asset_id"])
    flags = {o["simulated"] for o in ev["assets"][0]["observations"]}
    check(ev.get("simulated") is x["simulated"] and flags == {x["simulated"]},
          "/api/assets/%d says simulated %s, as each of its observations does" %
          (x["asset_id"], ev.get("simulated")))
    tr = getj("/api/tracks?asset=%d&from=2019-01-01&to=2025-10-22T00:00Z" % x["asset_id"])
    check(tr["tracks"][0].get("simulated") is x["simulated"],
          "/api/tracks: the track of %s says simulated %s" % (x["id"], tr["tracks"][0].get("simulated")))

# Registry link: each seed-list ship names its row; source_url is that row's
# first URL.
reg = [x for x in new if x.get("registry", "").startswith("ships_seed.csv:")]
def first_url(row):
    m = re.search(r"https?://[^\s;]+", row.get("source", ""))
    return m.group(0) if m else None
bad = []
for x in reg:
    row = rows.get(int(x["registry"].split(":")[1]))
    if not row or first_url(row) != x.get("source_url") or row["name"] != x["name"]:
        bad.append("%s %s %s" % (x["name"], x["registry"], x.get("source_url")))
check(len(reg) >= 5 and not bad,
      "%d seed-list ships carry their row's name and first source URL %s" % (len(reg), bad[:2]))
check(all("source_url" not in x and "registry" not in x for x in old),
      "assets without a registry row have no registry link")
if reg:
    one = getj("/api/assets/%d" % reg[0]["asset_id"])
    check(one.get("registry") == reg[0]["registry"] and one.get("source_url") == reg[0]["source_url"],
          "/api/assets/ID gives the same link (%s)" % one.get("source_url"))

# Course: a ship's track points carry the course its messages report (the
# evidence's cog_deg at the same time); aircraft points without one keep 4.
ship = next((x for x in reg), None)
if ship:
    tr = getj("/api/tracks?asset=%d&from=2025-10-20&to=2025-10-22" % ship["asset_id"])
    check(tr["fields"] == ["t_ms", "lat", "lon", "alt_ft", "cog_deg"], "tracks name the cog_deg field")
    pts = tr["tracks"][0]["points"]
    ev = getj("/api/assets/%d?from=2025-10-20&to=2025-10-22" % ship["asset_id"])
    cog = {}
    for o in ev["assets"][0]["observations"]:
        if o.get("cog_deg") is not None:
            cog[o["time"]] = o["cog_deg"]
    import datetime
    def iso(ms):
        return datetime.datetime.fromtimestamp(ms // 1000, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    with_cog = [p for p in pts if len(p) == 5]
    same = [p for p in with_cog if iso(p[0]) in cog and abs(cog[iso(p[0])] - p[4]) < 0.06]
    check(len(with_cog) > 0 and len(same) == len(with_cog) and all(p[3] is None for p in with_cog),
          "%s: %d of %d points carry the reported course, equal to the evidence's" %
          (ship["name"], len(same), len(pts)))
EOF
    kill -TERM "$PID"
    wait "$PID" 2>/dev/null
    PID=
fi
