/* SPDX-License-Identifier: BSD-2-Clause
 *
 * nmea.c - NMEA 0183 sentence framing for AIS: split a line into
 * tag block / sentence / trailer, check the XOR checksums (IEC 61162-1
 * §7.2.3 and Ed.4 §7.9 for tag blocks), and parse the six !xxVDM / !xxVDO
 * fields (IEC 61162-1 §8.3.91 VDM, ITU-R M.1371-5 Annex 8 §3 encapsulation).
 *
 * Lenient where receivers are sloppy (any talker, CR/LF and trailing junk,
 * non-digit fill field read as 0 as gpsd does), strict where data would be
 * wrong (checksum present and correct, fragment numbers in range, channel
 * A/B/1/2/empty, fill 0..5).
 */
#include "decode/common/nmea.h"

#include <string.h>

#include "orbat/orbat.h"

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Unsigned decimal of p[0..n); false when empty, non-digit or > 19 digits. */
static bool parse_u64(const char *p, size_t n, uint64_t *v)
{
    if (n == 0 || n > 19)
        return false;
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(p[i]))
            return false;
        x = x * 10 + (uint64_t)(p[i] - '0');
    }
    *v = x;
    return true;
}

/* Unix time that may be seconds or milliseconds: 13+ digits are ms. */
static int64_t unix_to_ms(uint64_t v, size_t ndigits)
{
    if (ndigits >= 13)
        return (int64_t)v;
    return (int64_t)v * 1000;
}

int nmea_tagblock_parse(const char *p, size_t n, struct orbat_ais_tag *tag)
{
    // IEC 61162-1 Ed.4 §7.9: "<param>:<value>" pairs, comma separated,
    // then '*' and two hex digits over everything before the '*'.
    const char *star = memchr(p, '*', n);
    if (!star || (size_t)(star - p) + 3 != n)
        return ORBAT_E_CHECKSUM;
    int h = nmea_hexval(star[1]), l = nmea_hexval(star[2]);
    if (h < 0 || l < 0 || nmea_xor(p, (size_t)(star - p)) != (unsigned)(h << 4 | l))
        return ORBAT_E_CHECKSUM;
    struct orbat_ais_tag t = *tag;
    const char *q = p;
    while (q < star) {
        const char *e = memchr(q, ',', (size_t)(star - q));
        if (!e)
            e = star;
        size_t fl = (size_t)(e - q);
        if (fl < 2 || q[1] != ':')
            return ORBAT_E_TAGBLOCK;
        const char *v = q + 2;
        size_t vl = fl - 2;
        uint64_t x;
        switch (q[0]) {
        case 'c': // UNIX time, seconds (some feeds send ms)
            if (!parse_u64(v, vl, &x))
                return ORBAT_E_TAGBLOCK;
            t.time_ms = unix_to_ms(x, vl);
            t.has_time = true;
            break;
        case 's': // source station
            if (vl == 0 || vl >= sizeof t.source)
                return ORBAT_E_TAGBLOCK;
            memcpy(t.source, v, vl);
            t.source[vl] = '\0';
            break;
        case 'g': { // sentence grouping "seq-total-id"
            const char *d1 = memchr(v, '-', vl);
            const char *d2 = d1 ? memchr(d1 + 1, '-', (size_t)(v + vl - d1 - 1)) : NULL;
            uint64_t a, b, c;
            if (!d2 || !parse_u64(v, (size_t)(d1 - v), &a) ||
                !parse_u64(d1 + 1, (size_t)(d2 - d1 - 1), &b) ||
                !parse_u64(d2 + 1, (size_t)(v + vl - d2 - 1), &c) || a == 0 || b == 0 || a > b ||
                b > 99 || c > 0xffffffffu)
                return ORBAT_E_TAGBLOCK;
            t.group_seq = (uint8_t)a;
            t.group_n = (uint8_t)b;
            t.group_id = (uint32_t)c;
            t.has_group = true;
            break;
        }
        default: // d: destination, n: line count, r: relative time, t: text, q/T: vendor
            break;
        }
        q = e + 1;
    }
    *tag = t;
    return ORBAT_OK;
}

void nmea_trailer_parse(const char *p, size_t n, struct orbat_ais_tag *tag)
{
    // USCG NAIS: ",d-109,S1234,r003669987,1152921693"; exactEarth/AMSA:
    // ",1327992119173". Only comma-led trailers are read.
    if (n < 2 || p[0] != ',')
        return;
    const char *q = p + 1, *end = p + n;
    while (q < end) {
        const char *e = memchr(q, ',', (size_t)(end - q));
        if (!e)
            e = end;
        size_t fl = (size_t)(e - q);
        uint64_t x;
        if (fl > 1 && q[0] == 'r' && !tag->source[0] && fl < sizeof tag->source) {
            memcpy(tag->source, q, fl);
            tag->source[fl] = '\0';
        } else if (e == end && !tag->has_time && fl >= 9 && parse_u64(q, fl, &x)) {
            tag->time_ms = unix_to_ms(x, fl);
            tag->has_time = true;
        }
        q = e + 1;
    }
}

size_t orbat_ais_next_piece(const char *line, size_t len, size_t *off)
{
    size_t i = *off;
    if (i >= len)
        return 0;
    const char *b = memchr(line + i, '!', len - i);
    if (!b) {
        *off = len;
        return 0;
    }
    size_t start = (size_t)(b - line);
    // A tag block "\...\" directly before the '!' belongs to this piece.
    if (start > i + 1 && line[start - 1] == '\\') {
        for (size_t k = start - 1; k-- > i;)
            if (line[k] == '\\') {
                start = k;
                break;
            }
    }
    size_t end = len;
    const char *nb =
        (size_t)(b - line) + 1 < len ? memchr(b + 1, '!', len - (size_t)(b - line) - 1) : NULL;
    if (nb) {
        end = (size_t)(nb - line);
        if (end > start + 1 && line[end - 1] == '\\') {
            for (size_t k = end - 1; k-- > (size_t)(b - line);)
                if (line[k] == '\\') {
                    end = k;
                    break;
                }
        }
    }
    *off = start;
    return end - start;
}

int orbat_nmea_parse_vdm(const char *line, size_t len, struct orbat_nmea_sentence *s)
{
    // field by field: this runs once per sentence
    s->talker[2] = '\0';
    s->fill = 0;
    s->seqid = -1;
    s->start = s->payload = NULL;
    s->len = s->payload_len = 0;
    s->tag.has_time = s->tag.has_group = false;
    s->tag.err = 0;
    s->tag.time_ms = 0;
    s->tag.group_seq = s->tag.group_n = 0;
    s->tag.group_id = 0;
    s->tag.source[0] = '\0';
    s->own = false;
    s->nfrags = s->frag = 0;
    s->channel = 0;
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        len--;
    if (len > ORBAT_AIS_LINE_CAP)
        return ORBAT_E_TOOLONG;
    const char *p = line, *end = line + len;
    // NMEA 4.10 tag block: "\" ... "*hh\" before the sentence.
    if (p < end && *p == '\\') {
        const char *tb = memchr(p + 1, '\\', (size_t)(end - p - 1));
        if (!tb)
            return ORBAT_E_TAGBLOCK;
        int rc = nmea_tagblock_parse(p + 1, (size_t)(tb - p - 1), &s->tag);
        if (rc)
            s->tag.err = (int8_t)rc;
        p = tb + 1;
    }
    if (p >= end || *p != '!')
        return ORBAT_E_UNSUPPORTED;
    // "!ttVDM," / "!ttVDO,": any two-character talker (IEC 61162-1 §7.3.2).
    if (end - p < 7 || memcmp(p + 3, "VD", 2) != 0 || (p[5] != 'M' && p[5] != 'O') || p[6] != ',')
        return ORBAT_E_UNSUPPORTED;
    // Talker: two upper-case letters or digits; AMSA's "!=IV" relay lines
    // are not sentences from an AIS device (gpsd drops them too).
    for (int k = 1; k <= 2; k++)
        if (!((p[k] >= 'A' && p[k] <= 'Z') || is_digit(p[k])))
            return ORBAT_E_SYNTAX;
    s->talker[0] = p[1];
    s->talker[1] = p[2];
    s->own = p[5] == 'O';
    const char *star = memchr(p, '*', (size_t)(end - p));
    if (!star || end - star < 3)
        return ORBAT_E_CHECKSUM;
    int h = nmea_hexval(star[1]), l = nmea_hexval(star[2]);
    if (h < 0 || l < 0 || nmea_xor(p + 1, (size_t)(star - p - 1)) != (unsigned)(h << 4 | l))
        return ORBAT_E_CHECKSUM;
    s->start = p;
    s->len = (size_t)(star + 3 - p);
    nmea_trailer_parse(star + 3, (size_t)(end - star - 3), &s->tag);

    // Fields 1..6 between "!ttVDM," and "*": count, number, seqid, channel,
    // payload, fill bits.
    const char *f[6];
    size_t fl[6];
    const char *q = p + 7;
    for (int k = 0; k < 6; k++) {
        const char *e = k < 5 ? memchr(q, ',', (size_t)(star - q)) : star;
        if (!e)
            return ORBAT_E_SYNTAX;
        f[k] = q;
        fl[k] = (size_t)(e - q);
        q = e + 1;
    }
    if (fl[0] != 1 || fl[1] != 1 || f[0][0] < '1' || f[0][0] > '9' || f[1][0] < '1' ||
        f[1][0] > f[0][0])
        return ORBAT_E_FRAGMENT;
    s->nfrags = (uint8_t)(f[0][0] - '0');
    s->frag = (uint8_t)(f[1][0] - '0');
    if (fl[2] == 1 && is_digit(f[2][0]))
        s->seqid = (int8_t)(f[2][0] - '0');
    else if (fl[2] != 0)
        return ORBAT_E_SYNTAX;
    if (fl[3] == 0)
        s->channel = 0;
    else if (fl[3] == 1 && (f[3][0] == 'A' || f[3][0] == 'B' || f[3][0] == '1' || f[3][0] == '2'))
        s->channel = f[3][0];
    else
        return ORBAT_E_SYNTAX;
    s->payload = f[4];
    s->payload_len = fl[4];
    // Fill bits: gpsd reads a non-digit (or empty) field as 0.
    if (fl[5] >= 1 && is_digit(f[5][0])) {
        if (f[5][0] > '5')
            return ORBAT_E_PADDING;
        s->fill = (uint8_t)(f[5][0] - '0');
    }
    return ORBAT_OK;
}
