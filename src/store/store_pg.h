/* SPDX-License-Identifier: BSD-2-Clause
 *
 * store_pg.h - the PostgreSQL/PostGIS backend of the store (store_pg.c),
 * chosen by store_open for "postgresql://..." / "postgres://..." URLs, and
 * the bulk copy of another store into it (`orbat db copy`). The design
 * (schema in schema "orbat", QGIS views in "public", COPY staging, advisory
 * locks for concurrent writers) is in docs/postgresql.md.
 *
 * Ownership: store_pg_open returns a heap object freed with store_close.
 */
#ifndef ORBAT_STORE_STORE_PG_H
#define ORBAT_STORE_STORE_PG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* True when URL names a PostgreSQL database (postgresql:// or postgres://). */
bool store_pg_url(const char *url);

/* Connect to the database at URL (a libpq connection URI), create the
 * PostGIS extension and migrate the schema as needed. NULL and a message in
 * errmsg on failure. */
struct store *store_pg_open(const char *url, char *errmsg, size_t errmsg_size);

/* The schema version the PostgreSQL backend migrates to. */
int store_pg_schema_version(void);

/* Copy every row of src (any backend) into dst, which must be an empty
 * PostgreSQL store, keeping row ids so that every reference (observation ->
 * raw -> source, event -> asset, ...) stays valid; the per-day presence
 * summary is rebuilt from the observations. One transaction: on failure
 * nothing is copied. copied (may be NULL) receives the row counts. */
int store_pg_copy_from(struct store *dst, struct store *src, struct store_counts *copied);

/* One UTC day partition of the observations (schema 8). Open: being
 * written, heap + primary key + BRIN(t_ms) only. Closed (store_pg_close_day):
 * one LineStringM row per asset in orbat.tracks (GiST-indexed: the area
 * queries' spatial index) and, when asked, a GiST index on its points; late
 * data opens it again. */
struct store_pg_day {
    int64_t day;       /* UTC day number: time in ms / STORE_DAY_MS */
    char part[64];     /* its table in schema orbat, observations_YYYYMMDD */
    bool closed;       /* index and tracks built */
    int64_t closed_ms; /* when it was closed; 0 while open */
    uint64_t n_obs;    /* closed: its observations (= the tracks' points) */
    uint64_t n_tracks; /* closed: its track rows (assets) */
};
typedef int (*store_pg_day_cb)(void *ctx, const struct store_pg_day *d);

/* The day partitions in day order. ORBAT_E_INVAL when s is not a
 * PostgreSQL store. */
int store_pg_days(struct store *s, store_pg_day_cb cb, void *ctx);

/* close-day flags: also build a sorted GiST index on the partition's points
 * (observations_YYYYMMDD_geom; not used by orbat's own queries). */
#define STORE_PG_POINTS_INDEX 1u

/* Close day (outside a write transaction): build its tracks (and with
 * STORE_PG_POINTS_INDEX in flags the GiST index of its partition's points),
 * in one transaction that holds the day's row in orbat.days (writers of
 * that day wait; other days are written meanwhile). ORBAT_E_NOTFOUND when
 * nothing is stored for the day, ORBAT_AGAIN when it is closed already.
 * out (may be NULL) receives the day. */
int store_pg_close_day(struct store *s, int64_t day, unsigned flags, struct store_pg_day *out);

/* Close every open day that ended at least margin_ms before the newest
 * stored observation (flags as store_pg_close_day); cb (may be NULL) is
 * called for each day closed. */
int store_pg_close_days(struct store *s, int64_t margin_ms, unsigned flags, store_pg_day_cb cb,
                        void *ctx);

/* Drop a day: its partition, tracks and presence rows (raw messages stay).
 * dropped (may be NULL) receives the number of observations removed. */
int store_pg_drop_day(struct store *s, int64_t day, uint64_t *dropped);

/* A lat/lon box in degrees (west <= east: no box across the antimeridian). */
struct store_pg_box {
    double south, west, north, east;
};
typedef int (*store_pg_area_cb)(void *ctx, const struct store_obs *o);

/* The observations inside box (edges included) and [from_ms, to_ms], in
 * (asset, time) order: closed days found through their tracks (the spatial
 * index), open days by a scan of their partition. A nonzero cb return stops
 * and is returned. ORBAT_E_INVAL for a store that is not PostgreSQL or an
 * empty / antimeridian box. */
int store_pg_area(struct store *s, const struct store_pg_box *box, int64_t from_ms, int64_t to_ms,
                  store_pg_area_cb cb, void *ctx);

#endif /* ORBAT_STORE_STORE_PG_H */
