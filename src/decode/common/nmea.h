/* SPDX-License-Identifier: BSD-2-Clause
 *
 * nmea.h - NMEA 0183 helpers shared by the sentence decoders: the XOR
 * checksum (IEC 61162-1 §7.2.3), NMEA 4.10 tag blocks (IEC 61162-1 Ed.4
 * §7.9: "\s:src,c:time,g:a-b-c*hh\") and receiver trailers after the
 * checksum (USCG NAIS ",r<station>,<unix>", exactEarth ",<unix ms>").
 *
 * Pure functions over borrowed buffers; nothing is retained.
 */
#ifndef ORBAT_DECODE_COMMON_NMEA_H
#define ORBAT_DECODE_COMMON_NMEA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "orbat/ais.h"

/* XOR of bytes p[0..n), eight at a time. */
static inline unsigned nmea_xor(const char *p, size_t n)
{
    uint64_t w = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t v;
        memcpy(&v, p + i, 8);
        w ^= v;
    }
    w ^= w >> 32;
    w ^= w >> 16;
    w ^= w >> 8;
    unsigned x = (unsigned)(w & 0xff);
    for (; i < n; i++)
        x ^= (unsigned char)p[i];
    return x;
}

/* Value of one hex digit, or -1. */
static inline int nmea_hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Parse the body of a tag block (the text between the two backslashes,
 * "s:..,c:..*hh"). Fills tag->source/time/group. Returns ORBAT_OK,
 * ORBAT_E_CHECKSUM (bad or missing *hh) or ORBAT_E_TAGBLOCK (malformed
 * field); on error the tag fields are left cleared. */
int nmea_tagblock_parse(const char *p, size_t n, struct orbat_ais_tag *tag);

/* Parse a receiver trailer (the bytes after "*hh"): ",r<station>" sets the
 * source, a final all-digit field the unix time (s, or ms when 13+
 * digits). Fields already set from a tag block are kept. */
void nmea_trailer_parse(const char *p, size_t n, struct orbat_ais_tag *tag);

#endif /* ORBAT_DECODE_COMMON_NMEA_H */
