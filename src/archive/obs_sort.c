/* SPDX-License-Identifier: BSD-2-Clause
 *
 * obs_sort.c - external merge sort of observations by (time, arrival);
 * see obs_sort.h.
 *
 * A record is a fixed header (time, sequence, raw length), the struct obs
 * with its pointers cleared, and the raw bytes, padded to 8. In memory the
 * records sit in one arena with an index of (time, sequence, offset) that
 * is sorted; a full arena is written out sorted as a run (tmpfile(3), gone
 * when closed), and the drain merges the runs with a binary heap.
 */
#include "archive/obs_sort.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUN_BUF (1u << 20)
#define MAX_RAW (1u << 16)

struct rec_hdr {
    int64_t t_ms;
    uint64_t seq;
    uint32_t raw_len;
    uint32_t size; /* whole record, a multiple of 8 */
};

struct idx {
    int64_t t_ms;
    uint64_t seq;
    size_t off;
};

struct run {
    FILE *f;
    char *buf; /* the current record */
    size_t cap;
    struct rec_hdr h;
    int live;
};

struct obs_sort {
    char *arena;
    size_t cap, used;
    struct idx *ix;
    size_t nix, capix;
    uint64_t seq;
    struct run *runs;
    size_t nruns, capruns;
    uint64_t spilled;
};

static size_t rec_size(size_t raw_len)
{
    return (sizeof(struct rec_hdr) + sizeof(struct obs) + raw_len + 7) & ~(size_t)7;
}

struct obs_sort *obs_sort_new(size_t cap_bytes)
{
    struct obs_sort *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->cap = cap_bytes < (1u << 20) ? (1u << 20) : cap_bytes;
    return s;
}

static int idx_cmp(const void *a, const void *b)
{
    const struct idx *x = a, *y = b;
    if (x->t_ms != y->t_ms)
        return x->t_ms < y->t_ms ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Write the sorted arena as a run and empty it. */
static int spill(struct obs_sort *s)
{
    if (!s->nix)
        return 0;
    qsort(s->ix, s->nix, sizeof *s->ix, idx_cmp);
    if (s->nruns == s->capruns) {
        size_t nc = s->capruns ? s->capruns * 2 : 8;
        struct run *nr = realloc(s->runs, nc * sizeof *nr);
        if (!nr)
            return -1;
        s->runs = nr;
        s->capruns = nc;
    }
    FILE *f = tmpfile();
    if (!f)
        return -1;
    for (size_t i = 0; i < s->nix; i++) {
        const struct rec_hdr *h = (const struct rec_hdr *)(const void *)(s->arena + s->ix[i].off);
        if (fwrite(h, 1, h->size, f) != h->size) {
            int e = errno;
            fclose(f);
            errno = e ? e : EIO;
            return -1;
        }
    }
    if (fflush(f) != 0 || fseek(f, 0, SEEK_SET) != 0) {
        int e = errno;
        fclose(f);
        errno = e;
        return -1;
    }
    setvbuf(f, NULL, _IOFBF, RUN_BUF);
    memset(&s->runs[s->nruns], 0, sizeof s->runs[0]);
    s->runs[s->nruns++].f = f;
    s->nix = 0;
    s->used = 0;
    s->spilled++;
    return 0;
}

int obs_sort_add(struct obs_sort *s, const struct obs *o, const char *raw, size_t raw_len)
{
    if (raw_len > MAX_RAW)
        raw_len = MAX_RAW;
    size_t need = rec_size(raw_len);
    if (!s->arena) {
        if (!(s->arena = malloc(s->cap)))
            return -1;
    }
    if (s->used + need > s->cap && spill(s))
        return -1;
    if (s->nix == s->capix) {
        size_t nc = s->capix ? s->capix * 2 : 4096;
        struct idx *ni = realloc(s->ix, nc * sizeof *ni);
        if (!ni)
            return -1;
        s->ix = ni;
        s->capix = nc;
    }
    char *p = s->arena + s->used;
    struct rec_hdr h = {o->t_ms, s->seq++, (uint32_t)raw_len, (uint32_t)need};
    memcpy(p, &h, sizeof h);
    struct obs c = *o;
    c.raw = NULL;
    c.raw_len = 0;
    c.source = NULL;
    memcpy(p + sizeof h, &c, sizeof c);
    if (raw_len)
        memcpy(p + sizeof h + sizeof c, raw, raw_len);
    s->ix[s->nix++] = (struct idx){h.t_ms, h.seq, s->used};
    s->used += need;
    return 0;
}

/* Read the next record of a run into r->buf; r->live = 0 at its end. */
static int run_next(struct run *r)
{
    if (fread(&r->h, sizeof r->h, 1, r->f) != 1) {
        r->live = 0;
        return ferror(r->f) ? -1 : 0;
    }
    size_t body = r->h.size - sizeof r->h;
    if (body > r->cap) {
        char *nb = realloc(r->buf, body);
        if (!nb)
            return -1;
        r->buf = nb;
        r->cap = body;
    }
    if (fread(r->buf, 1, body, r->f) != body) {
        errno = EIO;
        return -1;
    }
    r->live = 1;
    return 0;
}

static int deliver(char *body, uint32_t raw_len, obs_sort_cb cb, void *ctx)
{
    struct obs o;
    memcpy(&o, body, sizeof o);
    o.raw = raw_len ? body + sizeof o : NULL;
    o.raw_len = raw_len;
    return cb(ctx, &o);
}

static bool run_less(const struct run *a, const struct run *b)
{
    return a->h.t_ms != b->h.t_ms ? a->h.t_ms < b->h.t_ms : a->h.seq < b->h.seq;
}

static void sift_down(struct run **heap, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < n && run_less(heap[l], heap[m]))
            m = l;
        if (l + 1 < n && run_less(heap[l + 1], heap[m]))
            m = l + 1;
        if (m == i)
            return;
        struct run *t = heap[i];
        heap[i] = heap[m];
        heap[m] = t;
        i = m;
    }
}

static void drop_runs(struct obs_sort *s)
{
    for (size_t i = 0; i < s->nruns; i++) {
        if (s->runs[i].f)
            fclose(s->runs[i].f);
        free(s->runs[i].buf);
    }
    s->nruns = 0;
}

int obs_sort_drain(struct obs_sort *s, obs_sort_cb cb, void *ctx)
{
    int rc = 0;
    if (!s->nruns) {
        // All in memory: sort the index and deliver.
        qsort(s->ix, s->nix, sizeof *s->ix, idx_cmp);
        for (size_t i = 0; i < s->nix && !rc; i++) {
            struct rec_hdr *h = (struct rec_hdr *)(void *)(s->arena + s->ix[i].off);
            rc = deliver((char *)(h + 1), h->raw_len, cb, ctx);
        }
        s->nix = 0;
        s->used = 0;
        return rc;
    }
    if (spill(s))
        return -1;
    struct run **heap = malloc(s->nruns * sizeof *heap);
    if (!heap) {
        drop_runs(s);
        return -1;
    }
    size_t n = 0;
    for (size_t i = 0; i < s->nruns; i++) {
        if (run_next(&s->runs[i])) {
            rc = -1;
            break;
        }
        if (s->runs[i].live)
            heap[n++] = &s->runs[i];
    }
    for (size_t i = n; i-- > 0;)
        sift_down(heap, n, i);
    while (!rc && n) {
        struct run *r = heap[0];
        rc = deliver(r->buf, r->h.raw_len, cb, ctx);
        if (rc)
            break;
        if (run_next(r)) {
            rc = -1;
            break;
        }
        if (!r->live)
            heap[0] = heap[--n];
        sift_down(heap, n, 0);
    }
    free(heap);
    drop_runs(s);
    return rc;
}

uint64_t obs_sort_runs(const struct obs_sort *s)
{
    return s->spilled;
}

void obs_sort_free(struct obs_sort *s)
{
    if (!s)
        return;
    drop_runs(s);
    free(s->runs);
    free(s->arena);
    free(s->ix);
    free(s);
}
