/* SPDX-License-Identifier: BSD-2-Clause
 *
 * geodesic.h - distances and bearings on the WGS84 ellipsoid.
 *
 * geo_inverse solves the inverse geodesic problem with Vincenty's formulae
 * (T. Vincenty, "Direct and inverse solutions of geodesics on the ellipsoid
 * with application of nested equations", Survey Review XXIII(176), 1975),
 * accurate to well under a millimetre. For nearly antipodal points, where
 * Vincenty's iteration does not converge, it falls back to the spherical
 * great-circle distance on the WGS84 mean radius (error < 0.5%) and says so
 * in the result. Pure functions: no state, no allocation.
 */
#ifndef ORBAT_GEO_GEODESIC_H
#define ORBAT_GEO_GEODESIC_H

#include <math.h>
#include <stdbool.h>

#define GEO_WGS84_A       6378137.0
#define GEO_WGS84_F       (1.0 / 298.257223563)
#define GEO_M_PER_NM      1852.0
#define GEO_MEAN_RADIUS_M 6371008.8

struct geo_inv {
    double dist_m;   /* geodesic distance in metres */
    double azi1_deg; /* initial bearing at point 1, [0, 360) true */
    double azi2_deg; /* final bearing at point 2 (forward), [0, 360) */
    bool spherical;  /* true when the spherical fallback was used */
};

/* Inverse problem from (lat1, lon1) to (lat2, lon2), degrees. */
void geo_inverse(double lat1, double lon1, double lat2, double lon2, struct geo_inv *out);
/* Geodesic distance in nautical miles (1852 m). */
double geo_dist_nm(double lat1, double lon1, double lat2, double lon2);
/* Initial true bearing in degrees [0, 360) from point 1 to point 2. */
double geo_bearing_deg(double lat1, double lon1, double lat2, double lon2);

/* cos(lat) for a latitude in degrees within [-90, 90], by its Taylor
 * series to x^12 (absolute error < 1e-8): cheaper than libm's cos. */
static inline double geo_cos_lat(double lat_deg)
{
    double x = lat_deg * (3.14159265358979323846 / 180.0), x2 = x * x;
    return 1 + x2 * (-1.0 / 2 +
                     x2 * (1.0 / 24 +
                           x2 * (-1.0 / 720 + x2 * (1.0 / 40320 + x2 * (-1.0 / 3628800 +
                                                                        x2 * (1.0 / 479001600))))));
}

/* Fast approximate distance in nm (equirectangular at the mean latitude);
 * relative error below 0.5% for separations under ~300 nm away from the
 * poles. For hot-path filters only; events report geo_dist_nm. Inline: it
 * runs several times per position update. geo_fast_nm2 is its square (for
 * comparisons without the square root). */
static inline double geo_fast_nm2(double lat1, double lon1, double lat2, double lon2)
{
    // Equirectangular on the ellipsoid's local radii at the mean latitude:
    // M (meridian) and N cos(phi) (parallel), with 1/w^3 and 1/w expanded
    // to first order in e^2 sin^2(phi) (the dropped terms are < 1e-5).
    double c = geo_cos_lat((lat1 + lat2) * 0.5);
    double s2 = 1.0 - c * c;
    const double e2 = GEO_WGS84_F * (2 - GEO_WGS84_F);
    // nm per degree on the equatorial radius
    const double k = GEO_WGS84_A * (3.14159265358979323846 / 180.0) / GEO_M_PER_NM;
    double m_lat = k * (1 - e2) * (1 + 1.5 * e2 * s2);
    double m_lon = k * c * (1 + 0.5 * e2 * s2);
    double dlon = lon2 - lon1;
    if (dlon > 180.0)
        dlon -= 360.0;
    else if (dlon < -180.0)
        dlon += 360.0;
    double dx = dlon * m_lon, dy = (lat2 - lat1) * m_lat;
    return dx * dx + dy * dy;
}

static inline double geo_fast_nm(double lat1, double lon1, double lat2, double lon2)
{
    return sqrt(geo_fast_nm2(lat1, lon1, lat2, lon2));
}

#endif /* ORBAT_GEO_GEODESIC_H */
