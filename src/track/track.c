/* SPDX-License-Identifier: BSD-2-Clause
 *
 * track.c - the asset table (chunked slab + linear-probing hash with
 * backward-shift deletion), position plausibility, CPR resolution and
 * history thinning. See track.h.
 */
#include "track/track.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geo/geodesic.h"
#include "orbat/modes.h"

#define CHUNK_BITS 12
#define CHUNK      (1u << CHUNK_BITS)
/* A hash entry: slot index + 1 in the low IDX_BITS (0 = empty), and 8 bits
 * of the key's hash above them, so that a probe touches (cache-misses) an
 * asset only when its tag matches. */
#define IDX_BITS         24
#define IDX_MASK         ((1u << IDX_BITS) - 1)
#define TRACK_MAX_ASSETS (IDX_MASK - 1)

_Static_assert(sizeof(struct track_asset) + 8 <= 512, "asset state must stay within 512 bytes");

struct track_table {
    struct track_cfg cfg;
    struct track_asset **chunks;
    uint32_t nchunks, used; /* slots handed out (high-water mark) */
    uint32_t *free_list;    /* recycled slot indexes */
    uint32_t nfree, capfree;
    uint32_t *hash; /* tag << IDX_BITS | (slot index + 1); 0 = empty */
    uint32_t hcap;  /* power of two */
    uint32_t live;
    struct track_stats st;
};

void track_cfg_default(struct track_cfg *c)
{
    c->ship_max_kn = 60;
    c->air_max_kn = 1000;
    c->surface_max_kn = 150;
    c->jump_margin_nm = 0.5;
    c->cpr_pair_ms = 10000;
    c->cpr_pair_surf_ms = 25000;
    c->cpr_local_ms = 600000;
    c->cpr_local_max_nm = 180;
    c->thin_max_ms = 300000;
    c->thin_dist_nm = 2;
    c->thin_cog_deg = 15;
    c->thin_sog_kn = 3;
    c->thin_alt_ft = 1000;
    c->expire_ship_ms = 72ll * 3600 * 1000;
    c->expire_air_ms = 3600ll * 1000;
}

static inline uint64_t key_of(unsigned kind, uint32_t id)
{
    return ((uint64_t)kind << 32) | id;
}

static inline uint32_t hash64(uint64_t x)
{
    // splitmix64 finaliser
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return (uint32_t)x;
}

static inline struct track_asset *slot(const struct track_table *t, uint32_t i)
{
    return &t->chunks[i >> CHUNK_BITS][i & (CHUNK - 1)];
}

struct track_table *track_new(const struct track_cfg *cfg)
{
    struct track_table *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    if (cfg)
        t->cfg = *cfg;
    else
        track_cfg_default(&t->cfg);
    t->hcap = 1024;
    t->hash = calloc(t->hcap, sizeof(uint32_t));
    if (!t->hash) {
        free(t);
        return NULL;
    }
    return t;
}

void track_free(struct track_table *t)
{
    if (!t)
        return;
    for (uint32_t i = 0; i < t->nchunks; i++)
        free(t->chunks[i]);
    free(t->chunks);
    free(t->free_list);
    free(t->hash);
    free(t);
}

static int rehash(struct track_table *t, uint32_t ncap)
{
    uint32_t *nh = calloc(ncap, sizeof(uint32_t));
    if (!nh)
        return -1;
    for (uint32_t i = 0; i < t->hcap; i++) {
        if (!t->hash[i])
            continue;
        struct track_asset *a = slot(t, (t->hash[i] & IDX_MASK) - 1);
        uint32_t h = hash64(key_of(a->kind, a->id)) & (ncap - 1);
        while (nh[h])
            h = (h + 1) & (ncap - 1);
        nh[h] = t->hash[i];
    }
    free(t->hash);
    t->hash = nh;
    t->hcap = ncap;
    return 0;
}

static inline uint32_t tag_of(uint32_t hv)
{
    return hv >> 24 << IDX_BITS;
}

static uint32_t *find_slot(const struct track_table *t, unsigned kind, uint32_t id)
{
    uint32_t hv = hash64(key_of(kind, id)), tag = tag_of(hv);
    uint32_t h = hv & (t->hcap - 1);
    for (;;) {
        uint32_t v = t->hash[h];
        if (!v)
            return &t->hash[h];
        if ((v & ~IDX_MASK) == tag) {
            struct track_asset *a = slot(t, (v & IDX_MASK) - 1);
            if (a->id == id && a->kind == kind)
                return &t->hash[h];
        }
        h = (h + 1) & (t->hcap - 1);
    }
}

struct track_asset *track_find(struct track_table *t, enum obs_kind kind, uint32_t id)
{
    uint32_t *s = find_slot(t, kind, id);
    return *s ? slot(t, (*s & IDX_MASK) - 1) : NULL;
}

static struct track_asset *insert(struct track_table *t, unsigned kind, uint32_t id)
{
    if ((uint64_t)(t->live + 1) * 2 > t->hcap) {
        if (t->hcap >= (1u << 31) || rehash(t, t->hcap * 2) < 0)
            return NULL;
    }
    uint32_t idx;
    if (t->nfree) {
        idx = t->free_list[--t->nfree];
    } else {
        if (t->used >= TRACK_MAX_ASSETS)
            return NULL; // the hash entry holds a 24-bit index
        if (t->used == t->nchunks * CHUNK) {
            if (t->nchunks >= (1u << (32 - CHUNK_BITS)) - 1)
                return NULL;
            struct track_asset **nc = realloc(t->chunks, (t->nchunks + 1) * sizeof(*nc));
            if (!nc)
                return NULL;
            t->chunks = nc;
            t->chunks[t->nchunks] = malloc(CHUNK * sizeof(struct track_asset));
            if (!t->chunks[t->nchunks])
                return NULL;
            t->nchunks++;
        }
        idx = t->used++;
    }
    struct track_asset *a = slot(t, idx);
    memset(a, 0, sizeof(*a));
    a->id = id;
    a->kind = (uint8_t)kind;
    a->flags = TRACK_AF_LIVE;
    a->sog_kn = a->cog_deg = NAN;
    a->alt_ft = INT32_MIN;
    a->kept_alt = INT32_MIN;
    *find_slot(t, kind, id) = tag_of(hash64(key_of(kind, id))) | (idx + 1);
    t->live++;
    t->st.assets_new++;
    return a;
}

void track_remove(struct track_table *t, struct track_asset *a)
{
    uint32_t *s = find_slot(t, a->kind, a->id);
    if (!*s)
        return;
    uint32_t idx = (*s & IDX_MASK) - 1;
    // Backward-shift deletion keeps linear probing chains intact.
    uint32_t i = (uint32_t)(s - t->hash), mask = t->hcap - 1;
    for (uint32_t j = (i + 1) & mask; t->hash[j]; j = (j + 1) & mask) {
        struct track_asset *b = slot(t, (t->hash[j] & IDX_MASK) - 1);
        uint32_t home = hash64(key_of(b->kind, b->id)) & mask;
        // move j into the hole i if home is not cyclically in (i, j]
        bool between = (i <= j) ? (home > i && home <= j) : (home > i || home <= j);
        if (!between) {
            t->hash[i] = t->hash[j];
            i = j;
        }
    }
    t->hash[i] = 0;
    a->flags = 0;
    if (t->nfree == t->capfree) {
        uint32_t nc = t->capfree ? t->capfree * 2 : 1024;
        uint32_t *nf = realloc(t->free_list, nc * sizeof(uint32_t));
        if (!nf)
            return; // the slot leaks until the table is freed; never fatal
        t->free_list = nf;
        t->capfree = nc;
    }
    t->free_list[t->nfree++] = idx;
    t->live--;
    t->st.assets_expired++;
}

void track_foreach(struct track_table *t, void (*fn)(void *ctx, struct track_asset *a), void *ctx)
{
    for (uint32_t i = 0; i < t->used; i++) {
        struct track_asset *a = slot(t, i);
        if (a->flags & TRACK_AF_LIVE)
            fn(ctx, a);
    }
}

bool track_expired(const struct track_table *t, const struct track_asset *a, int64_t now_ms)
{
    int64_t lim = a->kind == OBS_SHIP ? t->cfg.expire_ship_ms : t->cfg.expire_air_ms;
    return now_ms - a->t_last_ms > lim;
}

/* Speed check (readsb speed_check idea): may the asset have moved from its
 * last accepted position to (lat, lon) in the elapsed time? */
static bool plausible(const struct track_table *t, const struct track_asset *a, double lat,
                      double lon, int64_t t_ms, bool surface, double *step_nm)
{
    *step_nm = INFINITY;
    if (!(a->flags & TRACK_AF_HAS_POS))
        return true;
    double max_kn = a->kind == OBS_SHIP ? t->cfg.ship_max_kn
                    : surface           ? t->cfg.surface_max_kn
                                        : t->cfg.air_max_kn;
    double dt_h = (double)(t_ms - a->pos.t_ms) / 3600000.0;
    if (dt_h < 0)
        dt_h = 0;
    double allowed = max_kn * dt_h + t->cfg.jump_margin_nm;
    double d = geo_fast_nm(a->pos.lat, a->pos.lon, lat, lon);
    *step_nm = d;
    if (d <= allowed)
        return true;
    // Near the limit the fast estimate decides nothing: ask the ellipsoid.
    return d < allowed * 1.01 && geo_dist_nm(a->pos.lat, a->pos.lon, lat, lon) <= allowed;
}

/* Resolve a CPR frame into lat, lon. Returns TRACK_POS_OK when resolved. */
static enum track_pos resolve_cpr(struct track_table *t, struct track_asset *a, const struct obs *o,
                                  double *lat, double *lon)
{
    bool surface = (o->flags & OBS_F_SURFACE) != 0;
    if (o->cpr_odd) {
        a->cpr_odd_lat = o->cpr_lat;
        a->cpr_odd_lon = o->cpr_lon;
        a->cpr_odd_ms = o->t_ms;
        a->flags |= TRACK_AF_CPR_ODD;
    } else {
        a->cpr_even_lat = o->cpr_lat;
        a->cpr_even_lon = o->cpr_lon;
        a->cpr_even_ms = o->t_ms;
        a->flags |= TRACK_AF_CPR_EVEN;
    }
    // A change between airborne and surface encodings invalidates the pair.
    if (surface != ((a->flags & TRACK_AF_SURFACE) != 0)) {
        a->flags &= (uint8_t) ~(TRACK_AF_CPR_EVEN | TRACK_AF_CPR_ODD);
        a->flags |= o->cpr_odd ? TRACK_AF_CPR_ODD : TRACK_AF_CPR_EVEN;
        a->flags =
            surface ? (a->flags | TRACK_AF_SURFACE) : (a->flags & (uint8_t)~TRACK_AF_SURFACE);
    }
    bool have_ref = (a->flags & TRACK_AF_HAS_POS) && o->t_ms - a->pos.t_ms <= t->cfg.cpr_local_ms;
    int64_t pair_ms = surface ? t->cfg.cpr_pair_surf_ms : t->cfg.cpr_pair_ms;
    bool pair = (a->flags & TRACK_AF_CPR_EVEN) && (a->flags & TRACK_AF_CPR_ODD) &&
                llabs(a->cpr_even_ms - a->cpr_odd_ms) <= pair_ms;
    enum orbat_err e = ORBAT_E_CPR;
    if (pair) {
        // DO-260B A.1.7.7 (airborne) and A.1.7.8 (surface, needs a reference).
        if (!surface)
            e = orbat_modes_cpr_global_airborne(a->cpr_even_lat, a->cpr_even_lon, a->cpr_odd_lat,
                                                a->cpr_odd_lon, o->cpr_odd, lat, lon);
        else if (have_ref)
            e = orbat_modes_cpr_global_surface(a->pos.lat, a->pos.lon, a->cpr_even_lat,
                                               a->cpr_even_lon, a->cpr_odd_lat, a->cpr_odd_lon,
                                               o->cpr_odd, lat, lon);
        if (e == ORBAT_OK) {
            t->st.cpr_global++;
            return TRACK_POS_OK;
        }
    }
    if (have_ref) {
        // DO-260B A.1.7.5 and A.1.7.6: local decode against our own last position.
        e = orbat_modes_cpr_local(a->pos.lat, a->pos.lon, o->cpr_lat, o->cpr_lon, o->cpr_odd,
                                  surface, lat, lon);
        double lim = surface ? t->cfg.cpr_local_max_nm / 4 : t->cfg.cpr_local_max_nm;
        if (e == ORBAT_OK && geo_fast_nm(a->pos.lat, a->pos.lon, *lat, *lon) <= lim) {
            t->st.cpr_local++;
            return TRACK_POS_OK;
        }
        return TRACK_POS_CPR_FAIL;
    }
    return pair ? TRACK_POS_CPR_FAIL : TRACK_POS_CPR_WAIT;
}

struct track_asset *track_update(struct track_table *t, const struct obs *o, uint32_t src,
                                 struct track_upd *u)
{
    t->st.updates++;
    u->is_new = false;
    u->pos = TRACK_POS_NONE;
    u->step_nm = INFINITY;
    uint32_t *s = find_slot(t, o->kind, o->id);
    struct track_asset *a;
    if (*s) {
        a = slot(t, (*s & IDX_MASK) - 1);
        // The asset is cold (one update per asset every few thousand):
        // ask for all its cache lines at once rather than one by one.
        for (size_t off = 64; off < sizeof(*a); off += 64)
            __builtin_prefetch((const char *)a + off, 1);
    } else {
        a = insert(t, o->kind, o->id);
        if (!a)
            return NULL;
        a->t_first_ms = o->t_ms;
        u->is_new = true;
    }
    u->prev_last_ms = u->is_new ? 0 : a->t_last_ms;
    u->had_pos = (a->flags & TRACK_AF_HAS_POS) != 0;
    u->prev_pos = a->pos;
    if (o->t_ms > a->t_last_ms)
        a->t_last_ms = o->t_ms;
    if (o->t_ms < a->t_first_ms || a->t_first_ms <= 0)
        a->t_first_ms = o->t_ms;
    a->nobs++;
    if (o->has & OBS_HAS_CALLSIGN)
        memcpy(a->callsign, o->callsign, sizeof a->callsign - 1);
    double lat = 0, lon = 0;
    enum track_pos p = TRACK_POS_NONE;
    if ((a->flags & TRACK_AF_HAS_POS) && (o->has & (OBS_HAS_POS | OBS_HAS_CPR)) &&
        o->t_ms < a->pos.t_ms) {
        p = TRACK_POS_OLD;
    } else if (o->has & OBS_HAS_POS) {
        lat = o->lat;
        lon = o->lon;
        p = TRACK_POS_OK;
    } else if ((o->has & OBS_HAS_CPR) && o->kind == OBS_AIRCRAFT) {
        p = resolve_cpr(t, a, o, &lat, &lon);
    }
    if (p == TRACK_POS_OK && lat == 0 && lon == 0)
        p = TRACK_POS_NULL;
    if (p == TRACK_POS_OK && !(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180))
        p = TRACK_POS_NULL;
    if (p == TRACK_POS_OK) {
        bool surface = (o->flags & OBS_F_SURFACE) != 0;
        if (!plausible(t, a, lat, lon, o->t_ms, surface, &u->step_nm)) {
            if (++a->rejects < TRACK_MAX_REJECTS) {
                p = TRACK_POS_JUMP;
            }
        }
        if (p == TRACK_POS_OK) {
            a->rejects = 0;
            // a step beyond the fast distance's error bound (300 nm) counts as unknown
            a->pos.path_nm = u->step_nm <= 100 ? a->pos.path_nm + (float)u->step_nm : INFINITY;
            a->pos.t_ms = o->t_ms;
            a->pos.lat = lat;
            a->pos.lon = lon;
            a->pos.offset = o->source_offset;
            a->pos.src = src;
            a->flags |= TRACK_AF_HAS_POS;
        }
    }
    if (o->has & OBS_HAS_SOG)
        a->sog_kn = (float)o->sog_kn;
    if (o->has & OBS_HAS_COG)
        a->cog_deg = (float)o->cog_deg;
    if (o->has & OBS_HAS_ALT)
        a->alt_ft = o->alt_ft;
    t->st.pos[p]++;
    u->pos = p;
    return a;
}

static double ang_diff(double a, double b)
{
    double d = fabs(a - b);
    if (d >= 360.0)
        d = fmod(d, 360.0);
    return d > 180 ? 360 - d : d;
}

bool track_thin(struct track_table *t, struct track_asset *a, bool force)
{
    const struct track_cfg *c = &t->cfg;
    bool keep = force || !(a->flags & TRACK_AF_KEPT) || a->pos.t_ms - a->kept_ms >= c->thin_max_ms;
    // The distance from the kept point is at most the path flown since
    // (each step a geo_fast_nm, error < 0.5% each way: x 1.02 covers it,
    // + 0.001 nm the float kept position), so a short path decides "no"
    // without the distance. Not near the poles, where the bound fails.
    if (!keep && !(a->pos.path_nm * 1.02f + 0.001f < c->thin_dist_nm && fabs(a->pos.lat) < 80) &&
        geo_fast_nm2(a->kept_lat, a->kept_lon, a->pos.lat, a->pos.lon) >=
            c->thin_dist_nm * c->thin_dist_nm)
        keep = true;
    if (!keep && !isnan(a->cog_deg) && !isnan(a->kept_cog) &&
        ang_diff(a->cog_deg, a->kept_cog) >= c->thin_cog_deg)
        keep = true;
    if (!keep && !isnan(a->sog_kn) && !isnan(a->kept_sog) &&
        fabs(a->sog_kn - a->kept_sog) >= c->thin_sog_kn)
        keep = true;
    if (!keep && a->alt_ft != INT32_MIN && a->kept_alt != INT32_MIN &&
        abs(a->alt_ft - a->kept_alt) >= c->thin_alt_ft)
        keep = true;
    if (!keep &&
        (isnan(a->kept_sog) != isnan(a->sog_kn) || isnan(a->kept_cog) != isnan(a->cog_deg)))
        keep = true;
    if (keep) {
        a->flags |= TRACK_AF_KEPT;
        a->pos.path_nm = 0;
        a->kept_ms = a->pos.t_ms;
        a->kept_lat = (float)a->pos.lat;
        a->kept_lon = (float)a->pos.lon;
        a->kept_sog = a->sog_kn;
        a->kept_cog = a->cog_deg;
        a->kept_alt = a->alt_ft;
        t->st.kept_points++;
    }
    return keep;
}

const struct track_stats *track_get_stats(const struct track_table *t)
{
    ((struct track_table *)t)->st.live = t->live;
    return &t->st;
}

size_t track_mem(const struct track_table *t)
{
    return sizeof(*t) + (size_t)t->nchunks * (CHUNK * sizeof(struct track_asset) + sizeof(void *)) +
           (size_t)t->hcap * sizeof(uint32_t) + (size_t)t->capfree * sizeof(uint32_t);
}

const char *track_pos_name(enum track_pos p)
{
    static const char *const n[TRACK_POS_NREASONS] = {"none", "ok",       "jump",    "null",
                                                      "old",  "cpr_wait", "cpr_fail"};
    return (unsigned)p < TRACK_POS_NREASONS ? n[p] : "?";
}
