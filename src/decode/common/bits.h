/* SPDX-License-Identifier: BSD-2-Clause
 *
 * bits.h - big-endian bit readers for decoders. Bits are numbered as the
 * specs number them: the first bit (MSB of the first byte) is bit 1.
 * ITU-R M.1371 tables count from bit 0; callers pass 1-based positions
 * (ITU start + 1) or use the 0-based helpers below.
 */
#ifndef ORBAT_DECODE_COMMON_BITS_H
#define ORBAT_DECODE_COMMON_BITS_H

#include <stdint.h>
#include <stddef.h>

/* Unsigned bits [first, last] (1-based, inclusive), at most 57 bits wide.
 * The caller guarantees the buffer holds bit `last`. */
static inline uint64_t bits_get(const uint8_t *d, unsigned first, unsigned last)
{
    uint64_t v = 0;
    unsigned fb = first - 1, lb = last - 1;
    for (unsigned b = fb >> 3; b <= (lb >> 3); b++)
        v = (v << 8) | d[b];
    unsigned tail = 7 - (lb & 7);
    v >>= tail;
    unsigned width = last - first + 1;
    if (width < 64)
        v &= ((uint64_t)1 << width) - 1;
    return v;
}

/* Signed two's-complement bits [first, last] (1-based). */
static inline int64_t bits_get_signed(const uint8_t *d, unsigned first, unsigned last)
{
    unsigned width = last - first + 1;
    uint64_t v = bits_get(d, first, last);
    if (width < 64 && (v >> (width - 1)) & 1)
        v |= ~(uint64_t)0 << width;
    return (int64_t)v;
}

/* 0-based start + width form, as ITU-R M.1371 tables are written. */
static inline uint64_t bits_u(const uint8_t *d, unsigned start, unsigned width)
{
    return bits_get(d, start + 1, start + width);
}

static inline int64_t bits_s(const uint8_t *d, unsigned start, unsigned width)
{
    return bits_get_signed(d, start + 1, start + width);
}

#endif /* ORBAT_DECODE_COMMON_BITS_H */
