#!/bin/sh
# scripts/sim_demo_inputs.sh - generate the demo inputs from the SIMULATED
# caribbean-2025 scenario into directory $1 (created if needed):
#   caribbean-2025.ais        AIS !AIVDM with tag blocks (s:SIMULATION, c: unix time)
#   caribbean-2025.sbs        Mode S as SBS-1 lines (absolute date/time: use for ingest)
#   caribbean-2025.beast      Mode S as Beast binary (timestamps are 12 MHz ticks since
#                             the scenario start, so they carry no date)
#   caribbean-2025.truth.json ground truth (simulation: true) for end-to-end checks
#   caribbean-2025.sightings.tsv  manual sightings of the AIS-off ships
#   sightings.sh              the matching `orbat sighting add` commands ($ORBAT, $ORBAT_DB)
# Usage: sh scripts/sim_demo_inputs.sh DIR [ORBAT] [--seed N]
set -eu
if [ $# -lt 1 ]; then
    echo "usage: sh scripts/sim_demo_inputs.sh DIR [ORBAT] [--seed N]" >&2
    exit 2
fi
DIR=$1
shift
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ORBAT=${ORBAT:-$ROOT/build/orbat}
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then
    ORBAT=$1
    shift
fi
mkdir -p "$DIR"
B=$DIR/caribbean-2025
"$ORBAT" simulate "$ROOT/scenarios/caribbean-2025.json" "$@" \
    --out-ais "$B.ais" --out-sbs "$B.sbs" --out-beast "$B.beast" \
    --truth "$B.truth.json" --sightings "$B.sightings.tsv" --stats
# One `orbat sighting add` per sighting; fields are tab-separated, no tabs inside.
{
    echo "#!/bin/sh"
    echo "# SIMULATED sightings from scenarios/caribbean-2025.json (generated)"
    echo "set -e"
    echo ": \"\${ORBAT:=$ORBAT}\""
    tab=$(printf '\t')
    tail -n +2 "$B.sightings.tsv" | while IFS="$tab" read -r name time lat lon src note; do
        q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
        echo "\"\$ORBAT\" sighting add --name $(q "$name") --time $(q "$time") --lat $lat --lon $lon --source $(q "$src") --note $(q "$note") --confidence 0.6"
    done
} >"$DIR/sightings.sh"
echo "sim_demo_inputs: wrote $B.{ais,sbs,beast,truth.json,sightings.tsv} and $DIR/sightings.sh" >&2
