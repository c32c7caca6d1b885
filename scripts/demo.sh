#!/bin/sh
# scripts/demo.sh - the main job end to end on the bundled SIMULATED
# Caribbean 2025 scenario: simulate -> ingest (SQLite) -> sightings ->
# order-of-battle report -> timeline chart -> the bomber flights off
# Venezuela (scripts/demo_bombers.sh) -> claims from the reporting checked
# (data/claims/caribbean-2025.csv) -> the same day rebuilt from the formats
# of the public archives (adsb.lol globe_history split tars, MarineCadastre
# CSV) with `orbat import`, as for real archives. Called by `make demo`.
# Usage: sh scripts/demo.sh [ORBAT]     (outputs in build/demo/, or in
# $DEMO_OUT, which the script empties first)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ORBAT=${1:-$ROOT/build/orbat}
case $ORBAT in /*) ;; *) ORBAT=$ROOT/$ORBAT ;; esac
OUT=${DEMO_OUT:-$ROOT/build/demo}
DB=$OUT/orbat.db
AS_OF=${AS_OF:-2025-10-23T00:00Z}
rm -rf "$OUT"
mkdir -p "$OUT"
export ORBAT ORBAT_DB="$DB"
start=$(date +%s)

echo "== 1/8 simulate scenarios/caribbean-2025.json (SIMULATION, not real broadcasts)"
sh "$ROOT/scripts/sim_demo_inputs.sh" "$OUT" "$ORBAT" 2>&1 | sed 's/^/   /'

echo "== 2/8 ingest AIS and Mode S into $DB"
"$ORBAT" ingest --db "$DB" --theatre caribbean "$OUT/caribbean-2025.ais" \
    "$OUT/caribbean-2025.sbs" 2>&1 | sed 's/^/   /'

echo "== 3/8 add the manual sightings of ships with AIS off"
sh "$OUT/sightings.sh" >/dev/null
"$ORBAT" sighting list --db "$DB" 2>/dev/null | sed 's/^/   /' || true

echo "== 4/8 order of battle as of $AS_OF"
"$ORBAT" report --db "$DB" --theatre caribbean --as-of "$AS_OF"

echo "== 5/8 timeline"
"$ORBAT" timeline --db "$DB" --theatre caribbean --svg "$OUT/timeline.svg" --png "$OUT/timeline.png" >"$OUT/timeline.txt"
echo "   the last 15 days (all: $OUT/timeline.txt):"
sed -n '1,/^day /p' "$OUT/timeline.txt" | sed 's/^/   /'
tail -n 15 "$OUT/timeline.txt" | sed 's/^/   /'

echo "== 6/8 bomber flights off Venezuela and the assets seen those days (from the stored events)"
sh "$ROOT/scripts/demo_bombers.sh" "$ORBAT" "$DB"

echo "== 7/8 claims from the 2025 reporting, checked against the (simulated) data"
"$ORBAT" claim import --db "$DB" "$ROOT/data/claims/caribbean-2025.csv" >/dev/null
echo "   (closest approach: along the straight line between two fixes; closest fix: the nearest"
echo "   stored position, the number step 6 shows)"
"$ORBAT" claim check --db "$DB" | grep -E '^claim|^  (verdict|measured|margin):' | sed 's/^/   /'
echo "== 8/8 15 Oct rebuilt from public-archive formats (simulated here; docs/import.md for the real ones)"
mkdir -p "$OUT/archives"
"$ORBAT" simulate "$ROOT/scenarios/caribbean-2025.json" --from 2025-10-15 --to 2025-10-16 \
    --out-traces "$OUT/archives/x.tar" --split-tar 30000 \
    --out-marinecadastre "$OUT/archives/ais-2025-10-15.csv.zst" 2>/dev/null
echo "   $(cd "$OUT/archives" && ls | tr '\n' ' ')"
"$ORBAT" import -q --db "$OUT/archive.db" --theatre caribbean --mil \
    "$OUT/archives/v2025.10.15-planes-readsb-prod-0.tar.aa" "$OUT/archives/ais-2025-10-15.csv.zst"
"$ORBAT" report --db "$OUT/archive.db" --theatre caribbean --as-of 2025-10-16 --window 1d |
    grep -E '^[0-9]+ assets|^  [0-9]+ (warships|military)|^Data sources|^  SIMULATION' | sed 's/^/   /'
echo
echo "demo: database $DB, chart $OUT/timeline.svg (and .png), inputs in $OUT/"
echo "demo: try  $ORBAT evidence --db $DB 'USS Iwo Jima'  or  $ORBAT events --db $DB --type approach"
echo "demo: finished in $(( $(date +%s) - start )) s"
