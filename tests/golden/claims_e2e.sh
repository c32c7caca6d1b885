#!/bin/sh
# tests/golden/claims_e2e.sh - orbat claim on the SIMULATED caribbean-2025
# scenario (19 Sep - 24 Oct 2025), verdicts and measured values checked
# against truth computed from the scenario geometry, not from the tracker:
# the simulator's truth file (closest approaches to points, order of battle
# as of 23 Oct) and the scenario's military routes (a point no route comes
# near). Tolerances: a closest approach measured from thinned ADS-B fixes
# (60 s apart, some lost; the route turns near Los Testigos) is at most
# 1 nm below and 4 nm above the truth. Bad input is refused with a message
# and stores nothing; events_seed.csv imports row by row.
set -u
ORBAT=${ORBAT:-build/orbat}
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
SHARED=${SHARED:-$ROOT/../shared}
T=$(mktemp -d)
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$T"' EXIT
DB=$T/c.db
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1"; }

if ! "$ORBAT" simulate "$ROOT/scenarios/caribbean-2025.json" --from 2025-09-19 --to 2025-10-24 \
    --out-ais "$T/c.ais" --out-sbs "$T/c.sbs" --truth "$T/truth.json" \
    --sightings "$T/s.tsv" 2>"$T/err" ||
    ! "$ORBAT" ingest -q --db "$DB" "$T/c.ais" "$T/c.sbs" >"$T/ingest.out" 2>&1; then
    nok "simulate + ingest failed: $(head -3 "$T/err" "$T/ingest.out")"
    exit 1
fi
tab=$(printf '\t')
tail -n +2 "$T/s.tsv" | while IFS="$tab" read -r name time lat lon src note; do
    "$ORBAT" sighting add --db "$DB" --name "$name" --time "$time" --lat "$lat" --lon "$lon" \
        --source "$src" --note "$note" >/dev/null 2>&1
done
ok "simulated and ingested caribbean-2025, 19 Sep - 24 Oct, with sightings"

# truth: field KEY of the approaches entry of ASSET to TARGET
approach() { # ASSET TARGET KEY
    awk -v a="\"asset\": \"$1\"" -v t="\"target\": \"$2" -v k="\"$3\": " '
        index($0, a) { on = 1; tg = 0 }
        on && index($0, t) { tg = 1 }
        on && tg && index($0, k) { s = substr($0, index($0, k) + length(k)); gsub(/[",]/, "", s); print s; exit }
        /^  }/ { on = 0 }' "$T/truth.json"
}
lt_nm=$(approach b1b-barb21 "Los Testigos" closest_nm)
lt_t=$(approach b1b-barb21 "Los Testigos" t)
lt_lat=$(approach b1b-barb21 "Los Testigos" lat)
lt_lon=$(approach b1b-barb21 "Los Testigos" lon)
mg_nm=$(approach b1b-barb21 "Isla Margarita" closest_nm)
oob_n=$(awk '/"as_of": "2025-10-23T12:00:00Z"/ { on = 1 }
    on && /"military_ships_broadcasting"/ { print $2 + 0; exit }' "$T/truth.json")
if [ -z "$lt_nm" ] || [ -z "$mg_nm" ] || [ -z "$oob_n" ] || [ -z "$lt_lat" ]; then
    nok "truth file lacks the approaches or the 23 Oct order of battle"
    exit 1
fi

add() { "$ORBAT" claim add -d "$DB" "$@" 2>>"$T/add.err" | sed -n 's/^claim \([0-9]*\): added.*/\1/p'; }
# 1. supported: "within 20 km of Los Testigos" (truth: $lt_nm nm = 8.2 km)
c1=$(add --kind distance --asset BARB21 -F 2025-10-23 -T 2025-10-24 \
    --ref point:11.38,-63.12 --claim "within 20 km" --text "B-1B within 20 km of Los Testigos" \
    -S https://ukdefencejournal.org.uk/american-b-1-bombers-approach-venezuela -b UKDJ \
    --published 2025-10-24)
# 2. contradicted: "within 6 nmi of Isla Margarita (SVMG)" (truth $mg_nm nm)
c2=$(add --kind distance --asset hex:ae6bd1 -F 2025-10-23 -T 2025-10-24 \
    --ref point:10.9126,-63.9666 --claim "within 6 nmi" -b test)
# 3. no public data: the dark Ocean Trader (known from a sighting only)
c3=$(add --kind distance --asset "OCEAN TRADER" -F 2025-10-04 -T 2025-10-05 \
    --ref venezuela_coast --claim "about 126 km" -b "Maritime Executive")
# 4. counts as of 23 Oct 12:00Z (the report's 7-day window)
c4=$(add --kind count -a 2025-10-23T12:00Z --claim "at least 10 warships" -b "BBC Verify")
c5=$(add --kind count -a 2025-10-23T12:00Z --claim "exactly $oob_n warships" -b test)
c6=$(add --kind count -a 2025-10-23T12:00Z --claim "at most $((oob_n - 3)) warships" -b test)
# 5. incidents: at BARB21's true closest point to Los Testigos, +-30 min; and
# at a point no military route of the scenario comes within 100 nm of
lt_s=$(date -u -d "$lt_t" +%s 2>/dev/null || echo 0)
t0=$(date -u -d "@$((lt_s - 1800))" +%Y-%m-%dT%H:%M:%SZ)
t1=$(date -u -d "@$((lt_s + 1800))" +%Y-%m-%dT%H:%M:%SZ)
c7=$(add --kind incident -F "$t0" -T "$t1" --area "circle:$lt_lat,$lt_lon,20 nm" -b test)
far=$(python3 - "$ROOT/scenarios/caribbean-2025.json" <<'EOF'
import json, math, sys
d = json.load(open(sys.argv[1]))
p = (15.0, -78.0)
k = math.cos(math.radians(p[0]))
best = 1e9
for a in d["assets"]:
    if not a.get("military"):
        continue
    r = a["route"]
    for i in range(len(r) - 1):
        ax, ay = (r[i]["lon"] - p[1]) * k * 60, (r[i]["lat"] - p[0]) * 60
        bx, by = (r[i + 1]["lon"] - p[1]) * k * 60, (r[i + 1]["lat"] - p[0]) * 60
        dx, dy = bx - ax, by - ay
        L = dx * dx + dy * dy
        t = 0 if L == 0 else max(0, min(1, -(ax * dx + ay * dy) / L))
        best = min(best, math.hypot(ax + t * dx, ay + t * dy))
print("%.0f" % best)
EOF
)
c8=$(add --kind incident -F "$t0" -T "$t1" --area "circle:15.0,-78.0,20 km" -b test)
if [ -n "$c1" ] && [ -n "$c2" ] && [ -n "$c3" ] && [ -n "$c4" ] && [ -n "$c5" ] && [ -n "$c6" ] &&
    [ -n "$c7" ] && [ -n "$c8" ] && [ "${far:-0}" -gt 100 ]; then
    ok "8 claims added (no military route within $far nm of the quiet point)"
else
    nok "claims not added: $(head -3 "$T/add.err"); far=$far"
fi

"$ORBAT" claim check -d "$DB" -f json >"$T/all.json" 2>"$T/check.err"
if python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/all.json" 2>/dev/null; then
    ok "claim check --format json is valid JSON"
else
    nok "claim check JSON invalid: $(head -c 300 "$T/all.json") $(head -2 "$T/check.err")"
fi
# field of claim ID from the JSON (python: one dotted path)
jget() { # ID PATH
    python3 - "$T/all.json" "$1" "$2" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
c = [c for c in d["claims"] if c["id"] == int(sys.argv[2])][0]
for k in sys.argv[3].split("."):
    c = c[int(k)] if isinstance(c, list) else c[k]
print(c if not isinstance(c, bool) else str(c).lower())
EOF
}
near() { awk -v a="$1" -v b="$2" -v lo="$3" -v hi="$4" 'BEGIN { exit !(a >= b - lo && a <= b + hi) }'; }

v=$(jget "$c1" verdict) m=$(jget "$c1" measured.nm)
if [ "$v" = supported ] && near "$m" "$lt_nm" 1 4; then
    ok "claim 1 supported: BARB21 closest to Los Testigos $m nm (truth $lt_nm nm)"
else
    nok "claim 1: '$v' $m nm, truth supported at $lt_nm nm"
fi
raw0=$(jget "$c1" fix_pair.0.raw) raw1=$(jget "$c1" fix_pair.1.raw)
case "$raw0|$raw1" in
MSG,3,*AE6BD1*\|MSG,3,*AE6BD1*) ok "claim 1: fix pair with both raw SBS messages" ;;
*) nok "claim 1 fix pair raw: '$raw0' '$raw1'" ;;
esac
km=$(jget "$c1" measured.km)
if awk -v n="$m" -v k="$km" 'BEGIN { d = n * 1.852 - k; exit !(d < 0.01 && d > -0.01) }'; then
    ok "claim 1: measured in nm and km agree ($km km)"
else
    nok "claim 1: $m nm vs $km km"
fi
v=$(jget "$c2" verdict) m=$(jget "$c2" measured.nm) mg=$(jget "$c2" margin.nm)
if [ "$v" = contradicted ] && near "$m" "$mg_nm" 1 4 && awk -v g="$mg" 'BEGIN { exit !(g < -40) }'; then
    ok "claim 2 contradicted: $m nm from Isla Margarita (truth $mg_nm nm), margin $mg nm"
else
    nok "claim 2: '$v' $m nm margin $mg, truth contradicted at $mg_nm nm"
fi
v=$(jget "$c3" verdict)
if [ "$v" = "no public data" ] && [ "$(jget "$c3" measured.nm)" = None ]; then
    ok "claim 3: the dark Ocean Trader gives 'no public data', no value"
else
    nok "claim 3: '$v'"
fi
v4=$(jget "$c4" verdict) n4=$(jget "$c4" measured.value) na=$(jget "$c4" assets_total)
v5=$(jget "$c5" verdict) v6=$(jget "$c6" verdict)
if [ "$v4" = "partly supported" ] && [ "$n4" = "$oob_n" ] && [ "$na" = "$oob_n" ] &&
    [ "$v5" = supported ] && [ "$v6" = contradicted ]; then
    ok "23 Oct counts: $n4 warships = truth's $oob_n broadcasting; at least 10 partly, exactly $oob_n supported, at most $((oob_n - 3)) contradicted"
else
    nok "23 Oct counts: $v4 ($n4, $na assets), $v5, $v6; truth $oob_n"
fi
ev=$(jget "$c4" assets.0.fix.raw)
case "$ev" in *AIVDM*) ok "count evidence: each asset with a raw AIS message" ;; *) nok "count evidence raw '$ev'" ;; esac
v7=$(jget "$c7" verdict) a7=$(jget "$c7" assets.0.callsign) m7=$(jget "$c7" assets.0.military)
if [ "$v7" = "partly supported" ] && [ "$m7" = true ] && case "$a7" in BARB2*) true ;; *) false ;; esac; then
    ok "incident at the B-1B's closest point: military $a7 listed first, partly supported"
else
    nok "incident with military: '$v7' first '$a7' military=$m7"
fi
v8=$(jget "$c8" verdict) n8=$(jget "$c8" measured.value)
if [ "$v8" = "no public data" ] && [ "$n8" = 0 ]; then
    ok "incident far from every military route: no military asset, no public data"
else
    nok "incident without military: '$v8' $n8"
fi
"$ORBAT" claim check "$c7" -d "$DB" >"$T/c7.txt" 2>&1
if grep -q "Small boats rarely carry AIS" "$T/c7.txt" && grep -q "SIMULATED DATA" "$T/c7.txt"; then
    ok "incident table says small boats rarely carry AIS; labelled SIMULATED DATA"
else
    nok "incident table: $(head -5 "$T/c7.txt")"
fi
"$ORBAT" claim check "$c1" -d "$DB" -f markdown >"$T/c1.md" 2>&1
if grep -q '^### Claim [0-9]* (distance): supported' "$T/c1.md" && grep -q 'Data sources' "$T/c1.md" &&
    grep -q 'c.sbs (SIMULATED)' "$T/c1.md" && grep -q '| `MSG,3' "$T/c1.md" &&
    grep -q 'ukdefencejournal' "$T/c1.md"; then
    ok "markdown: verdict heading, evidence rows with raw messages, claim source, data sources"
else
    nok "markdown: $(head -12 "$T/c1.md")"
fi

# ---- the JSON API: /api/claims and /api/claims/ID ----
"$ORBAT" serve --db "$DB" --listen 127.0.0.1:0 --port-file "$T/port" 2>"$T/serve.err" &
PID=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
if python3 - "$(cat "$T/port" 2>/dev/null)" "$c2" <<'EOF'; then
import json, sys, urllib.request, urllib.error
base = "http://127.0.0.1:%s" % sys.argv[1]
d = json.load(urllib.request.urlopen(base + "/api/claims", timeout=10))
assert len(d["claims"]) == 8, len(d["claims"])
c = json.load(urllib.request.urlopen(base + "/api/claims/" + sys.argv[2], timeout=10))
assert c["verdict"] == "contradicted" and c["fix_pair"][0]["raw"].startswith("MSG,3"), c
for bad, code in (("/api/claims/999", 404), ("/api/claims/x", 400)):
    try:
        urllib.request.urlopen(base + bad, timeout=10)
        sys.exit("%s answered 200" % bad)
    except urllib.error.HTTPError as e:
        assert e.code == code, (bad, e.code)
EOF
    ok "/api/claims lists 8 with verdicts; /api/claims/$c2 has the fix pair; 404 and 400 on bad ids"
else
    nok "/api/claims: $(head -3 "$T/serve.err")"
fi
kill "$PID" 2>/dev/null
wait "$PID" 2>/dev/null
PID=

# ---- bad input: a clear error, exit 2, nothing stored ----
nclaims() { "$ORBAT" claim list -d "$DB" -f json 2>/dev/null | grep -o '"id":' | wc -l; }
before=$(nclaims)
bad() { # WANT ARGS...: refused with WANT in the message
    want=$1
    shift
    if "$ORBAT" claim add -d "$DB" "$@" >/dev/null 2>"$T/bad.err"; then
        nok "accepted: $*"
    elif grep -q "$want" "$T/bad.err"; then
        ok "refused ($want)"
    else
        nok "refused without '$want': $(cat "$T/bad.err")"
    fi
}
D="--kind distance -F 2025-10-23 -T 2025-10-24 --ref venezuela_coast"
# shellcheck disable=SC2086
{
    bad "unknown unit 'furlongs'" $D --asset BARB21 --claim "within 6 furlongs"
    bad "'miles' is ambiguous" $D --asset BARB21 --claim "within 6 miles"
    bad "no qualifier" $D --asset BARB21 --claim "6 nmi"
    bad "unknown asset 'NOSUCHPLANE'" $D --asset NOSUCHPLANE --claim "within 6 nmi"
    bad "outside 1970" --kind distance -F 1969-12-31 -T 2025-10-24 --ref venezuela_coast \
        --asset BARB21 --claim "within 6 nmi"
    bad "outside 1970" --kind distance -F 2025-10-23 -T 2201-01-01 --ref venezuela_coast \
        --asset BARB21 --claim "within 6 nmi"
    bad "empty time window" --kind distance -F 2025-10-24 -T 2025-10-24 --ref venezuela_coast \
        --asset BARB21 --claim "within 6 nmi"
    bad "is not a reference" --kind distance -F 2025-10-23 -T 2025-10-24 --ref atlantis \
        --asset BARB21 --claim "within 6 nmi"
}
after=$(nclaims)
if [ "$before" -eq 8 ] && [ "$after" -eq "$before" ]; then
    ok "bad input stored nothing ($after claims)"
else
    nok "claims before $before, after $after"
fi

# ---- import: events_seed.csv ----
SEED=$SHARED/data/registry/events_seed.csv
if [ -f "$SEED" ]; then
    "$ORBAT" claim import -d "$DB" "$SEED" >"$T/imp.out" 2>"$T/imp.err"
    rc=$?
    if [ "$rc" -ne 0 ] && [ "$(nclaims)" -eq 8 ] && grep -q 'nothing stored' "$T/imp.err" &&
        grep -q 'needs a claim column' "$T/imp.err"; then
        ok "import events_seed.csv: refused rows named, nothing stored without --skip-bad"
    else
        nok "import without --skip-bad: rc $rc, $(nclaims) claims, $(tail -2 "$T/imp.err")"
    fi
    "$ORBAT" claim import -d "$DB" --skip-bad "$SEED" >"$T/imp.out" 2>"$T/imp.err"
    n=$(nclaims)
    "$ORBAT" claim check -d "$DB" -f json >"$T/all2.json" 2>/dev/null
    if grep -q 'asset=BUNNY0\*' "$T/imp.out" && grep -q 'asset=BARB21' "$T/imp.out" &&
        grep -q 'asset=DDG-107' "$T/imp.out" && [ "$n" -gt 8 ] &&
        grep -q '"asset":"BUNNY0\*".*"verdict":"supported"' "$T/all2.json"; then
        ok "import --skip-bad: $((n - 8)) claims from events_seed.csv (BUNNY0* present on 15 Oct: supported)"
    else
        nok "import --skip-bad: $(cat "$T/imp.out") $(head -3 "$T/imp.err")"
    fi
    "$ORBAT" claim import -d "$DB" --skip-bad "$SEED" >/dev/null 2>&1
    if [ "$(nclaims)" -eq "$n" ]; then ok "import again adds nothing"; else nok "import again: $(nclaims) claims, was $n"; fi
else
    echo "ok - # SKIP $SEED not found"
fi
