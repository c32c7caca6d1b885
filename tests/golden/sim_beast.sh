#!/bin/sh
# tests/golden/sim_beast.sh - the simulator's thinned ADS-B output must still be
# decodable: positions go out as even/odd CPR pairs 0.5 s apart (a receiver
# needs both formats within 10 s for a global decode), so the Beast file of
# one simulated day yields global positions for about every second position
# frame, and the aircraft located from the Beast file are those of the SBS file.
set -u
ORBAT=${ORBAT:-build/orbat}
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
if ! "$ORBAT" simulate "$ROOT/scenarios/caribbean-2025.json" --from 2025-10-15 --to 2025-10-16 \
    --out-beast "$T/d.beast" --out-sbs "$T/d.sbs" 2>"$T/err"; then
    echo "not ok - simulate failed: $(head -3 "$T/err")"
    exit 1
fi
"$ORBAT" decode --stats -f none "$T/d.beast" 2>"$T/stats" >/dev/null
pos_frames=$(awk '/TC11/ { print $NF }' "$T/stats")
glob=$(awk '/cpr global positions/ { print $NF }' "$T/stats")
pos_frames=${pos_frames:-0}
glob=${glob:-0}
# Each pair gives one global decode (the second frame); lost frames break a few pairs.
if [ "$pos_frames" -gt 100 ] && [ $((glob * 100)) -ge $((pos_frames * 40)) ]; then
    echo "ok - Beast: $glob global CPR positions from $pos_frames airborne position frames"
else
    echo "not ok - Beast: $glob global CPR positions from $pos_frames airborne position frames"
fi
# Aircraft with a position: Beast (decoded) vs SBS (written by the simulator).
"$ORBAT" decode -f jsonl "$T/d.beast" 2>/dev/null | grep '"lat"' |
    sed -n 's/.*"icao":"\([0-9a-fA-F]*\)".*/\1/p' | tr 'A-F' 'a-f' | sort -u >"$T/beast.ids"
awk -F, '$2 == 3 && $15 != "" { print tolower($5) }' "$T/d.sbs" | sort -u >"$T/sbs.ids"
nb=$(wc -l <"$T/beast.ids")
ns=$(wc -l <"$T/sbs.ids")
if [ "$ns" -gt 0 ] && cmp -s "$T/beast.ids" "$T/sbs.ids"; then
    echo "ok - the same $nb aircraft are located from the Beast and the SBS output"
else
    echo "not ok - aircraft located: $nb from Beast, $ns from SBS"
fi
