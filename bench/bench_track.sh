#!/bin/sh
# bench/bench_track.sh - geo + track + events throughput (issue 5: >= 2M
# position updates/s on one core with the Caribbean theatre; <= 512 bytes
# per tracked asset), and the geo index against brute force and GEOS.
# Builds bench/bench_track.c against build/liborbat.a and prints one
# markdown section. Env: ORBAT, ROOT, OUT (from bench/run.sh);
# BENCH_TRACK_UPDATES, BENCH_TRACK_ASSETS to size it.
set -eu
ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
OUT=${OUT:-$ROOT/bench/out}
ORBAT=${ORBAT:-$ROOT/build/orbat}
BUILD=$(dirname "$ORBAT")
mkdir -p "$OUT"
UPDATES=${BENCH_TRACK_UPDATES:-6000000}
ASSETS=${BENCH_TRACK_ASSETS:-1000000}
GEOS_FLAGS=
GEOS_NOTE="GEOS not installed (apt-get install libgeos-dev to compare)"
if [ -f /usr/include/geos_c.h ] && command -v geos-config >/dev/null 2>&1; then
    GEOS_FLAGS="-DHAVE_GEOS $(geos-config --cflags) $(geos-config --clibs)"
    GEOS_NOTE="GEOS $(geos-config --version) (libgeos-dev) measured side by side"
fi
echo "bench_track: building" >&2
# shellcheck disable=SC2086
${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -I"$ROOT/include" \
    -I"$ROOT/src" -o "$OUT/bench_track" "$ROOT/bench/bench_track.c" \
    "$BUILD/liborbat.a" "$BUILD/liborbat_decode.a" $(pkg-config --libs jansson 2>/dev/null || echo -ljansson) \
    $GEOS_FLAGS -lm
echo "## Tracks, theatres and events"
echo
echo "Constructed position updates (\`bench/bench_track.c\`): 20,000 ships and 2,000 aircraft"
echo "moving in the Caribbean, each reporting every 10 s of data time, through the events engine"
echo "with the shipped theatre (\`data/theatres/caribbean.json\`: area, territorial sea, 24/50 nm"
echo "buffers, 2 approach lines, land, airfields). One core. Targets: >= 2M updates/s, <= 512"
echo "bytes per asset. $GEOS_NOTE."
echo
echo "| measurement | result | note |"
echo "|---|---|---|"
echo "bench_track: running ($UPDATES updates, $ASSETS assets for memory)" >&2
"$OUT/bench_track" "$ROOT" "$UPDATES" "$ASSETS"
# End to end on a simulated day (orbat simulate), when the simulator is there.
SCEN=$ROOT/scenarios/caribbean-2025.json
if [ -f "$SCEN" ] && "$ORBAT" simulate --help >/dev/null 2>&1; then
    "$ORBAT" simulate "$SCEN" --from 2025-10-01 --to 2025-10-31 --out-ais "$OUT/track_month.nmea" \
        --out-beast "$OUT/track_month.beast" 2>/dev/null
    t0=$(date +%s.%N)
    "$ORBAT" decode -f none "$OUT/track_month.nmea" "$OUT/track_month.beast" 2>/dev/null
    t1=$(date +%s.%N)
    n=$("$ORBAT" track "$OUT/track_month.nmea" "$OUT/track_month.beast" | wc -l)
    t2=$(date +%s.%N)
    sz=$(cat "$OUT/track_month.nmea" "$OUT/track_month.beast" | wc -c)
    echo "| orbat decode -f none, simulated October 2025 ($sz bytes AIS + Beast) | $(echo "$t1 $t0" | awk '{printf "%.3f s", $1-$2}') | 1.0x |"
    echo "| orbat track (Caribbean theatre, includes theatre load), same input: $n events | $(echo "$t2 $t1" | awk '{printf "%.3f s", $1-$2}') | $(echo "$t2 $t1 $t0" | awk '{printf "%.2fx decode", ($1-$2)/($2-$3)}') |"
fi
echo
