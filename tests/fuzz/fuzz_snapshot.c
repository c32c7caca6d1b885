/* SPDX-License-Identifier: BSD-2-Clause
 *
 * fuzz_snapshot.c - libFuzzer target for the archived readsb snapshot
 * reader (aircraft.json / v2 API, src/archive/snapshot.c). Every aircraft
 * handed to the callback must hold values inside their documented bounds,
 * and its compact JSON text must parse back.
 */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "archive/snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fz {
    const struct snapshot_doc *doc;
    uint32_t calls, last_index;
};

static void nul_in(const char *s, size_t cap)
{
    if (!memchr(s, 0, cap))
        abort();
}

static int cb(void *ctx, const struct snapshot_ac *a)
{
    struct fz *z = ctx;
    if (z->calls && a->index <= z->last_index)
        abort();
    z->last_index = a->index;
    z->calls++;
    if (a->hex > 0xffffff || (a->ground && a->has_alt_baro))
        abort();
    if (a->has_pos &&
        (!(fabs(a->lat) <= 90) || !(fabs(a->lon) <= 180) || a->t_ms > z->doc->now_ms ||
         a->t_ms < z->doc->now_ms - (int64_t)(SNAPSHOT_MAX_AGE_S * 1000)))
        abort();
    if (a->pos_stale && !a->has_pos)
        abort();
    if (a->has_seen && a->t_seen_ms > z->doc->now_ms)
        abort();
    if ((a->has_gs && !(a->gs_kt >= 0)) || (a->has_track && !(a->track_deg <= 360)))
        abort();
    if (a->category && (a->category < 0xA0 || a->category > 0xD7))
        abort();
    if (a->has_squawk && a->squawk > 7777)
        abort();
    nul_in(a->type, sizeof(a->type));
    nul_in(a->flight, sizeof(a->flight));
    nul_in(a->r, sizeof(a->r));
    nul_in(a->t, sizeof(a->t));
    nul_in(a->desc, sizeof(a->desc));
    nul_in(a->ownop, sizeof(a->ownop));
    if (!a->json || strlen(a->json) != a->json_len)
        abort();
    json_t *back = json_loads(a->json, 0, NULL);
    if (!json_is_object(back))
        abort();
    json_decref(back);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct snapshot_doc doc;
    struct fz z = {&doc, 0, 0};
    int rc = snapshot_parse((const char *)data, size, SNAPSHOT_WANT_JSON, &doc, cb, &z);
    if (rc == ORBAT_OK) {
        if (doc.layout == SNAPSHOT_UNKNOWN || z.calls != doc.n_done ||
            doc.n_done + doc.n_bad != doc.n_ac || doc.now_ms < 0 || doc.now_ms > 7258118400000LL)
            abort();
    } else if (rc != ORBAT_E_FORMAT && rc != ORBAT_E_RANGE && rc != ORBAT_E_TOOLONG &&
               rc != ORBAT_E_NOMEM) {
        abort();
    } else if (z.calls) {
        abort();
    }
    return 0;
}
