#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# cli_outside_checks.sh - issue 18 items 8-17 on a small SIMULATED database
# (caribbean-2025 scenario, 20-23 Oct 2025): simulated data labelled in
# exports, /api/events, /api/assets/ID and /data/aircraft.json (8); CSV
# source without directories (10); order-of-battle reasons as an array
# (11); one meaning per short option letter, from every command's usage
# (12); events --type checked (13); evidence --limit/--from/--to (14);
# serve from another directory and its URL (15); decode tcp:// says the
# connection is refused and when it retries (16); table names not cut (17).
# Item 9 (placeholder names) is in tests/unit/test_report.c.
set -u
ORBAT=${ORBAT:-build/orbat}
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
case $ORBAT in /*) ;; *) ORBAT=$(pwd)/$ORBAT ;; esac
T=$(mktemp -d)
SPID=
trap '[ -n "$SPID" ] && kill "$SPID" 2>/dev/null; rm -rf "$T"' EXIT
DB=$T/sim.db
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1"; }
check() { # name, then a command that must succeed
    n=$1
    shift
    if "$@" >/dev/null 2>&1; then ok "$n"; else nok "$n"; fi
}

"$ORBAT" simulate "$ROOT/scenarios/caribbean-2025.json" --from 2025-10-20 --to 2025-10-23 \
    --out-ais "$T/c.ais" --out-sbs "$T/c.sbs" 2>/dev/null &&
    "$ORBAT" ingest -q --db "$DB" "$T/c.ais" "$T/c.sbs" >/dev/null 2>&1
check "simulated 20-23 Oct and ingested" test -s "$DB"

# ---- 8: simulated data labelled ----
"$ORBAT" export --db "$DB" --format geojson >"$T/x.geojson" 2>/dev/null
check "geojson export: top-level notice and simulated_sources" \
    grep -q '"simulated_sources":2,"sources":2,"notice":"SIMULATED DATA' "$T/x.geojson"
nf=$(grep -c '"type":"Feature"' "$T/x.geojson")
ns=$(grep -c '"simulated":true' "$T/x.geojson")
if [ "$nf" -gt 0 ] && [ "$nf" -eq "$ns" ]; then ok "geojson export: all $nf features say simulated:true"; else nok "geojson export: $ns of $nf features labelled"; fi
"$ORBAT" export --db "$DB" --format kml >"$T/x.kml" 2>/dev/null
check "kml export: document name and description say SIMULATED DATA" \
    grep -q '<name>orbat export - SIMULATED DATA</name>' "$T/x.kml"
check "kml export: simulated Data item" grep -q '<Data name="simulated"><value>true' "$T/x.kml"
"$ORBAT" export --db "$DB" --format csv >"$T/x.csv" 2>/dev/null
check "csv export: simulated column in the header" sh -c "head -1 '$T/x.csv' | grep -q ',detail,simulated\$'"
bad=$(awk -F, 'NR > 1 && $NF != "true"' "$T/x.csv" | wc -l)
if [ "$bad" -eq 0 ] && [ "$(wc -l <"$T/x.csv")" -gt 1 ]; then ok "csv export: every row simulated=true"; else nok "csv export: $bad rows not labelled"; fi
# ---- 9: no placeholder folder names ----
check "kml export: no ???? folder name" sh -c "! grep -q '<name>?*</name>' '$T/x.kml'"
# ---- 10: no absolute paths in the CSV ----
check "csv export: source without directories" sh -c "! grep -q '$T' '$T/x.csv' && grep -q ',c.ais,' '$T/x.csv'"
# ---- 11: reasons as an array ----
"$ORBAT" report --db "$DB" --as-of 2025-10-23 --format json >"$T/oob.json" 2>/dev/null
check "report json: reasons is an array of {rule, evidence}" \
    grep -q '"reasons":\[{"rule":"[A-Z_.]*","evidence":"' "$T/oob.json"
check "report json: no reasons string" sh -c "! grep -q '\"reasons\":\"' '$T/oob.json'"

# ---- 13: events --type ----
"$ORBAT" events --db "$DB" --type nosuchtype >"$T/o" 2>"$T/e"
rc=$?
if [ "$rc" -eq 2 ] && grep -q "unknown event type 'nosuchtype'.*first_seen.*orbit" "$T/e"; then
    ok "events --type nosuchtype: rc 2, lists the valid types"
else
    nok "events --type nosuchtype: rc $rc, $(cat "$T/e")"
fi
check "events --type approach still works" "$ORBAT" events --db "$DB" --type approach
"$ORBAT" events --db "$DB" --format json >"$T/ev.json" 2>/dev/null
check "events json: each event simulated:true and a notice" \
    sh -c "grep -q '\"simulated\":true}' '$T/ev.json' && grep -q '\"notice\":\"SIMULATED DATA' '$T/ev.json'"

# ---- 14: evidence --limit/--from/--to ----
"$ORBAT" evidence --db "$DB" 'USS Minneapolis-Saint Paul' >"$T/evd" 2>/dev/null
shown=$(grep -c '^  2025-' "$T/evd")
if grep -q '^  100 observations shown, [0-9]* more not shown' "$T/evd" && [ "$shown" -le 110 ]; then
    ok "evidence: default limit 100 and 'N more not shown'"
else
    nok "evidence: $shown lines, no 'more not shown' line"
fi
"$ORBAT" evidence --db "$DB" --limit 5 --format json 'USS Minneapolis-Saint Paul' >"$T/evd.json" 2>"$T/e"
n=$(grep -o '"offset":' "$T/evd.json" | wc -l)
if [ "$n" -le 6 ] && grep -q '"observations_not_shown":[1-9]' "$T/evd.json" && grep -q 'more observations not shown' "$T/e"; then
    ok "evidence --limit 5 --format json: $n observations, the rest counted"
else
    nok "evidence --limit 5: $n observations"
fi
all=$("$ORBAT" evidence --db "$DB" --limit 0 'USS Minneapolis-Saint Paul' 2>/dev/null | grep -c '^  2025-')
win=$("$ORBAT" evidence --db "$DB" --limit 0 --from 2025-10-21 --to 2025-10-22 'USS Minneapolis-Saint Paul' 2>/dev/null | grep -c '^  2025-10-21')
if [ "$all" -gt 100 ] && [ "$win" -gt 0 ] && [ "$win" -lt "$all" ]; then
    ok "evidence --limit 0 shows all ($all); --from/--to narrow it ($win)"
else
    nok "evidence --limit 0: $all, --from/--to: $win"
fi

# ---- 17: names not cut ----
"$ORBAT" report --db "$DB" --as-of 2025-10-23 >"$T/oob.txt" 2>/dev/null
check "report table: 'USS Minneapolis-Saint Paul' and 'amphibious transport dock' whole" \
    sh -c "grep -q 'USS Minneapolis-Saint Paul ' '$T/oob.txt' && grep -q 'amphibious transport dock ' '$T/oob.txt'"

# ---- 12: one meaning per short option letter ----
# The mapping, one letter per line; every command's usage must agree with it
# and every letter its getopt string accepts must be in its usage.
cat >"$T/map" <<'MAP'
F from
N no-default-registry
S source
T to
a as-of
b by
c config
d db
f format
g geo
i input
l listen
n name
o output
q quiet
r registry
s stats
t theatre
w window
y type
MAP
cmds=$("$ORBAT" --help 2>&1 | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }')
: >"$T/seen"
for c in $cmds; do
    "$ORBAT" "$c" --help 2>&1 | sed -n 's/^ *-\([A-Za-z]\), --\([a-z-]*\).*/\1 \2/p' | grep -v '^h help$' |
        sed "s/\$/ $c/" >>"$T/seen"
done
nseen=$(wc -l <"$T/seen")
bad=$(awk 'NR == FNR { m[$1] = $2; next } m[$1] != $2 { print $3 ": -" $1 " = --" $2 }' "$T/map" "$T/seen")
if [ "$nseen" -gt 30 ] && [ -z "$bad" ]; then
    ok "short options: $nseen uses in $(echo $cmds | wc -w) commands, one meaning per letter"
else
    nok "short options with another meaning: $bad"
fi
# getopt strings in the sources: each letter (but h) documented in that command's usage
bad=
for f in "$ROOT"/src/cli/cmd_*.c; do
    c=$(basename "$f" .c)
    c=${c#cmd_}
    letters=$(sed -n 's/.*getopt_long(argc, argv, "\([^"]*\)".*/\1/p' "$f" | tr -d ':h')
    for l in $(echo "$letters" | fold -w1); do
        grep -q "^$l [a-z-]* $c\$" "$T/seen" || bad="$bad $c:-$l"
    done
done
if [ -z "$bad" ]; then ok "short options: every letter getopt accepts is in its command's usage"; else nok "short options accepted but not documented:$bad"; fi

# ---- 16: decode tcp:// refused ----
timeout 2 "$ORBAT" decode tcp://127.0.0.1:1 >/dev/null 2>"$T/e"
if grep -q '127.0.0.1:1: Connection refused; retrying in [0-9.]* s' "$T/e"; then
    ok "decode tcp://127.0.0.1:1: says refused and when it retries"
else
    nok "decode tcp://127.0.0.1:1: stderr '$(head -2 "$T/e")'"
fi

# ---- 15 and 8: serve from another directory ----
mkdir "$T/elsewhere"
(cd "$T/elsewhere" && exec "$ORBAT" serve --db "$DB" --listen 127.0.0.1:0 --port-file "$T/port") 2>"$T/serve.err" &
SPID=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 50 ]; do
    sleep 0.1
    i=$((i + 1))
done
P=$(cat "$T/port" 2>/dev/null)
check "serve: URL with the real port on stderr" grep -q "listening on http://127.0.0.1:$P/" "$T/serve.err"
check "serve: no warning about web/geo from another directory" sh -c "! grep -q warning '$T/serve.err'"
if command -v curl >/dev/null 2>&1 && [ -n "$P" ]; then
    U=http://127.0.0.1:$P
    code=$(curl -s -o /dev/null -w '%{http_code}' "$U/")
    geo=$(ls "$ROOT/data/geo" | grep '\.geojson$' | head -1)
    gcode=$(curl -s -o /dev/null -w '%{http_code}' "$U/geo/$geo")
    if [ "$code" = 200 ] && [ "$gcode" = 200 ]; then ok "serve from another directory: / and /geo/$geo are 200"; else nok "serve from another directory: / $code, /geo/ $gcode"; fi
    curl -s "$U/api/events?type=approach" >"$T/api.ev"
    check "/api/events labels simulated data" grep -q '"simulated":true' "$T/api.ev"
    id=$(sed -n 's/.*"asset_id":\([0-9]*\),"kind":"ship".*/\1/p' "$T/oob.json" | head -1)
    curl -s "$U/api/assets/$id?from=2025-10-22&to=2025-10-22T01:00Z" >"$T/api.as"
    check "/api/assets/$id labels simulated data" sh -c "grep -q '\"simulated\":true' '$T/api.as' && grep -q '\"notice\":\"SIMULATED' '$T/api.as'"
    curl -s "$U/data/aircraft.json?as_of=2025-10-22T12:00Z" >"$T/api.ac"
    check "/data/aircraft.json labels simulated data" grep -q '"notice":"SIMULATED DATA' "$T/api.ac"
else
    ok "SKIP curl is not installed"
fi
