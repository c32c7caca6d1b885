/* SPDX-License-Identifier: BSD-2-Clause
 *
 * scenario.c - load a simulation scenario from JSON (jansson), resolve
 * route times from speeds and dwells, generate the background civil
 * traffic from the seed, and answer "where is asset X at time t".
 * The file format is described in docs/simulator.md.
 */
#include "sim/scenario.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim_util.h"

#define MAX_ASSETS 4096
#define MAX_WP     200000
#define DAY_MS     86400000.0
#define MAX_SPAN_D 400.0 /* longest scenario, days (Beast ticks wrap after 271) */
#define MARGIN_D   30.0  /* route points may start/end this long outside the span */

/* ---- time ---- */

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

bool sim_parse_time(const char *s, int64_t *ms)
{
    int y, mo, d, h = 0, mi = 0, se = 0;
    char tail[4] = {0};
    if (!s)
        return false;
    size_t n = strlen(s);
    if (n == 10) {
        if (sscanf(s, "%4d-%2d-%2d", &y, &mo, &d) != 3)
            return false;
    } else if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%3s", &y, &mo, &d, &h, &mi, &se, tail) < 6) {
        return false;
    }
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60 || h < 0 || mi < 0 ||
        se < 0)
        return false;
    if (n != 10 && strcmp(tail, "Z") != 0)
        return false;
    int64_t days = days_from_civil(y, (unsigned)mo, (unsigned)d);
    *ms = ((days * 86400) + h * 3600 + mi * 60 + se) * 1000;
    return true;
}

void sim_format_time(int64_t ms, char *buf, size_t n)
{
    int64_t secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
    int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    int64_t sod = secs - days * 86400;
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned dd = doy - (153 * mp + 2) / 5 + 1;
    unsigned mm = mp < 10 ? mp + 3 : mp - 9;
    long long yy = (long long)yoe + era * 400 + (mm <= 2);
    snprintf(buf, n, "%04lld-%02u-%02uT%02d:%02d:%02dZ", yy, mm, dd, (int)(sod / 3600),
             (int)(sod / 60 % 60), (int)(sod % 60));
}

/* ---- geometry on routes ---- */

static size_t wp_segment(const struct sim_asset *a, int64_t t)
{
    size_t lo = 0, hi = a->nwp - 1; // find i with wp[i].t <= t < wp[i+1].t
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (a->wp[mid].t_ms <= t)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

bool sim_position(const struct sim_asset *a, int64_t t_ms, double *lat, double *lon, double *alt_ft,
                  double *speed_kn, double *course_deg)
{
    if (a->nwp < 2 || t_ms < a->wp[0].t_ms || t_ms > a->wp[a->nwp - 1].t_ms)
        return false;
    size_t i = wp_segment(a, t_ms);
    const struct sim_wp *p = &a->wp[i], *q = &a->wp[i + 1];
    double span = (double)(q->t_ms - p->t_ms);
    double f = span > 0 ? (double)(t_ms - p->t_ms) / span : 0.0;
    if (f > 1.0)
        f = 1.0;
    *alt_ft = p->alt_ft + (q->alt_ft - p->alt_ft) * f;
    double d = p->seg_rad;
    double x, y, z;
    if (d < 1e-12) {
        x = p->x;
        y = p->y;
        z = p->z;
    } else {
        // Spherical linear interpolation of the endpoint unit vectors.
        double sd = sin(d), ca = sin((1 - f) * d) / sd, cb = sin(f * d) / sd;
        x = ca * p->x + cb * q->x;
        y = ca * p->y + cb * q->y;
        z = ca * p->z + cb * q->z;
    }
    double r = sqrt(x * x + y * y);
    *lat = atan2(z, r) / SIM_DEG;
    *lon = atan2(y, x) / SIM_DEG;
    *speed_kn = span > 0 ? d * SIM_EARTH_KM / SIM_NM_KM / (span / 3600000.0) : 0.0;
    *course_deg = 0.0;
    if (d >= 1e-12 && r > 1e-12) {
        // Bearing to the leg's end: tangent of Q at P against local north/east.
        double pq = x * q->x + y * q->y + z * q->z;
        double tx = q->x - pq * x, ty = q->y - pq * y, tz = q->z - pq * z;
        double sl = y / r, cl = x / r;
        double east = -sl * tx + cl * ty;
        double north = -z * cl * tx - z * sl * ty + r * tz;
        if (f > 0.999999) { // at the end point: the leg's arrival direction
            double pp = p->x * x + p->y * y + p->z * z;
            tx = x - pp * p->x;
            ty = y - pp * p->y;
            tz = z - pp * p->z;
            double rp = sqrt(p->x * p->x + p->y * p->y);
            double slp = p->y / rp, clp = p->x / rp;
            east = -slp * tx + clp * ty;
            north = -p->z * clp * tx - p->z * slp * ty + rp * tz;
        }
        double b = atan2(east, north) / SIM_DEG;
        *course_deg = b < 0 ? b + 360.0 : b;
        if (*course_deg >= 360.0)
            *course_deg -= 360.0;
    }
    return true;
}

double sim_vrate_fpm(const struct sim_asset *a, int64_t t_ms)
{
    if (a->nwp < 2 || t_ms < a->wp[0].t_ms || t_ms >= a->wp[a->nwp - 1].t_ms)
        return 0.0;
    size_t i = wp_segment(a, t_ms);
    double span_min = (double)(a->wp[i + 1].t_ms - a->wp[i].t_ms) / 60000.0;
    return span_min > 0 ? (a->wp[i + 1].alt_ft - a->wp[i].alt_ft) / span_min : 0.0;
}

/* Unit vectors and leg angles for every route point (after loading). */
static void prepare_routes(struct scenario *s)
{
    for (size_t k = 0; k < s->nassets; k++) {
        struct sim_asset *a = &s->assets[k];
        for (size_t i = 0; i < a->nwp; i++) {
            struct sim_wp *w = &a->wp[i];
            double la = w->lat * SIM_DEG, lo = w->lon * SIM_DEG;
            w->x = cos(la) * cos(lo);
            w->y = cos(la) * sin(lo);
            w->z = sin(la);
            w->seg_rad = 0;
        }
        for (size_t i = 0; i + 1 < a->nwp; i++)
            a->wp[i].seg_rad =
                sim_dist_km(a->wp[i].lat, a->wp[i].lon, a->wp[i + 1].lat, a->wp[i + 1].lon) /
                SIM_EARTH_KM;
    }
}

bool sim_transmitting(const struct sim_asset *a, int64_t t_ms)
{
    if (a->transponder_off)
        return false;
    for (size_t i = 0; i < a->noff; i++)
        if (t_ms >= a->off[i].from_ms && t_ms < a->off[i].to_ms)
            return false;
    return true;
}

bool sim_in_theatre(const struct scenario *s, double lat, double lon)
{
    if (s->ntheatre < 3)
        return true;
    bool in = false;
    for (size_t i = 0, j = s->ntheatre - 1; i < s->ntheatre; j = i++) {
        double xi = s->theatre[i][0], yi = s->theatre[i][1];
        double xj = s->theatre[j][0], yj = s->theatre[j][1];
        if (((yi > lat) != (yj > lat)) && (lon < (xj - xi) * (lat - yi) / (yj - yi) + xi))
            in = !in;
    }
    return in;
}

/* ---- JSON helpers ---- */

struct loader {
    struct scenario *s;
    char *err;
    size_t errsz;
    size_t cap_assets;
    struct sim_rng rng;
};

static bool fail(struct loader *L, const char *where, const char *msg)
{
    snprintf(L->err, L->errsz, "%s: %s", where, msg);
    return false;
}

static double jnum(const json_t *o, const char *key, double def)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : def;
}

/* jnum with a legal range: false (and an error naming where/key) outside it. */
static bool jnum_in(struct loader *L, const json_t *o, const char *key, double def, double lo,
                    double hi, double *out, const char *where)
{
    double v = jnum(o, key, def);
    if (!(v >= lo && v <= hi)) {
        snprintf(L->err, L->errsz, "%s: %s out of range (%g .. %g)", where, key, lo, hi);
        return false;
    }
    *out = v;
    return true;
}

static const char *jstr(const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static void copy_str(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

static bool jtime(struct loader *L, const json_t *o, const char *key, int64_t *ms, bool required,
                  const char *where)
{
    const char *t = jstr(o, key);
    if (!t)
        return required ? fail(L, where, "missing time") : true;
    if (!sim_parse_time(t, ms))
        return fail(L, where, "bad time (want YYYY-MM-DDThh:mm:ssZ)");
    return true;
}

static struct sim_asset *new_asset(struct loader *L)
{
    struct scenario *s = L->s;
    if (s->nassets >= MAX_ASSETS)
        return NULL;
    if (s->nassets == L->cap_assets) {
        size_t nc = L->cap_assets ? L->cap_assets * 2 : 64;
        struct sim_asset *na = realloc(s->assets, nc * sizeof(*na));
        if (!na)
            return NULL;
        s->assets = na;
        L->cap_assets = nc;
    }
    struct sim_asset *a = &s->assets[s->nassets++];
    memset(a, 0, sizeof(*a));
    return a;
}

static bool wp_push(struct sim_asset *a, size_t *cap, const struct sim_wp *w)
{
    if (a->nwp >= MAX_WP)
        return false;
    if (a->nwp == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        struct sim_wp *n = realloc(a->wp, nc * sizeof(*n));
        if (!n)
            return false;
        a->wp = n;
        *cap = nc;
    }
    a->wp[a->nwp++] = *w;
    return true;
}

/* Route: [{t | speed_kn, lat, lon, alt_ft?, dwell_h?}, ...]. */
static bool load_route(struct loader *L, struct sim_asset *a, const json_t *route)
{
    size_t cap = 0, i;
    json_t *p;
    char where[96];
    if (!json_is_array(route) || json_array_size(route) < 1) {
        snprintf(where, sizeof(where), "asset %s: route", a->key);
        return fail(L, where, "need an array of waypoints");
    }
    json_array_foreach(route, i, p)
    {
        snprintf(where, sizeof(where), "asset %s: route[%zu]", a->key, i);
        struct sim_wp w = {0};
        json_t *la = json_object_get(p, "lat"), *lo = json_object_get(p, "lon");
        if (!json_is_number(la) || !json_is_number(lo))
            return fail(L, where, "lat/lon must be numbers");
        w.lat = json_number_value(la);
        w.lon = json_number_value(lo);
        if (w.lat < -85 || w.lat > 85 || w.lon < -180 || w.lon > 180)
            return fail(L, where, "lat/lon out of range");
        if (!jnum_in(L, p, "alt_ft", a->nwp ? a->wp[a->nwp - 1].alt_ft : 0, -1000, 60000, &w.alt_ft,
                     where))
            return false;
        if (jstr(p, "t")) {
            if (!jtime(L, p, "t", &w.t_ms, true, where))
                return false;
        } else {
            double v = jnum(p, "speed_kn", 0);
            if (a->nwp == 0 || !(v > 0.01))
                return fail(L, where, "needs \"t\" (or speed_kn > 0.01 after the first point)");
            const struct sim_wp *prev = &a->wp[a->nwp - 1];
            double d = sim_dist_km(prev->lat, prev->lon, w.lat, w.lon) / SIM_NM_KM;
            double dur = d / v * 3600000.0;
            if (!(dur <= MAX_SPAN_D * DAY_MS))
                return fail(L, where, "leg longer than the longest scenario");
            w.t_ms = prev->t_ms + (int64_t)dur;
        }
        if (a->nwp && w.t_ms < a->wp[a->nwp - 1].t_ms)
            return fail(L, where, "time goes backwards");
        if (w.t_ms < L->s->start_ms - (int64_t)(MARGIN_D * DAY_MS) ||
            w.t_ms > L->s->end_ms + (int64_t)(MARGIN_D * DAY_MS))
            return fail(L, where, "time more than 30 days outside start..end");
        if (!wp_push(a, &cap, &w))
            return fail(L, where, "out of memory");
        double dwell;
        if (!jnum_in(L, p, "dwell_h", 0, 0, MAX_SPAN_D * 24, &dwell, where))
            return false;
        if (dwell > 0) {
            w.t_ms += (int64_t)(dwell * 3600000.0);
            if (!wp_push(a, &cap, &w))
                return fail(L, where, "out of memory");
        }
    }
    if (a->nwp == 1) { // a single point: stationary for a day
        struct sim_wp w = a->wp[0];
        w.t_ms += 86400000;
        if (!wp_push(a, &cap, &w))
            return fail(L, a->key, "out of memory");
    }
    return true;
}

static uint8_t parse_category(const char *c)
{
    // "A5" -> 0xA5; sets A..D, numbers 0..7.
    if (!c || c[0] < 'A' || c[0] > 'D' || c[1] < '0' || c[1] > '7' || c[2])
        return 0;
    return (uint8_t)(((c[0] - 'A' + 10) << 4) | (c[1] - '0'));
}

static bool load_asset(struct loader *L, const json_t *o, size_t idx)
{
    char where[64];
    snprintf(where, sizeof(where), "assets[%zu]", idx);
    struct sim_asset *a = new_asset(L);
    if (!a)
        return fail(L, where, "too many assets or out of memory");
    const char *key = jstr(o, "id");
    if (!key)
        return fail(L, where, "missing \"id\"");
    copy_str(a->key, sizeof(a->key), key);
    const char *kind = jstr(o, "kind");
    if (kind && !strcmp(kind, "ship"))
        a->kind = SIM_SHIP;
    else if (kind && !strcmp(kind, "aircraft"))
        a->kind = SIM_AIRCRAFT;
    else
        return fail(L, where, "kind must be \"ship\" or \"aircraft\"");
    if (a->kind == SIM_SHIP) {
        double m = jnum(o, "mmsi", 0);
        if (m < 0 || m > 999999999)
            return fail(L, where, "bad mmsi");
        a->id = (uint32_t)m;
    } else {
        const char *hex = jstr(o, "icao");
        unsigned long v = hex ? strtoul(hex, NULL, 16) : 0;
        if (!hex || v > 0xFFFFFF)
            return fail(L, where, "icao must be a hex string");
        a->id = (uint32_t)v;
    }
    copy_str(a->name, sizeof(a->name), jstr(o, "name"));
    copy_str(a->callsign, sizeof(a->callsign), jstr(o, "callsign"));
    copy_str(a->type, sizeof(a->type), jstr(o, "type"));
    copy_str(a->hull, sizeof(a->hull), jstr(o, "hull"));
    copy_str(a->reg, sizeof(a->reg), jstr(o, "registration"));
    copy_str(a->icao_type, sizeof(a->icao_type), jstr(o, "icao_type"));
    double v;
    if (!jnum_in(L, o, "ship_type", a->kind == SIM_SHIP ? 35 : 0, 0, 99, &v, where))
        return false;
    a->ship_type = (uint8_t)v;
    const char *cls = jstr(o, "ais_class");
    a->ais_class = cls && cls[0] == 'B' ? 'B' : 'A';
    a->category = parse_category(jstr(o, "category"));
    if (!a->category && a->kind == SIM_AIRCRAFT)
        a->category = 0xA5;
    if (!jnum_in(L, o, "squawk", 0, 0, 7777, &v, where))
        return false;
    a->squawk = (uint16_t)v;
    for (unsigned q = a->squawk, k = 0; k < 4; k++, q /= 10)
        if (q % 10 > 7)
            return fail(L, where, "squawk digits must be octal (0-7)");
    if (!jnum_in(L, o, "length_m", 0, 0, 1000, &v, where))
        return false;
    a->length_m = (uint16_t)v;
    if (!jnum_in(L, o, "beam_m", 0, 0, 200, &v, where))
        return false;
    a->beam_m = (uint16_t)v;
    json_t *mil = json_object_get(o, "military");
    a->military = json_is_true(mil);
    const char *tx = jstr(o, "transponder");
    a->transponder_off = tx && !strcmp(tx, "off");
    if (!load_route(L, a, json_object_get(o, "route")))
        return false;
    json_t *gaps = json_object_get(o, "transponder_off"), *g;
    size_t i;
    if (json_is_array(gaps) && json_array_size(gaps)) {
        a->off = calloc(json_array_size(gaps), sizeof(*a->off));
        if (!a->off)
            return fail(L, where, "out of memory");
        json_array_foreach(gaps, i, g)
        {
            struct sim_span *sp = &a->off[a->noff];
            if (!jtime(L, g, "from", &sp->from_ms, true, where) ||
                !jtime(L, g, "to", &sp->to_ms, true, where))
                return false;
            if (sp->to_ms <= sp->from_ms)
                return fail(L, where, "transponder_off gap ends before it starts");
            a->noff++;
        }
    }
    return true;
}

/* ---- background civil traffic (deterministic from the seed) ---- */

struct place {
    char name[40];
    double lat, lon;
};

static size_t load_places(const json_t *arr, struct place *out, size_t max)
{
    size_t n = 0, i;
    json_t *p;
    json_array_foreach(arr, i, p)
    {
        if (n >= max)
            break;
        json_t *la = json_object_get(p, "lat"), *lo = json_object_get(p, "lon");
        if (!json_is_number(la) || !json_is_number(lo))
            continue;
        copy_str(out[n].name, sizeof(out[n].name), jstr(p, "name"));
        out[n].lat = json_number_value(la);
        out[n].lon = json_number_value(lo);
        n++;
    }
    return n;
}

static const char *const ship_words1[] = {"CARIB",  "ATLANTIC", "OCEAN",  "SEA",   "STAR",
                                          "GOLDEN", "BLUE",     "MARINE", "SOUTH", "PACIFIC",
                                          "NORDIC", "ANTILLES", "CORAL",  "TRADE", "SILVER"};
static const char *const ship_words2[] = {"TRADER",   "SPIRIT", "VOYAGER", "PRIDE",   "EXPRESS",
                                          "GLORY",    "WIND",   "HARMONY", "PIONEER", "FORTUNE",
                                          "MERCHANT", "ISLAND", "BREEZE",  "CARRIER", "QUEEN"};
static const uint16_t flag_mids[] = {636, 538, 352, 309, 256, 371, 215, 477, 563, 311};
static const uint16_t fishing_mids[] = {775, 306, 362, 730, 323};

static void bg_name(struct loader *L, char *dst, size_t n, unsigned k)
{
    const char *w1 = ship_words1[sim_rng_below(&L->rng, 15)];
    const char *w2 = ship_words2[sim_rng_below(&L->rng, 15)];
    snprintf(dst, n, "%s %s %u", w1, w2, k % 100);
}

static void bg_callsign(struct loader *L, char *dst, size_t n)
{
    char cs[8];
    for (int i = 0; i < 4; i++)
        cs[i] = (char)('A' + sim_rng_below(&L->rng, 26));
    cs[4] = (char)('0' + sim_rng_below(&L->rng, 10));
    cs[5] = 0;
    copy_str(dst, n, cs);
}

static bool bg_ship(struct loader *L, const struct place *ports, size_t nports, int kind,
                    unsigned k)
{
    struct scenario *s = L->s;
    struct sim_asset *a = new_asset(L);
    if (!a)
        return false;
    snprintf(a->key, sizeof(a->key), "bg-%s-%u",
             kind == 0   ? "cargo"
             : kind == 1 ? "tanker"
                         : "fishing",
             k);
    a->kind = SIM_SHIP;
    a->background = true;
    uint16_t mid =
        kind == 2 ? fishing_mids[sim_rng_below(&L->rng, 5)] : flag_mids[sim_rng_below(&L->rng, 10)];
    a->id = (uint32_t)mid * 1000000u + 100000u + sim_rng_below(&L->rng, 899999);
    bg_name(L, a->name, sizeof(a->name), k);
    bg_callsign(L, a->callsign, sizeof(a->callsign));
    a->ship_type = kind == 0   ? (uint8_t)(70 + sim_rng_below(&L->rng, 10))
                   : kind == 1 ? (uint8_t)(80 + sim_rng_below(&L->rng, 10))
                               : 30;
    a->ais_class = kind == 2 ? 'B' : 'A';
    a->length_m = kind == 2 ? (uint16_t)(15 + sim_rng_below(&L->rng, 25))
                            : (uint16_t)(120 + sim_rng_below(&L->rng, 180));
    a->beam_m = (uint16_t)(a->length_m / 6 + 2);
    snprintf(a->type, sizeof(a->type), "%s",
             kind == 0   ? "cargo"
             : kind == 1 ? "tanker"
                         : "fishing");
    size_t cap = 0;
    size_t cur = sim_rng_below(&L->rng, (uint32_t)nports);
    int64_t t = s->start_ms - (int64_t)(sim_rng_unit(&L->rng) * 3 * 86400000.0);
    struct sim_wp w = {.t_ms = t, .lat = ports[cur].lat, .lon = ports[cur].lon};
    if (!wp_push(a, &cap, &w))
        return false;
    while (t < s->end_ms) {
        struct sim_wp nw;
        double v;
        if (kind == 2) {
            // Fishing: out to a spot 20-90 km from port, slow work, back to port.
            double brg = sim_rng_range(&L->rng, 0, 360) * SIM_DEG;
            double dkm = sim_rng_range(&L->rng, 20, 90);
            nw.lat = ports[cur].lat + dkm / 111.2 * cos(brg);
            nw.lon = ports[cur].lon + dkm / 111.2 * sin(brg) / cos(ports[cur].lat * SIM_DEG);
            v = sim_rng_range(&L->rng, 6, 9);
        } else {
            size_t next = cur;
            while (nports > 1 && next == cur)
                next = sim_rng_below(&L->rng, (uint32_t)nports);
            cur = next;
            nw.lat = ports[cur].lat;
            nw.lon = ports[cur].lon;
            v = sim_rng_range(&L->rng, 10, 16);
        }
        nw.alt_ft = 0;
        double d = sim_dist_km(w.lat, w.lon, nw.lat, nw.lon) / SIM_NM_KM;
        nw.t_ms = w.t_ms + (int64_t)(d / v * 3600000.0) + 60000;
        if (!wp_push(a, &cap, &nw))
            return false;
        if (kind == 2) {
            // Work the spot at 1-3 kn for 4-12 h, then return.
            struct sim_wp work = nw;
            double brg = sim_rng_range(&L->rng, 0, 360) * SIM_DEG;
            double wv = sim_rng_range(&L->rng, 1, 3), hrs = sim_rng_range(&L->rng, 4, 12);
            work.lat += wv * hrs * SIM_NM_KM / 111.2 * cos(brg);
            work.lon += wv * hrs * SIM_NM_KM / 111.2 * sin(brg);
            work.t_ms = nw.t_ms + (int64_t)(hrs * 3600000.0);
            if (!wp_push(a, &cap, &work))
                return false;
            struct sim_wp back = {.lat = ports[cur].lat, .lon = ports[cur].lon};
            double db = sim_dist_km(work.lat, work.lon, back.lat, back.lon) / SIM_NM_KM;
            back.t_ms = work.t_ms + (int64_t)(db / 8.0 * 3600000.0) + 60000;
            if (!wp_push(a, &cap, &back))
                return false;
            nw = back;
        }
        double dwell_h = kind == 2 ? sim_rng_range(&L->rng, 8, 40) : sim_rng_range(&L->rng, 12, 60);
        w = nw;
        w.t_ms += (int64_t)(dwell_h * 3600000.0);
        if (!wp_push(a, &cap, &w))
            return false;
        t = w.t_ms;
    }
    return true;
}

static const char *const airline_prefix[] = {"AAL", "JBU", "DAL", "CMP", "AVA", "UAL",
                                             "LAW", "BWA", "SWG", "KLM", "IBE", "CAY"};

static bool bg_airliner(struct loader *L, const struct place *apt, size_t napt, unsigned k)
{
    struct scenario *s = L->s;
    struct sim_asset *a = new_asset(L);
    if (!a)
        return false;
    snprintf(a->key, sizeof(a->key), "bg-airliner-%u", k);
    a->kind = SIM_AIRCRAFT;
    a->background = true;
    // Civil US registrations (N-number block A00001..ADF7C7), away from military AE/AF blocks.
    a->id = 0xA00001u + sim_rng_below(&L->rng, 0xDF7C6u);
    snprintf(a->callsign, sizeof(a->callsign), "%s%u", airline_prefix[sim_rng_below(&L->rng, 12)],
             100 + sim_rng_below(&L->rng, 8900));
    snprintf(a->name, sizeof(a->name), "airliner %u", k);
    snprintf(a->type, sizeof(a->type), "airliner");
    // A type designator for the archive writers, from k (no draw: the rest of the
    // background traffic stays the same).
    static const char *const types[8] = {"A320", "B738", "A321", "B38M",
                                         "E190", "A319", "B739", "A20N"};
    snprintf(a->icao_type, sizeof(a->icao_type), "%s", types[k % 8]);
    a->category = 0xA3;
    a->squawk =
        (uint16_t)(1000 * (1 + sim_rng_below(&L->rng, 6)) + 100 * sim_rng_below(&L->rng, 8) +
                   10 * sim_rng_below(&L->rng, 8) + sim_rng_below(&L->rng, 8));
    size_t cap = 0, cur = sim_rng_below(&L->rng, (uint32_t)napt);
    struct sim_wp w = {.t_ms = s->start_ms + (int64_t)(sim_rng_unit(&L->rng) * 86400000.0),
                       .lat = apt[cur].lat,
                       .lon = apt[cur].lon};
    if (!wp_push(a, &cap, &w))
        return false;
    while (w.t_ms < s->end_ms) {
        size_t next = cur;
        while (napt > 1 && next == cur)
            next = sim_rng_below(&L->rng, (uint32_t)napt);
        double d = sim_dist_km(apt[cur].lat, apt[cur].lon, apt[next].lat, apt[next].lon);
        double cruise = 35000 + 2000 * sim_rng_below(&L->rng, 3);
        double v = 450; // kn
        double fc = d > 400 ? 150.0 / d : 0.35, fd = 1.0 - fc;
        const double fr[2] = {fc, fd};
        for (int j = 0; j < 2; j++) { // top of climb, top of descent
            struct sim_wp m;
            sim_interp(apt[cur].lat, apt[cur].lon, apt[next].lat, apt[next].lon, fr[j], &m.lat,
                       &m.lon);
            m.alt_ft = cruise;
            m.t_ms = w.t_ms + (int64_t)(d * fr[j] / SIM_NM_KM / v * 3600000.0);
            if (!wp_push(a, &cap, &m))
                return false;
        }
        struct sim_wp arr = {.t_ms = w.t_ms + (int64_t)(d / SIM_NM_KM / v * 3600000.0) + 600000,
                             .lat = apt[next].lat,
                             .lon = apt[next].lon};
        if (!wp_push(a, &cap, &arr))
            return false;
        w = arr;
        w.t_ms += (int64_t)(sim_rng_range(&L->rng, 1.5, 30.0) * 3600000.0); // on the ground
        if (!wp_push(a, &cap, &w))
            return false;
        cur = next;
    }
    return true;
}

static bool load_background(struct loader *L, const json_t *bg)
{
    if (!json_is_object(bg))
        return true;
    struct place ports[64], apts[64];
    size_t np = load_places(json_object_get(bg, "ports"), ports, 64);
    size_t na = load_places(json_object_get(bg, "airports"), apts, 64);
    double n[4];
    static const char *const keys[4] = {"cargo", "tanker", "fishing", "airliners"};
    for (int i = 0; i < 4; i++)
        if (!jnum_in(L, bg, keys[i], 0, 0, 1000, &n[i], "background"))
            return false;
    unsigned ncargo = (unsigned)n[0], ntanker = (unsigned)n[1];
    unsigned nfish = (unsigned)n[2], nair = (unsigned)n[3];
    if ((ncargo || ntanker || nfish) && np < 2)
        return fail(L, "background", "need at least 2 ports");
    if (nair && na < 2)
        return fail(L, "background", "need at least 2 airports");
    if (ncargo + ntanker + nfish + nair > MAX_ASSETS / 2)
        return fail(L, "background", "too many background assets");
    unsigned k = 0;
    for (unsigned i = 0; i < ncargo; i++)
        if (!bg_ship(L, ports, np, 0, k++))
            return fail(L, "background", "out of memory");
    for (unsigned i = 0; i < ntanker; i++)
        if (!bg_ship(L, ports, np, 1, k++))
            return fail(L, "background", "out of memory");
    for (unsigned i = 0; i < nfish; i++)
        if (!bg_ship(L, ports, np, 2, k++))
            return fail(L, "background", "out of memory");
    for (unsigned i = 0; i < nair; i++)
        if (!bg_airliner(L, apts, na, i))
            return fail(L, "background", "out of memory");
    return true;
}

/* ---- top level ---- */

static bool load_receivers(struct loader *L, const json_t *arr)
{
    size_t i;
    json_t *r;
    struct scenario *s = L->s;
    if (!json_is_array(arr) || json_array_size(arr) == 0)
        return fail(L, "receivers", "need at least one receiver");
    s->rx = calloc(json_array_size(arr), sizeof(*s->rx));
    if (!s->rx)
        return fail(L, "receivers", "out of memory");
    json_array_foreach(arr, i, r)
    {
        struct sim_receiver *x = &s->rx[s->nrx];
        copy_str(x->name, sizeof(x->name), jstr(r, "name"));
        x->lat = jnum(r, "lat", 0);
        x->lon = jnum(r, "lon", 0);
        x->range_km = jnum(r, "range_km", 0);
        x->loss = jnum(r, "loss", s->loss);
        if (!(x->lat >= -90 && x->lat <= 90 && x->lon >= -180 && x->lon <= 180 &&
              x->range_km <= 20050))
            return fail(L, x->name, "receiver lat/lon out of range or range_km > 20050");
        json_t *ais = json_object_get(r, "ais"), *adsb = json_object_get(r, "adsb");
        x->ais = ais ? json_is_true(ais) : true;
        x->adsb = adsb ? json_is_true(adsb) : true;
        if (x->range_km <= 0 || x->loss < 0 || x->loss > 1)
            return fail(L, x->name, "receiver needs range_km > 0 and loss in 0..1");
        s->nrx++;
    }
    return true;
}

static bool load_truth(struct loader *L, const json_t *t)
{
    struct scenario *s = L->s;
    size_t i;
    json_t *e;
    if (!json_is_object(t))
        return true;
    json_t *dates = json_object_get(t, "oob_dates");
    json_array_foreach(dates, i, e)
    {
        if (s->noob >= 16)
            break;
        if (!json_is_string(e) || !sim_parse_time(json_string_value(e), &s->oob_ms[s->noob]))
            return fail(L, "truth.oob_dates", "bad date");
        s->noob++;
    }
    json_t *ap = json_object_get(t, "approaches");
    if (json_array_size(ap)) {
        s->targets = calloc(json_array_size(ap), sizeof(*s->targets));
        if (!s->targets)
            return fail(L, "truth", "out of memory");
    }
    json_array_foreach(ap, i, e)
    {
        struct sim_target *x = &s->targets[s->ntargets];
        copy_str(x->asset, sizeof(x->asset), jstr(e, "asset"));
        copy_str(x->name, sizeof(x->name), jstr(e, "target"));
        x->lat = jnum(e, "lat", 0);
        x->lon = jnum(e, "lon", 0);
        s->ntargets++;
    }
    json_t *pv = json_object_get(t, "port_visits");
    if (json_array_size(pv)) {
        s->ports = calloc(json_array_size(pv), sizeof(*s->ports));
        if (!s->ports)
            return fail(L, "truth", "out of memory");
    }
    json_array_foreach(pv, i, e)
    {
        struct sim_port *x = &s->ports[s->nports];
        copy_str(x->asset, sizeof(x->asset), jstr(e, "asset"));
        copy_str(x->name, sizeof(x->name), jstr(e, "port"));
        x->lat = jnum(e, "lat", 0);
        x->lon = jnum(e, "lon", 0);
        x->in_km = jnum(e, "in_km", 3.0);
        x->out_km = jnum(e, "out_km", 4.0);
        s->nports++;
    }
    return true;
}

static bool load_sightings(struct loader *L, const json_t *arr)
{
    struct scenario *s = L->s;
    size_t i;
    json_t *e;
    if (!json_array_size(arr))
        return true;
    s->sightings = calloc(json_array_size(arr), sizeof(*s->sightings));
    if (!s->sightings)
        return fail(L, "sightings", "out of memory");
    json_array_foreach(arr, i, e)
    {
        struct sim_sighting *x = &s->sightings[s->nsightings];
        copy_str(x->asset, sizeof(x->asset), jstr(e, "asset"));
        if (!jtime(L, e, "t", &x->t_ms, true, "sightings"))
            return false;
        x->lat = jnum(e, "lat", 0);
        x->lon = jnum(e, "lon", 0);
        copy_str(x->source, sizeof(x->source), jstr(e, "source"));
        copy_str(x->url, sizeof(x->url), jstr(e, "url"));
        copy_str(x->note, sizeof(x->note), jstr(e, "note"));
        s->nsightings++;
    }
    return true;
}

static bool load_all(struct loader *L, const json_t *root, int64_t seed_override)
{
    struct scenario *s = L->s;
    if (!json_is_object(root))
        return fail(L, "scenario", "top level must be an object");
    copy_str(s->name, sizeof(s->name), jstr(root, "name"));
    copy_str(s->description, sizeof(s->description), jstr(root, "description"));
    if (!jtime(L, root, "start", &s->start_ms, true, "start") ||
        !jtime(L, root, "end", &s->end_ms, true, "end"))
        return false;
    if (s->end_ms <= s->start_ms)
        return fail(L, "end", "end must be after start");
    double seed;
    if (!jnum_in(L, root, "seed", 1, 0, 9007199254740992.0, &seed, "scenario"))
        return false;
    if ((double)(s->end_ms - s->start_ms) > MAX_SPAN_D * DAY_MS)
        return fail(L, "end", "scenario longer than 400 days");
    s->seed = seed_override >= 0 ? (uint64_t)seed_override : (uint64_t)seed;
    sim_rng_seed(&L->rng, s->seed ^ 0x5eed5eedull);
    json_t *rates = json_object_get(root, "rates");
    s->ais_scale = jnum(rates, "ais_scale", 1.0);
    s->adsb_scale = jnum(rates, "adsb_scale", 1.0);
    s->static_interval_s = jnum(rates, "static_interval_s", 360.0);
    s->ais_max_interval_s = jnum(rates, "ais_max_interval_s", 0.0);
    s->loss = jnum(root, "loss", 0.0);
    if (!(s->ais_scale > 0 && s->ais_scale <= 10000 && s->adsb_scale > 0 &&
          s->adsb_scale <= 10000 && s->static_interval_s > 0 && s->static_interval_s <= 86400 &&
          s->loss >= 0 && s->loss <= 1 && s->ais_max_interval_s >= 0 &&
          s->ais_max_interval_s <= 86400))
        return fail(L, "rates", "scales in (0, 10000], intervals in (0, 86400] s, loss in 0..1");
    json_t *th = json_object_get(root, "theatre");
    copy_str(s->theatre_name, sizeof(s->theatre_name), jstr(th, "name"));
    json_t *poly = json_object_get(th, "polygon"), *pt;
    size_t i;
    json_array_foreach(poly, i, pt)
    {
        if (s->ntheatre >= 64)
            return fail(L, "theatre.polygon", "at most 64 vertices");
        if (json_array_size(pt) != 2)
            return fail(L, "theatre.polygon", "vertices are [lon, lat]");
        s->theatre[s->ntheatre][0] = json_number_value(json_array_get(pt, 0));
        s->theatre[s->ntheatre][1] = json_number_value(json_array_get(pt, 1));
        s->ntheatre++;
    }
    json_t *src = json_object_get(root, "sources");
    if (src)
        s->sources_json = json_dumps(src, JSON_COMPACT);
    if (!load_receivers(L, json_object_get(root, "receivers")))
        return false;
    json_t *assets = json_object_get(root, "assets"), *a;
    if (!json_is_array(assets))
        return fail(L, "assets", "must be an array");
    json_array_foreach(assets, i, a)
    {
        if (!load_asset(L, a, i))
            return false;
    }
    if (!load_background(L, json_object_get(root, "background")))
        return false;
    if (!load_sightings(L, json_object_get(root, "sightings")))
        return false;
    if (!load_truth(L, json_object_get(root, "truth")))
        return false;
    prepare_routes(s);
    return true;
}

static struct scenario *load_root(json_t *root, int64_t seed_override, char *err, size_t errsz)
{
    struct scenario *s = calloc(1, sizeof(*s));
    if (!s) {
        json_decref(root);
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    struct loader L = {s, err, errsz, 0, {{0}}};
    bool ok = load_all(&L, root, seed_override);
    json_decref(root);
    if (!ok) {
        scenario_free(s);
        return NULL;
    }
    return s;
}

struct scenario *scenario_load(const char *path, int64_t seed_override, char *err, size_t errsz)
{
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root) {
        snprintf(err, errsz, "%s:%d: %s", path, je.line, je.text);
        return NULL;
    }
    return load_root(root, seed_override, err, errsz);
}

struct scenario *scenario_load_buffer(const char *buf, size_t len, int64_t seed_override, char *err,
                                      size_t errsz)
{
    json_error_t je;
    json_t *root = json_loadb(buf, len, 0, &je);
    if (!root) {
        snprintf(err, errsz, "line %d: %s", je.line, je.text);
        return NULL;
    }
    return load_root(root, seed_override, err, errsz);
}

void scenario_free(struct scenario *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nassets; i++) {
        free(s->assets[i].wp);
        free(s->assets[i].off);
    }
    free(s->assets);
    free(s->rx);
    free(s->sightings);
    free(s->targets);
    free(s->ports);
    free(s->sources_json);
    free(s);
}
