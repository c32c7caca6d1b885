#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# browser.sh - the web map in a real headless Chromium: build a fixture
# database (simulated Caribbean scenario with the claims of
# data/claims/caribbean-2025.csv and two more), start `orbat serve` on
# 127.0.0.1, and run every tests/browser/*.mjs with node (playwright-core
# and axe-core, installed by `npm ci` from the repository's package-lock.json
# when node_modules lacks them): map.mjs (markers, panel, claims) and
# webapp.mjs (replay, search, permalink, downloads, phone width, axe-core).
# Screenshots go to tests/artifacts/.
# Needs: chromium, nodejs, npm (Debian packages).
set -u
cd "${ROOT:-.}" || exit 1
O=${ORBAT:-build/orbat}
ART=${ROOT:-.}/tests/artifacts
TMP=$(mktemp -d)
PID=
cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
for tool in node npm; do
    if ! command -v $tool >/dev/null; then
        echo "not ok - $tool is needed for the browser test (apt-get install nodejs npm)"
        exit 0
    fi
done
if [ ! -x "$CHROMIUM" ]; then
    echo "not ok - $CHROMIUM is needed for the browser test (apt-get install chromium)"
    exit 0
fi
if [ ! -f node_modules/playwright-core/package.json ] || [ ! -f node_modules/axe-core/axe.min.js ]; then
    if ! npm ci --no-audit --no-fund >"$TMP/npm.log" 2>&1; then
        echo "not ok - npm ci (playwright-core, axe-core) failed"
        tail -n 20 "$TMP/npm.log" >&2
        exit 0
    fi
fi
mkdir -p "$ART"

# 15-24 Oct: the days the claims of data/claims/caribbean-2025.csv are about.
if ! "$O" simulate scenarios/caribbean-2025.json --from 2025-10-15 --to 2025-10-24 \
    --out-ais "$TMP/s.nmea" --out-sbs "$TMP/s.sbs" 2>"$TMP/sim.err" ||
    ! "$O" ingest -q --db "$TMP/f.db" "$TMP/s.nmea" "$TMP/s.sbs" 2>"$TMP/ing.err"; then
    echo "not ok - fixture database (simulate + ingest)"
    cat "$TMP/sim.err" "$TMP/ing.err" >&2
    exit 0
fi
# One archive-format source too (its attribution line is shown in the page's
# footer): the simulator's MarineCadastre CSV of one day, via orbat import.
if ! "$O" simulate scenarios/caribbean-2025.json --from 2025-10-24 --to 2025-10-25 \
    --out-marinecadastre "$TMP/mc.csv" 2>>"$TMP/sim.err" ||
    ! "$O" import -q --db "$TMP/f.db" "$TMP/mc.csv" 2>>"$TMP/ing.err"; then
    echo "not ok - fixture database (an imported archive)"
    cat "$TMP/sim.err" "$TMP/ing.err" >&2
    exit 0
fi
# Claims for the claims panel (tests/browser/map.mjs): the seeded ones (as
# scripts/demo.sh), an incident (a circle) and one about an asset never seen.
if ! "$O" claim import --db "$TMP/f.db" data/claims/caribbean-2025.csv >"$TMP/claim.err" 2>&1 ||
    ! "$O" claim add --db "$TMP/f.db" --kind incident -F 2025-10-23T18:00Z -T 2025-10-23T19:00Z \
        --area "circle:11.45,-63.10,20 km" --text "a strike on a small boat off Paria" \
        >>"$TMP/claim.err" 2>&1 ||
    ! "$O" claim add --db "$TMP/f.db" --kind presence --asset hex:adf000 -F 2025-10-22 \
        -T 2025-10-23 --text "an aircraft never seen on ADS-B was there" >>"$TMP/claim.err" 2>&1; then
    echo "not ok - fixture claims (claim import, claim add)"
    cat "$TMP/claim.err" >&2
    exit 0
fi
"$O" serve --db "$TMP/f.db" --listen 127.0.0.1:0 --port-file "$TMP/port" 2>"$TMP/serve.err" &
PID=$!
i=0
while [ ! -s "$TMP/port" ] && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
if [ ! -s "$TMP/port" ]; then
    echo "not ok - orbat serve did not start"
    cat "$TMP/serve.err" >&2
    exit 0
fi
PORT=$(cat "$TMP/port")
for t in tests/browser/*.mjs; do
    [ -f "$t" ] || continue
    if ! CHROMIUM=$CHROMIUM timeout 120 node "$t" "http://127.0.0.1:$PORT" "$ART"; then
        echo "not ok - $(basename "$t") exited with an error"
    fi
done
