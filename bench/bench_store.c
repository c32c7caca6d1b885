/* SPDX-License-Identifier: BSD-2-Clause
 *
 * bench_store.c - the store at scale: load N observations through the store
 * API (store_obs_put in batched transactions, as ingest does) and time the
 * reports on the result. Constructed data: NASSETS assets (8% military,
 * in categories and roles), positions spread over DAYS days, alternately
 * inside the Caribbean theatre and outside it.
 *
 *   bench_store DB NOBS NASSETS DAYS     load (if DB is new) then time
 *
 * Timed: the order of battle (military, and --all), the timeline, the diff,
 * the evidence of one asset and the CSV export of a week.
 *
 * Prints markdown table rows on stdout, progress on stderr.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report/report.h"
#include "store/store.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

#define T_END 1761177600000LL /* 2025-10-23T00:00:00Z */

static int load(struct store *s, long nobs, long nassets, int days)
{
    static const char *const roles[] = {"destroyer", "cruiser", "amphibious assault",
                                        "carrier",   "frigate", "auxiliary"};
    static const char *const air_roles[] = {"bomber", "tanker", "ISR/maritime patrol", "transport"};
    int64_t *ids = calloc((size_t)nassets, sizeof *ids);
    if (!ids)
        return 1;
    double t0 = now_s();
    if (store_begin(s))
        return 1;
    for (long i = 0; i < nassets; i++) {
        struct store_asset a = {.kind = i % 10 == 9 ? STORE_AIRCRAFT : STORE_SHIP,
                                .ident = (uint32_t)(i % 10 == 9 ? 0xae0000 + i : 200000000 + i)};
        a.military = i % 25 < 2 || i % 50 == 49; // 49: an aircraft
        snprintf(a.name, sizeof a.name, "%s %ld", a.military ? "WARSHIP" : "VESSEL", i);
        if (a.kind == STORE_AIRCRAFT) {
            store_strlcpy(a.category, a.military ? "military aircraft" : "civil",
                          sizeof a.category);
            if (a.military)
                store_strlcpy(a.role, air_roles[i % 4], sizeof a.role);
        } else {
            store_strlcpy(a.category, a.military ? "warship" : "civil", sizeof a.category);
            if (a.military)
                store_strlcpy(a.role, roles[i % 6], sizeof a.role);
        }
        a.confidence = a.military ? 0.9 : 0.4;
        if (store_asset_put(s, &a))
            return 1;
        ids[i] = a.id;
    }
    long per = nobs / nassets;
    int64_t span = (int64_t)days * STORE_DAY_MS;
    int64_t step = span / (per ? per : 1);
    if (step < STORE_BUCKET_MS)
        step = STORE_BUCKET_MS;
    long n = 0, batch = 0;
    for (long k = 0; k < per; k++) {
        for (long i = 0; i < nassets; i++) {
            int64_t t = T_END - span + k * step + (i * 7919) % step;
            // Each asset circles; half of its orbit lies in the theatre box.
            double ang = (double)(k + i) * 0.01;
            struct store_obs o = {.asset_id = ids[i],
                                  .t_ms = t,
                                  .lat = 15.0 + 8.0 * sin(ang),
                                  .lon = -70.0 + 10.0 * cos(ang),
                                  .sog_kn = 12.0,
                                  .cog_deg = 90.0,
                                  .alt_ft = INT32_MIN};
            if (sin(ang) < 0.3)
                store_strlcpy(o.theatre, "caribbean", sizeof o.theatre);
            if (store_obs_put(s, &o, NULL) != ORBAT_OK) {
                fprintf(stderr, "bench_store: %s\n", store_errmsg(s));
                return 1;
            }
            n++;
            if (++batch == 200000) {
                if (store_commit(s) || store_begin(s))
                    return 1;
                batch = 0;
                fprintf(stderr, "\rbench_store: %ld observations", n);
            }
        }
    }
    if (store_commit(s))
        return 1;
    double dt = now_s() - t0;
    fprintf(stderr, "\n");
    printf("| load %ld observations of %ld assets over %d days through store_obs_put | %.1f s "
           "| %.0f obs/s, batched 200k per transaction, no raw rows |\n",
           n, nassets, days, dt, (double)n / dt);
    free(ids);
    return 0;
}

static void time_it(const char *what, struct store *s, int kind)
{
    double t[7];
    size_t rows = 0;
    for (int r = 0; r < 7; r++) {
        FILE *null = fopen("/dev/null", "w");
        double a = now_s();
        if (kind == 0 || kind == 1) {
            struct report_opts o = {.theatre = "caribbean",
                                    .as_of_ms = T_END,
                                    .window_ms = REPORT_DEFAULT_WINDOW_MS,
                                    .all = kind == 1};
            struct report_oob oob;
            if (report_oob_build(s, &o, &oob) == ORBAT_OK) {
                report_oob_write(&oob, RFMT_TABLE, null);
                rows = oob.n;
                report_oob_free(&oob);
            }
        } else if (kind == 2) {
            struct report_opts o = {.theatre = "caribbean"};
            report_timeline_write(s, &o, T_END - 30 * STORE_DAY_MS, T_END, RFMT_TABLE, null, null);
        } else if (kind == 3) {
            struct report_opts o = {.theatre = "caribbean", .window_ms = REPORT_DEFAULT_WINDOW_MS};
            report_diff_write(s, &o, T_END - 14 * STORE_DAY_MS, T_END, RFMT_TABLE, null);
        } else if (kind == 4) {
            // Asset row 1 is "WARSHIP 0": all its observations.
            report_evidence_write(s, "#1", INT64_MIN / 2, INT64_MAX / 2, RFMT_TABLE, null);
        } else {
            // The order of battle's tracks, CSV (military assets: 8%).
            report_export_write(s, T_END - 7 * STORE_DAY_MS, T_END, false, RFMT_CSV, null);
        }
        t[r] = now_s() - a;
        fclose(null);
    }
    qsort(t, 7, sizeof t[0], cmp_double);
    if (kind <= 1)
        printf("| %s (%zu assets listed) | %.1f ms | median of 7; min %.1f ms |\n", what, rows,
               t[3] * 1e3, t[0] * 1e3);
    else
        printf("| %s | %.1f ms | median of 7; min %.1f ms |\n", what, t[3] * 1e3, t[0] * 1e3);
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: bench_store DB NOBS NASSETS DAYS\n");
        return 2;
    }
    char err[256];
    struct store *s = store_open(argv[1], err, sizeof err);
    if (!s) {
        fprintf(stderr, "bench_store: %s\n", err);
        return 1;
    }
    struct store_counts c;
    if (store_counts(s, &c))
        return 1;
    if (c.observations == 0 && load(s, atol(argv[2]), atol(argv[3]), atoi(argv[4])) != 0) {
        fprintf(stderr, "bench_store: load failed: %s\n", store_errmsg(s));
        return 1;
    }
    store_counts(s, &c);
    printf("| database | %llu observations, %llu assets | |\n", (unsigned long long)c.observations,
           (unsigned long long)c.assets);
    time_it("report: order of battle, caribbean, 7 days, military", s, 0);
    time_it("report --all: every asset in the caribbean, 7 days", s, 1);
    time_it("timeline: 30 days by category", s, 2);
    time_it("diff: two orders of battle 14 days apart", s, 3);
    time_it("evidence: one asset, all its observations with raw messages", s, 4);
    time_it("export --format csv: the order of battle's tracks, last 7 days", s, 5);
    store_close(s);
    return 0;
}
