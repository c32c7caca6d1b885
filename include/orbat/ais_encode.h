/* SPDX-License-Identifier: BSD-2-Clause
 *
 * ais_encode.h - AIS message encoder: field values in raw ITU-R M.1371-5
 * units -> binary payload -> NMEA 0183 !AIVDM sentences (6-bit armour,
 * fill bits, checksum, optional NMEA 4.10 tag blocks with c:, s:, g:).
 *
 * Message types 1/2/3 (position report class A), 5 (static and voyage
 * data), 18 (class B position), 19 (extended class B), 21 (aid to
 * navigation), 24 A/B (class B static data) and 27 (long-range position).
 * Used by the scenario simulator (`orbat simulate`) and by round-trip tests
 * against the decoder.
 *
 * Pure library code: no malloc, no I/O, no globals. The caller owns every
 * buffer and passes its size; nothing is written past it. Fields use the
 * wire units and "not available" sentinels of M.1371-5 Annex 8 (as gpsd's
 * unscaled JSON does), so a decoded message can be re-encoded unchanged.
 */
#ifndef ORBAT_AIS_ENCODE_H
#define ORBAT_AIS_ENCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "orbat/orbat.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest payload this encoder produces (type 21 with a 14-char name
 * extension: 360 bits; type 5: 424 bits), rounded up to whole bytes. */
#define ORBAT_AIS_ENC_MAXBITS  424
#define ORBAT_AIS_ENC_MAXBYTES 54

/* Sentinels (M.1371-5 Annex 8, Table 50 and friends). */
#define ORBAT_AIS_ENC_LON_NA     (181 * 600000) /* 1/10000 min */
#define ORBAT_AIS_ENC_LAT_NA     (91 * 600000)
#define ORBAT_AIS_ENC_SPEED_NA   1023 /* 0.1 kn */
#define ORBAT_AIS_ENC_COURSE_NA  3600 /* 0.1 degree */
#define ORBAT_AIS_ENC_HEADING_NA 511
#define ORBAT_AIS_ENC_TURN_NA    (-128)
#define ORBAT_AIS_ENC_SECOND_NA  60

/* One message to encode. Fill what the type uses; other fields are
 * ignored. Text fields are NUL-terminated; lower case is upper-cased and
 * any other character outside the 6-bit AIS alphabet (0x20..0x5f) becomes
 * a space. Short text is padded with '@' as the standard requires. */
struct orbat_ais_enc {
    uint8_t type;   /* 1, 2, 3, 5, 18, 19, 21, 24, 27 */
    uint8_t repeat; /* 0..3 */
    uint32_t mmsi;  /* 0..999999999 */

    /* position reports (1/2/3, 18, 19, 21; 27 see below) */
    uint8_t status;   /* navigational status 0..15 (1/2/3, 27) */
    int8_t turn;      /* ROT_AIS -127..127, -128 = not available (1/2/3) */
    uint16_t speed;   /* SOG, 0.1 kn, 0..1023 (27: knots 0..63) */
    bool accuracy;    /* position accuracy flag */
    int32_t lon;      /* 1/10000 min, +-180 deg, ORBAT_AIS_ENC_LON_NA (27: 1/10 min) */
    int32_t lat;      /* 1/10000 min, +-90 deg, ORBAT_AIS_ENC_LAT_NA (27: 1/10 min) */
    uint16_t course;  /* COG, 0.1 degree 0..3600 (27: degrees 0..511) */
    uint16_t heading; /* degrees 0..359, 511 = not available */
    uint8_t second;   /* UTC second 0..63 */
    uint8_t maneuver; /* 0..3 (1/2/3) */
    bool raim;
    uint32_t radio; /* communication state: 19 bits (1/2/3), 20 bits (18) */

    /* class B flags (18) and assigned mode (18, 19, 21) */
    bool cs, display, dsc, band, msg22, assigned;

    /* static and voyage data (5, 19, 24) */
    uint8_t ais_version;              /* 0..3 (5) */
    uint32_t imo;                     /* 0..2^30-1 (5) */
    char callsign[8];                 /* 7 chars (5, 24B) */
    char shipname[21];                /* 20 chars (5, 19, 24A); AtoN name (21) */
    uint8_t shiptype;                 /* 0..255 (5, 19, 24B) */
    uint16_t to_bow;                  /* metres 0..511 (5, 19, 21, 24B) */
    uint16_t to_stern;                /* 0..511 */
    uint8_t to_port;                  /* 0..63 */
    uint8_t to_starboard;             /* 0..63 */
    uint8_t epfd;                     /* 0..15 (5, 19, 21, 24B) */
    uint8_t month, day, hour, minute; /* ETA (5): 0 month/day = n/a, 24 h, 60 min */
    uint8_t draught;                  /* 0.1 m (5) */
    char destination[21];             /* 20 chars (5) */
    bool dte;                         /* 5, 19 */

    /* aid to navigation (21) */
    uint8_t aid_type;  /* 0..31 */
    char name_ext[15]; /* 0..14 chars after the 20-char name */
    bool off_position;
    uint8_t aton_status; /* 8 bits */
    bool virtual_aid;

    /* class B static data (24) */
    uint8_t part;             /* 0 = part A, 1 = part B */
    char vendorid[4];         /* 3 chars (24B) */
    uint8_t model;            /* 0..15 (24B) */
    uint32_t serial;          /* 0..2^20-1 (24B) */
    uint32_t mothership_mmsi; /* when nonzero (auxiliary craft, MMSI 98XXXYYYY) replaces dims */

    /* long-range (27) */
    bool gnss; /* 0 = current GNSS position, 1 = not GNSS (as broadcast) */
};

/* Encode m into its binary payload. bits must hold ORBAT_AIS_ENC_MAXBYTES
 * bytes (it is zeroed first). *nbits gets the payload length in bits.
 * Returns ORBAT_OK, ORBAT_E_UNSUPPORTED for another type, ORBAT_E_RANGE
 * when a field does not fit its width or legal range (nothing useful is
 * then in bits). */
enum orbat_err orbat_ais_encode(const struct orbat_ais_enc *m, uint8_t *bits,
                                unsigned *nbits) ORBAT_WARN_UNUSED;

/* NMEA framing options. A zeroed struct gives "!AIVDM", channel 'A', no
 * tag block, "\n" line ends. */
struct orbat_ais_nmea_opts {
    char channel;       /* 'A' or 'B' (0 = 'A') */
    uint8_t seq_id;     /* sequential message id 0..9 for multi-sentence messages */
    bool crlf;          /* end lines with "\r\n" instead of "\n" */
    bool own;           /* "!AIVDO" (own ship) instead of "!AIVDM" */
    bool tag_time;      /* add a tag block with c:<unix seconds> */
    int64_t time_s;     /* the c: value */
    const char *source; /* add s:<source> when non-NULL (borrowed; [A-Za-z0-9_.-] only, <= 15) */
    uint16_t group_id;  /* g:<n>-<m>-<group_id> on multi-sentence messages with a tag block */
    uint8_t max_chars;  /* payload characters per sentence, 1..60 (0 = 60) */
};

/* Armour a payload of nbits bits into one or more !AIVDM sentences written
 * to buf (at most cap bytes, NUL-terminated). *len gets the byte count
 * without the NUL. Returns ORBAT_OK, ORBAT_E_TOOLONG when buf is too small,
 * ORBAT_E_INVAL for bad options (source with characters outside the set
 * above, nbits 0 or > 1008). */
enum orbat_err orbat_ais_nmea(const uint8_t *bits, unsigned nbits,
                              const struct orbat_ais_nmea_opts *opts, char *buf, size_t cap,
                              size_t *len) ORBAT_WARN_UNUSED;

/* orbat_ais_encode followed by orbat_ais_nmea. */
enum orbat_err orbat_ais_encode_nmea(const struct orbat_ais_enc *m,
                                     const struct orbat_ais_nmea_opts *opts, char *buf, size_t cap,
                                     size_t *len) ORBAT_WARN_UNUSED;

/* Convert degrees to the 1/10000-minute unit of types 1-3, 18, 19, 21
 * (rounded to nearest). */
int32_t orbat_ais_deg_to_raw(double deg);

#ifdef __cplusplus
}
#endif
#endif /* ORBAT_AIS_ENCODE_H */
