/* SPDX-License-Identifier: BSD-2-Clause
 *
 * fuzz_aiscsv.c - libFuzzer target for the AIS archive CSV reader: the
 * first line of the input is the header (orbat_aiscsv_header), every
 * further line a row (orbat_aiscsv_row). Each line is copied into a heap
 * buffer of exactly its length, so a read past len is caught by ASan.
 * A row that parses must hold values inside their documented domains.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "orbat/aiscsv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(const char *s, size_t cap)
{
    if (!memchr(s, 0, cap))
        abort();
}

static void check_row(const struct orbat_aiscsv_row *r)
{
    if (r->mmsi == 0 || r->mmsi > 999999999 || r->t_ms < 0)
        abort();
    if (r->has_pos && (!(fabs(r->lat) <= 90) || !(fabs(r->lon) <= 180)))
        abort();
    if (r->has_sog && !(r->sog_kn >= 0 && r->sog_kn < 102.3))
        abort();
    if (r->has_cog && !(r->cog_deg >= 0 && r->cog_deg < 360))
        abort();
    if (r->has_hdg && !(r->hdg_deg >= 0 && r->hdg_deg < 360))
        abort();
    if (r->nav_status < -1 || r->nav_status > 15 || r->ship_type < -1 || r->ship_type > 1999 ||
        r->kind > ORBAT_AISCSV_KIND_OTHER || r->imo > 0x3fffffff)
        abort();
    check_text(r->name, sizeof(r->name));
    check_text(r->callsign, sizeof(r->callsign));
    check_text(r->destination, sizeof(r->destination));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;
    struct orbat_aiscsv c;
    bool have = false;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
        char *line = malloc(len ? len : 1);
        if (!line)
            return 0;
        memcpy(line, p, len);
        if (!have) {
            if (orbat_aiscsv_header(&c, line, len) != ORBAT_OK) {
                free(line);
                return 0;
            }
            if (c.need == 0 || c.need > c.ncol || c.ncol > ORBAT_AISCSV_MAX_COLS)
                abort();
            have = true;
        } else {
            struct orbat_aiscsv_row r;
            int rc = orbat_aiscsv_row(&c, line, len, &r);
            if (rc == ORBAT_OK)
                check_row(&r);
            else if (rc != ORBAT_E_FORMAT && rc != ORBAT_E_RANGE)
                abort();
            // The MMSI/position reader agrees with the row parser whenever
            // the whole row is good.
            uint32_t mmsi;
            bool has;
            double la, lo;
            int prc = orbat_aiscsv_pos(&c, line, len, &mmsi, &has, &la, &lo);
            if (rc == ORBAT_OK && (prc != ORBAT_OK || mmsi != r.mmsi || has != r.has_pos ||
                                   (has && (la != r.lat || lo != r.lon))))
                abort();
        }
        free(line);
        p += len;
    }
    return 0;
}
