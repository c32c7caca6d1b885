/* SPDX-License-Identifier: BSD-2-Clause
 *
 * globe_day.c - a SYNTHETIC adsb.lol globe_history day for the import
 * benchmark (bench/make_globe_day.sh): one plain tar of
 * traces/<xx>/trace_full_<hex>.json files (gzip JSON, readsb 14-field
 * layout, "orbat_simulated": true), cut into .tar.aa, .tar.ab, ... parts as
 * the releases are. Mostly civil aircraft worldwide: airliners flying 1-6
 * legs of 1-11 h with a point every 4-12 s (about 3-8k points a day),
 * general aviation with 1-3 short flights, a tail with only a handful of
 * points; plus military aircraft (dbFlags 1) in the US/UK/German military
 * address blocks, a share of them flying in the Caribbean theatre
 * (lat 8..25 N, lon -90..-58 W). Each file is generated from its own
 * seeded generator, so the output does not depend on the thread count.
 *
 * usage: globe_day OUTDIR [--files N] [--mil N] [--carib N] [--date YYYY-MM-DD]
 *                  [--split BYTES] [--seed N] [--threads N] [--level 1..12]
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "registry/tables.h"
#include "sim/archive_fmt.h"
#include "sim/scenario.h"
#include "sim/sim_util.h"

#define BATCH 512

struct acft {
    uint32_t icao;
    uint8_t kind; /* 0 airliner, 1 GA, 2 sparse, 3 military, 4 military in the Caribbean */
};

struct job {
    const struct acft *ac;
    size_t n;
    int64_t day_ms;
    uint64_t seed;
    int level;
    struct abuf *out; /* gz per file of the batch */
    size_t first, count, tid, nthreads;
    uint64_t points;
    int failed;
};

static const char *const air_types[][2] = {
    {"A320", "AIRBUS A-320"},     {"B738", "BOEING 737-800"},   {"A321", "AIRBUS A-321"},
    {"B77W", "BOEING 777-300ER"}, {"A20N", "AIRBUS A-320neo"},  {"B38M", "BOEING 737 MAX 8"},
    {"E190", "EMBRAER ERJ-190"},  {"A359", "AIRBUS A-350-900"}, {"B789", "BOEING 787-9"}};
static const char *const ga_types[][2] = {{"C172", "CESSNA 172"},
                                          {"PA28", "PIPER PA-28"},
                                          {"SR22", "CIRRUS SR-22"},
                                          {"BE20", "BEECH 200 Super King Air"},
                                          {"PC12", "PILATUS PC-12"}};
static const char *const mil_types[][2] = {
    {"C17", "BOEING C-17A Globemaster III"}, {"K35R", "BOEING KC-135R Stratotanker"},
    {"P8", "BOEING P-8A Poseidon"},          {"C130", "LOCKHEED C-130 Hercules"},
    {"B52", "BOEING B-52H Stratofortress"},  {"R135", "BOEING RC-135V Rivet Joint"}};

/* Append one flight (ground point, climb, cruise, descent, ground point) to p. */
static size_t flight(struct sim_rng *r, struct trace_pt *p, size_t cap, int64_t t0, int64_t dur,
                     double lat0, double lon0, double lat1, double lon1, double cruise, double gs,
                     double dt_lo, double dt_hi)
{
    size_t n = 0;
    double brg = sim_bearing(lat0, lon0, lat1, lon1);
    if (n < cap) {
        p[n] = (struct trace_pt){t0 - 60000, lat0, lon0, 0, true, 0, brg, 0, 0, true};
        n++;
    }
    int64_t t = t0, last = t0 - 60000;
    bool newleg = true;
    while (t < t0 + dur && n < cap - 1) {
        double f = (double)(t - t0) / (double)dur, lat, lon;
        sim_interp(lat0, lon0, lat1, lon1, f, &lat, &lon);
        double climb = 0.12, alt = cruise;
        int32_t vr = 0;
        if (f < climb) {
            alt = cruise * f / climb;
            vr = 2000;
        } else if (f > 1 - climb) {
            alt = cruise * (1 - f) / climb;
            vr = -1800;
        }
        uint8_t fl = (uint8_t)((t - last > 20000 ? TRACE_STALE : 0) | (newleg ? TRACE_NEW_LEG : 0));
        p[n] = (struct trace_pt){t,
                                 lat,
                                 lon,
                                 (int32_t)(alt / 25.0) * 25,
                                 false,
                                 gs * (0.95 + 0.1 * sim_rng_unit(r)),
                                 fmod(brg + sim_rng_range(r, -1.5, 1.5) + 360.0, 360.0),
                                 vr,
                                 fl,
                                 newleg || n % 10 == 0};
        n++;
        newleg = false;
        last = t;
        double step = sim_rng_range(r, dt_lo, dt_hi);
        if (sim_rng_unit(r) < 0.004)
            step += sim_rng_range(r, 30, 900); // a coverage gap
        t += (int64_t)(step * 1000.0);
    }
    if (n < cap) {
        p[n] = (struct trace_pt){t0 + dur, lat1, lon1, 0, true, 0, brg, 0, 0, true};
        n++;
    }
    return n;
}

static void gen_file(const struct job *j, size_t i, struct trace_pt *p, size_t cap, struct abuf *js,
                     struct abuf *gz, uint64_t *points)
{
    const struct acft *a = &j->ac[i];
    struct sim_rng r;
    sim_rng_seed(&r, j->seed ^ ((uint64_t)a->icao * 0x9e3779b97f4a7c15ull));
    size_t n = 0;
    double lat = sim_rng_range(&r, -45, 65), lon = sim_rng_range(&r, -180, 180);
    if (a->kind == 4) {
        lat = sim_rng_range(&r, 8, 25);
        lon = sim_rng_range(&r, -90, -58);
    }
    int64_t t = j->day_ms + 300000 + (int64_t)(sim_rng_unit(&r) * 6 * 3600000.0);
    int nflights = a->kind == 0   ? 1 + (int)sim_rng_below(&r, 6)
                   : a->kind == 2 ? 1
                                  : 1 + (int)sim_rng_below(&r, 3);
    for (int k = 0; k < nflights && n + 8 < cap; k++) {
        double hours, cruise, gs, dlo, dhi;
        switch (a->kind) {
        case 0:
            hours = sim_rng_range(&r, 1, 11), cruise = 37000, gs = 460, dlo = 4, dhi = 12;
            break;
        case 1:
            hours = sim_rng_range(&r, 0.3, 2.5), cruise = 6500, gs = 130, dlo = 5, dhi = 20;
            break;
        case 2:
            hours = sim_rng_range(&r, 0.05, 0.3), cruise = 3000, gs = 100, dlo = 30, dhi = 120;
            break;
        default:
            hours = sim_rng_range(&r, 2, 9), cruise = 28000, gs = 400, dlo = 4, dhi = 15;
            break;
        }
        int64_t dur = (int64_t)(hours * 3600000.0);
        if (t + dur >= j->day_ms + 86400000 - 120000)
            break;
        double dist = gs * hours * SIM_NM_KM / SIM_EARTH_KM / SIM_DEG; // degrees of arc
        double brg = sim_rng_range(&r, 0, 360), lat1, lon1;
        if (a->kind == 4) { // stay in the theatre: a patrol out and back
            dist = fmin(dist, 8.0);
        }
        lat1 = lat + dist * cos(brg * SIM_DEG);
        lon1 = lon + dist * sin(brg * SIM_DEG) / fmax(0.2, cos(lat * SIM_DEG));
        lat1 = fmax(-80, fmin(80, lat1));
        lon1 = fmod(lon1 + 540.0, 360.0) - 180.0;
        if (a->kind == 4) {
            lat1 = fmax(8, fmin(25, lat1));
            lon1 = fmax(-90, fmin(-58, lon1));
        }
        n += flight(&r, p + n, cap - n, t, dur, lat, lon, lat1, lon1, cruise, gs, dlo, dhi);
        lat = lat1;
        lon = lon1;
        t += dur + (int64_t)(sim_rng_range(&r, 0.6, 3.0) * 3600000.0);
    }
    if (!n) { // parked all day: a few ground points
        for (; n < 3; n++)
            p[n] = (struct trace_pt){
                j->day_ms + 3600000 * (int64_t)(n + 1), lat, lon, 0, true, 0, 0, 0, 1, n == 0};
    }
    char reg[12], flight_id[12], sq[8];
    const char *const *ty;
    if (a->kind >= 3) {
        ty = mil_types[sim_rng_below(&r, 6)];
        snprintf(reg, sizeof(reg), "%02u-%04u", 60 + sim_rng_below(&r, 40),
                 sim_rng_below(&r, 10000));
        snprintf(flight_id, sizeof(flight_id), "RCH%03u", sim_rng_below(&r, 1000));
    } else if (a->kind == 0) {
        ty = air_types[sim_rng_below(&r, 9)];
        snprintf(reg, sizeof(reg), "N%u%c%c", 100 + sim_rng_below(&r, 900),
                 'A' + sim_rng_below(&r, 26), 'A' + sim_rng_below(&r, 26));
        snprintf(flight_id, sizeof(flight_id), "%c%c%c%u", 'A' + sim_rng_below(&r, 26),
                 'A' + sim_rng_below(&r, 26), 'L' + sim_rng_below(&r, 10),
                 1 + sim_rng_below(&r, 9000));
    } else {
        ty = ga_types[sim_rng_below(&r, 5)];
        snprintf(reg, sizeof(reg), "N%u%c", 1000 + sim_rng_below(&r, 9000),
                 'A' + sim_rng_below(&r, 26));
        snprintf(flight_id, sizeof(flight_id), "%s", reg);
    }
    snprintf(sq, sizeof(sq), "%o", 01000 + sim_rng_below(&r, 06777));
    struct trace_hdr h = {a->icao,
                          reg,
                          ty[0],
                          ty[1],
                          a->kind >= 3 ? 1 : 0,
                          true,
                          flight_id,
                          sq,
                          (uint8_t)(a->kind == 1 || a->kind == 2 ? 0xA1
                                    : a->kind >= 3               ? 0xA5
                                                                 : 0xA3)};
    js->len = 0;
    trace_json(js, &h, p, n, 14);
    *points += n;
    arch_gzip(js->p, js->len, j->level, gz);
}

static void *worker(void *arg)
{
    struct job *j = arg;
    size_t cap = 16384;
    struct trace_pt *p = malloc(cap * sizeof(*p));
    struct abuf js = {0};
    if (!p) {
        j->failed = 1;
        return NULL;
    }
    for (size_t i = j->first + j->tid; i < j->first + j->count; i += j->nthreads) {
        gen_file(j, i, p, cap, &js, &j->out[i - j->first], &j->points);
        if (js.oom || j->out[i - j->first].oom)
            j->failed = 1;
    }
    free(p);
    abuf_free(&js);
    return NULL;
}

static int cmp_acft(const void *pa, const void *pb)
{
    const struct acft *a = pa, *b = pb;
    uint64_t ka = ((uint64_t)(a->icao & 0xFF) << 32) | a->icao;
    uint64_t kb = ((uint64_t)(b->icao & 0xFF) << 32) | b->icao;
    return ka < kb ? -1 : ka > kb;
}

/* A random address in [lo, lo + span) outside every enabled military
 * block of orbat's table. */
static uint32_t civil_addr(struct sim_rng *r, uint32_t lo, uint32_t span)
{
    uint32_t a;
    const struct icao_mil_block *mb;
    do
        a = lo + sim_rng_below(r, span);
    while ((mb = tables_icao_military(a)) != NULL && mb->enabled);
    return a;
}

static int cmp_icao(const void *pa, const void *pb)
{
    const struct acft *a = pa, *b = pb;
    return a->icao < b->icao ? -1 : a->icao > b->icao;
}

int main(int argc, char **argv)
{
    const char *dir = NULL, *date = "2025-10-23";
    long long files = 40000, mil = 300, carib = 60, split = 700LL << 20, seed = 2025, threads = 2,
              level = 6;
    for (int i = 1; i < argc; i++) {
        long long *v = NULL;
        if (!strcmp(argv[i], "--files"))
            v = &files;
        else if (!strcmp(argv[i], "--mil"))
            v = &mil;
        else if (!strcmp(argv[i], "--carib"))
            v = &carib;
        else if (!strcmp(argv[i], "--split"))
            v = &split;
        else if (!strcmp(argv[i], "--seed"))
            v = &seed;
        else if (!strcmp(argv[i], "--threads"))
            v = &threads;
        else if (!strcmp(argv[i], "--level"))
            v = &level;
        else if (!strcmp(argv[i], "--date") && i + 1 < argc) {
            date = argv[++i];
            continue;
        } else if (argv[i][0] != '-' && !dir) {
            dir = argv[i];
            continue;
        } else {
            fprintf(stderr, "globe_day: unknown argument %s\n", argv[i]);
            return 2;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "globe_day: %s needs a value\n", argv[i]);
            return 2;
        }
        *v = strtoll(argv[++i], NULL, 10);
    }
    int64_t day_ms;
    if (!dir || files < 1 || files > 2000000 || mil < 0 || mil > files || carib > mil ||
        threads < 1 || threads > 64 || level < 1 || level > 12 || split < 0 ||
        !sim_parse_time(date, &day_ms)) {
        fprintf(stderr, "usage: globe_day OUTDIR [--files N] [--mil N] [--carib N] [--date "
                        "YYYY-MM-DD] [--split BYTES] [--seed N] [--threads N] [--level 1..12]\n");
        return 2;
    }
    struct sim_rng r;
    sim_rng_seed(&r, (uint64_t)seed);
    struct acft *ac = calloc((size_t)files, sizeof(*ac));
    if (!ac)
        return 1;
    // unique addresses: draw, sort, redraw duplicates until none are left;
    // civil aircraft never in a military address block (orbat's table, as
    // in real data, where those blocks hold military aircraft)
    for (size_t i = 0; i < (size_t)files; i++) {
        if (i < (size_t)mil) {
            static const uint32_t base[3] = {0xAE0000, 0x43C000, 0x3F4000};
            static const uint32_t span[3] = {0x10000, 0x4000, 0x4000};
            unsigned k = i < (size_t)carib ? 0 : sim_rng_below(&r, 3);
            ac[i].icao = base[k] + sim_rng_below(&r, span[k]);
            ac[i].kind = i < (size_t)carib ? 4 : 3;
        } else {
            ac[i].icao = civil_addr(&r, 1, 0xFFFFFE);
            double u = sim_rng_unit(&r);
            ac[i].kind = u < 0.22 ? 0 : u < 0.75 ? 1 : 2;
        }
    }
    for (int pass = 0; pass < 100; pass++) {
        qsort(ac, (size_t)files, sizeof(*ac), cmp_icao);
        size_t dup = 0;
        for (size_t i = 1; i < (size_t)files; i++)
            if (ac[i].icao == ac[i - 1].icao) {
                ac[i].icao = ac[i].kind >= 3 ? 0xAE0000 + sim_rng_below(&r, 0x10000)
                                             : civil_addr(&r, 0x100000, 0x300000);
                dup++;
            }
        if (!dup)
            break;
    }
    qsort(ac, (size_t)files, sizeof(*ac), cmp_acft);

    char path[4200], err[256];
    snprintf(path, sizeof(path), "%s/v%.4s.%.2s.%.2s-planes-readsb-prod-0.tar", dir, date, date + 5,
             date + 8);
    if (arch_mkdirs_for(path) < 0) {
        perror(dir);
        return 1;
    }
    struct tar_out *t = tar_out_open(path, (uint64_t)split, err, sizeof(err));
    if (!t) {
        fprintf(stderr, "globe_day: %s\n", err);
        return 1;
    }
    int64_t mtime = day_ms / 1000 + 86400;
    int rc = tar_out_dir(t, "traces/", mtime);
    struct abuf *out = calloc(BATCH, sizeof(*out));
    struct job *jobs = calloc((size_t)threads, sizeof(*jobs));
    pthread_t *th = calloc((size_t)threads, sizeof(*th));
    if (!out || !jobs || !th)
        return 1;
    uint64_t points = 0, bytes = 0;
    int last_dir = -1;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (size_t first = 0; first < (size_t)files && rc == 0; first += BATCH) {
        size_t count = (size_t)files - first < BATCH ? (size_t)files - first : BATCH;
        for (long long k = 0; k < threads; k++) {
            jobs[k] =
                (struct job){ac,    (size_t)files, day_ms,    (uint64_t)seed,  (int)level, out,
                             first, count,         (size_t)k, (size_t)threads, 0,          0};
            pthread_create(&th[k], NULL, worker, &jobs[k]);
        }
        for (long long k = 0; k < threads; k++) {
            pthread_join(th[k], NULL);
            points += jobs[k].points;
            if (jobs[k].failed)
                rc = -1;
        }
        for (size_t i = 0; i < count && rc == 0; i++) {
            uint32_t icao = ac[first + i].icao;
            char name[64];
            if ((int)(icao & 0xFF) != last_dir) {
                last_dir = (int)(icao & 0xFF);
                snprintf(name, sizeof(name), "traces/%02x/", (unsigned)last_dir);
                rc = tar_out_dir(t, name, mtime);
            }
            trace_path(icao, name, sizeof(name));
            if (rc == 0)
                rc = tar_out_file(t, name, out[i].p, out[i].len, mtime);
            bytes += out[i].len;
        }
    }
    if (tar_out_close(t) < 0)
        rc = -1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double el = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    fprintf(stderr,
            "globe_day: %lld files (%lld military, %lld in the Caribbean), %llu points, %.1f MB "
            "gzip in the tar, %.1f s (%lld threads)\n",
            files, mil, carib, (unsigned long long)points, (double)bytes / 1e6, el, threads);
    for (size_t i = 0; i < BATCH; i++)
        abuf_free(&out[i]);
    free(out);
    free(jobs);
    free(th);
    free(ac);
    if (rc < 0)
        fprintf(stderr, "globe_day: write error\n");
    return rc < 0 ? 1 : 0;
}
