/* SPDX-License-Identifier: BSD-2-Clause
 *
 * layer.c - GeoJSON (RFC 7946) layer loading with jansson, and the grid
 * index behind point-in-polygon and distance-to-edge queries. See layer.h.
 */
#include "geo/layer.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo/geodesic.h"

#define RING_BIT 0x80000000u
#define F_IN 1u       /* cell centre inside the area */
#define F_RING 2u     /* cell touched by a ring edge */
#define C_UNKNOWN 0xFFFFFFFFu
#define C_FAR 0xFFFFFFFEu
#define MAX_DEPTH 4   /* GeometryCollection nesting we follow */
#define NM_PER_DEG 60.0

struct gpoint {
    double lat, lon;
    char name[48];
};

/* A cached distance candidate: the edge's end points (float degrees, for
 * the scan), its distance from the cell centre (projected degrees) and its
 * start vertex (for the exact answer). Lists are sorted by dc. */
struct cand {
    float ax, ay, bx, by;
    float dc;
    uint32_t v;
};

struct geo_layer {
    char name[64];
    struct geo_layer_stats st;
    double *vx, *vy; /* lon, lat */
    size_t nv, capv;
    uint32_t *edge; /* start vertex | RING_BIT; the edge ends at start + 1 */
    size_t ne, cape;
    struct gpoint *pts;
    size_t np, capp;
    bool has_area;
    /* grid */
    double x0, y0, cw, ch;
    uint32_t nx, ny;
    uint32_t *cell_off; /* nx*ny + 1, CSR into cell_edges */
    uint32_t *cell_edges;
    uint8_t *cell_flag;
    /* distance cache */
    uint32_t *cache_off; /* C_UNKNOWN, C_FAR or offset into pool */
    uint32_t *cache_n;
    struct cand *pool;
    size_t npool, cappool;
    uint32_t *stamp; /* per start vertex, for de-duplication */
    uint32_t cur_stamp;
};

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 256;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = n;
    return 0;
}

/* ---- GeoJSON reading (RFC 7946 sections 3.1 geometry, 3.2 feature, 3.3 collection) ---- */

static bool pos_ok(const json_t *p, double *lon, double *lat)
{
    // RFC 7946 3.1.1: a position is an array of >= 2 numbers, lon then lat.
    if (!json_is_array(p) || json_array_size(p) < 2)
        return false;
    const json_t *a = json_array_get(p, 0), *b = json_array_get(p, 1);
    if (!json_is_number(a) || !json_is_number(b))
        return false;
    *lon = json_number_value(a);
    *lat = json_number_value(b);
    return isfinite(*lon) && isfinite(*lat) && *lon >= -180.0 && *lon <= 180.0 &&
           *lat >= -90.0 && *lat <= 90.0;
}

/* Append one ring (ring=true) or line string. Returns 0, 1 if skipped as
 * malformed, -1 out of memory. */
static int add_path(struct geo_layer *l, const json_t *coords, bool ring)
{
    size_t n = json_is_array(coords) ? json_array_size(coords) : 0;
    double lon, lat, lon0 = 0, lat0 = 0, lonn = 0, latn = 0;
    if (n < (ring ? 4u : 2u))
        return 1;
    for (size_t i = 0; i < n; i++) {
        if (!pos_ok(json_array_get(coords, i), &lon, &lat))
            return 1;
        if (i == 0) {
            lon0 = lon;
            lat0 = lat;
        }
        lonn = lon;
        latn = lat;
    }
    // RFC 7946 3.1.6: rings are closed; close an open one leniently.
    size_t extra = (ring && (lon0 != lonn || lat0 != latn)) ? 1 : 0;
    if (l->nv + n + extra > GEO_LAYER_MAX_VERTS)
        return 1;
    if (grow((void **)&l->vx, &l->capv, l->nv + n + extra, sizeof(double)))
        return -1;
    size_t capy = l->capv;
    double *ny = realloc(l->vy, capy * sizeof(double));
    if (!ny)
        return -1;
    l->vy = ny;
    if (grow((void **)&l->edge, &l->cape, l->ne + n + extra, sizeof(uint32_t)))
        return -1;
    size_t start = l->nv;
    for (size_t i = 0; i < n; i++) {
        pos_ok(json_array_get(coords, i), &l->vx[l->nv], &l->vy[l->nv]);
        l->nv++;
    }
    if (extra) {
        l->vx[l->nv] = lon0;
        l->vy[l->nv] = lat0;
        l->nv++;
    }
    for (size_t i = start; i + 1 < l->nv; i++)
        l->edge[l->ne++] = (uint32_t)i | (ring ? RING_BIT : 0);
    if (ring) {
        l->st.rings++;
        l->has_area = true;
    } else {
        l->st.lines++;
    }
    return 0;
}

static int add_point(struct geo_layer *l, const json_t *p, const char *name)
{
    double lon, lat;
    if (!pos_ok(p, &lon, &lat))
        return 1;
    if (l->np >= 1000000 || grow((void **)&l->pts, &l->capp, l->np + 1, sizeof(*l->pts)))
        return l->np >= 1000000 ? 1 : -1;
    struct gpoint *g = &l->pts[l->np++];
    g->lat = lat;
    g->lon = lon;
    snprintf(g->name, sizeof g->name, "%s", name ? name : "");
    l->st.points++;
    return 0;
}

static int add_geometry(struct geo_layer *l, const json_t *g, const char *name, int depth)
{
    const char *type = json_string_value(json_object_get(g, "type"));
    const json_t *c = json_object_get(g, "coordinates");
    int rc = 0, r;
    if (!type)
        return 1;
    if (!strcmp(type, "Point"))
        return add_point(l, c, name);
    if (!strcmp(type, "GeometryCollection")) {
        const json_t *gs = json_object_get(g, "geometries");
        if (depth >= MAX_DEPTH || !json_is_array(gs))
            return 1;
        for (size_t i = 0; i < json_array_size(gs); i++) {
            r = add_geometry(l, json_array_get(gs, i), name, depth + 1);
            if (r < 0)
                return r;
            if (r > 0)
                l->st.skipped++;
        }
        return 0;
    }
    if (!json_is_array(c))
        return 1;
    size_t n = json_array_size(c);
    if (!strcmp(type, "MultiPoint")) {
        for (size_t i = 0; i < n && rc >= 0; i++)
            if ((r = add_point(l, json_array_get(c, i), name)) != 0)
                rc = r;
    } else if (!strcmp(type, "LineString")) {
        rc = add_path(l, c, false);
    } else if (!strcmp(type, "MultiLineString")) {
        for (size_t i = 0; i < n && rc >= 0; i++)
            if ((r = add_path(l, json_array_get(c, i), false)) != 0)
                rc = r;
    } else if (!strcmp(type, "Polygon")) {
        for (size_t i = 0; i < n && rc >= 0; i++)
            if ((r = add_path(l, json_array_get(c, i), true)) != 0)
                rc = r;
    } else if (!strcmp(type, "MultiPolygon")) {
        for (size_t i = 0; i < n && rc >= 0; i++) {
            const json_t *poly = json_array_get(c, i);
            if (!json_is_array(poly)) {
                rc = 1;
                continue;
            }
            for (size_t k = 0; k < json_array_size(poly) && rc >= 0; k++)
                if ((r = add_path(l, json_array_get(poly, k), true)) != 0)
                    rc = r;
        }
    } else {
        rc = 1;
    }
    return rc;
}

static int add_feature(struct geo_layer *l, const json_t *f)
{
    const char *type = json_string_value(json_object_get(f, "type"));
    if (!type)
        return 1;
    if (strcmp(type, "Feature") != 0)
        return add_geometry(l, f, NULL, 0);
    l->st.features++;
    const json_t *g = json_object_get(f, "geometry");
    if (json_is_null(g))
        return 0; // RFC 7946 3.2: an unlocated feature is legal
    const char *name = json_string_value(json_object_get(json_object_get(f, "properties"), "name"));
    return add_geometry(l, g, name, 0);
}

/* ---- grid index ---- */

static double seg_d2(double px, double py, double ax, double ay, double bx, double by, double kx,
                     double *tp)
{
    double x = (px - ax) * kx, y = py - ay;
    double dx = (bx - ax) * kx, dy = by - ay;
    double len2 = dx * dx + dy * dy, t = 0;
    if (len2 > 0) {
        t = (x * dx + y * dy) / len2;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
    }
    double ex = x - t * dx, ey = y - t * dy;
    if (tp)
        *tp = t;
    return ex * ex + ey * ey;
}

static inline uint32_t cell_x(const struct geo_layer *l, double x)
{
    double f = floor((x - l->x0) / l->cw);
    return f < 0 ? 0 : f >= l->nx ? l->nx - 1 : (uint32_t)f;
}

static inline uint32_t cell_y(const struct geo_layer *l, double y)
{
    double f = floor((y - l->y0) / l->ch);
    return f < 0 ? 0 : f >= l->ny ? l->ny - 1 : (uint32_t)f;
}

/* Visit the cells an edge touches (conservative): call with fill=false to
 * count, fill=true to store. */
static void raster_edge(struct geo_layer *l, uint32_t e, uint32_t *pos, bool fill)
{
    uint32_t v = e & ~RING_BIT;
    double ax = l->vx[v], ay = l->vy[v], bx = l->vx[v + 1], by = l->vy[v + 1];
    uint32_t ix0 = cell_x(l, fmin(ax, bx)), ix1 = cell_x(l, fmax(ax, bx));
    uint32_t iy0 = cell_y(l, fmin(ay, by)), iy1 = cell_y(l, fmax(ay, by));
    double hd = 0.5 * sqrt(l->cw * l->cw + l->ch * l->ch) * 1.01;
    for (uint32_t iy = iy0 == 0 ? 0 : iy0 - 1; iy <= iy1 + 1 && iy < l->ny; iy++) {
        double yc = l->y0 + (iy + 0.5) * l->ch;
        for (uint32_t ix = ix0 == 0 ? 0 : ix0 - 1; ix <= ix1 + 1 && ix < l->nx; ix++) {
            double xc = l->x0 + (ix + 0.5) * l->cw;
            if (seg_d2(xc, yc, ax, ay, bx, by, 1.0, NULL) > hd * hd)
                continue;
            size_t c = (size_t)iy * l->nx + ix;
            if (fill)
                l->cell_edges[pos[c]++] = e;
            else
                l->cell_off[c + 1]++;
        }
    }
}

/* Crossing of ring edge e with the horizontal line y (half-open rule):
 * returns true and the x of the crossing. */
static inline bool crossing(const struct geo_layer *l, uint32_t e, double y, double *x)
{
    if (!(e & RING_BIT))
        return false;
    uint32_t v = e & ~RING_BIT;
    double ax = l->vx[v], ay = l->vy[v], bx = l->vx[v + 1], by = l->vy[v + 1];
    if ((ay > y) == (by > y))
        return false;
    *x = ax + (y - ay) * (bx - ax) / (by - ay);
    return true;
}

static inline uint32_t xcell_raw(const struct geo_layer *l, double x)
{
    double f = floor((x - l->x0) / l->cw);
    return f < 0 ? UINT32_MAX : f >= l->nx ? l->nx : (uint32_t)f;
}

static int build_grid(struct geo_layer *l)
{
    double minx = 1e9, miny = 1e9, maxx = -1e9, maxy = -1e9;
    for (size_t i = 0; i < l->nv; i++) {
        minx = fmin(minx, l->vx[i]);
        maxx = fmax(maxx, l->vx[i]);
        miny = fmin(miny, l->vy[i]);
        maxy = fmax(maxy, l->vy[i]);
    }
    // Margin: anything outside the grid is farther than GEO_LAYER_MAX_NM.
    double my = GEO_LAYER_MAX_NM / 59.0;
    double latx = fmin(85.0, fmax(fabs(miny - my), fabs(maxy + my)));
    double mx = my / cos(latx * M_PI / 180.0);
    minx -= mx;
    maxx += mx;
    miny -= my;
    maxy += my;
    double w = maxx - minx, h = maxy - miny;
    double target = fmin(fmax(4.0 * (double)l->ne, 4096.0), (double)(1u << 20));
    double cs = sqrt(w * h / target);
    l->nx = (uint32_t)fmin(fmax(ceil(w / cs), 1.0), 2048.0);
    l->ny = (uint32_t)fmin(fmax(ceil(h / cs), 1.0), 2048.0);
    l->x0 = minx;
    l->y0 = miny;
    l->cw = w / l->nx;
    l->ch = h / l->ny;
    size_t nc = (size_t)l->nx * l->ny;
    l->cell_off = calloc(nc + 1, sizeof(uint32_t));
    l->cell_flag = calloc(nc, 1);
    l->cache_off = malloc(nc * sizeof(uint32_t));
    l->cache_n = calloc(nc, sizeof(uint32_t));
    l->stamp = calloc(l->nv ? l->nv : 1, sizeof(uint32_t)); /* by start vertex */
    if (!l->cell_off || !l->cell_flag || !l->cache_off || !l->cache_n || !l->stamp)
        return -1;
    for (size_t c = 0; c < nc; c++)
        l->cache_off[c] = C_UNKNOWN;
    for (size_t i = 0; i < l->ne; i++)
        raster_edge(l, l->edge[i], NULL, false);
    for (size_t c = 0; c < nc; c++)
        l->cell_off[c + 1] += l->cell_off[c];
    if (l->cell_off[nc] > 200000000u)
        return -1;
    l->cell_edges = malloc((l->cell_off[nc] ? l->cell_off[nc] : 1) * sizeof(uint32_t));
    uint32_t *pos = malloc(nc * sizeof(uint32_t));
    if (!l->cell_edges || !pos) {
        free(pos);
        return -1;
    }
    memcpy(pos, l->cell_off, nc * sizeof(uint32_t));
    for (size_t i = 0; i < l->ne; i++)
        raster_edge(l, l->edge[i], pos, true);
    free(pos);
    // Centre flags, right to left along each row's centre line: the state
    // right of the grid is "outside"; each crossing toggles it.
    for (uint32_t iy = 0; iy < l->ny; iy++) {
        double yc = l->y0 + (iy + 0.5) * l->ch;
        unsigned parity = 0;
        for (uint32_t ix = l->nx; ix-- > 0;) {
            size_t c = (size_t)iy * l->nx + ix;
            double xc = l->x0 + (ix + 0.5) * l->cw, x;
            unsigned right = 0, left = 0;
            for (uint32_t k = l->cell_off[c]; k < l->cell_off[c + 1]; k++) {
                uint32_t e = l->cell_edges[k];
                if (e & RING_BIT)
                    l->cell_flag[c] |= F_RING;
                if (!crossing(l, e, yc, &x) || xcell_raw(l, x) != ix)
                    continue;
                if (x > xc)
                    right++;
                else
                    left++;
            }
            parity ^= right & 1u;
            if (parity)
                l->cell_flag[c] |= F_IN;
            parity ^= left & 1u;
        }
    }
    l->st.grid_nx = l->nx;
    l->st.grid_ny = l->ny;
    return 0;
}

struct geo_layer *geo_layer_parse(const char *text, size_t len, const char *name,
                                  enum orbat_err *err)
{
    enum orbat_err dummy;
    if (!err)
        err = &dummy;
    if (len > GEO_LAYER_MAX_BYTES) {
        *err = ORBAT_E_TOOLONG;
        return NULL;
    }
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root || !json_is_object(root)) {
        json_decref(root);
        *err = ORBAT_E_FORMAT;
        return NULL;
    }
    struct geo_layer *l = calloc(1, sizeof(*l));
    if (!l) {
        json_decref(root);
        *err = ORBAT_E_NOMEM;
        return NULL;
    }
    snprintf(l->name, sizeof l->name, "%s", name ? name : "");
    int rc = 0;
    const char *type = json_string_value(json_object_get(root, "type"));
    if (type && !strcmp(type, "FeatureCollection")) {
        const json_t *fs = json_object_get(root, "features");
        for (size_t i = 0; json_is_array(fs) && i < json_array_size(fs) && rc >= 0; i++) {
            rc = add_feature(l, json_array_get(fs, i));
            if (rc > 0)
                l->st.skipped++;
        }
    } else {
        rc = add_feature(l, root);
        if (rc > 0)
            l->st.skipped++;
    }
    json_decref(root);
    if (rc < 0) {
        geo_layer_free(l);
        *err = ORBAT_E_NOMEM;
        return NULL;
    }
    if (l->ne == 0 && l->np == 0) {
        geo_layer_free(l);
        *err = ORBAT_E_FORMAT;
        return NULL;
    }
    l->st.vertices = (uint32_t)l->nv;
    l->st.edges = (uint32_t)l->ne;
    if (l->ne && build_grid(l) < 0) {
        geo_layer_free(l);
        *err = ORBAT_E_NOMEM;
        return NULL;
    }
    *err = ORBAT_OK;
    return l;
}

struct geo_layer *geo_layer_load(const char *path, const char *name, enum orbat_err *err)
{
    enum orbat_err dummy;
    if (!err)
        err = &dummy;
    FILE *f = fopen(path, "rb");
    if (!f) {
        *err = ORBAT_E_IO;
        return NULL;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (grow((void **)&buf, &cap, len + 65536, 1)) {
            fclose(f);
            free(buf);
            *err = ORBAT_E_NOMEM;
            return NULL;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (len > GEO_LAYER_MAX_BYTES) {
            fclose(f);
            free(buf);
            *err = ORBAT_E_TOOLONG;
            return NULL;
        }
        if (n == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        errno = EIO;
        *err = ORBAT_E_IO;
        return NULL;
    }
    struct geo_layer *l = geo_layer_parse(buf, len, name, err);
    free(buf);
    return l;
}

void geo_layer_free(struct geo_layer *l)
{
    if (!l)
        return;
    free(l->vx);
    free(l->vy);
    free(l->edge);
    free(l->pts);
    free(l->cell_off);
    free(l->cell_edges);
    free(l->cell_flag);
    free(l->cache_off);
    free(l->cache_n);
    free(l->pool);
    free(l->stamp);
    free(l);
}

const char *geo_layer_name(const struct geo_layer *l)
{
    return l->name;
}

const struct geo_layer_stats *geo_layer_get_stats(const struct geo_layer *l)
{
    return &l->st;
}

bool geo_layer_has_area(const struct geo_layer *l)
{
    return l->has_area;
}

size_t geo_layer_mem(const struct geo_layer *l)
{
    size_t nc = (size_t)l->nx * l->ny;
    size_t m = sizeof(*l) + l->capv * 2 * sizeof(double) + l->cape * sizeof(uint32_t) +
               l->capp * sizeof(struct gpoint) + l->cappool * sizeof(struct cand);
    if (l->ne)
        m += (nc + 1) * 4 + nc * 9 + (size_t)l->cell_off[nc] * 4 + l->nv * 4;
    return m;
}

bool geo_layer_contains(const struct geo_layer *l, double lat, double lon)
{
    if (!l->has_area || !(lon >= l->x0) || !(lat >= l->y0) || lon >= l->x0 + l->nx * l->cw ||
        lat >= l->y0 + l->ny * l->ch)
        return false;
    uint32_t ix = cell_x(l, lon), iy = cell_y(l, lat);
    size_t row = (size_t)iy * l->nx;
    if (!(l->cell_flag[row + ix] & F_RING))
        return l->cell_flag[row + ix] & F_IN;
    // Cast a ray to the right through the touched cells until a cell with
    // no ring edge, whose state is known (PNPOLY half-open rule; each
    // crossing is counted only in the cell its x falls in).
    unsigned parity = 0;
    for (uint32_t cx = ix; cx < l->nx; cx++) {
        size_t c = row + cx;
        if (cx > ix && !(l->cell_flag[c] & F_RING))
            return (parity ^ (l->cell_flag[c] & F_IN)) & 1u;
        for (uint32_t k = l->cell_off[c]; k < l->cell_off[c + 1]; k++) {
            double x;
            if (crossing(l, l->cell_edges[k], lat, &x) && x > lon && xcell_raw(l, x) == cx)
                parity ^= 1u;
        }
    }
    return parity & 1u;
}

/* Nearest edge to (px, py) by ring search over the grid; squared distance
 * in degrees of latitude (projected with kx), bounded by cap (degrees). */
static uint32_t ring_nearest(const struct geo_layer *l, double px, double py, double kx, double cap,
                             double *best_d2)
{
    uint32_t ci = cell_x(l, px), cj = cell_y(l, py), best = UINT32_MAX;
    double cmin = fmin(l->cw * kx, l->ch), bd2 = INFINITY;
    uint32_t kmax = l->nx > l->ny ? l->nx : l->ny;
    for (uint32_t k = 0; k <= kmax; k++) {
        double lb = k ? (k - 1) * cmin : 0;
        if (lb > cap || lb * lb > bd2)
            break;
        long j0 = (long)cj - k, j1 = (long)cj + k, i0 = (long)ci - k, i1 = (long)ci + k;
        for (long j = j0; j <= j1; j++) {
            if (j < 0 || j >= (long)l->ny)
                continue;
            bool edge_row = (j == j0 || j == j1);
            for (long i = i0; i <= i1; i += (edge_row || k == 0) ? 1 : (i1 - i0)) {
                if (i >= 0 && i < (long)l->nx) {
                    size_t c = (size_t)j * l->nx + (size_t)i;
                    for (uint32_t q = l->cell_off[c]; q < l->cell_off[c + 1]; q++) {
                        uint32_t v = l->cell_edges[q] & ~RING_BIT;
                        double d2 = seg_d2(px, py, l->vx[v], l->vy[v], l->vx[v + 1],
                                           l->vy[v + 1], kx, NULL);
                        if (d2 < bd2) {
                            bd2 = d2;
                            best = v;
                        }
                    }
                }
                if (k == 0 || i1 == i0)
                    break;
            }
        }
    }
    *best_d2 = bd2;
    return best;
}

static int cmp_cand(const void *a, const void *b)
{
    float x = ((const struct cand *)a)->dc, y = ((const struct cand *)b)->dc;
    return x < y ? -1 : x > y;
}

/* Fill the distance cache of cell c. Returns -1 out of memory. */
static int cache_cell(struct geo_layer *l, size_t c)
{
    uint32_t ix = (uint32_t)(c % l->nx), iy = (uint32_t)(c / l->nx);
    double xc = l->x0 + (ix + 0.5) * l->cw, yc = l->y0 + (iy + 0.5) * l->ch;
    double kx = cos(yc * M_PI / 180.0);
    double diag = sqrt(l->cw * kx * l->cw * kx + l->ch * l->ch);
    double cap = GEO_LAYER_MAX_NM / 59.0 + diag, d2;
    uint32_t best = ring_nearest(l, xc, yc, kx, cap, &d2);
    if (best == UINT32_MAX || sqrt(d2) > cap) {
        l->cache_off[c] = C_FAR;
        l->cache_n[c] = 0;
        return 0;
    }
    double r = (sqrt(d2) + diag) * 1.05 + 1e-9, r2 = r * r;
    if (++l->cur_stamp == 0) {
        memset(l->stamp, 0, l->nv * sizeof(uint32_t));
        l->cur_stamp = 1;
    }
    size_t start = l->npool;
    double cmin = fmin(l->cw * kx, l->ch);
    uint32_t kmax = l->nx > l->ny ? l->nx : l->ny;
    for (uint32_t k = 0; k <= kmax; k++) {
        if (k && (k - 1) * cmin > r)
            break;
        long j0 = (long)iy - k, j1 = (long)iy + k, i0 = (long)ix - k, i1 = (long)ix + k;
        for (long j = j0; j <= j1; j++) {
            if (j < 0 || j >= (long)l->ny)
                continue;
            bool edge_row = (j == j0 || j == j1);
            for (long i = i0; i <= i1; i += (edge_row || k == 0) ? 1 : (i1 - i0)) {
                if (i >= 0 && i < (long)l->nx) {
                    size_t cc = (size_t)j * l->nx + (size_t)i;
                    for (uint32_t q = l->cell_off[cc]; q < l->cell_off[cc + 1]; q++) {
                        uint32_t v = l->cell_edges[q] & ~RING_BIT;
                        if (l->stamp[v] == l->cur_stamp ||
                            seg_d2(xc, yc, l->vx[v], l->vy[v], l->vx[v + 1], l->vy[v + 1], kx,
                                   NULL) > r2)
                            continue;
                        l->stamp[v] = l->cur_stamp;
                        if (grow((void **)&l->pool, &l->cappool, l->npool + 1,
                                 sizeof(struct cand)))
                            return -1;
                        struct cand *cd = &l->pool[l->npool++];
                        cd->ax = (float)l->vx[v];
                        cd->ay = (float)l->vy[v];
                        cd->bx = (float)l->vx[v + 1];
                        cd->by = (float)l->vy[v + 1];
                        cd->dc = (float)sqrt(seg_d2(xc, yc, l->vx[v], l->vy[v], l->vx[v + 1],
                                                    l->vy[v + 1], kx, NULL));
                        cd->v = v;
                    }
                }
                if (k == 0 || i1 == i0)
                    break;
            }
        }
    }
    qsort(l->pool + start, l->npool - start, sizeof(struct cand), cmp_cand);
    l->cache_off[c] = (uint32_t)start;
    l->cache_n[c] = (uint32_t)(l->npool - start);
    l->st.cached_cells++;
    l->st.cache_edges += l->cache_n[c];
    return 0;
}

double geo_layer_dist_nm(struct geo_layer *l, double lat, double lon, double *near_lat,
                         double *near_lon)
{
    if (!l->ne || !(lon >= l->x0) || !(lat >= l->y0) || lon >= l->x0 + l->nx * l->cw ||
        lat >= l->y0 + l->ny * l->ch)
        return INFINITY;
    size_t c = (size_t)cell_y(l, lat) * l->nx + cell_x(l, lon);
    if (l->cache_off[c] == C_UNKNOWN && cache_cell(l, c) < 0)
        return INFINITY;
    if (l->cache_off[c] == C_FAR)
        return INFINITY;
    // Scan the candidates nearest-first (sorted by distance from the cell
    // centre); stop once even the best case, dc - |p - centre|, is worse.
    double kx = cos(lat * M_PI / 180.0), bd2 = INFINITY, bd = INFINITY;
    uint32_t ix = (uint32_t)(c % l->nx), iy = (uint32_t)(c / l->nx);
    double xc = l->x0 + (ix + 0.5) * l->cw, yc = l->y0 + (iy + 0.5) * l->ch;
    double kxc = cos(yc * M_PI / 180.0);
    double ex = (lon - xc) * kxc, ey = lat - yc;
    double off = sqrt(ex * ex + ey * ey) * 1.02 + 1e-6; // |p - centre| in dc's metric
    float px = (float)lon, py = (float)lat, fk = (float)kx;
    uint32_t best = UINT32_MAX;
    const struct cand *cand = l->pool + l->cache_off[c];
    for (uint32_t i = 0; i < l->cache_n[c]; i++) {
        const struct cand *k = &cand[i];
        if (k->dc - off > bd * 1.02 + 1e-6)
            break;
        float x = (px - k->ax) * fk, y = py - k->ay;
        float dx = (k->bx - k->ax) * fk, dy = k->by - k->ay;
        float len2 = dx * dx + dy * dy, t = 0;
        if (len2 > 0) {
            t = (x * dx + y * dy) / len2;
            t = t < 0 ? 0 : t > 1 ? 1 : t;
        }
        float qx = x - t * dx, qy = y - t * dy;
        double d2 = (double)(qx * qx + qy * qy);
        if (d2 < bd2) {
            bd2 = d2;
            bd = sqrt(d2);
            best = k->v;
        }
    }
    double bt = 0;
    if (best != UINT32_MAX)
        seg_d2(lon, lat, l->vx[best], l->vy[best], l->vx[best + 1], l->vy[best + 1], kx, &bt);
    if (best == UINT32_MAX)
        return INFINITY;
    double nlon = l->vx[best] + bt * (l->vx[best + 1] - l->vx[best]);
    double nlat = l->vy[best] + bt * (l->vy[best + 1] - l->vy[best]);
    double d = geo_dist_nm(lat, lon, nlat, nlon);
    if (d > GEO_LAYER_MAX_NM)
        return INFINITY;
    if (near_lat)
        *near_lat = nlat;
    if (near_lon)
        *near_lon = nlon;
    return d;
}

size_t geo_layer_npoints(const struct geo_layer *l)
{
    return l->np;
}

void geo_layer_point(const struct geo_layer *l, size_t i, double *lat, double *lon,
                     const char **name)
{
    *lat = l->pts[i].lat;
    *lon = l->pts[i].lon;
    *name = l->pts[i].name;
}
