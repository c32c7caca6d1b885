#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# config_cli.sh - `orbat run`'s configuration from the outside: a file with
# an unknown key, a bad value or a syntax error is refused with file:line
# and a non-zero exit before anything starts; `--set SECTION[.NAME].KEY=VALUE`
# is checked by the same schema; settings given with --set reach their
# users (an alert rule built only from --set runs, an incomplete one is
# refused by the alert parser); tar1090's options (--replay-speed, --site,
# --tar1090) are checked like their [server] keys; the command line wins over the file; a
# valid file with inline comments runs and stops cleanly on SIGTERM.
set -u
cd "${ROOT:-.}" || exit 1
O=${ORBAT:-build/orbat}
TMP=$(mktemp -d)
PID=
cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT

# expect NAME RC PATTERN ARGS... : orbat run ARGS exits RC with PATTERN on stderr.
expect() {
    name=$1 want=$2 pat=$3
    shift 3
    "$O" run "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
    rc=$?
    if [ "$rc" -eq "$want" ] && grep -qF -- "$pat" "$TMP/err"; then
        echo "ok - $name"
    else
        echo "not ok - $name: rc $rc (want $want), stderr: $(head -c 300 "$TMP/err")"
    fi
}

printf '[database]\npath = %s/x.db\n[server]\nlisten = 127.0.0.1:0\nport = 8080\n' "$TMP" \
    >"$TMP/unknown.conf"
expect "unknown key refused with file:line" 1 "$TMP/unknown.conf:5: unknown key 'port' in [server]" \
    --config "$TMP/unknown.conf"
printf '[spool]\nseconds = 0\n' >"$TMP/range.conf"
expect "out-of-range value refused with file:line" 1 \
    "$TMP/range.conf:2: seconds: 0 is out of range 1..3600" --config "$TMP/range.conf"
printf '[server]\nlisten\n' >"$TMP/syntax.conf"
expect "syntax error refused with file:line" 1 "$TMP/syntax.conf:2: expected 'key = value'" \
    --config "$TMP/syntax.conf"
printf '[feeds]\n' >"$TMP/section.conf"
expect "unknown section refused with file:line" 1 "$TMP/section.conf:1: unknown section [feeds]" \
    --config "$TMP/section.conf"
expect "missing file refused" 1 "$TMP/none.conf: No such file or directory" \
    --config "$TMP/none.conf"
expect "--set unknown key refused" 2 "--set server.port=1: unknown key 'port' in [server]" \
    --set server.port=1
expect "--set bad syntax refused" 2 \
    "--set cache_ms=1: expected SECTION.KEY=VALUE or SECTION.NAME.KEY=VALUE" --set cache_ms=1
expect "--set bad value refused" 2 "--set alert.a.rule=teleport: rule: 'teleport' is not" \
    --set alert.a.rule=teleport
# tar1090's options of orbat run: checked like their [server] keys.
expect "--replay-speed checked like [server] replay_speed" 2 \
    "--replay-speed 0: replay_speed: '0' is not a number in (0, 100000]" --replay-speed 0
expect "--site checked like [server] site" 2 "--site 18.5: site: '18.5' is not LAT,LON" \
    --site 18.5
printf '[server]\nreplay_speed = 20\n' >"$TMP/speed.conf"
expect "replay_speed without replay_start refused" 2 "needs --replay-start TIME" \
    --config "$TMP/speed.conf"
expect "--tar1090 must be a directory" 2 "--tar1090 ([server] tar1090): '$TMP/none' is not a" \
    --db "$TMP/t.db" --replay-start 2025-10-23T15:00Z --tar1090 "$TMP/none"
# An alert built from --set reaches the alert parser: incomplete -> refused there.
expect "--set settings reach the alert rules" 1 "alerts: [alert dark]: rule gap needs 'asset'" \
    --db "$TMP/a.db" --no-server --theatre none --spool-dir "$TMP/spool" --set alert.dark.rule=gap

# A complete run: file with inline comments, --set for what has no option,
# the command line over the file (--listen replaces the file's port).
cat >"$TMP/good.conf" <<EOF2
; a valid configuration
[database]
path = $TMP/good.db        ; --db
[server]
listen = 127.0.0.1:1       ; replaced by --listen below
cache_ms = 250
[theatre]
name = none
[spool]
dir = $TMP/spool           ; --spool-dir
seconds = 1
EOF2
"$O" run --config "$TMP/good.conf" --listen 127.0.0.1:0 --port-file "$TMP/port" \
    --set server.cache_ms=0 --set alert.dark.rule=gap --set alert.dark.asset=X \
    --set alert.dark.gap=6h --set alerts.stdout=off >"$TMP/run.out" 2>"$TMP/run.err" &
PID=$!
i=0
while [ ! -s "$TMP/port" ] && [ $i -lt 100 ] && kill -0 "$PID" 2>/dev/null; do
    sleep 0.1
    i=$((i + 1))
done
if [ -s "$TMP/port" ] && [ "$(cat "$TMP/port")" != 1 ]; then
    echo "ok - valid file + --set runs; --listen overrides the file"
else
    echo "not ok - run did not start: $(head -c 300 "$TMP/run.err")"
fi
[ -f "$TMP/good.db" ] && echo "ok - inline comment cut from [database] path" ||
    echo "not ok - database not at $TMP/good.db (inline comment kept?)"
kill -TERM "$PID" 2>/dev/null
wait "$PID"
rc=$?
PID=
[ "$rc" -eq 0 ] && echo "ok - SIGTERM exits 0" || echo "not ok - SIGTERM exit $rc: $(tail -c 300 "$TMP/run.err")"
