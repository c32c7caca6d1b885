/* SPDX-License-Identifier: BSD-2-Clause
 *
 * decode_detect.c - guess a feed's framing from its first bytes.
 *
 * Beast binary starts frames with 0x1a followed by a type byte '1'..'4';
 * AVR lines start with '*' or '@' and end with ';'; SBS lines start with
 * "MSG,", "AIR,", "ID,", "STA,", "SEL,", "CLK,"; anything else is treated
 * as NMEA (which tolerates and counts non-AIS lines).
 */
#include "cli/decode.h"

#include <string.h>

static bool starts(const uint8_t *p, size_t n, const char *s)
{
    size_t k = strlen(s);
    return n >= k && memcmp(p, s, k) == 0;
}

enum decode_input decode_detect(const uint8_t *p, size_t n)
{
    size_t beast = 0, avr = 0, sbs = 0, nmea = 0;
    // Vote over the first lines/frames so a stray first line does not decide.
    for (size_t i = 0; i < n && i < 8192;) {
        if (p[i] == 0x1a && i + 1 < n && p[i + 1] >= '1' && p[i + 1] <= '5') {
            beast++;
            i += 2;
            continue;
        }
        size_t j = i;
        while (j < n && p[j] != '\n')
            j++;
        const uint8_t *l = p + i;
        size_t ln = j - i;
        if (ln && (l[0] == '*' || l[0] == '@' || l[0] == ':') &&
            memchr(l, ';', ln) != NULL)
            avr++;
        else if (starts(l, ln, "MSG,") || starts(l, ln, "AIR,") || starts(l, ln, "ID,") ||
                 starts(l, ln, "STA,") || starts(l, ln, "SEL,") || starts(l, ln, "CLK,"))
            sbs++;
        else if (ln && (l[0] == '!' || l[0] == '\\' || l[0] == '$'))
            nmea++;
        i = j + 1;
    }
    if (beast > 2 && beast * 4 > avr + sbs + nmea)
        return DIN_BEAST;
    if (avr > sbs && avr > nmea)
        return DIN_AVR;
    if (sbs > nmea)
        return DIN_SBS;
    return DIN_NMEA;
}

const char *decode_input_name(enum decode_input in)
{
    switch (in) {
    case DIN_NMEA:
        return "nmea";
    case DIN_BEAST:
        return "beast";
    case DIN_AVR:
        return "avr";
    case DIN_SBS:
        return "sbs";
    case DIN_AUTO:
        break;
    }
    return "auto";
}
