/* SPDX-License-Identifier: BSD-2-Clause
 *
 * store_pg_int.h - the internals that the files of the PostgreSQL backend
 * share: store_pg.c (connection, operations table, common helpers),
 * store_pg_schema.c, store_pg_write.c, store_pg_query.c and
 * store_pg_copy.c. Not a public interface: the rest of orbat uses
 * store_pg.h.
 */
#ifndef ORBAT_STORE_STORE_PG_INT_H
#define ORBAT_STORE_STORE_PG_INT_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "store/store_pg.h"

/* pg_advisory locks: one for migrations (session), one for write batches
 * (transaction). Arbitrary constants: "orbat" in ASCII, plus 1. */
#define PG_LOCK_MIGRATE "478560891508"
#define PG_LOCK_WRITE   "478560891509"

/* Staged observations are written when they pass this many rows or raw
 * bytes, even before the commit (bounds client memory for huge batches). */
#define PG_STAGE_ROWS 500000
#define PG_STAGE_MAX  (64u << 20)
/* A raw message longer than this is refused (it must fit the stage). */
#define PG_RAW_MAX PG_STAGE_MAX

/* Statements prepared once per connection (by index). */
enum pst_id {
    PS_SOURCE_GET,
    PS_SOURCE_INS,
    PS_SOURCE_FINISH,
    PS_RAW_INS,
    PS_RAW_GET,
    PS_ASSET_UPSERT,
    PS_ASSET_UPDATE,
    PS_ASSET_GET,
    PS_EVENT_INS,
    PS_EVENT_GET,
    PS_EXT_GET,
    PS_EXT_INS,
    PS_EXT_UPD,
    PS_N
};

/* The "seen" cache of a connection: per asset, the last minute bucket it
 * wrote and a time t such that a committed observation of that (asset,
 * bucket) with a time <= t is stored. A later observation in that minute
 * would not be kept (the earliest is), so the writer drops it before the
 * COPY. Stored rows only ever get earlier, so an entry stays true until a
 * day is dropped; a rollback clears the cache. Capped (cleared when full). */
struct obs_seen {
    int64_t asset_id; /* 0: empty slot */
    int64_t bucket, t_ms;
    /* The presence summary rows this connection knows exist: ('*', the
     * day of bucket) always (every stored observation has its row), and
     * (the theatre with hash th_hash, th_day) when th_hash != 0. A known
     * row gets a plain UPDATE instead of the upsert (store_pg_write.c);
     * a row gone meanwhile (drop-day) makes that batch fall back. */
    int32_t th_day;
    uint32_t th_hash;
};
#define PG_SEEN_MAX (1u << 21)

/* One observation staged by pg_obs_put. */
struct stage_row {
    int64_t asset_id, t_ms, source_id;
    uint64_t seq; /* order sent */
    double lat, lon, sog, cog;
    int32_t alt_ft;
    bool has_raw;
    uint32_t raw_len;
    uint64_t raw_offset;
    int64_t raw_hash;
    size_t raw_pos;
    int64_t raw_id; /* set by the direct COPY */
    char theatre[32];
};

struct store_pg {
    struct store base;
    PGconn *c;
    bool in_tx;
    bool prepared[PS_N];
    struct stage_row *rows; /* observations staged by the open transaction */
    size_t nrows, rows_cap;
    char *rawbuf; /* their raw messages (stage_row.raw_pos) */
    size_t raw_len, raw_cap;
    uint64_t seq;
    char *cbin; /* COPY binary buffer, reused */
    size_t cbin_cap;
    char sqlstate[6];              /* of the last failed COPY */
    uint64_t merged, next_analyze; /* staged rows written by this session */
    int64_t an_lo, an_hi;          /* days written since the last ANALYZE */
    struct obs_seen *seen;         /* open addressing, seen_cap a power of 2 */
    size_t seen_n, seen_cap;
    int64_t raw_delta, obs_delta; /* rows added by the open transaction */
    char err[256];
};

/* Parameter text buffers. */
struct pbuf {
    char s[16][32];
};

/* A growable COPY buffer (the copy command uses its own, not the stage). */
struct cbuf {
    char *p;
    size_t len, cap;
    bool oom;
};

/* ---- store_pg.c: connection, SQL and conversion helpers, COPY text, transactions ---- */

struct store_pg *pg_of(struct store *s);

int pg_fail(struct store_pg *q, const char *what, const PGresult *r);

/* Run SQL with text parameters (NULL = SQL NULL); lens/fmts may be NULL
 * (all text). ps >= 0 runs the prepared statement ps. Returns the result
 * when it succeeded (the caller clears it), NULL with q->err set. */
PGresult *pg_run(struct store_pg *q, int ps, const char *sql, int n, const char *const *vals,
                 const int *lens, const int *fmts, const char *what);

int pg_cmd(struct store_pg *q, const char *sql, const char *what);

/* Several statements in one string (simple query protocol). */
int pg_script(struct store_pg *q, const char *sql, const char *what);

const char *pg_p_i64(struct pbuf *b, int i, int64_t v);

const char *pg_p_dbl(struct pbuf *b, int i, double v);

int64_t pg_g_i64(const PGresult *r, int row, int col);

double pg_g_dbl(const PGresult *r, int row, int col);

void pg_g_str(const PGresult *r, int row, int col, char *dst, size_t size);

void pg_cb_put(struct cbuf *b, const char *s, size_t n);

void pg_cb_str(struct cbuf *b, const char *s);

/* A text field, escaped for COPY's text format. */
void pg_cb_text(struct cbuf *b, const char *s);

void pg_cb_i64(struct cbuf *b, int64_t v);

void pg_cb_dbl(struct cbuf *b, double v);

/* bytea in hex form; the backslash doubled for COPY text. */
void pg_cb_bytea(struct cbuf *b, const void *data, size_t len);

/* Send buf as the data of one COPY ... FROM STDIN. */
int pg_copy_in(struct store_pg *q, const char *sql, const char *data, size_t len);

int pg_begin(struct store *s);

/* Add the rows this transaction wrote to the maintained counts. */
int pg_counts_apply(struct store_pg *q);

int pg_commit(struct store *s);

void pg_asset_key(const struct store_asset *a, char *key, size_t size);

/* ---- store_pg_schema.c ---- */

/* There is no PRAGMA integrity_check: check that the schema is current and
 * that no stored row refers to a missing one. */
int pg_integrity_check(struct store *s);

/* Apply the missing migrations, each with its schema_version row in one
 * transaction, under a session advisory lock so that two processes opening
 * a fresh database at once do not both create the schema. */
int pg_migrate(struct store_pg *q);

/* ---- store_pg_write.c ---- */

/* Write the staged observations (inside the open transaction, under the
 * write lock): the earliest of each (asset, minute) in the batch, then the
 * direct COPY when no stored observation shares its minutes, the merge
 * otherwise. */
int pg_stage_flush(struct store_pg *q);

/* Before a query: make this transaction's staged rows visible to it. */
int pg_pre_query(struct store_pg *q);

/* After 100k, 400k, 1.6M ... rows written by the session: ANALYZE the
 * partitions of the days written since the last time, presence and
 * assets (outside a transaction). */
int pg_analyze_written(struct store_pg *q);

/* Forget the seen cache (after a rollback, or a day dropped). */
void pg_seen_clear(struct store_pg *q);

/* Make the partitions of these UTC days exist and be open (orbat.obs_day_write,
 * schema migration 8), inside the open transaction. */
int pg_days_prepare(struct store_pg *q, const int64_t *days, size_t n);

int pg_source_begin(struct store *s, struct store_source *src);

int pg_source_finish(struct store *s, const struct store_source *src);

int pg_raw_put(struct store *s, struct store_raw *raw);

int pg_asset_put(struct store *s, struct store_asset *a);

/* Observations are staged in memory and written at commit (or before any
 * query); the result (kept or not) is decided then, so this returns
 * ORBAT_OK for every valid observation and raw->id stays 0. */
int pg_obs_put(struct store *s, const struct store_obs *o, struct store_raw *raw);

int pg_event_put(struct store *s, struct store_event *e);

/* A sighting joins the asset with the same name or hull number
 * (case-insensitive); if there is none, an asset of kind STORE_SIGHTED is
 * created for it. */
int pg_sighting_put(struct store *s, struct store_sighting *sg);

int pg_ext_event_put(struct store *s, struct store_ext_event *x);

int pg_claim_put(struct store *s, struct store_claim *c);

/* ---- store_pg_query.c ---- */

int pg_counts(struct store *s, struct store_counts *c);

int pg_sources(struct store *s, store_source_cb cb, void *ctx);

int pg_asset_get(struct store *s, int64_t id, struct store_asset *out);

/* KEY as in store_sqlite.c: "#ID", an MMSI (9 digits), an ICAO address (6
 * hex digits, optionally "icao:"), or a name / hull / registration / call
 * sign (case-insensitive). */
int pg_asset_find(struct store *s, const char *key, store_asset_cb cb, void *ctx);

/* Presence: candidates and counts from the per-day summary (military
 * assets picked before the aggregation), then the last observation inside
 * the window by a primary-key seek per asset (LATERAL ... ORDER BY bucket
 * DESC LIMIT 1), so the cost follows the number of assets, not of
 * observations. The first time is the summary's: first_ms is exact (a
 * replacing observation is always earlier), so when the earliest summary
 * row starts inside the window it is the first observation in it; only a
 * window that cuts a day needs a second seek. */
int pg_presence(struct store *s, const char *theatre, int64_t from_ms, int64_t to_ms,
                bool military_only, store_presence_cb cb, void *ctx);

/* One asset's observations, or (asset_id 0) every asset's in (asset, time)
 * order: the assets with observations in the window come from the per-day
 * summary, and each is read through the primary key. (One query over all
 * assets cannot use the primary key for a time window: it would scan the
 * whole index, or the time index and a sort of the window per page.) */
int pg_observations(struct store *s, int64_t asset_id, int64_t from_ms, int64_t to_ms,
                    store_obs_cb cb, void *ctx);

int pg_events(struct store *s, const char *type, int64_t from_ms, int64_t to_ms, store_event_cb cb,
              void *ctx);

int pg_sightings(struct store *s, const char *theatre, int64_t from_ms, int64_t to_ms,
                 store_sighting_cb cb, void *ctx);

int pg_timeline(struct store *s, const char *theatre, int64_t from_ms, int64_t to_ms,
                bool military_only, store_day_cb cb, void *ctx);

int pg_time_range(struct store *s, int64_t *first_ms, int64_t *last_ms);

int pg_raw_get(struct store *s, int64_t id,
               int (*cb)(void *ctx, const struct store_raw *raw, const char *source), void *ctx);

int pg_ext_events(struct store *s, const struct store_ext_filter *f, store_ext_event_cb cb,
                  void *ctx);

int pg_claims(struct store *s, int64_t id, store_claim_cb cb, void *ctx);

/* The operations table (store_pg.c); store_pg_copy_from checks that its
 * destination is a PostgreSQL store with it. */
extern const struct store_ops pg_ops;

#endif /* ORBAT_STORE_STORE_PG_INT_H */
