#!/bin/sh
# bench/bench_identify.sh - identification speed (issue 4: >= 10M lookups/s).
# Builds bench/bench_identify.c against build/liborbat.a and prints one
# markdown section. Env: ORBAT, ROOT, OUT (from bench/run.sh).
set -eu
ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
OUT=${OUT:-$ROOT/bench/out}
ORBAT=${ORBAT:-$ROOT/build/orbat}
BUILD=$(dirname "$ORBAT")
mkdir -p "$OUT"
LOOKUPS=${BENCH_IDENTIFY_LOOKUPS:-20000000}
echo "bench_identify: building" >&2
${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -I"$ROOT/include" \
    -I"$ROOT/src" -o "$OUT/bench_identify" "$ROOT/bench/bench_identify.c" \
    "$BUILD/liborbat.a" "$BUILD/liborbat_decode.a" -lm
echo "## Identification"
echo
echo "Registry lookups and rule evaluation (\`bench/bench_identify.c\`, $LOOKUPS lookups;"
echo "keys half registry hits, half random misses; rates per CPU-second of the process, since"
echo "the machine is shared). Target: >= 10M lookups/s. The end-to-end rows are wall-clock."
echo
echo "| measurement | rate | vs baseline |"
echo "|---|---|---|"
"$OUT/bench_identify" "$ROOT/data" "$LOOKUPS"
# End to end: orbat identify vs orbat decode on the same AIS capture.
CAP=${SHARED:-/nonexistent}/testdata/ais/dma-aislib/stream_example.txt
if [ -f "$CAP" ] && "$ORBAT" identify --help >/dev/null 2>&1; then
    i=0
    : >"$OUT/identify_big.nmea"
    while [ $i -lt 20 ]; do cat "$CAP" >>"$OUT/identify_big.nmea"; i=$((i + 1)); done
    lines=$(wc -l <"$OUT/identify_big.nmea")
    # Best of 3 wall-clock runs each (the machine is shared).
    best() { # command...
        b=
        for _ in 1 2 3; do
            t0=$(date +%s.%N)
            "$@" >/dev/null
            t1=$(date +%s.%N)
            b=$(echo "$t1 $t0 ${b:-999}" | awk '{d=$1-$2; print (d<$3)?d:$3}')
        done
        echo "$b"
    }
    td=$(best "$ORBAT" decode -f none "$OUT/identify_big.nmea")
    ti=$(best "$ORBAT" identify --all "$OUT/identify_big.nmea")
    echo "| orbat decode -f none, $lines NMEA lines (dma-aislib stream x20), best of 3 | $(echo "$td" | awk '{printf "%.3f s", $1}') | 1.0x |"
    echo "| orbat identify --all, same input (pipeline + registry load + rules), best of 3 | $(echo "$ti" | awk '{printf "%.3f s", $1}') | $(echo "$ti $td" | awk '{printf "%.2fx", $1/$2}') |"
fi
echo
