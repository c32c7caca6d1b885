/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_obs_sort.c - the importer's time ordering (src/archive/obs_sort.c):
 * in memory and spilled to sorted runs in temporary files, the same order
 * (time, then arrival), every observation and raw byte back, ties stable,
 * a drain that stops early, and reuse after a drain.
 */
#include <stdlib.h>
#include <string.h>

#include "archive/obs_sort.h"
#include "check.h"

#define N 30000

struct got {
    int64_t t[N];
    uint32_t id[N];
    size_t n;
    int bad_raw;
    int stop_at;
};

static int cb(void *ctx, struct obs *o)
{
    struct got *g = ctx;
    char want[64];
    int len = snprintf(want, sizeof want, "raw %u at %lld", o->id, (long long)o->t_ms);
    if (!o->raw || o->raw_len != (size_t)len || memcmp(o->raw, want, (size_t)len) ||
        o->lat != o->id / 1000.0)
        g->bad_raw++;
    if (g->n < N) {
        g->t[g->n] = o->t_ms;
        g->id[g->n] = o->id;
    }
    g->n++;
    return g->stop_at && (int)g->n == g->stop_at;
}

static void fill(struct obs_sort *s, unsigned seed)
{
    srand(seed);
    for (uint32_t i = 0; i < N; i++) {
        struct obs o;
        memset(&o, 0, sizeof o);
        o.kind = OBS_AIRCRAFT;
        o.id = i;
        o.t_ms = 1760000000000LL + (rand() % 5000) * 1000; // many ties
        o.lat = i / 1000.0;
        o.has = OBS_HAS_POS;
        char raw[64];
        int len = snprintf(raw, sizeof raw, "raw %u at %lld", i, (long long)o.t_ms);
        if (obs_sort_add(s, &o, raw, (size_t)len) != 0)
            break;
    }
}

static int ordered(const struct got *g)
{
    for (size_t i = 1; i < g->n && i < N; i++)
        if (g->t[i] < g->t[i - 1] || (g->t[i] == g->t[i - 1] && g->id[i] < g->id[i - 1]))
            return 0;
    return 1;
}

int main(void)
{
    static struct got mem, spill, part;
    // In memory: a cap far above N records.
    struct obs_sort *a = obs_sort_new((size_t)256 << 20);
    fill(a, 7);
    CHECK_EQ_INT(obs_sort_drain(a, cb, &mem), 0, "in memory: drain");
    CHECK_EQ_INT(mem.n, N, "in memory: every observation back");
    CHECK(ordered(&mem), "in memory: by time, ties in arrival order");
    CHECK_EQ_INT(mem.bad_raw, 0, "in memory: raw bytes and fields intact");
    CHECK_EQ_INT(obs_sort_runs(a), 0, "in memory: nothing spilled");
    obs_sort_free(a);

    // Spilled: the smallest cap (1 MiB) holds a few thousand records.
    struct obs_sort *b = obs_sort_new(1);
    fill(b, 7);
    CHECK(obs_sort_runs(b) >= 3, "spilled: %llu runs before the drain",
          (unsigned long long)obs_sort_runs(b));
    CHECK_EQ_INT(obs_sort_drain(b, cb, &spill), 0, "spilled: drain");
    CHECK_EQ_INT(spill.n, N, "spilled: every observation back");
    CHECK(ordered(&spill), "spilled: by time, ties in arrival order");
    CHECK_EQ_INT(spill.bad_raw, 0, "spilled: raw bytes and fields intact");
    CHECK(!memcmp(mem.t, spill.t, sizeof mem.t) && !memcmp(mem.id, spill.id, sizeof mem.id),
          "spilled and in-memory orders are the same");

    // Reuse after a drain, and a callback that stops early.
    fill(b, 8);
    part.stop_at = 100;
    CHECK_EQ_INT(obs_sort_drain(b, cb, &part), 1, "a stopping callback's value is returned");
    CHECK_EQ_INT(part.n, 100, "and nothing is delivered after it");
    CHECK(ordered(&part), "reused after a drain: still ordered");
    obs_sort_free(b);
    obs_sort_free(NULL);
    return check_exit();
}
