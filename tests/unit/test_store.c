/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_store.c - the store API on a real SQLite file in a temporary
 * directory: migrations, idempotent writes, thinning, presence, provenance
 * joins, sightings and lookups.
 */
#include "check.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/sha256.h"
#include "store/store.h"

#define T0 1761177600000LL /* 2025-10-23T00:00:00Z */

static char dir[64];
static char path[128];

static int count_cb(void *ctx, const struct store_presence *p)
{
    (void)p;
    (*(int *)ctx)++;
    return 0;
}

static int obs_count_cb(void *ctx, const struct store_obs_row *r)
{
    int *n = ctx;
    if (r->raw && r->source)
        n[1]++;
    n[0]++;
    return 0;
}

static int first_presence(void *ctx, const struct store_presence *p)
{
    *(struct store_presence *)ctx = *p;
    return 1;
}

static int find_cb(void *ctx, const struct store_asset *a)
{
    *(struct store_asset *)ctx = *a;
    return 1;
}

static int sight_cb(void *ctx, const struct store_sighting *s)
{
    *(struct store_sighting *)ctx = *s;
    return 0;
}

static int event_cb(void *ctx, const struct store_event *e, const struct store_asset *a)
{
    (void)e;
    int *n = ctx;
    n[0]++;
    if (!strcmp(a->name, "USS GRAVELY"))
        n[1]++;
    return 0;
}

static int day_cb(void *ctx, const struct store_day_count *d)
{
    uint64_t *n = ctx;
    n[0]++;
    n[1] += d->assets;
    return 0;
}

static void test_sha256(void)
{
    struct sha256 c;
    char hex[65];
    sha256_init(&c);
    sha256_update(&c, "abc", 3);
    sha256_final_hex(&c, hex);
    CHECK_EQ_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                 "sha256(abc), FIPS 180-4 example");
    // 56-byte message (two-block padding) fed in odd pieces.
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha256_init(&c);
    size_t len = strlen(m);
    for (size_t i = 0; i < len; i += 5)
        sha256_update(&c, m + i, len - i < 5 ? len - i : 5);
    sha256_final_hex(&c, hex);
    CHECK_EQ_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
                 "sha256 of the 448-bit FIPS example, chunked");
}

/* Any chunking gives the one-shot digest (libcrypto keeps the partial
 * block), on every length 0..4095. */
static void test_sha256_paths(void)
{
    static unsigned char buf[4096];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (unsigned char)(i * 131 + (i >> 7));
    int bad = 0;
    for (size_t len = 0; len < sizeof buf; len += len < 200 ? 1 : 97) {
        char a[65], b[65];
        struct sha256 c;
        sha256_init(&c);
        sha256_update(&c, buf, len);
        sha256_final_hex(&c, a);
        sha256_init(&c);
        for (size_t off = 0; off < len; off += 37) // odd chunks
            sha256_update(&c, buf + off, len - off < 37 ? len - off : 37);
        sha256_final_hex(&c, b);
        bad += strcmp(a, b) != 0;
    }
    CHECK_EQ_INT(bad, 0, "sha256: one-shot and 37-byte chunks agree on 0..4095 bytes");
}

static struct store *open_or_die(void)
{
    char err[256];
    struct store *s = store_open(path, err, sizeof err);
    if (!s) {
        printf("not ok - open %s: %s\n", path, err);
        exit(1);
    }
    return s;
}

static struct store_obs make_obs(int64_t asset, int64_t t, double lat, double lon,
                                 const char *theatre, int64_t raw, int64_t src)
{
    struct store_obs o = {.asset_id = asset,
                          .t_ms = t,
                          .lat = lat,
                          .lon = lon,
                          .sog_kn = 12.5,
                          .cog_deg = NAN,
                          .alt_ft = INT32_MIN,
                          .raw_id = raw,
                          .source_id = src};
    store_strlcpy(o.theatre, theatre, sizeof o.theatre);
    return o;
}

static void write_batch(struct store *s, int64_t *asset_out, int64_t *src_out, bool rerun)
{
    struct store_source src = {.bytes = 1234, .messages = 0};
    store_strlcpy(src.name, "test.nmea", sizeof src.name);
    store_strlcpy(src.sha256, "00ff", sizeof src.sha256);
    CHECK_EQ_INT(store_begin(s), ORBAT_OK, "begin");
    CHECK_EQ_INT(store_source_begin(s, &src), ORBAT_OK, "source_begin");
    CHECK(src.id > 0, "source has an id");

    struct store_asset a = {.kind = STORE_SHIP,
                            .ident = 369970634,
                            .confidence = 0.9,
                            .military = true,
                            .first_ms = T0,
                            .last_ms = T0 + 3600000};
    store_strlcpy(a.name, "USS GRAVELY", sizeof a.name);
    store_strlcpy(a.hull, "DDG-107", sizeof a.hull);
    store_strlcpy(a.category, "warship", sizeof a.category);
    store_strlcpy(a.role, "destroyer", sizeof a.role);
    store_strlcpy(a.country, "United States", sizeof a.country);
    store_strlcpy(a.reasons, "MMSI in US Navy list", sizeof a.reasons);
    CHECK_EQ_INT(store_asset_put(s, &a), ORBAT_OK, "asset_put");

    const char *line = "!AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0*5C";
    for (int i = 0; i < 120; i++) {
        struct store_raw raw = {
            .source_id = src.id, .offset = (uint64_t)i * 50, .data = line, .len = strlen(line)};
        CHECK(store_raw_put(s, &raw) == ORBAT_OK && raw.id > 0, "raw_put %d", i);
        // Two messages per minute: thinning keeps the first of each minute.
        struct store_obs o = make_obs(a.id, T0 + 1000 + (int64_t)i * 30000, 11.0 + i * 0.001, -67.0,
                                      i < 60 ? "caribbean" : "", raw.id, src.id);
        int rc = store_obs_put(s, &o, NULL);
        // The first run keeps the first message of each minute; a rerun keeps nothing.
        CHECK(rc == (i % 2 || rerun ? ORBAT_AGAIN : ORBAT_OK), "obs_put %d (%d)", i, rc);
    }
    struct store_event e = {.asset_id = a.id, .t_ms = T0 + 60000, .lat = 11.0, .lon = -67.0};
    store_strlcpy(e.type, "enter", sizeof e.type);
    store_strlcpy(e.theatre, "caribbean", sizeof e.theatre);
    CHECK_EQ_INT(store_event_put(s, &e), ORBAT_OK, "event_put");
    src.t_first_ms = T0;
    src.t_last_ms = T0 + 119 * 30000;
    src.messages = 120;
    src.complete = true;
    CHECK_EQ_INT(store_source_finish(s, &src), ORBAT_OK, "source_finish");
    CHECK_EQ_INT(store_commit(s), ORBAT_OK, "commit");
    *asset_out = a.id;
    *src_out = src.id;
}

static void test_store(void)
{
    snprintf(dir, sizeof dir, "/tmp/orbat_test_store_XXXXXX");
    if (!mkdtemp(dir)) {
        printf("not ok - mkdtemp\n");
        exit(1);
    }
    snprintf(path, sizeof path, "%s/t.db", dir);
    struct store *s = open_or_die();
    int64_t asset, src;
    write_batch(s, &asset, &src, false);

    struct store_counts c;
    CHECK_EQ_INT(store_counts(s, &c), ORBAT_OK, "counts");
    CHECK_EQ_INT(c.observations, 60, "120 messages over 60 minutes thin to 60 observations");
    CHECK_EQ_INT(c.raw, 120, "every raw message stored once");
    CHECK_EQ_INT(c.assets, 1, "one asset");
    CHECK_EQ_INT(c.events, 1, "one event");
    // What reports read for the simulated-data label: the sources only.
    uint64_t nsrc = 99, nsim = 99;
    CHECK_EQ_INT(store_source_counts(s, &nsrc, &nsim), ORBAT_OK, "source counts");
    CHECK_EQ_INT(nsrc, c.sources, "store_source_counts: the sources store_counts counts");
    CHECK_EQ_INT(nsim, c.simulated_sources, "and the simulated ones");

    // Re-running the whole batch is idempotent.
    int64_t asset2, src2;
    write_batch(s, &asset2, &src2, true);
    CHECK_EQ_INT(asset2, asset, "asset upsert keeps the id");
    CHECK_EQ_INT(src2, src, "same checksum, same source");
    struct store_counts c2;
    CHECK_EQ_INT(store_counts(s, &c2), ORBAT_OK, "counts again");
    CHECK(memcmp(&c, &c2, sizeof c) == 0, "second ingest of the same data adds no rows");

    // An earlier message inside a kept bucket replaces the kept one.
    CHECK_EQ_INT(store_begin(s), ORBAT_OK, "begin");
    struct store_obs early = make_obs(asset, T0 + 500, 12.0, -66.0, "caribbean", 0, src);
    CHECK_EQ_INT(store_obs_put(s, &early, NULL), ORBAT_OK, "out-of-order obs, earlier in minute 0");
    struct store_obs later = make_obs(asset, T0 + 60000 + 1005, 13.0, -66.0, "caribbean", 0, src);
    struct store_raw lraw = {.source_id = src, .offset = 999999, .data = "x", .len = 1};
    CHECK_EQ_INT(store_obs_put(s, &later, &lraw), ORBAT_AGAIN, "later obs in a kept minute");
    CHECK_EQ_INT(lraw.id, 0, "its raw message is not kept");
    struct store_obs bad = make_obs(asset, 0, 13.0, -66.0, "", 0, src);
    CHECK_EQ_INT(store_obs_put(s, &bad, NULL), ORBAT_E_INVAL,
                 "an observation without time is refused");
    CHECK_EQ_INT(store_commit(s), ORBAT_OK, "commit");
    CHECK_EQ_INT(store_counts(s, &c2), ORBAT_OK, "counts");
    CHECK_EQ_INT(c2.observations, 60, "same buckets, same count");
    CHECK_EQ_INT(c2.raw, c.raw, "no raw row left behind by the refused observation");

    // Presence: 60 observations in the caribbean during the first 30 min.
    int n = 0;
    CHECK_EQ_INT(store_presence(s, "caribbean", T0 - 7 * STORE_DAY_MS, T0 + STORE_DAY_MS, true,
                                count_cb, &n),
                 ORBAT_OK, "presence query");
    CHECK_EQ_INT(n, 1, "one asset present in the caribbean");
    struct store_presence p;
    memset(&p, 0, sizeof p);
    store_presence(s, "caribbean", T0 - 7 * STORE_DAY_MS, T0 + STORE_DAY_MS, true, first_presence,
                   &p);
    CHECK_EQ_INT(p.n_obs, 30, "30 thinned observations in theatre");
    CHECK_EQ_INT(p.first_ms, T0 + 500, "first seen in theatre (the replaced earliest)");
    CHECK_EQ_INT(p.last_ms, T0 + 1000 + 29 * 60000, "last seen in theatre");
    CHECK_NEAR(p.last_lat, 11.0 + 58 * 0.001, 1e-9, "last position in theatre");
    CHECK_EQ_STR(p.asset.role, "destroyer", "role round-trips");
    memset(&p, 0, sizeof p);
    store_presence(s, "caribbean", T0 - 7 * STORE_DAY_MS, T0 + 10 * 60000, true, first_presence,
                   &p);
    CHECK_EQ_INT(p.last_ms, T0 + 1000 + 9 * 60000, "as-of cuts the last position");
    memset(&p, 0, sizeof p);
    store_presence(s, "caribbean", T0 + 10 * 60000, T0 + 20 * 60000, true, first_presence, &p);
    CHECK_EQ_INT(p.first_ms, T0 + 1000 + 10 * 60000, "a window starting mid-day cuts first seen");
    CHECK_EQ_INT(p.last_ms, T0 + 1000 + 19 * 60000, "and last seen");
    n = 0;
    store_presence(s, "caribbean", T0 + 2 * STORE_DAY_MS, T0 + 9 * STORE_DAY_MS, true, count_cb,
                   &n);
    CHECK_EQ_INT(n, 0, "nobody present in a later window");
    n = 0;
    store_presence(s, NULL, T0 + 45 * 60000, T0 + STORE_DAY_MS, true, count_cb, &n);
    CHECK_EQ_INT(n, 1, "present anywhere after leaving the theatre");
    n = 0;
    store_presence(s, "caribbean", T0 + 45 * 60000, T0 + STORE_DAY_MS, true, count_cb, &n);
    CHECK_EQ_INT(n, 0, "not in the caribbean after leaving it (same day)");

    // Provenance: every observation joins its raw message and source.
    int on[2] = {0, 0};
    CHECK_EQ_INT(store_observations(s, asset, 0, INT64_MAX / 2, obs_count_cb, on), ORBAT_OK,
                 "observations query");
    CHECK_EQ_INT(on[0], 60, "observations of the asset");
    CHECK_EQ_INT(on[1], 59, "observations with raw bytes (one replaced by a raw-less one)");
    // All assets (asset_id 0): the same rows, also for a range inside the data.
    int oa[2] = {0, 0}, ow[2] = {0, 0}, ox[2] = {0, 0};
    CHECK_EQ_INT(store_observations(s, 0, INT64_MIN / 2, INT64_MAX / 2, obs_count_cb, oa), ORBAT_OK,
                 "observations of all assets");
    CHECK(oa[0] == 60 && oa[1] == 59, "all assets: the same rows (%d, %d)", oa[0], oa[1]);
    store_observations(s, 0, T0 + 10 * 60000, T0 + 20 * 60000 - 1, obs_count_cb, ow);
    store_observations(s, asset, T0 + 10 * 60000, T0 + 20 * 60000 - 1, obs_count_cb, ox);
    CHECK(ow[0] == 10 && ox[0] == 10, "ten minutes: ten observations (%d, %d)", ow[0], ox[0]);

    // Lookups.
    struct store_asset f;
    memset(&f, 0, sizeof f);
    CHECK_EQ_INT(store_asset_find(s, "ddg-107", find_cb, &f), 1, "find by hull");
    CHECK_EQ_INT(f.id, asset, "found the destroyer by hull");
    memset(&f, 0, sizeof f);
    store_asset_find(s, "369970634", find_cb, &f);
    CHECK_EQ_INT(f.id, asset, "found by MMSI");
    memset(&f, 0, sizeof f);
    CHECK_EQ_INT(store_asset_find(s, "nothing", find_cb, &f), ORBAT_OK, "no match is not an error");
    CHECK_EQ_INT(f.id, 0, "no match");
    CHECK_EQ_INT(store_asset_get(s, 9999, &f), ORBAT_E_NOTFOUND, "asset_get of a missing id");

    // Sightings: joining a known asset by hull, and a new sighted asset.
    struct store_sighting sg = {.t_ms = T0 + 3600000, .lat = 12.0, .lon = -65.0, .confidence = 0.5};
    store_strlcpy(sg.name, "DDG-107", sizeof sg.name);
    store_strlcpy(sg.source_url, "https://example.org/a", sizeof sg.source_url);
    store_strlcpy(sg.theatre, "caribbean", sizeof sg.theatre);
    CHECK_EQ_INT(store_sighting_put(s, &sg), ORBAT_OK, "sighting of a known asset");
    CHECK_EQ_INT(sg.asset_id, asset, "sighting joined the asset by hull");
    struct store_sighting sg2 = sg;
    store_strlcpy(sg2.name, "USS Gerald R. Ford", sizeof sg2.name);
    store_strlcpy(sg2.category, "warship", sizeof sg2.category);
    store_strlcpy(sg2.role, "aircraft carrier", sizeof sg2.role);
    CHECK_EQ_INT(store_sighting_put(s, &sg2), ORBAT_OK, "sighting of an unknown asset");
    CHECK(sg2.asset_id > 0 && sg2.asset_id != asset, "a sighted asset was created");
    int64_t id2 = sg2.id;
    CHECK_EQ_INT(store_sighting_put(s, &sg2), ORBAT_OK, "same sighting again");
    CHECK_EQ_INT(sg2.id, id2, "sighting is idempotent");
    struct store_sighting bad_sg = sg;
    bad_sg.source_url[0] = '\0';
    CHECK_EQ_INT(store_sighting_put(s, &bad_sg), ORBAT_E_INVAL, "a sighting needs a source");
    struct store_sighting got;
    memset(&got, 0, sizeof got);
    store_sightings(s, "caribbean", T0, T0 + STORE_DAY_MS, sight_cb, &got);
    CHECK_EQ_STR(got.name, "USS Gerald R. Ford", "sightings query");
    CHECK_NEAR(got.confidence, 0.5, 1e-9, "sighting keeps its own confidence");

    int ev[2] = {0, 0};
    store_events(s, "", 0, INT64_MAX / 2, event_cb, ev);
    CHECK(ev[0] == 1 && ev[1] == 1, "events join their asset (%d, %d)", ev[0], ev[1]);
    ev[0] = ev[1] = 0;
    store_events(s, "leave", 0, INT64_MAX / 2, event_cb, ev);
    CHECK_EQ_INT(ev[0], 0, "event type filter");

    uint64_t days[2] = {0, 0};
    store_timeline(s, "caribbean", T0 - STORE_DAY_MS, T0 + STORE_DAY_MS, true, day_cb, days);
    CHECK(days[0] == 1 && days[1] == 1, "timeline: one day, one asset");

    CHECK_EQ_INT(store_integrity_check(s), ORBAT_OK, "integrity_check");
    store_close(s);

    // Reopen: migrations do not run twice, data is there.
    s = open_or_die();
    CHECK_EQ_INT(store_counts(s, &c2), ORBAT_OK, "counts after reopen");
    CHECK_EQ_INT(c2.observations, 60, "data survives reopen");
    CHECK_EQ_INT(c2.sightings, 2, "sightings survive reopen");
    // A simulated source is counted by store_source_counts as by store_counts.
    struct store_source sim = {.bytes = 1};
    store_strlcpy(sim.name, "sim.nmea", sizeof sim.name);
    store_strlcpy(sim.sha256, "5151515151", sizeof sim.sha256);
    CHECK_EQ_INT(store_begin(s), ORBAT_OK, "begin");
    CHECK_EQ_INT(store_source_begin(s, &sim), ORBAT_OK, "simulated source");
    sim.complete = sim.simulated = true;
    CHECK_EQ_INT(store_source_finish(s, &sim), ORBAT_OK, "simulated source finished");
    CHECK_EQ_INT(store_commit(s), ORBAT_OK, "commit");
    uint64_t n1 = 0, n2 = 0;
    CHECK_EQ_INT(store_counts(s, &c2), ORBAT_OK, "counts");
    CHECK_EQ_INT(store_source_counts(s, &n1, &n2), ORBAT_OK, "source counts");
    CHECK(n1 == c2.sources && n1 == c.sources + 1, "sources: %llu", (unsigned long long)n1);
    CHECK(n2 == c2.simulated_sources && n2 == 1, "simulated sources: %llu", (unsigned long long)n2);
    store_close(s);

    // A database from a newer orbat is refused, not damaged. user_version is
    // the big-endian 32-bit integer at offset 60 of the SQLite header.
    FILE *fp = fopen(path, "r+b");
    CHECK(fp != NULL, "open db file");
    if (fp) {
        unsigned char v[4] = {0, 0, 0, 99};
        fseek(fp, 60, SEEK_SET);
        fwrite(v, 1, 4, fp);
        fclose(fp);
    }
    char err[256] = "";
    struct store *s2 = store_open(path, err, sizeof err);
    CHECK(s2 == NULL, "newer schema refused");
    CHECK(strstr(err, "newer") != NULL, "message says why: %s", err);
    store_close(s2);
    CHECK_EQ_INT(store_sqlite_schema_version(), 6, "schema version");

    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK_EQ_INT(system(cmd), 0, "cleanup");
}

struct raw_seen {
    uint64_t offset;
    size_t len;
    char data[64];
    char source[64];
};

static int raw_cb(void *ctx, const struct store_raw *raw, const char *source)
{
    struct raw_seen *r = ctx;
    r->offset = raw->offset;
    r->len = raw->len;
    memcpy(r->data, raw->data, raw->len < sizeof r->data ? raw->len : sizeof r->data);
    store_strlcpy(r->source, source ? source : "", sizeof r->source);
    return ORBAT_OK;
}

static int src_cb(void *ctx, const struct store_source *src)
{
    *(struct store_source *)ctx = *src;
    return 0;
}

/* Presence where the day overlaps the window but no observation falls in
 * it (issue 20), and each bound of the window at equality: every path of
 * the presence query (the day inside the window, straddling its start or
 * end, the theatre and '*'). */
static void test_presence_paths(void)
{
    char d2[64], p2[128], err[256];
    snprintf(d2, sizeof d2, "/tmp/orbat_test_store_XXXXXX");
    if (!mkdtemp(d2)) {
        printf("not ok - mkdtemp\n");
        return;
    }
    snprintf(p2, sizeof p2, "%s/p.db", d2);
    struct store *s = store_open(p2, err, sizeof err);
    CHECK(s != NULL, "open %s", err);
    if (!s)
        return;
    int64_t e0, e1;
    CHECK_EQ_INT(store_time_range(s, &e0, &e1), ORBAT_E_NOTFOUND, "time range of an empty store");
    struct store_source src = {.bytes = 1};
    store_strlcpy(src.name, "gap.nmea", sizeof src.name);
    store_strlcpy(src.sha256, "0a0b", sizeof src.sha256);
    store_begin(s);
    store_source_begin(s, &src);
    struct store_asset a = {.kind = STORE_SHIP, .ident = 244123456, .military = true};
    store_strlcpy(a.name, "GAP", sizeof a.name);
    store_asset_put(s, &a);
    const int64_t H = 3600000;
    // In the theatre at 01:00 and 05:00 (plus 00:30 elsewhere), nothing between.
    struct store_obs o1 = make_obs(a.id, T0 + H, 11.0, -67.0, "caribbean", 0, src.id);
    struct store_obs o2 = make_obs(a.id, T0 + 5 * H, 12.0, -66.0, "caribbean", 0, src.id);
    struct store_obs o0 = make_obs(a.id, T0 + H / 2, 20.0, -60.0, "", 0, src.id);
    CHECK(store_obs_put(s, &o1, NULL) == ORBAT_OK && store_obs_put(s, &o2, NULL) == ORBAT_OK &&
              store_obs_put(s, &o0, NULL) == ORBAT_OK,
          "three observations");
    src.complete = true;
    store_source_finish(s, &src);
    store_commit(s);
    static const struct {
        const char *theatre;
        int64_t from, to;
        int n;
        int64_t first, last;
        const char *what;
    } q[] = {
        {"caribbean", T0 + 2 * H, T0 + 4 * H, 0, 0, 0,
         "window between two fixes of the day: absent"},
        {"caribbean", T0 + H + 1, T0 + 5 * H - 1, 0, 0, 0, "window 1 ms inside both fixes: absent"},
        {"caribbean", T0 + H, T0 + 5 * H, 1, T0 + H, T0 + 5 * H, "window exactly the two fixes"},
        {"caribbean", T0 + 2 * H, T0 + 5 * H, 1, T0 + 5 * H, T0 + 5 * H, "window ending at fix 2"},
        {"caribbean", T0 + H, T0 + 4 * H, 1, T0 + H, T0 + H, "window starting at fix 1"},
        {"caribbean", T0 - STORE_DAY_MS, T0 + STORE_DAY_MS, 1, T0 + H, T0 + 5 * H,
         "the whole day inside the window"},
        {"caribbean", T0 - STORE_DAY_MS, T0 + H, 1, T0 + H, T0 + H,
         "window ending exactly at the day's first fix"},
        {"caribbean", T0 + 5 * H, T0 + 7 * H, 1, T0 + 5 * H, T0 + 5 * H,
         "window starting exactly at the day's last fix"},
        {"caribbean", T0 + 5 * H + 1, T0 + 7 * H, 0, 0, 0, "window starting 1 ms after it"},
        {"caribbean", T0 - STORE_DAY_MS, T0 + H - 1, 0, 0, 0,
         "window ending 1 ms before the first"},
        {NULL, T0 + 2 * H, T0 + 4 * H, 0, 0, 0, "anywhere, between fixes: absent"},
        {NULL, T0, T0 + 2 * H, 1, T0 + H / 2, T0 + H, "anywhere, 00:00-02:00"},
        {NULL, T0 + H / 2 + 1, T0 + H - 1, 0, 0, 0, "anywhere, strictly between 00:30 and 01:00"},
    };
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        struct store_presence p;
        int n = 0;
        memset(&p, 0, sizeof p);
        store_presence(s, q[i].theatre, q[i].from, q[i].to, false, count_cb, &n);
        store_presence(s, q[i].theatre, q[i].from, q[i].to, false, first_presence, &p);
        CHECK(n == q[i].n && (!n || (p.first_ms == q[i].first && p.last_ms == q[i].last)),
              "presence: %s (n %d, first %+lld, last %+lld)", q[i].what, n,
              (long long)(p.first_ms - T0), (long long)(p.last_ms - T0));
    }
    // time_range: the ends of observations (and sightings), NOTFOUND when empty.
    int64_t f = 0, l = 0;
    CHECK(store_time_range(s, &f, &l) == ORBAT_OK && f == T0 + H / 2 && l == T0 + 5 * H,
          "time range %+lld..%+lld", (long long)(f - T0), (long long)(l - T0));
    // raw_get: the bytes, offset and source name of a stored raw message; NOTFOUND otherwise.
    store_begin(s);
    struct store_raw rw = {.source_id = src.id, .offset = 4242, .data = "!AIVDM,x", .len = 8};
    CHECK_EQ_INT(store_raw_put(s, &rw), ORBAT_OK, "raw_put");
    store_commit(s);
    struct raw_seen rs = {0};
    CHECK(store_raw_get(s, rw.id, raw_cb, &rs) == ORBAT_OK && rs.offset == 4242 && rs.len == 8 &&
              !memcmp(rs.data, "!AIVDM,x", 8) && !strcmp(rs.source, "gap.nmea"),
          "raw_get returns bytes, offset and source (%s)", rs.source);
    CHECK_EQ_INT(store_raw_get(s, rw.id + 1000, raw_cb, &rs), ORBAT_E_NOTFOUND,
                 "raw_get of a missing id");
    // sources: every field round-trips.
    struct store_source got = {0};
    CHECK(store_sources(s, src_cb, &got) == ORBAT_OK && got.id == src.id &&
              !strcmp(got.name, "gap.nmea") && !strcmp(got.sha256, "0a0b") && got.complete &&
              !got.simulated && got.bytes == 1,
          "sources lists the source with its fields");
    // observations: both ends of the range are inclusive, for one asset and for all.
    int on1[2] = {0, 0}, on0[2] = {0, 0}, on2[2] = {0, 0};
    store_observations(s, a.id, T0 + H, T0 + 5 * H, obs_count_cb, on1);
    store_observations(s, 0, T0 + H, T0 + 5 * H, obs_count_cb, on0);
    store_observations(s, a.id, T0 + H + 1, T0 + 5 * H - 1, obs_count_cb, on2);
    CHECK(on1[0] == 2 && on0[0] == 2 && on2[0] == 0,
          "observations [01:00, 05:00] inclusive: %d (one asset), %d (all); open range %d", on1[0],
          on0[0], on2[0]);
    // military_only: a civil asset is left out of a military query only.
    store_begin(s);
    struct store_asset c = {.kind = STORE_SHIP, .ident = 244999999, .military = false};
    store_strlcpy(c.name, "CIVIL", sizeof c.name);
    store_asset_put(s, &c);
    struct store_obs oc = make_obs(c.id, T0 + 3 * H, 13.0, -66.0, "caribbean", 0, src.id);
    CHECK_EQ_INT(store_obs_put(s, &oc, NULL), ORBAT_OK, "civil observation");
    store_commit(s);
    int nall = 0, nmil = 0;
    store_presence(s, "caribbean", T0, T0 + 6 * H, false, count_cb, &nall);
    store_presence(s, "caribbean", T0, T0 + 6 * H, true, count_cb, &nmil);
    CHECK(nall == 2 && nmil == 1, "presence: all assets %d (2), military only %d (1)", nall, nmil);
    store_close(s);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", d2);
    CHECK_EQ_INT(system(cmd), 0, "cleanup");
}

static int claim_cb(void *ctx, const struct store_claim *c)
{
    struct store_claim *out = ctx;
    *out = *c;
    out[1].id++; // the count
    return 0;
}

/* The claims ledger (migration 6): put, put again, list all and one. */
static void test_claims(void)
{
    char d[64], p[96], err[256] = "";
    snprintf(d, sizeof d, "/tmp/orbat_test_claims_XXXXXX");
    if (!mkdtemp(d)) {
        printf("not ok - mkdtemp\n");
        return;
    }
    snprintf(p, sizeof p, "%s/c.db", d);
    struct store *s = store_open(p, err, sizeof err);
    CHECK(s != NULL, "open a new store for claims: %s", err);
    if (!s)
        return;
    struct store_claim c = {.from_ms = 1761177600000LL, .to_ms = 1761264000000LL};
    snprintf(c.kind, sizeof c.kind, "distance");
    snprintf(c.spec, sizeof c.spec, "kind=distance; asset=BARB21; claim=within 6 nm");
    snprintf(c.text, sizeof c.text, "within 6 nmi of Venezuela");
    snprintf(c.source_url, sizeof c.source_url, "https://example.org/a");
    snprintf(c.claimant, sizeof c.claimant, "WSJ");
    CHECK_EQ_INT(store_claim_put(s, &c), ORBAT_OK, "claim stored");
    int64_t id = c.id;
    CHECK(id > 0, "claim id set (%lld)", (long long)id);
    c.id = 0;
    CHECK_EQ_INT(store_claim_put(s, &c), ORBAT_AGAIN, "the same claim again: not added");
    CHECK_EQ_INT(c.id, id, "the same claim again: its id");
    struct store_claim c2 = c;
    snprintf(c2.source_url, sizeof c2.source_url, "https://example.org/b");
    CHECK_EQ_INT(store_claim_put(s, &c2), ORBAT_OK, "another source: another claim");
    struct store_claim bad = c;
    bad.to_ms = bad.from_ms;
    CHECK_EQ_INT(store_claim_put(s, &bad), ORBAT_E_INVAL, "an empty window is refused");
    struct store_claim got[2];
    memset(got, 0, sizeof got);
    CHECK_EQ_INT(store_claims(s, 0, claim_cb, got), ORBAT_OK, "list claims");
    CHECK_EQ_INT(got[1].id, 2, "two claims");
    memset(got, 0, sizeof got);
    CHECK_EQ_INT(store_claims(s, id, claim_cb, got), ORBAT_OK, "claim by id");
    CHECK(got[1].id == 1 && !strcmp(got[0].claimant, "WSJ") && got[0].from_ms == c.from_ms &&
              !strcmp(got[0].spec, c.spec),
          "claim %lld read back: %s", (long long)id, got[0].spec);
    store_close(s);
    unlink(p);
    rmdir(d);
}

int main(void)
{
    test_claims();
    test_sha256();
    test_sha256_paths();
    test_store();
    test_presence_paths();
    return check_exit();
}
