/* SPDX-License-Identifier: BSD-2-Clause
 *
 * fuzz_readsb.c - libFuzzer target for the JSON feed parser: readsb /
 * tar1090 aircraft.json and readsb v2 documents -> SBS lines
 * (readsb_to_sbs). Every line written must parse with orbat's own SBS
 * decoder, with the position in range.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/readsb.h"
#include "orbat/modes_frame.h"
#include "orbat/orbat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return 0;
    struct readsb_stats st = {0};
    int n = readsb_to_sbs((const char *)data, size, 1761000000000LL, f, &st);
    fclose(f);
    if (n < -1 || (n >= 0 && (uint64_t)n != st.lines))
        abort();
    int lines = 0;
    for (char *p = buf, *nl; p && *p; p = nl + 1) {
        nl = strchr(p, '\n');
        if (!nl)
            abort(); /* every line is complete */
        struct orbat_sbs r;
        if (orbat_sbs_parse(p, (size_t)(nl - p), &r) != ORBAT_OK || !(r.has & ORBAT_SBS_POS) ||
            fabs(r.lat) > 90 || fabs(r.lon) > 180)
            abort();
        lines++;
    }
    if (n >= 0 && lines != n)
        abort();
    free(buf);
    return 0;
}
