/* SPDX-License-Identifier: BSD-2-Clause
 *
 * store_pg_copy.c - `orbat db copy`: every row of another store (any
 * backend) into an empty PostgreSQL store with text COPY, keeping row ids
 * (store_pg.h). Part of the backend described in store_pg.c.
 */
#include "store/store_pg_int.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct copy_ctx {
    struct store_pg *q;
    struct cbuf b;
    uint64_t rows;
    int err_rc;
    int64_t *days; /* sorted: the days whose partitions are ready */
    size_t ndays, days_cap;
};

/* The partition of day is ready (made once per day copied). */
static int copy_day(struct copy_ctx *c, int64_t day)
{
    size_t lo = 0, hi = c->ndays;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c->days[mid] < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < c->ndays && c->days[lo] == day)
        return ORBAT_OK;
    if (c->ndays == c->days_cap) {
        size_t ncap = c->days_cap ? c->days_cap * 2 : 64;
        int64_t *nd = realloc(c->days, ncap * sizeof *nd);
        if (!nd) {
            snprintf(c->q->err, sizeof c->q->err, "out of memory");
            return ORBAT_E_NOMEM;
        }
        c->days = nd;
        c->days_cap = ncap;
    }
    memmove(c->days + lo + 1, c->days + lo, (c->ndays - lo) * sizeof *c->days);
    c->days[lo] = day;
    c->ndays++;
    return pg_days_prepare(c->q, &day, 1);
}

#define OBS_COPY_SQL                                                                               \
    "COPY observations(asset_id, bucket, t_ms, lat, lon, sog, cog, alt_ft, theatre, raw_id,"       \
    " source_id) FROM STDIN"

static int copy_send(struct copy_ctx *c, const char *sql);

static void cb_sep(struct cbuf *b)
{
    pg_cb_str(b, "\t");
}

static int copy_source(void *ctx, const struct store_source *src)
{
    struct copy_ctx *c = ctx;
    pg_cb_i64(&c->b, src->id);
    cb_sep(&c->b);
    pg_cb_text(&c->b, src->name);
    cb_sep(&c->b);
    pg_cb_text(&c->b, src->sha256);
    cb_sep(&c->b);
    pg_cb_i64(&c->b, (int64_t)src->bytes);
    cb_sep(&c->b);
    pg_cb_i64(&c->b, src->t_first_ms);
    cb_sep(&c->b);
    pg_cb_i64(&c->b, src->t_last_ms);
    cb_sep(&c->b);
    pg_cb_i64(&c->b, (int64_t)src->messages);
    pg_cb_str(&c->b, src->complete ? "\t1" : "\t0");
    pg_cb_str(&c->b, src->simulated ? "\t1" : "\t0");
    cb_sep(&c->b);
    pg_cb_text(&c->b, src->licence);
    pg_cb_str(&c->b, "\n");
    c->rows++;
    return 0;
}

static int copy_raw(void *ctx, const struct store_raw *raw, const char *source)
{
    (void)source;
    struct copy_ctx *c = ctx;
    pg_cb_i64(&c->b, raw->id);
    cb_sep(&c->b);
    pg_cb_i64(&c->b, raw->source_id);
    cb_sep(&c->b);
    pg_cb_i64(&c->b, (int64_t)raw->offset);
    cb_sep(&c->b);
    pg_cb_i64(&c->b, (int64_t)store_hash64(raw->data, raw->len));
    cb_sep(&c->b);
    pg_cb_bytea(&c->b, raw->data, raw->len);
    pg_cb_str(&c->b, "\n");
    c->rows++;
    return 0;
}

static void copy_asset(struct copy_ctx *c, const struct store_asset *a)
{
    char key[96];
    pg_asset_key(a, key, sizeof key);
    pg_cb_i64(&c->b, a->id);
    cb_sep(&c->b);
    pg_cb_text(&c->b, key);
    cb_sep(&c->b);
    pg_cb_i64(&c->b, a->kind);
    cb_sep(&c->b);
    pg_cb_i64(&c->b, a->ident);
    const char *txt[6] = {a->name, a->callsign, a->hull, a->country, a->category, a->role};
    for (int i = 0; i < 6; i++) {
        cb_sep(&c->b);
        pg_cb_text(&c->b, txt[i]);
    }
    cb_sep(&c->b);
    pg_cb_dbl(&c->b, a->confidence);
    pg_cb_str(&c->b, a->military ? "\t1\t" : "\t0\t");
    pg_cb_text(&c->b, a->reasons);
    cb_sep(&c->b);
    pg_cb_i64(&c->b, a->first_ms);
    cb_sep(&c->b);
    pg_cb_i64(&c->b, a->last_ms);
    cb_sep(&c->b);
    pg_cb_i64(&c->b, a->raw_id);
    pg_cb_str(&c->b, "\n");
    c->rows++;
}

static int copy_obs(void *ctx, const struct store_obs_row *row)
{
    struct copy_ctx *c = ctx;
    const struct store_obs *o = &row->obs;
    if ((c->err_rc = copy_day(c, o->t_ms / STORE_DAY_MS)) != ORBAT_OK)
        return 1;
    pg_cb_i64(&c->b, o->asset_id);
    cb_sep(&c->b);
    pg_cb_i64(&c->b, o->t_ms / STORE_BUCKET_MS);
    cb_sep(&c->b);
    pg_cb_i64(&c->b, o->t_ms);
    cb_sep(&c->b);
    pg_cb_dbl(&c->b, o->lat);
    cb_sep(&c->b);
    pg_cb_dbl(&c->b, o->lon);
    cb_sep(&c->b);
    pg_cb_dbl(&c->b, o->sog_kn);
    cb_sep(&c->b);
    pg_cb_dbl(&c->b, o->cog_deg);
    cb_sep(&c->b);
    if (o->alt_ft == INT32_MIN)
        pg_cb_str(&c->b, "\\N");
    else
        pg_cb_i64(&c->b, o->alt_ft);
    cb_sep(&c->b);
    pg_cb_text(&c->b, o->theatre);
    cb_sep(&c->b);
    pg_cb_i64(&c->b, o->raw_id);
    cb_sep(&c->b);
    pg_cb_i64(&c->b, o->source_id);
    pg_cb_str(&c->b, "\n");
    c->rows++;
    // Large databases go to the server in pieces (the source iterates on
    // its own connection, so a COPY can run between two rows).
    if (c->b.len > PG_STAGE_MAX && (c->err_rc = copy_send(c, OBS_COPY_SQL)) != ORBAT_OK)
        return 1;
    return 0;
}

static int copy_event(void *ctx, const struct store_event *e, const struct store_asset *a)
{
    (void)a;
    struct copy_ctx *c = ctx;
    pg_cb_i64(&c->b, e->id);
    cb_sep(&c->b);
    pg_cb_i64(&c->b, e->asset_id);
    cb_sep(&c->b);
    pg_cb_i64(&c->b, e->t_ms);
    cb_sep(&c->b);
    pg_cb_text(&c->b, e->type);
    cb_sep(&c->b);
    pg_cb_text(&c->b, e->theatre);
    cb_sep(&c->b);
    pg_cb_dbl(&c->b, e->lat);
    cb_sep(&c->b);
    pg_cb_dbl(&c->b, e->lon);
    cb_sep(&c->b);
    pg_cb_text(&c->b, e->detail);
    cb_sep(&c->b);
    pg_cb_i64(&c->b, e->raw_id);
    pg_cb_str(&c->b, "\n");
    c->rows++;
    return 0;
}

static int copy_ext_event(void *ctx, const struct store_ext_event *x)
{
    struct copy_ctx *c = ctx;
    pg_cb_i64(&c->b, x->id);
    const char *text[5] = {x->source, x->provider, x->licence, x->ext_id, x->type};
    for (int i = 0; i < 5; i++) {
        cb_sep(&c->b);
        pg_cb_text(&c->b, text[i]);
    }
    cb_sep(&c->b);
    pg_cb_i64(&c->b, x->t_start_ms);
    cb_sep(&c->b);
    pg_cb_i64(&c->b, x->t_end_ms);
    cb_sep(&c->b);
    pg_cb_dbl(&c->b, x->lat);
    cb_sep(&c->b);
    pg_cb_dbl(&c->b, x->lon);
    cb_sep(&c->b);
    pg_cb_i64(&c->b, x->mmsi);
    cb_sep(&c->b);
    pg_cb_text(&c->b, x->name);
    cb_sep(&c->b);
    pg_cb_text(&c->b, x->flag);
    cb_sep(&c->b);
    pg_cb_i64(&c->b, x->other_mmsi);
    cb_sep(&c->b);
    pg_cb_text(&c->b, x->detail);
    cb_sep(&c->b);
    pg_cb_text(&c->b, x->raw ? x->raw : "");
    pg_cb_str(&c->b, "\n");
    c->rows++;
    return 0;
}

static int copy_sighting(void *ctx, const struct store_sighting *sg)
{
    struct copy_ctx *c = ctx;
    pg_cb_i64(&c->b, sg->id);
    cb_sep(&c->b);
    pg_cb_text(&c->b, sg->name);
    cb_sep(&c->b);
    pg_cb_i64(&c->b, sg->t_ms);
    cb_sep(&c->b);
    pg_cb_dbl(&c->b, sg->lat);
    cb_sep(&c->b);
    pg_cb_dbl(&c->b, sg->lon);
    cb_sep(&c->b);
    pg_cb_text(&c->b, sg->theatre);
    cb_sep(&c->b);
    pg_cb_text(&c->b, sg->source_url);
    cb_sep(&c->b);
    pg_cb_text(&c->b, sg->note);
    cb_sep(&c->b);
    pg_cb_dbl(&c->b, sg->confidence);
    cb_sep(&c->b);
    pg_cb_text(&c->b, sg->category);
    cb_sep(&c->b);
    pg_cb_text(&c->b, sg->role);
    cb_sep(&c->b);
    pg_cb_text(&c->b, sg->country);
    cb_sep(&c->b);
    pg_cb_i64(&c->b, sg->asset_id);
    pg_cb_str(&c->b, "\n");
    c->rows++;
    return 0;
}

static int copy_claim(void *ctx, const struct store_claim *cl)
{
    struct copy_ctx *c = ctx;
    pg_cb_i64(&c->b, cl->id);
    const char *text[5] = {cl->kind, cl->spec, cl->text, cl->source_url, cl->claimant};
    for (int i = 0; i < 5; i++) {
        cb_sep(&c->b);
        pg_cb_text(&c->b, text[i]);
    }
    const int64_t t[4] = {cl->published_ms, cl->from_ms, cl->to_ms, cl->added_ms};
    for (int i = 0; i < 4; i++) {
        cb_sep(&c->b);
        pg_cb_i64(&c->b, t[i]);
    }
    pg_cb_str(&c->b, "\n");
    c->rows++;
    return 0;
}

/* Send the buffered rows with one COPY and empty the buffer. */
static int copy_send(struct copy_ctx *c, const char *sql)
{
    if (c->b.oom) {
        snprintf(c->q->err, sizeof c->q->err, "out of memory");
        return ORBAT_E_NOMEM;
    }
    int rc = c->b.len ? pg_copy_in(c->q, sql, c->b.p, c->b.len) : ORBAT_OK;
    c->b.len = 0;
    return rc;
}

/* Walk row ids 1.. of a table that has no iterator in store.h (raw,
 * assets) until `total` rows were found; ids have holes where rows were
 * taken back, so the walk stops only after a long run of misses. */
#define COPY_MAX_GAP 10000000

static int copy_tables(struct copy_ctx *c, struct store *src, const struct store_counts *n)
{
    int rc = store_sources(src, copy_source, c);
    if (!rc)
        rc = copy_send(c, "COPY sources(id, name, sha256, bytes, t_first_ms, t_last_ms, messages,"
                          " complete, simulated, licence) FROM STDIN");
    static const char raw_sql[] = "COPY raw(id, source_id, \"offset\", hash, data) FROM STDIN";
    uint64_t found = 0;
    for (int64_t id = 1, miss = 0; !rc && found < n->raw && miss < COPY_MAX_GAP; id++) {
        uint64_t before = c->rows;
        int r = store_raw_get(src, id, copy_raw, c);
        if (r == ORBAT_E_NOTFOUND) {
            miss++;
            continue;
        }
        if (r) {
            snprintf(c->q->err, sizeof c->q->err, "read raw %lld: %s", (long long)id,
                     store_errmsg(src));
            return r;
        }
        miss = 0;
        found += c->rows - before;
        if (c->b.len > PG_STAGE_MAX)
            rc = copy_send(c, raw_sql);
    }
    if (!rc)
        rc = copy_send(c, raw_sql);
    found = 0;
    for (int64_t id = 1, miss = 0; !rc && found < n->assets && miss < COPY_MAX_GAP; id++) {
        struct store_asset a;
        int r = store_asset_get(src, id, &a);
        if (r == ORBAT_E_NOTFOUND) {
            miss++;
            continue;
        }
        if (r) {
            snprintf(c->q->err, sizeof c->q->err, "read asset %lld: %s", (long long)id,
                     store_errmsg(src));
            return r;
        }
        miss = 0;
        copy_asset(c, &a);
        found++;
    }
    if (!rc)
        rc = copy_send(c, "COPY assets(id, key, kind, ident, name, callsign, hull, country,"
                          " category, role, confidence, military, reasons, first_ms, last_ms,"
                          " raw_id) FROM STDIN");
    if (!rc) {
        rc = store_observations(src, 0, INT64_MIN / 2, INT64_MAX / 2, copy_obs, c);
        if (rc > 0) // copy_obs stopped on a failed COPY
            rc = c->err_rc;
        else if (rc < 0)
            snprintf(c->q->err, sizeof c->q->err, "read observations: %s", store_errmsg(src));
    }
    if (!rc)
        rc = copy_send(c, OBS_COPY_SQL);
    if (!rc)
        rc = store_events(src, "", INT64_MIN / 2, INT64_MAX / 2, copy_event, c);
    if (!rc)
        rc = copy_send(c, "COPY events(id, asset_id, t_ms, type, theatre, lat, lon, detail,"
                          " raw_id) FROM STDIN");
    if (!rc)
        rc = store_sightings(src, "", INT64_MIN / 2, INT64_MAX / 2, copy_sighting, c);
    if (!rc)
        rc = copy_send(c, "COPY sightings(id, name, t_ms, lat, lon, theatre, source_url, note,"
                          " confidence, category, role, country, asset_id) FROM STDIN");
    struct store_ext_filter all = {INT64_MIN / 2, INT64_MAX / 2, "", "", 0};
    if (!rc)
        rc = store_ext_events(src, &all, copy_ext_event, c);
    if (!rc)
        rc = copy_send(c, "COPY ext_events(id, source, provider, licence, ext_id, type, t_start_ms,"
                          " t_end_ms, lat, lon, mmsi, name, flag, other_mmsi, detail, raw)"
                          " FROM STDIN");
    if (!rc) {
        rc = store_claims(src, 0, copy_claim, c);
        if (rc)
            snprintf(c->q->err, sizeof c->q->err, "read claims: %s", store_errmsg(src));
    }
    if (!rc)
        rc = copy_send(c, "COPY claims(id, kind, spec, text, source_url, claimant, published_ms,"
                          " from_ms, to_ms, added_ms) FROM STDIN");
    return rc;
}

int store_pg_copy_from(struct store *dst, struct store *src, struct store_counts *copied)
{
    if (dst->ops != &pg_ops)
        return ORBAT_E_INVAL;
    struct store_pg *q = pg_of(dst);
    struct store_counts n, have;
    int rc = store_counts(src, &n);
    if (rc) {
        snprintf(q->err, sizeof q->err, "source store: %s", store_errmsg(src));
        return rc;
    }
    if ((rc = pg_counts(dst, &have)) != ORBAT_OK)
        return rc;
    if (have.sources || have.raw || have.assets || have.observations || have.events ||
        have.sightings) {
        snprintf(q->err, sizeof q->err,
                 "the target database is not empty (%llu sources, %llu assets): copy needs an"
                 " empty one",
                 (unsigned long long)have.sources, (unsigned long long)have.assets);
        return ORBAT_E_INVAL;
    }
    if ((rc = pg_begin(dst)) != ORBAT_OK)
        return rc;
    struct copy_ctx c = {.q = q};
    rc = copy_tables(&c, src, &n);
    free(c.b.p);
    free(c.days);
    static const char *const finish[] = {
        // The per-day presence summary, rebuilt from the observations.
        "INSERT INTO presence(theatre, day, asset_id, first_ms, last_ms, n_obs)"
        " SELECT theatre, t_ms / 86400000, asset_id, min(t_ms), max(t_ms), count(*)"
        " FROM observations WHERE theatre <> '' GROUP BY theatre, t_ms / 86400000, asset_id",
        "INSERT INTO presence(theatre, day, asset_id, first_ms, last_ms, n_obs)"
        " SELECT '*', t_ms / 86400000, asset_id, min(t_ms), max(t_ms), count(*)"
        " FROM observations GROUP BY t_ms / 86400000, asset_id",
        "UPDATE row_counts SET n = CASE tbl WHEN 'raw' THEN (SELECT count(*) FROM raw)"
        " ELSE (SELECT count(*) FROM observations) END",
        // New rows continue after the copied ids.
        "SELECT setval(pg_get_serial_sequence('orbat.sources', 'id'),"
        " coalesce((SELECT max(id) FROM sources), 0) + 1, false),"
        " setval(pg_get_serial_sequence('orbat.raw', 'id'),"
        " coalesce((SELECT max(id) FROM raw), 0) + 1, false),"
        " setval(pg_get_serial_sequence('orbat.assets', 'id'),"
        " coalesce((SELECT max(id) FROM assets), 0) + 1, false),"
        " setval(pg_get_serial_sequence('orbat.events', 'id'),"
        " coalesce((SELECT max(id) FROM events), 0) + 1, false),"
        " setval(pg_get_serial_sequence('orbat.sightings', 'id'),"
        " coalesce((SELECT max(id) FROM sightings), 0) + 1, false),"
        " setval(pg_get_serial_sequence('orbat.ext_events', 'id'),"
        " coalesce((SELECT max(id) FROM ext_events), 0) + 1, false),"
        " setval(pg_get_serial_sequence('orbat.claims', 'id'),"
        " coalesce((SELECT max(id) FROM claims), 0) + 1, false)",
        "ANALYZE",
    };
    for (size_t i = 0; !rc && i < sizeof finish / sizeof finish[0] - 1; i++)
        rc = pg_cmd(q, finish[i], "copy finish");
    if (rc) {
        char keep[sizeof q->err];
        memcpy(keep, q->err, sizeof keep);
        pg_cmd(q, "ROLLBACK", "rollback");
        q->in_tx = false;
        memcpy(q->err, keep, sizeof keep);
        return rc;
    }
    if ((rc = pg_commit(dst)) != ORBAT_OK)
        return rc;
    pg_cmd(q, finish[sizeof finish / sizeof finish[0] - 1], "analyze");
    if (copied)
        return pg_counts(dst, copied);
    return ORBAT_OK;
}
