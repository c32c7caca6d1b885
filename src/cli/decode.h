/* SPDX-License-Identifier: BSD-2-Clause
 *
 * decode.h - the pieces behind `orbat decode`: input-kind detection and the
 * two sinks (AIS in decode_ais.c, Mode S in decode_modes.c). cmd_decode.c
 * reads the inputs and hands raw byte chunks to the sink for their kind; each
 * sink does its own framing (lines or Beast frames) with capped buffers, so
 * the same sinks can serve network feeds later.
 */
#ifndef ORBAT_CLI_DECODE_H
#define ORBAT_CLI_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/outbuf.h"

enum decode_format {
    DFMT_DEFAULT = 0, /* gpsd for AIS, jsonl for Mode S */
    DFMT_GPSD,        /* gpsdecode -u -j (AIS only) */
    DFMT_GPSD_SCALED, /* gpsdecode -j (AIS only) */
    DFMT_JSONL,       /* orbat's own richer JSON lines */
    DFMT_SBS,         /* BaseStation CSV (Mode S only) */
    DFMT_NONE,        /* decode only, write nothing (benchmarks) */
};

enum decode_input {
    DIN_AUTO = 0,
    DIN_NMEA,
    DIN_BEAST,
    DIN_AVR,
    DIN_SBS,
};

struct decode_opts {
    enum decode_format format;
    enum decode_input input;
    bool stats;   /* --stats: counts by kind and error reason to stderr */
    bool fix1bit; /* --fix: 1-bit CRC error correction for DF11/17/18 */
};

/* Guess the input kind from the first bytes of a stream. Never returns
 * DIN_AUTO: falls back to DIN_NMEA. */
enum decode_input decode_detect(const uint8_t *p, size_t n);
const char *decode_input_name(enum decode_input in);

/* AIS sink (decode_ais.c). new returns NULL when out of memory. The outbuf
 * is borrowed for the sink's lifetime. `source` names the file being read
 * (borrowed for the call). end_of_input flushes a final unterminated line
 * of the current file. report writes the --stats summary. */
struct ais_sink;
struct ais_sink *ais_sink_new(const struct decode_opts *o, struct outbuf *out);
void ais_sink_feed(struct ais_sink *s, const char *p, size_t n, const char *source);
void ais_sink_end_of_input(struct ais_sink *s);
void ais_sink_report(const struct ais_sink *s, FILE *f);
void ais_sink_free(struct ais_sink *s);

/* Mode S sink (decode_modes.c), same contract; `kind` is the framing of
 * the bytes (DIN_BEAST, DIN_AVR or DIN_SBS). */
struct modes_sink;
struct modes_sink *modes_sink_new(const struct decode_opts *o, struct outbuf *out);
void modes_sink_feed(struct modes_sink *s, enum decode_input kind, const uint8_t *p, size_t n,
                     const char *source);
void modes_sink_end_of_input(struct modes_sink *s, enum decode_input kind);
void modes_sink_report(const struct modes_sink *s, FILE *f);
void modes_sink_free(struct modes_sink *s);

#endif /* ORBAT_CLI_DECODE_H */
