/* SPDX-License-Identifier: BSD-2-Clause
 *
 * modes_text.c - the 6-bit ICAO character set of aircraft identification
 * (ICAO Annex 10 Vol IV 3.1.2.9.1.2, table 3-9; DO-260B 2.2.3.2.5.2; Comm-B
 * BDS 2,0 and 2,1 use the same set) and the printable names of enums.
 */
#include "decode/modes/modes_text.h"
#include "orbat/modes.h"

// '#' marks codes with no character (the IA-5 subset has only A-Z, 0-9, space).
static const char modes_charset[65] =
    "#ABCDEFGHIJKLMNOPQRSTUVWXYZ##### ###############0123456789######";

bool modes_text_decode(uint64_t field, unsigned nchars, char *out)
{
    bool ok = true;
    for (int i = (int)nchars - 1; i >= 0; i--) {
        char c = modes_charset[field & 0x3f];
        field >>= 6;
        out[i] = c;
        ok &= c != '#';
    }
    // Strip trailing spaces; NUL-fill to the end so the struct is fully
    // determined by the frame.
    unsigned n = nchars;
    while (n > 0 && out[n - 1] == ' ')
        n--;
    for (unsigned i = n; i <= nchars; i++)
        out[i] = '\0';
    return ok;
}

bool orbat_modes_callsign(const uint8_t *p, unsigned bitoff, char out[9])
{
    // The 48 bits start at bit `bitoff` of p (0-based, MSB first).
    const uint8_t *b = p + (bitoff >> 3);
    unsigned shift = bitoff & 7;
    uint64_t w = 0;
    for (unsigned i = 0; i < 7; i++)
        w = (w << 8) | (i < 6 || shift ? b[i] : 0);
    w = (w >> (8 - shift)) & 0xffffffffffffull;
    return modes_text_decode(w, 8, out);
}

const char *orbat_modes_addr_type_name(uint8_t addr_type)
{
    switch (addr_type) {
    case ORBAT_MODES_AT_ADSB_ICAO:
    case ORBAT_MODES_AT_ADSB_ICAO_NT:
    case ORBAT_MODES_AT_ADSB_OTHER:
        return "ADS-B";
    case ORBAT_MODES_AT_ADSR_ICAO:
    case ORBAT_MODES_AT_ADSR_OTHER:
        return "ADS-R";
    case ORBAT_MODES_AT_TISB_ICAO:
    case ORBAT_MODES_AT_TISB_TRACKFILE:
    case ORBAT_MODES_AT_TISB_OTHER:
        return "TIS-B";
    case ORBAT_MODES_AT_MODE_S:
        return "Mode S";
    default:
        return "unknown";
    }
}

// BDS x,y names for every 8-bit register number, built by the preprocessor.
#define BDS_ROW(x)                                                                                 \
    x ",0", x ",1", x ",2", x ",3", x ",4", x ",5", x ",6", x ",7", x ",8", x ",9", x ",A",        \
        x ",B", x ",C", x ",D", x ",E", x ",F"
static const char bds_names[256][4] = {
    BDS_ROW("0"), BDS_ROW("1"), BDS_ROW("2"), BDS_ROW("3"), BDS_ROW("4"), BDS_ROW("5"),
    BDS_ROW("6"), BDS_ROW("7"), BDS_ROW("8"), BDS_ROW("9"), BDS_ROW("A"), BDS_ROW("B"),
    BDS_ROW("C"), BDS_ROW("D"), BDS_ROW("E"), BDS_ROW("F"),
};

const char *orbat_modes_bds_name(uint8_t bds)
{
    return bds ? bds_names[bds] : "";
}
