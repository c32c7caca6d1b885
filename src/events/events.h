/* SPDX-License-Identifier: BSD-2-Clause
 *
 * events.h - the events engine: observations in, tracked assets and
 * events out. It owns a track table (src/track) and borrows a theatre
 * (src/geo), and detects, per asset:
 *
 *   first_seen / last_seen   first observation; last one (at expiry or finish)
 *   enter / leave            zone crossings (zone 0 = the theatre area), with
 *                            hysteresis: N fixes and T ms on the new side
 *   approach                 closest approach to a named coastline / 12 nm line
 *                            during a pass that came within approach_nm
 *   ais_gap                  a ship silent >= gap_ms that was >= gap_shore_nm
 *                            from shore when it went silent; the reappearance
 *   dark                     an aircraft inside the theatre that stopped being
 *                            received for >= dark_ms (not near an airfield)
 *   loiter                   a ship < loiter_kn for >= loiter_ms, away from
 *                            ports and >= loiter_shore_nm from shore
 *   encounter                two ships within enc_m for >= enc_ms, both < enc_kn
 *   arrival / departure      within site_in_m / beyond site_out_m of a port
 *                            (ships) or airfield (aircraft)
 *   orbit                    an airborne aircraft whose course turned through
 *                            >= orbit_turn_deg in one sense (circles,
 *                            racetracks) over >= orbit_min_ms, every fix
 *                            within orbit_max_nm of where the turning began
 *
 * Every default and its source is in docs/events.md. Time is the data's:
 * the engine's clock is the largest obs.t_ms seen, and timed checks (dark,
 * expiry, open encounters) run every sweep_ms of data time, so replaying a
 * recording gives what the live feed gave.
 *
 * Ownership: ev_engine_new borrows the theatre and the callbacks' ctx for
 * its lifetime; ev_engine_free frees the engine (NULL-safe). The struct
 * event handed to the callback and every pointer in it are borrowed for the
 * duration of the call: copy what you keep.
 */
#ifndef ORBAT_EVENTS_EVENTS_H
#define ORBAT_EVENTS_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/obs.h"
#include "geo/theatre.h"
#include "track/track.h"

enum ev_type {
    EV_FIRST_SEEN = 1,
    EV_LAST_SEEN,
    EV_ENTER,
    EV_LEAVE,
    EV_APPROACH,
    EV_AIS_GAP,
    EV_DARK,
    EV_LOITER,
    EV_ENCOUNTER,
    EV_ARRIVAL,
    EV_DEPARTURE,
    EV_ORBIT,
    EV_NTYPES
};

/* Where an observation came from: enough to find it again. */
struct ev_ref {
    const char *source; /* feed or file name (engine-owned, valid until ev_engine_free) */
    uint64_t offset;    /* byte offset of the observation in the source */
    const char *raw;    /* the raw sentence/frame, only when the point is the
                         * observation being processed; else NULL */
    size_t raw_len;
};

/* A position of the asset at a time, with the observation behind it. */
struct ev_point {
    bool valid;
    int64_t t_ms;
    double lat, lon;
    struct ev_ref ref;
};

#define EV_MAX_VALUES 8

/* A measured value that triggered or describes the event. name is a static
 * string whose suffix gives the unit: _nm, _m, _kn, _s, _h, _deg, _ft. */
struct ev_value {
    const char *name;
    double v;
};

struct event {
    enum ev_type type;
    enum obs_kind kind;
    uint32_t id;                  /* MMSI or ICAO address */
    uint32_t other_id;            /* encounter: the other ship's MMSI; else 0 */
    const char *where;            /* zone, approach line or site name; "" if none */
    const char *site_id;          /* site code (e.g. ICAO airfield code) or "" */
    bool approx;                  /* involves a derived (approximate) zone */
    bool open;                    /* the span was still open when the data ended */
    int64_t t_start_ms, t_end_ms; /* equal for an instant */
    /* p[0]: the event's main point (start, first fix on the new side,
     * closest fix, last fix before a gap); p[1]: end / confirming /
     * reappearance fix. Either may be invalid. */
    struct ev_point p[2];
    struct ev_value val[EV_MAX_VALUES];
    int nval;
};

typedef void (*ev_cb)(void *ctx, const struct event *e);
/* A thinned history point of an asset (kept by the track thinner or
 * forced because an event refers to it). */
typedef void (*ev_point_cb)(void *ctx, const struct track_asset *a, const struct ev_point *p,
                            bool event_point);

struct ev_config {
    int zone_confirm_fixes;  /* default 2 */
    int64_t zone_confirm_ms; /* default 60000 */
    double approach_nm;      /* default 60: a pass starts within this */
    double approach_end_nm;  /* default 70: and ends beyond this */
    double approach_eps_nm;  /* default 0.2: the closest distance is exact to this */
    int64_t gap_ms;          /* default 12 h (Global Fishing Watch AIS gap) */
    double gap_shore_nm;     /* default 50 (GFW) */
    int64_t dark_ms;         /* default 300000 (5 min) */
    double dark_site_m;      /* default 10000: no "dark" near an airfield */
    double loiter_kn;        /* default 2 */
    int64_t loiter_ms;       /* default 2 h */
    double loiter_shore_nm;  /* default 20 (GFW loitering) */
    double enc_m;            /* default 500 (GFW encounters) */
    int64_t enc_ms;          /* default 2 h (GFW) */
    double enc_kn;           /* default 2 (GFW) */
    double enc_shore_nm;     /* default 5.4 (10 km, GFW "away from anchorage" proxy) */
    int64_t enc_skew_ms;     /* default 600000: fixes of both ships this close in time */
    double site_in_m;        /* default 3000 (GFW port visits: 3 km in) */
    double site_out_m;       /* default 4000 (4 km out) */
    int32_t site_air_max_ft; /* default 3000: an aircraft "arrives" only below this */
    double orbit_turn_deg;   /* default 720: two full turns in one sense */
    int64_t orbit_min_ms;    /* default 20 min from where the turning began */
    double orbit_max_nm;     /* default 100: every fix this close to that start */
    int64_t orbit_gap_ms;    /* default 10 min: a longer reception gap ends it */
    int64_t orbit_stall_ms;  /* default 20 min without further turning ends it */
    double orbit_seg_nm;     /* default 0.5: the course is sampled every 0.5 nm */
    int64_t sweep_ms;        /* default 60000 */
    struct track_cfg track;
};

void ev_config_default(struct ev_config *c);

struct ev_stats {
    uint64_t obs, positions;
    uint64_t untimed; /* observations without a time (given the data clock) */
    uint64_t events[EV_NTYPES];
    uint64_t zone_flaps;   /* crossings not confirmed by the hysteresis */
    uint64_t dist_queries; /* exact distance-to-layer queries */
    uint64_t dist_skipped; /* avoided by the moved-distance bound */
    uint64_t nomem;
};

struct ev_engine;

/* th may be NULL (no theatre: only first/last seen, gaps, loiter,
 * encounters and the track history). Returns NULL out of memory. */
struct ev_engine *ev_engine_new(struct theatre *th, const struct ev_config *cfg, ev_cb cb,
                                void *ctx);
void ev_engine_set_point_cb(struct ev_engine *e, ev_point_cb cb, void *ctx);
/* Process one observation (time order per asset; across assets the order
 * does not matter within sweep_ms). */
void ev_engine_obs(struct ev_engine *e, const struct obs *o);
/* End of data: close open spans (approach, loiter, encounter, gap) as
 * open and emit last_seen for every asset. The engine stays usable. */
void ev_engine_finish(struct ev_engine *e);
void ev_engine_free(struct ev_engine *e);

const struct ev_stats *ev_engine_stats(const struct ev_engine *e);
struct track_table *ev_engine_tracks(struct ev_engine *e);
/* Heap bytes held by the engine and its track table (not the theatre). */
size_t ev_engine_mem(const struct ev_engine *e);

const char *ev_type_name(enum ev_type t);

#endif /* ORBAT_EVENTS_EVENTS_H */
