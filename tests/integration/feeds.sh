#!/bin/sh
# tests/integration/feeds.sh - live feeds over real sockets on 127.0.0.1:
# TCP NMEA with the server killed and restarted mid-stream (nothing received
# is lost, orbat reconnects with backoff), a server that starts after orbat,
# Beast over TCP in odd-sized writes, and NMEA over UDP. Compared with the
# same input decoded from a file.
set -u
ORBAT=${ORBAT:-build/orbat}
SHARED=${SHARED:-../shared}
T=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$T"' EXIT
if ! command -v python3 >/dev/null 2>&1; then
    echo "not ok - python3 is needed for the feed fixture server"
    exit 0
fi

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Fixture server: serve FILE in parts over TCP. Each part is sent to a fresh
# connection after the previous connection was closed ("killed"); a delay
# before listening lets orbat's first attempts fail.
cat >"$T/serve.py" <<'PY'
import socket, sys, time
port, path, parts, delay, chunk = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
data = open(path, "rb").read()
if parts > 1:
    # split on line boundaries so that no line is cut by the "kill"
    cuts, step = [0], len(data) // parts
    for i in range(1, parts):
        j = data.index(b"\n", i * step) + 1
        cuts.append(j)
    cuts.append(len(data))
    pieces = [data[cuts[i]:cuts[i + 1]] for i in range(parts)]
else:
    pieces = [data]
time.sleep(delay)
for piece in pieces:
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(1)
    srv.settimeout(30)
    c, _ = srv.accept()
    for i in range(0, len(piece), chunk):
        c.sendall(piece[i:i + chunk])
    time.sleep(0.2)
    c.close()          # the server goes away mid-stream ...
    srv.close()
    time.sleep(0.7)    # ... and comes back a little later
open(sys.argv[6], "w").write("done\n")
PY

cat >"$T/udp.py" <<'PY'
import socket, sys, time
port, path = int(sys.argv[1]), sys.argv[2]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
lines = open(path, "rb").read().splitlines(keepends=True)
for i in range(0, len(lines), 5):      # 5 sentences per datagram, as AIS-catcher may batch
    s.sendto(b"".join(lines[i:i + 5]), ("127.0.0.1", port))
    time.sleep(0.002)
open(sys.argv[3], "w").write("done\n")
PY

wait_for() { # file, seconds
    i=0
    while [ ! -f "$1" ] && [ $i -lt $(($2 * 10)) ]; do sleep 0.1; i=$((i + 1)); done
    [ -f "$1" ]
}

run_case() { # name, spec-suffix, input file, server command..., compare format
    name=$1; shift
    fmt=$1; shift
    in=$1; shift
    "$ORBAT" decode --format "$fmt" "$in" >"$T/$name.want" 2>/dev/null
    "$ORBAT" decode --stats --format "$fmt" "$SPEC" >"$T/$name.got" 2>"$T/$name.err" &
    opid=$!
    "$@" &
    if wait_for "$T/$name.done" 60; then
        sleep 1
        echo "ok - $name: fixture finished"
    else
        echo "not ok - $name: fixture did not finish"
    fi
    kill -TERM $opid 2>/dev/null
    wait $opid
    rc=$?
    [ $rc -eq 0 ] && echo "ok - $name: orbat exits 0 on SIGTERM" \
        || echo "not ok - $name: orbat exit status $rc on SIGTERM"
    w=$(wc -l <"$T/$name.want"); g=$(wc -l <"$T/$name.got")
    if [ "$w" -gt 0 ] && cmp -s "$T/$name.want" "$T/$name.got"; then
        echo "ok - $name: all $w messages received, same output as from the file"
    else
        echo "not ok - $name: $g of $w lines, output differs from the file decode"
        diff "$T/$name.want" "$T/$name.got" | head -n 5
    fi
}

NMEA=$SHARED/testdata/ais/kystverket/Ais1000Lines.nm4
BEAST=$SHARED/testdata/adsb/captures/beastblackbox_ulss7/ulss7-beast-bin-utc--1522782148.136310917--.log

# 1. TCP NMEA, server killed and restarted twice mid-stream; first attempts refused.
P=$(free_port); SPEC="ais=tcp://127.0.0.1:$P/nmea"
run_case tcp_restart gpsd "$NMEA" python3 "$T/serve.py" "$P" "$NMEA" 3 1.5 997 "$T/tcp_restart.done"
grep -q "feed ais: .* 3 connects, 3 disconnects" "$T/tcp_restart.err" \
    && echo "ok - tcp_restart: 3 connections, 3 disconnects counted" \
    || { echo "not ok - tcp_restart: feed counters"; cat "$T/tcp_restart.err"; }
grep -q "failed attempts; last error\|[1-9][0-9]* failed attempts" "$T/tcp_restart.err" \
    && echo "ok - tcp_restart: refused attempts before the server came up were retried" \
    || { echo "not ok - tcp_restart: no failed attempt counted"; cat "$T/tcp_restart.err"; }

# 2. Beast over TCP in 333-byte writes (frames split across reads).
P=$(free_port); SPEC="tcp://127.0.0.1:$P"
run_case tcp_beast jsonl "$BEAST" python3 "$T/serve.py" "$P" "$BEAST" 1 0.3 333 "$T/tcp_beast.done"

# 3. NMEA over UDP: orbat listens, the fixture sends datagrams.
P=$(free_port); SPEC="udp://127.0.0.1:$P"
# Send only once orbat's socket is bound (it shows in /proc/net/udp), so a
# slow start under the sanitizers cannot lose datagrams.
HEXP=$(printf '%04X' "$P")
run_case udp_nmea gpsd "$NMEA" sh -c "i=0; while ! grep -q ':$HEXP ' /proc/net/udp && [ \$i -lt 100 ]; do sleep 0.1; i=\$((i+1)); done; python3 '$T/udp.py' $P '$NMEA' '$T/udp_nmea.done'"

# 4. Bad feed specs are usage errors with a clear message.
"$ORBAT" decode tcp://127.0.0.1 >/dev/null 2>"$T/bad.err"
[ $? -eq 2 ] && grep -q "missing :PORT" "$T/bad.err" \
    && echo "ok - bad spec rejected: $(cat "$T/bad.err")" \
    || echo "not ok - bad spec not rejected clearly"
"$ORBAT" decode tcp://127.0.0.1:30005/xml >/dev/null 2>"$T/bad.err"
[ $? -eq 2 ] && grep -q "unknown framing" "$T/bad.err" \
    && echo "ok - unknown framing rejected" || echo "not ok - unknown framing not rejected"
exit 0
