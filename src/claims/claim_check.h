/* SPDX-License-Identifier: BSD-2-Clause
 *
 * claim_check.h - hold a claim (claim.h) against the store: a verdict
 * (supported, contradicted, partly supported, no public data), the measured
 * value with the fixes and raw messages behind it, the margin against the
 * claim, the coverage of the window (sources, gaps) and the evidence rows.
 * docs/claims.md gives the rules per kind; in short:
 *
 *   distance  closest approach of the asset's fixes in the window to the
 *             reference, linearly interpolated between consecutive fixes
 *             at most CC_PAIR_MAX_MS apart (the "fix pair"). A gap longer
 *             than that, in which the asset could have reached the claimed
 *             distance at CC_AIR_KN / CC_SEA_KN, leaves the claim open.
 *   presence / absence  fixes inside the area in the window.
 *   count     distinct military assets of the category seen in the area in
 *             the window: a lower bound (assets with transponders off are
 *             not counted), so a claim above it is "partly supported".
 *   incident  every asset within the circle in the window, military first;
 *             AIS gaps nearby. Never "supported": transponders do not show
 *             the incident itself.
 * No fixes for the asset / area / window: "no public data", never a guess.
 *
 * Ownership: claim_check fills a caller-owned result (every list capped).
 */
#ifndef ORBAT_CLAIMS_CLAIM_CHECK_H
#define ORBAT_CLAIMS_CLAIM_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "claims/claim.h"
#include "store/store.h"

#define CC_MAX_ASSETS  64
#define CC_MAX_MATCH   64
#define CC_MAX_SOURCES 16
#define CC_MAX_GAPS    8
#define CC_RAW_MAX     200
#define CC_PAIR_MAX_MS (10 * 60000LL) /* fixes further apart are a gap */
#define CC_AIR_KN      600.0          /* top speed assumed across a gap (aircraft) */
#define CC_SEA_KN      35.0           /* (ships) */

enum claim_verdict {
    CV_SUPPORTED = 0,
    CV_CONTRADICTED,
    CV_PARTLY,
    CV_NO_DATA,
};

/* One stored fix with its raw message. */
struct cc_fix {
    int64_t asset_id;
    char asset[64]; /* name or call sign */
    int64_t t_ms;
    double lat, lon;
    double d_nm; /* distance to the reference / centre; NaN when not measured */
    int64_t raw_id;
    char raw[CC_RAW_MAX]; /* "" when none; non-printable bytes as '.' */
    char source[64];      /* source file name, no directories */
};

struct cc_asset {
    struct store_asset a;
    uint64_t n_fixes;    /* fixes in the window (inside the area) */
    struct cc_fix first; /* count: the first fix; incident: the closest */
};

struct cc_span {
    int64_t from_ms, to_ms;
};

struct claim_result {
    enum claim_verdict verdict;
    char measured[200]; /* the measured value in words */
    double value;       /* nm (distance) or count; NaN when none */
    double margin;      /* nm or count in the claim's favour (>= 0 holds); NaN when none */
    struct cc_fix pair[2];
    size_t npair;
    double closest_fix_nm; /* distance: the closest single fix */
    /* distance: how far the path between the fix pair can stray from the
     * straight line (the half-width of the ellipse of paths of length
     * speed x time between them; speed from the fixes' SOG, else 1.1 x the
     * straight-line speed): the measured value is uncertain by this much. */
    double uncertainty_nm;
    /* distance: the closest point of the path (on a fix or between the fix
     * pair) and the nearest point of the reference to it; NaN when none. */
    double closest_lat, closest_lon, ref_near_lat, ref_near_lon;
    struct cc_asset assets[CC_MAX_ASSETS]; /* count / incident / matched assets */
    size_t nassets, assets_total;
    struct cc_fix evidence[8]; /* presence / absence: first and last fix inside */
    size_t nevidence;
    char sources[CC_MAX_SOURCES][96]; /* sources whose data covers the window */
    size_t nsources;
    struct cc_span uncovered[CC_MAX_GAPS]; /* parts of the window no source covers */
    size_t nuncovered;
    struct cc_span asset_gaps[CC_MAX_GAPS]; /* gaps > CC_PAIR_MAX_MS in the asset's fixes */
    size_t nasset_gaps;
    int64_t seen_first_ms, seen_last_ms; /* the asset's fixes in the window, 0 if none */
    uint64_t ais_gaps;                   /* incident: AIS gap events nearby */
    char gap_lines[4][160];
    size_t ngap_lines;
    char note[600];
};

const char *claim_verdict_name(enum claim_verdict v);

/* The assets a claim's asset key names (claim.h), seen in [from, to]
 * (from = to = 0: at any time), into ids (up to max); *n receives the
 * number found. Returns ORBAT_OK or a store error. */
int claim_resolve(struct store *s, const char *key, int64_t from_ms, int64_t to_ms, int64_t *ids,
                  size_t max, size_t *n);

/* Check claim c against the store. Returns ORBAT_OK with *r filled, or
 * ORBAT_E_INVAL / ORBAT_E_NOTFOUND (unknown theatre, reference or zone)
 * with the reason in err, or a store error. */
int claim_check(struct store *s, const struct claim *c, struct claim_result *r, char *err,
                size_t errlen);

#endif /* ORBAT_CLAIMS_CLAIM_CHECK_H */
