/* SPDX-License-Identifier: BSD-2-Clause
 *
 * trace.h - readsb / tar1090 trace files (trace_full_<hex>.json,
 * trace_recent_<hex>.json), as written by readsb's globe_history and served
 * by adsb.lol globe_history and ADS-B Exchange historical traces.
 *
 * The parser works on the inflated JSON text in one buffer (the caller
 * inflates the gzip member). It is part of the pure decoder library: no
 * globals, no I/O, no allocation, no logging. All strings it returns are
 * copied into the caller's structs, NUL-terminated and trimmed; the
 * point's `text` pointer is borrowed from the input buffer. (In a point,
 * the bytes of src_type and flight after their NUL are unspecified.)
 *
 * Document layout: a JSON object with header keys (icao, r, t, dbFlags,
 * desc, ownOp, year, timestamp, ...; any order, unknown keys skipped) and
 * "trace": an array of points, each an array of 9 fields (before 2022) or
 * 14 fields (after):
 *   [0] seconds after timestamp, [1] lat, [2] lon,
 *   [3] altitude ft: number, "ground" or null, [4] ground speed kt or null,
 *   [5] track deg or null, [6] flags (ORBAT_TRACE_F_*), [7] vertical rate
 *   fpm or null, [8] aircraft object or null,
 *   [9] source type string or null, [10] geometric altitude or null,
 *   [11] geometric vertical rate or null, [12] IAS kt or null,
 *   [13] roll deg or null.
 */
#ifndef ORBAT_TRACE_H
#define ORBAT_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "orbat/orbat.h"

enum orbat_trace_flag {
    ORBAT_TRACE_F_STALE = 1u << 0,    /* no position received for 20 s before this one */
    ORBAT_TRACE_F_NEW_LEG = 1u << 1,  /* start of a new leg (readsb's flight separation) */
    ORBAT_TRACE_F_GEOM_VR = 1u << 2,  /* vertical rate is geometric, not barometric */
    ORBAT_TRACE_F_GEOM_ALT = 1u << 3, /* altitude is geometric, not barometric */
};

/* dbFlags bits (readsb README-json.md). */
#define ORBAT_TRACE_DB_MILITARY    1u
#define ORBAT_TRACE_DB_INTERESTING 2u
#define ORBAT_TRACE_DB_PIA         4u
#define ORBAT_TRACE_DB_LADD        8u

struct orbat_trace_hdr {
    uint32_t icao;     /* 24-bit address */
    bool have_icao;    /* "icao" was present and valid hex */
    bool non_icao;     /* '~' prefix: a non-ICAO (TIS-B/anonymous) address */
    bool have_dbflags; /* "dbFlags" present */
    uint32_t dbflags;  /* ORBAT_TRACE_DB_* bits */
    bool have_timestamp;
    double timestamp; /* unix seconds of offset 0 */
    int year;         /* "year" of manufacture, 0 when absent */
    bool simulated;   /* "orbat_simulated": true (written by orbat simulate only) */
    char r[16];       /* registration */
    char t[16];       /* ICAO type designator */
    char desc[64];    /* type description */
    char ownop[64];   /* owner/operator */
};

struct orbat_trace_point {
    uint32_t index;  /* 0-based index of the point in the trace array */
    double dt;       /* seconds after the header timestamp */
    double lat, lon; /* degrees */
    bool has_alt;    /* alt_ft valid (numeric altitude) */
    bool ground;     /* altitude was "ground" */
    int32_t alt_ft;
    bool has_gs, has_track, has_vrate;
    double gs_kt, track_deg;
    int32_t vrate_fpm;
    unsigned flags; /* ORBAT_TRACE_F_* */
    /* fields [9]..[13] (14-field layout only) */
    char src_type[16]; /* "adsb_icao", "mlat", "tisb_icao", ... ; "" when absent/null */
    bool has_alt_geom;
    int32_t alt_geom_ft;
    bool has_geom_vrate, has_ias, has_roll;
    int32_t geom_vrate_fpm; /* [11] */
    double ias_kt;          /* [12] */
    double roll_deg;        /* [13] */
    /* from the aircraft object [8], when it is not null */
    bool has_obj;
    char flight[9]; /* callsign, trimmed; "" when absent */
    bool has_squawk;
    uint16_t squawk;  /* 4 octal digits as a decimal number, e.g. 7700 */
    uint8_t category; /* emitter category as 0xA0..0xD7 ("A3" -> 0xA3); 0 if absent */
    /* the point's JSON text "[...]" inside the input buffer (borrowed) */
    const char *text;
    size_t text_len;
};

/* Called once per well-formed point, in order. Return 0 to go on, non-zero
 * to stop the parse (orbat_trace_parse then returns ORBAT_OK at once: header
 * keys after "trace" are then not read). *p is valid during the call only. */
typedef int (*orbat_trace_point_cb)(void *ctx, const struct orbat_trace_point *p);

/* Parse a whole trace document buf[0..len). Zeroes and fills *h (keys may
 * come in any order, before or after "trace"; a header key whose value has
 * another JSON type than expected is skipped and its field left empty) and
 * calls cb (may be NULL) for every point. A trace element that is not an
 * array, or an array whose fields are malformed (fewer than 8, a field of
 * the wrong type, a number out of range, lat/lon missing or outside
 * +-90/+-180) is skipped and counted in *bad_points (may be NULL; set on
 * every return). Fields past [13] are skipped whatever their type.
 * Returns ORBAT_OK, ORBAT_E_FORMAT for text that is not a JSON object
 * followed only by whitespace, or an object without a "trace" array;
 * ORBAT_E_TRUNCATED when the buffer ends inside the document (an empty or
 * all-whitespace buffer included); ORBAT_E_TOOLONG when the nesting is
 * deeper than 32 (the root object counts 1). On errors the points before
 * the error have been delivered. Reads nothing outside buf[0..len). */
ORBAT_WARN_UNUSED int orbat_trace_parse(const char *buf, size_t len, struct orbat_trace_hdr *h,
                                        orbat_trace_point_cb cb, void *ctx, uint32_t *bad_points);

/* Parse only the header keys that come before "trace" in a prefix of a
 * document (e.g. the first few KB inflated of a member). Returns ORBAT_OK
 * when the "trace" key (its closing quote) was reached (*h holds what came
 * before it), ORBAT_AGAIN when the prefix ended first (*h holds the values
 * read completely; give a longer prefix), ORBAT_E_FORMAT when it is not a
 * trace document (not JSON, not an object, or an object that ends without
 * "trace"), ORBAT_E_TOOLONG for nesting deeper than 32. */
ORBAT_WARN_UNUSED int orbat_trace_peek_header(const char *buf, size_t len,
                                              struct orbat_trace_hdr *h);

#endif /* ORBAT_TRACE_H */
