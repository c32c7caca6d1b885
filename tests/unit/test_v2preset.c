/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_v2preset.c - readsb v2 presets: the /v2/point circles cover the
 * theatre (every point of a fine grid over the Caribbean theatre's area
 * polygon, and over boxes at other latitudes, lies within the radius of a
 * circle, by the WGS84 geodesic), specs, and the polling schedule (never
 * two requests closer than the provider's gap, backoff on 429 and 5xx).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "feed/v2preset.h"
#include "geo/geodesic.h"
#include "geo/layer.h"
#include "geo/theatre.h"

/* Largest distance from a grid point of the box (or, with l, of the
 * polygon) to its nearest circle centre, in nm; *npts points tried. */
static double worst_nm(const struct v2_circle *c, size_t nc, double s, double w, double n, double e,
                       const struct geo_layer *l, size_t *npts)
{
    double worst = 0;
    *npts = 0;
    double width = e >= w ? e - w : e + 360 - w;
    for (int i = 0; i <= 120; i++)
        for (int j = 0; j <= 120; j++) {
            double lat = s + (n - s) * i / 120.0, lon = w + width * j / 120.0;
            if (lon >= 180)
                lon -= 360;
            if (l && !geo_layer_contains(l, lat, lon))
                continue;
            (*npts)++;
            double best = INFINITY;
            for (size_t k = 0; k < nc; k++) {
                double d = geo_dist_nm(lat, lon, c[k].lat, c[k].lon);
                if (d < best)
                    best = d;
            }
            if (best > worst)
                worst = best;
        }
    return worst;
}

int main(void)
{
    static struct v2_circle c[V2_MAX_URLS];
    char err[256];
    size_t npts;

    /* the Caribbean theatre's area polygon */
    enum orbat_err terr;
    char msg[256];
    setenv("ORBAT_DATA", "data", 0);
    struct theatre *th = theatre_load("caribbean", &terr, msg, sizeof msg);
    CHECK(th != NULL, "caribbean theatre loads (%s)", th ? "" : msg);
    if (th) {
        double s, w, n, e;
        CHECK(geo_layer_bounds(th->zones[0].layer, &s, &w, &n, &e),
              "area bounds %.2f %.2f %.2f %.2f", s, w, n, e);
        size_t nc = v2_circles(s, w, n, e, 250, c, V2_MAX_URLS);
        double worst = worst_nm(c, nc, s, w, n, e, th->zones[0].layer, &npts);
        CHECK(nc > 1 && nc < 40 && npts > 1000 && worst <= 250.0,
              "%zu circles of 250 nm cover the theatre polygon: %zu points, farthest %.1f nm", nc,
              npts, worst);
        worst = worst_nm(c, nc, s, w, n, e, NULL, &npts);
        CHECK(worst <= 250.0, "... and its whole bounding box: farthest %.1f nm", worst);
        theatre_free(th);
    }

    /* other latitudes, sizes and radii, the antimeridian */
    static const double boxes[][5] = {
        {-10, -40, 10, 20, 250},   {55, -10, 72, 40, 250},      {30, 170, 50, -160, 250},
        {-60, -80, -40, -50, 100}, {12, -70, 12.5, -69.5, 250}, {80, -180, 85, 180, 250},
    };
    for (size_t b = 0; b < sizeof boxes / sizeof boxes[0]; b++) {
        const double *x = boxes[b];
        size_t nc = v2_circles(x[0], x[1], x[2], x[3], x[4], c, V2_MAX_URLS);
        double worst = worst_nm(c, nc, x[0], x[1], x[2], x[3], NULL, &npts);
        CHECK(nc >= 1 && nc <= V2_MAX_URLS && worst <= x[4],
              "box %g,%g,%g,%g: %zu circles of %g nm, farthest point %.1f nm", x[0], x[1], x[2],
              x[3], nc, x[4], worst);
    }
    CHECK(v2_circles(0, 0, 1, 1, 1000, c, V2_MAX_URLS) == 1 && c[0].r_nm == 250,
          "radius capped at 250 nm");
    CHECK(v2_circles(12, -70, 12.5, -69.5, 250, c, V2_MAX_URLS) == 1, "a small box: one circle");

    /* specs */
    struct v2_spec sp;
    CHECK(v2_is_spec("adsbfi:") && v2_is_spec("mil=airplaneslive:?mil=1") &&
              v2_is_spec("adsblol+http://127.0.0.1:1/") && !v2_is_spec("tcp://x:1") &&
              !v2_is_spec("adsbx:"),
          "spec detection");
    CHECK(v2_spec_parse("adsbfi:", &sp, err, sizeof err) == 0 &&
              !strcmp(sp.base, "https://opendata.adsb.fi/api") && sp.mil && sp.point &&
              sp.r_nm == 250 && !sp.has_box,
          "adsbfi: defaults");
    CHECK(v2_spec_parse("adsblol+http://127.0.0.1:8080/api/?bbox=10,-70,12,-60&radius=100&mil=0",
                        &sp, err, sizeof err) == 0 &&
              !strcmp(sp.base, "http://127.0.0.1:8080/api") && sp.has_box && sp.r_nm == 100 &&
              !sp.mil,
          "base URL, bbox, radius, mil=0");
    static const char *const bad[] = {"adsbfi:?radius=300",    "adsbfi:?bbox=1,2,3",
                                      "adsbfi:?mil=0&point=0", "adsbfi:x",
                                      "adsbfi+ftp://x",        "adsbfi:?foo=1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(v2_spec_parse(bad[i], &sp, err, sizeof err) != 0 && err[0], "'%s' refused: %s",
              bad[i], err);

    /* the schedule */
    static struct v2_sched q;
    v2_spec_parse("adsbfi+http://127.0.0.1:9/", &sp, err, sizeof err);
    CHECK(v2_sched_init(&q, &sp, true, 9, -89, 22.5, -60, 0, err, sizeof err) == 0 && q.n > 2 &&
              strstr(q.urls[0], "http://127.0.0.1:9/v2/lat/") && strstr(q.urls[0], "/dist/250") &&
              !strcmp(q.urls[q.n - 1], "http://127.0.0.1:9/v2/mil"),
          "%zu URLs: circles in adsb.fi's form, then /v2/mil (%s)", q.n, q.urls[0]);
    v2_spec_parse("airplaneslive:", &sp, err, sizeof err);
    CHECK(v2_sched_init(&q, &sp, true, 9, -89, 22.5, -60, 0, err, sizeof err) == 0 &&
              !strncmp(q.urls[0], "https://api.airplanes.live/v2/point/", 36),
          "airplanes.live /v2/point form: %s", q.urls[0]);
    CHECK(v2_sched_init(&q, &sp, false, 0, 0, 0, 0, 0, err, sizeof err) == 0 && q.n == 1 &&
              strstr(q.urls[0], "/v2/mil"),
          "no theatre, no bbox: only /v2/mil");
    v2_spec_parse("adsbfi:", &sp, err, sizeof err);
    v2_sched_init(&q, &sp, true, 9, -89, 22.5, -60, 0, err, sizeof err);
    int64_t now = 1000000, last = -1000000, mingap = 1 << 30, wait;
    int served = 0, statuses[] = {200, 200, 429, 200, 503, 200, 0, 200, 200, 404};
    size_t at_fail = 0;
    for (int step = 0; step < 100000 && served < 40; step++) {
        const char *u = v2_sched_due(&q, now, &wait);
        if (!u) {
            now += wait > 0 ? (wait < 37 ? wait : 37) : 1;
            continue;
        }
        if (now - last < mingap)
            mingap = now - last;
        last = now;
        int st = statuses[served % 10];
        size_t before = q.next;
        v2_sched_done(&q, now, now + 120, st);
        if (st == 429 || st == 503 || st == 0)
            at_fail += q.next == before;
        served++;
        now += 120;
    }
    CHECK(mingap >= (int64_t)q.gap_ms && q.gap_ms >= 1000,
          "adsb.fi: never two requests closer than %u ms (closest %lld ms)", q.gap_ms,
          (long long)mingap);
    CHECK(q.ratelimit_waits == 4 && at_fail == 12,
          "429/503/no answer retry the same URL (%llu 429s)",
          (unsigned long long)q.ratelimit_waits);
    v2_sched_init(&q, &sp, true, 9, -89, 22.5, -60, 0, err, sizeof err);
    now = 5000000;
    v2_sched_done(&q, now, now, 429);
    int64_t w1;
    v2_sched_due(&q, now, &w1);
    v2_sched_done(&q, now + w1, now + w1, 429);
    int64_t w2;
    v2_sched_due(&q, now + w1, &w2);
    CHECK(w1 >= V2_BACKOFF_MIN_MS * 3 / 4 && w2 > w1, "backoff grows: %lld then %lld ms",
          (long long)w1, (long long)w2);
    v2_sched_init(&q, &sp, false, 0, 0, 0, 0, 30000, err, sizeof err);
    now = 7000000;
    v2_sched_done(&q, now, now + 10, 200);
    v2_sched_due(&q, now + 10, &wait);
    CHECK(wait >= 29000, "a round waits for the interval: %lld ms", (long long)wait);
    return check_exit();
}
