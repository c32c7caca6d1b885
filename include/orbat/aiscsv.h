/* SPDX-License-Identifier: BSD-2-Clause
 *
 * aiscsv.h - one row of a public AIS archive in CSV, three layouts:
 *
 *   MC2025     MarineCadastre (NOAA/BOEM) daily ais-YYYY-MM-DD.csv(.zst), 2025 on:
 *              mmsi,base_date_time,longitude,latitude,sog,cog,heading,vessel_name,
 *              imo,call_sign,vessel_type,status,length,width,draft,cargo,transceiver
 *              (lower case, longitude before latitude, time "2026-03-31 00:00:00").
 *   MC_LEGACY  MarineCadastre AIS_YYYY_MM_DD.csv, before 2025:
 *              MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,
 *              VesselType,Status,Length,Width,Draft,Cargo,TransceiverClass
 *              (time "2022-06-01T00:00:02", Heading and Length as "511.0"/"71.0").
 *   DMA        Danish Maritime Authority aisdk-YYYY-MM-DD.csv: "# Timestamp,Type of
 *              mobile,MMSI,Latitude,Longitude,Navigational status,ROT,SOG,COG,Heading,
 *              IMO,Callsign,Name,Ship type,Cargo type,Width,Length,...,Destination,..."
 *              (time "dd/mm/yyyy HH:MM:SS", ship type and nav status as text).
 *
 * Columns are mapped by header NAME (case, spaces and '_' ignored), so the
 * order may change; unknown columns are skipped. Fields may be quoted
 * ("a,b" and "a""b" as RFC 4180); a trailing CR is ignored. A row may have
 * fewer fields than the header as long as it reaches every column that is
 * read (DMA files of 2018 lack the trailing A,B,C,D columns); more fields
 * than the header is an error.
 *
 * Sentinels (MarineCadastre data dictionaries, ITU-R M.1371-5 Table 45):
 * empty field, heading >= 360 (511), SOG >= 102.3, COG >= 360, lat 91 /
 * lon 181, IMO "IMO0000000"/"0"/empty, length/width/draught 0 and, in DMA
 * files, "Unknown"/"Undefined"/"Unknown value" all mean "not available":
 * has_* false, ship_type/nav_status/cargo -1, imo 0, text "".
 *
 * DMA "Ship type" text -> AIS ship type (M.1371-5 Table 53):
 *   WIG 20, Fishing 30, Towing 31, Towing long/wide 32, Dredging 33,
 *   Diving 34, Military 35, Sailing 36, Pleasure 37, HSC 40, Pilot 50,
 *   SAR 51, Tug 52, Port tender 53, Anti-pollution 54, Law enforcement 55,
 *   Spare 1 56, Spare 2 57, Medical 58, Not party to conflict 59,
 *   Passenger 60, Cargo 70, Tanker 80, Other 90;
 *   Undefined, Unknown, Reserved (no single code) and any other text -> -1.
 * DMA "Navigational status" text -> 0..15 (Table 45, case-insensitive):
 *   Under way using engine 0, At anchor 1, Not under command 2,
 *   Restricted manoeuverability / maneuverability 3, Constrained by her
 *   draught 4, Moored 5, Aground 6, Engaged in fishing 7, Under way
 *   sailing 8, Reserved for future amendment [HSC] 9, ... [WIG] 10,
 *   Power-driven vessel towing astern 11, Power-driven vessel pushing ahead
 *   or towing alongside 12, Reserved for future use 13, AIS-SART (active) 14;
 *   Unknown value / Undefined / other text -> -1. A number is taken as is.
 * DMA "Type of mobile" and MarineCadastre transceiver(Class) -> kind:
 *   "Class A"/"A", "Class B"/"B", "Base Station", "AtoN", "SAR Airborne",
 *   "Search and Rescue Transponder"; anything else ORBAT_AISCSV_KIND_OTHER.
 *
 * Ship type is kept raw: MarineCadastre writes AIS codes 0..99 and also
 * USCG NAIS codes (1001..1025); 0..1999 is accepted, the caller maps.
 *
 * Pure decoder: no I/O, no globals, no malloc. Never reads line[len] or
 * beyond; line need not be NUL-terminated. Speed and tests:
 * src/decode/archive/aiscsv.c, tests/unit/test_aiscsv.c.
 */
#ifndef ORBAT_AISCSV_H
#define ORBAT_AISCSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "orbat/orbat.h"

#ifdef __cplusplus
extern "C" {
#endif

enum orbat_aiscsv_layout {
    ORBAT_AISCSV_UNKNOWN = 0,
    ORBAT_AISCSV_MC2025,    /* MarineCadastre 2025+ (mmsi,base_date_time,longitude,...) */
    ORBAT_AISCSV_MC_LEGACY, /* MarineCadastre before 2025 (MMSI,BaseDateTime,LAT,LON,...) */
    ORBAT_AISCSV_DMA,       /* Danish Maritime Authority aisdk (# Timestamp,...) */
};

/* The fields read; the column map is indexed by them. */
enum orbat_aiscsv_field {
    ORBAT_AISCSV_F_MMSI = 0,
    ORBAT_AISCSV_F_TIME,
    ORBAT_AISCSV_F_LAT,
    ORBAT_AISCSV_F_LON,
    ORBAT_AISCSV_F_SOG,
    ORBAT_AISCSV_F_COG,
    ORBAT_AISCSV_F_HEADING,
    ORBAT_AISCSV_F_NAME,
    ORBAT_AISCSV_F_IMO,
    ORBAT_AISCSV_F_CALLSIGN,
    ORBAT_AISCSV_F_SHIPTYPE,
    ORBAT_AISCSV_F_STATUS,
    ORBAT_AISCSV_F_LENGTH,
    ORBAT_AISCSV_F_WIDTH,
    ORBAT_AISCSV_F_DRAUGHT,
    ORBAT_AISCSV_F_CARGO,
    ORBAT_AISCSV_F_KIND, /* transceiver / TransceiverClass / Type of mobile */
    ORBAT_AISCSV_F_DEST,
    ORBAT_AISCSV_NFIELDS
};

#define ORBAT_AISCSV_MAX_COLS 64 /* a header with more columns is refused */
#define ORBAT_AISCSV_NONE     0xff

/* Column map built from the header line; caller-owned, no pointers, may be
 * copied. Treat as read-only after orbat_aiscsv_header. */
struct orbat_aiscsv {
    enum orbat_aiscsv_layout layout;
    uint8_t ncol;                            /* columns in the header */
    uint8_t need;                            /* a row must have at least this many fields */
    uint8_t col[ORBAT_AISCSV_NFIELDS];       /* field -> column index, or ORBAT_AISCSV_NONE */
    uint8_t field_of[ORBAT_AISCSV_MAX_COLS]; /* column -> field, or ORBAT_AISCSV_NONE */
};

enum orbat_aiscsv_kind {
    ORBAT_AISCSV_KIND_UNKNOWN = 0, /* column absent or empty/"Unknown"/"Undefined" */
    ORBAT_AISCSV_KIND_CLASS_A,
    ORBAT_AISCSV_KIND_CLASS_B,
    ORBAT_AISCSV_KIND_BASE_STATION,
    ORBAT_AISCSV_KIND_ATON,
    ORBAT_AISCSV_KIND_SAR_AIRBORNE,
    ORBAT_AISCSV_KIND_SART, /* DMA "Search and Rescue Transponder" */
    ORBAT_AISCSV_KIND_OTHER,
};

struct orbat_aiscsv_row {
    uint32_t mmsi; /* 1..999999999 */
    int64_t t_ms;  /* UTC, unix milliseconds */
    bool has_pos;  /* lat/lon valid (both present, not 91/181) */
    bool has_sog, has_cog, has_hdg;
    double lat, lon;      /* degrees, WGS84 */
    double sog_kn;        /* knots, 0..102.2 (102.2 = 102.2 or more) */
    double cog_deg;       /* 0..<360 */
    double hdg_deg;       /* true heading, 0..<360 */
    int16_t ship_type;    /* AIS 0..99 (or NAIS 1001..1025, see above); -1 unknown */
    int16_t cargo;        /* MarineCadastre "cargo" code; -1 unknown (DMA text ignored) */
    int8_t nav_status;    /* 0..15; -1 unknown */
    uint8_t kind;         /* enum orbat_aiscsv_kind */
    bool class_b;         /* kind == ORBAT_AISCSV_KIND_CLASS_B */
    bool base_station;    /* kind is a fixed or airborne non-vessel station: base station, AtoN
                             or SAR aircraft */
    uint32_t imo;         /* as written (digits after an optional "IMO"); 0 not available */
    uint16_t length_m;    /* 0 not available */
    uint16_t width_m;     /* 0 not available */
    uint16_t draught_dm;  /* decimetres; 0 not available */
    char name[32];        /* NUL-terminated, trimmed; longer text is cut at 31 bytes */
    char callsign[12];    /* cut at 11 bytes */
    char destination[24]; /* cut at 23 bytes */
};

/* Read the header line line[0..len) (a trailing "\r\n", a UTF-8 BOM and a
 * leading "# " are allowed) and fill *c. Returns ORBAT_OK, or
 * ORBAT_E_FORMAT when the MMSI or time column is missing, a column name
 * appears twice, a quote is unterminated or there are more than
 * ORBAT_AISCSV_MAX_COLS columns. */
ORBAT_WARN_UNUSED int orbat_aiscsv_header(struct orbat_aiscsv *c, const char *line, size_t len);

/* Parse one data row line[0..len) with the map *c. Sets every field of *r
 * (text bytes after each NUL are left as they were; the values are
 * unspecified on error). Returns ORBAT_OK;
 * ORBAT_E_FORMAT for a wrong field count, an unterminated quote, a bad
 * number or date, a bad MMSI (not 1..9 digits, or 0) or a bad IMO;
 * ORBAT_E_RANGE for a value outside its domain (lat/lon beyond +-90/+-180
 * other than the 91/181 sentinels, negative SOG/COG/heading, time before
 * 1970, nav status > 15, ship type > 1999, IMO > 2^30-1, size > 65535). */
ORBAT_WARN_UNUSED int orbat_aiscsv_row(const struct orbat_aiscsv *c, const char *line, size_t len,
                                       struct orbat_aiscsv_row *r);

/* Only the MMSI and the position of a row, with orbat_aiscsv_row's rules
 * for those three fields (quotes, the 91/181 sentinels, ranges), stopping
 * at the last of them: for filters that decide before the full parse (the
 * importer's area passes). The other fields and the field count are not
 * checked. *has_pos is false when the position is not available. Returns
 * ORBAT_OK, or the error orbat_aiscsv_row would give for those fields. */
ORBAT_WARN_UNUSED int orbat_aiscsv_pos(const struct orbat_aiscsv *c, const char *line, size_t len,
                                       uint32_t *mmsi, bool *has_pos, double *lat, double *lon);

/* Name of a layout ("mc2025", "mc_legacy", "dma", "unknown"); static. */
const char *orbat_aiscsv_layout_name(enum orbat_aiscsv_layout l);

#ifdef __cplusplus
}
#endif
#endif /* ORBAT_AISCSV_H */
