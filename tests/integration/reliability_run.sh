#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# reliability_run.sh - issue 17 F9: SIGHUP to `orbat run` with a broken
# registry file keeps the registries it had (docs/server.md), and a fixed
# file is then loaded by the next SIGHUP. No feeds, no server: seconds.
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

good='icao_hex,registration,icao_type,type_description,db_flags,military
AE1460,05-5140,C17,Boeing C-17A Globemaster III,1,1'
printf '%s\n' "$good" >"$TMP/reg.csv"
"$O" run --db "$TMP/r.db" --no-server --registry "$TMP/reg.csv" --spool-dir "$TMP/spool" \
    2>"$TMP/err" &
PID=$!
wait_for() { # pattern, count
    i=0
    while [ $i -lt 100 ]; do
        n=$(grep -c "$1" "$TMP/err" 2>/dev/null)
        [ "${n:-0}" -ge "$2" ] && break
        sleep 0.1
        i=$((i + 1))
    done
}
wait_for "feed(s)" 1
if grep -q "could not be loaded" "$TMP/err"; then
    echo "not ok - the good registry file did not load: $(cat "$TMP/err")"
fi
printf 'garbage header\n"unterminated\n' >"$TMP/reg.csv"
kill -HUP $PID
wait_for "SIGHUP" 1
if grep -q "SIGHUP: registries and theatre NOT reloaded (kept the old ones)" "$TMP/err"; then
    echo "ok - SIGHUP with a broken registry file keeps the old registries"
else
    echo "not ok - SIGHUP with a broken registry file: $(grep SIGHUP "$TMP/err")"
fi
printf '%s\n' "$good" >"$TMP/reg.csv"
kill -HUP $PID
wait_for "SIGHUP" 2
if [ "$(grep SIGHUP "$TMP/err" | tail -n 1)" = "orbat run: SIGHUP: registries and theatre reloaded" ]; then
    echo "ok - SIGHUP after the file is fixed reloads"
else
    echo "not ok - SIGHUP after the fix: $(grep SIGHUP "$TMP/err" | tail -n 1)"
fi
kill $PID
wait $PID
rc=$?
PID=
if [ $rc -eq 0 ]; then
    echo "ok - orbat run exits 0 on SIGTERM"
else
    echo "not ok - orbat run exited $rc on SIGTERM"
fi
