/* SPDX-License-Identifier: BSD-2-Clause
 *
 * report_sim.c - which sources of a store are simulations (orbat simulate),
 * for labelling shared outputs; see report.h. The sources table has a few
 * rows, so it is read whole once per output.
 */
#include "report/report.h"

#include <string.h>

static int sim_cb(void *ctx, const struct store_source *src)
{
    struct report_sim *r = ctx;
    r->sources++;
    if (!src->simulated)
        return 0;
    r->simulated++;
    if (r->n < REPORT_SIM_IDS)
        r->ids[r->n++] = src->id;
    else
        r->overflow = true;
    return 0;
}

int report_sim_load(struct store *s, struct report_sim *r)
{
    memset(r, 0, sizeof *r);
    return store_sources(s, sim_cb, r);
}

int report_sim_source(const struct report_sim *r, int64_t source_id)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->ids[i] == source_id)
            return 1;
    return r->overflow ? -1 : 0;
}

int report_sim_all(const struct report_sim *r)
{
    if (!r->simulated)
        return 0;
    return r->simulated == r->sources ? 1 : -1;
}

const char *report_sim_json(int v)
{
    return v > 0 ? "true" : v == 0 ? "false" : "null";
}

void report_sim_json_members(FILE *out, const struct report_sim *r)
{
    if (!r->simulated)
        return;
    fprintf(out,
            ",\"simulated_sources\":%llu,\"sources\":%llu,\"notice\":\"SIMULATED DATA: %llu of "
            "%llu sources are simulations (orbat simulate), not real broadcasts\"",
            (unsigned long long)r->simulated, (unsigned long long)r->sources,
            (unsigned long long)r->simulated, (unsigned long long)r->sources);
}
