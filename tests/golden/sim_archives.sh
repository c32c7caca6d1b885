#!/bin/sh
# tests/golden/sim_archives.sh - `orbat simulate` writing public-archive
# formats (docs/simulator.md, "Archive formats") for a small SIMULATED
# scenario over UTC midnight (tests/golden/data/sim_archives.json): readsb
# traces as a directory tree, as adsb.lol daily tars and as split tar parts;
# MarineCadastre CSV (2025 layout, zstd, pre-2025 layout); readsb-hist
# snapshots. Checked with standard tools (tar, gzip, zstd, cmp, python3's
# json) against the raw feeds of the same run: trace points = the SBS MSG,3
# positions thinned as readsb does (>= 4 s apart), new legs = the take-offs
# of the route, MarineCadastre rows = the first AIS position per ship per
# minute, snapshot entries = the latest SBS position <= 60 s old.
set -u
ORBAT=${ORBAT:-build/orbat}
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
SCEN=$ROOT/tests/golden/data/sim_archives.json
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
for tool in python3 zstd tar gzip; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "ok - SKIP $tool is not installed"
        exit 0
    fi
done
SPLIT=4096

if ! "$ORBAT" simulate "$SCEN" --out-ais "$T/a.ais" --out-sbs "$T/a.sbs" \
    --out-traces "$T/tr" --out-marinecadastre "$T/mc.csv" --out-snapshots "$T/snap" \
    2>"$T/err1" ||
    ! "$ORBAT" simulate "$SCEN" --out-traces "$T/tar/day.tar" \
        --out-marinecadastre "$T/mc.csv.zst" 2>"$T/err2" ||
    ! "$ORBAT" simulate "$SCEN" --out-traces "$T/split/day.tar" --split-tar $SPLIT \
        --out-marinecadastre "$T/mc_legacy.csv" --mc-legacy 2>"$T/err3" ||
    ! "$ORBAT" simulate "$SCEN" --out-traces "$T/tr9" --trace-layout 9 2>"$T/err4"; then
    echo "not ok - simulate failed: $(cat "$T"/err* | head -3)"
    exit 1
fi
echo "ok - simulated the scenario into traces (dir, tar, split tar), MarineCadastre, snapshots"

# --- traces: directory tree vs tars vs split parts --------------------------
days="2025/10/15 2025/10/16"
tar_ok=1 split_ok=1 parts_total=0
for d in $days; do
    tag=v$(echo "$d" | tr / .)-planes-readsb-prod-0.tar
    (cd "$T/tr/$d" && find traces -type f | sort) >"$T/dir.list"
    if ! tar -tf "$T/tar/$tag" >"$T/tar.raw" 2>/dev/null; then
        tar_ok=0
        continue
    fi
    grep -v '/$' "$T/tar.raw" | sort >"$T/tar.list"
    cmp -s "$T/dir.list" "$T/tar.list" || tar_ok=0
    [ -s "$T/dir.list" ] || tar_ok=0
    mkdir -p "$T/x/$d" && tar -xf "$T/tar/$tag" -C "$T/x/$d" || tar_ok=0
    diff -r "$T/tr/$d" "$T/x/$d" >/dev/null || tar_ok=0
    # split parts: every part but the last exactly $SPLIT bytes; cat = the tar
    n=0 short=0
    for p in "$T/split/$tag".a?; do
        n=$((n + 1))
        sz=$(wc -c <"$p")
        [ "$sz" -ne $SPLIT ] && short=$((short + 1))
    done
    last=$(ls "$T/split/$tag".a? | tail -1)
    [ "$(wc -c <"$last")" -le $SPLIT ] || split_ok=0
    if [ "$short" -gt 1 ] || [ "$n" -lt 2 ]; then split_ok=0; fi
    parts_total=$((parts_total + n))
    cat "$T/split/$tag".a? | tar -tf - >"$T/split.raw" 2>/dev/null || split_ok=0
    cmp -s "$T/tar.raw" "$T/split.raw" || split_ok=0
    cat "$T/split/$tag".a? | cmp -s - "$T/tar/$tag" || split_ok=0
done
if [ "$tar_ok" = 1 ]; then
    echo "ok - daily tars named like the adsb.lol releases list and extract to the directory tree"
else
    echo "not ok - daily tars differ from the directory tree (or are missing)"
fi
if [ "$split_ok" = 1 ]; then
    echo "ok - split parts ($parts_total, $SPLIT bytes each but the last): cat parts | tar -t = the tar's listing, bytes identical"
else
    echo "not ok - split tar parts do not reassemble into the tar"
fi
bad=0
for f in $(find "$T/tr" "$T/snap" -type f); do
    gzip -t "$f" 2>/dev/null || bad=$((bad + 1))
done
nf=$(find "$T/tr" "$T/snap" -type f | wc -l)
if [ "$bad" = 0 ] && [ "$nf" -gt 400 ]; then
    echo "ok - all $nf trace and snapshot files are valid gzip"
else
    echo "not ok - $bad of $nf trace/snapshot files fail gzip -t"
fi

# --- content checks in python3 -------------------------------------------
"$ORBAT" decode -f jsonl "$T/a.ais" >"$T/ais.jsonl" 2>/dev/null
zstd -q -t "$T/mc.csv.zst" && zstd -q -dc "$T/mc.csv.zst" >"$T/mc_zst.csv" 2>/dev/null
python3 - "$T" <<'EOF'
import calendar, collections, csv, glob, gzip, json, os, sys, time

T = sys.argv[1]
res = []
def check(ok, msg):
    print(("ok - " if ok else "not ok - ") + msg)

def sbs_time(d, t):
    return calendar.timegm(time.strptime(d + " " + t[:8], "%Y/%m/%d %H:%M:%S")) + float(t[8:] or 0)

# SBS airborne positions per aircraft
sbs = collections.defaultdict(list)
for line in open(os.path.join(T, "a.sbs")):
    f = line.rstrip("\n").split(",")
    if len(f) > 15 and f[0] == "MSG" and f[1] == "3" and f[14]:
        sbs[f[4].lower()].append((sbs_time(f[6], f[7]), float(f[14]), float(f[15]), int(f[11])))
for v in sbs.values():
    v.sort()

def load_traces(root):
    out = {}
    for p in sorted(glob.glob(os.path.join(root, "*/*/*/traces/*/trace_full_*.json"))):
        with gzip.open(p, "rt") as fh:
            out[os.path.relpath(p, root)] = json.load(fh)
    return out

tr = load_traces(os.path.join(T, "tr"))
tr9 = load_traces(os.path.join(T, "tr9"))
hdr_ok = layout_ok = order_ok = day_ok = True
for rel, d in tr.items():
    hexid = d.get("icao", "")
    day = rel[:10]
    if not (rel.endswith("traces/%s/trace_full_%s.json" % (hexid[-2:], hexid))
            and d.get("orbat_simulated") is True and isinstance(d.get("timestamp"), float)
            and d.get("dbFlags") == (1 if hexid == "ae222c" else 0)
            and d.get("r") == {"ae222c": "169568", "0d8300": "YV3382"}.get(hexid)
            and d.get("t") == {"ae222c": "P8", "0d8300": "LJ31"}.get(hexid)):
        hdr_ok = False
    pts = d.get("trace", [])
    if not pts or pts[0][0] != 0.0 or not isinstance(pts[0][8], dict):
        order_ok = False
    for a, b in zip(pts, pts[1:]):
        if b[0] < a[0]:
            order_ok = False
    for p in pts:
        if len(p) != 14 or p[9] != "adsb_icao":
            layout_ok = False
        tday = time.strftime("%Y/%m/%d", time.gmtime(d["timestamp"] + p[0]))
        if tday != day:
            day_ok = False
    p9 = tr9.get(rel, {}).get("trace", [])
    if len(p9) != len(pts) or any(len(p) != 9 or p != q[:9] for p, q in zip(p9, pts)):
        layout_ok = False
check(len(tr) == 4 and hdr_ok,
      "%d trace files (P-8 and Learjet, both days): icao/r/t/dbFlags, orbat_simulated" % len(tr))
check(layout_ok, "14 fields per point; --trace-layout 9 gives the same points' first 9 fields")
check(order_ok and day_ok, "offsets start at 0 and never decrease; every point lies in its file's UTC day")

# point counts and positions against the SBS feed (thinning: >= 4 s apart per day)
counts_ok = pos_ok = True
detail = []
for rel, d in tr.items():
    hexid, ts = d["icao"], d["timestamp"]
    air = [(ts + p[0], p[1], p[2], p[3]) for p in d["trace"] if p[3] != "ground"]
    day0 = calendar.timegm(time.strptime(rel[:10], "%Y/%m/%d"))
    want, last = [], None
    for s in sbs.get(hexid, []):
        if not (day0 <= s[0] < day0 + 86400):
            continue
        if last is None or s[0] - last >= 4.0:
            want.append(s)
            last = s[0]
    detail.append("%s %s: %d/%d" % (hexid, rel[:10], len(air), len(want)))
    if len(air) != len(want):
        counts_ok = False
        continue
    for a, w in zip(air, want):
        if abs(a[0] - w[0]) > 0.006 or abs(a[1] - w[1]) > 6e-6 or abs(a[2] - w[2]) > 6e-6 or a[3] != w[3]:
            pos_ok = False
check(counts_ok, "airborne trace points = SBS MSG,3 positions thinned to >= 4 s (" + ", ".join(detail) + ")")
check(pos_ok, "every airborne trace point has the SBS position, altitude and time (+-5 ms)")

# flags: new legs = take-offs (the P-8 takes off twice; its first airborne
# position after each ground point starts a leg), ground points before them;
# stale after > 20 s
p8 = [(d["timestamp"] + p[0], p) for rel, d in sorted(tr.items()) if d["icao"] == "ae222c" for p in d["trace"]]
legs = [t for t, p in p8 if p[6] & 2]
grounds = [p for t, p in p8 if p[3] == "ground"]
after_ground = [t for i, (t, p) in enumerate(p8) if i and p[3] != "ground" and p8[i - 1][1][3] == "ground"]
stale_ok = all(((p[6] & 1) != 0) == (i == 0 or t - p8[i - 1][0] > 20) for i, (t, p) in enumerate(p8)
               if i == 0 or t - p8[i - 1][0] < 4.5 or t - p8[i - 1][0] > 25)
leg_times = [time.strftime("%H:%M", time.gmtime(t)) for t in legs]
# The simulator sends nothing on the ground, so a take-off is the first
# point after a gap of >= 5 min that began below 3000 ft (a landing).
after_landing = [t for i, (t, p) in enumerate(p8)
                 if i and t - p8[i - 1][0] >= 300 and isinstance(p8[i - 1][1][3], int)
                 and p8[i - 1][1][3] < 3000]
check(len(legs) == 1 and legs == after_landing and not grounds,
      "P-8: a new-leg flag on its second take-off %s (the first point after a landing), %d ground points" % (leg_times, len(grounds)))
check(stale_ok, "stale flag set exactly when the previous position is > 20 s older")

# MarineCadastre rows = first AIS position report per ship per minute
ais = []
for line in open(os.path.join(T, "ais.jsonl")):
    m = json.loads(line)
    if m.get("type") in (1, 18):
        ais.append((m["time_ms"] // 1000, m["mmsi"], m["lat"] / 600000.0, m["lon"] / 600000.0, m["speed"] / 10.0))
ais.sort(key=lambda r: (r[0], r[1]))
seen, want = set(), []
for r in ais:
    k = (r[1], r[0] // 60)
    if k not in seen:
        seen.add(k)
        want.append(r)
lines = open(os.path.join(T, "mc.csv")).read().splitlines()
hdr = "mmsi,base_date_time,longitude,latitude,sog,cog,heading,vessel_name,imo,call_sign,vessel_type,status,length,width,draft,cargo,transceiver"
rows = list(csv.reader(lines[2:]))
got = [(calendar.timegm(time.strptime(r[1], "%Y-%m-%d %H:%M:%S")), int(r[0]), float(r[3]), float(r[2]), float(r[4])) for r in rows]
match = len(got) == len(want) and all(g[:2] == w[:2] and abs(g[2] - w[2]) < 6e-6 and abs(g[3] - w[3]) < 6e-6 and abs(g[4] - w[4]) < 0.01 for g, w in zip(sorted(got), want))
check(lines[0].startswith("# SIMULATION") and lines[1] == hdr and all(len(r) == 17 for r in rows),
      "MarineCadastre 2025 layout: '# SIMULATION' line, header, 17 fields per row")
check(match, "MarineCadastre: %d rows = the first AIS position per ship per minute (%d reports)" % (len(got), len(ais)))
yacht = [r for r in rows if r[0] == "338123456"]
tank = [r for r in rows if r[0] == "311000123"]
check(yacht and all(r[7] == "SIM YACHT B" and r[16] == "B" and r[11] == "" and r[14] == "" for r in yacht)
      and tank and all(r[16] == "A" and r[10] == "80" and r[12] == "183" and r[13] == "32" and r[15] == "80" for r in tank),
      "MarineCadastre static fields: class B without status/draft, name without ',' and quote; class A type/length/width/cargo")
zst = open(os.path.join(T, "mc_zst.csv")).read().splitlines() if os.path.exists(os.path.join(T, "mc_zst.csv")) else []
check(zst == lines, "MarineCadastre .zst (zstd -t ok) decompresses to the same CSV")
leg = open(os.path.join(T, "mc_legacy.csv")).read().splitlines()
lrows = list(csv.reader(leg[2:]))
check(leg[1].startswith("MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,") and len(lrows) == len(rows)
      and all(l[0] == r[0] and l[1] == r[1].replace(" ", "T") and l[2] == r[3] and l[3] == r[2] and float(l[6]) == float(r[6]) for l, r in zip(lrows, rows)),
      "MarineCadastre pre-2025 layout: same rows, ISO 'T' times, LAT before LON")

# snapshots: one per minute, entries = latest SBS/ground position <= 60 s old
snaps = sorted(glob.glob(os.path.join(T, "snap/*/*/*/*Z.json.gz")))
ok_names = ok_entries = True
msgs_prev = -1
n_entries = 0
for p in snaps:
    with gzip.open(p, "rt") as fh:
        d = json.load(fh)
    now = d["now"]
    name = time.strftime("%Y/%m/%d/%H%M%SZ.json.gz", time.gmtime(now))
    if not p.endswith(name) or d.get("orbat_simulated") is not True or d["messages"] < msgs_prev:
        ok_names = False
    msgs_prev = d["messages"]
    listed = {}
    for a in d["aircraft"]:
        listed[a["hex"]] = a
        n_entries += 1
        if a["alt_baro"] == "ground":
            continue
        t = now - a["seen_pos"]
        cand = [s for s in sbs.get(a["hex"], []) if s[0] <= now]
        if not cand or abs(cand[-1][0] - t) > 0.06 or abs(cand[-1][1] - a["lat"]) > 6e-6 or a["seen_pos"] > 60:
            ok_entries = False
    for hexid, v in sbs.items():
        cand = [s for s in v if s[0] <= now]
        if cand and now - cand[-1][0] <= 60 and hexid not in listed:
            ok_entries = False
check(len(snaps) == 7 * 60 + 1 and ok_names,
      "%d snapshots, one per minute 20:00-03:00, named HHMMSSZ.json.gz after 'now'; messages never decrease" % len(snaps))
check(ok_entries and n_entries > 50,
      "snapshot entries (%d) = every aircraft with an SBS position <= 60 s old, at that position" % n_entries)
EOF
