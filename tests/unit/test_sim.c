/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_sim.c - the scenario simulator: determinism (same seed -> identical
 * bytes, another seed -> different background), time order, reporting
 * rates (ITU-R M.1371-5 class A by speed, class B, ADS-B), transponder-off
 * gaps, receiver range and random loss, route interpolation, scenario
 * validation errors, and the ground truth (port visit, closest approach,
 * order of battle, arrivals) against values computed by hand. Every AIS
 * line produced is also fed back through the library decoder.
 */
#include "sim/scenario.h"
#include "sim/sim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "orbat/ais.h"
#include "orbat/modes.h"
#include "orbat/modes_frame.h"
#include "sim/sim_util.h"

static char scen_path[64];

static void write_scenario(const char *json)
{
    strcpy(scen_path, "/tmp/orbat_test_sim_XXXXXX");
    int fd = mkstemp(scen_path);
    if (fd < 0)
        return;
    size_t n = strlen(json);
    if (write(fd, json, n) != (ssize_t)n)
        scen_path[0] = 0;
    close(fd);
}

static struct scenario *load(const char *json, int64_t seed)
{
    char err[256] = "";
    write_scenario(json);
    struct scenario *s = scenario_load(scen_path, seed, err, sizeof(err));
    unlink(scen_path);
    if (!s)
        printf("# scenario error: %s\n", err);
    return s;
}

/* Collects everything the simulator emits. */
struct capture {
    char *ais;
    size_t ais_len, ais_cap;
    uint8_t *beast;
    size_t beast_len, beast_cap;
    int64_t last_t;
    bool out_of_order;
    unsigned ais_lines_by_mmsi[8];
    int64_t first_t[8], last_tx[8];
    uint32_t mmsi[8];
    struct orbat_ais_reasm reasm;
    struct orbat_ais_msg msg;
    unsigned decode_fail;
    unsigned ais_decoded;
    unsigned modes_frames, modes_fail;
    unsigned gap_violations;
    int64_t gap_from, gap_to;
};

static void grow(void **p, size_t *cap, size_t need)
{
    if (need <= *cap)
        return;
    size_t nc = *cap ? *cap : 4096;
    while (nc < need)
        nc *= 2;
    void *np = realloc(*p, nc);
    if (!np)
        abort();
    *p = np;
    *cap = nc;
}

static void on_ais(void *ctx, const char *text, size_t len, int64_t t)
{
    struct capture *c = ctx;
    grow((void **)&c->ais, &c->ais_cap, c->ais_len + len);
    memcpy(c->ais + c->ais_len, text, len);
    c->ais_len += len;
    if (t < c->last_t)
        c->out_of_order = true;
    c->last_t = t;
    if (t >= c->gap_from && t < c->gap_to)
        c->gap_violations++;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t l = (size_t)(nl - p);
        int rc = orbat_ais_feed_line(&c->reasm, p, l, &c->msg);
        if (rc == ORBAT_OK) {
            c->ais_decoded++;
            for (int i = 0; i < 8; i++)
                if (c->mmsi[i] == c->msg.mmsi && (c->msg.type == 1 || c->msg.type == 18)) {
                    if (!c->ais_lines_by_mmsi[i])
                        c->first_t[i] = t;
                    c->ais_lines_by_mmsi[i]++;
                    c->last_tx[i] = t;
                }
        } else if (rc != ORBAT_AGAIN) {
            c->decode_fail++;
        }
        p = nl + 1;
    }
}

static void on_beast(void *ctx, const uint8_t *p, size_t n, int64_t t)
{
    struct capture *c = ctx;
    grow((void **)&c->beast, &c->beast_cap, c->beast_len + n);
    memcpy(c->beast + c->beast_len, p, n);
    c->beast_len += n;
    if (t < c->last_t)
        c->out_of_order = true;
    c->last_t = t;
    struct orbat_modes_frame f;
    struct orbat_modes_msg m;
    c->modes_frames++;
    if (orbat_beast_parse_one(p, n, &f) != ORBAT_OK ||
        orbat_modes_decode(f.data, f.len, NULL, &m) != ORBAT_OK)
        c->modes_fail++;
}

static void cap_init(struct capture *c)
{
    memset(c, 0, sizeof(*c));
    orbat_ais_reasm_init(&c->reasm);
}

static void cap_free(struct capture *c)
{
    free(c->ais);
    free(c->beast);
}

static int run(const struct scenario *s, struct capture *c, struct sim_stats *st)
{
    struct sim_sink sink = {on_ais, on_beast, NULL, NULL, c, NULL};
    return sim_run(s, NULL, &sink, st);
}

/* Two ships (class A at 10 kn, class B at 8 kn), one aircraft, one
 * receiver covering everything, no loss, real rates (scale 1), 2 h. */
static const char *const base_json =
    "{\"name\":\"t\",\"start\":\"2025-10-01T00:00:00Z\",\"end\":\"2025-10-01T02:00:00Z\","
    "\"seed\":11,\"rates\":{\"ais_scale\":1,\"adsb_scale\":1},\"loss\":0,"
    "\"receivers\":[{\"name\":\"rx\",\"lat\":12,\"lon\":-66,\"range_km\":2000}],"
    "\"assets\":["
    "{\"id\":\"a\",\"kind\":\"ship\",\"mmsi\":366000001,\"name\":\"ALPHA\",\"route\":["
    "{\"t\":\"2025-10-01T00:00:00Z\",\"lat\":12.0,\"lon\":-66.0},"
    "{\"lat\":12.0,\"lon\":-65.0,\"speed_kn\":10}],"
    "\"transponder_off\":[{\"from\":\"2025-10-01T01:00:00Z\",\"to\":\"2025-10-01T01:30:00Z\"}]},"
    "{\"id\":\"b\",\"kind\":\"ship\",\"mmsi\":366000002,\"ais_class\":\"B\",\"route\":["
    "{\"t\":\"2025-10-01T00:00:00Z\",\"lat\":11.0,\"lon\":-66.0},"
    "{\"lat\":11.0,\"lon\":-65.0,\"speed_kn\":8}]},"
    "{\"id\":\"air\",\"kind\":\"aircraft\",\"icao\":\"ae56ea\",\"callsign\":\"BUNNY01\","
    "\"military\":true,\"route\":["
    "{\"t\":\"2025-10-01T00:00:00Z\",\"lat\":13.0,\"lon\":-67.0,\"alt_ft\":30000},"
    "{\"t\":\"2025-10-01T00:30:00Z\",\"lat\":12.0,\"lon\":-66.0}]}"
    "]%s}";

static char *with(const char *extra)
{
    static char buf[8192];
    snprintf(buf, sizeof(buf), base_json, extra);
    return buf;
}

static void test_rates_gaps(void)
{
    struct scenario *s = load(with(""), -1);
    CHECK(s != NULL, "base scenario loads");
    if (!s)
        return;
    struct capture c;
    cap_init(&c);
    c.mmsi[0] = 366000001;
    c.mmsi[1] = 366000002;
    char t0[32], t1[32];
    sim_parse_time("2025-10-01T01:00:00Z", &c.gap_from);
    sim_parse_time("2025-10-01T01:30:00Z", &c.gap_to);
    c.gap_from += 0; // ship a's gap; other assets may transmit: filtered below
    struct sim_stats st;
    CHECK_EQ_INT(run(s, &c, &st), 0, "sim_run returns 0");
    CHECK(!c.out_of_order, "output is time-ordered across AIS and Mode S");
    CHECK_EQ_INT(c.decode_fail, 0, "every AIS sentence decodes");
    CHECK_EQ_INT(c.modes_fail, 0, "every Beast frame parses and decodes");
    CHECK_EQ_INT(st.encode_errors, 0, "no encoder refusals");
    CHECK_EQ_INT(st.ais_messages, c.ais_decoded, "AIS messages emitted == decoded");
    // Ship a: 10 kn class A -> every 10 s (+-10 % jitter), transmitting 1.5 h of 2.
    // Route: 60 nm at 10 kn = 6 h, so it moves the whole window.
    double expect_a = 5400.0 / 10.0;
    CHECK(fabs(c.ais_lines_by_mmsi[0] - expect_a) < expect_a * 0.05,
          "class A at 10 kn: %u position reports in 1.5 h on air ~ %.0f (10 s)",
          c.ais_lines_by_mmsi[0], expect_a);
    double expect_b = 7200.0 / 30.0;
    CHECK(fabs(c.ais_lines_by_mmsi[1] - expect_b) < expect_b * 0.06,
          "class B at 8 kn: %u position reports in 2 h ~ %.0f (30 s)", c.ais_lines_by_mmsi[1],
          expect_b);
    // Aircraft: 30 min airborne, position + velocity every 0.5 s, ident 5 s, replies 2 s.
    double expect_air = 1800.0 * (2 + 2 + 0.2 + 0.5);
    CHECK(fabs(c.modes_frames - expect_air) < expect_air * 0.05,
          "ADS-B: %u frames in 30 min ~ %.0f", c.modes_frames, expect_air);
    sim_format_time(c.gap_from, t0, sizeof(t0));
    sim_format_time(c.gap_to, t1, sizeof(t1));
    // No report from ship a inside its gap: count its reports by time.
    struct capture c2;
    cap_init(&c2);
    c2.mmsi[0] = 366000001;
    struct scenario *only_a =
        load("{\"name\":\"t\",\"start\":\"2025-10-01T00:00:00Z\",\"end\":\"2025-10-01T02:00:00Z\","
             "\"seed\":11,\"rates\":{\"ais_scale\":1},\"receivers\":[{\"name\":\"rx\",\"lat\":12,"
             "\"lon\":-66,\"range_km\":2000}],\"assets\":[{\"id\":\"a\",\"kind\":\"ship\","
             "\"mmsi\":366000001,\"route\":[{\"t\":\"2025-10-01T00:00:00Z\",\"lat\":12.0,"
             "\"lon\":-66.0},{\"lat\":12.0,\"lon\":-65.0,\"speed_kn\":10}],\"transponder_off\":"
             "[{\"from\":\"2025-10-01T01:00:00Z\",\"to\":\"2025-10-01T01:30:00Z\"}]}]}",
             -1);
    if (only_a) {
        c2.gap_from = c.gap_from;
        c2.gap_to = c.gap_to;
        CHECK_EQ_INT(run(only_a, &c2, &st), 0, "single-ship run");
        CHECK(c2.gap_violations == 0, "nothing transmitted in the gap %s..%s (%u)", t0, t1,
              c2.gap_violations);
        CHECK(st.off > 150, "gap suppressed %llu scheduled reports", (unsigned long long)st.off);
        scenario_free(only_a);
    }
    cap_free(&c2);
    cap_free(&c);
    scenario_free(s);
}

static uint64_t fnv(const void *p, size_t n)
{
    const uint8_t *b = p;
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

static void test_determinism(void)
{
    const char *extra = ",\"background\":{\"cargo\":3,\"fishing\":2,\"airliners\":2,"
                        "\"ports\":[{\"name\":\"p1\",\"lat\":12.1,\"lon\":-68.9},"
                        "{\"name\":\"p2\",\"lat\":10.6,\"lon\":-61.5}],"
                        "\"airports\":[{\"name\":\"a1\",\"lat\":18.4,\"lon\":-66.0},"
                        "{\"name\":\"a2\",\"lat\":10.6,\"lon\":-67.0}]}";
    uint64_t h[3][2];
    int64_t seeds[3] = {-1, -1, 99};
    for (int k = 0; k < 3; k++) {
        struct scenario *s = load(with(extra), seeds[k]);
        if (!s) {
            CHECK(0, "background scenario loads");
            return;
        }
        struct capture c;
        cap_init(&c);
        struct sim_stats st;
        run(s, &c, &st);
        h[k][0] = fnv(c.ais, c.ais_len);
        h[k][1] = fnv(c.beast, c.beast_len);
        if (k == 0)
            CHECK(c.ais_len > 10000 && c.beast_len > 10000,
                  "background traffic generated (%zu AIS bytes, %zu Beast bytes)", c.ais_len,
                  c.beast_len);
        cap_free(&c);
        scenario_free(s);
    }
    CHECK(h[0][0] == h[1][0] && h[0][1] == h[1][1], "same seed: byte-identical AIS and Beast");
    CHECK(h[0][0] != h[2][0], "another seed: different AIS output");
}

static void test_range_loss(void)
{
    // Receiver 100 km range, ship sails from 50 km to 300 km away: reports stop.
    struct scenario *s =
        load("{\"name\":\"t\",\"start\":\"2025-10-01T00:00:00Z\",\"end\":\"2025-10-02T00:00:00Z\","
             "\"rates\":{\"ais_scale\":1},\"receivers\":[{\"name\":\"rx\",\"lat\":12,\"lon\":-66,"
             "\"range_km\":100,\"loss\":0.3}],\"assets\":[{\"id\":\"a\",\"kind\":\"ship\","
             "\"mmsi\":366000001,\"route\":[{\"t\":\"2025-10-01T00:00:00Z\",\"lat\":12.45,"
             "\"lon\":-66.0},{\"t\":\"2025-10-01T10:00:00Z\",\"lat\":14.7,\"lon\":-66.0}]}]}",
             -1);
    if (!s) {
        CHECK(0, "range scenario loads");
        return;
    }
    struct capture c;
    cap_init(&c);
    c.mmsi[0] = 366000001;
    struct sim_stats st;
    run(s, &c, &st);
    double lat, lon, alt, v, cog;
    sim_position(&s->assets[0], c.last_tx[0], &lat, &lon, &alt, &v, &cog);
    double d = sim_dist_km(lat, lon, 12, -66);
    CHECK(d <= 100.0 && d > 95.0, "last report received %.1f km out (range 100 km)", d);
    double ratio = (double)st.lost / (double)(st.lost + c.ais_lines_by_mmsi[0]);
    CHECK(fabs(ratio - 0.3) < 0.06, "random loss %.3f ~ 0.3", ratio);
    CHECK(st.out_of_range > 0, "out-of-range transmissions counted (%llu)",
          (unsigned long long)st.out_of_range);
    CHECK_NEAR(v, 13.5, 0.1, "interpolated speed 135 nm / 10 h");
    CHECK_NEAR(remainder(cog, 360.0), 0.0, 0.01, "interpolated course due north");
    cap_free(&c);
    scenario_free(s);
}

static void test_validation(void)
{
    char err[256];
    static const struct {
        const char *json, *want;
    } bad[] = {
        {"{\"start\":\"2025-10-01\",\"end\":\"2025-09-01\"}", "end"},
        {"{\"start\":\"2025-10-01\",\"end\":\"2025-10-02\",\"receivers\":[]}", "receiver"},
        {"{\"start\":\"2025-10-01\",\"end\":\"2025-10-02\",\"receivers\":[{\"name\":\"r\","
         "\"range_km\":5}],\"assets\":[{\"id\":\"x\",\"kind\":\"boat\"}]}",
         "kind"},
        {"{\"start\":\"2025-10-01\",\"end\":\"2025-10-02\",\"receivers\":[{\"name\":\"r\","
         "\"range_km\":5}],\"assets\":[{\"id\":\"x\",\"kind\":\"ship\",\"mmsi\":1,\"route\":["
         "{\"t\":\"2025-10-01T05:00:00Z\",\"lat\":1,\"lon\":1},{\"t\":\"2025-10-01T04:00:00Z\","
         "\"lat\":1,\"lon\":2}]}]}",
         "backwards"},
        {"{\"start\":\"2025-13-01\",\"end\":\"2025-10-02\"}", "time"},
        {"{\"start\":\"2025-01-01\",\"end\":\"2026-03-01\"}", "400 days"},
        {"{\"start\":\"2025-10-01\",\"end\":\"2025-10-02\",\"receivers\":[{\"name\":\"r\","
         "\"range_km\":5}],\"assets\":[{\"id\":\"x\",\"kind\":\"aircraft\",\"icao\":\"ae0001\","
         "\"squawk\":7680,\"route\":[{\"t\":\"2025-10-01T05:00:00Z\",\"lat\":1,\"lon\":1}]}]}",
         "octal"},
        {"{\"start\":\"2025-10-01\",\"end\":\"2025-10-02\",\"receivers\":[{\"name\":\"r\","
         "\"range_km\":5}],\"assets\":[{\"id\":\"x\",\"kind\":\"ship\",\"mmsi\":1,"
         "\"ship_type\":1e300,\"route\":[{\"t\":\"2025-10-01T05:00:00Z\",\"lat\":1,\"lon\":1}]}]}",
         "ship_type out of range"},
        {"{\"start\":\"2025-10-01\",\"end\":\"2025-10-02\",\"receivers\":[{\"name\":\"r\","
         "\"range_km\":5}],\"assets\":[{\"id\":\"x\",\"kind\":\"ship\",\"mmsi\":1,\"route\":["
         "{\"t\":\"2025-10-01T05:00:00Z\",\"lat\":1,\"lon\":1},{\"lat\":1,\"lon\":2,"
         "\"speed_kn\":0.001}]}]}",
         "speed_kn"},
        {"{\"start\":\"2025-10-01\",\"end\":\"2025-10-02\",\"receivers\":[{\"name\":\"r\","
         "\"range_km\":5}],\"assets\":[{\"id\":\"x\",\"kind\":\"ship\",\"mmsi\":1,\"route\":["
         "{\"t\":\"2024-10-01T05:00:00Z\",\"lat\":1,\"lon\":1}]}]}",
         "30 days"},
        {"not json", "'['"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        write_scenario(bad[i].json);
        struct scenario *s = scenario_load(scen_path, -1, err, sizeof(err));
        unlink(scen_path);
        CHECK(!s && strstr(err, bad[i].want), "bad scenario %zu rejected: %s", i, err);
        scenario_free(s);
    }
    int64_t ms;
    CHECK(sim_parse_time("2025-10-15T06:50:00Z", &ms) && ms == 1760511000000ll, "time parse (%lld)",
          (long long)ms);
    CHECK(!sim_parse_time("2025-10-15T06:50:00", &ms), "time without Z refused");
    char b[32];
    sim_format_time(1760511000000ll, b, sizeof(b));
    CHECK_EQ_STR(b, "2025-10-15T06:50:00Z", "time format");
}

static void test_truth(void)
{
    // A ship that visits a port for 10 h, an aircraft passing 0.5 deg north of a target.
    struct scenario *s = load(
        "{\"name\":\"t\",\"start\":\"2025-10-26T00:00:00Z\",\"end\":\"2025-10-28T00:00:00Z\","
        "\"receivers\":[{\"name\":\"rx\",\"lat\":10.6,\"lon\":-61.5,\"range_km\":50}],"
        "\"theatre\":{\"name\":\"box\",\"polygon\":[[-63,9],[-60,9],[-60,12],[-63,12]]},"
        "\"assets\":[{\"id\":\"g\",\"kind\":\"ship\",\"mmsi\":369970634,\"military\":true,"
        "\"route\":[{\"t\":\"2025-10-26T00:00:00Z\",\"lat\":12.5,\"lon\":-61.5},"
        "{\"t\":\"2025-10-26T13:30:00Z\",\"lat\":10.648,\"lon\":-61.517,\"dwell_h\":10},"
        "{\"lat\":11.0,\"lon\":-61.6,\"speed_kn\":12}]},"
        "{\"id\":\"b\",\"kind\":\"aircraft\",\"icao\":\"ae6bd1\",\"military\":true,\"route\":["
        "{\"t\":\"2025-10-26T12:00:00Z\",\"lat\":11.5,\"lon\":-64.0,\"alt_ft\":24000},"
        "{\"t\":\"2025-10-26T13:00:00Z\",\"lat\":11.5,\"lon\":-62.0}]}],"
        "\"truth\":{\"oob_dates\":[\"2025-10-26T12:30:00Z\",\"2025-10-27T12:00:00Z\"],"
        "\"approaches\":[{\"asset\":\"b\",\"target\":\"T\",\"lat\":11.0,\"lon\":-63.0}],"
        "\"port_visits\":[{\"asset\":\"g\",\"port\":\"POS\",\"lat\":10.648,\"lon\":-61.517}]}}",
        -1);
    if (!s) {
        CHECK(0, "truth scenario loads");
        return;
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CHECK(f && sim_truth_write(s, NULL, f) == 0, "truth written");
    if (f)
        fclose(f);
    CHECK(buf && strstr(buf, "\"simulation\": true"), "truth labelled simulation");
    // Port visit: in at 3 km on the way in (ship at 12.5 -> 10.648 over 13.5 h, ~7.4 kn:
    // 3 km = 13 min before 13:30), out at 4 km after the 10 h dwell.
    const char *pv = buf ? strstr(buf, "\"port_visits\"") : NULL;
    CHECK(pv && strstr(pv, "\"arrival\": \"2025-10-26T13:1") != NULL,
          "port arrival ~13:1x (3 km before the berth)");
    CHECK(pv && strstr(pv, "\"departure\": \"2025-10-26T23:") != NULL,
          "port departure ~23:4x (4 km after leaving at 23:30)");
    // Closest approach: along lat 11.5 to (11.0, -63.0) = 0.5 deg of latitude = 55.6 km.
    const char *ap = buf ? strstr(buf, "\"closest_km\": ") : NULL;
    double km = ap ? atof(ap + 14) : -1;
    CHECK_NEAR(km, 55.6, 0.3, "closest approach 0.5 deg north of the target");
    const char *ob = buf ? strstr(buf, "\"order_of_battle\"") : NULL;
    CHECK(ob && strstr(ob, "\"military_ships\": 1") != NULL, "order of battle: one ship");
    CHECK(ob && strstr(ob, "\"military_aircraft_airborne\": 1") != NULL,
          "order of battle at 12:30: the aircraft is airborne inside the box");
    const char *arr = buf ? strstr(buf, "\"arrivals\"") : NULL;
    CHECK(arr && strstr(arr, "\"t\": \"2025-10-26T0") != NULL,
          "ship arrival when it crosses lat 12 (~04:xx)");
    free(buf);
    scenario_free(s);
}

int main(void)
{
    test_validation();
    test_rates_gaps();
    test_determinism();
    test_range_loss();
    test_truth();
    return check_exit();
}
