/* SPDX-License-Identifier: BSD-2-Clause
 *
 * fuzz_gfw.c - libFuzzer target for the Global Fishing Watch API v3 reader
 * (src/archive/gfw.c): any bytes -> gfw_parse, gfw_looks_like and
 * gfw_time_parse. Every event delivered must hold its invariants: an id
 * and a type, times within 1970..2200 and end >= start, a position in
 * range or NaN, MMSIs of at most 9 digits, and provenance JSON that parses
 * back. Seeds: tests/fuzz/corpus/gfw (SOURCES.md there).
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "archive/gfw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void str_ok(const char *s, size_t size)
{
    if (!memchr(s, '\0', size))
        abort();
}

static int on_event(void *ctx, const struct gfw_event *e)
{
    (void)ctx;
    str_ok(e->id, sizeof e->id);
    str_ok(e->type, sizeof e->type);
    str_ok(e->name, sizeof e->name);
    str_ok(e->flag, sizeof e->flag);
    str_ok(e->other_name, sizeof e->other_name);
    str_ok(e->detail, sizeof e->detail);
    if (!e->id[0] || !e->type[0])
        abort();
    if (e->t_start_ms < 0 || e->t_end_ms < e->t_start_ms || e->t_end_ms > 7258118400000LL)
        abort();
    if (isnan(e->lat) != isnan(e->lon))
        abort();
    if (!isnan(e->lat) && (fabs(e->lat) > 90 || fabs(e->lon) > 180))
        abort();
    if (e->mmsi > 999999999u || e->other_mmsi > 999999999u)
        abort();
    json_t *j = json_loadb(e->json, e->json_len, 0, NULL);
    if (!json_is_object(j))
        abort();
    json_decref(j);
    return 0;
}

static int on_vessel(void *ctx, const struct gfw_vessel *v)
{
    (void)ctx;
    str_ok(v->name, sizeof v->name);
    str_ok(v->callsign, sizeof v->callsign);
    if (v->mmsi > 999999999u)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    (void)gfw_looks_like((const char *)data, size);
    struct gfw_parse_result r;
    int rc = gfw_parse((const char *)data, size, on_event, on_vessel, NULL, &r);
    if (rc != ORBAT_OK && rc != ORBAT_E_FORMAT && rc != ORBAT_E_RANGE && rc != ORBAT_E_TOOLONG &&
        rc != ORBAT_E_NOMEM)
        abort();
    if (rc != ORBAT_OK && !r.err[0])
        abort(); /* a failure always says why */
    char t[64];
    size_t n = size < sizeof t - 1 ? size : sizeof t - 1;
    memcpy(t, data, n);
    t[n] = '\0';
    int64_t ms;
    rc = gfw_time_parse(t, &ms);
    if (rc == ORBAT_OK && (ms < 0 || ms > 7258118400000LL))
        abort();
    return 0;
}
