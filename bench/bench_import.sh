#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# bench_import.sh - `orbat import` of public-archive formats against the
# decompression floor, on one core (taskset, --threads 1), into a fresh
# SQLite file. Prints one markdown section.
#
# 1. A SYNTHETIC adsb.lol globe_history day (bench/make_globe_day.sh: 40,000
#    readsb trace files in a split tar, ~1 GB): the same members inflated by
#    `zcat` (gzip's own inflater) is the floor; orbat reads the split parts
#    through libarchive, inflates with libdeflate, parses every point and
#    keeps the passes that touch the Caribbean theatre. Then the same with
#    --mil, which decides each member from its name and header first.
# 2. MarineCadastre AIS CSV (2025 layout, zstd): synthetic rows, worldwide,
#    a share in the Caribbean; `zstdcat` of the same file is the floor.
#
#   IMPORT_BENCH_FILES=40000   trace files of the synthetic day
#   IMPORT_BENCH_ROWS=3000000  MarineCadastre rows
# CPU time (user+sys) is the measure: the machine is shared. Peak RSS from
# /usr/bin/time.
set -u
OUT=${OUT:-bench/out}
ROOT=${ROOT:-.}
FILES=${IMPORT_BENCH_FILES:-40000}
ROWS=${IMPORT_BENCH_ROWS:-3000000}
mkdir -p "$OUT"
pin=
command -v taskset >/dev/null 2>&1 && pin="taskset -c 0"
TIME=/usr/bin/time

DAY=$OUT/globe-$FILES
TAG=v2025.10.23-planes-readsb-prod-0
if [ ! -s "$DAY/$TAG.tar.aa" ]; then
    echo "bench import: generating the synthetic day ($FILES files) ..." >&2
    rm -rf "$DAY"
    sh "$ROOT/bench/make_globe_day.sh" "$DAY" --files "$FILES" >&2 || exit 1
fi
# The members' bytes, concatenated (what zcat inflates: the same gzip
# members, without the tar framing).
if [ ! -s "$DAY/members.gz" ]; then
    cat "$DAY/$TAG".tar.a? | tar -xOf - --wildcards 'traces/*' >"$DAY/members.gz"
fi
tar_bytes=$(cat "$DAY/$TAG".tar.a? | wc -c)
nparts=$(ls "$DAY/$TAG".tar.a? | wc -l)
members_bytes=$(wc -c <"$DAY/members.gz")

# run LABEL CMD... -> sets cpu wall rss (stdout/stderr of CMD to $OUT/import.log):
# the median of IMPORT_BENCH_RUNS runs (default 3; the machine is shared,
# and CPU time also varies with what the other core does). Each run starts
# from a fresh database (the commands name theirs; it is removed first).
RUNS=${IMPORT_BENCH_RUNS:-3}
run() {
    label=$1
    shift
    echo "bench import: $label ($RUNS runs) ..." >&2
    : >"$OUT/import.runs"
    i=0
    while [ $i -lt "$RUNS" ]; do
        for a in "$@"; do case $a in *.db) rm -f "$a" "$a-wal" "$a-shm" ;; esac; done
        $TIME -f '%e %U %S %M' -o "$OUT/import.time" $pin "$@" >"$OUT/import.log" 2>&1
        read -r w u s r <"$OUT/import.time"
        echo "$u $s $w $r" | awk '{printf "%.2f %s %s\n", $1 + $2, $3, $4}' >>"$OUT/import.runs"
        i=$((i + 1))
    done
    read -r cpu wall rss <<EOF2
$(sort -n "$OUT/import.runs" | sed -n "$(((RUNS + 1) / 2))p")
EOF2
    runs_all=$(cut -d' ' -f1 "$OUT/import.runs" | sort -n | tr '\n' ' ')
}

run "zcat of the members" sh -c "zcat <'$DAY/members.gz' >/dev/null"
z_cpu=$cpu
z_runs=$runs_all
inflated=$(zcat <"$DAY/members.gz" | wc -c)

rm -f "$OUT/import-full.db" "$OUT/import-full.db-wal" "$OUT/import-full.db-shm"
run "orbat import --theatre caribbean" "$ORBAT" import --threads 1 --db "$OUT/import-full.db" \
    --theatre caribbean "$DAY/$TAG.tar.aa"
f_cpu=$cpu
f_wall=$wall
f_rss=$rss
f_runs=$runs_all
f_sum=$(grep '^import: ' "$OUT/import.log" | tr '\n' ' ')
rm -f "$OUT/import-big.db" "$OUT/import-big.db-wal" "$OUT/import-big.db-shm"
keep_runs=$RUNS
RUNS=1
run "orbat import --theatre caribbean --sort-mem 512" "$ORBAT" import --threads 1 \
    --db "$OUT/import-big.db" --theatre caribbean --sort-mem 512 "$DAY/$TAG.tar.aa"
b_cpu=$cpu
b_wall=$wall
b_rss=$rss
f_obs=$(sqlite3 "$OUT/import-full.db" "SELECT count(*) FROM observations")
f_assets=$(sqlite3 "$OUT/import-full.db" "SELECT count(*) FROM assets")

# The same with a small and a large time-ordering buffer: memory is bounded
# by --sort-mem (the rest spills to temporary files), not by the archive.
rm -f "$OUT/import-small.db" "$OUT/import-small.db-wal" "$OUT/import-small.db-shm"
run "orbat import --theatre caribbean --sort-mem 16" "$ORBAT" import --threads 1 \
    --db "$OUT/import-small.db" --theatre caribbean --sort-mem 16 "$DAY/$TAG.tar.aa"
RUNS=$keep_runs
s_cpu=$cpu
s_wall=$wall
s_rss=$rss
s_same=no
[ "$(sqlite3 "$OUT/import-small.db" "SELECT count(*), sum(t_ms) FROM observations")" = \
    "$(sqlite3 "$OUT/import-full.db" "SELECT count(*), sum(t_ms) FROM observations")" ] && s_same=yes

rm -f "$OUT/import-mil.db" "$OUT/import-mil.db-wal" "$OUT/import-mil.db-shm"
run "orbat import --mil --theatre caribbean" "$ORBAT" import --threads 1 --db "$OUT/import-mil.db" \
    --mil --theatre caribbean "$DAY/$TAG.tar.aa"
m_cpu=$cpu
m_wall=$wall
m_rss=$rss
m_runs=$runs_all
m_sum=$(grep '^import: ' "$OUT/import.log" | tr '\n' ' ')
m_assets=$(sqlite3 "$OUT/import-mil.db" "SELECT count(*) FROM assets")

# MarineCadastre: synthetic rows, one vessel a row cycle, 60 s apart;
# vessels spread worldwide, 1 in 20 inside the Caribbean.
MC=$OUT/ais-mc-$ROWS.csv.zst
if [ ! -s "$MC" ]; then
    echo "bench import: generating $ROWS MarineCadastre rows ..." >&2
    awk -v n="$ROWS" 'BEGIN {
        print "mmsi,base_date_time,longitude,latitude,sog,cog,heading,vessel_name,imo,call_sign,vessel_type,status,length,width,draft,cargo,transceiver"
        nv = 5000
        for (i = 0; i < n; i++) {
            v = i % nv; k = int(i / nv)
            t = 1760486400 + k * 60
            if (v % 20 == 0) { lat = 12 + (v % 97) / 10 + k * 0.001; lon = -80 + (v % 89) / 5 }
            else { lat = 25 + (v % 193) / 10; lon = -170 + (v % 331) / 3 + k * 0.001 }
            s = strftime("%Y-%m-%d %H:%M:%S", t, 1)
            printf "%d,%s,%.5f,%.5f,%.1f,%.1f,%d,VESSEL %d,,CALL%d,%d,0,%d,%d,%.1f,,A\n", 366000000 + v, s, lon, lat, 10 + v % 7, (v * 7) % 360, (v * 7) % 360, v, v, 70 + v % 20, 50 + v % 200, 10 + v % 30, 5.5
        }
    }' | zstd -q -3 -o "$MC"
fi
run "zstdcat of the CSV" sh -c "zstdcat '$MC' >/dev/null"
zs_cpu=$cpu
rm -f "$OUT/import-mc.db" "$OUT/import-mc.db-wal" "$OUT/import-mc.db-shm"
run "orbat import MarineCadastre --theatre caribbean" "$ORBAT" import --threads 1 \
    --db "$OUT/import-mc.db" --theatre caribbean "$MC"
mc_cpu=$cpu
mc_wall=$wall
mc_rss=$rss
mc_kept=$(sqlite3 "$OUT/import-mc.db" "SELECT count(*) FROM observations")

mb() { echo "$1" | awk '{printf "%.0f", $1 / 1e6}'; }
ratio() { echo "$1 $2" | awk '{ if ($2 > 0) printf "%.2f", $1 / $2; else print "-" }'; }
cat <<EOF
## Archive import (\`orbat import\`, one core)

Input 1: a SYNTHETIC adsb.lol globe_history day made by \`bench/make_globe_day.sh\`:
$FILES readsb trace files, $(mb "$tar_bytes") MB of tar in $nparts parts
(\`$TAG.tar.aa\`, ...), $(mb "$members_bytes") MB of gzip members inflating to
$(mb "$inflated") MB of JSON. orbat inflates with libdeflate (Debian libdeflate0); the floor
is \`zcat\` (gzip 1.12's own inflater) of the same members, concatenated, to /dev/null.
Every run pinned to one core (\`taskset -c 0\`), orbat with \`--threads 1\`, into a fresh
SQLite file.

| run | CPU s | wall s | peak RSS | vs zcat (CPU) |
|---|---:|---:|---:|---:|
| \`zcat\` of the members | $z_cpu | | | 1.00 |
| \`orbat import --theatre caribbean\` (full scan, every point parsed) | $f_cpu | $f_wall | $((f_rss / 1024)) MB | $(ratio "$f_cpu" "$z_cpu") |
| \`orbat import --theatre caribbean --sort-mem 512\` (all in memory) | $b_cpu | $b_wall | $((b_rss / 1024)) MB | $(ratio "$b_cpu" "$z_cpu") |
| \`orbat import --theatre caribbean --sort-mem 16\` (same observations: $s_same) | $s_cpu | $s_wall | $((s_rss / 1024)) MB | $(ratio "$s_cpu" "$z_cpu") |
| \`orbat import --mil --theatre caribbean\` | $m_cpu | $m_wall | $((m_rss / 1024)) MB | $(ratio "$m_cpu" "$z_cpu") |

- CPU seconds of each run (the table gives the median): zcat $z_runs; full scan $f_runs; \`--mil\` $m_runs.
- Full scan: $f_sum; $f_obs observations and $f_assets assets stored.
- \`--mil\`: $m_sum; $m_assets assets stored. Full scan / \`--mil\` CPU: **$(ratio "$f_cpu" "$m_cpu")x**.
- Memory: the observations kept are put in time order in a buffer of \`--sort-mem\` MiB (default
  64) that spills sorted runs to temporary files; the other buffers hold one member (inflated,
  capped at 1 GiB) and the ingest queues. Peak RSS therefore follows \`--sort-mem\` and the
  largest member, not the archive size.
- Every run also hashes the archive (SHA-256 of all parts, the source's identity), about 0.6 s
  of CPU per GB here, which is included.
- Targets (issue 13): full theatre import within 1.5x of zcat; \`--mil\` at least 10x faster than the full scan.

Input 2: MarineCadastre 2025 layout, $ROWS SYNTHETIC rows (5,000 vessels, 1 in 20 in the
Caribbean), zstd -3 ($(mb "$(wc -c <"$MC")") MB).

| run | CPU s | wall s | peak RSS | rows/s per CPU second |
|---|---:|---:|---:|---:|
| \`zstdcat\` of the file | $zs_cpu | | | $(echo "$ROWS $zs_cpu" | awk '{printf "%.0f", $1 / $2}') |
| \`orbat import --theatre caribbean\` (two passes: the vessels that enter the area, then their rows) | $mc_cpu | $mc_wall | $((mc_rss / 1024)) MB | **$(echo "$ROWS $mc_cpu" | awk '{printf "%.0f", $1 / $2}')** |

$mc_kept positions stored. Target (issue 13): at least 1M rows/s per core end to end into SQLite.
EOF
