/* SPDX-License-Identifier: BSD-2-Clause
 *
 * store_pg_query.c - the PostgreSQL backend's reads for the reports:
 * counts, sources, assets, presence, observations (keyset pagination),
 * events, sightings, timeline, time range, raw messages, external events
 * and claims. Each makes the open transaction's staged observations
 * visible first (pg_pre_query). Part of the backend described in
 * store_pg.c.
 */
#include "store/store_pg_int.h"

#include <libpq-fe.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ASSET_COLS                                                                                 \
    "a.id, a.kind, a.ident, a.name, a.callsign, a.hull, a.country, a.category, a.role,"            \
    " a.confidence, a.military, a.reasons, a.first_ms, a.last_ms, a.raw_id"

static void read_asset(const PGresult *r, int row, int i, struct store_asset *a)
{
    memset(a, 0, sizeof *a);
    a->id = pg_g_i64(r, row, i);
    a->kind = (int)pg_g_i64(r, row, i + 1);
    a->ident = (uint32_t)pg_g_i64(r, row, i + 2);
    pg_g_str(r, row, i + 3, a->name, sizeof a->name);
    pg_g_str(r, row, i + 4, a->callsign, sizeof a->callsign);
    pg_g_str(r, row, i + 5, a->hull, sizeof a->hull);
    pg_g_str(r, row, i + 6, a->country, sizeof a->country);
    pg_g_str(r, row, i + 7, a->category, sizeof a->category);
    pg_g_str(r, row, i + 8, a->role, sizeof a->role);
    a->confidence = pg_g_dbl(r, row, i + 9);
    if (isnan(a->confidence))
        a->confidence = 0;
    a->military = pg_g_i64(r, row, i + 10) != 0;
    pg_g_str(r, row, i + 11, a->reasons, sizeof a->reasons);
    a->first_ms = pg_g_i64(r, row, i + 12);
    a->last_ms = pg_g_i64(r, row, i + 13);
    a->raw_id = pg_g_i64(r, row, i + 14);
}

int pg_counts(struct store *s, struct store_counts *c)
{
    struct store_pg *q = pg_of(s);
    memset(c, 0, sizeof *c);
    if (pg_pre_query(q))
        return ORBAT_E_DB;
    // Inside a transaction, its own rows are not in row_counts yet.
    struct pbuf b;
    const char *v[2] = {pg_p_i64(&b, 0, q->raw_delta), pg_p_i64(&b, 1, q->obs_delta)};
    PGresult *r = pg_run(q, -1,
                         "SELECT (SELECT count(*) FROM sources),"
                         " (SELECT n FROM row_counts WHERE tbl = 'raw') + $1::bigint,"
                         " (SELECT count(*) FROM assets),"
                         " (SELECT n FROM row_counts WHERE tbl = 'observations') + $2::bigint,"
                         " (SELECT count(*) FROM events), (SELECT count(*) FROM sightings),"
                         " (SELECT count(*) FROM sources WHERE simulated = 1)",
                         2, v, NULL, NULL, "count");
    if (!r)
        return ORBAT_E_DB;
    c->sources = (uint64_t)pg_g_i64(r, 0, 0);
    c->raw = (uint64_t)pg_g_i64(r, 0, 1);
    c->assets = (uint64_t)pg_g_i64(r, 0, 2);
    c->observations = (uint64_t)pg_g_i64(r, 0, 3);
    c->events = (uint64_t)pg_g_i64(r, 0, 4);
    c->sightings = (uint64_t)pg_g_i64(r, 0, 5);
    c->simulated_sources = (uint64_t)pg_g_i64(r, 0, 6);
    PQclear(r);
    return ORBAT_OK;
}

int pg_sources(struct store *s, store_source_cb cb, void *ctx)
{
    struct store_pg *q = pg_of(s);
    if (pg_pre_query(q))
        return ORBAT_E_DB;
    PGresult *r = pg_run(q, -1,
                         "SELECT id, name, sha256, bytes, t_first_ms, t_last_ms, messages,"
                         " complete, simulated, licence FROM sources ORDER BY id",
                         0, NULL, NULL, NULL, "sources");
    if (!r)
        return ORBAT_E_DB;
    int cbrc = 0;
    for (int i = 0; !cbrc && i < PQntuples(r); i++) {
        struct store_source src = {0};
        src.id = pg_g_i64(r, i, 0);
        pg_g_str(r, i, 1, src.name, sizeof src.name);
        pg_g_str(r, i, 2, src.sha256, sizeof src.sha256);
        src.bytes = (uint64_t)pg_g_i64(r, i, 3);
        src.t_first_ms = pg_g_i64(r, i, 4);
        src.t_last_ms = pg_g_i64(r, i, 5);
        src.messages = (uint64_t)pg_g_i64(r, i, 6);
        src.complete = pg_g_i64(r, i, 7) != 0;
        src.simulated = pg_g_i64(r, i, 8) != 0;
        pg_g_str(r, i, 9, src.licence, sizeof src.licence);
        cbrc = cb(ctx, &src);
    }
    PQclear(r);
    return cbrc;
}

int pg_asset_get(struct store *s, int64_t id, struct store_asset *out)
{
    struct store_pg *q = pg_of(s);
    struct pbuf b;
    const char *v[1] = {pg_p_i64(&b, 0, id)};
    PGresult *r = pg_run(q, PS_ASSET_GET, NULL, 1, v, NULL, NULL, "asset get");
    if (!r)
        return ORBAT_E_DB;
    int rc = ORBAT_E_NOTFOUND;
    if (PQntuples(r) == 1) {
        read_asset(r, 0, 0, out);
        rc = ORBAT_OK;
    }
    PQclear(r);
    return rc;
}

/* KEY as in store_sqlite.c: "#ID", an MMSI (9 digits), an ICAO address (6
 * hex digits, optionally "icao:"), or a name / hull / registration / call
 * sign (case-insensitive). */
int pg_asset_find(struct store *s, const char *key, store_asset_cb cb, void *ctx)
{
    struct store_pg *q = pg_of(s);
    int64_t id = -1, mmsi = -1, icao = -1;
    char *end;
    if (key[0] == '#') {
        id = strtoll(key + 1, &end, 10);
        if (*end)
            id = -1;
    }
    size_t n = strlen(key);
    if (n == 9 && strspn(key, "0123456789") == 9)
        mmsi = strtoll(key, NULL, 10);
    const char *hex = !strncmp(key, "icao:", 5) ? key + 5 : key;
    if (strlen(hex) == 6 && strspn(hex, "0123456789abcdefABCDEF") == 6)
        icao = strtoll(hex, NULL, 16);
    struct pbuf b;
    const char *v[4] = {pg_p_i64(&b, 0, id), pg_p_i64(&b, 1, mmsi), pg_p_i64(&b, 2, icao),
                        key[0] == '#' ? "" : key};
    PGresult *r = pg_run(q, -1,
                         "SELECT " ASSET_COLS " FROM assets a WHERE a.id = $1"
                         " OR (a.kind = 1 AND a.ident = $2) OR (a.kind = 2 AND a.ident = $3)"
                         " OR ($4 <> '' AND (lower(a.name) = lower($4)"
                         "  OR lower(a.hull) = lower($4) OR lower(a.callsign) = lower($4)))"
                         " ORDER BY a.military DESC, a.id",
                         4, v, NULL, NULL, "asset find");
    if (!r)
        return ORBAT_E_DB;
    int cbrc = 0;
    for (int i = 0; !cbrc && i < PQntuples(r); i++) {
        struct store_asset a;
        read_asset(r, i, 0, &a);
        cbrc = cb(ctx, &a);
    }
    PQclear(r);
    return cbrc;
}

/* Presence: candidates and counts from the per-day summary (military
 * assets picked before the aggregation), then the last observation inside
 * the window by a primary-key seek per asset (LATERAL ... ORDER BY bucket
 * DESC LIMIT 1), so the cost follows the number of assets, not of
 * observations. The first time is the summary's: first_ms is exact (a
 * replacing observation is always earlier), so when the earliest summary
 * row starts inside the window it is the first observation in it; only a
 * window that cuts a day needs a second seek. */
int pg_presence(struct store *s, const char *theatre, int64_t from_ms, int64_t to_ms,
                bool military_only, store_presence_cb cb, void *ctx)
{
    struct store_pg *q = pg_of(s);
    if (!theatre || !theatre[0])
        theatre = "*";
    if (pg_pre_query(q))
        return ORBAT_E_DB;
    struct pbuf b;
    const char *v[8] = {theatre,
                        pg_p_i64(&b, 0, from_ms / STORE_DAY_MS),
                        pg_p_i64(&b, 1, to_ms / STORE_DAY_MS),
                        pg_p_i64(&b, 2, from_ms),
                        pg_p_i64(&b, 3, to_ms),
                        military_only ? "1" : "0",
                        pg_p_i64(&b, 4, from_ms / STORE_BUCKET_MS),
                        pg_p_i64(&b, 5, to_ms / STORE_BUCKET_MS)};
    PGresult *r =
        pg_run(q, -1,
               "WITH p AS (SELECT asset_id, sum(n_obs) AS n, min(first_ms) AS f FROM presence"
               " WHERE theatre = $1 AND day BETWEEN $2 AND $3 AND first_ms <= $5 AND last_ms >= $4"
               " AND ($6 = 0 OR asset_id IN (SELECT id FROM assets WHERE military = 1))"
               " GROUP BY asset_id)"
               " SELECT " ASSET_COLS ", p.n,"
               " CASE WHEN p.f >= $4 THEN p.f ELSE (SELECT o.t_ms FROM observations o"
               "  WHERE o.asset_id = p.asset_id AND o.bucket BETWEEN $7 AND $8"
               "  AND o.t_ms BETWEEN $4 AND $5 AND ($1 = '*' OR o.theatre = $1)"
               "  ORDER BY o.bucket LIMIT 1) END,"
               " l.t_ms, l.lat, l.lon"
               " FROM p JOIN assets a ON a.id = p.asset_id"
               " CROSS JOIN LATERAL (SELECT o.t_ms, o.lat, o.lon FROM observations o"
               "  WHERE o.asset_id = p.asset_id AND o.bucket BETWEEN $7 AND $8"
               "  AND o.t_ms BETWEEN $4 AND $5 AND ($1 = '*' OR o.theatre = $1)"
               "  ORDER BY o.bucket DESC LIMIT 1) l"
               " ORDER BY a.category, a.role, a.name, a.id",
               8, v, NULL, NULL, "presence");
    if (!r)
        return ORBAT_E_DB;
    int cbrc = 0;
    for (int i = 0; !cbrc && i < PQntuples(r); i++) {
        struct store_presence p;
        read_asset(r, i, 0, &p.asset);
        p.n_obs = (uint64_t)pg_g_i64(r, i, 15);
        p.first_ms = pg_g_i64(r, i, 16);
        p.last_ms = pg_g_i64(r, i, 17);
        p.last_lat = pg_g_dbl(r, i, 18);
        p.last_lon = pg_g_dbl(r, i, 19);
        cbrc = cb(ctx, &p);
    }
    PQclear(r);
    return cbrc;
}

/* Observations page through the primary key (keyset pagination), so an
 * export of every observation holds one page in memory and callbacks may
 * run other queries. */
#define OBS_PAGE 20000

/* The observations of one asset in time order, a page at a time. */
static int obs_asset(struct store_pg *q, int64_t asset_id, int64_t from_ms, int64_t to_ms,
                     store_obs_cb cb, void *ctx)
{
    int64_t last_bucket = INT64_MIN;
    int cbrc = 0;
    for (;;) {
        struct pbuf b;
        const char *v[6] = {pg_p_i64(&b, 0, asset_id),
                            pg_p_i64(&b, 1, from_ms),
                            pg_p_i64(&b, 2, to_ms),
                            pg_p_i64(&b, 3, from_ms / STORE_BUCKET_MS),
                            pg_p_i64(&b, 4, to_ms / STORE_BUCKET_MS),
                            pg_p_i64(&b, 5, last_bucket)};
        PGresult *r = pg_run(
            q, -1,
            "SELECT o.asset_id, o.bucket, o.t_ms, o.lat, o.lon, o.sog, o.cog, o.alt_ft, o.theatre,"
            " o.raw_id, o.source_id, r.\"offset\", r.data, src.name FROM observations o"
            " LEFT JOIN raw r ON r.id = o.raw_id LEFT JOIN sources src ON src.id = o.source_id"
            " WHERE o.asset_id = $1 AND o.bucket BETWEEN $4 AND $5"
            " AND o.t_ms BETWEEN $2 AND $3 AND o.bucket > $6"
            " ORDER BY o.bucket LIMIT " /* */ "20000",
            6, v, NULL, NULL, "observations");
        if (!r)
            return ORBAT_E_DB;
        int n = PQntuples(r);
        for (int i = 0; !cbrc && i < n; i++) {
            struct store_obs_row row;
            memset(&row, 0, sizeof row);
            row.obs.asset_id = pg_g_i64(r, i, 0);
            row.obs.t_ms = pg_g_i64(r, i, 2);
            row.obs.lat = pg_g_dbl(r, i, 3);
            row.obs.lon = pg_g_dbl(r, i, 4);
            row.obs.sog_kn = pg_g_dbl(r, i, 5);
            row.obs.cog_deg = pg_g_dbl(r, i, 6);
            row.obs.alt_ft = PQgetisnull(r, i, 7) ? INT32_MIN : (int32_t)pg_g_i64(r, i, 7);
            pg_g_str(r, i, 8, row.obs.theatre, sizeof row.obs.theatre);
            row.obs.raw_id = pg_g_i64(r, i, 9);
            row.obs.source_id = pg_g_i64(r, i, 10);
            row.raw_offset = (uint64_t)pg_g_i64(r, i, 11);
            unsigned char *raw = NULL;
            if (!PQgetisnull(r, i, 12)) {
                size_t len = 0;
                raw = PQunescapeBytea((const unsigned char *)PQgetvalue(r, i, 12), &len);
                row.raw = (const char *)raw;
                row.raw_len = raw ? len : 0;
            }
            row.source = PQgetisnull(r, i, 13) ? NULL : PQgetvalue(r, i, 13);
            cbrc = cb(ctx, &row);
            if (raw)
                PQfreemem(raw);
        }
        if (n)
            last_bucket = pg_g_i64(r, n - 1, 1);
        PQclear(r);
        if (cbrc || n < OBS_PAGE)
            return cbrc;
    }
}

/* One asset's observations, or (asset_id 0) every asset's in (asset, time)
 * order: the assets with observations in the window come from the per-day
 * summary, and each is read through the primary key. (One query over all
 * assets cannot use the primary key for a time window: it would scan the
 * whole index, or the time index and a sort of the window per page.) */
int pg_observations(struct store *s, int64_t asset_id, int64_t from_ms, int64_t to_ms,
                    store_obs_cb cb, void *ctx)
{
    struct store_pg *q = pg_of(s);
    if (pg_pre_query(q))
        return ORBAT_E_DB;
    if (asset_id)
        return obs_asset(q, asset_id, from_ms, to_ms, cb, ctx);
    struct pbuf b;
    const char *v[2] = {pg_p_i64(&b, 0, from_ms / STORE_DAY_MS),
                        pg_p_i64(&b, 1, to_ms / STORE_DAY_MS)};
    PGresult *r = pg_run(q, -1,
                         "SELECT DISTINCT asset_id FROM presence WHERE theatre = '*'"
                         " AND day BETWEEN $1 AND $2 ORDER BY asset_id",
                         2, v, NULL, NULL, "observations");
    if (!r)
        return ORBAT_E_DB;
    size_t n = (size_t)PQntuples(r);
    int64_t *ids = malloc((n ? n : 1) * sizeof *ids);
    if (!ids) {
        PQclear(r);
        snprintf(q->err, sizeof q->err, "out of memory");
        return ORBAT_E_NOMEM;
    }
    for (size_t i = 0; i < n; i++)
        ids[i] = pg_g_i64(r, (int)i, 0);
    PQclear(r);
    int cbrc = 0;
    for (size_t i = 0; !cbrc && i < n; i++)
        cbrc = obs_asset(q, ids[i], from_ms, to_ms, cb, ctx);
    free(ids);
    return cbrc;
}

int pg_events(struct store *s, const char *type, int64_t from_ms, int64_t to_ms, store_event_cb cb,
              void *ctx)
{
    struct store_pg *q = pg_of(s);
    if (pg_pre_query(q))
        return ORBAT_E_DB;
    struct pbuf b;
    const char *v[3] = {pg_p_i64(&b, 0, from_ms), pg_p_i64(&b, 1, to_ms), type ? type : ""};
    PGresult *r = pg_run(q, -1,
                         "SELECT e.id, e.asset_id, e.t_ms, e.type, e.theatre, e.lat, e.lon,"
                         " e.detail, e.raw_id, " ASSET_COLS " FROM events e"
                         " LEFT JOIN assets a ON a.id = e.asset_id"
                         " WHERE e.t_ms BETWEEN $1 AND $2 AND ($3 = '' OR e.type = $3)"
                         " ORDER BY e.t_ms, e.id",
                         3, v, NULL, NULL, "events");
    if (!r)
        return ORBAT_E_DB;
    int cbrc = 0;
    for (int i = 0; !cbrc && i < PQntuples(r); i++) {
        struct store_event e;
        struct store_asset a;
        memset(&e, 0, sizeof e);
        e.id = pg_g_i64(r, i, 0);
        e.asset_id = pg_g_i64(r, i, 1);
        e.t_ms = pg_g_i64(r, i, 2);
        pg_g_str(r, i, 3, e.type, sizeof e.type);
        pg_g_str(r, i, 4, e.theatre, sizeof e.theatre);
        e.lat = pg_g_dbl(r, i, 5);
        e.lon = pg_g_dbl(r, i, 6);
        pg_g_str(r, i, 7, e.detail, sizeof e.detail);
        e.raw_id = pg_g_i64(r, i, 8);
        read_asset(r, i, 9, &a);
        cbrc = cb(ctx, &e, &a);
    }
    PQclear(r);
    return cbrc;
}

int pg_sightings(struct store *s, const char *theatre, int64_t from_ms, int64_t to_ms,
                 store_sighting_cb cb, void *ctx)
{
    struct store_pg *q = pg_of(s);
    if (pg_pre_query(q))
        return ORBAT_E_DB;
    struct pbuf b;
    const char *v[3] = {pg_p_i64(&b, 0, from_ms), pg_p_i64(&b, 1, to_ms), theatre ? theatre : ""};
    PGresult *r = pg_run(q, -1,
                         "SELECT id, name, t_ms, lat, lon, theatre, source_url, note,"
                         " confidence, category, role, country, asset_id FROM sightings"
                         " WHERE t_ms BETWEEN $1 AND $2 AND ($3 = '' OR $3 = '*'"
                         " OR theatre = $3) ORDER BY t_ms, id",
                         3, v, NULL, NULL, "sightings");
    if (!r)
        return ORBAT_E_DB;
    int cbrc = 0;
    for (int i = 0; !cbrc && i < PQntuples(r); i++) {
        struct store_sighting sg;
        memset(&sg, 0, sizeof sg);
        sg.id = pg_g_i64(r, i, 0);
        pg_g_str(r, i, 1, sg.name, sizeof sg.name);
        sg.t_ms = pg_g_i64(r, i, 2);
        sg.lat = pg_g_dbl(r, i, 3);
        sg.lon = pg_g_dbl(r, i, 4);
        pg_g_str(r, i, 5, sg.theatre, sizeof sg.theatre);
        pg_g_str(r, i, 6, sg.source_url, sizeof sg.source_url);
        pg_g_str(r, i, 7, sg.note, sizeof sg.note);
        sg.confidence = pg_g_dbl(r, i, 8);
        pg_g_str(r, i, 9, sg.category, sizeof sg.category);
        pg_g_str(r, i, 10, sg.role, sizeof sg.role);
        pg_g_str(r, i, 11, sg.country, sizeof sg.country);
        sg.asset_id = pg_g_i64(r, i, 12);
        cbrc = cb(ctx, &sg);
    }
    PQclear(r);
    return cbrc;
}

int pg_timeline(struct store *s, const char *theatre, int64_t from_ms, int64_t to_ms,
                bool military_only, store_day_cb cb, void *ctx)
{
    struct store_pg *q = pg_of(s);
    if (!theatre || !theatre[0])
        theatre = "*";
    if (pg_pre_query(q))
        return ORBAT_E_DB;
    struct pbuf b;
    const char *v[4] = {theatre, pg_p_i64(&b, 0, from_ms / STORE_DAY_MS),
                        pg_p_i64(&b, 1, to_ms / STORE_DAY_MS), military_only ? "1" : "0"};
    PGresult *r = pg_run(q, -1,
                         "SELECT p.day, a.category, count(DISTINCT p.asset_id)"
                         " FROM presence p JOIN assets a ON a.id = p.asset_id"
                         " WHERE p.theatre = $1 AND p.day BETWEEN $2 AND $3"
                         " AND ($4 = 0 OR a.military = 1)"
                         " GROUP BY p.day, a.category ORDER BY p.day, a.category",
                         4, v, NULL, NULL, "timeline");
    if (!r)
        return ORBAT_E_DB;
    int cbrc = 0;
    for (int i = 0; !cbrc && i < PQntuples(r); i++) {
        struct store_day_count d;
        d.day = pg_g_i64(r, i, 0);
        d.category = PQgetvalue(r, i, 1);
        d.assets = (uint64_t)pg_g_i64(r, i, 2);
        cbrc = cb(ctx, &d);
    }
    PQclear(r);
    return cbrc;
}

/* The time range from the per-day summary (no index on observations.t_ms
 * to take a min/max from): its first time is exact; its last time L may be
 * that of a row since replaced by an earlier one of the same minute, so the
 * last observation is looked up in L's minute (a BRIN range of one
 * partition). */
int pg_time_range(struct store *s, int64_t *first_ms, int64_t *last_ms)
{
    struct store_pg *q = pg_of(s);
    if (pg_pre_query(q))
        return ORBAT_E_DB;
    PGresult *r = pg_run(q, -1,
                         "SELECT (SELECT min(first_ms) FROM presence WHERE theatre = '*' AND day ="
                         "  (SELECT min(day) FROM presence WHERE theatre = '*')),"
                         " (SELECT max(last_ms) FROM presence WHERE theatre = '*' AND day ="
                         "  (SELECT max(day) FROM presence WHERE theatre = '*')),"
                         " (SELECT min(t_ms) FROM sightings), (SELECT max(t_ms) FROM sightings)",
                         0, NULL, NULL, NULL, "time range");
    if (!r)
        return ORBAT_E_DB;
    bool obs = !PQgetisnull(r, 0, 0), sig = !PQgetisnull(r, 0, 2);
    int64_t f = INT64_MAX, l = INT64_MIN;
    if (sig) {
        f = pg_g_i64(r, 0, 2);
        l = pg_g_i64(r, 0, 3);
    }
    int64_t of = obs ? pg_g_i64(r, 0, 0) : 0, ol = obs ? pg_g_i64(r, 0, 1) : 0;
    PQclear(r);
    if (obs) {
        struct pbuf b;
        const char *v[3] = {pg_p_i64(&b, 0, ol / STORE_BUCKET_MS),
                            pg_p_i64(&b, 1, ol / STORE_BUCKET_MS * STORE_BUCKET_MS),
                            pg_p_i64(&b, 2, ol)};
        r = pg_run(q, -1,
                   "SELECT max(t_ms) FROM observations WHERE bucket = $1::bigint"
                   " AND t_ms BETWEEN $2::bigint AND $3::bigint",
                   3, v, NULL, NULL, "time range");
        if (!r)
            return ORBAT_E_DB;
        if (!PQgetisnull(r, 0, 0))
            ol = pg_g_i64(r, 0, 0);
        PQclear(r);
        if (of < f)
            f = of;
        if (ol > l)
            l = ol;
    }
    if (!obs && !sig)
        return ORBAT_E_NOTFOUND;
    *first_ms = f;
    *last_ms = l;
    return ORBAT_OK;
}

int pg_raw_get(struct store *s, int64_t id,
               int (*cb)(void *ctx, const struct store_raw *raw, const char *source), void *ctx)
{
    struct store_pg *q = pg_of(s);
    if (pg_pre_query(q))
        return ORBAT_E_DB;
    struct pbuf b;
    const char *v[1] = {pg_p_i64(&b, 0, id)};
    PGresult *r = pg_run(q, -1,
                         "SELECT r.source_id, r.\"offset\", r.data, src.name FROM raw r"
                         " LEFT JOIN sources src ON src.id = r.source_id WHERE r.id = $1",
                         1, v, NULL, NULL, "raw get");
    if (!r)
        return ORBAT_E_DB;
    int ret = ORBAT_E_NOTFOUND;
    if (PQntuples(r) == 1) {
        size_t len = 0;
        unsigned char *data = PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, 2), &len);
        if (!data) {
            snprintf(q->err, sizeof q->err, "out of memory");
            ret = ORBAT_E_NOMEM;
        } else {
            struct store_raw raw = {.id = id,
                                    .source_id = pg_g_i64(r, 0, 0),
                                    .offset = (uint64_t)pg_g_i64(r, 0, 1),
                                    .data = (const char *)data,
                                    .len = len};
            ret = cb(ctx, &raw, PQgetisnull(r, 0, 3) ? NULL : PQgetvalue(r, 0, 3));
            PQfreemem(data);
        }
    }
    PQclear(r);
    return ret;
}

int pg_ext_events(struct store *s, const struct store_ext_filter *f, store_ext_event_cb cb,
                  void *ctx)
{
    struct store_pg *q = pg_of(s);
    if (pg_pre_query(q))
        return ORBAT_E_DB;
    struct pbuf b;
    char mmsi[16];
    snprintf(mmsi, sizeof mmsi, "%u", f->mmsi);
    const char *v[5] = {pg_p_i64(&b, 0, f->from_ms), pg_p_i64(&b, 1, f->to_ms),
                        f->provider ? f->provider : "", f->type ? f->type : "", mmsi};
    PGresult *r =
        pg_run(q, -1,
               "SELECT x.id, x.source, x.provider, x.licence, x.ext_id, x.type, x.t_start_ms,"
               " x.t_end_ms, x.lat, x.lon, x.mmsi, x.name, x.flag, x.other_mmsi, x.detail, x.raw,"
               " coalesce(a.id, 0) FROM ext_events x LEFT JOIN assets a"
               " ON x.mmsi <> 0 AND a.key = 'ship:' || lpad(x.mmsi::text, 9, '0')"
               " WHERE x.t_start_ms <= $2 AND x.t_end_ms >= $1"
               " AND ($3 = '' OR x.provider = $3) AND ($4 = '' OR x.type = $4)"
               " AND ($5 = 0 OR x.mmsi = $5) ORDER BY x.t_start_ms, x.id",
               5, v, NULL, NULL, "external events");
    if (!r)
        return ORBAT_E_DB;
    int cbrc = 0;
    for (int i = 0; !cbrc && i < PQntuples(r); i++) {
        struct store_ext_event x;
        memset(&x, 0, sizeof x);
        x.id = pg_g_i64(r, i, 0);
        pg_g_str(r, i, 1, x.source, sizeof x.source);
        pg_g_str(r, i, 2, x.provider, sizeof x.provider);
        pg_g_str(r, i, 3, x.licence, sizeof x.licence);
        pg_g_str(r, i, 4, x.ext_id, sizeof x.ext_id);
        pg_g_str(r, i, 5, x.type, sizeof x.type);
        x.t_start_ms = pg_g_i64(r, i, 6);
        x.t_end_ms = pg_g_i64(r, i, 7);
        x.lat = pg_g_dbl(r, i, 8);
        x.lon = pg_g_dbl(r, i, 9);
        x.mmsi = (uint32_t)pg_g_i64(r, i, 10);
        pg_g_str(r, i, 11, x.name, sizeof x.name);
        pg_g_str(r, i, 12, x.flag, sizeof x.flag);
        x.other_mmsi = (uint32_t)pg_g_i64(r, i, 13);
        pg_g_str(r, i, 14, x.detail, sizeof x.detail);
        x.raw = PQgetvalue(r, i, 15);
        x.raw_len = (size_t)PQgetlength(r, i, 15);
        x.asset_id = pg_g_i64(r, i, 16);
        cbrc = cb(ctx, &x);
    }
    PQclear(r);
    return cbrc;
}

int pg_claims(struct store *s, int64_t id, store_claim_cb cb, void *ctx)
{
    struct store_pg *q = pg_of(s);
    if (pg_pre_query(q))
        return ORBAT_E_DB;
    struct pbuf b;
    const char *v[1] = {pg_p_i64(&b, 0, id)};
    PGresult *r = pg_run(q, -1,
                         "SELECT id, kind, spec, text, source_url, claimant, published_ms,"
                         " from_ms, to_ms, added_ms FROM claims"
                         " WHERE $1::bigint = 0 OR id = $1::bigint ORDER BY id",
                         1, v, NULL, NULL, "claims");
    if (!r)
        return ORBAT_E_DB;
    int cbrc = 0;
    for (int i = 0; !cbrc && i < PQntuples(r); i++) {
        struct store_claim c;
        memset(&c, 0, sizeof c);
        c.id = pg_g_i64(r, i, 0);
        pg_g_str(r, i, 1, c.kind, sizeof c.kind);
        pg_g_str(r, i, 2, c.spec, sizeof c.spec);
        pg_g_str(r, i, 3, c.text, sizeof c.text);
        pg_g_str(r, i, 4, c.source_url, sizeof c.source_url);
        pg_g_str(r, i, 5, c.claimant, sizeof c.claimant);
        c.published_ms = pg_g_i64(r, i, 6);
        c.from_ms = pg_g_i64(r, i, 7);
        c.to_ms = pg_g_i64(r, i, 8);
        c.added_ms = pg_g_i64(r, i, 9);
        cbrc = cb(ctx, &c);
    }
    PQclear(r);
    return cbrc;
}

/* Observations in a lat/lon box and a time window (store_pg.h). The days
 * of the window come from orbat.days: a closed day is searched through its
 * tracks (GiST on the LineStringM rows: the asset-days whose line's box
 * meets the box), then those assets' observations of that day through the
 * primary key; an open day by a scan of its partition (the BRIN index on
 * t_ms narrows a short window). One statement, UNION ALL of the parts, in
 * (asset, time) order. */
int store_pg_area(struct store *s, const struct store_pg_box *box, int64_t from_ms, int64_t to_ms,
                  store_pg_area_cb cb, void *ctx)
{
    if (!s || s->ops != &pg_ops || !box || box->west > box->east || box->south > box->north)
        return ORBAT_E_INVAL;
    struct store_pg *q = pg_of(s);
    if (pg_pre_query(q))
        return ORBAT_E_DB;
    struct pbuf b;
    const char *dv[2] = {pg_p_i64(&b, 0, from_ms / STORE_DAY_MS),
                         pg_p_i64(&b, 1, to_ms / STORE_DAY_MS)};
    PGresult *r = pg_run(q, -1,
                         "SELECT part FROM days WHERE day BETWEEN $1 AND $2 AND closed_ms = 0"
                         " ORDER BY day",
                         2, dv, NULL, NULL, "area days");
    if (!r)
        return ORBAT_E_DB;
    struct cbuf sql = {0};
#define AREA_COLS                                                                                  \
    "o.asset_id, o.t_ms, o.lat, o.lon, o.sog, o.cog, o.alt_ft, o.theatre, o.raw_id, o.source_id"
#define AREA_WHERE                                                                                 \
    " o.t_ms BETWEEN $1 AND $2 AND o.lat BETWEEN $3 AND $4 AND o.lon BETWEEN $5 AND $6"
    pg_cb_str(&sql, "SELECT " AREA_COLS " FROM tracks t JOIN observations o"
                    " ON o.asset_id = t.asset_id AND o.bucket >= t.day * 1440"
                    " AND o.bucket < t.day * 1440 + 1440"
                    " WHERE t.day BETWEEN $7 AND $8 AND t.first_ms <= $2 AND t.last_ms >= $1"
                    " AND t.geom && ST_MakeEnvelope($5, $3, $6, $4, 4326)"
                    " AND o.bucket BETWEEN $9 AND $10 AND" AREA_WHERE);
    for (int i = 0; i < PQntuples(r); i++) {
        const char *part = PQgetvalue(r, i, 0);
        size_t n = strlen(part);
        if (!n || n > 63 || strspn(part, "abcdefghijklmnopqrstuvwxyz0123456789_") != n)
            continue;
        pg_cb_str(&sql, " UNION ALL SELECT " AREA_COLS " FROM orbat.");
        pg_cb_str(&sql, part);
        pg_cb_str(&sql, " o WHERE" AREA_WHERE);
    }
    pg_cb_str(&sql, " ORDER BY 1, 2");
    pg_cb_put(&sql, "", 1);
    PQclear(r);
    if (sql.oom) {
        free(sql.p);
        snprintf(q->err, sizeof q->err, "out of memory");
        return ORBAT_E_NOMEM;
    }
    const char *v[10] = {pg_p_i64(&b, 2, from_ms),
                         pg_p_i64(&b, 3, to_ms),
                         pg_p_dbl(&b, 4, box->south),
                         pg_p_dbl(&b, 5, box->north),
                         pg_p_dbl(&b, 6, box->west),
                         pg_p_dbl(&b, 7, box->east),
                         dv[0],
                         dv[1],
                         pg_p_i64(&b, 8, from_ms / STORE_BUCKET_MS),
                         pg_p_i64(&b, 9, to_ms / STORE_BUCKET_MS)};
    r = pg_run(q, -1, sql.p, 10, v, NULL, NULL, "area");
    free(sql.p);
    if (!r)
        return ORBAT_E_DB;
    int cbrc = 0;
    for (int i = 0; !cbrc && i < PQntuples(r); i++) {
        struct store_obs o;
        memset(&o, 0, sizeof o);
        o.asset_id = pg_g_i64(r, i, 0);
        o.t_ms = pg_g_i64(r, i, 1);
        o.lat = pg_g_dbl(r, i, 2);
        o.lon = pg_g_dbl(r, i, 3);
        o.sog_kn = pg_g_dbl(r, i, 4);
        o.cog_deg = pg_g_dbl(r, i, 5);
        o.alt_ft = PQgetisnull(r, i, 6) ? INT32_MIN : (int32_t)pg_g_i64(r, i, 6);
        pg_g_str(r, i, 7, o.theatre, sizeof o.theatre);
        o.raw_id = pg_g_i64(r, i, 8);
        o.source_id = pg_g_i64(r, i, 9);
        cbrc = cb(ctx, &o);
    }
    PQclear(r);
    return cbrc;
}
