/* SPDX-License-Identifier: BSD-2-Clause
 *
 * track.h - per-asset state: a hash table keyed by (kind, id) holding the
 * latest position, velocity, altitude and identity of every ship (MMSI)
 * and aircraft (ICAO address), the CPR frame pair state that turns raw
 * Mode S positions into lat/lon, position plausibility checks, history
 * thinning and expiry.
 *
 * Aircraft CPR (DO-260B A.1.7) is resolved as readsb does it: a global
 * decode of an even/odd pair received within 10 s (surface 25 s), else a
 * local decode against the aircraft's own last position when that is
 * recent (10 min) and within half a zone; every result must also pass the
 * speed check. Speed check (ships and aircraft): the distance from the last
 * accepted position must not exceed what the maximum speed allows in the
 * elapsed time plus a margin; rejected positions are counted, and after
 * TRACK_MAX_REJECTS consecutive rejections the new position is taken as a
 * fresh start (the old one was the bad one).
 *
 * Time is the data's (obs.t_ms), never the wall clock.
 *
 * Memory: one struct track_asset (TRACK_ASSET_BYTES, with TRACK_USER_BYTES
 * reserved for the events engine) in 4096-asset chunks plus 8 bytes of
 * hash slots per asset. Pointers to assets are stable until the asset is
 * removed. Ownership: track_new/track_free (NULL-safe).
 */
#ifndef ORBAT_TRACK_TRACK_H
#define ORBAT_TRACK_TRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/obs.h"

#define TRACK_USER_BYTES  328
#define TRACK_MAX_REJECTS 3

struct track_cfg {
    /* plausibility */
    double ship_max_kn;    /* default 60: faster than any ship on AIS */
    double air_max_kn;     /* default 1000 (readsb-like generous bound) */
    double surface_max_kn; /* default 150: aircraft on the ground */
    double jump_margin_nm; /* default 0.5: slack added to speed * dt */
    /* CPR (DO-260B A.1.7.7: pair within 10 s airborne; readsb uses 25 s surface) */
    int64_t cpr_pair_ms;      /* default 10000 */
    int64_t cpr_pair_surf_ms; /* default 25000 */
    int64_t cpr_local_ms;     /* default 600000: local decode reference age */
    double cpr_local_max_nm;  /* default 180 airborne (half a zone) */
    /* thinning: keep a point when any of these is exceeded since the last kept */
    int64_t thin_max_ms; /* default 300000 (5 min) */
    double thin_dist_nm; /* default 2 */
    double thin_cog_deg; /* default 15 */
    double thin_sog_kn;  /* default 3 */
    int32_t thin_alt_ft; /* default 1000 */
    /* expiry of silent assets */
    int64_t expire_ship_ms; /* default 72 h (must exceed the AIS-gap threshold) */
    int64_t expire_air_ms;  /* default 1 h */
};

void track_cfg_default(struct track_cfg *c);

/* A compact fix reference (time, position, provenance). */
struct track_fixref {
    int64_t t_ms;
    double lat, lon;
    uint64_t offset; /* source byte offset of the observation */
    uint32_t src;    /* index in the engine's source-name table */
    float path_nm;   /* in track_asset.pos: path flown since the last kept
                      * point (thinning), INFINITY when unknown; else unused */
};

enum track_afl {
    TRACK_AF_HAS_POS = 1u << 0,
    TRACK_AF_CPR_EVEN = 1u << 1,
    TRACK_AF_CPR_ODD = 1u << 2,
    TRACK_AF_SURFACE = 1u << 3,
    TRACK_AF_KEPT = 1u << 4, /* a thinned point has been kept */
    TRACK_AF_LIVE = 1u << 7,
};

struct track_asset {
    uint32_t id;
    uint8_t kind;    /* enum obs_kind */
    uint8_t flags;   /* enum track_afl */
    uint8_t rejects; /* consecutive rejected positions */
    uint8_t pad0;
    int64_t t_first_ms, t_last_ms; /* any observation */
    struct track_fixref pos;       /* last accepted position */
    float sog_kn, cog_deg;         /* NAN when unknown */
    int32_t alt_ft;                /* INT32_MIN when unknown */
    uint32_t nobs;
    uint32_t cpr_even_lat, cpr_even_lon, cpr_odd_lat, cpr_odd_lon;
    int64_t cpr_even_ms, cpr_odd_ms;
    /* thinning: the last kept point */
    int64_t kept_ms;
    float kept_lat, kept_lon, kept_sog, kept_cog;
    int32_t kept_alt;
    char callsign[12];
    _Alignas(8) unsigned char user[TRACK_USER_BYTES]; /* events engine state */
};

#define TRACK_ASSET_BYTES sizeof(struct track_asset)

enum track_pos {
    TRACK_POS_NONE = 0, /* the observation carried no position */
    TRACK_POS_OK,       /* a new accepted position */
    TRACK_POS_JUMP,     /* rejected: speed-implied jump */
    TRACK_POS_NULL,     /* rejected: 0,0 ("null island") */
    TRACK_POS_OLD,      /* rejected: older than the last accepted position */
    TRACK_POS_CPR_WAIT, /* CPR frame stored, not yet resolvable */
    TRACK_POS_CPR_FAIL, /* CPR pair inconsistent (zone change) or out of range */
    TRACK_POS_NREASONS
};

struct track_stats {
    uint64_t updates, assets_new, assets_expired;
    uint64_t pos[TRACK_POS_NREASONS];
    uint64_t cpr_global, cpr_local;
    uint64_t kept_points;
    uint64_t live;
};

struct track_table;

struct track_table *track_new(const struct track_cfg *cfg);
void track_free(struct track_table *t);

/* What an update changed, besides the asset itself. */
struct track_upd {
    bool is_new;                  /* the asset was created by this observation */
    enum track_pos pos;           /* what happened to its position */
    int64_t prev_last_ms;         /* t_last_ms before this observation (0 when new) */
    bool had_pos;                 /* prev_pos is valid */
    struct track_fixref prev_pos; /* the last accepted position before this one */
    double step_nm;               /* pos OK or JUMP: geo_fast_nm from the last accepted
                                   * position (relative error < 0.5%); INFINITY when
                                   * there was none */
};

/* Apply one observation. Returns the asset, or NULL when out of memory.
 * src is the interned source index stored in fix refs. */
struct track_asset *track_update(struct track_table *t, const struct obs *o, uint32_t src,
                                 struct track_upd *u);
struct track_asset *track_find(struct track_table *t, enum obs_kind kind, uint32_t id);

/* Thinning: after an accepted position, decide whether it is kept as a
 * history point (force: an event point). Updates the kept state. */
bool track_thin(struct track_table *t, struct track_asset *a, bool force);

/* Call fn on every live asset (in table order). */
void track_foreach(struct track_table *t, void (*fn)(void *ctx, struct track_asset *a), void *ctx);
/* Remove an asset (the pointer becomes invalid). */
void track_remove(struct track_table *t, struct track_asset *a);
/* True when a has been silent long enough at data time now_ms to expire. */
bool track_expired(const struct track_table *t, const struct track_asset *a, int64_t now_ms);

const struct track_stats *track_get_stats(const struct track_table *t);
/* Heap bytes held (chunks + hash). */
size_t track_mem(const struct track_table *t);
const char *track_pos_name(enum track_pos p);

#endif /* ORBAT_TRACK_TRACK_H */
