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
echo "\`orbat decode -f none\` on the same file. Whole command: start-up included (loading"
echo "the registry and the theatre GeoJSON, the SHA-256 of the input, creating the database)."
echo
echo "\`orbat ingest\` runs three threads (src/store/ingest.c): reading + decoding;"
echo "identification + events + thinning; the SQLite writer, fed through bounded queues."
echo "The theatre loads on a second thread while the registry loads and the input is hashed."
echo "\`--threads 1\` runs the same work on one thread; both store identical rows"
echo "(tests/integration/ingest_threads.sh). CPU is user + system seconds (GNU time);"
echo "wall is elapsed time on this 2-core machine, which other jobs may share: see the load"
echo "average in the header. **Target: >= 1,000,000 messages/s end to end (wall).**"
echo
echo "| input | messages | decode -f none wall / CPU | ingest --threads 1 wall / CPU | ingest (3 threads) wall / CPU | CPU by thread: read+decode / identify+events / writer | msg/s, 3 threads: wall / CPU | target >= 1M msg/s (wall) | stored positions |"
echo "|---|---|---|---|---|---|---|---|---|"

run_timed() { # out-file, command...: writes "wall cpu" to out-file (best wall of BENCH_STORE_RUNS)
    tf=$1
    shift
    : >"$tf.all"
    r=0
    while [ $r -lt "${BENCH_STORE_RUNS:-3}" ]; do
        [ -n "${PRE:-}" ] && eval "$PRE"
        if [ -x /usr/bin/time ]; then
            /usr/bin/time -f '%e %U %S' -o "$tf.raw" "$@"
            awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' "$tf.raw" >>"$tf.all"
        else
            t0=$(now)
            "$@"
            t1=$(now)
            echo "$(secs "$t0" "$t1") $(secs "$t0" "$t1")" >>"$tf.all"
        fi
        r=$((r + 1))
    done
    sort -n "$tf.all" | head -n 1 >"$tf"
}

one() { # label, extra ingest options, file
    label=$1
    opts=$2
    f=$3
    db=$OUT/bench_store_ingest.db
    PRE=
    run_timed "$OUT/bench_store_t1" "$ORBAT" decode -f none "$f" >/dev/null 2>&1
    PRE='rm -f "$db" "$db-wal" "$db-shm"'
    # shellcheck disable=SC2086
    run_timed "$OUT/bench_store_t0" "$ORBAT" ingest --threads 1 $opts --db "$db" "$f" 2>/dev/null
    # shellcheck disable=SC2086
    run_timed "$OUT/bench_store_t2" "$ORBAT" ingest $opts --db "$db" "$f" 2>"$OUT/bench_store_ingest.err"
    PRE=
    msgs=$(sed -n 's/^messages: .*-> \([0-9]*\) observations.*/\1/p' "$OUT/bench_store_ingest.err" | tail -n 1)
    kept=$(sed -n 's/^stored: \([0-9]*\) of \([0-9]*\) positions.*/\1 of \2/p' "$OUT/bench_store_ingest.err" | tail -n 1)
    read -r dw dc <"$OUT/bench_store_t1"
    read -r sw sc <"$OUT/bench_store_t0"
    read -r iw ic <"$OUT/bench_store_t2"
    rate=$(awk -v n="$msgs" -v w="$iw" -v c="$ic" 'BEGIN { printf "%.0f / %.0f", (w > 0 ? n / w : 0), (c > 0 ? n / c : 0) }')
    met=$(awk -v n="$msgs" -v w="$iw" 'BEGIN { r = w > 0 ? n / w : 0; if (n == 0) printf "n/a"; else if (r >= 1e6) printf "met (%.2fM)", r / 1e6; else printf "not met (%.2fM)", r / 1e6 }')
    thr=$(sed -n 's/^threads: \([0-9.]*\) s CPU reading+decoding, \([0-9.]*\) s identification+events, \([0-9.]*\) s database writer/\1 s \/ \2 s \/ \3 s/p' "$OUT/bench_store_ingest.err" | tail -n 1)
    echo "| $label | $msgs | $dw s / $dc s | $sw s / $sc s | $iw s / $ic s | ${thr:-n/a} | $rate | $met | $kept |"
}

# What two threads buy on this machine: the same busy loop on one thread, then
# on two at once (the ingest threads can gain at most this much).
cat >"$OUT/bench_par.c" <<'PAR'
#include <pthread.h>
static volatile double sink;
static void *work(void *a)
{
    (void)a;
    double s = 0;
    for (long i = 0; i < 200000000L; i++)
        s += i * 1e-9;
    sink = s;
    return 0;
}
int main(int argc, char **argv)
{
    (void)argv;
    pthread_t t;
    if (argc > 1 && pthread_create(&t, 0, work, 0) == 0) {
        work(0);
        pthread_join(t, 0);
    } else
        work(0);
    return 0;
}
PAR
${CC:-cc} -O2 -o "$OUT/bench_par" "$OUT/bench_par.c" -lpthread
PRE=
run_timed "$OUT/bench_store_p1" "$OUT/bench_par"
run_timed "$OUT/bench_store_p2" "$OUT/bench_par" 2
read -r p1w p1c <"$OUT/bench_store_p1"
read -r p2w p2c <"$OUT/bench_store_p2"
PAR_LINE=$(awk -v a="$p1w" -v b="$p2w" 'BEGIN { printf "This machine runs two independent busy threads %.2fx as fast as one (one loop %.2f s; two loops at once %.2f s wall, best of 3): the most the ingest threads can gain here.", (b > 0 ? 2 * a / b : 0), a, b }')

# Start-up alone: an empty input (registry, theatre, a new database).
: >"$OUT/bench_store_empty.nmea"
echo "bench_store: start-up" >&2
one "empty input: start-up only (registry, theatre, new database)" "" "$OUT/bench_store_empty.nmea"
# Real AIS: the shipped unit of real receiver logs, repeated.
if [ -f "$SHARED/testdata/ais/bench/make_bench.sh" ]; then
    echo "bench_store: AIS input" >&2
    sh "$SHARED/testdata/ais/bench/make_bench.sh" "$REPS" "$OUT" >&2
    one "real AIS logs x$REPS (repeated: every message recurs $REPS times)" "" "$OUT/real-x$REPS.nmea"
    # The same logs 5 times longer: the start-up (first row) weighs less, so
    # this row is closer to the sustained rate of a long file or a live feed.
    LONG=$((REPS * 5))
    sh "$SHARED/testdata/ais/bench/make_bench.sh" "$LONG" "$OUT" >&2
    one "real AIS logs x$LONG (the same, 5 times longer)" "" "$OUT/real-x$LONG.nmea"
    rm -f "$OUT/real-x$LONG.nmea"
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
# Simulated Caribbean traffic (AIS + SBS) when the simulator is there: a
# week, and 4.5 months (every simulated message is a new minute of its
# asset, so every one is a stored row: this measures SQLite).
SCEN=$ROOT/scenarios/caribbean-2025.json
if [ -f "$SCEN" ] && "$ORBAT" simulate --help >/dev/null 2>&1; then
    echo "bench_store: simulated input" >&2
    "$ORBAT" simulate "$SCEN" --from 2025-10-01 --to 2025-10-08 --out-ais "$OUT/bench_store_sim.nmea" \
        --out-sbs "$OUT/bench_store_sim.sbs" 2>/dev/null
    one "simulated Caribbean week, AIS" "" "$OUT/bench_store_sim.nmea"
    one "simulated Caribbean week, SBS (Mode S)" "" "$OUT/bench_store_sim.sbs"
    "$ORBAT" simulate "$SCEN" --from 2025-08-14 --to 2025-12-31 --out-ais "$OUT/bench_store_simlong.nmea" \
        --out-sbs "$OUT/bench_store_simlong.sbs" 2>/dev/null
    one "simulated Caribbean 2025-08-14..12-31, AIS (every message stored)" "" "$OUT/bench_store_simlong.nmea"
    one "simulated Caribbean 2025-08-14..12-31, SBS (every message stored)" "" "$OUT/bench_store_simlong.sbs"
fi
echo
echo "$PAR_LINE"
echo
echo "The CPU by thread (from the ingest summary) is for the read phase only; the start-up"
echo "is the first row. On a quiet 2-core machine the wall time is about the start-up plus"
echo "max(identify+events, (sum of the three) / 2)."
echo
echo "Where the time goes: the start-up (first row) is a fixed cost, mostly the theatre"
echo "GeoJSON (jansson, src/geo); it dominates the small inputs. On the repeated real logs"
echo "the identification + events thread is the critical path (the SQLite writer has little"
echo "to do: thinning drops repeats in memory). On the long simulated inputs every message"
echo "is a stored row (raw message + observation: four B-tree inserts in SQLite), and the"
echo "writer thread is the critical path."
echo

echo "Report latency on a large database: \`bench/bench_store.c\` loads constructed"
echo "observations through \`store_obs_put\` (the ingest path, 200k rows per transaction,"
echo "without raw rows), then times each report in-process (median of 7, output to"
echo "/dev/null) and \`orbat report\` as a command (process start and database open"
echo "included). **Target: report in <= 100 ms on >= 10M observations.** The reports read the"
echo "per-day presence summary and two primary-key seeks per listed asset; they count"
echo "sources (not observations) for the simulated-data label: counting 10M observation"
echo "rows read the whole table (about 130 ms, more when it was not in the page cache),"
echo "which is what made earlier runs vary between 26 and 119 ms (the 26 ms run predates"
echo "the simulated-data label). Evidence and export read observations by primary key"
echo "(asset, minute): before, SQLite took the time index for them, and on this database"
echo "\`orbat evidence\` of one asset took 86 s, and the order of battle's whole CSV export (1M rows) 82 s of"
echo "CPU and 1.1 GB of memory (a sort of every observation); now 0.1 s and 4.8 s / 90 MB."
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
