/* SPDX-License-Identifier: BSD-2-Clause
 *
 * store_pg_write.c - the PostgreSQL backend's ingest writes: sources, raw
 * messages, assets, events, sightings, external events and claims, and the
 * staged observations. Part of the backend described in store_pg.c.
 *
 * Observations are staged in memory during a transaction and written at
 * commit (or before any query): the earliest per (asset, minute) is picked
 * in the client, less the rows the connection's seen cache knows an
 * earlier stored one for; the day partitions are made ready; then binary
 * COPY puts raw messages, observations and the presence summary straight
 * into the tables, and when that meets a stored row (unique violation)
 * set-based SQL merges them from a staging table instead (kept if new or
 * earlier than the stored one -> raw messages -> observations upsert ->
 * presence deltas).
 */
#include "store/store_pg_int.h"

#include <libpq-fe.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* COPY binary format (PostgreSQL docs, "COPY", Binary Format): a signature,
 * flags and header extension length, then per row a field count and
 * length-prefixed fields in each type's send format (big-endian integers
 * and IEEE doubles; text and bytea as bytes), then -1. */
static const char copy_bin_header[19] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0";

static void bb_be(struct cbuf *b, uint64_t v, int bytes)
{
    char t[8];
    for (int i = 0; i < bytes; i++)
        t[i] = (char)(v >> (8 * (bytes - 1 - i)));
    pg_cb_put(b, t, (size_t)bytes);
}

static void bb_row(struct cbuf *b, int nfields)
{
    bb_be(b, (uint64_t)nfields, 2);
}

static void bb_i64(struct cbuf *b, int64_t v)
{
    bb_be(b, 8, 4);
    bb_be(b, (uint64_t)v, 8);
}

static void bb_null(struct cbuf *b)
{
    bb_be(b, 0xffffffffu, 4);
}

static void bb_f64(struct cbuf *b, double v)
{
    if (isnan(v)) {
        bb_null(b);
        return;
    }
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    bb_i64(b, (int64_t)u);
}

static void bb_bytes(struct cbuf *b, const void *p, size_t n)
{
    bb_be(b, n, 4);
    pg_cb_put(b, p, n);
}

/* Sort key of a staged row: (asset, time, order sent). The minute bucket
 * is monotone in the time, so equal (asset, bucket) rows are adjacent and
 * the first of each run is the one to keep. */
struct skey {
    int64_t asset_id, t_ms;
    uint64_t seq;
    uint32_t idx;
};

static int skey_cmp(const void *pa, const void *pb)
{
    const struct skey *a = pa, *b = pb;
    if (a->asset_id != b->asset_id)
        return a->asset_id < b->asset_id ? -1 : 1;
    if (a->t_ms != b->t_ms)
        return a->t_ms < b->t_ms ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int skey_seq_cmp(const void *pa, const void *pb)
{
    const struct skey *a = pa, *b = pb;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Presence delta key: (theatre, day, asset), in the summary's key order;
 * known: the connection knows the summary row exists (seen cache). */
struct pkey {
    const char *theatre;
    int64_t day, asset_id, t_ms;
    bool known;
};

static int pkey_cmp(const void *pa, const void *pb)
{
    const struct pkey *a = pa, *b = pb;
    int c = strcmp(a->theatre, b->theatre);
    if (c)
        return c;
    if (a->day != b->day)
        return a->day < b->day ? -1 : 1;
    if (a->asset_id != b->asset_id)
        return a->asset_id < b->asset_id ? -1 : 1;
    return a->t_ms < b->t_ms ? -1 : a->t_ms > b->t_ms;
}

/* FNV-1a of a theatre name, never 0 (0: no theatre known). */
static uint32_t theatre_hash(const char *t)
{
    uint32_t h = 2166136261u;
    for (; *t; t++)
        h = (h ^ (unsigned char)*t) * 16777619u;
    return h | 1;
}

static struct obs_seen *seen_slot(struct store_pg *q, int64_t asset_id);

/* Run the COPY, remembering the SQLSTATE of a failure in q->sqlstate. */
static int copy_bin(struct store_pg *q, const char *sql, struct cbuf *b)
{
    bb_be(b, 0xffff, 2); // trailer
    if (b->oom) {
        snprintf(q->err, sizeof q->err, "out of memory");
        return ORBAT_E_NOMEM;
    }
    return pg_copy_in(q, sql, b->p, b->len);
}

static void cbuf_start(struct cbuf *b, struct store_pg *q)
{
    b->p = q->cbin;
    b->cap = q->cbin_cap;
    b->len = 0;
    b->oom = false;
    pg_cb_put(b, copy_bin_header, sizeof copy_bin_header);
}

static void cbuf_keep(struct cbuf *b, struct store_pg *q)
{
    q->cbin = b->p;
    q->cbin_cap = b->cap;
}

/* The session's staging tables, created when a write first needs them
 * (not by every read-only command; a transaction that rolls back drops
 * them again, hence IF NOT EXISTS each time). */
static int staging_ensure(struct store_pg *q)
{
    return pg_script(
        q,
        "CREATE TEMP TABLE IF NOT EXISTS obs_stage(seq bigint, asset_id bigint,"
        " bucket bigint, t_ms bigint, lat float8, lon float8, sog float8, cog float8,"
        " alt_ft int, theatre text COLLATE \"C\", source_id bigint, has_raw bool,"
        " raw_offset bigint, raw_hash bigint, raw_data bytea);"
        "CREATE TEMP TABLE IF NOT EXISTS obs_win(LIKE obs_stage, fresh bool);"
        "CREATE TEMP TABLE IF NOT EXISTS pres_stage(theatre text COLLATE \"C\","
        " day bigint, asset_id bigint, first_ms bigint, last_ms bigint, n_obs bigint);",
        "staging tables");
}

/* End of the run of pk[i]'s (theatre, day, asset). */
static size_t pkey_run(const struct pkey *pk, size_t m, size_t i)
{
    size_t j = i + 1;
    while (j < m && pk[j].day == pk[i].day && pk[j].asset_id == pk[i].asset_id &&
           !strcmp(pk[j].theatre, pk[i].theatre))
        j++;
    return j;
}

/* Presence rows of this batch not known to exist, aggregated per
 * (theatre, day, asset). */
static void presence_rows(struct cbuf *b, const struct pkey *pk, size_t m, int64_t day_lo,
                          int64_t day_hi, bool inner)
{
    for (size_t i = 0; i < m;) {
        size_t j = pkey_run(pk, m, i);
        if (!pk[i].known && inner == (pk[i].day > day_lo && pk[i].day < day_hi)) {
            bb_row(b, 6);
            bb_bytes(b, pk[i].theatre, strlen(pk[i].theatre));
            bb_i64(b, pk[i].day);
            bb_i64(b, pk[i].asset_id);
            bb_i64(b, pk[i].t_ms);
            bb_i64(b, pk[j - 1].t_ms);
            bb_i64(b, (int64_t)(j - i));
        }
        i = j;
    }
}

/* Header of a one-dimensional array in binary (array_send) format. */
static void bb_array(struct cbuf *b, uint32_t elem_oid, size_t n)
{
    bb_be(b, 1, 4); // dimensions
    bb_be(b, 0, 4); // no nulls
    bb_be(b, elem_oid, 4);
    bb_be(b, n, 4);
    bb_be(b, 1, 4); // lower bound
}

/* The summary rows this connection knows exist get a plain UPDATE from six
 * binary arrays (measured cheaper than the upsert: no speculative insert
 * check, no tuple lock record). *miss: a row was not there (dropped by
 * another process; a theatre hash collision): the statement was rolled
 * back and the caller adds every row with the upsert. */
static int presence_update_known(struct store_pg *q, struct pkey *pk, size_t m, size_t nknown,
                                 bool *miss)
{
    *miss = false;
    enum {
        TEXTOID = 25,
        INT8OID = 20
    };
    struct cbuf b;
    b.p = q->cbin;
    b.cap = q->cbin_cap;
    b.len = 0;
    b.oom = false;
    size_t off[6];
    for (int col = 0; col < 6; col++) {
        off[col] = b.len;
        bb_array(&b, col ? INT8OID : TEXTOID, nknown);
        for (size_t i = 0; i < m;) {
            size_t j = pkey_run(pk, m, i);
            if (pk[i].known) {
                switch (col) {
                case 0:
                    bb_bytes(&b, pk[i].theatre, strlen(pk[i].theatre));
                    break;
                case 1:
                    bb_i64(&b, pk[i].day);
                    break;
                case 2:
                    bb_i64(&b, pk[i].asset_id);
                    break;
                case 3:
                    bb_i64(&b, pk[i].t_ms);
                    break;
                case 4:
                    bb_i64(&b, pk[j - 1].t_ms);
                    break;
                default:
                    bb_i64(&b, (int64_t)(j - i));
                }
            }
            i = j;
        }
    }
    cbuf_keep(&b, q);
    if (b.oom) {
        snprintf(q->err, sizeof q->err, "out of memory");
        return ORBAT_E_NOMEM;
    }
    const char *v[6];
    int lens[6], fmts[6];
    for (int col = 0; col < 6; col++) {
        v[col] = b.p + off[col];
        lens[col] = (int)((col < 5 ? off[col + 1] : b.len) - off[col]);
        fmts[col] = 1;
    }
    int rc = pg_cmd(q, "SAVEPOINT orbat_presence_known", "savepoint");
    if (rc)
        return rc;
    PGresult *r = pg_run(q, -1,
                         "UPDATE presence p SET first_ms = least(p.first_ms, s.f),"
                         " last_ms = greatest(p.last_ms, s.l), n_obs = p.n_obs + s.n"
                         " FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[],"
                         " $5::bigint[], $6::bigint[]) s(th, d, a, f, l, n)"
                         " WHERE p.theatre = s.th AND p.day = s.d AND p.asset_id = s.a",
                         6, v, lens, fmts, "presence update");
    if (!r)
        return ORBAT_E_DB;
    *miss = strtoull(PQcmdTuples(r), NULL, 10) != nknown;
    PQclear(r);
    if (*miss) {
        for (size_t i = 0; i < m; i++)
            pk[i].known = false;
        return pg_cmd(q, "ROLLBACK TO SAVEPOINT orbat_presence_known", "savepoint");
    }
    return pg_cmd(q, "RELEASE SAVEPOINT orbat_presence_known", "savepoint");
}

/* The presence summary deltas of observations that are all new minutes:
 * per (theatre, day, asset) the first and last time and the count, for the
 * theatre of each row and for '*' (anywhere). The rows the connection
 * knows exist get a plain UPDATE (presence_update_known). Of the others, a
 * batch that spans several days (a file, a bulk load) usually brings new
 * summary rows for the days in between: those are COPYed straight into
 * the table (under a savepoint; a unique violation falls back to the
 * upsert for all), and the two edge days (where a live writer's rows
 * always are) are added with an upsert. */
static int presence_add(struct store_pg *q, const struct skey *keep, size_t n)
{
    struct pkey *pk = malloc(2 * n * sizeof *pk);
    if (!pk) {
        snprintf(q->err, sizeof q->err, "out of memory");
        return ORBAT_E_NOMEM;
    }
    size_t m = 0;
    int64_t day_lo = INT64_MAX, day_hi = INT64_MIN;
    const struct obs_seen *e = NULL;
    for (size_t i = 0; i < n; i++) {
        const struct stage_row *r = &q->rows[keep[i].idx];
        int64_t day = r->t_ms / STORE_DAY_MS;
        if (day < day_lo)
            day_lo = day;
        if (day > day_hi)
            day_hi = day;
        if (!e || e->asset_id != r->asset_id)
            e = seen_slot(q, r->asset_id);
        bool in = e && e->asset_id == r->asset_id;
        pk[m++] = (struct pkey){"*", day, r->asset_id, r->t_ms,
                                in && e->bucket / (STORE_DAY_MS / STORE_BUCKET_MS) == day};
        if (r->theatre[0])
            pk[m++] = (struct pkey){r->theatre, day, r->asset_id, r->t_ms,
                                    in && e->th_hash && e->th_day == day &&
                                        e->th_hash == theatre_hash(r->theatre)};
    }
    qsort(pk, m, sizeof *pk, pkey_cmp);
    // A run is known only if all its rows are (they are: same asset, day
    // and theatre); count the runs.
    size_t nknown = 0, nnew = 0;
    for (size_t i = 0; i < m;) {
        size_t j = pkey_run(pk, m, i);
        if (pk[i].known)
            nknown++;
        else
            nnew++;
        i = j;
    }
    struct cbuf b;
    int rc = ORBAT_OK;
    if (nknown) {
        bool miss;
        if ((rc = presence_update_known(q, pk, m, nknown, &miss)) != ORBAT_OK)
            goto out;
        if (miss)
            nnew += nknown;
    }
    if (!nnew)
        goto out;
    bool all_upsert = day_hi - day_lo < 2;
    if (!all_upsert) {
        if ((rc = pg_cmd(q, "SAVEPOINT orbat_presence", "savepoint")) != ORBAT_OK)
            goto out;
        cbuf_start(&b, q);
        presence_rows(&b, pk, m, day_lo, day_hi, true);
        rc = copy_bin(q,
                      "COPY presence(theatre, day, asset_id, first_ms, last_ms, n_obs)"
                      " FROM STDIN (FORMAT binary)",
                      &b);
        cbuf_keep(&b, q);
        if (rc && !strcmp(q->sqlstate, "23505")) {
            all_upsert = true;
            rc = pg_cmd(q, "ROLLBACK TO SAVEPOINT orbat_presence", "savepoint");
        } else if (!rc) {
            rc = pg_cmd(q, "RELEASE SAVEPOINT orbat_presence", "savepoint");
        }
        if (rc)
            goto out;
    }
    if ((rc = staging_ensure(q)) != ORBAT_OK)
        goto out;
    cbuf_start(&b, q);
    if (all_upsert)
        presence_rows(&b, pk, m, INT64_MAX, INT64_MIN, false);
    else
        presence_rows(&b, pk, m, day_lo, day_hi, false);
    rc = copy_bin(q, "COPY pres_stage FROM STDIN (FORMAT binary)", &b);
    cbuf_keep(&b, q);
    if (rc)
        goto out;
    static const char *const steps[] = {
        "INSERT INTO presence AS p(theatre, day, asset_id, first_ms, last_ms, n_obs)"
        " SELECT * FROM pres_stage"
        " ON CONFLICT(theatre, day, asset_id) DO UPDATE SET"
        " first_ms = least(p.first_ms, excluded.first_ms),"
        " last_ms = greatest(p.last_ms, excluded.last_ms), n_obs = p.n_obs + excluded.n_obs",
        "TRUNCATE pres_stage",
    };
    for (size_t i = 0; !rc && i < sizeof steps / sizeof steps[0]; i++)
        rc = pg_cmd(q, steps[i], "presence");
out:
    free(pk);
    return rc;
}

/* The observation columns both write paths copy, in table order: asset_id,
 * bucket, t_ms, lat, lon, sog, cog, alt_ft (NULL when unknown), theatre. */
static void bb_obs(struct cbuf *b, const struct stage_row *row)
{
    bb_i64(b, row->asset_id);
    bb_i64(b, row->t_ms / STORE_BUCKET_MS);
    bb_i64(b, row->t_ms);
    bb_f64(b, row->lat);
    bb_f64(b, row->lon);
    bb_f64(b, row->sog);
    bb_f64(b, row->cog);
    if (row->alt_ft == INT32_MIN) {
        bb_null(b);
    } else {
        bb_be(b, 4, 4);
        bb_be(b, (uint32_t)row->alt_ft, 4);
    }
    bb_bytes(b, row->theatre, strlen(row->theatre));
}

/* Direct path, optimistic: every kept row is taken to be a new (asset,
 * minute): COPY the raw messages (ids reserved from their sequence) and the
 * observations straight into their tables under a savepoint. A unique
 * violation (a stored observation of one of the minutes, a raw message
 * stored before) rolls back to the savepoint and *fallback tells the
 * caller to merge. */
static int flush_direct(struct store_pg *q, struct skey *keep, size_t n, bool *fallback)
{
    *fallback = false;
    int rc = pg_cmd(q, "SAVEPOINT orbat_direct", "savepoint");
    if (rc)
        return rc;
    size_t nraw = 0;
    for (size_t i = 0; i < n; i++) {
        q->rows[keep[i].idx].raw_id = 0;
        nraw += q->rows[keep[i].idx].has_raw;
    }
    struct cbuf b;
    if (nraw) {
        // Ids in the order the rows were sent, as the SQLite backend numbers them.
        struct skey *bys = malloc(n * sizeof *bys);
        if (!bys) {
            snprintf(q->err, sizeof q->err, "out of memory");
            return ORBAT_E_NOMEM;
        }
        memcpy(bys, keep, n * sizeof *bys);
        qsort(bys, n, sizeof *bys, skey_seq_cmp);
        struct pbuf pb;
        const char *v[1] = {pg_p_i64(&pb, 0, (int64_t)nraw)};
        // One range of ids: nextval, then setval past the range (under the
        // write lock; a raw id taken by a writer outside it in between
        // would collide, and the unique violation sends the batch to the
        // merge). Measured: 0.3 us per id less than one nextval each.
        PGresult *r = pg_run(q, -1,
                             "SELECT setval(s, nextval(s) + $1::bigint - 1) FROM"
                             " (SELECT pg_get_serial_sequence('orbat.raw', 'id') AS s) x",
                             1, v, NULL, NULL, "raw ids");
        if (!r || PQntuples(r) != 1) {
            if (r) {
                snprintf(q->err, sizeof q->err, "raw ids: %d rows", PQntuples(r));
                PQclear(r);
            }
            free(bys);
            return ORBAT_E_DB;
        }
        int64_t next_id = pg_g_i64(r, 0, 0) - (int64_t)nraw + 1;
        cbuf_start(&b, q);
        for (size_t i = 0; i < n; i++) {
            struct stage_row *row = &q->rows[bys[i].idx];
            if (!row->has_raw)
                continue;
            row->raw_id = next_id++;
            bb_row(&b, 5);
            bb_i64(&b, row->raw_id);
            bb_i64(&b, row->source_id);
            bb_i64(&b, (int64_t)row->raw_offset);
            bb_i64(&b, row->raw_hash);
            bb_bytes(&b, q->rawbuf + row->raw_pos, row->raw_len);
        }
        PQclear(r);
        free(bys);
        rc = copy_bin(q,
                      "COPY raw(id, source_id, \"offset\", hash, data) FROM STDIN"
                      " (FORMAT binary)",
                      &b);
        cbuf_keep(&b, q);
    }
    if (!rc) {
        cbuf_start(&b, q);
        for (size_t i = 0; i < n; i++) {
            const struct stage_row *row = &q->rows[keep[i].idx];
            bb_row(&b, 11);
            bb_obs(&b, row);
            bb_i64(&b, row->raw_id);
            bb_i64(&b, row->source_id);
        }
        rc = copy_bin(q,
                      "COPY observations(asset_id, bucket, t_ms, lat, lon, sog, cog, alt_ft,"
                      " theatre, raw_id, source_id) FROM STDIN (FORMAT binary)",
                      &b);
        cbuf_keep(&b, q);
    }
    if (rc) {
        if (strcmp(q->sqlstate, "23505") != 0)
            return rc;
        *fallback = true;
        return pg_cmd(q, "ROLLBACK TO SAVEPOINT orbat_direct", "savepoint");
    }
    if ((rc = pg_cmd(q, "RELEASE SAVEPOINT orbat_direct", "savepoint")) != ORBAT_OK)
        return rc;
    if ((rc = presence_add(q, keep, n)) != ORBAT_OK)
        return rc;
    q->raw_delta += (int64_t)nraw;
    q->obs_delta += (int64_t)n;
    return ORBAT_OK;
}

/* General path: the kept rows go to the staging table and four set-based
 * statements merge them with what is stored (see docs/postgresql.md). */
static int flush_merge(struct store_pg *q, const struct skey *keep, size_t n, int64_t lo,
                       int64_t hi)
{
    if (staging_ensure(q) != ORBAT_OK)
        return ORBAT_E_DB;
    struct cbuf b;
    cbuf_start(&b, q);
    for (size_t i = 0; i < n; i++) {
        const struct stage_row *row = &q->rows[keep[i].idx];
        bb_row(&b, 15);
        bb_i64(&b, (int64_t)row->seq);
        bb_obs(&b, row);
        bb_i64(&b, row->source_id);
        bb_bytes(&b, row->has_raw ? "\1" : "\0", 1);
        if (row->has_raw) {
            bb_i64(&b, (int64_t)row->raw_offset);
            bb_i64(&b, row->raw_hash);
            bb_bytes(&b, q->rawbuf + row->raw_pos, row->raw_len);
        } else {
            bb_null(&b);
            bb_null(&b);
            bb_null(&b);
        }
    }
    int rc = copy_bin(q,
                      "COPY obs_stage(seq, asset_id, bucket, t_ms, lat, lon, sog, cog, alt_ft,"
                      " theatre, source_id, has_raw, raw_offset, raw_hash, raw_data) FROM STDIN"
                      " (FORMAT binary)",
                      &b);
    cbuf_keep(&b, q);
    if (rc)
        return rc;
    // The staged rows are one per (asset, minute) already; each is kept
    // when the minute is new or it is earlier than the stored row (the
    // SQLite rule).
    static const char *const steps[] = {
        "INSERT INTO obs_win SELECT s.*, o.asset_id IS NULL FROM obs_stage s"
        " LEFT JOIN observations o ON o.asset_id = s.asset_id AND o.bucket = s.bucket"
        " AND o.bucket BETWEEN $1::bigint AND $2::bigint"
        " WHERE o.asset_id IS NULL OR o.t_ms > s.t_ms",
        // Raw messages only for kept observations.
        "INSERT INTO raw(source_id, \"offset\", hash, data)"
        " SELECT source_id, raw_offset, raw_hash, raw_data FROM obs_win WHERE has_raw"
        " ORDER BY seq ON CONFLICT DO NOTHING",
        "INSERT INTO observations AS t(asset_id, bucket, t_ms, lat, lon, sog, cog, alt_ft,"
        " theatre, raw_id, source_id)"
        " SELECT w.asset_id, w.bucket, w.t_ms, w.lat, w.lon, w.sog, w.cog, w.alt_ft, w.theatre,"
        " coalesce(r.id, 0), w.source_id"
        " FROM obs_win w LEFT JOIN raw r ON w.has_raw"
        " AND r.source_id = w.source_id AND r.\"offset\" = w.raw_offset AND r.hash = w.raw_hash"
        " ON CONFLICT(asset_id, bucket) DO UPDATE SET t_ms = excluded.t_ms, lat = excluded.lat,"
        " lon = excluded.lon, sog = excluded.sog, cog = excluded.cog, alt_ft = excluded.alt_ft,"
        " theatre = excluded.theatre, raw_id = excluded.raw_id, source_id = excluded.source_id"
        " WHERE t.t_ms > excluded.t_ms",
        // A new minute counts once in the presence summary; a replaced one
        // only widens first/last.
        "INSERT INTO presence AS p(theatre, day, asset_id, first_ms, last_ms, n_obs)"
        " SELECT th, t_ms / 86400000, asset_id, min(t_ms), max(t_ms), sum(fresh::int) FROM"
        " (SELECT theatre AS th, t_ms, asset_id, fresh FROM obs_win WHERE theatre <> ''"
        "  UNION ALL SELECT '*', t_ms, asset_id, fresh FROM obs_win) x"
        " GROUP BY th, t_ms / 86400000, asset_id"
        " ON CONFLICT(theatre, day, asset_id) DO UPDATE SET"
        " first_ms = least(p.first_ms, excluded.first_ms),"
        " last_ms = greatest(p.last_ms, excluded.last_ms), n_obs = p.n_obs + excluded.n_obs",
        "TRUNCATE obs_stage, obs_win",
    };
    struct pbuf pb;
    const char *v[2] = {pg_p_i64(&pb, 0, lo), pg_p_i64(&pb, 1, hi)};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        PGresult *r =
            pg_run(q, -1, steps[i], i ? 0 : 2, i ? NULL : v, NULL, NULL, "observation merge");
        if (!r)
            return ORBAT_E_DB;
        if (i == 1)
            q->raw_delta += strtoll(PQcmdTuples(r), NULL, 10);
        PQclear(r);
        if (i == 0) {
            // New minutes, for the maintained observation count.
            r = pg_run(q, -1, "SELECT count(*) FROM obs_win WHERE fresh", 0, NULL, NULL, NULL,
                       "observation merge");
            if (!r)
                return ORBAT_E_DB;
            q->obs_delta += pg_g_i64(r, 0, 0);
            PQclear(r);
        }
    }
    return ORBAT_OK;
}

/* The seen cache (store_pg_int.h): the slot of an asset, NULL when the
 * table is absent. */
static struct obs_seen *seen_slot(struct store_pg *q, int64_t asset_id)
{
    if (!q->seen_cap)
        return NULL;
    size_t mask = q->seen_cap - 1;
    size_t h = (size_t)((uint64_t)asset_id * 0x9e3779b97f4a7c15ull >> 20) & mask;
    while (q->seen[h].asset_id && q->seen[h].asset_id != asset_id)
        h = (h + 1) & mask;
    return &q->seen[h];
}

void pg_seen_clear(struct store_pg *q)
{
    if (q->seen)
        memset(q->seen, 0, q->seen_cap * sizeof *q->seen);
    q->seen_n = 0;
}

/* Grow the table to hold one more asset; false when it cannot (the caller
 * then leaves the row out of the cache). */
static bool seen_room(struct store_pg *q)
{
    if ((q->seen_n + 1) * 2 <= q->seen_cap)
        return true;
    if (q->seen_cap >= PG_SEEN_MAX) {
        pg_seen_clear(q);
        return true;
    }
    size_t ncap = q->seen_cap ? q->seen_cap * 2 : 4096;
    struct obs_seen *nt = calloc(ncap, sizeof *nt);
    if (!nt)
        return false;
    struct obs_seen *old = q->seen;
    size_t ocap = q->seen_cap;
    q->seen = nt;
    q->seen_cap = ncap;
    q->seen_n = 0;
    for (size_t i = 0; i < ocap; i++) {
        if (old[i].asset_id) {
            *seen_slot(q, old[i].asset_id) = old[i];
            q->seen_n++;
        }
    }
    free(old);
    return true;
}

/* After the rows were written: each (asset, bucket) has a stored row no
 * later than the row's time. */
static void seen_note(struct store_pg *q, const struct skey *keep, size_t n, bool direct)
{
    for (size_t i = 0; i < n; i++) {
        int64_t bucket = keep[i].t_ms / STORE_BUCKET_MS;
        struct obs_seen *e = seen_slot(q, keep[i].asset_id);
        if (!e || !e->asset_id) {
            if (!seen_room(q))
                return;
            e = seen_slot(q, keep[i].asset_id);
            *e = (struct obs_seen){keep[i].asset_id, bucket, keep[i].t_ms, 0, 0};
            q->seen_n++;
        }
        // The direct path wrote a summary row for the theatre of every
        // row (the merge only for the rows it kept).
        const char *th = q->rows[keep[i].idx].theatre;
        if (direct && th[0]) {
            e->th_day = (int32_t)(keep[i].t_ms / STORE_DAY_MS);
            e->th_hash = theatre_hash(th);
        }
        if (bucket > e->bucket) {
            e->bucket = bucket;
            e->t_ms = keep[i].t_ms;
        } else if (bucket == e->bucket && keep[i].t_ms < e->t_ms) {
            e->t_ms = keep[i].t_ms;
        }
    }
}

static int i64_cmp(const void *pa, const void *pb)
{
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    return a < b ? -1 : a > b;
}

/* Make the partitions of these UTC days exist and be open (orbat.obs_day_write,
 * schema migration 8), inside the open transaction. */
int pg_days_prepare(struct store_pg *q, const int64_t *days, size_t n)
{
    if (!n)
        return ORBAT_OK;
    size_t cap = n * 21 + 3;
    char *arr = malloc(cap);
    if (!arr) {
        snprintf(q->err, sizeof q->err, "out of memory");
        return ORBAT_E_NOMEM;
    }
    size_t len = 0;
    arr[len++] = '{';
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(arr + len, cap - len, "%s%lld", i ? "," : "", (long long)days[i]);
    arr[len++] = '}';
    arr[len] = '\0';
    const char *v[1] = {arr};
    PGresult *r = pg_run(q, -1,
                         "SELECT count(obs_day_write(d)) FROM"
                         " (SELECT d FROM unnest($1::bigint[]) d ORDER BY d) x",
                         1, v, NULL, NULL, "day partitions");
    free(arr);
    if (!r)
        return ORBAT_E_DB;
    PQclear(r);
    return ORBAT_OK;
}

/* Write the staged observations (inside the open transaction, under the
 * write lock): the earliest of each (asset, minute) in the batch, less
 * those the seen cache knows a stored earlier row for; the partitions of
 * their days made ready; then the direct COPY, and when it meets a stored
 * row (a unique violation) the merge instead. */
int pg_stage_flush(struct store_pg *q)
{
    size_t n = q->nrows;
    if (!n)
        return ORBAT_OK;
    struct skey *keep = malloc(n * sizeof *keep);
    int64_t *days = malloc(n * sizeof *days);
    if (!keep || !days) {
        free(keep);
        free(days);
        snprintf(q->err, sizeof q->err, "out of memory");
        return ORBAT_E_NOMEM;
    }
    for (size_t i = 0; i < n; i++)
        keep[i] = (struct skey){q->rows[i].asset_id, q->rows[i].t_ms, q->rows[i].seq, (uint32_t)i};
    qsort(keep, n, sizeof *keep, skey_cmp);
    size_t m = 0, nd = 0;
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    const struct obs_seen *e = NULL;
    for (size_t i = 0; i < n; i++) {
        int64_t bucket = keep[i].t_ms / STORE_BUCKET_MS;
        if (m && keep[m - 1].asset_id == keep[i].asset_id &&
            keep[m - 1].t_ms / STORE_BUCKET_MS == bucket)
            continue;
        if (!e || e->asset_id != keep[i].asset_id)
            e = seen_slot(q, keep[i].asset_id);
        if (e && e->asset_id == keep[i].asset_id && e->bucket == bucket && keep[i].t_ms >= e->t_ms)
            continue; // an earlier or equal one is stored
        keep[m++] = keep[i];
        if (bucket < lo)
            lo = bucket;
        if (bucket > hi)
            hi = bucket;
        int64_t day = keep[i].t_ms / STORE_DAY_MS;
        if (!nd || days[nd - 1] != day)
            days[nd++] = day;
    }
    qsort(days, nd, sizeof *days, i64_cmp);
    size_t ndu = 0;
    for (size_t i = 0; i < nd; i++)
        if (!ndu || days[ndu - 1] != days[i])
            days[ndu++] = days[i];
    q->merged += m;
    if (ndu && days[0] < q->an_lo)
        q->an_lo = days[0];
    if (ndu && days[ndu - 1] > q->an_hi)
        q->an_hi = days[ndu - 1];
    int rc = pg_days_prepare(q, days, ndu);
    bool merge = false;
    if (!rc && m)
        rc = flush_direct(q, keep, m, &merge);
    if (!rc && merge)
        rc = flush_merge(q, keep, m, lo, hi);
    if (!rc)
        seen_note(q, keep, m, !merge);
    free(keep);
    free(days);
    q->nrows = 0;
    q->raw_len = 0;
    return rc;
}

/* After 100k, 400k, 1.6M ... rows written by the session: ANALYZE the
 * partitions of the days written since the last time, presence and
 * assets (outside a transaction). Only the columns the reports filter and
 * join on. */
int pg_analyze_written(struct store_pg *q)
{
    if (q->merged < q->next_analyze || q->an_lo > q->an_hi)
        return ORBAT_OK;
    q->next_analyze = q->merged * 4;
    struct pbuf b;
    const char *v[2] = {pg_p_i64(&b, 0, q->an_lo), pg_p_i64(&b, 1, q->an_hi)};
    q->an_lo = INT64_MAX;
    q->an_hi = INT64_MIN;
    PGresult *r = pg_run(q, -1,
                         "SELECT string_agg(format('orbat.%I(asset_id, bucket, t_ms, theatre)',"
                         " part), ', ' ORDER BY day) FROM days WHERE day BETWEEN $1 AND $2",
                         2, v, NULL, NULL, "analyze");
    if (!r)
        return ORBAT_E_DB;
    if (PQgetisnull(r, 0, 0)) {
        PQclear(r);
        return ORBAT_OK;
    }
    size_t len = (size_t)PQgetlength(r, 0, 0) + 64;
    char *sql = malloc(len);
    if (!sql) {
        PQclear(r);
        snprintf(q->err, sizeof q->err, "out of memory");
        return ORBAT_E_NOMEM;
    }
    snprintf(sql, len, "ANALYZE %s, presence, assets", PQgetvalue(r, 0, 0));
    PQclear(r);
    int rc = pg_cmd(q, sql, "analyze");
    free(sql);
    return rc;
}

/* Before a query: make this transaction's staged rows visible to it. */
int pg_pre_query(struct store_pg *q)
{
    return q->in_tx ? pg_stage_flush(q) : ORBAT_OK;
}

int pg_source_begin(struct store *s, struct store_source *src)
{
    struct store_pg *q = pg_of(s);
    struct pbuf b;
    const char *ins[3] = {src->name, src->sha256, pg_p_i64(&b, 0, (int64_t)src->bytes)};
    // Insert-if-absent then read: two writers starting the same file get
    // the same row.
    PGresult *r = pg_run(q, PS_SOURCE_INS, NULL, 3, ins, NULL, NULL, "source insert");
    if (!r)
        return ORBAT_E_DB;
    PQclear(r);
    const char *get[1] = {src->sha256};
    if (!(r = pg_run(q, PS_SOURCE_GET, NULL, 1, get, NULL, NULL, "source lookup")))
        return ORBAT_E_DB;
    int rc = ORBAT_OK;
    if (PQntuples(r) != 1) {
        snprintf(q->err, sizeof q->err, "source lookup: not found after insert");
        rc = ORBAT_E_DB;
    } else {
        src->id = pg_g_i64(r, 0, 0);
        src->complete = pg_g_i64(r, 0, 1) != 0;
    }
    PQclear(r);
    return rc;
}

int pg_source_finish(struct store *s, const struct store_source *src)
{
    struct store_pg *q = pg_of(s);
    struct pbuf b;
    const char *v[8] = {pg_p_i64(&b, 0, src->id),
                        pg_p_i64(&b, 1, (int64_t)src->bytes),
                        pg_p_i64(&b, 2, src->t_first_ms),
                        pg_p_i64(&b, 3, src->t_last_ms),
                        pg_p_i64(&b, 4, (int64_t)src->messages),
                        src->complete ? "1" : "0",
                        src->simulated ? "1" : "0",
                        src->licence};
    PGresult *r = pg_run(q, PS_SOURCE_FINISH, NULL, 8, v, NULL, NULL, "source finish");
    if (!r)
        return ORBAT_E_DB;
    PQclear(r);
    return ORBAT_OK;
}

int pg_raw_put(struct store *s, struct store_raw *raw)
{
    struct store_pg *q = pg_of(s);
    struct pbuf b;
    const char *v[4] = {pg_p_i64(&b, 0, raw->source_id), pg_p_i64(&b, 1, (int64_t)raw->offset),
                        pg_p_i64(&b, 2, (int64_t)store_hash64(raw->data, raw->len)),
                        raw->data ? raw->data : ""};
    int lens[4] = {0, 0, 0, (int)raw->len};
    int fmts[4] = {0, 0, 0, 1};
    PGresult *r = pg_run(q, PS_RAW_INS, NULL, 4, v, lens, fmts, "raw insert");
    if (!r)
        return ORBAT_E_DB;
    if (PQntuples(r) == 1) {
        raw->id = pg_g_i64(r, 0, 0);
        PQclear(r);
        q->raw_delta++;
        return q->in_tx ? ORBAT_OK : pg_counts_apply(q);
    }
    PQclear(r);
    if (!(r = pg_run(q, PS_RAW_GET, NULL, 3, v, NULL, NULL, "raw lookup")))
        return ORBAT_E_DB;
    int rc = ORBAT_OK;
    if (PQntuples(r) == 1)
        raw->id = pg_g_i64(r, 0, 0);
    else
        rc = pg_fail(q, "raw lookup", NULL);
    PQclear(r);
    return rc;
}

int pg_asset_put(struct store *s, struct store_asset *a)
{
    struct store_pg *q = pg_of(s);
    char key[96];
    pg_asset_key(a, key, sizeof key);
    struct pbuf b;
    const char *v[15] = {key,
                         pg_p_i64(&b, 0, a->kind),
                         pg_p_i64(&b, 1, a->ident),
                         a->name,
                         a->callsign,
                         a->hull,
                         a->country,
                         a->category,
                         a->role,
                         pg_p_dbl(&b, 2, a->confidence),
                         a->military ? "1" : "0",
                         a->reasons,
                         pg_p_i64(&b, 3, a->first_ms),
                         pg_p_i64(&b, 4, a->last_ms),
                         pg_p_i64(&b, 5, a->raw_id)};
    if (!v[9])
        v[9] = "0";
    PGresult *r = pg_run(q, PS_ASSET_UPDATE, NULL, 15, v, NULL, NULL, "asset update");
    if (r && PQntuples(r) == 0) {
        PQclear(r);
        r = pg_run(q, PS_ASSET_UPSERT, NULL, 15, v, NULL, NULL, "asset upsert");
    }
    if (!r)
        return ORBAT_E_DB;
    a->id = pg_g_i64(r, 0, 0);
    PQclear(r);
    return ORBAT_OK;
}

/* Observations are staged in memory and written at commit (or before any
 * query); the result (kept or not) is decided then, so this returns
 * ORBAT_OK for every valid observation and raw->id stays 0. */
int pg_obs_put(struct store *s, const struct store_obs *o, struct store_raw *raw)
{
    struct store_pg *q = pg_of(s);
    if (o->t_ms <= 0 || !isfinite(o->lat) || !isfinite(o->lon)) {
        snprintf(q->err, sizeof q->err, "observation without time or position");
        return ORBAT_E_INVAL;
    }
    if (!q->in_tx) {
        snprintf(q->err, sizeof q->err, "observation outside a transaction");
        return ORBAT_E_INVAL;
    }
    if (raw && raw->len > PG_RAW_MAX) {
        snprintf(q->err, sizeof q->err, "raw message of %zu bytes", raw->len);
        return ORBAT_E_INVAL;
    }
    if (q->nrows == q->rows_cap) {
        size_t ncap = q->rows_cap ? q->rows_cap * 2 : 4096;
        struct stage_row *nr = realloc(q->rows, ncap * sizeof *nr);
        if (!nr) {
            snprintf(q->err, sizeof q->err, "out of memory");
            return ORBAT_E_NOMEM;
        }
        q->rows = nr;
        q->rows_cap = ncap;
    }
    size_t rlen = raw ? raw->len : 0;
    if (q->raw_len + rlen > q->raw_cap) {
        size_t ncap = q->raw_cap ? q->raw_cap : 1u << 20;
        while (ncap < q->raw_len + rlen)
            ncap *= 2;
        char *nb = realloc(q->rawbuf, ncap);
        if (!nb) {
            snprintf(q->err, sizeof q->err, "out of memory");
            return ORBAT_E_NOMEM;
        }
        q->rawbuf = nb;
        q->raw_cap = ncap;
    }
    struct stage_row *r = &q->rows[q->nrows++];
    r->asset_id = o->asset_id;
    r->t_ms = o->t_ms;
    r->source_id = o->source_id;
    r->seq = ++q->seq;
    r->lat = o->lat;
    r->lon = o->lon;
    r->sog = o->sog_kn;
    r->cog = o->cog_deg;
    r->alt_ft = o->alt_ft;
    store_strlcpy(r->theatre, o->theatre, sizeof r->theatre);
    r->has_raw = raw != NULL;
    r->raw_id = 0;
    r->raw_offset = raw ? raw->offset : 0;
    r->raw_hash = raw ? (int64_t)store_hash64(raw->data, raw->len) : 0;
    r->raw_pos = q->raw_len;
    r->raw_len = (uint32_t)rlen;
    if (rlen)
        memcpy(q->rawbuf + q->raw_len, raw->data, rlen);
    q->raw_len += rlen;
    if (raw)
        raw->id = 0;
    if (q->nrows >= PG_STAGE_ROWS || q->raw_len > PG_STAGE_MAX)
        return pg_stage_flush(q);
    return ORBAT_OK;
}

int pg_event_put(struct store *s, struct store_event *e)
{
    struct store_pg *q = pg_of(s);
    struct pbuf b;
    const char *v[8] = {pg_p_i64(&b, 0, e->asset_id),
                        pg_p_i64(&b, 1, e->t_ms),
                        e->type,
                        e->theatre,
                        pg_p_dbl(&b, 2, e->lat),
                        pg_p_dbl(&b, 3, e->lon),
                        e->detail,
                        pg_p_i64(&b, 4, e->raw_id)};
    // Look first: an INSERT that conflicts would still consume an id, and
    // event ids (printed by the API) must stay those of the SQLite backend.
    const char *g[3] = {v[0], e->type, v[1]};
    PGresult *r = pg_run(q, PS_EVENT_GET, NULL, 3, g, NULL, NULL, "event lookup");
    if (!r)
        return ORBAT_E_DB;
    if (PQntuples(r) == 1) {
        e->id = pg_g_i64(r, 0, 0);
        PQclear(r);
        return ORBAT_OK;
    }
    PQclear(r);
    if (!(r = pg_run(q, PS_EVENT_INS, NULL, 8, v, NULL, NULL, "event insert")))
        return ORBAT_E_DB;
    if (PQntuples(r) == 1) {
        e->id = pg_g_i64(r, 0, 0);
        PQclear(r);
        return ORBAT_OK;
    }
    PQclear(r);
    // A concurrent writer stored it in between.
    if (!(r = pg_run(q, PS_EVENT_GET, NULL, 3, g, NULL, NULL, "event lookup")))
        return ORBAT_E_DB;
    int rc = ORBAT_OK;
    if (PQntuples(r) == 1)
        e->id = pg_g_i64(r, 0, 0);
    else
        rc = pg_fail(q, "event lookup", NULL);
    PQclear(r);
    return rc;
}

/* A sighting joins the asset with the same name or hull number
 * (case-insensitive); if there is none, an asset of kind STORE_SIGHTED is
 * created for it. */
int pg_sighting_put(struct store *s, struct store_sighting *sg)
{
    struct store_pg *q = pg_of(s);
    if (!sg->name[0] || !sg->source_url[0] || sg->t_ms <= 0) {
        snprintf(q->err, sizeof q->err, "a sighting needs a name, a time and a source URL");
        return ORBAT_E_INVAL;
    }
    if (pg_pre_query(q))
        return ORBAT_E_DB;
    const char *m[1] = {sg->name};
    PGresult *r = pg_run(q, -1,
                         "SELECT id FROM assets WHERE (lower(name) = lower($1) AND name <> '')"
                         " OR (lower(hull) = lower($1) AND hull <> '')"
                         " ORDER BY military DESC, kind, id LIMIT 1",
                         1, m, NULL, NULL, "sighting match");
    if (!r)
        return ORBAT_E_DB;
    int rc;
    if (PQntuples(r) == 1) {
        sg->asset_id = pg_g_i64(r, 0, 0);
        PQclear(r);
    } else {
        PQclear(r);
        struct store_asset a = {.kind = STORE_SIGHTED, .military = true};
        store_strlcpy(a.name, sg->name, sizeof a.name);
        store_strlcpy(a.category, sg->category, sizeof a.category);
        store_strlcpy(a.role, sg->role, sizeof a.role);
        store_strlcpy(a.country, sg->country, sizeof a.country);
        a.confidence = sg->confidence;
        snprintf(a.reasons, sizeof a.reasons, "manual sighting: %.400s", sg->source_url);
        a.first_ms = a.last_ms = sg->t_ms;
        if ((rc = pg_asset_put(s, &a)) != ORBAT_OK)
            return rc;
        sg->asset_id = a.id;
    }
    struct pbuf b;
    const char *v[12] = {sg->name,
                         pg_p_i64(&b, 0, sg->t_ms),
                         pg_p_dbl(&b, 1, sg->lat),
                         pg_p_dbl(&b, 2, sg->lon),
                         sg->theatre,
                         sg->source_url,
                         sg->note,
                         pg_p_dbl(&b, 3, sg->confidence),
                         sg->category,
                         sg->role,
                         sg->country,
                         pg_p_i64(&b, 4, sg->asset_id)};
    if (!v[7])
        v[7] = "0.5";
    r = pg_run(q, -1,
               "INSERT INTO sightings(name, t_ms, lat, lon, theatre, source_url, note,"
               " confidence, category, role, country, asset_id)"
               " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING",
               12, v, NULL, NULL, "sighting insert");
    if (!r)
        return ORBAT_E_DB;
    PQclear(r);
    const char *g[3] = {sg->name, v[1], sg->source_url};
    r = pg_run(q, -1,
               "SELECT id, asset_id FROM sightings WHERE name = $1 AND t_ms = $2"
               " AND source_url = $3",
               3, g, NULL, NULL, "sighting lookup");
    if (!r)
        return ORBAT_E_DB;
    rc = ORBAT_OK;
    if (PQntuples(r) == 1) {
        sg->id = pg_g_i64(r, 0, 0);
        sg->asset_id = pg_g_i64(r, 0, 1);
    } else {
        rc = pg_fail(q, "sighting lookup", NULL);
    }
    PQclear(r);
    return rc;
}

int pg_ext_event_put(struct store *s, struct store_ext_event *x)
{
    struct store_pg *q = pg_of(s);
    if (!x->provider[0] || !x->ext_id[0] || !x->type[0]) {
        snprintf(q->err, sizeof q->err, "an external event needs a provider, an id and a type");
        return ORBAT_E_INVAL;
    }
    // The raw JSON as a length-bounded text parameter.
    char *raw = malloc(x->raw_len + 1);
    if (!raw) {
        snprintf(q->err, sizeof q->err, "out of memory");
        return ORBAT_E_NOMEM;
    }
    if (x->raw_len)
        memcpy(raw, x->raw, x->raw_len);
    raw[x->raw_len] = '\0';
    struct pbuf b;
    char mmsi[16], other[16];
    snprintf(mmsi, sizeof mmsi, "%u", x->mmsi);
    snprintf(other, sizeof other, "%u", x->other_mmsi);
    const char *v[15] = {x->provider,
                         x->ext_id,
                         x->source,
                         x->licence,
                         x->type,
                         pg_p_i64(&b, 0, x->t_start_ms),
                         pg_p_i64(&b, 1, x->t_end_ms),
                         pg_p_dbl(&b, 2, x->lat),
                         pg_p_dbl(&b, 3, x->lon),
                         mmsi,
                         x->name,
                         x->flag,
                         other,
                         x->detail,
                         raw};
    // Look first, as pg_event_put does: ids stay those of the SQLite backend.
    PGresult *r = pg_run(q, PS_EXT_GET, NULL, 2, v, NULL, NULL, "external event lookup");
    int rc = r ? ORBAT_OK : ORBAT_E_DB;
    bool known = r && PQntuples(r) == 1;
    PQclear(r);
    if (!rc && !known) {
        if (!(r = pg_run(q, PS_EXT_INS, NULL, 15, v, NULL, NULL, "external event insert")))
            rc = ORBAT_E_DB;
        else if (PQntuples(r) == 1)
            x->id = pg_g_i64(r, 0, 0);
        else
            known = true; // a concurrent writer stored it in between
        PQclear(r);
    }
    if (!rc && known) {
        if (!(r = pg_run(q, PS_EXT_UPD, NULL, 15, v, NULL, NULL, "external event update")))
            rc = ORBAT_E_DB;
        else if (PQntuples(r) == 1)
            x->id = pg_g_i64(r, 0, 0), rc = ORBAT_AGAIN;
        else
            rc = pg_fail(q, "external event update", NULL);
        PQclear(r);
    }
    free(raw);
    return rc;
}

int pg_claim_put(struct store *s, struct store_claim *c)
{
    struct store_pg *q = pg_of(s);
    if (!c->kind[0] || !c->spec[0] || c->to_ms <= c->from_ms) {
        snprintf(q->err, sizeof q->err, "a claim needs a kind, a spec and a time window");
        return ORBAT_E_INVAL;
    }
    if (pg_pre_query(q))
        return ORBAT_E_DB;
    struct pbuf b;
    const char *v[9] = {c->kind,
                        c->spec,
                        c->text,
                        c->source_url,
                        c->claimant,
                        pg_p_i64(&b, 0, c->published_ms),
                        pg_p_i64(&b, 1, c->from_ms),
                        pg_p_i64(&b, 2, c->to_ms),
                        pg_p_i64(&b, 3, c->added_ms)};
    PGresult *r = pg_run(q, -1,
                         "INSERT INTO claims(kind, spec, text, source_url, claimant,"
                         " published_ms, from_ms, to_ms, added_ms)"
                         " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9)"
                         " ON CONFLICT (spec, text, source_url) DO NOTHING RETURNING id",
                         9, v, NULL, NULL, "claim insert");
    if (!r)
        return ORBAT_E_DB;
    bool added = PQntuples(r) == 1;
    if (added)
        c->id = pg_g_i64(r, 0, 0);
    PQclear(r);
    if (added)
        return ORBAT_OK;
    r = pg_run(q, -1, "SELECT id FROM claims WHERE spec = $1 AND text = $2 AND source_url = $3", 3,
               v + 1, NULL, NULL, "claim lookup");
    if (!r)
        return ORBAT_E_DB;
    int rc = PQntuples(r) == 1 ? ORBAT_AGAIN : pg_fail(q, "claim lookup", NULL);
    if (rc == ORBAT_AGAIN)
        c->id = pg_g_i64(r, 0, 0);
    PQclear(r);
    return rc;
}
