/* SPDX-License-Identifier: BSD-2-Clause
 *
 * fuzz_encode.c - libFuzzer property target for the encoders: the input
 * bytes choose field values (any value, legal or not) for an AIS message
 * (types 1/2/3/5/18/19/21/24/27) and for Mode S frames; whatever the
 * encoder accepts must decode back (orbat_ais_feed_line, orbat_modes_decode)
 * to the same type, MMSI / address and key fields, and every produced line
 * must be bounded and newline-terminated. The encoder must refuse, not
 * corrupt, what does not fit.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "orbat/ais.h"
#include "orbat/ais_encode.h"
#include "orbat/modes.h"
#include "orbat/modes_encode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct rd {
    const uint8_t *p;
    size_t n, i;
};

static uint32_t take(struct rd *r, unsigned bytes)
{
    uint32_t v = 0;
    for (unsigned k = 0; k < bytes; k++)
        v = (v << 8) | (r->i < r->n ? r->p[r->i++] : 0);
    return v;
}

static void take_text(struct rd *r, char *dst, size_t cap)
{
    size_t len = take(r, 1) % cap;
    for (size_t k = 0; k < len; k++)
        dst[k] = (char)take(r, 1);
    dst[len] = 0;
}

static void fuzz_ais(struct rd *r)
{
    static const uint8_t types[] = {1, 2, 3, 5, 18, 19, 21, 24, 27, 4};
    struct orbat_ais_enc m;
    memset(&m, 0, sizeof(m));
    m.type = types[take(r, 1) % sizeof(types)];
    m.repeat = (uint8_t)take(r, 1);
    m.mmsi = take(r, 4);
    m.status = (uint8_t)take(r, 1);
    m.turn = (int8_t)take(r, 1);
    m.speed = (uint16_t)take(r, 2);
    m.lon = (int32_t)take(r, 4);
    m.lat = (int32_t)take(r, 4);
    m.course = (uint16_t)take(r, 2);
    m.heading = (uint16_t)take(r, 2);
    m.second = (uint8_t)take(r, 1);
    m.radio = take(r, 3);
    m.part = (uint8_t)take(r, 1);
    m.imo = take(r, 4);
    m.to_bow = (uint16_t)take(r, 2);
    m.to_port = (uint8_t)take(r, 1);
    m.aid_type = (uint8_t)take(r, 1);
    m.mothership_mmsi = take(r, 4);
    take_text(r, m.shipname, sizeof(m.shipname));
    take_text(r, m.callsign, sizeof(m.callsign));
    take_text(r, m.name_ext, sizeof(m.name_ext));
    struct orbat_ais_nmea_opts o;
    memset(&o, 0, sizeof(o));
    o.channel = (take(r, 1) & 1) ? 'B' : 'A';
    o.tag_time = take(r, 1) & 1;
    o.time_s = (int64_t)take(r, 4);
    o.source = (take(r, 1) & 1) ? "SIMULATION" : NULL;
    o.group_id = (uint16_t)take(r, 2);
    o.max_chars = (uint8_t)(take(r, 1) % 64);
    char buf[1024];
    size_t len;
    if (orbat_ais_encode_nmea(&m, &o, buf, sizeof(buf), &len) != ORBAT_OK)
        return;
    if (len == 0 || len >= sizeof(buf) || buf[len - 1] != '\n' || strlen(buf) != len)
        abort();
    struct orbat_ais_reasm ra;
    static struct orbat_ais_msg msg;
    orbat_ais_reasm_init(&ra);
    int rc = -1;
    for (const char *p = buf, *end = buf + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        rc = orbat_ais_feed_line(&ra, p, (size_t)(nl - p), &msg);
        p = nl + 1;
    }
    if (rc != ORBAT_OK || msg.type != m.type || msg.mmsi != m.mmsi || msg.repeat != m.repeat)
        abort();
    if (m.type <= 3 && (msg.u.pos.lat != m.lat || msg.u.pos.lon != m.lon ||
                        msg.u.pos.speed != m.speed || msg.u.pos.turn != m.turn))
        abort();
    if (m.type == 5 && msg.u.stat.imo != m.imo)
        abort();
}

static void fuzz_modes(struct rd *r)
{
    uint8_t f[14];
    struct orbat_modes_msg d;
    uint32_t icao = take(r, 3);
    unsigned kind = take(r, 1) % 4;
    if (kind == 0) {
        char cs[9];
        take_text(r, cs, sizeof(cs));
        uint8_t tc = (uint8_t)take(r, 1), cat = (uint8_t)take(r, 1);
        if (orbat_modes_enc_ident(icao, 5, tc, cat, cs, f) != ORBAT_OK)
            return;
        if (orbat_modes_decode(f, 14, NULL, &d) != ORBAT_OK || !d.crc_ok || d.addr != icao ||
            d.tc != tc || strlen(d.callsign) > 8)
            abort();
    } else if (kind == 1) {
        struct orbat_modes_enc_pos p = {icao,
                                        5,
                                        (uint8_t)take(r, 1),
                                        (uint8_t)take(r, 1),
                                        0,
                                        (int32_t)(int16_t)take(r, 2) * 2,
                                        0,
                                        take(r, 1) & 1,
                                        (double)(int32_t)take(r, 4) / 2e7,
                                        (double)(int32_t)take(r, 4) / 1e7};
        if (orbat_modes_enc_airpos(&p, f) != ORBAT_OK)
            return;
        if (orbat_modes_decode(f, 14, NULL, &d) != ORBAT_OK || d.addr != icao ||
            !(d.has & ORBAT_MODES_HAS_CPR) || d.cpr_odd != p.odd || abs(d.alt_ft - p.alt_ft) > 12)
            abort();
    } else if (kind == 2) {
        struct orbat_modes_enc_vel v = {icao,
                                        5,
                                        (int16_t)take(r, 2),
                                        (int16_t)take(r, 2),
                                        (int32_t)(int16_t)take(r, 2),
                                        take(r, 1) & 1,
                                        (int16_t)take(r, 2),
                                        (uint8_t)take(r, 1)};
        if (orbat_modes_enc_velocity(&v, f) != ORBAT_OK)
            return;
        if (orbat_modes_decode(f, 14, NULL, &d) != ORBAT_OK || d.vel_ew_kt != v.ew_kt ||
            d.vel_ns_kt != v.ns_kt || abs(d.vr_fpm - v.vr_fpm) > 32)
            abort();
    } else {
        size_t n;
        uint16_t sq = (uint16_t)(take(r, 2) % 10000);
        uint8_t df = (take(r, 1) & 1) ? 5 : 21;
        if (orbat_modes_enc_identity_reply(df, icao, 0, 0, 0, sq, NULL, f, &n) != ORBAT_OK)
            return;
        if (orbat_modes_decode(f, n, NULL, &d) != ORBAT_OK || d.addr != icao || d.squawk != sq)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rd r = {data, size, 0};
    if (take(&r, 1) & 1)
        fuzz_ais(&r);
    else
        fuzz_modes(&r);
    return 0;
}
