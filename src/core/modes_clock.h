/* SPDX-License-Identifier: BSD-2-Clause
 *
 * modes_clock.h - the time of a Mode S frame from its receiver's 12 MHz
 * counter (Beast, AVR '@'/'<'/'%'): the first counter of a source is
 * given a base time, later ones that plus the counter's difference. The
 * one rule of the pipeline, used too by `orbat publish`, which resolves
 * Beast times before a frame goes to a shard worker (docs/scale-out.md).
 * Pure: no I/O, no allocation.
 */
#ifndef ORBAT_CORE_MODES_CLOCK_H
#define ORBAT_CORE_MODES_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct modes_clock {
    bool have_ts0;  /* a counter was seen in this source */
    bool ts0_abs;   /* ts0_ms is absolute (unix ms) */
    uint64_t ts0;   /* the source's first counter */
    int64_t ts0_ms; /* the time given to it */
};

/* A new source: the next counter is its first. */
void modes_clock_reset(struct modes_clock *c);
/* Time of counter ts_12mhz (48 bits; one wrap is handled). The first
 * counter since the reset gets base_ms (absolute when base_abs); *abs says
 * whether the result is absolute. */
int64_t modes_clock_time(struct modes_clock *c, uint64_t ts_12mhz, int64_t base_ms, bool base_abs,
                         bool *abs);

#endif /* ORBAT_CORE_MODES_CLOCK_H */
