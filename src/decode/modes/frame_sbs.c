/* SPDX-License-Identifier: BSD-2-Clause
 *
 * frame_sbs.c - SBS-1 BaseStation CSV ("port 30003") record parsing.
 * Layout (Kinetic BaseStation; as written by dump1090 modesSendSBSOutput):
 *   1 type (MSG/SEL/ID/AIR/STA/CLK), 2 transmission type 1-8, 3 session,
 *   4 aircraft id, 5 hex ident, 6 flight id, 7-8 date/time generated,
 *   9-10 date/time logged, 11 callsign, 12 altitude ft, 13 ground speed kt,
 *   14 track deg, 15 lat, 16 lon, 17 vertical rate ft/min, 18 squawk,
 *   19 alert (squawk change), 20 emergency, 21 SPI, 22 on ground.
 * Flags are "-1" (BaseStation) or "1" for true, "0" for false. Dates are
 * "YYYY/MM/DD", times "HH:MM:SS.mmm"; taken as UTC.
 */
#include "orbat/modes_frame.h"
#include "orbat/orbat.h"

#include <string.h>

#define SBS_MAX_LINE 512
#define SBS_FIELDS   22

struct sbs_field {
    const char *p;
    size_t n;
};

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). */
static int64_t sbs_days(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* Unsigned decimal of exactly n digits. */
static bool sbs_digits(const char *p, size_t n, unsigned *v)
{
    unsigned x = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        x = x * 10 + (unsigned)(p[i] - '0');
    }
    *v = x;
    return true;
}

/* "YYYY/MM/DD" + "HH:MM:SS[.fff]" -> unix ms. '-' is accepted as the date
 * separator too. */
static bool sbs_time(struct sbs_field d, struct sbs_field t, int64_t *ms)
{
    unsigned y, mo, da, h, mi, s, frac = 0;
    if (d.n != 10 || t.n < 8)
        return false;
    if (!sbs_digits(d.p, 4, &y) || !sbs_digits(d.p + 5, 2, &mo) || !sbs_digits(d.p + 8, 2, &da))
        return false;
    if (!sbs_digits(t.p, 2, &h) || t.p[2] != ':' || !sbs_digits(t.p + 3, 2, &mi) || t.p[5] != ':' ||
        !sbs_digits(t.p + 6, 2, &s))
        return false;
    if (mo < 1 || mo > 12 || da < 1 || da > 31 || h > 23 || mi > 59 || s > 60)
        return false;
    if (t.n > 8) {
        if (t.p[8] != '.' || t.n > 12 || t.n == 9)
            return false;
        unsigned f;
        if (!sbs_digits(t.p + 9, t.n - 9, &f))
            return false;
        for (size_t k = t.n - 9; k < 3; k++)
            f *= 10;
        frac = f;
    }
    int64_t days = sbs_days(y, mo, da);
    *ms = ((days * 24 + h) * 60 + mi) * 60000 + (int64_t)s * 1000 + frac;
    return true;
}

/* Decimal number with optional sign and fraction ("-12.5", "418"). At most
 * 15 significant digits; no exponent. */
static bool sbs_number(struct sbs_field f, double *v)
{
    size_t i = 0;
    bool neg = false;
    if (i < f.n && (f.p[i] == '-' || f.p[i] == '+'))
        neg = f.p[i++] == '-';
    uint64_t mant = 0;
    int digits = 0, scale = 0;
    bool dot = false, any = false;
    for (; i < f.n; i++) {
        char c = f.p[i];
        if (c == '.' && !dot) {
            dot = true;
            continue;
        }
        if (c < '0' || c > '9')
            return false;
        any = true;
        if (dot) {
            // Fraction digits beyond 15 (or beyond 15 significant) are
            // dropped: they are below double precision here anyway.
            if (scale < 15 && digits < 15) {
                mant = mant * 10 + (uint64_t)(c - '0');
                scale++;
                if (mant)
                    digits++;
            }
        } else {
            if (digits >= 15)
                return false; // integer part too long
            mant = mant * 10 + (uint64_t)(c - '0');
            if (mant)
                digits++;
        }
    }
    if (!any)
        return false;
    double x = (double)mant;
    static const double p10[] = {1,   1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    x /= p10[scale];
    *v = neg ? -x : x;
    return true;
}

static bool sbs_int(struct sbs_field f, int32_t *v)
{
    double d;
    if (!sbs_number(f, &d) || d > 2e9 || d < -2e9)
        return false;
    *v = (int32_t)(d < 0 ? d - 0.5 : d + 0.5);
    return true;
}

static bool sbs_flag(struct sbs_field f, bool *v)
{
    if (f.n == 1 && f.p[0] == '0') {
        *v = false;
        return true;
    }
    if ((f.n == 1 && f.p[0] == '1') || (f.n == 2 && f.p[0] == '-' && f.p[1] == '1')) {
        *v = true;
        return true;
    }
    return false;
}

static const struct {
    const char *name;
    uint8_t type;
} sbs_types[] = {{"MSG", ORBAT_SBS_MSG}, {"SEL", ORBAT_SBS_SEL}, {"ID", ORBAT_SBS_ID},
                 {"AIR", ORBAT_SBS_AIR}, {"STA", ORBAT_SBS_STA}, {"CLK", ORBAT_SBS_CLK}};

int orbat_sbs_parse(const char *line, size_t len, struct orbat_sbs *out)
{
    memset(out, 0, sizeof *out);
    if (len > SBS_MAX_LINE)
        return ORBAT_E_TOOLONG;
    while (len && (line[len - 1] == '\r' || line[len - 1] == ' '))
        len--;
    struct sbs_field f[SBS_FIELDS];
    size_t nf = 0, start = 0;
    for (size_t i = 0; i <= len && nf < SBS_FIELDS; i++) {
        if (i == len || line[i] == ',') {
            f[nf].p = line + start;
            f[nf].n = i - start;
            nf++;
            start = i + 1;
        }
    }
    for (size_t k = nf; k < SBS_FIELDS; k++) {
        f[k].p = line + len;
        f[k].n = 0;
    }
    for (size_t k = 0; k < sizeof sbs_types / sizeof sbs_types[0]; k++) {
        size_t n = strlen(sbs_types[k].name);
        if (f[0].n == n && !memcmp(f[0].p, sbs_types[k].name, n))
            out->type = sbs_types[k].type;
    }
    if (!out->type)
        return ORBAT_E_SYNTAX;
    if (out->type == ORBAT_SBS_MSG) {
        unsigned tt;
        if (nf < 11 || f[1].n != 1 || !sbs_digits(f[1].p, 1, &tt) || tt < 1 || tt > 8)
            return ORBAT_E_SYNTAX;
        out->tt = (uint8_t)tt;
    }
    // Field 5: hex ident; dump1090 marks non-ICAO addresses with '~'.
    struct sbs_field hx = f[4];
    if (hx.n && hx.p[0] == '~') {
        out->icao_nonicao = true;
        hx.p++;
        hx.n--;
    }
    if (hx.n) {
        uint32_t a = 0;
        if (hx.n > 6)
            return ORBAT_E_SYNTAX;
        for (size_t i = 0; i < hx.n; i++) {
            char c = hx.p[i];
            int d = c >= '0' && c <= '9'   ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                           : -1;
            if (d < 0)
                return ORBAT_E_SYNTAX;
            a = a << 4 | (uint32_t)d;
        }
        out->icao = a;
        out->has |= ORBAT_SBS_ICAO;
    } else if (out->type == ORBAT_SBS_MSG) {
        return ORBAT_E_SYNTAX;
    }
    if (sbs_time(f[6], f[7], &out->t_gen_ms))
        out->has |= ORBAT_SBS_TIME_GEN;
    if (sbs_time(f[8], f[9], &out->t_log_ms))
        out->has |= ORBAT_SBS_TIME_LOG;
    // Field 11: callsign, up to 8 characters, trailing blanks trimmed.
    struct sbs_field cs = f[10];
    while (cs.n && cs.p[cs.n - 1] == ' ')
        cs.n--;
    if (cs.n) {
        if (cs.n > 8)
            return ORBAT_E_SYNTAX;
        for (size_t i = 0; i < cs.n; i++) {
            unsigned char c = (unsigned char)cs.p[i];
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\')
                return ORBAT_E_SYNTAX;
        }
        memcpy(out->callsign, cs.p, cs.n);
        out->callsign[cs.n] = 0;
        out->has |= ORBAT_SBS_CALLSIGN;
    }
    if (f[11].n) {
        if (!sbs_int(f[11], &out->alt_ft))
            return ORBAT_E_SYNTAX;
        out->has |= ORBAT_SBS_ALT;
    }
    if (f[12].n) {
        if (!sbs_number(f[12], &out->gs_kt) || out->gs_kt < 0 || out->gs_kt > 5000)
            return ORBAT_E_RANGE;
        out->has |= ORBAT_SBS_GS;
    }
    if (f[13].n) {
        if (!sbs_number(f[13], &out->track_deg) || out->track_deg < -360 || out->track_deg > 360)
            return ORBAT_E_RANGE;
        out->has |= ORBAT_SBS_TRACK;
    }
    if (f[14].n || f[15].n) {
        if (!sbs_number(f[14], &out->lat) || !sbs_number(f[15], &out->lon))
            return ORBAT_E_SYNTAX;
        if (out->lat < -90 || out->lat > 90 || out->lon < -180 || out->lon > 180)
            return ORBAT_E_RANGE;
        out->has |= ORBAT_SBS_POS;
    }
    if (f[16].n) {
        if (!sbs_int(f[16], &out->vr_fpm))
            return ORBAT_E_SYNTAX;
        out->has |= ORBAT_SBS_VR;
    }
    if (f[17].n) {
        // Four octal digits, kept as their decimal spelling (7700).
        unsigned sq;
        if (f[17].n != 4 || !sbs_digits(f[17].p, 4, &sq))
            return ORBAT_E_SYNTAX;
        for (int i = 0; i < 4; i++)
            if (f[17].p[i] > '7')
                return ORBAT_E_SYNTAX;
        out->squawk = (uint16_t)sq;
        out->has |= ORBAT_SBS_SQUAWK;
    }
    static const uint32_t flag_bits[4] = {ORBAT_SBS_ALERT, ORBAT_SBS_EMERGENCY, ORBAT_SBS_SPI,
                                          ORBAT_SBS_GROUND};
    bool *flags[4] = {&out->alert, &out->emergency, &out->spi, &out->ground};
    for (int k = 0; k < 4; k++) {
        if (!f[18 + k].n)
            continue;
        if (!sbs_flag(f[18 + k], flags[k]))
            return ORBAT_E_SYNTAX;
        out->has |= flag_bits[k];
    }
    return ORBAT_OK;
}
