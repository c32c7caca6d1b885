/* SPDX-License-Identifier: BSD-2-Clause
 *
 * modes_field.c - Mode S field codes shared by several downlink formats:
 * the 13-bit altitude code AC (ICAO Annex 10 Vol IV 3.1.2.6.5.4: 25-ft
 * Q-bit encoding, 100-ft Gillham Mode C encoding, M-bit metric), the 12-bit
 * ES altitude (DO-260B 2.2.3.2.3.4) and the 13-bit identity (squawk) field
 * (Annex 10 Vol IV 3.1.2.6.7.1).
 */
#include "orbat/modes.h"

// Gillham: 11 bits D2 D4 A1 A2 A4 B1 B2 B4 (500-ft gray) C1 C2 C4 (100-ft
// "5-cycle" gray). Annex 10 Vol IV 3.1.1.7.12.2.3 / pyModeS gray2alt.
bool orbat_modes_gillham_ft(uint16_t gray11, int32_t *ft)
{
    unsigned g500 = (gray11 >> 3) & 0xff, g100 = gray11 & 7;
    unsigned n500 = g500, n100 = g100;
    // gray -> binary
    for (unsigned s = g500 >> 1; s; s >>= 1)
        n500 ^= s;
    for (unsigned s = g100 >> 1; s; s >>= 1)
        n100 ^= s;
    if (n100 == 0 || n100 == 5 || n100 == 6)
        return false;
    if (n100 == 7)
        n100 = 5;
    if (n500 & 1)
        n100 = 6 - n100;
    *ft = (int32_t)(n500 * 500 + n100 * 100) - 1300;
    return true;
}

bool orbat_modes_ac13_ft(uint16_t ac13, int32_t *ft, bool *metric)
{
    ac13 &= 0x1fff;
    *metric = false;
    if (ac13 == 0)
        return false; // 3.1.2.6.5.4 d: all zeros = altitude not available
    if (ac13 & 0x40) {
        // M = 1: metric. Annex 10 leaves the LSB to be defined; follow rs1090
        // (remaining 12 bits in metres, ft = m * 3.28084 truncated).
        *metric = true;
        uint32_t m = ((uint32_t)(ac13 & 0x1f80) >> 1) | (ac13 & 0x3f);
        *ft = (int32_t)(m * 328084u / 100000u);
        return true;
    }
    if (ac13 & 0x10) {
        // Q = 1: 11-bit binary N with M and Q removed, alt = 25 N - 1000.
        unsigned n = ((ac13 & 0x1f80u) >> 2) | ((ac13 & 0x20u) >> 1) | (ac13 & 0x0fu);
        *ft = (int32_t)n * 25 - 1000;
        return true;
    }
    // Q = 0: Gillham. AC bits (MSB first): C1 A1 C2 A2 C4 A4 M B1 Q B2 D2 B4 D4.
    // The position of Q carries D1, which Mode C never uses.
    unsigned c1 = (ac13 >> 12) & 1, a1 = (ac13 >> 11) & 1, c2 = (ac13 >> 10) & 1;
    unsigned a2 = (ac13 >> 9) & 1, c4 = (ac13 >> 8) & 1, a4 = (ac13 >> 7) & 1;
    unsigned b1 = (ac13 >> 5) & 1, b2 = (ac13 >> 3) & 1, d2 = (ac13 >> 2) & 1;
    unsigned b4 = (ac13 >> 1) & 1, d4 = ac13 & 1;
    uint16_t g = (uint16_t)(d2 << 10 | d4 << 9 | a1 << 8 | a2 << 7 | a4 << 6 | b1 << 5 | b2 << 4 |
                            b4 << 3 | c1 << 2 | c2 << 1 | c4);
    return orbat_modes_gillham_ft(g, ft);
}

bool orbat_modes_ac12_ft(uint16_t ac12, int32_t *ft)
{
    // DO-260B 2.2.3.2.3.4.3: the 12-bit field is the 13-bit AC without M.
    uint16_t ac13 = (uint16_t)(((ac12 & 0xfc0u) << 1) | (ac12 & 0x3fu));
    bool metric;
    return orbat_modes_ac13_ft(ac13, ft, &metric);
}

uint16_t orbat_modes_id13_squawk(uint16_t id13)
{
    // ID bits (MSB first): C1 A1 C2 A2 C4 A4 X B1 D1 B2 D2 B4 D4.
    unsigned a = ((id13 >> 11) & 1) | ((id13 >> 9) & 1) << 1 | ((id13 >> 7) & 1) << 2;
    unsigned b = ((id13 >> 5) & 1) | ((id13 >> 3) & 1) << 1 | ((id13 >> 1) & 1) << 2;
    unsigned c = ((id13 >> 12) & 1) | ((id13 >> 10) & 1) << 1 | ((id13 >> 8) & 1) << 2;
    unsigned d = ((id13 >> 4) & 1) | ((id13 >> 2) & 1) << 1 | (id13 & 1) << 2;
    return (uint16_t)(a * 1000 + b * 100 + c * 10 + d);
}
