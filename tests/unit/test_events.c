/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_events.c - constructed tracks for every event type (positive,
 * negative, boundary), against a constructed theatre whose geometry makes
 * the expected values easy to compute, plus the shipped Caribbean theatre
 * and property tests (interleaving of independent assets).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "events/events.h"
#include "geo/geodesic.h"
#include "geo/layer.h"
#include "geo/theatre.h"

#define H   (3600ll * 1000)
#define MIN (60ll * 1000)
#define T0  1763000000000ll

/* ---- event collector ---- */

#define MAXEV 4096
struct rec {
    enum ev_type type;
    uint32_t id, other;
    char where[64];
    int64_t ts, te;
    bool open, approx;
    struct ev_point p[2];
    struct ev_value val[EV_MAX_VALUES];
    int nval;
};
static struct rec evs[MAXEV];
static int nev;
static int64_t kept_t[100000];
static int nkept;

static void on_event(void *ctx, const struct event *e)
{
    (void)ctx;
    if (nev >= MAXEV)
        return;
    struct rec *r = &evs[nev++];
    r->type = e->type;
    r->id = e->id;
    r->other = e->other_id;
    snprintf(r->where, sizeof r->where, "%s", e->where);
    r->ts = e->t_start_ms;
    r->te = e->t_end_ms;
    r->open = e->open;
    r->approx = e->approx;
    r->p[0] = e->p[0];
    r->p[1] = e->p[1];
    memcpy(r->val, e->val, sizeof r->val);
    r->nval = e->nval;
}

static void on_point(void *ctx, const struct track_asset *a, const struct ev_point *p, bool evp)
{
    (void)ctx;
    (void)a;
    (void)evp;
    if (nkept < 100000)
        kept_t[nkept++] = p->t_ms;
}

static int count(enum ev_type t, uint32_t id)
{
    int n = 0;
    for (int i = 0; i < nev; i++)
        if (evs[i].type == t && (!id || evs[i].id == id))
            n++;
    return n;
}

static const struct rec *find_ev(enum ev_type t, uint32_t id)
{
    for (int i = 0; i < nev; i++)
        if (evs[i].type == t && (!id || evs[i].id == id))
            return &evs[i];
    return NULL;
}

static double val(const struct rec *r, const char *name)
{
    for (int i = 0; r && i < r->nval; i++)
        if (!strcmp(r->val[i].name, name))
            return r->val[i].v;
    return NAN;
}

/* ---- constructed theatre ----
 * area: lon -70..-60, lat 10..20 (the "sea"); land: lat 0..10 (south of
 * it); coast: the line lat 10; sites: port P1 at 15N 65W, airfield AF1 at
 * 18N 62W; zone 1 = buffer 24 nm of the coast (approx). */
static struct theatre *mk_theatre(void)
{
    static const char sea[] =
        "{\"type\":\"Polygon\",\"coordinates\":[[[-70,10],[-60,10],[-60,20],[-70,20],[-70,10]]]}";
    static const char land[] =
        "{\"type\":\"Polygon\",\"coordinates\":[[[-70,0],[-60,0],[-60,10],[-70,10],[-70,0]]]}";
    static const char coast[] = "{\"type\":\"LineString\",\"coordinates\":[[-70,10],[-60,10]]}";
    struct theatre *th = calloc(1, sizeof(*th));
    enum orbat_err err;
    snprintf(th->name, sizeof th->name, "test");
    th->layers[0] = geo_layer_parse(sea, strlen(sea), "sea", &err);
    th->layers[1] = geo_layer_parse(land, strlen(land), "land", &err);
    th->layers[2] = geo_layer_parse(coast, strlen(coast), "coast", &err);
    th->nlayers = 3;
    snprintf(th->zones[0].name, sizeof th->zones[0].name, "test");
    th->zones[0].layer = th->layers[0];
    snprintf(th->zones[1].name, sizeof th->zones[1].name, "coast_24nm");
    th->zones[1].layer = th->layers[2];
    th->zones[1].buffer_nm = 24;
    th->zones[1].approx = true;
    th->nzones = 2;
    snprintf(th->approach[0].name, sizeof th->approach[0].name, "coast");
    th->approach[0].layer = th->layers[2];
    th->napproach = 1;
    th->land = th->layers[1];
    if (theatre_add_site(th, "P1", "Port One", 15, -65, TH_SITE_PORT) != ORBAT_OK ||
        theatre_add_site(th, "AF1", "Field One", 18, -62, TH_SITE_AIRFIELD) != ORBAT_OK ||
        theatre_index_sites(th) != ORBAT_OK)
        return NULL;
    return th;
}

static struct theatre *TH;
static struct ev_engine *E;

static void reset(const struct ev_config *cfg)
{
    ev_engine_free(E);
    E = ev_engine_new(TH, cfg, on_event, NULL);
    ev_engine_set_point_cb(E, on_point, NULL);
    nev = 0;
    nkept = 0;
}

static struct obs ship(uint32_t id, int64_t t, double lat, double lon, double sog)
{
    struct obs o;
    memset(&o, 0, sizeof o);
    o.kind = OBS_SHIP;
    o.id = id;
    o.t_ms = t;
    o.has = OBS_HAS_POS | (isnan(sog) ? 0 : OBS_HAS_SOG);
    o.lat = lat;
    o.lon = lon;
    o.sog_kn = sog;
    o.source = "test.nmea";
    o.source_offset = (uint64_t)(t - T0) / 1000;
    return o;
}

static struct obs plane(uint32_t id, int64_t t, double lat, double lon, int alt)
{
    struct obs o;
    memset(&o, 0, sizeof o);
    o.kind = OBS_AIRCRAFT;
    o.id = id;
    o.t_ms = t;
    o.has = OBS_HAS_POS | OBS_HAS_ALT;
    o.lat = lat;
    o.lon = lon;
    o.alt_ft = alt;
    o.source = "test.beast";
    return o;
}

static void feed(struct obs o)
{
    ev_engine_obs(E, &o);
}

/* Advance the engine's clock with a far-away ship. */
static void tick(int64_t t)
{
    feed(ship(999999999, t, 19.9, -69.9, 10));
}

static void test_seen(void)
{
    reset(NULL);
    feed(ship(1001, T0, 15, -64, 10));
    feed(ship(1001, T0 + MIN, 15, -63.997, 10));
    struct obs st = ship(1001, T0 + 2 * MIN, 0, 0, NAN);
    st.has = OBS_HAS_NAME;
    feed(st);
    CHECK_EQ_INT(count(EV_FIRST_SEEN, 1001), 1, "first_seen once");
    ev_engine_finish(E);
    const struct rec *r = find_ev(EV_LAST_SEEN, 1001);
    CHECK(r && r->te == T0 + 2 * MIN && r->ts == T0, "last_seen spans first..last observation");
    CHECK_NEAR(val(r, "observations"), 3, 0, "last_seen counts observations");
    CHECK(r && r->open, "last_seen at the end of data is open");
    // expiry during the replay: silent ships expire after 72 h
    reset(NULL);
    feed(ship(1002, T0, 15, -64, 10));
    tick(T0 + 73 * H);
    tick(T0 + 73 * H + 2 * MIN);
    r = find_ev(EV_LAST_SEEN, 1002);
    CHECK(r && !r->open, "silent ship expires with last_seen");
}

static void test_zones(void)
{
    reset(NULL);
    // Ship outside (west of lon -70), crossing east at 12 kn-ish.
    feed(ship(2001, T0, 15, -70.2, 10));
    feed(ship(2001, T0 + 10 * MIN, 15, -70.05, 10));
    CHECK_EQ_INT(count(EV_ENTER, 2001), 0, "outside: no enter");
    feed(ship(2001, T0 + 20 * MIN, 15, -69.9, 10)); // first fix inside
    CHECK_EQ_INT(count(EV_ENTER, 2001), 0, "one fix inside is not yet an enter");
    feed(ship(2001, T0 + 20 * MIN + 59000, 15, -69.88, 10)); // 2 fixes, 59 s
    CHECK_EQ_INT(count(EV_ENTER, 2001), 0, "2 fixes over 59 s: not yet (60 s needed)");
    feed(ship(2001, T0 + 21 * MIN, 15, -69.879, 10)); // 60 s: boundary, confirmed
    const struct rec *r = find_ev(EV_ENTER, 2001);
    CHECK(r != NULL, "enter confirmed at exactly 60 s");
    CHECK(r && r->ts == T0 + 20 * MIN, "enter time is the first fix inside");
    CHECK(r && strcmp(r->where, "test") == 0, "enter names the theatre");
    CHECK(r && r->p[0].valid && fabs(r->p[0].lon + 69.9) < 1e-4, "enter point is the crossing fix");
    CHECK_EQ_STR(r && r->p[0].ref.source ? r->p[0].ref.source : "", "test.nmea",
                 "event point carries its source");
    // A flap: one fix outside then back inside.
    feed(ship(2001, T0 + 30 * MIN, 15, -70.01, 10));
    feed(ship(2001, T0 + 31 * MIN, 15, -69.99, 10));
    CHECK_EQ_INT(count(EV_LEAVE, 2001), 0, "a single fix outside is no leave");
    CHECK(ev_engine_stats(E)->zone_flaps >= 1, "the flap is counted");
    // Real leave.
    feed(ship(2001, T0 + 40 * MIN, 15, -70.1, 10));
    feed(ship(2001, T0 + 42 * MIN, 15, -70.12, 10));
    r = find_ev(EV_LEAVE, 2001);
    CHECK(r && r->ts == T0 + 40 * MIN, "leave at the first fix outside");
    // Initial enter: first seen inside.
    feed(ship(2002, T0 + 43 * MIN, 15, -65.5, 10));
    r = find_ev(EV_ENTER, 2002);
    CHECK(r && val(r, "initial") == 1, "first seen inside: enter marked initial");
    // Buffer zone (approximation): within 24 nm of the coast line at lat 10.
    feed(ship(2003, T0, 10.5, -66, 10));             // 30 nm: outside buffer
    feed(ship(2003, T0 + 20 * MIN, 10.35, -66, 10)); // 21 nm
    feed(ship(2003, T0 + 22 * MIN, 10.34, -66, 10));
    bool found = false;
    for (int i = 0; i < nev; i++)
        if (evs[i].type == EV_ENTER && evs[i].id == 2003 && !strcmp(evs[i].where, "coast_24nm"))
            found = evs[i].approx && evs[i].ts == T0 + 20 * MIN;
    CHECK(found, "enter of a derived 24 nm buffer, flagged approximate");
}

static void test_approach(void)
{
    reset(NULL);
    // Aircraft flying south from 12N to 10.5N then back north, lon -66.
    int64_t t = T0;
    double lat;
    for (lat = 12.0; lat > 10.5 + 1e-9; lat -= 0.05, t += 20000)
        feed(plane(0xAE0001, t, lat, -66, 30000));
    int64_t tmin = t;
    for (; lat <= 12.5 + 1e-9; lat += 0.05, t += 20000)
        feed(plane(0xAE0001, t, lat, -66, 30000));
    const struct rec *r = find_ev(EV_APPROACH, 0xAE0001);
    CHECK(r != NULL, "approach emitted when the pass ends");
    double want = geo_dist_nm(10.5, -66, 10, -66);
    CHECK_NEAR(val(r, "dist_nm"), want, 0.05, "closest distance to the coast line");
    CHECK(r && r->p[0].t_ms == tmin, "closest approach time");
    CHECK_NEAR(val(r, "coast_lat"), 10.0, 1e-6, "nearest coast point");
    CHECK_NEAR(val(r, "bearing_deg"), 180.0, 0.01, "coast bears south");
    CHECK(r && r->ts < r->te && !r->open, "pass span");
    // The closest fix is kept in the thinned history.
    bool kept = false;
    for (int i = 0; i < nkept; i++)
        kept |= r && kept_t[i] == r->p[0].t_ms;
    CHECK(kept, "event point kept by the thinner");
    // Negative: a flight staying 2 degrees north never comes within 60 nm.
    for (int i = 0; i < 50; i++)
        feed(plane(0xAE0002, T0 + i * 20000, 12.0, -66 + i * 0.02, 30000));
    ev_engine_finish(E);
    CHECK_EQ_INT(count(EV_APPROACH, 0xAE0002), 0, "no approach beyond 60 nm");
    CHECK(ev_engine_stats(E)->dist_skipped > 0, "moved-distance bound skipped exact queries");
}

static void test_gap(void)
{
    reset(NULL);
    feed(ship(3001, T0, 15, -64, 8));
    feed(ship(3001, T0 + 12 * H, 15.1, -64, 8)); // exactly 12 h
    const struct rec *r = find_ev(EV_AIS_GAP, 3001);
    CHECK(r != NULL, "12 h silence 300 nm offshore is an AIS gap");
    CHECK_NEAR(val(r, "gap_h"), 12, 1e-9, "gap length");
    CHECK(r && r->p[1].valid && fabs(r->p[1].lat - 15.1) < 1e-4, "reappearance position");
    CHECK_NEAR(val(r, "dist_nm"), geo_dist_nm(15, -64, 15.1, -64), 0.01, "gap displacement");
    feed(ship(3002, T0, 15, -64, 8));
    feed(ship(3002, T0 + 12 * H - 1000, 15.1, -64, 8));
    CHECK_EQ_INT(count(EV_AIS_GAP, 3002), 0, "11:59:59 is not a gap");
    feed(ship(3003, T0, 10.5, -64, 8)); // 30 nm from shore
    feed(ship(3003, T0 + 13 * H, 10.6, -64, 8));
    CHECK_EQ_INT(count(EV_AIS_GAP, 3003), 0, "a gap 30 nm from shore does not count");
    // Reappearance with a static message first, then a position.
    feed(ship(3004, T0, 16, -64, 8));
    struct obs st = ship(3004, T0 + 14 * H, 0, 0, NAN);
    st.has = OBS_HAS_NAME;
    feed(st);
    CHECK_EQ_INT(count(EV_AIS_GAP, 3004), 0, "gap waits for a reappearance position");
    feed(ship(3004, T0 + 14 * H + MIN, 16.2, -64, 8));
    r = find_ev(EV_AIS_GAP, 3004);
    CHECK(r && r->te == T0 + 14 * H && r->p[1].valid,
          "gap closed at the first message, with position");
    // Never reappears: reported open at the end.
    feed(ship(3005, T0, 17, -64, 8));
    tick(T0 + 20 * H);
    ev_engine_finish(E);
    r = find_ev(EV_AIS_GAP, 3005);
    CHECK(r && r->open && !r->p[1].valid, "open gap at the end of data");
}

static void test_dark(void)
{
    reset(NULL);
    feed(plane(0xAE1001, T0, 15, -65, 25000));
    feed(plane(0xAE1001, T0 + 30000, 15.02, -65, 25000));
    feed(plane(0xAE1001, T0 + 90000, 15.06, -65, 25000)); // inside, confirmed
    feed(plane(0xAE1002, T0, 22, -65, 25000));            // outside the area
    feed(plane(0xAE1002, T0 + 90000, 22.1, -65, 25000));
    feed(plane(0xAE1003, T0, 18.0, -62.01, 1500)); // at the airfield
    feed(plane(0xAE1003, T0 + 90000, 18.0, -62.0, 1000));
    tick(T0 + 90000 + 4 * MIN);
    CHECK_EQ_INT(count(EV_DARK, 0), 0, "4 min of silence is not dark");
    tick(T0 + 90000 + 6 * MIN);
    tick(T0 + 90000 + 8 * MIN);
    const struct rec *r = find_ev(EV_DARK, 0xAE1001);
    CHECK(r != NULL, "aircraft silent 5 min inside the theatre went dark");
    CHECK(r && r->ts == T0 + 90000 && r->te == T0 + 90000 + 5 * MIN, "dark span from last fix");
    CHECK_NEAR(val(r, "alt_ft"), 25000, 0, "dark altitude");
    CHECK_EQ_INT(count(EV_DARK, 0xAE1002), 0, "outside the theatre: no dark");
    CHECK_EQ_INT(count(EV_DARK, 0xAE1003), 0, "near an airfield: landed, not dark");
    CHECK_EQ_INT(count(EV_ARRIVAL, 0xAE1003), 1, "aircraft arrival at the airfield");
}

/* Dark does not depend on when the sweeps ran (they run when the data
 * clock has moved sweep_ms, i.e. on the other assets' traffic). */
static void test_dark_unswept(void)
{
    reset(NULL);
    // a sweep 4:59 into the silence; the aircraft is heard again at 5:10,
    // before the next sweep (at 5:59): still dark
    feed(plane(0xAE1101, T0, 15, -65, 25000));
    feed(plane(0xAE1101, T0 + 30000, 15.02, -65, 25000));
    feed(plane(0xAE1101, T0 + 90000, 15.06, -65, 25000));
    tick(T0 + 90000 + 5 * MIN - 1000);
    CHECK_EQ_INT(count(EV_DARK, 0xAE1101), 0, "4:59 silent at the sweep: not dark yet");
    feed(plane(0xAE1101, T0 + 90000 + 5 * MIN + 10000, 15.3, -65, 25000));
    const struct rec *r = find_ev(EV_DARK, 0xAE1101);
    CHECK(r && r->ts == T0 + 90000 && r->te == T0 + 90000 + 5 * MIN,
          "silence of 5:10 ended between two sweeps: dark, from the last fix");
    // silent 2 h with no other traffic: no sweep saw the silence before the
    // aircraft expired; dark, then last_seen, then first_seen again
    reset(NULL);
    feed(plane(0xAE1102, T0, 15, -65, 25000));
    feed(plane(0xAE1102, T0 + 30000, 15.02, -65, 25000));
    feed(plane(0xAE1102, T0 + 90000, 15.06, -65, 25000));
    feed(plane(0xAE1102, T0 + 2 * H, 15.5, -65, 25000));
    CHECK_EQ_INT(count(EV_DARK, 0xAE1102), 1, "silent 2 h, no sweep in between: dark");
    CHECK_EQ_INT(count(EV_FIRST_SEEN, 0xAE1102), 2, "then expired: first_seen again");
    // the same when the clock jumps on another asset's observation
    reset(NULL);
    feed(plane(0xAE1103, T0, 15, -65, 25000));
    feed(plane(0xAE1103, T0 + 30000, 15.02, -65, 25000));
    feed(plane(0xAE1103, T0 + 90000, 15.06, -65, 25000));
    tick(T0 + 3 * H);
    CHECK_EQ_INT(count(EV_DARK, 0xAE1103), 1, "expired in one sweep after 3 h: dark first");
    CHECK_EQ_INT(count(EV_LAST_SEEN, 0xAE1103), 1, "and last_seen");
}

static void loiter_run(uint32_t id, double lat, int64_t dur, double sog)
{
    int64_t t;
    feed(ship(id, T0 - 10 * MIN, lat, -66.02, 12));
    for (t = 0; t <= dur; t += 5 * MIN)
        feed(ship(id, T0 + t, lat, -66.0 + t * 1e-9, sog));
    if (t - 5 * MIN != dur)
        feed(ship(id, T0 + dur, lat, -66.0, sog));
    feed(ship(id, T0 + dur + 5 * MIN, lat, -65.99, 12));
}

static void test_loiter(void)
{
    reset(NULL);
    loiter_run(4001, 15, 2 * H, 1.0);
    const struct rec *r = find_ev(EV_LOITER, 4001);
    CHECK(r != NULL, "2 h at 1 kn, 300 nm offshore: loitering");
    CHECK_NEAR(val(r, "duration_h"), 2.0, 1e-9, "loiter duration");
    CHECK_NEAR(val(r, "mean_sog_kn"), 1.0, 1e-6, "loiter mean speed");
    loiter_run(4002, 15, 2 * H - 1000, 1.0);
    CHECK_EQ_INT(count(EV_LOITER, 4002), 0, "1:59:59 is not loitering");
    loiter_run(4003, 16, 3 * H, 2.0);
    CHECK_EQ_INT(count(EV_LOITER, 4003), 0, "2.0 kn is not < 2 kn");
    loiter_run(4004, 10.2, 3 * H, 0.5);
    CHECK_EQ_INT(count(EV_LOITER, 4004), 0, "12 nm from shore is not away from shore");
    // near the port (15N 65W)
    feed(ship(4005, T0, 15.01, -65.0, 0.3));
    feed(ship(4005, T0 + 3 * H, 15.01, -65.0, 0.3));
    feed(ship(4005, T0 + 3 * H + MIN, 15.02, -65.0, 5));
    CHECK_EQ_INT(count(EV_LOITER, 4005), 0, "at a port: not loitering");
    CHECK_EQ_INT(count(EV_ARRIVAL, 4005), 1, "ship arrival at the port");
}

static double enc_sog = 0.5; // the speed of both ships in enc_run

static void enc_run(uint32_t a, uint32_t b, double lat, double sep_m, int64_t dur)
{
    double dlon = sep_m / (GEO_M_PER_NM * 60 * cos(lat * M_PI / 180));
    for (int64_t t = 0; t <= dur; t += 5 * MIN) {
        feed(ship(a, T0 + t, lat, -64.0, enc_sog));
        feed(ship(b, T0 + t + 20000, lat, -64.0 + dlon, enc_sog));
    }
    feed(ship(a, T0 + dur + 10 * MIN, lat, -63.9, 8));
    feed(ship(b, T0 + dur + 10 * MIN, lat, -64.1, 8));
}

static void test_encounter(void)
{
    reset(NULL);
    enc_run(5001, 5002, 15, 300, 2 * H + 10 * MIN);
    ev_engine_finish(E);
    const struct rec *r = find_ev(EV_ENCOUNTER, 5001);
    CHECK(r != NULL, "two ships 300 m apart for 2 h at 0.5 kn: encounter");
    CHECK(r && r->other == 5002, "encounter names the other ship");
    CHECK_NEAR(val(r, "min_dist_m"), 300, 3, "encounter distance");
    CHECK(r && val(r, "duration_h") >= 2.0, "encounter duration");
    CHECK_EQ_INT(count(EV_ENCOUNTER, 0), 1, "one event per pair");
    reset(NULL);
    enc_run(5003, 5004, 15, 600, 3 * H);
    enc_run(5005, 5006, 16, 300, 90 * MIN);
    enc_run(5007, 5008, 10.05, 300, 3 * H); // 3 nm from shore
    ev_engine_finish(E);
    CHECK_EQ_INT(count(EV_ENCOUNTER, 0), 0, "600 m apart, 1.5 h, or near shore: no encounter");
}

static void test_site(void)
{
    reset(NULL);
    // Ship from 15.2N steaming south through the port at 15N 65W.
    int64_t t = T0;
    for (double lat = 15.2; lat >= 14.8; lat -= 0.002, t += 30000)
        feed(ship(6001, t, lat, -65.0, 8));
    const struct rec *a = find_ev(EV_ARRIVAL, 6001), *d = find_ev(EV_DEPARTURE, 6001);
    CHECK(a && val(a, "dist_m") <= 3000 && val(a, "dist_m") > 2700, "arrival within 3 km");
    CHECK(d && val(d, "dist_m") > 4000 && val(d, "dist_m") < 4300, "departure beyond 4 km");
    CHECK(a && d && d->ts == a->ts && val(d, "dwell_h") > 0, "departure carries the dwell");
    CHECK_EQ_STR(a ? a->where : "", "Port One", "site name");
    // Hysteresis: hovering between 3 and 4 km causes no second arrival.
    reset(NULL);
    feed(ship(6002, T0, 15.0, -65.0 + 2.5 / 107.6, 3));
    feed(ship(6002, T0 + 10 * MIN, 15.0, -65.0 + 3.5 / 107.6, 3));
    feed(ship(6002, T0 + 20 * MIN, 15.0, -65.0 + 2.5 / 107.6, 3));
    CHECK_EQ_INT(count(EV_ARRIVAL, 6002), 1, "one arrival while inside 4 km");
    CHECK_EQ_INT(count(EV_DEPARTURE, 6002), 0, "no departure inside 4 km");
    // Aircraft overflying the airfield high: no arrival.
    feed(plane(0xAE2001, T0, 18.0, -62.0, 20000));
    CHECK_EQ_INT(count(EV_ARRIVAL, 0xAE2001), 0, "overflight at FL200 is no arrival");
}

static void test_untimed(void)
{
    reset(NULL);
    // Observations before the data has a time (t = 0) are tracked but start
    // nothing timed: no AIS gap, no loiter from the epoch.
    struct obs o = ship(9001, T0, 16, -64, 0.5);
    o.t_ms = 0;
    feed(o);
    o.t_ms = 0;
    feed(o);
    feed(ship(9001, T0, 16, -64, 0.5));
    feed(ship(9001, T0 + 10 * MIN, 16, -64.0001, 0.5));
    feed(ship(9001, T0 + 20 * MIN, 16, -63.99, 12));
    CHECK_EQ_INT(count(EV_AIS_GAP, 9001), 0, "no gap from an unknown time");
    CHECK_EQ_INT(count(EV_LOITER, 9001), 0, "no loiter from an unknown time");
    CHECK_EQ_INT(count(EV_FIRST_SEEN, 9001), 1, "first_seen once");
    CHECK(ev_engine_stats(E)->untimed == 2, "untimed observations counted");
    // Once the data has a time, untimed observations take the data clock.
    o = ship(9002, 0, 16.5, -64, 3);
    feed(o);
    const struct track_asset *a = track_find(ev_engine_tracks(E), OBS_SHIP, 9002);
    CHECK(a && a->t_first_ms == T0 + 20 * MIN, "untimed observation gets the data clock");
}

static void test_jump(void)
{
    reset(NULL);
    feed(ship(7001, T0, 15, -64, 10));
    feed(ship(7001, T0 + MIN, 16, -64, 10)); // 60 nm in a minute
    const struct track_asset *a = track_find(ev_engine_tracks(E), OBS_SHIP, 7001);
    CHECK(a && fabs(a->pos.lat - 15) < 1e-9, "speed-implied jump rejected");
    CHECK_EQ_INT(track_get_stats(ev_engine_tracks(E))->pos[TRACK_POS_JUMP], 1, "jump counted");
    feed(ship(7001, T0 + 2 * MIN, 16.001, -64, 10));
    feed(ship(7001, T0 + 3 * MIN, 16.002, -64, 10));
    CHECK(a && fabs(a->pos.lat - 16.002) < 1e-9, "after 3 consistent rejects the new track wins");
    feed(ship(7002, T0, 0, 0, 0));
    CHECK_EQ_INT(track_get_stats(ev_engine_tracks(E))->pos[TRACK_POS_NULL], 1, "0,0 rejected");
    feed(ship(7003, T0 + MIN, 15, -64, 10));
    feed(ship(7003, T0, 15.001, -64, 10));
    CHECK_EQ_INT(track_get_stats(ev_engine_tracks(E))->pos[TRACK_POS_OLD], 1,
                 "out-of-order fix counted");
}

/* ---- orbits ---- */

/* One piece of a constructed flight: secs seconds turning at turn_dps
 * degrees per second (+ right, 0 straight). */
struct leg {
    double secs, turn_dps;
};

struct flight {
    uint32_t id;
    double lat0, lon0;    /* local frame origin */
    double x, y, hdg, kn; /* nm east/north of the origin, course deg */
    int64_t t;            /* data time of the last step */
    double el;            /* seconds flown */
    double dt_s;          /* reporting interval */
    double jitter_m;      /* position noise, uniform +-jitter_m per axis */
    uint64_t rng;
    int64_t gap_from, gap_to; /* no fixes received in [gap_from, gap_to) */
    unsigned flags;           /* obs flags (OBS_F_SURFACE) */
};

static void fl_init(struct flight *f, uint32_t id, double lat0, double lon0, double hdg, double kn)
{
    memset(f, 0, sizeof *f);
    f->id = id;
    f->lat0 = lat0;
    f->lon0 = lon0;
    f->hdg = hdg;
    f->kn = kn;
    f->t = T0;
    f->dt_s = 5;
    f->rng = 0x9E3779B97F4A7C15ull ^ id;
}

static double fl_noise(struct flight *f)
{
    f->rng ^= f->rng << 13;
    f->rng ^= f->rng >> 7;
    f->rng ^= f->rng << 17;
    return ((double)(f->rng >> 11) / 9007199254740992.0 * 2 - 1) * f->jitter_m / GEO_M_PER_NM;
}

static void fl_lat_lon(const struct flight *f, double x, double y, double *lat, double *lon)
{
    *lat = f->lat0 + y / 60.0;
    *lon = f->lon0 + x / (60.0 * cos(f->lat0 * M_PI / 180));
}

/* Fly the legs, feeding a fix every dt_s (integrated in 1 s steps). */
static void fl_fly(struct flight *f, const struct leg *legs, int n)
{
    for (int i = 0; i < n; i++) {
        double left = legs[i].secs;
        while (left > 1e-9) {
            double step = left < 1 ? left : 1;
            f->hdg += legs[i].turn_dps * step;
            f->x += f->kn * step / 3600 * sin(f->hdg * M_PI / 180);
            f->y += f->kn * step / 3600 * cos(f->hdg * M_PI / 180);
            left -= step;
            double before = f->el;
            f->el += step;
            f->t = T0 + llround(f->el * 1000);
            if (floor(f->el / f->dt_s + 1e-9) == floor(before / f->dt_s + 1e-9) ||
                (f->t >= f->gap_from && f->t < f->gap_to))
                continue; // a fix every dt_s, none in the gap
            double lat, lon;
            fl_lat_lon(f, f->x + fl_noise(f), f->y + fl_noise(f), &lat, &lon);
            struct obs o = plane(f->id, f->t, lat, lon, 25000);
            o.flags |= f->flags;
            o.source_offset = (uint64_t)(f->t - T0);
            feed(o);
        }
    }
}

/* A circle of radius r_nm at kn knots: the turn rate in deg/s. */
static double circle_dps(double kn, double r_nm)
{
    return kn / r_nm / 3600 * 180 / M_PI;
}

static void test_orbit_circle(void)
{
    reset(NULL);
    struct flight f;
    fl_init(&f, 0xAE4001, 16, -65, 90, 250);
    double w = circle_dps(250, 10), lap = 360 / w; // 10 nm radius: a lap in ~15 min
    struct leg in[] = {{20 * 60, 0}};
    fl_fly(&f, in, 1);
    int64_t t_turn = f.t;
    double x0 = f.x, y0 = f.y; // the circle's centre is 10 nm to the right (south)
    struct leg circle[] = {{4 * lap, w}};
    fl_fly(&f, circle, 1);
    int64_t t_out = f.t;
    struct leg out[] = {{40 * 60, 0}};
    fl_fly(&f, out, 1);
    CHECK_EQ_INT(count(EV_ORBIT, 0xAE4001), 1, "circle: one orbit");
    const struct rec *r = find_ev(EV_ORBIT, 0xAE4001);
    CHECK(r && !r->open, "circle: the orbit ends when the aircraft leaves");
    CHECK_NEAR(val(r, "turns"), 4, 0.05, "circle: 4 turns, clockwise positive");
    CHECK(r && llabs(r->ts - t_turn) <= 30000, "circle: starts where the turning began (%lld s)",
          r ? (long long)(r->ts - t_turn) / 1000 : -1);
    CHECK(r && llabs(r->te - t_out) <= 30000, "circle: ends where the turning ended (%lld s)",
          r ? (long long)(r->te - t_out) / 1000 : -1);
    CHECK_NEAR(val(r, "duration_h"), 4 * lap / 3600, 0.02, "circle: duration");
    CHECK_NEAR(val(r, "radius_nm"), 10, 0.3, "circle: radius 10 nm");
    CHECK_NEAR(val(r, "length_nm"), 20, 0.8, "circle: length = diameter");
    CHECK_NEAR(val(r, "width_nm"), 20, 0.8, "circle: width = diameter");
    double clat, clon;
    fl_lat_lon(&f, x0, y0 - 10, &clat, &clon);
    CHECK(r && geo_dist_nm(val(r, "centre_lat"), val(r, "centre_lon"), clat, clon) < 0.5,
          "circle: centre within 0.5 nm");
    CHECK(r && r->p[0].valid && r->p[1].valid && !strcmp(r->p[0].ref.source, "test.beast"),
          "circle: start and end fixes with their source");
    // Counter-clockwise: negative turns.
    reset(NULL);
    fl_init(&f, 0xAE4002, 16, -65, 90, 250);
    struct leg ccw[] = {{10 * 60, 0}, {3 * lap, -w}, {30 * 60, 0}};
    fl_fly(&f, ccw, 3);
    r = find_ev(EV_ORBIT, 0xAE4002);
    CHECK_NEAR(val(r, "turns"), -3, 0.05, "counter-clockwise circle: -3 turns");
}

static void test_orbit_racetrack(void)
{
    reset(NULL);
    struct flight f;
    fl_init(&f, 0xAE4011, 14, -66, 0, 300);
    double w = circle_dps(300, 5);    // 5 nm turn radius
    double leg_s = 30.0 / 300 * 3600; // 30 nm legs: 6 min
    struct leg in[] = {{15 * 60, 0}};
    fl_fly(&f, in, 1);
    struct leg lap[] = {{leg_s, 0}, {180 / w, w}, {leg_s, 0}, {180 / w, w}};
    for (int i = 0; i < 3; i++)
        fl_fly(&f, lap, 4);
    struct leg out[] = {{leg_s, 0}, {40 * 60, 0}};
    fl_fly(&f, out, 2);
    CHECK_EQ_INT(count(EV_ORBIT, 0xAE4011), 1, "racetrack: one orbit");
    const struct rec *r = find_ev(EV_ORBIT, 0xAE4011);
    CHECK_NEAR(val(r, "turns"), 3, 0.05, "racetrack: 3 laps");
    CHECK_NEAR(val(r, "length_nm"), 40, 2.5, "racetrack: length = legs + turn diameter");
    CHECK_NEAR(val(r, "width_nm"), 10, 1.0, "racetrack: width = turn diameter");
    CHECK(r && r->te - r->ts > 40 * MIN, "racetrack: about an hour long");
    // The same racetrack with 30 m position noise reported every second.
    reset(NULL);
    fl_init(&f, 0xAE4012, 14, -66, 0, 300);
    f.dt_s = 1;
    f.jitter_m = 30;
    fl_fly(&f, in, 1);
    for (int i = 0; i < 3; i++)
        fl_fly(&f, lap, 4);
    fl_fly(&f, out, 2);
    CHECK_EQ_INT(count(EV_ORBIT, 0xAE4012), 1, "noisy racetrack: one orbit");
    r = find_ev(EV_ORBIT, 0xAE4012);
    CHECK_NEAR(val(r, "turns"), 3, 0.1, "noisy racetrack: 3 laps");
    CHECK_NEAR(val(r, "width_nm"), 10, 1.0, "noisy racetrack: width");
}

static void test_orbit_negative(void)
{
    struct flight f;
    double w = circle_dps(250, 8), lap = 360 / w;
    // Figure of eight: a right circle then a left one, four times.
    reset(NULL);
    fl_init(&f, 0xAE4021, 16, -65, 90, 250);
    struct leg eight[] = {{lap, w}, {lap, -w}};
    for (int i = 0; i < 4; i++)
        fl_fly(&f, eight, 2);
    CHECK_EQ_INT(count(EV_ORBIT, 0xAE4021), 0, "figure of eight (2 h): no orbit");
    // S-turns: +-90 degrees for two hours.
    reset(NULL);
    fl_init(&f, 0xAE4022, 16, -65, 90, 250);
    struct leg s_turn[] = {{90 / w, w}, {180 / w, -w}, {90 / w, w}, {120, 0}};
    for (int i = 0; i < 15; i++)
        fl_fly(&f, s_turn, 4);
    CHECK_EQ_INT(count(EV_ORBIT, 0xAE4022), 0, "S-turns: no orbit");
    // A straight line for two hours, with 50 m noise every second.
    reset(NULL);
    fl_init(&f, 0xAE4023, 11, -69, 60, 420);
    f.dt_s = 1;
    f.jitter_m = 50;
    struct leg line[] = {{2 * 3600, 0}};
    fl_fly(&f, line, 1);
    CHECK_EQ_INT(count(EV_ORBIT, 0xAE4023), 0, "straight line with noise: no orbit");
    // A single 360-degree turn.
    reset(NULL);
    fl_init(&f, 0xAE4024, 16, -65, 90, 250);
    struct leg one[] = {{20 * 60, 0}, {lap, w}, {60 * 60, 0}};
    fl_fly(&f, one, 3);
    CHECK_EQ_INT(count(EV_ORBIT, 0xAE4024), 0, "a single 360: no orbit");
    // Circles on the ground (surface positions).
    reset(NULL);
    fl_init(&f, 0xAE4025, 16, -65, 90, 20);
    f.flags = OBS_F_SURFACE;
    struct leg taxi[] = {{4 * 360 / circle_dps(20, 0.3), circle_dps(20, 0.3)}};
    fl_fly(&f, taxi, 1);
    CHECK_EQ_INT(count(EV_ORBIT, 0xAE4025), 0, "circles on the surface: no orbit");
    // A wide, slow turn: 3 turns but never within 100 nm of its start.
    reset(NULL);
    fl_init(&f, 0xAE4026, 15, -66, 90, 450);
    struct leg wide[] = {{3 * 360 / circle_dps(450, 40), circle_dps(450, 40)}, {60 * 60, 0}};
    fl_fly(&f, wide, 2);
    CHECK_EQ_INT(count(EV_ORBIT, 0xAE4026), 1, "40 nm radius circles (80 nm across): an orbit");
    reset(NULL);
    fl_init(&f, 0xAE4027, 15, -66, 90, 450);
    struct leg wider[] = {{3 * 360 / circle_dps(450, 55), circle_dps(450, 55)}, {60 * 60, 0}};
    fl_fly(&f, wider, 2);
    ev_engine_finish(E);
    CHECK_EQ_INT(count(EV_ORBIT, 0xAE4027), 0, "55 nm radius circles (110 nm across): no orbit");
}

static void test_orbit_boundaries(void)
{
    struct flight f;
    // A standard holding pattern: 1-minute legs, rate-one turns (3 deg/s,
    // 180 degrees in a minute), 4-minute laps at 210 kn.
    struct leg hold[] = {{60, 0}, {60, 3}, {60, 0}, {60, 3}};
    struct leg in[] = {{10 * 60, 0}}, out[] = {{30 * 60, 0}};
    reset(NULL);
    fl_init(&f, 0xAE4031, 17, -64, 0, 210);
    fl_fly(&f, in, 1);
    for (int i = 0; i < 4; i++) // 16 minutes: 4 turns, too short
        fl_fly(&f, hold, 4);
    fl_fly(&f, out, 1);
    CHECK_EQ_INT(count(EV_ORBIT, 0xAE4031), 0, "holding 16 min (< 20 min): no orbit");
    reset(NULL);
    fl_init(&f, 0xAE4032, 17, -64, 0, 210);
    fl_fly(&f, in, 1);
    for (int i = 0; i < 6; i++) // 24 minutes
        fl_fly(&f, hold, 4);
    fl_fly(&f, out, 1);
    CHECK_EQ_INT(count(EV_ORBIT, 0xAE4032), 1, "holding 24 min: an orbit");
    const struct rec *r = find_ev(EV_ORBIT, 0xAE4032);
    CHECK_NEAR(val(r, "turns"), 6, 0.1, "holding: 6 laps");
    CHECK(r && r->te - r->ts >= 20 * MIN, "holding: at least 20 min");
    // The duration threshold is configurable.
    struct ev_config c;
    ev_config_default(&c);
    c.orbit_min_ms = 10 * MIN;
    reset(&c);
    fl_init(&f, 0xAE4033, 17, -64, 0, 210);
    fl_fly(&f, in, 1);
    for (int i = 0; i < 4; i++)
        fl_fly(&f, hold, 4);
    fl_fly(&f, out, 1);
    CHECK_EQ_INT(count(EV_ORBIT, 0xAE4033), 1, "holding 16 min with orbit_min 10 min: an orbit");
    // Turns: 1.9 laps of 15-min circles (28.5 min) is not an orbit, 2.1 is.
    double w = circle_dps(250, 10), lap = 360 / w;
    reset(NULL);
    fl_init(&f, 0xAE4034, 16, -65, 90, 250);
    struct leg c19[] = {{10 * 60, 0}, {1.9 * lap, w}, {60 * 60, 0}};
    fl_fly(&f, c19, 3);
    CHECK_EQ_INT(count(EV_ORBIT, 0xAE4034), 0, "1.9 turns: no orbit");
    reset(NULL);
    fl_init(&f, 0xAE4035, 16, -65, 90, 250);
    struct leg c21[] = {{10 * 60, 0}, {2.1 * lap, w}, {60 * 60, 0}};
    fl_fly(&f, c21, 3);
    CHECK_EQ_INT(count(EV_ORBIT, 0xAE4035), 1, "2.1 turns: an orbit");
    // Gaps: a 15-minute reception gap splits 3 turns into two short
    // patterns; a 5-minute one does not.
    reset(NULL);
    fl_init(&f, 0xAE4036, 16, -65, 90, 250);
    f.gap_from = T0 + 10 * MIN + (int64_t)(1.5 * lap * 1000);
    f.gap_to = f.gap_from + 15 * MIN;
    struct leg c3[] = {{10 * 60, 0}, {3 * lap + 15 * 60, w}, {60 * 60, 0}};
    fl_fly(&f, c3, 3);
    CHECK_EQ_INT(count(EV_ORBIT, 0xAE4036), 0, "a 15 min gap in 3 turns: no orbit");
    reset(NULL);
    fl_init(&f, 0xAE4037, 16, -65, 90, 250);
    f.gap_from = T0 + 10 * MIN + (int64_t)(1.5 * lap * 1000);
    f.gap_to = f.gap_from + 5 * MIN;
    struct leg c3b[] = {{10 * 60, 0}, {3.5 * lap, w}, {60 * 60, 0}};
    fl_fly(&f, c3b, 3);
    CHECK_EQ_INT(count(EV_ORBIT, 0xAE4037), 1, "a 5 min gap: still one orbit");
    // Turning stops inside the area: the orbit ends at the last turn.
    reset(NULL);
    fl_init(&f, 0xAE4038, 16, -65, 90, 250);
    struct leg stop[] = {{10 * 60, 0}, {3 * lap, w}, {25 * 60, 0}, {lap / 4, w}, {6 * 60, 0}};
    fl_fly(&f, stop, 2);
    int64_t t_stop = f.t;
    fl_fly(&f, stop + 2, 3);
    r = find_ev(EV_ORBIT, 0xAE4038);
    CHECK(r && llabs(r->te - t_stop) <= 30000, "turning stops: the orbit ends at the last turn");
    // Data ends during the orbit: open.
    reset(NULL);
    fl_init(&f, 0xAE4039, 16, -65, 90, 250);
    struct leg open[] = {{10 * 60, 0}, {3 * lap, w}};
    fl_fly(&f, open, 2);
    ev_engine_finish(E);
    r = find_ev(EV_ORBIT, 0xAE4039);
    CHECK(r && r->open, "data ends in the orbit: open");
}

/* ---- property: interleaving independent assets does not change events ---- */

#define NPROP 6000
static struct obs prop[NPROP];
static int nprop;

static void build_prop(void)
{
    nprop = 0;
    // a mix from the tests above, all on one timeline
    for (int64_t t = 0; t <= 3 * H; t += 5 * MIN) {
        double dlon = 300 / (GEO_M_PER_NM * 60 * cos(15 * M_PI / 180));
        prop[nprop++] = ship(8001, T0 + t, 15, -64.0, 0.5);
        prop[nprop++] = ship(8002, T0 + t + 20000, 15, -64.0 + dlon, 0.5);
        prop[nprop++] = ship(8003, T0 + t, 19.0 - t * 0.1 / H, -70.3 + t * 0.4 / H, 10);
        prop[nprop++] = ship(8004, T0 + t, 15.2 - t * 0.4 / (3 * H), -65.0, 8);
    }
    double lat = 12.0;
    int64_t t = T0;
    for (; lat > 10.5; lat -= 0.05, t += 20000)
        prop[nprop++] = plane(0xAE3001, t, lat, -66, 30000);
    for (; lat < 12.5; lat += 0.05, t += 20000)
        prop[nprop++] = plane(0xAE3001, t, lat, -66, 30000);
    prop[nprop++] = plane(0xAE3002, T0, 15, -65, 25000);
    prop[nprop++] = plane(0xAE3002, T0 + 90000, 15.05, -65, 25000);
    // an orbiting aircraft: 4 circles of 10 nm radius, then away
    double w = 250.0 / 10 / 3600, ang = 0, x = 0, y = 0;
    for (int64_t tt = 0; tt <= 2 * H; tt += 20000) {
        prop[nprop++] =
            plane(0xAE3003, T0 + tt, 16 + y / 60, -64 + x / (60 * cos(16 * M_PI / 180)), 20000);
        if (tt < H)
            ang += w * 20;
        x += 250.0 * 20 / 3600 * sin(ang);
        y += 250.0 * 20 / 3600 * cos(ang);
    }
}

static int cmp_obs_t(const void *a, const void *b)
{
    const struct obs *x = a, *y = b;
    if (x->t_ms != y->t_ms)
        return x->t_ms < y->t_ms ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int cmp_obs_t_rev(const void *a, const void *b)
{
    const struct obs *x = a, *y = b;
    if (x->t_ms != y->t_ms)
        return x->t_ms < y->t_ms ? -1 : 1;
    return x->id > y->id ? -1 : x->id < y->id;
}

static int cmp_key(const void *a, const void *b)
{
    const struct obs *x = a, *y = b;
    return x->source_offset < y->source_offset ? -1 : x->source_offset > y->source_offset;
}

static char *render(void)
{
    // canonical lines, sorted
    static char buf[MAXEV][256];
    static char *ptr[MAXEV];
    for (int i = 0; i < nev; i++) {
        const struct rec *r = &evs[i];
        int n = snprintf(buf[i], sizeof buf[i], "%d %u %u %s %lld %lld %d", r->type, r->id,
                         r->other, r->where, (long long)r->ts, (long long)r->te, r->open);
        for (int k = 0; k < r->nval && n < 200; k++)
            n += snprintf(buf[i] + n, sizeof buf[i] - n, " %s=%.6f", r->val[k].name, r->val[k].v);
        ptr[i] = buf[i];
    }
    for (int i = 1; i < nev; i++)
        for (int j = i; j > 0 && strcmp(ptr[j - 1], ptr[j]) > 0; j--) {
            char *tmp = ptr[j];
            ptr[j] = ptr[j - 1];
            ptr[j - 1] = tmp;
        }
    size_t len = 0;
    for (int i = 0; i < nev; i++)
        len += strlen(ptr[i]) + 1;
    char *out = malloc(len + 1);
    out[0] = 0;
    for (int i = 0; i < nev; i++) {
        strcat(out, ptr[i]);
        strcat(out, "\n");
    }
    return out;
}

static void test_property(void)
{
    build_prop();
    qsort(prop, nprop, sizeof prop[0], cmp_obs_t);
    reset(NULL);
    for (int i = 0; i < nprop; i++)
        feed(prop[i]);
    ev_engine_finish(E);
    char *a = render();
    int na = nev;
    // Reverse the order of assets at equal times.
    qsort(prop, nprop, sizeof prop[0], cmp_obs_t_rev);
    reset(NULL);
    for (int i = 0; i < nprop; i++)
        feed(prop[i]);
    ev_engine_finish(E);
    char *b = render();
    CHECK(na > 10 && strcmp(a, b) == 0, "same events with assets reordered at equal times (%d)",
          na);
    CHECK_EQ_INT(count(EV_ORBIT, 0xAE3003), 1, "the property mix includes an orbit");
    free(b);
    // Move independent assets' observations by up to 120 s in the feed
    // relative to each other (jitter < sweep), keeping each asset's order:
    // key = max(t + jitter, previous key of the same asset + 1).
    qsort(prop, nprop, sizeof prop[0], cmp_obs_t);
    uint64_t rng = 12345;
    uint32_t ids[16];
    uint64_t last[16];
    int nids = 0;
    for (int i = 0; i < nprop; i++) {
        rng = rng * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t key = (uint64_t)(prop[i].t_ms - T0) * 16 + (rng >> 33) % (120000 * 16);
        int k;
        for (k = 0; k < nids && ids[k] != prop[i].id; k++)
            ;
        if (k == nids && nids < 16) {
            ids[nids] = prop[i].id;
            last[nids++] = 0;
        }
        if (k < 16 && key <= last[k])
            key = last[k] + 1;
        if (k < 16)
            last[k] = key;
        prop[i].source_offset = key;
    }
    qsort(prop, nprop, sizeof prop[0], cmp_key);
    int moved = 0;
    for (int i = 0; i < nprop; i++) {
        prop[i].source_offset = (uint64_t)(prop[i].t_ms - T0) / 1000;
        moved += i > 0 && prop[i].t_ms < prop[i - 1].t_ms;
    }
    CHECK(moved > 20, "the shuffle reordered %d observations against time", moved);
    reset(NULL);
    for (int i = 0; i < nprop; i++)
        feed(prop[i]);
    ev_engine_finish(E);
    b = render();
    CHECK(strcmp(a, b) == 0, "same events with independent assets interleaved differently");
    if (strcmp(a, b))
        printf("# A:\n%s# B:\n%s", a, b);
    free(a);
    free(b);
}

static void test_caribbean(const char *root)
{
    char path[512], msg[256];
    enum orbat_err err;
    snprintf(path, sizeof path, "%s/data/theatres/caribbean.json", root);
    struct theatre *th = theatre_load(path, &err, msg, sizeof msg);
    CHECK(th != NULL, "caribbean theatre loads (%s)", th ? "ok" : msg);
    if (!th)
        return;
    CHECK_EQ_INT(th->nzones, 4, "area + 3 zones");
    CHECK_EQ_INT(th->napproach, 2, "two approach lines");
    int nair = 0, nport = 0;
    for (size_t i = 0; i < th->nsites; i++) {
        nair += th->sites[i].kind == TH_SITE_AIRFIELD;
        nport += th->sites[i].kind == TH_SITE_PORT;
    }
    CHECK_EQ_INT(nair, 28, "28 airfields");
    CHECK_EQ_INT(nport, 14, "14 ports");
    CHECK(theatre_in_zone(th, 0, 11.2, -67.0), "off Caracas is in the theatre");
    CHECK(theatre_in_zone(th, 1, 10.78, -66.93), "10.78N 66.93W in the territorial sea");
    CHECK(!theatre_in_zone(th, 1, 10.9, -66.93), "10.9N 66.93W outside it");
    double d = theatre_approach_nm(th, 0, 11.2, -67.0, NULL, NULL);
    CHECK(d > 10 && d < 40, "11.2N 67W is %.1f nm off the Venezuelan coast", d);
    CHECK(theatre_in_zone(th, 2, 11.2, -67.0) == (d <= 24), "24 nm buffer agrees with distance");
    double sm;
    const struct th_site *s = theatre_near_site(th, 18.2453, -65.6434, TH_SITE_AIRFIELD, 3000, &sm);
    CHECK(s && !strcmp(s->id, "TJRV") && sm < 1, "airfield lookup (TJRV)");
    CHECK(theatre_shore_nm(th, 15, -75) > 50, "central Caribbean is > 50 nm from shore");
    CHECK_NEAR(theatre_shore_nm(th, 8, -66), 0, 0, "inland Venezuela: 0 from shore");
    theatre_free(th);
    struct theatre *x = theatre_load("no_such_theatre", &err, msg, sizeof msg);
    CHECK(!x && err == ORBAT_E_NOTFOUND, "unknown theatre name");
    snprintf(path, sizeof path, "%s/data/geo/caribbean_sea.geojson", root);
    x = theatre_load(path, &err, msg, sizeof msg);
    CHECK(x && x->nzones == 1 && !strcmp(x->name, "caribbean_sea"), "bare GeoJSON theatre");
    theatre_free(x);

    // Layers load in parallel: a definition with a missing and a malformed
    // layer file reports the first bad one in file order, and frees the rest.
    char dir[] = "/tmp/orbat_th_XXXXXX", def[600], bad[600];
    if (!mkdtemp(dir)) {
        CHECK(0, "mkdtemp");
        return;
    }
    snprintf(bad, sizeof bad, "%s/bad.geojson", dir);
    FILE *f = fopen(bad, "w");
    if (f) {
        fputs("{\"type\": \"FeatureCollection\", \"features\": [", f);
        fclose(f);
    }
    snprintf(def, sizeof def, "%s/t.json", dir);
    f = fopen(def, "w");
    if (f) {
        fprintf(f,
                "{\"name\": \"t\", \"area\": \"sea\", \"layers\": {"
                "\"sea\": \"%s/data/geo/caribbean_sea.geojson\", \"gone\": \"missing.geojson\", "
                "\"coast\": \"%s/data/geo/venezuela_coastline.geojson\", \"bad\": "
                "\"bad.geojson\"}}",
                root, root);
        fclose(f);
    }
    x = theatre_load(def, &err, msg, sizeof msg);
    CHECK(!x && err == ORBAT_E_IO && strstr(msg, "missing.geojson") && !strstr(msg, "bad.geojson"),
          "first bad layer in order reported: %s", msg);
    theatre_free(x);
    f = fopen(def, "w");
    if (f) {
        fprintf(f,
                "{\"name\": \"t\", \"area\": \"sea\", \"layers\": {"
                "\"sea\": \"%s/data/geo/caribbean_sea.geojson\", \"bad\": \"bad.geojson\", "
                "\"coast\": \"%s/data/geo/venezuela_coastline.geojson\"}}",
                root, root);
        fclose(f);
    }
    x = theatre_load(def, &err, msg, sizeof msg);
    CHECK(!x && err == ORBAT_E_FORMAT && strstr(msg, "bad.geojson"), "malformed layer: %s", msg);
    theatre_free(x);
    unlink(def);
    unlink(bad);
    rmdir(dir);
}

/* Thresholds on both sides (issue 20). Times and altitudes are tested at
 * equality; distances, which are measured, within 0.1-0.5 nm of the limit. */
static void approach_pass(uint32_t id, double closest_lat, double turn_lat)
{
    int64_t t = T0;
    double lat;
    for (lat = 13.0; lat > closest_lat + 1e-9; lat -= 0.01, t += 5000)
        feed(plane(id, t, lat, -66, 30000));
    feed(plane(id, t, closest_lat, -66, 30000));
    for (lat = closest_lat; lat <= turn_lat + 1e-9; lat += 0.01)
        feed(plane(id, t += 5000, lat, -66, 30000));
}

static void test_thresholds(void)
{
    // Approach: 60 nm to start a pass, beyond 70 nm to end it. The coast is 10N.
    reset(NULL);
    const double nm = 1.0 / 60.0 / 0.99664; // degrees of latitude per nm near 10N (approx)
    approach_pass(0xAE3001, 10 + 59.7 * nm, 10 + 75 * nm);
    approach_pass(0xAE3002, 10 + 60.3 * nm, 10 + 75 * nm);
    approach_pass(0xAE3003, 10 + 40 * nm, 10 + 69.5 * nm); // not yet beyond 70 nm
    const struct rec *r = find_ev(EV_APPROACH, 0xAE3001);
    CHECK(r && val(r, "dist_nm") < 60, "approach to %.2f nm (< 60): reported",
          r ? val(r, "dist_nm") : -1);
    CHECK_EQ_INT(count(EV_APPROACH, 0xAE3002), 0, "approach to 60.3 nm: none");
    CHECK_EQ_INT(count(EV_APPROACH, 0xAE3003), 0, "pass not ended at 69.5 nm");
    approach_pass(0xAE3004, 10 + 40 * nm, 10 + 70.5 * nm);
    CHECK_EQ_INT(count(EV_APPROACH, 0xAE3004), 1, "pass ended at 70.5 nm");

    // Zone buffer: within 24 nm of the coast line (10N), outside the coast polygon.
    CHECK(theatre_in_zone(TH, 1, 10 + 23.8 * nm, -65), "23.8 nm off the coast: in the 24 nm zone");
    CHECK(!theatre_in_zone(TH, 1, 10 + 24.3 * nm, -65), "24.3 nm off: outside it");
    CHECK(theatre_in_zone(TH, 1, 10 + 12.5 * nm, -65), "12.5 nm off: in it");

    // Loitering 20 nm from shore: 20.5 nm counts, 19.5 nm does not.
    reset(NULL);
    loiter_run(4101, 10 + 20.5 * nm, 3 * H, 1.0);
    loiter_run(4102, 10 + 19.5 * nm, 3 * H, 1.0);
    CHECK_EQ_INT(count(EV_LOITER, 4101), 1, "loitering 20.5 nm from shore");
    CHECK_EQ_INT(count(EV_LOITER, 4102), 0, "19.5 nm from shore: no loitering");
    loiter_run(4103, 16, 3 * H, 1.99);
    CHECK_EQ_INT(count(EV_LOITER, 4103), 1, "1.99 kn is < 2 kn: loitering");

    // Airfield arrivals below 3000 ft: 3000 ft counts, 3001 ft does not.
    reset(NULL);
    feed(plane(0xAE3101, T0, 18.0, -62.0, 3000));
    feed(plane(0xAE3102, T0, 18.0, -62.0, 3001));
    CHECK_EQ_INT(count(EV_ARRIVAL, 0xAE3101), 1, "aircraft at 3000 ft at the airfield: arrival");
    CHECK_EQ_INT(count(EV_ARRIVAL, 0xAE3102), 0, "at 3001 ft: overflight");

    // A ship silent exactly 12 h when the data ends has an open AIS gap; 1 ms less, none.
    reset(NULL);
    feed(ship(3201, T0, 15, -64, 8));
    feed(ship(3202, T0 + 1, 16, -64, 8));
    tick(T0 + 12 * H);
    ev_engine_finish(E);
    r = find_ev(EV_AIS_GAP, 3201);
    CHECK(r && r->open, "silent exactly 12 h at the end of data: open gap");
    CHECK_EQ_INT(count(EV_AIS_GAP, 3202), 0, "silent 12 h - 1 ms: no gap");

    // AIS gap 50 nm from shore: 50.5 nm counts, 49.5 nm does not.
    reset(NULL);
    feed(ship(3203, T0, 10 + 50.5 * nm, -64, 8));
    feed(ship(3203, T0 + 13 * H, 10 + 50.5 * nm, -63.9, 8));
    feed(ship(3204, T0, 10 + 49.5 * nm, -64, 8));
    feed(ship(3204, T0 + 13 * H, 10 + 49.5 * nm, -63.9, 8));
    CHECK_EQ_INT(count(EV_AIS_GAP, 3203), 1, "gap 50.5 nm from shore");
    CHECK_EQ_INT(count(EV_AIS_GAP, 3204), 0, "gap 49.5 nm from shore: none");
    // Dark: an aircraft silent exactly 5 min inside the theatre.
    // A sweep every second, the last one due exactly at 5 min.
    struct ev_config cfg;
    ev_config_default(&cfg);
    cfg.sweep_ms = 1000;
    reset(&cfg);
    feed(plane(0xAE3201, T0, 15, -65, 25000));
    feed(plane(0xAE3201, T0 + 30000, 15.02, -65, 25000));
    feed(plane(0xAE3201, T0 + 90000, 15.06, -65, 25000));
    tick(T0 + 90000 + 5 * MIN - 1000);
    CHECK_EQ_INT(count(EV_DARK, 0xAE3201), 0, "silent 5 min - 1 s: not dark");
    tick(T0 + 90000 + 5 * MIN);
    CHECK_EQ_INT(count(EV_DARK, 0xAE3201), 1, "silent exactly 5 min: dark");

    // Encounters: exactly 2 h together is an encounter, 1:55 is not.
    reset(NULL);
    enc_run(5101, 5102, 15, 300, 2 * H);
    enc_run(5103, 5104, 16, 300, 2 * H - 5 * MIN);
    ev_engine_finish(E);
    r = find_ev(EV_ENCOUNTER, 5101);
    CHECK(r != NULL, "two ships together for 2 h (%.4f h): encounter",
          r ? val(r, "duration_h") : -1);
    CHECK_EQ_INT(count(EV_ENCOUNTER, 5103), 0, "1:55 together: no encounter");
    reset(NULL);
    enc_run(5105, 5106, 15, 480, 3 * H);
    enc_run(5107, 5108, 16, 520, 3 * H);
    ev_engine_finish(E);
    CHECK_EQ_INT(count(EV_ENCOUNTER, 5105), 1, "480 m apart: encounter");
    CHECK_EQ_INT(count(EV_ENCOUNTER, 5107), 0, "520 m apart: none");
    reset(NULL);
    enc_sog = 1.99;
    enc_run(5109, 5110, 15, 300, 3 * H);
    enc_sog = 2.0;
    enc_run(5111, 5112, 16, 300, 3 * H);
    enc_sog = 0.5;
    ev_engine_finish(E);
    CHECK_EQ_INT(count(EV_ENCOUNTER, 5109), 1, "both at 1.99 kn: encounter");
    CHECK_EQ_INT(count(EV_ENCOUNTER, 5111), 0, "both at 2.0 kn (not < 2): none");
    // Encounter 10 km (5.4 nm) from shore: 5.9 nm counts, 4.9 nm does not.
    reset(NULL);
    enc_run(5113, 5114, 10 + 5.9 * nm, 300, 3 * H);
    enc_run(5115, 5116, 10 + 4.9 * nm, 300, 3 * H);
    ev_engine_finish(E);
    CHECK_EQ_INT(count(EV_ENCOUNTER, 5113), 1, "encounter 5.9 nm from shore");
    CHECK_EQ_INT(count(EV_ENCOUNTER, 5115), 0, "4.9 nm from shore: none");

    // Orbit at exactly orbit_min (20 min) after its start: a rate-3 circle
    // (1.27 nm radius at 240 kn), one fix every 10 s, data ending at
    // start + 20 min (an orbit) or 10 s earlier (none).
    int64_t start = 0;
    for (int run = 0; run < 3; run++) {
        reset(NULL);
        for (int k = 0;; k++) {
            int64_t t = T0 + k * 10000;
            if ((run == 0 && k > 200) || (run == 1 && t > start + 20 * MIN) ||
                (run == 2 && t > start + 20 * MIN - 10000))
                break;
            double a = k * 30.0 * M_PI / 180, rr = 240.0 / 3600 / (3 * M_PI / 180);
            feed(plane(0xAE5001, t, 17 + rr / 60 * cos(a),
                       -64 + rr / (60 * cos(17 * M_PI / 180)) * sin(a), 20000));
        }
        ev_engine_finish(E);
        r = find_ev(EV_ORBIT, 0xAE5001);
        if (run == 0) {
            CHECK(r != NULL, "33 min of circling: an orbit");
            start = r ? r->p[0].t_ms : T0;
        } else {
            CHECK((r != NULL) == (run == 1), "data ending %s after the orbit's start: %s",
                  run == 1 ? "exactly 20 min" : "20 min - 10 s", r ? "orbit" : "none");
        }
    }

    // The turn threshold (720 deg): a slow circle (0.585 deg/s, 6.5 nm radius
    // at 240 kn) turning 745 deg, then straight: an orbit; 700 deg: none.
    for (int run = 0; run < 2; run++) {
        double total = run ? 700 : 745, rate = 0.585, kn = 240;
        reset(NULL);
        double lat = 17, lon = -64, hdg = 0;
        int64_t t = T0;
        for (double turned = 0;; t += 10000) {
            feed(plane(0xAE5002, t, lat, lon, 20000));
            if (t - T0 > (int64_t)(total / rate * 1000) + 25 * MIN)
                break;
            double step = turned < total ? fmin(10 * rate, total - turned) : 0;
            turned += step;
            hdg += step;
            lat += kn / 360 / 60 * cos(hdg * M_PI / 180);
            lon += kn / 360 / 60 * sin(hdg * M_PI / 180) / cos(lat * M_PI / 180);
        }
        ev_engine_finish(E);
        r = find_ev(EV_ORBIT, 0xAE5002);
        CHECK((r != NULL) == (run == 0), "a circle of %.0f deg: %s (turns %.2f)", total,
              r ? "orbit" : "none", r ? val(r, "turns") : 0.0);
    }
    // The tightest measured pattern: 0.31 nm radius at 100 kn (0.5 nm segments
    // span 92 degrees of it), 30 min: an orbit.
    reset(NULL);
    for (int k = 0; k <= 360; k++) {
        double rr = 0.31, a = k * 5 * (100.0 / 3600) / rr; // 5 s per fix
        feed(plane(0xAE5003, T0 + k * 5000, 17 + rr / 60 * cos(a),
                   -64 + rr / (60 * cos(17 * M_PI / 180)) * sin(a), 1500));
    }
    ev_engine_finish(E);
    CHECK(find_ev(EV_ORBIT, 0xAE5003) != NULL, "a 0.31 nm radius circle is measured: orbit");
}

int main(void)
{
    const char *root = getenv("ROOT");
    TH = mk_theatre();
    CHECK(TH != NULL, "constructed theatre");
    if (!TH)
        return check_exit();
    test_seen();
    test_zones();
    test_approach();
    test_gap();
    test_dark();
    test_dark_unswept();
    test_loiter();
    test_thresholds();
    test_encounter();
    test_site();
    test_jump();
    test_untimed();
    test_orbit_circle();
    test_orbit_racetrack();
    test_orbit_negative();
    test_orbit_boundaries();
    test_property();
    test_caribbean(root ? root : ".");
    ev_engine_free(E);
    theatre_free(TH);
    return check_exit();
}
