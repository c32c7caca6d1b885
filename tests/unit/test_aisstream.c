/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_aisstream.c - aisstream.io: JSON messages mapped onto decoded AIS
 * messages (values from the NMEA the simulator wrote, see
 * tests/integration/aisstream.sh), time_utc forms, feed specs and the
 * subscription message.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "feed/aisstream.h"
#include "feed/aisstream_json.h"
#include "feed/ws.h"

static int parse(const char *s, struct orbat_ais_msg *m, char *err, size_t errsz)
{
    return aisstream_parse(s, strlen(s), m, err, errsz);
}

int main(void)
{
    static struct orbat_ais_msg m;
    char err[128];

    /* a position report: scaled values back to raw units */
    const char *pr =
        "{\"Message\":{\"PositionReport\":{\"MessageID\":1,\"RepeatIndicator\":0,\"UserID\":"
        "368926299,\"Valid\":true,\"NavigationalStatus\":1,\"RateOfTurn\":0,\"Sog\":0.0,"
        "\"PositionAccuracy\":true,\"Longitude\":-68.5370333333,\"Latitude\":12.5815,\"Cog\":"
        "242.9,\"TrueHeading\":243,\"Timestamp\":11,\"SpecialManoeuvreIndicator\":0,\"Spare\":0,"
        "\"Raim\":false,\"CommunicationState\":15243}},\"MessageType\":\"PositionReport\","
        "\"MetaData\":{\"MMSI\":368926299,\"time_utc\":\"2025-10-20 00:00:11.000000 +0000 UTC\"}}";
    CHECK(parse(pr, &m, err, sizeof err) == ORBAT_OK, "PositionReport parses");
    CHECK(m.type == 1 && m.mmsi == 368926299, "type 1, MMSI %u", m.mmsi);
    CHECK(m.u.pos.lon == -41122220 && m.u.pos.lat == 7548900, "lon %d lat %d (1/10000 min)",
          m.u.pos.lon, m.u.pos.lat);
    CHECK(m.u.pos.course == 2429 && m.u.pos.heading == 243 && m.u.pos.speed == 0,
          "course 0.1 deg %u, heading %u", m.u.pos.course, m.u.pos.heading);
    CHECK(m.u.pos.status == 1 && m.u.pos.second == 11 && m.u.pos.radio == 15243 && m.u.pos.accuracy,
          "status, second, radio, accuracy");
    CHECK(m.tag.has_time && m.tag.time_ms == 1760918411000LL, "time_utc -> %lld",
          (long long)m.tag.time_ms);
    CHECK(m.raw_len == strlen(pr) && !memcmp(m.raw, pr, m.raw_len),
          "the JSON itself is the raw evidence");

    /* N/A values */
    CHECK(parse("{\"MessageType\":\"PositionReport\",\"MetaData\":{},\"Message\":{"
                "\"PositionReport\":{\"UserID\":211000001,\"Latitude\":91,\"Longitude\":181,"
                "\"Sog\":102.3,\"Cog\":360,\"TrueHeading\":511,\"RateOfTurn\":-128}}}",
                &m, err, sizeof err) == ORBAT_OK,
          "N/A position parses");
    CHECK(m.u.pos.lat == ORBAT_AIS_LAT_NA && m.u.pos.lon == ORBAT_AIS_LON_NA &&
              m.u.pos.speed == ORBAT_AIS_SPEED_NA && m.u.pos.course == ORBAT_AIS_COURSE_NA &&
              m.u.pos.heading == ORBAT_AIS_HEADING_NA && m.u.pos.turn == ORBAT_AIS_TURN_NA,
          "aisstream N/A values become the spec's N/A values");
    CHECK(!m.tag.has_time, "no time_utc: no time");

    /* static data, class B, type 24 */
    CHECK(parse("{\"MessageType\":\"ShipStaticData\",\"MetaData\":{},\"Message\":{"
                "\"ShipStaticData\":{\"UserID\":538961634,\"ImoNumber\":9074729,\"CallSign\":"
                "\"BTZD1  \",\"Name\":\"CORAL MERCHANT 7@@@@\",\"Type\":72,\"Dimension\":{\"A\":"
                "163,\"B\":82,\"C\":21,\"D\":21},\"MaximumStaticDraught\":3.9,\"Destination\":"
                "\"caribbean\",\"Eta\":{\"Month\":10,\"Day\":21,\"Hour\":6,\"Minute\":30}}}}",
                &m, err, sizeof err) == ORBAT_OK &&
              m.type == 5,
          "ShipStaticData -> type 5");
    CHECK(!strcmp(m.u.stat.shipname, "CORAL MERCHANT 7") && !strcmp(m.u.stat.callsign, "BTZD1"),
          "name '%s' and call sign '%s' trimmed like the decoder's", m.u.stat.shipname,
          m.u.stat.callsign);
    CHECK(!strcmp(m.u.stat.destination, "CARIBBEAN"), "6-bit text is upper case");
    CHECK(m.u.stat.imo == 9074729 && m.u.stat.draught == 39 && m.u.stat.to_bow == 163 &&
              m.u.stat.shiptype == 72 && m.u.stat.month == 10 && m.u.stat.minute == 30,
          "IMO, draught 0.1 m, dimensions, type, ETA");
    CHECK(parse("{\"MessageType\":\"StandardClassBPositionReport\",\"MetaData\":{},\"Message\":{"
                "\"StandardClassBPositionReport\":{\"UserID\":323264189,\"Latitude\":13.1,"
                "\"Longitude\":-59.63,\"Sog\":5.5,\"Cog\":10,\"CommunicationStateIsItdma\":true,"
                "\"CommunicationState\":400288,\"ClassBUnit\":true}}}",
                &m, err, sizeof err) == ORBAT_OK &&
              m.type == 18 && m.u.cb.radio == 924576 && m.u.cb.cs && m.u.cb.speed == 55,
          "class B: type 18, radio = ITDMA bit + state (%u)", m.u.cb.radio);
    CHECK(parse("{\"MessageType\":\"StaticDataReport\",\"MetaData\":{},\"Message\":{"
                "\"StaticDataReport\":{\"UserID\":730677867,\"PartNumber\":true,\"ReportB\":{"
                "\"ShipType\":30,\"CallSign\":\"UDRQ9\",\"VendorIDName\":\"SIMCTI+\","
                "\"VenderIDSerial\":868971,\"Dimension\":{\"A\":14,\"B\":7,\"C\":2,\"D\":3}}}}}",
                &m, err, sizeof err) == ORBAT_OK &&
              m.type == 24 && m.u.sb.part == 1 && m.u.sb.shiptype == 30 &&
              !strcmp(m.u.sb.callsign, "UDRQ9") && m.u.sb.serial == 868971,
          "StaticDataReport part B -> type 24 part B");
    CHECK(parse("{\"MessageType\":\"LongRangeAisBroadcastMessage\",\"MetaData\":{},\"Message\":{"
                "\"LongRangeAisBroadcastMessage\":{\"UserID\":235000001,\"Latitude\":12.51,"
                "\"Longitude\":-66.12,\"Sog\":12,\"Cog\":359.9}}}",
                &m, err, sizeof err) == ORBAT_OK &&
              m.type == 27 && m.u.lr.lat == 7506 && m.u.lr.lon == -39672 && m.u.lr.speed == 12,
          "type 27: 1/10 min, knots");

    /* errors */
    CHECK(parse("{\"error\": \"Api Key Is Not Valid\"}", &m, err, sizeof err) == ORBAT_E_PROTOCOL &&
              !strcmp(err, "Api Key Is Not Valid"),
          "server error -> ORBAT_E_PROTOCOL with its text");
    CHECK(parse("{\"MessageType\":\"UnknownMessage\",\"MetaData\":{},\"Message\":{}}", &m, err,
                sizeof err) == ORBAT_E_UNSUPPORTED,
          "unmapped type -> ORBAT_E_UNSUPPORTED");
    CHECK(parse("{\"MessageType\":\"PositionReport\",\"Message\":{", &m, err, sizeof err) ==
              ORBAT_E_FORMAT,
          "cut JSON -> ORBAT_E_FORMAT");
    CHECK(parse("{\"MessageType\":\"PositionReport\",\"MetaData\":{},\"Message\":{"
                "\"PositionReport\":{\"Latitude\":1}}}",
                &m, err, sizeof err) == ORBAT_E_RANGE,
          "no MMSI -> ORBAT_E_RANGE");
    CHECK(parse("[]", &m, err, sizeof err) == ORBAT_E_FORMAT, "not an object");
    CHECK(aisstream_line_is(pr, strlen(pr)) && !aisstream_line_is("!AIVDM,1", 8) &&
              !aisstream_line_is("{\"ac\":[]}", 9),
          "line detector");

    /* time_utc */
    int64_t ms = 0;
    CHECK(aisstream_time("2022-12-29 18:22:32.318353 +0000 UTC", &ms) && ms == 1672338152318LL,
          "Go time string: %lld", (long long)ms);
    CHECK(aisstream_time("2022-12-29T18:22:32Z", &ms) && ms == 1672338152000LL, "ISO 8601 Z");
    CHECK(aisstream_time("2022-12-29 20:22:32 +0200 EET", &ms) && ms == 1672338152000LL,
          "offset applied");
    CHECK(!aisstream_time("yesterday", &ms) && !aisstream_time("2022-13-01 00:00:00", &ms),
          "bad times refused");

    /* specs and the subscription */
    struct aisstream_spec sp;
    CHECK(aisstream_spec_parse("aisstream:", &sp, err, sizeof err) == 0 &&
              !strcmp(sp.url, AISSTREAM_URL) && sp.nbox == 0,
          "aisstream: is the public endpoint");
    CHECK(aisstream_spec_parse("aisstream+ws://127.0.0.1:8765/v0/stream?bbox=10,-90,20,-60;1,2,3,4"
                               "&mmsi=123456789&types=PositionReport",
                               &sp, err, sizeof err) == 0 &&
              !strcmp(sp.url, "ws://127.0.0.1:8765/v0/stream") && sp.nbox == 2 &&
              sp.box[1].e == 4 && sp.nmmsi == 1 && sp.ntypes == 1,
          "local ws:// spec with boxes and filters");
    struct ws_target wt;
    CHECK(ws_target_parse(sp.url, &wt) == 0 && wt.port == 8765 && !wt.tls &&
              !strcmp(wt.path, "/v0/stream") && !strcmp(wt.host, "127.0.0.1"),
          "websocket URL split");
    CHECK(ws_target_parse(AISSTREAM_URL, &wt) == 0 && wt.port == 443 && wt.tls,
          "wss default port 443");
    char *sub = aisstream_subscription(&sp, "k3y", NULL, 0);
    json_t *j = sub ? json_loads(sub, 0, NULL) : NULL;
    CHECK(j && !strcmp(json_string_value(json_object_get(j, "APIKey")), "k3y") &&
              json_array_size(json_object_get(j, "BoundingBoxes")) == 2 &&
              json_real_value(json_array_get(
                  json_array_get(json_array_get(json_object_get(j, "BoundingBoxes"), 0), 1), 1)) ==
                  -60 &&
              !strcmp(json_string_value(json_array_get(json_object_get(j, "FiltersShipMMSI"), 0)),
                      "123456789"),
          "subscription: key, [[S,W],[N,E]] boxes, MMSI filter: %s", sub ? sub : "(null)");
    json_decref(j);
    free(sub);
    struct aisstream_box th = {8.5, -89.5, 22.5, -59.5};
    aisstream_spec_parse("aisstream:", &sp, err, sizeof err);
    sub = aisstream_subscription(&sp, "k", &th, 1);
    CHECK(sub && strstr(sub, "[[[8.5,-89.5],[22.5,-59.5]]]"), "no bbox=: the theatre box: %s",
          sub ? sub : "(null)");
    free(sub);
    static const char *const bad[] = {
        "aisstream:?bbox=1,2,3", "aisstream:?bbox=5,0,1,1", "aisstream:?bbox=0,0,95,1",
        "aisstream:?mmsi=1234",  "aisstream:?types=a-b",    "aisstream:?APIKey=x",
        "aisstream:foo",         "aisstream+http://x/"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(aisstream_spec_parse(bad[i], &sp, err, sizeof err) != 0 && err[0], "'%s' refused: %s",
              bad[i], err);
    return check_exit();
}
