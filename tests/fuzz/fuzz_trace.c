/* SPDX-License-Identifier: BSD-2-Clause
 *
 * fuzz_trace.c - libFuzzer target for the readsb trace parser
 * (orbat_trace_parse, orbat_trace_peek_header). Checks, beside memory
 * safety: only the documented results; every delivered point lies inside
 * the input, in order, with lat/lon in range and NUL-terminated strings;
 * a callback that stops after k points gets ORBAT_OK and exactly k points;
 * a document that parses has a header that peek agrees with.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "orbat/trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fz {
    const char *buf;
    size_t len;
    uint32_t n, stop_after, next_index;
};

static int cb(void *ctx, const struct orbat_trace_point *p)
{
    struct fz *f = ctx;
    if (p->text < f->buf || p->text_len < 2 || p->text + p->text_len > f->buf + f->len ||
        p->text[0] != '[' || p->text[p->text_len - 1] != ']')
        abort();
    if (p->index < f->next_index)
        abort();
    f->next_index = p->index + 1;
    if (!(p->lat >= -90 && p->lat <= 90 && p->lon >= -180 && p->lon <= 180))
        abort();
    if (memchr(p->src_type, 0, sizeof p->src_type) == NULL ||
        memchr(p->flight, 0, sizeof p->flight) == NULL)
        abort();
    if (p->category && (p->category < 0xA0 || p->category > 0xD7))
        abort();
    if (p->has_squawk && p->squawk > 7777)
        abort();
    f->n++;
    return f->stop_after && f->n >= f->stop_after;
}

static int known(int r)
{
    return r == ORBAT_OK || r == ORBAT_E_FORMAT || r == ORBAT_E_TRUNCATED || r == ORBAT_E_TOOLONG;
}

static void check_hdr(const struct orbat_trace_hdr *h)
{
    if (!memchr(h->r, 0, sizeof h->r) || !memchr(h->t, 0, sizeof h->t) ||
        !memchr(h->desc, 0, sizeof h->desc) || !memchr(h->ownop, 0, sizeof h->ownop))
        abort();
    if (h->have_icao && h->icao > 0xFFFFFF)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    struct orbat_trace_hdr h, ph;
    uint32_t bad = 0;
    struct fz f = {.buf = buf, .len = size};
    int r = orbat_trace_parse(buf, size, &h, cb, &f, &bad);
    if (!known(r))
        abort();
    check_hdr(&h);
    uint32_t all = f.n;

    int pr = orbat_trace_peek_header(buf, size, &ph);
    if (!(pr == ORBAT_OK || pr == ORBAT_AGAIN || pr == ORBAT_E_FORMAT || pr == ORBAT_E_TOOLONG))
        abort();
    check_hdr(&ph);
    if (r == ORBAT_OK && pr != ORBAT_OK)
        abort(); // a whole document has a "trace" key
    if (r == ORBAT_E_TRUNCATED && pr == ORBAT_E_FORMAT)
        abort(); // a prefix of a good document is never "not a trace document"

    if (all > 0) {
        struct fz g = {.buf = buf, .len = size, .stop_after = 1 + all / 2};
        int r2 = orbat_trace_parse(buf, size, &h, cb, &g, NULL);
        if (r2 != ORBAT_OK || g.n != g.stop_after)
            abort();
    }
    return 0;
}
