/* SPDX-License-Identifier: BSD-2-Clause
 *
 * json_num.h - a fast JSON number reader (RFC 8259 §6 grammar) whose
 * results equal strtod's (round to nearest even) bit for bit.
 *
 * Fast path (Clinger 1990, "How to read floating point numbers
 * accurately"): when the decimal significand w has at most 19 digits and
 * w <= 2^53 and the decimal exponent q is within [-22, 22], both w and
 * 10^|q| are exact doubles and one IEEE multiplication or division gives
 * the correctly rounded result. Every number readsb writes in a trace
 * (%.2f, %f, %.3f, %.1f, %d) takes it. Anything else (long significands,
 * large exponents) goes to json_num_slow(), which rewrites the token as
 * "<digits>e<exp>" (no decimal point, so LC_NUMERIC cannot matter) with at
 * most JSON_NUM_MAX_DIGITS significant digits plus a sticky digit, and
 * calls strtod on it: 800 digits are more than the 767 that a decimal
 * halfway between two doubles can need, so the sticky digit keeps the
 * rounding exact.
 *
 * Pure: no globals, no allocation; reads only [p, end).
 */
#ifndef ORBAT_DECODE_COMMON_JSON_NUM_H
#define ORBAT_DECODE_COMMON_JSON_NUM_H

#include <float.h>
#include <stddef.h>
#include <stdint.h>

#include "orbat/orbat.h"

#define JSON_NUM_MAX_DIGITS 800

/* The slow path: the number token is [start, stop) and already known to
 * match the JSON grammar. Writes the correctly rounded value to *out. */
double json_num_slow(const char *start, const char *stop);

/* Read one JSON number at *pp (which must be < end). On ORBAT_OK *out holds
 * the value and *pp points just past the token. ORBAT_E_FORMAT when the
 * text there is not a JSON number; ORBAT_E_TRUNCATED when the buffer ends
 * inside it or right after it (a number is never the last byte of a JSON
 * object document, and the number might go on). */
static inline int json_num_parse(const char **pp, const char *end, double *out)
{
    // Exact powers of ten: every 10^k for k <= 22 is a double.
    static const double json_pow10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                          1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                          1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const char *p = *pp, *start = p;
    int neg = 0, slow = 0;
    if (*p == '-') {
        neg = 1;
        if (++p == end)
            return ORBAT_E_TRUNCATED;
    }
    uint64_t w = 0;
    int nd = 0; // significant digits in w
    int q = 0;  // decimal exponent of w
    unsigned c = (unsigned char)*p - '0';
    if (c > 9)
        return ORBAT_E_FORMAT;
    if (c == 0) {
        p++;
    } else {
        do {
            if (nd < 19) {
                w = w * 10 + c;
                nd++;
            } else {
                q++;
                slow = 1;
            }
            if (++p == end)
                return ORBAT_E_TRUNCATED;
        } while ((c = (unsigned char)*p - '0') <= 9);
    }
    if (p == end)
        return ORBAT_E_TRUNCATED;
    if (*p == '.') {
        if (++p == end)
            return ORBAT_E_TRUNCATED;
        if ((unsigned)((unsigned char)*p - '0') > 9)
            return ORBAT_E_FORMAT;
        while ((c = (unsigned char)*p - '0') <= 9) {
            if (nd < 19) {
                w = w * 10 + c;
                if (w)
                    nd++;
                q--;
            } else {
                slow = 1;
            }
            if (++p == end)
                return ORBAT_E_TRUNCATED;
        }
    }
    if (*p == 'e' || *p == 'E') {
        if (++p == end)
            return ORBAT_E_TRUNCATED;
        int eneg = 0;
        if (*p == '+' || *p == '-') {
            eneg = *p == '-';
            if (++p == end)
                return ORBAT_E_TRUNCATED;
        }
        if ((unsigned)((unsigned char)*p - '0') > 9)
            return ORBAT_E_FORMAT;
        int e = 0;
        while ((c = (unsigned char)*p - '0') <= 9) {
            if (e < 100000)
                e = e * 10 + (int)c;
            if (++p == end)
                return ORBAT_E_TRUNCATED;
        }
        q += eneg ? -e : e;
    }
    *pp = p;
#if FLT_EVAL_METHOD == 0
    if (!slow && w <= (1ull << 53) && q >= -22 && q <= 22) {
        double v = (double)w;
        v = q >= 0 ? v * json_pow10[q] : v / json_pow10[-q];
        *out = neg ? -v : v;
        return ORBAT_OK;
    }
    if (w == 0 && !slow) {
        *out = neg ? -0.0 : 0.0;
        return ORBAT_OK;
    }
#else
    (void)json_pow10;
    (void)slow;
    (void)nd;
#endif
    *out = json_num_slow(start, p);
    return ORBAT_OK;
}

#endif /* ORBAT_DECODE_COMMON_JSON_NUM_H */
