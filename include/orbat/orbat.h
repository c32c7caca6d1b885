/* SPDX-License-Identifier: BSD-2-Clause
 *
 * orbat.h - version and the one error enum shared by every orbat module.
 *
 * Every fallible function in orbat returns an enum orbat_err (or a pointer
 * that is NULL on failure). ORBAT_OK is zero; positive values are not errors
 * but "come back with more input"; negative values are errors. The number of
 * each value is fixed forever (curl's rule): new values are appended.
 */
#ifndef ORBAT_ORBAT_H
#define ORBAT_ORBAT_H

#ifdef __cplusplus
extern "C" {
#endif

#define ORBAT_VERSION "0.1.0"

#if defined(__GNUC__) || defined(__clang__)
#define ORBAT_WARN_UNUSED __attribute__((warn_unused_result))
#else
#define ORBAT_WARN_UNUSED
#endif

enum orbat_err {
    ORBAT_OK = 0,
    ORBAT_AGAIN = 1,          /* not an error: more input (fragments) needed */
    ORBAT_E_CHECKSUM = -1,    /* NMEA checksum mismatch */
    ORBAT_E_TRUNCATED = -2,   /* payload/frame shorter than the message needs */
    ORBAT_E_UNSUPPORTED = -3, /* valid but of a kind we do not decode */
    ORBAT_E_CRC = -4,         /* Mode S CRC-24 parity failure */
    ORBAT_E_RANGE = -5,       /* a value outside its legal range */
    ORBAT_E_SYNTAX = -6,      /* malformed sentence / frame / garbage line */
    ORBAT_E_BITCOUNT = -7,    /* wrong number of bits for the message type */
    ORBAT_E_ORPHAN = -8,      /* fragment with no start (e.g. 2/2 without 1/2) */
    ORBAT_E_FRAGMENT = -9,    /* duplicate / inconsistent / abandoned fragment */
    ORBAT_E_TOOLONG = -10,    /* input exceeded a fixed buffer cap */
    ORBAT_E_TAGBLOCK = -11,   /* malformed NMEA 4.10 tag block */
    ORBAT_E_NOMEM = -12,      /* allocation failed (never from decode/) */
    ORBAT_E_IO = -13,         /* read/write/open failure (errno has detail) */
    ORBAT_E_INVAL = -14,      /* bad argument or option */
    ORBAT_E_NOTFOUND = -15,   /* no such item */
    ORBAT_E_DB = -16,         /* database error */
    ORBAT_E_TIMEOUT = -17,    /* fragments timed out before the message completed */
    ORBAT_E_PADDING = -18,    /* bad fill-bit count */
    ORBAT_E_ARMOR = -19,      /* character outside the AIS 6-bit armour alphabet */
    ORBAT_E_FRAME = -20,      /* bad Beast/AVR/SBS framing */
    ORBAT_E_DF = -21,         /* unknown Mode S downlink format */
    ORBAT_E_CPR = -22,        /* CPR position could not be resolved */
    ORBAT_E_FORMAT = -23,     /* bad file format (CSV, JSON, GeoJSON ...) */
    ORBAT_E_PROTOCOL = -24,   /* network protocol violation */
    ORBAT_E_STATE = -25,      /* call made in the wrong state */
};

/* Human-readable text for an error code. Never NULL; the string is static. */
const char *orbat_strerror(enum orbat_err err);

/* Short stable identifier ("checksum", "truncated", ...) used as a counter
 * name in statistics and metrics. Never NULL; static. */
const char *orbat_err_name(enum orbat_err err);

#ifdef __cplusplus
}
#endif
#endif /* ORBAT_ORBAT_H */
