/* SPDX-License-Identifier: BSD-2-Clause
 *
 * pipeline.h - bytes from a file or feed -> framing -> AIS / Mode S decoders
 * -> struct obs callbacks. This is what `orbat identify`, `orbat track` and
 * `orbat ingest` build on: they see observations, never wire formats.
 *
 * Ownership: pipeline_new returns a heap object freed with pipeline_free
 * (NULL-safe). The struct obs passed to the callback, and every pointer in
 * it, is borrowed for the duration of the call.
 *
 * Aircraft positions: the pipeline does NOT resolve CPR. Airborne/surface
 * position frames arrive with OBS_HAS_CPR (cpr_lat, cpr_lon, cpr_odd) and
 * the tracker resolves them with per-aircraft state. SBS input arrives with
 * OBS_HAS_POS directly.
 */
#ifndef ORBAT_CORE_PIPELINE_H
#define ORBAT_CORE_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/obs.h"

enum pipeline_input {
    PIPE_AUTO = 0, /* detect from the first bytes of each source */
    PIPE_NMEA,
    PIPE_BEAST,
    PIPE_AVR,
    PIPE_SBS,
    PIPE_TIMED, /* "<unix ms> <AVR line>" lines of `orbat publish` (Beast frames
                   with the time resolved); never detected, only asked for */
};

struct pipeline_opts {
    enum pipeline_input input;
    bool fix1bit;     /* Mode S 1-bit CRC correction for DF11/17/18 */
    int64_t start_ms; /* unix ms of the first Beast/AVR timestamp of a source;
                         0: such times are relative (OBS_F_RELTIME) until an
                         absolute time appears in the data */
};

#define PIPELINE_REASONS 32

struct pipeline_stats {
    uint64_t bytes;        /* raw bytes read */
    uint64_t ais_messages; /* decoded AIS messages */
    uint64_t modes_frames; /* Mode S frames with a good CRC (or AP-recovered address) */
    uint64_t obs;          /* observations emitted */
    uint64_t rejected;     /* lines/frames rejected, all reasons */
    /* rejected by reason: index -err of an enum orbat_err (1..PIPELINE_REASONS-1);
     * Mode S CRC failures count under ORBAT_E_CRC, over-long lines under
     * ORBAT_E_TOOLONG, a truncated final Beast frame under ORBAT_E_TRUNCATED */
    uint64_t by_reason[PIPELINE_REASONS];
    uint64_t unverified;  /* Mode S AP frames, and DF11 with II != 0, whose address
                             was not confirmed */
    uint64_t modeac;      /* Mode A/C replies (not used) */
    uint64_t other_lines; /* text lines that are not AIS sentences */
};

/* A source is a simulation when an AIS tag block names this source
 * ("s:SIMULATION") or a '#' comment line contains this word; its
 * observations then carry OBS_F_SIMULATED. */
#define PIPELINE_SIM_MARK "SIMULATION"

typedef void (*pipeline_cb)(void *ctx, const struct obs *o);

struct pipeline;

/* Returns NULL when out of memory. cb/ctx are borrowed for the lifetime. */
struct pipeline *pipeline_new(const struct pipeline_opts *opts, pipeline_cb cb, void *ctx);
/* Feed n raw bytes of the source named `source` (a stream may be fed in any
 * chunking; the result does not depend on it). */
void pipeline_feed(struct pipeline *p, const uint8_t *buf, size_t n, const char *source);
/* End of the current source: flush a partial final line, reset framing. */
void pipeline_end_source(struct pipeline *p);
/* Open PATH ("-" = stdin; gzip transparently), feed it whole, end it.
 * Returns 0, or -1 with errno set when it could not be opened/read. */
int pipeline_run_file(struct pipeline *p, const char *path);
const struct pipeline_stats *pipeline_get_stats(const struct pipeline *p);
void pipeline_free(struct pipeline *p);

#endif /* ORBAT_CORE_PIPELINE_H */
