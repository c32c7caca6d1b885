/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_cpr.c - CPR decoding (DO-260B A.1.7): NL() edge cases, round trips
 * of a reference encoder (A.1.7.3) through global airborne, local and
 * surface decoding over a world grid (poles, equator, antimeridian), zone
 * crossing rejection, the surface 90-degree ambiguity and the receiver-less
 * candidate set.
 */
#include <math.h>
#include <string.h>

#include "check.h"
#include "orbat/modes.h"

static double pmod(double a, double b)
{
    double r = fmod(a, b);
    return r < 0 ? r + b : r;
}

// A.1.7.3 encoding, i = 0 even / 1 odd.
static void cpr_encode(double lat, double lon, int i, bool surface, uint32_t *yz, uint32_t *xz)
{
    double span = surface ? 90.0 : 360.0;
    double dlat = span / (60 - i);
    double y = floor(131072.0 * pmod(lat, dlat) / dlat + 0.5);
    double rlat = dlat * (y / 131072.0 + floor(lat / dlat));
    int nl = orbat_modes_cpr_nl(rlat) - i;
    double dlon = nl > 0 ? span / nl : span;
    double x = floor(131072.0 * pmod(lon, dlon) / dlon + 0.5);
    *yz = (uint32_t)y & 0x1ffff;
    *xz = (uint32_t)x & 0x1ffff;
}

static double londiff(double a, double b)
{
    double d = fabs(a - b);
    return d > 180 ? 360 - d : d;
}

static void test_nl(void)
{
    CHECK_EQ_INT(orbat_modes_cpr_nl(0), 59, "NL(0)");
    CHECK_EQ_INT(orbat_modes_cpr_nl(10.4704), 59, "NL just below first boundary");
    CHECK_EQ_INT(orbat_modes_cpr_nl(10.4705), 58, "NL just above first boundary");
    CHECK_EQ_INT(orbat_modes_cpr_nl(-10.4705), 58, "NL symmetric");
    CHECK_EQ_INT(orbat_modes_cpr_nl(86.9), 2, "NL(86.9)");
    CHECK_EQ_INT(orbat_modes_cpr_nl(87.0), 2, "NL(87) = 2");
    CHECK_EQ_INT(orbat_modes_cpr_nl(87.0001), 1, "NL(>87) = 1");
    CHECK_EQ_INT(orbat_modes_cpr_nl(-90), 1, "NL(-90)");
    int mono = 1;
    for (double l = 0; l < 90; l += 0.01)
        mono &= orbat_modes_cpr_nl(l) >= orbat_modes_cpr_nl(l + 0.01);
    CHECK(mono, "NL is non-increasing in |lat|");
}

// One CPR cell of longitude at this latitude (airborne): 360 / NL / 2^17.
static double lon_cell(double lat)
{
    return 360.0 / orbat_modes_cpr_nl(lat) / 131072.0;
}

static void test_roundtrip(void)
{
    int n = 0, glob = 0, loc = 0, surf = 0;
    double worst = 0;
    for (double lat = -89.5; lat <= 89.5; lat += 3.7) {
        for (double lon = -179.9; lon < 180; lon += 7.3) {
            uint32_t ey, ex, oy, ox;
            cpr_encode(lat, lon, 0, false, &ey, &ex);
            cpr_encode(lat, lon, 1, false, &oy, &ox);
            n++;
            double la = 0, lo = 0;
            for (int odd = 0; odd < 2; odd++) {
                if (orbat_modes_cpr_global_airborne(ey, ex, oy, ox, odd, &la, &lo) == ORBAT_OK &&
                    fabs(la - lat) < 1e-4 && londiff(lo, lon) <= lon_cell(lat))
                    glob++;
                else if (odd == 0)
                    printf("# global miss %f %f -> %f %f\n", lat, lon, la, lo);
                double d = fabs(la - lat);
                if (d > worst)
                    worst = d;
            }
            // Local: reference 1 deg away.
            double rl = lat + (lat > 0 ? -1 : 1), rn = lon + 1.5;
            if (rn >= 180)
                rn -= 360;
            if (orbat_modes_cpr_local(rl, rn, ey, ex, false, false, &la, &lo) == ORBAT_OK &&
                fabs(la - lat) < 1e-4 && londiff(lo, lon) <= lon_cell(lat))
                loc++;
            // Surface: pair with a reference 20 deg away.
            uint32_t sey, sex, soy, sox;
            cpr_encode(lat, lon, 0, true, &sey, &sex);
            cpr_encode(lat, lon, 1, true, &soy, &sox);
            double sr = lat + (lat > 0 ? -20 : 20), sn = lon + 20;
            if (sn >= 180)
                sn -= 360;
            if (orbat_modes_cpr_global_surface(sr, sn, sey, sex, soy, sox, true, &la, &lo) ==
                    ORBAT_OK &&
                fabs(la - lat) < 1e-4 && londiff(lo, lon) < 1e-3)
                surf++;
        }
    }
    // Pairs straddling an NL boundary cannot be decoded (by design); allow
    // the few grid points that land within one CPR cell of a boundary.
    CHECK(glob >= 2 * n - 4, "global airborne round trip %d of %d", glob, 2 * n);
    CHECK_EQ_INT(loc, n, "local decode round trip");
    CHECK(surf >= n - 2, "surface global round trip %d of %d", surf, n);
    CHECK(worst < 1e-4, "worst global latitude error %.2g deg", worst);
}

static void test_edges(void)
{
    double la = 0, lo = 0;
    // Zone crossing: even at 66.38 (NL 23) vs odd at 66.36 (NL 24) - pyModeS vector.
    CHECK_EQ_INT(orbat_modes_cpr_global_airborne(8192, 0, 114688, 0, false, &la, &lo), ORBAT_E_CPR,
                 "pair across an NL boundary rejected");
    // Antimeridian: a point at 179.99 E and one at -179.99.
    uint32_t ey, ex, oy, ox;
    cpr_encode(10.0, 179.999, 0, false, &ey, &ex);
    cpr_encode(10.0, 179.999, 1, false, &oy, &ox);
    CHECK(orbat_modes_cpr_global_airborne(ey, ex, oy, ox, true, &la, &lo) == ORBAT_OK &&
              londiff(lo, 179.999) < 1e-3 && lo >= -180 && lo < 180,
          "antimeridian lon %.5f normalised", lo);
    // Surface ambiguity: same pair, references 90 deg apart give lons 90 apart.
    cpr_encode(43.6, 1.37, 0, true, &ey, &ex);
    cpr_encode(43.6, 1.37, 1, true, &oy, &ox);
    double a1 = 0, o1 = 0, a2 = 0, o2 = 0;
    CHECK(orbat_modes_cpr_global_surface(43, 1, ey, ex, oy, ox, false, &a1, &o1) == ORBAT_OK &&
              orbat_modes_cpr_global_surface(43, 91, ey, ex, oy, ox, false, &a2, &o2) == ORBAT_OK &&
              fabs(a1 - a2) < 1e-9 && fabs(o2 - o1 - 90) < 1e-6,
          "surface: longitude quadrant follows the reference (%.4f %.4f)", o1, o2);
    CHECK(orbat_modes_cpr_global_surface(-43, 1, ey, ex, oy, ox, false, &a2, &o2) == ORBAT_OK &&
              fabs(a2 - (a1 - 90)) < 1e-9,
          "surface: southern reference picks lat - 90 (%.4f)", a2);
    CHECK_EQ_INT(orbat_modes_cpr_global_surface(NAN, 0, ey, ex, oy, ox, false, &a2, &o2),
                 ORBAT_E_RANGE, "NaN reference rejected");
    CHECK_EQ_INT(orbat_modes_cpr_local(0, 200, ey, ex, false, false, &a2, &o2), ORBAT_E_RANGE,
                 "out-of-range reference rejected");
    // Receiver-less: 8 candidates, the true position among them.
    double cl[8], cn[8];
    size_t n = orbat_modes_cpr_surface_candidates(ey, ex, oy, ox, false, cl, cn);
    int hit = 0;
    for (size_t i = 0; i < n; i++)
        hit += fabs(cl[i] - 43.6) < 1e-4 && londiff(cn[i], 1.37) < 1e-3;
    CHECK(n == 8 && hit == 1, "receiver-less surface: %zu candidates, true one once", n);
    // Local decode with a far reference gives a position within half a zone
    // of the reference, not the true one (documented limitation).
    cpr_encode(50.0, 10.0, 0, false, &ey, &ex);
    CHECK(orbat_modes_cpr_local(50.0, 10.2, ey, ex, false, false, &la, &lo) == ORBAT_OK &&
              fabs(la - 50) < 1e-4,
          "local near reference");
    CHECK(orbat_modes_cpr_local(56.5, 10.0, ey, ex, false, false, &la, &lo) != ORBAT_OK ||
              fabs(la - 50) > 1,
          "local with a reference > half a zone away cannot recover the position");
}

int main(void)
{
    test_nl();
    test_roundtrip();
    test_edges();
    return check_exit();
}
