/* SPDX-License-Identifier: BSD-2-Clause
 *
 * adsb.c - ADS-B extended squitter ME field (DF17, DF18 CF0/1/2/5/6):
 * DO-260B 2.2.3.2. Type codes: 1-4 identification and category
 * (2.2.3.2.5), 5-8 surface position (2.2.3.2.4), 9-18 / 20-22 airborne
 * position (2.2.3.2.3), 19 airborne velocity subtypes 1-4 (2.2.3.2.6),
 * 28 aircraft status: emergency/priority and ACAS RA broadcast
 * (2.2.3.2.7.8), 29 target state and status, DO-260A subtype 0 and
 * DO-260B subtype 1 (2.2.3.2.7.1), 31 aircraft operational status,
 * versions 0-2 (2.2.3.2.7.2). Bits are numbered 1..56 within ME as in the
 * standard. Conventions where decoders differ follow dump1090-fa
 * (docs/modes.md).
 */
#include "decode/modes/adsb.h"

#include <math.h>

#include "decode/modes/modes_text.h"

#define ME(f, l) adsb_bits(me, (f), (l))

// NUCp implied by the airborne/surface position type code (DO-260 2.2.3.2.3.1.1).
static const uint8_t adsb_nuc_p[32] = {
    0, 0, 0, 0, 0, 9, 8, 7, 6, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0, 9, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

// Surface movement code to ground speed, DO-260B 2.2.3.2.4.2 table 2-79.
// Returns false for 0 (no information) and 125-127 (reserved).
static bool adsb_movement_kt(unsigned mv, float *kt)
{
    if (mv == 0 || mv > 124)
        return false;
    // Piecewise linear between the table's anchor codes (as pyModeS):
    // 2 -> 0.125 kt, 9 -> 1, 13 -> 2, 39 -> 15, 94 -> 70, 109 -> 100, 124 -> 175.
    static const uint8_t code[7] = {2, 9, 13, 39, 94, 109, 124};
    static const float kts[7] = {0.125f, 1.0f, 2.0f, 15.0f, 70.0f, 100.0f, 175.0f};
    if (mv == 1) {
        *kt = 0.0f; // stopped
        return true;
    }
    unsigned i = 1;
    while (i < 6 && mv >= code[i])
        i++;
    if (mv >= 124) {
        *kt = 175.0f; // 124: >= 175 kt
        return true;
    }
    float step = (kts[i] - kts[i - 1]) / (float)(code[i] - code[i - 1]);
    *kt = kts[i - 1] + (float)(mv - code[i - 1]) * step;
    return true;
}

static void adsb_local_position(struct orbat_modes_msg *m, const struct orbat_modes_opts *o)
{
    if (!o || !o->has_ref)
        return;
    double lat, lon;
    if (orbat_modes_cpr_local(o->ref_lat, o->ref_lon, m->cpr_lat, m->cpr_lon, m->cpr_odd,
                              m->cpr_surface, &lat, &lon) == ORBAT_OK) {
        m->lat = lat;
        m->lon = lon;
        m->has |= ORBAT_MODES_HAS_LATLON;
    }
}

// CPR fields shared by surface and airborne position: T, F, lat, lon are
// ME bits 21, 22, 23-39, 40-56 in both (2.2.3.2.3.7-.9, 2.2.3.2.4.6-.9).
static void adsb_cpr(struct orbat_modes_msg *m, uint64_t me, bool surface)
{
    m->time_sync = ME(21, 21);
    m->cpr_odd = ME(22, 22);
    m->cpr_lat = ME(23, 39);
    m->cpr_lon = ME(40, 56);
    m->cpr_surface = surface;
    m->nuc_p = adsb_nuc_p[m->tc];
    m->has |= ORBAT_MODES_HAS_CPR | ORBAT_MODES_HAS_TIME_SYNC | ORBAT_MODES_HAS_NUC_P;
}

static void adsb_surface(struct orbat_modes_msg *m, uint64_t me, const struct orbat_modes_opts *o)
{
    // 2.2.3.2.4: movement 6-12, track status 13, track 14-20.
    m->movement = (uint8_t)ME(6, 12);
    m->has |= ORBAT_MODES_HAS_MOVEMENT;
    if (adsb_movement_kt(m->movement, &m->gs_kt))
        m->has |= ORBAT_MODES_HAS_GS;
    m->track_status = (uint8_t)ME(13, 13);
    if (m->track_status) {
        m->track_deg = (float)ME(14, 20) * (360.0f / 128.0f);
        m->has |= ORBAT_MODES_HAS_TRACK;
    }
    adsb_cpr(m, me, true);
    adsb_local_position(m, o);
}

static void adsb_airborne(struct orbat_modes_msg *m, uint64_t me, const struct orbat_modes_opts *o)
{
    // 2.2.3.2.3: SS 6-7, NIC-B (single antenna flag in v0/1) 8, ALT 9-20.
    m->ss = (uint8_t)ME(6, 7);
    m->has |= ORBAT_MODES_HAS_SS;
    // Bit 8 is NIC supplement B, except for TIS-B/ADS-R where it is the IMF.
    if (!(m->df == 18 && (m->cf == 2 || m->cf == 6))) {
        m->nic_b = (uint8_t)ME(8, 8);
        m->has |= ORBAT_MODES_HAS_NIC_B;
    }
    uint16_t ac12 = (uint16_t)ME(9, 20);
    m->ac13 = ac12;
    if (m->tc >= 20) {
        // GNSS height (HAE), 2.2.3.2.3.4.3. dump1090-fa decodes the field
        // with the AC12 rules and calls it feet; so do we.
        m->alt_gnss = true;
    } else {
        m->alt_gnss = false;
    }
    m->alt_metric = false;
    if (orbat_modes_ac12_ft(ac12, &m->alt_ft))
        m->has |= ORBAT_MODES_HAS_ALT;
    if (m->tc == 0)
        return; // 2.2.3.2.3.1.3: altitude only, no position
    // A known transponder fault (dump1090-fa): TC15, altitude 0, longitude
    // 0 and the 12 low latitude bits 0. Not a position.
    if (m->tc == 15 && ac12 == 0 && ME(40, 56) == 0 && (ME(23, 39) & 0xfff) == 0)
        return;
    adsb_cpr(m, me, false);
    adsb_local_position(m, o);
}

static void adsb_velocity(struct orbat_modes_msg *m, uint64_t me)
{
    // 2.2.3.2.6: subtype 6-8, intent change 9, IFR 10, NUCr/NACv 11-13.
    unsigned st = m->st;
    if (st < 1 || st > 4)
        return;
    m->intent_change = (uint8_t)ME(9, 9);
    m->ifr = (uint8_t)ME(10, 10);
    m->nac_v = (uint8_t)ME(11, 13);
    m->supersonic = (st == 2 || st == 4);
    m->has |= ORBAT_MODES_HAS_INTENT | ORBAT_MODES_HAS_NAC_V;
    int scale = m->supersonic ? 4 : 1;
    if (st <= 2) {
        // 2.2.3.2.6.1/.2: E-W direction 14 (1 = west), velocity 15-24;
        // N-S direction 25 (1 = south), velocity 26-35; 0 = no information.
        unsigned ew = ME(15, 24), ns = ME(26, 35);
        if (ew && ns) {
            int vx = ((int)ew - 1) * scale, vy = ((int)ns - 1) * scale;
            if (ME(14, 14))
                vx = -vx;
            if (ME(25, 25))
                vy = -vy;
            m->vel_ew_kt = (int16_t)vx;
            m->vel_ns_kt = (int16_t)vy;
            m->gs_kt = sqrtf((float)(vx * vx + vy * vy));
            m->has |= ORBAT_MODES_HAS_VEL_EWNS | ORBAT_MODES_HAS_GS;
            if (vx || vy) {
                float t = atan2f((float)vx, (float)vy) * (180.0f / 3.14159265358979f);
                m->track_deg = t < 0 ? t + 360.0f : t;
                m->has |= ORBAT_MODES_HAS_TRACK;
            }
        }
    } else {
        // 2.2.3.2.6.3/.4: heading status 14, heading 15-24 (360/1024),
        // airspeed type 25 (0 IAS, 1 TAS), airspeed 26-35.
        if (ME(14, 14)) {
            m->heading_deg = (float)ME(15, 24) * (360.0f / 1024.0f);
            m->heading_true = false; // magnetic unless TC31 HRD says true
            m->has |= ORBAT_MODES_HAS_HEADING;
        }
        unsigned as = ME(26, 35);
        if (as) {
            m->airspeed_kt = (uint16_t)(((int)as - 1) * scale);
            m->airspeed_tas = ME(25, 25);
            m->has |= ORBAT_MODES_HAS_AIRSPEED;
        }
    }
    // 2.2.3.2.6.1.10-.12: VR source 36 (1 = baro, dump1090-fa), sign 37
    // (1 = down), rate 38-46 in 64 ft/min, 0 = no information.
    unsigned vr = ME(38, 46);
    if (vr) {
        int v = ((int)vr - 1) * 64;
        m->vr_fpm = ME(37, 37) ? -v : v;
        m->vr_baro = ME(36, 36);
        m->has |= ORBAT_MODES_HAS_VR;
    }
    // 2.2.3.2.6.1.14: GNSS minus baro, sign 49 (1 = below), 50-56 in 25 ft.
    unsigned gd = ME(50, 56);
    if (gd) {
        int d = ((int)gd - 1) * 25;
        m->geo_minus_baro_ft = ME(49, 49) ? -d : d;
        m->has |= ORBAT_MODES_HAS_GEO_BARO;
    }
}

static void adsb_ra(struct orbat_modes_ra *ra, uint64_t f)
{
    // ACAS RA report (Annex 10 Vol IV 4.3.8.4.2.2, BDS 3,0 layout from bit 9):
    // ARA 9-22, RAC 23-26, RAT 27, MTE 28, TTI 29-30, TID 31-56.
    ra->ara = (uint16_t)adsb_bits(f, 9, 22);
    ra->rac = (uint8_t)adsb_bits(f, 23, 26);
    ra->rat = (uint8_t)adsb_bits(f, 27, 27);
    ra->mte = (uint8_t)adsb_bits(f, 28, 28);
    ra->tti = (uint8_t)adsb_bits(f, 29, 30);
    ra->tid = adsb_bits(f, 31, 56);
}

static void adsb_status(struct orbat_modes_msg *m, uint64_t me)
{
    // 2.2.3.2.7.8: subtype 1 emergency/priority 9-11 + Mode A code 12-24;
    // subtype 2 ACAS RA broadcast.
    if (m->st == 1) {
        m->emergency_state = (uint8_t)ME(9, 11);
        m->has |= ORBAT_MODES_HAS_EMERGENCY | ORBAT_MODES_HAS_AIRCRAFT_STATUS;
        m->id13 = (uint16_t)ME(12, 24);
        if (m->id13) { // 0 = no code (dump1090-fa)
            m->squawk = orbat_modes_id13_squawk(m->id13);
            m->has |= ORBAT_MODES_HAS_SQUAWK;
        }
    } else if (m->st == 2) {
        adsb_ra(&m->ra, me);
        m->has |= ORBAT_MODES_HAS_ACAS_RA;
    }
}

static void adsb_target_state(struct orbat_modes_msg *m, uint64_t me)
{
    // TC29 subtype is 2 bits (ME 6-7) in DO-260B 2.2.3.2.7.1.
    m->st = (uint8_t)ME(6, 7);
    if (m->st == 1) {
        // DO-260B: SIL supplement 8, selected altitude type 9, altitude
        // 10-20 (32 ft, 0 = none), baro setting 21-29 (0.8 hPa + 800),
        // heading status 30, sign 31, heading 32-39 (180/256), NACp 40-43,
        // NICbaro 44, SIL 45-46, mode status 47, AP 48, VNAV 49, alt hold
        // 50, IMF 51, approach 52, TCAS operational 53, LNAV 54.
        m->sil_supp = (uint8_t)ME(8, 8);
        m->sel_alt_fms = ME(9, 9);
        unsigned alt = ME(10, 20);
        if (alt) {
            m->sel_alt_ft = ((int32_t)alt - 1) * 32;
            m->has |= ORBAT_MODES_HAS_SEL_ALT;
        }
        unsigned baro = ME(21, 29);
        if (baro) {
            m->baro_setting_hpa = 800.0f + (float)(baro - 1) * 0.8f;
            m->has |= ORBAT_MODES_HAS_BARO_SET;
        }
        if (ME(30, 30)) {
            m->sel_heading_deg = (float)ME(31, 39) * (180.0f / 256.0f);
            m->has |= ORBAT_MODES_HAS_SEL_HDG;
        }
        m->nac_p = (uint8_t)ME(40, 43);
        m->nic_baro = (uint8_t)ME(44, 44);
        m->sil = (uint8_t)ME(45, 46);
        m->has |= ORBAT_MODES_HAS_NAC_P | ORBAT_MODES_HAS_NIC_BARO | ORBAT_MODES_HAS_SIL;
        uint8_t modes = 0;
        if (ME(53, 53))
            modes |= ORBAT_MODES_NAV_TCAS;
        if (ME(47, 47)) {
            if (ME(48, 48))
                modes |= ORBAT_MODES_NAV_AUTOPILOT;
            if (ME(49, 49))
                modes |= ORBAT_MODES_NAV_VNAV;
            if (ME(50, 50))
                modes |= ORBAT_MODES_NAV_ALT_HOLD;
            if (ME(52, 52))
                modes |= ORBAT_MODES_NAV_APPROACH;
            if (ME(54, 54))
                modes |= ORBAT_MODES_NAV_LNAV;
            m->has |= ORBAT_MODES_HAS_NAV_MODES;
        }
        m->nav_modes = modes;
        m->has |= ORBAT_MODES_HAS_TCAS_OP;
    } else if (m->st == 0 && ME(11, 11) == 0) {
        // DO-260A 2.2.3.2.7.1 (version 1; ME bit 11 is the "backward
        // compatibility" bit, always 0): vertical data source 8-9,
        // target altitude 16-25 (100 ft, -1000), horizontal data source
        // 26-27, target heading/track 28-36 (deg), NACp 40-43, NICbaro 44,
        // SIL 45-46. Raw ME bits 8-39 kept in tss1_raw.
        m->tss1_raw = (uint32_t)ME(8, 39);
        m->sil_supp = 0;
        m->has |= ORBAT_MODES_HAS_TSS_V1;
        unsigned vsrc = ME(8, 9);
        if (vsrc) {
            m->sel_alt_ft = (int32_t)ME(16, 25) * 100 - 1000;
            m->sel_alt_fms = (vsrc == 3);
            m->has |= ORBAT_MODES_HAS_SEL_ALT;
        }
        if (ME(26, 27)) {
            m->sel_heading_deg = (float)ME(28, 36);
            m->has |= ORBAT_MODES_HAS_SEL_HDG;
        }
        m->nac_p = (uint8_t)ME(40, 43);
        m->nic_baro = (uint8_t)ME(44, 44);
        m->sil = (uint8_t)ME(45, 46);
        m->has |= ORBAT_MODES_HAS_NAC_P | ORBAT_MODES_HAS_NIC_BARO | ORBAT_MODES_HAS_SIL;
    }
}

static void adsb_opstatus(struct orbat_modes_msg *m, uint64_t me)
{
    // 2.2.3.2.7.2: subtype 6-8 (0 airborne, 1 surface), capability class
    // 9-24 (surface: 9-20 + L/W 21-24), operational mode 25-40, version
    // 41-43, NIC supplement A 44, NACp 45-48, GVA 49-50 (airborne v2),
    // SIL 51-52, NICbaro 53 (airborne) / TRK-HDG 53 (surface), HRD 54,
    // SIL supplement 55.
    if (m->st > 1)
        return;
    m->version = (uint8_t)ME(41, 43);
    m->op_mode = (uint16_t)ME(25, 40);
    m->has |= ORBAT_MODES_HAS_VERSION | ORBAT_MODES_HAS_OPSTATUS;
    if (m->st == 0) {
        m->cap_class = (uint16_t)ME(9, 24);
    } else {
        m->cap_class = (uint16_t)ME(9, 20);
        m->len_width = (uint8_t)ME(21, 24);
        m->has |= ORBAT_MODES_HAS_LEN_WIDTH;
    }
    m->hrd = 0;
    m->tah = 0;
    m->sil_supp = 0;
    if (m->version == 0)
        return; // DO-260: only the capability class is defined
    m->nic_a = (uint8_t)ME(44, 44);
    m->nac_p = (uint8_t)ME(45, 48);
    m->sil = (uint8_t)ME(51, 52);
    m->hrd = (uint8_t)ME(54, 54);
    m->has |= ORBAT_MODES_HAS_NIC_SUPP | ORBAT_MODES_HAS_NAC_P | ORBAT_MODES_HAS_SIL;
    if (m->st == 0) {
        m->nic_baro = (uint8_t)ME(53, 53);
        m->tah = 0;
        m->has |= ORBAT_MODES_HAS_NIC_BARO;
    } else {
        m->tah = (uint8_t)ME(53, 53);
        // Surface capability class (v2): NACv ME 17-19, NIC supplement C
        // ME 20.
        if (m->version >= 2) {
            m->nic_c = (uint8_t)ME(20, 20);
            m->nac_v = (uint8_t)ME(17, 19);
            m->has |= ORBAT_MODES_HAS_NAC_V | ORBAT_MODES_HAS_NIC_C;
        }
    }
    if (m->version >= 2) {
        m->sil_supp = (uint8_t)ME(55, 55);
        // Operational mode: SDA is OM bits 7-8 = ME 31-32.
        m->sda = (uint8_t)ME(31, 32);
        m->has |= ORBAT_MODES_HAS_SDA;
        if (m->st == 0) {
            m->gva = (uint8_t)ME(49, 50);
            m->has |= ORBAT_MODES_HAS_GVA;
        }
    }
}

void adsb_decode_me(struct orbat_modes_msg *m, const struct orbat_modes_opts *o,
                    bool decode_payload)
{
    uint64_t me = adsb_load56(m->raw + 4);
    m->tc = (uint8_t)ME(1, 5);
    m->st = (uint8_t)ME(6, 8);
    m->has |= ORBAT_MODES_HAS_ME;

    // DF18: the ME formats are ADS-B ones only for CF 0, 1, 2, 5, 6
    // (DO-260B 2.2.3.2.1.5 / DO-260B 2.2.17 TIS-B); CF3 coarse TIS-B and
    // CF4 management use other layouts. IMF for TIS-B/ADS-R is ME bit 8 of
    // position messages (2.2.17.3.1.1).
    if (m->df == 18) {
        if (m->cf == 3) {
            // Coarse TIS-B: only the IMF (ME bit 1) is read (2.2.17.3.2).
            m->imf = (uint8_t)ME(1, 1);
            if (m->imf)
                m->addr_type = ORBAT_MODES_AT_TISB_TRACKFILE;
            return;
        }
        if (m->cf == 4 || m->cf == 7)
            return;
        if (m->cf == 2 || m->cf == 6) {
            // IMF position per message type (DO-260B 2.2.17.3 / 2.2.18.4,
            // as dump1090-fa): position 8, surface 21, velocity 9, TC28/1
            // 56, TC29 51.
            unsigned bit = 0;
            if ((m->tc >= 9 && m->tc <= 18) || (m->tc >= 20 && m->tc <= 22))
                bit = 8;
            else if (m->tc >= 5 && m->tc <= 8)
                bit = 21;
            else if (m->tc == 19)
                bit = 9;
            else if (m->tc == 28 && m->st == 1)
                bit = 56;
            else if (m->tc == 29)
                bit = 51;
            m->imf = bit ? (uint8_t)ME(bit, bit) : 0;
            if (m->imf)
                m->addr_type =
                    m->cf == 2 ? ORBAT_MODES_AT_TISB_TRACKFILE : ORBAT_MODES_AT_ADSR_OTHER;
        }
    }
    if (!decode_payload)
        return;

    switch (m->tc) {
    case 1:
    case 2:
    case 3:
    case 4:
        // 2.2.3.2.5: emitter category 6-8, characters 9-56.
        m->category = (uint8_t)ME(6, 8);
        m->category_set = (uint8_t)('A' + (4 - m->tc));
        m->has |= ORBAT_MODES_HAS_CATEGORY;
        modes_text_decode(me & 0xffffffffffffull, 8, m->callsign);
        m->has |= ORBAT_MODES_HAS_CALLSIGN;
        break;
    case 5:
    case 6:
    case 7:
    case 8:
        adsb_surface(m, me, o);
        break;
    case 19:
        adsb_velocity(m, me);
        break;
    case 28:
        adsb_status(m, me);
        break;
    case 29:
        adsb_target_state(m, me);
        break;
    case 31:
        adsb_opstatus(m, me);
        break;
    case 23:
        // Test message; subtype 7 carries a Mode A code (1090-WP-15-20).
        if (m->st == 7 && ME(9, 21)) {
            m->id13 = (uint16_t)ME(9, 21);
            m->squawk = orbat_modes_id13_squawk(m->id13);
            m->has |= ORBAT_MODES_HAS_SQUAWK;
        }
        break;
    default:
        if (m->tc == 0 || (m->tc >= 9 && m->tc <= 18) || (m->tc >= 20 && m->tc <= 22))
            adsb_airborne(m, me, o);
        break;
    }
}
