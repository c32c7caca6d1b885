/* SPDX-License-Identifier: BSD-2-Clause
 *
 * detect.c - guess a feed's framing from its first bytes; see detect.h.
 *
 * Beast binary starts frames with 0x1a followed by a type byte '1'..'5' (or
 * readsb's 0xe3 receiver-id prefix); AVR lines start with '*', '@' or ':' and
 * end with ';'; SBS lines start with "MSG,", "AIR,", "ID,", "STA,", "SEL,",
 * "CLK,"; anything else is treated as NMEA.
 */
#include "core/detect.h"

#include <stdbool.h>
#include <string.h>

static bool starts(const uint8_t *p, size_t n, const char *s)
{
    size_t k = strlen(s);
    return n >= k && memcmp(p, s, k) == 0;
}

enum pipeline_input detect_input(const uint8_t *p, size_t n)
{
    size_t beast = 0, avr = 0, sbs = 0, nmea = 0;
    // Beast binary has no line structure: count frame starts (0x1a + type,
    // skipping escaped 0x1a 0x1a) over the scanned bytes. Frames are 11-23
    // bytes, so real Beast has one start per <= 32 bytes; text has none.
    size_t sync = 0, scan = n < 8192 ? n : 8192;
    for (size_t i = 0; i + 1 < scan; i++) {
        if (p[i] != 0x1a)
            continue;
        if (p[i + 1] == 0x1a)
            i++;
        else if ((p[i + 1] >= '1' && p[i + 1] <= '5') || p[i + 1] == 0xe3)
            sync++;
    }
    if (sync >= 3 && sync * 32 >= scan)
        return PIPE_BEAST;
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
        if (ln && (l[0] == '*' || l[0] == '@' || l[0] == ':' || l[0] == '<' || l[0] == '%') &&
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
        return PIPE_BEAST;
    if (avr > sbs && avr > nmea)
        return PIPE_AVR;
    if (sbs > nmea)
        return PIPE_SBS;
    return PIPE_NMEA;
}

enum pipeline_input detect_line(const uint8_t *l, size_t avail, bool complete,
                                enum pipeline_input dflt)
{
    static const char *const sbs[] = {"MSG,", "AIR,", "ID,", "STA,", "SEL,", "CLK,"};
    if (!avail)
        return complete ? dflt : PIPE_AUTO;
    switch (l[0]) {
    case '*':
    case '@':
    case ':':
    case '<':
    case '%':
        return PIPE_AVR;
    case '!':
    case '$':
    case '\\':
        return PIPE_NMEA;
    default:
        break;
    }
    for (size_t i = 0; i < sizeof sbs / sizeof sbs[0]; i++) {
        size_t k = strlen(sbs[i]);
        size_t m = avail < k ? avail : k;
        if (memcmp(l, sbs[i], m) != 0)
            continue;
        if (m == k)
            return PIPE_SBS;
        if (!complete)
            return PIPE_AUTO; // a prefix of a record type: need more bytes
    }
    return dflt;
}
