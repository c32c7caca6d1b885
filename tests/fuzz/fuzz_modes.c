/* SPDX-License-Identifier: BSD-2-Clause
 *
 * fuzz_modes.c - libFuzzer target for the Mode S decoder. Input: one
 * option byte (bit 0 fix_1bit, 1 decode_bad_crc, 2 no_commb, 3 receiver
 * reference, 4 addr_known says yes) then the frame; 7 or 14 bytes are
 * decoded (longer inputs are cut, any length is also tried as is). Checks
 * the decoder's invariants and runs CPR and Comm-B helpers on the result.
 */
#include "orbat/modes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool fuzz_yes(void *ctx, uint32_t a)
{
    (void)a;
    return ctx != NULL;
}

static void fuzz_check(const struct orbat_modes_msg *m, enum orbat_err e)
{
    if (e == ORBAT_E_TRUNCATED || e == ORBAT_E_BITCOUNT || e == ORBAT_E_DF)
        return;
    if (m->df > 24 || m->addr > 0xffffff || m->crc > 0xffffff)
        abort();
    if ((m->has & ORBAT_MODES_HAS_CALLSIGN) && strlen(m->callsign) > 8)
        abort();
    if ((m->has & ORBAT_MODES_HAS_TRACK) && !(m->track_deg >= 0 && m->track_deg < 360.001f))
        abort();
    if ((m->has & ORBAT_MODES_HAS_LATLON) &&
        !(fabs(m->lat) <= 90 && m->lon >= -180 && m->lon <= 180))
        abort();
    if ((m->has & ORBAT_MODES_HAS_CPR) && (m->cpr_lat > 0x1ffff || m->cpr_lon > 0x1ffff))
        abort();
    if (m->fixed_bit > m->len * 8)
        abort();
    if (e == ORBAT_OK && (m->df == 17 || m->df == 18) && !m->crc_ok)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t flags = data[0];
    data++;
    size--;
    struct orbat_modes_opts o = {
        .fix_1bit = flags & 1,
        .decode_bad_crc = (flags & 2) != 0,
        .no_commb = (flags & 4) != 0,
        .has_ref = (flags & 8) != 0,
        .ref_lat = 52.0 - (flags >> 5) * 20.0,
        .ref_lon = -170.0 + (flags >> 5) * 50.0,
        .addr_known = fuzz_yes,
        .addr_ctx = (flags & 16) ? (void *)&o : NULL,
    };
    struct orbat_modes_msg m;
    enum orbat_err e = orbat_modes_decode(data, size, &o, &m);
    fuzz_check(&m, e);
    size_t len = size >= 14 ? 14 : size >= 7 ? 7 : 0;
    if (!len)
        return 0;
    e = orbat_modes_decode(data, len, &o, &m);
    fuzz_check(&m, e);
    if (m.has & ORBAT_MODES_HAS_MB) {
        struct orbat_modes_commb_ref r = {true, true, true, 300.0f, 90.0f, 30000};
        uint8_t bds = orbat_modes_commb_resolve(&m, &r);
        struct orbat_modes_commb c;
        (void)bds;
        for (unsigned reg = 0; reg < 256; reg += 1) {
            enum orbat_err ce = orbat_modes_commb_decode(m.raw + 4, (uint8_t)reg, &c);
            if (ce == ORBAT_OK && (c.has & ORBAT_MODES_CB_CALLSIGN) && strlen(c.callsign) > 8)
                abort();
        }
    }
    if (m.has & ORBAT_MODES_HAS_CPR) {
        double la, lo;
        double cl[8], cn[8];
        if (orbat_modes_cpr_global_airborne(m.cpr_lat, m.cpr_lon, m.cpr_lon, m.cpr_lat, m.cpr_odd,
                                            &la, &lo) == ORBAT_OK &&
            !(fabs(la) <= 90 && lo >= -180 && lo < 180))
            abort();
        if (orbat_modes_cpr_global_surface(o.ref_lat, o.ref_lon, m.cpr_lat, m.cpr_lon, m.cpr_lon,
                                           m.cpr_lat, m.cpr_odd, &la, &lo) == ORBAT_OK &&
            !(fabs(la) <= 90 && lo >= -180 && lo < 180))
            abort();
        if (orbat_modes_cpr_surface_candidates(m.cpr_lat, m.cpr_lon, m.cpr_lon, m.cpr_lat,
                                               m.cpr_odd, cl, cn) > 8)
            abort();
    }
    return 0;
}
