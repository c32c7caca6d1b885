/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_pipeline.c - file/stream -> observations: unit conversion, time from
 * tag blocks and Beast timestamps, chunking independence, real captures.
 */
#include "check.h"

#include <stdlib.h>

#include "core/pipeline.h"
#include "orbat/orbat.h"

struct collect {
    unsigned n;
    uint64_t hash; /* order-sensitive digest of everything emitted */
    struct obs first, last;
    bool seen_first;
    uint32_t ids[4096];
    unsigned nids;
    unsigned with_pos, with_cpr, with_name, reltime;
};

static void mix(uint64_t *h, const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++)
        *h = (*h ^ c[i]) * 1099511628211ull;
}

static void on_obs(void *ctx, const struct obs *o)
{
    struct collect *c = ctx;
    if (!c->seen_first) {
        c->first = *o;
        c->seen_first = true;
    }
    c->last = *o;
    c->n++;
    mix(&c->hash, &o->id, sizeof o->id);
    mix(&c->hash, &o->t_ms, sizeof o->t_ms);
    mix(&c->hash, &o->has, sizeof o->has);
    mix(&c->hash, &o->flags, sizeof o->flags);
    mix(&c->hash, &o->source_offset, sizeof o->source_offset);
    if (o->has & OBS_HAS_POS) {
        mix(&c->hash, &o->lat, sizeof o->lat);
        mix(&c->hash, &o->lon, sizeof o->lon);
        c->with_pos++;
    }
    if (o->has & OBS_HAS_CPR)
        c->with_cpr++;
    if (o->has & OBS_HAS_NAME) {
        mix(&c->hash, o->name, strlen(o->name));
        c->with_name++;
    }
    if (o->flags & OBS_F_RELTIME)
        c->reltime++;
    mix(&c->hash, o->raw, o->raw_len);
    for (unsigned i = 0; i < c->nids; i++)
        if (c->ids[i] == o->id)
            return;
    if (c->nids < 4096)
        c->ids[c->nids++] = o->id;
}

static void feed_str(struct pipeline *p, const char *s)
{
    pipeline_feed(p, (const uint8_t *)s, strlen(s), "test");
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)sz + 1);
    if (b && fread(b, 1, (size_t)sz, f) != (size_t)sz) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *n = (size_t)sz;
    return b;
}

/* Feed a file in chunks of `chunk` bytes; return the collected digest. */
static struct collect run_chunked(const char *data, size_t n, size_t chunk)
{
    struct collect c;
    memset(&c, 0, sizeof c);
    c.hash = 1469598103934665603ull;
    struct pipeline_opts po = {0};
    struct pipeline *p = pipeline_new(&po, on_obs, &c);
    for (size_t off = 0; off < n; off += chunk)
        pipeline_feed(p, (const uint8_t *)data + off, n - off < chunk ? n - off : chunk, "f");
    pipeline_end_source(p);
    pipeline_free(p);
    return c;
}

static void test_ais_units(void)
{
    struct collect c;
    memset(&c, 0, sizeof c);
    struct pipeline *p = pipeline_new(NULL, on_obs, &c);
    // gpsd sample.aivdm type 1: MMSI 371798000, 12.3 kn, course 224.0, heading 215,
    // lon -74037230/600000, lat 29028980/600000; tag block time 1565218798 s.
    feed_str(p, "\\c:1565218798*53\\!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\n");
    CHECK_EQ_INT(c.n, 1, "one observation from one type 1 sentence");
    CHECK_EQ_INT(c.first.kind, OBS_SHIP, "ship");
    CHECK_EQ_INT(c.first.id, 371798000, "mmsi");
    CHECK_EQ_INT(c.first.t_ms, 1565218798000LL, "time from the tag block, in ms");
    CHECK(!(c.first.flags & OBS_F_RELTIME), "absolute time");
    CHECK_NEAR(c.first.lat, 29028980 / 600000.0, 1e-9, "lat degrees");
    CHECK_NEAR(c.first.lon, -74037230 / 600000.0, 1e-9, "lon degrees");
    CHECK_NEAR(c.first.sog_kn, 12.3, 1e-9, "sog knots");
    CHECK_NEAR(c.first.cog_deg, 224.0, 1e-9, "cog degrees");
    CHECK_NEAR(c.first.hdg_deg, 215, 1e-9, "heading");
    CHECK(c.first.raw && strstr(c.first.raw, "15RTgt0PAso;90TKcjM8h6g208CQ") != NULL,
          "raw sentence kept for provenance");
    CHECK_EQ_STR(c.first.source, "test", "source name");
    CHECK_EQ_INT(c.first.source_offset, 1, "line number");

    // Type 5 in two fragments (gpsd sample.aivdm, EVER DIADEM).
    feed_str(p, "!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C\n"
                "!AIVDM,2,2,1,A,88888888880,2*25\n");
    CHECK_EQ_INT(c.n, 2, "type 5 gives one observation after both fragments");
    CHECK_EQ_STR(c.last.name, "EVER DIADEM", "ship name");
    CHECK_EQ_STR(c.last.callsign, "3FOF8", "call sign");
    CHECK_EQ_INT(c.last.ship_type, 70, "ship type");
    CHECK_EQ_INT(c.last.imo, 9134270, "IMO");
    CHECK_EQ_INT(c.last.length_m, 295, "length from dimensions");
    CHECK_EQ_INT(c.last.t_ms, 1565218798000LL, "time carried forward from the last tag block");
    CHECK_EQ_INT(c.last.source_offset, 3, "line number of the last fragment");

    feed_str(p, "garbage line\n!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4B\n");
    const struct pipeline_stats *st = pipeline_get_stats(p);
    CHECK_EQ_INT(c.n, 2, "garbage and a bad checksum produce nothing");
    CHECK_EQ_INT(st->rejected, 1, "bad checksum counted as rejected");
    CHECK_EQ_INT(st->by_reason[-ORBAT_E_CHECKSUM], 1, "... under its reason");
    CHECK_EQ_INT(st->other_lines, 1, "non-AIS line counted");
    pipeline_free(p);
}

static void test_chunking(const char *path, const char *what)
{
    size_t n;
    char *data = slurp(path, &n);
    if (!data) {
        CHECK(0, "cannot read %s", path);
        return;
    }
    struct collect whole = run_chunked(data, n, n);
    struct collect c1 = run_chunked(data, n, 1);
    struct collect c7 = run_chunked(data, n, 7);
    struct collect c4k = run_chunked(data, n, 4093);
    CHECK(whole.n > 0, "%s: observations emitted (%u)", what, whole.n);
    CHECK(whole.hash == c1.hash && whole.n == c1.n, "%s: 1-byte chunks give the same result", what);
    CHECK(whole.hash == c7.hash && whole.n == c7.n, "%s: 7-byte chunks give the same result", what);
    CHECK(whole.hash == c4k.hash, "%s: 4093-byte chunks give the same result", what);
    free(data);
}

static void test_beast_capture(const char *shared)
{
    char path[1024];
    snprintf(path, sizeof path,
             "%s/testdata/adsb/captures/beastblackbox_ulss7/"
             "ulss7-beast-bin-utc--1522782148.136310917--.log",
             shared);
    struct collect c;
    memset(&c, 0, sizeof c);
    struct pipeline_opts po = {.start_ms = 1522782148136LL};
    struct pipeline *p = pipeline_new(&po, on_obs, &c);
    CHECK_EQ_INT(pipeline_run_file(p, path), 0, "Beast capture read");
    // ICAOs.txt of the capture lists 11 aircraft.
    static const uint32_t want[] = {0x424263, 0x400159, 0x504DD9, 0x4242E5, 0x42460C, 0x4249B5,
                                    0x780C5D, 0x4CAAAE, 0x780A5C, 0x71BE34, 0x4248E7};
    unsigned found = 0;
    for (unsigned i = 0; i < 11; i++)
        for (unsigned k = 0; k < c.nids; k++)
            if (c.ids[k] == want[i])
                found++;
    CHECK_EQ_INT(found, 11, "all 11 aircraft of ICAOs.txt observed");
    CHECK_EQ_INT(c.nids, 11, "no other (unverified) addresses observed");
    CHECK(c.with_cpr > 1000, "airborne CPR frames passed on (%u)", c.with_cpr);
    CHECK(c.first.t_ms >= 1522782148136LL && c.last.t_ms <= 1522782148136LL + 62000,
          "times from 12 MHz stamps within the 61 s recording (%lld..%lld)",
          (long long)c.first.t_ms, (long long)c.last.t_ms);
    CHECK_EQ_INT(c.reltime, 0, "start time given: all times absolute");
    const struct pipeline_stats *st = pipeline_get_stats(p);
    CHECK_EQ_INT(st->modeac, 5026, "Mode A/C replies counted, not decoded");
    pipeline_free(p);
}

static void test_comment_header(void)
{
    // A '#' header line must not decide the framing, and a SIMULATION header
    // marks every observation of the source.
    struct collect c;
    memset(&c, 0, sizeof c);
    struct pipeline *p = pipeline_new(NULL, on_obs, &c);
    const char *sbs = "# SIMULATION - test header\n"
                      "MSG,3,1,1,AB23FE,1,2025/08/14,00:43:14.676,2025/08/14,00:43:14.676,,4634,,,"
                      "10.75516,-61.32404,,,0,0,0,0\n";
    for (const char *q = sbs; *q; q++) // byte by byte, like a slow feed
        pipeline_feed(p, (const uint8_t *)q, 1, "sim.sbs");
    CHECK_EQ_INT(c.n, 1, "SBS after a comment header is detected as SBS");
    CHECK_EQ_INT(c.first.id, 0xAB23FE, "icao");
    CHECK(c.first.has & OBS_HAS_POS, "SBS position");
    CHECK_NEAR(c.first.lat, 10.75516, 1e-9, "SBS lat");
    CHECK_EQ_INT(c.first.t_ms, 1755132194676LL, "SBS time");
    CHECK(c.first.flags & OBS_F_SIMULATED, "SIMULATION header marks the observations");
    CHECK_EQ_INT(c.first.source_offset, 2, "line numbers count the comment");
    pipeline_end_source(p);
    feed_str(p, "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\n");
    CHECK(!(c.last.flags & OBS_F_SIMULATED), "the mark does not leak into the next source");
    feed_str(p,
             "\\s:SIMULATION,c:1755129602*27\\!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\n");
    CHECK(c.last.flags & OBS_F_SIMULATED, "s:SIMULATION tag block marks the source");
    pipeline_free(p);
}

int main(void)
{
    const char *shared = getenv("SHARED");
    if (!shared)
        shared = "../shared";
    char path[1024];
    test_ais_units();
    test_comment_header();
    snprintf(path, sizeof path, "%s/testdata/ais/gpsd/sample.aivdm", shared);
    test_chunking(path, "gpsd sample.aivdm");
    snprintf(path, sizeof path, "%s/testdata/ais/kystverket/Ais1000Lines.nm4", shared);
    test_chunking(path, "kystverket tag-blocked log");
    snprintf(path, sizeof path,
             "%s/testdata/adsb/captures/beastblackbox_ulss7/beast_extract_71be34.log", shared);
    test_chunking(path, "Beast extract");
    snprintf(path, sizeof path, "%s/testdata/adsb/captures/ulss7_via_dump1090-mutability/ulss7.sbs",
             shared);
    test_chunking(path, "SBS capture");
    test_beast_capture(shared);
    return check_exit();
}
