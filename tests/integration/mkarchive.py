#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""mkarchive.py OUTDIR - write the test archives of import_archives.sh.

Hand-made readsb trace files (the format of readsb's README-json.md, as in
adsb.lol globe_history) with known content, in a directory tree and in a
plain tar, plus MarineCadastre CSV rows. Every point is 2 minutes after the
previous one, so the store keeps every point (it thins to one per minute)
and expected counts are exact. Prints "name count" lines of expected points.
"""
import gzip
import io
import json
import os
import sys
import tarfile

T0 = 1760486400  # 2025-10-15T00:00:00Z
out = sys.argv[1]


def pts14(track, t_first=0, flags_first=0, obj_every=5, flight="BUNNY01"):
    """14-field points from (lat, lon) pairs, 120 s apart."""
    p = []
    for i, (lat, lon) in enumerate(track):
        obj = None
        if i % obj_every == 0:
            obj = {"type": "adsb_icao", "flight": flight.ljust(8), "squawk": "4401",
                   "category": "A5", "alt_geom": 31000}
        p.append([t_first + 120 * i, lat, lon, 30000 + i, 420.5, 180.0,
                  flags_first if i == 0 else 0, 0, obj, "adsb_icao", 31000, 0, 300, 0.5])
    return p


def line(a, b, n):
    return [(a[0] + (b[0] - a[0]) * k / (n - 1), a[1] + (b[1] - a[1]) * k / (n - 1))
            for k in range(n)]


def doc(icao, points, **hdr):
    d = {"icao": icao}
    d.update(hdr)
    d["timestamp"] = T0
    d["trace"] = points
    return json.dumps(d, separators=(",", ":")).encode()


members = {}
expect = {}

# A: US military B-52 (dbFlags 1). Leg 1 flies from Louisiana into the
# Caribbean Sea and back (20 points, 8 outside the theatre); leg 2, two
# hours later, stays over Texas (10 points, new-leg flag).
leg1 = line((30.5, -92.0), (14.0, -66.5), 10) + line((14.5, -67.0), (29.0, -91.0), 10)
leg2 = line((31.0, -97.0), (32.0, -99.0), 10)
pa = pts14(leg1) + pts14(leg2, t_first=120 * 19 + 7200, flags_first=2, flight="BUNNY02")
members["traces/34/trace_full_ae1234.json"] = gzip.compress(
    doc("ae1234", pa, r="61-0010", t="B52", dbFlags=1, desc="BOEING B-52H", ownOp="USAF"))
expect["ae1234"] = len(pa)
expect["ae1234_leg1"] = len(leg1)

# B: civil airliner in the theatre (dbFlags 0): kept by area, not by --mil.
pb = pts14(line((18.0, -70.0), (12.0, -68.0), 12), flight="AAL123")
members["traces/c2/trace_full_a0b1c2.json"] = gzip.compress(
    doc("a0b1c2", pb, r="N123AA", t="A321", dbFlags=0, desc="AIRBUS A-321"))
expect["a0b1c2"] = len(pb)

# C: civil, header fine, point array broken after two points: --mil decides
# from the header and never reads the points; a full import reports it and
# keeps the two points.
good = json.dumps(pts14([(40.0, -75.0), (40.1, -75.1)]), separators=(",", ":"))[1:-1]
broken = ('{"icao":"a11111","r":"N1","t":"C172","dbFlags":0,"timestamp":%d,"trace":[%s,[1,2,'
          % (T0, good)).encode() + b"\x00garbage"
members["traces/11/trace_full_a11111.json"] = gzip.compress(broken)
expect["a11111"] = 2

# D: non-ICAO address: skipped.
members["traces/56/trace_full_~123456.json"] = gzip.compress(
    doc("~123456", pts14([(15.0, -70.0)] * 3)))

# E: 9-field layout (before 2022), no dbFlags, in the US military address
# block (AE0000-AFFFFF): kept by --mil through orbat's own table. Plain JSON.
pe = [[120 * i, 16.0 + 0.1 * i, -72.0, "ground" if i == 0 else 5000, 150.0 if i else None,
       90.0, 0, None, None] for i in range(6)]
members["traces/78/trace_full_ae5678.json"] = doc("ae5678", pe, r="166xxx", t="P8")
expect["ae5678"] = len(pe)

# F: a civil-block address (A22222, US civil) that the archive's dbFlags
# marks military: --mil keeps it on dbFlags alone. Two legs split only by
# the new-leg flag, 3 minutes apart: leg 1 over Texas (5 points), leg 2 in
# the Caribbean (5 points); --theatre keeps leg 2 only.
pf = pts14(line((31.0, -97.0), (31.5, -97.5), 5)) + \
    pts14(line((15.0, -70.0), (15.5, -70.5), 5), t_first=120 * 4 + 180, flags_first=2)
members["traces/22/trace_full_a22222.json"] = gzip.compress(
    doc("a22222", pf, r="N22222", t="C130", dbFlags=1, ownOp="USAF"))
expect["a22222"] = len(pf)

# Not position data.
members["heatmap/00.bin.ttf"] = os.urandom(3000)
members["acas/acas.csv"] = b"time,hex\n"

os.makedirs(out, exist_ok=True)
tree = os.path.join(out, "tree")
for name, data in members.items():
    p = os.path.join(tree, name)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb") as f:
        f.write(data)
with tarfile.open(os.path.join(out, "day.tar"), "w", format=tarfile.USTAR_FORMAT) as t:
    for name in sorted(members):
        ti = tarfile.TarInfo(name)
        ti.size = len(members[name])
        ti.mtime = T0
        t.addfile(ti, io.BytesIO(members[name]))

# Offsets of members in the tar, for a split inside a member.
with tarfile.open(os.path.join(out, "day.tar")) as t:
    for m in t.getmembers():
        if m.name.endswith("ae1234.json"):
            print("split_at", m.offset_data + m.size // 2)

# A truncated gzip member (cut in the middle) in its own tree.
bad = os.path.join(out, "badtree", "traces", "34")
os.makedirs(bad, exist_ok=True)
z = members["traces/34/trace_full_ae1234.json"]
with open(os.path.join(bad, "trace_full_ae1234.json"), "wb") as f:
    f.write(z[: len(z) // 2])
with open(os.path.join(bad, "trace_full_a0b1c2.json"), "wb") as f:
    f.write(members["traces/c2/trace_full_a0b1c2.json"])

# MarineCadastre 2025 layout: vessel 1 (US Navy, type 35) sails from the
# Florida Straits into the Caribbean (6 rows, 3 inside the theatre); vessel 2
# stays off Virginia; one malformed row.
rows = ["mmsi,base_date_time,longitude,latitude,sog,cog,heading,vessel_name,imo,call_sign,"
        "vessel_type,status,length,width,draft,cargo,transceiver"]
for i, (lat, lon) in enumerate(line((24.5, -80.5), (16.0, -68.0), 6)):
    rows.append("369970%03d,2025-10-15 %02d:00:00,%.5f,%.5f,15.0,120.0,511,USS TESTSHIP,,NTST,"
                "35,0,150,20,,,A" % (1, i, lon, lat))
for i in range(4):
    rows.append("366000002,2025-10-15 %02d:00:00,-75.9,36.9,102.3,360.0,511,TUG TWO,,WTT2,52,0,,,"
                ",,A" % i)
rows.append("366000003,not-a-date,-75.9,36.9,1,1,1,BAD,,X,52,0,,,,,A")
with open(os.path.join(out, "ais-2025-10-15.csv"), "w") as f:
    f.write("\n".join(rows) + "\n")

# A long CSV (20000 rows, one vessel, one row a minute) for cut streams.
with open(os.path.join(out, "big.csv"), "w") as f:
    f.write(rows[0] + "\n")
    for i in range(20000):
        t = T0 + 60 * i
        f.write("367000001,%s,-66.%05d,15.%05d,10.0,90.0,90,BIG ONE,,WBIG,70,0,100,20,,,A\n"
                % (__import__("time").strftime("%Y-%m-%d %H:%M:%S", __import__("time").gmtime(t)),
                   i, i))

for k, v in expect.items():
    print(k, v)
