#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# bench/bench_pg.sh - issue 9: the PostgreSQL/PostGIS backend next to SQLite
# with the same data. bench/bench_store.c loads the same constructed
# observations through store_obs_put into a fresh SQLite file and a fresh
# PostgreSQL database (server started here on a Unix socket in $OUT, as the
# postgres user when run as root), then times the reports in-process; and
# `orbat ingest` of a real AIS file into both. Wall clock and CPU seconds
# (client + every server process) of the load. Targets: PostgreSQL insert
# >= 300k observations/s (COPY), report <= 200 ms at 10M observations.
# Env: ORBAT, ROOT, SHARED, OUT (from bench/run.sh); BENCH_PG_OBS,
# BENCH_PG_ASSETS to size it.
set -eu
ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
OUT=${OUT:-$ROOT/bench/out}
SHARED=${SHARED:-$ROOT/../shared}
ORBAT=${ORBAT:-$ROOT/build/orbat}
BUILD=$(dirname "$ORBAT")
NOBS=${BENCH_PG_OBS:-10000000}
NASSETS=${BENCH_PG_ASSETS:-5000}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
mkdir -p "$OUT"

echo "## PostgreSQL/PostGIS backend: insert rate and report latency"
echo
if [ ! -x "$PGBIN/initdb" ]; then
    echo "PostgreSQL 15 server binaries not installed ($PGBIN): not measured."
    echo
    exit 0
fi

secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
now() { date +%s.%N; }

echo "bench_pg: building" >&2
# shellcheck disable=SC2046 # the library flags are words
${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -I"$ROOT/include" \
    -I"$ROOT/src" -o "$OUT/bench_pg_store" "$ROOT/bench/bench_store.c" "$BUILD/liborbat.a" \
    "$BUILD/liborbat_decode.a" $(pkg-config --libs sqlite3 zlib jansson libpq 2>/dev/null ||
        echo -lsqlite3 -lz -ljansson -lpq) -lm -lpthread

PGDIR=$OUT/bench_pg
PORT=$((20000 + $$ % 20000))
if [ -f "$PGDIR/data/postmaster.pid" ]; then
    "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1 ||
        runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1 || :
fi
rm -rf "$PGDIR"
mkdir -p "$PGDIR"
chmod 755 "$OUT" "$PGDIR"
if [ "$(id -u)" = 0 ]; then
    chown postgres "$PGDIR"
    as_pg() { runuser -u postgres -- "$@"; }
else
    as_pg() { "$@"; }
fi
trap 'as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast stop >/dev/null 2>&1; rm -rf "$PGDIR"' EXIT
as_pg "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U postgres -E UTF8 --locale=C >"$OUT/bench_pg_initdb.log" 2>&1
# Server settings: defaults (fsync and synchronous_commit on), with a
# larger buffer cache and WAL budget so that a 10M load does not checkpoint
# every few seconds.
as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 120 \
    -o "-k $PGDIR -c listen_addresses= -p $PORT -c shared_buffers=1GB -c max_wal_size=8GB -c checkpoint_timeout=30min" \
    start >&2
as_pg "$PGBIN/createdb" -h "$PGDIR" -p "$PORT" -U postgres bench
as_pg "$PGBIN/createdb" -h "$PGDIR" -p "$PORT" -U postgres ingest
URL="postgresql://postgres@/bench?host=$PGDIR&port=$PORT"
URLI="postgresql://postgres@/ingest?host=$PGDIR&port=$PORT"
PGVER=$(as_pg "$PGBIN/postgres" --version)
POSTGIS=$("$PGBIN/psql" -h "$PGDIR" -p "$PORT" -U postgres -d bench -XAtq \
    -c "CREATE EXTENSION IF NOT EXISTS postgis; SELECT postgis_lib_version()")

# CPU seconds of the PostgreSQL server: the postmaster with its reaped
# children (backends that exited) plus its live children (the backend of a
# running client, walwriter, checkpointer, autovacuum).
srv_cpu() {
    pm=$(head -n 1 "$PGDIR/data/postmaster.pid")
    tck=$(getconf CLK_TCK)
    for p in $pm $(pgrep -P "$pm"); do
        awk '{print $14 + $15 + $16 + $17}' "/proc/$p/stat" 2>/dev/null
    done | awk -v k="$tck" '{t += $1} END { printf "%.2f", t / k }'
}
# cpu_of FILE CMD...: run CMD, write its CPU seconds (user + sys) to FILE.
cpu_of() {
    python3 -c 'import resource, subprocess, sys
rc = subprocess.call(sys.argv[2:])
r = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1], "w").write("%.2f\n" % (r.ru_utime + r.ru_stime))
sys.exit(rc)' "$@"
}

echo "Same constructed data on both backends: \`bench/bench_store.c\` ($NOBS observations of"
echo "$NASSETS assets over 60 days, through \`store_obs_put\` in transactions of 200k rows as"
echo "ingest does, no raw rows) into a fresh SQLite file and a fresh PostgreSQL database,"
echo "then each report in-process (median of 7, output to /dev/null). PostgreSQL: $PGVER,"
echo "PostGIS $POSTGIS, on a Unix socket on this machine. Server settings: the defaults"
echo "(fsync, full_page_writes and synchronous_commit on, wal_level replica) plus"
echo "shared_buffers=1GB, max_wal_size=8GB and checkpoint_timeout=30min, as one would"
echo "configure a server for bulk loads; orbat's session sets only work_mem and temp_buffers."
echo "The PostgreSQL load is the whole write path inside the timed transactions: the"
echo "earliest observation per asset and minute, binary COPY straight into the day"
echo "partitions of \`observations\` (primary key + BRIN(t_ms), schema 8; the days stay open),"
echo "and the per-day presence summary (docs/postgresql.md)."
echo
echo "CPU: the bench process (user + sys) plus, for PostgreSQL, every server process"
echo "(backend, WAL writer, checkpointer, and autovacuum while it runs), over the load and"
echo "the in-process reports (a few seconds): a conservative CPU figure for the load."
echo "Targets: PostgreSQL >= 300k observations/s; report <= 200 ms at 10M observations."
echo
SQ=$OUT/bench_pg_sqlite.db
rm -f "$SQ" "$SQ-wal" "$SQ-shm"
for backend in sqlite postgresql; do
    if [ $backend = sqlite ]; then db=$SQ; else db=$URL; fi
    echo "bench_pg: $backend, $NOBS observations" >&2
    echo "### $backend"
    echo
    echo "| measurement | result | note |"
    echo "|---|---|---|"
    s0=$(srv_cpu)
    cpu_of "$OUT/bench_pg_cpu1" "$OUT/bench_pg_store" "$db" "$NOBS" "$NASSETS" 60 \
        >"$OUT/bench_pg_$backend.md"
    s1=$(srv_cpu)
    c1=$(cat "$OUT/bench_pg_cpu1")
    cat "$OUT/bench_pg_$backend.md"
    if [ $backend = sqlite ]; then
        s0=0 s1=0
    fi
    awk -v n="$NOBS" -v c1="$c1" -v s0="$s0" -v s1="$s1" -v pg=$backend 'BEGIN {
        server = s1 - s0; t = c1 + server
        if (t <= 0) t = 0.01
        printf "| load and reports: CPU seconds | %.1f s | bench process %.1f s", t, c1
        if (pg == "postgresql") printf " + PostgreSQL server %.1f s", server
        printf " |\n| load rate per CPU second | %.0f obs/s | the reports counted as load; %s |\n",
            n / t, pg == "postgresql" ? "target >= 300000 obs/s" : "same data, for comparison"
    }'
    best=
    for _ in 1 2 3 4 5; do
        t0=$(now)
        "$ORBAT" report --db "$db" --theatre caribbean --as-of 2025-10-23 >/dev/null
        t1=$(now)
        t=$(secs "$t0" "$t1")
        best=$(printf '%s\n%s\n' "${best:-$t}" "$t" | sort -n | head -n 1)
    done
    echo "| \`orbat report --theatre caribbean\` command | $best s | best of 5, wall clock, process start and connection included; target <= 0.200 s at 10M |"
    echo
done
echo "PostgreSQL database size: $("$PGBIN/psql" -h "$PGDIR" -p "$PORT" -U postgres -d bench -XAtq \
    -c "SELECT pg_size_pretty(pg_database_size('bench'))"); SQLite file: $(du -m "$SQ" | cut -f1) MiB."
echo

# End to end on a real recording, both backends.
AIS=$SHARED/testdata/ais/amsa-risky/ais.txt.gz
if [ -r "$AIS" ]; then
    echo "bench_pg: orbat ingest of a real AIS file" >&2
    echo "\`orbat ingest\` of the AMSA AIS recording (\`testdata/ais/amsa-risky/ais.txt.gz\`),"
    echo "fresh database each, wall clock of the command (best of 3):"
    echo
    echo "| backend | wall | stored observations |"
    echo "|---|---|---|"
    for backend in sqlite postgresql; do
        best=
        for _ in 1 2 3; do
            if [ $backend = sqlite ]; then
                db=$OUT/bench_pg_ingest.db
                rm -f "$db" "$db-wal" "$db-shm"
            else
                db=$URLI
                as_pg "$PGBIN/dropdb" -h "$PGDIR" -p "$PORT" -U postgres ingest
                as_pg "$PGBIN/createdb" -h "$PGDIR" -p "$PORT" -U postgres ingest
                "$ORBAT" db migrate --db "$db" >/dev/null
            fi
            t0=$(now)
            "$ORBAT" ingest -q --db "$db" "$AIS"
            t1=$(now)
            t=$(secs "$t0" "$t1")
            best=$(printf '%s\n%s\n' "${best:-$t}" "$t" | sort -n | head -n 1)
        done
        nobs=$("$ORBAT" db migrate --db "$db" | sed -n 's/.* assets, \([0-9]*\) observations.*/\1/p')
        echo "| $backend | $best s | $nobs |"
    done
    echo
fi

# Issue 16: a worker's write path and the day close (own server).
sh "$ROOT/bench/pg_write.sh"
