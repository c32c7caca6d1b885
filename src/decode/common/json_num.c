/* SPDX-License-Identifier: BSD-2-Clause
 *
 * json_num.c - the slow path of json_num_parse (json_num.h): numbers with
 * more than 19 significant digits, a significand above 2^53 or a decimal
 * exponent outside [-22, 22]. The token is rewritten as "<digits>e<exp>"
 * (no decimal point, so strtod's LC_NUMERIC cannot matter), keeping at
 * most JSON_NUM_MAX_DIGITS significant digits and a sticky '1' when a
 * non-zero digit was dropped, and read with strtod, which rounds
 * correctly.
 */
#include "decode/common/json_num.h"

#include <errno.h>
#include <stdlib.h>

double json_num_slow(const char *start, const char *stop)
{
    char buf[JSON_NUM_MAX_DIGITS + 32];
    const char *p = start;
    int neg = 0;
    if (p < stop && *p == '-') {
        neg = 1;
        p++;
    }
    size_t n = 0;
    long q = 0;     // decimal exponent of the digits in buf
    int sticky = 0; // a non-zero digit was dropped
    int frac = 0;
    for (; p < stop; p++) {
        char c = *p;
        if (c == '.') {
            frac = 1;
            continue;
        }
        if (c < '0' || c > '9')
            break;
        if (n == 0 && c == '0') {
            if (frac)
                q--;
            continue;
        }
        if (n < JSON_NUM_MAX_DIGITS) {
            buf[n++] = c;
            if (frac)
                q--;
        } else {
            if (!frac)
                q++;
            if (c != '0')
                sticky = 1;
        }
    }
    if (n == 0)
        return neg ? -0.0 : 0.0;
    if (sticky) {
        buf[n++] = '1';
        q--;
    }
    if (p < stop && (*p == 'e' || *p == 'E')) {
        p++;
        int eneg = 0;
        if (p < stop && (*p == '+' || *p == '-'))
            eneg = *p++ == '-';
        long e = 0;
        for (; p < stop && *p >= '0' && *p <= '9'; p++)
            if (e < 100000)
                e = e * 10 + (*p - '0');
        q += eneg ? -e : e;
    }
    // Clamp: anything past these overflows or underflows whatever the digits.
    if (q > 100000)
        q = 100000;
    if (q < -100000)
        q = -100000;
    buf[n++] = 'e';
    if (q < 0) {
        buf[n++] = '-';
        q = -q;
    }
    char tmp[8];
    int k = 0;
    do {
        tmp[k++] = (char)('0' + q % 10);
        q /= 10;
    } while (q);
    while (k)
        buf[n++] = tmp[--k];
    buf[n] = '\0';
    int saved = errno; // ERANGE is not news to the caller: the value says it
    double v = strtod(buf, NULL);
    errno = saved;
    return neg ? -v : v;
}
