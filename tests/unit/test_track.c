/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_track.c - the asset table (insert, find, remove, memory per
 * asset), CPR resolution with per-aircraft state (global pair, local
 * decode, rejection of bad frames), and history thinning.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "geo/geodesic.h"
#include "orbat/modes_encode.h"
#include "track/track.h"

static struct obs mk(enum obs_kind kind, uint32_t id, int64_t t)
{
    struct obs o;
    memset(&o, 0, sizeof o);
    o.kind = kind;
    o.id = id;
    o.t_ms = t;
    return o;
}

static void test_table(void)
{
    struct track_table *t = track_new(NULL);
    struct track_upd u;
    const int n = 100000;
    CHECK(TRACK_ASSET_BYTES + 8 <= 512, "asset state %zu bytes + 8 hash <= 512",
          (size_t)TRACK_ASSET_BYTES);
    int created = 0;
    for (int i = 0; i < n; i++) {
        struct obs o = mk(i & 1 ? OBS_SHIP : OBS_AIRCRAFT, (uint32_t)(i * 2654435761u), 1000 + i);
        if (track_update(t, &o, 0, &u) && u.is_new)
            created++;
    }
    CHECK_EQ_INT(created, n, "100000 assets created");
    // Same id, other kind: a different asset.
    struct obs o = mk(OBS_SHIP, 0, 5);
    track_update(t, &o, 0, &u);
    CHECK(u.is_new, "ship 0 and aircraft 0 are different assets");
    int found = 0;
    for (int i = 0; i < n; i++)
        found +=
            track_find(t, i & 1 ? OBS_SHIP : OBS_AIRCRAFT, (uint32_t)(i * 2654435761u)) != NULL;
    CHECK_EQ_INT(found, n, "all found");
    double per = (double)track_mem(t) / (n + 1);
    CHECK(per <= 512, "memory per asset %.0f bytes <= 512", per);
    for (int i = 0; i < n; i += 2)
        track_remove(t, track_find(t, OBS_AIRCRAFT, (uint32_t)(i * 2654435761u)));
    found = 0;
    int wrong = 0;
    for (int i = 0; i < n; i++) {
        struct track_asset *a =
            track_find(t, i & 1 ? OBS_SHIP : OBS_AIRCRAFT, (uint32_t)(i * 2654435761u));
        found += a != NULL;
        if (a && (i & 1) == 0)
            wrong++;
    }
    CHECK_EQ_INT(found, n / 2, "half remain after removal");
    CHECK_EQ_INT(wrong, 0, "removed ones are gone");
    CHECK_EQ_INT(track_get_stats(t)->live, n / 2 + 1, "live count");
    size_t before = track_mem(t);
    for (int i = 0; i < n / 2; i++) {
        struct obs p = mk(OBS_AIRCRAFT, 0x80000000u + (uint32_t)i, 99);
        track_update(t, &p, 0, &u);
    }
    CHECK(track_mem(t) == before, "freed slots are reused (%zu == %zu)", track_mem(t), before);
    track_free(t);
}

static struct obs cpr(uint32_t icao, int64_t t, double lat, double lon, bool odd)
{
    struct obs o = mk(OBS_AIRCRAFT, icao, t);
    o.has = OBS_HAS_CPR | OBS_HAS_ALT;
    o.alt_ft = 35000;
    o.cpr_odd = odd;
    orbat_modes_cpr_encode(lat, lon, odd, &o.cpr_lat, &o.cpr_lon);
    return o;
}

static void test_cpr(void)
{
    struct track_table *t = track_new(NULL);
    struct track_upd u;
    // 480 kn due east at 11N, frames every 0.5 s alternating even/odd.
    double lat = 11.0, lon = -67.0, worst = 0;
    int ok = 0, wait = 0;
    for (int i = 0; i < 200; i++) {
        double lo = lon + i * 0.5 * 480.0 / 3600.0 / 60.0 / cos(lat * M_PI / 180);
        // the second half sends only odd frames: the even one goes stale
        struct obs o = cpr(0xAE01CE, 1000000 + i * 500, lat, lo, i >= 100 || (i & 1));
        struct track_asset *a = track_update(t, &o, 0, &u);
        if (u.pos == TRACK_POS_OK) {
            ok++;
            double d = geo_dist_nm(a->pos.lat, a->pos.lon, lat, lo) * 1852;
            if (d > worst)
                worst = d;
        } else if (u.pos == TRACK_POS_CPR_WAIT) {
            wait++;
        }
    }
    CHECK_EQ_INT(wait, 1, "the first frame waits for its pair");
    CHECK_EQ_INT(ok, 199, "every later frame resolves");
    CHECK(worst < 10, "resolved within %.1f m of the truth (17-bit CPR ~5 m)", worst);
    const struct track_stats *st = track_get_stats(t);
    CHECK(st->cpr_global >= 99 && st->cpr_local >= 70, "global then local decoding (%llu/%llu)",
          (unsigned long long)st->cpr_global, (unsigned long long)st->cpr_local);
    // A corrupted frame far away (valid CPR, wrong place): rejected.
    struct obs bad = cpr(0xAE01CE, 1000000 + 200 * 500, 13.5, -64.0, false);
    struct track_asset *a = track_update(t, &bad, 0, &u);
    CHECK(u.pos != TRACK_POS_OK, "a frame 200 nm away is rejected (%s)", track_pos_name(u.pos));
    CHECK(a && fabs(a->pos.lat - 11.0) < 0.01, "the position stays");
    // Pair too far apart in time: no global decode for a new aircraft.
    struct obs e1 = cpr(0xAE0002, 1000000, 12, -66, false);
    struct obs o1 = cpr(0xAE0002, 1000000 + 10001, 12, -66, true);
    track_update(t, &e1, 0, &u);
    track_update(t, &o1, 0, &u);
    CHECK(u.pos == TRACK_POS_CPR_FAIL || u.pos == TRACK_POS_CPR_WAIT,
          "even/odd 10.001 s apart do not pair (%s)", track_pos_name(u.pos));
    struct obs e2 = cpr(0xAE0002, 1000000 + 15000, 12, -66, false);
    track_update(t, &e2, 0, &u);
    CHECK(u.pos == TRACK_POS_OK, "a fresh pair within 10 s resolves (%s)", track_pos_name(u.pos));
    // Zone-crossing pair: latitude zone boundary between the two frames.
    // (NL changes at 10.4704713 deg.)
    struct obs e3 = cpr(0xAE0003, 2000000, 10.4600, -66, false);
    struct obs o3 = cpr(0xAE0003, 2000500, 10.4800, -66, true);
    track_update(t, &e3, 0, &u);
    track_update(t, &o3, 0, &u);
    CHECK(u.pos == TRACK_POS_CPR_FAIL || u.pos == TRACK_POS_OK,
          "pair across an NL boundary is refused or resolved consistently (%s)",
          track_pos_name(u.pos));
    if (u.pos == TRACK_POS_OK) {
        a = track_find(t, OBS_AIRCRAFT, 0xAE0003);
        CHECK(a && fabs(a->pos.lat - 10.48) < 0.01, "and never misplaced");
    }
    track_free(t);
}

static void test_thin(void)
{
    struct track_cfg cfg;
    track_cfg_default(&cfg);
    struct track_table *t = track_new(&cfg);
    struct track_upd u;
    int kept = 0, n = 0;
    // 10 kn due north for 1 h, a fix every 10 s: kept on distance (2 nm =
    // 12 min) and time (5 min): every 5 min -> 12 + the first = 13.
    for (int i = 0; i <= 360; i++) {
        struct obs o = mk(OBS_SHIP, 1, 1000000 + i * 10000);
        o.has = OBS_HAS_POS | OBS_HAS_SOG | OBS_HAS_COG;
        o.lat = 15 + i * 10.0 / 3600 * 10 / 60;
        o.lon = -65;
        o.sog_kn = 10;
        o.cog_deg = 0;
        struct track_asset *a = track_update(t, &o, 0, &u);
        kept += track_thin(t, a, false);
        n++;
    }
    CHECK_EQ_INT(kept, 13, "steady course: one point per 5 min");
    // A turn is kept at once.
    struct obs o = mk(OBS_SHIP, 1, 1000000 + 361 * 10000);
    o.has = OBS_HAS_POS | OBS_HAS_SOG | OBS_HAS_COG;
    o.lat = 15 + 360 * 10.0 / 3600 * 10 / 60;
    o.lon = -64.9995;
    o.sog_kn = 10;
    o.cog_deg = 20;
    struct track_asset *a = track_update(t, &o, 0, &u);
    CHECK(track_thin(t, a, false), "a 20 degree turn is kept");
    o.t_ms += 10000;
    o.cog_deg = 25;
    o.lon += 0.0002;
    a = track_update(t, &o, 0, &u);
    CHECK(!track_thin(t, a, false), "5 more degrees 10 s later is thinned");
    CHECK(track_thin(t, a, true), "but never an event point");
    o.t_ms += 10000;
    o.sog_kn = 14;
    o.lon += 0.0002;
    a = track_update(t, &o, 0, &u);
    CHECK(track_thin(t, a, false), "a 4 kn speed change is kept");
    track_free(t);
}

static struct obs ship_fix(int64_t t, double lat, double lon, float sog, float cog)
{
    struct obs o = mk(OBS_SHIP, 7, t);
    o.has = OBS_HAS_POS | OBS_HAS_SOG | OBS_HAS_COG;
    o.lat = lat;
    o.lon = lon;
    o.sog_kn = sog;
    o.cog_deg = cog;
    return o;
}

/* Thresholds on both sides and at equality, and the antimeridian (issue 20). */
static void test_boundaries(void)
{
    struct track_cfg cfg;
    track_cfg_default(&cfg);
    struct track_table *t = track_new(&cfg);
    struct track_upd u;
    const int64_t T = 1700000000000LL;
    // A ship crossing 180 degrees at 12 kn: 0.2 nm a minute, not a jump.
    struct obs o = ship_fix(T, -17, 179.998, 12, 90);
    track_update(t, &o, 0, &u);
    o = ship_fix(T + 60000, -17, -179.999, 12, 90);
    struct track_asset *a = track_update(t, &o, 0, &u);
    CHECK(u.pos == TRACK_POS_OK, "a ship crossing 180 east-bound is accepted (%s)",
          track_pos_name(u.pos));
    CHECK(u.step_nm < 0.3, "its step is 0.17 nm (%.3f)", u.step_nm);
    o = ship_fix(T + 120000, -17, 179.999, 12, 270);
    track_update(t, &o, 0, &u);
    CHECK(u.pos == TRACK_POS_OK, "and back west-bound (%s)", track_pos_name(u.pos));
    // The speed check at its limit: 60 kn x 1 h + 0.5 nm = 60.5 nm.
    o = ship_fix(T + 120000 + 3600000, -17 + 60.3 / 60.0, 179.999, 12, 0);
    track_update(t, &o, 0, &u);
    CHECK(u.pos == TRACK_POS_OK, "60.3 nm in 1 h: accepted (%.2f nm)", u.step_nm);
    o = ship_fix(T + 120000 + 7200000, -17 + 60.3 / 60.0 + 60.8 / 60.0, 179.999, 12, 0);
    track_update(t, &o, 0, &u);
    CHECK(u.pos == TRACK_POS_JUMP, "60.8 nm in the next hour: a jump (%.2f nm)", u.step_nm);
    // Expiry at exactly the limit is not yet expiry.
    CHECK(!track_expired(t, a, a->t_last_ms + cfg.expire_ship_ms),
          "ship silent exactly 72 h: live");
    CHECK(track_expired(t, a, a->t_last_ms + cfg.expire_ship_ms + 1), "72 h + 1 ms: expired");
    struct obs p = mk(OBS_AIRCRAFT, 0xABCDEF, T);
    p.has = OBS_HAS_POS;
    p.lat = 60;
    p.lon = 179.5;
    struct track_asset *b = track_update(t, &p, 0, &u);
    CHECK(!track_expired(t, b, T + cfg.expire_air_ms), "aircraft silent exactly 1 h: live");
    CHECK(track_expired(t, b, T + cfg.expire_air_ms + 1), "1 h + 1 ms: expired");
    // An aircraft at 900 kn across 180 at 60N.
    p.t_ms = T + 60000;
    p.lon = -179.98;
    track_update(t, &p, 0, &u);
    CHECK(u.pos == TRACK_POS_OK && u.step_nm < 17, "aircraft across 180 at 60N: %.1f nm in 1 min",
          u.step_nm);
    track_free(t);

    // Thinning: each threshold exactly met keeps the point, just under does not.
    static const struct {
        int64_t dt;
        float dsog, dcog;
        int dalt;
        bool keep;
        const char *what;
    } th[] = {{300000, 0, 0, 0, true, "5 min exactly: kept"},
              {299999, 0, 0, 0, false, "5 min - 1 ms: thinned"},
              {1000, 3, 0, 0, true, "speed +3 kn exactly: kept"},
              {1000, 2.9f, 0, 0, false, "speed +2.9 kn: thinned"},
              {1000, -3, 0, 0, true, "speed -3 kn exactly: kept"},
              {1000, 0, 15, 0, true, "course +15 deg exactly: kept"},
              {1000, 0, 14.9f, 0, false, "course +14.9 deg: thinned"},
              {1000, 0, -15, 0, true, "course -15 deg (across north) exactly: kept"},
              {1000, 0, -10, 0, false, "course -10 deg (across north): thinned"},
              {1000, 0, 0, 1000, true, "altitude +1000 ft exactly: kept"},
              {1000, 0, 0, -1000, true, "altitude -1000 ft exactly: kept"},
              {1000, 0, 0, 999, false, "altitude +999 ft: thinned"}};
    for (size_t i = 0; i < sizeof th / sizeof th[0]; i++) {
        t = track_new(&cfg);
        struct obs q = mk(OBS_AIRCRAFT, 0x123456, T);
        q.has = OBS_HAS_POS | OBS_HAS_SOG | OBS_HAS_COG | OBS_HAS_ALT;
        q.lat = 10;
        q.lon = -66;
        q.sog_kn = 300;
        q.cog_deg = 5;
        q.alt_ft = 20000;
        a = track_update(t, &q, 0, &u);
        (void)track_thin(t, a, false);
        q.t_ms += th[i].dt;
        q.sog_kn += th[i].dsog;
        q.cog_deg = fmodf(q.cog_deg + th[i].dcog + 360, 360);
        q.alt_ft += th[i].dalt;
        q.lat += 0.001; // 0.06 nm
        a = track_update(t, &q, 0, &u);
        CHECK(track_thin(t, a, false) == th[i].keep, "thinning: %s", th[i].what);
        track_free(t);
    }
    // Distance: 2 nm from the kept point keeps it, 1.9 nm does not.
    cfg.thin_max_ms = 3600000; // 2 nm at 10 kn takes 12 min
    for (int k = 0; k < 2; k++) {
        t = track_new(&cfg);
        struct obs q = ship_fix(T, 10, -66, 10, 0);
        a = track_update(t, &q, 0, &u);
        (void)track_thin(t, a, false);
        q = ship_fix(T + 720000, 10 + (k ? 2.05 : 1.9) / 60.0, -66, 10, 0);
        a = track_update(t, &q, 0, &u);
        CHECK(track_thin(t, a, false) == (k == 1), "thinning: %s nm moved",
              k ? "2.05: kept" : "1.9: thinned");
        track_free(t);
    }
}

int main(void)
{
    test_table();
    test_cpr();
    test_thin();
    test_boundaries();
    return check_exit();
}
