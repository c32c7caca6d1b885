/* SPDX-License-Identifier: BSD-2-Clause
 *
 * sim.h - the traffic generator behind `orbat simulate`: walks every
 * asset of a scenario through time in one merged, time-ordered stream of
 * transmissions (AIS position/static reports at ITU-R M.1371-5 rates,
 * ADS-B position/velocity/identification and Mode S replies at DO-260B
 * rates, all multiplied by the scenario's thinning scales), applies
 * transponder-off gaps, receiver range and random loss, encodes each
 * received transmission with the library encoders and hands the wire
 * bytes to the caller's sinks. Deterministic for a given scenario + seed.
 *
 * Also computes the scenario's ground truth (sim_truth_write).
 *
 * Ownership: the scenario is borrowed for the call; sink callbacks get
 * pointers valid only during the call.
 */
#ifndef ORBAT_SIM_SIM_H
#define ORBAT_SIM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/scenario.h"

struct orbat_ais_enc;

/* One position the simulated receivers got, as the transmissions carry it,
 * for the archive writers (src/sim/out_*.c). Aircraft: every received ADS-B
 * airborne position (the values of the SBS MSG,3 line at the same t_ms),
 * plus one "ground" fix at the first position opportunity after landing
 * when the transponder is on and a receiver is in range (no frame is sent
 * for it: the simulator encodes no surface positions). Ships: every
 * received AIS position report, with the encoded message. */
struct sim_fix {
    const struct sim_asset *a;
    uint32_t asset; /* index in scenario->assets */
    int64_t t_ms;
    double lat, lon; /* aircraft: route position (the SBS line prints 5 decimals) */
    int32_t alt_ft;  /* aircraft: the encoded altitude (ft, capped at 50175) */
    bool ground;     /* aircraft on the surface (alt_ft is then 0) */
    double gs_kt, track_deg, vrate_fpm;
    const struct orbat_ais_enc *ais; /* ships: the type 1 / 18 message sent; else NULL */
};

struct sim_sink {
    /* One or more complete NMEA lines (tag block + !AIVDM ... "\n"). */
    void (*ais)(void *ctx, const char *text, size_t len, int64_t t_ms);
    /* One Beast-framed Mode S frame. */
    void (*beast)(void *ctx, const uint8_t *p, size_t n, int64_t t_ms);
    /* One SBS-1 line (ends in "\n"). */
    void (*sbs)(void *ctx, const char *text, size_t len, int64_t t_ms);
    /* One AVR line "*hex;\n". */
    void (*avr)(void *ctx, const char *text, size_t len, int64_t t_ms);
    void *ctx;
    /* A received position (see struct sim_fix); may be NULL. Called in time
     * order with the other sinks. Returns 0, or -1 to stop the run (a write
     * error: sim_run then returns -1). */
    int (*fix)(void *ctx, const struct sim_fix *f);
};

struct sim_stats {
    uint64_t transmissions; /* scheduled transmissions while the transponder was on */
    uint64_t off;           /* suppressed: transponder off (gap or dark asset) */
    uint64_t out_of_range;  /* no receiver in range */
    uint64_t lost;          /* in range, lost at random */
    uint64_t ais_messages;  /* AIS messages emitted */
    uint64_t ais_sentences; /* !AIVDM lines emitted */
    uint64_t modes_frames;  /* Mode S frames emitted (Beast/AVR) */
    uint64_t sbs_lines;
    uint64_t encode_errors; /* encoder refused a value (should stay 0) */
};

struct sim_opts {
    int64_t from_ms, to_ms; /* window to generate (0 = scenario start/end) */
};

/* Generate the scenario. Returns 0, or -1 when out of memory or when the
 * fix sink asked to stop. */
int sim_run(const struct scenario *s, const struct sim_opts *o, const struct sim_sink *sink,
            struct sim_stats *st);

/* The static fields the simulator broadcasts for ship a (type 5 for class
 * A, 24 part B for class B: name, call sign, ship type, dimensions,
 * draught, destination), for writers that join them to positions. */
void sim_ais_static_fields(const struct sim_asset *a, struct orbat_ais_enc *m);

/* Write the ground-truth JSON for s (and the stats of the run, may be
 * NULL) to f. Returns 0 or -1 on a write/encode error. */
int sim_truth_write(const struct scenario *s, const struct sim_stats *st, FILE *f);

/* Write the scenario's manual sightings as tab-separated lines with a
 * header: name (hull number when known, else name), time, lat, lon,
 * source, note ("SIMULATED" prefixed). For `orbat sighting add`. Returns 0
 * or -1 on a write error. */
int sim_sightings_write(const struct scenario *s, FILE *f);

#endif /* ORBAT_SIM_SIM_H */
