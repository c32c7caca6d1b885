#!/bin/sh
# tests/integration/v2_presets.sh - the readsb v2 provider presets
# (adsbfi+http://..., airplaneslive+http://...) against a local fake API on
# 127.0.0.1 that serves shared/testdata/archives/readsb_v2_api/ answers,
# logs the requests, answers 429, 503 and malformed JSON at set requests. orbat
# run must keep to the provider's rate, back off and retry the same URL,
# count the rate-limit wait and the bad JSON in /metrics, store the aircraft
# and print the provider's attribution. Nothing but 127.0.0.1 is contacted.
set -u
ORBAT=${ORBAT:-build/orbat}
SHARED=${SHARED:-../shared}
T=$(mktemp -d)
PIDS=""
cleanup() {
    for p in $PIDS; do kill "$p" 2>/dev/null; done
    [ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
V2="$SHARED/testdata/archives/readsb_v2_api"
if ! command -v python3 >/dev/null 2>&1 || ! command -v sqlite3 >/dev/null 2>&1; then
    echo "not ok - python3 and sqlite3 are needed for the v2 fixture"
    exit 0
fi
if [ ! -f "$V2/adsblol_v2_mil_rows_2026-10-02.json" ]; then
    echo "not ok - shared test data missing: $V2"
    exit 0
fi
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1"; }
check() { if eval "$2"; then ok "$1"; else nok "$1"; fi; }

cat >"$T/v2.py" <<'PY'
import http.server, json, os, sys, threading, time
mil = open(sys.argv[1], "rb").read()
point = open(sys.argv[2], "rb").read()
log = open(sys.argv[3], "a", buffering=1)
# request number -> what to answer instead of the document
plan = dict((int(a), b) for a, b in (x.split(":") for x in sys.argv[5].split(",")))
n = [0]
lock = threading.Lock()
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with lock:
            n[0] += 1
            k = n[0]
            log.write("%.3f %d %s\n" % (time.monotonic(), k, self.path))
        what = plan.get(k, "")
        if what in ("429", "503"):
            self.send_response(int(what)); self.end_headers(); return
        if what == "bad":
            body = b'{"ac":[{"hex":"abcdef",'   # malformed: cut
        elif self.path.endswith("/v2/mil"):
            body = mil
        elif "/v2/lat/" in self.path or "/v2/point/" in self.path:
            body = point
        else:
            self.send_response(404); self.end_headers(); return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a): pass
srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
open(sys.argv[4] + ".tmp", "w").write(str(srv.server_address[1]))
os.rename(sys.argv[4] + ".tmp", sys.argv[4])
threading.Timer(120, lambda: os._exit(0)).start()
srv.serve_forever()
PY
python3 "$T/v2.py" "$V2/adsblol_v2_mil_rows_2026-10-02.json" "$V2/adsbx_v2_response_flight-react.json" \
    "$T/req.log" "$T/v2.port" 3:429,6:503,8:bad &
PIDS="$PIDS $!"
i=0
while [ ! -s "$T/v2.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
P=$(cat "$T/v2.port")

mkdir -p "$T/spool"
"$ORBAT" run --db "$T/v2.db" --listen 127.0.0.1:0 --port-file "$T/http.port" \
    --spool-dir "$T/spool" --spool-secs 2 --no-server \
    --feed "fi=adsbfi+http://127.0.0.1:$P/?bbox=10,-70,14,-60" >"$T/run.out" 2>"$T/run.err" &
OP=$!
PIDS="$PIDS $OP"
sleep 13
kill -TERM $OP
wait $OP
rc=$?
check "run exits cleanly (rc $rc)" '[ $rc -eq 0 ]'
check "the provider's attribution is printed" 'grep -q "Aircraft data: adsb.fi" "$T/run.err"'
check "the plan: circles in adsb.fi's form and /v2/mil" \
    'grep -q " /v2/lat/12.0000/lon/-67.5000/dist/250$" "$T/req.log" && grep -q " /v2/lat/12.0000/lon/-62.5000/dist/250$" "$T/req.log" && grep -q " /v2/mil$" "$T/req.log"'
python3 - "$T/req.log" >"$T/rate.out" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1])]
t = [float(r[0]) for r in rows]
gaps = [b - a for a, b in zip(t, t[1:])]
print("requests", len(rows))
print("mingap %.3f" % min(gaps))
# the request after the 429 (3rd) and after the 503 (6th): later, and the same URL
print("retry429", "%.3f" % (t[3] - t[2]), rows[3][2] == rows[2][2])
print("retry503", "%.3f" % (t[6] - t[5]), rows[6][2] == rows[5][2])
# at most one request in any 1 s window
print("window", max(sum(1 for y in t if x <= y < x + 1.0) for x in t))
PY
check "several requests made ($(sed -n 1p "$T/rate.out"))" '[ "$(awk "/^requests/{print \$2}" "$T/rate.out")" -ge 6 ]'
check "rate limit kept: at most 1 request in any second ($(grep -E "mingap|window" "$T/rate.out" | tr "\n" " "))" \
    'grep -q "^window 1$" "$T/rate.out"'
check "429: backoff (>= 1.5 s) and the same URL again ($(grep retry429 "$T/rate.out"))" \
    'awk "/^retry429/{exit !(\$2 >= 1.5 && \$3 == \"True\")}" "$T/rate.out"'
check "503: backoff and the same URL again ($(grep retry503 "$T/rate.out"))" \
    'awk "/^retry503/{exit !(\$2 >= 1.5 && \$3 == \"True\")}" "$T/rate.out"'
n=$(sqlite3 "$T/v2.db" "SELECT count(*) FROM assets WHERE kind = 2" 2>/dev/null)
# 7 positioned ICAO aircraft in the mil answer, 3 in the point answer
check "aircraft from the answers are stored ($n)" '[ "${n:-0}" -eq 10 ]'

# /metrics: rate-limit waits and bad JSON by provider feed (a fresh fake)
rm -f "$T/http.port" "$T/v2.port"
python3 "$T/v2.py" "$V2/adsblol_v2_mil_rows_2026-10-02.json" "$V2/adsbx_v2_response_flight-react.json" \
    "$T/req2.log" "$T/v2.port" 2:429,3:bad &
PIDS="$PIDS $!"
i=0
while [ ! -s "$T/v2.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
P=$(cat "$T/v2.port")
"$ORBAT" run --db "$T/v2b.db" --listen 127.0.0.1:0 --port-file "$T/http.port" \
    --spool-dir "$T/spool" --spool-secs 2 --set feed.cli0.interval=1 \
    --feed "fi=adsbfi+http://127.0.0.1:$P/?bbox=10,-70,14,-60&point=0" >"$T/run2.out" 2>"$T/run2.err" &
OP=$!
PIDS="$PIDS $OP"
i=0
while [ ! -s "$T/http.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
sleep 7
python3 -c 'import sys, urllib.request; print(urllib.request.urlopen("http://127.0.0.1:%s/metrics" % sys.argv[1], timeout=10).read().decode())' \
    "$(cat "$T/http.port")" >"$T/metrics" 2>/dev/null
kill -TERM $OP
wait $OP
check "metrics: requests counted for the preset" 'grep -q "^orbat_poll_requests_total{feed=\"fi\"} [1-9]" "$T/metrics"'
check "metrics: rate-limit waits counted" 'grep -q "^orbat_poll_ratelimit_waits_total{feed=\"fi\"} [1-9]" "$T/metrics"'
check "metrics: malformed JSON counted and skipped" 'grep -q "^orbat_poll_bad_json_total{feed=\"fi\"} [1-9]" "$T/metrics"'
"$ORBAT" run --db "$T/x.db" --no-server --feed "adsbfi:?radius=900" >/dev/null 2>"$T/bad.err"
rc=$?
check "bad preset spec refused (rc $rc)" '[ $rc -ne 0 ] && grep -q "radius" "$T/bad.err"'
"$ORBAT" feeds >"$T/feeds.out" 2>&1
check "orbat feeds lists the presets with terms, rates and the theatre's circles" \
    'grep -q "^adsblol:  adsb.lol" "$T/feeds.out" && grep -q "^airplaneslive:" "$T/feeds.out" && grep -q "^adsbfi:" "$T/feeds.out" && grep -q "^aisstream:" "$T/feeds.out" && grep -q "^aishub:" "$T/feeds.out" && grep -q "16 + 1 requests a round" "$T/feeds.out" && [ "$(grep -c "    terms:" "$T/feeds.out")" -eq 5 ]'
"$ORBAT" feeds --theatre none >"$T/feeds2.out" 2>&1
check "orbat feeds --theatre none: no box" '! grep -q "requests a round" "$T/feeds2.out" && grep -q "^adsbfi:" "$T/feeds2.out"'
