#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# bench/pg_write.sh - issue 16: the PostgreSQL write path of an ingest
# worker on the open day, and the day close, in server CPU. Starts its own
# PostgreSQL 15 server (Unix socket in $OUT, as the postgres user when run as
# root; defaults plus shared_buffers=1GB, max_wal_size=8GB), builds
# bench/bench_pg_write.c and runs it twice (observations only; with a raw
# message per observation), each with close-day (tracks) and then, the day
# opened again, close-day --points-index. Run by bench/bench_pg.sh (its section of
# bench/results/pg.md) or alone: sh bench/pg_write.sh >> ... .
# Targets: >= 150k stored observations per server CPU-second on the open
# day; close-day (tracks) <= 2 us per observation.
# Env: ORBAT, ROOT, OUT; BENCH_PGW_ASSETS (20000), BENCH_PGW_MINUTES (100),
# BENCH_PGW_PER_MIN (3 reports per asset and minute), BENCH_PGW_BATCH (20000).
set -eu
ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
OUT=${OUT:-$ROOT/bench/out}
ORBAT=${ORBAT:-$ROOT/build/orbat}
BUILD=$(dirname "$ORBAT")
NA=${BENCH_PGW_ASSETS:-20000}
NM=${BENCH_PGW_MINUTES:-100}
PM=${BENCH_PGW_PER_MIN:-3}
NB=${BENCH_PGW_BATCH:-20000}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
mkdir -p "$OUT"
echo "## PostgreSQL write path of a worker and day close (issue 16)"
echo
if [ ! -x "$PGBIN/initdb" ]; then
    echo "PostgreSQL 15 server binaries not installed ($PGBIN): not measured."
    echo
    exit 0
fi
echo "bench_pg_write: building" >&2
# shellcheck disable=SC2046 # the library flags are words
${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -I"$ROOT/include" \
    -I"$ROOT/src" $(pkg-config --cflags libpq 2>/dev/null || echo -I/usr/include/postgresql) \
    -o "$OUT/bench_pg_write" "$ROOT/bench/bench_pg_write.c" "$BUILD/liborbat.a" \
    "$BUILD/liborbat_decode.a" $(pkg-config --libs sqlite3 zlib jansson libpq 2>/dev/null ||
        echo -lsqlite3 -lz -ljansson -lpq) -lm -lpthread

PGDIR=$OUT/bench_pgw
PORT=$((20000 + ($$ + 7) % 20000))
if [ "$(id -u)" = 0 ]; then
    as_pg() { runuser -u postgres -- "$@"; }
else
    as_pg() { "$@"; }
fi
[ -f "$PGDIR/data/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1 || :
rm -rf "$PGDIR"
mkdir -p "$PGDIR"
chmod 755 "$OUT" "$PGDIR"
[ "$(id -u)" = 0 ] && chown postgres "$PGDIR"
trap 'as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast stop >/dev/null 2>&1; rm -rf "$PGDIR"' EXIT
as_pg "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U postgres -E UTF8 --locale=C >"$OUT/bench_pgw_initdb.log" 2>&1
as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 120 \
    -o "-k $PGDIR -c listen_addresses= -p $PORT -c shared_buffers=1GB -c max_wal_size=8GB -c checkpoint_timeout=30min" \
    start >&2
PGVER=$(as_pg "$PGBIN/postgres" --version)
echo "\`bench/bench_pg_write.c\` through the store API as a worker writes: $NA assets each"
echo "reporting $PM times a minute for $NM minutes of one UTC day, in time order, in"
echo "transactions of $NB offered observations; the store keeps the first per asset and"
echo "minute. Server CPU = user + system time of the one backend serving the store's"
echo "connection (/proc/PID/stat; WAL writer, checkpointer and autovacuum not included),"
echo "client = the bench process. Then the first 10% of the batches again from a fresh"
echo "connection (a worker restarted after a crash: redelivery), \`close-day\` of the"
echo "day (tracks), and, the day opened again, \`close-day --points-index\`. $PGVER, PostGIS $(ls /usr/share/postgresql/15/extension/postgis--*.sql 2>/dev/null | sed -n 's/.*postgis--\([0-9.]*\)\.sql$/\1/p' | sort -V | tail -n 1), server defaults"
echo "(fsync, synchronous_commit on) plus shared_buffers=1GB, max_wal_size=8GB;"
echo "$(nproc) cores, load average at start $(cut -d' ' -f1-3 /proc/loadavg)."
echo "Targets: >= 150000 stored observations per server CPU-second; close-day <= 2 us per observation."
echo
echo "| measurement | result | detail |"
echo "|---|---|---|"
for raw in 0 1; do
    db=w$raw
    as_pg "$PGBIN/createdb" -h "$PGDIR" -p "$PORT" -U postgres $db
    echo "bench_pg_write: raw=$raw" >&2
    "$OUT/bench_pg_write" "postgresql://postgres@/$db?host=$PGDIR&port=$PORT&application_name=orbat_bench_w" \
        "$NA" "$NM" "$PM" "$NB" $raw
done
echo
echo "Sizes after the runs (observations only / with raw; tracks after VACUUM FULL, the reopened day's dead rows gone): $(for db in w0 w1; do
    "$PGBIN/psql" -h "$PGDIR" -p "$PORT" -U postgres -d $db -XAtq -c "VACUUM FULL orbat.tracks" -c "SELECT
    round((pg_total_relation_size('orbat.observations_20260115') - coalesce(pg_relation_size(to_regclass('orbat.observations_20260115_geom')), 0))::numeric / (SELECT count(*) FROM orbat.observations)) || ' B/observation in the partition (heap + PK + BRIN), ' ||
    coalesce(round(pg_relation_size(to_regclass('orbat.observations_20260115_geom'))::numeric / (SELECT count(*) FROM orbat.observations)) || ' B/observation the optional points GiST, ', '') ||
    round(pg_total_relation_size('orbat.tracks')::numeric / (SELECT count(*) FROM orbat.observations), 1) || ' B/observation in tracks (with their GiST), ' ||
    coalesce(round(pg_total_relation_size('orbat.raw')::numeric / nullif((SELECT count(*) FROM orbat.raw), 0)) || ' B/raw row', 'no raw rows')"; done | paste -sd';' -)."
echo
