#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# pg_backend.sh - the PostgreSQL/PostGIS store backend against a real server
# started here (initdb into a temp dir, pg_ctl on a Unix socket in it, as the
# non-root `postgres` user when run as root). The same checks run on both
# backends and must give byte-identical output: a real AIS capture and an
# SBS capture, and a simulated scenario with manual sightings -> report,
# diff, timeline, events, evidence, GeoJSON/KML/CSV exports. Then two
# concurrent `orbat ingest` writers into one database (no duplicated assets
# or events, same result as one sequential ingest), `orbat db copy` of an
# orbat.db into PostgreSQL (same outputs, same ids), migrations, and the
# PostGIS views for QGIS. Skips only when the server binaries are absent
# and CI is not set.
set -u
cd "${ROOT:-.}" || exit 1
O=${ORBAT:-build/orbat}
SHARED=${SHARED:-../shared}
AIS=$SHARED/testdata/ais/amsa-risky/ais.txt.gz
SBS=$SHARED/testdata/adsb/captures/ulss7_via_dump1090-mutability/ulss7.sbs

. tests/integration/pg_server.inc
pg_require
for f in "$AIS" "$SBS"; do
    if [ ! -r "$f" ]; then
        echo "not ok - test data $f missing"
        exit 1
    fi
done

pg_start 0

check() { # description, then a command whose status decides
    d=$1
    shift
    if "$@" >"$TMP/check.out" 2>&1; then
        echo "ok - $d"
    else
        echo "not ok - $d"
        head -n 20 "$TMP/check.out" >&2
    fi
}

# Every read-side output of a database, into directory $2.
outputs() { # DB DIR AS_OF FROM TO
    mkdir -p "$2"
    "$O" report --db "$1" --as-of "$3" --format json >"$2/report.json" 2>&1
    "$O" report --db "$1" --as-of "$3" --all >"$2/report-all.txt" 2>&1
    "$O" report --db "$1" --as-of "$3" --window 2d --format markdown >"$2/report.md" 2>&1
    "$O" diff --db "$1" --from "$4" --to "$5" >"$2/diff.txt" 2>&1
    "$O" timeline --db "$1" --from "$4" --to "$5" --svg "$2/timeline.svg" >"$2/timeline.txt" 2>&1
    "$O" events --db "$1" >"$2/events.txt" 2>&1
    "$O" export --db "$1" --format geojson -o "$2/export.geojson" 2>&1
    "$O" export --db "$1" --format kml -o "$2/export.kml" 2>&1
    "$O" export --db "$1" --format csv -o "$2/export.csv" 2>&1
}
same_outputs() { # DIR1 DIR2
    for f in "$1"/*; do
        b=$(basename "$f")
        if ! cmp -s "$f" "$2/$b"; then
            echo "differs: $b"
            diff "$f" "$2/$b" | head -n 6
            return 1
        fi
    done
    [ "$(ls "$1" | wc -l)" -ge 10 ] || { echo "too few outputs"; return 1; }
}
# Outputs that are not empty: the comparison is not of two failures.
nonempty() { # DIR
    grep -q '"category":"warship"' "$1/report.json" && [ "$(wc -l <"$1/export.csv")" -gt 5 ] &&
        [ "$(wc -l <"$1/events.txt")" -gt 5 ]
}

# The presence summary of a PostgreSQL database equals the SQLite one's
# (every row: theatre, day, asset key, first time, count; not the last time,
# which a replaced observation can leave a few seconds apart between the
# backends, as it did before), and its '*' rows equal a recount of the
# stored observations. The writers update the rows
# their connection knows exist with a plain UPDATE, others with the upsert.
pres_rows_pg() { # DB-NAME
    psq "$1" "SELECT p.theatre || ',' || p.day || ',' || a.key || ',' || p.first_ms || ',' || p.n_obs FROM orbat.presence p JOIN orbat.assets a ON a.id = p.asset_id ORDER BY p.theatre, p.day, a.key"
}
pres_same() { # DB-NAME SQLITE-FILE
    pres_rows_pg "$1" >"$TMP/pres.pg" &&
        sqlite3 "$2" "SELECT p.theatre || ',' || p.day || ',' || a.key || ',' || p.first_ms || ',' || p.n_obs FROM presence p JOIN assets a ON a.id = p.asset_id ORDER BY p.theatre, p.day, a.key" >"$TMP/pres.sq" &&
        [ -s "$TMP/pres.sq" ] && cmp "$TMP/pres.pg" "$TMP/pres.sq" && pres_recount "$1"
}
pres_recount() { # DB-NAME
    [ "$(psq "$1" "SELECT count(*) FROM (SELECT asset_id, t_ms / 86400000 AS d, count(*) AS n, min(t_ms) AS f FROM orbat.observations GROUP BY 1, 2) x FULL JOIN (SELECT * FROM orbat.presence WHERE theatre = '*') p ON p.day = x.d AND p.asset_id = x.asset_id WHERE p.n_obs IS DISTINCT FROM x.n OR p.first_ms IS DISTINCT FROM x.f")" = 0 ]
}

# --- 1. real captures on both backends -------------------------------------
newdb real
PG=$(url real)
SQ=$TMP/real.db
check "db migrate creates the PostgreSQL schema" "$O" db migrate --db "$PG"
check "db migrate again is a no-op" "$O" db migrate --db "$PG"
check "still eight migration rows" test "$(psq real 'SELECT count(*) FROM orbat.schema_version')" = 8
check "ingest AIS + SBS captures into SQLite" "$O" ingest -q --db "$SQ" "$AIS" "$SBS"
check "ingest AIS + SBS captures into PostgreSQL" "$O" ingest -q --db "$PG" "$AIS" "$SBS"
outputs "$SQ" "$TMP/o-real-sq" 2012-01-28 2012-01-20 2012-01-28
outputs "$PG" "$TMP/o-real-pg" 2012-01-28 2012-01-20 2012-01-28
"$O" evidence --db "$SQ" --format csv 503202000 >"$TMP/o-real-sq/evidence.csv" 2>&1
"$O" evidence --db "$PG" --format csv 503202000 >"$TMP/o-real-pg/evidence.csv" 2>&1
"$O" evidence --db "$SQ" "WARSHIP BATHURST" >"$TMP/o-real-sq/evidence.txt" 2>&1
"$O" evidence --db "$PG" "WARSHIP BATHURST" >"$TMP/o-real-pg/evidence.txt" 2>&1
check "real capture outputs are not empty" nonempty "$TMP/o-real-pg"
check "real captures: report/diff/timeline/events/evidence/exports equal on both backends" \
    same_outputs "$TMP/o-real-sq" "$TMP/o-real-pg"
check "same observation count" test "$(psq real 'SELECT count(*) FROM orbat.observations')" = \
    "$(sqlite3 "$SQ" 'SELECT count(*) FROM observations' 2>/dev/null || psq real 'SELECT -1')"
check "every observation has its raw message" test \
    "$(psq real 'SELECT count(*) FROM orbat.observations o JOIN orbat.raw r ON r.id = o.raw_id')" = \
    "$(psq real 'SELECT count(*) FROM orbat.observations')"
check "presence equals a recount of the observations" test \
    "$(psq real "SELECT count(*) FROM (SELECT asset_id, t_ms / 86400000 AS d, count(*) AS n FROM orbat.observations GROUP BY 1, 2) x JOIN orbat.presence p ON p.theatre = '*' AND p.day = x.d AND p.asset_id = x.asset_id AND p.n_obs = x.n")" = \
    "$(psq real "SELECT count(*) FROM orbat.presence WHERE theatre = '*'")"
check "presence: every row equals SQLite's" pres_same real "$SQ"
# External events (Global Fishing Watch) on both backends: the same import
# gives the same --external and --compare output, links to the same asset,
# and importing again adds nothing (`orbat import`).
GFW=$TMP/gfw.json
cat >"$GFW" <<'JSON'
{"entries":[
{"id":"pg-gap","type":"gap","start":"2012-01-20T00:00:00Z","end":"2012-01-21T00:00:00Z","position":{"lat":-12.5,"lon":130.8},"vessel":{"ssvid":"503202000","name":"BATHURST","flag":"AUS"},"gap":{"durationHours":24,"distanceKm":"40.5"}},
{"id":"pg-pv","type":"port_visit","start":"2012-01-27T00:00:00Z","end":"2012-01-28T00:00:00Z","vessel":{"ssvid":"503202000"},"port_visit":{"startAnchorage":{"name":"DARWIN","id":"aus-darwin"}}},
{"id":"pg-enc","type":"encounter","start":"2012-01-25T00:00:00Z","end":"2012-01-25T03:00:00Z","position":{"lat":-12,"lon":131},"vessel":{"ssvid":"211000009","name":"NOT SEEN"},"encounter":{"vessel":{"ssvid":"503202000"}}}
],"total":3,"limit":99,"offset":0,"nextOffset":null}
JSON
gfw_import() { "$O" import -q --db "$@"; }
check "GFW import into SQLite" gfw_import "$SQ" "$GFW"
check "GFW import into PostgreSQL" gfw_import "$PG" "$GFW"
check "GFW import again into PostgreSQL" gfw_import "$PG" "$GFW"
check "ext_events: 3 rows, provider gfw, licence CC BY-NC 4.0" test \
    "$(psq real "SELECT count(*) || ' ' || min(provider) || ' ' || max(licence) FROM orbat.ext_events")" = "3 gfw CC BY-NC 4.0"
check "view public.ext_events: two points, the gap linked to its asset" test \
    "$(psq real "SELECT count(*) || ' ' || count(asset_id) FROM public.ext_events")" = "2 1"
for f in table json csv; do
    "$O" events --db "$SQ" --external --format $f >"$TMP/ext-sq.$f" 2>&1
    "$O" events --db "$PG" --external --format $f >"$TMP/ext-pg.$f" 2>&1
    check "events --external ($f) equal on both backends" cmp "$TMP/ext-sq.$f" "$TMP/ext-pg.$f"
done
check "events --external lists the 3 GFW events" test "$(grep -c 'GFW (CC BY-NC 4.0)' "$TMP/ext-pg.table")" = 3
"$O" events --db "$SQ" --compare --format json >"$TMP/cmp-sq.json" 2>&1
"$O" events --db "$PG" --compare --format json >"$TMP/cmp-pg.json" 2>&1
check "events --compare equal on both backends" cmp "$TMP/cmp-sq.json" "$TMP/cmp-pg.json"

# Public archives (readsb traces in a tar, a MarineCadastre CSV) into both
# backends: the same observations, events and licence lines.
newdb arch
PGA=$(url arch)
if python3 "$ROOT/tests/integration/mkarchive.py" "$TMP/arch" >/dev/null; then
    "$O" import -q --db "$TMP/arch.db" "$TMP/arch/day.tar" "$TMP/arch/ais-2025-10-15.csv" 2>/dev/null
    "$O" import -q --db "$PGA" "$TMP/arch/day.tar" "$TMP/arch/ais-2025-10-15.csv" 2>/dev/null
    check "import into PostgreSQL: the archives' observations as in SQLite" test \
        "$(psq arch "SELECT count(*) || ' ' || sum(t_ms) FROM orbat.observations")" = \
        "$(sqlite3 "$TMP/arch.db" "SELECT count(*) || ' ' || sum(t_ms) FROM observations")"
    check "import into PostgreSQL: the same events" test \
        "$(psq arch "SELECT count(*) || ' ' || sum(t_ms) FROM orbat.events")" = \
        "$(sqlite3 "$TMP/arch.db" "SELECT count(*) || ' ' || sum(t_ms) FROM events")"
    check "import into PostgreSQL: licence lines stored" test \
        "$(psq arch "SELECT count(*) FROM orbat.sources WHERE licence LIKE '%MarineCadastre%' OR licence LIKE 'readsb traces%'")" = 2
    "$O" import --db "$PGA" "$TMP/arch/day.tar" >"$TMP/arch.again" 2>&1
    check "import into PostgreSQL again: a no-op" grep -q 'already imported' "$TMP/arch.again"
else
    echo "not ok - mkarchive.py failed"
fi
check "events --compare: the linked vessel's two GFW events" test "$(grep -c '"mmsi":"503202000"' "$TMP/cmp-pg.json")" -ge 2
P1=$(psq real 'SELECT count(*) || '"' '"' || count(DISTINCT raw_id) FROM orbat.observations')
check "ingest again (--force) is idempotent" "$O" ingest -q --force --db "$PG" "$AIS"
check "same observations after re-ingest" test "$(psq real 'SELECT count(*) || '"' '"' || count(DISTINCT raw_id) FROM orbat.observations')" = "$P1"
outputs "$PG" "$TMP/o-real-pg2" 2012-01-28 2012-01-20 2012-01-28
cp "$TMP/o-real-pg/evidence.csv" "$TMP/o-real-pg/evidence.txt" "$TMP/o-real-pg2/" 2>/dev/null
check "same outputs after re-ingest" same_outputs "$TMP/o-real-pg" "$TMP/o-real-pg2"
# The direct COPY path (no stored observation in the batch's minutes) meets
# raw messages stored before: observations and the summary are deleted, raw
# rows kept. The unique violation rolls back to the savepoint and the batch
# is merged instead, reusing the stored raw rows.
psq real "DELETE FROM orbat.observations; DELETE FROM orbat.presence;
    UPDATE orbat.row_counts SET n = 0 WHERE tbl = 'observations'"
R1=$(psq real 'SELECT count(*) FROM orbat.raw')
check "ingest after deleting the observations (direct COPY falls back to the merge)" \
    "$O" ingest -q --force --db "$PG" "$AIS" "$SBS"
outputs "$PG" "$TMP/o-real-pg3" 2012-01-28 2012-01-20 2012-01-28
"$O" evidence --db "$PG" --format csv 503202000 >"$TMP/o-real-pg3/evidence.csv" 2>&1
"$O" evidence --db "$PG" "WARSHIP BATHURST" >"$TMP/o-real-pg3/evidence.txt" 2>&1
check "the direct COPY met the stored raw rows (unique violation in the server log)" \
    grep -q 'duplicate key value violates unique constraint "raw_' "$PGDIR/server.log"
check "after the fallback: same outputs as SQLite" same_outputs "$TMP/o-real-sq" "$TMP/o-real-pg3"
check "after the fallback: no raw message stored twice" test \
    "$(psq real 'SELECT count(*) FROM orbat.raw')" = "$R1"
check "after the fallback: the integrity check passes" "$O" db migrate --db "$PG"

# PostGIS: geography columns, GiST indexes, the QGIS views.
check "events, sightings, external events carry geography(Point) with a GiST index" test \
    "$(psq real "SELECT count(*) FROM pg_indexes WHERE schemaname = 'orbat' AND indexdef ILIKE '%USING gist (geog)%'")" -ge 3
check "observations: partitioned by range, one partition per UTC day written" test \
    "$(psq real "SELECT c.relkind::text || ' ' || (SELECT count(*) FROM pg_inherits WHERE inhparent = c.oid) FROM pg_class c WHERE c.oid = 'orbat.observations'::regclass")" = \
    "p $(psq real 'SELECT count(DISTINCT t_ms / 86400000) FROM orbat.observations')"
check "observations: days table names each partition with its bounds" test \
    "$(psq real "SELECT count(*) FROM orbat.days d JOIN pg_class c ON c.relname = d.part JOIN pg_inherits i ON i.inhrelid = c.oid WHERE pg_get_expr(c.relpartbound, c.oid) = format('FOR VALUES FROM (''%s'') TO (''%s'')', d.day * 1440, d.day * 1440 + 1440)")" = \
    "$(psq real 'SELECT count(*) FROM orbat.days')"
check "open days: primary key + BRIN(t_ms), no spatial index" test \
    "$(psq real "SELECT string_agg(DISTINCT regexp_replace(indexdef, '.* USING ([a-z]+) .*', '\\1'), ',') FROM pg_indexes WHERE schemaname = 'orbat' AND tablename LIKE 'observations_%'")" = "brin,btree"
check "no duplicated (asset, minute) key" test \
    "$(psq real 'SELECT count(*) FROM (SELECT 1 FROM orbat.observations GROUP BY asset_id, bucket HAVING count(*) > 1) x')" = 0
check "view tracks (open days, computed): LineStringM" test \
    "$(psq real "SELECT min(GeometryType(geom)) || ' ' || max(GeometryType(geom)) || ' ' || bool_or(closed) FROM public.tracks")" = "LINESTRINGM LINESTRINGM false"
check "view assets_latest: one row per asset with observations" test \
    "$(psq real 'SELECT count(*) FROM public.assets_latest')" = \
    "$(psq real 'SELECT count(DISTINCT asset_id) FROM orbat.observations')"
check "view events: points with their asset" test \
    "$(psq real 'SELECT count(*) FROM public.events WHERE key IS NOT NULL AND geog IS NOT NULL')" -gt 0
check "spatial query: assets within 50 km of Darwin" test \
    "$(psq real "SELECT count(*) FROM public.assets_latest WHERE ST_DWithin(geog, ST_MakePoint(130.84, -12.46)::geography, 50000)")" -gt 0
check "store integrity check (orbat db migrate on a used database)" "$O" db migrate --db "$PG"
check "maintained row counts equal the tables" test \
    "$(psq real "SELECT string_agg(n::text, ' ' ORDER BY tbl) FROM orbat.row_counts")" = \
    "$(psq real "SELECT (SELECT count(*) FROM orbat.observations) || ' ' || (SELECT count(*) FROM orbat.raw)")"
psq real "UPDATE orbat.row_counts SET n = n + 1 WHERE tbl = 'raw'"
check "integrity check catches a count drift" sh -c "! '$O' db migrate --db '$PG' >/dev/null 2>&1"
psq real "UPDATE orbat.row_counts SET n = n - 1 WHERE tbl = 'raw'"

# --- 1b. migration from schema 7 (one observations table, geography + GiST)
# A version-7 database (ORBAT_PG_SCHEMA_MAX=7) filled with the rows of
# `real`, then opened by this orbat: the rows move into day partitions.
newdb old
PGO=$(url old)
pgpipe() { # SQL_OUT (on real) SQL_IN (on old)
    "$PGBIN/psql" -h "$PGDIR" -p "$PORT" -U postgres -d real -XAtq -v ON_ERROR_STOP=1 -c "$1" |
        "$PGBIN/psql" -h "$PGDIR" -p "$PORT" -U postgres -d old -XAtq -v ON_ERROR_STOP=1 -c "$2"
}
fill_v7() {
    for t in sources raw assets events presence sightings ext_events claims; do
        pgpipe "COPY orbat.$t TO STDOUT" "COPY orbat.$t FROM STDIN" || return 1
    done
    pgpipe "COPY (SELECT asset_id, bucket, t_ms, lat, lon, sog, cog, alt_ft, theatre, raw_id,
        source_id, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography FROM orbat.observations) TO STDOUT" \
        "COPY orbat.observations(asset_id, bucket, t_ms, lat, lon, sog, cog, alt_ft, theatre, raw_id,
        source_id, geog) FROM STDIN" || return 1
    psq old "UPDATE orbat.row_counts SET n = (SELECT count(*) FROM orbat.raw) WHERE tbl = 'raw';
        UPDATE orbat.row_counts SET n = (SELECT count(*) FROM orbat.observations) WHERE tbl = 'observations'" >/dev/null
    for t in sources raw assets events sightings ext_events claims; do
        psq old "SELECT setval(pg_get_serial_sequence('orbat.$t', 'id'), coalesce((SELECT max(id) FROM orbat.$t), 0) + 1, false)" >/dev/null
    done
}
ORBAT_PG_SCHEMA_MAX=7 "$O" db migrate --db "$PGO" >/dev/null 2>&1
check "a version-7 database is made (ORBAT_PG_SCHEMA_MAX=7)" test \
    "$(psq old 'SELECT max(version) FROM orbat.schema_version')" = 7
check "version 7: one observations table with geography and GiST" test \
    "$(psq old "SELECT relkind::text || ' ' || (SELECT count(*) FROM pg_indexes WHERE tablename = 'observations' AND indexdef LIKE '%gist (geog)%') FROM pg_class WHERE oid = 'orbat.observations'::regclass")" = "r 1"
check "version 7 filled with the rows of the real captures" fill_v7
N7=$(psq old 'SELECT count(*) || '"' '"' || sum(t_ms) || '"' '"' || sum(raw_id) FROM orbat.observations')
check "db migrate takes version 7 to 8 in place" "$O" db migrate --db "$PGO"
check "migrated: eight migration rows" test "$(psq old 'SELECT max(version) FROM orbat.schema_version')" = 8
check "migrated: the same observations" test \
    "$(psq old 'SELECT count(*) || '"' '"' || sum(t_ms) || '"' '"' || sum(raw_id) FROM orbat.observations')" = "$N7"
check "migrated: partitioned, one partition per day" test \
    "$(psq old "SELECT (SELECT count(*) FROM pg_inherits WHERE inhparent = 'orbat.observations'::regclass) || ' ' || (SELECT count(*) FROM orbat.days WHERE closed_ms = 0)")" = \
    "$(psq old "SELECT count(DISTINCT bucket / 1440) || ' ' || count(DISTINCT bucket / 1440) FROM orbat.observations")"
check "migrated: the old table and its geography index are gone" test \
    "$(psq old "SELECT count(*) FROM pg_class WHERE relname IN ('observations_v7', 'observations_geog', 'observations_time')")" = 0
outputs "$PGO" "$TMP/o-old-pg" 2012-01-28 2012-01-20 2012-01-28
"$O" evidence --db "$PGO" --format csv 503202000 >"$TMP/o-old-pg/evidence.csv" 2>&1
"$O" evidence --db "$PGO" "WARSHIP BATHURST" >"$TMP/o-old-pg/evidence.txt" 2>&1
check "migrated database: outputs equal SQLite's" same_outputs "$TMP/o-real-sq" "$TMP/o-old-pg"
check "migrated database takes writes (re-ingest: nothing new)" "$O" ingest -q --force --db "$PGO" "$AIS"
check "migrated database: still the same observations" test \
    "$(psq old 'SELECT count(*) || '"' '"' || sum(t_ms) || '"' '"' || sum(raw_id) FROM orbat.observations')" = "$N7"

# --- 1c. closing days: sorted GiST index on the partition, LineStringM tracks
close_all() { # DB-URL
    "$O" db days --db "$1" | while read -r d _; do
        "$O" db close-day --db "$1" "$d" || exit 1
    done
}
# Area queries (orbat db area): the same (asset, time) list as a scan of
# every observation, for open days (partition scans) and, below, for closed
# ones (through the tracks).
area_same() { # S W N E
    "$O" db area --db "$PG" --bbox "$1,$2,$3,$4" 2000-01-01 2030-01-01 | tail -n +2 | cut -d, -f1,2 >"$TMP/area.a" &&
        psq real "SELECT asset_id || ',' || t_ms FROM orbat.observations WHERE lat BETWEEN $1 AND $3 AND lon BETWEEN $2 AND $4 ORDER BY asset_id, t_ms" >"$TMP/area.b" &&
        [ -s "$TMP/area.b" ] && cmp "$TMP/area.a" "$TMP/area.b"
}
check "db area (open days): Darwin box equals a scan" area_same -13 130 -12 131
check "db area (open days): Baltic box (the SBS capture) equals a scan" area_same 59 30 61 38
ND=$(psq real 'SELECT count(*) FROM orbat.days')
check "db days lists $ND open days" test "$("$O" db days --db "$PG" | grep -c ' open$')" = "$ND"
check "db close-day for every day" close_all "$PG"
check "db days: all closed, with their counts" test \
    "$("$O" db days --db "$PG" | grep -c ' closed ')" = "$ND"
check "closed days: no GiST index on the points (the tracks are the spatial index)" test \
    "$(psq real "SELECT count(*) FROM pg_indexes WHERE schemaname = 'orbat' AND tablename LIKE 'observations_%' AND indexdef LIKE '%USING gist%'")" = 0
check "tracks: GiST index on the lines" test \
    "$(psq real "SELECT count(*) FROM pg_indexes WHERE schemaname = 'orbat' AND tablename = 'tracks' AND indexdef LIKE '%USING gist (geom)%'")" = 1
check "tracks: the lines equal ST_MakeLine of ST_MakePointM(lon, lat, t_ms / 1000.0), byte for byte" test \
    "$(psq real "SELECT count(*) FROM orbat.tracks t JOIN (SELECT asset_id, bucket / 1440 AS day, ST_SetSRID(ST_MakeLine(ST_MakePointM(lon, lat, t_ms / 1000.0) ORDER BY bucket), 4326) AS g FROM orbat.observations GROUP BY 1, 2) x USING (asset_id, day) WHERE ST_AsEWKB(CASE WHEN ST_NPoints(x.g) = 1 THEN ST_AddPoint(x.g, ST_StartPoint(x.g)) ELSE x.g END) = ST_AsEWKB(t.geom) AND t.geom::bytea = (CASE WHEN ST_NPoints(x.g) = 1 THEN ST_AddPoint(x.g, ST_StartPoint(x.g)) ELSE x.g END)::geometry(LineStringM, 4326)::bytea")" = \
    "$(psq real 'SELECT count(*) FROM orbat.tracks')"
check "tracks: one row per asset and day" test \
    "$(psq real 'SELECT count(*) FROM orbat.tracks')" = \
    "$(psq real 'SELECT count(*) FROM (SELECT DISTINCT asset_id, t_ms / 86400000 FROM orbat.observations) x')"
check "tracks: point counts equal the observations per asset and day" test \
    "$(psq real 'SELECT count(*) FROM orbat.tracks t JOIN (SELECT asset_id, bucket / 1440 AS day, count(*) AS n, min(t_ms) AS f, max(t_ms) AS l FROM orbat.observations GROUP BY 1, 2) o USING (asset_id, day) WHERE o.n = t.n AND o.f = t.first_ms AND o.l = t.last_ms AND ST_NPoints(t.geom) = greatest(t.n, 2)')" = \
    "$(psq real 'SELECT count(*) FROM orbat.tracks')"
check "tracks: every vertex is an observation, M = its time in epoch seconds" test \
    "$(psq real 'SELECT count(*) FROM orbat.tracks t, ST_DumpPoints(t.geom) p JOIN orbat.observations o ON o.lon = ST_X(p.geom) AND o.lat = ST_Y(p.geom) AND o.t_ms = round(ST_M(p.geom) * 1000) WHERE o.asset_id = t.asset_id AND t.n > 1')" = \
    "$(psq real 'SELECT sum(n) FROM orbat.tracks WHERE n > 1')"
check "tracks: M increases along each line" test \
    "$(psq real 'SELECT count(*) FROM (SELECT ST_M(p.geom) - lag(ST_M(p.geom)) OVER (PARTITION BY t.asset_id, t.day ORDER BY p.path[1]) AS dm FROM orbat.tracks t, ST_DumpPoints(t.geom) p WHERE t.n > 1) x WHERE dm <= 0')" = 0
check "days: n_obs of the closed days sum to the observations" test \
    "$(psq real 'SELECT sum(n_obs) FROM orbat.days WHERE closed_ms <> 0')" = "$(psq real 'SELECT count(*) FROM orbat.observations')"
check "view tracks: the stored LineStringM rows" test \
    "$(psq real "SELECT count(*) || ' ' || bool_and(closed) || ' ' || min(GeometryType(geom)) FROM public.tracks")" = \
    "$(psq real 'SELECT count(*) FROM orbat.tracks') true LINESTRINGM"
check "db area (closed days): Darwin box equals a scan" area_same -13 130 -12 131
check "db area (closed days): Baltic box (the SBS capture) equals a scan" area_same 59 30 61 38
check "db area (closed days): a box with nothing in it" test \
    "$("$O" db area --db "$PG" --bbox 0,0,1,1 2000-01-01 2030-01-01 | wc -l)" = 1
check "db close-day of a closed day: a no-op" "$O" db close-day --db "$PG" 2012-01-27
check "db close-day of a day without data: exit 1" sh -c "! '$O' db close-day --db '$PG' 2001-01-01 2>/dev/null"
outputs "$PG" "$TMP/o-real-closed" 2012-01-28 2012-01-20 2012-01-28
"$O" evidence --db "$PG" --format csv 503202000 >"$TMP/o-real-closed/evidence.csv" 2>&1
"$O" evidence --db "$PG" "WARSHIP BATHURST" >"$TMP/o-real-closed/evidence.txt" 2>&1
check "closed days: outputs equal SQLite's" same_outputs "$TMP/o-real-sq" "$TMP/o-real-closed"
check "closed days: integrity check" "$O" db migrate --db "$PG"
psq real "BEGIN; DELETE FROM orbat.tracks WHERE (day, asset_id) IN (SELECT day, asset_id FROM orbat.tracks WHERE day = 15366 LIMIT 1);
    SELECT 1; COMMIT" >/dev/null
check "integrity check catches a closed day whose tracks miss an asset" sh -c "! '$O' db migrate --db '$PG' >/dev/null 2>&1"
check "close-day rebuilds a day whose tracks were lost (open it, close it)" sh -c \
    "'$O' ingest -q --force --db '$PG' '$AIS' && '$O' db close-days --points-index --db '$PG' >/dev/null && '$O' db migrate --db '$PG' >/dev/null"
check "close-days --points-index: a sorted GiST index on the points of the day it closed" test \
    "$(psq real "SELECT count(*) FROM orbat.days d JOIN pg_indexes i ON i.schemaname = 'orbat' AND i.tablename = d.part AND i.indexdef LIKE '%USING gist (st_setsrid(st_makepoint(lon, lat), 4326))%' WHERE d.day = 15366")" = 1
# Late data for a closed day opens it again (index and tracks go); closing
# it again rebuilds them. Re-delivery adds no row.
NT=$(psq real 'SELECT count(*) || '"' '"' || sum(n) FROM orbat.tracks')
check "re-ingest into a closed day" "$O" ingest -q --force --db "$PG" "$AIS"
check "the day written to is open again, its tracks and index gone" test \
    "$(psq real "SELECT closed_ms || ' ' || (SELECT count(*) FROM orbat.tracks t WHERE t.day = d.day) || ' ' || (SELECT count(*) FROM pg_indexes WHERE tablename = d.part AND indexdef LIKE '%gist%') FROM orbat.days d WHERE day = 15366")" = "0 0 0"
check "re-ingest into a closed day: still the same observations" test \
    "$(psq real 'SELECT count(*) FROM orbat.observations')" = "$(sqlite3 "$SQ" 'SELECT count(*) FROM observations')"
check "re-delivery (re-ingest): presence unchanged, equal to SQLite's" pres_same real "$SQ"
check "db close-days --margin 1h closes it again" "$O" db close-days --db "$PG" --margin 1h
check "the same tracks after closing again" test \
    "$(psq real 'SELECT count(*) || '"' '"' || sum(n) FROM orbat.tracks')" = "$NT"
outputs "$PG" "$TMP/o-real-closed2" 2012-01-28 2012-01-20 2012-01-28
cp "$TMP/o-real-closed/evidence.csv" "$TMP/o-real-closed/evidence.txt" "$TMP/o-real-closed2/"
check "closed again: outputs equal SQLite's" same_outputs "$TMP/o-real-sq" "$TMP/o-real-closed2"

# --- 2. simulated scenario with sightings --------------------------------------
S=$TMP/sim
mkdir -p "$S"
if "$O" simulate scenarios/caribbean-2025.json --from 2025-10-16 --to 2025-10-24 \
    --out-ais "$S/c.ais" --out-sbs "$S/c.sbs" --sightings "$S/s.tsv" >"$S/err" 2>&1; then
    echo "ok - simulated caribbean-2025, 16-24 Oct"
else
    echo "not ok - simulate failed: $(head -3 "$S/err")"
fi
newdb sim
PGS=$(url sim)
SQS=$TMP/sim.db
tab=$(printf '\t')
for db in "$SQS" "$PGS"; do
    "$O" ingest -q --db "$db" "$S/c.ais" "$S/c.sbs" >"$S/ingest.out" 2>&1 ||
        echo "ingest failed: $(tail -2 "$S/ingest.out")"
    tail -n +2 "$S/s.tsv" | while IFS="$tab" read -r name time lat lon src note; do
        "$O" sighting add --db "$db" --name "$name" --time "$time" --lat "$lat" --lon "$lon" \
            --source "$src" --note "$note" >/dev/null 2>&1 || echo "sighting add failed: $name"
    done
done >"$S/fail.txt"
check "simulated scenario ingested and sightings added on both backends" test ! -s "$S/fail.txt"
outputs "$SQS" "$TMP/o-sim-sq" 2025-10-23T12:00Z 2025-10-16 2025-10-24
outputs "$PGS" "$TMP/o-sim-pg" 2025-10-23T12:00Z 2025-10-16 2025-10-24
"$O" sighting list --db "$SQS" >"$TMP/o-sim-sq/sightings.txt" 2>&1
"$O" sighting list --db "$PGS" >"$TMP/o-sim-pg/sightings.txt" 2>&1
check "simulated outputs are not empty" nonempty "$TMP/o-sim-pg"
check "reports say SIMULATED DATA on PostgreSQL too" grep -q SIMULATED "$TMP/o-sim-pg/report-all.txt"
check "simulation: report/diff/timeline/events/sightings/exports equal on both backends" \
    same_outputs "$TMP/o-sim-sq" "$TMP/o-sim-pg"

# Closing days while a writer re-delivers into them: the day's row lock
# orders the two (the writer waits for a close, or reopens the day after
# it). Afterwards every closed day's tracks hold its observations
# (integrity check) and the outputs are unchanged.
close_while_writing() {
    "$O" ingest -q --force --batch-ms 20 --db "$PGS" "$S/c.ais" >"$TMP/cw.out" 2>&1 &
    w=$!
    "$O" db close-days --db "$PGS" --margin 1h >"$TMP/cd.out" 2>&1
    c=$?
    wait $w
    [ "$c$?" = 00 ] || { tail -n 3 "$TMP/cw.out" "$TMP/cd.out"; return 1; }
}
check "close-days while a writer re-delivers into those days" close_while_writing
check "after the race: integrity check (closed days' tracks match)" "$O" db migrate --db "$PGS"
check "after the race: close-days closes what was reopened" "$O" db close-days --db "$PGS" --margin 1h
check "after the race: every day but the newest closed" test \
    "$(psq sim 'SELECT count(*) FILTER (WHERE closed_ms = 0) FROM orbat.days')" -le 1
check "after the race: integrity check" "$O" db migrate --db "$PGS"
outputs "$PGS" "$TMP/o-sim-pg2" 2025-10-23T12:00Z 2025-10-16 2025-10-24
"$O" sighting list --db "$PGS" >"$TMP/o-sim-pg2/sightings.txt" 2>&1
check "after the race: outputs equal SQLite's" same_outputs "$TMP/o-sim-sq" "$TMP/o-sim-pg2"
check "after the race (re-delivery in 20 ms batches): presence equals SQLite's" pres_same sim "$SQS"

# --- 2b. a writer killed mid-ingest: the next run completes it --------------
newdb crash
PGK=$(url crash)
"$O" db migrate --db "$PGK" >/dev/null 2>&1
"$O" ingest -q --batch-ms 20 --db "$PGK" "$S/c.ais" "$S/c.sbs" >/dev/null 2>&1 &
k=$!
i=0
while [ $i -lt 200 ] &&
    [ "$(psq crash "SELECT n FROM orbat.row_counts WHERE tbl = 'observations'")" = 0 ]; do
    sleep 0.05
    i=$((i + 1))
done
killed=no
kill -9 $k 2>/dev/null && killed=yes
wait $k 2>/dev/null
NK=$(psq crash "SELECT n FROM orbat.row_counts WHERE tbl = 'observations'")
check "ingest killed (kill -9) after $NK observations were committed" test "$killed" = yes -a "$NK" -gt 0
check "ingest again after kill -9" "$O" ingest -q --db "$PGK" "$S/c.ais" "$S/c.sbs"
SQK=$TMP/crash-ref.db
"$O" ingest -q --db "$SQK" "$S/c.ais" "$S/c.sbs" >/dev/null 2>&1
outputs "$SQK" "$TMP/o-crash-sq" 2025-10-23T12:00Z 2025-10-16 2025-10-24
outputs "$PGK" "$TMP/o-crash-pg" 2025-10-23T12:00Z 2025-10-16 2025-10-24
check "killed + resumed ingest: outputs equal an uninterrupted SQLite ingest" \
    same_outputs "$TMP/o-crash-sq" "$TMP/o-crash-pg"
check "killed + resumed ingest: integrity check" "$O" db migrate --db "$PGK"
check "killed + resumed ingest: presence equals an uninterrupted SQLite ingest's" pres_same crash "$SQK"
# The presence summary through a writer's plain UPDATE of the rows it knows,
# re-delivery, two writers of the same assets, and a day dropped under a
# writer that knew its rows (tests/unit/test_store_pg_presence.c, its
# checks printed here).
newdb presence
PT=${BUILD:-build}/tests/test_store_pg_presence
if [ -x "$PT" ]; then
    ORBAT_TEST_PG=$(url presence) "$PT" 2>&1 | sed -e 's/^ok - /ok - presence: /' -e 's/^not ok - /not ok - presence: /'
else
    echo "not ok - $PT not built (make tests)"
fi

# --- 3. two concurrent writers into one database ----------------------------
newdb conc
PGC=$(url conc)
# Round 1: different data at once (simulated ships | simulated + real
# aircraft). Round 2: the same real AIS file by both writers at once (a race
# on the same source, assets, observations and events). Each writer's events
# engine sees only its own files, so the reference is the same ingests run
# one after the other into SQLite.
conc() { # files of writer 1 | files of writer 2 (as two strings)
    # shellcheck disable=SC2086
    "$O" ingest -q --batch-ms 50 --db "$PGC" $1 >"$TMP/w1.out" 2>&1 &
    w1=$!
    # shellcheck disable=SC2086
    "$O" ingest -q --batch-ms 50 --db "$PGC" $2 >"$TMP/w2.out" 2>&1 &
    w2=$!
    wait $w1
    r1=$?
    wait $w2
    r2=$?
    [ "$r1$r2" = 00 ] || { tail -n 3 "$TMP/w1.out" "$TMP/w2.out"; return 1; }
}
check "two concurrent ingests of different files" conc "$S/c.ais" "$S/c.sbs $SBS"
check "two concurrent ingests of the same file" conc "$AIS" "$AIS"
SQC=$TMP/conc.db
"$O" ingest -q --db "$SQC" "$S/c.ais" >/dev/null 2>&1
"$O" ingest -q --db "$SQC" "$S/c.sbs" "$SBS" >/dev/null 2>&1
"$O" ingest -q --db "$SQC" "$AIS" >/dev/null 2>&1
check "no duplicated asset keys" test "$(psq conc 'SELECT count(*) - count(DISTINCT key) FROM orbat.assets')" = 0
check "assets: same count as one sequential ingest" test \
    "$(psq conc 'SELECT count(*) FROM orbat.assets')" = "$(sqlite3 "$SQC" 'SELECT count(*) FROM assets')"
check "events: same count as one sequential ingest" test \
    "$(psq conc 'SELECT count(*) FROM orbat.events')" = "$(sqlite3 "$SQC" 'SELECT count(*) FROM events')"
check "observations: same count as one sequential ingest" test \
    "$(psq conc 'SELECT count(*) FROM orbat.observations')" = "$(sqlite3 "$SQC" 'SELECT count(*) FROM observations')"
check "concurrent writers: integrity check (references, row counts)" "$O" db migrate --db "$PGC"
check "concurrent writers: presence equals the sequential ingest's" pres_same conc "$SQC"
check "one source row per file, all complete" test \
    "$(psq conc "SELECT format('%s%s', count(*), sum(complete)) FROM orbat.sources")" = 44
# Asset ids depend on which writer came first: compare without them.
noid() { sed -e 's/"asset_id":[0-9]*,//g' -e 's/^\([a-z_]*\),[0-9]*,/\1,/' "$1"; }
"$O" report --db "$SQC" --as-of 2012-01-28 --format json >"$TMP/c-sq.json" 2>&1
"$O" report --db "$PGC" --as-of 2012-01-28 --format json >"$TMP/c-pg.json" 2>&1
"$O" export --db "$SQC" --format csv -o "$TMP/c-sq.csv" 2>&1
"$O" export --db "$PGC" --format csv -o "$TMP/c-pg.csv" 2>&1
check "concurrent writers: report equals the sequential ingest's" \
    sh -c "[ \"\$(sed 's/\"asset_id\":[0-9]*,//g' '$TMP/c-sq.json')\" = \"\$(sed 's/\"asset_id\":[0-9]*,//g' '$TMP/c-pg.json')\" ]"
noid "$TMP/c-sq.csv" | sort >"$TMP/c-sq.sorted"
noid "$TMP/c-pg.csv" | sort >"$TMP/c-pg.sorted"
check "concurrent writers: CSV export equals the sequential ingest's" diff "$TMP/c-sq.sorted" "$TMP/c-pg.sorted"
# drop-day: the partition, its summary rows and the maintained count go.
DD=$(psq conc "SELECT day || ' ' || part FROM orbat.days ORDER BY day LIMIT 1")
DN=$(psq conc "SELECT count(*) FROM orbat.observations WHERE bucket / 1440 = ${DD%% *}")
DT=$(psq conc 'SELECT count(*) FROM orbat.observations')
DDAY=$(psq conc "SELECT to_char(timestamp '1970-01-01' + ${DD%% *} * interval '1 day', 'YYYY-MM-DD')")
check "db drop-day $DDAY" sh -c "'$O' db drop-day --db '$PGC' $DDAY | grep -q 'dropped $DN observations'"
check "drop-day: partition, days row and summary rows gone" test \
    "$(psq conc "SELECT (SELECT count(*) FROM pg_class WHERE relname = '${DD#* }') + (SELECT count(*) FROM orbat.days WHERE day = ${DD%% *}) + (SELECT count(*) FROM orbat.presence WHERE day = ${DD%% *})")" = 0
check "drop-day: the other days' observations stay" test \
    "$(psq conc 'SELECT count(*) FROM orbat.observations')" = "$((DT - DN))"
check "drop-day: integrity check (maintained counts)" "$O" db migrate --db "$PGC"
check "drop-day of a day without data: exit 1" sh -c "! '$O' db drop-day --db '$PGC' 2001-01-01 2>/dev/null"
check "day commands refuse an SQLite database" sh -c "! '$O' db days --db '$SQC' 2>/dev/null"

# --- 4. orbat db copy ----------------------------------------------------------
newdb copy
check "GFW import into the SQLite original" gfw_import "$SQS" "$GFW"
# The simulation starts on 16 Oct: the B-52 claim of 15 Oct is skipped.
check "claims imported into the SQLite original" "$O" claim import --skip-bad --db "$SQS" data/claims/caribbean-2025.csv
check "4 claims in the SQLite original" test "$(sqlite3 "$SQS" 'SELECT count(*) FROM claims')" = 4
PGY=$(url copy)
check "db copy orbat.db -> PostgreSQL" sh -c "'$O' db copy --from '$SQS' --to '$PGY' >'$TMP/copy.out'"
check "db copy reports the copied claims" grep -q "^copied: 4 claims$" "$TMP/copy.out"
check "copied database: claims kept with their ids" test \
    "$(psq copy "SELECT count(*) || ' ' || sum(id) || ' ' || sum(from_ms + to_ms + published_ms + added_ms) FROM orbat.claims")" = \
    "$(sqlite3 "$SQS" "SELECT count(*) || ' ' || sum(id) || ' ' || sum(from_ms + to_ms + published_ms + added_ms) FROM claims")"
"$O" claim list --db "$SQS" -f json >"$TMP/claims-sqs.json" 2>&1
"$O" claim list --db "$PGY" -f json >"$TMP/claims-copy.json" 2>&1
check "copied database: same claim list (text, source, claimant, spec)" cmp "$TMP/claims-sqs.json" "$TMP/claims-copy.json"
check "copied claim list is not empty" grep -q '"kind":"distance"' "$TMP/claims-copy.json"
"$O" claim check --db "$SQS" --all -f json >"$TMP/check-sqs.json" 2>&1
"$O" claim check --db "$PGY" --all -f json >"$TMP/check-copy.json" 2>&1
check "copied database: same claim verdicts and evidence" cmp "$TMP/check-sqs.json" "$TMP/check-copy.json"
"$O" events --db "$SQS" --external >"$TMP/ext-sqs.txt" 2>&1
"$O" events --db "$PGY" --external >"$TMP/ext-copy.txt" 2>&1
check "copied database: same external events" cmp "$TMP/ext-sqs.txt" "$TMP/ext-copy.txt"
outputs "$PGY" "$TMP/o-copy" 2025-10-23T12:00Z 2025-10-16 2025-10-24
"$O" sighting list --db "$PGY" >"$TMP/o-copy/sightings.txt" 2>&1
check "copied database: same outputs as the SQLite original" same_outputs "$TMP/o-sim-sq" "$TMP/o-copy"
check "copied database: same raw messages and ids" test \
    "$(psq copy 'SELECT count(*) || '"' '"' || sum(id) FROM orbat.raw')" = "$(sqlite3 "$SQS" "SELECT count(*) || ' ' || sum(id) FROM raw")"
check "db copy into a non-empty database is refused" sh -c "! '$O' db copy --from '$SQS' --to '$PGY' 2>/dev/null"
check "a copied database takes new writes" "$O" ingest -q --db "$PGY" "$AIS"
check "new rows got fresh ids" test "$(psq copy 'SELECT count(*) - count(DISTINCT id) FROM orbat.assets')" = 0
check "a copied database takes new claims with fresh ids" "$O" claim add --db "$PGY" --kind incident \
    -F 2025-10-23T18:00Z -T 2025-10-23T19:00Z --area "circle:11.45,-63.10,20 km" --text "after the copy"
check "the new claim follows the copied ids" test \
    "$(psq copy "SELECT id FROM orbat.claims WHERE text = 'after the copy'")" = \
    5
check "copied database passes the integrity check" "$O" db migrate --db "$PGY"
check "db copy needs a postgresql:// target" sh -c "! '$O' db copy --from '$SQS' --to '$TMP/x.db' 2>/dev/null"
check "unreachable server: a clear error, exit 1" sh -c \
    "'$O' report --db 'postgresql://postgres@/nodb?host=$PGDIR&port=$PORT' 2>&1 | grep -q 'cannot open database'"
