#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# tar1090.sh - tar1090 itself against orbat: the tar1090 web front-end of
# the shared test data ($SHARED/testdata/peers/tar1090/html, GPL, served
# from there by `orbat serve --tar1090 DIR`, never copied into orbat) with
# a replay clock inside the simulated Caribbean scenario (2025-10-23, when
# BARB21/22 and JAKE11 fly). First the JSON tar1090 reads (receiver.json,
# aircraft.json with the replay clock, as python checks), then the page in
# headless Chromium (tests/tar1090/tar1090.mjs, not under tests/browser/:
# browser.sh runs every script there against its own fixture). The
# screenshot goes to tests/artifacts/tar1090.png.
# Needs: python3; for the page chromium, nodejs, npm (playwright-core).
set -u
cd "${ROOT:-.}" || exit 1
O=${ORBAT:-build/orbat}
SHARED=${SHARED:-${ROOT:-.}/../shared}
T1090=$SHARED/testdata/peers/tar1090/html
ART=${ROOT:-.}/tests/artifacts
TMP=$(mktemp -d)
PID=
cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT

if [ ! -f "$T1090/index.html" ]; then
    echo "not ok - tar1090's html is not at $T1090 (the shared test data)"
    exit 0
fi
if ! command -v python3 >/dev/null; then
    echo "not ok - python3 is needed (apt-get install python3)"
    exit 0
fi
if ! "$O" simulate scenarios/caribbean-2025.json --from 2025-10-23 --to 2025-10-24 \
    --out-ais "$TMP/s.nmea" --out-sbs "$TMP/s.sbs" 2>"$TMP/sim.err" ||
    ! "$O" ingest -q --db "$TMP/f.db" "$TMP/s.nmea" "$TMP/s.sbs" 2>"$TMP/ing.err"; then
    echo "not ok - fixture database (simulate + ingest)"
    cat "$TMP/sim.err" "$TMP/ing.err" >&2
    exit 0
fi

START=2025-10-23T15:00Z
SPEED=20
"$O" serve --db "$TMP/f.db" --listen 127.0.0.1:0 --port-file "$TMP/port" --tar1090 "$T1090" \
    --replay-start $START --replay-speed $SPEED 2>"$TMP/serve.err" &
PID=$!
i=0
while [ ! -s "$TMP/port" ] && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
if [ ! -s "$TMP/port" ]; then
    echo "not ok - orbat serve --tar1090 did not start"
    cat "$TMP/serve.err" >&2
    exit 0
fi
PORT=$(cat "$TMP/port")
echo "ok - orbat serve --tar1090 --replay-start $START --replay-speed $SPEED on 127.0.0.1:$PORT"

# The aircraft the page must list: those of aircraft.json at the replay
# time (checked against the scenario's own list and the registry's types).
python3 - "$PORT" "$TMP/hexes" <<'PY'
import json, sys, urllib.request
port, out = int(sys.argv[1]), sys.argv[2]
base = "http://127.0.0.1:%d/tar1090" % port
fails = 0
def check(c, what):
    global fails
    print(("ok - " if c else "not ok - ") + what)
    fails += not c
def get(p):
    with urllib.request.urlopen(base + p, timeout=20) as r:
        return r.status, json.loads(r.read())
s, rc = get("/data/receiver.json")
check(s == 200 and rc.get("refresh") == 1000 and rc.get("history") == 0
      and str(rc.get("version", "")).startswith("orbat"),
      "tar1090/data/receiver.json: version, refresh 1000, history 0")
check(rc.get("orbat_clock") == "replay" and rc.get("simulated") is True,
      "receiver.json: replay clock and SIMULATED label")
check(isinstance(rc.get("lat"), float) and 9 < rc["lat"] < 33 and -95 < rc["lon"] < -55,
      "receiver.json: site inside the scenario (%s, %s)" % (rc.get("lat"), rc.get("lon")))
s, ac = get("/data/aircraft.json")
hexes = {a["hex"]: a for a in ac.get("aircraft", [])}
check(s == 200 and ac.get("orbat_time", "").startswith("2025-10-23T15:0"),
      "aircraft.json now follows the replay clock (%s)" % ac.get("orbat_time"))
known = {"ae6bd1": ("BARB21", "B1"), "ae6bd2": ("BARB22", "B1"), "ae01c4": ("JAKE11", "R135")}
listed = [h for h in known if h in hexes]
check(len(listed) >= 1, "scenario aircraft listed at the replay time: %s" % " ".join(listed))
ok = all(hexes[h].get("flight", "").strip() == known[h][0] and hexes[h].get("t") == known[h][1]
         and hexes[h].get("desc") and hexes[h]["desc"] != known[h][0]
         and hexes[h].get("dbFlags", 0) & 1 and hexes[h].get("simulated") is True
         for h in listed)
check(ok, "their flight, t (type code), desc (not the call sign), military dbFlags, simulated")
open(out, "w").write(",".join(listed))
sys.exit(0)
PY

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
for tool in node npm; do
    if ! command -v $tool >/dev/null; then
        echo "not ok - $tool is needed for the tar1090 page test (apt-get install nodejs npm)"
        exit 0
    fi
done
if [ ! -x "$CHROMIUM" ]; then
    echo "not ok - $CHROMIUM is needed for the tar1090 page test (apt-get install chromium)"
    exit 0
fi
if [ ! -f node_modules/playwright-core/package.json ]; then
    if ! npm ci --no-audit --no-fund >"$TMP/npm.log" 2>&1; then
        echo "not ok - npm ci (playwright-core) failed"
        tail -n 20 "$TMP/npm.log" >&2
        exit 0
    fi
fi
mkdir -p "$ART"
if ! CHROMIUM=$CHROMIUM timeout 120 node tests/tar1090/tar1090.mjs "http://127.0.0.1:$PORT" "$ART" \
    "$(cat "$TMP/hexes" 2>/dev/null)"; then
    echo "not ok - tar1090.mjs exited with an error"
fi
