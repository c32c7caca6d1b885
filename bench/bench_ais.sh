#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# bench_ais.sh - AIS decoding throughput: orbat decode vs gpsdecode 3.22 on
# the real benchmark input (shared/testdata/ais/bench/make_bench.sh: the
# real logs repeated REPS times, ~1M sentences at REPS=20), each pinned to
# one core with taskset, output to /dev/null. Prints one markdown section.
#
#   AIS_BENCH_REPS=20 (default)  repetitions of the real unit
# Rates use CPU time (user+sys) as well as wall time: on a shared machine
# wall time includes waiting for the core. Peak RSS comes from
# /usr/bin/time (getrusage) for the x1 and xREPS inputs to show it is flat.
set -u
REPS=${AIS_BENCH_REPS:-20}
OUT=${OUT:-bench/out}
mkdir -p "$OUT"
in=$OUT/real-x$REPS.nmea
unit=$OUT/real-x1.nmea
[ -s "$in" ] || sh "$SHARED/testdata/ais/bench/make_bench.sh" "$REPS" "$OUT" >&2
[ -s "$unit" ] || sh "$SHARED/testdata/ais/bench/make_bench.sh" 1 "$OUT" >&2
sent=$(grep -c 'VD[MO],' "$in")
pin=
command -v taskset >/dev/null 2>&1 && pin="taskset -c 0"
TIME=/usr/bin/time
[ -x $TIME ] || TIME=

# run LABEL INPUT CMD... -> sets wall cpu rss
run() {
    label=$1
    input=$2
    shift 2
    echo "bench ais: $label ..." >&2
    if [ -n "$TIME" ]; then
        $TIME -f '%e %U %S %M' -o "$OUT/ais.time" $pin "$@" < "$input" > /dev/null 2>/dev/null
        read -r wall u s rss < "$OUT/ais.time"
        cpu=$(echo "$u $s" | awk '{printf "%.2f", $1 + $2}')
    else
        t0=$(date +%s.%N)
        $pin "$@" < "$input" > /dev/null 2>/dev/null
        wall=$(echo "$t0 $(date +%s.%N)" | awk '{printf "%.2f", $2 - $1}')
        cpu=$wall
        rss=0
    fi
}

rate() { # sentences seconds
    echo "$1 $2" | awk '{ if ($2 > 0) printf "%.0f", $1 / $2; else print "inf" }'
}

echo "## AIS decoding (orbat decode vs gpsdecode)"
echo
echo "Input: \`make_bench.sh $REPS\` = $(wc -l < "$in") lines, $sent AIS sentences"
echo "($(wc -c < "$in") bytes) of real receiver logs, repeated; one core (\`$pin\`)."
echo

have_gpsd=0
command -v gpsdecode >/dev/null 2>&1 && have_gpsd=1
if [ $have_gpsd = 1 ]; then
    run "gpsdecode -u -j" "$in" gpsdecode -u -j
    g_wall=$wall g_cpu=$cpu g_rss=$rss
fi
run "orbat --format gpsd" "$in" "$ORBAT" decode --format gpsd
o_wall=$wall o_cpu=$cpu o_rss=$rss
run "orbat --format jsonl" "$in" "$ORBAT" decode --format jsonl
j_wall=$wall j_cpu=$cpu j_rss=$rss
run "orbat --format none" "$in" "$ORBAT" decode --format none
n_wall=$wall n_cpu=$cpu n_rss=$rss
run "orbat --format gpsd (x1)" "$unit" "$ORBAT" decode --format gpsd
u_rss=$rss

echo "| command | wall s | CPU s | sentences/s (CPU) | sentences/s (wall) | vs gpsdecode (CPU) | peak RSS KiB |"
echo "|---|---:|---:|---:|---:|---:|---:|"
if [ $have_gpsd = 1 ]; then
    echo "| \`gpsdecode -u -j\` | $g_wall | $g_cpu | $(rate $sent $g_cpu) | $(rate $sent $g_wall) | 1.0x | $g_rss |"
fi
for row in "gpsd:$o_wall:$o_cpu:$o_rss" "jsonl:$j_wall:$j_cpu:$j_rss" "none:$n_wall:$n_cpu:$n_rss"; do
    IFS=: read -r f w c r <<ROW
$row
ROW
    ratio=n/a
    [ $have_gpsd = 1 ] && ratio=$(echo "$g_cpu $c" | awk '{ if ($2 > 0) printf "%.1fx", $1 / $2; else print "inf" }')
    echo "| \`orbat decode --format $f\` | $w | $c | $(rate $sent $c) | $(rate $sent $w) | $ratio | $r |"
done
echo
echo "Peak RSS of \`orbat decode --format gpsd\`: $u_rss KiB on the x1 input, $o_rss KiB on"
echo "x$REPS: memory stays flat (fixed reassembly slots, capped line buffer)."
if [ $have_gpsd = 1 ]; then
    gpsdecode -u -j < "$unit" 2>/dev/null | grep '"class":"AIS"' > "$OUT/ais.gpsd.json"
    "$ORBAT" decode --format gpsd "$unit" > "$OUT/ais.orbat.json"
    g=$(wc -l < "$OUT/ais.gpsd.json")
    o=$(wc -l < "$OUT/ais.orbat.json")
    miss=$(diff "$OUT/ais.gpsd.json" "$OUT/ais.orbat.json" | grep -c '^<')
    echo "Same JSON: on the x1 unit gpsdecode wrote $g AIS objects, orbat $o; $miss gpsdecode"
    echo "objects missing or different in orbat's output (orbat's extra objects are the"
    echo "documented deviations D1-D4 of docs/ais.md)."
    rm -f "$OUT/ais.gpsd.json" "$OUT/ais.orbat.json"
fi
echo "Targets: >= 10x gpsdecode with the same JSON, >= 2M sentences/s decode only."
echo
