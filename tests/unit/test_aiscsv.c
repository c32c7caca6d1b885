/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_aiscsv.c - orbat_aiscsv_header/orbat_aiscsv_row on the three real
 * archive samples (every field of every row; the files are the copies in
 * tests/fuzz/corpus/aiscsv/, byte for byte those of
 * shared/testdata/archives/{marinecadastre,dma_ais}/), the sentinels, quoted
 * fields, CRLF, shuffled columns, every truncation of every sample row
 * (each in an exactly sized heap buffer, so ASan sees any over-read), and
 * a rows/s measurement printed as a comment line.
 */
#include "check.h"

#include <stdlib.h>
#include <time.h>

#include "orbat/aiscsv.h"

static const char *root_dir(void)
{
    const char *s = getenv("ROOT");
    return s && *s ? s : ".";
}

/* Whole file into a malloc'd buffer (NUL-terminated). */
static char *slurp(const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/tests/fuzz/corpus/aiscsv/%s", root_dir(), name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1 << 16);
    size_t n = buf ? fread(buf, 1, (1 << 16) - 1, f) : 0;
    fclose(f);
    if (buf)
        buf[n] = 0;
    *len = n;
    return buf;
}

/* Split buf into lines (pointers into buf, without '\n'). */
static size_t lines_of(char *buf, size_t len, const char **ln, size_t *ll, size_t max)
{
    size_t n = 0;
    char *p = buf, *end = buf + len;
    while (p < end && n < max) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
        ln[n] = p;
        ll[n++] = l;
        p += l + 1;
    }
    return n;
}

/* Expected values of one row; texts NULL mean "". */
struct want {
    uint32_t mmsi;
    int64_t t_ms;
    bool has_pos;
    double lat, lon;
    bool has_sog, has_cog, has_hdg;
    double sog, cog, hdg;
    int ship_type, cargo, nav_status;
    int kind;
    uint32_t imo;
    unsigned length, width, draught_dm;
    const char *name, *callsign, *dest;
};

static void check_row(const char *what, const struct orbat_aiscsv_row *r, const struct want *w)
{
    char d[160];
#define F(x) (snprintf(d, sizeof d, "%s: " x, what), d)
    CHECK_EQ_INT(r->mmsi, w->mmsi, F("mmsi"));
    CHECK_EQ_INT(r->t_ms, w->t_ms, F("t_ms"));
    CHECK_EQ_INT(r->has_pos, w->has_pos, F("has_pos"));
    CHECK(r->lat == (w->has_pos ? w->lat : 0), "%s lat (%.9g == %.9g)", what, r->lat, w->lat);
    CHECK(r->lon == (w->has_pos ? w->lon : 0), "%s lon (%.9g == %.9g)", what, r->lon, w->lon);
    CHECK_EQ_INT(r->has_sog, w->has_sog, F("has_sog"));
    CHECK_EQ_INT(r->has_cog, w->has_cog, F("has_cog"));
    CHECK_EQ_INT(r->has_hdg, w->has_hdg, F("has_hdg"));
    CHECK(r->sog_kn == w->sog, "%s sog (%.9g == %.9g)", what, r->sog_kn, w->sog);
    CHECK(r->cog_deg == w->cog, "%s cog (%.9g == %.9g)", what, r->cog_deg, w->cog);
    CHECK(r->hdg_deg == w->hdg, "%s hdg (%.9g == %.9g)", what, r->hdg_deg, w->hdg);
    CHECK_EQ_INT(r->ship_type, w->ship_type, F("ship_type"));
    CHECK_EQ_INT(r->cargo, w->cargo, F("cargo"));
    CHECK_EQ_INT(r->nav_status, w->nav_status, F("nav_status"));
    CHECK_EQ_INT(r->kind, w->kind, F("kind"));
    CHECK_EQ_INT(r->class_b, w->kind == ORBAT_AISCSV_KIND_CLASS_B, F("class_b"));
    CHECK_EQ_INT(r->base_station,
                 w->kind == ORBAT_AISCSV_KIND_BASE_STATION || w->kind == ORBAT_AISCSV_KIND_ATON ||
                     w->kind == ORBAT_AISCSV_KIND_SAR_AIRBORNE,
                 F("base_station"));
    CHECK_EQ_INT(r->imo, w->imo, F("imo"));
    CHECK_EQ_INT(r->length_m, w->length, F("length"));
    CHECK_EQ_INT(r->width_m, w->width, F("width"));
    CHECK_EQ_INT(r->draught_dm, w->draught_dm, F("draught_dm"));
    CHECK_EQ_STR(r->name, w->name ? w->name : "", F("name"));
    CHECK_EQ_STR(r->callsign, w->callsign ? w->callsign : "", F("callsign"));
    CHECK_EQ_STR(r->destination, w->dest ? w->dest : "", F("destination"));
#undef F
}

/* Parse the sample's header and every row against want[]. */
static void sample(const char *file, enum orbat_aiscsv_layout layout, const struct want *w,
                   size_t nw)
{
    size_t len;
    char *buf = slurp(file, &len);
    CHECK(buf != NULL, "%s: read", file);
    if (!buf)
        return;
    const char *ln[16];
    size_t ll[16];
    size_t n = lines_of(buf, len, ln, ll, 16);
    CHECK_EQ_INT(n, nw + 1, "sample line count");
    struct orbat_aiscsv c;
    CHECK_EQ_INT(orbat_aiscsv_header(&c, ln[0], ll[0]), ORBAT_OK, "header");
    CHECK_EQ_STR(orbat_aiscsv_layout_name(c.layout), orbat_aiscsv_layout_name(layout), "layout");
    for (size_t i = 1; i < n && i <= nw; i++) {
        struct orbat_aiscsv_row r;
        char what[64];
        snprintf(what, sizeof what, "%s row %zu", file, i);
        CHECK_EQ_INT(orbat_aiscsv_row(&c, ln[i], ll[i], &r), ORBAT_OK, what);
        check_row(what, &r, &w[i - 1]);

        // every truncation, in a buffer of exactly that size
        unsigned commas_total = 0;
        for (size_t k = 0; k < ll[i]; k++)
            commas_total += ln[i][k] == ',';
        int bad = 0, ok_full = 0;
        for (size_t k = 0; k < ll[i]; k++) {
            char *t = malloc(k ? k : 1);
            memcpy(t, ln[i], k);
            unsigned commas = 0;
            for (size_t j = 0; j < k; j++)
                commas += t[j] == ',';
            int rc = orbat_aiscsv_row(&c, t, k, &r);
            if (commas + 1 < c.need && rc == ORBAT_OK)
                bad++; // too few fields must fail
            if (commas == commas_total && c.layout != ORBAT_AISCSV_DMA && k > 0 &&
                ln[i][k - 1] == ',' && rc == ORBAT_OK)
                ok_full++; // every field there, the last one empty
            free(t);
        }
        CHECK_EQ_INT(bad, 0, "truncations short of the needed fields fail");
        if (c.layout != ORBAT_AISCSV_DMA)
            CHECK_EQ_INT(ok_full, 1, "truncation before the last field's text parses");
    }
    free(buf);
}

#define T_MC2025 1774915200000LL

static void test_samples(void)
{
    const struct want mc2025[] = {
        {366996430, T_MC2025, true, 38.40362, -82.55641,
         true,      true,     true, 0.1,      295.2,
         100,       31,       -1,   12,       ORBAT_AISCSV_KIND_CLASS_A,
         0,         20,       8,    33,       "CAPT JEFF IRBY",
         "WDK7088", NULL},
        {368435310, T_MC2025, true, 40.51168, -80.11748,
         true,      true,     true, 5.0,      180.0,
         180,       52,       52,   0,        ORBAT_AISCSV_KIND_CLASS_A,
         0,         15,       6,    0,        "DANI Z",
         "WDQ5513", NULL},
    };
    sample("csv2_rows_2026.csv", ORBAT_AISCSV_MC2025, mc2025, 2);

    const struct want legacy[] = {
        {367777550,
         1654041602000LL,
         true,
         28.10198,
         -96.93931,
         true,
         false,
         false,
         0.0,
         0,
         0,
         52,
         52,
         0,
         ORBAT_AISCSV_KIND_CLASS_A,
         0,
         0,
         0,
         0,
         "HARRY LEE",
         "WDJ4420",
         NULL},
        {367544180,
         1654041607000LL,
         true,
         46.16795,
         -123.91430,
         true,
         true,
         false,
         0.0,
         342.5,
         0,
         30,
         30,
         15,
         ORBAT_AISCSV_KIND_CLASS_A,
         0,
         18,
         0,
         0,
         "JEANNE ARAIN",
         "WDG5186",
         NULL},
        {367733230,
         1678924801000LL,
         true,
         38.42409,
         -82.59932,
         true,
         false,
         false,
         0.3,
         0,
         0,
         52,
         52,
         9,
         ORBAT_AISCSV_KIND_CLASS_A,
         100637903,
         16,
         7,
         23,
         "EDITH",
         "WDI7890",
         NULL},
    };
    sample("legacy_csv_rows_2022_2023.csv", ORBAT_AISCSV_MC_LEGACY, legacy, 3);

    const struct want dma[] = {
        {2190064,
         1756684800000LL,
         true,
         56.716570,
         11.519047,
         false,
         false,
         false,
         0,
         0,
         0,
         -1,
         -1,
         -1,
         ORBAT_AISCSV_KIND_BASE_STATION,
         0,
         0,
         0,
         0,
         NULL,
         NULL,
         NULL},
        {2190064,
         1679097600000LL,
         true,
         56.7166,
         11.519,
         false,
         false,
         false,
         0,
         0,
         0,
         -1,
         -1,
         -1,
         ORBAT_AISCSV_KIND_BASE_STATION,
         0,
         0,
         0,
         0,
         NULL,
         NULL,
         NULL},
        {215810000,
         1527811200000LL,
         true,
         55.921028,
         17.320418,
         true,
         true,
         true,
         12.5,
         255.5,
         256,
         -1,
         -1,
         4,
         ORBAT_AISCSV_KIND_CLASS_A,
         0,
         0,
         0,
         0,
         NULL,
         NULL,
         NULL},
    };
    sample("aisdk_rows_quoted.csv", ORBAT_AISCSV_DMA, dma, 3);
}

static const char MC_HDR[] = "mmsi,base_date_time,longitude,latitude,sog,cog,heading,vessel_name,"
                             "imo,call_sign,vessel_type,status,length,width,draft,cargo,"
                             "transceiver";

static int row_mc(const char *line, struct orbat_aiscsv_row *r)
{
    struct orbat_aiscsv c;
    if (orbat_aiscsv_header(&c, MC_HDR, strlen(MC_HDR)) != ORBAT_OK)
        return 99;
    return orbat_aiscsv_row(&c, line, strlen(line), r);
}

static void test_sentinels(void)
{
    struct orbat_aiscsv_row r;
    CHECK_EQ_INT(row_mc("1,2025-01-01 00:00:00,181,91,102.3,360,511,,IMO0000000,,,,0,0,0,,B", &r),
                 ORBAT_OK, "all sentinels");
    CHECK(!r.has_pos && !r.has_sog && !r.has_cog && !r.has_hdg, "lat 91/lon 181/sog/cog/hdg n/a");
    CHECK_EQ_INT(r.imo, 0, "IMO0000000");
    CHECK_EQ_INT(r.length_m + r.width_m + r.draught_dm, 0, "sizes 0");
    CHECK_EQ_INT(r.ship_type, -1, "ship type empty");
    CHECK_EQ_INT(r.nav_status, -1, "status empty");
    CHECK(r.class_b && r.kind == ORBAT_AISCSV_KIND_CLASS_B, "transceiver B");
    CHECK_EQ_INT(r.t_ms, 1735689600000LL, "2025-01-01");

    CHECK_EQ_INT(row_mc("1,2025-01-01 00:00:00,10,91,,,,,,,,,,,,,", &r), ORBAT_OK, "lat 91 only");
    CHECK(!r.has_pos, "lat 91 with a valid lon: no position");
    CHECK_EQ_INT(row_mc("1,2025-01-01 00:00:00,181,10,,,,,,,,,,,,,", &r), ORBAT_OK, "lon 181 only");
    CHECK(!r.has_pos, "lon 181 with a valid lat: no position");
    CHECK_EQ_INT(row_mc("1,2025-01-01 00:00:00,,10,,,,,,,,,,,,,", &r), ORBAT_OK, "empty lon");
    CHECK(!r.has_pos, "empty lon: no position");
    CHECK_EQ_INT(row_mc("1,2025-01-01 00:00:00,-180,-90,102.2,359.9,359,,,,,,,,,,", &r), ORBAT_OK,
                 "edges");
    CHECK(r.has_pos && r.lat == -90 && r.lon == -180, "lat -90 lon -180 valid");
    CHECK(r.has_sog && r.sog_kn == 102.2, "sog 102.2 valid (102.2 or more)");
    CHECK(r.has_cog && r.cog_deg == 359.9 && r.has_hdg && r.hdg_deg == 359, "cog/hdg edges");
    CHECK_EQ_INT(row_mc("1,2025-01-01 00:00:00,0,0,0,0,0,,,,,,,,,,", &r), ORBAT_OK, "zeros");
    CHECK(r.has_pos && r.has_sog && r.has_cog && r.has_hdg, "zero values are values");
    CHECK_EQ_INT(row_mc("1,2025-01-01 00:00:00,0,0,0,400,360,,,,,,,,,,", &r), ORBAT_OK, "360+");
    CHECK(!r.has_cog && !r.has_hdg, "cog 400 / heading 360: not available");

    // range errors
    CHECK_EQ_INT(row_mc("1,2025-01-01 00:00:00,0,90.5,,,,,,,,,,,,,", &r), ORBAT_E_RANGE,
                 "lat 90.5");
    CHECK_EQ_INT(row_mc("1,2025-01-01 00:00:00,-180.1,0,,,,,,,,,,,,,", &r), ORBAT_E_RANGE,
                 "lon -180.1");
    CHECK_EQ_INT(row_mc("1,2025-01-01 00:00:00,0,0,-1,,,,,,,,,,,,", &r), ORBAT_E_RANGE, "sog -1");
    CHECK_EQ_INT(row_mc("1,2025-01-01 00:00:00,0,0,,,,,,,,16,,,,,", &r), ORBAT_E_RANGE,
                 "status 16");
    CHECK_EQ_INT(row_mc("1,2025-01-01 00:00:00,0,0,,,,,,,2000,,,,,,", &r), ORBAT_E_RANGE,
                 "type 2000");
    CHECK_EQ_INT(row_mc("1,2025-01-01 00:00:00,0,0,,,,,,,1001,,,,,,", &r), ORBAT_OK, "NAIS 1001");
    CHECK_EQ_INT(r.ship_type, 1001, "NAIS type kept raw");
    CHECK_EQ_INT(row_mc("1,1969-12-31 23:59:59,0,0,,,,,,,,,,,,,", &r), ORBAT_E_RANGE, "1969");
    CHECK_EQ_INT(row_mc("1,2025-01-01 00:00:00,0,0,,,,,IMO12345678901,,,,,,,,", &r), ORBAT_E_FORMAT,
                 "IMO 11 digits");
    CHECK_EQ_INT(row_mc("1,2025-01-01 00:00:00,0,0,,,,,IMO2000000000,,,,,,,,", &r), ORBAT_E_RANGE,
                 "IMO 10 digits (2e9)");
    CHECK_EQ_INT(row_mc("1,2025-01-01 00:00:00,0,0,,,,,1073741824,,,,,,,,", &r), ORBAT_E_RANGE,
                 "IMO over 30 bits");
    CHECK_EQ_INT(row_mc("1,2025-01-01 00:00:00,0,0,,,,,IMOX,,,,,,,,", &r), ORBAT_E_FORMAT, "IMOX");
    CHECK_EQ_INT(row_mc("1,2025-01-01 00:00:00,0,0,,,,,9627980,,,,,,,,", &r), ORBAT_OK, "bare IMO");
    CHECK_EQ_INT(r.imo, 9627980, "bare IMO digits");
    CHECK_EQ_INT(row_mc("1,2025-01-01 00:00:00,0,0,,,,,,,,,70000,,,,", &r), ORBAT_E_RANGE,
                 "length 70000");

    // format errors
    CHECK_EQ_INT(row_mc("0,2025-01-01 00:00:00,0,0,,,,,,,,,,,,,", &r), ORBAT_E_FORMAT, "MMSI 0");
    CHECK_EQ_INT(row_mc("1234567890,2025-01-01 00:00:00,0,0,,,,,,,,,,,,,", &r), ORBAT_E_FORMAT,
                 "MMSI 10 digits");
    CHECK_EQ_INT(row_mc("12a,2025-01-01 00:00:00,0,0,,,,,,,,,,,,,", &r), ORBAT_E_FORMAT,
                 "MMSI letters");
    CHECK_EQ_INT(row_mc(",2025-01-01 00:00:00,0,0,,,,,,,,,,,,,", &r), ORBAT_E_FORMAT, "MMSI empty");
    CHECK_EQ_INT(row_mc("1,,0,0,,,,,,,,,,,,,", &r), ORBAT_E_FORMAT, "time empty");
    CHECK_EQ_INT(row_mc("1,2025-02-29 00:00:00,0,0,,,,,,,,,,,,,", &r), ORBAT_E_FORMAT,
                 "2025-02-29");
    CHECK_EQ_INT(row_mc("1,2024-02-29 23:59:59,0,0,,,,,,,,,,,,,", &r), ORBAT_OK, "2024-02-29");
    CHECK_EQ_INT(r.t_ms, 1709251199000LL, "2024-02-29 23:59:59");
    CHECK_EQ_INT(row_mc("1,2025-13-01 00:00:00,0,0,,,,,,,,,,,,,", &r), ORBAT_E_FORMAT, "month 13");
    CHECK_EQ_INT(row_mc("1,2025-01-01 24:00:00,0,0,,,,,,,,,,,,,", &r), ORBAT_E_FORMAT, "hour 24");
    CHECK_EQ_INT(row_mc("1,2025-01-01 00:00:00.250,0,0,,,,,,,,,,,,,", &r), ORBAT_OK, "fraction");
    CHECK_EQ_INT(r.t_ms, 1735689600250LL, ".250 -> ms");
    CHECK_EQ_INT(row_mc("1,2025-01-01T00:00:00Z,0,0,,,,,,,,,,,,,", &r), ORBAT_OK, "T and Z");
    CHECK_EQ_INT(row_mc("1,2025-01-01 00:00:00 ,0,0,,,,,,,,,,,,,", &r), ORBAT_OK, "time + space");
    CHECK_EQ_INT(row_mc("1,2025-01-01 00:00:00x,0,0,,,,,,,,,,,,,", &r), ORBAT_E_FORMAT,
                 "time + junk");
    CHECK_EQ_INT(row_mc("1,2025-01-01 00:00:00,1e5,0,,,,,,,,,,,,,", &r), ORBAT_E_FORMAT,
                 "exponent");
    CHECK_EQ_INT(row_mc("1,2025-01-01 00:00:00,-,0,,,,,,,,,,,,,", &r), ORBAT_E_FORMAT, "lone -");
    CHECK_EQ_INT(row_mc("1,2025-01-01 00:00:00,1.2.3,0,,,,,,,,,,,,,", &r), ORBAT_E_FORMAT, "1.2.3");
    CHECK_EQ_INT(row_mc("1,2025-01-01 00:00:00,0.1234567890123456789,0,,,,,,,,,,,,,", &r),
                 ORBAT_E_FORMAT, "19 digits");
    CHECK_EQ_INT(row_mc("1,2025-01-01 00:00:00,0,0,,,,,,,5.5,,,,,,", &r), ORBAT_E_FORMAT,
                 "type 5.5");
    CHECK_EQ_INT(row_mc("1,2025-01-01 00:00:00,0,0,,,,,,,,,,,,,,", &r), ORBAT_E_FORMAT,
                 "one field too many");
    CHECK_EQ_INT(row_mc("1,2025-01-01 00:00:00,0,0,,,,,,,,,,,,", &r), ORBAT_E_FORMAT,
                 "one field short");
    CHECK_EQ_INT(row_mc("", &r), ORBAT_E_FORMAT, "empty line");

    // exact decimals: the same double as the compiler's literal
    CHECK_EQ_INT(row_mc("1,2025-01-01 00:00:00,-179.99999,89.99999,0.1,47.5,45,,,,,,,,,,", &r),
                 ORBAT_OK, "decimals");
    CHECK(r.lat == 89.99999 && r.lon == -179.99999 && r.sog_kn == 0.1, "exact decimals");
    CHECK_EQ_INT(row_mc("1,2025-01-01 00:00:00,+1.,.5,,,,,,,,,,,,,", &r), ORBAT_OK, "+1. and .5");
    CHECK(r.lon == 1 && r.lat == 0.5, "+1. and .5 values");
}

static void test_dma_text(void)
{
    static const char H[] =
        "# Timestamp,Type of mobile,MMSI,Latitude,Longitude,Navigational status,ROT,SOG,COG,"
        "Heading,IMO,Callsign,Name,Ship type,Cargo type,Width,Length,Type of position fixing "
        "device,Draught,Destination,ETA,Data source type,A,B,C,D";
    struct orbat_aiscsv c;
    CHECK_EQ_INT(orbat_aiscsv_header(&c, H, strlen(H)), ORBAT_OK, "DMA header");
    CHECK_EQ_INT(c.ncol, 26, "DMA columns");
    CHECK_EQ_INT(c.need, 20, "DMA: rows must reach Destination");
    static const struct {
        const char *ship, *status;
        int type, nav;
    } t[] = {
        {"Military", "Under way using engine", 35, 0},
        {"Law enforcement", "At anchor", 55, 1},
        {"SAR", "Not under command", 51, 2},
        {"Tug", "Restricted maneuverability", 52, 3},
        {"Cargo", "Restricted manoeuverability", 70, 3},
        {"Tanker", "Moored", 80, 5},
        {"Passenger", "Aground", 60, 6},
        {"Fishing", "Engaged in fishing", 30, 7},
        {"Sailing", "Under way sailing", 36, 8},
        {"Pleasure", "Reserved for future amendment [HSC]", 37, 9},
        {"HSC", "Reserved for future amendment [WIG]", 40, 10},
        {"Pilot", "Power-driven vessel towing astern", 50, 11},
        {"Towing", "Power-driven vessel pushing ahead or towing alongside", 31, 12},
        {"Towing long/wide", "Reserved for future use", 32, 13},
        {"Dredging", "AIS-SART", 33, 14},
        {"Diving", "Unknown value", 34, -1},
        {"Port tender", "Undefined", 53, -1},
        {"Anti-pollution", "something new", 54, -1},
        {"Medical", "5", 58, 5},
        {"Not party to conflict", "", 59, -1},
        {"WIG", "", 20, -1},
        {"Other", "", 90, -1},
        {"Spare 1", "", 56, -1},
        {"Spare 2", "", 57, -1},
        {"Reserved", "", -1, -1},
        {"Undefined", "", -1, -1},
        {"70", "", 70, -1},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char line[512], what[128];
        snprintf(line, sizeof line,
                 "01/09/2025 12:34:56,Class B,219000001,91.000000,0.000000,%s,,0.0,,,"
                 "IMO9627980,OXAB2,\"NAME, WITH \"\"QUOTES\"\"\",%s,,5,12,GPS,1.5,"
                 "\"GOTEBORG\",,AIS,,,,",
                 t[i].status, t[i].ship);
        struct orbat_aiscsv_row r;
        snprintf(what, sizeof what, "DMA ship type \"%s\" status \"%s\"", t[i].ship, t[i].status);
        CHECK_EQ_INT(orbat_aiscsv_row(&c, line, strlen(line), &r), ORBAT_OK, what);
        CHECK_EQ_INT(r.ship_type, t[i].type, what);
        CHECK_EQ_INT(r.nav_status, t[i].nav, what);
        if (i == 0) {
            CHECK_EQ_INT(r.t_ms, 1756730096000LL, "DMA dd/mm/yyyy time");
            CHECK(!r.has_pos, "DMA lat 91: no position");
            CHECK(r.has_sog && r.sog_kn == 0 && !r.has_cog && !r.has_hdg, "DMA sog only");
            CHECK(r.class_b && !r.base_station, "Class B");
            CHECK_EQ_INT(r.imo, 9627980, "IMO9627980");
            CHECK_EQ_STR(r.callsign, "OXAB2", "callsign");
            CHECK_EQ_STR(r.name, "NAME, WITH \"QUOTES\"", "quoted name with comma and quotes");
            CHECK_EQ_STR(r.destination, "GOTEBORG", "quoted destination");
            CHECK_EQ_INT(r.width_m, 5, "width");
            CHECK_EQ_INT(r.length_m, 12, "length");
            CHECK_EQ_INT(r.draught_dm, 15, "draught 1.5 m");
        }
    }
    static const struct {
        const char *mob;
        int kind;
        bool base;
    } m[] = {
        {"Class A", ORBAT_AISCSV_KIND_CLASS_A, false},
        {"Base Station", ORBAT_AISCSV_KIND_BASE_STATION, true},
        {"AtoN", ORBAT_AISCSV_KIND_ATON, true},
        {"SAR Airborne", ORBAT_AISCSV_KIND_SAR_AIRBORNE, true},
        {"Search and Rescue Transponder", ORBAT_AISCSV_KIND_SART, false},
        {"Undefined", ORBAT_AISCSV_KIND_UNKNOWN, false},
        {"Something", ORBAT_AISCSV_KIND_OTHER, false},
    };
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
        char line[256];
        snprintf(line, sizeof line,
                 "01/09/2025 00:00:00,%s,2190064,56.7,11.5,,,,,,Unknown,Unknown,Unknown,"
                 "Undefined,,,,GPS,,Unknown\r\n",
                 m[i].mob);
        struct orbat_aiscsv_row r;
        CHECK_EQ_INT(orbat_aiscsv_row(&c, line, strlen(line), &r), ORBAT_OK, m[i].mob);
        CHECK(r.kind == m[i].kind && r.base_station == m[i].base && !r.class_b, "%s -> kind %d",
              m[i].mob, r.kind);
        CHECK(!r.name[0] && !r.callsign[0] && !r.destination[0] && r.imo == 0,
              "DMA Unknown texts are empty");
    }
    // quoting errors
    struct orbat_aiscsv_row r;
    const char *badq[] = {
        "01/09/2025 00:00:00,Class A,1,1,1,,,,,,,,\"OPEN,,,,,,,,,,,,,",
        "01/09/2025 00:00:00,Class A,1,1,1,,,,,,,,\"A\"B,,,,,,,,,,,,,",
        "01/09/2025 00:00:00,Class A,\"2\"\"1\",1,1,,,,,,,,,,,,,,,,,,,,,",
        "01/09/2025 00:00:00,Class A,1,1,1,,,,,,,,,,,,,,",
        "32/09/2025 00:00:00,Class A,1,1,1,,,,,,,,,,,,,,,",
        "01-09-2025 00:00:00,Class A,1,1,1,,,,,,,,,,,,,,,",
    };
    for (size_t i = 0; i < sizeof badq / sizeof badq[0]; i++)
        CHECK_EQ_INT(orbat_aiscsv_row(&c, badq[i], strlen(badq[i]), &r), ORBAT_E_FORMAT, badq[i]);
    const char *quoted_num = "\"01/09/2025 00:00:00\",\"Class A\",\"219000001\",\"55.5\",\"12.25\","
                             "\"\",,,,,,,,,,,,,,\"\"";
    CHECK_EQ_INT(orbat_aiscsv_row(&c, quoted_num, strlen(quoted_num), &r), ORBAT_OK,
                 "every field quoted");
    CHECK(r.mmsi == 219000001 && r.has_pos && r.lat == 55.5 && r.lon == 12.25,
          "quoted numbers parsed");
}

static void test_header(void)
{
    struct orbat_aiscsv c;
    struct orbat_aiscsv_row r;
    // shuffled, with unknown columns, CRLF, BOM and quoted names
    const char *h = "\xEF\xBB\xBF"
                    "extra,\"LON\",TransceiverClass,lat,MMSI,junk,BaseDateTime,Heading\r\n";
    CHECK_EQ_INT(orbat_aiscsv_header(&c, h, strlen(h)), ORBAT_OK, "shuffled header");
    CHECK_EQ_INT(c.layout, ORBAT_AISCSV_MC_LEGACY, "BaseDateTime -> legacy");
    CHECK_EQ_INT(c.ncol, 8, "8 columns");
    const char *row = "x,-71.04182,B,42.35137,477220100,\"a,b\",2017-02-01T20:05:07,45.1\r\n";
    CHECK_EQ_INT(orbat_aiscsv_row(&c, row, strlen(row), &r), ORBAT_OK, "shuffled row");
    CHECK(r.mmsi == 477220100 && r.lat == 42.35137 && r.lon == -71.04182 && r.class_b &&
              r.has_hdg && r.hdg_deg == 45.1 && r.t_ms == 1485979507000LL,
          "shuffled row values");
    CHECK_EQ_INT(r.ship_type, -1, "absent column: ship type -1");

    const char *h2 = "mmsi,lat,lon";
    CHECK_EQ_INT(orbat_aiscsv_header(&c, h2, strlen(h2)), ORBAT_E_FORMAT, "no time column");
    const char *h3 = "time,lat,lon,base_date_time";
    CHECK_EQ_INT(orbat_aiscsv_header(&c, h3, strlen(h3)), ORBAT_E_FORMAT, "no mmsi column");
    const char *h4 = "mmsi,base_date_time,MMSI";
    CHECK_EQ_INT(orbat_aiscsv_header(&c, h4, strlen(h4)), ORBAT_E_FORMAT, "duplicate column");
    const char *h5 = "mmsi,\"base_date_time";
    CHECK_EQ_INT(orbat_aiscsv_header(&c, h5, strlen(h5)), ORBAT_E_FORMAT, "unterminated quote");
    char big[1024] = "mmsi,base_date_time";
    for (int i = 0; i < 62; i++)
        strcat(big, ",x");
    CHECK_EQ_INT(orbat_aiscsv_header(&c, big, strlen(big)), ORBAT_OK, "64 columns");
    strcat(big, ",x");
    CHECK_EQ_INT(orbat_aiscsv_header(&c, big, strlen(big)), ORBAT_E_FORMAT, "65 columns");
    struct orbat_aiscsv zero;
    memset(&zero, 0, sizeof zero);
    CHECK_EQ_INT(orbat_aiscsv_row(&zero, "1", 1, &r), ORBAT_E_FORMAT, "no header read");
}

static void test_speed(void)
{
    static const char *files[] = {"csv2_rows_2026.csv", "legacy_csv_rows_2022_2023.csv",
                                  "aisdk_rows_quoted.csv"};
    struct orbat_aiscsv c[3];
    const char *ln[3][16];
    size_t ll[3][16], n[3];
    char *bufs[3];
    for (int f = 0; f < 3; f++) {
        size_t len;
        bufs[f] = slurp(files[f], &len);
        if (!bufs[f])
            return;
        n[f] = lines_of(bufs[f], len, ln[f], ll[f], 16);
        if (orbat_aiscsv_header(&c[f], ln[f][0], ll[f][0]) != ORBAT_OK)
            return;
    }
    // CPU time, not wall time: the build machine is shared
    struct timespec a, b;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
    long rows = 0, bad = 0;
    uint64_t sum = 0;
    while (rows < 2000000) {
        for (int f = 0; f < 3; f++)
            for (size_t i = 1; i < n[f]; i++) {
                struct orbat_aiscsv_row r;
                bad += orbat_aiscsv_row(&c[f], ln[f][i], ll[f][i], &r) != ORBAT_OK;
                sum += r.mmsi;
                rows++;
            }
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
    double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) * 1e-9;
    CHECK(bad == 0 && sum > 0, "speed loop: %ld rows, all parsed", rows);
    printf("# aiscsv: %ld rows in %.3f s CPU = %.2fM rows/s (%.0f ns/row)\n", rows, s,
           (double)rows / s / 1e6, s * 1e9 / (double)rows);
    for (int f = 0; f < 3; f++)
        free(bufs[f]);
}

/* orbat_aiscsv_pos gives what orbat_aiscsv_row gives for the MMSI and the
 * position, on plain, quoted, sentinel and bad rows. */
static void test_pos(void)
{
    static const char hdr[] = "mmsi,base_date_time,longitude,latitude,sog,cog,heading,vessel_name";
    struct orbat_aiscsv c;
    CHECK_EQ_INT(orbat_aiscsv_header(&c, hdr, strlen(hdr)), ORBAT_OK, "pos: header");
    static const char *rows[] = {
        "366996430,2026-03-31 00:00:00,-82.55641,38.40362,0.1,295.2,100,CAPT JEFF IRBY",
        "\"366996431\",2026-03-31 00:00:00,\"-82.5\",\"38.4\",0.1,295.2,100,\"A, \"\"B\"\"\"",
        "366996432,2026-03-31 00:00:00,181,91,0.1,295.2,100,NO POSITION",
        "366996433,2026-03-31 00:00:00,-82.5,95.0,0.1,295.2,100,OUT OF RANGE",
        "0,2026-03-31 00:00:00,-82.5,38.4,0.1,295.2,100,BAD MMSI",
        "366996434,2026-03-31 00:00:00,-8x.5,38.4,0.1,295.2,100,BAD NUMBER",
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct orbat_aiscsv_row r;
        int want = orbat_aiscsv_row(&c, rows[i], strlen(rows[i]), &r);
        uint32_t mmsi = 0;
        bool has = false;
        double la = 0, lo = 0;
        int got = orbat_aiscsv_pos(&c, rows[i], strlen(rows[i]), &mmsi, &has, &la, &lo);
        CHECK(got == want && (got || (mmsi == r.mmsi && has == r.has_pos &&
                                      (!has || (la == r.lat && lo == r.lon)))),
              "pos agrees with row on row %zu (rc %d/%d, mmsi %u, pos %d)", i, got, want,
              (unsigned)mmsi, has);
    }
}

int main(void)
{
    test_samples();
    test_pos();
    test_sentinels();
    test_dma_text();
    test_header();
    test_speed();
    return check_exit();
}
