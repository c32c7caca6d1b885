#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# bench/bench_http.sh - issue 7: `orbat serve` under load. wrk (Debian)
# drives the API on 127.0.0.1 for a bounded time per endpoint against a
# fixture database (the simulated Caribbean scenario, 3 days); prints p50 /
# p99 latency and requests/s (target: p99 < 10 ms for the report endpoint).
# The same report body served as a static file by python3's http.server is
# measured in the same run as a reference point.
# Env: ORBAT, ROOT, OUT (from bench/run.sh); BENCH_HTTP_SECS (default 5),
# BENCH_HTTP_CONNS (default 8).
set -eu
ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
OUT=${OUT:-$ROOT/bench/out}
ORBAT=${ORBAT:-$ROOT/build/orbat}
SECS=${BENCH_HTTP_SECS:-5}
CONNS=${BENCH_HTTP_CONNS:-8}
mkdir -p "$OUT/http"
D=$OUT/http

echo "## HTTP server (orbat serve)"
echo
if ! command -v wrk >/dev/null; then
    echo "wrk is not installed (apt-get install wrk): not measured."
    echo
    exit 0
fi
cd "$ROOT"
echo "bench_http: fixture" >&2
rm -f "$D/f.db" "$D/f.db-wal" "$D/f.db-shm"
"$ORBAT" simulate scenarios/caribbean-2025.json --from 2025-10-20 --to 2025-10-23 \
    --out-ais "$D/s.nmea" --out-sbs "$D/s.sbs" 2>/dev/null
"$ORBAT" ingest -q --db "$D/f.db" "$D/s.nmea" "$D/s.sbs"
"$ORBAT" report --db "$D/f.db" --format json >"$D/oob.json"
NOBS=$(sqlite3 "$D/f.db" 'SELECT count(*) FROM observations' 2>/dev/null || echo "?")

SPID=
SPID0=
PYPID=
trap 'kill $SPID $SPID0 $PYPID 2>/dev/null' EXIT
serve() { # port file, extra options...
    pf=$1
    shift
    rm -f "$pf"
    "$ORBAT" serve --db "$D/f.db" --listen 127.0.0.1:0 --port-file "$pf" "$@" 2>/dev/null &
    LASTPID=$!
    i=0
    while [ ! -s "$pf" ] && [ $i -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
    done
}
serve "$D/port"
SPID=$LASTPID
PORT=$(cat "$D/port")
serve "$D/port0" --cache-ms 0
SPID0=$LASTPID
PORT0=$(cat "$D/port0")

# wrk prints latency percentiles with units; convert to ms.
to_ms() {
    awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000;
        printf "%.3f", n }'
}
row() { # label, url[, connections]
    c=${3:-$CONNS}
    wrk -t"$([ "$c" -ge 2 ] && echo 2 || echo 1)" -c"$c" -d"${SECS}s" --latency "$2" \
        >"$D/wrk.out" 2>&1 || true
    p50=$(awk '$1 == "50%" { print $2 }' "$D/wrk.out")
    p99=$(awk '$1 == "99%" { print $2 }' "$D/wrk.out")
    rps=$(awk '$1 == "Requests/sec:" { print $2 }' "$D/wrk.out")
    bytes=$(awk '$1 == "Transfer/sec:" { print $2 }' "$D/wrk.out")
    errs=$(awk '/Non-2xx|Socket errors/ { printf "%s ", $0 }' "$D/wrk.out")
    echo "bench_http: $1 p50 $p50 p99 $p99 $rps req/s" >&2
    printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$(to_ms "${p50:-0}")" "$(to_ms "${p99:-0}")" \
        "${rps:-?}" "${bytes:-?}" "${errs:-none}"
    echo "$rps" >"$D/last.rps"
}

echo "Fixture: simulated Caribbean scenario, 3 days, $NOBS stored observations;"
echo "\`wrk -t2 -c$CONNS -d${SECS}s --latency\` per row unless noted, on 127.0.0.1; the server is"
echo "single-threaded, so with $CONNS connections an uncached request waits behind the others."
echo "Rows marked *uncached* run against a second server with \`--cache-ms 0\` (every request"
echo "reads the store and builds the report); the others use the default 1 s response cache,"
echo "so they measure the server path, not the store. Every answer closes its connection"
echo "(one request per connection, issue 17 F5: no keep-alive slowloris), so each request"
echo "includes a TCP connect; that bounds the cached rows (73k requests/s with keep-alive on"
echo "2026-11-26, on another machine of the same kind)."
echo
echo "| endpoint | p50 ms | p99 ms | requests/s | transfer/s | errors |"
echo "|---|---:|---:|---:|---:|---|"
row "/api/oob (order of battle report), uncached" "http://127.0.0.1:$PORT0/api/oob"
ORBAT_RPS=$(cat "$D/last.rps")
row "/api/oob, uncached, 1 connection (service time)" "http://127.0.0.1:$PORT0/api/oob" 1
row "/api/oob (order of battle report)" "http://127.0.0.1:$PORT/api/oob"
row "/api/assets?category=warship, uncached" "http://127.0.0.1:$PORT0/api/assets?category=warship"
row "/api/assets?category=warship" "http://127.0.0.1:$PORT/api/assets?category=warship"
row "/api/timeline, uncached" "http://127.0.0.1:$PORT0/api/timeline"
row "/data/aircraft.json, uncached" "http://127.0.0.1:$PORT0/data/aircraft.json"
row "/metrics" "http://127.0.0.1:$PORT/metrics"
row "/index.html (static)" "http://127.0.0.1:$PORT/index.html"
if command -v python3 >/dev/null; then
    PYPORT=$((PORT + 1))
    python3 -m http.server "$PYPORT" --bind 127.0.0.1 --directory "$D" >/dev/null 2>&1 &
    PYPID=$!
    sleep 1
    row "reference: python3 http.server, same report as a static file" \
        "http://127.0.0.1:$PYPORT/oob.json"
    PY_RPS=$(cat "$D/last.rps")
    echo
    awk -v a="$ORBAT_RPS" -v b="$PY_RPS" 'BEGIN { if (b > 0) printf "Uncached, orbat answers the report from the store at %.1fx the request rate of python3 serving it precomputed.\n", a / b }'
fi
echo
