#!/bin/sh
# Sum the per-build counts written by tests/run.sh and print the closing line.
f=${1:-build/.counts}
pass=0; fail=0
while read -r p q; do pass=$((pass + p)); fail=$((fail + q)); done <"$f"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
