/* SPDX-License-Identifier: BSD-2-Clause
 *
 * out_traces.c - `orbat simulate --out-traces`: readsb trace_full files in
 * the adsb.lol globe_history layout (see archive_out.h). Points come from
 * the simulator's received ADS-B positions (struct sim_fix) and are thinned
 * the way readsb keeps its trace: a point at most every TRACE_MIN_DT_MS,
 * always on a new leg and on the ground/airborne transitions. Flags: stale
 * when the previous received position is more than 20 s older (readsb
 * README-json.md), new leg on the first airborne point after a ground
 * point, after a gap of LEG_GAP_MS, or after a gap of LAND_GAP_MS that
 * began below LAND_ALT_FT (a landing: the simulator sends nothing on the
 * ground, so the archives, like the feeds, have no ground points). The aircraft object (flight,
 * squawk, category) goes on the first point of a file, on a new leg, on a transition and every
 * OBJ_EVERY points. Files are gzip although named .json, as readsb writes them; the header carries
 * "orbat_simulated": true. Points are held in memory for one UTC day, written when the first
 * position of the next day arrives.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/archive_fmt.h"
#include "sim/archive_out.h"

#define TRACE_MIN_DT_MS 4000
#define STALE_MS        20000
#define LEG_GAP_MS      (30 * 60 * 1000)
#define LAND_GAP_MS     (5 * 60 * 1000) /* a gap that began this low is a landing */
#define LAND_ALT_FT     3000
#define OBJ_EVERY       10
#define DAY_MS          86400000LL

struct ac {
    struct trace_pt *pt;
    size_t n, cap;
    int64_t last_rx;     /* last received position, 0 = none yet */
    int64_t last_kept;   /* last point kept today */
    bool ground;         /* the last received position was on the ground */
    int32_t last_alt_ft; /* altitude of the last received position */
    unsigned since_obj;
};

struct trace_out {
    const struct scenario *s;
    char base[4000];
    bool tar;
    uint64_t split;
    int layout;
    struct ac *ac;
    int64_t day; /* current UTC day number, -1 = none yet */
    uint64_t files, points;
    struct abuf json, gz;
};

struct trace_out *trace_out_open(const struct scenario *s, const struct trace_out_opts *o,
                                 char *err, size_t errsz)
{
    struct trace_out *w = calloc(1, sizeof(*w));
    if (w)
        w->ac = calloc(s->nassets ? s->nassets : 1, sizeof(*w->ac));
    if (!w || !w->ac) {
        snprintf(err, errsz, "out of memory");
        free(w);
        return NULL;
    }
    size_t n = strlen(o->path);
    w->tar = n >= 4 && !strcmp(o->path + n - 4, ".tar");
    if (w->tar) {
        const char *slash = strrchr(o->path, '/');
        if (slash)
            snprintf(w->base, sizeof(w->base), "%.*s", (int)(slash - o->path), o->path);
        else
            snprintf(w->base, sizeof(w->base), ".");
    } else {
        snprintf(w->base, sizeof(w->base), "%s", o->path);
        while (strlen(w->base) > 1 && w->base[strlen(w->base) - 1] == '/')
            w->base[strlen(w->base) - 1] = '\0';
    }
    if (n >= sizeof(w->base) - 64) {
        snprintf(err, errsz, "%s: path too long", o->path);
        free(w->ac);
        free(w);
        return NULL;
    }
    w->s = s;
    w->split = o->split_bytes;
    w->layout = o->layout == 9 ? 9 : 14;
    w->day = -1;
    return w;
}

/* Sort key in path order: traces/<low byte>/trace_full_<hex>.json. */
struct order {
    uint64_t key;
    uint32_t idx;
};

static int cmp_order(const void *pa, const void *pb)
{
    const struct order *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int flush_day(struct trace_out *w)
{
    const struct scenario *s = w->s;
    size_t nidx = 0;
    struct order *idx = malloc((s->nassets ? s->nassets : 1) * sizeof(*idx));
    if (!idx)
        return -1;
    for (uint32_t i = 0; i < s->nassets; i++)
        if (w->ac[i].n) {
            uint32_t id = s->assets[i].id;
            idx[nidx].key = ((uint64_t)(id & 0xFF) << 32) | id;
            idx[nidx++].idx = i;
        }
    int rc = 0;
    if (nidx == 0)
        goto out;
    qsort(idx, nidx, sizeof(*idx), cmp_order);
    int64_t day_s = w->day * 86400, mtime = day_s + 86400;
    char ymd[16], path[4200];
    char date[32];
    sim_format_time(w->day * DAY_MS, date, sizeof(date)); // YYYY-MM-DDT...
    snprintf(ymd, sizeof(ymd), "%.4s/%.2s/%.2s", date, date + 5, date + 8);
    struct tar_out *t = NULL;
    if (w->tar) {
        snprintf(path, sizeof(path), "%s/v%.4s.%.2s.%.2s-planes-readsb-prod-0.tar", w->base, date,
                 date + 5, date + 8);
        char err[256];
        if (arch_mkdirs_for(path) < 0 || !(t = tar_out_open(path, w->split, err, sizeof(err)))) {
            rc = -1;
            goto out;
        }
        rc = tar_out_dir(t, "traces/", mtime);
    }
    int last_dir = -1;
    for (size_t k = 0; k < nidx && rc == 0; k++) {
        const struct sim_asset *a = &s->assets[idx[k].idx];
        struct ac *c = &w->ac[idx[k].idx];
        char sq[8], name[64];
        snprintf(sq, sizeof(sq), "%04u", (unsigned)(a->squawk ? a->squawk : 2000));
        struct trace_hdr h = {a->id,       a->reg, a->icao_type, a->type[0] ? a->type : a->name,
                              a->military, true,   a->callsign,  sq,
                              a->category};
        w->json.len = 0;
        trace_json(&w->json, &h, c->pt, c->n, w->layout);
        if (w->json.oom || arch_gzip(w->json.p, w->json.len, 6, &w->gz) < 0) {
            errno = ENOMEM;
            rc = -1;
            break;
        }
        trace_path(a->id, name, sizeof(name));
        if (t) {
            if ((int)(a->id & 0xFF) != last_dir) {
                char d[16];
                snprintf(d, sizeof(d), "traces/%02x/", (unsigned)(a->id & 0xFF));
                last_dir = (int)(a->id & 0xFF);
                if (tar_out_dir(t, d, mtime) < 0) {
                    rc = -1;
                    break;
                }
            }
            rc = tar_out_file(t, name, w->gz.p, w->gz.len, mtime);
        } else {
            snprintf(path, sizeof(path), "%s/%s/%s", w->base, ymd, name);
            rc = arch_mkdirs_for(path) < 0 ? -1 : arch_write_file(path, w->gz.p, w->gz.len);
        }
        w->files++;
        w->points += c->n;
    }
    if (tar_out_close(t) < 0)
        rc = -1;
out:
    for (uint32_t i = 0; i < s->nassets; i++) {
        w->ac[i].n = 0;
        w->ac[i].last_kept = 0;
    }
    free(idx);
    return rc;
}

int trace_out_fix(struct trace_out *w, const struct sim_fix *f)
{
    if (f->a->kind != SIM_AIRCRAFT)
        return 0;
    int64_t t = f->t_ms, day = t >= 0 ? t / DAY_MS : (t - DAY_MS + 1) / DAY_MS;
    if (day != w->day) {
        if (w->day >= 0 && flush_day(w) < 0)
            return -1;
        w->day = day;
    }
    struct ac *c = &w->ac[f->asset];
    bool stale = !c->last_rx || t - c->last_rx > STALE_MS;
    // A new leg: after a ground point, after a long gap, or (the simulator
    // sends nothing on the ground) after a gap of LAND_GAP_MS that began low,
    // i.e. a landing, as readsb's leg detection finds one in a trace.
    bool leg = !f->ground && c->last_rx &&
               (c->ground || t - c->last_rx > LEG_GAP_MS ||
                (t - c->last_rx > LAND_GAP_MS && c->last_alt_ft < LAND_ALT_FT));
    bool transition = c->last_rx && f->ground != c->ground;
    bool keep = c->n == 0 || leg || transition || t - c->last_kept >= TRACE_MIN_DT_MS;
    c->last_rx = t;
    c->ground = f->ground;
    c->last_alt_ft = f->ground ? 0 : f->alt_ft;
    if (!keep)
        return 0;
    if (c->n == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 64;
        struct trace_pt *np = realloc(c->pt, nc * sizeof(*np));
        if (!np) {
            errno = ENOMEM;
            return -1;
        }
        c->pt = np;
        c->cap = nc;
    }
    bool obj = c->n == 0 || leg || transition || c->since_obj + 1 >= OBJ_EVERY;
    struct trace_pt *p = &c->pt[c->n++];
    p->t_ms = t;
    p->lat = f->lat;
    p->lon = f->lon;
    p->alt_ft = f->ground ? 0 : f->alt_ft;
    p->ground = f->ground;
    p->gs = f->gs_kt;
    p->track = f->track_deg;
    p->vrate = (int32_t)(f->vrate_fpm < 0 ? f->vrate_fpm - 0.5 : f->vrate_fpm + 0.5);
    p->flags = (uint8_t)((stale ? TRACE_STALE : 0) | (leg ? TRACE_NEW_LEG : 0));
    p->obj = obj;
    c->since_obj = obj ? 0 : c->since_obj + 1;
    c->last_kept = t;
    return 0;
}

int trace_out_close(struct trace_out *w, uint64_t *files, uint64_t *points)
{
    if (!w)
        return 0;
    int rc = w->day >= 0 ? flush_day(w) : 0;
    if (files)
        *files = w->files;
    if (points)
        *points = w->points;
    for (size_t i = 0; i < w->s->nassets; i++)
        free(w->ac[i].pt);
    free(w->ac);
    abuf_free(&w->json);
    abuf_free(&w->gz);
    free(w);
    return rc;
}
