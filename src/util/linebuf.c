/* SPDX-License-Identifier: BSD-2-Clause
 *
 * linebuf.c - capped line splitter; see linebuf.h.
 */
#include "util/linebuf.h"

#include <string.h>

void linebuf_init(struct linebuf *lb)
{
    lb->len = 0;
    lb->overflow = false;
    lb->toolong = 0;
}

static void deliver(const char *line, size_t len, linebuf_cb cb, void *ctx)
{
    if (len && line[len - 1] == '\r')
        len--;
    cb(ctx, line, len);
}

void linebuf_feed(struct linebuf *lb, const char *p, size_t n, linebuf_cb cb, void *ctx)
{
    const char *end = p + n;
    // Finish a line carried over from the previous chunk.
    if (lb->len || lb->overflow) {
        const char *nl = memchr(p, '\n', n);
        size_t k = nl ? (size_t)(nl - p) : n;
        if (!lb->overflow && lb->len + k <= LINEBUF_CAP) {
            memcpy(lb->buf + lb->len, p, k);
            lb->len += k;
        } else {
            lb->overflow = true;
        }
        if (!nl)
            return;
        if (lb->overflow)
            lb->toolong++;
        else
            deliver(lb->buf, lb->len, cb, ctx);
        lb->len = 0;
        lb->overflow = false;
        p = nl + 1;
    }
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) {
            size_t k = (size_t)(end - p);
            if (k <= LINEBUF_CAP) {
                memcpy(lb->buf, p, k);
                lb->len = k;
            } else {
                lb->overflow = true;
            }
            return;
        }
        size_t k = (size_t)(nl - p);
        if (k <= LINEBUF_CAP)
            deliver(p, k, cb, ctx);
        else
            lb->toolong++;
        p = nl + 1;
    }
}

void linebuf_finish(struct linebuf *lb, linebuf_cb cb, void *ctx)
{
    if (lb->overflow)
        lb->toolong++;
    else if (lb->len)
        deliver(lb->buf, lb->len, cb, ctx);
    lb->len = 0;
    lb->overflow = false;
}
