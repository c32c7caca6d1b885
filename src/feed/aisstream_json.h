/* SPDX-License-Identifier: BSD-2-Clause
 *
 * aisstream_json.h - one aisstream.io websocket message (JSON:
 * {"MessageType": "PositionReport", "MetaData": {"MMSI": ..,
 * "time_utc": "2026-12-07 06:16:50.123456 +0000 UTC", ..},
 * "Message": {"PositionReport": {...}}}; schema
 * shared/testdata/archives/aisstream/aisstream_type-definition.yaml) mapped
 * onto orbat's decoded AIS message (struct orbat_ais_msg), so that the
 * pipeline, identification, tracking and the store treat it like a decoded
 * NMEA sentence. aisstream gives the fields scaled (degrees, knots, metres);
 * they are turned back into the ITU-R M.1371 raw units, with aisstream's
 * "not available" values (Longitude 181, Latitude 91, Sog 102.3, Cog 360,
 * TrueHeading 511) kept as the spec's N/A values.
 *
 * Mapped: PositionReport (1-3), BaseStationReport (4, 11), ShipStaticData
 * (5), StandardSearchAndRescueAircraftReport (9),
 * StandardClassBPositionReport (18), ExtendedClassBPositionReport (19),
 * AidsToNavigationReport (21), StaticDataReport (24),
 * LongRangeAisBroadcastMessage (27). Other types: ORBAT_E_UNSUPPORTED.
 *
 * The message text itself is the raw evidence: m->raw holds the JSON (cut
 * at ORBAT_AIS_RAW_CAP - 1 bytes; the pipeline keeps the whole line).
 * Application library (jansson: allocates while parsing, frees before it
 * returns; no globals, no I/O).
 */
#ifndef ORBAT_FEED_AISSTREAM_JSON_H
#define ORBAT_FEED_AISSTREAM_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "orbat/ais.h"
#include "orbat/orbat.h"

#define AISSTREAM_MAX_MSG 65536 /* longer messages: ORBAT_E_TOOLONG */

/* Parse json[0..len) (need not be NUL-terminated) into *m (fully
 * overwritten). Returns ORBAT_OK; ORBAT_E_FORMAT when it is not a JSON
 * object with "MessageType" and "Message"; ORBAT_E_PROTOCOL when it is the
 * server's {"error": "..."} (the text, cut, in err: errsz bytes; err may be
 * NULL); ORBAT_E_UNSUPPORTED for a message type that is not mapped;
 * ORBAT_E_RANGE when the MMSI or a field is out of range; ORBAT_E_TOOLONG
 * above AISSTREAM_MAX_MSG; ORBAT_E_NOMEM. */
ORBAT_WARN_UNUSED int aisstream_parse(const char *json, size_t len, struct orbat_ais_msg *m,
                                      char *err, size_t errsz);

/* True when a line looks like an aisstream message (a JSON object naming
 * "MessageType"); cheap, for framing detection. */
bool aisstream_line_is(const char *line, size_t len);

/* Parse aisstream's "time_utc" ("2006-01-02 15:04:05.999999999 -0700 MST",
 * Go's time.Time String form, or ISO 8601 "...T...Z") to unix ms.
 * Returns false when it does not parse. */
bool aisstream_time(const char *s, int64_t *ms);

#endif /* ORBAT_FEED_AISSTREAM_JSON_H */
