/* SPDX-License-Identifier: BSD-2-Clause
 *
 * bench_track.c - geo + track + events throughput on constructed position
 * updates with the shipped Caribbean theatre, memory per tracked asset,
 * and the geo index against brute force and (when built with HAVE_GEOS)
 * GEOS prepared geometries. Prints markdown table rows on stdout.
 *
 * usage: bench_track ROOT UPDATES ASSETS_FOR_MEMORY
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "events/events.h"
#include "geo/geodesic.h"
#include "geo/layer.h"
#include "geo/theatre.h"

#ifdef HAVE_GEOS
#include <geos_c.h>
#endif

/* CPU time of this process: the machine may be shared, and the work is
 * single-threaded, so CPU seconds are what one core delivers. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint64_t rs = 0x9E3779B97F4A7C15ull;
static double urand(void)
{
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return (double)(rs >> 11) / 9007199254740992.0;
}

struct mover {
    double lat, lon, hdg, kn;
    double hdg_c, sin_h, cos_h, cog; /* sin, cos and course of hdg_c (a cache) */
};

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmRSS:", 6))
            kb = strtol(line + 6, NULL, 10);
    if (f)
        fclose(f);
    return kb;
}

static uint64_t nevents, norbits;
static void count_ev(void *ctx, const struct event *e)
{
    (void)ctx;
    nevents++;
    norbits += e->type == EV_ORBIT;
}

/* Aircraft turn rate (rad per hour of flight per knot): 0 = straight; 1/10
 * flies 10 nm radius circles (the orbit detector's busiest case). */
static double air_turn_per_nm;

/* Round-robin updates of n movers (ships then aircraft), each every 10 s of
 * data time. With eng NULL only the generation is timed. */
static double run(struct ev_engine *eng, struct mover *m, int nship, int nair, long updates)
{
    int n = nship + nair;
    const int64_t t0 = 1760000000000ll;
    struct obs o;
    memset(&o, 0, sizeof o);
    o.source = "bench";
    double sink = 0, t = now();
    for (long u = 0; u < updates; u++) {
        int i = (int)(u % n);
        struct mover *p = &m[i];
        double dt_h = 10.0 / 3600;
        if (i >= nship)
            p->hdg += p->kn * dt_h * air_turn_per_nm;
        if (p->hdg != p->hdg_c) { // the same values as sin/cos/fmod on each update
            p->hdg_c = p->hdg;
            p->sin_h = sin(p->hdg);
            p->cos_h = cos(p->hdg);
            p->cog = fmod(p->hdg * 180 / M_PI + 720, 360);
        }
        p->lat += p->kn * dt_h / 60 * p->cos_h;
        p->lon += p->kn * dt_h / 60 * p->sin_h / cos(p->lat * M_PI / 180);
        if (p->lat < 9 || p->lat > 21 || p->lon < -84 || p->lon > -60)
            p->hdg += M_PI; // turn back at the edge of the box
        o.kind = i < nship ? OBS_SHIP : OBS_AIRCRAFT;
        o.id = i < nship ? 200000000u + (uint32_t)i : 0xA00000u + (uint32_t)i;
        o.t_ms = t0 + (u / n) * 10000 + (int64_t)i * 10000 / n;
        o.has = OBS_HAS_POS | OBS_HAS_SOG | OBS_HAS_COG | (i < nship ? 0 : OBS_HAS_ALT);
        o.lat = p->lat;
        o.lon = p->lon;
        o.sog_kn = p->kn;
        o.cog_deg = p->hdg == p->hdg_c ? p->cog : fmod(p->hdg * 180 / M_PI + 720, 360);
        o.alt_ft = 30000;
        o.source_offset = (uint64_t)u * 40;
        if (eng)
            ev_engine_obs(eng, &o);
        else
            sink += o.lat;
    }
    if (sink == 12345.678)
        printf("#");
    return now() - t;
}

static void init_movers(struct mover *m, int nship, int nair)
{
    rs = 0x9E3779B97F4A7C15ull;
    for (int i = 0; i < nship + nair; i++) {
        m[i].lat = 10 + 10 * urand();
        m[i].lon = -83 + 22 * urand();
        m[i].hdg = 2 * M_PI * urand();
        m[i].kn = i < nship ? 3 + 20 * urand() : 250 + 250 * urand();
        m[i].hdg_c = NAN; // no cached sin/cos yet
    }
}

static bool brute_pip(const double *x, const double *y, size_t n, double lat, double lon)
{
    bool in = false;
    for (size_t i = 0; i + 1 < n; i++) {
        if (isnan(x[i]) || isnan(x[i + 1]))
            continue;
        if ((y[i] > lat) != (y[i + 1] > lat) &&
            lon < x[i] + (lat - y[i]) * (x[i + 1] - x[i]) / (y[i + 1] - y[i]))
            in = !in;
    }
    return in;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    fclose(f);
    if (s) {
        s[n] = 0;
        *len = (size_t)n;
    }
    return s;
}

/* Ring vertices of a GeoJSON file (NaN between rings), for brute force. */
static size_t rings_of(const char *text, double **px, double **py)
{
    size_t cap = 1 << 16, n = 0;
    double *x = malloc(cap * sizeof(double)), *y = malloc(cap * sizeof(double));
    const char *p = strstr(text, "\"coordinates\"");
    while (p && *p) {
        if (*p == '[') {
            char *end;
            double lon = strtod(p + 1, &end);
            if (end != p + 1 && *end == ',') {
                double lat = strtod(end + 1, &end);
                if (n + 2 >= cap) {
                    cap *= 2;
                    x = realloc(x, cap * sizeof(double));
                    y = realloc(y, cap * sizeof(double));
                }
                x[n] = lon;
                y[n++] = lat;
                p = strchr(end, ']');
                if (!p)
                    break;
            }
        } else if (*p == ']' && n && !isnan(x[n - 1])) {
            x[n] = y[n] = NAN;
            n++;
        }
        p++;
    }
    *px = x;
    *py = y;
    return n;
}

static void geo_bench(const char *root)
{
    char path[1024];
    size_t len;
    enum orbat_err err;
    // Point in polygon: the Caribbean Sea polygon (708 + holes).
    snprintf(path, sizeof path, "%s/data/geo/caribbean_sea.geojson", root);
    char *text = slurp(path, &len);
    struct geo_layer *car = text ? geo_layer_parse(text, len, "caribbean", &err) : NULL;
    if (!car) {
        fprintf(stderr, "bench_track: cannot load %s\n", path);
        free(text);
        return;
    }
    double *bx, *by;
    size_t bn = rings_of(text, &bx, &by);
    const int NQ = 2000000;
    double *qlat = malloc(NQ * sizeof(double)), *qlon = malloc(NQ * sizeof(double));
    for (int i = 0; i < NQ; i++) {
        qlat[i] = 8.5 + 14.2 * urand();
        qlon[i] = -88.3 + 29.1 * urand();
    }
    int hits = 0;
    double t = now();
    for (int i = 0; i < NQ; i++)
        hits += geo_layer_contains(car, qlat[i], qlon[i]);
    double t_grid = now() - t;
    int bq = NQ / 100, mism = 0;
    t = now();
    for (int i = 0; i < bq; i++) {
        bool b = brute_pip(bx, by, bn, qlat[i], qlon[i]);
        mism += b != geo_layer_contains(car, qlat[i], qlon[i]);
    }
    double t_brute = (now() - t) * 100;
    printf("| point in Caribbean polygon, grid index (%d random points in its bbox, %d%% inside) | "
           "%.1f M/s | %.0fx brute force |\n",
           NQ, hits * 100 / NQ, NQ / t_grid / 1e6, t_brute / t_grid);
    printf("| point in Caribbean polygon, brute-force PNPOLY over %zu vertices (%d points, %d "
           "mismatches) | %.2f M/s | 1.0x |\n",
           bn, bq, mism, NQ / t_brute / 1e6);
#ifdef HAVE_GEOS
    GEOSContextHandle_t h = GEOS_init_r();
    GEOSGeoJSONReader *rd = GEOSGeoJSONReader_create_r(h);
    // The FeatureCollection reads as a GeometryCollection; prepare its one
    // polygon (GEOS does not index a prepared collection).
    GEOSGeometry *g = GEOSGeoJSONReader_readGeometry_r(h, rd, text);
    const GEOSGeometry *g0 = g ? GEOSGetGeometryN_r(h, g, 0) : NULL;
    const GEOSPreparedGeometry *pg = g0 ? GEOSPrepare_r(h, g0) : NULL;
    if (pg) {
        int ghits = 0, gq = NQ / 10;
        t = now();
        for (int i = 0; i < gq; i++) {
            GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, qlon[i], qlat[i]);
            ghits += GEOSPreparedIntersects_r(h, pg, pt) == 1;
            GEOSGeom_destroy_r(h, pt);
        }
        double t_geos = (now() - t) * NQ / gq; // scaled to NQ points
        printf("| point in Caribbean polygon, GEOS %s prepared geometry (%d points, %d inside) | "
               "%.2f M/s | orbat %.1fx faster |\n",
               GEOSversion(), gq, ghits, NQ / t_geos / 1e6, t_geos / t_grid);
    }
#endif
    free(text);
    geo_layer_free(car);
    // Distance to the Venezuelan coastline (35,621 vertices).
    snprintf(path, sizeof path, "%s/data/geo/venezuela_coastline.geojson", root);
    text = slurp(path, &len);
    struct geo_layer *ven = text ? geo_layer_parse(text, len, "ven", &err) : NULL;
    if (!ven) {
        free(text);
        free(qlat);
        free(qlon);
        return;
    }
    const int ND = 200000;
    for (int i = 0; i < ND; i++) {
        qlat[i] = 10.5 + 3.0 * urand();
        qlon[i] = -72 + 12 * urand();
    }
    double sum = 0;
    t = now();
    for (int i = 0; i < ND; i++) {
        double d = geo_layer_dist_nm(ven, qlat[i], qlon[i], NULL, NULL);
        if (isfinite(d))
            sum += d;
    }
    double t_cold = now() - t;
    t = now();
    for (int i = 0; i < ND; i++)
        geo_layer_dist_nm(ven, qlat[i], qlon[i], NULL, NULL);
    double t_warm = now() - t;
    printf("| distance to the Venezuelan coastline, first pass (%d points "
           "10.5-13.5N, mean %.1f nm) | %.2f M/s | |\n",
           ND, sum / ND, ND / t_cold / 1e6);
    printf(
        "| distance to the Venezuelan coastline, second pass (WGS84 geodesic to the nearest edge "
        "point) | %.2f M/s | |\n",
        ND / t_warm / 1e6);
    printf("| Venezuelan coastline layer memory after the runs | %.1f MB | |\n",
           geo_layer_mem(ven) / 1e6);
#ifdef HAVE_GEOS
    {
        GEOSGeometry *gv = GEOSGeoJSONReader_readGeometry_r(h, rd, text);
        const GEOSGeometry *gv0 = gv ? GEOSGetGeometryN_r(h, gv, 0) : NULL;
        const GEOSPreparedGeometry *pv = gv0 ? GEOSPrepare_r(h, gv0) : NULL;
        // GEOS works in planar degrees: a fair index comparison, not the
        // same quantity. Distance to the land polygon (0 inside, like
        // orbat's approach distance).
        const GEOSPreparedGeometry *pb = pv;
        int nd = ND / 20;
        if (pb) {
            double dd = 0;
            t = now();
            for (int i = 0; i < nd; i++) {
                GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, qlon[i], qlat[i]);
                double d;
                if (GEOSPreparedDistance_r(h, pb, pt, &d) == 1)
                    dd += d;
                GEOSGeom_destroy_r(h, pt);
            }
            double t_geos = (now() - t) * 20;
            printf("| distance to the coastline polygon, GEOS prepared (planar degrees, %d points) "
                   "| %.3f M/s | orbat %.1fx faster |\n",
                   nd, ND / t_geos / 1e6, t_geos / t_warm);
        }
        if (pv)
            GEOSPreparedGeom_destroy_r(h, pv);
        if (gv)
            GEOSGeom_destroy_r(h, gv);
    }
    if (pg)
        GEOSPreparedGeom_destroy_r(h, pg);
    if (g)
        GEOSGeom_destroy_r(h, g);
    GEOSGeoJSONReader_destroy_r(h, rd);
    GEOS_finish_r(h);
#endif
    // Vincenty.
    t = now();
    double s = 0;
    for (int i = 0; i < ND; i++)
        s += geo_dist_nm(qlat[i], qlon[i], qlat[(i + 7) % ND], qlon[(i + 7) % ND]);
    double t_v = now() - t;
    printf("| WGS84 geodesic distance (Vincenty inverse) | %.2f M/s | |\n", ND / t_v / 1e6);
    if (s == 1.2345)
        printf("#");
    free(text);
    free(bx);
    free(by);
    free(qlat);
    free(qlon);
    geo_layer_free(ven);
}

int main(int argc, char **argv)
{
    const char *root = argc > 1 ? argv[1] : ".";
    setvbuf(stdout, NULL, _IOLBF, 0);
    long updates = argc > 2 ? atol(argv[2]) : 4000000;
    long massets = argc > 3 ? atol(argv[3]) : 1000000;
    char path[1024], msg[256];
    enum orbat_err err;
    snprintf(path, sizeof path, "%s/data/theatres/caribbean.json", root);
    double t = now();
    struct theatre *th = theatre_load(path, &err, msg, sizeof msg);
    double t_load = now() - t;
    if (!th) {
        fprintf(stderr, "bench_track: %s\n", msg);
        return 1;
    }
    printf("| load the Caribbean theatre (4 GeoJSON layers, 28 airfields) | %.3f s | |\n", t_load);
    int nship = 20000, nair = 2000;
    struct mover *m = malloc((size_t)(nship + nair) * sizeof(*m));
    init_movers(m, nship, nair);
    double t_gen = run(NULL, m, nship, nair, updates);
    init_movers(m, nship, nair);
    struct ev_engine *e0 = ev_engine_new(NULL, NULL, count_ev, NULL);
    double t_none = run(e0, m, nship, nair, updates);
    ev_engine_free(e0);
    // Two passes with the theatre: the first fills the distance caches.
    init_movers(m, nship, nair);
    nevents = 0;
    struct ev_engine *e1 = ev_engine_new(th, NULL, count_ev, NULL);
    double t_th1 = run(e1, m, nship, nair, updates);
    const struct ev_stats *st = ev_engine_stats(e1);
    uint64_t q = st->dist_queries, sk = st->dist_skipped;
    ev_engine_finish(e1);
    ev_engine_free(e1);
    uint64_t ev1 = nevents;
    init_movers(m, nship, nair);
    struct ev_engine *e2 = ev_engine_new(th, NULL, count_ev, NULL);
    double t_th2 = run(e2, m, nship, nair, updates);
    ev_engine_free(e2);
    // The same with every aircraft flying 10 nm circles: orbits detected.
    init_movers(m, nship, nair);
    air_turn_per_nm = 1.0 / 10;
    norbits = 0;
    struct ev_engine *e3 = ev_engine_new(th, NULL, count_ev, NULL);
    double t_th3 = run(e3, m, nship, nair, updates);
    ev_engine_finish(e3);
    ev_engine_free(e3);
    air_turn_per_nm = 0;
    printf("| constructed updates: generation only (%ld updates, %d ships + %d aircraft) | %.1f "
           "M/s | |\n",
           updates, nship, nair, updates / t_gen / 1e6);
    printf("| track + events, no theatre | %.2f M updates/s | net of generation %.2f M/s |\n",
           updates / t_none / 1e6, updates / (t_none - t_gen) / 1e6);
    printf("| geo + track + events, Caribbean theatre, cold caches | %.2f M updates/s | target >= "
           "2M; net of generation %.2f M/s |\n",
           updates / t_th1 / 1e6, updates / (t_th1 - t_gen) / 1e6);
    printf(
        "| geo + track + events, Caribbean theatre, second replay | %.2f M updates/s | target >= "
        "2M; net %.2f M/s |\n",
        updates / t_th2 / 1e6, updates / (t_th2 - t_gen) / 1e6);
    printf(
        "| the same, the %d aircraft flying 10 nm circles (%llu orbit events) | %.2f M updates/s "
        "| target >= 2M; net %.2f M/s |\n",
        nair, (unsigned long long)norbits, updates / t_th3 / 1e6, updates / (t_th3 - t_gen) / 1e6);
    printf("| (cold run: events emitted %llu; exact distance queries %llu, skipped by the "
           "moved-distance "
           "bound %llu) | | |\n",
           (unsigned long long)ev1, (unsigned long long)q, (unsigned long long)sk);
    free(m);
    // Memory: massets ships, two updates each, far from the coast.
    long r0 = rss_kb();
    struct ev_engine *em = ev_engine_new(th, NULL, NULL, NULL);
    struct obs o;
    memset(&o, 0, sizeof o);
    o.kind = OBS_SHIP;
    o.has = OBS_HAS_POS | OBS_HAS_SOG;
    o.source = "mem";
    for (long i = 0; i < massets; i++) {
        o.id = 100000000u + (uint32_t)i;
        o.t_ms = 1760000000000ll + i;
        o.lat = 14 + (i % 1000) * 0.001;
        o.lon = -75 + (i / 1000) * 0.001;
        o.sog_kn = 12;
        ev_engine_obs(em, &o);
    }
    long r1 = rss_kb();
    size_t mem = ev_engine_mem(em);
    printf("| memory per tracked asset (%ld ships; engine accounting) | %.0f bytes | target <= 512 "
           "|\n",
           massets, (double)mem / massets);
    printf("| memory per tracked asset (%ld ships; process RSS growth) | %.0f bytes | target <= "
           "512 |\n",
           massets, (double)(r1 - r0) * 1024 / massets);
    ev_engine_free(em);
    theatre_free(th);
    if (argc <= 4 || strcmp(argv[4], "nogeo") != 0)
        geo_bench(root);
    return 0;
}
