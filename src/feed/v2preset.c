/* SPDX-License-Identifier: BSD-2-Clause
 *
 * v2preset.c - readsb v2 API aggregators by name, their coverage circles
 * and their polling schedule; see v2preset.h.
 */
#include "feed/v2preset.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rates and terms as each provider publishes them (docs/feeds.md gives the
 * sources); the gaps keep 5% under the published rate. */
static const struct v2_provider providers[] = {
    {"adsblol", "adsb.lol", "https://api.adsb.lol", false, "/v2/mil", 1050,
     "no published limit (\"may add rate limits\"): orbat keeps to 1 request/s",
     "open data, ODbL 1.0: attribute adsb.lol and share alike",
     "Aircraft data: adsb.lol (ODbL 1.0), https://adsb.lol"},
    {"airplaneslive", "airplanes.live", "https://api.airplanes.live", false, "/v2/mil", 1050,
     "1 request/s", "non-commercial use; attribution required; no guarantee of service",
     "Aircraft data: airplanes.live, https://airplanes.live"},
    {"adsbfi", "adsb.fi", "https://opendata.adsb.fi/api", true, "/v2/mil", 1050,
     "1 request/s (public endpoints)", "personal, non-commercial use; attribution required",
     "Aircraft data: adsb.fi open data, https://adsb.fi"},
};

const struct v2_provider *v2_providers(size_t *n)
{
    *n = sizeof providers / sizeof providers[0];
    return providers;
}

const struct v2_provider *v2_provider_find(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof providers / sizeof providers[0]; i++)
        if (strlen(providers[i].name) == len && !memcmp(providers[i].name, name, len))
            return &providers[i];
    return NULL;
}

size_t v2_circles(double s, double w, double n, double e, double r_nm, struct v2_circle *out,
                  size_t cap)
{
    if (!(r_nm > 0) || !(n > s))
        return 0;
    if (r_nm > V2_MAX_RADIUS_NM)
        r_nm = V2_MAX_RADIUS_NM;
    double side = r_nm * V2_COVER_MARGIN * sqrt(2.0); // nm: the cell's largest side
    double width = e >= w ? e - w : e + 360.0 - w;    // degrees of longitude
    size_t rows = (size_t)ceil((n - s) * 60.0 / side);
    if (rows < 1)
        rows = 1;
    double dlat = (n - s) / (double)rows;
    size_t k = 0;
    for (size_t i = 0; i < rows; i++) {
        double lat0 = s + dlat * (double)i, lat1 = lat0 + dlat;
        double near = (lat0 <= 0 && lat1 >= 0) ? 0 : fmin(fabs(lat0), fabs(lat1));
        double nm_per_deg = 60.0 * cos(near * M_PI / 180.0);
        size_t cols = (size_t)ceil(width * nm_per_deg / side);
        if (cols < 1)
            cols = 1;
        double dlon = width / (double)cols;
        for (size_t j = 0; j < cols; j++, k++) {
            if (k >= cap)
                continue;
            double lon = w + dlon * ((double)j + 0.5);
            if (lon >= 180.0)
                lon -= 360.0;
            out[k].lat = (lat0 + lat1) / 2;
            out[k].lon = lon;
            out[k].r_nm = r_nm;
        }
    }
    return k;
}

bool v2_is_spec(const char *spec)
{
    const char *eq = strchr(spec, '=');
    const char *colon = strchr(spec, ':');
    const char *p = eq && (!colon || eq < colon) ? eq + 1 : spec;
    size_t l = strcspn(p, ":+");
    return (p[l] == ':' || p[l] == '+') && v2_provider_find(p, l) != NULL;
}

static bool num_list(const char *v, size_t n, double *out, size_t want)
{
    char buf[256];
    if (n >= sizeof buf)
        return false;
    memcpy(buf, v, n);
    buf[n] = 0;
    char *p = buf;
    for (size_t i = 0; i < want; i++) {
        char *end;
        out[i] = strtod(p, &end);
        if (end == p || !isfinite(out[i]))
            return false;
        p = end;
        if (i + 1 < want) {
            if (*p != ',')
                return false;
            p++;
        }
    }
    return *p == 0;
}

int v2_spec_parse(const char *spec, struct v2_spec *sp, char *err, size_t errsz)
{
    memset(sp, 0, sizeof *sp);
    size_t l = strcspn(spec, ":+");
    sp->p = v2_provider_find(spec, l);
    if (!sp->p || !spec[l]) {
        snprintf(err, errsz, "'%s': unknown provider (adsblol:, airplaneslive:, adsbfi:)", spec);
        return -1;
    }
    const char *q = spec + l + 1;
    if (spec[l] == '+') {
        size_t ul = strcspn(q, "?");
        if (strncmp(q, "http://", 7) && strncmp(q, "https://", 8)) {
            snprintf(err, errsz, "'%s': expected %s+http[s]://HOST[:PORT][/BASE]", spec,
                     sp->p->name);
            return -1;
        }
        if (ul >= sizeof sp->base) {
            snprintf(err, errsz, "base URL too long");
            return -1;
        }
        memcpy(sp->base, q, ul);
        while (ul && sp->base[ul - 1] == '/')
            ul--;
        sp->base[ul] = 0;
        q += strcspn(q, "?");
    } else {
        snprintf(sp->base, sizeof sp->base, "%s", sp->p->base);
    }
    if (*q && *q != '?') {
        snprintf(err, errsz, "'%s': expected %s:[?PARAMS]", spec, sp->p->name);
        return -1;
    }
    if (*q == '?')
        q++;
    sp->r_nm = V2_MAX_RADIUS_NM;
    sp->mil = sp->point = true;
    while (*q) {
        size_t pl = strcspn(q, "&");
        const char *eq = memchr(q, '=', pl);
        size_t kl = eq ? (size_t)(eq - q) : pl, vl = eq ? pl - kl - 1 : 0;
        const char *v = eq ? eq + 1 : "";
        double x[4];
        if (kl == 4 && !memcmp(q, "bbox", 4) && num_list(v, vl, x, 4) && x[0] >= -90 &&
            x[2] <= 90 && x[0] < x[2] && x[1] >= -180 && x[1] <= 180 && x[3] >= -180 &&
            x[3] <= 180) {
            sp->has_box = true;
            sp->s = x[0];
            sp->w = x[1];
            sp->n = x[2];
            sp->e = x[3];
        } else if (kl == 6 && !memcmp(q, "radius", 6) && num_list(v, vl, x, 1) && x[0] >= 1 &&
                   x[0] <= V2_MAX_RADIUS_NM && x[0] == floor(x[0])) {
            sp->r_nm = x[0];
        } else if (kl == 3 && !memcmp(q, "mil", 3) && vl == 1 && (*v == '0' || *v == '1')) {
            sp->mil = *v == '1';
        } else if (kl == 5 && !memcmp(q, "point", 5) && vl == 1 && (*v == '0' || *v == '1')) {
            sp->point = *v == '1';
        } else {
            snprintf(err, errsz,
                     "bad parameter '%.*s' (bbox=S,W,N,E, radius=1..250, mil=0|1, point=0|1)",
                     (int)pl, q);
            return -1;
        }
        q += pl;
        if (*q == '&')
            q++;
    }
    if (!sp->mil && !sp->point) {
        snprintf(err, errsz, "'%s': mil=0 and point=0 leave nothing to ask", spec);
        return -1;
    }
    return 0;
}

int v2_sched_init(struct v2_sched *q, const struct v2_spec *sp, bool has_dflt, double s, double w,
                  double n, double e, unsigned interval_ms, char *err, size_t errsz)
{
    memset(q, 0, sizeof *q);
    q->gap_ms = sp->p->gap_ms;
    q->interval_ms = interval_ms;
    q->rng = 0x9E3779B97F4A7C15ull ^ (uint64_t)(uintptr_t)q;
    if (sp->has_box) {
        s = sp->s;
        w = sp->w;
        n = sp->n;
        e = sp->e;
        has_dflt = true;
    }
    if (sp->point && has_dflt) {
        struct v2_circle c[V2_MAX_URLS];
        size_t nc = v2_circles(s, w, n, e, sp->r_nm, c, V2_MAX_URLS);
        if (nc + (sp->mil ? 1 : 0) > V2_MAX_URLS) {
            snprintf(err, errsz, "the box needs %zu circles of %.0f nm (at most %d requests)", nc,
                     sp->r_nm, V2_MAX_URLS - 1);
            return -1;
        }
        for (size_t i = 0; i < nc; i++) {
            char path[128];
            if (sp->p->latlon_dist)
                snprintf(path, sizeof path, "/v2/lat/%.4f/lon/%.4f/dist/%d", c[i].lat, c[i].lon,
                         (int)c[i].r_nm);
            else
                snprintf(path, sizeof path, "/v2/point/%.4f/%.4f/%d", c[i].lat, c[i].lon,
                         (int)c[i].r_nm);
            snprintf(q->urls[q->n++], V2_URL_CAP, "%.500s%.90s", sp->base, path);
        }
    }
    if (sp->mil || !q->n)
        snprintf(q->urls[q->n++], V2_URL_CAP, "%.500s%s", sp->base, sp->p->mil_path);
    return 0;
}

void v2_sched_single(struct v2_sched *q, const char *url, unsigned gap_ms, unsigned interval_ms)
{
    memset(q, 0, sizeof *q);
    q->gap_ms = gap_ms;
    q->interval_ms = interval_ms;
    q->rng = 0x9E3779B97F4A7C15ull ^ (uint64_t)(uintptr_t)q;
    snprintf(q->urls[0], V2_URL_CAP, "%s", url);
    q->n = 1;
}

const char *v2_sched_due(struct v2_sched *q, int64_t now, int64_t *wait_ms)
{
    int64_t at = q->next_ms;
    if (q->next == 0 && q->round_start_ms && q->round_start_ms + q->interval_ms > at)
        at = q->round_start_ms + q->interval_ms;
    if (now < at) {
        *wait_ms = at - now;
        return NULL;
    }
    *wait_ms = 0;
    return q->urls[q->next];
}

static unsigned jitter(struct v2_sched *q, unsigned ms)
{
    q->rng ^= q->rng << 13;
    q->rng ^= q->rng >> 7;
    q->rng ^= q->rng << 17;
    unsigned span = ms / 2;
    return ms - ms / 4 + (span ? (unsigned)(q->rng % span) : 0);
}

void v2_sched_done(struct v2_sched *q, int64_t started_ms, int64_t now, int status)
{
    q->requests++;
    if (q->next == 0 && !q->backoff_ms)
        q->round_start_ms = started_ms;
    q->next_ms = started_ms + q->gap_ms; // the rate counts from each request's start
    if (status == 429 || status >= 500 || status == 0) {
        if (status == 429)
            q->ratelimit_waits++;
        else
            q->errors++;
        q->backoff_ms = q->backoff_ms ? q->backoff_ms * 2 : V2_BACKOFF_MIN_MS;
        if (q->backoff_ms > V2_BACKOFF_MAX_MS)
            q->backoff_ms = V2_BACKOFF_MAX_MS;
        int64_t retry = now + jitter(q, q->backoff_ms);
        if (retry > q->next_ms)
            q->next_ms = retry;
        return; // the same URL again
    }
    q->backoff_ms = 0;
    if (status != 200)
        q->errors++;
    if (++q->next >= q->n) {
        q->next = 0;
        q->rounds++;
    }
}
