#!/bin/sh
# tests/mutants/run.sh - mutation testing: does the suite catch small, realistic bugs?
#
# For each mutant in tests/mutants/mutants.txt (format described there) the
# script replaces one exact piece of text in a scratch copy of the tree (never
# the working tree), rebuilds only what the mutant touches, runs the tests
# listed for the mutated module (normal build: unit binaries and golden
# scripts) and reports "killed" (some test failed, crashed or hung) or
# "survived". Mutants marked "equivalent:" are run too, but do not count
# against the score: score = killed / (mutants - equivalent).
#
#   make mutants                       the whole list
#   MUTANTS=ais_armor make mutants     only mutants whose file or text contains "ais_armor"
#   MUT_DIR=/tmp/x KEEP=1              where the scratch copy lives (kept with KEEP=1)
#   MUT_TIMEOUT=60                     seconds per test program before it counts as hung
#   RESULTS=file                       also write a Markdown summary there
#   VERBOSE=1                          show the first failing checks of each killed mutant
#
# Per-module test subsets (the "fast suite" of a module) are chosen by
# tests_for() below from the mutated file's path: only the unit binaries and
# golden scripts that exercise that module run, not the whole suite.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LIST=${MUT_LIST:-$ROOT/tests/mutants/mutants.txt}
PAT=${MUTANTS:-}
TMO=${MUT_TIMEOUT:-60}
MUT_DIR=${MUT_DIR:-$(mktemp -d /tmp/orbat-mutants.XXXXXX)}
SHARED=${ORBAT_SHARED:-$ROOT/../shared}
NICE="nice -n 10"

# Module -> test programs. Unit binaries are build/tests/NAME; golden
# scripts are tests/golden/NAME.sh. Keep each subset short (target < 20 s
# per mutant on a quiet core).
tests_for() { # file -> "unit:NAME golden:NAME ..."
    case $1 in
    src/decode/ais/ais_app*) echo "unit:test_ais_app golden:ais_app_crafted" ;;
    src/decode/ais/*) echo "unit:test_ais unit:test_encode_ais unit:test_track golden:ais_gpsd_sample" ;;
    src/decode/modes/*) echo "unit:test_modes unit:test_modes_vectors unit:test_cpr unit:test_modes_commb unit:test_encode_modes" ;;
    src/decode/common/*) echo "unit:test_ais unit:test_nmea unit:test_modes" ;;
    src/decode/archive/trace*) echo "unit:test_trace integ:import_samples" ;;
    src/decode/archive/aiscsv*) echo "unit:test_aiscsv integ:import_samples" ;;
    src/decode/common/json_num*) echo "unit:test_trace" ;;
    src/archive/snapshot*) echo "unit:test_snapshot" ;;
    src/archive/gfw*) echo "unit:test_gfw golden:gfw_events" ;;
    src/archive/obs_sort*) echo "unit:test_obs_sort" ;;
    src/archive/*) echo "integ:import_archives integ:import_samples integ:import_roundtrip" ;;
    src/geo/*) echo "unit:test_geo unit:test_track unit:test_events" ;;
    src/track/*) echo "unit:test_track unit:test_events" ;;
    src/events/*) echo "unit:test_events unit:test_track" ;;
    src/registry/*) echo "unit:test_identify unit:test_registry" ;;
    src/store/*) echo "unit:test_store unit:test_store_asset" ;;
    src/report/*) echo "unit:test_report" ;;
    src/core/*) echo "unit:test_pipeline" ;;
    *) echo "unit:test_util" ;;
    esac
}

# Whether a golden script is needed decides whether build/orbat is rebuilt.
targets_for() { # tests -> make targets
    t=""
    for x in $1; do
        case $x in
        unit:*) t="$t build/tests/${x#unit:}" ;;
        golden:* | integ:*) t="$t build/orbat" ;;
        esac
    done
    echo "$t"
}

run_tests() { # dir tests -> 0 all passed, 1 a failure
    for x in $2; do
        case $x in
        unit:*) (cd "$1" && ROOT="$1" SHARED="$SHARED" timeout "$TMO" $NICE "build/tests/${x#unit:}") ;;
        golden:*)
            (cd "$1" && BUILD=build ORBAT=build/orbat ROOT="$1" SHARED="$SHARED" \
                timeout "$TMO" $NICE sh "tests/golden/${x#golden:}.sh") ;;
        integ:*)
            (cd "$1" && BUILD=build ORBAT=build/orbat ROOT="$1" SHARED="$SHARED" \
                timeout "$TMO" $NICE sh "tests/integration/${x#integ:}.sh") ;;
        esac >"$1/.mut_out" 2>&1
        rc=$?
        if [ $rc -ne 0 ] || grep -q '^not ok' "$1/.mut_out"; then
            FAILED_BY=$x
            return 1
        fi
    done
    return 0
}

# ---- the scratch copy: sources plus the current build (mtimes kept) ----
echo "mutants: scratch copy in $MUT_DIR"
mkdir -p "$MUT_DIR"
for d in Makefile include src tests data scripts scenarios; do
    rm -rf "${MUT_DIR:?}/$d"
    cp -a "$ROOT/$d" "$MUT_DIR/"
done
if [ -d "$ROOT/build" ] && [ ! -d "$MUT_DIR/build" ]; then
    cp -a "$ROOT/build" "$MUT_DIR/build"
    rm -rf "$MUT_DIR/build/san" "$MUT_DIR/build/fuzz"
fi
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$MUT_DIR"' EXIT
MAKE="$NICE make -C $MUT_DIR --no-print-directory -s BUILD=build"

# ---- parse the list into one file per mutant ----
rm -rf "$MUT_DIR/.mutants"
python3 - "$LIST" "$MUT_DIR/.mutants" "$PAT" <<'EOF' || exit 2
import os, sys
lst, out, pat = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(out, exist_ok=True)
ents, cur = [], {}
for ln in open(lst, encoding="utf-8").read().split("\n") + [""]:
    if ln.startswith("#"):
        continue
    if not ln.strip():
        if cur:
            ents.append(cur)
        cur = {}
        continue
    k, _, v = ln.partition(":")
    if k not in ("file", "from", "to", "equivalent", "why"):
        sys.exit("mutants.txt: bad line: " + ln)
    cur[k] = v[1:] if v.startswith(" ") else v
n = 0
for i, e in enumerate(ents, 1):
    if "file" not in e or "from" not in e or "to" not in e:
        sys.exit("mutants.txt: entry %d lacks file/from/to" % i)
    if pat and pat not in e["file"] and pat not in e["from"] and pat not in e["to"]:
        continue
    n += 1
    with open(os.path.join(out, "%03d" % i), "w", encoding="utf-8") as f:
        f.write("%s\n%s\n%s\n%s\n" % (e["file"], e["from"], e["to"], e.get("equivalent", "")))
print("mutants: %d of %d selected" % (n, len(ents)))
EOF

# Replace the unique occurrence of FROM by TO in FILE (python: exact text).
apply_mutant() { # file from to -> 0 ok, 1 not found exactly once
    python3 - "$@" <<'EOF'
import sys
f, a, b = sys.argv[1:4]
s = open(f, encoding="utf-8").read()
if s.count(a) != 1:
    sys.exit(1)
open(f, "w", encoding="utf-8").write(s.replace(a, b))
EOF
}

# ---- baseline: every selected module's tests pass unmutated ----
allt=""
for m in "$MUT_DIR"/.mutants/*; do
    [ -f "$m" ] || continue
    allt="$allt $(tests_for "$(sed -n 1p "$m")")"
done
allt=$(echo "$allt" | tr ' ' '\n' | sort -u | tr '\n' ' ')
[ -n "${allt% }" ] || { echo "mutants: nothing selected"; exit 2; }
echo "mutants: baseline build and tests ($allt)"
# shellcheck disable=SC2046
$MAKE $(targets_for "$allt") >"$MUT_DIR/.build_log" 2>&1 || {
    cat "$MUT_DIR/.build_log"
    echo "mutants: baseline build failed"
    exit 2
}
FAILED_BY=""
if ! run_tests "$MUT_DIR" "$allt"; then
    tail -n 20 "$MUT_DIR/.mut_out"
    echo "mutants: baseline fails ($FAILED_BY): fix the suite first"
    exit 2
fi

# ---- each mutant ----
total=0 killed=0 survived=0 equiv=0 equiv_killed=0 bad=0
surv_list=""
mkdir -p "$MUT_DIR/.save"
for m in "$MUT_DIR"/.mutants/*; do
    [ -f "$m" ] || continue
    id=$(basename "$m")
    file=$(sed -n 1p "$m")
    from=$(sed -n 2p "$m")
    to=$(sed -n 3p "$m")
    eq=$(sed -n 4p "$m")
    f="$MUT_DIR/$file"
    t0=$(date +%s)
    if [ ! -f "$f" ]; then
        echo "BAD      #$id $file: no such file"
        bad=$((bad + 1))
        continue
    fi
    cp -p "$f" "$MUT_DIR/.save/src"
    obj="$MUT_DIR/build/obj/${file%.c}.o"
    case $file in src/decode/*) lib=$MUT_DIR/build/liborbat_decode.a ;; *) lib=$MUT_DIR/build/liborbat.a ;; esac
    case $file in *.c) cp -p "$obj" "$MUT_DIR/.save/obj"; cp -p "$lib" "$MUT_DIR/.save/lib" ;; esac
    if ! apply_mutant "$f" "$from" "$to"; then
        echo "BAD      #$id $file: original text not found exactly once: $from"
        bad=$((bad + 1))
        continue
    fi
    tests=$(tests_for "$file")
    FAILED_BY=""
    # shellcheck disable=SC2046
    if ! $MAKE $(targets_for "$tests") >"$MUT_DIR/.build_log" 2>&1; then
        res=BUILDFAIL
        bad=$((bad + 1))
    elif run_tests "$MUT_DIR" "$tests"; then
        res=SURVIVED
    else
        res=KILLED
        [ "${VERBOSE:-0}" = 1 ] && grep -m 3 '^not ok' "$MUT_DIR/.mut_out" | sed 's/^/    /'
    fi
    # restore: the source with its mtime; a .c file's object and library too,
    # so that nothing is recompiled; a header is touched (dependents rebuild).
    cp -p "$MUT_DIR/.save/src" "$f"
    case $file in
    *.c) cp -p "$MUT_DIR/.save/obj" "$obj"; cp -p "$MUT_DIR/.save/lib" "$lib" ;;
    *) touch "$f" ;;
    esac
    # The binaries linked with the mutant are newer than the restored
    # library: remove them, so that the next build relinks them.
    for x in $(targets_for "$tests"); do rm -f "$MUT_DIR/$x"; done
    [ "$res" = BUILDFAIL ] || total=$((total + 1))
    if [ -n "$eq" ]; then
        equiv=$((equiv + 1))
        [ "$res" = KILLED ] && equiv_killed=$((equiv_killed + 1))
        res="$res(equivalent)"
    elif [ "$res" = KILLED ]; then
        killed=$((killed + 1))
    elif [ "$res" = SURVIVED ]; then
        survived=$((survived + 1))
        surv_list="$surv_list
- #$id \`$file\`: \`$from\` -> \`$to\`"
    fi
    printf '%-9s #%s %s (%ss%s): %s -> %s\n' "$res" "$id" "$file" "$(($(date +%s) - t0))" \
        "${FAILED_BY:+, $FAILED_BY}" "$from" "$to"
done
scored=$((total - equiv))
score=$(awk -v k="$killed" -v n="$scored" 'BEGIN { printf "%.1f", n ? 100 * k / n : 0 }')
echo "mutants: $total run, $killed killed, $survived survived, $equiv equivalent" \
    "($equiv_killed of them killed anyway), $bad bad; score $score% ($killed/$scored)"
if [ -n "${RESULTS:-}" ]; then
    {
        echo "- $(date -u +%Y-%m-%dT%H:%MZ), $(uname -m), $(nproc) cores (shared), list ${PAT:+subset \"$PAT\" of }$(basename "$LIST"):"
        echo "  $total run, $killed killed, $survived survived, $equiv equivalent, $bad bad; **score $score%** ($killed/$scored)"
        [ -n "$surv_list" ] && echo "  survivors:$surv_list" | sed '2,$s/^/  /'
    } >"$RESULTS"
fi
[ "$survived" -eq 0 ] && [ "$bad" -eq 0 ]
