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

#define RING_BIT   0x80000000u
#define F_IN       1u /* cell centre inside the area */
#define F_RING     2u /* cell touched by a ring edge */
#define LEAF_SEGS  8
#define MAX_DEPTH  4 /* GeometryCollection nesting we follow */
#define NM_PER_DEG 60.0

struct gpoint {
    double lat, lon;
    char name[48];
};

/* A distance segment (from the simplified boundary), in leaf order. */
struct dseg {
    double ax, ay, bx, by;
};

/* A bounding-volume hierarchy node over dseg: leaves hold n > 0 segments
 * from index a; inner nodes (n == 0) have children a and a + 1. */
struct bnode {
    float x0, y0, x1, y1;
    uint32_t a, n;
};

struct part {
    uint32_t start, count; /* vertices */
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
    double icw, ich; /* 1 / cw, 1 / ch: cells are found by multiplication */
    double x1, y1;   /* x0 + nx * cw, y0 + ny * ch */
    uint32_t nx, ny;
    uint32_t *cell_off; /* nx*ny + 1, CSR into cell_edges */
    uint32_t *cell_edges;
    uint8_t *cell_flag;
    /* parts (rings and lines) as vertex ranges */
    struct part *parts;
    size_t nparts, capparts;
    /* distance: simplified segments under a BVH */
    struct dseg *segs;
    size_t nsegs;
    struct bnode *nodes;
    size_t nnodes;
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
    return isfinite(*lon) && isfinite(*lat) && *lon >= -180.0 && *lon <= 180.0 && *lat >= -90.0 &&
           *lat <= 90.0;
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
    if (grow((void **)&l->parts, &l->capparts, l->nparts + 1, sizeof(struct part)))
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
    l->parts[l->nparts].start = (uint32_t)start;
    l->parts[l->nparts].count = (uint32_t)(l->nv - start);
    l->nparts++;
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

/* Cell of a coordinate. One monotone function of x (and of y) serves the
 * index build and the queries alike, so an edge is always filed under the
 * cells its crossings are later found in. Truncation is floor for f >= 0. */
static inline uint32_t cell_x(const struct geo_layer *l, double x)
{
    double f = (x - l->x0) * l->icw;
    return !(f >= 0) ? 0 : f >= l->nx ? l->nx - 1 : (uint32_t)f;
}

static inline uint32_t cell_y(const struct geo_layer *l, double y)
{
    double f = (y - l->y0) * l->ich;
    return !(f >= 0) ? 0 : f >= l->ny ? l->ny - 1 : (uint32_t)f;
}

/* The cells an edge touches (conservative), appended to *hits (cell
 * indexes, in visiting order) and counted in cell_off[c + 1]. Returns the
 * number appended, or -1 out of memory. */
static long raster_edge(struct geo_layer *l, uint32_t e, uint32_t **hits, size_t *nh, size_t *caph)
{
    uint32_t v = e & ~RING_BIT;
    double ax = l->vx[v], ay = l->vy[v], bx = l->vx[v + 1], by = l->vy[v + 1];
    uint32_t ix0 = cell_x(l, fmin(ax, bx)), ix1 = cell_x(l, fmax(ax, bx));
    uint32_t iy0 = cell_y(l, fmin(ay, by)), iy1 = cell_y(l, fmax(ay, by));
    double hd = 0.5 * sqrt(l->cw * l->cw + l->ch * l->ch) * 1.01;
    size_t n0 = *nh;
    for (uint32_t iy = iy0 == 0 ? 0 : iy0 - 1; iy <= iy1 + 1 && iy < l->ny; iy++) {
        double yc = l->y0 + (iy + 0.5) * l->ch;
        for (uint32_t ix = ix0 == 0 ? 0 : ix0 - 1; ix <= ix1 + 1 && ix < l->nx; ix++) {
            double xc = l->x0 + (ix + 0.5) * l->cw;
            if (seg_d2(xc, yc, ax, ay, bx, by, 1.0, NULL) > hd * hd)
                continue;
            size_t c = (size_t)iy * l->nx + ix;
            if (grow((void **)hits, caph, *nh + 1, sizeof **hits) < 0)
                return -1;
            (*hits)[(*nh)++] = (uint32_t)c;
            l->cell_off[c + 1]++;
        }
    }
    return (long)(*nh - n0);
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
    double f = (x - l->x0) * l->icw;
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
    // A small margin so that no vertex sits on the grid's far edge.
    double mx = fmax((maxx - minx) * 1e-6, 1e-9), my = fmax((maxy - miny) * 1e-6, 1e-9);
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
    l->icw = 1.0 / l->cw;
    l->ich = 1.0 / l->ch;
    l->x1 = l->x0 + l->nx * l->cw;
    l->y1 = l->y0 + l->ny * l->ch;
    size_t nc = (size_t)l->nx * l->ny;
    l->cell_off = calloc(nc + 1, sizeof(uint32_t));
    l->cell_flag = calloc(nc, 1);
    if (!l->cell_off || !l->cell_flag)
        return -1;
    // One rasterisation: the cells of every edge, in edge order, are kept
    // in hits[] (with each edge's count) and then placed by counting sort.
    uint32_t *hits = NULL, *per_edge = malloc((l->ne ? l->ne : 1) * sizeof(uint32_t));
    size_t nh = 0, caph = 0;
    if (!per_edge)
        return -1;
    for (size_t i = 0; i < l->ne; i++) {
        long n = raster_edge(l, l->edge[i], &hits, &nh, &caph);
        if (n < 0 || nh > 200000000u) {
            free(hits);
            free(per_edge);
            return -1;
        }
        per_edge[i] = (uint32_t)n;
    }
    for (size_t c = 0; c < nc; c++)
        l->cell_off[c + 1] += l->cell_off[c];
    l->cell_edges = malloc((l->cell_off[nc] ? l->cell_off[nc] : 1) * sizeof(uint32_t));
    uint32_t *pos = malloc(nc * sizeof(uint32_t));
    if (!l->cell_edges || !pos) {
        free(pos);
        free(hits);
        free(per_edge);
        return -1;
    }
    memcpy(pos, l->cell_off, nc * sizeof(uint32_t));
    for (size_t i = 0, k = 0; i < l->ne; i++)
        for (uint32_t j = 0; j < per_edge[i]; j++, k++)
            l->cell_edges[pos[hits[k]]++] = l->edge[i];
    free(pos);
    free(hits);
    free(per_edge);
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

/* Douglas-Peucker simplification of part [s, s+n) into keep[] (metres,
 * local projection); iterative. Returns -1 out of memory. */
static int simplify(const struct geo_layer *l, uint32_t s, uint32_t n, uint8_t *keep)
{
    memset(keep, 0, n);
    keep[0] = keep[n - 1] = 1;
    if (n < 3)
        return 0;
    uint32_t *st = malloc(2 * (size_t)n * sizeof(uint32_t));
    if (!st)
        return -1;
    size_t sp = 0;
    st[sp++] = 0;
    st[sp++] = n - 1;
    const double tol = GEO_DIST_TOL_M / 111320.0;
    while (sp) {
        uint32_t b = st[--sp], a = st[--sp];
        double kx = cos((l->vy[s + a] + l->vy[s + b]) * 0.5 * M_PI / 180.0), worst = -1;
        uint32_t wi = 0;
        for (uint32_t i = a + 1; i < b; i++) {
            double d2 = seg_d2(l->vx[s + i], l->vy[s + i], l->vx[s + a], l->vy[s + a], l->vx[s + b],
                               l->vy[s + b], kx, NULL);
            if (d2 > worst) {
                worst = d2;
                wi = i;
            }
        }
        if (worst > tol * tol) {
            keep[wi] = 1;
            st[sp++] = a;
            st[sp++] = wi;
            st[sp++] = wi;
            st[sp++] = b;
        }
    }
    free(st);
    return 0;
}

/* Order of two segments along an axis: by key, then by index (a total
 * order, so the tree does not depend on the selection's path). */
static inline bool key_less(const double *key, uint32_t a, uint32_t b)
{
    return key[a] < key[b] || (key[a] == key[b] && a < b);
}

/* Partially order idx[0, n) so that idx[k] is the k-th smallest by
 * key_less, everything before it smaller and everything after it larger
 * (quickselect, median-of-three pivot): O(n) per tree level where a full
 * sort would be O(n log n). */
static void select_kth(uint32_t *idx, size_t n, size_t k, const double *key)
{
    size_t lo = 0, hi = n - 1;
    while (hi > lo) {
        size_t mid = lo + (hi - lo) / 2;
        if (key_less(key, idx[mid], idx[lo])) {
            uint32_t t = idx[mid];
            idx[mid] = idx[lo];
            idx[lo] = t;
        }
        if (key_less(key, idx[hi], idx[lo])) {
            uint32_t t = idx[hi];
            idx[hi] = idx[lo];
            idx[lo] = t;
        }
        if (key_less(key, idx[hi], idx[mid])) {
            uint32_t t = idx[hi];
            idx[hi] = idx[mid];
            idx[mid] = t;
        }
        uint32_t pivot = idx[mid];
        size_t i = lo, j = hi;
        for (;;) {
            while (key_less(key, idx[i], pivot))
                i++;
            while (key_less(key, pivot, idx[j]))
                j--;
            if (i >= j)
                break;
            uint32_t t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
            i++;
            j--;
        }
        // idx[lo..j] <= pivot <= idx[j+1..hi]
        if (k <= j)
            hi = j;
        else
            lo = j + 1;
    }
}

/* Build the subtree over idx[lo, hi) into node slot `at`. */
static void bvh_build(struct geo_layer *l, const struct dseg *raw, uint32_t *idx, double *cx,
                      double *cy, uint32_t lo, uint32_t hi, uint32_t at)
{
    struct bnode *n = &l->nodes[at];
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (uint32_t i = lo; i < hi; i++) {
        const struct dseg *g = &raw[idx[i]];
        double ax = g->ax < g->bx ? g->ax : g->bx, bx = g->ax < g->bx ? g->bx : g->ax;
        double ay = g->ay < g->by ? g->ay : g->by, by = g->ay < g->by ? g->by : g->ay;
        x0 = ax < x0 ? ax : x0;
        x1 = bx > x1 ? bx : x1;
        y0 = ay < y0 ? ay : y0;
        y1 = by > y1 ? by : y1;
    }
    // float boxes rounded outward so they stay conservative
    n->x0 = nextafterf((float)x0, -INFINITY);
    n->y0 = nextafterf((float)y0, -INFINITY);
    n->x1 = nextafterf((float)x1, INFINITY);
    n->y1 = nextafterf((float)y1, INFINITY);
    if (hi - lo <= LEAF_SEGS) {
        n->a = lo;
        n->n = hi - lo;
        return;
    }
    const double *key = (x1 - x0) * cos((y0 + y1) * 0.5 * M_PI / 180.0) >= (y1 - y0) ? cx : cy;
    uint32_t mid = lo + (hi - lo) / 2, child = (uint32_t)l->nnodes;
    select_kth(idx + lo, hi - lo, mid - lo, key);
    l->nnodes += 2;
    n->a = child;
    n->n = 0;
    bvh_build(l, raw, idx, cx, cy, lo, mid, child);
    bvh_build(l, raw, idx, cx, cy, mid, hi, child + 1);
}

static int build_dist(struct geo_layer *l)
{
    size_t maxn = 0;
    for (size_t p = 0; p < l->nparts; p++)
        if (l->parts[p].count > maxn)
            maxn = l->parts[p].count;
    uint8_t *keep = malloc(maxn ? maxn : 1);
    struct dseg *raw = malloc((l->ne ? l->ne : 1) * sizeof(struct dseg));
    if (!keep || !raw)
        goto fail;
    size_t ns = 0;
    for (size_t p = 0; p < l->nparts; p++) {
        uint32_t s = l->parts[p].start, n = l->parts[p].count;
        if (n < 2 || simplify(l, s, n, keep) < 0)
            continue;
        uint32_t prev = 0;
        for (uint32_t i = 1; i < n; i++) {
            if (!keep[i])
                continue;
            raw[ns++] = (struct dseg){l->vx[s + prev], l->vy[s + prev], l->vx[s + i], l->vy[s + i]};
            prev = i;
        }
    }
    free(keep);
    keep = NULL;
    l->st.dist_segments = (uint32_t)ns;
    if (!ns) {
        free(raw);
        return 0;
    }
    uint32_t *idx = malloc(ns * sizeof(uint32_t));
    double *cx = malloc(ns * sizeof(double)), *cy = malloc(ns * sizeof(double));
    l->nodes = malloc(2 * ns * sizeof(struct bnode));
    l->segs = malloc(ns * sizeof(struct dseg));
    if (!idx || !cx || !cy || !l->nodes || !l->segs) {
        free(idx);
        free(cx);
        free(cy);
        goto fail;
    }
    for (uint32_t i = 0; i < ns; i++) {
        idx[i] = i;
        cx[i] = (raw[i].ax + raw[i].bx) * 0.5;
        cy[i] = (raw[i].ay + raw[i].by) * 0.5;
    }
    l->nnodes = 1;
    bvh_build(l, raw, idx, cx, cy, 0, (uint32_t)ns, 0);
    for (uint32_t i = 0; i < ns; i++)
        l->segs[i] = raw[idx[i]];
    l->nsegs = ns;
    l->st.bvh_nodes = (uint32_t)l->nnodes;
    free(idx);
    free(cx);
    free(cy);
    free(raw);
    return 0;
fail:
    free(keep);
    free(raw);
    return -1;
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
    if (l->ne && (build_grid(l) < 0 || build_dist(l) < 0)) {
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
    free(l->parts);
    free(l->segs);
    free(l->nodes);
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
               l->capp * sizeof(struct gpoint) + l->capparts * sizeof(struct part) +
               l->nsegs * sizeof(struct dseg) + l->nnodes * sizeof(struct bnode);
    if (l->ne)
        m += (nc + 1) * 4 + nc + (size_t)l->cell_off[nc] * 4;
    return m;
}

bool geo_layer_bounds(const struct geo_layer *l, double *south, double *west, double *north,
                      double *east)
{
    if (!l || !l->nx || !l->ny)
        return false;
    *south = l->y0;
    *west = l->x0;
    *north = l->y1;
    *east = l->x1;
    return true;
}

bool geo_layer_contains(const struct geo_layer *l, double lat, double lon)
{
    if (!l->has_area || !(lon >= l->x0) || !(lat >= l->y0) || lon >= l->x1 || lat >= l->y1)
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

static inline double box_d2(const struct bnode *n, double px, double py, double kx)
{
    double dx = px < n->x0 ? n->x0 - px : px > n->x1 ? px - n->x1 : 0;
    double dy = py < n->y0 ? n->y0 - py : py > n->y1 ? py - n->y1 : 0;
    dx *= kx;
    return dx * dx + dy * dy;
}

double geo_layer_dist_nm(const struct geo_layer *l, double lat, double lon, double *near_lat,
                         double *near_lon)
{
    if (!l->nnodes || !(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180))
        return INFINITY;
    // Branch and bound over the BVH, nearest child first, in a local
    // equirectangular projection (longitude scaled by cos(lat)).
    double kx = geo_cos_lat(lat), cap = GEO_LAYER_MAX_NM / 59.0;
    double best2 = cap * cap, bt = 0;
    size_t bi = SIZE_MAX;
    uint32_t stack[128];
    int sp = 0;
    stack[sp++] = 0;
    while (sp) {
        const struct bnode *n = &l->nodes[stack[--sp]];
        if (box_d2(n, lon, lat, kx) >= best2)
            continue;
        if (n->n) {
            for (uint32_t i = n->a; i < n->a + n->n; i++) {
                const struct dseg *g = &l->segs[i];
                double t, d2 = seg_d2(lon, lat, g->ax, g->ay, g->bx, g->by, kx, &t);
                if (d2 < best2) {
                    best2 = d2;
                    bi = i;
                    bt = t;
                }
            }
            continue;
        }
        double dl = box_d2(&l->nodes[n->a], lon, lat, kx);
        double dr = box_d2(&l->nodes[n->a + 1], lon, lat, kx);
        uint32_t near = dl <= dr ? n->a : n->a + 1, far = dl <= dr ? n->a + 1 : n->a;
        if (sp + 2 > (int)(sizeof stack / sizeof stack[0]))
            break; // cannot happen with a median-split tree; never overflow
        if ((dl <= dr ? dr : dl) < best2)
            stack[sp++] = far;
        if ((dl <= dr ? dl : dr) < best2)
            stack[sp++] = near;
    }
    if (bi == SIZE_MAX)
        return INFINITY;
    const struct dseg *g = &l->segs[bi];
    double nlon = g->ax + bt * (g->bx - g->ax), nlat = g->ay + bt * (g->by - g->ay);
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
