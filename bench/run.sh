#!/bin/sh
# bench/run.sh - run the bench/bench_*.sh scripts and bench/e2e.sh (area e2e:
# publishers -> NATS JetStream cluster -> 2 workers -> PostgreSQL, a few
# minutes) and assemble bench/RESULTS.md.
# Each script prints one markdown section on stdout and progress on stderr.
# Sections are kept in bench/results/<area>.md (committed), so a subset can be
# re-run without losing the others: RESULTS.md is rebuilt from all of them.
# Inputs are generated under bench/out/ (gitignored).
# Usage: sh bench/run.sh [ORBAT] [AREA ...]   (AREA = ais, modes, store, e2e, ...;
# an AREA that matches no script only reassembles RESULTS.md)
# bench/nats.sh and bench/pg_write.sh are run by hand (nats.sh) or by
# bench_pg.sh (pg_write.sh); their sections are kept as committed.
set -u
ORBAT=${1:-build/orbat}
[ $# -gt 0 ] && shift
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case $ORBAT in /*) ;; *) ORBAT=$ROOT/$ORBAT ;; esac
SHARED=${ORBAT_SHARED:-$ROOT/../shared}
OUT=$ROOT/bench/out
SECT=$ROOT/bench/results
mkdir -p "$OUT" "$SECT"
export ORBAT ROOT SHARED OUT
RES=$ROOT/bench/RESULTS.md
machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB RAM; $(uname -sr); $(cc --version | head -n1)"
for b in "$ROOT"/bench/bench_*.sh "$ROOT"/bench/e2e.sh; do
    [ -f "$b" ] || continue
    area=$(basename "$b" .sh)
    area=${area#bench_}
    if [ $# -gt 0 ]; then
        case " $* " in *" $area "*) ;; *) continue ;; esac
    fi
    echo "bench: $area ..." >&2
    tmp=$OUT/$area.md.tmp
    {
        echo "<!-- measured $(date -u +%Y-%m-%dT%H:%MZ) on: $machine; load average at start: $(cut -d' ' -f1-3 /proc/loadavg) -->"
        if sh "$b"; then :; else
            printf '\n**%s: benchmark script failed**\n\n' "$area"
            echo "bench: $area FAILED" >&2
        fi
    } >"$tmp"
    mv "$tmp" "$SECT/$area.md"
done
{
    echo "# orbat benchmark results"
    echo
    echo "Assembled by \`make bench\` (bench/run.sh) from bench/results/*.md; each section"
    echo "says when and on what machine it was measured, and the load average when it started"
    echo "(the development machine is shared, so CPU seconds are the fairer figure where given)."
    echo "Peers are measured in the same run, on the same input, on the same machine."
    echo
    for f in "$SECT"/*.md; do
        [ -f "$f" ] || continue
        cat "$f"
        echo
    done
} >"$RES"
echo "bench: wrote $RES" >&2
