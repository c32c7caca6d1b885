/* SPDX-License-Identifier: BSD-2-Clause
 *
 * nats_shard.c - line classification and shard choice for `orbat publish`
 * (see nats_shard.h).
 */
#include "nats/nats_shard.h"

#include <string.h>

#include "orbat/modes.h"

uint32_t nshard_hash(const void *data, size_t n)
{
    const unsigned char *p = data;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 16777619u;
    }
    return h;
}

/* Skip an NMEA 4.0 tag block "\...\" at the start of the line. */
static size_t skip_tag(const char *line, size_t len)
{
    if (len == 0 || line[0] != '\\')
        return 0;
    for (size_t i = 1; i < len; i++)
        if (line[i] == '\\')
            return i + 1;
    return len;
}

static bool starts(const char *line, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && !memcmp(line, prefix, n);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

enum nline_kind nshard_classify(const char *line, size_t len)
{
    if (len == 0)
        return NLINE_OTHER;
    if (line[0] == '#')
        return NLINE_COMMENT;
    size_t t = skip_tag(line, len);
    if (len - t >= 7 && line[t] == '!' &&
        (!memcmp(line + t + 3, "VDM,", 4) || !memcmp(line + t + 3, "VDO,", 4)))
        return NLINE_AIS;
    if (starts(line, len, "MSG,") || starts(line, len, "SEL,") || starts(line, len, "ID,") ||
        starts(line, len, "AIR,") || starts(line, len, "STA,") || starts(line, len, "CLK,"))
        return NLINE_SBS;
    if ((line[0] == '*' || line[0] == '@') && len >= 16 && hexval(line[1]) >= 0)
        return NLINE_AVR;
    return NLINE_OTHER;
}

/* The unsigned number at p (up to ','), or -1. */
static long field_num(const char *p, const char *end)
{
    long v = 0;
    int digits = 0;
    for (; p < end && *p != ','; p++) {
        if (*p < '0' || *p > '9' || ++digits > 6)
            return -1;
        v = v * 10 + (*p - '0');
    }
    return digits ? v : -1;
}

bool nshard_ais_more(const char *line, size_t len)
{
    size_t t = skip_tag(line, len);
    const char *p = line + t, *end = line + len;
    // !AIVDM,count,number,...
    const char *c1 = memchr(p, ',', (size_t)(end - p));
    if (!c1)
        return false;
    const char *c2 = memchr(c1 + 1, ',', (size_t)(end - c1 - 1));
    if (!c2)
        return false;
    long count = field_num(c1 + 1, end), number = field_num(c2 + 1, end);
    return count > 1 && number >= 1 && number < count;
}

int nshard_sbs_icao(const char *line, size_t len, uint32_t *icao)
{
    // MSG,3,1,1,4CA2D6,... : the address is the 5th field.
    const char *p = line, *end = line + len;
    for (int f = 0; f < 4; f++) {
        const char *c = memchr(p, ',', (size_t)(end - p));
        if (!c)
            return -1;
        p = c + 1;
    }
    uint32_t v = 0;
    int n = 0;
    for (; p < end && *p != ',' && n < 6; p++, n++) {
        int h = hexval(*p);
        if (h < 0)
            return -1;
        v = v << 4 | (uint32_t)h;
    }
    if (n != 6)
        return -1;
    *icao = v;
    return 0;
}

int nshard_avr_icao(const char *line, size_t len, uint32_t *icao)
{
    size_t i = 1;
    if (line[0] == '@' || line[0] == '%')
        i += 12; // 48-bit MLAT timestamp
    else if (line[0] == '<')
        i += 14; // timestamp and signal level
    uint8_t f[14];
    size_t nb = 0;
    while (i + 1 < len && nb < sizeof f) {
        int hi = hexval(line[i]), lo = hexval(line[i + 1]);
        if (hi < 0 || lo < 0)
            break;
        f[nb++] = (uint8_t)(hi << 4 | lo);
        i += 2;
    }
    if (nb != 7 && nb != 14)
        return -1;
    unsigned df = f[0] >> 3;
    if (df == 11 || df == 17 || df == 18)
        *icao = (uint32_t)f[1] << 16 | (uint32_t)f[2] << 8 | f[3];
    else
        *icao = orbat_modes_crc_syndrome(f, nb);
    return 0;
}

unsigned nshard_ais(const char *receiver, unsigned n)
{
    return n ? nshard_hash(receiver, strlen(receiver)) % n : 0;
}

unsigned nshard_icao(uint32_t icao, unsigned n)
{
    uint8_t b[3] = {(uint8_t)(icao >> 16), (uint8_t)(icao >> 8), (uint8_t)icao};
    return n ? nshard_hash(b, 3) % n : 0;
}
