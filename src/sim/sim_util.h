/* SPDX-License-Identifier: BSD-2-Clause
 *
 * sim_util.h - small helpers for the simulator: the xoshiro256** PRNG
 * (Blackman & Vigna 2018, seeded through splitmix64) so runs are
 * reproducible from a seed on every platform, and spherical great-circle
 * geometry (mean Earth radius 6371.0088 km): distance, initial bearing and
 * interpolation along a leg. Spherical is accurate to ~0.5 %, which is
 * what a traffic simulator needs; the tracker uses its own geodesics.
 */
#ifndef ORBAT_SIM_SIM_UTIL_H
#define ORBAT_SIM_SIM_UTIL_H

#include <math.h>
#include <stdint.h>

#define SIM_PI       3.14159265358979323846
#define SIM_DEG      (SIM_PI / 180.0)
#define SIM_EARTH_KM 6371.0088
#define SIM_NM_KM    1.852

struct sim_rng {
    uint64_t s[4];
};

static inline uint64_t sim_splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static inline void sim_rng_seed(struct sim_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = sim_splitmix64(&seed);
}

static inline uint64_t sim_rng_next(struct sim_rng *r)
{
    uint64_t *s = r->s;
    uint64_t x = s[1] * 5;
    uint64_t result = ((x << 7) | (x >> 57)) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return result;
}

/* Uniform in [0, 1). */
static inline double sim_rng_unit(struct sim_rng *r)
{
    return (double)(sim_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static inline double sim_rng_range(struct sim_rng *r, double lo, double hi)
{
    return lo + (hi - lo) * sim_rng_unit(r);
}

static inline uint32_t sim_rng_below(struct sim_rng *r, uint32_t n)
{
    return n ? (uint32_t)(sim_rng_unit(r) * n) : 0;
}

/* Great-circle distance in km (haversine). */
static inline double sim_dist_km(double lat1, double lon1, double lat2, double lon2)
{
    double p1 = lat1 * SIM_DEG, p2 = lat2 * SIM_DEG;
    double dp = p2 - p1, dl = (lon2 - lon1) * SIM_DEG;
    double a = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);
    if (a > 1.0)
        a = 1.0;
    return 2.0 * SIM_EARTH_KM * asin(sqrt(a));
}

/* Initial bearing from point 1 to point 2, degrees 0..360. */
static inline double sim_bearing(double lat1, double lon1, double lat2, double lon2)
{
    double p1 = lat1 * SIM_DEG, p2 = lat2 * SIM_DEG, dl = (lon2 - lon1) * SIM_DEG;
    double y = sin(dl) * cos(p2);
    double x = cos(p1) * sin(p2) - sin(p1) * cos(p2) * cos(dl);
    double b = atan2(y, x) / SIM_DEG;
    return b < 0 ? b + 360.0 : b;
}

/* Point at fraction f (0..1) along the great circle from 1 to 2. */
static inline void sim_interp(double lat1, double lon1, double lat2, double lon2, double f,
                              double *lat, double *lon)
{
    double p1 = lat1 * SIM_DEG, l1 = lon1 * SIM_DEG, p2 = lat2 * SIM_DEG, l2 = lon2 * SIM_DEG;
    double d = sim_dist_km(lat1, lon1, lat2, lon2) / SIM_EARTH_KM;
    if (d < 1e-9) {
        *lat = lat1;
        *lon = lon1;
        return;
    }
    double a = sin((1 - f) * d) / sin(d), b = sin(f * d) / sin(d);
    double x = a * cos(p1) * cos(l1) + b * cos(p2) * cos(l2);
    double y = a * cos(p1) * sin(l1) + b * cos(p2) * sin(l2);
    double z = a * sin(p1) + b * sin(p2);
    *lat = atan2(z, sqrt(x * x + y * y)) / SIM_DEG;
    *lon = atan2(y, x) / SIM_DEG;
}

#endif /* ORBAT_SIM_SIM_UTIL_H */
