/* SPDX-License-Identifier: BSD-2-Clause
 *
 * store_pg.c - the PostgreSQL 15 + PostGIS 3 backend of the store (store.h):
 * the connection and its session settings, the operations table, the
 * transaction operations (begin, commit, rollback, close) and the helpers
 * every part of the backend uses (running SQL, parameter and result
 * conversion, COPY text building). The backend is split by concern:
 * store_pg_schema.c (migrations, integrity check), store_pg_write.c (ingest
 * writes, COPY loading, the staging merge), store_pg_query.c (the reports'
 * queries), store_pg_days.c (day partitions: close, drop, list) and
 * store_pg_copy.c (`orbat db copy`); what they share is in
 * store_pg_int.h. These are the only files in orbat that include
 * <libpq-fe.h>.
 *
 * Same schema semantics as store_sqlite.c (natural keys, earliest
 * observation per asset and minute, per-day presence), in schema "orbat";
 * observations are partitioned by UTC day (store_pg_days.c: partitions
 * made by the writers, closed days with GiST-indexed LineStringM tracks
 * and optionally a GiST index on their points); events and sightings carry a geography(Point)
 * column with a GiST index, and the views public.assets_latest, public.tracks (one LineStringM per
 * asset and day) and public.events are what QGIS opens. Every write transaction takes one
 * transaction-level advisory lock first (pg_begin), so several orbat processes can write one
 * database: their batches serialise, upserts on natural keys keep assets and events unique, and no
 * two writers can deadlock. See docs/postgresql.md.
 */
#include "store/store_pg_int.h"

#include <ctype.h>
#include <libpq-fe.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ASSET_MERGE                                                                                \
    " name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE t.name END,"                    \
    " callsign = CASE WHEN excluded.callsign <> '' THEN excluded.callsign ELSE t.callsign END,"    \
    " hull = CASE WHEN excluded.hull <> '' THEN excluded.hull ELSE t.hull END,"                    \
    " country = CASE WHEN excluded.country <> '' THEN excluded.country ELSE t.country END,"        \
    " category = CASE WHEN excluded.category <> '' AND excluded.confidence >= t.confidence"        \
    "   THEN excluded.category ELSE t.category END,"                                               \
    " role = CASE WHEN excluded.role <> '' AND excluded.confidence >= t.confidence"                \
    "   THEN excluded.role ELSE t.role END,"                                                       \
    " reasons = CASE WHEN excluded.reasons <> '' AND excluded.confidence >= t.confidence"          \
    "   THEN excluded.reasons ELSE t.reasons END,"                                                 \
    " raw_id = CASE WHEN excluded.raw_id <> 0 THEN excluded.raw_id ELSE t.raw_id END,"             \
    " confidence = greatest(t.confidence, excluded.confidence),"                                   \
    " military = greatest(t.military, excluded.military),"                                         \
    " first_ms = CASE WHEN t.first_ms = 0 OR (excluded.first_ms <> 0 AND"                          \
    "   excluded.first_ms < t.first_ms) THEN excluded.first_ms ELSE t.first_ms END,"               \
    " last_ms = greatest(t.last_ms, excluded.last_ms)"

static const char *const pst_sql[PS_N] = {
    [PS_SOURCE_GET] = "SELECT id, complete FROM sources WHERE sha256 = $1",
    [PS_SOURCE_INS] = "INSERT INTO sources(name, sha256, bytes) VALUES($1, $2, $3)"
                      " ON CONFLICT(sha256) DO NOTHING",
    [PS_SOURCE_FINISH] =
        "UPDATE sources SET bytes = $2, t_first_ms = $3, t_last_ms = $4,"
        " messages = $5, complete = $6, simulated = $7, licence = $8 WHERE id = $1",
    [PS_RAW_INS] = "INSERT INTO raw(source_id, \"offset\", hash, data) VALUES($1, $2, $3, $4)"
                   " ON CONFLICT DO NOTHING RETURNING id",
    [PS_RAW_GET] = "SELECT id FROM raw WHERE source_id = $1 AND \"offset\" = $2 AND hash = $3",
    // The merge rules of store_sqlite.c: a non-empty new value wins;
    // category/role/reasons change only with an identification at least as
    // confident; confidence and military only grow; first/last seen widen.
    [PS_ASSET_UPSERT] =
        "INSERT INTO assets AS t(key, kind, ident, name, callsign, hull, country, category, role,"
        " confidence, military, reasons, first_ms, last_ms, raw_id)"
        " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
        " ON CONFLICT(key) DO UPDATE SET" ASSET_MERGE " RETURNING id",
    // The same merge on an existing row without touching the id sequence
    // (an INSERT that conflicts consumes an id): ids stay dense and equal to
    // the SQLite backend's for the same input.
    [PS_ASSET_UPDATE] =
        "UPDATE assets AS t SET" ASSET_MERGE " FROM (VALUES($1::text, $2::int, $3::bigint,"
        " $4::text, $5::text, $6::text, $7::text, $8::text, $9::text, $10::float8, $11::int,"
        " $12::text, $13::bigint, $14::bigint, $15::bigint)) AS excluded(key, kind, ident, name,"
        " callsign, hull, country, category, role, confidence, military, reasons, first_ms,"
        " last_ms, raw_id) WHERE t.key = excluded.key RETURNING t.id",
    [PS_ASSET_GET] = "SELECT id, kind, ident, name, callsign, hull, country, category, role,"
                     " confidence, military, reasons, first_ms, last_ms, raw_id"
                     " FROM assets WHERE id = $1",
    [PS_EVENT_INS] = "INSERT INTO events(asset_id, t_ms, type, theatre, lat, lon, detail, raw_id)"
                     " VALUES($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id",
    [PS_EVENT_GET] = "SELECT id FROM events WHERE asset_id = $1 AND type = $2 AND t_ms = $3",
    [PS_EXT_GET] = "SELECT id FROM ext_events WHERE provider = $1 AND ext_id = $2",
    [PS_EXT_INS] = "INSERT INTO ext_events(provider, ext_id, source, licence, type, t_start_ms,"
                   " t_end_ms, lat, lon, mmsi, name, flag, other_mmsi, detail, raw)"
                   " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
                   " ON CONFLICT DO NOTHING RETURNING id",
    [PS_EXT_UPD] = "UPDATE ext_events SET source = $3, licence = $4, type = $5, t_start_ms = $6,"
                   " t_end_ms = $7, lat = $8, lon = $9, mmsi = $10, name = $11, flag = $12,"
                   " other_mmsi = $13, detail = $14, raw = $15"
                   " WHERE provider = $1 AND ext_id = $2 RETURNING id",
};

struct store_pg *pg_of(struct store *s)
{
    return (struct store_pg *)s;
}

int pg_fail(struct store_pg *q, const char *what, const PGresult *r)
{
    const char *m = r ? PQresultErrorMessage(r) : "";
    if (!m || !*m)
        m = PQerrorMessage(q->c);
    snprintf(q->err, sizeof q->err, "%s: %s", what, m);
    size_t n = strlen(q->err);
    while (n && (q->err[n - 1] == '\n' || q->err[n - 1] == ' '))
        q->err[--n] = '\0';
    return ORBAT_E_DB;
}

/* Run SQL with text parameters (NULL = SQL NULL); lens/fmts may be NULL
 * (all text). ps >= 0 runs the prepared statement ps. Returns the result
 * when it succeeded (the caller clears it), NULL with q->err set. */
PGresult *pg_run(struct store_pg *q, int ps, const char *sql, int n, const char *const *vals,
                 const int *lens, const int *fmts, const char *what)
{
    PGresult *r;
    if (ps >= 0) {
        char name[16];
        snprintf(name, sizeof name, "orbat%d", ps);
        if (!q->prepared[ps]) {
            r = PQprepare(q->c, name, pst_sql[ps], n, NULL);
            if (PQresultStatus(r) != PGRES_COMMAND_OK) {
                pg_fail(q, what, r);
                PQclear(r);
                return NULL;
            }
            PQclear(r);
            q->prepared[ps] = true;
        }
        r = PQexecPrepared(q->c, name, n, vals, lens, fmts, 0);
    } else {
        r = PQexecParams(q->c, sql, n, NULL, vals, lens, fmts, 0);
    }
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        pg_fail(q, what, r);
        PQclear(r);
        return NULL;
    }
    return r;
}

int pg_cmd(struct store_pg *q, const char *sql, const char *what)
{
    PGresult *r = pg_run(q, -1, sql, 0, NULL, NULL, NULL, what);
    if (!r)
        return ORBAT_E_DB;
    PQclear(r);
    return ORBAT_OK;
}

/* Several statements in one string (simple query protocol). */
int pg_script(struct store_pg *q, const char *sql, const char *what)
{
    PGresult *r = PQexec(q->c, sql);
    ExecStatusType st = PQresultStatus(r);
    int rc = ORBAT_OK;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        rc = pg_fail(q, what, r);
    PQclear(r);
    return rc;
}

const char *pg_p_i64(struct pbuf *b, int i, int64_t v)
{
    snprintf(b->s[i], sizeof b->s[i], "%lld", (long long)v);
    return b->s[i];
}

const char *pg_p_dbl(struct pbuf *b, int i, double v)
{
    if (isnan(v))
        return NULL;
    snprintf(b->s[i], sizeof b->s[i], "%.17g", v);
    return b->s[i];
}

int64_t pg_g_i64(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? 0 : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

double pg_g_dbl(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NAN : strtod(PQgetvalue(r, row, col), NULL);
}

void pg_g_str(const PGresult *r, int row, int col, char *dst, size_t size)
{
    store_strlcpy(dst, PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col), size);
}

void pg_cb_put(struct cbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n > b->cap) {
        size_t ncap = b->cap ? b->cap : 1u << 16;
        while (ncap < b->len + n)
            ncap *= 2;
        char *np = realloc(b->p, ncap);
        if (!np) {
            b->oom = true;
            return;
        }
        b->p = np;
        b->cap = ncap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

void pg_cb_str(struct cbuf *b, const char *s)
{
    pg_cb_put(b, s, strlen(s));
}

/* A text field, escaped for COPY's text format. */
void pg_cb_text(struct cbuf *b, const char *s)
{
    const char *run = s;
    for (; *s; s++) {
        const char *esc = NULL;
        switch (*s) {
        case '\\':
            esc = "\\\\";
            break;
        case '\t':
            esc = "\\t";
            break;
        case '\n':
            esc = "\\n";
            break;
        case '\r':
            esc = "\\r";
            break;
        default:
            continue;
        }
        pg_cb_put(b, run, (size_t)(s - run));
        pg_cb_str(b, esc);
        run = s + 1;
    }
    pg_cb_put(b, run, (size_t)(s - run));
}

void pg_cb_i64(struct cbuf *b, int64_t v)
{
    char t[24];
    int n = snprintf(t, sizeof t, "%lld", (long long)v);
    pg_cb_put(b, t, (size_t)n);
}

void pg_cb_dbl(struct cbuf *b, double v)
{
    if (isnan(v)) {
        pg_cb_str(b, "\\N");
        return;
    }
    char t[32];
    int n = snprintf(t, sizeof t, "%.17g", v);
    pg_cb_put(b, t, (size_t)n);
}

/* bytea in hex form; the backslash doubled for COPY text. */
void pg_cb_bytea(struct cbuf *b, const void *data, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = data;
    pg_cb_str(b, "\\\\x");
    char t[128];
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        t[k++] = hex[p[i] >> 4];
        t[k++] = hex[p[i] & 15];
        if (k == sizeof t) {
            pg_cb_put(b, t, k);
            k = 0;
        }
    }
    pg_cb_put(b, t, k);
}

/* Send buf as the data of one COPY ... FROM STDIN. */
int pg_copy_in(struct store_pg *q, const char *sql, const char *data, size_t len)
{
    PGresult *r = PQexec(q->c, sql);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        int rc = pg_fail(q, "copy", r);
        PQclear(r);
        return rc;
    }
    PQclear(r);
    size_t off = 0;
    while (off < len) {
        size_t n = len - off > (1u << 20) ? (1u << 20) : len - off;
        if (PQputCopyData(q->c, data + off, (int)n) != 1) {
            PQputCopyEnd(q->c, "client error");
            break;
        }
        off += n;
    }
    int rc = ORBAT_OK;
    q->sqlstate[0] = '\0';
    if (off == len && PQputCopyEnd(q->c, NULL) != 1)
        rc = pg_fail(q, "copy end", NULL);
    while ((r = PQgetResult(q->c)) != NULL) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == ORBAT_OK) {
            rc = pg_fail(q, "copy", r);
            const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);
            store_strlcpy(q->sqlstate, st ? st : "", sizeof q->sqlstate);
        }
        PQclear(r);
    }
    if (off != len && rc == ORBAT_OK)
        rc = pg_fail(q, "copy data", NULL);
    return rc;
}

static const char *pg_errmsg(struct store *s)
{
    return pg_of(s)->err;
}

int pg_begin(struct store *s)
{
    struct store_pg *q = pg_of(s);
    q->nrows = 0;
    q->raw_len = 0;
    q->raw_delta = q->obs_delta = 0;
    // One writer transaction at a time per database: batches of concurrent
    // ingests serialise here instead of deadlocking on each other's rows.
    int rc = pg_cmd(q, "BEGIN", "begin");
    if (rc)
        return rc;
    q->in_tx = true;
    if ((rc = pg_cmd(q, "SELECT pg_advisory_xact_lock(" PG_LOCK_WRITE ")", "write lock")) !=
        ORBAT_OK) {
        pg_cmd(q, "ROLLBACK", "rollback");
        q->in_tx = false;
        return rc;
    }
    // The staging tables are empty here: a merge truncates them, and a
    // failed transaction rolls back whatever it copied into them.
    return ORBAT_OK;
}

static int pg_rollback(struct store *s)
{
    struct store_pg *q = pg_of(s);
    q->nrows = 0;
    q->raw_len = 0;
    q->raw_delta = q->obs_delta = 0;
    if (!q->in_tx)
        return ORBAT_OK;
    pg_seen_clear(q);
    char keep[sizeof q->err];
    memcpy(keep, q->err, sizeof keep);
    int rc = pg_cmd(q, "ROLLBACK", "rollback");
    if (rc == ORBAT_OK)
        memcpy(q->err, keep, sizeof keep);
    q->in_tx = false;
    return rc;
}

/* Add the rows this transaction wrote to the maintained counts. */
int pg_counts_apply(struct store_pg *q)
{
    if (!q->raw_delta && !q->obs_delta)
        return ORBAT_OK;
    struct pbuf b;
    const char *v[2] = {pg_p_i64(&b, 0, q->raw_delta), pg_p_i64(&b, 1, q->obs_delta)};
    PGresult *r = pg_run(q, -1,
                         "UPDATE row_counts SET n = n + CASE tbl WHEN 'raw' THEN $1::bigint"
                         " ELSE $2::bigint END",
                         2, v, NULL, NULL, "row counts");
    if (!r)
        return ORBAT_E_DB;
    PQclear(r);
    q->raw_delta = q->obs_delta = 0;
    return ORBAT_OK;
}

int pg_commit(struct store *s)
{
    struct store_pg *q = pg_of(s);
    int rc = pg_stage_flush(q);
    if (!rc)
        rc = pg_counts_apply(q);
    if (rc) {
        char keep[sizeof q->err];
        memcpy(keep, q->err, sizeof keep);
        pg_cmd(q, "ROLLBACK", "rollback");
        memcpy(q->err, keep, sizeof keep);
        q->in_tx = false;
        pg_seen_clear(q);
        return rc;
    }
    rc = pg_cmd(q, "COMMIT", "commit");
    q->in_tx = false;
    if (rc)
        pg_seen_clear(q);
    // A bulk load makes the planner's statistics stale long before
    // autovacuum catches up (and autovacuum never analyzes a partitioned
    // table): refresh those of the partitions written (pg_analyze_written).
    if (!rc)
        rc = pg_analyze_written(q);
    return rc;
}

void pg_asset_key(const struct store_asset *a, char *key, size_t size)
{
    if (a->kind == STORE_SHIP) {
        snprintf(key, size, "ship:%09u", a->ident);
    } else if (a->kind == STORE_AIRCRAFT) {
        snprintf(key, size, "air:%06x", a->ident);
    } else {
        size_t n = (size_t)snprintf(key, size, "sighted:");
        for (const char *p = a->name; *p && n + 1 < size; p++)
            key[n++] = (char)tolower((unsigned char)*p);
        key[n] = '\0';
    }
}

static void pg_close(struct store *s)
{
    struct store_pg *q = pg_of(s);
    if (q->c)
        PQfinish(q->c); // an open transaction is rolled back by the server
    free(q->rows);
    free(q->rawbuf);
    free(q->cbin);
    free(q->seen);
    free(q);
}

const struct store_ops pg_ops = {
    .name = "postgresql",
    .close = pg_close,
    .errmsg = pg_errmsg,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .integrity_check = pg_integrity_check,
    .counts = pg_counts,
    .source_begin = pg_source_begin,
    .source_finish = pg_source_finish,
    .raw_put = pg_raw_put,
    .asset_put = pg_asset_put,
    .obs_put = pg_obs_put,
    .event_put = pg_event_put,
    .sighting_put = pg_sighting_put,
    .sources = pg_sources,
    .asset_get = pg_asset_get,
    .asset_find = pg_asset_find,
    .presence = pg_presence,
    .observations = pg_observations,
    .events = pg_events,
    .sightings = pg_sightings,
    .timeline = pg_timeline,
    .time_range = pg_time_range,
    .raw_get = pg_raw_get,
    .ext_event_put = pg_ext_event_put,
    .ext_events = pg_ext_events,
    .claim_put = pg_claim_put,
    .claims = pg_claims,
};

bool store_pg_url(const char *url)
{
    return url && (!strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11));
}

struct store *store_pg_open(const char *url, char *errmsg, size_t errmsg_size)
{
    struct store_pg *q = calloc(1, sizeof *q);
    if (!q) {
        if (errmsg)
            snprintf(errmsg, errmsg_size, "out of memory");
        return NULL;
    }
    q->base.ops = &pg_ops;
    q->next_analyze = 100000;
    q->an_lo = INT64_MAX;
    q->an_hi = INT64_MIN;
    q->c = PQconnectdb(url);
    if (PQstatus(q->c) != CONNECTION_OK) {
        pg_fail(q, "connect", NULL);
        goto fail;
    }
    // Tables live in schema orbat, the QGIS views and PostGIS in public.
    // The staging tables are per session (TEMP, staging_ensure); temp_buffers
    // must be set before the session first touches a temp table.
    if (pg_script(q,
                  "SET client_min_messages = warning;"
                  "SET search_path = orbat, public;"
                  "SET synchronous_commit = on;"
                  // A batch of 200k staged rows sorts and hashes in memory.
                  "SET temp_buffers = '128MB';"
                  "SET work_mem = '64MB';"
                  // orbat's queries are index seeks whose estimated cost can
                  // pass jit_above_cost at 10M rows: compiling them took ~60 ms
                  // of a ~40 ms report (EXPLAIN ANALYZE, docs/postgresql.md).
                  "SET jit = off;",
                  "session") != ORBAT_OK)
        goto fail;
    if (pg_migrate(q) != ORBAT_OK)
        goto fail;
    return &q->base;
fail:
    if (errmsg)
        snprintf(errmsg, errmsg_size, "%s", q->err);
    pg_close(&q->base);
    return NULL;
}
