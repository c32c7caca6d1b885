/* SPDX-License-Identifier: BSD-2-Clause
 *
 * geodesic.c - WGS84 inverse geodesic (Vincenty 1975) with a spherical
 * fallback for nearly antipodal points, plus a fast local approximation.
 * See geodesic.h.
 */
#include "geo/geodesic.h"

#include <math.h>

#define DEG2RAD (M_PI / 180.0)
#define RAD2DEG (180.0 / M_PI)

static double norm360(double a)
{
    a = fmod(a, 360.0);
    if (a < 0)
        a += 360.0;
    if (a >= 360.0)
        a -= 360.0;
    return a;
}

static void spherical(double lat1, double lon1, double lat2, double lon2, struct geo_inv *out)
{
    double p1 = lat1 * DEG2RAD, p2 = lat2 * DEG2RAD, dl = (lon2 - lon1) * DEG2RAD;
    double sp = sin((p2 - p1) / 2), sl = sin(dl / 2);
    double h = sp * sp + cos(p1) * cos(p2) * sl * sl;
    if (h > 1.0)
        h = 1.0;
    out->dist_m = 2 * GEO_MEAN_RADIUS_M * asin(sqrt(h));
    double y = sin(dl) * cos(p2), x = cos(p1) * sin(p2) - sin(p1) * cos(p2) * cos(dl);
    out->azi1_deg = norm360(atan2(y, x) * RAD2DEG);
    y = sin(-dl) * cos(p1);
    x = cos(p2) * sin(p1) - sin(p2) * cos(p1) * cos(dl);
    out->azi2_deg = norm360(atan2(y, x) * RAD2DEG + 180.0);
    out->spherical = true;
}

void geo_inverse(double lat1, double lon1, double lat2, double lon2, struct geo_inv *out)
{
    const double a = GEO_WGS84_A, f = GEO_WGS84_F, b = (1 - f) * a;
    // Vincenty (1975), inverse formulae (3)-(6), (10)-(11), (13)-(20).
    double L = (lon2 - lon1) * DEG2RAD;
    L = remainder(L, 2 * M_PI);
    double U1 = atan((1 - f) * tan(lat1 * DEG2RAD));
    double U2 = atan((1 - f) * tan(lat2 * DEG2RAD));
    double sinU1 = sin(U1), cosU1 = cos(U1), sinU2 = sin(U2), cosU2 = cos(U2);
    double lambda = L, sin_sigma = 0, cos_sigma = 1, sigma = 0, cos2_alpha = 1, cos_2sm = 0;
    double sin_l = 0, cos_l = 1;
    int iter;
    out->spherical = false;
    for (iter = 0; iter < 200; iter++) {
        sin_l = sin(lambda);
        cos_l = cos(lambda);
        double t1 = cosU2 * sin_l, t2 = cosU1 * sinU2 - sinU1 * cosU2 * cos_l;
        sin_sigma = sqrt(t1 * t1 + t2 * t2);
        if (sin_sigma == 0) {
            out->dist_m = 0;
            out->azi1_deg = out->azi2_deg = 0;
            return;
        }
        cos_sigma = sinU1 * sinU2 + cosU1 * cosU2 * cos_l;
        sigma = atan2(sin_sigma, cos_sigma);
        double sin_alpha = cosU1 * cosU2 * sin_l / sin_sigma;
        cos2_alpha = 1 - sin_alpha * sin_alpha;
        cos_2sm = cos2_alpha != 0 ? cos_sigma - 2 * sinU1 * sinU2 / cos2_alpha : 0;
        double C = f / 16 * cos2_alpha * (4 + f * (4 - 3 * cos2_alpha));
        double prev = lambda;
        lambda = L + (1 - C) * f * sin_alpha *
                         (sigma +
                          C * sin_sigma * (cos_2sm + C * cos_sigma * (-1 + 2 * cos_2sm * cos_2sm)));
        if (fabs(lambda - prev) < 1e-12)
            break;
        if (fabs(lambda) > M_PI) {
            iter = 200;
            break;
        }
    }
    if (iter >= 200) {
        spherical(lat1, lon1, lat2, lon2, out);
        return;
    }
    double u2 = cos2_alpha * (a * a - b * b) / (b * b);
    double A = 1 + u2 / 16384 * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
    double B = u2 / 1024 * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
    double ds = B * sin_sigma *
                (cos_2sm + B / 4 *
                               (cos_sigma * (-1 + 2 * cos_2sm * cos_2sm) -
                                B / 6 * cos_2sm * (-3 + 4 * sin_sigma * sin_sigma) *
                                    (-3 + 4 * cos_2sm * cos_2sm)));
    out->dist_m = b * A * (sigma - ds);
    out->azi1_deg = norm360(atan2(cosU2 * sin_l, cosU1 * sinU2 - sinU1 * cosU2 * cos_l) * RAD2DEG);
    out->azi2_deg = norm360(atan2(cosU1 * sin_l, -sinU1 * cosU2 + cosU1 * sinU2 * cos_l) * RAD2DEG);
}

double geo_dist_nm(double lat1, double lon1, double lat2, double lon2)
{
    struct geo_inv r;
    geo_inverse(lat1, lon1, lat2, lon2, &r);
    return r.dist_m / GEO_M_PER_NM;
}

double geo_bearing_deg(double lat1, double lon1, double lat2, double lon2)
{
    struct geo_inv r;
    geo_inverse(lat1, lon1, lat2, lon2, &r);
    return r.azi1_deg;
}
