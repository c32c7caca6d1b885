/* SPDX-License-Identifier: BSD-2-Clause
 *
 * modes.c - Mode S reply decoding: downlink format dispatch, parity
 * (ICAO Annex 10 Vol IV 3.1.2.3.3: AP for DF0/4/5/16/20/21/24, PI for
 * DF11/17/18), the surveillance fields of 3.1.2.6 (DF4/5/20/21: FS, DR, UM,
 * AC, ID), ACAS 3.1.2.8 / 4.3.8.4.2.4 (DF0/16: VS, CC, SL, RI, AC), the
 * all-call reply 3.1.2.5.2.2 (DF11: CA, AA, PI with II/SI), extended
 * squitter DF17/18 (DO-260B 2.2.3.2, adsb.c), DF19 military ES (AF,
 * recognised, raw kept) and DF24 Comm-D ELM (recognised). Pure: no globals,
 * no I/O, no allocation.
 */
#include "orbat/modes.h"

#include <string.h>

#include "decode/modes/adsb.h"
#include "decode/modes/commb.h"

size_t orbat_modes_frame_len(uint8_t first_byte)
{
    // Annex 10 Vol IV 3.1.2.3.2.1.2: DF 16 and above are 112-bit replies.
    return (first_byte & 0x80) ? ORBAT_MODES_LONG_LEN : ORBAT_MODES_SHORT_LEN;
}

uint8_t orbat_modes_es_bds(uint8_t tc)
{
    if (tc >= 1 && tc <= 4)
        return 0x08;
    if (tc >= 5 && tc <= 8)
        return 0x06;
    if ((tc >= 9 && tc <= 18) || (tc >= 20 && tc <= 22))
        return 0x05;
    switch (tc) {
    case 19:
        return 0x09;
    case 28:
        return 0x61;
    case 29:
        return 0x62;
    case 31:
        return 0x65;
    default:
        return 0;
    }
}

// 13-bit AC field: frame bits 20-32.
static void modes_altitude(struct orbat_modes_msg *m)
{
    m->ac13 = (uint16_t)(((m->raw[2] & 0x1f) << 8) | m->raw[3]);
    if (orbat_modes_ac13_ft(m->ac13, &m->alt_ft, &m->alt_metric)) {
        m->alt_gnss = false;
        m->has |= ORBAT_MODES_HAS_ALT;
    }
}

// 13-bit ID field: frame bits 20-32.
static void modes_identity(struct orbat_modes_msg *m)
{
    m->id13 = (uint16_t)(((m->raw[2] & 0x1f) << 8) | m->raw[3]);
    m->squawk = orbat_modes_id13_squawk(m->id13);
    m->has |= ORBAT_MODES_HAS_SQUAWK;
}

// DF4/5/20/21 header: FS 6-8, DR 9-13, UM 14-19 (3.1.2.6.5.1-.3).
static void modes_fs_dr_um(struct orbat_modes_msg *m)
{
    m->fs = m->raw[0] & 7;
    m->dr = m->raw[1] >> 3;
    m->um = (uint8_t)(((m->raw[1] & 7) << 3) | (m->raw[2] >> 5));
    m->has |= ORBAT_MODES_HAS_FS | ORBAT_MODES_HAS_DR;
}

// DF0/16 header: VS 6, CC 7 (DF0), SL 9-11, RI 14-17 (3.1.2.8.2).
static void modes_acas(struct orbat_modes_msg *m)
{
    m->vs = (m->raw[0] >> 2) & 1;
    m->cc = (m->raw[0] >> 1) & 1;
    m->sl = m->raw[1] >> 5;
    m->ri = (uint8_t)(((m->raw[1] & 7) << 1) | (m->raw[2] >> 7));
    m->has |= ORBAT_MODES_HAS_VS;
}

static bool modes_known(const struct orbat_modes_opts *o, uint32_t addr)
{
    return o && o->addr_known && o->addr_known(o->addr_ctx, addr);
}

static void modes_flip(struct orbat_modes_msg *m, unsigned bit)
{
    m->raw[(bit - 1) >> 3] ^= (uint8_t)(0x80u >> ((bit - 1) & 7));
    m->fixed_bit = (uint8_t)bit;
}

enum orbat_err orbat_modes_decode(const uint8_t *frame, size_t len,
                                  const struct orbat_modes_opts *o, struct orbat_modes_msg *m)
{
    if (!m)
        return ORBAT_E_INVAL;
    m->has = 0;
    if (!frame || (len != ORBAT_MODES_SHORT_LEN && len != ORBAT_MODES_LONG_LEN)) {
        m->len = 0;
        m->df = 0;
        return ORBAT_E_TRUNCATED;
    }
    memcpy(m->raw, frame, len);
    m->len = (uint8_t)len;
    // DF: bits 1-5; any frame starting with bits 11 is DF24 (3.1.2.3.2.1.2).
    unsigned df = frame[0] >> 3;
    if (df >= 24)
        df = 24;
    m->df = (uint8_t)df;
    m->crc = orbat_modes_crc_syndrome(frame, len);
    m->crc_ok = false;
    m->fixed_bit = 0;
    m->addr_known = false;
    m->addr_src = ORBAT_MODES_ADDR_AP;
    m->addr_type = ORBAT_MODES_AT_MODE_S;
    m->addr = m->crc;
    m->imf = 0;

    switch (df) {
    case 0:
    case 4:
    case 5:
    case 11:
        if (len != ORBAT_MODES_SHORT_LEN)
            return ORBAT_E_BITCOUNT;
        break;
    case 16:
    case 17:
    case 18:
    case 19:
    case 20:
    case 21:
    case 24:
        if (len != ORBAT_MODES_LONG_LEN)
            return ORBAT_E_BITCOUNT;
        break;
    default:
        return ORBAT_E_DF;
    }

    const bool bad_ok = o && o->decode_bad_crc;
    switch (df) {
    case 0: // short air-air surveillance (ACAS), 3.1.2.8.2
        m->crc_ok = true;
        modes_acas(m);
        modes_altitude(m);
        break;
    case 16: // long air-air surveillance, 3.1.2.8.3; MV 33-88 kept in raw
        m->crc_ok = true;
        modes_acas(m);
        modes_altitude(m);
        break;
    case 4:  // surveillance altitude reply, 3.1.2.6.5
    case 20: // Comm-B altitude reply, 3.1.2.6.6
        m->crc_ok = true;
        modes_fs_dr_um(m);
        modes_altitude(m);
        break;
    case 5:  // surveillance identity reply, 3.1.2.6.7
    case 21: // Comm-B identity reply, 3.1.2.6.8
        m->crc_ok = true;
        modes_fs_dr_um(m);
        modes_identity(m);
        break;
    case 11: { // all-call reply, 3.1.2.5.2.2: CA 6-8, AA 9-32, PI 33-56
        // PI = parity XOR (CL << 4 | IC) in its low 7 bits (3.1.2.3.3.2).
        uint32_t rem = m->crc;
        if (rem >= 0x80 && o && o->fix_1bit) {
            unsigned bit = orbat_modes_crc_fix1(frame, len, rem);
            if (bit) {
                // The repair must lead to a known address (two-bit and
                // IID-masked errors are ambiguous in DF11, as in dump1090).
                uint32_t aa = (uint32_t)frame[1] << 16 | (uint32_t)frame[2] << 8 | frame[3];
                if (bit >= 9 && bit <= 32)
                    aa ^= 1u << (32 - bit);
                if (modes_known(o, aa)) {
                    modes_flip(m, bit);
                    rem = 0;
                }
            }
        }
        m->crc_ok = rem < 0x80;
        m->ca = m->raw[0] & 7;
        m->addr = (uint32_t)m->raw[1] << 16 | (uint32_t)m->raw[2] << 8 | m->raw[3];
        m->addr_src = ORBAT_MODES_ADDR_AA;
        m->has |= ORBAT_MODES_HAS_CA;
        if (m->crc_ok) {
            m->ic = rem & 0x0f;
            m->cl = (uint8_t)(rem >> 4);
            m->has |= ORBAT_MODES_HAS_IID;
        }
        break;
    }
    case 17:
    case 18: {
        // PI: 3.1.2.3.3.2; zero remainder for a valid squitter.
        if (m->crc != 0 && o && o->fix_1bit) {
            unsigned bit = orbat_modes_crc_fix1(frame, len, m->crc);
            if (bit)
                modes_flip(m, bit);
        }
        m->crc_ok = (m->crc == 0 || m->fixed_bit != 0);
        m->addr = (uint32_t)m->raw[1] << 16 | (uint32_t)m->raw[2] << 8 | m->raw[3];
        m->addr_src = ORBAT_MODES_ADDR_AA;
        if (df == 17) {
            m->ca = m->raw[0] & 7;
            m->addr_type = ORBAT_MODES_AT_ADSB_ICAO;
            m->has |= ORBAT_MODES_HAS_CA;
        } else {
            // DO-260B 2.2.3.1.1 / 2.2.18: CF 6-8.
            static const uint8_t cf_type[8] = {
                ORBAT_MODES_AT_ADSB_ICAO_NT, ORBAT_MODES_AT_ADSB_OTHER, ORBAT_MODES_AT_TISB_ICAO,
                ORBAT_MODES_AT_TISB_ICAO,    ORBAT_MODES_AT_UNKNOWN,    ORBAT_MODES_AT_TISB_OTHER,
                ORBAT_MODES_AT_ADSR_ICAO,    ORBAT_MODES_AT_UNKNOWN,
            };
            m->cf = m->raw[0] & 7;
            m->addr_type = cf_type[m->cf];
            m->has |= ORBAT_MODES_HAS_CF;
        }
        adsb_decode_me(m, o, m->crc_ok || bad_ok);
        break;
    }
    case 19: // military ES (3.1.2.8.8): AF 6-8; AF 0 is DF17-formatted
        m->ca = m->raw[0] & 7;
        m->addr_type = ORBAT_MODES_AT_UNKNOWN;
        m->has |= ORBAT_MODES_HAS_DF19;
        if (m->ca == 0 && m->crc == 0) {
            m->crc_ok = true;
            m->addr = (uint32_t)m->raw[1] << 16 | (uint32_t)m->raw[2] << 8 | m->raw[3];
            m->addr_src = ORBAT_MODES_ADDR_AA;
        }
        break;
    case 24: // Comm-D ELM (3.1.2.7.3): recognised; address from AP
        m->crc_ok = true;
        m->has |= ORBAT_MODES_HAS_DF24;
        break;
    }

    if (m->addr_src == ORBAT_MODES_ADDR_AP || m->crc_ok)
        m->addr_known = modes_known(o, m->addr);

    if (df == 20 || df == 21) {
        m->has |= ORBAT_MODES_HAS_MB;
        commb_infer(m, !(o && o->no_commb));
    }
    if ((df == 11 || df == 17 || df == 18) && !m->crc_ok)
        return ORBAT_E_CRC;
    return ORBAT_OK;
}
