/* SPDX-License-Identifier: BSD-2-Clause
 *
 * events.c - the events engine: per-observation tracking and detection of
 * zone crossings, closest approaches, AIS gaps, aircraft going dark,
 * loitering, encounters and port/airfield visits. See events.h and
 * docs/events.md for the definitions and their sources.
 */
#include "events/events.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geo/geodesic.h"

#define NDL            3    /* distance layers cached per asset (more are measured exactly) */
#define EV_DMEMO       1024 /* encounter distance cache entries (power of 2) */
#define DL_CAP_NM      ((float)GEO_LAYER_MAX_NM)
#define MAX_SOURCES    65535
#define ENC_CELL_DEG   0.01   /* >= 500 m in latitude; in longitude up to 60 deg */
#define DL_MAX_STEP_NM 100.0  /* larger steps reset the distance cache */
#define ORBIT_TRIM_DEG 30.0   /* a turn this large in one sense starts a pattern */
#define ORBIT_TOL_DEG  5.0    /* course noise: turn levels this close count as equal */
#define ORBIT_NM_DEG   60.0   /* local frame: nm per degree of latitude (arc-minutes) */
#define DL_ODO_REBASE  4096.0 /* odometer origin shift (float ulp 0.0005 nm) */

/* A compact fix: 24 bytes. ref = source offset << 16 | source index. */
struct ev_fix {
    int64_t t_ms;
    float lat, lon;
    uint64_t ref;
};

enum ev_st {
    ST_FIRST = 1u << 0,
    ST_DARK = 1u << 1,
    ST_LOITER = 1u << 2,
    ST_LOIT_OK = 1u << 3,
    ST_GAP = 1u << 4,      /* a gap waits for its reappearance fix */
    ST_SLOW_IDX = 1u << 5, /* in the encounter index */
    ST_ENC_OK = 1u << 6,   /* eligible for encounters at slow_cell */
    ST_ORBIT = 1u << 7,    /* aircraft: an orbit is confirmed and open */
};

/* Aircraft: the orbit measurement (see orbit_update). The local frame is
 * equirectangular at s, x east and y north in nm (1 nm = 1 arc-minute). */
enum orb_phase {
    ORB_FREE = 0, /* no sense yet: s, q = latest fixes near the least / most turn */
    ORB_RIGHT,    /* turning right since s; q = the last fix that added turn */
    ORB_LEFT,     /* the same, turning left */
};

struct ev_orbit {
    struct ev_fix s; /* where the turning began */
    uint64_t q_ref;  /* q: see enum orb_phase */
    float q_lat, q_lon;
    int32_t q_dt;                /* q's time - s's time, ms */
    float turn, turn_q;          /* signed turn (deg, + = right) now and at q, from s */
    float crs;                   /* course of the last segment (deg); NAN none */
    float alat, alon;            /* where the current segment began */
    float mx, my, cxx, cyy, cxy; /* samples since s: mean, co-moments (Welford) */
    uint16_t n;                  /* samples (the shape uses the first 65535) */
    uint8_t n_pend;              /* samples since q, deferred (see orbit_update) */
    uint8_t phase;               /* enum orb_phase */
};

/* Ships: loitering, AIS gaps, the encounter index. */
struct ev_ship {
    float loit_sog_sum;
    uint32_t loit_n;
    uint32_t slow_cell;
    int64_t gap_t;      /* reappearance time of a pending gap */
    int64_t gap_last;   /* last observation before it */
    struct ev_fix loit; /* loiter start */
};

/* Per-asset engine state, kept inside track_asset.user. The fields every
 * position update reads come first (they share the asset's first cache
 * lines with the track state); the fixes of open spans follow. An asset's
 * kind never changes, so ship-only and aircraft-only state share bytes. */
struct ev_asset {
    /* distance cache per layer: the last exact distance and the odometer
     * reading where it was taken (see dl_bounds) */
    double odo; /* path flown (sum of steps x 1.01), nm, rebased */
    float dl_d[NDL], dl_odo[NDL];
    float amin_d[TH_MAX_APPROACH];
    uint32_t site; /* index + 1 of the site we are at, 0 none */
    uint8_t zin, zknown, appr_on, st;
    uint8_t pend_n[TH_MAX_ZONES];
    union {
        struct ev_ship sh;
        struct ev_orbit orb;
    } k;
    struct ev_fix pend[TH_MAX_ZONES];    /* first fix on the other side of a zone */
    struct ev_fix amin[TH_MAX_APPROACH]; /* closest fix of the open approach pass */
    struct ev_fix site_fix;              /* arrival at the current site */
    int64_t appr_t0[TH_MAX_APPROACH];    /* pass start */
};

_Static_assert(sizeof(struct ev_asset) <= TRACK_USER_BYTES, "ev_asset must fit track_asset.user");

/* chained u64-keyed map with a pooled entry array */
struct cmap {
    uint32_t *bkt; /* entry index + 1 */
    uint32_t nb;
    unsigned char *ent;
    size_t esz;
    unsigned shift;         /* bucket = hash(key >> shift): 32 groups a cell's entries */
    uint32_t n, cap, freeh; /* freeh: free list head (index + 1) */
};

struct cm_hdr {
    uint64_t key;
    uint32_t next;
    uint32_t used;
};

struct slow_ent {
    struct cm_hdr h; /* key: cell << 32 | id */
};

struct pair_ent {
    struct cm_hdr h; /* key: low id << 32 | high id */
    int64_t t_start, t_last;
    float min_m;
    struct ev_fix a0, a1; /* the low-id ship's fixes at start and end */
};

struct ev_engine {
    struct ev_config cfg;
    struct theatre *th;
    ev_cb cb;
    void *ctx;
    ev_point_cb pcb;
    void *pctx;
    struct track_table *tt;
    struct ev_stats st;
    int64_t clock_ms, next_sweep_ms;
    /* distance layers */
    struct geo_layer *dl[NDL];
    int ndl;
    int dl_of_zone[TH_MAX_ZONES], dl_of_appr[TH_MAX_APPROACH];
    int dl_poly_zone[TH_MAX_ZONES]; /* dl index + 1 of a polygon zone's layer, 0 none */
    /* sources */
    char **src;
    uint32_t nsrc, capsrc, last_src;
    const char *last_src_ptr;
    /* the observation being processed (for raw refs) */
    const struct obs *cur;
    struct cmap slow, pairs;
    /* exact distances of recent encounter candidates: ships that lie still
     * repeat the same pair of positions (direct-mapped; a pure cache) */
    struct dist_memo {
        double lat1, lon1, lat2, lon2, nm;
    } dmemo[EV_DMEMO];
};

/* ---- small helpers ---- */

/* geo_dist_nm through the engine's cache of recent pairs: the same result,
 * computed once per distinct pair of positions. */
static double memo_dist_nm(struct ev_engine *e, double lat1, double lon1, double lat2, double lon2)
{
    double k[4] = {lat1, lon1, lat2, lon2};
    uint64_t h = 0;
    for (int i = 0; i < 4; i++) {
        uint64_t b;
        memcpy(&b, &k[i], sizeof b);
        h = (h ^ b) * 0x9e3779b97f4a7c15ULL;
        h ^= h >> 29;
    }
    struct dist_memo *m = &e->dmemo[h & (EV_DMEMO - 1)];
    if (memcmp(m, k, sizeof k) != 0) {
        m->lat1 = lat1;
        m->lon1 = lon1;
        m->lat2 = lat2;
        m->lon2 = lon2;
        m->nm = geo_dist_nm(lat1, lon1, lat2, lon2);
    }
    return m->nm;
}

static int cm_init(struct cmap *m, size_t esz, unsigned shift)
{
    memset(m, 0, sizeof(*m));
    m->esz = esz;
    m->shift = shift;
    m->nb = 1024;
    m->bkt = calloc(m->nb, sizeof(uint32_t));
    return m->bkt ? 0 : -1;
}

static void cm_free(struct cmap *m)
{
    free(m->bkt);
    free(m->ent);
}

static inline struct cm_hdr *cm_at(const struct cmap *m, uint32_t i)
{
    return (struct cm_hdr *)(m->ent + (size_t)i * m->esz);
}

static inline uint32_t cm_hash_raw(uint64_t k, uint32_t nb)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    return (uint32_t)k & (nb - 1);
}

static inline uint32_t cm_hash(const struct cmap *m, uint64_t k, uint32_t nb)
{
    return cm_hash_raw(k >> m->shift, nb);
}

static struct cm_hdr *cm_get(const struct cmap *m, uint64_t key)
{
    for (uint32_t i = m->bkt[cm_hash(m, key, m->nb)]; i; i = cm_at(m, i - 1)->next)
        if (cm_at(m, i - 1)->key == key)
            return cm_at(m, i - 1);
    return NULL;
}

static int cm_rehash(struct cmap *m, uint32_t nb)
{
    uint32_t *nbkt = calloc(nb, sizeof(uint32_t));
    if (!nbkt)
        return -1;
    for (uint32_t i = 0; i < m->cap; i++) {
        struct cm_hdr *h = cm_at(m, i);
        if (!h->used)
            continue;
        uint32_t b = cm_hash(m, h->key, nb);
        h->next = nbkt[b];
        nbkt[b] = i + 1;
    }
    free(m->bkt);
    m->bkt = nbkt;
    m->nb = nb;
    return 0;
}

/* Insert a zeroed entry with key (which must be absent). NULL on OOM. */
static struct cm_hdr *cm_put(struct cmap *m, uint64_t key)
{
    if (m->n + 1 > m->nb * 2 && m->nb < (1u << 30) && cm_rehash(m, m->nb * 2) < 0)
        return NULL;
    uint32_t i;
    if (m->freeh) {
        i = m->freeh - 1;
        m->freeh = cm_at(m, i)->next;
    } else {
        if (m->cap >= (1u << 30))
            return NULL;
        uint32_t ncap = m->cap ? m->cap * 2 : 256;
        unsigned char *ne = realloc(m->ent, (size_t)ncap * m->esz);
        if (!ne)
            return NULL;
        memset(ne + (size_t)m->cap * m->esz, 0, (size_t)(ncap - m->cap) * m->esz);
        m->ent = ne;
        // push the new entries but the first on the free list
        for (uint32_t k = ncap - 1; k > m->cap; k--) {
            cm_at(m, k)->next = m->freeh;
            m->freeh = k + 1;
        }
        i = m->cap;
        m->cap = ncap;
    }
    struct cm_hdr *h = cm_at(m, i);
    memset(h, 0, m->esz);
    h->key = key;
    h->used = 1;
    uint32_t b = cm_hash(m, key, m->nb);
    h->next = m->bkt[b];
    m->bkt[b] = i + 1;
    m->n++;
    return h;
}

static void cm_del(struct cmap *m, uint64_t key)
{
    uint32_t *pp = &m->bkt[cm_hash(m, key, m->nb)];
    while (*pp) {
        uint32_t i = *pp - 1;
        struct cm_hdr *h = cm_at(m, i);
        if (h->key == key) {
            *pp = h->next;
            h->used = 0;
            h->next = m->freeh;
            m->freeh = i + 1;
            m->n--;
            return;
        }
        pp = &h->next;
    }
}

static inline struct ev_asset *EA(struct track_asset *a)
{
    return (struct ev_asset *)(void *)a->user;
}

static uint32_t intern_src(struct ev_engine *e, const char *s)
{
    if (!s)
        s = "";
    if (s == e->last_src_ptr && e->nsrc && !strcmp(e->src[e->last_src], s))
        return e->last_src;
    for (uint32_t i = 0; i < e->nsrc; i++)
        if (!strcmp(e->src[i], s)) {
            e->last_src = i;
            e->last_src_ptr = s;
            return i;
        }
    if (e->nsrc >= MAX_SOURCES)
        return 0;
    if (e->nsrc == e->capsrc) {
        uint32_t nc = e->capsrc ? e->capsrc * 2 : 16;
        char **ns = realloc(e->src, nc * sizeof(char *));
        if (!ns)
            return 0;
        e->src = ns;
        e->capsrc = nc;
    }
    char *c = strdup(s);
    if (!c)
        return 0;
    e->src[e->nsrc] = c;
    e->last_src = e->nsrc++;
    e->last_src_ptr = s;
    return e->last_src;
}

static struct ev_fix fix_of(const struct track_fixref *r)
{
    struct ev_fix f = {r->t_ms, (float)r->lat, (float)r->lon,
                       (r->offset & 0xFFFFFFFFFFFFull) << 16 | (r->src & 0xFFFF)};
    return f;
}

static struct ev_point point_of(const struct ev_engine *e, const struct ev_fix *f)
{
    struct ev_point p;
    memset(&p, 0, sizeof p);
    if (!f->t_ms && !f->ref && f->lat == 0 && f->lon == 0)
        return p;
    p.valid = true;
    p.t_ms = f->t_ms;
    p.lat = f->lat;
    p.lon = f->lon;
    uint32_t s = (uint32_t)(f->ref & 0xFFFF);
    p.ref.source = s < e->nsrc ? e->src[s] : "";
    p.ref.offset = f->ref >> 16;
    if (e->cur && e->cur->t_ms == f->t_ms &&
        (e->cur->source_offset & 0xFFFFFFFFFFFFull) == p.ref.offset) {
        p.ref.raw = e->cur->raw;
        p.ref.raw_len = e->cur->raw_len;
    }
    return p;
}

static void ev_init(struct event *ev, enum ev_type type, const struct track_asset *a)
{
    memset(ev, 0, sizeof(*ev));
    ev->type = type;
    ev->kind = (enum obs_kind)a->kind;
    ev->id = a->id;
    ev->where = "";
    ev->site_id = "";
}

static void ev_val(struct event *ev, const char *name, double v)
{
    if (ev->nval < EV_MAX_VALUES && !isnan(v)) {
        ev->val[ev->nval].name = name;
        ev->val[ev->nval].v = v;
        ev->nval++;
    }
}

static void emit(struct ev_engine *e, struct event *ev)
{
    e->st.events[ev->type]++;
    if (e->cb)
        e->cb(e->ctx, ev);
}

/* Distance to layer k of the engine ("0 inside its area"), exact. */
static double layer_dist(struct ev_engine *e, int k, double lat, double lon)
{
    struct geo_layer *l = e->dl[k];
    e->st.dist_queries++;
    if (geo_layer_contains(l, lat, lon))
        return 0;
    return geo_layer_dist_nm(l, lat, lon, NULL, NULL);
}

/* Bounds on the distance to layer k from the cached value: the distance
 * to a set changes by at most the distance moved, and the distance moved
 * since the cached value is at most the path flown since, which the
 * asset's odometer gives without any trigonometry (each step is the
 * track's speed-check distance, geo_fast_nm, relative error < 0.5%,
 * counted x 1.01). Fills lo/hi; returns true when there is no cached
 * value (compute it). */
static inline bool dl_bounds(const struct ev_asset *ea, int k, double *lo, double *hi)
{
    double d0 = ea->dl_d[k];
    if (isnan(d0))
        return true;
    // + 0.01 nm: float rounding of dl_odo (< 0.002 nm below DL_ODO_REBASE)
    double mv = ea->odo - ea->dl_odo[k] + 0.01;
    *lo = d0 - mv;
    *hi = d0 >= DL_CAP_NM ? INFINITY : d0 + mv;
    return false;
}

static double dl_exact(struct ev_engine *e, struct ev_asset *ea, int k, double lat, double lon)
{
    double d = layer_dist(e, k, lat, lon);
    ea->dl_d[k] = d > DL_CAP_NM ? DL_CAP_NM : (float)d;
    ea->dl_odo[k] = (float)ea->odo;
    return d;
}

/* Advance the odometer by one accepted step. A step that is not small
 * (a first fix, a new track after rejected jumps, a long gap) drops the
 * cached distances: geo_fast_nm's error bound holds for short steps only. */
static inline void odo_step(struct ev_asset *ea, double step_nm)
{
    if (!(step_nm <= DL_MAX_STEP_NM)) {
        for (int k = 0; k < NDL; k++)
            ea->dl_d[k] = NAN;
        return;
    }
    ea->odo += step_nm * 1.01;
    if (ea->odo >= DL_ODO_REBASE) {
        // Keep the floats small (precise): shift the origin. A cached
        // value this far behind can no longer bound anything.
        for (int k = 0; k < NDL; k++) {
            ea->dl_odo[k] -= (float)ea->odo;
            if (ea->dl_odo[k] < -DL_ODO_REBASE)
                ea->dl_d[k] = NAN;
        }
        ea->odo = 0;
    }
}

/* ---- public ---- */

void ev_config_default(struct ev_config *c)
{
    c->zone_confirm_fixes = 2;
    c->zone_confirm_ms = 60000;
    c->approach_nm = 60;
    c->approach_end_nm = 70;
    c->approach_eps_nm = 0.2;
    c->gap_ms = 12ll * 3600 * 1000;
    c->gap_shore_nm = 50;
    c->dark_ms = 300000;
    c->dark_site_m = 10000;
    c->loiter_kn = 2;
    c->loiter_ms = 2ll * 3600 * 1000;
    c->loiter_shore_nm = 20;
    c->enc_m = 500;
    c->enc_ms = 2ll * 3600 * 1000;
    c->enc_kn = 2;
    c->enc_shore_nm = 5.4;
    c->enc_skew_ms = 600000;
    c->site_in_m = 3000;
    c->site_out_m = 4000;
    c->site_air_max_ft = 3000;
    c->orbit_turn_deg = 720;
    c->orbit_min_ms = 20ll * 60 * 1000;
    c->orbit_max_nm = 100;
    c->orbit_gap_ms = 10ll * 60 * 1000;
    c->orbit_stall_ms = 20ll * 60 * 1000;
    c->orbit_seg_nm = 0.5;
    c->sweep_ms = 60000;
    track_cfg_default(&c->track);
}

static int add_dl(struct ev_engine *e, struct geo_layer *l)
{
    for (int i = 0; i < e->ndl; i++)
        if (e->dl[i] == l)
            return i;
    if (e->ndl >= NDL)
        return -1;
    e->dl[e->ndl] = l;
    return e->ndl++;
}

struct ev_engine *ev_engine_new(struct theatre *th, const struct ev_config *cfg, ev_cb cb,
                                void *ctx)
{
    struct ev_engine *e = calloc(1, sizeof(*e));
    if (!e)
        return NULL;
    if (cfg)
        e->cfg = *cfg;
    else
        ev_config_default(&e->cfg);
    if (e->cfg.site_in_m > TH_SITE_MAX_KM * 1000)
        e->cfg.site_in_m = TH_SITE_MAX_KM * 1000;
    if (e->cfg.site_out_m > TH_SITE_MAX_KM * 1000)
        e->cfg.site_out_m = TH_SITE_MAX_KM * 1000;
    if (e->cfg.dark_site_m > TH_SITE_MAX_KM * 1000)
        e->cfg.dark_site_m = TH_SITE_MAX_KM * 1000;
    if (e->cfg.zone_confirm_fixes < 1)
        e->cfg.zone_confirm_fixes = 1;
    if (e->cfg.zone_confirm_fixes > 255)
        e->cfg.zone_confirm_fixes = 255;
    if (e->cfg.sweep_ms < 1000)
        e->cfg.sweep_ms = 1000;
    if (!(e->cfg.orbit_seg_nm >= 0.05))
        e->cfg.orbit_seg_nm = 0.05; // the course of shorter hops is noise
    if (!(e->cfg.orbit_turn_deg >= 2 * ORBIT_TRIM_DEG))
        e->cfg.orbit_turn_deg = 2 * ORBIT_TRIM_DEG;
    e->th = th;
    e->cb = cb;
    e->ctx = ctx;
    for (int i = 0; i < TH_MAX_ZONES; i++)
        e->dl_of_zone[i] = -1;
    for (int i = 0; i < TH_MAX_APPROACH; i++)
        e->dl_of_appr[i] = -1;
    if (th) {
        for (size_t i = 0; i < th->napproach; i++)
            e->dl_of_appr[i] = add_dl(e, th->approach[i].layer);
        for (size_t z = 0; z < th->nzones; z++)
            if (th->zones[z].buffer_nm > 0)
                e->dl_of_zone[z] = add_dl(e, th->zones[z].layer);
        // A polygon zone whose layer is also measured can skip its
        // containment test while the distance bound says "outside".
        for (size_t z = 0; z < th->nzones; z++)
            for (int k = 0; th->zones[z].buffer_nm <= 0 && k < e->ndl; k++)
                if (e->dl[k] == th->zones[z].layer)
                    e->dl_poly_zone[z] = k + 1;
    }
    e->tt = track_new(&e->cfg.track);
    if (!e->tt || cm_init(&e->slow, sizeof(struct slow_ent), 32) < 0 ||
        cm_init(&e->pairs, sizeof(struct pair_ent), 0) < 0) {
        ev_engine_free(e);
        return NULL;
    }
    return e;
}

void ev_engine_set_point_cb(struct ev_engine *e, ev_point_cb cb, void *ctx)
{
    e->pcb = cb;
    e->pctx = ctx;
}

void ev_engine_free(struct ev_engine *e)
{
    if (!e)
        return;
    track_free(e->tt);
    cm_free(&e->slow);
    cm_free(&e->pairs);
    for (uint32_t i = 0; i < e->nsrc; i++)
        free(e->src[i]);
    free(e->src);
    free(e);
}

const struct ev_stats *ev_engine_stats(const struct ev_engine *e)
{
    return &e->st;
}

struct track_table *ev_engine_tracks(struct ev_engine *e)
{
    return e->tt;
}

size_t ev_engine_mem(const struct ev_engine *e)
{
    return sizeof(*e) + track_mem(e->tt) + (size_t)e->slow.nb * 4 +
           (size_t)e->slow.cap * e->slow.esz + (size_t)e->pairs.nb * 4 +
           (size_t)e->pairs.cap * e->pairs.esz;
}

const char *ev_type_name(enum ev_type t)
{
    static const char *const n[EV_NTYPES] = {
        "?",    "first_seen", "last_seen", "enter",   "leave",     "approach", "ais_gap",
        "dark", "loiter",     "encounter", "arrival", "departure", "orbit"};
    return (unsigned)t < EV_NTYPES ? n[t] : "?";
}

/* ---- detectors ---- */

static void zones_update(struct ev_engine *e, struct track_asset *a, struct ev_asset *ea,
                         const struct ev_fix *fx, bool *force)
{
    struct theatre *th = e->th;
    double lat = a->pos.lat, lon = a->pos.lon;
    for (size_t z = 0; z < th->nzones; z++) {
        bool in;
        int k = e->dl_of_zone[z];
        if (k >= 0) {
            double lo, hi, n = th->zones[z].buffer_nm;
            if (dl_bounds(ea, k, &lo, &hi) || !(lo > n || hi <= n))
                in = dl_exact(e, ea, k, lat, lon) <= n;
            else {
                in = hi <= n;
                e->st.dist_skipped++;
            }
        } else {
            double lo, hi;
            int k2 = e->dl_poly_zone[z] - 1;
            if (k2 >= 0 && !dl_bounds(ea, k2, &lo, &hi) && lo > 0) {
                in = false;
                e->st.dist_skipped++;
            } else {
                in = theatre_in_zone(th, z, lat, lon);
            }
        }
        uint8_t bit = (uint8_t)(1u << z);
        if (!(ea->zknown & bit)) {
            // The first fix: an asset first seen inside "enters" there.
            ea->zknown |= bit;
            if (in) {
                ea->zin |= bit;
                struct event ev;
                ev_init(&ev, EV_ENTER, a);
                ev.where = th->zones[z].name;
                ev.approx = th->zones[z].approx;
                ev.t_start_ms = ev.t_end_ms = fx->t_ms;
                ev.p[0] = point_of(e, fx);
                ev_val(&ev, "initial", 1);
                emit(e, &ev);
                *force = true;
            }
            continue;
        }
        bool was = (ea->zin & bit) != 0;
        if (in == was) {
            if (ea->pend_n[z])
                e->st.zone_flaps++;
            ea->pend_n[z] = 0;
            continue;
        }
        if (ea->pend_n[z] == 0) {
            ea->pend[z] = *fx;
            *force = true;
        }
        if (ea->pend_n[z] < 255)
            ea->pend_n[z]++;
        if (ea->pend_n[z] >= e->cfg.zone_confirm_fixes &&
            fx->t_ms - ea->pend[z].t_ms >= e->cfg.zone_confirm_ms) {
            ea->zin ^= bit;
            struct event ev;
            ev_init(&ev, in ? EV_ENTER : EV_LEAVE, a);
            ev.where = th->zones[z].name;
            ev.approx = th->zones[z].approx;
            ev.t_start_ms = ev.t_end_ms = ea->pend[z].t_ms;
            ev.p[0] = point_of(e, &ea->pend[z]);
            ev.p[1] = point_of(e, fx);
            ev_val(&ev, "confirm_fixes", ea->pend_n[z]);
            ev_val(&ev, "confirm_s", (double)(fx->t_ms - ea->pend[z].t_ms) / 1000.0);
            emit(e, &ev);
            ea->pend_n[z] = 0;
            *force = true;
        }
    }
}

static void approach_emit(struct ev_engine *e, struct track_asset *a, struct ev_asset *ea, size_t i,
                          int64_t t_end, bool open)
{
    struct event ev;
    ev_init(&ev, EV_APPROACH, a);
    ev.where = e->th->approach[i].name;
    ev.open = open;
    ev.t_start_ms = ea->appr_t0[i];
    ev.t_end_ms = t_end;
    ev.p[0] = point_of(e, &ea->amin[i]);
    double nlat = NAN, nlon = NAN;
    double d = theatre_approach_nm(e->th, i, ev.p[0].lat, ev.p[0].lon, &nlat, &nlon);
    ev_val(&ev, "dist_nm", isfinite(d) ? d : ea->amin_d[i]);
    ev_val(&ev, "coast_lat", nlat);
    ev_val(&ev, "coast_lon", nlon);
    if (d > 0 && isfinite(d))
        ev_val(&ev, "bearing_deg", geo_bearing_deg(ev.p[0].lat, ev.p[0].lon, nlat, nlon));
    emit(e, &ev);
    ea->appr_on &= (uint8_t) ~(1u << i);
}

static void approach_update(struct ev_engine *e, struct track_asset *a, struct ev_asset *ea,
                            const struct ev_fix *fx, bool *force)
{
    double lat = a->pos.lat, lon = a->pos.lon;
    for (size_t i = 0; i < e->th->napproach; i++) {
        int k = e->dl_of_appr[i];
        bool on = (ea->appr_on >> i) & 1u;
        double lo = 0, hi = INFINITY, d;
        bool need = k < 0 || dl_bounds(ea, k, &lo, &hi);
        if (!need)
            need = on ? (lo < ea->amin_d[i] - e->cfg.approach_eps_nm || hi > e->cfg.approach_end_nm)
                      : lo <= e->cfg.approach_nm;
        if (!need) {
            e->st.dist_skipped++;
            continue;
        }
        if (k >= 0)
            d = dl_exact(e, ea, k, lat, lon);
        else
            d = theatre_approach_nm(e->th, i, lat, lon, NULL, NULL);
        if (!on) {
            if (d <= e->cfg.approach_nm) {
                ea->appr_on |= (uint8_t)(1u << i);
                ea->appr_t0[i] = fx->t_ms;
                ea->amin[i] = *fx;
                ea->amin_d[i] = (float)d;
                *force = true;
            }
            continue;
        }
        if (d < ea->amin_d[i]) {
            ea->amin[i] = *fx;
            ea->amin_d[i] = (float)d;
            *force = true;
        }
        if (d > e->cfg.approach_end_nm)
            approach_emit(e, a, ea, i, fx->t_ms, false);
    }
}

static void loiter_close(struct ev_engine *e, struct track_asset *a, struct ev_asset *ea,
                         const struct ev_fix *end, bool open)
{
    ea->st &= (uint8_t) ~(ST_LOITER);
    if (!(ea->st & ST_LOIT_OK) || end->t_ms - ea->k.sh.loit.t_ms < e->cfg.loiter_ms)
        return;
    struct event ev;
    ev_init(&ev, EV_LOITER, a);
    ev.open = open;
    ev.t_start_ms = ea->k.sh.loit.t_ms;
    ev.t_end_ms = end->t_ms;
    ev.p[0] = point_of(e, &ea->k.sh.loit);
    ev.p[1] = point_of(e, end);
    ev_val(&ev, "duration_h", (double)(end->t_ms - ea->k.sh.loit.t_ms) / 3600000.0);
    ev_val(&ev, "mean_sog_kn", ea->k.sh.loit_n ? ea->k.sh.loit_sog_sum / ea->k.sh.loit_n : NAN);
    ev_val(&ev, "drift_nm", geo_dist_nm(ev.p[0].lat, ev.p[0].lon, ev.p[1].lat, ev.p[1].lon));
    emit(e, &ev);
}

static double speed_of(const struct track_asset *a, const struct track_upd *u)
{
    if (!isnan(a->sog_kn))
        return a->sog_kn;
    if (!u->had_pos || a->pos.t_ms <= u->prev_pos.t_ms)
        return NAN;
    return geo_fast_nm(u->prev_pos.lat, u->prev_pos.lon, a->pos.lat, a->pos.lon) /
           ((double)(a->pos.t_ms - u->prev_pos.t_ms) / 3600000.0);
}

static void loiter_update(struct ev_engine *e, struct track_asset *a, struct ev_asset *ea,
                          const struct track_upd *u, const struct ev_fix *fx, double sog,
                          bool *force)
{
    bool slow = !isnan(sog) && sog < e->cfg.loiter_kn;
    if (slow) {
        if (!(ea->st & ST_LOITER)) {
            ea->st |= ST_LOITER;
            ea->st &= (uint8_t)~ST_LOIT_OK;
            ea->k.sh.loit = *fx;
            ea->k.sh.loit_n = 0;
            ea->k.sh.loit_sog_sum = 0;
            *force = true;
            bool near_port = e->th && theatre_near_site(e->th, a->pos.lat, a->pos.lon, TH_SITE_PORT,
                                                        TH_SITE_MAX_KM * 1000, NULL);
            double shore = e->th ? theatre_shore_nm(e->th, a->pos.lat, a->pos.lon) : INFINITY;
            if (!near_port && shore >= e->cfg.loiter_shore_nm)
                ea->st |= ST_LOIT_OK;
        }
        ea->k.sh.loit_n++;
        ea->k.sh.loit_sog_sum += (float)sog;
    } else if (ea->st & ST_LOITER) {
        struct ev_fix end = u->had_pos ? fix_of(&u->prev_pos) : *fx;
        loiter_close(e, a, ea, &end, false);
    }
}

static void gap_emit(struct ev_engine *e, struct track_asset *a, struct ev_asset *ea,
                     const struct track_fixref *last, const struct ev_fix *re, int64_t t_end,
                     bool open, double shore)
{
    struct event ev;
    struct ev_fix lf = fix_of(last);
    ev_init(&ev, EV_AIS_GAP, a);
    ev.open = open;
    ev.t_start_ms = ea->k.sh.gap_last;
    ev.t_end_ms = t_end;
    ev.p[0] = point_of(e, &lf);
    if (re)
        ev.p[1] = point_of(e, re);
    ev_val(&ev, "gap_h", (double)(t_end - ea->k.sh.gap_last) / 3600000.0);
    ev_val(&ev, "shore_nm", isfinite(shore) ? shore : GEO_LAYER_MAX_NM);
    if (re) {
        double d = geo_dist_nm(lf.lat, lf.lon, re->lat, re->lon);
        ev_val(&ev, "dist_nm", d);
        if (re->t_ms > lf.t_ms)
            ev_val(&ev, "implied_kn", d / ((double)(re->t_ms - lf.t_ms) / 3600000.0));
    }
    emit(e, &ev);
    ea->st &= (uint8_t)~ST_GAP;
}

static double shore_of(struct ev_engine *e, double lat, double lon)
{
    return e->th ? theatre_shore_nm(e->th, lat, lon) : INFINITY;
}

static void site_update(struct ev_engine *e, struct track_asset *a, struct ev_asset *ea,
                        const struct ev_fix *fx, bool surface, bool *force)
{
    const struct theatre *th = e->th;
    unsigned mask = a->kind == OBS_SHIP ? TH_SITE_PORT : TH_SITE_AIRFIELD;
    double lat = a->pos.lat, lon = a->pos.lon;
    if (ea->site) {
        const struct th_site *s = &th->sites[ea->site - 1];
        double d = geo_fast_nm(lat, lon, s->lat, s->lon) * GEO_M_PER_NM;
        if (d > e->cfg.site_out_m * 0.99)
            d = geo_dist_nm(lat, lon, s->lat, s->lon) * GEO_M_PER_NM;
        if (d <= e->cfg.site_out_m)
            return;
        struct event ev;
        ev_init(&ev, EV_DEPARTURE, a);
        ev.where = s->name;
        ev.site_id = s->id;
        ev.t_start_ms = ea->site_fix.t_ms;
        ev.t_end_ms = fx->t_ms;
        ev.p[0] = point_of(e, &ea->site_fix);
        ev.p[1] = point_of(e, fx);
        ev_val(&ev, "dist_m", d);
        ev_val(&ev, "dwell_h", (double)(fx->t_ms - ea->site_fix.t_ms) / 3600000.0);
        emit(e, &ev);
        ea->site = 0;
        *force = true;
        return;
    }
    if (a->kind == OBS_AIRCRAFT && !surface && a->alt_ft != INT32_MIN &&
        a->alt_ft > e->cfg.site_air_max_ft)
        return;
    double d;
    const struct th_site *s = theatre_near_site(th, lat, lon, mask, e->cfg.site_in_m, &d);
    if (!s)
        return;
    ea->site = (uint32_t)(s - th->sites) + 1;
    ea->site_fix = *fx;
    struct event ev;
    ev_init(&ev, EV_ARRIVAL, a);
    ev.where = s->name;
    ev.site_id = s->id;
    ev.t_start_ms = ev.t_end_ms = fx->t_ms;
    ev.p[0] = point_of(e, fx);
    ev_val(&ev, "dist_m", d);
    emit(e, &ev);
    *force = true;
}

/* ---- encounters ---- */

static uint32_t enc_cell(double lat, double lon)
{
    long la = (long)floor(lat / ENC_CELL_DEG) + 9000, lo = (long)floor(lon / ENC_CELL_DEG) + 18000;
    return (uint32_t)la << 16 | (uint32_t)lo;
}

static void pair_emit(struct ev_engine *e, struct pair_ent *p, bool open)
{
    if (p->t_last - p->t_start < e->cfg.enc_ms)
        return;
    struct event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = EV_ENCOUNTER;
    ev.kind = OBS_SHIP;
    ev.id = (uint32_t)(p->h.key >> 32);
    ev.other_id = (uint32_t)p->h.key;
    ev.where = "";
    ev.site_id = "";
    ev.open = open;
    ev.t_start_ms = p->t_start;
    ev.t_end_ms = p->t_last;
    ev.p[0] = point_of(e, &p->a0);
    ev.p[1] = point_of(e, &p->a1);
    ev_val(&ev, "duration_h", (double)(p->t_last - p->t_start) / 3600000.0);
    ev_val(&ev, "min_dist_m", p->min_m);
    emit(e, &ev);
}

static void slow_remove(struct ev_engine *e, struct track_asset *a, struct ev_asset *ea)
{
    if (ea->st & ST_SLOW_IDX)
        cm_del(&e->slow, (uint64_t)ea->k.sh.slow_cell << 32 | a->id);
    ea->st &= (uint8_t) ~(ST_SLOW_IDX | ST_ENC_OK);
}

static void encounter_update(struct ev_engine *e, struct track_asset *a, struct ev_asset *ea,
                             const struct ev_fix *fx, double sog)
{
    if (a->kind != OBS_SHIP)
        return;
    bool slow = !isnan(sog) && sog < e->cfg.enc_kn;
    uint32_t cell = enc_cell(a->pos.lat, a->pos.lon);
    if (!slow) {
        slow_remove(e, a, ea);
        return;
    }
    if (!(ea->st & ST_SLOW_IDX) || cell != ea->k.sh.slow_cell) {
        slow_remove(e, a, ea);
        bool near_port = e->th && theatre_near_site(e->th, a->pos.lat, a->pos.lon, TH_SITE_PORT,
                                                    TH_SITE_MAX_KM * 1000, NULL);
        if (near_port || shore_of(e, a->pos.lat, a->pos.lon) < e->cfg.enc_shore_nm) {
            ea->k.sh.slow_cell = cell;
            return; // not eligible here; not indexed
        }
        if (!cm_put(&e->slow, (uint64_t)cell << 32 | a->id)) {
            e->st.nomem++;
            return;
        }
        ea->k.sh.slow_cell = cell;
        ea->st |= ST_SLOW_IDX | ST_ENC_OK;
    }
    // Look for slow eligible ships in the 3x3 cells around (cells are
    // >= 500 m up to 60 degrees of latitude).
    long la = (long)(cell >> 16), lo = (long)(cell & 0xFFFF);
    for (long dy = -1; dy <= 1; dy++)
        for (long dx = -1; dx <= 1; dx++) {
            uint64_t c = (uint64_t)((uint32_t)(la + dy) << 16 | (uint32_t)(lo + dx));
            uint32_t i = e->slow.bkt[cm_hash_raw(c, e->slow.nb)];
            while (i) {
                const struct cm_hdr *h = cm_at(&e->slow, i - 1);
                i = h->next;
                uint32_t bid = (uint32_t)h->key;
                if ((h->key >> 32) != c || bid == a->id)
                    continue;
                const struct track_asset *b = track_find(e->tt, OBS_SHIP, bid);
                if (!b || llabs(b->pos.t_ms - fx->t_ms) > e->cfg.enc_skew_ms)
                    continue;
                double d =
                    geo_fast_nm(a->pos.lat, a->pos.lon, b->pos.lat, b->pos.lon) * GEO_M_PER_NM;
                if (d <= e->cfg.enc_m * 1.01)
                    d = memo_dist_nm(e, a->pos.lat, a->pos.lon, b->pos.lat, b->pos.lon) *
                        GEO_M_PER_NM;
                bool a_low = a->id < bid;
                uint64_t key = a_low ? (uint64_t)a->id << 32 | bid : (uint64_t)bid << 32 | a->id;
                struct pair_ent *p = (struct pair_ent *)cm_get(&e->pairs, key);
                if (p && (d > e->cfg.enc_m || fx->t_ms - p->t_last > e->cfg.enc_skew_ms)) {
                    pair_emit(e, p, false);
                    cm_del(&e->pairs, key);
                    p = NULL;
                }
                if (d > e->cfg.enc_m)
                    continue;
                struct ev_fix low = a_low ? *fx : fix_of(&b->pos);
                if (!p) {
                    p = (struct pair_ent *)cm_put(&e->pairs, key);
                    if (!p) {
                        e->st.nomem++;
                        continue;
                    }
                    p->t_start = fx->t_ms;
                    p->a0 = low;
                    p->min_m = (float)d;
                }
                if (fx->t_ms > p->t_last) {
                    p->t_last = fx->t_ms;
                    p->a1 = low;
                }
                if (d < p->min_m)
                    p->min_m = (float)d;
            }
        }
}

/* ---- orbits (aircraft) ----
 *
 * The course is sampled every orbit_seg_nm flown (the bearing from the
 * segment's first fix to its last, so that position noise and the message
 * rate matter little) and the signed course changes are summed: T. Circles
 * and racetracks flown in one sense add 360 deg a lap; S-turns and figures
 * of eight cancel out; on a straight line position noise does not
 * accumulate (the sum telescopes to the last course minus the first).
 *
 * Until the aircraft has turned ORBIT_TRIM_DEG in one sense (ORB_FREE), s is
 * the latest fix where T was within ORBIT_TOL_DEG of its least value and q
 * the latest one near its greatest, so that a turn to the right is measured
 * from where it began (s), and one to the left from q. Once it has (ORB_RIGHT
 * or ORB_LEFT), s stays and q becomes the last fix where the turn grew by
 * ORBIT_TOL_DEG; turning back to s's level returns to ORB_FREE. The pattern
 * is an orbit when the turn reaches orbit_turn_deg at least orbit_min_ms
 * after s. It ends at q when the aircraft goes beyond orbit_max_nm of s,
 * stops turning for orbit_stall_ms, is not received for orbit_gap_ms, or
 * is on the ground.
 *
 * Its shape comes from the segment end points since s: their mean is the
 * centre, their RMS distance from it the radius, and a racetrack (two
 * straight legs joined by half circles, flown at constant speed) is fitted
 * to their principal second moments for its length and width (a circle
 * gives length = width = diameter). Samples after q are only counted; they
 * are committed, spread evenly on the straight line from q, when the turn
 * grows again, so the flight out of the pattern does not enter its shape. */

static struct ev_fix orbit_q(const struct ev_orbit *ob)
{
    struct ev_fix f = {ob->s.t_ms + ob->q_dt, ob->q_lat, ob->q_lon, ob->q_ref};
    return f;
}

static int32_t clamp_dt(int64_t dt)
{
    return dt < INT32_MIN ? INT32_MIN : dt > INT32_MAX ? INT32_MAX : (int32_t)dt;
}

static void orbit_set_q(struct ev_orbit *ob, const struct ev_fix *fx)
{
    ob->q_dt = clamp_dt(fx->t_ms - ob->s.t_ms);
    ob->q_lat = fx->lat;
    ob->q_lon = fx->lon;
    ob->q_ref = fx->ref;
}

/* Move s to fx, keeping q's time. */
static void orbit_set_s(struct ev_orbit *ob, const struct ev_fix *fx)
{
    int64_t qt = ob->s.t_ms + ob->q_dt;
    ob->s = *fx;
    ob->q_dt = clamp_dt(qt - fx->t_ms);
}

static void orbit_moments_reset(struct ev_orbit *ob)
{
    ob->mx = ob->my = ob->cxx = ob->cyy = ob->cxy = 0;
    ob->n = 1; // s itself, at the origin
    ob->n_pend = 0;
}

/* Free, with s = q = fx (the course carries on). */
static void orbit_free(struct ev_orbit *ob, const struct ev_fix *fx)
{
    ob->s = *fx;
    orbit_set_q(ob, fx);
    ob->turn = ob->turn_q = 0;
    ob->phase = ORB_FREE;
    orbit_moments_reset(ob);
}

static void orbit_reset(struct ev_orbit *ob, const struct ev_fix *fx)
{
    orbit_free(ob, fx);
    ob->crs = NAN;
    ob->alat = fx->lat;
    ob->alon = fx->lon;
}

static inline double orbit_kx(const struct ev_orbit *ob)
{
    return ORBIT_NM_DEG * geo_cos_lat(ob->s.lat);
}

static inline void orbit_xy(const struct ev_orbit *ob, double kx, double lat, double lon, double *x,
                            double *y)
{
    double dlon = lon - ob->s.lon;
    if (dlon > 180)
        dlon -= 360;
    else if (dlon < -180)
        dlon += 360;
    *x = dlon * kx;
    *y = (lat - ob->s.lat) * ORBIT_NM_DEG;
}

static void orbit_sample(struct ev_orbit *ob, double x, double y)
{
    if (ob->n == UINT16_MAX)
        return;
    ob->n++;
    double dx = x - ob->mx, dy = y - ob->my;
    ob->mx += (float)(dx / ob->n);
    ob->my += (float)(dy / ob->n);
    ob->cxx += (float)(dx * (x - ob->mx));
    ob->cyy += (float)(dy * (y - ob->my));
    ob->cxy += (float)(dx * (y - ob->my));
}

/* Variance ratio lambda1 / lambda2 of a racetrack with straight legs q
 * times its turn radius, sampled evenly along its length. */
static double stadium_ratio(double q)
{
    double p = q / (q + M_PI); // share of the length on the straight legs
    double l1 = p * q * q / 12 + (1 - p) * (q * q / 4 + 2 * q / M_PI + 0.5);
    double l2 = (1 + p) / 2;
    return l1 / l2;
}

/* Length and width (nm) of the racetrack with these principal variances. */
static void stadium_fit(double l1, double l2, double *length, double *width)
{
    double q = 0;
    if (l2 > 1e-9 && l1 / l2 > 1) {
        double lo = 0, hi = 1e4, rho = l1 / l2;
        for (int i = 0; i < 60; i++) {
            double mid = 0.5 * (lo + hi);
            if (stadium_ratio(mid) < rho)
                lo = mid;
            else
                hi = mid;
        }
        q = 0.5 * (lo + hi);
    }
    double p = q / (q + M_PI);
    double r = sqrt(2 * (l2 > 0 ? l2 : 0) / (1 + p));
    *width = 2 * r;
    *length = q * r + 2 * r;
}

static void orbit_end(struct ev_engine *e, struct track_asset *a, struct ev_asset *ea, bool open)
{
    struct ev_orbit *ob = &ea->k.orb;
    ea->st &= (uint8_t)~ST_ORBIT;
    struct event ev;
    ev_init(&ev, EV_ORBIT, a);
    ev.open = open;
    struct ev_fix qf = orbit_q(ob);
    ev.t_start_ms = ob->s.t_ms;
    ev.t_end_ms = qf.t_ms;
    ev.p[0] = point_of(e, &ob->s);
    ev.p[1] = point_of(e, &qf);
    double n = ob->n > 0 ? ob->n : 1;
    double sxx = ob->cxx / n, syy = ob->cyy / n, sxy = ob->cxy / n;
    double tr = sxx + syy, disc = sqrt(fmax(0, 0.25 * (sxx - syy) * (sxx - syy) + sxy * sxy));
    double l1 = 0.5 * tr + disc, l2 = fmax(0, 0.5 * tr - disc), len, wid;
    stadium_fit(l1, l2, &len, &wid);
    double kx = orbit_kx(ob);
    ev_val(&ev, "turns", ob->turn_q / 360.0);
    ev_val(&ev, "duration_h", (double)(qf.t_ms - ob->s.t_ms) / 3600000.0);
    ev_val(&ev, "centre_lat", ob->s.lat + ob->my / ORBIT_NM_DEG);
    ev_val(&ev, "centre_lon", ob->s.lon + (kx > 1e-6 ? ob->mx / kx : 0));
    ev_val(&ev, "radius_nm", sqrt(fmax(0, tr)));
    ev_val(&ev, "length_nm", len);
    ev_val(&ev, "width_nm", wid);
    emit(e, &ev);
}

/* ORB_FREE, one more segment ending at fx (x, y in s's frame). */
static void orbit_free_step(const struct ev_config *c, struct ev_orbit *ob, const struct ev_fix *fx,
                            double kx, double x, double y)
{
    // turn is counted from the least turn so far (s's level); turn_q is
    // the greatest (q's level). A stale s or q (beyond orbit_max_nm) is
    // brought here.
    double qx, qy;
    orbit_xy(ob, kx, ob->q_lat, ob->q_lon, &qx, &qy);
    double max2 = c->orbit_max_nm * c->orbit_max_nm;
    if ((x - qx) * (x - qx) + (y - qy) * (y - qy) > max2) {
        orbit_set_q(ob, fx);
        ob->turn_q = ob->turn;
    }
    if (ob->turn < 0 || ob->turn <= ORBIT_TOL_DEG || x * x + y * y > max2) {
        float d = ob->turn < 0 || x * x + y * y > max2 ? ob->turn : 0;
        ob->turn -= d; // a new least level: count from here
        ob->turn_q -= d;
        orbit_set_s(ob, fx);
    }
    if (ob->turn >= ob->turn_q - ORBIT_TOL_DEG) {
        if (ob->turn > ob->turn_q)
            ob->turn_q = ob->turn;
        orbit_set_q(ob, fx);
    }
    if (ob->turn >= ORBIT_TRIM_DEG) {
        // turning right since s
        ob->phase = ORB_RIGHT;
    } else if (ob->turn_q - ob->turn >= ORBIT_TRIM_DEG) {
        // turning left since q: q becomes the start
        struct ev_fix qf = orbit_q(ob);
        ob->turn -= ob->turn_q;
        ob->s = qf;
        ob->phase = ORB_LEFT;
    } else {
        return;
    }
    orbit_set_q(ob, fx);
    ob->turn_q = ob->turn;
    orbit_moments_reset(ob);
    double nx, ny;
    orbit_xy(ob, orbit_kx(ob), fx->lat, fx->lon, &nx, &ny);
    orbit_sample(ob, nx, ny);
}

static void orbit_update(struct ev_engine *e, struct track_asset *a, struct ev_asset *ea,
                         const struct track_upd *u, const struct ev_fix *fx, bool surface,
                         bool *force)
{
    const struct ev_config *c = &e->cfg;
    struct ev_orbit *ob = &ea->k.orb;
    bool on = (ea->st & ST_ORBIT) != 0;
    if (!u->had_pos || surface || fx->t_ms - u->prev_pos.t_ms > c->orbit_gap_ms) {
        if (on)
            orbit_end(e, a, ea, false);
        orbit_reset(ob, fx);
        return;
    }
    double kx = orbit_kx(ob), x, y;
    orbit_xy(ob, kx, fx->lat, fx->lon, &x, &y);
    if (ob->phase != ORB_FREE && (x * x + y * y > c->orbit_max_nm * c->orbit_max_nm ||
                                  fx->t_ms - (ob->s.t_ms + ob->q_dt) > c->orbit_stall_ms)) {
        // Out of the area, or no more turning: the pattern (if any) ended
        // at q; measure afresh from here (the course carries on).
        if (on) {
            orbit_end(e, a, ea, false);
            *force = true;
        }
        orbit_free(ob, fx);
        return;
    }
    double ax, ay;
    orbit_xy(ob, kx, ob->alat, ob->alon, &ax, &ay);
    double dx = x - ax, dy = y - ay;
    if (dx * dx + dy * dy < c->orbit_seg_nm * c->orbit_seg_nm)
        return;
    double crs = atan2(dx, dy) * (180 / M_PI);
    if (!isnan(ob->crs)) {
        double d = crs - ob->crs;
        d = d > 180 ? d - 360 : d <= -180 ? d + 360 : d;
        ob->turn += (float)d;
    }
    ob->crs = (float)crs;
    ob->alat = fx->lat;
    ob->alon = fx->lon;
    if (ob->phase == ORB_FREE) {
        orbit_free_step(c, ob, fx, kx, x, y);
        return;
    }
    double sg = ob->phase == ORB_RIGHT ? 1 : -1, got = sg * ob->turn, got_q = sg * ob->turn_q;
    if (!on && got <= ORBIT_TOL_DEG) {
        // Turned back to where it began: no sense any more. The other
        // sense starts from q (the most turn), ours from here.
        struct ev_fix qf = orbit_q(ob);
        if (ob->phase == ORB_RIGHT) {
            orbit_set_s(ob, fx); // least level: here (turn ~ 0)
            ob->turn_q -= ob->turn;
            ob->turn = 0;
        } else {
            ob->s = qf; // least level: q
            ob->turn -= ob->turn_q;
            ob->turn_q = -ob->turn_q;
            orbit_set_q(ob, fx);
        }
        ob->phase = ORB_FREE;
        orbit_moments_reset(ob);
        return;
    }
    if (got <= got_q + ORBIT_TOL_DEG) {
        if (ob->n_pend < UINT8_MAX)
            ob->n_pend++;
        return;
    }
    if (ob->n_pend) {
        // the stretch since q, evenly on the straight line q -> here
        double px, py;
        orbit_xy(ob, kx, ob->q_lat, ob->q_lon, &px, &py);
        for (uint32_t i = 1; i <= ob->n_pend; i++) {
            double f = (double)i / (ob->n_pend + 1);
            orbit_sample(ob, px + f * (x - px), py + f * (y - py));
        }
        ob->n_pend = 0;
    }
    orbit_sample(ob, x, y);
    orbit_set_q(ob, fx);
    ob->turn_q = ob->turn;
    if (!on && got >= c->orbit_turn_deg && fx->t_ms - ob->s.t_ms >= c->orbit_min_ms) {
        ea->st |= ST_ORBIT;
        *force = true;
    }
}

/* ---- sweep, expiry, finish ---- */

static void close_asset(struct ev_engine *e, struct track_asset *a, bool at_end)
{
    struct ev_asset *ea = EA(a);
    struct ev_fix last = fix_of(&a->pos);
    bool has_pos = (a->flags & TRACK_AF_HAS_POS) != 0;
    for (size_t i = 0; e->th && i < e->th->napproach; i++)
        if ((ea->appr_on >> i) & 1u)
            approach_emit(e, a, ea, i, a->pos.t_ms, true);
    if ((ea->st & ST_LOITER) && has_pos)
        loiter_close(e, a, ea, &last, true);
    if (ea->st & ST_ORBIT)
        orbit_end(e, a, ea, at_end);
    if (ea->st & ST_GAP) {
        double shore = has_pos ? shore_of(e, a->pos.lat, a->pos.lon) : INFINITY;
        gap_emit(e, a, ea, &a->pos, NULL, ea->k.sh.gap_t, true, shore);
    } else if (a->kind == OBS_SHIP && has_pos && a->t_last_ms > 0 &&
               e->clock_ms - a->t_last_ms >= e->cfg.gap_ms) {
        double shore = shore_of(e, a->pos.lat, a->pos.lon);
        if (shore >= e->cfg.gap_shore_nm) {
            ea->k.sh.gap_last = a->t_last_ms;
            gap_emit(e, a, ea, &a->pos, NULL, e->clock_ms, true, shore);
        }
    }
    slow_remove(e, a, ea);
    struct event ev;
    ev_init(&ev, EV_LAST_SEEN, a);
    ev.open = at_end;
    ev.t_start_ms = a->t_first_ms;
    ev.t_end_ms = a->t_last_ms;
    if (has_pos)
        ev.p[0] = point_of(e, &last);
    ev_val(&ev, "observations", a->nobs);
    ev_val(&ev, "duration_h", (double)(a->t_last_ms - a->t_first_ms) / 3600000.0);
    emit(e, &ev);
}

/* An aircraft inside the theatre silent for >= dark_ms at now_ms: "dark"
 * (once per silence). Checked by the sweeps while it is silent; but a
 * sweep runs only when the data clock has moved sweep_ms, and how often
 * that happens depends on the other assets' traffic (e.g. on how a NATS
 * shard splits them): so it is checked again at the asset's next
 * observation and before it expires, and a silence is dark or not
 * whatever the sweeps' phase. The event (last fix, t_last .. t_last +
 * dark_ms) is the same whenever it is found. */
static void dark_check(struct ev_engine *e, struct track_asset *a, int64_t now_ms)
{
    struct ev_asset *ea = EA(a);
    if (a->kind == OBS_AIRCRAFT && e->th && (ea->zin & 1u) && !(ea->st & ST_DARK) &&
        (a->flags & TRACK_AF_HAS_POS) && !(a->flags & TRACK_AF_SURFACE) && a->t_last_ms > 0 &&
        now_ms - a->t_last_ms >= e->cfg.dark_ms) {
        ea->st |= ST_DARK;
        if (theatre_near_site(e->th, a->pos.lat, a->pos.lon, TH_SITE_AIRFIELD, e->cfg.dark_site_m,
                              NULL))
            return;
        struct event ev;
        struct ev_fix last = fix_of(&a->pos);
        ev_init(&ev, EV_DARK, a);
        ev.where = e->th->zones[0].name;
        ev.t_start_ms = a->t_last_ms;
        ev.t_end_ms = a->t_last_ms + e->cfg.dark_ms;
        ev.p[0] = point_of(e, &last);
        ev_val(&ev, "silent_s", (double)e->cfg.dark_ms / 1000.0);
        if (a->alt_ft != INT32_MIN)
            ev_val(&ev, "alt_ft", a->alt_ft);
        emit(e, &ev);
    }
}

static void sweep_one(void *ctx, struct track_asset *a)
{
    struct ev_engine *e = ctx;
    if (a->t_last_ms <= 0) {
        // seen before the data had a time: adopt the first known time
        a->t_last_ms = e->clock_ms;
        if (a->t_first_ms <= 0)
            a->t_first_ms = e->clock_ms;
        return;
    }
    if (track_expired(e->tt, a, e->clock_ms)) {
        dark_check(e, a, e->clock_ms); // silent past dark_ms first, if no sweep saw it
        close_asset(e, a, false);
        track_remove(e->tt, a);
        return;
    }
    dark_check(e, a, e->clock_ms);
}

static void sweep_pairs(struct ev_engine *e, bool all)
{
    for (uint32_t i = 0; i < e->pairs.cap; i++) {
        struct pair_ent *p = (struct pair_ent *)cm_at(&e->pairs, i);
        if (!p->h.used)
            continue;
        if (all || e->clock_ms - p->t_last > e->cfg.enc_skew_ms) {
            pair_emit(e, p, all);
            cm_del(&e->pairs, p->h.key);
        }
    }
}

static void sweep(struct ev_engine *e)
{
    e->cur = NULL;
    sweep_pairs(e, false);
    track_foreach(e->tt, sweep_one, e);
}

static void finish_one(void *ctx, struct track_asset *a)
{
    struct ev_engine *e = ctx;
    close_asset(e, a, true);
    track_remove(e->tt, a);
}

void ev_engine_finish(struct ev_engine *e)
{
    e->cur = NULL;
    sweep_pairs(e, true);
    track_foreach(e->tt, finish_one, e);
}

/* ---- per observation ---- */

void ev_engine_obs(struct ev_engine *e, const struct obs *o)
{
    e->st.obs++;
    struct obs timed;
    if (o->t_ms <= 0) {
        // Unknown time (e.g. NMEA before the first time tag): the data's
        // clock so far; 0 (still unknown) before any time was seen.
        timed = *o;
        timed.t_ms = e->clock_ms;
        o = &timed;
        e->st.untimed++;
    }
    if (o->t_ms > e->clock_ms) {
        e->clock_ms = o->t_ms;
        if (e->clock_ms >= e->next_sweep_ms) {
            if (e->next_sweep_ms)
                sweep(e);
            e->next_sweep_ms = e->clock_ms + e->cfg.sweep_ms;
        }
    }
    if (o->kind == OBS_AIRCRAFT) {
        // A silence that ended between two sweeps: what the sweep at this
        // observation's time would have found (dark, or expiry: then the
        // asset starts again with first_seen), so that it does not depend
        // on when the sweeps ran (see dark_check).
        struct track_asset *prev = track_find(e->tt, o->kind, o->id);
        e->cur = NULL;
        if (prev && prev->t_last_ms > 0 && track_expired(e->tt, prev, o->t_ms)) {
            dark_check(e, prev, o->t_ms);
            close_asset(e, prev, false);
            track_remove(e->tt, prev);
        } else if (prev) {
            dark_check(e, prev, o->t_ms);
        }
    }
    e->cur = o;
    struct track_upd u;
    uint32_t src = intern_src(e, o->source);
    struct track_asset *a = track_update(e->tt, o, src, &u);
    if (!a) {
        e->st.nomem++;
        return;
    }
    struct ev_asset *ea = EA(a);
    bool force = false;
    if (u.is_new) {
        memset(ea, 0, sizeof(*ea));
        for (int k = 0; k < NDL; k++)
            ea->dl_d[k] = NAN;
    }
    ea->st &= (uint8_t)~ST_DARK;
    struct ev_fix fx = fix_of(&a->pos);
    bool pos_ok = u.pos == TRACK_POS_OK;
    if (u.is_new) {
        struct event ev;
        ev_init(&ev, EV_FIRST_SEEN, a);
        ev.t_start_ms = ev.t_end_ms = o->t_ms;
        if (pos_ok)
            ev.p[0] = point_of(e, &fx);
        emit(e, &ev);
        force = pos_ok;
    }
    if (o->t_ms <= 0)
        return; // nothing timed can be said before the data has a time
    // AIS gap (GFW): silent >= gap_ms, last fix >= gap_shore_nm from shore.
    if (!u.is_new && a->kind == OBS_SHIP && u.prev_last_ms > 0 &&
        o->t_ms - u.prev_last_ms >= e->cfg.gap_ms && !(ea->st & ST_GAP)) {
        const struct track_fixref *last = pos_ok ? &u.prev_pos : &a->pos;
        bool have = pos_ok ? u.had_pos : (a->flags & TRACK_AF_HAS_POS) != 0;
        double shore = have ? shore_of(e, last->lat, last->lon) : 0;
        if (have && shore >= e->cfg.gap_shore_nm) {
            ea->k.sh.gap_last = u.prev_last_ms;
            ea->k.sh.gap_t = o->t_ms;
            if (pos_ok) {
                gap_emit(e, a, ea, last, &fx, o->t_ms, false, shore);
                force = true;
            } else {
                ea->st |= ST_GAP; // the last fix stays in a->pos until the next one
            }
        }
        // A long silence ends an open loiter at the last fix before it.
        if ((ea->st & ST_LOITER) && have) {
            struct ev_fix end = fix_of(last);
            loiter_close(e, a, ea, &end, false);
        }
    } else if ((ea->st & ST_GAP) && pos_ok) {
        double shore = u.had_pos ? shore_of(e, u.prev_pos.lat, u.prev_pos.lon) : INFINITY;
        gap_emit(e, a, ea, &u.prev_pos, &fx, ea->k.sh.gap_t, false, shore);
        force = true;
    }
    if (!pos_ok)
        return;
    e->st.positions++;
    odo_step(ea, u.step_nm);
    double sog = speed_of(a, &u);
    if (e->th) {
        zones_update(e, a, ea, &fx, &force);
        approach_update(e, a, ea, &fx, &force);
        site_update(e, a, ea, &fx, (o->flags & OBS_F_SURFACE) != 0, &force);
    }
    if (a->kind == OBS_SHIP) {
        loiter_update(e, a, ea, &u, &fx, sog, &force);
        encounter_update(e, a, ea, &fx, sog);
    } else {
        orbit_update(e, a, ea, &u, &fx, (o->flags & OBS_F_SURFACE) != 0, &force);
    }
    if (track_thin(e->tt, a, force) && e->pcb) {
        struct ev_point p = point_of(e, &fx);
        e->pcb(e->pctx, a, &p, force);
    }
}
