#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
#
# modes_compare.py - oracle comparisons for tests/golden/modes_*.sh. Each
# sub-command reads orbat's output and a peer's rendition of the same
# recording and prints TAP lines ("ok - ..." / "not ok - ...").
#
#   dump1090 ORBAT_JSONL DUMP1090_TXT ICAOS_TXT
#       Beast capture vs beastblackbox's dump1090-fa text decode: the same
#       frames in the same order, the same aircraft set, and per frame the
#       fields dump1090 prints (altitude, squawk, ident, category, speed,
#       heading, vertical rate, GNSS delta, CPR raw and decoded position,
#       TC29/TC31 values, RSSI).
#   frames REF_JSONL OTHER_JSONL NAME POS_TOL MAX_POS_MISSING
#       a second rendition (AVR, AVR-MLAT) against the Beast decode: same
#       verified frames in order, same decoded fields; positions equal
#       within POS_TOL deg wherever both have one, and at most
#       MAX_POS_MISSING percent of the reference positions absent.
#   sbs REF_JSONL SBS_JSONL
#       dump1090-mutability's SBS rendition (decoded by orbat's SBS input)
#       against the Beast decode.
#   sbsout ORBAT_SBS PEER_SBS
#       orbat --format sbs against dump1090-mutability's port 30003 output,
#       field by field except the date/time columns.
import json
import re
import sys

fails = 0


def ok(cond, msg):
    global fails
    if cond:
        print("ok - " + msg)
    else:
        fails += 1
        print("not ok - " + msg)


def load_jsonl(path):
    out = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                out.append(json.loads(line))
    return out


def angle_diff(a, b):
    d = abs(a - b) % 360
    return min(d, 360 - d)


def parse_dump1090(path):
    frames = []
    cur = None
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            m = re.match(r"^\*([0-9a-f]+);$", line)
            if m:
                cur = {"raw": m.group(1)}
                frames.append(cur)
                continue
            if cur is None:
                continue
            m = re.match(r"^\s*([A-Za-z/ ]+):\s+(.*)$", line)
            if not m:
                continue
            k, v = m.group(1).strip(), m.group(2)
            if k == "RSSI":
                cur["rssi"] = float(v.split()[0])
            elif k == "Altitude":
                mm = re.match(r"(-?\d+) ft", v)
                if mm:
                    cur["altitude"] = int(mm.group(1))
            elif k == "Squawk":
                cur["squawk"] = v.strip()
            elif k == "Ident":
                cur["callsign"] = v.rstrip()
            elif k == "Category":
                cur["category_code"] = v.strip()
            elif k == "Speed":
                cur["gs"] = int(v.split()[0])
            elif k == "Heading":
                cur["track"] = int(v.split()[0])
            elif k == "Vertical rate":
                cur["vr"] = int(v.split()[0])
            elif k == "GNSS delta":
                cur["geo_minus_baro"] = int(v.split()[0])
            elif k == "CPR odd flag":
                cur["cpr_format"] = 1 if v.strip() == "odd" else 0
            elif k == "CPR latitude":
                mm = re.match(r"(?:(-?[\d.]+) )?\((\d+)\)", v)
                cur["cpr_lat"] = int(mm.group(2))
                if mm.group(1):
                    cur["lat"] = float(mm.group(1))
            elif k == "CPR longitude":
                mm = re.match(r"(?:(-?[\d.]+) )?\((\d+)\)", v)
                cur["cpr_lon"] = int(mm.group(2))
                if mm.group(1):
                    cur["lon"] = float(mm.group(1))
            elif k == "Target altitude":
                cur["sel_alt"] = int(re.search(r"(-?\d+) ft", v).group(1))
            elif k == "Altimeter setting":
                cur["baro_setting"] = float(v.split()[0])
            elif k == "Target heading":
                cur["sel_heading"] = int(v.split()[0])
            elif k == "NACp":
                cur["nac_p"] = int(v.split()[0])
            elif k == "NICbaro":
                cur["nic_baro"] = int(v.split()[0])
            elif k == "SIL":
                cur["sil"] = int(v.split()[0])
            elif k == "Version":
                cur["version"] = int(v.split()[0])
    return frames


# field -> tolerance (None = exact)
D1090_FIELDS = {
    "altitude": None, "squawk": None, "callsign": None, "category_code": None,
    # dump1090's text decode prints tracks 0-1.4 deg above atan2(ew, ns)
    # (its own SBS output of the same frames truncates atan2): tolerance 1.5.
    "gs": 1.0, "track": "angle1.5", "vr": None, "geo_minus_baro": None,
    "cpr_format": None, "cpr_lat": None, "cpr_lon": None, "lat": 6e-6, "lon": 6e-6,
    "sel_alt": None, "baro_setting": 0.1, "sel_heading": "angle", "nac_p": None,
    "nic_baro": None, "sil": None, "version": None, "rssi": 0.051,
}


def field_match(k, tol, a, b):
    if tol is None:
        return a == b
    if tol == "angle":
        return angle_diff(float(a), float(b)) <= 1.0
    if tol == "angle1.5":
        return angle_diff(float(a), float(b)) <= 1.5
    return abs(float(a) - float(b)) <= tol


def cmd_dump1090(ours_path, txt_path, icaos_path):
    ours = [o for o in load_jsonl(ours_path) if o.get("crc_ok")]
    ref = parse_dump1090(txt_path)
    ok(len(ours) == len(ref), "verified frames: orbat %d, dump1090 %d" % (len(ours), len(ref)))
    same_raw = sum(1 for a, b in zip(ours, ref) if a["raw"] == b["raw"])
    ok(same_raw == len(ref), "same frames in the same order (%d of %d)" % (same_raw, len(ref)))
    with open(icaos_path) as f:
        want = set(re.findall(r"\b[0-9A-F]{6}\b", f.read()))
    got = set(o["icao"].upper() for o in ours)
    ok(got == want, "aircraft set: %d orbat vs %d ICAOs.txt (extra %s, missing %s)"
       % (len(got), len(want), sorted(got - want), sorted(want - got)))
    for k, tol in D1090_FIELDS.items():
        n = bad = 0
        example = None
        for a, b in zip(ours, ref):
            if k not in b:
                continue
            n += 1
            va = a.get(k)
            if k == "sel_heading" and va is None:
                va = a.get("sel_heading")
            if va is None or not field_match(k, tol, va, b[k]):
                bad += 1
                if example is None:
                    example = (b["raw"], va, b[k])
        ok(n > 0 and bad == 0, "%s: %d frames compared, %d differ%s"
           % (k, n, bad, "" if not example else " (first: %s orbat %r dump1090 %r)" % example))
    # Positions dump1090 did not print must not be invented either.
    extra = sum(1 for a, b in zip(ours, ref) if "lat" in a and "lat" not in b)
    ok(extra == 0, "no position where dump1090 had none (%d)" % extra)


DECODED = ["df", "icao", "altitude", "squawk", "callsign", "gs", "track", "vr", "tc",
           "cpr_lat", "cpr_lon", "sel_alt", "nac_p", "bds"]


def cmd_frames(ref_path, other_path, name, pos_tol, max_missing_pct):
    # dump1090-mutability re-emits frames in its own processing order,
    # which differs locally from the recording's, so frames are paired by
    # (raw, mlat) when both carry the 12 MHz stamp, else by raw in order
    # of occurrence.
    ref = [o for o in load_jsonl(ref_path) if o.get("crc_ok")]
    oth = [o for o in load_jsonl(other_path) if o.get("crc_ok")]
    ok(len(ref) == len(oth), "%s: verified frames %d vs beast %d" % (name, len(oth), len(ref)))
    pool = {}
    use_mlat = all("mlat" in o for o in oth)
    for o in ref:
        k = (o["raw"], o.get("mlat")) if use_mlat else o["raw"]
        pool.setdefault(k, []).append(o)
    pairs = []
    unmatched = 0
    for o in oth:
        k = (o["raw"], o.get("mlat")) if use_mlat else o["raw"]
        lst = pool.get(k)
        if not lst:
            unmatched += 1
            continue
        pairs.append((lst.pop(0), o))
    ok(unmatched == 0, "%s: every frame found in the beast decode (%d not%s)"
       % (name, unmatched, ", paired by raw+mlat" if use_mlat else ", paired by raw"))
    bad = 0
    for a, b in pairs:
        for k in DECODED:
            if a.get(k) != b.get(k):
                bad += 1
                break
    ok(bad == 0, "%s: decoded fields equal on every frame (%d differ)" % (name, bad))
    both = missing = extra = far = 0
    for a, b in pairs:
        if "lat" in a and "lat" in b:
            both += 1
            if abs(a["lat"] - b["lat"]) > pos_tol or abs(a["lon"] - b["lon"]) > pos_tol:
                far += 1
        elif "lat" in a:
            missing += 1
        elif "lat" in b:
            extra += 1
    nref = both + missing
    ok(far == 0, "%s: %d shared positions within %g deg (%d not)" % (name, both, pos_tol, far))
    ok(nref > 0 and missing * 100.0 <= max_missing_pct * nref and extra * 100.0 <= max_missing_pct * nref,
       "%s: %d of %d beast positions absent, %d extra (limit %g%% each)"
       % (name, missing, nref, extra, max_missing_pct))


def cmd_sbs(ref_path, sbs_path):
    # dump1090-mutability writes no SBS line for TC28/29/31 (and nothing for
    # unverified frames), so drop those from the reference decode and pair
    # the rest in order. The reference is orbat's decode of the AVR file of
    # the same dump1090-mutability run (same order; the AVR decode is itself
    # checked against the Beast decode by `frames`).
    ref = [o for o in load_jsonl(ref_path)
           if o.get("crc_ok") and not (o.get("df") in (17, 18) and o.get("tc") in (28, 29, 31))]
    sbs = load_jsonl(sbs_path)
    ok(len(ref) == len(sbs), "sbs: %d MSG lines vs %d reference frames" % (len(sbs), len(ref)))
    icao_bad = 0
    fields = {"altitude": None, "squawk": None, "callsign": None, "gs": 1.0,
              "track": "angle1.5", "vr": None}
    bad = {k: 0 for k in fields}
    n = {k: 0 for k in fields}
    both = missing = extra = far = 0
    for a, b in zip(ref, sbs):
        if a["icao"] != b.get("icao"):
            icao_bad += 1
            continue
        for k, tol in fields.items():
            if k in b:
                n[k] += 1
                if k not in a or not field_match(k, tol, a[k], b[k]):
                    bad[k] += 1
        if "lat" in a and "lat" in b:
            both += 1
            if abs(a["lat"] - b["lat"]) > 6e-6 or abs(a["lon"] - b["lon"]) > 6e-6:
                far += 1
        elif "lat" in b:
            missing += 1
        elif "lat" in a:
            extra += 1
    ok(icao_bad == 0, "sbs: same aircraft on every line (%d differ)" % icao_bad)
    for k in fields:
        ok(n[k] > 0 and bad[k] == 0, "sbs: %s on %d lines, %d differ" % (k, n[k], bad[k]))
    ok(far == 0, "sbs: %d shared positions within 6e-6 deg (%d not)" % (both, far))
    # dump1090-mutability resolves fewer positions (its speed filter and
    # wall-clock replay); every position it has, orbat must have too.
    ok(missing == 0, "sbs: %d positions mutability has and orbat lacks; orbat has %d more"
       % (missing, extra))


def cmd_sbsout(ours_path, peer_path):
    def rows(p):
        with open(p, newline="") as f:
            return [l.rstrip("\r\n").split(",") for l in f if l.startswith("MSG,")]
    a, b = rows(ours_path), rows(peer_path)
    ok(len(a) == len(b), "sbs output: %d lines vs dump1090-mutability %d" % (len(a), len(b)))
    # Columns 1-6 and 11-22 (1-based), positions included.
    diff = {}
    for ra, rb in zip(a, b):
        if len(ra) != 22 or len(rb) != 22:
            diff["fieldcount"] = diff.get("fieldcount", 0) + 1
            continue
        for c in list(range(0, 6)) + list(range(10, 22)):
            if ra[c] != rb[c]:
                diff[c + 1] = diff.get(c + 1, 0) + 1
    ok(not diff, "sbs output: columns equal except times (differences by column: %s)" % diff)


def main():
    cmd = sys.argv[1]
    if cmd == "dump1090":
        cmd_dump1090(*sys.argv[2:5])
    elif cmd == "frames":
        cmd_frames(sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]), float(sys.argv[6]))
    elif cmd == "sbs":
        cmd_sbs(*sys.argv[2:4])
    elif cmd == "sbsout":
        cmd_sbsout(*sys.argv[2:4])
    else:
        print("not ok - unknown sub-command " + cmd)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
