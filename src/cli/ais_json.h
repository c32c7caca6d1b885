/* SPDX-License-Identifier: BSD-2-Clause
 *
 * ais_json.h - JSON for decoded AIS messages: gpsd 3.22 compatible objects
 * (`gpsdecode -u -j`, and `gpsdecode -j` when scaled) and orbat's own JSON
 * lines (gpsd unscaled fields plus provenance: channel, talker, tag-block or
 * trailer time/source/group and the raw sentences).
 *
 * Ownership: everything is borrowed for the call.
 */
#ifndef ORBAT_CLI_AIS_JSON_H
#define ORBAT_CLI_AIS_JSON_H

#include <stdbool.h>

#include "orbat/ais.h"
#include "util/outbuf.h"

/* One gpsd object terminated by "\r\n" as gpsdecode writes it, with
 * "device":"stdin". Type 24 must be a merged part A+B (part B with the
 * shipname filled in from part A): the caller owns that pairing. */
void ais_json_gpsd(struct outbuf *ob, const struct orbat_ais_msg *m, bool scaled);

/* One orbat JSON line terminated by "\n". Type 24 parts are written one by
 * one with "part":"A"/"B". */
void ais_json_line(struct outbuf *ob, const struct orbat_ais_msg *m);

/* The body members after "scaled": shared by both writers (exported for the
 * tests). Writes nothing for type 24 part A when gpsd is true. */
void ais_json_body(struct outbuf *ob, const struct orbat_ais_msg *m, bool scaled);

#endif /* ORBAT_CLI_AIS_JSON_H */
