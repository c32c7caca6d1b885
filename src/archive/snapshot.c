/* SPDX-License-Identifier: BSD-2-Clause
 *
 * snapshot.c - readsb aircraft.json and v2 API documents -> one struct
 * snapshot_ac per aircraft (see snapshot.h). Field names and units from
 * readsb's README-json.md; the v2 answers from adsb.lol and ADS-B Exchange
 * in shared/testdata/archives/readsb_v2_api/.
 *
 * Every number is checked to be finite and inside a bound before it is
 * converted to an integer, so hostile values ("now":1e19, which overflowed
 * the older src/http/readsb.c) give ORBAT_E_RANGE or a missing field, never
 * undefined behaviour.
 */
#include "archive/snapshot.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* 2200-01-01T00:00:00Z in unix seconds. */
#define NOW_MAX_S 7258118400.0

static bool num(json_t *o, const char *k, double *v)
{
    json_t *j = json_object_get(o, k);
    if (!json_is_number(j))
        return false;
    *v = json_number_value(j);
    return isfinite(*v);
}

/* A number rounded to int32 when |v| <= lim. */
static bool int_in(json_t *o, const char *k, double lim, int32_t *out)
{
    double v;
    if (!num(o, k, &v) || fabs(v) > lim)
        return false;
    *out = (int32_t)lround(v);
    return true;
}

/* now - age seconds, when age is a finite number in 0..SNAPSHOT_MAX_AGE_S. */
static bool age_time(json_t *o, const char *k, int64_t now_ms, int64_t *t_ms)
{
    double v;
    if (!num(o, k, &v) || v < 0 || v > SNAPSHOT_MAX_AGE_S)
        return false;
    *t_ms = now_ms - (int64_t)llround(v * 1000.0);
    return true;
}

static void copy_str(json_t *o, const char *k, char *dst, size_t cap)
{
    json_t *j = json_object_get(o, k);
    dst[0] = 0;
    if (!json_is_string(j))
        return;
    const char *s = json_string_value(j);
    size_t n = json_string_length(j);
    while (n && *s == ' ') {
        s++;
        n--;
    }
    while (n && s[n - 1] == ' ')
        n--;
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, s, n);
    dst[n] = 0;
    // an embedded NUL ("\u0000") ends the text
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* "~"? then exactly 6 hex digits. */
static bool parse_hex(json_t *o, struct snapshot_ac *a)
{
    json_t *j = json_object_get(o, "hex");
    if (!json_is_string(j))
        return false;
    const char *s = json_string_value(j);
    size_t n = json_string_length(j);
    a->non_icao = n && s[0] == '~';
    if (a->non_icao) {
        s++;
        n--;
    }
    if (n != 6)
        return false;
    uint32_t v = 0;
    for (size_t i = 0; i < 6; i++) {
        int d = hexval(s[i]);
        if (d < 0)
            return false;
        v = v << 4 | (uint32_t)d;
    }
    a->hex = v;
    return true;
}

static void parse_squawk(json_t *o, struct snapshot_ac *a)
{
    json_t *j = json_object_get(o, "squawk");
    if (!json_is_string(j) || json_string_length(j) != 4)
        return;
    const char *s = json_string_value(j);
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        if (s[i] < '0' || s[i] > '7')
            return;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    a->has_squawk = true;
    a->squawk = (uint16_t)v;
}

static void parse_category(json_t *o, struct snapshot_ac *a)
{
    json_t *j = json_object_get(o, "category");
    if (!json_is_string(j) || json_string_length(j) != 2)
        return;
    const char *s = json_string_value(j);
    if (s[0] >= 'A' && s[0] <= 'D' && s[1] >= '0' && s[1] <= '7')
        a->category = (uint8_t)((0xA + (s[0] - 'A')) << 4 | (s[1] - '0'));
}

/* flight: trimmed; blank or all '@' (no callsign transmitted) is absent. */
static void parse_flight(json_t *o, struct snapshot_ac *a)
{
    copy_str(o, "flight", a->flight, sizeof(a->flight));
    bool at = true;
    for (const char *p = a->flight; *p; p++)
        at &= *p == '@';
    if (at)
        a->flight[0] = 0;
}

static bool latlon(json_t *o, double *lat, double *lon)
{
    return num(o, "lat", lat) && num(o, "lon", lon) && fabs(*lat) <= 90 && fabs(*lon) <= 180;
}

static void parse_aircraft(json_t *o, int64_t now_ms, struct snapshot_ac *a)
{
    copy_str(o, "type", a->type, sizeof(a->type));
    parse_flight(o, a);
    copy_str(o, "r", a->r, sizeof(a->r));
    copy_str(o, "t", a->t, sizeof(a->t));
    copy_str(o, "desc", a->desc, sizeof(a->desc));
    copy_str(o, "ownOp", a->ownop, sizeof(a->ownop));
    double v;
    if (num(o, "dbFlags", &v) && v >= 0 && v <= UINT32_MAX && v == floor(v)) {
        a->has_dbflags = true;
        a->dbflags = (uint32_t)v;
    }
    parse_squawk(o, a);
    parse_category(o, a);
    json_t *ab = json_object_get(o, "alt_baro");
    if (json_is_string(ab))
        a->ground = strcmp(json_string_value(ab), "ground") == 0;
    else
        a->has_alt_baro = int_in(o, "alt_baro", 1e6, &a->alt_baro_ft);
    a->has_alt_geom = int_in(o, "alt_geom", 1e6, &a->alt_geom_ft);
    a->has_gs = num(o, "gs", &v) && v >= 0 && v <= 1e5;
    a->gs_kt = a->has_gs ? v : 0;
    a->has_track = num(o, "track", &v) && v >= 0 && v <= 360;
    a->track_deg = a->has_track ? v : 0;
    a->has_baro_rate = int_in(o, "baro_rate", 1e6, &a->baro_rate_fpm);
    a->has_geom_rate = int_in(o, "geom_rate", 1e6, &a->geom_rate_fpm);

    double lat, lon;
    if (latlon(o, &lat, &lon)) {
        a->t_ms = now_ms;
        // seen_pos present must be valid; absent means "now"
        a->has_pos = !json_object_get(o, "seen_pos") || age_time(o, "seen_pos", now_ms, &a->t_ms);
    }
    json_t *lp = json_object_get(o, "lastPosition");
    if (!a->has_pos && json_is_object(lp) && latlon(lp, &lat, &lon) &&
        age_time(lp, "seen_pos", now_ms, &a->t_ms)) {
        a->has_pos = true;
        a->pos_stale = true;
    }
    if (a->has_pos) {
        a->lat = lat;
        a->lon = lon;
    } else {
        a->t_ms = 0;
    }
    a->has_seen = age_time(o, "seen", now_ms, &a->t_seen_ms);
}

/* "now" (or "ctime") -> unix ms: seconds or ms by magnitude, 1970..2200. */
static int doc_time(double v, int64_t *ms, bool *was_ms)
{
    if (!isfinite(v) || v < 0)
        return ORBAT_E_RANGE;
    *was_ms = v > 1e11;
    double m = *was_ms ? v : v * 1000.0;
    if (m > NOW_MAX_S * 1000.0)
        return ORBAT_E_RANGE;
    *ms = (int64_t)llround(m);
    return ORBAT_OK;
}

/* The object as compact JSON. Reals are written with 15 significant
 * digits, which gives back the document's own text for readsb's numbers
 * (24.564209, not jansson's default 24.564209000000002); when that would
 * change a value (a real needing 16-17 digits), with 17 (exact). */
static char *compact_text(json_t *o)
{
    char *t = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(15));
    if (!t)
        return NULL;
    json_t *back = json_loads(t, 0, NULL);
    bool same = back && json_equal(back, o);
    json_decref(back);
    if (same)
        return t;
    free(t);
    return json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(17));
}

const char *snapshot_layout_name(enum snapshot_layout l)
{
    switch (l) {
    case SNAPSHOT_AIRCRAFT_JSON:
        return "aircraft.json";
    case SNAPSHOT_V2_API:
        return "v2";
    case SNAPSHOT_UNKNOWN:
        break;
    }
    return "unknown";
}

int snapshot_parse(const char *buf, size_t len, unsigned flags, struct snapshot_doc *doc,
                   snapshot_cb cb, void *ctx)
{
    memset(doc, 0, sizeof(*doc));
    if (len > SNAPSHOT_MAX_BYTES)
        return ORBAT_E_TOOLONG;
    json_error_t je;
    json_t *root = json_loadb(buf, len, 0, &je);
    if (!root)
        return json_error_code(&je) == json_error_out_of_memory ? ORBAT_E_NOMEM : ORBAT_E_FORMAT;
    int rc = ORBAT_E_FORMAT;
    json_t *arr = json_object_get(root, "aircraft");
    doc->layout = SNAPSHOT_AIRCRAFT_JSON;
    if (!arr) {
        arr = json_object_get(root, "ac");
        doc->layout = SNAPSHOT_V2_API;
    }
    json_t *now = json_object_get(root, "now");
    if (!json_is_array(arr) || !json_is_number(now)) {
        doc->layout = SNAPSHOT_UNKNOWN;
        goto out;
    }
    rc = doc_time(json_number_value(now), &doc->now_ms, &doc->now_was_ms);
    if (rc)
        goto out;
    double ct;
    bool ct_ms;
    if (num(root, "ctime", &ct) && doc_time(ct, &doc->ctime_ms, &ct_ms) == ORBAT_OK)
        doc->has_ctime = true;
    size_t n = json_array_size(arr);
    doc->n_ac = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
    for (size_t i = 0; i < n && i < UINT32_MAX; i++) {
        json_t *o = json_array_get(arr, i);
        struct snapshot_ac a;
        memset(&a, 0, sizeof(a));
        a.index = (uint32_t)i;
        if (!json_is_object(o) || !parse_hex(o, &a)) {
            doc->n_bad++;
            continue;
        }
        parse_aircraft(o, doc->now_ms, &a);
        char *text = NULL;
        if (flags & SNAPSHOT_WANT_JSON) {
            text = compact_text(o);
            if (!text) {
                rc = ORBAT_E_NOMEM;
                goto out;
            }
            a.json = text;
            a.json_len = strlen(text);
        }
        doc->n_done++;
        int stop = cb(ctx, &a);
        free(text);
        if (stop)
            break;
    }
    rc = ORBAT_OK;
out:
    json_decref(root);
    return rc;
}
