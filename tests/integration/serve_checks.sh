#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# serve_checks.sh - the newcomer review (2026-12-07) on a small SIMULATED
# database (caribbean-2025 scenario, 22-24 Oct 2025):
#  1. orbat serve refuses a database file that does not exist (and does not
#     create it); orbat run still creates its database (it writes);
#  2. a listen port outside 0..65535 is refused by serve, run and a config
#     file (it used to bind PORT mod 65536);
#  3. /data/receiver.json's default site lies in the Caribbean theatre, not
#     at the centre of every stored position (off Florida);
#  4. plane-alert-db's "????" registration does not reach aircraft.json.
set -u
ORBAT=${ORBAT:-build/orbat}
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
case $ORBAT in /*) ;; *) ORBAT=$(pwd)/$ORBAT ;; esac
T=$(mktemp -d)
SPID=
RPID=
trap '[ -n "$SPID" ] && kill "$SPID" 2>/dev/null; [ -n "$RPID" ] && kill "$RPID" 2>/dev/null; rm -rf "$T"' EXIT
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1"; }
wait_port() { # port file, pid
    i=0
    while [ ! -s "$1" ] && [ $i -lt 150 ] && kill -0 "$2" 2>/dev/null; do
        sleep 0.1
        i=$((i + 1))
    done
    [ -s "$1" ]
}

# ---- 1: a missing database ----
"$ORBAT" serve --db "$T/nope.db" --listen 127.0.0.1:0 >"$T/s.out" 2>"$T/s.err" &
SPID=$!
i=0
while kill -0 "$SPID" 2>/dev/null && [ $i -lt 50 ]; do
    sleep 0.1
    i=$((i + 1))
done
if kill -0 "$SPID" 2>/dev/null; then
    nok "serve with a missing database is still running"
    kill "$SPID"
    wait "$SPID" 2>/dev/null
else
    wait "$SPID"
    rc=$?
    if [ "$rc" -eq 1 ] && grep -q "no database $T/nope.db" "$T/s.err"; then
        ok "serve --db MISSING: rc 1, '$(head -n 1 "$T/s.err")'"
    else
        nok "serve --db MISSING: rc $rc, $(head -c 200 "$T/s.err")"
    fi
fi
SPID=
if [ -e "$T/nope.db" ]; then nok "serve created the missing database"; else ok "serve created no file"; fi

"$ORBAT" run --db "$T/new.db" --theatre none --listen 127.0.0.1:0 --port-file "$T/rport" \
    --spool-dir "$T/spool" >"$T/r.out" 2>"$T/r.err" &
RPID=$!
if wait_port "$T/rport" "$RPID" && [ -s "$T/new.db" ]; then
    ok "run creates its database ($(wc -c <"$T/new.db") bytes) and listens"
else
    nok "run did not create its database: $(head -c 300 "$T/r.err")"
fi
kill "$RPID" 2>/dev/null
wait "$RPID" 2>/dev/null
RPID=

# ---- 2: listen ports ----
: >"$T/empty.db"
"$ORBAT" simulate "$ROOT/scenarios/caribbean-2025.json" --from 2025-10-22 --to 2025-10-24 \
    --out-ais "$T/c.ais" --out-sbs "$T/c.sbs" 2>/dev/null &&
    "$ORBAT" ingest -q --db "$T/sim.db" "$T/c.ais" "$T/c.sbs" >/dev/null 2>&1
[ -s "$T/sim.db" ] && ok "simulated 22-24 Oct and ingested" || nok "simulate/ingest failed"
for p in 99999 65536 -1 8o80; do
    timeout 10 "$ORBAT" serve --db "$T/sim.db" --listen "127.0.0.1:$p" >/dev/null 2>"$T/p.err"
    rc=$?
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && grep -q "port.*0\.\.65535" "$T/p.err"; then
        ok "serve --listen 127.0.0.1:$p refused: $(head -n 1 "$T/p.err")"
    else
        nok "serve --listen 127.0.0.1:$p: rc $rc, $(head -c 200 "$T/p.err")"
    fi
done
timeout 10 "$ORBAT" run --db "$T/sim.db" --listen 127.0.0.1:99999 >/dev/null 2>"$T/p.err"
rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && grep -q "out of range 0..65535" "$T/p.err"; then
    ok "run --listen 127.0.0.1:99999 refused"
else
    nok "run --listen 127.0.0.1:99999: rc $rc, $(head -c 200 "$T/p.err")"
fi
printf '[server]\nlisten = 127.0.0.1:70000\n' >"$T/bad.conf"
timeout 10 "$ORBAT" run --config "$T/bad.conf" --db "$T/sim.db" >/dev/null 2>"$T/p.err"
rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && grep -q "bad.conf:2: listen:.*out of range" "$T/p.err"; then
    ok "[server] listen = 127.0.0.1:70000 refused with file:line"
else
    nok "config listen 70000: rc $rc, $(head -c 200 "$T/p.err")"
fi

# ---- 3 and 4: receiver.json and aircraft.json ----
"$ORBAT" serve --db "$T/sim.db" --listen 127.0.0.1:0 --port-file "$T/port" >/dev/null 2>"$T/s.err" &
SPID=$!
if ! wait_port "$T/port" "$SPID"; then
    nok "serve did not start: $(head -c 300 "$T/s.err")"
    exit 1
fi
U=http://127.0.0.1:$(cat "$T/port")
curl -s "$U/data/receiver.json" >"$T/rec.json"
lat=$(sed -n 's/.*"lat":\([-0-9.]*\).*/\1/p' "$T/rec.json")
lon=$(sed -n 's/.*"lon":\([-0-9.]*\).*/\1/p' "$T/rec.json")
# The caribbean theatre (data/geo): about 8..20N, 58..76W.
if [ -n "$lat" ] && awk -v a="$lat" -v o="$lon" 'BEGIN { exit !(a > 8 && a < 20 && o > -76 && o < -58) }'; then
    ok "receiver.json default site $lat,$lon is in the Caribbean theatre"
else
    nok "receiver.json default site '$lat,$lon' is outside the theatre"
fi
curl -s "$U/data/aircraft.json?as_of=2025-10-23T18:20Z" >"$T/ac.json"
if grep -q '"hex":"ae6bd2"' "$T/ac.json"; then
    ok "aircraft.json lists BARB22 (ae6bd2) at 18:20Z"
else
    nok "aircraft.json has no ae6bd2: $(head -c 300 "$T/ac.json")"
fi
if grep -q '????' "$T/ac.json"; then
    nok "aircraft.json carries a ???? placeholder: $(grep -o '.\{80\}????.\{40\}' "$T/ac.json" | head -n 1)"
else
    ok "aircraft.json carries no ???? placeholder"
fi
curl -s "$U/api/assets?as_of=2025-10-24" >"$T/assets.json"
if [ -s "$T/assets.json" ] && ! grep -q '????' "$T/assets.json"; then
    ok "/api/assets carries no ???? name"
else
    nok "/api/assets: ???? or empty"
fi
