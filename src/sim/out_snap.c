/* SPDX-License-Identifier: BSD-2-Clause
 *
 * out_snap.c - `orbat simulate --out-snapshots`: readsb aircraft.json
 * snapshots every N seconds, laid out as ADS-B Exchange readsb-hist
 * (DIR/YYYY/MM/DD/HHMMSSZ.json.gz, gzip): {"now": unix s, "messages": Mode S
 * frames generated so far, "orbat_simulated": true, "aircraft": [...]}.
 * An aircraft is listed while its last received position is at most 60 s
 * old (readsb README-json.md: "aircraft will only be in the aircraft json
 * if a position has been received in the last 60 seconds"), with that
 * position's values; seen = seen_pos, since only positions are tracked.
 * A snapshot at time T is written once the run has passed T, so it holds
 * every position with t <= T.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/archive_fmt.h"
#include "sim/archive_out.h"

#define MAX_AGE_MS 60000

struct last {
    bool have;
    int64_t t;
    double lat, lon, gs, track;
    int32_t alt;
    bool ground;
};

struct snap_out {
    const struct scenario *s;
    const struct sim_stats *st;
    char dir[4000];
    int64_t next, step, end; /* ms */
    struct last *last;
    struct abuf json, gz;
    uint64_t files;
};

struct snap_out *snap_out_open(const struct scenario *s, const char *dir, int interval_s,
                               int64_t from_ms, int64_t to_ms, const struct sim_stats *st,
                               char *err, size_t errsz)
{
    if (interval_s < 1 || strlen(dir) >= 3900) {
        snprintf(err, errsz, "%s", interval_s < 1 ? "bad snapshot interval" : "path too long");
        return NULL;
    }
    struct snap_out *w = calloc(1, sizeof(*w));
    if (w)
        w->last = calloc(s->nassets ? s->nassets : 1, sizeof(*w->last));
    if (!w || !w->last) {
        snprintf(err, errsz, "out of memory");
        free(w);
        return NULL;
    }
    w->s = s;
    w->st = st;
    snprintf(w->dir, sizeof(w->dir), "%s", dir);
    w->step = (int64_t)interval_s * 1000;
    // first multiple of the interval at or after from (UTC-aligned, as readsb-hist)
    int64_t q = from_ms >= 0 ? from_ms / w->step : (from_ms - w->step + 1) / w->step;
    w->next = q * w->step < from_ms ? (q + 1) * w->step : q * w->step;
    w->end = to_ms;
    return w;
}

static int write_snapshot(struct snap_out *w, int64_t T)
{
    const struct scenario *s = w->s;
    struct abuf *b = &w->json;
    b->len = 0;
    ab_str(b, "{\"now\":");
    ab_fixed(b, (double)T / 1000.0, 1);
    ab_str(b, ",\"messages\":");
    ab_int(b, (int64_t)(w->st ? w->st->modes_frames : 0));
    ab_str(b, ",\"orbat_simulated\":true,\"aircraft\":[");
    bool first = true;
    for (size_t i = 0; i < s->nassets; i++) {
        const struct last *l = &w->last[i];
        if (!l->have || l->t > T || T - l->t > MAX_AGE_MS)
            continue;
        const struct sim_asset *a = &s->assets[i];
        char hex[8], flight[9], sq[8], cat[4];
        snprintf(hex, sizeof(hex), "%06x", (unsigned)(a->id & 0xFFFFFF));
        snprintf(flight, sizeof(flight), "%-8.8s", a->callsign);
        snprintf(sq, sizeof(sq), "%04u", (unsigned)(a->squawk ? a->squawk : 2000));
        snprintf(cat, sizeof(cat), "%02X", a->category);
        ab_str(b, first ? "\n{\"hex\":" : ",\n{\"hex\":");
        first = false;
        ab_jstr(b, hex);
        ab_str(b, ",\"type\":\"adsb_icao\",\"flight\":");
        ab_jstr(b, flight);
        if (a->reg[0]) {
            ab_str(b, ",\"r\":");
            ab_jstr(b, a->reg);
        }
        if (a->icao_type[0]) {
            ab_str(b, ",\"t\":");
            ab_jstr(b, a->icao_type);
        }
        ab_str(b, ",\"dbFlags\":");
        ab_int(b, a->military ? 1 : 0);
        ab_str(b, ",\"alt_baro\":");
        if (l->ground)
            ab_str(b, "\"ground\"");
        else
            ab_int(b, l->alt);
        ab_str(b, ",\"gs\":");
        ab_fixed(b, l->gs, 1);
        ab_str(b, ",\"track\":");
        ab_fixed(b, l->track, 1);
        ab_str(b, ",\"lat\":");
        ab_fixed(b, l->lat, 6);
        ab_str(b, ",\"lon\":");
        ab_fixed(b, l->lon, 6);
        double age = (double)(T - l->t) / 1000.0;
        ab_str(b, ",\"seen_pos\":");
        ab_fixed(b, age, 1);
        ab_str(b, ",\"seen\":");
        ab_fixed(b, age, 1);
        ab_str(b, ",\"squawk\":");
        ab_jstr(b, sq);
        if (a->category) {
            ab_str(b, ",\"category\":");
            ab_jstr(b, cat);
        }
        ab_put(b, "}", 1);
    }
    ab_str(b, "\n]}\n");
    if (b->oom || arch_gzip(b->p, b->len, 6, &w->gz) < 0) {
        errno = ENOMEM;
        return -1;
    }
    char t[32], path[4200];
    sim_format_time(T, t, sizeof(t)); // YYYY-MM-DDThh:mm:ssZ
    snprintf(path, sizeof(path), "%s/%.4s/%.2s/%.2s/%.2s%.2s%.2sZ.json.gz", w->dir, t, t + 5, t + 8,
             t + 11, t + 14, t + 17);
    if (arch_mkdirs_for(path) < 0 || arch_write_file(path, w->gz.p, w->gz.len) < 0)
        return -1;
    w->files++;
    return 0;
}

int snap_out_fix(struct snap_out *w, const struct sim_fix *f)
{
    while (w->next < f->t_ms && w->next <= w->end) {
        if (write_snapshot(w, w->next) < 0)
            return -1;
        w->next += w->step;
    }
    if (f->a->kind != SIM_AIRCRAFT)
        return 0;
    struct last *l = &w->last[f->asset];
    l->have = true;
    l->t = f->t_ms;
    l->lat = f->lat;
    l->lon = f->lon;
    l->alt = f->alt_ft;
    l->ground = f->ground;
    l->gs = f->gs_kt;
    l->track = f->track_deg;
    return 0;
}

int snap_out_close(struct snap_out *w, uint64_t *files)
{
    if (!w)
        return 0;
    int rc = 0;
    while (rc == 0 && w->next <= w->end) {
        rc = write_snapshot(w, w->next);
        w->next += w->step;
    }
    if (files)
        *files = w->files;
    free(w->last);
    abuf_free(&w->json);
    abuf_free(&w->gz);
    free(w);
    return rc;
}
