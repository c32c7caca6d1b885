/* SPDX-License-Identifier: BSD-2-Clause
 *
 * aishub.c - AISHub JSON answers -> aisstream JSON lines; see aishub.h.
 */
#include "feed/aishub.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feed/aisstream_json.h"

bool aishub_is_spec(const char *spec)
{
    const char *eq = strchr(spec, '=');
    const char *colon = strchr(spec, ':');
    const char *p = eq && (!colon || eq < colon) ? eq + 1 : spec;
    return !strncmp(p, "aishub:", 7) || !strncmp(p, "aishub+", 7);
}

static bool user_ok(const char *u)
{
    size_t n = strlen(u);
    if (n == 0 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((u[i] >= 'a' && u[i] <= 'z') || (u[i] >= 'A' && u[i] <= 'Z') ||
              (u[i] >= '0' && u[i] <= '9') || u[i] == '_' || u[i] == '-' || u[i] == '.'))
            return false;
    return true;
}

int aishub_url(const char *spec, const char *user, bool has_box, double s, double w, double n,
               double e, char *url, size_t cap, char *err, size_t errsz)
{
    char base[512];
    const char *q;
    if (!strncmp(spec, "aishub:", 7)) {
        snprintf(base, sizeof base, "%s", AISHUB_URL);
        q = spec + 7;
    } else if (!strncmp(spec, "aishub+http://", 14) || !strncmp(spec, "aishub+https://", 15)) {
        size_t l = strcspn(spec + 7, "?");
        if (l >= sizeof base) {
            snprintf(err, errsz, "URL too long");
            return -1;
        }
        memcpy(base, spec + 7, l);
        base[l] = 0;
        q = spec + 7 + l;
    } else {
        snprintf(err, errsz,
                 "'%s': expected aishub:[?bbox=S,W,N,E] or aishub+http://HOST:PORT/PATH", spec);
        return -1;
    }
    if (*q == '?') {
        double x[4];
        int used = 0;
        if (sscanf(q, "?bbox=%lf,%lf,%lf,%lf%n", &x[0], &x[1], &x[2], &x[3], &used) != 4 ||
            q[used] ||
            !(x[0] >= -90 && x[2] <= 90 && x[0] < x[2] && x[1] >= -180 && x[1] <= 180 &&
              x[3] >= -180 && x[3] <= 180)) {
            snprintf(err, errsz, "'%s': the only parameter is bbox=S,W,N,E", spec);
            return -1;
        }
        has_box = true;
        s = x[0];
        w = x[1];
        n = x[2];
        e = x[3];
    } else if (*q) {
        snprintf(err, errsz, "'%s': expected aishub:[?bbox=S,W,N,E]", spec);
        return -1;
    }
    if (!user || !user_ok(user)) {
        snprintf(err, errsz, "%s",
                 user ? "the AISHub username has odd characters"
                      : "no AISHub username: set [aishub] username in the "
                        "config file or " AISHUB_USER_ENV);
        return -1;
    }
    int k;
    if (has_box)
        k = snprintf(url, cap,
                     "%s?username=%s&format=1&output=json&compress=0&latmin=%.4f&latmax=%.4f"
                     "&lonmin=%.4f&lonmax=%.4f",
                     base, user, s, n, w, e);
    else
        k = snprintf(url, cap, "%s?username=%s&format=1&output=json&compress=0", base, user);
    if (k < 0 || (size_t)k >= cap) {
        snprintf(err, errsz, "URL too long");
        return -1;
    }
    return 0;
}

static double num(const json_t *o, const char *k, double dflt)
{
    const json_t *v = json_object_get(o, k);
    if (json_is_number(v))
        return json_number_value(v);
    if (json_is_string(v)) { // some clients see numbers as strings
        char *end;
        double x = strtod(json_string_value(v), &end);
        if (end != json_string_value(v) && !*end && isfinite(x))
            return x;
    }
    return dflt;
}

/* An integer field within lo..hi, else dflt (no out-of-range cast). */
static int ival(const json_t *o, const char *k, int lo, int hi, int dflt)
{
    double x = num(o, k, dflt);
    return x >= lo && x <= hi ? (int)lround(x) : dflt;
}

static const char *str(const json_t *o, const char *k)
{
    const json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : "";
}

/* TIME: unix seconds, or "YYYY-MM-DD HH:MM:SS [GMT]". */
static int64_t rec_time(const json_t *r, int64_t now_ms)
{
    const json_t *v = json_object_get(r, "TIME");
    int64_t ms;
    if (json_is_number(v) && json_number_value(v) > 0 && json_number_value(v) < 7.3e9)
        return (int64_t)(json_number_value(v) * 1000.0);
    if (json_is_string(v) && aisstream_time(json_string_value(v), &ms))
        return ms;
    return now_ms;
}

static void go_time(int64_t ms, char *out, size_t cap)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, cap, "%04d-%02d-%02d %02d:%02d:%02d.%03d000 +0000 UTC", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
}

static int emit(FILE *out, const char *type, json_t *body, const json_t *rec, long mmsi,
                int64_t t_ms)
{
    char tu[64];
    go_time(t_ms, tu, sizeof tu);
    json_t *msg =
        json_pack("{s:s, s:{s:O}, s:{s:I, s:s, s:O}}", "MessageType", type, "Message", type, body,
                  "MetaData", "MMSI", (json_int_t)mmsi, "time_utc", tu, "AISHub", rec);
    json_decref(body);
    if (!msg)
        return 0;
    char *s = json_dumps(msg, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    json_decref(msg);
    if (!s)
        return 0;
    fputs(s, out);
    fputc('\n', out);
    free(s);
    return 1;
}

int aishub_to_lines(const char *json, size_t len, int64_t now_ms, FILE *out,
                    struct aishub_stats *st)
{
    st->error[0] = 0;
    json_t *root = json_loadb(json, len, 0, NULL);
    const json_t *head = json_array_get(root, 0);
    const json_t *recs = json_array_get(root, 1);
    if (!json_is_array(root) || !json_is_object(head)) {
        snprintf(st->error, sizeof st->error, "not an AISHub JSON answer");
        json_decref(root);
        return -1;
    }
    if (json_is_true(json_object_get(head, "ERROR"))) {
        snprintf(st->error, sizeof st->error, "AISHub: %.100s",
                 str(head, "ERROR_MESSAGE")[0] ? str(head, "ERROR_MESSAGE") : "error");
        json_decref(root);
        return -1;
    }
    int lines = 0;
    size_t i;
    const json_t *r;
    json_array_foreach(recs, i, r)
    {
        st->records++;
        double m = num(r, "MMSI", 0);
        long mmsi = m >= 1 && m <= 999999999 ? (long)m : 0;
        if (!json_is_object(r) || mmsi <= 0) {
            st->skipped++;
            continue;
        }
        int64_t t = rec_time(r, now_ms);
        double lat = num(r, "LATITUDE", 91), lon = num(r, "LONGITUDE", 181);
        if (lat > -90 && lat < 90 && lon > -180 && lon < 180) {
            json_t *b = json_pack("{s:i, s:I, s:b, s:i, s:i, s:f, s:f, s:f, s:f, s:i}", "MessageID",
                                  1, "UserID", (json_int_t)mmsi, "Valid", 1, "NavigationalStatus",
                                  ival(r, "NAVSTAT", 0, 15, 15), "RateOfTurn",
                                  ival(r, "ROT", -128, 127, -128), "Sog", num(r, "SOG", 102.3),
                                  "Cog", num(r, "COG", 360), "Latitude", lat, "Longitude", lon,
                                  "TrueHeading", ival(r, "HEADING", 0, 511, 511));
            if (b && emit(out, "PositionReport", b, r, mmsi, t)) {
                lines++;
                st->positions++;
            }
        }
        double imo = num(r, "IMO", 0), type = num(r, "TYPE", 0);
        if (str(r, "NAME")[0] || str(r, "CALLSIGN")[0] || imo > 0 || type > 0) {
            json_t *b = json_pack(
                "{s:i, s:I, s:b, s:I, s:s, s:s, s:i, s:{s:i, s:i, s:i, s:i}, s:f, s:s}",
                "MessageID", 5, "UserID", (json_int_t)mmsi, "Valid", 1, "ImoNumber",
                (json_int_t)(imo > 0 && imo < 1e9 ? imo : 0), "CallSign", str(r, "CALLSIGN"),
                "Name", str(r, "NAME"), "Type", (int)(type >= 0 && type < 256 ? type : 0),
                "Dimension", "A", ival(r, "A", 0, 511, 0), "B", ival(r, "B", 0, 511, 0), "C",
                ival(r, "C", 0, 511, 0), "D", ival(r, "D", 0, 511, 0), "MaximumStaticDraught",
                num(r, "DRAUGHT", 0), "Destination", str(r, "DEST"));
            if (b && emit(out, "ShipStaticData", b, r, mmsi, t)) {
                lines++;
                st->statics++;
            }
        }
    }
    json_decref(root);
    return lines;
}
