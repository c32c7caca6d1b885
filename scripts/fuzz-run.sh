#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# fuzz-run.sh - run each libFuzzer target in build/fuzz (make fuzz) for
# FUZZ_SECONDS seconds (default 120), one after the other, starting from
# a scratch copy of its seed corpus (tests/fuzz/corpus/NAME and crashers/
# NAME, which are not modified). Every sanitizer finding is fatal in that
# build (-fno-sanitize-recover=all): a crash, leak, timeout or undefined
# behaviour is saved in build/fuzz/findings/NAME/ and the script exits 1.
# Arguments: target names ("http readsb"); none = every target.
#
#   make fuzz-run FUZZ_SECONDS=60 FUZZ_TARGETS="http readsb"
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECS=${FUZZ_SECONDS:-120}
BIN=$ROOT/build/fuzz
if [ $# -eq 0 ]; then
    set --
    for f in "$BIN"/fuzz_*; do
        [ -x "$f" ] && set -- "$@" "${f##*/fuzz_}"
    done
fi
failed=0
for name in "$@"; do
    exe=$BIN/fuzz_$name
    if [ ! -x "$exe" ]; then
        echo "fuzz-run: no $exe (make fuzz)" >&2
        failed=1
        continue
    fi
    work=$BIN/work/$name
    out=$BIN/findings/$name
    rm -rf "$work"
    mkdir -p "$work" "$out"
    for d in "$ROOT/tests/fuzz/corpus/$name" "$ROOT/tests/fuzz/crashers/$name"; do
        [ -d "$d" ] && find "$d" -maxdepth 1 -type f ! -name 'SOURCES*' -exec cp {} "$work/" \;
    done
    "$exe" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$out/" "$work" >"$out/log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/log" | tail -n 1)
    if [ $rc -eq 0 ]; then
        echo "fuzz-run: $name: ${execs:-?} runs in ${SECS} s, no finding"
    else
        echo "fuzz-run: $name: FINDING (exit $rc) after ${execs:-?} runs; see $out/log"
        grep -m 3 -E "ERROR|runtime error|SUMMARY" "$out/log"
        failed=1
    fi
done
exit $failed
