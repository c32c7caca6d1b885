/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_gfw.c - the Global Fishing Watch API v3 reader (src/archive/gfw.c)
 * on the GFW documentation samples (every field) and on hand-made lists,
 * its errors, and the import into a real SQLite store (put, iterate,
 * filters, idempotency, all-or-nothing, asset link, gzip).
 *
 * `test_gfw --import DB FILE...` imports files and exits: the golden test
 * tests/golden/gfw_events.sh uses it where `orbat import` is not built.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "archive/gfw.h"
#include "archive/gfw_import.h"
#include "check.h"
#include "store/store.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    if (b) {
        b[n] = '\0';
        *len = (size_t)n;
    }
    return b;
}

#define MAXEV 32

struct got {
    size_t n;
    struct gfw_event e[MAXEV];
    char *json[MAXEV];
    size_t nv;
    struct gfw_vessel v[16];
    int stop_at; /* return 7 at this event (1-based); 0 never */
};

static int got_event(void *ctx, const struct gfw_event *e)
{
    struct got *g = ctx;
    if (g->n < MAXEV) {
        g->e[g->n] = *e;
        g->json[g->n] = strndup(e->json, e->json_len);
        g->e[g->n].json = g->json[g->n];
    }
    g->n++;
    return g->stop_at && (int)g->n == g->stop_at ? 7 : 0;
}

static int got_vessel(void *ctx, const struct gfw_vessel *v)
{
    struct got *g = ctx;
    if (g->nv < 16)
        g->v[g->nv] = *v;
    g->nv++;
    return 0;
}

static void got_free(struct got *g)
{
    for (size_t i = 0; i < g->n && i < MAXEV; i++)
        free(g->json[i]);
    memset(g, 0, sizeof *g);
}

static int parse(const char *s, struct got *g, struct gfw_parse_result *r)
{
    memset(g, 0, sizeof *g);
    return gfw_parse(s, strlen(s), got_event, got_vessel, g, r);
}

/* The sample event with its "type" replaced (the doc example carries every
 * type's block, so each type's reading is checked on GFW's own text). */
static char *with_type(const char *doc, const char *type)
{
    const char *p = strstr(doc, "\"type\": \"fishing\"");
    if (!p)
        return NULL;
    size_t pre = (size_t)(p - doc), tl = strlen(type);
    const char *rest = p + strlen("\"type\": \"fishing\"");
    char *o = malloc(strlen(doc) + tl + 16);
    if (!o)
        return NULL;
    memcpy(o, doc, pre);
    sprintf(o + pre, "\"type\": \"%s\"%s", type, rest);
    return o;
}

static void test_sample_event(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/events_event_item.json", dir);
    size_t len = 0;
    char *doc = slurp(path, &len);
    CHECK(doc != NULL, "read %s", path);
    if (!doc)
        return;
    CHECK(gfw_looks_like(doc, len), "sample event looks like GFW");
    CHECK(gfw_looks_like(doc, 400), "and so does its first 400 bytes");
    struct got g;
    struct gfw_parse_result r;
    memset(&g, 0, sizeof g);
    int rc = gfw_parse(doc, len, got_event, got_vessel, &g, &r);
    CHECK_EQ_INT(rc, ORBAT_OK, "sample event parses");
    CHECK_EQ_INT(r.doc, GFW_DOC_EVENTS, "an events document");
    CHECK_EQ_INT(g.n, 1, "one event");
    CHECK_EQ_INT(r.events, 1, "result counts one event");
    CHECK_EQ_INT(r.total, -1, "no total in a single event");
    CHECK_EQ_INT(r.next_offset, -1, "no nextOffset");
    const struct gfw_event *e = &g.e[0];
    CHECK_EQ_STR(e->id, "3ca9b73aee21fbf278a636709e0f8f03", "id");
    CHECK_EQ_STR(e->type, "fishing", "type");
    CHECK_EQ_INT(e->t_start_ms, 1482008269000LL, "start 2016-12-17T20:57:49.000Z");
    CHECK(!e->has_end, "end \"\" is no end");
    CHECK_EQ_INT(e->t_end_ms, e->t_start_ms, "end = start when absent");
    CHECK_NEAR(e->lat, 54.9204, 1e-9, "lat");
    CHECK_NEAR(e->lon, -5.5465, 1e-9, "lon");
    CHECK_EQ_STR(e->vessel_id, "126570026-6217-2a10-f383-a42f66f78ea7", "vessel id");
    CHECK_EQ_INT(e->mmsi, 235063795, "ssvid -> MMSI");
    CHECK_EQ_STR(e->name, "NORTHERN VIKING", "vessel name");
    CHECK_EQ_STR(e->flag, "GBR", "flag");
    CHECK_EQ_STR(e->vessel_type, "fishing", "vessel type");
    CHECK_EQ_INT(e->other_mmsi, 0, "no other vessel for a fishing event");
    CHECK_EQ_STR(e->other_name, "", "no other name");
    CHECK_EQ_STR(e->detail,
                 "distance 1442.5 km; average speed 1.86 kn; start from shore 14.00 km; "
                 "start from port 15.02 km",
                 "fishing detail");
    // The compact JSON is the same document.
    json_t *a = json_loadb(doc, len, 0, NULL), *b = json_loads(e->json, 0, NULL);
    CHECK(a && b && json_equal(a, b), "provenance JSON equals the event");
    CHECK(!strchr(e->json, '\n') && !strncmp(e->json, "{\"start\":", 9),
          "compact, keys in document order");
    json_decref(a);
    json_decref(b);
    got_free(&g);

    static const struct {
        const char *type;
        uint32_t other;
        const char *detail;
    } per[] = {
        {"encounter", 888111223,
         "with ZHEXIANGYU25232 (888111223); median distance 0.03 km; median speed 0.76 kn; "
         "start from shore 14.00 km; start from port 15.02 km"},
        {"port_visit", 0,
         "port VANCOUVER (can-vancouver) CAN; duration 44933.1 h; confidence 2; start from "
         "shore 14.00 km; start from port 15.02 km"},
        {"gap", 0,
         "duration 15.45 h; distance 55.51 km; implied speed 1.94 kn; intentional disabling; "
         "start from shore 14.00 km; start from port 15.02 km"},
        {"loitering", 0,
         "duration 288.0 h; distance 34.87 km; average speed 0.07 kn; from shore 392.8 km; "
         "start from shore 14.00 km; start from port 15.02 km"},
        {"PORT_VISIT", 0, NULL},
    };
    for (size_t i = 0; i < sizeof per / sizeof per[0]; i++) {
        char *d = with_type(doc, per[i].type);
        rc = d ? parse(d, &g, &r) : -99;
        CHECK_EQ_INT(rc, ORBAT_OK, per[i].type);
        if (per[i].detail) {
            CHECK_EQ_STR(g.e[0].type, per[i].type, "type as given");
            CHECK_EQ_INT(g.e[0].other_mmsi, per[i].other, "other vessel's MMSI");
            CHECK_EQ_STR(g.e[0].detail, per[i].detail, "detail of the type's block");
            if (per[i].other)
                CHECK_EQ_STR(g.e[0].other_name, "ZHEXIANGYU25232", "other vessel's name");
        } else {
            CHECK_EQ_STR(g.e[0].type, "port_visit", "upper-case type is lowered");
        }
        got_free(&g);
        free(d);
    }
    free(doc);
}

static void test_sample_vessel(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/vessels_vessel_item.json", dir);
    size_t len = 0;
    char *doc = slurp(path, &len);
    CHECK(doc != NULL, "read %s", path);
    if (!doc)
        return;
    CHECK(gfw_looks_like(doc, len), "sample vessel looks like GFW");
    struct got g;
    struct gfw_parse_result r;
    memset(&g, 0, sizeof g);
    int rc = gfw_parse(doc, len, got_event, got_vessel, &g, &r);
    CHECK_EQ_INT(rc, ORBAT_OK, "sample vessel parses");
    CHECK_EQ_INT(r.doc, GFW_DOC_VESSELS, "a vessel document");
    CHECK_EQ_INT(g.n, 0, "no events");
    CHECK_EQ_INT(g.nv, 7, "5 self-reported + 2 registry identities");
    const struct gfw_vessel *v = &g.v[0];
    CHECK_EQ_STR(v->source, "selfReported", "first: self reported (AIS)");
    CHECK_EQ_STR(v->vessel_id, "da1cd7e1b-b8d0-539c-6581-2b3df8d0a6af", "vessel id");
    CHECK_EQ_INT(v->mmsi, 273379740, "ssvid");
    CHECK_EQ_STR(v->name, "FRIO FORWIN", "shipname");
    CHECK_EQ_STR(v->flag, "RUS", "flag");
    CHECK_EQ_STR(v->callsign, "UCRZ", "callsign");
    CHECK_EQ_STR(v->imo, "9076260", "imo");
    CHECK_EQ_INT(v->from_ms, 1425034761000LL, "transmissionDateFrom");
    CHECK(v->to_ms > v->from_ms, "transmissionDateTo after");
    CHECK_EQ_INT(g.v[4].mmsi, 354666000, "fifth: FRIO AEGEAN's MMSI");
    CHECK_EQ_STR(g.v[4].name, "FRIO AEGEAN", "fifth: its former name");
    CHECK_EQ_STR(g.v[6].source, "registry", "registry entries last");
    CHECK_EQ_INT(g.v[6].mmsi, 210631000, "registry ssvid");
    CHECK_EQ_STR(g.v[6].flag, "CYP", "registry flag");
    CHECK_EQ_STR(g.v[6].callsign, "5BWC3", "registry callsign");
    free(doc);

    // The other samples in the directory are requests or another API.
    snprintf(path, sizeof path, "%s/fourwings_fourwings_report_item.json", dir);
    doc = slurp(path, &len);
    if (doc) {
        CHECK(!gfw_looks_like(doc, len), "a 4Wings report row is not an events/vessel answer");
        CHECK_EQ_INT(gfw_parse(doc, len, NULL, NULL, NULL, &r), ORBAT_E_FORMAT,
                     "4Wings row refused");
        free(doc);
    }
    snprintf(path, sizeof path, "%s/events_event_list_request_body.json", dir);
    doc = slurp(path, &len);
    if (doc) {
        CHECK(!gfw_looks_like(doc, len), "a request body does not look like an answer");
        free(doc);
    }
}

/* A hand-made list: two events of each type, GFW's quirks included. */
static const char hand_list[] =
    "{\"entries\":["
    // encounters: ssvid as string and as number; the other vessel's
    "{\"id\":\"enc1\",\"type\":\"encounter\",\"start\":\"2025-10-15T10:00:00.000Z\","
    "\"end\":\"2025-10-15T14:00:00.000Z\",\"position\":{\"lat\":12.5,\"lon\":-66.25},"
    "\"vessel\":{\"id\":\"v1\",\"ssvid\":\"211000001\",\"name\":\"ALPHA\",\"flag\":\"DEU\","
    "\"type\":\"carrier\"},\"encounter\":{\"vessel\":{\"id\":\"v2\",\"ssvid\":\"211000002\","
    "\"name\":\"BRAVO\",\"flag\":\"PAN\"},\"medianDistanceKilometers\":0.2,"
    "\"medianSpeedKnots\":1}},"
    "{\"id\":\"enc2\",\"type\":\"encounter\",\"start\":\"2025-10-16T10:00:00Z\","
    "\"end\":\"2025-10-16T12:30:00+02:00\",\"position\":{\"lat\":\"12.75\",\"lon\":\"-66.5\"},"
    "\"vessel\":{\"ssvid\":211000002,\"name\":\"BRAVO\"},"
    "\"encounter\":{\"vessel\":{\"ssvid\":\"not-a-number\"}}},"
    // loitering
    "{\"id\":\"loi1\",\"type\":\"loitering\",\"start\":\"2025-10-17T00:00:00Z\","
    "\"end\":\"2025-10-17T06:00:00Z\",\"vessel\":{\"ssvid\":\"211000001\"},"
    "\"loitering\":{\"totalTimeHours\":6,\"averageSpeedKnots\":\"0.5\"}},"
    "{\"id\":\"loi2\",\"type\":\"loitering\",\"start\":\"2025-10-18T00:00:00Z\","
    "\"vessel\":{\"ssvid\":\"ABC123\",\"name\":\"NO MMSI\"}},"
    // port visits
    "{\"id\":\"pv1\",\"type\":\"port_visit\",\"start\":\"2025-10-19T00:00:00Z\","
    "\"end\":\"2025-10-20T00:00:00Z\",\"vessel\":{\"ssvid\":\"211000003\",\"flag\":null},"
    "\"port_visit\":{\"durationHrs\":24,\"startAnchorage\":{\"name\":\"WILLEMSTAD\","
    "\"id\":\"cuw-willemstad\",\"flag\":\"CUW\"}}},"
    "{\"id\":\"pv2\",\"type\":\"port_visit\",\"start\":\"2025-10-21T00:00:00Z\","
    "\"end\":\"2025-10-21T05:00:00Z\",\"position\":null,"
    "\"port_visit\":{\"endAnchorage\":{\"name\":\"ORANJESTAD\"}}},"
    // gaps
    "{\"id\":\"gap1\",\"type\":\"gap\",\"start\":\"2025-10-22T00:00:00Z\","
    "\"end\":\"2025-10-22T20:00:00Z\",\"vessel\":{\"ssvid\":\"211000003\"},"
    "\"gap\":{\"durationHours\":20,\"distanceKm\":\"120.5\",\"intentionalDisabling\":false}},"
    "{\"id\":\"gap2\",\"type\":\"gap\",\"start\":\"2025-10-23T00:00:00Z\","
    "\"end\":\"2025-10-23T13:00:00Z\",\"vessel\":{\"ssvid\":\"1234567890\"},"
    "\"gap\":{\"durationHours\":13}},"
    // fishing
    "{\"id\":\"fish1\",\"type\":\"fishing\",\"start\":\"2025-10-24T00:00:00Z\","
    "\"end\":\"2025-10-24T03:00:00Z\",\"vessel\":{\"ssvid\":\"211000004\"}},"
    "{\"id\":\"fish2\",\"type\":\"fishing\",\"start\":\"2025-10-25T00:00:00Z\","
    "\"end\":\"2025-10-25T01:00:00Z\",\"vessel\":{\"ssvid\":\"0\"},"
    "\"fishing\":{\"totalDistanceKm\":5}}"
    "],\"total\":10,\"limit\":99,\"offset\":0,\"nextOffset\":null}";

static void test_hand_list(void)
{
    struct got g;
    struct gfw_parse_result r;
    CHECK(gfw_looks_like(hand_list, 60) == false, "60 bytes: no GFW key yet");
    CHECK(gfw_looks_like(hand_list, 200), "200 bytes: ssvid seen");
    int rc = parse(hand_list, &g, &r);
    CHECK(rc == ORBAT_OK, "hand-made list parses: %d %s", rc, r.err);
    CHECK_EQ_INT(g.n, 10, "10 events");
    CHECK_EQ_INT(r.total, 10, "total");
    CHECK_EQ_INT(r.next_offset, -1, "nextOffset null: last page");
    const char *types[10] = {"encounter",  "encounter", "loitering", "loitering", "port_visit",
                             "port_visit", "gap",       "gap",       "fishing",   "fishing"};
    for (int i = 0; i < 10; i++)
        CHECK_EQ_STR(g.e[i].type, types[i], "type in order");
    const struct gfw_event *e = g.e;
    CHECK_EQ_INT(e[0].t_end_ms - e[0].t_start_ms, 4 * 3600000LL, "encounter 4 h");
    CHECK_EQ_INT(e[0].mmsi, 211000001, "string ssvid");
    CHECK_EQ_INT(e[0].other_mmsi, 211000002, "other ssvid");
    CHECK_EQ_STR(e[0].detail,
                 "with BRAVO (211000002); other flag PAN; median distance 0.20 km; median speed "
                 "1.00 kn",
                 "encounter detail");
    CHECK_EQ_INT(e[1].mmsi, 211000002, "numeric ssvid");
    CHECK_EQ_INT(e[1].other_mmsi, 0, "non-numeric other ssvid -> 0");
    CHECK_EQ_INT(e[1].t_end_ms - e[1].t_start_ms, 30 * 60000LL, "end with +02:00 offset");
    CHECK_NEAR(e[1].lat, 12.75, 1e-12, "lat as a string");
    CHECK_NEAR(e[1].lon, -66.5, 1e-12, "lon as a string");
    CHECK_EQ_STR(e[2].detail, "duration 6.00 h; average speed 0.50 kn", "loitering detail");
    CHECK(isnan(e[2].lat) && isnan(e[2].lon), "no position -> NaN");
    CHECK_EQ_INT(e[3].mmsi, 0, "non-numeric ssvid -> 0");
    CHECK_EQ_STR(e[3].name, "NO MMSI", "name kept");
    CHECK(!e[3].has_end && e[3].t_end_ms == e[3].t_start_ms, "no end");
    CHECK_EQ_STR(e[4].detail, "port WILLEMSTAD (cuw-willemstad) CUW; duration 24.00 h",
                 "port visit detail");
    CHECK_EQ_STR(e[4].flag, "", "flag null -> empty");
    CHECK_EQ_STR(e[5].detail, "port ORANJESTAD", "port from endAnchorage");
    CHECK(isnan(e[5].lat), "position null -> NaN");
    CHECK_EQ_INT(e[5].mmsi, 0, "no vessel -> MMSI 0");
    CHECK_EQ_STR(e[6].detail, "duration 20.00 h; distance 120.5 km", "gap detail");
    CHECK_EQ_INT(e[7].mmsi, 0, "10-digit ssvid -> 0");
    CHECK_EQ_STR(e[8].detail, "", "no block -> empty detail");
    CHECK_EQ_INT(e[9].mmsi, 0, "ssvid 0 -> 0");
    CHECK_EQ_STR(e[9].detail, "distance 5.00 km", "fishing detail");
    got_free(&g);

    // A callback can stop the parse; its value comes back.
    memset(&g, 0, sizeof g);
    g.stop_at = 3;
    rc = gfw_parse(hand_list, strlen(hand_list), got_event, NULL, &g, &r);
    CHECK_EQ_INT(rc, 7, "callback's value returned");
    CHECK_EQ_INT(g.n, 3, "stopped after the third");
    got_free(&g);

    // An empty page is an events list with nothing in it.
    rc =
        parse("{\"entries\":[],\"total\":0,\"limit\":99,\"offset\":0,\"nextOffset\":null}", &g, &r);
    CHECK(rc == ORBAT_OK && g.n == 0 && r.doc == GFW_DOC_EVENTS && r.total == 0,
          "empty page: OK, no events");
    rc = parse("{\"entries\":[],\"nextOffset\":99}", &g, &r);
    CHECK(rc == ORBAT_OK && r.next_offset == 99, "nextOffset read");
}

static void test_errors(void)
{
    static const struct {
        const char *doc;
        int rc;
        const char *what;
        const char *msg; /* part of the message */
    } bad[] = {
        {"", ORBAT_E_FORMAT, "empty", "JSON"},
        {"{\"entries\":[{\"id\":\"a\"", ORBAT_E_FORMAT, "truncated", "JSON"},
        {"{\"entries\":[{\"id\":\"a\",}]}", ORBAT_E_FORMAT, "trailing comma", "JSON"},
        {"[1,2]", ORBAT_E_FORMAT, "an array", "not a JSON object"},
        {"{\"foo\":1}", ORBAT_E_FORMAT, "an unrelated object", "not a GFW answer"},
        {"{\"entries\":{}}", ORBAT_E_FORMAT, "entries not a list", "entries"},
        {"{\"entries\":[3]}", ORBAT_E_FORMAT, "entry not an object", "event 0"},
        {"{\"entries\":[{\"type\":\"gap\",\"start\":\"2020-01-01\"}]}", ORBAT_E_FORMAT,
         "missing id", "no \"id\""},
        {"{\"entries\":[{\"id\":\"a\",\"start\":\"2020-01-01\"}]}", ORBAT_E_FORMAT, "missing type",
         "no \"type\""},
        {"{\"entries\":[{\"id\":\"a\",\"type\":\"gap\"}]}", ORBAT_E_FORMAT, "missing start",
         "no \"start\""},
        {"{\"entries\":[{\"id\":\"a\",\"type\":\"gap\",\"start\":1600000000}]}", ORBAT_E_FORMAT,
         "numeric start", "no \"start\""},
        {"{\"entries\":[{\"id\":\"a\",\"type\":\"gap\",\"start\":\"2020-13-01T00:00:00Z\"}]}",
         ORBAT_E_FORMAT, "month 13", "not an ISO 8601"},
        {"{\"entries\":[{\"id\":\"a\",\"type\":\"gap\",\"start\":\"yesterday\"}]}", ORBAT_E_FORMAT,
         "words", "not an ISO 8601"},
        {"{\"entries\":[{\"id\":\"a\",\"type\":\"gap\",\"start\":\"1969-12-31T23:59:59Z\"}]}",
         ORBAT_E_RANGE, "before 1970", "outside 1970..2200"},
        {"{\"entries\":[{\"id\":\"a\",\"type\":\"gap\",\"start\":\"2020-01-01T00:00:00Z\","
         "\"end\":\"2201-01-01T00:00:00Z\"}]}",
         ORBAT_E_RANGE, "end after 2200", "end"},
        {"{\"entries\":[{\"id\":\"a\",\"type\":\"gap\",\"start\":\"2020-01-02\","
         "\"end\":\"2020-01-01\"}]}",
         ORBAT_E_RANGE, "end before start", "end before start"},
        {"{\"entries\":[{\"id\":\"a\",\"type\":\"gap\",\"start\":\"2020-01-01\","
         "\"position\":{\"lat\":91,\"lon\":0}}]}",
         ORBAT_E_RANGE, "latitude 91", "out of range"},
        {"{\"entries\":[{\"id\":\"a\",\"type\":\"gap\",\"start\":\"2020-01-01\","
         "\"position\":{\"lat\":1}}]}",
         ORBAT_E_FORMAT, "position without lon", "without lat/lon"},
        {"{\"entries\":[{\"id\":\"a\",\"type\":\"gap\",\"start\":\"2020-01-01\","
         "\"vessel\":\"x\"}]}",
         ORBAT_E_FORMAT, "vessel a string", "vessel"},
        {"{\"id\":\"a\",\"id\":\"b\",\"type\":\"gap\",\"start\":\"2020-01-01\"}", ORBAT_E_FORMAT,
         "duplicate key", "JSON"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct got g;
        struct gfw_parse_result r;
        int rc = parse(bad[i].doc, &g, &r);
        CHECK(rc == bad[i].rc && strstr(r.err, bad[i].msg), "%s: %d (want %d), message \"%s\"",
              bad[i].what, rc, bad[i].rc, r.err);
        got_free(&g);
    }
    // The event before a bad one was delivered; the error names the entry.
    struct got g;
    struct gfw_parse_result r;
    int rc = parse("{\"entries\":[{\"id\":\"a\",\"type\":\"gap\",\"start\":\"2020-01-01\"},"
                   "{\"id\":\"b\",\"type\":\"gap\",\"start\":\"2020-02-30\"}]}",
                   &g, &r);
    CHECK(rc == ORBAT_E_FORMAT && g.n == 1 && strstr(r.err, "event 1 (b)"),
          "second entry bad: first delivered, message %s", r.err);
    got_free(&g);
    CHECK_EQ_INT(gfw_parse("{}", GFW_MAX_DOC + 1, NULL, NULL, NULL, NULL), ORBAT_E_TOOLONG,
                 "over the document cap");
    CHECK(!gfw_looks_like("", 0) && !gfw_looks_like("[{\"ssvid\":1}]", 13) &&
              !gfw_looks_like("{\"trace\":[]}", 12),
          "looks_like: empty, array, readsb trace: no");
    CHECK(gfw_looks_like("\xef\xbb\xbf {\"registryInfo\":[", 20), "looks_like: BOM, vessel");
}

static void test_time(void)
{
    static const struct {
        const char *s;
        int rc;
        int64_t ms;
    } v[] = {
        {"1970-01-01T00:00:00Z", ORBAT_OK, 0},
        {"2025-10-15T10:00:00Z", ORBAT_OK, 1760522400000LL},
        {"2025-10-15T10:00:00.250Z", ORBAT_OK, 1760522400250LL},
        {"2025-10-15T12:00:00+02:00", ORBAT_OK, 1760522400000LL},
        {"2025-10-15T05:30-0430", ORBAT_OK, 1760522400000LL},
        {"2025-10-15", ORBAT_OK, 1760486400000LL},
        {"2200-01-01T00:00:00Z", ORBAT_OK, 7258118400000LL},
        {"2200-01-01T00:00:01Z", ORBAT_E_RANGE, 0},
        {"1969-12-31", ORBAT_E_RANGE, 0},
        {"2023-02-29", ORBAT_E_FORMAT, 0},
        {"2024-02-29", ORBAT_OK, 1709164800000LL},
        {"2025-10-15T24:00:00Z", ORBAT_E_FORMAT, 0},
        {"2025-10-15T10:00:00Zjunk", ORBAT_E_FORMAT, 0},
        {"2025-10-15T10:00:00.Z", ORBAT_E_FORMAT, 0},
        {"", ORBAT_E_FORMAT, 0},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        int64_t ms = -1;
        int rc = gfw_time_parse(v[i].s, &ms);
        CHECK(rc == v[i].rc && (rc || ms == v[i].ms), "time \"%s\": rc %d ms %lld", v[i].s, rc,
              (long long)ms);
    }
}

/* ---- the store ---- */

struct rows {
    size_t n;
    struct store_ext_event x[16];
    char raw0[256];
};

static int row_cb(void *ctx, const struct store_ext_event *x)
{
    struct rows *r = ctx;
    if (r->n < 16) {
        r->x[r->n] = *x;
        r->x[r->n].raw = NULL;
        if (r->n == 0)
            snprintf(r->raw0, sizeof r->raw0, "%.*s", (int)(x->raw_len < 200 ? x->raw_len : 200),
                     x->raw);
    }
    r->n++;
    return 0;
}

static size_t count(struct store *s, int64_t from, int64_t to, const char *type, uint32_t mmsi,
                    struct rows *r)
{
    struct store_ext_filter f = {from, to, "", type, mmsi};
    memset(r, 0, sizeof *r);
    int rc = store_ext_events(s, &f, row_cb, r);
    return rc ? (size_t)-1 : r->n;
}

static int write_file(const char *path, const char *s, bool gz)
{
    if (gz) {
        gzFile z = gzopen(path, "wb");
        if (!z)
            return -1;
        int n = gzwrite(z, s, (unsigned)strlen(s));
        gzclose(z);
        return n == (int)strlen(s) ? 0 : -1;
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t n = fwrite(s, 1, strlen(s), f);
    fclose(f);
    return n == strlen(s) ? 0 : -1;
}

static void test_store(const char *sample_dir)
{
    char dir[] = "/tmp/orbat_gfw_XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "temp dir");
    char db[300], list[300], listgz[300], bad[300], vessel[300];
    snprintf(db, sizeof db, "%s/x.db", dir);
    snprintf(list, sizeof list, "%s/events.json", dir);
    snprintf(listgz, sizeof listgz, "%s/events2.json.gz", dir);
    snprintf(bad, sizeof bad, "%s/bad.json", dir);
    snprintf(vessel, sizeof vessel, "%s/vessels_vessel_item.json", sample_dir);
    CHECK(write_file(list, hand_list, false) == 0, "write the list");
    char err[256] = "";
    struct store *s = store_open(db, err, sizeof err);
    CHECK(s != NULL, "open %s %s", db, err);
    if (!s)
        return;
    // An orbat ship asset for one of the vessels: events link to it on read.
    struct store_asset a = {.kind = STORE_SHIP, .ident = 211000001, .first_ms = 1, .last_ms = 2};
    snprintf(a.name, sizeof a.name, "ALPHA");
    CHECK(store_begin(s) == ORBAT_OK && store_asset_put(s, &a) == ORBAT_OK &&
              store_commit(s) == ORBAT_OK,
          "asset for MMSI 211000001");

    struct gfw_import_stats st;
    int rc = gfw_import_file(s, list, "events.json", &st);
    CHECK_EQ_INT(rc, ORBAT_OK, "import the list");
    CHECK(st.events_new == 10 && st.events_known == 0 && st.doc == GFW_DOC_EVENTS,
          "10 new events (%zu, %zu known)", st.events_new, st.events_known);
    CHECK_EQ_INT(st.bytes, strlen(hand_list), "bytes read");
    struct rows r;
    CHECK_EQ_INT(count(s, INT64_MIN / 2, INT64_MAX / 2, "", 0, &r), 10, "10 rows stored");
    const struct store_ext_event *x = &r.x[0];
    CHECK_EQ_STR(x->source, "events.json", "source: the name as given");
    CHECK_EQ_STR(x->provider, "gfw", "provider");
    CHECK_EQ_STR(x->licence, "CC BY-NC 4.0", "licence");
    CHECK_EQ_STR(x->ext_id, "enc1", "external id");
    CHECK_EQ_STR(x->type, "encounter", "type");
    CHECK_EQ_INT(x->t_start_ms, 1760522400000LL, "start");
    CHECK_EQ_INT(x->t_end_ms, 1760522400000LL + 4 * 3600000LL, "end");
    CHECK_NEAR(x->lat, 12.5, 1e-12, "lat");
    CHECK_NEAR(x->lon, -66.25, 1e-12, "lon");
    CHECK_EQ_INT(x->mmsi, 211000001, "mmsi");
    CHECK_EQ_STR(x->name, "ALPHA", "name");
    CHECK_EQ_STR(x->flag, "DEU", "flag");
    CHECK_EQ_INT(x->other_mmsi, 211000002, "other mmsi");
    CHECK(strstr(x->detail, "with BRAVO (211000002)") != NULL, "detail: %s", x->detail);
    CHECK(!strncmp(r.raw0, "{\"id\":\"enc1\",\"type\":\"encounter\"", 31), "raw JSON: %.60s",
          r.raw0);
    CHECK_EQ_INT(x->asset_id, a.id, "linked to the orbat asset of its MMSI");
    CHECK_EQ_INT(r.x[1].asset_id, 0, "no asset for MMSI 211000002");
    CHECK(isnan(r.x[2].lat), "no position stored as NULL -> NaN");

    // Filters: type, MMSI, time overlap.
    CHECK_EQ_INT(count(s, INT64_MIN / 2, INT64_MAX / 2, "gap", 0, &r), 2, "type gap: 2");
    CHECK_EQ_INT(count(s, INT64_MIN / 2, INT64_MAX / 2, "", 211000001, &r), 2, "MMSI: 2");
    CHECK_EQ_INT(count(s, INT64_MIN / 2, INT64_MAX / 2, "", 211000003, &r), 2, "MMSI 3: 2");
    // 2025-10-15T13:00Z is inside enc1 only (10:00-14:00).
    CHECK_EQ_INT(count(s, 1760533200000LL, 1760533200000LL, "", 0, &r), 1, "overlap: one");
    CHECK_EQ_STR(r.x[0].ext_id, "enc1", "the one in progress");
    CHECK_EQ_INT(count(s, 0, 1760522400000LL - 1, "", 0, &r), 0, "nothing before");

    // Idempotent: the same events again, gzipped and under another name.
    CHECK(write_file(listgz, hand_list, true) == 0, "write the gzip copy");
    rc = gfw_import_file(s, listgz, NULL, &st);
    CHECK(rc == ORBAT_OK && st.events_new == 0 && st.events_known == 10,
          "re-import (gzip): 0 new, %zu known", st.events_known);
    CHECK_EQ_INT(count(s, INT64_MIN / 2, INT64_MAX / 2, "", 0, &r), 10, "still 10 rows");
    CHECK_EQ_STR(r.x[0].source, listgz, "the latest import's source (path when no name)");

    // All or nothing: a file whose third event is bad stores nothing.
    CHECK(write_file(bad,
                     "{\"entries\":[{\"id\":\"n1\",\"type\":\"gap\",\"start\":\"2020-01-01\"},"
                     "{\"id\":\"n2\",\"type\":\"gap\",\"start\":\"2020-01-02\"},"
                     "{\"id\":\"n3\",\"type\":\"gap\",\"start\":\"2020-01-03T99:00Z\"}]}",
                     false) == 0,
          "write a bad list");
    rc = gfw_import_file(s, bad, "bad.json", &st);
    CHECK(rc == ORBAT_E_FORMAT && strstr(st.err, "event 2 (n3)"), "bad list refused: %s", st.err);
    CHECK_EQ_INT(count(s, INT64_MIN / 2, INT64_MAX / 2, "", 0, &r), 10, "nothing added");
    // A vessel answer is read and counted, not stored.
    rc = gfw_import_file(s, vessel, "vessel.json", &st);
    CHECK(rc == ORBAT_OK && st.doc == GFW_DOC_VESSELS && st.vessels == 7 && !st.events_new,
          "vessel answer: 7 identities, nothing stored");
    rc = gfw_import_file(s, "/nonexistent/x.json", NULL, &st);
    CHECK(rc == ORBAT_E_IO && strstr(st.err, "/nonexistent/x.json"), "missing file: %s", st.err);
    store_close(s);

    // Persisted; the schema carries the table.
    s = store_open(db, err, sizeof err);
    CHECK(s && count(s, INT64_MIN / 2, INT64_MAX / 2, "", 0, &r) == 10, "reopened: 10 rows");
    CHECK(s && store_integrity_check(s) == ORBAT_OK, "integrity check");
    store_close(s);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK_EQ_INT(system(cmd), 0, "cleanup");
}

/* `test_gfw --import DB FILE...`: a bridge for the golden test. */
static int import_main(int argc, char **argv)
{
    char err[256] = "";
    struct store *s = store_open(argv[2], err, sizeof err);
    if (!s) {
        fprintf(stderr, "test_gfw: %s: %s\n", argv[2], err);
        return 1;
    }
    int bad = 0;
    for (int i = 3; i < argc; i++) {
        struct gfw_import_stats st;
        int rc = gfw_import_file(s, argv[i], NULL, &st);
        if (rc) {
            fprintf(stderr, "test_gfw: %s: %s\n", argv[i], st.err);
            bad = 1;
            break;
        }
        printf("%s: %zu new, %zu known, %zu vessels\n", argv[i], st.events_new, st.events_known,
               st.vessels);
    }
    store_close(s);
    return bad;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "--import"))
        return import_main(argc, argv);
    const char *shared = getenv("SHARED");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/testdata/archives/gfw", shared ? shared : "../shared");
    if (access(dir, R_OK) != 0)
        snprintf(dir, sizeof dir, "tests/fuzz/corpus/gfw");
    test_sample_event(dir);
    test_sample_vessel(dir);
    test_hand_list();
    test_errors();
    test_time();
    test_store(dir);
    return check_exit();
}
