#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# bench/bench_store.sh - issue 6: end-to-end ingest rate into SQLite
# (messages/s, AIS and Mode S; target >= 1M msg/s) next to decode-only on the
# same input, and report latency on a database with >= 10M observations
# (target 100 ms), loaded through the store API by bench/bench_store.c.
# Env: ORBAT, ROOT, SHARED, OUT (from bench/run.sh); BENCH_STORE_OBS,
# BENCH_STORE_ASSETS, BENCH_STORE_REPS to size it.
set -eu
ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
OUT=${OUT:-$ROOT/bench/out}
SHARED=${SHARED:-$ROOT/../shared}
ORBAT=${ORBAT:-$ROOT/build/orbat}
BUILD=$(dirname "$ORBAT")
NOBS=${BENCH_STORE_OBS:-10000000}
NASSETS=${BENCH_STORE_ASSETS:-5000}
REPS=${BENCH_STORE_REPS:-20}
mkdir -p "$OUT"

secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
now() { date +%s.%N; }

echo "bench_store: building" >&2
# shellcheck disable=SC2046 # the library flags are words
${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -I"$ROOT/include" \
    -I"$ROOT/src" -o "$OUT/bench_store" "$ROOT/bench/bench_store.c" "$BUILD/liborbat.a" \
    "$BUILD/liborbat_decode.a" $(pkg-config --libs sqlite3 zlib jansson libpq 2>/dev/null ||
        echo -lsqlite3 -lz -ljansson -lpq) -lm -lpthread

echo "## Store: ingest rate and report latency"
echo
echo "End to end: \`orbat ingest\` (decode, identification with the shipped registry,"
echo "events engine with the Caribbean theatre, thinning to one position per asset per"
echo "minute, raw messages, batched SQLite transactions) into a fresh database, next to"
echo "\`orbat decode -f none\` on the same file. Wall time of the whole command, including"
echo "loading the registry and theatre (about 0.2 s of CPU) and the SHA-256 of the input."
echo "Target: >= 1M messages/s end to end."
echo
echo "CPU is user + system seconds of the command (GNU time), the number to compare on a"
echo "shared machine; wall is the elapsed time."
echo
echo "| input | messages | decode -f none wall / CPU | ingest wall / CPU | ingest msg/s (wall / CPU) | stored positions | ingest / decode CPU |"
echo "|---|---|---|---|---|---|---|"

run_timed() { # out-file, command...: writes "wall cpu" to out-file
    tf=$1
    shift
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f '%e %U %S' -o "$tf.raw" "$@"
        awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' "$tf.raw" >"$tf"
    else
        t0=$(now)
        "$@"
        t1=$(now)
        echo "$(secs "$t0" "$t1") $(secs "$t0" "$t1")" >"$tf"
    fi
}

one() { # label, extra ingest options, file
    label=$1
    opts=$2
    f=$3
    db=$OUT/bench_store_ingest.db
    rm -f "$db" "$db-wal" "$db-shm"
    run_timed "$OUT/bench_store_t1" "$ORBAT" decode -f none "$f" >/dev/null 2>&1
    # shellcheck disable=SC2086
    run_timed "$OUT/bench_store_t2" "$ORBAT" ingest $opts --db "$db" "$f" 2>"$OUT/bench_store_ingest.err"
    msgs=$(sed -n 's/^messages: .*-> \([0-9]*\) observations.*/\1/p' "$OUT/bench_store_ingest.err")
    kept=$(sed -n 's/^stored: \([0-9]*\) of \([0-9]*\) positions.*/\1 of \2/p' "$OUT/bench_store_ingest.err")
    read -r dw dc <"$OUT/bench_store_t1"
    read -r iw ic <"$OUT/bench_store_t2"
    echo "| $label | $msgs | $dw s / $dc s | $iw s / $ic s | $(awk -v n="$msgs" -v w="$iw" -v c="$ic" 'BEGIN { printf "%.0f / %.0f", n / w, (c > 0 ? n / c : 0) }') | $kept | $(awk -v a="$ic" -v b="$dc" 'BEGIN { if (b >= 0.02) printf "%.1fx", a / b; else printf "n/a (decode < 0.02 s)" }') |"
}

# Real AIS: the shipped unit of real receiver logs, repeated.
if [ -f "$SHARED/testdata/ais/bench/make_bench.sh" ]; then
    echo "bench_store: AIS input" >&2
    sh "$SHARED/testdata/ais/bench/make_bench.sh" "$REPS" "$OUT" >&2
    one "real AIS logs x$REPS (repeated: every message recurs $REPS times)" "" "$OUT/real-x$REPS.nmea"
fi
# Real Mode S: the ulss7 Beast capture (relative clock: --start gives its UTC).
BEAST="$SHARED/testdata/adsb/captures/beastblackbox_ulss7/ulss7-beast-bin-utc--1522782148.136310917--.log"
if [ -f "$BEAST" ]; then
    echo "bench_store: Mode S input" >&2
    : >"$OUT/bench_store_ulss7.beast"
    i=0
    while [ $i -lt $((REPS * 5)) ]; do cat "$BEAST" >>"$OUT/bench_store_ulss7.beast"; i=$((i + 1)); done
    # The capture is one minute long: its copies repeat the same times, so
    # nearly every frame is a repeat the store does not keep.
    one "real Beast capture ulss7 x$((REPS * 5)) (same minute repeated), --start @1522782148" \
        "--start @1522782148 --theatre none" "$OUT/bench_store_ulss7.beast"
fi
# Simulated Caribbean traffic (AIS + SBS) when the simulator is there.
SCEN=$ROOT/scenarios/caribbean-2025.json
if [ -f "$SCEN" ] && "$ORBAT" simulate --help >/dev/null 2>&1; then
    echo "bench_store: simulated input" >&2
    "$ORBAT" simulate "$SCEN" --from 2025-10-01 --to 2025-10-08 --out-ais "$OUT/bench_store_sim.nmea" \
        --out-sbs "$OUT/bench_store_sim.sbs" 2>/dev/null
    one "simulated Caribbean week, AIS" "" "$OUT/bench_store_sim.nmea"
    one "simulated Caribbean week, SBS (Mode S)" "" "$OUT/bench_store_sim.sbs"
fi
echo

echo "Report latency on a large database: \`bench/bench_store.c\` loads constructed"
echo "observations through \`store_obs_put\` (the ingest path, 200k rows per transaction,"
echo "without raw rows), then times each report in-process (median of 7, output to"
echo "/dev/null) and \`orbat report\` as a command (process start and database open"
echo "included). Target: report in 100 ms on >= 10M observations."
echo
echo "| measurement | result | note |"
echo "|---|---|---|"
DB=$OUT/bench_store_${NOBS}.db
echo "bench_store: loading/timing $NOBS observations in $DB" >&2
"$OUT/bench_store" "$DB" "$NOBS" "$NASSETS" 60
best=
for _ in 1 2 3 4 5; do
    t0=$(now)
    "$ORBAT" report --db "$DB" --theatre caribbean --as-of 2025-10-23 >/dev/null
    t1=$(now)
    t=$(secs "$t0" "$t1")
    best=$(printf '%s\n%s\n' "${best:-$t}" "$t" | sort -n | head -n 1)
done
echo "| \`orbat report --theatre caribbean\` command, same database | $best s | best of 5, wall clock |"
echo "| database file | $(du -m "$DB" | cut -f1) MiB | |"
echo
