/* SPDX-License-Identifier: BSD-2-Clause
 *
 * store_util.c - small helpers shared by store backends and their callers;
 * see store.h.
 */
#include "store/store.h"

#include <string.h>

void store_strlcpy(char *dst, const char *src, size_t size)
{
    if (!size)
        return;
    size_t n = src ? strlen(src) : 0;
    if (n >= size)
        n = size - 1;
    if (n)
        memcpy(dst, src, n);
    dst[n] = '\0';
}

uint64_t store_hash64(const void *p, size_t n)
{
    const unsigned char *b = p;
    uint64_t h = 0xcbf29ce484222325ULL; // FNV-1a 64 offset basis
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

struct src_count {
    uint64_t n, simulated;
};

static int src_count_cb(void *ctx, const struct store_source *src)
{
    struct src_count *c = ctx;
    c->n++;
    c->simulated += src->simulated;
    return 0;
}

int store_source_counts(struct store *s, uint64_t *sources, uint64_t *simulated)
{
    struct src_count c = {0, 0};
    int rc = store_sources(s, src_count_cb, &c);
    if (rc == ORBAT_OK) {
        *sources = c.n;
        *simulated = c.simulated;
    }
    return rc;
}

struct src_lic {
    char *buf;
    size_t size, used;
};

static int src_lic_cb(void *ctx, const struct store_source *src)
{
    struct src_lic *c = ctx;
    if (!src->licence[0])
        return 0;
    // Distinct lines, in first-seen order.
    size_t len = strlen(src->licence);
    for (const char *p = c->buf; *p;) {
        const char *nl = strchr(p, '\n');
        size_t l = nl ? (size_t)(nl - p) : strlen(p);
        if (l == len && !memcmp(p, src->licence, len))
            return 0;
        p += l + (nl ? 1 : 0);
    }
    if (c->used + len + 2 > c->size)
        return 0;
    memcpy(c->buf + c->used, src->licence, len);
    c->used += len;
    c->buf[c->used++] = '\n';
    c->buf[c->used] = '\0';
    return 0;
}

int store_source_licences(struct store *s, char *buf, size_t size)
{
    if (!size)
        return ORBAT_E_INVAL;
    buf[0] = '\0';
    struct src_lic c = {buf, size, 0};
    return store_sources(s, src_lic_cb, &c);
}
