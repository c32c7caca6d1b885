#!/bin/sh
# tests/golden/sim_e2e.sh - end to end on the SIMULATED caribbean-2025
# scenario: orbat simulate (15 Sep - 28 Oct 2025 window) -> orbat ingest (AIS +
# SBS) -> sighting add -> report / events, compared with the simulator's
# ground truth. Tolerances: counts exact against the truth's *broadcasting*
# figure; AIS gap start +-1 h and length +-3 h (20-min reporting cap plus
# satellite loss); closest approach within 8 nm of the truth (thinned ADS-B
# positions 60 s apart, a B-1B moves ~7.5 nm between them).
set -u
ORBAT=${ORBAT:-build/orbat}
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
DB=$T/e2e.db
if ! "$ORBAT" simulate "$ROOT/scenarios/caribbean-2025.json" --from 2025-09-15 --to 2025-10-28 \
    --out-ais "$T/c.ais" --out-sbs "$T/c.sbs" --truth "$T/truth.json" \
    --sightings "$T/s.tsv" 2>"$T/err"; then
    echo "not ok - simulate failed: $(head -3 "$T/err")"
    exit 1
fi
echo "ok - simulated caribbean-2025, 15 Sep - 28 Oct"
if ! "$ORBAT" ingest -q --db "$DB" "$T/c.ais" "$T/c.sbs" >"$T/ingest.out" 2>&1; then
    echo "not ok - ingest failed: $(tail -3 "$T/ingest.out")"
    exit 1
fi
echo "ok - ingested the simulated AIS and SBS"

# truth value: the number after "KEY": in the order_of_battle entry for AS_OF
truth_oob() { # AS_OF KEY
    awk -v d="\"as_of\": \"$1\"" -v k="\"$2\": " '
        index($0, d) { on = 1 }
        on && index($0, k) { s = substr($0, index($0, k) + length(k)); print s + 0; exit }' \
        "$T/truth.json"
}
want=$(truth_oob 2025-10-23T12:00:00Z military_ships_broadcasting)
got=$("$ORBAT" report --db "$DB" --as-of 2025-10-23T12:00Z --format json 2>/dev/null |
    grep -c '"category":"warship"')
if [ -n "$want" ] && [ "$got" -eq "$want" ]; then
    echo "ok - order of battle 2025-10-23: $got warships = truth's $want broadcasting"
else
    echo "not ok - order of battle 2025-10-23: $got warships, truth says ${want:-?} broadcasting"
fi

# AIS gap of USS Jason Dunham (369970347): truth from/hours vs the ais_gap event.
gap_line=$(grep -A3 '"mmsi": 369970347' "$T/truth.json" | grep -m1 '"from"' || true)
"$ORBAT" events --db "$DB" --format json 2>/dev/null |
    grep '"type":"ais_gap"' | grep '"id":"369970347"' >"$T/gap.json" || true
ev_t=$(sed -n 's/.*"time":"\([^"]*\)".*/\1/p' "$T/gap.json" | head -1)
ev_h=$(sed -n 's/.*gap_h=\([0-9.]*\).*/\1/p' "$T/gap.json" | head -1)
case "$ev_t" in
2025-09-30T23:* | 2025-10-01T00:*) t_ok=1 ;;
*) t_ok=0 ;;
esac
if [ "$t_ok" = 1 ] && [ -n "$ev_h" ] && awk -v h="$ev_h" 'BEGIN { exit !(h >= 33 && h <= 39) }'; then
    echo "ok - AIS gap of Jason Dunham at $ev_t, $ev_h h (truth 2025-10-01T00:00Z, 36 h)"
else
    echo "not ok - AIS gap of Jason Dunham: event '${ev_t:-none}' ${ev_h:-?} h; truth $gap_line"
fi

# Port visit of USS Gravely (369970634) to Port of Spain: truth arrival
# 2025-10-26T13:10Z (port_visits in the truth file); tolerance ~2 h, since
# positions are thinned and the 3 km circle is crossed before the berth.
pv=$("$ORBAT" events --db "$DB" --format json --type arrival 2>/dev/null |
    grep '"id":"369970634"' | grep 'Port of Spain' | head -1)
pv_t=$(printf '%s' "$pv" | sed -n 's/.*"time":"\([^"]*\)".*/\1/p')
case "$pv_t" in
2025-10-26T1[1-5]:*) echo "ok - port visit: Gravely arrives at Port of Spain $pv_t (truth 13:10Z)" ;;
*) echo "not ok - port visit of Gravely to Port of Spain: '${pv_t:-no arrival event}'" ;;
esac

# Closest approach of BARB21 (ae6bd1) to the Venezuelan coast on 23 Oct.
truth_nm=$(awk '/"approaches"/ { ap = 1 }
    ap && /"asset": "b1b-barb21"/ { on = 1 }
    on && /"target"/ && !/Los Testigos/ { on = 0 }
    on && /"closest_nm"/ { print $2 + 0; exit }' "$T/truth.json")
min_nm=$("$ORBAT" events --db "$DB" --format json --since 2025-10-23T00:00Z \
    --until 2025-10-24T00:00Z 2>/dev/null | grep '"type":"approach"' | grep '"id":"ae6bd1"' |
    grep 'venezuela_coast' | sed -n 's/.*dist_nm=\([0-9.]*\).*/\1/p' | sort -n | head -1)
if [ -n "$min_nm" ] && [ -n "$truth_nm" ] &&
    awk -v a="$min_nm" -v b="$truth_nm" 'BEGIN { d = a - b; exit !(d <= 8 && d >= -8) }'; then
    echo "ok - BARB21 closest approach $min_nm nm to the coast (truth $truth_nm nm to Los Testigos)"
else
    echo "not ok - BARB21 approach: event ${min_nm:-none} nm, truth ${truth_nm:-?} nm"
fi

# B-52 flight of 15 Oct: all three bombers in the order of battle that day.
n_b52=$("$ORBAT" report --db "$DB" --as-of 2025-10-15T23:00Z --window 1d --format json \
    2>/dev/null | grep -c '"callsign":"BUNNY0')
if [ "$n_b52" -eq 3 ]; then
    echo "ok - three B-52H (BUNNY01-03) in the order of battle on 2025-10-15"
else
    echo "not ok - B-52H on 2025-10-15: $n_b52 of 3"
fi

# Manual sighting of the dark MV Ocean Trader joins the order of battle.
tab=$(printf '\t')
tail -n +2 "$T/s.tsv" | while IFS="$tab" read -r name time lat lon src note; do
    "$ORBAT" sighting add --db "$DB" --name "$name" --time "$time" --lat "$lat" --lon "$lon" \
        --source "$src" --note "$note" >/dev/null 2>&1 || echo "sighting add failed: $name"
done >"$T/sight.err"
if [ -s "$T/sight.err" ]; then
    echo "not ok - $(head -1 "$T/sight.err")"
else
    echo "ok - added $(($(wc -l <"$T/s.tsv") - 1)) simulated sightings"
fi
if "$ORBAT" report --db "$DB" --as-of 2025-09-21T00:00Z --format json 2>/dev/null |
    grep -i '"name":"[^"]*ocean trader' | grep -q '"sightings":[1-9]'; then
    echo "ok - dark ship Ocean Trader in the order of battle from its sighting (2025-09-20)"
else
    echo "not ok - Ocean Trader not in the order of battle after its sighting"
fi

# Every output built from simulated sources says so (issue 8): the report and
# timeline text, the timeline chart, and a warning on stderr where the format
# has no room for a label (events, exports).
"$ORBAT" timeline --db "$DB" --svg "$T/tl.svg" >"$T/tl.txt" 2>/dev/null
"$ORBAT" events --db "$DB" >/dev/null 2>"$T/ev.err"
"$ORBAT" export --db "$DB" --format geojson >/dev/null 2>"$T/ex.err"
if grep -q "SIMULATED DATA" "$T/tl.txt" && grep -q "SIMULATED DATA" "$T/tl.svg" &&
    grep -q "SIMULATED DATA" "$T/ev.err" && grep -q "SIMULATED DATA" "$T/ex.err"; then
    echo "ok - timeline table, timeline chart, events and export are labelled SIMULATED DATA"
else
    echo "not ok - a simulated-data label is missing (timeline/svg/events/export)"
fi
