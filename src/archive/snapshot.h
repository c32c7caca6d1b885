/* SPDX-License-Identifier: BSD-2-Clause
 *
 * snapshot.h - one archived snapshot of aircraft, in either of readsb's two
 * whole-document layouts:
 *
 *   aircraft.json  {"now": unix SECONDS (float), "messages": n, "aircraft": [...]}
 *                  readsb's own file; ADS-B Exchange readsb-hist archives one
 *                  every 5 s (shared/testdata/archives/adsbx_hist/notes.md).
 *   v2 API         {"ac": [...], "msg": "...", "now": unix MILLISECONDS,
 *                  "total": n, "ctime": ms, "ptime": ms} from adsb.lol,
 *                  airplanes.live, adsb.fi and ADS-B Exchange.
 *
 * The layout is named by the array's key; the unit of "now" by its value
 * (above 1e11 it is milliseconds, else seconds), so a v2 answer in seconds
 * or an aircraft.json in milliseconds still reads right. "now" must be a
 * finite number in 1970..2200, else ORBAT_E_RANGE; no time computed here
 * can overflow (every per-aircraft age is bounded before it is used).
 *
 * Aircraft keys (readsb README-json.md): hex ("~" = non-ICAO address),
 * type, flight, r, t, desc, ownOp, dbFlags, squawk, category, alt_baro
 * (feet or "ground"), alt_geom, gs, track, baro_rate, geom_rate, lat, lon,
 * seen_pos, seen, lastPosition {lat, lon, nic, rc, seen_pos}. Keys may be
 * missing; a key of the wrong type or out of range reads as missing.
 *
 * The caller inflates .gz documents; this reads plain JSON bytes.
 * Application library (jansson; allocates while parsing, frees before it
 * returns).
 */
#ifndef ORBAT_ARCHIVE_SNAPSHOT_H
#define ORBAT_ARCHIVE_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "orbat/orbat.h"

#define SNAPSHOT_MAX_BYTES (512u << 20) /* larger documents: ORBAT_E_TOOLONG */
#define SNAPSHOT_MAX_AGE_S 1e9          /* seen / seen_pos beyond this (~31 years): ignored */

enum snapshot_layout {
    SNAPSHOT_UNKNOWN = 0,
    SNAPSHOT_AIRCRAFT_JSON, /* "aircraft" array */
    SNAPSHOT_V2_API,        /* "ac" array */
};

/* Document-level values, filled by snapshot_parse. */
struct snapshot_doc {
    enum snapshot_layout layout;
    bool now_was_ms;  /* "now" was in milliseconds (> 1e11) */
    int64_t now_ms;   /* "now", unix milliseconds */
    bool has_ctime;   /* v2 "ctime" present and in range */
    int64_t ctime_ms; /* v2 "ctime", unix milliseconds */
    uint32_t n_ac;    /* entries in the array */
    uint32_t n_done;  /* aircraft handed to the callback */
    uint32_t n_bad;   /* entries skipped: not an object, or no valid "hex" */
};

/* Flags for snapshot_parse. */
#define SNAPSHOT_WANT_JSON 1u /* fill snapshot_ac.json with the object's compact text */

struct snapshot_ac {
    uint32_t index;  /* 0-based position in the array (skipped entries count) */
    uint32_t hex;    /* 24-bit address */
    bool non_icao;   /* hex had the '~' prefix (TIS-B / anonymous / non-ICAO) */
    char type[16];   /* "adsb_icao", "adsb_icao_nt", "adsr_icao", "tisb_icao", "mlat",
                        "mode_s", "other", ...; "" absent */
    char flight[16]; /* trimmed; "" when absent, blank or all '@'; cut at 15 bytes */
    char r[16];      /* registration; "" absent */
    char t[16];      /* ICAO type designator; "" absent */
    char desc[64];   /* long type name; "" absent */
    char ownop[64];  /* owner / operator ("ownOp"); "" absent */
    bool has_dbflags;
    uint32_t dbflags; /* 1 military, 2 interesting, 4 PIA, 8 LADD */
    bool has_squawk;
    uint16_t squawk;   /* 4 octal digits read as a decimal number: "7700" -> 7700 */
    uint8_t category;  /* emitter category 0xA0..0xD7 ("A3" -> 0xA3); 0 absent */
    bool has_alt_baro; /* numeric alt_baro */
    bool ground;       /* alt_baro was "ground" (has_alt_baro false) */
    int32_t alt_baro_ft;
    bool has_alt_geom;
    int32_t alt_geom_ft;
    bool has_gs, has_track, has_baro_rate, has_geom_rate;
    double gs_kt;     /* ground speed, knots, >= 0 */
    double track_deg; /* 0..360 */
    int32_t baro_rate_fpm, geom_rate_fpm;
    /* position: "lat"/"lon" (t_ms = now - seen_pos, now when seen_pos is
     * absent) or else "lastPosition" (pos_stale, needs its seen_pos) */
    bool has_pos;
    bool pos_stale;  /* from "lastPosition": older than readsb's 60 s validity */
    double lat, lon; /* degrees */
    int64_t t_ms;    /* unix ms of the position */
    bool has_seen;
    int64_t t_seen_ms; /* now - seen: last message of any kind, unix ms */
    /* the aircraft object as compact JSON (json_dumps JSON_COMPACT, keys in
     * document order, reals in 15 significant digits unless a value needs 17),
     * NUL-terminated; only with SNAPSHOT_WANT_JSON, else
     * NULL. Borrowed: valid during the callback only (copy it to keep it). */
    const char *json;
    size_t json_len;
};

/* Called once per aircraft entry with a valid hex, in array order. Return
 * 0 to go on, non-zero to stop (snapshot_parse then returns ORBAT_OK). */
typedef int (*snapshot_cb)(void *ctx, const struct snapshot_ac *a);

/* Parse the whole document buf[0..len) (need not be NUL-terminated) and
 * call cb for each aircraft. *doc is filled first (cb may read it through
 * its ctx). Returns ORBAT_OK; ORBAT_E_FORMAT when the bytes are not a JSON
 * object, have neither an "aircraft" nor an "ac" array, or have no numeric
 * "now"; ORBAT_E_RANGE when "now" is outside 1970..2200; ORBAT_E_TOOLONG
 * above SNAPSHOT_MAX_BYTES; ORBAT_E_NOMEM when an allocation fails (the
 * aircraft before it were delivered). */
ORBAT_WARN_UNUSED int snapshot_parse(const char *buf, size_t len, unsigned flags,
                                     struct snapshot_doc *doc, snapshot_cb cb, void *ctx);

/* Name of a layout: "aircraft.json", "v2", "unknown"; static. */
const char *snapshot_layout_name(enum snapshot_layout l);

#endif /* ORBAT_ARCHIVE_SNAPSHOT_H */
