/* SPDX-License-Identifier: BSD-2-Clause
 *
 * adsb.h - internal: decoding of the 56-bit ME field of DF17/18 extended
 * squitters (DO-260B 2.2.3.2). Called by modes.c only.
 */
#ifndef ORBAT_DECODE_MODES_ADSB_H
#define ORBAT_DECODE_MODES_ADSB_H

#include "orbat/modes.h"

/* Decode m->raw[4..10] (the ME field) into m. m->df, m->cf and m->len are
 * set. decode_payload false: only tc/st (no field decode). */
void adsb_decode_me(struct orbat_modes_msg *m, const struct orbat_modes_opts *o,
                    bool decode_payload);

/* The 56 bits at frame bits 33-88 as an integer (ME or MB field). */
static inline uint64_t adsb_load56(const uint8_t *p)
{
    return (uint64_t)p[0] << 48 | (uint64_t)p[1] << 40 | (uint64_t)p[2] << 32 |
           (uint64_t)p[3] << 24 | (uint64_t)p[4] << 16 | (uint64_t)p[5] << 8 | p[6];
}

/* Bits first..last (1-based within the 56-bit field, inclusive). */
static inline uint64_t adsb_bits(uint64_t f, unsigned first, unsigned last)
{
    return (f >> (56 - last)) & ((1ull << (last - first + 1)) - 1);
}

#endif /* ORBAT_DECODE_MODES_ADSB_H */
