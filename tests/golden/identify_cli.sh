#!/bin/sh
# tests/golden/identify_cli.sh - `orbat registry` and `orbat identify` on
# crafted input: AIS type 5 sentences built here (ITU-R M.1371-5 Table 48)
# and SBS lines, with the shipped registry and a user registry file.
set -u
ORBAT=${ORBAT:-build/orbat}
ROOT=${ROOT:-.}
SHARED=${SHARED:-../shared}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
command -v python3 >/dev/null 2>&1 || { echo "not ok - python3 needed"; exit 1; }

ok() { echo "ok - $*"; }
nok() { echo "not ok - $*"; }
check() { # description, command...
    d=$1; shift
    if "$@" >/dev/null 2>&1; then ok "$d"; else nok "$d"; fi
}

# --- orbat registry ---
"$ORBAT" registry show ae1234 >"$TMP/show1" 2>&1
check "registry show ae1234 (plane-alert C-17)" grep -q "registration: 03-3123" "$TMP/show1"
"$ORBAT" registry show 338813000 >"$TMP/show2" 2>&1
check "registry show MMSI: USS Iwo Jima, candidate" grep -q "unverified candidate" "$TMP/show2"
"$ORBAT" registry show "IWO JIMA LHD7" >"$TMP/show3" 2>&1
check "registry show by name+hull" grep -q "ship USS Iwo Jima LHD-7" "$TMP/show3"
if "$ORBAT" registry show "NO SUCH SHIP" >/dev/null 2>&1; then nok "unknown id exits 1"; else ok "unknown id exits 1"; fi
"$ORBAT" registry search gravely >"$TMP/search" 2>&1
check "registry search gravely" grep -q "DDG-107" "$TMP/search"
"$ORBAT" registry stats >"$TMP/stats" 2>&1
check "registry stats lists military aircraft" grep -q "military aircraft" "$TMP/stats"
check "registry stats lists 17 ships" grep -q "^ships: 17 " "$TMP/stats"

cat >"$TMP/bad.csv" <<'CSV'
mmsi,name,hull,imo,callsign,class,type,country,operator,category,role,mmsi_verified
244123456,HNLMS Test,F-999,,PXYZ,,frigate,Netherlands,RNLN,warship,frigate,1
12345,Short MMSI,,,,,,,,warship,,
244000002,Bad Category,,,,,,,,spaceship,,
"244000003,unterminated
244000004,Fine,,,,,,,,civil,,
CSV
"$ORBAT" registry validate "$TMP/bad.csv" >"$TMP/val" 2>&1
rc=$?
[ $rc -eq 1 ] && ok "validate: bad file exits 1" || nok "validate: bad file exits 1 (rc $rc)"
check "validate: line 3 bad MMSI" grep -q "bad.csv:3: bad MMSI '12345'" "$TMP/val"
check "validate: line 4 bad category" grep -q "bad.csv:4: bad category 'spaceship'" "$TMP/val"
check "validate: line 5 unterminated quote" grep -q "bad.csv:5: unterminated quoted field" "$TMP/val"
check "validate: summary 3 bad, 2 loaded" grep -q "orbat ships: 5 rows, 2 loaded, 3 bad" "$TMP/val"
check "validate: shipped registry and rules are clean" "$ORBAT" registry validate \
    "$ROOT/data/registry/plane-alert-db.csv" "$ROOT/data/registry/plane-alert-pia.csv" \
    "$ROOT/data/registry/ships_seed.csv" "$ROOT/data/rules/callsigns.csv"
if [ -f "$SHARED/data/registry/tar1090db_military.csv" ]; then
    "$ORBAT" registry --registry "$SHARED/data/registry/tar1090db_military.csv" show AE56EA \
        >"$TMP/tdb" 2>&1
    check "tar1090-db file loads with --registry (not shipped)" grep -q "tar1090db_military.csv" "$TMP/tdb"
else
    ok "SKIP tar1090db_military.csv not present"
fi

# --- orbat identify on crafted input ---
python3 - "$TMP/crafted.nmea" <<'PY'
import sys
def sixbit_text(s, n):
    s = s.upper().ljust(n, "@")[:n]
    out = []
    for ch in s:
        o = ord(ch)
        out.append(o - 64 if 64 <= o < 96 else o)
    return out
def bits(v, n):
    return [(v >> (n - 1 - i)) & 1 for i in range(n)]
def type5(mmsi, imo, callsign, name, shiptype):
    b = bits(5, 6) + bits(0, 2) + bits(mmsi, 30) + bits(0, 2) + bits(imo, 30)
    for c in sixbit_text(callsign, 7): b += bits(c, 6)
    for c in sixbit_text(name, 20): b += bits(c, 6)
    b += bits(shiptype, 8) + bits(100, 9) + bits(50, 9) + bits(10, 6) + bits(10, 6)
    b += bits(1, 4) + bits(10, 4) + bits(15, 5) + bits(12, 5) + bits(0, 6) + bits(60, 8)
    for c in sixbit_text("NORFOLK", 20): b += bits(c, 6)
    b += [0, 0]
    assert len(b) == 424
    fill = (6 - len(b) % 6) % 6
    b += [0] * fill
    chars = ""
    for i in range(0, len(b), 6):
        v = int("".join(map(str, b[i:i + 6])), 2)
        chars += chr(v + 48 if v < 40 else v + 56)
    return chars, fill
def sentence(body):
    ck = 0
    for ch in body: ck ^= ord(ch)
    return "!%s*%02X" % (body, ck)
with open(sys.argv[1], "w") as f:
    seq = 1
    for mmsi, imo, cs, name, st in ((338813000, 0, "NIWJ", "USS IWO JIMA", 35),
                                    (368000001, 0, "", "WARSHIP 7", 0),
                                    (357951000, 9000003, "3FYF9", "NAVIOS MAGELLAN", 35),
                                    (244123456, 0, "PABC", "EVER TEST", 70),
                                    (257999000, 0, "", "KNM TESTSKIP", 0)):
        p, fill = type5(mmsi, imo, cs, name, st)
        f.write(sentence("AIVDM,2,1,%d,A,%s,0" % (seq, p[:60])) + "\n")
        f.write(sentence("AIVDM,2,2,%d,A,%s,%d" % (seq, p[60:], fill)) + "\n")
        seq = seq % 9 + 1
PY
cat >"$TMP/crafted.sbs" <<'SBS'
MSG,1,1,1,AE1234,1,2025/10/15,12:00:00.000,2025/10/15,12:00:00.000,RCH4213,,,,,,,,,,,
MSG,1,1,1,A12345,1,2025/10/15,12:00:01.000,2025/10/15,12:00:01.000,BUNNY01,,,,,,,,,,,
MSG,1,1,1,3C6444,1,2025/10/15,12:00:02.000,2025/10/15,12:00:02.000,DLH123,,,,,,,,,,,
MSG,3,1,1,3C6444,1,2025/10/15,12:00:03.000,2025/10/15,12:00:03.000,,35000,,,50.0,8.0,,,0,0,0,0
SBS
"$ORBAT" identify "$TMP/crafted.nmea" "$TMP/crafted.sbs" >"$TMP/id.jsonl" 2>"$TMP/id.err" &&
    ok "identify crafted AIS + SBS" || nok "identify crafted AIS + SBS: $(cat "$TMP/id.err")"
"$ORBAT" identify --all --registry "$TMP/bad.csv" "$TMP/crafted.nmea" "$TMP/crafted.sbs" \
    >"$TMP/id_all.jsonl" 2>"$TMP/id_all.err" &&
    ok "identify --all with a user registry (bad rows reported, rest kept)" ||
    nok "identify --all with a user registry: $(cat "$TMP/id_all.err")"
check "user registry errors carry file:line" grep -q "bad.csv:3:" "$TMP/id_all.err"
if "$ORBAT" identify --registry "$TMP/none.csv" "$TMP/crafted.sbs" >/dev/null 2>&1; then
    nok "missing --registry file exits non-zero"
else
    ok "missing --registry file exits non-zero"
fi
python3 - "$TMP/id.jsonl" "$TMP/id_all.jsonl" <<'PY'
import json, sys
def load(p):
    d = {}
    for l in open(p):
        a = json.loads(l)
        d[a.get("mmsi") or a.get("icao")] = a
    return d
dflt, full = load(sys.argv[1]), load(sys.argv[2])
def expect(d, key, desc, **kv):
    a = d.get(key)
    bad = [k for k, v in kv.items() if a is None or a.get(k) != v]
    print(("ok - " if not bad else "not ok - ") + desc +
          ("" if not bad else " (got %s)" % ({k: a.get(k) for k in bad} if a else "nothing")))
expect(dflt, 338813000, "USS IWO JIMA + type 35 + candidate MMSI -> confirmed warship",
       category="warship", confidence="confirmed", name="USS Iwo Jima", hull="LHD-7",
       role="amphibious assault", country="United States", messages=1)
expect(dflt, 368000001, "WARSHIP 7 -> possible, the only hull numbered 7 (LHD-7)",
       category="warship", confidence="possible", name="USS Iwo Jima")
expect(dflt, 357951000, "type 35 under the Panama flag -> possible",
       category="warship", confidence="possible")
expect(dflt, 257999000, "KNM prefix alone -> possible warship, Norway",
       category="warship", confidence="possible", country="Norway")
expect(dflt, "ae1234", "AE1234: registry C-17 + military block + RCH callsign -> confirmed",
       category="military aircraft", confidence="confirmed", role="transport", name="03-3123")
expect(dflt, "a12345", "BUNNY01 in a civil US block -> likely bomber",
       category="military aircraft", confidence="likely", role="bomber")
print(("ok - " if 244123456 not in dflt and "3c6444" not in dflt else "not ok - ") +
      "civil assets are not printed without --all")
expect(full, 244123456, "user registry verified MMSI on a declared cargo ship -> likely",
       category="warship", confidence="likely", name="HNLMS Test", hull="F-999")
expect(full, "3c6444", "DLH123 -> civil, possible", category="civil", confidence="possible",
       messages=2)
rules = {r["rule"] for r in dflt[338813000]["reasons"]}
print(("ok - " if {"S.MID", "S.TYPE35", "S.REG_MMSI", "S.REG_NAME"} <= rules else "not ok - ") +
      "reasons name the rules: %s" % sorted(rules))
PY
