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
#include <string.h>

#include "orbat/orbat.h"

#define JSON_NUM_MAX_DIGITS 800

/* The slow path: the number token is [start, stop) and already known to
 * match the JSON grammar. Writes the correctly rounded value to *out. */
double json_num_slow(const char *start, const char *stop);

/* The run of decimal digits at p (at most 8): returns how many, their value
 * in *val. Eight bytes at a time (SWAR, as fast_float's
 * parse_eight_digits_unrolled) when p + 8 <= end on a little-endian
 * machine, else one byte at a time. */
static inline unsigned json_num_digits8(const char *p, const char *end, uint64_t *val)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (end - p >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        // high bit of each byte that is not '0'..'9'; carries and borrows
        // only run upwards, so the lowest flagged byte is exact
        uint64_t t =
            ((w + 0x4646464646464646ull) | (w - 0x3030303030303030ull)) & 0x8080808080808080ull;
        unsigned n = t ? (unsigned)__builtin_ctzll(t) >> 3 : 8;
        if (n == 0) {
            *val = 0;
            return 0;
        }
        uint64_t d = w - 0x3030303030303030ull;
        if (n < 8)
            d = (d & ((1ull << (8 * n)) - 1)) << (8 * (8 - n)); // leading zeros
        d = d * 10 + (d >> 8);
        d = (((d & 0x000000FF000000FFull) * (100 + (1000000ull << 32))) +
             (((d >> 16) & 0x000000FF000000FFull) * (1 + (10000ull << 32)))) >>
            32;
        *val = d;
        return n;
    }
#endif
    unsigned n = 0;
    uint64_t v = 0;
    while (n < 8 && p + n < end && (unsigned)((unsigned char)p[n] - '0') <= 9) {
        v = v * 10 + (unsigned)((unsigned char)p[n] - '0');
        n++;
    }
    *val = v;
    return n;
}

/* Read one JSON number at *pp (which must be < end). On ORBAT_OK *out holds
 * the value and *pp points just past the token. ORBAT_E_FORMAT when the
 * text there is not a JSON number; ORBAT_E_TRUNCATED when the buffer ends
 * inside it or right after it (a number is never the last byte of a JSON
 * object document, and the number might go on). */
#if defined(__GNUC__) || defined(__clang__)
#define JSON_NUM_INLINE __attribute__((always_inline)) static inline
#else
#define JSON_NUM_INLINE static inline
#endif
/* Inlined at every call: measured faster (bench_trace) than one shared
 * out-of-line copy, which spilled its state to the stack. */
JSON_NUM_INLINE int json_num_parse(const char **pp, const char *end, double *out)
{
    // Exact powers of ten: every 10^k for k <= 22 is a double.
    static const double json_pow10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                          1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                          1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    static const uint64_t json_pow10u[9] = {1,      10,      100,      1000,     10000,
                                            100000, 1000000, 10000000, 100000000};
    const char *p = *pp, *start = p;
    int neg = 0, slow = 0;
    if (*p == '-') {
        neg = 1;
        if (++p == end)
            return ORBAT_E_TRUNCATED;
    }
    uint64_t w = 0, v;
    unsigned nd = 0, n; // digits in w (leading zeros included: w < 10^19)
    int q = 0;          // decimal exponent of w
    if (*p == '0') {
        p++;
    } else {
        if ((unsigned)((unsigned char)*p - '1') > 8)
            return ORBAT_E_FORMAT;
        do {
            n = json_num_digits8(p, end, &v);
            if (nd + n <= 19) {
                w = w * json_pow10u[n] + v;
                nd += n;
            } else {
                slow = 1; // json_num_slow reads the token again
            }
            p += n;
        } while (n == 8);
    }
    if (p == end)
        return ORBAT_E_TRUNCATED;
    if (*p == '.') {
        if (++p == end)
            return ORBAT_E_TRUNCATED;
        if ((unsigned)((unsigned char)*p - '0') > 9)
            return ORBAT_E_FORMAT;
        do {
            n = json_num_digits8(p, end, &v);
            if (nd + n <= 19) {
                w = w * json_pow10u[n] + v;
                nd += n;
                q -= (int)n;
            } else {
                slow = 1;
            }
            p += n;
        } while (n == 8);
        if (p == end)
            return ORBAT_E_TRUNCATED;
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
        unsigned c;
        while ((c = (unsigned)((unsigned char)*p - '0')) <= 9) {
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
        double d = (double)w;
        d = q >= 0 ? d * json_pow10[q] : d / json_pow10[-q];
        *out = neg ? -d : d;
        return ORBAT_OK;
    }
    if (w == 0 && !slow) {
        *out = neg ? -0.0 : 0.0;
        return ORBAT_OK;
    }
#else
    (void)json_pow10;
    (void)slow;
#endif
    *out = json_num_slow(start, p);
    return ORBAT_OK;
}

#endif /* ORBAT_DECODE_COMMON_JSON_NUM_H */
