/* SPDX-License-Identifier: BSD-2-Clause
 *
 * frame_avr.c - AVR hex line framing ("raw" port 30002 and its variants,
 * as emitted by dump1090 --raw / --mlat and accepted by readsb net_io.c):
 *   *HEX;  :HEX;  @TTTTTTTTTTTTHEX;  %TTTTTTTTTTTTHEX;  <TTTTTTTTTTTTSSHEX;
 * T = 12 hex digits of the 12 MHz receiver counter, SS = 2 hex digits of
 * Beast-style signal level, HEX = 4, 14 or 28 hex digits (Mode A/C, 56-bit
 * or 112-bit Mode S). Leading/trailing blanks and CR are ignored.
 */
#include "orbat/modes_frame.h"
#include "orbat/orbat.h"

#include <string.h>

/* 0-15 for a hex digit, 0xff otherwise. */
static const uint8_t avr_hexval[256] = {
    // clang-format off
    ['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8,
    ['8'] = 9, ['9'] = 10, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
    ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
    // clang-format on
};

/* Table holds value+1 so that the zero default means "not hex". */
static int avr_hex(char c)
{
    return (int)avr_hexval[(unsigned char)c] - 1;
}

static bool avr_hex_u64(const char *s, size_t ndig, uint64_t *v)
{
    uint64_t x = 0;
    for (size_t i = 0; i < ndig; i++) {
        int d = avr_hex(s[i]);
        if (d < 0)
            return false;
        x = x << 4 | (uint64_t)d;
    }
    *v = x;
    return true;
}

int orbat_avr_parse(const char *line, size_t len, struct orbat_modes_frame *out)
{
    while (len && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
        len--;
    while (len && (line[0] == ' ' || line[0] == '\t')) {
        line++;
        len--;
    }
    if (len < 2 || line[len - 1] != ';')
        return ORBAT_E_SYNTAX;
    char pfx = line[0];
    const char *h = line + 1;
    size_t hl = len - 2; // digits between prefix and ';'
    memset(out, 0, sizeof *out);
    switch (pfx) {
    case '*':
    case ':':
        break;
    case '@':
    case '%':
    case '<': {
        size_t tl = pfx == '<' ? 14 : 12;
        if (hl <= tl)
            return ORBAT_E_BITCOUNT;
        if (!avr_hex_u64(h, 12, &out->ts_12mhz))
            return ORBAT_E_FRAME;
        out->has_ts = true;
        if (pfx == '<') {
            uint64_t sig;
            if (!avr_hex_u64(h + 12, 2, &sig))
                return ORBAT_E_FRAME;
            out->signal = (uint8_t)sig;
            out->has_signal = true;
        }
        h += tl;
        hl -= tl;
        break;
    }
    default:
        return ORBAT_E_SYNTAX;
    }
    switch (hl) {
    case 4:
        out->kind = ORBAT_FRAME_MODEAC;
        break;
    case 14:
        out->kind = ORBAT_FRAME_SHORT;
        break;
    case 28:
        out->kind = ORBAT_FRAME_LONG;
        break;
    default:
        return ORBAT_E_BITCOUNT;
    }
    out->len = (uint8_t)(hl / 2);
    for (size_t i = 0; i < out->len; i++) {
        int hi = avr_hex(h[2 * i]), lo = avr_hex(h[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return ORBAT_E_FRAME;
        out->data[i] = (uint8_t)(hi << 4 | lo);
    }
    return ORBAT_OK;
}
