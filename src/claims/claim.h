/* SPDX-License-Identifier: BSD-2-Clause
 *
 * claim.h - a claim made in public reporting ("the B-1Bs flew within 6 nmi
 * of Venezuela", "at least 10 warships") in structured form, and its strict
 * parser. A claim is held as a canonical spec, one "key=value" per ';':
 *
 *   kind=distance; asset=BARB21; from=2025-10-23T00:00Z; to=2025-10-24T00:00Z;
 *   ref=point:11.38,-63.12; claim=within 10 km
 *
 * Kinds and their keys (docs/claims.md):
 *   distance  asset, from, to, ref (an approach layer of the theatre such as
 *             venezuela_coast, or point:LAT,LON), claim (QUALIFIER N UNIT)
 *   presence / absence  asset, from, to, area
 *   count     from, to, area, claim (QUALIFIER N CATEGORY)
 *   incident  from, to, area (circle:LAT,LON,R UNIT)
 * area: a theatre name, zone:NAME (a theatre zone), bbox:S,W,N,E or
 * circle:LAT,LON,R UNIT. Default area: the theatre (theatre=NAME, default
 * caribbean).
 * asset: an ICAO hex (6 hex digits or hex:..), an MMSI (9 digits or mmsi:..),
 * role:WORD (category or role contains WORD), or a name, hull or call sign;
 * a trailing '*' makes a call sign a prefix pattern (BUNNY0*).
 *
 * Units: nm, nmi, nautical miles; km, kilometres; mi, statute miles. Plain
 * "miles" is refused as ambiguous. Qualifiers: within / at most / no more
 * than / up to (<=), less than / under / fewer than (<), about / around /
 * approximately / roughly / ~ (about), at least / no less than (>=), more
 * than / over / beyond (>), exactly (=, counts only). A number without a
 * qualifier, or a distance without a unit, is refused with a message saying
 * what to add.
 *
 * Pure: no I/O, no allocation, no globals; every string is capped.
 */
#ifndef ORBAT_CLAIMS_CLAIM_H
#define ORBAT_CLAIMS_CLAIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "orbat/orbat.h"

#define CLAIM_SPEC_MAX   1024 /* canonical spec text, with its NUL */
#define CLAIM_MAX_NM     5400.0
#define CLAIM_MAX_COUNT  100000.0
#define CLAIM_MAX_WINDOW (366LL * 86400000LL) /* longest window checked */

enum claim_kind {
    CLAIM_NONE = 0,
    CLAIM_DISTANCE,
    CLAIM_PRESENCE,
    CLAIM_ABSENCE,
    CLAIM_COUNT,
    CLAIM_INCIDENT,
};

enum claim_qual {
    CQ_NONE = 0,
    CQ_LE,    /* within, at most */
    CQ_LT,    /* less than, under */
    CQ_ABOUT, /* about, around */
    CQ_GE,    /* at least */
    CQ_GT,    /* more than */
    CQ_EQ,    /* exactly (counts) */
};

enum claim_unit {
    CU_NONE = 0,
    CU_NM,
    CU_KM,
    CU_MI,
};

enum claim_area {
    CA_NONE = 0,
    CA_THEATRE, /* the whole theatre */
    CA_ZONE,    /* a zone of the theatre, by name */
    CA_BBOX,
    CA_CIRCLE,
};

struct claim_measure {
    enum claim_qual qual;
    double value;         /* as written */
    enum claim_unit unit; /* distances; CU_NONE for counts */
    double nm;            /* the distance in nm (distances) */
    char category[32];    /* counts: "warship", "bomber", "military aircraft", "military" */
};

struct claim {
    enum claim_kind kind;
    char asset[64];
    int64_t from_ms, to_ms;
    char theatre[32];
    /* distance reference */
    char ref[64]; /* approach layer name, or "" for a point */
    double ref_lat, ref_lon;
    /* area (presence, absence, count, incident) */
    enum claim_area area;
    char zone[64];
    double south, west, north, east; /* CA_BBOX */
    double lat, lon, radius_nm;      /* CA_CIRCLE */
    double radius_value;             /* as written */
    enum claim_unit radius_unit;     /* as written */
    struct claim_measure m;          /* distance and count */
};

const char *claim_kind_name(enum claim_kind k);
enum claim_kind claim_kind_parse(const char *s);
const char *claim_qual_text(enum claim_qual q); /* "within", "at least" ... */
const char *claim_unit_text(enum claim_unit u); /* "nm", "km", "mi" */
/* Nautical miles in one UNIT. */
double claim_unit_nm(enum claim_unit u);

/* Parse "within 6 nmi" (distance) or "at least 10 warships" (count) for a
 * claim of kind k. Returns ORBAT_OK, or ORBAT_E_INVAL with a message in err
 * that says what is wrong and what to write instead. */
int claim_parse_measure(const char *s, enum claim_kind k, struct claim_measure *m, char *err,
                        size_t errlen);
/* Parse a canonical spec (above) into *c and check it is complete for its
 * kind: same returns as claim_parse_measure. Times outside 1970..2200, an
 * empty or reversed window, or one over CLAIM_MAX_WINDOW are errors. */
int claim_parse_spec(const char *spec, struct claim *c, char *err, size_t errlen);
/* Write the canonical spec of c into buf (truncated to size; returns
 * ORBAT_E_TOOLONG when it did not fit). claim_parse_spec reads it back to
 * the same claim. */
int claim_format_spec(const struct claim *c, char *buf, size_t size);
/* Write the claimed measure ("within 10 km", "at least 10 warship") */
void claim_format_measure(const struct claim_measure *m, enum claim_kind k, char *buf, size_t size);

/* The events_seed.csv layout (date_utc_approx,domain,asset,callsign,summary,
 * source) and the claims layout (kind,asset,from,to,ref,area,claim,...)
 * share one reader: claim_csv_row maps one row, given its header, to a spec
 * (written into spec) plus text / source / claimant / published. Columns
 * (any order, by header name): kind or domain; asset; callsign; date or
 * date_utc_approx; from; to; ref; area; claim; theatre; text or summary;
 * source; claimant or by; published. domain air/sea means presence of the
 * call sign (or asset) on that date; domain count needs a claim column.
 * Returns ORBAT_OK or ORBAT_E_INVAL with the reason in err. */
struct claim_row_out {
    char spec[CLAIM_SPEC_MAX];
    char text[512];
    char source_url[512];
    char claimant[128];
    int64_t published_ms; /* 0 unknown */
};
int claim_csv_row(const char *const *header, int nheader, const char *const *field, int nfield,
                  struct claim_row_out *out, char *err, size_t errlen);

#endif /* ORBAT_CLAIMS_CLAIM_H */
