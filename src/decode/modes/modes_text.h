/* SPDX-License-Identifier: BSD-2-Clause
 *
 * modes_text.h - internal: 6-bit ICAO charset strings of any length (BDS
 * 2,1 registration uses 7 characters). See modes_text.c.
 */
#ifndef ORBAT_DECODE_MODES_MODES_TEXT_H
#define ORBAT_DECODE_MODES_MODES_TEXT_H

#include <stdbool.h>
#include <stdint.h>

/* Characters from the 6-bit groups of `field` (right-aligned, nchars * 6
 * bits, nchars <= 10). out must hold nchars + 1 bytes; trailing spaces are
 * stripped. Returns false when a code maps to no character ('#'). */
bool modes_text_decode(uint64_t field, unsigned nchars, char *out);

#endif /* ORBAT_DECODE_MODES_MODES_TEXT_H */
