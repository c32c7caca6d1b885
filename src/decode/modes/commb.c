/* SPDX-License-Identifier: BSD-2-Clause
 *
 * commb.c - Comm-B registers in the 56-bit MB field of DF20/21 replies
 * (ICAO Doc 9871 2nd ed., Appendix A: BDS 1,0 table A-2-16, 1,7 A-2-23,
 * 2,0 A-2-32, 2,1 A-2-33, 3,0 A-2-48, 4,0 A-2-64, 4,4 A-2-68, 4,5 A-2-69,
 * 5,0 A-2-80, 6,0 A-2-96). The MB carries no register number, so the
 * register is inferred from the plausibility rules used by pyModeS
 * (status bits consistent with their values, reserved bits zero, ranges
 * of roll/speeds/rates) - the candidates are reported when more than one
 * register fits; a reference state from ADS-B can settle BDS 5,0 vs 6,0
 * (orbat_modes_commb_resolve, ISA atmosphere speed conversions).
 */
#include "decode/modes/commb.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "decode/modes/adsb.h"
#include "decode/modes/modes_text.h"

#define MB(f, l) adsb_bits(mb, (f), (l))

// A status bit that is 0 must come with an all-zero value field.
static bool commb_wrongstatus(uint64_t mb, unsigned sb, unsigned first, unsigned last)
{
    return !MB(sb, sb) && MB(first, last) != 0;
}

// Two's-complement value of sign bit + magnitude bits (Doc 9871 convention).
static int commb_signed(uint64_t mb, unsigned sign, unsigned first, unsigned last)
{
    int v = (int)MB(first, last);
    if (MB(sign, sign))
        v -= 1 << (last - first + 1);
    return v;
}

static bool commb_is10(uint64_t mb)
{
    if (MB(1, 8) != 0x10 || MB(10, 14) != 0)
        return false;
    // Overlay command capability vs subnetwork version (pyModeS is10).
    unsigned ver = MB(17, 23);
    if (MB(15, 15) && ver < 5)
        return false;
    if (!MB(15, 15) && ver > 4)
        return false;
    return true;
}

static bool commb_is17(uint64_t mb)
{
    // Bits 25-56 reserved zero; BDS 2,0 (capability bit 7) must be there.
    return MB(25, 56) == 0 && MB(7, 7) == 1;
}

static bool commb_is20(uint64_t mb)
{
    char cs[9];
    return MB(1, 8) == 0x20 && modes_text_decode(mb & 0xffffffffffffull, 8, cs);
}

static bool commb_is30(uint64_t mb)
{
    // Threat type 3 is not assigned; ARA values >= 48 in bits 16-22
    // are reserved for ACAS III.
    return MB(1, 8) == 0x30 && MB(29, 30) != 3 && MB(16, 22) < 48;
}

static bool commb_is40(uint64_t mb)
{
    if (commb_wrongstatus(mb, 1, 2, 13) || commb_wrongstatus(mb, 14, 15, 26) ||
        commb_wrongstatus(mb, 27, 28, 39) || commb_wrongstatus(mb, 48, 49, 51) ||
        commb_wrongstatus(mb, 54, 55, 56))
        return false;
    return MB(40, 47) == 0 && MB(52, 53) == 0;
}

static bool commb_is50(uint64_t mb)
{
    if (commb_wrongstatus(mb, 1, 3, 11) || commb_wrongstatus(mb, 12, 14, 23) ||
        commb_wrongstatus(mb, 24, 25, 34) || commb_wrongstatus(mb, 35, 36, 45) ||
        commb_wrongstatus(mb, 46, 47, 56))
        return false;
    if (MB(1, 1) && fabs(commb_signed(mb, 2, 3, 11) * (45.0 / 256.0)) > 50)
        return false;
    int gs = MB(24, 24) ? (int)MB(25, 34) * 2 : -1;
    int tas = MB(46, 46) ? (int)MB(47, 56) * 2 : -1;
    if (gs > 600 || tas > 500)
        return false;
    if (gs >= 0 && tas >= 0 && abs(tas - gs) > 200)
        return false;
    return true;
}

// ISA atmosphere (as pyModeS aero): temperature, density, pressure at h m.
static void commb_atmos(double h, double *p, double *rho, double *t)
{
    double temp = 288.15 - 0.0065 * h;
    if (temp < 216.65)
        temp = 216.65;
    double r = 1.225 * pow(temp / 288.15, 4.256848030018761);
    double dh = h - 11000.0;
    if (dh > 0)
        r *= exp(-dh / 6341.552161);
    *rho = r;
    *t = temp;
    *p = r * 287.05287 * temp;
}

static double commb_mach2tas(double mach, double h)
{
    double p, rho, t;
    commb_atmos(h, &p, &rho, &t);
    return mach * sqrt(1.40 * 287.05287 * t);
}

static double commb_cas2tas(double cas, double h)
{
    double p, rho, t;
    commb_atmos(h, &p, &rho, &t);
    double q = 101325.0 * (pow(1.0 + 1.225 * cas * cas / (7.0 * 101325.0), 3.5) - 1.0);
    return sqrt(7.0 * p / rho * (pow(1.0 + q / p, 2.0 / 7.0) - 1.0));
}

#define COMMB_KT 0.514444
#define COMMB_FT 0.3048

static bool commb_is60(uint64_t mb)
{
    if (commb_wrongstatus(mb, 1, 2, 12) || commb_wrongstatus(mb, 13, 14, 23) ||
        commb_wrongstatus(mb, 24, 25, 34) || commb_wrongstatus(mb, 35, 36, 45) ||
        commb_wrongstatus(mb, 46, 47, 56))
        return false;
    int ias = MB(13, 13) ? (int)MB(14, 23) : -1;
    double mach = MB(24, 24) ? MB(25, 34) * (2.048 / 512.0) : -1;
    if (ias > 500 || mach > 1)
        return false;
    if (MB(35, 35) && abs(commb_signed(mb, 36, 37, 45) * 32) > 6000)
        return false;
    if (MB(46, 46) && abs(commb_signed(mb, 47, 48, 56) * 32) > 6000)
        return false;
    return true;
}

static uint8_t commb_cands(uint64_t mb)
{
    if (mb == 0)
        return ORBAT_MODES_CAND_EMPTY;
    uint8_t c = 0;
    if (commb_is10(mb))
        c |= ORBAT_MODES_CAND_10;
    if (commb_is17(mb))
        c |= ORBAT_MODES_CAND_17;
    if (commb_is20(mb))
        c |= ORBAT_MODES_CAND_20;
    if (commb_is30(mb))
        c |= ORBAT_MODES_CAND_30;
    if (commb_is40(mb))
        c |= ORBAT_MODES_CAND_40;
    if (commb_is50(mb))
        c |= ORBAT_MODES_CAND_50;
    if (commb_is60(mb))
        c |= ORBAT_MODES_CAND_60;
    return c;
}

uint8_t orbat_modes_commb_candidates(const uint8_t mb[7])
{
    return commb_cands(adsb_load56(mb));
}

static const uint8_t commb_cand_bds[7] = {
    ORBAT_MODES_BDS_10, ORBAT_MODES_BDS_17, ORBAT_MODES_BDS_20, ORBAT_MODES_BDS_30,
    ORBAT_MODES_BDS_40, ORBAT_MODES_BDS_50, ORBAT_MODES_BDS_60,
};

static enum orbat_err commb_decode(uint64_t mb, uint8_t bds, struct orbat_modes_commb *c)
{
    c->has = 0;
    switch (bds) {
    case ORBAT_MODES_BDS_10: // A-2-16 data link capability
        c->cap10_overlay = (uint8_t)MB(15, 15);
        c->cap10_acas = (uint8_t)MB(16, 16);
        c->cap10_subnet = (uint8_t)MB(17, 23);
        c->cap10_aic = (uint8_t)MB(33, 33);
        c->cap10_squitter = (uint8_t)MB(34, 34);
        c->cap10_acas_bits = (uint8_t)MB(37, 38);
        c->cap10_acas_rtca = (uint8_t)MB(39, 40);
        c->cap10_dte = (uint16_t)MB(41, 56);
        c->has |= ORBAT_MODES_CB_BDS10;
        return MB(1, 8) == 0x10 ? ORBAT_OK : ORBAT_E_RANGE;
    case ORBAT_MODES_BDS_17: // A-2-23 GICB capability: bit 1 = 0,5 .. bit 24 = 6,0
        c->supported = MB(1, 24);
        c->has |= ORBAT_MODES_CB_BDS17;
        return ORBAT_OK;
    case ORBAT_MODES_BDS_20: // A-2-32 identification: 8 chars from bit 9
        if (MB(1, 8) != 0x20)
            return ORBAT_E_RANGE;
        modes_text_decode(mb & 0xffffffffffffull, 8, c->callsign);
        c->has |= ORBAT_MODES_CB_CALLSIGN;
        return ORBAT_OK;
    case ORBAT_MODES_BDS_21: // A-2-33 registration: status 1, 7 chars 2-43
        if (!MB(1, 1))
            return ORBAT_E_RANGE;
        modes_text_decode(MB(2, 43), 7, c->registration);
        c->has |= ORBAT_MODES_CB_REGISTRATION;
        return ORBAT_OK;
    case ORBAT_MODES_BDS_30: // A-2-48 ACAS RA: same layout as TC28 st2
        c->ra.ara = (uint16_t)MB(9, 22);
        c->ra.rac = (uint8_t)MB(23, 26);
        c->ra.rat = (uint8_t)MB(27, 27);
        c->ra.mte = (uint8_t)MB(28, 28);
        c->ra.tti = (uint8_t)MB(29, 30);
        c->ra.tid = MB(31, 56);
        c->has |= ORBAT_MODES_CB_RA;
        return MB(1, 8) == 0x30 ? ORBAT_OK : ORBAT_E_RANGE;
    case ORBAT_MODES_BDS_40: // A-2-64 selected vertical intention
        if (MB(1, 1)) {
            c->sel_alt_mcp_ft = (int32_t)MB(2, 13) * 16;
            c->has |= ORBAT_MODES_CB_SEL_ALT_MCP;
        }
        if (MB(14, 14)) {
            c->sel_alt_fms_ft = (int32_t)MB(15, 26) * 16;
            c->has |= ORBAT_MODES_CB_SEL_ALT_FMS;
        }
        if (MB(27, 27)) {
            c->baro_setting_hpa = 800.0f + (float)MB(28, 39) * 0.1f;
            c->has |= ORBAT_MODES_CB_BARO_SET;
        }
        if (MB(54, 54)) {
            c->target_alt_src = (uint8_t)MB(55, 56);
            c->has |= ORBAT_MODES_CB_TARGET_SRC;
        }
        return ORBAT_OK;
    case ORBAT_MODES_BDS_44: // A-2-68 meteorological routine air report
        if (MB(5, 5)) {
            c->wind_kt = (uint16_t)MB(6, 14);
            c->wind_dir_deg = (float)MB(15, 23) * (180.0f / 256.0f);
            c->has |= ORBAT_MODES_CB_WIND;
        }
        c->sat_c = (float)commb_signed(mb, 24, 25, 34) * 0.25f;
        c->has |= ORBAT_MODES_CB_SAT;
        return ORBAT_OK;
    case ORBAT_MODES_BDS_45: // A-2-69 meteorological hazard: SAT status 16
        if (MB(16, 16)) {
            c->sat_c = (float)commb_signed(mb, 17, 18, 26) * 0.25f;
            c->has |= ORBAT_MODES_CB_SAT;
        }
        return ORBAT_OK;
    case ORBAT_MODES_BDS_50: // A-2-80 track and turn report
        if (MB(1, 1)) {
            c->roll_deg = (float)commb_signed(mb, 2, 3, 11) * (45.0f / 256.0f);
            c->has |= ORBAT_MODES_CB_ROLL;
        }
        if (MB(12, 12)) {
            float t = (float)commb_signed(mb, 13, 14, 23) * (90.0f / 512.0f);
            c->true_track_deg = t < 0 ? t + 360.0f : t;
            c->has |= ORBAT_MODES_CB_TRUE_TRACK;
        }
        if (MB(24, 24)) {
            c->gs_kt = (uint16_t)(MB(25, 34) * 2);
            c->has |= ORBAT_MODES_CB_GS;
        }
        if (MB(35, 35)) {
            c->track_rate_dps = (float)commb_signed(mb, 36, 37, 45) * (8.0f / 256.0f);
            c->has |= ORBAT_MODES_CB_TRACK_RATE;
        }
        if (MB(46, 46)) {
            c->tas_kt = (uint16_t)(MB(47, 56) * 2);
            c->has |= ORBAT_MODES_CB_TAS;
        }
        return ORBAT_OK;
    case ORBAT_MODES_BDS_60: // A-2-96 heading and speed report
        if (MB(1, 1)) {
            float h = (float)commb_signed(mb, 2, 3, 12) * (90.0f / 512.0f);
            c->mag_heading_deg = h < 0 ? h + 360.0f : h;
            c->has |= ORBAT_MODES_CB_MAG_HDG;
        }
        if (MB(13, 13)) {
            c->ias_kt = (uint16_t)MB(14, 23);
            c->has |= ORBAT_MODES_CB_IAS;
        }
        if (MB(24, 24)) {
            c->mach = (float)MB(25, 34) * (2.048f / 512.0f);
            c->has |= ORBAT_MODES_CB_MACH;
        }
        if (MB(35, 35)) {
            c->vr_baro_fpm = commb_signed(mb, 36, 37, 45) * 32;
            c->has |= ORBAT_MODES_CB_VR_BARO;
        }
        if (MB(46, 46)) {
            c->vr_ins_fpm = commb_signed(mb, 47, 48, 56) * 32;
            c->has |= ORBAT_MODES_CB_VR_INS;
        }
        return ORBAT_OK;
    default:
        return ORBAT_E_UNSUPPORTED;
    }
}

enum orbat_err orbat_modes_commb_decode(const uint8_t mb[7], uint8_t bds,
                                        struct orbat_modes_commb *out)
{
    return commb_decode(adsb_load56(mb), bds, out);
}

// Decode the single remaining candidate, if there is exactly one.
static void commb_settle(struct orbat_modes_msg *m, uint64_t mb, uint8_t cands)
{
    struct orbat_modes_commb *c = &m->commb;
    c->candidates = cands;
    c->bds = 0;
    c->has = 0;
    cands &= 0x7f;
    if (cands == 0 || (cands & (cands - 1)) != 0)
        return;
    unsigned i = 0;
    while (!(cands & (1u << i)))
        i++;
    c->bds = commb_cand_bds[i];
    (void)commb_decode(mb, c->bds, c);
    if (c->has & ORBAT_MODES_CB_CALLSIGN) {
        memcpy(m->callsign, c->callsign, sizeof m->callsign);
        m->has |= ORBAT_MODES_HAS_CALLSIGN;
    }
}

void commb_infer(struct orbat_modes_msg *m, bool infer)
{
    m->commb.has = 0;
    m->commb.bds = 0;
    m->commb.candidates = 0;
    if (!infer)
        return;
    uint64_t mb = adsb_load56(m->raw + 4);
    commb_settle(m, mb, commb_cands(mb));
}

static void commb_vxy(double v, double deg, double *x, double *y)
{
    double r = deg * (3.14159265358979323846 / 180.0);
    *x = v * sin(r);
    *y = v * cos(r);
}

uint8_t orbat_modes_commb_resolve(struct orbat_modes_msg *m,
                                  const struct orbat_modes_commb_ref *ref)
{
    if (!m || (m->df != 20 && m->df != 21) || m->len != ORBAT_MODES_LONG_LEN)
        return 0;
    uint64_t mb = adsb_load56(m->raw + 4);
    uint8_t cands = m->commb.candidates;
    if (m->commb.bds)
        return m->commb.bds;
    const uint8_t both = ORBAT_MODES_CAND_50 | ORBAT_MODES_CAND_60;
    if (!ref || (cands & both) != both || !ref->has_gs || !ref->has_track || !ref->has_alt)
        return 0;
    // pyModeS is50or60: compare the velocity vectors implied by 5,0 (GS,
    // track) and 6,0 (Mach or IAS converted to TAS, heading) with the
    // reference; nearest wins.
    struct orbat_modes_commb c50, c60;
    (void)commb_decode(mb, ORBAT_MODES_BDS_50, &c50);
    (void)commb_decode(mb, ORBAT_MODES_BDS_60, &c60);
    if (!(c50.has & ORBAT_MODES_CB_TRUE_TRACK) || !(c50.has & ORBAT_MODES_CB_GS))
        return 0;
    if (!(c60.has & ORBAT_MODES_CB_MAG_HDG) ||
        !(c60.has & (ORBAT_MODES_CB_MACH | ORBAT_MODES_CB_IAS)))
        return 0;
    double h = ref->alt_ft * COMMB_FT;
    double rx, ry, x, y;
    commb_vxy(ref->gs_kt * COMMB_KT, ref->track_deg, &rx, &ry);
    commb_vxy(c50.gs_kt * COMMB_KT, c50.true_track_deg, &x, &y);
    double d50 = hypot(x - rx, y - ry), d60 = INFINITY;
    if (c60.has & ORBAT_MODES_CB_MACH) {
        commb_vxy(commb_mach2tas(c60.mach, h), c60.mag_heading_deg, &x, &y);
        d60 = fmin(d60, hypot(x - rx, y - ry));
    }
    if (c60.has & ORBAT_MODES_CB_IAS) {
        commb_vxy(commb_cas2tas(c60.ias_kt * COMMB_KT, h), c60.mag_heading_deg, &x, &y);
        d60 = fmin(d60, hypot(x - rx, y - ry));
    }
    uint8_t keep = d50 <= d60 ? ORBAT_MODES_CAND_50 : ORBAT_MODES_CAND_60;
    commb_settle(m, mb, (uint8_t)((cands & ~both) | keep));
    return m->commb.bds;
}
