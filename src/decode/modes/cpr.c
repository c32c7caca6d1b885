/* SPDX-License-Identifier: BSD-2-Clause
 *
 * cpr.c - Compact Position Reporting decoding (DO-260B appendix A, A.1.7;
 * ICAO Annex 10 Vol IV / Doc 9871 C.2.6): the NL() zone function, global
 * airborne decoding of an even/odd pair, global surface decoding with a
 * reference to resolve the 90-degree ambiguity, local (relative) decoding
 * against a reference, and the receiver-less surface candidate set.
 * Arithmetic follows dump1090-fa's cpr.c (same rounding and renormalisation)
 * so results agree with its cprtests table to 1e-6 deg.
 */
#include "orbat/modes.h"

#include <math.h>

#define CPR_SCALE 131072.0 /* 2^17 */

// Latitude thresholds where NL steps down from 59 (index 0) to 1 (beyond
// the last): lat_NL = acos(sqrt((1 - cos(pi/30)) / (1 - cos(2 pi / NL)))),
// A.1.7.2 d, computed in double precision offline.
// clang-format off
static const double cpr_nl_table[58] = {
    10.47047129996848, 14.828174368686794, 18.186263570713354, 21.029394926028463,
    23.545044865570706, 25.829247070587755, 27.938987101219045, 29.911356857318083,
    31.77209707681077, 33.53993436298484, 35.22899597796385, 36.85025107593526,
    38.41241892412256, 39.922566843338615, 41.38651832260239, 42.80914012243555,
    44.194549514192744, 45.546267226602346, 46.867332524987454, 48.160391280966216,
    49.42776439255687, 50.67150165553835, 51.893424691687684, 53.09516152796003,
    54.278174722729, 55.44378444495043, 56.59318756205918, 57.72747353866114,
    58.84763776148457, 59.954592766940294, 61.04917774246351, 62.13216659210329,
    63.20427479381928, 64.2661652256744, 65.31845309682089, 66.36171008382617,
    67.39646774084667, 68.4232202208333, 69.44242631144024, 70.454510749876,
    71.45986473028982, 72.45884544728945, 73.45177441667865, 74.43893415725137,
    75.42056256653356, 76.39684390794469, 77.36789461328188, 78.33374082922747,
    79.29428225456925, 80.24923213280512, 81.19801349271948, 82.13956980510606,
    83.07199444719814, 83.99173562980565, 84.89166190702085, 85.75541620944418,
    86.535369975121, 87.0,
};
// clang-format on

int orbat_modes_cpr_nl(double lat)
{
    if (lat < 0)
        lat = -lat;
    // A.1.7.2 d: NL(+-87) = 2, NL = 1 only beyond 87 degrees.
    if (lat >= 87.0)
        return lat > 87.0 ? 1 : 2;
    // Binary search for the number of thresholds <= lat.
    unsigned lo = 0, hi = 58;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        if (lat < cpr_nl_table[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    return 59 - (int)lo;
}

static int cpr_mod_int(int a, int b)
{
    int r = a % b;
    return r < 0 ? r + b : r;
}

static int cpr_n(double lat, bool odd)
{
    int n = orbat_modes_cpr_nl(lat) - (odd ? 1 : 0);
    return n < 1 ? 1 : n;
}

static double cpr_dlon(double lat, bool odd, bool surface)
{
    return (surface ? 90.0 : 360.0) / cpr_n(lat, odd);
}

// Longitude from the pair once the latitude of the newest frame is known
// (A.1.7.7 / A.1.7.8 step c-e).
static double cpr_pair_lon(double rlat, double lon0, double lon1, bool odd_newest, bool surface)
{
    int nl = orbat_modes_cpr_nl(rlat);
    int ni = cpr_n(rlat, odd_newest);
    int m = (int)floor(((lon0 * (nl - 1)) - (lon1 * nl)) / CPR_SCALE + 0.5);
    double frac = (odd_newest ? lon1 : lon0) / CPR_SCALE;
    return cpr_dlon(rlat, odd_newest, surface) * (cpr_mod_int(m, ni) + frac);
}

enum orbat_err orbat_modes_cpr_global_airborne(uint32_t even_lat, uint32_t even_lon,
                                               uint32_t odd_lat, uint32_t odd_lon, bool odd_newest,
                                               double *lat, double *lon)
{
    // A.1.7.7: global airborne decoding.
    const double dlat0 = 360.0 / 60.0, dlat1 = 360.0 / 59.0;
    double lat0 = even_lat & 0x1ffff, lat1 = odd_lat & 0x1ffff;
    double lon0 = even_lon & 0x1ffff, lon1 = odd_lon & 0x1ffff;
    int j = (int)floor((59 * lat0 - 60 * lat1) / CPR_SCALE + 0.5);
    double rlat0 = dlat0 * (cpr_mod_int(j, 60) + lat0 / CPR_SCALE);
    double rlat1 = dlat1 * (cpr_mod_int(j, 59) + lat1 / CPR_SCALE);
    if (rlat0 >= 270)
        rlat0 -= 360;
    if (rlat1 >= 270)
        rlat1 -= 360;
    if (rlat0 < -90 || rlat0 > 90 || rlat1 < -90 || rlat1 > 90)
        return ORBAT_E_CPR;
    // Both frames must lie in the same longitude zone count (step b).
    if (orbat_modes_cpr_nl(rlat0) != orbat_modes_cpr_nl(rlat1))
        return ORBAT_E_CPR;
    double rlat = odd_newest ? rlat1 : rlat0;
    double rlon = cpr_pair_lon(rlat, lon0, lon1, odd_newest, false);
    rlon -= floor((rlon + 180) / 360) * 360;
    *lat = rlat;
    *lon = rlon;
    return ORBAT_OK;
}

// Surface latitude: of the candidates rlat and rlat - 90 (only -90..90 is
// valid), pick the one nearest the reference; 0 also encodes +-90.
static double cpr_surface_lat(double rlat, double ref_lat)
{
    if (rlat == 0) {
        if (ref_lat < -45)
            return -90;
        if (ref_lat > 45)
            return 90;
        return 0;
    }
    if (rlat - ref_lat > 45)
        return rlat - 90;
    return rlat;
}

enum orbat_err orbat_modes_cpr_global_surface(double ref_lat, double ref_lon, uint32_t even_lat,
                                              uint32_t even_lon, uint32_t odd_lat, uint32_t odd_lon,
                                              bool odd_newest, double *lat, double *lon)
{
    // A.1.7.8: global surface decoding; the encoding spans 90 degrees, so a
    // reference picks the latitude hemisphere and the longitude quadrant.
    const double dlat0 = 90.0 / 60.0, dlat1 = 90.0 / 59.0;
    double lat0 = even_lat & 0x1ffff, lat1 = odd_lat & 0x1ffff;
    double lon0 = even_lon & 0x1ffff, lon1 = odd_lon & 0x1ffff;
    if (!(ref_lat >= -90 && ref_lat <= 90 && ref_lon >= -180 && ref_lon <= 180))
        return ORBAT_E_RANGE;
    int j = (int)floor((59 * lat0 - 60 * lat1) / CPR_SCALE + 0.5);
    double rlat0 = dlat0 * (cpr_mod_int(j, 60) + lat0 / CPR_SCALE);
    double rlat1 = dlat1 * (cpr_mod_int(j, 59) + lat1 / CPR_SCALE);
    rlat0 = cpr_surface_lat(rlat0, ref_lat);
    rlat1 = cpr_surface_lat(rlat1, ref_lat);
    if (rlat0 < -90 || rlat0 > 90 || rlat1 < -90 || rlat1 > 90)
        return ORBAT_E_CPR;
    if (orbat_modes_cpr_nl(rlat0) != orbat_modes_cpr_nl(rlat1))
        return ORBAT_E_CPR;
    double rlat = odd_newest ? rlat1 : rlat0;
    double rlon = cpr_pair_lon(rlat, lon0, lon1, odd_newest, true);
    // All four longitude quadrants are valid: move by multiples of 90 deg
    // to the one nearest the reference, then renormalise.
    rlon += floor((ref_lon - rlon + 45) / 90) * 90;
    rlon -= floor((rlon + 180) / 360) * 360;
    *lat = rlat;
    *lon = rlon;
    return ORBAT_OK;
}

enum orbat_err orbat_modes_cpr_local(double ref_lat, double ref_lon, uint32_t cpr_lat,
                                     uint32_t cpr_lon, bool odd, bool surface, double *lat,
                                     double *lon)
{
    // A.1.7.5 (airborne) / A.1.7.6 (surface): locally unambiguous decoding.
    if (!(ref_lat >= -90 && ref_lat <= 90 && ref_lon >= -180 && ref_lon <= 180))
        return ORBAT_E_RANGE;
    double flat = (cpr_lat & 0x1ffff) / CPR_SCALE, flon = (cpr_lon & 0x1ffff) / CPR_SCALE;
    double dlat = (surface ? 90.0 : 360.0) / (odd ? 59.0 : 60.0);
    // j = floor(ref/dlat) + floor(0.5 + MOD(ref, dlat)/dlat - YZ/2^17), written
    // as one floor so that floor() and fmod() cannot disagree when the
    // reference sits on a zone boundary.
    double j = floor(ref_lat / dlat + 0.5 - flat);
    double rlat = dlat * (j + flat);
    if (rlat >= 270)
        rlat -= 360;
    if (rlat < -90 || rlat > 90 || fabs(rlat - ref_lat) > dlat / 2)
        return ORBAT_E_CPR;
    double dlon = cpr_dlon(rlat, odd, surface);
    double m = floor(ref_lon / dlon + 0.5 - flon);
    double rlon = dlon * (m + flon);
    if (rlon > 180)
        rlon -= 360;
    if (rlon < -180)
        rlon += 360;
    if (fabs(rlon - ref_lon) > dlon / 2 && fabs(rlon - ref_lon) < 360 - dlon / 2)
        return ORBAT_E_CPR;
    *lat = rlat;
    *lon = rlon;
    return ORBAT_OK;
}

size_t orbat_modes_cpr_surface_candidates(uint32_t even_lat, uint32_t even_lon, uint32_t odd_lat,
                                          uint32_t odd_lon, bool odd_newest, double lat[8],
                                          double lon[8])
{
    // Without any reference a surface pair fixes the position only modulo
    // 90 deg of longitude and to one of two hemispheres (A.1.7.8 note):
    // list every consistent candidate and let the caller choose.
    size_t n = 0;
    const double refs[2] = {45.0, -45.0};
    for (int h = 0; h < 2; h++) {
        double la, lo;
        if (orbat_modes_cpr_global_surface(refs[h], 0.0, even_lat, even_lon, odd_lat, odd_lon,
                                           odd_newest, &la, &lo) != ORBAT_OK)
            continue;
        if (h == 1 && n > 0 && la == lat[0])
            continue; // latitude 0 (or +-90) gives the same candidates twice
        for (int q = 0; q < 4; q++) {
            double x = lo + 90.0 * q;
            x -= floor((x + 180) / 360) * 360;
            lat[n] = la;
            lon[n] = x;
            n++;
        }
    }
    return n;
}
