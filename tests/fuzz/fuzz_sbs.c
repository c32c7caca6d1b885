/* SPDX-License-Identifier: BSD-2-Clause
 *
 * fuzz_sbs.c - libFuzzer target for SBS-1 BaseStation CSV parsing: every
 * line goes through orbat_sbs_parse; accepted records must respect the
 * documented ranges and a NUL-terminated callsign.
 */
#include "orbat/modes_frame.h"
#include "orbat/orbat.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        struct orbat_sbs r;
        int rc = orbat_sbs_parse(p, len, &r);
        if (rc == ORBAT_OK) {
            if (r.type < ORBAT_SBS_MSG || r.type > ORBAT_SBS_CLK || r.tt > 8)
                abort();
            if ((r.has & ORBAT_SBS_POS) &&
                (!isfinite(r.lat) || fabs(r.lat) > 90 || !isfinite(r.lon) || fabs(r.lon) > 180))
                abort();
            if (strlen(r.callsign) > 8 || r.icao > 0xffffff)
                abort();
            if ((r.has & ORBAT_SBS_SQUAWK) && r.squawk > 7777)
                abort();
        }
        p += len + (nl != NULL);
    }
    return 0;
}
