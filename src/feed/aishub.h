/* SPDX-License-Identifier: BSD-2-Clause
 *
 * aishub.h - the AISHub web service (data.aishub.net/ws.php, JSON,
 * "human-readable" format 1: degrees, knots) for members who feed it:
 *
 *   aishub:[?bbox=S,W,N,E]                   https://data.aishub.net/ws.php
 *   aishub+http://HOST:PORT/PATH[?bbox=...]  (local tests)
 *
 * The username comes from the config file ([aishub] username) or
 * $ORBAT_AISHUB_USER; the box from bbox= or the theatre. AISHub answers
 * at most one request a minute (AISHUB_GAP_MS keeps above it).
 *
 * The answer, [{"ERROR": false, ..., "RECORDS": n}, [{"MMSI": ..,
 * "TIME": .., "LATITUDE": .., ...}, ...]] (notes in
 * shared/testdata/archives/aishub/aishub_api_notes.md), becomes aisstream
 * JSON lines (aisstream_json.h): a PositionReport for each record with a
 * position and a ShipStaticData for each with a name, call sign, IMO or
 * type, each carrying the AISHub record itself in MetaData.AISHub, so the
 * stored raw evidence is the provider's own record.
 *
 * Application library (jansson); writes to the caller's FILE.
 */
#ifndef ORBAT_FEED_AISHUB_H
#define ORBAT_FEED_AISHUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define AISHUB_URL         "https://data.aishub.net/ws.php"
#define AISHUB_USER_ENV    "ORBAT_AISHUB_USER"
#define AISHUB_GAP_MS      61000u
#define AISHUB_ATTRIBUTION "Vessel data: AISHub, https://www.aishub.net (members' data exchange)"

struct aishub_stats {
    uint64_t records, positions, statics, skipped;
    char error[128]; /* the service's ERROR_MESSAGE, or why the answer was refused */
};

/* True when spec (after an optional NAME=) starts with "aishub:" or "aishub+". */
bool aishub_is_spec(const char *spec);

/* The request URL for spec (without NAME=), user and the box (spec's
 * bbox=, else the one given; none: no box). -1 with a reason in err. */
int aishub_url(const char *spec, const char *user, bool has_box, double s, double w, double n,
               double e, char *url, size_t cap, char *err, size_t errsz);

/* Convert one answer to aisstream JSON lines on out (now_ms: the time
 * given to records without a readable TIME). Returns the lines written, or
 * -1 when the answer is not JSON of the documented shape or says ERROR
 * (reason in st->error). */
int aishub_to_lines(const char *json, size_t len, int64_t now_ms, FILE *out,
                    struct aishub_stats *st);

#endif /* ORBAT_FEED_AISHUB_H */
