/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_encode_modes.c - round-trip property tests for the Mode S encoder:
 * random valid values -> DF17 identification / airborne position (CPR
 * even+odd) / velocity, DF4/20 altitude, DF5/21 squawk, DF11 -> the
 * library decoder (orbat_modes_decode, CPR global and local decode) -> the
 * same values within the encoding's resolution; Beast, AVR and SBS framing
 * -> the library frame parsers -> the same frame/values. Plus fixed vectors
 * (a real DF17 identification frame and its CRC).
 */
#include "orbat/modes_encode.h"
#include "orbat/modes.h"
#include "orbat/modes_frame.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "sim/sim_util.h"

#define ROUNDS 400

static struct sim_rng rng;

static uint32_t rnd(uint32_t n)
{
    return sim_rng_below(&rng, n);
}

static void rnd_callsign(char *cs)
{
    static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    unsigned n = 1 + rnd(8);
    for (unsigned i = 0; i < n; i++)
        cs[i] = alpha[rnd(36)];
    cs[n] = 0;
}

/* Within 0.001 deg of an NL zone boundary the even and odd frames can fall
 * in different zones: global decode then correctly refuses the pair. */
static bool cpr_ok_skip(double lat)
{
    return orbat_modes_cpr_nl(lat - 0.001) != orbat_modes_cpr_nl(lat + 0.001);
}

static int decode(const uint8_t *f, size_t n, struct orbat_modes_msg *m)
{
    return orbat_modes_decode(f, n, NULL, m);
}

static void test_fixed(void)
{
    // A well-known DF17 identification frame: 8D4840D6202CC371C32CE0576098, KLM1023.
    uint8_t f[14];
    CHECK_EQ_INT(orbat_modes_enc_ident(0x4840D6, 5, 4, 0, "KLM1023", f), ORBAT_OK, "ident");
    static const uint8_t want[14] = {0x8D, 0x48, 0x40, 0xD6, 0x20, 0x2C, 0xC3,
                                     0x71, 0xC3, 0x2C, 0xE0, 0x57, 0x60, 0x98};
    CHECK(memcmp(f, want, 14) == 0, "KLM1023 identification frame equals the published one");
    CHECK_EQ_INT(orbat_modes_enc_crc(want, 14), 0x576098, "CRC-24 of the published frame");
    CHECK_EQ_INT(orbat_modes_enc_id13(7700) != 0, 1, "id13 of 7700 nonzero");
    CHECK_EQ_INT(orbat_modes_id13_squawk(orbat_modes_enc_id13(7700)), 7700,
                 "squawk 7700 through the decoder's ID code");
    uint16_t ac;
    CHECK_EQ_INT(orbat_modes_enc_ac13(50200, &ac), ORBAT_E_RANGE, "alt above 50175 refused");
    CHECK_EQ_INT(orbat_modes_enc_ident(0x1000000, 5, 4, 0, "X", f), ORBAT_E_RANGE,
                 "25-bit address refused");
    size_t n;
    CHECK_EQ_INT(orbat_modes_enc_identity_reply(5, 1, 0, 0, 0, 7800, NULL, f, &n), ORBAT_E_RANGE,
                 "non-octal squawk refused");
    // Published CPR example (DO-260B-style worked example, 52.2572 N 3.9194 E):
    // even frame 8D40621D58C382D690C8AC2863A7 has YZ 93000, XZ 51372.
    uint32_t yz, xz;
    orbat_modes_cpr_encode(52.25720214843750, 3.91937255859375, false, &yz, &xz);
    CHECK(abs((int)yz - 93000) <= 1 && abs((int)xz - 51372) <= 1,
          "CPR even encode of the worked example (%u, %u) ~ (93000, 51372)", yz, xz);
}

static void test_ident(void)
{
    int bad = 0;
    for (int i = 0; i < ROUNDS; i++) {
        uint32_t icao = rnd(1u << 24);
        uint8_t ca = (uint8_t)rnd(8), tc = (uint8_t)(1 + rnd(4)), cat = (uint8_t)rnd(8);
        char cs[9];
        rnd_callsign(cs);
        uint8_t f[14];
        struct orbat_modes_msg m;
        bool ok = orbat_modes_enc_ident(icao, ca, tc, cat, cs, f) == ORBAT_OK &&
                  decode(f, 14, &m) == ORBAT_OK && m.crc_ok && m.df == 17 && m.addr == icao &&
                  m.ca == ca && m.tc == tc && (m.has & ORBAT_MODES_HAS_CALLSIGN) &&
                  !strcmp(m.callsign, cs) && (m.has & ORBAT_MODES_HAS_CATEGORY) &&
                  m.category == cat && m.category_set == 'A' + (4 - tc);
        if (!ok && bad++ < 3)
            CHECK(0, "ident round trip %06x '%s' -> '%s' tc %u cat %u/%u", icao, cs, m.callsign, tc,
                  cat, m.category);
    }
    CHECK(bad == 0, "DF17 TC1-4: %d of %d identifications round-trip", ROUNDS - bad, ROUNDS);
}

static void test_position(void)
{
    int bad = 0, badg = 0, badl = 0;
    double worst = 0;
    for (int i = 0; i < ROUNDS; i++) {
        uint32_t icao = rnd(1u << 24);
        double lat = sim_rng_range(&rng, -85.0, 85.0), lon = sim_rng_range(&rng, -180.0, 180.0);
        int32_t alt = -1000 + 25 * (int32_t)rnd(2047);
        struct orbat_modes_enc_pos p = {
            icao, 5, (uint8_t)(9 + rnd(10)), (uint8_t)rnd(4), rnd(2), alt, rnd(2), false, lat, lon};
        uint8_t fe[14], fo[14];
        struct orbat_modes_msg me, mo;
        bool ok = orbat_modes_enc_airpos(&p, fe) == ORBAT_OK;
        p.odd = true;
        ok = ok && orbat_modes_enc_airpos(&p, fo) == ORBAT_OK;
        ok = ok && decode(fe, 14, &me) == ORBAT_OK && decode(fo, 14, &mo) == ORBAT_OK;
        ok = ok && me.crc_ok && mo.crc_ok && me.addr == icao && me.tc == p.tc &&
             (me.has & ORBAT_MODES_HAS_ALT) && me.alt_ft == alt && mo.alt_ft == alt &&
             (me.has & ORBAT_MODES_HAS_CPR) && !me.cpr_odd && mo.cpr_odd && me.ss == p.ss &&
             me.time_sync == p.t;
        if (!ok) {
            if (bad++ < 3)
                CHECK(0, "position frame round trip %06x alt %d -> %d", icao, alt, me.alt_ft);
            continue;
        }
        double dlat, dlon;
        if (orbat_modes_cpr_global_airborne(me.cpr_lat, me.cpr_lon, mo.cpr_lat, mo.cpr_lon, true,
                                            &dlat, &dlon) != ORBAT_OK) {
            // A pair straddling an NL boundary is legitimately undecodable.
            if (cpr_ok_skip(lat))
                continue;
            if (badg++ < 3)
                CHECK(0, "global CPR decode failed at %.5f %.5f", lat, lon);
            continue;
        }
        double err = fmax(fabs(dlat - lat), fabs(remainder(dlon - lon, 360.0)));
        if (err > worst)
            worst = err;
        double rlat = 0, rlon = 0;
        double reflat = lat + sim_rng_range(&rng, -1.0, 1.0),
               reflon = lon + sim_rng_range(&rng, -1.0, 1.0);
        if (reflat > 89)
            reflat = 89;
        reflon = remainder(reflon, 360.0); // keep the reference a legal longitude
        if (orbat_modes_cpr_local(reflat, reflon, me.cpr_lat, me.cpr_lon, false, false, &rlat,
                                  &rlon) != ORBAT_OK ||
            fabs(rlat - lat) > 0.0003 || fabs(remainder(rlon - lon, 360.0)) > 0.0006) {
            if (badl++ < 3)
                CHECK(0, "local CPR decode %.5f %.5f -> %.5f %.5f", lat, lon, rlat, rlon);
        }
    }
    CHECK(bad == 0, "DF17 TC9-18: %d of %d position frames round-trip (alt, flags, CPR format)",
          ROUNDS - bad, ROUNDS);
    CHECK(badg == 0, "global CPR decode of every even/odd pair (%d failures)", badg);
    // Airborne CPR resolution: 360/60/2^17 deg latitude = 4.6e-5 deg; longitude up to
    // 360/1/2^17 = 2.7e-3 deg right at the pole zones, 1.6e-4 below 85 deg.
    CHECK(worst < 0.0003, "worst global CPR error %.6f deg < 0.0003", worst);
    CHECK(badl == 0, "local CPR decode against a reference within 1 deg (%d failures)", badl);
}

static void test_velocity(void)
{
    int bad = 0;
    for (int i = 0; i < ROUNDS; i++) {
        struct orbat_modes_enc_vel v = {rnd(1u << 24),
                                        5,
                                        (int16_t)((int)rnd(2043) - 1021),
                                        (int16_t)((int)rnd(2043) - 1021),
                                        64 * ((int32_t)rnd(1019) - 509),
                                        rnd(2),
                                        (int16_t)(25 * ((int)rnd(249) - 124)),
                                        (uint8_t)rnd(8)};
        uint8_t f[14];
        struct orbat_modes_msg m;
        bool ok = orbat_modes_enc_velocity(&v, f) == ORBAT_OK && decode(f, 14, &m) == ORBAT_OK &&
                  m.tc == 19 && m.st == 1 && (m.has & ORBAT_MODES_HAS_VEL_EWNS) &&
                  m.vel_ew_kt == v.ew_kt && m.vel_ns_kt == v.ns_kt &&
                  (m.has & ORBAT_MODES_HAS_VR) && m.vr_fpm == v.vr_fpm && m.vr_baro == v.vr_baro &&
                  m.nac_v == v.nac_v;
        if (ok && v.gnss_baro_diff_ft)
            ok = (m.has & ORBAT_MODES_HAS_GEO_BARO) && m.geo_minus_baro_ft == v.gnss_baro_diff_ft;
        if (ok && (v.ew_kt || v.ns_kt)) {
            double gs = hypot(v.ew_kt, v.ns_kt);
            double trk = fmod(atan2(v.ew_kt, v.ns_kt) * 180.0 / SIM_PI + 360.0, 360.0);
            ok = (m.has & ORBAT_MODES_HAS_GS) && fabs(m.gs_kt - gs) < 1.0 &&
                 fabs(remainder(m.track_deg - trk, 360.0)) < 0.1;
        }
        if (!ok && bad++ < 3)
            CHECK(0, "velocity round trip ew %d ns %d vr %d -> %d %d %d", v.ew_kt, v.ns_kt,
                  v.vr_fpm, m.vel_ew_kt, m.vel_ns_kt, m.vr_fpm);
    }
    CHECK(bad == 0, "DF17 TC19 st1: %d of %d velocities round-trip", ROUNDS - bad, ROUNDS);
}

static void test_surveillance(void)
{
    int bad = 0;
    for (int i = 0; i < ROUNDS; i++) {
        uint32_t icao = rnd(1u << 24);
        uint8_t fs = (uint8_t)rnd(8), dr = (uint8_t)rnd(32), um = (uint8_t)rnd(64);
        int32_t alt = -1000 + 25 * (int32_t)rnd(2047);
        uint16_t sq = (uint16_t)(1000 * rnd(8) + 100 * rnd(8) + 10 * rnd(8) + rnd(8));
        uint8_t mb[7];
        for (int k = 0; k < 7; k++)
            mb[k] = (uint8_t)rnd(256);
        uint8_t f[14];
        size_t n;
        struct orbat_modes_msg m;
        uint8_t df = rnd(2) ? 4 : 20;
        bool ok =
            orbat_modes_enc_altitude_reply(df, icao, fs, dr, um, alt, mb, f, &n) == ORBAT_OK &&
            n == (df == 4 ? 7u : 14u) && decode(f, n, &m) == ORBAT_OK && m.df == df &&
            m.addr == icao && m.fs == fs && m.dr == dr && m.um == um &&
            (m.has & ORBAT_MODES_HAS_ALT) && m.alt_ft == alt;
        if (!ok && bad++ < 3)
            CHECK(0, "DF%u altitude round trip %06x %d -> %06x %d", df, icao, alt, m.addr,
                  m.alt_ft);
        df = rnd(2) ? 5 : 21;
        ok = orbat_modes_enc_identity_reply(df, icao, fs, dr, um, sq, mb, f, &n) == ORBAT_OK &&
             decode(f, n, &m) == ORBAT_OK && m.df == df && m.addr == icao &&
             (m.has & ORBAT_MODES_HAS_SQUAWK) && m.squawk == sq &&
             (df == 5 || memcmp(m.raw + 4, mb, 7) == 0);
        if (!ok && bad++ < 3)
            CHECK(0, "DF%u squawk round trip %06x %04u -> %04u", df, icao, sq, m.squawk);
        uint8_t ca = (uint8_t)rnd(8), iid = (uint8_t)rnd(16);
        ok = orbat_modes_enc_allcall(icao, ca, iid, f) == ORBAT_OK &&
             decode(f, 7, &m) == ORBAT_OK && m.df == 11 && m.crc_ok && m.addr == icao &&
             m.ca == ca && m.ic == iid;
        if (!ok && bad++ < 3)
            CHECK(0, "DF11 round trip %06x ii %u -> %06x %u", icao, iid, m.addr, m.ic);
    }
    CHECK(bad == 0, "DF4/5/11/20/21: %d of %d x3 replies round-trip (address/parity overlay)",
          ROUNDS - bad, ROUNDS);
}

static void test_framing(void)
{
    int bad = 0;
    struct orbat_beast b;
    orbat_beast_init(&b);
    for (int i = 0; i < ROUNDS; i++) {
        uint8_t f[14];
        size_t n = rnd(2) ? 14 : 7;
        for (size_t k = 0; k < n; k++)
            f[k] = rnd(4) == 0 ? 0x1a : (uint8_t)rnd(256); // exercise escaping
        f[0] = (uint8_t)((n == 14 ? 17 : 11) << 3);
        uint64_t ts = ((uint64_t)sim_rng_next(&rng)) & 0xFFFFFFFFFFFFull;
        if (rnd(4) == 0)
            ts = 0x1a1a1a1a1a1aull;
        uint8_t sig = rnd(4) == 0 ? 0x1a : (uint8_t)rnd(256);
        uint8_t buf[64];
        size_t k = orbat_modes_beast(f, n, ts, sig, buf, sizeof(buf));
        struct orbat_modes_frame fr;
        size_t used = 0;
        int rc = k ? orbat_beast_next(&b, buf, k, &used, &fr) : -1;
        bool ok = rc == ORBAT_OK && used == k && fr.len == n && memcmp(fr.data, f, n) == 0 &&
                  fr.has_ts && fr.ts_12mhz == ts && fr.has_signal && fr.signal == sig;
        char line[64];
        size_t al = orbat_modes_avr(f, n, true, ts, line, sizeof(line));
        struct orbat_modes_frame fa;
        ok = ok && al == 1 + 12 + 2 * n + 2 && orbat_avr_parse(line, al - 1, &fa) == ORBAT_OK &&
             fa.len == n && memcmp(fa.data, f, n) == 0 && fa.has_ts && fa.ts_12mhz == ts;
        al = orbat_modes_avr(f, n, false, 0, line, sizeof(line));
        ok = ok && line[0] == '*' && orbat_avr_parse(line, al - 1, &fa) == ORBAT_OK &&
             memcmp(fa.data, f, n) == 0;
        if (!ok && bad++ < 3)
            CHECK(0, "framing round trip (rc %d, len %zu)", rc, n);
    }
    CHECK(bad == 0, "Beast (escaped 0x1a, ts, signal) and AVR: %d of %d frames round-trip",
          ROUNDS - bad, ROUNDS);
    CHECK_EQ_INT(b.garbage_bytes + b.resync + b.bad_type, 0, "Beast parser saw no garbage");
    uint8_t tiny[8], f7[7] = {0x58};
    CHECK_EQ_INT(orbat_modes_beast(f7, 7, 0, 0, tiny, sizeof(tiny)), 0, "small buffer: 0");
    CHECK_EQ_INT(orbat_modes_beast(f7, 6, 0, 0, tiny, sizeof(tiny)), 0, "bad length: 0");
}

static void test_sbs(void)
{
    int bad = 0;
    for (int i = 0; i < ROUNDS; i++) {
        struct orbat_modes_sbs s = {0};
        char cs[9];
        rnd_callsign(cs);
        s.msg_type = (uint8_t)(1 + rnd(8));
        s.icao = rnd(1u << 24);
        s.t_ms = 1755000000000ll + (int64_t)rnd(1u << 31) * 10 + rnd(1000);
        s.callsign = rnd(2) ? cs : NULL;
        s.has_alt = rnd(2);
        s.alt_ft = -1000 + 25 * (int32_t)rnd(2047);
        s.has_gs = rnd(2);
        s.gs_kt = rnd(700);
        s.track_deg = rnd(360);
        s.has_pos = rnd(2);
        s.lat = sim_rng_range(&rng, -90, 90);
        s.lon = sim_rng_range(&rng, -180, 180);
        s.has_vr = rnd(2);
        s.vr_fpm = 64 * ((int32_t)rnd(200) - 100);
        s.has_squawk = rnd(2);
        s.squawk = (uint16_t)(1000 * rnd(8) + 100 * rnd(8) + 10 * rnd(8) + rnd(8));
        s.on_ground = rnd(2);
        char line[256];
        size_t n = orbat_modes_sbs_line(&s, line, sizeof(line));
        struct orbat_sbs p;
        bool ok = n > 0 && line[n - 1] == '\n' && orbat_sbs_parse(line, n - 1, &p) == ORBAT_OK &&
                  p.tt == s.msg_type && p.icao == s.icao && (p.has & ORBAT_SBS_TIME_GEN) &&
                  p.t_gen_ms == s.t_ms && p.ground == s.on_ground;
        if (ok && s.callsign)
            ok = (p.has & ORBAT_SBS_CALLSIGN) && !strcmp(p.callsign, cs);
        if (ok && s.has_alt)
            ok = (p.has & ORBAT_SBS_ALT) && p.alt_ft == s.alt_ft;
        if (ok && s.has_gs)
            ok = (p.has & ORBAT_SBS_GS) && fabs(p.gs_kt - s.gs_kt) < 0.5 &&
                 fabs(p.track_deg - s.track_deg) < 0.5;
        if (ok && s.has_pos)
            ok =
                (p.has & ORBAT_SBS_POS) && fabs(p.lat - s.lat) < 6e-6 && fabs(p.lon - s.lon) < 6e-6;
        if (ok && s.has_vr)
            ok = (p.has & ORBAT_SBS_VR) && p.vr_fpm == s.vr_fpm;
        if (ok && s.has_squawk)
            ok = (p.has & ORBAT_SBS_SQUAWK) && p.squawk == s.squawk;
        if (!ok && bad++ < 3)
            CHECK(0, "SBS round trip: %.*s", (int)(n ? n - 1 : 0), line);
    }
    CHECK(bad == 0, "SBS: %d of %d lines round-trip (time to the ms, 5-decimal positions)",
          ROUNDS - bad, ROUNDS);
}

int main(void)
{
    sim_rng_seed(&rng, 20251023);
    test_fixed();
    test_ident();
    test_position();
    test_velocity();
    test_surveillance();
    test_framing();
    test_sbs();
    return check_exit();
}
