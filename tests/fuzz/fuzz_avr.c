/* SPDX-License-Identifier: BSD-2-Clause
 *
 * fuzz_avr.c - libFuzzer target for AVR hex line parsing: every line of
 * the input goes through orbat_avr_parse; a parsed frame must have a legal
 * kind and length.
 */
#include "orbat/modes_frame.h"
#include "orbat/orbat.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        struct orbat_modes_frame f;
        int rc = orbat_avr_parse(p, len, &f);
        if (rc == ORBAT_OK) {
            if (!((f.kind == ORBAT_FRAME_MODEAC && f.len == 2) ||
                  (f.kind == ORBAT_FRAME_SHORT && f.len == 7) ||
                  (f.kind == ORBAT_FRAME_LONG && f.len == 14)))
                abort();
            if (f.ts_12mhz >> 48)
                abort();
        } else if (rc != ORBAT_E_SYNTAX && rc != ORBAT_E_BITCOUNT && rc != ORBAT_E_FRAME) {
            abort();
        }
        p += len + (nl != NULL);
    }
    return 0;
}
