/* SPDX-License-Identifier: BSD-2-Clause
 *
 * rtime.c - UTC time parsing and formatting for reports; see rtime.h. The
 * calendar arithmetic is the well-known days-from-civil algorithm (era of
 * 400 years, March-based year), valid for any proleptic Gregorian date.
 */
#include "report/rtime.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t rtime_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* Read exactly n digits. */
static int digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return -1;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

static const unsigned char mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

int rtime_parse(const char *s, int64_t *ms)
{
    if (!s)
        return -1;
    if (!strcmp(s, "now")) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        *ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
        return 0;
    }
    if (s[0] == '@') {
        char *end;
        errno = 0;
        long long v = strtoll(s + 1, &end, 10);
        if (end == s + 1 || *end || isspace((unsigned char)s[1]))
            return -1;
        // Saturated (ERANGE) values are out of range too: check before the
        // multiplication, which would overflow.
        if (errno == ERANGE || v < RTIME_MIN_MS / 1000 || v > RTIME_MAX_MS / 1000)
            return -2;
        *ms = (int64_t)v * 1000;
        return 0;
    }
    const char *p = s;
    int y, mo, d, h = 0, mi = 0, se = 0, frac = 0;
    if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' || digits(&p, 2, &d))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1])
        return -1;
    if (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
        return -1;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
            return -1;
        if (*p == ':') {
            p++;
            if (digits(&p, 2, &se))
                return -1;
            if (*p == '.') {
                p++;
                int scale = 100;
                if (!isdigit((unsigned char)*p))
                    return -1;
                while (isdigit((unsigned char)*p)) {
                    frac += (*p - '0') * scale;
                    scale /= 10;
                    p++;
                }
            }
        }
        if (h > 23 || mi > 59 || se > 60)
            return -1;
    }
    if (*p == 'Z' || *p == 'z')
        p++;
    else if (!strcmp(p, "+00:00"))
        p += 6;
    if (*p)
        return -1;
    // Four-digit years: days * 86400000 is far from overflowing.
    int64_t days = rtime_days_from_civil(y, (unsigned)mo, (unsigned)d);
    int64_t v = ((days * 24 + h) * 60 + mi) * 60000LL + se * 1000LL + frac;
    if (v < RTIME_MIN_MS || v > RTIME_MAX_MS)
        return -2;
    *ms = v;
    return 0;
}

int rtime_parse_duration(const char *s, int64_t *ms)
{
    if (!s || !*s)
        return -1;
    char *end;
    double v = strtod(s, &end);
    if (end == s || !(v > 0))
        return -1;
    double unit;
    switch (*end) {
    case '\0':
    case 'd':
        unit = 86400e3;
        break;
    case 'w':
        unit = 7 * 86400e3;
        break;
    case 'h':
        unit = 3600e3;
        break;
    case 'm':
        unit = 60e3;
        break;
    case 's':
        unit = 1e3;
        break;
    default:
        return -1;
    }
    if (*end && end[1])
        return -1;
    if (!(v * unit <= (double)RTIME_MAX_MS))
        return -1;
    *ms = (int64_t)(v * unit);
    return 0;
}

int64_t rtime_clamp(int64_t ms)
{
    return ms < RTIME_MIN_MS ? RTIME_MIN_MS : ms > RTIME_MAX_MS ? RTIME_MAX_MS : ms;
}

/* Floor division of MS into days and the milliseconds into that day, for any
 * int64_t (no negation, no multiplication that could overflow). */
static int64_t split_day(int64_t ms, int64_t *ms_of_day)
{
    int64_t days = ms / 86400000, rem = ms % 86400000;
    if (rem < 0) {
        days--;
        rem += 86400000;
    }
    if (ms_of_day)
        *ms_of_day = rem;
    return days;
}

void rtime_format(int64_t ms, char *buf, size_t size)
{
    int64_t rem;
    int64_t days = split_day(ms, &rem);
    rem /= 1000;
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(buf, size, "%04lld-%02u-%02uT%02d:%02d:%02dZ", (long long)y, m, d, (int)(rem / 3600),
             (int)(rem / 60 % 60), (int)(rem % 60));
}

void rtime_format_day(int64_t ms, char *buf, size_t size)
{
    int64_t days = split_day(ms, NULL);
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(buf, size, "%04lld-%02u-%02u", (long long)y, m, d);
}
