#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# timeline_png.sh - `orbat timeline --png`: the chart rendered with librsvg,
# checked by an independent reader (python3's zlib, no imaging library):
# PNG signature, chunk CRCs, IHDR = 2x the SVG's own width/height, IDAT
# inflated and unfiltered to exactly height rows; the image is not blank,
# has dark text pixels, and every category colour of the SVG legend appears,
# the warship colour on more pixels than the aircraft colour (4 warship-days
# against 1 aircraft-day in the fixture). --svg written next to --png is
# byte-identical to --svg alone; two renders are identical. Errors: a path
# that cannot be written (missing directory, a directory, /dev/full),
# `--png -`, a missing database: a clear message and a non-zero exit, and no
# PNG left behind.
set -u
cd "${ROOT:-.}" || exit 1
O=${ORBAT:-build/orbat}
case $O in /*) ;; *) O=$PWD/$O ;; esac
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# Under `make SAN=1`: fontconfig's process-lifetime caches, which pango
# fills while librsvg lays out text, are not ours (timeline_png.lsan).
LSAN_OPTIONS="suppressions=$PWD/tests/integration/timeline_png.lsan:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
if ! command -v python3 >/dev/null; then
    echo "not ok - python3 is needed (apt-get install python3)"
    exit 0
fi
DB=$TMP/t.db
add() { # NAME DAY CATEGORY
    "$O" sighting add --db "$DB" --name "$1" --time "2025-10-0$2T12:00Z" --lat 15 --lon -66 \
        --category "$3" --source "https://example.org/$2" >/dev/null 2>>"$TMP/add.err"
}
add "USS Alpha" 1 warship && add "USS Alpha" 2 warship && add "USS Alpha" 3 warship &&
    add "USS Bravo" 2 warship && add "B-52 one" 3 "military aircraft"
[ $? -eq 0 ] && echo "ok - fixture database from sightings" ||
    echo "not ok - fixture: $(head -c 300 "$TMP/add.err")"

"$O" timeline --db "$DB" --theatre caribbean --svg "$TMP/a.svg" --png "$TMP/a.png" \
    >"$TMP/a.out" 2>"$TMP/a.err"
rc=$?
[ "$rc" -eq 0 ] && [ -s "$TMP/a.png" ] && echo "ok - --svg and --png written" ||
    echo "not ok - timeline --png: rc $rc: $(head -c 300 "$TMP/a.err")"
grep -q '^2025-10-03 ' "$TMP/a.out" && echo "ok - the table still goes to stdout" ||
    echo "not ok - no table on stdout with --png"
"$O" timeline --db "$DB" --theatre caribbean --svg "$TMP/b.svg" >/dev/null 2>&1
cmp -s "$TMP/a.svg" "$TMP/b.svg" && echo "ok - --svg next to --png is the same SVG" ||
    echo "not ok - --svg differs when --png is given"
"$O" timeline --db "$DB" --theatre caribbean --png "$TMP/c.png" >/dev/null 2>&1
cmp -s "$TMP/a.png" "$TMP/c.png" && echo "ok - two renders are identical" ||
    echo "not ok - two renders differ"

python3 - "$TMP/a.png" "$TMP/a.svg" <<'EOF'
import re, struct, sys, zlib
png, svg = open(sys.argv[1], "rb").read(), open(sys.argv[2]).read()
def ok(cond, what):
    print(("ok - " if cond else "not ok - ") + what)
    return cond
if not ok(png[:8] == b"\x89PNG\r\n\x1a\n", "PNG signature"):
    sys.exit(0)
pos, chunks, crc_ok = 8, [], True
while pos + 12 <= len(png):
    n, = struct.unpack(">I", png[pos:pos + 4])
    typ, data = png[pos + 4:pos + 8], png[pos + 8:pos + 8 + n]
    crc, = struct.unpack(">I", png[pos + 8 + n:pos + 12 + n])
    crc_ok &= zlib.crc32(typ + data) & 0xffffffff == crc
    chunks.append((typ, data))
    pos += 12 + n
ok(crc_ok and pos == len(png), "every chunk CRC checks and the file ends after a chunk")
ok(chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND", "IHDR first, IEND last")
w, h, depth, ctype, comp, filt, inter = struct.unpack(">IIBBBBB", chunks[0][1])
m = re.search(r'<svg [^>]*width="(\d+)" height="(\d+)"', svg)
sw, sh = int(m.group(1)), int(m.group(2))
ok((w, h) == (2 * sw, 2 * sh), f"IHDR {w}x{h} is 2x the SVG's {sw}x{sh}")
ok(depth == 8 and ctype in (2, 6) and inter == 0, f"8-bit RGB(A), not interlaced ({depth}/{ctype})")
bpp = 3 if ctype == 2 else 4
raw = zlib.decompress(b"".join(d for t, d in chunks if t == b"IDAT"))
stride = w * bpp
if not ok(len(raw) == h * (stride + 1), "IDAT inflates to height x (1 + row bytes)"):
    sys.exit(0)
counts, prev, i = {}, bytearray(stride), 0
for y in range(h):
    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
    i += 1 + stride
    if f == 1:
        for x in range(bpp, stride): line[x] = (line[x] + line[x - bpp]) & 255
    elif f == 2:
        for x in range(stride): line[x] = (line[x] + prev[x]) & 255
    elif f == 3:
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            line[x] = (line[x] + ((a + prev[x]) >> 1)) & 255
    elif f == 4:
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    elif f != 0:
        ok(False, f"filter type {f} on row {y}")
        sys.exit(0)
    for x in range(0, stride, bpp):
        px = bytes(line[x:x + 3])
        counts[px] = counts.get(px, 0) + 1
    prev = line
total = w * h
white = counts.get(b"\xff\xff\xff", 0)
ok(white < total * 0.97 and len(counts) > 20,
   f"not blank: {100 * (total - white) / total:.1f}% non-white, {len(counts)} colours")
dark = sum(n for px, n in counts.items() if max(px) < 0x50)
ok(dark > 2000, f"text: {dark} dark pixels")
legend = re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="14" height="14" fill="#([0-9A-Fa-f]{6})"/>\s*'
                    r'<text[^>]*>([^<]+)</text>', svg)
ok(len(legend) == 2, f"SVG legend has the 2 categories ({[n for c, n in legend]})")
seen = {}
for colour, name in legend:
    n = counts.get(bytes.fromhex(colour), 0)
    seen[name] = n
    ok(n > 500, f"category colour #{colour} ({name}) on {n} pixels")
ok(seen.get("warship", 0) > 2 * seen.get("military aircraft", 0) > 0,
   "warship bars (4 asset-days) cover more than twice the aircraft bar (1)")
EOF

# Errors: a clear message, a non-zero exit, no PNG left behind.
expect() { # NAME RC PATTERN ARGS...
    name=$1 want=$2 pat=$3
    shift 3
    "$O" timeline --db "$DB" "$@" >"$TMP/e.out" 2>"$TMP/e.err"
    rc=$?
    if [ "$rc" -eq "$want" ] && grep -qF -- "$pat" "$TMP/e.err"; then
        echo "ok - $name"
    else
        echo "not ok - $name: rc $rc (want $want): $(head -c 300 "$TMP/e.err")"
    fi
}
expect "missing directory refused" 1 "cannot write $TMP/no/x.png: No such file or directory" \
    --png "$TMP/no/x.png"
[ -s "$TMP/e.out" ] && echo "not ok - output before the PNG path was refused" ||
    echo "ok - nothing computed when the PNG path cannot be opened"
mkdir "$TMP/dir"
expect "directory refused" 1 "cannot write $TMP/dir: Is a directory" --png "$TMP/dir"
if [ -w /dev/full ]; then
    expect "write error reported (/dev/full)" 1 "/dev/full: PNG: error while writing" \
        --png /dev/full
    [ -c /dev/full ] && echo "ok - /dev/full left alone" || echo "not ok - /dev/full removed"
else
    echo "ok - SKIP /dev/full is not writable here"
fi
expect "--png - refused" 2 "--png needs a file" --png -
"$O" timeline --db "$TMP/none.db" --png "$TMP/none.png" >/dev/null 2>"$TMP/e.err"
rc=$?
[ "$rc" -ne 0 ] && [ ! -e "$TMP/none.png" ] && echo "ok - missing database: exit $rc, no PNG" ||
    echo "not ok - missing database: rc $rc"
"$O" timeline --help | grep -q -- "--png FILE" && echo "ok - --help names --png" ||
    echo "not ok - --help does not name --png"
