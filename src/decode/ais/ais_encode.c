/* SPDX-License-Identifier: BSD-2-Clause
 *
 * ais_encode.c - AIS payload encoder and !AIVDM armouring (ITU-R M.1371-5
 * Annex 8 message tables; IEC 61162-1 / NMEA 0183 sentence and 6-bit
 * armour; NMEA 4.10 tag blocks). Bit positions below are the 0-based
 * "starting bit" column of the M.1371-5 tables. See ais_encode.h.
 */
#include "orbat/ais_encode.h"

#include <string.h>

/* MSB-first bit writer over a zeroed buffer. */
struct bitw {
    uint8_t *buf;
    unsigned pos;
};

static void bw_put(struct bitw *w, unsigned width, uint64_t v)
{
    // Up to a byte per step into the zeroed buffer.
    while (width > 0) {
        unsigned room = 8 - (w->pos & 7), n = width < room ? width : room;
        unsigned chunk = (unsigned)(v >> (width - n)) & ((1u << n) - 1);
        w->buf[w->pos >> 3] |= (uint8_t)(chunk << (room - n));
        w->pos += n;
        width -= n;
    }
}

static void bw_signed(struct bitw *w, unsigned width, int64_t v)
{
    bw_put(w, width, (uint64_t)v & (((uint64_t)1 << width) - 1));
}

/* 6-bit text (M.1371-5 Annex 8 Table 47): '@' pads to nchars. */
static void bw_text(struct bitw *w, const char *s, unsigned nchars)
{
    unsigned i = 0;
    for (; i < nchars && s[i]; i++) {
        unsigned c = (unsigned char)s[i];
        if (c >= 'a' && c <= 'z')
            c -= 32;
        if (c < 0x20 || c > 0x5f)
            c = ' ';
        bw_put(w, 6, c >= 64 ? c - 64 : c);
    }
    for (; i < nchars; i++)
        bw_put(w, 6, 0);
}

static bool fits_u(uint64_t v, unsigned width)
{
    return v < ((uint64_t)1 << width);
}

/* Common position checks for 1/10000-minute coordinates. */
static bool latlon_ok(int32_t lon, int32_t lat)
{
    bool lon_ok = (lon >= -180 * 600000 && lon <= 180 * 600000) || lon == ORBAT_AIS_ENC_LON_NA;
    bool lat_ok = (lat >= -90 * 600000 && lat <= 90 * 600000) || lat == ORBAT_AIS_ENC_LAT_NA;
    return lon_ok && lat_ok;
}

static bool dims_ok(const struct orbat_ais_enc *m)
{
    return fits_u(m->to_bow, 9) && fits_u(m->to_stern, 9) && fits_u(m->to_port, 6) &&
           fits_u(m->to_starboard, 6);
}

static void bw_dims(struct bitw *w, const struct orbat_ais_enc *m)
{
    bw_put(w, 9, m->to_bow);
    bw_put(w, 9, m->to_stern);
    bw_put(w, 6, m->to_port);
    bw_put(w, 6, m->to_starboard);
}

static enum orbat_err enc_pos_common(const struct orbat_ais_enc *m)
{
    if (m->speed > 1023 || m->course > 4095 || m->heading > 511 || m->second > 63)
        return ORBAT_E_RANGE;
    if (!latlon_ok(m->lon, m->lat))
        return ORBAT_E_RANGE;
    return ORBAT_OK;
}

// Types 1, 2, 3: position report class A, 168 bits (Annex 8 §3.1, Table 48).
static enum orbat_err enc_123(const struct orbat_ais_enc *m, struct bitw *w)
{
    enum orbat_err e = enc_pos_common(m);
    if (e != ORBAT_OK)
        return e;
    if (m->status > 15 || m->maneuver > 3 || !fits_u(m->radio, 19))
        return ORBAT_E_RANGE;
    bw_put(w, 4, m->status);   // 38
    bw_signed(w, 8, m->turn);  // 42
    bw_put(w, 10, m->speed);   // 50
    bw_put(w, 1, m->accuracy); // 60
    bw_signed(w, 28, m->lon);  // 61
    bw_signed(w, 27, m->lat);  // 89
    bw_put(w, 12, m->course);  // 116
    bw_put(w, 9, m->heading);  // 128
    bw_put(w, 6, m->second);   // 137
    bw_put(w, 2, m->maneuver); // 143
    bw_put(w, 3, 0);           // 145 spare
    bw_put(w, 1, m->raim);     // 148
    bw_put(w, 19, m->radio);   // 149
    return ORBAT_OK;
}

// Type 5: static and voyage related data, 424 bits (Annex 8 §3.3, Table 52).
static enum orbat_err enc_5(const struct orbat_ais_enc *m, struct bitw *w)
{
    if (m->ais_version > 3 || !fits_u(m->imo, 30) || !dims_ok(m) || m->epfd > 15 || m->month > 15 ||
        m->day > 31 || m->hour > 31 || m->minute > 63)
        return ORBAT_E_RANGE;
    bw_put(w, 2, m->ais_version);   // 38
    bw_put(w, 30, m->imo);          // 40
    bw_text(w, m->callsign, 7);     // 70
    bw_text(w, m->shipname, 20);    // 112
    bw_put(w, 8, m->shiptype);      // 232
    bw_dims(w, m);                  // 240
    bw_put(w, 4, m->epfd);          // 270
    bw_put(w, 4, m->month);         // 274
    bw_put(w, 5, m->day);           // 278
    bw_put(w, 5, m->hour);          // 283
    bw_put(w, 6, m->minute);        // 288
    bw_put(w, 8, m->draught);       // 294
    bw_text(w, m->destination, 20); // 302
    bw_put(w, 1, m->dte);           // 422
    bw_put(w, 1, 0);                // 423 spare
    return ORBAT_OK;
}

// Type 18: standard class B position report, 168 bits (Annex 8 §3.17, Table 70).
static enum orbat_err enc_18(const struct orbat_ais_enc *m, struct bitw *w)
{
    enum orbat_err e = enc_pos_common(m);
    if (e != ORBAT_OK)
        return e;
    if (!fits_u(m->radio, 20))
        return ORBAT_E_RANGE;
    bw_put(w, 8, 0);           // 38 regional reserved
    bw_put(w, 10, m->speed);   // 46
    bw_put(w, 1, m->accuracy); // 56
    bw_signed(w, 28, m->lon);  // 57
    bw_signed(w, 27, m->lat);  // 85
    bw_put(w, 12, m->course);  // 112
    bw_put(w, 9, m->heading);  // 124
    bw_put(w, 6, m->second);   // 133
    bw_put(w, 2, 0);           // 139 regional reserved
    bw_put(w, 1, m->cs);       // 141
    bw_put(w, 1, m->display);  // 142
    bw_put(w, 1, m->dsc);      // 143
    bw_put(w, 1, m->band);     // 144
    bw_put(w, 1, m->msg22);    // 145
    bw_put(w, 1, m->assigned); // 146
    bw_put(w, 1, m->raim);     // 147
    bw_put(w, 20, m->radio);   // 148
    return ORBAT_OK;
}

// Type 19: extended class B position report, 312 bits (Annex 8 §3.18, Table 71).
static enum orbat_err enc_19(const struct orbat_ais_enc *m, struct bitw *w)
{
    enum orbat_err e = enc_pos_common(m);
    if (e != ORBAT_OK)
        return e;
    if (!dims_ok(m) || m->epfd > 15)
        return ORBAT_E_RANGE;
    bw_put(w, 8, 0);             // 38 regional reserved
    bw_put(w, 10, m->speed);     // 46
    bw_put(w, 1, m->accuracy);   // 56
    bw_signed(w, 28, m->lon);    // 57
    bw_signed(w, 27, m->lat);    // 85
    bw_put(w, 12, m->course);    // 112
    bw_put(w, 9, m->heading);    // 124
    bw_put(w, 6, m->second);     // 133
    bw_put(w, 4, 0);             // 139 regional reserved
    bw_text(w, m->shipname, 20); // 143
    bw_put(w, 8, m->shiptype);   // 263
    bw_dims(w, m);               // 271
    bw_put(w, 4, m->epfd);       // 301
    bw_put(w, 1, m->raim);       // 305
    bw_put(w, 1, m->dte);        // 306
    bw_put(w, 1, m->assigned);   // 307
    bw_put(w, 4, 0);             // 308 spare
    return ORBAT_OK;
}

// Type 21: aids-to-navigation report, 272..360 bits (Annex 8 §3.20, Table 73).
static enum orbat_err enc_21(const struct orbat_ais_enc *m, struct bitw *w)
{
    if (m->aid_type > 31 || !latlon_ok(m->lon, m->lat) || !dims_ok(m) || m->epfd > 15 ||
        m->second > 63)
        return ORBAT_E_RANGE;
    size_t ext = strnlen(m->name_ext, sizeof(m->name_ext));
    if (ext > 14)
        return ORBAT_E_RANGE;
    bw_put(w, 5, m->aid_type);     // 38
    bw_text(w, m->shipname, 20);   // 43
    bw_put(w, 1, m->accuracy);     // 163
    bw_signed(w, 28, m->lon);      // 164
    bw_signed(w, 27, m->lat);      // 192
    bw_dims(w, m);                 // 219
    bw_put(w, 4, m->epfd);         // 249
    bw_put(w, 6, m->second);       // 253
    bw_put(w, 1, m->off_position); // 259
    bw_put(w, 8, m->aton_status);  // 260
    bw_put(w, 1, m->raim);         // 268
    bw_put(w, 1, m->virtual_aid);  // 269
    bw_put(w, 1, m->assigned);     // 270
    bw_put(w, 1, 0);               // 271 spare
    if (ext > 0) {
        bw_text(w, m->name_ext, (unsigned)ext); // 272 name extension
        unsigned pad = (8 - (w->pos & 7)) & 7;  // spare to an octet boundary
        bw_put(w, pad, 0);
    }
    return ORBAT_OK;
}

// Type 24: static data report, part A 160 bits / part B 168 bits (§3.23, Tables 76-77).
static enum orbat_err enc_24(const struct orbat_ais_enc *m, struct bitw *w)
{
    if (m->part > 1)
        return ORBAT_E_RANGE;
    bw_put(w, 2, m->part); // 38
    if (m->part == 0) {
        bw_text(w, m->shipname, 20); // 40
        return ORBAT_OK;
    }
    if (m->model > 15 || !fits_u(m->serial, 20) || !dims_ok(m) || m->epfd > 15 ||
        !fits_u(m->mothership_mmsi, 30))
        return ORBAT_E_RANGE;
    bw_put(w, 8, m->shiptype);  // 40
    bw_text(w, m->vendorid, 3); // 48 manufacturer id
    bw_put(w, 4, m->model);     // 66 unit model code
    bw_put(w, 20, m->serial);   // 70 serial number
    bw_text(w, m->callsign, 7); // 90
    if (m->mothership_mmsi)     // 132 dimensions, or mothership for auxiliary craft
        bw_put(w, 30, m->mothership_mmsi);
    else
        bw_dims(w, m);
    bw_put(w, 4, m->epfd); // 162
    bw_put(w, 2, 0);       // 166 spare
    return ORBAT_OK;
}

// Type 27: long-range AIS broadcast, 96 bits (Annex 8 §3.26, Table 80).
static enum orbat_err enc_27(const struct orbat_ais_enc *m, struct bitw *w)
{
    bool lon_ok = (m->lon >= -180 * 600 && m->lon <= 180 * 600) || m->lon == 181 * 600;
    bool lat_ok = (m->lat >= -90 * 600 && m->lat <= 90 * 600) || m->lat == 91 * 600;
    if (!lon_ok || !lat_ok || m->status > 15 || m->speed > 63 || m->course > 511)
        return ORBAT_E_RANGE;
    bw_put(w, 1, m->accuracy); // 38
    bw_put(w, 1, m->raim);     // 39
    bw_put(w, 4, m->status);   // 40
    bw_signed(w, 18, m->lon);  // 44 (1/10 min)
    bw_signed(w, 17, m->lat);  // 62
    bw_put(w, 6, m->speed);    // 79 knots
    bw_put(w, 9, m->course);   // 85 degrees
    bw_put(w, 1, m->gnss);     // 94
    bw_put(w, 1, 0);           // 95 spare
    return ORBAT_OK;
}

enum orbat_err orbat_ais_encode(const struct orbat_ais_enc *m, uint8_t *bits, unsigned *nbits)
{
    memset(bits, 0, ORBAT_AIS_ENC_MAXBYTES);
    *nbits = 0;
    if (m->repeat > 3 || m->mmsi > 999999999u)
        return ORBAT_E_RANGE;
    struct bitw w = {bits, 0};
    // Common header: message id 6 bits, repeat indicator 2, user id 30 (§3, Table 48).
    bw_put(&w, 6, m->type);
    bw_put(&w, 2, m->repeat);
    bw_put(&w, 30, m->mmsi);
    enum orbat_err e;
    switch (m->type) {
    case 1:
    case 2:
    case 3:
        e = enc_123(m, &w);
        break;
    case 5:
        e = enc_5(m, &w);
        break;
    case 18:
        e = enc_18(m, &w);
        break;
    case 19:
        e = enc_19(m, &w);
        break;
    case 21:
        e = enc_21(m, &w);
        break;
    case 24:
        e = enc_24(m, &w);
        break;
    case 27:
        e = enc_27(m, &w);
        break;
    default:
        e = ORBAT_E_UNSUPPORTED;
        break;
    }
    if (e != ORBAT_OK) {
        memset(bits, 0, ORBAT_AIS_ENC_MAXBYTES);
        return e;
    }
    *nbits = w.pos;
    return ORBAT_OK;
}

int32_t orbat_ais_deg_to_raw(double deg)
{
    double v = deg * 600000.0;
    return (int32_t)(v < 0 ? v - 0.5 : v + 0.5);
}

/* ---- NMEA framing (IEC 61162-1 §7.3.4 six-bit armour; NMEA 4.10 tag blocks) ---- */

static const char hexd[] = "0123456789ABCDEF";

struct sbuf {
    char *p;
    size_t cap, len;
    bool overflow;
};

static void sb_putc(struct sbuf *s, char c)
{
    if (s->len + 1 < s->cap)
        s->p[s->len++] = c;
    else
        s->overflow = true;
}

static void sb_puts(struct sbuf *s, const char *str)
{
    while (*str)
        sb_putc(s, *str++);
}

static void sb_uint(struct sbuf *s, uint64_t v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        sb_putc(s, tmp[--n]);
}

static void sb_hex2(struct sbuf *s, unsigned v)
{
    sb_putc(s, hexd[(v >> 4) & 15]);
    sb_putc(s, hexd[v & 15]);
}

/* XOR checksum of s->p[from .. len). */
static unsigned sb_xor(const struct sbuf *s, size_t from)
{
    unsigned x = 0;
    for (size_t i = from; i < s->len && i < s->cap; i++)
        x ^= (unsigned char)s->p[i];
    return x;
}

static bool source_ok(const char *src)
{
    size_t n = 0;
    for (; src[n]; n++) {
        char c = src[n];
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '.' || c == '-';
        if (!ok || n >= 15)
            return false;
    }
    return n > 0;
}

static char armour(unsigned v)
{
    return (char)(v < 40 ? v + 48 : v + 56);
}

enum orbat_err orbat_ais_nmea(const uint8_t *bits, unsigned nbits,
                              const struct orbat_ais_nmea_opts *opts, char *buf, size_t cap,
                              size_t *len)
{
    static const struct orbat_ais_nmea_opts defaults = {0};
    const struct orbat_ais_nmea_opts *o = opts ? opts : &defaults;
    *len = 0;
    if (cap)
        buf[0] = '\0';
    if (nbits == 0 || nbits > 1008 || o->seq_id > 9 || (o->source && !source_ok(o->source)))
        return ORBAT_E_INVAL;
    unsigned maxc = o->max_chars ? o->max_chars : 60;
    if (maxc > 60)
        return ORBAT_E_INVAL;
    unsigned nchars = (nbits + 5) / 6;
    unsigned fill = nchars * 6 - nbits;
    unsigned nsent = (nchars + maxc - 1) / maxc;
    if (nsent > 9)
        return ORBAT_E_INVAL;
    char chan = o->channel ? o->channel : 'A';
    struct sbuf s = {buf, cap, 0, false};
    for (unsigned k = 0; k < nsent; k++) {
        bool tag = o->tag_time || o->source || (nsent > 1 && o->group_id);
        if (tag) {
            // NMEA 4.10 tag block: \<param>,<param>*hh\ ; checksum over the text between.
            sb_putc(&s, '\\');
            size_t from = s.len;
            bool first = true;
            if (nsent > 1 && (o->tag_time || o->source || o->group_id)) {
                sb_puts(&s, "g:");
                sb_uint(&s, k + 1);
                sb_putc(&s, '-');
                sb_uint(&s, nsent);
                sb_putc(&s, '-');
                sb_uint(&s, o->group_id);
                first = false;
            }
            if (o->source) {
                if (!first)
                    sb_putc(&s, ',');
                sb_puts(&s, "s:");
                sb_puts(&s, o->source);
                first = false;
            }
            if (o->tag_time) {
                if (!first)
                    sb_putc(&s, ',');
                sb_puts(&s, "c:");
                if (o->time_s < 0) {
                    sb_putc(&s, '-');
                    sb_uint(&s, (uint64_t)(-(o->time_s + 1)) + 1);
                } else {
                    sb_uint(&s, (uint64_t)o->time_s);
                }
            }
            unsigned x = sb_xor(&s, from);
            sb_putc(&s, '*');
            sb_hex2(&s, x);
            sb_putc(&s, '\\');
        }
        sb_putc(&s, '!');
        size_t from = s.len;
        sb_puts(&s, o->own ? "AIVDO," : "AIVDM,");
        sb_uint(&s, nsent);
        sb_putc(&s, ',');
        sb_uint(&s, k + 1);
        sb_putc(&s, ',');
        if (nsent > 1)
            sb_uint(&s, o->seq_id);
        sb_putc(&s, ',');
        sb_putc(&s, chan);
        sb_putc(&s, ',');
        unsigned c0 = k * maxc, c1 = c0 + maxc < nchars ? c0 + maxc : nchars;
        size_t nbytes = (nbits + 7) / 8;
        for (unsigned c = c0; c < c1; c++) {
            // Six bits starting at bit 6c from a 16-bit window; bits past nbits are fill (0).
            unsigned pos = c * 6, byte = pos >> 3;
            unsigned hi = bits[byte], lo = byte + 1 < nbytes ? bits[byte + 1] : 0;
            unsigned v = (((hi << 8) | lo) >> (10 - (pos & 7))) & 63u;
            if (pos + 6 > nbits)
                v &= ~((1u << (pos + 6 - nbits)) - 1u) & 63u;
            sb_putc(&s, armour(v));
        }
        sb_putc(&s, ',');
        sb_uint(&s, k + 1 == nsent ? fill : 0);
        unsigned x = sb_xor(&s, from);
        sb_putc(&s, '*');
        sb_hex2(&s, x);
        if (o->crlf)
            sb_putc(&s, '\r');
        sb_putc(&s, '\n');
    }
    if (s.overflow) {
        if (cap)
            buf[0] = '\0';
        return ORBAT_E_TOOLONG;
    }
    buf[s.len] = '\0';
    *len = s.len;
    return ORBAT_OK;
}

enum orbat_err orbat_ais_encode_nmea(const struct orbat_ais_enc *m,
                                     const struct orbat_ais_nmea_opts *opts, char *buf, size_t cap,
                                     size_t *len)
{
    uint8_t bits[ORBAT_AIS_ENC_MAXBYTES];
    unsigned nbits;
    *len = 0;
    if (cap)
        buf[0] = '\0';
    enum orbat_err e = orbat_ais_encode(m, bits, &nbits);
    if (e != ORBAT_OK)
        return e;
    return orbat_ais_nmea(bits, nbits, opts, buf, cap, len);
}
