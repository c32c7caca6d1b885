/* SPDX-License-Identifier: BSD-2-Clause
 *
 * readsb.c - readsb / tar1090 aircraft JSON -> SBS-1 lines (see readsb.h).
 * Field names and units as readsb's README-json.md: hex, flight, alt_baro
 * (ft or "ground"), gs (kt), track (deg), lat, lon, seen_pos (s), squawk;
 * "now" in seconds (aircraft.json) or milliseconds (v2 API).
 */
#include "http/readsb.h"

#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "report/rtime.h"

/* SBS date and time fields of MS, which lies in 0 .. RTIME_MAX_MS (checked
 * by the caller), so that the year has four digits and both buffers are
 * always terminated. */
static void sbs_time(int64_t ms, char *date, size_t dsz, char *tim, size_t tsz)
{
    time_t s = (time_t)(ms / 1000);
    struct tm tm;
    if (!gmtime_r(&s, &tm) || strftime(date, dsz, "%Y/%m/%d", &tm) == 0) {
        snprintf(date, dsz, "1970/01/01");
        memset(&tm, 0, sizeof tm);
    }
    snprintf(tim, tsz, "%02d:%02d:%02d.%03d", tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
}

static bool num(json_t *o, const char *k, double *v)
{
    json_t *j = json_object_get(o, k);
    if (!json_is_number(j))
        return false;
    *v = json_number_value(j);
    return isfinite(*v);
}

int readsb_to_sbs(const char *json, size_t len, int64_t fallback_ms, FILE *out,
                  struct readsb_stats *st)
{
    st->polls++;
    if (len > READSB_MAX_BYTES) {
        st->bad_json++;
        return -1;
    }
    json_error_t je;
    json_t *doc = json_loadb(json, len, 0, &je);
    json_t *ac = doc ? json_object_get(doc, "aircraft") : NULL;
    if (!ac && doc)
        ac = json_object_get(doc, "ac");
    if (!json_is_array(ac)) {
        json_decref(doc);
        st->bad_json++;
        return -1;
    }
    double now_v;
    int64_t now_ms = fallback_ms;
    if (num(doc, "now", &now_v) && now_v > 0) {
        double ms = now_v > 1e11 ? now_v : now_v * 1000.0;
        // A clock outside the times orbat handles (1e19, say) would
        // overflow the conversion: the document's times are unusable.
        if (!(ms <= (double)RTIME_MAX_MS)) {
            json_decref(doc);
            st->bad_json++;
            return -1;
        }
        now_ms = (int64_t)ms;
    }
    if (now_ms < RTIME_MIN_MS + (int64_t)(READSB_MAX_SEEN_POS * 1000) || now_ms > RTIME_MAX_MS) {
        json_decref(doc);
        st->bad_json++;
        return -1;
    }
    int lines = 0;
    size_t i;
    json_t *a;
    json_array_foreach(ac, i, a)
    {
        st->aircraft++;
        json_t *hx = json_object_get(a, "hex");
        const char *h = json_is_string(hx) ? json_string_value(hx) : NULL;
        if (!h) {
            st->skipped[RSB_SKIP_BAD]++;
            continue;
        }
        if (h[0] == '~') {
            st->skipped[RSB_SKIP_NON_ICAO]++;
            continue;
        }
        char hex[7];
        size_t hl = strlen(h);
        bool ok = hl == 6;
        for (size_t k = 0; ok && k < 6; k++) {
            char c = h[k];
            ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            hex[k] = (char)(c >= 'a' && c <= 'f' ? c - 32 : c);
        }
        hex[6] = 0;
        double lat, lon, seen_pos = 0;
        if (!ok) {
            st->skipped[RSB_SKIP_BAD]++;
            continue;
        }
        if (!num(a, "lat", &lat) || !num(a, "lon", &lon)) {
            st->skipped[RSB_SKIP_NO_POS]++;
            continue;
        }
        num(a, "seen_pos", &seen_pos);
        if (seen_pos < 0 || seen_pos > READSB_MAX_SEEN_POS) {
            st->skipped[RSB_SKIP_NO_POS]++;
            continue;
        }
        if (fabs(lat) > 90 || fabs(lon) > 180) {
            st->skipped[RSB_SKIP_BAD]++;
            continue;
        }
        char flight[9] = "";
        json_t *fl = json_object_get(a, "flight");
        if (json_is_string(fl)) {
            const char *f = json_string_value(fl);
            size_t n = 0;
            for (; f[n] && n < 8; n++) {
                unsigned char c = (unsigned char)f[n];
                flight[n] =
                    c >= 0x20 && c < 0x7f && c != ',' && c != '"' && c != '\\' ? (char)c : ' ';
            }
            flight[n] = 0;
            while (n && flight[n - 1] == ' ')
                flight[--n] = 0;
        }
        char alt[16] = "", gs[16] = "", trk[16] = "", sq[8] = "";
        double v;
        json_t *ab = json_object_get(a, "alt_baro");
        if (json_is_number(ab) && fabs(json_number_value(ab)) < 200000)
            snprintf(alt, sizeof(alt), "%d", (int)lround(json_number_value(ab)));
        bool ground = json_is_string(ab) && !strcmp(json_string_value(ab), "ground");
        if (num(a, "gs", &v) && v >= 0 && v <= 5000)
            snprintf(gs, sizeof(gs), "%.1f", v);
        if (num(a, "track", &v) && v >= 0 && v <= 360)
            snprintf(trk, sizeof(trk), "%.1f", v);
        json_t *sqj = json_object_get(a, "squawk");
        const char *sqs = json_is_string(sqj) ? json_string_value(sqj) : "";
        if (strlen(sqs) == 4 && strspn(sqs, "01234567") == 4) /* four octal digits */
            memcpy(sq, sqs, 5);
        char d[16], t[16];
        sbs_time(now_ms - (int64_t)(seen_pos * 1000.0), d, sizeof(d), t, sizeof(t));
        /* SBS-1 MSG,3 (see frame_sbs.c for the 22-field layout) */
        fprintf(out, "MSG,3,1,1,%s,1,%s,%s,%s,%s,%s,%s,%s,%s,%.5f,%.5f,,%s,,,,%s\n", hex, d, t, d,
                t, flight, alt, gs, trk, lat, lon, sq, ground ? "-1" : "0");
        st->lines++;
        lines++;
    }
    json_decref(doc);
    return lines;
}
