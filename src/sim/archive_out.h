/* SPDX-License-Identifier: BSD-2-Clause
 *
 * archive_out.h - the simulator's writers of public-archive formats, fed
 * with the positions the simulated receivers got (struct sim_fix, in time
 * order) so an archive holds the same positions as the AIS/Beast/SBS
 * outputs of the same run (docs/simulator.md, "Archive formats"):
 *
 *  - trace_out: readsb trace_full files, one per aircraft per UTC day, in
 *    the adsb.lol globe_history layout (out_traces.c);
 *  - mc_out: a MarineCadastre AIS CSV, 2025 or pre-2025 layout, plain or
 *    zstd (out_mc.c);
 *  - snap_out: readsb aircraft.json snapshots as in ADS-B Exchange
 *    readsb-hist (out_snap.c).
 *
 * Every output is marked simulated ("orbat_simulated": true, or a
 * '# SIMULATION' first line). Ownership: each *_open returns a heap object
 * that *_close flushes and frees (NULL-safe); the scenario (and the stats
 * given to snap_out_open) are borrowed and must outlive it. Errors: NULL
 * from *_open with a message in err; -1 from *_fix / *_close on a write
 * error (with errno set).
 */
#ifndef ORBAT_SIM_ARCHIVE_OUT_H
#define ORBAT_SIM_ARCHIVE_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/scenario.h"
#include "sim/sim.h"

struct trace_out_opts {
    /* A directory: DIR/YYYY/MM/DD/traces/xx/trace_full_<hex>.json. Or a
     * path ending in ".tar": one tar per UTC day in that path's directory,
     * named vYYYY.MM.DD-planes-readsb-prod-0.tar as the adsb.lol releases
     * (the rest of the name only selects tar output). */
    const char *path;
    uint64_t split_bytes; /* tar: cut into .tar.aa, .tar.ab, ... (0 = whole) */
    int layout;           /* 14 (default) or 9 fields per point */
};
struct trace_out;
struct trace_out *trace_out_open(const struct scenario *s, const struct trace_out_opts *o,
                                 char *err, size_t errsz);
int trace_out_fix(struct trace_out *w, const struct sim_fix *f);
/* Writes the last day. files/points: totals written (may be NULL). */
int trace_out_close(struct trace_out *w, uint64_t *files, uint64_t *points);

struct mc_out;
/* path ending in ".zst" is zstd-compressed; legacy = pre-2025 layout. */
struct mc_out *mc_out_open(const struct scenario *s, const char *path, bool legacy, char *err,
                           size_t errsz);
int mc_out_fix(struct mc_out *w, const struct sim_fix *f);
int mc_out_close(struct mc_out *w, uint64_t *rows);

struct snap_out;
/* Snapshots at every multiple of interval_s in [from_ms, to_ms]; st is
 * the run's counters (read for "messages"). */
struct snap_out *snap_out_open(const struct scenario *s, const char *dir, int interval_s,
                               int64_t from_ms, int64_t to_ms, const struct sim_stats *st,
                               char *err, size_t errsz);
int snap_out_fix(struct snap_out *w, const struct sim_fix *f);
/* Writes the snapshots still due up to to_ms. */
int snap_out_close(struct snap_out *w, uint64_t *files);

#endif /* ORBAT_SIM_ARCHIVE_OUT_H */
