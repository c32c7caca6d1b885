/* SPDX-License-Identifier: BSD-2-Clause
 *
 * modes_clock.c - Mode S 12 MHz counter to time (see modes_clock.h).
 */
#include "core/modes_clock.h"

void modes_clock_reset(struct modes_clock *c)
{
    c->have_ts0 = false;
}

int64_t modes_clock_time(struct modes_clock *c, uint64_t ts_12mhz, int64_t base_ms, bool base_abs,
                         bool *abs)
{
    if (!c->have_ts0) {
        c->have_ts0 = true;
        c->ts0 = ts_12mhz;
        c->ts0_ms = base_ms;
        c->ts0_abs = base_abs;
    }
    // 48-bit counter: modular difference handles one wrap.
    uint64_t d = (ts_12mhz - c->ts0) & 0xFFFFFFFFFFFFull;
    *abs = c->ts0_abs;
    return c->ts0_ms + (int64_t)(d / 12000u);
}
