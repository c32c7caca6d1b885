/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_claim.c - the strict claim parser (src/claims/claim.h): every unit
 * and qualifier, number and time boundaries, ambiguous input refused with a
 * message that says what to add, spec round trips, and CSV rows in the
 * events_seed.csv layout and the claims layout.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "claims/claim.h"

static int dist(const char *s, enum claim_qual q, double nm, enum claim_unit u)
{
    struct claim_measure m;
    char err[256] = "";
    int rc = claim_parse_measure(s, CLAIM_DISTANCE, &m, err, sizeof err);
    CHECK(rc == 0 && m.qual == q && m.unit == u && fabs(m.nm - nm) < 1e-9,
          "distance '%s' -> qual %d unit %d %.6f nm (%s)", s, (int)m.qual, (int)m.unit, m.nm, err);
    return rc;
}

static void refused(const char *s, enum claim_kind k, const char *want)
{
    struct claim_measure m;
    char err[256] = "";
    int rc = claim_parse_measure(s, k, &m, err, sizeof err);
    CHECK(rc == ORBAT_E_INVAL && strstr(err, want), "'%s' refused, saying '%s': %s", s, want, err);
}

static void count(const char *s, enum claim_qual q, double v, const char *cat)
{
    struct claim_measure m;
    char err[256] = "";
    int rc = claim_parse_measure(s, CLAIM_COUNT, &m, err, sizeof err);
    CHECK(rc == 0 && m.qual == q && m.value == v && !strcmp(m.category, cat),
          "count '%s' -> qual %d %.0f %s (%s)", s, (int)m.qual, m.value, m.category, err);
}

static void spec_refused(const char *spec, const char *want)
{
    struct claim c;
    char err[256] = "";
    int rc = claim_parse_spec(spec, &c, err, sizeof err);
    CHECK(rc == ORBAT_E_INVAL && strstr(err, want), "spec refused (%s): %s", want, err);
}

static void roundtrip(const char *spec, enum claim_kind k)
{
    struct claim c, c2;
    char err[256] = "", a[CLAIM_SPEC_MAX] = "", b[CLAIM_SPEC_MAX] = "";
    int rc = claim_parse_spec(spec, &c, err, sizeof err);
    CHECK(rc == 0 && c.kind == k, "spec parses: %s (%s)", spec, err);
    if (rc)
        return;
    claim_format_spec(&c, a, sizeof a);
    rc = claim_parse_spec(a, &c2, err, sizeof err);
    claim_format_spec(&c2, b, sizeof b);
    CHECK(rc == 0 && !strcmp(a, b), "canonical spec parses to itself: %s", a);
}

static const char *const seed_hdr[] = {"date_utc_approx", "domain",  "asset",
                                       "callsign",        "summary", "source"};

static int seed_row(const char *date, const char *domain, const char *asset, const char *cs,
                    struct claim_row_out *o, char *err, size_t errlen)
{
    const char *f[6] = {date, domain, asset, cs, "summary text", "https://example.org/a"};
    return claim_csv_row(seed_hdr, 6, f, 6, o, err, errlen);
}

int main(void)
{
    // every unit, both spellings, no space
    dist("within 6 nmi", CQ_LE, 6, CU_NM);
    dist("within 6 nm", CQ_LE, 6, CU_NM);
    dist("within 6 nautical miles", CQ_LE, 6, CU_NM);
    dist("Within 1 Nautical Mile", CQ_LE, 1, CU_NM);
    dist("about 80 km", CQ_ABOUT, 80 / 1.852, CU_KM);
    dist("about 80km", CQ_ABOUT, 80 / 1.852, CU_KM);
    dist("about 80 kilometres", CQ_ABOUT, 80 / 1.852, CU_KM);
    dist("about 80 kilometers", CQ_ABOUT, 80 / 1.852, CU_KM);
    dist("at least 10 mi", CQ_GE, 10 * 1609.344 / 1852, CU_MI);
    dist("at least 10 statute miles", CQ_GE, 10 * 1609.344 / 1852, CU_MI);
    // every qualifier
    dist("at most 12 nm", CQ_LE, 12, CU_NM);
    dist("no more than 12 nm", CQ_LE, 12, CU_NM);
    dist("up to 12 nm", CQ_LE, 12, CU_NM);
    dist("less than 10 km", CQ_LT, 10 / 1.852, CU_KM);
    dist("under 10 km", CQ_LT, 10 / 1.852, CU_KM);
    dist("around 5 nm", CQ_ABOUT, 5, CU_NM);
    dist("approximately 5 nm", CQ_ABOUT, 5, CU_NM);
    dist("roughly 5 nm", CQ_ABOUT, 5, CU_NM);
    dist("~5 nm", CQ_ABOUT, 5, CU_NM);
    dist("no less than 3 nm", CQ_GE, 3, CU_NM);
    dist("more than 3 nm", CQ_GT, 3, CU_NM);
    dist("over 3 nm", CQ_GT, 3, CU_NM);
    dist("beyond 3 nm", CQ_GT, 3, CU_NM);
    dist("<= 3 nm", CQ_LE, 3, CU_NM);
    dist("< 3 nm", CQ_LT, 3, CU_NM);
    dist(">= 3 nm", CQ_GE, 3, CU_NM);
    dist("> 3 nm", CQ_GT, 3, CU_NM);
    dist("  within   6.5\tnmi  ", CQ_LE, 6.5, CU_NM);
    // boundaries
    dist("within 5400 nm", CQ_LE, 5400, CU_NM);
    refused("within 5401 nm", CLAIM_DISTANCE, "at most 5400");
    refused("within 0 nm", CLAIM_DISTANCE, "> 0");
    refused("within -3 nm", CLAIM_DISTANCE, "digits");
    // ambiguous or wrong: refused, saying what to add
    refused("6 nmi", CLAIM_DISTANCE, "no qualifier: add one of within");
    refused("within 6", CLAIM_DISTANCE, "no unit: add nm, nmi, km or mi");
    refused("within 6 miles", CLAIM_DISTANCE, "'miles' is ambiguous");
    refused("within 6 mile", CLAIM_DISTANCE, "'miles' is ambiguous");
    refused("within 6 furlongs", CLAIM_DISTANCE, "unknown unit 'furlongs'");
    refused("within 6 m", CLAIM_DISTANCE, "unknown unit 'm'");
    refused("within six nmi", CLAIM_DISTANCE, "digits");
    refused("nearly 6 nmi", CLAIM_DISTANCE, "unknown qualifier");
    refused("exactly 6 nm", CLAIM_DISTANCE, "'exactly' is for counts");
    refused("within 6 nmi of Venezuela", CLAIM_DISTANCE, "unexpected 'of venezuela'");
    refused("", CLAIM_DISTANCE, "empty claim");
    refused("within 6..5 nm", CLAIM_DISTANCE, "bad number");
    // counts
    count("at least 10 warships", CQ_GE, 10, "warship");
    count("more than 15 warships", CQ_GT, 15, "warship");
    count("about 8 U.S. Navy ships", CQ_ABOUT, 8, "warship");
    count("exactly 8 navy vessels", CQ_EQ, 8, "warship");
    count("at most 3 bombers", CQ_LE, 3, "bomber");
    count("fewer than 4 military aircraft", CQ_LT, 4, "military aircraft");
    count("at least 0 assets", CQ_GE, 0, "military");
    count("at least 100000 ships", CQ_GE, 100000, "warship");
    refused("at least 100001 ships", CLAIM_COUNT, "whole number");
    refused("about 8.5 ships", CLAIM_COUNT, "whole number");
    refused("8 warships", CLAIM_COUNT, "no qualifier: add one of exactly, at least");
    refused("at least 10", CLAIM_COUNT, "add warships, bombers, aircraft or assets");
    refused("at least 10 troops", CLAIM_COUNT, "cannot count 'troops'");
    refused("at least ten warships", CLAIM_COUNT, "digits");
    refused("within 6 nm", CLAIM_PRESENCE, "only distance and count");

    // specs: each kind round-trips through the canonical form
    roundtrip("kind=distance; asset=BARB21; from=2025-10-23; to=2025-10-24; "
              "ref=venezuela_coast; claim=within 6 nmi",
              CLAIM_DISTANCE);
    roundtrip("kind=distance; asset=hex:ae6bd1; from=2025-10-23T18:00Z; to=2025-10-23T19:00Z; "
              "ref=point:11.38,-63.12; claim=about 80 km",
              CLAIM_DISTANCE);
    roundtrip("kind=presence;asset=BUNNY0*;from=2025-10-15;to=2025-10-16;"
              "area=zone:venezuela_50nm_approx",
              CLAIM_PRESENCE);
    roundtrip("kind=absence; asset=mmsi:369970634; from=2025-10-27; to=2025-10-28; "
              "area=bbox:10,-62,11,-61",
              CLAIM_ABSENCE);
    roundtrip("kind=count; from=2025-10-16T12:00Z; to=2025-10-23T12:00Z; claim=at most 5 warships",
              CLAIM_COUNT);
    roundtrip("kind=count; from=2025-10-16; to=2025-10-23; claim=fewer than 5 bombers; "
              "theatre=caribbean; area=caribbean",
              CLAIM_COUNT);
    roundtrip("kind=incident; from=2025-10-23T18:00Z; to=2025-10-23T19:00Z; "
              "area=circle:11.45,-63.10,20 km",
              CLAIM_INCIDENT);
    roundtrip("kind=presence; asset=role:bomber; from=1970-01-01; to=1970-01-02", CLAIM_PRESENCE);
    roundtrip("kind=presence; asset=X; from=2199-12-30; to=2200-01-01", CLAIM_PRESENCE);
    {
        struct claim c;
        char err[128];
        claim_parse_spec("kind=incident; from=2025-10-23; to=2025-10-24; area=circle:1,2,10 mi", &c,
                         err, sizeof err);
        CHECK_NEAR(c.radius_nm, 10 * 1609.344 / 1852, 1e-9, "circle radius in statute miles");
    }
    // times, windows and missing pieces
    spec_refused("kind=presence; asset=X; from=1969-12-31; to=2025-01-01", "outside 1970");
    spec_refused("kind=presence; asset=X; from=2025-01-01; to=2200-01-02", "outside 1970");
    spec_refused("kind=presence; asset=X; from=2025-01-01; to=2025-01-01", "empty time window");
    spec_refused("kind=presence; asset=X; from=2025-01-02; to=2025-01-01", "empty time window");
    spec_refused("kind=presence; asset=X; from=2024-01-01; to=2025-06-01", "longer than 366");
    spec_refused("kind=presence; asset=X; from=yesterday; to=2025-01-01", "not a time");
    spec_refused("kind=presence; asset=X; from=now; to=2200-01-01", "not a time");
    spec_refused("kind=presence; asset=X; from=2025-01-01", "from= and to=");
    spec_refused("kind=distance; asset=X; from=2025-01-01; to=2025-01-02; claim=within 6 nm",
                 "needs ref=");
    spec_refused("kind=distance; asset=X; from=2025-01-01; to=2025-01-02; ref=venezuela_coast",
                 "needs claim=");
    spec_refused("kind=distance; from=2025-01-01; to=2025-01-02; ref=a; claim=within 6 nm",
                 "needs asset=");
    spec_refused("kind=distance; asset=X; from=2025-01-01; to=2025-01-02; ref=a; claim=6 nm",
                 "no qualifier");
    spec_refused("kind=count; asset=X; from=2025-01-01; to=2025-01-02; claim=at least 1 ships",
                 "takes no asset");
    spec_refused("kind=incident; from=2025-01-01; to=2025-01-02", "area=circle:");
    spec_refused("kind=incident; from=2025-01-01; to=2025-01-02; area=circle:11,-63,20",
                 "has no unit");
    spec_refused("kind=incident; from=2025-01-01; to=2025-01-02; area=circle:11,-63,20 miles",
                 "ambiguous");
    spec_refused("kind=incident; from=2025-01-01; to=2025-01-02; area=circle:91,-63,20 km",
                 "circle:LAT,LON");
    spec_refused("kind=presence; asset=X; from=2025-01-01; to=2025-01-02; area=bbox:11,0,10,1",
                 "bbox:SOUTH");
    spec_refused("kind=presence; asset=hex:ae6bd; from=2025-01-01; to=2025-01-02", "6 hex");
    spec_refused("kind=presence; asset=mmsi:12345678; from=2025-01-01; to=2025-01-02", "9 digits");
    spec_refused("kind=presence; asset=B*X; from=2025-01-01; to=2025-01-02", "'*' only ends");
    spec_refused("kind=rumour; asset=X; from=2025-01-01; to=2025-01-02", "kind=distance");
    spec_refused("kind=presence; asset=X; asset=Y; from=2025-01-01; to=2025-01-02", "twice");
    spec_refused("kind=presence; colour=X; from=2025-01-01; to=2025-01-02", "unknown key");
    spec_refused("kind=distance; asset=X; from=2025-01-01; to=2025-01-02; ref=point:0,200; "
                 "claim=within 1 nm",
                 "point:LAT,LON");

    // CSV rows, events_seed.csv layout
    struct claim_row_out o;
    char err[256] = "";
    int rc =
        seed_row("2025-10-15", "air", "B-52H x3 (2nd Bomb Wing, Barksdale)",
                 "callsigns BUNNY01/02/03 (per Flightradar24 via reports)", &o, err, sizeof err);
    CHECK(rc == 0 && strstr(o.spec, "kind=presence; asset=BUNNY0*; from=2025-10-15T00:00:00Z; "
                                    "to=2025-10-16T00:00:00Z"),
          "seed row: BUNNY01/02/03 -> presence of BUNNY0* that day: %s %s", o.spec, err);
    CHECK(!strcmp(o.source_url, "https://example.org/a") && !strcmp(o.text, "summary text"),
          "seed row: source and summary kept");
    rc = seed_row("2025-10-23", "air", "B-1B x2 (Dyess AFB)", "callsign BARB21 / 'BARB'", &o, err,
                  sizeof err);
    CHECK(rc == 0 && strstr(o.spec, "asset=BARB21;"), "seed row: BARB21: %s %s", o.spec, err);
    rc = seed_row("2025-10-26", "sea", "USS Gravely DDG-107", "", &o, err, sizeof err);
    CHECK(rc == 0 && strstr(o.spec, "asset=DDG-107;"), "seed row: hull DDG-107: %s %s", o.spec,
          err);
    rc = seed_row("2025-09-20", "sea", "MV Ocean Trader", "", &o, err, sizeof err);
    CHECK(rc == 0 && strstr(o.spec, "asset=Ocean Trader;"), "seed row: MV name: %s %s", o.spec,
          err);
    rc = seed_row("2025-12-23", "air", "C-17 (multiple)", "", &o, err, sizeof err);
    CHECK(rc == ORBAT_E_INVAL && strstr(err, "add a callsign"), "seed row without key: %s", err);
    rc = seed_row("2025-10-23", "count", "BBC Verify order-of-battle", "", &o, err, sizeof err);
    CHECK(rc == ORBAT_E_INVAL && strstr(err, "needs a claim column"), "seed count row: %s", err);
    rc = seed_row("2025-13-23", "air", "x", "BARB21", &o, err, sizeof err);
    CHECK(rc == ORBAT_E_INVAL && strstr(err, "YYYY-MM-DD"), "seed row bad date: %s", err);
    rc = seed_row("1969-10-23", "air", "x", "BARB21", &o, err, sizeof err);
    CHECK(rc == ORBAT_E_INVAL && strstr(err, "outside"), "seed row before 1970: %s", err);
    rc = seed_row("2025-10-23", "land", "x", "BARB21", &o, err, sizeof err);
    CHECK(rc == ORBAT_E_INVAL && strstr(err, "air, sea or count"), "seed row domain: %s", err);
    // claims layout
    static const char *const hdr[] = {"kind",  "asset", "from",   "to",       "ref",
                                      "claim", "text",  "source", "claimant", "published"};
    const char *f1[] = {"distance",     "BARB21", "2025-10-23", "2025-10-24", "venezuela_coast",
                        "within 6 nmi", "6 nmi",  "https://x",  "WSJ",        "2025-10-24"};
    rc = claim_csv_row(hdr, 10, f1, 10, &o, err, sizeof err);
    CHECK(rc == 0 && strstr(o.spec, "claim=within 6 nm") && !strcmp(o.claimant, "WSJ") &&
              o.published_ms == 1761264000000LL,
          "claims layout row: %s %s", o.spec, err);
    const char *f2[] = {"distance",       "BARB21", "2025-10-23", "2025-10-24", "venezuela_coast",
                        "within 6 miles", "",       "",           "",           ""};
    rc = claim_csv_row(hdr, 10, f2, 10, &o, err, sizeof err);
    CHECK(rc == ORBAT_E_INVAL && strstr(err, "ambiguous"), "claims layout, miles refused: %s", err);
    return check_exit();
}
