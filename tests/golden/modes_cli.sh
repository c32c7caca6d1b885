#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# modes_cli.sh - `orbat decode` Mode S behaviour on small crafted inputs:
# --fix repairs one flipped bit (and is off by default), framing errors are
# counted by reason and skipped, Beast garbage/resync/truncation are counted,
# SBS input gives the JSON fields BaseStation carries, --format none prints
# nothing, and JSON output is valid JSON (one object per line).
set -u
ORBAT=${ORBAT:-build/orbat}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

check() { # desc, command...
    d=$1
    shift
    if "$@"; then echo "ok - $d"; else echo "not ok - $d"; fi
}

# DF17 TC11 (33000 ft) from the ulss7 capture; the second copy has its last
# bit flipped; then a short line, a junk line, a non-hex line and a '#'
# comment (skipped and counted as such, not as an error).
printf '%s\n' '*8d780a5c58ab074a0b9b0fc2cbfc;' '*8d780a5c58ab074a0b9b0fc2cbfd;' \
    '*8d780a5c58ab074a0b9b0fc2cb;' 'junk' '*8d780a5c58ab074a0b9b0fc2cbzz;' '# comment' \
    >"$TMP/fix.avr"
"$ORBAT" decode --stats "$TMP/fix.avr" >"$TMP/nofix.out" 2>"$TMP/nofix.err"
"$ORBAT" decode --fix --stats "$TMP/fix.avr" >"$TMP/fix.out" 2>"$TMP/fix.err"
check "without --fix the flipped frame fails parity" \
    grep -q '"crc_ok":false,"crc":1,' "$TMP/nofix.out"
check "without --fix: one crc failure counted" grep -q 'crc failures (DF11/17/18) *1$' "$TMP/nofix.err"
check "--fix repairs bit 112 and decodes the altitude" \
    grep -q '"crc_ok":true,"crc":1,"addr_type":"ADS-B","fixed_bit":112.*"altitude":33000' \
    "$TMP/fix.out"
check "--fix: correction counted" grep -q '1-bit corrections used *1$' "$TMP/fix.err"
check "avr errors counted by reason" sh -c "grep -q 'avr syntax *1\$' '$TMP/fix.err' &&
    grep -q 'avr wrong digit count *1\$' '$TMP/fix.err' && grep -q 'avr bad hex *1\$' '$TMP/fix.err'"
check "a '#' line is counted as a comment" grep -q 'comment lines *1$' "$TMP/fix.err"
check "two frames output, errors skipped" test "$(wc -l <"$TMP/fix.out")" -eq 2

# Beast: garbage, a good DF11, an unknown type, a frame cut short by a new
# frame start (resync), and a truncated frame at the end.
printf 'xyz\032\062\000\000\000\000\000\001\200\137\100\001\131\113\017\273' >"$TMP/b.bin"
printf '\032\071\032\062\001\002\032\062\000\000\000\000\000\002\200\137\100\001\131\113\017\273' \
    >>"$TMP/b.bin"
printf '\032\063\001\002\003' >>"$TMP/b.bin"
"$ORBAT" decode --input beast --stats "$TMP/b.bin" >"$TMP/b.out" 2>"$TMP/b.err"
check "beast: two DF11 frames decoded" test "$(grep -c '"df":11,"icao":"400159","crc_ok":true' "$TMP/b.out")" -eq 2
check "beast: timestamps and signal kept" grep -q '"mlat":2,"signal":128' "$TMP/b.out"
check "beast: garbage bytes counted" grep -q 'beast garbage bytes *3$' "$TMP/b.err"
check "beast: unknown type counted" grep -q 'beast unknown type *1$' "$TMP/b.err"
check "beast: resync counted" grep -q 'resync) *1$' "$TMP/b.err"
check "beast: truncated frame counted" grep -q 'beast truncated at end *1$' "$TMP/b.err"

# SBS input -> JSON fields.
printf '%s\r\n' 'MSG,3,1,1,71BE34,1,2018/04/03,19:02:28.951,2018/04/10,21:24:39.448,,35000,,,59.73459,31.99796,,,,,,0' \
    'MSG,6,1,1,400159,1,2018/04/03,19:02:29.000,,,,,,,,,,7700,0,-1,0,' 'MSG,3,1,1,71BE34,1,,,,,,35000,,,95,1,,,,,,0' \
    'STA,,1,1,71BE34,1,,,,,RM' >"$TMP/in.sbs"
"$ORBAT" decode --stats "$TMP/in.sbs" >"$TMP/sbs.out" 2>"$TMP/sbs.err"
check "sbs: position record" grep -q '^{"sbs":3,"icao":"71be34","t":1522782148.951,"altitude":35000,"lat":59.73459,"lon":31.99796,"ground":false}$' "$TMP/sbs.out"
check "sbs: squawk/emergency record" grep -q '"squawk":"7700","alert":false,"emergency":true,"spi":false' "$TMP/sbs.out"
check "sbs: out-of-range latitude counted" grep -q 'sbs out of range *1$' "$TMP/sbs.err"
check "sbs: STA record counted" grep -q 'sbs non-MSG records *1$' "$TMP/sbs.err"

# The per-aircraft table is bounded: 20,000 distinct DF11 addresses (CRC-24
# parity computed here, generator 0x1FFF409) must all decode while at least
# 20000 - 8192 entries are evicted.
if command -v python3 >/dev/null 2>&1; then
    python3 - >"$TMP/many.avr" <<'EOF'
def crc24(data):
    c = 0
    for b in data:
        c ^= b << 16
        for _ in range(8):
            c = (c << 1) ^ 0x1FFF409 if c & 0x800000 else c << 1
    return c & 0xFFFFFF
for i in range(20000):
    addr = 0x100000 + i * 37
    d = bytes([0x5D, addr >> 16, (addr >> 8) & 255, addr & 255])
    print("*%s%06X;" % (d.hex().upper(), crc24(d)))
EOF
    "$ORBAT" decode --stats "$TMP/many.avr" >"$TMP/many.out" 2>"$TMP/many.err"
    ev=$(sed -n 's/.*aircraft table evictions *\([0-9]*\)$/\1/p' "$TMP/many.err")
    check "bounded aircraft table: 20000 addresses decoded, ${ev:-0} evictions" \
        sh -c "test \"\$(grep -c '\"crc_ok\":true' '$TMP/many.out')\" -eq 20000 && test '${ev:-0}' -ge 11808"
fi

# --format none writes nothing; every jsonl line parses as JSON.
"$ORBAT" decode --format none "$TMP/fix.avr" >"$TMP/none.out"
check "--format none prints nothing" test ! -s "$TMP/none.out"
if command -v python3 >/dev/null 2>&1; then
    cat "$TMP/fix.out" "$TMP/b.out" "$TMP/sbs.out" >"$TMP/all.jsonl"
    check "jsonl output is valid JSON without duplicate keys" python3 -c '
import json, sys
def once(pairs):
    keys = [k for k, v in pairs]
    if len(keys) != len(set(keys)):
        raise SystemExit("duplicate key in %r" % keys)
    return dict(pairs)
for l in open(sys.argv[1]):
    json.loads(l, object_pairs_hook=once)
' "$TMP/all.jsonl"
fi
exit 0
