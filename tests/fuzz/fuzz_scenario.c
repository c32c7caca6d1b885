/* SPDX-License-Identifier: BSD-2-Clause
 *
 * fuzz_scenario.c - libFuzzer target for the simulator's scenario loader
 * (src/sim/scenario.c): arbitrary JSON -> scenario_load_buffer. A scenario
 * that loads is then queried (positions, transponder state, theatre) at a
 * few times, and when it is small (a day or less, few assets) simulated in
 * full with all sinks attached and its truth written to /dev/null, so the
 * generator and every encoder it drives see fuzzed routes and identities.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "sim/scenario.h"
#include "sim/sim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void sink_text(void *ctx, const char *p, size_t n, int64_t t)
{
    (void)t;
    size_t *total = ctx;
    if (n == 0 || p[n - 1] != '\n')
        abort(); // every AIS/SBS/AVR chunk ends a line
    *total += n;
}

static void sink_bin(void *ctx, const uint8_t *p, size_t n, int64_t t)
{
    (void)t;
    size_t *total = ctx;
    if (n < 9 || p[0] != 0x1a)
        abort(); // a Beast frame starts with the escape byte
    *total += n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    struct scenario *s = scenario_load_buffer((const char *)data, size, -1, err, sizeof(err));
    if (!s)
        return 0;
    for (size_t i = 0; i < s->nassets; i++) {
        const struct sim_asset *a = &s->assets[i];
        for (int k = 0; k <= 4; k++) {
            int64_t t = s->start_ms + (s->end_ms - s->start_ms) / 4 * k;
            double lat, lon, alt, v, c;
            if (sim_position(a, t, &lat, &lon, &alt, &v, &c) &&
                !(lat >= -90.0 && lat <= 90.0 && lon >= -180.0 && lon <= 180.0 && c >= 0.0 &&
                  c < 360.0 && v >= 0.0))
                abort();
            (void)sim_transmitting(a, t);
            (void)sim_vrate_fpm(a, t);
        }
    }
    if (s->end_ms - s->start_ms <= 86400000 && s->nassets <= 8 && s->ais_scale >= 1 &&
        s->adsb_scale >= 1) {
        size_t total = 0;
        struct sim_sink sink = {sink_text, sink_bin, sink_text, sink_text, &total, NULL};
        struct sim_stats st;
        if (sim_run(s, NULL, &sink, &st) == 0 && st.encode_errors > st.transmissions)
            abort();
        FILE *f = fopen("/dev/null", "w");
        if (f) {
            sim_truth_write(s, &st, f);
            fclose(f);
        }
    }
    scenario_free(s);
    return 0;
}
