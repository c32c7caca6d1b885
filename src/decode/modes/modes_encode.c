/* SPDX-License-Identifier: BSD-2-Clause
 *
 * modes_encode.c - Mode S / ADS-B frame encoder and Beast/AVR/SBS framing.
 * Formats from ICAO Annex 10 Vol IV §3.1.2 (DF4/5/11/17/20/21, AC and ID
 * codes, CRC-24 parity and address overlay), ME fields from DO-260B §2.2.3.2
 * (TC 1-4 identification, TC 9-18 airborne position, TC 19 velocity) and
 * CPR encoding from DO-260B §A.1.7. See modes_encode.h.
 */
#include "orbat/modes_encode.h"

#include <math.h>
#include <string.h>

#define ENC_PI 3.14159265358979323846

/* MSB-first bit writer; bit positions as Annex 10 numbers them minus 1.
 * Writes up to a byte per step; bits outside [pos, pos+width) are kept. */
static void put_bits(uint8_t *buf, unsigned pos, unsigned width, uint64_t v)
{
    while (width > 0) {
        unsigned room = 8 - (pos & 7), n = width < room ? width : room;
        unsigned chunk = (unsigned)(v >> (width - n)) & ((1u << n) - 1);
        unsigned shift = room - n;
        uint8_t mask = (uint8_t)(((1u << n) - 1) << shift);
        buf[pos >> 3] = (uint8_t)((buf[pos >> 3] & ~mask) | (chunk << shift));
        pos += n;
        width -= n;
    }
}

// CRC-24 lookup table for generator 0x1FFF409, one entry per leading byte
// (crc_table[i] = remainder of i << 16 after 8 steps of the bitwise division).
static const uint32_t crc_table[256] = {
    0x000000, 0xfff409, 0x001c1b, 0xffe812, 0x003836, 0xffcc3f, 0x00242d, 0xffd024, 0x00706c,
    0xff8465, 0x006c77, 0xff987e, 0x00485a, 0xffbc53, 0x005441, 0xffa048, 0x00e0d8, 0xff14d1,
    0x00fcc3, 0xff08ca, 0x00d8ee, 0xff2ce7, 0x00c4f5, 0xff30fc, 0x0090b4, 0xff64bd, 0x008caf,
    0xff78a6, 0x00a882, 0xff5c8b, 0x00b499, 0xff4090, 0x01c1b0, 0xfe35b9, 0x01ddab, 0xfe29a2,
    0x01f986, 0xfe0d8f, 0x01e59d, 0xfe1194, 0x01b1dc, 0xfe45d5, 0x01adc7, 0xfe59ce, 0x0189ea,
    0xfe7de3, 0x0195f1, 0xfe61f8, 0x012168, 0xfed561, 0x013d73, 0xfec97a, 0x01195e, 0xfeed57,
    0x010545, 0xfef14c, 0x015104, 0xfea50d, 0x014d1f, 0xfeb916, 0x016932, 0xfe9d3b, 0x017529,
    0xfe8120, 0x038360, 0xfc7769, 0x039f7b, 0xfc6b72, 0x03bb56, 0xfc4f5f, 0x03a74d, 0xfc5344,
    0x03f30c, 0xfc0705, 0x03ef17, 0xfc1b1e, 0x03cb3a, 0xfc3f33, 0x03d721, 0xfc2328, 0x0363b8,
    0xfc97b1, 0x037fa3, 0xfc8baa, 0x035b8e, 0xfcaf87, 0x034795, 0xfcb39c, 0x0313d4, 0xfce7dd,
    0x030fcf, 0xfcfbc6, 0x032be2, 0xfcdfeb, 0x0337f9, 0xfcc3f0, 0x0242d0, 0xfdb6d9, 0x025ecb,
    0xfdaac2, 0x027ae6, 0xfd8eef, 0x0266fd, 0xfd92f4, 0x0232bc, 0xfdc6b5, 0x022ea7, 0xfddaae,
    0x020a8a, 0xfdfe83, 0x021691, 0xfde298, 0x02a208, 0xfd5601, 0x02be13, 0xfd4a1a, 0x029a3e,
    0xfd6e37, 0x028625, 0xfd722c, 0x02d264, 0xfd266d, 0x02ce7f, 0xfd3a76, 0x02ea52, 0xfd1e5b,
    0x02f649, 0xfd0240, 0x0706c0, 0xf8f2c9, 0x071adb, 0xf8eed2, 0x073ef6, 0xf8caff, 0x0722ed,
    0xf8d6e4, 0x0776ac, 0xf882a5, 0x076ab7, 0xf89ebe, 0x074e9a, 0xf8ba93, 0x075281, 0xf8a688,
    0x07e618, 0xf81211, 0x07fa03, 0xf80e0a, 0x07de2e, 0xf82a27, 0x07c235, 0xf8363c, 0x079674,
    0xf8627d, 0x078a6f, 0xf87e66, 0x07ae42, 0xf85a4b, 0x07b259, 0xf84650, 0x06c770, 0xf93379,
    0x06db6b, 0xf92f62, 0x06ff46, 0xf90b4f, 0x06e35d, 0xf91754, 0x06b71c, 0xf94315, 0x06ab07,
    0xf95f0e, 0x068f2a, 0xf97b23, 0x069331, 0xf96738, 0x0627a8, 0xf9d3a1, 0x063bb3, 0xf9cfba,
    0x061f9e, 0xf9eb97, 0x060385, 0xf9f78c, 0x0657c4, 0xf9a3cd, 0x064bdf, 0xf9bfd6, 0x066ff2,
    0xf99bfb, 0x0673e9, 0xf987e0, 0x0485a0, 0xfb71a9, 0x0499bb, 0xfb6db2, 0x04bd96, 0xfb499f,
    0x04a18d, 0xfb5584, 0x04f5cc, 0xfb01c5, 0x04e9d7, 0xfb1dde, 0x04cdfa, 0xfb39f3, 0x04d1e1,
    0xfb25e8, 0x046578, 0xfb9171, 0x047963, 0xfb8d6a, 0x045d4e, 0xfba947, 0x044155, 0xfbb55c,
    0x041514, 0xfbe11d, 0x04090f, 0xfbfd06, 0x042d22, 0xfbd92b, 0x043139, 0xfbc530, 0x054410,
    0xfab019, 0x05580b, 0xfaac02, 0x057c26, 0xfa882f, 0x05603d, 0xfa9434, 0x05347c, 0xfac075,
    0x052867, 0xfadc6e, 0x050c4a, 0xfaf843, 0x051051, 0xfae458, 0x05a4c8, 0xfa50c1, 0x05b8d3,
    0xfa4cda, 0x059cfe, 0xfa68f7, 0x0580e5, 0xfa74ec, 0x05d4a4, 0xfa20ad, 0x05c8bf, 0xfa3cb6,
    0x05ec92, 0xfa189b, 0x05f089, 0xfa0480};

// CRC-24, generator polynomial 0x1FFF409 (Annex 10 Vol IV §3.1.2.3.3.1.1), byte-wise.
uint32_t orbat_modes_enc_crc(const uint8_t *frame, size_t len)
{
    uint32_t crc = 0;
    if (len < 3)
        return 0;
    for (size_t i = 0; i < len - 3; i++)
        crc = ((crc << 8) ^ crc_table[((crc >> 16) ^ frame[i]) & 0xFF]) & 0xFFFFFFu;
    return crc;
}

static void set_parity(uint8_t *frame, size_t len, uint32_t overlay)
{
    uint32_t p = orbat_modes_enc_crc(frame, len) ^ overlay;
    frame[len - 3] = (uint8_t)(p >> 16);
    frame[len - 2] = (uint8_t)(p >> 8);
    frame[len - 1] = (uint8_t)p;
}

/* DF17 header: DF 5 bits, CA 3, AA 24 (Annex 10 Vol IV §3.1.2.8.6). */
static enum orbat_err df17_header(uint8_t *out, uint32_t icao, uint8_t ca)
{
    if (icao > 0xFFFFFFu || ca > 7)
        return ORBAT_E_RANGE;
    memset(out, 0, ORBAT_MODES_LONG);
    put_bits(out, 0, 5, 17);
    put_bits(out, 5, 3, ca);
    put_bits(out, 8, 24, icao);
    return ORBAT_OK;
}

// Flight identification characters (Annex 10 Vol IV Table 3-9, 6-bit IA-5 subset).
static unsigned ident_char(char ch)
{
    unsigned c = (unsigned char)ch;
    if (c >= 'a' && c <= 'z')
        c -= 32;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 1;
    if (c >= '0' && c <= '9')
        return c; // 48..57
    return 32;    // space
}

enum orbat_err orbat_modes_enc_ident(uint32_t icao, uint8_t ca, uint8_t tc, uint8_t category,
                                     const char *callsign, uint8_t out[ORBAT_MODES_LONG])
{
    if (tc < 1 || tc > 4 || category > 7)
        return ORBAT_E_RANGE;
    enum orbat_err e = df17_header(out, icao, ca);
    if (e != ORBAT_OK)
        return e;
    // ME (bits 33-88): TC 5, emitter category 3, 8 x 6-bit characters (DO-260B §2.2.3.2.5).
    put_bits(out, 32, 5, tc);
    put_bits(out, 37, 3, category);
    size_t n = callsign ? strlen(callsign) : 0;
    for (unsigned i = 0; i < 8; i++)
        put_bits(out, 40 + 6 * i, 6, i < n ? ident_char(callsign[i]) : 32);
    set_parity(out, ORBAT_MODES_LONG, 0);
    return ORBAT_OK;
}

// Number of longitude zones NL(lat), DO-260B §A.1.7.2 d (NZ = 15).
static int cpr_nl(double lat)
{
    double a = fabs(lat);
    if (a < 1e-9)
        return 59;
    if (a > 87.0)
        return 1;
    if (a == 87.0)
        return 2;
    const double nz = 15.0;
    double c = cos(ENC_PI / 180.0 * a);
    double x = 1.0 - (1.0 - cos(ENC_PI / (2.0 * nz))) / (c * c);
    return (int)floor(2.0 * ENC_PI / acos(x));
}

static double cpr_mod(double x, double y)
{
    return x - y * floor(x / y);
}

// Airborne CPR encoding, Nb = 17 (DO-260B §A.1.7.3).
void orbat_modes_cpr_encode(double lat, double lon, bool odd, uint32_t *yz, uint32_t *xz)
{
    const double two17 = 131072.0;
    int i = odd ? 1 : 0;
    double dlat = 360.0 / (60.0 - i);
    double y = floor(two17 * cpr_mod(lat, dlat) / dlat + 0.5);
    double rlat = dlat * (y / two17 + floor(lat / dlat));
    int nl = cpr_nl(rlat) - i;
    double dlon = nl > 0 ? 360.0 / nl : 360.0;
    double x = floor(two17 * cpr_mod(lon, dlon) / dlon + 0.5);
    *yz = (uint32_t)cpr_mod(y, two17);
    *xz = (uint32_t)cpr_mod(x, two17);
}

/* Altitude as N = (alt + 1000) / 25 with Q = 1 (Annex 10 Vol IV §3.1.2.6.5.4). */
static enum orbat_err alt_n(int32_t alt_ft, unsigned *n)
{
    if (alt_ft < -1000 || alt_ft > 50175)
        return ORBAT_E_RANGE;
    *n = (unsigned)((alt_ft + 1000 + 12) / 25);
    if (*n > 2047)
        *n = 2047;
    return ORBAT_OK;
}

enum orbat_err orbat_modes_enc_ac13(int32_t alt_ft, uint16_t *ac13)
{
    unsigned n;
    enum orbat_err e = alt_n(alt_ft, &n);
    if (e != ORBAT_OK)
        return e;
    // C1 A1 C2 A2 C4 A4 M B1 Q B2 D2 B4 D4 with M = 0, Q = 1: N fills the other 11 bits.
    *ac13 = (uint16_t)(((n >> 5) << 7) | (((n >> 4) & 1u) << 5) | 0x10u | (n & 0xFu));
    return ORBAT_OK;
}

// ID code bit order C1 A1 C2 A2 C4 A4 X B1 D1 B2 D2 B4 D4 (Annex 10 Vol IV §3.1.2.6.7.1).
uint16_t orbat_modes_enc_id13(uint16_t squawk)
{
    unsigned a = (squawk / 1000) % 10, b = (squawk / 100) % 10, c = (squawk / 10) % 10,
             d = squawk % 10;
    unsigned v = 0;
    v |= ((c >> 0) & 1u) << 12; // C1
    v |= ((a >> 0) & 1u) << 11; // A1
    v |= ((c >> 1) & 1u) << 10; // C2
    v |= ((a >> 1) & 1u) << 9;  // A2
    v |= ((c >> 2) & 1u) << 8;  // C4
    v |= ((a >> 2) & 1u) << 7;  // A4
    v |= ((b >> 0) & 1u) << 5;  // B1
    v |= ((d >> 0) & 1u) << 4;  // D1
    v |= ((b >> 1) & 1u) << 3;  // B2
    v |= ((d >> 1) & 1u) << 2;  // D2
    v |= ((b >> 2) & 1u) << 1;  // B4
    v |= ((d >> 2) & 1u) << 0;  // D4
    return (uint16_t)v;
}

static bool squawk_ok(uint16_t sq)
{
    if (sq > 7777)
        return false;
    for (unsigned k = 0; k < 4; k++, sq /= 10)
        if (sq % 10 > 7)
            return false;
    return true;
}

enum orbat_err orbat_modes_enc_airpos(const struct orbat_modes_enc_pos *p,
                                      uint8_t out[ORBAT_MODES_LONG])
{
    if (p->tc < 9 || p->tc > 18 || p->ss > 3 || !(p->lat >= -90.0 && p->lat <= 90.0) ||
        !(p->lon >= -180.0 && p->lon <= 180.0))
        return ORBAT_E_RANGE;
    unsigned n;
    enum orbat_err e = alt_n(p->alt_ft, &n);
    if (e != ORBAT_OK)
        return e;
    e = df17_header(out, p->icao, p->ca);
    if (e != ORBAT_OK)
        return e;
    // ME: TC 5, SS 2, SAF 1, ALT 12, T 1, F 1, LAT-CPR 17, LON-CPR 17 (DO-260B §2.2.3.2.3).
    put_bits(out, 32, 5, p->tc);
    put_bits(out, 37, 2, p->ss);
    put_bits(out, 39, 1, p->saf);
    // 12-bit altitude: the AC13 field without the M bit; Q = 1.
    unsigned alt12 = ((n >> 4) << 5) | 0x10u | (n & 0xFu);
    put_bits(out, 40, 12, alt12);
    put_bits(out, 52, 1, p->t);
    put_bits(out, 53, 1, p->odd);
    uint32_t yz, xz;
    orbat_modes_cpr_encode(p->lat, p->lon, p->odd, &yz, &xz);
    put_bits(out, 54, 17, yz);
    put_bits(out, 71, 17, xz);
    set_parity(out, ORBAT_MODES_LONG, 0);
    return ORBAT_OK;
}

enum orbat_err orbat_modes_enc_velocity(const struct orbat_modes_enc_vel *v,
                                        uint8_t out[ORBAT_MODES_LONG])
{
    if (v->ew_kt < -1021 || v->ew_kt > 1021 || v->ns_kt < -1021 || v->ns_kt > 1021 ||
        v->vr_fpm < -32576 || v->vr_fpm > 32576 || v->gnss_baro_diff_ft < -3125 ||
        v->gnss_baro_diff_ft > 3125 || v->nac_v > 7)
        return ORBAT_E_RANGE;
    enum orbat_err e = df17_header(out, v->icao, v->ca);
    if (e != ORBAT_OK)
        return e;
    // ME TC 19 subtype 1 (DO-260B §2.2.3.2.6.1): velocities are |v| + 1, 0 = not available.
    put_bits(out, 32, 5, 19);
    put_bits(out, 37, 3, 1);
    put_bits(out, 40, 1, 0); // intent change flag
    put_bits(out, 41, 1, 0); // reserved (IFR capability in DO-260A)
    put_bits(out, 42, 3, v->nac_v);
    put_bits(out, 45, 1, v->ew_kt < 0);
    put_bits(out, 46, 10, (unsigned)(v->ew_kt < 0 ? -v->ew_kt : v->ew_kt) + 1u);
    put_bits(out, 56, 1, v->ns_kt < 0);
    put_bits(out, 57, 10, (unsigned)(v->ns_kt < 0 ? -v->ns_kt : v->ns_kt) + 1u);
    put_bits(out, 67, 1, v->vr_baro);
    put_bits(out, 68, 1, v->vr_fpm < 0);
    unsigned avr = (unsigned)(v->vr_fpm < 0 ? -v->vr_fpm : v->vr_fpm);
    put_bits(out, 69, 9, (avr + 32) / 64 + 1);
    put_bits(out, 78, 2, 0); // reserved
    put_bits(out, 80, 1, v->gnss_baro_diff_ft < 0);
    unsigned ad =
        (unsigned)(v->gnss_baro_diff_ft < 0 ? -v->gnss_baro_diff_ft : v->gnss_baro_diff_ft);
    put_bits(out, 81, 7, v->gnss_baro_diff_ft ? (ad + 12) / 25 + 1 : 0);
    set_parity(out, ORBAT_MODES_LONG, 0);
    return ORBAT_OK;
}

/* DF4/5/20/21 surveillance replies: DF 5, FS 3, DR 5, UM 6, AC/ID 13, [MB 56], AP 24
 * (Annex 10 Vol IV §3.1.2.6.5, §3.1.2.6.7, §3.1.2.6.6 for DF20/21). */
static enum orbat_err surv_reply(uint8_t df, uint32_t icao, uint8_t fs, uint8_t dr, uint8_t um,
                                 uint16_t field13, const uint8_t *mb, uint8_t out[ORBAT_MODES_LONG],
                                 size_t *len)
{
    *len = 0;
    if (icao > 0xFFFFFFu || fs > 7 || dr > 31 || um > 63)
        return ORBAT_E_RANGE;
    size_t n = (df >= 16) ? ORBAT_MODES_LONG : ORBAT_MODES_SHORT;
    memset(out, 0, n);
    put_bits(out, 0, 5, df);
    put_bits(out, 5, 3, fs);
    put_bits(out, 8, 5, dr);
    put_bits(out, 13, 6, um);
    put_bits(out, 19, 13, field13);
    if (n == ORBAT_MODES_LONG && mb)
        memcpy(out + 4, mb, 7);
    set_parity(out, n, icao); // address/parity: AP = CRC xor AA
    *len = n;
    return ORBAT_OK;
}

enum orbat_err orbat_modes_enc_altitude_reply(uint8_t df, uint32_t icao, uint8_t fs, uint8_t dr,
                                              uint8_t um, int32_t alt_ft, const uint8_t *mb,
                                              uint8_t out[ORBAT_MODES_LONG], size_t *len)
{
    *len = 0;
    if (df != 4 && df != 20)
        return ORBAT_E_RANGE;
    uint16_t ac;
    enum orbat_err e = orbat_modes_enc_ac13(alt_ft, &ac);
    if (e != ORBAT_OK)
        return e;
    return surv_reply(df, icao, fs, dr, um, ac, mb, out, len);
}

enum orbat_err orbat_modes_enc_identity_reply(uint8_t df, uint32_t icao, uint8_t fs, uint8_t dr,
                                              uint8_t um, uint16_t squawk, const uint8_t *mb,
                                              uint8_t out[ORBAT_MODES_LONG], size_t *len)
{
    *len = 0;
    if ((df != 5 && df != 21) || !squawk_ok(squawk))
        return ORBAT_E_RANGE;
    return surv_reply(df, icao, fs, dr, um, orbat_modes_enc_id13(squawk), mb, out, len);
}

// DF11 all-call reply: DF 5, CA 3, AA 24, PI 24 = CRC xor II/SI code (§3.1.2.5.2.2).
enum orbat_err orbat_modes_enc_allcall(uint32_t icao, uint8_t ca, uint8_t iid,
                                       uint8_t out[ORBAT_MODES_SHORT])
{
    if (icao > 0xFFFFFFu || ca > 7 || iid > 15)
        return ORBAT_E_RANGE;
    memset(out, 0, ORBAT_MODES_SHORT);
    put_bits(out, 0, 5, 11);
    put_bits(out, 5, 3, ca);
    put_bits(out, 8, 24, icao);
    set_parity(out, ORBAT_MODES_SHORT, iid);
    return ORBAT_OK;
}

/* ---- framing ---- */

size_t orbat_modes_beast(const uint8_t *frame, size_t len, uint64_t ts12mhz, uint8_t signal,
                         uint8_t *buf, size_t cap)
{
    if (len != ORBAT_MODES_SHORT && len != ORBAT_MODES_LONG)
        return 0;
    uint8_t body[6 + 1 + ORBAT_MODES_LONG];
    for (int i = 0; i < 6; i++)
        body[i] = (uint8_t)(ts12mhz >> (8 * (5 - i)));
    body[6] = signal;
    memcpy(body + 7, frame, len);
    size_t nb = 7 + len, o = 0;
    if (cap < 2)
        return 0;
    buf[o++] = 0x1a;
    buf[o++] = len == ORBAT_MODES_SHORT ? '2' : '3';
    for (size_t i = 0; i < nb; i++) {
        size_t need = body[i] == 0x1a ? 2 : 1;
        if (o + need > cap)
            return 0;
        buf[o++] = body[i];
        if (body[i] == 0x1a)
            buf[o++] = 0x1a;
    }
    return o;
}

static const char hexu[] = "0123456789ABCDEF";

size_t orbat_modes_avr(const uint8_t *frame, size_t len, bool with_ts, uint64_t ts12mhz, char *buf,
                       size_t cap)
{
    size_t need = 1 + (with_ts ? 12 : 0) + 2 * len + 2 + 1;
    if (need > cap || (len != ORBAT_MODES_SHORT && len != ORBAT_MODES_LONG))
        return 0;
    size_t o = 0;
    buf[o++] = with_ts ? '@' : '*';
    if (with_ts)
        for (int i = 11; i >= 0; i--)
            buf[o++] = hexu[(ts12mhz >> (4 * i)) & 15];
    for (size_t i = 0; i < len; i++) {
        buf[o++] = hexu[frame[i] >> 4];
        buf[o++] = hexu[frame[i] & 15];
    }
    buf[o++] = ';';
    buf[o++] = '\n';
    buf[o] = '\0';
    return o;
}

/* Days since 1970-01-01 -> civil date (H. Hinnant's days_from_civil inverse). */
static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (*m <= 2));
}

struct tbuf {
    char *p;
    size_t cap, len;
    bool overflow;
};

static void tb_putc(struct tbuf *t, char c)
{
    if (t->len + 1 < t->cap)
        t->p[t->len++] = c;
    else
        t->overflow = true;
}

static void tb_str(struct tbuf *t, const char *s)
{
    while (*s)
        tb_putc(t, *s++);
}

static void tb_uint(struct tbuf *t, uint64_t v, int width)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n < width)
        tmp[n++] = '0';
    while (n)
        tb_putc(t, tmp[--n]);
}

static void tb_int(struct tbuf *t, int64_t v)
{
    if (v < 0) {
        tb_putc(t, '-');
        tb_uint(t, (uint64_t)(-(v + 1)) + 1, 1);
    } else {
        tb_uint(t, (uint64_t)v, 1);
    }
}

/* Fixed-point decimal with `dec` digits, rounded. */
static void tb_fixed(struct tbuf *t, double v, int dec)
{
    double scale = 1.0;
    for (int i = 0; i < dec; i++)
        scale *= 10.0;
    double r = v * scale;
    int64_t iv = (int64_t)(r < 0 ? r - 0.5 : r + 0.5);
    if (iv < 0) {
        tb_putc(t, '-');
        iv = -iv;
    }
    int64_t ip = iv / (int64_t)scale, fp = iv % (int64_t)scale;
    tb_uint(t, (uint64_t)ip, 1);
    if (dec > 0) {
        tb_putc(t, '.');
        tb_uint(t, (uint64_t)fp, dec);
    }
}

static void tb_datetime(struct tbuf *t, int64_t t_ms)
{
    int64_t secs = t_ms >= 0 ? t_ms / 1000 : -((-t_ms + 999) / 1000);
    int64_t ms = t_ms - secs * 1000;
    int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    int64_t sod = secs - days * 86400;
    int y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    tb_uint(t, (uint64_t)(y < 0 ? 0 : y), 4);
    tb_putc(t, '/');
    tb_uint(t, m, 2);
    tb_putc(t, '/');
    tb_uint(t, d, 2);
    tb_putc(t, ',');
    tb_uint(t, (uint64_t)(sod / 3600), 2);
    tb_putc(t, ':');
    tb_uint(t, (uint64_t)(sod / 60 % 60), 2);
    tb_putc(t, ':');
    tb_uint(t, (uint64_t)(sod % 60), 2);
    tb_putc(t, '.');
    tb_uint(t, (uint64_t)ms, 3);
}

// SBS-1 BaseStation "MSG" line: 22 comma-separated fields (dump1090 port 30003 layout).
size_t orbat_modes_sbs_line(const struct orbat_modes_sbs *s, char *buf, size_t cap)
{
    struct tbuf t = {buf, cap, 0, false};
    if (cap == 0)
        return 0;
    tb_str(&t, "MSG,");
    tb_uint(&t, s->msg_type, 1);
    tb_str(&t, ",1,1,");
    for (int i = 5; i >= 0; i--)
        tb_putc(&t, hexu[(s->icao >> (4 * i)) & 15]);
    tb_str(&t, ",1,");
    tb_datetime(&t, s->t_ms);
    tb_putc(&t, ',');
    tb_datetime(&t, s->t_ms);
    tb_putc(&t, ',');
    if (s->callsign)
        for (const char *c = s->callsign; *c && c - s->callsign < 8; c++)
            tb_putc(&t, (*c == ',' || *c == '\n' || *c == '\r') ? ' ' : *c);
    tb_putc(&t, ',');
    if (s->has_alt)
        tb_int(&t, s->alt_ft);
    tb_putc(&t, ',');
    if (s->has_gs)
        tb_fixed(&t, s->gs_kt, 0);
    tb_putc(&t, ',');
    if (s->has_gs)
        tb_fixed(&t, s->track_deg, 0);
    tb_putc(&t, ',');
    if (s->has_pos)
        tb_fixed(&t, s->lat, 5);
    tb_putc(&t, ',');
    if (s->has_pos)
        tb_fixed(&t, s->lon, 5);
    tb_putc(&t, ',');
    if (s->has_vr)
        tb_int(&t, s->vr_fpm);
    tb_putc(&t, ',');
    if (s->has_squawk)
        tb_uint(&t, s->squawk, 4);
    tb_str(&t, ",0,0,0,");
    tb_str(&t, s->on_ground ? "-1" : "0");
    tb_putc(&t, '\n');
    if (t.overflow) {
        buf[0] = '\0';
        return 0;
    }
    buf[t.len] = '\0';
    return t.len;
}
