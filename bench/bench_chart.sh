#!/bin/sh
# bench/bench_chart.sh - cost of `orbat timeline --png` (the SVG chart
# rendered with librsvg + cairo at 2x) next to `--svg` alone, on the demo
# database (the simulated caribbean-2025 scenario), with librsvg's own
# command-line renderer (rsvg-convert, Debian librsvg2-bin) on the same SVG
# as the peer when it is installed, and the PNG's size. No target in issue 6 for the chart; the line we hold is that a PNG
# costs well under a second of CPU for interactive use. Prints one markdown
# section. Env: ORBAT, ROOT, OUT (from bench/run.sh).
set -eu
ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
OUT=${OUT:-$ROOT/bench/out}
ORBAT=${ORBAT:-$ROOT/build/orbat}
RUNS=${BENCH_CHART_RUNS:-5}
D=$OUT/chart
mkdir -p "$D"
if [ ! -s "$D/orbat.db" ]; then
    echo "bench_chart: building the demo database" >&2
    sh "$ROOT/scripts/sim_demo_inputs.sh" "$D" "$ORBAT" >/dev/null 2>&1
    "$ORBAT" ingest --db "$D/orbat.db" --theatre caribbean "$D/caribbean-2025.ais" \
        "$D/caribbean-2025.sbs" >/dev/null 2>&1
fi
# median CPU seconds (user+sys) of RUNS runs of CMD...
median_cpu() {
    i=0
    : >"$D/cpu.txt"
    while [ $i -lt "$RUNS" ]; do
        /usr/bin/time -f "%U %S" -o "$D/time.txt" "$@" >/dev/null 2>"$D/run.err"
        awk '{printf "%.3f\n", $1 + $2}' "$D/time.txt" >>"$D/cpu.txt"
        i=$((i + 1))
    done
    sort -n "$D/cpu.txt" | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'
}
echo "bench_chart: $RUNS runs each" >&2
T="$ORBAT timeline --db $D/orbat.db --theatre caribbean"
none=$(median_cpu $T)
svg=$(median_cpu $T --svg "$D/t.svg")
png=$(median_cpu $T --png "$D/t.png")
both=$(median_cpu $T --svg "$D/t.svg" --png "$D/t.png")
days=$($T | grep -c '^[0-9]')
peer="n/a (rsvg-convert not installed)"
if command -v rsvg-convert >/dev/null 2>&1; then
    peer=$(median_cpu rsvg-convert -z 2 -o "$D/peer.png" "$D/t.svg")
fi
size=$(wc -c <"$D/t.png")
dims=$(python3 -c "import struct,sys; d=open(sys.argv[1],'rb').read(24); print('%dx%d' % struct.unpack('>II', d[16:24]))" "$D/t.png")
png_only=$(awk -v a="$png" -v b="$svg" 'BEGIN { printf "%.3f", a - b }')
pass=$(awk -v a="$png" 'BEGIN { print (a < 1.0) ? "yes" : "no" }')
cat <<EOF2
## Timeline chart: SVG and PNG (\`orbat timeline --png\`)

Demo database (simulated caribbean-2025, $days days, \`--theatre caribbean\`); median CPU
seconds (user+sys) of $RUNS runs; the PNG is the SVG rendered by librsvg + cairo at 2x.

| command | CPU s (median) |
|---|---:|
| \`orbat timeline\` (table only) | $none |
| \`--svg\` | $svg |
| \`--png\` | $png |
| \`--svg --png\` | $both |
| peer: \`rsvg-convert -z 2\` on the same SVG (whole process) | $peer |

PNG: $dims pixels, $size bytes; rendering and encoding it costs $png_only s of CPU over
the SVG alone. Target (ours; the issue sets none): \`--png\` under 1 s of CPU: **$pass**.
EOF2
