#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# bench/make_globe_day.sh OUTDIR [globe_day options] - write a SYNTHETIC
# adsb.lol globe_history day for the import benchmark: by default 40,000
# readsb trace files (300 military, 60 of them in the Caribbean theatre) in
# OUTDIR/v2025.10.23-planes-readsb-prod-0.tar.aa, .ab, ... (about 1 GB in
# all), made by bench/globe_day.c with 2 threads. Options go to globe_day:
# --files N --mil N --carib N --date YYYY-MM-DD --split BYTES --seed N
# --threads N --level 1..12 (libdeflate gzip level, default 6).
# The files carry "orbat_simulated": true. Do not commit the output.
set -eu
ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${BUILD:-$ROOT/build}
if [ $# -lt 1 ]; then
    echo "usage: $0 OUTDIR [--files N] [--mil N] [--carib N] [--date D] [--split BYTES] ..." >&2
    exit 2
fi
OUTDIR=$1
shift
mkdir -p "$OUTDIR"
[ -f "$BUILD/liborbat.a" ] || make -C "$ROOT" --no-print-directory BUILD="$BUILD" "$BUILD/liborbat.a" >&2
BIN=$BUILD/bench/globe_day
mkdir -p "$BUILD/bench"
if [ ! -x "$BIN" ] || [ "$ROOT/bench/globe_day.c" -nt "$BIN" ] || [ "$BUILD/liborbat.a" -nt "$BIN" ]; then
    # shellcheck disable=SC2046 # the library flags are words
    ${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -Wall -Wextra \
        -I"$ROOT/include" -I"$ROOT/src" -o "$BIN" "$ROOT/bench/globe_day.c" "$BUILD/liborbat.a" \
        $(pkg-config --libs libarchive libdeflate jansson 2>/dev/null || echo -larchive -ldeflate -ljansson) \
        -lm -lpthread
fi
exec "$BIN" "$OUTDIR" "$@"
