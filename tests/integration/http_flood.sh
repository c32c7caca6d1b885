#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# http_flood.sh - `orbat run` under a flood: a fixture TCP feed sends
# simulated AIS interleaved with garbage and overlong lines as fast as the
# socket takes them (far beyond a real receiver's rate) for a few seconds.
# orbat must keep its memory bounded, keep answering HTTP, count the
# dropped lines and rejected input in /metrics, and stop cleanly.
set -u
cd "${ROOT:-.}" || exit 1
O=${ORBAT:-build/orbat}
TMP=$(mktemp -d)
PIDS=
cleanup() {
    for p in $PIDS; do kill "$p" 2>/dev/null; done
    rm -rf "$TMP"
}
trap cleanup EXIT
if ! command -v python3 >/dev/null; then
    echo "not ok - python3 is needed (apt-get install python3)"
    exit 0
fi
"$O" simulate scenarios/caribbean-2025.json --from 2025-10-20 --to 2025-10-21 \
    --out-ais "$TMP/s.nmea" 2>/dev/null
cat >"$TMP/flood.py" <<'EOF'
import socket, sys, time
good = open(sys.argv[1], "rb").read()
junk = (b"!AIVDM,1,1,,A,garbage" * 3 + b"\n") * 200 + b"X" * 5000 + b"\n"
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(1)
open(sys.argv[2], "w").write(str(s.getsockname()[1]))
c, _ = s.accept()
end, sent = time.time() + float(sys.argv[3]), 0
try:
    while time.time() < end:
        c.sendall(good[:200000] + junk)
        sent += 200000 + len(junk)
except OSError:
    pass
open(sys.argv[4], "w").write(str(sent))
time.sleep(600)
EOF
python3 "$TMP/flood.py" "$TMP/s.nmea" "$TMP/feed.port" 4 "$TMP/sent" &
PIDS="$PIDS $!"
i=0
while [ ! -s "$TMP/feed.port" ] && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
"$O" run --db "$TMP/f.db" --listen 127.0.0.1:0 --port-file "$TMP/http.port" \
    --spool-dir "$TMP/spool" --spool-secs 1 --feed "flood=tcp://127.0.0.1:$(cat "$TMP/feed.port")/nmea" \
    >"$TMP/run.out" 2>"$TMP/run.err" &
RPID=$!
PIDS="$PIDS $RPID"
i=0
while [ ! -s "$TMP/http.port" ] && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
# AddressSanitizer keeps up to 256 MB of freed memory in quarantine.
LIMIT=300
grep -q __asan_init "$O" 2>/dev/null && LIMIT=700
python3 - "$(cat "$TMP/http.port" 2>/dev/null || echo 0)" "$RPID" "$TMP/sent" "$LIMIT" <<'EOF'
import json, os, sys, time, urllib.request
port, pid, sentf, limit = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
base = "http://127.0.0.1:%s" % port
fails = 0
def check(c, what):
    global fails
    print(("ok - " if c else "not ok - ") + what)
    fails += 0 if c else 1
def rss_mb():
    for l in open("/proc/%s/status" % pid):
        if l.startswith("VmRSS:"):
            return int(l.split()[1]) / 1024
    return -1
peak, slow = 0, 0
t_end = time.time() + 6
while time.time() < t_end:
    peak = max(peak, rss_mb())
    t0 = time.time()
    try:
        urllib.request.urlopen(base + "/api/sources", timeout=10).read()
    except Exception:
        slow += 1
    time.sleep(0.2)
sent = int(open(sentf).read()) if os.path.exists(sentf) else 0
check(sent > 10e6, "flood sent %.0f MB in 4 s" % (sent / 1e6))
check(0 < peak < limit, "memory stays bounded under the flood (peak RSS %.0f MB < %.0f)" % (peak, limit))
check(slow == 0, "the API kept answering during the flood")
m = urllib.request.urlopen(base + "/metrics", timeout=20).read().decode()
v = dict(l.rsplit(" ", 1) for l in m.splitlines() if l and not l.startswith("#"))
check(float(v.get("orbat_spool_lines_dropped_total", 0)) > 0, "overlong lines dropped and counted (%s)"
      % v.get("orbat_spool_lines_dropped_total"))
check(float(v.get("orbat_decode_rejected_total", 0)) > 0, "garbage counted as rejected input (%s)"
      % v.get("orbat_decode_rejected_total"))
check(float(v.get('orbat_feed_bytes_total{feed="flood"}', 0)) > 0, "feed bytes counted")
sys.exit(1 if fails else 0)
EOF
[ $? -eq 0 ] || echo "not ok - flood checks (see above)"
kill -TERM $RPID
i=0
while kill -0 $RPID 2>/dev/null && [ $i -lt 300 ]; do
    sleep 0.1
    i=$((i + 1))
done
if kill -0 $RPID 2>/dev/null; then
    echo "not ok - orbat run stops within 30 s of SIGTERM after a flood"
else
    wait $RPID
    rc=$?
    [ $rc -eq 0 ] && echo "ok - orbat run stops cleanly after the flood" ||
        echo "not ok - orbat run exit status $rc after the flood"
fi
