/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_registry.c - CSV reader, MID/ICAO tables (checked against the
 * shipped CSVs), name normalisation, registry loaders for every supported
 * format, overrides, and error reporting with file:line.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "registry/csv.h"
#include "registry/identify.h"
#include "registry/registry.h"
#include "registry/tables.h"

struct errs {
    int n;
    char last[256];
    uint32_t lines[16];
};

static void on_err(void *ctx, const char *file, uint32_t line, const char *msg)
{
    struct errs *e = ctx;
    if (e->n < 16)
        e->lines[e->n] = line;
    e->n++;
    snprintf(e->last, sizeof e->last, "%s:%u: %s", file, line, msg);
}

static const char *root(void)
{
    const char *r = getenv("ROOT");
    return r && *r ? r : ".";
}

static void test_csv(void)
{
    const char *text = "a,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",\n\n\"multi\nline\",2,3\nlast";
    struct csv_reader r;
    struct csv_row row;
    csv_init(&r, text, strlen(text), 0);
    CHECK_EQ_INT(r.sep, ',', "separator guessed as comma");
    CHECK_EQ_INT(csv_next(&r, &row), CSV_RECORD, "header record");
    CHECK_EQ_INT(row.nfields, 3, "3 header fields");
    CHECK_EQ_INT(csv_next(&r, &row), CSV_RECORD, "quoted record");
    CHECK_EQ_STR(row.field[0], "x,1", "comma inside quotes");
    CHECK_EQ_STR(row.field[1], "say \"hi\"", "doubled quotes unescaped");
    CHECK_EQ_STR(row.field[2], "", "empty last field");
    CHECK_EQ_INT(row.line, 2, "record line 2");
    CHECK_EQ_INT(csv_next(&r, &row), CSV_RECORD, "multi-line record");
    CHECK(!strcmp(row.field[0], "multi\nline"), "newline inside quotes");
    CHECK_EQ_INT(row.line, 4, "blank line skipped, record starts on line 4");
    CHECK_EQ_INT(csv_next(&r, &row), CSV_RECORD, "record without final newline");
    CHECK_EQ_STR(row.field[0], "last", "last field");
    CHECK_EQ_INT(row.line, 6, "line count across quoted newline");
    CHECK_EQ_INT(csv_next(&r, &row), CSV_EOF, "end");

    const char *bad = "ok,1\n\"open,2\nnext,3\n";
    csv_init(&r, bad, strlen(bad), ',');
    CHECK_EQ_INT(csv_next(&r, &row), CSV_RECORD, "good row before bad");
    CHECK_EQ_INT(csv_next(&r, &row), CSV_ERROR, "unterminated quote is an error");
    CHECK_EQ_INT(row.line, 2, "error on line 2");
    CHECK_EQ_INT(csv_next(&r, &row), CSV_RECORD, "reader resumes on the next line");
    CHECK_EQ_STR(row.field[0], "next", "row after the bad one");
    CHECK_EQ_INT(row.line, 3, "resumed on line 3");

    static char big[CSV_MAX_ROW + 100];
    memset(big, 'x', sizeof big - 2);
    big[sizeof big - 2] = '\n';
    big[sizeof big - 1] = 'y';
    csv_init(&r, big, sizeof big, ',');
    CHECK_EQ_INT(csv_next(&r, &row), CSV_ERROR, "over-long record rejected");
    CHECK_EQ_INT(csv_next(&r, &row), CSV_RECORD, "then the next line");
    CHECK_EQ_STR(row.field[0], "y", "next line content");

    char many[200] = "";
    for (int i = 0; i < CSV_MAX_FIELDS + 1; i++)
        strcat(many, "a,");
    csv_init(&r, many, strlen(many), ',');
    CHECK_EQ_INT(csv_next(&r, &row), CSV_ERROR, "too many fields rejected");

    const char *semi = "\xEF\xBB\xBFhex;reg;type\n";
    csv_init(&r, semi, strlen(semi), 0);
    CHECK_EQ_INT(r.sep, ';', "separator guessed as semicolon after BOM");
    CHECK_EQ_INT(csv_next(&r, &row), CSV_RECORD, "semicolon record");
    CHECK_EQ_STR(row.field[0], "hex", "BOM skipped");
}

static void test_tables(void)
{
    uint16_t mid;
    CHECK_EQ_INT(tables_mmsi_kind(338813000, &mid), MMSI_SHIP, "338813000 is a ship station");
    CHECK_EQ_INT(mid, 338, "MID 338");
    CHECK_EQ_STR(tables_mid_lookup(338)->country, "USA", "MID 338 -> USA");
    CHECK_EQ_STR(tables_mid_lookup(775)->country, "Venezuela", "MID 775 -> Venezuela");
    CHECK(tables_mid_lookup(199) == NULL, "MID 199 unallocated");
    CHECK_EQ_INT(tables_mmsi_kind(111338123, &mid), MMSI_SAR_AIRCRAFT, "111MIDxxx SAR aircraft");
    CHECK_EQ_INT(mid, 338, "SAR aircraft MID");
    CHECK_EQ_INT(tables_mmsi_kind(993381234, &mid), MMSI_ATON, "99MIDxxxx AtoN");
    CHECK_EQ_INT(mid, 338, "AtoN MID");
    CHECK_EQ_INT(tables_mmsi_kind(983381234, &mid), MMSI_CRAFT, "98MIDxxxx craft");
    CHECK_EQ_INT(tables_mmsi_kind(970123456, &mid), MMSI_SART, "970 SART");
    CHECK_EQ_INT(tables_mmsi_kind(3381234, &mid), MMSI_COAST, "00MIDxxxx coast station");
    CHECK_EQ_INT(mid, 338, "coast station MID");
    CHECK_EQ_INT(tables_mmsi_kind(0, &mid), MMSI_INVALID, "0 invalid");
    CHECK_EQ_INT(tables_mmsi_kind(1000000000u, &mid), MMSI_INVALID, "10 digits invalid");

    CHECK_EQ_STR(tables_icao_country(0x0D8123)->country, "Venezuela", "0D8123 Venezuela");
    CHECK_EQ_STR(tables_icao_country(0xAE1234)->country, "United States", "AE1234 US");
    CHECK_EQ_STR(tables_icao_country(0x4001C5)->country, "Cayman Islands",
                 "nested block: narrowest wins over UK");
    CHECK_EQ_STR(tables_icao_country(0x789001)->country, "Hong Kong", "Hong Kong inside China");
    const struct icao_mil_block *mb = tables_icao_military(0xAE1234);
    CHECK(mb && mb->enabled, "AE1234 in enabled US military block");
    mb = tables_icao_military(0xE80610);
    CHECK(mb && !mb->enabled, "Chile E806xx block present but disabled");
    CHECK(tables_icao_military(0xA12345) == NULL, "A12345 (US civil) not military");
    CHECK(tables_icao_military(0x3C6444) == NULL, "3C6444 (German civil) not military");

    // Compiled tables agree with the shipped CSVs, row for row.
    char path[1024];
    size_t n, len;
    snprintf(path, sizeof path, "%s/data/registry/mmsi_mid_countries.csv", root());
    char *buf = csv_slurp(path, 1 << 20, &len);
    CHECK(buf != NULL, "read %s", path);
    if (buf) {
        tables_mid_all(&n);
        struct csv_reader r;
        struct csv_row row;
        csv_init(&r, buf, len, ',');
        size_t rows = 0, agree = 0;
        (void)csv_next(&r, &row);
        while (csv_next(&r, &row) == CSV_RECORD) {
            rows++;
            const struct mid_entry *m = tables_mid_lookup((uint16_t)atoi(row.field[0]));
            agree += m && !strcmp(m->country, row.field[1]) && !strcmp(m->iso2, row.field[2]);
        }
        CHECK_EQ_INT(rows, n, "MID table has every CSV row");
        CHECK_EQ_INT(agree, rows, "MID table agrees with the CSV");
        free(buf);
    }
    snprintf(path, sizeof path, "%s/data/registry/icao_military_blocks.csv", root());
    buf = csv_slurp(path, 1 << 20, &len);
    CHECK(buf != NULL, "read %s", path);
    if (buf) {
        tables_icao_military_all(&n);
        struct csv_reader r;
        struct csv_row row;
        csv_init(&r, buf, len, ',');
        size_t rows = 0, agree = 0;
        (void)csv_next(&r, &row);
        while (csv_next(&r, &row) == CSV_RECORD) {
            rows++;
            uint32_t s = (uint32_t)strtoul(row.field[0], NULL, 16);
            uint32_t e = (uint32_t)strtoul(row.field[1], NULL, 16);
            const struct icao_mil_block *b = tables_icao_military(s);
            agree += b && b->start == s && b->end == e && b->enabled == atoi(row.field[4]);
        }
        CHECK_EQ_INT(rows, n, "military block table has every CSV row");
        CHECK_EQ_INT(agree, rows, "military block table agrees with the CSV");
        free(buf);
    }
    snprintf(path, sizeof path, "%s/data/registry/icao_country_blocks.csv", root());
    buf = csv_slurp(path, 1 << 20, &len);
    CHECK(buf != NULL, "read %s", path);
    if (buf) {
        const struct icao_block *t = tables_icao_country_all(&n);
        struct csv_reader r;
        struct csv_row row;
        csv_init(&r, buf, len, ',');
        size_t rows = 0, agree = 0;
        (void)csv_next(&r, &row);
        while (csv_next(&r, &row) == CSV_RECORD) {
            rows++;
            uint32_t s = (uint32_t)strtoul(row.field[0], NULL, 16);
            for (size_t i = 0; i < n; i++)
                if (t[i].start == s && t[i].end == strtoul(row.field[1], NULL, 16) &&
                    !strcmp(t[i].country, row.field[2])) {
                    agree++;
                    break;
                }
        }
        CHECK_EQ_INT(rows, n, "country block table has every CSV row");
        CHECK_EQ_INT(agree, rows, "country block table agrees with the CSV");
        free(buf);
    }
}

static void test_names(void)
{
    struct reg_name_parts p;
    registry_name_parse("USS IWO JIMA", &p);
    CHECK_EQ_STR(p.name, "IWO JIMA", "prefix stripped");
    CHECK_EQ_STR(p.prefix, "USS", "prefix kept");
    registry_name_parse("IWO JIMA LHD7", &p);
    CHECK_EQ_STR(p.name, "IWO JIMA", "hull removed from name");
    CHECK_EQ_STR(p.hull, "LHD7", "hull LHD7");
    CHECK_EQ_STR(p.number, "7", "hull number 7");
    registry_name_parse("LHD-7", &p);
    CHECK_EQ_STR(p.hull, "LHD7", "LHD-7 -> LHD7");
    registry_name_parse("uss gravely (ddg 107)", &p);
    CHECK_EQ_STR(p.name, "GRAVELY", "lower case and brackets");
    CHECK_EQ_STR(p.hull, "DDG107", "DDG 107 as two words");
    registry_name_parse("USNS Supply T-AOE-6", &p);
    CHECK_EQ_STR(p.hull, "TAOE6", "MSC T- prefix");
    CHECK_EQ_STR(p.prefix, "USNS", "USNS prefix");
    registry_name_parse("WARSHIP 7", &p);
    CHECK(p.generic, "WARSHIP 7 is generic");
    CHECK_EQ_STR(p.number, "7", "generic number");
    CHECK_EQ_STR(p.name, "", "generic name cleared");
    registry_name_parse("US WARSHIP", &p);
    CHECK(p.generic, "US WARSHIP generic");
    registry_name_parse("USS Gerald R. Ford", &p);
    CHECK_EQ_STR(p.name, "GERALD R FORD", "dots removed");
    registry_name_parse("MAERSK KENTUCKY", &p);
    CHECK(!p.generic && !p.prefix[0] && !p.hull[0], "civil name: no prefix, hull, generic");
    registry_name_parse("MV Ocean Trader", &p);
    CHECK_EQ_STR(p.name, "OCEAN TRADER", "civil MV prefix dropped from the key");
    CHECK_EQ_STR(p.prefix, "", "MV is not a naval prefix");
    registry_name_parse("US", &p);
    CHECK(!p.generic, "'US' alone is not a generic warship name");
    registry_name_parse("FS", &p);
    CHECK_EQ_STR(p.prefix, "", "a lone prefix word is a name");
    registry_name_parse("CG 70", &p);
    CHECK_EQ_STR(p.hull, "CG70", "cruiser hull");
    registry_name_parse("SEA STAR 2", &p);
    CHECK(!p.hull[0] && !p.generic, "ordinary name with number has no hull");
    char k[16];
    registry_key_normalise("n-123ab", k, sizeof k);
    CHECK_EQ_STR(k, "N123AB", "key normalised");
    CHECK_EQ_INT(registry_ship_role_guess("Guided Missile Destroyers", ""), ROLE_DESTROYER,
                 "destroyer from text");
    CHECK_EQ_INT(registry_ship_role_guess("Submarine Tenders", ""), ROLE_AUXILIARY,
                 "tender is auxiliary, not submarine");
    CHECK_EQ_INT(registry_ship_role_guess("", "LPD-17"), ROLE_AMPHIB_TRANSPORT_DOCK,
                 "LPD from hull");
    CHECK_EQ_INT(registry_ship_role_guess("", "T-AO-187"), ROLE_AUXILIARY, "T-AO from hull");
    CHECK_EQ_INT(registry_ship_role_guess("", "WMSL-754"), ROLE_PATROL, "USCG cutter");
    CHECK_EQ_INT(registry_aircraft_role_guess("B52", ""), ROLE_BOMBER, "B52 bomber");
    CHECK_EQ_INT(registry_aircraft_role_guess("K35R", ""), ROLE_TANKER, "K35R tanker");
    CHECK_EQ_INT(registry_aircraft_role_guess("XXXX", "Get To The Choppa"), ROLE_HELICOPTER,
                 "helicopter from tag");
    CHECK_EQ_INT(registry_aircraft_role_guess("A320", "Airliner"), ROLE_NONE, "no role");
    CHECK_EQ_INT(registry_category_parse("warship"), CAT_WARSHIP, "category parse");
    CHECK_EQ_INT(registry_category_parse("bogus"), -1, "bad category");
    CHECK_EQ_INT(registry_role_parse("amphibious assault"), ROLE_AMPHIB_ASSAULT, "role parse");
}

static void test_loaders(void)
{
    struct registry *reg = registry_new();
    struct errs e = {0};
    struct reg_load_stats st;
    const char *pa = "$ICAO,$Registration,$Operator,$Type,$ICAO Type,#CMPG,$Tag 1,$#Tag 2,"
                     "$#Tag 3,Category,$#Link\n"
                     "AE1234,60-0001,USAF,Boeing B-52H,B52,Mil,Bomber,x,y,USAF,http://a\n"
                     "ZZZZZZ,bad,USAF,x,x,Mil,,,,,\n"
                     "0D0001,XC-ABC,Mexican Government,x,GLF5,Gov,,,,Governments,\n"
                     "0D0002,XA-POL,Policia,x,EC45,Pol,,,,Police Forces,\n"
                     "0D0003,XA-CIV,Somebody,x,C172,Civ,,,,Vanity Plate,\n"
                     "0D0004,XA-QQQ,Somebody,x,C172,Huh,,,,,\n"
                     "\"0D0005,broken\n";
    CHECK_EQ_INT(registry_load_buf(reg, pa, strlen(pa), "pa.csv", on_err, &e, &st), 0,
                 "plane-alert loads");
    CHECK_EQ_INT(st.format, REGFMT_PLANE_ALERT, "plane-alert detected");
    CHECK_EQ_INT(st.loaded, 4, "4 good rows");
    CHECK_EQ_INT(st.bad, 3, "3 bad rows");
    CHECK_EQ_INT(e.n, 3, "3 errors reported");
    CHECK_EQ_INT(e.lines[0], 3, "bad ICAO on line 3");
    CHECK_EQ_INT(e.lines[1], 7, "bad #CMPG on line 7");
    CHECK_EQ_INT(e.lines[2], 8, "unterminated quote on line 8");
    CHECK(strstr(e.last, "pa.csv:8:") != NULL, "message has file:line (%s)", e.last);
    const struct reg_aircraft *a = registry_find_icao(reg, 0xAE1234);
    CHECK(a && a->category == CAT_MILITARY_AIRCRAFT, "AE1234 military");
    CHECK(a && a->role == ROLE_BOMBER, "AE1234 bomber");
    CHECK(a && !strcmp(a->registration, "60-0001"), "registration");
    CHECK(registry_find_icao(reg, 0x0D0001)->category == CAT_GOVERNMENT, "Gov");
    CHECK(registry_find_icao(reg, 0x0D0002)->category == CAT_LAW_ENFORCEMENT, "Pol");
    CHECK(registry_find_icao(reg, 0x0D0003)->category == CAT_CIVIL, "Civ");
    CHECK(registry_find_icao(reg, 0x0D0004) == NULL, "bad row not stored");
    CHECK(registry_find_icao(reg, 0xAE1235) == NULL, "absent address");
    CHECK(registry_find_registration(reg, "600001") == a, "lookup by registration");

    // tar1090-db military export; overrides the earlier AE1234 row.
    const char *tdb = "icao_hex,registration,icao_type,type_description,db_flags,military,"
                      "interesting,pia,ladd,in_mil_hex_range\n"
                      "AE1234,60-0001,B52,BOEING B-52H,10,1,0,0,0,1\n"
                      "A00001,N1,C172,CESSNA,0010,0,0,1,0,0\n"
                      "A00002,N2,C172,CESSNA,1x,1,0,0,0,0\n"
                      "A00003,N3,C172\n";
    e.n = 0;
    CHECK_EQ_INT(registry_load_buf(reg, tdb, strlen(tdb), "tdb.csv", on_err, &e, &st), 0,
                 "tar1090 loads");
    CHECK_EQ_INT(st.format, REGFMT_TAR1090_MIL, "tar1090 detected");
    CHECK_EQ_INT(st.loaded, 2, "2 rows loaded");
    CHECK_EQ_INT(st.replaced, 1, "AE1234 replaced");
    CHECK_EQ_INT(st.bad, 2, "bad flags + short row");
    CHECK_EQ_INT(e.lines[0], 4, "bad flags on line 4");
    CHECK_EQ_INT(e.lines[1], 5, "short row on line 5");
    a = registry_find_icao(reg, 0xAE1234);
    CHECK(a && a->file == 1, "later file overrides (file index %d)", a ? a->file : -1);
    CHECK(registry_find_icao(reg, 0xA00001)->cls == AIRCLASS_PIA, "PIA flag bit 2");

    // readsb aircraft.csv (no header, semicolons).
    const char *rs = "AE5678;05-1234;C17;10;BOEING C-17;;USAF\nA00009;N9;C172;0000;CESSNA;;\n";
    CHECK_EQ_INT(registry_load_buf(reg, rs, strlen(rs), "aircraft.csv", on_err, &e, &st), 0,
                 "readsb csv loads");
    CHECK_EQ_INT(st.format, REGFMT_READSB, "readsb detected");
    CHECK_EQ_INT(st.loaded, 2, "first line is data");
    CHECK(registry_find_icao(reg, 0xAE5678)->role == ROLE_TRANSPORT, "C17 transport");
    CHECK(registry_find_icao(reg, 0xA00009)->category == CAT_UNKNOWN, "no flags: unknown");

    // Ships: seed list, hull list and orbat format.
    const char *seed = "name,hull,class,type,first_reported_in_theatre,notes,mmsi_candidate,"
                       "mmsi_source,source\n"
                       "USS Iwo Jima,LHD-7,Wasp-class,amphibious assault ship,2025-08-24,"
                       "\"a, b\",338813000,x,y\n"
                       "USS Gravely,DDG-107,Arleigh Burke-class,guided-missile destroyer,,,"
                       "369970634,x,y\n"
                       "MV Ocean Trader,(none; MSC charter),ro-ro,special operations,,,,,y\n"
                       "USS Nobody,,,,,,12345,x,y\n";
    e.n = 0;
    CHECK_EQ_INT(registry_load_buf(reg, seed, strlen(seed), "ships_seed.csv", on_err, &e, &st), 0,
                 "seed loads");
    CHECK_EQ_INT(st.format, REGFMT_SHIPS_SEED, "seed detected");
    CHECK_EQ_INT(st.loaded, 3, "3 ships");
    CHECK_EQ_INT(st.bad, 1, "short MMSI rejected");
    CHECK_EQ_INT(e.lines[0], 5, "bad MMSI on line 5");
    const struct reg_ship *s = registry_find_mmsi(reg, 338813000);
    CHECK(s && !strcmp(s->name, "USS Iwo Jima"), "Iwo Jima by MMSI");
    CHECK(s && !s->mmsi_verified, "seed MMSI is a candidate");
    CHECK(s && s->role == ROLE_AMPHIB_ASSAULT, "amphibious assault role");
    CHECK(s && s->category == CAT_WARSHIP, "warship");
    CHECK(registry_find_ship_hull(reg, "LHD7") == s, "by hull");
    CHECK(registry_find_ship_name(reg, "IWO JIMA") == s, "by name");
    CHECK(registry_find_ship_number(reg, "7") == s, "by unique number");
    const struct reg_ship *ot = registry_find_ship_name(reg, "OCEAN TRADER");
    CHECK(ot != NULL, "ship without hull");
    CHECK(ot && ot->role == ROLE_SPECIAL_OPS, "special operations");

    const char *hex = "hull,name,type,homeport,mmsi,mid,mid_is_us,marinetraffic_shipid,source\n"
                      "CVN-7,USS Fake Seven,Aircraft Carriers,Norfolk,366000007,366,1,1,x\n"
                      "DDG-107,USS Gravely,Guided Missile Destroyers,Norfolk,369970634,369,1,"
                      "1,x\n";
    CHECK_EQ_INT(registry_load_buf(reg, hex, strlen(hex), "hexfair.csv", on_err, &e, &st), 0,
                 "hull list loads");
    CHECK_EQ_INT(st.format, REGFMT_HEXFAIR, "hull list detected");
    CHECK(registry_find_ship_number(reg, "7") == NULL, "number 7 now ambiguous (LHD-7, CVN-7)");
    CHECK(registry_find_ship_number(reg, "107") != NULL, "same hull twice is not ambiguous");
    CHECK(registry_find_ship_hull(reg, "CVN7")->role == ROLE_CARRIER, "carrier role");

    const char *own = "mmsi,name,hull,imo,callsign,class,type,country,operator,category,role,"
                      "mmsi_verified\n"
                      "338813000,USS Iwo Jima,LHD-7,,NIWJ,Wasp,amphibious assault ship,"
                      "United States,US Navy,warship,amphibious assault,1\n"
                      "775000001,Guaiquerí,PC-21,,,,patrol,Venezuela,Armada,warship,patrol,yes\n"
                      "775000002,Bad,,,,,,,,spaceship,,\n"
                      "775000003,Bad Role,,,,,,,,warship,battlestar,\n"
                      "775000004,Bad IMO,,12345678,,,,,,warship,,\n";
    e.n = 0;
    CHECK_EQ_INT(registry_load_buf(reg, own, strlen(own), "mine.csv", on_err, &e, &st), 0,
                 "orbat ships loads");
    CHECK_EQ_INT(st.format, REGFMT_ORBAT_SHIPS, "orbat ships detected");
    CHECK_EQ_INT(st.loaded, 2, "2 ships");
    CHECK_EQ_INT(st.bad, 3, "3 bad rows");
    CHECK_EQ_INT(st.replaced, 1, "Iwo Jima MMSI replaced");
    s = registry_find_mmsi(reg, 338813000);
    CHECK(s && s->mmsi_verified, "user file verifies the MMSI");
    CHECK(registry_find_ship_callsign(reg, "niwj") == s, "by call sign");
    CHECK(registry_find_ship_hull(reg, "LHD7") == s, "hull now points to the newer row");
    CHECK(registry_ship_is_current(reg, s), "newer row current");
    CHECK(!registry_ship_is_current(reg, registry_ship_at(reg, 0)), "older row overridden");

    e.n = 0;
    const char *junk = "what,is,this\n1,2,3\n";
    CHECK_EQ_INT(registry_load_buf(reg, junk, strlen(junk), "junk.csv", on_err, &e, &st), -1,
                 "unknown format rejected");
    CHECK(strstr(e.last, "junk.csv:1: unknown registry format") != NULL, "format error: %s",
          e.last);
    CHECK_EQ_INT(registry_load_buf(reg, "", 0, "empty.csv", on_err, &e, &st), -1, "empty file");
    CHECK_EQ_INT(registry_load_file(reg, "/nonexistent/x.csv", on_err, &e, &st), -1,
                 "missing file");
    CHECK(strstr(e.last, "cannot read") != NULL, "missing file reported: %s", e.last);
    registry_free(reg);
    registry_free(NULL);
}

/* plane-alert-db writes "????" for a registration it does not know; such
 * placeholders load as "" (unknown), so no "????" reaches names or
 * aircraft.json. */
static void test_placeholders(void)
{
    CHECK(registry_placeholder(""), "empty is a placeholder");
    CHECK(registry_placeholder("????"), "???? is a placeholder");
    CHECK(registry_placeholder(" - "), "- is a placeholder");
    CHECK(!registry_placeholder("60-0001"), "60-0001 is a value");
    CHECK(!registry_placeholder("?A"), "?A is a value");
    struct registry *reg = registry_new();
    struct errs e = {0};
    struct reg_load_stats st;
    const char *pa =
        "$ICAO,$Registration,$Operator,$Type,$ICAO Type,#CMPG,$Tag 1,$#Tag 2,"
        "$#Tag 3,Category,$#Link\n"
        "AE6BD2,????,United States Air Force,Rockwell B-1B Lancer,B1,Mil,,,,USAF,\n"
        "AE6BD3,-,-,Rockwell B-1B Lancer,?,Mil,,,,USAF,\n"
        "AE6BD4,86-0099,United States Air Force,Rockwell B-1B Lancer,B1,Mil,,,,USAF,\n";
    CHECK_EQ_INT(registry_load_buf(reg, pa, strlen(pa), "pa.csv", on_err, &e, &st), 0,
                 "placeholder rows load");
    CHECK_EQ_INT(st.loaded, 3, "3 rows loaded");
    const struct reg_aircraft *a = registry_find_icao(reg, 0xAE6BD2);
    CHECK(a && a->registration[0] == '\0', "???? registration is unknown (%s)",
          a ? a->registration : "missing");
    CHECK(a && !strcmp(a->icao_type, "B1"), "type kept");
    a = registry_find_icao(reg, 0xAE6BD3);
    CHECK(a && !a->registration[0] && !a->operator_name[0] && !a->icao_type[0],
          "- and ? are unknown (%s/%s/%s)", a ? a->registration : "", a ? a->operator_name : "",
          a ? a->icao_type : "");
    a = registry_find_icao(reg, 0xAE6BD4);
    CHECK(a && !strcmp(a->registration, "86-0099"), "a real registration is kept");
    CHECK(registry_find_registration(reg, "????") == NULL, "???? is no registration key");
    // readsb's aircraft.csv (hex;registration;type;flags;description;year;owner)
    const char *rs = "AE6BD5;????;B1;10;ROCKWELL B-1B;;-\n";
    CHECK_EQ_INT(registry_load_buf(reg, rs, strlen(rs), "aircraft.csv", on_err, &e, &st), 0,
                 "readsb rows load");
    a = registry_find_icao(reg, 0xAE6BD5);
    CHECK(a && !a->registration[0] && !a->operator_name[0], "readsb ???? and - are unknown");
    // The identification takes no "????" name: BARB22's name stays unset.
    struct ident_input in = {.kind = OBS_AIRCRAFT, .id = 0xAE6BD2};
    struct ident_result r;
    ident_evaluate(reg, NULL, &in, &r);
    bool q = strstr(r.name, "??") != NULL;
    for (int i = 0; i < r.nreasons; i++)
        q = q || strstr(r.reasons[i].evidence, "??") != NULL;
    CHECK(!q && r.category == CAT_MILITARY_AIRCRAFT, "no ???? in the identification (name '%s')",
          r.name);
    registry_free(reg);
}

static void test_defaults(void)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/data", root());
    struct registry *reg = registry_new();
    struct errs e = {0};
    CHECK_EQ_INT(registry_load_defaults(reg, dir, on_err, &e), 0, "shipped files load");
    CHECK(e.n == 0, "shipped files have no bad rows (%d; %s)", e.n, e.last);
    CHECK(registry_aircraft_count(reg) > 17000, "plane-alert rows (%zu)",
          registry_aircraft_count(reg));
    CHECK_EQ_INT(registry_ship_count(reg), 17, "17 seed ships");
    const struct reg_aircraft *a = registry_find_icao(reg, 0x000004);
    CHECK(a && a->category == CAT_MILITARY_AIRCRAFT && !strcmp(a->registration, "FAC1282"),
          "000004 Colombian C295");
    const struct reg_ship *s = registry_find_ship_hull(reg, "CVN78");
    CHECK(s && !strcmp(s->name, "USS Gerald R. Ford"), "Ford by hull");
    CHECK(s && s->role == ROLE_CARRIER, "Ford carrier");
    CHECK(a && !strcmp(registry_url(reg, a->url), "https://w.wiki/8pa2"),
          "000004 keeps plane-alert's $#Link (%s)", a ? registry_url(reg, a->url) : "");
    CHECK(s && !strncmp(registry_url(reg, s->url), "https://", 8) &&
              !strchr(registry_url(reg, s->url), ' ') && !strchr(registry_url(reg, s->url), ';'),
          "Ford keeps the first URL of its sources (%s)", s ? registry_url(reg, s->url) : "");
    registry_free(reg);
}

static void test_urls(void)
{
    struct registry *reg = registry_new();
    struct reg_load_stats st;
    const char *seed = "name,hull,class,type,first_reported_in_theatre,notes,mmsi_candidate,"
                       "mmsi_source,source\n"
                       "USS One,DDG-1,c,destroyer,2025-01-01,n,,x,https://a.example/1 ; "
                       "https://b.example/2\n"
                       "USS Two,DDG-2,c,destroyer,2025-01-01,n,,x,see the press release\n"
                       "USS Three,DDG-3,c,destroyer,2025-01-01,n,,x,javascript:alert(1)\n";
    CHECK_EQ_INT(registry_load_buf(reg, seed, strlen(seed), "seed.csv", NULL, NULL, &st), 0,
                 "seed list with sources loads");
    const struct reg_ship *s = registry_find_ship_hull(reg, "DDG1");
    CHECK(s && !strcmp(registry_url(reg, s->url), "https://a.example/1"),
          "first URL of 'URL ; URL' (%s)", s ? registry_url(reg, s->url) : "");
    s = registry_find_ship_hull(reg, "DDG2");
    CHECK(s && s->url == 0 && !strcmp(registry_url(reg, s->url), ""), "text without a URL: none");
    s = registry_find_ship_hull(reg, "DDG3");
    CHECK(s && s->url == 0, "a javascript: link is not kept");
    char longurl[REG_URL_MAX + 20];
    memset(longurl, 'x', sizeof longurl - 1);
    longurl[sizeof longurl - 1] = '\0';
    char air[2 * REG_URL_MAX];
    int n = snprintf(air, sizeof air,
                     "icao,registration,type,icao_type,operator,country,category,role,source_url\n"
                     "AE0001,R,t,B52,o,c,military,bomber,http://%s\n"
                     "AE0002,R2,t,B52,o,c,military,bomber,http://ok.example/\n",
                     longurl);
    CHECK(n > 0 && (size_t)n < sizeof air, "test buffer holds the rows");
    CHECK_EQ_INT(registry_load_buf(reg, air, strlen(air), "air.csv", NULL, NULL, &st), 0,
                 "orbat aircraft with source_url loads");
    const struct reg_aircraft *a = registry_find_icao(reg, 0xAE0001);
    CHECK(a && a->url == 0, "an over-long URL is not kept (nor cut)");
    a = registry_find_icao(reg, 0xAE0002);
    CHECK(a && !strcmp(registry_url(reg, a->url), "http://ok.example/"), "source_url column (%s)",
          a ? registry_url(reg, a->url) : "");
    CHECK(!strcmp(registry_url(reg, 999999), "") && !strcmp(registry_url(NULL, 1), ""),
          "out-of-range url handle: empty");
    registry_free(reg);
}

int main(void)
{
    test_csv();
    test_tables();
    test_names();
    test_loaders();
    test_placeholders();
    test_defaults();
    test_urls();
    return check_exit();
}
