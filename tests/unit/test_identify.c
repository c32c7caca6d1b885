/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_identify.c - every identification rule with a positive and a
 * negative case, the confidence ladder, callsign rule files, and the
 * per-asset cache (re-evaluation only when static data changes).
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "registry/callsign.h"
#include "registry/identify.h"
#include "registry/registry.h"

static struct registry *reg;
static struct callsign_rules *rules;

static int nerr;
static uint32_t err_line;
static void on_err(void *ctx, const char *file, uint32_t line, const char *msg)
{
    (void)ctx;
    (void)file;
    (void)msg;
    nerr++;
    err_line = line;
}

static void setup(void)
{
    reg = registry_new();
    const char *pa = "$ICAO,$Registration,$Operator,$Type,$ICAO Type,#CMPG,$Tag 1,$#Tag 2,"
                     "$#Tag 3,Category,$#Link\n"
                     "AE0001,60-0001,United States Air Force,Boeing B-52H,B52,Mil,,,,USAF,\n"
                     "0D0001,XC-GOV,Mexican Government,x,GLF5,Gov,,,,Governments,\n"
                     "0D0002,XA-POL,Policia,x,EC45,Pol,,,,Police Forces,\n"
                     "3C0001,D-CIVL,Somebody,x,C172,Civ,,,,Vanity Plate,\n";
    const char *pia = "$ICAO,$Registration,$Operator,$Type,$ICAO Type,#CMPG,$Tag 1,$#Tag 2,"
                      "$#Tag 3,Category,$#Link,#ImageLink,#ImageLink2,#ImageLink3\n"
                      "A038BC,N82123\n";
    const char *seed = "name,hull,class,type,first_reported_in_theatre,notes,mmsi_candidate,"
                       "mmsi_source,source\n"
                       "USS Iwo Jima,LHD-7,Wasp-class,amphibious assault ship,,,338813000,x,y\n"
                       "USS Gravely,DDG-107,Arleigh Burke-class,guided-missile destroyer,,,"
                       "369970634,x,y\n";
    const char *own = "mmsi,name,hull,imo,callsign,class,type,country,operator,category,role,"
                      "mmsi_verified\n"
                      "366999001,USCGC Stone,WMSL-758,,NSTO,Legend,cutter,United States,USCG,"
                      "law enforcement,patrol,1\n"
                      ",USNS Supply,T-AOE-6,9000001,NSUP,,fast combat support ship,United "
                      "States,MSC,warship,auxiliary,0\n";
    nerr = 0;
    registry_load_buf(reg, pa, strlen(pa), "pa.csv", on_err, NULL, NULL);
    registry_load_buf(reg, pia, strlen(pia), "plane-alert-pia.csv", on_err, NULL, NULL);
    registry_load_buf(reg, seed, strlen(seed), "ships_seed.csv", on_err, NULL, NULL);
    registry_load_buf(reg, own, strlen(own), "own.csv", on_err, NULL, NULL);
    CHECK_EQ_INT(nerr, 0, "test registry loads cleanly");
    rules = callsign_rules_new();
    const char *rf = "# comment line, with commas\n"
                     "pattern,category,role,operator,country,strength,source\n"
                     "RCH#*,military aircraft,transport,AMC,United States,medium,doc 8585\n"
                     "BUNNY##,military aircraft,bomber,B-52,United States,medium,news\n"
                     "SAM#*,government,transport,SAM,United States,medium,7110.65\n";
    CHECK_EQ_INT(callsign_rules_load_buf(rules, rf, strlen(rf), "rules.csv", on_err, NULL), 3,
                 "3 callsign rules");
}

static bool has_reason(const struct ident_result *r, const char *rule)
{
    for (int i = 0; i < r->nreasons; i++)
        if (!strcmp(r->reasons[i].rule, rule))
            return true;
    return false;
}

static struct ident_result air(uint32_t icao, const char *callsign, uint32_t flags)
{
    struct ident_input in;
    memset(&in, 0, sizeof in);
    in.kind = OBS_AIRCRAFT;
    in.id = icao;
    in.flags = flags;
    if (callsign)
        snprintf(in.callsign, sizeof in.callsign, "%s", callsign);
    struct ident_result r;
    ident_evaluate(reg, rules, &in, &r);
    return r;
}

static struct ident_result air_emitter(uint32_t icao, uint8_t cat)
{
    struct ident_input in;
    memset(&in, 0, sizeof in);
    in.kind = OBS_AIRCRAFT;
    in.id = icao;
    in.has_emitter = true;
    in.emitter = cat;
    struct ident_result r;
    ident_evaluate(reg, rules, &in, &r);
    return r;
}

static struct ident_result ship(uint32_t mmsi, const char *name, int type, const char *cs,
                                uint32_t imo)
{
    struct ident_input in;
    memset(&in, 0, sizeof in);
    in.kind = OBS_SHIP;
    in.id = mmsi;
    if (name)
        snprintf(in.name, sizeof in.name, "%s", name);
    if (cs)
        snprintf(in.callsign, sizeof in.callsign, "%s", cs);
    if (type >= 0) {
        in.has_ship_type = true;
        in.ship_type = (uint8_t)type;
    }
    in.imo = imo;
    struct ident_result r;
    ident_evaluate(reg, rules, &in, &r);
    return r;
}

#define EXPECT(r, cat, conf, desc)                                                                 \
    do {                                                                                           \
        CHECK((r).category == (cat) && (r).confidence == (conf), "%s: got %s/%s (score %d)", desc, \
              registry_category_name((r).category), ident_confidence_name((r).confidence),         \
              (r).score);                                                                          \
    } while (0)

static void test_aircraft(void)
{
    struct ident_result r;
    // A.MIL_BLOCK
    r = air(0xAE1234, NULL, 0);
    EXPECT(r, CAT_MILITARY_AIRCRAFT, CONF_LIKELY, "US military block alone -> likely");
    CHECK(has_reason(&r, "A.MIL_BLOCK"), "A.MIL_BLOCK reason");
    CHECK_EQ_STR(r.country, "United States", "country from block");
    r = air(0xA12345, NULL, 0);
    EXPECT(r, CAT_CIVIL, CONF_POSSIBLE, "US civil address -> civil/possible");
    CHECK(!has_reason(&r, "A.MIL_BLOCK"), "no A.MIL_BLOCK for A12345");
    // Whole country blocks are not military.
    r = air(0x0D8123, NULL, 0);
    EXPECT(r, CAT_CIVIL, CONF_POSSIBLE, "Venezuelan address is not military");
    CHECK(has_reason(&r, "A.ICAO_COUNTRY"), "A.ICAO_COUNTRY reason");
    CHECK_EQ_STR(r.country, "Venezuela", "Venezuela");
    // Chile E806xx: disabled in readsb (civil aircraft there).
    r = air(0xE80610, NULL, 0);
    EXPECT(r, CAT_CIVIL, CONF_POSSIBLE, "Chile E806xx not military");
    CHECK(has_reason(&r, "A.MIL_BLOCK_OFF"), "A.MIL_BLOCK_OFF reason");
    r = air(0xE80500, NULL, 0);
    CHECK(!has_reason(&r, "A.MIL_BLOCK_OFF"), "Chile outside E806xx: no A.MIL_BLOCK_OFF");
    // A.REGISTRY
    r = air(0xAE0001, NULL, 0);
    EXPECT(r, CAT_MILITARY_AIRCRAFT, CONF_CONFIRMED, "registry Mil + block -> confirmed");
    CHECK_EQ_INT(r.role, ROLE_BOMBER, "B52 bomber role");
    CHECK_EQ_STR(r.name, "60-0001", "registration as name");
    CHECK(has_reason(&r, "A.REGISTRY"), "A.REGISTRY reason");
    r = air(0x0D0001, NULL, 0);
    EXPECT(r, CAT_GOVERNMENT, CONF_CONFIRMED, "registry Gov");
    r = air(0x0D0002, NULL, 0);
    EXPECT(r, CAT_LAW_ENFORCEMENT, CONF_CONFIRMED, "registry Pol");
    r = air(0x3C0001, NULL, 0);
    EXPECT(r, CAT_CIVIL, CONF_LIKELY, "registry Civ -> civil likely");
    r = air(0x0D0003, NULL, 0);
    CHECK(!has_reason(&r, "A.REGISTRY"), "absent from registry: no A.REGISTRY");
    // A.PIA
    r = air(0xA038BC, NULL, 0);
    CHECK(has_reason(&r, "A.PIA"), "PIA address flagged");
    CHECK(r.category != CAT_MILITARY_AIRCRAFT && r.name[0] == '\0',
          "PIA: no identity claimed (name '%s')", r.name);
    // CALLSIGN
    r = air(0xA12345, "RCH4213", 0);
    EXPECT(r, CAT_MILITARY_AIRCRAFT, CONF_LIKELY, "RCH callsign alone -> likely");
    CHECK_EQ_INT(r.role, ROLE_TRANSPORT, "RCH transport");
    r = air(0xA12345, "RCHX", 0);
    EXPECT(r, CAT_CIVIL, CONF_POSSIBLE, "RCHX does not match RCH#*");
    r = air(0x3C6444, "DLH123", 0);
    EXPECT(r, CAT_CIVIL, CONF_POSSIBLE, "airline callsign");
    CHECK(!has_reason(&r, "CALLSIGN"), "no CALLSIGN reason for DLH123");
    r = air(0xAE4321, "BUNNY01", 0);
    EXPECT(r, CAT_MILITARY_AIRCRAFT, CONF_CONFIRMED, "block + bomber callsign -> confirmed");
    CHECK_EQ_INT(r.role, ROLE_BOMBER, "BUNNY bomber");
    r = air(0xA12345, "SAM28000", 0);
    EXPECT(r, CAT_GOVERNMENT, CONF_LIKELY, "SAM -> government");
    // A.DF19
    r = air(0x123456, NULL, OBS_F_DF19);
    EXPECT(r, CAT_MILITARY_AIRCRAFT, CONF_LIKELY, "DF19 -> likely military");
    CHECK(has_reason(&r, "A.DF19"), "A.DF19 reason");
    r = air(0x123456, NULL, 0);
    CHECK(!has_reason(&r, "A.DF19"), "no DF19 flag, no reason");
    // A.EMITTER
    r = air_emitter(0x3C6444, 0xA6);
    EXPECT(r, CAT_MILITARY_AIRCRAFT, CONF_POSSIBLE, "A6 high performance -> possible");
    CHECK_EQ_INT(r.role, ROLE_FIGHTER, "A6 fighter role");
    r = air_emitter(0x3C6444, 0xB6);
    EXPECT(r, CAT_MILITARY_AIRCRAFT, CONF_POSSIBLE, "B6 UAV -> possible");
    CHECK_EQ_INT(r.role, ROLE_UAV, "B6 UAV role");
    r = air_emitter(0x3C6444, 0xA7);
    EXPECT(r, CAT_CIVIL, CONF_POSSIBLE, "A7 rotorcraft alone is not military");
    r = air_emitter(0x3C6444, 0xA3);
    CHECK(!has_reason(&r, "A.EMITTER"), "A3 large: no emitter reason");
    // A.ANON / A.TISB: address rules skipped.
    r = air(0xAE1234, NULL, OBS_F_ANON | OBS_F_TISB);
    EXPECT(r, CAT_UNKNOWN, CONF_NONE, "anonymous address in a mil block is not military");
    CHECK(has_reason(&r, "A.ANON") && has_reason(&r, "A.TISB"), "ANON and TISB reasons");
    r = air(0xAE1234, NULL, OBS_F_TISB);
    CHECK(has_reason(&r, "A.TISB") && has_reason(&r, "A.MIL_BLOCK"),
          "TIS-B with an ICAO address keeps address rules");
}

static void test_ships(void)
{
    struct ident_result r;
    // S.TYPE35 / S.TYPE55 / S.TYPE59 / civil types
    r = ship(244123456, "ZR SHIP", 35, NULL, 0);
    EXPECT(r, CAT_WARSHIP, CONF_LIKELY, "type 35 -> warship likely");
    CHECK(has_reason(&r, "S.TYPE35"), "S.TYPE35 reason");
    CHECK_EQ_STR(r.country, "Netherlands", "flag from MID 244");
    r = ship(368123456, NULL, -1, NULL, 0);
    CHECK_EQ_STR(r.country, "United States", "MID 368 USA reported as United States");
    r = ship(357951000, "NAVIOS MAGELLAN", 35, NULL, 0);
    EXPECT(r, CAT_WARSHIP, CONF_POSSIBLE, "type 35 under the Panama flag -> only possible");
    CHECK(has_reason(&r, "S.OPEN_REGISTRY"), "S.OPEN_REGISTRY reason");
    r = ship(257012200, "KNM VIKEN", 35, NULL, 0);
    CHECK(!has_reason(&r, "S.OPEN_REGISTRY"), "Norwegian flag is not an open registry");
    r = ship(244123456, "ZR SHIP", 70, NULL, 0);
    EXPECT(r, CAT_CIVIL, CONF_LIKELY, "type 70 cargo -> civil");
    CHECK(!has_reason(&r, "S.TYPE35"), "no S.TYPE35 for cargo");
    r = ship(257123456, "KV NORNEN", 55, NULL, 0);
    EXPECT(r, CAT_LAW_ENFORCEMENT, CONF_LIKELY, "type 55 -> law enforcement");
    CHECK_EQ_INT(r.role, ROLE_PATROL, "type 55 patrol role");
    r = ship(257123456, "KV NORNEN", 52, NULL, 0);
    CHECK(!has_reason(&r, "S.TYPE55"), "tug is not law enforcement");
    r = ship(366123456, "HOSPITAL", 59, NULL, 0);
    EXPECT(r, CAT_GOVERNMENT, CONF_POSSIBLE, "type 59 noncombatant -> government possible");
    r = ship(257123456, "REDNINGSSKOYTE", 51, NULL, 0);
    CHECK(has_reason(&r, "S.TYPE51") && r.category == CAT_UNKNOWN,
          "type 51 SAR: noted, no category (%s)", registry_category_name(r.category));
    r = ship(257123456, "REDNINGSSKOYTE", 50, NULL, 0);
    CHECK(!has_reason(&r, "S.TYPE51"), "pilot vessel is not SAR");
    r = ship(368000001, "USS NOBODY", 70, NULL, 0);
    CHECK(has_reason(&r, "CIVIL_WINS"), "outweighed claim is explained (CIVIL_WINS)");
    r = ship(368000001, "USS NOBODY", 35, NULL, 0);
    CHECK(!has_reason(&r, "CIVIL_WINS"), "no CIVIL_WINS without civil evidence");
    // S.MID / S.MMSI_KIND
    r = ship(775123456, NULL, -1, NULL, 0);
    EXPECT(r, CAT_UNKNOWN, CONF_NONE, "no static data -> unknown");
    CHECK_EQ_STR(r.country, "Venezuela", "MID 775 Venezuela");
    CHECK(has_reason(&r, "S.MID"), "S.MID reason");
    r = ship(111338123, NULL, -1, NULL, 0);
    CHECK(has_reason(&r, "S.MMSI_KIND") && !has_reason(&r, "S.MID"), "SAR aircraft MMSI kind");
    // S.REG_MMSI: candidate MMSIs need corroboration.
    r = ship(338813000, NULL, -1, NULL, 0);
    EXPECT(r, CAT_WARSHIP, CONF_POSSIBLE, "candidate MMSI alone -> possible");
    CHECK_EQ_STR(r.name, "USS Iwo Jima", "registry name");
    CHECK_EQ_STR(r.hull, "LHD-7", "registry hull");
    CHECK_EQ_INT(r.role, ROLE_AMPHIB_ASSAULT, "amphibious assault");
    r = ship(338813000, NULL, 35, NULL, 0);
    EXPECT(r, CAT_WARSHIP, CONF_LIKELY, "candidate MMSI + type 35 -> likely");
    r = ship(338813000, "IWO JIMA", -1, NULL, 0);
    EXPECT(r, CAT_WARSHIP, CONF_LIKELY, "candidate MMSI + name -> likely");
    r = ship(338813000, "USS IWO JIMA", 35, NULL, 0);
    EXPECT(r, CAT_WARSHIP, CONF_CONFIRMED, "candidate MMSI + prefixed name + 35 -> confirmed");
    r = ship(338813000, "EVER GIVEN", 70, NULL, 0);
    EXPECT(r, CAT_CIVIL, CONF_LIKELY, "candidate MMSI on a declared cargo ship -> civil");
    r = ship(366999001, NULL, -1, NULL, 0);
    EXPECT(r, CAT_LAW_ENFORCEMENT, CONF_CONFIRMED, "verified MMSI -> confirmed");
    r = ship(366999002, NULL, -1, NULL, 0);
    CHECK(!has_reason(&r, "S.REG_MMSI"), "unknown MMSI: no registry reason");
    // S.REG_NAME
    r = ship(368000001, "IWO JIMA LHD7", -1, NULL, 0);
    EXPECT(r, CAT_WARSHIP, CONF_LIKELY, "hull in name -> likely");
    CHECK(has_reason(&r, "S.REG_NAME"), "S.REG_NAME reason");
    r = ship(368000001, "USS IWO JIMA", -1, NULL, 0);
    EXPECT(r, CAT_WARSHIP, CONF_LIKELY, "prefixed name -> likely");
    r = ship(368000001, "IWO JIMA", -1, NULL, 0);
    EXPECT(r, CAT_WARSHIP, CONF_POSSIBLE, "bare name -> possible");
    CHECK(!has_reason(&r, "S.FLAG_MISMATCH"), "US MID 368 matches the registry's United States");
    r = ship(368000001, "WARSHIP 7", -1, NULL, 0);
    EXPECT(r, CAT_WARSHIP, CONF_POSSIBLE, "WARSHIP 7 -> possible via unique number");
    CHECK_EQ_STR(r.name, "USS Iwo Jima", "WARSHIP 7 named Iwo Jima");
    r = ship(244000001, "IWO JIMA", -1, NULL, 0);
    CHECK(r.category != CAT_WARSHIP && has_reason(&r, "S.FLAG_MISMATCH"),
          "bare name under a Dutch flag -> rejected (%s)", registry_category_name(r.category));
    r = ship(368000001, "GRAVELY", 70, NULL, 0);
    EXPECT(r, CAT_CIVIL, CONF_LIKELY, "bare name on a cargo ship -> civil");
    r = ship(368000001, "MAERSK OHIO", -1, NULL, 0);
    CHECK(!has_reason(&r, "S.REG_NAME"), "unrelated name: no match");
    // S.REG_CALLSIGN / S.REG_IMO
    r = ship(368000002, NULL, -1, "NSUP", 0);
    EXPECT(r, CAT_WARSHIP, CONF_LIKELY, "call sign match -> likely");
    CHECK_EQ_INT(r.role, ROLE_AUXILIARY, "USNS Supply auxiliary");
    r = ship(368000002, NULL, -1, "WXYZ", 0);
    CHECK(!has_reason(&r, "S.REG_CALLSIGN"), "unknown call sign: no match");
    r = ship(368000002, NULL, -1, NULL, 9000001);
    EXPECT(r, CAT_WARSHIP, CONF_LIKELY, "IMO match -> likely");
    r = ship(368000002, NULL, -1, NULL, 9000002);
    CHECK(!has_reason(&r, "S.REG_IMO"), "unknown IMO: no match");
    // S.NAME_PREFIX / S.NAME_GENERIC (weak)
    r = ship(368000003, "USS NOBODY", -1, NULL, 0);
    EXPECT(r, CAT_WARSHIP, CONF_POSSIBLE, "USS prefix alone -> possible");
    CHECK(has_reason(&r, "S.NAME_PREFIX"), "S.NAME_PREFIX reason");
    r = ship(368000003, "USCGC NOBODY", -1, NULL, 0);
    EXPECT(r, CAT_LAW_ENFORCEMENT, CONF_POSSIBLE, "USCGC prefix -> law enforcement possible");
    r = ship(368000003, "USS NOBODY", 60, NULL, 0);
    EXPECT(r, CAT_CIVIL, CONF_LIKELY, "USS prefix on a passenger ship -> civil");
    r = ship(368000003, "COAST GUARD", -1, NULL, 0);
    EXPECT(r, CAT_LAW_ENFORCEMENT, CONF_POSSIBLE, "COAST GUARD generic -> possible");
    r = ship(368000003, "US WARSHIP", 35, NULL, 0);
    EXPECT(r, CAT_WARSHIP, CONF_LIKELY, "generic name + 35 -> likely (3)");
    r = ship(368000003, "SEA STAR", -1, NULL, 0);
    EXPECT(r, CAT_UNKNOWN, CONF_NONE, "plain name, no type -> unknown");
    CHECK(!has_reason(&r, "S.NAME_PREFIX") && !has_reason(&r, "S.NAME_GENERIC"),
          "plain name: no name-pattern reason");
}

static void test_rules_file(void)
{
    struct callsign_rules *r = callsign_rules_new();
    const char *bad = "pattern,category,role,operator,country,strength,source\n"
                      "rch#*,military aircraft,transport,x,y,medium,z\n"
                      "RCH#*,spaceship,transport,x,y,medium,z\n"
                      "RCH#*,military aircraft,cook,x,y,medium,z\n"
                      "RCH#*,military aircraft,transport,x,y,huge,z\n"
                      "RCH#*,military aircraft,transport,x,y,medium,\n"
                      "RCH#*,military aircraft\n"
                      "R*CH,military aircraft,transport,x,y,medium,z\n"
                      "OK##,military aircraft,,x,y,weak,z\n";
    nerr = 0;
    CHECK_EQ_INT(callsign_rules_load_buf(r, bad, strlen(bad), "bad.csv", on_err, NULL), 1,
                 "only the last rule is valid");
    CHECK_EQ_INT(nerr, 7, "7 bad lines reported");
    CHECK_EQ_INT(err_line, 8, "last error on line 8");
    nerr = 0;
    CHECK_EQ_INT(callsign_rules_load_buf(r, "a,b\n", 4, "nohdr.csv", on_err, NULL), -1,
                 "bad header rejected");
    CHECK(callsign_pattern_match("RCH#*", "RCH1"), "RCH1 matches");
    CHECK(!callsign_pattern_match("RCH#*", "RCH"), "RCH alone needs a digit");
    CHECK(callsign_pattern_match("BUNNY##", "BUNNY01"), "BUNNY01");
    CHECK(!callsign_pattern_match("BUNNY##", "BUNNY011"), "BUNNY011 too long");
    CHECK(callsign_pattern_match("A?C", "ABC"), "? any");
    CHECK(callsign_rules_match(r, "ok 12") != NULL, "match ignores case and spaces");
    callsign_rules_free(r);

    // The shipped rule file loads without errors.
    const char *root = getenv("ROOT");
    char path[1024];
    snprintf(path, sizeof path, "%s/data/rules/callsigns.csv", root && *root ? root : ".");
    r = callsign_rules_new();
    nerr = 0;
    int n = callsign_rules_load_file(r, path, on_err, NULL);
    CHECK(n >= 10 && nerr == 0, "shipped rules load (%d rules, %d errors)", n, nerr);
    CHECK(callsign_rules_match(r, "RCH4213") != NULL, "shipped RCH rule");
    CHECK(callsign_rules_match(r, "BAW123") == NULL, "BAW123 not matched");
    CHECK(callsign_rules_match(r, "DLH4LX") == NULL, "DLH4LX not matched");
    callsign_rules_free(r);
}

static void test_cache(void)
{
    struct ident_cache *c = ident_cache_new(reg, rules);
    struct obs o;
    memset(&o, 0, sizeof o);
    o.kind = OBS_SHIP;
    o.id = 338813000;
    o.t_ms = 1000;
    const struct ident_asset *a = ident_observe(c, &o);
    CHECK(a && a->res.confidence == CONF_POSSIBLE, "first position: candidate MMSI only");
    CHECK_EQ_INT(a->evaluations, 1, "evaluated once");
    o.t_ms = 2000;
    a = ident_observe(c, &o);
    CHECK_EQ_INT(a->evaluations, 1, "position report: no re-evaluation");
    CHECK_EQ_INT(a->messages, 2, "2 messages");
    o.has = OBS_HAS_NAME | OBS_HAS_SHIPTYPE;
    o.flags = OBS_F_STATIC;
    snprintf(o.name, sizeof o.name, "USS IWO JIMA");
    o.ship_type = 35;
    o.t_ms = 3000;
    a = ident_observe(c, &o);
    CHECK_EQ_INT(a->evaluations, 2, "static data: re-evaluated");
    EXPECT(a->res, CAT_WARSHIP, CONF_CONFIRMED, "after type 5");
    a = ident_observe(c, &o);
    CHECK_EQ_INT(a->evaluations, 2, "same static data: no re-evaluation");
    CHECK_EQ_INT(a->static_messages, 2, "2 static messages");
    snprintf(o.name, sizeof o.name, "EVER GIVEN");
    o.ship_type = 70;
    a = ident_observe(c, &o);
    CHECK_EQ_INT(a->evaluations, 3, "name change: re-evaluated");
    CHECK(a->res.category == CAT_CIVIL, "now civil");
    CHECK_EQ_INT(a->first_ms, 1000, "first seen");
    CHECK_EQ_INT(a->last_ms, 3000, "last seen");

    memset(&o, 0, sizeof o);
    o.kind = OBS_AIRCRAFT;
    o.id = 0xA12345;
    a = ident_observe(c, &o);
    CHECK(a->res.category == CAT_CIVIL, "aircraft without callsign: civil possible");
    o.has = OBS_HAS_CALLSIGN;
    snprintf(o.callsign, sizeof o.callsign, "RCH123");
    a = ident_observe(c, &o);
    CHECK(a->res.category == CAT_MILITARY_AIRCRAFT, "new callsign: re-evaluated to military");
    o.has = 0;
    o.flags = OBS_F_DF19;
    a = ident_observe(c, &o);
    EXPECT(a->res, CAT_MILITARY_AIRCRAFT, CONF_CONFIRMED, "callsign + DF19");
    o.flags = OBS_F_ANON;
    a = ident_observe(c, &o);
    CHECK_EQ_INT(a->messages, 1, "anonymous address is a different asset");
    CHECK_EQ_INT(ident_cache_count(c), 3, "3 assets");
    CHECK(ident_cache_find(c, OBS_AIRCRAFT, 0xA12345, false) == ident_cache_at(c, 1),
          "find in first-seen order");
    CHECK(ident_cache_find(c, OBS_SHIP, 0xA12345, false) == NULL, "kinds are separate");
    // Many assets: the table grows and keeps every asset findable.
    memset(&o, 0, sizeof o);
    o.kind = OBS_SHIP;
    for (uint32_t i = 0; i < 5000; i++) {
        o.id = 200000000 + i * 7;
        if (!ident_observe(c, &o))
            break;
    }
    size_t found = 0;
    for (uint32_t i = 0; i < 5000; i++)
        found += ident_cache_find(c, OBS_SHIP, 200000000 + i * 7, false) != NULL;
    CHECK_EQ_INT(found, 5000, "5000 ships findable after growth");
    ident_cache_reevaluate(c);
    CHECK_EQ_INT(ident_cache_at(c, 0)->evaluations, 4, "reevaluate runs the rules again");
    ident_cache_free(c);
    ident_cache_free(NULL);
}

static struct ident_result air_acdb(uint32_t icao, const char *reg_, const char *type,
                                    const char *ownop, bool has_flags, uint32_t flags)
{
    struct ident_input in;
    memset(&in, 0, sizeof in);
    in.kind = OBS_AIRCRAFT;
    in.id = icao;
    in.has_acdb = true;
    snprintf(in.acdb.reg, sizeof in.acdb.reg, "%s", reg_);
    snprintf(in.acdb.type, sizeof in.acdb.type, "%s", type);
    snprintf(in.acdb.ownop, sizeof in.acdb.ownop, "%s", ownop);
    in.acdb.has_flags = has_flags;
    in.acdb.flags = flags;
    struct ident_result r;
    ident_evaluate(reg, rules, &in, &r);
    return r;
}

/* An archive's own aircraft database (readsb dbFlags, r, t, ownOp). */
static void test_archive_db(void)
{
    struct ident_result r;
    // A civil-block address (A12345 is US civil) flagged military by the
    // archive: a medium indicator alone is "likely".
    r = air_acdb(0xA12345, "12-3456", "C17", "USAF", true, 1);
    EXPECT(r, CAT_MILITARY_AIRCRAFT, CONF_LIKELY, "dbFlags military bit alone");
    CHECK(has_reason(&r, "A.ARCHIVE_MIL"), "A.ARCHIVE_MIL reason");
    CHECK(has_reason(&r, "A.ARCHIVE_DB"), "A.ARCHIVE_DB reason");
    CHECK_EQ_STR(r.name, "12-3456", "registration from the archive names it");
    CHECK_EQ_STR(r.type, "C17", "type from the archive");
    CHECK_EQ_STR(r.operator_name, "USAF", "operator from the archive");
    // Other dbFlags bits (interesting, PIA, LADD) are not military.
    r = air_acdb(0xA12345, "N1", "C172", "", true, 2 | 4 | 8);
    CHECK(!has_reason(&r, "A.ARCHIVE_MIL") && r.category != CAT_MILITARY_AIRCRAFT,
          "dbFlags 14: not military");
    r = air_acdb(0xA12345, "N1", "C172", "", false, 1);
    CHECK(!has_reason(&r, "A.ARCHIVE_MIL"), "no dbFlags key: the bit is not read");
    // With the military address block it is corroborated.
    r = air_acdb(0xAE1234, "", "", "", true, 1);
    CHECK(r.category == CAT_MILITARY_AIRCRAFT && r.confidence >= CONF_LIKELY &&
              has_reason(&r, "A.MIL_BLOCK") && has_reason(&r, "A.ARCHIVE_MIL") &&
              !has_reason(&r, "A.ARCHIVE_DB"),
          "dbFlags + military block; empty fields give no A.ARCHIVE_DB");
}

/* Every AIS ship type 0..99: the civil ranges of ITU-R M.1371-5 Table 53
 * at both ends (issue 20). */
static void test_ship_type_ranges(void)
{
    static const struct {
        unsigned lo, hi;
    } civil[] = {{30, 34}, {36, 37}, {40, 50}, {52, 54}, {58, 58}, {60, 89}};
    int bad = 0;
    for (unsigned t = 0; t < 100; t++) {
        bool want = false;
        for (size_t k = 0; k < sizeof civil / sizeof civil[0]; k++)
            want |= t >= civil[k].lo && t <= civil[k].hi;
        struct ident_result r = ship(244123456, "ZR SHIP", (int)t, NULL, 0);
        bool got = has_reason(&r, "S.TYPE_CIVIL");
        if (got != want || (want && r.category != CAT_CIVIL)) {
            if (bad++ < 5)
                printf("# ship type %u: civil %d, want %d\n", t, got, want);
        }
    }
    CHECK(bad == 0, "ship types 0..99: civil exactly on 30-34, 36-37, 40-50, 52-54, 58, 60-89");
    // Net score at its bounds. A tie between military and civil evidence is
    // civil: registry Civ (medium) against an RCH callsign (medium).
    struct ident_result r = air(0x3C0001, "RCH4213", 0);
    EXPECT(r, CAT_CIVIL, CONF_LIKELY, "military 2 vs civil 2: civil");
    CHECK(has_reason(&r, "CIVIL_WINS"), "tie explained (CIVIL_WINS)");
    // A tie between two non-civil categories goes to the first in order:
    // military block (medium) and a SAM callsign (government, medium).
    r = air(0xAE1234, "SAM44", 0);
    EXPECT(r, CAT_MILITARY_AIRCRAFT, CONF_LIKELY, "military 2 vs government 2: military");
}

int main(void)
{
    setup();
    test_aircraft();
    test_archive_db();
    test_ships();
    test_ship_type_ranges();
    test_rules_file();
    test_cache();
    registry_free(reg);
    callsign_rules_free(rules);
    return check_exit();
}
