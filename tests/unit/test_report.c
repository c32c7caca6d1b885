/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_report.c - reports from a constructed store: time parsing, count
 * phrases, escaping, the order of battle (window, grouping, counts line,
 * sightings), diff, timeline, evidence, events and exports.
 */
#include "check.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "report/report.h"
#include "report/rtime.h"
#include "store/store.h"

#define DAY STORE_DAY_MS
#define T0  1761177600000LL /* 2025-10-23T00:00:00Z */

static void test_rtime(void)
{
    int64_t ms = 0;
    CHECK(rtime_parse("2025-10-23", &ms) == 0 && ms == T0, "date only (%lld)", (long long)ms);
    CHECK(rtime_parse("2025-10-23T00:00Z", &ms) == 0 && ms == T0, "issue's as-of form");
    CHECK(rtime_parse("2025-10-23T12:34:56.789Z", &ms) == 0 &&
              ms == T0 + ((12 * 60 + 34) * 60 + 56) * 1000LL + 789,
          "seconds and milliseconds");
    CHECK(rtime_parse("2025-10-23 01:00+00:00", &ms) == 0 && ms == T0 + 3600000,
          "space separator and +00:00");
    CHECK(rtime_parse("@1761177600", &ms) == 0 && ms == T0, "@unix seconds");
    CHECK(rtime_parse("1970-01-01T00:00:00Z", &ms) == 0 && ms == 0, "epoch");
    CHECK(rtime_parse("2024-02-29", &ms) == 0, "leap day");
    CHECK(rtime_parse("2025-02-29", &ms) != 0, "not a leap year");
    CHECK(rtime_parse("2025-13-01", &ms) != 0, "month 13");
    // Every day from 1899 to 2101 against timegm, and the ends of each range.
    int bad = 0;
    for (int64_t day = rtime_days_from_civil(1899, 12, 31);
         day <= rtime_days_from_civil(2101, 1, 1); day++) {
        time_t tt = (time_t)(day * 86400);
        struct tm tm;
        gmtime_r(&tt, &tm);
        char want[48], got[32];
        snprintf(want, sizeof want, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
        rtime_format_day(day * DAY, got, sizeof got);
        if (rtime_days_from_civil(tm.tm_year + 1900, (unsigned)tm.tm_mon + 1,
                                  (unsigned)tm.tm_mday) != day ||
            strcmp(got, want) != 0 ||
            // parse: the documented range starts at 1970-01-01 (issue 17 F1)
            (day >= 0 ? rtime_parse(want, &ms) != 0 || ms != day * DAY
                      : rtime_parse(want, &ms) == 0))
            if (bad++ < 5)
                printf("# day %lld: %s, formatted %s\n", (long long)day, want, got);
    }
    CHECK(bad == 0, "every day 1899-12-31..2101-01-01 = timegm (days, format; parse from 1970, "
                    "refused before)");
    static const struct {
        const char *s;
        bool ok;
    } edge[] = {{"2000-02-29", true},           {"2100-02-29", false},
                {"1900-02-29", false},          {"2025-01-31", true},
                {"2025-01-32", false},          {"2025-04-30", true},
                {"2025-04-31", false},          {"2025-12-31", true},
                {"2025-00-10", false},          {"2025-10-00", false},
                {"2025-10-01T23:59:59Z", true}, {"2025-10-01T23:60Z", false},
                {"2025-10-01T00:00:60Z", true}, {"2025-10-01T00:00:61Z", false}};
    for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++)
        CHECK((rtime_parse(edge[i].s, &ms) == 0) == edge[i].ok, "%s %s", edge[i].s,
              edge[i].ok ? "accepted" : "refused");
    CHECK(rtime_parse("2025-10-23T24:00Z", &ms) != 0, "hour 24");
    CHECK(rtime_parse("2025-10-23T00:00+02:00", &ms) != 0, "only UTC offsets");
    CHECK(rtime_parse("yesterday", &ms) != 0, "garbage");
    CHECK(rtime_parse("", &ms) != 0, "empty");
    char buf[32];
    rtime_format(T0 + 3723000, buf, sizeof buf);
    CHECK_EQ_STR(buf, "2025-10-23T01:02:03Z", "format");
    rtime_format(-1000, buf, sizeof buf);
    CHECK_EQ_STR(buf, "1969-12-31T23:59:59Z", "format before 1970");
    rtime_format_day(T0 + DAY - 1, buf, sizeof buf);
    CHECK_EQ_STR(buf, "2025-10-23", "format day");
    CHECK(rtime_parse_duration("7d", &ms) == 0 && ms == 7 * DAY, "7d");
    CHECK(rtime_parse_duration("36h", &ms) == 0 && ms == 36 * 3600000LL, "36h");
    CHECK(rtime_parse_duration("2w", &ms) == 0 && ms == 14 * DAY, "2w");
    CHECK(rtime_parse_duration("3", &ms) == 0 && ms == 3 * DAY, "bare number is days");
    CHECK(rtime_parse_duration("0d", &ms) != 0, "zero duration refused");
    CHECK(rtime_parse_duration("5y", &ms) != 0, "unknown unit");
    CHECK(rtime_parse_duration("-1d", &ms) != 0, "negative refused");
}

static void test_phrases(void)
{
    char b[64];
    report_count_phrase(3, "destroyer", b, sizeof b);
    CHECK_EQ_STR(b, "3 destroyers", "plural s");
    report_count_phrase(1, "cruiser", b, sizeof b);
    CHECK_EQ_STR(b, "1 cruiser", "singular");
    report_count_phrase(2, "military aircraft", b, sizeof b);
    CHECK_EQ_STR(b, "2 military aircraft", "aircraft is invariant");
    report_count_phrase(2, "dock landing ship", b, sizeof b);
    CHECK_EQ_STR(b, "2 dock landing ships", "last word plural");
    report_count_phrase(4, "amphibious assault", b, sizeof b);
    CHECK_EQ_STR(b, "4 amphibious assaults", "amphibious assault");
    report_count_phrase(2, "auxiliary", b, sizeof b);
    CHECK_EQ_STR(b, "2 auxiliaries", "y -> ies");
    report_count_phrase(2, "patrol boat", b, sizeof b);
    CHECK_EQ_STR(b, "2 patrol boats", "patrol boats");
    report_count_phrase(2, "ISR/maritime patrol", b, sizeof b);
    CHECK_EQ_STR(b, "2 ISR/maritime patrols", "slash phrase");
    report_count_phrase(5, "", b, sizeof b);
    CHECK_EQ_STR(b, "5 unclassified", "no role");
    report_count_phrase(5, "unclassified", b, sizeof b);
    CHECK_EQ_STR(b, "5 unclassified", "unclassified is invariant");
    report_category_noun("civil", b, sizeof b);
    CHECK_EQ_STR(b, "civil asset", "adjective category gets a noun");
    report_category_noun("warship", b, sizeof b);
    CHECK_EQ_STR(b, "warship", "noun category kept");
    report_category_noun("", b, sizeof b);
    CHECK_EQ_STR(b, "unclassified asset", "empty category");
    CHECK_EQ_INT(report_format_parse("md"), RFMT_MARKDOWN, "md alias");
    CHECK_EQ_INT(report_format_parse("xml"), -1, "unknown format");
}

/* Capture a writer's output in memory. */
struct mem {
    char *buf;
    size_t len;
    FILE *f;
};

static void mem_open(struct mem *m)
{
    m->buf = NULL;
    m->len = 0;
    m->f = open_memstream(&m->buf, &m->len);
}

static char *mem_close(struct mem *m)
{
    fclose(m->f);
    return m->buf;
}

static void test_escapes(void)
{
    struct mem m;
    mem_open(&m);
    report_json_str(m.f, "a\"b\\c\n\x01");
    fputc(' ', m.f);
    report_csv_str(m.f, "x,\"y\"");
    fputc(' ', m.f);
    report_csv_str(m.f, "plain");
    fputc(' ', m.f);
    report_xml_str(m.f, "<a&'b'>\x02");
    fputc(' ', m.f);
    report_md_str(m.f, "a|b");
    char *s = mem_close(&m);
    CHECK_EQ_STR(
        s, "\"a\\\"b\\\\c\\n\\u0001\" \"x,\"\"y\"\"\" plain &lt;a&amp;&apos;b&apos;&gt;  a\\|b",
        "json, csv, xml, markdown escaping");
    free(s);
}

static int64_t add_asset(struct store *s, int kind, uint32_t ident, const char *name,
                         const char *hull, const char *cat, const char *role, bool mil)
{
    struct store_asset a = {.kind = kind, .ident = ident, .confidence = 0.9, .military = mil};
    store_strlcpy(a.name, name, sizeof a.name);
    store_strlcpy(a.hull, hull, sizeof a.hull);
    store_strlcpy(a.category, cat, sizeof a.category);
    store_strlcpy(a.role, role, sizeof a.role);
    store_strlcpy(a.country, "United States", sizeof a.country);
    store_strlcpy(a.reasons, "test fixture", sizeof a.reasons);
    if (store_asset_put(s, &a) != ORBAT_OK)
        printf("not ok - asset_put %s: %s\n", name, store_errmsg(s));
    return a.id;
}

/* One observation per hour from day d0 to d1 (relative to T0) in theatre. */
static void add_track(struct store *s, int64_t asset, int64_t src, int d0, int d1,
                      const char *theatre, double lat)
{
    for (int64_t t = T0 + d0 * DAY; t <= T0 + d1 * DAY; t += 3600000) {
        char raw[64];
        snprintf(raw, sizeof raw, "!AIVDM,1,1,,A,asset%lld,0*00", (long long)asset);
        struct store_raw r = {
            .source_id = src, .offset = (uint64_t)(t / 1000), .data = raw, .len = strlen(raw)};
        struct store_obs o = {.asset_id = asset,
                              .t_ms = t,
                              .lat = lat,
                              .lon = -66.5,
                              .sog_kn = 10,
                              .cog_deg = 90,
                              .alt_ft = INT32_MIN,
                              .source_id = src};
        store_strlcpy(o.theatre, theatre, sizeof o.theatre);
        if (store_obs_put(s, &o, &r) != ORBAT_OK)
            printf("not ok - obs_put: %s\n", store_errmsg(s));
    }
}

static struct store *build_store(const char *path, int64_t *ids)
{
    char err[256];
    struct store *s = store_open(path, err, sizeof err);
    if (!s) {
        printf("not ok - open: %s\n", err);
        exit(1);
    }
    store_begin(s);
    struct store_source src = {.bytes = 1};
    store_strlcpy(src.name, "fixture.nmea", sizeof src.name);
    store_strlcpy(src.sha256, "fixture", sizeof src.sha256);
    store_source_begin(s, &src);
    ids[0] =
        add_asset(s, STORE_SHIP, 369970634, "USS GRAVELY", "DDG-107", "warship", "destroyer", true);
    ids[1] = add_asset(s, STORE_SHIP, 369970001, "USS STOCKDALE", "DDG-106", "warship", "destroyer",
                       true);
    ids[2] =
        add_asset(s, STORE_SHIP, 369970002, "USS LAKE ERIE", "CG-70", "warship", "cruiser", true);
    ids[3] = add_asset(s, STORE_AIRCRAFT, 0xae1234, "BUNNY01", "60-0001", "military aircraft",
                       "bomber", true);
    ids[4] = add_asset(s, STORE_SHIP, 311000001, "CARNIVAL X", "", "civil", "", false);
    ids[5] =
        add_asset(s, STORE_SHIP, 369970003, "USS LONG AGO", "DDG-1", "warship", "destroyer", true);
    // Gravely and the cruiser: in theatre days -5..0; Stockdale arrives day -1;
    // the bomber flies day -2 only; the cruiser leaves theatre at day -3 but
    // is tracked outside after; the liner is around all week; "long ago"
    // was there 20 days before.
    add_track(s, ids[0], src.id, -5, 0, "caribbean", 11.0);
    add_track(s, ids[1], src.id, -1, 0, "caribbean", 11.5);
    add_track(s, ids[2], src.id, -6, -3, "caribbean", 12.0);
    add_track(s, ids[2], src.id, -2, 0, "", 30.0);
    add_track(s, ids[3], src.id, -2, -2, "caribbean", 13.0);
    add_track(s, ids[4], src.id, -6, 0, "caribbean", 14.0);
    add_track(s, ids[5], src.id, -20, -19, "caribbean", 15.0);
    struct store_event e = {.asset_id = ids[1], .t_ms = T0 - DAY, .lat = 11.5, .lon = -66.5};
    store_strlcpy(e.type, "enter", sizeof e.type);
    store_strlcpy(e.theatre, "caribbean", sizeof e.theatre);
    store_strlcpy(e.detail, "Caribbean Sea", sizeof e.detail);
    store_event_put(s, &e);
    struct store_sighting sg = {.t_ms = T0 - DAY / 2, .lat = 17.9, .lon = -65.0, .confidence = 0.6};
    store_strlcpy(sg.name, "USS Gerald R. Ford", sizeof sg.name);
    store_strlcpy(sg.category, "warship", sizeof sg.category);
    store_strlcpy(sg.role, "aircraft carrier", sizeof sg.role);
    store_strlcpy(sg.theatre, "caribbean", sizeof sg.theatre);
    store_strlcpy(sg.source_url, "https://news.example/ford", sizeof sg.source_url);
    store_strlcpy(sg.note, "satellite image, \"east of St Croix\"", sizeof sg.note);
    if (store_sighting_put(s, &sg) != ORBAT_OK)
        printf("not ok - sighting: %s\n", store_errmsg(s));
    ids[6] = sg.asset_id;
    src.complete = true;
    src.simulated = true; // the fixture is constructed: reports must say so
    store_source_finish(s, &src);
    if (store_commit(s) != ORBAT_OK)
        printf("not ok - commit: %s\n", store_errmsg(s));
    return s;
}

static const struct report_entry *find_entry(const struct report_oob *r, int64_t id)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->e[i].asset.id == id)
            return &r->e[i];
    return NULL;
}

static size_t count_str(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

static void test_reports(void)
{
    char dir[] = "/tmp/orbat_test_report_XXXXXX";
    if (!mkdtemp(dir)) {
        printf("not ok - mkdtemp\n");
        exit(1);
    }
    char path[128];
    snprintf(path, sizeof path, "%s/r.db", dir);
    int64_t id[7];
    struct store *s = build_store(path, id);

    struct report_opts o = {
        .theatre = "caribbean", .as_of_ms = T0, .window_ms = REPORT_DEFAULT_WINDOW_MS};
    struct report_oob r;
    CHECK_EQ_INT(report_oob_build(s, &o, &r), ORBAT_OK, "build the order of battle");
    CHECK_EQ_INT(r.n, 5, "4 military assets with transponders in the window + 1 sighted");
    CHECK(find_entry(&r, id[4]) == NULL, "civil liner left out");
    CHECK(find_entry(&r, id[5]) == NULL, "an asset seen 20 days ago is not in a 7-day window");
    const struct report_entry *cr = find_entry(&r, id[2]);
    CHECK(cr && cr->last_ms == T0 - 3 * DAY, "cruiser last seen in theatre when it left");
    CHECK(cr && fabs(cr->last_lat - 12.0) < 1e-9, "cruiser's last position is the in-theatre one");
    const struct report_entry *ford = find_entry(&r, id[6]);
    CHECK(ford && !strcmp(ford->basis, "sighting"), "Ford is in by sighting");
    CHECK(ford && fabs(ford->confidence - 0.6) < 1e-9, "sighting confidence kept");
    CHECK(ford && ford->n_sightings == 1 && ford->n_obs == 0, "Ford evidence: 1 sighting");
    const struct report_entry *gr = find_entry(&r, id[0]);
    CHECK(gr && gr->n_obs == 5 * 24 + 1, "Gravely: one thinned observation per hour (%llu)",
          gr ? (unsigned long long)gr->n_obs : 0ULL);
    CHECK(gr && gr->first_ms == T0 - 5 * DAY && gr->last_ms == T0, "Gravely first/last seen");
    char counts[512];
    CHECK_EQ_INT(report_oob_counts(&r, counts, sizeof counts), 2, "two category lines");
    CHECK(!strcmp(counts, "4 warships: 2 destroyers, 1 aircraft carrier, 1 cruiser\n"
                          "1 military aircraft: 1 bomber"),
          "counts lines: %s", strtok(counts, "\n"));
    CHECK(r.e[0].asset.category[0] == 'w' && !strcmp(r.e[r.n - 1].asset.role, "bomber"),
          "warships first, aircraft after");

    struct mem m;
    mem_open(&m);
    CHECK_EQ_INT(report_oob_write(&r, RFMT_CSV, m.f), ORBAT_OK, "csv write");
    char *csv = mem_close(&m);
    CHECK_EQ_INT(count_str(csv, "\n"), 6, "csv: header + 5 rows");
    CHECK(strstr(csv, "warship,destroyer,USS GRAVELY,369970634,ship,,DDG-107,United States,"
                      "0.90,transponder,2025-10-18T00:00:00Z,2025-10-23T00:00:00Z") != NULL,
          "csv row for Gravely");
    free(csv);
    mem_open(&m);
    report_oob_write(&r, RFMT_TABLE, m.f);
    char *table = mem_close(&m);
    CHECK(strstr(table, "4 warships: 2 destroyers, 1 aircraft carrier, 1 cruiser") != NULL,
          "table has the counts line");
    CHECK(strstr(table, "1 sighting") != NULL, "table shows sighting evidence");
    CHECK(strstr(table, "SIMULATED DATA: 1 of 1 sources") != NULL, "table warns of simulation");
    free(table);
    mem_open(&m);
    report_oob_write(&r, RFMT_JSON, m.f);
    char *json = mem_close(&m);
    CHECK(strstr(json, "\"total\":5") && strstr(json, "\"basis\":\"sighting\""), "json");
    CHECK(strstr(json, "\"simulated_sources\":1") != NULL, "json counts simulated sources");
    free(json);
    mem_open(&m);
    report_oob_write(&r, RFMT_MARKDOWN, m.f);
    char *md = mem_close(&m);
    CHECK(strstr(md, "## warship") && strstr(md, "- 4 warships"), "markdown");
    free(md);
    report_oob_free(&r);
    report_oob_free(&r);

    // --all brings the liner in; anywhere brings the cruiser's later track.
    o.all = true;
    report_oob_build(s, &o, &r);
    CHECK_EQ_INT(r.n, 6, "--all includes the civil liner");
    CHECK_EQ_STR(r.e[r.n - 1].asset.category, "civil", "civil sorted last");
    report_oob_free(&r);
    o.all = false;
    o.theatre = NULL;
    report_oob_build(s, &o, &r);
    cr = find_entry(&r, id[2]);
    CHECK(cr && cr->last_ms == T0 && fabs(cr->last_lat - 30.0) < 1e-9,
          "anywhere: cruiser's last position outside the theatre");
    report_oob_free(&r);
    o.theatre = "caribbean";

    // Diff between day -4 and day 0: Stockdale and the sighting arrived;
    // nothing left (the cruiser was there in both windows).
    mem_open(&m);
    o.window_ms = DAY;
    CHECK_EQ_INT(report_diff_write(s, &o, T0 - 4 * DAY, T0, RFMT_CSV, m.f), ORBAT_OK, "diff");
    char *diff = mem_close(&m);
    CHECK(strstr(diff, "arrival,warship,destroyer,USS STOCKDALE") != NULL, "Stockdale arrived");
    CHECK(strstr(diff, "arrival,warship,aircraft carrier,USS Gerald R. Ford") != NULL,
          "Ford arrived (sighting)");
    CHECK(strstr(diff, "departure,warship,cruiser,USS LAKE ERIE") != NULL,
          "cruiser departed (1-day windows)");
    CHECK_EQ_INT(count_str(diff, "\narrival,"), 2, "two arrivals");
    free(diff);
    o.window_ms = REPORT_DEFAULT_WINDOW_MS;

    // Timeline.
    mem_open(&m);
    struct mem svg;
    mem_open(&svg);
    CHECK_EQ_INT(report_timeline_write(s, &o, T0 - 6 * DAY, T0, RFMT_CSV, m.f, svg.f), ORBAT_OK,
                 "timeline");
    char *tl = mem_close(&m);
    char *sv = mem_close(&svg);
    if (getenv("SHOW"))
        fputs(tl, stderr);
    CHECK(strncmp(tl, "day,warship,military aircraft,total\n", 36) == 0, "timeline header");
    CHECK(strstr(tl, "2025-10-17,1,0,1\n") != NULL, "day -6: the cruiser alone");
    CHECK(strstr(tl, "2025-10-21,1,1,2\n") != NULL, "day -2: Gravely and the bomber");
    CHECK(strstr(tl, "2025-10-22,3,0,3\n") != NULL, "day -1: 2 destroyers + the sighted carrier");
    CHECK(strstr(tl, "2025-10-23,2,0,2\n") != NULL, "day 0: 2 destroyers");
    CHECK_EQ_INT(count_str(tl, "\n"), 8, "7 days + header");
    CHECK(strncmp(sv, "<?xml", 5) == 0 && strstr(sv, "</svg>\n") != NULL, "svg document");
    CHECK_EQ_INT(count_str(sv, "<rect x="), 8 + 2,
                 "svg: one bar segment per non-zero cell (8) + 2 legend boxes");
    free(tl);
    free(sv);

    // Evidence and events.
    mem_open(&m);
    CHECK_EQ_INT(report_evidence_write(s, "DDG-106", T0 - 30 * DAY, T0, RFMT_CSV, m.f), ORBAT_OK,
                 "evidence by hull");
    char *ev = mem_close(&m);
    CHECK_EQ_INT(count_str(ev, ",observation,"), 25, "25 observations behind Stockdale");
    CHECK(strstr(ev, "fixture.nmea") && strstr(ev, "!AIVDM,1,1,,A,asset"),
          "observations carry source and raw bytes");
    CHECK_EQ_INT(count_str(ev, ",event,"), 1, "its enter event");
    free(ev);
    mem_open(&m);
    CHECK_EQ_INT(report_evidence_write(s, "nonexistent", 0, T0, RFMT_TABLE, m.f), ORBAT_E_NOTFOUND,
                 "evidence of an unknown asset");
    free(mem_close(&m));
    mem_open(&m);
    CHECK_EQ_INT(report_events_write(s, "enter", 0, T0, RFMT_JSON, m.f), ORBAT_OK, "events");
    char *evs = mem_close(&m);
    CHECK(strstr(evs, "\"type\":\"enter\"") && strstr(evs, "USS STOCKDALE"), "events json");
    free(evs);

    // Exports.
    mem_open(&m);
    CHECK_EQ_INT(report_export_write(s, T0 - 7 * DAY, T0, false, RFMT_GEOJSON, m.f), ORBAT_OK,
                 "geojson export");
    char *gj = mem_close(&m);
    CHECK_EQ_INT(count_str(gj, "\"feature\":\"track\""), 3,
                 "3 military tracks (the bomber's single point is no line)");
    CHECK_EQ_INT(count_str(gj, "\"feature\":\"last_position\""), 4, "4 last positions");
    CHECK_EQ_INT(count_str(gj, "\"feature\":\"sighting\""), 1, "1 sighting");
    CHECK(!strstr(gj, "CARNIVAL"), "civil liner not exported");
    free(gj);
    mem_open(&m);
    CHECK_EQ_INT(report_export_write(s, T0 - 7 * DAY, T0, true, RFMT_KML, m.f), ORBAT_OK, "kml");
    char *kml = mem_close(&m);
    CHECK_EQ_INT(count_str(kml, "<LineString>"), 4, "kml with --all: 4 tracks (liner included)");
    CHECK(strstr(kml, "&quot;east of St Croix&quot;") != NULL, "kml escapes the note");
    free(kml);
    CHECK_EQ_INT(report_export_write(s, 0, T0, false, RFMT_TABLE, stdout), ORBAT_E_INVAL,
                 "export refuses table");

    store_close(s);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK_EQ_INT(system(cmd), 0, "cleanup");
}

/* Issue 18 item 9: a placeholder name ("????" from plane-alert-db) is no
 * label: fall back to the call sign, the hull, then the hex address. */
static void test_labels(void)
{
    struct store_asset a;
    char buf[16];
    memset(&a, 0, sizeof a);
    a.kind = STORE_AIRCRAFT;
    a.ident = 0xae1234;
    snprintf(a.name, sizeof a.name, "????");
    snprintf(a.callsign, sizeof a.callsign, "BONE21");
    CHECK_EQ_STR(report_asset_label(&a, buf, sizeof buf), "BONE21", "???? name: the call sign");
    a.callsign[0] = '\0';
    snprintf(a.hull, sizeof a.hull, "????");
    CHECK_EQ_STR(report_asset_label(&a, buf, sizeof buf), "ae1234",
                 "???? name and registration, no call sign: the hex address");
    snprintf(a.hull, sizeof a.hull, "85-0060");
    CHECK_EQ_STR(report_asset_label(&a, buf, sizeof buf), "85-0060", "then the registration");
    snprintf(a.name, sizeof a.name, "B-1B Lancer");
    CHECK_EQ_STR(report_asset_label(&a, buf, sizeof buf), "B-1B Lancer", "a real name wins");
}

/* Issue 18 item 11: the stored reasons as identify's array shape. */
static void test_reasons_json(void)
{
    char *p = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&p, &n);
    report_json_reasons(f, "S.MID: MID 338 -> United States (ITU; Appendix 43); "
                           "S.TYPE35: type 35 (self-declared)");
    fclose(f);
    CHECK_EQ_STR(p,
                 "[{\"rule\":\"S.MID\",\"evidence\":\"MID 338 -> United States (ITU; Appendix "
                 "43)\"},{\"rule\":\"S.TYPE35\",\"evidence\":\"type 35 (self-declared)\"}]",
                 "reasons string -> array of {rule, evidence}");
    free(p);
    f = open_memstream(&p, &n);
    report_json_reasons(f, "");
    fclose(f);
    CHECK_EQ_STR(p, "[]", "no reasons: an empty array");
    free(p);
}

int main(void)
{
    test_labels();
    test_reasons_json();
    test_rtime();
    test_phrases();
    test_escapes();
    test_reports();
    return check_exit();
}
