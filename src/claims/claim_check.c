/* SPDX-License-Identifier: BSD-2-Clause
 *
 * claim_check.c - the verdict of a claim against the stored fixes
 * (claim_check.h): measured value, margin, coverage and evidence rows.
 */
#include "claims/claim_check.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "geo/geodesic.h"
#include "geo/theatre.h"
#include "report/rtime.h"

#define KM_PER_NM 1.852

static const char *const verdict_names[] = {"supported", "contradicted", "partly supported",
                                            "no public data"};

const char *claim_verdict_name(enum claim_verdict v)
{
    return (unsigned)v < 4 ? verdict_names[v] : "?";
}

static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return rc;
}

static void add_note(struct claim_result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void add_note(struct claim_result *r, const char *fmt, ...)
{
    size_t n = strlen(r->note);
    if (n && n + 2 < sizeof r->note)
        r->note[n++] = ' ', r->note[n] = '\0';
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->note + n, sizeof r->note - n, fmt, ap);
    va_end(ap);
}

static const char *asset_label(const struct store_asset *a)
{
    return a->callsign[0] ? a->callsign : a->name[0] ? a->name : a->hull;
}

/* ---- resolving assets ---- */

struct resolve_ctx {
    const char *key;
    int mode; /* 0 exact (store_asset_find), 1 call sign prefix, 2 role word */
    size_t plen;
    int64_t *ids;
    size_t max, n;
};

static void add_id(struct resolve_ctx *x, int64_t id)
{
    for (size_t i = 0; i < x->n; i++)
        if (x->ids[i] == id)
            return;
    if (x->n < x->max)
        x->ids[x->n++] = id;
}

static int find_cb(void *ctx, const struct store_asset *a)
{
    add_id(ctx, a->id);
    return 0;
}

static bool contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (!strncasecmp(hay, needle, n))
            return true;
    return false;
}

static int pres_match_cb(void *ctx, const struct store_presence *p)
{
    struct resolve_ctx *x = ctx;
    const struct store_asset *a = &p->asset;
    bool ok = x->mode == 1 ? !strncasecmp(a->callsign, x->key, x->plen)
                           : (contains_ci(a->role, x->key) || contains_ci(a->category, x->key));
    if (ok)
        add_id(x, a->id);
    return 0;
}

int claim_resolve(struct store *s, const char *key, int64_t from_ms, int64_t to_ms, int64_t *ids,
                  size_t max, size_t *n)
{
    struct resolve_ctx x = {.key = key, .ids = ids, .max = max};
    *n = 0;
    if (!from_ms && !to_ms)
        from_ms = RTIME_MIN_MS, to_ms = RTIME_MAX_MS;
    const char *star = strchr(key, '*');
    int rc;
    if (star) {
        x.mode = 1;
        x.plen = (size_t)(star - key);
        rc = store_presence(s, "*", from_ms, to_ms, false, pres_match_cb, &x);
    } else if (!strncmp(key, "role:", 5)) {
        x.mode = 2;
        x.key = key + 5;
        rc = store_presence(s, "*", from_ms, to_ms, true, pres_match_cb, &x);
    } else {
        const char *k = !strncmp(key, "hex:", 4)    ? key + 4
                        : !strncmp(key, "mmsi:", 5) ? key + 5
                                                    : key;
        rc = store_asset_find(s, k, find_cb, &x);
    }
    *n = x.n;
    return rc;
}

/* ---- fixes ---- */

static void copy_raw(struct cc_fix *f, const struct store_obs_row *row)
{
    f->raw[0] = '\0';
    f->source[0] = '\0';
    f->raw_id = row->obs.raw_id;
    if (row->raw) {
        size_t n = row->raw_len < sizeof f->raw - 1 ? row->raw_len : sizeof f->raw - 1;
        for (size_t i = 0; i < n; i++) {
            unsigned char ch = (unsigned char)row->raw[i];
            f->raw[i] = ch >= 0x20 && ch < 0x7f ? (char)ch : '.';
        }
        while (n && f->raw[n - 1] == '.')
            n--; // trailing CR/LF
        f->raw[n] = '\0';
    }
    if (row->source) {
        const char *b = strrchr(row->source, '/');
        snprintf(f->source, sizeof f->source, "%s", b ? b + 1 : row->source);
    }
}

static void fill_fix(struct cc_fix *f, const struct store_asset *a, const struct store_obs_row *row,
                     double d_nm)
{
    f->asset_id = a->id;
    snprintf(f->asset, sizeof f->asset, "%s", asset_label(a));
    f->t_ms = row->obs.t_ms;
    f->lat = row->obs.lat;
    f->lon = row->obs.lon;
    f->d_nm = d_nm;
    copy_raw(f, row);
}

struct geo_ctx {
    struct theatre *th;
    int approach; /* index, or -1 for the point */
    double lat, lon;
};

static double ref_dist(struct geo_ctx *g, double lat, double lon)
{
    if (g->approach >= 0)
        return theatre_approach_nm(g->th, (size_t)g->approach, lat, lon, NULL, NULL);
    return geo_dist_nm(lat, lon, g->lat, g->lon);
}

/* Distance: walk the fixes in time order keeping the previous one. */
struct dist_ctx {
    struct geo_ctx *g;
    const struct store_asset *a;
    struct claim_result *r;
    double claim_nm;
    double top_kn;
    bool have_prev;
    struct cc_fix prev;
    double prev_d;
    double best;     /* interpolated minimum */
    double best_fix; /* closest single fix */
    bool gap_open;   /* a gap could hide the claimed approach */
    bool pending;    /* the closest fix waits for its successor */
    double prev_sog, best_sog;
};

static int dist_cb(void *ctx, const struct store_obs_row *row)
{
    struct dist_ctx *x = ctx;
    struct claim_result *r = x->r;
    double d = ref_dist(x->g, row->obs.lat, row->obs.lon);
    struct cc_fix cur;
    fill_fix(&cur, x->a, row, d);
    if (!r->seen_first_ms || cur.t_ms < r->seen_first_ms)
        r->seen_first_ms = cur.t_ms;
    if (cur.t_ms > r->seen_last_ms)
        r->seen_last_ms = cur.t_ms;
    bool paired = x->have_prev && cur.t_ms - x->prev.t_ms <= CC_PAIR_MAX_MS;
    if (x->have_prev && !paired) {
        int64_t dt = cur.t_ms - x->prev.t_ms;
        if (r->nasset_gaps < CC_MAX_GAPS)
            r->asset_gaps[r->nasset_gaps++] = (struct cc_span){x->prev.t_ms, cur.t_ms};
        double reach = x->top_kn * (double)dt / 3600000.0;
        // |p - ref| >= max(d(prev) - |prev p|, d(cur) - |p cur|), |prev p| + |p cur| <= reach
        if (!isfinite(x->prev_d) || !isfinite(d) || (x->prev_d + d - reach) / 2 <= x->claim_nm)
            x->gap_open = true;
    }
    if (paired && (isfinite(x->prev_d) || isfinite(d))) {
        // Sample the straight segment between the pair every ~0.25 nm.
        double seg = geo_fast_nm(x->prev.lat, x->prev.lon, cur.lat, cur.lon);
        int k = (int)ceil(seg / 0.25);
        if (k > 200)
            k = 200;
        for (int i = 1; i < k; i++) {
            double f = (double)i / k;
            double la = x->prev.lat + f * (cur.lat - x->prev.lat);
            double lo = x->prev.lon + f * (cur.lon - x->prev.lon);
            double di = ref_dist(x->g, la, lo);
            if (di < x->best) {
                x->best = di;
                r->closest_lat = la;
                r->closest_lon = lo;
                r->pair[0] = x->prev;
                r->pair[1] = cur;
                r->npair = 2;
                x->pending = false;
                x->best_sog = fmax(x->prev_sog, row->obs.sog_kn);
            }
        }
    }
    if (d < x->best_fix)
        x->best_fix = d;
    if (d < x->best) {
        x->best = d;
        r->closest_lat = cur.lat;
        r->closest_lon = cur.lon;
        r->pair[0] = paired ? x->prev : cur;
        r->pair[1] = cur;
        r->npair = paired ? 2 : 1;
        x->pending = !paired;
        x->best_sog = paired ? fmax(x->prev_sog, row->obs.sog_kn) : row->obs.sog_kn;
    } else if (x->pending) {
        if (paired) {
            r->pair[1] = cur;
            r->npair = 2;
            x->best_sog = fmax(x->best_sog, row->obs.sog_kn);
        }
        x->pending = false;
    }
    x->prev_sog = row->obs.sog_kn;
    x->prev = cur;
    x->prev_d = d;
    x->have_prev = true;
    return 0;
}

/* The half-width of the ellipse of paths between two fixes (see
 * claim_result.uncertainty_nm). */
static double pair_uncertainty(const struct cc_fix *a, const struct cc_fix *b, double sog_kn)
{
    double dd = geo_dist_nm(a->lat, a->lon, b->lat, b->lon);
    double hours = (double)(b->t_ms - a->t_ms) / 3600000.0;
    double len = isfinite(sog_kn) && sog_kn > 0 ? sog_kn * hours : 0;
    if (len < 1.1 * dd)
        len = 1.1 * dd;
    return sqrt(fmax(0.0, len * len - dd * dd)) / 2;
}

/* ---- coverage ---- */

struct cov_ctx {
    struct claim_result *r;
    int64_t from, to;
    struct cc_span spans[64];
    size_t n;
};

static int cov_cb(void *ctx, const struct store_source *src)
{
    struct cov_ctx *x = ctx;
    if (!src->t_first_ms || src->t_last_ms < x->from || src->t_first_ms > x->to)
        return 0;
    struct claim_result *r = x->r;
    const char *b = strrchr(src->name, '/');
    if (r->nsources < CC_MAX_SOURCES)
        snprintf(r->sources[r->nsources++], sizeof r->sources[0], "%.70s%s", b ? b + 1 : src->name,
                 src->simulated ? " (simulated)" : "");
    if (x->n < sizeof x->spans / sizeof x->spans[0])
        x->spans[x->n++] = (struct cc_span){src->t_first_ms, src->t_last_ms};
    return 0;
}

static int span_cmp(const void *a, const void *b)
{
    const struct cc_span *x = a, *y = b;
    return x->from_ms < y->from_ms ? -1 : x->from_ms > y->from_ms;
}

static int coverage(struct store *s, const struct claim *c, struct claim_result *r)
{
    struct cov_ctx x = {.r = r, .from = c->from_ms, .to = c->to_ms};
    int rc = store_sources(s, cov_cb, &x);
    if (rc)
        return rc;
    qsort(x.spans, x.n, sizeof x.spans[0], span_cmp);
    int64_t at = c->from_ms;
    for (size_t i = 0; i < x.n && at < c->to_ms; i++) {
        if (x.spans[i].from_ms > at && r->nuncovered < CC_MAX_GAPS)
            r->uncovered[r->nuncovered++] =
                (struct cc_span){at, x.spans[i].from_ms < c->to_ms ? x.spans[i].from_ms : c->to_ms};
        if (x.spans[i].to_ms > at)
            at = x.spans[i].to_ms;
    }
    if (at < c->to_ms && r->nuncovered < CC_MAX_GAPS)
        r->uncovered[r->nuncovered++] = (struct cc_span){at, c->to_ms};
    return 0;
}

/* ---- verdict helpers ---- */

static enum claim_verdict judge(enum claim_qual q, double claimed, double measured, double tol)
{
    switch (q) {
    case CQ_LE:
    case CQ_LT:
        if (q == CQ_LE ? measured <= claimed : measured < claimed)
            return CV_SUPPORTED;
        return measured <= claimed + tol ? CV_PARTLY : CV_CONTRADICTED;
    case CQ_GE:
    case CQ_GT:
        if (q == CQ_GE ? measured >= claimed : measured > claimed)
            return CV_SUPPORTED;
        return measured >= claimed - tol ? CV_PARTLY : CV_CONTRADICTED;
    case CQ_ABOUT: {
        double band = fmax(tol, 0.2 * claimed);
        double off = fabs(measured - claimed);
        return off <= band ? CV_SUPPORTED : off <= 2.5 * band ? CV_PARTLY : CV_CONTRADICTED;
    }
    case CQ_EQ:
        return measured == claimed ? CV_SUPPORTED : CV_CONTRADICTED;
    default:
        return CV_NO_DATA;
    }
}

static double margin_of(enum claim_qual q, double claimed, double measured)
{
    switch (q) {
    case CQ_LE:
    case CQ_LT:
        return claimed - measured;
    case CQ_GE:
    case CQ_GT:
        return measured - claimed;
    default:
        return -fabs(measured - claimed);
    }
}

static int open_geo(const struct claim *c, struct theatre **th, char *err, size_t errlen)
{
    enum orbat_err e;
    char msg[200];
    *th = theatre_load(c->theatre, &e, msg, sizeof msg);
    if (!*th)
        return fail(err, errlen, ORBAT_E_NOTFOUND, "theatre '%s': %s", c->theatre, msg);
    return 0;
}

/* ---- distance ---- */

static int check_distance(struct store *s, const struct claim *c, struct claim_result *r, char *err,
                          size_t errlen)
{
    struct theatre *th = NULL;
    struct geo_ctx g = {.approach = -1, .lat = c->ref_lat, .lon = c->ref_lon};
    if (c->ref[0]) {
        int rc = open_geo(c, &th, err, errlen);
        if (rc)
            return rc;
        for (size_t i = 0; i < th->napproach; i++)
            if (!strcmp(th->approach[i].name, c->ref))
                g.approach = (int)i;
        if (g.approach < 0) {
            char names[160] = "";
            for (size_t i = 0; i < th->napproach; i++)
                snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? ", " : "",
                         th->approach[i].name);
            theatre_free(th);
            return fail(err, errlen, ORBAT_E_NOTFOUND,
                        "ref=%s is not a reference of theatre %s (%s, or point:LAT,LON)", c->ref,
                        c->theatre, names);
        }
        g.th = th;
    }
    int64_t ids[CC_MAX_MATCH];
    size_t n;
    int rc = claim_resolve(s, c->asset, 0, 0, ids, CC_MAX_MATCH, &n);
    double best = INFINITY, best_fix = INFINITY, best_sog = NAN;
    bool gap_open = false;
    for (size_t i = 0; !rc && i < n; i++) {
        struct store_asset a;
        if ((rc = store_asset_get(s, ids[i], &a)))
            break;
        if (r->nassets < CC_MAX_ASSETS)
            r->assets[r->nassets++].a = a;
        struct dist_ctx x = {.g = &g,
                             .a = &a,
                             .r = r,
                             .claim_nm = c->m.nm,
                             .top_kn = a.kind == STORE_SHIP ? CC_SEA_KN : CC_AIR_KN,
                             .best = best,
                             .best_fix = best_fix,
                             .prev_d = INFINITY,
                             .prev_sog = NAN,
                             .best_sog = NAN};
        double was = best;
        rc = store_observations(s, a.id, c->from_ms, c->to_ms, dist_cb, &x);
        best = x.best, best_fix = x.best_fix;
        if (best < was)
            best_sog = x.best_sog;
        gap_open |= x.gap_open;
    }
    r->assets_total = n;
    if (!rc && isfinite(best)) {
        if (g.approach >= 0)
            theatre_approach_nm(th, (size_t)g.approach, r->closest_lat, r->closest_lon,
                                &r->ref_near_lat, &r->ref_near_lon);
        else
            r->ref_near_lat = g.lat, r->ref_near_lon = g.lon;
    } else {
        r->closest_lat = r->closest_lon = NAN;
    }
    theatre_free(th);
    if (rc)
        return fail(err, errlen, rc, "%s", store_errmsg(s));
    char claimed[80];
    claim_format_measure(&c->m, c->kind, claimed, sizeof claimed);
    if (!r->seen_first_ms) {
        r->verdict = CV_NO_DATA;
        snprintf(r->measured, sizeof r->measured, "no fixes of %s in the window", c->asset);
        add_note(r,
                 "No public transponder data for %s in the window: the claim can be "
                 "neither supported nor contradicted.",
                 c->asset);
        return 0;
    }
    if (!isfinite(best)) {
        r->verdict = CV_NO_DATA;
        snprintf(r->measured, sizeof r->measured, "more than %.0f nm from %s (not measured)",
                 GEO_LAYER_MAX_NM, c->ref);
        if (c->m.qual == CQ_GE || c->m.qual == CQ_GT)
            r->verdict = c->m.nm < GEO_LAYER_MAX_NM ? CV_SUPPORTED : CV_NO_DATA;
        else
            r->verdict = gap_open ? CV_NO_DATA : CV_CONTRADICTED;
        return 0;
    }
    r->value = best;
    r->closest_fix_nm = best_fix;
    r->margin = margin_of(c->m.qual, c->m.nm, best);
    double u = r->npair == 2 ? pair_uncertainty(&r->pair[0], &r->pair[1], best_sog) : 0;
    r->uncertainty_nm = u;
    snprintf(r->measured, sizeof r->measured,
             "closest approach %.1f nm (%.1f km), uncertain by %.1f nm (%.1f km)", best,
             best * KM_PER_NM, u, u * KM_PER_NM);
    double tol = fmax(fmax(1.0, 0.1 * c->m.nm), u);
    r->verdict = judge(c->m.qual, c->m.nm, best, tol);
    if (r->verdict == CV_SUPPORTED && (c->m.qual == CQ_GE || c->m.qual == CQ_GT) &&
        best - u < c->m.nm) {
        r->verdict = CV_PARTLY;
        add_note(r, "Between the fix pair the asset may have come closer than the claim.");
    }
    // A gap can only hide a closer approach: it matters when the fixes stay
    // farther than the claim.
    if (r->verdict == CV_CONTRADICTED && gap_open && best > c->m.nm &&
        (c->m.qual == CQ_LE || c->m.qual == CQ_LT || c->m.qual == CQ_ABOUT)) {
        r->verdict = CV_NO_DATA;
        add_note(r,
                 "The fixes do not come %s, but the track has a gap in which the asset could "
                 "have (at %.0f kn): public data cannot settle it.",
                 claimed, r->assets[0].a.kind == STORE_SHIP ? CC_SEA_KN : CC_AIR_KN);
    } else if (r->verdict == CV_SUPPORTED && gap_open &&
               (c->m.qual == CQ_GE || c->m.qual == CQ_GT)) {
        r->verdict = CV_PARTLY;
        add_note(r, "The fixes agree, but the track has a gap in which the asset could have "
                    "come closer.");
    }
    if (r->verdict == CV_PARTLY && !r->note[0])
        add_note(r,
                 "The fixes miss the claim by less than the measurement tolerance (%.1f nm): "
                 "consistent with it, not proof of it.",
                 tol);
    add_note(r,
             "Distances between fixes are interpolated along a straight line (fixes at most "
             "%lld min apart).",
             (long long)(CC_PAIR_MAX_MS / 60000));
    return 0;
}

/* ---- areas ---- */

struct area_ctx {
    const struct claim *c;
    struct theatre *th;
    size_t zone;
};

static bool in_area(struct area_ctx *x, double lat, double lon)
{
    const struct claim *c = x->c;
    switch (c->area) {
    case CA_BBOX:
        return lat >= c->south && lat <= c->north && lon >= c->west && lon <= c->east;
    case CA_CIRCLE:
        return geo_dist_nm(lat, lon, c->lat, c->lon) <= c->radius_nm;
    case CA_ZONE:
    case CA_THEATRE:
        return theatre_in_zone(x->th, x->zone, lat, lon);
    default:
        return false;
    }
}

static int open_area(const struct claim *c, struct area_ctx *x, char *err, size_t errlen)
{
    x->c = c;
    x->th = NULL;
    x->zone = 0;
    if (c->area != CA_ZONE && c->area != CA_THEATRE)
        return 0;
    int rc = open_geo(c, &x->th, err, errlen);
    if (rc)
        return rc;
    if (c->area == CA_ZONE) {
        x->zone = x->th->nzones;
        for (size_t i = 0; i < x->th->nzones; i++)
            if (!strcmp(x->th->zones[i].name, c->zone))
                x->zone = i;
        if (x->zone == x->th->nzones) {
            theatre_free(x->th);
            x->th = NULL;
            return fail(err, errlen, ORBAT_E_NOTFOUND, "zone '%s' is not a zone of theatre %s",
                        c->zone, c->theatre);
        }
    }
    return 0;
}

struct inside_ctx {
    struct area_ctx *area;
    const struct store_asset *a;
    struct cc_asset *out;
    struct claim_result *r;
    bool closest; /* incident: keep the closest fix, else the first inside */
    bool any;     /* any fix at all (inside or not) */
    double best;
    struct cc_fix last;
};

static int inside_cb(void *ctx, const struct store_obs_row *row)
{
    struct inside_ctx *x = ctx;
    x->any = true;
    if (!in_area(x->area, row->obs.lat, row->obs.lon))
        return 0;
    const struct claim *c = x->area->c;
    double d = c->area == CA_CIRCLE ? geo_dist_nm(row->obs.lat, row->obs.lon, c->lat, c->lon) : NAN;
    if (!x->out->n_fixes || (x->closest && d < x->best)) {
        fill_fix(&x->out->first, x->a, row, d);
        x->best = d;
    }
    x->out->n_fixes++;
    fill_fix(&x->last, x->a, row, d);
    return 0;
}

/* ---- presence / absence ---- */

static int check_presence(struct store *s, const struct claim *c, struct claim_result *r, char *err,
                          size_t errlen)
{
    struct area_ctx ar;
    int rc = open_area(c, &ar, err, errlen);
    if (rc)
        return rc;
    int64_t ids[CC_MAX_MATCH];
    size_t n;
    rc = claim_resolve(s, c->asset, 0, 0, ids, CC_MAX_MATCH, &n);
    uint64_t inside = 0;
    bool any = false;
    for (size_t i = 0; !rc && i < n && r->nassets < CC_MAX_ASSETS; i++) {
        struct cc_asset *ca = &r->assets[r->nassets];
        memset(ca, 0, sizeof *ca);
        if ((rc = store_asset_get(s, ids[i], &ca->a)))
            break;
        struct inside_ctx x = {.area = &ar, .a = &ca->a, .out = ca, .r = r};
        rc = store_observations(s, ca->a.id, c->from_ms, c->to_ms, inside_cb, &x);
        any |= x.any;
        inside += ca->n_fixes;
        if (ca->n_fixes && r->nevidence + 2 <= sizeof r->evidence / sizeof r->evidence[0]) {
            r->evidence[r->nevidence++] = ca->first;
            if (x.last.t_ms != ca->first.t_ms)
                r->evidence[r->nevidence++] = x.last;
        }
        r->nassets++;
    }
    r->assets_total = n;
    theatre_free(ar.th);
    if (rc)
        return fail(err, errlen, rc, "%s", store_errmsg(s));
    r->value = (double)inside;
    bool presence = c->kind == CLAIM_PRESENCE;
    if (!any) {
        r->verdict = CV_NO_DATA;
        snprintf(r->measured, sizeof r->measured, "no fixes of %s in the window", c->asset);
        add_note(r,
                 "No public transponder data for %s in the window: %s cannot be shown "
                 "either way.",
                 c->asset, presence ? "presence" : "absence");
    } else if (inside) {
        r->verdict = presence ? CV_SUPPORTED : CV_CONTRADICTED;
        snprintf(r->measured, sizeof r->measured, "%llu fixes inside the area",
                 (unsigned long long)inside);
    } else {
        r->verdict = presence ? CV_CONTRADICTED : CV_SUPPORTED;
        snprintf(r->measured, sizeof r->measured, "fixes in the window, none inside the area");
        add_note(r, "Only what transponders showed: a silent transponder inside the area would "
                    "not be seen.");
    }
    return 0;
}

/* ---- count ---- */

static bool category_match(const char *cat, const struct store_asset *a)
{
    if (!strcmp(cat, "military"))
        return a->military;
    if (!strcmp(cat, "warship"))
        return a->kind == STORE_SHIP && a->military && !strcmp(a->category, "warship");
    if (!strcmp(cat, "military aircraft"))
        return a->kind == STORE_AIRCRAFT && a->military;
    return a->military && (contains_ci(a->role, cat) || contains_ci(a->category, cat));
}

struct count_ctx {
    struct store *s;
    const struct claim *c;
    struct claim_result *r;
    struct area_ctx *area;
    int rc;
};

static int count_cb(void *ctx, const struct store_presence *p)
{
    struct count_ctx *x = ctx;
    struct claim_result *r = x->r;
    if (!category_match(x->c->m.category, &p->asset))
        return 0;
    struct cc_asset tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.a = p->asset;
    struct inside_ctx ic = {.area = x->area, .a = &tmp.a, .out = &tmp, .r = r};
    int rc = store_observations(x->s, p->asset.id, x->c->from_ms, x->c->to_ms, inside_cb, &ic);
    if (rc) {
        x->rc = rc;
        return 1;
    }
    if (!tmp.n_fixes)
        return 0;
    r->assets_total++;
    if (r->nassets < CC_MAX_ASSETS)
        r->assets[r->nassets++] = tmp;
    return 0;
}

static int check_count(struct store *s, const struct claim *c, struct claim_result *r, char *err,
                       size_t errlen)
{
    struct area_ctx ar;
    int rc = open_area(c, &ar, err, errlen);
    if (rc)
        return rc;
    struct count_ctx x = {.s = s, .c = c, .r = r, .area = &ar};
    rc = store_presence(s, "*", c->from_ms, c->to_ms, true, count_cb, &x);
    theatre_free(ar.th);
    if (x.rc)
        rc = x.rc;
    if (rc)
        return fail(err, errlen, rc, "%s", store_errmsg(s));
    double nv = (double)r->assets_total;
    r->value = nv;
    r->margin = margin_of(c->m.qual, c->m.value, nv);
    struct claim_measure seen = c->m;
    seen.qual = CQ_EQ;
    seen.value = nv;
    char what[96];
    claim_format_measure(&seen, CLAIM_COUNT, what, sizeof what);
    snprintf(r->measured, sizeof r->measured, "%s seen on transponders", what + strlen("exactly "));
    if (!r->assets_total && !r->nsources) {
        r->verdict = CV_NO_DATA;
        add_note(r, "No source covers the window.");
        return 0;
    }
    double tol = c->m.qual == CQ_ABOUT ? fmax(1.0, 0.2 * c->m.value) : 0.0;
    r->verdict = judge(c->m.qual, c->m.value, nv, tol);
    // Transponder counts are a lower bound: more than seen cannot be ruled out.
    bool under = nv < c->m.value || (c->m.qual == CQ_GT && nv <= c->m.value);
    if (r->verdict != CV_SUPPORTED && under) {
        r->verdict = r->assets_total ? CV_PARTLY : CV_NO_DATA;
        add_note(r,
                 "Public transponder data show %llu; assets with AIS or ADS-B off are not "
                 "counted, so more cannot be ruled out.",
                 (unsigned long long)r->assets_total);
    } else if (r->verdict == CV_SUPPORTED && (c->m.qual == CQ_LE || c->m.qual == CQ_LT ||
                                              c->m.qual == CQ_EQ || c->m.qual == CQ_ABOUT)) {
        add_note(r, "A lower bound: assets with transponders off are not counted.");
    }
    return 0;
}

/* ---- incident ---- */

static int asset_cmp(const void *pa, const void *pb)
{
    const struct cc_asset *a = pa, *b = pb;
    if (a->a.military != b->a.military)
        return a->a.military ? -1 : 1;
    return a->first.d_nm < b->first.d_nm ? -1 : a->first.d_nm > b->first.d_nm;
}

static int near_cb(void *ctx, const struct store_presence *p)
{
    struct count_ctx *x = ctx;
    struct claim_result *r = x->r;
    struct cc_asset tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.a = p->asset;
    struct inside_ctx ic = {.area = x->area, .a = &tmp.a, .out = &tmp, .r = r, .closest = true};
    int rc = store_observations(x->s, p->asset.id, x->c->from_ms, x->c->to_ms, inside_cb, &ic);
    if (rc) {
        x->rc = rc;
        return 1;
    }
    if (!tmp.n_fixes)
        return 0;
    r->assets_total++;
    if (r->nassets < CC_MAX_ASSETS) {
        r->assets[r->nassets++] = tmp;
    } else { // keep the military and the closest
        qsort(r->assets, r->nassets, sizeof r->assets[0], asset_cmp);
        if (asset_cmp(&tmp, &r->assets[r->nassets - 1]) < 0)
            r->assets[r->nassets - 1] = tmp;
    }
    return 0;
}

static int gap_cb(void *ctx, const struct store_event *e, const struct store_asset *a)
{
    struct count_ctx *x = ctx;
    const struct claim *c = x->c;
    if (isnan(e->lat) || geo_dist_nm(e->lat, e->lon, c->lat, c->lon) > c->radius_nm + 50)
        return 0;
    struct claim_result *r = x->r;
    r->ais_gaps++;
    if (r->ngap_lines < sizeof r->gap_lines / sizeof r->gap_lines[0]) {
        char t[32];
        rtime_format(e->t_ms, t, sizeof t);
        snprintf(r->gap_lines[r->ngap_lines++], sizeof r->gap_lines[0], "%s %.40s (%u) %.80s", t,
                 asset_label(a), a->ident, e->detail);
    }
    return 0;
}

static int check_incident(struct store *s, const struct claim *c, struct claim_result *r, char *err,
                          size_t errlen)
{
    struct area_ctx ar = {.c = c};
    struct count_ctx x = {.s = s, .c = c, .r = r, .area = &ar};
    int rc = store_presence(s, "*", c->from_ms, c->to_ms, false, near_cb, &x);
    if (!rc && !x.rc)
        rc = store_events(s, "ais_gap", c->from_ms - 86400000LL, c->to_ms, gap_cb, &x);
    if (x.rc)
        rc = x.rc;
    if (rc)
        return fail(err, errlen, rc, "%s", store_errmsg(s));
    qsort(r->assets, r->nassets, sizeof r->assets[0], asset_cmp);
    size_t mil = 0;
    for (size_t i = 0; i < r->nassets; i++)
        mil += r->assets[i].a.military;
    r->value = (double)mil;
    snprintf(r->measured, sizeof r->measured,
             "%zu military and %zu other transponder-visible assets within %.10g %s", mil,
             r->assets_total - mil, c->radius_value, claim_unit_text(c->radius_unit));
    if (mil) {
        r->verdict = CV_PARTLY;
        add_note(r, "Public data place military assets near the point at the time; they do not "
                    "show the incident itself.");
    } else {
        r->verdict = CV_NO_DATA;
        add_note(r, "No transponder-visible military asset within the radius at the time.");
    }
    add_note(r, "Small boats rarely carry AIS: their absence from the data says nothing.");
    return 0;
}

int claim_check(struct store *s, const struct claim *c, struct claim_result *r, char *err,
                size_t errlen)
{
    memset(r, 0, sizeof *r);
    r->value = NAN;
    r->margin = NAN;
    r->closest_fix_nm = NAN;
    r->closest_lat = r->closest_lon = r->ref_near_lat = r->ref_near_lon = NAN;
    int rc = coverage(s, c, r);
    if (rc)
        return fail(err, errlen, rc, "%s", store_errmsg(s));
    switch (c->kind) {
    case CLAIM_DISTANCE:
        rc = check_distance(s, c, r, err, errlen);
        break;
    case CLAIM_PRESENCE:
    case CLAIM_ABSENCE:
        rc = check_presence(s, c, r, err, errlen);
        break;
    case CLAIM_COUNT:
        rc = check_count(s, c, r, err, errlen);
        break;
    case CLAIM_INCIDENT:
        rc = check_incident(s, c, r, err, errlen);
        break;
    default:
        return fail(err, errlen, ORBAT_E_INVAL, "unknown claim kind");
    }
    if (!rc && !r->nsources)
        add_note(r, "No source in the database covers the window.");
    return rc;
}
