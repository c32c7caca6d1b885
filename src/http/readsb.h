/* SPDX-License-Identifier: BSD-2-Clause
 *
 * readsb.h - aircraft from readsb / tar1090 "aircraft.json" and from the
 * readsb v2 API format served by aggregators (e.g. a /v2/mil endpoint:
 * {"ac":[...], "now": ms}), converted to SBS-1 BaseStation lines (MSG,3
 * carrying call sign, altitude, speed, track and position) so they enter
 * the store through the same SBS decoder and ingest path as port-30003
 * captures. Positions older than READSB_MAX_SEEN_POS seconds, non-ICAO
 * addresses ("~" prefix), and records without a position are skipped and
 * counted by reason.
 *
 * Ownership: pure conversion; writes to the caller's FILE.
 */
#ifndef ORBAT_HTTP_READSB_H
#define ORBAT_HTTP_READSB_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define READSB_MAX_SEEN_POS 60.0
#define READSB_MAX_BYTES    (16u << 20)

enum readsb_skip {
    RSB_SKIP_NO_POS,   /* no lat/lon, or seen_pos too old */
    RSB_SKIP_NON_ICAO, /* "~" address (TIS-B / non-ICAO) */
    RSB_SKIP_BAD,      /* a field of the wrong type or out of range */
    RSB_SKIP_NREASONS
};

struct readsb_stats {
    uint64_t polls, aircraft, lines, bad_json;
    uint64_t skipped[RSB_SKIP_NREASONS];
};

/* Convert one aircraft.json / v2 document to SBS lines on out, timed at the
 * document's "now" (fallback_ms when absent) minus each record's seen_pos.
 * Returns the number of lines written, or -1 when the document is not
 * JSON with an "aircraft" or "ac" array, or when its clock ("now", else
 * fallback_ms) lies outside 1970 + READSB_MAX_SEEN_POS s .. RTIME_MAX_MS
 * (counted in st->bad_json). */
int readsb_to_sbs(const char *json, size_t len, int64_t fallback_ms, FILE *out,
                  struct readsb_stats *st);

#endif /* ORBAT_HTTP_READSB_H */
