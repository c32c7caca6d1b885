/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_geo.c - geodesic vectors, GeoJSON layer parsing, point-in-polygon
 * and distance-to-edge against brute force on the shipped theatre files,
 * and the nearest-site index against brute force.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "geo/geodesic.h"
#include "geo/layer.h"
#include "geo/theatre.h"

static double dms(int d, int m, double s)
{
    double v = abs(d) + m / 60.0 + s / 3600.0;
    return d < 0 ? -v : v;
}

static void test_vincenty(void)
{
    // Vincenty (1975) / Geoscience Australia worked example: Flinders Peak
    // to Buninyong, s = 54972.271 m, alpha1 = 306 52 05.37, alpha2 = 127 10 25.07.
    struct geo_inv r;
    geo_inverse(dms(-37, 57, 3.72030), dms(144, 25, 29.52440), dms(-37, 39, 10.15610),
                dms(143, 55, 35.38390), &r);
    CHECK_NEAR(r.dist_m, 54972.271, 0.001, "Flinders Peak - Buninyong distance (m)");
    CHECK_NEAR(r.azi1_deg, dms(306, 52, 5.37), 1.0 / 3600, "Flinders Peak initial azimuth");
    CHECK_NEAR(r.azi2_deg, dms(127, 10, 25.07) + 180, 1.0 / 3600,
               "Buninyong forward azimuth (reverse 127 10 25.07 + 180)");
    CHECK(!r.spherical, "Vincenty converged");
    // One degree of longitude on the equator = a * pi / 180.
    geo_inverse(0, 0, 0, 1, &r);
    CHECK_NEAR(r.dist_m, GEO_WGS84_A * M_PI / 180, 0.001, "1 deg of longitude on the equator");
    CHECK_NEAR(r.azi1_deg, 90.0, 1e-9, "due east");
    // Quarter meridian of WGS84: 10 001 965.729 m.
    geo_inverse(0, 0, 90, 0, &r);
    CHECK_NEAR(r.dist_m, 10001965.729, 0.01, "equator to pole");
    // First degree of latitude: 110 574.389 m.
    CHECK_NEAR(geo_dist_nm(0, 0, 1, 0) * 1852, 110574.389, 0.01, "0-1 deg latitude");
    CHECK_NEAR(geo_bearing_deg(10, -66, 9, -66), 180.0, 1e-9, "due south");
    CHECK_NEAR(geo_bearing_deg(10, -66, 10, -67), 270.0, 0.1, "west along a parallel (approx)");
    CHECK_NEAR(geo_dist_nm(11, -66, 11, -66), 0.0, 0.0, "coincident points");
    // Nearly antipodal: falls back to the sphere, within 0.5% of pi*R.
    geo_inverse(0, 0, 0.5, 179.7, &r);
    CHECK(r.dist_m > 19900000 && r.dist_m < 20020000, "near-antipodal distance %.0f m", r.dist_m);
    // Fast approximation within 0.5% under 300 nm in the theatre.
    double worst = 0;
    for (int i = 0; i < 200; i++) {
        double la1 = 5 + (i % 20), lo1 = -80 + (i % 17), la2 = la1 + 0.02 * (i % 50) - 0.5;
        double lo2 = lo1 + 0.03 * (i % 33) - 0.4;
        double a = geo_fast_nm(la1, lo1, la2, lo2), b = geo_dist_nm(la1, lo1, la2, lo2);
        if (b > 1 && fabs(a - b) / b > worst)
            worst = fabs(a - b) / b;
    }
    CHECK(worst < 0.005, "geo_fast_nm relative error %.5f < 0.5%%", worst);
}

static const char square_with_hole[] =
    "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[-70,10],[-60,10],[-60,20],[-70,20],[-"
    "70,10]],[[-66,14],[-64,14],[-64,16],[-66,16],[-66,14]]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"Port A\"},\"geometry\":{\"type\":\"Point\","
    "\"coordinates\":[-61.5,12.25]}},"
    "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[["
    "[0,0],[1,1]]]}},"
    "{\"type\":\"Feature\",\"properties\":{},\"geometry\":null}]}";

static void test_parse(void)
{
    enum orbat_err err;
    struct geo_layer *l = geo_layer_parse(square_with_hole, strlen(square_with_hole), "sq", &err);
    CHECK(l != NULL, "square with hole parses (%d)", err);
    if (!l)
        return;
    const struct geo_layer_stats *st = geo_layer_get_stats(l);
    CHECK_EQ_INT(st->rings, 2, "two rings");
    CHECK_EQ_INT(st->skipped, 1, "degenerate ring skipped and counted");
    CHECK_EQ_INT(st->points, 1, "one point");
    CHECK_EQ_INT(st->features, 4, "four features");
    CHECK(geo_layer_contains(l, 12, -68), "inside square");
    CHECK(!geo_layer_contains(l, 15, -65), "inside hole is outside");
    CHECK(!geo_layer_contains(l, 25, -65), "north of square is outside");
    CHECK(!geo_layer_contains(l, 15, -75), "west of square is outside");
    CHECK(geo_layer_contains(l, 15, -60.0001), "just inside east edge");
    CHECK(!geo_layer_contains(l, 15, -59.9999), "just outside east edge");
    CHECK(geo_layer_contains(l, 13.9999, -65), "just south of hole");
    double nlat, nlon;
    double d = geo_layer_dist_nm(l, 15, -59, &nlat, &nlon);
    CHECK_NEAR(d, geo_dist_nm(15, -59, 15, -60), 0.05, "distance to east edge");
    CHECK_NEAR(nlat, 15, 1e-9, "nearest point latitude");
    CHECK_NEAR(nlon, -60, 1e-9, "nearest point longitude");
    d = geo_layer_dist_nm(l, 15, -65, NULL, NULL);
    CHECK_NEAR(d, geo_dist_nm(15, -65, 15, -64), 0.3, "distance from hole centre to hole edge");
    d = geo_layer_dist_nm(l, 15, -40, NULL, NULL);
    CHECK(isinf(d), "beyond GEO_LAYER_MAX_NM is INFINITY");
    double plat, plon;
    const char *pname;
    CHECK_EQ_INT(geo_layer_npoints(l), 1, "points kept");
    geo_layer_point(l, 0, &plat, &plon, &pname);
    CHECK_EQ_STR(pname, "Port A", "point name from properties");
    CHECK_NEAR(plat, 12.25, 0, "point latitude");
    geo_layer_free(l);

    static const char *bad[] = {
        "",
        "[]",
        "{",
        "{\"type\":\"FeatureCollection\"}",
        "null",
        "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,95],[0,0]]]}",
        "{\"type\":\"LineString\",\"coordinates\":[[0,0],[\"x\",1]]}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        l = geo_layer_parse(bad[i], strlen(bad[i]), "bad", &err);
        CHECK(l == NULL && err == ORBAT_E_FORMAT, "bad GeoJSON %zu refused as format error", i);
        geo_layer_free(l);
    }
    const char *open_ring = "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[2,0],[2,2],[0,2]]]}";
    l = geo_layer_parse(open_ring, strlen(open_ring), "open", &err);
    CHECK(l && geo_layer_contains(l, 1, 1), "unclosed ring closed leniently");
    geo_layer_free(l);
    const char *line = "{\"type\":\"LineString\",\"coordinates\":[[-66,10],[-66,12]]}";
    l = geo_layer_parse(line, strlen(line), "line", &err);
    CHECK(l && !geo_layer_contains(l, 11, -66), "lines have no area");
    if (l) {
        d = geo_layer_dist_nm(l, 11, -65, NULL, NULL);
        CHECK_NEAR(d, geo_dist_nm(11, -65, 11, -66), 0.02, "distance to a meridian line");
        d = geo_layer_dist_nm(l, 13, -66, NULL, NULL);
        CHECK_NEAR(d, geo_dist_nm(13, -66, 12, -66), 1e-6, "distance to a line end point");
    }
    geo_layer_free(l);
    CHECK(geo_layer_load("/nonexistent/x.geojson", "x", &err) == NULL && err == ORBAT_E_IO,
          "missing file is an I/O error");
}

/* Brute-force even-odd test over every ring edge (PNPOLY). */
struct brute {
    double *x, *y;
    size_t n;
};

static int read_rings(const char *path, struct brute *b)
{
    // A tiny independent reader: collect every [lon,lat] pair of ring
    // coordinates in order, with NaN separators between rings.
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)len + 1);
    if (!s || fread(s, 1, (size_t)len, f) != (size_t)len) {
        fclose(f);
        free(s);
        return -1;
    }
    fclose(f);
    s[len] = 0;
    size_t cap = 1 << 16;
    b->x = malloc(cap * sizeof(double));
    b->y = malloc(cap * sizeof(double));
    b->n = 0;
    char *p = strstr(s, "\"coordinates\"");
    int depth = 0;
    while (p && *p) {
        if (*p == '[') {
            depth++;
            char *end;
            double lon = strtod(p + 1, &end);
            if (end != p + 1 && *end == ',') {
                double lat = strtod(end + 1, &end);
                if (b->n + 2 >= cap) {
                    cap *= 2;
                    b->x = realloc(b->x, cap * sizeof(double));
                    b->y = realloc(b->y, cap * sizeof(double));
                }
                b->x[b->n] = lon;
                b->y[b->n++] = lat;
                p = strchr(end, ']');
                if (!p)
                    break;
                p++;
                depth--;
                continue;
            }
        } else if (*p == ']') {
            depth--;
            if (b->n && !isnan(b->x[b->n - 1])) {
                b->x[b->n] = NAN;
                b->y[b->n++] = NAN;
            }
        }
        p++;
    }
    free(s);
    return 0;
}

static bool brute_in(const struct brute *b, double lat, double lon)
{
    bool in = false;
    for (size_t i = 0; i + 1 < b->n; i++) {
        if (isnan(b->x[i]) || isnan(b->x[i + 1]))
            continue;
        double ay = b->y[i], by = b->y[i + 1], ax = b->x[i], bx = b->x[i + 1];
        if ((ay > lat) != (by > lat) && lon < ax + (lat - ay) * (bx - ax) / (by - ay))
            in = !in;
    }
    return in;
}

static double brute_dist(const struct brute *b, double lat, double lon)
{
    double best = INFINITY;
    for (size_t i = 0; i + 1 < b->n; i++) {
        if (isnan(b->x[i]) || isnan(b->x[i + 1]))
            continue;
        // Sample each edge densely with the true geodesic distance.
        double ax = b->x[i], ay = b->y[i], bx = b->x[i + 1], by = b->y[i + 1];
        if (geo_fast_nm(lat, lon, ay, ax) > best + 60 && geo_fast_nm(lat, lon, by, bx) > best + 60)
            continue;
        for (int k = 0; k <= 16; k++) {
            double t = k / 16.0;
            double d = geo_dist_nm(lat, lon, ay + t * (by - ay), ax + t * (bx - ax));
            if (d < best)
                best = d;
        }
    }
    return best;
}

static uint64_t rng = 88172645463325252ull;
static double urand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

static void test_real(const char *root)
{
    char path[512];
    enum orbat_err err;
    snprintf(path, sizeof path, "%s/data/geo/caribbean_sea.geojson", root);
    struct geo_layer *car = geo_layer_load(path, "caribbean", &err);
    CHECK(car != NULL, "caribbean_sea loads (%d)", err);
    snprintf(path, sizeof path, "%s/data/geo/venezuela_maritime.geojson", root);
    struct geo_layer *ven = geo_layer_load(path, "ven12", &err);
    CHECK(ven != NULL, "venezuela_maritime loads (%d)", err);
    if (!car || !ven)
        return;
    // Known answers from data/geo/README.md.
    CHECK(geo_layer_contains(car, 11.2, -67.0), "11.2N 67.0W is in the Caribbean Sea");
    CHECK(geo_layer_contains(ven, 10.78, -66.93), "10.78N 66.93W is in Venezuelan waters");
    CHECK(!geo_layer_contains(ven, 10.9, -66.93), "10.9N 66.93W is not");
    CHECK(!geo_layer_contains(car, 25.0, -75.0), "Bahamas are not in the Caribbean Sea");
    CHECK(!geo_layer_contains(car, 8.0, -66.0), "inland Venezuela is not in the sea");

    struct brute b;
    snprintf(path, sizeof path, "%s/data/geo/caribbean_sea.geojson", root);
    CHECK(read_rings(path, &b) == 0, "brute-force reader");
    int mism = 0, n = 20000;
    for (int i = 0; i < n; i++) {
        double lat = 7 + 17 * urand(), lon = -90 + 33 * urand();
        if (geo_layer_contains(car, lat, lon) != brute_in(&b, lat, lon))
            mism++;
    }
    CHECK_EQ_INT(mism, 0, "Caribbean PIP = brute force on 20000 random points");
    free(b.x);
    free(b.y);
    snprintf(path, sizeof path, "%s/data/geo/venezuela_maritime.geojson", root);
    CHECK(read_rings(path, &b) == 0, "brute-force reader (Venezuela)");
    mism = 0;
    double worst = 0;
    for (int i = 0; i < 3000; i++) {
        // Concentrate near the coast, where it matters.
        double lat = 9.5 + 3.5 * urand(), lon = -72 + 12 * urand();
        if (geo_layer_contains(ven, lat, lon) != brute_in(&b, lat, lon))
            mism++;
        if (i < 150) {
            double d = geo_layer_dist_nm(ven, lat, lon, NULL, NULL);
            double e = brute_dist(&b, lat, lon);
            double err_nm = fabs(d - e);
            // brute samples edges at 17 points: it over-estimates by < the
            // sampling gap, so allow 0.2 nm + 0.5%.
            if (err_nm > worst)
                worst = err_nm;
            if (!(err_nm <= 0.2 + 0.005 * e))
                mism += 1000;
        }
    }
    CHECK_EQ_INT(mism, 0, "Venezuela PIP and distance agree with brute force");
    CHECK(worst < 0.5, "worst distance difference %.4f nm", worst);
    free(b.x);
    free(b.y);
    geo_layer_free(car);
    geo_layer_free(ven);
}

/* theatre_near_site (0.1-degree cell index behind a bit filter) against a
 * brute-force search, for random sites and points, both hemispheres. */
static void test_sites(void)
{
    struct theatre *th = calloc(1, sizeof(*th));
    uint64_t r = 88172645463325252ull;
#define RND() (r ^= r << 13, r ^= r >> 7, r ^= r << 17, (double)(r >> 11) / 9007199254740992.0)
    int nsite = 400;
    for (int i = 0; i < nsite; i++) {
        char id[16];
        snprintf(id, sizeof id, "S%d", i);
        double lat = -60 + 120 * RND(), lon = -179 + 358 * RND();
        if (i % 4 == 0) // a cluster, to have neighbours within range
            lat = 10 + 0.5 * RND(), lon = -65 - 0.5 * RND();
        if (theatre_add_site(th, id, id, lat, lon, i % 2 ? TH_SITE_PORT : TH_SITE_AIRFIELD) !=
            ORBAT_OK)
            break;
    }
    CHECK(theatre_index_sites(th) == ORBAT_OK, "site index built");
    int bad = 0, found = 0, n = 20000;
    for (int i = 0; i < n; i++) {
        const struct th_site *s0 = &th->sites[(size_t)(RND() * th->nsites) % th->nsites];
        // near a site (within ~15 km) most of the time, anywhere otherwise
        double lat = s0->lat + (RND() - 0.5) * 0.27, lon = s0->lon + (RND() - 0.5) * 0.27;
        if (i % 10 == 0)
            lat = -80 + 160 * RND(), lon = -180 + 360 * RND();
        unsigned mask = i % 3 == 0 ? TH_SITE_PORT : TH_SITE_PORT | TH_SITE_AIRFIELD;
        double max_m = 1000 + 9000 * RND(), d = -1, bd = max_m;
        const struct th_site *got = theatre_near_site(th, lat, lon, mask, max_m, &d), *want = NULL;
        for (size_t k = 0; k < th->nsites; k++) {
            const struct th_site *s = &th->sites[k];
            if (!(s->kind & mask) || geo_fast_nm(lat, lon, s->lat, s->lon) > 2 * bd / GEO_M_PER_NM)
                continue;
            double dk = geo_dist_nm(lat, lon, s->lat, s->lon) * GEO_M_PER_NM;
            if (dk <= bd) {
                bd = dk;
                want = s;
            }
        }
        found += want != NULL;
        if (got != want || (got && fabs(d - bd) > 1e-6)) {
            if (bad++ < 5)
                printf("# %.5f %.5f mask %u max %.0f: got %s %.1f want %s %.1f\n", lat, lon, mask,
                       max_m, got ? got->id : "-", got ? d : -1, want ? want->id : "-", bd);
        }
    }
#undef RND
    CHECK(bad == 0 && found > n / 10, "nearest site = brute force for %d points (%d near a site)",
          n, found);
    theatre_free(th);
}

/* Point in polygon at vertices (issue 20): the half-open crossing rule
 * counts a ray through a vertex once. A square with a notch cut into its
 * west side: vertices (lon, lat) (0,12), (10,10), (0,8) on the rays of
 * rows lat 12, 10 and 8. Answers are compared with the exact even-odd rule
 * on a fine grid that includes those latitudes and the vertex longitudes. */
static const char notched[] =
    "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[20,0],[20,20],[0,20],[0,12],[10,10],[0,8],"
    "[0,0]]]}";

static bool notched_in(double lat, double lon)
{
    if (lat <= 0 || lat >= 20 || lon <= 0 || lon >= 20)
        return false;
    if (lat > 8 && lat < 12) { // the notch: lon < the edge's lon at lat
        double edge = lat <= 10 ? (lat - 8) * 5 : (12 - lat) * 5;
        return lon > edge;
    }
    return true;
}

static void test_vertices(void)
{
    enum orbat_err err;
    struct geo_layer *l = geo_layer_parse(notched, strlen(notched), "notch", &err);
    CHECK(l != NULL, "notched square parses");
    if (!l)
        return;
    CHECK(geo_layer_contains(l, 9.9, 10), "(10, 9.9) below the notch vertex is inside");
    CHECK(geo_layer_contains(l, 10, 15), "(15, 10) on the vertex's row, east of it, is inside");
    CHECK(!geo_layer_contains(l, 10, 5), "(5, 10) in the notch is outside");
    CHECK(geo_layer_contains(l, 12, 5), "(5, 12) on the row of vertex (0,12) is inside");
    CHECK(geo_layer_contains(l, 8, 5), "(5, 8) on the row of vertex (0,8) is inside");
    CHECK(geo_layer_contains(l, 10.1, 10), "(10, 10.1) above the notch vertex is inside");
    CHECK(!geo_layer_contains(l, 10, 9.9), "(9.9, 10) just west of the vertex is outside");
    int bad = 0, n = 0;
    for (int i = 1; i < 200; i++)
        for (int j = 1; j < 200; j++) {
            double lat = i * 0.1, lon = j * 0.1 + 0.05; // lon never on the vertical edges
            if (fabs(lat - 8) < 1e-9 || fabs(lat - 12) < 1e-9)
                lat = i == 80 ? 8 : 12; // exactly on the vertex rows
            n++;
            if (geo_layer_contains(l, lat, lon) != notched_in(lat, lon) && bad++ < 5)
                printf("# notched square: (%g, %g) wrong\n", lon, lat);
        }
    CHECK(bad == 0, "notched square: %d grid points (vertex rows included) = even-odd rule", n);
    // Distances from the vertex and along the notch edges.
    CHECK_NEAR(geo_layer_dist_nm(l, 10, 10, NULL, NULL), 0, 0.01, "distance 0 at a vertex");
    CHECK_NEAR(geo_layer_dist_nm(l, 10, 11, NULL, NULL), geo_dist_nm(10, 11, 10, 10), 0.2,
               "distance east of the vertex = to the vertex");
    geo_layer_free(l);
}

/* Distances at the antimeridian and the poles (issue 20). */
static void test_antimeridian(void)
{
    double d = geo_dist_nm(0, 179.9, 0, -179.9);
    CHECK_NEAR(d, 0.2 * 60.0 * 1.00073, 0.05, "geo_dist_nm across 180: 0.2 deg on the equator");
    CHECK_NEAR(geo_fast_nm(0, 179.9, 0, -179.9), d, d * 0.005, "geo_fast_nm across 180 (east)");
    CHECK_NEAR(geo_fast_nm(0, -179.9, 0, 179.9), d, d * 0.005, "geo_fast_nm across 180 (west)");
    CHECK_NEAR(geo_fast_nm(10, 180, 10, -180), 0, 1e-9, "180 and -180 are one meridian");
    CHECK_NEAR(geo_fast_nm(60, 170, 60, -170), geo_dist_nm(60, 170, 60, -170),
               geo_dist_nm(60, 170, 60, -170) * 0.01, "geo_fast_nm 20 deg across 180 at 60N");
    CHECK_NEAR(geo_fast_nm(0, -170, 0, 170), geo_fast_nm(0, 170, 0, -170), 1e-9,
               "geo_fast_nm symmetric across 180");
    CHECK_NEAR(geo_fast_nm(0, 10, 0, -170), geo_dist_nm(0, 0, 0, 180), 60,
               "geo_fast_nm of 180 deg of longitude is half the equator, not more");
    CHECK_NEAR(geo_bearing_deg(0, 179.9, 0, -179.9), 90, 0.01, "bearing east across 180");
    CHECK_NEAR(geo_bearing_deg(0, -179.9, 0, 179.9), 270, 0.01, "bearing west across 180");
    // Poles: every meridian meets there.
    CHECK_NEAR(geo_dist_nm(90, 0, 90, 123), 0, 1e-6, "north pole: longitude does not matter");
    CHECK_NEAR(geo_dist_nm(89, 0, 89, 180), geo_dist_nm(89, 0, 90, 0) * 2, 0.01,
               "89N 0E to 89N 180E passes over the pole");
    CHECK_NEAR(geo_dist_nm(-90, 0, 90, 0), 2 * 5400.0 * 1.0, 20, "pole to pole ~10800 nm");
    CHECK_NEAR(geo_bearing_deg(89, 0, 89.5, 0), 0, 1e-6, "due north near the pole");
    // The site index across 180: a port at 179.99E found from 179.99W.
    struct theatre *th = calloc(1, sizeof(*th));
    if (theatre_add_site(th, "P", "P", -17.0, 179.99, TH_SITE_PORT) == ORBAT_OK &&
        theatre_index_sites(th) == ORBAT_OK) {
        double dm = -1;
        const struct th_site *s = theatre_near_site(th, -17.0, -179.99, TH_SITE_PORT, 3000, &dm);
        CHECK(s != NULL && dm < 2200, "site across 180 found (%.0f m)", dm);
        s = theatre_near_site(th, -17.0, -179.99, TH_SITE_PORT, 2000, &dm);
        CHECK(s == NULL, "but not within 2 km");
        s = theatre_near_site(th, -17.0, 179.96, TH_SITE_PORT, 3500, &dm);
        CHECK(s != NULL && dm > 3000, "site 3.2 km west on its own side (%.0f m)", dm);
    }
    theatre_free(th);
}

int main(void)
{
    const char *root = getenv("ROOT");
    test_vincenty();
    test_parse();
    test_sites();
    test_vertices();
    test_antimeridian();
    test_real(root ? root : ".");
    return check_exit();
}
