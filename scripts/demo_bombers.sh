#!/bin/sh
# scripts/demo_bombers.sh - the end of the demo: the bomber flights off
# Venezuela and what else was there those days, all read from the store
# (orbat events / orbat timeline), nothing typed in.
#
# A bomber is an aircraft the registry or a call-sign rule gave the role
# "bomber". A flight is one bomber's stored events on one UTC day. For each:
# its closest approach to the Venezuelan coast (the smallest dist_nm of its
# `approach` events on the venezuela_coast layer, in nm and km: the stored
# fix nearest the coast, not the straight line between two fixes that
# `orbat claim check` also measures, so it can be larger; 0 means over or
# inside the line; the time is when that approach began) and its orbit/racetrack, if the tracker found one
# (`orbit` events: turns, duration, length x width, centre). Then the
# assets seen on each of those days, by category (orbat timeline).
# Usage: sh scripts/demo_bombers.sh ORBAT DB
set -eu
ORBAT=$1
DB=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# One event per line: day time type asset-id label detail (tab-separated),
# bombers only.
"$ORBAT" events --db "$DB" --format json 2>/dev/null |
    grep '"role":"bomber"' | grep '"type":"\(approach\|orbit\|first_seen\)"' |
    sed -n 's/.*"time":"\(....-..-..\)T\(..:..\):..Z","type":"\([a-z_]*\)".*"detail":"\([^"]*\)","asset":{[^}]*"id":"\([0-9a-f]*\)","name":"\([^"]*\)","callsign":"\([^"]*\)","hull":"\([^"]*\)".*/\1	\2	\3	\5	\6|\7|\8	\4/p' \
    >"$T/ev"
echo "   (nm: the stored fix nearest the coast, from the approach events; step 7's claim check"
echo "   also measures along the straight line between two fixes, which can come closer)"
if [ ! -s "$T/ev" ]; then
    echo "   no bomber flights in the database"
    exit 0
fi
sort -t '	' -k1,1 -k4,4 -k2,2 "$T/ev" | awk -F '\t' '
function flush() {
    if (key == "")
        return
    line = sprintf("   %s  %-26s", day, who)
    if (best != "")
        line = line sprintf("  closest to the Venezuelan coast %.1f nm (%.1f km): nearest stored fix, approach from %sZ", best, best * 1.852, at)
    else
        line = line "  no approach to the Venezuelan coast recorded"
    print line
    if (orbit != "")
        print "                  orbit/racetrack: " orbit
    days[day] = 1
}
{
    k = $4 " " $1
    if (k != key) {
        flush()
        key = k; day = $1; best = ""; at = ""; orbit = ""
        split($5, n, "|")
        lab = n[1] != "" ? n[1] : n[3]
        if (lab == "" || lab ~ /^[?]+$/) lab = n[2]
        who = lab
        if (n[2] != "" && n[2] != lab) who = who " " n[2]
        who = who " (" $4 ")"
    }
    if ($3 == "approach" && index($6, "venezuela_coast;") == 1 && match($6, /dist_nm=[0-9.e+-]+/)) {
        d = substr($6, RSTART + 8, RLENGTH - 8) + 0
        if (best == "" || d < best) { best = d; at = $2 }
    }
    if ($3 == "orbit") {
        o = $6
        t = o; sub(/.*turns=/, "", t); sub(/;.*/, "", t)
        h = o; sub(/.*duration_h=/, "", h); sub(/;.*/, "", h)
        l = o; sub(/.*length_nm=/, "", l); sub(/;.*/, "", l)
        w = o; sub(/.*width_nm=/, "", w); sub(/;.*/, "", w)
        la = o; sub(/.*centre_lat=/, "", la); sub(/;.*/, "", la)
        lo = o; sub(/.*centre_lon=/, "", lo); sub(/;.*/, "", lo)
        s = sprintf("%.1f turns in %.1f h at %sZ, %.0f x %.0f nm around %.2f%s %.2f%s", t, h, $2, l, w,
            la < 0 ? -la : la, la < 0 ? "S" : "N", lo < 0 ? -lo : lo, lo < 0 ? "W" : "E")
        orbit = orbit == "" ? s : orbit "; " s
    }
}
END {
    flush()
    for (d in days) print d > "'"$T/days"'"
}'
echo
echo "   assets seen on those days (orbat timeline):"
"$ORBAT" timeline --db "$DB" --format csv 2>/dev/null >"$T/tl"
sort -u "$T/days" | while read -r d; do
    awk -F, -v d="$d" '
        NR == 1 { for (i = 2; i <= NF; i++) h[i] = $i; next }
        $1 == d {
            s = ""
            for (i = 2; i < NF; i++) if ($i > 0) s = s (s == "" ? "" : ", ") h[i] " " $i
            printf "   %s  %s (%d in all)\n", d, s == "" ? "nothing" : s, $NF
        }' "$T/tl"
done
