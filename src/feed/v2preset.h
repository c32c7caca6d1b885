/* SPDX-License-Identifier: BSD-2-Clause
 *
 * v2preset.h - the readsb "v2" API aggregators by name (adsb.lol,
 * airplanes.live, adsb.fi): a theatre covered by /v2/point circles of at
 * most V2_MAX_RADIUS_NM plus /v2/mil, polled one request at a time within
 * the provider's published rate, with backoff on 429, 5xx and network
 * errors.
 *
 *   adsblol:[?PARAMS]  airplaneslive:[?PARAMS]  adsbfi:[?PARAMS]
 *   adsblol+http://HOST:PORT[/BASE][?PARAMS]     (another base URL: local tests)
 *
 * PARAMS, '&'-separated: bbox=S,W,N,E (else the caller's theatre box),
 * radius=NM (1..250, default 250), mil=0 (no /v2/mil), point=0 (only
 * /v2/mil).
 *
 * Circles: the box is cut into rows and columns of cells whose diagonal
 * is at most 2 * r * V2_COVER_MARGIN (the column width is taken at the
 * row's latitude nearest the equator, where a degree of longitude is
 * longest); each cell's centre gets a circle of radius r, so every point
 * of the box, and of any polygon inside it, lies within r of a centre
 * (tests/unit/test_v2preset.c checks it geodesically).
 *
 * Ownership: plain structs; nothing allocated.
 */
#ifndef ORBAT_FEED_V2PRESET_H
#define ORBAT_FEED_V2PRESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define V2_MAX_RADIUS_NM  250.0
#define V2_COVER_MARGIN   0.97 /* cells a little smaller than the circles */
#define V2_MAX_URLS       256
#define V2_URL_CAP        600
#define V2_BACKOFF_MIN_MS 2000
#define V2_BACKOFF_MAX_MS 120000

struct v2_provider {
    const char *name;        /* spec prefix: "adsbfi" */
    const char *title;       /* "adsb.fi" */
    const char *base;        /* API base URL, no trailing slash */
    bool latlon_dist;        /* circles as /v2/lat/LAT/lon/LON/dist/NM, else /v2/point/LAT/LON/NM */
    const char *mil_path;    /* "/v2/mil" */
    unsigned gap_ms;         /* at least this long between two requests */
    const char *rate;        /* the rate limit in words */
    const char *terms;       /* terms of use in one line */
    const char *attribution; /* to print where the data is shown */
};

/* The known providers (static table). */
const struct v2_provider *v2_providers(size_t *n);
const struct v2_provider *v2_provider_find(const char *name, size_t len);

struct v2_circle {
    double lat, lon, r_nm;
};

/* Circles of radius r_nm (<= V2_MAX_RADIUS_NM) covering the box s..n,
 * w..e (w > e: the box crosses the antimeridian). Returns how many were
 * needed (written up to cap). */
size_t v2_circles(double s, double w, double n, double e, double r_nm, struct v2_circle *out,
                  size_t cap);

struct v2_spec {
    const struct v2_provider *p;
    char base[512];
    bool has_box;
    double s, w, n, e;
    double r_nm;
    bool mil, point;
};

/* True when spec (after an optional NAME=) names a provider. */
bool v2_is_spec(const char *spec);
/* -1 with a reason in err. */
int v2_spec_parse(const char *spec, struct v2_spec *sp, char *err, size_t errsz);

/* The polling plan and its clock (monotonic ms throughout). */
struct v2_sched {
    char urls[V2_MAX_URLS][V2_URL_CAP];
    size_t n, next;
    unsigned gap_ms, interval_ms;
    int64_t next_ms;        /* no request before this */
    int64_t round_start_ms; /* when the current round began */
    unsigned backoff_ms;    /* 0 when the last request went well */
    uint64_t rng;
    uint64_t requests, errors, ratelimit_waits, rounds;
};

/* Build the URL list from the spec (its box, else s..e given here;
 * has_box false and no dflt: only /v2/mil). interval_ms: the least time
 * from one round's start to the next (0: as fast as the rate allows).
 * -1 with a reason when there are more than V2_MAX_URLS circles. */
int v2_sched_init(struct v2_sched *q, const struct v2_spec *sp, bool has_dflt, double s, double w,
                  double n, double e, unsigned interval_ms, char *err, size_t errsz);
/* A plan of one URL (AISHub): at least gap_ms between requests. */
void v2_sched_single(struct v2_sched *q, const char *url, unsigned gap_ms, unsigned interval_ms);
/* The URL due at now, or NULL (then *wait_ms says how long). */
const char *v2_sched_due(struct v2_sched *q, int64_t now, int64_t *wait_ms);
/* The request started at started_ms ended with HTTP status (0: no
 * response). 200 moves on; 429 (counted in ratelimit_waits), 5xx and 0
 * retry the same URL after an exponential backoff with +-25% jitter; other
 * statuses count an error and move on. */
void v2_sched_done(struct v2_sched *q, int64_t started_ms, int64_t now, int status);

#endif /* ORBAT_FEED_V2PRESET_H */
