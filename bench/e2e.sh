#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# bench/e2e.sh - issue 16, the end-to-end number of the scale-out
# (docs/scale-out.md): N receivers (`orbat publish`, one per receiver id)
# -> a 3-node NATS JetStream cluster (R3, file storage, 127.0.0.1;
# tests/integration/nats_cluster.inc) -> 2 shard workers (`orbat ingest
# --nats --shard K/2`) -> one PostgreSQL 15 server (tests/integration/
# pg_server.inc, restarted with durable settings). Run twice per repeat:
# "staged" (every publisher first, then the workers with --drain: each stage
# alone) and "concurrent" (workers running while the publishers publish,
# stopped once both shards have nothing pending). Against it, in the same
# repeat and on the same input: one `orbat ingest` process into SQLite and
# into PostgreSQL.
#
# Input: DISTINCT simulated traffic. Receiver K is `orbat simulate` of the
# caribbean-2025 scenario with --seed K (a different background fleet,
# loss and jitter per receiver: no MMSI or ICAO address of the background
# is shared between seeds; the scenario's 8 warships are heard by every
# receiver, as by overlapping receivers), with the scenario's thinning of the report
# intervals reduced from 60x/120x to 6x (AIS class A at 10 kn every 60 s,
# ADS-B positions every ~3 s) and 10x the background traffic (140 cargo,
# ... see below), E2E_DAYS days from 2025-10-14.
#
# CPU: user + system ticks from /proc/PID/stat of each nats-server (before
# and after each phase); the publishers and workers under /usr/bin/time;
# PostgreSQL = the postmaster's own and reaped children's CPU (cutime,
# cstime) plus every live child (backends, WAL writer, checkpointer, ...).
# Prints a Markdown section on stdout, progress on stderr.
#
# Env: ORBAT, ROOT; E2E_RECEIVERS (4), E2E_DAYS (1), E2E_REPEAT (3).
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$ROOT" || exit 1
O=${ORBAT:-build/orbat}
case $O in /*) ;; *) O=$ROOT/$O ;; esac
NRX=${E2E_RECEIVERS:-4}
DAYS=${E2E_DAYS:-1}
REP=${E2E_REPEAT:-3}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
echo "## End to end: receivers -> NATS JetStream cluster -> 2 workers -> PostgreSQL (issue 16)"
echo
if [ ! -x "$PGBIN/initdb" ] || ! command -v nats-server >/dev/null 2>&1; then
    echo "nats-server or PostgreSQL 15 server binaries not installed: not measured."
    echo
    exit 0
fi
. tests/integration/nats_cluster.inc
. tests/integration/pg_server.inc
pg_start 13 >/dev/null || exit 1
# pg_start runs the server with fsync=off for tests; a benchmark of a store
# runs it as deployed: defaults (fsync, synchronous_commit, full_page_writes
# on) plus the memory settings of bench/pg_write.sh.
as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null 2>&1
as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 \
    -o "-k $PGDIR -c listen_addresses= -p $PORT -c shared_buffers=1GB -c max_wal_size=8GB -c checkpoint_timeout=30min" \
    start >/dev/null 2>&1 || {
    echo "PostgreSQL did not start: not measured."
    exit 1
}
trap 'nats_stop; pg_stop; rm -rf "$TMP"' EXIT
T=$TMP
HZ=$(getconf CLK_TCK)
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)

# --- input ------------------------------------------------------------------
python3 - "$ROOT/scenarios/caribbean-2025.json" "$T/scen.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["rates"]["ais_scale"] = 6
d["rates"]["adsb_scale"] = 6
b = d["background"]
for k in ("cargo", "tanker", "fishing", "airliners"):
    b[k] = b[k] * 10
json.dump(d, open(sys.argv[2], "w"))
EOF
TO=$(python3 -c "import datetime; print((datetime.date(2025, 10, 14) + datetime.timedelta(days=$DAYS)).isoformat())")
INPUTS=""
k=1
while [ $k -le "$NRX" ]; do
    "$O" simulate "$T/scen.json" --seed $k --from 2025-10-14 --to "$TO" \
        --out-ais "$T/rx$k.nmea" --out-sbs "$T/rx$k.sbs" 2>/dev/null || exit 1
    INPUTS="$INPUTS $T/rx$k.nmea $T/rx$k.sbs"
    k=$((k + 1))
done
# shellcheck disable=SC2086 # INPUTS are words
LINES=$(cat $INPUTS | grep -vc '^#')
# shellcheck disable=SC2086
AISL=$(cat $T/rx*.nmea | grep -vc '^#')
echo "e2e: $NRX receivers, $LINES lines ($AISL AIS), $REP repeats" >&2

# --- CPU counters -------------------------------------------------------------
ticks() { # PID: utime + stime
    set -- $(sed 's/.*) //' /proc/"$1"/stat 2>/dev/null)
    [ $# -gt 13 ] && echo $((${12} + ${13})) || echo 0
}
srv_ticks() { # the three servers: "t1 t2 t3"
    echo "$(ticks "$(nats_node_pid 1)") $(ticks "$(nats_node_pid 2)") $(ticks "$(nats_node_pid 3)")"
}
pg_ticks() { # postmaster + reaped children + live children
    pm=$(head -n 1 "$PGDIR/data/postmaster.pid")
    set -- $(sed 's/.*) //' /proc/"$pm"/stat)
    s=$((${12} + ${13} + ${14} + ${15}))
    for f in /proc/[0-9]*/stat; do
        set -- $(sed 's/.*) //' "$f" 2>/dev/null)
        [ $# -gt 13 ] && [ "$2" = "$pm" ] && s=$((s + ${12} + ${13}))
    done
    echo $s
}
now() { date +%s.%N; }
idle_io() { # idle and iowait ticks of all cores: "idle iowait"
    awk '/^cpu / { print $5, $6 }' /proc/stat
}
cpu_of() { # CPU seconds in /usr/bin/time -f '%U %S' files
    cat "$@" | awk '{ s += $1 + $2 } END { printf "%.3f", s }'
}
tm() { # OUTFILE COMMAND...
    o=$1
    shift
    /usr/bin/time -f '%U %S' -o "$o" "$@"
}
pgcount() { # DB: observations events raw
    psq "$1" "SELECT (SELECT count(*) FROM orbat.observations) || ' ' ||
        (SELECT count(*) FROM orbat.events) || ' ' || (SELECT count(*) FROM orbat.raw)"
}

# --- one cluster run: MODE staged|concurrent, RUN id --------------------------
# Appends to $T/runs.tsv: mode wall_in wall_out wall pub srv_in srv_out wk pg obs ev raw wk0 wk1
# idle_out iowait_out (seconds of all cores while the workers ran)
cluster_run() {
    mode=$1 run=$2
    # nats_start waits until all three logs name the meta leader; a node that
    # joined after the election sometimes never logs it (seen here under
    # load). The cluster is ready when `cluster init` creates the R3 stream:
    # try that for 15 s, else start a fresh cluster (3 tries).
    try=1
    while :; do
        rm -rf "$T/nats"
        nats_start "$T/nats" >/dev/null 2>&1
        U=$NATS_URLS
        i=0
        while [ $i -lt 30 ] && ! "$O" cluster init -q --nats "$U" --shards 2 --ack-wait-ms 30000 2>/dev/null; do
            sleep 0.5
            i=$((i + 1))
        done
        [ $i -lt 30 ] && break
        nats_stop
        echo "e2e: the cluster did not create the stream, starting another" >&2
        [ $try -ge 3 ] && return 1
        try=$((try + 1))
    done
    db=e2e_$run
    newdb "$db"
    rm -f "$T"/*.cpu
    set -- $(srv_ticks)
    s0=$(($1 + $2 + $3))
    p0=$(pg_ticks)
    t0=$(now)
    pids=""
    k=1
    while [ $k -le "$NRX" ]; do
        tm "$T/pub$k.cpu" "$O" publish -q --nats "$U" --receiver rx$k --shards 2 \
            "$T/rx$k.nmea" "$T/rx$k.sbs" &
        pids="$pids $!"
        k=$((k + 1))
    done
    drain=--drain
    if [ "$mode" = concurrent ]; then
        drain=""
        # /usr/bin/time itself in the background: its child is the worker.
        /usr/bin/time -f '%U %S' -o "$T/w0.cpu" "$O" ingest -q --nats "$U" --shard 0/2 --db "$(url "$db")" &
        w0=$!
        /usr/bin/time -f '%U %S' -o "$T/w1.cpu" "$O" ingest -q --nats "$U" --shard 1/2 --db "$(url "$db")" &
        w1=$!
    fi
    for p in $pids; do
        wait "$p" || echo "e2e: a publisher failed" >&2
    done
    t1=$(now)
    set -- $(srv_ticks)
    s1=$(($1 + $2 + $3))
    i1=$(idle_io)
    if [ "$mode" = staged_async ]; then
        # Diagnosis: what the workers' PostgreSQL connections wait for.
        : >"$T/sampling"
        : >"$T/waits.txt"
        (while [ -f "$T/sampling" ]; do
            psq "$db" "SELECT coalesce(wait_event_type || ':' || wait_event, 'on-CPU') || '/' || state
                FROM pg_stat_activity WHERE backend_type = 'client backend'
                AND datname = current_database() AND pid <> pg_backend_pid()" >>"$T/waits.txt"
            sleep 0.05
        done) &
        sampler=$!
    fi
    if [ "$mode" != concurrent ]; then
        tm "$T/w0.cpu" "$O" ingest -q --nats "$U" --shard 0/2 $drain --db "$(url "$db")" &
        w0=$!
        tm "$T/w1.cpu" "$O" ingest -q --nats "$U" --shard 1/2 $drain --db "$(url "$db")" &
        w1=$!
    else
        # Both shards read and acknowledged: stop the workers.
        while "$O" cluster status --nats "$U" 2>/dev/null |
            awk '/^shard-/ { n++; s += $3 + $4 } END { exit !(n == 2 && s == 0) }'; [ $? -ne 0 ]; do
            sleep 0.2
        done
        for w in $w0 $w1; do
            for c in $(ps -o pid= --ppid "$w"); do kill -TERM "$c"; done
        done
    fi
    wait $w0 $w1
    t2=$(now)
    i2=$(idle_io)
    if [ "$mode" = staged_async ]; then
        rm -f "$T/sampling"
        wait "$sampler"
        cat "$T/waits.txt" >>"$T/waits_all.txt"
    fi
    set -- $(srv_ticks)
    s2=$(($1 + $2 + $3))
    # A backend's CPU moves into the postmaster's cutime once it is reaped,
    # shortly after its client disconnects: read after that.
    sleep 1
    p1=$(pg_ticks)
    c=$(pgcount "$db")
    echo "$mode $(awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { printf "%.3f %.3f %.3f", b - a, c - b, c - a }') \
$(cpu_of "$T"/pub*.cpu) $(awk -v a="$s0" -v b="$s1" -v c="$s2" -v hz="$HZ" 'BEGIN { printf "%.3f %.3f", (b - a) / hz, (c - b) / hz }') \
$(cpu_of "$T/w0.cpu" "$T/w1.cpu") $(awk -v a="$p0" -v b="$p1" -v hz="$HZ" 'BEGIN { printf "%.3f", (b - a) / hz }') $c \
$(cpu_of "$T/w0.cpu") $(cpu_of "$T/w1.cpu") \
$(echo "$i1 $i2" | awk -v hz="$HZ" '{ printf "%.2f %.2f", ($3 - $1) / hz, ($4 - $2) / hz }')" >>"$T/runs.tsv"
    nats_stop
    rm -rf "$T/nats"
}

# --- one process: MODE sqlite|pg ------------------------------------------------
single_run() {
    mode=$1 run=$2
    rm -f "$T/s.cpu" "$T/single.db"
    p0=$(pg_ticks)
    if [ "$mode" = sqlite ]; then
        dbu=$T/single.db
    else
        newdb "s_$run"
        dbu=$(url "s_$run")
    fi
    t0=$(now)
    # shellcheck disable=SC2086
    tm "$T/s.cpu" "$O" ingest -q --db "$dbu" $INPUTS
    t1=$(now)
    sleep 1 # see cluster_run
    p1=$(pg_ticks)
    if [ "$mode" = sqlite ]; then
        c=$(sqlite3 "$T/single.db" "SELECT (SELECT count(*) FROM observations) || ' ' ||
            (SELECT count(*) FROM events) || ' ' || (SELECT count(*) FROM raw)")
        pg=0
    else
        c=$(pgcount "s_$run")
        pg=$(awk -v a="$p0" -v b="$p1" -v hz="$HZ" 'BEGIN { printf "%.3f", (b - a) / hz }')
    fi
    w=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    echo "$mode 0 $w $w 0 0 0 $(cpu_of "$T/s.cpu") $pg $c 0 0 0 0" >>"$T/runs.tsv"
}

: >"$T/runs.tsv"
: >"$T/waits_all.txt"
r=1
while [ $r -le "$REP" ]; do
    echo "e2e: repeat $r: staged" >&2
    cluster_run staged "st$r" || exit 1
    echo "e2e: repeat $r: concurrent" >&2
    cluster_run concurrent "co$r" || exit 1
    echo "e2e: repeat $r: staged, synchronous_commit=off" >&2
    psq postgres "ALTER SYSTEM SET synchronous_commit = off" && psq postgres "SELECT pg_reload_conf()" >/dev/null
    cluster_run staged_async "sa$r" || exit 1
    psq postgres "ALTER SYSTEM RESET synchronous_commit" && psq postgres "SELECT pg_reload_conf()" >/dev/null
    echo "e2e: repeat $r: one process" >&2
    single_run sqlite "$r"
    single_run pg "$r"
    cp "$T/runs.tsv" "${OUT:-$ROOT/bench/out}/e2e_runs.tsv" 2>/dev/null || :
    r=$((r + 1))
done
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)
cp "$T/runs.tsv" "${OUT:-$ROOT/bench/out}/e2e_runs.tsv" 2>/dev/null || :

# --- report ---------------------------------------------------------------------
cat <<EOF
$NRX receivers (\`orbat publish --receiver rxK --shards 2\`, batches of 500 lines, at once),
each publishing its own simulated AIS + SBS capture: \`orbat simulate\` of caribbean-2025 with
\`--seed K\` (distinct background fleets), report intervals thinned 6x instead of 60x/120x and 10x
the background traffic, $DAYS day(s) from 2025-10-14: $LINES lines in all ($AISL AIS sentences,
the rest SBS). A *message* below is one input line. 3 nats-server $(nats-server --version 2>/dev/null | sed 's/^nats-server: //')
nodes on 127.0.0.1 (R3 file stream, fresh for each run), 2 workers \`orbat ingest --nats --shard K/2\`
into one PostgreSQL 15 database ($(as_pg "$PGBIN/postgres" --version | sed 's/.*) //'); fsync and
synchronous_commit on, shared_buffers=1GB). **staged**: all publishers, then the two workers with
\`--drain\` (each stage alone; "in" and "out" columns). **concurrent**: the workers run while the
receivers publish and are stopped (SIGTERM) once \`orbat cluster status\` shows both shards with
nothing pending or unacknowledged (polled every 0.2 s). **1 process**: one \`orbat ingest\` of
all $((NRX * 2)) files. $(nproc) cores (shared with other jobs), load average $LOAD0 at start, $LOAD1 at
the end. Median of $REP repeats (each row's figures from its median-wall run).
CPU from /proc/PID/stat (servers, PostgreSQL: every process of the server) and /usr/bin/time.

EOF
awk -v lines="$LINES" -v nrx="$NRX" -v np="$(nproc)" '
{ n[$1]++; row[$1, n[$1]] = $0 }
function med(m,   i, j, k, t, w) { # index of the median-wall run of mode m
    k = n[m]
    for (i = 1; i <= k; i++) { split(row[m, i], f, " "); w[i] = f[4]; id[i] = i }
    for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (w[id[j]] < w[id[i]]) { t = id[i]; id[i] = id[j]; id[j] = t }
    return id[int((k + 1) / 2)]
}
function pm(x) { return x * 1e6 / lines }
END {
    printf "| run | wall s | messages/s end to end | CPU-s per million messages: publishers | 3 servers | 2 workers | PostgreSQL | all | CPU use (cores) | observations | events |\n"
    printf "|---|---|---|---|---|---|---|---|---|---|---|\n"
    split("staged concurrent staged_async sqlite pg", modes, " ")
    name["staged"] = "cluster, staged (publish, then drain)"
    name["concurrent"] = "cluster, concurrent"
    name["staged_async"] = "diagnosis: staged, synchronous_commit=off, wait events sampled (the sampling psql sessions count in PostgreSQL CPU)"
    name["sqlite"] = "1 process `orbat ingest` -> SQLite"
    name["pg"] = "1 process `orbat ingest` -> PostgreSQL"
    for (mi = 1; mi <= 5; mi++) {
        m = modes[mi]
        if (!n[m]) continue
        split(row[m, med(m)], f, " ")
        # f: mode win wout wall pub sin sout wk pg obs ev raw wk0 wk1
        srv = f[6] + f[7]; all = f[5] + srv + f[8] + f[9]
        W[m] = f[4]; ALL[m] = all; OBS[m] = f[10]
        for (i = 1; i <= 16; i++) F[m, i] = f[i]
        walls = ""
        for (i = 1; i <= n[m]; i++) { split(row[m, i], g, " "); walls = walls (i > 1 ? ", " : "") sprintf("%.1f", g[4]) }
        printf "| %s | %.2f (%s) | %.0f | %s | %s | %.2f | %s | %.2f | %.2f | %d | %d |\n", name[m], f[4], walls, lines / f[4],
            (m == "sqlite" || m == "pg") ? "-" : sprintf("%.2f", pm(f[5])), (m == "sqlite" || m == "pg") ? "-" : sprintf("%.2f", pm(srv)),
            pm(f[8]), (m == "sqlite") ? "-" : sprintf("%.2f", pm(f[9])), pm(all), all / f[4], f[10], f[11]
    }
    if (n["staged"]) {
        m = "staged"
        printf "\nStaged run by stage (median run):\n\n"
        printf "| stage | wall s | messages/s | CPU s | CPU use (cores) |\n|---|---|---|---|---|\n"
        printf "| in: %d publishers + 3 servers | %.2f | %.0f | %.2f + %.2f | %.2f |\n", nrx, F[m, 2], lines / F[m, 2], F[m, 5], F[m, 6], (F[m, 5] + F[m, 6]) / F[m, 2]
        printf "| out: 3 servers + 2 workers + PostgreSQL | %.2f | %.0f | %.2f + %.2f + %.2f | %.2f |\n", F[m, 3], lines / F[m, 3], F[m, 7], F[m, 8], F[m, 9], (F[m, 7] + F[m, 8] + F[m, 9]) / F[m, 3]
        printf "| worker shard 0 / shard 1 | | | %.2f / %.2f | %.2f / %.2f |\n", F[m, 13], F[m, 14], F[m, 13] / F[m, 3], F[m, 14] / F[m, 3]
        printf "| out: the machine idle / in iowait (all cores) | %.2f | | %.2f / %.2f | |\n", F[m, 3], F[m, 15], F[m, 16]
        if (n["staged_async"])
            printf "| out, synchronous_commit=off (diagnosis) | %.2f | %.0f | %.2f + %.2f + %.2f | %.2f |\n", F["staged_async", 3], lines / F["staged_async", 3], F["staged_async", 7], F["staged_async", 8], F["staged_async", 9], (F["staged_async", 7] + F["staged_async", 8] + F["staged_async", 9]) / F["staged_async", 3]
        # Bottleneck: the slower stage; within it, the largest CPU share.
        printf "\n**Bottleneck (from these numbers):** "
        if (F[m, 3] > F[m, 2]) {
            big = "the 2 workers (decode, identify, track, events, store client)"; b = F[m, 8]
            if (F[m, 9] > b) { big = "PostgreSQL (server CPU)"; b = F[m, 9] }
            if (F[m, 7] > b) { big = "the 3 nats-servers serving the fetches"; b = F[m, 7] }
            printf "the out stage (workers -> PostgreSQL) takes %.1fx the wall time of the in stage; in it %s uses the most CPU (%.2f of %.2f CPU-s). ", F[m, 3] / F[m, 2], big, b, F[m, 7] + F[m, 8] + F[m, 9]
            printf "PostgreSQL keeps %.2f cores busy during it (%.1f server CPU-us per stored observation, raw rows, assets and events included), the workers %.2f each. ", F[m, 9] / F[m, 3], F[m, 9] * 1e6 / F[m, 10], F[m, 13] / F[m, 3]
        } else {
            big = "the 3 nats-servers (R3 replication, file store)"; b = F[m, 6]
            if (F[m, 5] > b) { big = "the publishers"; b = F[m, 5] }
            printf "the in stage (publishers -> R3 stream) takes %.1fx the wall time of the out stage; in it %s use the most CPU (%.2f of %.2f CPU-s). ", F[m, 2] / F[m, 3], big, b, F[m, 5] + F[m, 6]
        }
        printf "While the workers ran the machine was idle %.2f and in iowait %.2f of %.2f core-seconds. ", F[m, 15], F[m, 16], np * F[m, 3]
        if (n["staged_async"])
            printf "With synchronous_commit=off (no WAL flush wait at commit) the out stage takes %.2f s instead of %.2f s (%.0f%%)%s ", F["staged_async", 3], F[m, 3], 100 * F["staged_async", 3] / F[m, 3], F["staged_async", 3] < 0.7 * F[m, 3] ? ": the workers wait mostly for PostgreSQL commits to reach the disk (WAL fsync), not for CPU." : ": commit flushes are not what the workers wait for."
        if (n["concurrent"])
            printf "Concurrent, all stages together keep %.2f cores busy for %.2f s (%d cores here): ", ALL["concurrent"] / W["concurrent"], W["concurrent"], np
        if (n["concurrent"] && ALL["concurrent"] / W["concurrent"] > 0.8 * np)
            printf "the machine is CPU-saturated, so the end-to-end rate here is total CPU per message (%.2f CPU-s per million) divided into the cores; the cluster path costs %.1fx the CPU of one process into PostgreSQL.\n", pm(ALL["concurrent"]), n["pg"] ? ALL["concurrent"] / ALL["pg"] : 0
        else if (n["concurrent"])
            printf "the machine is not CPU-saturated, so a single-threaded or waiting stage limits the rate.\n"
        else printf "\n"
    }
}' "$T/runs.tsv"
echo
if [ -s "$T/waits_all.txt" ]; then
    echo "Diagnosis (synchronous_commit=off runs): the workers' PostgreSQL connections in"
    echo "pg_stat_activity, sampled every ~0.05 s while they drained ($(wc -l <"$T/waits_all.txt")"
    echo "connection samples, all repeats; \"on-CPU\" = active with no wait event):"
    echo
    echo "| wait event / state | share |"
    echo "|---|---|"
    sort "$T/waits_all.txt" | uniq -c | sort -rn | awk '{ c = $1; sub(/^ *[0-9]+ /, ""); n[NR] = c; w[NR] = $0; t += c }
        END { for (i = 1; i <= NR; i++) if (n[i] * 100 >= t) printf "| %s | %.0f%% |\n", w[i], 100 * n[i] / t }'
    echo
    echo "(Lock:advisory = waiting for the other worker's write transaction: the store takes"
    echo "one advisory lock per write transaction, so writers to one database take turns;"
    echo "Client:ClientRead/idle = the worker is decoding or fetching; .../idle in transaction ="
    echo "a round trip of the worker inside its transaction; on-CPU/idle = a state changing while"
    echo "sampled.)"
    echo
fi
