/* SPDX-License-Identifier: BSD-2-Clause
 *
 * theatre.c - theatre definitions (JSON, read with jansson), airfield and
 * port lists (CSV), zone/approach/shore queries and the site index. See
 * theatre.h and docs/events.md.
 */
#include "geo/theatre.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "geo/geodesic.h"

#define CELL_PER_DEG   10.0 /* site index cells of 0.1 degree (by multiplication) */
#define CSV_LINE_CAP   4096
#define CSV_MAX_FIELDS 32

static void set_msg(char *msg, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_msg(char *msg, size_t len, const char *fmt, ...)
{
    if (!msg || !len)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, len, fmt, ap);
    va_end(ap);
}

void theatre_free(struct theatre *th)
{
    if (!th)
        return;
    for (size_t i = 0; i < th->nlayers; i++)
        geo_layer_free(th->layers[i]);
    free(th->sites);
    free(th->site_cells);
    free(th);
}

enum orbat_err theatre_add_site(struct theatre *th, const char *id, const char *name, double lat,
                                double lon, enum th_site_kind kind)
{
    if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180))
        return ORBAT_E_RANGE;
    if (th->nsites >= TH_MAX_SITES)
        return ORBAT_E_TOOLONG;
    struct th_site *ns = realloc(th->sites, (th->nsites + 1) * sizeof(*ns));
    if (!ns)
        return ORBAT_E_NOMEM;
    th->sites = ns;
    struct th_site *s = &th->sites[th->nsites++];
    snprintf(s->id, sizeof s->id, "%s", id ? id : "");
    snprintf(s->name, sizeof s->name, "%s", name ? name : "");
    s->lat = lat;
    s->lon = lon;
    s->kind = kind;
    return ORBAT_OK;
}

/* floor() for |x| < 2^31 without the libm call (hot: every position). */
static inline long floor_l(double x)
{
    long v = (long)x;
    return v > x ? v - 1 : v;
}

static inline uint64_t cell_key(long la, long lo)
{
    return ((uint64_t)(la + 900) << 12 | (uint64_t)(lo + 1800)) << 20;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The bit of a cell in the site filter (a one-hash Bloom filter: a clear
 * bit means no site near that cell; a set bit means look it up). */
static inline uint32_t site_bloom_bit(uint64_t key)
{
    key *= 0x9e3779b97f4a7c15ull;
    return (uint32_t)(key >> (64 - TH_SITE_BLOOM_BITS));
}

enum orbat_err theatre_index_sites(struct theatre *th)
{
    free(th->site_cells);
    th->site_cells = NULL;
    th->nsite_cells = 0;
    memset(th->site_bloom, 0, sizeof th->site_bloom);
    if (!th->nsites)
        return ORBAT_OK;
    // Each site goes into every 0.1-degree cell within TH_SITE_MAX_KM.
    double rlat = TH_SITE_MAX_KM / 110.0;
    size_t cap = 0;
    for (size_t pass = 0; pass < 2; pass++) {
        size_t n = 0;
        for (size_t i = 0; i < th->nsites; i++) {
            const struct th_site *s = &th->sites[i];
            double c = cos(s->lat * M_PI / 180.0);
            double rlon = c > 0.05 ? rlat / c : 180;
            long la0 = (long)floor((s->lat - rlat) * CELL_PER_DEG),
                 la1 = (long)floor((s->lat + rlat) * CELL_PER_DEG);
            long lo0 = (long)floor((s->lon - rlon) * CELL_PER_DEG),
                 lo1 = (long)floor((s->lon + rlon) * CELL_PER_DEG);
            la0 = la0 < -900 ? -900 : la0;
            la1 = la1 > 899 ? 899 : la1;
            // Cells past the antimeridian wrap around to the other side.
            if (lo1 - lo0 >= 3600)
                lo0 = -1800, lo1 = 1799;
            for (long la = la0; la <= la1; la++)
                for (long lo = lo0; lo <= lo1; lo++) {
                    if (pass) {
                        uint64_t key = cell_key(la, ((lo + 1800) % 3600 + 3600) % 3600 - 1800);
                        th->site_cells[n] = key | i;
                        uint32_t b = site_bloom_bit(key);
                        th->site_bloom[b >> 6] |= 1ull << (b & 63);
                    }
                    n++;
                }
        }
        if (!pass) {
            cap = n;
            th->site_cells = malloc((cap ? cap : 1) * sizeof(uint64_t));
            if (!th->site_cells)
                return ORBAT_E_NOMEM;
        } else {
            th->nsite_cells = n;
        }
    }
    qsort(th->site_cells, th->nsite_cells, sizeof(uint64_t), cmp_u64);
    return ORBAT_OK;
}

const struct th_site *theatre_near_site(const struct theatre *th, double lat, double lon,
                                        unsigned kind_mask, double max_m, double *dist_m)
{
    if (!th->nsite_cells || !(lat >= -90 && lat < 90 && lon >= -180 && lon < 180))
        return NULL;
    uint64_t key = cell_key(floor_l(lat * CELL_PER_DEG), floor_l(lon * CELL_PER_DEG));
    uint32_t b = site_bloom_bit(key);
    if (!(th->site_bloom[b >> 6] & (1ull << (b & 63))))
        return NULL; // no site within TH_SITE_MAX_KM of this cell (most positions)
    size_t lo = 0, hi = th->nsite_cells;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (th->site_cells[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    const struct th_site *best = NULL;
    double bd = max_m;
    for (size_t i = lo; i < th->nsite_cells && (th->site_cells[i] & ~0xFFFFFull) == key; i++) {
        const struct th_site *s = &th->sites[th->site_cells[i] & 0xFFFFF];
        if (!(kind_mask & s->kind))
            continue;
        double d = geo_fast_nm(lat, lon, s->lat, s->lon) * GEO_M_PER_NM;
        if (d <= bd * 1.01) {
            d = geo_dist_nm(lat, lon, s->lat, s->lon) * GEO_M_PER_NM;
            if (d <= bd) {
                bd = d;
                best = s;
            }
        }
    }
    if (best && dist_m)
        *dist_m = bd;
    return best;
}

bool theatre_in_zone(struct theatre *th, size_t zone, double lat, double lon)
{
    if (zone >= th->nzones)
        return false;
    const struct th_zone *z = &th->zones[zone];
    if (geo_layer_contains(z->layer, lat, lon))
        return true;
    if (z->buffer_nm <= 0)
        return false;
    return geo_layer_dist_nm(z->layer, lat, lon, NULL, NULL) <= z->buffer_nm;
}

double theatre_approach_nm(struct theatre *th, size_t i, double lat, double lon, double *near_lat,
                           double *near_lon)
{
    struct geo_layer *l = th->approach[i].layer;
    if (geo_layer_contains(l, lat, lon)) {
        if (near_lat)
            *near_lat = lat;
        if (near_lon)
            *near_lon = lon;
        return 0;
    }
    return geo_layer_dist_nm(l, lat, lon, near_lat, near_lon);
}

double theatre_shore_nm(struct theatre *th, double lat, double lon)
{
    if (!th->land)
        return INFINITY;
    if (geo_layer_contains(th->land, lat, lon))
        return 0;
    return geo_layer_dist_nm(th->land, lat, lon, NULL, NULL);
}

/* ---- loading ---- */

/* Split one CSV line (RFC 4180 quoting) in place. Returns the field count. */
static int csv_split(char *line, char **f, int maxf)
{
    int n = 0;
    char *p = line;
    while (n < maxf) {
        char *out = p;
        f[n++] = p;
        if (*p == '"') {
            char *r = p + 1;
            for (;;) {
                if (!*r)
                    break;
                if (*r == '"') {
                    if (r[1] == '"') {
                        *out++ = '"';
                        r += 2;
                        continue;
                    }
                    r++;
                    break;
                }
                *out++ = *r++;
            }
            while (*r && *r != ',')
                r++;
            char sep = *r;
            *out = 0;
            if (!sep)
                return n;
            p = r + 1;
        } else {
            char *c = strchr(p, ',');
            if (!c)
                return n;
            *c = 0;
            p = c + 1;
        }
    }
    return n;
}

static int load_csv_sites(struct theatre *th, const char *path, enum th_site_kind kind, char *msg,
                          size_t msglen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        set_msg(msg, msglen, "%s: %s", path, strerror(errno));
        return -1;
    }
    char line[CSV_LINE_CAP];
    char *fld[CSV_MAX_FIELDS];
    int c_id = -1, c_name = -1, c_lat = -1, c_lon = -1, lineno = 0, rc = 0;
    while (fgets(line, sizeof line, f)) {
        size_t len = strlen(line);
        if (len && line[len - 1] != '\n' && !feof(f)) {
            int ch; // over-long line: drop it whole
            while ((ch = fgetc(f)) != EOF && ch != '\n')
                ;
            continue;
        }
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = 0;
        if (!len)
            continue;
        int n = csv_split(line, fld, CSV_MAX_FIELDS);
        if (lineno++ == 0) {
            for (int i = 0; i < n; i++) {
                if (!strcmp(fld[i], "icao") || !strcmp(fld[i], "id") || !strcmp(fld[i], "locode"))
                    c_id = i;
                else if (!strcmp(fld[i], "name"))
                    c_name = i;
                else if (!strcmp(fld[i], "lat") || !strcmp(fld[i], "latitude"))
                    c_lat = i;
                else if (!strcmp(fld[i], "lon") || !strcmp(fld[i], "longitude"))
                    c_lon = i;
            }
            if (c_lat < 0 || c_lon < 0) {
                set_msg(msg, msglen, "%s: no lat/lon columns in the header", path);
                rc = -1;
                break;
            }
            continue;
        }
        if (n <= c_lat || n <= c_lon)
            continue;
        char *e1, *e2;
        double lat = strtod(fld[c_lat], &e1), lon = strtod(fld[c_lon], &e2);
        if (e1 == fld[c_lat] || e2 == fld[c_lon])
            continue;
        enum orbat_err e =
            theatre_add_site(th, c_id >= 0 && c_id < n ? fld[c_id] : "",
                             c_name >= 0 && c_name < n ? fld[c_name] : "", lat, lon, kind);
        if (e == ORBAT_E_NOMEM) {
            rc = -1;
            set_msg(msg, msglen, "out of memory");
            break;
        }
    }
    fclose(f);
    return rc;
}

static void dir_of(const char *path, char *dir, size_t len)
{
    const char *s = strrchr(path, '/');
    if (!s)
        snprintf(dir, len, ".");
    else
        snprintf(dir, len, "%.*s", (int)(s - path), path);
}

static void join(char *out, size_t len, const char *dir, const char *rel)
{
    if (rel[0] == '/')
        snprintf(out, len, "%s", rel);
    else
        snprintf(out, len, "%s/%s", dir, rel);
}

static struct geo_layer *find_layer(struct theatre *th, const char *name)
{
    for (size_t i = 0; name && i < th->nlayers; i++)
        if (!strcmp(geo_layer_name(th->layers[i]), name))
            return th->layers[i];
    return NULL;
}

static bool ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !strcmp(s + n - m, suf);
}

/* One layer file to load (see load_layers). */
struct layer_job {
    const char *name, *path;
    struct geo_layer *l;
    enum orbat_err err;
};

static void *layer_job_main(void *arg)
{
    struct layer_job *j = arg;
    j->l = geo_layer_load(j->path, j->name, &j->err);
    return NULL;
}

/* Load n layer files into th, in order. The files are independent, so each
 * one after the first is parsed on a thread of its own while this thread
 * parses the first (a theatre's start-up is mostly GeoJSON parsing and index
 * building); a thread that cannot start is run here. On an error the first
 * failing file (in order) is reported and nothing is added. */
static int load_layers(struct theatre *th, struct layer_job *jobs, size_t n, enum orbat_err *err,
                       char *msg, size_t msglen)
{
    if (th->nlayers + n > TH_MAX_LAYERS) {
        *err = ORBAT_E_TOOLONG;
        set_msg(msg, msglen, "more than %d layers", TH_MAX_LAYERS);
        return -1;
    }
    pthread_t tid[TH_MAX_LAYERS];
    bool started[TH_MAX_LAYERS] = {false};
    for (size_t i = 1; i < n; i++)
        started[i] = !pthread_create(&tid[i], NULL, layer_job_main, &jobs[i]);
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || !started[i])
            layer_job_main(&jobs[i]);
        else
            pthread_join(tid[i], NULL);
    }
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (!jobs[i].l && rc == 0) {
            *err = jobs[i].err;
            set_msg(msg, msglen, "%s: %s", jobs[i].path, orbat_strerror(jobs[i].err));
            rc = -1;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (rc == 0)
            th->layers[th->nlayers++] = jobs[i].l;
        else
            geo_layer_free(jobs[i].l);
    }
    return rc;
}

static void points_as_sites(struct theatre *th, struct geo_layer *l, enum th_site_kind kind)
{
    for (size_t i = 0; i < geo_layer_npoints(l); i++) {
        double lat, lon;
        const char *name;
        geo_layer_point(l, i, &lat, &lon, &name);
        if (theatre_add_site(th, "", name, lat, lon, kind) == ORBAT_E_NOMEM)
            return;
    }
}

static struct theatre *load_def(const char *path, enum orbat_err *err, char *msg, size_t msglen)
{
    json_error_t jerr;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!root || !json_is_object(root)) {
        json_decref(root);
        *err = root ? ORBAT_E_FORMAT : (access(path, R_OK) ? ORBAT_E_IO : ORBAT_E_FORMAT);
        set_msg(msg, msglen, "%s:%d: %s", path, jerr.line, jerr.text);
        return NULL;
    }
    struct theatre *th = calloc(1, sizeof(*th));
    if (!th) {
        json_decref(root);
        *err = ORBAT_E_NOMEM;
        return NULL;
    }
    char dir[PATH_MAX], full[PATH_MAX + 256];
    dir_of(path, dir, sizeof dir);
    const char *s = json_string_value(json_object_get(root, "name"));
    snprintf(th->name, sizeof th->name, "%s", s ? s : "theatre");
    s = json_string_value(json_object_get(root, "description"));
    snprintf(th->description, sizeof th->description, "%s", s ? s : "");
    const json_t *layers = json_object_get(root, "layers");
    const char *key;
    const json_t *val;
    *err = ORBAT_E_FORMAT;
    struct layer_job jobs[TH_MAX_LAYERS];
    char(*paths)[PATH_MAX + 256] = malloc(TH_MAX_LAYERS * sizeof *paths);
    size_t njobs = 0;
    if (!paths) {
        *err = ORBAT_E_NOMEM;
        goto fail;
    }
    json_object_foreach((json_t *)layers, key, val)
    {
        if (!json_is_string(val)) {
            set_msg(msg, msglen, "%s: layer %s: expected a file name", path, key);
            free(paths);
            goto fail;
        }
        if (njobs == TH_MAX_LAYERS) {
            *err = ORBAT_E_TOOLONG;
            set_msg(msg, msglen, "more than %d layers", TH_MAX_LAYERS);
            free(paths);
            goto fail;
        }
        join(paths[njobs], sizeof paths[njobs], dir, json_string_value(val));
        jobs[njobs] = (struct layer_job){.name = key, .path = paths[njobs]};
        njobs++;
    }
    int lrc = load_layers(th, jobs, njobs, err, msg, msglen);
    free(paths);
    if (lrc < 0)
        goto fail;
    *err = ORBAT_E_FORMAT;
    struct geo_layer *area = find_layer(th, json_string_value(json_object_get(root, "area")));
    if (!area || !geo_layer_has_area(area)) {
        set_msg(msg, msglen, "%s: \"area\" must name a polygon layer", path);
        goto fail;
    }
    snprintf(th->zones[0].name, sizeof th->zones[0].name, "%s", th->name);
    th->zones[0].layer = area;
    th->nzones = 1;
    const json_t *arr = json_object_get(root, "zones");
    for (size_t i = 0; json_is_array(arr) && i < json_array_size(arr); i++) {
        const json_t *z = json_array_get(arr, i);
        struct geo_layer *l = find_layer(th, json_string_value(json_object_get(z, "layer")));
        const char *zn = json_string_value(json_object_get(z, "name"));
        double buf = json_number_value(json_object_get(z, "buffer_nm"));
        if (!l || !zn || th->nzones >= TH_MAX_ZONES || buf < 0 || buf > GEO_LAYER_MAX_NM ||
            (buf == 0 && !geo_layer_has_area(l))) {
            set_msg(msg, msglen,
                    "%s: zone %zu: needs name, a layer, buffer_nm 0..%g (max %d zones)", path, i,
                    GEO_LAYER_MAX_NM, TH_MAX_ZONES);
            goto fail;
        }
        struct th_zone *tz = &th->zones[th->nzones++];
        snprintf(tz->name, sizeof tz->name, "%s", zn);
        tz->layer = l;
        tz->buffer_nm = buf;
        tz->approx = buf > 0;
    }
    arr = json_object_get(root, "approach");
    for (size_t i = 0; json_is_array(arr) && i < json_array_size(arr); i++) {
        const json_t *z = json_array_get(arr, i);
        struct geo_layer *l = find_layer(th, json_string_value(json_object_get(z, "layer")));
        const char *zn = json_string_value(json_object_get(z, "name"));
        if (!l || !zn || th->napproach >= TH_MAX_APPROACH) {
            set_msg(msg, msglen, "%s: approach %zu: needs name and a layer (max %d)", path, i,
                    TH_MAX_APPROACH);
            goto fail;
        }
        snprintf(th->approach[th->napproach].name, sizeof th->approach[0].name, "%s", zn);
        th->approach[th->napproach++].layer = l;
    }
    s = json_string_value(json_object_get(root, "land"));
    if (s && !(th->land = find_layer(th, s))) {
        set_msg(msg, msglen, "%s: land: no layer %s", path, s);
        goto fail;
    }
    arr = json_object_get(root, "sites");
    for (size_t i = 0; json_is_array(arr) && i < json_array_size(arr); i++) {
        const json_t *z = json_array_get(arr, i);
        const char *file = json_string_value(json_object_get(z, "file"));
        const char *kind = json_string_value(json_object_get(z, "kind"));
        enum th_site_kind k = kind && !strcmp(kind, "port")       ? TH_SITE_PORT
                              : kind && !strcmp(kind, "airfield") ? TH_SITE_AIRFIELD
                                                                  : 0;
        if (!file || !k) {
            set_msg(msg, msglen, "%s: sites %zu: needs file and kind port|airfield", path, i);
            goto fail;
        }
        join(full, sizeof full, dir, file);
        if (ends_with(file, ".csv")) {
            if (load_csv_sites(th, full, k, msg, msglen) < 0) {
                *err = ORBAT_E_IO;
                goto fail;
            }
        } else {
            enum orbat_err e;
            struct geo_layer *l = geo_layer_load(full, file, &e);
            if (!l) {
                *err = e;
                set_msg(msg, msglen, "%s: %s", full, orbat_strerror(e));
                goto fail;
            }
            points_as_sites(th, l, k);
            geo_layer_free(l);
        }
    }
    if ((*err = theatre_index_sites(th)) != ORBAT_OK)
        goto fail;
    json_decref(root);
    return th;
fail:
    json_decref(root);
    theatre_free(th);
    return NULL;
}

static struct theatre *load_geojson(const char *path, enum orbat_err *err, char *msg, size_t msglen)
{
    struct theatre *th = calloc(1, sizeof(*th));
    if (!th) {
        *err = ORBAT_E_NOMEM;
        return NULL;
    }
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    snprintf(th->name, sizeof th->name, "%.*s", (int)strcspn(base, "."), base);
    struct layer_job job = {.name = th->name, .path = path};
    if (load_layers(th, &job, 1, err, msg, msglen) < 0) {
        theatre_free(th);
        return NULL;
    }
    if (!geo_layer_has_area(th->layers[0])) {
        *err = ORBAT_E_FORMAT;
        set_msg(msg, msglen, "%s: no polygons: a theatre needs an area", path);
        theatre_free(th);
        return NULL;
    }
    snprintf(th->zones[0].name, sizeof th->zones[0].name, "%s", th->name);
    th->zones[0].layer = th->layers[0];
    th->nzones = 1;
    points_as_sites(th, th->layers[0], TH_SITE_PORT);
    if ((*err = theatre_index_sites(th)) != ORBAT_OK) {
        theatre_free(th);
        return NULL;
    }
    return th;
}

struct theatre *theatre_load(const char *arg, enum orbat_err *err, char *msg, size_t msglen)
{
    enum orbat_err dummy;
    if (!err)
        err = &dummy;
    char path[PATH_MAX + 64];
    bool is_file = strchr(arg, '/') || ends_with(arg, ".json") || ends_with(arg, ".geojson");
    if (!is_file) {
        // A name: look for theatres/NAME.json in the data directories.
        char exe[PATH_MAX], exedir[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        exe[n > 0 ? n : 0] = 0;
        dir_of(exe, exedir, sizeof exedir);
        const char *env = getenv("ORBAT_DATA");
        const char *bases[] = {env,
                               "data",
                               exedir[0] ? exedir : NULL,
                               exedir[0] ? exedir : NULL,
                               "/usr/local/share/orbat",
                               "/usr/share/orbat"};
        const char *rel[] = {"", "", "/../data", "/../../data", "", ""};
        for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
            if (!bases[i])
                continue;
            snprintf(path, sizeof path, "%s%s/theatres/%s.json", bases[i], rel[i], arg);
            if (access(path, R_OK) == 0)
                return load_def(path, err, msg, msglen);
        }
        *err = ORBAT_E_NOTFOUND;
        set_msg(msg, msglen,
                "no theatre named '%s' (looked for theatres/%s.json under "
                "$ORBAT_DATA, ./data and the installed data directory)",
                arg, arg);
        return NULL;
    }
    if (ends_with(arg, ".geojson"))
        return load_geojson(arg, err, msg, msglen);
    // A .json file may be a theatre definition or plain GeoJSON.
    json_error_t jerr;
    json_t *root = json_load_file(arg, 0, &jerr);
    bool def = root && json_object_get(root, "layers");
    json_decref(root);
    return def ? load_def(arg, err, msg, msglen) : load_geojson(arg, err, msg, msglen);
}
