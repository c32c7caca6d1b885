/* SPDX-License-Identifier: BSD-2-Clause
 *
 * import_snap.c - readsb aircraft.json snapshots and saved v2 API answers
 * into the ingest path: one observation per aircraft with a position, at
 * the position's own time (now - seen_pos); the reader is
 * src/archive/snapshot.c.
 *
 * Overlapping snapshots (readsb-hist writes one every 5 s, an aircraft's
 * position is repeated until a newer one arrives) give the same position
 * time again: the store keeps it once (one position per asset and minute,
 * the earliest). A stale "lastPosition" is used only when the snapshot has
 * nothing newer for that aircraft, and is marked as such in its raw text.
 * Snapshots are instants, so the area filter is applied per position.
 */
#define _GNU_SOURCE 1 /* memmem */
#include "archive/import_int.h"

#include <string.h>

#include "archive/snapshot.h"
#include "store/store.h"

struct snap_ctx {
    struct importer *im;
    const char *member;
    uint64_t offset;
    bool sim;
};

static bool snap_mil(const struct importer *im, const struct snapshot_ac *a)
{
    return (a->has_dbflags && (a->dbflags & 1u)) || imp_mil_icao(im, a->hex);
}

static int snap_cb(void *ctx, const struct snapshot_ac *a)
{
    struct snap_ctx *c = ctx;
    struct importer *im = c->im;
    im->st.points++;
    if (!a->has_pos || a->non_icao)
        return 0;
    if (!imp_time_ok(im, a->t_ms) || !imp_hex_ok(im, a->hex) || (im->o.mil && !snap_mil(im, a)) ||
        (im->o.callsign && !imp_callsign_ok(im, a->flight)) ||
        (imp_has_area(im) && !imp_in_area(im, a->lat, a->lon)))
        return 0;
    struct obs *o = &im->ob;
    memset(o, 0, sizeof *o);
    o->kind = OBS_AIRCRAFT;
    o->id = a->hex;
    o->t_ms = a->t_ms;
    o->has = OBS_HAS_POS;
    o->lat = a->lat;
    o->lon = a->lon;
    if (a->ground) {
        o->flags |= OBS_F_SURFACE;
    } else if (a->has_alt_baro) {
        o->has |= OBS_HAS_ALT;
        o->alt_ft = a->alt_baro_ft;
    } else if (a->has_alt_geom) {
        o->has |= OBS_HAS_ALT;
        o->alt_ft = a->alt_geom_ft;
    }
    if (a->has_gs) {
        o->has |= OBS_HAS_SOG;
        o->sog_kn = a->gs_kt;
    }
    if (a->has_track) {
        o->has |= OBS_HAS_COG;
        o->cog_deg = a->track_deg;
    }
    if (a->has_baro_rate || a->has_geom_rate) {
        o->has |= OBS_HAS_VR;
        o->vr_fpm = a->has_baro_rate ? a->baro_rate_fpm : a->geom_rate_fpm;
    }
    if (a->flight[0]) {
        o->has |= OBS_HAS_CALLSIGN;
        store_strlcpy(o->callsign, a->flight, sizeof o->callsign);
    }
    if (a->has_squawk) {
        o->has |= OBS_HAS_SQUAWK;
        o->squawk = a->squawk;
    }
    if (a->category) {
        o->has |= OBS_HAS_CATEGORY;
        o->category = a->category;
    }
    if (a->r[0] || a->t[0] || a->desc[0] || a->ownop[0] || a->has_dbflags) {
        o->has |= OBS_HAS_ACDB;
        store_strlcpy(o->acdb.reg, a->r, sizeof o->acdb.reg);
        store_strlcpy(o->acdb.type, a->t, sizeof o->acdb.type);
        store_strlcpy(o->acdb.desc, a->desc, sizeof o->acdb.desc);
        store_strlcpy(o->acdb.ownop, a->ownop, sizeof o->acdb.ownop);
        o->acdb.flags = a->dbflags;
        o->acdb.has_flags = a->has_dbflags;
    }
    o->flags |= OBS_F_STATIC;
    if (c->sim)
        o->flags |= OBS_F_SIMULATED;
    imp_emit(im, o, c->member, c->offset, a->pos_stale ? "aircraft (lastPosition)" : "aircraft",
             a->index, a->json ? a->json : "", a->json ? a->json_len : 0);
    return ingest_emit_stopped(im->g) ? 1 : 0;
}

int imp_snapshot(struct importer *im, const char *buf, size_t len, const char *member,
                 uint64_t offset)
{
    im->st.snapshots++;
    im->seen |= SEEN_SNAP;
    // The simulator marks its snapshots with a top-level key; real ones
    // never have it.
    struct snap_ctx c = {
        im, member, offset,
        memmem(buf, len < 4096 ? len : 4096, "\"orbat_simulated\":true", 22) ||
            (len > 4096 && memmem(buf + len - 4096, 4096, "\"orbat_simulated\":true", 22))};
    if (c.sim)
        im->seen |= SEEN_SIM;
    struct snapshot_doc doc;
    int rc = snapshot_parse(buf, len, SNAPSHOT_WANT_JSON, &doc, snap_cb, &c);
    im->st.bad_points += doc.n_bad;
    if (rc != ORBAT_OK)
        imp_member_error(im, member, rc, "not a readable aircraft.json / v2 answer (%s)%s",
                         orbat_strerror(rc),
                         doc.n_done ? "; the aircraft before the error are kept" : "");
    return rc;
}
