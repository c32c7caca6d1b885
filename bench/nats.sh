#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# nats.sh - the broker path of the scale-out (docs/scale-out.md) on a real
# 3-node NATS JetStream cluster on this machine (tests/integration/
# nats_cluster.inc): lines/s per CPU-second in (orbat publish + the three
# servers, R3 file stream) and out (the servers while two shard workers
# drain), and the workers' own CPU (decode, identify, track, events,
# SQLite, one file per worker). CPU is read from /proc/PID/stat (servers)
# and /usr/bin/time (publisher, workers). Prints a Markdown table.
#
#   sh bench/nats.sh [COPIES]   (COPIES of a 10-day simulated AIS+SBS
#                                capture, default 40)
set -u
cd "${ROOT:-.}" || exit 1
O=${ORBAT:-build/orbat}
COPIES=${1:-40}
. tests/integration/nats_cluster.inc
nats_require
T=$(mktemp -d)
trap 'nats_stop; rm -rf "$T"' EXIT
nats_start "$T/nats" >/dev/null || exit 1
U=$NATS_URLS
"$O" simulate scenarios/caribbean-2025.json --from 2025-10-14 --to 2025-10-24 \
    --out-ais "$T/a.nmea" --out-sbs "$T/b.sbs" 2>/dev/null
i=0
while [ $i -lt "$COPIES" ]; do
    cat "$T/a.nmea" "$T/b.sbs"
    i=$((i + 1))
done >"$T/in.txt"
LINES=$(grep -vc '^#' "$T/in.txt")
HZ=$(getconf CLK_TCK)
srv_ticks() { # utime + stime of the three servers, in ticks
    s=0
    for k in 1 2 3; do
        set -- $(sed 's/.*) //' /proc/"$(nats_node_pid $k)"/stat)
        s=$((s + ${12} + ${13}))
    done
    echo $s
}
cpu_of() { # user+system CPU seconds written by /usr/bin/time -f '%U %S' into the files
    cat "$@" | awk '{ s += $1 + $2 } END { printf "%.3f", s }'
}
tm() { # OUTFILE COMMAND...: run it, its CPU seconds into OUTFILE
    o=$1
    shift
    /usr/bin/time -f '%U %S' -o "$o" "$@"
}
"$O" cluster init -q --nats "$U" --shards 2 --ack-wait-ms 30000
s0=$(srv_ticks)
t0=$(date +%s.%N)
tm "$T/pub.cpu" "$O" publish -q --nats "$U" --receiver bench --shards 2 --batch-lines 500 "$T/in.txt" || echo "publish failed" >&2
t1=$(date +%s.%N)
s1=$(srv_ticks)
tm "$T/w0.cpu" "$O" ingest -q --nats "$U" --shard 0/2 --drain --db "$T/w0.db" &
w0=$!
tm "$T/w1.cpu" "$O" ingest -q --nats "$U" --shard 1/2 --drain --db "$T/w1.db" &
w1=$!
wait $w0 $w1
t2=$(date +%s.%N)
s2=$(srv_ticks)
pubcpu=$(cpu_of "$T/pub.cpu")
wkcpu=$(cpu_of "$T/w0.cpu" "$T/w1.cpu")
MSGS=$("$O" cluster status --nats "$U" | sed -n 's/^stream ORBAT_RAW: \([0-9]*\) messages.*/\1/p')
OBS=$(($(sqlite3 "$T/w0.db" 'SELECT count(*) FROM observations') + $(sqlite3 "$T/w1.db" 'SELECT count(*) FROM observations')))
awk -v lines="$LINES" -v msgs="$MSGS" -v obs="$OBS" -v hz="$HZ" -v s0="$s0" -v s1="$s1" -v s2="$s2" \
    -v pub="$pubcpu" -v wk="$wkcpu" -v t0="$t0" -v t1="$t1" -v t2="$t2" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" -v np="$(nproc)" 'BEGIN {
    svin = (s1 - s0) / hz; svout = (s2 - s1) / hz
    printf "nproc=%s, load average %s; %d lines in %d batches (500 lines), R3 file stream, 3 servers on 127.0.0.1\n\n", np, load, lines, msgs
    printf "| path | wall s | CPU s | lines/s wall | lines per CPU-s | CPU-s per million lines |\n|---|---|---|---|---|---|\n"
    printf "| in: orbat publish | %.2f | %.2f | %.0f | %.0f | %.2f |\n", t1 - t0, pub, lines / (t1 - t0), lines / pub, pub * 1e6 / lines
    printf "| in: 3 servers | | %.2f | | %.0f | %.2f |\n", svin, lines / svin, svin * 1e6 / lines
    printf "| in: publish + servers | | %.2f | | %.0f | %.2f |\n", pub + svin, lines / (pub + svin), (pub + svin) * 1e6 / lines
    printf "| out: 3 servers (2 workers fetching) | %.2f | %.2f | | %.0f | %.2f |\n", t2 - t1, svout, lines / svout, svout * 1e6 / lines
    printf "| out: 2 workers (decode..SQLite) | %.2f | %.2f | %.0f | %.0f | %.2f |\n", t2 - t1, wk, lines / (t2 - t1), lines / wk, wk * 1e6 / lines
    printf "\n%d observations stored (earliest per asset per minute).\n", obs
}'
