/* SPDX-License-Identifier: BSD-2-Clause
 *
 * bench_identify.c - identification speed: registry load, hash lookups by
 * ICAO address and MMSI (against a sorted-array binary search baseline on
 * the same keys), full rule evaluations, and the per-asset cache path the
 * tracker takes for every observation. Built and run by
 * bench/bench_identify.sh; prints markdown table rows.
 *
 * usage: bench_identify DATA_DIR [LOOKUPS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "registry/callsign.h"
#include "registry/identify.h"
#include "registry/registry.h"

// CPU time of this process: the machine is shared, so wall-clock rates
// would measure the other processes as much as this code.
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t rng = 88172645463325252ull;
static uint32_t xr(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)rng;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_identify DATA_DIR [LOOKUPS]\n");
        return 2;
    }
    long nlook = argc > 2 ? atol(argv[2]) : 20000000;
    double t0 = now();
    struct registry *reg = registry_new();
    int failed = registry_load_defaults(reg, argv[1], NULL, NULL);
    double t_load = now() - t0;
    struct callsign_rules *rules = callsign_rules_new();
    char path[4096];
    snprintf(path, sizeof path, "%s/rules/callsigns.csv", argv[1]);
    callsign_rules_load_file(rules, path, NULL, NULL);
    size_t na = registry_aircraft_count(reg);
    if (failed || na == 0) {
        fprintf(stderr, "bench_identify: registry did not load\n");
        return 1;
    }
    printf("| load shipped registry (%zu aircraft, %zu ships) | %.1f ms | |\n", na,
           registry_ship_count(reg), t_load * 1e3);

    // Keys: half registry hits, half random misses, shuffled.
    enum {
        NKEYS = 1 << 16
    };
    uint32_t *keys = malloc(NKEYS * sizeof *keys);
    uint32_t *sorted = malloc(na * sizeof *sorted);
    for (size_t i = 0; i < na; i++)
        sorted[i] = registry_aircraft_at(reg, i)->icao;
    qsort(sorted, na, sizeof *sorted, cmp_u32);
    for (int i = 0; i < NKEYS; i++)
        keys[i] = (i & 1) ? registry_aircraft_at(reg, xr() % na)->icao : (xr() & 0xFFFFFF);

    t0 = now();
    long hits = 0;
    for (long i = 0; i < nlook; i++)
        hits += registry_find_icao(reg, keys[i & (NKEYS - 1)]) != NULL;
    double t_hash = now() - t0;
    t0 = now();
    long hits2 = 0;
    for (long i = 0; i < nlook; i++)
        hits2 += bsearch(&keys[i & (NKEYS - 1)], sorted, na, sizeof *sorted, cmp_u32) != NULL;
    double t_bs = now() - t0;
    printf("| ICAO lookups, hash table (%ld, %ld hits) | %.1f M/s | %.1fx the baseline |\n", nlook,
           hits, nlook / t_hash / 1e6, t_bs / t_hash);
    printf("| ICAO lookups, baseline: bsearch on a sorted array (%ld hits) | %.1f M/s | 1.0x |\n",
           hits2, nlook / t_bs / 1e6);

    // MMSI lookups (the seed list is small: mostly misses, the common case).
    t0 = now();
    hits = 0;
    for (long i = 0; i < nlook; i++)
        hits += registry_find_mmsi(reg, 200000000u + (keys[i & (NKEYS - 1)] % 600000000u)) != NULL;
    hits += registry_find_mmsi(reg, 338813000) != NULL;
    double t_mmsi = now() - t0;
    printf("| MMSI lookups, hash table (%ld, %ld hits) | %.1f M/s | |\n", nlook, hits,
           nlook / t_mmsi / 1e6);

    // Full rule evaluation (what runs when static data changes).
    long nev = nlook / 20;
    struct ident_input in;
    struct ident_result res;
    memset(&in, 0, sizeof in);
    t0 = now();
    long mil = 0;
    for (long i = 0; i < nev; i++) {
        in.kind = OBS_AIRCRAFT;
        in.id = keys[i & (NKEYS - 1)];
        snprintf(in.callsign, sizeof in.callsign, (i & 3) ? "DLH%ld" : "RCH%ld", i % 1000);
        ident_evaluate(reg, rules, &in, &res);
        mil += res.category == CAT_MILITARY_AIRCRAFT;
    }
    double t_ev = now() - t0;
    printf("| full rule evaluations, aircraft (%ld; %ld military) | %.2f M/s | |\n", nev, mil,
           nev / t_ev / 1e6);
    memset(&in, 0, sizeof in);
    t0 = now();
    for (long i = 0; i < nev; i++) {
        in.kind = OBS_SHIP;
        in.id = (i & 7) ? 200000000u + (keys[i & (NKEYS - 1)] % 600000000u) : 338813000u;
        snprintf(in.name, sizeof in.name, (i & 1) ? "USS IWO JIMA" : "MAERSK %ld", i % 977);
        in.has_ship_type = true;
        in.ship_type = (i & 1) ? 35 : 70;
        ident_evaluate(reg, rules, &in, &res);
    }
    t_ev = now() - t0;
    printf("| full rule evaluations, ships (%ld) | %.2f M/s | |\n", nev, nev / t_ev / 1e6);

    // The tracker's path: 10,000 assets, mostly position reports (cache hit,
    // no re-evaluation), 1 in 50 with static data.
    struct ident_cache *c = ident_cache_new(reg, rules);
    struct obs o;
    memset(&o, 0, sizeof o);
    long nobs = nlook / 2;
    t0 = now();
    for (long i = 0; i < nobs; i++) {
        uint32_t k = keys[(i * 7) & (NKEYS - 1)] % 10000;
        o.kind = (k & 1) ? OBS_SHIP : OBS_AIRCRAFT;
        o.id = o.kind == OBS_SHIP ? 366000000u + k : 0xA00000u + k;
        o.t_ms = i;
        o.has = 0;
        if (i % 50 == 0) {
            o.has = o.kind == OBS_SHIP ? OBS_HAS_NAME | OBS_HAS_SHIPTYPE : OBS_HAS_CALLSIGN;
            snprintf(o.name, sizeof o.name, "SHIP %u", k);
            snprintf(o.callsign, sizeof o.callsign, "AAL%u", k % 100);
            o.ship_type = 70;
        }
        if (!ident_observe(c, &o))
            return 1;
    }
    double t_obs = now() - t0;
    size_t evals = 0;
    for (size_t i = 0; i < ident_cache_count(c); i++)
        evals += ident_cache_at(c, i)->evaluations;
    printf("| ident_observe, 10k assets (%ld observations, %zu evaluations) | %.1f M/s | |\n", nobs,
           evals, nobs / t_obs / 1e6);
    ident_cache_free(c);
    registry_free(reg);
    callsign_rules_free(rules);
    free(keys);
    free(sorted);
    return 0;
}
