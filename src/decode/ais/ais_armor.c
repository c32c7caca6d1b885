/* SPDX-License-Identifier: BSD-2-Clause
 *
 * ais_armor.c - AIS 6-bit payload armouring and 6-bit text.
 *
 * De-armouring (ITU-R M.1371-5 Annex 8 §3.3.7 / IEC 61162-1 Table 7):
 * characters '0'..'W' (48..87) and '`'..'w' (96..119) carry 6 bits each,
 * value = c - 48, minus 8 more when above 40. Bits are packed MSB first into
 * a byte buffer (ITU bit 0 = MSB of byte 0), OR-ed into a zeroed buffer as
 * gpsd does, so fill bits of a fragment stay in the buffer past nbits.
 *
 * Text (ITU-R M.1371-5 Table 47): 6-bit values 0..63 map to "@A..Z[\]^_ !..?".
 */
#include "orbat/ais.h"

#include "decode/common/bits.h"
#include "orbat/orbat.h"

/* 6-bit value of each byte, 0xFF when outside the armour alphabet. */
#define X8    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF
#define R8(a) a, a + 1, a + 2, a + 3, a + 4, a + 5, a + 6, a + 7
// clang-format off
static const uint8_t armor_value[256] = {
    X8, X8, X8, X8, X8, X8,                 /* 0..47 */
    R8(0), R8(8), R8(16), R8(24), R8(32),   /* '0'..'W' (48..87) -> 0..39 */
    X8,                                     /* 'X'..'_' (88..95) */
    R8(40), R8(48), R8(56),                 /* '`'..'w' (96..119) -> 40..63 */
    X8,                                     /* 120..127 */
    X8, X8, X8, X8, X8, X8, X8, X8,         /* 128..191 */
    X8, X8, X8, X8, X8, X8, X8, X8,         /* 192..255 */
};
// clang-format on
#undef X8
#undef R8

int orbat_ais_dearmor(const char *p, size_t n, uint8_t *bits, size_t cap, uint16_t *nbits)
{
    unsigned pos = *nbits;
    if ((size_t)pos + 6 * n > cap * 8)
        return ORBAT_E_TOOLONG;
    size_t i = 0;
    if ((pos & 7) == 0) {
        // byte-aligned: four characters make three bytes
        uint8_t *o = bits + (pos >> 3);
        for (; i + 4 <= n; i += 4, o += 3) {
            unsigned a = armor_value[(unsigned char)p[i]];
            unsigned b = armor_value[(unsigned char)p[i + 1]];
            unsigned c = armor_value[(unsigned char)p[i + 2]];
            unsigned d = armor_value[(unsigned char)p[i + 3]];
            if ((a | b | c | d) > 63)
                return ORBAT_E_ARMOR;
            uint32_t w = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 | d;
            o[0] |= (uint8_t)(w >> 16);
            o[1] |= (uint8_t)(w >> 8);
            o[2] |= (uint8_t)w;
        }
        pos += 6 * (unsigned)i;
    }
    for (; i < n; i++) {
        unsigned v = armor_value[(unsigned char)p[i]];
        if (v > 63)
            return ORBAT_E_ARMOR;
        // place 6 bits at pos: they span at most two bytes
        unsigned byte = pos >> 3, sh = pos & 7;
        unsigned w = v << (10 - sh); // 16-bit window, value aligned to its top
        bits[byte] |= (uint8_t)(w >> 8);
        if (sh > 2)
            bits[byte + 1] |= (uint8_t)w;
        pos += 6;
    }
    *nbits = (uint16_t)pos;
    return ORBAT_OK;
}

void orbat_ais_text(const uint8_t *bits, unsigned nbits, unsigned start, unsigned nchars, char *out,
                    size_t outsz)
{
    static const char sixchr[65] =
        "@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !\"#$%&'()*+,-./0123456789:;<=>?";
    size_t k = 0;
    if (outsz == 0)
        return;
    for (unsigned i = 0; i < nchars && k + 1 < outsz; i++) {
        unsigned b = start + 6 * i;
        if (b + 6 > nbits)
            break;
        char ch = sixchr[bits_u(bits, b, 6)];
        if (ch == '@')
            break;
        out[k++] = ch;
    }
    while (k > 0 && (out[k - 1] == ' ' || out[k - 1] == '@'))
        k--;
    out[k] = '\0';
}
