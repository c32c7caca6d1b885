/* SPDX-License-Identifier: BSD-2-Clause
 *
 * store.h - the persistent store behind `orbat ingest` and the reports: sources,
 * raw messages, assets, thinned observations, per-day presence, events and
 * manual sightings, with provenance from every claim back to the bytes.
 *
 * The store is an interface (struct store_ops); store_sqlite.c is the one
 * backend today and the only file in orbat that includes <sqlite3.h>. A
 * PostgreSQL backend can be added behind the same operations. Callers use
 * the store_* wrappers below and never see SQL. docs/store.md describes the
 * schema, the provenance model and the idempotency / crash-safety design.
 *
 * Writes go through store_begin/store_commit (one transaction per batch);
 * every write is idempotent, so re-running an interrupted ingest completes
 * it without duplicating anything.
 *
 * Ownership: store_open returns a heap object freed with store_close (NULL
 * safe). Structs passed to callbacks, and their strings, are borrowed for
 * the duration of the callback. Strings in structs are NUL-terminated and
 * truncated to their array size.
 */
#ifndef ORBAT_STORE_STORE_H
#define ORBAT_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "orbat/orbat.h"

/* Asset kinds: the values of enum obs_kind, plus manual sightings. */
enum store_kind {
    STORE_SHIP = 1,
    STORE_AIRCRAFT = 2,
    STORE_SIGHTED = 3, /* known only from manual sightings; ident is 0 */
};

/* Thinning: at most one stored observation per asset per bucket. */
#define STORE_BUCKET_MS 60000
#define STORE_DAY_MS    86400000LL

struct store_source {
    int64_t id;
    char name[256];
    char sha256[65]; /* lowercase hex of the file's bytes as read (after gunzip) */
    uint64_t bytes;
    int64_t t_first_ms, t_last_ms; /* time range of the data; 0 when unknown */
    uint64_t messages;             /* observations decoded from it */
    bool complete;                 /* ingest finished */
    bool simulated;                /* its data is a simulation (OBS_F_SIMULATED), not real */
    char licence[160];             /* attribution and licence of an archive's data; "" if none */
};

struct store_asset {
    int64_t id;        /* store row id; set by store_asset_put */
    int kind;          /* enum store_kind */
    uint32_t ident;    /* MMSI or ICAO address; 0 for STORE_SIGHTED */
    char name[64];     /* ship name / aircraft name or operator */
    char callsign[16]; /* AIS call sign or ADS-B flight id */
    char hull[32];     /* hull number (ships) or registration (aircraft) */
    char country[48];
    char category[32];         /* "warship", "military aircraft", "civil" ... */
    char role[48];             /* "destroyer", "tanker", "maritime patrol" ... */
    double confidence;         /* 0..1 of the identification */
    bool military;             /* belongs in the order of battle */
    char reasons[512];         /* why it was identified so, '; '-separated */
    int64_t first_ms, last_ms; /* first/last observation anywhere */
    int64_t raw_id;            /* raw message that last fed the identity, 0 if none */
};

struct store_obs {
    int64_t asset_id;
    int64_t t_ms;
    double lat, lon;
    double sog_kn, cog_deg; /* NaN when unknown */
    int32_t alt_ft;         /* INT32_MIN when unknown */
    char theatre[32];       /* theatre containing the position, "" if none */
    int64_t raw_id;         /* raw message it came from, 0 if none */
    int64_t source_id;
};

struct store_event {
    int64_t id;
    int64_t asset_id;
    int64_t t_ms;
    char type[32];    /* "enter", "leave", "first_seen", "emergency", ... */
    char theatre[32]; /* "" when not tied to a theatre */
    double lat, lon;  /* NaN when unknown */
    char detail[256];
    int64_t raw_id;
};

struct store_sighting {
    int64_t id;
    char name[64];
    int64_t t_ms;
    double lat, lon;
    char theatre[32];
    char source_url[512];
    char note[512];
    double confidence; /* distinct from transponder confidence; default 0.5 */
    char category[32];
    char role[48];
    char country[48];
    int64_t asset_id; /* asset it was joined to (by name or hull), 0 if none */
};

/* An event detected by someone else (Global Fishing Watch ...), stored with
 * its provenance and licence in a table of its own, never among orbat's
 * events. Unique per (provider, ext_id): importing it again replaces the
 * row's fields (the provider's latest answer wins) and adds no row. */
struct store_ext_event {
    int64_t id;
    char source[256];             /* the imported file's name as given */
    char provider[16];            /* "gfw" */
    char licence[32];             /* "CC BY-NC 4.0" */
    char ext_id[128];             /* the provider's event id */
    char type[32];                /* the provider's type ("encounter", "port_visit" ...) */
    int64_t t_start_ms, t_end_ms; /* end = start for an instant */
    double lat, lon;              /* NaN when unknown */
    uint32_t mmsi;                /* the vessel's MMSI, 0 when unknown */
    char name[64];                /* the vessel's name according to the provider */
    char flag[8];                 /* and its flag */
    uint32_t other_mmsi;          /* encounters: the other vessel, else 0 */
    char detail[256];
    const char *raw; /* the provider's JSON of the event (borrowed) */
    size_t raw_len;
    /* Read side only: the orbat ship asset with this MMSI, resolved when
     * read (so an asset ingested after the import is found), 0 if none. */
    int64_t asset_id;
};

/* Which external events to read: those whose [t_start, t_end] overlaps
 * [from_ms, to_ms], of a type and vessel ("" / 0 = any). */
struct store_ext_filter {
    int64_t from_ms, to_ms;
    const char *provider;
    const char *type;
    uint32_t mmsi;
};

/* A claim from public reporting (src/claims/claim.h holds its structured
 * form as a canonical spec). Unique per (spec, text, source_url): adding it
 * again adds no row. */
struct store_claim {
    int64_t id;
    char kind[16];          /* "distance", "presence", "absence", "count", "incident" */
    char spec[1024];        /* canonical spec (claim_format_spec) */
    char text[512];         /* the claim as published; "" if not given */
    char source_url[512];   /* where it was published */
    char claimant[128];     /* who made it */
    int64_t published_ms;   /* publication time, 0 unknown */
    int64_t from_ms, to_ms; /* the window the claim is about */
    int64_t added_ms;       /* when it was stored */
};

struct store_raw {
    int64_t id;
    int64_t source_id;
    uint64_t offset; /* byte offset in the (decompressed) source */
    const char *data;
    size_t len;
};

/* One observation with its raw message and source, for evidence/export. */
struct store_obs_row {
    struct store_obs obs;
    uint64_t raw_offset;
    const char *raw; /* NULL when there is no raw message */
    size_t raw_len;
    const char *source; /* source name, NULL when unknown */
};

/* Presence of one asset in a theatre over a time range (from the per-day
 * summary): first and last time seen, count of thinned observations, and the
 * last position inside the range. */
struct store_presence {
    struct store_asset asset;
    int64_t first_ms, last_ms;
    uint64_t n_obs;
    double last_lat, last_lon;
};

/* Assets present per day per category (timeline). */
struct store_day_count {
    int64_t day; /* unix day number (t_ms / STORE_DAY_MS) */
    const char *category;
    uint64_t assets;
};

struct store_counts {
    uint64_t sources, raw, assets, observations, events, sightings;
    uint64_t simulated_sources; /* sources whose data came from orbat simulate */
};

typedef int (*store_source_cb)(void *ctx, const struct store_source *src);
typedef int (*store_asset_cb)(void *ctx, const struct store_asset *a);
typedef int (*store_obs_cb)(void *ctx, const struct store_obs_row *row);
typedef int (*store_presence_cb)(void *ctx, const struct store_presence *p);
typedef int (*store_event_cb)(void *ctx, const struct store_event *e, const struct store_asset *a);
typedef int (*store_sighting_cb)(void *ctx, const struct store_sighting *s);
typedef int (*store_day_cb)(void *ctx, const struct store_day_count *d);
typedef int (*store_ext_event_cb)(void *ctx, const struct store_ext_event *x);
typedef int (*store_claim_cb)(void *ctx, const struct store_claim *c);

struct store;

/* A backend. Every operation returns ORBAT_OK or a negative enum orbat_err
 * (ORBAT_E_DB with the backend's message in store_errmsg). Iterators stop
 * early, returning the callback's value, when the callback returns non-zero. */
struct store_ops {
    const char *name;
    void (*close)(struct store *s);
    const char *(*errmsg)(struct store *s);
    int (*begin)(struct store *s);
    int (*commit)(struct store *s);
    /* Undo the open transaction, if any (a no-op otherwise); the store
     * error message is kept. */
    int (*rollback)(struct store *s);
    int (*integrity_check)(struct store *s);
    int (*counts)(struct store *s, struct store_counts *out);

    /* Writes. */
    int (*source_begin)(struct store *s,
                        struct store_source *src); /* by sha256; sets id, complete */
    int (*source_finish)(struct store *s, const struct store_source *src);
    int (*raw_put)(struct store *s, struct store_raw *raw);   /* sets id */
    int (*asset_put)(struct store *s, struct store_asset *a); /* upsert; sets id */
    /* Store a thinned observation: kept when its (asset, minute) is new or
     * it is earlier than the one held. raw (may be NULL) is its raw message:
     * stored and referenced when the observation is kept (raw->id set), not
     * stored otherwise. Returns ORBAT_OK when kept, ORBAT_AGAIN when not. */
    int (*obs_put)(struct store *s, const struct store_obs *o, struct store_raw *raw);
    int (*event_put)(struct store *s, struct store_event *e);        /* sets id */
    int (*sighting_put)(struct store *s, struct store_sighting *sg); /* sets id, asset_id */

    /* Queries. */
    int (*sources)(struct store *s, store_source_cb cb, void *ctx);
    int (*asset_get)(struct store *s, int64_t id, struct store_asset *out);
    int (*asset_find)(struct store *s, const char *key, store_asset_cb cb, void *ctx);
    int (*presence)(struct store *s, const char *theatre, int64_t from_ms, int64_t to_ms,
                    bool military_only, store_presence_cb cb, void *ctx);
    int (*observations)(struct store *s, int64_t asset_id, int64_t from_ms, int64_t to_ms,
                        store_obs_cb cb, void *ctx);
    int (*events)(struct store *s, const char *type, int64_t from_ms, int64_t to_ms,
                  store_event_cb cb, void *ctx);
    int (*sightings)(struct store *s, const char *theatre, int64_t from_ms, int64_t to_ms,
                     store_sighting_cb cb, void *ctx);
    int (*timeline)(struct store *s, const char *theatre, int64_t from_ms, int64_t to_ms,
                    bool military_only, store_day_cb cb, void *ctx);
    /* Time of the first and last stored observation or sighting;
     * ORBAT_E_NOTFOUND if there is none. */
    int (*time_range)(struct store *s, int64_t *first_ms, int64_t *last_ms);
    /* The raw message with this id (data borrowed for the callback). */
    int (*raw_get)(struct store *s, int64_t id,
                   int (*cb)(void *ctx, const struct store_raw *raw, const char *source),
                   void *ctx);

    /* External events (struct store_ext_event). put: ORBAT_OK when the row
     * is new, ORBAT_AGAIN when (provider, ext_id) was there (its fields
     * replaced); sets x->id. The iterator goes in t_start, id order. */
    int (*ext_event_put)(struct store *s, struct store_ext_event *x);
    int (*ext_events)(struct store *s, const struct store_ext_filter *f, store_ext_event_cb cb,
                      void *ctx);

    /* Claims (struct store_claim). put: ORBAT_OK when new, ORBAT_AGAIN when
     * the same claim was there; sets c->id (and added_ms when 0). The
     * iterator gives claim id (0: all) in id order. */
    int (*claim_put)(struct store *s, struct store_claim *c);
    int (*claims)(struct store *s, int64_t id, store_claim_cb cb, void *ctx);
};

struct store {
    const struct store_ops *ops;
};

/* Open (creating and migrating as needed) the store at URL: a file path or
 * "sqlite:PATH". On failure returns NULL and, when errmsg is not NULL, writes
 * a message into errmsg (errmsg_size bytes). */
struct store *store_open(const char *url, char *errmsg, size_t errmsg_size);
/* Open an existing store for reading only (queries; writes fail). SQLite
 * opens the file read-only, so neither the file nor its directory need be
 * writable, and does not migrate: a schema older than this orbat's is an
 * error (store_open migrates it). PostgreSQL opens as store_open does. */
struct store *store_open_reader(const char *url, char *errmsg, size_t errmsg_size);
void store_close(struct store *s);

/* The SQLite backend (store_sqlite.c). */
struct store *store_sqlite_open(const char *path, char *errmsg, size_t errmsg_size);
struct store *store_sqlite_open_reader(const char *path, char *errmsg, size_t errmsg_size);
/* The schema version the SQLite backend migrates to. */
int store_sqlite_schema_version(void);

/* The inline wrappers: the one way callers reach a backend. */
static inline const char *store_errmsg(struct store *s)
{
    return s->ops->errmsg(s);
}
static inline int store_begin(struct store *s)
{
    return s->ops->begin(s);
}
static inline int store_commit(struct store *s)
{
    return s->ops->commit(s);
}
static inline int store_rollback(struct store *s)
{
    return s->ops->rollback(s);
}
static inline int store_integrity_check(struct store *s)
{
    return s->ops->integrity_check(s);
}
static inline int store_counts(struct store *s, struct store_counts *out)
{
    return s->ops->counts(s, out);
}
static inline int store_source_begin(struct store *s, struct store_source *src)
{
    return s->ops->source_begin(s, src);
}
static inline int store_source_finish(struct store *s, const struct store_source *src)
{
    return s->ops->source_finish(s, src);
}
static inline int store_raw_put(struct store *s, struct store_raw *raw)
{
    return s->ops->raw_put(s, raw);
}
static inline int store_asset_put(struct store *s, struct store_asset *a)
{
    return s->ops->asset_put(s, a);
}
static inline int store_obs_put(struct store *s, const struct store_obs *o, struct store_raw *raw)
{
    return s->ops->obs_put(s, o, raw);
}
static inline int store_event_put(struct store *s, struct store_event *e)
{
    return s->ops->event_put(s, e);
}
static inline int store_sighting_put(struct store *s, struct store_sighting *sg)
{
    return s->ops->sighting_put(s, sg);
}
static inline int store_sources(struct store *s, store_source_cb cb, void *ctx)
{
    return s->ops->sources(s, cb, ctx);
}
static inline int store_asset_get(struct store *s, int64_t id, struct store_asset *out)
{
    return s->ops->asset_get(s, id, out);
}
static inline int store_asset_find(struct store *s, const char *key, store_asset_cb cb, void *ctx)
{
    return s->ops->asset_find(s, key, cb, ctx);
}
static inline int store_presence(struct store *s, const char *theatre, int64_t from_ms,
                                 int64_t to_ms, bool military_only, store_presence_cb cb, void *ctx)
{
    return s->ops->presence(s, theatre, from_ms, to_ms, military_only, cb, ctx);
}
static inline int store_observations(struct store *s, int64_t asset_id, int64_t from_ms,
                                     int64_t to_ms, store_obs_cb cb, void *ctx)
{
    return s->ops->observations(s, asset_id, from_ms, to_ms, cb, ctx);
}
static inline int store_events(struct store *s, const char *type, int64_t from_ms, int64_t to_ms,
                               store_event_cb cb, void *ctx)
{
    return s->ops->events(s, type, from_ms, to_ms, cb, ctx);
}
static inline int store_sightings(struct store *s, const char *theatre, int64_t from_ms,
                                  int64_t to_ms, store_sighting_cb cb, void *ctx)
{
    return s->ops->sightings(s, theatre, from_ms, to_ms, cb, ctx);
}
static inline int store_timeline(struct store *s, const char *theatre, int64_t from_ms,
                                 int64_t to_ms, bool military_only, store_day_cb cb, void *ctx)
{
    return s->ops->timeline(s, theatre, from_ms, to_ms, military_only, cb, ctx);
}

static inline int store_time_range(struct store *s, int64_t *first_ms, int64_t *last_ms)
{
    return s->ops->time_range(s, first_ms, last_ms);
}
static inline int
store_raw_get(struct store *s, int64_t id,
              int (*cb)(void *ctx, const struct store_raw *raw, const char *source), void *ctx)
{
    return s->ops->raw_get(s, id, cb, ctx);
}

static inline int store_ext_event_put(struct store *s, struct store_ext_event *x)
{
    return s->ops->ext_event_put(s, x);
}
static inline int store_ext_events(struct store *s, const struct store_ext_filter *f,
                                   store_ext_event_cb cb, void *ctx)
{
    return s->ops->ext_events(s, f, cb, ctx);
}

static inline int store_claim_put(struct store *s, struct store_claim *c)
{
    return s->ops->claim_put(s, c);
}
static inline int store_claims(struct store *s, int64_t id, store_claim_cb cb, void *ctx)
{
    return s->ops->claims(s, id, cb, ctx);
}

/* Helpers shared by backends and callers (store_util.c). */
void store_strlcpy(char *dst, const char *src, size_t size);
/* 64-bit FNV-1a of n bytes (content key of raw messages). */
uint64_t store_hash64(const void *p, size_t n);
/* The number of sources and of simulated sources, from the sources
 * iterator (a few rows): what reports need to label simulated data, without
 * store_counts' full-table counts of raw messages and observations. */
int store_source_counts(struct store *s, uint64_t *sources, uint64_t *simulated);
/* The distinct attribution/licence lines of the sources (archives), each
 * ending in '\n', into buf (what fits; "" when none). */
int store_source_licences(struct store *s, char *buf, size_t size);

#endif /* ORBAT_STORE_STORE_H */
