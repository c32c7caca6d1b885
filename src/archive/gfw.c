/* SPDX-License-Identifier: BSD-2-Clause
 *
 * gfw.c - the reader of saved Global Fishing Watch API v3 answers (gfw.h):
 * events lists, single events and vessel identities, with jansson.
 *
 * Field names and shapes follow the GFW API v3 documentation examples
 * (tests/fuzz/corpus/gfw/SOURCES.md). GFW writes some numbers as strings
 * ("distanceKm": "55.51", "onPosition": {"lat": "-14.41"}), and some
 * strings as null ("flag": null): a number may be a JSON number or a
 * numeric string, and null counts as absent everywhere.
 */
#include "archive/gfw.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1970-01-01 .. 2200-01-01 in ms. */
#define GFW_T_MAX_MS 7258118400000LL

static int fail(struct gfw_parse_result *r, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct gfw_parse_result *r, int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err, sizeof r->err, fmt, ap);
    va_end(ap);
    return rc;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* n decimal digits at *p into *v; advances *p. */
static bool digits(const char **p, int n, int *v)
{
    int x = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return false;
        x = x * 10 + (c - '0');
    }
    *p += n;
    *v = x;
    return true;
}

int gfw_time_parse(const char *s, int64_t *ms)
{
    int y, mo, d, h = 0, mi = 0, sec = 0;
    const char *p = s;
    if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' ||
        !digits(&p, 2, &d))
        return ORBAT_E_FORMAT;
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1])
        return ORBAT_E_FORMAT;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo == 2 && d == 29 && !leap)
        return ORBAT_E_FORMAT;
    int64_t frac_ms = 0, off_s = 0;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
            return ORBAT_E_FORMAT;
        if (*p == ':') {
            p++;
            if (!digits(&p, 2, &sec))
                return ORBAT_E_FORMAT;
            if (*p == '.' || *p == ',') {
                p++;
                int n = 0;
                int64_t scale = 100;
                while (*p >= '0' && *p <= '9') {
                    frac_ms += (*p - '0') * scale;
                    scale /= 10;
                    p++;
                    n++;
                }
                if (!n)
                    return ORBAT_E_FORMAT;
            }
        }
        if (h > 23 || mi > 59 || sec > 60)
            return ORBAT_E_FORMAT;
        if (*p == 'Z' || *p == 'z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            int sign = *p++ == '-' ? -1 : 1, oh, om = 0;
            if (!digits(&p, 2, &oh))
                return ORBAT_E_FORMAT;
            if (*p == ':')
                p++;
            if (*p && !digits(&p, 2, &om))
                return ORBAT_E_FORMAT;
            if (oh > 23 || om > 59)
                return ORBAT_E_FORMAT;
            off_s = sign * (oh * 3600 + om * 60);
        }
    }
    if (*p)
        return ORBAT_E_FORMAT;
    int64_t t =
        (days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + sec - off_s) *
            1000 +
        frac_ms;
    if (t < 0 || t > GFW_T_MAX_MS)
        return ORBAT_E_RANGE;
    *ms = t;
    return ORBAT_OK;
}

/* Copy a JSON string (or nothing for absent/null/other) into dst, with
 * control characters turned into spaces and surrounding spaces trimmed. */
static void str_copy(char *dst, size_t size, const json_t *j)
{
    dst[0] = '\0';
    if (!json_is_string(j))
        return;
    const char *s = json_string_value(j);
    while (*s == ' ')
        s++;
    size_t n = 0;
    for (; *s && n + 1 < size; s++)
        dst[n++] = (unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s;
    // Do not leave half a UTF-8 sequence at a truncation.
    if (*s && n && ((unsigned char)dst[n - 1] & 0x80)) {
        while (n && ((unsigned char)dst[n - 1] & 0xc0) == 0x80)
            n--;
        if (n && ((unsigned char)dst[n - 1] & 0xc0) == 0xc0)
            n--;
    }
    while (n && dst[n - 1] == ' ')
        n--;
    dst[n] = '\0';
}

/* A number given as a JSON number or a numeric string; false if absent,
 * null, or not a finite number. */
static bool num(const json_t *j, double *v)
{
    if (json_is_number(j)) {
        *v = json_number_value(j);
        return isfinite(*v);
    }
    if (!json_is_string(j))
        return false;
    const char *s = json_string_value(j);
    if (!*s)
        return false;
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (*end || errno || !isfinite(x))
        return false;
    *v = x;
    return true;
}

static bool num_key(const json_t *o, const char *key, double *v)
{
    return json_is_object(o) && num(json_object_get(o, key), v);
}

/* An MMSI: "235063795" or 235063795, 1..999999999; 0 otherwise. */
static uint32_t mmsi_of(const json_t *j)
{
    if (json_is_integer(j)) {
        json_int_t v = json_integer_value(j);
        return v > 0 && v <= 999999999 ? (uint32_t)v : 0;
    }
    if (!json_is_string(j))
        return 0;
    const char *s = json_string_value(j);
    size_t n = strlen(s);
    if (n == 0 || n > 9 || strspn(s, "0123456789") != n)
        return 0;
    return (uint32_t)strtoul(s, NULL, 10);
}

/* A bounded appender for the detail text. */
struct detail {
    char *p;
    size_t n, size;
};

static void det_add(struct detail *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void det_add(struct detail *d, const char *fmt, ...)
{
    if (d->n + 1 >= d->size)
        return;
    if (d->n) {
        int k = snprintf(d->p + d->n, d->size - d->n, "; ");
        d->n += (size_t)k;
        if (d->n >= d->size) {
            d->n = d->size - 1;
            return;
        }
    }
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(d->p + d->n, d->size - d->n, fmt, ap);
    va_end(ap);
    if (k > 0)
        d->n += (size_t)k;
    if (d->n >= d->size)
        d->n = d->size - 1;
}

static void det_num(struct detail *d, const json_t *o, const char *key, const char *label,
                    const char *unit)
{
    double v;
    if (num_key(o, key, &v))
        det_add(d, "%s %.*f%s%s", label, fabs(v) < 100 ? 2 : 1, v, unit[0] ? " " : "", unit);
}

/* The detail text of an event: what its type's block says. */
static void event_detail(const json_t *ev, struct gfw_event *e)
{
    struct detail d = {e->detail, 0, sizeof e->detail};
    e->detail[0] = '\0';
    const json_t *b = json_object_get(ev, e->type);
    if (!strcmp(e->type, "encounter") && json_is_object(b)) {
        const json_t *ov = json_object_get(b, "vessel");
        if (e->other_mmsi && e->other_name[0])
            det_add(&d, "with %s (%09u)", e->other_name, e->other_mmsi);
        else if (e->other_mmsi)
            det_add(&d, "with %09u", e->other_mmsi);
        else if (e->other_name[0])
            det_add(&d, "with %s", e->other_name);
        char fl[8];
        str_copy(fl, sizeof fl, json_is_object(ov) ? json_object_get(ov, "flag") : NULL);
        if (fl[0])
            det_add(&d, "other flag %s", fl);
        det_num(&d, b, "medianDistanceKilometers", "median distance", "km");
        det_num(&d, b, "medianSpeedKnots", "median speed", "kn");
    } else if (!strcmp(e->type, "port_visit") && json_is_object(b)) {
        const json_t *a = json_object_get(b, "startAnchorage");
        if (!json_is_object(a))
            a = json_object_get(b, "intermediateAnchorage");
        if (!json_is_object(a))
            a = json_object_get(b, "endAnchorage");
        char name[64] = "", id[48] = "", fl[8] = "";
        if (json_is_object(a)) {
            str_copy(name, sizeof name, json_object_get(a, "name"));
            str_copy(id, sizeof id, json_object_get(a, "id"));
            str_copy(fl, sizeof fl, json_object_get(a, "flag"));
        }
        if (name[0] || id[0])
            det_add(&d, "port %s%s%s%s%s%s", name, id[0] ? " (" : "", id, id[0] ? ")" : "",
                    fl[0] ? " " : "", fl);
        det_num(&d, b, "durationHrs", "duration", "h");
        char conf[24];
        str_copy(conf, sizeof conf, json_object_get(b, "confidence"));
        double c;
        if (!conf[0] && num_key(b, "confidence", &c))
            snprintf(conf, sizeof conf, "%g", c);
        if (conf[0])
            det_add(&d, "confidence %s", conf);
    } else if (!strcmp(e->type, "gap") && json_is_object(b)) {
        det_num(&d, b, "durationHours", "duration", "h");
        det_num(&d, b, "distanceKm", "distance", "km");
        det_num(&d, b, "impliedSpeedKnots", "implied speed", "kn");
        const json_t *in = json_object_get(b, "intentionalDisabling");
        if (json_is_true(in))
            det_add(&d, "intentional disabling");
    } else if (!strcmp(e->type, "loitering") && json_is_object(b)) {
        det_num(&d, b, "totalTimeHours", "duration", "h");
        det_num(&d, b, "totalDistanceKm", "distance", "km");
        det_num(&d, b, "averageSpeedKnots", "average speed", "kn");
        det_num(&d, b, "averageDistanceFromShoreKm", "from shore", "km");
    } else if (!strcmp(e->type, "fishing") && json_is_object(b)) {
        det_num(&d, b, "totalDistanceKm", "distance", "km");
        det_num(&d, b, "averageSpeedKnots", "average speed", "kn");
    }
    const json_t *dist = json_object_get(ev, "distances");
    double v;
    if (num_key(dist, "startDistanceFromShoreKm", &v))
        det_add(&d, "start from shore %.*f km", fabs(v) < 100 ? 2 : 1, v);
    if (num_key(dist, "startDistanceFromPortKm", &v))
        det_add(&d, "start from port %.*f km", fabs(v) < 100 ? 2 : 1, v);
}

/* Read one event object; idx is its place in the list (for messages). */
static int event_read(const json_t *ev, size_t idx, struct gfw_event *e, struct gfw_parse_result *r)
{
    memset(e, 0, sizeof *e);
    e->lat = e->lon = NAN;
    if (!json_is_object(ev))
        return fail(r, ORBAT_E_FORMAT, "event %zu: not an object", idx);
    const json_t *id = json_object_get(ev, "id");
    if (!json_is_string(id) || !json_string_length(id))
        return fail(r, ORBAT_E_FORMAT, "event %zu: no \"id\"", idx);
    if (json_string_length(id) >= sizeof e->id)
        return fail(r, ORBAT_E_FORMAT, "event %zu: \"id\" longer than %zu bytes", idx,
                    sizeof e->id - 1);
    str_copy(e->id, sizeof e->id, id);
    const json_t *ty = json_object_get(ev, "type");
    if (!json_is_string(ty) || !json_string_length(ty) || json_string_length(ty) >= sizeof e->type)
        return fail(r, ORBAT_E_FORMAT, "event %zu (%s): no \"type\"", idx, e->id);
    str_copy(e->type, sizeof e->type, ty);
    for (char *p = e->type; *p; p++) // GFW writes "PORT_VISIT" in requests
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');

    const json_t *st = json_object_get(ev, "start");
    if (!json_is_string(st))
        return fail(r, ORBAT_E_FORMAT, "event %zu (%s): no \"start\" time", idx, e->id);
    int rc = gfw_time_parse(json_string_value(st), &e->t_start_ms);
    if (rc)
        return fail(r, rc, "event %zu (%s): start \"%.40s\": %s", idx, e->id, json_string_value(st),
                    rc == ORBAT_E_RANGE ? "outside 1970..2200" : "not an ISO 8601 time");
    e->t_end_ms = e->t_start_ms;
    const json_t *en = json_object_get(ev, "end");
    if (json_is_string(en) && json_string_length(en)) {
        rc = gfw_time_parse(json_string_value(en), &e->t_end_ms);
        if (rc)
            return fail(r, rc, "event %zu (%s): end \"%.40s\": %s", idx, e->id,
                        json_string_value(en),
                        rc == ORBAT_E_RANGE ? "outside 1970..2200" : "not an ISO 8601 time");
        if (e->t_end_ms < e->t_start_ms)
            return fail(r, ORBAT_E_RANGE, "event %zu (%s): end before start", idx, e->id);
        e->has_end = true;
    } else if (en && !json_is_null(en) && !json_is_string(en)) {
        return fail(r, ORBAT_E_FORMAT, "event %zu (%s): \"end\" is not a time", idx, e->id);
    }

    const json_t *pos = json_object_get(ev, "position");
    if (pos && !json_is_null(pos)) {
        double la, lo;
        if (!num_key(pos, "lat", &la) || !num_key(pos, "lon", &lo))
            return fail(r, ORBAT_E_FORMAT, "event %zu (%s): \"position\" without lat/lon", idx,
                        e->id);
        if (la < -90 || la > 90 || lo < -180 || lo > 180)
            return fail(r, ORBAT_E_RANGE, "event %zu (%s): position %g,%g out of range", idx, e->id,
                        la, lo);
        e->lat = la;
        e->lon = lo;
    }

    const json_t *v = json_object_get(ev, "vessel");
    if (v && !json_is_null(v) && !json_is_object(v))
        return fail(r, ORBAT_E_FORMAT, "event %zu (%s): \"vessel\" is not an object", idx, e->id);
    if (json_is_object(v)) {
        str_copy(e->vessel_id, sizeof e->vessel_id, json_object_get(v, "id"));
        e->mmsi = mmsi_of(json_object_get(v, "ssvid"));
        str_copy(e->name, sizeof e->name, json_object_get(v, "name"));
        str_copy(e->flag, sizeof e->flag, json_object_get(v, "flag"));
        str_copy(e->vessel_type, sizeof e->vessel_type, json_object_get(v, "type"));
    }
    if (!strcmp(e->type, "encounter")) {
        const json_t *b = json_object_get(ev, "encounter");
        const json_t *ov = json_is_object(b) ? json_object_get(b, "vessel") : NULL;
        if (json_is_object(ov)) {
            e->other_mmsi = mmsi_of(json_object_get(ov, "ssvid"));
            str_copy(e->other_name, sizeof e->other_name, json_object_get(ov, "name"));
        }
    }
    event_detail(ev, e);
    return ORBAT_OK;
}

static int events_each(const json_t *list, gfw_event_cb cb, void *ctx, struct gfw_parse_result *r)
{
    size_t i;
    const json_t *ev;
    json_array_foreach(list, i, ev)
    {
        struct gfw_event e;
        int rc = event_read(ev, i, &e, r);
        if (rc)
            return rc;
        char *js = json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER);
        if (!js)
            return fail(r, ORBAT_E_NOMEM, "event %zu: out of memory", i);
        e.json = js;
        e.json_len = strlen(js);
        rc = cb ? cb(ctx, &e) : 0;
        free(js);
        r->events++;
        if (rc)
            return rc;
    }
    return ORBAT_OK;
}

static int vessel_one(const json_t *info, const char *source, struct gfw_vessel *v)
{
    if (!json_is_object(info))
        return ORBAT_E_FORMAT;
    memset(v, 0, sizeof *v);
    snprintf(v->source, sizeof v->source, "%s", source);
    str_copy(v->vessel_id, sizeof v->vessel_id, json_object_get(info, "id"));
    v->mmsi = mmsi_of(json_object_get(info, "ssvid"));
    str_copy(v->name, sizeof v->name, json_object_get(info, "shipname"));
    str_copy(v->flag, sizeof v->flag, json_object_get(info, "flag"));
    str_copy(v->callsign, sizeof v->callsign, json_object_get(info, "callsign"));
    str_copy(v->imo, sizeof v->imo, json_object_get(info, "imo"));
    const json_t *t = json_object_get(info, "transmissionDateFrom");
    if (json_is_string(t) && gfw_time_parse(json_string_value(t), &v->from_ms))
        v->from_ms = 0;
    t = json_object_get(info, "transmissionDateTo");
    if (json_is_string(t) && gfw_time_parse(json_string_value(t), &v->to_ms))
        v->to_ms = 0;
    return ORBAT_OK;
}

static bool is_vessel(const json_t *o)
{
    return json_is_object(o) && (json_is_array(json_object_get(o, "selfReportedInfo")) ||
                                 json_is_array(json_object_get(o, "registryInfo")));
}

static int vessel_each(const json_t *vessel, size_t idx, gfw_vessel_cb cb, void *ctx,
                       struct gfw_parse_result *r)
{
    static const struct {
        const char *key, *source;
    } parts[] = {{"selfReportedInfo", "selfReported"}, {"registryInfo", "registry"}};
    for (size_t p = 0; p < sizeof parts / sizeof parts[0]; p++) {
        const json_t *arr = json_object_get(vessel, parts[p].key);
        if (arr && !json_is_null(arr) && !json_is_array(arr))
            return fail(r, ORBAT_E_FORMAT, "vessel %zu: \"%s\" is not a list", idx, parts[p].key);
        size_t i;
        const json_t *info;
        json_array_foreach(arr, i, info)
        {
            struct gfw_vessel v;
            if (vessel_one(info, parts[p].source, &v))
                return fail(r, ORBAT_E_FORMAT, "vessel %zu: %s[%zu] is not an object", idx,
                            parts[p].key, i);
            int rc = cb ? cb(ctx, &v) : 0;
            r->vessels++;
            if (rc)
                return rc;
        }
    }
    return ORBAT_OK;
}

int gfw_parse(const char *buf, size_t len, gfw_event_cb event_cb, gfw_vessel_cb vessel_cb,
              void *ctx, struct gfw_parse_result *res)
{
    struct gfw_parse_result dummy;
    struct gfw_parse_result *r = res ? res : &dummy;
    memset(r, 0, sizeof *r);
    r->total = r->next_offset = -1;
    if (len > GFW_MAX_DOC)
        return fail(r, ORBAT_E_TOOLONG, "document larger than %u MiB", GFW_MAX_DOC >> 20);
    json_error_t je;
    json_t *doc = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
    if (!doc)
        return fail(r, ORBAT_E_FORMAT, "JSON: %s at line %d column %d", je.text, je.line,
                    je.column);
    int rc = ORBAT_OK;
    if (!json_is_object(doc)) {
        rc = fail(r, ORBAT_E_FORMAT, "not a GFW answer: not a JSON object");
        goto out;
    }
    const json_t *entries = json_object_get(doc, "entries");
    if (entries) {
        if (!json_is_array(entries)) {
            rc = fail(r, ORBAT_E_FORMAT, "\"entries\" is not a list");
            goto out;
        }
        double v;
        if (num(json_object_get(doc, "total"), &v) && v >= 0)
            r->total = (int64_t)v;
        if (num(json_object_get(doc, "nextOffset"), &v) && v >= 0)
            r->next_offset = (int64_t)v;
        // A vessel search answer lists vessels; an events answer events (an
        // empty list is an events list).
        if (json_array_size(entries) && is_vessel(json_array_get(entries, 0))) {
            r->doc = GFW_DOC_VESSELS;
            size_t i;
            const json_t *ve;
            json_array_foreach(entries, i, ve)
            {
                if (!is_vessel(ve)) {
                    rc = fail(r, ORBAT_E_FORMAT, "vessel %zu: not a vessel", i);
                    goto out;
                }
                if ((rc = vessel_each(ve, i, vessel_cb, ctx, r)) != 0)
                    goto out;
            }
        } else {
            r->doc = GFW_DOC_EVENTS;
            rc = events_each(entries, event_cb, ctx, r);
        }
    } else if (is_vessel(doc)) {
        r->doc = GFW_DOC_VESSELS;
        rc = vessel_each(doc, 0, vessel_cb, ctx, r);
    } else if (json_object_get(doc, "id") && json_object_get(doc, "start") &&
               json_object_get(doc, "type")) {
        r->doc = GFW_DOC_EVENTS;
        json_t *one = json_array();
        if (!one || json_array_append(one, doc)) {
            json_decref(one);
            rc = fail(r, ORBAT_E_NOMEM, "out of memory");
            goto out;
        }
        rc = events_each(one, event_cb, ctx, r);
        json_decref(one);
    } else {
        rc = fail(r, ORBAT_E_FORMAT,
                  "not a GFW answer: no \"entries\", no event (id, type, start), no vessel");
    }
out:
    json_decref(doc);
    return rc;
}

/* Bounded search of a NUL-free needle in buf[0..len). */
static bool has(const char *buf, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (buf[i] == needle[0] && !memcmp(buf + i, needle, n))
            return true;
    return false;
}

bool gfw_looks_like(const char *buf, size_t len)
{
    size_t i = 0;
    if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
        i = 3;
    while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r'))
        i++;
    if (i >= len || buf[i] != '{')
        return false;
    buf += i;
    len -= i;
    // A single event starts "start", "end", "id", "type", "position",
    // "regions" ... (the vessel with its ssvid comes later).
    return has(buf, len, "\"ssvid\"") || has(buf, len, "\"selfReportedInfo\"") ||
           has(buf, len, "\"registryInfo\"") ||
           (has(buf, len, "\"entries\"") && has(buf, len, "\"nextOffset\"")) ||
           (has(buf, len, "\"start\"") && has(buf, len, "\"type\"") &&
            (has(buf, len, "\"regions\"") || has(buf, len, "\"boundingBox\"")));
}
