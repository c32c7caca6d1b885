#!/bin/sh
# tests/integration/ingest_classes.sh - ships and aircraft run on separate
# events engines (each on its own data clock) in `orbat ingest` and `orbat
# track`, so an AIS file and an SBS file give the same events in either
# order, and the aircraft's events are those of the SBS file alone; and the
# aircraft's last velocity (SBS MSG,4, DF17 TC 19) is carried into its
# stored positions (at most 60 s old), checked against the input lines, on
# the SIMULATED caribbean-2025 scenario and on real captures, and served as
# gs/track in /data/aircraft.json.
set -u
O=${ORBAT:-build/orbat}
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
SHARED=${SHARED:-$ROOT/../shared}
cd "$ROOT" || exit 1
TMP=$(mktemp -d)
PID=
cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
check() { # description, command...
    d=$1
    shift
    if "$@" >"$TMP/check.out" 2>&1; then
        echo "ok - $d"
    else
        echo "not ok - $d"
        head -5 "$TMP/check.out" >&2
    fi
}
if ! command -v sqlite3 >/dev/null || ! command -v python3 >/dev/null; then
    echo "not ok - sqlite3 and python3 are needed (apt-get install sqlite3 python3)"
    exit 0
fi
q() { sqlite3 "$1" "$2"; }

# Two days of both classes: the AIS file ends days after the SBS file
# begins, so one shared clock would be ahead of every aircraft.
if ! "$O" simulate scenarios/caribbean-2025.json --from 2025-10-20 --to 2025-10-22 \
    --out-ais "$TMP/s.nmea" --out-sbs "$TMP/s.sbs" 2>"$TMP/sim.err"; then
    echo "not ok - simulate"
    cat "$TMP/sim.err" >&2
    exit 0
fi
for x in as:s.nmea,s.sbs sa:s.sbs,s.nmea s:s.sbs a:s.nmea; do
    db=${x%%:*}
    files=$(echo "${x#*:}" | tr ',' ' ')
    set --
    for f in $files; do set -- "$@" "$TMP/$f"; done
    check "ingest $files" "$O" ingest -q --db "$TMP/$db.db" "$@"
done
EV="SELECT a.key, e.type, e.t_ms, e.lat, e.lon, e.detail FROM events e
    JOIN assets a ON a.id = e.asset_id"
q "$TMP/as.db" "$EV ORDER BY 1, 2, 3" >"$TMP/ev.as"
q "$TMP/sa.db" "$EV ORDER BY 1, 2, 3" >"$TMP/ev.sa"
q "$TMP/as.db" "$EV WHERE a.kind = 2 ORDER BY 1, 2, 3" >"$TMP/ev.as.air"
q "$TMP/s.db" "$EV ORDER BY 1, 2, 3" >"$TMP/ev.s"
q "$TMP/as.db" "$EV WHERE a.kind = 1 ORDER BY 1, 2, 3" >"$TMP/ev.as.ship"
q "$TMP/a.db" "$EV ORDER BY 1, 2, 3" >"$TMP/ev.a"
n=$(wc -l <"$TMP/ev.as")
check "events of [AIS, SBS] and [SBS, AIS] are the same ($n)" cmp "$TMP/ev.as" "$TMP/ev.sa"
check "there are events of both classes" test -s "$TMP/ev.as.air" -a -s "$TMP/ev.as.ship"
check "aircraft events of [AIS, SBS] = those of the SBS file alone" cmp "$TMP/ev.as.air" "$TMP/ev.s"
check "ship events of [AIS, SBS] = those of the AIS file alone" cmp "$TMP/ev.as.ship" "$TMP/ev.a"
ndark=$(grep -c '|dark|' "$TMP/ev.as.air")
check "aircraft dark events after the AIS file ($ndark)" test "$ndark" -gt 0

# Within a class the sources must come in time order: said on stderr (also
# with -q), and not for [AIS, SBS] of the same days.
"$O" ingest -q --db "$TMP/as2.db" "$TMP/s.nmea" "$TMP/s.sbs" 2>"$TMP/as2.err"
check "[AIS, SBS] of the same days: no out-of-order warning" test ! -s "$TMP/as2.err"
"$O" simulate scenarios/caribbean-2025.json --from 2025-10-23 --to 2025-10-24 \
    --out-sbs "$TMP/late.sbs" 2>/dev/null
"$O" ingest -q --db "$TMP/late.db" "$TMP/late.sbs" "$TMP/s.sbs" "$TMP/s.nmea" 2>"$TMP/late.err"
check "an SBS file of 23 Oct before one of 20-22 Oct: warned ($(cut -c1-90 "$TMP/late.err"))" \
    grep -q '^orbat ingest: warning: out of order: 0 ship and [1-9][0-9]* aircraft observations' \
    "$TMP/late.err"

# orbat track: the same in both orders
"$O" track "$TMP/s.nmea" "$TMP/s.sbs" 2>/dev/null | sort >"$TMP/tr.as"
"$O" track "$TMP/s.sbs" "$TMP/s.nmea" 2>/dev/null | sort >"$TMP/tr.sa"
grep '"kind":"aircraft"' "$TMP/tr.as" | grep -c '"type":"dark"' >"$TMP/tr.dark"
check "orbat track: [AIS, SBS] and [SBS, AIS] print the same events ($(wc -l <"$TMP/tr.as"))" \
    cmp "$TMP/tr.as" "$TMP/tr.sa"
check "orbat track: aircraft dark events ($(cat "$TMP/tr.dark"))" test "$(cat "$TMP/tr.dark")" -gt 0

# Velocity: every stored aircraft position with speed has the ground speed
# and track of an SBS MSG,4 line of that aircraft at most 60 s before it,
# and none without speed has such a line (strictly) before it.
cat >"$TMP/vel.py" <<'EOF'
import sys, datetime, bisect
sbs, obs, want = sys.argv[1], sys.argv[2], float(sys.argv[3])
vel = {}
for line in open(sbs, errors="replace"):
    f = line.rstrip("\r\n").split(",")
    if len(f) < 16 or f[0] != "MSG" or f[1] != "4" or not f[12] or not f[13]:
        continue
    t = datetime.datetime.strptime(f[6] + " " + f[7], "%Y/%m/%d %H:%M:%S.%f")
    ms = round(t.replace(tzinfo=datetime.timezone.utc).timestamp() * 1000)
    vel.setdefault(f[4].lower(), []).append((ms, float(f[12]), float(f[13])))
n = with_v = bad = missed = 0
for line in open(obs):
    key, t, sog, cog = line.rstrip("\n").split("|")
    hexid, t = key.split(":")[1], int(t)
    v = sorted(vel.get(hexid, []))
    i = bisect.bisect_right([x[0] for x in v], t)
    recent = [x for x in v[:i] if t - x[0] <= 60000]
    n += 1
    if sog == "":
        if any(x[0] < t for x in recent):
            missed += 1
        continue
    with_v += 1
    if not any(abs(x[1] - float(sog)) < 0.05 and abs(x[2] - float(cog)) < 0.05 for x in recent):
        bad += 1
print(f"{with_v}/{n} aircraft positions with speed, {bad} not from a MSG,4 <= 60 s before, "
      f"{missed} without although one was")
sys.exit(0 if n and bad == 0 and missed == 0 and with_v >= want * n else 1)
EOF
OBSQ="SELECT a.key, o.t_ms, o.sog, o.cog FROM observations o JOIN assets a
    ON a.id = o.asset_id WHERE a.kind = 2"
q "$TMP/as.db" "$OBSQ" >"$TMP/obs.sim"
check "simulated SBS: $(python3 "$TMP/vel.py" "$TMP/s.sbs" "$TMP/obs.sim" 0.8 2>&1)" \
    python3 "$TMP/vel.py" "$TMP/s.sbs" "$TMP/obs.sim" 0.8

C=$SHARED/testdata/adsb/captures
RSBS=$C/ulss7_via_dump1090-mutability/ulss7.sbs
RBEAST=$C/beastblackbox_ulss7/ulss7-beast-bin-utc--1522782148.136310917--.log
if [ -r "$RSBS" ] && [ -r "$RBEAST" ]; then
    check "ingest real SBS capture" "$O" ingest -q --db "$TMP/r.db" "$RSBS"
    q "$TMP/r.db" "$OBSQ" >"$TMP/obs.real"
    check "real SBS: $(python3 "$TMP/vel.py" "$RSBS" "$TMP/obs.real" 0.8 2>&1)" \
        python3 "$TMP/vel.py" "$RSBS" "$TMP/obs.real" 0.8
    check "ingest real Beast capture" "$O" ingest -q --start 2018-04-03T19:02Z \
        --db "$TMP/b.db" "$RBEAST"
    nb=$(q "$TMP/b.db" "SELECT count(*) || ' ' || sum(sog IS NOT NULL AND cog IS NOT NULL
        AND sog BETWEEN 0 AND 700 AND cog BETWEEN 0 AND 360) FROM observations")
    check "real Beast (DF17 TC 19): positions with speed and track: ${nb#* } of ${nb% *}" \
        test "${nb#* }" -ge $((${nb% *} * 8 / 10)) -a "${nb% *}" -gt 0
else
    echo "not ok - real captures missing under $C"
fi

# aircraft.json serves them as gs and track
"$O" serve --db "$TMP/as.db" --listen 127.0.0.1:0 --port-file "$TMP/port" 2>"$TMP/serve.err" &
PID=$!
i=0
while [ ! -s "$TMP/port" ] && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
PORT=$(cat "$TMP/port" 2>/dev/null)
if [ -n "$PORT" ] && command -v curl >/dev/null; then
    curl -s "http://127.0.0.1:$PORT/data/aircraft.json?as_of=2025-10-21T12:00Z" >"$TMP/ac.json"
    r=$(python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))["aircraft"]
print(len(a), sum(1 for x in a if "gs" in x and "track" in x))' "$TMP/ac.json" 2>&1)
    check "aircraft.json: aircraft with gs and track: ${r#* } of ${r% *}" \
        test "${r% *}" -gt 0 -a "${r#* }" -gt 0
else
    echo "not ok - orbat serve did not start (or no curl)"
    cat "$TMP/serve.err" >&2
fi
