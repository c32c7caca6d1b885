#!/bin/sh
# bench/bench_sim.sh - simulator speed (issue 8: >= 1M messages/s generated)
# and the size/time of the shipped Caribbean scenario, with the decoders that
# consume the output measured side by side on the same generated files
# (gpsdecode 3.22 and `orbat decode` for AIS; `orbat decode` for Beast).
# Prints one markdown section. Env: ORBAT, ROOT, OUT (from bench/run.sh).
set -eu
ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
OUT=${OUT:-$ROOT/bench/out}
ORBAT=${ORBAT:-$ROOT/build/orbat}
mkdir -p "$OUT"
DAYS=${BENCH_SIM_DAYS:-3}

# A dense scenario: every transmission in range, no loss, real ITU/DO-260B rates.
end_day=$((1 + DAYS))
cat >"$OUT/sim_dense.json" <<EOF
{"name":"bench-dense","start":"2025-10-01T00:00:00Z","end":"2025-10-0${end_day}T00:00:00Z","seed":5,
 "rates":{"ais_scale":1,"adsb_scale":1},"loss":0,
 "receivers":[{"name":"rx","lat":14,"lon":-70,"range_km":3000}],
 "assets":[],
 "background":{"cargo":30,"tanker":10,"fishing":20,"airliners":10,
  "ports":[{"name":"Kingston","lat":17.95,"lon":-76.8},{"name":"Cartagena","lat":10.4,"lon":-75.55},
           {"name":"Willemstad","lat":12.1,"lon":-68.93},{"name":"San Juan","lat":18.47,"lon":-66.12},
           {"name":"Port of Spain","lat":10.65,"lon":-61.52}],
  "airports":[{"name":"TJSJ","lat":18.44,"lon":-66.0},{"name":"TNCC","lat":12.19,"lon":-68.96},
              {"name":"TTPP","lat":10.6,"lon":-61.34},{"name":"MKJP","lat":17.94,"lon":-76.79}]}}
EOF

# run LABEL CMD... -> "user+sys wall" seconds in $OUT/time.txt, stderr in $OUT/run.err
timed() {
    /usr/bin/time -f "%U %S %e" -o "$OUT/time.txt" "$@" 2>"$OUT/run.err" >/dev/null
}
cpu() { awk '{printf "%.3f", $1 + $2}' "$OUT/time.txt"; }
wall() { awk '{printf "%.3f", $3}' "$OUT/time.txt"; }
msgs() { sed -n 's/.*lost; \([0-9]*\) AIS messages.*, \([0-9]*\) Mode S frames.*/\1 \2/p' "$1"; }
rate() { awk -v n="$1" -v t="$2" 'BEGIN { if (t > 0) printf "%.2fM/s", n / t / 1e6; else print "n/a" }'; }

echo "bench_sim: dense scenario, $DAYS days, no output files" >&2
timed "$ORBAT" simulate "$OUT/sim_dense.json" --stats
set -- $(msgs "$OUT/run.err")
dense_n=$(($1 + $2))
dense_cpu=$(cpu)
dense_wall=$(wall)
echo "bench_sim: dense scenario to files" >&2
timed "$ORBAT" simulate "$OUT/sim_dense.json" --out-ais "$OUT/sim_dense.ais" \
    --out-beast "$OUT/sim_dense.beast" --stats
set -- $(msgs "$OUT/run.err")
ais_n=$1
beast_n=$2
files_cpu=$(cpu)
files_wall=$(wall)
sha1=$(cat "$OUT/sim_dense.ais" "$OUT/sim_dense.beast" | sha256sum | cut -c1-16)
"$ORBAT" simulate "$OUT/sim_dense.json" --out-ais "$OUT/sim_dense2.ais" \
    --out-beast "$OUT/sim_dense2.beast" 2>/dev/null
sha2=$(cat "$OUT/sim_dense2.ais" "$OUT/sim_dense2.beast" | sha256sum | cut -c1-16)
rm -f "$OUT/sim_dense2.ais" "$OUT/sim_dense2.beast"

echo "bench_sim: decoders on the generated files" >&2
gps_cell="not installed"
if command -v gpsdecode >/dev/null 2>&1; then
    /usr/bin/time -f "%U %S %e" -o "$OUT/time.txt" sh -c \
        "gpsdecode -u -j <'$OUT/sim_dense.ais' >/dev/null 2>&1" || true
    gps_cpu=$(cpu)
    gps_cell="$(rate "$ais_n" "$gps_cpu") ($gps_cpu s)"
fi
timed "$ORBAT" decode -f none "$OUT/sim_dense.ais" || true
od_ais_cpu=$(cpu)
timed "$ORBAT" decode -f none "$OUT/sim_dense.beast" || true
od_beast_cpu=$(cpu)

echo "bench_sim: caribbean-2025" >&2
timed "$ORBAT" simulate "$ROOT/scenarios/caribbean-2025.json" --out-ais "$OUT/carib.ais" \
    --out-beast "$OUT/carib.beast" --out-sbs "$OUT/carib.sbs" --truth "$OUT/carib_truth.json" \
    --stats
set -- $(msgs "$OUT/run.err")
carib_ais=$1
carib_modes=$2
carib_cpu=$(cpu)
carib_wall=$(wall)
size() { du -h "$1" | cut -f1; }

echo "## Simulator"
echo
echo "\`orbat simulate\` (issue 8 target: >= 1M messages/s generated). CPU = user+sys of the"
echo "process (the machine is shared, so wall time is also shown). A message is one AIS"
echo "message (type 5 = 2 sentences) or one Mode S frame, encoded and framed."
echo
echo "| run | messages | CPU s | rate (CPU) | wall s |"
echo "|---|---|---|---|---|"
echo "| dense, $DAYS days, 70 assets, encode only | $dense_n | $dense_cpu | $(rate "$dense_n" "$dense_cpu") | $dense_wall |"
echo "| dense, to AIS + Beast files | $((ais_n + beast_n)) | $files_cpu | $(rate $((ais_n + beast_n)) "$files_cpu") | $files_wall |"
echo "| caribbean-2025 (139 days, AIS + Beast + SBS + truth) | $((carib_ais + carib_modes)) | $carib_cpu | $(rate $((carib_ais + carib_modes)) "$carib_cpu") | $carib_wall |"
echo
echo "Determinism: two runs of the dense scenario give sha256 $sha1 and $sha2"
echo "($( [ "$sha1" = "$sha2" ] && echo identical || echo DIFFERENT))."
echo
echo "Consumers of the same generated files, side by side (CPU rate, messages/s):"
echo
echo "| decoder | input | rate |"
echo "|---|---|---|"
echo "| gpsdecode -u -j (gpsd 3.22) | dense AIS, $ais_n messages | $gps_cell |"
echo "| orbat decode -f none | dense AIS | $(rate "$ais_n" "$od_ais_cpu") ($od_ais_cpu s) |"
echo "| orbat decode -f none | dense Beast, $beast_n frames | $(rate "$beast_n" "$od_beast_cpu") ($od_beast_cpu s) |"
echo
echo "caribbean-2025 outputs: AIS $(size "$OUT/carib.ais") ($carib_ais messages),"
echo "Beast $(size "$OUT/carib.beast") and SBS $(size "$OUT/carib.sbs") ($carib_modes frames); intervals"
echo "thinned by the scenario's ais_scale/adsb_scale (docs/simulator.md)."
echo
