/* SPDX-License-Identifier: BSD-2-Clause
 *
 * aisstream_json.c - aisstream.io JSON messages -> struct orbat_ais_msg;
 * see aisstream_json.h.
 */
#include "feed/aisstream_json.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

bool aisstream_line_is(const char *line, size_t len)
{
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    if (i >= len || line[i] != '{')
        return false;
    static const char key[] = "\"MessageType\"";
    size_t k = sizeof key - 1;
    // The key is near the start in aisstream's output; look at most 4 KiB in.
    size_t end = len < 4096 ? len : 4096;
    for (; i + k <= end; i++)
        if (line[i] == '"' && !memcmp(line + i, key, k))
            return true;
    return false;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant). */
static int64_t days_from_civil(int y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

bool aisstream_time(const char *s, int64_t *ms)
{
    int y, mo, d, h, mi, se, n = 0;
    if (sscanf(s, "%4d-%2d-%2d%*1[ T]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &se, &n) != 6 || !n)
        return false;
    if (y < 1970 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
        se > 60 || h < 0 || mi < 0 || se < 0)
        return false;
    const char *p = s + n;
    int frac_ms = 0, digits = 0;
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++, digits++)
            if (digits < 3)
                frac_ms = frac_ms * 10 + (*p - '0');
        for (int k = digits; k < 3; k++)
            frac_ms *= 10;
    }
    // Offset: " +0000 UTC" (Go), "Z", "+00:00", or nothing (UTC).
    while (*p == ' ')
        p++;
    int off_min = 0;
    if (*p == '+' || *p == '-') {
        int sign = *p == '-' ? -1 : 1, oh, om;
        if (sscanf(p + 1, "%2d%*[:]%2d", &oh, &om) != 2 && sscanf(p + 1, "%2d%2d", &oh, &om) != 2)
            return false;
        if (oh > 14 || om > 59 || oh < 0 || om < 0)
            return false;
        off_min = sign * (oh * 60 + om);
    }
    int64_t days = days_from_civil(y, (unsigned)mo, (unsigned)d);
    *ms = ((days * 86400 + h * 3600 + mi * 60 + se) - (int64_t)off_min * 60) * 1000 + frac_ms;
    return true;
}

/* ---- field readers: a missing key or one of the wrong type reads as
 * absent (the default); out-of-range numbers are clamped by the caller. */

static double num(const json_t *o, const char *k, double dflt)
{
    const json_t *v = json_object_get(o, k);
    if (!json_is_number(v))
        return dflt;
    double x = json_number_value(v);
    return isfinite(x) ? x : dflt;
}

static long inum(const json_t *o, const char *k, long lo, long hi, long dflt)
{
    double x = num(o, k, (double)dflt);
    if (x < (double)lo || x > (double)hi)
        return dflt;
    return lround(x);
}

static bool flag(const json_t *o, const char *k)
{
    const json_t *v = json_object_get(o, k);
    return json_is_true(v) || (json_is_integer(v) && json_integer_value(v) != 0);
}

/* A text field as the decoder gives it: at most cap-1 chars of the AIS
 * 6-bit alphabet, cut at '@', trailing blanks and '@' removed. */
static void text(const json_t *o, const char *k, char *out, size_t cap)
{
    const json_t *v = json_object_get(o, k);
    const char *s = json_is_string(v) ? json_string_value(v) : "";
    size_t n = 0;
    for (; s[n] && n + 1 < cap && s[n] != '@'; n++) {
        char c = s[n];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        out[n] = (c >= ' ' && c <= '_') ? c : ' ';
    }
    while (n > 0 && out[n - 1] == ' ')
        n--;
    out[n] = 0;
}

/* Degrees -> 1/div degree units; aisstream's N/A (181 / 91) -> the spec's. */
static int32_t coord(const json_t *o, const char *k, double lim, double mul, int32_t na)
{
    double x = num(o, k, lim);
    if (x >= lim || x < -lim)
        return na;
    return (int32_t)lround(x * mul);
}

static uint16_t sog10(const json_t *o)
{
    double x = num(o, "Sog", 102.3);
    if (x < 0 || x >= 102.25)
        return ORBAT_AIS_SPEED_NA;
    return (uint16_t)lround(x * 10);
}

static uint16_t cog10(const json_t *o)
{
    double x = num(o, "Cog", 360);
    if (x < 0 || x >= 359.95)
        return x >= 359.95 && x < 360 ? 3599 : ORBAT_AIS_COURSE_NA;
    return (uint16_t)lround(x * 10);
}

static void dims(const json_t *o, uint16_t *bow, uint16_t *stern, uint8_t *port, uint8_t *stbd)
{
    const json_t *d = json_object_get(o, "Dimension");
    *bow = (uint16_t)inum(d, "A", 0, 511, 0);
    *stern = (uint16_t)inum(d, "B", 0, 511, 0);
    *port = (uint8_t)inum(d, "C", 0, 63, 0);
    *stbd = (uint8_t)inum(d, "D", 0, 63, 0);
}

static const struct {
    const char *name;
} mapped[] = {{"PositionReport"},
              {"BaseStationReport"},
              {"ShipStaticData"},
              {"StandardSearchAndRescueAircraftReport"},
              {"StandardClassBPositionReport"},
              {"ExtendedClassBPositionReport"},
              {"AidsToNavigationReport"},
              {"StaticDataReport"},
              {"LongRangeAisBroadcastMessage"}};

static int map_body(const char *type, const json_t *b, struct orbat_ais_msg *m)
{
    long id = inum(b, "MessageID", 1, 27, 0);
    if (!strcmp(type, "PositionReport")) {
        m->type = (uint8_t)(id >= 1 && id <= 3 ? id : 1);
        struct orbat_ais_pos *p = &m->u.pos;
        p->status = (uint8_t)inum(b, "NavigationalStatus", 0, 15, 15);
        p->turn = (int16_t)inum(b, "RateOfTurn", -128, 127, ORBAT_AIS_TURN_NA);
        p->speed = sog10(b);
        p->accuracy = flag(b, "PositionAccuracy");
        p->lon = coord(b, "Longitude", 181, 600000.0, ORBAT_AIS_LON_NA);
        p->lat = coord(b, "Latitude", 91, 600000.0, ORBAT_AIS_LAT_NA);
        p->course = cog10(b);
        p->heading = (uint16_t)inum(b, "TrueHeading", 0, 511, ORBAT_AIS_HEADING_NA);
        p->second = (uint8_t)inum(b, "Timestamp", 0, 63, ORBAT_AIS_SECOND_NA);
        p->maneuver = (uint8_t)inum(b, "SpecialManoeuvreIndicator", 0, 3, 0);
        p->raim = flag(b, "Raim");
        p->radio = (uint32_t)inum(b, "CommunicationState", 0, (1 << 19) - 1, 0);
    } else if (!strcmp(type, "BaseStationReport")) {
        m->type = (uint8_t)(id == 11 ? 11 : 4);
        struct orbat_ais_base *p = &m->u.base;
        p->year = (uint16_t)inum(b, "UtcYear", 0, 16383, 0);
        p->month = (uint8_t)inum(b, "UtcMonth", 0, 15, 0);
        p->day = (uint8_t)inum(b, "UtcDay", 0, 31, 0);
        p->hour = (uint8_t)inum(b, "UtcHour", 0, 31, 24);
        p->minute = (uint8_t)inum(b, "UtcMinute", 0, 63, 60);
        p->second = (uint8_t)inum(b, "UtcSecond", 0, 63, 60);
        p->accuracy = flag(b, "PositionAccuracy");
        p->lon = coord(b, "Longitude", 181, 600000.0, ORBAT_AIS_LON_NA);
        p->lat = coord(b, "Latitude", 91, 600000.0, ORBAT_AIS_LAT_NA);
        p->epfd = (uint8_t)inum(b, "FixType", 0, 15, 0);
        p->raim = flag(b, "Raim");
        p->radio = (uint32_t)inum(b, "CommunicationState", 0, (1 << 19) - 1, 0);
    } else if (!strcmp(type, "ShipStaticData")) {
        m->type = 5;
        struct orbat_ais_static *p = &m->u.stat;
        p->ais_version = (uint8_t)inum(b, "AisVersion", 0, 3, 0);
        p->imo = (uint32_t)inum(b, "ImoNumber", 0, (1L << 30) - 1, 0);
        text(b, "CallSign", p->callsign, sizeof p->callsign);
        text(b, "Name", p->shipname, sizeof p->shipname);
        p->shiptype = (uint8_t)inum(b, "Type", 0, 255, 0);
        dims(b, &p->to_bow, &p->to_stern, &p->to_port, &p->to_starboard);
        p->epfd = (uint8_t)inum(b, "FixType", 0, 15, 0);
        const json_t *eta = json_object_get(b, "Eta");
        p->month = (uint8_t)inum(eta, "Month", 0, 15, 0);
        p->day = (uint8_t)inum(eta, "Day", 0, 31, 0);
        p->hour = (uint8_t)inum(eta, "Hour", 0, 31, 24);
        p->minute = (uint8_t)inum(eta, "Minute", 0, 63, 60);
        double dr = num(b, "MaximumStaticDraught", 0);
        p->draught = (uint8_t)(dr > 0 && dr < 25.55 ? lround(dr * 10) : dr >= 25.55 ? 255 : 0);
        text(b, "Destination", p->destination, sizeof p->destination);
        p->dte = flag(b, "Dte");
    } else if (!strcmp(type, "StandardSearchAndRescueAircraftReport")) {
        m->type = 9;
        struct orbat_ais_sar *p = &m->u.sar;
        p->alt = (uint16_t)inum(b, "Altitude", 0, 4095, 4095);
        double s = num(b, "Sog", 1023);
        p->speed = (uint16_t)(s >= 0 && s < 1023 ? lround(s) : 1023);
        p->accuracy = flag(b, "PositionAccuracy");
        p->lon = coord(b, "Longitude", 181, 600000.0, ORBAT_AIS_LON_NA);
        p->lat = coord(b, "Latitude", 91, 600000.0, ORBAT_AIS_LAT_NA);
        p->course = cog10(b);
        p->second = (uint8_t)inum(b, "Timestamp", 0, 63, ORBAT_AIS_SECOND_NA);
        p->dte = (uint8_t)flag(b, "Dte");
        p->assigned = flag(b, "AssignedMode");
        p->raim = flag(b, "Raim");
        p->radio = (uint32_t)inum(b, "CommunicationState", 0, (1 << 19) - 1, 0);
    } else if (!strcmp(type, "StandardClassBPositionReport") ||
               !strcmp(type, "ExtendedClassBPositionReport")) {
        bool ext = type[0] == 'E';
        m->type = ext ? 19 : 18;
        struct orbat_ais_classb *p = &m->u.cb;
        p->speed = sog10(b);
        p->accuracy = flag(b, "PositionAccuracy");
        p->lon = coord(b, "Longitude", 181, 600000.0, ORBAT_AIS_LON_NA);
        p->lat = coord(b, "Latitude", 91, 600000.0, ORBAT_AIS_LAT_NA);
        p->course = cog10(b);
        p->heading = (uint16_t)inum(b, "TrueHeading", 0, 511, ORBAT_AIS_HEADING_NA);
        p->second = (uint8_t)inum(b, "Timestamp", 0, 63, ORBAT_AIS_SECOND_NA);
        p->raim = flag(b, "Raim");
        p->assigned = flag(b, "AssignedMode");
        if (ext) {
            text(b, "Name", p->shipname, sizeof p->shipname);
            p->shiptype = (uint8_t)inum(b, "Type", 0, 255, 0);
            dims(b, &p->to_bow, &p->to_stern, &p->to_port, &p->to_starboard);
            p->epfd = (uint8_t)inum(b, "FixType", 0, 15, 0);
            p->dte = flag(b, "Dte");
        } else {
            p->cs = flag(b, "ClassBUnit");
            p->display = flag(b, "ClassBDisplay");
            p->dsc = flag(b, "ClassBDsc");
            p->band = flag(b, "ClassBBand");
            p->msg22 = flag(b, "ClassBMsg22"); // not in the published schema: false if absent
            // The 20 radio bits: the ITDMA selector, then the 19-bit state.
            p->radio = (flag(b, "CommunicationStateIsItdma") ? 1u << 19 : 0) |
                       (uint32_t)inum(b, "CommunicationState", 0, (1 << 19) - 1, 0);
        }
    } else if (!strcmp(type, "AidsToNavigationReport")) {
        m->type = 21;
        struct orbat_ais_aton *p = &m->u.aton;
        p->aid_type = (uint8_t)inum(b, "Type", 0, 31, 0);
        char name[21], ext[15];
        text(b, "Name", name, sizeof name);
        text(b, "NameExtension", ext, sizeof ext);
        snprintf(p->name, sizeof p->name, "%s%s", name, ext);
        p->accuracy = flag(b, "PositionAccuracy");
        p->lon = coord(b, "Longitude", 181, 600000.0, ORBAT_AIS_LON_NA);
        p->lat = coord(b, "Latitude", 91, 600000.0, ORBAT_AIS_LAT_NA);
        dims(b, &p->to_bow, &p->to_stern, &p->to_port, &p->to_starboard);
        p->epfd = (uint8_t)inum(b, "Fixtype", 0, 15, 0);
        p->second = (uint8_t)inum(b, "Timestamp", 0, 63, ORBAT_AIS_SECOND_NA);
        p->off_position = flag(b, "OffPosition");
        p->regional = (uint8_t)inum(b, "AtoN", 0, 255, 0);
        p->raim = flag(b, "Raim");
        p->virtual_aid = flag(b, "VirtualAtoN");
        p->assigned = flag(b, "AssignedMode");
    } else if (!strcmp(type, "StaticDataReport")) {
        m->type = 24;
        struct orbat_ais_static_b *p = &m->u.sb;
        const json_t *a = json_object_get(b, "ReportA");
        const json_t *rb = json_object_get(b, "ReportB");
        bool part_b = inum(b, "PartNumber", 0, 1, 0) == 1 || flag(b, "PartNumber");
        p->part = part_b ? 1 : 0;
        if (!part_b) {
            text(a, "Name", p->shipname, sizeof p->shipname);
        } else {
            p->shiptype = (uint8_t)inum(rb, "ShipType", 0, 255, 0);
            text(rb, "VendorIDName", p->vendorid, sizeof p->vendorid);
            p->model = (uint8_t)inum(rb, "VenderIDModel", 0, 15, 0);
            p->serial = (uint32_t)inum(rb, "VenderIDSerial", 0, (1L << 20) - 1, 0);
            text(rb, "CallSign", p->callsign, sizeof p->callsign);
            p->auxiliary = m->mmsi / 10000000 == 98;
            dims(rb, &p->to_bow, &p->to_stern, &p->to_port, &p->to_starboard);
            if (p->auxiliary) // the dimension bits carry the mothership MMSI
                p->mothership_mmsi = ((uint32_t)p->to_bow << 21) | ((uint32_t)p->to_stern << 12) |
                                     ((uint32_t)p->to_port << 6) | p->to_starboard;
        }
    } else if (!strcmp(type, "LongRangeAisBroadcastMessage")) {
        m->type = 27;
        struct orbat_ais_longrange *p = &m->u.lr;
        p->accuracy = flag(b, "PositionAccuracy");
        p->raim = flag(b, "Raim");
        p->status = (uint8_t)inum(b, "NavigationalStatus", 0, 15, 15);
        p->lon = coord(b, "Longitude", 181, 600.0, 181 * 600);
        p->lat = coord(b, "Latitude", 91, 600.0, 91 * 600);
        double s = num(b, "Sog", 63);
        p->speed = (uint8_t)(s >= 0 && s < 63 ? lround(s) : 63);
        double c = num(b, "Cog", 511);
        p->course = (uint16_t)(c >= 0 && c < 360 ? lround(c) % 360 : 511);
        p->gnss = !flag(b, "PositionLatency");
    } else {
        return ORBAT_E_UNSUPPORTED;
    }
    return ORBAT_OK;
}

int aisstream_parse(const char *json, size_t len, struct orbat_ais_msg *m, char *err, size_t errsz)
{
    memset(m, 0, sizeof *m);
    if (err && errsz)
        err[0] = 0;
    if (len > AISSTREAM_MAX_MSG)
        return ORBAT_E_TOOLONG;
    json_error_t je;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return ORBAT_E_FORMAT;
    int rc = ORBAT_E_FORMAT;
    const json_t *e = json_object_get(root, "error");
    const json_t *mt = json_object_get(root, "MessageType");
    const json_t *msg = json_object_get(root, "Message");
    if (json_is_object(root) && json_is_string(e) && !mt) {
        if (err && errsz)
            snprintf(err, errsz, "%s", json_string_value(e));
        rc = ORBAT_E_PROTOCOL;
        goto out;
    }
    if (!json_is_string(mt) || !json_is_object(msg))
        goto out;
    const char *type = json_string_value(mt);
    const json_t *body = json_object_get(msg, type);
    bool known = false;
    for (size_t i = 0; i < sizeof mapped / sizeof mapped[0]; i++)
        known |= !strcmp(type, mapped[i].name);
    if (!known) {
        rc = ORBAT_E_UNSUPPORTED;
        goto out;
    }
    if (!json_is_object(body))
        goto out;
    const json_t *meta = json_object_get(root, "MetaData");
    long mmsi = inum(body, "UserID", 0, 999999999, -1);
    if (mmsi < 0)
        mmsi = inum(meta, "MMSI", 0, 999999999, -1);
    if (mmsi <= 0) {
        rc = ORBAT_E_RANGE;
        goto out;
    }
    m->mmsi = (uint32_t)mmsi;
    m->repeat = (uint8_t)inum(body, "RepeatIndicator", 0, 3, 0);
    memcpy(m->talker, "AI", 3);
    m->nfrags = 1;
    m->nraw = 1;
    const json_t *tu = json_object_get(meta, "time_utc");
    if (json_is_string(tu) && aisstream_time(json_string_value(tu), &m->tag.time_ms))
        m->tag.has_time = true;
    snprintf(m->tag.source, sizeof m->tag.source, "aisstream");
    rc = map_body(type, body, m);
    if (rc == ORBAT_OK) {
        size_t n = len < ORBAT_AIS_RAW_CAP - 1 ? len : ORBAT_AIS_RAW_CAP - 1;
        memcpy(m->raw, json, n);
        m->raw[n] = 0;
        m->raw_len = (uint16_t)n;
    }
out:
    json_decref(root);
    return rc;
}
