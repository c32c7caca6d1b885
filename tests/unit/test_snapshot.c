/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_snapshot.c - snapshot_parse on the two real v2 API answers (every
 * field of every aircraft; times worked out by hand from "now", "seen_pos"
 * and "seen"; the files are the copies in tests/fuzz/corpus/snapshot/,
 * byte for byte those of shared/testdata/archives/readsb_v2_api/), a
 * hand-written aircraft.json in seconds, lastPosition, "ground", '~' hex,
 * missing and mistyped fields, malformed JSON and overflowing values.
 */
#include "check.h"

#include <jansson.h>
#include <stdlib.h>

#include "archive/snapshot.h"

static const char *root_dir(void)
{
    const char *s = getenv("ROOT");
    return s && *s ? s : ".";
}

static char *slurp(const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/tests/fuzz/corpus/snapshot/%s", root_dir(), name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1 << 16);
    size_t n = buf ? fread(buf, 1, (1 << 16) - 1, f) : 0;
    fclose(f);
    *len = n;
    return buf;
}

#define MAXAC 32
struct got {
    size_t n;
    struct snapshot_ac ac[MAXAC];
    char *json[MAXAC];
    int stop_after; /* 0: never */
};

static int collect(void *ctx, const struct snapshot_ac *a)
{
    struct got *g = ctx;
    if (g->n < MAXAC) {
        g->ac[g->n] = *a;
        g->json[g->n] = a->json ? strdup(a->json) : NULL;
        g->ac[g->n].json = NULL;
        g->n++;
    }
    return g->stop_after && (int)g->n >= g->stop_after;
}

static void got_free(struct got *g)
{
    for (size_t i = 0; i < g->n; i++)
        free(g->json[i]);
    g->n = 0;
}

/* Expected aircraft; NULL strings mean "". NOPOS for has_pos false. */
struct want {
    const char *hex, *type, *flight, *r, *t, *desc;
    int dbflags; /* -1 absent */
    int squawk;  /* -1 absent */
    int category;
    int alt; /* INT32_MIN absent, INT32_MIN+1 "ground" */
    int alt_geom;
    double gs, track; /* -1 absent */
    int baro_rate, geom_rate;
    int pos; /* 0 none, 1 current, 2 lastPosition */
    double lat, lon;
    int64_t t_ms, t_seen_ms; /* t_seen_ms -1 absent */
    const char *ownop;
};

#define NA     INT32_MIN
#define GROUND (INT32_MIN + 1)

static void check_ac(const char *file, size_t i, const struct snapshot_ac *a, const struct want *w)
{
    char d[160];
#define F(x) (snprintf(d, sizeof d, "%s[%zu] %s: " x, file, i, w->hex), d)
    const char *h = w->hex;
    bool tilde = h[0] == '~';
    CHECK_EQ_INT(a->index, i, F("index"));
    CHECK_EQ_INT(a->hex, strtoul(h + tilde, NULL, 16), F("hex"));
    CHECK_EQ_INT(a->non_icao, tilde, F("non_icao"));
    CHECK_EQ_STR(a->type, w->type ? w->type : "", F("type"));
    CHECK_EQ_STR(a->flight, w->flight ? w->flight : "", F("flight"));
    CHECK_EQ_STR(a->r, w->r ? w->r : "", F("r"));
    CHECK_EQ_STR(a->t, w->t ? w->t : "", F("t"));
    CHECK_EQ_STR(a->desc, w->desc ? w->desc : "", F("desc"));
    CHECK_EQ_STR(a->ownop, w->ownop ? w->ownop : "", F("ownOp"));
    CHECK_EQ_INT(a->has_dbflags ? (int)a->dbflags : -1, w->dbflags, F("dbFlags"));
    CHECK_EQ_INT(a->has_squawk ? a->squawk : -1, w->squawk, F("squawk"));
    CHECK_EQ_INT(a->category, w->category, F("category"));
    CHECK_EQ_INT(a->ground ? GROUND : a->has_alt_baro ? a->alt_baro_ft : NA, w->alt, F("alt_baro"));
    CHECK(!(a->ground && a->has_alt_baro), "%s", F("ground excludes a number"));
    CHECK_EQ_INT(a->has_alt_geom ? a->alt_geom_ft : NA, w->alt_geom, F("alt_geom"));
    CHECK(a->has_gs ? a->gs_kt == w->gs : w->gs == -1, "%s (%g)", F("gs"), a->gs_kt);
    CHECK(a->has_track ? a->track_deg == w->track : w->track == -1, "%s (%g)", F("track"),
          a->track_deg);
    CHECK_EQ_INT(a->has_baro_rate ? a->baro_rate_fpm : NA, w->baro_rate, F("baro_rate"));
    CHECK_EQ_INT(a->has_geom_rate ? a->geom_rate_fpm : NA, w->geom_rate, F("geom_rate"));
    CHECK_EQ_INT(a->has_pos ? 1 + a->pos_stale : 0, w->pos, F("position kind"));
    if (w->pos) {
        CHECK(a->lat == w->lat && a->lon == w->lon, "%s (%.9g %.9g)", F("lat/lon"), a->lat, a->lon);
        CHECK_EQ_INT(a->t_ms, w->t_ms, F("t_ms = now - seen_pos"));
    }
    CHECK_EQ_INT(a->has_seen ? a->t_seen_ms : -1, w->t_seen_ms, F("t_seen_ms = now - seen"));
#undef F
}

/* The compact text must be the same JSON value as the array element. */
static void check_json(const char *buf, size_t len, const char *key, struct got *g)
{
    json_t *root = json_loadb(buf, len, 0, NULL);
    json_t *arr = json_object_get(root, key);
    int same = 0;
    for (size_t i = 0; i < g->n; i++) {
        json_t *back = g->json[i] ? json_loads(g->json[i], 0, NULL) : NULL;
        same += back && json_equal(back, json_array_get(arr, g->ac[i].index)) &&
                !strchr(g->json[i], '\n') && !strstr(g->json[i], ", ");
        json_decref(back);
    }
    CHECK_EQ_INT(same, g->n, "compact JSON of every aircraft equals its object");
    json_decref(root);
}

#define NOW1 1790974197000LL

static void test_adsblol(void)
{
    static const char *file = "adsblol_v2_mil_rows_2026-10-02.json";
    const struct want w[] = {
        {"ae04fa", "adsb_icao", "NORTH48", NULL,        "BE20",     NULL,       1,
         2220,     0xA1,        7300,      NA,          247.4,      320.91,     NA,
         NA,       1,           68.638138, -165.186114, NOW1 - 905, NOW1 - 700, NULL},
        {"ae63be", "mlat", NULL,      NULL,      "B762",      NULL,       1,
         3262,     0,      30025,     NA,        -1,          -1,         NA,
         NA,       1,      24.564209, 54.437932, NOW1 - 1835, NOW1 - 500, NULL},
        {"4b8213", "mode_s", "TUAF780", NULL, "A400", NULL, 1, 2360, 0,           28125, NA,
         -1,       -1,       NA,        NA,   0,      0,    0, 0,    NOW1 - 2500, NULL},
        {"a2fad1", "adsb_icao", NULL, NULL, "GLEX", NULL,      1,          5072, 0xA3, 40000, NA,
         371.4,    262.26,      NA,   NA,   1,      37.200452, 125.065135, NOW1, NOW1, NULL},
        {"ae57d4", "adsb_icao", "C2010",   NULL,        "C30J",      NULL,        1,
         -1,       0xA3,        GROUND,    NA,          13.8,        -1,          NA,
         NA,       1,           57.736416, -152.502085, NOW1 - 4768, NOW1 - 4800, NULL},
        {"afead2",
         "mode_s",
         NULL,
         NULL,
         "B762",
         NULL,
         1,
         1364,
         0,
         NA,
         NA,
         -1,
         -1,
         NA,
         NA,
         2,
         62.949437,
         -147.694441,
         NOW1 - 981286,
         NOW1 - 900,
         NULL},
        {"af8403", "mlat", NULL,      NULL,      "B762",      NULL,       1,
         3263,     0,      29000,     NA,        187,         60,         NA,
         NA,       1,      24.710398, 54.904557, NOW1 - 1218, NOW1 - 500, NULL},
        {"c2b82d", "mode_s", NULL, NULL, "B412", NULL, 1, -1,           0,   GROUND, NA, -1,
         -1,       NA,       NA,   0,    0,      0,    0, NOW1 - 32100, NULL},
        {"adf991",   "adsb_icao_nt",
         "11111111", NULL,
         NULL,       NULL,
         1,          5555,
         0xC3,       GROUND,
         NA,         0,
         -1,         NA,
         NA,         0,
         0,          0,
         0,          NOW1 - 400,
         NULL},
        {"ae11f8", "mlat", "SAM582",  NULL,     "B737",      NULL,       1,
         1436,     0,      33000,     NA,       446,         123.05,     NA,
         NA,       1,      47.854673, 21.46893, NOW1 - 2035, NOW1 - 800, NULL},
        {"400006",   "adsb_icao_nt",
         "TEST1234", NULL,
         "TWR",      NULL,
         1,          -1,
         0xC0,       NA,
         NA,         -1,
         -1,         NA,
         NA,         0,
         0,          0,
         0,          NOW1 - 1800,
         NULL},
        {"ae68a3", "mode_s", NULL, NULL, "P8 ?", NULL, 1, 4410, 0,           21000, NA,
         -1,       -1,       NA,   NA,   0,      0,    0, 0,    NOW1 - 1800, NULL},
        {"ae0427", "mlat", NULL,      NULL,       "K35R",      NULL,       1,
         3254,     0,      36000,     NA,         227,         245,        NA,
         NA,       1,      37.889678, -123.35869, NOW1 - 1582, NOW1 - 500, NULL},
    };
    size_t len;
    char *buf = slurp(file, &len);
    CHECK(buf != NULL, "read %s", file);
    if (!buf)
        return;
    struct got g = {0};
    struct snapshot_doc doc;
    CHECK_EQ_INT(snapshot_parse(buf, len, SNAPSHOT_WANT_JSON, &doc, collect, &g), ORBAT_OK,
                 "adsb.lol v2 parses");
    CHECK_EQ_INT(doc.layout, SNAPSHOT_V2_API, "layout v2");
    CHECK_EQ_STR(snapshot_layout_name(doc.layout), "v2", "layout name");
    CHECK_EQ_INT(doc.now_ms, NOW1, "now ms");
    CHECK(doc.now_was_ms, "now in ms");
    CHECK(doc.has_ctime && doc.ctime_ms == NOW1, "ctime");
    CHECK_EQ_INT(doc.n_ac, 13, "13 entries");
    CHECK_EQ_INT(doc.n_done, 13, "13 delivered");
    CHECK_EQ_INT(doc.n_bad, 0, "none bad");
    CHECK_EQ_INT(g.n, 13, "13 callbacks");
    for (size_t i = 0; i < g.n && i < 13; i++)
        check_ac(file, i, &g.ac[i], &w[i]);
    check_json(buf, len, "ac", &g);
    CHECK_EQ_STR(g.json[1],
                 "{\"hex\":\"ae63be\",\"type\":\"mlat\",\"flight\":\"        \",\"t\":\"B762\","
                 "\"dbFlags\":1,\"alt_baro\":30025,\"squawk\":\"3262\",\"lat\":24.564209,"
                 "\"lon\":54.437932,\"seen_pos\":1.835,\"seen\":0.5}",
                 "compact text: keys in order, reals as written");
    got_free(&g);

    // without SNAPSHOT_WANT_JSON no text; the callback can stop the walk
    g.stop_after = 3;
    CHECK_EQ_INT(snapshot_parse(buf, len, 0, &doc, collect, &g), ORBAT_OK, "stop after 3");
    CHECK(g.n == 3 && doc.n_done == 3 && g.json[0] == NULL, "3 delivered, no JSON text");
    got_free(&g);
    free(buf);
}

#define NOW2 1698594103623LL

static void test_adsbx(void)
{
    static const char *file = "adsbx_v2_response_flight-react.json";
    const struct want w[] = {
        {"a800d3", "adsr_icao", "N6146Q",  "N6146Q",   "C152",     "CESSNA 152", -1,
         460,      0xA1,        1700,      1750,       102.9,      212.3,        128,
         NA,       1,           43.029877, -89.117772, NOW2 - 860, NOW2 - 600,   NULL},
        {"a2dac0", "adsb_icao", "N283SR",  "N283SR",   "SR22",    "CIRRUS SR-22", -1,
         4053,     0xA1,        20200,     19925,      131.8,     311.31,         NA,
         -64,      1,           44.076357, -90.260991, NOW2 - 46, NOW2,           NULL},
        {"a97172", "adsb_icao", "N70739",  "N70739",   "C152",     "CESSNA 152", -1,
         1200,     0xA1,        3400,      3350,       90.6,       316.79,       NA,
         64,       1,           43.202897, -89.639544, NOW2 - 192, NOW2 - 200,   NULL},
        {"a6aba5",
         "mode_s",
         NULL,
         "N529PC",
         "C25A",
         "CESSNA 525A Citation CJ2",
         -1,
         -1,
         0,
         GROUND,
         NA,
         -1,
         -1,
         NA,
         NA,
         2,
         43.140358,
         -89.332022,
         NOW2 - 150900963,
         NOW2 - 42500,
         NULL},
    };
    size_t len;
    char *buf = slurp(file, &len);
    CHECK(buf != NULL, "read %s", file);
    if (!buf)
        return;
    struct got g = {0};
    struct snapshot_doc doc;
    CHECK_EQ_INT(snapshot_parse(buf, len, SNAPSHOT_WANT_JSON, &doc, collect, &g), ORBAT_OK,
                 "ADS-B Exchange v2 parses");
    CHECK(doc.layout == SNAPSHOT_V2_API && doc.now_ms == NOW2 && doc.has_ctime &&
              doc.ctime_ms == NOW2,
          "ADSBX doc: v2, now, ctime");
    CHECK_EQ_INT(g.n, 4, "4 aircraft");
    for (size_t i = 0; i < g.n && i < 4; i++)
        check_ac(file, i, &g.ac[i], &w[i]);
    check_json(buf, len, "ac", &g);
    got_free(&g);
    free(buf);
}

static int run(const char *doc_text, struct snapshot_doc *doc, struct got *g)
{
    got_free(g);
    return snapshot_parse(doc_text, strlen(doc_text), SNAPSHOT_WANT_JSON, doc, collect, g);
}

static void test_aircraft_json(void)
{
    // readsb aircraft.json: "now" in seconds with a fraction
    static const char doc_text[] =
        "{ \"now\" : 1759276800.5,\n  \"messages\" : 123456,\n  \"aircraft\" : [\n"
        "    {\"hex\":\"~2d1a2b\",\"type\":\"tisb_other\",\"flight\":\"  ABC12 \","
        "\"alt_baro\":\"ground\",\"lat\":51.5,\"lon\":-0.25,\"seen_pos\":12.25,\"seen\":1},\n"
        "    {\"hex\":\"43C6F1\",\"type\":\"adsb_icao\",\"r\":\"ZZ336\",\"t\":\"A332\","
        "\"ownOp\":\"Royal Air Force\",\"dbFlags\":3,\"squawk\":\"7700\",\"category\":\"A5\","
        "\"alt_baro\":-250,\"alt_geom\":37012.6,\"baro_rate\":-1216,\"geom_rate\":-1184.4,"
        "\"gs\":455.25,\"track\":359.99,\"lat\":-33.9,\"lon\":151.2,\"seen\":0.1},\n"
        "    {\"hex\":\"abc\"},\n"
        "    [1,2],\n"
        "    "
        "{\"hex\":\"a12345\",\"flight\":\"@@@@@@@@\",\"lastPosition\":{\"lat\":10,\"lon\":20}},\n"
        "    {\"hex\":\"a12346\",\"lat\":91,\"lon\":0,\"lastPosition\":{\"lat\":1,\"lon\":2,"
        "\"seen_pos\":70}},\n"
        "    {\"hex\":\"a12347\",\"squawk\":\"7780\",\"category\":\"E1\",\"dbFlags\":-1,"
        "\"gs\":-5,\"track\":400,\"alt_baro\":\"high\",\"lat\":\"1\",\"lon\":2,"
        "\"flight\":12,\"t\":null}\n"
        "  ]\n}\n";
    struct got g = {0};
    struct snapshot_doc doc;
    CHECK_EQ_INT(run(doc_text, &doc, &g), ORBAT_OK, "aircraft.json parses");
    CHECK_EQ_INT(doc.layout, SNAPSHOT_AIRCRAFT_JSON, "layout aircraft.json");
    CHECK_EQ_STR(snapshot_layout_name(doc.layout), "aircraft.json", "layout name");
    CHECK(!doc.now_was_ms && doc.now_ms == 1759276800500LL, "now seconds -> ms");
    CHECK(!doc.has_ctime, "no ctime");
    CHECK(doc.n_ac == 7 && doc.n_done == 5 && doc.n_bad == 2, "7 entries, 5 done, 2 bad (%u %u %u)",
          doc.n_ac, doc.n_done, doc.n_bad);
    const int64_t now = 1759276800500LL;
    const struct want w[] = {
        {"~2d1a2b", "tisb_other", "ABC12",     NULL,       NULL, NULL, -1, -1,
         0,         GROUND,       NA,          -1,         -1,   NA,   NA, 1,
         51.5,      -0.25,        now - 12250, now - 1000, NULL},
        {"43c6f1", "adsb_icao", NULL,  "ZZ336", "A332", NULL,      3,
         7700,     0xA5,        -250,  37013,   455.25, 359.99,    -1216,
         -1184,    1,           -33.9, 151.2,   now,    now - 100, "Royal Air Force"},
        {"a12345", NULL, NULL, NULL, NULL, NULL, -1, -1, 0,  NA,  NA,
         -1,       -1,   NA,   NA,   0,    0,    0,  0,  -1, NULL},
        {"a12346", NULL, NULL, NULL, NULL, NULL, -1, -1,          0,  NA,  NA,
         -1,       -1,   NA,   NA,   2,    1,    2,  now - 70000, -1, NULL},
        {"a12347", NULL, NULL, NULL, NULL, NULL, -1, -1, 0,  NA,  NA,
         -1,       -1,   NA,   NA,   0,    0,    0,  0,  -1, NULL},
    };
    static const size_t idx[] = {0, 1, 4, 5, 6};
    for (size_t i = 0; i < g.n && i < 5; i++) {
        CHECK_EQ_INT(g.ac[i].index, idx[i], "index counts skipped entries");
        g.ac[i].index = (uint32_t)i; // check_ac compares with i
        check_ac("aircraft.json", i, &g.ac[i], &w[i]);
    }
    CHECK(g.ac[1].has_geom_rate && g.ac[1].geom_rate_fpm == -1184, "geom_rate rounded");
    for (size_t i = 0; i < g.n; i++)
        g.ac[i].index = (uint32_t)idx[i];
    check_json(doc_text, strlen(doc_text), "aircraft", &g);
    got_free(&g);
}

static void test_errors(void)
{
    struct got g = {0};
    struct snapshot_doc doc;
    static const struct {
        const char *text;
        int rc;
        const char *what;
    } t[] = {
        {"", ORBAT_E_FORMAT, "empty"},
        {"{\"now\":1,\"ac\":[", ORBAT_E_FORMAT, "truncated"},
        {"{\"now\":1,\"ac\":[]}x", ORBAT_E_FORMAT, "trailing junk"},
        {"[1,2]", ORBAT_E_FORMAT, "array document"},
        {"{\"now\":1700000000}", ORBAT_E_FORMAT, "no aircraft array"},
        {"{\"now\":1700000000,\"ac\":{}}", ORBAT_E_FORMAT, "ac not an array"},
        {"{\"ac\":[]}", ORBAT_E_FORMAT, "no now"},
        {"{\"now\":\"1700000000\",\"ac\":[]}", ORBAT_E_FORMAT, "now a string"},
        {"{\"now\":1e19,\"ac\":[{\"hex\":\"ae1460\",\"lat\":1,\"lon\":1,\"seen_pos\":1}]}",
         ORBAT_E_RANGE, "now 1e19"},
        {"{\"now\":10000000000000000001.5,\"aircraft\":[]}", ORBAT_E_RANGE,
         "now 1e19 (readsb crash)"},
        {"{\"now\":1e308,\"aircraft\":[]}", ORBAT_E_RANGE, "now 1e308"},
        {"{\"now\":1e400,\"aircraft\":[]}", ORBAT_E_FORMAT, "now 1e400 (not a double)"},
        {"{\"now\":-1,\"aircraft\":[]}", ORBAT_E_RANGE, "now negative"},
        {"{\"now\":7258118400001,\"aircraft\":[]}", ORBAT_E_RANGE, "now after 2200 (ms)"},
        {"{\"now\":7258118401,\"aircraft\":[]}", ORBAT_E_RANGE, "now after 2200 (s)"},
        {"{\"now\":99999999999,\"aircraft\":[]}", ORBAT_E_RANGE, "now 1e11-1 s"},
        {"{\"now\":NaN,\"aircraft\":[]}", ORBAT_E_FORMAT, "NaN is not JSON"},
        {"{\"now\":7258118400000,\"aircraft\":[]}", ORBAT_OK, "now 2200 ms"},
        {"{\"now\":0,\"aircraft\":[]}", ORBAT_OK, "now 1970"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        CHECK_EQ_INT(run(t[i].text, &doc, &g), t[i].rc, t[i].what);
    CHECK_EQ_INT(g.n, 0, "no callback from a rejected document");

    // values that would overflow become missing fields
    static const char big[] =
        "{\"now\":1700000000000,\"ac\":[{\"hex\":\"abcdef\",\"alt_baro\":1e300,\"alt_geom\":-3e9,"
        "\"baro_rate\":1e19,\"geom_rate\":-1e19,\"gs\":1e308,\"track\":-1e-300,"
        "\"dbFlags\":4294967296,\"lat\":1e300,\"lon\":0,\"seen_pos\":1,\"seen\":1e300,"
        "\"lastPosition\":{\"lat\":1,\"lon\":1,\"seen_pos\":1e300}},"
        "{\"hex\":\"abcdee\",\"lat\":1,\"lon\":1,\"seen_pos\":-1,\"seen\":-0.5,"
        "\"dbFlags\":4294967295},"
        "{\"hex\":\"abcded\",\"lat\":1,\"lon\":1,\"seen\":1000000000}]}";
    CHECK_EQ_INT(run(big, &doc, &g), ORBAT_OK, "huge values parse");
    CHECK_EQ_INT(g.n, 3, "three aircraft");
    const struct snapshot_ac *a = &g.ac[0];
    CHECK(!a->has_alt_baro && !a->ground && !a->has_alt_geom && !a->has_baro_rate &&
              !a->has_geom_rate && !a->has_gs && !a->has_track && !a->has_dbflags && !a->has_pos &&
              !a->has_seen,
          "overflowing values are missing");
    CHECK(!g.ac[1].has_pos && !g.ac[1].has_seen, "negative ages: no position, no seen");
    CHECK(g.ac[1].has_dbflags && g.ac[1].dbflags == 4294967295u, "dbFlags 2^32-1");
    CHECK(g.ac[2].has_pos && g.ac[2].t_ms == 1700000000000LL, "no seen_pos: position at now");
    CHECK(g.ac[2].has_seen && g.ac[2].t_seen_ms == 1700000000000LL - 1000000000000LL,
          "seen 1e9 s accepted");

    // hex forms
    static const char hx[] =
        "{\"now\":1700000000,\"aircraft\":[{\"hex\":\"~\"},{\"hex\":\"~abcdefa\"},{\"hex\":1},"
        "{\"hex\":\"ABCDEF\"},{\"hex\":\"~000001\"},{\"hex\":\"abcdeg\"},{}]}";
    CHECK_EQ_INT(run(hx, &doc, &g), ORBAT_OK, "hex forms");
    CHECK(g.n == 2 && doc.n_bad == 5, "2 valid hex of 7 (%zu, %u)", g.n, doc.n_bad);
    CHECK(g.n == 2 && g.ac[0].hex == 0xabcdef && !g.ac[0].non_icao && g.ac[1].hex == 1 &&
              g.ac[1].non_icao && g.ac[1].index == 4,
          "upper-case hex and ~000001");
    got_free(&g);

    char *many = malloc(SNAPSHOT_MAX_BYTES + 1u);
    if (many) {
        CHECK_EQ_INT(snapshot_parse(many, SNAPSHOT_MAX_BYTES + 1u, 0, &doc, collect, &g),
                     ORBAT_E_TOOLONG, "over the size cap");
        free(many);
    }
}

int main(void)
{
    test_adsblol();
    test_adsbx();
    test_aircraft_json();
    test_errors();
    return check_exit();
}
