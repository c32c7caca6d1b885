/* SPDX-License-Identifier: BSD-2-Clause
 *
 * ais_json_app.c - gpsd 3.22-compatible JSON for AIS type 6/8 application
 * payloads; see ais_json_app.h.
 *
 * Field names, order, number formats and legend texts reproduce what
 * gpsdecode 3.22 prints (its json_aivdm_dump was read as a specification),
 * including its quirks, which docs/ais-apps.md lists: unpadded dates in
 * some members, the missing comma before "nextsignal_text", the EMMA start
 * date built from hour/minute/day, strings that gpsd writes unescaped.
 * Nothing is formatted with printf: integers and exact decimals go through
 * ob_u64/ob_fixed, the doubles gpsd prints with %f through dbl_fixed, which
 * reproduces glibc's correctly rounded output.
 */
#include "cli/ais_json_app.h"

#include <math.h>
#include <string.h>

#include "orbat/ais_app.h"

#define NITEMS(a) (sizeof(a) / sizeof((a)[0]))

/* AIS_LATLON3_DIV (1/1000 minute) and AIS_LATLON4_DIV (1/10000 minute) */
#define LATLON3_DIV 60000.0
#define LATLON4_DIV 600000.0

static void jkey(struct outbuf *ob, const char *key)
{
    ob_putc(ob, ',');
    ob_putc(ob, '"');
    ob_puts(ob, key);
    OB_LIT(ob, "\":");
}

static void ju(struct outbuf *ob, const char *key, uint64_t v)
{
    jkey(ob, key);
    ob_u64(ob, v);
}

static void jb(struct outbuf *ob, const char *key, bool v)
{
    jkey(ob, key);
    if (v)
        OB_LIT(ob, "true");
    else
        OB_LIT(ob, "false");
}

/* A JSON string escaped as gpsd's json_stringify does (six-bit text only
 * holds printable ASCII, so escaping '"' and '\\' is all it takes). */
static void js(struct outbuf *ob, const char *key, const char *s)
{
    jkey(ob, key);
    ob_json_str(ob, s, strlen(s));
}

/* A string gpsd writes with plain "%s" (no escaping). */
static void jraw(struct outbuf *ob, const char *key, const char *s)
{
    jkey(ob, key);
    ob_putc(ob, '"');
    ob_puts(ob, s);
    ob_putc(ob, '"');
}

/* v / 10^dec as "%.<dec>f" for values that are exact decimals. */
static void jfix(struct outbuf *ob, const char *key, int64_t v, unsigned dec)
{
    jkey(ob, key);
    ob_fixed(ob, v, dec);
}

/* printf("%.<dec>f", d) without printf, for 0 <= dec <= 6: the exact binary
 * value of d is scaled by 10^dec in 128-bit integers and rounded half to
 * even, as glibc does; "-" for any negative d, even one that rounds to 0.
 * Values outside the range this handles (|d| * 10^dec >= 2^53, inf, nan)
 * and compilers without 128-bit integers fall back to ob_double. */
static void dbl_fixed(struct outbuf *ob, double d, unsigned dec)
{
#ifdef __SIZEOF_INT128__
    static const uint64_t pow10[7] = {1, 10, 100, 1000, 10000, 100000, 1000000};
    if (dec > 6 || !isfinite(d) || fabs(d) * (double)pow10[dec] >= 9007199254740992.0) {
        ob_double(ob, d, (int)dec);
        return;
    }
    bool neg = signbit(d);
    double a = fabs(d);
    uint64_t q = 0;
    if (a != 0) {
        int exp;
        double fr = frexp(a, &exp);           /* a = fr * 2^exp, fr in [0.5, 1) */
        uint64_t m = (uint64_t)ldexp(fr, 53); /* exact: a = m * 2^(exp - 53) */
        int shift = 53 - exp;                 /* > 0 since a < 2^53 */
        if (shift < 120) {
            unsigned __int128 n = (unsigned __int128)m * pow10[dec];
            unsigned __int128 one = 1;
            q = (uint64_t)(n >> shift);
            unsigned __int128 rem = n & ((one << shift) - 1), half = one << (shift - 1);
            if (rem > half || (rem == half && (q & 1)))
                q++;
        } /* else a < 2^-66: rounds to 0 */
    }
    if (neg)
        ob_putc(ob, '-');
    ob_fixed(ob, (int64_t)q, dec);
#else
    ob_double(ob, d, (int)dec);
#endif
}

static void jdbl(struct outbuf *ob, const char *key, double v, unsigned dec)
{
    jkey(ob, key);
    dbl_fixed(ob, v, dec);
}

/* The same with a literal key: the ",\"key\":" prefix is one memcpy. */
#define KEY(ob, k) OB_LIT(ob, ",\"" k "\":")
#define JU(ob, k, v)                                                                               \
    do {                                                                                           \
        KEY(ob, k);                                                                                \
        ob_u64(ob, (v));                                                                           \
    } while (0)
#define JI(ob, k, v)                                                                               \
    do {                                                                                           \
        KEY(ob, k);                                                                                \
        ob_i64(ob, (v));                                                                           \
    } while (0)
#define JFIX(ob, k, v, dec)                                                                        \
    do {                                                                                           \
        KEY(ob, k);                                                                                \
        ob_fixed(ob, (v), (dec));                                                                  \
    } while (0)

/* %02u */
static void u02(struct outbuf *ob, unsigned v)
{
    if (v < 10)
        ob_putc(ob, '0');
    ob_u64(ob, v);
}

/* "MM-DDTHH:MMZ" (%02u each) with an optional trailing Z */
static void jdate4(struct outbuf *ob, const char *key, unsigned a, unsigned b, unsigned c,
                   unsigned d, bool z)
{
    jkey(ob, key);
    ob_putc(ob, '"');
    u02(ob, a);
    ob_putc(ob, '-');
    u02(ob, b);
    ob_putc(ob, 'T');
    u02(ob, c);
    ob_putc(ob, ':');
    u02(ob, d);
    if (z)
        ob_putc(ob, 'Z');
    ob_putc(ob, '"');
}

/* "%u-%uT%u:%u" (unpadded) */
static void jdate4u(struct outbuf *ob, const char *key, unsigned a, unsigned b, unsigned c,
                    unsigned d)
{
    jkey(ob, key);
    ob_putc(ob, '"');
    ob_u64(ob, a);
    ob_putc(ob, '-');
    ob_u64(ob, b);
    ob_putc(ob, 'T');
    ob_u64(ob, c);
    ob_putc(ob, ':');
    ob_u64(ob, d);
    ob_putc(ob, '"');
}

/* ,"data":"<bits>:<hex>" - gpsd copies whole bytes from the data start;
 * for type 8 the unused low bits of the last byte are cleared, for type 6
 * they are printed as they came (the armour's fill bits). */
static void app_data(struct outbuf *ob, const uint8_t *bits, unsigned nbits, unsigned start,
                     bool mask)
{
    unsigned dbits = nbits > start ? nbits - start : 0;
    unsigned nbytes = (dbits + 7) / 8;
    OB_LIT(ob, ",\"data\":\"");
    ob_u64(ob, dbits);
    ob_putc(ob, ':');
    if (nbytes) {
        const uint8_t *p = bits + start / 8;
        ob_hex(ob, p, nbytes - 1);
        uint8_t last = p[nbytes - 1];
        if (mask && (dbits & 7))
            last &= (uint8_t)(0xff << (8 - (dbits & 7)));
        ob_hex(ob, &last, 1);
    }
    ob_putc(ob, '"');
}

static const char *const racon_status[] = {"No RACON installed", "RACON not monitored",
                                           "RACON operational", "RACON ERROR"};
static const char *const light_status[] = {"No light or no monitoring", "Light ON", "Light OFF",
                                           "Light ERROR"};
static const char *const rta_status[] = {"Operational", "Limited operation", "Out of order", "N/A"};
static const char *const position_types[] = {
    "Not available", "Port-side to", "Starboard-side to",       "Mediterranean (end-on) mooring",
    "Mooring buoy",  "Anchorage",    "Reserved for future use", "Reserved for future use"};
static const char *const trends[] = {"steady", "increasing", "decreasing", "N/A"};
/* WMO 306, code table 4.201 */
static const char *const preciptypes[] = {"reserved",  "rain", "thunderstorm", "freezing rain",
                                          "mixed/ice", "snow", "reserved",     "N/A"};
static const char *const ice_legends[] = {"no", "yes", "reserved", "N/A"};
static const char *const idtypes[] = {"mmsi", "imo", "callsign", "other"};

static const char *route_type(unsigned t)
{
    static const char *const names[] = {
        "Undefined (default)",           "Mandatory",      "Recommended", "Alternative",
        "Recommended route through ice", "Ship route plan"};
    if (t < NITEMS(names))
        return names[t];
    return t == 31 ? "Cancel route identified by message linkage" : "Reserved for future use.";
}

static const char *signal_legend(unsigned n)
{
    static const char *const legends[] = {
        "N/A",
        "Serious emergency – stop or divert according to instructions.",
        "Vessels shall not proceed.",
        "Vessels may proceed. One way traffic.",
        "Vessels may proceed. Two way traffic.",
        "Vessels shall proceed on specific orders only.",
        "Vessels in main channel shall not proceed.",
        "Vessels in main channel shall proceed on specific orders only.",
        "Vessels in main channel shall proceed on specific orders only.",
        "I = \"in-bound\" only acceptable.",
        "O = \"out-bound\" only acceptable.",
        "F = both \"in- and out-bound\" acceptable.",
        "XI = Code will shift to \"I\" in due time.",
        "XO = Code will shift to \"O\" in due time.",
        "X = Vessels shall proceed only on direction.",
    };
    return n < NITEMS(legends) ? legends[n] : "INVALID SIGNAL TYPE";
}

/* Inland AIS ERI ship types; gpsd matches the ERI code or the AIS code and
 * stops at the terminator. */
static const char *inland_shiptype(unsigned st)
{
    static const struct {
        unsigned short code, ais;
        const char *legend;
    } types[] = {
        {8000, 99, "Vessel, type unknown"},
        {8010, 79, "Motor freighter"},
        {8020, 89, "Motor tanker"},
        {8021, 80, "Motor tanker, liquid cargo, type N"},
        {8022, 80, "Motor tanker, liquid cargo, type C"},
        {8023, 89, "Motor tanker, dry cargo as if liquid (e.g. cement)"},
        {8030, 79, "Container vessel"},
        {8040, 80, "Gas tanker"},
        {8050, 79, "Motor freighter, tug"},
        {8060, 89, "Motor tanker, tug"},
        {8070, 79, "Motor freighter with one or more ships alongside"},
        {8080, 89, "Motor freighter with tanker"},
        {8090, 79, "Motor freighter pushing one or more freighters"},
        {8100, 89, "Motor freighter pushing at least one tank-ship"},
        {8110, 79, "Tug, freighter"},
        {8120, 89, "Tug, tanker"},
        {8130, 31, "Tug freighter, coupled"},
        {8140, 31, "Tug, freighter/tanker, coupled"},
        {8150, 99, "Freightbarge"},
        {8160, 99, "Tankbarge"},
        {8161, 90, "Tankbarge, liquid cargo, type N"},
        {8162, 90, "Tankbarge, liquid cargo, type C"},
        {8163, 99, "Tankbarge, dry cargo as if liquid (e.g. cement)"},
        {8170, 99, "Freightbarge with containers"},
        {8180, 90, "Tankbarge, gas"},
        {8210, 79, "Pushtow, one cargo barge"},
        {8220, 79, "Pushtow, two cargo barges"},
        {8230, 79, "Pushtow, three cargo barges"},
        {8240, 79, "Pushtow, four cargo barges"},
        {8250, 79, "Pushtow, five cargo barges"},
        {8260, 79, "Pushtow, six cargo barges"},
        {8270, 79, "Pushtow, seven cargo barges"},
        {8280, 79, "Pushtow, eigth cargo barges"},
        {8290, 79, "Pushtow, nine or more barges"},
        {8310, 80, "Pushtow, one tank/gas barge"},
        {8320, 80, "Pushtow, two barges at least one tanker or gas barge"},
        {8330, 80, "Pushtow, three barges at least one tanker or gas barge"},
        {8340, 80, "Pushtow, four barges at least one tanker or gas barge"},
        {8350, 80, "Pushtow, five barges at least one tanker or gas barge"},
        {8360, 80, "Pushtow, six barges at least one tanker or gas barge"},
        {8370, 80, "Pushtow, seven barges at least one tanker or gas barg"},
    };
    for (size_t i = 0; i < NITEMS(types); i++)
        if (types[i].code == st || types[i].ais == st)
            return types[i].legend;
    return "Illegal ship type value.";
}

static const char *table_or(const char *const *t, size_t n, unsigned i, const char *bad)
{
    return i < n ? t[i] : bad;
}

static void json_lock(struct outbuf *ob, const struct orbat_ais_app *a)
{
    jraw(ob, "country", a->u.lock.country);
    jraw(ob, "locode", a->u.lock.locode);
    jraw(ob, "section", a->u.lock.section);
    jraw(ob, "terminal", a->u.lock.terminal);
    jraw(ob, "hectometre", a->u.lock.hectometre);
    jdate4u(ob, "eta", a->u.lock.month, a->u.lock.day, a->u.lock.hour, a->u.lock.minute);
    if (a->kind == ORBAT_AIS_APP_INLAND_ETA) {
        JU(ob, "tugs", a->u.lock.tugs);
        JU(ob, "airdraught", a->u.lock.airdraught);
    } else {
        JU(ob, "status", a->u.lock.status);
        jraw(ob, "status_text", rta_status[a->u.lock.status & 3]);
    }
}

static void json_aton(struct outbuf *ob, const struct orbat_ais_app *a, bool scaled)
{
    jb(ob, "off_pos", a->u.aton.off_pos);
    jb(ob, "alarm", a->u.aton.alarm);
    JU(ob, "stat_ext", a->u.aton.stat_ext);
    const char *keys[3] = {"ana_int", "ana_ext1", "ana_ext2"};
    unsigned vals[3] = {a->u.aton.ana_int, a->u.aton.ana_ext1, a->u.aton.ana_ext2};
    for (int i = 0; i < 3; i++) {
        if (scaled && vals[i] != 0)
            jfix(ob, keys[i], (int64_t)vals[i] * 5, 2); /* v * 0.05, %.2f */
        else
            ju(ob, keys[i], vals[i]);
    }
    JU(ob, "racon", a->u.aton.racon);
    jraw(ob, "racon_text", racon_status[a->u.aton.racon & 3]);
    JU(ob, "light", a->u.aton.light);
    jraw(ob, "light_text", light_status[a->u.aton.light & 3]);
}

static void json_tidal(struct outbuf *ob, const struct orbat_ais_app *a, bool scaled)
{
    JU(ob, "month", a->u.tidal.month);
    JU(ob, "day", a->u.tidal.day);
    OB_LIT(ob, ",\"tidals\":[");
    for (unsigned i = 0; i < a->u.tidal.ntidals; i++) {
        const struct orbat_ais_app_tidal *t = &a->u.tidal.tidals[i];
        if (i)
            ob_putc(ob, ',');
        ob_putc(ob, '{');
        if (scaled) {
            OB_LIT(ob, "\"lon\":");
            dbl_fixed(ob, t->lon / LATLON3_DIV, 4);
            jdbl(ob, "lat", t->lat / LATLON3_DIV, 4);
        } else {
            OB_LIT(ob, "\"lon\":");
            ob_i64(ob, t->lon);
            JI(ob, "lat", t->lat);
        }
        JU(ob, "from_hour", t->from_hour);
        JU(ob, "from_min", t->from_min);
        JU(ob, "to_hour", t->to_hour);
        JU(ob, "to_min", t->to_min);
        JU(ob, "cdir", t->cdir);
        if (scaled)
            JFIX(ob, "cspeed", t->cspeed, 1);
        else
            JU(ob, "cspeed", t->cspeed);
        ob_putc(ob, '}');
    }
    ob_putc(ob, ']');
}

static void json_berth(struct outbuf *ob, const struct orbat_ais_app *a, bool scaled)
{
    static const char *const services[26] = {
        "agent",       "fuel",           "chandler", "stevedore",  "electrical", "water",
        "customs",     "cartage",        "crane",    "lift",       "medical",    "navrepair",
        "provisions",  "shiprepair",     "surveyor", "steam",      "tugs",       "solidwaste",
        "liquidwaste", "hazardouswaste", "ballast",  "additional", "regional1",  "regional2",
        "future1",     "future2"};
    JU(ob, "linkage", a->u.berth.linkage);
    JU(ob, "berth_length", a->u.berth.berth_length);
    JU(ob, "position", a->u.berth.position);
    jraw(ob, "position_text", position_types[a->u.berth.position & 7]);
    jdate4u(ob, "arrival", a->u.berth.month, a->u.berth.day, a->u.berth.hour, a->u.berth.minute);
    JU(ob, "availability", a->u.berth.availability);
    for (unsigned i = 0; i < 26; i++)
        ju(ob, services[i], a->u.berth.services[i]);
    js(ob, "berth_name", a->u.berth.berth_name);
    if (scaled) {
        jdbl(ob, "berth_lon", a->u.berth.berth_lon / LATLON3_DIV, 4);
        jdbl(ob, "berth_lat", a->u.berth.berth_lat / LATLON3_DIV, 4);
        JFIX(ob, "berth_depth", a->u.berth.berth_depth, 1);
    } else {
        JI(ob, "berth_lon", a->u.berth.berth_lon);
        JI(ob, "berth_lat", a->u.berth.berth_lat);
        JU(ob, "berth_depth", a->u.berth.berth_depth);
    }
}

static void json_route(struct outbuf *ob, const struct orbat_ais_app *a, bool scaled)
{
    JU(ob, "linkage", a->u.route.linkage);
    JU(ob, "sender", a->u.route.sender);
    JU(ob, "rtype", a->u.route.rtype);
    jraw(ob, "rtype_text", route_type(a->u.route.rtype));
    jdate4(ob, "start", a->u.route.month, a->u.route.day, a->u.route.hour, a->u.route.minute, true);
    JU(ob, "duration", a->u.route.duration);
    OB_LIT(ob, ",\"waypoints\":[");
    for (unsigned i = 0; i < a->u.route.waycount; i++) {
        if (i)
            ob_putc(ob, ',');
        OB_LIT(ob, "{\"lon\":");
        if (scaled) {
            dbl_fixed(ob, a->u.route.waypoints[i].lon / LATLON4_DIV, 6);
            jdbl(ob, "lat", a->u.route.waypoints[i].lat / LATLON4_DIV, 6);
        } else {
            ob_i64(ob, a->u.route.waypoints[i].lon);
            JI(ob, "lat", a->u.route.waypoints[i].lat);
        }
        ob_putc(ob, '}');
    }
    ob_putc(ob, ']');
}

static void json_met(struct outbuf *ob, const struct orbat_ais_app *a, bool scaled)
{
    bool c289 = a->kind == ORBAT_AIS_APP_MET_289;
    if (scaled) {
        jdbl(ob, "lat", a->u.met.lat / LATLON3_DIV, 4);
        jdbl(ob, "lon", a->u.met.lon / LATLON3_DIV, 4);
    } else {
        JI(ob, "lat", a->u.met.lat);
        JI(ob, "lon", a->u.met.lon);
    }
    if (c289)
        jb(ob, "accuracy", a->u.met.accuracy);
    jkey(ob, "timestamp");
    ob_putc(ob, '"');
    u02(ob, a->u.met.day);
    ob_putc(ob, 'T');
    u02(ob, a->u.met.hour);
    ob_putc(ob, ':');
    u02(ob, a->u.met.minute);
    OB_LIT(ob, "Z\"");
    JU(ob, "wspeed", a->u.met.wspeed);
    JU(ob, "wgust", a->u.met.wgust);
    JU(ob, "wdir", a->u.met.wdir);
    JU(ob, "wgustdir", a->u.met.wgustdir);
    JU(ob, "humidity", a->u.met.humidity);
    if (scaled) {
        if (c289) {
            JFIX(ob, "airtemp", a->u.met.airtemp, 1);
            JFIX(ob, "dewpoint", a->u.met.dewpoint, 1);
            JU(ob, "pressure", a->u.met.pressure + 799u);
        } else {
            JFIX(ob, "airtemp", a->u.met.airtemp - 600, 1);
            JFIX(ob, "dewpoint", a->u.met.dewpoint - 200, 1);
            JU(ob, "pressure", a->u.met.pressure + 800u);
        }
        jraw(ob, "pressuretend", trends[a->u.met.pressuretend & 3]);
        if (c289)
            jb(ob, "visgreater", a->u.met.visgreater);
        JFIX(ob, "visibility", a->u.met.visibility, 1);
        if (c289) /* gpsd: ((unsigned)level - 1000) / 100.0, wrapping */
            jdbl(ob, "waterlevel", (unsigned)((unsigned)a->u.met.waterlevel - 1000u) / 100.0, 1);
        else
            JFIX(ob, "waterlevel", a->u.met.waterlevel - 100, 1);
        jraw(ob, "leveltrend", trends[a->u.met.leveltrend & 3]);
        JFIX(ob, "cspeed", a->u.met.cspeed, 1);
        JU(ob, "cdir", a->u.met.cdir);
        JFIX(ob, "cspeed2", a->u.met.cspeed2, 1);
        JU(ob, "cdir2", a->u.met.cdir2);
        JU(ob, "cdepth2", a->u.met.cdepth2);
        JFIX(ob, "cspeed3", a->u.met.cspeed3, 1);
        JU(ob, "cdir3", a->u.met.cdir3);
        JU(ob, "cdepth3", a->u.met.cdepth3);
        JFIX(ob, "waveheight", a->u.met.waveheight, 1);
        JU(ob, "waveperiod", a->u.met.waveperiod);
        JU(ob, "wavedir", a->u.met.wavedir);
        JFIX(ob, "swellheight", a->u.met.swellheight, 1);
        JU(ob, "swellperiod", a->u.met.swellperiod);
        JU(ob, "swelldir", a->u.met.swelldir);
        JU(ob, "seastate", a->u.met.seastate);
        if (c289) {
            JFIX(ob, "watertemp", a->u.met.watertemp, 1);
            jraw(ob, "preciptype", preciptypes[a->u.met.preciptype & 7]);
            JFIX(ob, "salinity", a->u.met.salinity, 1);
            jraw(ob, "ice", ice_legends[a->u.met.ice & 3]);
        } else {
            JFIX(ob, "watertemp", a->u.met.watertemp - 100, 1);
            JU(ob, "preciptype", a->u.met.preciptype);
            jraw(ob, "preciptype_text", preciptypes[a->u.met.preciptype & 7]);
            JFIX(ob, "salinity", a->u.met.salinity, 1);
            JU(ob, "ice", a->u.met.ice);
            jraw(ob, "ice_text", ice_legends[a->u.met.ice & 3]);
        }
        return;
    }
    JI(ob, "airtemp", a->u.met.airtemp);
    JI(ob, "dewpoint", a->u.met.dewpoint);
    JU(ob, "pressure", a->u.met.pressure);
    JU(ob, "pressuretend", a->u.met.pressuretend);
    if (c289)
        jb(ob, "visgreater", a->u.met.visgreater);
    JU(ob, "visibility", a->u.met.visibility);
    JI(ob, "waterlevel", a->u.met.waterlevel);
    JU(ob, "leveltrend", a->u.met.leveltrend);
    JU(ob, "cspeed", a->u.met.cspeed);
    JU(ob, "cdir", a->u.met.cdir);
    JU(ob, "cspeed2", a->u.met.cspeed2);
    JU(ob, "cdir2", a->u.met.cdir2);
    JU(ob, "cdepth2", a->u.met.cdepth2);
    JU(ob, "cspeed3", a->u.met.cspeed3);
    JU(ob, "cdir3", a->u.met.cdir3);
    JU(ob, "cdepth3", a->u.met.cdepth3);
    JU(ob, "waveheight", a->u.met.waveheight);
    JU(ob, "waveperiod", a->u.met.waveperiod);
    JU(ob, "wavedir", a->u.met.wavedir);
    JU(ob, "swellheight", a->u.met.swellheight);
    JU(ob, "swellperiod", a->u.met.swellperiod);
    JU(ob, "swelldir", a->u.met.swelldir);
    JU(ob, "seastate", a->u.met.seastate);
    JI(ob, "watertemp", a->u.met.watertemp);
    JU(ob, "preciptype", a->u.met.preciptype);
    if (!c289)
        jraw(ob, "preciptype_text", preciptypes[a->u.met.preciptype & 7]);
    JU(ob, "salinity", a->u.met.salinity);
    JU(ob, "ice", a->u.met.ice);
    if (!c289)
        jraw(ob, "ice_text", ice_legends[a->u.met.ice & 3]);
}

static void json_vts(struct outbuf *ob, const struct orbat_ais_app *a, bool scaled)
{
    OB_LIT(ob, ",\"targets\":[");
    for (unsigned i = 0; i < a->u.vts.ntargets; i++) {
        const struct orbat_ais_app_target *t = &a->u.vts.targets[i];
        if (i)
            ob_putc(ob, ',');
        OB_LIT(ob, "{\"idtype\":");
        ob_u64(ob, t->idtype);
        jraw(ob, "idtype_text", idtypes[t->idtype & 3]);
        jkey(ob, idtypes[t->idtype & 3]);
        if (t->idtype <= 1) {
            ob_putc(ob, '"');
            ob_u64(ob, t->id_num);
            ob_putc(ob, '"');
        } else {
            ob_json_str(ob, t->id_text, strlen(t->id_text));
        }
        if (scaled) {
            jdbl(ob, "lat", t->lat / LATLON3_DIV, 4);
            jdbl(ob, "lon", t->lon / LATLON3_DIV, 4);
        } else {
            JI(ob, "lat", t->lat);
            JI(ob, "lon", t->lon);
        }
        JU(ob, "course", t->course);
        JU(ob, "second", t->second);
        JU(ob, "speed", t->speed);
        ob_putc(ob, '}');
    }
    ob_putc(ob, ']');
}

static void json_inland_static(struct outbuf *ob, const struct orbat_ais_app *a)
{
    static const char *const hazard_types[] = {
        "0 blue cones/lights", "1 blue cone/light", "2 blue cones/lights",
        "3 blue cones/lights", "4 B-Flag",          "Unknown"};
    static const char *const lstatus_types[] = {"N/A (default)", "Unloaded", "Loaded"};
    js(ob, "vin", a->u.inland.vin);
    JU(ob, "length", a->u.inland.length);
    JU(ob, "beam", a->u.inland.beam);
    JU(ob, "shiptype", a->u.inland.shiptype);
    jraw(ob, "shiptype_text", inland_shiptype(a->u.inland.shiptype));
    JU(ob, "hazard", a->u.inland.hazard);
    jraw(ob, "hazard_text",
         table_or(hazard_types, NITEMS(hazard_types), a->u.inland.hazard, "INVALID HAZARD TYPE"));
    JU(ob, "draught", a->u.inland.draught);
    JU(ob, "loaded", a->u.inland.loaded);
    jraw(ob, "loaded_text",
         table_or(lstatus_types, NITEMS(lstatus_types), a->u.inland.loaded, "INVALID LOAD STATUS"));
    jb(ob, "speed_q", a->u.inland.speed_q);
    jb(ob, "course_q", a->u.inland.course_q);
    jb(ob, "heading_q", a->u.inland.heading_q);
}

static void json_emma(struct outbuf *ob, const struct orbat_ais_app *a, bool scaled)
{
    static const char *const emma_types[] = {"Not Available",
                                             "Wind",
                                             "Rain",
                                             "Snow and ice",
                                             "Thunderstorm",
                                             "Fog",
                                             "Low temperature",
                                             "High temperature",
                                             "Flood",
                                             "Forest Fire"};
    static const char *const emma_classes[] = {"Slight", "Medium", "Strong"};
    static const char *const emma_winds[] = {"N/A",        "North",      "North East",
                                             "East",       "South East", "South",
                                             "South West", "West",       "North West"};
    /* gpsd builds "start" from year, month, hour, minute, day (sic) and
     * pads the year to 4 columns with spaces (%4u). */
    const unsigned sv[5] = {a->u.emma.start_year + 2000u, a->u.emma.start_month,
                            a->u.emma.start_hour, a->u.emma.start_minute, a->u.emma.start_day};
    const unsigned ev[5] = {a->u.emma.end_year + 2000u, a->u.emma.end_month, a->u.emma.end_day,
                            a->u.emma.end_hour, a->u.emma.end_minute};
    for (int k = 0; k < 2; k++) {
        const unsigned *v = k ? ev : sv;
        jkey(ob, k ? "end" : "start");
        ob_putc(ob, '"');
        ob_u64(ob, v[0]); /* >= 2000: %4u adds no padding */
        ob_putc(ob, '-');
        u02(ob, v[1]);
        ob_putc(ob, '-');
        u02(ob, v[2]);
        ob_putc(ob, 'T');
        u02(ob, v[3]);
        ob_putc(ob, ':');
        u02(ob, v[4]);
        ob_putc(ob, '"');
    }
    if (scaled) {
        jdbl(ob, "start_lon", a->u.emma.start_lon / LATLON4_DIV, 6);
        jdbl(ob, "start_lat", a->u.emma.start_lat / LATLON4_DIV, 6);
        jdbl(ob, "end_lon", a->u.emma.end_lon / LATLON4_DIV, 6);
        jdbl(ob, "end_lat", a->u.emma.end_lat / LATLON4_DIV, 6);
    } else {
        JI(ob, "start_lon", a->u.emma.start_lon);
        JI(ob, "start_lat", a->u.emma.start_lat);
        JI(ob, "end_lon", a->u.emma.end_lon);
        JI(ob, "end_lat", a->u.emma.end_lat);
    }
    JU(ob, "type", a->u.emma.type);
    jraw(ob, "type_text",
         table_or(emma_types, NITEMS(emma_types), a->u.emma.type, "INVALID EMMA TYPE"));
    JI(ob, "min", a->u.emma.min);
    JI(ob, "max", a->u.emma.max);
    JU(ob, "class", a->u.emma.intensity);
    jraw(ob, "class_text",
         table_or(emma_classes, NITEMS(emma_classes), a->u.emma.intensity, "INVALID EMMA TYPE"));
    JU(ob, "wind", a->u.emma.wind);
    jraw(ob, "wind_text",
         table_or(emma_winds, NITEMS(emma_winds), a->u.emma.wind, "INVALID EMMA WIND DIRECTION"));
}

static void json_inland_signal(struct outbuf *ob, const struct orbat_ais_app *a, bool scaled)
{
    static const char *const directions[] = {"Unknown", "Upstream", "Downstream", "To left bank",
                                             "To right bank"};
    static const char *const statuses[] = {"Unknown",        "No light",        "White",
                                           "Yellow",         "Green",           "Red",
                                           "White flashing", "Yellow flashing."};
    if (scaled) {
        jdbl(ob, "lon", a->u.isignal.lon / LATLON4_DIV, 6);
        jdbl(ob, "lat", a->u.isignal.lat / LATLON4_DIV, 6);
    } else {
        JI(ob, "lon", a->u.isignal.lon);
        JI(ob, "lat", a->u.isignal.lat);
    }
    JU(ob, "form", a->u.isignal.form);
    JU(ob, "facing", a->u.isignal.facing);
    JU(ob, "direction", a->u.isignal.direction);
    jraw(ob, "direction_text",
         table_or(directions, NITEMS(directions), a->u.isignal.direction, "INVALID DIRECTION"));
    JU(ob, "status", a->u.isignal.status);
    jraw(ob, "status_text",
         table_or(statuses, NITEMS(statuses), a->u.isignal.status, "INVALID STATUS"));
}

void ais_json_app_tail(struct outbuf *ob, const uint8_t *bits, unsigned nbits, bool scaled)
{
    ais_json_app_tail_fill(ob, bits, nbits, 0, scaled);
}

void ais_json_app_tail_fill(struct outbuf *ob, const uint8_t *bits, unsigned nbits, unsigned fill,
                            bool scaled)
{
    struct orbat_ais_app a;
    enum orbat_err err = orbat_ais_app_decode_fill(bits, nbits, fill, &a);
    if (err == ORBAT_E_UNSUPPORTED && a.type != 6 && a.type != 8)
        return;
    if (err == ORBAT_E_INVAL)
        return;
    if (err == ORBAT_E_BITCOUNT) {
        /* outside gpsd's 88/56..1008-bit range: gpsd prints no message, a
         * caller that prints one anyway gets the data bits (capped) */
        if (nbits < 56)
            return;
        unsigned type = bits[0] >> 2, start = type == 6 ? 88 : 56;
        if ((type != 6 && type != 8) || nbits < start)
            return;
        app_data(ob, bits, nbits > 1008 ? 1008 : nbits, start, type == 8);
        return;
    }
    switch (a.kind) {
    case ORBAT_AIS_APP_RAW:
        app_data(ob, bits, nbits, a.data_start, a.type == 8);
        break;
    case ORBAT_AIS_APP_INLAND_ETA:
    case ORBAT_AIS_APP_INLAND_RTA:
        json_lock(ob, &a);
        break;
    case ORBAT_AIS_APP_INLAND_POB:
        JU(ob, "crew", a.u.pob.crew);
        JU(ob, "passengers", a.u.pob.passengers);
        JU(ob, "personnel", a.u.pob.personnel);
        break;
    case ORBAT_AIS_APP_GLA_ATON:
        json_aton(ob, &a, scaled);
        break;
    case ORBAT_AIS_APP_DANGEROUS_236:
        js(ob, "lastport", a.u.dg236.lastport);
        jdate4(ob, "departure", a.u.dg236.lmonth, a.u.dg236.lday, a.u.dg236.lhour,
               a.u.dg236.lminute, true);
        js(ob, "nextport", a.u.dg236.nextport);
        jdate4(ob, "eta", a.u.dg236.nmonth, a.u.dg236.nday, a.u.dg236.nhour, a.u.dg236.nminute,
               true);
        js(ob, "dangerous", a.u.dg236.dangerous);
        js(ob, "imdcat", a.u.dg236.imdcat);
        JU(ob, "unid", a.u.dg236.unid);
        JU(ob, "amount", a.u.dg236.amount);
        JU(ob, "unit", a.u.dg236.unit);
        break;
    case ORBAT_AIS_APP_TIDAL_236:
    case ORBAT_AIS_APP_TIDAL_289:
        json_tidal(ob, &a, scaled);
        break;
    case ORBAT_AIS_APP_AIRDRAUGHT:
        JU(ob, "airdraught", a.u.ext.airdraught);
        break;
    case ORBAT_AIS_APP_PERSONS:
        /* gpsd 3.22 prints type 8's count from the type 6 member of its
         * union, which lies in memory it has zeroed: always 0 for type 8 */
        JU(ob, "persons", a.type == 8 ? 0 : a.u.persons.persons);
        break;
    case ORBAT_AIS_APP_CLEARANCE:
        JU(ob, "linkage", a.u.clearance.linkage);
        jdate4(ob, "arrival", a.u.clearance.month, a.u.clearance.day, a.u.clearance.hour,
               a.u.clearance.minute, true);
        js(ob, "portname", a.u.clearance.portname);
        js(ob, "destination", a.u.clearance.destination);
        if (scaled) {
            jdbl(ob, "lon", a.u.clearance.lon / LATLON3_DIV, 4);
            jdbl(ob, "lat", a.u.clearance.lat / LATLON3_DIV, 4);
        } else {
            JI(ob, "lon", a.u.clearance.lon);
            JI(ob, "lat", a.u.clearance.lat);
        }
        break;
    case ORBAT_AIS_APP_BERTHING:
        json_berth(ob, &a, scaled);
        break;
    case ORBAT_AIS_APP_DANGEROUS_289:
        JU(ob, "unit", a.u.dg289.unit);
        JU(ob, "amount", a.u.dg289.amount);
        OB_LIT(ob, ",\"cargos\":[");
        for (unsigned i = 0; i < a.u.dg289.ncargos; i++) {
            if (i)
                ob_putc(ob, ',');
            OB_LIT(ob, "{\"code\":");
            ob_u64(ob, a.u.dg289.cargos[i].code);
            JU(ob, "subtype", a.u.dg289.cargos[i].subtype);
            ob_putc(ob, '}');
        }
        ob_putc(ob, ']');
        break;
    case ORBAT_AIS_APP_ROUTE:
        json_route(ob, &a, scaled);
        break;
    case ORBAT_AIS_APP_TEXT:
        JU(ob, "linkage", a.u.text.linkage);
        js(ob, "text", a.u.text.text);
        break;
    case ORBAT_AIS_APP_MET_236:
    case ORBAT_AIS_APP_MET_289:
        json_met(ob, &a, scaled);
        break;
    case ORBAT_AIS_APP_FAIRWAY:
        js(ob, "reason", a.u.fairway.reason);
        js(ob, "closefrom", a.u.fairway.closefrom);
        js(ob, "closeto", a.u.fairway.closeto);
        JU(ob, "radius", a.u.fairway.radius);
        JU(ob, "extunit", a.u.fairway.extunit);
        jdate4(ob, "from", a.u.fairway.fmonth, a.u.fairway.fday, a.u.fairway.fhour,
               a.u.fairway.fminute, false);
        jdate4(ob, "to", a.u.fairway.tmonth, a.u.fairway.tday, a.u.fairway.thour,
               a.u.fairway.tminute, false);
        break;
    case ORBAT_AIS_APP_VTS_TARGETS:
        json_vts(ob, &a, scaled);
        break;
    case ORBAT_AIS_APP_SIGNAL:
        JU(ob, "linkage", a.u.signal.linkage);
        js(ob, "station", a.u.signal.station);
        jdbl(ob, "lon", a.u.signal.lon / LATLON3_DIV, 4);
        jdbl(ob, "lat", a.u.signal.lat / LATLON3_DIV, 4);
        JU(ob, "status", a.u.signal.status);
        JU(ob, "signal", a.u.signal.signal);
        jraw(ob, "signal_text", signal_legend(a.u.signal.signal));
        JU(ob, "hour", a.u.signal.hour);
        JU(ob, "minute", a.u.signal.minute);
        JU(ob, "nextsignal", a.u.signal.nextsignal);
        /* gpsd 3.22 omits the comma before this member */
        OB_LIT(ob, "\"nextsignal_text\":\"");
        ob_puts(ob, signal_legend(a.u.signal.nextsignal));
        ob_putc(ob, '"');
        break;
    case ORBAT_AIS_APP_INLAND_STATIC:
        json_inland_static(ob, &a);
        break;
    case ORBAT_AIS_APP_INLAND_EMMA:
        json_emma(ob, &a, scaled);
        break;
    case ORBAT_AIS_APP_INLAND_WATER:
        jraw(ob, "country", a.u.water.country);
        OB_LIT(ob, ",\"gauges\":[");
        for (unsigned i = 0; i < a.u.water.ngauges; i++) {
            if (i)
                ob_putc(ob, ',');
            OB_LIT(ob, "{\"id\":");
            ob_u64(ob, a.u.water.gauges[i].id);
            JI(ob, "level", a.u.water.gauges[i].level);
            ob_putc(ob, '}');
        }
        ob_putc(ob, ']');
        break;
    case ORBAT_AIS_APP_INLAND_SIGNAL:
        json_inland_signal(ob, &a, scaled);
        break;
    }
}
