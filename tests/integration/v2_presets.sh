#!/bin/sh
# tests/integration/v2_presets.sh - the readsb v2 provider presets
# (adsbfi+http://..., airplaneslive+http://...) against a local fake API on
# 127.0.0.1 that serves shared/testdata/archives/readsb_v2_api/ answers,
# logs the requests, answers 429, 503 and malformed JSON at set requests. orbat
# run must keep to the provider's rate, back off and retry the same URL,
# count the rate-limit wait and the bad JSON in /metrics, store the aircraft
# and print the provider's attribution; the credit line is stored as the
# sources' licence and shown in the report footer and the API's
# data_sources; orbat decode polls the same preset. Nothing but 127.0.0.1 is
# contacted.
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
# the provider's credit line: the spool file's first line becomes the
# stored source's licence, which the report's footer prints
CREDIT="Aircraft data: adsb.fi open data, https://adsb.fi"
sqlite3 "$T/v2.db" "SELECT DISTINCT licence FROM sources" >"$T/lic.out" 2>&1
check "the credit line is stored as the sources' licence ($(sort -u "$T/lic.out" | tr "\n" "|"))" \
    '[ "$(sort -u "$T/lic.out")" = "$CREDIT" ]'
"$ORBAT" report --db "$T/v2.db" --all --window 3650d >"$T/report.out" 2>&1
check "the report's footer credits the provider" \
    'grep -q "Data sources and licences" "$T/report.out" && grep -qF "$CREDIT" "$T/report.out"'

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
for u in "assets:api/assets?all=1&window=3650d" "aircraft:data/aircraft.json"; do
    python3 -c 'import sys, urllib.request; print(urllib.request.urlopen("http://127.0.0.1:%s/%s" % (sys.argv[1], sys.argv[2]), timeout=10).read().decode())' \
        "$(cat "$T/http.port")" "${u#*:}" >"$T/api.${u%%:*}" 2>&1
done
kill -TERM $OP
wait $OP
check "metrics: requests counted for the preset" 'grep -q "^orbat_poll_requests_total{feed=\"fi\"} [1-9]" "$T/metrics"'
check "metrics: rate-limit waits counted" 'grep -q "^orbat_poll_ratelimit_waits_total{feed=\"fi\"} [1-9]" "$T/metrics"'
check "metrics: malformed JSON counted and skipped" 'grep -q "^orbat_poll_bad_json_total{feed=\"fi\"} [1-9]" "$T/metrics"'
python3 - "$T/api.assets" "$T/api.aircraft" >"$T/api.chk" 2>&1 <<'PY'
import json, sys
for name, path in zip(("assets", "aircraft"), sys.argv[1:]):
    d = json.load(open(path))
    print(name, "|".join(d.get("data_sources", ["(none)"])))
PY
check "/api/assets lists the provider's credit line in data_sources ($(grep ^assets "$T/api.chk"))" \
    'grep -qxF "assets $CREDIT" "$T/api.chk"'
check "/data/aircraft.json lists it too ($(grep ^aircraft "$T/api.chk"))" \
    'grep -qxF "aircraft $CREDIT" "$T/api.chk"'

# orbat decode polls the same presets with the same code: the aircraft as
# JSON lines until --duration, the credit line on stderr
rm -f "$T/v2.port"
python3 "$T/v2.py" "$V2/adsblol_v2_mil_rows_2026-10-02.json" "$V2/adsbx_v2_response_flight-react.json" \
    "$T/req3.log" "$T/v2.port" 99:429 &
PIDS="$PIDS $!"
i=0
while [ ! -s "$T/v2.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
P=$(cat "$T/v2.port")
"$ORBAT" decode --duration 3.5 --stats -f jsonl "lol=adsblol+http://127.0.0.1:$P/?bbox=10,-70,14,-60" >"$T/dec.out" 2>"$T/dec.err"
rc=$?
check "decode of a preset ends after --duration (rc $rc)" '[ $rc -eq 0 ]'
check "decode: the provider's credit line on stderr" 'grep -qF "Aircraft data: adsb.lol (ODbL 1.0)" "$T/dec.err"'
check "decode: circles in adsb.lol's form, within the rate ($(wc -l <"$T/req3.log") requests)" \
    'grep -q " /v2/point/12.0000/-67.5000/250$" "$T/req3.log" && [ "$(wc -l <"$T/req3.log")" -le 4 ] && [ "$(wc -l <"$T/req3.log")" -ge 3 ]'
python3 - "$T/dec.out" >"$T/dec.chk" 2>&1 <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print(len(rows), len(set(r.get("icao") or r.get("hex") or "" for r in rows)))
PY
# 7 positioned ICAO aircraft in the mil answer, 3 in the point answer
check "decode: the answers' aircraft as JSON lines (lines, distinct: $(cat "$T/dec.chk"))" \
    'awk "{exit !(\$1 >= 10 && \$2 == 10)}" "$T/dec.chk"'
"$ORBAT" decode --duration 1 "aishub+http://127.0.0.1:$P/ws.php" >/dev/null 2>"$T/dec2.err"
rc=$?
check "decode: aishub without a username is refused clearly (rc $rc)" '[ $rc -eq 2 ] && grep -qi "user" "$T/dec2.err"'
"$ORBAT" ingest --db "$T/x.db" --theatre none "adsbfi:" >/dev/null 2>"$T/ing.err"
rc=$?
check "ingest refuses a live feed and points to orbat run (rc $rc)" '[ $rc -eq 2 ] && grep -q "orbat run --feed" "$T/ing.err"'
"$ORBAT" run --db "$T/x.db" --no-server --feed "adsbfi:?radius=900" >/dev/null 2>"$T/bad.err"
rc=$?
check "bad preset spec refused (rc $rc)" '[ $rc -ne 0 ] && grep -q "radius" "$T/bad.err"'
"$ORBAT" feeds >"$T/feeds.out" 2>&1
check "orbat feeds lists the presets with terms, rates and the theatre's circles" \
    'grep -q "^adsblol:  adsb.lol" "$T/feeds.out" && grep -q "^airplaneslive:" "$T/feeds.out" && grep -q "^adsbfi:" "$T/feeds.out" && grep -q "^aisstream:" "$T/feeds.out" && grep -q "^aishub:" "$T/feeds.out" && grep -q "16 + 1 requests a round" "$T/feeds.out" && [ "$(grep -c "    terms:" "$T/feeds.out")" -eq 5 ]'
"$ORBAT" feeds --theatre none >"$T/feeds2.out" 2>&1
check "orbat feeds --theatre none: no box" '! grep -q "requests a round" "$T/feeds2.out" && grep -q "^adsbfi:" "$T/feeds2.out"'
