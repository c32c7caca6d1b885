/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_trace.c - the readsb trace parser (include/orbat/trace.h) against
 * the shared samples in ../shared/testdata/archives/: both examples of
 * readsb's README-json.md (9-field and 14-field layouts, every field
 * checked against the file's text) and the adsb.lol globe_history layout
 * mock (gzip named .json, inflated here with zlib); hand-made variants
 * ("ground"/null, '~' addresses, keys in odd order, escapes, unknown keys);
 * malformed documents and every cut of a sample (exact-size heap copies,
 * so ASan sees any read past len); peek_header on every prefix; the number
 * reader (json_num.h) against strtod on boundaries and millions of random
 * values; and a callback that stops early.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "check.h"
#include "decode/common/json_num.h"
#include "orbat/trace.h"

static const char *shared_dir(void)
{
    const char *s = getenv("SHARED");
    return s && *s ? s : "../shared";
}

static char *read_file(const char *rel, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/testdata/archives/%s", shared_dir(), rel);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0, r;
    char *b = malloc(cap);
    while (b && (r = fread(b + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            char *nb = realloc(b, cap *= 2);
            if (!nb) {
                free(b);
                b = NULL;
            }
            b = nb;
        }
    }
    fclose(f);
    *len = n;
    return b;
}

// A gzip file inflated with zlib (gzread also passes plain files through).
static char *read_gz(const char *rel, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/testdata/archives/%s", shared_dir(), rel);
    gzFile g = gzopen(path, "rb");
    if (!g)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    int r;
    while (b && (r = gzread(g, b + n, (unsigned)(cap - n))) > 0) {
        n += (size_t)r;
        if (n == cap) {
            char *nb = realloc(b, cap *= 2);
            if (!nb)
                free(b);
            b = nb;
        }
    }
    gzclose(g);
    *len = n;
    return b;
}

#define MAXP 64
struct collect {
    struct orbat_trace_point p[MAXP];
    int n;
    int stop_after; // 0: never
    const char *buf, *end;
    int text_ok; // every text lies inside the buffer and is "[...]"
};

static int collect_cb(void *ctx, const struct orbat_trace_point *p)
{
    struct collect *c = ctx;
    if (p->text < c->buf || p->text + p->text_len > c->end || p->text_len < 2 ||
        p->text[0] != '[' || p->text[p->text_len - 1] != ']')
        c->text_ok = 0;
    if (c->n < MAXP)
        c->p[c->n] = *p;
    c->n++;
    return c->stop_after && c->n >= c->stop_after;
}

// Parses doc[0..len) from an exact-size heap copy.
static int parse_copy(const char *doc, size_t len, struct orbat_trace_hdr *h, struct collect *c,
                      uint32_t *bad)
{
    char *b = malloc(len ? len : 1);
    memcpy(b, doc, len);
    c->n = 0;
    c->buf = b;
    c->end = b + len;
    c->text_ok = 1;
    int r = orbat_trace_parse(b, len, h, collect_cb, c, bad);
    // texts are borrowed: rebase them onto doc before the copy goes
    for (int i = 0; i < c->n && i < MAXP; i++)
        c->p[i].text = doc + (c->p[i].text - b);
    free(b);
    return r;
}

static int parse_str(const char *doc, struct orbat_trace_hdr *h, struct collect *c, uint32_t *bad)
{
    return parse_copy(doc, strlen(doc), h, c, bad);
}

/* ---- the README's 9-field example ---- */

struct exp9 {
    double dt, lat, lon;
    int alt;
    double gs, track;
    unsigned flags;
    int vrate;
    int obj;
    const char *flight;
    int squawk; // -1: none
    uint8_t category;
};

static const struct exp9 ex9[] = {
    {0.0, 30.404617, -86.476566, -300, 0.7, 0.0, 1, 0, 1, "YV3382", 1604, 0xA1},
    {95.1, 30.404617, -86.476575, -300, 0.7, 0.0, 0, 0, 0, "", -1, 0},
    {136.3, 30.404617, -86.476575, -300, 0.7, 0.0, 0, 0, 0, "", -1, 0},
    {162.3, 30.404846, -86.476782, -300, 0.7, 0.0, 1, 0, 0, "", -1, 0},
    {254.4, 30.375614, -86.448889, 525, 37.8, 142.5, 1, 64, 1, "", -1, 0xA1},
    {303.2, 30.347078, -86.418896, 1275, 171.9, 136.7, 1, 448, 0, "", -1, 0},
    {327.0, 30.332932, -86.403647, 1900, 171.9, 137.1, 1, 1664, 0, "", -1, 0},
};

static void test_example9(void)
{
    size_t len;
    char *doc = read_file("readsb_traces/trace_full_0d8300_readsb_doc_example_9field.json", &len);
    CHECK(doc != NULL, "9-field example readable (SHARED=%s)", shared_dir());
    if (!doc)
        return;
    struct orbat_trace_hdr h;
    static struct collect c;
    uint32_t bad = 99;
    int r = parse_copy(doc, len, &h, &c, &bad);
    CHECK_EQ_INT(r, ORBAT_OK, "9-field: parse");
    CHECK_EQ_INT(bad, 0, "9-field: no bad points");
    CHECK(c.text_ok, "9-field: point texts inside the buffer");
    CHECK(h.have_icao && h.icao == 0x0d8300 && !h.non_icao, "9-field: icao 0d8300 (%06x)", h.icao);
    CHECK_EQ_STR(h.r, "YV3382", "9-field: r");
    CHECK_EQ_STR(h.t, "LJ31", "9-field: t");
    CHECK_EQ_STR(h.desc, "Bombardier Learjet 31 A", "9-field: desc");
    CHECK_EQ_STR(h.ownop, "", "9-field: no ownOp");
    CHECK(!h.have_dbflags, "9-field: no dbFlags");
    CHECK(h.have_timestamp && h.timestamp == 1609275898.495, "9-field: timestamp (%.3f)",
          h.timestamp);
    CHECK_EQ_INT(h.year, 0, "9-field: no year");
    CHECK(!h.simulated, "9-field: not simulated");
    CHECK_EQ_INT(c.n, 7, "9-field: 7 points");
    for (int i = 0; i < 7 && i < c.n; i++) {
        const struct orbat_trace_point *p = &c.p[i];
        const struct exp9 *e = &ex9[i];
        CHECK_EQ_INT(p->index, i, "9-field: index");
        CHECK(p->dt == e->dt && p->lat == e->lat && p->lon == e->lon,
              "9-field[%d]: dt lat lon (%.2f %f %f)", i, p->dt, p->lat, p->lon);
        CHECK(p->has_alt && !p->ground && p->alt_ft == e->alt, "9-field[%d]: alt %d", i,
              (int)p->alt_ft);
        CHECK(p->has_gs && p->gs_kt == e->gs, "9-field[%d]: gs %.1f", i, p->gs_kt);
        CHECK(p->has_track && p->track_deg == e->track, "9-field[%d]: track %.1f", i, p->track_deg);
        CHECK_EQ_INT(p->flags, e->flags, "9-field: flags");
        CHECK(p->has_vrate && p->vrate_fpm == e->vrate, "9-field[%d]: vrate %d", i,
              (int)p->vrate_fpm);
        CHECK_EQ_INT(p->has_obj, e->obj, "9-field: aircraft object");
        CHECK_EQ_STR(p->flight, e->flight, "9-field: flight");
        CHECK(e->squawk < 0 ? !p->has_squawk : p->has_squawk && p->squawk == e->squawk,
              "9-field[%d]: squawk %d", i, p->has_squawk ? p->squawk : -1);
        CHECK_EQ_INT(p->category, e->category, "9-field: category");
        CHECK(p->src_type[0] == 0 && !p->has_alt_geom && !p->has_geom_vrate && !p->has_ias &&
                  !p->has_roll,
              "9-field[%d]: no fields past [8]", i);
    }
    // the point text of [1] is its exact JSON
    if (c.n > 1)
        CHECK(c.p[1].text_len == strlen("[95.1,30.404617,-86.476575,-300,0.7,0.0,0,0,null]") &&
                  memcmp(c.p[1].text, "[95.1,30.404617,-86.476575,-300,0.7,0.0,0,0,null]",
                         c.p[1].text_len) == 0,
              "9-field: point text borrowed verbatim");
    free(doc);
}

/* ---- the README's 14-field example (also the globe_history mock) ---- */

struct exp14 {
    double dt, lat, lon;
    int alt;
    double gs, track;
    int vrate;
    int obj;
    int alt_geom, geom_rate;
    double ias, roll;
};

static const struct exp14 ex14[] = {
    {7016.59, 49.263300, 10.614239, 25125, 446.5, 309.0, -2176, 1, 25875, -2208, 335, -10.7},
    {7024.85, 49.273589, 10.593278, 24825, 446.0, 306.6, -2176, 0, 25550, -2144, 337, -1.6},
    {7035.67, 49.286865, 10.565890, 24425, 446.8, 306.5, -2176, 0, 25150, -2144, 339, 0.3},
    {7046.71, 49.300403, 10.537985, 24025, 446.8, 306.5, -2176, 0, 24775, -2176, 341, 0.3},
    {7057.80, 49.314042, 10.509941, 23625, 445.2, 306.7, -2176, 1, 24325, -2176, 339, 0.2},
    {7068.82, 49.327469, 10.482225, 23250, 443.2, 306.6, -2112, 0, 23925, -2144, 340, 0.2},
    {7080.53, 49.341694, 10.452841, 22875, 441.2, 306.4, -1728, 0, 23550, -1728, 341, -0.2},
};

static void check14(const char *doc, size_t len, const char *what)
{
    struct orbat_trace_hdr h;
    static struct collect c;
    uint32_t bad = 99;
    int r = parse_copy(doc, len, &h, &c, &bad);
    CHECK_EQ_INT(r, ORBAT_OK, what);
    CHECK_EQ_INT(bad, 0, "14-field: no bad points");
    CHECK(c.text_ok, "%s: point texts inside the buffer", what);
    CHECK(h.have_icao && h.icao == 0x3c66b0 && !h.non_icao, "%s: icao 3c66b0", what);
    CHECK_EQ_STR(h.r, "D-AIUP", "14-field: r");
    CHECK_EQ_STR(h.t, "A320", "14-field: t");
    CHECK_EQ_STR(h.desc, "AIRBUS A-320", "14-field: desc");
    CHECK(h.have_dbflags && h.dbflags == 0, "%s: dbFlags 0", what);
    CHECK(h.have_timestamp && h.timestamp == 1663259853.016, "%s: timestamp", what);
    CHECK_EQ_INT(c.n, 7, "14-field: 7 points");
    for (int i = 0; i < 7 && i < c.n; i++) {
        const struct orbat_trace_point *p = &c.p[i];
        const struct exp14 *e = &ex14[i];
        CHECK_EQ_INT(p->index, i, "14-field: index");
        CHECK(p->dt == e->dt && p->lat == e->lat && p->lon == e->lon,
              "%s[%d]: dt lat lon (%.2f %f %f)", what, i, p->dt, p->lat, p->lon);
        CHECK(p->has_alt && !p->ground && p->alt_ft == e->alt, "%s[%d]: alt", what, i);
        CHECK(p->has_gs && p->gs_kt == e->gs, "%s[%d]: gs", what, i);
        CHECK(p->has_track && p->track_deg == e->track, "%s[%d]: track", what, i);
        CHECK_EQ_INT(p->flags, 0, "14-field: flags");
        CHECK(p->has_vrate && p->vrate_fpm == e->vrate, "%s[%d]: vrate", what, i);
        CHECK_EQ_INT(p->has_obj, e->obj, "14-field: aircraft object");
        CHECK_EQ_STR(p->flight, e->obj ? "DLH7YA" : "", "14-field: flight (trimmed)");
        CHECK(e->obj ? p->has_squawk && p->squawk == 1000 : !p->has_squawk, "%s[%d]: squawk", what,
              i);
        CHECK_EQ_INT(p->category, e->obj ? 0xA3 : 0, "14-field: category");
        CHECK_EQ_STR(p->src_type, "adsb_icao", "14-field: src_type");
        CHECK(p->has_alt_geom && p->alt_geom_ft == e->alt_geom, "%s[%d]: alt_geom %d", what, i,
              (int)p->alt_geom_ft);
        CHECK(p->has_geom_vrate && p->geom_vrate_fpm == e->geom_rate, "%s[%d]: geom vrate", what,
              i);
        CHECK(p->has_ias && p->ias_kt == e->ias, "%s[%d]: ias", what, i);
        CHECK(p->has_roll && p->roll_deg == e->roll, "%s[%d]: roll %.1f", what, i, p->roll_deg);
    }
}

static void test_example14(void)
{
    size_t len;
    char *doc = read_file("readsb_traces/trace_full_3c66b0_readsb_doc_example_14field.json", &len);
    CHECK(doc != NULL, "14-field example readable");
    if (doc)
        check14(doc, len, "14-field example");
    free(doc);
    char *gz =
        read_file("adsblol_globe_history/layout_mock/traces/b0/trace_full_3c66b0.json", &len);
    CHECK(gz && len > 2 && (unsigned char)gz[0] == 0x1f && (unsigned char)gz[1] == 0x8b,
          "globe_history mock is gzip although named .json");
    free(gz);
    doc = read_gz("adsblol_globe_history/layout_mock/traces/b0/trace_full_3c66b0.json", &len);
    CHECK(doc != NULL, "globe_history mock inflated");
    if (doc)
        check14(doc, len, "globe_history mock");
    free(doc);
}

/* ---- hand-made variants ---- */

static void test_variants(void)
{
    struct orbat_trace_hdr h;
    static struct collect c;
    uint32_t bad;
    // trace before timestamp, '~' address, "ground", nulls, escapes,
    // unknown keys of every type, whitespace everywhere, a 15th field
    const char *doc =
        " \n{ \"trace\" : [ [ 1.5 , -33.5 , 151.25 , \"ground\" , 3.2 , 270.0 , 2 , null , null ,"
        " \"adsb_icao\" , null , null , null , null , \"8f3a2b1c\" ] ,\n"
        "\t[2,0,0,null,null,null,12,-64,{\"fl\\u0069ght\":\"QF\\u00e91\\\"\\\\ \",\"squawk\":"
        "\"7700\",\"category\":\"B2\",\"nested\":{\"a\":[1,{\"b\":[true,false,null]}]},"
        "\"alt_geom\":1e3},\"mlat\",-125,-64.0,250,12.5],\r\n"
        "[3,90,-180,null,null,null,8,null,{},null] ],"
        "\"noRegData\":true,\"icao\":\"~a0b1C2\",\"misc\":[{},[],\"x\",-0.5e-3,null],"
        "\"r\":\"N\\/A \\u0041\",\"t\":\"B\\tC\",\"desc\":\"caf\\u00e9 \\ud83d\\ude00\","
        "\"ownOp\":\"  Op  \",\"year\":\"1998\",\"dbFlags\":9,\"orbat_simulated\":true,"
        "\"timestamp\":1.7e9 }\n ";
    int r = parse_str(doc, &h, &c, &bad);
    CHECK_EQ_INT(r, ORBAT_OK, "variants: parse");
    CHECK_EQ_INT(bad, 0, "variants: no bad points");
    CHECK_EQ_INT(c.n, 3, "variants: 3 points");
    CHECK(h.have_icao && h.non_icao && h.icao == 0xa0b1c2, "variants: '~' address (%06x)", h.icao);
    CHECK(h.have_timestamp && h.timestamp == 1.7e9, "variants: timestamp after trace");
    CHECK_EQ_STR(h.r, "N/A A", "variants: r with \\/ and \\u0041");
    CHECK_EQ_STR(h.t, "B C", "variants: \\t decoded as a space");
    CHECK_EQ_STR(h.desc, "caf\xc3\xa9 \xf0\x9f\x98\x80", "variants: desc \\u00e9 and a pair");
    CHECK_EQ_STR(h.ownop, "Op", "variants: ownOp trimmed");
    CHECK_EQ_INT(h.year, 1998, "variants: year string");
    CHECK(h.have_dbflags && h.dbflags == (ORBAT_TRACE_DB_MILITARY | ORBAT_TRACE_DB_LADD),
          "variants: dbFlags 9");
    CHECK(h.simulated, "variants: orbat_simulated");
    if (c.n == 3) {
        const struct orbat_trace_point *p = &c.p[0];
        CHECK(p->ground && !p->has_alt && p->dt == 1.5 && p->lat == -33.5 && p->lon == 151.25,
              "variants[0]: ground");
        CHECK(p->has_gs && p->gs_kt == 3.2 && p->has_track && p->track_deg == 270.0 &&
                  !p->has_vrate && p->flags == ORBAT_TRACE_F_NEW_LEG && !p->has_obj,
              "variants[0]: gs track flags, null vrate and object");
        CHECK_EQ_STR(p->src_type, "adsb_icao", "variants[0]: src_type");
        CHECK(!p->has_alt_geom && !p->has_geom_vrate && !p->has_ias && !p->has_roll,
              "variants[0]: nulls in [10]..[13]");
        p = &c.p[1];
        CHECK(!p->ground && !p->has_alt && !p->has_gs && !p->has_track && p->has_vrate &&
                  p->vrate_fpm == -64 &&
                  p->flags == (ORBAT_TRACE_F_GEOM_VR | ORBAT_TRACE_F_GEOM_ALT),
              "variants[1]: null alt gs track, flags 12");
        CHECK(p->has_obj, "variants[1]: object");
        CHECK_EQ_STR(p->flight,
                     "QF\xc3\xa9"
                     "1\"\\",
                     "variants[1]: escaped key and flight");
        CHECK(p->has_squawk && p->squawk == 7700, "variants[1]: squawk 7700");
        CHECK_EQ_INT(p->category, 0xB2, "variants[1]: category B2");
        CHECK_EQ_STR(p->src_type, "mlat", "variants[1]: src mlat");
        CHECK(p->has_alt_geom && p->alt_geom_ft == -125 && p->geom_vrate_fpm == -64 &&
                  p->ias_kt == 250 && p->roll_deg == 12.5,
              "variants[1]: [10]..[13]");
        p = &c.p[2];
        CHECK(p->lat == 90 && p->lon == -180 && p->has_obj && p->flight[0] == 0 && !p->has_squawk &&
                  p->category == 0 && p->flags == 8,
              "variants[2]: bounds, empty object, 10 fields");
    }

    // bad points: skipped, counted, indices keep counting
    const char *bp = "{\"trace\":[[1,2,3,4,5,6,7],[1,91,0,0,0,0,0,0],[1,0,\"x\",0,0,0,0,0],"
                     "[1,0,181,0,0,0,0,0],7,null,{\"a\":1},[1,0,0,\"air\",0,0,0,0],"
                     "[1,0,0,0,0,0,0.5,0],[1,0,0,0,0,0,-1,0],[1,0,0,1e10,0,0,0,0],"
                     "[null,0,0,0,0,0,0,0],[1,0,0,0,0,0,0,0,[]],[1,0,0,0,0,0,0,0,null,5],"
                     "[],[9,1,2,null,null,null,0,null]],\"icao\":\"zz\"}";
    // (found by fuzz_trace: a 10-digit integer overflowed the int fast path)
    r = parse_str(bp, &h, &c, &bad);
    CHECK_EQ_INT(r, ORBAT_OK, "bad points: document still OK");
    CHECK_EQ_INT(bad, 15, "bad points: 15 counted");
    CHECK(c.n == 1 && c.p[0].index == 15 && c.p[0].dt == 9, "bad points: the good one delivered"
                                                            " with index 15");
    CHECK(!h.have_icao, "bad icao \"zz\" not taken");
    const char *big = "{\"trace\":[[0,2,3,4,5,6,7769813486,0],[0,2,3,9999999999,5,6,0,0],"
                      "[0,2,3,-2147483648,5,6,4294967295,2147483647,null,null,-999999999]]}";
    r = parse_str(big, &h, &c, &bad);
    CHECK(r == ORBAT_OK && bad == 2 && c.n == 1 && c.p[0].alt_ft == INT32_MIN &&
              c.p[0].flags == 4294967295u && c.p[0].vrate_fpm == INT32_MAX &&
              c.p[0].alt_geom_ft == -999999999,
          "10-digit integers: out of range ones bad, int32 bounds kept (r=%d bad=%u n=%d)", r, bad,
          c.n);

    const char *odd = "{\"icao\":\"3C66B0\",\"timestamp\":5,\"icao\":7,\"trace\":[],\"r\":null,"
                      "\"t\":[\"A320\"],\"dbFlags\":-1,\"year\":2001,\"orbat_simulated\":false}";
    r = parse_str(odd, &h, &c, &bad);
    CHECK(r == ORBAT_OK && c.n == 0 && h.have_icao && h.icao == 0x3c66b0 && h.r[0] == 0 &&
              h.t[0] == 0 && !h.have_dbflags && h.year == 2001 && !h.simulated,
          "wrong-typed header values skipped (r=%d)", r);

    // long strings cut at a UTF-8 boundary
    const char *lng = "{\"trace\":[],\"r\":\"ABCDEFGHIJKLMN\xc3\xa9XYZ\",\"t\":\"\\u00e9\\u00e9"
                      "\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\"}";
    r = parse_str(lng, &h, &c, &bad);
    CHECK(r == ORBAT_OK && strcmp(h.r, "ABCDEFGHIJKLMN") == 0,
          "r cut before a 2-byte sequence"
          " (\"%s\")",
          h.r);
    CHECK(strlen(h.t) == 14, "t: 7 of 8 escaped e-acutes fit in 15 bytes (%zu)", strlen(h.t));
}

/* ---- malformed documents ---- */

static void test_malformed(void)
{
    static const struct {
        const char *doc;
        int err;
    } cases[] = {
        {"", ORBAT_E_TRUNCATED},
        {" \n\t ", ORBAT_E_TRUNCATED},
        {"x", ORBAT_E_FORMAT},
        {"[]", ORBAT_E_FORMAT},
        {"{}", ORBAT_E_FORMAT},
        {"{\"trace\":null}", ORBAT_E_FORMAT},
        {"{\"trace\":[]}x", ORBAT_E_FORMAT},
        {"{\"trace\":[]}{}", ORBAT_E_FORMAT},
        {"{\"trace\":[],}", ORBAT_E_FORMAT},
        {"{\"trace\" []}", ORBAT_E_FORMAT},
        {"{trace:[]}", ORBAT_E_FORMAT},
        {"{\"trace\":[01]}", ORBAT_E_FORMAT},
        {"{\"trace\":[[0,1,2,3,4,5,6,7,nul]]}", ORBAT_E_FORMAT},
        {"{\"trace\":[[0,1,2,3,4,5,6,7,nulx]]}", ORBAT_E_FORMAT},
        {"{\"trace\":[[0,1,2,3,4,5,6,7,null,]]}", ORBAT_E_FORMAT},
        {"{\"trace\":[[0,1,2,3,4,5,6,7,{\"a\"}]]}", ORBAT_E_FORMAT},
        {"{\"trace\":[[0,1,2,3,4,5,6,7,{\"a\":1,}]]}", ORBAT_E_FORMAT},
        {"{\"trace\":[[0,1,2,3,4,5,6,7,{\"a\":[1 2]}]]}", ORBAT_E_FORMAT},
        {"{\"trace\":[[0,1.,2,3,4,5,6,7]]}", ORBAT_E_FORMAT},
        {"{\"trace\":[[0,-,2,3,4,5,6,7]]}", ORBAT_E_FORMAT},
        {"{\"trace\":[[0,1e,2,3,4,5,6,7]]}", ORBAT_E_FORMAT},
        {"{\"trace\":[[0,.5,2,3,4,5,6,7]]}", ORBAT_E_FORMAT},
        {"{\"trace\":[[0,+5,2,3,4,5,6,7]]}", ORBAT_E_FORMAT},
        {"{\"trace\":[[0,1,2,3,4,5,6,7]],\"r\":\"a\x01\"}", ORBAT_E_FORMAT},
        {"{\"trace\":[],\"r\":\"\\q\"}", ORBAT_E_FORMAT},
        {"{\"trace\":[],\"r\":\"\\u12G4\"}", ORBAT_E_FORMAT},
        {"{\"trace\":[],\"x\":\"\\u12\"}", ORBAT_E_FORMAT},
        {"{\"trace\":[],\"x\":tru}", ORBAT_E_FORMAT},
        {"{\"trace\":[],\"x\":[}", ORBAT_E_FORMAT},
        {"{\"trace\":[],\"x\":{]}", ORBAT_E_FORMAT},
        {"{\"trace\":[],\"x\":{\"a\":1]}", ORBAT_E_FORMAT},
        {"{\"trace\":[],\"x\":'a'}", ORBAT_E_FORMAT},
        {"{\"trace\":[],\"x\":NaN}", ORBAT_E_FORMAT},
        {"{\"trace\":[", ORBAT_E_TRUNCATED},
        {"{\"trace\":[[0,1,2,3,4,5,6,7,{\"fli", ORBAT_E_TRUNCATED},
        {"{\"trace\":[],\"x\":\"\\u12", ORBAT_E_TRUNCATED},
        {"{\"trace\":[],\"x\":-", ORBAT_E_TRUNCATED},
        {"{\"trace\":[],\"x\":1.5e", ORBAT_E_TRUNCATED},
        {"{\"trace\":[],\"x\":fal", ORBAT_E_TRUNCATED},
    };
    struct orbat_trace_hdr h;
    static struct collect c;
    uint32_t bad;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int r = parse_str(cases[i].doc, &h, &c, &bad);
        char shown[96]; // one line of TAP: control characters shown as '.'
        snprintf(shown, sizeof shown, "%s", cases[i].doc);
        for (char *q = shown; *q; q++)
            if ((unsigned char)*q < 0x20)
                *q = '.';
        CHECK(r == cases[i].err, "malformed %zu: %s -> %s (%s)", i, shown,
              orbat_err_name(cases[i].err), orbat_err_name(r));
    }
    // nesting: 32 levels in all are fine, 33 are not
    char deep[256];
    for (int lv = 31; lv <= 33; lv++) {
        // root object (1) + "x" value of lv-1 arrays
        size_t n = 0;
        n += (size_t)snprintf(deep + n, sizeof deep - n, "{\"trace\":[],\"x\":");
        for (int k = 0; k < lv - 1; k++)
            deep[n++] = '[';
        for (int k = 0; k < lv - 1; k++)
            deep[n++] = ']';
        deep[n++] = '}';
        deep[n] = 0;
        int r = parse_str(deep, &h, &c, &bad);
        CHECK_EQ_INT(r, lv <= 32 ? ORBAT_OK : ORBAT_E_TOOLONG, "nesting depth");
    }
    // in the aircraft object too (root 1, trace 2, point 3, object 4)
    size_t n = (size_t)snprintf(deep, sizeof deep, "{\"trace\":[[0,1,2,3,4,5,6,7,{\"a\":");
    for (int k = 0; k < 29; k++)
        deep[n++] = '[';
    for (int k = 0; k < 29; k++)
        deep[n++] = ']';
    n += (size_t)snprintf(deep + n, sizeof deep - n, "}]]}");
    CHECK_EQ_INT(parse_str(deep, &h, &c, &bad), ORBAT_E_TOOLONG, "33 deep in the aircraft object");
    CHECK_EQ_INT(c.n, 0, "no point from it");
}

/* ---- every cut of a sample; peek on every prefix ---- */

static void cut_test(const char *doc, size_t len, const char *what)
{
    struct orbat_trace_hdr h, full;
    static struct collect c;
    uint32_t bad;
    int r = parse_copy(doc, len, &full, &c, &bad);
    CHECK_EQ_INT(r, ORBAT_OK, "cut sample parses whole");
    int np = c.n < MAXP ? c.n : MAXP;
    size_t ends[MAXP];
    for (int i = 0; i < np; i++)
        ends[i] = (size_t)(c.p[i].text - doc) + c.p[i].text_len;
    size_t last = len;
    while (last > 0 && doc[last - 1] != '}')
        last--;
    int wrong_err = 0, wrong_pts = 0, wrong_stop = 0;
    for (size_t cut = 0; cut < len; cut++) {
        r = parse_copy(doc, cut, &h, &c, &bad);
        int want_err = cut >= last ? ORBAT_OK : ORBAT_E_TRUNCATED;
        int want_n = 0;
        for (int i = 0; i < np; i++)
            want_n += ends[i] <= cut;
        if (r != want_err) {
            if (wrong_err++ < 5)
                printf("# %s cut %zu: %s\n", what, cut, orbat_err_name(r));
        }
        if (c.n != want_n)
            wrong_pts++;
        for (int i = 0; i < c.n && i < MAXP; i++)
            if (c.p[i].text_len != ends[i] - (size_t)(c.p[i].text - doc))
                wrong_pts++;
        // a callback that stops at once: OK whenever a point was reached
        c.stop_after = 1;
        r = parse_copy(doc, cut, &h, &c, &bad);
        c.stop_after = 0;
        if ((want_n > 0 && (r != ORBAT_OK || c.n != 1)) || (want_n == 0 && r != want_err))
            wrong_stop++;
    }
    CHECK_EQ_INT(wrong_err, 0, "every cut: TRUNCATED before the closing brace, OK after");
    CHECK_EQ_INT(wrong_pts, 0, "every cut: exactly the points before the cut delivered");
    CHECK_EQ_INT(wrong_stop, 0, "every cut: a stopping callback gets OK after one point");

    // peek: AGAIN until the "trace" key's closing quote, OK from there
    const char *tk = strstr(doc, "\"trace\"");
    size_t tend = (size_t)(tk - doc) + 7;
    int wrong_peek = 0, wrong_hdr = 0;
    for (size_t cut = 0; cut <= len; cut++) {
        char *b = malloc(cut ? cut : 1);
        memcpy(b, doc, cut);
        r = orbat_trace_peek_header(b, cut, &h);
        free(b);
        if (r != (cut >= tend ? ORBAT_OK : ORBAT_AGAIN))
            wrong_peek++;
        if (cut >= tend && (h.icao != full.icao || strcmp(h.r, full.r) != 0 ||
                            strcmp(h.desc, full.desc) != 0 || h.timestamp != full.timestamp))
            wrong_hdr++;
    }
    CHECK_EQ_INT(wrong_peek, 0, "peek on every prefix: AGAIN until \"trace\", then OK");
    CHECK_EQ_INT(wrong_hdr, 0, "peek: the header before \"trace\" as the full parse has it");
}

static void test_cuts(void)
{
    size_t len;
    char *doc = read_file("readsb_traces/trace_full_3c66b0_readsb_doc_example_14field.json", &len);
    if (doc)
        cut_test(doc, len, "14-field");
    free(doc);
    doc = read_file("readsb_traces/trace_full_0d8300_readsb_doc_example_9field.json", &len);
    if (doc)
        cut_test(doc, len, "9-field");
    free(doc);

    struct orbat_trace_hdr h;
    const char *late = "{\"icao\":\"abc\",\"trace\":[],\"timestamp\":5}";
    CHECK(orbat_trace_peek_header(late, strlen(late), &h) == ORBAT_OK && h.have_icao &&
              h.icao == 0xabc && !h.have_timestamp,
          "peek: keys after trace not read");
    const char *notrace = "{\"icao\":\"abc\"}";
    CHECK_EQ_INT(orbat_trace_peek_header(notrace, strlen(notrace), &h), ORBAT_E_FORMAT,
                 "peek: an object without trace is not a trace document");
    CHECK_EQ_INT(orbat_trace_peek_header("<html>", 6, &h), ORBAT_E_FORMAT, "peek: not JSON");
    const char *partial = "{\"icao\":\"abc\",\"r\":\"N12";
    CHECK(orbat_trace_peek_header(partial, strlen(partial), &h) == ORBAT_AGAIN && h.have_icao &&
              h.r[0] == 0,
          "peek: AGAIN keeps complete values only");
}

/* ---- early stop ---- */

static void test_stop(void)
{
    size_t len;
    char *doc = read_file("readsb_traces/trace_full_3c66b0_readsb_doc_example_14field.json", &len);
    if (!doc)
        return;
    struct orbat_trace_hdr h;
    static struct collect c;
    uint32_t bad;
    c.stop_after = 3;
    int r = parse_copy(doc, len, &h, &c, &bad);
    c.stop_after = 0;
    CHECK(r == ORBAT_OK && c.n == 3 && c.p[2].index == 2, "callback stops after 3 points");
    CHECK(orbat_trace_parse(doc, len, &h, NULL, NULL, NULL) == ORBAT_OK, "NULL callback");
    free(doc);
}

/* ---- numbers against strtod ---- */

static uint64_t rs = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void)
{
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return rs;
}

// 1 when json_num_parse(s) and strtod(s) agree bit for bit.
static int same_as_strtod(const char *s)
{
    size_t n = strlen(s);
    char *b = malloc(n + 1);
    memcpy(b, s, n);
    b[n] = ','; // a delimiter; the reader must not look past it
    const char *p = b;
    double v = 0;
    int r = json_num_parse(&p, b + n + 1, &v);
    int stopped_right = p == b + n;
    free(b);
    double w = strtod(s, NULL);
    if (r != ORBAT_OK || !stopped_right || memcmp(&v, &w, sizeof v) != 0) {
        printf("# %s: json_num %.17g (r=%d) strtod %.17g\n", s, v, r, w);
        return 0;
    }
    return 1;
}

static void test_numbers(void)
{
    static const char *edge[] = {"0",
                                 "-0",
                                 "0.0",
                                 "-0.0",
                                 "1",
                                 "-1",
                                 "0.1",
                                 "0.2",
                                 "0.3",
                                 "9007199254740992",
                                 "9007199254740993",
                                 "9007199254740994",
                                 "9007199254740995",
                                 "18014398509481985",
                                 "9223372036854775807",
                                 "9223372036854775808",
                                 "18446744073709551615",
                                 "18446744073709551616",
                                 "12345678901234567890123",
                                 "1e22",
                                 "1e23",
                                 "1e-22",
                                 "1e-23",
                                 "9007199254740993e22",
                                 "4.9406564584124654e-324",
                                 "2.4703282292062327e-324",
                                 "2.4703282292062328e-324",
                                 "5e-324",
                                 "1e-400",
                                 "2.2250738585072011e-308",
                                 "2.2250738585072012e-308",
                                 "2.2250738585072014e-308",
                                 "1.7976931348623157e308",
                                 "1.7976931348623158e308",
                                 "1.7976931348623159e308",
                                 "1e309",
                                 "-1e309",
                                 "1E+2",
                                 "1e-0",
                                 "0e999999999",
                                 "123.456e-789",
                                 "0.000000000000000000000000000001",
                                 "1663259853.016",
                                 "1609275898.495",
                                 "7016.59",
                                 "49.263300",
                                 "-86.476566",
                                 "-10.7",
                                 "0.796",
                                 "1012.8",
                                 "-2208",
                                 "100000000000000000000000",
                                 "0.1e1",
                                 "7.2057594037927933e16",
                                 "3.0517578125e-05",
                                 "8.98846567431158e307",
                                 "1.0000000000000002",
                                 "1.0000000000000001",
                                 "2.2250738585072011e-308",
                                 "4.35679794949365e-310",
                                 "1e-0000000000000000000000001"};
    int bad = 0;
    for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++)
        bad += !same_as_strtod(edge[i]);
    CHECK_EQ_INT(bad, 0, "numbers: boundaries equal strtod");

    // a sticky digit 800 digits down decides the rounding of 2^53+1
    char big[1200];
    strcpy(big, "9007199254740993");
    size_t n = strlen(big);
    for (int i = 0; i < 900; i++)
        big[n++] = '0';
    big[n++] = '1';
    big[n] = 0;
    CHECK(same_as_strtod(big), "numbers: 2^53+1 followed by 900 zeros and a 1");
    big[n - 1] = '0';
    CHECK(same_as_strtod(big), "numbers: 2^53+1 followed by 901 zeros");
    strcpy(big, "0.");
    n = 2;
    for (int i = 0; i < 1000; i++)
        big[n++] = (char)('0' + i % 10);
    big[n] = 0;
    CHECK(same_as_strtod(big), "numbers: 1000 fraction digits");

    // readsb's formats on realistic ranges
    char s[128];
    int fmt_bad = 0, n_fmt = 0;
    for (int i = 0; i < 1000000; i++) {
        double u = (double)(rnd() >> 11) / 9007199254740992.0;
        switch (i % 6) {
        case 0:
            snprintf(s, sizeof s, "%.2f", u * 86400);
            break;
        case 1:
            snprintf(s, sizeof s, "%f", u * 180 - 90);
            break;
        case 2:
            snprintf(s, sizeof s, "%f", u * 360 - 180);
            break;
        case 3:
            snprintf(s, sizeof s, "%.3f", 1.5e9 + u * 3e8);
            break;
        case 4:
            snprintf(s, sizeof s, "%.1f", u * 700);
            break;
        default:
            snprintf(s, sizeof s, "%d", (int)(u * 100000) - 50000);
            break;
        }
        fmt_bad += !same_as_strtod(s);
        n_fmt++;
        if (fmt_bad > 10)
            break;
    }
    CHECK(fmt_bad == 0, "numbers: %d readsb-formatted values equal strtod", n_fmt);

    // random bit patterns printed by %.17g / %.Ng, random digit strings
    int rnd_bad = 0, n_rnd = 0;
    for (int i = 0; i < 2000000 && rnd_bad <= 10; i++, n_rnd++) {
        uint64_t bits = rnd();
        double d;
        if (i % 3 == 0) {
            memcpy(&d, &bits, sizeof d);
            if (!isfinite(d))
                continue;
            snprintf(s, sizeof s, "%.*g", 1 + (int)(rnd() % 17), d);
            // %g may write "1e+300" and "inf"-free forms: all JSON numbers
        } else if (i % 3 == 1) {
            d = ((double)(rnd() >> 11) / 9007199254740992.0 - 0.5) *
                pow(10, (int)(rnd() % 40) - 20);
            snprintf(s, sizeof s, "%.*f", (int)(rnd() % 20), d);
        } else {
            int nd = 1 + (int)(rnd() % 25), k = 0;
            if (rnd() & 1)
                s[k++] = '-';
            s[k++] = (char)('1' + rnd() % 9);
            int dot = (int)(rnd() % (unsigned)(nd + 1));
            for (int j = 1; j < nd; j++) {
                if (j == dot)
                    s[k++] = '.';
                s[k++] = (char)('0' + rnd() % 10);
            }
            if (rnd() & 1)
                k += snprintf(s + k, sizeof s - (size_t)k, "e%d", (int)(rnd() % 700) - 350);
            s[k] = 0;
        }
        rnd_bad += !same_as_strtod(s);
    }
    CHECK(rnd_bad == 0, "numbers: %d random values equal strtod", n_rnd);

    // grammar
    static const struct {
        const char *s;
        int err;
    } g[] = {{"-,", ORBAT_E_FORMAT},     {"-a", ORBAT_E_FORMAT},   {"1.,", ORBAT_E_FORMAT},
             {"1.e5", ORBAT_E_FORMAT},   {"1e,", ORBAT_E_FORMAT},  {"1e+,", ORBAT_E_FORMAT},
             {".5", ORBAT_E_FORMAT},     {"1", ORBAT_E_TRUNCATED}, {"-", ORBAT_E_TRUNCATED},
             {"1.5e", ORBAT_E_TRUNCATED}};
    int gbad = 0;
    for (size_t i = 0; i < sizeof g / sizeof g[0]; i++) {
        size_t l = strlen(g[i].s);
        char *b = malloc(l);
        memcpy(b, g[i].s, l);
        const char *p = b;
        double v;
        int r = json_num_parse(&p, b + l, &v);
        free(b);
        if (r != g[i].err) {
            printf("# grammar %s: %d\n", g[i].s, r);
            gbad++;
        }
    }
    CHECK_EQ_INT(gbad, 0, "numbers: grammar errors");
}

int main(void)
{
    test_example9();
    test_example14();
    test_variants();
    test_malformed();
    test_cuts();
    test_stop();
    test_numbers();
    return check_exit();
}
