/* SPDX-License-Identifier: BSD-2-Clause
 *
 * gfw.h - saved answers of the Global Fishing Watch (GFW) API v3: an events
 * list (GET/POST /v3/events: {"entries":[...], "total", "limit", "offset",
 * "nextOffset"}), a single event object (GET /v3/events/{id}), and vessel
 * identities (GET /v3/vessels/{id}: one vessel with "selfReportedInfo" and
 * "registryInfo"; /v3/vessels/search: {"entries":[vessel...]}).
 *
 * GFW events are external: GFW's own detections (encounter, loitering,
 * port_visit, gap, fishing), licensed CC BY-NC 4.0. orbat stores them apart
 * from its own events (store.h, struct store_ext_event); see docs/events.md.
 *
 * Event fields read (https://globalfishingwatch.org/our-apis/documentation):
 * id, type, start, end (ISO 8601 UTC), position {lat, lon}, vessel {id,
 * ssvid (= MMSI), name, flag, type}, and the block named by the type:
 * encounter {vessel {ssvid, name}, medianDistanceKilometers,
 * medianSpeedKnots}, loitering {totalTimeHours, totalDistanceKm,
 * averageSpeedKnots, averageDistanceFromShoreKm}, port_visit
 * {startAnchorage {name, id}, durationHrs, confidence}, gap {durationHours,
 * distanceKm, impliedSpeedKnots, intentionalDisabling}, fishing
 * {totalDistanceKm, averageSpeedKnots}. GFW writes some numbers as strings
 * ("distanceKm": "55.5"); both are accepted. Unknown keys are ignored.
 *
 * The parser works on the whole JSON text in one buffer (jansson; the
 * caller reads and gunzips the file). No globals, no I/O, no logging.
 */
#ifndef ORBAT_ARCHIVE_GFW_H
#define ORBAT_ARCHIVE_GFW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "orbat/orbat.h"

/* Licence and provider of GFW data, as stored and shown. */
#define GFW_PROVIDER "gfw"
#define GFW_LICENCE  "CC BY-NC 4.0"

/* The largest document gfw_parse accepts (bytes of JSON text). */
#define GFW_MAX_DOC (256u << 20)

struct gfw_event {
    char id[128];                 /* GFW event id (unique per provider) */
    char type[32];                /* "encounter", "loitering", "port_visit", "gap", "fishing" */
    int64_t t_start_ms, t_end_ms; /* end = start when "end" is absent, null or "" */
    bool has_end;                 /* "end" was given */
    double lat, lon;              /* NaN when absent */
    char vessel_id[128];          /* GFW vessel id */
    uint32_t mmsi;                /* vessel.ssvid; 0 when absent or not a number 1..999999999 */
    char name[64];                /* vessel name, "" when absent */
    char flag[8];                 /* ISO 3166 alpha-3, "" when absent */
    char vessel_type[32];         /* "fishing", "carrier" ... */
    uint32_t other_mmsi;          /* encounter: the other vessel's ssvid; else 0 */
    char other_name[64];          /* encounter: the other vessel's name */
    char detail[256];             /* short text: port name, durations, distances */
    /* The event's compact JSON (keys in document order), for provenance.
     * Borrowed for the duration of the callback. */
    const char *json;
    size_t json_len;
};

/* One vessel identity of a vessel answer: each "selfReportedInfo" (AIS)
 * and "registryInfo" entry. */
struct gfw_vessel {
    char vessel_id[128]; /* GFW vessel id ("id"; registry entries: their record id) */
    char source[16];     /* "selfReported" or "registry" */
    uint32_t mmsi;       /* ssvid; 0 when absent or not numeric */
    char name[64];       /* shipname */
    char flag[8];
    char callsign[16];
    char imo[16];
    int64_t from_ms, to_ms; /* transmissionDateFrom/To; 0 when absent */
};

enum gfw_doc {
    GFW_DOC_EVENTS = 1, /* an events list or a single event */
    GFW_DOC_VESSELS,    /* a vessel or a vessel search list */
};

/* Return 0 to go on, non-zero to stop (gfw_parse then returns that value). */
typedef int (*gfw_event_cb)(void *ctx, const struct gfw_event *e);
typedef int (*gfw_vessel_cb)(void *ctx, const struct gfw_vessel *v);

struct gfw_parse_result {
    enum gfw_doc doc;    /* what the document was */
    size_t events;       /* events delivered */
    size_t vessels;      /* identities delivered */
    int64_t total;       /* the list's "total", -1 when absent */
    int64_t next_offset; /* "nextOffset", -1 when absent or null (last page) */
    char err[160];       /* why it failed ("" on success) */
};

/* Parse the GFW document buf[0..len): calls event_cb for each event (in
 * order) or vessel_cb for each identity (either callback may be NULL).
 * Returns ORBAT_OK; ORBAT_E_FORMAT for text that is not JSON or not a GFW
 * events/vessel document, or an event without id, type or a valid start,
 * or a field of the wrong kind (res->err says which entry and field);
 * ORBAT_E_RANGE for a time outside 1970..2200 or a position outside
 * -90..90 / -180..180; ORBAT_E_TOOLONG when len > GFW_MAX_DOC; or the first
 * non-zero callback value. Events before a failing entry have been
 * delivered: a caller that wants all or nothing parses twice. res may be
 * NULL. */
ORBAT_WARN_UNUSED int gfw_parse(const char *buf, size_t len, gfw_event_cb event_cb,
                                gfw_vessel_cb vessel_cb, void *ctx, struct gfw_parse_result *res);

/* Whether the first bytes of a file (buf[0..len), any prefix of the
 * document, gunzipped) look like a GFW API v3 answer: a JSON object whose
 * prefix names a GFW key ("ssvid", "selfReportedInfo", "registryInfo",
 * "entries" with "nextOffset", or "start" and "type" with "regions" or
 * "boundingBox"). A cheap test for format detection (give it the first few
 * KB); gfw_parse decides. */
bool gfw_looks_like(const char *buf, size_t len);

/* Parse an ISO 8601 UTC time ("2016-12-17T20:57:49.000Z", offsets +hh:mm,
 * a date alone) into ms since 1970. ORBAT_E_FORMAT when malformed,
 * ORBAT_E_RANGE outside 1970-01-01 .. 2200-01-01. */
ORBAT_WARN_UNUSED int gfw_time_parse(const char *s, int64_t *ms);

#endif /* ORBAT_ARCHIVE_GFW_H */
