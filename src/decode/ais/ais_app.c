/* SPDX-License-Identifier: BSD-2-Clause
 *
 * ais_app.c - application payloads (DAC/FI) of AIS message types 6 and 8;
 * see include/orbat/ais_app.h.
 *
 * The set of payloads, their bit layouts and the length rules follow what
 * gpsd 3.22 decodes (its driver_ais.c and www/AIVDM.adoc were read as a
 * specification), so that `orbat decode --format gpsd` can reproduce
 * gpsdecode's output. Sources of the layouts: ITU-R M.1371-5 §3.3 (message
 * 6/8 framing), IMO SN.1/Circ.236 (2004) and SN.1/Circ.289 (2010) for
 * DAC 1, the EU Inland AIS standard 2.0 (DAC 200) and the GLA AtoN
 * monitoring message (DAC 235/250). Bit positions below are the 0-based
 * ITU positions within the whole message.
 */
#include "orbat/ais_app.h"

#include <string.h>

#include "decode/common/bits.h"

/* Fields are read straight from the caller's buffer while they lie inside
 * its readable bytes; a field that runs past them (gpsd reads past the end
 * of short messages, up to bit 149 + 55 * 31 for type 6 route waypoints)
 * takes zeros for the missing bits, as gpsd's zeroed buffer gives. */
#define APP_MAX_BITS 1008

struct app_rd {
    const uint8_t *p;
    unsigned nbits; /* message length */
    unsigned avail; /* readable bits: 8 * readable bytes */
};

/* Eight bytes at p as a big-endian integer. */
static uint64_t app_load_be64(const uint8_t *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    w = __builtin_bswap64(w);
#elif !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_BIG_ENDIAN__
    w = 0;
    for (unsigned i = 0; i < 8; i++)
        w = (w << 8) | p[i];
#endif
    return w;
}

/* Unsigned field of `width` <= 32 bits at 0-based bit `start`. */
static unsigned app_u(const struct app_rd *r, unsigned start, unsigned width)
{
    unsigned byte = start >> 3;
    if (byte * 8 + 64 <= r->avail) /* one 8-byte load covers the field */
        return (unsigned)((app_load_be64(r->p + byte) << (start & 7)) >> (64 - width));
    if (start + width <= r->avail)
        return (unsigned)bits_u(r->p, start, width);
    if (start >= r->avail)
        return 0;
    /* the field runs past the readable bytes: the missing low bits are 0 */
    unsigned have = r->avail - start;
    return (unsigned)(bits_u(r->p, start, have) << (width - have));
}

static uint64_t app_u64(const struct app_rd *r, unsigned start, unsigned width)
{
    if (start + width <= r->avail)
        return bits_u(r->p, start, width);
    return ((uint64_t)app_u(r, start, width - 32) << 32) | app_u(r, start + width - 32, 32);
}

static int32_t app_s(const struct app_rd *r, unsigned start, unsigned width)
{
    uint32_t v = app_u(r, start, width);
    if (width < 32 && (v >> (width - 1)) & 1)
        v |= ~(uint32_t)0 << width;
    return (int32_t)v;
}

/* Six-bit ASCII (ITU-R M.1371-5 §3.3.7 table 47): `count` characters from
 * bit `start`; stop at '@' (code 0) and trim trailing spaces and '@', as
 * gpsd does. `to` holds `size` >= count + 1 bytes. */
static void app_chars(const struct app_rd *r, unsigned start, unsigned count, char *to, size_t size)
{
    if (count >= size)
        count = (unsigned)size - 1;
    static const char sixchr[65] =
        "@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !\"#$%&'()*+,-./0123456789:;<=>?";
    unsigned i;
    for (i = 0; i < count; i++) {
        char c = sixchr[app_u(r, start + 6 * i, 6)];
        if (c == '@')
            break;
        to[i] = c;
    }
    to[i] = '\0';
    while (i > 0 && (to[i - 1] == ' ' || to[i - 1] == '@'))
        to[--i] = '\0';
}

/* DAC 200 (Inland AIS) in message 6. */
static bool app_6_inland(const struct app_rd *r, struct orbat_ais_app *a)
{
    switch (a->fid) {
    case 21: /* ETA at lock/bridge/terminal, Inland AIS 2.0 §2.4.2.1 */
    case 22: /* RTA at lock/bridge/terminal, §2.4.2.2 */
        if (r->nbits != (a->fid == 21 ? 248u : 232u))
            return false;
        app_chars(r, 88, 2, a->u.lock.country, sizeof(a->u.lock.country));
        app_chars(r, 100, 3, a->u.lock.locode, sizeof(a->u.lock.locode));
        app_chars(r, 118, 5, a->u.lock.section, sizeof(a->u.lock.section));
        app_chars(r, 148, 5, a->u.lock.terminal, sizeof(a->u.lock.terminal));
        app_chars(r, 178, 5, a->u.lock.hectometre, sizeof(a->u.lock.hectometre));
        a->u.lock.month = (uint8_t)app_u(r, 208, 4);
        a->u.lock.day = (uint8_t)app_u(r, 212, 5);
        a->u.lock.hour = (uint8_t)app_u(r, 217, 5);
        a->u.lock.minute = (uint8_t)app_u(r, 222, 6);
        if (a->fid == 21) {
            a->u.lock.tugs = (uint8_t)app_u(r, 228, 3);
            a->u.lock.airdraught = (uint16_t)app_u(r, 231, 12);
            a->kind = ORBAT_AIS_APP_INLAND_ETA;
        } else {
            a->u.lock.status = (uint8_t)app_u(r, 228, 2);
            a->kind = ORBAT_AIS_APP_INLAND_RTA;
        }
        return true;
    case 55: /* number of persons on board, §2.4.2.5 */
        if (r->nbits != 168)
            return false;
        a->u.pob.crew = (uint16_t)app_u(r, 88, 8);
        a->u.pob.passengers = (uint16_t)app_u(r, 96, 13);
        a->u.pob.personnel = (uint16_t)app_u(r, 109, 8);
        a->kind = ORBAT_AIS_APP_INLAND_POB;
        return true;
    }
    return false;
}

/* GLA AtoN monitoring data (DAC 235 UK / 250 Ireland, FI 10), 136 bits. */
static bool app_6_gla(const struct app_rd *r, struct orbat_ais_app *a)
{
    if (a->fid != 10 || r->nbits != 136)
        return false;
    a->u.aton.ana_int = (uint16_t)app_u(r, 88, 10);
    a->u.aton.ana_ext1 = (uint16_t)app_u(r, 98, 10);
    a->u.aton.ana_ext2 = (uint16_t)app_u(r, 108, 10);
    a->u.aton.racon = (uint8_t)app_u(r, 118, 2);
    a->u.aton.light = (uint8_t)app_u(r, 120, 2);
    a->u.aton.alarm = app_u(r, 122, 1) != 0;
    a->u.aton.stat_ext = (uint8_t)app_u(r, 123, 8);
    a->u.aton.off_pos = app_u(r, 131, 1) != 0;
    a->kind = ORBAT_AIS_APP_GLA_ATON;
    return true;
}

/* Tidal window: Circ.236 FI 14 (93-bit elements, 1/10000 min) and
 * Circ.289 FI 32 (88-bit elements, 1/1000 min). Like gpsd, an element is
 * read whenever its first bit is within the message (a <= nbits). */
static void app_tidal(const struct app_rd *r, struct orbat_ais_app *a, bool c236)
{
    unsigned elem = c236 ? 93 : 88;
    a->u.tidal.month = (uint8_t)app_u(r, 88, 4);
    a->u.tidal.day = (uint8_t)app_u(r, 92, 5);
    unsigned n = 0;
    for (unsigned at = 97; at <= r->nbits && n < ORBAT_AIS_APP_MAX_TIDALS; at += elem, n++) {
        struct orbat_ais_app_tidal *t = &a->u.tidal.tidals[n];
        unsigned p; /* first bit after the position */
        if (c236) {
            t->lat = app_s(r, at, 27);
            t->lon = app_s(r, at + 27, 28);
            p = at + 55;
        } else {
            t->lon = app_s(r, at, 25);
            t->lat = app_s(r, at + 25, 24);
            p = at + 49;
        }
        t->from_hour = (uint8_t)app_u(r, p, 5);
        t->from_min = (uint8_t)app_u(r, p + 5, 6);
        t->to_hour = (uint8_t)app_u(r, p + 11, 5);
        t->to_min = (uint8_t)app_u(r, p + 16, 6);
        t->cdir = (uint16_t)app_u(r, p + 22, 9);
        t->cspeed = (uint16_t)app_u(r, p + 31, c236 ? 7 : 8);
    }
    a->u.tidal.ntidals = (uint8_t)n;
    a->kind = c236 ? ORBAT_AIS_APP_TIDAL_236 : ORBAT_AIS_APP_TIDAL_289;
}

/* Route information, Circ.289 §2.6 (FI 27 broadcast at bit 56, FI 28
 * addressed at bit 88); waypoints are 55 bits, 1/10000 minute. */
static void app_route(const struct app_rd *r, struct orbat_ais_app *a, unsigned base)
{
    a->u.route.linkage = (uint16_t)app_u(r, base, 10);
    a->u.route.sender = (uint8_t)app_u(r, base + 10, 3);
    a->u.route.rtype = (uint8_t)app_u(r, base + 13, 5);
    a->u.route.month = (uint8_t)app_u(r, base + 18, 4);
    a->u.route.day = (uint8_t)app_u(r, base + 22, 5);
    a->u.route.hour = (uint8_t)app_u(r, base + 27, 5);
    a->u.route.minute = (uint8_t)app_u(r, base + 32, 6);
    a->u.route.duration = app_u(r, base + 38, 18);
    a->u.route.waycount = (uint8_t)app_u(r, base + 56, 5);
    for (unsigned i = 0; i < a->u.route.waycount; i++) {
        unsigned at = base + 61 + 55 * i;
        a->u.route.waypoints[i].lon = app_s(r, at, 28);
        a->u.route.waypoints[i].lat = app_s(r, at + 28, 27);
    }
    a->kind = ORBAT_AIS_APP_ROUTE;
}

/* Text description, Circ.289 §2.10 (FI 29 at bit 56, FI 30 at bit 88). */
static void app_text(const struct app_rd *r, struct orbat_ais_app *a, unsigned base)
{
    a->u.text.linkage = (uint16_t)app_u(r, base, 10);
    unsigned count = r->nbits > base + 10 ? (r->nbits - base - 10) / 6 : 0;
    if (count > ORBAT_AIS_APP_TEXT_MAX - 1)
        count = ORBAT_AIS_APP_TEXT_MAX - 1;
    app_chars(r, base + 10, count, a->u.text.text, sizeof(a->u.text.text));
    a->kind = ORBAT_AIS_APP_TEXT;
}

/* DAC 1 (IMO) in message 6. */
static bool app_6_imo(const struct app_rd *r, struct orbat_ais_app *a)
{
    switch (a->fid) {
    case 12: /* Circ.236 annex 2 - dangerous cargo indication */
        app_chars(r, 88, 5, a->u.dg236.lastport, sizeof(a->u.dg236.lastport));
        a->u.dg236.lmonth = (uint8_t)app_u(r, 118, 4);
        a->u.dg236.lday = (uint8_t)app_u(r, 122, 5);
        a->u.dg236.lhour = (uint8_t)app_u(r, 127, 5);
        a->u.dg236.lminute = (uint8_t)app_u(r, 132, 6);
        app_chars(r, 138, 5, a->u.dg236.nextport, sizeof(a->u.dg236.nextport));
        a->u.dg236.nmonth = (uint8_t)app_u(r, 168, 4);
        a->u.dg236.nday = (uint8_t)app_u(r, 172, 5);
        a->u.dg236.nhour = (uint8_t)app_u(r, 177, 5);
        a->u.dg236.nminute = (uint8_t)app_u(r, 182, 6);
        app_chars(r, 188, 20, a->u.dg236.dangerous, sizeof(a->u.dg236.dangerous));
        app_chars(r, 308, 4, a->u.dg236.imdcat, sizeof(a->u.dg236.imdcat));
        a->u.dg236.unid = (uint16_t)app_u(r, 332, 13);
        a->u.dg236.amount = (uint16_t)app_u(r, 345, 10);
        a->u.dg236.unit = (uint8_t)app_u(r, 355, 2);
        a->kind = ORBAT_AIS_APP_DANGEROUS_236;
        return true;
    case 14: /* Circ.236 annex 3 - tidal window */
        app_tidal(r, a, true);
        return true;
    case 15: /* Circ.236 annex 5 - extended ship data; gpsd reads the air
              * draught at bit 56 (inside the header), kept for parity */
        a->u.ext.airdraught = (uint16_t)app_u(r, 56, 11);
        a->kind = ORBAT_AIS_APP_AIRDRAUGHT;
        return true;
    case 16: /* Circ.289 §2.12 (136-bit payload) / Circ.236 annex 6 */
        a->u.persons.persons =
            (uint16_t)(a->data_bits == 136 ? app_u(r, 88, 13) : app_u(r, 55, 13));
        a->kind = ORBAT_AIS_APP_PERSONS;
        return true;
    case 18: /* Circ.289 §2.4 - clearance time to enter port */
        a->u.clearance.linkage = (uint16_t)app_u(r, 88, 10);
        a->u.clearance.month = (uint8_t)app_u(r, 98, 4);
        a->u.clearance.day = (uint8_t)app_u(r, 102, 5);
        a->u.clearance.hour = (uint8_t)app_u(r, 107, 5);
        a->u.clearance.minute = (uint8_t)app_u(r, 112, 6);
        app_chars(r, 118, 20, a->u.clearance.portname, sizeof(a->u.clearance.portname));
        app_chars(r, 238, 5, a->u.clearance.destination, sizeof(a->u.clearance.destination));
        a->u.clearance.lon = app_s(r, 268, 25);
        a->u.clearance.lat = app_s(r, 293, 24);
        a->kind = ORBAT_AIS_APP_CLEARANCE;
        return true;
    case 20: /* Circ.289 §2.5 - berthing data */
        a->u.berth.linkage = (uint16_t)app_u(r, 88, 10);
        a->u.berth.berth_length = (uint16_t)app_u(r, 98, 9);
        a->u.berth.berth_depth = (uint8_t)app_u(r, 107, 8);
        a->u.berth.position = (uint8_t)app_u(r, 115, 3);
        a->u.berth.month = (uint8_t)app_u(r, 118, 4);
        a->u.berth.day = (uint8_t)app_u(r, 122, 5);
        a->u.berth.hour = (uint8_t)app_u(r, 127, 5);
        a->u.berth.minute = (uint8_t)app_u(r, 132, 6);
        a->u.berth.availability = (uint8_t)app_u(r, 138, 1);
        for (unsigned i = 0; i < 26; i++)
            a->u.berth.services[i] = (uint8_t)app_u(r, 139 + 2 * i, 2);
        app_chars(r, 191, 20, a->u.berth.berth_name, sizeof(a->u.berth.berth_name));
        a->u.berth.berth_lon = app_s(r, 311, 25);
        a->u.berth.berth_lat = app_s(r, 336, 24);
        a->kind = ORBAT_AIS_APP_BERTHING;
        return true;
    case 25: /* Circ.289 §2.7 - dangerous cargo indication */
        a->u.dg289.unit = (uint8_t)app_u(r, 88, 2);
        a->u.dg289.amount = (uint16_t)app_u(r, 90, 10);
        {
            unsigned n = 0;
            for (unsigned at = 100; at < r->nbits && n < ORBAT_AIS_APP_MAX_CARGOS; at += 17, n++) {
                a->u.dg289.cargos[n].code = (uint8_t)app_u(r, at, 4);
                a->u.dg289.cargos[n].subtype = (uint16_t)app_u(r, at + 4, 13);
            }
            a->u.dg289.ncargos = (uint8_t)n;
        }
        a->kind = ORBAT_AIS_APP_DANGEROUS_289;
        return true;
    case 28: /* Circ.289 §2.6 - route information, addressed */
        app_route(r, a, 88);
        return true;
    case 30: /* Circ.289 §2.10 - text description, addressed */
        app_text(r, a, 88);
        return true;
    case 32: /* Circ.289 §2.9 - tidal window */
        app_tidal(r, a, false);
        return true;
    }
    return false;
}

/* Meteorological and hydrological data: Circ.236 annex 1 (FI 11, unsigned
 * offset codes) and Circ.289 §2.1 (FI 31, signed values). */
static void app_met(const struct app_rd *r, struct orbat_ais_app *a, bool c289)
{
    unsigned o = c289 ? 1 : 0; /* FI 31 has a 1-bit accuracy flag more */
    if (c289) {
        a->u.met.lon = app_s(r, 56, 25);
        a->u.met.lat = app_s(r, 81, 24);
        a->u.met.accuracy = app_u(r, 105, 1) != 0;
    } else {
        a->u.met.lat = app_s(r, 56, 24);
        a->u.met.lon = app_s(r, 80, 25);
        a->u.met.accuracy = false;
    }
    a->u.met.day = (uint8_t)app_u(r, 105 + o, 5);
    a->u.met.hour = (uint8_t)app_u(r, 110 + o, 5);
    a->u.met.minute = (uint8_t)app_u(r, 115 + o, 6);
    a->u.met.wspeed = (uint8_t)app_u(r, 121 + o, 7);
    a->u.met.wgust = (uint8_t)app_u(r, 128 + o, 7);
    a->u.met.wdir = (uint16_t)app_u(r, 135 + o, 9);
    a->u.met.wgustdir = (uint16_t)app_u(r, 144 + o, 9);
    a->u.met.airtemp = c289 ? app_s(r, 154, 11) : (int32_t)app_u(r, 153, 11);
    a->u.met.humidity = (uint8_t)app_u(r, 164 + o, 7);
    a->u.met.dewpoint = c289 ? app_s(r, 172, 10) : (int32_t)app_u(r, 171, 10);
    a->u.met.pressure = (uint16_t)app_u(r, 181 + o, 9);
    a->u.met.pressuretend = (uint8_t)app_u(r, 190 + o, 2);
    unsigned p; /* first bit after visibility */
    if (c289) {
        a->u.met.visgreater = app_u(r, 193, 1) != 0;
        a->u.met.visibility = (uint8_t)app_u(r, 194, 7);
        a->u.met.waterlevel = (int32_t)app_u(r, 201, 12);
        p = 213;
    } else {
        a->u.met.visgreater = false;
        a->u.met.visibility = (uint8_t)app_u(r, 192, 8);
        a->u.met.waterlevel = (int32_t)app_u(r, 200, 9);
        p = 209;
    }
    a->u.met.leveltrend = (uint8_t)app_u(r, p, 2);
    a->u.met.cspeed = (uint8_t)app_u(r, p + 2, 8);
    a->u.met.cdir = (uint16_t)app_u(r, p + 10, 9);
    a->u.met.cspeed2 = (uint8_t)app_u(r, p + 19, 8);
    a->u.met.cdir2 = (uint16_t)app_u(r, p + 27, 9);
    a->u.met.cdepth2 = (uint8_t)app_u(r, p + 36, 5);
    a->u.met.cspeed3 = (uint8_t)app_u(r, p + 41, 8);
    a->u.met.cdir3 = (uint16_t)app_u(r, p + 49, 9);
    a->u.met.cdepth3 = (uint8_t)app_u(r, p + 58, 5);
    a->u.met.waveheight = (uint8_t)app_u(r, p + 63, 8);
    a->u.met.waveperiod = (uint8_t)app_u(r, p + 71, 6);
    a->u.met.wavedir = (uint16_t)app_u(r, p + 77, 9);
    a->u.met.swellheight = (uint8_t)app_u(r, p + 86, 8);
    a->u.met.swellperiod = (uint8_t)app_u(r, p + 94, 6);
    a->u.met.swelldir = (uint16_t)app_u(r, p + 100, 9);
    a->u.met.seastate = (uint8_t)app_u(r, p + 109, 4);
    a->u.met.watertemp = c289 ? app_s(r, p + 113, 10) : (int32_t)app_u(r, p + 113, 10);
    a->u.met.preciptype = (uint8_t)app_u(r, p + 123, 3);
    a->u.met.salinity = (uint16_t)app_u(r, p + 126, 9);
    a->u.met.ice = (uint8_t)app_u(r, p + 135, 2);
    a->kind = c289 ? ORBAT_AIS_APP_MET_289 : ORBAT_AIS_APP_MET_236;
}

/* DAC 1 (IMO) in message 8. */
static bool app_8_imo(const struct app_rd *r, struct orbat_ais_app *a)
{
    switch (a->fid) {
    case 11: /* Circ.236 annex 1 - met/hydro data */
        app_met(r, a, false);
        return true;
    case 13: /* Circ.236 annex 4 - fairway closed */
        app_chars(r, 56, 20, a->u.fairway.reason, sizeof(a->u.fairway.reason));
        app_chars(r, 176, 20, a->u.fairway.closefrom, sizeof(a->u.fairway.closefrom));
        app_chars(r, 296, 20, a->u.fairway.closeto, sizeof(a->u.fairway.closeto));
        a->u.fairway.radius = (uint16_t)app_u(r, 416, 10);
        a->u.fairway.extunit = (uint8_t)app_u(r, 426, 2);
        a->u.fairway.fday = (uint8_t)app_u(r, 428, 5);
        a->u.fairway.fmonth = (uint8_t)app_u(r, 433, 4);
        a->u.fairway.fhour = (uint8_t)app_u(r, 437, 5);
        a->u.fairway.fminute = (uint8_t)app_u(r, 442, 6);
        a->u.fairway.tday = (uint8_t)app_u(r, 448, 5);
        a->u.fairway.tmonth = (uint8_t)app_u(r, 453, 4);
        a->u.fairway.thour = (uint8_t)app_u(r, 457, 5);
        a->u.fairway.tminute = (uint8_t)app_u(r, 462, 6);
        a->kind = ORBAT_AIS_APP_FAIRWAY;
        return true;
    case 15: /* Circ.236 annex 5 - extended ship data (air draught) */
        a->u.ext.airdraught = (uint16_t)app_u(r, 56, 11);
        a->kind = ORBAT_AIS_APP_AIRDRAUGHT;
        return true;
    case 16: /* persons on board: Circ.289 (136 bits) or Circ.236 (72) */
        if (a->data_bits == 136)
            a->u.persons.persons = (uint16_t)app_u(r, 88, 13);
        else if (a->data_bits == 72)
            a->u.persons.persons = (uint16_t)app_u(r, 55, 13);
        else
            return false;
        a->kind = ORBAT_AIS_APP_PERSONS;
        return true;
    case 17: { /* Circ.289 §2.3 - VTS-generated/synthetic targets */
        unsigned n = 0;
        for (unsigned at = 56; at <= r->nbits && n < ORBAT_AIS_APP_MAX_TARGETS; at += 122, n++) {
            struct orbat_ais_app_target *t = &a->u.vts.targets[n];
            t->idtype = (uint8_t)app_u(r, at, 2);
            t->id_num = 0;
            t->id_text[0] = '\0';
            if (t->idtype <= 1)
                t->id_num = (uint32_t)app_u64(r, at + 2, 42); /* low 32 bits */
            else
                app_chars(r, at + 2, 7, t->id_text, sizeof(t->id_text));
            t->lat = app_s(r, at + 48, 24);
            t->lon = app_s(r, at + 72, 25);
            t->course = (uint16_t)app_u(r, at + 97, 9);
            t->second = (uint8_t)app_u(r, at + 106, 6);
            t->speed = (uint16_t)app_u(r, at + 112, 10);
        }
        a->u.vts.ntargets = (uint8_t)n;
        a->kind = ORBAT_AIS_APP_VTS_TARGETS;
        return true;
    }
    case 19: /* Circ.289 §2.8 - marine traffic signal */
        a->u.signal.linkage = (uint16_t)app_u(r, 56, 10);
        app_chars(r, 66, 20, a->u.signal.station, sizeof(a->u.signal.station));
        a->u.signal.lon = app_s(r, 186, 25);
        a->u.signal.lat = app_s(r, 211, 24);
        a->u.signal.status = (uint8_t)app_u(r, 235, 2);
        a->u.signal.signal = (uint8_t)app_u(r, 237, 5);
        a->u.signal.hour = (uint8_t)app_u(r, 242, 5);
        a->u.signal.minute = (uint8_t)app_u(r, 247, 6);
        a->u.signal.nextsignal = (uint8_t)app_u(r, 253, 5);
        a->kind = ORBAT_AIS_APP_SIGNAL;
        return true;
    case 27: /* Circ.289 §2.6 - route information, broadcast */
        app_route(r, a, 56);
        return true;
    case 29: /* Circ.289 §2.10 - text description, broadcast */
        app_text(r, a, 56);
        return true;
    case 31: /* Circ.289 §2.1 - met/hydro data */
        app_met(r, a, true);
        return true;
    }
    return false;
}

/* DAC 200 (Inland AIS) in message 8. */
static bool app_8_inland(const struct app_rd *r, struct orbat_ais_app *a)
{
    switch (a->fid) {
    case 10: /* Inland AIS 2.0 §2.4.1.1 - inland ship static and voyage */
        if (r->nbits != 168)
            return false;
        app_chars(r, 56, 8, a->u.inland.vin, sizeof(a->u.inland.vin));
        a->u.inland.length = (uint16_t)app_u(r, 104, 13);
        a->u.inland.beam = (uint16_t)app_u(r, 117, 10);
        a->u.inland.shiptype = (uint16_t)app_u(r, 127, 14);
        a->u.inland.hazard = (uint8_t)app_u(r, 141, 3);
        a->u.inland.draught = (uint16_t)app_u(r, 144, 11);
        a->u.inland.loaded = (uint8_t)app_u(r, 155, 2);
        a->u.inland.speed_q = app_u(r, 157, 1) != 0;
        a->u.inland.course_q = app_u(r, 158, 1) != 0;
        a->u.inland.heading_q = app_u(r, 159, 1) != 0;
        /* gpsd rejects hazard codes above 5 to avoid false matches */
        if (a->u.inland.hazard > 5)
            return false;
        a->kind = ORBAT_AIS_APP_INLAND_STATIC;
        return true;
    case 23: /* §2.4.1.3 - EMMA warning */
        if (r->nbits != 256)
            return false;
        a->u.emma.start_year = (uint8_t)app_u(r, 56, 8);
        a->u.emma.start_month = (uint8_t)app_u(r, 64, 4);
        a->u.emma.start_day = (uint8_t)app_u(r, 68, 5);
        a->u.emma.end_year = (uint8_t)app_u(r, 73, 8);
        a->u.emma.end_month = (uint8_t)app_u(r, 81, 4);
        a->u.emma.end_day = (uint8_t)app_u(r, 85, 5);
        a->u.emma.start_hour = (uint8_t)app_u(r, 90, 5);
        a->u.emma.start_minute = (uint8_t)app_u(r, 95, 6);
        a->u.emma.end_hour = (uint8_t)app_u(r, 101, 5);
        a->u.emma.end_minute = (uint8_t)app_u(r, 106, 6);
        a->u.emma.start_lon = app_s(r, 112, 28);
        a->u.emma.start_lat = app_s(r, 140, 27);
        a->u.emma.end_lon = app_s(r, 167, 28);
        a->u.emma.end_lat = app_s(r, 195, 27);
        a->u.emma.type = (uint8_t)app_u(r, 222, 4);
        a->u.emma.min = (int16_t)app_s(r, 226, 9);
        a->u.emma.max = (int16_t)app_s(r, 235, 9);
        a->u.emma.intensity = (uint8_t)app_u(r, 244, 2);
        a->u.emma.wind = (uint8_t)app_u(r, 246, 4);
        a->kind = ORBAT_AIS_APP_INLAND_EMMA;
        return true;
    case 24: { /* §2.4.1.4 - water levels */
        if (r->nbits != 168)
            return false;
        app_chars(r, 56, 2, a->u.water.country, sizeof(a->u.water.country));
        unsigned n = 0;
        for (unsigned at = 68; at < r->nbits && n < ORBAT_AIS_APP_MAX_GAUGES; at += 25, n++) {
            a->u.water.gauges[n].id = (uint16_t)app_u(r, at, 11);
            a->u.water.gauges[n].level = (int16_t)app_s(r, at + 11, 14);
        }
        a->u.water.ngauges = (uint8_t)n;
        a->kind = ORBAT_AIS_APP_INLAND_WATER;
        return true;
    }
    case 40: /* §2.4.1.5 - signal status */
        if (r->nbits != 168)
            return false;
        a->u.isignal.lon = app_s(r, 56, 28);
        a->u.isignal.lat = app_s(r, 84, 27);
        a->u.isignal.form = (uint8_t)app_u(r, 111, 4);
        a->u.isignal.facing = (uint16_t)app_u(r, 115, 9);
        a->u.isignal.direction = (uint8_t)app_u(r, 124, 3);
        a->u.isignal.status = app_u(r, 127, 30);
        a->kind = ORBAT_AIS_APP_INLAND_SIGNAL;
        return true;
    }
    return false;
}

enum orbat_err orbat_ais_app_decode(const uint8_t *bits, unsigned nbits, struct orbat_ais_app *out)
{
    return orbat_ais_app_decode_fill(bits, nbits, 0, out);
}

enum orbat_err orbat_ais_app_decode_fill(const uint8_t *bits, unsigned nbits, unsigned fill,
                                         struct orbat_ais_app *out)
{
    if (!bits || !out)
        return ORBAT_E_INVAL;
    memset(out, 0, sizeof(*out));
    if (nbits < 6)
        return ORBAT_E_BITCOUNT;
    out->type = (uint8_t)(bits[0] >> 2);
    /* ITU-R M.1371-5 §3.3.8.2.4 (msg 6) and §3.3.8.2.6 (msg 8) */
    unsigned min;
    if (out->type == 6)
        min = 88;
    else if (out->type == 8)
        min = 56;
    else
        return ORBAT_E_UNSUPPORTED;
    if (nbits < min || nbits > APP_MAX_BITS)
        return ORBAT_E_BITCOUNT;

    if (fill > 5)
        fill = 5;
    struct app_rd r = {bits, nbits, (nbits + fill + 7) / 8 * 8};

    out->data_start = (uint16_t)min;
    out->data_bits = (uint16_t)(nbits - min);
    bool done = false;
    if (out->type == 6) {
        out->dac = (uint16_t)app_u(&r, 72, 10);
        out->fid = (uint8_t)app_u(&r, 82, 6);
        if (out->dac == 200)
            done = app_6_inland(&r, out);
        else if (out->dac == 235 || out->dac == 250)
            done = app_6_gla(&r, out);
        else if (out->dac == 1)
            done = app_6_imo(&r, out);
    } else {
        out->dac = (uint16_t)app_u(&r, 40, 10);
        out->fid = (uint8_t)app_u(&r, 50, 6);
        if (out->dac == 1)
            done = app_8_imo(&r, out);
        else if (out->dac == 200)
            done = app_8_inland(&r, out);
    }
    if (!done) {
        memset(&out->u, 0, sizeof(out->u));
        out->kind = ORBAT_AIS_APP_RAW;
        return ORBAT_E_UNSUPPORTED;
    }
    return ORBAT_OK;
}
