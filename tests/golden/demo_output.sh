#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# demo_output.sh - the newcomer review of `make demo` (2026-12-07): the
# build runs quietly (make -s: no ~110 compiler command lines before the
# demo, errors still shown), the timeline step shows its header with the
# last 15 days, steps 6 and 7 say which distance each number is (the
# nearest stored fix vs the straight line between two fixes), and no
# plane-alert-db "????" placeholder is printed. Runs scripts/demo.sh into a
# temporary directory (DEMO_OUT), not build/demo.
set -u
ORBAT=${ORBAT:-build/orbat}
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
case $ORBAT in /*) ;; *) ORBAT=$(pwd)/$ORBAT ;; esac
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# The demo renders the timeline to PNG: fontconfig's caches are not ours
# (as in timeline_png.sh).
LSAN_OPTIONS="suppressions=$ROOT/tests/integration/timeline_png.lsan:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1"; }

# The demo target's recipe: the build is make -s and announced.
(cd "$ROOT" && make -n --no-print-directory demo 2>/dev/null) >"$T/recipe"
if grep -q -- ' -s all' "$T/recipe" && grep -q 'echo "building' "$T/recipe"; then
    ok "make demo builds with make -s after a 'building' line"
else
    nok "make demo's build is not quiet: $(head -c 300 "$T/recipe")"
fi

if ! DEMO_OUT=$T/demo sh "$ROOT/scripts/demo.sh" "$ORBAT" >"$T/out" 2>&1; then
    nok "scripts/demo.sh failed: $(tail -n 5 "$T/out")"
    exit 1
fi
ok "scripts/demo.sh ran ($(wc -l <"$T/out") lines)"
if grep -q '^cc \|-I/usr/include' "$T/out"; then nok "compiler lines in the demo output"; else ok "no compiler lines in the demo output"; fi
# Step 5: the header line, then 15 days.
sed -n '/^== 5\/8/,/^== 6\/8/p' "$T/out" >"$T/s5"
if grep -q '^   day  *warship  *military aircraft  *total' "$T/s5" &&
    [ "$(grep -c '^   20[0-9][0-9]-[0-9][0-9]-[0-9][0-9] ' "$T/s5")" -eq 15 ]; then
    ok "timeline step: header and 15 days"
else
    nok "timeline step: $(head -c 300 "$T/s5")"
fi
# Steps 6 and 7: each distance says what it is.
sed -n '/^== 6\/8/,/^== 7\/8/p' "$T/out" >"$T/s6"
sed -n '/^== 7\/8/,/^== 8\/8/p' "$T/out" >"$T/s7"
if grep -q 'BARB21 (ae6bd1) .*closest to the Venezuelan coast [0-9.]* nm ([0-9.]* km): nearest stored fix' "$T/s6" &&
    grep -q "straight line between two fixes" "$T/s6"; then
    ok "step 6: BARB21's distance is the nearest stored fix, and says so"
else
    nok "step 6: $(grep BARB21 "$T/s6")"
fi
fix6=$(sed -n 's/.*BARB21 (ae6bd1) .*coast \([0-9.]*\) nm.*/\1/p' "$T/s6")
fix7=$(sed -n 's/.*closest fix \([0-9.]*\) nm.*/\1/p' "$T/s7" | head -n 1)
if grep -q 'closest approach: along the straight line between two fixes' "$T/s7" &&
    grep -q 'measured: closest approach' "$T/s7" && [ -n "$fix7" ] &&
    awk -v a="$fix6" -v b="$fix7" 'BEGIN { d = a - b; exit !(d < 0.06 && d > -0.06) }'; then
    ok "step 7 explains 'closest approach' and shows the closest fix ($fix7 nm = step 6's $fix6 nm)"
else
    nok "step 7: closest fix '$fix7' vs step 6 '$fix6': $(head -c 400 "$T/s7")"
fi
if grep -q '????' "$T/out"; then nok "a ???? placeholder in the demo output"; else ok "no ???? placeholder in the demo output"; fi
