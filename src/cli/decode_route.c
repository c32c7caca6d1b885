/* SPDX-License-Identifier: BSD-2-Clause
 *
 * decode_route.c - per-line framing of mixed text input; see decode_route.h.
 * Lines are classified by src/core/detect.c's detect_line (the rule the
 * pipeline uses for ingest and track), consecutive lines of one framing are
 * handed over in one call.
 */
#include "cli/decode_route.h"

#include <stdbool.h>
#include <string.h>

#include "core/detect.h"

void decode_route_init(struct decode_route *r, enum decode_input dflt)
{
    memset(r, 0, sizeof *r);
    r->dflt = dflt;
    r->cur = DIN_AUTO;
}

static enum decode_input classify(const struct decode_route *r, const uint8_t *l, size_t avail,
                                  bool complete)
{
    return (enum decode_input)detect_line(l, avail, complete, (enum pipeline_input)r->dflt);
}

void decode_route_feed(struct decode_route *r, const uint8_t *p, size_t n, decode_route_cb cb,
                       void *ctx)
{
    size_t i = 0;
    if (r->nhead) { // a line start held back: decide it with the new bytes
        uint8_t tmp[sizeof r->head];
        memcpy(tmp, r->head, r->nhead);
        size_t m = r->nhead;
        bool complete = false;
        while (m < sizeof tmp && i < n && !complete) {
            complete = p[i] == '\n';
            if (!complete)
                tmp[m++] = p[i];
            i++;
        }
        enum decode_input k = classify(r, tmp, m, complete);
        if (k == DIN_AUTO) { // still undecided: the chunk was tiny
            memcpy(r->head, tmp, m);
            r->nhead = m;
            return;
        }
        cb(ctx, k, r->head, r->nhead);
        r->nhead = 0;
        r->cur = k;
        i = 0; // the new bytes follow the held-back head
    }
    size_t run = i;
    enum decode_input rk = r->cur;
    while (i < n) {
        if (r->cur == DIN_AUTO) { // at a line start
            const uint8_t *nl = memchr(p + i, '\n', n - i < 4 ? n - i : 4);
            size_t avail = nl ? (size_t)(nl - (p + i)) : (n - i < 4 ? n - i : 4);
            enum decode_input k = classify(r, p + i, avail, nl != NULL);
            if (k == DIN_AUTO) { // fewer than 4 bytes left: hold them back
                if (i > run)
                    cb(ctx, rk, p + run, i - run);
                memcpy(r->head, p + i, n - i);
                r->nhead = n - i;
                return;
            }
            if (k != rk && i > run) {
                cb(ctx, rk, p + run, i - run);
                run = i;
            }
            if (i == run)
                rk = k;
            r->cur = k;
        }
        const uint8_t *nl = memchr(p + i, '\n', n - i);
        if (!nl)
            break;
        i = (size_t)(nl - p) + 1;
        r->cur = DIN_AUTO;
    }
    if (n > run)
        cb(ctx, rk, p + run, n - run);
}

void decode_route_finish(struct decode_route *r, decode_route_cb cb, void *ctx)
{
    if (r->nhead) {
        enum decode_input k = classify(r, r->head, r->nhead, true);
        cb(ctx, k, r->head, r->nhead);
    }
    r->nhead = 0;
    r->cur = DIN_AUTO;
}
