/* SPDX-License-Identifier: BSD-2-Clause
 *
 * api.c - routing and the endpoints of orbat's HTTP server (see api.h and
 * docs/server.md). Bodies are written with open_memstream through the same
 * report_* functions the CLI uses, so the API and `orbat report --format
 * json` agree byte for byte. Store access is timed for /metrics.
 */
#include "http/api.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "claims/claim_out.h"
#include "http/acinfo.h"
#include "report/report.h"
#include "report/report_png.h"
#include "report/rtime.h"

#define MAX_STATIC_BYTES (8u << 20) /* largest static file served */
#define MAX_TRACK_POINTS 200000     /* per /api/tracks response */
#define N_LAT_BUCKETS    8
#define CACHE_SLOTS      64
#define CACHE_MAX_BODY   (4u << 20)

enum route {
    R_STATIC,
    R_ASSETS,
    R_ASSET,
    R_TRACKS,
    R_EVENTS,
    R_OOB,
    R_TIMELINE,
    R_SOURCES,
    R_AIRCRAFT,
    R_METRICS,
    R_SIGHTING,
    R_CLAIMS,
    R_CLAIM,
    R_RECEIVER,
    R_TIMELINE_SVG,
    R_TIMELINE_PNG,
    R_NROUTES
};

static const char *const route_names[R_NROUTES] = {
    "static",   "assets",        "asset",         "tracks",       "events",   "oob",
    "timeline", "sources",       "aircraft_json", "metrics",      "sighting", "claims",
    "claim",    "receiver_json", "timeline_svg",  "timeline_png",
};

static const double lat_bounds[N_LAT_BUCKETS] = {0.0005, 0.001, 0.0025, 0.005,
                                                 0.01,   0.025, 0.1,    1.0};

/* One cached response (direct-mapped by a hash of path + query). */
struct cache_ent {
    char key[HTTP_MAX_PATH + HTTP_MAX_QUERY + 2];
    char *body;
    size_t len;
    const char *ctype;
    double t;
};

struct api {
    struct store *s;
    struct cache_ent cache[CACHE_SLOTS];
    uint64_t cache_hits, cache_misses;
    char *web_dir, *geo_dir, *token, *tar1090_dir;
    struct api_opts o;
    struct http_server *srv;
    pthread_mutex_t mu; /* the metrics below (handlers may run on any thread) */
    uint64_t hits[R_NROUTES];
    uint64_t store_calls, store_errors;
    double store_seconds;
    uint64_t lat_buckets[N_LAT_BUCKETS];
    uint64_t unauthorized;
};

/* A memstream body under construction. */
struct body {
    char *buf;
    size_t len;
    FILE *f;
};

static bool body_open(struct body *b)
{
    b->buf = NULL;
    b->len = 0;
    b->f = open_memstream(&b->buf, &b->len);
    return b->f != NULL;
}

/* Close the stream and hand its buffer to rs. */
static void body_send(struct body *b, struct http_resp *rs, int status, const char *ctype)
{
    if (fclose(b->f) != 0) {
        free(b->buf);
        http_resp_error(rs, 500, "out of memory");
        return;
    }
    http_resp_set(rs, status, ctype, b->buf, b->len);
}

static void body_discard(struct body *b)
{
    fclose(b->f);
    free(b->buf);
}

static double mono_s(void);

struct api *api_new(struct store *s, const struct api_opts *o)
{
    struct api *a = calloc(1, sizeof(*a));
    if (!a)
        return NULL;
    a->s = s;
    a->o = *o;
    a->web_dir = o->web_dir ? strdup(o->web_dir) : NULL;
    a->geo_dir = o->geo_dir ? strdup(o->geo_dir) : NULL;
    a->token = o->token && o->token[0] ? strdup(o->token) : NULL;
    a->tar1090_dir = o->tar1090_dir ? strdup(o->tar1090_dir) : NULL;
    a->o.clock.t0_mono_ms = (int64_t)(mono_s() * 1000.0);
    pthread_mutex_init(&a->mu, NULL);
    return a;
}

bool api_token_blank(const char *token)
{
    if (!token || !token[0])
        return false;
    for (const char *p = token; *p; p++)
        if (!isspace((unsigned char)*p))
            return false;
    return true;
}

void api_free(struct api *a)
{
    if (!a)
        return;
    pthread_mutex_destroy(&a->mu);
    for (int i = 0; i < CACHE_SLOTS; i++)
        free(a->cache[i].body);
    free(a->web_dir);
    free(a->geo_dir);
    free(a->token);
    free(a->tar1090_dir);
    free(a);
}

static void cache_clear(struct api *a);

void api_set_registry(struct api *a, const struct registry *reg)
{
    a->o.reg = reg; // under the caller's hold of a->o.lock (api.h)
    cache_clear(a); // no cached answer keeps the old database fields
}

void api_set_server(struct api *a, struct http_server *srv)
{
    a->srv = srv;
}

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void store_lock(struct api *a)
{
    if (a->o.lock)
        pthread_mutex_lock(a->o.lock);
}

static void store_unlock(struct api *a)
{
    if (a->o.lock)
        pthread_mutex_unlock(a->o.lock);
}

static void account(struct api *a, enum route r, double t0, bool store_used, int rc)
{
    double dt = mono_s() - t0;
    pthread_mutex_lock(&a->mu);
    a->hits[r]++;
    if (store_used) {
        a->store_calls++;
        if (rc < 0)
            a->store_errors++;
        a->store_seconds += dt;
        for (int i = 0; i < N_LAT_BUCKETS; i++)
            if (dt <= lat_bounds[i])
                a->lat_buckets[i]++;
    }
    pthread_mutex_unlock(&a->mu);
}

/* ---- query parameters ---- */

struct window {
    int64_t from_ms, to_ms, as_of_ms, window_ms;
};

/* Fetch a time parameter; returns -1 (and fills rs) when malformed. */
static int q_time(const struct http_req *rq, const char *key, int64_t *ms, bool *set,
                  struct http_resp *rs)
{
    char v[64];
    int r = http_query_get(rq->query, key, v, sizeof(v));
    *set = false;
    if (r == 0 || (r == 1 && !v[0]))
        return 0;
    int pr = r < 0 ? -1 : rtime_parse(v, ms);
    if (pr != 0) {
        char msg[128];
        if (pr == -2)
            snprintf(msg, sizeof(msg), "time in '%s' is outside " RTIME_RANGE_TEXT, key);
        else
            snprintf(msg, sizeof(msg),
                     "bad time in '%s' (use 2025-10-23, 2025-10-23T12:00Z or @unix)", key);
        http_resp_error(rs, 400, msg);
        return -1;
    }
    *set = true;
    return 0;
}

/* True when the query gives key a non-empty value. */
static bool has_value(const struct http_req *rq, const char *key)
{
    char v[64];
    return http_query_get(rq->query, key, v, sizeof(v)) == 1 && v[0];
}

static int q_str(const struct http_req *rq, const char *key, char *out, size_t size,
                 struct http_resp *rs)
{
    int r = http_query_get(rq->query, key, out, size);
    if (r < 0) {
        char msg[96];
        snprintf(msg, sizeof(msg), "bad or too long value for '%s'", key);
        http_resp_error(rs, 400, msg);
        return -1;
    }
    if (r == 0)
        out[0] = 0;
    return 0;
}

static bool q_flag(const struct http_req *rq, const char *key)
{
    char v[8];
    return http_query_get(rq->query, key, v, sizeof(v)) == 1 && strcmp(v, "0") &&
           strcmp(v, "false");
}

/* as_of (default: newest data), window (default 7 d), from/to (default
 * as_of - window .. as_of). */
static int q_window(struct api *a, const struct http_req *rq, struct window *w,
                    struct http_resp *rs)
{
    bool as_set, from_set, to_set;
    char v[32];
    w->window_ms = REPORT_DEFAULT_WINDOW_MS;
    if (q_time(rq, "as_of", &w->as_of_ms, &as_set, rs) ||
        q_time(rq, "from", &w->from_ms, &from_set, rs) || q_time(rq, "to", &w->to_ms, &to_set, rs))
        return -1;
    int r = http_query_get(rq->query, "window", v, sizeof(v));
    if (r < 0 ||
        (r == 1 && v[0] && (rtime_parse_duration(v, &w->window_ms) || w->window_ms <= 0))) {
        http_resp_error(rs, 400, "bad 'window' (use 7d, 36h, 2w)");
        return -1;
    }
    if (!as_set) {
        if (to_set) {
            w->as_of_ms = w->to_ms;
        } else {
            int64_t first, last;
            store_lock(a);
            int rc = store_time_range(a->s, &first, &last);
            store_unlock(a);
            w->as_of_ms = rtime_clamp(rc == ORBAT_OK ? last : (int64_t)time(NULL) * 1000);
        }
    }
    if (!to_set)
        w->to_ms = w->as_of_ms;
    if (!from_set)
        w->from_ms = w->to_ms - w->window_ms;
    if (w->from_ms > w->to_ms) {
        http_resp_error(rs, 400, "'from' is after 'to'");
        return -1;
    }
    return 0;
}

/* ,"notice":"SIMULATED DATA: ..." (the text report_sim_json_members
 * writes) for answers that already carry "simulated_sources" and use
 * "sources" for something else; nothing when simulated is 0. */
static void sim_notice(FILE *f, uint64_t simulated, uint64_t sources)
{
    if (simulated)
        fprintf(f,
                ",\"notice\":\"SIMULATED DATA: %llu of %llu sources are simulations (orbat "
                "simulate), not real broadcasts\"",
                (unsigned long long)simulated, (unsigned long long)sources);
}

static void store_error(struct api *a, struct http_resp *rs, int rc)
{
    char msg[256];
    snprintf(msg, sizeof(msg), "store: %s: %s", orbat_strerror(rc), store_errmsg(a->s));
    http_resp_error(rs, rc == ORBAT_E_NOTFOUND ? 404 : 500, msg);
}

/* ---- per asset: the registry row's link, and whether it is simulated ---- */

/* The registry row an asset was identified by: by ICAO address or MMSI
 * (exact keys), else a ship row by name or hull when the asset's reasons
 * cite that row ("ships_seed.csv:2"). Writes ,"registry":"FILE:LINE" and,
 * when the row has a link, ,"source_url":"URL"; nothing without a row. */
static void write_registry_link(FILE *f, const struct registry *reg, const struct store_asset *as)
{
    if (!reg)
        return;
    uint16_t file = 0;
    uint32_t line = 0, url = 0;
    bool found = false;
    if (as->kind == STORE_AIRCRAFT) {
        const struct reg_aircraft *r = registry_find_icao(reg, as->ident & 0xffffff);
        if (r) {
            file = r->file, line = r->line, url = r->url, found = true;
        }
    } else if (as->kind == STORE_SHIP) {
        const struct reg_ship *r = as->ident ? registry_find_mmsi(reg, as->ident) : NULL;
        bool exact = r != NULL;
        struct reg_name_parts np;
        if (!r && as->name[0]) {
            registry_name_parse(as->name, &np);
            if (np.name[0] && !np.generic)
                r = registry_find_ship_name(reg, np.name);
            if (!r && np.hull[0])
                r = registry_find_ship_hull(reg, np.hull);
        }
        if (!r && as->hull[0]) {
            registry_name_parse(as->hull, &np);
            if (np.hull[0])
                r = registry_find_ship_hull(reg, np.hull);
        }
        if (r && !exact) { // a name is weaker than a key: only the row the reasons cite
            const char *fn = registry_file_name(reg, r->file);
            const char *base = fn ? strrchr(fn, '/') : NULL;
            char cite[160];
            snprintf(cite, sizeof cite, "%s:%u", base ? base + 1 : fn ? fn : "", r->line);
            const char *hit = strstr(as->reasons, cite);
            if (!hit || isdigit((unsigned char)hit[strlen(cite)]))
                r = NULL;
        }
        if (r) {
            file = r->file, line = r->line, url = r->url, found = true;
        }
    }
    if (!found)
        return;
    const char *fn = registry_file_name(reg, file);
    const char *base = fn ? strrchr(fn, '/') : NULL;
    char where[192];
    snprintf(where, sizeof where, "%s:%u", base ? base + 1 : fn ? fn : "?", line);
    fputs(",\"registry\":", f);
    report_json_str(f, where);
    if (url) {
        fputs(",\"source_url\":", f);
        report_json_str(f, registry_url(reg, url));
    }
}

struct sim_scan {
    const struct report_sim *sim;
    bool yes, no;
};

static int sim_scan_cb(void *ctx, const struct store_obs_row *row)
{
    struct sim_scan *sc = ctx;
    int v = report_sim_source(sc->sim, row->obs.source_id);
    if (v != 0)
        sc->yes = true;
    if (v <= 0)
        sc->no = true;
    return sc->yes && sc->no; // a mix: no need to read on
}

/* Whether an asset's observations between from and to come from simulated
 * sources: 1 all, 0 none (or no observation: manual sightings are not
 * simulations), -1 a mix or unknown. quick reads only the observations at
 * from and at to (the list of assets: two indexed look-ups each, not every
 * fix), all of them when neither end is a fix. Caller holds the store lock. */
static int asset_simulated(struct api *a, const struct report_sim *sim, int64_t asset_id,
                           int64_t from, int64_t to, bool quick)
{
    if (report_sim_all(sim) == 0)
        return 0; // no source is simulated
    struct sim_scan sc = {.sim = sim};
    int rc = 0;
    if (quick) {
        rc = store_observations(a->s, asset_id, from, from + 1, sim_scan_cb, &sc);
        if (rc >= 0 && to > from)
            rc = store_observations(a->s, asset_id, to, to + 1, sim_scan_cb, &sc);
    }
    if (rc >= 0 && !sc.yes && !sc.no) // not quick, or no fix at either end (a sighting's time)
        rc = store_observations(a->s, asset_id, from, to + 1, sim_scan_cb, &sc);
    if (rc < 0 || (sc.yes && sc.no))
        return -1;
    return sc.yes ? 1 : 0; // no observation at all (manual sightings only): not simulated
}

/* ---- /api/oob and /api/assets ---- */

static int build_oob(struct api *a, const struct http_req *rq, struct report_oob *r,
                     struct http_resp *rs, char *theatre, size_t tsize)
{
    struct window w;
    if (q_window(a, rq, &w, rs) || q_str(rq, "theatre", theatre, tsize, rs))
        return -1;
    struct report_opts o = {.theatre = theatre[0] ? theatre : NULL,
                            .as_of_ms = w.as_of_ms,
                            .window_ms = w.window_ms,
                            .all = q_flag(rq, "all")};
    store_lock(a);
    int rc = report_oob_build(a->s, &o, r);
    store_unlock(a);
    if (rc) {
        store_error(a, rs, rc);
        return rc;
    }
    return 0;
}

static int h_oob(struct api *a, const struct http_req *rq, struct http_resp *rs)
{
    struct report_oob r;
    char theatre[32];
    int rc = build_oob(a, rq, &r, rs, theatre, sizeof(theatre));
    if (rc)
        return rc;
    struct body b;
    if (!body_open(&b)) {
        report_oob_free(&r);
        http_resp_error(rs, 500, "out of memory");
        return -1;
    }
    report_oob_write(&r, RFMT_JSON, b.f);
    report_oob_free(&r);
    body_send(&b, rs, 200, "application/json");
    return 0;
}

static bool field_match(const char *want, const char *have)
{
    return !want[0] || !strcasecmp(want, have);
}

static int h_assets(struct api *a, const struct http_req *rq, struct http_resp *rs)
{
    char category[32], role[48], kind[16];
    if (q_str(rq, "category", category, sizeof(category), rs) ||
        q_str(rq, "role", role, sizeof(role), rs) || q_str(rq, "kind", kind, sizeof(kind), rs))
        return -1;
    struct report_oob r;
    char theatre[32];
    int rc = build_oob(a, rq, &r, rs, theatre, sizeof(theatre));
    if (rc)
        return rc;
    struct report_sim sim; // each asset says whether its data is simulated
    store_lock(a);
    rc = report_sim_load(a->s, &sim);
    store_unlock(a);
    if (rc) {
        report_oob_free(&r);
        store_error(a, rs, rc);
        return rc;
    }
    struct body b;
    if (!body_open(&b)) {
        report_oob_free(&r);
        http_resp_error(rs, 500, "out of memory");
        return -1;
    }
    char f[32], t[32];
    rtime_format(r.from_ms, f, sizeof(f));
    rtime_format(r.to_ms, t, sizeof(t));
    fprintf(b.f, "{\"theatre\":");
    report_json_str(b.f, theatre[0] ? theatre : "*");
    fprintf(b.f, ",\"from\":\"%s\",\"as_of\":\"%s\",\"assets\":[", f, t);
    size_t n = 0;
    for (size_t i = 0; i < r.n; i++) {
        const struct report_entry *e = &r.e[i];
        if (!field_match(category, e->asset.category) || !field_match(role, e->asset.role) ||
            !field_match(kind, report_kind_name(e->asset.kind)))
            continue;
        char fs[32], ls[32];
        rtime_format(e->first_ms, fs, sizeof(fs));
        rtime_format(e->last_ms, ls, sizeof(ls));
        fputs(n++ ? ",\n{" : "\n{", b.f);
        report_json_asset_fields(b.f, &e->asset);
        fprintf(b.f,
                ",\"confidence\":%.2f,\"military\":%s,\"first_seen\":\"%s\",\"last_seen\":\"%s\","
                "\"last_seen_ms\":%lld,\"observations\":%llu,\"sightings\":%u,\"basis\":",
                e->confidence, e->asset.military ? "true" : "false", fs, ls, (long long)e->last_ms,
                (unsigned long long)e->n_obs, e->n_sightings);
        report_json_str(b.f, e->basis);
        if (isfinite(e->last_lat) && isfinite(e->last_lon))
            fprintf(b.f, ",\"lat\":%.5f,\"lon\":%.5f", e->last_lat, e->last_lon);
        store_lock(a);
        int sv = e->asset.id > 0 && e->n_obs
                     ? asset_simulated(a, &sim, e->asset.id, e->first_ms, e->last_ms, true)
                     : 0; // only sighted: manual sightings are not simulations
        store_unlock(a);
        fprintf(b.f, ",\"simulated\":%s", report_sim_json(sv));
        write_registry_link(b.f, a->o.reg, &e->asset);
        fputc('}', b.f);
    }
    fprintf(b.f, "],\"total\":%zu,\"simulated_sources\":%llu,\"data_sources\":", n,
            (unsigned long long)r.simulated_sources);
    report_json_licences(b.f, r.licences); // providers' credit lines (their terms ask)
    sim_notice(b.f, r.simulated_sources, r.sources);
    fputs("}\n", b.f);
    report_oob_free(&r);
    body_send(&b, rs, 200, "application/json");
    return 0;
}

/* ---- /api/assets/ID ---- */

static int h_asset(struct api *a, const struct http_req *rq, const char *id, struct http_resp *rs)
{
    char *end;
    errno = 0;
    long long v = strtoll(id, &end, 10);
    if (!*id || *end || v <= 0 || errno) {
        http_resp_error(rs, 400, "asset id must be a positive integer");
        return -1;
    }
    bool fs, ts, as;
    int64_t from = INT64_MIN / 2, to = INT64_MAX / 2, as_of = 0, window = 0;
    char wv[32];
    if (q_time(rq, "from", &from, &fs, rs) || q_time(rq, "to", &to, &ts, rs) ||
        q_time(rq, "as_of", &as_of, &as, rs))
        return -1;
    int wr = http_query_get(rq->query, "window", wv, sizeof(wv));
    if (wr < 0 || (wr == 1 && wv[0] && (rtime_parse_duration(wv, &window) || window <= 0))) {
        http_resp_error(rs, 400, "bad 'window' (use 7d, 36h, 2w)");
        return -1;
    }
    // The evidence of the asset as of a time: nothing after it (and, with
    // a window, nothing before as_of - window), whatever 'to' says.
    if (as && as_of < to)
        to = as_of;
    if (as && window > 0 && !fs)
        from = as_of - window;
    if (from > to) {
        http_resp_error(rs, 400, "'from' is after 'to' (or 'as_of')");
        return -1;
    }
    char key[32];
    snprintf(key, sizeof(key), "#%lld", v);
    struct body b;
    if (!body_open(&b)) {
        http_resp_error(rs, 500, "out of memory");
        return -1;
    }
    struct store_asset asset;
    struct report_sim sim;
    int sv = -1;
    store_lock(a);
    int rc = report_evidence_write(a->s, key, from, to, RFMT_JSON, b.f);
    if (rc == 0)
        rc = store_asset_get(a->s, v, &asset);
    if (rc == 0)
        rc = report_sim_load(a->s, &sim);
    if (rc == 0)
        sv = asset_simulated(a, &sim, v, from, to, false);
    store_unlock(a);
    if (rc) {
        body_discard(&b);
        if (rc == ORBAT_E_NOTFOUND)
            http_resp_error(rs, 404, "no such asset");
        else
            store_error(a, rs, rc);
        return rc == ORBAT_E_NOTFOUND ? 0 : rc;
    }
    // The asset's own label and registry link join the evidence's top-level
    // members (before its closing brace).
    struct body lb;
    char *close = NULL;
    if (fflush(b.f) == 0 && b.len && (close = strrchr(b.buf, '}')) && body_open(&lb)) {
        fwrite(b.buf, 1, (size_t)(close - b.buf), lb.f);
        fprintf(lb.f, ",\"simulated\":%s", report_sim_json(sv));
        write_registry_link(lb.f, a->o.reg, &asset);
        fputs("}\n", lb.f);
        body_discard(&b);
        body_send(&lb, rs, 200, "application/json");
        return 0;
    }
    body_discard(&b);
    http_resp_error(rs, 500, "out of memory");
    return -1;
}

/* ---- /api/tracks ---- */

struct track_ctx {
    FILE *f;
    size_t n, total;
    struct sim_scan sc; /* the track's sources: simulated or not */
};

/* A point is [t_ms, lat, lon], then alt_ft (null when unknown but a course
 * follows), then the reported course over ground (cog_deg) when there is
 * one. */
static int track_cb(void *ctx, const struct store_obs_row *row)
{
    struct track_ctx *t = ctx;
    if (t->total >= MAX_TRACK_POINTS)
        return 1;
    const struct store_obs *o = &row->obs;
    fprintf(t->f, "%s[%lld,%.5f,%.5f", t->n++ ? "," : "", (long long)o->t_ms, o->lat, o->lon);
    bool cog = isfinite(o->cog_deg) && o->cog_deg >= 0 && o->cog_deg < 360;
    if (o->alt_ft != INT32_MIN)
        fprintf(t->f, ",%d", o->alt_ft);
    else if (cog)
        fputs(",null", t->f);
    if (cog)
        fprintf(t->f, ",%.1f", o->cog_deg);
    fputc(']', t->f);
    t->total++;
    if (!(t->sc.yes && t->sc.no))
        sim_scan_cb(&t->sc, row);
    return 0;
}

static int write_track(struct api *a, FILE *f, const struct store_asset *as, int64_t from,
                       int64_t to, struct track_ctx *t, bool first)
{
    fputs(first ? "\n{" : ",\n{", f);
    report_json_asset_fields(f, as);
    fputs(",\"points\":[", f);
    t->n = 0;
    t->sc.yes = t->sc.no = false;
    int rc = store_observations(a->s, as->id, from, to, track_cb, t);
    int sv = t->sc.yes && t->sc.no ? -1 : t->sc.yes ? 1 : 0;
    fprintf(f, "],\"simulated\":%s}", report_sim_json(sv));
    return rc < 0 ? rc : 0;
}

static int h_tracks(struct api *a, const struct http_req *rq, struct http_resp *rs)
{
    struct window w;
    char idv[24];
    if (q_window(a, rq, &w, rs) || q_str(rq, "asset", idv, sizeof(idv), rs))
        return -1;
    struct body b;
    if (!body_open(&b)) {
        http_resp_error(rs, 500, "out of memory");
        return -1;
    }
    char fs[32], ts[32];
    rtime_format(w.from_ms, fs, sizeof(fs));
    rtime_format(w.to_ms, ts, sizeof(ts));
    fprintf(b.f,
            "{\"from\":\"%s\",\"to\":\"%s\",\"fields\":[\"t_ms\",\"lat\",\"lon\",\"alt_ft\","
            "\"cog_deg\"],\"tracks\":[",
            fs, ts);
    struct report_sim sim; // label simulated data (orbat simulate)
    struct track_ctx t = {.f = b.f, .sc = {.sim = &sim}};
    store_lock(a);
    int rc = report_sim_load(a->s, &sim);
    if (rc) {
        // answered below with the other store errors
    } else if (idv[0]) {
        char *end;
        long long id = strtoll(idv, &end, 10);
        struct store_asset as;
        if (*end || id <= 0) {
            store_unlock(a);
            body_discard(&b);
            http_resp_error(rs, 400, "asset must be a positive integer");
            return -1;
        }
        rc = store_asset_get(a->s, id, &as);
        if (rc == ORBAT_E_NOTFOUND) {
            store_unlock(a);
            body_discard(&b);
            http_resp_error(rs, 404, "no such asset");
            return 0;
        }
        if (rc == 0)
            rc = write_track(a, b.f, &as, w.from_ms, w.to_ms, &t, true);
    } else {
        char theatre[32];
        struct report_oob r;
        if (q_str(rq, "theatre", theatre, sizeof(theatre), rs)) {
            store_unlock(a);
            body_discard(&b);
            return -1;
        }
        struct report_opts o = {.theatre = theatre[0] ? theatre : NULL,
                                .as_of_ms = w.to_ms,
                                .window_ms = w.to_ms - w.from_ms,
                                .all = q_flag(rq, "all")};
        rc = report_oob_build(a->s, &o, &r);
        for (size_t i = 0; rc == 0 && i < r.n; i++)
            if (r.e[i].asset.id > 0)
                rc = write_track(a, b.f, &r.e[i].asset, w.from_ms, w.to_ms, &t, i == 0);
        report_oob_free(&r);
    }
    store_unlock(a);
    if (rc) {
        body_discard(&b);
        store_error(a, rs, rc);
        return rc;
    }
    fprintf(b.f, "],\"points\":%zu,\"truncated\":%s", t.total,
            t.total >= MAX_TRACK_POINTS ? "true" : "false");
    report_sim_json_members(b.f, &sim);
    fputs("}\n", b.f);
    body_send(&b, rs, 200, "application/json");
    return 0;
}

/* ---- /api/events, /api/timeline ---- */

static int h_events(struct api *a, const struct http_req *rq, struct http_resp *rs)
{
    struct window w;
    char type[32];
    if (q_window(a, rq, &w, rs) || q_str(rq, "type", type, sizeof(type), rs))
        return -1;
    struct body b;
    if (!body_open(&b)) {
        http_resp_error(rs, 500, "out of memory");
        return -1;
    }
    store_lock(a);
    int rc = report_events_write(a->s, type, w.from_ms, w.to_ms, RFMT_JSON, b.f);
    store_unlock(a);
    if (rc) {
        body_discard(&b);
        store_error(a, rs, rc);
        return rc;
    }
    body_send(&b, rs, 200, "application/json");
    return 0;
}

/* The chart of GET /api/timeline.svg and .png: the SVG `orbat timeline
 * --svg` writes, and the PNG of --png (rendered at the same 2x). */
enum chart {
    CHART_NONE,
    CHART_SVG,
    CHART_PNG
};
#define TIMELINE_PNG_SCALE 2.0

static int h_timeline(struct api *a, const struct http_req *rq, enum chart chart,
                      struct http_resp *rs)
{
    char theatre[32];
    bool fs, ts;
    int64_t from = 0, to = 0, first = 0, last = 0;
    if (q_time(rq, "from", &from, &fs, rs) || q_time(rq, "to", &to, &ts, rs) ||
        q_str(rq, "theatre", theatre, sizeof(theatre), rs))
        return -1;
    store_lock(a);
    if (store_time_range(a->s, &first, &last) != ORBAT_OK)
        first = last = (int64_t)time(NULL) * 1000;
    if (!fs)
        from = rtime_clamp(first);
    if (!ts)
        to = rtime_clamp(last);
    if (from > to) {
        store_unlock(a);
        http_resp_error(rs, 400, "'from' is after 'to'");
        return -1;
    }
    if (to - from > 400 * STORE_DAY_MS) {
        store_unlock(a);
        http_resp_error(rs, 400, "timeline spans more than 400 days");
        return -1;
    }
    struct body b;
    if (!body_open(&b)) {
        store_unlock(a);
        http_resp_error(rs, 500, "out of memory");
        return -1;
    }
    struct report_opts o = {.theatre = theatre[0] ? theatre : NULL, .all = q_flag(rq, "all")};
    struct body svg = {0};
    if (chart != CHART_NONE && !body_open(&svg)) {
        store_unlock(a);
        body_discard(&b);
        http_resp_error(rs, 500, "out of memory");
        return -1;
    }
    int rc = report_timeline_write(a->s, &o, from, to, RFMT_JSON, b.f, svg.f);
    store_unlock(a);
    if (rc) {
        body_discard(&b);
        if (svg.f)
            body_discard(&svg);
        store_error(a, rs, rc);
        return rc;
    }
    if (chart == CHART_NONE) {
        body_send(&b, rs, 200, "application/json");
        return 0;
    }
    body_discard(&b); // the table: only the chart is answered
    if (chart == CHART_SVG) {
        body_send(&svg, rs, 200, "image/svg+xml");
        return 0;
    }
    struct body png;
    char err[256] = "";
    if (fflush(svg.f) || !body_open(&png)) {
        body_discard(&svg);
        http_resp_error(rs, 500, "out of memory");
        return -1;
    }
    int pr = report_png_write(svg.buf, svg.len, TIMELINE_PNG_SCALE, png.f, err, sizeof err);
    body_discard(&svg);
    if (pr) {
        body_discard(&png);
        http_resp_error(rs, 500, err);
        return -1;
    }
    body_send(&png, rs, 200, "image/png");
    return 0;
}

/* ---- /api/sources ---- */

struct src_ctx {
    FILE *f;
    size_t n;
    struct report_sim sim; /* each source says whether it is a simulation */
};

static int source_cb(void *ctx, const struct store_source *src)
{
    struct src_ctx *c = ctx;
    char a[32], b[32];
    rtime_format(src->t_first_ms, a, sizeof(a));
    rtime_format(src->t_last_ms, b, sizeof(b));
    fputs(c->n++ ? ",\n{\"name\":" : "\n{\"name\":", c->f);
    report_json_str(c->f, src->name);
    fprintf(c->f,
            ",\"id\":%lld,\"sha256\":\"%s\",\"bytes\":%llu,\"messages\":%llu,\"first\":\"%s\","
            "\"last\":\"%s\",\"complete\":%s",
            (long long)src->id, src->sha256, (unsigned long long)src->bytes,
            (unsigned long long)src->messages, a, b, src->complete ? "true" : "false");
    if (c->sim.simulated)
        fprintf(c->f, ",\"simulated\":%s", report_sim_json(report_sim_source(&c->sim, src->id)));
    fputc('}', c->f);
    return 0;
}

static int h_sources(struct api *a, struct http_resp *rs)
{
    struct body b;
    if (!body_open(&b)) {
        http_resp_error(rs, 500, "out of memory");
        return -1;
    }
    struct src_ctx *c = malloc(sizeof *c);
    struct store_counts n = {0};
    fputs("{\"sources\":[", b.f);
    store_lock(a);
    int rc = c ? report_sim_load(a->s, &c->sim) : ORBAT_E_NOMEM;
    if (rc == 0) {
        c->f = b.f;
        c->n = 0;
        rc = store_sources(a->s, source_cb, c);
    }
    if (rc == 0)
        rc = store_counts(a->s, &n);
    store_unlock(a);
    if (rc) {
        free(c);
        body_discard(&b);
        store_error(a, rs, rc);
        return rc;
    }
    fprintf(b.f,
            "],\"counts\":{\"sources\":%llu,\"raw\":%llu,\"assets\":%llu,\"observations\":%llu,"
            "\"events\":%llu,\"sightings\":%llu}",
            (unsigned long long)n.sources, (unsigned long long)n.raw, (unsigned long long)n.assets,
            (unsigned long long)n.observations, (unsigned long long)n.events,
            (unsigned long long)n.sightings);
    fprintf(b.f, ",\"simulated_sources\":%llu", (unsigned long long)c->sim.simulated);
    sim_notice(b.f, c->sim.simulated, c->sim.sources);
    free(c);
    fputs(",\"feeds\":", b.f);
    if (a->o.feeds_json)
        a->o.feeds_json(a->o.feeds_ctx, b.f);
    else
        fputs("[]", b.f);
    fputs("}\n", b.f);
    body_send(&b, rs, 200, "application/json");
    return 0;
}

/* ---- /api/claims and /api/claims/ID (src/claims/claim_out.c) ---- */

static int h_claims(struct api *a, const char *id_text, struct http_resp *rs)
{
    int64_t id = 0;
    if (id_text) {
        char *end;
        id = strtoll(id_text, &end, 10);
        if (end == id_text || *end || id <= 0) {
            http_resp_error(rs, 400, "claim id: a positive number");
            return -1;
        }
    }
    struct body b;
    if (!body_open(&b)) {
        http_resp_error(rs, 500, "out of memory");
        return -1;
    }
    char err[256] = "";
    struct report_sim *sim = malloc(sizeof *sim);
    store_lock(a);
    int rc = claim_api_json(a->s, id, b.f, err, sizeof err);
    int src = sim ? report_sim_load(a->s, sim) : ORBAT_E_NOMEM;
    store_unlock(a);
    if (rc) {
        free(sim);
        body_discard(&b);
        http_resp_error(rs, rc == ORBAT_E_NOTFOUND ? 404 : 500, err);
        return rc;
    }
    // Claims are checked against the stored data: label a simulated store
    // at the top of the answer (the members go before its closing brace).
    struct body lb;
    char *close = NULL;
    if (src == 0 && sim->simulated && fflush(b.f) == 0 && b.len && (close = strrchr(b.buf, '}')) &&
        body_open(&lb)) {
        fwrite(b.buf, 1, (size_t)(close - b.buf), lb.f);
        report_sim_json_members(lb.f, sim);
        fputs("}\n", lb.f);
        body_discard(&b);
        free(sim);
        body_send(&lb, rs, 200, "application/json"); // (the stream holds lb's address)
        return 0;
    }
    free(sim);
    body_send(&b, rs, 200, "application/json");
    return 0;
}

/* ---- /data/aircraft.json (tar1090 / readsb format) ---- */

struct ac_ctx {
    struct api *a;
    FILE *f;
    size_t n;
    int64_t now_ms;
    struct report_sim sim; /* simulated sources: each aircraft says if it is */
};

struct last_obs {
    struct store_obs o;
    bool have;
};

static int last_obs_cb(void *ctx, const struct store_obs_row *row)
{
    struct last_obs *l = ctx;
    if (!l->have || row->obs.t_ms >= l->o.t_ms)
        l->o = row->obs;
    l->have = true;
    return 0;
}

static int aircraft_cb(void *ctx, const struct store_presence *p)
{
    struct ac_ctx *c = ctx;
    if (p->asset.kind != STORE_AIRCRAFT)
        return 0;
    struct last_obs l = {.have = false};
    int rc = store_observations(c->a->s, p->asset.id, p->last_ms, p->last_ms + 1, last_obs_cb, &l);
    if (rc < 0)
        return rc;
    double seen = (double)(c->now_ms - p->last_ms) / 1000.0;
    fprintf(c->f, "%s{\"hex\":\"%06x\"", c->n++ ? ",\n" : "\n",
            (unsigned)p->asset.ident & 0xffffff);
    if (p->asset.callsign[0]) {
        fputs(",\"flight\":", c->f);
        report_json_str(c->f, p->asset.callsign);
    }
    // Database fields as readsb adds them (acinfo.h): the registry's, else
    // the archive's; the call sign is the flight, never the description.
    struct acinfo ai;
    acinfo_lookup(c->a->o.reg, p->asset.ident & 0xffffff, p->asset.reasons, p->asset.military, &ai);
    if (!ai.r[0] && p->asset.hull[0] && !(ai.db_flags & ACINFO_PIA))
        snprintf(ai.r, sizeof ai.r, "%s", p->asset.hull);
    static const char *const keys[] = {"r", "t", "desc", "ownOp"};
    const char *vals[] = {ai.r, ai.t, ai.desc, ai.ownop};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
        if (vals[k][0]) {
            fprintf(c->f, ",\"%s\":", keys[k]);
            report_json_str(c->f, vals[k]);
        }
    if (p->asset.name[0]) { // orbat's identification (registration, name, call sign)
        fputs(",\"orbat_name\":", c->f);
        report_json_str(c->f, p->asset.name);
    }
    if (p->asset.category[0]) {
        fputs(",\"orbat_category\":", c->f);
        report_json_str(c->f, p->asset.category);
    }
    fprintf(c->f, ",\"orbat_id\":%lld,\"dbFlags\":%u,\"lat\":%.5f,\"lon\":%.5f",
            (long long)p->asset.id, ai.db_flags, p->last_lat, p->last_lon);
    if (l.have) {
        if (l.o.alt_ft != INT32_MIN)
            fprintf(c->f, ",\"alt_baro\":%d", l.o.alt_ft);
        if (!isnan(l.o.sog_kn))
            fprintf(c->f, ",\"gs\":%.1f", l.o.sog_kn);
        if (!isnan(l.o.cog_deg))
            fprintf(c->f, ",\"track\":%.1f", l.o.cog_deg);
    }
    fprintf(c->f, ",\"seen\":%.1f,\"seen_pos\":%.1f,\"messages\":%llu,\"type\":\"adsb_icao\"",
            seen < 0 ? 0 : seen, seen < 0 ? 0 : seen, (unsigned long long)p->n_obs);
    if (c->sim.simulated)
        fprintf(c->f, ",\"simulated\":%s",
                report_sim_json(l.have ? report_sim_source(&c->sim, l.o.source_id) : -1));
    fputc('}', c->f);
    return 0;
}

/* The data time of an aircraft.json without as_of (replay.h). */
static int64_t clock_now(struct api *a, enum replay_mode *mode)
{
    int64_t first = 0, last = 0;
    bool have = store_time_range(a->s, &first, &last) == ORBAT_OK;
    int64_t now = replay_now(&a->o.clock, (int64_t)(mono_s() * 1000.0), (int64_t)time(NULL) * 1000,
                             have, first, last, mode);
    return rtime_clamp(now);
}

static int h_aircraft(struct api *a, const struct http_req *rq, struct http_resp *rs)
{
    bool set;
    int64_t now = 0;
    enum replay_mode mode = REPLAY_LIVE;
    if (q_time(rq, "as_of", &now, &set, rs))
        return -1;
    store_lock(a);
    if (!set)
        now = clock_now(a, &mode);
    struct body b;
    if (!body_open(&b)) {
        store_unlock(a);
        http_resp_error(rs, 500, "out of memory");
        return -1;
    }
    struct ac_ctx *c = malloc(sizeof *c);
    char lic[1024];
    int rc = c ? report_sim_load(a->s, &c->sim) : ORBAT_E_NOMEM;
    if (rc == ORBAT_OK)
        rc = store_source_licences(a->s, lic, sizeof(lic));
    if (rc == ORBAT_OK) {
        char nowtxt[32];
        rtime_format(now, nowtxt, sizeof nowtxt);
        fprintf(b.f, "{\"now\":%.3f,\"messages\":0,\"orbat_time\":\"%s\",\"orbat_clock\":\"%s\"",
                (double)now / 1000.0, nowtxt, set ? "as_of" : replay_mode_name(mode));
        if (!set && mode == REPLAY_SET)
            fprintf(b.f, ",\"orbat_replay_speed\":%g", a->o.clock.speed);
        fputs(",\"data_sources\":", b.f);
        report_json_licences(b.f, lic);        // providers' credit lines (their terms ask)
        report_sim_json_members(b.f, &c->sim); // label simulated data (orbat simulate)
        if (c->sim.simulated)
            fprintf(b.f, ",\"simulated\":%s", report_sim_json(report_sim_all(&c->sim)));
        fputs(",\"aircraft\":[", b.f);
        c->a = a;
        c->f = b.f;
        c->n = 0;
        c->now_ms = now;
        /* tar1090 drops aircraft unseen for minutes: 10 minutes before now. */
        rc = store_presence(a->s, NULL, now - 600000, now, q_flag(rq, "mil"), aircraft_cb, c);
    }
    free(c);
    store_unlock(a);
    if (rc < 0) {
        body_discard(&b);
        store_error(a, rs, rc);
        return rc;
    }
    fputs("]}\n", b.f);
    body_send(&b, rs, 200, "application/json");
    return 0;
}

/* ---- /data/receiver.json (tar1090 reads it first) ---- */

/* The default receiver position: the median latitude and longitude of the
 * military assets' latest positions (all assets' when none is military).
 * The median, not the centre of the bounding box: a few transits far away
 * (a ship off Florida, a tanker over the Atlantic) moved the box's centre
 * off the theatre, and tar1090 opened on an empty map. Capped at
 * SITE_MAX_POINTS positions. */
#define SITE_MAX_POINTS (1u << 20)

struct site_pts {
    double *lat, *lon;
    size_t n, cap;
    bool oom;
};

static int site_cb(void *ctx, const struct store_presence *p)
{
    struct site_pts *b = ctx;
    if (!isfinite(p->last_lat) || !isfinite(p->last_lon) || b->n >= SITE_MAX_POINTS)
        return 0;
    if (b->n == b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 256;
        double *la = realloc(b->lat, nc * sizeof *la);
        if (la)
            b->lat = la;
        double *lo = la ? realloc(b->lon, nc * sizeof *lo) : NULL;
        if (!la || !lo) {
            b->oom = true;
            return 0;
        }
        b->lon = lo;
        b->cap = nc;
    }
    b->lat[b->n] = p->last_lat;
    b->lon[b->n] = p->last_lon;
    b->n++;
    return 0;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* readsb's fields (version, refresh in ms, history: the number of history
 * files, 0 here: tar1090 then loads none; lat/lon: the receiver, here
 * --site or the median of the military assets' latest positions) plus dbServer (aircraft.json
 * carries r, t, desc and dbFlags, so tar1090 does not look for its own
 * db2/ files) and orbat's clock and simulated-data label. */
static int h_receiver(struct api *a, struct http_resp *rs)
{
    struct body b;
    if (!body_open(&b)) {
        http_resp_error(rs, 500, "out of memory");
        return -1;
    }
    struct site_pts box = {.n = 0};
    struct report_sim *sim = malloc(sizeof *sim);
    enum replay_mode mode = REPLAY_LIVE;
    store_lock(a);
    int rc = sim ? report_sim_load(a->s, sim) : ORBAT_E_NOMEM;
    int64_t now = rc == 0 ? clock_now(a, &mode) : 0;
    if (rc == 0 && !a->o.site_set)
        rc = store_presence(a->s, NULL, INT64_MIN / 2, INT64_MAX / 2, true, site_cb, &box);
    if (rc == 0 && !a->o.site_set && box.n == 0)
        rc = store_presence(a->s, NULL, INT64_MIN / 2, INT64_MAX / 2, false, site_cb, &box);
    store_unlock(a);
    if (rc == 0 && box.oom)
        rc = ORBAT_E_NOMEM;
    if (rc < 0) {
        free(box.lat);
        free(box.lon);
        free(sim);
        body_discard(&b);
        store_error(a, rs, rc);
        return rc;
    }
    char nowtxt[32];
    rtime_format(now, nowtxt, sizeof nowtxt);
    fprintf(b.f,
            "{\"version\":\"orbat %s\",\"refresh\":1000,\"history\":0,\"dbServer\":true,"
            "\"orbat_clock\":\"%s\",\"orbat_time\":\"%s\"",
            ORBAT_VERSION, replay_mode_name(mode), nowtxt);
    if (mode == REPLAY_SET) {
        char st[32];
        rtime_format(a->o.clock.start_ms, st, sizeof st);
        fprintf(b.f, ",\"orbat_replay_start\":\"%s\",\"orbat_replay_speed\":%g", st,
                a->o.clock.speed);
    }
    if (a->o.site_set)
        fprintf(b.f, ",\"lat\":%.4f,\"lon\":%.4f", a->o.site_lat, a->o.site_lon);
    else if (box.n)
        fprintf(b.f, ",\"lat\":%.4f,\"lon\":%.4f", median(box.lat, box.n), median(box.lon, box.n));
    free(box.lat);
    free(box.lon);
    report_sim_json_members(b.f, sim);
    if (sim->simulated)
        fprintf(b.f, ",\"simulated\":%s", report_sim_json(report_sim_all(sim)));
    free(sim);
    fputs("}\n", b.f);
    body_send(&b, rs, 200, "application/json");
    return 0;
}

/* ---- /metrics (Prometheus text exposition format 0.0.4) ---- */

struct cat_count {
    char cat[32];
    uint64_t n;
};

struct metric_ctx {
    struct cat_count c[32];
    size_t n;
};

static int metric_asset_cb(void *ctx, const struct store_presence *p)
{
    struct metric_ctx *m = ctx;
    const char *cat = p->asset.category[0] ? p->asset.category : "unclassified";
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->c[i].cat, cat)) {
            m->c[i].n++;
            return 0;
        }
    if (m->n < 32) {
        store_strlcpy(m->c[m->n].cat, cat, sizeof(m->c[m->n].cat));
        m->c[m->n++].n = 1;
    }
    return 0;
}

struct src_metric_ctx {
    FILE *f;
};

static int metric_source_cb(void *ctx, const struct store_source *src)
{
    struct src_metric_ctx *c = ctx;
    fputs("orbat_source_messages_total{source=", c->f);
    report_json_str(c->f, src->name); /* JSON escaping is valid label escaping */
    fprintf(c->f, "} %llu\n", (unsigned long long)src->messages);
    return 0;
}

static int h_metrics(struct api *a, struct http_resp *rs)
{
    struct body b;
    if (!body_open(&b)) {
        http_resp_error(rs, 500, "out of memory");
        return -1;
    }
    FILE *f = b.f;
    struct store_counts n = {0};
    struct metric_ctx m = {.n = 0};
    store_lock(a);
    int rc = store_counts(a->s, &n);
    int64_t first, last;
    if (rc == 0 && store_time_range(a->s, &first, &last) == ORBAT_OK)
        rc = store_presence(a->s, NULL, INT64_MIN / 2, INT64_MAX / 2, false, metric_asset_cb, &m);
    fputs("# HELP orbat_source_messages_total Observations decoded per ingested source.\n"
          "# TYPE orbat_source_messages_total counter\n",
          f);
    struct src_metric_ctx sc = {.f = f};
    if (rc >= 0)
        rc = store_sources(a->s, metric_source_cb, &sc);
    store_unlock(a);
    if (rc < 0) {
        body_discard(&b);
        store_error(a, rs, rc);
        return rc;
    }
    fprintf(f,
            "# HELP orbat_store_rows Rows in the store by table.\n# TYPE orbat_store_rows gauge\n"
            "orbat_store_rows{table=\"sources\"} %llu\norbat_store_rows{table=\"raw\"} %llu\n"
            "orbat_store_rows{table=\"assets\"} %llu\norbat_store_rows{table=\"observations\"} "
            "%llu\norbat_store_rows{table=\"events\"} %llu\n"
            "orbat_store_rows{table=\"sightings\"} %llu\n",
            (unsigned long long)n.sources, (unsigned long long)n.raw, (unsigned long long)n.assets,
            (unsigned long long)n.observations, (unsigned long long)n.events,
            (unsigned long long)n.sightings);
    fputs("# HELP orbat_events_total Events detected (enter, leave, gaps, ...).\n"
          "# TYPE orbat_events_total counter\n",
          f);
    fprintf(f, "orbat_events_total %llu\n", (unsigned long long)n.events);
    fputs("# HELP orbat_assets Assets with observations, by category.\n"
          "# TYPE orbat_assets gauge\n",
          f);
    for (size_t i = 0; i < m.n; i++) {
        fputs("orbat_assets{category=", f);
        report_json_str(f, m.c[i].cat);
        fprintf(f, "} %llu\n", (unsigned long long)m.c[i].n);
    }
    pthread_mutex_lock(&a->mu);
    fputs("# HELP orbat_http_requests_total HTTP requests by endpoint.\n"
          "# TYPE orbat_http_requests_total counter\n",
          f);
    for (int i = 0; i < R_NROUTES; i++)
        fprintf(f, "orbat_http_requests_total{endpoint=\"%s\"} %llu\n", route_names[i],
                (unsigned long long)a->hits[i]);
    fprintf(f,
            "# HELP orbat_http_unauthorized_total Mutating requests without a valid token.\n"
            "# TYPE orbat_http_unauthorized_total counter\norbat_http_unauthorized_total "
            "%llu\n",
            (unsigned long long)a->unauthorized);
    fprintf(f,
            "# TYPE orbat_http_cache_hits_total counter\norbat_http_cache_hits_total %llu\n"
            "# TYPE orbat_http_cache_misses_total counter\norbat_http_cache_misses_total %llu\n",
            (unsigned long long)a->cache_hits, (unsigned long long)a->cache_misses);
    fputs("# HELP orbat_store_query_seconds Time spent answering a request from the store.\n"
          "# TYPE orbat_store_query_seconds histogram\n",
          f);
    for (int i = 0; i < N_LAT_BUCKETS; i++)
        fprintf(f, "orbat_store_query_seconds_bucket{le=\"%g\"} %llu\n", lat_bounds[i],
                (unsigned long long)a->lat_buckets[i]);
    fprintf(f,
            "orbat_store_query_seconds_bucket{le=\"+Inf\"} %llu\n"
            "orbat_store_query_seconds_sum %.6f\norbat_store_query_seconds_count %llu\n"
            "# TYPE orbat_store_errors_total counter\norbat_store_errors_total %llu\n",
            (unsigned long long)a->store_calls, a->store_seconds,
            (unsigned long long)a->store_calls, (unsigned long long)a->store_errors);
    pthread_mutex_unlock(&a->mu);
    if (a->srv) {
        struct http_stats st;
        http_server_stats(a->srv, &st);
        fprintf(f,
                "# TYPE orbat_http_responses_total counter\n"
                "orbat_http_responses_total{class=\"2xx\"} %llu\n"
                "orbat_http_responses_total{class=\"3xx\"} %llu\n"
                "orbat_http_responses_total{class=\"4xx\"} %llu\n"
                "orbat_http_responses_total{class=\"5xx\"} %llu\n"
                "# TYPE orbat_http_connections_total counter\norbat_http_connections_total %llu\n"
                "# TYPE orbat_http_rejected_total counter\norbat_http_rejected_total %llu\n",
                (unsigned long long)st.status_2xx, (unsigned long long)st.status_3xx,
                (unsigned long long)st.status_4xx, (unsigned long long)st.status_5xx,
                (unsigned long long)st.connections, (unsigned long long)st.rejected);
    }
    if (a->o.feeds_metrics)
        a->o.feeds_metrics(a->o.feeds_ctx, f);
    body_send(&b, rs, 200, "text/plain; version=0.0.4; charset=utf-8");
    return 0;
}

/* ---- POST /api/sightings ---- */

static bool token_ok(const struct api *a, const struct http_req *rq)
{
    if (!a->token || strncmp(rq->auth, "Bearer ", 7))
        return false;
    /* constant-time compare over the longer length */
    const char *g = rq->auth + 7;
    size_t gl = strlen(g), tl = strlen(a->token), n = gl > tl ? gl : tl;
    unsigned diff = (unsigned)(gl ^ tl);
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned)((i < gl ? (unsigned char)g[i] : 0) ^
                           (i < tl ? (unsigned char)a->token[i] : 0));
    return diff == 0;
}

static const char *jstr(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : "";
}

static int h_sighting(struct api *a, const struct http_req *rq, const char *body,
                      struct http_resp *rs)
{
    if (!a->token) {
        http_resp_error(rs, 403, "server is read-only (no token configured)");
        return -1;
    }
    if (!token_ok(a, rq)) {
        pthread_mutex_lock(&a->mu);
        a->unauthorized++;
        pthread_mutex_unlock(&a->mu);
        http_resp_error(rs, 401, "missing or wrong bearer token");
        snprintf(rs->extra, sizeof(rs->extra), "WWW-Authenticate: Bearer realm=\"orbat\"\r\n");
        return -1;
    }
    if (strncmp(rq->content_type, "application/json", 16)) {
        http_resp_error(rs, 415, "send application/json");
        return -1;
    }
    json_error_t je;
    json_t *o = json_loadb(body, rq->content_length, JSON_REJECT_DUPLICATES, &je);
    if (!o || !json_is_object(o)) {
        json_decref(o);
        http_resp_error(rs, 400, "body is not a JSON object");
        return -1;
    }
    struct store_sighting sg = {.confidence = REPORT_SIGHTING_CONFIDENCE};
    store_strlcpy(sg.name, jstr(o, "name"), sizeof(sg.name));
    store_strlcpy(sg.source_url, jstr(o, "source_url"), sizeof(sg.source_url));
    store_strlcpy(sg.note, jstr(o, "note"), sizeof(sg.note));
    store_strlcpy(sg.theatre, jstr(o, "theatre"), sizeof(sg.theatre));
    store_strlcpy(sg.category, jstr(o, "category"), sizeof(sg.category));
    store_strlcpy(sg.role, jstr(o, "role"), sizeof(sg.role));
    store_strlcpy(sg.country, jstr(o, "country"), sizeof(sg.country));
    json_t *lat = json_object_get(o, "lat"), *lon = json_object_get(o, "lon"),
           *conf = json_object_get(o, "confidence");
    const char *t = jstr(o, "time");
    const char *bad = NULL;
    int tr = 0;
    if (!sg.name[0])
        bad = "'name' is required";
    else if (!sg.source_url[0])
        bad = "'source_url' is required (every claim needs its evidence)";
    else if (!json_is_number(lat) || !json_is_number(lon) || fabs(json_number_value(lat)) > 90 ||
             fabs(json_number_value(lon)) > 180)
        bad = "'lat' and 'lon' must be numbers in range";
    else if ((tr = rtime_parse(t, &sg.t_ms)) == -2)
        bad = "'time' is outside " RTIME_RANGE_TEXT;
    else if (tr || sg.t_ms <= 0)
        bad = "'time' must be a time after 1970-01-01 (2025-10-23T12:00Z)";
    else if (conf &&
             (!json_is_number(conf) || json_number_value(conf) < 0 || json_number_value(conf) > 1))
        bad = "'confidence' must be a number in 0..1";
    if (bad) {
        json_decref(o);
        http_resp_error(rs, 400, bad);
        return -1;
    }
    sg.lat = json_number_value(lat);
    sg.lon = json_number_value(lon);
    if (conf)
        sg.confidence = json_number_value(conf);
    json_decref(o);
    store_lock(a);
    int rc = store_begin(a->s);
    if (rc == 0)
        rc = store_sighting_put(a->s, &sg);
    if (rc == 0)
        rc = store_commit(a->s);
    if (rc)
        store_rollback(a->s); /* never leave the writer's transaction open */
    store_unlock(a);
    if (rc) {
        if (rc == ORBAT_E_INVAL)
            http_resp_error(rs, 400, "sighting refused by the store (check its fields)");
        else
            store_error(a, rs, rc);
        return rc;
    }
    char *out = malloc(96);
    if (!out) {
        http_resp_error(rs, 500, "out of memory");
        return -1;
    }
    int n = snprintf(out, 96, "{\"id\":%lld,\"asset_id\":%lld}\n", (long long)sg.id,
                     (long long)sg.asset_id);
    http_resp_set(rs, 201, "application/json", out, (size_t)n);
    return 0;
}

/* ---- static files ---- */

static const char *mime_type(const char *path)
{
    static const char *const map[][2] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".geojson", "application/geo+json"},
        {".png", "image/png"},
        {".svg", "image/svg+xml"},
        {".ico", "image/x-icon"},
        {".txt", "text/plain; charset=utf-8"},
        {".map", "application/json"},
    };
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof(map) / sizeof(map[0]); i++)
        if (!strcmp(dot, map[i][0]))
            return map[i][1];
    return "application/octet-stream";
}

/* Open REL (a safe path: no "..", starting with '/') beneath DIR without
 * following any symlink below DIR, non-blocking (a FIFO cannot stall the
 * server). openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS) where the kernel
 * has it (Linux 5.6), else one openat(O_NOFOLLOW) per component. -1 with
 * errno on failure. */
static int open_beneath(const char *dir, const char *rel)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return -1;
    while (*rel == '/')
        rel++;
    int fd = -1;
#ifdef SYS_openat2
    struct open_how how = {.flags = O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC,
                           .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS};
    fd = (int)syscall(SYS_openat2, dfd, rel, &how, sizeof how);
    if (fd >= 0 || (errno != ENOSYS && errno != EPERM)) {
        int e = errno;
        close(dfd);
        errno = e;
        return fd;
    }
#endif
    char part[1024];
    for (;;) {
        const char *slash = strchr(rel, '/');
        size_t n = slash ? (size_t)(slash - rel) : strlen(rel);
        if (n == 0 || n >= sizeof part) {
            close(dfd);
            errno = ENOENT;
            return -1;
        }
        memcpy(part, rel, n);
        part[n] = 0;
        if (!slash) {
            fd = openat(dfd, part, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
            break;
        }
        int next = openat(dfd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        close(dfd);
        if (next < 0)
            return -1;
        dfd = next;
        rel = slash + 1;
    }
    int e = errno;
    close(dfd);
    errno = e;
    return fd;
}

static void h_static(const char *dir, const char *rel, struct http_resp *rs)
{
    if (!dir) {
        http_resp_error(rs, 404, "not found");
        return;
    }
    if (!http_path_safe(rel)) {
        http_resp_error(rs, 400, "bad path");
        return;
    }
    char path[2048];
    int n =
        snprintf(path, sizeof(path), "%s%s", rel, rel[strlen(rel) - 1] == '/' ? "index.html" : "");
    if (n < 0 || (size_t)n >= sizeof(path)) {
        http_resp_error(rs, 414, "path too long");
        return;
    }
    // Regular files only (a FIFO or device is opened non-blocking, then
    // refused), and no symlink anywhere below dir.
    int fd = open_beneath(dir, path);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        http_resp_error(rs, 404, "not found");
        return;
    }
    if ((uint64_t)st.st_size > MAX_STATIC_BYTES) {
        close(fd);
        http_resp_error(rs, 500, "file too large to serve");
        return;
    }
    size_t len = (size_t)st.st_size, got = 0;
    char *buf = malloc(len ? len : 1);
    while (buf && got < len) {
        ssize_t r = read(fd, buf + got, len - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (!buf || got != len) {
        free(buf);
        http_resp_error(rs, 500, "read error");
        return;
    }
    http_resp_set(rs, 200, mime_type(path), buf, len);
}

/* ---- response cache ---- */

static size_t cache_key(const struct http_req *rq, char *key, size_t size)
{
    int n = snprintf(key, size, "%s?%s", rq->path, rq->query);
    size_t h = (size_t)store_hash64(key, n > 0 ? (size_t)n : 0);
    return h % CACHE_SLOTS;
}

/* Answer rq from the cache; true when it did. */
static bool cache_get(struct api *a, const struct http_req *rq, struct http_resp *rs)
{
    if (a->o.cache_ms <= 0)
        return false;
    char key[sizeof(a->cache[0].key)];
    size_t i = cache_key(rq, key, sizeof(key));
    bool hit = false;
    pthread_mutex_lock(&a->mu);
    struct cache_ent *e = &a->cache[i];
    if (e->body && !strcmp(e->key, key) && mono_s() - e->t <= a->o.cache_ms / 1000.0) {
        char *b = malloc(e->len ? e->len : 1);
        if (b) {
            memcpy(b, e->body, e->len);
            http_resp_set(rs, 200, e->ctype, b, e->len);
            hit = true;
        }
    }
    if (hit)
        a->cache_hits++;
    else
        a->cache_misses++;
    pthread_mutex_unlock(&a->mu);
    return hit;
}

static void cache_put(struct api *a, const struct http_req *rq, const struct http_resp *rs,
                      double t0)
{
    if (a->o.cache_ms <= 0 || rs->status != 200 || !rs->body || rs->len > CACHE_MAX_BODY)
        return;
    char key[sizeof(a->cache[0].key)];
    size_t i = cache_key(rq, key, sizeof(key));
    char *b = malloc(rs->len);
    if (!b)
        return;
    memcpy(b, rs->body, rs->len);
    pthread_mutex_lock(&a->mu);
    struct cache_ent *e = &a->cache[i];
    free(e->body);
    memcpy(e->key, key, sizeof(e->key));
    e->body = b;
    e->len = rs->len;
    e->ctype = rs->ctype;
    e->t = t0; /* age from when the store was read */
    pthread_mutex_unlock(&a->mu);
}

static void cache_clear(struct api *a)
{
    pthread_mutex_lock(&a->mu);
    for (int i = 0; i < CACHE_SLOTS; i++) {
        free(a->cache[i].body);
        a->cache[i].body = NULL;
    }
    pthread_mutex_unlock(&a->mu);
}

/* ---- routing ---- */

static enum route route_of(const char *p)
{
    static const struct {
        const char *path;
        enum route r;
    } exact[] = {
        {"/api/assets", R_ASSETS},
        {"/api/tracks", R_TRACKS},
        {"/api/events", R_EVENTS},
        {"/api/oob", R_OOB},
        {"/api/report", R_OOB},
        {"/api/timeline", R_TIMELINE},
        {"/api/timeline.svg", R_TIMELINE_SVG},
        {"/api/timeline.png", R_TIMELINE_PNG},
        {"/data/receiver.json", R_RECEIVER},
        {"/api/sources", R_SOURCES},
        {"/api/feeds", R_SOURCES},
        {"/data/aircraft.json", R_AIRCRAFT},
        {"/metrics", R_METRICS},
        {"/api/sightings", R_SIGHTING},
        {"/api/claims", R_CLAIMS},
    };
    for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
        if (!strcmp(p, exact[i].path))
            return exact[i].r;
    if (!strncmp(p, "/api/assets/", 12))
        return R_ASSET;
    if (!strncmp(p, "/api/claims/", 12))
        return R_CLAIM;
    return R_STATIC;
}

void api_handle(void *ctx, const struct http_req *rq, const char *body, struct http_resp *rs)
{
    struct api *a = ctx;
    const char *p = rq->path;
    double t0 = mono_s();
    // --tar1090 DIR: DIR under /tar1090/, whose data/ requests (relative
    // URLs in tar1090) are orbat's /data/ endpoints.
    if (a->tar1090_dir && !strncmp(p, "/tar1090", 8) && (p[8] == '/' || !p[8])) {
        if (!p[8]) {
            http_resp_error(rs, 301, "moved to /tar1090/");
            snprintf(rs->extra, sizeof(rs->extra), "Location: /tar1090/\r\n");
            account(a, R_STATIC, t0, false, 0);
            return;
        }
        if (strncmp(p + 8, "/data/", 6)) {
            if (rq->method != HTTP_GET && rq->method != HTTP_HEAD) {
                http_resp_error(rs, 405, "read-only endpoint: use GET");
                snprintf(rs->extra, sizeof(rs->extra), "Allow: GET, HEAD\r\n");
                return;
            }
            h_static(a->tar1090_dir, p + 8, rs);
            account(a, R_STATIC, t0, false, 0);
            return;
        }
        p += 8;
    }
    enum route r = route_of(p);
    int rc = 0;
    if (r == R_SIGHTING) {
        if (rq->method != HTTP_POST) {
            http_resp_error(rs, 405, "use POST");
            snprintf(rs->extra, sizeof(rs->extra), "Allow: POST\r\n");
            account(a, r, t0, false, 0);
            return;
        }
        rc = h_sighting(a, rq, body, rs);
        if (rc == 0)
            cache_clear(a);
        account(a, r, t0, true, rc);
        return;
    }
    if (rq->method != HTTP_GET && rq->method != HTTP_HEAD) {
        http_resp_error(rs, 405, "read-only endpoint: use GET");
        snprintf(rs->extra, sizeof(rs->extra), "Allow: GET, HEAD\r\n");
        return;
    }
    // aircraft.json without as_of follows a clock (replay.h): never cached.
    bool cacheable =
        r != R_STATIC && r != R_METRICS && !(r == R_AIRCRAFT && !has_value(rq, "as_of"));
    if (cacheable && cache_get(a, rq, rs)) {
        account(a, r, t0, false, 0);
        return;
    }
    switch (r) {
    case R_ASSETS:
        rc = h_assets(a, rq, rs);
        break;
    case R_ASSET:
        rc = h_asset(a, rq, p + 12, rs);
        break;
    case R_TRACKS:
        rc = h_tracks(a, rq, rs);
        break;
    case R_EVENTS:
        rc = h_events(a, rq, rs);
        break;
    case R_OOB:
        rc = h_oob(a, rq, rs);
        break;
    case R_TIMELINE:
        rc = h_timeline(a, rq, CHART_NONE, rs);
        break;
    case R_TIMELINE_SVG:
    case R_TIMELINE_PNG:
        rc = h_timeline(a, rq, r == R_TIMELINE_SVG ? CHART_SVG : CHART_PNG, rs);
        break;
    case R_SOURCES:
        rc = h_sources(a, rs);
        break;
    case R_AIRCRAFT:
        rc = h_aircraft(a, rq, rs);
        break;
    case R_RECEIVER:
        rc = h_receiver(a, rs);
        break;
    case R_METRICS:
        rc = h_metrics(a, rs);
        break;
    case R_CLAIMS:
    case R_CLAIM:
        rc = h_claims(a, r == R_CLAIM ? p + 12 : NULL, rs);
        break;
    default:
        if (!strncmp(p, "/api/", 5) || !strcmp(p, "/api"))
            http_resp_error(rs, 404, "no such endpoint (see docs/server.md)");
        else if (!strncmp(p, "/geo/", 5))
            h_static(a->geo_dir, p + 4, rs);
        else
            h_static(a->web_dir, p, rs);
        account(a, R_STATIC, t0, false, 0);
        return;
    }
    if (cacheable)
        cache_put(a, rq, rs, t0);
    account(a, r, t0, true, rc);
}
