#!/bin/sh
# tests/run.sh - run the whole suite against $BUILD and print "N passed, N failed".
#
# Every test program (unit binary, golden script, fuzz replay) prints TAP-ish
# lines "ok - ..." / "not ok - ...". A program that exits non-zero without
# printing a "not ok" line (a crash, a sanitizer report) counts as one failure.
# Set VERBOSE=1 to see every line; failures are always shown.
set -u
BUILD=${BUILD:-build}
ORBAT=$BUILD/orbat
export BUILD ORBAT
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${ORBAT_SHARED:-$ROOT/../shared}
export ROOT SHARED
TMPD=$(mktemp -d)
trap 'rm -rf "$TMPD"' EXIT
pass=0
fail=0

run_one() { # name, command...
    name=$1; shift
    out=$TMPD/out
    "$@" >"$out" 2>"$TMPD/err"
    rc=$?
    p=$(grep -c '^ok ' "$out")
    f=$(grep -c '^not ok ' "$out")
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1
        echo "not ok - $name exited with status $rc"
        tail -n 30 "$TMPD/err"
    fi
    if [ "$f" -gt 0 ]; then
        grep '^not ok ' "$out" | head -n 50
        [ -s "$TMPD/err" ] && tail -n 20 "$TMPD/err"
    fi
    [ "${VERBOSE:-0}" = 1 ] && cat "$out"
    pass=$((pass + p))
    fail=$((fail + f))
    printf '  %-40s %5d ok %3d failed\n' "$name" "$p" "$f"
}

echo "== suite in $BUILD"
for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    run_one "unit/$(basename "$t")" "$t"
done
for g in "$ROOT"/tests/golden/*.sh; do
    [ -f "$g" ] || continue
    run_one "golden/$(basename "$g" .sh)" sh "$g"
done
for r in "$BUILD"/replay/fuzz_*; do
    [ -x "$r" ] || continue
    n=$(basename "$r")
    n=${n#fuzz_}
    run_one "fuzz-replay/$n" "$r" "$ROOT/tests/fuzz/corpus/$n" "$ROOT/tests/fuzz/crashers/$n"
done
for s in "$ROOT"/tests/integration/*.sh; do
    [ -f "$s" ] || continue
    run_one "integration/$(basename "$s" .sh)" sh "$s"
done
echo "[$BUILD] $pass ok, $fail not ok"
if [ -n "${COUNTS:-}" ]; then
    echo "$pass $fail" >>build/.counts
fi
if [ -n "${COUNTS:-}" ]; then exit 0; fi
[ "$fail" -eq 0 ]
