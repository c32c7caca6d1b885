/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_replay.c - the aircraft.json clock (src/http/replay.c: replay,
 * live and history modes, the loop past the newest data) and the aircraft
 * database fields parsed from stored reasons (src/http/acinfo.c).
 */
#include <string.h>

#include "check.h"
#include "http/acinfo.h"
#include "http/replay.h"

#define H (3600 * 1000LL)

static void test_clock(void)
{
    const int64_t first = 1000 * H, last = 1010 * H, wall = 2000 * H;
    enum replay_mode m;
    struct replay_clock c = {.set = true, .start_ms = 1002 * H, .speed = 60, .t0_mono_ms = 500};
    CHECK_EQ_INT(replay_now(&c, 500, wall, true, first, last, &m), 1002 * H,
                 "replay: starts at TIME");
    CHECK_EQ_INT(m, REPLAY_SET, "replay mode");
    CHECK_EQ_INT(replay_now(&c, 500 + 60000, wall, true, first, last, NULL), 1003 * H,
                 "replay: 1 min real = 1 h at 60x");
    CHECK_EQ_INT(replay_now(&c, 500 + 8 * 60000 + 1000, wall, true, first, last, NULL),
                 1002 * H + 60000, "replay: past the newest data it loops back to TIME");
    CHECK_EQ_INT(replay_now(&c, 100, wall, true, first, last, NULL), 1002 * H,
                 "replay: a clock before t0 does not run backwards");
    c.start_ms = 1020 * H; // after the data: nothing to loop over
    CHECK_EQ_INT(replay_now(&c, 500 + 60000, wall, true, first, last, NULL), 1021 * H,
                 "replay after the data: the clock runs on");
    struct replay_clock d = {.set = false, .t0_mono_ms = 0};
    CHECK_EQ_INT(replay_now(&d, 0, wall, false, 0, 0, &m), wall, "empty store: the wall clock");
    CHECK_EQ_INT(m, REPLAY_LIVE, "empty store: live");
    CHECK_EQ_INT(replay_now(&d, 0, last + 60000, true, first, last, &m), last,
                 "live store: its newest data");
    CHECK_EQ_INT(m, REPLAY_LIVE, "newest data a minute old: live");
    CHECK_EQ_INT(replay_now(&d, 0, wall, true, first, last, &m), last - H,
                 "historical store: the last hour, from its start");
    CHECK_EQ_INT(m, REPLAY_HISTORY, "newest data days old: history");
    CHECK_EQ_INT(replay_now(&d, 90 * 60000, wall, true, first, last, NULL), last - H / 2,
                 "history: loops over the hour at 1x");
    CHECK_EQ_INT(replay_now(&d, 10 * 60000, wall, true, last - 5 * 60000, last, NULL),
                 last - 5 * 60000, "history shorter than an hour: loops over what there is");
    CHECK_EQ_STR(replay_mode_name(REPLAY_HISTORY), "history", "mode name");
}

static void test_reasons(void)
{
    struct acinfo ai;
    memset(&ai, 0, sizeof ai);
    CHECK(acinfo_from_reasons("A.ICAO_COUNTRY: address AE1234 in the United States block; "
                              "A.ARCHIVE_DB: archive aircraft database: 85-0060 B1 (ROCKWELL "
                              "B-1B Lancer (mod)), USAF; C.X: y",
                              &ai),
          "archive reason found");
    CHECK_EQ_STR(ai.r, "85-0060", "registration");
    CHECK_EQ_STR(ai.t, "B1", "type code");
    CHECK_EQ_STR(ai.desc, "ROCKWELL B-1B Lancer (mod)", "description with a parenthesis");
    CHECK_EQ_STR(ai.ownop, "USAF", "operator");
    memset(&ai, 0, sizeof ai);
    CHECK(
        acinfo_from_reasons("A.ARCHIVE_DB: archive aircraft database: - C17 (-), no operator", &ai),
        "archive reason with unknown fields");
    CHECK(!ai.r[0] && !strcmp(ai.t, "C17") && !ai.desc[0] && !ai.ownop[0],
          "'-' and 'no operator' are empty (r='%s' t='%s' desc='%s' op='%s')", ai.r, ai.t, ai.desc,
          ai.ownop);
    memset(&ai, 0, sizeof ai);
    CHECK(acinfo_from_reasons("A.ARCHIVE_DB: archive aircraft database: N1 B738 (BOEING 737-8",
                              &ai) &&
              !strcmp(ai.desc, "BOEING 737-8"),
          "a reason cut by the stored length keeps what is there");
    CHECK(!acinfo_from_reasons("A.REGISTRY: registry x.csv:3: 60-0036 B52 USAF", &ai),
          "no archive reason: false");
    CHECK(!acinfo_from_reasons(NULL, &ai), "NULL reasons: false");
    acinfo_lookup(NULL, 0xae01c4, "C.CALLSIGN: JAKE11", true, &ai);
    CHECK(ai.db_flags == ACINFO_MILITARY && !ai.desc[0] && !ai.r[0] && !strcmp(ai.from, ""),
          "no registry, no archive: only the military bit, never the call sign");
}

/* The option parsers orbat serve, orbat run and the config check share. */
static void test_parse(void)
{
    double v = -1, la = -1, lo = -1;
    CHECK(replay_parse_speed("20", &v) == 0 && v == 20, "speed 20");
    CHECK(replay_parse_speed("100000", &v) == 0 && v == REPLAY_MAX_SPEED, "speed at the cap");
    v = 7;
    CHECK(replay_parse_speed("0", &v) == -1 && replay_parse_speed("-1", &v) == -1 &&
              replay_parse_speed("100000.5", &v) == -1 && replay_parse_speed("", &v) == -1 &&
              replay_parse_speed("2x", &v) == -1 && replay_parse_speed("nan", &v) == -1 && v == 7,
          "bad speeds refused, output untouched");
    CHECK(replay_parse_site("18.5,-66.1", &la, &lo) == 0 && la == 18.5 && lo == -66.1, "site");
    CHECK(replay_parse_site("-90,180", &la, &lo) == 0 && la == -90 && lo == 180, "site at limits");
    la = lo = 3;
    CHECK(replay_parse_site("91,0", &la, &lo) == -1 && replay_parse_site("0,181", &la, &lo) == -1 &&
              replay_parse_site("18.5", &la, &lo) == -1 &&
              replay_parse_site("18.5,", &la, &lo) == -1 &&
              replay_parse_site(",1", &la, &lo) == -1 &&
              replay_parse_site("1,2,3", &la, &lo) == -1 &&
              replay_parse_site("inf,0", &la, &lo) == -1 && la == 3 && lo == 3,
          "bad sites refused, outputs untouched");
}

int main(void)
{
    test_clock();
    test_parse();
    test_reasons();
    return check_exit();
}
